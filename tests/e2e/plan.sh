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

# Clean-path work packages (--paths-to; tests/data/plan/topo*: 8 devices,
# core C1 at DC; H1 Huawei router at AGG1 and H2 ZTE core router at AGG2
# are restricted but no findings; military sites S1 A1 Huawei switch -> H1,
# S2 B1 ZTE switch -> H1 (and -> H2) with D1 Huawei camera -> B1, S4 E1
# clean -> C1, S5 F1 clean -> H1).  The rule bites on 2028-01-01, so the
# paths are those of the policy then, and every deadline is 2027.
# Findings A1 600, B1 600, D1 300 (+ labour); overheads 1000 a site shared
# by the devices done there: A1 1600 (S1), B1 1100 and D1 800 (S2), H1
# 1100 + 1000 = 2100 (AGG1).  S1's path needs A1 and H1: one package
# 3700, weight 4 + 8 = 12, at two sites, so it carries both visits (pkg:S1,
# 100).  S2's path needs B1 and H1; H1 went to S1 (first by site id), so
# S2's package is B1 alone (1100, weight 4, at S2, shared 1); D1 is not on
# a path and stays an item of its own at S2.  S5's path is H1 alone:
# inside S1's package.  With 4000 a year for three years: S1's package in
# 2026 (3800: value 12 x 3 = 36), D1 and S2's package in 2027 (800 + 1100 +
# one visit of S2, 1950: (2 + 4) x 2 = 12): 48; the other order gives 42.
"$TM" import --db "$tmp/t.db" "$d/topo.csv" "$d/topo-links.csv" > /dev/null 2>&1
tplan() { "$TM" plan --db "$tmp/t.db" --policy "$d/topo.yaml" --cost "$d/cost.yaml" --date 2026-11-29 \
	--budget-per-year 4000 --start-year 2026 --years 3 "$@"; }
tphases() { tplan --paths-to tag:core "$@" --format jsonl |
	rows 'r["phase"]+":"+str(r["items"])+":"+str(r["packages"])+":"+str(r["sites"])+":"+str(r["spend"])+":"+str(r["value"])' '"phase" in r and r["phase"]!="unplaced"'; }
eq "packages: phases" "$(tphases)" "1:1:1:1:3800.0:36.0 2:2:1:1:1950.0:12.0 3:0:0:0:0.0:0.0 total:3:2:2:5750.0:48.0"
eq "packages: items" "$(tplan --paths-to tag:core --items --format jsonl |
	rows 'r["asset"]+"@"+r["site"]+":"+r["role"]+":"+r["package"]+":"+str(r["cost"])+":"+str(r["weight"])+":"+str(r["devices"])+":"+str(r["not_findings"])+":"+str(r["shared"])+":"+str(r["deadline_year"])+":"+str(r["year"])' '"asset" in r')" \
	"D1@S2:camera::800.0:2:1:0:0:2027:2027 H1;A1@pkg:S1:package:S1:3700.0:12:2:1:0:2027:2026 B1@S2:package:S2:1100.0:4:1:0:1:2027:2027"
eq "packages: note" "$(tplan --paths-to tag:core --format jsonl | rows 'r["note"]' 'r.get("phase")=="total"')" \
	"exact optimum; every deadline met; clean paths: 3 of 4 sensitive sites need replacements: 2 packages (1 devices not findings), 1 inside earlier packages"
# the inventory's declared role selects the core (H2, a restricted core router, is core too: same plan)
eq "packages: core by declared role" "$(tphases --paths-to role:core-router)" "$(tphases)"
# without packages: three items, A1 1600 at S1, B1 1100 and D1 800 at S2
eq "no packages: items" "$(tplan --items --format jsonl | rows 'r["asset"]+":"+str(r["cost"])+":"+str(r["year"])+":"+r["package"]' '"asset" in r')" \
	"A1:1600.0:2026: B1:1100.0:2026: D1:800.0:2026:"
