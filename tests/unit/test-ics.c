/* Unit tests for the iCalendar export: parsed back with libical and checked field by field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libical/ical.h>

#include "unit.h"
#include "patvers/db.h"
#include "patvers/ics.h"
#include "patvers/rules.h"
#include "patvers/schedule.h"
#include "patvers/team.h"

/* 2026-06-01 08:00:00 UTC, the fixed "now" every export gets. */
#define DTSTAMP 1780300800LL

static const char units_csv[] =
	"id;navn;type;trinn;gruppe\n"
	"hof;Hof skole;skole;1-7;\n"
	"gjoklep;Gj\xc3\xb8klep ungdomsskole;skole;8-10;\n"
	"bhg-nord;Barnehagegruppe Nord;barnehagegruppe;;\n"
	"solsikken;Solsikken barnehage;barnehage;;bhg-nord\n"
	"ppt;PPT Holmestrand;ppt;;\n"
	"naervaer;N\xc3\xa6rv\xc3\xa6rsteamet;naervaer;;\n";

static const char people_csv[] =
	"id;navn;epost;tjeneste;rolle;enheter;stedfortreder\n"
	"kare-rektor;K\xc3\xa5re \xc3\x98" "deg\xc3\xa5rd;kare.odegard@hof.example.no;hof;rektor;;\n"
	"siri-sosial;Siri \xc3\x85s;siri.as@hof.example.no;hof;sosiallaerer;;\n"
	"lise-styrer;Lise Br\xc3\xa5ten;lise@solsikken.example.no;solsikken;styrer;;\n"
	"per-ppt;Per \xc3\x86rlig;per@ppt.example.no;ppt;ppt-radgiver;hof, gjoklep, solsikken;"
	"pal-ppt\n"
	"pal-ppt;P\xc3\xa5l Strand;pal@ppt.example.no;ppt;ppt-radgiver;gjoklep;\n";

struct fixture {
	char dir[64];
	char path[128];
	struct pv_db *db;
	struct pv_roster *roster;
	struct pv_rules *rules;
	struct pv_plan *plan;
};

/* ---- the plan in memory ---- */

static const struct pv_participant parts_hof[] = {
	{ "kare-rektor", "rektor", NULL },
	{ "siri-sosial", "sosiallaerer", NULL },
	{ "pal-ppt", "ppt-radgiver", "per-ppt" },
};
static const struct pv_participant parts_group[] = {
	{ "lise-styrer", "styrer", NULL },
	{ "per-ppt", "ppt-radgiver", NULL },
};
/* "ghost" left the roster after the meeting was cancelled. */
static const struct pv_participant parts_cancelled[] = {
	{ "ghost", "barnevern-kontakt", NULL },
	{ "siri-sosial", "sosiallaerer", NULL },
};
static const struct pv_participant parts_naervaer[] = {
	{ "siri-sosial", "sosiallaerer", NULL },
};

static pv_date ymd(int y, int m, int d)
{
	pv_date out;

	assert_true(pv_date_from_ymd(y, m, d, &out));
	return out;
}

#define N_MEETINGS 5

/* Index i of the plan built by build_plan, for the checks. */
static const struct {
	const char *uid;
	int sequence;
	icalproperty_status status;
	int y, mo, d, start_h, start_m, end_h, end_m;
	int utc_offset;          /* seconds, Europe/Oslo on that day */
	const char *summary;
	const char *location;
	const char *kind, *unit;
	const char *organizer;   /* mailto value or NULL */
	int attendees;
} expect[N_MEETINGS] = {
	{ "2026-hof-systemmote-1@patvers", 0, ICAL_STATUS_CONFIRMED, 2026, 8, 20, 12, 30, 14, 0,
	  7200, "Systemm\xc3\xb8te \xe2\x80\x93 Hof skole", "Hof skole", "systemmote", "hof",
	  "mailto:kare.odegard@hof.example.no", 3 },
	{ "2026-bhg-nord-systemmote-1@patvers", 2, ICAL_STATUS_CONFIRMED, 2026, 9, 3, 12, 15,
	  13, 45, 7200, "Systemm\xc3\xb8te \xe2\x80\x93 Barnehagegruppe Nord",
	  "Solsikken barnehage", "systemmote", "bhg-nord", "mailto:lise@solsikken.example.no", 2 },
	{ "2026-hof-apen-dor-3@patvers", 1, ICAL_STATUS_CANCELLED, 2026, 12, 2, 9, 0, 11, 0,
	  3600, "\xc2\xab\xc3\x85pen d\xc3\xb8r\xc2\xbb \xe2\x80\x93 Hof skole", "Hof skole",
	  "apen-dor", "hof", NULL, 1 },
	{ "2026-naervaer-naervaer-7@patvers", 0, ICAL_STATUS_CONFIRMED, 2027, 3, 30, 13, 0, 15,
	  0, 7200, "N\xc3\xa6rv\xc3\xa6rsteam \xe2\x80\x93 konsultasjon",
	  "N\xc3\xa6rv\xc3\xa6rsteamet", "naervaer", "naervaer", NULL, 1 },
	{ "2026-ukjent-god-oppvekst-1@patvers", 4, ICAL_STATUS_CONFIRMED, 2027, 4, 15, 9, 0, 11,
	  0, 7200, "God oppvekst", "ukjent", "god-oppvekst", "ukjent", NULL, 0 },
};

