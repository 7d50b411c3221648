/* The half-year report: counting the plan and the logs per unit, notes and the sent mark. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "patvers/anonymity.h"
#include "patvers/i18n.h"
#include "patvers/schedule.h"
#include "patvers/team.h"
#include "report-internal.h"

#define OTHER_THEME "annet"

static const char *const status_names[PV_REPORT_STATUSES] = {
	"none", "met", "on-track", "at-risk", "missed",
};
/* English; the documents translate them (report-doc.c). */
static const char *const status_labels[PV_REPORT_STATUSES] = {
	"-",
	/* TRANSLATORS: a unit's status in the report: held its minimum of meetings */
	N_("met"),
	/* TRANSLATORS: a unit's status: the meetings planned will reach the minimum */
	N_("on track"),
	/* TRANSLATORS: a unit's status: reaches the minimum only if unlogged meetings were held */
	N_("at risk"),
	/* TRANSLATORS: a unit's status: the minimum can no longer be reached */
	N_("missed"),
};
static const char *const service_names[PV_REPORT_SERVICES] = {
	"ppt", "barnevern", "helse", "bfs",
};

const char *pv_report_status_name(enum pv_report_status s)
{
	return (unsigned)s < PV_REPORT_STATUSES ? status_names[s] : "none";
}

const char *pv_report_status_label(enum pv_report_status s)
{
	return (unsigned)s < PV_REPORT_STATUSES ? status_labels[s] : "-";
}

const char *pv_report_service_name(int i)
{
	return i >= 0 && i < PV_REPORT_SERVICES ? service_names[i] : NULL;
}

static int service_index(const char *service)
{
	for (int i = 0; service && i < PV_REPORT_SERVICES; i++)
		if (strcmp(service, service_names[i]) == 0)
			return i;
	return -1;
}

/* ---- the string builder and helpers the renderers share ---- */

void sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *grown;

		while (cap < b->len + n + 1)
			cap *= 2;
		grown = realloc(b->s, cap);
		if (!grown) {
			b->oom = true;
			return;
		}
		b->s = grown;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_puts(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

void sb_putc(struct sb *b, char c)
{
	sb_add(b, &c, 1);
}

void sb_vprintf(struct sb *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0) {
		b->oom = true;
	} else if ((size_t)n < sizeof small) {
		sb_add(b, small, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);
		if (!big) {
			b->oom = true;
		} else {
			vsnprintf(big, (size_t)n + 1, fmt, again);
			sb_add(b, big, (size_t)n);
			free(big);
		}
	}
	va_end(again);
}

void sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

char *sb_take(struct sb *b)
{
	char *s;

	if (!b->oom && !b->s)
		sb_add(b, "", 0);
	if (b->oom) {
		sb_free(b);
		return NULL;
	}
	s = b->s;
	memset(b, 0, sizeof *b);
	return s;
}

void sb_free(struct sb *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

char *report_period_name(const struct pv_report *r, char buf[16])
{
	snprintf(buf, 16, "H%d %d", r->half, r->year);
	return buf;
}

int report_percent(int present, int of)
{
	if (of <= 0)
		return -1;
	return (int)(((long long)present * 200 + of) / (2LL * of));
}

char *report_minimum_text(const struct pv_report_row *row, char buf[16])
{
	if (!row->minimum)
		snprintf(buf, 16, "-");
	else
		snprintf(buf, 16, "%d%s", row->minimum, row->per_school_year ? "/yr" : "");
	return buf;
}

char *report_cell_text(const struct pv_report *r, const struct pv_report_theme *t,
		       char buf[16])
{
	if (t->cell == PV_CELL_SMALL)
		snprintf(buf, 16, "<%d", r->suppress_below);
	else if (t->cell == PV_CELL_HIDDEN)
		snprintf(buf, 16, "*");
	else
		snprintf(buf, 16, "%d", t->count);
	return buf;
}

const char *report_kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{ "school", "school" },
		{ "kindergarten-group", "kindergarten group" },
		{ "kindergarten", "kindergarten" },
		{ "naervaer", "Nærværsteam" },
		{ "god-oppvekst", "God oppvekst" },
		{ "total", "municipality" },
	};

	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(kind, labels[i].kind) == 0)
			return labels[i].label;
	return kind;
}

