/* patvers log: meetings held or cancelled, with cases, actions and «Åpen dør» counts. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/meetinglog.h"

static int parse_count(struct cmd_ctx *ctx, const char *what, const char *text, int *n)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (!*text || *end || v < 0 || v > 999)
		return cmd_usage_error(ctx, "%s needs a count 0–999, not '%s'", what, text);
	*n = (int)v;
	return 0;
}

static int today(struct cmd_ctx *ctx, pv_date *d)
{
	if (!pv_date_parse(ctx->today, d))
		return pv_error_set(&ctx->err, PV_EUSAGE, "today '%s' is not a date "
				    "(check PATVERS_TODAY)", ctx->today);
	return 0;
}

static int count_consent(const struct pv_meeting_log *log)
{
	int n = 0;

	for (size_t i = 0; i < log->ncases; i++)
		n += log->cases[i].consent_ref != NULL;
	return n;
}

/* What a write reports: the meeting and the log's counts. */
static void emit_stored(struct pv_out *out, const char *kind, const struct pv_meeting_log *log)
{
	pv_out_begin(out, kind);
	pv_out_int(out, "meeting", log->meeting);
	pv_out_str(out, "status", "held");
	pv_out_int(out, "present", (long long)pv_log_present(log));
	pv_out_int(out, "cases", (long long)log->ncases);
	pv_out_int(out, "consent_cases", count_consent(log));
	pv_out_begin_list(out, "action_ids");
	for (size_t i = 0; i < log->nactions; i++)
		pv_out_int(out, NULL, log->actions[i].id);
	pv_out_end_list(out);
}

/* ---- held ---- */

static int exec_held(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "leader", required_argument, NULL, 'l' },
		{ "attendee", required_argument, NULL, 'a' },
		{ "substitute", required_argument, NULL, 's' },
		{ "guest", required_argument, NULL, 'g' },
		{ "case", required_argument, NULL, 'c' },
		{ "action", required_argument, NULL, 'A' },
		{ "experience", required_argument, NULL, 'e' },
		{ "staff-consultations", required_argument, NULL, 'S' },
		{ "pupil-conversations", required_argument, NULL, 'P' },
		{ "parents-informed", required_argument, NULL, 'I' },
		{ 0 },
	};
	const struct pv_log_origin cli = { 0, "" };
	struct pv_log_store_options opts = { 0 };
	struct pv_meeting_log *log = pv_log_new(0);
	struct pv_rules *rules = NULL;
	struct pv_error *err = &ctx->err;
	long long id;
	int c, status = PV_OK;

	if (!log)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	while (status == PV_OK && (c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'l':
			status = pv_log_set_leader(log, optarg, cli, err);
			break;
		case 'a':
			status = pv_log_add_attendee(log, optarg, NULL, cli, err);
			break;
		case 's':
			status = pv_log_parse_substitute(log, optarg, cli, err);
			break;
		case 'g':
			status = pv_log_parse_guest(log, optarg, cli, err);
			break;
		case 'c':
			status = pv_log_parse_case(log, optarg, cli, err);
			break;
		case 'A':
			status = pv_log_parse_action(log, optarg, 0, cli, err);
			break;
		case 'e':
			status = pv_log_set_experience(log, optarg, cli, err);
			break;
		case 'S':
			status = parse_count(ctx, "--staff-consultations", optarg,
					     &log->staff_consultations);
			break;
		case 'P':
			status = parse_count(ctx, "--pupil-conversations", optarg,
					     &log->pupil_conversations);
			break;
		case 'I':
			status = cmd_parse_date(ctx, "--parents-informed", optarg,
					    &log->parents_informed);
			break;
		default:
			status = PV_EUSAGE;
		}
	}
	if (status == PV_OK && (cmd_check_args(ctx, argc - optind) ||
				cmd_parse_meeting_id(ctx, argv[optind], &id) ||
				today(ctx, &opts.today)))
		status = PV_EUSAGE;
	if (status == PV_OK && !log->leader)
		status = cmd_usage_error(ctx, "say who led the meeting with --leader PERSON");
	if (status == PV_OK) {
		log->meeting = id;
		status = pv_rules_load(ctx->db, &rules, err);
	}
	if (status == PV_OK)
		status = pv_log_store(ctx->db, rules, NULL, log, &opts, err);
	if (status == PV_OK)
		emit_stored(ctx->out, "log-held", log);
	pv_rules_free(rules);
	pv_log_free(log);
	return status;
}

