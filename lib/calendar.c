/* School-year calendars: import (JSON, CSV), storage, and O(1) day look-ups. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "patvers/i18n.h"
#include "patvers/audit.h"
#include "patvers/calendar.h"
#include "patvers/csvio.h"
#include "patvers/holidays.h"

#define DAYS_MAX 366
#define NO_SPAN (-1)
/* Bounds that keep a document and a loaded calendar small. */
#define ENTRIES_MAX 5000
#define LABEL_MAX 200
#define UNIT_MAX 100

#define EN_DASH "\xe2\x80\x93"

/* ---- the loaded calendar ---- */

/* Day flags shared by every unit. */
enum {
	B_WEEKEND = 1,
	B_HOLIDAY = 2,
	B_OUTSIDE_TERM = 4,   /* before the first or after the last school day */
};

/*
 * The answers for one unit (or, with unit NULL, for every unit without
 * days of its own): per day whether school and kindergarten are open, the
 * span that closes them, and running counts so any range is counted in
 * O(1). Index i is day first + i of the school year.
 */
struct view {
	char *unit;
	uint8_t open[DAYS_MAX];                 /* bit 1 << kind */
	int16_t span[2][DAYS_MAX];              /* [kind] covering span or NO_SPAN */
	uint16_t before[2][DAYS_MAX + 1];       /* [kind] open days before day i */
};

struct pv_calendar {
	int start_year;
	bool fallback;
	char *name;
	char *source;
	pv_date first, last;                    /* 1 August, 31 July */
	int ndays;
	pv_date first_school, last_school;
	uint8_t base[DAYS_MAX];
	struct pv_calendar_span *spans;         /* unit and label owned */
	size_t nspans;
	struct view common;
	struct view *units;
	size_t nunits;
	size_t *slots;                          /* hash of units: index + 1, 0 empty */
	size_t nslots;
};

/* Data; text output shows them translated (NC_: see patvers/i18n.h). */
static const char *const span_kind_names[] = {
	[PV_SPAN_BREAK] = NC_("value", "break"),
	[PV_SPAN_DAY_OFF] = NC_("value", "day-off"),
	[PV_SPAN_PLANNING_DAY] = NC_("value", "planning-day"),
	[PV_SPAN_KINDERGARTEN] = NC_("value", "kindergarten-closed"),
	[PV_SPAN_KINDERGARTEN_RULE] = NC_("value", "kindergarten-closed-rule"),
};

const char *pv_span_kind_name(enum pv_span_kind kind)
{
	if ((unsigned)kind >= sizeof span_kind_names / sizeof span_kind_names[0])
		return "?";
	return span_kind_names[kind];
}

static enum pv_day_kind span_category(enum pv_span_kind kind)
{
	return kind == PV_SPAN_KINDERGARTEN || kind == PV_SPAN_KINDERGARTEN_RULE ?
	       PV_KINDERGARTEN : PV_SCHOOL;
}

