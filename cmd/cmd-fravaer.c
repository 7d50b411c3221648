/* patvers fravaer: screen absence registrations for the Nærværsteam's criteria. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "patvers/calendar.h"
#include "patvers/fravaer.h"
#include "patvers/i18n.h"
#include "patvers/rules.h"

struct screen_opts {
	const char *as_of;
	const char *school;
	bool new_since_last;
	bool exit_code;
};

/* The rules in force: from the database, or the defaults without one. */
static int load_rules(struct cmd_ctx *ctx, struct pv_rules **rules)
{
	if (ctx->db)
		return pv_rules_load(ctx->db, rules, &ctx->err);
	return pv_rules_default(rules, &ctx->err);
}

static int parse_screen_opts(struct cmd_ctx *ctx, int argc, char **argv,
			     struct screen_opts *o)
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "school", required_argument, NULL, 's' },
		{ "new-since-last", no_argument, NULL, 'n' },
		{ "exit-code", no_argument, NULL, 'e' },
		{ 0 },
	};
	int c;

	o->as_of = ctx->today;
	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'a':
			o->as_of = optarg;
			break;
		case 's':
			o->school = optarg;
			break;
		case 'n':
			o->new_since_last = true;
			break;
		case 'e':
			o->exit_code = true;
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (o->school && !*o->school)
		return cmd_usage_error(ctx, "--school needs a school");
	return cmd_check_args(ctx, argc - optind);
}

/* Reads every file into the screening; "-" is standard input. */
static int read_inputs(struct cmd_ctx *ctx, struct pv_fravaer *f, int nfiles, char **files)
{
	for (int i = 0; i < nfiles; i++) {
		bool is_stdin = strcmp(files[i], "-") == 0;
		FILE *fp = is_stdin ? stdin : fopen(files[i], "rb");
		int status;

		if (!fp)
			return pv_error_set(&ctx->err, errno == ENOENT ? PV_ENOINPUT : PV_EIO,
					    "cannot open '%s': %s", files[i], strerror(errno));
		status = pv_fravaer_read(f, fp, is_stdin ? "<stdin>" : files[i], &ctx->err);
		if (!is_stdin)
			fclose(fp);
		if (status != PV_OK)
			return status;
	}
	return PV_OK;
}

/* --new-since-last: filters and records in one transaction of its own. */
static int keep_new(struct cmd_ctx *ctx, struct pv_fravaer *f)
{
	int status = pv_db_begin(ctx->db, &ctx->err);

	if (status != PV_OK)
		return status;
	status = pv_fravaer_keep_new(f, ctx->db, NULL, &ctx->err);
	if (status == PV_OK)
		return pv_db_commit(ctx->db, &ctx->err);
	pv_db_rollback(ctx->db);
	return status;
}

static void notes(const struct cmd_ctx *ctx, const struct pv_fravaer *f,
		  const struct pv_calendar *cal)
{
	struct pv_fravaer_stats s;
	char y[8];

	pv_fravaer_get_stats(f, &s);
	pv_school_year_format(pv_fravaer_school_year(f), y);
	if (pv_calendar_is_fallback(cal))
		cmd_note(ctx, "no school calendar imported for %s: school days are Monday to "
			 "Friday minus public holidays", y);
	if (s.non_school_day)
		cmd_note(ctx, s.non_school_day == 1 ?
			 N_("%lld row on a day that is not a school day ignored") :
			 N_("%lld rows on days that are not school days ignored"),
			 s.non_school_day);
	if (s.outside)
		cmd_note(ctx, s.outside == 1 ?
			 N_("%lld row outside the screened period ignored (before %s or after "
			    "--as-of)") :
			 N_("%lld rows outside the screened period ignored (before %s or after "
			    "--as-of)"), s.outside, y);
	if (s.other_school)
		cmd_note(ctx, s.other_school == 1 ? N_("%lld row for another school skipped") :
			 N_("%lld rows for other schools skipped"), s.other_school);
}