/* ---- cancel ---- */

static int exec_cancel(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct pv_rules *rules = NULL;
	const char *reason;
	long long id;
	int status;

	if (cmd_parse_cancel(ctx, argc, argv, &id, &reason))
		return PV_EUSAGE;
	status = pv_rules_load(ctx->db, &rules, &ctx->err);
	if (status == PV_OK)
		status = pv_log_cancel(ctx->db, rules, id, reason, &ctx->err);
	pv_rules_free(rules);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "log-cancel");
	pv_out_int(ctx->out, "meeting", id);
	pv_out_str(ctx->out, "status", "cancelled");
	return PV_OK;
}

/* ---- show ---- */

static void emit_log_tables(struct pv_out *out, const struct pv_meeting_log *log)
{
	static const char *const attendee_columns[] = { "person", "substitute_for", NULL };
	static const char *const guest_columns[] = { "role", "count", NULL };
	static const char *const case_columns[] = { "id", "consent", "theme", NULL };
	static const char *const action_columns[] = {
		"id", "responsible", "what", "due", "status", "done", NULL,
	};
	char due[11], done[11];

	pv_out_begin_table(out, "attendees", attendee_columns);
	for (size_t i = 0; log && i < log->nattendees; i++) {
		pv_out_begin_record(out);
		pv_out_str(out, "person", log->attendees[i].person);
		pv_out_str(out, "substitute_for", log->attendees[i].substitute_for);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
	pv_out_begin_table(out, "guests", guest_columns);
	for (size_t i = 0; log && i < log->nguests; i++) {
		pv_out_begin_record(out);
		pv_out_str(out, "role", log->guests[i].role);
		pv_out_int(out, "count", log->guests[i].count);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
	pv_out_begin_table(out, "cases", case_columns);
	for (size_t i = 0; log && i < log->ncases; i++) {
		pv_out_begin_record(out);
		pv_out_int(out, "id", log->cases[i].id);
		pv_out_str(out, "consent", log->cases[i].consent_ref);
		pv_out_str(out, "theme", log->cases[i].theme);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
	pv_out_begin_table(out, "actions", action_columns);
	for (size_t i = 0; log && i < log->nactions; i++) {
		const struct pv_log_action *a = &log->actions[i];
		pv_out_begin_record(out);
		pv_out_int(out, "id", a->id);
		pv_out_str(out, "responsible", a->responsible);
		pv_out_bool(out, "person", a->is_person);
		pv_out_str(out, "what", a->what);
		pv_out_str(out, "due", pv_date_format(a->due, due));
		pv_out_word(out, "status", pv_action_status_name(a->status));
		pv_out_str(out, "done", a->done ? pv_date_format(a->done, done) : NULL);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
}

static int exec_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct pv_plan *plan = NULL;
	const struct pv_meeting *m;
	struct pv_meeting_log *log = NULL;
	char date[11], start[6], end[6];
	long long id;
	int status;

	if (cmd_parse_plain(ctx, argc, argv) || cmd_parse_meeting_id(ctx, argv[optind], &id))
		return PV_EUSAGE;
	status = pv_log_meeting(ctx->db, id, NULL, &plan, &m, &ctx->err);
	if (status == PV_OK)
		status = pv_log_load(ctx->db, id, &log, &ctx->err);
	if (status != PV_OK) {
		pv_plan_free(plan);
		return status;
	}
	pv_out_begin(ctx->out, "meeting-log");
	pv_out_int(ctx->out, "meeting", m->id);
	pv_out_str(ctx->out, "unit", m->unit);
	pv_out_word(ctx->out, "kind", pv_meeting_kind_name(m->kind));
	pv_out_str(ctx->out, "date", pv_date_format(m->date, date));
	pv_out_str(ctx->out, "start", pv_time_format(m->start, start));
	pv_out_str(ctx->out, "end", pv_time_format(m->end, end));
	pv_out_word(ctx->out, "status", pv_meeting_status_name(m->status));
	if (m->cancel_reason)
		pv_out_str(ctx->out, "cancel_reason", m->cancel_reason);
	pv_out_bool(ctx->out, "logged", log != NULL);
	pv_out_str(ctx->out, "leader", log ? log->leader : NULL);
	if (log && (log->staff_consultations >= 0 || log->pupil_conversations >= 0)) {
		pv_out_int(ctx->out, "staff_consultations", log->staff_consultations > 0 ?
			   log->staff_consultations : 0);
		pv_out_int(ctx->out, "pupil_conversations", log->pupil_conversations > 0 ?
			   log->pupil_conversations : 0);
		pv_out_str(ctx->out, "parents_informed", log->parents_informed ?
			   pv_date_format(log->parents_informed, date) : NULL);
	}
	pv_out_str(ctx->out, "experience", log ? log->experience : NULL);
	if (!log && m->status != PV_MEETING_CANCELLED)
		pv_out_note(ctx->out, "not logged yet: 'patvers log held %lld --leader …' or "
			    "'patvers log edit %lld'", id, id);
	emit_log_tables(ctx->out, log);
	pv_log_free(log);
	pv_plan_free(plan);
	return PV_OK;
}

/* ---- list ---- */

static void emit_summary(const struct pv_log_summary *s, void *arg)
{
	struct pv_out *out = arg;
	const struct pv_meeting *m = s->meeting;
	char date[11];

	pv_out_begin_record(out);
	pv_out_int(out, "id", m->id);
	pv_out_str(out, "date", pv_date_format(m->date, date));
	pv_out_str(out, "unit", m->unit);
	pv_out_word(out, "kind", pv_meeting_kind_name(m->kind));
	pv_out_word(out, "status", pv_meeting_status_name(m->status));
	pv_out_bool(out, "logged", s->logged);
	pv_out_str(out, "leader", s->leader);
	pv_out_int(out, "present", s->present);
	pv_out_int(out, "guests", s->guests);
	pv_out_int(out, "cases", s->cases);
	pv_out_int(out, "consent_cases", s->consent_cases);
	pv_out_int(out, "actions", s->actions);
	pv_out_int(out, "open_actions", s->open_actions);
	if (s->pupil_conversations >= 0)
		pv_out_int(out, "pupil_conversations", s->pupil_conversations);
	else
		pv_out_null(out, "pupil_conversations");
	pv_out_str(out, "parents_informed", s->parents_informed ?
		   pv_date_format(s->parents_informed, date) : NULL);
	pv_out_end_record(out);
}

static int exec_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "unlogged", no_argument, NULL, 'n' },
		{ "parents-not-informed", no_argument, NULL, 'p' },
		{ "exit-code", no_argument, NULL, 'x' },
		{ 0 },
	};
	static const char *const columns[] = {
		"id", "date", "unit", "kind", "status", "logged", "present", "cases", "actions",
		"open_actions", NULL,
	};
	static const char *const informed_columns[] = {
		"id", "date", "unit", "kind", "pupil_conversations", "parents_informed", NULL,
	};
	struct pv_log_filter f = { 0 };
	bool exit_code = false;
	int c, count = 0, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'u':
			f.unit = optarg;
			break;
		case 'f':
			if (cmd_parse_date(ctx, "--from", optarg, &f.from))
				return PV_EUSAGE;
			break;
		case 't':
			if (cmd_parse_date(ctx, "--to", optarg, &f.to))
				return PV_EUSAGE;
			break;
		case 'n':
			f.unlogged = true;
			break;
		case 'p':
			f.parents_not_informed = true;
			break;
		case 'x':
			exit_code = true;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) || today(ctx, &f.today))
		return PV_EUSAGE;
	pv_out_begin(ctx->out, "log-list");
	pv_out_begin_table(ctx->out, "meetings",
			   f.parents_not_informed ? informed_columns : columns);
	status = pv_log_list(ctx->db, &f, emit_summary, ctx->out, &count, &ctx->err);
	pv_out_end_table(ctx->out);
	if (status != PV_OK)
		return status;
	return exit_code && count ? PV_FINDINGS : PV_OK;
}