static size_t hash_slug(const char *s)
{
	uint64_t h = 14695981039346656037ULL;   /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static const struct view *view_for(const struct pv_calendar *cal, const char *unit)
{
	size_t i;

	if (!unit || !cal->nslots)
		return &cal->common;
	for (i = hash_slug(unit) & (cal->nslots - 1); cal->slots[i];
	     i = (i + 1) & (cal->nslots - 1)) {
		const struct view *v = &cal->units[cal->slots[i] - 1];
		if (strcmp(v->unit, unit) == 0)
			return v;
	}
	return &cal->common;
}

static int day_index(const struct pv_calendar *cal, pv_date d)
{
	return d >= cal->first && d <= cal->last ? (int)(d - cal->first) : -1;
}

void pv_calendar_free(struct pv_calendar *cal)
{
	size_t i;

	if (!cal)
		return;
	for (i = 0; i < cal->nspans; i++) {
		free((char *)cal->spans[i].unit);
		free((char *)cal->spans[i].label);
	}
	for (i = 0; i < cal->nunits; i++)
		free(cal->units[i].unit);
	free(cal->spans);
	free(cal->units);
	free(cal->slots);
	free(cal->name);
	free(cal->source);
	free(cal);
}

/* Adds a span; unit and label are copied. */
static enum pv_status add_span(struct pv_calendar *cal, enum pv_span_kind kind,
			       pv_date first, pv_date last, const char *unit,
			       const char *label, struct pv_error *err)
{
	struct pv_calendar_span *grown, *s;

	grown = realloc(cal->spans, (cal->nspans + 1) * sizeof *grown);
	if (!grown)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	cal->spans = grown;
	s = &cal->spans[cal->nspans];
	s->kind = kind;
	s->first = first;
	s->last = last;
	s->unit = unit ? strdup(unit) : NULL;
	s->label = strdup(label);
	if ((unit && !s->unit) || !s->label) {
		free((char *)s->unit);
		free((char *)s->label);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	cal->nspans++;
	return PV_OK;
}

/* Weekends and public holidays of the school year's two calendar years. */
static enum pv_status mark_base(struct pv_calendar *cal, struct pv_error *err)
{
	struct pv_holiday h[PV_HOLIDAYS_MAX];
	size_t n, k;
	int y, i;

	for (i = 0; i < cal->ndays; i++)
		if (pv_date_weekday(cal->first + i) >= PV_SATURDAY)
			cal->base[i] |= B_WEEKEND;
	for (y = cal->start_year; y <= cal->start_year + 1; y++) {
		enum pv_status st = pv_holidays_of_year(y, h, &n, err);
		if (st != PV_OK)
			return st;
		for (k = 0; k < n; k++) {
			i = day_index(cal, h[k].date);
			if (i >= 0)
				cal->base[i] |= B_HOLIDAY;
		}
	}
	return PV_OK;
}

/* "MM-DD" as month * 100 + day; the rules module has validated it. */
static int monthday_key(const char *s)
{
	return s && strlen(s) == 5 ? atoi(s) * 100 + atoi(s + 3) : -1;
}

/*
 * The rules' kindergarten_closed spans as dates of this year: every
 * maximal run of days whose month-day lies in from..to (wrapping over New
 * Year when to < from) becomes one span.
 */
static enum pv_status add_rule_spans(struct pv_calendar *cal, const struct pv_rules *rules,
				     struct pv_error *err)
{
	const json_t *list = pv_rules_get(rules, "kindergarten_closed");
	const json_t *item;
	size_t k;

	json_array_foreach((json_t *)list, k, item) {
		const char *from = json_string_value(json_object_get(item, "from"));
		const char *to = json_string_value(json_object_get(item, "to"));
		int kf = monthday_key(from), kt = monthday_key(to), run = -1, i;
		char label[64];

		if (kf < 0 || kt < 0)
			continue;
		snprintf(label, sizeof label, "closed by the rules (%s–%s)", from, to);
		for (i = 0; i <= cal->ndays; i++) {
			bool in = false;

			if (i < cal->ndays) {
				int m, d;
				pv_date_to_ymd(cal->first + i, NULL, &m, &d);
				int key = m * 100 + d;
				in = kf <= kt ? key >= kf && key <= kt : key >= kf || key <= kt;
			}
			if (in && run < 0)
				run = i;
			if (!in && run >= 0) {
				enum pv_status st = add_span(cal, PV_SPAN_KINDERGARTEN_RULE,
							     cal->first + run, cal->first + i - 1,
							     NULL, label, err);
				if (st != PV_OK)
					return st;
				run = -1;
			}
		}
	}
	return PV_OK;
}

static int compare_strings(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* Date order; ties by kind (imported before the rules'), then unit. */
static int compare_spans(const void *pa, const void *pb)
{
	const struct pv_calendar_span *a = pa, *b = pb;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->last != b->last)
		return a->last < b->last ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return compare_strings(a->unit, b->unit);
}

static void view_init(struct view *v)
{
	for (int i = 0; i < DAYS_MAX; i++)
		v->span[PV_SCHOOL][i] = v->span[PV_KINDERGARTEN][i] = NO_SPAN;
}

/* One view per unit that has days of its own, found through a hash. */
static enum pv_status make_unit_views(struct pv_calendar *cal, struct pv_error *err)
{
	size_t i, k;

	for (i = 0; i < cal->nspans; i++) {
		const char *unit = cal->spans[i].unit;
		struct view *grown;

		if (!unit || view_for(cal, unit) != &cal->common)
			continue;
		grown = realloc(cal->units, (cal->nunits + 1) * sizeof *grown);
		if (!grown)
			return pv_error_set(err, PV_ESOFTWARE, "out of memory");
		cal->units = grown;
		view_init(&cal->units[cal->nunits]);
		cal->units[cal->nunits].unit = strdup(unit);
		if (!cal->units[cal->nunits].unit)
			return pv_error_set(err, PV_ESOFTWARE, "out of memory");
		cal->nunits++;
		/* Rehash into a table at most half full. */
		if (cal->nunits * 2 > cal->nslots) {
			size_t n = cal->nslots ? cal->nslots * 2 : 16;
			size_t *slots = calloc(n, sizeof *slots);
			if (!slots)
				return pv_error_set(err, PV_ESOFTWARE, "out of memory");
			free(cal->slots);
			cal->slots = slots;
			cal->nslots = n;
			for (k = 0; k < cal->nunits - 1; k++) {
				size_t s = hash_slug(cal->units[k].unit) & (n - 1);
				while (slots[s])
					s = (s + 1) & (n - 1);
				slots[s] = k + 1;
			}
		}
		k = hash_slug(unit) & (cal->nslots - 1);
		while (cal->slots[k])
			k = (k + 1) & (cal->nslots - 1);
		cal->slots[k] = cal->nunits;
	}
	return PV_OK;
}

/* Marks span `si` on view `v` where no earlier span closes the day. */
static void apply_span(const struct pv_calendar *cal, struct view *v, size_t si)
{
	const struct pv_calendar_span *s = &cal->spans[si];
	enum pv_day_kind kind = span_category(s->kind);
	pv_date from = s->first > cal->first ? s->first : cal->first;
	pv_date to = s->last < cal->last ? s->last : cal->last;

	for (pv_date d = from; d <= to; d++) {
		int16_t *slot = &v->span[kind][d - cal->first];
		if (*slot == NO_SPAN)
			*slot = (int16_t)si;
	}
}

static void finish_view(const struct pv_calendar *cal, struct view *v)
{
	for (int i = 0; i < cal->ndays; i++) {
		uint8_t b = cal->base[i];
		bool school = !(b & (B_WEEKEND | B_HOLIDAY | B_OUTSIDE_TERM)) &&
			      v->span[PV_SCHOOL][i] == NO_SPAN;
		bool kg = !(b & (B_WEEKEND | B_HOLIDAY)) &&
			  v->span[PV_KINDERGARTEN][i] == NO_SPAN;

		v->open[i] = (uint8_t)((school ? 1u << PV_SCHOOL : 0) |
				       (kg ? 1u << PV_KINDERGARTEN : 0));
		v->before[PV_SCHOOL][i + 1] = (uint16_t)(v->before[PV_SCHOOL][i] + school);
		v->before[PV_KINDERGARTEN][i + 1] =
			(uint16_t)(v->before[PV_KINDERGARTEN][i] + kg);
	}
}

/* Spans sorted, unit views made, every span applied, counts ready. */
static enum pv_status build_views(struct pv_calendar *cal, struct pv_error *err)
{
	enum pv_status st;
	size_t i, u;

	if (cal->nspans > INT16_MAX)
		return pv_error_set(err, PV_EDATA, "too many closed spans in %d", cal->start_year);
	qsort(cal->spans, cal->nspans, sizeof *cal->spans, compare_spans);
	view_init(&cal->common);
	st = make_unit_views(cal, err);
	if (st != PV_OK)
		return st;
	for (i = 0; i < cal->nspans; i++) {
		const char *unit = cal->spans[i].unit;

		if (unit) {
			apply_span(cal, (struct view *)view_for(cal, unit), i);
			continue;
		}
		apply_span(cal, &cal->common, i);
		for (u = 0; u < cal->nunits; u++)
			apply_span(cal, &cal->units[u], i);
	}
	finish_view(cal, &cal->common);
	for (u = 0; u < cal->nunits; u++)
		finish_view(cal, &cal->units[u]);
	return PV_OK;
}

/* The fallback's term: the first and last weekday that is not a holiday. */
static void fallback_term(struct pv_calendar *cal)
{
	int i;

	cal->first_school = cal->first;
	cal->last_school = cal->last;
	for (i = 0; i < cal->ndays; i++)
		if (!(cal->base[i] & (B_WEEKEND | B_HOLIDAY))) {
			cal->first_school = cal->first + i;
			break;
		}
	for (i = cal->ndays - 1; i >= 0; i--)
		if (!(cal->base[i] & (B_WEEKEND | B_HOLIDAY))) {
			cal->last_school = cal->first + i;
			break;
		}
}

static void mark_term(struct pv_calendar *cal)
{
	for (int i = 0; i < cal->ndays; i++)
		if (cal->first + i < cal->first_school || cal->first + i > cal->last_school)
			cal->base[i] |= B_OUTSIDE_TERM;
}

static enum pv_status read_date_column(sqlite3_stmt *stmt, int col, pv_date *out,
				       int year, struct pv_error *err)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);

	if (!text || !pv_date_parse(text, out))
		return pv_error_set(err, PV_EDATA,
				    "the stored calendar %d holds a bad date '%s' "
				    "(run 'patvers db check', then import the year again)",
				    year, text ? text : "NULL");
	return PV_OK;
}

static char *column_strdup(sqlite3_stmt *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);

	return strdup(text ? text : "");
}

/* The imported year, if any: *found says whether there is one. */
static enum pv_status load_year_row(struct pv_db *db, struct pv_calendar *cal,
				    bool *found, struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status st;
	int rc;

	*found = false;
	st = pv_db_prepare(db, "SELECT first_day, last_day, name, source FROM calendar_year "
			   "WHERE school_year = ?", &stmt, err);
	if (st != PV_OK)
		return st;
	sqlite3_bind_int(stmt, 1, cal->start_year);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*found = true;
		st = read_date_column(stmt, 0, &cal->first_school, cal->start_year, err);
		if (st == PV_OK)
			st = read_date_column(stmt, 1, &cal->last_school, cal->start_year, err);
		free(cal->name);
		free(cal->source);
		cal->name = column_strdup(stmt, 2);
		cal->source = column_strdup(stmt, 3);
		if (st == PV_OK && (!cal->name || !cal->source))
			st = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	} else if (rc != SQLITE_DONE) {
		st = pv_db_fail(db, "cannot read the calendar", err);
	}
	sqlite3_finalize(stmt);
	return st;
}

static bool span_kind_parse(const char *name, enum pv_span_kind *out)
{
	for (size_t i = 0; i < PV_SPAN_KINDERGARTEN_RULE; i++)
		if (strcmp(name, span_kind_names[i]) == 0) {
			*out = (enum pv_span_kind)i;
			return true;
		}
	return false;
}

static enum pv_status load_span_rows(struct pv_db *db, struct pv_calendar *cal,
				     struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status st;
	int rc = SQLITE_DONE;

	st = pv_db_prepare(db, "SELECT kind, unit, first_day, last_day, label "
			   "FROM calendar_closed WHERE school_year = ? ORDER BY seq",
			   &stmt, err);
	if (st != PV_OK)
		return st;
	sqlite3_bind_int(stmt, 1, cal->start_year);
	while (st == PV_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(stmt, 0);
		const char *unit = (const char *)sqlite3_column_text(stmt, 1);
		const char *label = (const char *)sqlite3_column_text(stmt, 4);
		enum pv_span_kind k = PV_SPAN_BREAK;
		pv_date first, last;

		if (!kind || !span_kind_parse(kind, &k))
			st = pv_error_set(err, PV_EDATA, "the stored calendar %d holds an "
					  "unknown kind '%s'", cal->start_year,
					  kind ? kind : "NULL");
		if (st == PV_OK)
			st = read_date_column(stmt, 2, &first, cal->start_year, err);
		if (st == PV_OK)
			st = read_date_column(stmt, 3, &last, cal->start_year, err);
		if (st == PV_OK)
			st = add_span(cal, k, first, last, unit, label ? label : "", err);
	}
	if (st == PV_OK && rc != SQLITE_DONE)
		st = pv_db_fail(db, "cannot read the calendar", err);
	sqlite3_finalize(stmt);
	return st;
}