size_t report_width(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n && s[i]; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

/* ---- the report object ---- */

/* The report and the strings it owns. */
struct report_box {
	struct pv_report r;
	char **strings;
	size_t nstrings, cap;
	bool oom;
};

static struct report_box *box_of(struct pv_report *r)
{
	return (struct report_box *)r;
}

/* A copy the report owns (NULL in, NULL out); sets oom on failure. */
static const char *keep(struct report_box *b, const char *s)
{
	char *copy;

	if (!s || b->oom)
		return NULL;
	if (b->nstrings == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char **grown = realloc(b->strings, cap * sizeof *grown);
		if (!grown) {
			b->oom = true;
			return NULL;
		}
		b->strings = grown;
		b->cap = cap;
	}
	copy = strdup(s);
	if (!copy) {
		b->oom = true;
		return NULL;
	}
	b->strings[b->nstrings++] = copy;
	return copy;
}

/* Takes ownership of a malloc'ed string. */
static const char *adopt(struct report_box *b, char *s)
{
	const char *kept = keep(b, s);

	free(s);
	return kept;
}

static void row_release(struct pv_report_row *row)
{
	free(row->themes);
	free(row->cancellations);
	free(row->experiences);
}

void pv_report_free(struct pv_report *report)
{
	struct report_box *b;

	if (!report)
		return;
	b = box_of(report);
	for (size_t i = 0; i < report->nrows; i++)
		row_release(&report->rows[i]);
	row_release(&report->total);
	free(report->rows);
	free((void *)report->theme_columns);
	for (size_t i = 0; i < b->nstrings; i++)
		free(b->strings[i]);
	free(b->strings);
	free(b);
}

bool pv_report_findings(const struct pv_report *report)
{
	if (report->no_data)
		return true;
	for (size_t i = 0; i < report->nrows; i++)
		if (report->rows[i].status == PV_REPORT_MISSED)
			return true;
	return false;
}

/* ---- scrubbing free text ---- */

static bool ref_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

static bool ref_matches(const char *text, size_t i, const char *ref, size_t *len)
{
	size_t n = strlen(ref);
	char after;

	if (!n || strncasecmp(text + i, ref, n) != 0)
		return false;
	if (i > 0 && ref_char(text[i - 1]))
		return false;
	after = text[i + n];
	/* a full stop after a reference ends the sentence, not the reference */
	if (ref_char(after) && !(after == '.' && !isalnum((unsigned char)text[i + n + 1])))
		return false;
	*len = n;
	return true;
}

/*
 * The text as the report may print it: known consent references and
 * whatever the guard finds (with the rules in force today, which may be
 * stricter than when the text was stored) become "[…]"; control
 * characters other than line breaks become spaces; trimmed. Caller
 * frees; NULL when out of memory.
 */
static char *scrub(const struct pv_rules *rules, char *const *refs, size_t nrefs,
		   const char *text)
{
	struct sb b = { 0 };
	size_t i = 0, n = strlen(text);
	char *s;

	while (i < n) {
		size_t len = 0;
		bool hit = false;

		for (size_t k = 0; k < nrefs && !hit; k++)
			hit = ref_matches(text, i, refs[k], &len);
		if (hit) {
			sb_puts(&b, "[…]");
			i += len;
			continue;
		}
		unsigned char c = (unsigned char)text[i++];
		sb_putc(&b, c < 0x20 && c != '\n' ? ' ' : (c == 0x7F ? ' ' : (char)c));
	}
	s = sb_take(&b);
	for (int guard = 0; s && guard < 1000; guard++) {
		struct pv_anonymity_hit h;
		struct pv_error err;
		bool found = false;

		if (pv_anonymity_find(rules, s, &found, &h, &err) != PV_OK || !found)
			break;
		struct sb m = { 0 };
		sb_add(&m, s, h.start);
		sb_puts(&m, "[…]");
		sb_puts(&m, s + h.start + h.len);
		free(s);
		s = sb_take(&m);
	}
	if (s) {
		size_t start = strspn(s, " \n"), end = strlen(s);

		while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\n'))
			end--;
		memmove(s, s + start, end - start);
		s[end - start] = '\0';
	}
	return s;
}

/* ---- building ---- */

enum row_cat { CAT_SCHOOL, CAT_GROUP, CAT_KINDERGARTEN, CAT_NAERVAER, CAT_GOD, CATS };

/* What one meeting of the loaded plan means for the report. */
struct meeting_ref {
	long long id;
	int row;                 /* -1: not a reporting unit's */
	bool in_half;
	bool held;               /* held and dated on or before as-of */
	bool main;               /* of the row's main kind */
	unsigned services;       /* bit per service present (logged meetings) */
	const struct pv_meeting *m;
};

struct builder {
	struct pv_db *db;
	const struct pv_report_options *opts;
	struct pv_error *err;
	struct report_box *box;
	struct pv_report *r;
	struct pv_rules *rules;
	struct pv_roster *roster;
	struct pv_plan *plan;
	struct meeting_ref *refs_by_id;   /* sorted by id */
	size_t nmeetings;
	enum row_cat *cat;                /* per row */
	bool *any_meeting;                /* per row: some meeting in the half */
	bool (*expected)[PV_REPORT_SERVICES];
	int *hold_window, *unlog_window, *ahead_window;
	int *cells;                       /* rows × theme columns */
	char **consent_refs;
	size_t nconsent_refs;
	pv_date wfrom, wto;               /* the school year of H */
};

static enum pv_status oom(struct builder *bd)
{
	return pv_error_set(bd->err, PV_ESOFTWARE, "out of memory");
}

static enum pv_meeting_kind main_kind(enum row_cat cat)
{
	switch (cat) {
	case CAT_NAERVAER:
		return PV_MEETING_NAERVAER;
	case CAT_GOD:
		return PV_MEETING_GOD_OPPVEKST;
	default:
		return PV_MEETING_SYSTEMMOTE;
	}
}

static const char *cat_kind(enum row_cat cat)
{
	static const char *const kinds[CATS] = {
		"school", "kindergarten-group", "kindergarten", "naervaer", "god-oppvekst",
	};
	return kinds[cat];
}

/* The category a unit reports in, or -1 when it does not report. */
static int unit_cat(const struct pv_roster *roster, const struct pv_unit *u)
{
	switch (u->kind) {
	case PV_UNIT_SCHOOL:
		return CAT_SCHOOL;
	case PV_UNIT_GROUP:
		return CAT_GROUP;
	case PV_UNIT_KINDERGARTEN:
		/* a kindergarten in a group reports with it */
		if (u->group && pv_roster_unit(roster, u->group))
			return -1;
		return CAT_KINDERGARTEN;
	case PV_UNIT_SERVICE:
		if (u->service && strcmp(u->service, "naervaer") == 0)
			return CAT_NAERVAER;
		if (u->service && strcmp(u->service, "god-oppvekst") == 0)
			return CAT_GOD;
		return -1;
	}
	return -1;
}

static int find_row(const struct pv_report *r, const char *slug)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (strcmp(r->rows[i].unit, slug) == 0)
			return (int)i;
	return -1;
}

