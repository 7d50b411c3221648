/* Shared by the libFuzzer targets: a scratch database and checks on what a parser returns. */
#ifndef PATVERS_TESTS_FUZZ_H
#define PATVERS_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patvers/db.h"
#include "patvers/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A parser may accept input or reject it as bad data; anything else
 * (a crash, an "internal error", a rejection without a message) is a
 * bug, so the target aborts and libFuzzer keeps the input.
 */
static inline void fuzz_check_status(enum pv_status status, const struct pv_error *err)
{
	if (status == PV_OK)
		return;
	if (status != PV_EDATA || err->message[0] == '\0') {
		fprintf(stderr, "fuzz: status %d, message '%s'\n", (int)status, err->message);
		abort();
	}
}

/*
 * Targets that can only be reached through the store share one database
 * per process in a private temp folder, removed at exit. Every input runs
 * in its own transaction that is rolled back, so inputs do not leak into
 * each other and the file never grows.
 */
struct fuzz_scratch {
	char dir[64];
	char path[96];
	struct pv_db *db;
};

static struct fuzz_scratch fuzz_scratch;

static inline void fuzz_remove_db(void)
{
	static const char *const tails[] = { "", "-wal", "-shm", "-journal" };
	char path[128];

	pv_db_close(fuzz_scratch.db);
	fuzz_scratch.db = NULL;
	for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		snprintf(path, sizeof path, "%s%s", fuzz_scratch.path, tails[i]);
		unlink(path);
	}
	rmdir(fuzz_scratch.dir);
}

static inline void fuzz_die(const char *what, const struct pv_error *err)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, err->message);
	exit(1);
}

/* The process's database, created on first use. */
static inline struct pv_db *fuzz_db(void)
{
	struct pv_error err;

	if (fuzz_scratch.db)
		return fuzz_scratch.db;
	snprintf(fuzz_scratch.dir, sizeof fuzz_scratch.dir, "%s/patvers-fuzz-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(fuzz_scratch.dir)) {
		perror("fuzz: mkdtemp");
		exit(1);
	}
	snprintf(fuzz_scratch.path, sizeof fuzz_scratch.path, "%s/fuzz.db", fuzz_scratch.dir);
	if (pv_db_open(fuzz_scratch.path, PV_DB_CREATE, 0, &fuzz_scratch.db, &err) != PV_OK)
		fuzz_die("cannot create the scratch database", &err);
	atexit(fuzz_remove_db);
	pv_db_set_clock(fuzz_scratch.db, 1795000000);
	if (pv_db_set_actor(fuzz_scratch.db, "fuzz", "fuzz", &err) != PV_OK)
		fuzz_die("cannot set the actor", &err);
	return fuzz_scratch.db;
}

#endif