/* ---- actions ---- */

static void emit_action(const struct pv_log_action_row *row, void *arg)
{
	struct pv_out *out = arg;
	const struct pv_log_action *a = row->action;
	char due[11], done[11], date[11];

	pv_out_begin_record(out);
	pv_out_int(out, "id", a->id);
	pv_out_int(out, "meeting", row->meeting);
	pv_out_str(out, "meeting_date", pv_date_format(row->meeting_date, date));
	pv_out_str(out, "unit", row->unit);
	pv_out_str(out, "responsible", a->responsible);
	pv_out_bool(out, "person", a->is_person);
	pv_out_str(out, "what", a->what);
	pv_out_str(out, "due", pv_date_format(a->due, due));
	pv_out_word(out, "status", pv_action_status_name(a->status));
	pv_out_str(out, "done", a->done ? pv_date_format(a->done, done) : NULL);
	pv_out_end_record(out);
}

static int exec_actions(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "open", no_argument, NULL, 'o' },
		{ "overdue", no_argument, NULL, 'd' },
		{ "unit", required_argument, NULL, 'u' },
		{ "exit-code", no_argument, NULL, 'x' },
		{ 0 },
	};
	static const char *const columns[] = {
		"id", "meeting", "unit", "responsible", "what", "due", "status", "done", NULL,
	};
	struct pv_action_filter f = { 0 };
	bool exit_code = false;
	int c, count = 0, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'o':
			f.open = true;
			break;
		case 'd':
			f.overdue = true;
			break;
		case 'u':
			f.unit = optarg;
			break;
		case 'x':
			exit_code = true;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind) || today(ctx, &f.today))
		return PV_EUSAGE;
	pv_out_begin(ctx->out, "log-actions");
	pv_out_begin_table(ctx->out, "actions", columns);
	status = pv_log_actions(ctx->db, &f, emit_action, ctx->out, &count, &ctx->err);
	pv_out_end_table(ctx->out);
	if (status != PV_OK)
		return status;
	return exit_code && count ? PV_FINDINGS : PV_OK;
}

