/* patvers team: the roster of units and staff — import, export, edit, show, check. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/team.h"

/* ---- import ---- */

static void out_counts(struct pv_out *out, const struct pv_team_counts *c)
{
	pv_out_int(out, "units_read", c->units_read);
	pv_out_int(out, "people_read", c->people_read);
	pv_out_int(out, "units_added", c->units_added);
	pv_out_int(out, "units_changed", c->units_changed);
	pv_out_int(out, "units_removed", c->units_removed);
	pv_out_int(out, "people_added", c->people_added);
	pv_out_int(out, "people_changed", c->people_changed);
	pv_out_int(out, "people_removed", c->people_removed);
	pv_out_int(out, "assignments_added", c->assignments_added);
	pv_out_int(out, "assignments_removed", c->assignments_removed);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int import_files(struct cmd_ctx *ctx, const char *units_path,
			const char *people_path, const struct pv_team_import_options *opts,
			struct pv_team_counts *counts)
{
	char *units = NULL, *people = NULL;
	size_t units_len = 0, people_len = 0;
	int status;

	if (strcmp(units_path, "-") == 0 && strcmp(people_path, "-") == 0)
		return cmd_usage_error(ctx, "only one of the files can be '-'");
	status = cmd_read_file(ctx, units_path, &units, &units_len);
	if (status == PV_OK)
		status = cmd_read_file(ctx, people_path, &people, &people_len);
	if (status == PV_OK)
		status = pv_team_import(ctx->db, units, units_len,
					strcmp(units_path, "-") ? units_path : "<stdin>",
					people, people_len,
					strcmp(people_path, "-") ? people_path : "<stdin>",
					opts, counts, &ctx->err);
	free(units);
	free(people);
	return status;
}

static int exec_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "replace", no_argument, NULL, 'r' },
		{ "force", no_argument, NULL, 'f' },
		{ 0 },
	};
	struct pv_team_import_options opts = { 0 };
	struct pv_team_counts counts = { 0 };
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "f", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		if (c == 'r')
			opts.replace = true;
		else
			opts.force = true;
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (argc - optind == 1) {
		if (!is_dir(argv[optind]))
			return cmd_usage_error(ctx, "'%s' is not a folder; give UNITS.csv and "
					       "PEOPLE.csv, or a folder holding both",
					       argv[optind]);
		status = pv_team_import_dir(ctx->db, argv[optind], &opts, &counts, &ctx->err);
	} else {
		status = import_files(ctx, argv[optind], argv[optind + 1], &opts, &counts);
	}
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "team-import");
	out_counts(ctx->out, &counts);
	return PV_OK;
}

/* ---- export ---- */

/* Opens `dir`/`name` for writing; never overwrites without force. */
static FILE *create_in(struct cmd_ctx *ctx, const char *dir, const char *name, bool force,
		       char *path, size_t size, int *status)
{
	int fd;
	FILE *fp;

	snprintf(path, size, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0666);
	if (fd < 0) {
		*status = pv_error_set(&ctx->err, PV_ECANTCREAT, "cannot create '%s': %s%s",
				       path, strerror(errno),
				       errno == EEXIST ? " (use --force to overwrite)" : "");
		return NULL;
	}
	fp = fdopen(fd, "wb");
	if (!fp) {
		close(fd);
		*status = pv_error_set(&ctx->err, PV_ECANTCREAT, "cannot create '%s': %s", path,
				       strerror(errno));
	}
	return fp;
}

static int close_file(struct cmd_ctx *ctx, FILE *fp, const char *path, int status)
{
	if (fp && fclose(fp) != 0 && status == PV_OK)
		status = pv_error_set(&ctx->err, PV_EIO, "cannot write '%s': %s", path,
				      strerror(errno));
	return status;
}

static int export_dir(struct cmd_ctx *ctx, const char *dir, bool force)
{
	char units_path[4096], people_path[4096];
	FILE *units = NULL, *people = NULL;
	int status = PV_OK;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return pv_error_set(&ctx->err, PV_ECANTCREAT, "cannot create folder '%s': %s",
				    dir, strerror(errno));
	units = create_in(ctx, dir, "units.csv", force, units_path, sizeof units_path,
			  &status);
	if (units)
		people = create_in(ctx, dir, "people.csv", force, people_path,
				   sizeof people_path, &status);
	if (people)
		status = pv_team_export(ctx->db, units, people, &ctx->err);
	status = close_file(ctx, units, units_path, status);
	status = close_file(ctx, people, people_path, status);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "team-export");
	pv_out_str(ctx->out, "units", units_path);
	pv_out_str(ctx->out, "people", people_path);
	return PV_OK;
}

