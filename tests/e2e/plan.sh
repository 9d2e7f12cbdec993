#!/usr/bin/env bash
# plan.sh - trustmap plan end to end on a hand-made inventory
# (tests/data/plan, cost model with round figures): two scenarios side by
# side with totals computed by hand (assets, sites, cost by operator, region
# and role, shares of each network, the confidence spread, a guessed role),
# a three-year plan with exact phases, a deadline that cannot be met and its
# shortfall, partial funding and what it blocks, core-first, a budget of
# zero, the default cost model found in rules/, and bad input (cost model
# errors by file:line:column, options).
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
d=tests/data/plan
db=$tmp/p.db
"$TM" import --db "$db" "$d/inv.csv" > /dev/null 2>&1
plan() { "$TM" plan --db "$db" --cost "$d/cost.yaml" --date 2026-11-29 "$@"; }
two() { plan --policy "$d/sensitive.yaml" --policy "$d/country.yaml" "$@"; }
val() { # SECTION KEY MEASURE: "A B" values of the two scenarios
	two --format jsonl | head -n 200 | rows 'str(r["sensitive sites only"])+"/"+str(r["whole country by 2028"])' \
		"r.get(\"section\")==\"$1\" and r[\"key\"]==\"$2\" and r[\"measure\"]==\"$3\""
}

# Scenario A: Huawei/ZTE out of the ministry site S1: P1 router (1000 + 100
# labour) and P2 switch (500 + 100), site S1 visit 50 + overhead 1000 = 2750.
# Scenario B adds, from 2028-01-01, everything listed: P4 ONT (100 + 100) x 2
# (region islands), P5 camera (200 + 100) x 2, P6 BBU5900 with no role
# (guessed ran-baseband: 3000 + 100), P8 core router (5000 + 100) x 2; sites
# S2 and S4 cost (50 + 1000) x 2 each, S3 1050: 16000 + 6300 = 22300.
eq "assets" "$(val total '' assets)" "2/6"
eq "sites" "$(val total '' sites)" "1/4"
eq "total cost" "$(val total '' cost)" "2750.0/22300.0"
eq "equipment and labour" "$(val total equipment+labour cost)" "1700.0/16000.0"
eq "visits and overhead" "$(val total visits+overhead cost)" "1050.0/6300.0"
eq "due now" "$(val total 'due now' assets)" "2/2"
eq "due later" "$(val total 'due later' assets)" "0/4"
eq "roles guessed" "$(val total 'roles guessed' assets)" "0/1"
eq "OpA cost" "$(val operator OpA cost)" "2750.0/5850.0"
eq "OpB cost" "$(val operator OpB cost)" "0.0/16450.0"
eq "OpA share of its network" "$(val operator OpA share)" "0.4/0.8"
eq "OpB share of its network" "$(val operator OpB share)" "0.0/0.6667"
eq "OpB network" "$(val operator OpB network)" "3/3"
eq "region islands" "$(val region islands cost)" "0.0/15400.0"
eq "region R1" "$(val region R1 cost)" "2750.0/6900.0"
eq "role core-router" "$(val role core-router cost)" "0.0/10200.0"
eq "role ran-baseband (guessed)" "$(val role ran-baseband cost)" "0.0/3100.0"
eq "confidence: the inventory's word only" "$(val confidence declared-only cost)" "1700.0/16000.0"

# The plan, three years from 2026 at 16000 a year.  Items carry their site's
# overhead shared out: P1 1600, P2 1100 (S1, visit 50), P4 1400, P5 1600 (S2,
# visit 100), P6 4100 (S3, visit 50), P8 12200 (S4, visit 100).  P1, P2 are
# due now (phase 1), the rest by 2027 (the rule bites on 2028-01-01).  Best:
# P1 P2 P4 P5 P6 in 2026 (10000: value (8+4+1+2+10) x 3 = 75), P8 in 2027
# (12300: 10 x 2 = 20): 95.  P8 first instead leaves 950 in 2026: 92.
phases() { plan --policy "$d/country.yaml" --budget-per-year 16000 --start-year 2026 --years 3 "$@" --format jsonl |
	rows 'r["phase"]+":"+str(r["items"])+":"+str(r["sites"])+":"+str(r["spend"])+":"+str(r["value"])' '"phase" in r and r["phase"]!="unplaced"'; }
