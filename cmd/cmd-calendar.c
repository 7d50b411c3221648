/* patvers calendar: public holidays, school-year calendars, school and kindergarten days. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/calendar.h"
#include "patvers/date.h"
#include "patvers/holidays.h"

static const char *const kind_words[] = {
	[PV_SCHOOL] = "school",
	[PV_KINDERGARTEN] = "kindergarten",
};

/* Calendars exist for the school years the holiday module covers. */
static int check_year_range(struct cmd_ctx *ctx, int start_year)
{
	if (start_year < PV_HOLIDAY_YEAR_MIN || start_year >= PV_HOLIDAY_YEAR_MAX)
		return cmd_usage_error(ctx, "only school years %d/%02d" "\xe2\x80\x93" "%d/%02d "
				       "have calendars", PV_HOLIDAY_YEAR_MIN,
				       (PV_HOLIDAY_YEAR_MIN + 1) % 100, PV_HOLIDAY_YEAR_MAX - 1,
				       PV_HOLIDAY_YEAR_MAX % 100);
	return PV_OK;
}

/* "2026/27" (or "2026/2027") as a positional argument. */
static int parse_school_year(struct cmd_ctx *ctx, const char *text, int *start_year)
{
	if (!pv_school_year_parse(text, start_year))
		return cmd_usage_error(ctx, "'%s' is not a school year (e.g. 2026/27)", text);
	return check_year_range(ctx, *start_year);
}

static int parse_date_option(struct cmd_ctx *ctx, const char *option, const char *text,
			     pv_date *out)
{
	if (!pv_date_parse(text, out))
		return cmd_usage_error(ctx, "%s needs a date (YYYY-MM-DD), not '%s'", option, text);
	return PV_OK;
}

static int today_school_year(struct cmd_ctx *ctx, int *start_year)
{
	pv_date today;

	if (!pv_date_parse(ctx->today, &today))
		return pv_error_set(&ctx->err, PV_EUSAGE, "today's date '%s' (PATVERS_TODAY) is "
				    "not a date", ctx->today);
	*start_year = pv_school_year_of(today);
	return PV_OK;
}

/* A --unit must name a unit of the roster, when there is a database. */
static int check_unit(struct cmd_ctx *ctx, const char *unit)
{
	char kind[32];
	bool found;
	int status;

	if (!unit || !ctx->db)
		return PV_OK;
	status = pv_calendar_unit_kind(ctx->db, unit, &found, kind, sizeof kind, &ctx->err);
	if (status == PV_OK && !found)
		status = pv_error_set(&ctx->err, PV_EUSAGE,
				      "unknown unit '%s' (see 'patvers team list')", unit);
	return status;
}

static void fallback_note(struct cmd_ctx *ctx, int start_year)
{
	char year[8];

	cmd_note(ctx, "no calendar imported for %s: using the fallback (Monday" "\xe2\x80\x93"
		 "Friday minus public holidays)", pv_school_year_format(start_year, year));
}

/* Loads a year and says so on stderr when it is the fallback. */
static int load_year(struct cmd_ctx *ctx, int start_year, struct pv_calendar **cal)
{
	int status = pv_calendar_load(ctx->db, start_year, cal, &ctx->err);

	if (status == PV_OK && pv_calendar_is_fallback(*cal))
		fallback_note(ctx, start_year);
	return status;
}

static void out_date(struct pv_out *out, const char *key, pv_date d)
{
	char buf[11];

	pv_out_str(out, key, pv_date_format(d, buf));
}

/* ---- holidays ---- */

static int exec_holidays(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const columns[] = { "date", "weekday", "name", NULL };
	struct pv_holiday h[PV_HOLIDAYS_MAX];
	size_t n;
	char *end;
	long year;
	int status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	year = strtol(argv[optind], &end, 10);
	if (*end || end == argv[optind] || year < PV_HOLIDAY_YEAR_MIN || year > PV_HOLIDAY_YEAR_MAX)
		return cmd_usage_error(ctx, "YEAR must be a year %d" "\xe2\x80\x93" "%d, not '%s'",
				       PV_HOLIDAY_YEAR_MIN, PV_HOLIDAY_YEAR_MAX, argv[optind]);
	status = pv_holidays_of_year((int)year, h, &n, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "holidays");
	pv_out_int(ctx->out, "year", year);
	pv_out_begin_table(ctx->out, "holidays", columns);
	for (size_t i = 0; i < n; i++) {
		pv_out_begin_record(ctx->out);
		out_date(ctx->out, "date", h[i].date);
		pv_out_word(ctx->out, "weekday", pv_weekday_name(pv_date_weekday(h[i].date)));
		pv_out_str(ctx->out, "name", h[i].name);
		pv_out_str(ctx->out, "id", h[i].id);
		pv_out_end_record(ctx->out);
	}
	pv_out_end_table(ctx->out);
	return PV_OK;
}

