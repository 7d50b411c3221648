/* patvers remind: what is due, for cron; silent when nothing is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/remind.h"

static void emit_who(struct pv_out *out, const struct pv_remind_event *e)
{
	pv_out_begin_list(out, "who");
	for (size_t i = 0; i < e->nwho; i++) {
		pv_out_begin_map(out, NULL);
		pv_out_str(out, "person", e->who[i].person);
		pv_out_str(out, "name", e->who[i].name);
		pv_out_str(out, "email", e->who[i].email);
		pv_out_end_map(out);
	}
	pv_out_end_list(out);
}

/* "Marit Nygård, Tor Lervik" for people reading the table; past three
 * names "… and 18 more" (the JSON has everyone). */
static char *names_of(const struct pv_remind_event *e)
{
	size_t shown = e->nwho > 3 ? 3 : e->nwho, len = 32;
	char *s;

	for (size_t i = 0; i < shown; i++)
		len += strlen(e->who[i].name) + 2;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < shown; i++) {
		if (i)
			strcat(s, ", ");
		strcat(s, e->who[i].name);
	}
	if (e->nwho > shown)
		snprintf(s + strlen(s), len - strlen(s), " and %zu more", e->nwho - shown);
	return s;
}

static int emit_event(struct pv_out *out, const struct pv_remind_event *e, bool with_who)
{
	char date[11], *to = with_who ? names_of(e) : NULL;

	if (with_who && !to)
		return PV_ESOFTWARE;
	pv_out_begin_record(out);
	pv_out_str(out, "date", pv_date_format(e->date, date));
	pv_out_str(out, "kind", pv_remind_kind_name(e->kind));
	pv_out_str(out, "unit", e->unit);
	if (e->ref)
		pv_out_int(out, "ref", e->ref);
	else
		pv_out_null(out, "ref");
	pv_out_str(out, "message", e->message);
	if (with_who) {
		pv_out_str(out, "to", to);
		emit_who(out, e);
	}
	pv_out_end_record(out);
	free(to);
	return PV_OK;
}

static int emit_events(struct cmd_ctx *ctx, const struct pv_reminders *r)
{
	static const char *const columns[] = { "date", "kind", "unit", "to", "message", NULL };
	int status = PV_OK;

	pv_out_begin(ctx->out, "remind");
	pv_out_str(ctx->out, "as_of", ctx->today);
	pv_out_begin_table(ctx->out, "events", columns);
	for (size_t i = 0; i < pv_reminders_count(r) && status == PV_OK; i++)
		status = emit_event(ctx->out, pv_reminders_at(r, i), true);
	pv_out_end_table(ctx->out);
	return status ? pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory") : PV_OK;
}

/* One record per person with all their events, for one e-mail each. */
static int emit_by_person(struct cmd_ctx *ctx, const struct pv_reminders *r, const char *only)
{
	static const char *const columns[] = { "person", "name", "email", "count", NULL };
	size_t n = pv_reminders_count(r), npeople = 0, total = 1;
	const struct pv_recipient **people;

	for (size_t i = 0; i < n; i++)
		total += pv_reminders_at(r, i)->nwho;
	people = calloc(total, sizeof *people);
	if (!people)
		return pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory");
	/* every recipient once, in order of their first event */
	for (size_t i = 0; i < n; i++) {
		const struct pv_remind_event *e = pv_reminders_at(r, i);
		for (size_t k = 0; k < e->nwho; k++) {
			bool seen = false;
			for (size_t j = 0; j < npeople && !seen; j++)
				seen = strcmp(people[j]->person, e->who[k].person) == 0;
			if (!seen && (!only || strcmp(only, e->who[k].person) == 0))
				people[npeople++] = &e->who[k];
		}
	}
	pv_out_begin(ctx->out, "remind-by-person");
	pv_out_str(ctx->out, "as_of", ctx->today);
	pv_out_begin_table(ctx->out, "recipients", columns);
	for (size_t j = 0; j < npeople; j++) {
		int count = 0;

		pv_out_begin_record(ctx->out);
		pv_out_str(ctx->out, "person", people[j]->person);
		pv_out_str(ctx->out, "name", people[j]->name);
		pv_out_str(ctx->out, "email", people[j]->email);
		pv_out_begin_list(ctx->out, "events");
		for (size_t i = 0; i < n; i++) {
			const struct pv_remind_event *e = pv_reminders_at(r, i);
			char date[11];
			bool mine = false;

			for (size_t k = 0; k < e->nwho && !mine; k++)
				mine = strcmp(e->who[k].person, people[j]->person) == 0;
			if (!mine)
				continue;
			count++;
			pv_out_begin_map(ctx->out, NULL);
			pv_out_str(ctx->out, "date", pv_date_format(e->date, date));
			pv_out_str(ctx->out, "kind", pv_remind_kind_name(e->kind));
			pv_out_str(ctx->out, "unit", e->unit);
			pv_out_str(ctx->out, "message", e->message);
			pv_out_end_map(ctx->out);
		}
		pv_out_end_list(ctx->out);
		pv_out_int(ctx->out, "count", count);
		pv_out_end_record(ctx->out);
	}
	pv_out_end_table(ctx->out);
	free(people);
	return PV_OK;
}

