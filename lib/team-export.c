/* Writing the roster as the units.csv and people.csv that import reads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/csvio.h"
#include "patvers/output.h"
#include "team-internal.h"

static enum pv_status no_memory(struct pv_error *err)
{
	return pv_error_set(err, PV_ESOFTWARE, "out of memory");
}

static void put_field(FILE *fp, const char *value, bool last)
{
	pv_csv_write_field(fp, value, ';');
	fputs(last ? "\r\n" : ";", fp);
}

/* The school's own «Åpen dør» values; empty cells take the rules'. */
static void export_apen_dor(FILE *fp, const struct pv_apen_dor_plan *plan)
{
	char start[6] = "", minutes[8] = "", every[8] = "";

	if (plan->start)
		pv_time_format(plan->start, start);
	if (plan->minutes)
		snprintf(minutes, sizeof minutes, "%d", plan->minutes);
	if (plan->every_weeks)
		snprintf(every, sizeof every, "%d", plan->every_weeks);
	put_field(fp, plan->weekday ? pv_weekday_norwegian(plan->weekday) : "", false);
	put_field(fp, start, false);
	put_field(fp, minutes, false);
	put_field(fp, every, true);
}

static void export_unit(FILE *fp, const struct pv_unit *u, bool plans)
{
	char grades[16] = "";

	if (u->kind == PV_UNIT_SCHOOL)
		snprintf(grades, sizeof grades, "%d-%d", u->grade_from, u->grade_to);
	put_field(fp, u->slug, false);
	put_field(fp, u->name, false);
	put_field(fp, pv_unit_type_name(u), false);
	put_field(fp, grades, false);
	put_field(fp, u->group ? u->group : "", !plans);
	if (plans)
		export_apen_dor(fp, &u->apen_dor);
}

/* Does any school have its own «Åpen dør» plan? Only then are its
 * columns written, so a roster without one exports as it was imported. */
static bool any_apen_dor(const struct pv_roster *r)
{
	static const struct pv_apen_dor_plan none;
	size_t n;
	const struct pv_unit *const *schools = pv_roster_units(r, PV_UNIT_SCHOOL, &n);

	for (size_t i = 0; i < n; i++)
		if (memcmp(&schools[i]->apen_dor, &none, sizeof none) != 0)
			return true;
	return false;
}

/* The export order: schools; each group followed by its kindergartens;
 * kindergartens without a group; services. Fills `order` (nall_units). */
static size_t unit_order(const struct pv_roster *r, const struct pv_unit **order)
{
	const struct pv_unit *const *list;
	size_t n = 0, count;

	list = pv_roster_units(r, PV_UNIT_SCHOOL, &count);
	for (size_t i = 0; i < count; i++)
		order[n++] = list[i];
	list = pv_roster_units(r, PV_UNIT_GROUP, &count);
	for (size_t i = 0; i < count; i++) {
		size_t nm;
		const struct pv_unit *const *members = pv_roster_group_members(r, list[i]->slug,
									      &nm);
		order[n++] = list[i];
		for (size_t j = 0; j < nm; j++)
			order[n++] = members[j];
	}
	list = pv_roster_units(r, PV_UNIT_KINDERGARTEN, &count);
	for (size_t i = 0; i < count; i++) {
		const struct pv_unit *g = list[i]->group ? pv_roster_unit(r, list[i]->group)
							 : NULL;
		if (!g || g->kind != PV_UNIT_GROUP)
			order[n++] = list[i];
	}
	list = pv_roster_units(r, PV_UNIT_SERVICE, &count);
	for (size_t i = 0; i < count; i++)
		order[n++] = list[i];
	return n;
}

/* Appends to a growing string; false when out of memory. */
struct text {
	char *s;
	size_t len, cap;
};

static bool text_add(struct text *t, const char *a, const char *b)
{
	size_t need = t->len + strlen(a) + (b ? strlen(b) : 0) + 1;

	if (need > t->cap) {
		size_t cap = need * 2;
		char *bigger = realloc(t->s, cap);
		if (!bigger)
			return false;
		t->s = bigger;
		t->cap = cap;
	}
	t->len += (size_t)sprintf(t->s + t->len, "%s%s", a, b ? b : "");
	return true;
}

static bool listed(const char *const *items, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i], s) == 0)
			return true;
	return false;
}

/*
 * The role and units cells for one person. When the assignments are
 * every role × every unit, both are plain lists; otherwise the most used
 * role (ties: the one held at the home unit) is the role cell and the
 * units cell spells out the others as UNIT:ROLE. Either way import reads back exactly these assignments.
 */
static bool assignment_cells(const struct pv_assignment *a, size_t n, const char *home,
			     struct text *roles, struct text *units)
{
	const char **role = malloc((n + 1) * sizeof *role);
	const char **unit = malloc((n + 1) * sizeof *unit);
	size_t nr = 0, nu = 0, best = 0, best_count = 0;
	bool ok = role && unit;

