/* patvers team check: the roster against the rules (roles, groups, substitutes, load). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/calendar.h"
#include "team-internal.h"

struct finding {
	char *unit, *rule, *person, *detail;
};

struct findings {
	struct finding *items;
	size_t count, cap;
	bool oom;
};

static char *dup_or_null(const char *s, bool *oom)
{
	char *copy;

	if (!s)
		return NULL;
	copy = strdup(s);
	if (!copy)
		*oom = true;
	return copy;
}

static void add(struct findings *f, const char *unit, const char *rule, const char *person,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void add(struct findings *f, const char *unit, const char *rule, const char *person,
		const char *fmt, ...)
{
	char detail[512];
	struct finding *x;
	va_list ap;

	if (f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 32;
		struct finding *bigger = realloc(f->items, cap * sizeof *bigger);
		if (!bigger) {
			f->oom = true;
			return;
		}
		f->items = bigger;
		f->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	x = &f->items[f->count++];
	x->unit = dup_or_null(unit, &f->oom);
	x->rule = dup_or_null(rule, &f->oom);
	x->person = dup_or_null(person, &f->oom);
	x->detail = dup_or_null(detail, &f->oom);
}

static int cmp_opt(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c = cmp_opt(x->unit, y->unit);

	if (!c)
		c = cmp_opt(x->rule, y->rule);
	if (!c)
		c = cmp_opt(x->person, y->person);
	return c ? c : cmp_opt(x->detail, y->detail);
}

static bool has_role(const struct pv_roster *r, const char *unit, const char *role)
{
	size_t n;
	const struct pv_assignment *team = pv_roster_team(r, unit, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(team[i].role, role) == 0)
			return true;
	return false;
}

static bool in_list(const json_t *list, const char *s)
{
	const json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* Every role of the rules' list for the unit's kind; the ungdomstrinn
 * roles only where the school has grades 8–10. */
static void check_roles(const struct pv_roster *r, const struct pv_rules *rules,
			enum pv_unit_kind kind, struct findings *f)
{
	const json_t *need = pv_rules_get(rules, kind == PV_UNIT_SCHOOL ? "roles.school"
									: "roles.kindergarten");
	const json_t *upper = pv_rules_get(rules, "roles.ungdomstrinn_only");
	const struct pv_unit *const *units;
	size_t n, i;
	const json_t *v;

	units = pv_roster_units(r, kind, &n);
	for (size_t u = 0; u < n; u++) {
		json_array_foreach(need, i, v) {
			const char *role = json_string_value(v);
			if (!role || has_role(r, units[u]->slug, role))
				continue;
			if (kind == PV_UNIT_SCHOOL && units[u]->grade_to < 8 && in_list(upper, role))
				continue;
			add(f, units[u]->slug, "role", NULL, "no %s", role);
		}
	}
}

static void check_groups(const struct pv_roster *r, const struct pv_rules *rules,
			 struct findings *f)
{
	long long size = pv_rules_int(rules, "meetings.kindergarten_systemmote.group_size");
	const struct pv_unit *const *units;
	size_t n, members;

	units = pv_roster_units(r, PV_UNIT_GROUP, &n);
	for (size_t i = 0; i < n; i++) {
		pv_roster_group_members(r, units[i]->slug, &members);
		if ((long long)members != size)
			add(f, units[i]->slug, "group-size", NULL,
			    "%zu kindergarten%s, the rules want %lld", members,
			    members == 1 ? "" : "s", size);
	}
	units = pv_roster_units(r, PV_UNIT_KINDERGARTEN, &n);
	for (size_t i = 0; i < n; i++)
		if (!units[i]->group)
			add(f, units[i]->slug, "group", NULL, "in no kindergarten group");
}

static void check_substitutes(const struct pv_roster *r, struct findings *f)
{
	for (int k = PV_UNIT_SCHOOL; k <= PV_UNIT_KINDERGARTEN; k++) {
		const char *leader = r->leader[k == PV_UNIT_SCHOOL ? 0 : 1];
		size_t n, nt;
		const struct pv_unit *const *units = pv_roster_units(r, k, &n);

		for (size_t u = 0; leader && u < n; u++) {
			const struct pv_assignment *team = pv_roster_team(r, units[u]->slug, &nt);
			for (size_t i = 0; i < nt; i++)
				if (strcmp(team[i].role, leader) == 0 && !team[i].person->substitute)
					add(f, units[u]->slug, "substitute", team[i].person->slug,
					    "%s %s has no stedfortreder", leader,
					    team[i].person->slug);
		}
	}
}

/* The systemmøter one person must attend per half-year: one per school
 * and one per kindergarten group (or lone kindergarten) they serve. */
struct load {
	int units;
	int meetings;
	bool schools, kindergartens;
};

