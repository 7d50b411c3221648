/* Changes to a stafettlogg: open, goals, tiltak, notes, levels, handovers, close, purge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/consent.h"
#include "stafett-internal.h"

enum pv_status pv_stafett_open(struct pv_db *db, const struct pv_rules *rules,
			       const struct pv_stafett_open_spec *spec, long long *id,
			       struct pv_error *err)
{
	struct pv_stafett draft = { 0 };
	sqlite3_stmt *st = NULL;
	char service[32], d[11];
	long long new_id = 0;
	enum pv_status status;
	int rc;

	status = pv_consent_ref_check(rules, "--ref", spec->ref, err);
	if (status == PV_OK)
		status = stafett_unit(db, spec->unit, err);
	if (status == PV_OK)
		status = stafett_person(db, "--holder", spec->holder, service, err);
	if (status == PV_OK && (spec->level < 0 || spec->level > 3))
		status = pv_error_set(err, PV_EDATA, "--level: a level is 0, 1, 2 or 3, not %d",
				      spec->level);
	if (status == PV_OK && !spec->date)
		status = pv_error_set(err, PV_EDATA, "a stafettlogg needs the date it opens");
	if (status == PV_OK)
		status = stafett_guard(rules, "--concern", spec->concern, true, err);
	if (status == PV_OK)
		status = pv_db_prepare(db, "SELECT opened, holder FROM stafett"
				       " WHERE ref = ? AND closed IS NULL", &st, err);
	if (status == PV_OK) {
		sqlite3_bind_text(st, 1, spec->ref, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			status = pv_error_set(err, PV_EDATA, "stafettlogg '%s' is open since %s "
					      "(holder %s): one open log per reference", spec->ref,
					      (const char *)sqlite3_column_text(st, 0),
					      (const char *)sqlite3_column_text(st, 1));
		else if (rc != SQLITE_DONE)
			status = pv_db_fail(db, "cannot read the stafettlogger", err);
		sqlite3_finalize(st);
	}
	if (status == PV_OK)
		status = stafett_consent_unit(db, spec->ref, spec->unit, err);
	if (status == PV_OK && spec->level > 0) {
		draft.ref = spec->ref;
		draft.unit = spec->unit;
		draft.holder = spec->holder;
		draft.holder_service = service[0] ? service : NULL;
		draft.level = spec->level;
		status = stafett_consent(db, &draft, spec->level, spec->date, NULL, NULL, err);
	}
	if (status == PV_OK)
		status = stafett_exec(db, err, "INSERT INTO stafett (ref, unit, holder, level, "
				      "opened, level_since, decided) VALUES (?, ?, ?, ?, ?, ?, ?)",
				      "sssiddd", spec->ref, spec->unit, spec->holder,
				      (long long)spec->level, spec->date, spec->date,
				      spec->level > 0 ? spec->date : 0);
	if (status == PV_OK) {
		new_id = sqlite3_last_insert_rowid(pv_db_handle(db));
		status = stafett_entry_add(db, new_id, PV_STAFETT_OPENED, spec->date, spec->holder,
					   spec->level, 0, 0, NULL, spec->concern, err);
	}
	if (status == PV_OK)
		status = stafett_audit(db, new_id, spec->unit, err, "opened %s at level %d, "
				       "holder %s", pv_date_format(spec->date, d), spec->level,
				       spec->holder);
	if (status == PV_OK && id)
		*id = new_id;
	return status;
}

enum pv_status pv_stafett_goal_add(struct pv_db *db, const struct pv_rules *rules,
				   const char *ref, pv_date date, const char *text,
				   int *number, struct pv_error *err)
{
	struct pv_stafett_logs *logs;
	const struct pv_stafett *log;
	int n;
	enum pv_status status = stafett_open_log(db, rules, ref, date, &logs, &log, err);

	if (status != PV_OK)
		return status;
	n = (int)log->ngoals + 1;
	status = stafett_guard(rules, "goal", text, true, err);
	if (status == PV_OK)
		status = stafett_entry_add(db, log->id, PV_STAFETT_GOAL, date, NULL, -1, 0, 0,
					   NULL, text, err);
	if (status == PV_OK)
		status = stafett_audit(db, log->id, log->unit, err, "goal %d added", n);
	if (status == PV_OK && number)
		*number = n;
	pv_stafett_logs_free(logs);
	return status;
}

enum pv_status pv_stafett_tiltak_add(struct pv_db *db, const struct pv_rules *rules,
				     const char *ref, pv_date date, const char *what,
				     const char *responsible, pv_date evaluate_by,
				     int *number, struct pv_error *err)
{
	struct pv_stafett_logs *logs;
	const struct pv_stafett *log;
	char service[32], d1[11], d2[11];
	int n;
	enum pv_status status = stafett_open_log(db, rules, ref, date, &logs, &log, err);

	if (status != PV_OK)
		return status;
	n = (int)log->ntiltak + 1;
	status = stafett_guard(rules, "--what", what, true, err);
	if (status == PV_OK)
		status = stafett_person(db, "--responsible", responsible, service, err);
	if (status == PV_OK && evaluate_by <= date)
		status = pv_error_set(err, PV_EDATA, "--evaluate-by %s is not after the day the "
				      "tiltak starts (%s)", pv_date_format(evaluate_by, d1),
				      pv_date_format(date, d2));
	if (status == PV_OK)
		status = stafett_consent(db, log, log->level, date, responsible, service, err);
	if (status == PV_OK)
		status = stafett_exec(db, err, "INSERT INTO stafett_tiltak (stafett, number,"
				      " what, responsible, started, evaluate_by)"
				      " VALUES (?, ?, ?, ?, ?, ?)",
				      "iissdd", log->id, (long long)n, what, responsible, date,
				      evaluate_by);
	if (status == PV_OK)
		status = stafett_entry_add(db, log->id, PV_STAFETT_TILTAK, date, responsible, -1,
					   n, evaluate_by, NULL, what, err);
	if (status == PV_OK)
		status = stafett_audit(db, log->id, log->unit, err, "tiltak %d added, responsible "
				       "%s, evaluate by %s", n, responsible,
				       pv_date_format(evaluate_by, d1));
	if (status == PV_OK && number)
		*number = n;
	pv_stafett_logs_free(logs);
	return status;
}

static enum pv_status find_tiltak(const struct pv_stafett *log, int number, pv_date date,
				  const struct pv_stafett_tiltak **out, struct pv_error *err)
{
	char d1[11], d2[11];

	*out = NULL;
	for (size_t i = 0; i < log->ntiltak; i++)
		if (log->tiltak[i].number == number)
			*out = &log->tiltak[i];
	if (!*out && log->ntiltak == 0)
		return pv_error_set(err, PV_EDATA, "stafettlogg '%s' has no tiltak yet (add one "
				    "with 'patvers stafett tiltak add')", log->ref);
	if (!*out)
		return pv_error_set(err, PV_EDATA, "stafettlogg '%s' has no tiltak %d (it has "
				    "1–%zu)", log->ref, number, log->ntiltak);
	if ((*out)->ended)
		return pv_error_set(err, PV_EDATA, "tiltak %d of '%s' ended on %s", number,
				    log->ref, pv_date_format((*out)->ended, d1));
	if (date < (*out)->started)
		return pv_error_set(err, PV_EDATA, "%s is before tiltak %d started (%s)",
				    pv_date_format(date, d1), number,
				    pv_date_format((*out)->started, d2));
	return PV_OK;
}

enum pv_status pv_stafett_evaluate(struct pv_db *db, const struct pv_rules *rules,
				   const char *ref, int number, pv_date date,
				   const char *result, enum pv_stafett_decision decision,
				   pv_date next, pv_date *next_out, struct pv_error *err)
{
	struct pv_stafett_logs *logs;
	const struct pv_stafett *log;
	const struct pv_stafett_tiltak *t;
	bool end = decision == PV_STAFETT_END;
	char d1[11], d2[11];
	enum pv_status status = stafett_open_log(db, rules, ref, date, &logs, &log, err);

	if (status != PV_OK)
		return status;
	status = find_tiltak(log, number, date, &t, err);
	if (status == PV_OK)
		status = stafett_guard(rules, "--result", result, true, err);
	if (status == PV_OK && !end && !next) {
		/* the same rhythm again: the interval it had */
		pv_date from = t->evaluated ? t->evaluated : t->started;
		pv_date interval = t->evaluate_by > from ? t->evaluate_by - from : 1;
		next = date + interval;
	}
	if (status == PV_OK && !end && next <= date)
		status = pv_error_set(err, PV_EDATA, "--evaluate-by %s is not after the "
				      "evaluation (%s)", pv_date_format(next, d1),
				      pv_date_format(date, d2));
	if (status == PV_OK && end)
		status = stafett_exec(db, err, "UPDATE stafett_tiltak SET evaluated = ?, ended = ?"
				      " WHERE stafett = ? AND number = ?", "ddii", date, date,
				      log->id, (long long)number);
	else if (status == PV_OK)
		status = stafett_exec(db, err, "UPDATE stafett_tiltak SET evaluated = ?, "
				      "evaluate_by = ? WHERE stafett = ? AND number = ?", "ddii",
				      date, next, log->id, (long long)number);
	if (status == PV_OK)
		status = stafett_entry_add(db, log->id, PV_STAFETT_EVALUATION, date, NULL, -1,
					   number, end ? 0 : next, end ? "end" : "continue",
					   result, err);
	if (status == PV_OK && end)
		status = stafett_audit(db, log->id, log->unit, err, "tiltak %d evaluated on %s: "
				       "ended", number, pv_date_format(date, d1));
	else if (status == PV_OK)
		status = stafett_audit(db, log->id, log->unit, err, "tiltak %d evaluated on %s: "
				       "continues, next %s", number, pv_date_format(date, d1),
				       pv_date_format(next, d2));
	if (status == PV_OK && next_out)
		*next_out = end ? 0 : next;
	pv_stafett_logs_free(logs);
	return status;
}

