/* patvers init: create the database (and optionally name the municipality). */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "patvers/audit.h"
#include "patvers/rules.h"

static int exec_init(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "municipality", required_argument, NULL, 'm' },
		{ 0 },
	};
	const char *municipality = NULL;
	char *created = NULL;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
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
	if (status == PV_OK && municipality)
		status = pv_rules_set_municipality(ctx->db, municipality, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "init");
	pv_out_str(ctx->out, "database", ctx->db_path);
	pv_out_int(ctx->out, "schema_version", pv_db_schema_version());
	return PV_OK;
}

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.summary = "create the database (0600 in a 0700 folder); safe to run again",
	.usage = "[--municipality NAME]",
	.help = "options:\n"
		"  --municipality NAME  the municipality's name, as the reports show it\n",
	.max_args = 0,
	.needs = CMD_DB_CREATE,
	.exec = exec_init,
};
