#!/usr/bin/env bash
# sniff_kb.sh - trustmap sniff loads the system part of the knowledge base
# (OUI registries, enterprise numbers, nmap's probes) in a thread while the
# capture is read: what it attributes is the same (an ARP from a Huawei OUI
# MAC: vendor by the OUI registry, loaded in the thread); a broken file of
# ours (--kb-dir) is said before anything is read or stored (exit 2, no
# store made); a broken system file is said once after the capture (exit 2),
# the run stays open with its observations, and --resume finishes it with
# the same assets as an uninterrupted run.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
if [ ! -x "$TM" ]; then echo "sniff_kb: $TM not built"; exit 2; fi
db() { sqlite3 "$1" "$2"; }

# 300 ARP requests from 00:e0:fc:00:01:NN (Huawei's OUI), 10.9.1.NN asking for 10.9.0.1
python3 - "$tmp/arp.pcap" <<'EOF'
import struct, sys
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(300):
        mac = bytes([0x00, 0xe0, 0xfc, 0x00, 0x01 + i // 250, i % 250 + 1])
        ip = bytes([10, 9, 1 + i // 250, i % 250 + 1])
        arp = struct.pack(">HHBBH", 1, 0x0800, 6, 4, 1) + mac + ip + b"\0" * 6 + bytes([10, 9, 0, 1])
        fr = b"\xff" * 6 + mac + b"\x08\x06" + arp
        f.write(struct.pack("<IIII", 100 + i, 0, len(fr), len(fr)) + fr)
EOF

"$TM" sniff --db "$tmp/ok.db" --format csv "$tmp/arp.pcap" >"$tmp/out" 2>"$tmp/err"
eq "exit status" "$?" 0
eq "nothing on stderr" "$(cat "$tmp/err")" ""
eq "assets by the OUI registry (loaded meanwhile)" \
	"$(db "$tmp/ok.db" "select vendor||'|'||count(*) from assets group by vendor")" "huawei|300"
eq "run ok" "$(db "$tmp/ok.db" "select status||'|'||n_obs from runs")" "ok|600"

# ours broken: said first, nothing stored
"$TM" sniff --db "$tmp/none.db" --kb-dir "$tmp/nowhere" "$tmp/arp.pcap" >"$tmp/out" 2>"$tmp/err"
eq "--kb-dir missing: exit status" "$?" 2
eq "--kb-dir missing: message" "$(cat "$tmp/err")" \
	"trustmap sniff: cannot find trustmap's rules directory (vendors.tm) at $tmp/nowhere; use --kb-dir or TRUSTMAP_KB_DIR"
ok "--kb-dir missing: no store made" test ! -e "$tmp/none.db"

# a system file broken (a directory where nmap-service-probes should be): said after the capture
mkdir "$tmp/probes"
TRUSTMAP_NMAP_PROBES=$tmp/probes "$TM" sniff --db "$tmp/bad.db" "$tmp/arp.pcap" >"$tmp/out" 2>"$tmp/err"
eq "probes broken: exit status" "$?" 2
eq "probes broken: messages" "$(cat "$tmp/err")" "trustmap sniff: $tmp/probes: read error
trustmap sniff: run 1 is stored up to its assets; 'trustmap sniff --resume 1' finishes it"
eq "probes broken: nothing on stdout" "$(cat "$tmp/out")" ""
eq "probes broken: run open, observations stored, no assets" \
	"$(db "$tmp/bad.db" "select status||'|'||(select count(*) from observations)||'|'||(select count(*) from assets) from runs")" \
	"running|600|0"
"$TM" sniff --db "$tmp/bad.db" --resume 1 --format csv >"$tmp/out" 2>"$tmp/err"
eq "--resume: exit status" "$?" 0
eq "--resume: run ok" "$(db "$tmp/bad.db" "select status||'|'||n_obs from runs")" "ok|600"
eq "--resume: the same assets" \
	"$(db "$tmp/bad.db" "select key||vendor||family from assets order by key" | md5sum)" \
	"$(db "$tmp/ok.db" "select key||vendor||family from assets order by key" | md5sum)"

# --no-nmap: the thread skips it
"$TM" sniff --no-nmap --db "$tmp/nn.db" "$tmp/arp.pcap" >"$tmp/out" 2>"$tmp/err"
eq "--no-nmap: exit status" "$?" 0
eq "--no-nmap: assets" "$(db "$tmp/nn.db" "select vendor||'|'||count(*) from assets group by vendor")" "huawei|300"
finish sniff_kb