enum pv_status pv_stafett_note(struct pv_db *db, const struct pv_rules *rules,
			       const char *ref, pv_date date, const char *text,
			       struct pv_error *err)
{
	struct pv_stafett_logs *logs;
	const struct pv_stafett *log;
	char d[11];
	enum pv_status status = stafett_open_log(db, rules, ref, date, &logs, &log, err);

	if (status != PV_OK)
		return status;
	status = stafett_guard(rules, "note", text, true, err);
	if (status == PV_OK)
		status = stafett_entry_add(db, log->id, PV_STAFETT_NOTE, date, NULL, -1, 0, 0,
					   NULL, text, err);
	if (status == PV_OK)
		status = stafett_audit(db, log->id, log->unit, err, "note of %s added",
				       pv_date_format(date, d));
	pv_stafett_logs_free(logs);
	return status;
}

enum pv_status pv_stafett_set_level(struct pv_db *db, const struct pv_rules *rules,
				    const char *ref, pv_date date, int level, const char *why,
				    struct pv_error *err)
{
	struct pv_stafett_logs *logs;
	const struct pv_stafett *log;
	char d[11];
	enum pv_status status = stafett_open_log(db, rules, ref, date, &logs, &log, err);

	if (status != PV_OK)
		return status;
	if (level == 0)
		status = pv_error_set(err, PV_EDATA, "level 0 is the concern before a decision: "
				      "a log does not go back to it (close it instead)");
	else if (level < 0 || level > 3)
		status = pv_error_set(err, PV_EDATA, "a level is 1, 2 or 3, not %d", level);
	else if (level == log->level)
		status = pv_error_set(err, PV_EDATA, "stafettlogg '%s' is already at level %d",
				      ref, level);
	if (status == PV_OK)
		status = stafett_guard(rules, "--why", why, true, err);
	if (status == PV_OK)
		status = stafett_consent(db, log, level, date, NULL, NULL, err);
	/* leaving level 0 is the decision the rules give days for */
	if (status == PV_OK)
		status = stafett_exec(db, err, "UPDATE stafett SET level = ?, level_since = ?,"
				      " decided = COALESCE(decided, ?) WHERE id = ?", "iddi",
				      (long long)level, date, date, log->id);
	if (status == PV_OK)
		status = stafett_entry_add(db, log->id, PV_STAFETT_LEVEL, date, NULL, level, 0, 0,
					   NULL, why, err);
	if (status == PV_OK)
		status = stafett_audit(db, log->id, log->unit, err, "level %d to %d on %s",
				       log->level, level, pv_date_format(date, d));
	pv_stafett_logs_free(logs);
	return status;
}

