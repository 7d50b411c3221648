#!/usr/bin/env bash
# make demo: a fresh database in demo/ with the Holmestrand example (units,
# staff, the Vestfold calendars), the 2026/27 plan generated and printed per
# unit, checked, and written as demo/plan.ics for Outlook or Google Calendar.
set -euo pipefail
bin=${1:-build/patvers}
here=$(cd "$(dirname "$0")/.." && pwd)
export PATVERS_DB="$here/demo/patvers.db"
rm -rf "$here/demo"
mkdir -p "$here/demo"

step() {
	printf '\n== %s\n' "$*"
}

step "patvers init --example holmestrand   (database: demo/patvers.db)"
"$bin" init --example holmestrand
step "patvers team check"
"$bin" team check
step "patvers calendar show 2026/27"
"$bin" calendar show 2026/27
step "patvers schedule generate --year 2026/27 --stats"
"$bin" schedule generate --year 2026/27 --stats
step "patvers schedule check --year 2026/27"
"$bin" schedule check --year 2026/27
step "patvers schedule export --ics -o demo/plan.ics"
"$bin" schedule export --ics -o "$here/demo/plan.ics"
echo "wrote demo/plan.ics ($(grep -c '^BEGIN:VEVENT' "$here/demo/plan.ics") meetings)"