eq "phases" "$(phases)" "1:5:3:10000.0:75.0 2:1:1:12300.0:20.0 3:0:0:0.0:0.0 total:6:4:22300.0:95.0"
eq "exact and met" "$(plan --policy "$d/country.yaml" --budget-per-year 16000 --start-year 2026 --years 3 --format jsonl |
	rows 'r["note"]' 'r.get("phase")=="total"')" "exact optimum; every deadline met; 2 items already due, in phase 1"
eq "items" "$(plan --policy "$d/country.yaml" --budget-per-year 16000 --start-year 2026 --years 3 --items --format jsonl |
	rows 'r["asset"]+":"+str(r["cost"])+":"+str(r["deadline_year"])+":"+str(r["year"])' '"asset" in r')" \
	"P1:1600.0:2026:2026 P2:1100.0:2026:2026 P4:1400.0:2027:2026 P5:1600.0:2027:2026 P6:4100.0:2027:2026 P8:12200.0:2027:2027"
plan --policy "$d/country.yaml" --budget-per-year 16000 --start-year 2026 --years 3 > /dev/null 2>&1
eq "exit status when deadlines are met" "$?" 0

# Funded at 50 %: 8000 a year.  P8 (12300 with its visit) fits in no year
# before its deadline; due by 2027 are 22300 against 16000 of budget: short
# by exactly 6300 (2026: P1 P2 P6 P4 P5 = 10000, 2027: P8 = 12300).
note=$(plan --policy "$d/country.yaml" --budget-per-year 16000 --start-year 2026 --years 3 --funded-share 0.5 --format jsonl |
	rows 'r["note"]' 'r.get("phase")=="total"')
eq "shortfall" "$(grep -o 'no plan can meet the deadlines: short by [0-9.]* EUR' <<<"$note")" \
	"no plan can meet the deadlines: short by 6300.00 EUR"
eq "blocked by funding" "$(grep -o 'funded at 50%: .* blocked by funding' <<<"$note")" \
	"funded at 50%: 1 items (12200.00 EUR, risk 10.00, 1 of them due) blocked by funding"
eq "unplaced" "$(plan --policy "$d/country.yaml" --budget-per-year 16000 --start-year 2026 --years 3 --funded-share 0.5 --format jsonl |
	rows 'str(r["items"])+":"+str(r["spend"])' 'r.get("phase")=="unplaced"')" "1:12200.0"
plan --policy "$d/country.yaml" --budget-per-year 8000 --start-year 2026 --years 3 > /dev/null 2>&1
eq "exit status when deadlines cannot be met" "$?" 1

# Core first (core: routers, core routers, basebands; access: ONT, camera):
# P8 must not come after P4/P5, so the best is 92 (66 in 2026, 26 in 2027).
eq "core first" "$(phases --core-first | tr ' ' '\n' | grep total)" "total:6:4:22300.0:92.0"

# A budget of zero: nothing placed, short by everything due.
eq "budget zero" "$(plan --policy "$d/country.yaml" --budget-per-year 0 --start-year 2026 --years 3 --format jsonl 2>/dev/null |
	rows 'r["note"]' 'r.get("phase")=="total"' | grep -o 'short by [0-9.]* EUR')" "short by 22300.00 EUR"

# the default model from rules/ (the calibration inventory is priced in tests/e2e/cost_calib.sh)
eq "default model currency" "$("$TM" plan --db "$db" --policy "$d/sensitive.yaml" --date 2026-11-29 | grep -o 'costs in [A-Z]*')" "costs in USD"

