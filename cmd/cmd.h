/* What the dispatcher hands each command, and how commands describe themselves. */
#ifndef PATVERS_CMD_H
#define PATVERS_CMD_H

#include <getopt.h>
#include <stdio.h>
#include <stdbool.h>

#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/error.h"
#include "patvers/output.h"

/* What a command needs opened before it runs (notmuch-style). */
enum cmd_needs {
	CMD_NO_DB = 0,     /* runs without a database */
	CMD_DB_READ,       /* an existing database, read only */
	CMD_DB_WRITE,      /* an existing database, inside one BEGIN IMMEDIATE
			    * transaction committed only when exec returns 0 */
	CMD_DB_CREATE,     /* like CMD_DB_WRITE, creating the database if missing */
	CMD_DB_OPTIONAL,   /* the database when it exists, else NULL (read only) */
};

struct cmd_entry;

struct cmd_ctx {
	struct pv_db *db;          /* NULL for CMD_NO_DB or a missing optional db */
	struct pv_out *out;        /* every data output goes here */
	struct pv_error err;       /* exec fills it when it returns non-zero */
	const char *db_path;       /* resolved --db / $PATVERS_DB / XDG path */
	const char *today;         /* YYYY-MM-DD: $PATVERS_TODAY or the local date */
	bool quiet;                /* -q: no notes on stderr */
	bool color;                /* stdout is a terminal and colour allowed */
	const struct cmd_entry *entry; /* the command running */
	const char *name;          /* its full name, e.g. "db check" */
	const struct pv_out_options *out_opts; /* the global output options, for
				    * a command that writes through an emitter
				    * of its own (report -o FILE) */
};

/*
 * One command or sub-verb, tmux-style. A command with `subs` has no exec:
 * the dispatcher picks the sub-verb (`db check`). `exec` gets argv with
 * argv[0] = the full command name ("db check") and the arguments after it.
 * The dispatcher answers --help/-h itself. After its option loop a command
 * calls cmd_check_args(), which checks the positional arguments against
 * min_args/max_args (-1: no limit). exec returns an exit status (enum
 * pv_status values) and fills ctx->err when it fails.
 */
struct cmd_entry {
	const char *name;
	const char *summary;           /* one line for `patvers help` */
	const char *usage;             /* "[--since DATE]" after the name */
	const char *help;              /* option lines for --help, may be NULL */
	int min_args, max_args;
	enum cmd_needs needs;
	const struct cmd_entry *subs;  /* NULL-name-terminated sub-verb table */
	int (*exec)(struct cmd_ctx *ctx, int argc, char **argv);
	bool hidden;                   /* not listed in help (e.g. __complete) */
	const char *default_sub;       /* the sub-verb run when an option comes
					* first (`report --half H2` is `report
					* show --half H2`); NULL: a sub-verb is
					* required */
};

/* The command table (cmd/patvers.c), NULL-terminated. */
extern const struct cmd_entry *const cmd_commands[];

/* Command tables, one per cmd/<name>.c. */
extern const struct cmd_entry cmd_init_entry;
extern const struct cmd_entry cmd_db_entry;
extern const struct cmd_entry cmd_rules_entry;
extern const struct cmd_entry cmd_audit_entry;
extern const struct cmd_entry cmd_calendar_entry;
extern const struct cmd_entry cmd_team_entry;
extern const struct cmd_entry cmd_schedule_entry;
extern const struct cmd_entry cmd_remind_entry;
extern const struct cmd_entry cmd_complete_entry;
extern const struct cmd_entry cmd_fravaer_entry;
extern const struct cmd_entry cmd_log_entry;
extern const struct cmd_entry cmd_consent_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_stafett_entry;

/*
 * getopt_long for a command (the dispatcher resets optind before exec;
 * getopt prints nothing). Returns the option character, -1 at the end, or '?' on a bad
 * option or missing argument with ctx->err filled (PV_EUSAGE). Commands
 * loop on it like on getopt_long and return PV_EUSAGE on '?'.
 */
int cmd_getopt(struct cmd_ctx *ctx, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* Checks the number of positional arguments left (argc - optind) against
 * the entry's min_args/max_args. Returns 0 or PV_EUSAGE with ctx->err set. */
int cmd_check_args(struct cmd_ctx *ctx, int nargs);

/* For commands without options of their own: rejects any option and
 * checks the positional arguments. Returns 0 (arguments start at
 * argv[optind]) or PV_EUSAGE with ctx->err set. */
int cmd_parse_plain(struct cmd_ctx *ctx, int argc, char **argv);

/* Parses a date option or argument (YYYY-MM-DD or DD.MM.YYYY); on a bad
 * one fills ctx->err naming `what` ("--from") and returns PV_EUSAGE. */
int cmd_parse_date(struct cmd_ctx *ctx, const char *what, const char *text, pv_date *d);

/* A record id: a whole number > 0 ("17"). cmd_parse_meeting_id fills
 * ctx->err ("not a meeting id") and returns PV_EUSAGE on a bad one. */
bool cmd_id_parse(const char *text, long long *id);
int cmd_parse_meeting_id(struct cmd_ctx *ctx, const char *text, long long *id);

/* "ID --reason TEXT" of the cancel sub-commands (schedule, log): the
 * meeting id and a reason that is not empty (*reason points into argv);
 * PV_EUSAGE with ctx->err filled otherwise. */
int cmd_parse_cancel(struct cmd_ctx *ctx, int argc, char **argv, long long *id,
		     const char **reason);

/*
 * Output files of -o: created new, never overwriting (PV_ECANTCREAT, exit
 * 73); closing reports a write error (PV_EIO) and removes a file whose
 * writing failed (status != PV_OK), so a half-written file never looks
 * whole. cmd_close_output returns the status to use.
 */
int cmd_create_output(struct cmd_ctx *ctx, const char *path, FILE **fp);
int cmd_close_output(struct cmd_ctx *ctx, const char *path, FILE *fp, int status);
/* `text` to a new file `path`, or to stdout when path is NULL. */
int cmd_write_output(struct cmd_ctx *ctx, const char *path, const char *text);

/* Fills ctx->err with a usage error and returns PV_EUSAGE. Like
 * pv_error_set and cmd_note, it translates `fmt` itself (include/patvers/i18n.h). */
int cmd_usage_error(struct cmd_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A note for people on stderr ("patvers: note: …"), unless -q. */
void cmd_note(const struct cmd_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sets up translation (cmd/i18n.c): LC_MESSAGES and LC_CTYPE from the
 * environment (never LC_NUMERIC/LC_TIME: data stays C-locale), the
 * Norwegian fallback when the nb locale is not installed, and the
 * "patvers" text domain's directory. argv0 finds the build tree's locale/. */
void cmd_i18n_init(const char *argv0);

/* Reads a whole file ("-" = stdin) into a malloc'ed NUL-terminated buffer;
 * caller frees. Missing file → PV_ENOINPUT, read error → PV_EIO, more
 * than 32 MiB → PV_EDATA. */
int cmd_read_file(struct cmd_ctx *ctx, const char *path, char **data, size_t *len);

#endif
