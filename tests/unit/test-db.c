/* Unit tests for the store: migrations, private files, transactions, audit chain, backup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "patvers/audit.h"
#include "patvers/db.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/pv-test-db-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/a/b/patvers.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static struct pv_db *open_ok(const char *path)
{
	struct pv_error err;
	struct pv_db *db = NULL;

	assert_int_equal(pv_db_open(path, PV_DB_CREATE, 100, &db, &err), PV_OK);
	return db;
}

static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void test_create_private_and_migrated(void **state)
{
	struct fixture *f = *state;
	struct pv_db *db = open_ok(f->path);
	sqlite3_stmt *stmt;
	struct stat st;
	char folder[128];

	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(folder, sizeof folder, "%s/a/b", f->dir);
	assert_int_equal(stat(folder, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(sqlite3_prepare_v2(pv_db_handle(db), "PRAGMA user_version", -1,
					    &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), pv_db_schema_version());
	sqlite3_finalize(stmt);
	pv_db_close(db);
	/* Opening again migrates nothing and keeps the version. */
	db = open_ok(f->path);
	pv_db_close(db);
}

static void test_missing_database(void **state)
{
	struct fixture *f = *state;
	struct pv_error err;
	struct pv_db *db;

	assert_int_equal(pv_db_open(f->path, PV_DB_OPEN, 100, &db, &err), PV_ENOINPUT);
	assert_null(db);
	assert_non_null(strstr(err.message, "patvers init"));
}

static void test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	struct pv_error err;
	struct pv_db *db = open_ok(f->path);

	pv_db_close(db);
	raw_sql(f->path, "PRAGMA user_version = 999");
	assert_int_equal(pv_db_open(f->path, PV_DB_OPEN, 100, &db, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "newer"));
}

static void test_world_writable_refused(void **state)
{
	struct fixture *f = *state;
	struct pv_error err;
	struct pv_db *db = open_ok(f->path);

	pv_db_close(db);
	assert_int_equal(chmod(f->path, 0666), 0);
	assert_int_not_equal(pv_db_open(f->path, PV_DB_OPEN, 100, &db, &err), PV_OK);
	assert_non_null(strstr(err.message, "world-writable"));
}

