/* Unit tests for the anonymity guard: mod-11 national ids, phones, e-mail, deny patterns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "patvers/anonymity.h"
#include "patvers/rules.h"

/*
 * The test's own mod-11 algorithm (Skatteetaten), independent of the
 * library: the check digits for the first nine digits, false when a
 * check digit would be 10 (no such number is issued).
 */
static bool make_check_digits(const char nine[9], char out[12])
{
	static const int w1[9] = { 3, 7, 6, 1, 8, 9, 4, 5, 2 };
	static const int w2[10] = { 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 };
	int s1 = 0, s2 = 0, k1, k2;

	for (int i = 0; i < 9; i++) {
		s1 += w1[i] * (nine[i] - '0');
		s2 += w2[i] * (nine[i] - '0');
	}
	k1 = 11 - s1 % 11;
	if (k1 == 11)
		k1 = 0;
	if (k1 == 10)
		return false;
	s2 += w2[9] * k1;
	k2 = 11 - s2 % 11;
	if (k2 == 11)
		k2 = 0;
	if (k2 == 10)
		return false;
	memcpy(out, nine, 9);
	out[9] = (char)('0' + k1);
	out[10] = (char)('0' + k2);
	out[11] = '\0';
	return true;
}

/* The first valid number for day.month.yy (day + 40 for a D-number) with
 * an individual number from `from` on. */
static void make_number(int day, int month, int yy, int from, bool dnr, char out[12])
{
	char nine[64];

	for (int ind = from; ind < 1000; ind++) {
		snprintf(nine, sizeof nine, "%02d%02d%02d%03d", (day + (dnr ? 40 : 0)) % 100,
			 month % 100, yy % 100, ind % 1000);
		if (make_check_digits(nine, out))
			return;
	}
	fail_msg("no valid number for %02d.%02d.%02d", day, month, yy);
}

/* The same number with its last check digit wrong. */
static void break_check_digit(char number[12])
{
	number[10] = (char)('0' + (number[10] - '0' + 1) % 10);
}

static enum pv_status check(const struct pv_rules *rules, const char *text, struct pv_error *err)
{
	pv_error_clear(err);
	return pv_anonymity_check(rules, "theme", text, err);
}

static void test_generated_numbers_rejected(void **state)
{
	static const struct { int day, month, yy, from; } dates[] = {
		{ 1, 1, 10, 500 },    /* 2010 */
		{ 15, 3, 12, 0 },     /* 1912 */
		{ 31, 12, 99, 0 },
		{ 29, 2, 0, 500 },    /* 29.02.2000: individual 500–999 → a leap year */
		{ 29, 2, 4, 500 },    /* 29.02.2004 */
		{ 30, 6, 85, 900 },   /* 1985 from the 900 series */
		{ 7, 11, 60, 0 },
	};
	struct pv_error err;
	enum pv_anonymity_kind kind;
	char number[12], text[64];

	(void)state;
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		for (int dnr = 0; dnr <= 1; dnr++) {
			make_number(dates[i].day, dates[i].month, dates[i].yy, dates[i].from,
				    dnr, number);
			assert_true(pv_anonymity_id_number(number, &kind));
			assert_int_equal(kind, dnr ? PV_ANON_DNR : PV_ANON_FNR);
			/* alone, inside text, and with a space after six digits */
			assert_int_equal(check(NULL, number, &err), PV_EDATA);
			snprintf(text, sizeof text, "elev %s trenger hjelp", number);
			assert_int_equal(check(NULL, text, &err), PV_EDATA);
			assert_null(strstr(err.message, number));
			snprintf(text, sizeof text, "fnr: %.6s %s.", number, number + 6);
			assert_int_equal(check(NULL, text, &err), PV_EDATA);
			assert_non_null(strstr(err.message, dnr ? "D-number" : "national identity"));
			/* a wrong check digit passes */
			break_check_digit(number);
			assert_false(pv_anonymity_id_number(number, NULL));
			snprintf(text, sizeof text, "elev %s", number);
			assert_int_equal(check(NULL, text, &err), PV_OK);
		}
	}
}

