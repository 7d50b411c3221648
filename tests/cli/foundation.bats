#!/usr/bin/env bats
# The binary's foundation: global options, dispatch, the store, rules, audit.

load helper

@test "--version prints the version" {
	run pv --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^patvers\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "--help lists the commands and the global options" {
	run pv --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"rules "* ]]
	[[ "$output" == *"--format FORMAT"* ]]
}

@test "no command is a usage error" {
	run pv
	[ "$status" -eq 64 ]
	[[ "$output" == *"usage: patvers"* ]]
}

@test "unknown command exits 64 with a suggestion" {
	run pv rulez
	[ "$status" -eq 64 ]
	[[ "$output" == *"'rulez' is not a patvers command; did you mean 'rules'?"* ]]
}

@test "unknown sub-command exits 64 with a suggestion" {
	run pv db chek
	[ "$status" -eq 64 ]
	[[ "$output" == *"did you mean 'check'?"* ]]
}

@test "a command group without its sub-command is a usage error" {
	run pv db
	[ "$status" -eq 64 ]
	[[ "$output" == *"backup"* ]]
}

@test "unknown global option and bad --format exit 64" {
	run pv --frobnicate rules show
	[ "$status" -eq 64 ]
	[[ "$output" == *"unknown option '--frobnicate'"* ]]
	run pv --format yaml rules show
	[ "$status" -eq 64 ]
	[[ "$output" == *"unknown format 'yaml'"* ]]
	run pv --csv-sep '|' rules show
	[ "$status" -eq 64 ]
}

@test "unknown command option exits 64 and names it" {
	pv init
	run pv audit list --bogus
	[ "$status" -eq 64 ]
	[[ "$output" == *"unknown option '--bogus' (see 'patvers audit list --help')"* ]]
	run pv audit list extra
	[ "$status" -eq 64 ]
	[[ "$output" == *"too many arguments for 'audit list'"* ]]
	run pv rules import
	[ "$status" -eq 64 ]
	[[ "$output" == *"'rules import' needs an argument"* ]]
}

@test "help COMMAND and --help show the command's usage" {
	run pv help db
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: patvers db"* ]]
	run pv help db backup
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: patvers db backup FILE"* ]]
	run pv rules import --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: patvers rules import FILE"* ]]
}

@test "commands that need a database say how to make one" {
	run pv db check
	[ "$status" -eq 66 ]
	[[ "$output" == *"patvers init"* ]]
}

@test "init creates the database 0600 in a 0700 folder even with umask 000" {
	umask 000
	db="$BATS_TEST_TMPDIR/new/folder/patvers.db"
	run pv --db "$db" init
	[ "$status" -eq 0 ]
	[ "$(mode_of "$db")" = 600 ]
	[ "$(mode_of "$BATS_TEST_TMPDIR/new/folder")" = 700 ]
	[ "$(mode_of "$BATS_TEST_TMPDIR/new")" = 700 ]
}

@test "init twice keeps the database and notes it, -q silences the note" {
	pv init
	run pv init
	[ "$status" -eq 0 ]
	[[ "$output" == *"already exists"* ]]
	run pv -q init
	[ "$status" -eq 0 ]
	[[ "$output" != *"already exists"* ]]
}

@test "--db beats PATVERS_DB, which beats XDG_DATA_HOME" {
	export XDG_DATA_HOME="$BATS_TEST_TMPDIR/xdg"
	run pv db path
	[ "$output" = "$PATVERS_DB" ]
	run pv --db "$BATS_TEST_TMPDIR/other.db" db path
	[ "$output" = "$BATS_TEST_TMPDIR/other.db" ]
	unset PATVERS_DB
	run pv db path
	[ "$output" = "$BATS_TEST_TMPDIR/xdg/patvers/patvers.db" ]
}

@test "a --db folder that cannot be created exits 73 with a clear message" {
	touch "$BATS_TEST_TMPDIR/plainfile"
	run pv --db "$BATS_TEST_TMPDIR/plainfile/sub/patvers.db" init
	[ "$status" -eq 73 ]
	[[ "$output" == *"cannot create folder '$BATS_TEST_TMPDIR/plainfile'"* ]]
}

@test "a world-writable database is refused" {
	pv init
	chmod 666 "$PATVERS_DB"
	run pv db check
	[ "$status" -eq 74 ]
	[[ "$output" == *"world-writable"* ]]
}

@test "--format json carries a schema; jsonl is compact with sorted keys" {
	pv init
	run pv --format json db path
	[ "$status" -eq 0 ]
	[[ "$output" == *'"schema": "patvers/db-path/1"'* ]]
	run pv --format jsonl audit list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == '{"command":'* ]]
	[[ "${lines[0]}" == *'"summary":"created the database"'* ]]
}