/* The row a unit's meetings, cases and notes count in, or -1. */
static int row_of(const struct builder *bd, const char *slug)
{
	const struct pv_unit *u = pv_roster_unit(bd->roster, slug);

	if (!u)
		return -1;
	if (u->kind == PV_UNIT_KINDERGARTEN && u->group && pv_roster_unit(bd->roster, u->group))
		return find_row(bd->r, u->group);
	return find_row(bd->r, slug);
}

static enum pv_status make_rows(struct builder *bd)
{
	size_t n, count = 0;
	const struct pv_unit *const *units = pv_roster_all_units(bd->roster, &n);
	struct pv_report *r = bd->r;

	r->rows = calloc(n ? n : 1, sizeof *r->rows);
	bd->cat = calloc(n ? n : 1, sizeof *bd->cat);
	if (!r->rows || !bd->cat)
		return oom(bd);
	/* by category, then slug: the roster hands units out in slug order */
	for (int cat = 0; cat < CATS; cat++)
		for (size_t i = 0; i < n; i++) {
			struct pv_report_row *row;

			if (unit_cat(bd->roster, units[i]) != cat)
				continue;
			row = &r->rows[count];
			bd->cat[count++] = (enum row_cat)cat;
			row->unit = keep(bd->box, units[i]->slug);
			row->name = keep(bd->box, units[i]->name);
			row->kind = cat_kind((enum row_cat)cat);
			row->meeting_kind = pv_meeting_kind_name(main_kind((enum row_cat)cat));
		}
	r->nrows = count;
	return bd->box->oom ? oom(bd) : PV_OK;
}

bool report_unit_reports(const struct pv_roster *roster, const struct pv_unit *unit)
{
	return unit_cat(roster, unit) >= 0;
}

static enum pv_status check_unit(struct builder *bd)
{
	const char *slug = bd->opts->unit;
	const struct pv_unit *u;

	if (!slug || find_row(bd->r, slug) >= 0)
		return PV_OK;
	u = pv_roster_unit(bd->roster, slug);
	if (!u)
		return pv_error_set(bd->err, PV_EDATA, "no unit '%s'", slug);
	if (u->kind == PV_UNIT_KINDERGARTEN && u->group)
		return pv_error_set(bd->err, PV_EDATA,
				    "'%s' reports with its kindergarten group: use --unit %s",
				    slug, u->group);
	return pv_error_set(bd->err, PV_EDATA,
			    "'%s' does not report on its own (schools, kindergarten groups, "
			    "the Nærværsteam and God oppvekst do)", slug);
}