static struct pv_plan *build_plan(void)
{
	struct pv_plan *plan = pv_plan_new();
	struct pv_meeting m[N_MEETINGS] = {
		{ .id = 1, .uid = expect[0].uid, .sequence = 0, .school_year = 2026,
		  .unit = "hof", .kind = PV_MEETING_SYSTEMMOTE, .number = 1,
		  .date = ymd(2026, 8, 20), .start = 12 * 60 + 30, .end = 14 * 60,
		  .status = PV_MEETING_PLANNED, .leader = "kare-rektor",
		  .participants = parts_hof, .nparticipants = 3 },
		{ .id = 2, .uid = expect[1].uid, .sequence = 2, .school_year = 2026,
		  .unit = "bhg-nord", .host = "solsikken", .kind = PV_MEETING_SYSTEMMOTE,
		  .number = 1, .date = ymd(2026, 9, 3), .start = 12 * 60 + 15,
		  .end = 13 * 60 + 45, .status = PV_MEETING_HELD, .leader = "lise-styrer",
		  .participants = parts_group, .nparticipants = 2 },
		{ .id = 3, .uid = expect[2].uid, .sequence = 1, .school_year = 2026,
		  .unit = "hof", .kind = PV_MEETING_APEN_DOR, .number = 3,
		  .date = ymd(2026, 12, 2), .start = 9 * 60, .end = 11 * 60,
		  .status = PV_MEETING_CANCELLED, .cancel_reason = "sykdom",
		  .leader = "ghost", .participants = parts_cancelled, .nparticipants = 2 },
		{ .id = 4, .uid = expect[3].uid, .sequence = 0, .school_year = 2026,
		  .unit = "naervaer", .kind = PV_MEETING_NAERVAER, .number = 7,
		  .date = ymd(2027, 3, 30), .start = 13 * 60, .end = 15 * 60,
		  .status = PV_MEETING_PLANNED, .participants = parts_naervaer,
		  .nparticipants = 1 },
		{ .id = 5, .uid = expect[4].uid, .sequence = 4, .school_year = 2026,
		  .unit = "ukjent", .kind = PV_MEETING_GOD_OPPVEKST, .number = 1,
		  .date = ymd(2027, 4, 15), .start = 9 * 60, .end = 11 * 60,
		  .status = PV_MEETING_PLANNED },
	};
	struct pv_error err;

	assert_non_null(plan);
	for (int i = 0; i < N_MEETINGS; i++)
		assert_int_equal(pv_plan_add(plan, &m[i], &err), PV_OK);
	return plan;
}

