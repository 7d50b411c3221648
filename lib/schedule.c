/* Meetings in the store: names, loading plans, inserting and updating. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/i18n.h"
#include "patvers/schedule.h"
#include "patvers/csvio.h"

/* Data; text output shows them translated (NC_: see patvers/i18n.h). */
static const char *const kind_names[PV_MEETING_KINDS] = {
	NC_("value", "systemmote"), NC_("value", "veiledningsteam"), NC_("value", "naervaer"),
	NC_("value", "god-oppvekst"), NC_("value", "apen-dor"),
};

/* Norwegian spellings people type, mapped to the kinds above. */
static const struct {
	const char *alias;
	enum pv_meeting_kind kind;
} kind_aliases[] = {
	{ "systemmøte", PV_MEETING_SYSTEMMOTE },
	{ "veiledningsteam", PV_MEETING_VEILEDNINGSTEAM },
	{ "tverrfaglig-veiledningsteam", PV_MEETING_VEILEDNINGSTEAM },
	{ "nærvær", PV_MEETING_NAERVAER },
	{ "nærværsteam", PV_MEETING_NAERVAER },
	{ "naervaersteam", PV_MEETING_NAERVAER },
	{ "god oppvekst", PV_MEETING_GOD_OPPVEKST },
	{ "åpen dør", PV_MEETING_APEN_DOR },
	{ "åpen-dør", PV_MEETING_APEN_DOR },
	{ "apen dor", PV_MEETING_APEN_DOR },
};

static const char *const status_names[] = {
	NC_("value", "planned"), NC_("value", "held"), NC_("value", "cancelled"),
};

const char *pv_meeting_kind_name(enum pv_meeting_kind kind)
{
	return (unsigned)kind < PV_MEETING_KINDS ? kind_names[kind] : "unknown";
}

bool pv_meeting_kind_parse(const char *text, enum pv_meeting_kind *out)
{
	for (int k = 0; k < PV_MEETING_KINDS; k++)
		if (pv_csv_name_equal(text, kind_names[k])) {
			*out = (enum pv_meeting_kind)k;
			return true;
		}
	for (size_t i = 0; i < sizeof kind_aliases / sizeof kind_aliases[0]; i++)
		if (pv_csv_name_equal(text, kind_aliases[i].alias)) {
			*out = kind_aliases[i].kind;
			return true;
		}
	return false;
}

const char *pv_meeting_rule_path(enum pv_meeting_kind kind, enum pv_unit_kind unit_kind)
{
	switch (kind) {
	case PV_MEETING_SYSTEMMOTE:
		return unit_kind == PV_UNIT_SCHOOL ? "meetings.school_systemmote"
						   : "meetings.kindergarten_systemmote";
	case PV_MEETING_NAERVAER:
		return "meetings.naervaer";
	case PV_MEETING_GOD_OPPVEKST:
		return "meetings.god_oppvekst";
	case PV_MEETING_APEN_DOR:
		return "meetings.apen_dor";
	default:
		return NULL;
	}
}

const char *pv_meeting_status_name(enum pv_meeting_status status)
{
	return (unsigned)status <= PV_MEETING_CANCELLED ? status_names[status] : "unknown";
}

static bool status_parse(const char *text, enum pv_meeting_status *out)
{
	for (int s = 0; s <= PV_MEETING_CANCELLED; s++)
		if (strcmp(text, status_names[s]) == 0) {
			*out = (enum pv_meeting_status)s;
			return true;
		}
	return false;
}

/* ---- the plan: meetings and the strings they point to ---- */

struct pv_plan {
	struct pv_meeting *meetings;
	size_t count, cap;
	char **strings;                 /* every string the meetings point to */
	size_t nstrings, strings_cap;
	struct pv_participant **parts;  /* participant arrays, one per meeting */
};