static enum pv_status load_imported(struct pv_db *db, struct pv_calendar *cal,
				    struct pv_error *err)
{
	bool found = false;
	enum pv_status st = load_year_row(db, cal, &found, err);

	if (st != PV_OK)
		return st;
	cal->fallback = !found;
	if (!found)
		return PV_OK;
	return load_span_rows(db, cal, err);
}

enum pv_status pv_calendar_load_with_rules(struct pv_db *db, const struct pv_rules *rules,
					   int start_year, struct pv_calendar **out,
					   struct pv_error *err)
{
	struct pv_rules *own_rules = NULL;
	struct pv_calendar *cal;
	enum pv_status st;

	*out = NULL;
	if (start_year < PV_HOLIDAY_YEAR_MIN || start_year >= PV_HOLIDAY_YEAR_MAX)
		return pv_error_set(err, PV_EDATA, "school year %d/%02d is outside %d/%02d"
				    EN_DASH "%d/%02d", start_year, (start_year + 1) % 100,
				    PV_HOLIDAY_YEAR_MIN, (PV_HOLIDAY_YEAR_MIN + 1) % 100,
				    PV_HOLIDAY_YEAR_MAX - 1, PV_HOLIDAY_YEAR_MAX % 100);
	cal = calloc(1, sizeof *cal);
	if (!cal || !(cal->name = strdup("")) || !(cal->source = strdup(""))) {
		pv_calendar_free(cal);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	cal->start_year = start_year;
	cal->fallback = true;
	pv_school_year_bounds(start_year, &cal->first, &cal->last);
	cal->ndays = (int)(cal->last - cal->first) + 1;
	st = mark_base(cal, err);
	if (st == PV_OK && db)
		st = load_imported(db, cal, err);
	if (st == PV_OK && !rules)
		st = db ? pv_rules_load(db, &own_rules, err) : pv_rules_default(&own_rules, err);
	if (st == PV_OK)
		st = add_rule_spans(cal, rules ? rules : own_rules, err);
	pv_rules_free(own_rules);
	if (st == PV_OK) {
		if (cal->fallback) {
			fallback_term(cal);
		} else {
			mark_term(cal);
		}
		st = build_views(cal, err);
	}
	if (st != PV_OK) {
		pv_calendar_free(cal);
		return st;
	}
	*out = cal;
	return PV_OK;
}

enum pv_status pv_calendar_load(struct pv_db *db, int start_year,
				struct pv_calendar **out, struct pv_error *err)
{
	return pv_calendar_load_with_rules(db, NULL, start_year, out, err);
}

/* ---- questions ---- */

int pv_calendar_year(const struct pv_calendar *cal)
{
	return cal->start_year;
}

bool pv_calendar_is_fallback(const struct pv_calendar *cal)
{
	return cal->fallback;
}

const char *pv_calendar_name(const struct pv_calendar *cal)
{
	return cal->name;
}

const char *pv_calendar_source(const struct pv_calendar *cal)
{
	return cal->source;
}

void pv_calendar_bounds(const struct pv_calendar *cal, pv_date *first, pv_date *last)
{
	if (first)
		*first = cal->first;
	if (last)
		*last = cal->last;
}

pv_date pv_calendar_first_school_day(const struct pv_calendar *cal)
{
	return cal->first_school;
}

pv_date pv_calendar_last_school_day(const struct pv_calendar *cal)
{
	return cal->last_school;
}

bool pv_calendar_is_open(const struct pv_calendar *cal, enum pv_day_kind kind,
			 const char *unit, pv_date d)
{
	int i = day_index(cal, d);

	return i >= 0 && (view_for(cal, unit)->open[i] >> kind & 1);
}

bool pv_calendar_is_school_day(const struct pv_calendar *cal, const char *unit, pv_date d)
{
	return pv_calendar_is_open(cal, PV_SCHOOL, unit, d);
}

bool pv_calendar_is_kindergarten_day(const struct pv_calendar *cal, const char *unit,
				     pv_date d)
{
	return pv_calendar_is_open(cal, PV_KINDERGARTEN, unit, d);
}

int pv_calendar_count(const struct pv_calendar *cal, enum pv_day_kind kind,
		      const char *unit, pv_date from, pv_date to)
{
	const struct view *v = view_for(cal, unit);

	if (from < cal->first)
		from = cal->first;
	if (to > cal->last)
		to = cal->last;
	if (from > to)
		return 0;
	return v->before[kind][to - cal->first + 1] - v->before[kind][from - cal->first];
}

int pv_calendar_count_weekday(const struct pv_calendar *cal, enum pv_day_kind kind,
			      const char *unit, pv_date from, pv_date to,
			      enum pv_weekday w)
{
	const struct view *v = view_for(cal, unit);
	int n = 0;