/* An optional --date D, defaulting to today. */
static int date_option(struct cmd_ctx *ctx, int argc, char **argv, pv_date *date)
{
	static const struct option longopts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ 0 },
	};
	int c;

	if (today(ctx, date))
		return PV_EUSAGE;
	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c != 'd' || cmd_parse_date(ctx, "--date", optarg, date))
			return PV_EUSAGE;
	}
	return cmd_check_args(ctx, argc - optind);
}

static int exec_action(struct cmd_ctx *ctx, int argc, char **argv)
{
	pv_date date;
	long long id;
	int status;

	if (date_option(ctx, argc, argv, &date))
		return PV_EUSAGE;
	if (strcmp(argv[optind], "done") != 0)
		return cmd_usage_error(ctx, "'%s' is not an action verb: use 'patvers log action "
				       "done ID'", argv[optind]);
	if (!cmd_id_parse(argv[optind + 1], &id))
		return cmd_usage_error(ctx, "'%s' is not an action id", argv[optind + 1]);
	status = pv_log_action_done(ctx->db, id, date, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "log-action");
	pv_out_int(ctx->out, "action", id);
	pv_out_str(ctx->out, "status", "done");
	return PV_OK;
}

static int exec_informed(struct cmd_ctx *ctx, int argc, char **argv)
{
	char text[11];
	pv_date date;
	long long id;
	int status;

	if (date_option(ctx, argc, argv, &date) ||
	    cmd_parse_meeting_id(ctx, argv[optind], &id))
		return PV_EUSAGE;
	status = pv_log_parents_informed(ctx->db, id, date, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "log-informed");
	pv_out_int(ctx->out, "meeting", id);
	pv_out_str(ctx->out, "parents_informed", pv_date_format(date, text));
	return PV_OK;
}

