#!/usr/bin/env bats
# patvers stafett: a case's whole life, consent by level, handovers, overdue, export, purge and errors.

load helper

# consent add for hof, from the parents, in writing.
consent() {
	pv consent add --ref "$1" --unit hof --services "$2" --given-by foresatt --form written \
		--date "$3" >/dev/null
}

# A level-0 log HOF-2026-07 at hof, held by the sosiallærer, opened 2 November.
opened() {
	load_holmestrand
	pv stafett open --ref HOF-2026-07 --unit hof --holder hilde-dahl --level 0 \
		--concern "Trøtt og stille i timene" --date 2026-11-02 >/dev/null
}

rows() {
	sql "SELECT count(*) FROM $1"
}

@test "a case's whole life: level 0, 1 and 2, handover, evaluation, close, export" {
	opened
	run pv stafett note HOF-2026-07 "Lysglimt: deltok i friminuttet" --date 2026-11-04
	[ "$status" -eq 0 ]
	run pv stafett goal add HOF-2026-07 "Trives og deltar i timene" --date 2026-11-05
	[ "$status" -eq 0 ]
	[[ "$output" == *"goal: 1"* ]]
	run pv stafett tiltak add HOF-2026-07 --what "Ukentlig samtale" --responsible hilde-dahl \
		--evaluate-by 2026-11-19 --date 2026-11-05
	[ "$status" -eq 0 ]
	[[ "$output" == *"tiltak:"*"1"* ]]
	# level 1: decided within the 14 days, with the parents' consent
	consent HOF-2026-07 ppt 2026-11-09
	run pv stafett level HOF-2026-07 1 --why "Foreldrene ønsker oppfølging" --date 2026-11-09
	[ "$status" -eq 0 ]
	run pv stafett tiltak add HOF-2026-07 --what "Kartlegging av lesing" --responsible tor-lervik \
		--evaluate-by 2026-12-10 --date 2026-11-10
	[ "$status" -eq 0 ]
	# level 2: PPT and health; the handover to the health nurse needs helse covered
	consent HOF-2026-07 helse 2026-11-10
	run pv stafett level HOF-2026-07 2 --why "Samarbeid med PPT" --date 2026-11-10
	[ "$status" -eq 0 ]
	run pv stafett handover HOF-2026-07 --to mari-husby --date 2026-11-12
	[ "$status" -eq 0 ]
	[[ "$output" == *"handover: pending"* ]]
	run pv stafett accept HOF-2026-07 --by mari-husby --date 2026-11-13
	[ "$status" -eq 0 ]
	run pv stafett evaluate HOF-2026-07 1 --result "Trives bedre" --continue --date 2026-11-19
	[ "$status" -eq 0 ]
	[[ "$output" == *"next evaluation: 2026-12-03"* ]]
	run pv stafett show HOF-2026-07
	[ "$status" -eq 0 ]
	[[ "$output" == *"level:            2"* ]]
	[[ "$output" == *"holder:           mari-husby"* ]]
	[[ "$output" == *"consent:          ok"* ]]
	[[ "$output" == *"opened at level 0"*"goal: Trives"*"to level 1"*"tiltak 2"*"to level 2"*"handover to Mari Husby asked"*"Mari Husby holds the stafett"*"continues to 2026-12-03"* ]]
	[[ "$output" == *"next steps:"*"Innhent samtykke som dekker den andre tjenesten"* ]]
	run pv stafett evaluate HOF-2026-07 2 --result "Lesing på nivå" --end --date 2026-11-20
	[ "$status" -eq 0 ]
	run pv stafett close HOF-2026-07 --reason goal-met
	[ "$status" -eq 0 ]
	[ "$(sql "SELECT closed || ' ' || close_reason || ' ' || holder || ' ' || level FROM stafett")" = \
		"2026-11-23 goal-met mari-husby 2" ]
	run pv --format json stafett show HOF-2026-07
	[[ "$output" == *'"schema": "patvers/stafett/1"'* ]]
	[[ "$output" == *'"state": "closed"'* ]]
	[[ "$output" != *'"next_steps"'* ]]
	# closed: nothing more is written
	run pv stafett note HOF-2026-07 "Mer"
	[ "$status" -eq 65 ]
	[[ "$output" == *"was closed on 2026-11-23 (goal-met)"* ]]
}

