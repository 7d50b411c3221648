/* Unit tests for the meeting log: text forms, template, JSON, storing, lists, actions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "patvers/consent.h"
#include "patvers/db.h"
#include "patvers/meetinglog.h"
#include "patvers/planedit.h"
#include "patvers/rules.h"
#include "patvers/team.h"

struct fixture {
	char dir[64];
	char path[128];
	struct pv_db *db;
	struct pv_rules *rules;
	long long held, apen, future, unlogged;   /* meeting ids */
};

static const char units_csv[] =
	"id;navn;type;trinn;gruppe\n"
	"hof;Hof skole;skole;1-10;\n"
	"ppt;PPT;ppt;;\n"
	"barnevern;Barneverntjenesten;barnevern;;\n"
	"helse;Skolehelsetjenesten;helse;;\n";

static const char people_csv[] =
	"id;navn;epost;tjeneste;rolle;enheter;stedfortreder\n"
	"marit;Marit Nygard;marit@h.example;hof;rektor;;knut\n"
	"hilde;Hilde Dahl;hilde@h.example;hof;sosiallaerer;;\n"
	"knut;Knut Strand;knut@h.example;hof;inspektor;;marit\n"
	"tor;Tor Lervik;tor@h.example;ppt;ppt-radgiver;hof;\n"
	"solveig;Solveig Kolstad;solveig@h.example;barnevern;barnevern-kontakt;hof;\n"
	"mari;Mari Husby;mari@h.example;helse;helsesykepleier;hof;\n";

static pv_date day(const char *text)
{
	pv_date d = 0;

	assert_true(pv_date_parse(text, &d));
	return d;
}

