/* patvers schedule: generate the year's meeting plan, list it, change it, check it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/audit.h"
#include "patvers/ics.h"
#include "patvers/planedit.h"
#include "patvers/planner.h"

static const char *const meeting_columns[] = {
	"id", "date", "start", "end", "unit", "kind", "status", "flags", NULL,
};

/* "locked,moved,fallback" for people; empty when none. */
static void meeting_flags(const struct pv_meeting *m, char buf[40])
{
	snprintf(buf, 40, "%s%s%s%s%s", m->locked ? "locked" : "",
		 m->locked && (m->moved || m->fallback_day) ? "," : "",
		 m->moved ? "moved" : "", m->moved && m->fallback_day ? "," : "",
		 m->fallback_day ? "fallback" : "");
}

/* One meeting as a record of the plan document (schema patvers/plan/1). */
static void emit_meeting(struct pv_out *out, const struct pv_meeting *m)
{
	char date[11], start[6], end[6], flags[40];

	meeting_flags(m, flags);
	pv_out_begin_record(out);
	pv_out_int(out, "id", m->id);
	pv_out_str(out, "date", pv_date_format(m->date, date));
	pv_out_str(out, "start", pv_time_format(m->start, start));
	pv_out_str(out, "end", pv_time_format(m->end, end));
	pv_out_str(out, "unit", m->unit);
	pv_out_word(out, "kind", pv_meeting_kind_name(m->kind));
	pv_out_word(out, "status", pv_meeting_status_name(m->status));
	pv_out_bool(out, "locked", m->locked);
	pv_out_str(out, "flags", flags);
	if (m->host)
		pv_out_str(out, "host", m->host);
	pv_out_str(out, "leader", m->leader);
	pv_out_begin_list(out, "participants");
	for (size_t i = 0; i < m->nparticipants; i++)
		pv_out_str(out, NULL, m->participants[i].person);
	pv_out_end_list(out);
	pv_out_str(out, "uid", m->uid);
	pv_out_int(out, "sequence", m->sequence);
	if (m->cancel_reason)
		pv_out_str(out, "cancel_reason", m->cancel_reason);
	pv_out_end_record(out);
}

static void emit_plan(struct pv_out *out, const struct pv_plan *plan)
{
	pv_out_begin_table(out, "meetings", meeting_columns);
	for (size_t i = 0; i < pv_plan_count(plan); i++)
		emit_meeting(out, pv_plan_at(plan, i));
	pv_out_end_table(out);
}

/* "2026/27" (or ctx->today's school year when NULL) into *year. */
static int parse_year(struct cmd_ctx *ctx, const char *text, int *year)
{
	pv_date today;

	if (text) {
		if (!pv_school_year_parse(text, year))
			return cmd_usage_error(ctx, "'%s' is not a school year like 2026/27", text);
		return 0;
	}
	if (!pv_date_parse(ctx->today, &today))
		return cmd_usage_error(ctx, "today '%s' is not a date", ctx->today);
	*year = pv_school_year_of(today);
	return 0;
}

static int parse_time(struct cmd_ctx *ctx, const char *what, const char *text, int *minutes)
{
	if (!pv_time_parse(text, minutes))
		return cmd_usage_error(ctx, "%s '%s' is not a time (HH:MM)", what, text);
	return 0;
}

/* ---- generate ---- */

static int by_unit_kind_date(const void *a, const void *b)
{
	const struct pv_meeting *x = *(const struct pv_meeting *const *)a;
	const struct pv_meeting *y = *(const struct pv_meeting *const *)b;
	int c = strcmp(x->unit, y->unit);

	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return (x->date > y->date) - (x->date < y->date);
}

