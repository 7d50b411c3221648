/* Unit tests for the stafettlogg: consent by level, handovers, due dates, purge, guide, export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "patvers/consent.h"
#include "patvers/db.h"
#include "patvers/rules.h"
#include "patvers/stafett.h"
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
	"helse;Skolehelsetjenesten;helse;;\n";

static const char people_csv[] =
	"id;navn;epost;tjeneste;rolle;enheter;stedfortreder\n"
	"marit;Marit Nygard;marit@h.example;hof;rektor;;\n"
	"hilde;Hilde Dahl;hilde@h.example;hof;sosiallaerer;;\n"
	"tor;Tor Lervik;tor@h.example;ppt;ppt-radgiver;hof;\n"
	"mari;Mari Husby;mari@h.example;helse;helsesykepleier;hof;\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct pv_error err;

	snprintf(f->dir, sizeof f->dir, "/tmp/pv-test-stafett-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/patvers.db", f->dir);
	assert_int_equal(pv_db_open(f->path, PV_DB_CREATE, 100, &f->db, &err), PV_OK);
	assert_int_equal(pv_db_set_actor(f->db, "tester", "test-stafett", &err), PV_OK);
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

static enum pv_status consent(struct fixture *f, const char *ref, const char *unit,
			      const char *services, const char *given, struct pv_error *err)
{
	struct pv_consent_spec s = {
		.ref = ref, .unit = unit, .services = services,
		.given_by = PV_CONSENT_FORESATT, .form = PV_CONSENT_WRITTEN,
		.given = day(given), .age = -1,
	};

	return pv_consent_add(f->db, f->rules, &s, NULL, err);
}

static enum pv_status open_log(struct fixture *f, const char *ref, int level, const char *date,
			       struct pv_error *err)
{
	struct pv_stafett_open_spec s = {
		.ref = ref, .unit = "hof", .holder = "hilde", .level = level,
		.concern = "Trøtt og stille i timene", .date = day(date),
	};

	return pv_stafett_open(f->db, f->rules, &s, NULL, err);
}

/* The newest log of `ref`; caller frees *logs. */
static const struct pv_stafett *load(struct fixture *f, const char *ref,
				     struct pv_stafett_logs **logs)
{
	struct pv_error err;

	if (pv_stafett_load(f->db, f->rules, ref, logs, &err) != PV_OK)
		fail_msg("cannot load '%s': %s", ref, err.message);
	assert_int_equal(pv_stafett_logs_count(*logs), 1);
	return pv_stafett_logs_at(*logs, 0);
}

static void test_open_refusals(void **state)
{
	struct fixture *f = *state;
	struct pv_stafett_open_spec s = {
		.ref = "HOF-1", .unit = "hof", .holder = "hilde", .level = 0,
		.concern = "Trøtt", .date = day("2026-11-02"),
	};
	struct pv_error err;

	s.ref = "kari.nordmann";
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "has no digit"));
	s.ref = "15031210140";
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "national identity number"));
	s.ref = "HOF-1";
	s.unit = "nowhere";
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "no unit 'nowhere'"));
	s.unit = "hof";
	s.holder = "nobody";
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "--holder: no person 'nobody'"));
	s.holder = "hilde";
	s.level = 4;
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	s.level = 0;
	s.concern = "  ";
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "--concern"));
	/* the guard: a phone number and an e-mail address */
	s.concern = "Mor ringer fra 46919733";
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "--concern"));
	assert_null(strstr(err.message, "46919733"));
	s.concern = "skriv til far@example.no";
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	/* level 1 needs a valid consent */
	s.concern = "Trøtt";
	s.level = 1;
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "at level 1 needs a valid consent"));
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM stafett"), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE entity = 'stafett'"),
			 0);
	/* a REF whose consents belong to another unit */
	assert_int_equal(consent(f, "BOT-1", "botne", "ppt", "2026-09-01", &err), PV_OK);
	s.ref = "BOT-1";
	s.level = 0;
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "belongs to unit 'botne'"));
	/* one open log per REF */
	s.ref = "HOF-1";
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_OK);
	assert_int_equal(pv_stafett_open(f->db, f->rules, &s, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "is open since 2026-11-02"));
}

