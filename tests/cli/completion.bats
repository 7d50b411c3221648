#!/usr/bin/env bats
# Shell completion: the bash function and the __complete helper behind it.

load helper

# Runs the bash completion function on a command line ("patvers db ch")
# and prints the candidates, one per line.
complete_line() {
	PATH="$(dirname "$PATVERS_BIN"):$PATH" bash -c '
		source "$1"
		read -r -a COMP_WORDS <<<"$2"
		[[ "$2" == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_patvers
		printf "%s\n" "${COMPREPLY[@]}"
	' _ "$BATS_TEST_DIRNAME/../../completions/patvers.bash" "$1"
}

@test "commands, sub-commands and options complete" {
	run complete_line "patvers sch"
	[ "$output" = "schedule" ]
	run complete_line "patvers db "
	[ "$output" = $'path\ncheck\nbackup' ]
	run complete_line "patvers schedule generate --d"
	[ "$output" = "--dry-run" ]
	run complete_line "patvers --for"
	[ "$output" = "--format" ]
	run complete_line "patvers --format "
	[[ "$output" == *"jsonl"* ]]
}

@test "the hidden helper is not offered" {
	run complete_line "patvers _"
	[ "$output" = "" ]
	run pv --help
	[[ "$output" != *"__complete"* ]]
}

@test "unit ids, people and meeting ids come from the database" {
	load_holmestrand
	run complete_line "patvers schedule list --unit kj"
	[ "$output" = "kjeldas" ]
	run complete_line "patvers schedule list --person tor-l"
	[ "$output" = "tor-lervik" ]
	run complete_line "patvers team show gj"
	[ "$output" = "gjoklep" ]
	pv schedule generate --year 2026/27 >/dev/null
	id=$(sql "SELECT min(id) FROM meeting")
	export PATVERS_TODAY=2026-09-01
	run complete_line "patvers schedule show $id"
	[[ "${lines[0]}" == "$id"* ]]
}

@test "school years, calendar years and half-years" {
	run complete_line "patvers schedule generate --year 2026"
	[ "$output" = "2026/27" ]
	# a report's half-year belongs to a calendar year (today is 2026-11-23)
	run complete_line "patvers report --half H2 --year "
	[ "$output" = $'2025\n2026\n2027' ]
	run complete_line "patvers report mark-sent --half "
	[ "$output" = $'H1\nH2' ]
	run complete_line "patvers calendar holidays 20"
	[ "$output" = $'2025\n2026\n2027' ]
}

@test "without candidates bash falls back to file names" {
	touch "$BATS_TEST_TMPDIR/rules-a.json"
	cd "$BATS_TEST_TMPDIR"
	run complete_line "patvers rules import rules-"
	[ "$output" = "rules-a.json" ]
}
