#!/usr/bin/env bash
# sniff.sh - trustmap sniff on captures the test writes itself
# (tests/e2e/sniff_gen.py): every link type (Ethernet, SLL, SLL2, raw IP) in
# pcap and pcapng gives the exact observations; stdin "-"; VLAN stacks and
# 65,535 nested tags; broken files (truncated, wrong magic, lying record
# length, empty) name the file and packet, keep what came before and exit 1;
# --stats counts exact per decoder; malformed messages rate-limited;
# observations streamed as JSON Lines while the capture is still coming;
# repeats deduplicated; LLDP links stored; peak memory flat from 10k to 1M
# tiny TCP flows.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
if [ ! -x "$TM" ]; then echo "sniff: $TM not built"; exit 2; fi
python3 tests/e2e/sniff_gen.py "$tmp" || { echo "sniff: generator failed"; exit 2; }
S() { "$TM" sniff --no-nmap "$@"; }
db() { sqlite3 "$1" "$2"; }

# ---- link types, pcap and pcapng: exact observations ----
arp_obs='02:00:00:00:00:01|-|mac 02:00:00:00:00:01|192.0.2.1|mac'
for lt in eth sll sll2; do
	for ext in pcap pcapng; do
		S --db "$tmp/$lt$ext.db" --format jsonl "$tmp/$lt.$ext" > "$tmp/out.jsonl" 2> "$tmp/err"
		eq "$lt.$ext exit status" "$?" 0
		eq "$lt.$ext observations" "$(rows 'r.get("mac")+"|"+r.get("addr","-")+"|"+r["kind"]' < "$tmp/out.jsonl" | tr ' ' '\n' | sort | tr '\n' ' ')" \
			"02:00:00:00:00:01|-|mac 02:00:00:00:00:01|192.0.2.1|mac "
		eq "$lt.$ext nothing on stderr" "$(cat "$tmp/err")" ""
		eq "$lt.$ext stored" "$(db "$tmp/$lt$ext.db" "select mac||'|'||addr||'|'||kind||'|'||cast(value as text)||'|'||time||'|'||source from observations order by id")" \
			"02:00:00:00:00:01||mac|02:00:00:00:00:01|10|sniff
02:00:00:00:00:01|192.0.2.1|mac|02:00:00:00:00:01|10|sniff"
	done
done
for f in raw.pcap raw.pcapng ipv4.pcap; do
	S --db "$tmp/raw.db" --format jsonl "$tmp/$f" > "$tmp/out.jsonl"
	eq "$f exit status" "$?" 0
	eq "$f SSDP over raw IP" "$(rows 'r["addr"]+"|"+str(r["port"])+"|"+r["proto"]+"|"+r["kind"]+"|"+r["value"]' < "$tmp/out.jsonl")" \
		"192.0.2.9|1900|udp|ssdp_server|Linux/4.9 UPnP/1.0 TestCam/2.1 192.0.2.9|1900|udp|ssdp_usn|uuid:1234"
done
S --db "$tmp/nsec.db" --format jsonl "$tmp/eth_nsec.pcap" > "$tmp/out.jsonl"
eq "nanosecond pcap" "$(rows 'r["kind"]+"|"+str(r["time"])' 'r.get("addr")' < "$tmp/out.jsonl")" "mac|10"
eq "run recorded" "$(db "$tmp/ethpcap.db" "select kind||'|'||status||'|'||n_obs||'|'||args from runs")" \
	"sniff|ok|2|--no-nmap --db $tmp/ethpcap.db --format jsonl $tmp/eth.pcap"

