#!/usr/bin/env bats
# patvers report: the half-year report on the Fjordvik fixture, counted by hand.

load helper
bats_require_minimum_version 1.5.0

REPORT=$DATA/report

# meeting UNIT KIND DATE: adds a meeting and prints its id.
meeting() {
	pv -q schedule add --unit "$1" --kind "$2" --date "$3" --time 12:30 --end 14:00 \
		--force >/dev/null
	sql "SELECT max(id) FROM meeting"
}

# Fjordvik kommune (tests/data/report) in H2 2026, as of 2026-12-10:
#
#   alfa      systemmøter 20 Aug (held), 15 Oct (held), 17 Dec (planned);
#             a veiledningsteam 12 Nov (held)
#   beta      27 Aug (held), 5 Nov (not logged), 3 Dec (cancelled);
#             «Åpen dør» 2 Sep (held)
#   gamma     10 Sep (held), 15 Dec (planned)
#   bhg-vest  24 Sep (held); Mo barnehage's veiledningsteam 20 Oct (held)
#   naervaer  consultations 1 Sep (held), 24 Nov (not logged)
#   god-opp.  1 Oct (held); 4 Feb 2027 (planned, the same school year)
load_fjordvik() {
	export PATVERS_TODAY=2026-12-10
	pv init --municipality "Fjordvik kommune" >/dev/null
	pv team import "$REPORT/units.csv" "$REPORT/people.csv" >/dev/null
	pv consent add --ref ALFA-2026-01 --unit alfa --services ppt,barnevern,helse \
		--given-by foresatt --form written --date 2026-08-01 >/dev/null

	A1=$(meeting alfa systemmote 2026-08-20)
	pv log held "$A1" --leader ada --attendee per --attendee hege \
		--case anon:skolevegring --case anon:skolevegring --case anon:skolevegring \
		--case "consent:ALFA-2026-01:psykisk helse" \
		--action "per|Kartlegge lesing|2026-09-15" \
		--experience "Godt samarbeid. ALFA-2026-01 ble drøftet med samtykke." >/dev/null
	pv log action done "$(sql "SELECT max(id) FROM meeting_action")" --date 2026-09-10 \
		>/dev/null
	A2=$(meeting alfa systemmote 2026-10-15)
	pv log held "$A2" --leader ada --substitute ola:per --attendee bea --attendee hege \
		--case anon:skolevegring --case anon:familie --case anon:familie \
		--case anon:familie --action "ada|Kontakte foresatte|2026-11-01" \
		--action "hege|Helsesamtale|2026-12-20" >/dev/null
	meeting alfa systemmote 2026-12-17 >/dev/null
	AV=$(meeting alfa veiledningsteam 2026-11-12)
	pv log held "$AV" --leader ada --attendee per >/dev/null

	B1=$(meeting beta systemmote 2026-08-27)
	pv log held "$B1" --leader bo --attendee per --attendee bea \
		--case anon:skolevegring --case anon:skolevegring \
		--case "anon:psykisk helse" --case "anon:psykisk helse" \
		--action "bo|Plan for oppfølging|2026-12-01" >/dev/null
	meeting beta systemmote 2026-11-05 >/dev/null
	B3=$(meeting beta systemmote 2026-12-03)
	pv log cancel "$B3" --reason "Sykdom i teamet" >/dev/null
	BA=$(meeting beta apen-dor 2026-09-02)
	pv log held "$BA" --leader bea --case anon:skolevegring >/dev/null

	G1=$(meeting gamma systemmote 2026-09-10)
	pv log held "$G1" --leader cy --attendee per --attendee bea --attendee hege \
		--case anon:familie --case anon:familie --case anon:familie \
		--case anon:familie --case anon:familie >/dev/null
	meeting gamma systemmote 2026-12-15 >/dev/null

	K1=$(meeting bhg-vest systemmote 2026-09-24)
	pv log held "$K1" --leader liv --attendee mia --attendee nils --attendee per \
		--attendee frida --substitute ola:bea --case "anon:språk" >/dev/null
	KV=$(meeting mo veiledningsteam 2026-10-20)
	pv log held "$KV" --leader mia >/dev/null

	N1=$(meeting naervaer naervaer 2026-09-01)
	pv log held "$N1" --leader per --attendee hege --case anon:skolevegring \
		--case anon:skolevegring --case anon:skolevegring >/dev/null
	meeting naervaer naervaer 2026-11-24 >/dev/null

	O1=$(meeting god-oppvekst god-oppvekst 2026-10-01)
	pv log held "$O1" --leader gro --attendee per --attendee bea \
		--experience "Felles forståelse av bekymringsfullt fravær." >/dev/null
	meeting god-oppvekst god-oppvekst 2027-02-04 >/dev/null

	pv report note --unit alfa --half H2 --year 2026 \
		"Rutinene for innmelding av saker fungerer godt." >/dev/null
	pv report note --unit mo --half H2 --year 2026 "Mo ønsker flere møter med BFS." \
		>/dev/null
}