@test "a handover is refused without consent for the receiver's service, then accepted with it" {
	opened
	consent HOF-2026-07 ppt 2026-11-05
	pv stafett level HOF-2026-07 1 --why "Avklart" --date 2026-11-05 >/dev/null
	run pv stafett handover HOF-2026-07 --to mari-husby
	[ "$status" -eq 65 ]
	[[ "$output" == *"stafettlogg 'HOF-2026-07' at level 1 needs a consent covering helse"*"does not cover helse"*"(it covers ppt)"* ]]
	[ "$(sql "SELECT holder || ' ' || coalesce(pending_to, '-') FROM stafett")" = "hilde-dahl -" ]
	consent HOF-2026-07 helse 2026-11-20
	run pv stafett handover HOF-2026-07 --to mari-husby --date 2026-11-20
	[ "$status" -eq 0 ]
	# pending: the holder is unchanged until the receiver accepts
	[ "$(sql "SELECT holder || ' ' || pending_to FROM stafett")" = "hilde-dahl mari-husby" ]
	run pv stafett accept HOF-2026-07 --by tor-lervik
	[ "$status" -eq 65 ]
	[[ "$output" == *"is to 'mari-husby': only they accept it"* ]]
	run pv stafett accept HOF-2026-07
	[ "$status" -eq 64 ]
	run pv stafett accept HOF-2026-07 --by mari-husby
	[ "$status" -eq 0 ]
	[[ "$output" == *"holder:   mari-husby"* ]]
	[ "$(sql "SELECT holder || ' ' || coalesce(pending_to, '-') FROM stafett")" = "mari-husby -" ]
	run pv stafett accept HOF-2026-07 --by mari-husby
	[ "$status" -eq 65 ]
	[[ "$output" == *"no pending handover"* ]]
}

@test "a consent withdrawn before acceptance stops the handover; decline clears it" {
	opened
	consent HOF-2026-07 ppt,helse 2026-11-05
	pv stafett level HOF-2026-07 2 --why "Avklart" --date 2026-11-05 >/dev/null
	pv stafett handover HOF-2026-07 --to tor-lervik --date 2026-11-10 >/dev/null
	run pv stafett close HOF-2026-07 --reason other
	[ "$status" -eq 65 ]
	[[ "$output" == *"pending since 2026-11-10"* ]]
	pv consent withdraw HOF-2026-07 --date 2026-11-15 >/dev/null
	run pv stafett accept HOF-2026-07 --by tor-lervik
	[ "$status" -eq 65 ]
	[[ "$output" == *"was withdrawn on 2026-11-15"* ]]
	run pv stafett show HOF-2026-07
	[[ "$output" == *"consent:"*"was withdrawn on 2026-11-15"* ]]
	run pv stafett decline HOF-2026-07 --by tor-lervik --why "Samtykket er trukket"
	[ "$status" -eq 0 ]
	run pv stafett close HOF-2026-07 --reason parents-request
	[ "$status" -eq 0 ]
}