# ---- IPv6: a reordered, retransmitted TCP flow, an extension header, DHCPv6; CDP over LLC/SNAP ----
S --db "$tmp/v6.db" --format jsonl "$tmp/v6.pcapng" > "$tmp/out.jsonl"
eq "v6 exit status" "$?" 0
eq "v6 observations" "$(rows 'r["kind"]+"|"+r["addr"]+"|"+str(r.get("port",0))+"|"+r["value"]' '"addr" in r' < "$tmp/out.jsonl")" \
	"ssh_banner|2001:db8::2|22|SSH-2.0-V6Test_2.0 ssdp_server|2001:db8::9|1900|Linux/5 UPnP/1.0 V6Cam/1 ssdp_usn|2001:db8::9|1900|uuid:v6 mac|fe80::7|0|02:00:00:00:00:07 dhcp_vendor_class|fe80::7|0|huawei-test dhcp_enterprise|fe80::7|0|2011 cdp_device_id|192.0.2.8|0|sw-cdp cdp_platform|192.0.2.8|0|cisco WS-C2960X-48FPD-L mac|192.0.2.8|0|02:00:00:00:00:08"
eq "CDP over SNAP" "$(db "$tmp/v6.db" "select kind||'|'||addr||'|'||cast(value as text) from observations where kind like 'cdp%' order by kind")" \
	"cdp_device_id|192.0.2.8|sw-cdp
cdp_platform|192.0.2.8|cisco WS-C2960X-48FPD-L"

# ---- standard input ----
S --db "$tmp/stdin.db" --format jsonl - < "$tmp/eth.pcapng" > "$tmp/out.jsonl"
eq "stdin exit status" "$?" 0
eq "stdin observations" "$(rows 'r["kind"]+"|"+r.get("addr","-")' < "$tmp/out.jsonl")" "mac|- mac|192.0.2.1"
cat "$tmp/sll2.pcap" | S --db "$tmp/stdin.db" --format jsonl - > "$tmp/out.jsonl"
eq "stdin from a pipe" "$(rows 'r["kind"]+"|"+r.get("addr","-")' < "$tmp/out.jsonl")" "mac|- mac|192.0.2.1"

# ---- VLAN stacks: 1, 2 (802.1ad + 802.1Q) and 8 tags decode; 9 is malformed ----
S --db "$tmp/vlan.db" --format csv --stats "$tmp/vlan.pcap" > "$tmp/out.csv" 2> "$tmp/err"
eq "vlan exit status" "$?" 0
eq "vlan bindings" "$(db "$tmp/vlan.db" "select addr from observations where addr != '' order by addr" | tr '\n' ' ')" \
	"198.51.100.1 198.51.100.2 198.51.100.3 "
eq "vlan message" "$(cat "$tmp/err")" "$tmp/vlan.pcap: packet 4: ethernet: more than 8 stacked VLAN tags"
eq "vlan counts" "$(grep -E '^(ethernet|arp),' "$tmp/out.csv" | tr '\n' ' ')" "ethernet,4,1 arp,3,0 "

# ---- 65,535 nested tags (cut at the snap length): malformed, the next packet decodes ----
/usr/bin/time -o "$tmp/time" -f '%e' "$TM" sniff --no-nmap --db "$tmp/deep.db" --format csv --stats "$tmp/deep.pcap" > "$tmp/out.csv" 2> "$tmp/err"
eq "deep exit status" "$?" 0
eq "deep message" "$(cat "$tmp/err")" "$tmp/deep.pcap: packet 1: ethernet: more than 8 stacked VLAN tags"
eq "deep counts" "$(grep -E '^(pcap|ethernet|arp),' "$tmp/out.csv" | tr '\n' ' ')" "pcap,2,0 ethernet,2,1 arp,1,0 "
eq "deep: next packet decoded" "$(db "$tmp/deep.db" "select addr from observations where addr != ''")" "198.51.100.6"
ok "deep: fast" python3 -c "import sys; sys.exit(float(open('$tmp/time').read().split()[-1]) > 5)"

# ---- broken files: message naming file and packet, partial results stored, exit 1 ----
S --db "$tmp/trunc.db" "$tmp/trunc.pcap" > /dev/null 2> "$tmp/err"
eq "truncated exit status" "$?" 1
eq "truncated message" "$(cat "$tmp/err")" \
	"$tmp/trunc.pcap: packet 3: pcap: truncated dump file; tried to read 42 captured bytes, only got 32"
