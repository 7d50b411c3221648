/* Consents in the store: recording, withdrawing, listing and checking them against a meeting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/anonymity.h"
#include "patvers/audit.h"
#include "patvers/consent.h"
#include "patvers/csvio.h"
#include "patvers/team.h"

static const char *const giver_names[] = { "foresatt", "elev" };
static const char *const form_names[] = { "written", "oral" };

const char *pv_consent_giver_name(enum pv_consent_giver g)
{
	return (unsigned)g <= PV_CONSENT_ELEV ? giver_names[g] : "unknown";
}

bool pv_consent_giver_parse(const char *text, enum pv_consent_giver *out)
{
	static const char *const foresatt[] = { "foresatt", "foresatte", "parent", "parents",
						"guardian", NULL };
	static const char *const elev[] = { "elev", "pupil", "student", NULL };

	for (int i = 0; foresatt[i]; i++)
		if (pv_csv_name_equal(text, foresatt[i]))
			return *out = PV_CONSENT_FORESATT, true;
	for (int i = 0; elev[i]; i++)
		if (pv_csv_name_equal(text, elev[i]))
			return *out = PV_CONSENT_ELEV, true;
	return false;
}

const char *pv_consent_form_name(enum pv_consent_form f)
{
	return (unsigned)f <= PV_CONSENT_ORAL ? form_names[f] : "unknown";
}

bool pv_consent_form_parse(const char *text, enum pv_consent_form *out)
{
	if (pv_csv_name_equal(text, "written") || pv_csv_name_equal(text, "skriftlig"))
		return *out = PV_CONSENT_WRITTEN, true;
	if (pv_csv_name_equal(text, "oral") || pv_csv_name_equal(text, "muntlig"))
		return *out = PV_CONSENT_ORAL, true;
	return false;
}

enum pv_status pv_consent_ref_check(const struct pv_rules *rules, const char *field,
				    const char *ref, struct pv_error *err)
{
	static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				   "0123456789._-";
	const char *f = field && *field ? field : "reference";
	size_t len = ref ? strlen(ref) : 0;

	if (len == 0 || len > 32 || strspn(ref, safe) != len)
		return pv_error_set(err, PV_EDATA, "%s: a consent reference is 1–32 of A–Z, "
				    "a–z, 0–9, '.', '_' and '-' (the unit's own key, e.g. "
				    "HOF-2026-07), never a name", f);
	if (!strpbrk(ref, "0123456789"))
		return pv_error_set(err, PV_EDATA, "%s: '%s' has no digit: use the unit's "
				    "case key (e.g. HOF-2026-07), never a name", f, ref);
	return pv_anonymity_check(rules, f, ref, err);
}

enum state { ACTIVE, EXPIRED, WITHDRAWN, FUTURE };

static enum state state_of(const struct pv_consent *c, pv_date day)
{
	if (c->withdrawn && c->withdrawn <= day)
		return WITHDRAWN;
	if (day < c->given)
		return FUTURE;
	if (c->expires && c->expires < day)
		return EXPIRED;
	return ACTIVE;
}

const char *pv_consent_state(const struct pv_consent *c, pv_date day)
{
	static const char *const names[] = { "active", "expired", "withdrawn", "future" };

	return names[state_of(c, day)];
}

static bool valid_on(const struct pv_consent *c, pv_date day)
{
	return state_of(c, day) == ACTIVE;
}

/* ---- the list: consents and the strings they point to ---- */

struct pv_consents {
	struct pv_consent *v;
	size_t n, cap;
	char **strings;
	size_t nstrings, strings_cap;
	const char ***service_arrays;     /* one per consent, owned */
};

void pv_consents_free(struct pv_consents *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->nstrings; i++)
		free(list->strings[i]);
	for (size_t i = 0; i < list->n; i++)
		free(list->service_arrays[i]);
	free(list->strings);
	free(list->service_arrays);
	free(list->v);
	free(list);
}

size_t pv_consents_count(const struct pv_consents *list)
{
	return list ? list->n : 0;
}

const struct pv_consent *pv_consents_at(const struct pv_consents *list, size_t i)
{
	return list && i < list->n ? &list->v[i] : NULL;
}