	if (from < cal->first)
		from = cal->first;
	if (to > cal->last)
		to = cal->last;
	for (pv_date d = from; d <= to; d++)
		if ((v->open[d - cal->first] >> kind & 1) && pv_date_weekday(d) == w)
			n++;
	return n;
}

int pv_calendar_count_month(const struct pv_calendar *cal, enum pv_day_kind kind,
			    const char *unit, int year, int month)
{
	pv_date first, next;

	if (month < 1 || month > 12 || !pv_date_from_ymd(year, month, 1, &first))
		return 0;
	if (!pv_date_from_ymd(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1,
			      &next))
		return 0;
	return pv_calendar_count(cal, kind, unit, first, next - 1);
}

int pv_calendar_count_half(const struct pv_calendar *cal, enum pv_day_kind kind,
			   const char *unit, int year, int half)
{
	pv_date first, last;

	pv_half_bounds(year, half, &first, &last);
	return pv_calendar_count(cal, kind, unit, first, last);
}

bool pv_calendar_next(const struct pv_calendar *cal, enum pv_day_kind kind,
		      const char *unit, pv_date from, pv_date *out)
{
	const struct view *v = view_for(cal, unit);
	int i;

	if (from > cal->last)
		return false;
	i = from < cal->first ? 0 : (int)(from - cal->first);
	/* The running counts skip a closed stretch in one step when nothing
	 * is open until the end of the year. */
	if (v->before[kind][cal->ndays] == v->before[kind][i])
		return false;
	for (; i < cal->ndays; i++)
		if (v->open[i] >> kind & 1) {
			*out = cal->first + i;
			return true;
		}
	return false;
}

enum pv_closed pv_calendar_why(const struct pv_calendar *cal, enum pv_day_kind kind,
			       const char *unit, pv_date d, struct pv_day_reason *out)
{
	int i = day_index(cal, d);
	const struct view *v;
	struct pv_holiday h;
	int16_t si;

	memset(out, 0, sizeof *out);
	out->date = d;
	if (i < 0)
		return out->why = PV_DAY_OUTSIDE_YEAR;
	v = view_for(cal, unit);
	if (v->open[i] >> kind & 1)
		return out->why = PV_DAY_OPEN;
	si = v->span[kind][i];
	if (si != NO_SPAN)
		out->span = &cal->spans[si];
	if ((cal->base[i] & B_HOLIDAY) && pv_holiday_lookup(d, &h)) {
		out->holiday = h.name;
		out->why = PV_DAY_HOLIDAY;
	} else if (out->span) {
		out->why = PV_DAY_SPAN;
	} else if (kind == PV_SCHOOL && (cal->base[i] & B_OUTSIDE_TERM)) {
		out->why = PV_DAY_OUTSIDE_TERM;
	} else {
		out->why = PV_DAY_WEEKEND;
	}
	return out->why;
}

char *pv_calendar_describe(const struct pv_calendar *cal, const struct pv_day_reason *r,
			   char *buf, size_t size)
{
	const struct pv_calendar_span *s = r->span;
	char date[11], year[8];

	if (!size)
		return buf;
	switch (r->why) {
	case PV_DAY_OPEN:
		snprintf(buf, size, "open");
		break;
	case PV_DAY_OUTSIDE_YEAR:
		snprintf(buf, size, "outside the school year %s",
			 pv_school_year_format(cal->start_year, year));
		break;
	case PV_DAY_HOLIDAY:
		if (s)
			snprintf(buf, size, "%s (%s)", r->holiday, s->label);
		else
			snprintf(buf, size, "%s", r->holiday);
		break;
	case PV_DAY_SPAN:
		if (s->unit)
			snprintf(buf, size, "%s (%s)", s->label, s->unit);
		else
			snprintf(buf, size, "%s", s->label);
		break;
	case PV_DAY_OUTSIDE_TERM:
		if (r->date < cal->first_school)
			snprintf(buf, size, "before the first school day (%s)",
				 pv_date_format(cal->first_school, date));
		else
			snprintf(buf, size, "after the last school day (%s)",
				 pv_date_format(cal->last_school, date));
		break;
	default:
		snprintf(buf, size, "weekend");
	}
	return buf;
}

size_t pv_calendar_span_count(const struct pv_calendar *cal)
{
	return cal->nspans;
}

const struct pv_calendar_span *pv_calendar_span_at(const struct pv_calendar *cal, size_t i)
{
	return i < cal->nspans ? &cal->spans[i] : NULL;
}

/* ---- documents: parsing ---- */

/* The parts of an entry an error can point at. */
enum field { F_TYPE, F_FROM, F_TO, F_UNIT, F_NAME, F_COUNT };

/* Where an entry came from: a CSV line and field numbers, or a JSON path. */
struct where {
	long line;
	int col[F_COUNT];        /* 1-based field numbers; 0 when absent */
	char path[48];           /* "breaks[2]"; "" for the top level */
	bool single;             /* JSON: the entry gave one "date" */
};

struct entry {
	enum pv_span_kind kind;
	pv_date first, last;
	char *unit;              /* NULL: every school / kindergarten */
	char *label;
	struct where at;
};

struct pv_calendar_doc {
	char *file;              /* as given, for messages */
	char *source;            /* the file's base name, stored with the year */
	bool json;
	int start_year;
	bool have_year;
	pv_date first_day, last_day;
	struct where year_at;
	char *name;
	struct entry *entries;
	size_t n;
};

void pv_calendar_doc_free(struct pv_calendar_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->n; i++) {
		free(doc->entries[i].unit);
		free(doc->entries[i].label);
	}
	free(doc->entries);
	free(doc->name);
	free(doc->source);
	free(doc->file);
	free(doc);
}

int pv_calendar_doc_year(const struct pv_calendar_doc *doc)
{
	return doc->start_year;
}

size_t pv_calendar_doc_count(const struct pv_calendar_doc *doc, enum pv_span_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < doc->n; i++)
		n += doc->entries[i].kind == kind;
	return n;
}

/* The JSON key an error about `f` of `w` names. */
static const char *json_key(const struct pv_calendar_doc *doc, const struct where *w,
			    enum field f)
{
	static const char *const top[F_COUNT] = { "school_year", "first_day", "last_day",
						  "unit", "name" };
	static const char *const entry[F_COUNT] = { NULL, "from", "to", "unit", "name" };

	if (w == &doc->year_at)
		return top[f];
	if ((f == F_FROM || f == F_TO) && w->single)
		return "date";
	return entry[f];
}

/* PV_EDATA at the position of field `f` of `w`: "file:line:col: what" for
 * CSV, "file: breaks[2].to: what" for JSON. */
static enum pv_status fail_at(const struct pv_calendar_doc *doc, const struct where *w,
			      enum field f, struct pv_error *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static enum pv_status fail_at(const struct pv_calendar_doc *doc, const struct where *w,
			      enum field f, struct pv_error *err, const char *fmt, ...)
{
	char what[768], path[128];
	const char *key;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, _(fmt), ap);   /* translated */
	va_end(ap);
	if (!doc->json)
		return pv_error_set_at(err, PV_EDATA, doc->file, w->line,
				       w->col[f] ? w->col[f] : w->col[F_TYPE], "%s", what);
	key = json_key(doc, w, f);
	if (!w->path[0])
		snprintf(path, sizeof path, "%s", key ? key : "(top level)");
	else if (key)
		snprintf(path, sizeof path, "%s.%s", w->path, key);
	else
		snprintf(path, sizeof path, "%s", w->path);
	return pv_error_set_at(err, PV_EDATA, doc->file, 0, 0, "%s: %s", path, what);
}

/* How an error names another entry: "breaks[0]" or "line 3". */
static void where_name(const struct pv_calendar_doc *doc, const struct where *w,
		       char *buf, size_t size)
{
	if (doc->json)
		snprintf(buf, size, "%s", w->path);
	else
		snprintf(buf, size, "line %ld", w->line);
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* A label or unit: one line for reports and terminals, bounded. */
static enum pv_status check_text(const struct pv_calendar_doc *doc, const struct where *w,
				 enum field f, const char *s, size_t max, struct pv_error *err)
{
	if (!*s)
		return fail_at(doc, w, f, err, "must not be empty");
	if (strlen(s) > max)
		return fail_at(doc, w, f, err, "longer than %zu bytes", max);
	if (has_control(s))
		return fail_at(doc, w, f, err, "contains a control character");
	return PV_OK;
}

static enum pv_status parse_date(const struct pv_calendar_doc *doc, const struct where *w,
				 enum field f, const char *text, pv_date *out,
				 struct pv_error *err)
{
	char shown[40];

	if (pv_date_parse(text, out))
		return PV_OK;
	snprintf(shown, sizeof shown, "%.32s%s", text, strlen(text) > 32 ? "..." : "");
	if (has_control(shown))
		return fail_at(doc, w, f, err, "not a date (YYYY-MM-DD or DD.MM.YYYY)");
	return fail_at(doc, w, f, err, "'%s' is not a real date (YYYY-MM-DD or DD.MM.YYYY)",
		       shown);
}

static const char *default_label(enum pv_span_kind kind)
{
	switch (kind) {
	case PV_SPAN_DAY_OFF:
		return "fridag";
	case PV_SPAN_PLANNING_DAY:
		return "planleggingsdag";
	default:
		return "stengt";
	}
}

/* Appends an entry; unit (may be NULL) and label (NULL: the kind's
 * default) are copied. */
static enum pv_status add_entry(struct pv_calendar_doc *doc, const struct entry *e,
				const char *unit, const char *label, struct pv_error *err)
{
	struct entry *grown, *n;

	if (doc->n >= ENTRIES_MAX)
		return fail_at(doc, &e->at, F_TYPE, err, "more than %d entries in one calendar",
			       ENTRIES_MAX);
	grown = realloc(doc->entries, (doc->n + 1) * sizeof *grown);
	if (!grown)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	doc->entries = grown;
	n = &doc->entries[doc->n];
	*n = *e;
	n->unit = unit ? strdup(unit) : NULL;
	n->label = strdup(label ? label : default_label(e->kind));
	if ((unit && !n->unit) || !n->label) {
		free(n->unit);
		free(n->label);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	doc->n++;
	return PV_OK;
}

/* ---- JSON ---- */

#define CALENDAR_SCHEMA "patvers/calendar/1"

struct json_list {
	const char *key;
	enum pv_span_kind kind;
	bool has_unit;
	bool needs_name;
};

static const struct json_list json_lists[] = {
	{ "breaks", PV_SPAN_BREAK, false, true },
	{ "days_off", PV_SPAN_DAY_OFF, false, false },
	{ "planning_days", PV_SPAN_PLANNING_DAY, true, false },
	{ "kindergarten_closed", PV_SPAN_KINDERGARTEN, true, false },
};

static const char *const json_top_keys[] = {
	"schema", "school_year", "name", "first_day", "last_day",
	"breaks", "days_off", "planning_days", "kindergarten_closed", NULL,
};

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static bool key_known(const char *key, const char *const *known)
{
	for (; *known; known++)
		if (strcmp(key, *known) == 0)
			return true;
	return false;
}

/* A JSON path for messages, e.g. "breaks[2]"; `key` is the file's and
 * may hold anything, so it is shown only when printable and short. */
static void path_of_key(char *buf, size_t size, const char *prefix, const char *key)
{
	bool plain = strlen(key) <= 40 && !has_control(key);

	snprintf(buf, size, "%s%s%s", prefix, *prefix ? "." : "", plain ? key : "(a key)");
}

/* Rejects keys `obj` may not have, naming the first one. */
static enum pv_status check_keys(const struct pv_calendar_doc *doc, const json_t *obj,
				 const char *prefix, const char *const *known,
				 struct pv_error *err)
{
	const char *key;
	json_t *val;
	char path[128];

	json_object_foreach((json_t *)obj, key, val) {
		if (key_known(key, known))
			continue;
		path_of_key(path, sizeof path, prefix, key);
		return pv_error_set_at(err, PV_EDATA, doc->file, 0, 0, "%s: unknown key", path);
	}
	return PV_OK;
}

/* A string member of `obj`: *out is NULL when absent. */
static enum pv_status json_string_member(const struct pv_calendar_doc *doc,
					 const struct where *w, enum field f,
					 const json_t *obj, const char *key,
					 const char **out, struct pv_error *err)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v)
		return PV_OK;
	if (!json_is_string(v))
		return fail_at(doc, w, f, err, "expected a string, got %s", json_type_name(v));
	*out = json_string_value(v);
	return PV_OK;
}

