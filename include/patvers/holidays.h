/* Norwegian public holidays (helligdager and høytidsdager) of a year. */
#ifndef PATVERS_HOLIDAYS_H
#define PATVERS_HOLIDAYS_H

#include <stdbool.h>
#include <stddef.h>

#include "patvers/date.h"
#include "patvers/error.h"

/*
 * The twelve days off fixed by law: 1 January, skjærtorsdag, langfredag,
 * 1. and 2. påskedag, 1 May, 17 May, Kristi himmelfartsdag, 1. and
 * 2. pinsedag, 25 and 26 December. Ordinary Sundays are not listed.
 * Today's list is applied to every year in range (1 May and 17 May became
 * statutory only in 1947): the module serves planning, not history.
 *
 * Ownership: the caller provides the array; `id` and `name` point to
 * static strings that live for the whole program and must not be freed.
 */

/* Years the module answers for. */
#define PV_HOLIDAY_YEAR_MIN 1900
#define PV_HOLIDAY_YEAR_MAX 2200

/* The most holidays one year can have; size arrays with it. */
#define PV_HOLIDAYS_MAX 12

struct pv_holiday {
	pv_date date;
	const char *id;		/* stable ASCII key, e.g. "kristi-himmelfart" */
	const char *name;	/* Norwegian Bokmål, e.g. "Kristi himmelfartsdag" */
};

/*
 * Fills out[0 .. *count − 1] with the holidays of `year`, sorted by date.
 * Two holidays can share a date (2027-05-17 is both Grunnlovsdag and
 * Andre pinsedag); both are listed, in a fixed order, so count distinct
 * dates when counting days off. `out` must hold PV_HOLIDAYS_MAX entries.
 * Returns PV_OK, or PV_EDATA with `err` filled (may be NULL) when the
 * year is outside PV_HOLIDAY_YEAR_MIN..PV_HOLIDAY_YEAR_MAX; then `out`
 * and `*count` are left untouched.
 */
enum pv_status pv_holidays_of_year(int year,
				   struct pv_holiday out[PV_HOLIDAYS_MAX],
				   size_t *count, struct pv_error *err);

/*
 * True when d is a public holiday. A day outside the years in range is
 * never a holiday (no error: callers ask about ranges of days).
 */
bool pv_is_public_holiday(pv_date d);

/*
 * Like pv_is_public_holiday, and fills *out (may be NULL) with the first
 * holiday on d in list order, e.g. to explain why a day is not usable.
 */
bool pv_holiday_lookup(pv_date d, struct pv_holiday *out);

#endif
