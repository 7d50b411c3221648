#!/usr/bin/env bats
# patvers team: the roster — import, export, edit, show, check, init --example.

load helper

TEAM=$DATA/team

# Imports the Excel-style pair from tests/data.
import_excel() {
	pv -q init
	run pv team import "$TEAM/excel-units.csv" "$TEAM/excel-people.csv"
	[ "$status" -eq 0 ]
}

# CSV output without the CR of its CRLF line ends; keeps the exit status.
csv() {
	local status
	"$PATVERS_BIN" --format csv "$@" | tr -d '\r'
	status=${PIPESTATUS[0]}
	return "$status"
}

# First field of the first CSV row of `pv --format csv ARGS` matching PATTERN.
person_with() {
	local pattern=$1
	shift
	csv "$@" | grep -m1 "$pattern" | cut -d, -f2
}

@test "init --example holmestrand loads units, people and calendars" {
	run pv init --example holmestrand
	[ "$status" -eq 0 ]
	[[ "$output" == *"units:     32"* ]]
	[[ "$output" == *"people:    82"* ]]
	[[ "$output" == *"calendars: 2025/26, 2026/27"* ]]
	run csv team list --kind skole
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 10 ]
	[[ "$output" == *"gjoklep,Gjøklep ungdomsskole,skole,8-10,,"* ]]
	[[ "$output" == *"kjeldas,Kjeldås skole,skole,1-7,,"* ]]
	run csv team list --kind barnehage
	[ "${#lines[@]}" -eq 13 ]
	run csv team list --kind barnehagegruppe
	[ "${#lines[@]}" -eq 5 ]
	run csv team list --kind tjeneste
	[ "${#lines[@]}" -eq 8 ]
	run csv team list --kind nærværsteam
	[ "${#lines[@]}" -eq 2 ]
}

@test "init --example finds the examples through PATVERS_EXAMPLES and rejects bad names" {
	PATVERS_EXAMPLES="$EXAMPLES" run pv init --example holmestrand
	[ "$status" -eq 0 ]
	PATVERS_EXAMPLES="$BATS_TEST_TMPDIR" run pv init --example holmestrand
	[ "$status" -eq 66 ]
	[[ "$output" == *"no example 'holmestrand'"* ]]
	run pv init --example ../holmestrand
	[ "$status" -eq 64 ]
}

@test "the Holmestrand example passes team check with the default rules" {
	pv -q init --example holmestrand
	run pv team check --exit-code
	[ "$status" -eq 0 ]
	[[ "$output" == *"the roster meets the rules"* ]]
	[[ "$output" == *"meeting days:      17"* ]]
}

@test "the example files are saved the way Norwegian Excel saves them" {
	for f in "$EXAMPLES/holmestrand/units.csv" "$EXAMPLES/holmestrand/people.csv"; do
		[ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' ')" = "efbbbf" ]
		head -1 "$f" | grep -q ';'
		# every line ends in CRLF
		[ "$(grep -c $'\r$' "$f")" -eq "$(wc -l < "$f")" ]
	done
}

@test "the example shares PPT, barnevern and health staff between units" {
	pv -q init --example holmestrand
	run pv --format json team show gjoklep
	[ "$status" -eq 0 ]
	for role in rektor sosiallaerer radgiver ppt-radgiver helsesykepleier barnevern-kontakt; do
		[[ "$output" == *"\"role\": \"$role\""* ]]
	done
	ppt=$(person_with ppt-radgiver team show gjoklep)
	run csv team show "$ppt"
	[ "${#lines[@]}" -ge 3 ]
	bv=$(person_with barnevern-kontakt team show gjoklep)
	run csv team show "$bv"
	[ "${#lines[@]}" -ge 4 ]
}