static struct load person_load(const struct pv_roster *r, const struct pv_person *p,
			       long long school_min, long long kg_min)
{
	struct load l = { 0 };
	const char *seen[256];
	size_t nseen = 0, n;
	const struct pv_assignment *a = pv_roster_serves(r, p->slug, &n);

	for (size_t i = 0; i < n; i++) {
		const struct pv_unit *u = a[i].unit;
		const char *meeting_unit = u->slug;
		bool known = false;

		if (u->kind == PV_UNIT_SERVICE)
			continue;
		if (u->kind == PV_UNIT_KINDERGARTEN && u->group)
			meeting_unit = u->group;
		for (size_t j = 0; j < nseen; j++)
			known = known || strcmp(seen[j], meeting_unit) == 0;
		if (known || nseen == 256)
			continue;
		seen[nseen++] = meeting_unit;
		l.units++;
		if (u->kind == PV_UNIT_SCHOOL) {
			l.schools = true;
			l.meetings += (int)school_min;
		} else {
			l.kindergartens = true;
			l.meetings += (int)kg_min;
		}
	}
	return l;
}

static void check_capacity(const struct pv_roster *r, const struct pv_rules *rules,
			   const int days[3], struct findings *f)
{
	long long school_min = pv_rules_int(rules, "meetings.school_systemmote.min_per_half");
	long long kg_min = pv_rules_int(rules, "meetings.kindergarten_systemmote.min_per_half");
	size_t n;
	const struct pv_person *const *people = pv_roster_people(r, &n);

	for (size_t i = 0; i < n; i++) {
		struct load l = person_load(r, people[i], school_min, kg_min);
		int avail;
		if (!l.units)
			continue;
		avail = days[l.schools && l.kindergartens ? 2 : l.schools ? 0 : 1];
		if (l.meetings > avail)
			add(f, people[i]->home, "capacity", people[i]->slug,
			    "%s serves %d meeting units: %d systemmøter per half-year, "
			    "but a half-year has %d meeting days", people[i]->slug, l.units,
			    l.meetings, avail);
	}
}

static void free_findings(struct findings *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].unit);
		free(f->items[i].rule);
		free(f->items[i].person);
		free(f->items[i].detail);
	}
	free(f->items);
}

enum pv_status pv_team_check(const struct pv_roster *r, const struct pv_rules *rules,
			     const int days[3], pv_team_finding_fn fn, void *arg,
			     int *count, struct pv_error *err)
{
	struct findings f = { 0 };

	check_roles(r, rules, PV_UNIT_SCHOOL, &f);
	check_roles(r, rules, PV_UNIT_KINDERGARTEN, &f);
	check_groups(r, rules, &f);
	check_substitutes(r, &f);
	check_capacity(r, rules, days, &f);
	if (f.oom) {
		free_findings(&f);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	if (f.count > 1)
		qsort(f.items, f.count, sizeof *f.items, cmp_finding);
	for (size_t i = 0; fn && i < f.count; i++) {
		struct pv_team_finding x = { f.items[i].unit, f.items[i].rule,
					     f.items[i].person, f.items[i].detail };
		fn(&x, arg);
	}
	if (count)
		*count = (int)f.count;
	free_findings(&f);
	return PV_OK;
}

/* ---- meeting days ---- */

static enum pv_status weekday_of(const struct pv_rules *rules, const char *path,
				 enum pv_weekday *w, struct pv_error *err)
{
	const char *name = pv_rules_str(rules, path);

	if (!name || !pv_weekday_parse(name, w))
		return pv_error_set(err, PV_EDATA, "rules: '%s' is not a weekday", path);
	return PV_OK;
}

/* Meeting days in from..to: [0] school, [1] kindergarten, [2] either. */
static void count_days(const struct pv_calendar *cal, pv_date from, pv_date to,
		       enum pv_weekday school_wd, enum pv_weekday kg_wd, int out[3])
{
	out[0] = out[1] = out[2] = 0;
	for (pv_date d = from; d <= to; d++) {
		enum pv_weekday w = pv_date_weekday(d);
		bool school = w == school_wd && pv_calendar_is_school_day(cal, NULL, d);
		bool kg = w == kg_wd && pv_calendar_is_kindergarten_day(cal, NULL, d);

		out[0] += school;
		out[1] += kg;
		out[2] += school || kg;
	}
}

enum pv_status pv_team_meeting_days(struct pv_db *db, const struct pv_rules *rules,
				    pv_date today, int days[3], bool *fallback,
				    struct pv_error *err)
{
	enum pv_weekday school_wd, kg_wd;
	struct pv_calendar *cal;
	pv_date first, last, from, to;
	enum pv_status status;
	int year = pv_school_year_of(today);
	int h2[3], h1[3];

	status = weekday_of(rules, "meetings.school_systemmote.weekday", &school_wd, err);
	if (status == PV_OK)
		status = weekday_of(rules, "meetings.kindergarten_systemmote.weekday", &kg_wd,
				    err);
	if (status == PV_OK)
		status = pv_calendar_load_with_rules(db, rules, year, &cal, err);
	if (status != PV_OK)
		return status;
	pv_calendar_bounds(cal, &first, &last);
	/* The school year's autumn half (H2 of its first year) and spring
	 * half (H1 of the next); the smaller one binds. */
	pv_half_bounds(year, 2, &from, &to);
	count_days(cal, from > first ? from : first, to, school_wd, kg_wd, h2);
	pv_half_bounds(year + 1, 1, &from, &to);
	count_days(cal, from, to < last ? to : last, school_wd, kg_wd, h1);
	for (int i = 0; i < 3; i++)
		days[i] = h1[i] < h2[i] ? h1[i] : h2[i];
	if (fallback)
		*fallback = pv_calendar_is_fallback(cal);
	pv_calendar_free(cal);
	return PV_OK;
}