static void emit_summary_row(struct pv_out *out, const struct pv_meeting *const *run,
			     size_t n, pv_date jan1)
{
	int count[2] = { 0, 0 }, fallback = 0, substitutes = 0;
	pv_date first = 0;
	char date[11];

	for (size_t i = 0; i < n; i++) {
		const struct pv_meeting *m = run[i];
		if (m->status == PV_MEETING_CANCELLED)
			continue;
		if (!first)
			first = m->date;
		count[m->date >= jan1]++;
		fallback += m->fallback_day;
		for (size_t k = 0; k < m->nparticipants; k++)
			substitutes += m->participants[k].substitute_for != NULL;
	}
	pv_out_begin_record(out);
	pv_out_str(out, "unit", run[0]->unit);
	pv_out_word(out, "kind", pv_meeting_kind_name(run[0]->kind));
	pv_out_int(out, "h2", count[0]);
	pv_out_int(out, "h1", count[1]);
	pv_out_str(out, "first", first ? pv_date_format(first, date) : NULL);
	pv_out_int(out, "fallback_days", fallback);
	pv_out_int(out, "substitutes", substitutes);
	pv_out_end_record(out);
}

/* Per unit and kind: meetings per half-year, the first date, relaxations. */
static int emit_summary(struct cmd_ctx *ctx, const struct pv_plan *plan, int year)
{
	static const char *const columns[] = {
		"unit", "kind", "h2", "h1", "first", "fallback_days", "substitutes", NULL,
	};
	size_t n = pv_plan_count(plan), start = 0;
	const struct pv_meeting **sorted = malloc((n + 1) * sizeof *sorted);
	pv_date jan1 = 0;

	if (!sorted)
		return pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory");
	for (size_t i = 0; i < n; i++)
		sorted[i] = pv_plan_at(plan, i);
	qsort(sorted, n, sizeof *sorted, by_unit_kind_date);
	pv_date_from_ymd(year + 1, 1, 1, &jan1);
	pv_out_begin_table(ctx->out, "units", columns);
	for (size_t i = 1; i <= n; i++) {
		if (i < n && strcmp(sorted[i]->unit, sorted[start]->unit) == 0 &&
		    sorted[i]->kind == sorted[start]->kind)
			continue;
		emit_summary_row(ctx->out, sorted + start, i - start, jan1);
		start = i;
	}
	pv_out_end_table(ctx->out);
	free(sorted);
	return PV_OK;
}

static void emit_notes(struct pv_out *out, const struct pv_generate_result *r)
{
	static const char *const columns[] = { "date", "unit", "what", NULL };
	char date[11];

	pv_out_begin_table(out, "relaxations", columns);
	for (size_t i = 0; i < r->nnotes; i++) {
		pv_out_begin_record(out);
		pv_out_str(out, "date", pv_date_format(r->notes[i].date, date));
		pv_out_str(out, "unit", r->notes[i].unit);
		pv_out_str(out, "what", r->notes[i].what);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
}

static void emit_stats(struct pv_out *out, const struct pv_generate_result *r)
{
	static const char *const columns[] = {
		"kind", "series", "shortest_gap", "mean_gap", "below_min_gap", NULL,
	};

	pv_out_begin_table(out, "spread", columns);
	for (int k = 0; k < PV_MEETING_KINDS; k++) {
		const struct pv_spread *sp = &r->spread[k];
		if (k != PV_MEETING_SYSTEMMOTE && k != PV_MEETING_GOD_OPPVEKST)
			continue;
		pv_out_begin_record(out);
		pv_out_word(out, "kind", pv_meeting_kind_name((enum pv_meeting_kind)k));
		pv_out_int(out, "series", sp->teams);
		pv_out_int(out, "shortest_gap", sp->shortest_gap);
		pv_out_num(out, "mean_gap", sp->mean_gap, 1);
		pv_out_int(out, "below_min_gap", sp->below_min_gap);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
}

static int exec_generate(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "unit", required_argument, NULL, 'u' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "stats", no_argument, NULL, 's' },
		{ "plan", no_argument, NULL, 'p' },
		{ 0 },
	};
	struct pv_generate_options opts = { 0 };
	struct pv_generate_result result;
	const char *year_text = NULL;
	const char **units = calloc((size_t)argc + 1, sizeof *units);
	bool stats = false, show_plan = false;
	size_t nunits = 0;
	char year[8];
	int c, status;

	if (!units)
		return pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory");
	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'y':
			year_text = optarg;
			break;
		case 'u':
			units[nunits++] = optarg;
			break;
		case 'n':
			opts.dry_run = true;
			break;
		case 's':
			stats = true;
			break;
		case 'p':
			show_plan = true;
			break;
		default:
			free(units);
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) || parse_year(ctx, year_text, &opts.school_year)) {
		free(units);
		return PV_EUSAGE;
	}
	opts.units = nunits ? units : NULL;
	status = pv_schedule_generate(ctx->db, &opts, &result, &ctx->err);
	free(units);
	if (status != PV_OK)
		return status;
	if (result.fallback_calendar)
		cmd_note(ctx, "no calendar imported for %s: school days are Monday–Friday "
			 "minus public holidays", pv_school_year_format(opts.school_year, year));
	pv_out_begin(ctx->out, "plan-generate");
	pv_out_str(ctx->out, "school_year", pv_school_year_format(opts.school_year, year));
	pv_out_bool(ctx->out, "dry_run", opts.dry_run);
	pv_out_int(ctx->out, "planned", result.planned);
	pv_out_int(ctx->out, "unchanged", result.unchanged);
	pv_out_int(ctx->out, "kept", result.kept);
	pv_out_int(ctx->out, "cancelled", result.cancelled);
	pv_out_int(ctx->out, "fallback_days", result.fallback_days);
	pv_out_int(ctx->out, "substitutions", result.substitutions);
	status = emit_summary(ctx, result.plan, opts.school_year);
	emit_notes(ctx->out, &result);
	if (stats)
		emit_stats(ctx->out, &result);
	if (show_plan)
		emit_plan(ctx->out, result.plan);
	pv_generate_result_release(&result);
	return status;
}