static int by_id(const void *a, const void *b)
{
	const struct meeting_ref *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static struct meeting_ref *find_meeting(const struct builder *bd, long long id)
{
	struct meeting_ref key = { .id = id };

	return bd->nmeetings ? bsearch(&key, bd->refs_by_id, bd->nmeetings,
				       sizeof key, by_id) : NULL;
}

static enum pv_status add_text(struct builder *bd, struct pv_report_text **list, size_t *n,
			       pv_date date, const char *unit, const char *kind,
			       const char *raw)
{
	char *clean = scrub(bd->rules, bd->consent_refs, bd->nconsent_refs, raw ? raw : "");
	struct pv_report_text *grown;

	if (!clean)
		return oom(bd);
	if (!*clean) {
		free(clean);
		return PV_OK;
	}
	grown = realloc(*list, (*n + 1) * sizeof **list);
	if (!grown) {
		free(clean);
		return oom(bd);
	}
	*list = grown;
	grown[*n].date = date;
	grown[*n].unit = keep(bd->box, unit);
	grown[*n].kind = keep(bd->box, kind);
	grown[*n].text = adopt(bd->box, clean);
	(*n)++;
	return bd->box->oom ? oom(bd) : PV_OK;
}

/* Counts the plan: meetings per row, held, cancelled, the minimum's window. */
static enum pv_status count_meetings(struct builder *bd)
{
	struct pv_report *r = bd->r;
	pv_date as_of = bd->opts->as_of;
	size_t n = pv_plan_count(bd->plan);
	enum pv_status status = PV_OK;

	bd->refs_by_id = calloc(n ? n : 1, sizeof *bd->refs_by_id);
	if (!bd->refs_by_id)
		return oom(bd);
	bd->nmeetings = n;
	for (size_t i = 0; i < n && status == PV_OK; i++) {
		const struct pv_meeting *m = pv_plan_at(bd->plan, i);
		struct meeting_ref *ref = &bd->refs_by_id[i];
		struct pv_report_row *row;
		int ri = row_of(bd, m->unit);
		bool in_window;

		ref->id = m->id;
		ref->m = m;
		ref->row = ri;
		if (ri < 0)
			continue;
		row = &r->rows[ri];
		ref->in_half = m->date >= r->from && m->date <= r->to;
		ref->held = m->status == PV_MEETING_HELD && m->date <= as_of;
		ref->main = m->kind == main_kind(bd->cat[ri]);
		if (ref->in_half)
			bd->any_meeting[ri] = true;
		if (ref->in_half && ref->held && m->kind == PV_MEETING_VEILEDNINGSTEAM)
			row->veiledningsteam++;
		if (ref->in_half && ref->held && m->kind == PV_MEETING_APEN_DOR)
			row->apen_dor++;
		if (!ref->main)
			continue;
		in_window = row->per_school_year ? m->date >= bd->wfrom && m->date <= bd->wto
						 : ref->in_half;
		if (in_window && m->status != PV_MEETING_CANCELLED) {
			if (ref->held)
				bd->hold_window[ri]++;
			else if (m->date < as_of && m->status == PV_MEETING_PLANNED)
				bd->unlog_window[ri]++;
			else
				bd->ahead_window[ri]++;
		}
		if (!ref->in_half)
			continue;
		row->planned++;
		if (m->status == PV_MEETING_CANCELLED) {
			row->cancelled++;
			status = add_text(bd, &row->cancellations, &row->ncancellations, m->date,
					  m->unit, pv_meeting_kind_name(m->kind),
					  m->cancel_reason && *m->cancel_reason ? m->cancel_reason
										: "no reason given");
		} else if (ref->held) {
			row->held++;
		} else if (m->date < as_of && m->status == PV_MEETING_PLANNED) {
			row->unlogged++;
		} else {
			row->upcoming++;
		}
	}
	if (status == PV_OK && n)
		qsort(bd->refs_by_id, n, sizeof *bd->refs_by_id, by_id);
	return status;
}

/* Prepares `sql` with the half-year bound to ?1 and ?2. */
static enum pv_status prepare_half(struct builder *bd, const char *sql, sqlite3_stmt **st,
				   char from[11], char to[11])
{
	enum pv_status status = pv_db_prepare(bd->db, sql, st, bd->err);

	if (status != PV_OK)
		return status;
	sqlite3_bind_text(*st, 1, pv_date_format(bd->r->from, from), -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 2, pv_date_format(bd->r->to, to), -1, SQLITE_STATIC);
	return PV_OK;
}

/* The logged meeting behind a result row, when it counts for the report. */
static struct meeting_ref *counted(struct builder *bd, sqlite3_stmt *st)
{
	struct meeting_ref *ref = find_meeting(bd, sqlite3_column_int64(st, 0));

	return ref && ref->row >= 0 && ref->in_half && ref->held ? ref : NULL;
}

static size_t theme_column(const struct pv_report *r, const char *theme)
{
	for (size_t i = 0; i + 1 < r->ntheme_columns; i++)
		if (strcmp(r->theme_columns[i], theme) == 0)
			return i;
	return r->ntheme_columns - 1;   /* free text counts as "annet" */
}

static enum pv_status count_cases(struct builder *bd)
{
	static const char sql[] =
		"SELECT c.meeting, c.consent_ref IS NOT NULL, c.theme FROM meeting_case c"
		" JOIN meeting m ON m.id = c.meeting WHERE m.date >= ?1 AND m.date <= ?2"
		" ORDER BY c.id";
	struct pv_report *r = bd->r;
	sqlite3_stmt *st;
	char from[11], to[11];
	enum pv_status status = prepare_half(bd, sql, &st, from, to);
	int rc;

	if (status != PV_OK)
		return status;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct meeting_ref *ref = counted(bd, st);
		const char *theme = (const char *)sqlite3_column_text(st, 2);
		struct pv_report_row *row;

		if (!ref)
			continue;
		row = &r->rows[ref->row];
		row->cases++;
		if (sqlite3_column_int(st, 1))
			row->consent++;
		else
			row->anonymous++;
		bd->cells[(size_t)ref->row * r->ntheme_columns +
			  theme_column(r, theme ? theme : "")]++;
	}
	if (rc != SQLITE_DONE)
		status = pv_db_fail(bd->db, "cannot read the logged cases", bd->err);
	sqlite3_finalize(st);
	return status;
}

static enum pv_status count_actions(struct builder *bd)
{
	static const char sql[] =
		"SELECT a.meeting, a.status, a.due, a.done_date FROM meeting_action a"
		" JOIN meeting m ON m.id = a.meeting WHERE m.date >= ?1 AND m.date <= ?2"
		" ORDER BY a.id";
	pv_date as_of = bd->opts->as_of;
	sqlite3_stmt *st;
	char from[11], to[11];
	enum pv_status status = prepare_half(bd, sql, &st, from, to);
	int rc;

