#!/usr/bin/env bash
# import.sh - trustmap import/assets/show/identify end to end: a 100,000-row
# inventory round-trips exactly through the store; a bad line rolls a file
# back (or is skipped and counted); the real nmap's XML of device-like
# services on loopback is attributed; the demo's counts; hostile strings
# never reach the terminal raw.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
db=$tmp/t.db

# ---- 100,000-row inventory round trip ----
awk 'BEGIN {
	split("Huawei,ZTE,Cisco,Juniper,Nokia,Ericsson,Hikvision,Arista", v, ",");
	split("router,switch,ran-baseband,camera,ont,firewall", r, ",");
	print "asset_id,site_id,site_name,latitude,longitude,operator,region,vendor,model,role,address,mac,serial";
	for (i = 1; i <= 100000; i++) {
		s = int((i - 1) / 10);
		printf "A%06d,S%05d,\"Site %d, street %d\",%.6f,%.6f,Op%d,R%d,%s,M-%d,%s,127.%d.%d.%d,02:00:%02x:%02x:%02x:%02x,SN%d\n",
			i, s, s, s % 97, 48 + (s % 1000) / 1000.0, 11 + (s % 777) / 1000.0, s % 3, s % 7,
			v[i % 8 + 1], i % 50, r[i % 6 + 1], 16 + int(i / 65536), int(i / 256) % 256, i % 256,
			int(i / 16777216) % 256, int(i / 65536) % 256, int(i / 256) % 256, i % 256, i * 7
	}
}' > "$tmp/inv.csv"
ok "import 100k inventory" "$TM" import --db "$db" "$tmp/inv.csv" >"$tmp/out" 2>&1
eq "import summary" "$(head -1 "$tmp/out")" "$tmp/inv.csv: inventory, 100000 records, 500000 observations"
# rebuild the CSV from the store and compare with the input, row for row
sqlite3 -csv "$db" "
	SELECT o.ref, o.site, s.name, printf('%.6f', s.lat), printf('%.6f', s.lon), s.operator, s.region,
	       max(CASE o.kind WHEN 'inventory_vendor' THEN CAST(o.value AS TEXT) END),
	       max(CASE o.kind WHEN 'inventory_model' THEN CAST(o.value AS TEXT) END),
	       max(CASE o.kind WHEN 'inventory_role' THEN CAST(o.value AS TEXT) END),
	       o.addr, o.mac,
	       max(CASE o.kind WHEN 'inventory_serial' THEN CAST(o.value AS TEXT) END)
	FROM observations o JOIN sites s ON s.id = o.site
	GROUP BY o.ref ORDER BY o.ref" > "$tmp/back.csv"
tail -n +2 "$tmp/inv.csv" | sed 's/\r$//' > "$tmp/want.csv"
ok "100k rows back exactly" cmp -s "$tmp/want.csv" "$tmp/back.csv"
eq "assets listed" "$("$TM" assets --db "$db" --format csv | tail -n +2 | wc -l)" 100000
eq "huawei declared-only assets" "$("$TM" assets --db "$db" --vendor huawei --format csv | tail -n +2 | wc -l)" 12500
eq "site filter" "$("$TM" assets --db "$db" --site S00042 --format csv | tail -n +2 | cut -d, -f2 | tr '\n' ' ')" \
	"mac:02:00:00:00:01:a5 mac:02:00:00:00:01:a6 mac:02:00:00:00:01:a7 mac:02:00:00:00:01:a8 mac:02:00:00:00:01:a9 mac:02:00:00:00:01:aa mac:02:00:00:00:01:ab mac:02:00:00:00:01:ac mac:02:00:00:00:01:ad mac:02:00:00:00:01:ae "

# ---- a bad line rolls the file back, or is skipped and counted ----
db2=$tmp/bad.db
printf 'asset_id,site_id,vendor,mac\nB1,S1,Huawei,00:e0:fc:00:00:01\nB2,S1,ZTE,zz:zz\nB3,S1,Cisco,00:00:0c:00:00:03\n' > "$tmp/bad.csv"
"$TM" import --db "$db2" "$tmp/bad.csv" >"$tmp/out" 2>&1
eq "bad line exit status" "$?" 2
ok "bad line named file:line" grep -q "bad.csv:3:" "$tmp/out"
eq "nothing of a rolled-back file stored" "$(sqlite3 "$db2" 'SELECT count(*) FROM observations')" 0
"$TM" import --db "$db2" --skip-bad "$tmp/bad.csv" >"$tmp/out" 2>&1
eq "skip-bad exit status" "$?" 0
ok "skip-bad counted" grep -q "1 skipped" "$tmp/out"
eq "skip-bad kept the good rows" "$("$TM" assets --db "$db2" --format jsonl | rows 'r["vendor"]')" "huawei cisco"

# ---- identify: formats and exit statuses ----
eq "identify jsonl vendor" "$("$TM" identify --mac 00:e0:fc:12:34:56 --format jsonl | python3 -c 'import json,sys; print(json.load(sys.stdin)["vendor"])')" huawei
"$TM" identify --ssh-banner 'SSH-2.0--' >/dev/null
eq "identify weak-only exit 1" "$?" 1
"$TM" identify --no-such-option x >/dev/null 2>&1
eq "identify bad option exit 2" "$?" 2
eq "identify stdin groups by device" "$(printf '%s\n' '{"addr":"127.0.0.9","kind":"ssh_banner","value":"SSH-2.0-Cisco-1.25"}' '{"addr":"127.0.0.9","kind":"mac","value":"00:00:0c:01:02:03"}' '{"addr":"127.0.0.10","kind":"mac","value":"00:e0:fc:01:02:03"}' | "$TM" identify --format jsonl | python3 -c 'import json,sys; print(" ".join(json.loads(l)["device"]+"="+str(json.loads(l)["vendor"]) for l in sys.stdin))')" \
	"ip:/127.0.0.9=cisco ip:/127.0.0.10=huawei"

