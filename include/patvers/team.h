/* The team roster: units, staff, their roles and substitutes; import, export, check. */
#ifndef PATVERS_TEAM_H
#define PATVERS_TEAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/error.h"
#include "patvers/rules.h"

/*
 * Units are schools (with grades), kindergartens, kindergarten groups
 * (of three, by default) and services (PPT, BFS, barnevern, …). People
 * are staff, never children: a name, an e-mail address, a home unit, an
 * optional substitute (stedfortreder) and assignments, one per
 * person × unit × role (a PPT advisor serves several schools).
 * Every unit and person has a slug id (a–z, 0–9, '-'); one id names one
 * thing, so a unit and a person never share an id.
 *
 * Ownership, once for the module: strings passed in are borrowed and
 * copied when kept. Everything a struct pv_roster hands out (structs,
 * strings, arrays) is owned by the roster and valid until
 * pv_roster_free(); callers never free it.
 */

enum pv_unit_kind {
	PV_UNIT_SCHOOL,
	PV_UNIT_KINDERGARTEN,
	PV_UNIT_GROUP,        /* a kindergarten group (barnehagegruppe) */
	PV_UNIT_SERVICE,
};
#define PV_UNIT_KINDS 4

/* "school", "kindergarten", "kindergarten-group", "service" (static). */
const char *pv_unit_kind_name(enum pv_unit_kind kind);

/* A school's own «Åpen dør» plan: when the barnevern contact is present.
 * A field that is 0 takes the rules' value (meetings.apen_dor). */
struct pv_apen_dor_plan {
	int every_weeks;          /* 1..8: every week, every other week, … */
	enum pv_weekday weekday;  /* PV_MONDAY..PV_FRIDAY */
	int start;                /* minutes after midnight, 07:00..17:00 */
	int minutes;              /* 15..420 */
};

struct pv_unit {
	const char *slug;
	const char *name;        /* display name, UTF-8 ("Gjøklep ungdomsskole") */
	enum pv_unit_kind kind;
	int grade_from;          /* schools: 1..10; 0 for other kinds */
	int grade_to;
	const char *group;       /* kindergartens: their group's slug, or NULL */
	const char *service;     /* services: "ppt", "bfs", "barnevern", "helse",
				  * "ke", "naervaer", "god-oppvekst" or "annen";
				  * NULL for other kinds */
	struct pv_apen_dor_plan apen_dor;   /* schools only; all 0 elsewhere */
};

struct pv_person {
	const char *slug;
	const char *name;
	const char *email;
	const char *home;        /* slug of the unit or service they work in */
	const char *substitute;  /* the stedfortreder's slug, or NULL */
};

/* One person serving one unit in one role. */
struct pv_assignment {
	const struct pv_person *person;
	const struct pv_unit *unit;
	const char *role;        /* canonical role slug ("sosiallaerer") */
};

/* ---- reading the roster (what the planner uses) ---- */

struct pv_roster;

/*
 * Loads the whole roster from `db`. `rules` (borrowed, read only during
 * the call) gives the leader roles and the order of team members; NULL
 * loads the rules in force. On success *out is owned by the caller: free
 * with pv_roster_free().
 */
enum pv_status pv_roster_load(struct pv_db *db, const struct pv_rules *rules,
			      struct pv_roster **out, struct pv_error *err);
void pv_roster_free(struct pv_roster *roster);

/* Units of one kind in slug order: *count entries, borrowed. */
const struct pv_unit *const *pv_roster_units(const struct pv_roster *r,
					     enum pv_unit_kind kind, size_t *count);
/* Every unit in slug order, borrowed. */
const struct pv_unit *const *pv_roster_all_units(const struct pv_roster *r, size_t *count);
/* A unit by slug, borrowed; NULL when there is none. */
const struct pv_unit *pv_roster_unit(const struct pv_roster *r, const char *slug);

/* Every person in slug order, borrowed. */
const struct pv_person *const *pv_roster_people(const struct pv_roster *r, size_t *count);
/* A person (name, e-mail, home, substitute) by slug, borrowed; NULL when
 * there is none. */
const struct pv_person *pv_roster_person(const struct pv_roster *r, const char *slug);
/* The person's substitute, borrowed; NULL when none is named. */
const struct pv_person *pv_roster_substitute(const struct pv_roster *r, const char *person);

/*
 * The unit's team: its assignments, leader role first, then the roles in
 * the order of the rules' list for the unit's kind, other roles by name;
 * within a role by person slug. Borrowed; *count is 0 (and the result
 * NULL) for an unknown unit or an empty team.
 */
const struct pv_assignment *pv_roster_team(const struct pv_roster *r, const char *unit,
					   size_t *count);
/* What a person serves: assignments by unit slug, then role. Borrowed. */
const struct pv_assignment *pv_roster_serves(const struct pv_roster *r, const char *person,
					     size_t *count);