@test "overdue: an evaluation past its date and a level-0 concern not decided in 14 days" {
	opened
	pv stafett tiltak add HOF-2026-07 --what "Samtale" --responsible hilde-dahl \
		--evaluate-by 2026-11-10 --date 2026-11-03 >/dev/null
	load_two() {
		pv stafett open --ref HOF-2026-08 --unit hof --holder erik-moen --level 0 \
			--concern "Mye fravær" --date 2026-11-20 >/dev/null
	}
	load_two
	run pv stafett list --overdue --exit-code
	[ "$status" -eq 1 ]
	[[ "$output" == *"HOF-2026-07"*"yes"* ]]
	[[ "$output" != *"HOF-2026-08"* ]]
	run pv --format json stafett list --overdue
	[[ "$output" == *'"evaluations_overdue": 1'* ]]
	[[ "$output" == *'"decision_overdue": true'* ]]
	run pv stafett list --holder erik-moen
	[[ "$output" == *"HOF-2026-08"*"2026-12-04"*"no"* ]]
	run pv stafett list --level 1 --exit-code
	[ "$status" -eq 0 ]
	# the evaluation done on time for the next round, the concern decided
	pv stafett evaluate HOF-2026-07 1 --result "Bedre" --evaluate-by 2026-12-15 >/dev/null
	consent HOF-2026-07 ppt 2026-11-23
	pv stafett level HOF-2026-07 1 --why "Foreldrene vil" >/dev/null
	run pv stafett list --overdue --exit-code
	[ "$status" -eq 0 ]
	[[ "$output" == "logs: (none)" ]]
}

@test "export: the complete log as Markdown and JSON, recorded, never overwriting" {
	opened
	pv stafett goal add HOF-2026-07 "Trives" --date 2026-11-03 >/dev/null
	pv stafett tiltak add HOF-2026-07 --what "Samtale | hver uke" --responsible hilde-dahl \
		--evaluate-by 2026-11-17 --date 2026-11-03 >/dev/null
	pv stafett evaluate HOF-2026-07 1 --result "Bedre" --end --date 2026-11-17 >/dev/null
	pv stafett note HOF-2026-07 "Lysglimt" --date 2026-11-18 >/dev/null
	pv stafett close HOF-2026-07 --reason goal-met --date 2026-11-20 >/dev/null
	run pv stafett export HOF-2026-07
	[ "$status" -eq 0 ]
	[[ "$output" == "# Stafettlogg HOF-2026-07"* ]]
	[[ "$output" == *"| State | closed 2026-11-20: goal-met |"* ]]
	[[ "$output" == *"## Concern"*"Trøtt og stille i timene"* ]]
	[[ "$output" == *"1. Trives (2026-11-03)"* ]]
	[[ "$output" == *"| 1 | Samtale \| hver uke | Hilde Dahl (hilde-dahl) | 2026-11-03 | 2026-11-17 | 2026-11-17 | 1 | ended |"* ]]
	# every entry of the timeline is in it
	[ "$(grep -c '^| 2026-11-' <<<"$output")" -eq "$(rows stafett_entry)" ]
	[[ "$output" != *"Next steps"* ]]
	[ "$(sql "SELECT exported FROM stafett")" = "2026-11-23" ]
	run pv stafett export HOF-2026-07 --format json
	[ "$status" -eq 0 ]
	[[ "$output" == *'"schema": "patvers/stafett-export/1"'* ]]
	[[ "$output" == *'"timeline": ['* ]]
	[ "$(grep -c '"kind": ' <<<"$output")" -eq 6 ]
	run pv stafett export HOF-2026-07 -o "$BATS_TEST_TMPDIR/elevmappe.md"
	[ "$status" -eq 0 ]
	grep -q "Lysglimt" "$BATS_TEST_TMPDIR/elevmappe.md"
	run pv stafett export HOF-2026-07 -o "$BATS_TEST_TMPDIR/elevmappe.md"
	[ "$status" -eq 73 ]
	run pv stafett export HOF-2026-07 --format pdf
	[ "$status" -eq 64 ]
	[ "$(sql "SELECT count(*) FROM audit WHERE summary LIKE '%exported whole (md)%'")" -eq 2 ]
}

