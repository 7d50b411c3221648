/* The SQLite store: private files, migrations, transactions, check, backup. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "patvers/audit.h"
#include "patvers/db.h"
#include "patvers/i18n.h"

struct pv_db {
	sqlite3 *handle;
	char *path;
	char *actor_user;
	char *actor_command;
	long long clock;
	bool in_transaction;
	/* Statements run once per record in bulk writes (pv_db_cached),
	 * compiled once per connection: keyed by their SQL text. */
	struct cached_stmt {
		const char *sql;          /* the caller's static string */
		sqlite3_stmt *stmt;
	} cache[16];
	size_t ncached;
};

/*
 * Forward migrations, in order: migrations[i] takes the schema from
 * version i to i + 1. Never edit a released step; append a new one.
 * Plain SQL that PostgreSQL also accepts.
 */
static const char *const migrations[] = {
	/* 1: settings, the rules in force, the audit log */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE rules (id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  document TEXT NOT NULL);"
	"CREATE TABLE audit (id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
	"  os_user TEXT NOT NULL, command TEXT NOT NULL, entity TEXT NOT NULL,"
	"  summary TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);",

	/* 2: the team roster (lib/team.c). Units are schools (with grades),
	 * kindergartens (in a group), kindergarten groups and services (with
	 * their code: ppt, bfs, …); people are staff, never children. */
	"CREATE TABLE unit (slug TEXT PRIMARY KEY, name TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN"
	"    ('school', 'kindergarten', 'kindergarten-group', 'service')),"
	"  grade_from INTEGER, grade_to INTEGER,"
	"  group_slug TEXT REFERENCES unit (slug),"
	"  service TEXT,"
	"  CHECK (grade_from IS NULL OR"
	"    (grade_from BETWEEN 1 AND 10 AND grade_to BETWEEN grade_from AND 10)),"
	"  CHECK (group_slug IS NULL OR kind = 'kindergarten'));"
	"CREATE TABLE person (slug TEXT PRIMARY KEY, name TEXT NOT NULL,"
	"  email TEXT NOT NULL, home_unit TEXT NOT NULL REFERENCES unit (slug),"
	"  substitute TEXT REFERENCES person (slug) CHECK (substitute <> slug));"
	"CREATE INDEX person_home ON person (home_unit);"
	"CREATE TABLE assignment (person TEXT NOT NULL REFERENCES person (slug),"
	"  unit TEXT NOT NULL REFERENCES unit (slug), role TEXT NOT NULL,"
	"  PRIMARY KEY (person, unit, role));"
	"CREATE INDEX assignment_unit ON assignment (unit);",

	/* 3: school-year calendars (lib/calendar.c). A year's first and last
	 * school day, and its closed spans: breaks and days off for every
	 * school, planning days for every school (unit NULL) or one, closed
	 * days for every kindergarten or one. `seq` keeps the file's order. */
	"CREATE TABLE calendar_year (school_year INTEGER PRIMARY KEY,"
	"  first_day TEXT NOT NULL, last_day TEXT NOT NULL,"
	"  name TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE calendar_closed ("
	"  school_year INTEGER NOT NULL"
	"    REFERENCES calendar_year (school_year) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN"
	"    ('break', 'day-off', 'planning-day', 'kindergarten-closed')),"
	"  unit TEXT REFERENCES unit (slug) ON DELETE CASCADE,"
	"  first_day TEXT NOT NULL, last_day TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  PRIMARY KEY (school_year, seq));"
	"CREATE INDEX calendar_closed_unit ON calendar_closed (unit);",

	/* 4: the meeting plan (lib/schedule.c). `number` is the planner's
	 * slot (n-th meeting of its kind for the unit in the school year);
	 * 0 for ad hoc meetings. */
	"CREATE TABLE meeting (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE,"
	"  sequence INTEGER NOT NULL DEFAULT 0,"
	"  school_year INTEGER NOT NULL,"
	"  unit TEXT NOT NULL REFERENCES unit (slug),"
	"  host TEXT REFERENCES unit (slug),"
	"  kind TEXT NOT NULL CHECK (kind IN ('systemmote', 'veiledningsteam',"
	"    'naervaer', 'god-oppvekst', 'apen-dor')),"
	"  number INTEGER NOT NULL DEFAULT 0,"
	"  date TEXT NOT NULL, start_time TEXT NOT NULL, end_time TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'planned'"
	"    CHECK (status IN ('planned', 'held', 'cancelled')),"
	"  locked INTEGER NOT NULL DEFAULT 0, moved INTEGER NOT NULL DEFAULT 0,"
	"  fallback_day INTEGER NOT NULL DEFAULT 0,"
	"  cancel_reason TEXT,"
	"  leader TEXT REFERENCES person (slug));"
	"CREATE UNIQUE INDEX meeting_slot ON meeting (school_year, unit, kind, number)"
	"  WHERE number > 0;"
	"CREATE INDEX meeting_date ON meeting (date);"
	"CREATE TABLE meeting_participant ("
	"  meeting INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,"
	"  person TEXT NOT NULL REFERENCES person (slug),"
	"  role TEXT NOT NULL,"
	"  substitute_for TEXT REFERENCES person (slug),"
	"  position INTEGER NOT NULL,"
	"  PRIMARY KEY (meeting, person));"
	"CREATE INDEX meeting_participant_person ON meeting_participant (person);",

	/* 5: absence screening (lib/fravaer.c). The absence rows are never
	 * stored: only the random HMAC key and, for --new-since-last, keyed
	 * hashes of (school year, school, student, criterion) already
	 * reported, so the database holds no pupil id. */
	"CREATE TABLE fravaer_key (id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  hmac_key TEXT NOT NULL);"
	"CREATE TABLE fravaer_reported (hash TEXT PRIMARY KEY,"
	"  school_year INTEGER NOT NULL);",

	/* 6: the meeting log and consents (lib/meetinglog.c, lib/consent.c).
	 * No child is named: a case is a theme, with consent also the unit's
	 * own reference key (ref); guests are a role and a head count. A
	 * consent covers services (consent_service); a log row marks the
	 * meeting held, the «Åpen dør» counts are NULL for other meetings. */
	"CREATE TABLE consent (id INTEGER PRIMARY KEY, ref TEXT NOT NULL,"
	"  unit TEXT NOT NULL REFERENCES unit (slug),"
	"  given_by TEXT NOT NULL CHECK (given_by IN ('foresatt', 'elev')),"
	"  form TEXT NOT NULL CHECK (form IN ('written', 'oral')),"
	"  given TEXT NOT NULL, expires TEXT, withdrawn TEXT,"
	"  CHECK (expires IS NULL OR expires >= given),"
	"  CHECK (withdrawn IS NULL OR withdrawn >= given));"
	"CREATE INDEX consent_ref ON consent (ref);"
	"CREATE TABLE consent_service ("
	"  consent INTEGER NOT NULL REFERENCES consent (id) ON DELETE CASCADE,"
	"  service TEXT NOT NULL, PRIMARY KEY (consent, service));"
	"CREATE TABLE meeting_log ("
	"  meeting INTEGER PRIMARY KEY REFERENCES meeting (id) ON DELETE CASCADE,"
	"  leader TEXT NOT NULL REFERENCES person (slug),"
	"  experience TEXT NOT NULL DEFAULT '',"
	"  staff_consultations INTEGER CHECK (staff_consultations >= 0),"
	"  pupil_conversations INTEGER CHECK (pupil_conversations >= 0),"
	"  parents_informed TEXT,"
	"  CHECK (parents_informed IS NULL OR pupil_conversations > 0));"
	"CREATE TABLE meeting_log_attendee ("
	"  meeting INTEGER NOT NULL REFERENCES meeting_log (meeting) ON DELETE CASCADE,"
	"  person TEXT NOT NULL REFERENCES person (slug),"
	"  substitute_for TEXT REFERENCES person (slug),"
	"  position INTEGER NOT NULL,"
	"  PRIMARY KEY (meeting, person),"
	"  CHECK (substitute_for IS NULL OR substitute_for <> person));"
	"CREATE TABLE meeting_log_guest ("
	"  meeting INTEGER NOT NULL REFERENCES meeting_log (meeting) ON DELETE CASCADE,"
	"  role TEXT NOT NULL, headcount INTEGER NOT NULL CHECK (headcount > 0),"
	"  position INTEGER NOT NULL, PRIMARY KEY (meeting, role));"
	"CREATE TABLE meeting_case (id INTEGER PRIMARY KEY,"
	"  meeting INTEGER NOT NULL REFERENCES meeting_log (meeting) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL, consent_ref TEXT, theme TEXT NOT NULL);"
	"CREATE INDEX meeting_case_meeting ON meeting_case (meeting);"
	"CREATE INDEX meeting_case_ref ON meeting_case (consent_ref);"
	"CREATE TABLE meeting_action (id INTEGER PRIMARY KEY,"
	"  meeting INTEGER NOT NULL REFERENCES meeting_log (meeting) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  person TEXT REFERENCES person (slug), role TEXT,"
	"  what TEXT NOT NULL, due TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),"
	"  done_date TEXT,"
	"  CHECK ((person IS NULL) <> (role IS NULL)),"
	"  CHECK ((status = 'done') = (done_date IS NOT NULL)));"
	"CREATE INDEX meeting_action_meeting ON meeting_action (meeting);"
	"CREATE INDEX meeting_action_due ON meeting_action (status, due);",

	/* 7: the half-year report (lib/report.c): a unit's own words for a
	 * half-year (report note; one per unit, year and half) and when the
	 * report was sent, by whom and to whom (report mark-sent), which
	 * reminders read. */
	"CREATE TABLE report_note ("
	"  unit TEXT NOT NULL REFERENCES unit (slug) ON DELETE CASCADE,"
	"  year INTEGER NOT NULL, half INTEGER NOT NULL CHECK (half IN (1, 2)),"
	"  text TEXT NOT NULL, PRIMARY KEY (unit, year, half));"
	"CREATE TABLE report_sent (year INTEGER NOT NULL,"
	"  half INTEGER NOT NULL CHECK (half IN (1, 2)),"
	"  sent TEXT NOT NULL, sent_by TEXT NOT NULL, recipient TEXT NOT NULL,"
	"  PRIMARY KEY (year, half));",

	/* 8: the stafettlogg (lib/stafett*.c): one child's case across
	 * services under the unit's reference key (never a name), with its
	 * holder, level 0–3, a pending handover and how it was closed; its
	 * timeline (stafett_entry) and measures (stafett_tiltak) with their
	 * evaluation dates. People and units are kept as slugs without
	 * foreign keys: a closed log is the child's record until the
	 * retention time ends and outlives staff leaving the roster. Every
	 * change clears `exported`, so a set date means the last export is
	 * complete. One open log per ref. */
	"CREATE TABLE stafett (id INTEGER PRIMARY KEY, ref TEXT NOT NULL,"
	"  unit TEXT NOT NULL, holder TEXT NOT NULL,"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),"
	"  opened TEXT NOT NULL, level_since TEXT NOT NULL, decided TEXT,"
	"  pending_to TEXT, pending_since TEXT,"
	"  closed TEXT, close_reason TEXT CHECK (close_reason IS NULL OR close_reason IN"
	"    ('goal-met', 'parents-request', 'moved', 'other')),"
	"  exported TEXT,"
	"  CHECK ((closed IS NULL) = (close_reason IS NULL)),"
	"  CHECK ((pending_to IS NULL) = (pending_since IS NULL)),"
	"  CHECK (closed IS NULL OR pending_to IS NULL));"
	"CREATE UNIQUE INDEX stafett_open_ref ON stafett (ref) WHERE closed IS NULL;"
	"CREATE INDEX stafett_ref ON stafett (ref);"
	"CREATE TABLE stafett_tiltak ("
	"  stafett INTEGER NOT NULL REFERENCES stafett (id) ON DELETE CASCADE,"
	"  number INTEGER NOT NULL CHECK (number > 0),"
	"  what TEXT NOT NULL, responsible TEXT NOT NULL,"
	"  started TEXT NOT NULL, evaluate_by TEXT NOT NULL, evaluated TEXT, ended TEXT,"
	"  PRIMARY KEY (stafett, number));"
	"CREATE TABLE stafett_entry (id INTEGER PRIMARY KEY,"
	"  stafett INTEGER NOT NULL REFERENCES stafett (id) ON DELETE CASCADE,"
	"  date TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('opened', 'goal', 'tiltak', 'evaluation',"
	"    'note', 'level', 'handover', 'accepted', 'declined', 'closed')),"
	"  person TEXT, level INTEGER CHECK (level IS NULL OR level BETWEEN 0 AND 3),"
	"  tiltak INTEGER, due TEXT, detail TEXT, text TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX stafett_entry_log ON stafett_entry (stafett, date);",

	/* 9: a school's own «Åpen dør» plan (lib/team*.c); NULL: the rules'. */
	"ALTER TABLE unit ADD COLUMN apen_dor_every_weeks INTEGER"
	"  CHECK (apen_dor_every_weeks BETWEEN 1 AND 8);"
	"ALTER TABLE unit ADD COLUMN apen_dor_weekday TEXT CHECK (apen_dor_weekday IN"
	"  ('monday', 'tuesday', 'wednesday', 'thursday', 'friday'));"
	"ALTER TABLE unit ADD COLUMN apen_dor_start TEXT;"
	"ALTER TABLE unit ADD COLUMN apen_dor_minutes INTEGER"
	"  CHECK (apen_dor_minutes BETWEEN 15 AND 420);",
};

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))