static long long insert_meeting(struct pv_db *db, enum pv_meeting_kind kind, int number,
				const char *date)
{
	static const struct pv_participant team[] = {
		{ "marit", "rektor", NULL }, { "hilde", "sosiallaerer", NULL },
		{ "tor", "ppt-radgiver", NULL }, { "solveig", "barnevern-kontakt", NULL },
		{ "mari", "helsesykepleier", NULL },
	};
	struct pv_meeting m = {
		.school_year = 2026, .unit = "hof", .kind = kind, .number = number,
		.date = day(date), .start = 750, .end = 840, .status = PV_MEETING_PLANNED,
		.leader = "marit", .participants = team,
		.nparticipants = kind == PV_MEETING_APEN_DOR ? 0 : 5,
	};
	struct pv_error err;
	long long id = 0;

	if (kind == PV_MEETING_APEN_DOR) {
		m.participants = &team[3];
		m.nparticipants = 1;
		m.leader = "solveig";
	}
	assert_int_equal(pv_meeting_insert(db, &m, &id, &err), PV_OK);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct pv_error err;

	snprintf(f->dir, sizeof f->dir, "/tmp/pv-test-log-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/patvers.db", f->dir);
	assert_int_equal(pv_db_open(f->path, PV_DB_CREATE, 100, &f->db, &err), PV_OK);
	assert_int_equal(pv_db_set_actor(f->db, "tester", "test-meetinglog", &err), PV_OK);
	pv_db_set_clock(f->db, 1795000000);
	assert_int_equal(pv_rules_default(&f->rules, &err), PV_OK);
	assert_int_equal(pv_team_import(f->db, units_csv, strlen(units_csv), "units.csv",
					people_csv, strlen(people_csv), "people.csv", NULL, NULL,
					&err), PV_OK);
	f->held = insert_meeting(f->db, PV_MEETING_SYSTEMMOTE, 1, "2026-10-15");
	f->apen = insert_meeting(f->db, PV_MEETING_APEN_DOR, 1, "2026-09-02");
	f->future = insert_meeting(f->db, PV_MEETING_SYSTEMMOTE, 2, "2026-12-10");
	f->unlogged = insert_meeting(f->db, PV_MEETING_SYSTEMMOTE, 3, "2026-09-03");
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

static const struct pv_log_origin cli = { 0, "" };

/* ---- pure: the text forms and the template parser ---- */

static void test_text_forms(void **state)
{
	struct pv_meeting_log *log = pv_log_new(1);
	struct pv_error err;

	(void)state;
	assert_int_equal(pv_log_parse_case(log, " anon : skolevegring ", cli, &err), PV_OK);
	assert_int_equal(pv_log_parse_case(log, "consent:HOF-2026-07:psykisk helse", cli, &err),
			 PV_OK);
	assert_int_equal(pv_log_parse_case(log, "Samtykke: A-1 : rus", cli, &err), PV_OK);
	assert_int_equal(log->ncases, 3);
	assert_null(log->cases[0].consent_ref);
	assert_string_equal(log->cases[0].theme, "skolevegring");
	assert_string_equal(log->cases[1].consent_ref, "HOF-2026-07");
	assert_string_equal(log->cases[1].theme, "psykisk helse");
	assert_string_equal(log->cases[2].consent_ref, "A-1");
	assert_int_equal(pv_log_parse_case(log, "skolevegring", cli, &err), PV_EDATA);
	assert_int_equal(pv_log_parse_case(log, "secret:x", cli, &err), PV_EDATA);
	assert_int_equal(pv_log_parse_case(log, "consent:HOF-1", cli, &err), PV_EDATA);
	assert_int_equal(pv_log_parse_case(log, "anon:  ", cli, &err), PV_EDATA);

	assert_int_equal(pv_log_parse_action(log, "tor | Kartlegge | 2026-12-01", 0, cli, &err),
			 PV_OK);
	assert_int_equal(pv_log_parse_action(log, "rektor|Ringe|01.12.2026|done 2026-11-20", 7,
					     cli, &err), PV_OK);
	assert_int_equal(log->nactions, 2);
	assert_string_equal(log->actions[0].responsible, "tor");
	assert_string_equal(log->actions[0].what, "Kartlegge");
	assert_int_equal(log->actions[0].due, day("2026-12-01"));
	assert_int_equal(log->actions[0].status, PV_ACTION_OPEN);
	assert_int_equal(log->actions[1].id, 7);
	assert_int_equal(log->actions[1].status, PV_ACTION_DONE);
	assert_int_equal(log->actions[1].done, day("2026-11-20"));
	assert_int_equal(pv_log_parse_action(log, "tor|Kartlegge", 0, cli, &err), PV_EDATA);
	assert_int_equal(pv_log_parse_action(log, "tor|Kartlegge|snart", 0, cli, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "'snart' is not a date"));
	assert_int_equal(pv_log_parse_action(log, "tor|x|2026-12-01|done", 0, cli, &err),
			 PV_EDATA);
	assert_int_equal(pv_log_parse_action(log, "|x|2026-12-01", 0, cli, &err), PV_EDATA);

	assert_int_equal(pv_log_parse_guest(log, "foresatt:2", cli, &err), PV_OK);
	assert_int_equal(pv_log_parse_guest(log, "tolk", cli, &err), PV_OK);
	assert_int_equal(log->guests[0].count, 2);
	assert_int_equal(log->guests[1].count, 1);
	assert_int_equal(pv_log_parse_guest(log, "foresatt:0", cli, &err), PV_EDATA);
	assert_int_equal(pv_log_parse_guest(log, "foresatt:to", cli, &err), PV_EDATA);

	assert_int_equal(pv_log_parse_substitute(log, "knut:marit", cli, &err), PV_OK);
	assert_string_equal(log->attendees[0].substitute_for, "marit");
	assert_int_equal(pv_log_parse_substitute(log, "knut", cli, &err), PV_EDATA);
	assert_int_equal(pv_log_set_leader(log, "marit", cli, &err), PV_OK);
	assert_int_equal(pv_log_set_leader(log, "knut", cli, &err), PV_EDATA);
	pv_log_free(log);
}

static const char template_text[] =
	"# Log for meeting 5\r\n"
	"  # an indented comment\n"
	"\n"
	"leader: marit\n"
	"attendee: hilde\n"
	"Deltaker: tor\n"
	"substitute: knut:mari\n"
	"guest: foresatt:2\n"
	"case: anon: skolevegring\n"
	"case: consent: HOF-2026-07: psykisk helse\n"
	"case: \n"
	"action #12: tor | Kartlegge | 2026-12-01 | done 2026-11-20\n"
	"action: rektor | Ringe hjem | 2026-12-15\n"
	"action:\n"
	"staff_consultations: 3\n"
	"pupil-conversations: 1\n"
	"parents-informed:\n"
	"experience: Godt møte.\n"
	"\n"
	"# a comment inside the text is dropped\n"
	"Alle deltok: case: is text here.\n"
	"\n";

static void test_template_parse(void **state)
{
	struct pv_meeting_log *log;
	struct pv_error err;

	(void)state;
	assert_int_equal(pv_log_parse_template(template_text, strlen(template_text), "t.txt", 5,
					       &log, &err), PV_OK);
	assert_non_null(log);
	assert_int_equal(log->meeting, 5);
	assert_string_equal(log->leader, "marit");
	assert_int_equal(log->nattendees, 3);
	assert_string_equal(log->attendees[1].person, "tor");
	assert_string_equal(log->attendees[2].person, "knut");
	assert_string_equal(log->attendees[2].substitute_for, "mari");
	assert_int_equal(log->nguests, 1);
	assert_int_equal(log->ncases, 2);
	assert_string_equal(log->cases[1].consent_ref, "HOF-2026-07");
	assert_int_equal(log->cases[1].at.line, 10);
	assert_int_equal(log->nactions, 2);
	assert_int_equal(log->actions[0].id, 12);
	assert_int_equal(log->actions[0].status, PV_ACTION_DONE);
	assert_string_equal(log->actions[1].what, "Ringe hjem");
	assert_int_equal(log->staff_consultations, 3);
	assert_int_equal(log->pupil_conversations, 1);
	assert_int_equal(log->parents_informed, 0);
	assert_string_equal(log->experience, "Godt møte.\n\nAlle deltok: case: is text here.");
	assert_int_equal(log->experience_at.line, 18);
	pv_log_free(log);

	/* only comments and blank lines: the user aborted */
	assert_int_equal(pv_log_parse_template("# x\n\n  \n# y", 11, "t.txt", 5, &log, &err),
			 PV_OK);
	assert_null(log);
	assert_int_equal(pv_log_parse_template("", 0, "t.txt", 5, &log, &err), PV_OK);
	assert_null(log);
}

static void test_template_errors(void **state)
{
	static const struct {
		const char *text;
		long line;
		const char *message;
	} bad[] = {
		{ "leader: marit\ncolour: blue\n", 2, "unknown key 'colour'" },
		{ "leader: marit\n\njust words\n", 3, "expected 'key: value'" },
		{ "leader: marit\naction: tor | x | someday\n", 2, "'someday' is not a date" },
		{ "leader: marit\ncase #3: anon: x\n", 2, "unknown key" },
		{ "leader: marit\naction #0: tor | x | 2026-12-01\n", 2, "unknown key" },
		{ "leader: marit\naction #4:\n", 2, "delete the whole line" },
		{ "leader: marit\nleader: knut\n", 2, "given twice" },
		{ "leader: marit\nstaff-consultations: many\n", 2, "not a count" },
		{ "leader: marit\npupil-conversations: 1\npupil-conversations: 2\n", 3,
		  "given twice" },
		{ "leader: marit\nparents-informed: soon\n", 2, "not a date" },
		{ "leader: marit\nguest: foresatt:100\n", 2, "1–99" },
	};
	struct pv_meeting_log *log;
	struct pv_error err;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pv_error_clear(&err);
		assert_int_equal(pv_log_parse_template(bad[i].text, strlen(bad[i].text), "t.txt", 5,
						       &log, &err), PV_EDATA);
		assert_null(log);
		if (err.line != bad[i].line || !strstr(err.message, bad[i].message))
			fail_msg("case %zu: got line %ld '%s'", i, err.line, err.message);
		assert_string_equal(err.file, "t.txt");
	}
	assert_int_equal(pv_log_parse_template("leader: a\0b", 11, "t.txt", 5, &log, &err),
			 PV_EDATA);
}

