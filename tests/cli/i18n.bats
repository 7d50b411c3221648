#!/usr/bin/env bats
# The Norwegian translation (po/nb.po, gettext): complete, used with
# LANG=nb_NO.UTF-8 (also where that locale is not installed: cmd/i18n.c),
# and never changing data output.

load helper
bats_require_minimum_version 1.5.0

ROOT=$BATS_TEST_DIRNAME/../..

setup() {
	export PATVERS_DB="$BATS_TEST_TMPDIR/patvers.db"
	export PATVERS_TODAY=2026-11-23
	export PATVERS_NOW=1795000000
	export NO_COLOR=1
	unset XDG_DATA_HOME LANGUAGE LC_ALL LC_MESSAGES
	# the catalogue of the build under test
	export PATVERS_LOCALEDIR="$(dirname "$PATVERS_BIN")/locale"
}

@test "i18n: nb.po has no untranslated or fuzzy message" {
	run msgfmt --statistics -c -o /dev/null "$ROOT/po/nb.po"
	[ "$status" -eq 0 ]
	[[ "$output" == *"translated message"* ]]
	[[ "$output" != *untranslated* ]]
	[[ "$output" != *fuzzy* ]]
}

@test "i18n: every message in the sources is in nb.po" {
	"$ROOT/po/extract" "$BATS_TEST_TMPDIR/patvers.pot"
	run msgcmp "$ROOT/po/nb.po" "$BATS_TEST_TMPDIR/patvers.pot"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "i18n: the build holds the compiled catalogue" {
	[ -f "$PATVERS_LOCALEDIR/nb/LC_MESSAGES/patvers.mo" ]
}

@test "i18n: --help is Norwegian with LANG=nb_NO.UTF-8, English with LANG=C" {
	run nb --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"kommandoer:"* ]]
	[[ "$output" == *"globale valg:"* ]]
	[[ "$output" == *"usage: patvers"* ]]   # the usage line is not translated
	run en --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"commands:"* ]]
	[[ "$output" == *"global options:"* ]]
	[[ "$output" != *"kommandoer:"* ]]
}

@test "i18n: LC_ALL=C wins over a Norwegian LANG, and no/nn give Bokmål" {
	run env LANG=nb_NO.UTF-8 LC_ALL=C "$PATVERS_BIN" --help
	[[ "$output" == *"global options:"* ]]
	run env LANG=no_NO.UTF-8 "$PATVERS_BIN" --help
	[[ "$output" == *"globale valg:"* ]]
	run env LANG=C LC_MESSAGES=nn_NO.UTF-8 "$PATVERS_BIN" --help
	[[ "$output" == *"globale valg:"* ]]
}

@test "i18n: a command's help and an error message in Norwegian" {
	run nb schedule generate --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"skoleåret"* ]]
	run nb skedule
	[ "$status" -eq 64 ]
	[[ "$output" == "patvers: 'skedule' er ikke en patvers-kommando; mente du 'schedule'?" ]]
	run en skedule
	[[ "$output" == "patvers: 'skedule' is not a patvers command; did you mean 'schedule'?" ]]
	pv init >/dev/null
	run nb schedule list --year 2026
	[ "$status" -eq 64 ]
	[[ "$output" == *"er ikke et skoleår"* ]]
}

@test "i18n: library errors in Norwegian, English under C" {
	pv init >/dev/null
	run nb team import "$BATS_TEST_TMPDIR/missing.csv" "$BATS_TEST_TMPDIR/missing2.csv"
	[ "$status" -eq 66 ]
	[[ "$output" == "patvers: kan ikke åpne '$BATS_TEST_TMPDIR/missing.csv': "* ]]
	printf '{"schema": "patvers/calendar/1", "school_year": "2026/27", "x": 1}\n' \
		>"$BATS_TEST_TMPDIR/cal.json"
	run nb calendar import "$BATS_TEST_TMPDIR/cal.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"ukjent nøkkel"* ]]
	run en calendar import "$BATS_TEST_TMPDIR/cal.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"unknown key"* ]]
}