/* The leader of a school (roles.school_leader) or kindergarten
 * (roles.kindergarten_leader); the first by slug when several. NULL when
 * there is none or the unit is of another kind. Borrowed. */
const struct pv_person *pv_roster_leader(const struct pv_roster *r, const char *unit);
/* The kindergartens of a kindergarten group in slug order. Borrowed. */
const struct pv_unit *const *pv_roster_group_members(const struct pv_roster *r,
						     const char *group, size_t *count);

/* ---- names, roles and types ---- */

/*
 * The roles a roster accepts: the union of the rules' role lists
 * (roles.school, roles.kindergarten, roles.ungdomstrinn_only and the two
 * leaders) and the service roles (leder, nestleder, fagleder,
 * koordinator, psykolog, saksbehandler, medlem, inspektor,
 * assisterende-rektor, assisterende-styrer). Norwegian spellings are
 * accepted: case and æ/ø/å are folded, spaces become '-', and aliases
 * such as "barnevernkontakt" or "helsesøster" map to the canonical slug.
 * On success *canonical points into `rules` or static storage (valid
 * while `rules` lives). False for an unknown role.
 */
bool pv_team_role_parse(const struct pv_rules *rules, const char *text,
			const char **canonical);

/* A unit type as the CSV `type` column writes it ("skole", "barnehage",
 * "barnehagegruppe", a service code, or an alias such as "school",
 * "barneverntjenesten", "Nærværsteam"). *service is a static string for
 * services, else NULL. */
bool pv_unit_type_parse(const char *text, enum pv_unit_kind *kind, const char **service);
/* The canonical type for export: "skole", "barnehage", "barnehagegruppe"
 * or the service code (static). */
const char *pv_unit_type_name(const struct pv_unit *unit);

/* The «Åpen dør» plan in force for a school: its own values, the rules'
 * (meetings.apen_dor) for the rest. */
struct pv_apen_dor_plan pv_unit_apen_dor(const struct pv_unit *school,
					 const struct pv_rules *rules);

/* True for a valid e-mail address (local@domain.tld, ASCII, ≤ 254). */
bool pv_team_email_valid(const char *email);

/* ---- changing the roster ----
 *
 * Every change below validates the whole resulting roster first and then
 * writes only the difference, with one audit row per unit, person or
 * assignment changed. They must run inside the caller's write
 * transaction; on an error nothing has been written by them that the
 * caller's rollback would not undo, and bad input is PV_EDATA naming
 * file:line:column (import) or the record at fault.
 */

struct pv_team_counts {
	int units_read, people_read;      /* data rows in the files */
	int units_added, units_changed, units_removed;
	int people_added, people_changed, people_removed;
	int assignments_added, assignments_removed;
};

struct pv_team_import_options {
	bool replace;   /* the files become the whole roster: units and
			 * people not in them are removed */
	bool force;     /* with replace: remove also what planned meetings
			 * use */
};

/*
 * Imports units.csv and people.csv (texts in memory, `len` bytes;
 * the names are used in errors; either text may be NULL to import only
 * the other). Without `replace` records are upserted by id and a person
 * in people.csv gets exactly the assignments of its row. The CSV formats
 * are described in patvers-team(1). *counts (may be NULL) says what
 * changed.
 */
enum pv_status pv_team_import(struct pv_db *db,
			      const char *units, size_t units_len, const char *units_name,
			      const char *people, size_t people_len, const char *people_name,
			      const struct pv_team_import_options *opts,
			      struct pv_team_counts *counts, struct pv_error *err);

/* pv_team_import of `dir`/units.csv and `dir`/people.csv (both must
 * exist: PV_ENOINPUT otherwise). */
enum pv_status pv_team_import_dir(struct pv_db *db, const char *dir,
				  const struct pv_team_import_options *opts,
				  struct pv_team_counts *counts, struct pv_error *err);

/* A unit as text fields, the way one CSV row gives it (borrowed). */
struct pv_unit_spec {
	const char *slug;
	const char *name;
	const char *type;     /* see pv_unit_type_parse */
	const char *grades;   /* "1-10", "8–10", "5"; schools only */
	const char *group;    /* kindergartens only; may be NULL */
	/* A school's own «Åpen dør» plan; NULL: not given (an update keeps
	 * the value), "": the rules' value. */
	const char *apen_dor_weekday;   /* "onsdag", "wednesday" */
	const char *apen_dor_start;     /* "12:00" */
	const char *apen_dor_minutes;   /* "90" */
	const char *apen_dor_every;     /* weeks: "1", "2", … */
};

/* Adds a unit; with `update` an existing one is changed instead (its
 * people stay). Adding an id that exists without `update` is PV_EDATA. */
enum pv_status pv_team_add_unit(struct pv_db *db, const struct pv_unit_spec *spec,
				bool update, struct pv_error *err);

