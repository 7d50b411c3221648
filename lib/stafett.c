/* Stafettlogger in the store: loading them whole, and the checks every change shares. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/anonymity.h"
#include "patvers/audit.h"
#include "patvers/consent.h"
#include "stafett-internal.h"

static const char *const reason_names[] = {
	"goal-met", "parents-request", "moved", "other",
};

static const char *const kind_names[PV_STAFETT_KINDS] = {
	"opened", "goal", "tiltak", "evaluation", "note", "level", "handover", "accepted",
	"declined", "closed",
};

const char *pv_stafett_reason_name(enum pv_stafett_reason reason)
{
	return (unsigned)reason <= PV_STAFETT_OTHER ? reason_names[reason] : "unknown";
}

bool pv_stafett_reason_parse(const char *text, enum pv_stafett_reason *out)
{
	for (int i = 0; text && i <= PV_STAFETT_OTHER; i++)
		if (strcmp(text, reason_names[i]) == 0) {
			*out = (enum pv_stafett_reason)i;
			return true;
		}
	return false;
}

const char *pv_stafett_kind_name(enum pv_stafett_kind kind)
{
	return (unsigned)kind < PV_STAFETT_KINDS ? kind_names[kind] : "unknown";
}

static bool kind_parse(const char *text, enum pv_stafett_kind *out)
{
	for (int i = 0; text && i < PV_STAFETT_KINDS; i++)
		if (strcmp(text, kind_names[i]) == 0) {
			*out = (enum pv_stafett_kind)i;
			return true;
		}
	return false;
}

/* ---- the list: logs and everything they point to ---- */

struct pv_stafett_logs {
	struct pv_stafett *v;
	size_t n, cap;
	void **blocks;            /* strings and arrays, each malloc'ed */
	size_t nblocks, blocks_cap;
	bool oom;
};

void pv_stafett_logs_free(struct pv_stafett_logs *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nblocks; i++)
		free(l->blocks[i]);
	free(l->blocks);
	free(l->v);
	free(l);
}

size_t pv_stafett_logs_count(const struct pv_stafett_logs *l)
{
	return l ? l->n : 0;
}

const struct pv_stafett *pv_stafett_logs_at(const struct pv_stafett_logs *l, size_t i)
{
	return l && i < l->n ? &l->v[i] : NULL;
}

/* Hands `block` (may be NULL) to the list; on failure frees it. */
static void *own(struct pv_stafett_logs *l, void *block)
{
	if (!block) {
		l->oom = true;
		return NULL;
	}
	if (l->nblocks == l->blocks_cap) {
		size_t cap = l->blocks_cap ? l->blocks_cap * 2 : 64;
		void **grown = realloc(l->blocks, cap * sizeof *grown);
		if (!grown) {
			free(block);
			l->oom = true;
			return NULL;
		}
		l->blocks = grown;
		l->blocks_cap = cap;
	}
	l->blocks[l->nblocks++] = block;
	return block;
}

static const char *col_text(struct pv_stafett_logs *l, sqlite3_stmt *st, int col)
{
	const unsigned char *text = sqlite3_column_text(st, col);

	return text ? own(l, strdup((const char *)text)) : NULL;
}

/* A stored date; 0 for NULL (and for text that does not parse, which
 * pv_db_check's constraints make impossible). */
static pv_date col_date(sqlite3_stmt *st, int col)
{
	const unsigned char *text = sqlite3_column_text(st, col);
	pv_date d = 0;

	if (text && !pv_date_parse((const char *)text, &d))
		d = 0;
	return d;
}