static enum pv_status no_pending(const struct pv_stafett *log, struct pv_error *err)
{
	char d[11];

	if (!log->pending_to)
		return PV_OK;
	return pv_error_set(err, PV_EDATA, "a handover of '%s' to '%s' is pending since %s: "
			    "it is accepted or declined first", log->ref, log->pending_to,
			    pv_date_format(log->pending_since, d));
}

enum pv_status pv_stafett_handover(struct pv_db *db, const struct pv_rules *rules,
				   const char *ref, pv_date date, const char *to,
				   struct pv_error *err)
{
	struct pv_stafett_logs *logs;
	const struct pv_stafett *log;
	char service[32], d[11];
	enum pv_status status = stafett_open_log(db, rules, ref, date, &logs, &log, err);

	if (status != PV_OK)
		return status;
	status = stafett_person(db, "--to", to, service, err);
	if (status == PV_OK && strcmp(to, log->holder) == 0)
		status = pv_error_set(err, PV_EDATA, "'%s' already holds stafettlogg '%s'", to,
				      ref);
	if (status == PV_OK)
		status = no_pending(log, err);
	if (status == PV_OK)
		status = stafett_consent(db, log, log->level, date, to, service, err);
	if (status == PV_OK)
		status = stafett_exec(db, err, "UPDATE stafett SET pending_to = ?, "
				      "pending_since = ? WHERE id = ?", "sdi", to, date, log->id);
	if (status == PV_OK)
		status = stafett_entry_add(db, log->id, PV_STAFETT_HANDOVER, date, to, -1, 0, 0,
					   NULL, NULL, err);
	if (status == PV_OK)
		status = stafett_audit(db, log->id, log->unit, err, "handover from %s to %s asked "
				       "on %s", log->holder, to, pv_date_format(date, d));
	pv_stafett_logs_free(logs);
	return status;
}

