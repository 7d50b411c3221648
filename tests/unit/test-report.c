/* Unit tests for the half-year report: prikking (checked by brute force), status, counts, formats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "patvers/db.h"
#include "patvers/report.h"
#include "patvers/rules.h"
#include "patvers/schedule.h"
#include "patvers/team.h"

/* ---- brute force: every table a reader could believe ---- */

struct brute {
	const int *counts;
	size_t rows, cols;
	int k;
	const enum pv_cell *cells, *totals;
	int grand;
	int *x;            /* the table being tried */
	bool *other;       /* per element: another value seen */
	long feasible;
};

static void interval(const struct brute *b, enum pv_cell s, int v, int *lo, int *hi)
{
	if (s == PV_CELL_SMALL) {
		*lo = 0;
		*hi = b->k - 1;
	} else if (s == PV_CELL_HIDDEN) {
		*lo = b->k;
		*hi = b->grand;
	} else {
		*lo = *hi = v;
	}
}

static void brute_check(struct brute *b)
{
	size_t n = b->rows * b->cols;

	for (size_t c = 0; c < b->cols; c++) {
		int sum = 0, truth = 0, lo, hi;

		for (size_t r = 0; r < b->rows; r++) {
			sum += b->x[r * b->cols + c];
			truth += b->counts[r * b->cols + c];
		}
		interval(b, b->totals[c], truth, &lo, &hi);
		if (sum < lo || sum > hi)
			return;
	}
	b->feasible++;
	for (size_t i = 0; i < n; i++)
		if (b->x[i] != b->counts[i])
			b->other[i] = true;
	for (size_t c = 0; c < b->cols; c++) {
		int sum = 0, truth = 0;

		for (size_t r = 0; r < b->rows; r++) {
			sum += b->x[r * b->cols + c];
			truth += b->counts[r * b->cols + c];
		}
		if (sum != truth)
			b->other[n + c] = true;
	}
}

/* Fills row r from column c on so that the row adds up to its total. */
static void brute_fill(struct brute *b, size_t r, size_t c, int left)
{
	size_t i = r * b->cols + c;
	int lo, hi;

	if (r == b->rows) {
		brute_check(b);
		return;
	}
	if (c == b->cols) {
		int total = 0;

		if (left != 0)
			return;
		for (size_t k = 0; r + 1 < b->rows && k < b->cols; k++)
			total += b->counts[(r + 1) * b->cols + k];
		brute_fill(b, r + 1, 0, total);
		return;
	}
	interval(b, b->cells[i], b->counts[i], &lo, &hi);
	for (int v = lo; v <= hi && v <= left; v++) {
		b->x[i] = v;
		brute_fill(b, r, c + 1, left - v);
	}
}

/* How many primary numbers (1 <= v < k) a reader can pin down. */
static long brute_disclosed(const int *counts, size_t rows, size_t cols, int k,
			    const enum pv_cell *cells, const enum pv_cell *totals)
{
	struct brute b = { counts, rows, cols, k, cells, totals, 0, NULL, NULL, 0 };
	int first = 0;
	long disclosed = 0;

	b.x = calloc(rows * cols + 1, sizeof *b.x);
	b.other = calloc(rows * cols + cols + 1, sizeof *b.other);
	for (size_t i = 0; i < rows * cols; i++)
		b.grand += counts[i];
	for (size_t c = 0; c < cols; c++)
		first += counts[c];
	brute_fill(&b, 0, 0, rows ? first : 0);
	assert_true(b.feasible >= 1);   /* the true table is always one */
	for (size_t i = 0; i < rows * cols + cols; i++) {
		int v = 0;

		if (i < rows * cols) {
			v = counts[i];
		} else {
			for (size_t r = 0; r < rows; r++)
				v += counts[r * cols + (i - rows * cols)];
		}
		if (v >= 1 && v < k && !b.other[i])
			disclosed++;
	}
	free(b.x);
	free(b.other);
	return disclosed;
}

static unsigned long rng_state = 20261215;

static unsigned rng(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng_state >> 33) % n);
}

/* ---- prikking ---- */

