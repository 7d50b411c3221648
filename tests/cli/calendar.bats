#!/usr/bin/env bats
# patvers calendar: holidays, importing school-year calendars, school days.

load helper

bats_require_minimum_version 1.5.0

JSON27=$EXAMPLES/holmestrand/calendar-2026-27.json
JSON26=$EXAMPLES/holmestrand/calendar-2025-26.json
CSV27=$DATA/calendar-2026-27.csv

audit_rows() {
	pv --format jsonl audit list | wc -l
}

@test "calendar holidays 2027 lists the twelve holidays, 17 May twice" {
	run pv calendar holidays 2027
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "year: 2027" ]
	[ "${lines[2]}" = "DATE        WEEKDAY   NAME" ]
	[ "${lines[3]}" = "2027-01-01  friday    Første nyttårsdag" ]
	[ "${lines[4]}" = "2027-03-25  thursday  Skjærtorsdag" ]
	[ "${lines[9]}" = "2027-05-06  thursday  Kristi himmelfartsdag" ]
	[ "${lines[11]}" = "2027-05-17  monday    Grunnlovsdag" ]
	[ "${lines[12]}" = "2027-05-17  monday    Andre pinsedag" ]
	[ "${lines[14]}" = "2027-12-26  sunday    Andre juledag" ]
	[ "${#lines[@]}" -eq 15 ]
	run pv --format csv calendar holidays 2027
	[ "${lines[0]}" = $'date,weekday,name\r' ]
	[ "${lines[2]}" = $'2027-03-25,thursday,Skjærtorsdag\r' ]
	run pv --format json calendar holidays 2027
	[[ "$output" == *'"schema": "patvers/holidays/1"'* ]]
}

@test "calendar holidays needs a year in range" {
	run pv calendar holidays 1899
	[ "$status" -eq 64 ]
	[[ "$output" == *"YEAR must be a year 1900"* ]]
	run pv calendar holidays 20x7
	[ "$status" -eq 64 ]
	run pv calendar holidays
	[ "$status" -eq 64 ]
}

@test "import the example JSON: 190 school days, audited" {
	pv init
	run pv calendar import "$JSON27"
	[ "$status" -eq 0 ]
	[[ "$output" == *"school year:         2026/27"* ]]
	[[ "$output" == *"school days:         190"* ]]
	[[ "$output" == *"replaced:            no"* ]]
	run pv calendar import "$JSON27"
	[[ "$output" == *"replaced:            yes"* ]]
	run pv audit list
	[[ "$output" == *"imported the calendar 2026/27 from 'calendar-2026-27.json'"* ]]
	[ "$(pv --format jsonl audit list | grep -c '"entity":"calendar"')" -eq 2 ]
}

@test "show 2026/27: per month, per half-year, breaks and their ISO weeks" {
	pv init
	pv calendar import "$JSON27"
	run --separate-stderr pv calendar show 2026/27
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" == *"calendar:          imported"* ]]
	[[ "$output" == *"first school day:  2026-08-17"* ]]
	[[ "$output" == *"last school day:   2027-06-18"* ]]
	[[ "$output" == *"school days:       190"* ]]
	[[ "$output" == *"2026-08           11"* ]]
	[[ "$output" == *"2026-10           17"* ]]
	[[ "$output" == *"2027-03           17"* ]]
	[[ "$output" == *"H2 2026  2026-08-01  2026-12-31           85      17       17         17        17      17"* ]]
	[[ "$output" == *"H1 2027  2027-01-01  2027-06-30          105      19       22         22        21      21"* ]]
	[[ "$output" == *"break                     2026-10-05  2026-10-09  41"*"høstferie"* ]]
	[[ "$output" == *"break                     2026-12-21  2027-01-01  52, 53"*"juleferie"* ]]
	[[ "$output" == *"break                     2027-03-22  2027-03-29  12, 13"*"påskeferie"* ]]
	[[ "$output" == *"planning-day              2027-01-04  2027-01-04  1 "* ]]
	run pv --format json calendar show 2026/27
	[[ "$output" == *'"schema": "patvers/calendar/1"'* ]]
	[[ "$output" == *'"thursday": 17'* ]]
	[[ "$output" == *'"weeks": ['* ]]
}

@test "the CSV example imports the same year as the JSON example" {
	pv init
	pv calendar import "$JSON27"
	pv --format json calendar show 2026/27 | grep -v '"source"' > "$BATS_TEST_TMPDIR/json.out"
	run pv calendar import "$CSV27"
	[ "$status" -eq 0 ]
	[[ "$output" == *"school days:         190"* ]]
	pv --format json calendar show 2026/27 | grep -v '"source"' > "$BATS_TEST_TMPDIR/csv.out"
	diff "$BATS_TEST_TMPDIR/json.out" "$BATS_TEST_TMPDIR/csv.out"
}