int pv_db_schema_version(void)
{
	return MIGRATION_COUNT;
}

sqlite3 *pv_db_handle(struct pv_db *db)
{
	return db->handle;
}

const char *pv_db_path(const struct pv_db *db)
{
	return db->path;
}

enum pv_status pv_db_fail(struct pv_db *db, const char *what, struct pv_error *err)
{
	int code = sqlite3_extended_errcode(db->handle);
	enum pv_status status;

	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return pv_error_set(err, PV_EBUSY,
				    "database '%s' is busy (another patvers is writing); try again",
				    db->path);
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		status = PV_EIO;
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		status = PV_EDATA;
		break;
	case SQLITE_CONSTRAINT:
		status = PV_EDATA;
		break;
	default:
		status = PV_ESOFTWARE;
	}
	/* `what` is translated like a format (po/extract knows pv_db_fail) */
	return pv_error_set(err, status, "%s: %s", _(what), sqlite3_errmsg(db->handle));
}

enum pv_status pv_db_prepare(struct pv_db *db, const char *sql,
			     sqlite3_stmt **stmt, struct pv_error *err)
{
	if (sqlite3_prepare_v2(db->handle, sql, -1, stmt, NULL) != SQLITE_OK)
		return pv_db_fail(db, "cannot prepare query", err);
	return PV_OK;
}

