#!/usr/bin/env bash
# version.sh - `trustmap --version` says what the files on disk say: the
# program's VERSION, rules/VERSION, ieee-data's .lastupdate, the newest
# Last-Modified line of Wireshark's manuf, enterprises.tsv's "last updated",
# nmap-service-probes' $Id; the same for files given by the environment
# (dated, undated: their mtime, absent); and every run records that line.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
src=$PWD
field() { awk -v k="$1" '$1==k {$1=""; sub(/^ +/, ""); print}' <<<"$2"; }
ver() { field "$1" "$out" | sed -E 's/ +[^ ]+$//; s/ +$//'; } # version column (path dropped)

out=$("$TM" --version)
eq "program version" "$(head -n 1 <<<"$out")" "trustmap $(cat VERSION)"
eq "rules version" "$(ver rules)" "$(cat rules/VERSION)"
eq "rules path" "$(field rules "$out" | awk '{print $NF}')" "$src/rules"
ieee=/usr/share/ieee-data
if [ -f $ieee/.lastupdate ]; then
	eq "ieee-data date from .lastupdate" "$(ver ieee-data)" "$(date -u -d @"$(cat $ieee/.lastupdate)" +%F)"
else
	skip "no $ieee/.lastupdate"
fi
manuf=/usr/share/wireshark/manuf
if [ -f $manuf ]; then
	want=$(python3 - "$manuf" <<'PY'
import sys, email.utils
best = None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if line.strip() and not line.startswith("#"):
        break
    if "Last-Modified:" in line:
        d = email.utils.parsedate_to_datetime(line.split("Last-Modified:", 1)[1].strip())
        best = d if best is None or d > best else best
print(best.strftime("%Y-%m-%d") if best else "")
PY
)
	[ -n "$want" ] && eq "manuf: newest Last-Modified" "$(ver manuf)" "$want" || skip "manuf without Last-Modified"
else
	skip "no $manuf"
fi
pen=/usr/share/wireshark/enterprises.tsv
if [ -f $pen ]; then
	eq "enterprises.tsv: last updated" "$(ver enterprises.tsv)" "$(grep -m1 -oE 'last updated [0-9-]{10}' $pen | cut -d' ' -f3)"
else
	skip "no $pen"
fi
probes=/usr/share/nmap/nmap-service-probes
if [ -f $probes ]; then
	eq "nmap-service-probes \$Id" "$(ver nmap-service-probes)" "$(grep -m1 -oE '\$Id: [^$]*\$' $probes)"
else
	skip "no $probes"
fi

# the environment's files: dated, undated, absent
printf '# header\n#   Last-Modified: Tue, 02 Jan 2024 10:00:00 GMT\n#   Last-Modified: Wed, 03 Jul 2024 23:59:59 GMT\n00:00:00\tX\n' >"$tmp/manuf"
printf '#\n# (last updated 2023-05-06)\n#\n1\tIBM\n' >"$tmp/pen"
printf '9\tnodate\n' >"$tmp/pen2"
touch -d '2021-02-03 12:00:00 UTC' "$tmp/pen2"
printf '# Nmap service detection probe list -*- mode: fundamental; -*-\n# $Id: nmap-service-probes 1 2001-01-01 00:00:00Z x $\nProbe TCP NULL q||\n' >"$tmp/probes"
mkdir -p "$tmp/ieee" "$tmp/kb"
echo 1700000000 >"$tmp/ieee/.lastupdate"
cp rules/*.tm rules/*.rules "$tmp/kb/"
out=$(TRUSTMAP_MANUF=$tmp/manuf TRUSTMAP_PEN=$tmp/pen TRUSTMAP_NMAP_PROBES=$tmp/probes \
	TRUSTMAP_IEEE_DIR=$tmp/ieee TRUSTMAP_KB_DIR=$tmp/kb "$TM" --version)
eq "env manuf" "$(ver manuf)" "2024-07-03"
eq "env pen" "$(ver enterprises.tsv)" "2023-05-06"
eq "env probes" "$(ver nmap-service-probes)" '$Id: nmap-service-probes 1 2001-01-01 00:00:00Z x $'
eq "env ieee" "$(ver ieee-data)" "2023-11-14"
eq "rules without VERSION" "$(ver rules)" "unversioned"
out=$(TRUSTMAP_PEN=$tmp/pen2 TRUSTMAP_MANUF=$tmp/none "$TM" --version)
eq "undated file: its mtime" "$(ver enterprises.tsv)" "mtime 2021-02-03"
eq "absent file" "$(field manuf "$out")" "absent"

# every run records the same knowledge line
out=$("$TM" --version)
want=$(awk 'NR > 1 {n=$1; $1=""; sub(/^ +/, ""); if ($0 != "absent") sub(/ +[^ ]+$/, ""); printf "%s%s=%s", (NR > 2 ? "; " : ""), n, $0}' <<<"$out")
printf 'asset_id,vendor,address\nA-1,huawei,127.0.0.9\n' >"$tmp/inv.csv"
"$TM" import --db "$tmp/t.db" "$tmp/inv.csv" >/dev/null 2>&1
ok "import" [ $? = 0 ]
eq "the import's run records the knowledge" "$(sqlite3 "$tmp/t.db" 'SELECT kb FROM runs')" "$want"
finish version
