/* patvers report: the half-year report to kommunalsjef Oppvekst, the units' notes for it, the sent mark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/report.h"

static int parse_half(struct cmd_ctx *ctx, const char *text, int *half)
{
	if (!pv_half_parse(text, half))
		return cmd_usage_error(ctx, "--half needs H1 or H2, not '%s'", text);
	return 0;
}

/* A calendar year ("2026"), or today's when text is NULL. */
static int parse_year(struct cmd_ctx *ctx, const char *text, int *year)
{
	pv_date today;
	char *end;

	if (text) {
		long y = strtol(text, &end, 10);

		if (*end || end == text || y < 1900 || y > 2199)
			return cmd_usage_error(ctx, "--year needs a calendar year like 2026, "
					       "not '%s'", text);
		*year = (int)y;
		return 0;
	}
	if (!pv_date_parse(ctx->today, &today))
		return cmd_usage_error(ctx, "today '%s' is not a date", ctx->today);
	pv_date_to_ymd(today, year, NULL, NULL);
	return 0;
}

/* ---- show ---- */

enum doc_format { DOC_EMITTER, DOC_MARKDOWN, DOC_HTML };

/* The report's --format: md and html are documents of their own; the
 * emitter's formats override the global --format. */
static int parse_format(struct cmd_ctx *ctx, const char *text, enum doc_format *doc,
			enum pv_format *fmt)
{
	if (strcmp(text, "md") == 0 || strcmp(text, "markdown") == 0) {
		*doc = DOC_MARKDOWN;
	} else if (strcmp(text, "html") == 0) {
		*doc = DOC_HTML;
	} else if (pv_format_parse(text, fmt)) {
		*doc = DOC_EMITTER;
	} else {
		return cmd_usage_error(ctx, "unknown report format '%s' (use text, md, json, "
				       "jsonl, csv or html)", text);
	}
	return 0;
}


/* Text, JSON or CSV through an emitter of its own: for -o FILE, or a
 * report --format other than the global one. */
static int emit_own(struct cmd_ctx *ctx, const struct pv_report *report, const char *path,
		    enum pv_format format)
{
	struct pv_out_options opts = { .format = format };
	struct pv_out *out;
	FILE *fp = stdout;
	int status;

	if (ctx->out_opts) {
		opts.csv_sep = ctx->out_opts->csv_sep;
		opts.excel = ctx->out_opts->excel;
	}
	opts.color = !path && ctx->color;
	if (path && (status = cmd_create_output(ctx, path, &fp)) != PV_OK)
		return status;
	out = pv_out_new(fp, &opts);
	if (!out) {
		status = pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory");
	} else {
		pv_report_emit(report, out);
		status = pv_out_end(out, &ctx->err);
		pv_out_free(out);
	}
	return path ? cmd_close_output(ctx, path, fp, status) : status;
}

