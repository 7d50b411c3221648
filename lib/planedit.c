/* Changing the plan by hand (move, cancel, lock, add), checking it, agendas. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/anonymity.h"
#include "patvers/audit.h"
#include "patvers/calendar.h"
#include "patvers/planedit.h"

/* What a check needs loaded once: rules, roster, calendars by year. */
struct world {
	struct pv_db *db;
	struct pv_rules *rules;
	struct pv_roster *roster;
	struct pv_calendar *cal;
	int cal_year;
};

static enum pv_status world_open(struct world *w, struct pv_db *db, struct pv_error *err)
{
	enum pv_status status;

	memset(w, 0, sizeof *w);
	w->db = db;
	status = pv_rules_load(db, &w->rules, err);
	if (status == PV_OK)
		status = pv_roster_load(db, w->rules, &w->roster, err);
	return status;
}

static void world_close(struct world *w)
{
	pv_calendar_free(w->cal);
	pv_roster_free(w->roster);
	pv_rules_free(w->rules);
}

static enum pv_status world_calendar(struct world *w, pv_date d, struct pv_error *err)
{
	int year = pv_school_year_of(d);

	if (w->cal && w->cal_year == year)
		return PV_OK;
	pv_calendar_free(w->cal);
	w->cal = NULL;
	w->cal_year = year;
	return pv_calendar_load_with_rules(w->db, w->rules, year, &w->cal, err);
}

