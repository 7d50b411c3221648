/* Unit tests for consents: references, recording, withdrawal, validity by date and service. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "patvers/consent.h"
#include "patvers/db.h"
#include "patvers/rules.h"
#include "patvers/team.h"

struct fixture {
	char dir[64];
	char path[128];
	struct pv_db *db;
	struct pv_rules *rules;
};

static const char units_csv[] =
	"id;navn;type;trinn;gruppe\n"
	"hof;Hof skole;skole;1-10;\n"
	"botne;Botne skole;skole;1-7;\n"
	"ppt;PPT;ppt;;\n"
	"barnevern;Barneverntjenesten;barnevern;;\n"
	"helse;Skolehelsetjenesten;helse;;\n";

static const char people_csv[] =
	"id;navn;epost;tjeneste;rolle;enheter;stedfortreder\n"
	"marit;Marit Nygard;marit@h.example;hof;rektor;;\n"
	"tor;Tor Lervik;tor@h.example;ppt;ppt-radgiver;hof;\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct pv_error err;

	snprintf(f->dir, sizeof f->dir, "/tmp/pv-test-consent-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/patvers.db", f->dir);
	assert_int_equal(pv_db_open(f->path, PV_DB_CREATE, 100, &f->db, &err), PV_OK);
	assert_int_equal(pv_db_set_actor(f->db, "tester", "test-consent", &err), PV_OK);
	pv_db_set_clock(f->db, 1795000000);
	assert_int_equal(pv_rules_default(&f->rules, &err), PV_OK);
	assert_int_equal(pv_team_import(f->db, units_csv, strlen(units_csv), "units.csv",
					people_csv, strlen(people_csv), "people.csv", NULL, NULL,
					&err), PV_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];

	pv_rules_free(f->rules);
	pv_db_close(f->db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static pv_date day(const char *text)
{
	pv_date d = 0;

	assert_true(pv_date_parse(text, &d));
	return d;
}

static long long count_rows(struct pv_db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(pv_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* A consent from the parents, written. */
static enum pv_status add(struct fixture *f, const char *ref, const char *services,
			  const char *given, const char *expires, struct pv_error *err)
{
	struct pv_consent_spec s = {
		.ref = ref, .unit = "hof", .services = services,
		.given_by = PV_CONSENT_FORESATT, .form = PV_CONSENT_WRITTEN,
		.given = day(given), .expires = expires ? day(expires) : 0, .age = -1,
	};

	return pv_consent_add(f->db, f->rules, &s, NULL, err);
}

static void test_references(void **state)
{
	struct fixture *f = *state;
	struct pv_error err;

	assert_int_equal(pv_consent_ref_check(f->rules, NULL, "HOF-2026-07", &err), PV_OK);
	assert_int_equal(pv_consent_ref_check(f->rules, NULL, "sak_12.b", &err), PV_OK);
	/* a name: no digit */
	assert_int_equal(pv_consent_ref_check(f->rules, "--ref", "kari.nordmann", &err), PV_EDATA);
	assert_non_null(strstr(err.message, "--ref: 'kari.nordmann' has no digit"));
	assert_int_equal(pv_consent_ref_check(f->rules, NULL, "Kari Nordmann 1", &err), PV_EDATA);
	assert_int_equal(pv_consent_ref_check(f->rules, NULL, "", &err), PV_EDATA);
	assert_int_equal(pv_consent_ref_check(f->rules, NULL,
					      "A23456789012345678901234567890123", &err), PV_EDATA);
	assert_int_equal(pv_consent_ref_check(f->rules, NULL, "Åse-1", &err), PV_EDATA);
	/* a valid fødselsnummer (check digits by the algorithm) */
	assert_int_equal(pv_consent_ref_check(f->rules, "--ref", "15031210140", &err), PV_EDATA);
	assert_non_null(strstr(err.message, "national identity number"));
	/* a phone number */
	assert_int_equal(pv_consent_ref_check(f->rules, NULL, "46919733", &err), PV_EDATA);
}

