/* Unit tests for the team roster: import, validation positions, queries, export, check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "patvers/db.h"
#include "patvers/rules.h"
#include "patvers/team.h"

struct fixture {
	char dir[64];
	char path[128];
	struct pv_db *db;
	struct pv_rules *rules;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct pv_error err;

	snprintf(f->dir, sizeof f->dir, "/tmp/pv-test-team-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/patvers.db", f->dir);
	assert_int_equal(pv_db_open(f->path, PV_DB_CREATE, 100, &f->db, &err), PV_OK);
	assert_int_equal(pv_db_set_actor(f->db, "tester", "test-team", &err), PV_OK);
	pv_db_set_clock(f->db, 1795000000);
	assert_int_equal(pv_rules_default(&f->rules, &err), PV_OK);
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

/* Excel as Norwegians have it: BOM, ';', CRLF, a quoted ';'. */
#define BOM "\xef\xbb\xbf"
static const char units_csv[] =
	BOM "id;navn;type;trinn;gruppe\r\n"
	"gjoklep;Gjøklep ungdomsskole;skole;8-10;\r\n"
	"kjeldas;Kjeldås skole;Skole;1–7;\r\n"
	"gruppe-1;Barnehagegruppe 1;barnehagegruppe;;\r\n"
	"eidsfoss;Eidsfoss barnehage;barnehage;;gruppe-1\r\n"
	"fredly;Fredly barnehage;barnehage;;gruppe-1\r\n"
	"eikelund;Eikelund barnehage;barnehage;;gruppe-1\r\n"
	"ppt;PPT;PPT;;\r\n"
	"barnevern;Barneverntjenesten;barneverntjenesten;;\r\n"
	"bfs;Barne- og familiesenteret;BFS;;\r\n"
	"helse;Skolehelsetjenesten;skolehelsetjenesten;;\r\n"
	";;;;\r\n";

static const char people_csv[] =
	BOM "id;navn;epost;tjeneste;rolle;enheter;stedfortreder\r\n"
	"kari;Kari Berg;kari@h.example;gjoklep;rektor;;ola\r\n"
	"ola;\"Moen; Ola\";ola@h.example;gjoklep;sosiallærer, Rådgiver;gjoklep;\r\n"
	"siri;Siri Dahl;siri@h.example;kjeldas;rektor;;tone\r\n"
	"tone;Tone Lie;tone@h.example;kjeldas;sosiallaerer;;\r\n"
	"per;Per Vik;per@h.example;ppt;PPT-rådgiver;\"gjoklep;kjeldas, eidsfoss fredly eikelund\";\r\n"
	"liv;Liv Aas;liv@h.example;barnevern;barnevernkontakt;gjoklep kjeldas eidsfoss fredly eikelund;\r\n"
	"eva;Eva Holm;eva@h.example;helse;helsesykepleier;gjoklep kjeldas;\r\n"
	"bo;Bo Ruud;bo@h.example;bfs;BFS-kontakt;eidsfoss fredly eikelund;\r\n"
	"anne;Anne Hoel;anne@h.example;eidsfoss;styrer;;mia\r\n"
	"mia;Mia Foss;mia@h.example;eidsfoss;pedagogisk leder;;\r\n"
	"guro;Guro Sand;guro@h.example;fredly;styrer;fredly, ppt:leder;jan\r\n"
	"jan;Jan Wold;jan@h.example;fredly;pedagogisk leder;;\r\n"
	"ask;Ask Lund;ask@h.example;eikelund;styrer;;ulf\r\n"
	"ulf;Ulf Tveit;ulf@h.example;eikelund;ped-leder;;\r\n";

static enum pv_status import(struct fixture *f, const char *units, const char *people,
			     bool replace, struct pv_team_counts *counts, struct pv_error *err)
{
	struct pv_team_import_options opts = { .replace = replace };

	return pv_team_import(f->db, units, units ? strlen(units) : 0, "units.csv", people,
			      people ? strlen(people) : 0, "people.csv", &opts, counts, err);
}

