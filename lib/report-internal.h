/* What the report's files share: a string builder and small formatting helpers. */
#ifndef PATVERS_REPORT_INTERNAL_H
#define PATVERS_REPORT_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "patvers/report.h"
#include "patvers/team.h"

/* A growing string; `oom` sticks once memory ran out. */
struct sb {
	char *s;
	size_t len, cap;
	bool oom;
};

void sb_add(struct sb *b, const char *s, size_t n);
void sb_puts(struct sb *b, const char *s);
void sb_putc(struct sb *b, char c);
void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct sb *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* The string (owned by the caller), or NULL when memory ran out (then
 * the builder is freed). */
char *sb_take(struct sb *b);
void sb_free(struct sb *b);

/* "H2 2026" into buf (at least 8 bytes). */
char *report_period_name(const struct pv_report *r, char buf[16]);

/* The share present/of as a whole percent, rounded half up; -1 when of is 0. */
int report_percent(int present, int of);

/* "2", "2/yr" (per school year) or "-" into buf (at least 16 bytes). */
char *report_minimum_text(const struct pv_report_row *row, char buf[16]);

/* A theme cell for people: the count, "<k" or "*" (buf at least 16). */
char *report_cell_text(const struct pv_report *r, const struct pv_report_theme *t,
		       char buf[16]);

/* "school", "kindergarten group", "Nærværsteam", "God oppvekst",
 * "kindergarten", "municipality" (static). */
const char *report_kind_label(const char *kind);

/* Display columns of UTF-8 text (code points that are not continuation
 * bytes). */
size_t report_width(const char *s, size_t n);

/* Whether a unit has a row of its own in the report (a school, a
 * kindergarten group, a kindergarten outside a group, the Nærværsteam,
 * God oppvekst). Both borrowed. */
bool report_unit_reports(const struct pv_roster *roster, const struct pv_unit *unit);

#endif
