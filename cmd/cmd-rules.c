/* patvers rules: show, import and export the method's rules document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/rules.h"

/* The rules in force: from the database, or the defaults without one. */
static int load_rules(struct cmd_ctx *ctx, struct pv_rules **rules)
{
	if (ctx->db)
		return pv_rules_load(ctx->db, rules, &ctx->err);
	return pv_rules_default(rules, &ctx->err);
}

static int exec_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct pv_rules *rules;
	const char *key;
	json_t *value;
	int status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	status = load_rules(ctx, &rules);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "rules");
	json_object_foreach((json_t *)pv_rules_json(rules), key, value)
		if (strcmp(key, "schema") != 0)
			pv_out_json(ctx->out, key, value);
	pv_rules_free(rules);
	return PV_OK;
}

static int exec_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct pv_rules *rules;
	const char *path;
	char *text;
	size_t len;
	int status;

	if (cmd_parse_plain(ctx, argc, argv))
		return PV_EUSAGE;
	path = argv[optind];
	status = cmd_read_file(ctx, path, &text, &len);
	if (status != PV_OK)
		return status;
	status = pv_rules_parse(text, len, strcmp(path, "-") ? path : "<stdin>", &rules,
				&ctx->err);
	free(text);
	if (status != PV_OK)
		return status;
	status = pv_rules_store(ctx->db, rules, &ctx->err);
	pv_rules_free(rules);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "rules-import");
	pv_out_str(ctx->out, "imported", path);
	return PV_OK;
}

/* Writes the document itself (not through the emitter): the export is
 * the file a municipality edits and imports again. */
static int exec_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ 0 },
	};
	const char *output = NULL;
	struct pv_rules *rules;
	char *text;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "o:", longopts)) != -1) {
		if (c == '?')
			return PV_EUSAGE;
		output = optarg;
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	status = load_rules(ctx, &rules);
	if (status != PV_OK)
		return status;
	text = pv_rules_dump(rules);
	pv_rules_free(rules);
	if (!text)
		return pv_error_set(&ctx->err, PV_ESOFTWARE, "out of memory");
	status = cmd_write_output(ctx, output, text);
	free(text);
	return status;
}

static const struct cmd_entry rules_subs[] = {
	{
		.name = "show",
		.summary = N_("print the rules in force (the defaults when none were imported)"),
		.usage = "",
		.max_args = 0,
		.needs = CMD_DB_OPTIONAL,
		.exec = exec_show,
	},
	{
		.name = "import",
		.summary = N_("validate a rules document (JSON) and make it the rules in force"),
		.usage = "FILE",
		.help = N_("FILE may be '-' for standard input. Keys left out keep their default;\n"
			"a bad document changes nothing and names the JSON path at fault.\n"),
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_import,
	},
	{
		.name = "export",
		.summary = N_("write the rules in force as a JSON document to edit and import"),
		.usage = "[-o FILE]",
		.help = N_("options:\n  -o, --output FILE  write to FILE (never overwrites) instead of stdout\n"),
		.max_args = 0,
		.needs = CMD_DB_OPTIONAL,
		.exec = exec_export,
	},
	{ 0 },
};

const struct cmd_entry cmd_rules_entry = {
	.name = "rules",
	.summary = N_("the method as data: meeting rules, roles, thresholds"),
	.usage = "show|import|export",
	.subs = rules_subs,
};