static void test_json_parse(void **state)
{
	static const char good[] =
		"{\"schema\": \"patvers/log/1\", \"meetings\": [\n"
		" {\"meeting\": 4, \"leader\": \"marit\", \"attendees\": [\"hilde\"],\n"
		"  \"substitutes\": [{\"person\": \"knut\", \"for\": \"mari\"}],\n"
		"  \"guests\": [{\"role\": \"foresatt\", \"count\": 2}],\n"
		"  \"cases\": [{\"theme\": \"rus\"}, {\"theme\": \"familie\", \"consent\": \"A-1\"}],\n"
		"  \"actions\": [{\"role\": \"rektor\", \"what\": \"Ringe\", \"due\": \"2026-12-01\"},\n"
		"              {\"person\": \"tor\", \"what\": \"Kartlegge\", \"due\": \"2026-12-01\",\n"
		"               \"status\": \"done\", \"done\": \"2026-11-02\"}],\n"
		"  \"experience\": \"Bra.\"},\n"
		" {\"uid\": \"2026-hof-apen-dor-1@patvers\", \"leader\": \"solveig\",\n"
		"  \"staff_consultations\": 2, \"pupil_conversations\": 0},\n"
		" {\"meeting\": 9, \"unit\": \"hof\", \"cancelled\": \"sykdom\"}\n"
		"]}";
	static const struct {
		const char *text;
		const char *message;
	} bad[] = {
		{ "{\"schema\": \"patvers/log/1\", \"schema\": \"x\", \"meetings\": []}",
		  "duplicate object key" },
		{ "{\"schema\": \"patvers/log/2\", \"meetings\": []}", "schema: 'patvers/log/2'" },
		{ "{\"schema\": \"patvers/log/0\", \"meetings\": [{\"meeting\": 1}]}",
		  "schema: 'patvers/log/0'" },
		{ "{\"schema\": 1, \"meetings\": [{}]}", "schema: expected a string" },
		{ "[{\"meeting\": 1}]", "expected an object" },
		{ "{\"schema\": \"patvers/log/1\"}", "meetings: missing" },
		{ "{\"schema\": \"patvers/log/1\", \"meetings\": [{\"meeting\": 1}]}",
		  "meetings[0].leader: missing" },
		{ "{\"schema\": \"patvers/log/1\", \"meetings\": [{\"leader\": \"a\"}]}",
		  "meetings[0]: name the meeting" },
		{ "{\"schema\": \"patvers/log/1\", \"meetings\": [{\"meeting\": 1, \"leader\": \"a\","
		  " \"cases\": [{\"theme\": \"x\", \"colour\": 1}]}]}",
		  "meetings[0].cases[0].colour: unknown key" },
		{ "{\"schema\": \"patvers/log/1\", \"meetings\": [{\"meeting\": 1, \"leader\": \"a\","
		  " \"actions\": [{\"role\": \"r\", \"what\": \"w\", \"due\": \"2026-13-01\"}]}]}",
		  "meetings[0].actions[0].due: '2026-13-01' is not a date" },
		{ "{\"schema\": \"patvers/log/1\", \"meetings\": [{\"meeting\": 1, \"leader\": \"a\","
		  " \"actions\": [{\"role\": \"r\", \"person\": \"p\", \"what\": \"w\","
		  " \"due\": \"2026-12-01\"}]}]}",
		  "meetings[0].actions[0]: give either" },
		{ "{\"schema\": \"patvers/log/1\", \"meetings\": [{\"meeting\": 1, \"leader\": \"a\","
		  " \"guests\": [{\"role\": \"foresatt\", \"count\": 0}]}]}",
		  "meetings[0].guests[0].count: 0 is out of range" },
		{ "{\"schema\": \"patvers/log/1\", \"meetings\": [{\"meeting\": 1, \"cancelled\": "
		  "\"x\", \"leader\": \"a\"}]}", "meetings[0].leader: unknown key" },
		{ "{\"schema\": \"patvers/log/1\", \"meetings\": [{\"meeting\": \"1\", "
		  "\"leader\": \"a\"}]}", "meetings[0].meeting: expected an integer" },
	};
	struct pv_meeting_log **logs;
	struct pv_error err;
	size_t n;

	(void)state;
	assert_int_equal(pv_log_parse_json(good, strlen(good), "log.json", &logs, &n, &err), PV_OK);
	assert_int_equal(n, 3);
	assert_int_equal(logs[0]->meeting, 4);
	assert_int_equal(logs[0]->nattendees, 2);
	assert_string_equal(logs[0]->attendees[1].substitute_for, "mari");
	assert_int_equal(logs[0]->ncases, 2);
	assert_string_equal(logs[0]->cases[1].consent_ref, "A-1");
	assert_string_equal(logs[0]->cases[1].at.where, "meetings[0].cases[1].");
	assert_int_equal(logs[0]->actions[1].status, PV_ACTION_DONE);
	assert_string_equal(logs[0]->experience, "Bra.");
	assert_int_equal(logs[1]->meeting, 0);
	assert_string_equal(logs[1]->uid, "2026-hof-apen-dor-1@patvers");
	assert_int_equal(logs[1]->staff_consultations, 2);
	assert_int_equal(logs[1]->pupil_conversations, 0);
	assert_string_equal(logs[2]->cancel_reason, "sykdom");
	assert_string_equal(logs[2]->expect_unit, "hof");
	pv_log_array_free(logs, n);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pv_error_clear(&err);
		assert_int_equal(pv_log_parse_json(bad[i].text, strlen(bad[i].text), "log.json",
						   &logs, &n, &err), PV_EDATA);
		assert_null(logs);
		if (!strstr(err.message, bad[i].message))
			fail_msg("case %zu: '%s'", i, err.message);
	}
	/* a syntax error names line and column */
	assert_int_equal(pv_log_parse_json("{\n\"schema\": ,}", 14, "log.json", &logs, &n, &err),
			 PV_EDATA);
	assert_int_equal(err.line, 2);
	assert_true(err.column > 0);
}

