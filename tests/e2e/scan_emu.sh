#!/usr/bin/env bash
# scan_emu.sh - trustmap scan against the device emulator (trustmap-emu) on
# loopback: every persona attributed to its manifest vendor, exactly; the
# hostile personas neither hang the scan nor reach the output raw; shard
# scans together dial exactly what one full scan dials; excluded addresses
# are never dialled (the emulator's connection log says so).
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
EMU=${EMU:-$PWD/${TM_BUILD:-build}/trustmap-emu}
if [ ! -x "$EMU" ]; then
	skip "trustmap-emu not built"
	finish scan_emu
	exit 0
fi

# an offset whose 14 ports are all free
off=$(python3 - <<'PY'
import socket
for off in range(24000, 27000, 137):
    ok = True
    for p, k in [(p, socket.SOCK_STREAM) for p in (21, 22, 23, 25, 80, 443, 554, 830, 8000, 8080, 8443, 37777)] + \
                [(161, socket.SOCK_DGRAM), (1900, socket.SOCK_DGRAM)]:
        s = socket.socket(socket.AF_INET, k)
        try:
            s.bind(("0.0.0.0", off + p))
        except OSError:
            ok = False
        s.close()
    if ok:
        print(off)
        break
PY
)
"$EMU" --hosts 74 --base 127.81.0.1 --seed 3 --port-offset "$off" --manifest "$tmp/m.jsonl" \
	--log "$tmp/conns.log" --idle-timeout 2 >"$tmp/emu.out" 2>"$tmp/emu.err" &
emu=$!
cleanup_hooks+=("kill $emu 2>/dev/null; wait $emu 2>/dev/null")
for _ in $(seq 100); do grep -q '^ready$' "$tmp/emu.out" 2>/dev/null && break; sleep 0.1; done
ports=$("$EMU" --port-offset "$off" --print-ports)
range=127.81.0.1-127.81.0.74
# the connection log lines a scan caused: run_logged NAME ARGS... -> $tmp/NAME.log (sorted, unique)
run_logged() {
	local name=$1 before; shift
	before=$(wc -l <"$tmp/conns.log")
	"$TM" scan -p "$ports" --connect-timeout 500 --read-timeout 800 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	local st=$?
	sleep 0.3
	tail -n +"$((before + 1))" "$tmp/conns.log" | sort -u >"$tmp/$name.log"
	return $st
}

# ---- the full scan: vendors against the manifest ----
ok "full scan runs" run_logged full --db "$tmp/full.db" --seed 11 "$range"
"$TM" assets --db "$tmp/full.db" --format jsonl >"$tmp/assets"
python3 - "$tmp/m.jsonl" "$tmp/assets" >"$tmp/cmp" <<'PY'
import json, sys
man = [json.loads(l) for l in open(sys.argv[1])]
got = {r["addr"]: r["vendor"] for r in map(json.loads, open(sys.argv[2]))}
right = wrong = 0
for r in man:
    if r["hostile"]:
        continue
    want, g = r["vendor"] or "", got.get(r["addr"], "")
    if want == g:
        right += 1
    else:
        wrong += 1
        print("wrong", r["addr"], r["persona"], want, g)
print("right", right, "wrong", wrong)
PY
eq "every persona attributed to its vendor" "$(tail -1 "$tmp/cmp")" \
	"right $(rows 'r["addr"]' 'not r["hostile"]' <"$tmp/m.jsonl" | wc -w) wrong 0"
grep '^wrong' "$tmp/cmp" >&2
eq "every pair dialled once (TCP connections and first datagrams)" \
	"$(grep -c . "$tmp/full.log")" "$(sort -u "$tmp/full.log" | wc -l)"
eq "all 74 hosts dialled" "$(cut -d' ' -f1 "$tmp/full.log" | sort -u | wc -l)" "74"
ok "no escape byte in the summary" bash -c "! grep -q $'\x1b' '$tmp/full.out'"
eq "nothing on stderr" "$(cat "$tmp/full.err")" ""

# ---- hostile personas: bounded, flagged, nothing raw on the terminal ----
hq() { # hq HOSTILE SQL-WHERE -> "kind:flags:length" of the first such persona's observations
	local a
	a=$(rows 'r["addr"]' "r[\"hostile\"]==\"$1\"" <"$tmp/m.jsonl" | cut -d' ' -f1)
	sqlite3 "$tmp/full.db" "SELECT DISTINCT kind || ':' || flags || ':' || length(value) FROM observations
		WHERE addr = '$a' $2 ORDER BY 1" | tr '\n' ' '
}
eq "endless: cut at 16 KiB, flagged" "$(hq endless "AND kind IN ('ftp_banner', 'telnet_banner')")" \
	"ftp_banner:1:16384 telnet_banner:1:16384 "
eq "endless: nothing longer" "$(sqlite3 "$tmp/full.db" "SELECT count(*) FROM observations WHERE length(value) > 16384")" "0"
eq "1 MB header: cut, flagged" "$(hq bigheader "AND kind = 'service_response'")" "service_response:1:16384 "
eq "bad TLS: malformed" "$(hq badtls "AND flags = 2" | cut -d: -f1,2)" "service_response:2"
eq "lying SNMP: malformed" "$(hq badsnmp "AND kind = 'service_response'" | cut -d: -f1,2)" "service_response:2"
eq "silent: nothing" "$(hq silent "")" ""
eq "reset: what came, flagged" "$(hq reset "AND kind = 'ssh_banner'" | cut -d: -f1,2)" "ssh_banner:1"

# ---- shards: together they dial exactly what the full scan dialled ----
for i in 1 2 3; do
	ok "shard $i runs" run_logged "s$i" --db "$tmp/s$i.db" --seed 11 --shard "$i/3" --retries 0 "$range"
done
eq "shards dial what the full scan dialled" "$(cat "$tmp"/s[123].log | sort -u | md5sum)" "$(md5sum <"$tmp/full.log")"
hostile=$(python3 -c 'import json,sys; print(",".join("'"'"'%s'"'"'" % r["addr"] for r in map(json.loads, open(sys.argv[1])) if r["hostile"]) or "'"'"''"'"'")' "$tmp/m.jsonl")
q="SELECT DISTINCT addr, port, kind FROM observations WHERE addr NOT IN ($hostile)"
eq "shards observe what the full scan observed" \
	"$(for i in 1 2 3; do sqlite3 "$tmp/s$i.db" "$q"; done | sort | md5sum)" "$(sqlite3 "$tmp/full.db" "$q" | sort | md5sum)"

# ---- excludes are never dialled ----
ok "excluding scan runs" run_logged ex --db "$tmp/ex.db" --seed 12 --retries 0 --exclude 127.81.0.10-127.81.0.19 \
	--exclude 127.81.0.33 "$range"
eq "excluded never dialled" "$(grep -cE '^127\.81\.0\.(1[0-9]|33) ' "$tmp/ex.log")" "0"
eq "the rest dialled" "$(cut -d' ' -f1 "$tmp/ex.log" | sort -u | wc -l)" "63"

finish scan_emu