enum pv_status pv_db_cached(struct pv_db *db, const char *sql, sqlite3_stmt **stmt,
			    struct pv_error *err)
{
	struct cached_stmt *c;

	for (size_t i = 0; i < db->ncached; i++) {
		c = &db->cache[i];
		if (c->sql == sql || strcmp(c->sql, sql) == 0) {
			sqlite3_reset(c->stmt);
			sqlite3_clear_bindings(c->stmt);
			*stmt = c->stmt;
			return PV_OK;
		}
	}
	if (db->ncached == sizeof db->cache / sizeof db->cache[0])
		return pv_error_set(err, PV_ESOFTWARE, "too many cached statements");
	if (sqlite3_prepare_v3(db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL) !=
	    SQLITE_OK)
		return pv_db_fail(db, "cannot prepare query", err);
	c = &db->cache[db->ncached++];
	c->sql = sql;
	c->stmt = *stmt;
	return PV_OK;
}

enum pv_status pv_db_exec(struct pv_db *db, const char *sql, struct pv_error *err)
{
	if (sqlite3_exec(db->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
		return pv_db_fail(db, "database error", err);
	return PV_OK;
}

/* Makes one folder 0700 unless a folder is already there. */
static enum pv_status make_private_dir(const char *dir, struct pv_error *err)
{
	struct stat st;

	if (mkdir(dir, 0700) == 0)
		return PV_OK;
	if (errno != EEXIST)
		return pv_error_set(err, PV_ECANTCREAT, "cannot create folder '%s': %s",
				    dir, strerror(errno));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return pv_error_set(err, PV_ECANTCREAT,
				    "cannot create folder '%s': a file is in the way", dir);
	return PV_OK;
}

/* Creates every missing folder of `path`'s parent with mode 0700
 * (existing folders are left as they are). */
static enum pv_status make_private_parent(const char *path, struct pv_error *err)
{
	char *dir = strdup(path);
	enum pv_status status = PV_OK;
	char *slash;

	if (!dir)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; status == PV_OK && *p; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			status = make_private_dir(dir, err);
			*p = '/';
		}
		if (status == PV_OK)
			status = make_private_dir(dir, err);
	}
	free(dir);
	return status;
}

