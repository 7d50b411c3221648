/* School-year calendars as data: import, and the day-by-day questions every planner asks. */
#ifndef PATVERS_CALENDAR_H
#define PATVERS_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/error.h"
#include "patvers/rules.h"

/*
 * A calendar covers one school year, 1 August – 31 July, named by its
 * start year (2026 for 2026/27). An imported calendar holds the first and
 * last school day, breaks and days off for every school, planning days
 * (planleggingsdager) for every school or one unit, and kindergarten
 * closed days. Without an import the year uses the fallback: school days
 * are Monday–Friday minus public holidays, and callers must say so
 * (pv_calendar_is_fallback).
 *
 * The kindergarten year is the same 1 August – 31 July. Kindergartens are
 * open in school breaks and closed on weekends, public holidays, the
 * rules' `kindergarten_closed` spans (MM-DD, applied to this year; a span
 * whose end is before its start wraps over New Year) and imported
 * kindergarten closed days.
 *
 * Ownership, once for the whole module: strings passed in are borrowed
 * and copied when kept; strings and structs handed out are owned by the
 * object they come from and valid until it is freed.
 */

/* What a closed span is. */
enum pv_span_kind {
	PV_SPAN_BREAK,             /* ferie, for every school */
	PV_SPAN_DAY_OFF,           /* fridag, for every school */
	PV_SPAN_PLANNING_DAY,      /* planleggingsdag: every school, or one unit */
	PV_SPAN_KINDERGARTEN,      /* imported closed day(s): every kindergarten or one */
	PV_SPAN_KINDERGARTEN_RULE, /* the rules' kindergarten_closed, as this year's dates */
};

/* Stable names: "break", "day-off", "planning-day", "kindergarten-closed",
 * "kindergarten-closed-rule" (static strings). */
const char *pv_span_kind_name(enum pv_span_kind kind);

struct pv_calendar_span {
	enum pv_span_kind kind;
	pv_date first, last;       /* inclusive, first <= last */
	const char *unit;          /* unit slug, or NULL: every school/kindergarten */
	const char *label;         /* "påskeferie", "planleggingsdag"; never NULL */
};

/* Which institution a question is about. */
enum pv_day_kind {
	PV_SCHOOL,
	PV_KINDERGARTEN,
};

/* Why a day is not a school (kindergarten) day; PV_DAY_OPEN when it is. */
enum pv_closed {
	PV_DAY_OPEN = 0,
	PV_DAY_OUTSIDE_YEAR,   /* not in this calendar's school year */
	PV_DAY_HOLIDAY,        /* a public holiday (maybe inside a break too) */
	PV_DAY_SPAN,           /* a break, day off, planning day or closed day */
	PV_DAY_OUTSIDE_TERM,   /* before the first or after the last school day */
	PV_DAY_WEEKEND,
};

struct pv_day_reason {
	enum pv_closed why;
	pv_date date;
	const char *holiday;                 /* holiday name when the day is one, else NULL */
	const struct pv_calendar_span *span; /* the span covering the day, else NULL */
};

struct pv_calendar;

/*
 * Loads the calendar of the school year starting in `start_year`
 * (1900..2199) with the rules in force in `db`. `db` may be NULL: then the
 * fallback calendar and the default rules. A year without an imported
 * calendar is the fallback (no error). On success *out is owned by the
 * caller: free with pv_calendar_free().
 */
enum pv_status pv_calendar_load(struct pv_db *db, int start_year,
				struct pv_calendar **out, struct pv_error *err);

/* Like pv_calendar_load with the rules given (borrowed, only read during
 * the call; NULL loads them), for callers that hold the rules already. */
enum pv_status pv_calendar_load_with_rules(struct pv_db *db, const struct pv_rules *rules,
					   int start_year, struct pv_calendar **out,
					   struct pv_error *err);

/* Frees a calendar and everything it handed out; NULL is fine. */
void pv_calendar_free(struct pv_calendar *cal);

/* The start year (2026 for 2026/27). */
int pv_calendar_year(const struct pv_calendar *cal);
/* True when no calendar was imported for the year: the answers are
 * Monday–Friday minus public holidays, and commands must say so. */
bool pv_calendar_is_fallback(const struct pv_calendar *cal);
/* The imported calendar's name and the file it came from ("" for none or
 * the fallback), borrowed. */
const char *pv_calendar_name(const struct pv_calendar *cal);
const char *pv_calendar_source(const struct pv_calendar *cal);
/* 1 August and 31 July of the year. */
void pv_calendar_bounds(const struct pv_calendar *cal, pv_date *first, pv_date *last);
/* First and last school day (fallback: the first and last weekday that is
 * not a public holiday). */
pv_date pv_calendar_first_school_day(const struct pv_calendar *cal);
pv_date pv_calendar_last_school_day(const struct pv_calendar *cal);

/*
 * The questions, O(1) per day. `unit` is a unit slug or NULL for "any
 * unit without days of its own"; a unit the calendar knows nothing about
 * gets the common answer. A day outside the year is never open.
 */
bool pv_calendar_is_school_day(const struct pv_calendar *cal, const char *unit, pv_date d);
bool pv_calendar_is_kindergarten_day(const struct pv_calendar *cal, const char *unit,
				     pv_date d);
bool pv_calendar_is_open(const struct pv_calendar *cal, enum pv_day_kind kind,
			 const char *unit, pv_date d);