	if (status != PV_OK)
		return status;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct meeting_ref *ref = counted(bd, st);
		const char *state = (const char *)sqlite3_column_text(st, 1);
		const char *due_text = (const char *)sqlite3_column_text(st, 2);
		const char *done_text = (const char *)sqlite3_column_text(st, 3);
		pv_date due = 0, done = 0;
		struct pv_report_row *row;
		bool done_by;

		if (!ref)
			continue;
		row = &bd->r->rows[ref->row];
		if (!due_text || !pv_date_parse(due_text, &due))
			due = 0;
		if (!done_text || !pv_date_parse(done_text, &done))
			done = 0;
		done_by = state && strcmp(state, "done") == 0 && done && done <= as_of;
		row->actions_opened++;
		if (done_by)
			row->actions_done++;
		else if (due && due < as_of)
			row->actions_overdue++;
	}
	if (rc != SQLITE_DONE)
		status = pv_db_fail(bd->db, "cannot read the logged actions", bd->err);
	sqlite3_finalize(st);
	return status;
}

/* The service of a person's home unit as a bit, 0 when none counts. */
static unsigned person_service(const struct builder *bd, const char *slug)
{
	const struct pv_person *p = slug ? pv_roster_person(bd->roster, slug) : NULL;
	const struct pv_unit *home = p ? pv_roster_unit(bd->roster, p->home) : NULL;
	int s = home ? service_index(home->service) : -1;

	return s < 0 ? 0 : 1u << s;
}

/* Which services each row's team has: someone from the service is
 * assigned to the unit (or to a kindergarten of the group). */
static void mark_expected(struct builder *bd, size_t ri, const char *unit)
{
	size_t n;
	const struct pv_assignment *a = pv_roster_team(bd->roster, unit, &n);

	for (size_t i = 0; i < n; i++) {
		unsigned bits = person_service(bd, a[i].person->slug);

		for (int s = 0; s < PV_REPORT_SERVICES; s++)
			if (bits & (1u << s))
				bd->expected[ri][s] = true;
	}
}

static enum pv_status count_attendance(struct builder *bd)
{
	static const char sql[] =
		"SELECT l.meeting, l.leader, NULL FROM meeting_log l"
		" JOIN meeting m ON m.id = l.meeting WHERE m.date >= ?1 AND m.date <= ?2"
		" UNION ALL "
		"SELECT a.meeting, a.person, a.substitute_for FROM meeting_log_attendee a"
		" JOIN meeting m ON m.id = a.meeting WHERE m.date >= ?1 AND m.date <= ?2";
	struct pv_report *r = bd->r;
	sqlite3_stmt *st;
	char from[11], to[11];
	enum pv_status status = prepare_half(bd, sql, &st, from, to);
	int rc;

	if (status != PV_OK)
		return status;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct meeting_ref *ref = counted(bd, st);

		if (!ref || !ref->main)
			continue;
		ref->services |= person_service(bd, (const char *)sqlite3_column_text(st, 1));
		ref->services |= person_service(bd, (const char *)sqlite3_column_text(st, 2));
	}
	if (rc != SQLITE_DONE)
		status = pv_db_fail(bd->db, "cannot read who attended", bd->err);
	sqlite3_finalize(st);
	if (status != PV_OK)
		return status;
	for (size_t ri = 0; ri < r->nrows; ri++) {
		size_t nk;
		mark_expected(bd, ri, r->rows[ri].unit);
		if (bd->cat[ri] == CAT_GROUP) {
			const struct pv_unit *const *kg =
				pv_roster_group_members(bd->roster, r->rows[ri].unit, &nk);
			for (size_t k = 0; k < nk; k++)
				mark_expected(bd, ri, kg[k]->slug);
		}
	}
	for (size_t i = 0; i < bd->nmeetings; i++) {
		struct meeting_ref *ref = &bd->refs_by_id[i];
		struct pv_report_row *row;

		if (ref->row < 0 || !ref->in_half || !ref->held || !ref->main)
			continue;
		row = &r->rows[ref->row];
		for (int s = 0; s < PV_REPORT_SERVICES; s++) {
			if (ref->services & (1u << s)) {
				row->service_present[s]++;
				bd->expected[ref->row][s] = true;
			}
		}
	}
	for (size_t ri = 0; ri < r->nrows; ri++)
		for (int s = 0; s < PV_REPORT_SERVICES; s++)
			if (bd->expected[ri][s])
				r->rows[ri].service_meetings[s] = r->rows[ri].held;
	return PV_OK;
}

static enum pv_status collect_notes(struct builder *bd)
{
	static const char sql[] =
		"SELECT unit, text FROM report_note WHERE year = ? AND half = ? ORDER BY unit";
	sqlite3_stmt *st;
	enum pv_status status = pv_db_prepare(bd->db, sql, &st, bd->err);
	int rc;