@test "i18n: data output is byte-identical under nb and C" {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	en --format json schedule generate --year 2026/27 --dry-run --stats >"$BATS_TEST_TMPDIR/c.json"
	nb --format json schedule generate --year 2026/27 --dry-run --stats >"$BATS_TEST_TMPDIR/nb.json"
	grep -q '"mean_gap": [0-9]*\.[0-9]' "$BATS_TEST_TMPDIR/c.json"
	cmp "$BATS_TEST_TMPDIR/c.json" "$BATS_TEST_TMPDIR/nb.json"
	en --format csv schedule list >"$BATS_TEST_TMPDIR/c.csv"
	nb --format csv schedule list >"$BATS_TEST_TMPDIR/nb.csv"
	LC_ALL=nb_NO.UTF-8 "$PATVERS_BIN" --format csv schedule list >"$BATS_TEST_TMPDIR/nb2.csv"
	[ -s "$BATS_TEST_TMPDIR/c.csv" ]
	cmp "$BATS_TEST_TMPDIR/c.csv" "$BATS_TEST_TMPDIR/nb.csv"
	cmp "$BATS_TEST_TMPDIR/c.csv" "$BATS_TEST_TMPDIR/nb2.csv"
	en --format json calendar show 2026/27 >"$BATS_TEST_TMPDIR/c-cal.json"
	nb --format json calendar show 2026/27 >"$BATS_TEST_TMPDIR/nb-cal.json"
	cmp "$BATS_TEST_TMPDIR/c-cal.json" "$BATS_TEST_TMPDIR/nb-cal.json"
}

@test "i18n: fravaer screen errors, notes and help in Norwegian; its data output is unchanged" {
	excel=$BATS_TEST_DIRNAME/../data/fravaer-excel.csv
	run nb fravaer screen "$BATS_TEST_DIRNAME/../data/fravaer-bad-date.csv"
	[ "$status" -eq 65 ]
	[[ "$output" == *"ikke en dato (ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)"* ]]
	run en fravaer screen "$BATS_TEST_DIRNAME/../data/fravaer-bad-date.csv"
	[[ "$output" == *"not a date (YYYY-MM-DD or DD.MM.YYYY)"* ]]
	run nb fravaer screen --as-of 2026-13-01 "$excel"
	[ "$status" -eq 64 ]
	[[ "$output" == "patvers: --as-of '2026-13-01' er ikke en dato (ÅÅÅÅ-MM-DD) (se 'patvers fravaer screen --help')" ]]
	run --separate-stderr nb fravaer screen "$excel"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"merknad: ingen skolekalender er importert for 2026/27"* ]]
	[[ "$stderr" == *"merknad: 1 rad på en dag som ikke er skoledag, ignorert"* ]]
	[[ "$output" == *"verdi: datoer (undocumented, leaves_school)"* ]]
	# labels and headings in Norwegian; the values are data
	[[ "$output" == *"SKOLE  ELEV     KRITERIUM           VERDI  FØRSTE"* ]]
	[[ "$output" == *"hof    elev-02  high_absence        10.00  2026-10-23"* ]]
	run nb fravaer screen --help
	[[ "$output" == *"gjennomgå skoleåret fram til DATE"* ]]
	run nb fravaer rules
	[[ "$output" == *"minutter per dag:"*"360"* ]]
	[[ "$output" == *"sykdom medregnet"* ]]
	for f in json jsonl csv; do
		en --format $f fravaer screen "$excel" >"$BATS_TEST_TMPDIR/c.$f" 2>/dev/null
		nb --format $f fravaer screen "$excel" >"$BATS_TEST_TMPDIR/nb.$f" 2>/dev/null
		[ -s "$BATS_TEST_TMPDIR/c.$f" ]
		cmp "$BATS_TEST_TMPDIR/c.$f" "$BATS_TEST_TMPDIR/nb.$f"
	done
}

