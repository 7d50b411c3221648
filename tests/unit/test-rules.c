/* Unit tests for lib/rules.c: defaults, merge, validation, dump, storage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "patvers/audit.h"
#include "patvers/db.h"
#include "patvers/rules.h"

/* Parses `doc` as "rules.json"; the status, and *out (NULL on error). */
static enum pv_status parse(const char *doc, struct pv_rules **out, struct pv_error *err)
{
	pv_error_clear(err);
	return pv_rules_parse(doc, strlen(doc), "rules.json", out, err);
}

static struct pv_rules *parse_ok(const char *doc)
{
	struct pv_rules *r = NULL;
	struct pv_error err;

	if (parse(doc, &r, &err) != PV_OK)
		fail_msg("unexpected error: %s", err.message);
	assert_non_null(r);
	return r;
}

static struct pv_rules *defaults(void)
{
	struct pv_rules *r = NULL;
	struct pv_error err;

	pv_error_clear(&err);
	if (pv_rules_default(&r, &err) != PV_OK)
		fail_msg("defaults do not validate: %s", err.message);
	return r;
}

/* ---- the defaults and getters --------------------------------------- */

static void test_default_loads(void **state)
{
	struct pv_rules *r = defaults();

	(void)state;
	assert_string_equal(pv_rules_str(r, "schema"), "patvers/rules/1");
	assert_string_equal(pv_rules_str(r, "municipality"), "Holmestrand kommune");
	assert_string_equal(pv_rules_str(r, "recipient"), "kommunalsjef Oppvekst");
	assert_string_equal(pv_rules_str(r, "clash_policy"), "fail");
	assert_string_equal(pv_rules_str(r, "meetings.school_systemmote.weekday"), "thursday");
	assert_string_equal(pv_rules_str(r, "meetings.school_systemmote.start"), "12:30");
	assert_string_equal(pv_rules_str(r, "meetings.kindergarten_systemmote.start"), "12:15");
	assert_string_equal(pv_rules_str(r, "meetings.naervaer.iso_weeks"), "odd");
	assert_int_equal(pv_rules_int(r, "meetings.school_systemmote.min_per_half"), 2);
	assert_int_equal(pv_rules_int(r, "meetings.kindergarten_systemmote.group_size"), 3);
	assert_int_equal(pv_rules_int(r, "fravaer.day_minutes"), 360);
	assert_int_equal(pv_rules_int(r, "fravaer.window_percent"), 20);
	assert_int_equal(pv_rules_int(r, "report.suppress_below"), 3);
	assert_string_equal(pv_rules_str(r, "report_deadlines.H1"), "06-15");
	assert_string_equal(pv_rules_str(r, "report_deadlines.H2"), "12-15");
	assert_string_equal(pv_rules_str(r, "plan_deadline"), "06-01");
	assert_true(json_is_object(pv_rules_json(r)));
	pv_rules_free(r);
}

static void test_getters_arrays(void **state)
{
	struct pv_rules *r = defaults();
	const json_t *school = pv_rules_get(r, "roles.school");

	(void)state;
	assert_true(json_is_array(school));
	assert_int_equal(json_array_size(school), 6);
	assert_string_equal(pv_rules_str(r, "roles.school[0]"), "rektor");
	assert_string_equal(pv_rules_str(r, "roles.school_leader"), "rektor");
	assert_string_equal(pv_rules_str(r, "kindergarten_closed[1].from"), "12-24");
	assert_string_equal(pv_rules_str(r, "meetings.school_systemmote.fallback_weekdays[0]"),
			    "tuesday");
	assert_int_equal(json_array_size(pv_rules_get(r, "anonymity.deny_patterns")), 0);
	pv_rules_free(r);
}

static void test_getters_missing(void **state)
{
	struct pv_rules *r = defaults();

	(void)state;
	assert_null(pv_rules_get(r, "meetings.nope"));
	assert_null(pv_rules_get(r, "meetings.school_systemmote.weekday.x"));
	assert_null(pv_rules_get(r, "roles.school[6]"));
	assert_null(pv_rules_get(r, "roles.school[x]"));
	assert_null(pv_rules_get(r, "roles.school[0"));
	assert_null(pv_rules_get(r, "roles.school[-1]"));
	assert_null(pv_rules_get(r, "fravaer."));
	assert_null(pv_rules_get(r, ".fravaer"));
	assert_null(pv_rules_get(r, "fravaer..day_minutes"));
	assert_null(pv_rules_get(r, ""));
	assert_null(pv_rules_get(NULL, "fravaer"));
	assert_int_equal(pv_rules_int(r, "clash_policy"), 0);
	assert_int_equal(pv_rules_int(r, "no.such.path"), 0);
	assert_null(pv_rules_str(r, "fravaer.day_minutes"));
	assert_false(pv_rules_bool(r, "clash_policy"));
	assert_false(pv_rules_bool(r, "no.such.path"));
	pv_rules_free(r);
}

