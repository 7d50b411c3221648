#!/usr/bin/env bats
# patvers fravaer: absence screening from the school system's CSV export.

load helper
bats_require_minimum_version 1.5.0

EXCEL=$DATA/fravaer-excel.csv

# Plain CSV: hof/e1 with three undocumented absences.
three_absences() {
	printf 'student,school,date,type\n'
	printf 'e1,hof,2026-09-01,absent\ne1,hof,2026-09-02,absent\ne1,hof,2026-09-03,absent\n'
}

@test "Excel ';' + BOM file with Norwegian headers: the flagged pupils, for people" {
	run --separate-stderr pv fravaer screen "$EXCEL"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "as of:       2026-11-23" ]
	[ "${lines[1]}" = "school year: 2026/27" ]
	[[ "$output" == *"SCHOOL  STUDENT  CRITERION           VALUE  FIRST"* ]]
	[[ "$output" == *"botne   elev-03  repeated_lateness       3  2026-11-16"* ]]
	[[ "$output" == *"botne   elev-04  leaves_school           2  2026-11-12"* ]]
	[[ "$output" == *"hof     elev-01  undocumented            3  2026-09-15"* ]]
	[[ "$output" == *"hof     elev-02  high_absence        10.00  2026-10-23"* ]]
	[[ "$output" == *"hof     elev-06  absence_20pct      0.2000  2026-11-11"* ]]
	[[ "$output" != *"elev-05"* ]]
	[[ "$stderr" == *"note: no school calendar imported for 2026/27"* ]]
	[[ "$stderr" == *"note: 1 row on a day that is not a school day ignored"* ]]
	[[ "$stderr" == *"note: 1 row outside the screened period ignored"* ]]
}

@test "JSON is exactly the documented shape" {
	run --separate-stderr pv --format json fravaer screen "$EXCEL"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$DATA/fravaer-excel.json")" ]
	# compact: the keys in their documented order
	run jq -c '.' <<<"$output"
	if [ "$status" -eq 0 ]; then
		[[ "$output" == '{"schema":"patvers/fravaer/1","as_of":"2026-11-23","school_year":"2026/27","students":[{"student":"elev-03","school":"botne","criteria":{"repeated_lateness":{"value":3,"first":"2026-11-16"}}},'* ]]
	fi
}

@test "JSONL is one pupil per line, CSV one row per pupil and criterion" {
	run --separate-stderr pv --format jsonl fravaer screen "$EXCEL"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[0]}" = '{"criteria":{"repeated_lateness":{"first":"2026-11-16","value":3}},"school":"botne","student":"elev-03"}' ]
	run --separate-stderr pv --format csv fravaer screen "$EXCEL"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'school,student,criterion,value,first\r' ]
	[ "${lines[4]}" = $'hof,elev-02,high_absence,10.00,2026-10-23\r' ]
	[ "${#lines[@]}" -eq 6 ]
	# a pupil with two criteria is two rows
	{ three_absences; printf 'e1,hof,2026-10-01,left\ne1,hof,2026-10-02,left\n'; } >"$BATS_TEST_TMPDIR/two.csv"
	run --separate-stderr pv --format csv fravaer screen "$BATS_TEST_TMPDIR/two.csv"
	[ "${lines[1]}" = $'hof,e1,undocumented,3,2026-09-03\r' ]
	[ "${lines[2]}" = $'hof,e1,leaves_school,2,2026-10-02\r' ]
}

@test "standard input reads like a file" {
	run --separate-stderr pv --format json fravaer screen - <"$EXCEL"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$DATA/fravaer-excel.json")" ]
}

@test "several files form one input" {
	three_absences | head -3 >"$BATS_TEST_TMPDIR/a.csv"
	{ printf 'elev;skole;dato;type\n'; printf 'e1;hof;03.09.2026;fravær\n'; } >"$BATS_TEST_TMPDIR/b.csv"
	run --separate-stderr pv --format csv fravaer screen "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = $'hof,e1,undocumented,3,2026-09-03\r' ]
}