/* ---- fixture: a roster in a temporary database ---- */

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct pv_error err;

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/pv-test-ics-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/patvers.db", f->dir);
	assert_int_equal(pv_db_open(f->path, PV_DB_CREATE, 100, &f->db, &err), PV_OK);
	assert_int_equal(pv_db_set_actor(f->db, "test", "test-ics", &err), PV_OK);
	pv_db_set_clock(f->db, DTSTAMP);
	assert_int_equal(pv_db_begin(f->db, &err), PV_OK);
	if (pv_team_import(f->db, units_csv, sizeof units_csv - 1, "units.csv", people_csv,
			   sizeof people_csv - 1, "people.csv", NULL, NULL, &err) != PV_OK)
		fail_msg("import: %s", err.message);
	assert_int_equal(pv_db_commit(f->db, &err), PV_OK);
	assert_int_equal(pv_rules_default(&f->rules, &err), PV_OK);
	assert_int_equal(pv_roster_load(f->db, f->rules, &f->roster, &err), PV_OK);
	f->plan = build_plan();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];

	pv_plan_free(f->plan);
	pv_roster_free(f->roster);
	pv_rules_free(f->rules);
	pv_db_close(f->db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* ---- helpers ---- */

/* The agenda callback: the meeting's unit and a long Norwegian text, so
 * DESCRIPTION is folded, with the TEXT specials , ; \ and a newline. */
struct agenda_state {
	char buf[1024];
	int calls;
};

static const char *agenda(const struct pv_meeting *m, void *arg)
{
	struct agenda_state *a = arg;

	a->calls++;
	if (m->kind == PV_MEETING_GOD_OPPVEKST)
		return NULL;
	snprintf(a->buf, sizeof a->buf,
		 "Agenda for %s:\n1. Presentasjon av innmeldte saker; runde der alle er "
		 "medvirkende i valg av sak eller tema for m\xc3\xb8tet, s\xc3\xa6rlig "
		 "\xc3\xa6\xc3\xb8\xc3\xa5\xc3\x86\xc3\x98\xc3\x85\xc3\xa6\xc3\xb8\xc3\xa5"
		 "\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa6\xc3\xb8\xc3\xa5"
		 "\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa6\xc3\xb8\xc3\xa5 "
		 "\\ slutt\n2. Loggf\xc3\xb8re at m\xc3\xb8tet er gjennomf\xc3\xb8rt",
		 m->unit);
	return a->buf;
}

static char *export_with(struct fixture *f, const struct pv_plan *plan,
			 const struct pv_ics_options *opts)
{
	struct pv_error err;
	char *text = NULL;

	if (pv_ics_export(plan, f->roster, f->rules, opts, &text, &err) != PV_OK)
		fail_msg("export: %s", err.message);
	assert_non_null(text);
	return text;
}

static char *export_plan(struct fixture *f, struct agenda_state *a)
{
	struct pv_ics_options opts = {
		.calendar_name = "P\xc3\xa5 tvers \xe2\x80\x93 Hof skole 2026/27",
		.dtstamp = DTSTAMP,
		.agenda = agenda,
		.agenda_arg = a,
	};

	return export_with(f, f->plan, &opts);
}

static icalcomponent *parse(const char *text)
{
	icalcomponent *cal = icalparser_parse_string(text);

	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	return cal;
}

static icalproperty *x_prop(icalcomponent *c, const char *name)
{
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY))
		if (strcmp(icalproperty_get_x_name(p), name) == 0)
			return p;
	return NULL;
}

static const char *x_param(icalproperty *p, const char *name)
{
	for (icalparameter *x = icalproperty_get_first_parameter(p, ICAL_X_PARAMETER); x;
	     x = icalproperty_get_next_parameter(p, ICAL_X_PARAMETER))
		if (strcmp(icalparameter_get_xname(x), name) == 0)
			return icalparameter_get_xvalue(x);
	return NULL;
}

static int count_components(icalcomponent *c, icalcomponent_kind kind)
{
	int n = 0;

	for (icalcomponent *s = icalcomponent_get_first_component(c, kind); s;
	     s = icalcomponent_get_next_component(c, kind))
		n++;
	return n;
}

static int count_props(icalcomponent *c, icalproperty_kind kind)
{
	int n = 0;

	for (icalproperty *p = icalcomponent_get_first_property(c, kind); p;
	     p = icalcomponent_get_next_property(c, kind))
		n++;
	return n;
}

/* The VEVENTs in document order. */
static int events(icalcomponent *cal, icalcomponent **out, int max)
{
	int n = 0;

	for (icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     e; e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		assert_true(n < max);
		out[n++] = e;
	}
	return n;
}

static const char *text_of(icalcomponent *c, icalproperty_kind kind)
{
	icalproperty *p = icalcomponent_get_first_property(c, kind);

	return p ? icalproperty_get_value_as_string(p) : NULL;
}