/* Level 0 to 2, with consent at each step, a handover and closing. */
static void test_life(void **state)
{
	struct fixture *f = *state;
	static const enum pv_stafett_kind kinds[] = {
		PV_STAFETT_OPENED, PV_STAFETT_GOAL, PV_STAFETT_TILTAK, PV_STAFETT_NOTE,
		PV_STAFETT_LEVEL, PV_STAFETT_TILTAK, PV_STAFETT_LEVEL, PV_STAFETT_HANDOVER,
		PV_STAFETT_ACCEPTED, PV_STAFETT_EVALUATION, PV_STAFETT_EVALUATION,
		PV_STAFETT_CLOSED,
	};
	struct pv_stafett_logs *logs;
	const struct pv_stafett *s;
	struct pv_error err;
	pv_date next = 0;
	int n = 0;

	assert_int_equal(open_log(f, "HOF-7", 0, "2026-11-02", &err), PV_OK);
	assert_int_equal(pv_stafett_goal_add(f->db, f->rules, "HOF-7", day("2026-11-03"),
					     "Trives i timene", &n, &err), PV_OK);
	assert_int_equal(n, 1);
	/* at level 0 a colleague in the same unit needs no consent ... */
	assert_int_equal(pv_stafett_tiltak_add(f->db, f->rules, "HOF-7", day("2026-11-03"),
					       "Ukentlig samtale", "hilde", day("2026-11-17"), &n,
					       &err), PV_OK);
	assert_int_equal(n, 1);
	/* ... but PPT is another service */
	assert_int_equal(pv_stafett_tiltak_add(f->db, f->rules, "HOF-7", day("2026-11-04"),
					       "Kartlegging", "tor", day("2026-12-01"), &n, &err),
			 PV_EDATA);
	assert_non_null(strstr(err.message, "level 0 (anonymous): bringing in 'tor' from ppt "
			       "needs a consent covering ppt"));
	assert_int_equal(pv_stafett_note(f->db, f->rules, "HOF-7", day("2026-11-05"),
					 "Lysglimt: deltok i friminuttet", &err), PV_OK);
	/* level 1 without consent, then with */
	assert_int_equal(pv_stafett_set_level(f->db, f->rules, "HOF-7", day("2026-11-09"), 1,
					      "Foreldrene vil", &err), PV_EDATA);
	assert_non_null(strstr(err.message, "no consent with reference 'HOF-7'"));
	assert_int_equal(consent(f, "HOF-7", "hof", "ppt", "2026-11-09", &err), PV_OK);
	assert_int_equal(pv_stafett_set_level(f->db, f->rules, "HOF-7", day("2026-11-09"), 1,
					      "Foreldrene vil", &err), PV_OK);
	assert_int_equal(pv_stafett_tiltak_add(f->db, f->rules, "HOF-7", day("2026-11-10"),
					       "Kartlegging", "tor", day("2026-12-01"), &n, &err),
			 PV_OK);
	assert_int_equal(n, 2);
	assert_int_equal(pv_stafett_set_level(f->db, f->rules, "HOF-7", day("2026-11-10"), 2,
					      "PPT med", &err), PV_OK);
	/* a handover to helse: refused without consent, accepted with it */
	assert_int_equal(pv_stafett_handover(f->db, f->rules, "HOF-7", day("2026-11-12"), "mari",
					     &err), PV_EDATA);
	assert_non_null(strstr(err.message, "at level 2 needs a consent covering ppt, helse"));
	assert_non_null(strstr(err.message, "does not cover helse"));
	assert_int_equal(consent(f, "HOF-7", "hof", "helse", "2026-11-12", &err), PV_OK);
	assert_int_equal(pv_stafett_handover(f->db, f->rules, "HOF-7", day("2026-11-12"), "mari",
					     &err), PV_OK);
	assert_int_equal(pv_stafett_handover(f->db, f->rules, "HOF-7", day("2026-11-12"), "tor",
					     &err), PV_EDATA);
	assert_non_null(strstr(err.message, "pending since 2026-11-12"));
	s = load(f, "HOF-7", &logs);
	assert_string_equal(s->holder, "hilde");
	assert_string_equal(s->pending_to, "mari");
	assert_string_equal(s->pending_to_service, "helse");
	pv_stafett_logs_free(logs);
	assert_int_equal(pv_stafett_accept(f->db, f->rules, "HOF-7", day("2026-11-13"), "tor",
					   &err), PV_EDATA);
	assert_non_null(strstr(err.message, "only they accept it (--by mari)"));
	assert_int_equal(pv_stafett_accept(f->db, f->rules, "HOF-7", day("2026-11-11"), "mari",
					   &err), PV_EDATA);
	assert_int_equal(pv_stafett_accept(f->db, f->rules, "HOF-7", day("2026-11-13"), "mari",
					   &err), PV_OK);
	/* evaluate: continue with the same interval, end the other */
	assert_int_equal(pv_stafett_evaluate(f->db, f->rules, "HOF-7", 1, day("2026-11-20"),
					     "Bedre", PV_STAFETT_CONTINUE, 0, &next, &err), PV_OK);
	assert_int_equal(next, day("2026-12-04"));
	assert_int_equal(pv_stafett_evaluate(f->db, f->rules, "HOF-7", 2, day("2026-11-20"),
					     "Ferdig kartlagt", PV_STAFETT_END, 0, &next, &err),
			 PV_OK);
	assert_int_equal(next, 0);
	assert_int_equal(pv_stafett_close(f->db, f->rules, "HOF-7", day("2026-11-23"),
					  PV_STAFETT_GOAL_MET, &err), PV_OK);
	s = load(f, "HOF-7", &logs);
	assert_string_equal(s->holder, "mari");
	assert_null(s->pending_to);
	assert_int_equal(s->level, 2);
	assert_int_equal(s->decided, day("2026-11-09"));
	assert_int_equal(s->level_since, day("2026-11-10"));
	assert_int_equal(s->closed, day("2026-11-23"));
	assert_int_equal(s->reason, PV_STAFETT_GOAL_MET);
	assert_string_equal(s->concern, "Trøtt og stille i timene");
	assert_int_equal(s->ngoals, 1);
	assert_int_equal(s->ntiltak, 2);
	assert_int_equal(s->tiltak[0].ended, day("2026-11-23"));
	assert_int_equal(s->tiltak[0].evaluations, 1);
	assert_int_equal(s->tiltak[1].ended, day("2026-11-20"));
	assert_string_equal(s->tiltak[1].responsible_name, "Tor Lervik");
	assert_int_equal(s->nentries, sizeof kinds / sizeof kinds[0]);
	for (size_t i = 0; i < s->nentries; i++)
		assert_int_equal(s->entries[i].kind, kinds[i]);
	assert_string_equal(s->entries[11].detail, "goal-met");
	pv_stafett_logs_free(logs);
	/* closed: no more changes; a new log may start under the same REF */
	assert_int_equal(pv_stafett_note(f->db, f->rules, "HOF-7", day("2026-11-23"), "Mer",
					 &err), PV_EDATA);
	assert_non_null(strstr(err.message, "was closed on 2026-11-23 (goal-met)"));
	assert_int_equal(open_log(f, "HOF-7", 1, "2026-11-23", &err), PV_OK);
	s = load(f, "HOF-7", &logs);
	assert_null(s->closed);
	assert_int_equal(s->level, 1);
	pv_stafett_logs_free(logs);
	/* every change audited, never with the REF or a text */
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE entity = 'stafett'"),
			 13);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE summary GLOB "
				    "'*HOF-*' OR summary GLOB '*Trøtt*' OR summary GLOB '*Bedre*'"),
			 0);
}

