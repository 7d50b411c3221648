/* Unit tests for lib/fravaer.c: each criterion at its boundary, first dates, validation, hashes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "patvers/calendar.h"
#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/fravaer.h"
#include "patvers/rules.h"

#define HEAD "student,school,date,type,minutes,documented,reason\n"

/* ---- helpers ---- */

static pv_date day(const char *text)
{
	pv_date d = 0;

	if (!pv_date_parse(text, &d))
		fail_msg("bad date in test: '%s'", text);
	return d;
}

static struct pv_fravaer_params defaults(void)
{
	struct pv_fravaer_params p;
	struct pv_rules *rules;
	struct pv_error err;

	assert_int_equal(pv_rules_default(&rules, &err), PV_OK);
	pv_fravaer_params_from_rules(rules, &p);
	pv_rules_free(rules);
	return p;
}

/* A screening run on CSV text; the fallback calendar unless `db` has one. */
struct run {
	struct pv_calendar *cal;
	struct pv_fravaer *f;
	struct pv_error err;
	enum pv_status status;
};

static void run_with(struct run *r, struct pv_db *db, const struct pv_fravaer_params *p,
		     const char *as_of, const char *school, const char *csv)
{
	struct pv_fravaer_options o = { .params = p ? *p : defaults(), .as_of = day(as_of),
					.school = school };

	memset(r, 0, sizeof *r);
	assert_int_equal(pv_calendar_load(db, pv_school_year_of(o.as_of), &r->cal, &r->err),
			 PV_OK);
	assert_int_equal(pv_fravaer_new(&o, r->cal, &r->f, &r->err), PV_OK);
	r->status = pv_fravaer_read_buffer(r->f, csv, strlen(csv), "in.csv", &r->err);
	if (r->status == PV_OK)
		r->status = pv_fravaer_finish(r->f, &r->err);
}

static void run(struct run *r, const char *as_of, const char *csv)
{
	run_with(r, NULL, NULL, as_of, NULL, csv);
	if (r->status != PV_OK)
		fail_msg("screening failed: %s:%ld:%ld: %s", r->err.file, r->err.line,
			 r->err.column, r->err.message);
}

static void release(struct run *r)
{
	pv_fravaer_free(r->f);
	pv_calendar_free(r->cal);
}

static const struct pv_fravaer_flagged *find(const struct run *r, const char *school,
					     const char *student)
{
	for (size_t i = 0; i < pv_fravaer_flagged_count(r->f); i++) {
		const struct pv_fravaer_flagged *fl = pv_fravaer_flagged_at(r->f, i);
		if (strcmp(fl->school, school) == 0 && strcmp(fl->student, student) == 0)
			return fl;
	}
	return NULL;
}

/* The hit of one criterion for hof/e1, or NULL when not flagged for it. */
static const struct pv_fravaer_hit *hit_of(const struct run *r, enum pv_fravaer_criterion c)
{
	const struct pv_fravaer_flagged *fl = find(r, "hof", "e1");

	return fl && fl->hits[c].met ? &fl->hits[c] : NULL;
}

static void assert_hit(const struct run *r, enum pv_fravaer_criterion c, long long num,
		       long long den, const char *first)
{
	const struct pv_fravaer_hit *h = hit_of(r, c);
	char buf[11];

	if (!h)
		fail_msg("%s not met", pv_fravaer_code(c));
	assert_string_equal(pv_date_format(h->first, buf), first);
	/* the same fraction, however it is written */
	if (h->num * den != num * h->den)
		fail_msg("%s: value %lld/%lld, want %lld/%lld", pv_fravaer_code(c), h->num,
			 h->den, num, den);
}

/* Growable CSV text. */
struct text {
	char s[65536];
	size_t len;
};

static void add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	t->len += (size_t)vsnprintf(t->s + t->len, sizeof t->s - t->len, fmt, ap);
	va_end(ap);
	assert_true(t->len < sizeof t->s);
}

/* n whole-day absences for hof/e1 on the school days from `from` on
 * (the fallback calendar: Monday–Friday minus public holidays). */
static void add_days(struct text *t, const char *from, int n, const char *extra)
{
	struct pv_calendar *cal;
	struct pv_error err;
	pv_date d = day(from);
	char buf[11];

	assert_int_equal(pv_calendar_load(NULL, pv_school_year_of(d), &cal, &err), PV_OK);
	for (int i = 0; i < n; d++) {
		if (!pv_calendar_is_school_day(cal, "hof", d))
			continue;
		add(t, "e1,hof,%s,absent,,%s\n", pv_date_format(d, buf), extra);
		i++;
	}
	pv_calendar_free(cal);
}

/* ---- undocumented ---- */

static void test_undocumented_boundary(void **state)
{
	struct text t = { .len = 0 };
	struct run r;

	(void)state;
	add(&t, HEAD);
	add(&t, "e1,hof,2026-09-01,absent,,no,\n");
	add(&t, "e1,hof,2026-09-01,absent,,,\n");        /* same date: still one */
	add(&t, "e1,hof,2026-09-02,absent,60,yes,\n");   /* documented: not counted */
	add(&t, "e1,hof,2026-09-03,late,,no,\n");        /* not an absence */
	add(&t, "e1,hof,2026-09-08,absent,30,,illness\n");  /* illness counts too */
	run(&r, "2026-11-23", t.s);
	assert_null(hit_of(&r, PV_FRV_UNDOCUMENTED));   /* 2 dates */
	release(&r);

	add(&t, "e1,hof,2026-09-10,absent,,nei,\n");
	run(&r, "2026-11-23", t.s);
	assert_hit(&r, PV_FRV_UNDOCUMENTED, 3, 1, "2026-09-10");
	release(&r);
	/* the 3rd date in date order, whatever the row order */
	add(&t, "e1,hof,2026-08-31,absent,,,\n");
	run(&r, "2026-11-23", t.s);
	assert_hit(&r, PV_FRV_UNDOCUMENTED, 4, 1, "2026-09-08");
	release(&r);
}