static enum pv_status json_date_member(const struct pv_calendar_doc *doc,
				       const struct where *w, enum field f,
				       const json_t *obj, const char *key, pv_date *out,
				       struct pv_error *err)
{
	const char *text;
	enum pv_status st = json_string_member(doc, w, f, obj, key, &text, err);

	if (st != PV_OK)
		return st;
	if (!text)
		return fail_at(doc, w, f, err, "missing");
	return parse_date(doc, w, f, text, out, err);
}

/* One object of a list: {"from", "to"} or {"date"}, "name", "unit". */
static enum pv_status json_entry(struct pv_calendar_doc *doc, const struct json_list *l,
				 size_t index, const json_t *obj, struct pv_error *err)
{
	static const char *const with_unit[] = { "date", "from", "to", "name", "unit", NULL };
	static const char *const without_unit[] = { "date", "from", "to", "name", NULL };
	struct entry e = { .kind = l->kind };
	const char *name = NULL, *unit = NULL;
	enum pv_status st;

	snprintf(e.at.path, sizeof e.at.path, "%s[%zu]", l->key, index);
	if (!json_is_object(obj))
		return fail_at(doc, &e.at, F_TYPE, err, "expected an object, got %s",
			       json_type_name(obj));
	st = check_keys(doc, obj, e.at.path, l->has_unit ? with_unit : without_unit, err);
	if (st != PV_OK)
		return st;
	e.at.single = json_object_get(obj, "date") != NULL;
	if (e.at.single && (json_object_get(obj, "from") || json_object_get(obj, "to")))
		return fail_at(doc, &e.at, F_TYPE, err,
			       "give either 'date' (one day) or 'from' and 'to', not both");
	if (e.at.single) {
		st = json_date_member(doc, &e.at, F_FROM, obj, "date", &e.first, err);
		e.last = e.first;
	} else {
		st = json_date_member(doc, &e.at, F_FROM, obj, "from", &e.first, err);
		if (st == PV_OK && !json_object_get(obj, "to"))
			return fail_at(doc, &e.at, F_TO, err,
				       "missing (use 'date' for a single day)");
		if (st == PV_OK)
			st = json_date_member(doc, &e.at, F_TO, obj, "to", &e.last, err);
	}
	if (st == PV_OK)
		st = json_string_member(doc, &e.at, F_NAME, obj, "name", &name, err);
	if (st == PV_OK && !name && l->needs_name)
		return fail_at(doc, &e.at, F_NAME, err, "missing (e.g. \"h\xc3\xb8stferie\")");
	if (st == PV_OK && name)
		st = check_text(doc, &e.at, F_NAME, name, LABEL_MAX, err);
	if (st == PV_OK)
		st = json_string_member(doc, &e.at, F_UNIT, obj, "unit", &unit, err);
	if (st == PV_OK && unit)
		st = check_text(doc, &e.at, F_UNIT, unit, UNIT_MAX, err);
	if (st != PV_OK)
		return st;
	return add_entry(doc, &e, unit, name, err);
}

static enum pv_status json_lists_parse(struct pv_calendar_doc *doc, const json_t *root,
				       struct pv_error *err)
{
	for (size_t k = 0; k < sizeof json_lists / sizeof json_lists[0]; k++) {
		const struct json_list *l = &json_lists[k];
		const json_t *list = json_object_get(root, l->key), *item;
		size_t i;

		if (!list)
			continue;
		if (!json_is_array(list))
			return pv_error_set_at(err, PV_EDATA, doc->file, 0, 0,
					       "%s: expected an array, got %s", l->key,
					       json_type_name(list));
		json_array_foreach(list, i, item) {
			enum pv_status st = json_entry(doc, l, i, item, err);
			if (st != PV_OK)
				return st;
		}
	}
	return PV_OK;
}

static enum pv_status json_top(struct pv_calendar_doc *doc, const json_t *root,
			       struct pv_error *err)
{
	const struct where *w = &doc->year_at;
	const char *schema, *year, *name;
	enum pv_status st;

	st = check_keys(doc, root, "", json_top_keys, err);
	if (st == PV_OK)
		st = json_string_member(doc, w, F_TYPE, root, "schema", &schema, err);
	if (st == PV_OK && schema && strcmp(schema, CALENDAR_SCHEMA) != 0)
		return pv_error_set_at(err, PV_EDATA, doc->file, 0, 0,
				       "schema: expected \"%s\"", CALENDAR_SCHEMA);
	if (st == PV_OK)
		st = json_string_member(doc, w, F_TYPE, root, "school_year", &year, err);
	if (st == PV_OK && !year)
		return fail_at(doc, w, F_TYPE, err, "missing (e.g. \"2026/27\")");
	if (st == PV_OK && !pv_school_year_parse(year, &doc->start_year))
		return fail_at(doc, w, F_TYPE, err, "not a school year (e.g. \"2026/27\")");
	doc->have_year = true;
	if (st == PV_OK)
		st = json_string_member(doc, w, F_NAME, root, "name", &name, err);
	if (st == PV_OK && name) {
		st = check_text(doc, w, F_NAME, name, LABEL_MAX, err);
		free(doc->name);
		doc->name = strdup(name);
		if (st == PV_OK && !doc->name)
			st = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	if (st == PV_OK)
		st = json_date_member(doc, w, F_FROM, root, "first_day", &doc->first_day, err);
	if (st == PV_OK)
		st = json_date_member(doc, w, F_TO, root, "last_day", &doc->last_day, err);
	return st;
}

static long clamp_position(int n)
{
	return n > 0 ? n : 0;
}

static enum pv_status parse_json(struct pv_calendar_doc *doc, const char *text, size_t len,
				 struct pv_error *err)
{
	json_error_t jerr;
	json_t *root;
	enum pv_status st;