/* Reports one finding, formatting its detail. */
static void report(pv_plan_finding_fn fn, void *arg, const char *unit, const char *rule,
		   long long meeting, pv_date date, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void report(pv_plan_finding_fn fn, void *arg, const char *unit, const char *rule,
		   long long meeting, pv_date date, const char *fmt, ...)
{
	struct pv_plan_finding f = { unit, rule, meeting, date, NULL };
	char detail[512];
	va_list ap;

	if (!fn)
		return;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	f.detail = detail;
	fn(&f, arg);
}

static enum pv_unit_kind unit_kind(const struct world *w, const char *slug)
{
	const struct pv_unit *u = pv_roster_unit(w->roster, slug);

	return u ? u->kind : PV_UNIT_SERVICE;
}

/* The unit whose calendar a meeting follows: the host of a group meeting. */
static const char *calendar_unit(const struct pv_meeting *m)
{
	return m->host ? m->host : m->unit;
}

static enum pv_day_kind day_kind(const struct world *w, const struct pv_meeting *m)
{
	enum pv_unit_kind k = unit_kind(w, m->unit);

	return k == PV_UNIT_KINDERGARTEN || k == PV_UNIT_GROUP ? PV_KINDERGARTEN : PV_SCHOOL;
}

/* ---- the single checks ---- */

static enum pv_status check_closed(struct world *w, const struct pv_meeting *m,
				   pv_plan_finding_fn fn, void *arg, int *count,
				   struct pv_error *err)
{
	struct pv_day_reason why;
	char text[160], date[11];
	enum pv_status status = world_calendar(w, m->date, err);

	if (status != PV_OK)
		return status;
	if (pv_calendar_why(w->cal, day_kind(w, m), calendar_unit(m), m->date, &why) ==
	    PV_DAY_OPEN)
		return PV_OK;
	pv_calendar_describe(w->cal, &why, text, sizeof text);
	report(fn, arg, m->unit, "closed", m->id, m->date, "%s is closed: %s",
	       pv_date_format(m->date, date), text);
	(*count)++;
	return PV_OK;
}

static void check_weekday(struct world *w, const struct pv_meeting *m,
			  pv_plan_finding_fn fn, void *arg, int *count)
{
	const char *rule = pv_meeting_rule_path(m->kind, unit_kind(w, m->unit));
	enum pv_weekday wd = pv_date_weekday(m->date);

	if (!rule || m->kind == PV_MEETING_APEN_DOR ||
	    pv_rules_weekday_rank(w->rules, rule, wd) >= 0)
		return;
	report(fn, arg, m->unit, "weekday", m->id, m->date,
	       "%s is not the rule's weekday nor a fallback weekday (%s)",
	       pv_weekday_name(wd), rule);
	(*count)++;
}

static bool overlaps(const struct pv_meeting *a, const struct pv_meeting *b)
{
	return a->date == b->date && a->start < b->end && b->start < a->end;
}

static const struct pv_participant *taking_part(const struct pv_meeting *m, const char *person)
{
	for (size_t i = 0; i < m->nparticipants; i++)
		if (strcmp(m->participants[i].person, person) == 0)
			return &m->participants[i];
	return NULL;
}

/* Clashes of `m` with the other meetings in `day` (its date's meetings). */
static void check_clash(const struct pv_meeting *m, const struct pv_plan *day,
			pv_plan_finding_fn fn, void *arg, int *count)
{
	for (size_t i = 0; i < pv_plan_count(day); i++) {
		const struct pv_meeting *o = pv_plan_at(day, i);
		char start[6], end[6];

		if (o->id == m->id || o->status == PV_MEETING_CANCELLED || !overlaps(m, o))
			continue;
		for (size_t k = 0; k < m->nparticipants; k++) {
			const char *person = m->participants[k].person;
			if (!taking_part(o, person))
				continue;
			report(fn, arg, m->unit, "clash", m->id, m->date,
			       "%s is also in %s %s (meeting %lld) %s–%s", person,
			       pv_meeting_kind_name(o->kind), o->unit, o->id,
			       pv_time_format(o->start, start), pv_time_format(o->end, end));
			(*count)++;
		}
	}
}

static enum pv_status clashes_of(struct world *w, const struct pv_meeting *m,
				 pv_plan_finding_fn fn, void *arg, int *count,
				 struct pv_error *err)
{
	struct pv_plan_filter f = { .from = m->date, .to = m->date };
	struct pv_plan *day;
	enum pv_status status = pv_plan_load(w->db, &f, &day, err);

	if (status != PV_OK)
		return status;
	check_clash(m, day, fn, arg, count);
	pv_plan_free(day);
	return PV_OK;
}

/* The half-year (as its first day) a date falls in. */
static pv_date half_start(pv_date d)
{
	int y, mo;
	pv_date first;

	pv_date_to_ymd(d, &y, &mo, NULL);
	pv_half_bounds(y, mo <= 6 ? 1 : 2, &first, &(pv_date){ 0 });
	return first;
}

/* Non-cancelled systemmøter of `unit` in the half-year of `d`, leaving
 * out meeting `skip`. */
/* "H1 2027" for a date in the first half of 2027. */
static char *half_label(pv_date d, char buf[16])
{
	int y, mo;

	pv_date_to_ymd(d, &y, &mo, NULL);
	snprintf(buf, 16, "H%d %d", mo <= 6 ? 1 : 2, y);
	return buf;
}

static int half_count(const struct pv_plan *year, const char *unit, pv_date d, long long skip)
{
	int n = 0;

	for (size_t i = 0; i < pv_plan_count(year); i++) {
		const struct pv_meeting *m = pv_plan_at(year, i);
		if (m->id != skip && m->kind == PV_MEETING_SYSTEMMOTE &&
		    m->status != PV_MEETING_CANCELLED && strcmp(m->unit, unit) == 0 &&
		    half_start(m->date) == half_start(d))
			n++;
	}
	return n;
}

static long long min_per_half(const struct world *w, const char *unit)
{
	const char *rule = pv_meeting_rule_path(PV_MEETING_SYSTEMMOTE, unit_kind(w, unit));
	char path[128];

	snprintf(path, sizeof path, "%s.min_per_half", rule);
	return pv_rules_int(w->rules, path);
}

/* ---- changes ---- */

static enum pv_status load_meeting(struct pv_db *db, long long id, struct pv_plan **plan,
				   const struct pv_meeting **m, struct pv_error *err)
{
	struct pv_plan_filter all = { .include_cancelled = true };
	enum pv_status status = pv_plan_load(db, &all, plan, err);

	if (status != PV_OK)
		return status;
	*m = pv_plan_find(*plan, id);
	if (!*m) {
		pv_plan_free(*plan);
		*plan = NULL;
		return pv_error_set(err, PV_EDATA, "no meeting with id %lld", id);
	}
	return PV_OK;
}

static enum pv_status audit_meeting(struct pv_db *db, const struct pv_meeting *m,
				    const char *what, struct pv_error *err)
{
	char summary[300], date[11];

	snprintf(summary, sizeof summary, "meeting %lld (%s %s %s): %s", m->id,
		 pv_meeting_kind_name(m->kind), m->unit, pv_date_format(m->date, date), what);
	return pv_audit_append(db, "meeting", summary, err);
}

/* Collects findings into one message for a refusal. */
struct refusal {
	pv_plan_finding_fn fn;
	void *arg;
	char text[900];
	size_t len;
};

static void collect(const struct pv_plan_finding *f, void *arg)
{
	struct refusal *r = arg;

	if (r->len < sizeof r->text)
		r->len += (size_t)snprintf(r->text + r->len, sizeof r->text - r->len, "%s%s: %s",
					   r->len ? "; " : "", f->rule, f->detail);
	if (r->fn)
		r->fn(f, r->arg);
}

/* The checks a meeting at its (new) place must pass. */
static enum pv_status check_placement(struct world *w, const struct pv_meeting *m,
				      struct refusal *r, int *count, struct pv_error *err)
{
	enum pv_status status = check_closed(w, m, collect, r, count, err);

	if (status == PV_OK)
		check_weekday(w, m, collect, r, count);
	if (status == PV_OK)
		status = clashes_of(w, m, collect, r, count, err);
	return status;
}

enum pv_status pv_plan_move(struct pv_db *db, long long id, pv_date date, int start,
			    bool force, pv_plan_finding_fn fn, void *arg,
			    struct pv_error *err)
{
	struct refusal r = { .fn = fn, .arg = arg };
	struct world w;
	struct pv_plan *plan = NULL;
	const struct pv_meeting *old;
	struct pv_meeting m;
	char from[11], to[11], what[80];
	int count = 0;
	enum pv_status status = world_open(&w, db, err);

	if (status == PV_OK)
		status = load_meeting(db, id, &plan, &old, err);
	if (status != PV_OK)
		goto done;
	if (old->status != PV_MEETING_PLANNED) {
		status = pv_error_set(err, PV_EDATA, "meeting %lld is %s; only planned meetings "
				      "can be moved", id, pv_meeting_status_name(old->status));
		goto done;
	}
	m = *old;
	m.date = date;
	if (start >= 0) {
		m.end = start + (old->end - old->start);
		m.start = start;
	}
	m.moved = true;
	m.fallback_day = false;
	status = check_placement(&w, &m, &r, &count, err);
	if (status == PV_OK && old->kind == PV_MEETING_SYSTEMMOTE &&
	    half_start(old->date) != half_start(date) &&
	    half_count(plan, old->unit, old->date, id) < min_per_half(&w, old->unit)) {
		char half[16];

		report(collect, &r, old->unit, "minimum", id, old->date,
		       "%s would keep %d systemmøter, fewer than the minimum %lld",
		       half_label(old->date, half), half_count(plan, old->unit, old->date, id),
		       min_per_half(&w, old->unit));
		count++;
	}
	if (status == PV_OK && count && !force) {
		status = pv_error_set(err, PV_EUNSAT, "meeting %lld cannot move to %s: %s "
				      "(use --force to move it anyway)", id,
				      pv_date_format(date, to), r.text);
		goto done;
	}
	if (status == PV_OK) {
		m.fallback_day = pv_meeting_rule_path(m.kind, unit_kind(&w, m.unit)) &&
				 pv_rules_weekday_rank(w.rules, pv_meeting_rule_path(
					 m.kind, unit_kind(&w, m.unit)), pv_date_weekday(date)) > 0;
		status = pv_meeting_update(db, &m, NULL, err);
	}
	if (status == PV_OK) {
		snprintf(what, sizeof what, "moved from %s to %s%s",
			 pv_date_format(old->date, from), pv_date_format(date, to),
			 count ? " (forced)" : "");
		status = audit_meeting(db, &m, what, err);
	}
done:
	pv_plan_free(plan);
	world_close(&w);
	return status;
}

/* Loads meeting `id`, lets `change` edit it, stores and audits it. */
static enum pv_status edit_meeting(struct pv_db *db, long long id,
				   bool (*change)(struct pv_meeting *m, const void *arg,
						  struct pv_error *err),
				   const void *arg, const char *what, struct pv_error *err)
{
	struct pv_plan *plan;
	const struct pv_meeting *old;
	struct pv_meeting m;
	bool changed = false;
	enum pv_status status = load_meeting(db, id, &plan, &old, err);

	if (status != PV_OK)
		return status;
	m = *old;
	if (!change(&m, arg, err))
		status = err->status;
	if (status == PV_OK)
		status = pv_meeting_update(db, &m, &changed, err);
	if (status == PV_OK && changed)
		status = audit_meeting(db, &m, what, err);
	pv_plan_free(plan);
	return status;
}

static bool set_cancelled(struct pv_meeting *m, const void *arg, struct pv_error *err)
{
	if (m->status == PV_MEETING_HELD) {
		pv_error_set(err, PV_EDATA, "meeting %lld was held; it cannot be cancelled", m->id);
		return false;
	}
	m->status = PV_MEETING_CANCELLED;
	m->cancel_reason = arg;
	return true;
}

enum pv_status pv_plan_cancel(struct pv_db *db, long long id, const char *reason,
			      struct pv_error *err)
{
	struct pv_rules *rules;
	enum pv_status status;

	if (!reason || !*reason)
		return pv_error_set(err, PV_EUSAGE, "a cancellation needs a reason");
	/* the reason is kept and reported: free text passes the guard */
	status = pv_rules_load(db, &rules, err);
	if (status == PV_OK)
		status = pv_anonymity_check(rules, "reason", reason, err);
	pv_rules_free(rules);
	if (status != PV_OK)
		return status;
	/* the audit row names the change, not the free text */
	return edit_meeting(db, id, set_cancelled, reason, "cancelled", err);
}

static bool set_locked(struct pv_meeting *m, const void *arg, struct pv_error *err)
{
	(void)err;
	m->locked = *(const bool *)arg;
	return true;
}

enum pv_status pv_plan_lock(struct pv_db *db, long long id, bool locked, struct pv_error *err)
{
	return edit_meeting(db, id, set_locked, &locked, locked ? "locked" : "unlocked", err);
}

enum pv_status pv_plan_add_meeting(struct pv_db *db, const char *unit,
				   enum pv_meeting_kind kind, pv_date date, int start,
				   int end, bool force, pv_plan_finding_fn fn, void *arg,
				   long long *id, struct pv_error *err)
{
	struct pv_participant parts[64];
	struct refusal r = { .fn = fn, .arg = arg };
	const struct pv_assignment *team;
	const struct pv_person *leader;
	const struct pv_unit *u;
	struct pv_meeting m = { 0 };
	struct world w;
	size_t n = 0;
	int count = 0;
	long long new_id = 0;
	char date_text[11];
	enum pv_status status = world_open(&w, db, err);

	if (status != PV_OK)
		goto done;
	u = pv_roster_unit(w.roster, unit);
	if (!u) {
		status = pv_error_set(err, PV_EDATA, "no unit '%s' (see 'patvers team list')", unit);
		goto done;
	}
	if (end <= start) {
		status = pv_error_set(err, PV_EUSAGE, "the meeting must end after it starts");
		goto done;
	}
	team = pv_roster_team(w.roster, unit, &n);
	for (size_t i = 0; i < n && i < 64; i++)
		parts[i] = (struct pv_participant){ team[i].person->slug, team[i].role, NULL };
	leader = pv_roster_leader(w.roster, unit);
	m = (struct pv_meeting){
		.school_year = pv_school_year_of(date), .unit = unit, .kind = kind,
		.date = date, .start = start, .end = end, .status = PV_MEETING_PLANNED,
		.leader = leader ? leader->slug : NULL, .participants = parts,
		.nparticipants = n < 64 ? n : 64,
	};
	status = check_placement(&w, &m, &r, &count, err);
	if (status == PV_OK && count && !force) {
		status = pv_error_set(err, PV_EUNSAT, "cannot add a meeting for %s on %s: %s "
				      "(use --force to add it anyway)", unit,
				      pv_date_format(date, date_text), r.text);
		goto done;
	}
	if (status == PV_OK)
		status = pv_meeting_insert(db, &m, &new_id, err);
	if (status == PV_OK) {
		m.id = new_id;
		status = audit_meeting(db, &m, "added", err);
	}
	if (status == PV_OK && id)
		*id = new_id;
done:
	world_close(&w);
	return status;
}

/* ---- checking a whole year ---- */

struct found {
	char *unit, *rule, *detail;
	long long meeting;
	pv_date date;
};

struct findings {
	struct found *items;
	size_t n, cap;
	bool oom;
};

static void keep_finding(const struct pv_plan_finding *f, void *arg)
{
	struct findings *all = arg;
	struct found *item;

	if (all->n == all->cap) {
		size_t cap = all->cap ? all->cap * 2 : 32;
		struct found *grown = realloc(all->items, cap * sizeof *grown);
		if (!grown) {
			all->oom = true;
			return;
		}
		all->items = grown;
		all->cap = cap;
	}
	item = &all->items[all->n++];
	item->unit = strdup(f->unit);
	item->rule = strdup(f->rule);
	item->detail = strdup(f->detail);
	item->meeting = f->meeting;
	item->date = f->date;
	if (!item->unit || !item->rule || !item->detail)
		all->oom = true;
}

static int found_order(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	int c = strcmp(x->unit, y->unit);

	if (c)
		return c;
	if ((c = strcmp(x->rule, y->rule)) != 0)
		return c;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->meeting != y->meeting)
		return x->meeting < y->meeting ? -1 : 1;
	return strcmp(x->detail, y->detail);
}

