/* Unit tests for lib/calendar.c: import, school and kindergarten days, reasons. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "patvers/calendar.h"
#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/rules.h"

struct fixture {
	char dir[64];
	char path[128];
	struct pv_db *db;
};

static pv_date day(const char *text)
{
	pv_date d = 0;

	if (!pv_date_parse(text, &d))
		fail_msg("bad date in test: '%s'", text);
	return d;
}

static void raw_sql(struct pv_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(pv_db_handle(db), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("sql failed: %s", msg ? msg : "?");
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct pv_error err;

	snprintf(f->dir, sizeof f->dir, "/tmp/pv-test-calendar-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/patvers.db", f->dir);
	assert_int_equal(pv_db_open(f->path, PV_DB_CREATE, 100, &f->db, &err), PV_OK);
	assert_int_equal(pv_db_set_actor(f->db, "tester", "test-calendar", &err), PV_OK);
	pv_db_set_clock(f->db, 1795000000);
	/* Units are the team module's; the tests put in the few they need. */
	raw_sql(f->db, "INSERT INTO unit (slug, name, kind) VALUES"
		       " ('hof', 'Hof skole', 'school'),"
		       " ('botne', 'Botne skole', 'school'),"
		       " ('eidsfoss', 'Eidsfoss barnehage', 'kindergarten'),"
		       " ('fredly', 'Fredly barnehage', 'kindergarten')");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];

	pv_db_close(f->db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Reads a file of the source tree (the tests run from its top). */
/* A file of the source tree by its path there, from any directory. */
static char *slurp(const char *path, size_t *len)
{
	char full[4096];
	FILE *fp;
	char *buf;
	long n;

	snprintf(full, sizeof full, "%s/%s", PV_SOURCE_DIR, path);
	fp = fopen(full, "rb");
	if (!fp)
		fail_msg("cannot open '%s'", full);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void import_text(struct pv_db *db, const char *text, const char *name)
{
	struct pv_error err;
	enum pv_status st;

	pv_error_clear(&err);
	st = pv_calendar_import(db, text, strlen(text), name, PV_CALENDAR_AUTO, NULL, &err);
	if (st != PV_OK)
		fail_msg("import of %s failed: %s:%ld:%ld: %s", name, err.file, err.line,
			 err.column, err.message);
}

static void import_file(struct pv_db *db, const char *path)
{
	size_t len;
	char *text = slurp(path, &len);

	import_text(db, text, path);
	free(text);
}

static struct pv_calendar *load(struct pv_db *db, int year)
{
	struct pv_calendar *cal = NULL;
	struct pv_error err;

	pv_error_clear(&err);
	if (pv_calendar_load(db, year, &cal, &err) != PV_OK)
		fail_msg("load %d failed: %s", year, err.message);
	return cal;
}

static struct pv_calendar *load_example(struct fixture *f)
{
	import_file(f->db, "examples/holmestrand/calendar-2026-27.json");
	return load(f->db, 2026);
}

/*
 * 2026/27 in Vestfold, counted by hand from FACTS.md (Mon–Fri in term,
 * less holidays, breaks and days off):
 *   Aug 17–21, 24–28, 31                              = 11
 *   Sep 1–30: 22 weekdays                             = 22
 *   Oct: 22 weekdays − høstferie 5–9                  = 17
 *   Nov: 21 weekdays                                  = 21
 *   Dec 1–18: 1–4, 7–11, 14–18                        = 14
 *   Jan 5–29 (1 Jan holiday in juleferie, 4 Jan planning day) = 19
 *   Feb: 20 − vinterferie 22–26                       = 15
 *   Mar: 23 − påskeferie 22–26 and 29 (25, 26, 29 are holidays too) = 17
 *   Apr: 22 weekdays                                  = 22
 *   May: 21 − 6, 7 (Ascension + fridag) − 17          = 18
 *   Jun 1–18: 1–4, 7–11, 14–18                        = 14
 *   Jul                                               = 0
 * H2 2026 = 11+22+17+21+14 = 85; H1 2027 = 19+15+17+22+18+14 = 105;
 * the year 190, as the Vestfold skolerute says.
 */
static void test_school_days_2026_27(void **state)
{
	static const struct {
		int year, month, days;
	} months[] = {
		{ 2026, 8, 11 }, { 2026, 9, 22 }, { 2026, 10, 17 }, { 2026, 11, 21 },
		{ 2026, 12, 14 }, { 2027, 1, 19 }, { 2027, 2, 15 }, { 2027, 3, 17 },
		{ 2027, 4, 22 }, { 2027, 5, 18 }, { 2027, 6, 14 }, { 2027, 7, 0 },
	};
	struct fixture *f = *state;
	struct pv_calendar *cal = load_example(f);
	pv_date first, last;

	assert_false(pv_calendar_is_fallback(cal));
	assert_int_equal(pv_calendar_year(cal), 2026);
	assert_int_equal(pv_calendar_first_school_day(cal), day("2026-08-17"));
	assert_int_equal(pv_calendar_last_school_day(cal), day("2027-06-18"));
	pv_calendar_bounds(cal, &first, &last);
	assert_int_equal(first, day("2026-08-01"));
	assert_int_equal(last, day("2027-07-31"));
	for (size_t i = 0; i < sizeof months / sizeof months[0]; i++)
		assert_int_equal(pv_calendar_count_month(cal, PV_SCHOOL, NULL, months[i].year,
							 months[i].month), months[i].days);
	assert_int_equal(pv_calendar_count_half(cal, PV_SCHOOL, NULL, 2026, 2), 85);
	assert_int_equal(pv_calendar_count_half(cal, PV_SCHOOL, NULL, 2027, 1), 105);
	assert_int_equal(pv_calendar_count(cal, PV_SCHOOL, NULL, first, last), 190);
	/* Ranges reaching outside the year are clipped to it. */
	assert_int_equal(pv_calendar_count(cal, PV_SCHOOL, NULL, day("2020-01-01"),
					   day("2030-01-01")), 190);
	assert_int_equal(pv_calendar_count(cal, PV_SCHOOL, NULL, day("2027-01-01"),
					   day("2026-12-01")), 0);
	pv_calendar_free(cal);
}

/*
 * DESIGN.md: "H2 2026 has 17 school Thursdays, two in the first two school
 * weeks". Thursdays 17 Aug – 18 Dec 2026: Aug 20, 27; Sep 3, 10, 17, 24;
 * Oct 1, 15, 22, 29 (8 Oct is in høstferie); Nov 5, 12, 19, 26; Dec 3, 10,
 * 17 = 2 + 4 + 4 + 4 + 3 = 17. Each weekday has 17 that half (85 / 5);
 * H1 2027 has Mon 19 (Jan 4, Mar 22 and 29, May 17 off), Tue 22, Wed 22,
 * Thu 21 (Mar 25, May 6), Fri 21 (Mar 26, May 7).
 */
static void test_weekdays_per_half(void **state)
{
	struct fixture *f = *state;
	struct pv_calendar *cal = load_example(f);
	static const int h1[5] = { 19, 22, 22, 21, 21 };
	pv_date a, b;

	pv_half_bounds(2026, 2, &a, &b);
	for (int w = PV_MONDAY; w <= PV_FRIDAY; w++)
		assert_int_equal(pv_calendar_count_weekday(cal, PV_SCHOOL, NULL, a, b,
							   (enum pv_weekday)w), 17);
	assert_int_equal(pv_calendar_count_weekday(cal, PV_SCHOOL, NULL, day("2026-08-17"),
						   day("2026-08-30"), PV_THURSDAY), 2);
	pv_half_bounds(2027, 1, &a, &b);
	for (int w = PV_MONDAY; w <= PV_FRIDAY; w++)
		assert_int_equal(pv_calendar_count_weekday(cal, PV_SCHOOL, NULL, a, b,
							   (enum pv_weekday)w), h1[w - 1]);
	assert_int_equal(pv_calendar_count_weekday(cal, PV_SCHOOL, NULL, a, b, PV_SATURDAY), 0);
	pv_calendar_free(cal);
}

static void assert_reason(const struct pv_calendar *cal, enum pv_day_kind kind,
			  const char *unit, const char *date, enum pv_closed why,
			  const char *words)
{
	struct pv_day_reason r;
	char buf[200];

	assert_int_equal(pv_calendar_why(cal, kind, unit, day(date), &r), why);
	assert_int_equal(r.why, why);
	assert_int_equal(r.date, day(date));
	pv_calendar_describe(cal, &r, buf, sizeof buf);
	if (strcmp(buf, words) != 0)
		fail_msg("%s: expected '%s', got '%s'", date, words, buf);
	assert_int_equal(pv_calendar_is_open(cal, kind, unit, day(date)), why == PV_DAY_OPEN);
}

/* The planner's message "2027-03-25 is closed: Skjærtorsdag (påskeferie)". */
static void test_closed_reasons(void **state)
{
	struct fixture *f = *state;
	struct pv_calendar *cal = load_example(f);

	assert_reason(cal, PV_SCHOOL, NULL, "2027-03-25", PV_DAY_HOLIDAY,
		      "Skj\xc3\xa6rtorsdag (p\xc3\xa5skeferie)");
	assert_reason(cal, PV_SCHOOL, NULL, "2027-05-06", PV_DAY_HOLIDAY,
		      "Kristi himmelfartsdag (fridag)");
	assert_reason(cal, PV_SCHOOL, NULL, "2027-05-07", PV_DAY_SPAN, "fridag");
	assert_reason(cal, PV_SCHOOL, NULL, "2027-03-23", PV_DAY_SPAN, "p\xc3\xa5skeferie");
	assert_reason(cal, PV_SCHOOL, NULL, "2027-01-04", PV_DAY_SPAN, "planleggingsdag");
	assert_reason(cal, PV_SCHOOL, NULL, "2026-10-10", PV_DAY_WEEKEND, "weekend");
	assert_reason(cal, PV_SCHOOL, NULL, "2026-08-14", PV_DAY_OUTSIDE_TERM,
		      "before the first school day (2026-08-17)");
	assert_reason(cal, PV_SCHOOL, NULL, "2027-06-21", PV_DAY_OUTSIDE_TERM,
		      "after the last school day (2027-06-18)");
	assert_reason(cal, PV_SCHOOL, NULL, "2027-08-02", PV_DAY_OUTSIDE_YEAR,
		      "outside the school year 2026/27");
	assert_reason(cal, PV_SCHOOL, NULL, "2027-01-05", PV_DAY_OPEN, "open");
	assert_true(pv_calendar_is_school_day(cal, NULL, day("2026-12-18")));
	assert_false(pv_calendar_is_school_day(cal, NULL, day("2027-03-25")));
	assert_false(pv_calendar_is_school_day(cal, NULL, day("2027-05-06")));
	pv_calendar_free(cal);
}

/* Iteration visits exactly the counted days, in order. */
static void test_next(void **state)
{
	struct fixture *f = *state;
	struct pv_calendar *cal = load_example(f);
	pv_date d, prev = 0, to = day("2027-07-31");
	bool ok;
	int n = 0;

	assert_true(pv_calendar_next(cal, PV_SCHOOL, NULL, day("2026-08-01"), &d));
	assert_int_equal(d, day("2026-08-17"));
	assert_true(pv_calendar_next(cal, PV_SCHOOL, NULL, day("2026-12-19"), &d));
	assert_int_equal(d, day("2027-01-05"));
	for (ok = pv_calendar_next(cal, PV_SCHOOL, NULL, day("2020-01-01"), &d); ok && d <= to;
	     ok = pv_calendar_next(cal, PV_SCHOOL, NULL, d + 1, &d)) {
		assert_true(d > prev);
		assert_true(pv_calendar_is_school_day(cal, NULL, d));
		prev = d;
		n++;
	}
	assert_int_equal(n, 190);
	assert_int_equal(prev, day("2027-06-18"));
	assert_false(pv_calendar_next(cal, PV_SCHOOL, NULL, day("2027-06-19"), &d));
	assert_false(pv_calendar_next(cal, PV_SCHOOL, NULL, day("2027-08-01"), &d));
	pv_calendar_free(cal);
}

/*
 * No import for 2027/28: Monday–Friday minus public holidays, 1 Aug 2027
 * (a Sunday) to 31 Jul 2028. Weekdays Aug–Dec 2027: 22+22+21+22+23 = 110
 * (25 Dec is a Saturday, 26 a Sunday); 2028: Jan 21 (1 Jan a Saturday),
 * Feb 21, Mar 23, Apr 20 − 13, 14, 17 (Easter 16 Apr) = 17, May 23 − 1,
 * 17, 25 (Ascension) = 20, Jun 22 − 5 (2. pinsedag) = 21, Jul 21 = 144.
 */
static void test_fallback_year(void **state)
{
	struct fixture *f = *state;
	struct pv_calendar *cal = load(f->db, 2027), *bare = NULL;
	struct pv_error err;

	assert_true(pv_calendar_is_fallback(cal));
	assert_string_equal(pv_calendar_name(cal), "");
	assert_int_equal(pv_calendar_first_school_day(cal), day("2027-08-02"));
	assert_int_equal(pv_calendar_last_school_day(cal), day("2028-07-31"));
	assert_int_equal(pv_calendar_count_half(cal, PV_SCHOOL, NULL, 2027, 2), 110);
	assert_int_equal(pv_calendar_count_half(cal, PV_SCHOOL, NULL, 2028, 1) +
			 pv_calendar_count_month(cal, PV_SCHOOL, NULL, 2028, 7), 144);
	assert_int_equal(pv_calendar_count_month(cal, PV_SCHOOL, NULL, 2028, 4), 17);
	assert_reason(cal, PV_SCHOOL, NULL, "2028-04-13", PV_DAY_HOLIDAY, "Skj\xc3\xa6rtorsdag");
	assert_reason(cal, PV_SCHOOL, NULL, "2027-08-01", PV_DAY_WEEKEND, "weekend");
	assert_true(pv_calendar_is_school_day(cal, "hof", day("2027-10-06")));
	assert_true(pv_calendar_is_school_day(cal, NULL, day("2027-12-27")));
	/* Without a database: the same fallback, and the default rules. */
	assert_int_equal(pv_calendar_load(NULL, 2027, &bare, &err), PV_OK);
	assert_true(pv_calendar_is_fallback(bare));
	assert_int_equal(pv_calendar_count(bare, PV_SCHOOL, NULL, day("2027-08-01"),
					   day("2028-07-31")), 254);
	assert_false(pv_calendar_is_kindergarten_day(bare, NULL, day("2028-07-03")));
	pv_calendar_free(bare);
	/* An imported year next to it stays imported. */
	pv_calendar_free(cal);
	import_file(f->db, "examples/holmestrand/calendar-2026-27.json");
	cal = load(f->db, 2027);
	assert_true(pv_calendar_is_fallback(cal));
	pv_calendar_free(cal);
	assert_int_equal(pv_calendar_load(NULL, 1899, &bare, &err), PV_EDATA);
	assert_null(bare);
}

/*
 * Kindergartens: open in school breaks, closed on weekends, holidays and
 * the default rules' 1–31 July and 24–31 December. 2026/27 weekdays:
 * 21+22+22+21+23 + 21+20+23+22+21+22+22 = 260, less the weekday holidays
 * (25 Dec; 1 Jan, 25, 26, 29 Mar, 6, 17 May = 7), less 24, 28–31 Dec (5)
 * and July's 22 weekdays: 260 − 7 − 5 − 22 = 226.
 */
static void test_kindergarten_days(void **state)
{
	struct fixture *f = *state;
	struct pv_calendar *cal = load_example(f);

	assert_true(pv_calendar_is_kindergarten_day(cal, NULL, day("2026-10-06")));
	assert_true(pv_calendar_is_kindergarten_day(cal, NULL, day("2027-01-04")));
	assert_true(pv_calendar_is_kindergarten_day(cal, NULL, day("2026-08-03")));
	assert_true(pv_calendar_is_kindergarten_day(cal, NULL, day("2026-12-23")));
	assert_true(pv_calendar_is_kindergarten_day(cal, NULL, day("2027-06-30")));
	assert_reason(cal, PV_KINDERGARTEN, NULL, "2027-07-05", PV_DAY_SPAN,
		      "closed by the rules (07-01\xe2\x80\x93" "07-31)");
	assert_reason(cal, PV_KINDERGARTEN, NULL, "2026-12-28", PV_DAY_SPAN,
		      "closed by the rules (12-24\xe2\x80\x93" "12-31)");
	assert_reason(cal, PV_KINDERGARTEN, NULL, "2026-12-25", PV_DAY_HOLIDAY,
		      "F\xc3\xb8rste juledag (closed by the rules (12-24\xe2\x80\x93" "12-31))");
	assert_reason(cal, PV_KINDERGARTEN, NULL, "2027-03-25", PV_DAY_HOLIDAY,
		      "Skj\xc3\xa6rtorsdag");
	assert_reason(cal, PV_KINDERGARTEN, NULL, "2026-10-10", PV_DAY_WEEKEND, "weekend");
	assert_int_equal(pv_calendar_count(cal, PV_KINDERGARTEN, NULL, day("2026-08-01"),
					   day("2027-07-31")), 226);
	assert_int_equal(pv_calendar_count_month(cal, PV_KINDERGARTEN, NULL, 2026, 12), 17);
	assert_int_equal(pv_calendar_count_month(cal, PV_KINDERGARTEN, NULL, 2027, 7), 0);
	pv_calendar_free(cal);
}

/* The rules' spans are data: one wrapping over New Year is applied too. */
static void test_kindergarten_rules_wrap(void **state)
{
	static const char rules_text[] =
		"{\"kindergarten_closed\": [{\"from\": \"12-27\", \"to\": \"01-02\"}]}";
	struct pv_rules *rules = NULL;
	struct pv_calendar *cal = NULL;
	struct pv_error err;
	struct pv_day_reason r;

	(void)state;
	assert_int_equal(pv_rules_parse(rules_text, strlen(rules_text), "r.json", &rules, &err),
			 PV_OK);
	assert_int_equal(pv_calendar_load_with_rules(NULL, rules, 2026, &cal, &err), PV_OK);
	pv_rules_free(rules);
	assert_true(pv_calendar_is_kindergarten_day(cal, NULL, day("2026-12-24")));
	assert_false(pv_calendar_is_kindergarten_day(cal, NULL, day("2026-12-28")));
	assert_false(pv_calendar_is_kindergarten_day(cal, NULL, day("2026-12-31")));
	assert_true(pv_calendar_is_kindergarten_day(cal, NULL, day("2027-01-04")));
	assert_true(pv_calendar_is_kindergarten_day(cal, NULL, day("2027-07-05")));
	pv_calendar_why(cal, PV_KINDERGARTEN, NULL, day("2026-12-29"), &r);
	assert_non_null(r.span);
	assert_int_equal(r.span->kind, PV_SPAN_KINDERGARTEN_RULE);
	assert_int_equal(r.span->first, day("2026-12-27"));
	assert_int_equal(r.span->last, day("2027-01-02"));
	pv_calendar_free(cal);
}

static const char unit_days[] =
	"{\n"
	"  \"school_year\": \"2026/27\",\n"
	"  \"first_day\": \"2026-08-17\",\n"
	"  \"last_day\": \"2027-06-18\",\n"
	"  \"planning_days\": [\n"
	"    { \"unit\": \"hof\", \"from\": \"2026-08-13\", \"to\": \"2026-08-14\" },\n"
	"    { \"unit\": \"hof\", \"date\": \"2026-11-13\" }\n"
	"  ],\n"
	"  \"kindergarten_closed\": [\n"
	"    { \"unit\": \"eidsfoss\", \"date\": \"2026-11-13\", \"name\": \"planleggingsdag\" },\n"
	"    { \"date\": \"2027-05-07\", \"name\": \"inneklemt dag\" }\n"
	"  ]\n"
	"}\n";

/* A planning day for one unit closes that unit only. */
static void test_unit_planning_day(void **state)
{
	struct fixture *f = *state;
	struct pv_calendar *cal;
	pv_date nov13 = day("2026-11-13");

	import_text(f->db, unit_days, "units.json");
	cal = load(f->db, 2026);
	assert_false(pv_calendar_is_school_day(cal, "hof", nov13));
	assert_true(pv_calendar_is_school_day(cal, NULL, nov13));
	assert_true(pv_calendar_is_school_day(cal, "botne", nov13));
	assert_true(pv_calendar_is_school_day(cal, "no-such-unit", nov13));
	assert_reason(cal, PV_SCHOOL, "hof", "2026-11-13", PV_DAY_SPAN,
		      "planleggingsdag (hof)");
	/* Before the first school day it stays "before the first day" for
	 * others, and names the planning day for Hof. */
	assert_reason(cal, PV_SCHOOL, "hof", "2026-08-14", PV_DAY_SPAN,
		      "planleggingsdag (hof)");
	assert_reason(cal, PV_SCHOOL, "botne", "2026-08-14", PV_DAY_OUTSIDE_TERM,
		      "before the first school day (2026-08-17)");
	/* Without breaks this year has every weekday in term but holidays. */
	assert_int_equal(pv_calendar_count(cal, PV_SCHOOL, "hof", day("2026-11-01"),
					   day("2026-11-30")), 20);
	assert_int_equal(pv_calendar_count(cal, PV_SCHOOL, "botne", day("2026-11-01"),
					   day("2026-11-30")), 21);
	assert_false(pv_calendar_is_kindergarten_day(cal, "eidsfoss", nov13));
	assert_true(pv_calendar_is_kindergarten_day(cal, "fredly", nov13));
	assert_true(pv_calendar_is_kindergarten_day(cal, "hof", nov13));
	/* A closed day for every kindergarten closes Eidsfoss too. */
	assert_false(pv_calendar_is_kindergarten_day(cal, "eidsfoss", day("2027-05-07")));
	assert_false(pv_calendar_is_kindergarten_day(cal, NULL, day("2027-05-07")));
	assert_true(pv_calendar_is_school_day(cal, "eidsfoss", day("2027-05-07")));
	assert_int_equal(pv_calendar_span_count(cal), 6);   /* 4 imported + 2 rules */
	assert_int_equal(pv_calendar_span_at(cal, 0)->kind, PV_SPAN_PLANNING_DAY);
	assert_string_equal(pv_calendar_span_at(cal, 0)->unit, "hof");
	assert_null(pv_calendar_span_at(cal, 6));
	pv_calendar_free(cal);
}

/* The CSV example and the JSON example describe the same year. */
static void test_csv_matches_json(void **state)
{
	struct fixture *f = *state;
	struct pv_calendar *json_cal, *csv_cal;
	pv_date first, last;

	json_cal = load_example(f);
	import_file(f->db, "tests/data/calendar-2026-27.csv");
	csv_cal = load(f->db, 2026);
	pv_calendar_bounds(csv_cal, &first, &last);
	for (pv_date d = first; d <= last; d++) {
		assert_int_equal(pv_calendar_is_school_day(json_cal, NULL, d),
				 pv_calendar_is_school_day(csv_cal, NULL, d));
		assert_int_equal(pv_calendar_is_kindergarten_day(json_cal, NULL, d),
				 pv_calendar_is_kindergarten_day(csv_cal, NULL, d));
	}
	assert_int_equal(pv_calendar_span_count(json_cal), pv_calendar_span_count(csv_cal));
	for (size_t i = 0; i < pv_calendar_span_count(csv_cal); i++) {
		const struct pv_calendar_span *a = pv_calendar_span_at(json_cal, i);
		const struct pv_calendar_span *b = pv_calendar_span_at(csv_cal, i);
		assert_int_equal(a->kind, b->kind);
		assert_int_equal(a->first, b->first);
		assert_int_equal(a->last, b->last);
		assert_string_equal(a->label, b->label);
	}
	assert_string_equal(pv_calendar_name(json_cal), pv_calendar_name(csv_cal));
	assert_string_equal(pv_calendar_source(csv_cal), "calendar-2026-27.csv");
	pv_calendar_free(json_cal);
	pv_calendar_free(csv_cal);
}

static int count_rows(struct pv_db *db, const char *sql)
{
	sqlite3_stmt *stmt;
	int n;

	assert_int_equal(sqlite3_prepare_v2(pv_db_handle(db), sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

/* Re-importing a year replaces it; other years stay; each import is audited. */
static void test_reimport_replaces(void **state)
{
	struct fixture *f = *state;
	struct pv_calendar_doc *doc;
	struct pv_error err;
	size_t len, count;
	bool replaced = true;
	int *years;
	char *text;

	import_file(f->db, "examples/holmestrand/calendar-2026-27.json");
	import_file(f->db, "examples/holmestrand/calendar-2025-26.json");
	text = slurp("examples/holmestrand/calendar-2026-27.json", &len);
	assert_int_equal(pv_calendar_parse(text, len, "again.json", PV_CALENDAR_AUTO, &doc,
					   &err), PV_OK);
	free(text);
	assert_int_equal(pv_calendar_doc_year(doc), 2026);
	assert_int_equal(pv_calendar_doc_count(doc, PV_SPAN_BREAK), 4);
	assert_int_equal(pv_calendar_doc_count(doc, PV_SPAN_DAY_OFF), 2);
	assert_int_equal(pv_calendar_doc_count(doc, PV_SPAN_PLANNING_DAY), 1);
	assert_int_equal(pv_calendar_store(f->db, doc, &replaced, &err), PV_OK);
	assert_true(replaced);
	pv_calendar_doc_free(doc);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM calendar_closed "
				    "WHERE school_year = 2026"), 7);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit "
				    "WHERE entity = 'calendar'"), 3);
	assert_int_equal(pv_calendar_years(f->db, &years, &count, &err), PV_OK);
	assert_int_equal(count, 2);
	assert_int_equal(years[0], 2025);
	assert_int_equal(years[1], 2026);
	free(years);
}

/* 2025/26 from FACTS.md and the Vestfold skolerute: 85 + 105 = 190. */
static void test_school_days_2025_26(void **state)
{
	struct fixture *f = *state;
	struct pv_calendar *cal;

	import_file(f->db, "examples/holmestrand/calendar-2025-26.json");
	cal = load(f->db, 2025);
	assert_int_equal(pv_calendar_count_half(cal, PV_SCHOOL, NULL, 2025, 2), 85);
	assert_int_equal(pv_calendar_count_half(cal, PV_SCHOOL, NULL, 2026, 1), 105);
	assert_int_equal(pv_calendar_count_month(cal, PV_SCHOOL, NULL, 2025, 12), 15);
	assert_int_equal(pv_calendar_count_month(cal, PV_SCHOOL, NULL, 2026, 4), 18);
	assert_int_equal(pv_calendar_count_month(cal, PV_SCHOOL, NULL, 2026, 5), 17);
	assert_reason(cal, PV_SCHOOL, NULL, "2026-04-06", PV_DAY_HOLIDAY,
		      "Andre p\xc3\xa5skedag (p\xc3\xa5skeferie)");
	assert_true(pv_calendar_is_school_day(cal, NULL, day("2025-12-19")));
	assert_true(pv_calendar_is_school_day(cal, NULL, day("2026-01-05")));
	pv_calendar_free(cal);
}

/* One bad document: where the error must point and what it must say. */
struct bad_case {
	const char *name;        /* file name (its extension picks the format) */
	const char *text;
	long line, column;       /* -1: any positive value */
	const char *message;     /* a part of the message */
};

#define JSON_DOC(rest) "{\"school_year\": \"2026/27\", \"first_day\": \"2026-08-17\", " \
		       "\"last_day\": \"2027-06-18\", " rest "}"
#define CSV_HEAD "type;fra;til;enhet;navn\n"
#define CSV_YEAR "skole\xc3\xa5r;2026-08-17;2027-06-18;;\n"

static const struct bad_case bad_cases[] = {
	{ "bad-date.json",
	  JSON_DOC("\"breaks\": [{\"name\": \"h\", \"from\": \"2026-10-05\","
		   " \"to\": \"2026-10-09\"},"
		   " {\"name\": \"v\", \"from\": \"2027-02-22\", \"to\": \"2027-02-30\"}]"),
	  0, 0, "breaks[1].to: '2027-02-30' is not a real date" },
	{ "outside.json",
	  JSON_DOC("\"breaks\": [{\"name\": \"s\", \"from\": \"2027-08-02\","
		   " \"to\": \"2027-08-06\"}]"),
	  0, 0, "breaks[0].from: 2027-08-02 is outside the school year 2026/27" },
	{ "reversed.json",
	  JSON_DOC("\"days_off\": [{\"from\": \"2026-11-13\", \"to\": \"2026-11-12\"}]"),
	  0, 0, "days_off[0].to: ends (2026-11-12) before it starts (2026-11-13)" },
	{ "outside-term.json",
	  JSON_DOC("\"days_off\": [{\"date\": \"2027-06-25\"}]"),
	  0, 0, "days_off[0].date: 2027-06-25" },
	{ "first-after-last.json",
	  "{\"school_year\": \"2026/27\", \"first_day\": \"2027-06-18\", "
	  "\"last_day\": \"2026-08-17\"}",
	  0, 0, "last_day: the last school day 2026-08-17 is before the first 2027-06-18" },
	{ "wrong-year.json",
	  "{\"school_year\": \"2026/27\", \"first_day\": \"2025-08-18\", "
	  "\"last_day\": \"2027-06-18\"}",
	  0, 0, "first_day: 2025-08-18 is outside the school year 2026/27" },
	{ "sunday.json",
	  "{\"school_year\": \"2026/27\", \"first_day\": \"2026-08-16\", "
	  "\"last_day\": \"2027-06-18\"}",
	  0, 0, "first_day: the first school day 2026-08-16 is a sunday" },
	{ "overlap.json",
	  JSON_DOC("\"breaks\": [{\"name\": \"h\", \"from\": \"2026-10-05\","
		   " \"to\": \"2026-10-09\"}], \"days_off\": [{\"date\": \"2026-10-09\"}]"),
	  0, 0, "days_off[0].date: overlaps breaks[0] ('h', 2026-10-05" },
	{ "unknown-key.json", JSON_DOC("\"brakes\": []"), 0, 0, "brakes: unknown key" },
	{ "unit-on-break.json",
	  JSON_DOC("\"breaks\": [{\"name\": \"h\", \"unit\": \"hof\", \"date\": \"2026-10-05\"}]"),
	  0, 0, "breaks[0].unit: unknown key" },
	{ "no-name.json",
	  JSON_DOC("\"breaks\": [{\"from\": \"2026-10-05\", \"to\": \"2026-10-09\"}]"),
	  0, 0, "breaks[0].name: missing" },
	{ "no-to.json", JSON_DOC("\"days_off\": [{\"from\": \"2026-10-05\"}]"),
	  0, 0, "days_off[0].to: missing" },
	{ "both.json",
	  JSON_DOC("\"days_off\": [{\"date\": \"2026-10-05\", \"from\": \"2026-10-05\"}]"),
	  0, 0, "days_off[0]: give either 'date'" },
	{ "not-list.json", JSON_DOC("\"breaks\": {}"), 0, 0, "breaks: expected an array" },
	{ "control.json",
	  JSON_DOC("\"days_off\": [{\"date\": \"2026-10-05\", \"name\": \"a\\u0007b\"}]"),
	  0, 0, "days_off[0].name: contains a control character" },
	{ "no-year.json", "{\"first_day\": \"2026-08-17\", \"last_day\": \"2027-06-18\"}",
	  0, 0, "school_year: missing" },
	{ "schema.json", "{\"schema\": \"patvers/rules/1\"}", 0, 0, "schema: expected" },
	{ "array.json", "[]", 0, 0, "expected a JSON object at the top level" },
	{ "duplicate.json",
	  "{\n  \"school_year\": \"2026/27\",\n  \"school_year\": \"2027/28\"\n}\n",
	  3, -1, "duplicate object key" },
	{ "syntax.json", "{\n  \"school_year\": \"2026/27\",\n}\n", 3, -1, "" },
	{ "bad-date.csv", CSV_HEAD CSV_YEAR "ferie;05.10.2026;32.10.2026;;h\xc3\xb8stferie\n",
	  3, 3, "'32.10.2026' is not a real date" },
	{ "bad-type.csv", CSV_HEAD CSV_YEAR "sommer;05.10.2026;09.10.2026;;x\n",
	  3, 1, "unknown type 'sommer'" },
	{ "reversed.csv", CSV_HEAD CSV_YEAR "fridag;13.11.2026;12.11.2026;;\n",
	  3, 3, "ends (2026-11-12) before it starts (2026-11-13)" },
	{ "outside.csv", CSV_HEAD CSV_YEAR "planleggingsdag;2027-08-02;;;\n",
	  3, 2, "2027-08-02 is outside the school year 2026/27" },
	{ "fields.csv", CSV_HEAD CSV_YEAR "fridag;13.11.2026\n", 3, 3, "the row has 2 fields" },
	{ "no-year.csv", CSV_HEAD "fridag;13.11.2026;;;\n", 0, 0, "no school-year row" },
	{ "two-years.csv", CSV_HEAD CSV_YEAR CSV_YEAR, 3, 1, "a second school-year row" },
	{ "no-from.csv", "type;til\nfridag;2026-11-13\n", 1, 0, "missing required column 'from'" },
	{ "break-unit.csv", CSV_HEAD CSV_YEAR "ferie;05.10.2026;09.10.2026;hof;h\n",
	  3, 4, "breaks are for every school" },
	{ "overlap.csv", CSV_HEAD CSV_YEAR "ferie;05.10.2026;09.10.2026;;h\n"
	  "planleggingsdag;09.10.2026;;;\n", 4, 2, "overlaps line 3 ('h'" },
	{ "empty.csv", "", 0, 0, "empty file" },
};

static void test_import_errors(void **state)
{
	struct fixture *f = *state;

	import_file(f->db, "examples/holmestrand/calendar-2026-27.json");
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct pv_error err;
		enum pv_status st;

		pv_error_clear(&err);
		st = pv_calendar_import(f->db, c->text, strlen(c->text), c->name,
					PV_CALENDAR_AUTO, NULL, &err);
		if (st != PV_EDATA || strcmp(err.file, c->name) != 0 ||
		    (c->line >= 0 && err.line != c->line) || (c->line < 0 && err.line <= 0) ||
		    (c->column >= 0 && err.column != c->column) ||
		    (c->column < 0 && err.column <= 0) || !strstr(err.message, c->message))
			fail_msg("%s: got status %d at %s:%ld:%ld: %s", c->name, st, err.file,
				 err.line, err.column, err.message);
	}
	/* Nothing of it landed: the example is still in force, one audit row. */
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM calendar_closed"), 7);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit "
				    "WHERE entity = 'calendar'"), 1);
}

