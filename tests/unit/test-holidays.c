/* Unit tests for lib/holidays.c: Norwegian public holidays by year. */
#include "unit.h"

#include <string.h>

#include "patvers/date.h"
#include "patvers/error.h"
#include "patvers/holidays.h"

static pv_date day(const char *text)
{
	pv_date d = 0;

	if (!pv_date_parse(text, &d))
		fail_msg("bad date in test: '%s'", text);
	return d;
}

static size_t list_year(int year, struct pv_holiday out[PV_HOLIDAYS_MAX])
{
	struct pv_error err;
	size_t n = 0;

	pv_error_clear(&err);
	assert_int_equal(pv_holidays_of_year(year, out, &n, &err), PV_OK);
	assert_int_equal(err.status, PV_OK);
	return n;
}

/*
 * 2025–2030 in full: Easter from FACTS.md (2026–2028) and dateutil (the
 * others), the offsets of FACTS.md, sorted by date; on 2027-05-17 the
 * holiday table's order breaks the tie.
 */
static void test_years_2025_2030(void **state)
{
	static const struct {
		const char *date, *id;
	} want[] = {
		/* 2025: Easter 2025-04-20 */
		{ "2025-01-01", "nyttarsdag" },
		{ "2025-04-17", "skjaertorsdag" },
		{ "2025-04-18", "langfredag" },
		{ "2025-04-20", "paskedag" },
		{ "2025-04-21", "andre-paskedag" },
		{ "2025-05-01", "arbeidernes-dag" },
		{ "2025-05-17", "grunnlovsdag" },
		{ "2025-05-29", "kristi-himmelfart" },
		{ "2025-06-08", "pinsedag" },
		{ "2025-06-09", "andre-pinsedag" },
		{ "2025-12-25", "juledag" },
		{ "2025-12-26", "andre-juledag" },
		/* 2026: Easter 2026-04-05 */
		{ "2026-01-01", "nyttarsdag" },
		{ "2026-04-02", "skjaertorsdag" },
		{ "2026-04-03", "langfredag" },
		{ "2026-04-05", "paskedag" },
		{ "2026-04-06", "andre-paskedag" },
		{ "2026-05-01", "arbeidernes-dag" },
		{ "2026-05-14", "kristi-himmelfart" },
		{ "2026-05-17", "grunnlovsdag" },
		{ "2026-05-24", "pinsedag" },
		{ "2026-05-25", "andre-pinsedag" },
		{ "2026-12-25", "juledag" },
		{ "2026-12-26", "andre-juledag" },
		/* 2027: Easter 2027-03-28 */
		{ "2027-01-01", "nyttarsdag" },
		{ "2027-03-25", "skjaertorsdag" },
		{ "2027-03-26", "langfredag" },
		{ "2027-03-28", "paskedag" },
		{ "2027-03-29", "andre-paskedag" },
		{ "2027-05-01", "arbeidernes-dag" },
		{ "2027-05-06", "kristi-himmelfart" },
		{ "2027-05-16", "pinsedag" },
		{ "2027-05-17", "grunnlovsdag" },
		{ "2027-05-17", "andre-pinsedag" },
		{ "2027-12-25", "juledag" },
		{ "2027-12-26", "andre-juledag" },
		/* 2028: Easter 2028-04-16 */
		{ "2028-01-01", "nyttarsdag" },
		{ "2028-04-13", "skjaertorsdag" },
		{ "2028-04-14", "langfredag" },
		{ "2028-04-16", "paskedag" },
		{ "2028-04-17", "andre-paskedag" },
		{ "2028-05-01", "arbeidernes-dag" },
		{ "2028-05-17", "grunnlovsdag" },
		{ "2028-05-25", "kristi-himmelfart" },
		{ "2028-06-04", "pinsedag" },
		{ "2028-06-05", "andre-pinsedag" },
		{ "2028-12-25", "juledag" },
		{ "2028-12-26", "andre-juledag" },
		/* 2029: Easter 2029-04-01 */
		{ "2029-01-01", "nyttarsdag" },
		{ "2029-03-29", "skjaertorsdag" },
		{ "2029-03-30", "langfredag" },
		{ "2029-04-01", "paskedag" },
		{ "2029-04-02", "andre-paskedag" },
		{ "2029-05-01", "arbeidernes-dag" },
		{ "2029-05-10", "kristi-himmelfart" },
		{ "2029-05-17", "grunnlovsdag" },
		{ "2029-05-20", "pinsedag" },
		{ "2029-05-21", "andre-pinsedag" },
		{ "2029-12-25", "juledag" },
		{ "2029-12-26", "andre-juledag" },
		/* 2030: Easter 2030-04-21 */
		{ "2030-01-01", "nyttarsdag" },
		{ "2030-04-18", "skjaertorsdag" },
		{ "2030-04-19", "langfredag" },
		{ "2030-04-21", "paskedag" },
		{ "2030-04-22", "andre-paskedag" },
		{ "2030-05-01", "arbeidernes-dag" },
		{ "2030-05-17", "grunnlovsdag" },
		{ "2030-05-30", "kristi-himmelfart" },
		{ "2030-06-09", "pinsedag" },
		{ "2030-06-10", "andre-pinsedag" },
		{ "2030-12-25", "juledag" },
		{ "2030-12-26", "andre-juledag" },
	};
	struct pv_holiday list[PV_HOLIDAYS_MAX];
	size_t k = 0;

	(void)state;
	for (int y = 2025; y <= 2030; y++) {
		size_t n = list_year(y, list);

		assert_int_equal(n, PV_HOLIDAYS_MAX);
		for (size_t i = 0; i < n; i++, k++) {
			assert_int_equal(list[i].date, day(want[k].date));
			assert_string_equal(list[i].id, want[k].id);
			assert_non_null(list[i].name);
		}
	}
	assert_int_equal(k, sizeof want / sizeof want[0]);
}