/* Counts per half-year and, for schools, the first school weeks. */
static enum pv_status check_unit(struct world *w, const struct pv_unit *u,
				 const struct pv_plan *year, int school_year,
				 pv_plan_finding_fn fn, void *arg, int *count,
				 struct pv_error *err)
{
	pv_date first_day, halves[2], year_last;
	long long min = min_per_half(w, u->slug);
	char date[11];
	enum pv_status status;

	pv_school_year_bounds(school_year, &halves[0], &year_last);
	pv_date_from_ymd(school_year + 1, 1, 1, &halves[1]);
	status = world_calendar(w, halves[0], err);
	if (status != PV_OK)
		return status;
	for (int h = 0; h < 2; h++) {
		int n = half_count(year, u->slug, halves[h], 0);
		if (n < min) {
			report(fn, arg, u->slug, "minimum", 0, halves[h],
			       "%d systemmøter in %s %d, the rule asks for at least %lld", n,
			       h == 0 ? "H2" : "H1", school_year + h, min);
			(*count)++;
		}
	}
	if (u->kind != PV_UNIT_SCHOOL)
		return PV_OK;
	first_day = pv_calendar_first_school_day(w->cal);
	{
		long long weeks = pv_rules_int(w->rules,
					       "meetings.school_systemmote.first_within_school_weeks");
		pv_date window_end = first_day - ((int)pv_date_weekday(first_day) - 1) +
				     7 * (pv_date)weeks - 1;
		bool found = false;

		for (size_t i = 0; i < pv_plan_count(year) && !found; i++) {
			const struct pv_meeting *m = pv_plan_at(year, i);
			found = m->kind == PV_MEETING_SYSTEMMOTE && m->status != PV_MEETING_CANCELLED &&
				strcmp(m->unit, u->slug) == 0 && m->date >= first_day &&
				m->date <= window_end;
		}
		if (!found) {
			report(fn, arg, u->slug, "first-weeks", 0, first_day,
			       "no systemmøte in the first %lld school weeks (until %s)", weeks,
			       pv_date_format(window_end, date));
			(*count)++;
		}
	}
	return PV_OK;
}