/* Creates an empty file readable and writable by its owner only; the mode
 * is set explicitly so a permissive umask cannot widen it. */
static enum pv_status create_private_file(const char *path, struct pv_error *err)
{
	int fd;
	enum pv_status status;

	status = make_private_parent(path, err);
	if (status != PV_OK)
		return status;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return pv_error_set(err, PV_ECANTCREAT, "cannot create '%s': %s", path,
				    strerror(errno));
	if (fchmod(fd, 0600) != 0) {
		int e = errno;
		close(fd);
		return pv_error_set(err, PV_ECANTCREAT, "cannot set mode of '%s': %s",
				    path, strerror(e));
	}
	close(fd);
	return PV_OK;
}

/*
 * Whoever may write the folder may replace the database, or plant the
 * -wal file SQLite replays on open, so a world-writable folder is refused
 * unless it is sticky (like /tmp): there others cannot replace our files,
 * and check_side_files() catches a planted one. A folder that does not
 * exist yet is made 0700 later.
 */
static enum pv_status check_folder(const char *path, struct pv_error *err)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	struct stat st;

	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return PV_OK;
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
		return pv_error_set(err, PV_EIO,
				    "refusing to open database '%s': its folder '%s' is "
				    "world-writable (fix with 'chmod o-w %s', or move the "
				    "database)", path, dir, dir);
	return PV_OK;
}