/* ---- import ---- */

static void out_import(struct cmd_ctx *ctx, const char *name, bool replaced,
		       const struct pv_calendar_doc *doc, const struct pv_calendar *cal)
{
	pv_date first = pv_calendar_first_school_day(cal), last = pv_calendar_last_school_day(cal);
	char year[8];

	pv_out_begin(ctx->out, "calendar-import");
	pv_out_str(ctx->out, "imported", name);
	pv_out_str(ctx->out, "school_year", pv_school_year_format(pv_calendar_year(cal), year));
	pv_out_bool(ctx->out, "replaced", replaced);
	out_date(ctx->out, "first_school_day", first);
	out_date(ctx->out, "last_school_day", last);
	pv_out_int(ctx->out, "school_days", pv_calendar_count(cal, PV_SCHOOL, NULL, first, last));
	pv_out_int(ctx->out, "breaks", (long long)pv_calendar_doc_count(doc, PV_SPAN_BREAK));
	pv_out_int(ctx->out, "days_off", (long long)pv_calendar_doc_count(doc, PV_SPAN_DAY_OFF));
	pv_out_int(ctx->out, "planning_days",
		   (long long)pv_calendar_doc_count(doc, PV_SPAN_PLANNING_DAY));
	pv_out_int(ctx->out, "kindergarten_closed",
		   (long long)pv_calendar_doc_count(doc, PV_SPAN_KINDERGARTEN));
}

static int parse_import_options(struct cmd_ctx *ctx, int argc, char **argv,
				enum pv_calendar_format *format)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ 0 },
	};
	int c;

	*format = PV_CALENDAR_AUTO;
	while ((c = cmd_getopt(ctx, argc, argv, "t:", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		if (strcmp(optarg, "json") == 0)
			*format = PV_CALENDAR_JSON;
		else if (strcmp(optarg, "csv") == 0)
			*format = PV_CALENDAR_CSV;
		else
			return cmd_usage_error(ctx, "--type must be json or csv, not '%s'", optarg);
	}
	return cmd_check_args(ctx, argc - optind);
}

static int exec_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum pv_calendar_format format;
	struct pv_calendar_doc *doc = NULL;
	struct pv_calendar *cal = NULL;
	const char *path, *name;
	bool replaced = false;
	char *text;
	size_t len;
	int status;

	if (parse_import_options(ctx, argc, argv, &format))
		return PV_EUSAGE;
	path = argv[optind];
	name = strcmp(path, "-") ? path : "<stdin>";
	status = cmd_read_file(ctx, path, &text, &len);
	if (status != PV_OK)
		return status;
	status = pv_calendar_parse(text, len, name, format, &doc, &ctx->err);
	free(text);
	if (status == PV_OK)
		status = pv_calendar_store(ctx->db, doc, &replaced, &ctx->err);
	/* Loaded back inside the transaction, so the counts shown are the
	 * stored calendar's. */
	if (status == PV_OK)
		status = pv_calendar_load(ctx->db, pv_calendar_doc_year(doc), &cal, &ctx->err);
	if (status == PV_OK)
		out_import(ctx, name, replaced, doc, cal);
	pv_calendar_free(cal);
	pv_calendar_doc_free(doc);
	return status;
}

/* ---- show ---- */

static void show_months(struct cmd_ctx *ctx, const struct pv_calendar *cal, const char *unit)
{
	static const char *const columns[] = { "month", "school_days", "kindergarten_days",
					       NULL };
	int y = pv_calendar_year(cal);

	pv_out_begin_table(ctx->out, "months", columns);
	for (int i = 0; i < 12; i++) {
		int year = i < 5 ? y : y + 1, month = (i + 7) % 12 + 1;
		char label[24];

		snprintf(label, sizeof label, "%04d-%02d", year, month);
		pv_out_begin_record(ctx->out);
		pv_out_str(ctx->out, "month", label);
		pv_out_int(ctx->out, "school_days",
			   pv_calendar_count_month(cal, PV_SCHOOL, unit, year, month));
		pv_out_int(ctx->out, "kindergarten_days",
			   pv_calendar_count_month(cal, PV_KINDERGARTEN, unit, year, month));
		pv_out_end_record(ctx->out);
	}
	pv_out_end_table(ctx->out);
}