	if (status != PV_OK)
		return status;
	sqlite3_bind_int(st, 1, bd->r->year);
	sqlite3_bind_int(st, 2, bd->r->half);
	while (status == PV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *unit = (const char *)sqlite3_column_text(st, 0);
		int ri = unit ? row_of(bd, unit) : -1;
		struct pv_report_row *row;

		if (ri < 0)
			continue;
		row = &bd->r->rows[ri];
		status = add_text(bd, &row->experiences, &row->nexperiences, 0, unit, "note",
				  (const char *)sqlite3_column_text(st, 1));
	}
	if (status == PV_OK && rc != SQLITE_DONE)
		status = pv_db_fail(bd->db, "cannot read the report notes", bd->err);
	sqlite3_finalize(st);
	return status;
}

static enum pv_status collect_experiences(struct builder *bd)
{
	static const char sql[] =
		"SELECT l.meeting, l.experience FROM meeting_log l"
		" JOIN meeting m ON m.id = l.meeting WHERE m.date >= ?1 AND m.date <= ?2"
		" AND l.experience <> '' ORDER BY m.date, m.start_time, m.id";
	sqlite3_stmt *st;
	char from[11], to[11];
	enum pv_status status = prepare_half(bd, sql, &st, from, to);
	int rc;

	if (status != PV_OK)
		return status;
	while (status == PV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct meeting_ref *ref = counted(bd, st);
		struct pv_report_row *row;

		if (!ref)
			continue;
		row = &bd->r->rows[ref->row];
		status = add_text(bd, &row->experiences, &row->nexperiences, ref->m->date,
				  ref->m->unit, pv_meeting_kind_name(ref->m->kind),
				  (const char *)sqlite3_column_text(st, 1));
	}
	if (status == PV_OK && rc != SQLITE_DONE)
		status = pv_db_fail(bd->db, "cannot read the logged experiences", bd->err);
	sqlite3_finalize(st);
	return status;
}

/* Every consent reference the database knows, to keep out of free text. */
static enum pv_status load_consent_refs(struct builder *bd)
{
	static const char sql[] =
		"SELECT ref FROM consent UNION SELECT consent_ref FROM meeting_case"
		" WHERE consent_ref IS NOT NULL ORDER BY 1";
	sqlite3_stmt *st;
	enum pv_status status = pv_db_prepare(bd->db, sql, &st, bd->err);
	int rc;

	if (status != PV_OK)
		return status;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *ref = (const char *)sqlite3_column_text(st, 0);
		char **grown, *copy;

		if (!ref || !*ref)
			continue;
		grown = realloc(bd->consent_refs, (bd->nconsent_refs + 1) * sizeof *grown);
		copy = grown ? strdup(ref) : NULL;
		if (grown)
			bd->consent_refs = grown;
		if (!copy) {
			sqlite3_finalize(st);
			return oom(bd);
		}
		bd->consent_refs[bd->nconsent_refs++] = copy;
	}
	if (rc != SQLITE_DONE)
		status = pv_db_fail(bd->db, "cannot read consent references", bd->err);
	sqlite3_finalize(st);
	return status;
}

static void set_status(struct builder *bd, size_t ri)
{
	struct pv_report_row *row = &bd->r->rows[ri];
	int m = row->minimum, h = bd->hold_window[ri], u = bd->unlog_window[ri];
	int p = bd->ahead_window[ri];
	pv_date end = row->per_school_year ? bd->wto : bd->r->to;

	row->counted = h;
	if (!m)
		row->status = PV_REPORT_NO_MINIMUM;
	else if (h >= m)
		row->status = PV_REPORT_MET;
	else if (bd->opts->as_of > end || h + u + p < m)
		row->status = PV_REPORT_MISSED;
	else if (h + p < m)
		row->status = PV_REPORT_AT_RISK;
	else
		row->status = PV_REPORT_ON_TRACK;
}

static enum pv_status set_minimums(struct builder *bd)
{
	long long school = pv_rules_int(bd->rules, "meetings.school_systemmote.min_per_half");
	long long kg = pv_rules_int(bd->rules, "meetings.kindergarten_systemmote.min_per_half");
	long long god = pv_rules_int(bd->rules, "meetings.god_oppvekst.min_per_school_year");

	for (size_t ri = 0; ri < bd->r->nrows; ri++) {
		struct pv_report_row *row = &bd->r->rows[ri];

		switch (bd->cat[ri]) {
		case CAT_SCHOOL:
			row->minimum = (int)school;
			break;
		case CAT_GROUP:
		case CAT_KINDERGARTEN:
			row->minimum = (int)kg;
			break;
		case CAT_GOD:
			row->minimum = (int)god;
			row->per_school_year = true;
			break;
		default:
			row->minimum = 0;
		}
	}
	return PV_OK;
}

/* A row's themes: the published non-zero cells and the suppressed ones. */
static enum pv_status fill_themes(struct builder *bd, struct pv_report_row *row,
				  const int *counts, const enum pv_cell *cells)
{
	struct pv_report *r = bd->r;
	size_t n = 0;

	row->themes = calloc(r->ntheme_columns ? r->ntheme_columns : 1, sizeof *row->themes);
	if (!row->themes)
		return oom(bd);
	if (r->themes_withheld)
		return PV_OK;
	for (size_t c = 0; c < r->ntheme_columns; c++) {
		if (cells[c] == PV_CELL_SHOWN && counts[c] == 0)
			continue;
		row->themes[n].theme = r->theme_columns[c];
		row->themes[n].cell = cells[c];
		row->themes[n].count = cells[c] == PV_CELL_SHOWN ? counts[c] : -1;
		n++;
	}
	row->nthemes = n;
	return PV_OK;
}

