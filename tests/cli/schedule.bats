#!/usr/bin/env bats
# patvers schedule: the annual plan on the Holmestrand example.

load helper

# The first Thursday from the list on which none of meeting $1's people
# has a meeting.
free_thursday() {
	for d in 2027-04-15 2027-04-22 2027-04-29 2027-05-27 2027-06-03 2027-06-10; do
		n=$(sql "SELECT count(*) FROM meeting m JOIN meeting_participant p ON p.meeting = m.id
			 WHERE m.date = '$d' AND p.person IN
			 (SELECT person FROM meeting_participant WHERE meeting = $1)")
		if [ "$n" -eq 0 ]; then
			echo "$d"
			return
		fi
	done
}

# Pairs of meetings that share a person and overlap in time.
double_bookings() {
	sql "SELECT count(*) FROM meeting_participant a
	     JOIN meeting_participant b ON a.person = b.person AND a.meeting < b.meeting
	     JOIN meeting ma ON ma.id = a.meeting JOIN meeting mb ON mb.id = b.meeting
	     WHERE ma.date = mb.date AND ma.start_time < mb.end_time
	       AND mb.start_time < ma.end_time
	       AND ma.status <> 'cancelled' AND mb.status <> 'cancelled'"
}

@test "generate plans the year and prints a summary per unit" {
	load_holmestrand
	run pv schedule generate --year 2026/27 --stats
	[ "$status" -eq 0 ]
	[[ "$output" == *"gjoklep"*"systemmote"* ]]
	[[ "$output" == *"bhg-"*"systemmote"* ]]
	[[ "$output" == *"naervaer"* ]]
	[[ "$output" == *"apen-dor"* ]]
	[[ "$output" == *"god-oppvekst"* ]]
	[[ "$output" == *"spread:"* ]]
}

@test "never on skjærtorsdag 2027-03-25, Kristi himmelfart 2027-05-06 or in breaks" {
	load_holmestrand
	pv schedule generate --year 2026/27
	[ "$(sql "SELECT count(*) FROM meeting WHERE date IN ('2027-03-25', '2027-05-06')")" -eq 0 ]
	[ "$(sql "SELECT count(*) FROM meeting WHERE date BETWEEN '2026-10-05' AND '2026-10-09'")" -eq 0 ]
	[ "$(sql "SELECT count(*) FROM meeting WHERE date BETWEEN '2027-03-22' AND '2027-03-29'")" -eq 0 ]
	[ "$(sql "SELECT count(*) FROM meeting WHERE date BETWEEN '2026-12-19' AND '2027-01-04'")" -eq 0 ]
}

@test "no person is double-booked and schedule check finds nothing" {
	load_holmestrand
	pv schedule generate --year 2026/27
	[ "$(double_bookings)" -eq 0 ]
	run pv schedule check --year 2026/27 --exit-code
	[ "$status" -eq 0 ]
	[[ "$output" == *"findings: (none)"* ]]
}

@test "every school and kindergarten group reaches its minimum per half-year" {
	load_holmestrand
	pv schedule generate --year 2026/27
	short=$(sql "SELECT count(*) FROM unit u WHERE u.kind IN ('school', 'kindergarten-group')
		AND ((SELECT count(*) FROM meeting m WHERE m.unit = u.slug AND m.kind = 'systemmote'
		      AND m.date BETWEEN '2026-08-01' AND '2026-12-31') < 2
		  OR (SELECT count(*) FROM meeting m WHERE m.unit = u.slug AND m.kind = 'systemmote'
		      AND m.date BETWEEN '2027-01-01' AND '2027-06-30') < 2)")
	[ "$short" -eq 0 ]
}

@test "the first school systemmøte is within the first two school weeks" {
	load_holmestrand
	pv schedule generate --year 2026/27
	late=$(sql "SELECT count(*) FROM unit u WHERE u.kind = 'school'
		AND (SELECT min(date) FROM meeting m WHERE m.unit = u.slug
		     AND m.kind = 'systemmote') > '2026-08-30'")
	[ "$late" -eq 0 ]
}

@test "systemmøter sit on Thursdays except the listed fallback days" {
	load_holmestrand
	run pv schedule generate --year 2026/27
	fallback=$(sql "SELECT count(*) FROM meeting WHERE kind = 'systemmote' AND fallback_day = 1")
	not_thursday=$(sql "SELECT count(*) FROM meeting WHERE kind = 'systemmote'
			   AND strftime('%w', date) <> '4'")
	[ "$fallback" -eq "$not_thursday" ]
	[ "$(grep -c 'on fallback weekday' <<<"$output")" -eq "$fallback" ]
	# kindergartens have no fallback weekday in the rules
	[ "$(sql "SELECT count(*) FROM meeting m JOIN unit u ON u.slug = m.unit
		 WHERE u.kind = 'kindergarten-group' AND strftime('%w', m.date) <> '4'")" -eq 0 ]
}

@test "two runs on two databases give byte-identical plans" {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	pv --format json schedule list --year 2026/27 > "$BATS_TEST_TMPDIR/a.json"
	export PATVERS_DB="$BATS_TEST_TMPDIR/second.db"
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	pv --format json schedule list --year 2026/27 > "$BATS_TEST_TMPDIR/b.json"
	cmp "$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json"
	grep -q '"schema": "patvers/plan/1"' "$BATS_TEST_TMPDIR/a.json"
}

@test "regenerating changes nothing and keeps ids" {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	pv --format json schedule list > "$BATS_TEST_TMPDIR/a.json"
	run pv --format json schedule generate --year 2026/27
	[[ "$output" == *'"planned": 0'* ]]
	pv --format json schedule list > "$BATS_TEST_TMPDIR/b.json"
	cmp "$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json"
}

@test "held, locked and moved meetings survive regeneration" {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	held=$(sql "SELECT id FROM meeting WHERE unit = 'hof' AND kind = 'systemmote' AND number = 2")
	sql "UPDATE meeting SET status = 'held', date = '2026-10-01' WHERE id = $held"
	locked=$(sql "SELECT id FROM meeting WHERE unit = 'botne' AND kind = 'systemmote' AND number = 3")
	pv schedule lock "$locked"
	locked_date=$(sql "SELECT date FROM meeting WHERE id = $locked")
	run pv schedule generate --year 2026/27
	[ "$status" -eq 0 ]
	[[ "$output" == *"kept:          2"* ]]
	[ "$(sql "SELECT status || ' ' || date FROM meeting WHERE id = $held")" = "held 2026-10-01" ]
	[ "$(sql "SELECT date FROM meeting WHERE id = $locked")" = "$locked_date" ]
	[ "$(double_bookings)" -eq 0 ]
}

@test "dry run stores nothing" {
	load_holmestrand
	run pv schedule generate --year 2026/27 --dry-run --plan
	[ "$status" -eq 0 ]
	[[ "$output" == *"meetings:"* ]]
	[ "$(sql "SELECT count(*) FROM meeting")" -eq 0 ]
}

@test "an over-loaded PPT advisor without fallback weekdays exits 69 and explains" {
	load_holmestrand
	echo '{"meetings":{"school_systemmote":{"fallback_weekdays":[],"first_within_school_weeks":20}}}' \
		> "$BATS_TEST_TMPDIR/strict.json"
	pv rules import "$BATS_TEST_TMPDIR/strict.json"
	for school in botne ekeberg galleberg gjoklep hof kjeldas kleiverud klokkerjordet selvik; do
		pv -q team assign tor-lervik "$school" ppt-radgiver >/dev/null
	done
	run pv schedule generate --year 2026/27
	[ "$status" -eq 69 ]
	[[ "$output" == *"tor-lervik serves 9 units = 18 systemmøter in H2 2026, but only 17 Thursdays are open for their units"* ]]
	[ "$(sql "SELECT count(*) FROM meeting")" -eq 0 ]
}

@test "with clash_policy substitute the same roster is planned with listed substitutes" {
	load_holmestrand
	echo '{"clash_policy":"substitute","meetings":{"school_systemmote":{"fallback_weekdays":[],"first_within_school_weeks":20}}}' \
		> "$BATS_TEST_TMPDIR/sub.json"
	pv rules import "$BATS_TEST_TMPDIR/sub.json"
	for school in botne ekeberg galleberg gjoklep hof kjeldas kleiverud klokkerjordet selvik; do
		pv -q team assign tor-lervik "$school" ppt-radgiver >/dev/null
	done
	run pv schedule generate --year 2026/27
	[ "$status" -eq 0 ]
	[[ "$output" == *"stands in for tor-lervik"* ]]
	subs=$(sql "SELECT count(*) FROM meeting_participant WHERE substitute_for IS NOT NULL")
	[ "$subs" -gt 0 ]
	[ "$(double_bookings)" -eq 0 ]
}

@test "move refuses a holiday and a clash, --force moves, SEQUENCE rises" {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	id=$(sql "SELECT id FROM meeting WHERE unit = 'hof' AND kind = 'systemmote' AND number = 4")
	run pv schedule move "$id" 2027-05-06
	[ "$status" -eq 69 ]
	[[ "$output" == *"Kristi himmelfartsdag"* ]]
	other=$(sql "SELECT m.date FROM meeting m JOIN meeting_participant p ON p.meeting = m.id
		WHERE p.person = 'tor-lervik' AND m.unit <> 'hof' AND m.kind = 'systemmote'
		AND m.date >= '2027-01-01' ORDER BY m.date LIMIT 1")
	run pv schedule move "$id" "$other"
	[ "$status" -eq 69 ]
	[[ "$output" == *"clash"*"tor-lervik"* ]]
	before=$(sql "SELECT sequence FROM meeting WHERE id = $id")
	run pv schedule move "$id" "$(free_thursday "$id")"
	[ "$status" -eq 0 ]
	after=$(sql "SELECT sequence FROM meeting WHERE id = $id")
	[ "$after" -gt "$before" ]
	[ "$(sql "SELECT moved FROM meeting WHERE id = $id")" -eq 1 ]
	run pv schedule move "$id" 2027-05-06 --force
	[ "$status" -eq 0 ]
	[[ "$output" == *"closed"* ]]
}

@test "cancel needs a reason and lists as cancelled; add makes an ad hoc meeting" {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	id=$(sql "SELECT id FROM meeting WHERE unit = 'selvik' AND kind = 'systemmote' AND number = 2")
	run pv schedule cancel "$id"
	[ "$status" -eq 64 ]
	run pv schedule cancel "$id" --reason "sykdom i teamet"
	[ "$status" -eq 0 ]
	run pv --format csv schedule list --unit selvik --all --kind systemmote
	[[ "$output" == *"cancelled"* ]]
	run pv schedule check --year 2026/27 --exit-code
	[ "$status" -eq 1 ]
	[[ "$output" == *"selvik"*"minimum"* ]]
	run pv schedule add --unit hof --date 2026-11-10 --time 09:00
	[ "$status" -eq 0 ]
	run pv schedule list --unit hof --kind veiledningsteam
	[[ "$output" == *"2026-11-10  09:00  10:30"* ]]
	run pv schedule add --unit hof --date 2026-10-06 --time 09:00
	[ "$status" -eq 69 ]
	[[ "$output" == *"høstferie"* ]]
}

@test "agenda of the first school meeting adds the year's organisation" {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	first=$(sql "SELECT id FROM meeting WHERE unit = 'hof' AND kind = 'systemmote' AND number = 1")
	second=$(sql "SELECT id FROM meeting WHERE unit = 'hof' AND kind = 'systemmote' AND number = 2")
	run pv schedule agenda "$first"
	[ "$status" -eq 0 ]
	# Markdown, line by line as pv_plan_agenda wrote it
	[ "${lines[0]}" = "# Systemmøte – Hof skole" ]
	printf '%s\n' "${lines[@]}" | grep -qx "## Dagsorden"
	printf '%s\n' "${lines[@]}" | grep -qx "1. Hvordan organiserer vi arbeidet dette året"
	[[ "$output" == *"Presentasjon av innmeldte saker"* ]]
	run pv schedule agenda "$second"
	[[ "$output" != *"Hvordan organiserer"* ]]
	run pv schedule show "$first"
	[ "$status" -eq 0 ]
	[[ "$output" == *"participants:"* ]]
}

@test "ICS export: one VEVENT per meeting, the same UIDs, CANCELLED, higher SEQUENCE after a move" {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	run pv schedule export --ics -o "$BATS_TEST_TMPDIR/plan.ics"
	[ "$status" -eq 0 ]
	[ "$output" = "patvers: note: wrote $(sql "SELECT count(*) FROM meeting") meetings to '$BATS_TEST_TMPDIR/plan.ics'" ]
	run pv schedule export --ics -o "$BATS_TEST_TMPDIR/plan.ics"
	[ "$status" -eq 73 ]
	[ "$(grep -c '^BEGIN:VEVENT' "$BATS_TEST_TMPDIR/plan.ics")" -eq "$(sql "SELECT count(*) FROM meeting")" ]
	grep -q '^TZID:Europe/Oslo' "$BATS_TEST_TMPDIR/plan.ics"
	diff <(grep '^UID:' "$BATS_TEST_TMPDIR/plan.ics" | tr -d '\r' | sed 's/^UID://' | sort) \
	     <(sql "SELECT uid FROM meeting" | sort)
	id=$(sql "SELECT id FROM meeting WHERE unit = 'hof' AND kind = 'systemmote' AND number = 4")
	uid=$(sql "SELECT uid FROM meeting WHERE id = $id")
	pv schedule move "$id" "$(free_thursday "$id")" >/dev/null
	other=$(sql "SELECT id FROM meeting WHERE unit = 'hof' AND kind = 'systemmote' AND number = 3")
	pv schedule cancel "$other" --reason "flyttet til veiledningsteam" >/dev/null
	pv schedule export --ics --unit hof > "$BATS_TEST_TMPDIR/hof.ics"
	grep -A2 "^UID:$uid" "$BATS_TEST_TMPDIR/hof.ics" | grep -q '^SEQUENCE:1'
	grep -q '^STATUS:CANCELLED' "$BATS_TEST_TMPDIR/hof.ics"
	# same database, same bytes
	pv schedule export --ics --unit hof | cmp - "$BATS_TEST_TMPDIR/hof.ics"
}

@test "schedule errors: bad year, unknown id, unknown kind" {
	load_holmestrand
	run pv schedule generate --year 2026-27
	[ "$status" -eq 64 ]
	run pv schedule show 9999
	[ "$status" -eq 65 ]
	[[ "$output" == *"no meeting with id 9999"* ]]
	run pv schedule list --kind tea-party
	[ "$status" -eq 64 ]
}

@test "a cancel reason passes the anonymity guard and stays out of the audit log" {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	id=$(sql "SELECT id FROM meeting WHERE unit = 'hof' AND kind = 'systemmote' AND number = 2")
	run pv schedule cancel "$id" --reason "ring mor på 41234567"
	[ "$status" -eq 65 ]
	[[ "$output" == *"reason: looks like a phone number"* ]]
	[[ "$output" != *"41234567"* ]]
	[ "$(sql "SELECT status FROM meeting WHERE id = $id")" = "planned" ]
	run pv schedule cancel "$id" --reason "sykdom i teamet"
	[ "$status" -eq 0 ]
	[ "$(sql "SELECT count(*) FROM audit WHERE command GLOB '*sykdom*' OR summary GLOB '*sykdom*'")" -eq 0 ]
	[ "$(sql "SELECT command FROM audit ORDER BY id DESC LIMIT 1")" = "patvers schedule cancel $id --reason …" ]
}

@test "a school's own Åpen dør plan sets its day, hours and interval; the others keep the rules'" {
	load_holmestrand
	pv team add-unit --update hof --apen-dor-weekday fredag --apen-dor-start 12:00 \
		--apen-dor-minutes 90 --apen-dor-every 1
	run pv schedule generate --year 2026/27
	[ "$status" -eq 0 ]
	# weekly on school Fridays at 12:00–13:30 (a session moved because
	# the contact is busy is noted by generate)
	total=$(sql "SELECT count(*) FROM meeting WHERE unit = 'hof' AND kind = 'apen-dor'")
	friday=$(sql "SELECT count(*) FROM meeting WHERE unit = 'hof' AND kind = 'apen-dor'
		      AND strftime('%w', date) = '5' AND start_time = '12:00' AND end_time = '13:30'")
	moved=$(grep -c "hof .*apen-dor moved" <<<"$output" || true)
	[ "$total" -ge 30 ]
	[ "$((friday + moved))" -eq "$total" ]
	# never two a week
	[ "$(sql "SELECT count(*) FROM (SELECT strftime('%Y-%W', date) w FROM meeting
		  WHERE unit = 'hof' AND kind = 'apen-dor' GROUP BY w HAVING count(*) > 1)")" -eq 0 ]
	# the contact's other schools (no plan of their own): the rules'
	# Wednesdays, two hours
	others="SELECT unit FROM assignment WHERE role = 'barnevern-kontakt' AND unit <> 'hof'
		AND person = (SELECT person FROM assignment WHERE unit = 'hof'
			      AND role = 'barnevern-kontakt')"
	[ "$(sql "SELECT count(*) FROM meeting WHERE unit IN ($others) AND kind = 'apen-dor'")" -gt 50 ]
	[ "$(sql "SELECT count(*) FROM meeting WHERE unit IN ($others) AND kind = 'apen-dor'
		  AND (strftime('%w', date) <> '3' OR
		       (strftime('%s', '2000-01-01 ' || end_time) -
			strftime('%s', '2000-01-01 ' || start_time)) <> 7200)")" -eq 0 ]
	[ "$(double_bookings)" -eq 0 ]
}