/* The half-years the school year touches (H2 of the start year, H1 and,
 * for July, H2 of the next), clipped to the school year, with school days
 * per weekday: what a planner needs to see whether the meetings fit. */
static void show_halves(struct cmd_ctx *ctx, const struct pv_calendar *cal, const char *unit)
{
	static const char *const columns[] = {
		"half", "from", "to", "school_days", "monday", "tuesday", "wednesday",
		"thursday", "friday", "kindergarten_days", NULL,
	};
	int y = pv_calendar_year(cal);
	pv_date year_first, year_last;

	pv_calendar_bounds(cal, &year_first, &year_last);
	pv_out_begin_table(ctx->out, "halves", columns);
	for (int k = 0; k < 3; k++) {
		int year = k ? y + 1 : y, half = k == 1 ? 1 : 2;
		pv_date first, last;
		char label[16];

		pv_half_bounds(year, half, &first, &last);
		first = first < year_first ? year_first : first;
		last = last > year_last ? year_last : last;
		snprintf(label, sizeof label, "H%d %d", half, year);
		pv_out_begin_record(ctx->out);
		pv_out_str(ctx->out, "half", label);
		out_date(ctx->out, "from", first);
		out_date(ctx->out, "to", last);
		pv_out_int(ctx->out, "school_days",
			   pv_calendar_count(cal, PV_SCHOOL, unit, first, last));
		for (int w = PV_MONDAY; w <= PV_FRIDAY; w++)
			pv_out_int(ctx->out, pv_weekday_name((enum pv_weekday)w),
				   pv_calendar_count_weekday(cal, PV_SCHOOL, unit, first, last,
							     (enum pv_weekday)w));
		pv_out_int(ctx->out, "kindergarten_days",
			   pv_calendar_count(cal, PV_KINDERGARTEN, unit, first, last));
		pv_out_end_record(ctx->out);
	}
	pv_out_end_table(ctx->out);
}

/* ISO weeks with a weekday in the span, e.g. [52, 53] for juleferie 2026. */
static void out_weeks(struct pv_out *out, const struct pv_calendar_span *s)
{
	int last_week = 0;

	pv_out_begin_list(out, "weeks");
	for (pv_date d = s->first; d <= s->last; d++) {
		int week = pv_date_iso_week(d, NULL);

		if (week != last_week && pv_date_weekday(d) <= PV_FRIDAY) {
			pv_out_int(out, NULL, week);
			last_week = week;
		}
	}
	pv_out_end_list(out);
}

static void show_closed(struct cmd_ctx *ctx, const struct pv_calendar *cal, const char *unit)
{
	static const char *const columns[] = { "kind", "from", "to", "weeks", "school_days",
					       "unit", "name", NULL };

	pv_out_begin_table(ctx->out, "closed", columns);
	for (size_t i = 0; i < pv_calendar_span_count(cal); i++) {
		const struct pv_calendar_span *s = pv_calendar_span_at(cal, i);
		int lost = 0;

		if (unit && s->unit && strcmp(unit, s->unit) != 0)
			continue;
		/* School days the span takes: weekdays in term that are not
		 * holidays (kindergarten spans take none). */
		if (s->kind != PV_SPAN_KINDERGARTEN && s->kind != PV_SPAN_KINDERGARTEN_RULE)
			for (pv_date d = s->first; d <= s->last; d++) {
				struct pv_day_reason r;
				pv_calendar_why(cal, PV_SCHOOL, s->unit, d, &r);
				lost += r.why == PV_DAY_SPAN && r.span == s &&
					pv_date_weekday(d) <= PV_FRIDAY;
			}
		pv_out_begin_record(ctx->out);
		pv_out_word(ctx->out, "kind", pv_span_kind_name(s->kind));
		out_date(ctx->out, "from", s->first);
		out_date(ctx->out, "to", s->last);
		out_weeks(ctx->out, s);
		pv_out_int(ctx->out, "school_days", lost);
		pv_out_str(ctx->out, "unit", s->unit);
		pv_out_str(ctx->out, "name", s->label);
		pv_out_end_record(ctx->out);
	}
	pv_out_end_table(ctx->out);
}