/* ---- merging -------------------------------------------------------- */

static void test_merge_partial(void **state)
{
	struct pv_rules *r = parse_ok("{ \"fravaer\": { \"day_minutes\": 300 } }");

	(void)state;
	assert_int_equal(pv_rules_int(r, "fravaer.day_minutes"), 300);
	assert_int_equal(pv_rules_int(r, "fravaer.undocumented_dates"), 3);
	assert_int_equal(pv_rules_int(r, "fravaer.window_percent"), 20);
	assert_string_equal(pv_rules_str(r, "clash_policy"), "fail");
	assert_string_equal(pv_rules_str(r, "meetings.naervaer.weekday"), "tuesday");
	pv_rules_free(r);
}

static void test_merge_arrays_replace(void **state)
{
	struct pv_rules *r = parse_ok(
		"{ \"roles\": { \"school\": [\"rektor\", \"radgiver\", \"ppt-radgiver\"] },"
		"  \"meetings\": { \"school_systemmote\": { \"fallback_weekdays\": [\"onsdag\"] } } }");

	(void)state;
	assert_int_equal(json_array_size(pv_rules_get(r, "roles.school")), 3);
	assert_string_equal(pv_rules_str(r, "roles.school[2]"), "ppt-radgiver");
	/* siblings of a replaced array are kept */
	assert_string_equal(pv_rules_str(r, "roles.school_leader"), "rektor");
	assert_int_equal(json_array_size(pv_rules_get(r, "roles.kindergarten")), 5);
	assert_int_equal(json_array_size(
		pv_rules_get(r, "meetings.school_systemmote.fallback_weekdays")), 1);
	assert_string_equal(pv_rules_str(r, "meetings.school_systemmote.start"), "12:30");
	pv_rules_free(r);
}

static void test_empty_document_is_default(void **state)
{
	struct pv_rules *d = defaults(), *r = parse_ok("{}");
	struct pv_rules *s = parse_ok("{ \"schema\": \"patvers/rules/1\" }");

	(void)state;
	assert_true(json_equal((json_t *)pv_rules_json(d), (json_t *)pv_rules_json(r)));
	assert_true(json_equal((json_t *)pv_rules_json(d), (json_t *)pv_rules_json(s)));
	pv_rules_free(d);
	pv_rules_free(r);
	pv_rules_free(s);
}

static void test_null_filename(void **state)
{
	struct pv_rules *r = NULL;
	struct pv_error err;
	const char *doc = "{ \"clash_policy\": \"maybe\" }";
	char msg[1200];

	(void)state;
	pv_error_clear(&err);
	assert_int_equal(pv_rules_parse(doc, strlen(doc), NULL, &r, &err), PV_EDATA);
	assert_null(r);
	pv_error_format(&err, msg, sizeof msg);
	assert_string_equal(msg, "clash_policy: 'maybe' is not one of: fail, substitute");
}

/* The length is honoured: the text need not end in NUL. */
static void test_parse_uses_length(void **state)
{
	const char doc[] = "{ \"log\": { \"grace_days\": 5 } }garbage";
	struct pv_rules *r = NULL;
	struct pv_error err;

	(void)state;
	pv_error_clear(&err);
	assert_int_equal(pv_rules_parse(doc, strlen(doc) - 7, "x", &r, &err), PV_OK);
	assert_int_equal(pv_rules_int(r, "log.grace_days"), 5);
	pv_rules_free(r);
}

/* ---- dump ----------------------------------------------------------- */