static void emit_hit(struct pv_out *out, enum pv_fravaer_criterion c,
		     const struct pv_fravaer_hit *h)
{
	char date[11];

	pv_out_begin_map(out, pv_fravaer_code(c));
	if (pv_fravaer_decimals(c) == 0)
		pv_out_int(out, "value", h->num);
	else
		pv_out_num(out, "value", pv_fravaer_value(c, h), pv_fravaer_decimals(c));
	pv_out_str(out, "first", pv_date_format(h->first, date));
	pv_out_end_map(out);
}

/* JSON nests the criteria per pupil; text and CSV show a row per pupil
 * and criterion (pv_out_table_expand). */
static void emit(struct cmd_ctx *ctx, const struct pv_fravaer *f, pv_date as_of)
{
	static const char *const cols[] = { "school", "student", "criterion", "value", "first",
					    NULL };
	struct pv_out *out = ctx->out;
	char date[11], y[8];

	pv_out_begin(out, "fravaer");
	pv_out_str(out, "as_of", pv_date_format(as_of, date));
	pv_out_str(out, "school_year", pv_school_year_format(pv_fravaer_school_year(f), y));
	if (pv_fravaer_flagged_count(f))
		pv_out_note(out, "value: dates (undocumented, leaves_school), days "
			    "(high_absence), late dates in one window (repeated_lateness), "
			    "share of school time (absence_20pct); first: when it became true");
	pv_out_begin_table(out, "students", cols);
	pv_out_table_expand(out, "criteria", "criterion");
	for (size_t i = 0; i < pv_fravaer_flagged_count(f); i++) {
		const struct pv_fravaer_flagged *fl = pv_fravaer_flagged_at(f, i);

		pv_out_begin_record(out);
		pv_out_str(out, "student", fl->student);
		pv_out_str(out, "school", fl->school);
		pv_out_begin_map(out, "criteria");
		for (int c = 0; c < PV_FRV_COUNT; c++)
			if (fl->hits[c].met)
				emit_hit(out, c, &fl->hits[c]);
		pv_out_end_map(out);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
}

static int screen(struct cmd_ctx *ctx, const struct screen_opts *o, pv_date as_of,
		  int nfiles, char **files)
{
	struct pv_fravaer_options fo = { .as_of = as_of, .school = o->school };
	struct pv_calendar *cal = NULL;
	struct pv_fravaer *f = NULL;
	struct pv_rules *rules;
	int status = load_rules(ctx, &rules);

	if (status != PV_OK)
		return status;
	pv_fravaer_params_from_rules(rules, &fo.params);
	status = pv_calendar_load_with_rules(ctx->db, rules, pv_school_year_of(as_of), &cal,
					     &ctx->err);
	pv_rules_free(rules);
	if (status == PV_OK)
		status = pv_fravaer_new(&fo, cal, &f, &ctx->err);
	if (status == PV_OK)
		status = read_inputs(ctx, f, nfiles, files);
	if (status == PV_OK)
		status = pv_fravaer_finish(f, &ctx->err);
	if (status == PV_OK && o->new_since_last)
		status = keep_new(ctx, f);
	if (status == PV_OK) {
		notes(ctx, f, cal);
		emit(ctx, f, as_of);
		if (o->exit_code && pv_fravaer_flagged_count(f))
			status = PV_FINDINGS;
	}
	pv_fravaer_free(f);
	pv_calendar_free(cal);
	return status;
}

static int exec_screen(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct screen_opts o = { 0 };
	pv_date as_of;

	if (parse_screen_opts(ctx, argc, argv, &o))
		return PV_EUSAGE;
	if (!pv_date_parse(o.as_of, &as_of))
		return cmd_usage_error(ctx, "--as-of '%s' is not a date (YYYY-MM-DD)", o.as_of);
	if (pv_school_year_of(as_of) < 1900 || pv_school_year_of(as_of) > 2199)
		return cmd_usage_error(ctx, "--as-of '%s' is outside 1900..2199", o.as_of);
	if (o.new_since_last && !ctx->db)
		return pv_error_set(&ctx->err, PV_ENOINPUT,
				    "no database at '%s': --new-since-last remembers what was "
				    "reported there (run 'patvers init' first)", ctx->db_path);
	return screen(ctx, &o, as_of, argc - optind, argv + optind);
}

static int exec_rules(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct pv_fravaer_params p;
	struct pv_rules *rules;
	int status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	status = load_rules(ctx, &rules);
	if (status != PV_OK)
		return status;
	pv_fravaer_params_from_rules(rules, &p);
	pv_rules_free(rules);
	pv_out_begin(ctx->out, "fravaer-rules");
	pv_out_int(ctx->out, "day_minutes", p.day_minutes);
	pv_out_int(ctx->out, "undocumented_dates", p.undocumented_dates);
	pv_out_int(ctx->out, "high_absence_days", p.high_absence_days);
	pv_out_int(ctx->out, "lateness_dates", p.lateness_dates);
	pv_out_int(ctx->out, "lateness_window_days", p.lateness_window_days);
	pv_out_int(ctx->out, "leaves_dates", p.leaves_dates);
	pv_out_int(ctx->out, "window_days", p.window_days);
	pv_out_int(ctx->out, "window_min_school_days", p.window_min_school_days);
	pv_out_int(ctx->out, "window_percent", p.window_percent);
	pv_out_note(ctx->out,
		    "undocumented: >= %d dates with an undocumented absence\n"
		    "high_absence: >= %d days of absence in the school year, illness included\n"
		    "repeated_lateness: >= %d late dates within %d calendar days\n"
		    "leaves_school: >= %d dates the pupil left school\n"
		    "absence_20pct: >= %d %% of the school days in %d calendar days (at least "
		    "%d of them) absent, known illness not counted\n"
		    "(a day is %d minutes; change with 'patvers rules import')",
		    p.undocumented_dates, p.high_absence_days, p.lateness_dates,
		    p.lateness_window_days, p.leaves_dates, p.window_percent, p.window_days,
		    p.window_min_school_days, p.day_minutes);
	return PV_OK;
}

static const struct cmd_entry fravaer_subs[] = {
	{
		.name = "screen",
		.summary = N_("find pupils whose absence meets the Nærværsteam's criteria"),
		.usage = "[--as-of DATE] [--school SCHOOL] [--new-since-last] [--exit-code] "
			 "FILE...",
		.help = N_("FILE is CSV with the columns student (elev), school (skole), date (dato),\n"
			"type (absent/fravær, late/forsent, left/forlot) and optionally minutes\n"
			"(minutter), documented (dokumentert) and reason (årsak); '-' reads\n"
			"standard input; several files form one input. The rows are never stored.\n"
			"\n"
			"options:\n"
			"  --as-of DATE       screen the school year up to DATE (default today)\n"
			"  --school SCHOOL    only the rows of this school\n"
			"  --new-since-last   only flags not reported before this school year\n"
			"                     (remembered as keyed hashes in the database)\n"
			"  --exit-code        exit 1 when a pupil is flagged\n"),
		.min_args = 1,
		.max_args = -1,
		.needs = CMD_DB_OPTIONAL,
		.exec = exec_screen,
	},
	{
		.name = "rules",
		.summary = N_("print the absence thresholds in force"),
		.usage = "",
		.max_args = 0,
		.needs = CMD_DB_OPTIONAL,
		.exec = exec_rules,
	},
	{ 0 },
};

const struct cmd_entry cmd_fravaer_entry = {
	.name = "fravaer",
	.summary = N_("worrying-absence screening for the Nærværsteam"),
	.usage = "screen|rules",
	.subs = fravaer_subs,
};
