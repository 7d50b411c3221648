/* Changing the roster: CSV import, add, assign, unassign, remove. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/i18n.h"
#include "patvers/csvio.h"
#include "team-internal.h"

/*
 * Every change follows one path: load the roster twice (the database's
 * as `old`, a working copy as `new`), change `new`, validate all of it,
 * write the difference. Import, add, assign and remove differ only in
 * how they change `new`.
 */
struct edit {
	struct pv_rules *rules;
	struct pv_roster *old;
	struct pv_roster *new;
};

static enum pv_status edit_begin(struct pv_db *db, struct edit *e, bool empty,
				 struct pv_error *err)
{
	enum pv_status status;

	memset(e, 0, sizeof *e);
	status = pv_rules_load(db, &e->rules, err);
	if (status == PV_OK)
		status = roster_load_full(db, e->rules, &e->old, err);
	if (status == PV_OK)
		status = roster_new(e->rules, &e->new, err);
	if (status == PV_OK && !empty)
		status = roster_read_db(e->new, db, err);
	return status;
}

static enum pv_status edit_commit(struct pv_db *db, struct edit *e,
				  struct pv_team_counts *counts, struct pv_error *err)
{
	enum pv_status status = roster_finish(e->new, err);

	if (status == PV_OK)
		status = roster_validate_units(e->new, err);
	if (status == PV_OK)
		status = roster_validate_people(e->new, err);
	if (status == PV_OK)
		status = roster_apply(db, e->old, e->new, counts, err);
	return status;
}

static void edit_end(struct edit *e)
{
	pv_roster_free(e->old);
	pv_roster_free(e->new);
	pv_rules_free(e->rules);
}

static enum pv_status no_memory(struct pv_error *err)
{
	return pv_error_set(err, PV_ESOFTWARE, "out of memory");
}

/* ---- one record from text fields (a CSV row or the command line) ---- */

/* Where a row's fields came from: the origin and each field's column. */
struct row {
	struct origin at;
	const int *cols;        /* 1-based column of each field, 0 when absent */
	const char **fields;    /* NULL: the field was not given */
};

static int col_of(const struct row *row, int f)
{
	return row->cols ? row->cols[f] : 0;
}