eq "truncated: packets 1-2 stored" "$(db "$tmp/trunc.db" "select addr from observations where addr != '' order by addr" | tr '\n' ' ')" \
	"203.0.113.1 203.0.113.2 "
eq "truncated: run status" "$(db "$tmp/trunc.db" "select status||'|'||n_obs from runs")" "error: a capture broke off|4"
ok "truncated: assets built" test "$(db "$tmp/trunc.db" "select count(*) from assets")" -ge 2
S --db "$tmp/magic.db" "$tmp/magic.pcap" > /dev/null 2> "$tmp/err"
eq "wrong magic exit status" "$?" 1
eq "wrong magic message" "$(cat "$tmp/err")" "$tmp/magic.pcap: packet 1: pcap: unknown file format"
S --db "$tmp/lying.db" "$tmp/lying.pcap" > /dev/null 2> "$tmp/err"
eq "lying length exit status" "$?" 1
eq "lying length message" "$(cat "$tmp/err")" \
	"$tmp/lying.pcap: packet 2: pcap: invalid packet capture length 2147483632, bigger than snaplen of 262144"
eq "lying length: packet 1 stored" "$(db "$tmp/lying.db" "select addr from observations where addr != ''")" "203.0.113.1"
S --db "$tmp/empty.db" "$tmp/empty.pcap" > /dev/null 2> "$tmp/err"
eq "empty file exit status" "$?" 1
eq "empty file message" "$(cat "$tmp/err")" \
	"$tmp/empty.pcap: packet 1: pcap: truncated dump file; tried to read 4 file header bytes, only got 0"
S --db "$tmp/missing.db" "$tmp/nonexistent.pcap" > /dev/null 2> "$tmp/err"
eq "missing file exit status" "$?" 1
eq "missing file message" "$(cat "$tmp/err")" "$tmp/nonexistent.pcap: packet 1: pcap: cannot open: No such file or directory"
# a broken file among good ones: the good ones are read whole
S --db "$tmp/mixed.db" "$tmp/eth.pcap" "$tmp/magic.pcap" "$tmp/sll.pcap" "$tmp/trunc.pcap" > /dev/null 2> "$tmp/err"
eq "mixed exit status" "$?" 1
eq "mixed messages" "$(wc -l < "$tmp/err")" 2
eq "mixed: all good data stored" "$(db "$tmp/mixed.db" "select distinct addr from observations where addr != '' order by addr" | tr '\n' ' ')" \
	"192.0.2.1 203.0.113.1 203.0.113.2 "
# a record longer than the file's snap length: cut to it, not an error
S --db "$tmp/over.db" --format csv --stats "$tmp/oversnap.pcap" > "$tmp/out.csv" 2> "$tmp/err"
eq "caplen > snaplen exit status" "$?" 0
eq "caplen > snaplen: cut to the snap length" "$(grep -E '^(pcap|bytes),' "$tmp/out.csv" | tr '\n' ' ')" "pcap,3,0 bytes,148, "

# ---- --stats: exact counts per decoder ----
# (the LLDP frame, sent to 01:80:c2:00:00:0e, gives no frame-source mac: 9 observations, 3 MACs)
S --db "$tmp/counts.db" --format csv --stats "$tmp/counts.pcap" > "$tmp/out.csv" 2> "$tmp/err"
eq "counts exit status" "$?" 0
eq "counts table" "$(sed -n '/^counter,/,$p' "$tmp/out.csv" | tr '\n' ' ')" \
	"counter,count,malformed pcap,18,0 ethernet,18,1 arp,3,0 lldp,1,0 cdp,0,0 ipv4,12,1 ipv6,1,0 tcp,7,0 udp,3,1 dhcp4,2,0 dhcp6,0,0 snmp,0,0 ssdp,0,0 http,0,0 tls,0,0 banner,1,0 packets,18, bytes,1418, fragments,2, flows,1, flows_peak,1, evictions,0, dedup_hits,3, observations,9, links,1, macs,3, "