static int exec_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "units", no_argument, NULL, 'u' },
		{ "people", no_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ 0 },
	};
	bool units = false, people = false, force = false;
	int c;

	while ((c = cmd_getopt(ctx, argc, argv, "f", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		units = units || c == 'u';
		people = people || c == 'p';
		force = force || c == 'f';
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if ((argc > optind) + units + people != 1)
		return cmd_usage_error(ctx, "give a FOLDER, or --units or --people for "
				       "standard output");
	if (argc > optind)
		return export_dir(ctx, argv[optind], force);
	/* The file itself is the output: nothing goes through the emitter. */
	return pv_team_export(ctx->db, units ? stdout : NULL, people ? stdout : NULL,
			      &ctx->err);
}

/* ---- list and show ---- */

static int load(struct cmd_ctx *ctx, struct pv_roster **roster)
{
	return pv_roster_load(ctx->db, NULL, roster, &ctx->err);
}

static void out_grades(struct pv_out *out, const struct pv_unit *u)
{
	char grades[16];

	if (u->kind != PV_UNIT_SCHOOL) {
		pv_out_null(out, "grades");
		return;
	}
	snprintf(grades, sizeof grades, "%d-%d", u->grade_from, u->grade_to);
	pv_out_str(out, "grades", grades);
}

static void list_units(struct cmd_ctx *ctx, const struct pv_roster *r, const char *type)
{
	static const char *const columns[] = { "id", "name", "type", "grades", "group",
					       "people", NULL };
	enum pv_unit_kind kind = PV_UNIT_SCHOOL;
	const char *service = NULL;
	const struct pv_unit *const *units;
	size_t n, members;

	if (type)
		pv_unit_type_parse(type, &kind, &service);
	units = pv_roster_all_units(r, &n);
	pv_out_begin_table(ctx->out, "units", columns);
	for (size_t i = 0; i < n; i++) {
		const struct pv_unit *u = units[i];
		/* "tjeneste"/"annen" means every service; a code means that one */
		bool any_service = service && strcmp(service, "annen") == 0;
		if (type && (u->kind != kind || (service && !any_service &&
						  strcmp(service, u->service) != 0)))
			continue;
		pv_roster_team(r, u->slug, &members);
		pv_out_begin_record(ctx->out);
		pv_out_str(ctx->out, "id", u->slug);
		pv_out_str(ctx->out, "name", u->name);
		pv_out_str(ctx->out, "type", pv_unit_type_name(u));
		out_grades(ctx->out, u);
		pv_out_str(ctx->out, "group", u->group);
		pv_out_int(ctx->out, "people", (long long)members);
		pv_out_end_record(ctx->out);
	}
	pv_out_end_table(ctx->out);
}

/* Roles and units a person serves, each once, as two lists. */
static void out_serves(struct pv_out *out, const struct pv_roster *r, const char *person)
{
	size_t n;
	const struct pv_assignment *a = pv_roster_serves(r, person, &n);

	pv_out_begin_list(out, "roles");
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen = seen || strcmp(a[j].role, a[i].role) == 0;
		if (!seen)
			pv_out_str(out, NULL, a[i].role);
	}
	pv_out_end_list(out);
	pv_out_begin_list(out, "units");
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(a[i - 1].unit->slug, a[i].unit->slug) != 0)
			pv_out_str(out, NULL, a[i].unit->slug);
	pv_out_end_list(out);
}

static void person_record(struct cmd_ctx *ctx, const struct pv_roster *r,
			  const struct pv_person *p)
{
	pv_out_begin_record(ctx->out);
	pv_out_str(ctx->out, "id", p->slug);
	pv_out_str(ctx->out, "name", p->name);
	pv_out_str(ctx->out, "email", p->email);
	pv_out_str(ctx->out, "home", p->home);
	out_serves(ctx->out, r, p->slug);
	pv_out_str(ctx->out, "substitute", p->substitute);
	pv_out_end_record(ctx->out);
}

static const char *const people_columns[] = { "id", "name", "email", "home", "roles",
					      "units", "substitute", NULL };

