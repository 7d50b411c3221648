/* Reminders for cron: what is due, for whom, as events. */
#ifndef PATVERS_REMIND_H
#define PATVERS_REMIND_H

#include <stdbool.h>
#include <stddef.h>

#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/error.h"

/*
 * Collects everything due around a day: meetings coming up, meetings
 * passed but not logged (after the rules' log.grace_days), the coming
 * year's plan missing or incomplete from remind.plan_warning_from to the
 * plan deadline (and overdue after it), the half-year report due or
 * overdue and not marked sent, actions due or overdue, consents expiring
 * within consent.expiry_warning_days, «Åpen dør» pupil conversations whose
 * parents have not been told, units at risk of missing their half-year
 * minimum, and in open stafettlogger: tiltak evaluations due or overdue,
 * level-0 concerns not decided within stafett.level0_decide_days, and
 * handovers waiting for the receiver. Each event names who should act,
 * with e-mail.
 *
 * Ownership: everything a struct pv_reminders hands out is owned by it
 * and valid until pv_reminders_free(); strings passed in are borrowed.
 */

enum pv_remind_kind {
	PV_REMIND_MEETING,              /* "meeting" */
	PV_REMIND_UNLOGGED,             /* "unlogged" */
	PV_REMIND_PLAN_MISSING,         /* "plan-missing" */
	PV_REMIND_PLAN_OVERDUE,         /* "plan-overdue" */
	PV_REMIND_REPORT_DUE,           /* "report-due" */
	PV_REMIND_REPORT_OVERDUE,       /* "report-overdue" */
	PV_REMIND_ACTION_DUE,           /* "action-due" */
	PV_REMIND_ACTION_OVERDUE,       /* "action-overdue" */
	PV_REMIND_CONSENT_EXPIRING,     /* "consent-expiring" */
	PV_REMIND_PARENTS_NOT_INFORMED, /* "parents-not-informed" */
	PV_REMIND_AT_RISK,              /* "at-risk" */
	PV_REMIND_EVALUATION_DUE,       /* "evaluation-due": a stafett tiltak */
	PV_REMIND_EVALUATION_OVERDUE,   /* "evaluation-overdue" */
	PV_REMIND_DECISION_OVERDUE,     /* "decision-overdue": a level-0 stafettlogg */
	PV_REMIND_HANDOVER_PENDING,     /* "handover-pending": a stafett handover */
};
#define PV_REMIND_KINDS 15

/* The stable names above (static); parse accepts them. */
const char *pv_remind_kind_name(enum pv_remind_kind kind);
bool pv_remind_kind_parse(const char *text, enum pv_remind_kind *out);

struct pv_recipient {
	const char *person;     /* person slug */
	const char *name;
	const char *email;
};

struct pv_remind_event {
	enum pv_remind_kind kind;
	pv_date date;           /* the meeting's, deadline's or due date */
	const char *unit;       /* unit slug, or "municipality" */
	long long ref;          /* the meeting, action, consent or stafettlogg id;
				 * 0 if none */
	const char *message;    /* one line for people */
	const struct pv_recipient *who;
	size_t nwho;
};

struct pv_remind_options {
	pv_date as_of;
	int within_days;        /* look-ahead; -1: the rules' remind.within_days */
	const char *unit;       /* only this unit's events (NULL: all) */
	const char *person;     /* only events for this person (NULL: all) */
	unsigned kinds;         /* bit (1 << kind) per kind wanted; 0: all */
};

struct pv_reminders;

/* Collects the events, sorted by date, kind, unit, reference. Read only.
 * Caller frees *out with pv_reminders_free(). */
enum pv_status pv_remind_collect(struct pv_db *db, const struct pv_remind_options *opts,
				 struct pv_reminders **out, struct pv_error *err);
void pv_reminders_free(struct pv_reminders *r);
size_t pv_reminders_count(const struct pv_reminders *r);
const struct pv_remind_event *pv_reminders_at(const struct pv_reminders *r, size_t i);

#endif