eq "counts messages" "$(cut -d: -f2- "$tmp/err" | tr '\n' '|')" \
	" packet 9: ipv4: IPv4 header length 60 with 29 bytes captured| packet 10: ethernet: frame of 7 bytes, shorter than an Ethernet header| packet 11: udp: UDP length 4 shorter than its header|"
eq "counts: banner from the flow" "$(db "$tmp/counts.db" "select addr||'|'||port||'|'||kind||'|'||cast(value as text) from observations where kind = 'ssh_banner'")" \
	"192.0.2.2|22|ssh_banner|SSH-2.0-TestSSH_1.0"
eq "counts: source MACs never bound to IPs" "$(db "$tmp/counts.db" "select count(*) from observations where kind = 'mac' and addr != '' and mac = '02:00:00:00:00:02' and addr != '192.0.2.2'")" 0
S --db "$tmp/counts2.db" --format jsonl --stats "$tmp/counts.pcap" > "$tmp/out.jsonl" 2> /dev/null
eq "stats as jsonl" "$(rows 'r["counter"]+"="+str(r["count"])+"/"+str(r["malformed"])' '"counter" in r and r["counter"] in ("tcp","udp")' < "$tmp/out.jsonl")" \
	"tcp=7/0 udp=3/1"
S --db "$tmp/counts3.db" --stats "$tmp/counts.pcap" > "$tmp/out.txt" 2> /dev/null
ok "stats as a table" grep -qE '^ipv4 +12 +1 *$' "$tmp/out.txt"
ok "summary line" grep -q "^sniffed 18 packets (0.0 MB) from 1 capture in .*: 9 observations (3 repeats dropped), 1 links, 3 malformed" "$tmp/out.txt"

# ---- malformed messages: 20, then only counted ----
S --db "$tmp/bad.db" --format csv --stats "$tmp/many_bad.pcap" > "$tmp/out.csv" 2> "$tmp/err"
eq "many bad exit status" "$?" 0
eq "many bad: 20 packet messages" "$(grep -c ': packet [0-9]*: ethernet: frame of 3 bytes' "$tmp/err")" 20
eq "many bad: the rest counted" "$(tail -1 "$tmp/err")" "trustmap sniff: 10 more malformed packets not shown (see --stats)"
eq "many bad: counts" "$(grep -E '^(ethernet|arp),' "$tmp/out.csv" | tr '\n' ' ')" "ethernet,31,30 arp,1,0 "

