#!/usr/bin/env bats
# The example cron scripts, run in --dry-run mode against the example.

load helper

setup_planned() {
	load_holmestrand
	pv schedule generate --year 2026/27 >/dev/null
	export PATVERS="$PATVERS_BIN"
	export PATVERS_MAIL_FROM=patvers@holmestrand.kommune.example
}

@test "remind-mail writes one e-mail per person with their reminders" {
	setup_planned
	export PATVERS_TODAY=2026-08-21
	run "$EXAMPLES/cron/remind-mail" --dry-run
	[ "$status" -eq 0 ]
	[ "$(grep -c '^To: ' <<<"$output")" -eq "$(pv --format csv remind --group-by person | tail -n +2 | wc -l)" ]
	[[ "$output" == *"To: tor.lervik@holmestrand.kommune.example"* ]]
	[[ "$output" == *"Content-Type: text/plain; charset=UTF-8"* ]]
	[[ "$output" == *"naervaer"* ]]
}

@test "remind-mail sends nothing when nothing is due" {
	pv init >/dev/null
	export PATVERS="$PATVERS_BIN"
	run "$EXAMPLES/cron/remind-mail" --dry-run
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "weekly-digest sends the week to one address" {
	setup_planned
	export PATVERS_TODAY=2026-08-24
	run "$EXAMPLES/cron/weekly-digest" --dry-run oppvekst@holmestrand.kommune.example
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "To: oppvekst@holmestrand.kommune.example" ]]
	[[ "$output" == *"events:"* ]]
}

@test "report-mail attaches the HTML report and does not mark it sent in a dry run" {
	setup_planned
	export PATVERS_TODAY=2026-12-15
	run "$EXAMPLES/cron/report-mail" --dry-run kommunalsjef@holmestrand.kommune.example
	[ "$status" -eq 0 ]
	[[ "$output" == *"To: kommunalsjef@holmestrand.kommune.example"* ]]
	[[ "$output" == *'filename="pa-tvers-H2-2026.html"'* ]]
	[[ "$output" == *"Content-Transfer-Encoding: base64"* ]]
	run pv remind --as-of 2026-12-16 --kind report-overdue
	[[ "$output" == *"report-overdue"* ]]
}

@test "report-mail sends through SENDMAIL and marks the report sent" {
	setup_planned
	export PATVERS_TODAY=2026-12-15
	printf '#!/bin/sh\ncat > "%s/mail.txt"\n' "$BATS_TEST_TMPDIR" > "$BATS_TEST_TMPDIR/sendmail"
	chmod +x "$BATS_TEST_TMPDIR/sendmail"
	# the crontab's LANG gives the kommunalsjef a Norwegian report; cron
	# gets no output to mail of its own
	SENDMAIL="$BATS_TEST_TMPDIR/sendmail" \
		PATVERS_LOCALEDIR="$(dirname "$PATVERS_BIN")/locale" \
		run env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=nb_NO.UTF-8 \
		"$EXAMPLES/cron/report-mail" kommunalsjef@holmestrand.kommune.example
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	grep -q '^To: kommunalsjef@holmestrand.kommune.example' "$BATS_TEST_TMPDIR/mail.txt"
	grep -q '^# «På tvers»: halvårsrapport H2 2026' "$BATS_TEST_TMPDIR/mail.txt"
	grep -q '^LANG=nb_NO.UTF-8$' "$EXAMPLES/cron/crontab"
	run pv remind --as-of 2026-12-16 --kind report-overdue
	[ "$output" = "" ]
}
