/* Reminders: collects what is due around a day from the plan, logs, consents and reports. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/consent.h"
#include "patvers/meetinglog.h"
#include "patvers/remind.h"
#include "patvers/report.h"
#include "patvers/rules.h"
#include "patvers/schedule.h"
#include "patvers/stafett.h"
#include "patvers/team.h"

static const char *const kind_names[PV_REMIND_KINDS] = {
	"meeting", "unlogged", "plan-missing", "plan-overdue", "report-due",
	"report-overdue", "action-due", "action-overdue", "consent-expiring",
	"parents-not-informed", "at-risk", "evaluation-due", "evaluation-overdue",
	"decision-overdue", "handover-pending",
};

const char *pv_remind_kind_name(enum pv_remind_kind kind)
{
	return (unsigned)kind < PV_REMIND_KINDS ? kind_names[kind] : "unknown";
}

bool pv_remind_kind_parse(const char *text, enum pv_remind_kind *out)
{
	for (int k = 0; k < PV_REMIND_KINDS; k++)
		if (strcmp(text, kind_names[k]) == 0) {
			*out = (enum pv_remind_kind)k;
			return true;
		}
	return false;
}

struct pv_reminders {
	struct pv_remind_event *events;
	size_t count, cap;
	char **strings;              /* everything the events point to */
	size_t nstrings, strings_cap;
	struct pv_recipient **who;   /* one array per event */
};

/* What collecting needs: the inputs and the list being filled. */
struct collector {
	struct pv_db *db;
	const struct pv_remind_options *opts;
	struct pv_rules *rules;
	struct pv_roster *roster;
	struct pv_reminders *out;
	int within;
	bool oom;
	struct pv_error *err;
};

void pv_reminders_free(struct pv_reminders *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nstrings; i++)
		free(r->strings[i]);
	for (size_t i = 0; i < r->count; i++)
		free(r->who[i]);
	free(r->strings);
	free(r->who);
	free(r->events);
	free(r);
}

size_t pv_reminders_count(const struct pv_reminders *r)
{
	return r ? r->count : 0;
}

const struct pv_remind_event *pv_reminders_at(const struct pv_reminders *r, size_t i)
{
	return r && i < r->count ? &r->events[i] : NULL;
}

/* A copy kept by the list; NULL (and c->oom) when out of memory. */
static const char *keep(struct collector *c, const char *text)
{
	struct pv_reminders *r = c->out;
	char *copy;

	if (!text)
		return NULL;
	if (r->nstrings == r->strings_cap) {
		size_t cap = r->strings_cap ? r->strings_cap * 2 : 64;
		char **grown = realloc(r->strings, cap * sizeof *grown);
		if (!grown) {
			c->oom = true;
			return NULL;
		}
		r->strings = grown;
		r->strings_cap = cap;
	}
	copy = strdup(text);
	if (!copy) {
		c->oom = true;
		return NULL;
	}
	r->strings[r->nstrings++] = copy;
	return copy;
}

static bool wanted_kind(const struct collector *c, enum pv_remind_kind kind)
{
	return !c->opts->kinds || (c->opts->kinds & (1u << kind));
}

/* Does the event concern the --unit asked for (a kindergarten also sees
 * its group's events)? */
static bool wanted_unit(const struct collector *c, const char *unit)
{
	const struct pv_unit *u;

	if (!c->opts->unit || strcmp(c->opts->unit, unit) == 0)
		return true;
	u = pv_roster_unit(c->roster, c->opts->unit);
	return u && u->group && strcmp(u->group, unit) == 0;
}

static bool grow_events(struct collector *c)
{
	struct pv_reminders *r = c->out;
	size_t cap = r->cap ? r->cap * 2 : 32;
	struct pv_remind_event *events = realloc(r->events, cap * sizeof *events);
	struct pv_recipient **who;

	if (!events) {
		c->oom = true;
		return false;
	}
	r->events = events;
	who = realloc(r->who, cap * sizeof *who);
	if (!who) {
		c->oom = true;
		return false;
	}
	r->who = who;
	r->cap = cap;
	return true;
}

/* Adds an event for the people in `persons` (slugs; unknown ones and
 * repeats are left out). With --person only that person's events stay. */
