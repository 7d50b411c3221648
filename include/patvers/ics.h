/* The meeting plan as iCalendar (RFC 5545) for Outlook, Google Calendar and scripts. */
#ifndef PATVERS_ICS_H
#define PATVERS_ICS_H

#include "patvers/error.h"
#include "patvers/rules.h"
#include "patvers/schedule.h"
#include "patvers/team.h"

/*
 * One VCALENDAR (METHOD:PUBLISH) with a fixed Europe/Oslo VTIMEZONE and
 * one VEVENT per meeting, in plan order. The text is built with libical
 * and comes out as libical writes it: CRLF line ends, lines folded at 75
 * octets without splitting a UTF-8 character.
 *
 * The output is a function of the arguments only: the library never reads
 * the clock, the environment or the system's tzdata, so the same plan,
 * roster and options give byte-identical text on every machine. That is
 * why DTSTAMP is an option and why the VTIMEZONE is written from the
 * EU rules (CET/CEST, since 1996) rather than taken from libical's
 * builtin zone, which follows the installed tzdata and names itself
 * "/freeassociation.sourceforge.net/Europe/Oslo".
 *
 * Per meeting: UID and SEQUENCE from the meeting; DTSTART/DTEND as local
 * times with TZID=Europe/Oslo; SUMMARY in Norwegian ("Systemmøte – Hof
 * skole"); LOCATION the hosting kindergarten or the unit; DESCRIPTION
 * from the agenda callback; STATUS:CONFIRMED (planned, held) or
 * STATUS:CANCELLED; ORGANIZER the leader; one ATTENDEE per participant
 * (REQ-PARTICIPANT, NEEDS-ACTION; a substitute carries
 * X-PATVERS-SUBSTITUTE-FOR=<person id> and a COMMENT naming whom they
 * stand in for); CATEGORIES the kind in Norwegian; X-PATVERS-KIND and
 * X-PATVERS-UNIT the kind and unit ids for scripts.
 *
 * Unit and person names come from the roster; a unit it does not know is
 * shown by its id. A person it does not know (someone removed after the
 * meeting was cancelled) has no e-mail address to write and is left out
 * of ORGANIZER and ATTENDEE.
 */

/*
 * The agenda of a meeting, for DESCRIPTION: a UTF-8 text (newlines
 * allowed) that stays valid until the next call or the end of
 * pv_ics_export, or NULL for no DESCRIPTION. `m` is borrowed for the call.
 */
typedef const char *(*pv_ics_agenda_fn)(const struct pv_meeting *m, void *arg);

struct pv_ics_options {
	/* X-WR-CALNAME ("På tvers – Hof skole 2026/27"); NULL: "På tvers –
	 * <municipality from the rules>", or "På tvers" without rules.
	 * Control characters become spaces. */
	const char *calendar_name;
	/* DTSTAMP of every VEVENT, UTC seconds since the epoch: the caller's
	 * fixed "now" (PATVERS_NOW) or the plan's last change. Must be > 0. */
	long long dtstamp;
	pv_ics_agenda_fn agenda;    /* may be NULL: no DESCRIPTION */
	void *agenda_arg;           /* passed to agenda, borrowed */
};

/*
 * Writes `plan` as an iCalendar document. `plan`, `roster` and `opts` are
 * required; `rules` may be NULL (only the default calendar name uses it).
 * All four are borrowed and only read during the call. On success *text
 * is a NUL-terminated string owned by the caller: free it with free().
 * On failure *text is NULL: PV_EDATA for a meeting that cannot be written
 * (no UID — a dry-run plan that was never stored —, a date or time out of
 * range, end not after start), PV_ESOFTWARE for a missing argument,
 * dtstamp ≤ 0 or out of memory.
 */
enum pv_status pv_ics_export(const struct pv_plan *plan, const struct pv_roster *roster,
			     const struct pv_rules *rules, const struct pv_ics_options *opts,
			     char **text, struct pv_error *err);

#endif