/* ---- high_absence ---- */

static void test_high_absence_boundary(void **state)
{
	struct text t = { .len = 0 };
	struct run r;

	(void)state;
	/* 9 days + 359 minutes = 9.997 days: not yet */
	add(&t, HEAD);
	add_days(&t, "2026-09-01", 9, "yes,");
	add(&t, "e1,hof,2026-09-14,absent,359,yes,\n");
	run(&r, "2026-11-23", t.s);
	assert_null(hit_of(&r, PV_FRV_HIGH_ABSENCE));
	release(&r);
	/* one more minute on a later date: 10 days exactly, first that date */
	add(&t, "e1,hof,2026-10-01,late,1,yes,\n");
	run(&r, "2026-11-23", t.s);
	assert_hit(&r, PV_FRV_HIGH_ABSENCE, 3600, 360, "2026-10-01");
	assert_true(pv_fravaer_value(PV_FRV_HIGH_ABSENCE, hit_of(&r, PV_FRV_HIGH_ABSENCE)) ==
		    10.0);
	release(&r);
}

/* Partial days add up from minutes, and a date is capped at one day. */
static void test_partial_and_capped(void **state)
{
	struct text t = { .len = 0 };
	struct run r;

	(void)state;
	/* Sep 1–10: 8 days */
	add(&t, HEAD);
	add_days(&t, "2026-09-01", 8, "yes,");
	/* 180 + 180 minutes = one day: 9 */
	add(&t, "e1,hof,2026-09-11,absent,180,yes,\n");
	add(&t, "e1,hof,2026-09-11,left,180,yes,\n");
	/* duplicate rows: one day, 10 on Sep 14 */
	add(&t, "e1,hof,2026-09-14,absent,,yes,\n");
	add(&t, "e1,hof,2026-09-14,absent,,yes,\n");
	/* 300 + 300 minutes: capped at one day, 11 */
	add(&t, "e1,hof,2026-09-15,absent,300,yes,\n");
	add(&t, "e1,hof,2026-09-15,absent,300,yes,\n");
	run(&r, "2026-11-23", t.s);
	assert_hit(&r, PV_FRV_HIGH_ABSENCE, 11 * 360, 360, "2026-09-14");
	release(&r);
	/* --as-of Sep 11: 9 days, not yet */
	run(&r, "2026-09-11", t.s);
	assert_null(hit_of(&r, PV_FRV_HIGH_ABSENCE));
	release(&r);
	t.len = 0;
	/* late and left without minutes are no absence at all */
	t.len = 0;
	add(&t, HEAD);
	add_days(&t, "2026-09-01", 9, "yes,");
	add(&t, "e1,hof,2026-09-14,late,,yes,\n");
	add(&t, "e1,hof,2026-09-15,left,,yes,\n");
	run(&r, "2026-11-23", t.s);
	assert_null(hit_of(&r, PV_FRV_HIGH_ABSENCE));
	release(&r);
}

/* Illness counts for the 10 days, never for the 20 % rule. */
static void test_illness(void **state)
{
	struct text t = { .len = 0 };
	struct run r;

	(void)state;
	add(&t, HEAD);
	add_days(&t, "2026-09-01", 10, "yes,Sykdom");
	run(&r, "2026-11-23", t.s);
	assert_hit(&r, PV_FRV_HIGH_ABSENCE, 10, 1, "2026-09-14");
	assert_null(hit_of(&r, PV_FRV_ABSENCE_20PCT));
	release(&r);
	/* the same days for another reason meet both */
	t.len = 0;
	add(&t, HEAD);
	add_days(&t, "2026-09-01", 10, "yes,tannlege");
	run(&r, "2026-11-23", t.s);
	assert_hit(&r, PV_FRV_HIGH_ABSENCE, 10, 1, "2026-09-14");
	assert_non_null(hit_of(&r, PV_FRV_ABSENCE_20PCT));
	release(&r);
}

/* ---- absence_20pct ---- */

/*
 * With the fallback calendar the window ending Friday 2026-09-25 runs
 * from Saturday 08-29: Aug 31 and four full weeks but one day, S = 20
 * school days. Four days absent is exactly 20 %.
 */
static void test_share_exactly_20(void **state)
{
	struct text t = { .len = 0 };
	struct run r;

	(void)state;
	add(&t, HEAD);
	add(&t, "e1,hof,2026-09-22,absent,,yes,\n");
	add(&t, "e1,hof,2026-09-23,absent,,yes,\n");
	add(&t, "e1,hof,2026-09-24,absent,,yes,\n");
	add(&t, "e1,hof,2026-09-25,absent,359,yes,\n");
	run(&r, "2026-11-23", t.s);
	assert_null(hit_of(&r, PV_FRV_ABSENCE_20PCT));   /* 1439 of 7200 minutes */
	release(&r);

	add(&t, "e1,hof,2026-09-25,late,1,yes,\n");
	run(&r, "2026-11-23", t.s);
	assert_hit(&r, PV_FRV_ABSENCE_20PCT, 1, 5, "2026-09-25");
	assert_true(pv_fravaer_value(PV_FRV_ABSENCE_20PCT,
				     hit_of(&r, PV_FRV_ABSENCE_20PCT)) == 0.2);
	release(&r);
	/* --as-of the day before: the window is not reached yet */
	run(&r, "2026-09-24", t.s);
	assert_null(hit_of(&r, PV_FRV_ABSENCE_20PCT));
	release(&r);
}

/* Absence on a weekend or a public holiday is ignored: not in A, and
 * the day is not in S either. */