static void test_dump_deterministic(void **state)
{
	struct pv_rules *r = defaults(), *again;
	char *a = pv_rules_dump(r), *b = pv_rules_dump(r), *c;
	size_t n = strlen(a);

	(void)state;
	assert_string_equal(a, b);
	assert_true(n > 2 && a[n - 1] == '\n' && a[n - 2] == '}');
	assert_int_equal(strncmp(a, "{\n  \"schema\": \"patvers/rules/1\",\n", 33), 0);
	assert_non_null(strstr(a, "\"språk\""));	/* UTF-8 as is */
	assert_non_null(strstr(a, "\"vold/overgrep\""));
	again = parse_ok(a);
	assert_true(json_equal((json_t *)pv_rules_json(r), (json_t *)pv_rules_json(again)));
	c = pv_rules_dump(again);
	assert_string_equal(a, c);
	free(a);
	free(b);
	free(c);
	pv_rules_free(r);
	pv_rules_free(again);
}

/* Whatever order the imported file used, the dump has the defaults'. */
static void test_dump_key_order(void **state)
{
	struct pv_rules *r = parse_ok(
		"{ \"fravaer\": { \"window_percent\": 25, \"day_minutes\": 300 },"
		"  \"kindergarten_closed\": [ { \"to\": \"07-31\", \"from\": \"07-01\" } ],"
		"  \"clash_policy\": \"substitute\", \"schema\": \"patvers/rules/1\" }");
	struct pv_rules *d = defaults();
	char *text = pv_rules_dump(r), *dtext = pv_rules_dump(d);
	const char *keys[] = { "\"schema\"", "\"method\"", "\"clash_policy\"", "\"meetings\"",
			       "\"kindergarten_closed\"", "\"from\"", "\"to\"", "\"fravaer\"",
			       "\"day_minutes\"", "\"window_percent\"" };
	const char *prev = text;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *at = strstr(prev, keys[i]);
		if (!at)
			fail_msg("%s missing or out of order in the dump", keys[i]);
		prev = at;
	}
	/* same number of lines as the defaults: no key added or lost */
	{
		size_t lines = 0, dlines = 0;
		for (i = 0; text[i]; i++)
			lines += text[i] == '\n';
		for (i = 0; dtext[i]; i++)
			dlines += dtext[i] == '\n';
		assert_int_equal(lines, dlines - 4);	/* one closed period, not two */
	}
	free(text);
	free(dtext);
	pv_rules_free(r);
	pv_rules_free(d);
}

/* ---- documents that must be accepted -------------------------------- */

struct good_case {
	const char *name;
	const char *doc;
	const char *path;
	const char *str;	/* expected string at path, or NULL */
	long long num;		/* else expected integer */
};

static const struct good_case good_cases[] = {
	{ "norwegian weekday", "{\"meetings\":{\"naervaer\":{\"weekday\":\"Tirsdag\"}}}",
	  "meetings.naervaer.weekday", "Tirsdag", 0 },
	{ "leap day", "{\"plan_deadline\":\"02-29\"}", "plan_deadline", "02-29", 0 },
	{ "range low edge", "{\"report\":{\"suppress_below\":0}}", "report.suppress_below", NULL, 0 },
	{ "range high edge", "{\"report\":{\"suppress_below\":100}}",
	  "report.suppress_below", NULL, 100 },
	{ "day minutes 1440", "{\"fravaer\":{\"day_minutes\":1440}}", "fravaer.day_minutes", NULL, 1440 },
	{ "end at 23:59", "{\"meetings\":{\"naervaer\":{\"end\":\"23:59\"}}}",
	  "meetings.naervaer.end", "23:59", 0 },
	{ "substitute", "{\"clash_policy\":\"substitute\"}", "clash_policy", "substitute", 0 },
	{ "all weeks", "{\"meetings\":{\"naervaer\":{\"iso_weeks\":\"all\"}}}",
	  "meetings.naervaer.iso_weeks", "all", 0 },
	{ "regex", "{\"anonymity\":{\"deny_patterns\":[\"[0-9]{6} ?[0-9]{5}\"]}}",
	  "anonymity.deny_patterns[0]", "[0-9]{6} ?[0-9]{5}", 0 },
	{ "closed period over new year",
	  "{\"kindergarten_closed\":[{\"from\":\"12-24\",\"to\":\"01-01\"}]}",
	  "kindergarten_closed[0].to", "01-01", 0 },
	{ "no closed periods", "{\"kindergarten_closed\":[]}", "kindergarten_closed[0]", NULL, 0 },
	{ "no ungdomstrinn roles", "{\"roles\":{\"ungdomstrinn_only\":[]}}",
	  "roles.ungdomstrinn_only[0]", NULL, 0 },
	{ "kindergarten fallback", "{\"meetings\":{\"kindergarten_systemmote\":"
	  "{\"fallback_weekdays\":[\"wednesday\"]}}}",
	  "meetings.kindergarten_systemmote.fallback_weekdays[0]", "wednesday", 0 },
	{ "god oppvekst min equals max", "{\"meetings\":{\"god_oppvekst\":"
	  "{\"min_per_school_year\":3}}}", "meetings.god_oppvekst.min_per_school_year", NULL, 3 },
	{ "apen dor until midnight", "{\"meetings\":{\"apen_dor\":{\"start\":\"22:00\"}}}",
	  "meetings.apen_dor.minutes", NULL, 120 },
};