@test "import from stdin, by content" {
	pv init
	run pv calendar import - < "$CSV27"
	[ "$status" -eq 0 ]
	[[ "$output" == *"imported:            <stdin>"* ]]
	run pv calendar import - < "$JSON26"
	[ "$status" -eq 0 ]
	[[ "$output" == *"school days:         190"* ]]
	run pv calendar list
	[ "$status" -eq 0 ]
	[[ "${lines[2]}" == "2025/26      2025-08-18        2026-06-19               190  Felles skolerute"* ]]
	[[ "${lines[3]}" == "2026/27      2026-08-17        2027-06-18               190  Felles skolerute"* ]]
}

@test "days: the school days, one per line, for scripts" {
	pv init
	pv calendar import "$JSON27"
	run --separate-stderr pv calendar days --from 2026-12-14 --to 2027-01-08
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	expected=$'2026-12-14\n2026-12-15\n2026-12-16\n2026-12-17\n2026-12-18\n2027-01-05\n2027-01-06\n2027-01-07\n2027-01-08'
	[ "$output" = "$expected" ]
	[ "$(pv calendar days 2026/27 | wc -l)" -eq 190 ]
	[ "$(pv calendar days --from 2027-01-01 2026/27 | wc -l)" -eq 105 ]
	run pv --format csv calendar days --from 2027-03-22 --to 2027-04-02
	[ "${lines[0]}" = $'date,weekday,week\r' ]
	[ "${lines[1]}" = $'2027-03-30,tuesday,13\r' ]
	[ "${#lines[@]}" -eq 5 ]
	run pv --format json calendar days --from 2027-03-22 --to 2027-04-02
	[[ "$output" == *'"schema": "patvers/calendar-days/1"'* ]]
	[[ "$output" == *'"count": 4'* ]]
}

@test "days --kindergarten: open in school breaks, closed 24-31 December and July" {
	pv init
	pv calendar import "$JSON27"
	run pv calendar days --kindergarten --from 2026-12-18 --to 2027-01-05
	[ "$status" -eq 0 ]
	[ "$output" = $'2026-12-18\n2026-12-21\n2026-12-22\n2026-12-23\n2027-01-04\n2027-01-05' ]
	[ "$(pv calendar days --kindergarten --from 2026-10-05 --to 2026-10-09 | wc -l)" -eq 5 ]
	[ -z "$(pv calendar days --kindergarten --from 2027-07-01 --to 2027-07-31)" ]
}

@test "day names why a date is closed" {
	pv init
	pv calendar import "$JSON27"
	run pv calendar day 2027-03-25
	[ "$status" -eq 0 ]
	[[ "$output" == *"2027-03-25 is closed: Skjærtorsdag (påskeferie)"* ]]
	run pv calendar day 2027-05-07
	[[ "$output" == *"2027-05-07 is closed: fridag"* ]]
	run pv calendar day 2027-01-04
	[[ "$output" == *"school closed:       planleggingsdag"* ]]
	[[ "$output" == *"kindergarten day:    yes"* ]]
	run pv --format json calendar day 2027-01-05
	[[ "$output" == *'"school_day": true'* ]]
	[[ "$output" == *'"school_closed": null'* ]]
	run pv calendar day 2027-02-30
	[ "$status" -eq 64 ]
}

@test "a planning day for one unit closes that unit only" {
	pv init
	sqlite3 "$PATVERS_DB" "INSERT INTO unit (slug, name, kind) VALUES ('hof', 'Hof skole', 'school')"
	cat > "$BATS_TEST_TMPDIR/hof.csv" <<-EOF
	type;fra;til;enhet;navn
	skoleår;17.08.2026;18.06.2027;;
	planleggingsdag;13.11.2026;;hof;planleggingsdag
	EOF
	run pv calendar import "$BATS_TEST_TMPDIR/hof.csv"
	[ "$status" -eq 0 ]
	[ -z "$(pv calendar days --unit hof --from 2026-11-13 --to 2026-11-13)" ]
	[ "$(pv calendar days --from 2026-11-13 --to 2026-11-13)" = 2026-11-13 ]
	run pv calendar day --unit hof 2026-11-13
	[[ "$output" == *"is closed: planleggingsdag (hof)"* ]]
	run pv calendar show --unit hof 2026/27
	[[ "$output" == *"unit:              hof"* ]]
	run pv calendar days --unit nowhere 2026/27
	[ "$status" -eq 64 ]
	[[ "$output" == *"unknown unit 'nowhere'"* ]]
}