void pv_plan_free(struct pv_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->nstrings; i++)
		free(plan->strings[i]);
	for (size_t i = 0; i < plan->count; i++)
		free(plan->parts[i]);
	free(plan->strings);
	free(plan->parts);
	free(plan->meetings);
	free(plan);
}

size_t pv_plan_count(const struct pv_plan *plan)
{
	return plan ? plan->count : 0;
}

const struct pv_meeting *pv_plan_at(const struct pv_plan *plan, size_t i)
{
	return plan && i < plan->count ? &plan->meetings[i] : NULL;
}

const struct pv_meeting *pv_plan_find(const struct pv_plan *plan, long long id)
{
	for (size_t i = 0; plan && i < plan->count; i++)
		if (plan->meetings[i].id == id)
			return &plan->meetings[i];
	return NULL;
}

/* A copy owned by the plan; NULL in gives NULL out (check *oom). */
static const char *plan_strdup(struct pv_plan *plan, const unsigned char *text, bool *oom)
{
	char *copy;

	if (!text)
		return NULL;
	if (plan->nstrings == plan->strings_cap) {
		size_t cap = plan->strings_cap ? plan->strings_cap * 2 : 64;
		char **grown = realloc(plan->strings, cap * sizeof *grown);
		if (!grown) {
			*oom = true;
			return NULL;
		}
		plan->strings = grown;
		plan->strings_cap = cap;
	}
	copy = strdup((const char *)text);
	if (!copy) {
		*oom = true;
		return NULL;
	}
	plan->strings[plan->nstrings++] = copy;
	return copy;
}

static struct pv_meeting *plan_grow(struct pv_plan *plan)
{
	if (plan->count == plan->cap) {
		size_t cap = plan->cap ? plan->cap * 2 : 32;
		struct pv_meeting *m = realloc(plan->meetings, cap * sizeof *m);
		struct pv_participant **p;

		if (!m)
			return NULL;
		plan->meetings = m;
		p = realloc(plan->parts, cap * sizeof *p);
		if (!p)
			return NULL;
		plan->parts = p;
		plan->cap = cap;
	}
	plan->parts[plan->count] = NULL;
	memset(&plan->meetings[plan->count], 0, sizeof plan->meetings[0]);
	return &plan->meetings[plan->count++];
}

struct pv_plan *pv_plan_new(void)
{
	return calloc(1, sizeof(struct pv_plan));
}

enum pv_status pv_plan_add(struct pv_plan *plan, const struct pv_meeting *m,
			   struct pv_error *err)
{
	struct pv_meeting *copy = plan_grow(plan);
	struct pv_participant *parts = NULL;
	bool oom = !copy;