/* ---- tests ---- */

static void test_calendar_envelope(void **state)
{
	struct fixture *f = *state;
	struct agenda_state a = { .calls = 0 };
	char *text = export_plan(f, &a);
	icalcomponent *cal = parse(text), *tz;
	icalproperty *p;

	/* One VCALENDAR and nothing after it. */
	assert_memory_equal(text, "BEGIN:VCALENDAR\r\n", 17);
	assert_string_equal(text + strlen(text) - 15, "END:VCALENDAR\r\n");
	assert_null(strstr(text + 1, "BEGIN:VCALENDAR"));

	assert_string_equal(icalproperty_get_version(
		icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY)), "2.0");
	assert_string_equal(icalproperty_get_prodid(
		icalcomponent_get_first_property(cal, ICAL_PRODID_PROPERTY)),
		"-//patvers//patvers 0.1//NB");
	assert_string_equal(icalproperty_get_calscale(
		icalcomponent_get_first_property(cal, ICAL_CALSCALE_PROPERTY)), "GREGORIAN");
	assert_int_equal(icalproperty_get_method(
		icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY)), ICAL_METHOD_PUBLISH);
	assert_non_null(p = x_prop(cal, "X-WR-CALNAME"));
	assert_string_equal(icalproperty_get_x(p),
			    "P\xc3\xa5 tvers \xe2\x80\x93 Hof skole 2026/27");
	assert_non_null(p = x_prop(cal, "X-WR-TIMEZONE"));
	assert_string_equal(icalproperty_get_x(p), "Europe/Oslo");

	/* Exactly one VTIMEZONE, named plainly, with both observances. */
	assert_int_equal(count_components(cal, ICAL_VTIMEZONE_COMPONENT), 1);
	tz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
	assert_string_equal(icalproperty_get_tzid(
		icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY)), "Europe/Oslo");
	assert_int_equal(count_components(tz, ICAL_XSTANDARD_COMPONENT), 1);
	assert_int_equal(count_components(tz, ICAL_XDAYLIGHT_COMPONENT), 1);
	assert_null(strstr(text, "freeassociation"));
	/* The zone comes before the first event (Outlook needs that). */
	assert_true(strstr(text, "BEGIN:VTIMEZONE") < strstr(text, "BEGIN:VEVENT"));

	icalcomponent_free(cal);
	free(text);
}

/* The VTIMEZONE must give the right offsets, including on both sides of
 * the changes of 2026, 2027 and 2030 (last Sundays: 25 Oct 2026,
 * 28 Mar 2027, 31 Mar 2030). */
static void test_timezone_rules(void **state)
{
	struct fixture *f = *state;
	struct agenda_state a = { .calls = 0 };
	char *text = export_plan(f, &a);
	icalcomponent *cal = parse(text);
	icaltimezone *tz = icalcomponent_get_timezone(cal, "Europe/Oslo");
	static const struct {
		int y, mo, d, h, mi, offset, daylight;
	} cases[] = {
		{ 2026, 8, 20, 12, 30, 7200, 1 },
		{ 2026, 10, 25, 1, 30, 7200, 1 },
		{ 2026, 10, 25, 4, 0, 3600, 0 },
		{ 2026, 12, 2, 9, 0, 3600, 0 },
		{ 2027, 3, 28, 1, 30, 3600, 0 },
		{ 2027, 3, 28, 3, 30, 7200, 1 },
		{ 2027, 6, 17, 12, 0, 7200, 1 },
		{ 2030, 3, 30, 12, 0, 3600, 0 },
		{ 2030, 3, 31, 12, 0, 7200, 1 },
	};

	assert_non_null(tz);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct icaltimetype t = icaltime_null_time();
		int daylight = -1;

		t.year = cases[i].y;
		t.month = cases[i].mo;
		t.day = cases[i].d;
		t.hour = cases[i].h;
		t.minute = cases[i].mi;
		assert_int_equal(icaltimezone_get_utc_offset(tz, &t, &daylight),
				 cases[i].offset);
		assert_int_equal(daylight, cases[i].daylight);
	}
	icalcomponent_free(cal);
	free(text);
}

