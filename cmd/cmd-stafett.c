/* patvers stafett: the BTI stafettlogg, from the first concern to export and purge. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/stafett.h"

static int today(struct cmd_ctx *ctx, pv_date *d)
{
	if (!pv_date_parse(ctx->today, d))
		return pv_error_set(&ctx->err, PV_EUSAGE, "today '%s' is not a date "
				    "(check PATVERS_TODAY)", ctx->today);
	return 0;
}

/* The day a change happened: --date, default today, never after today
 * (a log records what was done). */
static int change_date(struct cmd_ctx *ctx, const char *text, pv_date *d)
{
	pv_date now;
	char buf[11];

	if (today(ctx, &now))
		return PV_EUSAGE;
	if (!text) {
		*d = now;
		return 0;
	}
	if (cmd_parse_date(ctx, "--date", text, d))
		return PV_EUSAGE;
	if (*d > now)
		return cmd_usage_error(ctx, "--date %s is after today (%s): a stafettlogg records "
				       "what has happened", pv_date_format(*d, buf), ctx->today);
	return 0;
}

/* `what` names the number in the message: an option, or N_("level"). */
static int parse_number(struct cmd_ctx *ctx, const char *what, const char *text, int min,
			int max, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(text, &end, 10);
	if (!*text || *end || errno || n < min || n > max)
		return cmd_usage_error(ctx, "%s '%s' is not a number %d–%d", _(what), text, min,
				       max);
	*out = (int)n;
	return 0;
}

/* The rules in force, or the defaults when there is no database. */
static int load_rules(struct cmd_ctx *ctx, struct pv_rules **rules)
{
	if (!ctx->db)
		return pv_rules_default(rules, &ctx->err);
	return pv_rules_load(ctx->db, rules, &ctx->err);
}

static void out_date(struct pv_out *out, const char *key, pv_date d)
{
	char buf[11];

	if (d)
		pv_out_str(out, key, pv_date_format(d, buf));
	else
		pv_out_null(out, key);
}

/* Loads the rules and the newest log of `ref`. */
static int load_log(struct cmd_ctx *ctx, const char *ref, struct pv_rules **rules,
		    struct pv_stafett_logs **logs)
{
	int status = load_rules(ctx, rules);

	*logs = NULL;
	if (status == PV_OK)
		status = pv_stafett_load(ctx->db, *rules, ref, logs, &ctx->err);
	return status;
}

/* ---- open ---- */

static int exec_open(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ref", required_argument, NULL, 'r' },
		{ "unit", required_argument, NULL, 'u' },
		{ "holder", required_argument, NULL, 'H' },
		{ "level", required_argument, NULL, 'l' },
		{ "concern", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ 0 },
	};
	struct pv_stafett_open_spec spec = { .level = -1 };
	struct pv_rules *rules = NULL;
	const char *date = NULL;
	long long id = 0;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'r':
			spec.ref = optarg;
			break;
		case 'u':
			spec.unit = optarg;
			break;
		case 'H':
			spec.holder = optarg;
			break;
		case 'l':
			if (parse_number(ctx, "--level", optarg, 0, 3, &spec.level))
				return PV_EUSAGE;
			break;
		case 'c':
			spec.concern = optarg;
			break;
		case 'd':
			date = optarg;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (!spec.ref || !spec.unit || !spec.holder || spec.level < 0 || !spec.concern)
		return cmd_usage_error(ctx, "--ref, --unit, --holder, --level and --concern are "
				       "required");
	if (change_date(ctx, date, &spec.date))
		return PV_EUSAGE;
	status = load_rules(ctx, &rules);
	if (status == PV_OK)
		status = pv_stafett_open(ctx->db, rules, &spec, &id, &ctx->err);
	if (status == PV_OK) {
		pv_date decide_by = spec.date +
				    (pv_date)pv_rules_int(rules, "stafett.level0_decide_days");

		pv_out_begin(ctx->out, "stafett-open");
		pv_out_int(ctx->out, "id", id);
		pv_out_str(ctx->out, "ref", spec.ref);
		pv_out_int(ctx->out, "level", spec.level);
		pv_out_str(ctx->out, "holder", spec.holder);
		out_date(ctx->out, "opened", spec.date);
		out_date(ctx->out, "decide_by", spec.level == 0 ? decide_by : 0);
	}
	pv_rules_free(rules);
	return status;
}

