/* Calendar dates as day numbers since 1970-01-01: conversion, parsing, formatting. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "patvers/date.h"
#include "patvers/i18n.h"

/*
 * Day numbers are converted with Howard Hinnant's days_from_civil /
 * civil_from_days, which are exact for the whole proleptic Gregorian
 * calendar and need neither the C library's time zone machinery (timegm,
 * mktime) nor any table. The arithmetic is done in int64_t so that every
 * int32_t day number can be split without overflow.
 */

/* Shifting the year to start on 1 March puts the leap day last. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month == 2 && is_leap(year))
		return 29;
	return days[month - 1];
}

/* Internal: the caller has checked the year, so no range test here. */
static pv_date make_date(int64_t year, int month, int day)
{
	return (pv_date)days_from_civil(year, month, day);
}

bool pv_date_from_ymd(int year, int month, int day, pv_date *out)
{
	if (year < 1 || year > 9999 || month < 1 || month > 12)
		return false;
	if (day < 1 || day > days_in_month(year, month))
		return false;
	if (out)
		*out = make_date(year, month, day);
	return true;
}

void pv_date_to_ymd(pv_date d, int *year, int *month, int *day)
{
	int64_t y;
	int m, dd;

	civil_from_days(d, &y, &m, &dd);
	if (year)
		*year = (int)y;
	if (month)
		*month = m;
	if (day)
		*day = dd;
}

/* Reads exactly n ASCII digits; isdigit() would depend on the locale. */
static bool read_digits(const char *s, int n, int *value)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*value = v;
	return true;
}

/* "YYYY-MM-DD", exactly 10 characters. */
static bool parse_iso(const char *t, int *y, int *m, int *d)
{
	return t[4] == '-' && t[7] == '-' &&
	       read_digits(t, 4, y) && read_digits(t + 5, 2, m) &&
	       read_digits(t + 8, 2, d);
}

/* "DD.MM.YYYY", exactly 10 characters: the Norwegian everyday form. */
static bool parse_dotted(const char *t, int *y, int *m, int *d)
{
	return t[2] == '.' && t[5] == '.' &&
	       read_digits(t, 2, d) && read_digits(t + 3, 2, m) &&
	       read_digits(t + 6, 4, y);
}

bool pv_date_parse(const char *text, pv_date *out)
{
	int y, m, d;

	if (!text || strlen(text) != 10)
		return false;
	if (!parse_iso(text, &y, &m, &d) && !parse_dotted(text, &y, &m, &d))
		return false;
	return pv_date_from_ymd(y, m, d, out);
}