static int parse_within(struct cmd_ctx *ctx, const char *text, int *days)
{
	char *end;
	long n = strtol(text, &end, 10);

	if (end == text || (*end && strcmp(end, "d") != 0) || n < 0 || n > 366)
		return cmd_usage_error(ctx, "--within needs days like 14d, not '%s'", text);
	*days = (int)n;
	return 0;
}

static int exec_remind(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "within", required_argument, NULL, 'w' },
		{ "unit", required_argument, NULL, 'u' },
		{ "person", required_argument, NULL, 'p' },
		{ "kind", required_argument, NULL, 'k' },
		{ "group-by", required_argument, NULL, 'g' },
		{ "exit-code", no_argument, NULL, 'x' },
		{ 0 },
	};
	struct pv_remind_options opts = { .within_days = -1 };
	const char *as_of = ctx->today;
	struct pv_reminders *r;
	bool exit_code = false, by_person = false;
	enum pv_remind_kind kind;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'a':
			as_of = optarg;
			break;
		case 'w':
			if (parse_within(ctx, optarg, &opts.within_days))
				return PV_EUSAGE;
			break;
		case 'u':
			opts.unit = optarg;
			break;
		case 'p':
			opts.person = optarg;
			break;
		case 'k':
			if (!pv_remind_kind_parse(optarg, &kind))
				return cmd_usage_error(ctx, "unknown reminder kind '%s'", optarg);
			opts.kinds |= 1u << kind;
			break;
		case 'g':
			if (strcmp(optarg, "person") != 0)
				return cmd_usage_error(ctx, "--group-by takes 'person'");
			by_person = true;
			break;
		case 'x':
			exit_code = true;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (opts.unit && opts.person)
		return cmd_usage_error(ctx, "give --unit or --person, not both");
	if (!pv_date_parse(as_of, &opts.as_of))
		return cmd_usage_error(ctx, "--as-of '%s' is not a date", as_of);
	ctx->today = as_of;
	status = pv_remind_collect(ctx->db, &opts, &r, &ctx->err);
	if (status != PV_OK)
		return status;
	/* cron mails whatever a job prints: nothing due, nothing printed */
	if (pv_reminders_count(r) > 0)
		status = by_person ? emit_by_person(ctx, r, opts.person) : emit_events(ctx, r);
	if (status == PV_OK && exit_code && pv_reminders_count(r) > 0)
		status = PV_FINDINGS;
	pv_reminders_free(r);
	return status;
}

const struct cmd_entry cmd_remind_entry = {
	.name = "remind",
	.summary = N_("what is due (meetings, logs, plan, report, actions, consents, stafett)"),
	.usage = "[--as-of DATE] [--within 14d] [--unit U | --person P] [--kind K]... "
		 "[--group-by person] [--exit-code]",
	.help = N_("options:\n"
		"  --as-of DATE     the day to look from (default: today)\n"
		"  --within 14d     how far ahead (default: the rules' remind.within_days)\n"
		"  --unit U         only this unit's events\n"
		"  --person P       only events for this person\n"
		"  --kind K         only these kinds (repeatable): meeting, unlogged,\n"
		"                   plan-missing, plan-overdue, report-due, report-overdue,\n"
		"                   action-due, action-overdue, consent-expiring,\n"
		"                   parents-not-informed, at-risk, evaluation-due,\n"
		"                   evaluation-overdue, decision-overdue, handover-pending\n"
		"  --group-by person  one record per person with their events (use with\n"
		"                   --format jsonl: one line per e-mail to send)\n"
		"  --exit-code      exit 1 when something is due\n"
		"Prints nothing and exits 0 when nothing is due.\n"),
	.max_args = 0,
	.needs = CMD_DB_READ,
	.exec = exec_remind,
};