static void test_good_case(void **state)
{
	const struct good_case *c = *state;
	struct pv_rules *r = parse_ok(c->doc);

	if (c->str)
		assert_string_equal(pv_rules_str(r, c->path), c->str);
	else
		assert_int_equal(pv_rules_int(r, c->path), c->num);
	pv_rules_free(r);
}

/* ---- documents that must be refused --------------------------------- */

struct bad_case {
	const char *name;
	const char *doc;
	/* pv_error_format() of the error; a trailing "..." stands for
	 * text from the system (regerror), which differs between libcs */
	const char *message;
};

#define MEET(name, body) "{\"meetings\":{\"" name "\":{" body "}}}"

static const struct bad_case bad_cases[] = {
	/* unknown keys, at every depth */
	{ "unknown key nested", MEET("school_systemmote", "\"wekday\":\"thursday\""),
	  "rules.json: meetings.school_systemmote.wekday: unknown key" },
	{ "unknown key top", "{\"fravær\":{}}", "rules.json: fravær: unknown key" },
	{ "unknown meeting", "{\"meetings\":{\"kaffe\":{}}}",
	  "rules.json: meetings.kaffe: unknown key" },
	{ "unknown key in element",
	  "{\"kindergarten_closed\":[{\"from\":\"07-01\",\"to\":\"07-31\"},"
	  "{\"from\":\"12-24\",\"to\":\"12-31\",\"note\":\"jul\"}]}",
	  "rules.json: kindergarten_closed[1].note: unknown key" },
	{ "missing key in element", "{\"kindergarten_closed\":[{\"from\":\"07-01\"}]}",
	  "rules.json: kindergarten_closed[0].to: key is missing" },
	{ "control bytes in key", "{\"a\\u001bb\":1}", "rules.json: a?b: unknown key" },

	/* types */
	{ "string for integer", "{\"fravaer\":{\"day_minutes\":\"360\"}}",
	  "rules.json: fravaer.day_minutes: expected an integer, got a string '360'" },
	{ "real for integer", "{\"fravaer\":{\"day_minutes\":360.0}}",
	  "rules.json: fravaer.day_minutes: expected an integer, got a real number '360.0'" },
	{ "scalar for object", "{\"fravaer\":3}",
	  "rules.json: fravaer: expected an object, got an integer '3'" },
	{ "string for array", "{\"themes\":\"rus\"}",
	  "rules.json: themes: expected an array, got a string 'rus'" },
	{ "array for string", "{\"recipient\":[\"a\"]}",
	  "rules.json: recipient: expected a string, got an array" },
	{ "element type", "{\"themes\":[\"rus\",7]}",
	  "rules.json: themes[1]: expected a string, got an integer '7'" },
	{ "element type of empty default", "{\"anonymity\":{\"deny_patterns\":[true]}}",
	  "rules.json: anonymity.deny_patterns[0]: expected a string, got a boolean 'true'" },
	{ "object element of empty default",
	  MEET("kindergarten_systemmote", "\"fallback_weekdays\":[{}]"),
	  "rules.json: meetings.kindergarten_systemmote.fallback_weekdays[0]: "
	  "expected a string, got an object" },
	{ "null", "{\"clash_policy\":null}", "rules.json: clash_policy: expected a string, got null" },
	{ "string for element object", "{\"kindergarten_closed\":[\"07-01\"]}",
	  "rules.json: kindergarten_closed[0]: expected an object, got a string '07-01'" },

	/* times and weekdays */
	{ "end before start", MEET("school_systemmote", "\"end\":\"12:00\""),
	  "rules.json: meetings.school_systemmote.end: end 12:00 is not after start 12:30" },
	{ "end equals start", MEET("naervaer", "\"start\":\"15:00\""),
	  "rules.json: meetings.naervaer.end: end 15:00 is not after start 15:00" },
	{ "bad weekday", MEET("naervaer", "\"weekday\":\"funday\""),
	  "rules.json: meetings.naervaer.weekday: 'funday' is not a weekday" },
	{ "bad fallback weekday",
	  MEET("school_systemmote", "\"fallback_weekdays\":[\"monday\",\"someday\"]"),
	  "rules.json: meetings.school_systemmote.fallback_weekdays[1]: "
	  "'someday' is not a weekday" },
	{ "fallback is own weekday",
	  MEET("school_systemmote", "\"fallback_weekdays\":[\"torsdag\"]"),
	  "rules.json: meetings.school_systemmote.fallback_weekdays[0]: "
	  "'torsdag' is the meeting's own weekday" },
	{ "fallback twice",
	  MEET("school_systemmote", "\"fallback_weekdays\":[\"tuesday\",\"tirsdag\"]"),
	  "rules.json: meetings.school_systemmote.fallback_weekdays[1]: "
	  "'tirsdag' appears twice" },
	{ "bad hour", MEET("god_oppvekst", "\"start\":\"25:00\""),
	  "rules.json: meetings.god_oppvekst.start: '25:00' is not a time (HH:MM)" },
	{ "short time", MEET("apen_dor", "\"start\":\"9:00\""),
	  "rules.json: meetings.apen_dor.start: '9:00' is not a time (HH:MM)" },
	{ "past midnight", MEET("apen_dor", "\"start\":\"23:00\""),
	  "rules.json: meetings.apen_dor.minutes: start 23:00 plus 120 minutes ends after midnight" },

	/* month-days */
	{ "february 30", "{\"plan_deadline\":\"02-30\"}",
	  "rules.json: plan_deadline: '02-30' is not a month and day (MM-DD)" },
	{ "full date for month-day", "{\"report_deadlines\":{\"H2\":\"2026-12-15\"}}",
	  "rules.json: report_deadlines.H2: '2026-12-15' is not a month and day (MM-DD)" },
	{ "month 13", "{\"kindergarten_closed\":[{\"from\":\"13-01\",\"to\":\"13-31\"}]}",
	  "rules.json: kindergarten_closed[0].from: '13-01' is not a month and day (MM-DD)" },
	{ "april 31", "{\"remind\":{\"plan_warning_from\":\"04-31\"}}",
	  "rules.json: remind.plan_warning_from: '04-31' is not a month and day (MM-DD)" },
	{ "unknown half", "{\"report_deadlines\":{\"H3\":\"12-15\"}}",
	  "rules.json: report_deadlines.H3: unknown key" },

	/* integer ranges */
	{ "min per half too high", MEET("school_systemmote", "\"min_per_half\":25"),
	  "rules.json: meetings.school_systemmote.min_per_half: 25 is out of range 1..20" },
	{ "min per half zero", MEET("kindergarten_systemmote", "\"min_per_half\":0"),
	  "rules.json: meetings.kindergarten_systemmote.min_per_half: 0 is out of range 1..20" },
	{ "group size 1", MEET("kindergarten_systemmote", "\"group_size\":1"),
	  "rules.json: meetings.kindergarten_systemmote.group_size: 1 is out of range 2..10" },
	{ "day minutes 1441", "{\"fravaer\":{\"day_minutes\":1441}}",
	  "rules.json: fravaer.day_minutes: 1441 is out of range 1..1440" },
	{ "window percent 0", "{\"fravaer\":{\"window_percent\":0}}",
	  "rules.json: fravaer.window_percent: 0 is out of range 1..100" },
	{ "suppress below 101", "{\"report\":{\"suppress_below\":101}}",
	  "rules.json: report.suppress_below: 101 is out of range 0..100" },
	{ "negative", "{\"report\":{\"suppress_below\":-1}}",
	  "rules.json: report.suppress_below: -1 is out of range 0..100" },
	{ "minimum above maximum", MEET("god_oppvekst", "\"min_per_school_year\":4"),
	  "rules.json: meetings.god_oppvekst.min_per_school_year: "
	  "min_per_school_year 4 is greater than per_school_year 3" },
	{ "window shorter than its minimum", "{\"fravaer\":{\"window_min_school_days\":30}}",
	  "rules.json: fravaer.window_min_school_days: "
	  "window_min_school_days 30 is greater than window_days 28" },

	/* choices */
	{ "bad clash policy", "{\"clash_policy\":\"ignore\"}",
	  "rules.json: clash_policy: 'ignore' is not one of: fail, substitute" },
	{ "enum is case-sensitive", MEET("naervaer", "\"iso_weeks\":\"ODD\""),
	  "rules.json: meetings.naervaer.iso_weeks: 'ODD' is not one of: odd, even, all" },

	/* regexes */
	{ "bad regex", "{\"anonymity\":{\"deny_patterns\":[\"[0-9]{11}\",\"a(b\"]}}",
	  "rules.json: anonymity.deny_patterns[1]: 'a(b' is not a POSIX extended "
	  "regular expression: ..." },
	{ "empty regex", "{\"anonymity\":{\"deny_patterns\":[\"\"]}}",
	  "rules.json: anonymity.deny_patterns[0]: must not be empty" },

	/* roles and themes */
	{ "no school roles", "{\"roles\":{\"school\":[]}}", "rules.json: roles.school: must not be empty" },
	{ "bad slug", "{\"roles\":{\"kindergarten\":[\"styrer\",\"Pedagogisk leder\"]}}",
	  "rules.json: roles.kindergarten[1]: 'Pedagogisk leder' is not a role name "
	  "(a-z, 0-9 and '-')" },
	{ "empty slug", "{\"roles\":{\"school_leader\":\"\"}}",
	  "rules.json: roles.school_leader: '' is not a role name (a-z, 0-9 and '-')" },
	{ "duplicate slug", "{\"roles\":{\"school\":[\"rektor\",\"radgiver\",\"rektor\"]}}",
	  "rules.json: roles.school[2]: 'rektor' appears twice" },
	{ "leader not a role", "{\"roles\":{\"school_leader\":\"leder\"}}",
	  "rules.json: roles.school_leader: 'leder' is not listed in roles.school" },
	{ "ungdomstrinn role not a school role",
	  "{\"roles\":{\"school\":[\"rektor\",\"ppt-radgiver\"]}}",
	  "rules.json: roles.ungdomstrinn_only[0]: 'radgiver' is not listed in roles.school" },
	{ "empty theme", "{\"themes\":[\"rus\",\"\"]}", "rules.json: themes[1]: must not be empty" },
	{ "duplicate theme", "{\"themes\":[\"rus\",\"språk\",\"rus\"]}",
	  "rules.json: themes[2]: 'rus' appears twice" },
	{ "no themes", "{\"themes\":[]}", "rules.json: themes: must not be empty" },
	{ "control character", "{\"themes\":[\"rus\",\"a\\u001b[31mb\"]}",
	  "rules.json: themes[1]: contains a control character" },
	{ "long value cut at a character",
	  MEET("naervaer", "\"weekday\":\"x"
	  "\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6"
	  "\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6"
	  "\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\u00e6\""),
	  "rules.json: meetings.naervaer.weekday: 'x"
	  "æææææææææææææææææææææææææææææ...' is not a weekday" },
	{ "empty recipient", "{\"recipient\":\"\"}", "rules.json: recipient: must not be empty" },

	/* schema */
	{ "wrong schema", "{\"schema\":\"patvers/rules/2\"}",
	  "rules.json: schema: expected 'patvers/rules/1', got 'patvers/rules/2'" },
	{ "schema not a string", "{\"schema\":1}",
	  "rules.json: schema: expected a string, got an integer '1'" },
	{ "schema reported first", "{\"bogus\":1,\"schema\":\"patvers/plan/1\"}",
	  "rules.json: schema: expected 'patvers/rules/1', got 'patvers/plan/1'" },

	/* syntax, with line and column */
	{ "duplicate key",
	  "{\n  \"clash_policy\": \"fail\",\n  \"clash_policy\": \"substitute\"\n}",
	  "rules.json:3:16: duplicate object key near '\"clash_policy\"'" },
	{ "duplicate nested key", "{\"log\": {\"grace_days\": 1,\n\"grace_days\": 2}}",
	  "rules.json:2:12: duplicate object key near '\"grace_days\"'" },
	{ "trailing comma", "{\n  \"log\": { \"grace_days\": 3, }\n}",
	  "rules.json:2:29: string or '}' expected near '}'" },
	{ "trailing garbage", "{\"log\": {}} x", "rules.json:1:13: end of file expected near 'x'" },
	{ "bad utf-8", "{\"method\": \"\xff\"}", "rules.json:1:12: unable to decode byte 0xff near '\"'" },
	{ "empty input", "", "rules.json:1: '[' or '{' expected near end of file" },
	{ "top-level array", "[]", "rules.json: expected a JSON object at the top level, got an array" },
};