/* ---- import and export ---- */

static int exec_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "replace", no_argument, NULL, 'r' },
		{ 0 },
	};
	struct pv_log_store_options opts = { 0 };
	struct pv_meeting_log **logs = NULL;
	struct pv_rules *rules = NULL;
	struct pv_roster *roster = NULL;
	const char *path;
	char *text;
	size_t len, n = 0;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c != 'r')
			return PV_EUSAGE;
		opts.replace = true;
	}
	if (cmd_check_args(ctx, argc - optind) || today(ctx, &opts.today))
		return PV_EUSAGE;
	path = argv[optind];
	status = cmd_read_file(ctx, path, &text, &len);
	if (status != PV_OK)
		return status;
	status = pv_log_parse_json(text, len, strcmp(path, "-") ? path : "<stdin>", &logs, &n,
				   &ctx->err);
	free(text);
	if (status == PV_OK)
		status = pv_rules_load(ctx->db, &rules, &ctx->err);
	if (status == PV_OK)
		status = pv_roster_load(ctx->db, rules, &roster, &ctx->err);
	/* all or nothing: the first bad meeting fails the command, and the
	 * dispatcher rolls its transaction back */
	for (size_t i = 0; status == PV_OK && i < n; i++) {
		/* the store resolves a uid to the meeting's id */
		status = pv_log_store(ctx->db, rules, roster, logs[i], &opts, &ctx->err);
		for (size_t k = 0; status == PV_OK && k < i; k++)
			if (logs[k]->meeting == logs[i]->meeting)
				status = pv_error_set_at(&ctx->err, PV_EDATA, path, 0, 0,
							 "meetings[%zu]: meeting %lld is also "
							 "meetings[%zu]", i, logs[i]->meeting, k);
	}
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "log-import");
		pv_out_str(ctx->out, "file", path);
		pv_out_int(ctx->out, "meetings", (long long)n);
		pv_out_bool(ctx->out, "replace", opts.replace);
	}
	pv_log_array_free(logs, n);
	pv_roster_free(roster);
	pv_rules_free(rules);
	return status;
}

/* Writes the document itself, like `rules export`: the export is the
 * file `log import` reads, whatever --format says. */
static int exec_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ 0 },
	};
	struct pv_log_filter f = { 0 };
	const char *output = NULL;
	json_t *doc = NULL;
	char *text = NULL;
	FILE *fp;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "o:", longopts)) != -1) {
		switch (c) {
		case 'u':
			f.unit = optarg;
			break;
		case 'f':
			if (cmd_parse_date(ctx, "--from", optarg, &f.from))
				return PV_EUSAGE;
			break;
		case 't':
			if (cmd_parse_date(ctx, "--to", optarg, &f.to))
				return PV_EUSAGE;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	status = pv_log_export(ctx->db, &f, &doc, &ctx->err);
	if (status != PV_OK)
		return status;
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!text)
		return pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory");
	fp = stdout;
	if (output)
		status = cmd_create_output(ctx, output, &fp);
	if (status == PV_OK) {
		fputs(text, fp);
		fputc('\n', fp);
		if (output)
			status = cmd_close_output(ctx, output, fp, status);
	}
	free(text);
	return status;
}

/* ---- edit ---- */

/* "<folder of the database>/drafts/log-ID.txt", malloc'ed; the folder is
 * made 0700 when missing. */
static int draft_path(struct cmd_ctx *ctx, long long id, char **path)
{
	const char *slash = strrchr(ctx->db_path, '/');
	size_t dir = slash ? (size_t)(slash - ctx->db_path) : 1;
	size_t len = dir + 64;
	char *p = malloc(len);

	*path = NULL;
	if (!p)
		return pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory");
	snprintf(p, len, "%.*s/drafts", (int)dir, slash ? ctx->db_path : ".");
	if (slash == ctx->db_path)
		snprintf(p, len, "/drafts");
	if (mkdir(p, 0700) != 0 && errno != EEXIST) {
		int e = errno;
		int status = pv_error_set(&ctx->err, PV_ECANTCREAT, "cannot create folder '%s': "
					  "%s", p, strerror(e));
		free(p);
		return status;
	}
	snprintf(p + strlen(p), len - strlen(p), "/log-%lld.txt", id);
	*path = p;
	return PV_OK;
}