/* The text suggested for an invalid id: folded, other bytes as '-'. */
static void slugify(const char *text, char *out, size_t size)
{
	char folded[128];
	size_t n = 0;

	team_fold(text, folded, sizeof folded);
	for (const char *s = folded; *s && n + 1 < size; s++) {
		bool ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9');
		if (ok)
			out[n++] = *s;
		else if (n && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
}

static enum pv_status check_slug(const struct row *row, int f, const char *what,
				 const char *s, struct pv_error *err)
{
	char hint[80];

	if (!*s)
		return roster_error(err, &row->at, col_of(row, f), "empty %s", what);
	if (team_slug_valid(s))
		return PV_OK;
	slugify(s, hint, sizeof hint);
	if (*hint && team_slug_valid(hint))
		return roster_error(err, &row->at, col_of(row, f),
				    "%s '%s' is not a valid id (use a-z, 0-9 and '-', "
				    "e.g. '%s')", what, s, hint);
	return roster_error(err, &row->at, col_of(row, f),
			    "%s '%s' is not a valid id (use a-z, 0-9 and '-')", what, s);
}

static enum pv_status check_name(const struct row *row, int f, const char *s,
				 struct pv_error *err)
{
	if (!*s)
		return roster_error(err, &row->at, col_of(row, f), "empty name");
	if (strlen(s) > 200)
		return roster_error(err, &row->at, col_of(row, f),
				    "name longer than 200 bytes");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return roster_error(err, &row->at, col_of(row, f),
					    "control character in name");
	return PV_OK;
}

enum { U_ID, U_NAME, U_TYPE, U_GRADES, U_GROUP, U_AD_WEEKDAY, U_AD_START, U_AD_MINUTES,
       U_AD_EVERY, U_FIELDS };
_Static_assert(U_FIELDS == TEAM_UNIT_COLUMNS, "units.csv columns");

/* A school's grades: required, FROM-TO within 1-10; other kinds none. */
static enum pv_status unit_grades(const struct row *row, struct unit_rec *u,
				  struct pv_error *err)
{
	const char *g = row->fields[U_GRADES], *id = row->fields[U_ID];
	int col = col_of(row, U_GRADES);

	if (u->pub.kind != PV_UNIT_SCHOOL) {
		u->pub.grade_from = u->pub.grade_to = 0;
		if (g && *g)
			return roster_error(err, &row->at, col, "grades '%s' given for '%s', "
					    "which is not a school", g, id);
		return PV_OK;
	}
	if (g && *g && !team_grades_parse(g, &u->pub.grade_from, &u->pub.grade_to))
		return roster_error(err, &row->at, col, "grades '%s' are not a range within "
				    "1-10 (e.g. '1-7' or '8-10')", g);
	if ((g && !*g) || !u->pub.grade_from)
		return roster_error(err, &row->at, col,
				    "school '%s' needs its grades (e.g. '1-7')", id);
	return PV_OK;
}

/* A kindergarten's group; a unit that is no longer a kindergarten loses it. */
static enum pv_status unit_group(const struct row *row, struct unit_rec *u,
				 struct pv_error *err)
{
	const char *g = row->fields[U_GROUP];

	if (g)
		u->pub.group = *g ? g : NULL;
	else if (u->pub.kind != PV_UNIT_KINDERGARTEN)
		u->pub.group = NULL;
	if (!u->pub.group)
		return PV_OK;
	if (u->pub.kind != PV_UNIT_KINDERGARTEN)
		return roster_error(err, &row->at, col_of(row, U_GROUP),
				    "only kindergartens belong to a kindergarten group, not "
				    "%s '%s'", pv_unit_type_name(&u->pub), u->pub.slug);
	return check_slug(row, U_GROUP, "group", u->pub.group, err);
}

/* A whole number lo..hi into *value; "" is 0 (the rules'). */
static bool plan_number(const char *text, int lo, int hi, int *value)
{
	char *end;
	long n;

	if (!*text) {
		*value = 0;
		return true;
	}
	n = strtol(text, &end, 10);
	if (*end || end == text || n < lo || n > hi)
		return false;
	*value = (int)n;
	return true;
}

/* A school's own «Åpen dør» plan: fields given replace the values held,
 * "" goes back to the rules'. Only schools have one. */
static enum pv_status unit_apen_dor(const struct row *row, struct unit_rec *u,
				    struct pv_error *err)
{
	const char *const *f = row->fields;
	struct pv_apen_dor_plan *plan = &u->pub.apen_dor;
	const char *day = f[U_AD_WEEKDAY], *start = f[U_AD_START];

	if (u->pub.kind != PV_UNIT_SCHOOL) {
		for (int i = U_AD_WEEKDAY; i <= U_AD_EVERY; i++)
			if (f[i] && *f[i])
				return roster_error(err, &row->at, col_of(row, i),
						    "an Åpen dør plan is given for '%s', which is "
						    "not a school", u->pub.slug);
		memset(plan, 0, sizeof *plan);
		return PV_OK;
	}
	if (day && !*day)
		plan->weekday = 0;
	else if (day && (!pv_weekday_parse(day, &plan->weekday) || plan->weekday > PV_FRIDAY))
		return roster_error(err, &row->at, col_of(row, U_AD_WEEKDAY),
				    "Åpen dør weekday '%s' is not a school day (mandag–fredag "
				    "or monday–friday)", day);
	if (start && !*start)
		plan->start = 0;
	else if (start && (!pv_time_parse(start, &plan->start) || plan->start < 7 * 60 ||
			   plan->start > 17 * 60))
		return roster_error(err, &row->at, col_of(row, U_AD_START),
				    "Åpen dør start '%s' is not a time from 07:00 to 17:00 (HH:MM)",
				    start);
	if (f[U_AD_MINUTES] && !plan_number(f[U_AD_MINUTES], 15, 420, &plan->minutes))
		return roster_error(err, &row->at, col_of(row, U_AD_MINUTES),
				    "Åpen dør length '%s' is not a whole number of minutes from "
				    "15 to 420", f[U_AD_MINUTES]);
	if (f[U_AD_EVERY] && !plan_number(f[U_AD_EVERY], 1, 8, &plan->every_weeks))
		return roster_error(err, &row->at, col_of(row, U_AD_EVERY),
				    "Åpen dør interval '%s' is not a whole number of weeks from "
				    "1 to 8", f[U_AD_EVERY]);
	return PV_OK;
}

/* Fills `u` from the row over the values it holds (fields not given keep
 * them). Strings point into the row or the record `u` started as. */
static enum pv_status unit_from_row(const struct row *row, struct unit_rec *u,
				    struct pv_error *err)
{
	const char *const *f = row->fields;
	enum pv_status status;

	u->at = row->at;
	u->col_id = col_of(row, U_ID);
	u->col_type = col_of(row, U_TYPE);
	u->col_group = col_of(row, U_GROUP);
	status = check_slug(row, U_ID, "id", f[U_ID], err);
	if (status == PV_OK && f[U_NAME])
		status = check_name(row, U_NAME, f[U_NAME], err);
	if (status != PV_OK)
		return status;
	u->pub.slug = f[U_ID];
	if (f[U_NAME])
		u->pub.name = f[U_NAME];
	if (!u->pub.name)
		return roster_error(err, &row->at, 0, "unit '%s' needs a name", f[U_ID]);
	if (f[U_TYPE] && !pv_unit_type_parse(f[U_TYPE], &u->pub.kind, &u->pub.service))
		return roster_error(err, &row->at, col_of(row, U_TYPE),
				    "unknown type '%s' (use skole, barnehage, "
				    "barnehagegruppe, or a service: ppt, bfs, barnevern, "
				    "helse, ke, naervaer, god-oppvekst, annen)", f[U_TYPE]);
	if (u->pub.kind != PV_UNIT_SERVICE)
		u->pub.service = NULL;
	status = unit_grades(row, u, err);
	if (status == PV_OK)
		status = unit_group(row, u, err);
	return status == PV_OK ? unit_apen_dor(row, u, err) : status;
}

enum { P_ID, P_NAME, P_EMAIL, P_HOME, P_ROLES, P_UNITS, P_SUB, P_FIELDS };
_Static_assert(P_FIELDS == TEAM_PERSON_COLUMNS, "people.csv columns");
/* Room for a row of either file. */
enum { ROW_FIELDS = (int)U_FIELDS > (int)P_FIELDS ? (int)U_FIELDS : (int)P_FIELDS };

/* Splits `text` at any of `seps` into trimmed, non-empty tokens; calls fn
 * for each until it fails. `text` is copied. */
static enum pv_status each_token(const char *text, const char *seps,
				 enum pv_status (*fn)(char *token, void *arg), void *arg,
				 struct pv_error *err)
{
	char *copy = strdup(text ? text : "");
	enum pv_status status = PV_OK;
	char *save = NULL;

	if (!copy)
		return no_memory(err);
	for (char *t = strtok_r(copy, seps, &save); t && status == PV_OK;
	     t = strtok_r(NULL, seps, &save)) {
		t = pv_csv_trim(t);
		if (*t)
			status = fn(t, arg);
	}
	free(copy);
	return status;
}

struct person_build {
	struct pv_roster *r;
	const struct row *row;
	const char *slug;
	const char *roles[32];     /* canonical, borrowed from the rules */
	size_t nroles;
	size_t nunits;
	struct pv_error *err;
};

static enum pv_status unknown_role(struct person_build *b, int f, const char *text)
{
	char hint[128];

	team_role_hint(b->r->rules, text, hint, sizeof hint);
	return roster_error(b->err, &b->row->at, col_of(b->row, f), "unknown role '%s'%s",
			    text, hint);
}

static enum pv_status add_role(char *token, void *arg)
{
	struct person_build *b = arg;
	const char *role;

	if (!pv_team_role_parse(b->r->rules, token, &role))
		return unknown_role(b, P_ROLES, token);
	for (size_t i = 0; i < b->nroles; i++)
		if (strcmp(b->roles[i], role) == 0)
			return PV_OK;
	if (b->nroles == 32)
		return roster_error(b->err, &b->row->at, col_of(b->row, P_ROLES),
				    "more than 32 roles");
	b->roles[b->nroles++] = role;
	return PV_OK;
}

/* The unit slug closest to a mistyped one, or NULL. */
static const char *suggest_unit(struct pv_roster *r, const char *word)
{
	const char **names = malloc((r->nunits + 1) * sizeof *names);
	const char *best;
	size_t n = 0;

	if (!names)
		return NULL;
	for (size_t i = 0; i < r->nunits; i++)
		if (!r->units[i].deleted)
			names[n++] = r->units[i].pub.slug;
	best = team_suggest(word, names, n);
	free(names);
	return best;
}

static enum pv_status put_assignment(struct person_build *b, const char *unit,
				     const char *role, int f)
{
	struct asg_rec a = { .person = b->slug, .unit = unit, .role = role,
			     .at = b->row->at, .col = col_of(b->row, f) };
	bool added;

	if (!roster_find_unit(b->r, unit)) {
		char hint[100] = "";
		const char *best = suggest_unit(b->r, unit);
		if (best)
			snprintf(hint, sizeof hint, "; did you mean '%s'?", best);
		return roster_error(b->err, &b->row->at, col_of(b->row, f),
				    "unknown unit '%s' for '%s'%s", unit, b->slug, hint);
	}
	if (!roster_put_asg(b->r, &a, &added))
		return no_memory(b->err);
	return PV_OK;
}

/* One item of `enheter`: UNIT (the row's roles) or UNIT:ROLE. */
static enum pv_status add_unit_token(char *token, void *arg)
{
	struct person_build *b = arg;
	char *colon = strchr(token, ':');
	enum pv_status status;
	const char *role;

	b->nunits++;
	if (colon)
		*colon = '\0';
	status = check_slug(b->row, P_UNITS, "unit", token, b->err);
	if (status != PV_OK)
		return status;
	if (colon) {
		if (!pv_team_role_parse(b->r->rules, colon + 1, &role))
			return unknown_role(b, P_UNITS, colon + 1);
		return put_assignment(b, token, role, P_UNITS);
	}
	if (b->nroles == 0)
		return roster_error(b->err, &b->row->at, col_of(b->row, P_UNITS),
				    "no role for '%s' at '%s': fill in the role column or "
				    "write %s:ROLE", b->slug, token, token);
	for (size_t i = 0; status == PV_OK && i < b->nroles; i++)
		status = put_assignment(b, token, b->roles[i], P_UNITS);
	return status;
}

/* The person's assignments become roles × units (units empty: home). */
static enum pv_status person_assignments(struct pv_roster *r, const struct row *row,
					 const struct pv_person *p, struct pv_error *err)
{
	const char *const *f = row->fields;
	struct person_build b = { .r = r, .row = row, .slug = p->slug, .err = err };
	enum pv_status status;

	/* The row says what the person serves now: drop what they served. */
	for (size_t i = 0; i < r->nasg; i++)
		if (!r->asg[i].deleted && strcmp(r->asg[i].person, p->slug) == 0)
			r->asg[i].deleted = true;
	status = each_token(f[P_ROLES], ",;/", add_role, &b, err);
	if (status == PV_OK)
		status = each_token(f[P_UNITS], ",; \t", add_unit_token, &b, err);
	for (size_t i = 0; status == PV_OK && b.nunits == 0 && i < b.nroles; i++)
		status = put_assignment(&b, p->home, b.roles[i], f[P_ROLES] ? P_ROLES : P_HOME);
	return status;
}

static enum pv_status person_fields(const struct row *row, struct person_rec *p,
				    struct pv_error *err)
{
	const char *const *f = row->fields;
	enum pv_status status;

	p->at = row->at;
	p->col_id = col_of(row, P_ID);
	p->col_email = col_of(row, P_EMAIL);
	p->col_home = col_of(row, P_HOME);
	p->col_sub = col_of(row, P_SUB);
	status = check_slug(row, P_ID, "id", f[P_ID], err);
	if (status == PV_OK && f[P_NAME])
		status = check_name(row, P_NAME, f[P_NAME], err);
	if (status != PV_OK)
		return status;
	p->pub.slug = f[P_ID];
	if (f[P_NAME])
		p->pub.name = f[P_NAME];
	if (f[P_EMAIL])
		p->pub.email = f[P_EMAIL];
	if (f[P_HOME])
		p->pub.home = f[P_HOME];
	if (f[P_SUB])
		p->pub.substitute = *f[P_SUB] ? f[P_SUB] : NULL;
	if (!p->pub.name)
		return roster_error(err, &row->at, 0, "person '%s' needs a name", f[P_ID]);
	if (!p->pub.email || !*p->pub.email)
		return roster_error(err, &row->at, col_of(row, P_EMAIL),
				    "person '%s' needs an e-mail address", f[P_ID]);
	if (!pv_team_email_valid(p->pub.email))
		return roster_error(err, &row->at, col_of(row, P_EMAIL),
				    "'%s' is not a valid e-mail address", p->pub.email);
	if (!p->pub.home || !*p->pub.home)
		return roster_error(err, &row->at, col_of(row, P_HOME),
				    "person '%s' needs a home unit or service", f[P_ID]);
	status = check_slug(row, P_HOME, "unit", p->pub.home, err);
	if (status == PV_OK && p->pub.substitute)
		status = check_slug(row, P_SUB, "substitute", p->pub.substitute, err);
	return status;
}

/* Puts one person row into `r`; the row's assignments replace the
 * person's when the row gives roles or units. */
static enum pv_status person_from_row(struct pv_roster *r, const struct row *row,
				      const struct pv_person *base, struct pv_error *err)
{
	struct person_rec p = { 0 };
	const struct person_rec *stored;
	enum pv_status status;

	if (base)
		p.pub = *base;
	status = person_fields(row, &p, err);
	if (status != PV_OK)
		return status;
	if (!roster_find_unit(r, p.pub.home))
		return roster_error(err, &row->at, col_of(row, P_HOME),
				    "unknown unit '%s' for '%s'", p.pub.home, p.pub.slug);
	stored = roster_put_person(r, &p);
	if (!stored)
		return no_memory(err);
	if (!row->fields[P_ROLES] && !row->fields[P_UNITS])
		return PV_OK;
	return person_assignments(r, row, &stored->pub, err);
}

/* ---- CSV import ---- */

static enum pv_status refuse_meetings(struct pv_db *db, const char *slug, bool unit,
				      struct pv_error *err);

const struct pv_csv_column team_unit_columns[TEAM_UNIT_COLUMNS] = {
	{ "id", (const char *const[]){ "slug", "kode", NULL }, true },
	{ "navn", (const char *const[]){ "name", NULL }, true },
	{ "type", (const char *const[]){ "kind", "art", "enhetstype", NULL }, true },
	{ "trinn", (const char *const[]){ "grades", "klassetrinn", NULL }, false },
	{ "gruppe", (const char *const[]){ "group", "barnehagegruppe", NULL }, false },
	{ "åpen dør ukedag", (const char *const[]){ "åpen_dør_ukedag", "apen dor ukedag",
						   "apen_dor_weekday", "open door weekday",
						   NULL }, false },
	{ "åpen dør start", (const char *const[]){ "åpen_dør_start", "apen dor start",
						 "apen_dor_start", "open door start", NULL },
	  false },
	{ "åpen dør minutter", (const char *const[]){ "åpen_dør_minutter", "apen dor minutter",
						     "apen_dor_minutes", "open door minutes",
						     NULL }, false },
	{ "åpen dør hver uke", (const char *const[]){ "åpen_dør_hver_uke", "apen dor hver uke",
						     "apen_dor_every_weeks",
						     "open door every weeks", NULL }, false },
};

const struct pv_csv_column team_person_columns[TEAM_PERSON_COLUMNS] = {
	{ "id", (const char *const[]){ "slug", "kode", NULL }, true },
	{ "navn", (const char *const[]){ "name", NULL }, true },
	{ "epost", (const char *const[]){ "e-post", "email", "e-mail", "epostadresse",
					  NULL }, true },
	{ "tjeneste", (const char *const[]){ "home", "service", "enhet", "arbeidssted",
					     NULL }, true },
	{ "rolle", (const char *const[]){ "roller", "role", "roles", NULL }, false },
	{ "enheter", (const char *const[]){ "units", "serves", "betjener", NULL }, false },
	{ "stedfortreder", (const char *const[]){ "substitute", NULL }, false },
};

struct reader {
	struct pv_roster *r;
	const char *file;
	bool people;
	const struct pv_csv_column *spec;
	size_t nspec;
	int index[ROW_FIELDS];
	int cols[ROW_FIELDS];
	size_t header_fields;
	bool have_header;
	int rows;
};

/* Undoes the formula guard export writes: "'=x" is read as "=x". */
static char *unguard(char *s)
{
	if (s[0] == '\'' && s[1] && strchr("=+-@", s[1]))
		return s + 1;
	return s;
}

static bool blank_record(const struct pv_csv_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++)
		if (*pv_csv_trim(rec->fields[i]))
			return false;
	return true;
}

static enum pv_status check_duplicate(struct reader *rd, const char *slug, long line,
				      struct pv_error *err)
{
	const struct origin *at = NULL;

	if (rd->people) {
		const struct person_rec *p = roster_find_person(rd->r, slug);
		at = p ? &p->at : NULL;
	} else {
		const struct unit_rec *u = roster_find_unit(rd->r, slug);
		at = u ? &u->at : NULL;
	}
	if (at && at->file && strcmp(at->file, rd->file) == 0)
		return pv_error_set_at(err, PV_EDATA, rd->file, line, rd->cols[0],
				       "duplicate id '%s' (also on line %ld)", slug, at->line);
	return PV_OK;
}

static enum pv_status read_header(struct reader *rd, const struct pv_csv_record *rec,
				  struct pv_error *err)
{
	enum pv_status status;

	status = pv_csv_map_header(rec, rd->spec, rd->nspec, rd->index, rd->file, err);
	if (status != PV_OK)
		return status;
	for (size_t i = 0; i < rd->nspec; i++)
		rd->cols[i] = rd->index[i] + 1;
	rd->header_fields = rec->nfields;
	rd->have_header = true;
	return PV_OK;
}

static enum pv_status read_record(const struct pv_csv_record *rec, void *arg,
				  struct pv_error *err)
{
	struct reader *rd = arg;
	const char *fields[ROW_FIELDS];
	struct row row = { { rd->file, rec->line }, rd->cols, fields };
	enum pv_status status;

	if (!rd->have_header)
		return read_header(rd, rec, err);
	if (blank_record(rec))
		return PV_OK;    /* Excel saves ";;;;" for rows once formatted */
	if (rec->nfields != rd->header_fields)
		return pv_error_set_at(err, PV_EDATA, rd->file, rec->line,
				       (long)(rec->nfields < rd->header_fields ? rec->nfields
									       : rd->header_fields) + 1,
				       "row has %zu fields, the header has %zu", rec->nfields,
				       rd->header_fields);
	rd->rows++;
	for (size_t i = 0; i < rd->nspec; i++)
		fields[i] = rd->index[i] < 0 ? NULL
					     : unguard(pv_csv_trim(rec->fields[rd->index[i]]));
	status = check_duplicate(rd, fields[0], rec->line, err);
	if (status != PV_OK)
		return status;
	if (rd->people) {
		const struct person_rec *was = roster_find_person(rd->r, fields[P_ID]);
		return person_from_row(rd->r, &row, was ? &was->pub : NULL, err);
	} else {
		const struct unit_rec *was = roster_find_unit(rd->r, fields[U_ID]);
		struct unit_rec u = { 0 };
		if (was)
			u.pub = was->pub;
		status = unit_from_row(&row, &u, err);
		if (status == PV_OK && !roster_put_unit(rd->r, &u))
			status = no_memory(err);
		return status;
	}
}

static enum pv_status read_csv(struct pv_roster *r, const char *text, size_t len,
			       const char *file, bool people, int *rows, struct pv_error *err)
{
	struct reader rd = { .r = r, .file = file, .people = people };
	enum pv_status status;

	rd.spec = people ? team_person_columns : team_unit_columns;
	rd.nspec = people ? P_FIELDS : U_FIELDS;
	status = pv_csv_read_buffer(text, len, file, read_record, &rd, err);
	if (status == PV_OK && !rd.have_header)
		status = pv_error_set_at(err, PV_EDATA, file, 1, 0,
					 "empty file: a header row is needed");
	*rows = rd.rows;
	return status;
}

/* Kinds of dependents that live in the roster itself; anything else (a
 * planned meeting) belongs to other modules. */
static bool roster_kind(const char *kind)
{
	return strcmp(kind, "serves") == 0 || strcmp(kind, "home") == 0 ||
	       strcmp(kind, "member") == 0 || strcmp(kind, "substitute-for") == 0;
}

struct outside_deps {
	int count;
	char first[200];
};

static void count_outside(const struct pv_team_dependent *d, void *arg)
{
	struct outside_deps *o = arg;

	if (roster_kind(d->kind))
		return;
	if (!o->count++)
		snprintf(o->first, sizeof o->first, "%s %s", d->kind, d->slug);
}

/* With --replace, what leaves the roster must not be in use elsewhere. */
static enum pv_status check_replaced(struct pv_db *db, const struct edit *e, bool force,
				     struct pv_error *err)
{
	const struct pv_unit *const *units;
	const struct pv_person *const *people;
	size_t nu, np;

	units = pv_roster_all_units(e->old, &nu);
	people = pv_roster_people(e->old, &np);
	for (size_t i = 0; i < nu + np; i++) {
		const char *slug = i < nu ? units[i]->slug : people[i - nu]->slug;
		struct outside_deps o = { 0 };
		enum pv_status status;
		if (i < nu ? pv_roster_unit(e->new, slug) != NULL
			   : pv_roster_person(e->new, slug) != NULL)
			continue;
		status = pv_team_dependents(db, slug, count_outside, &o, NULL, err);
		if (status != PV_OK)
			return status;
		if (o.count && !force)
			return pv_error_set(err, PV_EDATA,
					    "'%s' would be removed but is in use (%s%s); "
					    "use --force", slug, o.first,
					    o.count > 1 ? ", …" : "");
		status = refuse_meetings(db, slug, i < nu, err);
		if (status != PV_OK)
			return status;
	}
	return PV_OK;
}

enum pv_status pv_team_import(struct pv_db *db,
			      const char *units, size_t units_len, const char *units_name,
			      const char *people, size_t people_len, const char *people_name,
			      const struct pv_team_import_options *opts,
			      struct pv_team_counts *counts, struct pv_error *err)
{
	static const struct pv_team_import_options none = { 0 };
	struct pv_team_counts c = { 0 };
	int units_read = 0, people_read = 0;
	struct edit e;
	enum pv_status status;

	opts = opts ? opts : &none;
	status = edit_begin(db, &e, opts->replace, err);
	if (status == PV_OK && units)
		status = read_csv(e.new, units, units_len, units_name ? units_name : "units.csv",
				  false, &units_read, err);
	/* Units first and whole, so people's rows are checked against them. */
	if (status == PV_OK)
		status = roster_finish(e.new, err);
	if (status == PV_OK)
		status = roster_validate_units(e.new, err);
	if (status == PV_OK && people)
		status = read_csv(e.new, people, people_len,
				  people_name ? people_name : "people.csv", true, &people_read,
				  err);
	if (status == PV_OK)
		status = roster_finish(e.new, err);
	if (status == PV_OK && opts->replace)
		status = check_replaced(db, &e, opts->force, err);
	if (status == PV_OK)
		status = edit_commit(db, &e, &c, err);
	c.units_read = units_read;
	c.people_read = people_read;
	if (status == PV_OK && counts)
		*counts = c;
	edit_end(&e);
	return status;
}

static enum pv_status slurp(const char *path, char **data, size_t *len,
			    struct pv_error *err)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t size = 0, used = 0, n;

	*data = NULL;
	if (!fp)
		return pv_error_set(err, errno == ENOENT ? PV_ENOINPUT : PV_EIO,
				    "cannot open '%s': %s", path, strerror(errno));
	do {
		if (size - used < 4096) {
			char *bigger = realloc(buf, size ? size * 2 : 65536);
			if (!bigger) {
				free(buf);
				fclose(fp);
				return no_memory(err);
			}
			buf = bigger;
			size = size ? size * 2 : 65536;
		}
		n = fread(buf + used, 1, size - used - 1, fp);
		used += n;
	} while (n > 0);
	if (ferror(fp)) {
		int e = errno;
		free(buf);
		fclose(fp);
		return pv_error_set(err, PV_EIO, "cannot read '%s': %s", path, strerror(e));
	}
	fclose(fp);
	buf[used] = '\0';
	*data = buf;
	*len = used;
	return PV_OK;
}