/* ---- with the database ---- */

static struct pv_meeting_log *full_log(long long meeting)
{
	struct pv_meeting_log *log = pv_log_new(meeting);
	struct pv_error err;

	assert_int_equal(pv_log_set_leader(log, "marit", cli, &err), PV_OK);
	assert_int_equal(pv_log_add_attendee(log, "hilde", NULL, cli, &err), PV_OK);
	assert_int_equal(pv_log_add_attendee(log, "marit", NULL, cli, &err), PV_OK);
	assert_int_equal(pv_log_parse_substitute(log, "knut:mari", cli, &err), PV_OK);
	assert_int_equal(pv_log_parse_guest(log, "Foresatt:2", cli, &err), PV_OK);
	assert_int_equal(pv_log_parse_case(log, "anon:Skolevegring", cli, &err), PV_OK);
	assert_int_equal(pv_log_parse_case(log, "anon:nytt tema", cli, &err), PV_OK);
	assert_int_equal(pv_log_parse_action(log, "tor|Kartlegge|2026-11-01", 0, cli, &err), PV_OK);
	assert_int_equal(pv_log_parse_action(log, "Kontaktlærer|Ringe hjem|2026-12-01", 0, cli,
					     &err), PV_OK);
	assert_int_equal(pv_log_set_experience(log, "Godt samarbeid.", cli, &err), PV_OK);
	return log;
}