/* Writes `text` to a file only its owner may read (it holds what the
 * guard may have refused). */
static int write_private(struct cmd_ctx *ctx, const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(text), done = 0;

	if (fd < 0)
		return pv_error_set(&ctx->err, PV_ECANTCREAT, "cannot create '%s': %s", path,
				    strerror(errno));
	if (fchmod(fd, 0600) != 0) {
		int e = errno;
		close(fd);
		return pv_error_set(&ctx->err, PV_ECANTCREAT, "cannot set mode of '%s': %s",
				    path, strerror(e));
	}
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = errno;
			close(fd);
			return pv_error_set(&ctx->err, PV_EIO, "cannot write '%s': %s", path,
					    strerror(e));
		}
		done += (size_t)n;
	}
	if (close(fd) != 0)
		return pv_error_set(&ctx->err, PV_EIO, "cannot write '%s': %s", path,
				    strerror(errno));
	return PV_OK;
}

/* Runs $VISUAL, $EDITOR or vi on `path` the way git does: through
 * /bin/sh, so "code --wait" and "emacs -nw" work; the file is "$1". */
static int run_editor(struct cmd_ctx *ctx, const char *path)
{
	const char *editor = getenv("VISUAL");
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
	char *script;
	size_t len;
	pid_t pid;
	int wstatus = 0, status = PV_OK;

	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	len = strlen(editor) + 16;
	script = malloc(len);
	if (!script)
		return pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory");
	snprintf(script, len, "%s \"$@\"", editor);
	fflush(stdout);
	fflush(stderr);
	/* the editor owns the terminal: ^C goes to it, not to us */
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		execl("/bin/sh", "sh", "-c", script, editor, path, (char *)NULL);
		_exit(127);
	}
	if (pid < 0) {
		status = pv_error_set(&ctx->err, PV_EIO, "cannot start the editor: %s",
				      strerror(errno));
	} else {
		while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
			status = pv_error_set(&ctx->err, PV_EIO, "the editor '%s' failed (%s %d)",
					      editor, WIFEXITED(wstatus) ? "exit status" : "signal",
					      WIFEXITED(wstatus) ? WEXITSTATUS(wstatus)
								 : WTERMSIG(wstatus));
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	free(script);
	return status;
}

