#!/usr/bin/env bash
# cost_calib.sh - the default cost model (rules/cost-default.yaml) on an
# inventory comparable to the US reimbursement program's (tools/cost_calib.py:
# 24,000 units at 8,400 locations) must cost between the $4.98 billion the
# FCC approved and the $5.6 billion requested (docs/cost.md, calibration).
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
eq "generator" "$(python3 tools/cost_calib.py "$tmp")" "24000 units at 8400 locations"
"$TM" import --db "$tmp/c.db" "$tmp/calib.csv" > /dev/null 2>&1
out=$("$TM" plan --db "$tmp/c.db" --policy "$tmp/calib.yaml" --date 2026-11-29 --format jsonl)
get() { rows 'str(r["rip and replace (SCRP-like)"])' "r[\"section\"]==\"total\" and r[\"key\"]==\"$1\" and r[\"measure\"]==\"$2\"" <<<"$out"; }
eq "units" "$(get '' assets)" "24000"
eq "locations" "$(get '' sites)" "8400"
total=$(get '' cost)
echo "default model on the SCRP-like inventory: USD $total"
ok "total between 4.98 and 5.6 billion" python3 -c "import sys; t=float(sys.argv[1]); sys.exit(not 4.98e9 <= t <= 5.6e9)" "$total"
eq "exact total" "$total" "5233500000.0"
finish cost_calib.sh
