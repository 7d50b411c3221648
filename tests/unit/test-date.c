/* Unit tests for lib/date.c: day numbers, parsing, weeks, Easter, school years. */
#include "unit.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "patvers/date.h"

/*
 * Expected values come from outside this code: Python's datetime
 * (toordinal, isocalendar), GNU date (+%G-W%V) and dateutil.easter,
 * checked when the tests were written.
 */

static pv_date ymd(int y, int m, int d)
{
	pv_date out = 0;

	assert_true(pv_date_from_ymd(y, m, d, &out));
	return out;
}

static void assert_ymd(pv_date d, int y, int m, int dd)
{
	int gy, gm, gd;

	pv_date_to_ymd(d, &gy, &gm, &gd);
	assert_int_equal(gy, y);
	assert_int_equal(gm, m);
	assert_int_equal(gd, dd);
}

static void test_epoch_anchors(void **state)
{
	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(2000, 3, 1), 11017);
	assert_int_equal(ymd(1900, 1, 1), -25567);
	assert_int_equal(ymd(2200, 12, 31), 84370);
	assert_int_equal(ymd(2026, 4, 5), 20548);
	assert_int_equal(ymd(1, 1, 1), -719162);
	assert_int_equal(ymd(9999, 12, 31), 2932896);
	assert_ymd(-719162, 1, 1, 1);
	assert_ymd(2932896, 9999, 12, 31);
}

/* Every real day 1900–2200 converts both ways and follows the one before. */
static void test_round_trip_1900_2200(void **state)
{
	pv_date prev = ymd(1899, 12, 31);
	long days = 0;
	char buf[11], text[40]; /* room for any ints: no truncation warning */

	(void)state;
	for (int y = 1900; y <= 2200; y++) {
		for (int m = 1; m <= 12; m++) {
			for (int d = 1; d <= 31; d++) {
				pv_date x, back;

				if (!pv_date_from_ymd(y, m, d, &x))
					continue;
				assert_int_equal(x, prev + 1);
				assert_ymd(x, y, m, d);
				snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
				assert_string_equal(pv_date_format(x, buf), text);
				assert_true(pv_date_parse(text, &back));
				assert_int_equal(back, x);
				prev = x;
				days++;
			}
		}
	}
	assert_int_equal(days, 84370 - (-25567) + 1);
}

static int days_in_year(int y)
{
	return ymd(y, 12, 31) - ymd(y, 1, 1) + 1;
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_false(pv_date_from_ymd(1900, 2, 29, NULL));
	assert_true(pv_date_from_ymd(2000, 2, 29, NULL));
	assert_false(pv_date_from_ymd(2100, 2, 29, NULL));
	assert_true(pv_date_from_ymd(2024, 2, 29, NULL));
	assert_true(pv_date_from_ymd(2028, 2, 29, NULL));
	assert_false(pv_date_from_ymd(2027, 2, 29, NULL));
	assert_int_equal(days_in_year(1900), 365);
	assert_int_equal(days_in_year(2000), 366);
	assert_int_equal(days_in_year(2100), 365);
	assert_int_equal(days_in_year(2026), 365);
	assert_int_equal(ymd(2000, 3, 1) - ymd(2000, 2, 28), 2);
	assert_int_equal(ymd(2100, 3, 1) - ymd(2100, 2, 28), 1);
}

static void test_from_ymd_invalid(void **state)
{
	pv_date d = 12345;

	(void)state;
	assert_false(pv_date_from_ymd(2026, 0, 1, &d));
	assert_false(pv_date_from_ymd(2026, 13, 1, &d));
	assert_false(pv_date_from_ymd(2026, 1, 0, &d));
	assert_false(pv_date_from_ymd(2026, 1, 32, &d));
	assert_false(pv_date_from_ymd(2026, 4, 31, &d));
	assert_false(pv_date_from_ymd(2026, 6, 31, &d));
	assert_false(pv_date_from_ymd(0, 1, 1, &d));
	assert_false(pv_date_from_ymd(10000, 1, 1, &d));
	assert_false(pv_date_from_ymd(INT_MIN, 1, 1, &d));
	assert_false(pv_date_from_ymd(2026, INT_MAX, 1, &d));
	assert_int_equal(d, 12345); /* untouched on failure */
}