/* ---- list and show ---- */

static int exec_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "unit", required_argument, NULL, 'u' },
		{ "person", required_argument, NULL, 'p' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "week", required_argument, NULL, 'w' },
		{ "kind", required_argument, NULL, 'k' },
		{ "all", no_argument, NULL, 'a' },
		{ 0 },
	};
	struct pv_plan_filter filter = { 0 };
	struct pv_plan *plan;
	char *end;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'y':
			if (parse_year(ctx, optarg, &filter.school_year))
				return PV_EUSAGE;
			break;
		case 'u':
			filter.unit = optarg;
			break;
		case 'p':
			filter.person = optarg;
			break;
		case 'f':
			if (cmd_parse_date(ctx, "--from", optarg, &filter.from))
				return PV_EUSAGE;
			break;
		case 't':
			if (cmd_parse_date(ctx, "--to", optarg, &filter.to))
				return PV_EUSAGE;
			break;
		case 'w':
			filter.iso_week = (int)strtol(optarg, &end, 10);
			if (*end || filter.iso_week < 1 || filter.iso_week > 53)
				return cmd_usage_error(ctx, "--week needs an ISO week 1–53, not '%s'",
						       optarg);
			break;
		case 'k':
			filter.only_kind = true;
			if (!pv_meeting_kind_parse(optarg, &filter.kind))
				return cmd_usage_error(ctx, "unknown meeting kind '%s'", optarg);
			break;
		case 'a':
			filter.include_cancelled = true;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	status = pv_plan_load(ctx->db, &filter, &plan, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "plan");
	emit_plan(ctx->out, plan);
	pv_plan_free(plan);
	return PV_OK;
}

/* Loads the one meeting named by argv[optind]. */
static int load_one(struct cmd_ctx *ctx, const char *text, struct pv_plan **plan,
		    const struct pv_meeting **m)
{
	struct pv_plan_filter all = { .include_cancelled = true };
	long long id;
	int status;

	if (cmd_parse_meeting_id(ctx, text, &id))
		return PV_EUSAGE;
	status = pv_plan_load(ctx->db, &all, plan, &ctx->err);
	if (status != PV_OK)
		return status;
	*m = pv_plan_find(*plan, id);
	if (!*m) {
		pv_plan_free(*plan);
		return pv_error_set(&ctx->err, PV_EDATA, "no meeting with id %lld", id);
	}
	return PV_OK;
}

