/* The audit log: hash-chained rows, one per change, and their verification. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "patvers/audit.h"
#include "patvers/date.h"

#define HASH_HEX (crypto_hash_sha256_BYTES * 2 + 1)

/* The previous hash of the first row. */
static const char genesis[HASH_HEX] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* Length-prefixing every field keeps the hashed text unambiguous
 * ("ab" + "c" differs from "a" + "bc"). */
static void hash_field(crypto_hash_sha256_state *st, const char *text)
{
	char len[32];
	size_t n = strlen(text);

	snprintf(len, sizeof len, "%zu:", n);
	crypto_hash_sha256_update(st, (const unsigned char *)len, strlen(len));
	crypto_hash_sha256_update(st, (const unsigned char *)text, n);
}

/* SHA-256 over the previous hash and every field of the row, including
 * its id so that moved rows do not verify. */
static void row_hash(const char *prev_hash, long long id, const char *time,
		     const char *user, const char *command, const char *entity,
		     const char *summary, char out[HASH_HEX])
{
	crypto_hash_sha256_state st;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char idtext[32];

	snprintf(idtext, sizeof idtext, "%lld", id);
	crypto_hash_sha256_init(&st);
	hash_field(&st, prev_hash);
	hash_field(&st, idtext);
	hash_field(&st, time);
	hash_field(&st, user);
	hash_field(&st, command);
	hash_field(&st, entity);
	hash_field(&st, summary);
	crypto_hash_sha256_final(&st, digest);
	sodium_bin2hex(out, HASH_HEX, digest, sizeof digest);
}

static void format_utc(long long seconds, char buf[21])
{
	time_t t = (time_t)seconds;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The last row's id and hash, or 0 and the genesis hash. */
static enum pv_status chain_head(struct pv_db *db, long long *id, char hash[HASH_HEX],
				 struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;
	int rc;

	status = pv_db_prepare(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
			       &stmt, err);
	if (status != PV_OK)
		return status;
	*id = 0;
	memcpy(hash, genesis, HASH_HEX);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		snprintf(hash, HASH_HEX, "%s", (const char *)sqlite3_column_text(stmt, 1));
	} else if (rc != SQLITE_DONE) {
		status = pv_db_fail(db, "cannot read the audit log", err);
	}
	sqlite3_finalize(stmt);
	return status;
}

enum pv_status pv_audit_append(struct pv_db *db, const char *entity,
			       const char *summary, struct pv_error *err)
{
	char prev[HASH_HEX], hash[HASH_HEX], when[21], head[96];
	const char *user = pv_db_actor_user(db), *command = pv_db_actor_command(db);
	sqlite3_stmt *stmt;
	enum pv_status status;
	long long id;

	if (sodium_init() < 0)
		return pv_error_set(err, PV_ESOFTWARE, "cannot initialise libsodium");
	status = chain_head(db, &id, prev, err);
	if (status != PV_OK)
		return status;
	id++;
	format_utc(pv_db_now(db), when);
	row_hash(prev, id, when, user, command, entity, summary, hash);
	status = pv_db_prepare(db,
			       "INSERT INTO audit (id, time, os_user, command, entity, summary,"
			       " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			       &stmt, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, when, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, command, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, entity, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, summary, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		status = pv_db_fail(db, "cannot write the audit log", err);
	sqlite3_finalize(stmt);
	/* The head, kept beside the chain, reveals rows cut off its end. */
	if (status == PV_OK) {
		snprintf(head, sizeof head, "%lld:%s", id, hash);
		status = pv_db_meta_set(db, "audit_head", head, err);
	}
	return status;
}

static const char *column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *v = sqlite3_column_text(stmt, col);
	return v ? (const char *)v : "";
}

