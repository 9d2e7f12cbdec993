#!/usr/bin/env bash
# audit.sh - trustmap audit end to end on a hand-made inventory
# (tests/data/audit): a government polygon with a hole, a base circle, a tag
# zone; FCC role limits; an exception before and after its expiry; an
# effective date; confidence thresholds and suspects; share caps by devices
# and by sites; the summary; exit statuses 0, 1 and 2; bad policies named
# by file:line:column.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
d=tests/data/audit
db=$tmp/a.db
"$TM" import --db "$db" "$d/inv.csv" > /dev/null 2>&1
audit() { "$TM" audit --db "$db" "$@"; }
findings() { # DATE [ARGS]: "rule:asset:zone:severity" per finding
	audit --policy "$d/policy.yaml" --date "$@" --format jsonl --evidence 0 |
		rows 'r["rule"]+":"+r["asset"]+":"+r["zone"]+":"+r["severity"]'
}

# before the exception expires: A1 in the government quarter, A3 inside the
# base circle; A6 sits in the quarter's hole, A4 is a Hikvision router (the
# FCC list names Hikvision for video only), A7 is excepted by its site, the
# everywhere rule is not in force yet
eq "findings on 2026-11-29" "$(findings 2026-11-29)" \
	"no-high-risk-near-gov:A1:gov/Government quarter:critical no-high-risk-near-gov:A3:base:critical"
audit --policy "$d/policy.yaml" --date 2026-11-29 > /dev/null 2>&1
eq "exit status with findings" "$?" 1
eq "suppressed by the exception" "$(audit --policy "$d/policy.yaml" --date 2026-11-29 | tail -1 | grep -o '[0-9]* suppressed')" "1 suppressed"

# after 2027-01-01: the everywhere rule warns for every listed device; the
# exception has expired, so A7 is a finding again and the exception is one too
# (most severe first, then by kind, asset and rule)
eq "findings on 2027-01-02" "$(findings 2027-01-02)" \
	"no-high-risk-near-gov:A1:gov/Government quarter:critical no-high-risk-near-gov:A3:base:critical no-high-risk-near-gov:A7:gov/Government quarter:critical everywhere-2027:A1:gov/Government quarter:medium everywhere-2027:A3:base:medium everywhere-2027:A5::medium everywhere-2027:A6::medium everywhere-2027:A7:gov/Government quarter:medium no-high-risk-near-gov:::medium"
eq "expired exception named" "$(audit --policy "$d/policy.yaml" --date 2027-01-02 --format jsonl | rows 'r["why"]' 'r["finding"]=="exception-expired"')" \
	"exception expired 2026-12-31 ($d/policy.yaml:26): lab network, air-gapped"

# the evidence chain says why the asset is that vendor
eq "evidence chain" "$(audit --policy "$d/policy.yaml" --date 2026-11-29 --format jsonl --evidence 2 | rows 'r["evidence"]' 'r["asset"]=="A1"')" \
	'inventory_vendor declared:inventory="Huawei" -> huawei (medium); inventory_model declared:rule:huawei-model-router="AR2220" -> huawei (medium)'

# confidence: the inventory's word is 0.55; above that threshold nothing is
# a finding, and the suspects list shows what could hide behind it
eq "no findings above the threshold" "$(findings 2026-11-29 --min-confidence 0.6)" ""
audit --policy "$d/policy.yaml" --date 2026-11-29 --min-confidence 0.6 > /dev/null 2>&1
eq "exit status when clean" "$?" 0
eq "suspects" "$(audit --policy "$d/policy.yaml" --date 2026-11-29 --min-confidence 0.6 --suspects --format jsonl |
	rows 'r["asset"]+":"+r["finding"]+":"+r["why"].split("; ")[-1]')" \
	"A1:suspect:confidence below threshold A3:suspect:confidence below threshold"