static void test_share_weekend_holiday(void **state)
{
	struct text t = { .len = 0 };
	struct run r;
	struct pv_fravaer_stats s;

	(void)state;
	add(&t, HEAD);
	add(&t, "e1,hof,2026-09-22,absent,,yes,\n");
	add(&t, "e1,hof,2026-09-23,absent,,yes,\n");
	add(&t, "e1,hof,2026-09-24,absent,,yes,\n");
	add(&t, "e1,hof,2026-09-26,absent,,no,\n");      /* Saturday */
	add(&t, "e1,hof,2026-09-27,absent,,no,\n");      /* Sunday */
	add(&t, "e1,hof,2026-12-25,absent,,no,\n");      /* Christmas Day, a Friday */
	run(&r, "2026-12-31", t.s);
	assert_null(hit_of(&r, PV_FRV_ABSENCE_20PCT));
	assert_null(hit_of(&r, PV_FRV_UNDOCUMENTED));
	pv_fravaer_get_stats(r.f, &s);
	assert_int_equal(s.non_school_day, 3);
	assert_int_equal(s.rows, 6);
	release(&r);
}

/*
 * Fewer school days in the window lower the bar: around Easter 2027
 * (fallback: skjærtorsdag 03-25, langfredag 03-26 and 2. påskedag 03-29
 * off) the window ending Wednesday 03-31 holds 17 school days, so 3.4
 * days (1224 minutes) are 20 %.
 */
static void test_share_holidays_shrink_s(void **state)
{
	struct text t = { .len = 0 };
	struct run r;

	(void)state;
	add(&t, HEAD);
	add(&t, "e1,hof,2027-03-30,absent,,yes,\n");
	add(&t, "e1,hof,2027-03-31,absent,,yes,\n");
	add(&t, "e1,hof,2027-03-24,absent,,yes,\n");
	add(&t, "e1,hof,2027-03-23,absent,143,yes,\n");
	run(&r, "2027-06-01", t.s);
	assert_null(hit_of(&r, PV_FRV_ABSENCE_20PCT));
	release(&r);
	t.len = 0;
	add(&t, HEAD);
	add(&t, "e1,hof,2027-03-30,absent,,yes,\n");
	add(&t, "e1,hof,2027-03-31,absent,,yes,\n");
	add(&t, "e1,hof,2027-03-24,absent,,yes,\n");
	add(&t, "e1,hof,2027-03-23,absent,144,yes,\n");
	run(&r, "2027-06-01", t.s);
	/* S = 17 on 03-31: Mar 4–5, 8–12, 15–19, 22–24, 30–31 */
	assert_hit(&r, PV_FRV_ABSENCE_20PCT, 1224, 17 * 360, "2027-03-31");
	release(&r);
}

/* A window needs window_min_school_days school days: early in the year
 * the window is cut at 1 August. */
static void test_share_min_school_days(void **state)
{
	struct text t = { .len = 0 };
	struct run r;

	(void)state;
	add(&t, HEAD);
	/* 1 Aug 2026 is a Saturday: school days Aug 3.. (fallback); Aug 3–14
	 * are the first 10 school days */
	add(&t, "e1,hof,2026-08-03,absent,,yes,\n");
	add(&t, "e1,hof,2026-08-04,absent,,yes,\n");
	run(&r, "2026-08-13", t.s);
	assert_null(hit_of(&r, PV_FRV_ABSENCE_20PCT));   /* S = 9 */
	release(&r);
	run(&r, "2026-08-14", t.s);
	assert_hit(&r, PV_FRV_ABSENCE_20PCT, 2, 10, "2026-08-14");
	release(&r);
}

/* ---- repeated_lateness and leaves_school ---- */

static void test_lateness_window(void **state)
{
	struct text t = { .len = 0 };
	struct run r;

	(void)state;
	/* 3 late dates over 29 days: no window of 28 holds them */
	add(&t, HEAD);
	add(&t, "e1,hof,2026-09-01,late,5,,\n");
	add(&t, "e1,hof,2026-09-15,late,,,\n");
	add(&t, "e1,hof,2026-09-15,late,,,\n");
	add(&t, "e1,hof,2026-09-29,late,,,\n");
	run(&r, "2026-11-23", t.s);
	assert_null(hit_of(&r, PV_FRV_REPEATED_LATENESS));
	release(&r);
	/* over 28 days, [d − 27, d]: met on the 3rd */
	t.len = 0;
	add(&t, HEAD);
	add(&t, "e1,hof,2026-09-28,late,,,\n");
	add(&t, "e1,hof,2026-09-01,late,,,\n");
	add(&t, "e1,hof,2026-09-15,late,,,\n");
	add(&t, "e1,hof,2026-10-05,late,,,\n");
	add(&t, "e1,hof,2026-10-06,late,,,\n");
	run(&r, "2026-11-23", t.s);
	/* the most in one window is 4 (Sep 15–Oct 6) */
	assert_hit(&r, PV_FRV_REPEATED_LATENESS, 4, 1, "2026-09-28");
	release(&r);
}

static void test_leaves(void **state)
{
	struct text t = { .len = 0 };
	struct run r;

	(void)state;
	add(&t, HEAD);
	add(&t, "e1,hof,2026-10-01,left,120,yes,\n");
	add(&t, "e1,hof,2026-10-01,left,,yes,\n");
	run(&r, "2026-11-23", t.s);
	assert_null(hit_of(&r, PV_FRV_LEAVES_SCHOOL));
	release(&r);
	add(&t, "e1,hof,2026-09-10,left,,,\n");
	add(&t, "e1,hof,2026-11-02,left,,,\n");
	run(&r, "2026-11-23", t.s);
	assert_hit(&r, PV_FRV_LEAVES_SCHOOL, 3, 1, "2026-10-01");
	release(&r);
}

/* ---- scope, order, aliases ---- */

