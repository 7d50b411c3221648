/* The meeting plan as an iCalendar document, built with libical. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libical/ical.h>

#include "patvers/ics.h"

#define EN_DASH "\xe2\x80\x93"
#define TZID "Europe/Oslo"
#define PRODID "-//patvers//patvers 0.1//NB"
#define CALNAME_BASE "P\xc3\xa5 tvers"   /* "På tvers", the method's name */

/*
 * How each kind reads in a calendar: the SUMMARY (followed by the unit's
 * name where the kind belongs to a school or kindergarten; a service's
 * meetings need no name, the label says whose they are) and the
 * CATEGORIES value people filter on.
 */
static const struct {
	const char *summary;
	bool with_unit;
	const char *category;
} kinds[PV_MEETING_KINDS] = {
	[PV_MEETING_SYSTEMMOTE] = { "Systemm\xc3\xb8te", true, "Systemm\xc3\xb8te" },
	[PV_MEETING_VEILEDNINGSTEAM] = { "Veiledningsteam", true, "Veiledningsteam" },
	[PV_MEETING_NAERVAER] = { "N\xc3\xa6rv\xc3\xa6rsteam " EN_DASH " konsultasjon", false,
				  "N\xc3\xa6rv\xc3\xa6rsteam" },
	[PV_MEETING_GOD_OPPVEKST] = { "God oppvekst", false, "God oppvekst" },
	[PV_MEETING_APEN_DOR] = { "\xc2\xab\xc3\x85pen d\xc3\xb8r\xc2\xbb", true,
				  "\xc3\x85pen d\xc3\xb8r" },
};

/*
 * libical reports running out of memory by returning NULL from a
 * constructor and by ignoring NULL arguments, so every property and
 * parameter goes through these helpers, which note the failure once
 * instead of checking at every call site.
 */
struct builder {
	const struct pv_roster *roster;
	bool oom;
};

static void add_prop(struct builder *b, icalcomponent *c, icalproperty *p)
{
	if (!p) {
		b->oom = true;
		return;
	}
	icalcomponent_add_property(c, p);
}

static icalproperty *add_param(struct builder *b, icalproperty *p, icalparameter *x)
{
	if (!p || !x) {
		b->oom = true;
		if (x)
			icalparameter_free(x);
		return p;
	}
	icalproperty_add_parameter(p, x);
	return p;
}

static void add_comp(struct builder *b, icalcomponent *parent, icalcomponent *c)
{
	if (!c) {
		b->oom = true;
		return;
	}
	icalcomponent_add_component(parent, c);
}

/* An X- property. Its value is written verbatim by libical (no TEXT
 * escaping), so callers pass only text without control characters. */
static icalproperty *x_prop(const char *name, const char *value)
{
	icalproperty *p = icalproperty_new_x(value);

	if (p)
		icalproperty_set_x_name(p, name);
	return p;
}

static icalparameter *x_param(const char *name, const char *value)
{
	icalparameter *p = icalparameter_new_x(value);

	if (p)
		icalparameter_set_xname(p, name);
	return p;
}

/* "a – b" (or a copy of `a` when b is NULL), malloc'ed; NULL when out of
 * memory. */
static char *dash_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = b ? strlen(b) : 0;
	char *s = malloc(la + lb + sizeof " " EN_DASH " ");

	if (!s)
		return NULL;
	memcpy(s, a, la + 1);
	if (b) {
		memcpy(s + la, " " EN_DASH " ", sizeof " " EN_DASH " " - 1);
		memcpy(s + la + sizeof " " EN_DASH " " - 1, b, lb + 1);
	}
	return s;
}

static struct icaltimetype local_time(int year, int month, int day, int minutes)
{
	struct icaltimetype t = icaltime_null_time();

	t.year = year;
	t.month = month;
	t.day = day;
	t.hour = minutes / 60;
	t.minute = minutes % 60;
	t.is_date = 0;
	return t;
}

/* ---- the time zone ---- */

/* One STANDARD or DAYLIGHT part of the zone, repeating by `rule`. */
static icalcomponent *observance(struct builder *b, icalcomponent_kind kind,
				 const char *name, int from, int to,
				 struct icaltimetype start, const char *rule)
{
	icalcomponent *c = icalcomponent_new(kind);

	if (!c) {
		b->oom = true;
		return NULL;
	}
	add_prop(b, c, icalproperty_new_tzname(name));
	add_prop(b, c, icalproperty_new_tzoffsetfrom(from));
	add_prop(b, c, icalproperty_new_tzoffsetto(to));
	add_prop(b, c, icalproperty_new_dtstart(start));
	add_prop(b, c, icalproperty_new_rrule(icalrecurrencetype_from_string(rule)));
	return c;
}

/*
 * Europe/Oslo as the EU rules have defined it since 1996: CEST from the
 * last Sunday of March 02:00 to the last Sunday of October 03:00. Written
 * out here, not taken from icaltimezone_get_builtin_timezone(): in
 * libical 3.0 that zone is read from the system's tzdata, carries every
 * change since 1895 and RRULEs whose UNTIL depends on the tzdata release,
 * and is named "/freeassociation.sourceforge.net/Europe/Oslo" — so its
 * text differs between machines and its TZID matches no one else's.
 * Plans start in 2026; older history is of no use to them.
 */
