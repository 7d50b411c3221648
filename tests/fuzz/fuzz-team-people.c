/* Fuzz target: people.csv through pv_team_import over a small roster. */
#include "fuzz-team.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_team(data, size, true);
	return 0;
}
