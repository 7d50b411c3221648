/* The roster's private model, shared by the lib/team*.c files. */
#ifndef PATVERS_TEAM_INTERNAL_H
#define PATVERS_TEAM_INTERNAL_H

#include "patvers/csvio.h"
#include "patvers/team.h"

/*
 * A roster is built in three steps: records are put (upserted by slug) or
 * deleted, roster_finish() builds the sorted views the public API hands
 * out, and roster_apply() writes the difference to another roster (the
 * database's) back to the database. Records remember where they came
 * from so validation can name file:line:column.
 */

/* Strings and records live in an arena freed with the roster. */
struct arena_block;
struct arena {
	struct arena_block *head;
};

/* Slug → record number; open addressing, keys borrowed from the arena. */
struct slug_index {
	struct slug_slot {
		const char *key;
		size_t idx;
	} *slots;
	size_t cap, used;
};

/* Where a record came from: file NULL for the database or the command line. */
struct origin {
	const char *file;
	long line;
};

struct unit_rec {
	struct pv_unit pub;
	struct origin at;
	int col_id, col_type, col_group;   /* field numbers, 0 when unknown */
	bool deleted;
};

struct person_rec {
	struct pv_person pub;
	struct origin at;
	int col_id, col_email, col_home, col_sub;
	bool deleted;
};

struct asg_rec {
	const char *person, *unit, *role;
	struct origin at;
	int col;
	bool deleted;
};

struct pv_roster {
	struct arena arena;
	struct unit_rec *units;
	size_t nunits, units_cap;
	struct person_rec *people;
	size_t npeople, people_cap;
	struct asg_rec *asg;
	size_t nasg, asg_cap;
	struct slug_index unit_ix, person_ix;

	const struct pv_rules *rules;   /* borrowed while building; NULL after */
	const char *leader[2];          /* school, kindergarten leader roles */
	/* Team order for schools [0] and kindergartens [1]: the leader, then
	 * the rules' list for the kind; other roles follow by name. */
	struct role_order {
		const char *names[64];
		size_t count;
	} order[2];

	/* Built by roster_finish(). */
	const struct pv_unit **all_units;
	size_t nall_units;
	const struct pv_unit **kind_units[PV_UNIT_KINDS];
	size_t nkind_units[PV_UNIT_KINDS];
	const struct pv_person **all_people;
	size_t nall_people;
	struct pv_assignment *by_unit, *by_person;
	size_t nassignments;
	const struct pv_unit **members;   /* kindergartens with a group, by group, slug */
	size_t nmembers;
};

/* An empty roster whose role order comes from `rules` (borrowed: it must
 * outlive the building; NULL: no rules, alphabetical order). */
enum pv_status roster_new(const struct pv_rules *rules, struct pv_roster **out,
			  struct pv_error *err);
/* Adds every unit, person and assignment in the database. */
enum pv_status roster_read_db(struct pv_roster *r, struct pv_db *db, struct pv_error *err);
/* roster_new + roster_read_db + roster_finish with the rules in force
 * when `rules` is NULL (*rules_out, if not NULL, gets those rules; the
 * caller frees them). */
enum pv_status roster_load_full(struct pv_db *db, const struct pv_rules *rules,
				struct pv_roster **out, struct pv_error *err);

char *roster_strdup(struct pv_roster *r, const char *s);

/* Lookups while building; NULL when absent or deleted. */
struct unit_rec *roster_find_unit(struct pv_roster *r, const char *slug);
struct person_rec *roster_find_person(struct pv_roster *r, const char *slug);

/*
 * Puts a copy of `u` (strings copied), replacing a unit with the same
 * slug. Returns the stored record, NULL when out of memory. The same for
 * people and assignments (an assignment that exists is not added twice;
 * *added says whether it was).
 */
struct unit_rec *roster_put_unit(struct pv_roster *r, const struct unit_rec *u);
struct person_rec *roster_put_person(struct pv_roster *r, const struct person_rec *p);
bool roster_put_asg(struct pv_roster *r, const struct asg_rec *a, bool *added);

void roster_delete_unit(struct pv_roster *r, const char *slug);
void roster_delete_person(struct pv_roster *r, const char *slug);

/* Builds the sorted views; call again after changes. */
enum pv_status roster_finish(struct pv_roster *r, struct pv_error *err);

/* Whole-roster checks, records in insertion order, errors at the record's
 * origin: units (ids, groups), then people (ids, home, substitute,
 * e-mail) and assignments (units and people exist). */
enum pv_status roster_validate_units(struct pv_roster *r, struct pv_error *err);
enum pv_status roster_validate_people(struct pv_roster *r, struct pv_error *err);

/* Writes the difference between `old` (what the database holds) and
 * `new` (finished, validated) with audit rows. *counts may be NULL. */
enum pv_status roster_apply(struct pv_db *db, const struct pv_roster *old,
			    const struct pv_roster *new, struct pv_team_counts *counts,
			    struct pv_error *err);

/* The CSV columns, canonical names first (export writes them): units
 * id;navn;type;trinn;gruppe, then the optional «Åpen dør» plan
 * (TEAM_UNIT_PLAN_COLUMNS: ukedag, start, minutter, hver uke), and people
 * id;navn;epost;tjeneste;rolle;enheter;stedfortreder. */
#define TEAM_UNIT_COLUMNS 9
#define TEAM_UNIT_PLAN_COLUMNS 4
#define TEAM_PERSON_COLUMNS 7
extern const struct pv_csv_column team_unit_columns[TEAM_UNIT_COLUMNS];
extern const struct pv_csv_column team_person_columns[TEAM_PERSON_COLUMNS];

/* Fills err at a record's origin (no position when it has none). */
enum pv_status roster_error(struct pv_error *err, const struct origin *at, int col,
			    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Folds a name for comparing roles and types: ASCII lower case, æ→ae,
 * ø→o, å→a, spaces and '_' → '-', runs of '-' collapsed, trimmed. */
void team_fold(const char *in, char *out, size_t size);
/* The closest of `names` within two edits of `word`, or NULL. */
const char *team_suggest(const char *word, const char *const *names, size_t count);
/* Makes room for one more of `size`-byte items (doubling); false when out
 * of memory. */
bool team_grow(void **items, size_t *cap, size_t count, size_t size);
/* Writes "; did you mean 'x'?" (or where to look) for an unknown role. */
void team_role_hint(const struct pv_rules *rules, const char *text, char *buf, size_t size);
/* A valid slug: 1–64 of a–z, 0–9, '-', not starting or ending with '-'. */
bool team_slug_valid(const char *s);
/* Parses grades "1-10", "8–10" or "5" into 1 ≤ from ≤ to ≤ 10. */
bool team_grades_parse(const char *text, int *from, int *to);

#endif