@test "team show of a kindergarten group shows its three kindergartens and their teams" {
	pv -q init --example holmestrand
	run pv team show bhg-nord
	[ "$status" -eq 0 ]
	[[ "$output" == *"members: eidsfoss, furuly, solbakken"* ]]
	[[ "$output" =~ eidsfoss\ +styrer ]]
	[[ "$output" =~ solbakken\ +bfs-kontakt ]]
	run csv team show bhg-nord
	[ "${lines[1]%%,*}" = "eidsfoss" ]
	[[ "${lines[1]}" == eidsfoss,styrer,* ]]
	[[ "${lines[2]}" == eidsfoss,pedagogisk-leder,* ]]
	[[ "${lines[3]}" == eidsfoss,ppt-radgiver,* ]]
	[[ "${lines[4]}" == eidsfoss,bfs-kontakt,* ]]
	[[ "${lines[5]}" == eidsfoss,barnevern-kontakt,* ]]
}

@test "Excel-style CSV: BOM, ';', CRLF, quoted fields with ';', Norwegian spellings" {
	import_excel
	[[ "$output" == *"units read:          10"* ]]
	[[ "$output" == *"people read:         14"* ]]
	run csv team show kjeldas
	[ "$status" -eq 0 ]
	[[ "$output" == *'ppt-radgiver,per-vik,"Vik; Per ""PP""",per.vik@holmestrand.kommune.example,'* ]]
	run pv --format json team show kjeldas
	[[ "$output" == *'"name": "Kjeldås skole; avd. Vassås"'* ]]
	run csv team show gjoklep
	[[ "$output" == *"sosiallaerer,bjorn-aas,Bjørn Aas"* ]]
	[[ "$output" == *"radgiver,bjorn-aas,Bjørn Aas"* ]]
	[[ "$output" == *"rektor,ase-ovrebo,Åse Øvrebø,ase.ovrebo@holmestrand.kommune.example,bjorn-aas"* ]]
	run pv team check --exit-code
	[ "$status" -eq 0 ]
}

@test "a row with an unknown role exits 65 naming file:line:column and imports nothing" {
	pv -q init
	run pv team import "$TEAM/excel-units.csv" "$TEAM/bad-role-people.csv"
	[ "$status" -eq 65 ]
	[[ "$output" == *"bad-role-people.csv:3:5: unknown role 'sosialarbeider'"* ]]
	run csv team list
	[ "$status" -eq 0 ]
	[ "$output" = "id,name,type,grades,group,people" ]
	run csv team list --people
	[ "$output" = "id,name,email,home,roles,units,substitute" ]
}

@test "a bad e-mail and a duplicate id exit 65 with their positions" {
	pv -q init
	run pv team import "$TEAM/excel-units.csv" "$TEAM/bad-email-people.csv"
	[ "$status" -eq 65 ]
	[[ "$output" == *"bad-email-people.csv:3:3: 'bjorn.aas(at)holmestrand.kommune.example' is not a valid e-mail address"* ]]
	run pv team import "$TEAM/excel-units.csv" "$TEAM/duplicate-id-people.csv"
	[ "$status" -eq 65 ]
	[[ "$output" == *"duplicate-id-people.csv:4:1: duplicate id 'ase-ovrebo' (also on line 2)"* ]]
	run pv team import "$TEAM/group-school-units.csv" "$TEAM/bad-role-people.csv"
	[ "$status" -eq 65 ]
	[[ "$output" == *"group-school-units.csv:3:5: only kindergartens belong to a kindergarten group"* ]]
	run csv team list
	[ "${#lines[@]}" -eq 1 ]
	run pv audit list
	[[ "$output" != *"unit:"* ]]
}

@test "team check finds a deliberately missing role and --exit-code exits 1" {
	pv -q init --example holmestrand
	nurse=$(person_with helsesykepleier team show gjoklep)
	pv -q team unassign "$nurse" gjoklep
	run pv team check
	[ "$status" -eq 0 ]
	[[ "$output" =~ gjoklep\ +role\ +-\ +no\ helsesykepleier ]]
	run pv team check --exit-code
	[ "$status" -eq 1 ]
	run csv team check
	[ "${lines[0]}" = "unit,rule,person,detail" ]
	[ "${lines[1]}" = "gjoklep,role,,no helsesykepleier" ]
}