static void test_scope_and_order(void **state)
{
	static const char csv[] = HEAD
		"b,hof,2026-10-01,left,,,\n"
		"b,hof,2026-10-02,left,,,\n"
		"a,hof,2026-10-01,left,,,\n"
		"a,hof,2026-10-02,left,,,\n"
		"Z,hof,2026-10-01,left,,,\n"
		"Z,hof,2026-10-02,left,,,\n"
		"a,botne,2026-10-01,left,,,\n"
		"a,botne,2026-10-02,left,,,\n"
		/* the same id at another school is another pupil */
		"a,åsgård,2026-10-01,left,,,\n"
		"c,hof,2026-07-31,left,,,\n"        /* last school year */
		"c,hof,2026-11-24,left,,,\n"        /* after --as-of */
		"c,hof,2026-11-23,left,,,\n";       /* on --as-of: counts */
	struct run r;
	struct pv_fravaer_stats s;
	const char *want[][2] = { { "botne", "a" }, { "hof", "Z" }, { "hof", "a" },
				  { "hof", "b" } };

	(void)state;
	run(&r, "2026-11-23", csv);
	assert_int_equal(pv_fravaer_flagged_count(r.f), 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(pv_fravaer_flagged_at(r.f, i)->school, want[i][0]);
		assert_string_equal(pv_fravaer_flagged_at(r.f, i)->student, want[i][1]);
	}
	assert_null(pv_fravaer_flagged_at(r.f, 4));
	pv_fravaer_get_stats(r.f, &s);
	assert_int_equal(s.rows, 12);
	assert_int_equal(s.outside, 2);
	assert_int_equal(s.students, 6);
	assert_int_equal(pv_fravaer_school_year(r.f), 2026);
	release(&r);

	run_with(&r, NULL, NULL, "2026-11-23", "hof", csv);
	assert_int_equal(r.status, PV_OK);
	assert_int_equal(pv_fravaer_flagged_count(r.f), 3);
	pv_fravaer_get_stats(r.f, &s);
	assert_int_equal(s.other_school, 3);
	release(&r);
}

/* Enough pupils that the criteria run in blocks on two threads: every
 * third pupil is flagged, whichever thread screened it, and the result
 * is in school order, then student order (byte order), whatever order
 * the pupils came in. */
static void test_many_pupils_in_order(void **state)
{
	static const char *const schools[] = { "vik", "Åsen", "botne", "hof", "Berg" };
	enum { PUPILS = 12000 };
	size_t cap = (size_t)PUPILS * 3 * 40 + 100, len = 0, want = 0;
	char *csv = malloc(cap);
	struct run r;

	(void)state;
	assert_non_null(csv);
	len += (size_t)snprintf(csv, cap, HEAD);
	for (int day = 5; day <= 7; day++) {   /* Monday to Wednesday */
		for (int k = 0; k < PUPILS; k++) {
			int who = (k * 7919) % PUPILS;   /* scrambled */

			/* flagged: 3 undocumented dates; others: documented */
			len += (size_t)snprintf(csv + len, cap - len, "p%d,%s,2026-10-0%d,absent,,%s,\n",
						who, schools[who % 5], day, who % 3 ? "ja" : "nei");
		}
	}
	assert_true(len < cap);
	run(&r, "2026-11-23", csv);
	for (int k = 0; k < PUPILS; k++)
		want += k % 3 == 0;
	assert_int_equal(pv_fravaer_flagged_count(r.f), want);
	for (size_t i = 0; i < want; i++) {
		const struct pv_fravaer_flagged *fl = pv_fravaer_flagged_at(r.f, i);
		int who = atoi(fl->student + 1);

		assert_int_equal(who % 3, 0);
		assert_string_equal(fl->school, schools[who % 5]);
		assert_true(fl->hits[PV_FRV_UNDOCUMENTED].met);
		assert_int_equal(fl->hits[PV_FRV_UNDOCUMENTED].num, 3);
		if (i) {
			const struct pv_fravaer_flagged *prev = pv_fravaer_flagged_at(r.f, i - 1);
			int c = strcmp(prev->school, fl->school);

			assert_true(c < 0 || (c == 0 && strcmp(prev->student, fl->student) < 0));
		}
	}
	release(&r);
	free(csv);
}

/* Norwegian headers and values, Excel's ';' and BOM, DD.MM.YYYY. */
static void test_aliases(void **state)
{
	static const char csv[] = "\xef\xbb\xbf"
		" Elev ;SKOLE;Dato;Type;Minutter;Dokumentert;Årsak;Klasse\r\n"
		"e1;hof;01.09.2026;FRAVÆR;;Nei;;5A\r\n"
		"e1;hof;02.09.2026; fravaer ;;0;;5A\r\n"
		"e1;hof;03.09.2026;Fravær;;false;syk;5A\r\n"
		"e1;hof;04.09.2026;fravær;;JA;;5A\r\n"
		"e1;hof;07.09.2026;forsent;;TRUE;;5A\r\n"
		"e1;hof;08.09.2026;Forsentkomming;;1;;5A\r\n"
		"e1;hof;09.09.2026;LATE;;yes;;5A\r\n"
		"e1;hof;10.09.2026;forlot;;;;5A\r\n"
		"e1;hof;11.09.2026;gått;;;;5A\r\n"
		"e1;hof;14.09.2026;GÅTT;;no;ILLNESS;5A\r\n";
	struct run r;

	(void)state;
	run(&r, "2026-11-23", csv);
	assert_hit(&r, PV_FRV_UNDOCUMENTED, 3, 1, "2026-09-03");
	assert_hit(&r, PV_FRV_REPEATED_LATENESS, 3, 1, "2026-09-09");
	assert_hit(&r, PV_FRV_LEAVES_SCHOOL, 3, 1, "2026-09-11");
	release(&r);

	/* "arsak" spelt without å, and a file without the optional columns */
	run(&r, "2026-11-23", "elev,skole,dato,type,arsak\ne1,hof,2026-09-01,late,syk\n");
	assert_int_equal(pv_fravaer_flagged_count(r.f), 0);
	release(&r);
}

