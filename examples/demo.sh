#!/usr/bin/env bash
# make demo: a fresh database in demo/, the Holmestrand example loaded,
# the rules in force shown. Later steps plan a year and print it.
set -euo pipefail
bin=${1:-build/patvers}
here=$(cd "$(dirname "$0")/.." && pwd)
export PATVERS_DB="$here/demo/patvers.db"
rm -rf "$here/demo"
mkdir -p "$here/demo"

echo "== patvers init (database: $PATVERS_DB)"
"$bin" init --municipality "Holmestrand kommune"
echo
echo "== patvers rules show (the Holmestrand method, built in)"
"$bin" rules show
echo
echo "== patvers db check"
"$bin" db check
