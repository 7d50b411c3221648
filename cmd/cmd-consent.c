/* patvers consent: record, withdraw and list consents under the unit's own reference keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "patvers/i18n.h"
#include "patvers/consent.h"

static int today(struct cmd_ctx *ctx, pv_date *d)
{
	if (!pv_date_parse(ctx->today, d))
		return pv_error_set(&ctx->err, PV_EUSAGE, "today '%s' is not a date "
				    "(check PATVERS_TODAY)", ctx->today);
	return 0;
}

static void emit_consent(struct pv_out *out, const struct pv_consent *c, pv_date day)
{
	char given[11], expires[11], withdrawn[11];

	pv_out_begin_record(out);
	pv_out_int(out, "id", c->id);
	pv_out_str(out, "ref", c->ref);
	pv_out_str(out, "unit", c->unit);
	pv_out_begin_list(out, "services");
	for (size_t i = 0; i < c->nservices; i++)
		pv_out_str(out, NULL, c->services[i]);
	pv_out_end_list(out);
	pv_out_str(out, "given_by", pv_consent_giver_name(c->given_by));
	pv_out_str(out, "form", pv_consent_form_name(c->form));
	pv_out_str(out, "given", pv_date_format(c->given, given));
	pv_out_str(out, "expires", c->expires ? pv_date_format(c->expires, expires) : NULL);
	pv_out_str(out, "withdrawn", c->withdrawn ? pv_date_format(c->withdrawn, withdrawn)
		   : NULL);
	pv_out_str(out, "state", pv_consent_state(c, day));
	pv_out_end_record(out);
}

static const char *const consent_columns[] = {
	"id", "ref", "unit", "services", "given_by", "form", "given", "expires", "withdrawn",
	"state", NULL,
};

static int exec_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ref", required_argument, NULL, 'r' },
		{ "unit", required_argument, NULL, 'u' },
		{ "services", required_argument, NULL, 's' },
		{ "given-by", required_argument, NULL, 'g' },
		{ "form", required_argument, NULL, 'f' },
		{ "date", required_argument, NULL, 'd' },
		{ "expires", required_argument, NULL, 'e' },
		{ "age", required_argument, NULL, 'a' },
		{ 0 },
	};
	struct pv_consent_spec spec = { .age = -1 };
	struct pv_rules *rules = NULL;
	bool by = false, form = false;
	long long id = 0;
	char *end;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'r':
			spec.ref = optarg;
			break;
		case 'u':
			spec.unit = optarg;
			break;
		case 's':
			spec.services = optarg;
			break;
		case 'g':
			if (!pv_consent_giver_parse(optarg, &spec.given_by))
				return cmd_usage_error(ctx, "--given-by is foresatt or elev, not "
						       "'%s'", optarg);
			by = true;
			break;
		case 'f':
			if (!pv_consent_form_parse(optarg, &spec.form))
				return cmd_usage_error(ctx, "--form is written or oral, not '%s'",
						       optarg);
			form = true;
			break;
		case 'd':
			if (cmd_parse_date(ctx, "--date", optarg, &spec.given))
				return PV_EUSAGE;
			break;
		case 'e':
			if (cmd_parse_date(ctx, "--expires", optarg, &spec.expires))
				return PV_EUSAGE;
			break;
		case 'a':
			spec.age = (int)strtol(optarg, &end, 10);
			if (!*optarg || *end || spec.age < 0 || spec.age > 30)
				return cmd_usage_error(ctx, "--age needs an age in years, not '%s'",
						       optarg);
			break;
		default:
			return PV_EUSAGE;
		}
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (!spec.ref || !spec.unit || !spec.services || !by || !form || !spec.given)
		return cmd_usage_error(ctx, "--ref, --unit, --services, --given-by, --form and "
				       "--date are required");
	status = pv_rules_load(ctx->db, &rules, &ctx->err);
	if (status == PV_OK)
		status = pv_consent_add(ctx->db, rules, &spec, &id, &ctx->err);
	pv_rules_free(rules);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "consent-add");
	pv_out_int(ctx->out, "id", id);
	pv_out_str(ctx->out, "ref", spec.ref);
	return PV_OK;
}

static int exec_withdraw(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ 0 },
	};
	pv_date date = 0;
	int c, n = 0, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		if (c != 'd' || cmd_parse_date(ctx, "--date", optarg, &date))
			return PV_EUSAGE;
	}
	if (cmd_check_args(ctx, argc - optind))
		return PV_EUSAGE;
	if (!date)
		return cmd_usage_error(ctx, "give the date of the withdrawal with --date D");
	status = pv_consent_withdraw(ctx->db, argv[optind], date, &n, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "consent-withdraw");
	pv_out_str(ctx->out, "ref", argv[optind]);
	pv_out_int(ctx->out, "withdrawn", n);
	return PV_OK;
}

static int exec_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct pv_consent_filter f = { 0 };
	struct pv_consents *list = NULL;
	pv_date day;
	int status;

	if (cmd_parse_plain(ctx, argc, argv) || today(ctx, &day))
		return PV_EUSAGE;
	f.ref = argv[optind];
	status = pv_consents_load(ctx->db, &f, &list, &ctx->err);
	if (status == PV_OK && pv_consents_count(list) == 0)
		status = pv_error_set(&ctx->err, PV_EDATA, "no consent with reference '%s'",
				      f.ref);
	if (status == PV_OK) {
		pv_out_begin(ctx->out, "consent");
		pv_out_str(ctx->out, "ref", f.ref);
		pv_out_str(ctx->out, "unit", pv_consents_at(list, 0)->unit);
		pv_out_begin_table(ctx->out, "consents", consent_columns);
		for (size_t i = 0; i < pv_consents_count(list); i++)
			emit_consent(ctx->out, pv_consents_at(list, i), day);
		pv_out_end_table(ctx->out);
	}
	pv_consents_free(list);
	return status;
}

static int exec_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "expiring", required_argument, NULL, 'e' },
		{ "exit-code", no_argument, NULL, 'x' },
		{ 0 },
	};
	struct pv_consent_filter f = { 0 };
	struct pv_consents *list = NULL;
	bool exit_code = false;
	long days = -1;
	pv_date day;
	char *end;
	int c, status;

	while ((c = cmd_getopt(ctx, argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'u':
			f.unit = optarg;
			break;
		case 'e':
			days = strtol(optarg, &end, 10);
			if (end == optarg || (*end && strcmp(end, "d") != 0) || days < 0 ||
			    days > 3660)
				return cmd_usage_error(ctx, "--expiring needs days like 30d, not "
						       "'%s'", optarg);
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
	if (days >= 0) {
		f.expiring_from = day;
		f.expiring_to = day + (pv_date)days;
	}
	status = pv_consents_load(ctx->db, &f, &list, &ctx->err);
	if (status != PV_OK)
		return status;
	pv_out_begin(ctx->out, "consent-list");
	pv_out_begin_table(ctx->out, "consents", consent_columns);
	for (size_t i = 0; i < pv_consents_count(list); i++)
		emit_consent(ctx->out, pv_consents_at(list, i), day);
	pv_out_end_table(ctx->out);
	status = exit_code && pv_consents_count(list) ? PV_FINDINGS : PV_OK;
	pv_consents_free(list);
	return status;
}

static const struct cmd_entry consent_subs[] = {
	{
		.name = "add",
		.summary = N_("record a consent under the unit's own reference key"),
		.usage = "--ref REF --unit U --services ppt,barnevern,... --given-by foresatt|elev "
			 "--form written|oral --date D [--expires D] [--age N]",
		.help = N_("options:\n"
			"  --ref REF        the unit's own key (e.g. HOF-2026-07): 1-32 of A-Z a-z\n"
			"                   0-9 . _ - with a digit; never a name or national id\n"
			"  --unit U         the unit that holds the consent\n"
			"  --services LIST  the services it covers: ppt, bfs, barnevern, helse, ke,\n"
			"                   naervaer, god-oppvekst, annen\n"
			"  --given-by WHO   foresatt (the parents) or elev (the pupil)\n"
			"  --form FORM      written or oral\n"
			"  --date D         when it was given\n"
			"  --expires D      its last valid day (default: until withdrawn)\n"
			"  --age N          with --given-by elev: the pupil's age, at least the\n"
			"                   rules' consent.self_consent_age (not stored)\n"),
		.max_args = 0,
		.needs = CMD_DB_WRITE,
		.exec = exec_add,
	},
	{
		.name = "withdraw",
		.summary = N_("withdraw the consents of a reference from a date"),
		.usage = "REF --date D",
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_WRITE,
		.exec = exec_withdraw,
	},
	{
		.name = "show",
		.summary = N_("the consents recorded under one reference"),
		.usage = "REF",
		.min_args = 1,
		.max_args = 1,
		.needs = CMD_DB_READ,
		.exec = exec_show,
	},
	{
		.name = "list",
		.summary = N_("consents, or those about to expire"),
		.usage = "[--unit U] [--expiring 30d] [--exit-code]",
		.help = N_("options:\n"
			"  --unit U        one unit's consents\n"
			"  --expiring Nd   consents valid today that expire within N days\n"
			"  --exit-code     exit 1 when anything is listed\n"),
		.max_args = 0,
		.needs = CMD_DB_READ,
		.exec = exec_list,
	},
	{ 0 },
};

const struct cmd_entry cmd_consent_entry = {
	.name = "consent",
	.summary = N_("consents (samtykke) under the unit's own reference keys"),
	.usage = "add|withdraw|show|list",
	.subs = consent_subs,
};