/* ---- goal, tiltak, evaluate, note, level ---- */

/* `goal add` and `tiltak add`: the first argument is the verb. */
static int expect_add(struct cmd_ctx *ctx, const char *word)
{
	if (strcmp(word, "add") != 0)
		return cmd_usage_error(ctx, "'%s' is not a %s command; use '%s add'", word,
				       ctx->name, ctx->name);
	return 0;
}

static int exec_goal(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ 0 },
	};
	struct pv_rules *rules = NULL;
	const char *date = NULL;
	pv_date day;
	int c, number = 0, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c != 'd')
			return PV_EUSAGE;
		date = optarg;
	}
	if (cmd_check_args(ctx, argc - optind) || expect_add(ctx, argv[optind]) ||
	    change_date(ctx, date, &day))
		return PV_EUSAGE;
	status = load_rules(ctx, &rules);
	if (status == PV_OK)
		status = pv_stafett_goal_add(ctx->db, rules, argv[optind + 1], day,
					     argv[optind + 2], &number, &ctx->err);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "stafett-goal");
		pv_out_str(ctx->out, "ref", argv[optind + 1]);
		pv_out_int(ctx->out, "goal", number);
	}
	pv_rules_free(rules);
	return status;
}

static int exec_tiltak(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "what", required_argument, NULL, 'w' },
		{ "responsible", required_argument, NULL, 'r' },
		{ "evaluate-by", required_argument, NULL, 'e' },
		{ "date", required_argument, NULL, 'd' },
		{ 0 },
	};
	struct pv_rules *rules = NULL;
	const char *what = NULL, *responsible = NULL, *date = NULL;
	pv_date day, evaluate_by = 0;
	int c, number = 0, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'w':
			what = optarg;
			break;
		case 'r':
			responsible = optarg;
			break;
		case 'e':
			if (cmd_parse_date(ctx, "--evaluate-by", optarg, &evaluate_by))
				return PV_EUSAGE;
			break;
		case 'd':
			date = optarg;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) || expect_add(ctx, argv[optind]))
		return PV_EUSAGE;
	if (!what || !responsible || !evaluate_by)
		return cmd_usage_error(ctx, "--what, --responsible and --evaluate-by are required");
	if (change_date(ctx, date, &day))
		return PV_EUSAGE;
	status = load_rules(ctx, &rules);
	if (status == PV_OK)
		status = pv_stafett_tiltak_add(ctx->db, rules, argv[optind + 1], day, what,
					       responsible, evaluate_by, &number, &ctx->err);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "stafett-tiltak");
		pv_out_str(ctx->out, "ref", argv[optind + 1]);
		pv_out_int(ctx->out, "tiltak", number);
		pv_out_str(ctx->out, "responsible", responsible);
		out_date(ctx->out, "evaluate_by", evaluate_by);
	}
	pv_rules_free(rules);
	return status;
}