# The line of table $1 (text output in $output) that starts with unit $2,
# with runs of spaces squeezed.
row_of() {
	awk -v t="$1:" -v u="$2" '
		$0 == t { on = 1; next }
		on && $0 == "" { on = 0 }
		on && $1 == u { gsub(/ +/, " "); print; exit }' <<<"$output"
}

@test "the meetings, by hand: planned = held + cancelled + not logged + upcoming" {
	load_fjordvik
	run pv report --half H2 --year 2026
	[ "$status" -eq 0 ]
	#                       planned held cancelled unlogged upcoming min status
	# alfa: 20 Aug, 15 Oct held; 17 Dec ahead -> 2 >= 2: met
	[ "$(row_of meetings alfa)" = "alfa 3 2 0 0 1 2 met" ]
	# beta: 27 Aug held, 5 Nov not logged, 3 Dec cancelled: H + P = 1 < 2 <= H + U + P
	[ "$(row_of meetings beta)" = "beta 3 1 1 1 0 2 at risk" ]
	# gamma: 10 Sep held, 15 Dec ahead: H + P = 2
	[ "$(row_of meetings gamma)" = "gamma 2 1 0 0 1 2 on track" ]
	# bhg-vest: 24 Sep held and nothing more: H + U + P = 1 < 2
	[ "$(row_of meetings bhg-vest)" = "bhg-vest 1 1 0 0 0 2 missed" ]
	# naervaer: no minimum in the rules
	[ "$(row_of meetings naervaer)" = "naervaer 2 1 0 1 0 - -" ]
	# god-oppvekst: 2 per school year 2026/27: 1 held + 4 Feb 2027 planned
	[ "$(row_of meetings god-oppvekst)" = "god-oppvekst 1 1 0 0 0 2/yr on track" ]
	# 3+3+2+1+2+1 = 12 planned; 2+1+1+1+1+1 = 7 held
	[ "$(row_of meetings TOTAL)" = "TOTAL 12 7 1 2 2 - -" ]
	[[ "$output" == *"status:       1 met, 2 on track, 1 at risk, 1 missed"* ]]
	[[ "$output" == *"god-oppvekst: the minimum counts the school year 2026/27."* ]]
}

@test "cases, actions and attendance, by hand" {
	load_fjordvik
	run pv report --half H2 --year 2026
	[ "$status" -eq 0 ]
	#                   vteam apen_dor cases anon consent actions done overdue
	# alfa: 3+1 and 1+3 cases, one with consent; actions: done 10 Sep, due 1 Nov
	# open (overdue on 10 Dec), due 20 Dec open
	[ "$(row_of "cases and actions" alfa)" = "alfa 1 0 8 7 1 3 1 1" ]
	# beta: 2+2 at the systemmøte, 1 at «Åpen dør»; due 1 Dec, open
	[ "$(row_of "cases and actions" beta)" = "beta 0 1 5 5 0 1 0 1" ]
	[ "$(row_of "cases and actions" gamma)" = "gamma 0 0 5 5 0 0 0 0" ]
	# Mo barnehage's veiledningsteam counts for its group
	[ "$(row_of "cases and actions" bhg-vest)" = "bhg-vest 1 0 1 1 0 0 0 0" ]
	[ "$(row_of "cases and actions" TOTAL)" = "TOTAL 2 1 22 21 1 4 1 2" ]
	#              meetings ppt barnevern helse bfs
	# alfa: per, then ola for per (ppt both); bea only on 15 Oct; hege both
	[ "$(row_of attendance alfa)" = "alfa 2 100% 50% 100% -" ]
	# beta: hege serves beta but did not come
	[ "$(row_of attendance beta)" = "beta 1 100% 100% 0% -" ]
	# bhg-vest: ola stood in for bea, so barnevern counts; no helse in the team
	[ "$(row_of attendance bhg-vest)" = "bhg-vest 1 100% 100% - 100%" ]
	[ "$(row_of attendance naervaer)" = "naervaer 1 100% 0% 100% -" ]
	# barnevern 1+1+1+1+0+1 of 2+1+1+1+1+1 = 5/7 = 71 %; helse 2+0+1+1 of 5 = 80 %
	[ "$(row_of attendance TOTAL)" = "TOTAL 7 100% 71% 80% 100%" ]
}

