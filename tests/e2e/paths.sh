#!/usr/bin/env bash
# paths.sh - trustmap paths end to end on a hand-made topology
# (tests/data/paths: an inventory with declared uplinks, a links CSV with a
# reversed duplicate, a self-loop, a link to an unknown asset and one to an
# unknown MAC), exact answers for every sensitive site (clean, replace with
# the cheapest devices, cut off; the shutdown cut by devices and by cost),
# core selectors, the policy with no sensitive zone, no core matched,
# --strict; then the graph layer against networkx on random topologies of
# up to 2,000 devices (tests/e2e/paths_oracle.py, build/tools/pathq).
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
d=tests/data/paths
db=$tmp/p.db
B=${TM_BUILD:-build}

eq "inventory import" "$("$TM" import --db "$db" "$d/inv.csv" | head -1)" \
	"$d/inv.csv: inventory, 10 records, 30 observations"
"$TM" import --db "$db" "$d/links.csv" > "$tmp/out" 2>&1
eq "links: a self-loop is a bad record" "$?" 2
eq "links: self-loop named" "$(head -1 "$tmp/out")" \
	"trustmap import: $d/links.csv:5:4: a link from ref:C1 to itself"
eq "links import, bad rows skipped" "$("$TM" import --db "$db" --skip-bad "$d/links.csv" | head -1)" \
	"$d/links.csv: links, 6 records, 5 links, 1 skipped (first: $d/links.csv:5:4: a link from ref:C1 to itself)"
eq "links in the store (8 uplinks, 5 from the CSV)" "$(sqlite3 "$db" 'select count(*) from links')" 13
eq "uplinks stored as such" "$(sqlite3 "$db" "select group_concat(a_key || '>' || b_key, ' ') from (select * from links where source = 'uplink' order by a_key)")" \
	"ref:A1>ref:R1 ref:B1>ref:B2 ref:B2>ref:C1 ref:C2>ref:C1 ref:D1>ref:C2 ref:E1>ref:C1 ref:R1>ref:C1 ref:R2>ref:C2"

paths() { "$TM" paths --db "$db" --policy "$d/policy.yaml" "$@"; }

# S1's switch reaches the core only through R1 (Huawei router, 40,000) or
# R2 (ZTE transport, 60,000): replace R1; a shutdown must fail both.  S2
# has a clean path through its own router B2.  S3's only device is itself
# Huawei.  S5's switch has no link at all.  S4 (office, sensitivity 1) is
# not sensitive under a rule from sensitivity 3.
paths --to tag:core > "$tmp/table" 2> "$tmp/err"
eq "exit status 1 when a site has no clean path" "$?" 1
eq "table" "$(cat "$tmp/table")" "site  zone      sensitivity  devices  status   replace_cost  replace  cut_value  cut
S1    military  4            1        replace  40000.00      R1       2          R1;R2
S2    military  4            2        clean    0.00                              
S3    gov       3            1        replace  8000.00       D1       1          D1
S5    military  4            1        cut-off                                    

4 sensitive sites: 1 clean, 2 need replacements (48000.00 in all), 1 cut off, 0 without devices; 10 devices (4 restricted, 2 core), 10 links (0 self-loops, 1 duplicates, 2 to unknown assets, 0 seen from a capture point left out)"
eq "unknown assets named" "$(cat "$tmp/err")" \
	"trustmap paths: warning: 2 of 13 links name an asset the store does not have (mac:02:00:00:00:00:99, ref:Z9); they are left out"