	if (!oom && m->nparticipants) {
		parts = calloc(m->nparticipants, sizeof *parts);
		oom = !parts;
	}
	if (oom) {
		free(parts);
		if (copy)
			plan->count--;
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	*copy = *m;
	plan->parts[plan->count - 1] = parts;
	copy->uid = plan_strdup(plan, (const unsigned char *)m->uid, &oom);
	copy->unit = plan_strdup(plan, (const unsigned char *)m->unit, &oom);
	copy->host = plan_strdup(plan, (const unsigned char *)m->host, &oom);
	copy->cancel_reason = plan_strdup(plan, (const unsigned char *)m->cancel_reason, &oom);
	copy->leader = plan_strdup(plan, (const unsigned char *)m->leader, &oom);
	for (size_t i = 0; i < m->nparticipants; i++) {
		const struct pv_participant *p = &m->participants[i];
		parts[i].person = plan_strdup(plan, (const unsigned char *)p->person, &oom);
		parts[i].role = plan_strdup(plan, (const unsigned char *)p->role, &oom);
		parts[i].substitute_for =
			plan_strdup(plan, (const unsigned char *)p->substitute_for, &oom);
	}
	copy->participants = parts;
	return oom ? pv_error_set(err, PV_ESOFTWARE, "out of memory") : PV_OK;
}

static int meeting_order(const void *a, const void *b)
{
	const struct pv_meeting *x = a, *y = b;
	int c;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if ((c = strcmp(x->unit, y->unit)) != 0)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

void pv_plan_sort(struct pv_plan *plan)
{
	/* The participant arrays travel with their meetings through the
	 * pointers inside them; parts[] only owns them, in any order. */
	if (plan->count)
		qsort(plan->meetings, plan->count, sizeof plan->meetings[0], meeting_order);
}

#define MEETING_COLUMNS \
	"m.id, m.uid, m.sequence, m.school_year, m.unit, m.host, m.kind, m.number," \
	" m.date, m.start_time, m.end_time, m.status, m.locked, m.moved," \
	" m.fallback_day, m.cancel_reason, m.leader"

/* Fills `m` from a row of MEETING_COLUMNS; false when a stored value does
 * not parse (a database edited by hand). */
static bool meeting_from_row(struct pv_plan *plan, sqlite3_stmt *st, struct pv_meeting *m,
			     bool *oom)
{
	const char *kind = (const char *)sqlite3_column_text(st, 6);
	const char *status = (const char *)sqlite3_column_text(st, 11);

	m->id = sqlite3_column_int64(st, 0);
	m->uid = plan_strdup(plan, sqlite3_column_text(st, 1), oom);
	m->sequence = sqlite3_column_int(st, 2);
	m->school_year = sqlite3_column_int(st, 3);
	m->unit = plan_strdup(plan, sqlite3_column_text(st, 4), oom);
	m->host = plan_strdup(plan, sqlite3_column_text(st, 5), oom);
	m->number = sqlite3_column_int(st, 7);
	m->locked = sqlite3_column_int(st, 12) != 0;
	m->moved = sqlite3_column_int(st, 13) != 0;
	m->fallback_day = sqlite3_column_int(st, 14) != 0;
	m->cancel_reason = plan_strdup(plan, sqlite3_column_text(st, 15), oom);
	m->leader = plan_strdup(plan, sqlite3_column_text(st, 16), oom);
	return kind && pv_meeting_kind_parse(kind, &m->kind) &&
	       status && status_parse(status, &m->status) &&
	       pv_date_parse((const char *)sqlite3_column_text(st, 8), &m->date) &&
	       pv_time_parse((const char *)sqlite3_column_text(st, 9), &m->start) &&
	       pv_time_parse((const char *)sqlite3_column_text(st, 10), &m->end);
}

static enum pv_status load_participants(struct pv_db *db, struct pv_plan *plan,
					sqlite3_stmt *st, size_t index, struct pv_error *err)
{
	struct pv_meeting *m = &plan->meetings[index];
	struct pv_participant *parts = NULL;
	size_t n = 0, cap = 0;
	bool oom = false;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, m->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			struct pv_participant *grown;
			cap = cap ? cap * 2 : 8;
			grown = realloc(parts, cap * sizeof *grown);
			if (!grown) {
				oom = true;
				break;
			}
			parts = grown;
		}
		parts[n].person = plan_strdup(plan, sqlite3_column_text(st, 0), &oom);
		parts[n].role = plan_strdup(plan, sqlite3_column_text(st, 1), &oom);
		parts[n].substitute_for = plan_strdup(plan, sqlite3_column_text(st, 2), &oom);
		n++;
	}
	plan->parts[index] = parts;
	m->participants = parts;
	m->nparticipants = n;
	if (oom)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return pv_db_fail(db, "cannot read meeting participants", err);
	return PV_OK;
}

static void bind_filter(sqlite3_stmt *st, const struct pv_plan_filter *f, char from[11],
			char to[11])
{
	sqlite3_bind_int(st, 1, f->school_year);
	sqlite3_bind_text(st, 2, f->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->person, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->from ? pv_date_format(f->from, from) : NULL, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 5, f->to ? pv_date_format(f->to, to) : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, f->only_kind ? pv_meeting_kind_name(f->kind) : NULL, -1,
			  SQLITE_STATIC);
	sqlite3_bind_int(st, 7, f->include_cancelled);
}