static char *path_join(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = malloc(len);

	if (path)
		snprintf(path, len, "%s/%s", dir, name);
	return path;
}

enum pv_status pv_team_import_dir(struct pv_db *db, const char *dir,
				  const struct pv_team_import_options *opts,
				  struct pv_team_counts *counts, struct pv_error *err)
{
	char *units_path = NULL, *people_path = NULL, *units = NULL, *people = NULL;
	size_t units_len = 0, people_len = 0;
	enum pv_status status = PV_OK;

	units_path = path_join(dir, "units.csv");
	people_path = path_join(dir, "people.csv");
	if (!units_path || !people_path)
		status = no_memory(err);
	if (status == PV_OK)
		status = slurp(units_path, &units, &units_len, err);
	if (status == PV_OK)
		status = slurp(people_path, &people, &people_len, err);
	if (status == PV_OK)
		status = pv_team_import(db, units, units_len, units_path, people, people_len,
					people_path, opts, counts, err);
	free(units);
	free(people);
	free(units_path);
	free(people_path);
	return status;
}

/* ---- the command line's single records ---- */

enum pv_status pv_team_add_unit(struct pv_db *db, const struct pv_unit_spec *spec,
				bool update, struct pv_error *err)
{
	const char *fields[U_FIELDS] = { spec->slug, spec->name, spec->type, spec->grades,
					 spec->group, spec->apen_dor_weekday, spec->apen_dor_start,
					 spec->apen_dor_minutes, spec->apen_dor_every };
	struct row row = { { NULL, 0 }, NULL, fields };
	struct unit_rec u = { 0 };
	const struct unit_rec *was;
	struct edit e;
	enum pv_status status;

	status = edit_begin(db, &e, false, err);
	if (status != PV_OK)
		goto out;
	was = spec->slug ? roster_find_unit(e.new, spec->slug) : NULL;
	if (was && !update)
		status = pv_error_set(err, PV_EDATA, "unit '%s' exists (use --update to "
				      "change it)", spec->slug);
	else if (!was && update)
		status = pv_error_set(err, PV_EDATA, "no unit '%s' to update", spec->slug);
	else if (!was && !spec->type)
		status = pv_error_set(err, PV_EDATA, "unit '%s' needs a type", spec->slug);
	else if (!spec->slug)
		status = pv_error_set(err, PV_EDATA, "a unit needs an id");
	if (status != PV_OK)
		goto out;
	if (was)
		u.pub = was->pub;
	status = unit_from_row(&row, &u, err);
	if (status == PV_OK && !roster_put_unit(e.new, &u))
		status = no_memory(err);
	if (status == PV_OK)
		status = edit_commit(db, &e, NULL, err);
out:
	edit_end(&e);
	return status;
}