static int exec_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ 0 },
	};
	const char *unit = NULL;
	struct pv_calendar *cal;
	pv_date first, last;
	int c, start_year, status;
	char year[8];

	while ((c = cmd_getopt(ctx, argc, argv, "u:", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		unit = optarg;
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	status = optind < argc ? parse_school_year(ctx, argv[optind], &start_year)
			       : today_school_year(ctx, &start_year);
	if (status == PV_OK)
		status = check_unit(ctx, unit);
	if (status == PV_OK)
		status = load_year(ctx, start_year, &cal);
	if (status != PV_OK)
		return status;
	pv_calendar_bounds(cal, &first, &last);
	pv_out_begin(ctx->out, "calendar");
	pv_out_str(ctx->out, "school_year", pv_school_year_format(start_year, year));
	pv_out_str(ctx->out, "calendar", pv_calendar_is_fallback(cal) ? "fallback" : "imported");
	if (!pv_calendar_is_fallback(cal)) {
		pv_out_str(ctx->out, "name", pv_calendar_name(cal));
		pv_out_str(ctx->out, "source", pv_calendar_source(cal));
	}
	if (unit)
		pv_out_str(ctx->out, "unit", unit);
	out_date(ctx->out, "first_school_day", pv_calendar_first_school_day(cal));
	out_date(ctx->out, "last_school_day", pv_calendar_last_school_day(cal));
	pv_out_int(ctx->out, "school_days", pv_calendar_count(cal, PV_SCHOOL, unit, first, last));
	pv_out_int(ctx->out, "kindergarten_days",
		   pv_calendar_count(cal, PV_KINDERGARTEN, unit, first, last));
	show_months(ctx, cal, unit);
	show_halves(ctx, cal, unit);
	show_closed(ctx, cal, unit);
	pv_calendar_free(cal);
	return PV_OK;
}

/* ---- days ---- */

struct days_options {
	pv_date from, to;
	bool have_from, have_to;
	const char *unit;
	enum pv_day_kind kind;
};

static int parse_days_options(struct cmd_ctx *ctx, int argc, char **argv,
			      struct days_options *o)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "unit", required_argument, NULL, 'u' },
		{ "kindergarten", no_argument, NULL, 'k' },
		{ 0 },
	};
	int c, start_year;
	pv_date first, last;

	while ((c = cmd_getopt(ctx, argc, argv, "u:k", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		if (c == 'f' && parse_date_option(ctx, "--from", optarg, &o->from))
			return PV_EUSAGE;
		if (c == 't' && parse_date_option(ctx, "--to", optarg, &o->to))
			return PV_EUSAGE;
		o->have_from |= c == 'f';
		o->have_to |= c == 't';
		if (c == 'u')
			o->unit = optarg;
		if (c == 'k')
			o->kind = PV_KINDERGARTEN;
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (optind < argc) {
		if (parse_school_year(ctx, argv[optind], &start_year))
			return PV_EUSAGE;
		pv_school_year_bounds(start_year, &first, &last);
		o->from = o->have_from ? o->from : first;
		o->to = o->have_to ? o->to : last;
	} else if (!o->have_from || !o->have_to) {
		return cmd_usage_error(ctx, "give --from and --to, or a school year");
	}
	if (o->to < o->from)
		return cmd_usage_error(ctx, "--to is before --from");
	if (check_year_range(ctx, pv_school_year_of(o->from)) ||
	    check_year_range(ctx, pv_school_year_of(o->to)))
		return PV_EUSAGE;
	return PV_OK;
}

static void out_day(struct pv_out *out, pv_date d)
{
	pv_out_begin_record(out);
	out_date(out, "date", d);
	pv_out_word(out, "weekday", pv_weekday_name(pv_date_weekday(d)));
	pv_out_int(out, "week", pv_date_iso_week(d, NULL));
	pv_out_end_record(out);
}

/* The open days of one school year's part of the range. Text output is a
 * plain list, one date per line, for scripts. */
static int days_of_year(struct cmd_ctx *ctx, const struct days_options *o, int start_year,
			bool text, int *count)
{
	struct pv_calendar *cal;
	pv_date d, first, last;
	int status = load_year(ctx, start_year, &cal);
	bool ok;

	if (status != PV_OK)
		return status;
	pv_calendar_bounds(cal, &first, &last);
	last = last < o->to ? last : o->to;
	for (ok = pv_calendar_next(cal, o->kind, o->unit, o->from > first ? o->from : first, &d);
	     ok && d <= last; ok = pv_calendar_next(cal, o->kind, o->unit, d + 1, &d)) {
		char buf[11];

		if (text)
			pv_out_note(ctx->out, "%s", pv_date_format(d, buf));
		else
			out_day(ctx->out, d);
		(*count)++;
	}
	pv_calendar_free(cal);
	return PV_OK;
}

static int exec_days(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const columns[] = { "date", "weekday", "week", NULL };
	struct days_options o = { .kind = PV_SCHOOL };
	bool text = pv_out_format(ctx->out) == PV_FORMAT_TEXT;
	int status, count = 0;

	if (parse_days_options(ctx, argc, argv, &o))
		return PV_EUSAGE;
	status = check_unit(ctx, o.unit);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "calendar-days");
	if (!text) {
		out_date(ctx->out, "from", o.from);
		out_date(ctx->out, "to", o.to);
		pv_out_str(ctx->out, "kind", kind_words[o.kind]);
		pv_out_str(ctx->out, "unit", o.unit);
		pv_out_begin_table(ctx->out, "days", columns);
	}
	for (int y = pv_school_year_of(o.from); status == PV_OK && y <= pv_school_year_of(o.to);
	     y++)
		status = days_of_year(ctx, &o, y, text, &count);
	if (!text) {
		pv_out_end_table(ctx->out);
		pv_out_int(ctx->out, "count", count);
	}
	return status;
}

/* ---- day ---- */

static void out_reason(struct cmd_ctx *ctx, const struct pv_calendar *cal,
		       enum pv_day_kind kind, const char *unit, pv_date d)
{
	struct pv_day_reason r;
	char words[300], key[32];

	pv_calendar_why(cal, kind, unit, d, &r);
	snprintf(key, sizeof key, "%s_day", kind_words[kind]);
	pv_out_bool(ctx->out, key, r.why == PV_DAY_OPEN);
	snprintf(key, sizeof key, "%s_closed", kind_words[kind]);
	if (r.why == PV_DAY_OPEN)
		pv_out_null(ctx->out, key);
	else
		pv_out_str(ctx->out, key, pv_calendar_describe(cal, &r, words, sizeof words));
}

static int exec_day(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ 0 },
	};
	const char *unit = NULL;
	struct pv_calendar *cal;
	struct pv_day_reason r;
	char year[8], buf[11], words[300];
	pv_date d;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "u:", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		unit = optarg;
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (!pv_date_parse(argv[optind], &d))
		return cmd_usage_error(ctx, "'%s' is not a date (YYYY-MM-DD)", argv[optind]);
	if (check_year_range(ctx, pv_school_year_of(d)))
		return PV_EUSAGE;
	status = check_unit(ctx, unit);
	if (status == PV_OK)
		status = load_year(ctx, pv_school_year_of(d), &cal);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "calendar-day");
	out_date(ctx->out, "date", d);
	pv_out_word(ctx->out, "weekday", pv_weekday_name(pv_date_weekday(d)));
	pv_out_int(ctx->out, "week", pv_date_iso_week(d, NULL));
	pv_out_str(ctx->out, "school_year", pv_school_year_format(pv_calendar_year(cal), year));
	pv_out_str(ctx->out, "calendar", pv_calendar_is_fallback(cal) ? "fallback" : "imported");
	if (unit)
		pv_out_str(ctx->out, "unit", unit);
	out_reason(ctx, cal, PV_SCHOOL, unit, d);
	out_reason(ctx, cal, PV_KINDERGARTEN, unit, d);
	if (pv_calendar_why(cal, PV_SCHOOL, unit, d, &r) == PV_DAY_OPEN)
		pv_out_note(ctx->out, "%s is a school day", pv_date_format(d, buf));
	else
		pv_out_note(ctx->out, "%s is closed: %s", pv_date_format(d, buf),
			    pv_calendar_describe(cal, &r, words, sizeof words));
	pv_calendar_free(cal);
	return PV_OK;
}