@test "a bad date exits 65 with file:line:column and reports nothing" {
	run --separate-stderr pv fravaer screen "$DATA/fravaer-bad-date.csv"
	[ "$status" -eq 65 ]
	[ "$output" = "" ]
	[ "$stderr" = "patvers: $DATA/fravaer-bad-date.csv:3:3: not a date (YYYY-MM-DD or DD.MM.YYYY): '2026-09-31'" ]
	# also on standard input, and for a row outside the screened period
	printf 'student,school,date,type\ne1,hof,2019-02-29,absent\n' >"$BATS_TEST_TMPDIR/old.csv"
	run --separate-stderr pv fravaer screen - <"$BATS_TEST_TMPDIR/old.csv"
	[ "$status" -eq 65 ]
	[ "$stderr" = "patvers: <stdin>:2:3: not a date (YYYY-MM-DD or DD.MM.YYYY): '2019-02-29'" ]
}

@test "other bad values name their column" {
	printf 'student,school,date,type,minutes\ne1,hof,2026-09-01,absent,90\ne1,hof,2026-09-01,borte,\n' >"$BATS_TEST_TMPDIR/t.csv"
	run --separate-stderr pv fravaer screen "$BATS_TEST_TMPDIR/t.csv"
	[ "$status" -eq 65 ]
	[[ "$stderr" == *"t.csv:3:4: unknown type (absent, late or left): 'borte'" ]]
	printf 'student,school,date,type,minutes\ne1,hof,2026-09-01,absent,-30\n' >"$BATS_TEST_TMPDIR/m.csv"
	run --separate-stderr pv fravaer screen "$BATS_TEST_TMPDIR/m.csv"
	[ "$status" -eq 65 ]
	[[ "$stderr" == *"m.csv:2:5: minutes must be a whole number >= 0, not '-30'" ]]
	printf 'student,school,type\n' >"$BATS_TEST_TMPDIR/h.csv"
	run --separate-stderr pv fravaer screen "$BATS_TEST_TMPDIR/h.csv"
	[ "$status" -eq 65 ]
	[[ "$stderr" == *"h.csv:1: missing required column 'date'" ]]
}

@test "invalid UTF-8 is an error with the iconv hint" {
	printf 'elev;skole;dato;type\ne1;Kjeld\xe5s;01.09.2026;frav\xe6r\n' >"$BATS_TEST_TMPDIR/latin1.csv"
	run --separate-stderr pv fravaer screen "$BATS_TEST_TMPDIR/latin1.csv"
	[ "$status" -eq 65 ]
	[ "$output" = "" ]
	[[ "$stderr" == *"latin1.csv:2:2: not valid UTF-8"* ]]
	[[ "$stderr" == *"iconv -f WINDOWS-1252 -t UTF-8"* ]]
}

@test "a missing file exits 66" {
	run --separate-stderr pv fravaer screen "$BATS_TEST_TMPDIR/nope.csv"
	[ "$status" -eq 66 ]
	[[ "$stderr" == *"cannot open '$BATS_TEST_TMPDIR/nope.csv'"* ]]
}

@test "--new-since-last twice gives the flags once" {
	pv init
	run --separate-stderr pv --format csv fravaer screen --new-since-last "$EXCEL"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	run --separate-stderr pv --format csv fravaer screen --new-since-last "$EXCEL"
	[ "$status" -eq 0 ]
	[ "$output" = $'school,student,criterion,value,first\r' ]
	# a new flag for a known pupil comes through alone
	{ cat "$EXCEL"; printf 'elev-03;botne;06.11.2026;forlot;;;;7B\r\nelev-03;botne;13.11.2026;forlot;;;;7B\r\n'; } >"$BATS_TEST_TMPDIR/more.csv"
	run --separate-stderr pv --format csv fravaer screen --new-since-last "$BATS_TEST_TMPDIR/more.csv"
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[1]}" = $'botne,elev-03,leaves_school,2,2026-11-13\r' ]
	# without the option everything is shown again
	run --separate-stderr pv --format csv fravaer screen "$EXCEL"
	[ "${#lines[@]}" -eq 6 ]
	# the database holds hashes and counts, never a pupil id
	run sqlite3 "$PATVERS_DB" "SELECT hash FROM fravaer_reported"
	[ "${#lines[@]}" -eq 6 ]
	run grep -aqr 'elev-0' "$BATS_TEST_TMPDIR"/patvers.db*
	[ "$status" -eq 1 ]
	run pv --format csv audit list
	[[ "$output" == *"absence screening 2026/27: 5 new flags for 5 pupils, 0 reported before"* ]]
	[[ "$output" != *"elev-0"* ]]
}

