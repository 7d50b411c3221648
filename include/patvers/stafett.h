/* The stafettlogg (BTI / «Se meg»): one child's case across services, level by level. */
#ifndef PATVERS_STAFETT_H
#define PATVERS_STAFETT_H

#include <stdbool.h>
#include <stddef.h>

#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/error.h"
#include "patvers/output.h"
#include "patvers/rules.h"

/*
 * A stafettlogg follows one child's case under the unit's own reference
 * key (REF, checked by pv_consent_ref_check: never a name or national id)
 * through four levels: 0 undring (a concern, anonymous, to be decided —
 * closed or raised — within the rules' stafett.level0_decide_days), 1
 * measures inside one service, 2 simple cooperation between two services,
 * 3 wider cooperation with a coordinator. It holds goals, measures
 * (tiltak) each with a responsible person and an evaluation date,
 * evaluations, short notes ("lysglimt") and level changes, and names the
 * stafettholder who holds the baton. A handover to another person is
 * pending until that person accepts it.
 *
 * Consent. A person's service is their home unit's service code ("ppt";
 * none for school and kindergarten staff). At levels 1–3 every change
 * that involves people (open, level, tiltak, handover, accept) needs a
 * consent of REF valid on the day (pv_consent_check) that covers every
 * service involved: the holder's, the running tiltak's responsibles',
 * a pending receiver's and the newcomer's. At level 0 the case is
 * anonymous: only bringing in a person from another service than the
 * holder's needs a consent covering that service. Consents of REF must
 * belong to the log's unit.
 *
 * Every free text passes the anonymity guard; every change is one audit
 * row naming the log's id, unit, people's slugs, dates and counts, never
 * the REF or a text. Write functions run inside the caller's write
 * transaction and refuse (PV_EDATA, nothing written) a bad REF, an
 * unknown log, unit or person, a closed log, a date before the log was
 * opened, and text the guard refuses. Dates are the day the thing
 * happened (the command line's --date, default today).
 *
 * Ownership, once for the module: strings passed in are borrowed.
 * Everything a struct pv_stafett_logs hands out is owned by it and valid
 * until pv_stafett_logs_free(). Guide strings are borrowed from the rules
 * and valid until pv_rules_free().
 */

#define PV_STAFETT_LEVELS 4
#define PV_STAFETT_MAX_STEPS 20    /* the rules allow 1..20 steps a level */

enum pv_stafett_reason {
	PV_STAFETT_GOAL_MET,
	PV_STAFETT_PARENTS_REQUEST,
	PV_STAFETT_MOVED,
	PV_STAFETT_OTHER,
};

/* "goal-met", "parents-request", "moved", "other" (static); parse takes
 * exactly these. */
const char *pv_stafett_reason_name(enum pv_stafett_reason reason);
bool pv_stafett_reason_parse(const char *text, enum pv_stafett_reason *out);

/* What one timeline entry records. */
enum pv_stafett_kind {
	PV_STAFETT_OPENED,      /* "opened": person = holder, level, text = concern */
	PV_STAFETT_GOAL,        /* "goal": text */
	PV_STAFETT_TILTAK,      /* "tiltak": tiltak, person = responsible, due, text = what */
	PV_STAFETT_EVALUATION,  /* "evaluation": tiltak, detail "continue" (due = next)
				 * or "end", text = result */
	PV_STAFETT_NOTE,        /* "note": text */
	PV_STAFETT_LEVEL,       /* "level": level (the new one), text = why */
	PV_STAFETT_HANDOVER,    /* "handover": person = receiver */
	PV_STAFETT_ACCEPTED,    /* "accepted": person = the new holder */
	PV_STAFETT_DECLINED,    /* "declined": person = who declined, text = why or "" */
	PV_STAFETT_CLOSED,      /* "closed": detail = the reason */
};
#define PV_STAFETT_KINDS 10

/* The names above (static); "unknown" out of range. */
const char *pv_stafett_kind_name(enum pv_stafett_kind kind);