/* ---- list ---- */

static int list_year(struct cmd_ctx *ctx, int start_year)
{
	struct pv_calendar *cal;
	int counts[PV_SPAN_KINDERGARTEN_RULE + 1] = { 0 };
	pv_date first, last;
	char year[8];
	int status = pv_calendar_load(ctx->db, start_year, &cal, &ctx->err);

	if (status != PV_OK)
		return status;
	for (size_t i = 0; i < pv_calendar_span_count(cal); i++)
		counts[pv_calendar_span_at(cal, i)->kind]++;
	pv_calendar_bounds(cal, &first, &last);
	pv_out_begin_record(ctx->out);
	pv_out_str(ctx->out, "school_year", pv_school_year_format(start_year, year));
	out_date(ctx->out, "first_school_day", pv_calendar_first_school_day(cal));
	out_date(ctx->out, "last_school_day", pv_calendar_last_school_day(cal));
	pv_out_int(ctx->out, "school_days", pv_calendar_count(cal, PV_SCHOOL, NULL, first, last));
	pv_out_int(ctx->out, "breaks", counts[PV_SPAN_BREAK]);
	pv_out_int(ctx->out, "days_off", counts[PV_SPAN_DAY_OFF]);
	pv_out_int(ctx->out, "planning_days", counts[PV_SPAN_PLANNING_DAY]);
	pv_out_int(ctx->out, "kindergarten_closed", counts[PV_SPAN_KINDERGARTEN]);
	pv_out_str(ctx->out, "name", pv_calendar_name(cal));
	pv_out_str(ctx->out, "source", pv_calendar_source(cal));
	pv_out_end_record(ctx->out);
	pv_calendar_free(cal);
	return PV_OK;
}