static void test_to_ymd_null_and_extremes(void **state)
{
	int y = 0, m = 0;

	(void)state;
	pv_date_to_ymd(ymd(2026, 8, 17), &y, NULL, NULL);
	assert_int_equal(y, 2026);
	pv_date_to_ymd(ymd(2026, 8, 17), NULL, &m, NULL);
	assert_int_equal(m, 8);
	pv_date_to_ymd(0, NULL, NULL, NULL);
	/* Any day number splits without overflow (UBSan checks this). */
	pv_date_to_ymd(INT32_MAX, &y, &m, NULL);
	assert_true(y > 5000000);
	pv_date_to_ymd(INT32_MIN, &y, &m, NULL);
	assert_true(y < -5000000);
}

static void test_parse_valid(void **state)
{
	pv_date d;

	(void)state;
	assert_true(pv_date_parse("2026-08-17", &d));
	assert_int_equal(d, ymd(2026, 8, 17));
	assert_true(pv_date_parse("17.08.2026", &d));
	assert_int_equal(d, ymd(2026, 8, 17));
	assert_true(pv_date_parse("29.02.2028", &d));
	assert_int_equal(d, ymd(2028, 2, 29));
	assert_true(pv_date_parse("31.12.2026", &d));
	assert_int_equal(d, ymd(2026, 12, 31));
	assert_true(pv_date_parse("0001-01-01", &d));
	assert_true(pv_date_parse("9999-12-31", &d));
	assert_true(pv_date_parse("2000-02-29", NULL));
}

static void test_parse_invalid(void **state)
{
	static const char *const bad[] = {
		"2027-02-29", "2026-13-01", "2026-04-31", "2026-1-01",
		"2026-01-1", "2026-01-01x", "2026-01-01 ", " 2026-01-01",
		"", "2026", "2026-00-10", "2026-01-00", "0000-01-01",
		"1900-02-29", "2026/01/01", "2026.01.01", "20260101",
		"+026-01-01", "2026-+1-01", "2026--1-01", "2026-01-01\n",
		"29.02.2027", "31.04.2026", "1.2.2026", "01.02.26",
		"01-02-2026", "01.13.2026", "00.01.2026", "17.08.2026.",
		"2026-08-17T00:00",
	};
	pv_date d = 777;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (pv_date_parse(bad[i], &d))
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_false(pv_date_parse(NULL, &d));
	assert_int_equal(d, 777);
}

static void test_format(void **state)
{
	char buf[11];

	(void)state;
	assert_string_equal(pv_date_format(0, buf), "1970-01-01");
	assert_string_equal(pv_date_format(ymd(1, 1, 1), buf), "0001-01-01");
	assert_string_equal(pv_date_format(ymd(9999, 12, 31), buf), "9999-12-31");
	assert_ptr_equal(pv_date_format(0, buf), buf);
	/* Outside 1..9999: a marker that does not parse back. */
	assert_string_equal(pv_date_format(ymd(1, 1, 1) - 1, buf), "0000-00-00");
	assert_string_equal(pv_date_format(INT32_MAX, buf), "0000-00-00");
	assert_string_equal(pv_date_format(INT32_MIN, buf), "0000-00-00");
	assert_false(pv_date_parse("0000-00-00", NULL));
}

static void test_weekday(void **state)
{
	enum pv_weekday w;

	(void)state;
	assert_int_equal(pv_date_weekday(0), PV_THURSDAY);
	assert_int_equal(pv_date_weekday(-1), PV_WEDNESDAY);
	assert_int_equal(pv_date_weekday(ymd(1900, 1, 1)), PV_MONDAY);
	assert_int_equal(pv_date_weekday(ymd(2026, 4, 5)), PV_SUNDAY);
	assert_int_equal(pv_date_weekday(ymd(2026, 8, 17)), PV_MONDAY);
	assert_int_equal(pv_date_weekday(ymd(2026, 12, 18)), PV_FRIDAY);
	assert_int_equal(pv_date_weekday(ymd(2200, 12, 31)), PV_WEDNESDAY);
	assert_int_equal(pv_date_weekday(ymd(9999, 12, 31)), PV_FRIDAY);
	/* Consecutive days cycle through 1..7, negative day numbers too. */
	w = pv_date_weekday(ymd(1900, 1, 1));
	for (pv_date d = ymd(1900, 1, 1) + 1; d <= ymd(2200, 12, 31); d++) {
		enum pv_weekday next = pv_date_weekday(d);

		assert_int_equal(next, w == PV_SUNDAY ? PV_MONDAY : w + 1);
		w = next;
	}
	w = pv_date_weekday(INT32_MIN);
	assert_true(w >= PV_MONDAY && w <= PV_SUNDAY);
	w = pv_date_weekday(INT32_MAX);
	assert_true(w >= PV_MONDAY && w <= PV_SUNDAY);
}