eq "jsonl" "$(paths --to tag:core --format jsonl 2>/dev/null)" \
	'{"site":"S1","zone":"military","sensitivity":4,"devices":1,"status":"replace","replace_cost":40000.00,"replace":"R1","cut_value":2,"cut":"R1;R2"}
{"site":"S2","zone":"military","sensitivity":4,"devices":2,"status":"clean","replace_cost":0.00,"replace":"","cut_value":null,"cut":""}
{"site":"S3","zone":"gov","sensitivity":3,"devices":1,"status":"replace","replace_cost":8000.00,"replace":"D1","cut_value":1,"cut":"D1"}
{"site":"S5","zone":"military","sensitivity":4,"devices":1,"status":"cut-off","replace_cost":null,"replace":"","cut_value":null,"cut":""}'
eq "cut weighed by cost, core by asset ids" "$(paths --to asset:C1,asset:C2 --cut-by cost --format csv 2>/dev/null)" \
	"site,zone,sensitivity,devices,status,replace_cost,replace,cut_value,cut
S1,military,4,1,replace,40000.00,R1,100000.00,R1;R2
S2,military,4,2,clean,0.00,,,
S3,gov,3,1,replace,8000.00,D1,8000.00,D1
S5,military,4,1,cut-off,,,,"
# --summary: the counts under the table, as a table of their own in every format
eq "summary jsonl" "$(paths --to tag:core --summary --format jsonl 2>/dev/null)" \
	'{"policy":"paths test policy","sensitive_sites":4,"clean":1,"replace":2,"replace_cost":48000.00,"cut_off":1,"no_devices":0,"devices":10,"restricted":4,"core":2,"links":10,"self_loops":0,"duplicates":1,"unknown_links":2,"capture_links":0}'
eq "summary csv" "$(paths --to tag:core --summary --format csv 2>/dev/null)" \
	"policy,sensitive_sites,clean,replace,replace_cost,cut_off,no_devices,devices,restricted,core,links,self_loops,duplicates,unknown_links,capture_links
paths test policy,4,1,2,48000.00,1,0,10,4,2,10,0,1,2,0"
eq "summary table" "$(paths --to tag:core --summary 2>/dev/null | tail -1 | tr -s ' ')" \
	"paths test poli~ 4 1 2 48000.00 1 0 10 4 2 10 0 1 2 0"
eq "core by site" "$(paths --to site:DC --format csv 2>/dev/null | md5sum)" "$(paths --to tag:core --format csv 2>/dev/null | md5sum)"
# the core itself may be restricted: with R1 as the core every path ends on
# it, so it is always replaced; of two cuts of equal weight the one nearest
# the site is named (S3: its own D1, not R1); lists are in asset id order
eq "restricted core device" "$(paths --to asset:R1 --format csv 2>/dev/null | cut -d, -f1,5-)" \
	"site,status,replace_cost,replace,cut_value,cut
S1,replace,40000.00,R1,1,R1
S2,replace,40000.00,R1,1,R1
S3,replace,48000.00,R1;D1,1,D1
S5,cut-off,,,,"

# --cost: devices priced by a cost model, as trustmap plan prices them: the
# default model's router 60,000 + 2,500 labour (R1), switch 15,000 + 2,500
# (D1), no region factor; a model with its own figures moves them
eq "priced by the default cost model" "$(paths --to tag:core --cost rules/cost-default.yaml --format csv 2>/dev/null | cut -d, -f1,5-7)" \
	"site,status,replace_cost,replace
S1,replace,62500.00,R1
S2,clean,0.00,
S3,replace,17500.00,D1
S5,cut-off,,"
sed -e 's/^labour_per_device: .*/labour_per_device: 100/' -e 's/^  router: .*/  router: {unit: 1000, weight: 8}/' \
	rules/cost-default.yaml > "$tmp/cost.yaml"
eq "priced by another model" "$(paths --to tag:core --cost "$tmp/cost.yaml" --summary --format csv 2>/dev/null | cut -d, -f5)" \
	"replace_cost
16200.00"
paths --to tag:core --cost "$tmp/nope.yaml" > /dev/null 2> "$tmp/err"
eq "a missing cost model: exit 2" "$?" 2
ok "a missing cost model: named" grep -q "trustmap paths: .*nope.yaml" "$tmp/err"