static void test_store_and_load(void **state)
{
	struct fixture *f = *state;
	struct pv_log_store_options opts = { .today = day("2026-11-23") };
	struct pv_meeting_log *log = full_log(f->held), *back;
	long long audits = count_rows(f->db, "SELECT count(*) FROM audit");
	struct pv_error err;
	bool changed = false;
	char sql[200];

	opts.changed = &changed;
	assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_OK);
	assert_true(changed);
	/* canonicalised: the leader listed as attendee is dropped, the
	 * themes, roles and guest roles take the rules' spelling */
	assert_int_equal(log->nattendees, 2);
	assert_string_equal(log->cases[0].theme, "skolevegring");
	assert_string_equal(log->guests[0].role, "foresatt");
	assert_true(log->actions[0].is_person);
	assert_false(log->actions[1].is_person);
	assert_string_equal(log->actions[1].responsible, "kontaktlærer");
	assert_true(log->actions[0].id > 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM meeting WHERE id = %lld AND status = "
		 "'held' AND sequence = 1", f->held);
	assert_int_equal(count_rows(f->db, sql), 1);
	/* one audit row, ids and counts only */
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit"), audits + 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE entity = 'meeting-log'"
				    " AND summary LIKE '%log held: 3 present, 2 guests, 2 cases (0 "
				    "with consent), 2 actions'"), 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE summary LIKE "
				    "'%skolevegring%' OR summary LIKE '%Kartlegge%'"), 0);

	assert_int_equal(pv_log_load(f->db, f->held, &back, &err), PV_OK);
	assert_non_null(back);
	assert_string_equal(back->leader, "marit");
	assert_int_equal(back->nattendees, 2);
	assert_string_equal(back->attendees[1].person, "knut");
	assert_string_equal(back->attendees[1].substitute_for, "mari");
	assert_int_equal(back->nguests, 1);
	assert_int_equal(back->guests[0].count, 2);
	assert_int_equal(back->ncases, 2);
	assert_string_equal(back->cases[1].theme, "nytt tema");
	assert_int_equal(back->nactions, 2);
	assert_string_equal(back->actions[1].responsible, "kontaktlærer");
	assert_string_equal(back->experience, "Godt samarbeid.");
	assert_int_equal(back->staff_consultations, -1);
	pv_log_free(back);

	/* logged once; with replace the same log changes nothing (the actions
	 * keep their ids), a changed one writes and audits */
	pv_log_free(log);
	log = full_log(f->held);
	assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "already logged; change the log with 'patvers log "
				"edit"));
	opts.replace = true;
	assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_OK);
	assert_false(changed);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit"), audits + 1);
	pv_log_free(log);
	assert_int_equal(pv_log_load(f->db, f->held, &back, &err), PV_OK);
	back->actions[0].status = PV_ACTION_DONE;
	back->actions[0].done = day("2026-11-02");
	back->nactions = 1;
	assert_int_equal(pv_log_store(f->db, f->rules, NULL, back, &opts, &err), PV_OK);
	assert_true(changed);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM meeting_action WHERE status = "
				    "'done' AND done_date = '2026-11-02'"), 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM meeting_action"), 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit"), audits + 2);
	pv_log_free(back);
	assert_int_equal(pv_log_load(f->db, 999, &back, &err), PV_OK);
	assert_null(back);
}

static void assert_no_log(struct fixture *f, long long meeting)
{
	char sql[200];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM meeting_log WHERE meeting = %lld", meeting);
	assert_int_equal(count_rows(f->db, sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM meeting_case WHERE meeting = %lld",
		 meeting);
	assert_int_equal(count_rows(f->db, sql), 0);
}

static void assert_nothing_stored(struct fixture *f, long long meeting)
{
	char sql[200];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM meeting_log WHERE meeting = %lld", meeting);
	assert_int_equal(count_rows(f->db, sql), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM meeting_case"), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM meeting_action"), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM meeting WHERE id = %lld AND status = "
		 "'planned'", meeting);
	assert_int_equal(count_rows(f->db, sql), 1);
}

/* Stores a log with only a leader (marit, a school leader) and the text
 * form `spec` of one item; returns the status. */
static enum pv_status store_one(struct fixture *f, long long meeting, const char *kind,
				const char *spec, struct pv_error *err)
{
	struct pv_log_store_options opts = { .today = day("2026-11-23") };
	struct pv_meeting_log *log = pv_log_new(meeting);
	enum pv_status status = pv_log_set_leader(log, "marit", cli, err);

	if (status == PV_OK && strcmp(kind, "case") == 0)
		status = pv_log_parse_case(log, spec, cli, err);
	else if (status == PV_OK && strcmp(kind, "action") == 0)
		status = pv_log_parse_action(log, spec, 0, cli, err);
	else if (status == PV_OK && strcmp(kind, "guest") == 0)
		status = pv_log_parse_guest(log, spec, cli, err);
	else if (status == PV_OK && strcmp(kind, "attendee") == 0)
		status = pv_log_add_attendee(log, spec, NULL, cli, err);
	else if (status == PV_OK && strcmp(kind, "substitute") == 0)
		status = pv_log_parse_substitute(log, spec, cli, err);
	else if (status == PV_OK && strcmp(kind, "experience") == 0)
		status = pv_log_set_experience(log, spec, cli, err);
	if (status == PV_OK)
		status = pv_log_store(f->db, f->rules, NULL, log, &opts, err);
	pv_log_free(log);
	return status;
}