@test "themes are suppressed below 3, with secondary suppression" {
	load_fjordvik
	run pv report --half H2 --year 2026
	[ "$status" -eq 0 ]
	# See test_suppress_fixture in tests/unit/test-report.c for the reasoning:
	# alfa 4 skolevegring, 1 psykisk helse, 3 familie (8 cases): the 1 is <3,
	# and so that 8 - 4 - 3 does not give it away a zero (språk) is <3 too;
	# likewise for beta (3 + 2 = 5) and for bhg-vest's one case and the
	# municipality's one språk case (22 - 10 - 3 - 8).
	themes=$(awk '/^themes:$/ { on = 1; next } on && /^$/ { exit } on' <<<"$output")
	expected="UNIT      THEME          COUNT
alfa      skolevegring   4
          psykisk helse  <3
          familie        3
          språk          <3
beta      skolevegring   3
          psykisk helse  <3
          språk          <3
gamma     familie        5
bhg-vest  psykisk helse  <3
          vold/overgrep  <3
          språk          <3
naervaer  skolevegring   3
TOTAL     skolevegring   10
          psykisk helse  3
          vold/overgrep  <3
          familie        8
          språk          <3"
	[ "$themes" = "$expected" ]
	[[ "$output" == *"<3: fewer than 3 (prikking)"* ]]
	# JSON: null and "suppressed": true; the numbers never appear
	run pv report --half H2 --year 2026 --format json
	[ "$status" -eq 0 ]
	[[ "$output" == *'"theme": "psykisk helse",'*'"count": null,'*'"suppressed": true,'*'"shown_as": "<3"'* ]]
	# a rule of 1 suppresses nothing
	pv rules export >"$BATS_TEST_TMPDIR/rules.json"
	sed -i 's/"suppress_below": 3/"suppress_below": 1/' "$BATS_TEST_TMPDIR/rules.json"
	pv rules import "$BATS_TEST_TMPDIR/rules.json" >/dev/null
	run pv report --half H2 --year 2026
	[[ "$output" != *"<3"* ]]
	[[ "$output" != *"prikking"* ]]
}

@test "one unit's report keeps the full report's suppression and has no total" {
	load_fjordvik
	run pv report --half H2 --year 2026 --unit bhg-vest
	[ "$status" -eq 0 ]
	[[ "$output" == *"unit:         bhg-vest"* ]]
	[[ "$output" != *"TOTAL"* ]]
	[[ "$output" != *"alfa"* ]]
	[[ "$output" == *"bhg-vest  psykisk helse  <3"* ]]
	run pv report --half H2 --year 2026 --unit mo
	[ "$status" -eq 65 ]
	[[ "$output" == *"'mo' reports with its kindergarten group: use --unit bhg-vest"* ]]
	run pv report --half H2 --year 2026 --unit ppt
	[ "$status" -eq 65 ]
}

@test "no case reference and no free-text theme reaches any format" {
	load_fjordvik
	# a free-text theme counts as annet
	id=$(meeting gamma veiledningsteam 2026-11-19)
	pv log held "$id" --leader cy --case "anon:Gutten med den røde sykkelen" >/dev/null
	for f in text md json csv html; do
		run pv report --half H2 --year 2026 --format "$f"
		[ "$status" -eq 0 ]
		[[ "$output" != *"ALFA-2026-01"* ]]
		[[ "$output" != *"sykkelen"* ]]
	done
	run pv report --half H2 --year 2026
	[[ "$output" == *"Godt samarbeid. […] ble drøftet med samtykke."* ]]
	[[ "$output" == *"annet"* ]]
}

