#!/usr/bin/env bats
# patvers remind: events around deadlines, silence when nothing is due.

load helper


# The Holmestrand example with the 2026/27 plan.
planned() {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
}

@test "nothing due prints nothing and exits 0, also with --exit-code" {
	pv init >/dev/null
	run pv remind --as-of 2026-09-01
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run pv remind --as-of 2026-09-01 --exit-code
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run pv --format json remind --as-of 2026-09-01
	[ "$output" = "" ]
}

@test "a meeting coming up is announced to its participants" {
	planned
	run pv remind --as-of 2026-08-21 --within 7d --kind meeting --exit-code
	[ "$status" -eq 1 ]
	[[ "$output" == *"2026-08-25  meeting"*"naervaer"* ]]
	run pv --format json remind --as-of 2026-08-21 --within 7d --kind meeting
	[[ "$output" == *'"schema": "patvers/remind/1"'* ]]
	[[ "$output" == *'"email": "tor.lervik@holmestrand.kommune.example"'* ]]
}

@test "a past meeting is reminded as unlogged only after the grace days" {
	planned
	# botne's first systemmøte is on 2026-08-20; grace_days is 3
	run pv remind --as-of 2026-08-23 --kind unlogged --unit botne
	[[ "$output" != *"2026-08-20"* ]]
	run pv remind --as-of 2026-08-24 --kind unlogged --unit botne
	[[ "$output" == *"2026-08-20  unlogged  botne"*"Anders Aas"*"is not logged"* ]]
	id=$(sql "SELECT id FROM meeting WHERE unit = 'botne' AND kind = 'systemmote' AND number = 1")
	pv log held "$id" --leader anders-aas --case anon:skolevegring >/dev/null
	run pv remind --as-of 2026-08-24 --kind unlogged --unit botne
	[[ "$output" != *"2026-08-20"* ]]
}

@test "31 May: the plan for the coming year is due; 2 June: overdue" {
	planned
	run pv remind --as-of 2027-04-30 --kind plan-missing
	[ "$output" = "" ]
	run pv remind --as-of 2027-05-31 --kind plan-missing --kind plan-overdue
	[[ "$output" == *"plan-missing"*"the plan for 2027/28 has 0 of 4 systemmøter"* ]]
	[[ "$output" != *"plan-overdue"* ]]
	run pv remind --as-of 2027-06-02 --kind plan-missing --kind plan-overdue
	[[ "$output" == *"plan-overdue"*"was due 2027-06-01"* ]]
	[[ "$output" != *"plan-missing"* ]]
	pv calendar import "$EXAMPLES/holmestrand/calendar-2026-27.json" >/dev/null
	pv schedule generate --year 2027/28 >/dev/null
	run pv remind --as-of 2027-06-02 --kind plan-missing --kind plan-overdue
	[ "$output" = "" ]
}

@test "14 December: the report is due; 16 December: overdue until marked sent" {
	planned
	run pv remind --as-of 2026-11-20 --kind report-due --kind report-overdue
	[ "$output" = "" ]
	run pv remind --as-of 2026-12-14 --kind report-due --kind report-overdue
	[[ "$output" == *"report-due"*"H2 2026 report to kommunalsjef Oppvekst is due 2026-12-15"* ]]
	run pv remind --as-of 2026-12-16 --kind report-due --kind report-overdue
	[[ "$output" == *"report-overdue"*"was due 2026-12-15"* ]]
	pv report mark-sent --half H2 --year 2026 >/dev/null
	run pv remind --as-of 2026-12-16 --kind report-due --kind report-overdue
	[ "$output" = "" ]
}

@test "actions due and overdue go to who is responsible" {
	planned
	id=$(sql "SELECT id FROM meeting WHERE unit = 'hof' AND kind = 'systemmote' AND number = 1")
	pv log held "$id" --leader marit-nygard --case anon:fravær \
		--action "tor-lervik|Kartlegging av lesing|2026-09-10" \
		--action "sosiallaerer|Samtale med kontaktlærer|2026-10-01" >/dev/null
	run pv remind --as-of 2026-09-05 --kind action-due --kind action-overdue
	[[ "$output" == *"2026-09-10  action-due"*"Tor Lervik"*"Kartlegging av lesing"* ]]
	[[ "$output" != *"Samtale med kontaktlærer"* ]]
	run pv remind --as-of 2026-10-02 --kind action-overdue
	[[ "$output" == *"Tor Lervik"*"was due 2026-09-10"* ]]
	[[ "$output" == *"Hilde Dahl"*"Samtale med kontaktlærer"* ]]
}

@test "consents expiring within 30 days go to the unit's leader" {
	load_holmestrand
	pv consent add --ref HOF-2026-07 --unit hof --services ppt,barnevern --given-by foresatt \
		--form written --date 2026-09-01 --expires 2026-12-31 >/dev/null
	run pv remind --as-of 2026-11-15 --kind consent-expiring
	[ "$output" = "" ]
	run pv remind --as-of 2026-12-05 --kind consent-expiring
	[[ "$output" == *"consent-expiring  hof"*"Marit Nygård"*"consent HOF-2026-07 expires 2026-12-31"* ]]
}