/* A person as text fields, like one row of people.csv (borrowed). */
struct pv_person_spec {
	const char *slug;
	const char *name;
	const char *email;
	const char *home;
	const char *roles;       /* "ppt-radgiver" or "rektor, sosiallærer"; may be NULL */
	const char *units;       /* "hof, gjoklep, botne:medlem"; may be NULL */
	const char *substitute;  /* may be NULL */
};

/* Adds a person with the assignments `roles` × `units` (units empty:
 * the home unit). With `update` an existing person is changed; then the
 * assignments are replaced only when roles or units are given. */
enum pv_status pv_team_add_person(struct pv_db *db, const struct pv_person_spec *spec,
				  bool update, struct pv_error *err);

/* Adds one assignment. *added (may be NULL) is false when it existed. */
enum pv_status pv_team_assign(struct pv_db *db, const char *person, const char *unit,
			      const char *role, bool *added, struct pv_error *err);
/* Removes the person's assignments to `unit` in `role` (NULL: every
 * role). *removed (may be NULL) counts them; none is PV_EDATA. */
enum pv_status pv_team_unassign(struct pv_db *db, const char *person, const char *unit,
				const char *role, int *removed, struct pv_error *err);

/*
 * What depends on a unit or person, as one query the schedule module
 * extends with its planned meetings. Kinds: for a unit "serves" (a
 * person assigned to it; detail = role), "home" (a person working
 * there), "member" (a kindergarten of this group); for a person
 * "serves" (a unit they serve; detail = role) and "substitute-for" (a
 * person naming them as stedfortreder); for both "stafett" (an open
 * stafettlogg, slug = its REF; detail = "unit", "holder", "handover" or
 * "tiltak N"). Strings valid during the call.
 */
struct pv_team_dependent {
	const char *kind;
	const char *slug;
	const char *detail;    /* "" when there is none */
};
typedef void (*pv_team_dependent_fn)(const struct pv_team_dependent *d, void *arg);
enum pv_status pv_team_dependents(struct pv_db *db, const char *slug,
				  pv_team_dependent_fn fn, void *arg, int *count,
				  struct pv_error *err);

/*
 * Removes a unit or person. Without `force` anything depending on it
 * (see pv_team_dependents) makes it PV_EDATA naming the dependents. With
 * `force` assignments go, kindergartens leave the group and people who
 * named the person lose their substitute; a unit that is some person's
 * home unit is never removed (move or remove the people first). `fn`
 * (may be NULL) hears each dependent that was detached. Unknown id:
 * PV_EDATA.
 */
enum pv_status pv_team_remove(struct pv_db *db, const char *slug, bool force,
			      pv_team_dependent_fn fn, void *arg, struct pv_error *err);

/* ---- export ---- */

/*
 * Writes the roster as the import reads it, as Norwegian Excel saves it:
 * UTF-8 BOM, ';', CRLF, deterministic order (schools, then each group
 * followed by its kindergartens, other kindergartens, services; people by
 * their home unit in that order, then id). Importing the files into an
 * empty database and exporting again gives the same bytes. Either stream
 * (borrowed) may be NULL. A write error is PV_EIO.
 */
enum pv_status pv_team_export(struct pv_db *db, FILE *units, FILE *people,
			      struct pv_error *err);
/* The same for a roster already loaded. */
enum pv_status pv_roster_export(const struct pv_roster *r, FILE *units, FILE *people,
				struct pv_error *err);

/* ---- check ---- */

/*
 * One finding of pv_team_check. Rules: "role" (a school or kindergarten
 * without a required role), "group" (a kindergarten in no group),
 * "group-size" (a group without exactly group_size kindergartens),
 * "substitute" (a leader without a stedfortreder), "capacity" (a person
 * whose systemmøter cannot fit: units × min_per_half > meeting days).
 * `person` is NULL for unit findings. Strings valid during the call.
 */
struct pv_team_finding {
	const char *unit;
	const char *rule;
	const char *person;
	const char *detail;
};
typedef void (*pv_team_finding_fn)(const struct pv_team_finding *f, void *arg);

/*
 * The meeting days a person has in a typical half-year: for the school
 * year containing `today`, the school days on the school systemmøte
 * weekday and the kindergarten days on the kindergarten systemmøte
 * weekday, in the smaller of its two halves (from the imported calendar,
 * or the Monday–Friday fallback). days[0]: schools only, days[1]:
 * kindergartens only, days[2]: both. *fallback (may be NULL) says the
 * fallback calendar was used. `rules` borrowed.
 */
enum pv_status pv_team_meeting_days(struct pv_db *db, const struct pv_rules *rules,
				    pv_date today, int days[3], bool *fallback,
				    struct pv_error *err);

/*
 * Checks the roster against `rules` (borrowed). `days` is from
 * pv_team_meeting_days. Calls fn for each finding sorted by unit, rule,
 * person, detail; *count (may be NULL) is their number.
 */
enum pv_status pv_team_check(const struct pv_roster *r, const struct pv_rules *rules,
			     const int days[3], pv_team_finding_fn fn, void *arg,
			     int *count, struct pv_error *err);

#endif