@test "team check: rådgiver only where grades 8-10, groups of three, leaders' substitutes" {
	import_excel
	pv -q team add-unit --type barnehage --group bhg-1 vestly "Vestly barnehage"
	pv -q team add-person --update siri-dahl --substitute ''
	pv -q team unassign bjorn-aas gjoklep radgiver
	run csv team check --exit-code
	[ "$status" -eq 1 ]
	[[ "$output" == *'bhg-1,group-size,,"4 kindergartens, the rules want 3"'* ]]
	[[ "$output" == *"gjoklep,role,,no radgiver"* ]]
	[[ "$output" == *"kjeldas,substitute,siri-dahl,rektor siri-dahl has no stedfortreder"* ]]
	[[ "$output" != *"kjeldas,role,,no radgiver"* ]]
}

@test "export then import round-trips byte for byte, and matches the example" {
	pv -q init --example holmestrand
	run pv team export "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 0 ]
	cmp "$BATS_TEST_TMPDIR/out/units.csv" "$EXAMPLES/holmestrand/units.csv"
	cmp "$BATS_TEST_TMPDIR/out/people.csv" "$EXAMPLES/holmestrand/people.csv"
	export PATVERS_DB="$BATS_TEST_TMPDIR/second.db"
	pv -q init
	run pv team import "$BATS_TEST_TMPDIR/out/units.csv" "$BATS_TEST_TMPDIR/out/people.csv"
	[ "$status" -eq 0 ]
	pv team export --units > "$BATS_TEST_TMPDIR/units2.csv"
	pv team export --people > "$BATS_TEST_TMPDIR/people2.csv"
	cmp "$BATS_TEST_TMPDIR/out/units.csv" "$BATS_TEST_TMPDIR/units2.csv"
	cmp "$BATS_TEST_TMPDIR/out/people.csv" "$BATS_TEST_TMPDIR/people2.csv"
}

@test "an Excel file round-trips after one export" {
	import_excel
	pv -q team export "$BATS_TEST_TMPDIR/a"
	export PATVERS_DB="$BATS_TEST_TMPDIR/second.db"
	pv -q init
	pv -q team import "$BATS_TEST_TMPDIR/a"
	pv -q team export "$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a/units.csv" "$BATS_TEST_TMPDIR/b/units.csv"
	cmp "$BATS_TEST_TMPDIR/a/people.csv" "$BATS_TEST_TMPDIR/b/people.csv"
	grep -q '^"Vik; Per ""PP""";' "$BATS_TEST_TMPDIR/a/people.csv" && false || true
	grep -q ';"Vik; Per ""PP""";' "$BATS_TEST_TMPDIR/a/people.csv"
}

@test "export never overwrites without --force and needs one target" {
	pv -q init --example holmestrand
	pv -q team export "$BATS_TEST_TMPDIR/out"
	run pv team export "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 73 ]
	[[ "$output" == *"use --force to overwrite"* ]]
	run pv team export --force "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 0 ]
	run pv team export
	[ "$status" -eq 64 ]
	run pv team export --units --people
	[ "$status" -eq 64 ]
}

@test "re-importing the same files changes nothing; --replace drops the rest" {
	pv -q init --example holmestrand
	run pv --format json team import "$EXAMPLES/holmestrand"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"units_added": 0'* ]]
	[[ "$output" == *'"people_changed": 0'* ]]
	[[ "$output" == *'"assignments_added": 0'* ]]
	run pv --format json team import --replace "$TEAM/excel-units.csv" "$TEAM/excel-people.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"units_removed": '[1-9]* ]]
	run csv team list --people
	[ "${#lines[@]}" -eq 15 ]
}

