/* Fuzz target: a meeting log document (patvers/log/1) through pv_log_parse_json. */
#include "fuzz.h"
#include "patvers/meetinglog.h"

/* What the parser hands out must hold together: counts match arrays and
 * every required string is there. */
static void check_log(const struct pv_meeting_log *log)
{
	if (!log || (!log->meeting && !log->uid) || !log->leader || !log->experience)
		abort();
	if ((log->nattendees && !log->attendees) || (log->nguests && !log->guests) ||
	    (log->ncases && !log->cases) || (log->nactions && !log->actions))
		abort();
	for (size_t i = 0; i < log->nattendees; i++)
		if (!log->attendees[i].person)
			abort();
	for (size_t i = 0; i < log->nguests; i++)
		if (!log->guests[i].role || log->guests[i].count < 1 || log->guests[i].count > 99)
			abort();
	for (size_t i = 0; i < log->ncases; i++)
		if (!log->cases[i].theme)
			abort();
	for (size_t i = 0; i < log->nactions; i++) {
		const struct pv_log_action *a = &log->actions[i];
		if (!a->responsible || !a->what || (a->status == PV_ACTION_DONE) != (a->done != 0))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pv_meeting_log **logs = NULL;
	struct pv_error err;
	enum pv_status status;
	size_t n = 0;

	status = pv_log_parse_json((const char *)data, size, "fuzz.json", &logs, &n, &err);
	fuzz_check_status(status, &err);
	if (status == PV_OK)
		for (size_t i = 0; i < n; i++)
			check_log(logs[i]);
	pv_log_array_free(logs, n);
	return 0;
}