static void test_invalid_numbers_pass(void **state)
{
	struct pv_error err;
	char number[12], text[64];

	(void)state;
	/* the check digits are right, the date is not */
	make_number(31, 4, 20, 0, false, number);      /* 31 April */
	assert_int_equal(check(NULL, number, &err), PV_OK);
	make_number(0, 5, 20, 0, false, number);       /* day 00 */
	assert_int_equal(check(NULL, number, &err), PV_OK);
	make_number(12, 13, 20, 0, false, number);     /* month 13 */
	assert_int_equal(check(NULL, number, &err), PV_OK);
	make_number(29, 2, 0, 0, false, number);       /* 29.02.1900: individual < 500 */
	assert_int_equal(check(NULL, number, &err), PV_OK);
	make_number(32, 1, 20, 0, true, number);       /* D-number day 72 */
	assert_int_equal(check(NULL, number, &err), PV_OK);
	/* a valid number inside a longer digit run is another number */
	make_number(15, 3, 12, 0, false, number);
	snprintf(text, sizeof text, "1%s", number);
	assert_int_equal(check(NULL, text, &err), PV_OK);
	snprintf(text, sizeof text, "%s0", number);
	assert_int_equal(check(NULL, text, &err), PV_OK);
	/* two spaces or another separator are not the id's form */
	snprintf(text, sizeof text, "%.6s  %s", number, number + 6);
	assert_int_equal(check(NULL, text, &err), PV_OK);
	assert_int_equal(check(NULL, "00000000000", &err), PV_OK);
	assert_false(pv_anonymity_id_number("1503121014", NULL));
	assert_false(pv_anonymity_id_number("150312101400", NULL));
	assert_false(pv_anonymity_id_number("1503121014a", NULL));
}

static void test_masked_message(void **state)
{
	struct pv_error err;
	char number[12], text[64], want[128];

	(void)state;
	make_number(15, 3, 12, 0, false, number);
	snprintf(text, sizeof text, "elev %s", number);
	assert_int_equal(check(NULL, text, &err), PV_EDATA);
	assert_string_equal(err.message,
			    "theme: looks like a national identity number: \"elev ***********\"");
	/* the space form masks its space too; UTF-8 stays whole */
	snprintf(text, sizeof text, "på %.6s %s", number, number + 6);
	assert_int_equal(check(NULL, text, &err), PV_EDATA);
	snprintf(want, sizeof want, "theme: looks like a national identity number: "
		 "\"på ************\"");
	assert_string_equal(err.message, want);
	/* no field: the message starts with the reason */
	assert_int_equal(pv_anonymity_check(NULL, NULL, "ring 46 91 97 33", &err), PV_EDATA);
	assert_string_equal(err.message, "looks like a phone number: \"ring ***********\"");
	/* control characters are shown as '?' */
	assert_int_equal(check(NULL, "a\tb\x1b[31m 46919733", &err), PV_EDATA);
	assert_string_equal(err.message, "theme: looks like a phone number: "
			    "\"a?b?[31m ********\"");
	/* every hit is masked, not only the first */
	assert_int_equal(check(NULL, "46919733 og ola@x.no", &err), PV_EDATA);
	assert_string_equal(err.message, "theme: looks like a phone number: "
			    "\"******** og ********\"");
}

static void test_long_text_is_cut(void **state)
{
	struct pv_error err;
	char number[12], *text = malloc(5001);

	(void)state;
	make_number(1, 1, 10, 500, false, number);
	memset(text, 'a', 5000);
	memcpy(text + 2500, " ", 1);
	memcpy(text + 2501, number, 11);
	memcpy(text + 2512, " ", 1);
	text[5000] = '\0';
	assert_int_equal(check(NULL, text, &err), PV_EDATA);
	assert_null(strstr(err.message, number));
	assert_non_null(strstr(err.message, "…"));
	assert_non_null(strstr(err.message, "***********"));
	assert_true(strlen(err.message) < 500);
	free(text);
}

static void test_phone_numbers(void **state)
{
	static const char *const rejected[] = {
		"46919733", "46 91 97 33", "913 11 173", "+47 46919733", "+4746919733",
		"0047 46 91 97 33", "004746919733", "ring (22 33 44 55) i dag", "tlf:91311173.",
		"+47 913 11 173",
	};
	static const char *const accepted[] = {
		"12345678",            /* Norwegian numbers start with 2–9 */
		"06919733",
		"2026-11-23", "23.11.2026", "2026/27", "skoleåret 2026 2027",
		"kl. 12:30–14:00", "3 elever, 12 saker", "469197331",   /* nine digits */
		"4691973", "46-91-97-33", "46 91 97", "1 2 3 4 5 6 7 8",
	};
	struct pv_error err;
	bool found;
	struct pv_anonymity_hit hit;

	(void)state;
	for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; i++) {
		assert_int_equal(pv_anonymity_find(NULL, rejected[i], &found, &hit, &err), PV_OK);
		if (!found)
			fail_msg("'%s' was not found", rejected[i]);
		assert_int_equal(hit.kind, PV_ANON_PHONE);
	}
	for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
		if (check(NULL, accepted[i], &err) != PV_OK)
			fail_msg("'%s' was refused: %s", accepted[i], err.message);
	}
	/* the span covers the prefix */
	assert_int_equal(pv_anonymity_find(NULL, "ring +47 46919733", &found, &hit, &err), PV_OK);
	assert_int_equal(hit.start, 5);
	assert_int_equal(hit.len, 12);
}