static int exec_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const columns[] = { "school_year", "first_school_day",
					       "last_school_day", "school_days", "name", NULL };
	int *years = NULL;
	size_t count = 0;
	int status = PV_OK;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	if (ctx->db)
		status = pv_calendar_years(ctx->db, &years, &count, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "calendar-list");
	pv_out_begin_table(ctx->out, "calendars", columns);
	for (size_t i = 0; status == PV_OK && i < count; i++)
		status = list_year(ctx, years[i]);
	pv_out_end_table(ctx->out);
	free(years);
	return status;
}

static const struct cmd_entry calendar_subs[] = {
	{
		.name = "holidays",
		.summary = N_("list the Norwegian public holidays of a year"),
		.usage = "YEAR",
		.help = N_("YEAR is a calendar year 1900\xe2\x80\x93" "2200.\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_NO_DB,
		.exec = exec_holidays,
	},
	{
		.name = "import",
		.summary = N_("import a school year's calendar (JSON or CSV); replaces that year"),
		.usage = "[--type json|csv] FILE",
		.help = N_("FILE may be '-' for standard input. The format follows the file name\n"
			"(.json, .csv), else the content. A bad file changes nothing and\n"
			"names the line and column or the JSON path at fault.\n"
			"\n"
			"options:\n"
			"  -t, --type json|csv  the format, whatever the file is called\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_import,
	},
	{
		.name = "show",
		.summary = N_("school and kindergarten days per month and half-year, breaks, weeks"),
		.usage = "[--unit UNIT] [SCHOOL-YEAR]",
		.help = N_("SCHOOL-YEAR is e.g. 2026/27; default: the one containing today.\n"
			"\n"
			"options:\n"
			"  -u, --unit UNIT  the calendar of one unit (its planning days)\n"),
		.max_args = 1,
		.needs = CMD_DB_OPTIONAL,
		.exec = exec_show,
	},
	{
		.name = "days",
		.summary = N_("the school (or kindergarten) days in a range, one per line"),
		.usage = "[--from DATE] [--to DATE] [--unit UNIT] [--kindergarten] [SCHOOL-YEAR]",
		.help = N_("Give --from and --to, or a SCHOOL-YEAR (e.g. 2026/27) that --from\n"
			"and --to may narrow.\n"
			"\n"
			"options:\n"
			"  --from DATE         first day of the range (YYYY-MM-DD)\n"
			"  --to DATE           last day of the range\n"
			"  -u, --unit UNIT     with the unit's own planning or closed days\n"
			"  -k, --kindergarten  kindergarten days instead of school days\n"),
		.max_args = 1,
		.needs = CMD_DB_OPTIONAL,
		.exec = exec_days,
	},
	{
		.name = "day",
		.summary = N_("whether a date is a school and a kindergarten day, and why not"),
		.usage = "[--unit UNIT] DATE",
		.help = N_("options:\n"
			"  -u, --unit UNIT  with the unit's own planning or closed days\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_OPTIONAL,
		.exec = exec_day,
	},
	{
		.name = "list",
		.summary = N_("the imported school-year calendars"),
		.usage = "",
		.max_args = 0,
		.needs = CMD_DB_OPTIONAL,
		.exec = exec_list,
	},
	{ 0 },
};

const struct cmd_entry cmd_calendar_entry = {
	.name = "calendar",
	.summary = N_("public holidays and school-year calendars: school and kindergarten days"),
	.usage = "holidays|import|show|days|day|list",
	.subs = calendar_subs,
};