@test "texts: the cancellation reason, the notes and the experiences" {
	load_fjordvik
	run pv report --half H2 --year 2026
	[ "$status" -eq 0 ]
	squeezed=$(tr -s ' ' <<<"$output")
	[[ "$squeezed" == *"cancelled:"*"beta 2026-12-03 Sykdom i teamet"* ]]
	[[ "$squeezed" == *"alfa note Rutinene for innmelding av saker fungerer godt."* ]]
	# a kindergarten's note shows under its group, named
	[[ "$squeezed" == *"alfa 2026-08-20 Godt samarbeid."*"mo note Mo ønsker flere møter med BFS."* ]]
	[[ "$squeezed" == *"god-oppvekst 2026-10-01 Felles forståelse av bekymringsfullt fravær."* ]]
	# the note is guarded, replaced by a new one, removed with --delete
	run pv report note --unit alfa --half H2 --year 2026 "Ring 41234567"
	[ "$status" -eq 65 ]
	[[ "$output" == *"phone"* ]]
	pv report note --unit alfa --half H2 --year 2026 "Ny tekst." >/dev/null
	run pv report --half H2 --year 2026
	[[ "$output" == *"Ny tekst."* ]]
	[[ "$output" != *"Rutinene"* ]]
	pv report note --unit alfa --half H2 --year 2026 --delete >/dev/null
	run pv report --half H2 --year 2026
	[[ "$output" != *"Ny tekst."* ]]
	# the note's words stay out of the audit log
	[ "$(sql "SELECT count(*) FROM audit WHERE command LIKE '%Ny tekst%' OR summary LIKE '%Ny tekst%'")" -eq 0 ]
	[ "$(sql "SELECT count(*) FROM audit WHERE entity = 'report'")" -ge 3 ]
}

@test "text output fits 80 columns; long texts wrap" {
	load_fjordvik
	pv report note --unit gamma --half H2 --year 2026 "$(printf 'Dette er en lang tekst om samarbeidet %.0s' {1..12})" >/dev/null
	run pv report --half H2 --year 2026
	[ "$status" -eq 0 ]
	widest=$(printf '%s\n' "$output" | LC_ALL=C.UTF-8 wc -L)
	[ "$widest" -le 80 ]
	[ "$(printf '%s\n' "$output" | grep -c 'Dette er en lang')" -ge 2 ]
}

@test "every format: text, Markdown, JSON, CSV and HTML" {
	load_fjordvik
	run pv report --half H2 --year 2026 --format md
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "# «På tvers»: half-year report H2 2026" ]]
	[[ "$output" == *"| Alfa skole (alfa) | 3 | 2 | 0 | 0 | 1 | 2 | met |"* ]]
	[[ "$output" == *"| **Fjordvik kommune** | 12 | 7 | 1 | 2 | 2 | - |  |"* ]]
	[[ "$output" == *"psykisk helse \\<3"* ]]
	run pv report --half H2 --year 2026 --format json
	[ "$status" -eq 0 ]
	[[ "$output" == *'"schema": "patvers/report/1"'* ]]
	[[ "$output" == *'"due": "2026-12-15"'* ]]
	[[ "$output" == *'"as_of": "2026-12-10"'* ]]
	[[ "$output" == *'"missed": 1'* ]]
	run pv --format jsonl report --half H2 --year 2026
	[ "${#lines[@]}" -eq 6 ]
	[[ "${lines[0]}" == '{"actions":{"done":1,"opened":3,"overdue":1}'* ]]
	run pv report --half H2 --year 2026 --format csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 8 ]   # header, 6 units, the municipality
	[[ "${lines[0]}" == "unit,name,kind,meeting_kind,planned,held,cancelled,"* ]]
	[[ "$output" == *"alfa,Alfa skole,school,systemmote,3,2,0,0,1,2,half-year,2,met,1,0,8,7,1,3,1,1,100,50,100,,4,<3,0,0,3,<3,0,0,0,0,0"* ]]
	[[ "$output" == *$'\r\n,Fjordvik kommune,total,,12,7,1,2,2,,,,,2,1,22,21,1,4,1,2,100,71,80,100,10,3,<3,0,8,<3,0,0,0,0,0\r'* ]]
	run pv --excel report --half H2 --year 2026 --format csv
	[[ "${lines[0]}" == $'\xef\xbb\xbfunit;name;'* ]]
}

