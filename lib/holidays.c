/* Norwegian public holidays: fixed dates and days counted from Easter. */
#include <stdbool.h>
#include <stddef.h>

#include "patvers/date.h"
#include "patvers/error.h"
#include "patvers/holidays.h"

/*
 * One row per holiday: either a fixed month and day, or (month == 0) an
 * offset in days from Easter Sunday. The rows are in the order the days
 * usually fall, which is also the tie order when two share a date.
 */
struct holiday_rule {
	const char *id;
	const char *name;
	int month;
	int day_or_offset;
};

static const struct holiday_rule rules[PV_HOLIDAYS_MAX] = {
	{ "nyttarsdag", "F\xc3\xb8rste nytt\xc3\xa5rsdag", 1, 1 },
	{ "skjaertorsdag", "Skj\xc3\xa6rtorsdag", 0, -3 },
	{ "langfredag", "Langfredag", 0, -2 },
	{ "paskedag", "F\xc3\xb8rste p\xc3\xa5skedag", 0, 0 },
	{ "andre-paskedag", "Andre p\xc3\xa5skedag", 0, 1 },
	{ "arbeidernes-dag", "Arbeidernes dag", 5, 1 },
	{ "kristi-himmelfart", "Kristi himmelfartsdag", 0, 39 },
	{ "grunnlovsdag", "Grunnlovsdag", 5, 17 },
	{ "pinsedag", "F\xc3\xb8rste pinsedag", 0, 49 },
	{ "andre-pinsedag", "Andre pinsedag", 0, 50 },
	{ "juledag", "F\xc3\xb8rste juledag", 12, 25 },
	{ "andre-juledag", "Andre juledag", 12, 26 },
};

static bool year_in_range(int year)
{
	return year >= PV_HOLIDAY_YEAR_MIN && year <= PV_HOLIDAY_YEAR_MAX;
}

static pv_date rule_date(const struct holiday_rule *r, int year, pv_date easter)
{
	pv_date d = 0;

	if (r->month == 0)
		return easter + r->day_or_offset;
	/* Cannot fail: the rules hold real dates and the year is in range. */
	pv_date_from_ymd(year, r->month, r->day_or_offset, &d);
	return d;
}

/* Insertion sort: stable, so equal dates keep the table's order. */
static void sort_by_date(struct pv_holiday *h, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct pv_holiday x = h[i];
		size_t j = i;

		while (j > 0 && h[j - 1].date > x.date) {
			h[j] = h[j - 1];
			j--;
		}
		h[j] = x;
	}
}

/*
 * Table order, unsorted. The caller has checked the year. Lookups scan
 * this directly: the first match is the same as in the sorted list,
 * because the sort keeps the table order for equal dates.
 */
static void fill_year(int year, struct pv_holiday out[PV_HOLIDAYS_MAX])
{
	pv_date easter = pv_date_easter(year);

	for (size_t i = 0; i < PV_HOLIDAYS_MAX; i++) {
		out[i].date = rule_date(&rules[i], year, easter);
		out[i].id = rules[i].id;
		out[i].name = rules[i].name;
	}
}

enum pv_status pv_holidays_of_year(int year,
				   struct pv_holiday out[PV_HOLIDAYS_MAX],
				   size_t *count, struct pv_error *err)
{
	if (!year_in_range(year))
		return pv_error_set(err, PV_EDATA,
				    "year %d is outside %d\xe2\x80\x93%d", year,
				    PV_HOLIDAY_YEAR_MIN, PV_HOLIDAY_YEAR_MAX);
	fill_year(year, out);
	sort_by_date(out, PV_HOLIDAYS_MAX);
	if (count)
		*count = PV_HOLIDAYS_MAX;
	return PV_OK;
}

bool pv_holiday_lookup(pv_date d, struct pv_holiday *out)
{
	struct pv_holiday list[PV_HOLIDAYS_MAX];
	int year;

	pv_date_to_ymd(d, &year, NULL, NULL);
	if (!year_in_range(year))
		return false;
	fill_year(year, list);
	for (size_t i = 0; i < PV_HOLIDAYS_MAX; i++) {
		if (list[i].date == d) {
			if (out)
				*out = list[i];
			return true;
		}
	}
	return false;
}

bool pv_is_public_holiday(pv_date d)
{
	return pv_holiday_lookup(d, NULL);
}