static icalcomponent *oslo_vtimezone(struct builder *b)
{
	icalcomponent *tz = icalcomponent_new(ICAL_VTIMEZONE_COMPONENT);

	if (!tz) {
		b->oom = true;
		return NULL;
	}
	add_prop(b, tz, icalproperty_new_tzid(TZID));
	/* libical readers map the zone to their own copy by this name. */
	add_prop(b, tz, x_prop("X-LIC-LOCATION", TZID));
	add_comp(b, tz, observance(b, ICAL_XDAYLIGHT_COMPONENT, "CEST", 3600, 7200,
				   local_time(1970, 3, 29, 2 * 60),
				   "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
	add_comp(b, tz, observance(b, ICAL_XSTANDARD_COMPONENT, "CET", 7200, 3600,
				   local_time(1970, 10, 25, 3 * 60),
				   "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"));
	return tz;
}

/* ---- one meeting ---- */

static const char *unit_name(const struct pv_roster *r, const char *slug)
{
	const struct pv_unit *u = slug ? pv_roster_unit(r, slug) : NULL;

	return u && u->name && *u->name ? u->name : slug;
}

static const char *person_name(const struct pv_roster *r, const char *slug)
{
	const struct pv_person *p = slug ? pv_roster_person(r, slug) : NULL;

	return p && p->name && *p->name ? p->name : slug;
}

/* ORGANIZER or ATTENDEE for a person with an e-mail address; NULL (and
 * no failure) for someone the roster does not know. */
static icalproperty *person_prop(struct builder *b, bool organizer, const char *slug)
{
	const struct pv_person *p = slug ? pv_roster_person(b->roster, slug) : NULL;
	icalproperty *prop;
	char *addr;

	if (!p || !p->email || !*p->email)
		return NULL;
	addr = malloc(strlen(p->email) + sizeof "mailto:");
	if (!addr) {
		b->oom = true;
		return NULL;
	}
	strcpy(addr, "mailto:");
	strcat(addr, p->email);
	prop = organizer ? icalproperty_new_organizer(addr) : icalproperty_new_attendee(addr);
	free(addr);
	if (!prop) {
		b->oom = true;
		return NULL;
	}
	return add_param(b, prop, icalparameter_new_cn(p->name && *p->name ? p->name : slug));
}

static void add_attendee(struct builder *b, icalcomponent *ev,
			 const struct pv_participant *part)
{
	icalproperty *prop = person_prop(b, false, part->person);
	const char *who, *whom;
	char *comment;
	size_t size;

	if (!prop)
		return;
	add_param(b, prop, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
	add_param(b, prop, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
	if (part->substitute_for && *part->substitute_for)
		add_param(b, prop, x_param("X-PATVERS-SUBSTITUTE-FOR", part->substitute_for));
	add_prop(b, ev, prop);
	if (!part->substitute_for || !*part->substitute_for)
		return;
	/* The parameter is for scripts; calendar programs show a COMMENT. */
	who = person_name(b->roster, part->person);
	whom = person_name(b->roster, part->substitute_for);
	size = strlen(who) + strlen(whom) + sizeof " er stedfortreder for ";
	comment = malloc(size);
	if (comment) {
		snprintf(comment, size, "%s er stedfortreder for %s", who, whom);
		add_prop(b, ev, icalproperty_new_comment(comment));
	} else {
		b->oom = true;
	}
	free(comment);
}

static enum pv_status check_meeting(const struct pv_meeting *m, struct pv_error *err)
{
	char day[11];
	int year;

	pv_date_to_ymd(m->date, &year, NULL, NULL);
	if (!m->uid || !*m->uid)
		return pv_error_set(err, PV_EDATA, "meeting of '%s' on %s has no UID: "
				    "only a stored plan can be exported",
				    m->unit ? m->unit : "?", pv_date_format(m->date, day));
	if (!m->unit || !*m->unit)
		return pv_error_set(err, PV_EDATA, "meeting '%s' has no unit", m->uid);
	if ((unsigned)m->kind >= PV_MEETING_KINDS)
		return pv_error_set(err, PV_EDATA, "meeting '%s' has an unknown kind", m->uid);
	if (year < 1 || year > 9999)
		return pv_error_set(err, PV_EDATA, "meeting '%s' has a date outside "
				    "the years 1-9999", m->uid);
	if (m->start < 0 || m->end > 24 * 60 - 1 || m->end <= m->start)
		return pv_error_set(err, PV_EDATA, "meeting '%s' does not end after it starts",
				    m->uid);
	if (m->sequence < 0)
		return pv_error_set(err, PV_EDATA, "meeting '%s' has a negative SEQUENCE",
				    m->uid);
	return PV_OK;
}

static void add_event(struct builder *b, icalcomponent *cal, const struct pv_meeting *m,
		      const struct pv_ics_options *opts)
{
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	const char *unit = unit_name(b->roster, m->unit);
	const char *agenda;
	icalproperty *p;
	char *summary;
	int y, mo, d;

	if (!ev) {
		b->oom = true;
		return;
	}
	pv_date_to_ymd(m->date, &y, &mo, &d);
	add_prop(b, ev, icalproperty_new_uid(m->uid));
	add_prop(b, ev, icalproperty_new_sequence(m->sequence));
	add_prop(b, ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
		(time_t)opts->dtstamp, 0, icaltimezone_get_utc_timezone())));
	/* Local times with a TZID: the meeting stays at 12:30 in Oslo across
	 * the DST change, whatever zone the reader is in. */
	p = icalproperty_new_dtstart(local_time(y, mo, d, m->start));
	add_prop(b, ev, add_param(b, p, icalparameter_new_tzid(TZID)));
	p = icalproperty_new_dtend(local_time(y, mo, d, m->end));
	add_prop(b, ev, add_param(b, p, icalparameter_new_tzid(TZID)));

	summary = dash_join(kinds[m->kind].summary, kinds[m->kind].with_unit ? unit : NULL);
	if (summary)
		add_prop(b, ev, icalproperty_new_summary(summary));
	else
		b->oom = true;
	free(summary);
	add_prop(b, ev, icalproperty_new_location(m->host && *m->host ?
						  unit_name(b->roster, m->host) : unit));
	agenda = opts->agenda ? opts->agenda(m, opts->agenda_arg) : NULL;
	if (agenda && *agenda)
		add_prop(b, ev, icalproperty_new_description(agenda));
	add_prop(b, ev, icalproperty_new_status(m->status == PV_MEETING_CANCELLED ?
						ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	if ((p = person_prop(b, true, m->leader)))
		add_prop(b, ev, p);
	for (size_t i = 0; i < m->nparticipants; i++)
		add_attendee(b, ev, &m->participants[i]);
	add_prop(b, ev, icalproperty_new_categories(kinds[m->kind].category));
	add_prop(b, ev, x_prop("X-PATVERS-KIND", pv_meeting_kind_name(m->kind)));
	/* Unit ids are slugs (a–z, 0–9, '-'): safe as a verbatim X- value. */
	add_prop(b, ev, x_prop("X-PATVERS-UNIT", m->unit));
	add_comp(b, cal, ev);
}

/* ---- the calendar ---- */

/* The calendar's name with control characters as spaces, malloc'ed: an X-
 * value is written verbatim, and a newline in it would end the line. */
static char *calendar_name(const struct pv_ics_options *opts, const struct pv_rules *rules)
{
	const char *municipality = rules ? pv_rules_str(rules, "municipality") : NULL;
	char *name;

	if (opts->calendar_name)
		name = strdup(opts->calendar_name);
	else
		name = dash_join(CALNAME_BASE, municipality && *municipality ?
				 municipality : NULL);
	for (char *c = name; c && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return name;
}

enum pv_status pv_ics_export(const struct pv_plan *plan, const struct pv_roster *roster,
			     const struct pv_rules *rules, const struct pv_ics_options *opts,
			     char **text, struct pv_error *err)
{
	struct builder b = { .roster = roster };
	icalcomponent *cal;
	enum pv_status status;
	char *name, *ical;

	if (!text)
		return pv_error_set(err, PV_ESOFTWARE, "pv_ics_export: no output pointer");
	*text = NULL;
	if (!plan || !roster || !opts)
		return pv_error_set(err, PV_ESOFTWARE, "pv_ics_export: missing argument");
	/* No clock fallback: a DTSTAMP of "now" would make every export
	 * differ. */
	if (opts->dtstamp <= 0)
		return pv_error_set(err, PV_ESOFTWARE, "pv_ics_export: no DTSTAMP given");
	for (size_t i = 0; i < pv_plan_count(plan); i++) {
		status = check_meeting(pv_plan_at(plan, i), err);
		if (status != PV_OK)
			return status;
	}

	cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	name = calendar_name(opts, rules);
	if (!cal || !name) {
		if (cal)
			icalcomponent_free(cal);
		free(name);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	add_prop(&b, cal, icalproperty_new_version("2.0"));
	add_prop(&b, cal, icalproperty_new_prodid(PRODID));
	add_prop(&b, cal, icalproperty_new_calscale("GREGORIAN"));
	add_prop(&b, cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	add_prop(&b, cal, x_prop("X-WR-CALNAME", name));
	/* Google Calendar reads the calendar's default zone from here. */
	add_prop(&b, cal, x_prop("X-WR-TIMEZONE", TZID));
	free(name);
	/* Before the events: Outlook resolves a TZID only against a VTIMEZONE
	 * it has already read. */
	add_comp(&b, cal, oslo_vtimezone(&b));
	for (size_t i = 0; i < pv_plan_count(plan) && !b.oom; i++)
		add_event(&b, cal, pv_plan_at(plan, i), opts);

	ical = b.oom ? NULL : icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (!ical)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	/* A copy, so the caller's free() never depends on how libical was
	 * built to allocate. */
	*text = strdup(ical);
	icalmemory_free_buffer(ical);
	return *text ? PV_OK : pv_error_set(err, PV_ESOFTWARE, "out of memory");
}