static void test_events(void **state)
{
	struct fixture *f = *state;
	struct agenda_state a = { .calls = 0 };
	char *text = export_plan(f, &a);
	icalcomponent *cal = parse(text), *ev[8];
	icaltimezone *tz = icalcomponent_get_timezone(cal, "Europe/Oslo");

	assert_int_equal(events(cal, ev, 8), N_MEETINGS);
	for (int i = 0; i < N_MEETINGS; i++) {
		icalproperty *start = icalcomponent_get_first_property(ev[i], ICAL_DTSTART_PROPERTY);
		icalproperty *end = icalcomponent_get_first_property(ev[i], ICAL_DTEND_PROPERTY);
		icalproperty *stamp = icalcomponent_get_first_property(ev[i], ICAL_DTSTAMP_PROPERTY);
		struct icaltimetype t;

		assert_string_equal(icalcomponent_get_uid(ev[i]), expect[i].uid);
		assert_int_equal(icalproperty_get_sequence(icalcomponent_get_first_property(
			ev[i], ICAL_SEQUENCE_PROPERTY)), expect[i].sequence);
		assert_int_equal(icalproperty_get_status(icalcomponent_get_first_property(
			ev[i], ICAL_STATUS_PROPERTY)), expect[i].status);

		/* Local time with TZID, never UTC or floating. */
		assert_non_null(start);
		assert_string_equal(icalparameter_get_tzid(icalproperty_get_first_parameter(
			start, ICAL_TZID_PARAMETER)), "Europe/Oslo");
		t = icalproperty_get_dtstart(start);
		assert_false(icaltime_is_utc(t));
		assert_int_equal(t.year, expect[i].y);
		assert_int_equal(t.month, expect[i].mo);
		assert_int_equal(t.day, expect[i].d);
		assert_int_equal(t.hour, expect[i].start_h);
		assert_int_equal(t.minute, expect[i].start_m);
		assert_int_equal(icaltimezone_get_utc_offset(tz, &t, NULL), expect[i].utc_offset);
		assert_non_null(end);
		assert_string_equal(icalparameter_get_tzid(icalproperty_get_first_parameter(
			end, ICAL_TZID_PARAMETER)), "Europe/Oslo");
		t = icalproperty_get_dtend(end);
		assert_int_equal(t.hour, expect[i].end_h);
		assert_int_equal(t.minute, expect[i].end_m);

		/* DTSTAMP is the option, in UTC: 2026-06-01 08:00:00. */
		t = icalproperty_get_dtstamp(stamp);
		assert_true(icaltime_is_utc(t));
		assert_int_equal(icaltime_as_timet(t), DTSTAMP);

		assert_string_equal(text_of(ev[i], ICAL_SUMMARY_PROPERTY), expect[i].summary);
		assert_string_equal(text_of(ev[i], ICAL_LOCATION_PROPERTY), expect[i].location);
		assert_string_equal(icalproperty_get_x(x_prop(ev[i], "X-PATVERS-KIND")),
				    expect[i].kind);
		assert_string_equal(icalproperty_get_x(x_prop(ev[i], "X-PATVERS-UNIT")),
				    expect[i].unit);
	}
	assert_string_equal(text_of(ev[0], ICAL_CATEGORIES_PROPERTY), "Systemm\xc3\xb8te");
	assert_string_equal(text_of(ev[2], ICAL_CATEGORIES_PROPERTY), "\xc3\x85pen d\xc3\xb8r");
	assert_string_equal(text_of(ev[3], ICAL_CATEGORIES_PROPERTY),
			    "N\xc3\xa6rv\xc3\xa6rsteam");
	/* UTF-8 intact in the raw text too, not only after parsing. */
	assert_non_null(strstr(text, "SUMMARY:\xc2\xab\xc3\x85pen d\xc3\xb8r\xc2\xbb \xe2\x80\x93"
			       " Hof skole\r\n"));
	icalcomponent_free(cal);
	free(text);
}