static const char *keep(struct pv_consents *l, const unsigned char *text, bool *oom)
{
	char *copy;

	if (!text)
		return NULL;
	if (l->nstrings == l->strings_cap) {
		size_t cap = l->strings_cap ? l->strings_cap * 2 : 32;
		char **grown = realloc(l->strings, cap * sizeof *grown);
		if (!grown)
			return *oom = true, NULL;
		l->strings = grown;
		l->strings_cap = cap;
	}
	if (!(copy = strdup((const char *)text)))
		return *oom = true, NULL;
	l->strings[l->nstrings++] = copy;
	return copy;
}

static struct pv_consent *grow(struct pv_consents *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct pv_consent *v = realloc(l->v, cap * sizeof *v);
		const char ***s;

		if (!v)
			return NULL;
		l->v = v;
		s = realloc(l->service_arrays, cap * sizeof *s);
		if (!s)
			return NULL;
		l->service_arrays = s;
		l->cap = cap;
	}
	l->service_arrays[l->n] = NULL;
	memset(&l->v[l->n], 0, sizeof l->v[0]);
	return &l->v[l->n++];
}

static pv_date column_date(sqlite3_stmt *st, int col)
{
	pv_date d = 0;
	const unsigned char *text = sqlite3_column_text(st, col);

	if (text && !pv_date_parse((const char *)text, &d))
		d = 0;
	return d;
}

static enum pv_status load_services(struct pv_db *db, struct pv_consents *l, size_t i,
				    sqlite3_stmt *st, struct pv_error *err)
{
	struct pv_consent *c = &l->v[i];
	const char **arr = NULL;
	size_t n = 0, cap = 0;
	bool oom = false;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n + 1 >= cap) {
			const char **grown;
			cap = cap ? cap * 2 : 8;
			grown = realloc(arr, cap * sizeof *grown);
			if (!grown) {
				oom = true;
				break;
			}
			arr = grown;
		}
		arr[n++] = keep(l, sqlite3_column_text(st, 0), &oom);
		arr[n] = NULL;
	}
	l->service_arrays[i] = arr;
	c->services = arr;
	c->nservices = n;
	if (oom)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return pv_db_fail(db, "cannot read consent services", err);
	return PV_OK;
}

enum pv_status pv_consents_load(struct pv_db *db, const struct pv_consent_filter *filter,
				struct pv_consents **out, struct pv_error *err)
{
	static const char sql[] =
		"SELECT id, ref, unit, given_by, form, given, expires, withdrawn FROM consent"
		" WHERE (?1 IS NULL OR ref = ?1) AND (?2 IS NULL OR unit = ?2)"
		"  AND (?3 IS NULL OR (given <= ?3 AND (withdrawn IS NULL OR withdrawn > ?3)"
		"       AND expires IS NOT NULL AND expires >= ?3 AND expires <= ?4))"
		" ORDER BY ref, given, id";
	static const char services_sql[] =
		"SELECT service FROM consent_service WHERE consent = ? ORDER BY service";
	struct pv_consent_filter none = { 0 };
	struct pv_consents *l = calloc(1, sizeof *l);
	sqlite3_stmt *st = NULL, *sst = NULL;
	char from[11], to[11];
	enum pv_status status;
	bool oom = false;
	int rc = SQLITE_DONE;