static void list_people(struct cmd_ctx *ctx, const struct pv_roster *r)
{
	size_t n;
	const struct pv_person *const *people = pv_roster_people(r, &n);

	pv_out_begin_table(ctx->out, "people", people_columns);
	for (size_t i = 0; i < n; i++)
		person_record(ctx, r, people[i]);
	pv_out_end_table(ctx->out);
}

static int exec_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "people", no_argument, NULL, 'p' },
		{ 0 },
	};
	const char *type = NULL;
	bool people = false;
	struct pv_roster *r;
	enum pv_unit_kind kind;
	const char *service;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "k:", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		if (c == 'k')
			type = optarg;
		else
			people = true;
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (type && people)
		return cmd_usage_error(ctx, "--kind lists units; it does not go with --people");
	if (type && !pv_unit_type_parse(type, &kind, &service))
		return cmd_usage_error(ctx, "unknown kind '%s' (skole, barnehage, "
				       "barnehagegruppe, tjeneste or a service code)", type);
	status = load(ctx, &r);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, people ? "team-people" : "team-units");
	if (people)
		list_people(ctx, r);
	else
		list_units(ctx, r, type);
	pv_roster_free(r);
	return PV_OK;
}

static void team_rows(struct cmd_ctx *ctx, const struct pv_roster *r, const char *unit)
{
	size_t n;
	const struct pv_assignment *team = pv_roster_team(r, unit, &n);

	for (size_t i = 0; i < n; i++) {
		const struct pv_person *p = team[i].person;
		pv_out_begin_record(ctx->out);
		pv_out_str(ctx->out, "unit", unit);
		pv_out_str(ctx->out, "role", team[i].role);
		pv_out_str(ctx->out, "person", p->slug);
		pv_out_str(ctx->out, "name", p->name);
		pv_out_str(ctx->out, "email", p->email);
		pv_out_str(ctx->out, "substitute", p->substitute);
		pv_out_end_record(ctx->out);
	}
}

/* The «Åpen dør» plan in force for a school, and which of its values are
 * the school's own (the rest are the rules'). */
static void out_apen_dor(struct pv_out *out, const struct pv_unit *school,
			 const struct pv_rules *rules)
{
	struct pv_apen_dor_plan plan = pv_unit_apen_dor(school, rules);
	const struct pv_apen_dor_plan *own = &school->apen_dor;
	char start[6], end[6];

	pv_out_begin_map(out, "apen_dor");
	pv_out_word(out, "weekday", pv_weekday_name(plan.weekday));
	pv_out_str(out, "start", pv_time_format(plan.start, start));
	pv_out_str(out, "end", pv_time_format(plan.start + plan.minutes, end));
	pv_out_int(out, "every_weeks", plan.every_weeks);
	pv_out_begin_list(out, "school_sets");
	if (own->weekday)
		pv_out_str(out, NULL, "weekday");
	if (own->start)
		pv_out_str(out, NULL, "start");
	if (own->minutes)
		pv_out_str(out, NULL, "minutes");
	if (own->every_weeks)
		pv_out_str(out, NULL, "every_weeks");
	pv_out_end_list(out);
	pv_out_end_map(out);
}

static void show_unit(struct cmd_ctx *ctx, const struct pv_roster *r,
		      const struct pv_rules *rules, const struct pv_unit *u)
{
	static const char *const unit_cols[] = { "role", "person", "name", "email",
						 "substitute", NULL };
	static const char *const group_cols[] = { "unit", "role", "person", "name", "email",
						  "substitute", NULL };
	const struct pv_unit *const *members;
	size_t nm, np;

	pv_out_begin(ctx->out, "team");
	pv_out_str(ctx->out, "id", u->slug);
	pv_out_str(ctx->out, "name", u->name);
	pv_out_str(ctx->out, "type", pv_unit_type_name(u));
	if (u->kind == PV_UNIT_SCHOOL) {
		out_grades(ctx->out, u);
		out_apen_dor(ctx->out, u, rules);
	}
	if (u->kind == PV_UNIT_KINDERGARTEN)
		pv_out_str(ctx->out, "group", u->group);
	members = pv_roster_group_members(r, u->slug, &nm);
	if (u->kind == PV_UNIT_GROUP) {
		pv_out_begin_list(ctx->out, "members");
		for (size_t i = 0; i < nm; i++)
			pv_out_str(ctx->out, NULL, members[i]->slug);
		pv_out_end_list(ctx->out);
	}
	pv_out_begin_table(ctx->out, "team", u->kind == PV_UNIT_GROUP ? group_cols : unit_cols);
	team_rows(ctx, r, u->slug);
	for (size_t i = 0; i < nm; i++)
		team_rows(ctx, r, members[i]->slug);
	pv_out_end_table(ctx->out);
	if (u->kind != PV_UNIT_SERVICE)
		return;
	/* A service's own staff, wherever they serve. */
	pv_out_begin_table(ctx->out, "staff", people_columns);
	{
		const struct pv_person *const *people = pv_roster_people(r, &np);
		for (size_t i = 0; i < np; i++)
			if (strcmp(people[i]->home, u->slug) == 0)
				person_record(ctx, r, people[i]);
	}
	pv_out_end_table(ctx->out);
}

