/* The planner: places every meeting the rules require on real dates. */
#ifndef PATVERS_PLANNER_H
#define PATVERS_PLANNER_H

#include "patvers/schedule.h"

struct pv_generate_options {
	int school_year;             /* start year of the year to plan */
	const char *const *units;    /* NULL-terminated unit slugs to (re)plan, or NULL: all */
	bool dry_run;                /* plan and report, store nothing */
};

/* One relaxation the planner had to make, for people to read. */
struct pv_plan_note {
	long long meeting;           /* meeting id (0 in a dry run) */
	const char *unit;
	pv_date date;
	const char *what;            /* "fallback weekday wednesday", "substitute …" */
};

struct pv_spread {
	int teams;                   /* unit × half-years with a meeting of the kind */
	int shortest_gap;            /* days, over all of them */
	double mean_gap;             /* days */
	int below_min_gap;           /* gaps shorter than the rule's min_gap_days */
};

struct pv_generate_result {
	struct pv_plan *plan;        /* the year's meetings after planning (owned) */
	int planned;                 /* meetings placed or re-placed */
	int kept;                    /* held, locked, moved or logged: kept as they were */
	int unchanged;               /* re-planned onto the same date and time */
	int cancelled;               /* planned earlier, no longer needed */
	int fallback_days;           /* meetings on a fallback weekday */
	int substitutions;           /* participants replaced by their substitute */
	bool fallback_calendar;      /* no calendar imported for the year */
	struct pv_spread spread[PV_MEETING_KINDS];
	struct pv_plan_note *notes;  /* relaxations, in date order (owned) */
	size_t nnotes;
};

/*
 * Plans every meeting the rules require for the school year (see
 * DESIGN.md "Plans" and patvers-schedule(1) for the method and the
 * objective). Deterministic. Meetings that are held, locked or moved by
 * hand are kept and planned around. When the rules cannot be met (even
 * with fallback weekdays and, under clash_policy "substitute", named
 * substitutes) returns PV_EUNSAT with a message saying exactly why and
 * stores nothing. Unless dry_run, stores the plan (in the caller's
 * transaction) with one audit row. On success the caller frees the result
 * with pv_generate_result_release().
 */
enum pv_status pv_schedule_generate(struct pv_db *db, const struct pv_generate_options *opts,
				    struct pv_generate_result *result, struct pv_error *err);
void pv_generate_result_release(struct pv_generate_result *result);

#endif