/* The files SQLite keeps beside the database must be the owner's own
 * plain files: another user's (or anyone's) -wal would be replayed into
 * the database on open. */
static enum pv_status check_side_files(const char *path, const struct stat *db,
				       struct pv_error *err)
{
	static const char *const tails[] = { "-wal", "-shm", "-journal" };
	char side[4096];
	struct stat st;

	for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		snprintf(side, sizeof side, "%s%s", path, tails[i]);
		if (lstat(side, &st) != 0)
			continue;
		if (!S_ISREG(st.st_mode) || st.st_uid != db->st_uid || (st.st_mode & S_IWOTH))
			return pv_error_set(err, PV_EIO,
					    !S_ISREG(st.st_mode) ?
					    N_("refusing to open database '%s': '%s' is not a "
					       "regular file (remove it if no patvers is running)") :
					    st.st_uid != db->st_uid ?
					    N_("refusing to open database '%s': '%s' is owned by "
					       "another user (remove it if no patvers is running)") :
					    N_("refusing to open database '%s': '%s' is "
					       "world-writable (remove it if no patvers is running)"),
					    path, side);
	}
	return PV_OK;
}

static enum pv_status check_file(const char *path, enum pv_db_mode mode,
				 struct pv_error *err)
{
	struct stat st;
	enum pv_status status = check_folder(path, err);

	if (status != PV_OK)
		return status;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			return pv_error_set(err, PV_EIO, "cannot open database '%s': %s",
					    path, strerror(errno));
		if (mode != PV_DB_CREATE)
			return pv_error_set(err, PV_ENOINPUT,
					    "no database at '%s' (run 'patvers init' first)", path);
		status = create_private_file(path, err);
		if (status != PV_OK)
			return status;
		if (stat(path, &st) != 0)
			return pv_error_set(err, PV_EIO, "cannot open database '%s': %s",
					    path, strerror(errno));
		return check_side_files(path, &st, err);
	}
	if (!S_ISREG(st.st_mode))
		return pv_error_set(err, PV_EIO, "database '%s' is not a regular file", path);
	if (st.st_mode & S_IWOTH)
		return pv_error_set(err, PV_EIO,
				    "refusing to open database '%s': it is world-writable "
				    "(fix with 'chmod 600 %s')", path, path);
	return check_side_files(path, &st, err);
}