@test "purge removes only closed, exported logs past the retention time; the audit keeps that" {
	load_holmestrand
	for ref in OLD-1 OLD-2 NEW-1; do
		pv stafett open --ref "$ref" --unit hof --holder hilde-dahl --level 0 \
			--concern "Bekymring" --date 2026-09-01 >/dev/null
	done
	pv stafett close OLD-1 --reason moved --date 2026-09-10 >/dev/null
	pv stafett close OLD-2 --reason moved --date 2026-09-10 >/dev/null
	pv stafett export OLD-1 >/dev/null
	pv stafett export OLD-2 >/dev/null
	# NEW-1 is closed later, still within the 365 days a year on
	PATVERS_TODAY=2027-06-01 pv stafett close NEW-1 --reason goal-met >/dev/null
	PATVERS_TODAY=2027-06-01 pv stafett export NEW-1 >/dev/null
	# the same day: everything within retention
	run pv stafett purge --closed-before 2026-12-31
	[ "$status" -eq 0 ]
	[[ "$output" == *"OLD-1"*"kept-retention"* ]]
	[ "$(rows stafett)" -eq 3 ]
	export PATVERS_TODAY=2027-09-15
	run pv stafett purge --closed-before 2027-09-15 --dry-run
	[[ "$output" == *"removed:        2"* ]]
	[ "$(rows stafett)" -eq 3 ]
	run pv stafett purge --closed-before 2027-09-15
	[ "$status" -eq 0 ]
	[[ "$output" == *"OLD-1"*"removed"*"OLD-2"*"removed"*"NEW-1"*"kept-retention"* ]]
	[ "$(sql "SELECT ref FROM stafett")" = "NEW-1" ]
	[ "$(sql "SELECT count(*) FROM stafett_entry WHERE stafett NOT IN (SELECT id FROM stafett)")" -eq 0 ]
	[ "$(sql "SELECT count(*) FROM audit WHERE summary LIKE '%removed after the retention time%'")" -eq 2 ]
	[ "$(sql "SELECT count(*) FROM audit WHERE summary GLOB '*OLD-*' OR command GLOB '*OLD-*'")" -eq 0 ]
	run pv audit verify
	[ "$status" -eq 0 ]
	# a shorter retention in the rules, and a log changed after its export
	echo '{"stafett": {"retention_days": 30}}' > "$BATS_TEST_TMPDIR/r.json"
	pv rules import "$BATS_TEST_TMPDIR/r.json" >/dev/null
	run pv stafett purge --closed-before 2027-09-15
	[[ "$output" == *"NEW-1"*"removed"* ]]
	[ "$(rows stafett)" -eq 0 ]
	run pv stafett purge
	[ "$status" -eq 64 ]
}

@test "purge keeps a log not exported since its last change unless --force" {
	load_holmestrand
	pv stafett open --ref OLD-3 --unit hof --holder hilde-dahl --level 0 --concern "Bekymring" \
		--date 2025-09-01 >/dev/null
	pv stafett export OLD-3 >/dev/null
	pv stafett close OLD-3 --reason moved --date 2025-09-10 >/dev/null
	run pv stafett purge --closed-before 2026-01-01
	[[ "$output" == *"OLD-3"*"kept-not-exported"* ]]
	[ "$(rows stafett)" -eq 1 ]
	run pv stafett purge --closed-before 2026-01-01 --force
	[[ "$output" == *"OLD-3"*"removed"* ]]
	[ "$(sql "SELECT count(*) FROM audit WHERE summary LIKE '%not exported)'")" -eq 1 ]
	[ "$(rows stafett)" -eq 0 ]
}