static void show_person(struct cmd_ctx *ctx, const struct pv_roster *r,
			const struct pv_person *p)
{
	static const char *const cols[] = { "unit", "name", "role", NULL };
	size_t n;
	const struct pv_assignment *a = pv_roster_serves(r, p->slug, &n);

	pv_out_begin(ctx->out, "team-person");
	pv_out_str(ctx->out, "id", p->slug);
	pv_out_str(ctx->out, "name", p->name);
	pv_out_str(ctx->out, "email", p->email);
	pv_out_str(ctx->out, "home", p->home);
	pv_out_str(ctx->out, "substitute", p->substitute);
	pv_out_begin_table(ctx->out, "serves", cols);
	for (size_t i = 0; i < n; i++) {
		pv_out_begin_record(ctx->out);
		pv_out_str(ctx->out, "unit", a[i].unit->slug);
		pv_out_str(ctx->out, "name", a[i].unit->name);
		pv_out_str(ctx->out, "role", a[i].role);
		pv_out_end_record(ctx->out);
	}
	pv_out_end_table(ctx->out);
}

static int exec_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct pv_unit *u;
	const struct pv_person *p;
	struct pv_roster *r;
	struct pv_rules *rules;
	int status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	status = pv_rules_load(ctx->db, &rules, &ctx->err);
	if (status != PV_OK)
		return status;
	status = pv_roster_load(ctx->db, rules, &r, &ctx->err);
	if (status != PV_OK) {
		pv_rules_free(rules);
		return status;
	}
	u = pv_roster_unit(r, argv[optind]);
	p = pv_roster_person(r, argv[optind]);
	if (u)
		show_unit(ctx, r, rules, u);
	else if (p)
		show_person(ctx, r, p);
	else
		status = pv_error_set(&ctx->err, PV_EDATA, "no unit or person '%s' (see "
				      "'patvers team list')", argv[optind]);
	pv_roster_free(r);
	pv_rules_free(rules);
	return status;
}

/* ---- add, assign, unassign, remove ---- */