/* Two systemmøter of a unit closer than min_gap_days. */
static void check_spread(struct world *w, const struct pv_plan *year,
			 pv_plan_finding_fn fn, void *arg, int *count)
{
	for (size_t i = 0; i < pv_plan_count(year); i++) {
		const struct pv_meeting *m = pv_plan_at(year, i);
		const char *rule;
		char path[128], date[11];
		long long gap;

		if (m->kind != PV_MEETING_SYSTEMMOTE || m->status == PV_MEETING_CANCELLED)
			continue;
		rule = pv_meeting_rule_path(m->kind, unit_kind(w, m->unit));
		snprintf(path, sizeof path, "%s.min_gap_days", rule);
		gap = pv_rules_int(w->rules, path);
		for (size_t j = i + 1; j < pv_plan_count(year); j++) {
			const struct pv_meeting *o = pv_plan_at(year, j);
			if (o->kind != m->kind || o->status == PV_MEETING_CANCELLED ||
			    strcmp(o->unit, m->unit) != 0 || half_start(o->date) != half_start(m->date))
				continue;
			if (o->date - m->date < gap) {
				report(fn, arg, m->unit, "spread", o->id, o->date,
				       "only %d days after the meeting on %s (rule: %lld)",
				       (int)(o->date - m->date), pv_date_format(m->date, date), gap);
				(*count)++;
			}
			break;
		}
	}
}