static enum pv_status pending(const struct pv_stafett *log, pv_date date, struct pv_error *err)
{
	char d1[11], d2[11];

	if (!log->pending_to)
		return pv_error_set(err, PV_EDATA, "stafettlogg '%s' has no pending handover "
				    "(see 'patvers stafett handover')", log->ref);
	if (date < log->pending_since)
		return pv_error_set(err, PV_EDATA, "%s is before the handover was asked (%s)",
				    pv_date_format(date, d1),
				    pv_date_format(log->pending_since, d2));
	return PV_OK;
}

enum pv_status pv_stafett_accept(struct pv_db *db, const struct pv_rules *rules,
				 const char *ref, pv_date date, const char *by,
				 struct pv_error *err)
{
	struct pv_stafett_logs *logs;
	const struct pv_stafett *log;
	char service[32], d[11];
	enum pv_status status = stafett_open_log(db, rules, ref, date, &logs, &log, err);

	if (status != PV_OK)
		return status;
	status = pending(log, date, err);
	if (status == PV_OK && (!by || strcmp(by, log->pending_to) != 0))
		status = pv_error_set(err, PV_EDATA, "the handover of '%s' is to '%s': only they "
				      "accept it (--by %s)", ref, log->pending_to, log->pending_to);
	if (status == PV_OK)
		status = stafett_person(db, "--by", by, service, err);
	/* checked again: the consent may have been withdrawn since */
	if (status == PV_OK)
		status = stafett_consent(db, log, log->level, date, by, service, err);
	if (status == PV_OK)
		status = stafett_exec(db, err, "UPDATE stafett SET holder = ?, pending_to = NULL,"
				      " pending_since = NULL WHERE id = ?", "si", by, log->id);
	if (status == PV_OK)
		status = stafett_entry_add(db, log->id, PV_STAFETT_ACCEPTED, date, by, -1, 0, 0,
					   NULL, NULL, err);
	if (status == PV_OK)
		status = stafett_audit(db, log->id, log->unit, err, "handover accepted on %s: "
				       "holder %s (was %s)", pv_date_format(date, d), by,
				       log->holder);
	pv_stafett_logs_free(logs);
	return status;
}