static const char logs_sql[] =
	"SELECT s.id, s.ref, s.unit, u.name, s.holder, p.name, pu.service, s.level,"
	"  s.opened, s.level_since, s.decided, s.pending_to, q.name, qu.service,"
	"  s.pending_since, s.closed, s.close_reason, s.exported"
	" FROM stafett s"
	" LEFT JOIN unit u ON u.slug = s.unit"
	" LEFT JOIN person p ON p.slug = s.holder"
	" LEFT JOIN unit pu ON pu.slug = p.home_unit"
	" LEFT JOIN person q ON q.slug = s.pending_to"
	" LEFT JOIN unit qu ON qu.slug = q.home_unit"
	" WHERE (?1 IS NULL OR s.ref = ?1) AND (?2 IS NULL OR s.holder = ?2)"
	"  AND (?3 IS NULL OR s.unit = ?3) AND (?4 < 0 OR s.level = ?4)"
	"  AND (?5 = 1 OR s.closed IS NULL)"
	"  AND (?6 = 0 OR s.id = (SELECT max(x.id) FROM stafett x WHERE x.ref = s.ref))"
	" ORDER BY s.ref, s.id";

static const char entries_sql[] =
	"SELECT e.id, e.date, e.kind, e.person, p.name, e.level, e.tiltak, e.due, e.detail,"
	"  e.text"
	" FROM stafett_entry e LEFT JOIN person p ON p.slug = e.person"
	" WHERE e.stafett = ? ORDER BY e.date, e.id";

static const char tiltak_sql[] =
	"SELECT t.number, t.what, t.responsible, p.name, u.service, t.started, t.evaluate_by,"
	"  t.evaluated, t.ended,"
	"  (SELECT count(*) FROM stafett_entry e WHERE e.stafett = t.stafett"
	"    AND e.kind = 'evaluation' AND e.tiltak = t.number)"
	" FROM stafett_tiltak t"
	" LEFT JOIN person p ON p.slug = t.responsible"
	" LEFT JOIN unit u ON u.slug = p.home_unit"
	" WHERE t.stafett = ? ORDER BY t.number";

static enum pv_status corrupt(struct pv_error *err, long long id)
{
	return pv_error_set(err, PV_EDATA, "stafettlogg %lld: a stored value does not parse "
			    "(run 'patvers db check')", id);
}

static enum pv_status load_entries(struct pv_db *db, struct pv_stafett_logs *l,
				   struct pv_stafett *s, sqlite3_stmt *st, struct pv_error *err)
{
	struct pv_stafett_entry *v = NULL;
	size_t n = 0, cap = 0;
	enum pv_status status = PV_OK;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, s->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pv_stafett_entry *e;

		if (n == cap) {
			size_t c = cap ? cap * 2 : 16;
			struct pv_stafett_entry *grown = realloc(v, c * sizeof *grown);
			if (!grown) {
				l->oom = true;
				break;
			}
			v = grown;
			cap = c;
		}
		e = &v[n++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(st, 0);
		e->date = col_date(st, 1);
		e->person = col_text(l, st, 3);
		e->person_name = col_text(l, st, 4);
		e->level = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1
								     : sqlite3_column_int(st, 5);
		e->tiltak = sqlite3_column_int(st, 6);
		e->due = col_date(st, 7);
		e->detail = col_text(l, st, 8);
		e->text = col_text(l, st, 9);
		if (!e->text)
			e->text = "";
		if (!kind_parse((const char *)sqlite3_column_text(st, 2), &e->kind) || !e->date) {
			status = corrupt(err, s->id);
			break;
		}
		if (e->kind == PV_STAFETT_GOAL)
			s->ngoals++;
		if (e->kind == PV_STAFETT_OPENED && !s->concern)
			s->concern = e->text;
	}
	if (v)
		own(l, v);
	s->entries = v;
	s->nentries = n;
	if (status == PV_OK && !l->oom && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the stafettlogg", err);
	return status;
}

static enum pv_status load_tiltak(struct pv_db *db, struct pv_stafett_logs *l,
				  struct pv_stafett *s, sqlite3_stmt *st, struct pv_error *err)
{
	struct pv_stafett_tiltak *v = NULL;
	size_t n = 0, cap = 0;
	enum pv_status status = PV_OK;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, s->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pv_stafett_tiltak *t;

