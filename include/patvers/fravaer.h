/* Worrying-absence screening for the Nærværsteam: streamed CSV in, flagged pupils out. */
#ifndef PATVERS_FRAVAER_H
#define PATVERS_FRAVAER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "patvers/calendar.h"
#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/error.h"
#include "patvers/rules.h"

/*
 * The rules are DESIGN.md's "Absence screening — exact rules". Input is
 * one CSV row per registration (student, school, date, type, optional
 * minutes, documented, reason; Norwegian aliases). Rows are validated
 * and folded into a compact per-student record of the screened school
 * year as they are read, then dropped: nothing of the input is kept but
 * per student the school days that carry a registration (8 bytes each),
 * so memory grows with the number of pupils, never with the number of
 * rows. Every comparison is in whole minutes (no floating point).
 *
 * Ownership, once for the module: strings passed in are borrowed (copied
 * when kept); results handed out are owned by the screening and valid
 * until pv_fravaer_free().
 */

/* The criteria, in the method's order. */
enum pv_fravaer_criterion {
	PV_FRV_UNDOCUMENTED,       /* several undocumented absences */
	PV_FRV_HIGH_ABSENCE,       /* 10 days over a school year */
	PV_FRV_REPEATED_LATENESS,  /* repeated late arrival */
	PV_FRV_LEAVES_SCHOOL,      /* shows up and leaves again */
	PV_FRV_ABSENCE_20PCT,      /* 20 % over 4 weeks, not known illness */
	PV_FRV_COUNT
};

/* The stable code ("undocumented", "high_absence", "repeated_lateness",
 * "leaves_school", "absence_20pct"; static strings, NULL out of range). */
const char *pv_fravaer_code(enum pv_fravaer_criterion c);

/* Digits after the point that `value` is shown with: 0 for the counts,
 * 2 for the day total, 4 for the share. */
int pv_fravaer_decimals(enum pv_fravaer_criterion c);

/* The thresholds, the rules' "fravaer.*" keys. */
struct pv_fravaer_params {
	int day_minutes;             /* minutes in one school day (360) */
	int undocumented_dates;      /* 3 */
	int high_absence_days;       /* 10 */
	int lateness_dates;          /* 3 */
	int lateness_window_days;    /* 28 (calendar days) */
	int leaves_dates;            /* 2 */
	int window_days;             /* 28 (calendar days) */
	int window_min_school_days;  /* 10 */
	int window_percent;          /* 20 */
};

/* Reads the thresholds from the rules (validated, so always in range). */
void pv_fravaer_params_from_rules(const struct pv_rules *rules,
				  struct pv_fravaer_params *out);

struct pv_fravaer_options {
	struct pv_fravaer_params params;
	pv_date as_of;               /* screened: 1 Aug of its school year .. as_of */
	const char *school;          /* only this school (exact value), or NULL */
};

/* Counts for the notes a command prints. */
struct pv_fravaer_stats {
	long long rows;              /* data rows read (all validated) */
	long long outside;           /* before the school year or after as_of */
	long long non_school_day;    /* on a day that is no school day: ignored */
	long long other_school;      /* another school than options.school */
	long long students;          /* pupils with a registration in the period */
};

/*
 * One criterion for one pupil. `value` is the exact fraction num / den
 * (den is 1 for counts): the number of dates (undocumented,
 * leaves_school), the day total (high_absence, minutes / day_minutes),
 * the most late dates in any window (repeated_lateness), the largest A/S
 * over the school days whose window has at least window_min_school_days
 * school days (absence_20pct, minutes / (S * day_minutes)). `first` is
 * the date the criterion became true.
 */
struct pv_fravaer_hit {
	bool met;
	pv_date first;
	long long num, den;
};

/* The value rounded down to pv_fravaer_decimals(c) digits, for output
 * (rounding down never shows more evidence than there is). */
double pv_fravaer_value(enum pv_fravaer_criterion c, const struct pv_fravaer_hit *hit);

/* A pupil who meets at least one criterion. */
struct pv_fravaer_flagged {
	const char *school;
	const char *student;
	struct pv_fravaer_hit hits[PV_FRV_COUNT];
};

struct pv_fravaer;

/*
 * Starts a screening of the school year containing opts->as_of, with
 * school days from `cal` (borrowed; must outlive the screening; must be
 * the calendar of that school year). The `school` value of every row is
 * asked as a unit slug, so planning days of one school count for it.
 * On success *out is owned by the caller: free with pv_fravaer_free().
 * PV_EUSAGE when the calendar is of another year or a threshold is out
 * of range.
 */
enum pv_status pv_fravaer_new(const struct pv_fravaer_options *opts,
			      const struct pv_calendar *cal, struct pv_fravaer **out,
			      struct pv_error *err);
void pv_fravaer_free(struct pv_fravaer *f);

/*
 * Reads one CSV file (`fp` borrowed; `filename` names it in errors) into
 * the screening; several calls form one input, each file with its own
 * header. The whole file is validated, also rows outside the period; the
 * first bad value is a PV_EDATA error "FILE:LINE:COL: …" (COL = field
 * number), and the caller must then report nothing. Invalid UTF-8 is an
 * error with an iconv hint. The parsing runs in a second thread (see
 * pv_csv_read); `fp` is the caller's again when this returns.
 */
enum pv_status pv_fravaer_read(struct pv_fravaer *f, FILE *fp, const char *filename,
			       struct pv_error *err);
/* Like pv_fravaer_read on a buffer in memory. */
enum pv_status pv_fravaer_read_buffer(struct pv_fravaer *f, const char *data, size_t len,
				      const char *filename, struct pv_error *err);

/*
 * Applies the criteria to everything read and sorts the flagged pupils
 * by school, then student id (byte order). Call once, after the reads.
 * With more than a few thousand pupils, two threads screen them in
 * blocks; the result does not depend on which thread screened whom.
 */
enum pv_status pv_fravaer_finish(struct pv_fravaer *f, struct pv_error *err);

void pv_fravaer_get_stats(const struct pv_fravaer *f, struct pv_fravaer_stats *out);
/* The start year of the screened school year (2026 for 2026/27). */
int pv_fravaer_school_year(const struct pv_fravaer *f);

/* The flagged pupils after pv_fravaer_finish, in order. */
size_t pv_fravaer_flagged_count(const struct pv_fravaer *f);
const struct pv_fravaer_flagged *pv_fravaer_flagged_at(const struct pv_fravaer *f, size_t i);

/*
 * --new-since-last: keeps only the (pupil, criterion) pairs not reported
 * before for this school year and records them as reported. A pair is
 * known by HMAC-SHA-256 (libsodium) over school, student, criterion and
 * school year with a random key kept in the database (made on first
 * use); the ids themselves are never stored. Pupils left without a
 * criterion drop out of the flagged list. Appends an audit row with
 * counts only. Must run inside the caller's write transaction, after
 * pv_fravaer_finish. *fresh (may be NULL) gets the number of pairs kept.
 */
enum pv_status pv_fravaer_keep_new(struct pv_fravaer *f, struct pv_db *db, size_t *fresh,
				   struct pv_error *err);

#endif