static void test_people(void **state)
{
	struct fixture *f = *state;
	struct agenda_state a = { .calls = 0 };
	char *text = export_plan(f, &a);
	icalcomponent *cal = parse(text), *ev[8];
	static const char *const hof[][2] = {
		{ "mailto:kare.odegard@hof.example.no", "K\xc3\xa5re \xc3\x98" "deg\xc3\xa5rd" },
		{ "mailto:siri.as@hof.example.no", "Siri \xc3\x85s" },
		{ "mailto:pal@ppt.example.no", "P\xc3\xa5l Strand" },
	};
	icalproperty *p;
	int i = 0;

	assert_int_equal(events(cal, ev, 8), N_MEETINGS);
	for (int e = 0; e < N_MEETINGS; e++) {
		p = icalcomponent_get_first_property(ev[e], ICAL_ORGANIZER_PROPERTY);
		if (expect[e].organizer)
			assert_string_equal(icalproperty_get_organizer(p), expect[e].organizer);
		else
			assert_null(p);
		assert_int_equal(count_props(ev[e], ICAL_ATTENDEE_PROPERTY), expect[e].attendees);
	}
	p = icalcomponent_get_first_property(ev[0], ICAL_ORGANIZER_PROPERTY);
	assert_string_equal(icalparameter_get_cn(icalproperty_get_first_parameter(
		p, ICAL_CN_PARAMETER)), hof[0][1]);

	for (p = icalcomponent_get_first_property(ev[0], ICAL_ATTENDEE_PROPERTY); p;
	     p = icalcomponent_get_next_property(ev[0], ICAL_ATTENDEE_PROPERTY), i++) {
		assert_string_equal(icalproperty_get_attendee(p), hof[i][0]);
		assert_string_equal(icalparameter_get_cn(icalproperty_get_first_parameter(
			p, ICAL_CN_PARAMETER)), hof[i][1]);
		assert_int_equal(icalparameter_get_role(icalproperty_get_first_parameter(
			p, ICAL_ROLE_PARAMETER)), ICAL_ROLE_REQPARTICIPANT);
		assert_int_equal(icalparameter_get_partstat(icalproperty_get_first_parameter(
			p, ICAL_PARTSTAT_PARAMETER)), ICAL_PARTSTAT_NEEDSACTION);
		if (i == 2)
			assert_string_equal(x_param(p, "X-PATVERS-SUBSTITUTE-FOR"), "per-ppt");
		else
			assert_null(x_param(p, "X-PATVERS-SUBSTITUTE-FOR"));
	}
	assert_int_equal(i, 3);
	/* People read the substitution in a COMMENT. */
	assert_int_equal(count_props(ev[0], ICAL_COMMENT_PROPERTY), 1);
	assert_string_equal(text_of(ev[0], ICAL_COMMENT_PROPERTY),
			    "P\xc3\xa5l Strand er stedfortreder for Per \xc3\x86rlig");
	/* The cancelled meeting: "ghost" is not in the roster, so only Siri. */
	p = icalcomponent_get_first_property(ev[2], ICAL_ATTENDEE_PROPERTY);
	assert_string_equal(icalproperty_get_attendee(p), "mailto:siri.as@hof.example.no");
	icalcomponent_free(cal);
	free(text);
}

static void test_agenda_description(void **state)
{
	struct fixture *f = *state;
	struct agenda_state a = { .calls = 0 };
	char *text = export_plan(f, &a);
	icalcomponent *cal = parse(text), *ev[8];
	struct agenda_state again = { .calls = 0 };
	struct pv_meeting m = { .unit = "hof", .kind = PV_MEETING_SYSTEMMOTE };
	struct pv_ics_options opts = { .dtstamp = DTSTAMP };

	assert_int_equal(a.calls, N_MEETINGS);
	assert_int_equal(events(cal, ev, 8), N_MEETINGS);
	/* Newline, ';', ',' and '\' survive the escaping and the folding. */
	assert_string_equal(icalcomponent_get_description(ev[0]), agenda(&m, &again));
	assert_non_null(strstr(text, "DESCRIPTION:Agenda for hof:\\n1. Presentasjon"));
	/* The callback's NULL: no DESCRIPTION. */
	assert_null(icalcomponent_get_first_property(ev[4], ICAL_DESCRIPTION_PROPERTY));
	icalcomponent_free(cal);
	free(text);

	/* Without a callback none of them has one. */
	text = export_with(f, f->plan, &opts);
	assert_null(strstr(text, "DESCRIPTION"));
	free(text);
}

