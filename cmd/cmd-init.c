/* patvers init: create the database (and optionally name the municipality). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/audit.h"
#include "patvers/example.h"
#include "patvers/rules.h"

/* Where `make install` puts the examples (share/patvers/examples). */
#ifndef PATVERS_DATADIR
#define PATVERS_DATADIR "/usr/local/share/patvers"
#endif

/* Sets `path` to base/name when that folder holds an example. */
static bool example_at(const char *base, const char *name, char *path, size_t size)
{
	char probe[PATH_MAX + 32], *real;

	if ((size_t)snprintf(probe, sizeof probe, "%s/%s/units.csv", base, name) >= sizeof probe ||
	    access(probe, R_OK) != 0)
		return false;
	/* Named without "build/.." in what init reports. */
	probe[strlen(probe) - strlen("/units.csv")] = '\0';
	real = realpath(probe, NULL);
	snprintf(path, size, "%s", real ? real : probe);
	free(real);
	return true;
}

/* $PATVERS_EXAMPLES, then examples/ beside the build folder of this
 * binary (build/../examples), then the installed data folder. */
static bool find_example(const char *name, char *path, size_t size)
{
	const char *env = getenv("PATVERS_EXAMPLES");
	char exe[PATH_MAX], base[PATH_MAX + 16];
	ssize_t n;

	if (env && *env)
		return example_at(env, name, path, size);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(base, sizeof base, "%s/../examples", exe);
			if (example_at(base, name, path, size))
				return true;
		}
	}
	return example_at(PATVERS_DATADIR "/examples", name, path, size);
}

static int load_example(struct cmd_ctx *ctx, const char *name,
			struct pv_example_result *res, char *dir, size_t size)
{
	if (!pv_example_name_valid(name))
		return cmd_usage_error(ctx, "'%s' is not an example name", name);
	if (!find_example(name, dir, size))
		return pv_error_set(&ctx->err, PV_ENOINPUT,
				    "no example '%s' (looked in $PATVERS_EXAMPLES, the examples "
				    "folder beside patvers and %s/examples)", name,
				    PATVERS_DATADIR);
	return pv_example_load(ctx->db, dir, res, &ctx->err);
}

static void out_example(struct pv_out *out, const char *name, const char *dir,
			const struct pv_example_result *res)
{
	pv_out_begin_map(out, "example");
	pv_out_str(out, "name", name);
	pv_out_str(out, "folder", dir);
	pv_out_bool(out, "rules", res->rules);
	pv_out_int(out, "units", res->team.units_read);
	pv_out_int(out, "people", res->team.people_read);
	pv_out_begin_list(out, "calendars");
	for (size_t i = 0; i < res->ncalendars; i++) {
		char year[8];
		snprintf(year, sizeof year, "%d/%02d", res->calendars[i],
			 (res->calendars[i] + 1) % 100);
		pv_out_str(out, NULL, year);
	}
	pv_out_end_list(out);
	pv_out_end_map(out);
}

static int exec_init(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "municipality", required_argument, NULL, 'm' },
		{ "example", required_argument, NULL, 'e' },
		{ 0 },
	};
	const char *municipality = NULL, *example = NULL;
	struct pv_example_result loaded;
	char *created = NULL, dir[PATH_MAX];
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		if (c == 'e')
			example = optarg;
		else
			municipality = optarg;
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	status = pv_db_meta_get(ctx->db, "created", &created, &ctx->err);
	if (status == PV_OK && !created) {
		status = pv_db_meta_set(ctx->db, "created", ctx->today, &ctx->err);
		if (status == PV_OK)
			status = pv_audit_append(ctx->db, "database", "created the database",
						 &ctx->err);
	} else if (status == PV_OK) {
		cmd_note(ctx, "database '%s' already exists (created %s)", ctx->db_path, created);
	}
	free(created);
	/* The example first: its rules may name a municipality the option overrides. */
	if (status == PV_OK && example)
		status = load_example(ctx, example, &loaded, dir, sizeof dir);
	if (status == PV_OK && municipality)
		status = pv_rules_set_municipality(ctx->db, municipality, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "init");
	pv_out_str(ctx->out, "database", ctx->db_path);
	pv_out_int(ctx->out, "schema_version", pv_db_schema_version());
	if (example)
		out_example(ctx->out, example, dir, &loaded);
	return PV_OK;
}

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.summary = N_("create the database (0600 in a 0700 folder); safe to run again"),
	.usage = "[--municipality NAME] [--example NAME]",
	.help = N_("options:\n"
		"  --municipality NAME  the municipality's name, as the reports show it\n"
		"  --example NAME       load an example municipality (holmestrand): its\n"
		"                       units, people and calendars; found in\n"
		"                       $PATVERS_EXAMPLES, examples/ beside the build, or\n"
		"                       the installed share/patvers/examples\n"),
	.max_args = 0,
	.needs = CMD_DB_CREATE,
	.exec = exec_init,
};