struct pv_stafett_entry {
	long long id;
	enum pv_stafett_kind kind;
	pv_date date;
	const char *person;       /* a person slug, or NULL */
	const char *person_name;  /* NULL when not in the roster (any more) */
	int level;                /* opened, level; else -1 */
	int tiltak;               /* tiltak, evaluation: its number; else 0 */
	pv_date due;              /* tiltak: evaluate by; evaluation that continues:
				   * the next evaluation; else 0 */
	const char *detail;       /* evaluation, closed (see above); else NULL */
	const char *text;         /* "" when there is none */
};

struct pv_stafett_tiltak {
	int number;               /* 1, 2, … within the log */
	const char *what;
	const char *responsible;  /* person slug */
	const char *responsible_name;     /* NULL when not in the roster */
	const char *responsible_service;  /* their home unit's service, or NULL */
	pv_date started;
	pv_date evaluate_by;      /* the next (or, once ended, the last) evaluation date */
	pv_date evaluated;        /* the last evaluation, or 0 */
	pv_date ended;            /* 0 while it runs */
	int evaluations;
};

struct pv_stafett {
	long long id;
	const char *ref;
	const char *unit;
	const char *unit_name;        /* NULL when not in the roster */
	const char *holder;
	const char *holder_name;      /* NULL when not in the roster */
	const char *holder_service;   /* NULL: none (or not in the roster) */
	int level;
	pv_date opened;
	pv_date level_since;          /* when it came to its level */
	pv_date decided;              /* when level 0 was left (raised or closed), or 0 */
	const char *pending_to;       /* a pending handover's receiver, or NULL */
	const char *pending_to_name;
	const char *pending_to_service;
	pv_date pending_since;
	pv_date closed;               /* 0 while open */
	enum pv_stafett_reason reason;        /* when closed */
	pv_date exported;             /* the last complete export, or 0 */
	const char *concern;          /* the opened entry's text */
	const struct pv_stafett_entry *entries;  /* by date, then as written */
	size_t nentries;
	const struct pv_stafett_tiltak *tiltak;  /* by number */
	size_t ntiltak;
	size_t ngoals;
};

/* ---- writing (each: the caller's write transaction, one audit row) ---- */

struct pv_stafett_open_spec {
	const char *ref;
	const char *unit;         /* unit slug, any kind */
	const char *holder;       /* person slug */
	int level;                /* 0..3 */
	const char *concern;      /* the undring, guarded, not empty */
	pv_date date;
};

/* Opens a log. Refused when REF already has an open log. *id (may be
 * NULL) gets its id. `rules` borrowed. */
enum pv_status pv_stafett_open(struct pv_db *db, const struct pv_rules *rules,
			       const struct pv_stafett_open_spec *spec, long long *id,
			       struct pv_error *err);

/* Adds a goal; *number (may be NULL) gets its number in the log. */
enum pv_status pv_stafett_goal_add(struct pv_db *db, const struct pv_rules *rules,
				   const char *ref, pv_date date, const char *text,
				   int *number, struct pv_error *err);

/* Adds a measure with its responsible person and first evaluation date
 * (after `date`). *number (may be NULL) gets its number in the log. */
enum pv_status pv_stafett_tiltak_add(struct pv_db *db, const struct pv_rules *rules,
				     const char *ref, pv_date date, const char *what,
				     const char *responsible, pv_date evaluate_by,
				     int *number, struct pv_error *err);

enum pv_stafett_decision { PV_STAFETT_CONTINUE, PV_STAFETT_END };

/*
 * Evaluates running tiltak `number`: records the result and either ends
 * it or continues it to the next evaluation, `next` (after `date`), or
 * when `next` is 0 the same interval again (date + the days from its
 * start or last evaluation to the evaluation date it had). *next_out
 * (may be NULL) gets the next date (0 when ended).
 */