# an exception that expires 2028-06-30: P2 is due the day after, so out by 2027
eq "exception expiry makes a due day" "$(plan --policy "$d/except.yaml" --budget-per-year 1e6 --start-year 2026 --years 4 --items --format jsonl |
	rows 'r["asset"]+":"+r["due"]+":"+str(r["deadline_year"])' '"asset" in r and r["asset"] in ("P1","P2")')" \
	"P1:2026-11-29:2026 P2:2028-07-01:2027"

# observed devices (no inventory): confidence bands from attribution, a role
# guessed from an RTSP service (a Hikvision answering on 554: a camera),
# devices without a site are a site of their own
"$TM" import --db "$tmp/o.db" "$d/obs.jsonl" > /dev/null 2>&1
printf 'version: 1\nname: all\nlists:\n  l:\n    members: [huawei, hikvision]\nrules:\n  - id: all\n    action: deny\n    list: l\n    scope: all\n' > "$tmp/all.yaml"
eq "observed: role, guessed, band, cost" "$("$TM" plan --db "$tmp/o.db" --policy "$tmp/all.yaml" --cost "$d/cost.yaml" --date 2026-11-29 \
	--budget-per-year 1e6 --years 2 --items --format jsonl | rows 'r["role"]+":"+str(r["guessed"])+":"+r["confidence"]+":"+str(r["cost"])' '"asset" in r')" \
	"switch:0:strong:1600.0 camera:1:medium:1300.0 ont:0:medium:1200.0"
eq "observed: sites" "$("$TM" plan --db "$tmp/o.db" --policy "$tmp/all.yaml" --cost "$d/cost.yaml" --date 2026-11-29 --format jsonl |
	rows 'str(r["all"])' 'r["section"]=="total" and r["key"]=="" and r["measure"]=="sites"')" "3"

# bad input
printf 'version: 1\ncurrency: EUR\nlabour_per_device: -1\n' > "$tmp/neg.yaml"
eq "negative cost" "$(plan --policy "$d/sensitive.yaml" --cost "$tmp/neg.yaml" 2>&1)" \
	"trustmap plan: $tmp/neg.yaml:3:20: labour_per_device: -1 is negative"
sed 's/  dvr:  /  dvrr: /' "$d/cost.yaml" > "$tmp/role.yaml"
eq "unknown role" "$(plan --policy "$d/sensitive.yaml" --cost "$tmp/role.yaml" 2>&1 | cut -c1-80)" \
	"trustmap plan: $tmp/role.yaml:20:3: roles: unknown role \"dvrr\" (ro"
sed 's/currency: EUR/currency: Euro/' "$d/cost.yaml" > "$tmp/cur.yaml"
eq "bad currency" "$(plan --policy "$d/sensitive.yaml" --cost "$tmp/cur.yaml" 2>&1 | cut -c1-60)" \
	"trustmap plan: $tmp/cur.yaml:3:11: currency: a"
grep -v 'camera:' "$d/cost.yaml" > "$tmp/miss.yaml"
eq "missing role" "$(plan --policy "$d/sensitive.yaml" --cost "$tmp/miss.yaml" 2>&1)" \
	"trustmap plan: $tmp/miss.yaml:2:1: roles.camera: missing unit cost"
eq "no policy" "$("$TM" plan --db "$db" 2>&1)" "trustmap plan: --policy FILE is required (one per scenario)"
eq "funded share above 1" "$(plan --policy "$d/sensitive.yaml" --budget-per-year 1 --funded-share 2 2>&1 | head -1)" \
	"trustmap plan: --funded-share takes a number from 0 to 1, not '2'"
plan --policy "$d/sensitive.yaml" --years 0 --budget-per-year 1 > /dev/null 2>&1
eq "years 0" "$?" 2
eq "funded share without a budget" "$(plan --policy "$d/sensitive.yaml" --funded-share 0.5 2>&1 | tail -1)" \
	"trustmap plan: --funded-share, --core-first, --items and --paths-to need --budget-per-year"

finish plan.sh