static void add_event(struct collector *c, enum pv_remind_kind kind, pv_date date,
		      const char *unit, long long ref, const char *const *persons,
		      size_t npersons, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

static void add_event(struct collector *c, enum pv_remind_kind kind, pv_date date,
		      const char *unit, long long ref, const char *const *persons,
		      size_t npersons, const char *fmt, ...)
{
	struct pv_reminders *r = c->out;
	struct pv_recipient *who;
	struct pv_remind_event *e;
	char message[600];
	size_t n = 0;
	bool for_person = !c->opts->person;
	va_list ap;

	if (!wanted_kind(c, kind) || !wanted_unit(c, unit))
		return;
	who = calloc(npersons + 1, sizeof *who);
	if (!who) {
		c->oom = true;
		return;
	}
	for (size_t i = 0; i < npersons; i++) {
		const struct pv_person *p = persons[i] ? pv_roster_person(c->roster, persons[i]) : NULL;
		bool repeat = false;

		for (size_t k = 0; p && k < n; k++)
			repeat = repeat || strcmp(who[k].person, p->slug) == 0;
		if (!p || repeat)
			continue;
		who[n++] = (struct pv_recipient){ keep(c, p->slug), keep(c, p->name),
						  keep(c, p->email) };
		for_person = for_person || strcmp(p->slug, c->opts->person) == 0;
	}
	if (!for_person || (r->count == r->cap && !grow_events(c))) {
		free(who);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	e = &r->events[r->count];
	r->who[r->count++] = who;
	*e = (struct pv_remind_event){ kind, date, keep(c, unit), ref, keep(c, message), who, n };
}

/* ---- who acts ---- */

/* The leader of a unit: rektor/styrer, a service's leder or koordinator,
 * a kindergarten group's kindergarten leaders. Up to `max` slugs. */
static size_t leaders_of(const struct collector *c, const char *unit, const char **out,
			 size_t max)
{
	const struct pv_unit *u = pv_roster_unit(c->roster, unit);
	const struct pv_person *leader;
	size_t n = 0, count;

	if (!u || max == 0)
		return 0;
	if (u->kind == PV_UNIT_GROUP) {
		const struct pv_unit *const *members = pv_roster_group_members(c->roster, unit,
									       &count);
		for (size_t i = 0; i < count && n < max; i++)
			if ((leader = pv_roster_leader(c->roster, members[i]->slug)))
				out[n++] = leader->slug;
		return n;
	}
	if ((leader = pv_roster_leader(c->roster, unit))) {
		out[n++] = leader->slug;
		return n;
	}
	{
		const struct pv_assignment *team = pv_roster_team(c->roster, unit, &count);
		for (size_t i = 0; i < count && n < max; i++)
			if (strcmp(team[i].role, "leder") == 0 ||
			    strcmp(team[i].role, "koordinator") == 0)
				out[n++] = team[i].person->slug;
		if (n == 0 && count)
			out[n++] = team[0].person->slug;
	}
	return n;
}

/* "systemmote hof 2026-09-10 12:30–14:00" */
static void meeting_words(const struct pv_meeting *m, char *buf, size_t size)
{
	char date[11], start[6], end[6];

	snprintf(buf, size, "%s %s %s %s–%s", pv_meeting_kind_name(m->kind), m->unit,
		 pv_date_format(m->date, date), pv_time_format(m->start, start),
		 pv_time_format(m->end, end));
}

/* ---- the events ---- */

static enum pv_status upcoming_meetings(struct collector *c)
{
	struct pv_plan_filter f = { .from = c->opts->as_of, .to = c->opts->as_of + c->within };
	struct pv_plan *plan;
	enum pv_status status = pv_plan_load(c->db, &f, &plan, c->err);

	if (status != PV_OK)
		return status;
	for (size_t i = 0; i < pv_plan_count(plan); i++) {
		const struct pv_meeting *m = pv_plan_at(plan, i);
		const char *people[64];
		size_t n = 0;
		char what[160];

		if (m->status != PV_MEETING_PLANNED)
			continue;
		for (size_t k = 0; k < m->nparticipants && n < 64; k++)
			people[n++] = m->participants[k].person;
		meeting_words(m, what, sizeof what);
		add_event(c, PV_REMIND_MEETING, m->date, m->unit, m->id, people, n,
			  "meeting %lld: %s with %zu participants", m->id, what, n);
	}
	pv_plan_free(plan);
	return PV_OK;
}

static void on_unlogged(const struct pv_log_summary *s, void *arg)
{
	struct collector *c = arg;
	const struct pv_meeting *m = s->meeting;
	long long grace = pv_rules_int(c->rules, "log.grace_days");
	const char *leader = m->leader;
	char what[160];

	/* reminded only once the grace days after the meeting have passed */
	if (m->date + grace >= c->opts->as_of)
		return;
	meeting_words(m, what, sizeof what);
	add_event(c, PV_REMIND_UNLOGGED, m->date, m->unit, m->id, &leader, leader ? 1 : 0,
		  "meeting %lld (%s) is not logged: run 'patvers log held %lld' or "
		  "'patvers log cancel %lld'", m->id, what, m->id, m->id);
}

static void on_not_informed(const struct pv_log_summary *s, void *arg)
{
	struct collector *c = arg;
	const struct pv_meeting *m = s->meeting;
	const char *leader = s->leader ? s->leader : m->leader;
	char date[11];

	add_event(c, PV_REMIND_PARENTS_NOT_INFORMED, m->date, m->unit, m->id, &leader,
		  leader ? 1 : 0,
		  "«Åpen dør» %s on %s: %d pupil conversation(s) and the parents are not "
		  "yet informed (patvers log informed %lld --date D)", m->unit,
		  pv_date_format(m->date, date), s->pupil_conversations, m->id);
}

static enum pv_status log_events(struct collector *c)
{
	struct pv_log_filter unlogged = { .today = c->opts->as_of, .unlogged = true };
	struct pv_log_filter informed = { .today = c->opts->as_of, .parents_not_informed = true };
	enum pv_status status = PV_OK;

	if (wanted_kind(c, PV_REMIND_UNLOGGED))
		status = pv_log_list(c->db, &unlogged, on_unlogged, c, NULL, c->err);
	if (status == PV_OK && wanted_kind(c, PV_REMIND_PARENTS_NOT_INFORMED))
		status = pv_log_list(c->db, &informed, on_not_informed, c, NULL, c->err);
	return status;
}

/* The people responsible for an action: the person, or everyone with the
 * role in the meeting's unit. */
static size_t responsible(const struct collector *c, const struct pv_log_action_row *row,
			  const char **out, size_t max)
{
	const struct pv_assignment *team;
	size_t n = 0, count;

	if (row->action->is_person) {
		out[0] = row->action->responsible;
		return 1;
	}
	team = pv_roster_team(c->roster, row->unit, &count);
	for (size_t i = 0; i < count && n < max; i++)
		if (strcmp(team[i].role, row->action->responsible) == 0)
			out[n++] = team[i].person->slug;
	return n ? n : leaders_of(c, row->unit, out, max);
}

static void on_action(const struct pv_log_action_row *row, void *arg)
{
	struct collector *c = arg;
	const struct pv_log_action *a = row->action;
	bool overdue = a->due < c->opts->as_of;
	const char *people[16];
	size_t n;
	char due[11];

	if (!overdue && a->due > c->opts->as_of + c->within)
		return;
	n = responsible(c, row, people, 16);
	add_event(c, overdue ? PV_REMIND_ACTION_OVERDUE : PV_REMIND_ACTION_DUE, a->due,
		  row->unit, a->id, people, n, "action %lld %s %s: %s", a->id,
		  overdue ? "was due" : "is due", pv_date_format(a->due, due), a->what);
}

static enum pv_status action_events(struct collector *c)
{
	struct pv_action_filter f = { .open = true, .today = c->opts->as_of };

	if (!wanted_kind(c, PV_REMIND_ACTION_DUE) && !wanted_kind(c, PV_REMIND_ACTION_OVERDUE))
		return PV_OK;
	return pv_log_actions(c->db, &f, on_action, c, NULL, c->err);
}

static enum pv_status consent_events(struct collector *c)
{
	long long days = pv_rules_int(c->rules, "consent.expiry_warning_days");
	struct pv_consent_filter f = { .expiring_from = c->opts->as_of,
				       .expiring_to = c->opts->as_of + (pv_date)days };
	struct pv_consents *list;
	enum pv_status status;

	if (!wanted_kind(c, PV_REMIND_CONSENT_EXPIRING))
		return PV_OK;
	status = pv_consents_load(c->db, &f, &list, c->err);
	if (status != PV_OK)
		return status;
	for (size_t i = 0; i < pv_consents_count(list); i++) {
		const struct pv_consent *k = pv_consents_at(list, i);
		const char *people[8];
		size_t n = leaders_of(c, k->unit, people, 8);
		char date[11];

		add_event(c, PV_REMIND_CONSENT_EXPIRING, k->expires, k->unit, k->id, people, n,
			  "consent %s expires %s: renew it or close the case", k->ref,
			  pv_date_format(k->expires, date));
	}
	pv_consents_free(list);
	return PV_OK;
}

/* A rules "MM-DD" in `year` (Feb 29 falls back to Feb 28). */
static pv_date month_day(const struct collector *c, const char *path, int year)
{
	int month = 1, day = 1;
	pv_date d = 0;

	sscanf(pv_rules_str(c->rules, path), "%d-%d", &month, &day);
	if (!pv_date_from_ymd(year, month, day, &d))
		pv_date_from_ymd(year, month, day - 1, &d);
	return d;
}

/* Systemmøter planned for a unit in a school year, not cancelled. */
static int planned_count(const struct pv_plan *plan, const char *unit)
{
	int n = 0;

	for (size_t i = 0; i < pv_plan_count(plan); i++) {
		const struct pv_meeting *m = pv_plan_at(plan, i);
		n += m->kind == PV_MEETING_SYSTEMMOTE && strcmp(m->unit, unit) == 0;
	}
	return n;
}

/* From plan_warning_from to 31 July: units whose systemmøter for the
 * coming school year are missing or fewer than the rules ask. */
static enum pv_status plan_events(struct collector *c)
{
	int y, mo;
	pv_date warn, deadline, as_of = c->opts->as_of;
	struct pv_plan_filter f = { 0 };
	struct pv_plan *plan;
	enum pv_status status;
	enum pv_unit_kind kinds[2] = { PV_UNIT_SCHOOL, PV_UNIT_GROUP };
	char year_text[8], due[11];

	pv_date_to_ymd(as_of, &y, &mo, NULL);
	warn = month_day(c, "remind.plan_warning_from", y);
	deadline = month_day(c, "plan_deadline", y);
	if (mo > 7 || as_of < warn)
		return PV_OK;
	f.school_year = y;
	status = pv_plan_load(c->db, &f, &plan, c->err);
	if (status != PV_OK)
		return status;
	pv_school_year_format(y, year_text);
	for (int k = 0; k < 2; k++) {
		size_t count;
		const struct pv_unit *const *units = pv_roster_units(c->roster, kinds[k], &count);
		const char *base = kinds[k] == PV_UNIT_SCHOOL ? "meetings.school_systemmote"
							      : "meetings.kindergarten_systemmote";
		char path[80];
		int need;

		snprintf(path, sizeof path, "%s.min_per_half", base);
		need = 2 * (int)pv_rules_int(c->rules, path);
		for (size_t i = 0; i < count; i++) {
			int have = planned_count(plan, units[i]->slug);
			const char *people[8];
			size_t n;

			if (have >= need)
				continue;
			n = leaders_of(c, units[i]->slug, people, 8);
			add_event(c, as_of > deadline ? PV_REMIND_PLAN_OVERDUE : PV_REMIND_PLAN_MISSING,
				  deadline, units[i]->slug, 0, people, n,
				  "the plan for %s has %d of %d systemmøter for %s; it %s %s "
				  "(patvers schedule generate --year %s)", year_text, have, need,
				  units[i]->slug, as_of > deadline ? "was due" : "is due",
				  pv_date_format(deadline, due), year_text);
		}
	}
	pv_plan_free(plan);
	return PV_OK;
}

/* A half-year without any meeting in the plan has nothing to report
 * (e.g. before the municipality started using patvers). */
static bool half_has_meetings(struct collector *c, int year, int half)
{
	struct pv_plan_filter f = { .include_cancelled = true };
	struct pv_plan *plan;
	struct pv_error ignored;
	bool any;

	pv_half_bounds(year, half, &f.from, &f.to);
	if (pv_plan_load(c->db, &f, &plan, &ignored) != PV_OK)
		return true;
	any = pv_plan_count(plan) > 0;
	pv_plan_free(plan);
	return any;
}

/* The half-year report: "due" from within_days before a deadline until
 * it, "overdue" after it, until it is marked sent or the next deadline's
 * window opens. */
static enum pv_status report_events(struct collector *c)
{
	struct deadline {
		int year, half;
		pv_date due;
	} all[3];
	const struct deadline *pick = NULL;
	pv_date as_of = c->opts->as_of;
	const char *people[128];
	enum pv_unit_kind kinds[2] = { PV_UNIT_SCHOOL, PV_UNIT_KINDERGARTEN };
	size_t n = 0, count;
	bool sent = false;
	enum pv_status status;
	char date[11];
	int y;

	pv_date_to_ymd(as_of, &y, NULL, NULL);
	all[0] = (struct deadline){ y - 1, 2, month_day(c, "report_deadlines.H2", y - 1) };
	all[1] = (struct deadline){ y, 1, month_day(c, "report_deadlines.H1", y) };
	all[2] = (struct deadline){ y, 2, month_day(c, "report_deadlines.H2", y) };
	for (int i = 0; i < 3 && !pick; i++)
		if (all[i].due >= as_of)
			pick = as_of + c->within >= all[i].due ? &all[i] : (i ? &all[i - 1] : NULL);
	if (!pick)
		pick = &all[2];
	status = pv_report_sent_get(c->db, pick->year, pick->half, &sent, NULL, NULL, c->err);
	if (status != PV_OK || sent || !half_has_meetings(c, pick->year, pick->half))
		return status;
	for (int k = 0; k < 2; k++) {
		const struct pv_unit *const *units = pv_roster_units(c->roster, kinds[k], &count);
		for (size_t i = 0; i < count && n < 128; i++)
			n += leaders_of(c, units[i]->slug, people + n, 128 - n);
	}
	add_event(c, as_of > pick->due ? PV_REMIND_REPORT_OVERDUE : PV_REMIND_REPORT_DUE,
		  pick->due, "municipality", 0, people, n,
		  "the H%d %d report to %s %s %s: add your unit's experiences with 'patvers "
		  "report note', then 'patvers report --half H%d --year %d'", pick->half,
		  pick->year, pv_rules_str(c->rules, "recipient"),
		  as_of > pick->due ? "was due" : "is due", pv_date_format(pick->due, date),
		  pick->half, pick->year);
	return PV_OK;
}

/* Units whose half-year minimum is at risk (see patvers-report(1)). */
static enum pv_status risk_events(struct collector *c)
{
	struct pv_report_options o = { .as_of = c->opts->as_of };
	struct pv_report *report;
	enum pv_status status;
	int mo;
	char minimum[16];

	if (!wanted_kind(c, PV_REMIND_AT_RISK))
		return PV_OK;
	pv_date_to_ymd(c->opts->as_of, &o.year, &mo, NULL);
	o.half = mo <= 6 ? 1 : 2;
	status = pv_report_build(c->db, &o, &report, c->err);
	if (status != PV_OK)
		return status;
	for (size_t i = 0; i < report->nrows; i++) {
		const struct pv_report_row *row = &report->rows[i];
		const char *people[8];
		size_t n;

		if (row->status != PV_REPORT_AT_RISK)
			continue;
		n = leaders_of(c, row->unit, people, 8);
		snprintf(minimum, sizeof minimum, "%d", row->minimum);
		add_event(c, PV_REMIND_AT_RISK, report->to, row->unit, 0, people, n,
			  "%s may miss its minimum of %s %s in H%d %d: %d held, %d still planned",
			  row->unit, minimum, row->meeting_kind ? row->meeting_kind : "meetings",
			  o.half, o.year, row->counted, row->upcoming);
	}
	pv_report_free(report);
	return PV_OK;
}

/* Open stafettlogger: tiltak to evaluate (to the responsible and the
 * holder), level-0 concerns past their decision day (to the holder and
 * the unit's leader) and handovers waiting (to the receiver and the
 * holder). */
static void stafett_log_events(struct collector *c, const struct pv_stafett *s)
{
	struct pv_stafett_due due;
	pv_date as_of = c->opts->as_of;
	const char *people[10];
	char d1[11], d2[11];
	size_t n;

	pv_stafett_due_on(s, c->rules, as_of, &due);
	for (size_t i = 0; i < s->ntiltak; i++) {
		const struct pv_stafett_tiltak *t = &s->tiltak[i];
		bool overdue = t->evaluate_by < as_of;

		if (t->ended || (!overdue && t->evaluate_by > as_of + c->within))
			continue;
		people[0] = t->responsible;
		people[1] = s->holder;
		add_event(c, overdue ? PV_REMIND_EVALUATION_OVERDUE : PV_REMIND_EVALUATION_DUE,
			  t->evaluate_by, s->unit, s->id, people, 2,
			  "stafettlogg %s: tiltak %d (%s) %s evaluated by %s (patvers stafett "
			  "evaluate %s %d --result …)", s->ref, t->number, t->what,
			  overdue ? "was to be" : "is to be", pv_date_format(t->evaluate_by, d1),
			  s->ref, t->number);
	}
	if (due.decision_overdue) {
		people[0] = s->holder;
		n = 1 + leaders_of(c, s->unit, people + 1, 8);
		add_event(c, PV_REMIND_DECISION_OVERDUE, due.decide_by, s->unit, s->id, people, n,
			  "stafettlogg %s: the level-0 concern of %s was to be decided by %s: "
			  "close it or raise its level (patvers stafett close|level %s)", s->ref,
			  pv_date_format(s->opened, d1), pv_date_format(due.decide_by, d2), s->ref);
	}
	if (s->pending_to && s->pending_since <= as_of) {
		people[0] = s->pending_to;
		people[1] = s->holder;
		add_event(c, PV_REMIND_HANDOVER_PENDING, s->pending_since, s->unit, s->id, people, 2,
			  "stafettlogg %s: the handover from %s to %s asked %s waits for %s to "
			  "accept it (patvers stafett accept %s --by %s)", s->ref, s->holder,
			  s->pending_to, pv_date_format(s->pending_since, d1), s->pending_to,
			  s->ref, s->pending_to);
	}
}

static enum pv_status stafett_events(struct collector *c)
{
	struct pv_stafett_filter f = { .level = -1 };
	struct pv_stafett_logs *logs;
	enum pv_status status;

	if (!wanted_kind(c, PV_REMIND_EVALUATION_DUE) &&
	    !wanted_kind(c, PV_REMIND_EVALUATION_OVERDUE) &&
	    !wanted_kind(c, PV_REMIND_DECISION_OVERDUE) &&
	    !wanted_kind(c, PV_REMIND_HANDOVER_PENDING))
		return PV_OK;
	status = pv_stafett_logs_load(c->db, &f, &logs, c->err);
	if (status != PV_OK)
		return status;
	for (size_t i = 0; i < pv_stafett_logs_count(logs); i++)
		stafett_log_events(c, pv_stafett_logs_at(logs, i));
	pv_stafett_logs_free(logs);
	return PV_OK;
}

static int event_order(const void *a, const void *b)
{
	const struct pv_remind_event *x = a, *y = b;
	int c;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->unit, y->unit)) != 0)
		return c;
	return (x->ref > y->ref) - (x->ref < y->ref);
}