static int exec_evaluate(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "result", required_argument, NULL, 'r' },
		{ "continue", no_argument, NULL, 'c' },
		{ "end", no_argument, NULL, 'e' },
		{ "evaluate-by", required_argument, NULL, 'n' },
		{ "date", required_argument, NULL, 'd' },
		{ 0 },
	};
	enum pv_stafett_decision decision = PV_STAFETT_CONTINUE;
	struct pv_rules *rules = NULL;
	const char *result = NULL, *date = NULL;
	bool cont = false, end = false;
	pv_date day, next = 0, next_out = 0;
	int c, number, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'r':
			result = optarg;
			break;
		case 'c':
			cont = true;
			break;
		case 'e':
			end = true;
			break;
		case 'n':
			if (cmd_parse_date(ctx, "--evaluate-by", optarg, &next))
				return PV_EUSAGE;
			break;
		case 'd':
			date = optarg;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) ||
	    parse_number(ctx, "tiltak", argv[optind + 1], 1, 100000, &number))
		return PV_EUSAGE;
	if (cont && end)
		return cmd_usage_error(ctx, "give --continue or --end, not both");
	if (end && next)
		return cmd_usage_error(ctx, "--evaluate-by goes with --continue, not --end");
	if (!result)
		return cmd_usage_error(ctx, "--result is required: what came of the tiltak");
	if (change_date(ctx, date, &day))
		return PV_EUSAGE;
	if (end)
		decision = PV_STAFETT_END;
	status = load_rules(ctx, &rules);
	if (status == PV_OK)
		status = pv_stafett_evaluate(ctx->db, rules, argv[optind], number, day, result,
					     decision, next, &next_out, &ctx->err);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "stafett-evaluate");
		pv_out_str(ctx->out, "ref", argv[optind]);
		pv_out_int(ctx->out, "tiltak", number);
		pv_out_str(ctx->out, "decision", end ? "end" : "continue");
		out_date(ctx->out, "next_evaluation", next_out);
	}
	pv_rules_free(rules);
	return status;
}

static int exec_note(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ 0 },
	};
	struct pv_rules *rules = NULL;
	const char *date = NULL;
	pv_date day;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c != 'd')
			return PV_EUSAGE;
		date = optarg;
	}
	if (cmd_check_args(ctx, argc - optind) || change_date(ctx, date, &day))
		return PV_EUSAGE;
	status = load_rules(ctx, &rules);
	if (status == PV_OK)
		status = pv_stafett_note(ctx->db, rules, argv[optind], day, argv[optind + 1],
					 &ctx->err);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "stafett-note");
		pv_out_str(ctx->out, "ref", argv[optind]);
		out_date(ctx->out, "date", day);
	}
	pv_rules_free(rules);
	return status;
}

static int exec_level(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "why", required_argument, NULL, 'w' },
		{ "date", required_argument, NULL, 'd' },
		{ 0 },
	};
	struct pv_rules *rules = NULL;
	const char *why = NULL, *date = NULL;
	pv_date day;
	int c, level, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'w':
			why = optarg;
			break;
		case 'd':
			date = optarg;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) ||
	    parse_number(ctx, N_("level"), argv[optind + 1], 0, 3, &level))
		return PV_EUSAGE;
	if (!why)
		return cmd_usage_error(ctx, "--why is required: why the level changes");
	if (change_date(ctx, date, &day))
		return PV_EUSAGE;
	status = load_rules(ctx, &rules);
	if (status == PV_OK)
		status = pv_stafett_set_level(ctx->db, rules, argv[optind], day, level, why,
					      &ctx->err);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "stafett-level");
		pv_out_str(ctx->out, "ref", argv[optind]);
		pv_out_int(ctx->out, "level", level);
		out_date(ctx->out, "since", day);
	}
	pv_rules_free(rules);
	return status;
}

/* ---- handover, accept, decline, close ---- */

enum person_verb { HANDOVER, ACCEPT, DECLINE };

