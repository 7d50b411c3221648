/* patvers db: where the database is, check it, back it up. */
#include <string.h>

#include "cmd.h"
#include "patvers/i18n.h"

static int exec_path(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	pv_out_begin(ctx->out, "db-path");
	pv_out_str(ctx->out, "path", ctx->db_path);
	return PV_OK;
}

static void add_problem(const struct pv_db_problem *p, void *arg)
{
	struct pv_out *out = arg;

	pv_out_begin_record(out);
	pv_out_str(out, "check", p->check);
	pv_out_str(out, "detail", p->detail);
	pv_out_end_record(out);
}

static int exec_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const columns[] = { "check", "detail", NULL };
	int problems = 0, status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	pv_out_begin(ctx->out, "db-check");
	pv_out_str(ctx->out, "database", pv_db_path(ctx->db));
	pv_out_begin_table(ctx->out, "problems", columns);
	status = pv_db_check(ctx->db, add_problem, ctx->out, &problems, &ctx->err);
	pv_out_end_table(ctx->out);
	if (status != PV_OK)
		return status;
	pv_out_bool(ctx->out, "ok", problems == 0);
	if (problems == 0)
		pv_out_note(ctx->out, "integrity, foreign keys and audit chain: ok");
	return problems ? PV_FINDINGS : PV_OK;
}

static int exec_backup(struct cmd_ctx *ctx, int argc, char **argv)
{
	int status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	status = pv_db_backup(ctx->db, argv[optind], &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "db-backup");
	pv_out_str(ctx->out, "backup", argv[optind]);
	return PV_OK;
}

static const struct cmd_entry db_subs[] = {
	{
		.name = "path",
		.summary = N_("print the path of the database in use"),
		.usage = "",
		.max_args = 0,
		.needs = CMD_NO_DB,
		.exec = exec_path,
	},
	{
		.name = "check",
		.summary = N_("check integrity, foreign keys and the audit chain (exit 1 on problems)"),
		.usage = "",
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_check,
	},
	{
		.name = "backup",
		.summary = N_("write a consistent copy of the database to FILE (never overwrites)"),
		.usage = "FILE",
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_READ,
		.exec = exec_backup,
	},
	{ 0 },
};

const struct cmd_entry cmd_db_entry = {
	.name = "db",
	.summary = N_("database path, check and backup"),
	.usage = "path|check|backup",
	.subs = db_subs,
};
