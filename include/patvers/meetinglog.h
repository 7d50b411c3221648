/* The meeting log: held or cancelled, who came, cases, actions; template and JSON. */
#ifndef PATVERS_MEETINGLOG_H
#define PATVERS_MEETINGLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/error.h"
#include "patvers/rules.h"
#include "patvers/schedule.h"
#include "patvers/team.h"

/*
 * The method says every meeting is logged as held («Det loggføres at
 * møtet er gjennomført»), its cases discussed anonymously or with
 * consent, and the meeting ends with a sketch of who does what next. A
 * log belongs to one meeting of the plan (lib/schedule.c) and holds:
 *
 *   leader        the person who led it
 *   attendees     the people present; an attendee may stand in for a
 *                 person (stedfortreder)
 *   guests        parents and other invited participants, by role and
 *                 count only (the roles in the rules' log.guest_roles)
 *   cases         a theme (from the rules' `themes`, or free text), and
 *                 for a case discussed with consent the unit's REF
 *   actions       who (a person id or a role), what, due date, open/done
 *   experience    free text: experiences from the cooperation
 *   counts        «Åpen dør» only: staff consultations, pupil
 *                 conversations, and the date the parents were told after
 *                 barnevern talked with a pupil
 *
 * Every free text goes through the anonymity guard, every consent case
 * through pv_consent_check, before anything is stored.
 *
 * Ownership, once for the module: strings passed in are borrowed and
 * copied; a struct pv_meeting_log owns every string and array it points
 * to, freed by pv_log_free().
 */

/* Where an item came from, for messages: a template line (0: none) and a
 * prefix for field names ("" in a template, "--case " on the command
 * line, "meetings[0].cases[1]." in JSON). */
struct pv_log_origin {
	long line;
	const char *where;
};

struct pv_log_attendee {
	const char *person;
	const char *substitute_for;    /* the person they stood in for, or NULL */
	struct pv_log_origin at;
};

struct pv_log_guest {
	const char *role;
	int count;                     /* 1..99 */
	struct pv_log_origin at;
};

struct pv_log_case {
	long long id;                  /* 0 until stored */
	const char *consent_ref;       /* NULL: an anonymous case */
	const char *theme;
	struct pv_log_origin at;
};

enum pv_action_status { PV_ACTION_OPEN, PV_ACTION_DONE };
/* "open", "done" (static). */
const char *pv_action_status_name(enum pv_action_status s);

struct pv_log_action {
	long long id;                  /* 0: a new action */
	const char *responsible;       /* a person id or a role */
	bool is_person;                /* set when validated or loaded */
	const char *what;
	pv_date due;
	enum pv_action_status status;
	pv_date done;                  /* when done, else 0 */
	struct pv_log_origin at;
};

struct pv_meeting_log {
	long long meeting;             /* the meeting's id; 0 when named by uid */
	const char *uid;               /* or the meeting's iCalendar UID */
	/* when set (JSON import), checked against the meeting, so a file
	 * meant for another database is refused */
	const char *expect_unit;
	const char *expect_kind;
	pv_date expect_date;
	const char *cancel_reason;     /* JSON only: the meeting was cancelled for
					* this reason (pv_log_cancel); then the
					* fields below are empty */
	const char *file;              /* the template or JSON file, for messages */
	struct pv_log_origin at;       /* the log as a whole ("meetings[1]." in JSON) */

	const char *leader;
	struct pv_log_origin leader_at;
	struct pv_log_attendee *attendees;
	size_t nattendees;
	struct pv_log_guest *guests;
	size_t nguests;
	struct pv_log_case *cases;
	size_t ncases;
	struct pv_log_action *actions;
	size_t nactions;
	const char *experience;        /* "" when none */
	struct pv_log_origin experience_at;
	int staff_consultations;       /* -1: not given */
	int pupil_conversations;       /* -1: not given */
	pv_date parents_informed;      /* 0: not (yet) */
	struct pv_log_origin counts_at;
};

/* The people present: the leader and every attendee (the leader once,
 * also when standing in for someone). */
size_t pv_log_present(const struct pv_meeting_log *log);

/* ---- building a log ----
 *
 * These check the syntax only; what needs the database (people, roles,
 * consents, the guard) is checked by pv_log_store. Errors are PV_EDATA
 * naming the origin.
 */

/* An empty log for `meeting`. NULL when out of memory. */
struct pv_meeting_log *pv_log_new(long long meeting);
void pv_log_free(struct pv_meeting_log *log);

/* Copies `text` into storage the log owns; NULL in gives NULL out.
 * *oom is set when out of memory. For callers filling fields directly. */
const char *pv_log_keep(struct pv_meeting_log *log, const char *text, bool *oom);

enum pv_status pv_log_set_leader(struct pv_meeting_log *log, const char *person,
				 struct pv_log_origin at, struct pv_error *err);