static void test_change_refusals(void **state)
{
	struct fixture *f = *state;
	struct pv_error err;

	assert_int_equal(open_log(f, "HOF-2", 0, "2026-11-02", &err), PV_OK);
	/* unknown log, bad REF, a date before opening */
	assert_int_equal(pv_stafett_note(f->db, f->rules, "HOF-3", day("2026-11-05"), "x", &err),
			 PV_EDATA);
	assert_non_null(strstr(err.message, "no stafettlogg 'HOF-3'"));
	assert_int_equal(pv_stafett_note(f->db, f->rules, "Ola", day("2026-11-05"), "x", &err),
			 PV_EDATA);
	assert_int_equal(pv_stafett_note(f->db, f->rules, "HOF-2", day("2026-11-01"), "x", &err),
			 PV_EDATA);
	assert_non_null(strstr(err.message, "before stafettlogg 'HOF-2' was opened"));
	/* a national id in a note */
	assert_int_equal(pv_stafett_note(f->db, f->rules, "HOF-2", day("2026-11-05"),
					 "elev 15031210140", &err), PV_EDATA);
	/* tiltak: unknown responsible, evaluation not after the start */
	assert_int_equal(pv_stafett_tiltak_add(f->db, f->rules, "HOF-2", day("2026-11-05"), "x",
					       "nobody", day("2026-12-01"), NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "--responsible: no person 'nobody'"));
	assert_int_equal(pv_stafett_tiltak_add(f->db, f->rules, "HOF-2", day("2026-11-05"), "x",
					       "hilde", day("2026-11-05"), NULL, &err), PV_EDATA);
	/* evaluate: none yet, unknown number */
	assert_int_equal(pv_stafett_evaluate(f->db, f->rules, "HOF-2", 1, day("2026-11-06"), "x",
					     PV_STAFETT_END, 0, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "has no tiltak yet"));
	assert_int_equal(pv_stafett_tiltak_add(f->db, f->rules, "HOF-2", day("2026-11-05"), "x",
					       "hilde", day("2026-11-19"), NULL, &err), PV_OK);
	assert_int_equal(pv_stafett_evaluate(f->db, f->rules, "HOF-2", 2, day("2026-11-06"), "x",
					     PV_STAFETT_END, 0, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "has no tiltak 2 (it has 1–1)"));
	assert_int_equal(pv_stafett_evaluate(f->db, f->rules, "HOF-2", 1, day("2026-11-06"), "ok",
					     PV_STAFETT_CONTINUE, day("2026-11-06"), NULL, &err),
			 PV_EDATA);
	assert_int_equal(pv_stafett_evaluate(f->db, f->rules, "HOF-2", 1, day("2026-11-06"), "ok",
					     PV_STAFETT_END, 0, NULL, &err), PV_OK);
	assert_int_equal(pv_stafett_evaluate(f->db, f->rules, "HOF-2", 1, day("2026-11-07"), "ok",
					     PV_STAFETT_END, 0, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "ended on 2026-11-06"));
	/* levels: not back to 0, not the same, not out of range */
	assert_int_equal(pv_stafett_set_level(f->db, f->rules, "HOF-2", day("2026-11-06"), 0,
					      "x", &err), PV_EDATA);
	assert_int_equal(pv_stafett_set_level(f->db, f->rules, "HOF-2", day("2026-11-06"), 4,
					      "x", &err), PV_EDATA);
	/* handover: to the holder, accept or decline without one pending */
	assert_int_equal(pv_stafett_handover(f->db, f->rules, "HOF-2", day("2026-11-06"), "hilde",
					     &err), PV_EDATA);
	assert_int_equal(pv_stafett_accept(f->db, f->rules, "HOF-2", day("2026-11-06"), "marit",
					   &err), PV_EDATA);
	assert_non_null(strstr(err.message, "no pending handover"));
	/* level 0, same unit: no consent; decline by the receiver; close refused while pending */
	assert_int_equal(pv_stafett_handover(f->db, f->rules, "HOF-2", day("2026-11-06"), "marit",
					     &err), PV_OK);
	assert_int_equal(pv_stafett_close(f->db, f->rules, "HOF-2", day("2026-11-07"),
					  PV_STAFETT_OTHER, &err), PV_EDATA);
	assert_int_equal(pv_stafett_decline(f->db, f->rules, "HOF-2", day("2026-11-07"), "tor",
					    NULL, &err), PV_EDATA);
	assert_int_equal(pv_stafett_decline(f->db, f->rules, "HOF-2", day("2026-11-07"), "marit",
					    "Ikke min sak nå", &err), PV_OK);
	assert_int_equal(pv_stafett_close(f->db, f->rules, "HOF-2", day("2026-11-07"),
					  PV_STAFETT_PARENTS_REQUEST, &err), PV_OK);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM stafett_entry"), 6);
}