static void test_iso_week_facts(void **state)
{
	static const struct {
		const char *date;
		int iso_year, week;
	} cases[] = {
		{ "2026-12-31", 2026, 53 },
		{ "2027-01-01", 2026, 53 },
		{ "2027-01-03", 2026, 53 },
		{ "2027-01-04", 2027, 1 },
		{ "2025-12-28", 2025, 52 },
		{ "2025-12-29", 2026, 1 },
		{ "2026-01-01", 2026, 1 },
		{ "2020-12-31", 2020, 53 },
		{ "2021-01-03", 2020, 53 },
		{ "2021-01-04", 2021, 1 },
		{ "2008-12-29", 2009, 1 },
		{ "2010-01-03", 2009, 53 },
		{ "1900-01-01", 1900, 1 },
		{ "2200-12-31", 2201, 1 },
		{ "2026-10-05", 2026, 41 }, /* autumn break, FACTS.md */
		{ "2027-02-22", 2027, 8 },  /* winter break, FACTS.md */
	};
	int iso_year;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pv_date d;

		assert_true(pv_date_parse(cases[i].date, &d));
		iso_year = 0;
		assert_int_equal(pv_date_iso_week(d, &iso_year), cases[i].week);
		assert_int_equal(iso_year, cases[i].iso_year);
	}
	assert_int_equal(pv_date_iso_week(ymd(2026, 12, 31), NULL), 53);
}

/* Weeks start on Mondays, count up by one, and restart at 1 with a new year. */
static void test_iso_week_sequence(void **state)
{
	int year, week = pv_date_iso_week(ymd(1900, 1, 1), &year);

	(void)state;
	for (pv_date d = ymd(1900, 1, 2); d <= ymd(2200, 12, 31); d++) {
		int y, w = pv_date_iso_week(d, &y);

		if (pv_date_weekday(d) != PV_MONDAY) {
			assert_int_equal(w, week);
			assert_int_equal(y, year);
		} else if (w == 1) {
			assert_true(week == 52 || week == 53);
			assert_int_equal(y, year + 1);
		} else {
			assert_int_equal(w, week + 1);
			assert_int_equal(y, year);
		}
		week = w;
		year = y;
	}
}

static void test_easter(void **state)
{
	static const char *const sundays[] = {
		"1900-04-15", "1943-04-25", "1954-04-18", "1981-04-19",
		"2000-04-23", "2008-03-23", "2011-04-24", "2019-04-21",
		"2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28",
		"2028-04-16", "2029-04-01", "2030-04-21", "2038-04-25",
		"2100-03-28", "2200-04-06", "2285-03-22",
	};

	(void)state;
	for (size_t i = 0; i < sizeof sundays / sizeof sundays[0]; i++) {
		pv_date want;
		int y;

		assert_true(pv_date_parse(sundays[i], &want));
		pv_date_to_ymd(want, &y, NULL, NULL);
		assert_int_equal(pv_date_easter(y), want);
	}
}

/* Easter is always a Sunday from 22 March to 25 April. */
static void test_easter_bounds(void **state)
{
	(void)state;
	for (int y = 1583; y <= 9999; y++) {
		pv_date e = pv_date_easter(y);

		assert_int_equal(pv_date_weekday(e), PV_SUNDAY);
		assert_true(e >= ymd(y, 3, 22));
		assert_true(e <= ymd(y, 4, 25));
	}
}

static void test_weekday_names(void **state)
{
	static const char *const names[] = {
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday",
	};

	(void)state;
	for (int i = 0; i < 7; i++)
		assert_string_equal(pv_weekday_name((enum pv_weekday)(PV_MONDAY + i)),
				    names[i]);
	assert_null(pv_weekday_name((enum pv_weekday)0));
	assert_null(pv_weekday_name((enum pv_weekday)8));
}

