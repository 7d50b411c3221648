/* Fuzz target: absence rows through the screening (pv_fravaer_read_buffer, finish). */
#include "fuzz.h"
#include "patvers/calendar.h"
#include "patvers/fravaer.h"
#include "patvers/rules.h"

/* The fallback calendar of 2026/27 and the default thresholds, made once. */
static struct pv_calendar *cal;
static struct pv_fravaer_options opts;

static void setup(void)
{
	struct pv_rules *rules;
	struct pv_error err;

	if (pv_rules_default(&rules, &err) != PV_OK)
		fuzz_die("rules", &err);
	pv_fravaer_params_from_rules(rules, &opts.params);
	pv_rules_free(rules);
	if (!pv_date_parse("2027-06-30", &opts.as_of))
		abort();
	if (pv_calendar_load(NULL, 2026, &cal, &err) != PV_OK)
		fuzz_die("calendar", &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pv_fravaer *f = NULL;
	struct pv_error err;
	enum pv_status status;

	if (!cal)
		setup();
	if (pv_fravaer_new(&opts, cal, &f, &err) != PV_OK)
		fuzz_die("pv_fravaer_new", &err);
	status = pv_fravaer_read_buffer(f, (const char *)data, size, "fuzz.csv", &err);
	fuzz_check_status(status, &err);
	if (status == PV_OK) {
		status = pv_fravaer_finish(f, &err);
		if (status != PV_OK)
			fuzz_die("pv_fravaer_finish", &err);
		for (size_t i = 0; i < pv_fravaer_flagged_count(f); i++) {
			const struct pv_fravaer_flagged *p = pv_fravaer_flagged_at(f, i);

			if (!p->school || !p->student)
				abort();
			for (int c = 0; c < PV_FRV_COUNT; c++)
				if (p->hits[c].met && p->hits[c].den <= 0)
					abort();
				else if (p->hits[c].met)
					(void)pv_fravaer_value((enum pv_fravaer_criterion)c,
							       &p->hits[c]);
		}
	}
	pv_fravaer_free(f);
	return 0;
}
