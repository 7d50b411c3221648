# Shared set-up for the bats tests: the binary under test, a fresh
# database per test, a pinned "today" and no colour.
PATVERS_BIN=${PATVERS_BIN:-$BATS_TEST_DIRNAME/../../build/patvers}
DATA=$BATS_TEST_DIRNAME/../data
EXAMPLES=$BATS_TEST_DIRNAME/../../examples

setup() {
	export PATVERS_DB="$BATS_TEST_TMPDIR/patvers.db"
	export PATVERS_TODAY=2026-11-23
	export PATVERS_NOW=1795000000
	export NO_COLOR=1
	unset XDG_DATA_HOME
}

pv() {
	"$PATVERS_BIN" "$@"
}

# patvers in Norwegian (LANG=nb_NO.UTF-8, the catalogue of the build under
# test) and in English (LANG=C), whatever the caller's locale.
nb() {
	env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=nb_NO.UTF-8 \
		PATVERS_LOCALEDIR="$(dirname "$PATVERS_BIN")/locale" "$PATVERS_BIN" "$@"
}

en() {
	env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C "$PATVERS_BIN" "$@"
}

# File mode in octal, e.g. 600.
mode_of() {
	stat -c '%a' "$1"
}

# A database with the Holmestrand example roster and the 2026/27 calendar.
load_holmestrand() {
	pv init >/dev/null
	pv team import "$EXAMPLES/holmestrand/units.csv" "$EXAMPLES/holmestrand/people.csv" >/dev/null
	pv calendar import "$EXAMPLES/holmestrand/calendar-2026-27.json" >/dev/null
}

# Runs SQL on the test database and prints the result.
sql() {
	sqlite3 "$PATVERS_DB" "$1"
}