@test "remove refuses while people serve a unit and says who; --force detaches" {
	import_excel
	run pv team remove eidsfoss
	[ "$status" -eq 65 ]
	[[ "$output" == *"home unit of anne-hoel, mia-foss"* ]]
	[[ "$output" == *"served by anne-hoel (styrer), bo-ruud (bfs-kontakt)"* ]]
	[[ "$output" == *"(+1 more)"* ]]
	run pv team remove --force eidsfoss
	[ "$status" -eq 65 ]
	[[ "$output" == *"move or remove them first"* ]]
	run pv team remove per-vik
	[ "$status" -eq 65 ]
	[[ "$output" == *"'per-vik' is in use: serves eidsfoss (ppt-radgiver)"* ]]
	[[ "$output" == *"--force"* ]]
	run pv team remove --force per-vik
	[ "$status" -eq 0 ]
	[[ "$output" =~ serves\ +kjeldas\ +ppt-radgiver ]]
	run pv team show per-vik
	[ "$status" -eq 65 ]
	run pv team remove --force bhg-1
	[ "$status" -eq 0 ]
	run csv team show eidsfoss
	[ "$status" -eq 0 ]
	run pv team check
	[[ "$output" == *"in no kindergarten group"* ]]
}

@test "add-unit, add-person, assign and unassign write audit rows" {
	import_excel
	run pv team add-unit --type skole --grades 1-7 hof "Hof skole"
	[ "$status" -eq 0 ]
	run pv team add-unit --type skole --grades 1-7 hof "Hof skole"
	[ "$status" -eq 65 ]
	run pv team add-person --home hof --role rektor --substitute tone-lie nina-lie "Nina Lie" nina.lie@holmestrand.kommune.example
	[ "$status" -eq 0 ]
	run pv team add-person --home hof bad-mail "Bad Mail" not-an-address
	[ "$status" -eq 65 ]
	[[ "$output" == *"'not-an-address' is not a valid e-mail address"* ]]
	run pv team assign per-vik hof "PPT-rådgiver"
	[ "$status" -eq 0 ]
	run pv team assign per-vik hof vaktmester
	[ "$status" -eq 65 ]
	[[ "$output" == *"unknown role 'vaktmester'"* ]]
	run pv team unassign per-vik hof
	[ "$status" -eq 0 ]
	run pv audit list
	[[ "$output" == *"added unit hof"* ]]
	[[ "$output" == *"added person nina-lie"* ]]
	[[ "$output" == *"assigned per-vik to hof as ppt-radgiver"* ]]
	[[ "$output" == *"unassigned per-vik from hof as ppt-radgiver"* ]]
	run pv db check
	[ "$status" -eq 0 ]
}

@test "every team sub-command has --help" {
	for sub in import export list show add-unit add-person assign unassign remove check; do
		run pv team "$sub" --help
		[ "$status" -eq 0 ]
		[[ "$output" == "usage: patvers team $sub"* ]]
	done
	run pv team --help
	[[ "$output" == *"sosiallærer"* ]]
}

@test "import needs two files or a folder" {
	pv -q init
	run pv team import "$TEAM/excel-units.csv"
	[ "$status" -eq 64 ]
	run pv team import "$TEAM/excel-units.csv" "$TEAM/missing.csv"
	[ "$status" -eq 66 ]
}

@test "remove refuses what planned meetings use, even with --force" {
	import_excel
	# two meetings as lib/schedule.c stores them: one planned, one held
	sqlite3 "$PATVERS_DB" "
		INSERT INTO meeting (id, uid, school_year, unit, kind, number, date,
			start_time, end_time, status, leader)
		VALUES (1, '2026-gjoklep-systemmote-1@patvers', 2026, 'gjoklep', 'systemmote', 1,
			'2026-08-27', '12:30', '14:00', 'planned', 'ase-ovrebo'),
		       (2, '2026-kjeldas-systemmote-1@patvers', 2026, 'kjeldas', 'systemmote', 1,
			'2026-08-20', '12:30', '14:00', 'held', 'siri-dahl');
		INSERT INTO meeting_participant (meeting, person, role, position)
		VALUES (1, 'per-vik', 'ppt-radgiver', 1), (2, 'per-vik', 'ppt-radgiver', 1);"
	run pv team remove per-vik
	[ "$status" -eq 65 ]
	[[ "$output" == *"planned meetings 2026-gjoklep-systemmote-1@patvers (2026-08-27 systemmote)"* ]]
	[[ "$output" != *"kjeldas-systemmote"* ]]
	run pv team remove --force per-vik
	[ "$status" -eq 65 ]
	[[ "$output" == *"2 meetings in the plan or the log refer to them"* ]]
	run pv team import --replace "$TEAM/excel-units.csv" "$TEAM/bad-role-people.csv"
	[ "$status" -eq 65 ]
	run pv team import --replace "$EXAMPLES/holmestrand"
	[ "$status" -eq 65 ]
	[[ "$output" == *"would be removed but is in use (meeting "* ]]
	run pv --format csv team list --people
	[ "${#lines[@]}" -eq 15 ]
}