static enum pv_status check_meetings(struct world *w, const struct pv_plan *year,
				     pv_plan_finding_fn fn, void *arg, int *count,
				     struct pv_error *err)
{
	enum pv_status status = PV_OK;
	size_t day_start = 0;

	for (size_t i = 0; i < pv_plan_count(year) && status == PV_OK; i++) {
		const struct pv_meeting *m = pv_plan_at(year, i);

		if (m->status == PV_MEETING_CANCELLED)
			continue;
		status = check_closed(w, m, fn, arg, count, err);
		check_weekday(w, m, fn, arg, count);
		/* the plan is in date order: clashes are within a day's run, and
		 * each pair is reported once, from its later meeting */
		while (pv_plan_at(year, day_start)->date < m->date)
			day_start++;
		for (size_t j = day_start; j < i; j++) {
			const struct pv_meeting *o = pv_plan_at(year, j);
			if (o->status == PV_MEETING_CANCELLED || !overlaps(m, o))
				continue;
			for (size_t k = 0; k < m->nparticipants; k++) {
				char start[6], end[6];
				if (!taking_part(o, m->participants[k].person))
					continue;
				report(fn, arg, m->unit, "clash", m->id, m->date,
				       "%s is also in %s %s (meeting %lld) %s–%s",
				       m->participants[k].person, pv_meeting_kind_name(o->kind),
				       o->unit, o->id, pv_time_format(o->start, start),
				       pv_time_format(o->end, end));
				(*count)++;
			}
		}
	}
	return status;
}

