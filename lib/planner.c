/* The planner: every required meeting of a school year on a real date, with no one double-booked. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/i18n.h"
#include "patvers/audit.h"
#include "patvers/planner.h"

/*
 * How it works (patvers-schedule(1) says the same for people):
 *
 * 1. Meetings that are held, cancelled, locked or moved by hand, and ad
 *    hoc meetings, are kept as they are and occupy their people's time.
 * 2. Nærværsteam consultations go on their fixed days (every school-day
 *    Tuesday in odd ISO weeks, by default).
 * 3. Systemmøter of schools and kindergarten groups are placed slot by
 *    slot: first every unit's first meeting of the half-year (the first
 *    school meeting of the year inside the first school weeks), then the
 *    second, and so on; within a round the unit whose people are most
 *    loaded goes first. Each slot takes the open day of lowest cost:
 *    a fallback weekday costs more than any distance from the slot's
 *    target date (the middle of its share of the half-year), a gap below
 *    min_gap_days to the unit's other meetings costs more than distance,
 *    and a substitute (only under clash_policy "substitute") costs more
 *    than all of these. So the plan uses as few fallback weekdays as it
 *    can, then as few substitutes, and otherwise spreads meetings evenly.
 * 4. God oppvekst meetings are spread over the school year the same way.
 * 5. «Åpen dør»: each barnevern contact's schools take turns over the
 *    cycle of every_weeks weeks and, when a cycle has more schools than
 *    weeks, later hours of the day and then other weekdays.
 *
 * People are busy in 15-minute steps, per day of the school year.
 */

#define COST_FALLBACK 100000
#define COST_SUBSTITUTE 10000000
#define COST_GAP 1000
#define DAY_STEPS 96          /* 15-minute steps in a day */
#define MAX_PARTS 64

struct busy {
	uint64_t w[2];
};

struct part {
	int person;                  /* index into people, -1: none */
	const char *role;
	int stands_for;              /* person replaced by this one, or -1 */
};

/* One meeting the year needs (or keeps). */
struct slot {
	const struct pv_unit *unit;
	enum pv_meeting_kind kind;
	int number;
	int half;                    /* 0: autumn (H2 of the start year), 1: spring */
	pv_date lo, hi;              /* the days it may take (inclusive) */
	pv_date target;
	int start, end;
	const char *host;
	const char *leader;
	struct part parts[MAX_PARTS];
	int nparts;
	const struct pv_meeting *existing;   /* the stored meeting of this slot */
	pv_date date;
	bool fallback;
	bool placed;
	int pressure;                /* most loaded participant's demand per day ×100 */
	size_t series, series_len;   /* index of the series' first slot, its length */
};

struct planner {
	struct pv_db *db;
	struct pv_rules *rules;
	struct pv_roster *roster;
	struct pv_calendar *cal;
	struct pv_plan *stored;      /* the year's meetings before planning */
	/* the stored meetings by (unit, kind, number), each with the slot
	 * that took it over (index + 1; 0: none) */
	struct stored_ref {
		const struct pv_meeting *meeting;
		size_t slot;
	} *stored_refs;
	size_t nstored;
	int year;
	pv_date year_first, year_last;
	bool substitute_policy;

	const struct pv_person *const *people;
	size_t npeople;
	struct busy *busy;           /* npeople × days */
	int days;

	struct slot *slots;
	size_t nslots, cap;

	/* weekday ranks (see weekday_rank) per rule and ISO weekday */
	int rank_school[8], rank_kinder[8], rank_god[8], rank_naervaer[8];
	int *demand;                 /* npeople × 2 halves: systemmøter to attend */
	int *demand_units;           /* npeople × 2: units those come from */

	struct pv_generate_result *result;
	struct pv_error *err;
};

/* ---- people and time ---- */