@test "a school's own Åpen dør plan: units.csv columns, team show, export, errors" {
	load_holmestrand
	pv team export --units | tr -d '\r' > "$BATS_TEST_TMPDIR/units.csv"
	# no school has its own plan yet: the file keeps its five columns
	run head -1 "$BATS_TEST_TMPDIR/units.csv"
	[ "$output" = $'\xef\xbb\xbfid;navn;type;trinn;gruppe' ]
	# Excel adds the columns; hof meets on Fridays at 12:00, every week
	sed -i -e '1s/$/;Åpen dør ukedag;Åpen dør start;Åpen dør minutter;Åpen dør hver uke/' \
	       -e '2,$s/$/;;;;/' \
	       -e 's/^hof;\(.*\);;;;$/hof;\1;fredag;12:00;90;1/' "$BATS_TEST_TMPDIR/units.csv"
	run pv team import "$BATS_TEST_TMPDIR/units.csv" "$EXAMPLES/holmestrand/people.csv"
	[ "$status" -eq 0 ]
	run pv --format json team show hof
	[ "$status" -eq 0 ]
	[ "$(jq -c .apen_dor <<<"$output")" = \
	  '{"weekday":"friday","start":"12:00","end":"13:30","every_weeks":1,"school_sets":["weekday","start","minutes","every_weeks"]}' ]
	# another school of the same contact follows the rules
	run pv --format json team show botne
	[ "$(jq -c .apen_dor <<<"$output")" = \
	  '{"weekday":"wednesday","start":"09:00","end":"11:00","every_weeks":2,"school_sets":[]}' ]
	run pv team show hof
	[[ "$output" == *"weekday:     friday"* ]]
	# export now writes the plan columns, and reads back unchanged
	run pv team export --units
	[[ "$output" == *"hof;Hof skole;skole;1-10;;fredag;12:00;90;1"* ]]
	run pv --format json team import "$BATS_TEST_TMPDIR/units.csv" \
		"$EXAMPLES/holmestrand/people.csv"
	[ "$(jq .units_changed <<<"$output")" -eq 0 ]
	# add-unit changes one value; '' goes back to the rules
	run pv team add-unit --update hof --apen-dor-every '' --apen-dor-start 13:00
	[ "$status" -eq 0 ]
	run pv --format json team show hof
	[ "$(jq -c '[.apen_dor.start, .apen_dor.every_weeks, .apen_dor.school_sets]' <<<"$output")" = \
	  '["13:00",2,["weekday","start","minutes"]]' ]
	[ "$(sql "SELECT summary FROM audit ORDER BY id DESC LIMIT 1")" = \
	  "changed unit hof (Hof skole, skole 1-10; åpen dør, friday, 13:00, 90 min)" ]
	# bad values: file:line:column, exit 65, nothing changed
	sed -i 's/^hof;\(.*\);fredag;/hof;\1;søndag;/' "$BATS_TEST_TMPDIR/units.csv"
	run pv team import "$BATS_TEST_TMPDIR/units.csv" "$EXAMPLES/holmestrand/people.csv"
	[ "$status" -eq 65 ]
	[[ "$output" == *"units.csv:"*":6: Åpen dør weekday 'søndag' is not a school day"* ]]
	run pv team add-unit --update bfs --apen-dor-weekday onsdag
	[ "$status" -eq 65 ]
	[[ "$output" == *"not a school"* ]]
	run pv team add-unit --update hof --apen-dor-minutes 500
	[ "$status" -eq 65 ]
	[[ "$output" == *"whole number of minutes from 15 to 420"* ]]
	run pv --format json team show hof
	[ "$(jq -r .apen_dor.weekday <<<"$output")" = friday ]
}