static bool week_matches(const struct pv_plan_filter *f, pv_date d)
{
	int iso_year;

	return !f->iso_week || pv_date_iso_week(d, &iso_year) == f->iso_week;
}

enum pv_status pv_plan_load(struct pv_db *db, const struct pv_plan_filter *filter,
			    struct pv_plan **out, struct pv_error *err)
{
	static const char sql[] =
		"SELECT " MEETING_COLUMNS " FROM meeting m"
		" WHERE (?1 = 0 OR m.school_year = ?1)"
		"  AND (?2 IS NULL OR m.unit = ?2 OR m.host = ?2"
		"       OR m.unit IN (SELECT group_slug FROM unit WHERE slug = ?2))"
		"  AND (?3 IS NULL OR EXISTS (SELECT 1 FROM meeting_participant p"
		"       WHERE p.meeting = m.id AND p.person = ?3))"
		"  AND (?4 IS NULL OR m.date >= ?4) AND (?5 IS NULL OR m.date <= ?5)"
		"  AND (?6 IS NULL OR m.kind = ?6)"
		"  AND (?7 = 1 OR m.status <> 'cancelled')"
		" ORDER BY m.date, m.start_time, m.unit, m.kind, m.id";
	static const char parts_sql[] =
		"SELECT person, role, substitute_for FROM meeting_participant"
		" WHERE meeting = ? ORDER BY position";
	struct pv_plan_filter none = { 0 };
	struct pv_plan *plan = calloc(1, sizeof *plan);
	sqlite3_stmt *st = NULL, *pst = NULL;
	enum pv_status status;
	char from[11], to[11];
	bool oom = false;
	int rc;