static enum pv_status read_version(struct pv_db *db, int *version, struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status = pv_db_prepare(db, "PRAGMA user_version", &stmt, err);

	if (status != PV_OK)
		return status;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*version = sqlite3_column_int(stmt, 0);
	else
		status = pv_db_fail(db, "cannot read the schema version", err);
	sqlite3_finalize(stmt);
	return status;
}

static enum pv_status apply_migrations(struct pv_db *db, struct pv_error *err)
{
	enum pv_status status;
	int version = 0;
	char sql[64];

	status = read_version(db, &version, err);
	if (status != PV_OK)
		return status;
	if (version > MIGRATION_COUNT)
		return pv_error_set(err, PV_EDATA,
				    "database '%s' has schema version %d, newer than this "
				    "patvers knows (%d); upgrade patvers", db->path, version,
				    MIGRATION_COUNT);
	if (version == MIGRATION_COUNT)
		return PV_OK;

	status = pv_db_begin(db, err);
	if (status != PV_OK)
		return status;
	/* Another process may have migrated while we waited for the lock. */
	status = read_version(db, &version, err);
	for (; status == PV_OK && version < MIGRATION_COUNT; version++)
		status = pv_db_exec(db, migrations[version], err);
	if (status == PV_OK) {
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", MIGRATION_COUNT);
		status = pv_db_exec(db, sql, err);
	}
	if (status == PV_OK)
		return pv_db_commit(db, err);
	pv_db_rollback(db);
	return status;
}

static enum pv_status configure(struct pv_db *db, int busy_ms, struct pv_error *err)
{
	enum pv_status status;

	sqlite3_busy_timeout(db->handle, busy_ms);
	sqlite3_extended_result_codes(db->handle, 1);
	status = pv_db_exec(db, "PRAGMA foreign_keys = ON", err);
	if (status == PV_OK)
		status = pv_db_exec(db, "PRAGMA journal_mode = WAL", err);
	if (status == PV_OK)
		status = pv_db_exec(db, "PRAGMA synchronous = NORMAL", err);
	return status;
}

enum pv_status pv_db_open(const char *path, enum pv_db_mode mode, int busy_ms,
			  struct pv_db **out, struct pv_error *err)
{
	struct pv_db *db;
	enum pv_status status;

