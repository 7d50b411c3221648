/* Helpers every command shares: option parsing, argument counts, notes, files. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cmd.h"
#include "patvers/i18n.h"

int cmd_getopt(struct cmd_ctx *ctx, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	int c;
	char opts[64];

	/* ':' first: report a missing argument as ':' instead of printing. */
	snprintf(opts, sizeof opts, ":%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, opts, longopts, NULL);
	if (c == '?') {
		if (optopt)
			return cmd_usage_error(ctx, "unknown option '-%c'", optopt), '?';
		return cmd_usage_error(ctx, "unknown option '%s'", argv[optind - 1]), '?';
	}
	if (c == ':')
		return cmd_usage_error(ctx, "option '%s' needs a value", argv[optind - 1]), '?';
	return c;
}

int cmd_check_args(struct cmd_ctx *ctx, int nargs)
{
	const struct cmd_entry *e = ctx->entry;

	if (nargs < e->min_args && e->min_args == 1)
		return cmd_usage_error(ctx, "'%s' needs an argument", ctx->name);
	if (nargs < e->min_args)
		return cmd_usage_error(ctx, "'%s' needs more arguments", ctx->name);
	if (e->max_args >= 0 && nargs > e->max_args)
		return cmd_usage_error(ctx, "too many arguments for '%s'", ctx->name);
	return 0;
}

int cmd_parse_plain(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option none[] = { { 0 } };
	int c;

	while ((c = cmd_getopt(ctx, argc, argv, "", none)) != -1)
		if (c == '?')
			return PV_EUSAGE;
	return cmd_check_args(ctx, argc - optind);
}

int cmd_parse_date(struct cmd_ctx *ctx, const char *what, const char *text, pv_date *d)
{
	if (!pv_date_parse(text, d))
		return cmd_usage_error(ctx, "%s '%s' is not a date (YYYY-MM-DD or DD.MM.YYYY)",
				       what, text);
	return 0;
}

bool cmd_id_parse(const char *text, long long *id)
{
	char *end;

	errno = 0;
	*id = strtoll(text, &end, 10);
	return !*end && end != text && *id > 0 && !errno;
}

int cmd_parse_meeting_id(struct cmd_ctx *ctx, const char *text, long long *id)
{
	if (!cmd_id_parse(text, id))
		return cmd_usage_error(ctx, "'%s' is not a meeting id", text);
	return 0;
}

int cmd_parse_cancel(struct cmd_ctx *ctx, int argc, char **argv, long long *id,
		     const char **reason)
{
	static const struct option longopts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ 0 },
	};
	int c;

	*reason = NULL;
	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c != 'r')
			return PV_EUSAGE;
		*reason = optarg;
	}
	if (cmd_check_args(ctx, argc - optind) || cmd_parse_meeting_id(ctx, argv[optind], id))
		return PV_EUSAGE;
	if (!*reason || !**reason)
		return cmd_usage_error(ctx, "give the reason with --reason TEXT");
	return 0;
}

int cmd_create_output(struct cmd_ctx *ctx, const char *path, FILE **fp)
{
	*fp = fopen(path, "wx");
	if (!*fp)
		return pv_error_set(&ctx->err, PV_ECANTCREAT, "cannot create '%s': %s%s", path,
				    strerror(errno), errno == EEXIST ? " (refusing to overwrite)"
								     : "");
	return PV_OK;
}

int cmd_close_output(struct cmd_ctx *ctx, const char *path, FILE *fp, int status)
{
	if ((ferror(fp) || fclose(fp) != 0) && status == PV_OK)
		status = pv_error_set(&ctx->err, PV_EIO, "cannot write '%s': %s", path,
				      strerror(errno));
	/* a half-written file must not look like a whole one */
	if (status != PV_OK)
		unlink(path);
	return status;
}

int cmd_write_output(struct cmd_ctx *ctx, const char *path, const char *text)
{
	FILE *fp;
	int status;

	if (!path) {
		/* the dispatcher flushes stdout and fails on a write error */
		fputs(text, stdout);
		return PV_OK;
	}
	status = cmd_create_output(ctx, path, &fp);
	if (status != PV_OK)
		return status;
	fputs(text, fp);
	return cmd_close_output(ctx, path, fp, PV_OK);
}

int cmd_usage_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);
	va_end(ap);
	return pv_error_set(&ctx->err, PV_EUSAGE, "%s (see 'patvers %s --help')", msg,
			    ctx->name ? ctx->name : "help");
}

void cmd_note(const struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->quiet)
		return;
	fputs(_("patvers: note: "), stderr);
	va_start(ap, fmt);
	vfprintf(stderr, _(fmt), ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Roster, calendar, rules and log files are kilobytes; a bigger input is a
 * mistake (or an attack), and reading it whole must not take the memory. */
#define MAX_INPUT ((size_t)32 << 20)

int cmd_read_file(struct cmd_ctx *ctx, const char *path, char **data, size_t *len)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t size = 0, used = 0;
	int status = PV_OK;
	struct stat st;

	*data = NULL;
	*len = 0;
	if (!fp)
		return pv_error_set(&ctx->err, errno == ENOENT ? PV_ENOINPUT : PV_EIO,
				    "cannot open '%s': %s", path, strerror(errno));
	/* A plain file tells its size: too big is refused before reading. */
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > MAX_INPUT)
		status = pv_error_set(&ctx->err, PV_EDATA,
				      "'%s' is larger than %zu MiB: not a patvers input",
				      path, MAX_INPUT >> 20);
	while (status == PV_OK) {
		if (size - used < 4096) {
			/* Capped just past the limit: one read more tells it is too big. */
			size_t want = size ? size * 2 : 65536;
			char *grown;

			if (want > MAX_INPUT + 65536)
				want = MAX_INPUT + 65536;
			grown = realloc(buf, want);
			if (!grown) {
				status = pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory");
				break;
			}
			buf = grown;
			size = want;
		}
		size_t n = fread(buf + used, 1, size - used - 1, fp);
		used += n;
		if (used > MAX_INPUT) {
			status = pv_error_set(&ctx->err, PV_EDATA,
					      "'%s' is larger than %zu MiB: not a patvers input",
					      path, MAX_INPUT >> 20);
			break;
		}
		if (n == 0)
			break;
	}
	if (status == PV_OK && ferror(fp))
		status = pv_error_set(&ctx->err, PV_EIO, "cannot read '%s': %s", path,
				      strerror(errno));
	if (fp != stdin)
		fclose(fp);
	if (status != PV_OK) {
		free(buf);
		return status;
	}
	buf[used] = '\0';
	*data = buf;
	*len = used;
	return PV_OK;
}