static void import_ok(struct fixture *f)
{
	struct pv_error err = { 0 };
	enum pv_status status = import(f, units_csv, people_csv, false, NULL, &err);

	if (status != PV_OK)
		fail_msg("import failed: %s:%ld:%ld: %s", err.file, err.line, err.column,
			 err.message);
}

static struct pv_roster *load(struct fixture *f)
{
	struct pv_roster *r = NULL;
	struct pv_error err;

	assert_int_equal(pv_roster_load(f->db, f->rules, &r, &err), PV_OK);
	return r;
}

static long long scalar(struct fixture *f, const char *sql)
{
	sqlite3_stmt *stmt;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(pv_db_handle(f->db), sql, -1, &stmt, NULL),
			 SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static void test_import_and_queries(void **state)
{
	struct fixture *f = *state;
	struct pv_team_counts c;
	struct pv_error err;
	struct pv_roster *r;
	const struct pv_unit *const *units;
	const struct pv_assignment *team;
	const struct pv_person *p;
	size_t n;

	assert_int_equal(import(f, units_csv, people_csv, false, &c, &err), PV_OK);
	assert_int_equal(c.units_read, 10);
	assert_int_equal(c.units_added, 10);
	assert_int_equal(c.people_added, 14);
	assert_int_equal(c.people_read, 14);
	r = load(f);

	units = pv_roster_units(r, PV_UNIT_SCHOOL, &n);
	assert_int_equal(n, 2);
	assert_string_equal(units[0]->slug, "gjoklep");
	assert_string_equal(units[0]->name, "Gjøklep ungdomsskole");
	assert_int_equal(units[0]->grade_from, 8);
	assert_int_equal(units[1]->grade_to, 7);
	units = pv_roster_units(r, PV_UNIT_SERVICE, &n);
	assert_int_equal(n, 4);
	assert_string_equal(units[0]->slug, "barnevern");
	assert_string_equal(units[0]->service, "barnevern");

	/* The team: leader first, then the rules' order, quoted ';' kept. */
	team = pv_roster_team(r, "gjoklep", &n);
	assert_int_equal(n, 6);
	assert_string_equal(team[0].role, "rektor");
	assert_string_equal(team[0].person->slug, "kari");
	assert_string_equal(team[1].role, "sosiallaerer");
	assert_string_equal(team[1].person->name, "Moen; Ola");
	assert_string_equal(team[2].role, "radgiver");
	assert_string_equal(team[3].role, "ppt-radgiver");
	assert_string_equal(team[4].role, "helsesykepleier");
	assert_string_equal(team[5].role, "barnevern-kontakt");

	assert_string_equal(pv_roster_leader(r, "gjoklep")->slug, "kari");
	assert_string_equal(pv_roster_leader(r, "eidsfoss")->slug, "anne");
	assert_null(pv_roster_leader(r, "ppt"));
	assert_string_equal(pv_roster_substitute(r, "kari")->slug, "ola");
	assert_null(pv_roster_substitute(r, "ola"));
	p = pv_roster_person(r, "per");
	assert_string_equal(p->email, "per@h.example");
	assert_string_equal(p->home, "ppt");
	assert_null(pv_roster_person(r, "nobody"));

	units = pv_roster_group_members(r, "gruppe-1", &n);
	assert_int_equal(n, 3);
	assert_string_equal(units[0]->slug, "eidsfoss");
	assert_string_equal(units[1]->slug, "eikelund");
	assert_string_equal(units[2]->slug, "fredly");

	/* per serves five units, by slug; guro is styrer at home and leads PPT */
	team = pv_roster_serves(r, "per", &n);
	assert_int_equal(n, 5);
	assert_string_equal(team[0].unit->slug, "eidsfoss");
	assert_string_equal(team[4].unit->slug, "kjeldas");
	team = pv_roster_serves(r, "guro", &n);
	assert_int_equal(n, 2);
	assert_string_equal(team[0].role, "styrer");
	assert_string_equal(team[1].unit->slug, "ppt");
	assert_string_equal(team[1].role, "leder");
	pv_roster_free(r);

	/* one audit row per unit, person and assignment */
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM audit"), 10 + 14 + 27);
}

struct bad_case {
	const char *what;
	const char *units;     /* NULL: the good units file */
	const char *people;    /* NULL: the good people file */
	const char *file;
	long line, column;
	const char *message;   /* a part of it */
};

#define PEOPLE_HEAD BOM "id;navn;epost;tjeneste;rolle;enheter;stedfortreder\r\n"
#define UNITS_HEAD BOM "id;navn;type;trinn;gruppe\r\n"
#define UNITS_HEAD_PLAN BOM "id;navn;type;trinn;gruppe;åpen dør ukedag;åpen dør start;" \
	"åpen dør minutter;åpen dør hver uke\r\n"

static const struct bad_case bad_cases[] = {
	{ "unknown role", NULL,
	  PEOPLE_HEAD "kari;Kari;kari@h.example;gjoklep;rektor;;\r\n"
		      "ola;Ola;ola@h.example;gjoklep;rektorr;;\r\n",
	  "people.csv", 3, 5, "unknown role 'rektorr'; did you mean 'rektor'?" },
	{ "bad e-mail", NULL,
	  PEOPLE_HEAD "kari;Kari;kari@h;gjoklep;rektor;;\r\n",
	  "people.csv", 2, 3, "'kari@h' is not a valid e-mail address" },
	{ "duplicate person", NULL,
	  PEOPLE_HEAD "kari;Kari;kari@h.example;gjoklep;rektor;;\r\n"
		      "ola;Ola;ola@h.example;gjoklep;;;\r\n"
		      "kari;Kari B;karib@h.example;gjoklep;;;\r\n",
	  "people.csv", 4, 1, "duplicate id 'kari' (also on line 2)" },
	{ "duplicate unit", UNITS_HEAD "a;A;skole;1-7;\r\nb;B;skole;1-7;\r\na;A2;ppt;;\r\n",
	  PEOPLE_HEAD, "units.csv", 4, 1, "duplicate id 'a'" },
	{ "unknown unit served", NULL,
	  PEOPLE_HEAD "per;Per;per@h.example;ppt;ppt-radgiver;gjoklep hoff;\r\n",
	  "people.csv", 2, 6, "unknown unit 'hoff' for 'per'; did you mean 'hof'?" },
	{ "unknown home", NULL,
	  PEOPLE_HEAD "per;Per;per@h.example;pptt;;;\r\n",
	  "people.csv", 2, 4, "unknown unit 'pptt'" },
	{ "unknown substitute", NULL,
	  PEOPLE_HEAD "kari;Kari;kari@h.example;gjoklep;rektor;;ola\r\n",
	  "people.csv", 2, 7, "unknown substitute 'ola'" },
	{ "own substitute", NULL,
	  PEOPLE_HEAD "kari;Kari;kari@h.example;gjoklep;rektor;;kari\r\n",
	  "people.csv", 2, 7, "own substitute" },
	{ "school in a group", UNITS_HEAD "g;G;barnehagegruppe;;\r\ns;S;skole;1-7;g\r\n",
	  PEOPLE_HEAD, "units.csv", 3, 5, "only kindergartens belong" },
	{ "group that is no group", UNITS_HEAD "k;K;barnehage;;s\r\ns;S;skole;1-7;\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 5, "'s' is a skole, not a barnehagegruppe" },
	{ "unknown group", UNITS_HEAD "k;K;barnehage;;gruppe-9\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 5, "unknown kindergarten group 'gruppe-9'" },
	{ "bad grades", UNITS_HEAD "s;S;skole;0-11;\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 4, "grades '0-11'" },
	{ "school without grades", UNITS_HEAD "s;S;skole;;\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 4, "needs its grades" },
	{ "unknown type", UNITS_HEAD "s;S;skule;;\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 3, "unknown type 'skule'" },
	{ "bad id", UNITS_HEAD "Gjøklep;Gjøklep;skole;8-10;\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 1, "e.g. 'gjoklep'" },
	{ "wrong field count", UNITS_HEAD "s;S;skole;1-7\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 5, "row has 4 fields, the header has 5" },
	{ "missing column", BOM "id;navn;trinn\r\ns;S;1-7\r\n",
	  PEOPLE_HEAD, "units.csv", 1, 0, "missing required column 'type'" },
	{ "no role for a unit", NULL,
	  PEOPLE_HEAD "per;Per;per@h.example;ppt;;gjoklep;\r\n",
	  "people.csv", 2, 6, "no role for 'per' at 'gjoklep'" },
	{ "same e-mail", NULL,
	  PEOPLE_HEAD "kari;Kari;kari@h.example;gjoklep;;;\r\n"
		      "ola;Ola;KARI@h.example;gjoklep;;;\r\n",
	  "people.csv", 3, 3, "already used by 'kari'" },
	{ "Åpen dør on a weekend", UNITS_HEAD_PLAN "s;S;skole;1-7;;lørdag;;;\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 6, "weekday 'lørdag' is not a school day" },
	{ "Åpen dør before school", UNITS_HEAD_PLAN "s;S;skole;1-7;;;6:30;;\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 7, "start '6:30' is not a time from 07:00 to 17:00" },
	{ "Åpen dør too short", UNITS_HEAD_PLAN "s;S;skole;1-7;;;;10;\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 8, "length '10' is not a whole number of minutes from 15" },
	{ "Åpen dør every 9 weeks", UNITS_HEAD_PLAN "s;S;skole;1-7;;;;;9\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 9, "interval '9' is not a whole number of weeks from 1 to 8" },
	{ "Åpen dør at a service", UNITS_HEAD_PLAN "p;P;ppt;;;onsdag;;;\r\n",
	  PEOPLE_HEAD, "units.csv", 2, 6, "plan is given for 'p', which is not a school" },
	{ "person id of a unit", NULL,
	  PEOPLE_HEAD "hof;Hof Person;hof@h.example;gjoklep;;;\r\n",
	  "people.csv", 2, 1, "already a unit's id" },
};

static void test_import_errors(void **state)
{
	struct fixture *f = *state;
	static const char units[] =
		UNITS_HEAD "gjoklep;Gjøklep ungdomsskole;skole;8-10;\r\nhof;Hof skole;skole;1-10;\r\n"
		"ppt;PPT;ppt;;\r\n";

	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *b = &bad_cases[i];
		struct pv_error err = { 0 };
		enum pv_status status = import(f, b->units ? b->units : units,
					       b->people ? b->people : PEOPLE_HEAD, false, NULL,
					       &err);

		if (status != PV_EDATA || strcmp(err.file, b->file) != 0 || err.line != b->line ||
		    err.column != b->column || !strstr(err.message, b->message))
			fail_msg("%s: got %d %s:%ld:%ld: %s", b->what, status, err.file, err.line,
				 err.column, err.message);
		/* all or nothing: validation comes before any write */
		assert_int_equal(scalar(f, "SELECT COUNT(*) FROM unit"), 0);
		assert_int_equal(scalar(f, "SELECT COUNT(*) FROM person"), 0);
		assert_int_equal(scalar(f, "SELECT COUNT(*) FROM audit"), 0);
	}
}

static char *export_text(struct fixture *f, bool units)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct pv_error err;

	assert_non_null(fp);
	if (pv_team_export(f->db, units ? fp : NULL, units ? NULL : fp, &err) != PV_OK)
		fail_msg("export failed: %s", err.message);
	fclose(fp);
	return buf;
}

static void test_export_round_trip(void **state)
{
	struct fixture *f = *state;
	struct pv_team_counts c;
	struct pv_error err;
	char *units = NULL, *people = NULL, *units2, *people2;
	struct pv_db *other;
	char path[160];

	import_ok(f);
	units = export_text(f, true);
	people = export_text(f, false);
	assert_memory_equal(units, BOM "id;navn;type;trinn;gruppe\r\ngjoklep;", 34);
	assert_non_null(strstr(people, "ola;\"Moen; Ola\";ola@h.example;gjoklep;"
				       "radgiver, sosiallaerer;gjoklep;\r\n"));
	assert_non_null(strstr(people, "guro;Guro Sand;guro@h.example;fredly;styrer;"
				       "fredly, ppt:leder;jan\r\n"));
	/* groups are followed by their kindergartens */
	assert_non_null(strstr(units, "gruppe-1;Barnehagegruppe 1;barnehagegruppe;;\r\n"
				      "eidsfoss;"));

	/* into an empty database and out again: the same bytes */
	snprintf(path, sizeof path, "%s/other.db", f->dir);
	assert_int_equal(pv_db_open(path, PV_DB_CREATE, 100, &other, &err), PV_OK);
	assert_int_equal(pv_team_import(other, units, strlen(units), "u", people, strlen(people),
					"p", NULL, &c, &err), PV_OK);
	{
		struct fixture g = *f;
		g.db = other;
		units2 = export_text(&g, true);
		people2 = export_text(&g, false);
	}
	assert_string_equal(units, units2);
	assert_string_equal(people, people2);
	/* and the same import once more changes nothing */
	assert_int_equal(pv_team_import(other, units, strlen(units), "u", people, strlen(people),
					"p", NULL, &c, &err), PV_OK);
	assert_int_equal(c.units_added + c.units_changed + c.people_added + c.people_changed +
			 c.assignments_added + c.assignments_removed, 0);
	pv_db_close(other);
	free(units);
	free(people);
	free(units2);
	free(people2);
}

/* A school's own «Åpen dør» plan: read from units.csv (Norwegian or
 * English headers), the rules fill what it leaves out, export writes it
 * back, the command line changes and clears it. */
static void test_apen_dor_plan(void **state)
{
	struct fixture *f = *state;
	static const char units[] =
		BOM "id;navn;type;trinn;gruppe;open door weekday;Åpen Dør Start;"
		"apen_dor_minutes;åpen_dør_hver_uke\r\n"
		"gjoklep;Gjøklep ungdomsskole;skole;8-10;;Torsdag;12:30;90;1\r\n"
		"hof;Hof skole;skole;1-10;;;10:00;;\r\n"
		"kjeldas;Kjeldås skole;skole;1-7;;;;;\r\n"
		"ppt;PPT;ppt;;;;;;\r\n";
	struct pv_unit_spec clear = { .slug = "gjoklep", .apen_dor_weekday = "",
				      .apen_dor_every = "", .apen_dor_minutes = "45" };
	struct pv_team_counts c;
	struct pv_error err = { 0 };
	struct pv_apen_dor_plan plan;
	struct pv_roster *r;
	char *exported;

	if (import(f, units, PEOPLE_HEAD, false, &c, &err) != PV_OK)
		fail_msg("%s:%ld:%ld: %s", err.file, err.line, err.column, err.message);
	r = load(f);
	plan = pv_unit_apen_dor(pv_roster_unit(r, "gjoklep"), f->rules);
	assert_int_equal(plan.weekday, PV_THURSDAY);
	assert_int_equal(plan.start, 12 * 60 + 30);
	assert_int_equal(plan.minutes, 90);
	assert_int_equal(plan.every_weeks, 1);
	/* hof sets only the start: the rules' Wednesday, 120 minutes, every
	 * other week for the rest */
	assert_int_equal(pv_roster_unit(r, "hof")->apen_dor.weekday, 0);
	plan = pv_unit_apen_dor(pv_roster_unit(r, "hof"), f->rules);
	assert_int_equal(plan.weekday, PV_WEDNESDAY);
	assert_int_equal(plan.start, 10 * 60);
	assert_int_equal(plan.minutes, 120);
	assert_int_equal(plan.every_weeks, 2);
	plan = pv_unit_apen_dor(pv_roster_unit(r, "kjeldas"), f->rules);
	assert_int_equal(plan.start, 9 * 60);
	pv_roster_free(r);

	/* export writes the plan columns, Norwegian weekday; the same bytes
	 * come back after an import of the export */
	exported = export_text(f, true);
	assert_non_null(strstr(exported, UNITS_HEAD_PLAN + 3));
	assert_non_null(strstr(exported, "gjoklep;Gjøklep ungdomsskole;skole;8-10;;torsdag;12:30;"
					 "90;1\r\nhof;Hof skole;skole;1-10;;;10:00;;\r\n"));
	assert_non_null(strstr(exported, "ppt;PPT;ppt;;;;;;\r\n"));
	assert_int_equal(import(f, exported, PEOPLE_HEAD, false, &c, &err), PV_OK);
	assert_int_equal(c.units_changed, 0);
	free(exported);

	/* from the command line: "" goes back to the rules, a value replaces,
	 * what is left out stays */
	assert_int_equal(pv_team_add_unit(f->db, &clear, true, &err), PV_OK);
	r = load(f);
	plan = pv_roster_unit(r, "gjoklep")->apen_dor;
	assert_int_equal(plan.weekday, 0);
	assert_int_equal(plan.every_weeks, 0);
	assert_int_equal(plan.minutes, 45);
	assert_int_equal(plan.start, 12 * 60 + 30);
	pv_roster_free(r);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM audit WHERE summary LIKE"
				   " '%gjoklep%åpen dør, 12:30, 45 min)'"), 1);
}

static void test_upsert_and_replace(void **state)
{
	struct fixture *f = *state;
	struct pv_team_counts c;
	struct pv_error err;
	struct pv_roster *r;
	size_t n;

	import_ok(f);
	/* a row replaces what the person serves; others stay */
	assert_int_equal(import(f, NULL,
				PEOPLE_HEAD "per;Per Vik;per@h.example;ppt;ppt-radgiver;gjoklep;\r\n",
				false, &c, &err), PV_OK);
	assert_int_equal(c.people_changed, 0);
	assert_int_equal(c.assignments_removed, 4);
	r = load(f);
	pv_roster_serves(r, "per", &n);
	assert_int_equal(n, 1);
	assert_non_null(pv_roster_person(r, "kari"));
	pv_roster_free(r);

	/* a file without the role columns keeps the assignments */
	assert_int_equal(import(f, NULL,
				BOM "id;navn;epost;tjeneste\r\nper;Per Vik;pv@h.example;ppt\r\n",
				false, &c, &err), PV_OK);
	assert_int_equal(c.people_changed, 1);
	assert_int_equal(c.assignments_removed, 0);

	/* --replace: the files are the roster */
	assert_int_equal(import(f, UNITS_HEAD "ppt;PPT;ppt;;\r\n",
				PEOPLE_HEAD "per;Per Vik;per@h.example;ppt;leder;;\r\n", true, &c,
				&err), PV_OK);
	assert_int_equal(c.units_removed, 9);
	assert_int_equal(c.people_removed, 13);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM unit"), 1);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM assignment"), 1);
}

static void test_edit_and_remove(void **state)
{
	struct fixture *f = *state;
	struct pv_unit_spec unit = { .slug = "hof", .name = "Hof skole", .type = "skole",
				     .grades = "1-10" };
	struct pv_person_spec person = { "nina", "Nina Lie", "nina@h.example", "hof",
					 "rektor", NULL, "kari" };
	struct pv_error err;
	struct pv_roster *r;
	bool added;
	int count, removed;

	import_ok(f);
	assert_int_equal(pv_team_add_unit(f->db, &unit, false, &err), PV_OK);
	assert_int_equal(pv_team_add_unit(f->db, &unit, false, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "exists"));
	assert_int_equal(pv_team_add_person(f->db, &person, false, &err), PV_OK);
	assert_int_equal(pv_team_assign(f->db, "per", "hof", "PPT-rådgiver", &added, &err),
			 PV_OK);
	assert_true(added);
	assert_int_equal(pv_team_assign(f->db, "per", "hof", "ppt-radgiver", &added, &err),
			 PV_OK);
	assert_false(added);
	assert_int_equal(pv_team_assign(f->db, "per", "hof", "vaktmester", &added, &err),
			 PV_EDATA);

	/* an update keeps what is not given */
	{
		struct pv_person_spec change = { .slug = "nina", .substitute = "" };
		assert_int_equal(pv_team_add_person(f->db, &change, true, &err), PV_OK);
	}
	r = load(f);
	assert_null(pv_roster_person(r, "nina")->substitute);
	assert_string_equal(pv_roster_leader(r, "hof")->slug, "nina");
	pv_roster_free(r);

	/* dependents: hof is nina's home and served by per */
	assert_int_equal(pv_team_dependents(f->db, "hof", NULL, NULL, &count, &err), PV_OK);
	assert_int_equal(count, 3);
	assert_int_equal(pv_team_remove(f->db, "per", false, NULL, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "serves eidsfoss (ppt-radgiver)"));
	assert_int_equal(pv_team_remove(f->db, "hof", true, NULL, NULL, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "home unit of nina"));
	assert_int_equal(pv_team_remove(f->db, "per", true, NULL, NULL, &err), PV_OK);
	assert_int_equal(pv_team_remove(f->db, "nina", false, NULL, NULL, &err), PV_EDATA);
	assert_int_equal(pv_team_unassign(f->db, "nina", "hof", NULL, &removed, &err), PV_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(pv_team_remove(f->db, "nina", false, NULL, NULL, &err), PV_OK);
	assert_int_equal(pv_team_remove(f->db, "hof", false, NULL, NULL, &err), PV_OK);
	assert_int_equal(pv_team_remove(f->db, "hof", false, NULL, NULL, &err), PV_EDATA);
	/* kari names ola as substitute: forcing clears it */
	assert_int_equal(pv_team_remove(f->db, "ola", true, NULL, NULL, &err), PV_OK);
	r = load(f);
	assert_null(pv_roster_person(r, "kari")->substitute);
	pv_roster_free(r);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM person WHERE slug IN ('per','ola')"), 0);
}

struct collected {
	char text[4096];
	int count;
};

static void collect(const struct pv_team_finding *x, void *arg)
{
	struct collected *c = arg;
	size_t used = strlen(c->text);

	snprintf(c->text + used, sizeof c->text - used, "%s|%s|%s|%s\n", x->unit, x->rule,
		 x->person ? x->person : "-", x->detail);
	c->count++;
}

static void test_check(void **state)
{
	struct fixture *f = *state;
	static const int days[3] = { 17, 20, 21 };
	struct collected got = { "", 0 };
	struct pv_error err;
	struct pv_roster *r;
	int count;

	import_ok(f);
	r = load(f);
	assert_int_equal(pv_team_check(r, f->rules, days, collect, &got, &count, &err), PV_OK);
	/* kjeldas (1-7) needs no rådgiver; everything else is in place */
	assert_int_equal(count, 0);
	pv_roster_free(r);

	assert_int_equal(pv_team_unassign(f->db, "eva", "gjoklep", NULL, NULL, &err), PV_OK);
	assert_int_equal(pv_team_unassign(f->db, "ola", "gjoklep", "radgiver", NULL, &err), PV_OK);
	assert_int_equal(pv_team_add_person(f->db, &(struct pv_person_spec){
		.slug = "siri", .substitute = "" }, true, &err), PV_OK);
	{
		struct pv_unit_spec u = { .slug = "vestly", .name = "Vestly barnehage",
					  .type = "barnehage" };
		assert_int_equal(pv_team_add_unit(f->db, &u, false, &err), PV_OK);
	}
	r = load(f);
	assert_int_equal(pv_team_check(r, f->rules, (const int[3]){ 17, 20, 21 }, collect, &got,
				       &count, &err), PV_OK);
	assert_string_equal(got.text,
			    "gjoklep|role|-|no helsesykepleier\n"
			    "gjoklep|role|-|no radgiver\n"
			    "kjeldas|substitute|siri|rektor siri has no stedfortreder\n"
			    "vestly|group|-|in no kindergarten group\n"
			    "vestly|role|-|no barnevern-kontakt\n"
			    "vestly|role|-|no bfs-kontakt\n"
			    "vestly|role|-|no pedagogisk-leder\n"
			    "vestly|role|-|no ppt-radgiver\n"
			    "vestly|role|-|no styrer\n");
	/* capacity: per has 2 schools + 1 group = 6 meetings a half-year */
	got.text[0] = '\0';
	assert_int_equal(pv_team_check(r, f->rules, (const int[3]){ 17, 20, 5 }, collect, &got,
				       &count, &err), PV_OK);
	assert_non_null(strstr(got.text, "ppt|capacity|per|per serves 3 meeting units: 6 "
					 "systemmøter per half-year, but a half-year has 5"));
	pv_roster_free(r);
}

static void test_group_size(void **state)
{
	struct fixture *f = *state;
	struct collected got = { "", 0 };
	struct pv_error err;
	struct pv_roster *r;

	import_ok(f);
	assert_int_equal(pv_team_add_unit(f->db, &(struct pv_unit_spec){
		.slug = "eikelund", .group = "" }, true, &err), PV_OK);
	r = load(f);
	assert_int_equal(pv_team_check(r, f->rules, (const int[3]){ 17, 17, 17 }, collect, &got,
				       NULL, &err), PV_OK);
	assert_non_null(strstr(got.text, "gruppe-1|group-size|-|2 kindergartens, the rules "
					 "want 3\n"));
	assert_non_null(strstr(got.text, "eikelund|group|-|in no kindergarten group\n"));
	pv_roster_free(r);
}

static void test_names(void **state)
{
	struct fixture *f = *state;
	enum pv_unit_kind kind;
	const char *s;

	assert_true(pv_team_role_parse(f->rules, "Sosiallærer", &s));
	assert_string_equal(s, "sosiallaerer");
	assert_true(pv_team_role_parse(f->rules, "pedagogisk leder", &s));
	assert_string_equal(s, "pedagogisk-leder");
	assert_true(pv_team_role_parse(f->rules, "PPT-rådgiver", &s));
	assert_string_equal(s, "ppt-radgiver");
	assert_true(pv_team_role_parse(f->rules, "barnevernkontakt", &s));
	assert_string_equal(s, "barnevern-kontakt");
	assert_true(pv_team_role_parse(f->rules, "helsesøster", &s));
	assert_string_equal(s, "helsesykepleier");
	assert_true(pv_team_role_parse(f->rules, "koordinator", &s));
	assert_false(pv_team_role_parse(f->rules, "vaktmester", &s));

	assert_true(pv_unit_type_parse("Nærværsteam", &kind, &s));
	assert_int_equal(kind, PV_UNIT_SERVICE);
	assert_string_equal(s, "naervaer");
	assert_true(pv_unit_type_parse("Barne- og familiesenteret", &kind, &s));
	assert_string_equal(s, "bfs");
	assert_true(pv_unit_type_parse("barnehagegruppe", &kind, &s));
	assert_int_equal(kind, PV_UNIT_GROUP);
	assert_null(s);

	assert_true(pv_team_email_valid("kari.nordmann@holmestrand.kommune.example"));
	assert_true(pv_team_email_valid("o'neil+x@a-b.no"));
	assert_false(pv_team_email_valid("kari@"));
	assert_false(pv_team_email_valid("kari@h"));
	assert_false(pv_team_email_valid("kari..n@h.no"));
	assert_false(pv_team_email_valid("kari@-h.no"));
	assert_false(pv_team_email_valid("kåri@h.no"));
	assert_false(pv_team_email_valid("a@b@c.no"));
	assert_false(pv_team_email_valid("kari@h.n0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import_and_queries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apen_dor_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upsert_and_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_and_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