static void test_add_and_refusals(void **state)
{
	struct fixture *f = *state;
	struct pv_consent_spec s = {
		.ref = "HOF-1", .unit = "hof", .services = "ppt", .given_by = PV_CONSENT_ELEV,
		.form = PV_CONSENT_ORAL, .given = day("2026-09-01"), .age = -1,
	};
	struct pv_consent_filter all = { 0 };
	struct pv_consents *list;
	struct pv_error err;
	long long id = 0;

	/* a pupil alone: only with an age at or over the rules' 15 */
	assert_int_equal(pv_consent_add(f->db, f->rules, &s, &id, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "--age"));
	s.age = 14;
	assert_int_equal(pv_consent_add(f->db, f->rules, &s, &id, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "self_consent_age is 15"));
	s.age = 15;
	assert_int_equal(pv_consent_add(f->db, f->rules, &s, &id, &err), PV_OK);
	assert_true(id > 0);
	/* unknown unit, unknown service, expiry before the date, another unit's REF */
	assert_int_equal(add(f, "HOF-2", "ppt", "2026-09-01", NULL, &err), PV_OK);
	s = (struct pv_consent_spec){ .ref = "X-1", .unit = "nowhere", .services = "ppt",
				      .given = day("2026-09-01"), .age = -1 };
	assert_int_equal(pv_consent_add(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "no unit 'nowhere'"));
	assert_int_equal(add(f, "HOF-3", "ppt, tannlege", "2026-09-01", NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "'tannlege' is not a service"));
	assert_int_equal(add(f, "HOF-3", "ppt", "2026-09-01", "2026-08-01", &err), PV_EDATA);
	s = (struct pv_consent_spec){ .ref = "HOF-2", .unit = "botne", .services = "ppt",
				      .given = day("2026-09-01"), .age = -1 };
	assert_int_equal(pv_consent_add(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "belongs to unit 'hof'"));
	/* aliases and duplicates fold to sorted codes */
	assert_int_equal(add(f, "HOF-4", "Barneverntjenesten; PPT ppt", "2026-09-01", NULL, &err),
			 PV_OK);
	all.ref = "HOF-4";
	assert_int_equal(pv_consents_load(f->db, &all, &list, &err), PV_OK);
	assert_int_equal(pv_consents_count(list), 1);
	assert_int_equal(pv_consents_at(list, 0)->nservices, 2);
	assert_string_equal(pv_consents_at(list, 0)->services[0], "barnevern");
	assert_string_equal(pv_consents_at(list, 0)->services[1], "ppt");
	pv_consents_free(list);
	/* every write has its audit row, and it never holds the REF */
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE entity = 'consent'"),
			 3);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE summary GLOB '*HOF-*'"),
			 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM consent"), 3);
}

static void test_validity(void **state)
{
	struct fixture *f = *state;
	const char *ppt[] = { "ppt" }, *both[] = { "barnevern", "ppt" };
	struct pv_error err;

	assert_int_equal(add(f, "HOF-7", "ppt,helse", "2026-09-01", "2026-12-31", &err), PV_OK);
	/* valid inside its dates, the expiry day included */
	assert_int_equal(pv_consent_check(f->db, "HOF-7", day("2026-09-01"), ppt, 1, &err), PV_OK);
	assert_int_equal(pv_consent_check(f->db, "HOF-7", day("2026-12-31"), ppt, 1, &err), PV_OK);
	assert_int_equal(pv_consent_check(f->db, "HOF-7", day("2026-10-01"), NULL, 0, &err), PV_OK);
	/* before it was given, after it expired */
	assert_int_equal(pv_consent_check(f->db, "HOF-7", day("2026-08-31"), ppt, 1, &err),
			 PV_EDATA);
	assert_non_null(strstr(err.message, "is given on 2026-09-01, after the meeting"));
	assert_int_equal(pv_consent_check(f->db, "HOF-7", day("2027-01-07"), ppt, 1, &err),
			 PV_EDATA);
	assert_string_equal(err.message, "consent 'HOF-7' expired on 2026-12-31 (the meeting is "
			    "on 2027-01-07)");
	/* a service it does not cover */
	assert_int_equal(pv_consent_check(f->db, "HOF-7", day("2026-10-01"), both, 2, &err),
			 PV_EDATA);
	assert_string_equal(err.message, "consent 'HOF-7' does not cover barnevern, present at "
			    "the meeting (it covers helse, ppt)");
	/* a second consent for the same REF adds barnevern from November */
	assert_int_equal(add(f, "HOF-7", "barnevern", "2026-11-01", NULL, &err), PV_OK);
	assert_int_equal(pv_consent_check(f->db, "HOF-7", day("2026-11-05"), both, 2, &err),
			 PV_OK);
	assert_int_equal(pv_consent_check(f->db, "HOF-7", day("2026-10-05"), both, 2, &err),
			 PV_EDATA);
	assert_non_null(strstr(err.message, "for barnevern is given on 2026-11-01"));
	/* an unknown REF */
	assert_int_equal(pv_consent_check(f->db, "HOF-8", day("2026-10-05"), ppt, 1, &err),
			 PV_EDATA);
	assert_non_null(strstr(err.message, "no consent with reference 'HOF-8'"));
}