static void test_refusals(void **state)
{
	static const struct {
		const char *kind, *spec, *message;
	} bad[] = {
		{ "case", "anon:elev 15031210140", "theme: looks like a national identity number" },
		{ "case", "anon:elev 150312 10140", "national identity number" },
		{ "case", "anon:ring 46 91 97 33", "theme: looks like a phone number" },
		{ "action", "tor|mail ola@skole.no|2026-12-01", "what: looks like an e-mail" },
		{ "experience", "Eleven 55031210053 er borte", "experience: looks like a D-number" },
		{ "action", "nobody|x|2026-12-01", "'nobody' is neither a person id nor a role" },
		{ "action", "tor|x|2026-10-01", "due date 2026-10-01 is before the meeting" },
		{ "guest", "Ola Nordmann", "'Ola Nordmann' is not a guest role" },
		{ "attendee", "ola", "no person 'ola'" },
		{ "substitute", "knut:knut", "cannot stand in for themselves" },
		{ "substitute", "knut:marit", "'marit' led the meeting" },
		{ "case", "consent:kari:rus", "has no digit" },
		{ "case", "consent:HOF-1:rus", "no consent with reference 'HOF-1'" },
		/* free text is strict UTF-8: Windows-1252, an overlong '/', a surrogate */
		{ "experience", "Kjeld\xe5s skole", "experience: not valid UTF-8 text" },
		{ "experience", "a\xc0\xaf" "b", "experience: not valid UTF-8 text" },
		{ "experience", "a\xed\xa0\x80" "b", "experience: not valid UTF-8 text" },
	};
	struct fixture *f = *state;
	struct pv_error err;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pv_error_clear(&err);
		assert_int_equal(store_one(f, f->held, bad[i].kind, bad[i].spec, &err), PV_EDATA);
		if (!strstr(err.message, bad[i].message))
			fail_msg("case %zu: '%s'", i, err.message);
		assert_nothing_stored(f, f->held);
	}
	/* an 11-digit number with wrong check digits is not an id */
	assert_int_equal(store_one(f, f->held, "case", "anon:sak 15031210141", &err), PV_OK);
	/* a future meeting, a cancelled one, counts outside «Åpen dør» */
	assert_int_equal(store_one(f, f->future, "case", "anon:rus", &err), PV_EDATA);
	assert_non_null(strstr(err.message, "after today"));
	assert_int_equal(pv_log_cancel(f->db, f->rules, f->unlogged, "ring 46919733", &err),
			 PV_EDATA);
	assert_non_null(strstr(err.message, "reason: looks like a phone number"));
	assert_int_equal(pv_log_cancel(f->db, f->rules, f->unlogged, "sykdom i teamet", &err),
			 PV_OK);
	assert_int_equal(store_one(f, f->unlogged, "case", "anon:rus", &err), PV_EDATA);
	assert_non_null(strstr(err.message, "was cancelled"));
	assert_int_equal(pv_log_cancel(f->db, f->rules, f->held, "for sent", &err), PV_EDATA);
	assert_non_null(strstr(err.message, "logged as held"));
}

static void test_counts(void **state)
{
	struct fixture *f = *state;
	struct pv_log_store_options opts = { .today = day("2026-11-23") };
	struct pv_meeting_log *log = pv_log_new(f->held);
	struct pv_error err;

	assert_int_equal(pv_log_set_leader(log, "marit", cli, &err), PV_OK);
	log->staff_consultations = 2;
	assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "«Åpen dør»"));
	pv_log_free(log);
	log = pv_log_new(f->apen);
	assert_int_equal(pv_log_set_leader(log, "solveig", cli, &err), PV_OK);
	log->staff_consultations = 2;
	log->parents_informed = day("2026-09-03");
	assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "none are recorded"));
	log->pupil_conversations = 1;
	log->parents_informed = day("2026-09-01");
	assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "before the meeting"));
	log->parents_informed = 0;
	assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_OK);
	pv_log_free(log);
}

