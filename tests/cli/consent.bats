#!/usr/bin/env bats
# patvers consent: references, recording, withdrawal, and consent cases in the meeting log.

load helper

meeting() {
	sql "SELECT id FROM meeting WHERE unit = '$1' AND kind = '$2' AND number = $3"
}

audit_rows() {
	sql "SELECT count(*) FROM audit"
}

planned() {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
}

# consent add for hof, from the parents, in writing; extra options after.
add() {
	pv consent add --ref "$1" --unit hof --services "$2" --given-by foresatt --form written \
		--date "$3" "${@:4}"
}

# Nothing of a log for meeting $1: still planned, no log rows.
nothing_stored() {
	[ "$(sql "SELECT status FROM meeting WHERE id = $1")" = planned ]
	[ "$(sql "SELECT count(*) FROM meeting_log WHERE meeting = $1")" -eq 0 ]
	[ "$(sql "SELECT count(*) FROM meeting_case WHERE meeting = $1")" -eq 0 ]
}

@test "add, show and list a consent; each write has an audit row without the REF" {
	planned
	before=$(audit_rows)
	run add HOF-2026-07 "ppt, Barneverntjenesten" 2026-09-01 --expires 2027-06-30
	[ "$status" -eq 0 ]
	[ "$(audit_rows)" -eq $((before + 1)) ]
	[ "$(sql "SELECT count(*) FROM audit WHERE summary GLOB '*HOF-*' OR command GLOB '*HOF-*'")" -eq 0 ]
	run pv consent show HOF-2026-07
	[ "$status" -eq 0 ]
	[[ "$output" == *"barnevern, ppt"*"foresatt"*"written"*"2026-09-01"*"2027-06-30"*"active"* ]]
	run pv --format json consent list
	[[ "$output" == *'"schema": "patvers/consent-list/1"'* ]]
	[[ "$output" == *'"services": ['* ]]
	run pv consent show NONE-1
	[ "$status" -eq 65 ]
}

@test "a reference is never a name or a national id" {
	planned
	run add kari.nordmann ppt 2026-09-01
	[ "$status" -eq 65 ]
	[[ "$output" == *"has no digit"* ]]
	run add "Kari Nordmann 7" ppt 2026-09-01
	[ "$status" -eq 65 ]
	run add 15031210140 ppt 2026-09-01
	[ "$status" -eq 65 ]
	[[ "$output" == *"national identity number"* ]]
	run add HOF-1 tannlege 2026-09-01
	[ "$status" -eq 65 ]
	[[ "$output" == *"'tannlege' is not a service"* ]]
	run add HOF-1 ppt 2026-09-01 --expires 2026-08-01
	[ "$status" -eq 65 ]
	run pv consent add --ref HOF-1 --unit hof
	[ "$status" -eq 64 ]
	[ "$(sql "SELECT count(*) FROM consent")" -eq 0 ]
}

@test "a pupil consents alone only from the rules' age, and the age is not stored" {
	planned
	run pv consent add --ref HOF-2 --unit hof --services helse --given-by elev --form oral \
		--date 2026-09-01
	[ "$status" -eq 65 ]
	[[ "$output" == *"--age"* ]]
	run pv consent add --ref HOF-2 --unit hof --services helse --given-by elev --form oral \
		--date 2026-09-01 --age 14
	[ "$status" -eq 65 ]
	[[ "$output" == *"consent.self_consent_age is 15"* ]]
	run pv consent add --ref HOF-2 --unit hof --services helse --given-by elev --form oral \
		--date 2026-09-01 --age 16
	[ "$status" -eq 0 ]
	[[ "$(sql "SELECT sql FROM sqlite_master WHERE name = 'consent'")" != *age* ]]
	echo '{"consent": {"self_consent_age": 16}}' > "$BATS_TEST_TMPDIR/r.json"
	pv rules import "$BATS_TEST_TMPDIR/r.json" >/dev/null
	run pv consent add --ref HOF-3 --unit hof --services helse --given-by elev --form oral \
		--date 2026-09-01 --age 15
	[ "$status" -eq 65 ]
}

