/* main: global options, the command table, database and output set-up. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "patvers/anonymity.h"
#include "patvers/i18n.h"

/* The command table. Commands with sub-verbs carry their own table. */
const struct cmd_entry *const cmd_commands[] = {
	&cmd_init_entry,
	&cmd_db_entry,
	&cmd_rules_entry,
	&cmd_audit_entry,
	&cmd_calendar_entry,
	&cmd_team_entry,
	&cmd_schedule_entry,
	&cmd_remind_entry,
	&cmd_complete_entry,
	&cmd_fravaer_entry,
	&cmd_log_entry,
	&cmd_consent_entry,
	&cmd_report_entry,
	&cmd_stafett_entry,
	NULL,
};

struct globals {
	const char *db_path;
	struct pv_out_options out;
	bool quiet;
	bool no_color;
};

static void print_main_usage(FILE *fp)
{
	fputs("usage: patvers [--db PATH] [--format text|json|jsonl|csv] [--csv-sep SEP]\n"
	      "               [--excel] [-q] [--no-color] <command> [<args>]\n"
	      "\n", fp);
	fputs(_("commands:\n"), fp);
	for (const struct cmd_entry *const *c = cmd_commands; *c; c++)
		if (!(*c)->hidden)
			fprintf(fp, "  %-10s %s\n", (*c)->name, _((*c)->summary));
	fputs("\n", fp);
	fputs(_("global options:\n"
	      "  --db PATH        database (default $PATVERS_DB, else\n"
	      "                   $XDG_DATA_HOME/patvers/patvers.db)\n"
	      "  --format FORMAT  text (default), json, jsonl or csv\n"
	      "  --csv-sep SEP    CSV separator: ',' (default) or ';'\n"
	      "  --excel          CSV for Norwegian Excel: ';' and a UTF-8 BOM\n"
	      "  -q, --quiet      no notes on stderr\n"
	      "  --no-color       no colour (also when NO_COLOR is set)\n"
	      "  --version        print the version\n"
	      "  -h, --help       this help; 'patvers help COMMAND' for a command\n"), fp);
}

static void print_entry_help(FILE *fp, const char *prefix, const struct cmd_entry *e)
{
	fprintf(fp, "usage: patvers %s%s%s%s%s\n\n%s\n", prefix, *prefix ? " " : "", e->name,
		e->usage && *e->usage ? " " : "", e->usage ? e->usage : "", _(e->summary));
	if (e->subs) {
		fprintf(fp, "\n%s", _("commands:\n"));
		for (const struct cmd_entry *s = e->subs; s->name; s++)
			fprintf(fp, "  %-10s %s\n", s->name, _(s->summary));
	}
	if (e->help)
		fprintf(fp, "\n%s", _(e->help));
}

/* Edit distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (lb >= 63)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Says `name` is unknown, suggesting the closest of `names` within two edits.
 * `what` is "" for a top-level command, else the command the sub-verb is of. */
static int unknown_command(const char *what, const char *name,
			   const char *const *names, size_t count)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (size_t i = 0; i < count; i++) {
		size_t d = distance(name, names[i]);
		if (d < best_d) {
			best = names[i];
			best_d = d;
		}
	}
	if (*what)
		fprintf(stderr, _("patvers: '%s' is not a patvers %s command"), name, what);
	else
		fprintf(stderr, _("patvers: '%s' is not a patvers command"), name);
	if (best)
		fprintf(stderr, _("; did you mean '%s'?"), best);
	fputs("\n", stderr);
	return PV_EUSAGE;
}