	*out = NULL;
	if (!l)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	if (!filter)
		filter = &none;
	status = pv_db_prepare(db, sql, &st, err);
	if (status == PV_OK)
		status = pv_db_prepare(db, services_sql, &sst, err);
	if (status == PV_OK) {
		bool expiring = filter->expiring_from && filter->expiring_to;
		sqlite3_bind_text(st, 1, filter->ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, filter->unit, -1, SQLITE_STATIC);
		if (expiring) {
			sqlite3_bind_text(st, 3, pv_date_format(filter->expiring_from, from), -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(st, 4, pv_date_format(filter->expiring_to, to), -1,
					  SQLITE_STATIC);
		}
	}
	while (status == PV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pv_consent *c = grow(l);
		const char *by, *form;

		if (!c) {
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
			break;
		}
		c->id = sqlite3_column_int64(st, 0);
		c->ref = keep(l, sqlite3_column_text(st, 1), &oom);
		c->unit = keep(l, sqlite3_column_text(st, 2), &oom);
		by = (const char *)sqlite3_column_text(st, 3);
		form = (const char *)sqlite3_column_text(st, 4);
		c->given = column_date(st, 5);
		c->expires = column_date(st, 6);
		c->withdrawn = column_date(st, 7);
		if (oom)
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
		else if (!by || !form || !pv_consent_giver_parse(by, &c->given_by) ||
			 !pv_consent_form_parse(form, &c->form) || !c->given)
			status = pv_error_set(err, PV_EDATA, "consent %lld: a stored value does "
					      "not parse (run 'patvers db check')", c->id);
		else
			status = load_services(db, l, l->n - 1, sst, err);
	}
	if (status == PV_OK && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read consents", err);
	sqlite3_finalize(st);
	sqlite3_finalize(sst);
	if (status != PV_OK) {
		pv_consents_free(l);
		return status;
	}
	*out = l;
	return PV_OK;
}

/* ---- adding and withdrawing ---- */

/* Splits "ppt, barnevern" into canonical service codes, sorted, each
 * once. *n gets the count; codes are static strings. */
static enum pv_status parse_services(const char *text, const char *codes[], size_t max,
				     size_t *n, struct pv_error *err)
{
	char buf[512], *save = NULL, *tok;

	*n = 0;
	if (!text || strlen(text) >= sizeof buf)
		return pv_error_set(err, PV_EDATA, "services: give the services as a list "
				    "such as ppt,barnevern");
	snprintf(buf, sizeof buf, "%s", text);
	for (tok = strtok_r(buf, ", ;", &save); tok; tok = strtok_r(NULL, ", ;", &save)) {
		enum pv_unit_kind kind;
		const char *code = NULL;
		size_t at = 0;

		if (!pv_unit_type_parse(tok, &kind, &code) || kind != PV_UNIT_SERVICE || !code)
			return pv_error_set(err, PV_EDATA, "services: '%s' is not a service "
					    "(ppt, bfs, barnevern, helse, ke, naervaer, "
					    "god-oppvekst, annen)", tok);
		while (at < *n && strcmp(codes[at], code) < 0)
			at++;
		if (at < *n && strcmp(codes[at], code) == 0)
			continue;
		if (*n == max)
			return pv_error_set(err, PV_EDATA, "services: too many services");
		memmove(codes + at + 1, codes + at, (*n - at) * sizeof codes[0]);
		codes[at] = code;
		(*n)++;
	}
	if (*n == 0)
		return pv_error_set(err, PV_EDATA, "services: name at least one service");
	return PV_OK;
}

/* The unit a REF already belongs to (malloc'ed, caller frees), or NULL. */
static enum pv_status ref_unit(struct pv_db *db, const char *ref, char **unit,
			       struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status = pv_db_prepare(db, "SELECT unit FROM consent WHERE ref = ?"
					      " ORDER BY id LIMIT 1", &st, err);
	int rc;

	*unit = NULL;
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*unit = strdup((const char *)sqlite3_column_text(st, 0));
		if (!*unit)
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	} else if (rc != SQLITE_DONE) {
		status = pv_db_fail(db, "cannot read consents", err);
	}
	sqlite3_finalize(st);
	return status;
}

static enum pv_status unit_exists(struct pv_db *db, const char *unit, struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status = pv_db_prepare(db, "SELECT 1 FROM unit WHERE slug = ?", &st, err);
	int rc;

	if (status != PV_OK)
		return status;
	sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		status = pv_error_set(err, PV_EDATA, "no unit '%s' (see 'patvers team list')", unit);
	else if (rc != SQLITE_ROW)
		status = pv_db_fail(db, "cannot read units", err);
	sqlite3_finalize(st);
	return status;
}

static enum pv_status check_spec(struct pv_db *db, const struct pv_rules *rules,
				 const struct pv_consent_spec *s, struct pv_error *err)
{
	long long age = pv_rules_int(rules, "consent.self_consent_age");
	char *owner = NULL;
	enum pv_status status = pv_consent_ref_check(rules, "--ref", s->ref, err);

	if (status != PV_OK)
		return status;
	if (!s->unit || !*s->unit)
		return pv_error_set(err, PV_EDATA, "a consent needs the unit it was given to");
	status = unit_exists(db, s->unit, err);
	if (status != PV_OK)
		return status;
	status = ref_unit(db, s->ref, &owner, err);
	if (status == PV_OK && owner && strcmp(owner, s->unit) != 0)
		status = pv_error_set(err, PV_EDATA, "reference '%s' belongs to unit '%s', not "
				      "'%s': each unit keeps its own keys", s->ref, owner, s->unit);
	free(owner);
	if (status != PV_OK)
		return status;
	if (!s->given)
		return pv_error_set(err, PV_EDATA, "a consent needs the date it was given");
	if (s->expires && s->expires < s->given) {
		char g[11], e[11];
		return pv_error_set(err, PV_EDATA, "the consent expires (%s) before it is given "
				    "(%s)", pv_date_format(s->expires, e),
				    pv_date_format(s->given, g));
	}
	if (s->given_by == PV_CONSENT_ELEV && s->age < 0)
		return pv_error_set(err, PV_EDATA, "a pupil consents alone only from age %lld: "
				    "give the pupil's age with --age (it is not stored)", age);
	if (s->given_by == PV_CONSENT_ELEV && s->age < age)
		return pv_error_set(err, PV_EDATA, "a pupil of %d cannot consent alone (the "
				    "rules' consent.self_consent_age is %lld): the parents "
				    "(foresatt) must consent", s->age, age);
	return PV_OK;
}

enum pv_status pv_consent_add(struct pv_db *db, const struct pv_rules *rules,
			      const struct pv_consent_spec *spec, long long *id,
			      struct pv_error *err)
{
	const char *codes[16];
	size_t n = 0;
	sqlite3_stmt *st = NULL;
	char given[11], expires[11], summary[200];
	long long new_id = 0;
	enum pv_status status = check_spec(db, rules, spec, err);