@test "i18n: stafett help and errors in Norwegian; its data output is unchanged" {
	run nb stafett --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"stafettloggen (BTI / «Se meg»): ett barns sak på tvers av tjenestene"* ]]
	[[ "$output" == *"kommandoer:"* ]]
	[[ "$output" == *"handover   be en annen person ta over som stafettholder"* ]]
	run nb stafett open --help
	[[ "$output" == *"valg:"*"  --holder P       stafettholderen"* ]]
	run en stafett open --help
	[[ "$output" == *"  --holder P       the stafettholder"* ]]
	load_holmestrand
	run nb stafett show HOF-2026-07
	[ "$status" -eq 65 ]
	[ "$output" = "patvers: ingen stafettlogg 'HOF-2026-07' (se 'patvers stafett list')" ]
	run nb stafett level HOF-2026-07 7 --why x
	[ "$status" -eq 64 ]
	[[ "$output" == "patvers: nivå '7' er ikke et tall 0–3 "* ]]
	run nb stafett open --ref HOF-2026-07 --unit hof --holder hilde-dahl --level 1 \
		--concern "Trøtt i timene" --date 2026-11-02
	[ "$status" -eq 65 ]
	[[ "$output" == *"stafettloggen 'HOF-2026-07' på nivå 1 krever"* ]]
	pv stafett open --ref HOF-2026-07 --unit hof --holder hilde-dahl --level 0 \
		--concern "Trøtt i timene" --date 2026-11-02 >/dev/null
	run nb stafett show HOF-2026-07
	[[ "$output" == *"bekymringen på nivå 0 har passert fristen for en beslutning"* ]]
	[[ "$output" == *"nivånavn:"*"undring og bekymring"* ]]   # data, from the rules
	for f in json csv; do
		en --format $f stafett show HOF-2026-07 >"$BATS_TEST_TMPDIR/c.$f"
		nb --format $f stafett show HOF-2026-07 >"$BATS_TEST_TMPDIR/nb.$f"
		cmp "$BATS_TEST_TMPDIR/c.$f" "$BATS_TEST_TMPDIR/nb.$f"
		en --format $f stafett guide >"$BATS_TEST_TMPDIR/c-guide.$f"
		nb --format $f stafett guide >"$BATS_TEST_TMPDIR/nb-guide.$f"
		cmp "$BATS_TEST_TMPDIR/c-guide.$f" "$BATS_TEST_TMPDIR/nb-guide.$f"
	done
}

@test "i18n: rules and database errors in Norwegian" {
	pv init >/dev/null
	printf '{"plan_deadline": 5}\n' >"$BATS_TEST_TMPDIR/rules.json"
	run nb rules import "$BATS_TEST_TMPDIR/rules.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"plan_deadline: ventet en streng, fikk et heltall '5'" ]]
	run en rules import "$BATS_TEST_TMPDIR/rules.json"
	[[ "$output" == *"plan_deadline: expected a string, got an integer '5'" ]]
	run env LANG=nb_NO.UTF-8 "$PATVERS_BIN" --db "$BATS_TEST_TMPDIR/none.db" audit list
	[ "$status" -eq 66 ]
	[[ "$output" == *"ingen database i '$BATS_TEST_TMPDIR/none.db' (kjør 'patvers init' først)"* ]]
}

@test "i18n: text labels, headings, yes/no and vocabulary words follow LANG; data formats do not" {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	run nb team show hof
	[ "$status" -eq 0 ]
	[[ "$output" == *"navn:  Hof skole"* ]]
	[[ "$output" == *"ROLLE              PERSON           NAVN"* ]]
	[[ "$output" == *"åpen dør:"*"ukedag:"*"onsdag"* ]]
	run nb schedule list --unit hof --kind systemmote
	[[ "${lines[2]}" == *"  hof    systemmøte  planlagt"* ]]
	run en schedule list --unit hof --kind systemmote
	[[ "${lines[2]}" == *"  hof   systemmote  planned"* ]]
	run en team show hof
	[[ "$output" == *"name:   Hof skole"* ]]
	[[ "$output" == *"ROLE               PERSON           NAME"* ]]
	run nb log list --unlogged
	[[ "${lines[0]}" == "møter:" ]]
	[[ "${lines[1]}" == *"LOGGFØRT"* ]]
	[[ "${lines[2]}" == *" nei "* ]]
	run nb stafett list
	[ "$output" = "logger: (ingen)" ]
	for f in json csv; do
		[ "$(en --format $f team show hof)" = "$(nb --format $f team show hof)" ]
		[ "$(en --format $f schedule list)" = "$(nb --format $f schedule list)" ]
	done
}