static const struct cmd_entry *find_command(const char *name)
{
	for (const struct cmd_entry *const *c = cmd_commands; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

static const struct cmd_entry *find_sub(const struct cmd_entry *e, const char *name)
{
	for (const struct cmd_entry *s = e->subs; s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static int unknown_top(const char *name)
{
	const char *names[64];
	size_t n = 0;

	for (const struct cmd_entry *const *c = cmd_commands; *c && n < 63; c++)
		if (!(*c)->hidden)
			names[n++] = (*c)->name;
	names[n++] = "help";
	return unknown_command("", name, names, n);
}

static int unknown_sub(const struct cmd_entry *e, const char *name)
{
	const char *names[64];
	size_t n = 0;

	for (const struct cmd_entry *s = e->subs; s->name && n < 64; s++)
		names[n++] = s->name;
	return unknown_command(e->name, name, names, n);
}

/* `patvers help [COMMAND [SUB]]` */
/*
 * On a terminal, `patvers help CMD` shows the installed man page
 * patvers-CMD(1) (patvers(1) without CMD) through man(1), like git help;
 * elsewhere, or when the page is not installed, the built-in help. The
 * page name comes from the command table, never from the user's words.
 */
static void show_man_page(const char *command)
{
	char page[64], probe[128];

	if (!isatty(STDOUT_FILENO))
		return;
	snprintf(page, sizeof page, command ? "patvers-%s" : "patvers", command);
	snprintf(probe, sizeof probe, "man -w %s >/dev/null 2>&1", page);
	if (system(probe) != 0)
		return;
	fflush(stdout);
	execlp("man", "man", page, (char *)NULL);
}

static int run_help(int argc, char **argv)
{
	const struct cmd_entry *e;

	if (argc < 2) {
		show_man_page(NULL);
		print_main_usage(stdout);
		return PV_OK;
	}
	e = find_command(argv[1]);
	if (!e)
		return unknown_top(argv[1]);
	show_man_page(e->name);
	if (argc >= 3 && e->subs) {
		const struct cmd_entry *s = find_sub(e, argv[2]);
		if (!s)
			return unknown_sub(e, argv[2]);
		print_entry_help(stdout, e->name, s);
		return PV_OK;
	}
	print_entry_help(stdout, "", e);
	return PV_OK;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

/* "dir/rest", malloc'ed; NULL when out of memory. */
static char *path_join(const char *dir, const char *rest)
{
	size_t len = strlen(dir) + strlen(rest) + 2;
	char *path = malloc(len);

	if (path)
		snprintf(path, len, "%s/%s", dir, rest);
	return path;
}

/* --db > $PATVERS_DB > $XDG_DATA_HOME/patvers/patvers.db > ~/.local/share/… */
static char *resolve_db_path(const char *option)
{
	const char *env = getenv("PATVERS_DB"), *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (option && *option)
		return strdup(option);
	if (env && *env)
		return strdup(env);
	if (xdg && *xdg == '/')
		return path_join(xdg, "patvers/patvers.db");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : "/";
	}
	return path_join(home, ".local/share/patvers/patvers.db");
}

static const char *os_user(void)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *user = getenv("USER");

	if (pw && pw->pw_name)
		return pw->pw_name;
	return user ? user : "unknown";
}

/* Is a command-line word safe to keep in the audit log? Numbers, dates,
 * unit and person ids and paths are. Free text (spaces), long words,
 * anything the anonymity guard refuses, and words mixing letters and
 * digits (a case's reference key such as HOF-2026-07) are not: the audit
 * log names what changed, never a case or a text about a child. */
static bool audit_safe_word(const char *word)
{
	static const char allowed[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/:+-";
	bool letters = strpbrk(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
	bool digits = strpbrk(word, "0123456789");

	return *word && strlen(word) <= 64 && strspn(word, allowed) == strlen(word) &&
	       (!(letters && digits) || strchr(word, '/')) &&
	       pv_anonymity_check(NULL, NULL, word, NULL) == PV_OK;
}

/* The command line as the audit log records it: option names kept, other
 * words kept only when audit_safe_word, else "…". */
static char *audit_command_line(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 8;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < argc; i++) {
		const char *word = i == 0 ? "patvers" : argv[i];
		const char *eq = word[0] == '-' ? strchr(word, '=') : NULL;
		size_t n = strlen(s);

		if (eq)
			snprintf(s + n, len - n, "%s%.*s=%s", i ? " " : "", (int)(eq - word), word,
				 audit_safe_word(eq + 1) ? eq + 1 : "…");
		else
			snprintf(s + n, len - n, "%s%s", i ? " " : "",
				 word[0] == '-' || audit_safe_word(word) ? word : "…");
	}
	return s;
}

/* Today's date in Europe/Oslo (the tool's local time), or $PATVERS_TODAY. */
static void today_text(char buf[11])
{
	const char *pinned = getenv("PATVERS_TODAY");
	time_t now = time(NULL);
	struct tm tm;

	if (pinned && *pinned) {
		snprintf(buf, 11, "%s", pinned);
		return;
	}
	if (!getenv("TZ"))
		setenv("TZ", "Europe/Oslo", 1);
	tzset();
	localtime_r(&now, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

static int report(struct cmd_ctx *ctx, int status)
{
	char msg[1400];

	if (status == PV_OK || status == PV_FINDINGS)
		return status;
	if (ctx->err.message[0] == '\0')
		pv_error_set(&ctx->err, status, "failed without a message");
	pv_error_format(&ctx->err, msg, sizeof msg);
	fprintf(stderr, "patvers: %s\n", msg);
	return status;
}

static int open_db(struct cmd_ctx *ctx, const struct cmd_entry *e,
		   int argc, char **argv)
{
	const char *busy = getenv("PATVERS_BUSY_TIMEOUT");
	const char *now = getenv("PATVERS_NOW");
	enum pv_db_mode mode = e->needs == CMD_DB_CREATE ? PV_DB_CREATE : PV_DB_OPEN;
	char *cmdline;
	int status;

	if (e->needs == CMD_NO_DB)
		return PV_OK;
	if (e->needs == CMD_DB_OPTIONAL && access(ctx->db_path, F_OK) != 0)
		return PV_OK;
	status = pv_db_open(ctx->db_path, mode, busy ? atoi(busy) : 5000, &ctx->db, &ctx->err);
	if (status != PV_OK)
		return status;
	cmdline = audit_command_line(argc, argv);
	status = pv_db_set_actor(ctx->db, os_user(), cmdline ? cmdline : "patvers", &ctx->err);
	free(cmdline);
	if (now && *now)
		pv_db_set_clock(ctx->db, atoll(now));
	if (status == PV_OK && (e->needs == CMD_DB_WRITE || e->needs == CMD_DB_CREATE))
		status = pv_db_begin(ctx->db, &ctx->err);
	return status;
}

/* Runs one resolved command: database, transaction, output. */
static int run_entry(struct globals *g, const struct cmd_entry *e, const char *full_name,
		     int argc, char **argv, int all_argc, char **all_argv)
{
	struct cmd_ctx ctx = { 0 };
	char today[11];
	char *db_path = resolve_db_path(g->db_path);
	int status;

	today_text(today);
	ctx.entry = e;
	ctx.name = full_name;
	ctx.db_path = db_path;
	ctx.today = today;
	ctx.quiet = g->quiet;
	ctx.color = g->out.color;
	ctx.out_opts = &g->out;
	if (!db_path)
		return report(&ctx, pv_error_set(&ctx.err, PV_ESOFTWARE, "out of memory"));
	ctx.out = pv_out_new(stdout, &g->out);
	if (ctx.out)
		status = open_db(&ctx, e, all_argc, all_argv);
	else
		status = pv_error_set(&ctx.err, PV_ESOFTWARE, "out of memory");
	if (status == PV_OK) {
		argv[0] = (char *)full_name;
		optind = 0;   /* a fresh getopt scan for the command's own options */
		status = e->exec(&ctx, argc, argv);
	}
	if (ctx.db && (e->needs == CMD_DB_WRITE || e->needs == CMD_DB_CREATE)) {
		if (status == PV_OK || status == PV_FINDINGS) {
			int c = pv_db_commit(ctx.db, &ctx.err);
			if (c != PV_OK)
				status = c;
		} else {
			pv_db_rollback(ctx.db);
		}
	}
	if (ctx.out && (status == PV_OK || status == PV_FINDINGS)) {
		int o = pv_out_end(ctx.out, &ctx.err);
		if (o != PV_OK)
			status = o;
	}
	status = report(&ctx, status);
	pv_out_free(ctx.out);
	pv_db_close(ctx.db);
	free(db_path);
	return status;
}

static int dispatch(struct globals *g, int argc, char **argv, int all_argc, char **all_argv)
{
	const struct cmd_entry *e = find_command(argv[0]);
	char full_name[128];

	if (strcmp(argv[0], "help") == 0)
		return run_help(argc, argv);
	if (!e)
		return unknown_top(argv[0]);
	snprintf(full_name, sizeof full_name, "%s", e->name);
	if (e->subs) {
		const struct cmd_entry *s;
		/* options first: the default sub-verb, which parses them itself */
		if (e->default_sub && (argc < 2 || (argv[1][0] == '-' &&
		    strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0)) &&
		    (s = find_sub(e, e->default_sub)) != NULL) {
			snprintf(full_name, sizeof full_name, "%s %s", e->name, s->name);
			if (wants_help(argc, argv)) {
				print_entry_help(stdout, e->name, s);
				return PV_OK;
			}
			return run_entry(g, s, full_name, argc, argv, all_argc, all_argv);
		}
		if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
			print_entry_help(argc < 2 ? stderr : stdout, "", e);
			return argc < 2 ? PV_EUSAGE : PV_OK;
		}
		s = find_sub(e, argv[1]);
		if (!s)
			return unknown_sub(e, argv[1]);
		snprintf(full_name, sizeof full_name, "%s %s", e->name, s->name);
		if (wants_help(argc - 1, argv + 1)) {
			print_entry_help(stdout, e->name, s);
			return PV_OK;
		}
		return run_entry(g, s, full_name, argc - 1, argv + 1, all_argc, all_argv);
	}
	if (wants_help(argc, argv)) {
		print_entry_help(stdout, "", e);
		return PV_OK;
	}
	return run_entry(g, e, full_name, argc, argv, all_argc, all_argv);
}

static int parse_globals(struct globals *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'f' },
		{ "csv-sep", required_argument, NULL, 's' },
		{ "excel", no_argument, NULL, 'x' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'D':
			g->db_path = optarg;
			break;
		case 'f':
			if (!pv_format_parse(optarg, &g->out.format)) {
				fprintf(stderr, _("patvers: unknown format '%s' (use text, json, "
					"jsonl or csv)\n"), optarg);
				return PV_EUSAGE;
			}
			break;
		case 's':
			if (strcmp(optarg, ",") != 0 && strcmp(optarg, ";") != 0) {
				fprintf(stderr, _("patvers: --csv-sep must be ',' or ';', not '%s'\n"),
					optarg);
				return PV_EUSAGE;
			}
			g->out.csv_sep = optarg[0];
			break;
		case 'x':
			g->out.excel = true;
			break;
		case 'q':
			g->quiet = true;
			break;
		case 'C':
			g->no_color = true;
			break;
		case 'V':
			printf("patvers %s\n", PATVERS_VERSION);
			return -1;
		case 'h':
			print_main_usage(stdout);
			return -1;
		case ':':
			fprintf(stderr, _("patvers: option '%s' needs a value\n"), argv[optind - 1]);
			return PV_EUSAGE;
		default:
			fprintf(stderr, _("patvers: unknown option '%s' (see 'patvers --help')\n"),
				argv[optind - 1]);
			return PV_EUSAGE;
		}
	}
	return PV_OK;
}

int main(int argc, char **argv)
{
	struct globals g = { 0 };
	const char *no_color = getenv("NO_COLOR");
	int status;

	cmd_i18n_init(argv[0]);
	g.out.format = PV_FORMAT_TEXT;
	status = parse_globals(&g, argc, argv);
	if (status == -1)
		status = PV_OK;
	else if (status == PV_OK && optind >= argc) {
		print_main_usage(stderr);
		status = PV_EUSAGE;
	} else if (status == PV_OK) {
		g.out.color = !g.no_color && !(no_color && *no_color) && isatty(STDOUT_FILENO);
		status = dispatch(&g, argc - optind, argv + optind, argc, argv);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, _("patvers: cannot write output: %s\n"), strerror(errno));
		return PV_EIO;
	}
	return status;
}