/* `substitute_for` may be NULL. */
enum pv_status pv_log_add_attendee(struct pv_meeting_log *log, const char *person,
				   const char *substitute_for, struct pv_log_origin at,
				   struct pv_error *err);
enum pv_status pv_log_add_guest(struct pv_meeting_log *log, const char *role, int count,
				struct pv_log_origin at, struct pv_error *err);
/* `consent_ref` NULL: anonymous. */
enum pv_status pv_log_add_case(struct pv_meeting_log *log, const char *consent_ref,
			       const char *theme, struct pv_log_origin at,
			       struct pv_error *err);
/* Copies `a` (its strings too); a->at is used as the origin. */
enum pv_status pv_log_add_action(struct pv_meeting_log *log, const struct pv_log_action *a,
				 struct pv_error *err);
enum pv_status pv_log_set_experience(struct pv_meeting_log *log, const char *text,
				     struct pv_log_origin at, struct pv_error *err);

/*
 * The text forms the command line and the template share (white space
 * around each part is trimmed):
 *   substitute  "PERSON:FOR"
 *   guest       "ROLE" or "ROLE:COUNT"
 *   case        "anon:THEME" or "consent:REF:THEME"
 *   action      "WHO|WHAT|DUE" or "WHO|WHAT|DUE|done DATE" (or "|open")
 */
enum pv_status pv_log_parse_substitute(struct pv_meeting_log *log, const char *text,
				       struct pv_log_origin at, struct pv_error *err);
enum pv_status pv_log_parse_guest(struct pv_meeting_log *log, const char *text,
				  struct pv_log_origin at, struct pv_error *err);
enum pv_status pv_log_parse_case(struct pv_meeting_log *log, const char *text,
				 struct pv_log_origin at, struct pv_error *err);
/* `id` is the action's id (0 for a new one). */
enum pv_status pv_log_parse_action(struct pv_meeting_log *log, const char *text,
				   long long id, struct pv_log_origin at, struct pv_error *err);

/* ---- storing ---- */

/* Loads one meeting by `id`, or by its iCalendar `uid` when id is 0
 * (uid may then be NULL only to fail). *m points into *plan, which the
 * caller frees with pv_plan_free(). Unknown: PV_EDATA. */
enum pv_status pv_log_meeting(struct pv_db *db, long long id, const char *uid,
			      struct pv_plan **plan, const struct pv_meeting **m,
			      struct pv_error *err);

struct pv_log_store_options {
	pv_date today;       /* a meeting after today cannot be logged */
	bool replace;        /* replace an existing log (edit, import --replace);
			      * without it an existing log is PV_EDATA */
	bool *changed;       /* may be NULL; set to whether anything was written
			      * (an edit that changed nothing writes nothing and
			      * leaves no audit row) */
};

/*
 * Validates `log` against the meeting, the roster, the rules and the
 * consents, then stores it, marks the meeting held (pv_meeting_update,
 * so its iCalendar SEQUENCE rises) and appends an audit row holding ids
 * and counts only. Refuses a cancelled meeting, a meeting after
 * opts->today, unknown people, a guest role not in log.guest_roles, an
 * action whose WHO is neither a person nor a known role, free text the
 * guard rejects, and a consent case whose consent is missing, not valid
 * on the meeting date or not covering every service present (the home
 * services of the leader and attendees, the meeting unit's own service,
 * guests whose role is a service). Themes from the rules' list are
 * stored in its spelling. Validation may canonicalise `log` in place
 * (themes, roles, is_person, the meeting id of a log named by uid) and
 * sets the ids of new cases and actions. A log with a cancel_reason
 * cancels the meeting instead (pv_log_cancel; a meeting already
 * cancelled is an error without opts->replace). `roster` (borrowed) may
 * be NULL to load it. Caller's write transaction; on an error the caller
 * rolls back.
 */
enum pv_status pv_log_store(struct pv_db *db, const struct pv_rules *rules,
			    const struct pv_roster *roster, struct pv_meeting_log *log,
			    const struct pv_log_store_options *opts, struct pv_error *err);

/* The stored log of `meeting`; *out is NULL when there is none. Caller
 * frees with pv_log_free(). */
enum pv_status pv_log_load(struct pv_db *db, long long meeting, struct pv_meeting_log **out,
			   struct pv_error *err);

/*
 * Cancels a meeting that has no log, through pv_plan_cancel (which keeps
 * the reason and writes the audit row). The reason must pass the
 * anonymity guard. A cancelled systemmøte is a deviation: the method says
 * meetings are held even without cases. Caller's write transaction.
 */
enum pv_status pv_log_cancel(struct pv_db *db, const struct pv_rules *rules,
			     long long meeting, const char *reason, struct pv_error *err);

/* Records that the parents were told on `date` about barnevern's pupil
 * conversations at an «Åpen dør» meeting. Audit row. */