@test "--new-since-last needs a database" {
	run --separate-stderr pv fravaer screen --new-since-last "$EXCEL"
	[ "$status" -eq 66 ]
	[[ "$stderr" == *"run 'patvers init' first"* ]]
	[ ! -e "$PATVERS_DB" ]
}

@test "--exit-code exits 1 when a pupil is flagged, 0 when none is" {
	run --separate-stderr pv fravaer screen --exit-code "$EXCEL"
	[ "$status" -eq 1 ]
	[[ "$output" == *"elev-01"* ]]
	run --separate-stderr pv fravaer screen --exit-code --school nowhere "$EXCEL"
	[ "$status" -eq 0 ]
	[[ "$output" == *"students: (none)"* ]]
	[[ "$stderr" == *"30 rows for other schools skipped"* ]]
	run --separate-stderr pv fravaer screen "$EXCEL" --exit-code --as-of 2026-09-14
	[ "$status" -eq 0 ]
}

@test "--as-of and --school pick the period and the school" {
	run --separate-stderr pv --format csv fravaer screen --school botne "$EXCEL"
	[ "${#lines[@]}" -eq 3 ]
	[[ "$output" != *"hof"* ]]
	PATVERS_TODAY=2026-09-15 run --separate-stderr pv --format csv fravaer screen "$EXCEL"
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[1]}" = $'hof,elev-01,undocumented,3,2026-09-15\r' ]
	run --separate-stderr pv fravaer screen --as-of 2026-13-01 "$EXCEL"
	[ "$status" -eq 64 ]
	[[ "$stderr" == *"--as-of '2026-13-01' is not a date"* ]]
	run --separate-stderr pv fravaer screen
	[ "$status" -eq 64 ]
}

@test "school days come from the imported calendar" {
	pv init
	pv calendar import "$DATA/calendar-2026-27.csv"
	# three undocumented absences, one of them in the autumn break
	printf 'student,school,date,type\ne1,hof,2026-09-01,absent\ne1,hof,2026-10-06,absent\ne1,hof,2026-10-13,absent\n' >"$BATS_TEST_TMPDIR/b.csv"
	run --separate-stderr pv --format csv fravaer screen "$BATS_TEST_TMPDIR/b.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$stderr" != *"no school calendar"* ]]
	[[ "$stderr" == *"1 row on a day that is not a school day ignored"* ]]
	run --separate-stderr pv -q fravaer screen "$BATS_TEST_TMPDIR/b.csv"
	[ "$stderr" = "" ]
}

@test "the same input gives byte-identical output" {
	for f in text json jsonl csv; do
		pv --format "$f" fravaer screen "$EXCEL" >"$BATS_TEST_TMPDIR/1.$f" 2>/dev/null
		pv --format "$f" fravaer screen "$EXCEL" >"$BATS_TEST_TMPDIR/2.$f" 2>/dev/null
		cmp "$BATS_TEST_TMPDIR/1.$f" "$BATS_TEST_TMPDIR/2.$f"
	done
}

@test "fravaer rules prints the thresholds in force" {
	run --separate-stderr pv --format json fravaer rules
	[ "$status" -eq 0 ]
	[[ "$output" == *'"day_minutes": 360'* ]]
	[[ "$output" == *'"window_percent": 20'* ]]
	pv init
	printf '{ "fravaer": { "undocumented_dates": 2 } }\n' >"$BATS_TEST_TMPDIR/r.json"
	pv rules import "$BATS_TEST_TMPDIR/r.json"
	run --separate-stderr pv fravaer rules
	[[ "$output" == *"undocumented dates:     2"* ]]
	[[ "$output" == *"undocumented: >= 2 dates with an undocumented absence"* ]]
	# and the screening uses them
	three_absences | head -3 >"$BATS_TEST_TMPDIR/two.csv"
	run --separate-stderr pv --format csv fravaer screen "$BATS_TEST_TMPDIR/two.csv"
	[ "${lines[1]}" = $'hof,e1,undocumented,2,2026-09-02\r' ]
}
