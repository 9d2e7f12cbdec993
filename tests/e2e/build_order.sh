#!/usr/bin/env bash
# build_order.sh - the same observations give the same assets whatever order
# the store holds them in.  A store's ids follow the order batches arrived
# (four shards into PostgreSQL against one scanner into SQLite), and the
# asset rebuild once broke ties by that order: here one scan of the
# emulator's 37 personas is imported as it came and with its exchanges in
# reverse order (each exchange's own observations kept in the order its probe
# made them, as every store keeps them), and then with the exchanges
# shuffled (two exchanges on one port, a camera's HTTP page and its UPnP
# description, once gave a different role); the asset lists must be equal but
# for the ids -- vendor, product, role, address, everything.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
EMU=${EMU:-$PWD/${TM_BUILD:-build}/trustmap-emu}
if [ ! -x "$EMU" ]; then echo "build_order: $EMU not built"; exit 2; fi
emu_pid=
for off in 24700 25200 25700; do
	"$EMU" --hosts 148 --base 127.34.0.1 --seed 11 --port-offset "$off" > "$tmp/emu.out" 2>&1 &
	emu_pid=$!
	for _ in $(seq 50); do grep -q ready "$tmp/emu.out" && break; kill -0 $emu_pid 2>/dev/null || break; sleep 0.1; done
	grep -q ready "$tmp/emu.out" && break
	wait $emu_pid 2>/dev/null
	emu_pid=
done
if [ -z "$emu_pid" ]; then skip "the emulator did not start: $(tail -n 1 "$tmp/emu.out")"; finish build_order; exit; fi
cleanup_hooks+=("kill $emu_pid 2>/dev/null")
"$TM" scan --db "$tmp/scan.db" -p "$("$EMU" --port-offset "$off" --print-ports)" --rate 20000 --max-inflight 1000 \
	--connect-timeout 1000 --read-timeout 1500 --seed 5 --format jsonl 127.34.0.1-127.34.0.148 \
	> "$tmp/obs.jsonl" 2> "$tmp/scan.err"
eq "scan exit status" "$?" 0
python3 - "$tmp/obs.jsonl" > "$tmp/rev.jsonl" <<'PY'
import json, sys
groups, order = {}, []
for l in open(sys.argv[1]):
    r = json.loads(l)
    k = (r.get("addr"), r.get("port"), r.get("proto"), r.get("probe"))
    if k not in groups:
        groups[k] = []
        order.append(k)
    groups[k].append(l)
for k in reversed(order):
    sys.stdout.write("".join(groups[k]))
PY
# and every exchange shuffled: runs of rows of one address, port, protocol and probe (an
# exchange, or a few of them back to back) in a random order, each run's rows kept in theirs
python3 -c '
import json, random, sys
runs, last = [], None
for l in open(sys.argv[1]):
    r = json.loads(l)
    k = (r.get("addr"), r.get("port"), r.get("proto"), r.get("probe"))
    if k != last:
        runs.append([])
        last = k
    runs[-1].append(l)
random.Random(7).shuffle(runs)
sys.stdout.write("".join("".join(r) for r in runs))' "$tmp/obs.jsonl" > "$tmp/shuf.jsonl"
ok "the observations, reordered ($(wc -l < "$tmp/obs.jsonl") rows, $(sort -u "$tmp/obs.jsonl" | wc -l) distinct)" \
	cmp -s <(sort "$tmp/obs.jsonl") <(sort "$tmp/rev.jsonl")
norm() { python3 -c '
import json, sys
rows = []
for l in sys.stdin:
    r = json.loads(l)
    r.pop("id", None)
    rows.append(json.dumps(r, sort_keys=True))
print("\n".join(sorted(rows)))'; }
for f in obs rev shuf; do
	"$TM" import --db "$tmp/$f.db" --type jsonl "$tmp/$f.jsonl" > /dev/null 2> "$tmp/$f.err"
	eq "import of the $f order: exit status" "$?" 0
	"$TM" assets --db "$tmp/$f.db" --format jsonl | norm > "$tmp/$f.assets"
done
n=$(wc -l < "$tmp/obs.assets")
ok "assets from the scan ($n)" test "$n" -ge 140
ok "attributed ones among them ($(grep -vc '"vendor": ""' "$tmp/obs.assets"))" test "$(grep -vc '"vendor": ""' "$tmp/obs.assets")" -ge 100
ok "the same assets from either order, field for field ($(diff "$tmp/obs.assets" "$tmp/rev.assets" | grep -c '^<') differ)" \
	cmp -s "$tmp/obs.assets" "$tmp/rev.assets"
ok "the same assets from a shuffle of the exchanges ($(diff "$tmp/obs.assets" "$tmp/shuf.assets" | grep -c '^<') differ)" \
	cmp -s "$tmp/obs.assets" "$tmp/shuf.assets"
finish build_order