static int exec_add_unit(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "grades", required_argument, NULL, 'g' },
		{ "group", required_argument, NULL, 'G' },
		{ "update", no_argument, NULL, 'u' },
		{ "apen-dor-weekday", required_argument, NULL, 'W' },
		{ "apen-dor-start", required_argument, NULL, 'S' },
		{ "apen-dor-minutes", required_argument, NULL, 'M' },
		{ "apen-dor-every", required_argument, NULL, 'E' },
		{ 0 },
	};
	struct pv_unit_spec spec = { 0 };
	bool update = false;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "t:", longopts)) != -1) {
		switch (c) {
		case 't': spec.type = optarg; break;
		case 'g': spec.grades = optarg; break;
		case 'G': spec.group = optarg; break;
		case 'u': update = true; break;
		case 'W': spec.apen_dor_weekday = optarg; break;
		case 'S': spec.apen_dor_start = optarg; break;
		case 'M': spec.apen_dor_minutes = optarg; break;
		case 'E': spec.apen_dor_every = optarg; break;
		default: return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (!update && (argc - optind < 2 || !spec.type))
		return cmd_usage_error(ctx, "a new unit needs ID, NAME and --type");
	spec.slug = argv[optind];
	spec.name = argc - optind > 1 ? argv[optind + 1] : NULL;
	status = pv_team_add_unit(ctx->db, &spec, update, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "team-add-unit");
	pv_out_str(ctx->out, update ? "updated" : "added", spec.slug);
	return PV_OK;
}

static int exec_add_person(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "home", required_argument, NULL, 'H' },
		{ "role", required_argument, NULL, 'r' },
		{ "serves", required_argument, NULL, 's' },
		{ "substitute", required_argument, NULL, 'S' },
		{ "update", no_argument, NULL, 'u' },
		{ 0 },
	};
	struct pv_person_spec spec = { 0 };
	bool update = false;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "r:", longopts)) != -1) {
		switch (c) {
		case 'H': spec.home = optarg; break;
		case 'r': spec.roles = optarg; break;
		case 's': spec.units = optarg; break;
		case 'S': spec.substitute = optarg; break;
		case 'u': update = true; break;
		default: return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (!update && (argc - optind < 3 || !spec.home))
		return cmd_usage_error(ctx, "a new person needs ID, NAME, EMAIL and --home");
	spec.slug = argv[optind];
	spec.name = argc - optind > 1 ? argv[optind + 1] : NULL;
	spec.email = argc - optind > 2 ? argv[optind + 2] : NULL;
	status = pv_team_add_person(ctx->db, &spec, update, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "team-add-person");
	pv_out_str(ctx->out, update ? "updated" : "added", spec.slug);
	return PV_OK;
}

static int exec_assign(struct cmd_ctx *ctx, int argc, char **argv)
{
	bool added;
	int status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	status = pv_team_assign(ctx->db, argv[optind], argv[optind + 1], argv[optind + 2],
				&added, &ctx->err);
	if (status != PV_OK)
		return status;
	if (!added)
		cmd_note(ctx, "'%s' already serves '%s' as %s", argv[optind], argv[optind + 1],
			 argv[optind + 2]);
	pv_out_begin(ctx->out, "team-assign");
	pv_out_str(ctx->out, "person", argv[optind]);
	pv_out_str(ctx->out, "unit", argv[optind + 1]);
	pv_out_bool(ctx->out, "added", added);
	return PV_OK;
}

static int exec_unassign(struct cmd_ctx *ctx, int argc, char **argv)
{
	int removed, status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	status = pv_team_unassign(ctx->db, argv[optind], argv[optind + 1],
				  argc - optind > 2 ? argv[optind + 2] : NULL, &removed,
				  &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "team-unassign");
	pv_out_str(ctx->out, "person", argv[optind]);
	pv_out_str(ctx->out, "unit", argv[optind + 1]);
	pv_out_int(ctx->out, "removed", removed);
	return PV_OK;
}

static void detached_row(const struct pv_team_dependent *d, void *arg)
{
	struct pv_out *out = arg;

	pv_out_begin_record(out);
	pv_out_str(out, "kind", d->kind);
	pv_out_str(out, "id", d->slug);
	pv_out_str(out, "detail", d->detail);
	pv_out_end_record(out);
}

static int exec_remove(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ 0 },
	};
	static const char *const cols[] = { "kind", "id", "detail", NULL };
	bool force = false;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "f", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		force = true;
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	/* The emitter renders only on success, so the records can go in now. */
	pv_out_begin(ctx->out, "team-remove");
	pv_out_str(ctx->out, "removed", argv[optind]);
	pv_out_begin_table(ctx->out, "detached", cols);
	status = pv_team_remove(ctx->db, argv[optind], force, detached_row, ctx->out,
				&ctx->err);
	pv_out_end_table(ctx->out);
	return status;
}

/* ---- check ---- */

static void finding_row(const struct pv_team_finding *f, void *arg)
{
	struct pv_out *out = arg;

	pv_out_begin_record(out);
	pv_out_str(out, "unit", f->unit);
	pv_out_str(out, "rule", f->rule);
	pv_out_str(out, "person", f->person);
	pv_out_str(out, "detail", f->detail);
	pv_out_end_record(out);
}