enum pv_status pv_team_add_person(struct pv_db *db, const struct pv_person_spec *spec,
				  bool update, struct pv_error *err)
{
	const char *fields[P_FIELDS] = { spec->slug, spec->name, spec->email, spec->home,
					 spec->roles, spec->units, spec->substitute };
	struct row row = { { NULL, 0 }, NULL, fields };
	const struct person_rec *was;
	struct edit e;
	enum pv_status status;

	status = edit_begin(db, &e, false, err);
	if (status != PV_OK)
		goto out;
	if (!spec->slug) {
		status = pv_error_set(err, PV_EDATA, "a person needs an id");
		goto out;
	}
	was = roster_find_person(e.new, spec->slug);
	if (was && !update)
		status = pv_error_set(err, PV_EDATA, "person '%s' exists (use --update to "
				      "change them)", spec->slug);
	else if (!was && update)
		status = pv_error_set(err, PV_EDATA, "no person '%s' to update", spec->slug);
	if (status == PV_OK)
		status = person_from_row(e.new, &row, was ? &was->pub : NULL, err);
	if (status == PV_OK)
		status = edit_commit(db, &e, NULL, err);
out:
	edit_end(&e);
	return status;
}

static enum pv_status need_person_and_unit(struct pv_roster *r, const char *person,
					   const char *unit, struct pv_error *err)
{
	if (!roster_find_person(r, person))
		return pv_error_set(err, PV_EDATA, "no person '%s'", person);
	if (!roster_find_unit(r, unit))
		return pv_error_set(err, PV_EDATA, "no unit '%s'", unit);
	return PV_OK;
}