enum pv_status pv_stafett_evaluate(struct pv_db *db, const struct pv_rules *rules,
				   const char *ref, int number, pv_date date,
				   const char *result, enum pv_stafett_decision decision,
				   pv_date next, pv_date *next_out, struct pv_error *err);

/* A short note: what a meeting agreed, or a «lysglimt». */
enum pv_status pv_stafett_note(struct pv_db *db, const struct pv_rules *rules,
			       const char *ref, pv_date date, const char *text,
			       struct pv_error *err);

/* Moves the log to level 1..3 (why: guarded, not empty). Back to 0 is
 * refused: level 0 is the concern before a decision. Leaving level 0
 * records the decision. */
enum pv_status pv_stafett_set_level(struct pv_db *db, const struct pv_rules *rules,
				    const char *ref, pv_date date, int level, const char *why,
				    struct pv_error *err);

/* Asks `to` to take over as stafettholder: pending until accepted or
 * declined; the holder is unchanged meanwhile. Refused when one is
 * already pending, or `to` is the holder. */
enum pv_status pv_stafett_handover(struct pv_db *db, const struct pv_rules *rules,
				   const char *ref, pv_date date, const char *to,
				   struct pv_error *err);

/* The receiver `by` (only they) accepts the pending handover, on or after
 * the day it was asked; the consent is checked again (it may have been
 * withdrawn since). `by` becomes the holder. */
enum pv_status pv_stafett_accept(struct pv_db *db, const struct pv_rules *rules,
				 const char *ref, pv_date date, const char *by,
				 struct pv_error *err);

/* The receiver declines, or the holder withdraws, the pending handover;
 * `why` may be NULL. */
enum pv_status pv_stafett_decline(struct pv_db *db, const struct pv_rules *rules,
				  const char *ref, pv_date date, const char *by,
				  const char *why, struct pv_error *err);

/* Closes the log; running tiltak end on `date`. Refused while a handover
 * is pending. */
enum pv_status pv_stafett_close(struct pv_db *db, const struct pv_rules *rules,
				const char *ref, pv_date date,
				enum pv_stafett_reason reason, struct pv_error *err);

/* Records that log `id` was exported whole on `date` (`format` "md" or
 * "json", for the audit row), which purge asks for. */
enum pv_status pv_stafett_mark_exported(struct pv_db *db, long long id, pv_date date,
					const char *format, struct pv_error *err);

/* ---- purge ---- */

enum pv_stafett_purge_action {
	PV_STAFETT_REMOVED,
	PV_STAFETT_KEPT_RETENTION,      /* closed less than stafett.retention_days ago */
	PV_STAFETT_KEPT_NOT_EXPORTED,   /* changed since its last export, or never exported */
};

/* "removed", "kept-retention", "kept-not-exported" (static). */
const char *pv_stafett_purge_action_name(enum pv_stafett_purge_action action);

struct pv_stafett_purge_row {
	long long id;
	const char *ref;
	const char *unit;
	pv_date closed;
	enum pv_stafett_purge_action action;
};
/* Strings valid only during the call. */
typedef void (*pv_stafett_purge_fn)(const struct pv_stafett_purge_row *row, void *arg);

struct pv_stafett_purge_options {
	pv_date today;
	pv_date closed_before;    /* logs closed before this day are looked at */
	bool force;               /* remove also logs not exported since their last change */
	bool dry_run;             /* report, change nothing */
};

/*
 * Removes the logs closed before `closed_before` whose retention time
 * (the rules' stafett.retention_days after closing) has passed on `today`
 * and that were exported after their last change (or `force`), with all
 * they hold. The audit keeps one row per removed log: its id, unit and
 * closing date, nothing else. `fn` (may be NULL) hears every log looked
 * at, by closing date; *removed (may be NULL) counts the removed ones.
 * Caller's write transaction.
 */
enum pv_status pv_stafett_purge(struct pv_db *db, const struct pv_rules *rules,
				const struct pv_stafett_purge_options *opts,
				pv_stafett_purge_fn fn, void *arg, int *removed,
				struct pv_error *err);