static void test_suppress_nothing_small(void **state)
{
	static const int counts[] = { 3, 0, 5, 4, 0, 7 };
	enum pv_cell cells[6], totals[3];
	struct pv_error err;
	bool withheld;

	(void)state;
	assert_int_equal(pv_suppress(counts, 2, 3, 3, cells, totals, &withheld, &err), PV_OK);
	assert_false(withheld);
	for (int i = 0; i < 6; i++)
		assert_int_equal(cells[i], PV_CELL_SHOWN);
	for (int i = 0; i < 3; i++)
		assert_int_equal(totals[i], PV_CELL_SHOWN);
	/* below 2 suppresses nothing at all */
	assert_int_equal(pv_suppress(counts, 2, 3, 1, cells, totals, &withheld, &err), PV_OK);
	assert_int_equal(pv_suppress_disclosed(counts, 2, 3, 1, cells, totals), 0);
}

/*
 * The fixture municipality of tests/cli/report.bats, worked by hand.
 * Rows alfa, beta, gamma, bhg-vest, naervaer, god-oppvekst; columns the
 * default themes and "annet" (S skolevegring 0, P psykisk helse 1,
 * V vold/overgrep 2, F familie 4, L språk 5):
 *
 *            S  P  F  L   cases
 *   alfa     4  1  3  .     8
 *   beta     3  2  .  .     5
 *   gamma    .  .  5  .     5
 *   bhg-vest .  .  .  1     1
 *   naervaer 3  .  .  .     3
 *   total   10  3  8  1    22
 *
 * Primary (1 or 2): alfa.P, beta.P, bhg.L and the total of L.
 * alfa.P = 8 - 4 - 3 by its row: the cheapest cycle through it lowers
 * alfa.P, raises alfa.L (a zero: "<3"), lowers bhg.L, raises bhg.P (a
 * zero: "<3"). beta.P = 5 - 3: a zero beta.L closes beta.P -> bhg.P ->
 * bhg.L -> beta.L. The total of L = 22 - 10 - 3 - 8 by the total row:
 * a zero column V joins it, bhg.V and V's total both "<3". Nothing
 * larger than 2 had to be hidden.
 */
