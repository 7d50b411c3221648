/* The roster in the database: reading it whole, writing what changed with audit rows. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/audit.h"
#include "team-internal.h"

static enum pv_status no_memory(struct pv_error *err)
{
	return pv_error_set(err, PV_ESOFTWARE, "out of memory");
}

static bool kind_from_name(const char *name, enum pv_unit_kind *kind)
{
	for (int k = 0; k < PV_UNIT_KINDS; k++)
		if (strcmp(name, pv_unit_kind_name(k)) == 0) {
			*kind = k;
			return true;
		}
	return false;
}

/* ---- reading the database ---- */

static const char *col_text(sqlite3_stmt *stmt, int col)
{
	return (const char *)sqlite3_column_text(stmt, col);
}

/* Four columns from `col` on: every_weeks, weekday, start, minutes. The
 * schema's checks hold the values in range; NULL reads as 0 (the rules). */
static void read_apen_dor(sqlite3_stmt *stmt, int col, struct pv_apen_dor_plan *plan)
{
	plan->every_weeks = sqlite3_column_int(stmt, col);
	if (!col_text(stmt, col + 1) || !pv_weekday_parse(col_text(stmt, col + 1),
							  &plan->weekday))
		plan->weekday = 0;
	if (!col_text(stmt, col + 2) || !pv_time_parse(col_text(stmt, col + 2), &plan->start))
		plan->start = 0;
	plan->minutes = sqlite3_column_int(stmt, col + 3);
}