		if (n == cap) {
			size_t c = cap ? cap * 2 : 8;
			struct pv_stafett_tiltak *grown = realloc(v, c * sizeof *grown);
			if (!grown) {
				l->oom = true;
				break;
			}
			v = grown;
			cap = c;
		}
		t = &v[n++];
		memset(t, 0, sizeof *t);
		t->number = sqlite3_column_int(st, 0);
		t->what = col_text(l, st, 1);
		t->responsible = col_text(l, st, 2);
		t->responsible_name = col_text(l, st, 3);
		t->responsible_service = col_text(l, st, 4);
		t->started = col_date(st, 5);
		t->evaluate_by = col_date(st, 6);
		t->evaluated = col_date(st, 7);
		t->ended = col_date(st, 8);
		t->evaluations = sqlite3_column_int(st, 9);
		if (!l->oom && (!t->what || !t->responsible || !t->started || !t->evaluate_by)) {
			status = corrupt(err, s->id);
			break;
		}
	}
	if (v)
		own(l, v);
	s->tiltak = v;
	s->ntiltak = n;
	if (status == PV_OK && !l->oom && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the stafettlogg", err);
	return status;
}

static struct pv_stafett *grow(struct pv_stafett_logs *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct pv_stafett *v = realloc(l->v, cap * sizeof *v);

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof l->v[0]);
	return &l->v[l->n++];
}

static enum pv_status read_log(struct pv_stafett_logs *l, sqlite3_stmt *st, struct pv_error *err)
{
	struct pv_stafett *s = grow(l);
	const char *reason;

	if (!s) {
		l->oom = true;
		return PV_OK;
	}
	s->id = sqlite3_column_int64(st, 0);
	s->ref = col_text(l, st, 1);
	s->unit = col_text(l, st, 2);
	s->unit_name = col_text(l, st, 3);
	s->holder = col_text(l, st, 4);
	s->holder_name = col_text(l, st, 5);
	s->holder_service = col_text(l, st, 6);
	s->level = sqlite3_column_int(st, 7);
	s->opened = col_date(st, 8);
	s->level_since = col_date(st, 9);
	s->decided = col_date(st, 10);
	s->pending_to = col_text(l, st, 11);
	s->pending_to_name = col_text(l, st, 12);
	s->pending_to_service = col_text(l, st, 13);
	s->pending_since = col_date(st, 14);
	s->closed = col_date(st, 15);
	s->exported = col_date(st, 17);
	reason = (const char *)sqlite3_column_text(st, 16);
	if (l->oom)
		return PV_OK;
	if (!s->ref || !s->unit || !s->holder || !s->opened || !s->level_since ||
	    (s->closed && !pv_stafett_reason_parse(reason, &s->reason)))
		return corrupt(err, s->id);
	return PV_OK;
}