/* RFC 5545 3.1: CRLF, lines of at most 75 octets, and folding must not
 * split a UTF-8 character (so every physical line is valid UTF-8). */
static void test_folding_crlf(void **state)
{
	struct fixture *f = *state;
	struct agenda_state a = { .calls = 0 };
	char *text = export_plan(f, &a);
	const char *line = text;
	int folded = 0;

	assert_int_equal(text[strlen(text) - 1], '\n');
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len;

		assert_non_null(nl);
		assert_true(nl > line && nl[-1] == '\r');
		len = (size_t)(nl - line) - 1;
		assert_true(len <= 75);
		assert_null(memchr(line, '\r', len));
		if (*line == ' ') {
			folded++;
			/* No continuation byte right after the fold. */
			assert_false(len > 1 && ((unsigned char)line[1] & 0xc0) == 0x80);
		}
		/* ... nor a lead byte without its continuation before it. */
		if (len > 0) {
			unsigned char last = (unsigned char)line[len - 1];
			assert_false(last >= 0xc0);
		}
		line = nl + 1;
	}
	assert_true(folded > 0);
	free(text);
}

static void test_deterministic(void **state)
{
	struct fixture *f = *state;
	struct agenda_state a = { .calls = 0 }, b = { .calls = 0 };
	char *one = export_plan(f, &a), *two = export_plan(f, &b);
	struct pv_plan *same = build_plan();
	struct pv_ics_options opts = {
		.calendar_name = "P\xc3\xa5 tvers \xe2\x80\x93 Hof skole 2026/27",
		.dtstamp = DTSTAMP,
		.agenda = agenda,
		.agenda_arg = &b,
	};
	char *three = export_with(f, same, &opts);

	assert_string_equal(one, two);
	/* A plan built again from the same data: the same bytes. */
	assert_string_equal(one, three);
	/* Only the given DTSTAMP, never the clock. */
	assert_non_null(strstr(one, "DTSTAMP:20260601T080000Z\r\n"));
	pv_plan_free(same);
	free(one);
	free(two);
	free(three);
}

/* A stored meeting moved by hand exports the same UID with a higher
 * SEQUENCE (lib/schedule.c raises it; the export must carry it). */
static void test_moved_meeting_sequence(void **state)
{
	struct fixture *f = *state;
	struct pv_participant parts[] = { { "kare-rektor", "rektor", NULL } };
	struct pv_meeting m = {
		.school_year = 2026, .unit = "hof", .kind = PV_MEETING_SYSTEMMOTE,
		.number = 2, .date = ymd(2026, 10, 1), .start = 12 * 60 + 30,
		.end = 14 * 60, .status = PV_MEETING_PLANNED, .leader = "kare-rektor",
		.participants = parts, .nparticipants = 1,
	};
	struct pv_ics_options opts = { .dtstamp = DTSTAMP };
	struct pv_plan *before, *after;
	struct pv_error err;
	icalcomponent *c1, *c2, *e1, *e2;
	char *t1, *t2;
	long long id;

	assert_int_equal(pv_db_begin(f->db, &err), PV_OK);
	assert_int_equal(pv_meeting_insert(f->db, &m, &id, &err), PV_OK);
	assert_int_equal(pv_db_commit(f->db, &err), PV_OK);
	assert_int_equal(pv_plan_load(f->db, NULL, &before, &err), PV_OK);
	assert_int_equal(pv_plan_count(before), 1);

	m = *pv_plan_at(before, 0);
	m.date = ymd(2026, 10, 8);
	m.moved = true;
	assert_int_equal(pv_db_begin(f->db, &err), PV_OK);
	assert_int_equal(pv_meeting_update(f->db, &m, NULL, &err), PV_OK);
	assert_int_equal(pv_db_commit(f->db, &err), PV_OK);
	assert_int_equal(pv_plan_load(f->db, NULL, &after, &err), PV_OK);

	t1 = export_with(f, before, &opts);
	t2 = export_with(f, after, &opts);
	c1 = parse(t1);
	c2 = parse(t2);
	e1 = icalcomponent_get_first_component(c1, ICAL_VEVENT_COMPONENT);
	e2 = icalcomponent_get_first_component(c2, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_uid(e1), "2026-hof-systemmote-2@patvers");
	assert_string_equal(icalcomponent_get_uid(e2), icalcomponent_get_uid(e1));
	assert_true(icalcomponent_get_sequence(e2) > icalcomponent_get_sequence(e1));
	assert_int_equal(icalproperty_get_dtstart(icalcomponent_get_first_property(
		e2, ICAL_DTSTART_PROPERTY)).day, 8);

	icalcomponent_free(c1);
	icalcomponent_free(c2);
	free(t1);
	free(t2);
	pv_plan_free(before);
	pv_plan_free(after);
}

