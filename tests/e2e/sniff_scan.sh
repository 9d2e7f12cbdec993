#!/usr/bin/env bash
# sniff_scan.sh - a real capture: tcpdump (Debian's) records the loopback
# while `trustmap scan` runs against the device emulator; `trustmap sniff` on
# that file must attribute exactly the same set of (address -> vendor) as the
# active scan did.  Passive decoding sees certificates up to TLS 1.2 only
# (1.3 encrypts them), so the emulator runs with OpenSSL capped at TLS 1.2,
# as most embedded devices are; the emulator's SNMP and SSDP sit on offset
# ports, given to the decoders with --decode-as.  Skips when tcpdump is
# missing or cannot capture on lo.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
EMU=${EMU:-$PWD/${TM_BUILD:-build}/trustmap-emu}
if [ ! -x "$EMU" ] || [ ! -x "$TM" ]; then echo "sniff_scan: $TM or $EMU not built"; exit 2; fi
hosts=74 # 2 of each of the 37 personas
net=127.36.0
base=$net.1
last=$net.$hosts

if ! command -v tcpdump > /dev/null; then
	skip "tcpdump is not installed"
	finish sniff_scan
	exit $?
fi
cat > "$tmp/openssl.cnf" <<'EOF'
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MaxProtocol = TLSv1.2
EOF

emu_pid= td_pid=
start_emu() { # sets emu_pid, off and ports
	for off in 25200 25700 26200 26700; do
		OPENSSL_CONF="$tmp/openssl.cnf" "$EMU" --hosts $hosts --base $base --seed 11 --port-offset "$off" \
			--manifest "$tmp/manifest.jsonl" > "$tmp/emu.out" 2>&1 &
		emu_pid=$!
		for _ in $(seq 50); do grep -q ready "$tmp/emu.out" && break; kill -0 $emu_pid 2>/dev/null || break; sleep 0.1; done
		if grep -q ready "$tmp/emu.out"; then
			ports=$("$EMU" --port-offset "$off" --print-ports)
			cleanup_hooks+=("kill $emu_pid 2>/dev/null")
			return 0
		fi
		wait $emu_pid 2>/dev/null
	done
	return 1
}
start_tcpdump() { # records the emulator's addresses and ports on lo; sets td_pid
	local filt
	filt="net $net.0/24 and ($(tr ',' '\n' <<<"$ports" | sed 's|/udp||; s|:.*||' | sort -u | sed 's/^/port /' |
		paste -sd'|' | sed 's/|/ or /g'))"
	tcpdump -i lo -w "$tmp/scan.pcap" -U -s 0 -B 65536 -Z root "$filt" 2> "$tmp/tcpdump.err" &
	td_pid=$!
	cleanup_hooks+=("kill $td_pid 2>/dev/null")
	for _ in $(seq 50); do
		grep -q "listening on lo" "$tmp/tcpdump.err" && return 0
		kill -0 $td_pid 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

ok "emulator started" start_emu
if ! start_tcpdump; then
	skip "tcpdump cannot capture on lo: $(head -c 200 "$tmp/tcpdump.err")"
	finish sniff_scan
	exit $?
fi
"$TM" scan --db "$tmp/scan.db" -p "$ports" --rate 2000 --max-inflight 500 --connect-timeout 1000 \
	--read-timeout 1500 --seed 5 "$base-$last" > "$tmp/scan.out" 2>&1
eq "scan exit status" "$?" 0
sleep 1
kill -INT $td_pid
wait $td_pid 2>/dev/null
kill "$emu_pid" 2>/dev/null
wait "$emu_pid" 2>/dev/null
eq "tcpdump dropped nothing" "$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$tmp/tcpdump.err")" 0

snmp=$(tr ',' '\n' <<<"$ports" | sed -n 's|/udp:snmp||p') ssdp=$(tr ',' '\n' <<<"$ports" | sed -n 's|/udp:ssdp||p')
"$TM" sniff --db "$tmp/sniff.db" --decode-as "$snmp/udp=snmp" --decode-as "$ssdp/udp=ssdp" --stats \
	"$tmp/scan.pcap" > "$tmp/sniff.out" 2> "$tmp/sniff.err"
eq "sniff exit status" "$?" 0

pairs() { # pairs DB: "address vendor" of every attributed asset in the emulator's range
	"$TM" assets --db "$1" --format jsonl | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r.get("addr", "").startswith(sys.argv[1] + ".") and r.get("vendor"):
        print(r["addr"], r["vendor"])' "$net" | sort
}
pairs "$tmp/scan.db" > "$tmp/scan.set"
pairs "$tmp/sniff.db" > "$tmp/sniff.set"
n=$(wc -l < "$tmp/scan.set")
echo "sniff_scan: the scan attributed $n addresses; sniff $(wc -l < "$tmp/sniff.set")" >&2
ok "the scan attributed most personas ($n)" test "$n" -ge 50
eq "sniff attributes exactly what the scan did" "$(diff "$tmp/scan.set" "$tmp/sniff.set" | grep '^[<>]' | tr '\n' ' ')" ""
eq "every emulator vendor in the manifest seen by sniff" \
	"$(python3 -c '
import json, sys
truth = {}
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["vendor"] and not r["hostile"]:
        truth[r["addr"]] = r["vendor"]
got = dict(l.split() for l in open(sys.argv[2]))
print(sorted(a for a in got if truth.get(a) != got[a]))' "$tmp/manifest.jsonl" "$tmp/sniff.set")" "[]"
finish sniff_scan