# ---- JSON Lines streamed while the capture is still coming ----
verdict=$(python3 - "$TM" "$tmp" <<'PY'
import os, select, subprocess, sys, time
tm, d = sys.argv[1], sys.argv[2]
p = subprocess.Popen([tm, "sniff", "--no-nmap", "--db", d + "/stream.db", "--format", "jsonl", "-"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
p.stdin.write(open(d + "/stream_a.bin", "rb").read())
p.stdin.flush()
got = b""
deadline = time.time() + 20
while got.count(b"\n") < 2 and time.time() < deadline:
    r, _, _ = select.select([p.stdout], [], [], 0.5)
    if r:
        got += os.read(p.stdout.fileno(), 65536)
first = got.count(b"\n") == 2 and p.poll() is None and b"192.0.2.2" not in got and b"192.0.2.1" in got
p.stdin.write(open(d + "/stream_b.bin", "rb").read())
p.stdin.close()
rest = p.stdout.read()
p.wait()
print("ok" if first and b"192.0.2.2" in rest and p.returncode == 0 else "streamed=%s rc=%s" % (first, p.returncode))
PY
)
eq "jsonl streamed before the input ends" "$verdict" ok
# SIGTERM while a pipe waits for more: what came is stored, the run is "interrupted", exit 0
verdict=$(python3 - "$TM" "$tmp" <<'PY'
import os, select, signal, subprocess, sys, time
tm, d = sys.argv[1], sys.argv[2]
p = subprocess.Popen([tm, "sniff", "--no-nmap", "--db", d + "/term.db", "--format", "jsonl", "-"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
p.stdin.write(open(d + "/stream_a.bin", "rb").read())
p.stdin.flush()
got = b""
deadline = time.time() + 20
while got.count(b"\n") < 2 and time.time() < deadline:
    r, _, _ = select.select([p.stdout], [], [], 0.5)
    if r:
        got += os.read(p.stdout.fileno(), 65536)
p.send_signal(signal.SIGTERM)
try:
    p.wait(timeout=30)
except subprocess.TimeoutExpired:
    p.kill()
print("rc=%s err=%s" % (p.returncode, p.stderr.read().decode(errors="replace").strip()[:200]))
PY
)
eq "SIGTERM on a waiting pipe" "$verdict" "rc=0 err="
eq "SIGTERM: run interrupted, kept" "$(db "$tmp/term.db" "select status||'|'||n_obs from runs")" "interrupted|2"

# ---- repeats: LLDP every 30 s, ARP 5 times: stored once; one link widened ----
S --db "$tmp/rep.db" --format csv --stats "$tmp/repeats.pcap" > "$tmp/out.csv"
eq "repeats exit status" "$?" 0
# (no frame-source mac from the LLDP frames: the switch is known by what LLDP says)
eq "repeats: distinct observations only" "$(db "$tmp/rep.db" "select count(*), count(distinct kind||mac||addr||port||hex(value)) from observations")" "5|5"
eq "repeats: dedup hits" "$(grep '^dedup_hits,' "$tmp/out.csv")" "dedup_hits,31,"
eq "repeats: LLDP system name once" "$(db "$tmp/rep.db" "select cast(value as text) from observations where kind = 'lldp_sysname'")" "core1"
eq "repeats: one link, first and last seen" \
	"$(db "$tmp/rep.db" "select a_key||'|'||a_port||'|'||b_key||'|'||b_port||'|'||source||'|'||first_seen||'|'||last_seen||'|'||run_id from links")" \
	"mac:02:00:00:00:00:03|ge-0/0/7|capture:$tmp/repeats.pcap||lldp|1000|1270|1"
# the same link from two captures in one run, and again in a second run: one row, widened, first run kept
S --db "$tmp/rep2.db" "$tmp/repeats_a.pcap" > /dev/null
S --db "$tmp/rep2.db" "$tmp/repeats_b.pcap" > /dev/null
eq "links: one row per capture point" "$(db "$tmp/rep2.db" "select b_key||'|'||first_seen||'|'||last_seen||'|'||run_id from links order by b_key" | tr '\n' ' ')" \
	"capture:$tmp/repeats_a.pcap|1000|1180|1 capture:$tmp/repeats_b.pcap|1210|1270|2 "

# ---- usage ----
S --db "$tmp/u.db" > /dev/null 2> "$tmp/err"
eq "no input: usage error" "$?" 2
S --db "$tmp/u.db" -f "port 22" "$tmp/eth.pcap" > /dev/null 2> "$tmp/err"
eq "-f without -i" "$?" 2
"$TM" sniff -h > "$tmp/help" 2>&1
eq "help exit status" "$?" 0
ok "help names the options" grep -q -- "--max-flows" "$tmp/help"
S --db "$tmp/u.db" - - < "$tmp/eth.pcap" > /dev/null 2> "$tmp/err"
eq "stdin twice" "$?:$(cat "$tmp/err")" "2:trustmap sniff: standard input (-) can be read once"
S --db "$tmp/u.db" --max-flows 0 "$tmp/eth.pcap" > /dev/null 2> "$tmp/err"
eq "bad --max-flows" "$?" 2

# ---- live on lo: BPF filter, privileges dropped (to SUDO_UID), SIGINT stops it with everything stored ----
if [ "$(id -u)" != 0 ]; then
	skip "live capture needs root"
else
	chmod 711 "$tmp" && mkdir -m 777 "$tmp/live" # the dropped user reaches only this
	verdict=$(SUDO_UID=65534 SUDO_GID=65534 python3 - "$TM" "$tmp/live/live.db" <<'PY'
import os, select, signal, socket, subprocess, sys, time
tm, db = sys.argv[1], sys.argv[2]
p = subprocess.Popen([tm, "sniff", "--no-nmap", "-i", "lo", "-f", "udp and host 127.0.0.1 and port 1900",
                      "--db", db, "--format", "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
msg = (b"NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
       b"SERVER: Linux/5.4 UPnP/1.0 LiveCam/3.0\r\nUSN: uuid:live-1::upnp:rootdevice\r\n\r\n")
got = b""
deadline = time.time() + 60
while b"\n" not in got and time.time() < deadline and p.poll() is None:
    s.sendto(msg, ("127.0.0.1", 1900))
    r, _, _ = select.select([p.stdout], [], [], 0.5)
    if r:
        got += os.read(p.stdout.fileno(), 65536)
p.send_signal(signal.SIGINT)
try:
    out, err = p.communicate(timeout=60)
except subprocess.TimeoutExpired:
    p.kill()
    print("did not stop on SIGINT")
    sys.exit(0)
print("rc=%d first=%s err=%s" % (p.returncode, b"LiveCam/3.0" in got, err.decode(errors="replace").strip()[:200]))
PY
)
	eq "live: streamed, stopped by SIGINT" "$verdict" "rc=0 first=True err="
	eq "live: run interrupted, stored" "$(db "$tmp/live/live.db" "select kind||'|'||status from runs")" "sniff|interrupted"
	eq "live: observation kept" "$(db "$tmp/live/live.db" "select distinct addr||'|'||cast(value as text) from observations where kind = 'ssdp_server'")" \
		"127.0.0.1|Linux/5.4 UPnP/1.0 LiveCam/3.0"
	eq "live: privileges dropped before the store was written" "$(stat -c %u "$tmp/live/live.db")" 65534
	S -i lo -f "no such filter" --db "$tmp/live/bad.db" > /dev/null 2> "$tmp/err"
	eq "live: bad filter exit status" "$?" 2
	ok "live: bad filter message" grep -q "^trustmap sniff: filter 'no such filter': " "$tmp/err"
	S -i no-such-iface0 --db "$tmp/live/bad.db" > /dev/null 2> "$tmp/err"
	eq "live: no such interface" "$?" 2
fi

# ---- memory stays flat: 10k tiny flows vs 1M (two packets each, none closed) ----
if [ "${TM_SNIFF_QUICK:-}" = 1 ]; then
	skip "1M-flow memory check (TM_SNIFF_QUICK=1)"
else
	python3 tests/e2e/sniff_gen.py "$tmp" flows 10000 && python3 tests/e2e/sniff_gen.py "$tmp" flows 1000000
	for n in 10000 1000000; do
		/usr/bin/time -o "$tmp/mem$n" -f '%M' "$TM" sniff --no-nmap --db "$tmp/flows$n.db" --format csv --stats \
			"$tmp/flows_$n.pcap" > "$tmp/flows$n.csv" 2> /dev/null
		eq "$n flows exit status" "$?" 0
		eq "$n flows: all handed over" "$(grep -E '^(flows|banner),' "$tmp/flows$n.csv" | tr '\n' ' ')" "banner,$n,0 flows,$n, "
		eq "$n flows: one banner stored" "$(db "$tmp/flows$n.db" "select count(*) from observations where kind = 'ssh_banner'")" 1
		rm -f "$tmp/flows_$n.pcap"
	done
	m1=$(tail -1 "$tmp/mem10000") m2=$(tail -1 "$tmp/mem1000000")
	echo "sniff: peak memory 10k flows ${m1} KB, 1M flows ${m2} KB" >&2
	ok "memory flat: 1M flows within 16 MB of 10k flows" test $((m2 - m1)) -lt 16384
	ok "memory under 256 MB" test "$m2" -lt 262144
fi

finish sniff