	doc->json = true;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return pv_error_set_at(err, PV_EDATA, doc->file, clamp_position(jerr.line),
				       clamp_position(jerr.column), "%s", jerr.text);
	if (!json_is_object(root))
		st = pv_error_set_at(err, PV_EDATA, doc->file, 0, 0,
				     "expected a JSON object at the top level, got %s",
				     json_type_name(root));
	else
		st = json_top(doc, root, err);
	if (st == PV_OK)
		st = json_lists_parse(doc, root, err);
	json_decref(root);
	return st;
}

/* ---- CSV ---- */

static const char *const type_aliases[] = { "art", "hva", NULL };
static const char *const from_aliases[] = { "fra", "fom", "f.o.m.", "dato", "date", "start",
					    NULL };
static const char *const to_aliases[] = { "til", "tom", "t.o.m.", "slutt", "end", NULL };
static const char *const unit_aliases[] = { "enhet", "skole", "barnehage", NULL };
static const char *const name_aliases[] = { "navn", "merknad", "beskrivelse", "label", NULL };

/* In enum field order. */
static const struct pv_csv_column csv_columns[F_COUNT] = {
	{ "type", type_aliases, true },
	{ "from", from_aliases, true },
	{ "to", to_aliases, false },
	{ "unit", unit_aliases, false },
	{ "name", name_aliases, false },
};

/* Row types; SCHOOL_YEAR carries the first and last school day. */
#define ROW_SCHOOL_YEAR (-1)

static const struct {
	const char *name;
	int kind;
} row_types[] = {
	{ "school-year", ROW_SCHOOL_YEAR },
	{ "skole\xc3\xa5r", ROW_SCHOOL_YEAR },
	{ "skolear", ROW_SCHOOL_YEAR },
	{ "break", PV_SPAN_BREAK },
	{ "ferie", PV_SPAN_BREAK },
	{ "day-off", PV_SPAN_DAY_OFF },
	{ "fridag", PV_SPAN_DAY_OFF },
	{ "fri", PV_SPAN_DAY_OFF },
	{ "planning-day", PV_SPAN_PLANNING_DAY },
	{ "planleggingsdag", PV_SPAN_PLANNING_DAY },
	{ "plandag", PV_SPAN_PLANNING_DAY },
	{ "kindergarten-closed", PV_SPAN_KINDERGARTEN },
	{ "barnehage-stengt", PV_SPAN_KINDERGARTEN },
	{ "bhg-stengt", PV_SPAN_KINDERGARTEN },
};

struct csv_state {
	struct pv_calendar_doc *doc;
	int index[F_COUNT];
	size_t header_fields;
	bool header_done;
};

static bool row_type_parse(const char *text, int *kind)
{
	for (size_t i = 0; i < sizeof row_types / sizeof row_types[0]; i++)
		if (pv_csv_name_equal(text, row_types[i].name)) {
			*kind = row_types[i].kind;
			return true;
		}
	return false;
}

/* The trimmed field for `f`, "" when the column is absent. */
static const char *csv_field(const struct csv_state *s, const struct pv_csv_record *rec,
			     enum field f)
{
	int i = s->index[f];

	return i >= 0 ? pv_csv_trim(rec->fields[i]) : "";
}

static bool csv_blank(const struct pv_csv_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++)
		if (*pv_csv_trim(rec->fields[i]))
			return false;
	return true;
}