enum pv_status pv_plan_check(struct pv_db *db, int school_year, pv_plan_finding_fn fn,
			     void *arg, int *count, struct pv_error *err)
{
	struct pv_plan_filter filter = { .school_year = school_year };
	struct findings all = { 0 };
	struct pv_plan *year = NULL;
	struct world w;
	int n = 0;
	enum pv_status status = world_open(&w, db, err);

	if (status == PV_OK)
		status = pv_plan_load(db, &filter, &year, err);
	if (status == PV_OK)
		status = check_meetings(&w, year, keep_finding, &all, &n, err);
	for (int kind = PV_UNIT_SCHOOL; status == PV_OK && kind <= PV_UNIT_GROUP; kind++) {
		size_t nu;
		const struct pv_unit *const *units;

		if (kind == PV_UNIT_KINDERGARTEN)
			continue;
		units = pv_roster_units(w.roster, (enum pv_unit_kind)kind, &nu);
		for (size_t i = 0; i < nu && status == PV_OK; i++)
			status = check_unit(&w, units[i], year, school_year, keep_finding, &all, &n,
					    err);
	}
	if (status == PV_OK)
		check_spread(&w, year, keep_finding, &all, &n);
	if (status == PV_OK && all.oom)
		status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	if (status == PV_OK) {
		if (all.n)
			qsort(all.items, all.n, sizeof *all.items, found_order);
		for (size_t i = 0; i < all.n; i++) {
			struct pv_plan_finding f = { all.items[i].unit, all.items[i].rule,
						     all.items[i].meeting, all.items[i].date,
						     all.items[i].detail };
			fn(&f, arg);
		}
		if (count)
			*count = (int)all.n;
	}
	for (size_t i = 0; i < all.n; i++) {
		free(all.items[i].unit);
		free(all.items[i].rule);
		free(all.items[i].detail);
	}
	free(all.items);
	pv_plan_free(year);
	world_close(&w);
	return status;
}