enum pv_status pv_team_assign(struct pv_db *db, const char *person, const char *unit,
			      const char *role, bool *added, struct pv_error *err)
{
	struct asg_rec a = { .person = person, .unit = unit };
	struct edit e;
	enum pv_status status;
	char hint[128];
	bool was_added = false;

	status = edit_begin(db, &e, false, err);
	if (status == PV_OK)
		status = need_person_and_unit(e.new, person, unit, err);
	if (status == PV_OK && !pv_team_role_parse(e.rules, role, &a.role)) {
		team_role_hint(e.rules, role, hint, sizeof hint);
		status = pv_error_set(err, PV_EDATA, "unknown role '%s'%s", role, hint);
	}
	if (status == PV_OK && !roster_put_asg(e.new, &a, &was_added))
		status = no_memory(err);
	if (status == PV_OK)
		status = edit_commit(db, &e, NULL, err);
	if (status == PV_OK && added)
		*added = was_added;
	edit_end(&e);
	return status;
}

enum pv_status pv_team_unassign(struct pv_db *db, const char *person, const char *unit,
				const char *role, int *removed, struct pv_error *err)
{
	const char *canonical = NULL;
	struct edit e;
	enum pv_status status;
	int n = 0;

	status = edit_begin(db, &e, false, err);
	if (status == PV_OK)
		status = need_person_and_unit(e.new, person, unit, err);
	if (status == PV_OK && role && !pv_team_role_parse(e.rules, role, &canonical))
		status = pv_error_set(err, PV_EDATA, "unknown role '%s'", role);
	for (size_t i = 0; status == PV_OK && i < e.new->nasg; i++) {
		struct asg_rec *a = &e.new->asg[i];
		if (a->deleted || strcmp(a->person, person) || strcmp(a->unit, unit) ||
		    (canonical && strcmp(a->role, canonical)))
			continue;
		a->deleted = true;
		n++;
	}
	if (status == PV_OK && n == 0)
		status = canonical ?
			pv_error_set(err, PV_EDATA, "'%s' does not serve '%s' as %s", person,
				     unit, canonical) :
			pv_error_set(err, PV_EDATA, "'%s' does not serve '%s'", person, unit);
	if (status == PV_OK)
		status = edit_commit(db, &e, NULL, err);
	if (status == PV_OK && removed)
		*removed = n;
	edit_end(&e);
	return status;
}