static void test_weekday_parse(void **state)
{
	static const struct {
		const char *text;
		enum pv_weekday want;
	} good[] = {
		{ "monday", PV_MONDAY }, { "Tuesday", PV_TUESDAY },
		{ "WEDNESDAY", PV_WEDNESDAY }, { "thursday", PV_THURSDAY },
		{ "friday", PV_FRIDAY }, { "saturday", PV_SATURDAY },
		{ "SunDay", PV_SUNDAY },
		{ "mandag", PV_MONDAY }, { "tirsdag", PV_TUESDAY },
		{ "onsdag", PV_WEDNESDAY }, { "torsdag", PV_THURSDAY },
		{ "Torsdag", PV_THURSDAY }, { "TORSDAG", PV_THURSDAY },
		{ "fredag", PV_FRIDAY },
		{ "l\xc3\xb8rdag", PV_SATURDAY },	/* lørdag */
		{ "L\xc3\xb8rdag", PV_SATURDAY },	/* Lørdag */
		{ "L\xc3\x98RDAG", PV_SATURDAY },	/* LØRDAG */
		{ "l\xc3\x98rdag", PV_SATURDAY },	/* lØrdag */
		{ "s\xc3\xb8ndag", PV_SUNDAY },		/* søndag */
		{ "S\xc3\xb8ndag", PV_SUNDAY },		/* Søndag */
		{ "S\xc3\x98NDAG", PV_SUNDAY },		/* SØNDAG */
		{ "lordag", PV_SATURDAY }, { "Sondag", PV_SUNDAY },
	};
	static const char *const bad[] = {
		"", "mon", "man", "tors", " monday", "monday ", "mondays",
		"l\xc3rdag",			/* truncated UTF-8 */
		"l\xc3\xb8rdagx", "l\xc3\xb8rdag\n", "lxrdag",
		"s\xc3\xa5ndag",		/* såndag: å is not ø */
		"mandagmandagmandag",		/* longer than any name */
		"l\xc3\x98\xc3\x98rdag",
	};
	enum pv_weekday w;

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		w = 0;
		if (!pv_weekday_parse(good[i].text, &w))
			fail_msg("rejected '%s'", good[i].text);
		assert_int_equal(w, good[i].want);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (pv_weekday_parse(bad[i], &w))
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_false(pv_weekday_parse(NULL, &w));
	assert_true(pv_weekday_parse("onsdag", NULL));
}

static void test_time(void **state)
{
	static const char *const bad[] = {
		"24:00", "7:5", "7:05", "07:5", "12:60", "", "1200", "12.00",
		"12:00x", " 12:00", "-1:00", "12:-1", "99:99", "12:0a",
	};
	char buf[6];
	int min = -7;

	(void)state;
	assert_true(pv_time_parse("00:00", &min));
	assert_int_equal(min, 0);
	assert_true(pv_time_parse("23:59", &min));
	assert_int_equal(min, 23 * 60 + 59);
	assert_true(pv_time_parse("12:15", &min));
	assert_int_equal(min, 735);
	assert_true(pv_time_parse("07:05", &min));
	assert_int_equal(min, 425);
	assert_true(pv_time_parse("13:45", NULL));
	min = -7;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (pv_time_parse(bad[i], &min))
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_false(pv_time_parse(NULL, &min));
	assert_int_equal(min, -7);

	assert_string_equal(pv_time_format(0, buf), "00:00");
	assert_string_equal(pv_time_format(735, buf), "12:15");
	assert_string_equal(pv_time_format(425, buf), "07:05");
	assert_string_equal(pv_time_format(1439, buf), "23:59");
	assert_string_equal(pv_time_format(1440, buf), "--:--");
	assert_string_equal(pv_time_format(-1, buf), "--:--");
	assert_string_equal(pv_time_format(INT_MIN, buf), "--:--");
	for (int m = 0; m < 1440; m++) {
		int back;

		assert_true(pv_time_parse(pv_time_format(m, buf), &back));
		assert_int_equal(back, m);
	}
}

static void test_school_year_parse(void **state)
{
	static const char *const bad[] = {
		"2026/28", "2026/2028", "2026/2026", "2026/26", "2026-27",
		"26/27", "2026/7", "2026/027", "2026/20270", "", "2026",
		"2026/27 ", " 2026/27", "2026/+7", "0000/01", "9999/00",
		"2026/ 27",
	};
	int y = -1;

	(void)state;
	assert_true(pv_school_year_parse("2026/27", &y));
	assert_int_equal(y, 2026);
	assert_true(pv_school_year_parse("2026/2027", &y));
	assert_int_equal(y, 2026);
	assert_true(pv_school_year_parse("2099/00", &y));
	assert_int_equal(y, 2099);
	assert_true(pv_school_year_parse("2099/2100", &y));
	assert_int_equal(y, 2099);
	assert_true(pv_school_year_parse("1999/00", NULL));
	y = -1;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (pv_school_year_parse(bad[i], &y))
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_false(pv_school_year_parse(NULL, &y));
	assert_int_equal(y, -1);
}