/* The three take REF and one person option (--to or --by). */
static int exec_person(struct cmd_ctx *ctx, int argc, char **argv, enum person_verb verb)
{
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "by", required_argument, NULL, 'b' },
		{ "why", required_argument, NULL, 'w' },
		{ "date", required_argument, NULL, 'd' },
		{ 0 },
	};
	static const char *const kinds[] = { "stafett-handover", "stafett-accept",
					     "stafett-decline" };
	struct pv_rules *rules = NULL;
	const char *person = NULL, *why = NULL, *date = NULL, *ref;
	pv_date day;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c == 't' && verb == HANDOVER)
			person = optarg;
		else if (c == 'b' && verb != HANDOVER)
			person = optarg;
		else if (c == 'w' && verb == DECLINE)
			why = optarg;
		else if (c == 'd')
			date = optarg;
		else if (c == '?')
			return PV_EUSAGE;
		else
			return cmd_usage_error(ctx, "'%s' takes no %s", ctx->name,
					       argv[optind - 1]);
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (!person)
		return cmd_usage_error(ctx, verb == HANDOVER ? N_("--to P is required: who takes over")
				       : N_("--by P is required: the receiver of the handover"));
	if (change_date(ctx, date, &day))
		return PV_EUSAGE;
	ref = argv[optind];
	status = load_rules(ctx, &rules);
	if (status == PV_OK && verb == HANDOVER)
		status = pv_stafett_handover(ctx->db, rules, ref, day, person, &ctx->err);
	else if (status == PV_OK && verb == ACCEPT)
		status = pv_stafett_accept(ctx->db, rules, ref, day, person, &ctx->err);
	else if (status == PV_OK)
		status = pv_stafett_decline(ctx->db, rules, ref, day, person, why, &ctx->err);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, kinds[verb]);
		pv_out_str(ctx->out, "ref", ref);
		pv_out_str(ctx->out, verb == HANDOVER ? "to" : verb == ACCEPT ? "holder" : "by",
			   person);
		pv_out_str(ctx->out, "handover", verb == HANDOVER ? "pending"
						 : verb == ACCEPT ? "accepted" : "declined");
		out_date(ctx->out, "date", day);
	}
	pv_rules_free(rules);
	return status;
}

static int exec_handover(struct cmd_ctx *ctx, int argc, char **argv)
{
	return exec_person(ctx, argc, argv, HANDOVER);
}

static int exec_accept(struct cmd_ctx *ctx, int argc, char **argv)
{
	return exec_person(ctx, argc, argv, ACCEPT);
}

static int exec_decline(struct cmd_ctx *ctx, int argc, char **argv)
{
	return exec_person(ctx, argc, argv, DECLINE);
}

static int exec_close(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "date", required_argument, NULL, 'd' },
		{ 0 },
	};
	enum pv_stafett_reason reason = PV_STAFETT_OTHER;
	struct pv_rules *rules = NULL;
	const char *date = NULL;
	bool have_reason = false;
	pv_date day;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'r':
			if (!pv_stafett_reason_parse(optarg, &reason))
				return cmd_usage_error(ctx, "--reason is goal-met, "
						       "parents-request, moved or other, not "
						       "'%s'", optarg);
			have_reason = true;
			break;
		case 'd':
			date = optarg;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (!have_reason)
		return cmd_usage_error(ctx, "--reason is required (goal-met, parents-request, "
				       "moved or other)");
	if (change_date(ctx, date, &day))
		return PV_EUSAGE;
	status = load_rules(ctx, &rules);
	if (status == PV_OK)
		status = pv_stafett_close(ctx->db, rules, argv[optind], day, reason, &ctx->err);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "stafett-close");
		pv_out_str(ctx->out, "ref", argv[optind]);
		pv_out_str(ctx->out, "reason", pv_stafett_reason_name(reason));
		out_date(ctx->out, "closed", day);
		pv_out_note(ctx->out, "export the log to the child's record: 'patvers stafett "
			    "export %s --format md -o FILE'", argv[optind]);
	}
	pv_rules_free(rules);
	return status;
}

/* ---- export ---- */


static int write_export(struct cmd_ctx *ctx, FILE *fp, bool md, const struct pv_stafett *log,
			const struct pv_rules *rules, pv_date day)
{
	struct pv_out_options opts = { .format = PV_FORMAT_JSON };
	struct pv_out *out;
	char *text = NULL;
	int status;

	if (md) {
		status = pv_stafett_markdown(log, rules, day, &text, &ctx->err);
		if (status == PV_OK && fputs(text, fp) == EOF)
			status = pv_error_set(&ctx->err, PV_EIO, "cannot write the export: %s",
					      strerror(errno));
		free(text);
		return status;
	}
	out = pv_out_new(fp, &opts);
	if (!out)
		return pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory");
	pv_stafett_emit(out, "stafett-export", log, rules, day, NULL);
	status = pv_out_end(out, &ctx->err);
	pv_out_free(out);
	return status;
}