static int exec_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "exit-code", no_argument, NULL, 'e' },
		{ 0 },
	};
	static const char *const cols[] = { "unit", "rule", "person", "detail", NULL };
	struct pv_rules *rules = NULL;
	struct pv_roster *r = NULL;
	bool exit_code = false, fallback = false;
	int c, status, days[3], count = 0;
	pv_date today;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		exit_code = true;
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (!pv_date_parse(ctx->today, &today))
		return pv_error_set(&ctx->err, PV_EUSAGE, "today '%s' is not a date "
				    "(check PATVERS_TODAY)", ctx->today);
	status = pv_rules_load(ctx->db, &rules, &ctx->err);
	if (status == PV_OK)
		status = pv_roster_load(ctx->db, rules, &r, &ctx->err);
	if (status == PV_OK)
		status = pv_team_meeting_days(ctx->db, rules, today, days, &fallback, &ctx->err);
	/* A first pass counts, so the count can lead the document. */
	if (status == PV_OK)
		status = pv_team_check(r, rules, days, NULL, NULL, &count, &ctx->err);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "team-check");
		pv_out_int(ctx->out, "meeting_days", days[0]);
		pv_out_bool(ctx->out, "fallback_calendar", fallback);
		pv_out_int(ctx->out, "finding_count", count);
		if (!count)
			pv_out_note(ctx->out, "the roster meets the rules");
		pv_out_begin_table(ctx->out, "findings", cols);
		status = pv_team_check(r, rules, days, finding_row, ctx->out, NULL, &ctx->err);
		pv_out_end_table(ctx->out);
	}
	pv_roster_free(r);
	pv_rules_free(rules);
	if (status != PV_OK)
		return status;
	if (fallback)
		cmd_note(ctx, "no calendar imported for this school year: meeting days "
			 "counted as Monday-Friday minus public holidays");
	return count && exit_code ? PV_FINDINGS : PV_OK;
}

/* ---- the table ---- */