static enum pv_status read_units(struct pv_roster *r, struct pv_db *db, struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;
	int rc;

	status = pv_db_prepare(db,
			       "SELECT slug, name, kind, grade_from, grade_to, group_slug, service,"
			       " apen_dor_every_weeks, apen_dor_weekday, apen_dor_start,"
			       " apen_dor_minutes FROM unit ORDER BY slug", &stmt, err);
	if (status != PV_OK)
		return status;
	while (status == PV_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct unit_rec u = { 0 };
		u.pub.slug = col_text(stmt, 0);
		u.pub.name = col_text(stmt, 1);
		u.pub.grade_from = sqlite3_column_int(stmt, 3);
		u.pub.grade_to = sqlite3_column_int(stmt, 4);
		u.pub.group = col_text(stmt, 5);
		u.pub.service = col_text(stmt, 6);
		read_apen_dor(stmt, 7, &u.pub.apen_dor);
		if (!kind_from_name(col_text(stmt, 2), &u.pub.kind))
			status = pv_error_set(err, PV_EDATA, "unit '%s' has an unknown kind",
					      u.pub.slug);
		/* Rows written by hand may lack the code; treat them as "annen". */
		else if (u.pub.kind == PV_UNIT_SERVICE && !u.pub.service)
			u.pub.service = "annen";
		if (status == PV_OK && !roster_put_unit(r, &u))
			status = no_memory(err);
	}
	if (status == PV_OK && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the units", err);
	sqlite3_finalize(stmt);
	return status;
}

static enum pv_status read_people(struct pv_roster *r, struct pv_db *db, struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;
	int rc;

	status = pv_db_prepare(db,
			       "SELECT slug, name, email, home_unit, substitute"
			       " FROM person ORDER BY slug", &stmt, err);
	if (status != PV_OK)
		return status;
	while (status == PV_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct person_rec p = { 0 };
		p.pub.slug = col_text(stmt, 0);
		p.pub.name = col_text(stmt, 1);
		p.pub.email = col_text(stmt, 2);
		p.pub.home = col_text(stmt, 3);
		p.pub.substitute = col_text(stmt, 4);
		if (!roster_put_person(r, &p))
			status = no_memory(err);
	}
	if (status == PV_OK && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the people", err);
	sqlite3_finalize(stmt);
	return status;
}

static enum pv_status read_assignments(struct pv_roster *r, struct pv_db *db,
				       struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;
	int rc;

	status = pv_db_prepare(db,
			       "SELECT person, unit, role FROM assignment"
			       " ORDER BY person, unit, role", &stmt, err);
	if (status != PV_OK)
		return status;
	/* The primary key makes rows unique: append without the duplicate scan. */
	while (status == PV_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct asg_rec *a;
		if (!team_grow((void **)&r->asg, &r->asg_cap, r->nasg, sizeof *r->asg)) {
			status = no_memory(err);
			break;
		}
		a = &r->asg[r->nasg];
		memset(a, 0, sizeof *a);
		a->person = roster_strdup(r, col_text(stmt, 0));
		a->unit = roster_strdup(r, col_text(stmt, 1));
		a->role = roster_strdup(r, col_text(stmt, 2));
		if (!a->person || !a->unit || !a->role)
			status = no_memory(err);
		else
			r->nasg++;
	}
	if (status == PV_OK && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the assignments", err);
	sqlite3_finalize(stmt);
	return status;
}

enum pv_status roster_read_db(struct pv_roster *r, struct pv_db *db, struct pv_error *err)
{
	enum pv_status status = read_units(r, db, err);

	if (status == PV_OK)
		status = read_people(r, db, err);
	if (status == PV_OK)
		status = read_assignments(r, db, err);
	return status;
}

enum pv_status roster_load_full(struct pv_db *db, const struct pv_rules *rules,
				struct pv_roster **out, struct pv_error *err)
{
	struct pv_rules *own = NULL;
	struct pv_roster *r = NULL;
	enum pv_status status = PV_OK;

	*out = NULL;
	if (!rules) {
		status = pv_rules_load(db, &own, err);
		rules = own;
	}
	if (status == PV_OK)
		status = roster_new(rules, &r, err);
	if (status == PV_OK)
		status = roster_read_db(r, db, err);
	if (status == PV_OK)
		status = roster_finish(r, err);
	if (r)
		r->rules = NULL;
	pv_rules_free(own);
	if (status != PV_OK) {
		pv_roster_free(r);
		return status;
	}
	*out = r;
	return PV_OK;
}

enum pv_status pv_roster_load(struct pv_db *db, const struct pv_rules *rules,
			      struct pv_roster **out, struct pv_error *err)
{
	return roster_load_full(db, rules, out, err);
}

/* ---- writing the difference ---- */

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool unit_equal(const struct pv_unit *a, const struct pv_unit *b)
{
	return strcmp(a->name, b->name) == 0 && a->kind == b->kind &&
	       a->grade_from == b->grade_from && a->grade_to == b->grade_to &&
	       same_str(a->group, b->group) && same_str(a->service, b->service) &&
	       memcmp(&a->apen_dor, &b->apen_dor, sizeof a->apen_dor) == 0;
}

static bool person_equal(const struct pv_person *a, const struct pv_person *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->email, b->email) == 0 &&
	       strcmp(a->home, b->home) == 0 && same_str(a->substitute, b->substitute);
}

static void bind_opt_text(sqlite3_stmt *stmt, int col, const char *s)
{
	if (s)
		sqlite3_bind_text(stmt, col, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, col);
}

/* 0 is stored as NULL: "not set". */
static void bind_opt_int(sqlite3_stmt *stmt, int col, int value)
{
	if (value)
		sqlite3_bind_int(stmt, col, value);
	else
		sqlite3_bind_null(stmt, col);
}

static enum pv_status run(struct pv_db *db, sqlite3_stmt *stmt, const char *what,
			  struct pv_error *err)
{
	enum pv_status status = PV_OK;

	if (sqlite3_step(stmt) != SQLITE_DONE)
		status = pv_db_fail(db, what, err);
	sqlite3_finalize(stmt);
	return status;
}

static enum pv_status audit(struct pv_db *db, const char *kind, const char *slug,
			    struct pv_error *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static enum pv_status audit(struct pv_db *db, const char *kind, const char *slug,
			    struct pv_error *err, const char *fmt, ...)
{
	char entity[160], summary[1024];
	va_list ap;

	snprintf(entity, sizeof entity, "%s:%s", kind, slug);
	va_start(ap, fmt);
	vsnprintf(summary, sizeof summary, fmt, ap);
	va_end(ap);
	return pv_audit_append(db, entity, summary, err);
}

/* "; åpen dør every 2 weeks, wednesday, 12:00, 90 min" with the school's
 * own values only; "" when it has none. */
static void describe_apen_dor(const struct pv_apen_dor_plan *plan, char *buf, size_t size)
{
	char every[32] = "", weekday[16] = "", start[16] = "", minutes[32] = "", hhmm[6];

	if (plan->every_weeks)
		snprintf(every, sizeof every, ", every %d weeks", plan->every_weeks);
	if (plan->weekday)
		snprintf(weekday, sizeof weekday, ", %s", pv_weekday_name(plan->weekday));
	if (plan->start)
		snprintf(start, sizeof start, ", %s", pv_time_format(plan->start, hhmm));
	if (plan->minutes)
		snprintf(minutes, sizeof minutes, ", %d min", plan->minutes);
	buf[0] = '\0';
	if (*every || *weekday || *start || *minutes)
		snprintf(buf, size, "; åpen dør%s%s%s%s", every, weekday, start, minutes);
}

static void describe_unit(const struct pv_unit *u, char *buf, size_t size)
{
	char plan[128];

	describe_apen_dor(&u->apen_dor, plan, sizeof plan);
	if (u->kind == PV_UNIT_SCHOOL)
		snprintf(buf, size, "%s, skole %d-%d%s", u->name, u->grade_from, u->grade_to,
			 plan);
	else if (u->group)
		snprintf(buf, size, "%s, %s in %s", u->name, pv_unit_type_name(u), u->group);
	else
		snprintf(buf, size, "%s, %s", u->name, pv_unit_type_name(u));
}

static enum pv_status write_unit(struct pv_db *db, const struct pv_unit *u, bool insert,
				 struct pv_error *err)
{
	static const char insert_sql[] =
		"INSERT INTO unit (name, kind, grade_from, grade_to, group_slug, service,"
		" apen_dor_every_weeks, apen_dor_weekday, apen_dor_start, apen_dor_minutes,"
		" slug) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char update_sql[] =
		"UPDATE unit SET name = ?, kind = ?, grade_from = ?, grade_to = ?,"
		" group_slug = ?, service = ?, apen_dor_every_weeks = ?, apen_dor_weekday = ?,"
		" apen_dor_start = ?, apen_dor_minutes = ? WHERE slug = ?";
	const struct pv_apen_dor_plan *plan = &u->apen_dor;
	char start[6];
	sqlite3_stmt *stmt;
	enum pv_status status;
	char what[600];

	status = pv_db_prepare(db, insert ? insert_sql : update_sql, &stmt, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(stmt, 1, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, pv_unit_kind_name(u->kind), -1, SQLITE_STATIC);
	if (u->kind == PV_UNIT_SCHOOL) {
		sqlite3_bind_int(stmt, 3, u->grade_from);
		sqlite3_bind_int(stmt, 4, u->grade_to);
	} else {
		sqlite3_bind_null(stmt, 3);
		sqlite3_bind_null(stmt, 4);
	}
	bind_opt_text(stmt, 5, u->group);
	bind_opt_text(stmt, 6, u->service);
	bind_opt_int(stmt, 7, plan->every_weeks);
	bind_opt_text(stmt, 8, plan->weekday ? pv_weekday_name(plan->weekday) : NULL);
	bind_opt_text(stmt, 9, plan->start ? pv_time_format(plan->start, start) : NULL);
	bind_opt_int(stmt, 10, plan->minutes);
	sqlite3_bind_text(stmt, 11, u->slug, -1, SQLITE_STATIC);
	status = run(db, stmt, "cannot store a unit", err);
	if (status != PV_OK)
		return status;
	describe_unit(u, what, sizeof what);
	return audit(db, "unit", u->slug, err, "%s unit %s (%s)", insert ? "added" : "changed",
		     u->slug, what);
}

/* Units whose kind is `groups` or not, new or changed: groups go first so
 * kindergartens can point at them. */
static enum pv_status put_units(struct pv_db *db, const struct pv_roster *old,
				const struct pv_roster *new, bool groups,
				struct pv_team_counts *c, struct pv_error *err)
{
	for (size_t i = 0; i < new->nall_units; i++) {
		const struct pv_unit *u = new->all_units[i];
		const struct pv_unit *was = pv_roster_unit(old, u->slug);
		enum pv_status status;

		if ((u->kind == PV_UNIT_GROUP) != groups || (was && unit_equal(u, was)))
			continue;
		status = write_unit(db, u, !was, err);
		if (status != PV_OK)
			return status;
		if (was)
			c->units_changed++;
		else
			c->units_added++;
	}
	return PV_OK;
}

static enum pv_status write_person(struct pv_db *db, const struct pv_person *p,
				   const struct pv_person *was, struct pv_error *err)
{
	static const char insert_sql[] =
		"INSERT INTO person (name, email, home_unit, slug) VALUES (?, ?, ?, ?)";
	static const char update_sql[] =
		"UPDATE person SET name = ?, email = ?, home_unit = ? WHERE slug = ?";
	sqlite3_stmt *stmt;
	enum pv_status status;

	status = pv_db_prepare(db, was ? update_sql : insert_sql, &stmt, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(stmt, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, p->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, p->home, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, p->slug, -1, SQLITE_STATIC);
	status = run(db, stmt, "cannot store a person", err);
	if (status != PV_OK)
		return status;
	return audit(db, "person", p->slug, err, "%s person %s (%s <%s>, %s, substitute %s)",
		     was ? "changed" : "added", p->slug, p->name, p->email, p->home,
		     p->substitute ? p->substitute : "none");
}

static enum pv_status write_substitute(struct pv_db *db, const struct pv_person *p,
				       struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;

	status = pv_db_prepare(db, "UPDATE person SET substitute = ? WHERE slug = ?", &stmt,
			       err);
	if (status != PV_OK)
		return status;
	bind_opt_text(stmt, 1, p->substitute);
	sqlite3_bind_text(stmt, 2, p->slug, -1, SQLITE_STATIC);
	return run(db, stmt, "cannot store a substitute", err);
}

/* People new or changed; substitutes in a second pass, when everyone
 * they may name exists. */
static enum pv_status put_people(struct pv_db *db, const struct pv_roster *old,
				 const struct pv_roster *new, struct pv_team_counts *c,
				 struct pv_error *err)
{
	enum pv_status status = PV_OK;

	for (size_t i = 0; status == PV_OK && i < new->nall_people; i++) {
		const struct pv_person *p = new->all_people[i];
		const struct pv_person *was = pv_roster_person(old, p->slug);
		if (was && person_equal(p, was))
			continue;
		status = write_person(db, p, was, err);
		if (was)
			c->people_changed++;
		else
			c->people_added++;
	}
	for (size_t i = 0; status == PV_OK && i < new->nall_people; i++) {
		const struct pv_person *p = new->all_people[i];
		const struct pv_person *was = pv_roster_person(old, p->slug);
		if (!same_str(p->substitute, was ? was->substitute : NULL))
			status = write_substitute(db, p, err);
	}
	return status;
}

static bool has_assignment(const struct pv_roster *r, const struct pv_assignment *a)
{
	size_t n;
	const struct pv_assignment *mine = pv_roster_serves(r, a->person->slug, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(mine[i].unit->slug, a->unit->slug) == 0 &&
		    strcmp(mine[i].role, a->role) == 0)
			return true;
	return false;
}

static enum pv_status write_assignment(struct pv_db *db, const struct pv_assignment *a,
				       bool insert, struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;

	status = pv_db_prepare(db,
			       insert ? "INSERT INTO assignment (person, unit, role) VALUES (?, ?, ?)"
				      : "DELETE FROM assignment WHERE person = ? AND unit = ?"
					" AND role = ?", &stmt, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(stmt, 1, a->person->slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, a->unit->slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, a->role, -1, SQLITE_STATIC);
	status = run(db, stmt, "cannot store an assignment", err);
	if (status != PV_OK)
		return status;
	if (insert)
		return audit(db, "person", a->person->slug, err, "assigned %s to %s as %s",
			     a->person->slug, a->unit->slug, a->role);
	return audit(db, "person", a->person->slug, err, "unassigned %s from %s as %s",
		     a->person->slug, a->unit->slug, a->role);
}

/* Assignments in `from` but not in `other`: deleted (insert false) or
 * added (insert true). */
static enum pv_status diff_assignments(struct pv_db *db, const struct pv_roster *from,
				       const struct pv_roster *other, bool insert, int *count,
				       struct pv_error *err)
{
	for (size_t i = 0; i < from->nassignments; i++) {
		const struct pv_assignment *a = &from->by_person[i];
		enum pv_status status;
		if (has_assignment(other, a))
			continue;
		status = write_assignment(db, a, insert, err);
		if (status != PV_OK)
			return status;
		(*count)++;
	}
	return PV_OK;
}

static enum pv_status delete_row(struct pv_db *db, const char *sql, const char *slug,
				 struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status = pv_db_prepare(db, sql, &stmt, err);

	if (status != PV_OK)
		return status;
	sqlite3_bind_text(stmt, 1, slug, -1, SQLITE_STATIC);
	return run(db, stmt, "cannot remove from the roster", err);
}

static enum pv_status drop_people(struct pv_db *db, const struct pv_roster *old,
				  const struct pv_roster *new, struct pv_team_counts *c,
				  struct pv_error *err)
{
	/* People who go may name each other as substitutes: unlink first. */
	for (size_t i = 0; i < old->nall_people; i++) {
		const struct pv_person *p = old->all_people[i];
		enum pv_status status;
		if (!p->substitute || pv_roster_person(new, p->slug))
			continue;
		status = delete_row(db, "UPDATE person SET substitute = NULL WHERE slug = ?",
				    p->slug, err);
		if (status != PV_OK)
			return status;
	}
	for (size_t i = 0; i < old->nall_people; i++) {
		const struct pv_person *p = old->all_people[i];
		enum pv_status status;
		if (pv_roster_person(new, p->slug))
			continue;
		status = delete_row(db, "DELETE FROM person WHERE slug = ?", p->slug, err);
		if (status == PV_OK)
			status = audit(db, "person", p->slug, err, "removed person %s (%s)",
				       p->slug, p->name);
		if (status != PV_OK)
			return status;
		c->people_removed++;
	}
	return PV_OK;
}

/* Kindergartens and the rest before groups, so no group is removed while a
 * removed kindergarten still points at it. */
static enum pv_status drop_units(struct pv_db *db, const struct pv_roster *old,
				 const struct pv_roster *new, bool groups,
				 struct pv_team_counts *c, struct pv_error *err)
{
	for (size_t i = 0; i < old->nall_units; i++) {
		const struct pv_unit *u = old->all_units[i];
		enum pv_status status;
		if ((u->kind == PV_UNIT_GROUP) != groups || pv_roster_unit(new, u->slug))
			continue;
		status = delete_row(db, "DELETE FROM unit WHERE slug = ?", u->slug, err);
		if (status == PV_OK)
			status = audit(db, "unit", u->slug, err, "removed unit %s (%s)", u->slug,
				       u->name);
		if (status != PV_OK)
			return status;
		c->units_removed++;
	}
	return PV_OK;
}

enum pv_status roster_apply(struct pv_db *db, const struct pv_roster *old,
			    const struct pv_roster *new, struct pv_team_counts *counts,
			    struct pv_error *err)
{
	struct pv_team_counts c = { 0 };
	enum pv_status status;

	status = diff_assignments(db, old, new, false, &c.assignments_removed, err);
	if (status == PV_OK)
		status = put_units(db, old, new, true, &c, err);
	if (status == PV_OK)
		status = put_units(db, old, new, false, &c, err);
	if (status == PV_OK)
		status = put_people(db, old, new, &c, err);
	if (status == PV_OK)
		status = diff_assignments(db, new, old, true, &c.assignments_added, err);
	if (status == PV_OK)
		status = drop_people(db, old, new, &c, err);
	if (status == PV_OK)
		status = drop_units(db, old, new, false, &c, err);
	if (status == PV_OK)
		status = drop_units(db, old, new, true, &c, err);
	if (status == PV_OK && counts)
		*counts = c;
	return status;
}