@test "HTML is well-formed XHTML, self-contained, with one bar pair per unit" {
	load_fjordvik
	pv report --half H2 --year 2026 --format html -o "$BATS_TEST_TMPDIR/r.html"
	xmllint --noout "$BATS_TEST_TMPDIR/r.html"
	count() {
		xmllint --xpath "count($1)" "$BATS_TEST_TMPDIR/r.html"
	}
	units=6
	[ "$(count '//*[local-name()="g"][@class="unit"]')" -eq "$units" ]
	[ "$(count '//*[local-name()="rect"][@class="planned"]')" -eq "$units" ]
	[ "$(count '//*[local-name()="rect"][@class="held"]')" -eq "$units" ]
	# each pair in its own group, planned before held
	for u in alfa beta gamma bhg-vest naervaer god-oppvekst; do
		[ "$(count "//*[local-name()='g'][@data-unit='$u']/*[local-name()='rect']")" -eq 2 ]
	done
	# the minimum marked for the five units that have one (not naervaer)
	[ "$(count '//*[local-name()="line"][@class="minimum"]')" -eq 5 ]
	# printable A4, no external resources
	grep -q '@page { size: A4;' "$BATS_TEST_TMPDIR/r.html"
	run grep -Eq '(src|href)=' "$BATS_TEST_TMPDIR/r.html"
	[ "$status" -eq 1 ]
	run grep -Eq '<link|<script|@import|url\(' "$BATS_TEST_TMPDIR/r.html"
	[ "$status" -eq 1 ]
	[ "$(grep -o 'http[^"]*' "$BATS_TEST_TMPDIR/r.html" | sort -u | tr '\n' ' ')" = \
		"http://www.w3.org/1999/xhtml http://www.w3.org/2000/svg " ]
}

@test "-o never overwrites: exit 73 and the file is kept" {
	load_fjordvik
	echo keep >"$BATS_TEST_TMPDIR/out.md"
	run pv report --half H2 --year 2026 --format md -o "$BATS_TEST_TMPDIR/out.md"
	[ "$status" -eq 73 ]
	[[ "$output" == *"refusing to overwrite"* ]]
	[ "$(cat "$BATS_TEST_TMPDIR/out.md")" = "keep" ]
	run pv report --half H2 --year 2026 --format json -o "$BATS_TEST_TMPDIR/out.json"
	[ "$status" -eq 0 ]
	grep -q '"schema": "patvers/report/1"' "$BATS_TEST_TMPDIR/out.json"
}

@test "the same database and --as-of give byte-identical reports" {
	load_fjordvik
	for f in text md json csv html; do
		pv report --half H2 --year 2026 --as-of 2026-12-10 --format "$f" >"$BATS_TEST_TMPDIR/a.$f"
		PATVERS_TODAY=2027-03-01 pv report --half H2 --year 2026 --as-of 2026-12-10 \
			--format "$f" >"$BATS_TEST_TMPDIR/b.$f"
		cmp "$BATS_TEST_TMPDIR/a.$f" "$BATS_TEST_TMPDIR/b.$f"
	done
	# the golden text report
	diff -u "$REPORT/fjordvik-h2-2026.txt" "$BATS_TEST_TMPDIR/a.text"
}

@test "--as-of moves what counts as held, not logged and upcoming" {
	load_fjordvik
	# on 1 Oct: alfa's 15 Oct meeting is still ahead
	run pv report --half H2 --year 2026 --as-of 2026-10-01
	[ "$(row_of meetings alfa)" = "alfa 3 1 0 0 2 2 on track" ]
	# after the half-year: everything short of its minimum is missed
	run pv report --half H2 --year 2026 --as-of 2027-01-04
	[ "$(row_of meetings beta)" = "beta 3 1 1 1 0 2 missed" ]
	[ "$(row_of meetings gamma)" = "gamma 2 1 0 1 0 2 missed" ]
	# God oppvekst's school year is not over yet
	[ "$(row_of meetings god-oppvekst)" = "god-oppvekst 1 1 0 0 0 2/yr on track" ]
}

@test "--exit-code: 1 when a unit missed its minimum" {
	load_fjordvik
	run pv report --half H2 --year 2026 --exit-code
	[ "$status" -eq 1 ]
	run pv report --half H2 --year 2026 --unit alfa --exit-code
	[ "$status" -eq 0 ]
	run pv report --half H2 --year 2026 --unit bhg-vest --exit-code
	[ "$status" -eq 1 ]
	# without --exit-code a missed minimum is not an error
	run pv report --half H2 --year 2026
	[ "$status" -eq 0 ]
}

@test "a half-year with no data says so instead of printing zeros" {
	load_fjordvik
	run pv report --half H1 --year 2026
	[ "$status" -eq 0 ]
	[[ "$output" == *"No meetings are planned, held or logged in H1 2026: there is nothing to report."* ]]
	[[ "$output" != *"meetings:"* ]]
	[[ "$output" != *"met"* ]]
	run pv report --half H1 --year 2026 --format json
	[[ "$output" == *'"no_data": true'* ]]
	[[ "$output" == *'"missed": 0'* ]]
	[[ "$output" == *'"units": []'* ]]
	run pv report --half H1 --year 2026 --format md
	[[ "$output" == *"nothing to report"* ]]
	run pv report --half H1 --year 2026 --exit-code
	[ "$status" -eq 1 ]
	# and on an empty database
	rm -f "$PATVERS_DB"
	pv init >/dev/null
	run pv report --half H2 --year 2026
	[ "$status" -eq 0 ]
	[[ "$output" == *"nothing to report"* ]]
}

@test "mark-sent records the sending with an audit row, once" {
	load_fjordvik
	run pv report mark-sent --half H2 --year 2026 --date 2026-12-14 --by "Ada Aas"
	[ "$status" -eq 0 ]
	[ "$(sql "SELECT sent || ' ' || sent_by || ' ' || recipient FROM report_sent")" = \
		"2026-12-14 Ada Aas kommunalsjef Oppvekst" ]
	[ "$(sql "SELECT count(*) FROM audit WHERE entity = 'report' AND summary LIKE '%sent on 2026-12-14%'")" -eq 1 ]
	run pv report --half H2 --year 2026
	[[ "$output" == *"sent:         2026-12-14 by Ada Aas"* ]]
	run pv report mark-sent --half H2 --year 2026
	[ "$status" -eq 65 ]
	[[ "$output" == *"already"* ]]
	pv report mark-sent --half H2 --year 2026 --undo >/dev/null
	[ "$(sql "SELECT count(*) FROM report_sent")" -eq 0 ]
	# by default today, by the OS user
	pv report mark-sent --half H2 --year 2026 >/dev/null
	[ "$(sql "SELECT sent FROM report_sent")" = "2026-12-10" ]
	[ -n "$(sql "SELECT sent_by FROM report_sent")" ]
}

@test "usage: --half is required, bad values exit 64, help lists the sub-verbs" {
	pv init >/dev/null
	run pv report
	[ "$status" -eq 64 ]
	[[ "$output" == *"--half"* ]]
	run pv report --half H3
	[ "$status" -eq 64 ]
	run pv report --half H2 --year 26
	[ "$status" -eq 64 ]
	run pv report --half H2 --format pdf
	[ "$status" -eq 64 ]
	[[ "$output" == *"unknown report format 'pdf'"* ]]
	run pv report --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"show"*"note"*"mark-sent"* ]]
	run pv report --half H2 --help
	[[ "$output" == *"--exit-code"* ]]
	run pv report show --half H2 --year 2026
	[ "$status" -eq 0 ]
	run pv report note --half H2 "x"
	[ "$status" -eq 64 ]
}