/* ---- reading ---- */

struct pv_stafett_filter {
	const char *ref;          /* NULL fields do not filter */
	const char *holder;
	const char *unit;
	int level;                /* 0..3, or -1 for any */
	bool include_closed;
};

/* A list of logs by REF, then id. */
struct pv_stafett_logs;

/* Loads the logs the filter selects, whole (entries and tiltak).
 * Read only. Caller frees *out with pv_stafett_logs_free(). */
enum pv_status pv_stafett_logs_load(struct pv_db *db, const struct pv_stafett_filter *filter,
				    struct pv_stafett_logs **out, struct pv_error *err);

/* The newest log of `ref` (the open one, else the last closed): *out
 * holds exactly it. A bad REF or none with it is PV_EDATA. */
enum pv_status pv_stafett_load(struct pv_db *db, const struct pv_rules *rules,
			       const char *ref, struct pv_stafett_logs **out,
			       struct pv_error *err);

void pv_stafett_logs_free(struct pv_stafett_logs *logs);
size_t pv_stafett_logs_count(const struct pv_stafett_logs *logs);
const struct pv_stafett *pv_stafett_logs_at(const struct pv_stafett_logs *logs, size_t i);

/* What is due in an open log on `today` (all zero for a closed one). */
struct pv_stafett_due {
	pv_date decide_by;          /* level 0: opened + stafett.level0_decide_days; else 0 */
	bool decision_overdue;      /* level 0 and today is after decide_by */
	int evaluations_overdue;    /* running tiltak whose evaluation date has passed */
	pv_date next;               /* the earliest of decide_by and the running
				     * tiltak's evaluation dates; 0: none */
	bool overdue;               /* the decision or an evaluation is overdue */
};

void pv_stafett_due_on(const struct pv_stafett *log, const struct pv_rules *rules,
		       pv_date today, struct pv_stafett_due *due);

/*
 * Whether the consents of the log's REF allow it at `level` on `date`
 * with the person `newcomer` (a slug, may be NULL) brought in: see the
 * rule above. PV_OK, or PV_EDATA saying what is missing.
 */
enum pv_status pv_stafett_consent_check(struct pv_db *db, const struct pv_stafett *log,
					int level, pv_date date, const char *newcomer,
					struct pv_error *err);

/* ---- the handlingsveileder (the rules' stafett.guide) ---- */

struct pv_stafett_step {
	const char *who;
	const char *what;
	const char *with;         /* "" when alone */
	int days;                 /* within this many days of coming to the level */
};

struct pv_stafett_level {
	int level;
	const char *name;
	size_t nsteps;
	struct pv_stafett_step steps[PV_STAFETT_MAX_STEPS];
};

/* Fills *out with the guide's steps for `level` (0..3); strings borrowed
 * from `rules`. False for a level out of range. */
bool pv_stafett_guide(const struct pv_rules *rules, int level, struct pv_stafett_level *out);

/* ---- documents ---- */

/*
 * Emits `log` as the document `kind` ("stafett" for show,
 * "stafett-export" for export): its fields, what is due on `today`, then
 * the tables goals, tiltak, timeline and, for an open log, next_steps
 * (the guide's steps for its level, each due `days` after level_since).
 * `consent` (may be NULL: left out) is "ok" or what the consent lacks.
 * `out`, `log` and `rules` borrowed.
 */
void pv_stafett_emit(struct pv_out *out, const char *kind, const struct pv_stafett *log,
		     const struct pv_rules *rules, pv_date today, const char *consent);

/* The complete log as Markdown for the child's record (elevmappe):
 * *text is malloc'ed, caller frees. Deterministic for the same log,
 * rules and day. */
enum pv_status pv_stafett_markdown(const struct pv_stafett *log, const struct pv_rules *rules,
				   pv_date today, char **text, struct pv_error *err);

#endif