/* Several inputs form one: each with its own header. */
static void test_several_files(void **state)
{
	struct pv_fravaer_options o = { .params = defaults(), .as_of = day("2026-11-23") };
	static const char a[] = "elev;skole;dato;type\ne1;hof;01.09.2026;fravær\n"
				"e1;hof;02.09.2026;fravær\n";
	static const char b[] = "type,date,school,student\nabsent,2026-09-03,hof,e1\n";
	struct pv_calendar *cal;
	struct pv_fravaer *f;
	struct pv_error err;

	(void)state;
	assert_int_equal(pv_calendar_load(NULL, 2026, &cal, &err), PV_OK);
	assert_int_equal(pv_fravaer_new(&o, cal, &f, &err), PV_OK);
	assert_int_equal(pv_fravaer_read_buffer(f, a, strlen(a), "a.csv", &err), PV_OK);
	assert_int_equal(pv_fravaer_read_buffer(f, b, strlen(b), "b.csv", &err), PV_OK);
	assert_int_equal(pv_fravaer_finish(f, &err), PV_OK);
	assert_int_equal(pv_fravaer_flagged_count(f), 1);
	assert_true(pv_fravaer_flagged_at(f, 0)->hits[PV_FRV_UNDOCUMENTED].met);
	/* reading after finish is a programming error */
	assert_int_equal(pv_fravaer_read_buffer(f, b, strlen(b), "b.csv", &err), PV_ESOFTWARE);
	pv_fravaer_free(f);
	pv_calendar_free(cal);
}

/* ---- validation: the whole file, FILE:LINE:COL, nothing reported ---- */

struct bad_case {
	const char *name;
	const char *csv;
	long line, column;
	const char *message;
};

static const struct bad_case bad_cases[] = {
	{ "missing column", "student,school,type\ne1,hof,absent\n", 1, 0,
	  "missing required column 'date'" },
	{ "two columns for one field", "elev,school,date,type,student\n", 1, 5,
	  "two columns for 'student'" },
	{ "too few fields", HEAD "e1,hof,2026-09-01,absent\n", 2, 5,
	  "the row has 4 fields, the header 7" },
	{ "too many fields", HEAD "e1,hof,2026-09-01,absent,,,,x\n", 2, 8,
	  "the row has 8 fields, the header 7" },
	{ "empty student", HEAD "e1,hof,2026-09-01,absent,,,\n  ,hof,2026-09-01,absent,,,\n",
	  3, 1, "empty student" },
	{ "empty school", HEAD "e1,,2026-09-01,absent,,,\n", 2, 2, "empty school" },
	{ "unknown type", HEAD "e1,hof,2026-09-01,sick,,,\n", 2, 4,
	  "unknown type (absent, late or left): 'sick'" },
	{ "empty type", HEAD "e1,hof,2026-09-01,,,,\n", 2, 4, "unknown type" },
	{ "negative minutes", HEAD "e1,hof,2026-09-01,absent,-5,,\n", 2, 5,
	  "minutes must be a whole number >= 0, not '-5'" },
	{ "fraction minutes", HEAD "e1,hof,2026-09-01,absent,1.5,,\n", 2, 5, "'1.5'" },
	{ "text minutes", HEAD "e1,hof,2026-09-01,absent,ti,,\n", 2, 5, "'ti'" },
	{ "no such date", HEAD "e1,hof,2026-02-29,absent,,,\n", 2, 3,
	  "not a date (YYYY-MM-DD or DD.MM.YYYY): '2026-02-29'" },
	{ "dotted no such date", HEAD "e1,hof,31.11.2026,absent,,,\n", 2, 3, "'31.11.2026'" },
	{ "short date", HEAD "e1,hof,2026-9-1,absent,,,\n", 2, 3, "'2026-9-1'" },
	{ "empty date", HEAD "e1,hof,,absent,,,\n", 2, 3, "not a date" },
	{ "bad documented", HEAD "e1,hof,2026-09-01,absent,,kanskje,\n", 2, 6,
	  "documented must be yes, no, ja, nei, 1, 0, true or false, not 'kanskje'" },
	/* rows outside the period are validated too */
	{ "outside the period", HEAD "e1,hof,2020-01-01,absent,,,\ne1,hof,2020-13-01,absent,,,\n",
	  3, 3, "'2020-13-01'" },
	{ "invalid UTF-8", HEAD "e1,Kjeld\xe5s,2026-09-01,absent,,,\n", 2, 2,
	  "iconv -f WINDOWS-1252 -t UTF-8" },
	{ "empty file", "", 1, 0, "empty file" },
	{ "broken quoting", HEAD "e1,\"hof,2026-09-01,absent,,,\n", 2, 2, "unterminated" },
};

static void test_validation(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct run r;

		run_with(&r, NULL, NULL, "2026-11-23", NULL, c->csv);
		if (r.status != PV_EDATA || strcmp(r.err.file, "in.csv") != 0 ||
		    r.err.line != c->line || r.err.column != c->column ||
		    !strstr(r.err.message, c->message))
			fail_msg("%s: got %d at %s:%ld:%ld: %s", c->name, r.status, r.err.file,
				 r.err.line, r.err.column, r.err.message);
		release(&r);
	}
}

/* A bad row after flagged ones: the caller gets the error, and the
 * screening refuses to finish into a report. */
static void test_validation_reports_nothing(void **state)
{
	static const char csv[] = HEAD "e1,hof,2026-10-01,left,,,\ne1,hof,2026-10-02,left,,,\n"
				  "e1,hof,2026-10-03,wrong,,,\n";
	struct run r;

	(void)state;
	run_with(&r, NULL, NULL, "2026-11-23", NULL, csv);
	assert_int_equal(r.status, PV_EDATA);
	assert_int_equal(pv_fravaer_flagged_count(r.f), 0);
	release(&r);
}