@test "the Markdown document follows LANG: Norwegian under nb_NO.UTF-8, English under C" {
	load_fjordvik
	run nb report --half H2 --year 2026 --format md
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "# «På tvers»: halvårsrapport H2 2026" ]
	[ "${lines[1]}" = "**Fjordvik kommune** til kommunalsjef Oppvekst" ]
	[[ "$output" == *"| Periode | 2026-07-01 – 2026-12-31 |"$'\n'"| Frist | 2026-12-15 |"$'\n'"| Per dato | 2026-12-10 |"$'\n'"| Sendt | ikke ennå |"$'\n'"| Status | 1 oppfylt, 2 i rute, 1 i faresonen, 1 ikke nådd |"* ]]
	[[ "$output" == *"## Møter"$'\n\n'"Systemmøter; for Nærværsteamet konsultasjonene og for God oppvekst møtene."* ]]
	[[ "$output" == *"| Enhet | Planlagt | Gjennomført | Avlyst | Ikke loggført | Gjenstår | Minstekrav | Status |"$'\n'"|---|--:|--:|--:|--:|--:|--:|---|"* ]]
	[[ "$output" == *"| Alfa skole (alfa) | 3 | 2 | 0 | 0 | 1 | 2 | oppfylt |"* ]]
	[[ "$output" == *"| Beta skole (beta) | 3 | 1 | 1 | 1 | 0 | 2 | i faresonen |"* ]]
	[[ "$output" == *"| Barnehagegruppe vest (bhg-vest) | 1 | 1 | 0 | 0 | 0 | 2 | ikke nådd |"* ]]
	[[ "$output" == *"| God oppvekst Fjordvik (god-oppvekst) | 1 | 1 | 0 | 0 | 0 | 2/år | i rute |"* ]]
	[[ "$output" == *"God oppvekst Fjordvik: minstekravet gjelder skoleåret 2026/27 (1 gjennomført hittil)."* ]]
	[[ "$output" == *"## Saker og tiltak"$'\n\n'"| Enhet | Veiledningsteam | Åpen dør | Saker | Anonyme | Med samtykke | Tiltak | Utført | Over fristen |"* ]]
	[[ "$output" == *"## Temaer"$'\n\n'"| Enhet | Temaer (antall saker) |"* ]]
	[[ "$output" == *$'\n'"\\<3: færre enn 3, ikke publisert (prikking). For at ingen skal kunne regnes ut ved subtraksjon, vises også noen nuller som \\<3 og noen større tall som \\*."$'\n'* ]]
	[[ "$output" == *"## Tjenestenes deltakelse"*"| Enhet | Gjennomførte møter | PPT | Barnevern | Helse | BFS |"* ]]
	[[ "$output" == *"## Avlyste møter"$'\n\n'"- Beta skole, 2026-12-03: Sykdom i teamet"* ]]
	[[ "$output" == *"## Erfaringer"*"- *Merknad:* Rutinene for innmelding"*"- *Merknad, mo:* Mo ønsker"* ]]
	# not a word of English left
	for w in "half-year" "| Period |" "| Due |" "| As of |" "| Sent |" "not yet" "| Unit |" "Planned" \
		"| Held" "Cancelled" "Not logged" "Still planned" "Minimum" "| met |" "on track" \
		"at risk" "missed" "## Meetings" "Cases" "## Themes" "fewer than" "attendance" \
		"Experiences" "*Note" "/yr" "held so far"; do
		[[ "$output" != *"$w"* ]] || { echo "English left: $w"; false; }
	done
	run en report --half H2 --year 2026 --format md
	[ "${lines[0]}" = "# «På tvers»: half-year report H2 2026" ]
	[ "${lines[1]}" = "**Fjordvik kommune** to kommunalsjef Oppvekst" ]
	[[ "$output" == *"| Status | 1 met, 2 on track, 1 at risk, 1 missed |"* ]]
	[[ "$output" == *"| Unit | Planned | Held | Cancelled | Not logged | Still planned | Minimum | Status |"* ]]
	[[ "$output" == *"| God oppvekst Fjordvik (god-oppvekst) | 1 | 1 | 0 | 0 | 0 | 2/yr | on track |"* ]]
	[[ "$output" != *"halvårsrapport"* ]]
	# sent, and one unit's report
	pv report mark-sent --half H2 --year 2026 --date 2026-12-14 --by "Ada Aas" >/dev/null
	run nb report --half H2 --year 2026 --unit bhg-vest --format md
	[[ "$output" == *"| Enhet | Barnehagegruppe vest |"* ]]
	[[ "$output" == *"| Sendt | 2026-12-14 av Ada Aas |"* ]]
	[[ "$output" == *"| Status | 1 ikke nådd |"* ]]
	run en report --half H2 --year 2026 --unit bhg-vest --format md
	[[ "$output" == *"| Sent | 2026-12-14 by Ada Aas |"* ]]
}