	*out = NULL;
	if (!plan)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	if (!filter)
		filter = &none;
	status = pv_db_prepare(db, sql, &st, err);
	if (status == PV_OK)
		status = pv_db_prepare(db, parts_sql, &pst, err);
	if (status == PV_OK)
		bind_filter(st, filter, from, to);
	while (status == PV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pv_meeting *m = plan_grow(plan);

		if (!m) {
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
			break;
		}
		if (!meeting_from_row(plan, st, m, &oom))
			status = pv_error_set(err, PV_EDATA, "meeting %lld: a stored value "
					      "does not parse (run 'patvers db check')",
					      (long long)sqlite3_column_int64(st, 0));
		else if (oom)
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
		else if (!week_matches(filter, m->date))
			plan->count--;
		else
			status = load_participants(db, plan, pst, plan->count - 1, err);
	}
	if (status == PV_OK && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read meetings", err);
	sqlite3_finalize(st);
	sqlite3_finalize(pst);
	if (status != PV_OK) {
		pv_plan_free(plan);
		return status;
	}
	*out = plan;
	return PV_OK;
}

/* ---- writing ---- */

static void make_uid(const struct pv_meeting *m, long long id, char *buf, size_t size)
{
	if (m->number > 0)
		snprintf(buf, size, "%d-%s-%s-%d@patvers", m->school_year, m->unit,
			 pv_meeting_kind_name(m->kind), m->number);
	else
		snprintf(buf, size, "%d-%s-%s-id%lld@patvers", m->school_year, m->unit,
			 pv_meeting_kind_name(m->kind), id);
}

/* Binds the columns every write sets, from ?2 on (in MEETING_COLUMNS
 * order after uid/sequence), into text buffers owned by the caller. */
struct row_text {
	char date[11], start[6], end[6];
};

static void bind_meeting(sqlite3_stmt *st, const struct pv_meeting *m, struct row_text *t)
{
	sqlite3_bind_int(st, 2, m->school_year);
	sqlite3_bind_text(st, 3, m->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, pv_meeting_kind_name(m->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, m->number);
	sqlite3_bind_text(st, 7, pv_date_format(m->date, t->date), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, pv_time_format(m->start, t->start), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, pv_time_format(m->end, t->end), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, pv_meeting_status_name(m->status), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 11, m->locked);
	sqlite3_bind_int(st, 12, m->moved);
	sqlite3_bind_int(st, 13, m->fallback_day);
	sqlite3_bind_text(st, 14, m->cancel_reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, m->leader, -1, SQLITE_STATIC);
}

/* The meeting's participants in order; `fresh`: the meeting was just
 * inserted, so there are none to replace. */
static enum pv_status write_participants(struct pv_db *db, long long id,
					 const struct pv_meeting *m, bool fresh,
					 struct pv_error *err)
{
	static const char delete_sql[] = "DELETE FROM meeting_participant WHERE meeting = ?";
	static const char insert_sql[] =
		"INSERT INTO meeting_participant (meeting, person, role, substitute_for,"
		" position) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *del, *ins;
	enum pv_status status = PV_OK;

	if (!fresh) {
		status = pv_db_cached(db, delete_sql, &del, err);
		if (status != PV_OK)
			return status;
		sqlite3_bind_int64(del, 1, id);
		if (sqlite3_step(del) != SQLITE_DONE)
			return pv_db_fail(db, "cannot write meeting participants", err);
	}
	status = pv_db_cached(db, insert_sql, &ins, err);
	for (size_t i = 0; status == PV_OK && i < m->nparticipants; i++) {
		const struct pv_participant *p = &m->participants[i];

		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, id);
		sqlite3_bind_text(ins, 2, p->person, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, p->role, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, p->substitute_for, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 5, (long long)i);
		if (sqlite3_step(ins) != SQLITE_DONE)
			status = pv_db_fail(db, "cannot write meeting participants", err);
	}
	return status;
}

enum pv_status pv_meeting_insert(struct pv_db *db, const struct pv_meeting *m,
				 long long *id, struct pv_error *err)
{
	static const char sql[] =
		"INSERT INTO meeting (uid, school_year, unit, host, kind, number, date,"
		" start_time, end_time, status, locked, moved, fallback_day, cancel_reason,"
		" leader, sequence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
		" ?13, ?14, ?15, 0)";
	sqlite3_stmt *st;
	struct row_text t;
	char uid[256];
	long long new_id;
	enum pv_status status = pv_db_cached(db, sql, &st, err);

	if (status != PV_OK)
		return status;
	/* An ad hoc uid names the id, which exists only after the insert:
	 * a placeholder holds the unique column until then. */
	if (m->number > 0)
		make_uid(m, 0, uid, sizeof uid);
	else
		snprintf(uid, sizeof uid, "pending@patvers");
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
	bind_meeting(st, m, &t);
	if (sqlite3_step(st) != SQLITE_DONE)
		return pv_db_fail(db, "cannot store meeting", err);
	new_id = sqlite3_last_insert_rowid(pv_db_handle(db));
	if (m->number == 0) {
		make_uid(m, new_id, uid, sizeof uid);
		status = pv_db_prepare(db, "UPDATE meeting SET uid = ? WHERE id = ?", &st, err);
		if (status != PV_OK)
			return status;
		sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, new_id);
		if (sqlite3_step(st) != SQLITE_DONE)
			status = pv_db_fail(db, "cannot store meeting", err);
		sqlite3_finalize(st);
	}
	if (status == PV_OK)
		status = write_participants(db, new_id, m, true, err);
	if (status == PV_OK && id)
		*id = new_id;
	return status;
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_participants(const struct pv_meeting *a, const struct pv_meeting *b)
{
	if (a->nparticipants != b->nparticipants)
		return false;
	for (size_t i = 0; i < a->nparticipants; i++) {
		const struct pv_participant *p = &a->participants[i], *q = &b->participants[i];
		if (!same_text(p->person, q->person) || !same_text(p->role, q->role) ||
		    !same_text(p->substitute_for, q->substitute_for))
			return false;
	}
	return true;
}

/* What a calendar program shows: a change here raises SEQUENCE. */
static bool calendar_visible_change(const struct pv_meeting *a, const struct pv_meeting *b)
{
	return a->date != b->date || a->start != b->start || a->end != b->end ||
	       a->status != b->status || !same_text(a->leader, b->leader) ||
	       !same_text(a->host, b->host) || !same_participants(a, b);
}

static bool any_change(const struct pv_meeting *a, const struct pv_meeting *b)
{
	return calendar_visible_change(a, b) || a->locked != b->locked ||
	       a->moved != b->moved || a->fallback_day != b->fallback_day ||
	       !same_text(a->cancel_reason, b->cancel_reason);
}

static enum pv_status load_one(struct pv_db *db, long long id, struct pv_plan **plan,
			       struct pv_error *err)
{
	static const char sql[] = "SELECT " MEETING_COLUMNS " FROM meeting m WHERE m.id = ?";
	static const char parts_sql[] =
		"SELECT person, role, substitute_for FROM meeting_participant"
		" WHERE meeting = ? ORDER BY position";
	sqlite3_stmt *st = NULL, *pst = NULL;
	enum pv_status status;
	bool oom = false;
	struct pv_meeting *m;

