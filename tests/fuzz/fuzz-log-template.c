/* Fuzz target: the `log edit` template read back by pv_log_parse_template. */
#include "fuzz.h"
#include "patvers/meetinglog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pv_meeting_log *log = NULL;
	struct pv_error err;
	enum pv_status status;

	status = pv_log_parse_template((const char *)data, size, "fuzz.txt", 7, &log, &err);
	fuzz_check_status(status, &err);
	if (status == PV_OK && log) {
		if (log->meeting != 7 || !log->experience)
			abort();
		if ((log->nattendees && !log->attendees) || (log->ncases && !log->cases) ||
		    (log->nactions && !log->actions) || (log->nguests && !log->guests))
			abort();
		for (size_t i = 0; i < log->nactions; i++)
			if (!log->actions[i].responsible || !log->actions[i].what)
				abort();
	}
	if (status != PV_OK && log)
		abort();   /* an error leaves nothing for the caller to free */
	pv_log_free(log);
	return 0;
}