enum pv_status pv_stafett_decline(struct pv_db *db, const struct pv_rules *rules,
				  const char *ref, pv_date date, const char *by,
				  const char *why, struct pv_error *err)
{
	struct pv_stafett_logs *logs;
	const struct pv_stafett *log;
	char d[11];
	enum pv_status status = stafett_open_log(db, rules, ref, date, &logs, &log, err);

	if (status != PV_OK)
		return status;
	status = pending(log, date, err);
	if (status == PV_OK && (!by || (strcmp(by, log->pending_to) != 0 &&
					strcmp(by, log->holder) != 0)))
		status = pv_error_set(err, PV_EDATA, "only the receiver '%s' or the holder '%s' "
				      "declines the handover of '%s'", log->pending_to,
				      log->holder, ref);
	if (status == PV_OK)
		status = stafett_guard(rules, "--why", why, false, err);
	if (status == PV_OK)
		status = stafett_exec(db, err, "UPDATE stafett SET pending_to = NULL,"
				      " pending_since = NULL WHERE id = ?", "i", log->id);
	if (status == PV_OK)
		status = stafett_entry_add(db, log->id, PV_STAFETT_DECLINED, date, by, -1, 0, 0,
					   NULL, why, err);
	if (status == PV_OK)
		status = stafett_audit(db, log->id, log->unit, err, "handover to %s declined on "
				       "%s by %s", log->pending_to, pv_date_format(date, d), by);
	pv_stafett_logs_free(logs);
	return status;
}

enum pv_status pv_stafett_close(struct pv_db *db, const struct pv_rules *rules,
				const char *ref, pv_date date,
				enum pv_stafett_reason reason, struct pv_error *err)
{
	struct pv_stafett_logs *logs;
	const struct pv_stafett *log;
	const char *name = pv_stafett_reason_name(reason);
	int running = 0;
	char d[11];
	enum pv_status status = stafett_open_log(db, rules, ref, date, &logs, &log, err);

	if (status != PV_OK)
		return status;
	if ((unsigned)reason > PV_STAFETT_OTHER)
		status = pv_error_set(err, PV_EDATA, "--reason: goal-met, parents-request, moved "
				      "or other");
	if (status == PV_OK)
		status = no_pending(log, err);
	for (size_t i = 0; i < log->ntiltak; i++)
		running += !log->tiltak[i].ended;
	if (status == PV_OK)
		status = stafett_exec(db, err, "UPDATE stafett SET closed = ?, close_reason = ?,"
				      " decided = COALESCE(decided, ?) WHERE id = ?", "dsdi", date,
				      name, date, log->id);
	if (status == PV_OK)
		status = stafett_exec(db, err, "UPDATE stafett_tiltak SET ended = ?"
				      " WHERE stafett = ? AND ended IS NULL", "di", date, log->id);
	if (status == PV_OK)
		status = stafett_entry_add(db, log->id, PV_STAFETT_CLOSED, date, NULL, -1, 0, 0,
					   name, NULL, err);
	if (status == PV_OK)
		status = stafett_audit(db, log->id, log->unit, err, "closed on %s: %s, %d running "
				       "tiltak ended", pv_date_format(date, d), name, running);
	pv_stafett_logs_free(logs);
	return status;
}

enum pv_status pv_stafett_mark_exported(struct pv_db *db, long long id, pv_date date,
					const char *format, struct pv_error *err)
{
	sqlite3_stmt *st;
	char *unit = NULL;
	int entries = 0, rc;
	enum pv_status status = pv_db_prepare(db, "SELECT s.unit, (SELECT count(*) FROM "
					      "stafett_entry e WHERE e.stafett = s.id) FROM "
					      "stafett s WHERE s.id = ?", &st, err);

	if (status != PV_OK)
		return status;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		unit = strdup((const char *)sqlite3_column_text(st, 0));
		entries = sqlite3_column_int(st, 1);
		if (!unit)
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	} else if (rc == SQLITE_DONE) {
		status = pv_error_set(err, PV_EDATA, "no stafettlogg %lld", id);
	} else {
		status = pv_db_fail(db, "cannot read the stafettlogger", err);
	}
	sqlite3_finalize(st);
	if (status == PV_OK)
		status = stafett_exec(db, err, "UPDATE stafett SET exported = ? WHERE id = ?", "di",
				      date, id);
	if (status == PV_OK)
		status = stafett_audit(db, id, unit, err, "exported whole (%s), %d entries",
				       format ? format : "?", entries);
	free(unit);
	return status;
}

