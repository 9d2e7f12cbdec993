#!/usr/bin/env bash
# scan.sh - trustmap scan end to end on loopback only: device-like services
# (tests/e2e/scan_srv.py) on 127.0.0.1-3 are found and attributed to the
# exact vendors; hostile banners never reach the terminal raw; --dry-run's
# order is repeatable for a seed, shards are disjoint and complete, and
# excludes are never violated.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
db=$tmp/s.db

ssh=$(free_port) http=$(free_port) upnp=$(free_port)
free_udp() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
snmp=$(free_udp) ssdp=$(free_udp)
https=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/k.pem" -out "$tmp/c.pem" -days 30 \
	-subj "/C=CN/O=ZTE Corporation/CN=ZTE-F660" 2>/dev/null
python3 tests/e2e/scan_srv.py "$ssh" "$http" "$snmp" "$ssdp" "$upnp" "$https" "$tmp/c.pem" "$tmp/k.pem" \
	>"$tmp/srv.out" 2>&1 &
srv=$!
cleanup_hooks+=("kill $srv 2>/dev/null")
for _ in $(seq 50); do grep -q ready "$tmp/srv.out" 2>/dev/null && break; sleep 0.1; done

# ---- a real scan ----
ok "scan runs" "$TM" scan --db "$db" -p "$ssh:ssh,$http:http" --read-timeout 1000 --seed 5 \
	127.0.0.1 127.0.0.2 127.0.0.3 >"$tmp/out" 2>"$tmp/err"
eq "summary: cisco" "$(awk '$1 == "cisco" {print $2}' "$tmp/out")" "1"
eq "summary: huawei" "$(awk '$1 == "huawei" {print $2}' "$tmp/out")" "1"
eq "summary line" "$(grep -c '^scanned 6 pairs.*5 answered, 9 observations.*3 assets, 2 attributed' "$tmp/out")" "1"
eq "nothing on stderr (not a terminal)" "$(cat "$tmp/err")" ""
"$TM" assets --db "$db" --format jsonl >"$tmp/assets"
eq "vendors by address" "$(rows 'r["addr"]+"="+r["vendor"]' <"$tmp/assets" | tr ' ' '\n' | sort | tr '\n' ' ')" \
	"127.0.0.1=huawei 127.0.0.2=cisco 127.0.0.3= "
eq "huawei product" "$(rows 'r["product"]' 'r["addr"]=="127.0.0.1"' <"$tmp/assets")" "VRP"
eq "run recorded" "$(sqlite3 "$db" "SELECT kind, n_obs, status FROM runs")" "scan|9|ok"
eq "observations stored" "$(sqlite3 "$db" "SELECT count(*) FROM observations WHERE source = 'scan'")" "9"
eq "hostile banner kept verbatim" \
	"$(sqlite3 "$db" "SELECT kind, probe, flags, length(value) FROM observations WHERE addr = '127.0.0.3'")" \
	"service_response|NULL|0|47"
ok "no escape byte in the summary" bash -c "! grep -q $'\x1b' '$tmp/out'"

# ---- on a terminal: a live line with devices per vendor family ----
if command -v script >/dev/null; then
	script -qc "'$TM' scan --db '$tmp/tty.db' -p '$ssh:ssh,$http:http' --read-timeout 1000 127.0.0.1 127.0.0.2" \
		/dev/null >"$tmp/tty.out" 2>&1
	eq "live line" "$(tr '\r' '\n' <"$tmp/tty.out" | grep -c '^.\[Kscan: 4/4 (100%), .* obs | \(huawei 1, cisco 1\|cisco 1, huawei 1\)')" "1"
else
	skip "no script(1): live line not checked"
fi

# ---- --threads 3: the same observations as one loop ----
ok "threaded scan runs" "$TM" scan --db "$tmp/th.db" --threads 3 -p "$ssh:ssh,$http:http" --read-timeout 1000 \
	127.0.0.1 127.0.0.2 127.0.0.3 >"$tmp/th.out" 2>&1