@test "the XHTML document follows LANG and stays well-formed, with the same chart" {
	load_fjordvik
	nb report --half H2 --year 2026 --format html -o "$BATS_TEST_TMPDIR/nb.html"
	en report --half H2 --year 2026 --format html -o "$BATS_TEST_TMPDIR/en.html"
	xmllint --noout "$BATS_TEST_TMPDIR/nb.html"
	xmllint --noout "$BATS_TEST_TMPDIR/en.html"
	xpath() {
		xmllint --xpath "$2" "$BATS_TEST_TMPDIR/$1.html"
	}
	[ "$(xpath nb 'string(/*/@lang)')" = "nb" ]
	[ "$(xpath en 'string(/*/@lang)')" = "en" ]
	[ "$(xpath nb 'string(//*[local-name()="title"])')" = "«På tvers»: halvårsrapport H2 2026 – Fjordvik kommune" ]
	[ "$(xpath nb 'string(//*[local-name()="h1"])')" = "«På tvers»: halvårsrapport H2 2026" ]
	[ "$(xpath en 'string(//*[local-name()="h1"])')" = "«På tvers»: half-year report H2 2026" ]
	[ "$(xpath nb 'string(//*[local-name()="p"][@class="to"])')" = "Fjordvik kommune til kommunalsjef Oppvekst" ]
	[ "$(xpath nb 'string(//*[local-name()="tr"][*[local-name()="th"]="Sendt"]/*[local-name()="td"])')" = "ikke ennå" ]
	[ "$(xpath nb 'count(//*[local-name()="h2"])')" -eq 6 ]
	[ "$(xpath nb 'string(//*[local-name()="h2"][1])')" = "Møter" ]
	[ "$(xpath nb 'string(//*[local-name()="h2"][6])')" = "Erfaringer" ]
	[ "$(xpath nb 'count(//*[local-name()="th"][.="Gjennomført"])')" -eq 1 ]
	[ "$(xpath nb 'count(//*[local-name()="th"][.="Ikke loggført"])')" -eq 1 ]
	[ "$(xpath nb 'string(//*[local-name()="td"][@class="at-risk"])')" = "i faresonen" ]
	[ "$(xpath en 'string(//*[local-name()="td"][@class="at-risk"])')" = "at risk" ]
	# the chart: Norwegian words, the same bars, room for the longer figures
	[ "$(xpath nb 'string(//*[local-name()="svg"]/*[local-name()="title"])')" = \
		"Planlagte og gjennomførte møter per enhet; streken markerer minstekravet" ]
	[ "$(xpath nb 'string(//*[local-name()="g"][@class="legend"])')" = "planlagtgjennomførtminstekrav" ]
	[ "$(xpath nb 'string(//*[local-name()="g"][@data-unit="alfa"]/*[local-name()="text"][2])')" = "2 av 3 gjennomført" ]
	[ "$(xpath en 'string(//*[local-name()="g"][@data-unit="alfa"]/*[local-name()="text"][2])')" = "2 of 3 held" ]
	for f in en nb; do
		[ "$(xpath $f 'count(//*[local-name()="rect"][@class="held"])')" -eq 6 ]
		[ "$(xpath $f 'count(//*[local-name()="line"][@class="minimum"])')" -eq 5 ]
	done
	[ "$(xpath en 'string(//*[local-name()="svg"]/@width)')" -eq 680 ]
	[ "$(xpath nb 'string(//*[local-name()="svg"]/@width)')" -gt 680 ]
	run grep -c -E 'half-year|not yet|Planned|Cancelled|Service attendance|Experiences' \
		"$BATS_TEST_TMPDIR/nb.html"
	[ "$output" -eq 0 ]
}

