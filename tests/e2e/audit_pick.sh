#!/usr/bin/env bash
# audit_pick.sh - the audit reads only the assets a rule could find (and
# their sites) when the store can pick them, and everything otherwise (a
# share cap in force, TRUSTMAP_AUDIT_READ_ALL=1, a backend without the pick):
# the same findings, suspects and summary byte for byte either way, over
# tests/data/audit's inventory and policies (polygon, circle and tag zones,
# FCC role limits, an exception before and after its expiry, share caps)
# and the sample policy (CIDR and role zones); the stats line says how many
# were read.  On PostgreSQL (tests/e2e/pg.bash; skipped when no server
# starts) the same output as on SQLite.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
. tests/e2e/pg.bash
d=tests/data/audit
db=$tmp/a.db
"$TM" import --db "$db" "$d/inv.csv" > /dev/null 2>&1
# every way of reading: FINDINGS-ARGS...
out() { "$TM" audit --db "$db" --format csv --evidence 2 "$@" 2>&1; echo "exit $?"; }
same() { # DESCRIPTION ARGS...: picked and read whole give the same bytes
	local what=$1
	shift
	out "$@" > "$tmp/pick.csv"
	TRUSTMAP_AUDIT_READ_ALL=1 out "$@" > "$tmp/all.csv"
	ok "$what: the same output picked and read whole" cmp "$tmp/pick.csv" "$tmp/all.csv"
	ok "$what: not empty" grep -q "^exit [01]$" "$tmp/pick.csv"
}
for day in 2026-11-29 2027-01-02; do
	same "policy.yaml on $day" --policy "$d/policy.yaml" --date "$day"
	same "policy.yaml on $day, suspects" --policy "$d/policy.yaml" --date "$day" --suspects --min-confidence 0.6
	same "policy.yaml on $day, summary" --policy "$d/policy.yaml" --date "$day" --summary
	same "share.yaml on $day" --policy "$d/share.yaml" --date "$day"
	same "policy-sample.yaml on $day" --policy rules/policy-sample.yaml --date "$day"
done
eq "findings on 2027-01-02 (as audit.sh has them)" \
	"$(out --policy "$d/policy.yaml" --date 2027-01-02 | awk -F, 'NR > 1 && $1 != "exit 1" {print $3 ":" $4}' | tr '\n' ' ')" \
	"no-high-risk-near-gov:A1 no-high-risk-near-gov:A3 no-high-risk-near-gov:A7 everywhere-2027:A1 everywhere-2027:A3 everywhere-2027:A5 everywhere-2027:A6 everywhere-2027:A7 no-high-risk-near-gov: "
# what was read: 5 of the 7 assets (not the Cisco switch, on no list, nor the
# Hikvision router: the FCC lists Hikvision for video only), every site
# holding one; everything when asked, or for a share cap
counts() { "$TM" audit --db "$db" --format csv --stats "$@" 2>&1 > /dev/null | grep -o '[0-9]* assets ([^)]*), [0-9]* sites ([^)]*)'; }
eq "picked: what was read" "$(counts --policy "$d/policy.yaml" --date 2026-11-29)" \
	"7 assets (5 read, 5 placed), 5 sites (5 read, 5 placed)"
eq "read whole: what was read" "$(TRUSTMAP_AUDIT_READ_ALL=1 counts --policy "$d/policy.yaml" --date 2026-11-29)" \
	"7 assets (7 read, 7 placed), 5 sites (5 read, 5 placed)"
eq "a share cap: everything read" "$(counts --policy "$d/share.yaml" --date 2026-11-29)" \
	"7 assets (7 read, 7 placed), 5 sites (5 read, 5 placed)"

# ---- PostgreSQL: the same output (its store reads everything) ----
if ! pg_start; then
	skip "PostgreSQL: $PG_WHY"
else
	url="$PG_URL"
	"$TM" import --db "$url" "$d/inv.csv" > "$tmp/imp.out" 2>&1
	eq "import into PostgreSQL" "$?" 0
	for day in 2026-11-29 2027-01-02; do
		for pol in "$d/policy.yaml" "$d/share.yaml" rules/policy-sample.yaml; do
			out --policy "$pol" --date "$day" > "$tmp/lite.csv"
			"$TM" audit --db "$url" --format csv --evidence 2 --policy "$pol" --date "$day" > "$tmp/pg.csv" 2>&1
			echo "exit $?" >> "$tmp/pg.csv"
			ok "PostgreSQL: ${pol##*/} on $day as on SQLite" cmp "$tmp/lite.csv" "$tmp/pg.csv"
		done
	done
	eq "PostgreSQL: what was read" \
		"$("$TM" audit --db "$url" --format csv --stats --policy "$d/policy.yaml" --date 2026-11-29 2>&1 > /dev/null |
			grep -o '[0-9]* assets ([^)]*), [0-9]* sites ([^)]*)')" \
		"7 assets (7 read, 7 placed), 5 sites (5 read, 5 placed)"
fi
finish audit_pick