static void test_bad_options(void **state)
{
	struct pv_fravaer_options o = { .params = defaults(), .as_of = day("2027-08-01") };
	struct pv_calendar *cal;
	struct pv_fravaer *f;
	struct pv_error err;

	(void)state;
	assert_int_equal(pv_calendar_load(NULL, 2026, &cal, &err), PV_OK);
	assert_int_equal(pv_fravaer_new(&o, cal, &f, &err), PV_EUSAGE);
	assert_null(f);
	assert_string_equal(err.message, "the calendar is not of the school year 2027/28");
	o.as_of = day("2026-11-23");
	o.params.day_minutes = 0;
	assert_int_equal(pv_fravaer_new(&o, cal, &f, &err), PV_EUSAGE);
	pv_calendar_free(cal);
	assert_string_equal(pv_fravaer_code(PV_FRV_ABSENCE_20PCT), "absence_20pct");
	assert_null(pv_fravaer_code(PV_FRV_COUNT));
	assert_int_equal(pv_fravaer_decimals(PV_FRV_HIGH_ABSENCE), 2);
}

/* Thresholds come from the rules. */
static void test_thresholds_from_rules(void **state)
{
	static const char doc[] = "{ \"fravaer\": { \"undocumented_dates\": 2,"
				  " \"day_minutes\": 300, \"window_percent\": 10 } }";
	struct pv_fravaer_params p;
	struct pv_rules *rules;
	struct pv_error err;
	struct run r;
	struct text t = { .len = 0 };

	(void)state;
	assert_int_equal(pv_rules_parse(doc, strlen(doc), "r.json", &rules, &err), PV_OK);
	pv_fravaer_params_from_rules(rules, &p);
	pv_rules_free(rules);
	assert_int_equal(p.day_minutes, 300);
	assert_int_equal(p.high_absence_days, 10);
	add(&t, HEAD);
	add(&t, "e1,hof,2026-09-21,absent,,,\n");
	add(&t, "e1,hof,2026-09-22,absent,,,\n");
	run_with(&r, NULL, &p, "2026-11-23", NULL, t.s);
	assert_int_equal(r.status, PV_OK);
	assert_hit(&r, PV_FRV_UNDOCUMENTED, 2, 1, "2026-09-22");
	/* 2 of 20 school days is 10 % */
	assert_hit(&r, PV_FRV_ABSENCE_20PCT, 1, 10, "2026-09-22");
	release(&r);
}

/* ---- a planning day for one school (calendar from the database) ---- */

struct dbfix {
	char dir[64];
	char path[128];
	struct pv_db *db;
};

static void raw_sql(struct pv_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(pv_db_handle(db), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("sql failed: %s", msg ? msg : "?");
}

static int db_setup(void **state)
{
	struct dbfix *f = calloc(1, sizeof *f);
	struct pv_error err;

	snprintf(f->dir, sizeof f->dir, "/tmp/pv-test-fravaer-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/patvers.db", f->dir);
	assert_int_equal(pv_db_open(f->path, PV_DB_CREATE, 100, &f->db, &err), PV_OK);
	assert_int_equal(pv_db_set_actor(f->db, "tester", "test-fravaer", &err), PV_OK);
	pv_db_set_clock(f->db, 1795000000);
	raw_sql(f->db, "INSERT INTO unit (slug, name, kind) VALUES"
		       " ('hof', 'Hof skole', 'school'), ('botne', 'Botne skole', 'school')");
	*state = f;
	return 0;
}

static int db_teardown(void **state)
{
	struct dbfix *f = *state;
	char cmd[160];

	pv_db_close(f->db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void test_unit_planning_day(void **state)
{
	static const char cal[] =
		"{ \"school_year\": \"2026/27\", \"first_day\": \"2026-08-17\","
		"  \"last_day\": \"2027-06-18\","
		"  \"breaks\": [ { \"from\": \"2026-10-05\", \"to\": \"2026-10-09\","
		"                  \"name\": \"høstferie\" } ],"
		"  \"planning_days\": [ { \"unit\": \"hof\", \"date\": \"2026-09-02\" } ] }";
	static const char csv[] = HEAD
		"e1,hof,2026-09-01,absent,,,\n"
		"e1,hof,2026-09-02,absent,,,\n"      /* Hof's planning day */
		"e1,hof,2026-10-06,absent,,,\n"      /* autumn break */
		"e1,hof,2026-09-03,absent,,,\n"
		"e1,botne,2026-09-01,absent,,,\n"
		"e1,botne,2026-09-02,absent,,,\n"
		"e1,botne,2026-09-03,absent,,,\n";
	struct dbfix *f = *state;
	struct pv_fravaer_stats s;
	struct pv_error err;
	struct run r;

	assert_int_equal(pv_db_begin(f->db, &err), PV_OK);
	assert_int_equal(pv_calendar_import(f->db, cal, strlen(cal), "cal.json",
					    PV_CALENDAR_AUTO, NULL, &err), PV_OK);
	assert_int_equal(pv_db_commit(f->db, &err), PV_OK);
	run_with(&r, f->db, NULL, "2026-11-23", NULL, csv);
	assert_int_equal(r.status, PV_OK);
	assert_false(pv_calendar_is_fallback(r.cal));
	assert_null(find(&r, "hof", "e1"));
	assert_non_null(find(&r, "botne", "e1"));
	pv_fravaer_get_stats(r.f, &s);
	assert_int_equal(s.non_school_day, 2);
	release(&r);
}

/* ---- --new-since-last ---- */

static size_t keep_new(struct dbfix *f, struct run *r)
{
	struct pv_error err;
	size_t fresh = 99;

	assert_int_equal(pv_db_begin(f->db, &err), PV_OK);
	if (pv_fravaer_keep_new(r->f, f->db, &fresh, &err) != PV_OK)
		fail_msg("keep_new: %s", err.message);
	assert_int_equal(pv_db_commit(f->db, &err), PV_OK);
	return fresh;
}

static int count_rows(struct pv_db *db, const char *sql)
{
	sqlite3_stmt *stmt;
	int n;

	assert_int_equal(sqlite3_prepare_v2(pv_db_handle(db), sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

static void test_new_since_last(void **state)
{
	static const char csv1[] = HEAD
		"elev-17,hof,2026-10-01,left,,,\n"
		"elev-17,hof,2026-10-02,left,,,\n"
		"elev-42,botne,2026-10-01,left,,,\n"
		"elev-42,botne,2026-10-02,left,,,\n";
	static const char csv2[] = HEAD
		"elev-17,hof,2026-10-01,left,,,\n"
		"elev-17,hof,2026-10-02,left,,,\n"
		"elev-17,hof,2026-10-05,absent,,,\n"
		"elev-17,hof,2026-10-06,absent,,,\n"
		"elev-17,hof,2026-10-07,absent,,,\n";
	struct dbfix *f = *state;
	struct run r;

	run_with(&r, f->db, NULL, "2026-11-23", NULL, csv1);
	assert_int_equal(keep_new(f, &r), 2);
	assert_int_equal(pv_fravaer_flagged_count(r.f), 2);
	release(&r);
	/* the same again: nothing new */
	run_with(&r, f->db, NULL, "2026-11-23", NULL, csv1);
	assert_int_equal(keep_new(f, &r), 0);
	assert_int_equal(pv_fravaer_flagged_count(r.f), 0);
	release(&r);
	/* a new criterion for a known pupil: only that one */
	run_with(&r, f->db, NULL, "2026-11-23", NULL, csv2);
	assert_int_equal(keep_new(f, &r), 1);
	assert_int_equal(pv_fravaer_flagged_count(r.f), 1);
	assert_false(pv_fravaer_flagged_at(r.f, 0)->hits[PV_FRV_LEAVES_SCHOOL].met);
	assert_true(pv_fravaer_flagged_at(r.f, 0)->hits[PV_FRV_UNDOCUMENTED].met);
	release(&r);
	/* the next school year starts afresh */
	run_with(&r, f->db, NULL, "2027-11-23", NULL,
		 HEAD "elev-17,hof,2027-10-01,left,,,\nelev-17,hof,2027-10-04,left,,,\n");
	assert_int_equal(keep_new(f, &r), 1);
	release(&r);
	/* stored: one key, hashes only, an audit row per run with counts */
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM fravaer_key"), 1);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM fravaer_reported"), 4);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM fravaer_reported"
				    " WHERE length(hash) = 64"), 4);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit"
				    " WHERE entity = 'fravaer'"), 4);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE summary LIKE"
				    " '%elev-%' OR summary LIKE '%hof%'"), 0);
	assert_int_equal(count_rows(f->db, "SELECT count(*) FROM audit WHERE summary ="
				    " 'absence screening 2026/27: 2 new flags for 2 pupils,"
				    " 0 reported before'"), 1);
}