static void test_consent_cases(void **state)
{
	struct fixture *f = *state;
	struct pv_consent_spec s = {
		.ref = "HOF-2026-07", .unit = "hof", .services = "helse",
		.given_by = PV_CONSENT_FORESATT, .form = PV_CONSENT_WRITTEN,
		.given = day("2026-09-01"), .expires = day("2026-10-01"), .age = -1,
	};
	struct pv_error err;
	int n;

	assert_int_equal(pv_consent_add(f->db, f->rules, &s, NULL, &err), PV_OK);
	/* tor (PPT) present: the consent must cover ppt */
	assert_int_equal(store_one(f, f->held, "attendee", "tor", &err), PV_OK);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM meeting_log"), 1);
	/* a fresh fixture state: the consent case on the second meeting */
	{
		struct pv_log_store_options opts = { .today = day("2026-11-23") };
		struct pv_meeting_log *log = pv_log_new(f->unlogged);

		assert_int_equal(pv_log_set_leader(log, "marit", cli, &err), PV_OK);
		assert_int_equal(pv_log_add_attendee(log, "tor", NULL, cli, &err), PV_OK);
		assert_int_equal(pv_log_parse_case(log, "consent:HOF-2026-07:rus", cli, &err),
				 PV_OK);
		assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_EDATA);
		assert_non_null(strstr(err.message, "does not cover ppt"));
		assert_non_null(strstr(err.message, "nothing is stored"));
		assert_no_log(f, f->unlogged);
		s.services = "ppt";
		assert_int_equal(pv_consent_add(f->db, f->rules, &s, NULL, &err), PV_OK);
		assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_OK);
		pv_log_free(log);
	}
	/* expired on the meeting date (2026-10-15) */
	{
		struct pv_log_store_options opts = { .today = day("2026-11-23"), .replace = true };
		struct pv_meeting_log *log = pv_log_new(f->held);

		assert_int_equal(pv_log_set_leader(log, "marit", cli, &err), PV_OK);
		assert_int_equal(pv_log_parse_case(log, "consent:HOF-2026-07:rus", cli, &err),
				 PV_OK);
		assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_EDATA);
		assert_non_null(strstr(err.message, "expired on 2026-10-01"));
		pv_log_free(log);
	}
	/* withdrawn before the meeting: the stored case is not touched, a new
	 * one is refused */
	assert_int_equal(pv_consent_withdraw(f->db, "HOF-2026-07", day("2026-09-02"), &n, &err),
			 PV_OK);
	{
		struct pv_log_store_options opts = { .today = day("2026-11-23"), .replace = true };
		struct pv_meeting_log *log = pv_log_new(f->unlogged);

		assert_int_equal(pv_log_set_leader(log, "marit", cli, &err), PV_OK);
		assert_int_equal(pv_log_parse_case(log, "consent:HOF-2026-07:familie", cli, &err),
				 PV_OK);
		assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_EDATA);
		assert_non_null(strstr(err.message, "withdrawn on 2026-09-02"));
		pv_log_free(log);
	}
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM meeting_case WHERE theme = "
				    "'familie'"), 0);
}

struct seen {
	long long ids[16];
	int n;
};

static void collect_summary(const struct pv_log_summary *s, void *arg)
{
	struct seen *seen = arg;

	if (seen->n < 16)
		seen->ids[seen->n++] = s->meeting->id;
}

static void collect_action(const struct pv_log_action_row *row, void *arg)
{
	struct seen *seen = arg;

	if (seen->n < 16)
		seen->ids[seen->n++] = row->action->id;
}

static void test_lists_and_actions(void **state)
{
	struct fixture *f = *state;
	struct pv_log_store_options opts = { .today = day("2026-11-23") };
	struct pv_log_filter unlogged = { .today = day("2026-11-23"), .unlogged = true };
	struct pv_log_filter informed = { .today = day("2026-11-23"),
					  .parents_not_informed = true };
	struct pv_action_filter overdue = { .overdue = true, .today = day("2026-11-23") };
	struct pv_meeting_log *log = full_log(f->held);
	struct seen seen = { 0 };
	struct pv_error err;
	int count;

	assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_OK);
	pv_log_free(log);
	log = pv_log_new(f->apen);
	assert_int_equal(pv_log_set_leader(log, "solveig", cli, &err), PV_OK);
	log->staff_consultations = 3;
	log->pupil_conversations = 1;
	assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_OK);
	pv_log_free(log);

	/* the past meeting without a log; not the future one, not the logged */
	assert_int_equal(pv_log_list(f->db, &unlogged, collect_summary, &seen, &count, &err),
			 PV_OK);
	assert_int_equal(count, 1);
	assert_int_equal(seen.ids[0], f->unlogged);
	seen.n = 0;
	assert_int_equal(pv_log_list(f->db, &informed, collect_summary, &seen, &count, &err),
			 PV_OK);
	assert_int_equal(count, 1);
	assert_int_equal(seen.ids[0], f->apen);
	assert_int_equal(pv_log_parents_informed(f->db, f->apen, day("2026-09-01"), &err),
			 PV_EDATA);
	assert_int_equal(pv_log_parents_informed(f->db, f->held, day("2026-10-16"), &err),
			 PV_EDATA);
	assert_int_equal(pv_log_parents_informed(f->db, f->apen, day("2026-09-03"), &err), PV_OK);
	assert_int_equal(pv_log_list(f->db, &informed, NULL, NULL, &count, &err), PV_OK);
	assert_int_equal(count, 0);

	/* actions: the one due 2026-11-01 is overdue on 2026-11-23 */
	seen.n = 0;
	assert_int_equal(pv_log_actions(f->db, &overdue, collect_action, &seen, &count, &err),
			 PV_OK);
	assert_int_equal(count, 1);
	assert_int_equal(pv_log_action_done(f->db, seen.ids[0], day("2026-10-01"), &err),
			 PV_EDATA);
	assert_int_equal(pv_log_action_done(f->db, seen.ids[0], day("2026-11-20"), &err), PV_OK);
	assert_int_equal(pv_log_action_done(f->db, seen.ids[0], day("2026-11-21"), &err),
			 PV_EDATA);
	assert_non_null(strstr(err.message, "already done (2026-11-20)"));
	assert_int_equal(pv_log_action_done(f->db, 999, day("2026-11-21"), &err), PV_EDATA);
	assert_int_equal(pv_log_actions(f->db, &overdue, NULL, NULL, &count, &err), PV_OK);
	assert_int_equal(count, 0);
	overdue.overdue = false;
	overdue.open = true;
	assert_int_equal(pv_log_actions(f->db, &overdue, NULL, NULL, &count, &err), PV_OK);
	assert_int_equal(count, 1);
	/* every write left its audit row */
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE entity = "
				    "'meeting-log'"), 4);
}