static void test_empty_file_is_migrated(void **state)
{
	struct fixture *f = *state;
	char path[160];
	FILE *fp;
	struct pv_db *db;
	char *value;
	struct pv_error err;

	snprintf(path, sizeof path, "%s/empty.db", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	chmod(path, 0600);
	assert_int_equal(pv_db_open(path, PV_DB_OPEN, 100, &db, &err), PV_OK);
	assert_int_equal(pv_db_meta_set(db, "k", "v", &err), PV_OK);
	assert_int_equal(pv_db_meta_get(db, "k", &value, &err), PV_OK);
	assert_string_equal(value, "v");
	free(value);
	assert_int_equal(pv_db_meta_get(db, "absent", &value, &err), PV_OK);
	assert_null(value);
	pv_db_close(db);
}

static void append_rows(struct pv_db *db, int n)
{
	struct pv_error err;
	char summary[32];

	assert_int_equal(pv_db_set_actor(db, "rektor", "patvers test", &err), PV_OK);
	pv_db_set_clock(db, 1795000000);
	assert_int_equal(pv_db_begin(db, &err), PV_OK);
	for (int i = 1; i <= n; i++) {
		snprintf(summary, sizeof summary, "change %d", i);
		assert_int_equal(pv_audit_append(db, "test", summary, &err), PV_OK);
	}
	assert_int_equal(pv_db_commit(db, &err), PV_OK);
}

static long long verify(struct pv_db *db, char *why)
{
	struct pv_error err;
	long long bad = -1;

	assert_int_equal(pv_audit_verify(db, &bad, why, 256, &err), PV_OK);
	return bad;
}

static void test_audit_chain_whole(void **state)
{
	struct fixture *f = *state;
	struct pv_db *db = open_ok(f->path);
	char why[256];

	assert_int_equal(verify(db, why), 0);
	append_rows(db, 4);
	assert_int_equal(verify(db, why), 0);
	pv_db_close(db);
}

static void test_audit_edit_detected(void **state)
{
	struct fixture *f = *state;
	struct pv_db *db = open_ok(f->path);
	char why[256];

	append_rows(db, 4);
	raw_sql(f->path, "UPDATE audit SET summary = 'nothing happened' WHERE id = 2");
	assert_int_equal(verify(db, why), 2);
	assert_non_null(strstr(why, "changed"));
	pv_db_close(db);
}

static void test_audit_delete_detected(void **state)
{
	struct fixture *f = *state;
	struct pv_db *db = open_ok(f->path);
	char why[256];

	append_rows(db, 4);
	raw_sql(f->path, "DELETE FROM audit WHERE id = 3");
	assert_int_equal(verify(db, why), 4);
	assert_non_null(strstr(why, "row 3 is missing"));
	pv_db_close(db);
}

static void test_audit_delete_last_detected(void **state)
{
	struct fixture *f = *state;
	struct pv_db *db = open_ok(f->path);
	char why[256];

	append_rows(db, 4);
	raw_sql(f->path, "DELETE FROM audit WHERE id = 4");
	assert_int_equal(verify(db, why), 4);
	assert_non_null(strstr(why, "deleted"));
	pv_db_close(db);
}

static void test_audit_reorder_detected(void **state)
{
	struct fixture *f = *state;
	struct pv_db *db = open_ok(f->path);
	char why[256];

	append_rows(db, 3);
	/* Swap rows 1 and 2 whole, hashes included. */
	raw_sql(f->path,
		"UPDATE audit SET id = -1 WHERE id = 1;"
		"UPDATE audit SET id = 1 WHERE id = 2;"
		"UPDATE audit SET id = 2 WHERE id = -1;");
	assert_int_equal(verify(db, why), 1);
	pv_db_close(db);
}

static void test_busy_database(void **state)
{
	struct fixture *f = *state;
	struct pv_db *a = open_ok(f->path), *b = open_ok(f->path);
	struct pv_error err;

	assert_int_equal(pv_db_begin(a, &err), PV_OK);
	assert_int_equal(pv_db_begin(b, &err), PV_EBUSY);
	assert_non_null(strstr(err.message, "busy"));
	pv_db_rollback(a);
	assert_int_equal(pv_db_begin(b, &err), PV_OK);
	pv_db_rollback(b);
	pv_db_close(a);
	pv_db_close(b);
}

static void test_rollback_discards(void **state)
{
	struct fixture *f = *state;
	struct pv_db *db = open_ok(f->path);
	struct pv_error err;
	char *value;

	assert_int_equal(pv_db_begin(db, &err), PV_OK);
	assert_int_equal(pv_db_meta_set(db, "k", "v", &err), PV_OK);
	pv_db_rollback(db);
	assert_int_equal(pv_db_meta_get(db, "k", &value, &err), PV_OK);
	assert_null(value);
	pv_db_close(db);
}

static void test_backup(void **state)
{
	struct fixture *f = *state;
	struct pv_db *db = open_ok(f->path), *copy;
	struct pv_error err;
	char dest[160], why[256];
	struct stat st;

	append_rows(db, 2);
	snprintf(dest, sizeof dest, "%s/backups/copy.db", f->dir);
	assert_int_equal(pv_db_backup(db, dest, &err), PV_OK);
	assert_int_equal(stat(dest, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(pv_db_backup(db, dest, &err), PV_ECANTCREAT);
	assert_non_null(strstr(err.message, "refusing to overwrite"));
	pv_db_close(db);
	assert_int_equal(pv_db_open(dest, PV_DB_OPEN, 100, &copy, &err), PV_OK);
	assert_int_equal(verify(copy, why), 0);
	pv_db_close(copy);
}

static void test_folder_blocked_by_file(void **state)
{
	struct fixture *f = *state;
	char file[128], path[160];
	struct pv_error err;
	struct pv_db *db;
	FILE *fp;

	snprintf(file, sizeof file, "%s/plain", f->dir);
	fp = fopen(file, "w");
	assert_non_null(fp);
	fclose(fp);
	snprintf(path, sizeof path, "%s/sub/patvers.db", file);
	assert_int_equal(pv_db_open(path, PV_DB_CREATE, 100, &db, &err), PV_ECANTCREAT);
	assert_non_null(strstr(err.message, "cannot create folder"));
}

/* A folder anyone may write lets anyone replace the database: refused,
 * unless it is sticky like /tmp. Either way nothing is created. */
static void test_world_writable_folder_refused(void **state)
{
	struct fixture *f = *state;
	struct pv_error err;
	struct pv_db *db = open_ok(f->path);
	char folder[128], other[160];

	pv_db_close(db);
	snprintf(folder, sizeof folder, "%s/a/b", f->dir);
	assert_int_equal(chmod(folder, 0777), 0);
	assert_int_equal(pv_db_open(f->path, PV_DB_OPEN, 100, &db, &err), PV_EIO);
	assert_null(db);
	assert_non_null(strstr(err.message, "folder"));
	assert_non_null(strstr(err.message, "world-writable"));
	snprintf(other, sizeof other, "%s/new.db", folder);
	assert_int_equal(pv_db_open(other, PV_DB_CREATE, 100, &db, &err), PV_EIO);
	assert_int_equal(access(other, F_OK), -1);
	assert_int_equal(chmod(folder, 01777), 0);
	db = open_ok(f->path);
	pv_db_close(db);
}

/* A -wal beside the database is replayed into it on open: one that
 * anyone may write (or that is a link) is refused. */
static void test_planted_wal_refused(void **state)
{
	struct fixture *f = *state;
	struct pv_error err;
	struct pv_db *db = open_ok(f->path);
	char wal[160];
	FILE *fp;

	pv_db_close(db);
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	fp = fopen(wal, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(chmod(wal, 0666), 0);
	assert_int_equal(pv_db_open(f->path, PV_DB_OPEN, 100, &db, &err), PV_EIO);
	assert_non_null(strstr(err.message, "-wal' is world-writable"));
	assert_int_equal(unlink(wal), 0);
	assert_int_equal(symlink("/dev/null", wal), 0);
	assert_int_equal(pv_db_open(f->path, PV_DB_OPEN, 100, &db, &err), PV_EIO);
	assert_non_null(strstr(err.message, "not a regular file"));
	assert_int_equal(unlink(wal), 0);
	db = open_ok(f->path);
	pv_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_private_and_migrated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_world_writable_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_world_writable_folder_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_planted_wal_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file_is_migrated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_chain_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_edit_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_delete_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_delete_last_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_reorder_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_discards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folder_blocked_by_file, setup, teardown),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