static int exec_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const columns[] = { "person", "role", "substitute_for", NULL };
	const struct pv_meeting *m;
	struct pv_plan *plan;
	char date[11], start[6], end[6], flags[40];
	int status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	status = load_one(ctx, argv[optind], &plan, &m);
	if (status != PV_OK)
		return status;
	meeting_flags(m, flags);
	pv_out_begin(ctx->out, "meeting");
	pv_out_int(ctx->out, "id", m->id);
	pv_out_str(ctx->out, "unit", m->unit);
	pv_out_word(ctx->out, "kind", pv_meeting_kind_name(m->kind));
	pv_out_str(ctx->out, "date", pv_date_format(m->date, date));
	pv_out_word(ctx->out, "weekday", pv_weekday_name(pv_date_weekday(m->date)));
	pv_out_str(ctx->out, "start", pv_time_format(m->start, start));
	pv_out_str(ctx->out, "end", pv_time_format(m->end, end));
	pv_out_word(ctx->out, "status", pv_meeting_status_name(m->status));
	pv_out_str(ctx->out, "flags", flags);
	pv_out_str(ctx->out, "host", m->host);
	pv_out_str(ctx->out, "leader", m->leader);
	pv_out_str(ctx->out, "uid", m->uid);
	pv_out_int(ctx->out, "sequence", m->sequence);
	if (m->cancel_reason)
		pv_out_str(ctx->out, "cancel_reason", m->cancel_reason);
	pv_out_begin_table(ctx->out, "participants", columns);
	for (size_t i = 0; i < m->nparticipants; i++) {
		pv_out_begin_record(ctx->out);
		pv_out_str(ctx->out, "person", m->participants[i].person);
		pv_out_str(ctx->out, "role", m->participants[i].role);
		pv_out_str(ctx->out, "substitute_for", m->participants[i].substitute_for);
		pv_out_end_record(ctx->out);
	}
	pv_out_end_table(ctx->out);
	pv_plan_free(plan);
	return PV_OK;
}

static int exec_agenda(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct pv_meeting *m;
	struct pv_plan *plan;
	struct pv_rules *rules = NULL;
	struct pv_roster *roster = NULL;
	char *text = NULL;
	int status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	status = load_one(ctx, argv[optind], &plan, &m);
	if (status != PV_OK)
		return status;
	status = pv_rules_load(ctx->db, &rules, &ctx->err);
	if (status == PV_OK)
		status = pv_roster_load(ctx->db, rules, &roster, &ctx->err);
	if (status == PV_OK)
		status = pv_plan_agenda(m, roster, rules, &text, &ctx->err);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "agenda");
		pv_out_str(ctx->out, "markdown", text);
	}
	free(text);
	pv_roster_free(roster);
	pv_rules_free(rules);
	pv_plan_free(plan);
	return status;
}

/* ---- changes ---- */

static void emit_finding(const struct pv_plan_finding *f, void *arg)
{
	struct pv_out *out = arg;
	char date[11];

	pv_out_begin_record(out);
	pv_out_str(out, "unit", f->unit);
	pv_out_str(out, "rule", f->rule);
	if (f->meeting)
		pv_out_int(out, "meeting", f->meeting);
	else
		pv_out_null(out, "meeting");
	pv_out_str(out, "date", f->date ? pv_date_format(f->date, date) : NULL);
	pv_out_str(out, "detail", f->detail);
	pv_out_end_record(out);
}

static const char *const finding_columns[] = {
	"unit", "rule", "meeting", "date", "detail", NULL,
};