	if (status == PV_OK)
		status = parse_services(spec->services, codes, 16, &n, err);
	if (status == PV_OK)
		status = pv_db_prepare(db, "INSERT INTO consent (ref, unit, given_by, form, given,"
				       " expires) VALUES (?, ?, ?, ?, ?, ?)", &st, err);
	if (status == PV_OK) {
		sqlite3_bind_text(st, 1, spec->ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, spec->unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, pv_consent_giver_name(spec->given_by), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, pv_consent_form_name(spec->form), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, pv_date_format(spec->given, given), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, spec->expires ? pv_date_format(spec->expires, expires)
				  : NULL, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			status = pv_db_fail(db, "cannot store consent", err);
		new_id = sqlite3_last_insert_rowid(pv_db_handle(db));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (status == PV_OK)
		status = pv_db_prepare(db, "INSERT INTO consent_service (consent, service)"
				       " VALUES (?, ?)", &st, err);
	for (size_t i = 0; status == PV_OK && i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, new_id);
		sqlite3_bind_text(st, 2, codes[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			status = pv_db_fail(db, "cannot store consent", err);
	}
	sqlite3_finalize(st);
	/* the id and counts only: the REF is the unit's key to a child */
	if (status == PV_OK) {
		snprintf(summary, sizeof summary, "consent %lld (unit %s): added, %zu service%s, "
			 "given by %s, %s", new_id, spec->unit, n, n == 1 ? "" : "s",
			 pv_consent_giver_name(spec->given_by), pv_consent_form_name(spec->form));
		status = pv_audit_append(db, "consent", summary, err);
	}
	if (status == PV_OK && id)
		*id = new_id;
	return status;
}

enum pv_status pv_consent_withdraw(struct pv_db *db, const char *ref, pv_date date,
				   int *count, struct pv_error *err)
{
	struct pv_consent_filter f = { .ref = ref };
	struct pv_consents *l = NULL;
	sqlite3_stmt *st = NULL;
	char when[11], given[11], summary[160];
	int n = 0;
	enum pv_status status = pv_consents_load(db, &f, &l, err);

	if (count)
		*count = 0;
	if (status == PV_OK && pv_consents_count(l) == 0)
		status = pv_error_set(err, PV_EDATA, "no consent with reference '%s'", ref);
	if (status == PV_OK)
		status = pv_db_prepare(db, "UPDATE consent SET withdrawn = ? WHERE id = ?", &st,
				       err);
	pv_date_format(date, when);
	/* all checked before any is written */
	for (size_t i = 0; status == PV_OK && i < pv_consents_count(l); i++) {
		const struct pv_consent *c = pv_consents_at(l, i);

		if (!c->withdrawn && date < c->given)
			status = pv_error_set(err, PV_EDATA, "consent %lld of '%s' is given on %s, "
					      "after the withdrawal date %s", c->id, ref,
					      pv_date_format(c->given, given), when);
	}
	for (size_t i = 0; status == PV_OK && i < pv_consents_count(l); i++) {
		const struct pv_consent *c = pv_consents_at(l, i);

		if (c->withdrawn)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, when, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, c->id);
		if (sqlite3_step(st) != SQLITE_DONE) {
			status = pv_db_fail(db, "cannot withdraw consent", err);
			break;
		}
		snprintf(summary, sizeof summary, "consent %lld (unit %s): withdrawn on %s",
			 c->id, c->unit, when);
		status = pv_audit_append(db, "consent", summary, err);
		n++;
	}
	sqlite3_finalize(st);
	if (status == PV_OK && n == 0)
		status = pv_error_set(err, PV_EDATA, "every consent of '%s' is already withdrawn",
				      ref);
	pv_consents_free(l);
	if (status == PV_OK && count)
		*count = n;
	return status;
}

/* ---- checking a case ---- */

static bool covers(const struct pv_consent *c, const char *service)
{
	for (size_t i = 0; i < c->nservices; i++)
		if (strcmp(c->services[i], service) == 0)
			return true;
	return false;
}

/* Why consent c is not valid on `day`, in words. */
static enum pv_status explain(const struct pv_consent *c, pv_date day, const char *service,
			      struct pv_error *err)
{
	enum state state = state_of(c, day);
	char d[11], when[11], what[96] = "";

	pv_date_format(day, when);
	if (service)
		snprintf(what, sizeof what, " for %s", service);
	if (state == WITHDRAWN)
		return pv_error_set(err, PV_EDATA, "consent '%s'%s was withdrawn on %s (the "
				    "meeting is on %s)", c->ref, what,
				    pv_date_format(c->withdrawn, d), when);
	if (state == EXPIRED)
		return pv_error_set(err, PV_EDATA, "consent '%s'%s expired on %s (the meeting is "
				    "on %s)", c->ref, what, pv_date_format(c->expires, d), when);
	return pv_error_set(err, PV_EDATA, "consent '%s'%s is given on %s, after the meeting "
			    "(%s)", c->ref, what, pv_date_format(c->given, d), when);
}

/* The consent most telling about why `ref` is not valid on `day`: the
 * latest one given on or before the day, else the earliest. */
static const struct pv_consent *most_recent(const struct pv_consents *l, pv_date day,
					    const char *service)
{
	const struct pv_consent *best = NULL;

	for (size_t i = 0; i < l->n; i++) {
		const struct pv_consent *c = &l->v[i];
		if (service && !covers(c, service))
			continue;
		if (!best || (c->given <= day && (best->given > day || c->given >= best->given)))
			best = c;
	}
	return best;
}

enum pv_status pv_consent_check(struct pv_db *db, const char *ref, pv_date date,
				const char *const *services, size_t nservices,
				struct pv_error *err)
{
	struct pv_consent_filter f = { .ref = ref };
	struct pv_consents *l = NULL;
	enum pv_status status = pv_consents_load(db, &f, &l, err);
	bool any_valid = false;

	if (status != PV_OK)
		return status;
	if (l->n == 0) {
		pv_consents_free(l);
		return pv_error_set(err, PV_EDATA, "no consent with reference '%s' (see 'patvers "
				    "consent list')", ref);
	}
	for (size_t i = 0; i < l->n; i++)
		any_valid = any_valid || valid_on(&l->v[i], date);
	if (!any_valid) {
		status = explain(most_recent(l, date, NULL), date, NULL, err);
		pv_consents_free(l);
		return status;
	}
	for (size_t s = 0; s < nservices; s++) {
		const struct pv_consent *other;
		char covered[256] = "";
		size_t used = 0;
		bool ok = false;

		for (size_t i = 0; i < l->n && !ok; i++)
			ok = valid_on(&l->v[i], date) && covers(&l->v[i], services[s]);
		if (ok)
			continue;
		other = most_recent(l, date, services[s]);
		if (other) {
			status = explain(other, date, services[s], err);
			break;
		}
		/* what the valid consents do cover, each service once */
		for (size_t i = 0; i < l->n; i++) {
			if (!valid_on(&l->v[i], date))
				continue;
			for (size_t k = 0; k < l->v[i].nservices; k++) {
				const char *code = l->v[i].services[k];
				size_t n = strlen(code);
				char *hit = strstr(covered, code);
				if (hit && (hit[n] == ',' || hit[n] == '\0') &&
				    (hit == covered || hit[-1] == ' '))
					continue;
				used += (size_t)snprintf(covered + used, sizeof covered - used,
							 "%s%s", used ? ", " : "", code);
				if (used >= sizeof covered)
					used = sizeof covered - 1;
			}
		}
		status = pv_error_set(err, PV_EDATA, "consent '%s' does not cover %s, present at "
				      "the meeting (it covers %s)", ref, services[s], covered);
		break;
	}
	pv_consents_free(l);
	return status;
}