/* ---- the criteria against a plain re-implementation ---- */

/*
 * Random registrations for a few pupils, screened by the engine and by
 * the rules written out naively (every day, every window, no pruning).
 */
struct ref_row {
	int student;
	pv_date date;
	int type;             /* 0 absent, 1 late, 2 left */
	long minutes;         /* -1: none */
	bool documented, illness;
};

#define REF_STUDENTS 3

static void ref_screen(const struct pv_fravaer_params *p, const struct pv_calendar *cal,
		       pv_date as_of, const struct ref_row *rows, size_t n, int s,
		       struct pv_fravaer_hit out[PV_FRV_COUNT])
{
	static long all[400], other[400];
	static bool undoc[400], late[400], left[400];
	pv_date first, last;
	int ndays;

	pv_school_year_bounds(pv_school_year_of(as_of), &first, &last);
	ndays = (int)(as_of - first) + 1;
	memset(out, 0, PV_FRV_COUNT * sizeof *out);
	memset(all, 0, sizeof all);
	memset(other, 0, sizeof other);
	memset(undoc, 0, sizeof undoc);
	memset(late, 0, sizeof late);
	memset(left, 0, sizeof left);
	for (size_t i = 0; i < n; i++) {
		const struct ref_row *r = &rows[i];
		long m = r->minutes >= 0 ? r->minutes : r->type == 0 ? p->day_minutes : 0;
		int d = (int)(r->date - first);

		if (r->student != s || r->date < first || r->date > as_of ||
		    !pv_calendar_is_school_day(cal, "hof", r->date))
			continue;
		all[d] += m;
		if (!r->illness)
			other[d] += m;
		undoc[d] |= r->type == 0 && !r->documented;
		late[d] |= r->type == 1;
		left[d] |= r->type == 2;
	}
	for (int d = 0; d < ndays; d++) {
		all[d] = all[d] > p->day_minutes ? p->day_minutes : all[d];
		other[d] = other[d] > p->day_minutes ? p->day_minutes : other[d];
	}
	int nu = 0, nl = 0, best_late = 0;
	long sum = 0, best_a = 0, best_s = 1;
	for (int d = 0; d < ndays; d++) {
		if (undoc[d] && ++nu == p->undocumented_dates)
			out[PV_FRV_UNDOCUMENTED].first = first + d;
		if (left[d] && ++nl == p->leaves_dates)
			out[PV_FRV_LEAVES_SCHOOL].first = first + d;
		if (sum < (long)p->high_absence_days * p->day_minutes &&
		    sum + all[d] >= (long)p->high_absence_days * p->day_minutes)
			out[PV_FRV_HIGH_ABSENCE].first = first + d;
		sum += all[d];
		if (late[d]) {
			int c = 0;
			for (int k = d - p->lateness_window_days + 1; k <= d; k++)
				c += k >= 0 && late[k];
			if (c > best_late)
				best_late = c;
			if (c >= p->lateness_dates && !out[PV_FRV_REPEATED_LATENESS].met) {
				out[PV_FRV_REPEATED_LATENESS].met = true;
				out[PV_FRV_REPEATED_LATENESS].first = first + d;
			}
		}
		if (pv_calendar_is_school_day(cal, "hof", first + d)) {
			long a = 0, sd = 0;
			for (int k = d - p->window_days + 1; k <= d; k++) {
				if (k < 0 || !pv_calendar_is_school_day(cal, "hof", first + k))
					continue;
				sd++;
				a += other[k];
			}
			if (sd >= p->window_min_school_days) {
				if (a * 100 >= (long)p->window_percent * sd * p->day_minutes &&
				    !out[PV_FRV_ABSENCE_20PCT].met) {
					out[PV_FRV_ABSENCE_20PCT].met = true;
					out[PV_FRV_ABSENCE_20PCT].first = first + d;
				}
				if (a * best_s > best_a * sd) {
					best_a = a;
					best_s = sd;
				}
			}
		}
	}
	out[PV_FRV_UNDOCUMENTED] = (struct pv_fravaer_hit){ nu >= p->undocumented_dates,
		out[PV_FRV_UNDOCUMENTED].first, nu, 1 };
	out[PV_FRV_LEAVES_SCHOOL] = (struct pv_fravaer_hit){ nl >= p->leaves_dates,
		out[PV_FRV_LEAVES_SCHOOL].first, nl, 1 };
	out[PV_FRV_HIGH_ABSENCE] = (struct pv_fravaer_hit){
		sum >= (long)p->high_absence_days * p->day_minutes,
		out[PV_FRV_HIGH_ABSENCE].first, sum, p->day_minutes };
	out[PV_FRV_REPEATED_LATENESS].num = best_late;
	out[PV_FRV_REPEATED_LATENESS].den = 1;
	out[PV_FRV_ABSENCE_20PCT].num = best_a;
	out[PV_FRV_ABSENCE_20PCT].den = best_s * p->day_minutes;
}