static int exec_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ 0 },
	};
	struct pv_rules *rules = NULL;
	struct pv_stafett_logs *logs = NULL;
	const struct pv_stafett *log;
	const char *output = NULL;
	bool md = true;
	FILE *fp = stdout;
	pv_date day;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "o:", longopts)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "md") == 0 || strcmp(optarg, "markdown") == 0)
				md = true;
			else if (strcmp(optarg, "json") == 0)
				md = false;
			else
				return cmd_usage_error(ctx, "--format is md or json, not '%s'",
						       optarg);
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) || today(ctx, &day))
		return PV_EUSAGE;
	status = load_log(ctx, argv[optind], &rules, &logs);
	if (status == PV_OK && output)
		status = cmd_create_output(ctx, output, &fp);
	if (status == PV_OK) {
		log = pv_stafett_logs_at(logs, 0);
		status = write_export(ctx, fp, md, log, rules, day);
		if (output)
			status = cmd_close_output(ctx, output, fp, status);
		/* recorded only once written: purge asks for a complete export */
		if (status == PV_OK)
			status = pv_stafett_mark_exported(ctx->db, log->id, day, md ? "md" : "json",
							  &ctx->err);
		if (status == PV_OK && output)
			cmd_note(ctx, "wrote stafettlogg '%s' to '%s'", log->ref, output);
	}
	pv_stafett_logs_free(logs);
	pv_rules_free(rules);
	return status;
}

/* ---- purge ---- */

static void on_purged(const struct pv_stafett_purge_row *row, void *arg)
{
	struct pv_out *out = arg;
	char d[11];

	pv_out_begin_record(out);
	pv_out_int(out, "id", row->id);
	pv_out_str(out, "ref", row->ref);
	pv_out_str(out, "unit", row->unit);
	pv_out_str(out, "closed", pv_date_format(row->closed, d));
	pv_out_str(out, "action", pv_stafett_purge_action_name(row->action));
	pv_out_end_record(out);
}

static int exec_purge(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "closed-before", required_argument, NULL, 'b' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'F' },
		{ 0 },
	};
	static const char *const columns[] = { "id", "ref", "unit", "closed", "action", NULL };
	struct pv_stafett_purge_options opts = { 0 };
	struct pv_rules *rules = NULL;
	int c, removed = 0, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'b':
			if (cmd_parse_date(ctx, "--closed-before", optarg, &opts.closed_before))
				return PV_EUSAGE;
			break;
		case 'n':
			opts.dry_run = true;
			break;
		case 'F':
			opts.force = true;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) || today(ctx, &opts.today))
		return PV_EUSAGE;
	if (!opts.closed_before)
		return cmd_usage_error(ctx, "--closed-before D is required");
	status = load_rules(ctx, &rules);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "stafett-purge");
		pv_out_int(ctx->out, "retention_days",
			   pv_rules_int(rules, "stafett.retention_days"));
		pv_out_bool(ctx->out, "dry_run", opts.dry_run);
		pv_out_begin_table(ctx->out, "logs", columns);
		status = pv_stafett_purge(ctx->db, rules, &opts, on_purged, ctx->out, &removed,
					  &ctx->err);
		pv_out_end_table(ctx->out);
		pv_out_int(ctx->out, "removed", removed);
	}
	pv_rules_free(rules);
	return status;
}

/* ---- list, show, guide ---- */