# the same tables in CSV and as a table: the same figures
eq "packages: csv" "$(tplan --paths-to tag:core --format csv | grep -E '^military sites by 2028,(1|total),' | cut -d, -f2-11)" \
	"1,2026,1,1,1,3800.00,4000.00,12.00,36.00,1
total,,3,2,2,5750.00,12000.00,18.00,48.00,3"
eq "packages: csv items" "$(tplan --paths-to tag:core --items --format csv | grep -E '^military sites by 2028,H1;A1,' | cut -d, -f2-)" \
	"H1;A1,pkg:S1,package,0,declared-only,3700.00,12,2028-01-01,2027,1,2026,S1,2,1,0,EUR"
eq "packages: table" "$(tplan --paths-to tag:core | grep -E '^military sites by 2~  (1|2) ' | tr -s ' ' | cut -d' ' -f5-12)" \
	"1 2026 1 1 1 3800.00 4000.00 12.00
2 2027 2 1 1 1950.00 4000.00 6.00"
# funded at half: 2000 a year; S1's package (3800 with its visits) fits no year
eq "packages: funded at 50%" "$(tplan --paths-to tag:core --funded-share 0.5 --format jsonl | rows 'r["note"]' 'r.get("phase")=="total"' | grep -o 'short by [0-9.]* EUR.*blocked by funding')" \
	"short by 1800.00 EUR; funded at 50%: 1 items (3700.00 EUR, risk 12.00, 1 of them due) blocked by funding"
# core first: S1's package holds a router (core), so it leads; the same best plan
eq "packages: core first" "$(tphases --core-first | tr ' ' '\n' | grep total)" "total:3:2:2:5750.0:48.0"
eq "scenario table: csv" "$(tplan --format csv | head -4)" "section,key,measure,military sites by 2028,unit
total,,assets,3,
total,,sites,2,
total,,cost,3600.00,EUR"
eq "scenario table: table" "$(tplan | sed -n 4p | tr -s ' ')" "total cost 3600.00 EUR"
# the currency on every money row, in every table
eq "currency: scenario table" "$(tplan --format jsonl | rows 'r["key"]+"/"+r["measure"]+"="+r["unit"]' 'r.get("section") in ("total","operator") and r["key"] in ("","-")' )" \
	"/assets= /sites= /cost=EUR -/assets= -/cost=EUR -/network= -/share=share"
eq "currency: plan table" "$(tplan --format jsonl | rows 'r["currency"]' 'r.get("phase")=="total"')" "EUR"
# bad input: no core matched; a policy with no sensitive zone (no packages, the same plan)
tplan --paths-to role:olt > /dev/null 2> "$tmp/err"
eq "packages: no core matched: exit 2" "$?" 2
eq "packages: no core matched: message" "$(tail -1 "$tmp/err")" \
	'trustmap plan: military sites by 2028: no core matched "role:olt" among 8 devices'
tplan --paths-to core > /dev/null 2> "$tmp/err"
eq "packages: bad selector" "$(tail -1 "$tmp/err")" \
	'trustmap plan: military sites by 2028: bad core selector "core": role:NAME, site:ID, tag:TAG or asset:ID'
printf 'version: 1\nname: all now\nlists:\n  l:\n    members: [huawei, zte]\nrules:\n  - id: all\n    action: deny\n    list: l\n    scope: all\n' > "$tmp/allnow.yaml"
eq "packages: no sensitive site" "$("$TM" plan --db "$tmp/t.db" --policy "$tmp/allnow.yaml" --cost "$d/cost.yaml" --date 2026-11-29 \
	--budget-per-year 1e6 --start-year 2026 --years 2 --paths-to tag:core --format jsonl 2>"$tmp/err" | rows 'str(r["items"])+":"+str(r["packages"])' 'r.get("phase")=="total"')" "5:0"
eq "packages: no sensitive site: message" "$(cat "$tmp/err")" \
	'trustmap plan: no sensitive sites under policy "all now": no clean-path packages'

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