	for (size_t i = 0; ok && i < n; i++) {
		if (!listed(role, nr, a[i].role))
			role[nr++] = a[i].role;
		if (!listed(unit, nu, a[i].unit->slug))
			unit[nu++] = a[i].unit->slug;
	}
	/* Role names sorted, for a cell that does not depend on the order
	 * the assignments were made in. */
	for (size_t i = 1; ok && i < nr; i++)
		for (size_t j = i; j > 0 && strcmp(role[j - 1], role[j]) > 0; j--) {
			const char *tmp = role[j];
			role[j] = role[j - 1];
			role[j - 1] = tmp;
		}
	if (ok && nr * nu == n) {
		for (size_t i = 0; ok && i < nr; i++)
			ok = text_add(roles, i ? ", " : "", role[i]);
		for (size_t i = 0; ok && i < nu; i++)
			ok = text_add(units, i ? ", " : "", unit[i]);
		goto out;
	}
	/* Two points a use, one more at home: "rektor" beats "medlem". */
	for (size_t i = 0; i < nr; i++) {
		size_t c = 0;
		for (size_t j = 0; j < n; j++)
			if (strcmp(a[j].role, role[i]) == 0)
				c += 2 + (strcmp(a[j].unit->slug, home) == 0);
		if (c > best_count) {
			best = i;
			best_count = c;
		}
	}
	ok = ok && text_add(roles, "", role[best]);
	for (size_t i = 0; ok && i < n; i++) {
		bool main = strcmp(a[i].role, role[best]) == 0;
		ok = text_add(units, units->len ? ", " : "", a[i].unit->slug) &&
		     (main || text_add(units, ":", a[i].role));
	}
out:
	free(role);
	free(unit);
	return ok;
}

static bool export_person(FILE *fp, const struct pv_roster *r, const struct pv_person *p)
{
	struct text roles = { 0 }, units = { 0 };
	size_t n;
	const struct pv_assignment *a = pv_roster_serves(r, p->slug, &n);
	bool ok = text_add(&roles, "", NULL) && text_add(&units, "", NULL) &&
		  assignment_cells(a, n, p->home, &roles, &units);

	if (ok) {
		put_field(fp, p->slug, false);
		put_field(fp, p->name, false);
		put_field(fp, p->email, false);
		put_field(fp, p->home, false);
		put_field(fp, roles.s, false);
		put_field(fp, units.s, false);
		put_field(fp, p->substitute ? p->substitute : "", true);
	}
	free(roles.s);
	free(units.s);
	return ok;
}

static void export_header(FILE *fp, const struct pv_csv_column *spec, size_t n)
{
	fputs("\xef\xbb\xbf", fp);
	for (size_t i = 0; i < n; i++)
		put_field(fp, spec[i].name, i + 1 == n);
}

static bool export_people(FILE *fp, const struct pv_roster *r,
			  const struct pv_unit **order, size_t norder)
{
	size_t np;
	const struct pv_person *const *people = pv_roster_people(r, &np);
	bool ok = true;

	export_header(fp, team_person_columns, TEAM_PERSON_COLUMNS);
	/* By home unit in the units file's order, then id. */
	for (size_t u = 0; ok && u < norder; u++)
		for (size_t i = 0; ok && i < np; i++)
			if (strcmp(people[i]->home, order[u]->slug) == 0)
				ok = export_person(fp, r, people[i]);
	return ok;
}

enum pv_status pv_roster_export(const struct pv_roster *r, FILE *units, FILE *people,
				struct pv_error *err)
{
	const struct pv_unit **order = malloc((r->nall_units + 1) * sizeof *order);
	size_t n;
	bool ok = true;

	if (!order)
		return no_memory(err);
	n = unit_order(r, order);
	if (units) {
		bool plans = any_apen_dor(r);
		export_header(units, team_unit_columns,
			      TEAM_UNIT_COLUMNS - (plans ? 0 : TEAM_UNIT_PLAN_COLUMNS));
		for (size_t i = 0; i < n; i++)
			export_unit(units, order[i], plans);
	}
	if (people)
		ok = export_people(people, r, order, n);
	free(order);
	if (!ok)
		return no_memory(err);
	if ((units && (fflush(units) != 0 || ferror(units))) ||
	    (people && (fflush(people) != 0 || ferror(people))))
		return pv_error_set(err, PV_EIO, "cannot write the roster: %s",
				    strerror(errno));
	return PV_OK;
}

enum pv_status pv_team_export(struct pv_db *db, FILE *units, FILE *people,
			      struct pv_error *err)
{
	struct pv_roster *r;
	enum pv_status status = pv_roster_load(db, NULL, &r, err);

	if (status != PV_OK)
		return status;
	status = pv_roster_export(r, units, people, err);
	pv_roster_free(r);
	return status;
}