/* ---- dependents and removal ---- */

/*
 * What uses a unit or a person, one query each: the roster's own links,
 * the planned meetings (lib/schedule.c) and the open stafettlogger
 * (lib/stafett.c; they keep slugs without foreign keys, so removing
 * with --force leaves them to be handed over). A module that adds more
 * things pointing at units or people adds a UNION ALL arm here. Every
 * '?' is bound to the slug asked about.
 */
static const char unit_dependents_sql[] =
	"SELECT 'serves' AS kind, person AS slug, role AS detail"
	"  FROM assignment WHERE unit = ?"
	" UNION ALL SELECT 'home', slug, '' FROM person WHERE home_unit = ?"
	" UNION ALL SELECT 'member', slug, '' FROM unit WHERE group_slug = ?"
	" UNION ALL SELECT 'meeting', uid, date || ' ' || kind FROM meeting"
	"  WHERE status = 'planned' AND (unit = ? OR host = ?)"
	" UNION ALL SELECT 'stafett', ref, 'unit' FROM stafett"
	"  WHERE closed IS NULL AND unit = ?"
	" ORDER BY 1, 2, 3";

static const char person_dependents_sql[] =
	"SELECT 'serves' AS kind, unit AS slug, role AS detail"
	"  FROM assignment WHERE person = ?"
	" UNION ALL SELECT 'substitute-for', slug, '' FROM person WHERE substitute = ?"
	" UNION ALL SELECT 'meeting', m.uid, m.date || ' ' || m.kind FROM meeting m"
	"  WHERE m.status = 'planned' AND (m.leader = ? OR EXISTS (SELECT 1"
	"    FROM meeting_participant p WHERE p.meeting = m.id"
	"    AND (p.person = ? OR p.substitute_for = ?)))"
	" UNION ALL SELECT 'stafett', ref, 'holder' FROM stafett"
	"  WHERE closed IS NULL AND holder = ?"
	" UNION ALL SELECT 'stafett', ref, 'handover' FROM stafett"
	"  WHERE closed IS NULL AND pending_to = ?"
	" UNION ALL SELECT 'stafett', s.ref, 'tiltak ' || t.number"
	"  FROM stafett_tiltak t JOIN stafett s ON s.id = t.stafett"
	"  WHERE s.closed IS NULL AND t.ended IS NULL AND t.responsible = ?"
	" ORDER BY 1, 2, 3";