static const int fixture_counts[6 * 11] = {
	4, 1, 0, 0, 3, 0, 0, 0, 0, 0, 0,
	3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0,
	3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static void test_suppress_fixture(void **state)
{
	enum pv_cell cells[6 * 11], totals[11];
	struct pv_error err;
	bool withheld;
	size_t small = 0;

	(void)state;
	assert_int_equal(pv_suppress(fixture_counts, 6, 11, 3, cells, totals, &withheld, &err),
			 PV_OK);
	assert_false(withheld);
	assert_int_equal(cells[0 * 11 + 1], PV_CELL_SMALL);   /* alfa.P primary */
	assert_int_equal(cells[1 * 11 + 1], PV_CELL_SMALL);   /* beta.P primary */
	assert_int_equal(cells[3 * 11 + 5], PV_CELL_SMALL);   /* bhg.L primary */
	assert_int_equal(totals[5], PV_CELL_SMALL);           /* total L primary */
	assert_int_equal(cells[0 * 11 + 5], PV_CELL_SMALL);   /* alfa.L secondary 0 */
	assert_int_equal(cells[3 * 11 + 1], PV_CELL_SMALL);   /* bhg.P secondary 0 */
	assert_int_equal(cells[1 * 11 + 5], PV_CELL_SMALL);   /* beta.L secondary 0 */
	assert_int_equal(cells[3 * 11 + 2], PV_CELL_SMALL);   /* bhg.V secondary 0 */
	assert_int_equal(totals[2], PV_CELL_SMALL);           /* total V secondary 0 */
	for (size_t i = 0; i < 6 * 11; i++) {
		small += cells[i] == PV_CELL_SMALL;
		assert_int_not_equal(cells[i], PV_CELL_HIDDEN);
	}
	assert_int_equal(small, 7);
	assert_int_equal(totals[0], PV_CELL_SHOWN);
	assert_int_equal(totals[1], PV_CELL_SHOWN);
	assert_int_equal(totals[4], PV_CELL_SHOWN);
	assert_int_equal(pv_suppress_disclosed(fixture_counts, 6, 11, 3, cells, totals), 0);
}

/* Without secondary suppression the fixture gives numbers away, and
 * brute force agrees with the graph test on how many. */
static void test_disclosed_without_secondary(void **state)
{
	enum pv_cell cells[6 * 11], totals[11];

	(void)state;
	for (size_t i = 0; i < 6 * 11; i++)
		cells[i] = fixture_counts[i] >= 1 && fixture_counts[i] < 3 ? PV_CELL_SMALL
									     : PV_CELL_SHOWN;
	for (size_t c = 0; c < 11; c++)
		totals[c] = PV_CELL_SHOWN;
	totals[5] = PV_CELL_SMALL;
	/* alfa.P, beta.P: by their rows; bhg.L and total L: a row of one */
	assert_int_equal(pv_suppress_disclosed(fixture_counts, 6, 11, 3, cells, totals), 4);
}

/* A row whose only small number is beside a large one: a zero cannot
 * hide it when every zero column's total is 0, so a large number goes. */
static void test_suppress_hides_a_larger_number(void **state)
{
	static const int counts[] = {
		1, 5,
		4, 3,
	};
	enum pv_cell cells[4], totals[2];
	struct pv_error err;
	bool withheld;

	(void)state;
	assert_int_equal(pv_suppress(counts, 2, 2, 3, cells, totals, &withheld, &err), PV_OK);
	assert_false(withheld);
	assert_int_equal(cells[0], PV_CELL_SMALL);
	assert_int_equal(pv_suppress_disclosed(counts, 2, 2, 3, cells, totals), 0);
	assert_int_equal(brute_disclosed(counts, 2, 2, 3, cells, totals), 0);
	/* 1 + 5 in row 0 and 1 + 4 in column 0: two more numbers are "*" */
	assert_true(cells[1] == PV_CELL_HIDDEN || cells[2] == PV_CELL_HIDDEN);
}

static void test_suppress_withholds_what_cannot_be_protected(void **state)
{
	static const int one[] = { 1 };
	static const int column[] = { 2, 0, 4 };
	enum pv_cell cells[3], totals[1];
	struct pv_error err;
	bool withheld;

	(void)state;
	/* one unit, one theme, one case: the total is the case */
	assert_int_equal(pv_suppress(one, 1, 1, 3, cells, totals, &withheld, &err), PV_OK);
	assert_true(withheld);
	/* a single theme column: every row total is its one cell */
	assert_int_equal(pv_suppress(column, 3, 1, 3, cells, totals, &withheld, &err), PV_OK);
	assert_true(withheld);
}

/* Random small tables: after pv_suppress no primary number has one
 * possible value (checked by enumerating every table a reader could
 * believe), and the graph test counts disclosures exactly as brute
 * force does for random patterns. */
static void test_suppress_random_against_brute_force(void **state)
{
	(void)state;
	for (int round = 0; round < 400; round++) {
		size_t rows = 1 + rng(3), cols = 1 + rng(3);
		int counts[9], k = 2 + (int)rng(2);
		enum pv_cell cells[9], totals[3], pattern[9], ptotals[3];
		struct pv_error err;
		bool withheld;

		for (size_t i = 0; i < rows * cols; i++)
			counts[i] = rng(3) ? (int)rng(5) : 0;
		assert_int_equal(pv_suppress(counts, rows, cols, k, cells, totals, &withheld,
					     &err), PV_OK);
		if (!withheld) {
			assert_int_equal(brute_disclosed(counts, rows, cols, k, cells, totals), 0);
			assert_int_equal(pv_suppress_disclosed(counts, rows, cols, k, cells,
							       totals), 0);
		}
		/* a random publication: small numbers "<k" or left out, zeros
		 * sometimes "<k", larger ones sometimes "*" */
		for (size_t i = 0; i < rows * cols + cols; i++) {
			int v = 0;
			enum pv_cell s = PV_CELL_SHOWN;

			if (i < rows * cols)
				v = counts[i];
			else
				for (size_t r = 0; r < rows; r++)
					v += counts[r * cols + i - rows * cols];
			if (v >= 1 && v < k)
				s = rng(5) ? PV_CELL_SMALL : PV_CELL_SHOWN;
			else if (v == 0 && !rng(3))
				s = PV_CELL_SMALL;
			else if (v >= k && !rng(3))
				s = PV_CELL_HIDDEN;
			if (i < rows * cols)
				pattern[i] = s;
			else
				ptotals[i - rows * cols] = s;
		}
		assert_int_equal(pv_suppress_disclosed(counts, rows, cols, k, pattern, ptotals),
				 brute_disclosed(counts, rows, cols, k, pattern, ptotals));
	}
}

/* ---- a database: status, counts, texts, formats ---- */

struct fixture {
	char dir[64];
	char path[128];
	struct pv_db *db;
	long long m1, m2, m3, god1, god2, vteam;
};

static const char units_csv[] =
	"id;navn;type;trinn;gruppe\n"
	"hof;Hof skole;skole;1-10;\n"
	"ppt;PPT;ppt;;\n"
	"barnevern;Barneverntjenesten;barnevern;;\n"
	"helse;Skolehelsetjenesten;helse;;\n"
	"god-oppvekst;God oppvekst;god-oppvekst;;\n"
	"naervaer;Nærværsteam;naervaer;;\n";

static const char people_csv[] =
	"id;navn;epost;tjeneste;rolle;enheter;stedfortreder\n"
	"marit;Marit Nygard;marit@h.example;hof;rektor;;\n"
	"tor;Tor Lervik;tor@h.example;ppt;ppt-radgiver;hof;\n"
	"solveig;Solveig Kolstad;solveig@h.example;barnevern;barnevern-kontakt;hof;\n"
	"mari;Mari Husby;mari@h.example;helse;helsesykepleier;hof;\n"
	"vibeke;Vibeke Tveit;vibeke@h.example;god-oppvekst;leder;god-oppvekst;\n";

static pv_date day(const char *text)
{
	pv_date d = 0;

	assert_true(pv_date_parse(text, &d));
	return d;
}

static long long add_meeting(struct pv_db *db, const char *unit, enum pv_meeting_kind kind,
			     const char *date, enum pv_meeting_status status, const char *reason)
{
	struct pv_meeting m = {
		.school_year = 2026, .unit = unit, .kind = kind, .date = day(date),
		.start = 750, .end = 840, .status = status, .cancel_reason = reason,
	};
	struct pv_error err;
	long long id = 0;

	assert_int_equal(pv_meeting_insert(db, &m, &id, &err), PV_OK);
	return id;
}

static void run_sql(struct pv_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(pv_db_handle(db), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct pv_error err;
	char sql[1024];

	snprintf(f->dir, sizeof f->dir, "/tmp/pv-test-report-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/patvers.db", f->dir);
	assert_int_equal(pv_db_open(f->path, PV_DB_CREATE, 100, &f->db, &err), PV_OK);
	assert_int_equal(pv_db_set_actor(f->db, "tester", "test-report", &err), PV_OK);
	pv_db_set_clock(f->db, 1795000000);
	assert_int_equal(pv_team_import(f->db, units_csv, strlen(units_csv), "units.csv",
					people_csv, strlen(people_csv), "people.csv", NULL, NULL,
					&err), PV_OK);
	/* hof: held 3 Sep, 15 Oct still planned, 10 Dec planned */
	f->m1 = add_meeting(f->db, "hof", PV_MEETING_SYSTEMMOTE, "2026-09-03", PV_MEETING_HELD,
			    NULL);
	f->m2 = add_meeting(f->db, "hof", PV_MEETING_SYSTEMMOTE, "2026-10-15",
			    PV_MEETING_PLANNED, NULL);
	f->m3 = add_meeting(f->db, "hof", PV_MEETING_SYSTEMMOTE, "2026-12-10",
			    PV_MEETING_PLANNED, NULL);
	f->vteam = add_meeting(f->db, "hof", PV_MEETING_VEILEDNINGSTEAM, "2026-11-05",
			       PV_MEETING_HELD, NULL);
	/* God oppvekst: one held in the autumn, one planned in the spring */
	f->god1 = add_meeting(f->db, "god-oppvekst", PV_MEETING_GOD_OPPVEKST, "2026-10-01",
			      PV_MEETING_HELD, NULL);
	f->god2 = add_meeting(f->db, "god-oppvekst", PV_MEETING_GOD_OPPVEKST, "2027-02-04",
			      PV_MEETING_PLANNED, NULL);
	snprintf(sql, sizeof sql,
		 "INSERT INTO meeting_log (meeting, leader, experience) VALUES"
		 " (%lld, 'marit', 'Vi drøftet HOF-2026-07. Ring 41234567 ved behov.'),"
		 " (%lld, 'marit', ''), (%lld, 'vibeke', 'Godt møte.');"
		 "INSERT INTO meeting_log_attendee (meeting, person, substitute_for, position)"
		 " VALUES (%lld, 'tor', NULL, 0), (%lld, 'marit', 'mari', 1);"
		 "INSERT INTO meeting_case (meeting, position, consent_ref, theme) VALUES"
		 " (%lld, 0, NULL, 'skolevegring'), (%lld, 1, 'HOF-2026-07', 'rus'),"
		 " (%lld, 2, NULL, 'Eleven i 7B med den røde sykkelen'),"
		 " (%lld, 0, NULL, 'skolevegring'), (%lld, 1, NULL, 'skolevegring');"
		 "INSERT INTO meeting_action (meeting, position, person, what, due, status,"
		 " done_date) VALUES (%lld, 0, 'tor', 'Kartlegge', '2026-10-01', 'done',"
		 " '2026-09-20'), (%lld, 1, 'marit', 'Ringe', '2026-10-20', 'open', NULL),"
		 " (%lld, 2, 'mari', 'Samtale', '2026-12-20', 'open', NULL);",
		 f->m1, f->vteam, f->god1, f->m1, f->m1, f->m1, f->m1, f->m1, f->vteam,
		 f->vteam, f->m1, f->m1, f->m1);
	run_sql(f->db, sql);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];

	pv_db_close(f->db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static struct pv_report *build(struct fixture *f, const char *as_of, const char *unit)
{
	struct pv_report_options opts = { .year = 2026, .half = 2, .unit = unit,
					   .as_of = day(as_of) };
	struct pv_report *r = NULL;
	struct pv_error err;

	if (pv_report_build(f->db, &opts, &r, &err) != PV_OK)
		fail_msg("%s", err.message);
	return r;
}

static const struct pv_report_row *row(const struct pv_report *r, const char *unit)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (strcmp(r->rows[i].unit, unit) == 0)
			return &r->rows[i];
	fail_msg("no row %s", unit);
	return NULL;
}

static void set_status(struct fixture *f, long long id, const char *status)
{
	char sql[160];

	snprintf(sql, sizeof sql, "UPDATE meeting SET status = '%s', cancel_reason = %s"
		 " WHERE id = %lld", status,
		 strcmp(status, "cancelled") == 0 ? "'Sykdom'" : "NULL", id);
	run_sql(f->db, sql);
}

/* The four statuses, each from its definition in report.h. */
static void test_status(void **state)
{
	struct fixture *f = *state;
	struct pv_report *r;
	const struct pv_report_row *hof;

	/* 1 Nov: held 1 (3 Sep), unlogged 1 (15 Oct), upcoming 1 (10 Dec):
	 * H + P = 2 >= 2 -> on track */
	r = build(f, "2026-11-01", NULL);
	hof = row(r, "hof");
	assert_int_equal(hof->planned, 3);
	assert_int_equal(hof->held, 1);
	assert_int_equal(hof->unlogged, 1);
	assert_int_equal(hof->upcoming, 1);
	assert_int_equal(hof->cancelled, 0);
	assert_int_equal(hof->minimum, 2);
	assert_int_equal(hof->status, PV_REPORT_ON_TRACK);
	pv_report_free(r);

	/* 10 Dec cancelled: H + P = 1 < 2 <= H + U + P = 2 -> at risk */
	set_status(f, f->m3, "cancelled");
	r = build(f, "2026-11-01", NULL);
	hof = row(r, "hof");
	assert_int_equal(hof->cancelled, 1);
	assert_int_equal(hof->status, PV_REPORT_AT_RISK);
	assert_int_equal(hof->ncancellations, 1);
	assert_string_equal(hof->cancellations[0].text, "Sykdom");
	assert_false(pv_report_findings(r));
	pv_report_free(r);

	/* after the half-year: H = 1 < 2 -> missed; --exit-code finds it */
	r = build(f, "2027-01-05", NULL);
	assert_int_equal(row(r, "hof")->status, PV_REPORT_MISSED);
	assert_int_equal(row(r, "hof")->unlogged, 1);
	assert_true(pv_report_findings(r));
	pv_report_free(r);

	/* 15 Oct logged: H = 2 -> met, also after the half-year */
	set_status(f, f->m2, "held");
	r = build(f, "2027-01-05", NULL);
	assert_int_equal(row(r, "hof")->status, PV_REPORT_MET);
	pv_report_free(r);

	/* as of 1 Sep nothing was held yet: the 3 Sep meeting is upcoming */
	r = build(f, "2026-09-01", NULL);
	hof = row(r, "hof");
	assert_int_equal(hof->held, 0);
	assert_int_equal(hof->upcoming, 2);
	assert_int_equal(hof->cases, 0);
	assert_int_equal(hof->status, PV_REPORT_ON_TRACK);
	pv_report_free(r);
}

/* God oppvekst counts its school year; the Nærværsteam has no minimum. */
static void test_school_year_minimum(void **state)
{
	struct fixture *f = *state;
	struct pv_report *r = build(f, "2026-12-01", NULL);
	const struct pv_report_row *god = row(r, "god-oppvekst");

	assert_true(god->per_school_year);
	assert_int_equal(god->minimum, 2);
	assert_int_equal(god->planned, 1);   /* in H2 */
	assert_int_equal(god->held, 1);
	assert_int_equal(god->counted, 1);   /* in 2026/27 */
	assert_int_equal(god->status, PV_REPORT_ON_TRACK);   /* 1 held + 1 in February */
	assert_int_equal(row(r, "naervaer")->status, PV_REPORT_NO_MINIMUM);
	assert_int_equal(row(r, "naervaer")->minimum, 0);
	/* the order: schools, then the Nærværsteam, then God oppvekst */
	assert_string_equal(r->rows[0].unit, "hof");
	assert_string_equal(r->rows[1].unit, "naervaer");
	assert_string_equal(r->rows[2].unit, "god-oppvekst");
	pv_report_free(r);
}

static void test_counts_and_texts(void **state)
{
	struct fixture *f = *state;
	struct pv_report *r = build(f, "2026-12-01", NULL);
	const struct pv_report_row *hof = row(r, "hof");

	/* cases: 3 at the systemmøte (one with consent), 2 at the veiledningsteam */
	assert_int_equal(hof->cases, 5);
	assert_int_equal(hof->anonymous, 4);
	assert_int_equal(hof->consent, 1);
	assert_int_equal(hof->veiledningsteam, 1);
	/* actions: done 20 Sep; due 20 Oct open (overdue); due 20 Dec open */
	assert_int_equal(hof->actions_opened, 3);
	assert_int_equal(hof->actions_done, 1);
	assert_int_equal(hof->actions_overdue, 1);
	/* themes: skolevegring 3, rus 1 -> "<3", the free text -> annet 1 -> "<3" */
	assert_int_equal(hof->nthemes, 3);
	assert_string_equal(hof->themes[0].theme, "skolevegring");
	assert_int_equal(hof->themes[0].count, 3);
	assert_string_equal(hof->themes[1].theme, "rus");
	assert_int_equal(hof->themes[1].cell, PV_CELL_SMALL);
	assert_int_equal(hof->themes[1].count, -1);
	assert_string_equal(hof->themes[2].theme, "annet");
	assert_int_equal(hof->themes[2].cell, PV_CELL_SMALL);
	assert_true(r->suppressed);
	/* attendance at the one held systemmøte: tor (ppt) came, marit stood
	 * in for mari (helse), solveig (barnevern) did not come */
	assert_int_equal(hof->service_meetings[0], 1);
	assert_int_equal(hof->service_present[0], 1);
	assert_int_equal(hof->service_present[1], 0);
	assert_int_equal(hof->service_meetings[1], 1);
	assert_int_equal(hof->service_present[2], 1);
	assert_int_equal(hof->service_meetings[3], 0);   /* no BFS in a school team */
	/* the experience: the consent reference and the phone number are gone */
	assert_int_equal(hof->nexperiences, 1);
	assert_string_equal(hof->experiences[0].text, "Vi drøftet […]. Ring […] ved behov.");
	/* the municipality */
	assert_int_equal(r->total.cases, 5);
	assert_int_equal(r->total.held, 1 + 1);
	assert_int_equal(r->status_count[PV_REPORT_ON_TRACK], 2);
	pv_report_free(r);
}

static char *emit(const struct pv_report *r, enum pv_format format)
{
	struct pv_out_options opts = { .format = format };
	struct pv_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct pv_out *out = pv_out_new(fp, &opts);

	pv_report_emit(r, out);
	assert_int_equal(pv_out_end(out, &err), PV_OK);
	pv_out_free(out);
	fclose(fp);
	return buf;
}

static void test_formats(void **state)
{
	struct fixture *f = *state;
	struct pv_report *r = build(f, "2026-12-01", NULL);
	char *json = emit(r, PV_FORMAT_JSON), *csv = emit(r, PV_FORMAT_CSV);
	char *text = emit(r, PV_FORMAT_TEXT), *md = NULL, *html = NULL, *again = NULL;
	struct pv_error err;
	char *line;

	assert_non_null(strstr(json, "\"schema\": \"patvers/report/1\""));
	assert_non_null(strstr(json, "\"count\": null"));
	assert_non_null(strstr(json, "\"suppressed\": true"));
	assert_non_null(strstr(json, "\"shown_as\": \"<3\""));
	assert_null(strstr(json, "HOF-2026-07"));
	assert_null(strstr(json, "sykkelen"));
	assert_non_null(strstr(csv, "theme:skolevegring"));
	assert_non_null(strstr(csv, "\r\nhof,Hof skole,school,systemmote,3,1,0,1,1,2,"));
	assert_null(strstr(text, "HOF-2026-07"));
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1
								  : NULL) {
		size_t n = strcspn(line, "\n"), w = 0;
		for (size_t i = 0; i < n; i++)
			w += ((unsigned char)line[i] & 0xC0) != 0x80;
		assert_true(w <= 80);
	}
	assert_int_equal(pv_report_markdown(r, &md, &err), PV_OK);
	assert_non_null(strstr(md, "| Hof skole (hof) | 3 | 1 | 0 | 1 | 1 | 2 | on track |"));
	assert_non_null(strstr(md, "rus \\<3"));
	assert_null(strstr(md, "HOF-2026-07"));
	assert_int_equal(pv_report_html(r, &html, &err), PV_OK);
	assert_non_null(strstr(html, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
	assert_non_null(strstr(html, "@page { size: A4;"));
	assert_non_null(strstr(html, "rus &lt;3"));
	/* self-contained: the only addresses are the XML namespaces */
	for (const char *p = strstr(html, "http"); p; p = strstr(p + 1, "http"))
		assert_true(strncmp(p, "http://www.w3.org/", 18) == 0);
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	assert_null(strstr(html, "HOF-2026-07"));
	/* the same report renders the same bytes */
	assert_int_equal(pv_report_html(r, &again, &err), PV_OK);
	assert_string_equal(html, again);
	free(json);
	free(csv);
	free(text);
	free(md);
	free(html);
	free(again);
	pv_report_free(r);
}

static void test_no_data_and_one_unit(void **state)
{
	struct fixture *f = *state;
	struct pv_report_options opts = { .year = 2025, .half = 1, .as_of = day("2025-06-10") };
	struct pv_report *r = NULL;
	struct pv_error err;
	char *md = NULL;

	assert_int_equal(pv_report_build(f->db, &opts, &r, &err), PV_OK);
	assert_true(r->no_data);
	assert_true(pv_report_findings(r));
	assert_int_equal(pv_report_markdown(r, &md, &err), PV_OK);
	assert_non_null(strstr(md, "nothing to report"));
	assert_null(strstr(md, "## Meetings"));
	free(md);
	pv_report_free(r);

	r = build(f, "2026-12-01", "hof");
	assert_int_equal(r->nrows, 1);
	assert_string_equal(r->unit, "hof");
	assert_false(r->no_data);
	/* the suppression is the full report's */
	assert_int_equal(r->rows[0].themes[1].cell, PV_CELL_SMALL);
	pv_report_free(r);

	opts = (struct pv_report_options){ .year = 2026, .half = 2, .unit = "ppt",
					   .as_of = day("2026-12-01") };
	assert_int_equal(pv_report_build(f->db, &opts, &r, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "'ppt' does not report"));
	opts.unit = "nowhere";
	assert_int_equal(pv_report_build(f->db, &opts, &r, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "no unit 'nowhere'"));
	opts.unit = NULL;
	opts.half = 3;
	assert_int_equal(pv_report_build(f->db, &opts, &r, &err), PV_EUSAGE);
}

static void test_notes_and_sent_mark(void **state)
{
	struct fixture *f = *state;
	struct pv_rules *rules;
	struct pv_report *r;
	struct pv_error err;
	pv_date date;
	char *by = NULL;
	bool sent;

	assert_int_equal(pv_rules_default(&rules, &err), PV_OK);
	assert_int_equal(pv_report_note_set(f->db, rules, "hof", 2026, 2, "Bedre rutiner.",
					    &err), PV_OK);
	assert_int_equal(pv_report_note_set(f->db, rules, "hof", 2026, 2,
					    "Ring mor på 41234567", &err), PV_EDATA);
	assert_non_null(strstr(err.message, "phone"));
	assert_int_equal(pv_report_note_set(f->db, rules, "hof", 2026, 2, "  ", &err),
			 PV_EDATA);
	assert_int_equal(pv_report_note_set(f->db, rules, "ppt", 2026, 2, "x", &err), PV_EDATA);
	r = build(f, "2026-12-01", NULL);
	assert_int_equal(row(r, "hof")->nexperiences, 2);
	assert_int_equal(row(r, "hof")->experiences[0].date, 0);
	assert_string_equal(row(r, "hof")->experiences[0].text, "Bedre rutiner.");
	assert_false(r->sent);
	pv_report_free(r);

	assert_int_equal(pv_report_mark_sent(f->db, 2026, 2, day("2026-12-14"), "Marit", false,
					     &err), PV_OK);
	assert_int_equal(pv_report_mark_sent(f->db, 2026, 2, day("2026-12-15"), "Marit", false,
					     &err), PV_EDATA);
	assert_non_null(strstr(err.message, "2026-12-14 by Marit"));
	assert_int_equal(pv_report_sent_get(f->db, 2026, 2, &sent, &date, &by, &err), PV_OK);
	assert_true(sent);
	assert_int_equal(date, day("2026-12-14"));
	assert_string_equal(by, "Marit");
	free(by);
	r = build(f, "2026-12-01", NULL);
	assert_true(r->sent);
	assert_string_equal(r->sent_by, "Marit");
	pv_report_free(r);
	assert_int_equal(pv_report_mark_sent(f->db, 2026, 2, 0, NULL, true, &err), PV_OK);
	assert_int_equal(pv_report_mark_sent(f->db, 2026, 2, 0, NULL, true, &err), PV_EDATA);
	assert_int_equal(pv_report_note_set(f->db, rules, "hof", 2026, 2, NULL, &err), PV_OK);
	assert_int_equal(pv_report_note_set(f->db, rules, "hof", 2026, 2, NULL, &err), PV_EDATA);
	pv_rules_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suppress_nothing_small),
		cmocka_unit_test(test_suppress_fixture),
		cmocka_unit_test(test_disclosed_without_secondary),
		cmocka_unit_test(test_suppress_hides_a_larger_number),
		cmocka_unit_test(test_suppress_withholds_what_cannot_be_protected),
		cmocka_unit_test(test_suppress_random_against_brute_force),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_school_year_minimum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts_and_texts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_data_and_one_unit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notes_and_sent_mark, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