@test "a bad file exits 65 naming file:line:column and imports nothing" {
	pv init
	pv calendar import "$JSON27"
	pv --format json calendar show 2026/27 > "$BATS_TEST_TMPDIR/before.json"
	before=$(audit_rows)
	# a break that ends on 32 October, on line 3, in the 'til' column (3)
	cat > "$BATS_TEST_TMPDIR/bad.csv" <<-EOF
	type;fra;til;enhet;navn
	skoleår;17.08.2026;18.06.2027;;
	ferie;05.10.2026;32.10.2026;;høstferie
	EOF
	run pv calendar import "$BATS_TEST_TMPDIR/bad.csv"
	[ "$status" -eq 65 ]
	[ "$output" = "patvers: $BATS_TEST_TMPDIR/bad.csv:3:3: '32.10.2026' is not a real date (YYYY-MM-DD or DD.MM.YYYY)" ]
	# a planning day for a unit that does not exist, line 3, 'enhet' (4)
	cat > "$BATS_TEST_TMPDIR/unit.csv" <<-EOF
	type;fra;til;enhet;navn
	skoleår;17.08.2026;18.06.2027;;
	planleggingsdag;13.11.2026;;nowhere;
	EOF
	run pv calendar import "$BATS_TEST_TMPDIR/unit.csv"
	[ "$status" -eq 65 ]
	[[ "$output" == *"unit.csv:3:4: unknown unit 'nowhere'"* ]]
	printf '{\n  "school_year": "2026/27",\n  "school_year": "2027/28"\n}\n' > "$BATS_TEST_TMPDIR/dup.json"
	run pv calendar import "$BATS_TEST_TMPDIR/dup.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"dup.json:3:"*"duplicate object key"* ]]
	printf '{"school_year": "2026/27", "first_day": "2026-08-17", "last_day": "2027-06-18",\n "breaks": [{"name": "x", "from": "2027-06-28", "to": "2027-08-06"}]}\n' > "$BATS_TEST_TMPDIR/span.json"
	run pv calendar import "$BATS_TEST_TMPDIR/span.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"span.json: breaks[0].to: 2027-08-06 is outside the school year 2026/27"* ]]
	pv --format json calendar show 2026/27 > "$BATS_TEST_TMPDIR/after.json"
	cmp "$BATS_TEST_TMPDIR/before.json" "$BATS_TEST_TMPDIR/after.json"
	[ "$(audit_rows)" -eq "$before" ]
	run pv --format jsonl calendar list
	[ "${#lines[@]}" -eq 1 ]
}

@test "import of a missing file exits 66, without a database 66 too" {
	run pv calendar import "$BATS_TEST_TMPDIR/nope.json"
	[ "$status" -eq 66 ]
	pv init
	run pv calendar import "$BATS_TEST_TMPDIR/nope.json"
	[ "$status" -eq 66 ]
	[[ "$output" == *"cannot open"*"nope.json"* ]]
}

@test "a year without a calendar uses the fallback and says so" {
	pv init
	pv calendar import "$JSON27"
	run --separate-stderr pv calendar show 2027/28
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"note: no calendar imported for 2027/28: using the fallback"* ]]
	[[ "$output" == *"calendar:          fallback"* ]]
	[[ "$output" == *"school days:       254"* ]]
	run --separate-stderr pv -q calendar show 2027/28
	[ -z "$stderr" ]
	run --separate-stderr pv calendar days --from 2027-06-14 --to 2027-08-03
	[[ "$stderr" == *"fallback"* ]]
	[ "$output" = $'2027-06-14\n2027-06-15\n2027-06-16\n2027-06-17\n2027-06-18\n2027-08-02\n2027-08-03' ]
	# no database at all: the fallback for every year
	rm -f "$PATVERS_DB"
	run --separate-stderr pv calendar days --from 2026-12-24 --to 2026-12-29
	[ "$output" = $'2026-12-24\n2026-12-28\n2026-12-29' ]
	[[ "$stderr" == *"no calendar imported for 2026/27"* ]]
}

@test "show defaults to the school year containing today" {
	run pv calendar show
	[ "$status" -eq 0 ]
	[[ "$output" == *"school year:       2026/27"* ]]
	run pv calendar show 2026
	[ "$status" -eq 64 ]
}

# extract_block SECTION: the first ``` block after "# SECTION" in the man page.
extract_block() {
	awk -v section="# $1" '
		$0 == section { inside = 1; next }
		inside && /^```/ { if (block) exit; block = 1; next }
		block { print }
	' "$BATS_TEST_DIRNAME/../../doc/patvers-calendar.1.scd"
}

@test "the man page's JSON and CSV examples import" {
	pv init
	sqlite3 "$PATVERS_DB" "INSERT INTO unit (slug, name, kind) VALUES
		('hof', 'Hof skole', 'school'), ('eidsfoss', 'Eidsfoss barnehage', 'kindergarten')"
	extract_block "JSON FORMAT" > "$BATS_TEST_TMPDIR/man.json"
	extract_block "CSV FORMAT" > "$BATS_TEST_TMPDIR/man.csv"
	[ -s "$BATS_TEST_TMPDIR/man.json" ] && [ -s "$BATS_TEST_TMPDIR/man.csv" ]
	run pv calendar import "$BATS_TEST_TMPDIR/man.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"school days:         190"* ]]
	run pv calendar import "$BATS_TEST_TMPDIR/man.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"school days:         190"* ]]
	[[ "$output" == *"planning days:       2"* ]]
	[ "$(pv calendar days --unit hof 2026/27 | wc -l)" -eq 189 ]
	[ "$(pv calendar days --kindergarten --unit eidsfoss 2026/27 | wc -l)" -eq 225 ]
}