static void test_bad_case(void **state)
{
	const struct bad_case *c = *state;
	struct pv_rules *r = (struct pv_rules *)1;
	struct pv_error err;
	size_t n = strlen(c->message);
	bool prefix = n > 3 && strcmp(c->message + n - 3, "...") == 0;
	char msg[1200];

	assert_int_equal(parse(c->doc, &r, &err), PV_EDATA);
	assert_int_equal(err.status, PV_EDATA);
	assert_null(r);
	pv_error_format(&err, msg, sizeof msg);
	if (prefix ? strncmp(msg, c->message, n - 3) != 0 : strcmp(msg, c->message) != 0)
		fail_msg("got      \"%s\"\nexpected \"%s\"", msg, c->message);
}

/* ---- storage -------------------------------------------------------- */

struct dbfix {
	char dir[64];
	char path[96];
	struct pv_db *db;
};

static int db_setup(void **state)
{
	struct dbfix *f = calloc(1, sizeof *f);
	struct pv_error err;

	pv_error_clear(&err);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/test-rules-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/patvers.db", f->dir);
	if (pv_db_open(f->path, PV_DB_CREATE, 5000, &f->db, &err) != PV_OK) {
		print_error("pv_db_open: %s\n", err.message);
		return -1;
	}
	if (pv_db_set_actor(f->db, "tester", "patvers rules import", &err) != PV_OK)
		return -1;
	pv_db_set_clock(f->db, 1795000000);
	*state = f;
	return 0;
}