@test "a reference is never a name or a national id; texts pass the anonymity guard" {
	load_holmestrand
	run pv stafett open --ref kari.nordmann --unit hof --holder hilde-dahl --level 0 \
		--concern "Bekymring"
	[ "$status" -eq 65 ]
	[[ "$output" == *"has no digit"* ]]
	run pv stafett open --ref 15031210140 --unit hof --holder hilde-dahl --level 0 \
		--concern "Bekymring"
	[ "$status" -eq 65 ]
	[[ "$output" == *"national identity number"* ]]
	run pv stafett open --ref HOF-1 --unit hof --holder hilde-dahl --level 0 \
		--concern "Elev 15031210140 er lei seg"
	[ "$status" -eq 65 ]
	[[ "$output" == *"--concern: looks like a national identity number"* ]]
	[[ "$output" != *"15031210140"* ]]
	pv stafett open --ref HOF-1 --unit hof --holder hilde-dahl --level 0 --concern "Lei seg" \
		--date 2026-11-02 >/dev/null
	run pv stafett note HOF-1 "Ring mor på 46919733"
	[ "$status" -eq 65 ]
	run pv stafett goal add HOF-1 "Skriv til far@example.no"
	[ "$status" -eq 65 ]
	run pv stafett tiltak add HOF-1 --what "Samtale med 46919733" --responsible hilde-dahl \
		--evaluate-by 2026-12-01
	[ "$status" -eq 65 ]
	[ "$(rows stafett_entry)" -eq 1 ]
	# the audit has ids, people's slugs and dates, never the REF or a text
	[ "$(sql "SELECT count(*) FROM audit WHERE entity = 'stafett'")" -eq 1 ]
	[ "$(sql "SELECT count(*) FROM audit WHERE summary GLOB '*HOF-1*' OR command GLOB '*HOF-1*' OR summary GLOB '*Lei seg*' OR command GLOB '*Lei seg*'")" -eq 0 ]
}

@test "errors: unknown log, unit or person, level without consent, bad options" {
	opened
	run pv stafett show HOF-2026-99
	[ "$status" -eq 65 ]
	[[ "$output" == *"no stafettlogg 'HOF-2026-99'"* ]]
	run pv stafett open --ref HOF-9 --unit nowhere --holder hilde-dahl --level 0 --concern x
	[ "$status" -eq 65 ]
	[[ "$output" == *"no unit 'nowhere'"* ]]
	run pv stafett open --ref HOF-9 --unit hof --holder nobody --level 0 --concern x
	[ "$status" -eq 65 ]
	[[ "$output" == *"--holder: no person 'nobody'"* ]]
	run pv stafett handover HOF-2026-07 --to nobody
	[ "$status" -eq 65 ]
	[[ "$output" == *"--to: no person 'nobody'"* ]]
	run pv stafett open --ref HOF-9 --unit hof --holder hilde-dahl --level 2 --concern x
	[ "$status" -eq 65 ]
	[[ "$output" == *"stafettlogg 'HOF-9' at level 2 needs a valid consent: no consent with reference 'HOF-9'"* ]]
	run pv stafett level HOF-2026-07 1 --why "Videre"
	[ "$status" -eq 65 ]
	[[ "$output" == *"at level 1 needs a valid consent"* ]]
	run pv stafett level HOF-2026-07 0 --why "Tilbake"
	[ "$status" -eq 65 ]
	run pv stafett open --ref HOF-2026-07 --unit hof --holder hilde-dahl --level 0 --concern x
	[ "$status" -eq 65 ]
	[[ "$output" == *"is open since 2026-11-02"* ]]
	run pv stafett open --ref HOF-9 --unit hof --holder hilde-dahl --level 5 --concern x
	[ "$status" -eq 64 ]
	run pv stafett open --ref HOF-9 --unit hof
	[ "$status" -eq 64 ]
	run pv stafett note HOF-2026-07 "Senere" --date 2026-12-01
	[ "$status" -eq 64 ]
	[[ "$output" == *"is after today"* ]]
	run pv stafett note HOF-2026-07 "Før" --date 2026-11-01
	[ "$status" -eq 65 ]
	run pv stafett evaluate HOF-2026-07 one --result x
	[ "$status" -eq 64 ]
	run pv stafett evaluate HOF-2026-07 1 --result x --continue --end
	[ "$status" -eq 64 ]
	run pv stafett evaluate HOF-2026-07 1 --result x
	[ "$status" -eq 65 ]
	run pv stafett goal list HOF-2026-07 x
	[ "$status" -eq 64 ]
	run pv stafett close HOF-2026-07 --reason bored
	[ "$status" -eq 64 ]
	run pv stafett accept HOF-2026-07 --to mari-husby
	[ "$status" -eq 64 ]
	run pv stafett frobnicate
	[ "$status" -eq 64 ]
	[ "$(rows stafett)" -eq 1 ]
	[ "$(rows stafett_entry)" -eq 1 ]
}