/* Adds where the text is kept to the error, so nothing typed is lost. */
static int kept(struct cmd_ctx *ctx, int status, const char *path, long long id)
{
	char why[1024], msg[1024];
	size_t n;

	snprintf(why, sizeof why, "%s", ctx->err.message);
	n = (size_t)snprintf(msg, sizeof msg, "%s\n", why);
	if (n < sizeof msg)
		snprintf(msg + n, sizeof msg - n, "patvers: your text is kept in '%s'; "
			 "'patvers log edit %lld' opens it again (--fresh starts over)", path, id);
	snprintf(ctx->err.message, sizeof ctx->err.message, "%s", msg);
	ctx->err.status = status;
	return status;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/*
 * Runs as a read command and takes the write lock itself, after the
 * editor: holding BEGIN IMMEDIATE while someone types would block every
 * other writer (cron jobs too) for as long as the editor is open.
 */
static int exec_edit(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "fresh", no_argument, NULL, 'f' },
		{ 0 },
	};
	bool changed = false;
	struct pv_log_store_options opts = { .replace = true, .changed = &changed };
	struct pv_rules *rules = NULL;
	struct pv_roster *roster = NULL;
	struct pv_plan *plan = NULL;
	const struct pv_meeting *m = NULL;
	struct pv_meeting_log *old = NULL, *log = NULL;
	char *path = NULL, *text = NULL, date[11];
	bool fresh = false;
	size_t len;
	long long id;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c != 'f')
			return PV_EUSAGE;
		fresh = true;
	}
	if (cmd_check_args(ctx, argc - optind) || cmd_parse_meeting_id(ctx, argv[optind], &id) ||
	    today(ctx, &opts.today))
		return PV_EUSAGE;
	status = pv_rules_load(ctx->db, &rules, &ctx->err);
	if (status == PV_OK)
		status = pv_roster_load(ctx->db, rules, &roster, &ctx->err);
	if (status == PV_OK)
		status = pv_log_meeting(ctx->db, id, NULL, &plan, &m, &ctx->err);
	/* say so before the editor opens, not after the typing */
	if (status == PV_OK && m->status == PV_MEETING_CANCELLED)
		status = pv_error_set(&ctx->err, PV_EDATA, "meeting %lld was cancelled; it "
				      "cannot be logged as held", id);
	if (status == PV_OK && m->date > opts.today)
		status = pv_error_set(&ctx->err, PV_EDATA, "meeting %lld is on %s, after today: "
				      "log it when it has been held", id,
				      pv_date_format(m->date, date));
	if (status == PV_OK)
		status = pv_log_load(ctx->db, id, &old, &ctx->err);
	if (status == PV_OK)
		status = draft_path(ctx, id, &path);
	if (status == PV_OK && exists(path) && !fresh) {
		cmd_note(ctx, "starting from your draft '%s' (--fresh starts over)", path);
	} else if (status == PV_OK) {
		text = pv_log_template(m, old, roster, rules);
		if (text)
			status = write_private(ctx, path, text);
		else
			status = pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory");
		free(text);
		text = NULL;
	}
	if (status == PV_OK)
		status = run_editor(ctx, path);
	if (status == PV_OK)
		status = cmd_read_file(ctx, path, &text, &len);
	if (status == PV_OK)
		status = pv_log_parse_template(text, len, path, id, &log, &ctx->err);
	if (status == PV_OK && !log) {
		cmd_note(ctx, "the log is empty: nothing stored");
		unlink(path);
		pv_out_begin(ctx->out, "log-edit");
		pv_out_int(ctx->out, "meeting", id);
		pv_out_bool(ctx->out, "stored", false);
		goto done;
	}
	if (status == PV_OK)
		status = pv_db_begin(ctx->db, &ctx->err);
	if (status == PV_OK) {
		status = pv_log_store(ctx->db, rules, roster, log, &opts, &ctx->err);
		if (status == PV_OK)
			status = pv_db_commit(ctx->db, &ctx->err);
		else
			pv_db_rollback(ctx->db);
	}
	if (status == PV_OK) {
		unlink(path);
		emit_stored(ctx->out, "log-edit", log);
		pv_out_bool(ctx->out, "stored", true);
		pv_out_bool(ctx->out, "changed", changed);
		if (!changed)
			cmd_note(ctx, "nothing changed");
	} else if (path && exists(path)) {
		status = kept(ctx, status, path, id);
	}
done:
	free(text);
	free(path);
	pv_log_free(log);
	pv_log_free(old);
	pv_plan_free(plan);
	pv_roster_free(roster);
	pv_rules_free(rules);
	return status;
}