@test "a consent case is logged when the consent is valid and covers every service present" {
	planned
	id=$(meeting hof systemmote 2)    # 2026-10-15
	add HOF-2026-07 ppt,helse 2026-09-01 --expires 2026-12-31 >/dev/null
	run pv log held "$id" --leader marit-nygard --attendee tor-lervik --attendee mari-husby \
		--case consent:HOF-2026-07:skolevegring
	[ "$status" -eq 0 ]
	[[ "$output" == *"consent cases: 1"* ]]
	[ "$(sql "SELECT consent_ref || ' ' || theme FROM meeting_case")" = "HOF-2026-07 skolevegring" ]
}

@test "a service present but not covered: clear error, nothing stored" {
	planned
	id=$(meeting hof systemmote 2)
	add HOF-2026-07 ppt 2026-09-01 >/dev/null
	run pv log held "$id" --leader marit-nygard --attendee tor-lervik \
		--attendee solveig-kolstad --case consent:HOF-2026-07:familie
	[ "$status" -eq 65 ]
	[[ "$output" == *"consent 'HOF-2026-07' does not cover barnevern, present at the meeting (it covers ppt)"* ]]
	nothing_stored "$id"
}

@test "an expired consent: clear error, nothing stored" {
	planned
	id=$(meeting hof systemmote 2)
	add HOF-2026-07 ppt 2026-08-01 --expires 2026-10-14 >/dev/null
	run pv log held "$id" --leader marit-nygard --attendee tor-lervik \
		--case consent:HOF-2026-07:familie
	[ "$status" -eq 65 ]
	[[ "$output" == *"consent 'HOF-2026-07' expired on 2026-10-14 (the meeting is on 2026-10-15)"* ]]
	nothing_stored "$id"
}

@test "a withdrawn consent: clear error, nothing stored; withdrawal is audited" {
	planned
	id=$(meeting hof systemmote 2)
	add HOF-2026-07 ppt 2026-08-01 >/dev/null
	before=$(audit_rows)
	run pv consent withdraw HOF-2026-07 --date 2026-10-01
	[ "$status" -eq 0 ]
	[ "$(audit_rows)" -eq $((before + 1)) ]
	run pv log held "$id" --leader marit-nygard --attendee tor-lervik \
		--case consent:HOF-2026-07:familie
	[ "$status" -eq 65 ]
	[[ "$output" == *"consent 'HOF-2026-07' was withdrawn on 2026-10-01"* ]]
	nothing_stored "$id"
	run pv consent withdraw HOF-2026-07 --date 2026-10-02
	[ "$status" -eq 65 ]
	run pv consent show HOF-2026-07
	[[ "$output" == *"withdrawn"* ]]
}

@test "a consent given after the meeting, or an unknown REF: nothing stored" {
	planned
	id=$(meeting hof systemmote 2)
	add HOF-2026-07 ppt 2026-11-01 >/dev/null
	run pv log held "$id" --leader marit-nygard --case consent:HOF-2026-07:familie
	[ "$status" -eq 65 ]
	[[ "$output" == *"is given on 2026-11-01, after the meeting (2026-10-15)"* ]]
	run pv log held "$id" --leader marit-nygard --case consent:HOF-2026-99:familie
	[ "$status" -eq 65 ]
	[[ "$output" == *"no consent with reference 'HOF-2026-99'"* ]]
	nothing_stored "$id"
}

@test "consent list --expiring finds consents about to run out" {
	planned
	add A-1 ppt 2026-09-01 --expires 2026-12-10 >/dev/null
	add B-1 ppt 2026-09-01 --expires 2027-06-30 >/dev/null
	add C-1 ppt 2026-09-01 >/dev/null
	run pv --format csv consent list --expiring 30d --exit-code
	[ "$status" -eq 1 ]
	[ "$(wc -l <<<"$output")" -eq 2 ]
	[[ "$output" == *"A-1,hof,ppt"* ]]
	run pv consent list --expiring 10d --exit-code
	[ "$status" -eq 0 ]
	run pv consent list --expiring soon
	[ "$status" -eq 64 ]
}
