/* Changing the plan by hand, checking it against the rules, and meeting agendas. */
#ifndef PATVERS_PLANEDIT_H
#define PATVERS_PLANEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "patvers/schedule.h"

/*
 * Every change here runs inside the caller's write transaction, raises
 * the meeting's iCalendar SEQUENCE when a calendar would show it, and
 * appends an audit row. Strings passed in are borrowed.
 */

/*
 * One rule a meeting breaks (or would break). Rules: "closed" (not a
 * school/kindergarten day), "weekday" (not the rule's weekday nor a
 * fallback), "clash" (a person in two meetings at once), "minimum" (fewer
 * than min_per_half systemmøter in a half-year), "first-weeks" (the first
 * school systemmøte of the year not within the first school weeks),
 * "spread" (two systemmøter of a unit closer than min_gap_days).
 * `meeting` is 0 for unit findings. Strings valid only during the call.
 */
struct pv_plan_finding {
	const char *unit;
	const char *rule;
	long long meeting;
	pv_date date;                /* 0 when none */
	const char *detail;
};
typedef void (*pv_plan_finding_fn)(const struct pv_plan_finding *f, void *arg);

/*
 * Moves meeting `id` to `date` (and `start`, minutes after midnight, or -1
 * to keep the time; the length stays). Refuses (PV_EUNSAT, the message
 * naming every rule broken: closed day, weekday, clash with whom and which
 * meeting, half-year minimum) unless `force`; with `force` the findings
 * are still reported through fn (may be NULL). The meeting is marked as
 * moved by hand, so the planner keeps it.
 */
enum pv_status pv_plan_move(struct pv_db *db, long long id, pv_date date, int start,
			    bool force, pv_plan_finding_fn fn, void *arg,
			    struct pv_error *err);

/* Cancels meeting `id` with a reason (required, non-empty). */
enum pv_status pv_plan_cancel(struct pv_db *db, long long id, const char *reason,
			      struct pv_error *err);

/* Locks (or with locked = false unlocks) meeting `id`: the planner keeps it. */
enum pv_status pv_plan_lock(struct pv_db *db, long long id, bool locked,
			    struct pv_error *err);

/*
 * Adds an ad hoc meeting (e.g. a veiledningsteam a rektor or styrer calls)
 * for `unit` with the unit's team as participants, `start`–`end` minutes.
 * Refuses a closed day or a clash unless `force` (findings through fn).
 * *id (may be NULL) gets the new meeting's id.
 */
enum pv_status pv_plan_add_meeting(struct pv_db *db, const char *unit,
				   enum pv_meeting_kind kind, pv_date date, int start,
				   int end, bool force, pv_plan_finding_fn fn, void *arg,
				   long long *id, struct pv_error *err);

/*
 * Checks the stored plan of a school year against the rules: counts per
 * half-year, the first school weeks, clashes, closed days and weekdays,
 * spread. Calls fn per finding in unit, rule, date order; *count (may be
 * NULL) gets their number.
 */
enum pv_status pv_plan_check(struct pv_db *db, int school_year, pv_plan_finding_fn fn,
			     void *arg, int *count, struct pv_error *err);

/*
 * The meeting's agenda as Markdown: title, time and place, the method's
 * agenda items from the rules (agenda.items; the first school systemmøte
 * of the year starts with agenda.first_school_meeting), the participants.
 * `roster` and `rules` are borrowed. *text is malloc'ed: caller frees.
 */
enum pv_status pv_plan_agenda(const struct pv_meeting *m, const struct pv_roster *roster,
			      const struct pv_rules *rules, char **text,
			      struct pv_error *err);

#endif