static void test_template_round_trip(void **state)
{
	struct fixture *f = *state;
	struct pv_log_store_options opts = { .today = day("2026-11-23") };
	struct pv_meeting_log *log = full_log(f->held), *back, *parsed;
	struct pv_roster *roster;
	struct pv_plan *plan;
	const struct pv_meeting *m;
	struct pv_error err;
	bool changed = true;
	char *text;

	assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_OK);
	pv_log_free(log);
	assert_int_equal(pv_roster_load(f->db, f->rules, &roster, &err), PV_OK);
	assert_int_equal(pv_log_meeting(f->db, f->held, NULL, &plan, &m, &err), PV_OK);
	assert_int_equal(pv_log_load(f->db, f->held, &back, &err), PV_OK);
	text = pv_log_template(m, back, roster, f->rules);
	assert_non_null(text);
	assert_non_null(strstr(text, "# Team: marit (rektor)"));
	assert_non_null(strstr(text, "substitute: knut:mari\n"));
	assert_non_null(strstr(text, "guest: foresatt:2\n"));
	assert_non_null(strstr(text, "\nexperience:\nGodt samarbeid.\n"));
	assert_int_equal(pv_log_parse_template(text, strlen(text), "t.txt", f->held, &parsed,
					       &err), PV_OK);
	opts.replace = true;
	opts.changed = &changed;
	assert_int_equal(pv_log_store(f->db, f->rules, roster, parsed, &opts, &err), PV_OK);
	assert_false(changed);
	free(text);
	pv_log_free(parsed);
	pv_log_free(back);
	/* a new log is prefilled from the plan */
	text = pv_log_template(m, NULL, roster, f->rules);
	assert_non_null(strstr(text, "leader: marit\nattendee: hilde\nattendee: tor\n"));
	free(text);
	pv_plan_free(plan);
	pv_roster_free(roster);
}

static void test_export_round_trip(void **state)
{
	struct fixture *f = *state;
	struct pv_log_store_options opts = { .today = day("2026-11-23"), .replace = true };
	struct pv_meeting_log *log = full_log(f->held), **logs;
	json_t *doc, *again;
	struct pv_error err;
	char *text;
	size_t n;
	bool changed = true;

	assert_int_equal(pv_log_store(f->db, f->rules, NULL, log, &opts, &err), PV_OK);
	pv_log_free(log);
	assert_int_equal(pv_log_cancel(f->db, f->rules, f->unlogged, "sykdom", &err), PV_OK);
	assert_int_equal(pv_log_export(f->db, NULL, &doc, &err), PV_OK);
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_non_null(strstr(text, "\"schema\": \"patvers/log/1\""));
	assert_non_null(strstr(text, "\"cancelled\": \"sykdom\""));
	assert_int_equal(pv_log_parse_json(text, strlen(text), "log.json", &logs, &n, &err), PV_OK);
	assert_int_equal(n, 2);
	opts.changed = &changed;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(pv_log_store(f->db, f->rules, NULL, logs[i], &opts, &err), PV_OK);
		assert_false(changed);
	}
	/* without replace: both are already there */
	opts.replace = false;
	assert_string_equal(logs[0]->cancel_reason, "sykdom");
	assert_int_equal(pv_log_store(f->db, f->rules, NULL, logs[0], &opts, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "meetings[0]: meeting"));
	assert_non_null(strstr(err.message, "already cancelled"));
	assert_int_equal(pv_log_store(f->db, f->rules, NULL, logs[1], &opts, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "already logged"));
	pv_log_array_free(logs, n);
	assert_int_equal(pv_log_export(f->db, NULL, &again, &err), PV_OK);
	assert_true(json_equal(doc, again));
	json_decref(again);
	json_decref(doc);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_forms),
		cmocka_unit_test(test_template_parse),
		cmocka_unit_test(test_template_errors),
		cmocka_unit_test(test_json_parse),
		cmocka_unit_test_setup_teardown(test_store_and_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consent_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lists_and_actions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_template_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_round_trip, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