static enum pv_status load(struct pv_db *db, const struct pv_stafett_filter *filter,
			   bool newest, struct pv_stafett_logs **out, struct pv_error *err)
{
	struct pv_stafett_filter all = { .level = -1 };
	struct pv_stafett_logs *l = calloc(1, sizeof *l);
	sqlite3_stmt *st = NULL, *est = NULL, *tst = NULL;
	enum pv_status status;
	int rc = SQLITE_DONE;

	*out = NULL;
	if (!l)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	if (!filter)
		filter = &all;
	status = pv_db_prepare(db, logs_sql, &st, err);
	if (status == PV_OK)
		status = pv_db_prepare(db, entries_sql, &est, err);
	if (status == PV_OK)
		status = pv_db_prepare(db, tiltak_sql, &tst, err);
	if (status == PV_OK) {
		sqlite3_bind_text(st, 1, filter->ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, filter->holder, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, filter->unit, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, filter->level >= 0 && filter->level <= 3 ? filter->level
										   : -1);
		sqlite3_bind_int(st, 5, filter->include_closed || newest);
		sqlite3_bind_int(st, 6, newest);
	}
	while (status == PV_OK && !l->oom && (rc = sqlite3_step(st)) == SQLITE_ROW)
		status = read_log(l, st, err);
	if (status == PV_OK && !l->oom && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the stafettlogger", err);
	sqlite3_finalize(st);
	for (size_t i = 0; status == PV_OK && !l->oom && i < l->n; i++) {
		status = load_entries(db, l, &l->v[i], est, err);
		if (status == PV_OK && !l->oom)
			status = load_tiltak(db, l, &l->v[i], tst, err);
	}
	sqlite3_finalize(est);
	sqlite3_finalize(tst);
	if (status == PV_OK && l->oom)
		status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	if (status != PV_OK) {
		pv_stafett_logs_free(l);
		return status;
	}
	*out = l;
	return PV_OK;
}

enum pv_status pv_stafett_logs_load(struct pv_db *db, const struct pv_stafett_filter *filter,
				    struct pv_stafett_logs **out, struct pv_error *err)
{
	return load(db, filter, false, out, err);
}

enum pv_status pv_stafett_load(struct pv_db *db, const struct pv_rules *rules,
			       const char *ref, struct pv_stafett_logs **out,
			       struct pv_error *err)
{
	struct pv_stafett_filter f = { .ref = ref, .level = -1 };
	enum pv_status status;

	*out = NULL;
	status = pv_consent_ref_check(rules, "reference", ref, err);
	if (status == PV_OK)
		status = load(db, &f, true, out, err);
	if (status == PV_OK && (*out)->n == 0) {
		pv_stafett_logs_free(*out);
		*out = NULL;
		status = pv_error_set(err, PV_EDATA, "no stafettlogg '%s' (see 'patvers stafett "
				      "list')", ref);
	}
	return status;
}

/* ---- checks every change shares ---- */

enum pv_status stafett_open_log(struct pv_db *db, const struct pv_rules *rules,
				const char *ref, pv_date date, struct pv_stafett_logs **logs,
				const struct pv_stafett **log, struct pv_error *err)
{
	const struct pv_stafett *s;
	char d1[11], d2[11];
	enum pv_status status = pv_stafett_load(db, rules, ref, logs, err);

	*log = NULL;
	if (status != PV_OK)
		return status;
	s = pv_stafett_logs_at(*logs, 0);
	if (s->closed)
		status = pv_error_set(err, PV_EDATA, "stafettlogg '%s' was closed on %s (%s): "
				      "open a new one to take the case up again", ref,
				      pv_date_format(s->closed, d1),
				      pv_stafett_reason_name(s->reason));
	else if (!date)
		status = pv_error_set(err, PV_EDATA, "a change to a stafettlogg needs its date");
	else if (date < s->opened)
		status = pv_error_set(err, PV_EDATA, "%s is before stafettlogg '%s' was opened "
				      "(%s)", pv_date_format(date, d1), ref,
				      pv_date_format(s->opened, d2));
	if (status != PV_OK) {
		pv_stafett_logs_free(*logs);
		*logs = NULL;
		return status;
	}
	*log = s;
	return PV_OK;
}

/* Free text in a log stays short: notes, not reports. */
#define MAX_TEXT 2000

enum pv_status stafett_guard(const struct pv_rules *rules, const char *field,
			     const char *text, bool required, struct pv_error *err)
{
	size_t len = text ? strlen(text) : 0;

	if (required && strspn(text ? text : "", " \t\r\n") == len)
		return pv_error_set(err, PV_EDATA, "%s: write what it is (not empty)", field);
	if (len > MAX_TEXT)
		return pv_error_set(err, PV_EDATA, "%s: %zu bytes; a stafettlogg keeps short "
				    "notes (at most %d)", field, len, MAX_TEXT);
	return pv_anonymity_check(rules, field, text, err);
}

enum pv_status stafett_person(struct pv_db *db, const char *field, const char *slug,
			      char service[32], struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status;
	int rc;

	service[0] = '\0';
	if (!slug || !*slug)
		return pv_error_set(err, PV_EDATA, "%s: name a person (see 'patvers team list')",
				    field);
	status = pv_db_prepare(db, "SELECT u.service FROM person p"
			       " LEFT JOIN unit u ON u.slug = p.home_unit WHERE p.slug = ?",
			       &st, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(service, 32, "%s", (const char *)sqlite3_column_text(st, 0));
	else if (rc == SQLITE_DONE)
		status = pv_error_set(err, PV_EDATA, "%s: no person '%s' (see 'patvers team "
				      "list')", field, slug);
	else if (rc != SQLITE_ROW)
		status = pv_db_fail(db, "cannot read the roster", err);
	sqlite3_finalize(st);
	return status;
}

enum pv_status stafett_unit(struct pv_db *db, const char *slug, struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status;
	int rc;

	if (!slug || !*slug)
		return pv_error_set(err, PV_EDATA, "--unit: name the unit that opens the log");
	status = pv_db_prepare(db, "SELECT 1 FROM unit WHERE slug = ?", &st, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		status = pv_error_set(err, PV_EDATA, "--unit: no unit '%s' (see 'patvers team "
				      "list')", slug);
	else if (rc != SQLITE_ROW)
		status = pv_db_fail(db, "cannot read the roster", err);
	sqlite3_finalize(st);
	return status;
}

/* A REF's consents belong to one unit (lib/consent.c); it must be the
 * log's, or the key means another child there. */
enum pv_status stafett_consent_unit(struct pv_db *db, const char *ref, const char *unit,
				    struct pv_error *err)
{
	struct pv_consent_filter f = { .ref = ref };
	struct pv_consents *list;
	enum pv_status status = pv_consents_load(db, &f, &list, err);

	if (status != PV_OK)
		return status;
	if (pv_consents_count(list) && strcmp(pv_consents_at(list, 0)->unit, unit) != 0)
		status = pv_error_set(err, PV_EDATA, "reference '%s' belongs to unit '%s' (its "
				      "consents), not '%s': each unit keeps its own keys", ref,
				      pv_consents_at(list, 0)->unit, unit);
	pv_consents_free(list);
	return status;
}

/* Adds `code` (may be NULL) to the set `v` once. */
static void add_service(const char **v, size_t *n, size_t max, const char *code)
{
	if (!code || !*code || *n == max)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp(v[i], code) == 0)
			return;
	v[(*n)++] = code;
}

enum pv_status stafett_consent(struct pv_db *db, const struct pv_stafett *log, int level,
			       pv_date date, const char *newcomer, const char *new_service,
			       struct pv_error *err)
{
	const char *services[64];
	char list[512] = "", inner[sizeof err->message];
	size_t n = 0, used = 0;
	enum pv_status status;

	if (new_service && !*new_service)
		new_service = NULL;
	if (level == 0) {
		/* anonymous: only another service than the holder's needs one */
		if (!new_service || (log->holder_service &&
				     strcmp(new_service, log->holder_service) == 0))
			return PV_OK;
		add_service(services, &n, 64, new_service);
	} else {
		add_service(services, &n, 64, log->holder_service);
		for (size_t i = 0; i < log->ntiltak; i++)
			if (!log->tiltak[i].ended)
				add_service(services, &n, 64, log->tiltak[i].responsible_service);
		add_service(services, &n, 64, log->pending_to_service);
		add_service(services, &n, 64, new_service);
	}
	status = stafett_consent_unit(db, log->ref, log->unit, err);
	if (status == PV_OK)
		status = pv_consent_check(db, log->ref, date, services, n, err);
	if (status != PV_EDATA)
		return status;
	snprintf(inner, sizeof inner, "%s", err->message);
	for (size_t i = 0; i < n && used < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
					 services[i]);
	if (level == 0)
		return pv_error_set(err, PV_EDATA, "stafettlogg '%s' is at level 0 (anonymous): "
				    "bringing in '%s' from %s needs a consent covering %s: %s",
				    log->ref, newcomer ? newcomer : "?", new_service, new_service,
				    inner);
	if (n == 0)
		return pv_error_set(err, PV_EDATA, "stafettlogg '%s' at level %d needs a valid "
				    "consent: %s", log->ref, level, inner);
	return pv_error_set(err, PV_EDATA, "stafettlogg '%s' at level %d needs a consent "
			    "covering %s: %s", log->ref, level, list, inner);
}

enum pv_status pv_stafett_consent_check(struct pv_db *db, const struct pv_stafett *log,
					int level, pv_date date, const char *newcomer,
					struct pv_error *err)
{
	char service[32] = "";
	enum pv_status status = PV_OK;

	if (newcomer)
		status = stafett_person(db, "person", newcomer, service, err);
	if (status == PV_OK)
		status = stafett_consent(db, log, level, date, newcomer, service, err);
	return status;
}

enum pv_status stafett_entry_add(struct pv_db *db, long long log, enum pv_stafett_kind kind,
				 pv_date date, const char *person, int level, int tiltak,
				 pv_date due, const char *detail, const char *text,
				 struct pv_error *err)
{
	sqlite3_stmt *st;
	char d[11], dd[11];
	enum pv_status status = pv_db_prepare(db,
		"INSERT INTO stafett_entry (stafett, date, kind, person, level, tiltak, due,"
		" detail, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err);

	if (status != PV_OK)
		return status;
	sqlite3_bind_int64(st, 1, log);
	sqlite3_bind_text(st, 2, pv_date_format(date, d), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, pv_stafett_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, person, -1, SQLITE_STATIC);
	if (level >= 0)
		sqlite3_bind_int(st, 5, level);
	if (tiltak > 0)
		sqlite3_bind_int(st, 6, tiltak);
	if (due)
		sqlite3_bind_text(st, 7, pv_date_format(due, dd), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, text ? text : "", -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		status = pv_db_fail(db, "cannot store the stafettlogg entry", err);
	sqlite3_finalize(st);
	/* the last export no longer holds everything */
	if (status == PV_OK)
		status = stafett_exec(db, err, "UPDATE stafett SET exported = NULL WHERE id = ?",
				      "i", log);
	return status;
}

/*
 * Runs one statement with parameters described by `types`: 'i' a long
 * long, 's' a string (NULL binds NULL), 'd' a pv_date (0 binds NULL).
 */
enum pv_status stafett_exec(struct pv_db *db, struct pv_error *err, const char *sql,
			    const char *types, ...)
{
	sqlite3_stmt *st;
	char dates[8][11];
	int ndates = 0;
	va_list ap;
	enum pv_status status = pv_db_prepare(db, sql, &st, err);

	if (status != PV_OK)
		return status;
	va_start(ap, types);
	for (int i = 0; types[i]; i++) {
		if (types[i] == 'i') {
			sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
		} else if (types[i] == 's') {
			sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_STATIC);
		} else {
			pv_date d = va_arg(ap, pv_date);
			if (d && ndates < 8)
				sqlite3_bind_text(st, i + 1, pv_date_format(d, dates[ndates++]), -1,
						  SQLITE_STATIC);
		}
	}
	va_end(ap);
	if (sqlite3_step(st) != SQLITE_DONE)
		status = pv_db_fail(db, "cannot store the stafettlogg", err);
	sqlite3_finalize(st);
	return status;
}

enum pv_status stafett_audit(struct pv_db *db, long long log, const char *unit,
			     struct pv_error *err, const char *fmt, ...)
{
	char what[300], summary[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	/* ids, slugs, dates and counts only: the REF is the unit's key to a
	 * child and the texts are about the child */
	snprintf(summary, sizeof summary, "stafett %lld (unit %s): %s", log, unit, what);
	return pv_audit_append(db, "stafett", summary, err);
}