@test "--format csv, --csv-sep and --excel" {
	pv init
	run pv --format csv audit list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == $'id,time,user,entity,summary\r' ]]
	run pv --format csv --csv-sep ';' audit list
	[[ "${lines[0]}" == $'id;time;user;entity;summary\r' ]]
	pv --format csv --excel audit list > "$BATS_TEST_TMPDIR/out.csv"
	[ "$(head -c 3 "$BATS_TEST_TMPDIR/out.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
	grep -q '^.*id;time;user' "$BATS_TEST_TMPDIR/out.csv"
}

@test "colour only on a terminal and never with --no-color or NO_COLOR" {
	pv init
	unset NO_COLOR
	run script -qec "$PATVERS_BIN --db $PATVERS_DB audit list" /dev/null
	[[ "$output" == *$'\e['* ]]
	run script -qec "$PATVERS_BIN --no-color --db $PATVERS_DB audit list" /dev/null
	[[ "$output" != *$'\e['* ]]
	run script -qec "env NO_COLOR=1 $PATVERS_BIN --db $PATVERS_DB audit list" /dev/null
	[[ "$output" != *$'\e['* ]]
	run pv audit list
	[[ "$output" != *$'\e['* ]]
}

@test "rules show prints the built-in defaults without a database" {
	run pv rules show
	[ "$status" -eq 0 ]
	[[ "$output" == *"thursday"* ]]
	run pv --format json rules show
	[[ "$output" == *'"schema": "patvers/rules/1"'* ]]
	[[ "$output" == *'"day_minutes": 360'* ]]
}

@test "rules export round-trips through rules import" {
	pv init
	pv rules export > "$BATS_TEST_TMPDIR/rules.json"
	run pv rules import "$BATS_TEST_TMPDIR/rules.json"
	[ "$status" -eq 0 ]
	pv rules export > "$BATS_TEST_TMPDIR/again.json"
	cmp "$BATS_TEST_TMPDIR/rules.json" "$BATS_TEST_TMPDIR/again.json"
}

@test "rules import changes the rules in force and is audited" {
	pv init
	echo '{"meetings":{"school_systemmote":{"min_per_half":3}}}' > "$BATS_TEST_TMPDIR/r.json"
	run pv rules import "$BATS_TEST_TMPDIR/r.json"
	[ "$status" -eq 0 ]
	run pv --format json rules show
	[[ "$output" == *'"min_per_half": 3'* ]]
	run pv audit list
	[[ "$output" == *"rules"* ]]
}

@test "a bad rules document exits 65 naming the JSON path and changes nothing" {
	pv init
	echo '{"meetings":{"school_systemmote":{"min_per_half":3}}}' > "$BATS_TEST_TMPDIR/good.json"
	pv rules import "$BATS_TEST_TMPDIR/good.json"
	pv rules export > "$BATS_TEST_TMPDIR/before.json"
	audit_before=$(pv --format jsonl audit list | wc -l)
	echo '{"meetings":{"school_systemmote":{"start":"14:00","end":"12:30"}}}' > "$BATS_TEST_TMPDIR/bad.json"
	run pv rules import "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"bad.json"*"meetings.school_systemmote.end"* ]]
	echo '{"meetings":{"school_systemmote":{"colour":"blue"}}}' > "$BATS_TEST_TMPDIR/bad2.json"
	run pv rules import "$BATS_TEST_TMPDIR/bad2.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"meetings.school_systemmote.colour"* ]]
	printf '{\n  "clash_policy": "fail",\n  "clash_policy": "substitute"\n}\n' > "$BATS_TEST_TMPDIR/dup.json"
	run pv rules import "$BATS_TEST_TMPDIR/dup.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"dup.json:3:"* ]]
	pv rules export > "$BATS_TEST_TMPDIR/after.json"
	cmp "$BATS_TEST_TMPDIR/before.json" "$BATS_TEST_TMPDIR/after.json"
	[ "$(pv --format jsonl audit list | wc -l)" -eq "$audit_before" ]
}

@test "rules import of a missing file exits 66" {
	pv init
	run pv rules import "$BATS_TEST_TMPDIR/nope.json"
	[ "$status" -eq 66 ]
	[[ "$output" == *"cannot open"*"nope.json"* ]]
}

@test "db check passes on a fresh database" {
	pv init
	run pv db check
	[ "$status" -eq 0 ]
	run pv --format json db check
	[[ "$output" == *'"ok": true'* ]]
}