static enum pv_status suppress_themes(struct builder *bd)
{
	struct pv_report *r = bd->r;
	size_t rows = r->nrows, cols = r->ntheme_columns;
	enum pv_cell *cells = calloc(rows * cols + 1, sizeof *cells);
	enum pv_cell *totals = calloc(cols ? cols : 1, sizeof *totals);
	int *sums = calloc(cols ? cols : 1, sizeof *sums);
	enum pv_status status;

	if (!cells || !totals || !sums) {
		free(cells);
		free(totals);
		free(sums);
		return oom(bd);
	}
	status = pv_suppress(bd->cells, rows, cols, r->suppress_below, cells, totals,
			     &r->themes_withheld, bd->err);
	for (size_t ri = 0; ri < rows; ri++)
		for (size_t c = 0; c < cols; c++)
			sums[c] += bd->cells[ri * cols + c];
	for (size_t i = 0; status == PV_OK && i < rows * cols + cols; i++)
		if ((i < rows * cols ? cells[i] : totals[i - rows * cols]) != PV_CELL_SHOWN)
			r->suppressed = true;
	for (size_t ri = 0; status == PV_OK && ri < rows; ri++)
		status = fill_themes(bd, &r->rows[ri], bd->cells + ri * cols, cells + ri * cols);
	if (status == PV_OK)
		status = fill_themes(bd, &r->total, sums, totals);
	free(cells);
	free(totals);
	free(sums);
	return status;
}

static void sum_total(struct builder *bd)
{
	struct pv_report *r = bd->r;
	struct pv_report_row *t = &r->total;

	t->unit = "total";
	t->name = r->municipality;
	t->kind = "total";
	for (size_t ri = 0; ri < r->nrows; ri++) {
		const struct pv_report_row *row = &r->rows[ri];

		t->planned += row->planned;
		t->held += row->held;
		t->cancelled += row->cancelled;
		t->unlogged += row->unlogged;
		t->upcoming += row->upcoming;
		t->counted += row->counted;
		t->veiledningsteam += row->veiledningsteam;
		t->apen_dor += row->apen_dor;
		t->cases += row->cases;
		t->anonymous += row->anonymous;
		t->consent += row->consent;
		t->actions_opened += row->actions_opened;
		t->actions_done += row->actions_done;
		t->actions_overdue += row->actions_overdue;
		for (int s = 0; s < PV_REPORT_SERVICES; s++) {
			t->service_meetings[s] += row->service_meetings[s];
			t->service_present[s] += row->service_present[s];
		}
	}
}

/* Keeps only the row asked for (the totals and the suppression were
 * made from every row, so a one-unit report never shows more). */
static void keep_one_row(struct builder *bd)
{
	struct pv_report *r = bd->r;
	int keep_i = find_row(r, bd->opts->unit);
	bool any = keep_i >= 0 && bd->any_meeting[keep_i];

	for (size_t i = 0; i < r->nrows; i++)
		if ((int)i != keep_i)
			row_release(&r->rows[i]);
	if (keep_i > 0)
		r->rows[0] = r->rows[keep_i];
	r->nrows = keep_i >= 0 ? 1 : 0;
	r->unit = r->nrows ? r->rows[0].unit : NULL;
	r->no_data = !any;
}

static enum pv_status read_sent(struct builder *bd)
{
	char *by = NULL;
	enum pv_status status = pv_report_sent_get(bd->db, bd->r->year, bd->r->half,
						   &bd->r->sent, &bd->r->sent_date, &by,
						   bd->err);

	if (status == PV_OK && bd->r->sent) {
		bd->r->sent_by = adopt(bd->box, by);
		by = NULL;
		if (bd->box->oom)
			status = oom(bd);
	}
	free(by);
	return status;
}

static enum pv_status read_rules(struct builder *bd)
{
	struct pv_report *r = bd->r;
	const json_t *themes;
	const char *deadline;
	const char **cols;
	int mm = 0, dd = 0;
	char key[32];

	r->municipality = keep(bd->box, pv_rules_str(bd->rules, "municipality"));
	r->recipient = keep(bd->box, pv_rules_str(bd->rules, "recipient"));
	r->suppress_below = (int)pv_rules_int(bd->rules, "report.suppress_below");
	snprintf(key, sizeof key, "report_deadlines.H%d", r->half);
	deadline = pv_rules_str(bd->rules, key);
	if (!deadline || sscanf(deadline, "%2d-%2d", &mm, &dd) != 2 ||
	    !pv_date_from_ymd(r->year, mm, dd, &r->due))
		return pv_error_set(bd->err, PV_EDATA, "rules: %s is not a day of %d", key,
				    r->year);
	themes = pv_rules_get(bd->rules, "themes");
	cols = calloc(json_array_size(themes) + 1, sizeof *cols);
	if (!cols)
		return oom(bd);
	for (size_t i = 0; i < json_array_size(themes); i++) {
		const char *t = json_string_value(json_array_get(themes, i));
		/* the rules' own "annet" is the column for free text already */
		if (t && strcmp(t, OTHER_THEME) != 0)
			cols[r->ntheme_columns++] = keep(bd->box, t);
	}
	cols[r->ntheme_columns++] = OTHER_THEME;
	r->theme_columns = cols;
	return bd->box->oom ? oom(bd) : PV_OK;
}