	*plan = calloc(1, sizeof **plan);
	if (!*plan)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	status = pv_db_prepare(db, sql, &st, err);
	if (status == PV_OK)
		status = pv_db_prepare(db, parts_sql, &pst, err);
	if (status == PV_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) != SQLITE_ROW)
			status = pv_error_set(err, PV_EDATA, "no meeting with id %lld", id);
		else if (!(m = plan_grow(*plan)))
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
		else if (!meeting_from_row(*plan, st, m, &oom) || oom)
			status = pv_error_set(err, oom ? PV_ESOFTWARE : PV_EDATA,
					      "meeting %lld cannot be read", id);
		else
			status = load_participants(db, *plan, pst, 0, err);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(pst);
	if (status != PV_OK) {
		pv_plan_free(*plan);
		*plan = NULL;
	}
	return status;
}

enum pv_status pv_meeting_update_from(struct pv_db *db, const struct pv_meeting *was,
				      const struct pv_meeting *m, bool *changed,
				      struct pv_error *err)
{
	static const char sql[] =
		"UPDATE meeting SET school_year = ?2, unit = ?3, host = ?4, kind = ?5,"
		" number = ?6, date = ?7, start_time = ?8, end_time = ?9, status = ?10,"
		" locked = ?11, moved = ?12, fallback_day = ?13, cancel_reason = ?14,"
		" leader = ?15, sequence = sequence + ?16 WHERE id = ?1";
	sqlite3_stmt *st;
	struct row_text t;
	bool differs = any_change(was, m);
	enum pv_status status;

	if (changed)
		*changed = differs;
	if (!differs)
		return PV_OK;
	status = pv_db_cached(db, sql, &st, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_int64(st, 1, m->id);
	bind_meeting(st, m, &t);
	sqlite3_bind_int(st, 16, calendar_visible_change(was, m) ? 1 : 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		return pv_db_fail(db, "cannot update meeting", err);
	return write_participants(db, m->id, m, false, err);
}

enum pv_status pv_meeting_update(struct pv_db *db, const struct pv_meeting *m,
				 bool *changed, struct pv_error *err)
{
	struct pv_plan *old;
	enum pv_status status = load_one(db, m->id, &old, err);

	if (status != PV_OK)
		return status;
	status = pv_meeting_update_from(db, &old->meetings[0], m, changed, err);
	pv_plan_free(old);
	return status;
}

enum pv_status pv_meeting_delete(struct pv_db *db, long long id, struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status = pv_db_prepare(db, "DELETE FROM meeting WHERE id = ?", &st, err);

	if (status != PV_OK)
		return status;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		status = pv_db_fail(db, "cannot delete meeting", err);
	sqlite3_finalize(st);
	return status;
}