	*out = NULL;
	status = check_file(path, mode, err);
	if (status != PV_OK)
		return status;
	db = calloc(1, sizeof *db);
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	if (sqlite3_open_v2(path, &db->handle, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		status = pv_error_set(err, PV_EIO, "cannot open database '%s': %s", path,
				      db->handle ? sqlite3_errmsg(db->handle) : _("out of memory"));
		pv_db_close(db);
		return status;
	}
	status = configure(db, busy_ms, err);
	if (status == PV_OK)
		status = apply_migrations(db, err);
	if (status != PV_OK) {
		pv_db_close(db);
		return status;
	}
	*out = db;
	return PV_OK;
}

void pv_db_close(struct pv_db *db)
{
	if (!db)
		return;
	if (db->in_transaction)
		pv_db_rollback(db);
	for (size_t i = 0; i < db->ncached; i++)
		sqlite3_finalize(db->cache[i].stmt);
	sqlite3_close(db->handle);
	free(db->path);
	free(db->actor_user);
	free(db->actor_command);
	free(db);
}

enum pv_status pv_db_set_actor(struct pv_db *db, const char *os_user,
			       const char *command, struct pv_error *err)
{
	char *user = strdup(os_user ? os_user : "");
	char *cmd = strdup(command ? command : "");

	if (!user || !cmd) {
		free(user);
		free(cmd);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	free(db->actor_user);
	free(db->actor_command);
	db->actor_user = user;
	db->actor_command = cmd;
	return PV_OK;
}

const char *pv_db_actor_user(const struct pv_db *db)
{
	return db->actor_user ? db->actor_user : "";
}

const char *pv_db_actor_command(const struct pv_db *db)
{
	return db->actor_command ? db->actor_command : "";
}

void pv_db_set_clock(struct pv_db *db, long long unix_seconds)
{
	db->clock = unix_seconds;
}

long long pv_db_now(const struct pv_db *db)
{
	return db->clock ? db->clock : (long long)time(NULL);
}

enum pv_status pv_db_begin(struct pv_db *db, struct pv_error *err)
{
	enum pv_status status = pv_db_exec(db, "BEGIN IMMEDIATE", err);

	if (status == PV_OK)
		db->in_transaction = true;
	return status;
}

enum pv_status pv_db_commit(struct pv_db *db, struct pv_error *err)
{
	enum pv_status status = pv_db_exec(db, "COMMIT", err);

	if (status == PV_OK)
		db->in_transaction = false;
	else
		pv_db_rollback(db);
	return status;
}

void pv_db_rollback(struct pv_db *db)
{
	if (!sqlite3_get_autocommit(db->handle))
		sqlite3_exec(db->handle, "ROLLBACK", NULL, NULL, NULL);
	db->in_transaction = false;
}

enum pv_status pv_db_meta_get(struct pv_db *db, const char *key, char **value,
			      struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;
	int rc;

	*value = NULL;
	status = pv_db_prepare(db, "SELECT value FROM meta WHERE key = ?", &stmt, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*value = strdup((const char *)sqlite3_column_text(stmt, 0));
		if (!*value)
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	} else if (rc != SQLITE_DONE) {
		status = pv_db_fail(db, "cannot read settings", err);
	}
	sqlite3_finalize(stmt);
	return status;
}

enum pv_status pv_db_meta_set(struct pv_db *db, const char *key, const char *value,
			      struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;

	status = pv_db_prepare(db,
			       "INSERT INTO meta (key, value) VALUES (?, ?) "
			       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			       &stmt, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		status = pv_db_fail(db, "cannot write settings", err);
	sqlite3_finalize(stmt);
	return status;
}

/* Runs a PRAGMA check whose rows are problems unless the single row is "ok". */
static enum pv_status run_pragma_check(struct pv_db *db, const char *sql,
				       const char *check, pv_db_problem_fn fn,
				       void *arg, int *problems, struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status = pv_db_prepare(db, sql, &stmt, err);
	int rc;

	if (status != PV_OK)
		return status;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		char detail[512] = "";
		int cols = sqlite3_column_count(stmt);
		const unsigned char *first = sqlite3_column_text(stmt, 0);

		if (cols == 1 && first && strcmp((const char *)first, "ok") == 0)
			continue;
		for (int i = 0; i < cols; i++) {
			const unsigned char *v = sqlite3_column_text(stmt, i);
			size_t used = strlen(detail);
			snprintf(detail + used, sizeof detail - used, "%s%s",
				 i ? " " : "", v ? (const char *)v : "NULL");
		}
		struct pv_db_problem p = { check, detail };
		fn(&p, arg);
		(*problems)++;
	}
	if (rc != SQLITE_DONE)
		status = pv_db_fail(db, "database check failed", err);
	sqlite3_finalize(stmt);
	return status;
}

enum pv_status pv_db_check(struct pv_db *db, pv_db_problem_fn fn, void *arg,
			   int *problems, struct pv_error *err)
{
	enum pv_status status;
	long long bad_id = 0;
	char why[512];

	*problems = 0;
	status = run_pragma_check(db, "PRAGMA integrity_check", "integrity", fn, arg,
				  problems, err);
	if (status == PV_OK)
		status = run_pragma_check(db, "PRAGMA foreign_key_check", "foreign_key",
					  fn, arg, problems, err);
	if (status == PV_OK)
		status = pv_audit_verify(db, &bad_id, why, sizeof why, err);
	if (status == PV_OK && bad_id) {
		struct pv_db_problem p = { "audit", why };
		fn(&p, arg);
		(*problems)++;
	}
	return status;
}

enum pv_status pv_db_backup(struct pv_db *db, const char *dest, struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status status;
	struct stat st;

	if (stat(dest, &st) == 0)
		return pv_error_set(err, PV_ECANTCREAT,
				    "'%s' exists; refusing to overwrite it", dest);
	/* VACUUM INTO accepts an empty file, so the copy is born 0600. */
	status = create_private_file(dest, err);
	if (status != PV_OK)
		return status;
	status = pv_db_prepare(db, "VACUUM INTO ?", &stmt, err);
	if (status == PV_OK) {
		sqlite3_bind_text(stmt, 1, dest, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			status = pv_db_fail(db, "backup failed", err);
		sqlite3_finalize(stmt);
	}
	if (status != PV_OK)
		unlink(dest);
	return status;
}