static void compare(int round, int s, const struct pv_fravaer_hit *want,
		    const struct pv_fravaer_flagged *got)
{
	for (int c = 0; c < PV_FRV_COUNT; c++) {
		const struct pv_fravaer_hit *g = got ? &got->hits[c] : NULL;
		bool met = g && g->met;

		if (met != want[c].met)
			fail_msg("round %d pupil %d %s: met %d, want %d", round, s,
				 pv_fravaer_code(c), met, want[c].met);
		if (!met)
			continue;
		if (g->first != want[c].first || g->num * want[c].den != want[c].num * g->den)
			fail_msg("round %d pupil %d %s: %lld/%lld first %d, want %lld/%lld first %d",
				 round, s, pv_fravaer_code(c), g->num, g->den, (int)g->first,
				 want[c].num, want[c].den, (int)want[c].first);
	}
}

static void test_against_reference(void **state)
{
	static const char *const types[] = { "absent", "late", "left" };
	struct pv_fravaer_params p = defaults();
	unsigned seed = 20260817;

	(void)state;
	for (int round = 0; round < 300; round++) {
		struct ref_row rows[120];
		struct text *t = calloc(1, sizeof *t);
		size_t n = 20 + (size_t)(rand_r(&seed) % 100);
		pv_date base = day("2027-02-01") + (int)(rand_r(&seed) % 60);
		pv_date as_of = base + 10 + (int)(rand_r(&seed) % 60);
		struct run r;

		/* small thresholds and windows some rounds, to reach every edge */
		if (round % 3 == 1) {
			p.window_days = 7 + (int)(rand_r(&seed) % 30);
			p.window_min_school_days = 1 + (int)(rand_r(&seed) % 5);
			p.window_percent = 5 + (int)(rand_r(&seed) % 60);
			p.lateness_window_days = 1 + (int)(rand_r(&seed) % 30);
			p.day_minutes = 60 + (int)(rand_r(&seed) % 400);
		} else {
			p = defaults();
		}
		add(t, HEAD);
		for (size_t i = 0; i < n; i++) {
			struct ref_row *row = &rows[i];
			char d[11], minutes[24] = "";

			row->student = (int)(rand_r(&seed) % REF_STUDENTS);
			row->date = base + (int)(rand_r(&seed) % 50) - 10;
			row->type = (int)(rand_r(&seed) % 3);
			row->minutes = rand_r(&seed) % 3 ? -1 : (long)(rand_r(&seed) % 500);
			row->documented = rand_r(&seed) % 2;
			row->illness = rand_r(&seed) % 4 == 0;
			if (row->minutes >= 0)
				snprintf(minutes, sizeof minutes, "%ld", row->minutes);
			add(t, "s%d,hof,%s,%s,%s,%s,%s\n", row->student,
			    pv_date_format(row->date, d), types[row->type], minutes,
			    row->documented ? "ja" : "nei", row->illness ? "syk" : "");
		}
		{
			char a[11];
			run_with(&r, NULL, &p, pv_date_format(as_of, a), NULL, t->s);
		}
		if (r.status != PV_OK)
			fail_msg("round %d: %s:%ld:%ld: %s", round, r.err.file, r.err.line,
				 r.err.column, r.err.message);
		for (int s = 0; s < REF_STUDENTS; s++) {
			struct pv_fravaer_hit want[PV_FRV_COUNT];
			char id[16];

			snprintf(id, sizeof id, "s%d", s);
			ref_screen(&p, r.cal, as_of, rows, n, s, want);
			compare(round, s, want, find(&r, "hof", id));
		}
		release(&r);
		free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_undocumented_boundary),
		cmocka_unit_test(test_high_absence_boundary),
		cmocka_unit_test(test_partial_and_capped),
		cmocka_unit_test(test_illness),
		cmocka_unit_test(test_share_exactly_20),
		cmocka_unit_test(test_share_weekend_holiday),
		cmocka_unit_test(test_share_holidays_shrink_s),
		cmocka_unit_test(test_share_min_school_days),
		cmocka_unit_test(test_lateness_window),
		cmocka_unit_test(test_leaves),
		cmocka_unit_test(test_scope_and_order),
		cmocka_unit_test(test_many_pupils_in_order),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_several_files),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_validation_reports_nothing),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_thresholds_from_rules),
		cmocka_unit_test_setup_teardown(test_unit_planning_day, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_new_since_last, db_setup, db_teardown),
		cmocka_unit_test(test_against_reference),
	};

	return cmocka_run_group_tests_name("fravaer", tests, NULL, NULL);
}