/* ---- purge ---- */

static const char *const purge_names[] = { "removed", "kept-retention", "kept-not-exported" };

const char *pv_stafett_purge_action_name(enum pv_stafett_purge_action action)
{
	return (unsigned)action <= PV_STAFETT_KEPT_NOT_EXPORTED ? purge_names[action]
								 : "unknown";
}

/* One log looked at by purge, copied out of the statement. */
struct candidate {
	long long id;
	char *ref, *unit;
	pv_date closed;
	bool exported;
};

static void free_candidates(struct candidate *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].ref);
		free(v[i].unit);
	}
	free(v);
}

static pv_date date_of(const char *text)
{
	pv_date d = 0;

	if (!text || !pv_date_parse(text, &d))
		d = 0;
	return d;
}

/* The closed logs before `before`, by closing date. */
static enum pv_status candidates(struct pv_db *db, pv_date before, struct candidate **out,
				 size_t *count, struct pv_error *err)
{
	struct candidate *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st;
	char d[11];
	int rc;
	enum pv_status status = pv_db_prepare(db, "SELECT id, ref, unit, closed, exported"
					      " FROM stafett WHERE closed IS NOT NULL"
					      " AND closed < ? ORDER BY closed, id", &st, err);

	*out = NULL;
	*count = 0;
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(st, 1, pv_date_format(before, d), -1, SQLITE_STATIC);
	while (status == PV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct candidate *c;

		if (n == cap) {
			size_t grown_cap = cap ? cap * 2 : 16;
			struct candidate *grown = realloc(v, grown_cap * sizeof *grown);
			if (!grown) {
				status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
				break;
			}
			v = grown;
			cap = grown_cap;
		}
		c = &v[n++];
		c->id = sqlite3_column_int64(st, 0);
		c->ref = strdup((const char *)sqlite3_column_text(st, 1));
		c->unit = strdup((const char *)sqlite3_column_text(st, 2));
		c->closed = date_of((const char *)sqlite3_column_text(st, 3));
		c->exported = sqlite3_column_type(st, 4) != SQLITE_NULL;
		if (!c->ref || !c->unit)
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	if (status == PV_OK && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the stafettlogger", err);
	sqlite3_finalize(st);
	if (status != PV_OK) {
		free_candidates(v, n);
		return status;
	}
	*out = v;
	*count = n;
	return PV_OK;
}

enum pv_status pv_stafett_purge(struct pv_db *db, const struct pv_rules *rules,
				const struct pv_stafett_purge_options *opts,
				pv_stafett_purge_fn fn, void *arg, int *removed,
				struct pv_error *err)
{
	long long retention = pv_rules_int(rules, "stafett.retention_days");
	struct candidate *v;
	size_t n;
	int count = 0;
	char d[11];
	enum pv_status status;

	if (removed)
		*removed = 0;
	status = candidates(db, opts->closed_before, &v, &n, err);
	for (size_t i = 0; status == PV_OK && i < n; i++) {
		struct pv_stafett_purge_row row = { v[i].id, v[i].ref, v[i].unit, v[i].closed,
						    PV_STAFETT_REMOVED };

		if ((long long)opts->today - v[i].closed < retention)
			row.action = PV_STAFETT_KEPT_RETENTION;
		else if (!v[i].exported && !opts->force)
			row.action = PV_STAFETT_KEPT_NOT_EXPORTED;
		if (row.action == PV_STAFETT_REMOVED && !opts->dry_run) {
			/* entries and tiltak go with it (ON DELETE CASCADE) */
			status = stafett_exec(db, err, "DELETE FROM stafett WHERE id = ?", "i",
					      v[i].id);
			if (status == PV_OK)
				status = stafett_audit(db, v[i].id, v[i].unit, err,
						       "removed after the retention time "
						       "(closed %s, %lld days%s)",
						       pv_date_format(v[i].closed, d), retention,
						       v[i].exported ? "" : ", not exported");
		}
		if (status != PV_OK)
			break;
		count += row.action == PV_STAFETT_REMOVED;
		if (fn)
			fn(&row, arg);
	}
	free_candidates(v, n);
	if (status == PV_OK && removed)
		*removed = count;
	return status;
}