static int exec_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "holder", required_argument, NULL, 'H' },
		{ "unit", required_argument, NULL, 'u' },
		{ "level", required_argument, NULL, 'l' },
		{ "overdue", no_argument, NULL, 'o' },
		{ "all", no_argument, NULL, 'a' },
		{ "exit-code", no_argument, NULL, 'x' },
		{ 0 },
	};
	static const char *const columns[] = {
		"ref", "unit", "level", "holder", "opened", "next_due", "overdue", "pending_to",
		"state", NULL,
	};
	struct pv_stafett_filter f = { .level = -1 };
	struct pv_stafett_logs *logs = NULL;
	struct pv_rules *rules = NULL;
	bool overdue = false, exit_code = false;
	size_t listed = 0;
	pv_date day;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'H':
			f.holder = optarg;
			break;
		case 'u':
			f.unit = optarg;
			break;
		case 'l':
			if (parse_number(ctx, "--level", optarg, 0, 3, &f.level))
				return PV_EUSAGE;
			break;
		case 'o':
			overdue = true;
			break;
		case 'a':
			f.include_closed = true;
			break;
		case 'x':
			exit_code = true;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) || today(ctx, &day))
		return PV_EUSAGE;
	status = load_rules(ctx, &rules);
	if (status == PV_OK)
		status = pv_stafett_logs_load(ctx->db, &f, &logs, &ctx->err);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "stafett-list");
		pv_out_begin_table(ctx->out, "logs", columns);
		for (size_t i = 0; i < pv_stafett_logs_count(logs); i++) {
			const struct pv_stafett *s = pv_stafett_logs_at(logs, i);
			struct pv_stafett_due due;

			pv_stafett_due_on(s, rules, day, &due);
			if (overdue && !due.overdue)
				continue;
			listed++;
			pv_out_begin_record(ctx->out);
			pv_out_str(ctx->out, "ref", s->ref);
			pv_out_str(ctx->out, "unit", s->unit);
			pv_out_int(ctx->out, "level", s->level);
			pv_out_str(ctx->out, "holder", s->holder);
			out_date(ctx->out, "opened", s->opened);
			out_date(ctx->out, "next_due", due.next);
			pv_out_bool(ctx->out, "overdue", due.overdue);
			pv_out_int(ctx->out, "evaluations_overdue", due.evaluations_overdue);
			pv_out_bool(ctx->out, "decision_overdue", due.decision_overdue);
			pv_out_str(ctx->out, "pending_to", s->pending_to);
			pv_out_str(ctx->out, "state", s->closed ? "closed" : "open");
			out_date(ctx->out, "closed", s->closed);
			pv_out_end_record(ctx->out);
		}
		pv_out_end_table(ctx->out);
	}
	if (status == PV_OK && exit_code && listed)
		status = PV_FINDINGS;
	pv_stafett_logs_free(logs);
	pv_rules_free(rules);
	return status;
}

static int exec_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct pv_rules *rules = NULL;
	struct pv_stafett_logs *logs = NULL;
	const struct pv_stafett *log;
	struct pv_error cerr;
	const char *consent = NULL;
	pv_date day;
	int status;

	if (cmd_parse_plain(ctx, argc, argv) || today(ctx, &day))
		return PV_EUSAGE;
	status = load_log(ctx, argv[optind], &rules, &logs);
	if (status != PV_OK) {
		pv_rules_free(rules);
		return status;
	}
	log = pv_stafett_logs_at(logs, 0);
	/* what the consent allows today, for people deciding the next step */
	if (!log->closed && log->level == 0) {
		consent = "not needed at level 0";
	} else if (!log->closed) {
		pv_error_clear(&cerr);
		status = pv_stafett_consent_check(ctx->db, log, log->level, day, NULL, &cerr);
		consent = status == PV_OK ? "ok" : cerr.message;
		if (status == PV_EDATA)
			status = PV_OK;
		else if (status != PV_OK)
			ctx->err = cerr;
	}
	if (status == PV_OK)
		pv_stafett_emit(ctx->out, "stafett", log, rules, day, consent);
	pv_stafett_logs_free(logs);
	pv_rules_free(rules);
	return status;
}