enum pv_status pv_remind_collect(struct pv_db *db, const struct pv_remind_options *opts,
				 struct pv_reminders **out, struct pv_error *err)
{
	struct collector c = { .db = db, .opts = opts, .err = err };
	enum pv_status status;

	*out = NULL;
	c.out = calloc(1, sizeof *c.out);
	if (!c.out)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	status = pv_rules_load(db, &c.rules, err);
	if (status == PV_OK)
		status = pv_roster_load(db, c.rules, &c.roster, err);
	if (status == PV_OK) {
		c.within = opts->within_days >= 0 ? opts->within_days
						  : (int)pv_rules_int(c.rules, "remind.within_days");
		status = upcoming_meetings(&c);
	}
	if (status == PV_OK)
		status = log_events(&c);
	if (status == PV_OK)
		status = action_events(&c);
	if (status == PV_OK)
		status = consent_events(&c);
	if (status == PV_OK)
		status = plan_events(&c);
	if (status == PV_OK && (wanted_kind(&c, PV_REMIND_REPORT_DUE) ||
				wanted_kind(&c, PV_REMIND_REPORT_OVERDUE)))
		status = report_events(&c);
	if (status == PV_OK)
		status = risk_events(&c);
	if (status == PV_OK)
		status = stafett_events(&c);
	if (status == PV_OK && c.oom)
		status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	pv_roster_free(c.roster);
	pv_rules_free(c.rules);
	if (status != PV_OK) {
		pv_reminders_free(c.out);
		return status;
	}
	if (c.out->count)
		qsort(c.out->events, c.out->count, sizeof *c.out->events, event_order);
	*out = c.out;
	return PV_OK;
}