/* Meetings of any status (the log keeps held ones) that point at it:
 * those rows belong to the schedule, so the roster never deletes them. */
static const char unit_meetings_sql[] =
	"SELECT COUNT(*) FROM meeting WHERE unit = ? OR host = ?";
static const char person_meetings_sql[] =
	"SELECT COUNT(*) FROM meeting m WHERE m.leader = ? OR EXISTS (SELECT 1"
	"  FROM meeting_participant p WHERE p.meeting = m.id"
	"  AND (p.person = ? OR p.substitute_for = ?))";

static enum pv_status count_meetings(struct pv_db *db, const char *slug, bool unit,
				     long long *count, struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;

	*count = 0;
	status = pv_db_prepare(db, unit ? unit_meetings_sql : person_meetings_sql, &stmt, err);
	if (status != PV_OK)
		return status;
	for (int i = 1; i <= sqlite3_bind_parameter_count(stmt); i++)
		sqlite3_bind_text(stmt, i, slug, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*count = sqlite3_column_int64(stmt, 0);
	else
		status = pv_db_fail(db, "cannot count meetings", err);
	sqlite3_finalize(stmt);
	return status;
}

static enum pv_status refuse_meetings(struct pv_db *db, const char *slug, bool unit,
				      struct pv_error *err)
{
	long long n;
	enum pv_status status = count_meetings(db, slug, unit, &n, err);

	if (status != PV_OK || n == 0)
		return status;
	if (n == 1)
		return pv_error_set(err, PV_EDATA,
				    unit ? N_("cannot remove '%s': %lld meeting in the plan or the "
					      "log refers to it; cancel or re-plan it with "
					      "'patvers schedule' first")
					 : N_("cannot remove '%s': %lld meeting in the plan or the "
					      "log refers to them; cancel or re-plan it with "
					      "'patvers schedule' first"), slug, n);
	return pv_error_set(err, PV_EDATA,
			    unit ? N_("cannot remove '%s': %lld meetings in the plan or the log "
				      "refer to it; cancel or re-plan them with 'patvers schedule' "
				      "first")
				 : N_("cannot remove '%s': %lld meetings in the plan or the log "
				      "refer to them; cancel or re-plan them with 'patvers "
				      "schedule' first"), slug, n);
}

static enum pv_status find_kind(struct pv_db *db, const char *slug, bool *unit,
				bool *person, struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;
	int rc;

	*unit = *person = false;
	status = pv_db_prepare(db,
			       "SELECT 'unit' FROM unit WHERE slug = ?"
			       " UNION ALL SELECT 'person' FROM person WHERE slug = ?",
			       &stmt, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(stmt, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, slug, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (strcmp((const char *)sqlite3_column_text(stmt, 0), "unit") == 0)
			*unit = true;
		else
			*person = true;
	}
	if (rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the roster", err);
	sqlite3_finalize(stmt);
	return status;
}

enum pv_status pv_team_dependents(struct pv_db *db, const char *slug,
				  pv_team_dependent_fn fn, void *arg, int *count,
				  struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;
	bool unit, person;
	int rc, n = 0;

	if (count)
		*count = 0;
	status = find_kind(db, slug, &unit, &person, err);
	if (status != PV_OK || (!unit && !person))
		return status;
	status = pv_db_prepare(db, unit ? unit_dependents_sql : person_dependents_sql, &stmt,
			       err);
	if (status != PV_OK)
		return status;
	for (int i = 1; i <= sqlite3_bind_parameter_count(stmt); i++)
		sqlite3_bind_text(stmt, i, slug, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(stmt, 2);
		struct pv_team_dependent d = {
			(const char *)sqlite3_column_text(stmt, 0),
			(const char *)sqlite3_column_text(stmt, 1),
			detail ? detail : "",
		};
		if (fn)
			fn(&d, arg);
		n++;
	}
	if (rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read what depends on it", err);
	sqlite3_finalize(stmt);
	if (count)
		*count = n;
	return status;
}

/* The dependents as one line for an error message. */
struct dep_text {
	char buf[900];
	char kind[32];       /* the kind being listed */
	int in_kind;         /* of that kind so far */
	int total, homes;
	bool force;
	bool person;
};

/* Each kind lists this many; the rest are counted. */
#define DEPS_SHOWN 4

static const char *kind_phrase(const char *kind, bool person)
{
	if (strcmp(kind, "serves") == 0)
		return person ? "serves" : "served by";
	if (strcmp(kind, "home") == 0)
		return "home unit of";
	if (strcmp(kind, "member") == 0)
		return "group of";
	if (strcmp(kind, "substitute-for") == 0)
		return "substitute for";
	if (strcmp(kind, "meeting") == 0)
		return "planned meetings";
	if (strcmp(kind, "stafett") == 0)
		return "open stafettlogger";
	return kind;
}

static void dep_append(struct dep_text *t, const char *fmt, const char *a, const char *b,
		       const char *c)
{
	size_t used = strlen(t->buf);

	snprintf(t->buf + used, sizeof t->buf - used, fmt, a, b, c);
}

/* Closes the kind being listed with "(+N more)". */
static void dep_flush(struct dep_text *t)
{
	char more[32];

	if (t->in_kind <= DEPS_SHOWN)
		return;
	snprintf(more, sizeof more, "%d", t->in_kind - DEPS_SHOWN);
	dep_append(t, " (+%s more%s%s)", more, "", "");
}

static void describe_dep(const struct pv_team_dependent *d, void *arg)
{
	struct dep_text *t = arg;

	t->total++;
	if (strcmp(d->kind, "home") == 0)
		t->homes++;
	/* With --force only what force cannot undo is worth listing. */
	if (t->force && strcmp(d->kind, "home") != 0)
		return;
	if (strcmp(t->kind, d->kind) != 0) {
		dep_flush(t);
		dep_append(t, "%s%s ", *t->buf ? "; " : "", kind_phrase(d->kind, t->person), "");
		snprintf(t->kind, sizeof t->kind, "%s", d->kind);
		t->in_kind = 0;
	}
	if (t->in_kind++ >= DEPS_SHOWN)
		return;
	dep_append(t, t->in_kind > 1 ? ", %s" : "%s", d->slug, "", "");
	if (*d->detail)
		dep_append(t, " (%s)", d->detail, "", "");
}

/* Takes `slug` and what hangs on it out of the working roster. */
static void detach(struct pv_roster *r, const char *slug, bool unit)
{
	for (size_t i = 0; i < r->nasg; i++) {
		struct asg_rec *a = &r->asg[i];
		if (!a->deleted && strcmp(unit ? a->unit : a->person, slug) == 0)
			a->deleted = true;
	}
	for (size_t i = 0; unit && i < r->nunits; i++) {
		struct unit_rec *u = &r->units[i];
		if (!u->deleted && u->pub.group && strcmp(u->pub.group, slug) == 0)
			u->pub.group = NULL;
	}
	for (size_t i = 0; !unit && i < r->npeople; i++) {
		struct person_rec *p = &r->people[i];
		if (!p->deleted && p->pub.substitute && strcmp(p->pub.substitute, slug) == 0)
			p->pub.substitute = NULL;
	}
	if (unit)
		roster_delete_unit(r, slug);
	else
		roster_delete_person(r, slug);
}

enum pv_status pv_team_remove(struct pv_db *db, const char *slug, bool force,
			      pv_team_dependent_fn fn, void *arg, struct pv_error *err)
{
	struct dep_text t = { .force = force };
	bool unit, person;
	struct edit e;
	enum pv_status status;

	status = find_kind(db, slug, &unit, &person, err);
	if (status != PV_OK)
		return status;
	if (!unit && !person)
		return pv_error_set(err, PV_EDATA, "no unit or person '%s'", slug);
	t.person = !unit;
	status = pv_team_dependents(db, slug, describe_dep, &t, NULL, err);
	if (status != PV_OK)
		return status;
	dep_flush(&t);
	if (t.homes)
		return pv_error_set(err, PV_EDATA,
				    "cannot remove '%s': it is the %s; move or remove them "
				    "first", slug, t.buf);
	if (t.total && !force)
		return pv_error_set(err, PV_EDATA, "'%s' is in use: %s; use --force to "
				    "remove it anyway", slug, t.buf);
	status = refuse_meetings(db, slug, unit, err);
	if (status != PV_OK)
		return status;
	status = edit_begin(db, &e, false, err);
	if (status == PV_OK && fn)
		status = pv_team_dependents(db, slug, fn, arg, NULL, err);
	if (status == PV_OK) {
		detach(e.new, slug, unit);
		status = edit_commit(db, &e, NULL, err);
	}
	edit_end(&e);
	return status;
}