static int exec_move(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ 0 },
	};
	bool force = false;
	long long id;
	pv_date date;
	int c, start = -1, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c != 'f')
			return PV_EUSAGE;
		force = true;
	}
	if (cmd_check_args(ctx, argc - optind) || cmd_parse_meeting_id(ctx, argv[optind], &id) ||
	    cmd_parse_date(ctx, "date", argv[optind + 1], &date) ||
	    (argc - optind == 3 && parse_time(ctx, "time", argv[optind + 2], &start)))
		return PV_EUSAGE;
	pv_out_begin(ctx->out, "plan-move");
	pv_out_int(ctx->out, "id", id);
	pv_out_begin_table(ctx->out, "forced", finding_columns);
	status = pv_plan_move(ctx->db, id, date, start, force, emit_finding, ctx->out,
			      &ctx->err);
	pv_out_end_table(ctx->out);
	return status;
}

static int exec_cancel(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *reason;
	long long id;
	int status;

	if (cmd_parse_cancel(ctx, argc, argv, &id, &reason))
		return PV_EUSAGE;
	status = pv_plan_cancel(ctx->db, id, reason, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "plan-cancel");
	pv_out_int(ctx->out, "cancelled", id);
	return PV_OK;
}

static int exec_lock(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unlock", no_argument, NULL, 'u' },
		{ 0 },
	};
	bool locked = true;
	long long id;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c != 'u')
			return PV_EUSAGE;
		locked = false;
	}
	if (cmd_check_args(ctx, argc - optind) || cmd_parse_meeting_id(ctx, argv[optind], &id))
		return PV_EUSAGE;
	status = pv_plan_lock(ctx->db, id, locked, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "plan-lock");
	pv_out_int(ctx->out, "id", id);
	pv_out_bool(ctx->out, "locked", locked);
	return PV_OK;
}

static int exec_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "date", required_argument, NULL, 'd' },
		{ "time", required_argument, NULL, 't' },
		{ "end", required_argument, NULL, 'e' },
		{ "kind", required_argument, NULL, 'k' },
		{ "force", no_argument, NULL, 'f' },
		{ 0 },
	};
	enum pv_meeting_kind kind = PV_MEETING_VEILEDNINGSTEAM;
	const char *unit = NULL;
	pv_date date = 0;
	int c, start = -1, end = -1, status;
	bool force = false;
	long long id;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'u':
			unit = optarg;
			break;
		case 'd':
			if (cmd_parse_date(ctx, "--date", optarg, &date))
				return PV_EUSAGE;
			break;
		case 't':
			if (parse_time(ctx, "--time", optarg, &start))
				return PV_EUSAGE;
			break;
		case 'e':
			if (parse_time(ctx, "--end", optarg, &end))
				return PV_EUSAGE;
			break;
		case 'k':
			if (!pv_meeting_kind_parse(optarg, &kind))
				return cmd_usage_error(ctx, "unknown meeting kind '%s'", optarg);
			break;
		case 'f':
			force = true;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (!unit || !date || start < 0)
		return cmd_usage_error(ctx, "--unit, --date and --time are required");
	if (end < 0)
		end = start + 90;   /* a veiledningsteam meeting: 90 minutes */
	pv_out_begin(ctx->out, "plan-add");
	pv_out_begin_table(ctx->out, "forced", finding_columns);
	status = pv_plan_add_meeting(ctx->db, unit, kind, date, start, end, force, emit_finding,
				     ctx->out, &id, &ctx->err);
	pv_out_end_table(ctx->out);
	if (status == PV_OK)
		pv_out_int(ctx->out, "id", id);
	return status;
}

static int exec_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "exit-code", no_argument, NULL, 'x' },
		{ 0 },
	};
	const char *year_text = NULL;
	bool exit_code = false;
	int c, year, count = 0, status;
	char name[8];

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c == 'y')
			year_text = optarg;
		else if (c == 'x')
			exit_code = true;
		else
			return PV_EUSAGE;
	}
	if (cmd_check_args(ctx, argc - optind) || parse_year(ctx, year_text, &year))
		return PV_EUSAGE;
	pv_out_begin(ctx->out, "plan-check");
	pv_out_str(ctx->out, "school_year", pv_school_year_format(year, name));
	pv_out_begin_table(ctx->out, "findings", finding_columns);
	status = pv_plan_check(ctx->db, year, emit_finding, ctx->out, &count, &ctx->err);
	pv_out_end_table(ctx->out);
	if (status != PV_OK)
		return status;
	return exit_code && count ? PV_FINDINGS : PV_OK;
}