static int exec_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "half", required_argument, NULL, 'H' },
		{ "year", required_argument, NULL, 'y' },
		{ "unit", required_argument, NULL, 'u' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "exit-code", no_argument, NULL, 'x' },
		{ 0 },
	};
	struct pv_report_options opts = { 0 };
	const char *year_text = NULL, *output = NULL;
	enum doc_format doc = DOC_EMITTER;
	enum pv_format format = pv_out_format(ctx->out);
	bool exit_code = false, own_format = false;
	struct pv_report *report = NULL;
	char *text = NULL, period[16];
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "o:", longopts)) != -1) {
		switch (c) {
		case 'H':
			if (parse_half(ctx, optarg, &opts.half))
				return PV_EUSAGE;
			break;
		case 'y':
			year_text = optarg;
			break;
		case 'u':
			opts.unit = optarg;
			break;
		case 'a':
			if (cmd_parse_date(ctx, "--as-of", optarg, &opts.as_of))
				return PV_EUSAGE;
			break;
		case 'f':
			if (parse_format(ctx, optarg, &doc, &format))
				return PV_EUSAGE;
			own_format = true;
			break;
		case 'o':
			output = optarg;
			break;
		case 'x':
			exit_code = true;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) || parse_year(ctx, year_text, &opts.year))
		return PV_EUSAGE;
	if (!opts.half)
		return cmd_usage_error(ctx, "say which half-year with --half H1 or --half H2");
	if (!opts.as_of && cmd_parse_date(ctx, "today", ctx->today, &opts.as_of))
		return PV_EUSAGE;
	status = pv_report_build(ctx->db, &opts, &report, &ctx->err);
	if (status != PV_OK)
		return status;
	snprintf(period, sizeof period, "H%d %d", report->half, report->year);
	if (report->no_data && opts.unit)
		cmd_note(ctx, "no meetings are planned, held or logged in %s for %s: nothing to "
			 "report", period, opts.unit);
	else if (report->no_data)
		cmd_note(ctx, "no meetings are planned, held or logged in %s: nothing to report",
			 period);
	if (doc == DOC_MARKDOWN)
		status = pv_report_markdown(report, &text, &ctx->err);
	else if (doc == DOC_HTML)
		status = pv_report_html(report, &text, &ctx->err);
	if (status == PV_OK && text)
		status = cmd_write_output(ctx, output, text);
	else if (status == PV_OK && (output || (own_format && format != pv_out_format(ctx->out))))
		status = emit_own(ctx, report, output, format);
	else if (status == PV_OK)
		pv_report_emit(report, ctx->out);
	if (status == PV_OK && output)
		cmd_note(ctx, "wrote the %s report to '%s'", period, output);
	if (status == PV_OK && exit_code && pv_report_findings(report))
		status = PV_FINDINGS;
	free(text);
	pv_report_free(report);
	return status;
}

/* ---- note ---- */

static int exec_note(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "half", required_argument, NULL, 'H' },
		{ "year", required_argument, NULL, 'y' },
		{ "delete", no_argument, NULL, 'd' },
		{ 0 },
	};
	const char *unit = NULL, *year_text = NULL, *text;
	struct pv_rules *rules = NULL;
	bool delete = false;
	int c, half = 0, year, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'u':
			unit = optarg;
			break;
		case 'H':
			if (parse_half(ctx, optarg, &half))
				return PV_EUSAGE;
			break;
		case 'y':
			year_text = optarg;
			break;
		case 'd':
			delete = true;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) || parse_year(ctx, year_text, &year))
		return PV_EUSAGE;
	if (!unit || !half)
		return cmd_usage_error(ctx, "--unit and --half are required");
	text = optind < argc ? argv[optind] : NULL;
	if (delete == (text != NULL))
		return cmd_usage_error(ctx, delete ? "--delete takes no TEXT"
						   : "give the note's TEXT (or --delete)");
	status = pv_rules_load(ctx->db, &rules, &ctx->err);
	if (status == PV_OK)
		status = pv_report_note_set(ctx->db, rules, unit, year, half, text, &ctx->err);
	pv_rules_free(rules);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "report-note");
	pv_out_str(ctx->out, "unit", unit);
	pv_out_str(ctx->out, "half", half == 1 ? "H1" : "H2");
	pv_out_int(ctx->out, "year", year);
	if (text)
		pv_out_int(ctx->out, "bytes", (long long)strlen(text));
	else
		pv_out_bool(ctx->out, "deleted", true);
	return PV_OK;
}

/* ---- mark-sent ---- */