# summary by operator, region, zone and rule
eq "summary" "$(audit --policy "$d/policy.yaml" --date 2027-01-02 --summary --format csv)" "by,value,findings,critical,high,medium,low,assets
operator,OpA,7,3,0,4,0,3
operator,OpB,2,0,0,2,0,2
region,Mazowieckie,9,3,0,6,0,5
zone,-,3,0,0,3,0,2
zone,base,2,1,0,1,0,1
zone,gov/Government quarter,4,2,0,2,0,2
rule,everywhere-2027,5,0,0,5,0,5
rule,no-high-risk-near-gov,4,3,0,1,0,3"

# share caps: OpA has 3 of 5 devices (60 %) and 3 of 3 sites from the list;
# OpB's one switch is Huawei against a cap of 0
eq "share caps" "$(audit --policy "$d/share.yaml" --date 2026-11-29 --format jsonl | rows 'r["rule"]+":"+r["operator"]+":"+r["why"]')" \
	"opa-device-cap:OpA:60.0% of devices from list high-risk (3 of 5) > cap 50.0% opb-zero:OpB:100.0% of devices from list high-risk (1 of 1) > cap 0.0% opa-site-cap:OpA:100.0% of sites from list high-risk (3 of 3) > cap 90.0%"

# errors: exit status 2 and a message naming file:line:column and the field
printf 'version: 1\nlists: {a: {include: fcc-covered}}\nrules:\n  - {id: r, action: deny, list: a, scope: all, when: 2027-01-01}\n' > "$tmp/bad.yaml"
audit --policy "$tmp/bad.yaml" > "$tmp/out" 2>&1
eq "bad policy: exit 2" "$?" 2
eq "bad policy: message" "$(cat "$tmp/out")" "trustmap audit: $tmp/bad.yaml:4:48: rules[0]: unknown key \"when\""
printf 'version: 1\nlists: {a: {include: fcc-covered}}\nzones:\n  - {name: z, geojson: missing.geojson}\nrules:\n  - {id: r, action: deny, list: a, scope: {zones: [z]}}\n' > "$tmp/nofile.yaml"
audit --policy "$tmp/nofile.yaml" > "$tmp/out" 2>&1
eq "missing GeoJSON: exit 2" "$?" 2
ok "missing GeoJSON: named" grep -q "missing.geojson" "$tmp/out"
printf '{"type":"Polygon","coordinates":[[[21,52],[22,52],[22,53],[21,52.5]]]}' > "$tmp/open.geojson"
printf 'version: 1\nlists: {a: {include: fcc-covered}}\nzones:\n  - {name: z, geojson: open.geojson}\nrules:\n  - {id: r, action: deny, list: a, scope: {zones: [z]}}\n' > "$tmp/open.yaml"
audit --policy "$tmp/open.yaml" > "$tmp/out" 2>&1
eq "unclosed ring: exit 2" "$?" 2
ok "unclosed ring: file named" grep -q "open.geojson:1:" "$tmp/out"
audit --policy "$d/policy.yaml" --date 2027-02-30 > /dev/null 2>&1
eq "bad --date: exit 2" "$?" 2
# the full example of docs/policy.md loads as written
mkdir -p "$tmp/doc/zones" && cp "$d/gov.geojson" "$tmp/doc/zones/gov.geojson"
awk '/^```yaml/{f=1; next} /^```/{f=0} f' docs/policy.md > "$tmp/doc/policy.yaml"
audit --policy "$tmp/doc/policy.yaml" --date 2026-11-29 > "$tmp/out" 2>&1
ok "docs/policy.md example loads" grep -q "^Operator X, 2027 policy: " "$tmp/out"
# the sample policy installed with the rules loads and finds what it should:
# a Huawei router in the core, a Hikvision camera at a site tagged military,
# and (a warning) a Huawei switch and a Dahua camera on its management
# network (203.0.113.0/24, a documentation range, as the inventory's)
eq "rules/policy-sample.yaml" "$(audit --policy rules/policy-sample.yaml --date 2026-11-29 --format jsonl --evidence 0 |
	rows 'r["rule"]+":"+r["asset"]+":"+r["zone"]')" \
	"sensitive-places:A1:core sensitive-places:A3:defence-sites management-plane:A6:management-networks management-plane:A7:management-networks"
finish audit