static int person_index(const struct planner *p, const char *slug)
{
	size_t lo = 0, hi = p->npeople;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(p->people[mid]->slug, slug);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static struct busy time_mask(int start, int end)
{
	struct busy m = { { 0, 0 } };
	int from = start / 15, to = (end + 14) / 15;

	for (int s = from; s < to && s < DAY_STEPS; s++)
		m.w[s / 64] |= (uint64_t)1 << (s % 64);
	return m;
}

static struct busy *busy_at(struct planner *p, int person, pv_date d)
{
	int day = (int)(d - p->year_first);

	if (person < 0 || day < 0 || day >= p->days)
		return NULL;
	return &p->busy[(size_t)person * (size_t)p->days + (size_t)day];
}

static bool is_free(struct planner *p, int person, pv_date d, int start, int end)
{
	struct busy *b = busy_at(p, person, d);
	struct busy m = time_mask(start, end);

	return !b || ((b->w[0] & m.w[0]) == 0 && (b->w[1] & m.w[1]) == 0);
}

static void occupy(struct planner *p, int person, pv_date d, int start, int end)
{
	struct busy *b = busy_at(p, person, d);
	struct busy m = time_mask(start, end);

	if (b) {
		b->w[0] |= m.w[0];
		b->w[1] |= m.w[1];
	}
}

/* ---- notes ---- */

static enum pv_status add_note(struct planner *p, const struct slot *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum pv_status add_note(struct planner *p, const struct slot *s, const char *fmt, ...)
{
	struct pv_generate_result *r = p->result;
	struct pv_plan_note *grown;
	char *text, *unit;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	text = malloc((size_t)n + 1);
	/* the note outlives the roster the slot's unit comes from */
	unit = strdup(s->unit->slug);
	grown = realloc(r->notes, (r->nnotes + 1) * sizeof *grown);
	if (!text || !unit || !grown) {
		free(text);
		free(unit);
		if (grown)
			r->notes = grown;
		return pv_error_set(p->err, PV_ESOFTWARE, "out of memory");
	}
	r->notes = grown;
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r->notes[r->nnotes++] = (struct pv_plan_note){
		.meeting = 0, .unit = unit, .date = s->date, .what = text,
	};
	return PV_OK;
}

/* ---- slots ---- */

/* Marks slots [first, end) as one series (a unit's meetings of a kind). */
static void mark_series(struct planner *p, size_t first)
{
	for (size_t i = first; i < p->nslots; i++) {
		p->slots[i].series = first;
		p->slots[i].series_len = p->nslots - first;
	}
}

static struct slot *new_slot(struct planner *p, const struct pv_unit *unit,
			     enum pv_meeting_kind kind, int number)
{
	struct slot *s;

	if (p->nslots == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		struct slot *grown = realloc(p->slots, cap * sizeof *grown);
		if (!grown)
			return NULL;
		p->slots = grown;
		p->cap = cap;
	}
	s = &p->slots[p->nslots++];
	memset(s, 0, sizeof *s);
	s->unit = unit;
	s->kind = kind;
	s->number = number;
	return s;
}

/* A slot on a given day and time (Nærværsteam, «Åpen dør»); NULL when out
 * of memory. */
static struct slot *fixed_slot(struct planner *p, const struct pv_unit *unit,
			       enum pv_meeting_kind kind, int number, pv_date d, int start,
			       int end)
{
	struct slot *s = new_slot(p, unit, kind, number);

	if (s) {
		s->lo = s->hi = s->target = d;
		s->half = d > p->year_first + 152 ? 1 : 0;
		s->start = start;
		s->end = end;
	}
	return s;
}

/* Adds a person once; the first role given wins. */
static void add_part(struct slot *s, int person, const char *role)
{
	if (person < 0 || s->nparts >= MAX_PARTS)
		return;
	for (int i = 0; i < s->nparts; i++)
		if (s->parts[i].person == person)
			return;
	s->parts[s->nparts++] = (struct part){ person, role, -1 };
}

static void add_team(struct planner *p, struct slot *s, const char *unit)
{
	size_t n;
	const struct pv_assignment *team = pv_roster_team(p->roster, unit, &n);

	for (size_t i = 0; i < n; i++)
		add_part(s, person_index(p, team[i].person->slug), team[i].role);
}

/* A slot's key (unit, kind, number) against a stored meeting's. */
static int slot_key_cmp(const char *unit, enum pv_meeting_kind kind, int number,
			const struct pv_meeting *m)
{
	int c = strcmp(unit, m->unit);

	if (c)
		return c;
	if (kind != m->kind)
		return kind < m->kind ? -1 : 1;
	return (number > m->number) - (number < m->number);
}

static int stored_order(const void *a, const void *b)
{
	const struct pv_meeting *x = ((const struct stored_ref *)a)->meeting;
	const struct pv_meeting *y = ((const struct stored_ref *)b)->meeting;
	int c = slot_key_cmp(x->unit, x->kind, x->number, y);

	/* ad hoc meetings (number 0) share a key: keep the stored order */
	return c ? c : (x > y) - (x < y);
}

/* The stored meeting of the slot just made (the last one), if any: the
 * slot takes it over (keeps its id and UID). Unique by (unit, kind,
 * number): the schema's index meeting_slot. */
static void link_stored(struct planner *p, struct slot *s)
{
	size_t lo = 0, hi = p->nstored;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct stored_ref *r = &p->stored_refs[mid];
		int c = slot_key_cmp(s->unit->slug, s->kind, s->number, r->meeting);

		if (c == 0) {
			s->existing = r->meeting;
			r->slot = (size_t)(s - p->slots) + 1;
			return;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
}

/* Kept as it is: held, cancelled, locked or moved by hand. */
static bool is_kept(const struct pv_meeting *m)
{
	return m && (m->status != PV_MEETING_PLANNED || m->locked || m->moved);
}

static enum pv_day_kind day_kind_of(const struct pv_unit *u)
{
	return u->kind == PV_UNIT_SCHOOL || u->kind == PV_UNIT_SERVICE ? PV_SCHOOL
									: PV_KINDERGARTEN;
}

/* The unit whose calendar a meeting follows: the host for a group. */
static const char *calendar_unit(const struct slot *s)
{
	return s->host ? s->host : s->unit->slug;
}

static bool open_on(const struct planner *p, const struct slot *s, pv_date d)
{
	return pv_calendar_is_open(p->cal, day_kind_of(s->unit), calendar_unit(s), d);
}

/* ---- rules ---- */

static const char *rule_key(const struct pv_unit *u)
{
	return pv_meeting_rule_path(PV_MEETING_SYSTEMMOTE, u->kind);
}

static long long rule_int(const struct planner *p, const char *base, const char *key)
{
	char path[128];

	snprintf(path, sizeof path, "%s.%s", base, key);
	return pv_rules_int(p->rules, path);
}

static const char *rule_str(const struct planner *p, const char *base, const char *key)
{
	char path[128];

	snprintf(path, sizeof path, "%s.%s", base, key);
	return pv_rules_str(p->rules, path);
}

static int rule_minutes(const struct planner *p, const char *base, const char *key)
{
	int minutes = 0;

	pv_time_parse(rule_str(p, base, key), &minutes);
	return minutes;
}

static void cache_ranks(struct planner *p)
{
	for (int w = PV_MONDAY; w <= PV_SUNDAY; w++) {
		enum pv_weekday wd = (enum pv_weekday)w;

		p->rank_school[w] = pv_rules_weekday_rank(p->rules, "meetings.school_systemmote", wd);
		p->rank_kinder[w] = pv_rules_weekday_rank(p->rules,
							  "meetings.kindergarten_systemmote", wd);
		p->rank_god[w] = pv_rules_weekday_rank(p->rules, "meetings.god_oppvekst", wd);
		p->rank_naervaer[w] = pv_rules_weekday_rank(p->rules, "meetings.naervaer", wd);
	}
}

/* The cached compute_rank of a meeting rule. */
static int weekday_rank(const struct planner *p, const char *base, enum pv_weekday w)
{
	if (strcmp(base, "meetings.school_systemmote") == 0)
		return p->rank_school[w];
	if (strcmp(base, "meetings.kindergarten_systemmote") == 0)
		return p->rank_kinder[w];
	if (strcmp(base, "meetings.god_oppvekst") == 0)
		return p->rank_god[w];
	return p->rank_naervaer[w];
}

/* The half-year bounds inside the school year: autumn 1 Aug–31 Dec,
 * spring 1 Jan–31 Jul (the spring half-year H1 ends 30 June; July has no
 * school days and kindergartens are closed in July by default). */
static void half_bounds(const struct planner *p, int half, pv_date *lo, pv_date *hi)
{
	pv_date dec31;

	pv_date_from_ymd(p->year, 12, 31, &dec31);
	*lo = half == 0 ? p->year_first : dec31 + 1;
	*hi = half == 0 ? dec31 : p->year_last;
}

/* The first and last open day of a unit in [lo, hi]; false if none. */
static bool open_span(const struct planner *p, const struct slot *s, pv_date lo, pv_date hi,
		      pv_date *first, pv_date *last)
{
	bool found = false;

	for (pv_date d = lo; d <= hi; d++) {
		if (!open_on(p, s, d))
			continue;
		if (!found)
			*first = d;
		*last = d;
		found = true;
	}
	return found;
}

/* ---- building the slots ---- */

static enum pv_status oom(struct planner *p)
{
	return pv_error_set(p->err, PV_ESOFTWARE, "out of memory");
}

static const struct pv_person *service_leader(const struct planner *p, const char *unit)
{
	size_t n;
	const struct pv_assignment *team = pv_roster_team(p->roster, unit, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(team[i].role, "leder") == 0 || strcmp(team[i].role, "koordinator") == 0)
			return team[i].person;
	return n ? team[0].person : NULL;
}

static bool in_scope(const struct pv_generate_options *o, const char *unit)
{
	if (!o->units)
		return true;
	for (const char *const *u = o->units; *u; u++)
		if (strcmp(*u, unit) == 0)
			return true;
	return false;
}

/* Systemmøte slots of one school or kindergarten group. */
static enum pv_status systemmote_slots(struct planner *p, const struct pv_unit *u)
{
	const char *base = rule_key(u);
	int per_half = (int)rule_int(p, base, "min_per_half");
	size_t nmembers = 0, first = p->nslots;
	const struct pv_unit *const *members = NULL;

	if (u->kind == PV_UNIT_GROUP) {
		members = pv_roster_group_members(p->roster, u->slug, &nmembers);
		if (nmembers == 0)
			return PV_OK;
	}
	for (int half = 0; half < 2; half++) {
		for (int j = 0; j < per_half; j++) {
			int number = half * per_half + j + 1;
			struct slot *s = new_slot(p, u, PV_MEETING_SYSTEMMOTE, number);

			if (!s)
				return oom(p);
			s->half = half;
			s->start = rule_minutes(p, base, "start");
			s->end = rule_minutes(p, base, "end");
			if (members) {
				const struct pv_unit *host = members[(number - 1) % (int)nmembers];
				const struct pv_person *leader = pv_roster_leader(p->roster, host->slug);

				s->host = host->slug;
				s->leader = leader ? leader->slug : NULL;
				if (leader)
					add_part(s, person_index(p, leader->slug), "leder");
				for (size_t k = 0; k < nmembers; k++)
					add_team(p, s, members[k]->slug);
				add_team(p, s, u->slug);
			} else {
				const struct pv_person *leader = pv_roster_leader(p->roster, u->slug);

				s->leader = leader ? leader->slug : NULL;
				add_team(p, s, u->slug);
			}
			link_stored(p, s);
		}
	}
	mark_series(p, first);
	return PV_OK;
}

/* The window and target date of every systemmøte slot of a unit. */
static void systemmote_windows(struct planner *p, struct slot *first_slot, int per_half)
{
	const struct pv_unit *u = first_slot->unit;
	int weeks = u->kind == PV_UNIT_SCHOOL ?
		    (int)rule_int(p, "meetings.school_systemmote", "first_within_school_weeks") : 0;

	for (int half = 0; half < 2; half++) {
		struct slot *s = first_slot + half * per_half;
		pv_date lo, hi, first = 0, last = 0;

		half_bounds(p, half, &lo, &hi);
		if (!open_span(p, s, lo, hi, &first, &last)) {
			for (int j = 0; j < per_half; j++) {
				s[j].lo = lo;
				s[j].hi = lo - 1;   /* no day: reported as impossible */
			}
			continue;
		}
		for (int j = 0; j < per_half; j++) {
			pv_date seg_lo = first + (pv_date)((long)(last - first + 1) * j / per_half);
			pv_date seg_hi = first + (pv_date)((long)(last - first + 1) * (j + 1) / per_half) - 1;

			s[j].lo = first;
			s[j].hi = last;
			s[j].target = seg_lo + (seg_hi - seg_lo) / 2;
		}
		if (half == 0 && weeks > 0) {
			/* the first school weeks run from the first day's Monday */
			int wd = (int)pv_date_weekday(first) - 1;
			pv_date window_end = first - wd + 7 * weeks - 1;

			s[0].hi = window_end < last ? window_end : last;
			s[0].target = first;
			for (int j = 1; j < per_half; j++) {
				pv_date from = s[0].hi + 1;
				pv_date seg_lo = from + (pv_date)((long)(last - from + 1) * (j - 1) / (per_half - 1));
				pv_date seg_hi = from + (pv_date)((long)(last - from + 1) * j / (per_half - 1)) - 1;
				s[j].target = seg_lo + (seg_hi - seg_lo) / 2;
			}
		}
	}
}

/* Nærværsteam consultations: every open rule weekday in the ISO weeks the
 * rule names (odd, even or all). */
static enum pv_status naervaer_slots(struct planner *p, const struct pv_unit *u)
{
	const char *base = "meetings.naervaer";
	const char *weeks = rule_str(p, base, "iso_weeks");
	const struct pv_person *leader = service_leader(p, u->slug);
	int number = 0;
	pv_date d;

	for (bool ok = pv_calendar_next(p->cal, PV_SCHOOL, NULL, p->year_first, &d); ok;
	     ok = pv_calendar_next(p->cal, PV_SCHOOL, NULL, d + 1, &d)) {
		int iso_year, week = pv_date_iso_week(d, &iso_year);
		struct slot *s;

		if (weekday_rank(p, base, pv_date_weekday(d)) != 0 ||
		    (strcmp(weeks, "odd") == 0 && week % 2 == 0) ||
		    (strcmp(weeks, "even") == 0 && week % 2 == 1))
			continue;
		s = fixed_slot(p, u, PV_MEETING_NAERVAER, ++number, d, rule_minutes(p, base, "start"),
			       rule_minutes(p, base, "end"));
		if (!s)
			return oom(p);
		s->leader = leader ? leader->slug : NULL;
		add_team(p, s, u->slug);
		link_stored(p, s);
	}
	return PV_OK;
}

/* God oppvekst: per_school_year meetings spread over the school year. */
static enum pv_status god_oppvekst_slots(struct planner *p, const struct pv_unit *u)
{
	const char *base = "meetings.god_oppvekst";
	int n = (int)rule_int(p, base, "per_school_year");
	const struct pv_person *leader = service_leader(p, u->slug);
	pv_date first = pv_calendar_first_school_day(p->cal);
	pv_date last = pv_calendar_last_school_day(p->cal);
	size_t series = p->nslots;

	for (int j = 0; j < n; j++) {
		struct slot *s = new_slot(p, u, PV_MEETING_GOD_OPPVEKST, j + 1);
		pv_date seg_lo = first + (pv_date)((long)(last - first + 1) * j / n);
		pv_date seg_hi = first + (pv_date)((long)(last - first + 1) * (j + 1) / n) - 1;

		if (!s)
			return oom(p);
		s->lo = first;
		s->hi = last;
		s->target = seg_lo + (seg_hi - seg_lo) / 2;
		s->half = s->target > p->year_first + 152 ? 1 : 0;
		s->start = rule_minutes(p, base, "start");
		s->end = rule_minutes(p, base, "end");
		s->leader = leader ? leader->slug : NULL;
		add_team(p, s, u->slug);
		link_stored(p, s);
	}
	mark_series(p, series);
	return PV_OK;
}

/* The school's barnevern contact, or NULL. */
static const struct pv_person *apen_dor_contact(const struct planner *p, const char *school)
{
	size_t n;
	const struct pv_assignment *team = pv_roster_team(p->roster, school, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(team[i].role, "barnevern-kontakt") == 0)
			return team[i].person;
	return NULL;
}

/* Where school number `i` of one contact goes in the «Åpen dør» cycle
 * when it follows the rules: its week in the cycle, its weekday and its
 * start. */
static void apen_dor_place(const struct planner *p, int i, int *phase,
			   enum pv_weekday *weekday, int *start)
{
	const char *base = "meetings.apen_dor";
	int every = (int)rule_int(p, base, "every_weeks");
	int minutes = (int)rule_int(p, base, "minutes");
	int first_start = rule_minutes(p, base, "start");
	/* presence hours end by 16:00, the end of a long school day */
	int per_day = (16 * 60 - first_start) / minutes;
	int layer = i / every, day_shift;
	enum pv_weekday w = PV_WEDNESDAY;

	if (per_day < 1)
		per_day = 1;
	pv_weekday_parse(rule_str(p, base, "weekday"), &w);
	day_shift = layer / per_day;
	*phase = i % every;
	*start = first_start + (layer % per_day) * minutes;
	/* further weekdays in turn, Monday–Friday, after the rule's */
	*weekday = (enum pv_weekday)(((int)w - 1 + day_shift) % 5 + 1);
}

/* One school's sessions: its own plan (team add-unit, units.csv) where it
 * has one, the contact's turn under the rules for the rest. */
static enum pv_status apen_dor_series(struct planner *p, const struct pv_unit *u,
				      const struct pv_person *contact, int rank)
{
	struct pv_apen_dor_plan plan = pv_unit_apen_dor(u, p->rules);
	pv_date first = pv_calendar_first_school_day(p->cal);
	pv_date first_monday = first - ((int)pv_date_weekday(first) - 1);
	int phase, start, number = 0;
	enum pv_weekday weekday;

	apen_dor_place(p, rank, &phase, &weekday, &start);
	if (u->apen_dor.weekday)
		weekday = u->apen_dor.weekday;
	if (u->apen_dor.start)
		start = u->apen_dor.start;
	phase = rank % plan.every_weeks;
	for (pv_date monday = first_monday + 7 * phase; monday <= p->year_last;
	     monday += 7 * plan.every_weeks) {
		pv_date d = monday + ((int)weekday - 1);
		struct slot *s;

		if (!pv_calendar_is_school_day(p->cal, u->slug, d))
			continue;
		s = fixed_slot(p, u, PV_MEETING_APEN_DOR, ++number, d, start, start + plan.minutes);
		if (!s)
			return oom(p);
		s->leader = contact->slug;
		add_part(s, person_index(p, contact->slug), "barnevern-kontakt");
		link_stored(p, s);
	}
	return PV_OK;
}

static enum pv_status apen_dor_slots(struct planner *p, const struct pv_unit *const *schools,
				     size_t nschools, const struct pv_generate_options *o)
{
	enum pv_status status = PV_OK;

	for (size_t si = 0; si < nschools && status == PV_OK; si++) {
		const struct pv_unit *u = schools[si];
		const struct pv_person *contact = apen_dor_contact(p, u->slug);
		int rank = 0;

		if (!contact || !in_scope(o, u->slug))
			continue;
		/* the contact's schools in slug order give each its turn */
		for (size_t k = 0; k < si; k++)
			if (apen_dor_contact(p, schools[k]->slug) == contact)
				rank++;
		status = apen_dor_series(p, u, contact, rank);
	}
	return status;
}

/* ---- placing ---- */

/* The penalty for meeting too close to the unit's other meetings. */
static long gap_cost(const struct planner *p, const struct slot *s, pv_date d, int min_gap)
{
	long cost = 0;

	for (size_t i = s->series; i < s->series + s->series_len; i++) {
		const struct slot *o = &p->slots[i];
		int gap;

		if (o == s || !o->placed)
			continue;
		gap = abs((int)(o->date - d));
		if (gap == 0)
			return -1;   /* never two of a series on one day */
		if (gap < min_gap)
			cost += (long)COST_GAP * (min_gap - gap);
	}
	return cost;
}

/* Can everyone attend on d, directly or (policy permitting) through their
 * substitute? Fills `subs` (-1: attends) and returns the number of
 * substitutes, or -1 when someone can do neither. */
static int attendance(struct planner *p, const struct slot *s, pv_date d, int subs[])
{
	int count = 0;

	for (int i = 0; i < s->nparts; i++) {
		const struct pv_person *sub;
		int sp;

		subs[i] = -1;
		if (is_free(p, s->parts[i].person, d, s->start, s->end))
			continue;
		if (!p->substitute_policy)
			return -1;
		sub = pv_roster_substitute(p->roster, p->people[s->parts[i].person]->slug);
		sp = sub ? person_index(p, sub->slug) : -1;
		if (sp < 0 || !is_free(p, sp, d, s->start, s->end))
			return -1;
		for (int k = 0; k < s->nparts; k++)
			if (s->parts[k].person == sp || (k < i && subs[k] == sp))
				return -1;
		subs[i] = sp;
		count++;
	}
	return count;
}

static const char *slot_base(const struct slot *s)
{
	return pv_meeting_rule_path(s->kind, s->unit->kind);
}

/* The cheapest open day for a flexible slot; false when there is none. */
static bool best_day(struct planner *p, const struct slot *s, pv_date *best, int best_subs[])
{
	const char *base = slot_base(s);
	int min_gap = s->kind == PV_MEETING_SYSTEMMOTE ? (int)rule_int(p, base, "min_gap_days") : 0;
	long best_cost = -1;
	int subs[MAX_PARTS];

	for (pv_date d = s->lo; d <= s->hi; d++) {
		int rank = weekday_rank(p, base, pv_date_weekday(d));
		long cost, gap;
		int nsubs;

		if (rank < 0 || !open_on(p, s, d))
			continue;
		gap = gap_cost(p, s, d, min_gap);
		if (gap < 0)
			continue;
		nsubs = attendance(p, s, d, subs);
		if (nsubs < 0)
			continue;
		cost = (rank ? COST_FALLBACK + rank : 0) + gap + labs((long)(d - s->target)) +
		       (long)nsubs * COST_SUBSTITUTE;
		if (best_cost < 0 || cost < best_cost) {
			best_cost = cost;
			*best = d;
			memcpy(best_subs, subs, sizeof subs[0] * (size_t)s->nparts);
		}
	}
	return best_cost >= 0;
}

static void occupy_slot(struct planner *p, const struct slot *s)
{
	for (int i = 0; i < s->nparts; i++)
		occupy(p, s->parts[i].person, s->date, s->start, s->end);
}

static const char *person_slug(const struct planner *p, int i)
{
	return i >= 0 ? p->people[i]->slug : "?";
}

static enum pv_status apply_substitutes(struct planner *p, struct slot *s, const int subs[])
{
	enum pv_status status = PV_OK;

	for (int i = 0; i < s->nparts && status == PV_OK; i++) {
		if (subs[i] < 0)
			continue;
		status = add_note(p, s, "%s stands in for %s (%s), who is busy",
				  person_slug(p, subs[i]), person_slug(p, s->parts[i].person),
				  s->parts[i].role);
		s->parts[i].stands_for = s->parts[i].person;
		s->parts[i].person = subs[i];
		p->result->substitutions++;
	}
	return status;
}

/* Days in [lo, hi] the unit is open on the rule's weekday, and on the
 * fallback weekdays. */
static void count_days(const struct planner *p, const struct slot *s, pv_date lo, pv_date hi,
		       int *preferred, int *fallback)
{
	const char *base = slot_base(s);

	*preferred = *fallback = 0;
	for (pv_date d = lo; d <= hi; d++) {
		int rank = weekday_rank(p, base, pv_date_weekday(d));
		if (rank < 0 || !open_on(p, s, d))
			continue;
		if (rank == 0)
			(*preferred)++;
		else
			(*fallback)++;
	}
}

/* Counts, per person and half-year, the systemmøter they attend and the
 * units those belong to (slots of a unit are adjacent). */
static enum pv_status count_demand(struct planner *p)
{
	p->demand = calloc(p->npeople * 2 + 1, sizeof *p->demand);
	p->demand_units = calloc(p->npeople * 2 + 1, sizeof *p->demand_units);
	if (!p->demand || !p->demand_units)
		return oom(p);
	for (size_t i = 0; i < p->nslots; i++) {
		const struct slot *s = &p->slots[i];
		bool new_unit = i == 0 || p->slots[i - 1].unit != s->unit ||
				p->slots[i - 1].half != s->half;

		if (s->kind != PV_MEETING_SYSTEMMOTE)
			continue;
		for (int k = 0; k < s->nparts; k++) {
			size_t at = (size_t)s->parts[k].person * 2 + (size_t)s->half;
			p->demand[at]++;
			if (new_unit)
				p->demand_units[at]++;
		}
	}
	return PV_OK;
}

static int demand_of(const struct planner *p, int person, int half, int *units)
{
	size_t at = (size_t)person * 2 + (size_t)half;

	*units = p->demand_units[at];
	return p->demand[at];
}

static void half_name(const struct planner *p, int half, char buf[16])
{
	snprintf(buf, 16, "%s %d", half == 0 ? "H2" : "H1", p->year + half);
}

/* The weekday name with a capital and a plural s, for messages. */
static void weekday_plural(const struct planner *p, const char *base, char buf[16])
{
	enum pv_weekday w = PV_THURSDAY;

	pv_weekday_parse(rule_str(p, base, "weekday"), &w);
	snprintf(buf, 16, "%ss", pv_weekday_name(w));
	buf[0] = (char)(buf[0] - 'a' + 'A');
}

/* Explains why slot `s` found no day, naming the person whose time ran out. */
static enum pv_status explain_unsat(struct planner *p, const struct slot *s)
{
	const char *base = slot_base(s);
	char half[16], weekday[16], lo[11], hi[11];
	int preferred, fallback, busiest = -1, busiest_units = 0, busiest_demand = -1;
	weekday_plural(p, base, weekday);
	half_name(p, s->half, half);
	count_days(p, s, s->lo, s->hi, &preferred, &fallback);
	for (int i = 0; i < s->nparts; i++) {
		int units, demand = demand_of(p, s->parts[i].person, s->half, &units);
		if (demand > busiest_demand) {
			busiest_demand = demand;
			busiest_units = units;
			busiest = i;
		}
	}
	pv_date_format(s->lo, lo);
	pv_date_format(s->hi, hi);
	if (preferred + fallback == 0)
		return pv_error_set(p->err, PV_EUNSAT,
				    "%s %s %d: no open day on the allowed weekdays between %s and %s",
				    s->unit->slug, pv_meeting_kind_name(s->kind), s->number, lo, hi);
	if (busiest < 0)
		return pv_error_set(p->err, PV_EUNSAT, "%s %s %d: no free day between %s and %s",
				    s->unit->slug, pv_meeting_kind_name(s->kind), s->number, lo, hi);
	if (s->kind == PV_MEETING_SYSTEMMOTE && s->half == 0 && s->number == 1 &&
	    s->unit->kind == PV_UNIT_SCHOOL)
		return pv_error_set(p->err, PV_EUNSAT,
				    "the first systemmøte of %s must be in the first school weeks "
				    "(%s to %s), but %s %s serves %d units and is booked on all "
				    "%d possible days there",
				    s->unit->slug, lo, hi, s->parts[busiest].role,
				    person_slug(p, s->parts[busiest].person), busiest_units,
				    preferred + fallback);
	return pv_error_set(p->err, PV_EUNSAT,
			    "%s %s serves %d units = %d meetings in %s, but only %d %s%s are "
			    "school days for %s (%s %s %d cannot be placed)",
			    s->parts[busiest].role, person_slug(p, s->parts[busiest].person),
			    busiest_units, busiest_demand, half, preferred, weekday,
			    fallback ? _(" and the fallback weekdays") : "", s->unit->slug,
			    s->unit->slug, pv_meeting_kind_name(s->kind), s->number);
}

/*
 * Before placing anything: a person who must attend more systemmøter in a
 * half-year than there are days they could meet makes the rules
 * impossible (unless substitutes may stand in). Says who and by how much.
 */
static enum pv_status check_capacity(struct planner *p)
{
	/* per person and day: 1 the rule's weekday is possible, 2 a fallback */
	unsigned char *possible = calloc(p->npeople * (size_t)p->days + 1, 1);
	enum pv_status status = PV_OK;

	if (!possible)
		return oom(p);
	for (size_t i = 0; i < p->nslots; i++) {
		const struct slot *s = &p->slots[i];
		const char *base = slot_base(s);

		if (s->kind != PV_MEETING_SYSTEMMOTE || is_kept(s->existing))
			continue;
		for (pv_date d = s->lo; d <= s->hi; d++) {
			int rank = weekday_rank(p, base, pv_date_weekday(d));
			if (rank < 0 || !open_on(p, s, d))
				continue;
			for (int k = 0; k < s->nparts; k++)
				possible[(size_t)s->parts[k].person * (size_t)p->days +
					 (size_t)(d - p->year_first)] = rank ? 2 : 1;
		}
	}
	for (size_t i = 0; i < p->nslots && status == PV_OK; i++) {
		const struct slot *s = &p->slots[i];

		if (s->kind != PV_MEETING_SYSTEMMOTE || is_kept(s->existing))
			continue;
		for (int k = 0; k < s->nparts && status == PV_OK; k++) {
			int person = s->parts[k].person, units, preferred = 0, fallback = 0;
			int demand = demand_of(p, person, s->half, &units);
			pv_date lo, hi;
			char half[16], weekday[16];

			half_bounds(p, s->half, &lo, &hi);
			for (pv_date d = lo; d <= hi; d++) {
				unsigned char v = possible[(size_t)person * (size_t)p->days +
							   (size_t)(d - p->year_first)];
				preferred += v == 1;
				fallback += v == 2;
			}
			if (demand <= preferred + fallback)
				continue;
			half_name(p, s->half, half);
			weekday_plural(p, slot_base(s), weekday);
			if (fallback)
				status = pv_error_set(p->err, PV_EUNSAT,
						      "%s %s serves %d units = %d systemmøter in %s, "
						      "but only %d %s and %d fallback weekdays are open "
						      "for their units", s->parts[k].role,
						      person_slug(p, person), units, demand, half,
						      preferred, weekday, fallback);
			else
				status = pv_error_set(p->err, PV_EUNSAT,
						      "%s %s serves %d units = %d systemmøter in %s, "
						      "but only %d %s are open for their units (the "
						      "rules allow no fallback weekday)", s->parts[k].role,
						      person_slug(p, person), units, demand, half,
						      preferred, weekday);
		}
	}
	free(possible);
	return status;
}

static enum pv_status place(struct planner *p, struct slot *s)
{
	int subs[MAX_PARTS];
	enum pv_status status = PV_OK;
	pv_date d;

	if (!best_day(p, s, &d, subs))
		return explain_unsat(p, s);
	s->date = d;
	s->placed = true;
	s->fallback = weekday_rank(p, slot_base(s), pv_date_weekday(d)) > 0;
	if (s->fallback) {
		p->result->fallback_days++;
		status = add_note(p, s, "on fallback weekday %s", pv_weekday_name(pv_date_weekday(d)));
	}
	if (status == PV_OK)
		status = apply_substitutes(p, s, subs);
	occupy_slot(p, s);
	return status;
}

/* Puts slot `s` on d at `start` if everyone can attend then. */
static bool try_at(struct planner *p, struct slot *s, pv_date d, int start, int subs[])
{
	s->end = start + (s->end - s->start);
	s->start = start;
	if (attendance(p, s, d, subs) < 0)
		return false;
	s->date = d;
	return true;
}

/* «Åpen dør» when its contact is busy at the planned hour: another hour
 * of the same day (08:00–16:00, half-hour steps), else the same hour
 * later in the week; false if none. */
static bool shift_in_week(struct planner *p, struct slot *s, int subs[])
{
	int start = s->start, length = s->end - s->start;

	for (int from = 8 * 60; from + length <= 16 * 60; from += 30)
		if (from != start && try_at(p, s, s->lo, from, subs))
			return true;
	for (pv_date d = s->lo + 1; pv_date_weekday(d) <= PV_FRIDAY; d++)
		if (pv_calendar_is_school_day(p->cal, s->unit->slug, d) &&
		    try_at(p, s, d, start, subs))
			return true;
	try_at(p, s, s->lo, start, subs);
	return false;
}

/* Fixed-day slots (Nærværsteam, «Åpen dør»): the day is given; someone
 * busy then is substituted; an «Åpen dør» session moves within its week;
 * failing that the session is skipped, with a note. */
static enum pv_status place_fixed(struct planner *p, struct slot *s)
{
	int subs[MAX_PARTS];
	enum pv_status status = PV_OK;
	char date[11];

	s->date = s->lo;
	if (attendance(p, s, s->date, subs) < 0) {
		if (s->kind != PV_MEETING_APEN_DOR || !shift_in_week(p, s, subs)) {
			s->placed = false;
			return add_note(p, s, "%s %s skipped: a participant is busy then",
					pv_meeting_kind_name(s->kind), s->unit->slug);
		}
		status = add_note(p, s, "%s moved from %s: the contact is busy then",
				  pv_meeting_kind_name(s->kind), pv_date_format(s->lo, date));
	}
	s->placed = true;
	/* substitutes first, so that the people who attend are the ones
	 * marked busy */
	if (status == PV_OK)
		status = apply_substitutes(p, s, subs);
	occupy_slot(p, s);
	return status;
}

/* Most loaded participant first: demand per possible day, ×100. */
static void compute_pressure(struct planner *p)
{
	for (size_t i = 0; i < p->nslots; i++) {
		struct slot *s = &p->slots[i];
		int preferred, fallback;

		if (s->kind != PV_MEETING_SYSTEMMOTE)
			continue;
		count_days(p, s, s->lo, s->hi, &preferred, &fallback);
		for (int k = 0; k < s->nparts; k++) {
			int units, demand = demand_of(p, s->parts[k].person, s->half, &units);
			int per = demand * 100 / (preferred + fallback > 0 ? preferred + fallback : 1);
			if (per > s->pressure)
				s->pressure = per;
		}
	}
}

/* Round order: half, slot within the half, pressure (high first), unit. */
static int round_order(const void *a, const void *b)
{
	const struct slot *x = *(const struct slot *const *)a, *y = *(const struct slot *const *)b;
	int xr = x->number, yr = y->number;

	if (x->half != y->half)
		return x->half - y->half;
	if (xr != yr)
		return xr - yr;
	if (x->pressure != y->pressure)
		return y->pressure - x->pressure;
	return strcmp(x->unit->slug, y->unit->slug);
}

/* ---- kept meetings ---- */

static void occupy_meeting(struct planner *p, const struct pv_meeting *m)
{
	if (m->status == PV_MEETING_CANCELLED)
		return;
	for (size_t i = 0; i < m->nparticipants; i++)
		occupy(p, person_index(p, m->participants[i].person), m->date, m->start, m->end);
}

/* Is the stored meeting kept, either for itself or because its unit is
 * not being planned this time? */
static bool kept_as_is(const struct pv_meeting *m, const struct pv_generate_options *o)
{
	return is_kept(m) || m->number == 0 || !in_scope(o, m->unit);
}

/* ---- pipeline ---- */

static enum pv_status build_slots(struct planner *p, const struct pv_generate_options *o)
{
	size_t n;
	const struct pv_unit *const *units;
	enum pv_status status = PV_OK;

	units = pv_roster_units(p->roster, PV_UNIT_SCHOOL, &n);
	for (size_t i = 0; i < n && status == PV_OK; i++)
		if (in_scope(o, units[i]->slug))
			status = systemmote_slots(p, units[i]);
	units = pv_roster_units(p->roster, PV_UNIT_GROUP, &n);
	for (size_t i = 0; i < n && status == PV_OK; i++)
		if (in_scope(o, units[i]->slug))
			status = systemmote_slots(p, units[i]);
	units = pv_roster_units(p->roster, PV_UNIT_SERVICE, &n);
	for (size_t i = 0; i < n && status == PV_OK; i++) {
		if (!in_scope(o, units[i]->slug) || !units[i]->service)
			continue;
		if (strcmp(units[i]->service, "naervaer") == 0)
			status = naervaer_slots(p, units[i]);
		else if (strcmp(units[i]->service, "god-oppvekst") == 0)
			status = god_oppvekst_slots(p, units[i]);
	}
	units = pv_roster_units(p->roster, PV_UNIT_SCHOOL, &n);
	if (status == PV_OK)
		status = apen_dor_slots(p, units, n, o);
	return status;
}

static void set_windows(struct planner *p)
{
	int school = (int)pv_rules_int(p->rules, "meetings.school_systemmote.min_per_half");
	int kinder = (int)pv_rules_int(p->rules, "meetings.kindergarten_systemmote.min_per_half");

	for (size_t i = 0; i < p->nslots; i++) {
		struct slot *s = &p->slots[i];
		if (s->kind == PV_MEETING_SYSTEMMOTE && s->number == 1)
			systemmote_windows(p, s, s->unit->kind == PV_UNIT_SCHOOL ? school : kinder);
	}
}

static enum pv_status place_all(struct planner *p)
{
	struct slot **order = malloc(p->nslots * sizeof *order + 1);
	size_t n = 0;
	enum pv_status status = PV_OK;

	if (!order)
		return oom(p);
	/* the stored slots that stay as they are: mark and keep their day */
	for (size_t i = 0; i < p->nslots; i++) {
		struct slot *s = &p->slots[i];
		if (is_kept(s->existing)) {
			s->date = s->existing->date;
			s->placed = s->existing->status != PV_MEETING_CANCELLED;
		}
	}
	for (size_t i = 0; i < p->nslots && status == PV_OK; i++) {
		struct slot *s = &p->slots[i];
		if (!is_kept(s->existing) && s->kind == PV_MEETING_NAERVAER)
			status = place_fixed(p, s);
	}
	compute_pressure(p);
	if (status == PV_OK && !p->substitute_policy)
		status = check_capacity(p);
	for (size_t i = 0; i < p->nslots; i++)
		if (!is_kept(p->slots[i].existing) && p->slots[i].kind == PV_MEETING_SYSTEMMOTE)
			order[n++] = &p->slots[i];
	qsort(order, n, sizeof *order, round_order);
	for (size_t i = 0; i < n && status == PV_OK; i++)
		status = place(p, order[i]);
	for (size_t i = 0; i < p->nslots && status == PV_OK; i++) {
		struct slot *s = &p->slots[i];
		if (is_kept(s->existing))
			continue;
		if (s->kind == PV_MEETING_GOD_OPPVEKST)
			status = place(p, s);
		else if (s->kind == PV_MEETING_APEN_DOR)
			status = place_fixed(p, s);
	}
	free(order);
	return status;
}

/* ---- results ---- */

/* The meeting a placed slot becomes; participants point into `parts`. */
static void slot_meeting(const struct planner *p, const struct slot *s,
			 struct pv_participant parts[], struct pv_meeting *m)
{
	memset(m, 0, sizeof *m);
	m->id = s->existing ? s->existing->id : 0;
	m->uid = s->existing ? s->existing->uid : NULL;
	m->sequence = s->existing ? s->existing->sequence : 0;
	m->school_year = p->year;
	m->unit = s->unit->slug;
	m->host = s->host;
	m->kind = s->kind;
	m->number = s->number;
	m->date = s->date;
	m->start = s->start;
	m->end = s->end;
	m->status = PV_MEETING_PLANNED;
	m->fallback_day = s->fallback;
	m->leader = s->leader;
	for (int i = 0; i < s->nparts; i++)
		parts[i] = (struct pv_participant){
			.person = person_slug(p, s->parts[i].person),
			.role = s->parts[i].role,
			.substitute_for = s->parts[i].stands_for >= 0 ?
					  person_slug(p, s->parts[i].stands_for) : NULL,
		};
	m->participants = parts;
	m->nparticipants = (size_t)s->nparts;
}

/* Does the new plan still have a slot for this stored meeting? */
static bool slot_exists(const struct planner *p, const struct stored_ref *r)
{
	const struct slot *s = r->slot ? &p->slots[r->slot - 1] : NULL;

	return s && (s->placed || is_kept(s->existing));
}

static enum pv_status store_slot(struct planner *p, const struct slot *s)
{
	struct pv_participant parts[MAX_PARTS];
	struct pv_meeting m;
	bool changed = true;

	slot_meeting(p, s, parts, &m);
	if (!s->existing)
		return pv_meeting_insert(p->db, &m, NULL, p->err);
	if (pv_meeting_update_from(p->db, s->existing, &m, &changed, p->err) != PV_OK)
		return p->err->status;
	if (!changed) {
		p->result->unchanged++;
		p->result->planned--;
	}
	return PV_OK;
}

/* Planned meetings the new plan has no slot for are cancelled, so that
 * calendars that imported them drop them (STATUS:CANCELLED). */
static enum pv_status cancel_orphans(struct planner *p, const struct pv_generate_options *o)
{
	for (size_t i = 0; i < p->nstored; i++) {
		const struct pv_meeting *m = p->stored_refs[i].meeting;
		struct pv_meeting c;

		if (kept_as_is(m, o) || slot_exists(p, &p->stored_refs[i]))
			continue;
		c = *m;
		c.status = PV_MEETING_CANCELLED;
		c.cancel_reason = "no longer in the plan";
		if (pv_meeting_update_from(p->db, m, &c, NULL, p->err) != PV_OK)
			return p->err->status;
		p->result->cancelled++;
	}
	return PV_OK;
}

static enum pv_status store_plan(struct planner *p, const struct pv_generate_options *o)
{
	enum pv_status status = PV_OK;
	char summary[256], year[8];

	for (size_t i = 0; i < p->nslots && status == PV_OK; i++)
		if (p->slots[i].placed && !is_kept(p->slots[i].existing))
			status = store_slot(p, &p->slots[i]);
	if (status == PV_OK)
		status = cancel_orphans(p, o);
	if (status != PV_OK)
		return status;
	snprintf(summary, sizeof summary,
		 "generated plan %s: %d planned, %d unchanged, %d kept, %d cancelled, "
		 "%d on fallback weekdays, %d substitutions",
		 pv_school_year_format(p->year, year), p->result->planned,
		 p->result->unchanged, p->result->kept, p->result->cancelled,
		 p->result->fallback_days, p->result->substitutions);
	return pv_audit_append(p->db, "plan", summary, p->err);
}

/* The plan as it would be stored, for a dry run. */
static enum pv_status memory_plan(struct planner *p, const struct pv_generate_options *o)
{
	struct pv_plan *plan = pv_plan_new();
	enum pv_status status = PV_OK;

	if (!plan)
		return oom(p);
	for (size_t i = 0; i < pv_plan_count(p->stored) && status == PV_OK; i++)
		if (kept_as_is(pv_plan_at(p->stored, i), o))
			status = pv_plan_add(plan, pv_plan_at(p->stored, i), p->err);
	for (size_t i = 0; i < p->nslots && status == PV_OK; i++) {
		struct pv_participant parts[MAX_PARTS];
		struct pv_meeting m;

		if (!p->slots[i].placed || is_kept(p->slots[i].existing))
			continue;
		slot_meeting(p, &p->slots[i], parts, &m);
		status = pv_plan_add(plan, &m, p->err);
	}
	pv_plan_sort(plan);
	p->result->plan = plan;
	return status;
}

struct dated {
	const char *unit;
	int half;
	pv_date date;
};

static int dated_order(const void *a, const void *b)
{
	const struct dated *x = a, *y = b;
	int c = strcmp(x->unit, y->unit);

	if (c)
		return c;
	if (x->half != y->half)
		return x->half - y->half;
	return (x->date > y->date) - (x->date < y->date);
}

/* Gaps between consecutive meetings of one unit and kind in a half-year. */
static enum pv_status spread_of_kind(struct planner *p, enum pv_meeting_kind kind, int min_gap)
{
	const struct pv_plan *plan = p->result->plan;
	struct pv_spread *sp = &p->result->spread[kind];
	struct dated *all = malloc((pv_plan_count(plan) + 1) * sizeof *all);
	size_t n = 0;
	long total = 0;
	int gaps = 0;

	if (!all)
		return oom(p);
	for (size_t i = 0; i < pv_plan_count(plan); i++) {
		const struct pv_meeting *m = pv_plan_at(plan, i);
		pv_date jan1 = 0;

		if (m->kind != kind || m->status == PV_MEETING_CANCELLED)
			continue;
		pv_date_from_ymd(p->year + 1, 1, 1, &jan1);
		all[n++] = (struct dated){ m->unit, m->date >= jan1, m->date };
	}
	qsort(all, n, sizeof *all, dated_order);
	for (size_t i = 0; i < n; i++) {
		int gap;

		if (i == 0 || strcmp(all[i].unit, all[i - 1].unit) != 0 ||
		    all[i].half != all[i - 1].half) {
			sp->teams++;
			continue;
		}
		gap = (int)(all[i].date - all[i - 1].date);
		gaps++;
		total += gap;
		if (sp->shortest_gap == 0 || gap < sp->shortest_gap)
			sp->shortest_gap = gap;
		if (gap < min_gap)
			sp->below_min_gap++;
	}
	sp->mean_gap = gaps ? (double)total / gaps : 0;
	free(all);
	return PV_OK;
}

static enum pv_status spread_stats(struct planner *p)
{
	int min_gap = (int)pv_rules_int(p->rules, "meetings.school_systemmote.min_gap_days");
	enum pv_status status = spread_of_kind(p, PV_MEETING_SYSTEMMOTE, min_gap);

	if (status == PV_OK)
		status = spread_of_kind(p, PV_MEETING_GOD_OPPVEKST, 0);
	return status;
}

static void planner_release(struct planner *p)
{
	free(p->slots);
	free(p->busy);
	free(p->demand);
	free(p->demand_units);
	pv_plan_free(p->stored);
	free(p->stored_refs);
	pv_calendar_free(p->cal);
	pv_roster_free(p->roster);
	pv_rules_free(p->rules);
}

/* Indexes the stored plan for link_stored(). */
static enum pv_status index_stored(struct planner *p)
{
	p->nstored = pv_plan_count(p->stored);
	p->stored_refs = calloc(p->nstored + 1, sizeof *p->stored_refs);
	if (!p->stored_refs)
		return oom(p);
	for (size_t i = 0; i < p->nstored; i++)
		p->stored_refs[i].meeting = pv_plan_at(p->stored, i);
	qsort(p->stored_refs, p->nstored, sizeof *p->stored_refs, stored_order);
	return PV_OK;
}

static enum pv_status planner_load(struct planner *p, const struct pv_generate_options *o)
{
	struct pv_plan_filter filter = { .school_year = o->school_year, .include_cancelled = true };
	enum pv_status status;

	p->year = o->school_year;
	pv_school_year_bounds(p->year, &p->year_first, &p->year_last);
	p->days = (int)(p->year_last - p->year_first + 1);
	status = pv_rules_load(p->db, &p->rules, p->err);
	if (status == PV_OK)
		status = pv_roster_load(p->db, p->rules, &p->roster, p->err);
	if (status == PV_OK)
		status = pv_calendar_load_with_rules(p->db, p->rules, p->year, &p->cal, p->err);
	if (status == PV_OK)
		status = pv_plan_load(p->db, &filter, &p->stored, p->err);
	if (status == PV_OK)
		status = index_stored(p);
	if (status != PV_OK)
		return status;
	p->substitute_policy = strcmp(pv_rules_str(p->rules, "clash_policy"), "substitute") == 0;
	p->people = pv_roster_people(p->roster, &p->npeople);
	p->busy = calloc(p->npeople * (size_t)p->days + 1, sizeof *p->busy);
	if (!p->busy)
		return oom(p);
	cache_ranks(p);
	p->result->fallback_calendar = pv_calendar_is_fallback(p->cal);
	return PV_OK;
}

static int note_order(const void *a, const void *b)
{
	const struct pv_plan_note *x = a, *y = b;
	int c;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if ((c = strcmp(x->unit, y->unit)) != 0)
		return c;
	return strcmp(x->what, y->what);
}

enum pv_status pv_schedule_generate(struct pv_db *db, const struct pv_generate_options *opts,
				    struct pv_generate_result *result, struct pv_error *err)
{
	struct planner p = { .db = db, .result = result, .err = err };
	enum pv_status status;

	memset(result, 0, sizeof *result);
	status = planner_load(&p, opts);
	for (size_t i = 0; status == PV_OK && i < pv_plan_count(p.stored); i++) {
		const struct pv_meeting *m = pv_plan_at(p.stored, i);
		if (kept_as_is(m, opts)) {
			occupy_meeting(&p, m);
			result->kept++;
		}
	}
	if (status == PV_OK)
		status = build_slots(&p, opts);
	if (status == PV_OK) {
		set_windows(&p);
		status = count_demand(&p);
	}
	if (status == PV_OK)
		status = place_all(&p);
	for (size_t i = 0; status == PV_OK && i < p.nslots; i++)
		if (p.slots[i].placed && !is_kept(p.slots[i].existing))
			result->planned++;
	if (status == PV_OK && !opts->dry_run) {
		status = store_plan(&p, opts);
		if (status == PV_OK) {
			struct pv_plan_filter filter = { .school_year = p.year,
							 .include_cancelled = true };
			status = pv_plan_load(db, &filter, &result->plan, err);
		}
	} else if (status == PV_OK) {
		status = memory_plan(&p, opts);
	}
	if (status == PV_OK)
		status = spread_stats(&p);
	if (status == PV_OK && result->nnotes)
		qsort(result->notes, result->nnotes, sizeof *result->notes, note_order);
	planner_release(&p);
	if (status != PV_OK)
		pv_generate_result_release(result);
	return status;
}

void pv_generate_result_release(struct pv_generate_result *result)
{
	for (size_t i = 0; i < result->nnotes; i++) {
		free((char *)result->notes[i].what);
		free((char *)result->notes[i].unit);
	}
	free(result->notes);
	pv_plan_free(result->plan);
	memset(result, 0, sizeof *result);
}
