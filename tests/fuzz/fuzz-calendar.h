/* The calendar targets' body: parse, and for what is accepted, store, load and ask. */
#ifndef PATVERS_TESTS_FUZZ_CALENDAR_H
#define PATVERS_TESTS_FUZZ_CALENDAR_H

#include "fuzz.h"
#include "patvers/calendar.h"
#include "patvers/team.h"

/* Units a planning day or closed day in the input may name. */
static const char fuzz_calendar_units[] =
	"id;navn;type;trinn;gruppe\n"
	"hof;Hof skole;skole;1-7;\n"
	"sande;Sande barnehage;barnehage;;\n";

static inline void fuzz_calendar_setup(struct pv_db *db)
{
	static bool done;
	struct pv_error err;
	struct pv_team_import_options opts = { 0 };

	if (done)
		return;
	done = true;
	if (pv_db_begin(db, &err) != PV_OK ||
	    pv_team_import(db, fuzz_calendar_units, strlen(fuzz_calendar_units), "units.csv",
			   NULL, 0, NULL, &opts, NULL, &err) != PV_OK ||
	    pv_db_commit(db, &err) != PV_OK)
		fuzz_die("cannot set up the units", &err);
}

/*
 * A document the parser accepts must also store and load: the loaded
 * calendar indexes days by date, so odd but valid spans are where an
 * off-by-one would show. Only accepted inputs reach the database, which
 * keeps the target fast.
 */
static inline void fuzz_calendar(const uint8_t *data, size_t size, const char *name,
				 enum pv_calendar_format format)
{
	struct pv_calendar_doc *doc = NULL;
	struct pv_calendar *cal = NULL;
	struct pv_error err;
	enum pv_status status;
	struct pv_db *db;
	int year;

	status = pv_calendar_parse((const char *)data, size, name, format, &doc, &err);
	fuzz_check_status(status, &err);
	if (status != PV_OK)
		return;
	year = pv_calendar_doc_year(doc);
	if (year < 1900 || year > 2199)
		abort();
	db = fuzz_db();
	fuzz_calendar_setup(db);
	if (pv_db_begin(db, &err) != PV_OK)
		fuzz_die("begin", &err);
	status = pv_calendar_store(db, doc, NULL, &err);
	fuzz_check_status(status, &err);
	if (status == PV_OK) {
		pv_date first, last;
		char buf[256];

		status = pv_calendar_load(db, year, &cal, &err);
		if (status != PV_OK) {
			fprintf(stderr, "fuzz: a stored calendar does not load: %s\n",
				err.message);
			abort();
		}
		pv_calendar_bounds(cal, &first, &last);
		for (pv_date d = first - 1; d <= last + 1; d++) {
			struct pv_day_reason why;

			(void)pv_calendar_is_school_day(cal, "hof", d);
			(void)pv_calendar_is_kindergarten_day(cal, "sande", d);
			pv_calendar_why(cal, PV_SCHOOL, NULL, d, &why);
			pv_calendar_describe(cal, &why, buf, sizeof buf);
		}
		(void)pv_calendar_count(cal, PV_SCHOOL, "hof", first, last);
		(void)pv_calendar_count_half(cal, PV_KINDERGARTEN, NULL, year + 1, 1);
		pv_calendar_free(cal);
	}
	pv_db_rollback(db);
	pv_calendar_doc_free(doc);
}

#endif