static enum pv_status csv_school_year(struct csv_state *s, const struct entry *e,
				      const char *unit, const char *name, struct pv_error *err)
{
	struct pv_calendar_doc *doc = s->doc;

	if (doc->have_year)
		return fail_at(doc, &e->at, F_TYPE, err,
			       "a second school-year row (the first is on line %ld)",
			       doc->year_at.line);
	if (*unit)
		return fail_at(doc, &e->at, F_UNIT, err, "a school-year row has no unit");
	doc->have_year = true;
	doc->year_at = e->at;
	doc->first_day = e->first;
	doc->last_day = e->last;
	doc->start_year = pv_school_year_of(e->first);
	if (*name) {
		enum pv_status st = check_text(doc, &e->at, F_NAME, name, LABEL_MAX, err);
		if (st != PV_OK)
			return st;
		free(doc->name);
		doc->name = strdup(name);
		if (!doc->name)
			return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	return PV_OK;
}

static enum pv_status csv_row(struct csv_state *s, const struct pv_csv_record *rec,
			      struct pv_error *err)
{
	struct pv_calendar_doc *doc = s->doc;
	struct entry e = { .at.line = rec->line };
	const char *type, *from, *to, *unit, *name;
	enum pv_status st;
	int kind;

	for (int f = 0; f < F_COUNT; f++)
		e.at.col[f] = s->index[f] + 1;
	if (rec->nfields != s->header_fields)
		return pv_error_set_at(err, PV_EDATA, doc->file, rec->line,
				       (long)(rec->nfields < s->header_fields ? rec->nfields :
					      s->header_fields) + 1,
				       "the row has %zu fields, the header %zu", rec->nfields,
				       s->header_fields);
	type = csv_field(s, rec, F_TYPE);
	from = csv_field(s, rec, F_FROM);
	to = csv_field(s, rec, F_TO);
	unit = csv_field(s, rec, F_UNIT);
	name = csv_field(s, rec, F_NAME);
	if (!row_type_parse(type, &kind))
		return fail_at(doc, &e.at, F_TYPE, err,
			       "unknown type '%.40s' (use skoleår, ferie, fridag, "
			       "planleggingsdag or barnehage-stengt)", type);
	if (!*from)
		return fail_at(doc, &e.at, F_FROM, err, "the date is missing");
	st = parse_date(doc, &e.at, F_FROM, from, &e.first, err);
	if (st == PV_OK && *to)
		st = parse_date(doc, &e.at, F_TO, to, &e.last, err);
	else
		e.last = e.first;
	if (st != PV_OK)
		return st;
	if (kind == ROW_SCHOOL_YEAR) {
		if (!*to)
			return fail_at(doc, &e.at, F_TO, err,
				       "the last school day is missing (the school-year row "
				       "gives the first and the last school day)");
		return csv_school_year(s, &e, unit, name, err);
	}
	e.kind = (enum pv_span_kind)kind;
	if (*unit && (kind == PV_SPAN_BREAK || kind == PV_SPAN_DAY_OFF))
		return fail_at(doc, &e.at, F_UNIT, err,
			       "%s are for every school; a day off for one school is a "
			       "planleggingsdag", kind == PV_SPAN_BREAK ? "breaks" : "days off");
	if (!*name && kind == PV_SPAN_BREAK)
		return fail_at(doc, &e.at, F_NAME, err,
			       "a break needs a name (e.g. h\xc3\xb8stferie)");
	if (*name && (st = check_text(doc, &e.at, F_NAME, name, LABEL_MAX, err)) != PV_OK)
		return st;
	if (*unit && (st = check_text(doc, &e.at, F_UNIT, unit, UNIT_MAX, err)) != PV_OK)
		return st;
	return add_entry(doc, &e, *unit ? unit : NULL, *name ? name : NULL, err);
}

static enum pv_status csv_record(const struct pv_csv_record *rec, void *arg,
				 struct pv_error *err)
{
	struct csv_state *s = arg;

	if (!s->header_done) {
		s->header_done = true;
		s->header_fields = rec->nfields;
		return pv_csv_map_header(rec, csv_columns, F_COUNT, s->index, s->doc->file, err);
	}
	if (csv_blank(rec))
		return PV_OK;   /* Excel keeps rows of empty cells */
	return csv_row(s, rec, err);
}

static enum pv_status parse_csv(struct pv_calendar_doc *doc, const char *text, size_t len,
				struct pv_error *err)
{
	struct csv_state s = { .doc = doc };
	enum pv_status st = pv_csv_read_buffer(text, len, doc->file, csv_record, &s, err);

	if (st != PV_OK)
		return st;
	if (!s.header_done)
		return pv_error_set_at(err, PV_EDATA, doc->file, 0, 0,
				       "empty file: expected a header (type;fra;til;enhet;navn)");
	if (!doc->have_year)
		return pv_error_set_at(err, PV_EDATA, doc->file, 0, 0,
				       "no school-year row (type 'skole\xc3\xa5r' with the first "
				       "and last school day in 'fra' and 'til')");
	return PV_OK;
}

/* ---- validation, shared by both formats ---- */

static bool is_weekend(pv_date d)
{
	int w = (int)pv_date_weekday(d);

	return w >= (int)PV_SATURDAY;
}

static enum pv_status check_school_day(const struct pv_calendar_doc *doc, enum field f,
				       pv_date d, const char *what, struct pv_error *err)
{
	struct pv_holiday h;
	char date[11];

	if (is_weekend(d))
		return fail_at(doc, &doc->year_at, f, err, "the %s school day %s is a %s", what,
			       pv_date_format(d, date), pv_weekday_name(pv_date_weekday(d)));
	if (pv_holiday_lookup(d, &h))
		return fail_at(doc, &doc->year_at, f, err, "the %s school day %s is %s", what,
			       pv_date_format(d, date), h.name);
	return PV_OK;
}

static enum pv_status check_year(const struct pv_calendar_doc *doc, pv_date y_first,
				 pv_date y_last, struct pv_error *err)
{
	char a[11], b[11], c[11], year[8];
	enum pv_status st;

	pv_school_year_format(doc->start_year, year);
	if (doc->start_year < PV_HOLIDAY_YEAR_MIN || doc->start_year >= PV_HOLIDAY_YEAR_MAX)
		return fail_at(doc, &doc->year_at, doc->json ? F_TYPE : F_FROM, err,
			       "the school year %s is outside %d/%02d–%d/%02d", year,
			       PV_HOLIDAY_YEAR_MIN, (PV_HOLIDAY_YEAR_MIN + 1) % 100,
			       PV_HOLIDAY_YEAR_MAX - 1, PV_HOLIDAY_YEAR_MAX % 100);
	pv_date_format(y_first, b);
	pv_date_format(y_last, c);
	if (doc->first_day < y_first || doc->first_day > y_last)
		return fail_at(doc, &doc->year_at, F_FROM, err,
			       "%s is outside the school year %s (%s–%s)",
			       pv_date_format(doc->first_day, a), year, b, c);
	if (doc->last_day < y_first || doc->last_day > y_last)
		return fail_at(doc, &doc->year_at, F_TO, err,
			       "%s is outside the school year %s (%s–%s)",
			       pv_date_format(doc->last_day, a), year, b, c);
	if (doc->last_day < doc->first_day)
		return fail_at(doc, &doc->year_at, F_TO, err,
			       "the last school day %s is before the first %s",
			       pv_date_format(doc->last_day, a), pv_date_format(doc->first_day, b));
	st = check_school_day(doc, F_FROM, doc->first_day, "first", err);
	return st ? st : check_school_day(doc, F_TO, doc->last_day, "last", err);
}

static bool scopes_meet(const struct entry *a, const struct entry *b)
{
	if (span_category(a->kind) != span_category(b->kind))
		return false;
	return !a->unit || !b->unit || strcmp(a->unit, b->unit) == 0;
}

static enum pv_status check_entry(const struct pv_calendar_doc *doc, size_t i,
				  pv_date y_first, pv_date y_last, struct pv_error *err)
{
	const struct entry *e = &doc->entries[i];
	char a[11], b[11], c[11], d[11], year[8], other[64];

	pv_school_year_format(doc->start_year, year);
	pv_date_format(y_first, b);
	pv_date_format(y_last, c);
	if (e->last < e->first)
		return fail_at(doc, &e->at, F_TO, err, "ends (%s) before it starts (%s)",
			       pv_date_format(e->last, a), pv_date_format(e->first, b));
	if (e->first < y_first || e->first > y_last)
		return fail_at(doc, &e->at, F_FROM, err,
			       "%s is outside the school year %s (%s–%s)",
			       pv_date_format(e->first, a), year, b, c);
	if (e->last > y_last)
		return fail_at(doc, &e->at, F_TO, err,
			       "%s is outside the school year %s (%s–%s)",
			       pv_date_format(e->last, a), year, b, c);
	/* Breaks and days off close schools in term; outside it they are
	 * a mistake (a wrong year, a swapped date). */
	if ((e->kind == PV_SPAN_BREAK || e->kind == PV_SPAN_DAY_OFF) &&
	    (e->first < doc->first_day || e->last > doc->last_day)) {
		bool early = e->first < doc->first_day;

		return fail_at(doc, &e->at, early ? F_FROM : F_TO, err,
			       "%s is not inside the term (first school day %s, last %s)",
			       pv_date_format(early ? e->first : e->last, a),
			       pv_date_format(doc->first_day, c), pv_date_format(doc->last_day, d));
	}
	for (size_t j = 0; j < i; j++) {
		const struct entry *o = &doc->entries[j];

		if (!scopes_meet(e, o) || o->last < e->first || e->last < o->first)
			continue;
		where_name(doc, &o->at, other, sizeof other);
		return fail_at(doc, &e->at, F_FROM, err,
			       "overlaps %s ('%.60s', %s–%s)", other, o->label,
			       pv_date_format(o->first, a), pv_date_format(o->last, b));
	}
	return PV_OK;
}

static enum pv_status validate(const struct pv_calendar_doc *doc, struct pv_error *err)
{
	pv_date y_first, y_last;
	enum pv_status st;

	pv_school_year_bounds(doc->start_year, &y_first, &y_last);
	st = check_year(doc, y_first, y_last, err);
	for (size_t i = 0; st == PV_OK && i < doc->n; i++)
		st = check_entry(doc, i, y_first, y_last, err);
	return st;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++) {
		char c = s[n - k + i];
		if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != suffix[i])
			return false;
	}
	return true;
}

enum pv_calendar_format pv_calendar_guess_format(const char *filename, const char *text,
						 size_t len)
{
	size_t i = 0;

	if (filename && ends_with(filename, ".json"))
		return PV_CALENDAR_JSON;
	if (filename && ends_with(filename, ".csv"))
		return PV_CALENDAR_CSV;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
			   text[i] == '\n'))
		i++;
	return i < len && text[i] == '{' ? PV_CALENDAR_JSON : PV_CALENDAR_CSV;
}

static char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return strdup(slash ? slash + 1 : path);
}

enum pv_status pv_calendar_parse(const char *text, size_t len, const char *filename,
				 enum pv_calendar_format format,
				 struct pv_calendar_doc **out, struct pv_error *err)
{
	struct pv_calendar_doc *doc;
	enum pv_status st;

