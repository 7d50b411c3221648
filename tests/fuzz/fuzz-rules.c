/* Fuzz target: a rules document through pv_rules_parse, and a dump that must parse back. */
#include "fuzz.h"
#include "patvers/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pv_rules *rules = NULL, *again = NULL;
	struct pv_error err;
	enum pv_status status;
	char *text;

	status = pv_rules_parse((const char *)data, size, "fuzz.json", &rules, &err);
	fuzz_check_status(status, &err);
	if (status != PV_OK)
		return 0;
	/* What was accepted is stored as its dump: the dump must be accepted
	 * too, and dump to the same text, or an import would not survive the
	 * round trip through the database. */
	text = pv_rules_dump(rules);
	if (!text)
		abort();
	status = pv_rules_parse(text, strlen(text), "dump.json", &again, &err);
	if (status != PV_OK) {
		fprintf(stderr, "fuzz: the dump does not parse: %s\n%s", err.message, text);
		abort();
	}
	{
		char *text2 = pv_rules_dump(again);
		if (!text2 || strcmp(text, text2) != 0) {
			fprintf(stderr, "fuzz: the dump changes on a round trip\n");
			abort();
		}
		free(text2);
	}
	free(text);
	pv_rules_free(again);
	pv_rules_free(rules);
	return 0;
}