/* Writes n decimal digits of v, most significant first, zero-padded. */
static void write_digits(char *s, int n, int v)
{
	for (int i = n - 1; i >= 0; i--) {
		s[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

char *pv_date_format(pv_date d, char buf[11])
{
	int y, m, dd;

	pv_date_to_ymd(d, &y, &m, &dd);
	/* A wrong but plausible year would be worse than a marker that
	 * pv_date_parse rejects. */
	if (y < 1 || y > 9999) {
		memcpy(buf, "0000-00-00", 11);
		return buf;
	}
	write_digits(buf, 4, y);
	buf[4] = '-';
	write_digits(buf + 5, 2, m);
	buf[7] = '-';
	write_digits(buf + 8, 2, dd);
	buf[10] = '\0';
	return buf;
}

enum pv_weekday pv_date_weekday(pv_date d)
{
	/* 1970-01-01 was a Thursday; reduce first so d + 3 cannot overflow. */
	int r = ((d % 7) + 7) % 7;

	return (enum pv_weekday)((r + 3) % 7 + 1);
}

int pv_date_iso_week(pv_date d, int *iso_year)
{
	/* Held in an int: the enum's type is unsigned, so "weekday minus
	 * Thursday" would wrap instead of going negative. */
	int weekday = pv_date_weekday(d);
	/* The ISO week belongs to the year that holds its Thursday. */
	int64_t thursday = (int64_t)d + (PV_THURSDAY - weekday);
	int64_t y, jan1;
	int m, dd;

	civil_from_days(thursday, &y, &m, &dd);
	jan1 = days_from_civil(y, 1, 1);
	if (iso_year)
		*iso_year = (int)y;
	return (int)((thursday - jan1) / 7 + 1);
}

pv_date pv_date_easter(int year)
{
	/* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
	int a = year % 19;
	int b = year / 100;
	int c = year % 100;
	int d = b / 4;
	int e = b % 4;
	int f = (b + 8) / 25;
	int g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4;
	int k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;

	return make_date(year, month, day);
}

/* Data; text output shows them translated (NC_: see patvers/i18n.h). */
static const char *const english_days[7] = {
	NC_("value", "monday"), NC_("value", "tuesday"), NC_("value", "wednesday"),
	NC_("value", "thursday"), NC_("value", "friday"), NC_("value", "saturday"),
	NC_("value", "sunday"),
};

/* Norwegian Bokmål in lower-case UTF-8, then the ASCII spellings that
 * systems without ø produce (DESIGN.md accepts such aliases elsewhere). */
static const char *const norwegian_days[7] = {
	"mandag", "tirsdag", "onsdag", "torsdag", "fredag",
	"l\xc3\xb8rdag", "s\xc3\xb8ndag",
};
static const char *const ascii_days[7] = {
	NULL, NULL, NULL, NULL, NULL, "lordag", "sondag",
};

const char *pv_weekday_name(enum pv_weekday w)
{
	if (w < PV_MONDAY || w > PV_SUNDAY)
		return NULL;
	return english_days[w - PV_MONDAY];
}

const char *pv_weekday_norwegian(enum pv_weekday w)
{
	if (w < PV_MONDAY || w > PV_SUNDAY)
		return NULL;
	return norwegian_days[w - PV_MONDAY];
}

/*
 * Lower-cases ASCII letters and the UTF-8 letters that occur in Norwegian
 * day names (Ø -> ø; Æ and Å for good measure) into buf. tolower() is
 * locale-dependent and works on single bytes only, so it cannot do this.
 * False when the text does not fit.
 */
static bool fold_case(const char *text, char *buf, size_t size)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		unsigned char c = *p;

		if (n + 1 >= size)
			return false;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (n > 0 && (unsigned char)buf[n - 1] == 0xc3 &&
			 (c == 0x98 || c == 0x86 || c == 0x85))
			c = (unsigned char)(c + 0x20); /* Ø Æ Å -> ø æ å */
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return true;
}

static int find_name(const char *const names[7], const char *text)
{
	for (int i = 0; i < 7; i++)
		if (names[i] && strcmp(names[i], text) == 0)
			return i;
	return -1;
}

bool pv_weekday_parse(const char *text, enum pv_weekday *out)
{
	char folded[16];
	int i;

	if (!text || !fold_case(text, folded, sizeof folded))
		return false;
	i = find_name(english_days, folded);
	if (i < 0)
		i = find_name(norwegian_days, folded);
	if (i < 0)
		i = find_name(ascii_days, folded);
	if (i < 0)
		return false;
	if (out)
		*out = (enum pv_weekday)(PV_MONDAY + i);
	return true;
}

bool pv_time_parse(const char *text, int *minutes)
{
	int h, m;

	if (!text || strlen(text) != 5 || text[2] != ':')
		return false;
	if (!read_digits(text, 2, &h) || !read_digits(text + 3, 2, &m))
		return false;
	if (h > 23 || m > 59)
		return false;
	if (minutes)
		*minutes = h * 60 + m;
	return true;
}

char *pv_time_format(int minutes, char buf[6])
{
	if (minutes < 0 || minutes >= 24 * 60) {
		memcpy(buf, "--:--", 6);
		return buf;
	}
	write_digits(buf, 2, minutes / 60);
	buf[2] = ':';
	write_digits(buf + 3, 2, minutes % 60);
	buf[5] = '\0';
	return buf;
}

bool pv_school_year_parse(const char *text, int *start_year)
{
	size_t len;
	int y, end;

	if (!text)
		return false;
	len = strlen(text);
	if ((len != 7 && len != 9) || text[4] != '/' || !read_digits(text, 4, &y))
		return false;
	if (!read_digits(text + 5, (int)len - 5, &end))
		return false;
	/* The second year must be the next one: 2026/27 or 2026/2027. */
	if (len == 7 ? end != (y + 1) % 100 : end != y + 1)
		return false;
	if (y < 1 || y > 9998)
		return false;
	if (start_year)
		*start_year = y;
	return true;
}

int pv_school_year_of(pv_date d)
{
	int y, m;

	pv_date_to_ymd(d, &y, &m, NULL);
	return m >= 8 ? y : y - 1;
}

char *pv_school_year_format(int start_year, char buf[8])
{
	if (start_year < 1 || start_year > 9998) {
		memcpy(buf, "0000/00", 8);
		return buf;
	}
	write_digits(buf, 4, start_year);
	buf[4] = '/';
	write_digits(buf + 5, 2, (start_year + 1) % 100);
	buf[7] = '\0';
	return buf;
}

void pv_school_year_bounds(int start_year, pv_date *first, pv_date *last)
{
	if (first)
		*first = make_date(start_year, 8, 1);
	if (last)
		*last = make_date((int64_t)start_year + 1, 7, 31);
}

bool pv_half_parse(const char *text, int *half)
{
	if (!text || (text[0] != 'H' && text[0] != 'h'))
		return false;
	if ((text[1] != '1' && text[1] != '2') || text[2] != '\0')
		return false;
	if (half)
		*half = text[1] - '0';
	return true;
}

void pv_half_bounds(int year, int half, pv_date *first, pv_date *last)
{
	pv_date f, l;

	if (half == 1) {
		f = make_date(year, 1, 1);
		l = make_date(year, 6, 30);
	} else if (half == 2) {
		f = make_date(year, 7, 1);
		l = make_date(year, 12, 31);
	} else {
		/* An empty range, so loops over it do nothing. */
		f = make_date(year, 1, 1);
		l = f - 1;
	}
	if (first)
		*first = f;
	if (last)
		*last = l;
}