# ---- the real nmap against device-like services on loopback ----
if command -v nmap >/dev/null && command -v python3 >/dev/null; then
	serve() { # serve ADDR PORT BANNER: a one-banner TCP server, pid in $!
		python3 - "$1" "$2" "$3" <<'PY' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(16); s.settimeout(60)
banner = sys.argv[3].encode().decode("unicode_escape").encode("latin-1")
while True:
    try:
        c, _ = s.accept()
    except socket.timeout:
        break
    try:
        c.sendall(banner)
    except OSError:
        pass
    c.close()
PY
	}
	port=$(free_port)
	serve 127.0.0.1 "$port" 'SSH-2.0-HUAWEI-VRP3.1\r\n'; p1=$!
	serve 127.0.0.2 "$port" 'SSH-2.0-Cisco-1.25\r\n'; p2=$!
	cleanup_hooks+=("kill $p1 $p2 2>/dev/null")
	wait_port 127.0.0.1 "$port" && wait_port 127.0.0.2 "$port"
	nmap -sV -Pn -n -p "$port" 127.0.0.1 127.0.0.2 -oX "$tmp/nmap.xml" >/dev/null 2>&1
	ok "nmap ran" test -s "$tmp/nmap.xml"
	db3=$tmp/nmap.db
	ok "import nmap xml" "$TM" import --db "$db3" "$tmp/nmap.xml" >/dev/null
	eq "nmap-found devices attributed" "$("$TM" assets --db "$db3" --format jsonl | rows 'r["addr"]+"="+r["vendor"]')" \
		"127.0.0.1=huawei 127.0.0.2=cisco"
	eq "evidence names nmap's verdict" "$("$TM" show --db "$db3" "$("$TM" assets --db "$db3" --format jsonl | rows 'r["key"]' 'r["addr"]=="127.0.0.1"')" --format jsonl | rows 'r["says"]' 'r["kind"]=="cpe"')" huawei
else
	skip "nmap or python3 missing: real-nmap import not tested"
fi

# ---- the demo network ----
db4=$tmp/demo.db
"$TM" import --db "$db4" data/demo/inventory.csv data/demo/observations.jsonl >/dev/null
eq "demo: assets on the FCC Covered List" "$("$TM" assets --db "$db4" --list fcc-covered --format jsonl | rows 'r["vendor"]' | tr ' ' '\n' | sort | uniq -c | awk '{printf "%s %s ", $2, $1}')" \
	"dahua 1 hikvision 4 huawei 9 zte 4 "
eq "demo: declared mismatch kept" "$("$TM" assets --db "$db4" --format jsonl | rows 'r["flags"]' 'r["vendor"]=="huawei" and r["declared"]=="cisco"')" declared-mismatch
eq "demo: OEM case" "$("$TM" assets --db "$db4" --format jsonl | rows 'r["vendor"]+"/"+r["component"]' '"oem" in r["flags"]')" "linksys/huawei"
eq "demo: weak hint only" "$("$TM" show --db "$db4" ip:/127.20.9.202 | awk '/^vendor/{print $2}')" unknown
# an inventory row declaring nothing but its id, site and address still names the device found there
printf 'asset_id,address,site_id,latitude,longitude\nINV-9,192.0.2.77,S-NINE,48.1,2.2\n' > "$tmp/bare.csv"
printf '{"time": 1796000000, "source": "scan", "addr": "192.0.2.77", "port": 22, "proto": "tcp", "kind": "ssh_banner", "value": "SSH-2.0-HUAWEI-1.5"}\n' > "$tmp/bare.jsonl"
"$TM" import --db "$tmp/bare.db" "$tmp/bare.csv" "$tmp/bare.jsonl" >/dev/null
eq "bare inventory row: the scanned device keeps its site" \
	"$("$TM" assets --db "$tmp/bare.db" --format jsonl | rows 'r["addr"]+"="+r["vendor"]+"/"+r["site"]')" \
	"192.0.2.77=huawei/S-NINE"
eq "bare inventory row: and its inventory id" \
	"$("$TM" show --db "$tmp/bare.db" ip:/192.0.2.77 --format jsonl | rows 'r["value"]' 'r["kind"]=="inventory_asset"')" INV-9
# users' own lists
printf 'list no-cn-cameras\n    date     2024-01-01\n    member   hikvision\n    member   dahua\n' > "$tmp/my.tm"
eq "demo: a user's list" "$("$TM" assets --db "$db4" --lists "$tmp/my.tm" --list no-cn-cameras --format jsonl | rows 'r["vendor"]' | tr ' ' '\n' | sort | uniq -c | awk '{printf "%s %s ", $2, $1}')" \
	"dahua 1 hikvision 4 "
"$TM" assets --db "$db4" --list no-such-list >/dev/null 2>&1
eq "unknown list exit 2" "$?" 2
# hostile strings: no raw escape byte reaches the terminal, CSV or JSON
for f in table csv jsonl; do
	"$TM" show --db "$db4" ip:/127.20.9.203 --format $f > "$tmp/h.$f"
	ok "no ESC byte in show --format $f" sh -c "! grep -q \$(printf '\\033') '$tmp/h.$f'"
done
ok "escaped in table" grep -qF "<script>alert('x')</script>\\x1b[31mrouter" "$tmp/h.table"
finish import