	*out = NULL;
	if (!filename)
		filename = "<input>";
	doc = calloc(1, sizeof *doc);
	if (!doc || !(doc->source = base_name(filename)) || !(doc->name = strdup("")) ||
	    !(doc->file = strdup(filename))) {
		pv_calendar_doc_free(doc);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	if (format == PV_CALENDAR_AUTO)
		format = pv_calendar_guess_format(filename, text, len);
	if (format == PV_CALENDAR_JSON)
		st = parse_json(doc, text, len, err);
	else
		st = parse_csv(doc, text, len, err);
	if (st == PV_OK)
		st = validate(doc, err);
	if (st != PV_OK) {
		pv_calendar_doc_free(doc);
		return st;
	}
	*out = doc;
	return PV_OK;
}

/* ---- storing ---- */

enum pv_status pv_calendar_unit_kind(struct pv_db *db, const char *slug, bool *found,
				     char *buf, size_t size, struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status st;
	int rc;

	*found = false;
	if (size)
		buf[0] = '\0';
	st = pv_db_prepare(db, "SELECT kind FROM unit WHERE slug = ?", &stmt, err);
	if (st != PV_OK)
		return st;
	sqlite3_bind_text(stmt, 1, slug, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(stmt, 0);
		*found = true;
		snprintf(buf, size, "%s", kind ? kind : "");
	} else if (rc != SQLITE_DONE) {
		st = pv_db_fail(db, "cannot read units", err);
	}
	sqlite3_finalize(stmt);
	return st;
}

/* Planning days belong to schools, closed days to kindergartens. */
static enum pv_status check_units(struct pv_db *db, const struct pv_calendar_doc *doc,
				  struct pv_error *err)
{
	for (size_t i = 0; i < doc->n; i++) {
		const struct entry *e = &doc->entries[i];
		const char *want = span_category(e->kind) == PV_SCHOOL ? "school" : "kindergarten";
		char kind[32];
		bool found;
		enum pv_status st;

		if (!e->unit)
			continue;
		st = pv_calendar_unit_kind(db, e->unit, &found, kind, sizeof kind, err);
		if (st != PV_OK)
			return st;
		if (!found)
			return fail_at(doc, &e->at, F_UNIT, err,
				       "unknown unit '%s' (add it with 'patvers team')", e->unit);
		if (strcmp(kind, want) != 0)
			return fail_at(doc, &e->at, F_UNIT, err, "unit '%s' is a %s, not a %s",
				       e->unit, kind, want);
	}
	return PV_OK;
}

static enum pv_status year_exists(struct pv_db *db, int year, bool *exists,
				  struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status st;
	int rc;

	st = pv_db_prepare(db, "SELECT 1 FROM calendar_year WHERE school_year = ?", &stmt, err);
	if (st != PV_OK)
		return st;
	sqlite3_bind_int(stmt, 1, year);
	rc = sqlite3_step(stmt);
	*exists = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = pv_db_fail(db, "cannot read the calendar", err);
	sqlite3_finalize(stmt);
	return st;
}

/* Runs one statement that takes the year as its only parameter. */
static enum pv_status exec_for_year(struct pv_db *db, const char *sql, int year,
				    struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status st = pv_db_prepare(db, sql, &stmt, err);

	if (st != PV_OK)
		return st;
	sqlite3_bind_int(stmt, 1, year);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = pv_db_fail(db, "cannot write the calendar", err);
	sqlite3_finalize(stmt);
	return st;
}

static enum pv_status insert_year(struct pv_db *db, const struct pv_calendar_doc *doc,
				  struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status st;
	char first[11], last[11];

	st = pv_db_prepare(db, "INSERT INTO calendar_year (school_year, first_day, last_day, "
			   "name, source) VALUES (?, ?, ?, ?, ?)", &stmt, err);
	if (st != PV_OK)
		return st;
	sqlite3_bind_int(stmt, 1, doc->start_year);
	sqlite3_bind_text(stmt, 2, pv_date_format(doc->first_day, first), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, pv_date_format(doc->last_day, last), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, doc->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, doc->source, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = pv_db_fail(db, "cannot write the calendar", err);
	sqlite3_finalize(stmt);
	return st;
}

static enum pv_status insert_entries(struct pv_db *db, const struct pv_calendar_doc *doc,
				     struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status st;
	char first[11], last[11];

	st = pv_db_prepare(db, "INSERT INTO calendar_closed (school_year, seq, kind, unit, "
			   "first_day, last_day, label) VALUES (?, ?, ?, ?, ?, ?, ?)", &stmt, err);
	for (size_t i = 0; st == PV_OK && i < doc->n; i++) {
		const struct entry *e = &doc->entries[i];

		sqlite3_reset(stmt);
		sqlite3_bind_int(stmt, 1, doc->start_year);
		sqlite3_bind_int(stmt, 2, (int)i + 1);
		sqlite3_bind_text(stmt, 3, pv_span_kind_name(e->kind), -1, SQLITE_STATIC);
		if (e->unit)
			sqlite3_bind_text(stmt, 4, e->unit, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(stmt, 4);
		sqlite3_bind_text(stmt, 5, pv_date_format(e->first, first), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 6, pv_date_format(e->last, last), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 7, e->label, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			st = pv_db_fail(db, "cannot write the calendar", err);
	}
	if (stmt)
		sqlite3_finalize(stmt);
	return st;
}

static enum pv_status audit_import(struct pv_db *db, const struct pv_calendar_doc *doc,
				   bool replaced, struct pv_error *err)
{
	char summary[1024], year[8], first[11], last[11];
	size_t planning = pv_calendar_doc_count(doc, PV_SPAN_PLANNING_DAY);
	size_t closed = pv_calendar_doc_count(doc, PV_SPAN_KINDERGARTEN);

	snprintf(summary, sizeof summary,
		 "imported the calendar %s from '%.200s' (first school day %s, last %s; "
		 "%zu breaks, %zu days off, %zu planning day%s, %zu kindergarten closed "
		 "day%s)%s", pv_school_year_format(doc->start_year, year), doc->source,
		 pv_date_format(doc->first_day, first), pv_date_format(doc->last_day, last),
		 pv_calendar_doc_count(doc, PV_SPAN_BREAK),
		 pv_calendar_doc_count(doc, PV_SPAN_DAY_OFF), planning, planning == 1 ? "" : "s",
		 closed, closed == 1 ? "" : "s", replaced ? ", replacing the earlier one" : "");
	return pv_audit_append(db, "calendar", summary, err);
}

static enum pv_status store_steps(struct pv_db *db, const struct pv_calendar_doc *doc,
				  bool *replaced, struct pv_error *err)
{
	enum pv_status st = check_units(db, doc, err);

	if (st == PV_OK)
		st = year_exists(db, doc->start_year, replaced, err);
	if (st == PV_OK)
		st = exec_for_year(db, "DELETE FROM calendar_closed WHERE school_year = ?",
				   doc->start_year, err);
	if (st == PV_OK)
		st = exec_for_year(db, "DELETE FROM calendar_year WHERE school_year = ?",
				   doc->start_year, err);
	if (st == PV_OK)
		st = insert_year(db, doc, err);
	if (st == PV_OK)
		st = insert_entries(db, doc, err);
	if (st == PV_OK)
		st = audit_import(db, doc, *replaced, err);
	return st;
}

enum pv_status pv_calendar_store(struct pv_db *db, const struct pv_calendar_doc *doc,
				 bool *replaced, struct pv_error *err)
{
	bool was = false;
	enum pv_status st;

	/* A savepoint makes the import whole on its own, whatever the
	 * caller does with its transaction after a failure. */
	st = pv_db_exec(db, "SAVEPOINT pv_calendar_store", err);
	if (st != PV_OK)
		return st;
	st = store_steps(db, doc, &was, err);
	if (st != PV_OK)
		pv_db_exec(db, "ROLLBACK TO SAVEPOINT pv_calendar_store", NULL);
	if (st == PV_OK)
		st = pv_db_exec(db, "RELEASE SAVEPOINT pv_calendar_store", err);
	else
		pv_db_exec(db, "RELEASE SAVEPOINT pv_calendar_store", NULL);
	if (replaced)
		*replaced = was;
	return st;
}

enum pv_status pv_calendar_import(struct pv_db *db, const char *text, size_t len,
				  const char *filename, enum pv_calendar_format format,
				  int *start_year, struct pv_error *err)
{
	struct pv_calendar_doc *doc;
	enum pv_status st = pv_calendar_parse(text, len, filename, format, &doc, err);

	if (st != PV_OK)
		return st;
	st = pv_calendar_store(db, doc, NULL, err);
	if (st == PV_OK && start_year)
		*start_year = doc->start_year;
	pv_calendar_doc_free(doc);
	return st;
}

enum pv_status pv_calendar_years(struct pv_db *db, int **years, size_t *count,
				 struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status st;
	int rc;

	*years = NULL;
	*count = 0;
	st = pv_db_prepare(db, "SELECT school_year FROM calendar_year ORDER BY school_year",
			   &stmt, err);
	if (st != PV_OK)
		return st;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int *grown = realloc(*years, (*count + 1) * sizeof *grown);
		if (!grown) {
			st = pv_error_set(err, PV_ESOFTWARE, "out of memory");
			break;
		}
		*years = grown;
		(*years)[(*count)++] = sqlite3_column_int(stmt, 0);
	}
	if (st == PV_OK && rc != SQLITE_DONE)
		st = pv_db_fail(db, "cannot read the calendar", err);
	sqlite3_finalize(stmt);
	if (st != PV_OK) {
		free(*years);
		*years = NULL;
		*count = 0;
	}
	return st;
}
