/* patvers __complete: completion candidates for bash, zsh and fish, one per line. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/schedule.h"
#include "patvers/team.h"

/*
 * The shells pass the words typed so far (after "patvers", the last one
 * being the word under the cursor, possibly empty); this command knows
 * the command table, so the completion scripts stay a few lines each and
 * cannot fall behind the commands. Options are read from each command's
 * usage and help text; a value after an option is completed by the
 * option's name (--unit: unit ids, --person: people, --format: formats).
 */

static const char *const global_options[] = {
	"--db", "--format", "--csv-sep", "--excel", "--quiet", "--no-color", "--version",
	"--help", NULL,
};

/* Global options that take a value. */
static bool global_takes_value(const char *word)
{
	return strcmp(word, "--db") == 0 || strcmp(word, "--format") == 0 ||
	       strcmp(word, "--csv-sep") == 0;
}

static void candidate(struct pv_out *out, const char *word, const char *prefix)
{
	if (strncmp(word, prefix, strlen(prefix)) != 0)
		return;
	pv_out_begin_record(out);
	pv_out_str(out, "word", word);
	pv_out_end_record(out);
}

static const struct cmd_entry *find_entry(const struct cmd_entry *const *table,
					  const struct cmd_entry *subs, const char *name)
{
	if (table) {
		for (const struct cmd_entry *const *c = table; *c; c++)
			if (strcmp((*c)->name, name) == 0)
				return *c;
		return NULL;
	}
	for (const struct cmd_entry *s = subs; s && s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

/* Calls fn for every "--option" in the entry's usage and help, with
 * whether an argument (an upper-case word or "HH:MM") follows it. */
static void each_option(const struct cmd_entry *e,
			void (*fn)(const char *opt, size_t len, bool value, void *arg), void *arg)
{
	const char *texts[2] = { e->usage, e->help };

	for (int t = 0; t < 2; t++) {
		const char *p = texts[t];

		while (p && (p = strstr(p, "--")) != NULL) {
			size_t len = 2;
			bool value;

			while (isalnum((unsigned char)p[len]) || p[len] == '-')
				len++;
			value = p[len] == ' ' && (isupper((unsigned char)p[len + 1]) ||
						  strncmp(p + len + 1, "HH:MM", 5) == 0);
			if (len > 2)
				fn(p, len, value, arg);
			p += len;
		}
	}
}

struct option_query {
	struct pv_out *out;
	const char *prefix;
	const char *want;     /* does this option take a value? */
	bool found, value;
	char seen[64][32];
	int nseen;
};

static void list_option(const char *opt, size_t len, bool value, void *arg)
{
	struct option_query *q = arg;
	char name[32];

	(void)value;
	if (len >= sizeof name)
		return;
	memcpy(name, opt, len);
	name[len] = '\0';
	for (int i = 0; i < q->nseen; i++)
		if (strcmp(q->seen[i], name) == 0)
			return;
	if (q->nseen < 64)
		strcpy(q->seen[q->nseen++], name);
	candidate(q->out, name, q->prefix);
}

static void match_option(const char *opt, size_t len, bool value, void *arg)
{
	struct option_query *q = arg;

	if (strlen(q->want) == len && strncmp(q->want, opt, len) == 0) {
		q->found = true;
		q->value = q->value || value;
	}
}

static bool option_takes_value(const struct cmd_entry *e, const char *word)
{
	struct option_query q = { .want = word };

	if (!e)
		return global_takes_value(word);
	each_option(e, match_option, &q);
	return q.value;
}

/* ---- values from the database ---- */

static void unit_values(struct cmd_ctx *ctx, const char *prefix, bool people)
{
	struct pv_roster *roster;
	size_t n;

	if (!ctx->db || pv_roster_load(ctx->db, NULL, &roster, &ctx->err) != PV_OK)
		return;
	if (people) {
		const struct pv_person *const *all = pv_roster_people(roster, &n);
		for (size_t i = 0; i < n; i++)
			candidate(ctx->out, all[i]->slug, prefix);
	} else {
		const struct pv_unit *const *all = pv_roster_all_units(roster, &n);
		for (size_t i = 0; i < n; i++)
			candidate(ctx->out, all[i]->slug, prefix);
	}
	pv_roster_free(roster);
}

/* Meeting ids of the current school year. */
static void meeting_values(struct cmd_ctx *ctx, const char *prefix)
{
	struct pv_plan_filter filter = { .include_cancelled = true };
	struct pv_plan *plan;
	pv_date today;
	char id[24];

	if (!ctx->db)
		return;
	if (pv_date_parse(ctx->today, &today))
		filter.school_year = pv_school_year_of(today);
	if (pv_plan_load(ctx->db, &filter, &plan, &ctx->err) != PV_OK)
		return;
	for (size_t i = 0; i < pv_plan_count(plan); i++) {
		snprintf(id, sizeof id, "%lld", pv_plan_at(plan, i)->id);
		candidate(ctx->out, id, prefix);
	}
	pv_plan_free(plan);
}

/* Last, this and next school year ("2026/27"), or calendar year. */
static void year_values(struct cmd_ctx *ctx, const char *prefix, bool school_year)
{
	pv_date today;
	int year, month, day;
	char text[12];

	if (!pv_date_parse(ctx->today, &today))
		return;
	pv_date_to_ymd(today, &year, &month, &day);
	if (school_year)
		year = pv_school_year_of(today);
	for (int y = year - 1; y <= year + 1; y++) {
		if (school_year)
			pv_school_year_format(y, text);
		else
			snprintf(text, sizeof text, "%d", y);
		candidate(ctx->out, text, prefix);
	}
}

static void words(struct pv_out *out, const char *const *list, const char *prefix)
{
	for (; *list; list++)
		candidate(out, *list, prefix);
}

/* Values for the option `opt` (e.g. "--unit") of command `cmd`. */
static void option_values(struct cmd_ctx *ctx, const struct cmd_entry *cmd, const char *opt,
			  const char *prefix)
{
	static const char *const formats[] = { "text", "json", "jsonl", "csv", "md", "html", NULL };
	static const char *const halves[] = { "H1", "H2", NULL };
	static const char *const seps[] = { ",", ";", NULL };
	static const char *const kinds[] = {
		"systemmote", "veiledningsteam", "naervaer", "god-oppvekst", "apen-dor", NULL,
	};
	static const char *const person_options[] = {
		"--person", "--holder", "--leader", "--attendee", "--responsible", "--to", NULL,
	};

	if (strcmp(opt, "--unit") == 0 || strcmp(opt, "--school") == 0)
		unit_values(ctx, prefix, false);
	else if (strcmp(opt, "--format") == 0)
		words(ctx->out, formats, prefix);
	else if (strcmp(opt, "--half") == 0)
		words(ctx->out, halves, prefix);
	else if (strcmp(opt, "--csv-sep") == 0)
		words(ctx->out, seps, prefix);
	else if (strcmp(opt, "--kind") == 0)
		words(ctx->out, kinds, prefix);
	else if (strcmp(opt, "--year") == 0)
		/* half-years belong to calendar years; plans to school years */
		year_values(ctx, prefix, !cmd || strcmp(cmd->name, "report") != 0);
	for (const char *const *p = person_options; *p; p++)
		if (strcmp(opt, *p) == 0)
			unit_values(ctx, prefix, true);
}

/* A positional argument: by the first word of the command's usage. */
static void positional_values(struct cmd_ctx *ctx, const struct cmd_entry *e,
			      const char *prefix)
{
	const char *usage = e->usage ? e->usage : "";

	if (strncmp(usage, "ID", 2) == 0)
		meeting_values(ctx, prefix);
	else if (strncmp(usage, "UNIT", 4) == 0 || strncmp(usage, "PERSON", 6) == 0) {
		unit_values(ctx, prefix, false);
		unit_values(ctx, prefix, true);
	} else if (strncmp(usage, "YEAR", 4) == 0 || strncmp(usage, "[YEAR]", 6) == 0)
		year_values(ctx, prefix, false);
	else if (strstr(usage, "2026/27") || strstr(usage, "SCHOOL-YEAR"))
		year_values(ctx, prefix, true);
}

static void command_words(struct pv_out *out, const char *prefix)
{
	for (const struct cmd_entry *const *c = cmd_commands; *c; c++)
		if (!(*c)->hidden)
			candidate(out, (*c)->name, prefix);
	candidate(out, "help", prefix);
}

/* Walks the words before the cursor: the command, its sub-verb, and
 * whether the previous word is an option waiting for its value. */
static void complete(struct cmd_ctx *ctx, int n, char **w)
{
	const struct cmd_entry *cmd = NULL, *leaf = NULL;
	const char *cur = n > 0 ? w[n - 1] : "";
	const char *prev = n > 1 ? w[n - 2] : NULL;
	struct option_query q = { .out = ctx->out, .prefix = cur };

	for (int i = 0; i < n - 1; i++) {
		if (w[i][0] == '-') {
			if (option_takes_value(leaf ? leaf : cmd, w[i]))
				i++;
			continue;
		}
		if (!cmd) {
			cmd = leaf = find_entry(cmd_commands, NULL, w[i]);
			if (!cmd)
				return;
		} else if (leaf == cmd && cmd->subs) {
			leaf = find_entry(NULL, cmd->subs, w[i]);
			if (!leaf)
				return;
		}
	}
	if (prev && prev[0] == '-' && option_takes_value(leaf, prev)) {
		option_values(ctx, cmd, prev, cur);
		return;
	}
	if (cur[0] == '-') {
		if (leaf)
			each_option(leaf, list_option, &q);
		else
			words(ctx->out, global_options, cur);
		candidate(ctx->out, "--help", cur);
		return;
	}
	if (!cmd)
		command_words(ctx->out, cur);
	else if (leaf == cmd && cmd->subs)
		for (const struct cmd_entry *s = cmd->subs; s->name; s++)
			candidate(ctx->out, s->name, cur);
	else
		positional_values(ctx, leaf, cur);
}

static int exec_complete(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const columns[] = { "word", NULL };
	int first = 1;

	/* no option parsing: the words are the user's, options included */
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		first = 2;
	pv_out_begin(ctx->out, "complete");
	pv_out_begin_table(ctx->out, "candidates", columns);
	complete(ctx, argc - first, argv + first);
	pv_out_end_table(ctx->out);
	/* a database that cannot be read completes nothing, quietly */
	pv_error_clear(&ctx->err);
	return PV_OK;
}

const struct cmd_entry cmd_complete_entry = {
	.name = "__complete",
	.summary = N_("completion candidates for the shells (internal)"),
	.usage = "-- WORD...",
	.max_args = -1,
	.needs = CMD_DB_OPTIONAL,
	.exec = exec_complete,
	.hidden = true,
};