static int db_teardown(void **state)
{
	struct dbfix *f = *state;
	char path[128];

	if (!f)
		return 0;
	pv_db_close(f->db);
	unlink(f->path);
	snprintf(path, sizeof path, "%s-wal", f->path);
	unlink(path);
	snprintf(path, sizeof path, "%s-shm", f->path);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void store(struct pv_db *db, const struct pv_rules *r)
{
	struct pv_error err;

	pv_error_clear(&err);
	assert_int_equal(pv_db_begin(db, &err), PV_OK);
	if (pv_rules_store(db, r, &err) != PV_OK) {
		pv_db_rollback(db);
		fail_msg("store: %s", err.message);
	}
	assert_int_equal(pv_db_commit(db, &err), PV_OK);
}

static struct pv_rules *load(struct pv_db *db)
{
	struct pv_rules *r = NULL;
	struct pv_error err;

	pv_error_clear(&err);
	if (pv_rules_load(db, &r, &err) != PV_OK)
		fail_msg("load: %s", err.message);
	return r;
}

static void test_load_absent_is_default(void **state)
{
	struct dbfix *f = *state;
	struct pv_rules *r = load(f->db), *d = defaults();

	assert_true(json_equal((json_t *)pv_rules_json(r), (json_t *)pv_rules_json(d)));
	pv_rules_free(r);
	pv_rules_free(d);
}

static void last_summary(const struct pv_audit_row *row, void *arg)
{
	snprintf(arg, 1024, "%s|%s", row->entity, row->summary);
}

static void test_store_load_roundtrip(void **state)
{
	struct dbfix *f = *state;
	struct pv_rules *r = parse_ok("{ \"clash_policy\": \"substitute\","
				      "  \"fravaer\": { \"day_minutes\": 300 },"
				      "  \"themes\": [\"rus\"] }");
	struct pv_rules *back;
	struct pv_error err;
	char summary[1024] = "";

	store(f->db, r);
	back = load(f->db);
	assert_true(json_equal((json_t *)pv_rules_json(r), (json_t *)pv_rules_json(back)));
	assert_int_equal(pv_rules_int(back, "fravaer.day_minutes"), 300);
	pv_error_clear(&err);
	assert_int_equal(pv_audit_list(f->db, NULL, last_summary, summary, &err), PV_OK);
	assert_string_equal(summary, "rules|imported rules: 3 values differ from the defaults "
			    "(clash_policy, themes, fravaer.day_minutes)");
	pv_rules_free(r);
	pv_rules_free(back);
}

/* A second import replaces the first (one row) and is audited too. */
static void test_store_twice(void **state)
{
	struct dbfix *f = *state;
	struct pv_rules *a = parse_ok("{ \"clash_policy\": \"substitute\" }");
	struct pv_rules *b = defaults(), *back;
	struct pv_error err;
	char summary[1024] = "";
	sqlite3_stmt *stmt;

	store(f->db, a);
	store(f->db, b);
	back = load(f->db);
	assert_string_equal(pv_rules_str(back, "clash_policy"), "fail");
	pv_error_clear(&err);
	assert_int_equal(pv_audit_list(f->db, NULL, last_summary, summary, &err), PV_OK);
	assert_string_equal(summary, "rules|imported rules: the same as the defaults");
	assert_int_equal(pv_db_prepare(f->db, "SELECT count(*) FROM rules", &stmt, &err), PV_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 1);
	sqlite3_finalize(stmt);
	pv_rules_free(a);
	pv_rules_free(b);
	pv_rules_free(back);
}

static void put_document(struct pv_db *db, const char *doc)
{
	struct pv_error err;
	sqlite3_stmt *stmt;

	pv_error_clear(&err);
	assert_int_equal(pv_db_prepare(db, "INSERT INTO rules (id, document) VALUES (1, ?)",
				       &stmt, &err), PV_OK);
	sqlite3_bind_text(stmt, 1, doc, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
	sqlite3_finalize(stmt);
}

/* A document stored by an older binary lacks keys added since: they
 * take today's defaults. */
static void test_load_older_document(void **state)
{
	struct dbfix *f = *state;
	struct pv_rules *r;

	put_document(f->db, "{ \"schema\": \"patvers/rules/1\", \"clash_policy\": \"substitute\","
			    "  \"report\": { \"suppress_below\": 5 } }");
	r = load(f->db);
	assert_string_equal(pv_rules_str(r, "clash_policy"), "substitute");
	assert_int_equal(pv_rules_int(r, "report.suppress_below"), 5);
	assert_int_equal(pv_rules_int(r, "fravaer.day_minutes"), 360);
	pv_rules_free(r);
}

static void test_load_bad_document(void **state)
{
	struct dbfix *f = *state;
	struct pv_rules *r = NULL;
	struct pv_error err;
	char msg[1200];

	put_document(f->db, "{ \"fravaer\": { \"day_minutes\": 0 } }");
	pv_error_clear(&err);
	assert_int_equal(pv_rules_load(f->db, &r, &err), PV_EDATA);
	assert_null(r);
	pv_error_format(&err, msg, sizeof msg);
	assert_string_equal(msg, "stored rules: fravaer.day_minutes: 0 is out of range 1..1440");
}

/* ---- running -------------------------------------------------------- */

/* One cmocka test per row of a case table, so each is reported by name. */
static int run_table(const char *group, const void *rows, size_t count, size_t row_size,
		     CMUnitTestFunction fn)
{
	struct CMUnitTest *tests = calloc(count, sizeof *tests);
	size_t i;
	int failed;

	if (!tests)
		return 1;
	for (i = 0; i < count; i++) {
		const char *row = (const char *)rows + i * row_size;
		tests[i].name = *(const char *const *)row;	/* first member: name */
		tests[i].test_func = fn;
		tests[i].initial_state = (void *)row;
	}
	failed = _cmocka_run_group_tests(group, tests, count, NULL, NULL);
	free(tests);
	return failed;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_loads),
		cmocka_unit_test(test_getters_arrays),
		cmocka_unit_test(test_getters_missing),
		cmocka_unit_test(test_merge_partial),
		cmocka_unit_test(test_merge_arrays_replace),
		cmocka_unit_test(test_empty_document_is_default),
		cmocka_unit_test(test_null_filename),
		cmocka_unit_test(test_parse_uses_length),
		cmocka_unit_test(test_dump_deterministic),
		cmocka_unit_test(test_dump_key_order),
	};
	const struct CMUnitTest db_tests[] = {
		cmocka_unit_test_setup_teardown(test_load_absent_is_default, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_store_load_roundtrip, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_store_twice, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_load_older_document, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_load_bad_document, db_setup, db_teardown),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("rules", tests, NULL, NULL);
	failed += run_table("rules: accepted", good_cases,
			    sizeof good_cases / sizeof good_cases[0], sizeof good_cases[0],
			    test_good_case);
	failed += run_table("rules: refused", bad_cases,
			    sizeof bad_cases / sizeof bad_cases[0], sizeof bad_cases[0],
			    test_bad_case);
	failed += cmocka_run_group_tests_name("rules: storage", db_tests, NULL, NULL);
	return failed ? 1 : 0;
}