static int exec_guide(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const columns[] = { "level", "step", "days", "who", "what", "with",
					       NULL };
	struct pv_rules *rules = NULL;
	int from = 0, to = PV_STAFETT_LEVELS - 1, status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	if (optind < argc && parse_number(ctx, N_("level"), argv[optind], 0, 3, &from))
		return PV_EUSAGE;
	if (optind < argc)
		to = from;
	status = load_rules(ctx, &rules);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "stafett-guide");
	if (from == to) {
		struct pv_stafett_level l;

		pv_stafett_guide(rules, from, &l);
		pv_out_int(ctx->out, "level", from);
		pv_out_str(ctx->out, "name", l.name);
	}
	pv_out_begin_table(ctx->out, "steps", columns);
	for (int level = from; level <= to; level++) {
		struct pv_stafett_level l;

		pv_stafett_guide(rules, level, &l);
		for (size_t i = 0; i < l.nsteps; i++) {
			pv_out_begin_record(ctx->out);
			pv_out_int(ctx->out, "level", level);
			pv_out_str(ctx->out, "name", l.name);
			pv_out_int(ctx->out, "step", (long long)i + 1);
			pv_out_int(ctx->out, "days", l.steps[i].days);
			pv_out_str(ctx->out, "who", l.steps[i].who);
			pv_out_str(ctx->out, "what", l.steps[i].what);
			pv_out_str(ctx->out, "with", l.steps[i].with);
			pv_out_end_record(ctx->out);
		}
	}
	pv_out_end_table(ctx->out);
	pv_rules_free(rules);
	return PV_OK;
}

