/* The half-year report's stored parts: the units' notes and the sent mark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/anonymity.h"
#include "patvers/audit.h"
#include "patvers/team.h"
#include "report-internal.h"

#define NOTE_MAX 4000

static enum pv_status check_half(int year, int half, struct pv_error *err)
{
	if (half != 1 && half != 2)
		return pv_error_set(err, PV_EUSAGE, "the half-year is H1 or H2");
	if (year < 1900 || year > 2199)
		return pv_error_set(err, PV_EUSAGE, "year %d is out of range (1900–2199)", year);
	return PV_OK;
}

/* A unit that may carry a note: one that reports, or a kindergarten. */
static enum pv_status note_unit(struct pv_db *db, const char *unit, struct pv_error *err)
{
	struct pv_roster *roster;
	const struct pv_unit *u;
	enum pv_status status = pv_roster_load(db, NULL, &roster, err);

	if (status != PV_OK)
		return status;
	u = pv_roster_unit(roster, unit);
	if (!u)
		status = pv_error_set(err, PV_EDATA, "no unit '%s'", unit);
	else if (u->kind != PV_UNIT_KINDERGARTEN && !report_unit_reports(roster, u))
		status = pv_error_set(err, PV_EDATA,
				      "'%s' does not report: notes belong to schools, "
				      "kindergartens, kindergarten groups, the Nærværsteam "
				      "and God oppvekst", unit);
	pv_roster_free(roster);
	return status;
}

static enum pv_status step_done(struct pv_db *db, sqlite3_stmt *st, const char *what,
				struct pv_error *err)
{
	enum pv_status status = PV_OK;

	if (sqlite3_step(st) != SQLITE_DONE)
		status = pv_db_fail(db, what, err);
	sqlite3_finalize(st);
	return status;
}

enum pv_status pv_report_note_set(struct pv_db *db, const struct pv_rules *rules,
				  const char *unit, int year, int half, const char *text,
				  struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status = check_half(year, half, err);
	char summary[256];

	if (status == PV_OK)
		status = note_unit(db, unit, err);
	if (status != PV_OK)
		return status;
	if (text) {
		size_t len = strlen(text), blank = strspn(text, " \t\r\n");

		if (blank == len)
			return pv_error_set(err, PV_EDATA, "the note is empty");
		if (len > NOTE_MAX)
			return pv_error_set(err, PV_EDATA,
					    "the note is %zu bytes; at most %d fit in a report",
					    len, NOTE_MAX);
		status = pv_anonymity_check(rules, "note", text, err);
		if (status != PV_OK)
			return status;
		status = pv_db_prepare(db,
				       "INSERT INTO report_note (unit, year, half, text)"
				       " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (unit, year, half)"
				       " DO UPDATE SET text = excluded.text", &st, err);
	} else {
		status = pv_db_prepare(db, "DELETE FROM report_note WHERE unit = ?1"
				       " AND year = ?2 AND half = ?3", &st, err);
	}
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, year);
	sqlite3_bind_int(st, 3, half);
	if (text)
		sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	status = step_done(db, st, "cannot store the note", err);
	if (status != PV_OK)
		return status;
	if (!text && sqlite3_changes(pv_db_handle(db)) == 0)
		return pv_error_set(err, PV_EDATA, "'%s' has no note for H%d %d", unit, half,
				    year);
	/* the summary names the unit and the size, never the words */
	if (text)
		snprintf(summary, sizeof summary, "report note for %.64s, H%d %d: %zu bytes",
			 unit, half, year, strlen(text));
	else
		snprintf(summary, sizeof summary, "report note for %.64s, H%d %d removed",
			 unit, half, year);
	return pv_audit_append(db, "report", summary, err);
}

enum pv_status pv_report_sent_get(struct pv_db *db, int year, int half, bool *sent,
				  pv_date *date, char **by, struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status;
	int rc;

	*sent = false;
	if (date)
		*date = 0;
	if (by)
		*by = NULL;
	status = pv_db_prepare(db, "SELECT sent, sent_by FROM report_sent"
			       " WHERE year = ? AND half = ?", &st, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_int(st, 2, half);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 0);
		const char *who = (const char *)sqlite3_column_text(st, 1);
		pv_date day = 0;

		*sent = true;
		if (!d || !pv_date_parse(d, &day))
			status = pv_error_set(err, PV_EDATA, "the sent mark of H%d %d has a bad "
					      "date (run 'patvers db check')", half, year);
		if (date)
			*date = day;
		if (status == PV_OK && by && !(*by = strdup(who ? who : "")))
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	} else if (rc != SQLITE_DONE) {
		status = pv_db_fail(db, "cannot read the sent mark", err);
	}
	sqlite3_finalize(st);
	return status;
}

enum pv_status pv_report_mark_sent(struct pv_db *db, int year, int half, pv_date date,
				   const char *by, bool undo, struct pv_error *err)
{
	struct pv_rules *rules = NULL;
	sqlite3_stmt *st;
	char *was_by = NULL, day[11], summary[256];
	pv_date was = 0;
	bool sent = false;
	enum pv_status status = check_half(year, half, err);

	if (status == PV_OK)
		status = pv_report_sent_get(db, year, half, &sent, &was, &was_by, err);
	if (status != PV_OK)
		return status;
	if (undo && !sent)
		return pv_error_set(err, PV_EDATA, "the H%d %d report is not marked sent",
				    half, year);
	if (!undo && sent) {
		status = pv_error_set(err, PV_EDATA, "the H%d %d report was marked sent on %s "
				      "by %s already (remove the mark with --undo)", half, year,
				      pv_date_format(was, day), was_by);
		free(was_by);
		return status;
	}
	free(was_by);
	if (undo) {
		status = pv_db_prepare(db, "DELETE FROM report_sent WHERE year = ? AND half = ?",
				       &st, err);
		if (status != PV_OK)
			return status;
		sqlite3_bind_int(st, 1, year);
		sqlite3_bind_int(st, 2, half);
		status = step_done(db, st, "cannot remove the sent mark", err);
		snprintf(summary, sizeof summary, "report H%d %d: sent mark removed", half, year);
		return status == PV_OK ? pv_audit_append(db, "report", summary, err) : status;
	}
	if (!by || !*by)
		return pv_error_set(err, PV_EDATA, "say who sent the report");
	status = pv_rules_load(db, &rules, err);
	if (status == PV_OK)
		status = pv_db_prepare(db, "INSERT INTO report_sent (year, half, sent, sent_by,"
				       " recipient) VALUES (?, ?, ?, ?, ?)", &st, err);
	if (status == PV_OK) {
		sqlite3_bind_int(st, 1, year);
		sqlite3_bind_int(st, 2, half);
		sqlite3_bind_text(st, 3, pv_date_format(date, day), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, by, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, pv_rules_str(rules, "recipient"), -1, SQLITE_STATIC);
		status = step_done(db, st, "cannot store the sent mark", err);
	}
	if (status == PV_OK) {
		snprintf(summary, sizeof summary, "report H%d %d sent on %s by %.80s to %.80s",
			 half, year, day, by, pv_rules_str(rules, "recipient"));
		status = pv_audit_append(db, "report", summary, err);
	}
	pv_rules_free(rules);
	return status;
}