static void test_school_year(void **state)
{
	char buf[8];
	pv_date first, last;

	(void)state;
	assert_string_equal(pv_school_year_format(2026, buf), "2026/27");
	assert_string_equal(pv_school_year_format(2099, buf), "2099/00");
	assert_string_equal(pv_school_year_format(1909, buf), "1909/10");
	assert_string_equal(pv_school_year_format(0, buf), "0000/00");
	assert_string_equal(pv_school_year_format(9999, buf), "0000/00");
	assert_string_equal(pv_school_year_format(-5, buf), "0000/00");

	pv_school_year_bounds(2026, &first, &last);
	assert_int_equal(first, ymd(2026, 8, 1));
	assert_int_equal(last, ymd(2027, 7, 31));
	pv_school_year_bounds(2027, &first, NULL);
	assert_int_equal(first, ymd(2027, 8, 1));

	assert_int_equal(pv_school_year_of(ymd(2026, 7, 31)), 2025);
	assert_int_equal(pv_school_year_of(ymd(2026, 8, 1)), 2026);
	assert_int_equal(pv_school_year_of(ymd(2026, 8, 17)), 2026);
	assert_int_equal(pv_school_year_of(ymd(2027, 1, 1)), 2026);
	assert_int_equal(pv_school_year_of(ymd(2027, 7, 31)), 2026);
	assert_int_equal(pv_school_year_of(ymd(2027, 8, 1)), 2027);

	/* Bounds, "of" and format/parse agree for every year in range. */
	for (int y = 1900; y <= 2200; y++) {
		int back;

		pv_school_year_bounds(y, &first, &last);
		assert_int_equal(pv_school_year_of(first), y);
		assert_int_equal(pv_school_year_of(last), y);
		assert_int_equal(pv_school_year_of(first - 1), y - 1);
		assert_int_equal(pv_school_year_of(last + 1), y + 1);
		assert_true(pv_school_year_parse(pv_school_year_format(y, buf), &back));
		assert_int_equal(back, y);
	}
}

static void test_half(void **state)
{
	static const char *const bad[] = {
		"H0", "H3", "H", "h", "H12", "1", "2", "", "H1 ", " H1", "X1",
	};
	pv_date first, last;
	int h = -1;

	(void)state;
	assert_true(pv_half_parse("H1", &h));
	assert_int_equal(h, 1);
	assert_true(pv_half_parse("h1", &h));
	assert_int_equal(h, 1);
	assert_true(pv_half_parse("H2", &h));
	assert_int_equal(h, 2);
	assert_true(pv_half_parse("h2", &h));
	assert_int_equal(h, 2);
	h = -1;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (pv_half_parse(bad[i], &h))
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_false(pv_half_parse(NULL, &h));
	assert_int_equal(h, -1);

	pv_half_bounds(2026, 1, &first, &last);
	assert_int_equal(first, ymd(2026, 1, 1));
	assert_int_equal(last, ymd(2026, 6, 30));
	pv_half_bounds(2026, 2, &first, &last);
	assert_int_equal(first, ymd(2026, 7, 1));
	assert_int_equal(last, ymd(2026, 12, 31));
	pv_half_bounds(2028, 1, &first, &last);
	assert_int_equal(last - first + 1, 182); /* leap year */
	pv_half_bounds(2026, 3, &first, &last);
	assert_true(last < first);
	pv_half_bounds(2026, 0, &first, &last);
	assert_int_equal(last, first - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_anchors),
		cmocka_unit_test(test_round_trip_1900_2200),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_from_ymd_invalid),
		cmocka_unit_test(test_to_ymd_null_and_extremes),
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_iso_week_facts),
		cmocka_unit_test(test_iso_week_sequence),
		cmocka_unit_test(test_easter),
		cmocka_unit_test(test_easter_bounds),
		cmocka_unit_test(test_weekday_names),
		cmocka_unit_test(test_weekday_parse),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_school_year_parse),
		cmocka_unit_test(test_school_year),
		cmocka_unit_test(test_half),
	};

	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