static const struct cmd_entry log_subs[] = {
	{
		.name = "held",
		.summary = N_("log a meeting as held: who came, cases, actions"),
		.usage = "ID --leader P [--attendee P]... [--substitute P:FOR]... "
			 "[--guest ROLE[:N]]... [--case anon:THEME|consent:REF:THEME]... "
			 "[--action 'WHO|WHAT|DUE']... [--experience TEXT] "
			 "[--staff-consultations N] [--pupil-conversations N] "
			 "[--parents-informed D]",
		.help = N_("options:\n"
			"  --leader P            who led the meeting (required)\n"
			"  --attendee P          a person present; repeatable\n"
			"  --substitute P:FOR    P came in place of FOR (stedfortreder)\n"
			"  --guest ROLE[:N]      guests by role and count (log.guest_roles),\n"
			"                        never by name\n"
			"  --case anon:THEME     a case discussed anonymously\n"
			"  --case consent:REF:THEME  a case discussed with consent REF: the\n"
			"                        consent must be valid on the meeting date and\n"
			"                        cover every service present\n"
			"  --action 'WHO|WHAT|DUE'  who (a person id or a role), what, due date\n"
			"  --experience TEXT     experiences from the cooperation\n"
			"  --staff-consultations N, --pupil-conversations N, --parents-informed D\n"
			"                        «Åpen dør» meetings only\n"
			"Free text is checked by the anonymity guard: no national identity\n"
			"numbers, phone numbers or e-mail addresses. A meeting is logged once;\n"
			"change it with 'patvers log edit ID'.\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_held,
	},
	{
		.name = "cancel",
		.summary = N_("log a meeting as cancelled (a deviation: the reason is kept)"),
		.usage = "ID --reason TEXT",
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_cancel,
	},
	{
		.name = "edit",
		.summary = N_("write or change a meeting's log in $VISUAL / $EDITOR"),
		.usage = "ID [--fresh]",
		.help = N_("Opens a commented template (like 'git commit'); save and quit to\n"
			"store, empty the file to store nothing. When the text does not pass\n"
			"(a guard hit, a consent, an unknown person) it is kept in a draft\n"
			"beside the database (drafts/log-ID.txt, mode 0600) and the next\n"
			"'patvers log edit ID' opens the draft again.\n"
			"options:\n  --fresh  start from the stored log, not the draft\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_READ,
		.exec = exec_edit,
	},
	{
		.name = "show",
		.summary = N_("one meeting's log"),
		.usage = "ID",
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_READ,
		.exec = exec_show,
	},
	{
		.name = "list",
		.summary = N_("meetings with their log status (schema patvers/log-list/1)"),
		.usage = "[--unit U] [--from D] [--to D] [--unlogged] [--parents-not-informed] "
			 "[--exit-code]",
		.help = N_("options:\n"
			"  --unit U       a unit's meetings (a kindergarten: its group's too)\n"
			"  --from D, --to D  a date range\n"
			"  --unlogged     past meetings (before today) not cancelled and not logged\n"
			"  --parents-not-informed  «Åpen dør» logs with pupil conversations whose\n"
			"                 parents are not yet recorded as told\n"
			"  --exit-code    exit 1 when anything is listed\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_list,
	},
	{
		.name = "actions",
		.summary = N_("the actions agreed in meetings"),
		.usage = "[--open] [--overdue] [--unit U] [--exit-code]",
		.help = N_("options:\n"
			"  --open       only open actions\n"
			"  --overdue    only open actions due before today\n"
			"  --unit U     actions from this unit's meetings\n"
			"  --exit-code  exit 1 when anything is listed\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_actions,
	},
	{
		.name = "action",
		.summary = N_("mark an action done"),
		.usage = "done ID [--date D]",
		.min_args = 2,
		.max_args = 2,
		.needs = CMD_DB_WRITE,
		.exec = exec_action,
	},
	{
		.name = "informed",
		.summary = N_("record that parents were told of barnevern's pupil conversations"),
		.usage = "ID [--date D]",
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_informed,
	},
	{
		.name = "import",
		.summary = N_("import logs of several meetings (JSON, patvers/log/1), all or nothing"),
		.usage = "FILE [--replace]",
		.help = N_("FILE may be '-' for standard input. A meeting already logged is an\n"
			"error unless --replace. One bad meeting stores none.\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_import,
	},
	{
		.name = "export",
		.summary = N_("write the logs as a JSON document that 'log import' reads"),
		.usage = "[--unit U] [--from D] [--to D] [-o FILE]",
		.help = N_("options:\n"
			"  -o, --output FILE  write to FILE (never overwrites) instead of stdout\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_export,
	},
	{ 0 },
};

const struct cmd_entry cmd_log_entry = {
	.name = "log",
	.summary = N_("log meetings as held or cancelled, with cases and actions"),
	.usage = "held|cancel|edit|show|list|actions|action|informed|import|export",
	.subs = log_subs,
};