static void test_consent_withdrawn_before_accept(void **state)
{
	struct fixture *f = *state;
	struct pv_error err;
	int n;

	assert_int_equal(consent(f, "HOF-4", "hof", "ppt", "2026-09-01", &err), PV_OK);
	assert_int_equal(open_log(f, "HOF-4", 1, "2026-11-02", &err), PV_OK);
	assert_int_equal(pv_stafett_handover(f->db, f->rules, "HOF-4", day("2026-11-03"), "tor",
					     &err), PV_OK);
	assert_int_equal(pv_consent_withdraw(f->db, "HOF-4", day("2026-11-04"), &n, &err), PV_OK);
	assert_int_equal(pv_stafett_accept(f->db, f->rules, "HOF-4", day("2026-11-05"), "tor",
					   &err), PV_EDATA);
	assert_non_null(strstr(err.message, "was withdrawn on 2026-11-04"));
	/* the day before the withdrawal it was still valid */
	assert_int_equal(pv_stafett_accept(f->db, f->rules, "HOF-4", day("2026-11-03"), "tor",
					   &err), PV_OK);
}

static void test_due(void **state)
{
	struct fixture *f = *state;
	struct pv_stafett_logs *logs;
	const struct pv_stafett *s;
	struct pv_stafett_due due;
	struct pv_error err;

	assert_int_equal(open_log(f, "HOF-5", 0, "2026-11-02", &err), PV_OK);
	s = load(f, "HOF-5", &logs);
	pv_stafett_due_on(s, f->rules, day("2026-11-16"), &due);
	assert_int_equal(due.decide_by, day("2026-11-16"));
	assert_false(due.decision_overdue);
	assert_false(due.overdue);
	pv_stafett_due_on(s, f->rules, day("2026-11-17"), &due);
	assert_true(due.decision_overdue);
	assert_true(due.overdue);
	pv_stafett_logs_free(logs);
	assert_int_equal(pv_stafett_tiltak_add(f->db, f->rules, "HOF-5", day("2026-11-03"), "x",
					       "hilde", day("2026-11-10"), NULL, &err), PV_OK);
	assert_int_equal(consent(f, "HOF-5", "hof", "ppt", "2026-11-05", &err), PV_OK);
	assert_int_equal(pv_stafett_set_level(f->db, f->rules, "HOF-5", day("2026-11-05"), 1,
					      "Avgjort", &err), PV_OK);
	s = load(f, "HOF-5", &logs);
	pv_stafett_due_on(s, f->rules, day("2026-11-10"), &due);
	assert_int_equal(due.decide_by, 0);
	assert_int_equal(due.next, day("2026-11-10"));
	assert_false(due.overdue);
	pv_stafett_due_on(s, f->rules, day("2026-11-11"), &due);
	assert_int_equal(due.evaluations_overdue, 1);
	assert_true(due.overdue);
	pv_stafett_logs_free(logs);
	/* the consent seen from show: ok today, not after a withdrawal */
	s = load(f, "HOF-5", &logs);
	assert_int_equal(pv_stafett_consent_check(f->db, s, 1, day("2026-11-11"), NULL, &err),
			 PV_OK);
	assert_int_equal(pv_stafett_consent_check(f->db, s, 1, day("2026-11-11"), "mari", &err),
			 PV_EDATA);
	assert_non_null(strstr(err.message, "does not cover helse"));
	pv_stafett_logs_free(logs);
}

