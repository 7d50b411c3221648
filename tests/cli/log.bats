#!/usr/bin/env bats
# patvers log: meetings held or cancelled, cases, actions, the guard, the editor, import/export.

load helper

LOGDATA=$BATS_TEST_DIRNAME/../data/log

# A valid fødselsnummer (D-number when $4 is 1) for day $1, month $2,
# two-digit year $3, made by the mod-11 algorithm here in the test: the
# first individual number whose two check digits exist.
make_id() {
	local dd=$((10#$1)) mm=$2 yy=$3 dnr=${4:-0} ind n s1 s2 k1 k2 i
	local w1=(3 7 6 1 8 9 4 5 2) w2=(5 4 3 2 7 6 5 4 3 2)
	[ "$dnr" = 1 ] && dd=$((dd + 40))
	for ((ind = 100; ind < 500; ind++)); do
		n=$(printf '%02d%s%s%03d' "$dd" "$mm" "$yy" "$ind")
		s1=0
		s2=0
		for i in 0 1 2 3 4 5 6 7 8; do
			s1=$((s1 + w1[i] * ${n:i:1}))
			s2=$((s2 + w2[i] * ${n:i:1}))
		done
		k1=$(((11 - s1 % 11) % 11))
		[ "$k1" -eq 10 ] && continue
		s2=$((s2 + 2 * k1))
		k2=$(((11 - s2 % 11) % 11))
		[ "$k2" -eq 10 ] && continue
		echo "$n$k1$k2"
		return
	done
}

# The same number with its last check digit wrong.
break_id() {
	echo "${1:0:10}$(((${1:10:1} + 1) % 10))"
}

# The id of a meeting by unit, kind and slot number.
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

@test "held stores the log, marks the meeting held and writes one audit row" {
	planned
	id=$(meeting hof systemmote 2)
	seq=$(sql "SELECT sequence FROM meeting WHERE id = $id")
	before=$(audit_rows)
	run pv log held "$id" --leader marit-nygard --attendee hilde-dahl --attendee tor-lervik \
		--substitute knut-strand:erik-moen --guest foresatt:2 --case anon:Skolevegring \
		--case "anon:eget tema" --action "tor-lervik|Kartlegging i klassen|2026-12-01" \
		--experience "Godt samarbeid med PPT."
	[ "$status" -eq 0 ]
	[[ "$output" == *"present:       4"* ]]
	[ "$(sql "SELECT status FROM meeting WHERE id = $id")" = held ]
	[ "$(sql "SELECT sequence FROM meeting WHERE id = $id")" -gt "$seq" ]
	[ "$(sql "SELECT theme FROM meeting_case WHERE meeting = $id ORDER BY position")" = \
	  "$(printf 'skolevegring\neget tema')" ]
	[ "$(sql "SELECT role || ':' || headcount FROM meeting_log_guest")" = "foresatt:2" ]
	[ "$(audit_rows)" -eq $((before + 1)) ]
	# the audit row holds ids and counts, never the text typed
	run sql "SELECT summary || ' ' || command FROM audit ORDER BY id DESC LIMIT 1"
	[[ "$output" == *"log held: 4 present, 2 guests, 2 cases (0 with consent), 1 actions"* ]]
	[[ "$output" == *"patvers log held"*"--case"* ]]
	[[ "$output" != *"Kartlegging"* && "$output" != *"tema"* && "$output" != *"PPT"* ]]
	run pv log show "$id"
	[ "$status" -eq 0 ]
	[[ "$output" == *"knut-strand  erik-moen"* ]]
	[[ "$output" == *"Kartlegging i klassen"* ]]
	# once only
	run pv log held "$id" --leader marit-nygard
	[ "$status" -eq 65 ]
	[[ "$output" == *"already logged; change the log with 'patvers log edit $id'"* ]]
}

@test "the guard rejects fødselsnummer and D-numbers made by the mod-11 algorithm" {
	planned
	id=$(meeting hof systemmote 2)
	for args in "15 03 12 0" "29 02 04 0" "07 11 60 0" "15 03 12 1" "31 12 99 1"; do
		number=$(make_id $args)
		[ ${#number} -eq 11 ]
		run pv log held "$id" --leader marit-nygard --case "anon:elev $number"
		[ "$status" -eq 65 ]
		[[ "$output" == *"theme: looks like a"*"national identity number"* ]]
		[[ "$output" != *"$number"* ]]
		run pv log held "$id" --leader marit-nygard \
			--experience "eleven ${number:0:6} ${number:6} er borte"
		[ "$status" -eq 65 ]
		[[ "$output" == *"experience: looks like"* ]]
		run pv log held "$id" --leader marit-nygard \
			--action "kontaktlærer|sjekk $number|2026-12-01"
		[ "$status" -eq 65 ]
		[[ "$output" == *"what: looks like"* ]]
	done
	[[ "$output" == *"D-number"* ]]
	[ "$(sql "SELECT count(*) FROM meeting_log")" -eq 0 ]
	[ "$(sql "SELECT status FROM meeting WHERE id = $id")" = planned ]
	# phone numbers and e-mail addresses too, the span masked
	run pv log held "$id" --leader marit-nygard --experience "ring +47 22 33 44 55"
	[ "$status" -eq 65 ]
	[[ "$output" == *'experience: looks like a phone number: "ring ***************"'* ]]
	run pv log held "$id" --leader marit-nygard --case "anon:skriv til ola@skole.example"
	[ "$status" -eq 65 ]
	[[ "$output" == *"looks like an e-mail address"* ]]
	# wrong check digits, dates and counts pass
	wrong=$(break_id "$(make_id 15 03 12)")
	run pv log held "$id" --leader marit-nygard --case "anon:sak $wrong" \
		--experience "2026-10-15: 3 elever, 12 saker, kl. 12:30"
	[ "$status" -eq 0 ]
}

@test "extra deny patterns from the rules" {
	planned
	echo '{"anonymity": {"deny_patterns": ["elev(nr|nummer) *[0-9]+"]}}' > "$BATS_TEST_TMPDIR/r.json"
	pv rules import "$BATS_TEST_TMPDIR/r.json" >/dev/null
	id=$(meeting hof systemmote 2)
	run pv log held "$id" --leader marit-nygard --case "anon:elevnr 4711"
	[ "$status" -eq 65 ]
	[[ "$output" == *'theme: matches anonymity.deny_patterns[0]: "***********"'* ]]
}

@test "refusals: future, cancelled, unknown people, guests by name, roles" {
	planned
	future=$(meeting hof systemmote 3)
	run pv log held "$future" --leader marit-nygard
	[ "$status" -eq 65 ]
	[[ "$output" == *"after today"* ]]
	id=$(meeting hof systemmote 2)
	run pv log held "$id" --leader ola-nordmann
	[ "$status" -eq 65 ]
	[[ "$output" == *"leader: no person 'ola-nordmann'"* ]]
	run pv log held "$id" --leader marit-nygard --guest "Kari Nordmann"
	[ "$status" -eq 65 ]
	[[ "$output" == *"not a guest role"* ]]
	run pv log held "$id" --leader marit-nygard --action "vaktmester|x|2026-12-01"
	[ "$status" -eq 65 ]
	[[ "$output" == *"neither a person id nor a role"* ]]
	run pv log held "$id" --leader marit-nygard --staff-consultations 2
	[ "$status" -eq 65 ]
	[[ "$output" == *"«Åpen dør»"* ]]
	run pv log held "$id"
	[ "$status" -eq 64 ]
	[ "$(sql "SELECT count(*) FROM meeting_log")" -eq 0 ]
}

@test "cancel keeps a guarded reason; a cancelled meeting cannot be logged" {
	planned
	id=$(meeting selvik systemmote 2)
	before=$(audit_rows)
	run pv log cancel "$id" --reason "ring 22334455"
	[ "$status" -eq 65 ]
	[[ "$output" == *"reason: looks like a phone number"* ]]
	run pv log cancel "$id" --reason "sykdom i teamet"
	[ "$status" -eq 0 ]
	[ "$(sql "SELECT status || ':' || cancel_reason FROM meeting WHERE id = $id")" = \
	  "cancelled:sykdom i teamet" ]
	[ "$(audit_rows)" -eq $((before + 1)) ]
	run pv log held "$id" --leader trond-birkeland
	[ "$status" -eq 65 ]
	[[ "$output" == *"was cancelled"* ]]
	held=$(meeting hof systemmote 2)
	pv log held "$held" --leader marit-nygard >/dev/null
	run pv log cancel "$held" --reason "for sent"
	[ "$status" -eq 65 ]
}

@test "log list --unlogged finds past meetings without a log" {
	planned
	id=$(meeting hof systemmote 2)
	run pv --format csv log list --unit hof --unlogged
	[ "$status" -eq 0 ]
	[[ "$output" == *"$id,2026-10-15,hof,systemmote,planned,false"* ]]
	# nothing from today (2026-11-23) on, nothing cancelled
	[ "$(awk -F, 'NR > 1 && $2 >= "2026-11-23"' <<<"$output" | wc -l)" -eq 0 ]
	[ "$(awk -F, 'NR > 1 && $5 != "planned"' <<<"$output" | wc -l)" -eq 0 ]
	[ "$(awk -F, 'NR > 1' <<<"$output" | wc -l)" -gt 5 ]
	pv log held "$id" --leader marit-nygard >/dev/null
	run pv --format csv log list --unit hof --unlogged
	[[ "$output" != *"$id,2026-10-15"* ]]
	run pv log list --unlogged --exit-code --from 2026-10-15 --to 2026-10-15 --unit hof
	[ "$status" -eq 0 ]
	run pv log list --unlogged --exit-code --unit hof
	[ "$status" -eq 1 ]
	run pv --format json log list --unit hof --from 2026-10-15 --to 2026-10-15
	[[ "$output" == *'"schema": "patvers/log-list/1"'* ]]
	[[ "$output" == *'"logged": true'* ]]
}

@test "«Åpen dør»: counts, and parents not informed after a pupil conversation" {
	planned
	id=$(meeting hof apen-dor 2)
	run pv log held "$id" --leader solveig-kolstad --staff-consultations 3 \
		--pupil-conversations 1 --case anon:familie
	[ "$status" -eq 0 ]
	run pv log list --parents-not-informed --exit-code
	[ "$status" -eq 1 ]
	[[ "$output" == *"$id"*"apen-dor"*"1"* ]]
	run pv log informed "$id" --date 2026-09-03
	[ "$status" -eq 0 ]
	run pv log list --parents-not-informed --exit-code
	[ "$status" -eq 0 ]
	[[ "$output" == *"meetings: (none)"* ]]
}

@test "actions: open, overdue, done" {
	planned
	id=$(meeting hof systemmote 2)
	pv log held "$id" --leader marit-nygard --action "tor-lervik|Kartlegge|2026-11-01" \
		--action "rektor|Ringe foresatte|2026-12-01" >/dev/null
	run pv --format csv log actions --overdue
	[ "$(wc -l <<<"$output")" -eq 2 ]
	[[ "$output" == *"tor-lervik,Kartlegge,2026-11-01,open"* ]]
	action=$(sql "SELECT id FROM meeting_action WHERE what = 'Kartlegge'")
	before=$(audit_rows)
	run pv log action done "$action" --date 2026-11-20
	[ "$status" -eq 0 ]
	[ "$(audit_rows)" -eq $((before + 1)) ]
	run pv log action done "$action"
	[ "$status" -eq 65 ]
	[[ "$output" == *"already done (2026-11-20)"* ]]
	run pv log actions --overdue --exit-code
	[ "$status" -eq 0 ]
	run pv --format csv log actions --open
	[[ "$output" == *"rektor,Ringe foresatte"* && "$output" != *"Kartlegge"* ]]
}

@test "import stores every meeting, or with one bad meeting none" {
	planned
	before=$(audit_rows)
	run pv log import "$LOGDATA/one-bad.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"one-bad.json: meetings[1].experience: looks like a phone number"* ]]
	[ "$(sql "SELECT count(*) FROM meeting_log")" -eq 0 ]
	[ "$(sql "SELECT count(*) FROM meeting WHERE status = 'held'")" -eq 0 ]
	[ "$(audit_rows)" -eq "$before" ]
	run pv log import "$LOGDATA/good.json"
	[ "$status" -eq 0 ]
	[ "$(sql "SELECT count(*) FROM meeting_log")" -eq 2 ]
	[ "$(audit_rows)" -eq $((before + 2)) ]
	run pv log import "$LOGDATA/good.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"already logged"* ]]
	run pv log import --replace "$LOGDATA/good.json"
	[ "$status" -eq 0 ]
	[ "$(audit_rows)" -eq $((before + 2)) ]
}

@test "export round-trips through import into another database" {
	planned
	pv log import "$LOGDATA/good.json" >/dev/null
	pv log cancel "$(meeting selvik systemmote 2)" --reason "sykdom" >/dev/null
	pv log export -o "$BATS_TEST_TMPDIR/a.json"
	grep -q '"schema": "patvers/log/1"' "$BATS_TEST_TMPDIR/a.json"
	grep -q '"cancelled": "sykdom"' "$BATS_TEST_TMPDIR/a.json"
	run pv log export -o "$BATS_TEST_TMPDIR/a.json"
	[ "$status" -eq 73 ]
	export PATVERS_DB="$BATS_TEST_TMPDIR/second.db"
	planned
	pv log import "$BATS_TEST_TMPDIR/a.json" >/dev/null
	pv log export | cmp - "$BATS_TEST_TMPDIR/a.json"
}

@test "log edit: EDITOR writes the log through the template" {
	planned
	id=$(meeting hof systemmote 2)
	cat > "$BATS_TEST_TMPDIR/ed.sh" <<'EOF'
#!/bin/sh
cp "$1" "$(dirname "$0")/seen.txt"
sed -i -e 's/^case: $/case: anon: skolevegring/' \
       -e 's/^action: $/action: tor-lervik | Kartlegge | 2026-12-01/' \
       -e 's/^experience:$/experience:\nGodt møte./' "$1"
EOF
	chmod +x "$BATS_TEST_TMPDIR/ed.sh"
	before=$(audit_rows)
	EDITOR="$BATS_TEST_TMPDIR/ed.sh" run pv log edit "$id"
	[ "$status" -eq 0 ]
	grep -q '^# Never write a child' "$BATS_TEST_TMPDIR/seen.txt"
	grep -q '^leader: marit-nygard$' "$BATS_TEST_TMPDIR/seen.txt"
	[ "$(sql "SELECT status FROM meeting WHERE id = $id")" = held ]
	[ "$(sql "SELECT theme FROM meeting_case WHERE meeting = $id")" = skolevegring ]
	[ "$(sql "SELECT experience FROM meeting_log WHERE meeting = $id")" = "Godt møte." ]
	[ "$(audit_rows)" -eq $((before + 1)) ]
	[ ! -e "$BATS_TEST_TMPDIR/drafts/log-$id.txt" ]
	# VISUAL wins over EDITOR; the second edit shows the stored log
	printf '#!/bin/sh\ncp "$1" "$(dirname "$0")/seen.txt"\n' > "$BATS_TEST_TMPDIR/look.sh"
	chmod +x "$BATS_TEST_TMPDIR/look.sh"
	VISUAL="$BATS_TEST_TMPDIR/look.sh" EDITOR=false run pv log edit "$id"
	[ "$status" -eq 0 ]
	grep -q "^action #[0-9]*: tor-lervik | Kartlegge | 2026-12-01$" "$BATS_TEST_TMPDIR/seen.txt"
	[[ "$output" == *"changed:       no"* ]]
	[ "$(audit_rows)" -eq $((before + 1)) ]
}

@test "log edit: a validation error keeps the text in a private draft, offered again" {
	planned
	id=$(meeting hof systemmote 2)
	number=$(make_id 15 03 12)
	cat > "$BATS_TEST_TMPDIR/bad.sh" <<EOF
#!/bin/sh
sed -i 's/^experience:\$/experience:\nEleven $number trenger oppfølging./' "\$1"
EOF
	chmod +x "$BATS_TEST_TMPDIR/bad.sh"
	EDITOR="$BATS_TEST_TMPDIR/bad.sh" run pv log edit "$id"
	[ "$status" -eq 65 ]
	draft="$BATS_TEST_TMPDIR/drafts/log-$id.txt"
	[[ "$output" == *"$draft:"*": experience: looks like a national identity number"* ]]
	[[ "$output" == *"your text is kept in '$draft'"* ]]
	[[ "$output" != *"$number"* ]]
	[ "$(mode_of "$draft")" = 600 ]
	[ "$(mode_of "$BATS_TEST_TMPDIR/drafts")" = 700 ]
	grep -q "Eleven $number" "$draft"
	[ "$(sql "SELECT count(*) FROM meeting_log")" -eq 0 ]
	# the next edit starts from the draft; fixing it stores and removes it
	cat > "$BATS_TEST_TMPDIR/fix.sh" <<EOF
#!/bin/sh
sed -i 's/$number/(anonymisert)/' "\$1"
EOF
	chmod +x "$BATS_TEST_TMPDIR/fix.sh"
	EDITOR="$BATS_TEST_TMPDIR/fix.sh" run pv log edit "$id"
	[ "$status" -eq 0 ]
	[[ "$output" == *"starting from your draft"* ]]
	[ "$(sql "SELECT experience FROM meeting_log WHERE meeting = $id")" = \
	  "Eleven (anonymisert) trenger oppfølging." ]
	[ ! -e "$draft" ]
}

@test "log edit: a failing editor and an emptied file store nothing; --fresh starts over" {
	planned
	id=$(meeting hof systemmote 2)
	EDITOR=false run pv log edit "$id"
	[ "$status" -eq 74 ]
	[[ "$output" == *"the editor 'false' failed"* ]]
	[ -e "$BATS_TEST_TMPDIR/drafts/log-$id.txt" ]
	EDITOR='sh -c ": > \"$1\"" sh' run pv log edit "$id" --fresh
	[ "$status" -eq 0 ]
	[[ "$output" == *"the log is empty: nothing stored"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/drafts/log-$id.txt" ]
	[ "$(sql "SELECT count(*) FROM meeting_log")" -eq 0 ]
	run pv log edit "$(meeting hof systemmote 3)"
	[ "$status" -eq 65 ]
	[[ "$output" == *"after today"* ]]
}

@test "help lists the log and consent commands" {
	run pv help
	[[ "$output" == *"log "*"consent "* ]]
	run pv log --help
	[[ "$output" == *"held"*"edit"*"import"* ]]
	run pv help log held
	[ "$status" -eq 0 ]
	[[ "$output" == *"--case consent:REF:THEME"* ]]
}