q="SELECT addr, port, kind, hex(value) FROM observations ORDER BY 1, 2, 3, 4"
eq "threads: same observations" "$(sqlite3 "$tmp/th.db" "$q" | md5sum)" "$(sqlite3 "$db" "$q" | md5sum)"
eq "threads: summary" "$(grep -c '^scanned 6 pairs.*3 assets, 2 attributed' "$tmp/th.out")" "1"

# ---- UDP: SNMP with the second community, SSDP then the UPnP description ----
ok "udp scan runs" "$TM" scan --db "$tmp/u.db" -p "$snmp/udp:snmp,$ssdp/udp:ssdp" --read-timeout 300 --retries 1 \
	--snmp-community public,s3cret 127.0.0.1 127.0.0.4 >"$tmp/u.out" 2>&1
eq "udp observations" "$(sqlite3 "$tmp/u.db" "SELECT addr || ' ' || port || ' ' || kind || '=' || CAST(value AS TEXT) FROM observations
	WHERE kind != 'snmp_sysdescr' ORDER BY addr, kind")" "127.0.0.1 $snmp hostname=ar-paris-01
127.0.0.1 $snmp snmp_sysobjectid=1.3.6.1.4.1.2011.2.224.67
127.0.0.4 $ssdp ssdp_server=Linux/3.0, UPnP/1.0, DH-IPC/1.0
127.0.0.4 $upnp upnp_manufacturer=Hikvision
127.0.0.4 $upnp upnp_model=DS-2CD2042WD-I V5.4.5"
eq "udp vendors" "$("$TM" assets --db "$tmp/u.db" --format jsonl | rows 'r["addr"]+"="+r["vendor"]' | tr ' ' '\n' | sort | tr '\n' ' ')" \
	"127.0.0.1=huawei 127.0.0.4=hikvision "
eq "community never stored" "$(sqlite3 "$tmp/u.db" .dump | grep -c s3cret)" "0"
eq "community never printed" "$(grep -c s3cret "$tmp/u.out")" "0"

# ---- TLS: certificate, then HTTP over it; a TLS probe on an SSH port is malformed ----
"$TM" scan --db "$tmp/t.db" --format jsonl -p "$https:https,$ssh:tls" --read-timeout 1000 127.0.0.5 127.0.0.1 \
	>"$tmp/t.out" 2>&1
eq "tls fingerprint" "$(rows 'str(len(r["value"]))+str(all(c in "0123456789abcdef" for c in r["value"]))' \
	'r["addr"]=="127.0.0.5" and r["kind"]=="tls_sha256"' <"$tmp/t.out")" "64True"
eq "tls observations" "$(rows 'r["kind"]+"="+r["value"]' 'r["addr"]=="127.0.0.5" and r["kind"] not in ("service_response", "tls_sha256")' \
	<"$tmp/t.out")" "tls_subject=/C=CN/O=ZTE Corporation/CN=ZTE-F660 tls_issuer=/C=CN/O=ZTE Corporation/CN=ZTE-F660 http_server=ZTE web server 1.0 ZTE corp 2015. http_title=F660"
eq "tls on ssh: malformed" "$(rows 'r["probe"]+str(r.get("malformed"))' 'r["addr"]=="127.0.0.1"' <"$tmp/t.out")" "TLSSessionReqTrue"
eq "tls vendor" "$("$TM" assets --db "$tmp/t.db" --format jsonl | rows 'r["vendor"]' 'r["addr"]=="127.0.0.5"')" "zte"

# ---- --format jsonl streams observations and nothing else ----
"$TM" scan --db "$tmp/j.db" --format jsonl -p "$ssh:ssh,$http:http" --read-timeout 1000 127.0.0.1 127.0.0.2 \
	>"$tmp/j.out" 2>&1
eq "jsonl lines" "$(wc -l <"$tmp/j.out")" "8"
eq "jsonl kinds" "$(rows 'r["kind"]' <"$tmp/j.out" | tr ' ' '\n' | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')" \
	"http_realm:1 http_server:2 http_title:1 service_response:2 ssh_banner:2 "