/* Open days in from..to (inclusive), clipped to the year; O(1). */
int pv_calendar_count(const struct pv_calendar *cal, enum pv_day_kind kind,
		      const char *unit, pv_date from, pv_date to);
/* Open days in from..to that fall on weekday `w`. */
int pv_calendar_count_weekday(const struct pv_calendar *cal, enum pv_day_kind kind,
			      const char *unit, pv_date from, pv_date to,
			      enum pv_weekday w);
/* Open days in a month (1..12) of a calendar year, or a half-year (1: H1,
 * 2: H2; see pv_half_bounds), clipped to the school year. */
int pv_calendar_count_month(const struct pv_calendar *cal, enum pv_day_kind kind,
			    const char *unit, int year, int month);
int pv_calendar_count_half(const struct pv_calendar *cal, enum pv_day_kind kind,
			   const char *unit, int year, int half);

/*
 * Iteration: the first open day on or after `from` (inside the year),
 * into *out. False when there is none. Loop with
 *   for (ok = pv_calendar_next(c, k, u, from, &d); ok && d <= to;
 *        ok = pv_calendar_next(c, k, u, d + 1, &d))
 */
bool pv_calendar_next(const struct pv_calendar *cal, enum pv_day_kind kind,
		      const char *unit, pv_date from, pv_date *out);

/*
 * Why `d` is closed (or PV_DAY_OPEN), most telling reason first: holiday,
 * then break/day off/planning/closed day, then outside the term, then
 * weekend. The pointers in *out are borrowed from `cal` (holiday names
 * are static). Returns out->why.
 */
enum pv_closed pv_calendar_why(const struct pv_calendar *cal, enum pv_day_kind kind,
			       const char *unit, pv_date d, struct pv_day_reason *out);

/*
 * The reason as words for people, into buf (always NUL-terminated):
 * "Skjærtorsdag (påskeferie)", "vinterferie", "planleggingsdag (hof)",
 * "weekend", "before the first school day (2026-08-17)",
 * "outside the school year 2026/27", "open". Returns buf.
 */
char *pv_calendar_describe(const struct pv_calendar *cal, const struct pv_day_reason *r,
			   char *buf, size_t size);

/* The closed spans in date order (imported ones, then the rules'
 * kindergarten spans as dates of this year); borrowed from `cal`. */
size_t pv_calendar_span_count(const struct pv_calendar *cal);
const struct pv_calendar_span *pv_calendar_span_at(const struct pv_calendar *cal, size_t i);

/* ---- import ---- */

enum pv_calendar_format {
	PV_CALENDAR_AUTO,   /* by the file name's extension, else by content */
	PV_CALENDAR_JSON,
	PV_CALENDAR_CSV,
};

/* ".json" / ".csv" (any case) decide; otherwise a document starting with
 * '{' (after a BOM and white space) is JSON, anything else CSV. */
enum pv_calendar_format pv_calendar_guess_format(const char *filename, const char *text,
						 size_t len);

/* A parsed and validated calendar document, not yet stored. */
struct pv_calendar_doc;

/*
 * Parses a calendar document (`text`, `len` bytes; `filename` names it in
 * errors) and validates it: real dates, first <= last, everything inside
 * the school year, breaks and days off inside the term, no overlapping
 * closures, known keys and row types. Errors are PV_EDATA naming
 * file:line:column (CSV; the column is the field number, and JSON syntax
 * errors) or the JSON path ("breaks[2].to"). Units are checked against
 * the database by pv_calendar_store. On success *out is owned by the
 * caller: free with pv_calendar_doc_free().
 */
enum pv_status pv_calendar_parse(const char *text, size_t len, const char *filename,
				 enum pv_calendar_format format,
				 struct pv_calendar_doc **out, struct pv_error *err);
void pv_calendar_doc_free(struct pv_calendar_doc *doc);
/* The start year the document is for. */
int pv_calendar_doc_year(const struct pv_calendar_doc *doc);
/* Counts the document's entries of one kind (a span of several days is
 * one entry). */
size_t pv_calendar_doc_count(const struct pv_calendar_doc *doc, enum pv_span_kind kind);

/*
 * Stores `doc` (borrowed) as its year's calendar, replacing any earlier
 * import of that year, and appends an audit row. Every unit named must be
 * in table `unit` (a school for planning days, a kindergarten for
 * kindergarten closed days), else PV_EDATA at the entry's position. Must
 * run inside the caller's write transaction; works in a savepoint, so on
 * failure the database is as before. *replaced (may be NULL) says whether
 * a calendar of that year existed.
 */
enum pv_status pv_calendar_store(struct pv_db *db, const struct pv_calendar_doc *doc,
				 bool *replaced, struct pv_error *err);

/* pv_calendar_parse + pv_calendar_store; *start_year (may be NULL) gets
 * the year imported. */
enum pv_status pv_calendar_import(struct pv_db *db, const char *text, size_t len,
				  const char *filename, enum pv_calendar_format format,
				  int *start_year, struct pv_error *err);

/* The start years of the imported calendars, ascending. *years is
 * malloc'ed (NULL when none); caller frees with free(). */
enum pv_status pv_calendar_years(struct pv_db *db, int **years, size_t *count,
				 struct pv_error *err);

/* The kind of a unit in table `unit` ("school", "kindergarten", …) into
 * buf; *found is false for an unknown slug. */
enum pv_status pv_calendar_unit_kind(struct pv_db *db, const char *slug, bool *found,
				     char *buf, size_t size, struct pv_error *err);

#endif