/* The agenda as the ICS DESCRIPTION; the text lives until the next call. */
struct agenda_source {
	const struct pv_roster *roster;
	const struct pv_rules *rules;
	char *last;
};

static const char *agenda_for(const struct pv_meeting *m, void *arg)
{
	struct agenda_source *src = arg;
	struct pv_error err;

	free(src->last);
	src->last = NULL;
	if (pv_plan_agenda(m, src->roster, src->rules, &src->last, &err) != PV_OK)
		return NULL;
	return src->last;
}


static int export_ics(struct cmd_ctx *ctx, const struct pv_plan *plan, const char *output,
		      const char *name)
{
	struct pv_rules *rules = NULL;
	struct pv_roster *roster = NULL;
	struct agenda_source src = { 0 };
	struct pv_ics_options opts = { .calendar_name = name, .agenda = agenda_for,
				       .agenda_arg = &src };
	char *text = NULL;
	int status = pv_rules_load(ctx->db, &rules, &ctx->err);

	if (status == PV_OK)
		status = pv_roster_load(ctx->db, rules, &roster, &ctx->err);
	/* DTSTAMP is the database's last change, so the same database
	 * exports the same bytes */
	if (status == PV_OK)
		status = pv_audit_last_time(ctx->db, &opts.dtstamp, &ctx->err);
	if (status == PV_OK && opts.dtstamp <= 0)
		opts.dtstamp = 1;
	src.roster = roster;
	src.rules = rules;
	if (status == PV_OK)
		status = pv_ics_export(plan, roster, rules, &opts, &text, &ctx->err);
	if (status == PV_OK)
		status = cmd_write_output(ctx, output, text);
	if (status == PV_OK && output)
		cmd_note(ctx, pv_plan_count(plan) == 1 ? N_("wrote %zu meeting to '%s'")
						       : N_("wrote %zu meetings to '%s'"),
			 pv_plan_count(plan), output);
	free(text);
	free(src.last);
	pv_roster_free(roster);
	pv_rules_free(rules);
	return status;
}