@test "pupil conversations at «Åpen dør» without informed parents are reminded" {
	planned
	id=$(sql "SELECT id FROM meeting WHERE unit = 'hof' AND kind = 'apen-dor' ORDER BY date LIMIT 1")
	leader=$(sql "SELECT leader FROM meeting WHERE id = $id")
	pv log held "$id" --leader "$leader" --staff-consultations 2 --pupil-conversations 1 >/dev/null
	run pv remind --as-of 2026-09-01 --kind parents-not-informed
	[[ "$output" == *"parents-not-informed  hof"*"parents are not yet informed"* ]]
	pv log informed "$id" --date 2026-08-28 >/dev/null
	run pv remind --as-of 2026-09-01 --kind parents-not-informed
	[ "$output" = "" ]
}

@test "--group-by person gives one JSON line per recipient with their events" {
	planned
	run pv --format jsonl remind --as-of 2026-08-21 --within 7d --group-by person
	[ "$status" -eq 0 ]
	[ "$(grep -c '"person":"tor-lervik"' <<<"$output")" -eq 1 ]
	line=$(grep '"person":"tor-lervik"' <<<"$output")
	[[ "$line" == *'"email":"tor.lervik@holmestrand.kommune.example"'* ]]
	[[ "$line" == *'"events":[{'* ]]
	run pv --format jsonl remind --as-of 2026-08-21 --within 7d --group-by person --person tor-lervik
	[ "${#lines[@]}" -eq 1 ]
}

@test "bad options exit 64" {
	pv init >/dev/null
	run pv remind --within soon
	[ "$status" -eq 64 ]
	run pv remind --kind gossip
	[ "$status" -eq 64 ]
	run pv remind --group-by unit
	[ "$status" -eq 64 ]
}

# A level-0 stafettlogg at hof held by the sosiallærer, opened 2 November.
stafett_opened() {
	load_holmestrand
	pv stafett open --ref HOF-2026-07 --unit hof --holder hilde-dahl --level 0 \
		--concern "Trøtt og stille" --date 2026-11-02 >/dev/null
}

@test "stafett: tiltak evaluations due and overdue go to the responsible and the holder" {
	stafett_opened
	pv stafett tiltak add HOF-2026-07 --what "Ukentlig samtale" --responsible hilde-dahl \
		--evaluate-by 2026-11-20 --date 2026-11-03 >/dev/null
	pv consent add --ref HOF-2026-07 --unit hof --services ppt --given-by foresatt \
		--form written --date 2026-11-05 >/dev/null
	pv stafett level HOF-2026-07 1 --why "Avklart" --date 2026-11-05 >/dev/null
	pv stafett tiltak add HOF-2026-07 --what "Kartlegging av lesing" --responsible tor-lervik \
		--evaluate-by 2026-12-01 --date 2026-11-06 >/dev/null
	run pv remind --as-of 2026-11-05 --within 7d --kind evaluation-due --kind evaluation-overdue
	[ "$output" = "" ]
	run pv remind --as-of 2026-11-23 --kind evaluation-due --kind evaluation-overdue --exit-code
	[ "$status" -eq 1 ]
	[[ "$output" == *"2026-11-20  evaluation-overdue"*"hof"*"Hilde Dahl"*"tiltak 1 (Ukentlig samtale) was to be evaluated by 2026-11-20"* ]]
	[[ "$output" == *"2026-12-01  evaluation-due"*"hof"*"Tor Lervik, Hilde Dahl"*"tiltak 2 (Kartlegging av lesing) is to be evaluated by 2026-12-01"* ]]
	run pv --format jsonl remind --as-of 2026-11-23 --kind evaluation-due --person tor-lervik
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *'"kind":"evaluation-due"'* ]]
	pv stafett evaluate HOF-2026-07 1 --result "Bedre" --evaluate-by 2027-01-15 >/dev/null
	run pv remind --as-of 2026-11-23 --kind evaluation-overdue
	[ "$output" = "" ]
}

@test "stafett: a level-0 concern not decided in 14 days goes to the holder and the leader" {
	stafett_opened
	run pv remind --as-of 2026-11-16 --kind decision-overdue
	[ "$output" = "" ]
	run pv remind --as-of 2026-11-17 --kind decision-overdue
	[[ "$output" == *"2026-11-16  decision-overdue  hof"*"Hilde Dahl, Marit Nygård"*"the level-0 concern of 2026-11-02 was to be decided by 2026-11-16"* ]]
	pv stafett close HOF-2026-07 --reason other >/dev/null
	run pv remind --as-of 2026-11-17 --kind decision-overdue
	[ "$output" = "" ]
}

@test "stafett: a pending handover is reminded to the receiver until accepted" {
	stafett_opened
	pv stafett handover HOF-2026-07 --to erik-moen --date 2026-11-10 >/dev/null
	run pv remind --as-of 2026-11-23 --kind handover-pending
	[[ "$output" == *"2026-11-10  handover-pending  hof"*"Erik Moen, Hilde Dahl"*"accept HOF-2026-07 --by erik-moen"* ]]
	run pv remind --as-of 2026-11-23 --person erik-moen --kind handover-pending --exit-code
	[ "$status" -eq 1 ]
	pv stafett accept HOF-2026-07 --by erik-moen >/dev/null
	run pv remind --as-of 2026-11-23 --kind handover-pending
	[ "$output" = "" ]
}