struct purged {
	int removed, retention, not_exported;
};

static void on_purged(const struct pv_stafett_purge_row *row, void *arg)
{
	struct purged *p = arg;

	p->removed += row->action == PV_STAFETT_REMOVED;
	p->retention += row->action == PV_STAFETT_KEPT_RETENTION;
	p->not_exported += row->action == PV_STAFETT_KEPT_NOT_EXPORTED;
}

static void close_on(struct fixture *f, const char *ref, const char *opened, const char *closed,
		     bool export)
{
	struct pv_stafett_logs *logs;
	struct pv_error err;

	assert_int_equal(open_log(f, ref, 0, opened, &err), PV_OK);
	assert_int_equal(pv_stafett_close(f->db, f->rules, ref, day(closed), PV_STAFETT_MOVED,
					  &err), PV_OK);
	if (!export)
		return;
	load(f, ref, &logs);
	assert_int_equal(pv_stafett_mark_exported(f->db, pv_stafett_logs_at(logs, 0)->id,
						  day(closed), "md", &err), PV_OK);
	pv_stafett_logs_free(logs);
}

static void test_purge(void **state)
{
	struct fixture *f = *state;
	struct pv_stafett_purge_options o = { .today = day("2027-11-23"),
					      .closed_before = day("2027-11-23") };
	struct purged p = { 0 };
	struct pv_error err;
	int removed = -1;

	close_on(f, "OLD-1", "2025-09-01", "2025-10-01", true);     /* past retention */
	close_on(f, "OLD-2", "2025-09-01", "2025-10-01", false);    /* never exported */
	close_on(f, "NEW-1", "2027-01-10", "2027-02-01", true);     /* within 365 days */
	assert_int_equal(open_log(f, "OPEN-1", 0, "2025-09-01", &err), PV_OK);
	/* a dry run changes nothing */
	o.dry_run = true;
	assert_int_equal(pv_stafett_purge(f->db, f->rules, &o, on_purged, &p, &removed, &err),
			 PV_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM stafett"), 4);
	o.dry_run = false;
	p = (struct purged){ 0 };
	assert_int_equal(pv_stafett_purge(f->db, f->rules, &o, on_purged, &p, &removed, &err),
			 PV_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(p.removed, 1);
	assert_int_equal(p.retention, 1);
	assert_int_equal(p.not_exported, 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM stafett WHERE ref = 'OLD-1'"), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM stafett_entry WHERE stafett NOT IN"
				    " (SELECT id FROM stafett)"), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE summary LIKE "
				    "'stafett 1 (unit hof): removed after the retention "
				    "time%'"), 1);
	/* only before --closed-before; --force takes the unexported one too */
	o.closed_before = day("2025-10-01");
	o.force = true;
	assert_int_equal(pv_stafett_purge(f->db, f->rules, &o, NULL, NULL, &removed, &err), PV_OK);
	assert_int_equal(removed, 0);
	o.closed_before = day("2027-11-23");
	assert_int_equal(pv_stafett_purge(f->db, f->rules, &o, NULL, NULL, &removed, &err), PV_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM stafett"), 2);
	/* a change after an export asks for a new one */
	close_on(f, "OLD-3", "2025-09-01", "2025-10-02", true);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM stafett WHERE exported IS NULL"
				    " AND ref = 'OLD-3'"), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE summary GLOB "
				    "'*OLD-*'"), 0);
}

