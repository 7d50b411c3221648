/* Calendar dates as day numbers: parsing, formatting and arithmetic. */
#ifndef PATVERS_DATE_H
#define PATVERS_DATE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A date is the number of days since 1970-01-01 (proleptic Gregorian),
 * so differences and comparisons are plain integer arithmetic. All date
 * arithmetic in patvers goes through this module.
 */
typedef int32_t pv_date;

/* ISO weekday: 1 = Monday … 7 = Sunday. */
enum pv_weekday {
	PV_MONDAY = 1, PV_TUESDAY, PV_WEDNESDAY, PV_THURSDAY, PV_FRIDAY,
	PV_SATURDAY, PV_SUNDAY
};

/* Day number of year-month-day; false when the date does not exist
 * (e.g. 2027-02-29) or the year is outside 1..9999. */
bool pv_date_from_ymd(int year, int month, int day, pv_date *out);

/* Splits a day number (any value, no range limit); any pointer may be
 * NULL. */
void pv_date_to_ymd(pv_date d, int *year, int *month, int *day);

/* Parses `YYYY-MM-DD` or `DD.MM.YYYY` (the whole string; no spaces;
 * always two-digit month and day, so "2026-1-01" is rejected).
 * False when the text is not a real date. In this and the other parse
 * functions below the output pointer may be NULL to only validate. */
bool pv_date_parse(const char *text, pv_date *out);

/* Writes `YYYY-MM-DD` into buf (at least 11 bytes). Returns buf.
 * A day outside the years 1..9999 is written as "0000-00-00". */
char *pv_date_format(pv_date d, char buf[11]);

enum pv_weekday pv_date_weekday(pv_date d);

/* ISO 8601 week number (1..53) and the ISO week-based year. */
int pv_date_iso_week(pv_date d, int *iso_year);

/* Easter Sunday of a Gregorian year 1..9999 (anonymous Gregorian
 * computus). */
pv_date pv_date_easter(int year);

/* Weekday names in English lower case ("monday"; a static string, NULL
 * for a value outside 1..7); parse accepts English and Norwegian (mandag,
 * tirsdag, onsdag, torsdag, fredag, lørdag, søndag, and the ASCII forms
 * lordag, sondag), case-insensitive also for UTF-8 Ø ("LØRDAG"). Full
 * names only, no surrounding spaces. */
const char *pv_weekday_name(enum pv_weekday w);
/* The Norwegian name in lower case ("onsdag", "lørdag"), for files people
 * edit; NULL outside 1..7. */
const char *pv_weekday_norwegian(enum pv_weekday w);
bool pv_weekday_parse(const char *text, enum pv_weekday *out);

/* `HH:MM` (00:00–23:59, exactly two digits each, so "7:05" and "24:00"
 * are rejected) to minutes after midnight, and back (buf ≥ 6; minutes
 * outside 0..1439 are written as "--:--"). */
bool pv_time_parse(const char *text, int *minutes);
char *pv_time_format(int minutes, char buf[6]);

/* School/kindergarten year "2026/27": 1 August 2026 – 31 July 2027.
 * Parse accepts "2026/27" and "2026/2027"; `start_year` is 2026. */
bool pv_school_year_parse(const char *text, int *start_year);
/* The start year of the school year containing d. */
int pv_school_year_of(pv_date d);
/* Writes "2026/27" into buf (at least 8 bytes). Returns buf. A start
 * year outside 1..9998 is written as "0000/00". */
char *pv_school_year_format(int start_year, char buf[8]);
/* First (1 Aug) and last (31 Jul) day of a school year. */
void pv_school_year_bounds(int start_year, pv_date *first, pv_date *last);

/* Half-years: H1 = 1 Jan–30 Jun, H2 = 1 Jul–31 Dec. `half` is 1 or 2.
 * Parse accepts "H1"/"h1"/"H2"/"h2". */
bool pv_half_parse(const char *text, int *half);
/* Any other `half` gives an empty range (last = first − 1). */
void pv_half_bounds(int year, int half, pv_date *first, pv_date *last);

#endif
