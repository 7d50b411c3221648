/* patvers audit: list the audit log and verify its hash chain. */
#include <string.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/audit.h"
#include "patvers/date.h"

static void add_row(const struct pv_audit_row *row, void *arg)
{
	struct pv_out *out = arg;

	pv_out_begin_record(out);
	pv_out_int(out, "id", row->id);
	pv_out_str(out, "time", row->time);
	pv_out_str(out, "user", row->os_user);
	pv_out_str(out, "entity", row->entity);
	pv_out_str(out, "summary", row->summary);
	pv_out_str(out, "command", row->command);
	pv_out_str(out, "hash", row->hash);
	pv_out_end_record(out);
}

static int exec_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ 0 },
	};
	static const char *const columns[] = { "id", "time", "user", "entity", "summary", NULL };
	const char *since = NULL;
	char since_iso[11];
	pv_date d;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		if (c == 's') {
			if (!pv_date_parse(optarg, &d))
				return cmd_usage_error(ctx, "--since needs a date, not '%s'", optarg);
			since = pv_date_format(d, since_iso);
		}
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	pv_out_begin(ctx->out, "audit");
	pv_out_begin_table(ctx->out, "rows", columns);
	status = pv_audit_list(ctx->db, since, add_row, ctx->out, &ctx->err);
	pv_out_end_table(ctx->out);
	return status;
}

static int exec_verify(struct cmd_ctx *ctx, int argc, char **argv)
{
	char why[512];
	long long bad_id;
	int status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	status = pv_audit_verify(ctx->db, &bad_id, why, sizeof why, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "audit-verify");
	pv_out_bool(ctx->out, "ok", bad_id == 0);
	if (bad_id) {
		pv_out_int(ctx->out, "first_bad_row", bad_id);
		pv_out_str(ctx->out, "problem", why);
		return PV_FINDINGS;
	}
	pv_out_note(ctx->out, "audit chain verified");
	return PV_OK;
}

static const struct cmd_entry audit_subs[] = {
	{
		.name = "list",
		.summary = N_("list audit rows, oldest first"),
		.usage = "[--since DATE]",
		.help = N_("options:\n  --since DATE  rows from this date (YYYY-MM-DD) on\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_list,
	},
	{
		.name = "verify",
		.summary = N_("verify the hash chain; exit 1 and name the first bad row if broken"),
		.usage = "",
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_verify,
	},
	{ 0 },
};

const struct cmd_entry cmd_audit_entry = {
	.name = "audit",
	.summary = N_("the tamper-evident log of every change"),
	.usage = "list|verify",
	.subs = audit_subs,
};