@test "the guide: every level, one level, without a database, and from the rules" {
	run pv stafett guide
	[ "$status" -eq 0 ]
	[[ "$output" == *"Skriv undringen i stafettloggen"*"Utnevn stafettholder"*"Innhent samtykke som dekker den andre tjenesten"*"Oppnevn koordinator"* ]]
	run pv --format json stafett guide 3
	[[ "$output" == *'"name": "utvidet samhandling"'* ]]
	[[ "$output" == *"Vurder individuell plan"* ]]
	[[ "$output" != *'"level": 2'* ]]
	run pv stafett guide 4
	[ "$status" -eq 64 ]
	pv init >/dev/null
	cat > "$BATS_TEST_TMPDIR/r.json" <<'EOF'
{"stafett": {"guide": [
 {"level": 0, "name": "undring", "steps": [{"who": "ansatt", "what": "Noter", "with": "", "days": 0}]},
 {"level": 1, "name": "en", "steps": [{"who": "holder", "what": "Tiltak", "with": "", "days": 7}]},
 {"level": 2, "name": "to", "steps": [{"who": "holder", "what": "Møte", "with": "PPT", "days": 7}]},
 {"level": 3, "name": "tre", "steps": [{"who": "koordinator", "what": "Plan", "with": "", "days": 7}]}]}}
EOF
	pv rules import "$BATS_TEST_TMPDIR/r.json" >/dev/null
	run pv stafett guide 2
	[[ "$output" == *"Møte"*"PPT"* ]]
	sed -i 's/"level": 2/"level": 3/' "$BATS_TEST_TMPDIR/r.json"
	run pv rules import "$BATS_TEST_TMPDIR/r.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"stafett.guide[2].level"* ]]
}

@test "show ends with the next steps of the case's level, dated from when it got there" {
	opened
	run pv stafett show HOF-2026-07
	[ "$status" -eq 0 ]
	[[ "$output" == *"decide by:        2026-11-16"* ]]
	[[ "$output" == *"overdue:          yes"* ]]
	[[ "$output" == *"consent:          not needed at level 0"* ]]
	[[ "$output" == *"overdue for a decision"* ]]
	last=$(tail -n 1 <<<"$output")
	[[ "$last" == "2026-11-16  leder"*"Bestem: avslutt saken"* ]]
	run pv --format json stafett show HOF-2026-07
	[[ "$output" == *'"next_steps": ['* ]]
	[[ "$output" == *'"past": true'* ]]
	run pv help stafett
	[[ "$output" == *"handover"*"accept"*"purge"*"guide"* ]]
}

@test "a person holding an open log is not removed from the roster without --force" {
	opened
	run pv team remove hilde-dahl
	[ "$status" -eq 65 ]
	[[ "$output" == *"open stafettlogger HOF-2026-07 (holder)"* ]]
	run pv team remove hilde-dahl --force
	[ "$status" -eq 0 ]
	# the log keeps the slug; the holder is no longer in the roster
	run pv --format json stafett show HOF-2026-07
	[[ "$output" == *'"holder": "hilde-dahl"'* ]]
	[[ "$output" == *'"holder_name": null'* ]]
}