/* ---- agenda ---- */

struct text {
	char *buf;
	size_t len, cap;
	bool oom;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || t->oom)
		return;
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = (t->cap + (size_t)n + 1) * 2;
		char *grown = realloc(t->buf, cap);
		if (!grown) {
			t->oom = true;
			return;
		}
		t->buf = grown;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

static const char *const kind_titles[PV_MEETING_KINDS] = {
	"Systemmøte", "Veiledningsteam", "Nærværsteam", "God oppvekst", "«Åpen dør»",
};

static const char *unit_name(const struct pv_roster *roster, const char *slug)
{
	const struct pv_unit *u = slug ? pv_roster_unit(roster, slug) : NULL;

	return u ? u->name : slug;
}

static const char *person_name(const struct pv_roster *roster, const char *slug)
{
	const struct pv_person *p = slug ? pv_roster_person(roster, slug) : NULL;

	return p ? p->name : slug;
}

static void agenda_items(struct text *t, const struct pv_meeting *m,
			 const struct pv_roster *roster, const struct pv_rules *rules)
{
	const struct pv_unit *u = pv_roster_unit(roster, m->unit);
	const json_t *items;
	size_t i;
	json_t *v;
	int n = 0;

	put(t, "## Dagsorden\n\n");
	/* the first school systemmøte of the year also plans the year's work */
	if (m->kind == PV_MEETING_SYSTEMMOTE && m->number == 1 && u && u->kind == PV_UNIT_SCHOOL) {
		items = pv_rules_get(rules, "agenda.first_school_meeting");
		json_array_foreach(items, i, v)
			put(t, "%d. %s\n", ++n, json_string_value(v));
	}
	items = pv_rules_get(rules, "agenda.items");
	json_array_foreach(items, i, v)
		put(t, "%d. %s\n", ++n, json_string_value(v));
}

enum pv_status pv_plan_agenda(const struct pv_meeting *m, const struct pv_roster *roster,
			      const struct pv_rules *rules, char **text,
			      struct pv_error *err)
{
	struct text t = { 0 };
	char date[11], start[6], end[6];

	*text = NULL;
	put(&t, "# %s – %s\n\n", kind_titles[m->kind], unit_name(roster, m->unit));
	put(&t, "- Tid: %s kl. %s–%s\n", pv_date_format(m->date, date),
	    pv_time_format(m->start, start), pv_time_format(m->end, end));
	if (m->host)
		put(&t, "- Sted: %s\n", unit_name(roster, m->host));
	if (m->leader)
		put(&t, "- Møteleder: %s\n", person_name(roster, m->leader));
	if (m->status == PV_MEETING_CANCELLED)
		put(&t, "- AVLYST: %s\n", m->cancel_reason ? m->cancel_reason : "");
	put(&t, "\n");
	agenda_items(&t, m, roster, rules);
	put(&t, "\n## Deltakere\n\n");
	for (size_t i = 0; i < m->nparticipants; i++) {
		const struct pv_participant *p = &m->participants[i];
		put(&t, "- %s (%s)", person_name(roster, p->person), p->role);
		if (p->substitute_for)
			put(&t, ", stedfortreder for %s", person_name(roster, p->substitute_for));
		put(&t, "\n");
	}
	put(&t, "\nSaker drøftes anonymt eller med samtykke. Møtet loggføres som gjennomført.\n");
	if (t.oom) {
		free(t.buf);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	*text = t.buf;
	return PV_OK;
}
