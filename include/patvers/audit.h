/* The tamper-evident audit log: one hash-chained row per change. */
#ifndef PATVERS_AUDIT_H
#define PATVERS_AUDIT_H

#include "patvers/db.h"
#include "patvers/error.h"

/*
 * Appends a row (UTC time, OS user and command from the db actor, the
 * entity changed and a summary) whose hash is SHA-256 over the previous
 * row's hash and this row's fields. Must run inside the caller's write
 * transaction, so the row lands with the change or not at all.
 */
enum pv_status pv_audit_append(struct pv_db *db, const char *entity,
			       const char *summary, struct pv_error *err);

/* One audit row; strings valid only during the callback. */
struct pv_audit_row {
	long long id;
	const char *time;      /* "2026-11-23T18:40:00Z" */
	const char *os_user;
	const char *command;
	const char *entity;
	const char *summary;
	const char *hash;      /* hex */
};
typedef void (*pv_audit_row_fn)(const struct pv_audit_row *row, void *arg);

/* Rows with time >= since (ISO date or date-time; NULL for all), oldest
 * first. */
enum pv_status pv_audit_list(struct pv_db *db, const char *since,
			     pv_audit_row_fn fn, void *arg, struct pv_error *err);

/*
 * Recomputes the chain. On a broken chain returns PV_OK with *bad_id set
 * to the first row that does not verify and `why` describing it (edited,
 * deleted before it, out of order); *bad_id is 0 when the chain is whole.
 */
enum pv_status pv_audit_verify(struct pv_db *db, long long *bad_id,
			       char *why, size_t why_size, struct pv_error *err);

/* The time of the newest audit row (the database's last change), in UTC
 * seconds since 1970; 0 when the log is empty. */
enum pv_status pv_audit_last_time(struct pv_db *db, long long *unix_seconds,
				  struct pv_error *err);

#endif