@test "export: the Markdown follows LANG; the JSON is the same in every language" {
	opened
	pv stafett goal add HOF-2026-07 "Trives" --date 2026-11-03 >/dev/null
	pv stafett tiltak add HOF-2026-07 --what "Samtale | hver uke" --responsible hilde-dahl \
		--evaluate-by 2026-11-17 --date 2026-11-03 >/dev/null
	pv stafett tiltak add HOF-2026-07 --what "Lesekurs" --responsible hilde-dahl \
		--evaluate-by 2026-11-20 --date 2026-11-04 >/dev/null
	pv stafett evaluate HOF-2026-07 1 --result "Bedre" --end --date 2026-11-17 >/dev/null
	pv stafett note HOF-2026-07 "Lysglimt" --date 2026-11-18 >/dev/null
	run nb stafett export HOF-2026-07
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "# Stafettlogg HOF-2026-07" ]
	[[ "$output" == *"| Enhet | Hof skole (hof) |"$'\n'"| Status | åpen |"$'\n'"| Nivå | 0: undring og bekymring (siden 2026-11-02) |"* ]]
	[[ "$output" == *"| Åpnet | 2026-11-02 |"$'\n'"| Besluttet (ut av nivå 0) | - |"$'\n'"| Per dato | 2026-11-23 |"* ]]
	[[ "$output" == *"## Bekymring"$'\n\n'"Trøtt og stille i timene"$'\n\n'"## Mål"$'\n\n'"1. Trives (2026-11-03)"* ]]
	[[ "$output" == *"| # | Hva | Ansvarlig | Startet | Evalueres innen | Avsluttet | Evalueringer | Status |"* ]]
	[[ "$output" == *"| 1 | Samtale \| hver uke | Hilde Dahl (hilde-dahl) | 2026-11-03 | 2026-11-17 | 2026-11-17 | 1 | avsluttet |"* ]]
	[[ "$output" == *"| 2 | Lesekurs | Hilde Dahl (hilde-dahl) | 2026-11-04 | 2026-11-20 | - | 0 | over fristen |"* ]]
	[[ "$output" == *"## Tidslinje"$'\n\n'"| Dato | Hendelse |"* ]]
	[[ "$output" == *"| 2026-11-02 | åpnet på nivå 0, stafettholder Hilde Dahl: Trøtt og stille i timene |"* ]]
	[[ "$output" == *"| 2026-11-17 | tiltak 1 evaluert og avsluttet: Bedre |"* ]]
	[[ "$output" == *"| 2026-11-18 | notat: Lysglimt |"* ]]
	[[ "$output" == *"## Neste steg (nivå 0: undring og bekymring)"$'\n\n'"| Frist | Hvem | Hva | Sammen med |"* ]]
	run en stafett export HOF-2026-07
	[[ "$output" == *"| Unit | Hof skole (hof) |"$'\n'"| State | open |"* ]]
	[[ "$output" == *"| 2 | Lesekurs | Hilde Dahl (hilde-dahl) | 2026-11-04 | 2026-11-20 | - | 0 | overdue |"* ]]
	[[ "$output" == *"## Next steps (level 0: undring og bekymring)"* ]]
	# closed: the reason in words
	pv stafett close HOF-2026-07 --reason parents-request --date 2026-11-20 >/dev/null
	run nb stafett export HOF-2026-07
	[[ "$output" == *"| Status | lukket 2026-11-20: foreldrenes ønske |"* ]]
	[[ "$output" == *"| 2026-11-20 | lukket: foreldrenes ønske |"* ]]
	[[ "$output" != *"Neste steg"* ]]
	for w in "| Unit |" "| State |" "| Level |" "Opened" "Decided" "As of" "Concern" "Goals" \
		"| What |" "Evaluate by" "Timeline" "opened at" "evaluated" "note:" "closed" \
		"parents-request"; do
		[[ "$output" != *"$w"* ]] || { echo "English left: $w"; false; }
	done
	run en stafett export HOF-2026-07
	[[ "$output" == *"| State | closed 2026-11-20: parents-request |"* ]]
	[[ "$output" == *"| 2026-11-20 | closed: parents-request |"* ]]
	en stafett export HOF-2026-07 --format json >"$BATS_TEST_TMPDIR/c.json"
	nb stafett export HOF-2026-07 --format json >"$BATS_TEST_TMPDIR/nb.json"
	grep -q '"summary": "closed: parents-request"' "$BATS_TEST_TMPDIR/c.json"
	cmp "$BATS_TEST_TMPDIR/c.json" "$BATS_TEST_TMPDIR/nb.json"
}