static void assert_holiday(const char *date, const char *id, const char *name)
{
	struct pv_holiday h;

	assert_true(pv_is_public_holiday(day(date)));
	memset(&h, 0, sizeof h);
	assert_true(pv_holiday_lookup(day(date), &h));
	assert_int_equal(h.date, day(date));
	assert_string_equal(h.id, id);
	if (name)
		assert_string_equal(h.name, name);
}

static void test_known_days(void **state)
{
	(void)state;
	assert_holiday("2027-03-25", "skjaertorsdag", "Skj\xc3\xa6rtorsdag");
	assert_holiday("2027-05-06", "kristi-himmelfart", "Kristi himmelfartsdag");
	assert_holiday("2026-05-14", "kristi-himmelfart", NULL);
	assert_holiday("2026-05-25", "andre-pinsedag", "Andre pinsedag");
	assert_holiday("2026-01-01", "nyttarsdag", "F\xc3\xb8rste nytt\xc3\xa5rsdag");
	assert_holiday("2026-04-03", "langfredag", "Langfredag");
	assert_holiday("2026-04-05", "paskedag", "F\xc3\xb8rste p\xc3\xa5skedag");
	assert_holiday("2026-04-06", "andre-paskedag", "Andre p\xc3\xa5skedag");
	assert_holiday("2026-05-01", "arbeidernes-dag", "Arbeidernes dag");
	assert_holiday("2026-05-17", "grunnlovsdag", "Grunnlovsdag");
	assert_holiday("2026-05-24", "pinsedag", "F\xc3\xb8rste pinsedag");
	assert_holiday("2026-12-25", "juledag", "F\xc3\xb8rste juledag");
	assert_holiday("2026-12-26", "andre-juledag", "Andre juledag");

	/* Days that are not holidays, some near ones that are. */
	assert_false(pv_is_public_holiday(day("2026-12-24")));
	assert_false(pv_is_public_holiday(day("2026-12-31")));
	assert_false(pv_is_public_holiday(day("2026-04-04"))); /* påskeaften */
	assert_false(pv_is_public_holiday(day("2026-05-16")));
	assert_false(pv_is_public_holiday(day("2027-05-07"))); /* school day off, not a holiday */
	assert_false(pv_is_public_holiday(day("2026-08-17")));
	assert_false(pv_holiday_lookup(day("2026-08-17"), NULL));
}

/* The Easter-based days from FACTS.md's Easter Sundays and offsets. */
static void test_easter_offsets_from_facts(void **state)
{
	static const char *const easter[] = { "2026-04-05", "2027-03-28", "2028-04-16" };
	static const struct {
		int offset;
		const char *id;
	} rel[] = {
		{ -3, "skjaertorsdag" }, { -2, "langfredag" }, { 0, "paskedag" },
		{ 1, "andre-paskedag" }, { 39, "kristi-himmelfart" },
		{ 49, "pinsedag" }, { 50, "andre-pinsedag" },
	};
	char buf[11];

	(void)state;
	for (size_t i = 0; i < sizeof easter / sizeof easter[0]; i++) {
		pv_date e = day(easter[i]);

		for (size_t j = 0; j < sizeof rel / sizeof rel[0]; j++) {
			struct pv_holiday h;
			pv_date d = e + rel[j].offset;

			if (!pv_holiday_lookup(d, &h))
				fail_msg("%s is not a holiday", pv_date_format(d, buf));
			/* 2027-05-17 is listed first as grunnlovsdag. */
			if (strcmp(h.id, "grunnlovsdag") != 0)
				assert_string_equal(h.id, rel[j].id);
		}
		assert_false(pv_is_public_holiday(e - 1));
		assert_false(pv_is_public_holiday(e + 2));
	}
}