static void test_withdraw(void **state)
{
	struct fixture *f = *state;
	const char *ppt[] = { "ppt" };
	struct pv_error err;
	int n = 0;

	assert_int_equal(add(f, "HOF-9", "ppt", "2026-09-01", NULL, &err), PV_OK);
	assert_int_equal(add(f, "HOF-9", "helse", "2026-09-15", NULL, &err), PV_OK);
	assert_int_equal(pv_consent_withdraw(f->db, "HOF-9", day("2026-09-10"), &n, &err),
			 PV_EDATA);
	assert_non_null(strstr(err.message, "after the withdrawal date"));
	assert_int_equal(pv_consent_withdraw(f->db, "HOF-9", day("2026-10-20"), &n, &err), PV_OK);
	assert_int_equal(n, 2);
	/* valid before, not on or after the withdrawal date */
	assert_int_equal(pv_consent_check(f->db, "HOF-9", day("2026-10-19"), ppt, 1, &err), PV_OK);
	assert_int_equal(pv_consent_check(f->db, "HOF-9", day("2026-10-20"), ppt, 1, &err),
			 PV_EDATA);
	assert_string_equal(err.message, "consent 'HOF-9' was withdrawn on 2026-10-20 (the "
			    "meeting is on 2026-10-20)");
	assert_int_equal(pv_consent_withdraw(f->db, "HOF-9", day("2026-10-21"), &n, &err),
			 PV_EDATA);
	assert_int_equal(pv_consent_withdraw(f->db, "NONE-1", day("2026-10-21"), &n, &err),
			 PV_EDATA);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE summary LIKE "
				    "'%withdrawn on 2026-10-20'"), 2);
}

static void test_list_expiring(void **state)
{
	struct fixture *f = *state;
	struct pv_consent_filter soon = { .expiring_from = day("2026-11-23"),
					  .expiring_to = day("2026-12-23") };
	struct pv_consents *list;
	struct pv_error err;
	int n;

	assert_int_equal(add(f, "A-1", "ppt", "2026-09-01", "2026-12-01", &err), PV_OK);
	assert_int_equal(add(f, "B-1", "ppt", "2026-09-01", "2027-06-01", &err), PV_OK);
	assert_int_equal(add(f, "C-1", "ppt", "2026-09-01", "2026-11-01", &err), PV_OK);
	assert_int_equal(add(f, "D-1", "ppt", "2026-09-01", "2026-12-10", &err), PV_OK);
	assert_int_equal(add(f, "E-1", "ppt", "2026-09-01", NULL, &err), PV_OK);
	assert_int_equal(pv_consent_withdraw(f->db, "D-1", day("2026-11-01"), &n, &err), PV_OK);
	assert_int_equal(pv_consents_load(f->db, &soon, &list, &err), PV_OK);
	assert_int_equal(pv_consents_count(list), 1);
	assert_string_equal(pv_consents_at(list, 0)->ref, "A-1");
	assert_string_equal(pv_consent_state(pv_consents_at(list, 0), day("2026-11-23")),
			    "active");
	assert_string_equal(pv_consent_state(pv_consents_at(list, 0), day("2026-12-02")),
			    "expired");
	assert_string_equal(pv_consent_state(pv_consents_at(list, 0), day("2026-08-02")),
			    "future");
	pv_consents_free(list);
	assert_int_equal(pv_consents_load(f->db, NULL, &list, &err), PV_OK);
	assert_int_equal(pv_consents_count(list), 5);
	assert_string_equal(pv_consent_state(pv_consents_at(list, 3), day("2026-11-23")),
			    "withdrawn");
	pv_consents_free(list);
}

static void test_names(void **state)
{
	enum pv_consent_giver g;
	enum pv_consent_form form;

	(void)state;
	assert_true(pv_consent_giver_parse("Foresatte", &g));
	assert_int_equal(g, PV_CONSENT_FORESATT);
	assert_true(pv_consent_giver_parse("elev", &g));
	assert_int_equal(g, PV_CONSENT_ELEV);
	assert_false(pv_consent_giver_parse("lærer", &g));
	assert_true(pv_consent_form_parse("Muntlig", &form));
	assert_int_equal(form, PV_CONSENT_ORAL);
	assert_true(pv_consent_form_parse("written", &form));
	assert_false(pv_consent_form_parse("email", &form));
	assert_string_equal(pv_consent_giver_name(PV_CONSENT_ELEV), "elev");
	assert_string_equal(pv_consent_form_name(PV_CONSENT_WRITTEN), "written");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_and_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_withdraw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_expiring, setup, teardown),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