# a policy whose only sensitive site has a clean path: exit 0
printf 'version: 1\nlists: {high-risk: {include: [fcc-covered]}}\nzones:\n  - {name: z, sites: [S2], sensitivity: 5}\nrules:\n  - {id: r, action: deny, list: high-risk, scope: {zones: [z]}}\n' > "$tmp/s2.yaml"
eq "only S2 sensitive" "$("$TM" paths --db "$db" --policy "$tmp/s2.yaml" --to tag:core --format csv 2>/dev/null | cut -d, -f1,5)" "site,status
S2,clean"
"$TM" paths --db "$db" --policy "$tmp/s2.yaml" --to tag:core > /dev/null 2>&1
eq "exit status 0 when every sensitive site is clean" "$?" 0

# bad input
"$TM" paths --db "$db" --policy "$d/none.yaml" --to tag:core > "$tmp/out" 2> "$tmp/err"
eq "no sensitive zone: exit 0" "$?" 0
eq "no sensitive zone: message" "$(tail -1 "$tmp/err")" 'trustmap paths: no sensitive sites under policy "no zones": nothing to do'
eq "no sensitive zone: no table" "$(cat "$tmp/out")" ""
# the inventory's declared role wins over an observed or model role (C1, C2: core-router, not router)
eq "core by declared role" "$(paths --to role:core-router --format csv 2>/dev/null | md5sum)" "$(paths --to tag:core --format csv 2>/dev/null | md5sum)"
paths --to role:olt > /dev/null 2> "$tmp/err"
eq "no core matched: exit 2" "$?" 2
eq "no core matched: message" "$(tail -1 "$tmp/err")" 'trustmap paths: no core matched "role:olt" among 10 devices'
paths --to tag:core --strict > /dev/null 2> "$tmp/err"
eq "--strict: exit 2" "$?" 2
eq "--strict: message" "$(cat "$tmp/err")" \
	"trustmap paths: 2 of 13 links name an asset the store does not have (mac:02:00:00:00:00:99, ref:Z9)"
paths --to core > /dev/null 2> "$tmp/err"
eq "bad selector: exit 2" "$?" 2
eq "bad selector: message" "$(cat "$tmp/err")" \
	'trustmap paths: bad core selector "core": role:NAME, site:ID, tag:TAG or asset:ID'
paths > /dev/null 2>&1
eq "no --to: exit 2" "$?" 2
paths --to tag:core --cut-by money > /dev/null 2>&1
eq "bad --cut-by: exit 2" "$?" 2

# an empty store: no devices, so no core
"$TM" paths --db "$tmp/empty.db" --policy "$d/policy.yaml" --to tag:core > /dev/null 2> "$tmp/err"
eq "empty store: nothing sensitive" "$?" 0

# what sniff records as "seen from a capture point" is no device link
cp "$db" "$tmp/cap.db"
sqlite3 "$tmp/cap.db" "insert into links (a_key, a_port, b_key, b_port, source, first_seen, last_seen) values ('ref:F1', 'Gi0/1', 'capture:tap.pcap', '', 'lldp', 0, 0)"
eq "capture point left out" "$("$TM" paths --db "$tmp/cap.db" --policy "$d/policy.yaml" --to tag:core 2>/dev/null | tail -1 | grep -o '[0-9]* seen from a capture point')" \
	"1 seen from a capture point"

# the graph layer against networkx
if [ -x "$B/tools/pathq" ] && python3 -c 'import networkx' 2>/dev/null; then
	python3 tests/e2e/paths_oracle.py "$B/tools/pathq" "${PATHS_ORACLE_GRAPHS:-60}" 6 > "$tmp/oracle" 2>&1
	st=$?
	line=$(grep -E '^paths_oracle: [0-9]+ passed' "$tmp/oracle")
	p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')
	f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
	pass=$((pass + ${p:-0})); failn=$((failn + ${f:-1}))
	[ "$st" = 0 ] || { grep FAIL "$tmp/oracle" | head -20 >&2; }
	grep -E 'queries on' "$tmp/oracle" >&2
else
	skip "networkx oracle: $B/tools/pathq or python3-networkx missing"
fi
finish paths