static int exec_mark_sent(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "half", required_argument, NULL, 'H' },
		{ "year", required_argument, NULL, 'y' },
		{ "date", required_argument, NULL, 'd' },
		{ "by", required_argument, NULL, 'b' },
		{ "undo", no_argument, NULL, 'U' },
		{ 0 },
	};
	const char *year_text = NULL, *by = NULL;
	bool undo = false;
	pv_date date = 0;
	int c, half = 0, year, status;
	char day[11];

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'H':
			if (parse_half(ctx, optarg, &half))
				return PV_EUSAGE;
			break;
		case 'y':
			year_text = optarg;
			break;
		case 'd':
			if (cmd_parse_date(ctx, "--date", optarg, &date))
				return PV_EUSAGE;
			break;
		case 'b':
			by = optarg;
			break;
		case 'U':
			undo = true;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) || parse_year(ctx, year_text, &year))
		return PV_EUSAGE;
	if (!half)
		return cmd_usage_error(ctx, "say which half-year with --half H1 or --half H2");
	if (!date && cmd_parse_date(ctx, "today", ctx->today, &date))
		return PV_EUSAGE;
	if (!by)
		by = pv_db_actor_user(ctx->db);
	status = pv_report_mark_sent(ctx->db, year, half, date, by, undo, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "report-sent");
	pv_out_str(ctx->out, "half", half == 1 ? "H1" : "H2");
	pv_out_int(ctx->out, "year", year);
	if (undo) {
		pv_out_bool(ctx->out, "sent", false);
	} else {
		pv_out_str(ctx->out, "sent", pv_date_format(date, day));
		pv_out_str(ctx->out, "by", by);
	}
	return PV_OK;
}

static const struct cmd_entry report_subs[] = {
	{
		.name = "show",
		.summary = N_("the report (the default: 'patvers report --half H2' shows it)"),
		.usage = "--half H1|H2 [--year Y] [--unit U] [--as-of D] "
			 "[--format text|md|json|csv|html] [-o FILE] [--exit-code]",
		.help = N_("options:\n"
			"  --half H1|H2    the half-year: 1 Jan–30 Jun or 1 Jul–31 Dec (required)\n"
			"  --year Y        its calendar year (default: this year)\n"
			"  --unit U        one unit only (a school, kindergarten group, naervaer,\n"
			"                  god-oppvekst); its numbers are suppressed as in the\n"
			"                  full report\n"
			"  --as-of D       count as on day D (default: today)\n"
			"  --format F      text, json, jsonl or csv (through the output layer,\n"
			"                  overriding the global --format; --csv-sep and --excel\n"
			"                  apply), md (Markdown for e-mail) or html (one\n"
			"                  printable A4 file); default: the global --format\n"
			"  -o, --output FILE  write to FILE, never overwriting it (exit 73)\n"
			"  --exit-code     exit 1 when a unit missed its minimum, or there is no data\n"
			"Status: met (held >= minimum); on track (the planned meetings reach it);\n"
			"at risk (only if past meetings that are not logged get logged); missed\n"
			"(the half-year is over, or the plan cannot reach it). Theme counts below\n"
			"the rules' report.suppress_below show as <3; see patvers-report(1).\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_show,
	},
	{
		.name = "note",
		.summary = N_("a unit's own words on the half-year, printed in its report"),
		.usage = "--unit U --half H1|H2 [--year Y] TEXT | --delete",
		.help = N_("options:\n"
			"  --unit U        the unit (a kindergarten's note shows under its group)\n"
			"  --half H1|H2    the half-year\n"
			"  --year Y        its calendar year (default: this year)\n"
			"  --delete        remove the note\n"
			"A new note replaces the one there. The text passes the anonymity guard.\n"),
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_note,
	},
	{
		.name = "mark-sent",
		.summary = N_("record that the half-year's report was sent"),
		.usage = "--half H1|H2 [--year Y] [--date D] [--by WHO] [--undo]",
		.help = N_("options:\n"
			"  --half H1|H2    the half-year\n"
			"  --year Y        its calendar year (default: this year)\n"
			"  --date D        when it was sent (default: today)\n"
			"  --by WHO        who sent it (default: the OS user)\n"
			"  --undo          remove the mark\n"),
		.max_args = 0,
		.needs = CMD_DB_WRITE,
		.exec = exec_mark_sent,
	},
	{ 0 },
};

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.summary = N_("the half-year report to kommunalsjef Oppvekst (15 June, 15 December)"),
	.usage = "[show] --half H1|H2 [--year Y] [--unit U] [--as-of D] [--format F] "
		 "[-o FILE] [--exit-code] | note | mark-sent",
	.subs = report_subs,
	.default_sub = "show",
};
