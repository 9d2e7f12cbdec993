#!/usr/bin/env bash
# scan_emu.sh - trustmap scan against the device emulator on loopback:
# every persona attributed to its maker (exact counts against the manifest),
# hostile personas survived with bounded memory and nothing raw on output,
# exclude lists never violated (checked in the emulator's own connection
# log), and shard scans that together equal one full scan, exactly.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
EMU=${EMU:-$PWD/${TM_BUILD:-build}/trustmap-emu}
if [ ! -x "$EMU" ]; then echo "scan_emu: $EMU not built"; exit 2; fi
hosts=148   # 4 of each of the 37 personas, every persona equally
base=127.31.0.1
last=127.31.0.148
emu_pid=
start_emu() { # start_emu OFFSET LOGFILE: sets emu_pid and ports
	local off
	for off in $1 $(($1 + 500)) $(($1 + 1000)); do
		"$EMU" --hosts $hosts --base $base --seed 11 --port-offset "$off" \
			--manifest "$tmp/manifest.jsonl" --log "$2" > "$tmp/emu.out" 2>&1 &
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
stop_emu() { kill "$emu_pid" 2>/dev/null; wait "$emu_pid" 2>/dev/null; }
scan() { # scan DB [extra args]: the emulator's devices, fast timeouts
	local db=$1; shift
	"$TM" scan --db "$db" -p "$ports" --rate 20000 --max-inflight 1000 --connect-timeout 1000 \
		--read-timeout 1500 --seed 5 "$@"
}

ok "emulator started" start_emu 23000 "$tmp/conns.log"

# ---- every persona attributed to its maker ----
/usr/bin/time -o "$tmp/time" -f '%M' "$TM" scan --db "$tmp/full.db" -p "$ports" --rate 20000 \
	--max-inflight 1000 --connect-timeout 1000 --read-timeout 1500 --seed 5 "$base-$last" > "$tmp/scan.out" 2>&1
eq "full scan exit status" "$?" 0
"$TM" assets --db "$tmp/full.db" --format jsonl > "$tmp/assets.jsonl"
verdict=$(python3 - "$tmp/manifest.jsonl" "$tmp/assets.jsonl" <<'PY'
import json, sys, collections
truth = [json.loads(l) for l in open(sys.argv[1])]
got = {}
for l in open(sys.argv[2]):
    r = json.loads(l)
    got[r["addr"]] = r["vendor"] or None
wrong = [(t["persona"], t["vendor"], got.get(t["addr"])) for t in truth
         if not t["hostile"] and got.get(t["addr"]) != t["vendor"]]
hostile_claims = [(t["persona"], got.get(t["addr"])) for t in truth if t["hostile"] and got.get(t["addr"])]
want = collections.Counter(t["vendor"] for t in truth if t["vendor"] and not t["hostile"])
have = collections.Counter(v for v in got.values() if v)
print("wrong=%d hostile_claims=%d counts_equal=%s personas=%d" % (len(wrong), len(hostile_claims), want == have, len({t["persona"] for t in truth})))
for w in wrong[:10]: print("  wrong:", w, file=sys.stderr)
for w in hostile_claims[:10]: print("  hostile claimed:", w, file=sys.stderr)
PY
)
eq "attribution against the manifest" "$verdict" "wrong=0 hostile_claims=0 counts_equal=True personas=37"
rss=$(cat "$tmp/time")
ok "scan memory bounded (${rss} KiB < 200 MiB)" test "${rss:-999999}" -lt 204800
ok "no raw escape byte in the scan output" sh -c "! grep -q \$(printf '\\033') '$tmp/scan.out'"
"$TM" assets --db "$tmp/full.db" > "$tmp/assets.txt"
ok "no raw escape byte in the asset table" sh -c "! grep -q \$(printf '\\033') '$tmp/assets.txt'"

# ---- exclude lists are never violated ----
stop_emu
ok "emulator restarted" start_emu 23000 "$tmp/conns2.log"
scan "$tmp/excl.db" --exclude 127.31.0.10-127.31.0.40 --exclude 127.31.0.100 "$base-$last" > /dev/null 2>&1
eq "excluded addresses never dialled" \
	"$(awk '{split($1, a, "."); if ((a[4] >= 10 && a[4] <= 40) || a[4] == 100) print}' "$tmp/conns2.log" | wc -l)" 0
eq "everything else dialled" "$(awk '{print $1}' "$tmp/conns2.log" | sort -u | wc -l)" $((hosts - 32))

# ---- three shards together equal one full scan, exactly ----
for i in 1 2 3; do scan "$tmp/shard.db" --shard $i/3 "$base-$last" > /dev/null 2>&1; done
# (hostile personas' partial answers depend on timing: compared by address only;
#  the restarted emulator made new TLS keys, so certificate fingerprints differ)
hostile=$(python3 -c 'import json,sys; print(",".join("\x27%s\x27" % r["addr"] for r in map(json.loads, open(sys.argv[1])) if r["hostile"]))' "$tmp/manifest.jsonl")
q="SELECT DISTINCT addr, port, proto, kind, hex(value) FROM observations WHERE kind NOT IN ('mac', 'tls_sha256') AND addr NOT IN ($hostile) ORDER BY 1, 2, 3, 4, 5"
sqlite3 "$tmp/full.db" "$q" > "$tmp/full.obs"
sqlite3 "$tmp/shard.db" "$q" > "$tmp/shard.obs"
ok "shards equal the full scan (observations)" cmp -s "$tmp/full.obs" "$tmp/shard.obs"
eq "shards dialled every address once" "$(sqlite3 "$tmp/shard.db" "SELECT count(DISTINCT addr) FROM observations")" \
	"$(sqlite3 "$tmp/full.db" "SELECT count(DISTINCT addr) FROM observations")"
eq "each shard its own run" "$(sqlite3 "$tmp/shard.db" "SELECT count(*) FROM runs WHERE kind = 'scan'")" 3
stop_emu
finish scan_emu