eq "jsonl re-imports" "$("$TM" import --db "$tmp/k.db" --type jsonl "$tmp/j.out" | head -1)" \
	"$tmp/j.out: jsonl, 8 records, 8 observations"
eq "no escape byte in jsonl" "$(grep -c $'\x1b' "$tmp/j.out")" "0"

# ---- dry runs: order, shards, excludes ----
"$TM" scan --dry-run --seed 9 -p 22,80,161/udp 127.101.0.0/24 127.102.0.0-127.102.0.99 >"$tmp/d1"
"$TM" scan --dry-run --seed 9 -p 22,80,161/udp 127.101.0.0/24 127.102.0.0-127.102.0.99 >"$tmp/d2"
"$TM" scan --dry-run --seed 10 -p 22,80,161/udp 127.101.0.0/24 127.102.0.0-127.102.0.99 >"$tmp/d3"
eq "dry run size" "$(wc -l <"$tmp/d1")" "$(((256 + 100) * 3))"
eq "dry run pairs unique" "$(sort -u "$tmp/d1" | wc -l)" "$(((256 + 100) * 3))"
ok "same seed same order" cmp -s "$tmp/d1" "$tmp/d2"
ok "other seed other order" bash -c "! cmp -s '$tmp/d1' '$tmp/d3'"
eq "other seed same set" "$(sort "$tmp/d3" | md5sum)" "$(sort "$tmp/d1" | md5sum)"
eq "dry run line" "$(grep -c '^127.101.0.7 161/udp snmp$' "$tmp/d1")" "1"
for i in 1 2 3 4 5; do
	"$TM" scan --dry-run --seed 9 --shard "$i/5" -p 22,80,161/udp 127.101.0.0/24 127.102.0.0-127.102.0.99 >"$tmp/s$i"
done
eq "shards together are the whole, no overlap" "$(cat "$tmp"/s[1-5] | sort | md5sum)" "$(sort "$tmp/d1" | md5sum)"
eq "shards disjoint" "$(cat "$tmp"/s[1-5] | sort | uniq -d | wc -l)" "0"
eq "shard 1 is every 5th of the order" "$(awk 'NR % 5 == 1' "$tmp/d1" | md5sum)" "$(md5sum <"$tmp/s1")"
printf '# never these\n127.101.0.128/25\n127.102.0.50 # one in a range\n' >"$tmp/excl"
printf '127.101.0.0/24\n# comment\n127.102.0.0-99\n' >"$tmp/targets"
"$TM" scan --dry-run --seed 9 -p 22 -iL "$tmp/targets" --exclude-file "$tmp/excl" --exclude 127.101.0.3 >"$tmp/e"
eq "excluded: none probed" "$(grep -cE '^127\.101\.0\.(1(29|[3-9][0-9])|2[0-9][0-9]|128|3) |^127\.102\.0\.50 ' "$tmp/e")" "0"
eq "excluded: the rest probed" "$(wc -l <"$tmp/e")" "$((128 - 1 + 100 - 1))"
"$TM" scan --dry-run -p 22 127.0.0.0/8 --exclude 0.0.0.0/0 >"$tmp/e2"
eq "exclude everything: nothing" "$(wc -l <"$tmp/e2")" "0"

# ---- refusals ----
"$TM" scan --dry-run -p 1-2 127.0.0.1 >/dev/null 2>"$tmp/r1"
eq "bad port spec" "$(cat "$tmp/r1")" "trustmap scan: ports: bad port in '1-2'"
"$TM" scan --dry-run -p @network 2001:db8::/64 >/dev/null 2>"$tmp/r2"
eq "too large" "$(cat "$tmp/r2")" "trustmap scan: targets: more than 2^40 hosts; split the scan (--shard or smaller ranges)"
"$TM" scan --dry-run -p 22 www.example.com >/dev/null 2>"$tmp/r3"
eq "names not resolved" "$(cat "$tmp/r3")" "trustmap scan: 'www.example.com' is not an address, CIDR or range (names are not resolved)"

finish scan