@test "a half-year without data in Norwegian; data formats are the same in every language" {
	load_fjordvik
	run --separate-stderr nb report --half H1 --year 2026 --format md
	[ "$status" -eq 0 ]
	[[ "$output" == *"Ingen møter er planlagt, gjennomført eller loggført i H1 2026: det er ingenting å rapportere."* ]]
	[[ "$stderr" == "patvers: merknad: ingen møter er planlagt, gjennomført eller loggført i H1 2026: ingenting å rapportere" ]]
	run nb report --half H1 --year 2026 --unit alfa --format html
	[[ "$output" == *'<p class="nodata">Ingen møter er planlagt, gjennomført eller loggført i H1 2026 for alfa: det er ingenting å rapportere.</p>'* ]]
	run en report --half H1 --year 2026 --unit alfa --format md
	[[ "$output" == *"No meetings are planned, held or logged in H1 2026 for alfa: there is nothing to report."* ]]
	for f in json jsonl csv; do
		en report --half H2 --year 2026 --format $f >"$BATS_TEST_TMPDIR/c.$f"
		nb report --half H2 --year 2026 --format $f >"$BATS_TEST_TMPDIR/nb.$f"
		[ -s "$BATS_TEST_TMPDIR/c.$f" ]
		cmp "$BATS_TEST_TMPDIR/c.$f" "$BATS_TEST_TMPDIR/nb.$f"
	done
	en --excel report --half H2 --year 2026 --format csv >"$BATS_TEST_TMPDIR/c.csv"
	nb --excel report --half H2 --year 2026 --format csv >"$BATS_TEST_TMPDIR/nb.csv"
	cmp "$BATS_TEST_TMPDIR/c.csv" "$BATS_TEST_TMPDIR/nb.csv"
}