static const struct cmd_entry team_subs[] = {
	{
		.name = "import",
		.summary = N_("import units and people from CSV (all or nothing)"),
		.usage = "[--replace [--force]] UNITS.csv PEOPLE.csv | FOLDER",
		.help = N_("Reads the two files (or FOLDER/units.csv and FOLDER/people.csv) as\n"
			"Norwegian Excel saves them (';' or ',', UTF-8 with or without BOM,\n"
			"CRLF or LF); see patvers-team(1) for the columns. Records are added\n"
			"or updated by id; a person's row replaces what they serve. One bad\n"
			"row rejects the whole import with FILE:LINE:COLUMN (exit 65).\n"
			"\noptions:\n"
			"  --replace    the files become the whole roster: units and people\n"
			"               not in them are removed\n"
			"  -f, --force  with --replace: remove also what planned meetings use\n"),
		.min_args = 1,
		.max_args = 2,
		.needs = CMD_DB_WRITE,
		.exec = exec_import,
	},
	{
		.name = "export",
		.summary = N_("write the roster as units.csv and people.csv for import"),
		.usage = "[-f] FOLDER | --units | --people",
		.help = N_("Writes what import reads, as Norwegian Excel saves it (UTF-8 BOM,\n"
			"';', CRLF), in a fixed order, so export, import and export again\n"
			"give the same bytes.\n"
			"\noptions:\n"
			"  --units      write units.csv to standard output\n"
			"  --people     write people.csv to standard output\n"
			"  -f, --force  overwrite files in FOLDER\n"),
		.max_args = 1,
		.needs = CMD_DB_READ,
		.exec = exec_export,
	},
	{
		.name = "list",
		.summary = N_("list the units (or --people)"),
		.usage = "[--kind TYPE | --people]",
		.help = N_("options:\n"
			"  -k, --kind TYPE  only units of TYPE: skole, barnehage,\n"
			"                   barnehagegruppe, tjeneste (every service) or a\n"
			"                   service code (ppt, bfs, barnevern, helse, ke,\n"
			"                   naervaer, god-oppvekst, annen)\n"
			"  --people         list the people instead\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_list,
	},
	{
		.name = "show",
		.summary = N_("a unit's interdisciplinary team with contacts (or a person)"),
		.usage = "UNIT|PERSON",
		.help = N_("For a kindergarten group: its kindergartens and their teams. For a\n"
			"service: the people serving it and its own staff.\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_READ,
		.exec = exec_show,
	},
	{
		.name = "add-unit",
		.summary = N_("add a unit (or change one with --update)"),
		.usage = "[--update] [-t TYPE] [--grades FROM-TO] [--group GROUP] "
			 "[--apen-dor-weekday DAY] [--apen-dor-start HH:MM] "
			 "[--apen-dor-minutes N] [--apen-dor-every WEEKS] ID [NAME]",
		.help = N_("options:\n"
			"  -t, --type TYPE   skole, barnehage, barnehagegruppe or a service code\n"
			"  --grades FROM-TO  a school's grades, e.g. 1-7 or 8-10\n"
			"  --group GROUP     a kindergarten's group ('' for none)\n"
			"  --update          change an existing unit; options left out keep\n"
			"                    their value\n"
			"\n"
			"a school's own «Åpen dør» plan (the barnevern contact's presence\n"
			"hours); each value left out, or given as '', is the rules':\n"
			"  --apen-dor-weekday DAY   mandag–fredag (or monday–friday)\n"
			"  --apen-dor-start HH:MM   from 07:00 to 17:00\n"
			"  --apen-dor-minutes N     length, 15–420 minutes\n"
			"  --apen-dor-every WEEKS   1 every week, 2 every other week, … 8\n"),
		.min_args = 1,
		.max_args = 2,
		.needs = CMD_DB_WRITE,
		.exec = exec_add_unit,
	},
	{
		.name = "add-person",
		.summary = N_("add a person (or change one with --update)"),
		.usage = "[--update] [--home UNIT] [-r ROLES] [--serves UNITS] "
			 "[--substitute ID] ID [NAME [EMAIL]]",
		.help = N_("options:\n"
			"  --home UNIT        the unit or service they work in\n"
			"  -r, --role ROLES   role(s), comma-separated\n"
			"  --serves UNITS     units they serve in those roles (default: the\n"
			"                     home unit); UNIT:ROLE for another role there\n"
			"  --substitute ID    their stedfortreder ('' for none)\n"
			"  --update           change an existing person; options left out keep\n"
			"                     their value, and what they serve changes only\n"
			"                     with --role or --serves\n"),
		.min_args = 1,
		.max_args = 3,
		.needs = CMD_DB_WRITE,
		.exec = exec_add_person,
	},
	{
		.name = "assign",
		.summary = N_("let a person serve a unit in a role"),
		.usage = "PERSON UNIT ROLE",
		.min_args = 3,
		.max_args = 3,
		.needs = CMD_DB_WRITE,
		.exec = exec_assign,
	},
	{
		.name = "unassign",
		.summary = N_("stop a person serving a unit (in one role, or every role)"),
		.usage = "PERSON UNIT [ROLE]",
		.min_args = 2,
		.max_args = 3,
		.needs = CMD_DB_WRITE,
		.exec = exec_unassign,
	},
	{
		.name = "remove",
		.summary = N_("remove a unit or person; refuses while anything depends on it"),
		.usage = "[-f] UNIT|PERSON",
		.help = N_("Lists what depends on it (people serving or working there, the\n"
			"kindergartens of a group, people naming them as substitute, planned\n"
			"meetings) and refuses (exit 65).\n"
			"\noptions:\n"
			"  -f, --force  remove anyway: assignments go, kindergartens leave the\n"
			"               group, substitutes are cleared. A unit that is some\n"
			"               person's home, or anything meetings refer to, is\n"
			"               never removed.\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_remove,
	},
	{
		.name = "check",
		.summary = N_("check the roster against the rules"),
		.usage = "[--exit-code]",
		.help = N_("Finds schools and kindergartens without a required role (rådgiver\n"
			"only with grades 8-10), kindergartens outside a group, groups of the\n"
			"wrong size, leaders without a stedfortreder, and people who serve\n"
			"more units than the half-year's meeting days can hold.\n"
			"\noptions:\n"
			"  --exit-code  exit 1 when anything was found\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_check,
	},
	{ 0 },
};

const struct cmd_entry cmd_team_entry = {
	.name = "team",
	.summary = N_("the roster: units, staff, roles, substitutes"),
	.usage = "import|export|list|show|add-unit|add-person|assign|unassign|remove|check",
	.help = N_("types: skole, barnehage, barnehagegruppe; services ppt, bfs, barnevern,\n"
		"  helse, ke, naervaer, god-oppvekst, annen\n"
		"roles: the rules' roles.school and roles.kindergarten lists (default\n"
		"  rektor, sosiallaerer, radgiver, ppt-radgiver, helsesykepleier,\n"
		"  barnevern-kontakt, styrer, pedagogisk-leder, bfs-kontakt) and leder,\n"
		"  nestleder, fagleder, koordinator, psykolog, saksbehandler, medlem,\n"
		"  inspektor, assisterende-rektor, assisterende-styrer; Norwegian\n"
		"  spellings (sosiallærer, PPT-rådgiver, pedagogisk leder, …) work too\n"),
	.subs = team_subs,
};