/* Invariants for every year in range. */
static void test_all_years(void **state)
{
	struct pv_holiday list[PV_HOLIDAYS_MAX];

	(void)state;
	for (int y = PV_HOLIDAY_YEAR_MIN; y <= PV_HOLIDAY_YEAR_MAX; y++) {
		size_t n = list_year(y, list);
		int fixed = 0;

		assert_int_equal(n, PV_HOLIDAYS_MAX);
		for (size_t i = 0; i < n; i++) {
			int yy, m, d;

			pv_date_to_ymd(list[i].date, &yy, &m, &d);
			assert_int_equal(yy, y);
			assert_true(pv_is_public_holiday(list[i].date));
			if (i > 0)
				assert_true(list[i - 1].date <= list[i].date);
			for (size_t j = 0; j < i; j++)
				assert_string_not_equal(list[j].id, list[i].id);
			if (strcmp(list[i].id, "skjaertorsdag") == 0 ||
			    strcmp(list[i].id, "kristi-himmelfart") == 0)
				assert_int_equal(pv_date_weekday(list[i].date), PV_THURSDAY);
			if ((m == 1 && d == 1) || (m == 5 && (d == 1 || d == 17)) ||
			    (m == 12 && (d == 25 || d == 26)))
				fixed++;
		}
		assert_true(fixed >= 5);
	}
}

/* Two holidays on one day are both listed; the day counts once. */
static void test_shared_dates(void **state)
{
	struct pv_holiday list[PV_HOLIDAYS_MAX], h;
	size_t n, distinct = 0;

	(void)state;
	n = list_year(2027, list);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || list[i].date != list[i - 1].date)
			distinct++;
	assert_int_equal(distinct, 11);
	assert_true(pv_holiday_lookup(day("2027-05-17"), &h));
	assert_string_equal(h.id, "grunnlovsdag");

	n = list_year(2008, list);
	assert_int_equal(list[5].date, day("2008-05-01"));
	assert_string_equal(list[5].id, "arbeidernes-dag");
	assert_int_equal(list[6].date, day("2008-05-01"));
	assert_string_equal(list[6].id, "kristi-himmelfart");
}

static void test_year_range(void **state)
{
	struct pv_holiday list[PV_HOLIDAYS_MAX];
	struct pv_error err;
	size_t n = 99;

	(void)state;
	list[0].id = "untouched";
	assert_int_equal(pv_holidays_of_year(1899, list, &n, &err), PV_EDATA);
	assert_int_equal(err.status, PV_EDATA);
	assert_string_equal(err.message, "year 1899 is outside 1900\xe2\x80\x93" "2200");
	assert_int_equal(pv_holidays_of_year(2201, list, &n, &err), PV_EDATA);
	assert_string_equal(err.message, "year 2201 is outside 1900\xe2\x80\x93" "2200");
	assert_int_equal(pv_holidays_of_year(2300, list, &n, NULL), PV_EDATA);
	assert_int_equal(pv_holidays_of_year(-2147483647 - 1, list, &n, NULL), PV_EDATA);
	assert_int_equal(n, 99);
	assert_string_equal(list[0].id, "untouched");

	assert_int_equal(list_year(1900, list), PV_HOLIDAYS_MAX);
	assert_int_equal(list_year(2200, list), PV_HOLIDAYS_MAX);
	assert_int_equal(pv_holidays_of_year(2026, list, NULL, NULL), PV_OK);

	assert_false(pv_is_public_holiday(day("1899-12-25")));
	assert_false(pv_is_public_holiday(day("2201-01-01")));
	assert_true(pv_is_public_holiday(day("1900-01-01")));
	assert_true(pv_is_public_holiday(day("2200-12-26")));
	assert_false(pv_is_public_holiday(INT32_MIN));
	assert_false(pv_is_public_holiday(INT32_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_years_2025_2030),
		cmocka_unit_test(test_known_days),
		cmocka_unit_test(test_easter_offsets_from_facts),
		cmocka_unit_test(test_all_years),
		cmocka_unit_test(test_shared_dates),
		cmocka_unit_test(test_year_range),
	};

	return cmocka_run_group_tests_name("holidays", tests, NULL, NULL);
}