static const struct cmd_entry stafett_subs[] = {
	{
		.name = "open",
		.summary = N_("open a stafettlogg for a concern (undring) or a case"),
		.usage = "--ref REF --unit U --holder P --level 0..3 --concern TEXT [--date D]",
		.help = N_("options:\n"
			"  --ref REF        the unit's own case key (e.g. HOF-2026-07); never a\n"
			"                   name or national id\n"
			"  --unit U         the unit that opens it\n"
			"  --holder P       the stafettholder\n"
			"  --level N        0 undring (anonymous), 1 one service, 2 two services,\n"
			"                   3 wider cooperation; 1-3 need a valid consent for REF\n"
			"  --concern TEXT   what gives concern (no names, numbers or addresses)\n"
			"  --date D         the day it happened (default today, never after it)\n"),
		.max_args = 0,
		.needs = CMD_DB_WRITE,
		.exec = exec_open,
	},
	{
		.name = "goal",
		.summary = N_("add a goal to a stafettlogg"),
		.usage = "add REF TEXT [--date D]",
		.help = N_("options:\n"
			"  --date D         the day it happened (default today, never after it)\n"),
		.min_args = 3,
		.max_args = 3,
		.needs = CMD_DB_WRITE,
		.exec = exec_goal,
	},
	{
		.name = "tiltak",
		.summary = N_("add a measure with its responsible person and evaluation date"),
		.usage = "add REF --what TEXT --responsible P --evaluate-by D [--date D]",
		.help = N_("options:\n"
			"  --what TEXT      the measure\n"
			"  --responsible P  who carries it out\n"
			"  --evaluate-by D  when it is evaluated (after --date)\n"
			"  --date D         the day it happened (default today, never after it)\n"),
		.min_args = 2,
		.max_args = 2,
		.needs = CMD_DB_WRITE,
		.exec = exec_tiltak,
	},
	{
		.name = "evaluate",
		.summary = N_("evaluate a tiltak: continue it to a next evaluation, or end it"),
		.usage = "REF TILTAK --result TEXT [--continue [--evaluate-by D] | --end] "
			 "[--date D]",
		.help = N_("options:\n"
			"  --result TEXT    what came of it\n"
			"  --continue       it goes on (the default); the next evaluation is\n"
			"                   --evaluate-by, else the same interval again\n"
			"  --end            it ends\n"
			"  --date D         the day it happened (default today, never after it)\n"),
		.min_args = 2,
		.max_args = 2,
		.needs = CMD_DB_WRITE,
		.exec = exec_evaluate,
	},
	{
		.name = "note",
		.summary = N_("a short note: what a meeting agreed, or a «lysglimt»"),
		.usage = "REF TEXT [--date D]",
		.help = N_("options:\n"
			"  --date D         the day it happened (default today, never after it)\n"),
		.min_args = 2,
		.max_args = 2,
		.needs = CMD_DB_WRITE,
		.exec = exec_note,
	},
	{
		.name = "level",
		.summary = N_("move a stafettlogg to level 1, 2 or 3"),
		.usage = "REF N --why TEXT [--date D]",
		.help = N_("options:\n"
			"  --why TEXT       why the level changes\n"
			"  --date D         the day it happened (default today, never after it)\n"),
		.min_args = 2,
		.max_args = 2,
		.needs = CMD_DB_WRITE,
		.exec = exec_level,
	},
	{
		.name = "handover",
		.summary = N_("ask another person to take over as stafettholder"),
		.usage = "REF --to P [--date D]",
		.help = N_("options:\n"
			"  --to P           the receiver; the handover is pending until they\n"
			"                   accept it, and needs a consent covering their service\n"
			"  --date D         the day it happened (default today, never after it)\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_handover,
	},
	{
		.name = "accept",
		.summary = N_("the receiver accepts a pending handover and holds the stafett"),
		.usage = "REF --by P [--date D]",
		.help = N_("options:\n"
			"  --by P           the receiver named in the handover\n"
			"  --date D         the day it happened (default today, never after it)\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_accept,
	},
	{
		.name = "decline",
		.summary = N_("the receiver declines (or the holder withdraws) a pending handover"),
		.usage = "REF --by P [--why TEXT] [--date D]",
		.help = N_("options:\n"
			"  --by P           the receiver, or the holder\n"
			"  --why TEXT       why\n"
			"  --date D         the day it happened (default today, never after it)\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_decline,
	},
	{
		.name = "close",
		.summary = N_("close a stafettlogg"),
		.usage = "REF --reason goal-met|parents-request|moved|other [--date D]",
		.help = N_("options:\n"
			"  --reason R       goal-met, parents-request, moved or other\n"
			"  --date D         the day it happened (default today, never after it)\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_close,
	},
	{
		.name = "export",
		.summary = N_("the complete log for the child's record (elevmappe)"),
		.usage = "REF [--format md|json] [-o FILE]",
		.help = N_("options:\n"
			"  --format md|json  Markdown (default) or JSON\n"
			"                    (schema patvers/stafett-export/1)\n"
			"  -o, --output FILE write to a new file (never overwrites)\n"
			"The export is recorded: purge removes only logs exported after their\n"
			"last change.\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_export,
	},
	{
		.name = "purge",
		.summary = N_("remove closed logs whose retention time has passed"),
		.usage = "--closed-before D [--dry-run] [--force]",
		.help = N_("options:\n"
			"  --closed-before D  look at logs closed before D\n"
			"  --dry-run          say what would be removed, remove nothing\n"
			"  --force            remove also logs not exported since their last\n"
			"                     change\n"
			"A log is removed only when the rules' stafett.retention_days have passed\n"
			"since it was closed; the audit log keeps only that it was removed.\n"),
		.max_args = 0,
		.needs = CMD_DB_WRITE,
		.exec = exec_purge,
	},
	{
		.name = "list",
		.summary = N_("open stafettlogger, or those overdue"),
		.usage = "[--holder P] [--unit U] [--level N] [--overdue] [--all] [--exit-code]",
		.help = N_("options:\n"
			"  --holder P       one stafettholder's logs\n"
			"  --unit U         one unit's logs\n"
			"  --level N        logs at level N\n"
			"  --overdue        a level-0 decision or an evaluation overdue\n"
			"  --all            closed logs too\n"
			"  --exit-code      exit 1 when anything is listed\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_list,
	},
	{
		.name = "show",
		.summary = N_("a stafettlogg: goals, tiltak, timeline and the next steps"),
		.usage = "REF",
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_READ,
		.exec = exec_show,
	},
	{
		.name = "guide",
		.summary = N_("the handlingsveileder: the steps of each level"),
		.usage = "[LEVEL]",
		.min_args = 0,
		.max_args = 1,
		.needs = CMD_DB_OPTIONAL,
		.exec = exec_guide,
	},
	{ 0 },
};

const struct cmd_entry cmd_stafett_entry = {
	.name = "stafett",
	.summary = N_("the stafettlogg (BTI / «Se meg»): one child's case across services"),
	.usage = "open|goal|tiltak|evaluate|note|level|handover|accept|decline|close|export|"
		 "purge|list|show|guide",
	.subs = stafett_subs,
};
