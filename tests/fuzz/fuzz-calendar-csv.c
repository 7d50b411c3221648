/* Fuzz target: a calendar document as CSV through pv_calendar_parse, then stored and loaded. */
#include "fuzz.h"
#include "fuzz-calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_calendar(data, size, "fuzz.csv", PV_CALENDAR_CSV);
	return 0;
}
