/* The annual meeting plan: meetings, the planner, changes by hand, checks. */
#ifndef PATVERS_SCHEDULE_H
#define PATVERS_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>

#include "patvers/calendar.h"
#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/error.h"
#include "patvers/rules.h"
#include "patvers/team.h"

/*
 * A meeting belongs to a unit: a school (systemmøte, «Åpen dør»,
 * veiledningsteam), a kindergarten group (systemmøte, hosted in turn by
 * its kindergartens), a kindergarten (veiledningsteam) or a service
 * (Nærværsteam consultations, God oppvekst). Planned meetings carry a
 * slot number — the n-th meeting of that kind for that unit in the school
 * year — so regenerating the plan finds "the same" meeting again and keeps
 * its id and iCalendar UID; ad hoc meetings have number 0.
 *
 * Ownership, once for the module: strings passed in are borrowed;
 * everything a struct pv_plan hands out is owned by the plan and valid
 * until pv_plan_free().
 */

enum pv_meeting_kind {
	PV_MEETING_SYSTEMMOTE,
	PV_MEETING_VEILEDNINGSTEAM,
	PV_MEETING_NAERVAER,
	PV_MEETING_GOD_OPPVEKST,
	PV_MEETING_APEN_DOR,
};
#define PV_MEETING_KINDS 5

/* "systemmote", "veiledningsteam", "naervaer", "god-oppvekst", "apen-dor"
 * (static); parse also accepts Norwegian spellings ("systemmøte",
 * "nærvær", "åpen dør"). */
const char *pv_meeting_kind_name(enum pv_meeting_kind kind);
bool pv_meeting_kind_parse(const char *text, enum pv_meeting_kind *out);

enum pv_meeting_status {
	PV_MEETING_PLANNED,
	PV_MEETING_HELD,
	PV_MEETING_CANCELLED,
};
/* The rules object a meeting of `kind` for a unit of `unit_kind` follows
 * ("meetings.school_systemmote", "meetings.kindergarten_systemmote",
 * "meetings.naervaer", "meetings.god_oppvekst", "meetings.apen_dor"), or
 * NULL for kinds without a rule (veiledningsteam). Static. */
const char *pv_meeting_rule_path(enum pv_meeting_kind kind, enum pv_unit_kind unit_kind);

/* "planned", "held", "cancelled" (static). */
const char *pv_meeting_status_name(enum pv_meeting_status status);

struct pv_participant {
	const char *person;          /* person slug */
	const char *role;            /* the role they attend in */
	const char *substitute_for;  /* the person they stand in for, or NULL */
};

struct pv_meeting {
	long long id;
	const char *uid;             /* stable iCalendar UID */
	int sequence;                /* iCalendar SEQUENCE: raised on every change */
	int school_year;             /* start year: 2026 for 2026/27 */
	const char *unit;            /* unit slug */
	const char *host;            /* hosting kindergarten of a group meeting, or NULL */
	enum pv_meeting_kind kind;
	int number;                  /* slot in the school year, 1-based; 0: ad hoc */
	pv_date date;
	int start, end;              /* minutes after midnight, local time */
	enum pv_meeting_status status;
	bool locked;                 /* kept as it is by the planner */
	bool moved;                  /* moved by hand: kept as it is by the planner */
	bool fallback_day;           /* not on the rule's weekday (a fallback weekday) */
	const char *cancel_reason;   /* or NULL */
	const char *leader;          /* person slug, or NULL */
	const struct pv_participant *participants;
	size_t nparticipants;
};

/* A set of meetings in date, start, unit, kind, id order. */
struct pv_plan;

/* Which meetings to load; zero/NULL fields do not filter. */
struct pv_plan_filter {
	int school_year;             /* 0: every year */
	const char *unit;            /* the unit, or for a kindergarten its group's meetings too */
	const char *person;          /* meetings the person takes part in */
	pv_date from, to;            /* 0: open */
	int iso_week;                /* 1..53, 0: any */
	bool only_kind;
	enum pv_meeting_kind kind;
	bool include_cancelled;
};

/* Loads meetings from the database. Caller frees *out with pv_plan_free(). */
enum pv_status pv_plan_load(struct pv_db *db, const struct pv_plan_filter *filter,
			    struct pv_plan **out, struct pv_error *err);
void pv_plan_free(struct pv_plan *plan);
size_t pv_plan_count(const struct pv_plan *plan);
const struct pv_meeting *pv_plan_at(const struct pv_plan *plan, size_t i);
/* An empty plan for building one in memory (the planner's dry run).
 * Free with pv_plan_free(). NULL when out of memory. */
struct pv_plan *pv_plan_new(void);
/* Adds a deep copy of `m` (borrowed). */
enum pv_status pv_plan_add(struct pv_plan *plan, const struct pv_meeting *m,
			   struct pv_error *err);
/* Sorts into the load order: date, start, unit, kind, number, id. */
void pv_plan_sort(struct pv_plan *plan);

/* The meeting with `id`, or NULL. */
const struct pv_meeting *pv_plan_find(const struct pv_plan *plan, long long id);

/* ---- storing and changing meetings ---- */

/*
 * Inserts `m` (its id, uid and sequence are ignored: a new id is chosen,
 * the uid derived from the slot — "<year>-<unit>-<kind>-<number>@patvers"
 * — or from the id for ad hoc meetings) with its participants. *id (may
 * be NULL) gets the new id. Caller's transaction.
 */
enum pv_status pv_meeting_insert(struct pv_db *db, const struct pv_meeting *m,
				 long long *id, struct pv_error *err);

/*
 * Changes a stored meeting to `m` (matched by m->id): date, times, status,
 * flags, leader, host, cancel reason and participants. The SEQUENCE is
 * raised when anything a calendar shows changed (date, times, status,
 * participants). *changed (may be NULL) says whether anything did.
 * Caller's transaction.
 */
enum pv_status pv_meeting_update(struct pv_db *db, const struct pv_meeting *m,
				 bool *changed, struct pv_error *err);
/* The same when the caller holds the stored meeting: `was` (borrowed) is
 * meeting m->id as loaded in this transaction. */
enum pv_status pv_meeting_update_from(struct pv_db *db, const struct pv_meeting *was,
				      const struct pv_meeting *m, bool *changed,
				      struct pv_error *err);

/* Deletes a meeting that was never held nor sent (planner use only). */
enum pv_status pv_meeting_delete(struct pv_db *db, long long id, struct pv_error *err);

#endif