static enum pv_status build(struct builder *bd)
{
	struct pv_report *r = bd->r;
	struct pv_plan_filter filter = { .include_cancelled = true };
	int school_year = r->half == 2 ? r->year : r->year - 1;
	size_t rows;
	enum pv_status status;

	pv_half_bounds(r->year, r->half, &r->from, &r->to);
	pv_school_year_bounds(school_year, &bd->wfrom, &bd->wto);
	status = pv_rules_load(bd->db, &bd->rules, bd->err);
	if (status == PV_OK)
		status = read_rules(bd);
	if (status == PV_OK)
		status = pv_roster_load(bd->db, bd->rules, &bd->roster, bd->err);
	if (status == PV_OK)
		status = make_rows(bd);
	if (status == PV_OK)
		status = check_unit(bd);
	if (status != PV_OK)
		return status;
	rows = r->nrows ? r->nrows : 1;
	bd->any_meeting = calloc(rows, sizeof *bd->any_meeting);
	bd->expected = calloc(rows, sizeof *bd->expected);
	bd->hold_window = calloc(rows, sizeof *bd->hold_window);
	bd->unlog_window = calloc(rows, sizeof *bd->unlog_window);
	bd->ahead_window = calloc(rows, sizeof *bd->ahead_window);
	bd->cells = calloc(rows * r->ntheme_columns, sizeof *bd->cells);
	if (!bd->any_meeting || !bd->expected || !bd->hold_window || !bd->unlog_window ||
	    !bd->ahead_window || !bd->cells)
		return oom(bd);
	status = set_minimums(bd);
	/* the plan from the earlier of the half-year and its school year to
	 * the later: God oppvekst's minimum counts the school year */
	filter.from = r->from < bd->wfrom ? r->from : bd->wfrom;
	filter.to = r->to > bd->wto ? r->to : bd->wto;
	if (status == PV_OK)
		status = load_consent_refs(bd);
	if (status == PV_OK)
		status = pv_plan_load(bd->db, &filter, &bd->plan, bd->err);
	if (status == PV_OK)
		status = count_meetings(bd);
	if (status == PV_OK)
		status = count_cases(bd);
	if (status == PV_OK)
		status = count_actions(bd);
	if (status == PV_OK)
		status = count_attendance(bd);
	if (status == PV_OK)
		status = collect_notes(bd);
	if (status == PV_OK)
		status = collect_experiences(bd);
	if (status == PV_OK)
		status = read_sent(bd);
	if (status != PV_OK)
		return status;
	for (size_t ri = 0; ri < r->nrows; ri++) {
		set_status(bd, ri);
		if (bd->any_meeting[ri])
			r->no_data = false;
	}
	status = suppress_themes(bd);
	if (status != PV_OK)
		return status;
	sum_total(bd);
	if (bd->opts->unit)
		keep_one_row(bd);
	/* without data there is nothing to judge: no unit "missed" anything */
	for (size_t ri = 0; !r->no_data && ri < r->nrows; ri++)
		r->status_count[r->rows[ri].status]++;
	return bd->box->oom ? oom(bd) : PV_OK;
}

enum pv_status pv_report_build(struct pv_db *db, const struct pv_report_options *opts,
			       struct pv_report **out, struct pv_error *err)
{
	struct builder bd = { .db = db, .opts = opts, .err = err };
	enum pv_status status;

	*out = NULL;
	if (opts->half != 1 && opts->half != 2)
		return pv_error_set(err, PV_EUSAGE, "the half-year is H1 or H2");
	if (opts->year < 1900 || opts->year > 2199)
		return pv_error_set(err, PV_EUSAGE, "year %d is out of range (1900–2199)",
				    opts->year);
	bd.box = calloc(1, sizeof *bd.box);
	if (!bd.box)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	bd.r = &bd.box->r;
	bd.r->year = opts->year;
	bd.r->half = opts->half;
	bd.r->as_of = opts->as_of;
	bd.r->no_data = true;
	status = build(&bd);
	for (size_t i = 0; i < bd.nconsent_refs; i++)
		free(bd.consent_refs[i]);
	free(bd.consent_refs);
	free(bd.refs_by_id);
	free(bd.cat);
	free(bd.any_meeting);
	free(bd.expected);
	free(bd.hold_window);
	free(bd.unlog_window);
	free(bd.ahead_window);
	free(bd.cells);
	pv_plan_free(bd.plan);
	pv_roster_free(bd.roster);
	pv_rules_free(bd.rules);
	if (status != PV_OK) {
		pv_report_free(bd.r);
		return status;
	}
	*out = bd.r;
	return PV_OK;
}