enum pv_status pv_log_parents_informed(struct pv_db *db, long long meeting, pv_date date,
				       struct pv_error *err);

/* ---- listing ---- */

/* Which meetings pv_log_list reports; 0 / NULL fields do not filter. */
struct pv_log_filter {
	const char *unit;              /* as pv_plan_filter.unit */
	pv_date from, to;
	pv_date today;                 /* what "past" means */
	bool unlogged;                 /* only past meetings (before today), not
					* cancelled, without a log */
	bool parents_not_informed;     /* only logs with pupil conversations and no
					* parents_informed date */
};

/* One meeting with its log's figures (zero when it has none). */
struct pv_log_summary {
	const struct pv_meeting *meeting;
	bool logged;
	const char *leader;            /* from the log, or NULL */
	int present;                   /* leader + attendees */
	int guests;                    /* sum of guest counts */
	int cases, consent_cases;
	int actions, open_actions;
	int pupil_conversations;       /* -1: not given */
	pv_date parents_informed;      /* 0: not given */
};
/* Called per meeting in date order; pointers valid during the call. */
typedef void (*pv_log_summary_fn)(const struct pv_log_summary *s, void *arg);

enum pv_status pv_log_list(struct pv_db *db, const struct pv_log_filter *filter,
			   pv_log_summary_fn fn, void *arg, int *count, struct pv_error *err);

/* One action with its meeting. */
struct pv_log_action_row {
	const struct pv_log_action *action;
	long long meeting;
	pv_date meeting_date;
	const char *unit;
};
typedef void (*pv_log_action_fn)(const struct pv_log_action_row *row, void *arg);

struct pv_action_filter {
	const char *unit;              /* the meeting's unit */
	bool open;                     /* only open actions */
	bool overdue;                  /* only open actions due before `today` */
	pv_date today;
};

/* Actions in due date, id order. */
enum pv_status pv_log_actions(struct pv_db *db, const struct pv_action_filter *filter,
			      pv_log_action_fn fn, void *arg, int *count,
			      struct pv_error *err);

/* Marks action `id` done on `date` (not before its meeting). An action
 * already done is PV_EDATA. Audit row. Caller's write transaction. */
enum pv_status pv_log_action_done(struct pv_db *db, long long id, pv_date date,
				  struct pv_error *err);

/* ---- the edit template ---- */

/*
 * The text `patvers log edit` opens in the editor, git-commit style:
 * '#' lines explain the keys and list the unit's team and the themes;
 * then "key: value" lines filled from `log` (may be NULL: a new log,
 * prefilled with the plan's leader and participants). Keys: leader,
 * attendee, substitute (PERSON:FOR), guest (ROLE[:COUNT]), case
 * (anon: THEME | consent: REF: THEME), action (or "action #ID" for a
 * stored one: WHO | WHAT | DUE [| done DATE]), staff-consultations,
 * pupil-conversations, parents-informed («Åpen dør» only), and last
 * "experience:", whose text runs to the end of the file. `roster` and
 * `rules` borrowed. Caller frees the result; NULL when out of memory.
 */
char *pv_log_template(const struct pv_meeting *m, const struct pv_meeting_log *log,
		      const struct pv_roster *roster, const struct pv_rules *rules);

/*
 * Parses a template back (a pure function of the text: no database), for
 * meeting `meeting`. `file` names the text in messages (file:line: …).
 * *out is NULL and PV_OK when the text holds nothing but comments and
 * blank lines (the user emptied it to abort). Otherwise *out is owned by
 * the caller (pv_log_free). Syntax errors are PV_EDATA at file:line.
 */
enum pv_status pv_log_parse_template(const char *text, size_t len, const char *file,
				     long long meeting, struct pv_meeting_log **out,
				     struct pv_error *err);

/* ---- JSON (schema patvers/log/1) ---- */

/*
 * Parses a log document: {"schema": "patvers/log/1", "meetings": [ … ]}
 * (format in patvers-log(1)). Duplicate keys, unknown keys, wrong types
 * and bad dates are PV_EDATA naming file:line:col or the JSON path
 * ("meetings[1].cases[0].theme"). *logs (an array of *n logs) is owned
 * by the caller: free with pv_log_array_free().
 */
enum pv_status pv_log_parse_json(const char *text, size_t len, const char *file,
				 struct pv_meeting_log ***logs, size_t *n,
				 struct pv_error *err);
void pv_log_array_free(struct pv_meeting_log **logs, size_t n);

/*
 * The stored logs of the meetings `filter` selects (unit, from, to; the
 * rest ignored) as a patvers/log/1 document that pv_log_parse_json reads
 * back: export, import into a database with the same plan, export again
 * gives the same document. *doc is a new reference: json_decref().
 */
enum pv_status pv_log_export(struct pv_db *db, const struct pv_log_filter *filter,
			     json_t **doc, struct pv_error *err);

#endif