@test "backup is 0600, never overwrites, and restores" {
	pv init
	echo '{"clash_policy":"substitute"}' > "$BATS_TEST_TMPDIR/r.json"
	pv rules import "$BATS_TEST_TMPDIR/r.json"
	run pv db backup "$BATS_TEST_TMPDIR/backup/copy.db"
	[ "$status" -eq 0 ]
	[ "$(mode_of "$BATS_TEST_TMPDIR/backup/copy.db")" = 600 ]
	run pv db backup "$BATS_TEST_TMPDIR/backup/copy.db"
	[ "$status" -eq 73 ]
	[[ "$output" == *"refusing to overwrite"* ]]
	rm -f "$PATVERS_DB" "$PATVERS_DB"-wal "$PATVERS_DB"-shm
	cp "$BATS_TEST_TMPDIR/backup/copy.db" "$PATVERS_DB"
	run pv db check
	[ "$status" -eq 0 ]
	run pv --format json rules show
	[[ "$output" == *'"clash_policy": "substitute"'* ]]
}

@test "an edited audit row makes audit verify and db check fail" {
	pv init
	echo '{"clash_policy":"substitute"}' > "$BATS_TEST_TMPDIR/r.json"
	pv rules import "$BATS_TEST_TMPDIR/r.json"
	run pv audit verify
	[ "$status" -eq 0 ]
	sqlite3 "$PATVERS_DB" "UPDATE audit SET os_user = 'someone-else' WHERE id = 1"
	run pv audit verify
	[ "$status" -eq 1 ]
	[[ "$output" == *"audit row 1"* ]]
	run pv db check
	[ "$status" -eq 1 ]
	[[ "$output" == *"audit"* ]]
}

@test "concurrent writers never corrupt the store" {
	pv init
	for i in 1 2 3 4 5 6; do
		echo "{\"report\":{\"suppress_below\":$i}}" > "$BATS_TEST_TMPDIR/r$i.json"
	done
	for i in 1 2 3 4 5 6; do
		(
			for n in 1 2 3; do
				PATVERS_BUSY_TIMEOUT=20000 "$PATVERS_BIN" rules import "$BATS_TEST_TMPDIR/r$i.json"
				echo "$?" >> "$BATS_TEST_TMPDIR/status"
			done
		) &
	done
	wait
	run pv db check
	[ "$status" -eq 0 ]
	run pv audit verify
	[ "$status" -eq 0 ]
	# each import either landed (0) or was turned away as busy (75)
	run grep -v -x -e 0 -e 75 "$BATS_TEST_TMPDIR/status"
	[ "$status" -eq 1 ]
	ok=$(grep -c -x 0 "$BATS_TEST_TMPDIR/status")
	[ "$(pv --format jsonl audit list | grep -c '"entity":"rules"')" -eq "$ok" ]
}

@test "a busy database exits 75 and changes nothing" {
	pv init
	echo '{"clash_policy":"substitute"}' > "$BATS_TEST_TMPDIR/r.json"
	# hold the write lock from another connection for two seconds
	( sqlite3 "$PATVERS_DB" "BEGIN IMMEDIATE; SELECT 1;" ".shell sleep 2" "COMMIT;" >/dev/null ) &
	sleep 0.5
	PATVERS_BUSY_TIMEOUT=100 run pv rules import "$BATS_TEST_TMPDIR/r.json"
	wait
	[ "$status" -eq 75 ]
	[[ "$output" == *"busy"* ]]
	run pv --format json rules show
	[[ "$output" == *'"clash_policy": "fail"'* ]]
}

@test "a write error on stdout exits 74" {
	run bash -c "'$PATVERS_BIN' rules show > /dev/full"
	[ "$status" -eq 74 ]
	[[ "$output" == *"cannot write output"* ]]
}

@test "help CMD on a terminal shows the installed man page, else the built-in help" {
	mkdir -p "$BATS_TEST_TMPDIR/man/man1"
	cp "$(dirname "$PATVERS_BIN")/man/patvers-schedule.1" "$BATS_TEST_TMPDIR/man/man1/"
	export MANPATH="$BATS_TEST_TMPDIR/man" MANPAGER=cat PAGER=cat MANWIDTH=80
	run script -qec "$PATVERS_BIN help schedule" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"patvers-schedule - the annual"* ]]
	# not on a terminal: the built-in help
	run pv help schedule
	[[ "$output" == *"usage: patvers schedule"* ]]
	# a page that is not installed: the built-in help on the terminal too
	run script -qec "$PATVERS_BIN help db" /dev/null
	[[ "$output" == *"usage: patvers db"* ]]
}