static int exec_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ics", no_argument, NULL, 'i' },
		{ "year", required_argument, NULL, 'y' },
		{ "unit", required_argument, NULL, 'u' },
		{ "person", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'N' },
		{ 0 },
	};
	struct pv_plan_filter filter = { .include_cancelled = true };
	const char *output = NULL, *name = NULL;
	struct pv_plan *plan;
	bool ics = false;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "o:", longopts)) != -1) {
		switch (c) {
		case 'i':
			ics = true;
			break;
		case 'y':
			if (parse_year(ctx, optarg, &filter.school_year))
				return PV_EUSAGE;
			break;
		case 'u':
			filter.unit = optarg;
			break;
		case 'p':
			filter.person = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'N':
			name = optarg;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (filter.unit && filter.person)
		return cmd_usage_error(ctx, "give --unit or --person, not both");
	status = pv_plan_load(ctx->db, &filter, &plan, &ctx->err);
	if (status != PV_OK)
		return status;
	if (ics) {
		status = export_ics(ctx, plan, output, name);
	} else if (output) {
		status = cmd_usage_error(ctx, "-o goes with --ics; use --format and a redirection");
	} else {
		pv_out_begin(ctx->out, "plan");
		emit_plan(ctx->out, plan);
	}
	pv_plan_free(plan);
	return status;
}

static const struct cmd_entry schedule_subs[] = {
	{
		.name = "generate",
		.summary = N_("plan every meeting the rules require for a school year"),
		.usage = "[--year 2026/27] [--unit U]... [--dry-run] [--stats] [--plan]",
		.help = N_("options:\n"
			"  --year YEAR   the school year (default: the current one)\n"
			"  --unit U      (re)plan only this unit; repeatable\n"
			"  --dry-run     plan and print, store nothing\n"
			"  --stats       print the spread figures (gaps between meetings)\n"
			"  --plan        print every meeting too\n"
			"Held, cancelled, locked and moved meetings are kept. When the rules\n"
			"cannot be met the plan is not stored and the command exits 69 saying why.\n"),
		.max_args = 0,
		.needs = CMD_DB_WRITE,
		.exec = exec_generate,
	},
	{
		.name = "list",
		.summary = N_("list meetings (schema patvers/plan/1 in JSON)"),
		.usage = "[--year Y] [--unit U] [--person P] [--from D] [--to D] [--week N] "
			 "[--kind K] [--all]",
		.help = N_("options:\n"
			"  --year YEAR    one school year\n"
			"  --unit U       a unit's meetings (a kindergarten: its group's too)\n"
			"  --person P     meetings the person takes part in\n"
			"  --from D, --to D  a date range\n"
			"  --week N       ISO week N\n"
			"  --kind K       systemmote, veiledningsteam, naervaer, god-oppvekst, apen-dor\n"
			"  --all          include cancelled meetings\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_list,
	},
	{
		.name = "show",
		.summary = N_("one meeting with its participants"),
		.usage = "ID",
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_READ,
		.exec = exec_show,
	},
	{
		.name = "agenda",
		.summary = N_("the meeting's agenda (Markdown)"),
		.usage = "ID",
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_READ,
		.exec = exec_agenda,
	},
	{
		.name = "move",
		.summary = N_("move a meeting; refuses a clash, a closed day or a broken minimum"),
		.usage = "ID DATE [TIME] [--force]",
		.help = N_("options:\n  --force  move even when a rule is broken (each is listed)\n"),
		.min_args = 2,
		.max_args = 3,
		.needs = CMD_DB_WRITE,
		.exec = exec_move,
	},
	{
		.name = "cancel",
		.summary = N_("cancel a meeting (a deviation: the reason is kept)"),
		.usage = "ID --reason TEXT",
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_cancel,
	},
	{
		.name = "lock",
		.summary = N_("keep a meeting as it is when the plan is generated again"),
		.usage = "ID [--unlock]",
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_lock,
	},
	{
		.name = "add",
		.summary = N_("add an ad hoc meeting (e.g. a veiledningsteam)"),
		.usage = "--unit U --date D --time HH:MM [--end HH:MM] [--kind K] [--force]",
		.max_args = 0,
		.needs = CMD_DB_WRITE,
		.exec = exec_add,
	},
	{
		.name = "export",
		.summary = N_("the plan as iCalendar (--ics) for Outlook/Google, or JSON/CSV"),
		.usage = "[--ics] [--year Y] [--unit U | --person P] [-o FILE] [--name TEXT]",
		.help = N_("options:\n"
			"  --ics          iCalendar (RFC 5545): one VEVENT per meeting, stable UIDs,\n"
			"                 SEQUENCE raised on every change, cancelled meetings as\n"
			"                 STATUS:CANCELLED; without it the plan in --format\n"
			"  --year YEAR    one school year\n"
			"  --unit U       one unit's meetings\n"
			"  --person P     one person's meetings\n"
			"  -o, --output FILE  write the calendar to FILE (never overwrites)\n"
			"  --name TEXT    the calendar's name (X-WR-CALNAME)\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_export,
	},
	{
		.name = "check",
		.summary = N_("check the stored plan against the rules"),
		.usage = "[--year Y] [--exit-code]",
		.help = N_("options:\n"
			"  --year YEAR   the school year (default: the current one)\n"
			"  --exit-code   exit 1 when there are findings\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_check,
	},
	{ 0 },
};

const struct cmd_entry cmd_schedule_entry = {
	.name = "schedule",
	.summary = N_("the annual meeting plan: generate, list, move, check, export"),
	.usage = "generate|list|show|agenda|move|cancel|lock|add|export|check",
	.subs = schedule_subs,
};