static void test_email(void **state)
{
	static const char *const rejected[] = {
		"ola.nordmann@skole.no", "skriv til ola@x.no.", "<kari+bv@kommune.example>",
		"ærlig@skole.no",
	};
	static const char *const accepted[] = {
		"ola@", "@home", "a@b", "x@y.n", "møte @ 12", "e-post sendes", "user@.no",
	};
	struct pv_error err;
	bool found;
	struct pv_anonymity_hit hit;

	(void)state;
	for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; i++) {
		assert_int_equal(pv_anonymity_find(NULL, rejected[i], &found, &hit, &err), PV_OK);
		if (!found || hit.kind != PV_ANON_EMAIL)
			fail_msg("'%s' was not found as an address", rejected[i]);
	}
	assert_int_equal(pv_anonymity_find(NULL, "skriv til ola@x.no.", &found, &hit, &err),
			 PV_OK);
	assert_int_equal(hit.start, 10);
	assert_int_equal(hit.len, 8);     /* the full stop is not part of it */
	for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++)
		if (check(NULL, accepted[i], &err) != PV_OK)
			fail_msg("'%s' was refused: %s", accepted[i], err.message);
}

static void test_deny_patterns(void **state)
{
	static const char doc[] =
		"{\"anonymity\": {\"deny_patterns\": [\"elev(nr|nummer) *[0-9]+\", \"x*\"]}}";
	struct pv_rules *rules;
	struct pv_error err;
	bool found;
	struct pv_anonymity_hit hit;

	(void)state;
	assert_int_equal(pv_rules_parse(doc, strlen(doc), "rules.json", &rules, &err), PV_OK);
	assert_int_equal(check(rules, "Elevnummer 4711 er borte", &err), PV_EDATA);
	assert_string_equal(err.message, "theme: matches anonymity.deny_patterns[0]: "
			    "\"*************** er borte\"");
	assert_int_equal(pv_anonymity_find(rules, "ny elevnr 12", &found, &hit, &err), PV_OK);
	assert_true(found);
	assert_int_equal(hit.kind, PV_ANON_DENY);
	assert_int_equal(hit.pattern, 0);
	assert_int_equal(hit.start, 3);
	/* "x*" matches the empty string everywhere: only real text is a hit */
	assert_int_equal(check(rules, "skolevegring", &err), PV_OK);
	assert_int_equal(check(rules, "taxi", &err), PV_EDATA);
	assert_non_null(strstr(err.message, "deny_patterns[1]"));
	/* the built-in kinds still apply, and win a tie at one position */
	assert_int_equal(pv_anonymity_find(rules, "46919733", &found, &hit, &err), PV_OK);
	assert_int_equal(hit.kind, PV_ANON_PHONE);
	/* without rules: no deny patterns */
	assert_int_equal(check(NULL, "elevnummer 4711", &err), PV_OK);
	pv_rules_free(rules);
}

static void test_empty_and_null(void **state)
{
	struct pv_error err;
	bool found = true;

	(void)state;
	assert_int_equal(check(NULL, NULL, &err), PV_OK);
	assert_int_equal(check(NULL, "", &err), PV_OK);
	assert_int_equal(pv_anonymity_find(NULL, NULL, &found, NULL, &err), PV_OK);
	assert_false(found);
	assert_string_equal(pv_anonymity_kind_name(PV_ANON_DNR), "dnr");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_numbers_rejected),
		cmocka_unit_test(test_invalid_numbers_pass),
		cmocka_unit_test(test_masked_message),
		cmocka_unit_test(test_long_text_is_cut),
		cmocka_unit_test(test_phone_numbers),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_deny_patterns),
		cmocka_unit_test(test_empty_and_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