static void test_guide(void **state)
{
	struct fixture *f = *state;
	static const char swapped[] =
		"{\"stafett\": {\"guide\": ["
		"{\"level\": 1, \"name\": \"a\", \"steps\": [{\"who\": \"w\", \"what\": \"x\","
		" \"with\": \"\", \"days\": 0}]},"
		"{\"level\": 0, \"name\": \"b\", \"steps\": [{\"who\": \"w\", \"what\": \"x\","
		" \"with\": \"\", \"days\": 0}]},"
		"{\"level\": 2, \"name\": \"c\", \"steps\": [{\"who\": \"w\", \"what\": \"x\","
		" \"with\": \"\", \"days\": 0}]},"
		"{\"level\": 3, \"name\": \"d\", \"steps\": [{\"who\": \"w\", \"what\": \"x\","
		" \"with\": \"\", \"days\": 0}]}]}}";
	static const char custom[] =
		"{\"stafett\": {\"level0_decide_days\": 10, \"retention_days\": 0, \"guide\": ["
		"{\"level\": 0, \"name\": \"a\", \"steps\": [{\"who\": \"w\", \"what\": \"x\","
		" \"with\": \"\", \"days\": 0}]},"
		"{\"level\": 1, \"name\": \"b\", \"steps\": [{\"who\": \"w\", \"what\": \"x\","
		" \"with\": \"y\", \"days\": 5}, {\"who\": \"v\", \"what\": \"z\","
		" \"with\": \"\", \"days\": 9}]},"
		"{\"level\": 2, \"name\": \"c\", \"steps\": [{\"who\": \"w\", \"what\": \"x\","
		" \"with\": \"\", \"days\": 0}]},"
		"{\"level\": 3, \"name\": \"d\", \"steps\": [{\"who\": \"w\", \"what\": \"x\","
		" \"with\": \"\", \"days\": 0}]}]}}";
	static const char bad_days[] = "{\"stafett\": {\"level0_decide_days\": 0}}";
	static const char missing[] =
		"{\"stafett\": {\"guide\": [{\"level\": 0, \"name\": \"a\", \"steps\": []}]}}";
	struct pv_stafett_level l;
	struct pv_rules *r = NULL;
	struct pv_error err;

	(void)f;
	for (int level = 0; level < PV_STAFETT_LEVELS; level++) {
		assert_true(pv_stafett_guide(f->rules, level, &l));
		assert_int_equal(l.level, level);
		assert_true(l.nsteps >= 4);
		assert_non_null(l.name);
		for (size_t i = 0; i < l.nsteps; i++) {
			assert_true(*l.steps[i].who && *l.steps[i].what);
			assert_non_null(l.steps[i].with);
		}
	}
	assert_true(pv_stafett_guide(f->rules, 0, &l));
	assert_int_equal(l.steps[l.nsteps - 1].days, 14);
	assert_false(pv_stafett_guide(f->rules, 4, &l));
	assert_int_equal(pv_rules_int(f->rules, "stafett.level0_decide_days"), 14);
	assert_int_equal(pv_rules_int(f->rules, "stafett.retention_days"), 365);
	/* the validator: levels in order, ranges, lengths */
	assert_int_equal(pv_rules_parse(swapped, strlen(swapped), "r.json", &r, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "stafett.guide[0].level: expected level 0"));
	assert_int_equal(pv_rules_parse(bad_days, strlen(bad_days), "r.json", &r, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "stafett.level0_decide_days: 0 is out of range"));
	assert_int_equal(pv_rules_parse(missing, strlen(missing), "r.json", &r, &err), PV_EDATA);
	assert_int_equal(pv_rules_parse(custom, strlen(custom), "r.json", &r, &err), PV_OK);
	assert_true(pv_stafett_guide(r, 1, &l));
	assert_int_equal(l.nsteps, 2);
	assert_string_equal(l.steps[1].who, "v");
	assert_int_equal(l.steps[0].days, 5);
	assert_int_equal(pv_rules_int(r, "stafett.level0_decide_days"), 10);
	pv_rules_free(r);
}