enum pv_status pv_audit_list(struct pv_db *db, const char *since,
			     pv_audit_row_fn fn, void *arg, struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;
	int rc;

	status = pv_db_prepare(db,
			       "SELECT id, time, os_user, command, entity, summary, hash"
			       " FROM audit WHERE ? IS NULL OR time >= ? ORDER BY id",
			       &stmt, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(stmt, 1, since, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, since, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct pv_audit_row row = {
			.id = sqlite3_column_int64(stmt, 0),
			.time = column_text(stmt, 1),
			.os_user = column_text(stmt, 2),
			.command = column_text(stmt, 3),
			.entity = column_text(stmt, 4),
			.summary = column_text(stmt, 5),
			.hash = column_text(stmt, 6),
		};
		fn(&row, arg);
	}
	if (rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the audit log", err);
	sqlite3_finalize(stmt);
	return status;
}

/* Checks one row against the chain so far; fills why and returns false
 * when it does not verify. */
static bool verify_row(sqlite3_stmt *stmt, long long expect_id, const char *expect_prev,
		       char hash[HASH_HEX], char *why, size_t why_size)
{
	long long id = sqlite3_column_int64(stmt, 0);
	const char *prev = column_text(stmt, 6), *stored = column_text(stmt, 7);

	if (id != expect_id) {
		snprintf(why, why_size, "audit row %lld: row %lld is missing (deleted)",
			 id, expect_id);
		return false;
	}
	if (strcmp(prev, expect_prev) != 0) {
		snprintf(why, why_size,
			 "audit row %lld: does not follow row %lld (rows deleted or reordered)",
			 id, id - 1);
		return false;
	}
	row_hash(prev, id, column_text(stmt, 1), column_text(stmt, 2), column_text(stmt, 3),
		 column_text(stmt, 4), column_text(stmt, 5), hash);
	if (strcmp(hash, stored) != 0) {
		snprintf(why, why_size, "audit row %lld: contents were changed", id);
		return false;
	}
	return true;
}

/* Compares the end of the chain with the head recorded beside it. */
static enum pv_status verify_head(struct pv_db *db, long long last_id,
				  const char *last_hash, long long *bad_id,
				  char *why, size_t why_size, struct pv_error *err)
{
	char *head = NULL, expect[96];
	enum pv_status status = pv_db_meta_get(db, "audit_head", &head, err);

	if (status != PV_OK)
		return status;
	snprintf(expect, sizeof expect, "%lld:%s", last_id, last_hash);
	if (head ? strcmp(head, expect) != 0 : last_id != 0) {
		long long head_id = head ? strtoll(head, NULL, 10) : 0;

		if (head_id > last_id) {
			*bad_id = last_id + 1;
			snprintf(why, why_size, "audit row %lld: deleted (the log ended at row %lld)",
				 *bad_id, head_id);
		} else {
			*bad_id = last_id ? last_id : 1;
			snprintf(why, why_size,
				 "audit row %lld: the end of the log does not match its recorded head",
				 *bad_id);
		}
	}
	free(head);
	return status;
}

enum pv_status pv_audit_verify(struct pv_db *db, long long *bad_id,
			       char *why, size_t why_size, struct pv_error *err)
{
	char prev[HASH_HEX], hash[HASH_HEX];
	sqlite3_stmt *stmt;
	enum pv_status status;
	long long expect_id = 1;
	int rc;

	*bad_id = 0;
	if (why_size)
		why[0] = '\0';
	if (sodium_init() < 0)
		return pv_error_set(err, PV_ESOFTWARE, "cannot initialise libsodium");
	status = pv_db_prepare(db,
			       "SELECT id, time, os_user, command, entity, summary, prev_hash,"
			       " hash FROM audit ORDER BY id", &stmt, err);
	if (status != PV_OK)
		return status;
	memcpy(prev, genesis, HASH_HEX);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (!verify_row(stmt, expect_id, prev, hash, why, why_size)) {
			*bad_id = sqlite3_column_int64(stmt, 0);
			break;
		}
		memcpy(prev, hash, HASH_HEX);
		expect_id++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the audit log", err);
	sqlite3_finalize(stmt);
	if (status == PV_OK && *bad_id == 0)
		status = verify_head(db, expect_id - 1, prev, bad_id, why, why_size, err);
	return status;
}

enum pv_status pv_audit_last_time(struct pv_db *db, long long *unix_seconds,
				  struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;
	int y, mo, d, h, mi, s, rc;
	pv_date day;

	*unix_seconds = 0;
	status = pv_db_prepare(db, "SELECT time FROM audit ORDER BY id DESC LIMIT 1", &stmt, err);
	if (status != PV_OK)
		return status;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW &&
	    sscanf(column_text(stmt, 0), "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) == 6 &&
	    pv_date_from_ymd(y, mo, d, &day))
		*unix_seconds = (long long)day * 86400 + h * 3600 + mi * 60 + s;
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the audit log", err);
	sqlite3_finalize(stmt);
	return status;
}