static void test_calendar_name(void **state)
{
	struct fixture *f = *state;
	struct pv_plan *empty = pv_plan_new();
	struct pv_ics_options opts = { .dtstamp = DTSTAMP };
	struct pv_error err;
	icalcomponent *cal;
	char *text;

	/* The default names the municipality from the rules. */
	text = export_with(f, empty, &opts);
	assert_non_null(strstr(text, "X-WR-CALNAME:P\xc3\xa5 tvers \xe2\x80\x93"
			       " Holmestrand kommune\r\n"));
	/* An empty plan is still a whole calendar with its zone. */
	cal = parse(text);
	assert_int_equal(count_components(cal, ICAL_VEVENT_COMPONENT), 0);
	assert_int_equal(count_components(cal, ICAL_VTIMEZONE_COMPONENT), 1);
	icalcomponent_free(cal);
	free(text);

	/* Without rules: the method's name alone. */
	assert_int_equal(pv_ics_export(empty, f->roster, NULL, &opts, &text, &err), PV_OK);
	assert_non_null(strstr(text, "X-WR-CALNAME:P\xc3\xa5 tvers\r\n"));
	free(text);

	/* A newline in the name must not end the line. */
	opts.calendar_name = "Hof\r\nBEGIN:VEVENT";
	text = export_with(f, empty, &opts);
	assert_non_null(strstr(text, "X-WR-CALNAME:Hof  BEGIN:VEVENT\r\n"));
	cal = parse(text);
	assert_int_equal(count_components(cal, ICAL_VEVENT_COMPONENT), 0);
	icalcomponent_free(cal);
	free(text);
	pv_plan_free(empty);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	struct pv_ics_options opts = { .dtstamp = DTSTAMP };
	struct pv_meeting m = *pv_plan_at(f->plan, 0);
	struct pv_plan *bad;
	struct pv_error err;
	char *text = (char *)"untouched";

	/* The library never falls back to the clock. */
	opts.dtstamp = 0;
	assert_int_equal(pv_ics_export(f->plan, f->roster, f->rules, &opts, &text, &err),
			 PV_ESOFTWARE);
	assert_null(text);
	opts.dtstamp = DTSTAMP;
	assert_int_equal(pv_ics_export(f->plan, f->roster, f->rules, NULL, &text, &err),
			 PV_ESOFTWARE);
	assert_int_equal(pv_ics_export(f->plan, NULL, f->rules, &opts, &text, &err),
			 PV_ESOFTWARE);

	/* A dry-run meeting has no UID yet. */
	m.uid = NULL;
	bad = pv_plan_new();
	assert_int_equal(pv_plan_add(bad, &m, &err), PV_OK);
	text = (char *)"untouched";
	assert_int_equal(pv_ics_export(bad, f->roster, f->rules, &opts, &text, &err), PV_EDATA);
	assert_null(text);
	assert_non_null(strstr(err.message, "no UID"));
	assert_non_null(strstr(err.message, "2026-08-20"));
	pv_plan_free(bad);

	/* An end not after the start. */
	m = *pv_plan_at(f->plan, 0);
	m.end = m.start;
	bad = pv_plan_new();
	assert_int_equal(pv_plan_add(bad, &m, &err), PV_OK);
	assert_int_equal(pv_ics_export(bad, f->roster, f->rules, &opts, &text, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "2026-hof-systemmote-1@patvers"));
	pv_plan_free(bad);
}

static int group_teardown(void **state)
{
	(void)state;
	/* Parsing resolves TZIDs and may load libical's zone cache. */
	icaltimezone_free_builtin_timezones();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_calendar_envelope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timezone_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_people, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agenda_description, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folding_crlf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_moved_meeting_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calendar_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
