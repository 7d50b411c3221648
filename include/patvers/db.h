/* The SQLite store: open, migrate, transactions, check and backup. */
#ifndef PATVERS_DB_H
#define PATVERS_DB_H

#include <stdbool.h>
#include <sqlite3.h>

#include "patvers/error.h"

struct pv_db;

/* The schema version this library writes (PRAGMA user_version). */
int pv_db_schema_version(void);

enum pv_db_mode {
	PV_DB_OPEN,    /* the database must exist (PV_ENOINPUT if not) */
	PV_DB_CREATE,  /* create file (0600) and folder (0700) when missing */
};

/*
 * Opens the database at `path`, applies pending migrations in one
 * transaction, and turns on WAL, foreign keys and the busy timeout
 * (`busy_ms`). Refuses a world-writable database file. A database whose
 * schema is newer than this library is an error (PV_EDATA).
 * On success *out is owned by the caller: close with pv_db_close().
 */
enum pv_status pv_db_open(const char *path, enum pv_db_mode mode, int busy_ms,
			  struct pv_db **out, struct pv_error *err);
void pv_db_close(struct pv_db *db);

/* The connection, borrowed, for modules that own tables. */
sqlite3 *pv_db_handle(struct pv_db *db);
const char *pv_db_path(const struct pv_db *db);

/*
 * Who is acting, recorded by the audit log for every write: the OS user
 * and the command line. Strings are copied. The command-line layer sets
 * these; the library never looks at the environment.
 */
enum pv_status pv_db_set_actor(struct pv_db *db, const char *os_user,
			       const char *command, struct pv_error *err);
const char *pv_db_actor_user(const struct pv_db *db);
const char *pv_db_actor_command(const struct pv_db *db);
/* UTC time stamp used for audit rows, seconds since the epoch (set by the
 * caller so tests can pin it; 0 means "now"). */
void pv_db_set_clock(struct pv_db *db, long long unix_seconds);
long long pv_db_now(const struct pv_db *db);

/* BEGIN IMMEDIATE: takes the write lock now, so a busy database is found
 * before anything is done (PV_EBUSY once the busy timeout has passed). */
enum pv_status pv_db_begin(struct pv_db *db, struct pv_error *err);
enum pv_status pv_db_commit(struct pv_db *db, struct pv_error *err);
/* Rolls back the open transaction, if any; never fails. */
void pv_db_rollback(struct pv_db *db);

/* Fills err from the connection's last SQLite error, mapping SQLITE_BUSY
 * and SQLITE_LOCKED to PV_EBUSY, I/O errors to PV_EIO and the rest to
 * PV_ESOFTWARE. `what` says what was being done (a message, translated
 * here like pv_error_set's format). Returns the status. */
enum pv_status pv_db_fail(struct pv_db *db, const char *what, struct pv_error *err);

/* Prepares `sql`; on failure fills err (see pv_db_fail). Caller finalizes. */
enum pv_status pv_db_prepare(struct pv_db *db, const char *sql,
			     sqlite3_stmt **stmt, struct pv_error *err);
/* The statement for `sql` (a string that lives as long as `db`, e.g. a
 * literal) compiled once per connection, reset and without bindings: for
 * statements run once per record in bulk writes. Owned by `db`: never
 * finalize it; step it to SQLITE_DONE (or reset it) before the
 * transaction ends. */
enum pv_status pv_db_cached(struct pv_db *db, const char *sql, sqlite3_stmt **stmt,
			    struct pv_error *err);
/* Runs SQL without results (may be several statements). */
enum pv_status pv_db_exec(struct pv_db *db, const char *sql, struct pv_error *err);

/* Key/value settings of the database (table `meta`). *value is
 * malloc'ed, caller frees; NULL when the key is absent. */
enum pv_status pv_db_meta_get(struct pv_db *db, const char *key, char **value,
			      struct pv_error *err);
enum pv_status pv_db_meta_set(struct pv_db *db, const char *key, const char *value,
			      struct pv_error *err);

/* One problem found by pv_db_check. */
struct pv_db_problem {
	const char *check;   /* "integrity", "foreign_key" or "audit" */
	const char *detail;
};
/* Called once per problem; strings are valid only during the call. */
typedef void (*pv_db_problem_fn)(const struct pv_db_problem *p, void *arg);

/* integrity_check + foreign_key_check + audit chain. *problems counts
 * what was found (0: all good). */
enum pv_status pv_db_check(struct pv_db *db, pv_db_problem_fn fn, void *arg,
			   int *problems, struct pv_error *err);

/* VACUUM INTO `dest`; refuses an existing file (PV_ECANTCREAT); the copy
 * is made 0600. */
enum pv_status pv_db_backup(struct pv_db *db, const char *dest, struct pv_error *err);

#endif