/* Units are checked against the roster at store time, with the position. */
static void test_unknown_unit(void **state)
{
	static const char json[] = JSON_DOC(
		"\"planning_days\": [{\"unit\": \"hof\", \"date\": \"2026-11-13\"},"
		" {\"unit\": \"nowhere\", \"date\": \"2026-11-13\"}]");
	static const char wrong_kind[] = JSON_DOC(
		"\"kindergarten_closed\": [{\"unit\": \"hof\", \"date\": \"2026-11-13\"}]");
	static const char csv[] = CSV_HEAD CSV_YEAR "planleggingsdag;13.11.2026;;nowhere;\n";
	struct pv_error err;

	struct fixture *f = *state;
	assert_int_equal(pv_calendar_import(f->db, json, strlen(json), "u.json",
					    PV_CALENDAR_AUTO, NULL, &err), PV_EDATA);
	assert_string_equal(err.file, "u.json");
	assert_non_null(strstr(err.message, "planning_days[1].unit: unknown unit 'nowhere'"));
	assert_int_equal(pv_calendar_import(f->db, wrong_kind, strlen(wrong_kind), "k.json",
					    PV_CALENDAR_AUTO, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "unit 'hof' is a school, not a kindergarten"));
	assert_int_equal(pv_calendar_import(f->db, csv, strlen(csv), "u.csv",
					    PV_CALENDAR_AUTO, NULL, &err), PV_EDATA);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 4);
	assert_non_null(strstr(err.message, "unknown unit 'nowhere'"));
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM calendar_year"), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit"), 0);
}

static void test_guess_format(void **state)
{
	(void)state;
	assert_int_equal(pv_calendar_guess_format("a.JSON", "x", 1), PV_CALENDAR_JSON);
	assert_int_equal(pv_calendar_guess_format("a.csv", "{", 1), PV_CALENDAR_CSV);
	assert_int_equal(pv_calendar_guess_format("-", "\xef\xbb\xbf \n{", 6), PV_CALENDAR_JSON);
	assert_int_equal(pv_calendar_guess_format("<stdin>", "type;fra", 8), PV_CALENDAR_CSV);
	assert_int_equal(pv_calendar_guess_format(NULL, "", 0), PV_CALENDAR_CSV);
	assert_string_equal(pv_span_kind_name(PV_SPAN_PLANNING_DAY), "planning-day");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_school_days_2026_27, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weekdays_per_half, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closed_reasons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_year, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kindergarten_days, setup, teardown),
		cmocka_unit_test(test_kindergarten_rules_wrap),
		cmocka_unit_test_setup_teardown(test_unit_planning_day, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_matches_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reimport_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_school_days_2025_26, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_unit, setup, teardown),
		cmocka_unit_test(test_guess_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