static void test_markdown(void **state)
{
	struct fixture *f = *state;
	struct pv_stafett_logs *logs;
	const struct pv_stafett *s;
	struct pv_error err;
	char *md = NULL;

	assert_int_equal(open_log(f, "HOF-6", 0, "2026-11-02", &err), PV_OK);
	assert_int_equal(pv_stafett_goal_add(f->db, f->rules, "HOF-6", day("2026-11-03"),
					     "Mål | med *tegn*", NULL, &err), PV_OK);
	assert_int_equal(pv_stafett_tiltak_add(f->db, f->rules, "HOF-6", day("2026-11-03"),
					       "Samtale", "hilde", day("2026-11-17"), NULL, &err),
			 PV_OK);
	s = load(f, "HOF-6", &logs);
	assert_int_equal(pv_stafett_markdown(s, f->rules, day("2026-11-23"), &md, &err), PV_OK);
	assert_non_null(strstr(md, "# Stafettlogg HOF-6\n"));
	assert_non_null(strstr(md, "| Stafettholder | Hilde Dahl (hilde) |"));
	assert_non_null(strstr(md, "## Concern\n\nTrøtt og stille i timene\n"));
	assert_non_null(strstr(md, "1. Mål \\| med \\*tegn\\* (2026-11-03)"));
	assert_non_null(strstr(md, "| 1 | Samtale | Hilde Dahl (hilde) | 2026-11-03 | 2026-11-17 "
				   "| - | 0 | overdue |"));
	assert_non_null(strstr(md, "| 2026-11-02 | opened at level 0, holder Hilde Dahl: "));
	assert_non_null(strstr(md, "## Next steps (level 0: undring og bekymring)"));
	assert_non_null(strstr(md, "| 2026-11-16 | leder | Bestem:"));
	free(md);
	pv_stafett_logs_free(logs);
}

static void test_names(void **state)
{
	enum pv_stafett_reason r;

	(void)state;
	assert_true(pv_stafett_reason_parse("parents-request", &r));
	assert_int_equal(r, PV_STAFETT_PARENTS_REQUEST);
	assert_false(pv_stafett_reason_parse("bored", &r));
	assert_string_equal(pv_stafett_reason_name(PV_STAFETT_GOAL_MET), "goal-met");
	assert_string_equal(pv_stafett_kind_name(PV_STAFETT_ACCEPTED), "accepted");
	assert_string_equal(pv_stafett_kind_name((enum pv_stafett_kind)99), "unknown");
	assert_string_equal(pv_stafett_purge_action_name(PV_STAFETT_KEPT_RETENTION),
			    "kept-retention");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life, setup, teardown),
		cmocka_unit_test_setup_teardown(test_change_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consent_withdrawn_before_accept, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_due, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guide, setup, teardown),
		cmocka_unit_test_setup_teardown(test_markdown, setup, teardown),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
