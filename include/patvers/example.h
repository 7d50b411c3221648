/* Loading an example municipality (examples/<name>/) into a database. */
#ifndef PATVERS_EXAMPLE_H
#define PATVERS_EXAMPLE_H

#include <stdbool.h>
#include <stddef.h>

#include "patvers/db.h"
#include "patvers/error.h"
#include "patvers/team.h"

/* What pv_example_load did. */
struct pv_example_result {
	bool rules;                    /* rules.json was imported */
	struct pv_team_counts team;    /* units.csv and people.csv */
	int calendars[16];             /* start years of the calendars imported */
	size_t ncalendars;
};

/*
 * Loads the example in folder `dir`: rules.json when present (first, as
 * the roster is checked against the rules), then units.csv and
 * people.csv (both required; upserted as by `team import`), then every
 * calendar-*.json in name order. Must run inside the caller's write
 * transaction; on an error the caller rolls back. `result` may be NULL.
 */
enum pv_status pv_example_load(struct pv_db *db, const char *dir,
			       struct pv_example_result *result, struct pv_error *err);

/* True when `name` is a plain example name (a slug: no '/', no '..'). */
bool pv_example_name_valid(const char *name);

#endif
