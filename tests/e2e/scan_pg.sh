#!/usr/bin/env bash
# scan_pg.sh - sharded scans into one PostgreSQL server (issue #7): four
# `trustmap scan --shard I/4 --scan-name NAME` processes at once against the
# device emulator on loopback write one scan whose observations equal, row
# for row (duplicates counted), one full scan by one process into SQLite;
# `trustmap scans` shows the four shards done; assets and audit answer the
# same on both stores.  Then the fault: the server is stopped and started
# again while four shards write: the scanners wait and retry, and the result
# is again exactly the full scan (nothing lost, nothing twice), persona by
# persona, though the outage is longer than the scanners' deadlines: answers
# keep being read while the store waits (the scanner's writer thread).  Uses
# a throwaway server (tests/e2e/pg.bash); skips when none can start.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
. tests/e2e/pg.bash
EMU=${EMU:-$PWD/${TM_BUILD:-build}/trustmap-emu}
if [ ! -x "$EMU" ]; then echo "scan_pg: $EMU not built"; exit 2; fi
if ! pg_start; then skip "$PG_WHY"; finish scan_pg; exit; fi
hosts=148
# two copies at once need another /24 of 127/8 and another port offset (the emulator listens on 0.0.0.0)
net=${SCAN_PG_NET:-127.32.0}
port_offset=${SCAN_PG_OFFSET:-24000}
base=$net.1
last=$net.148
emu_pid=
start_emu() { # start_emu OFFSET: sets emu_pid and ports
	local off
	for off in $1 $(($1 + 500)) $(($1 + 1000)); do
		"$EMU" --hosts $hosts --base $base --seed 11 --port-offset "$off" \
			--manifest "$tmp/manifest.jsonl" --log "$tmp/conns.log" > "$tmp/emu.out" 2>&1 &
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
scan() { # scan DB [extra args]
	local db=$1; shift
	"$TM" scan --db "$db" -p "$ports" --max-inflight 500 --connect-timeout 15000 \
		--read-timeout 15000 --seed 5 "$@" "$base-$last"
}
ok "emulator started" start_emu "$port_offset"

# (hostile personas answer by timing: compared by address only; MACs and TLS fingerprints left out as in scan_emu.sh)
hostile=$(python3 -c 'import json,sys; print(",".join("\x27%s\x27" % r["addr"] for r in map(json.loads, open(sys.argv[1])) if r["hostile"]))' "$tmp/manifest.jsonl")
cond="kind NOT IN ('mac', 'tls_sha256') AND addr NOT IN ($hostile)"
lite_obs() { sqlite3 "$1" "SELECT addr, port, proto, kind, lower(hex(value)) FROM observations WHERE $cond" | LC_ALL=C sort; }
pg_obs() { # pg_obs SCHEMA [RUN-CONDITION]
	pg_sql -F '|' -c "SELECT addr, port, proto, kind, encode(value, 'hex') FROM $1.observations WHERE $cond" | LC_ALL=C sort
}
pg_schema_url() { # a schema of its own on the server
	pg_sql -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $1 CASCADE; CREATE SCHEMA $1"
	echo "$PG_URL&options=-csearch_path%3D$1"
}

# ---- one full scan, one process, SQLite ----
scan "$tmp/full.db" --rate 5000 --format jsonl > "$tmp/full.jsonl" 2> "$tmp/full.err"
eq "full scan into SQLite" "$?" 0
lite_obs "$tmp/full.db" > "$tmp/full.obs"
ok "the full scan observed something ($(wc -l < "$tmp/full.obs") rows)" test "$(wc -l < "$tmp/full.obs")" -gt 300

# ---- four shards at once into one PostgreSQL ----
url=$(pg_schema_url s4)
pids=()
for i in 1 2 3 4; do scan "$url" --rate 2000 --shard $i/4 --scan-name weekly > "$tmp/s4.$i.out" 2>&1 & pids+=($!); done
st=0; for p in "${pids[@]}"; do wait "$p" || st=$?; done
eq "four shard processes exit 0" "$st" 0
pg_obs s4 > "$tmp/s4.obs"
ok "four shards equal the full scan, row for row ($(wc -l < "$tmp/s4.obs") rows)" cmp -s "$tmp/full.obs" "$tmp/s4.obs"
eq "one run per shard" "$(pg_sql -c "SELECT count(*), count(DISTINCT shard), min(nshards), max(nshards) FROM s4.runs WHERE scan = 'weekly'")" "4|4|4|4"
"$TM" scans --db "$url" --format csv > "$tmp/scans.csv"
eq "trustmap scans: every shard ok and all its pairs done" \
	"$(awk -F, 'NR > 1 && $4 == "ok" && $5 == $6 && $7 == "100.0" {n++} END {print n + 0}' "$tmp/scans.csv")" 4
eq "trustmap scans: the shards' pairs add up to the whole space" \
	"$(awk -F, 'NR > 1 {s += $6} END {print s}' "$tmp/scans.csv")" \
	"$("$TM" scan --dry-run -p "$ports" --seed 5 "$base-$last" | wc -l)"
eq "trustmap scans NAME of an unknown scan: exit 2" "$("$TM" scans --db "$url" nosuch >/dev/null 2>&1; echo $?)" 2
ok "a shard that finished before others left the rebuild to the last ($(grep -l 'rebuilds the assets' "$tmp"/s4.*.out | wc -l) of 4)" \
	test "$(grep -l 'rebuilds the assets' "$tmp"/s4.*.out | wc -l)" -le 3

# (the shards' observations arrive in another order, and a device's agent-only component is its first one seen:
#  so key, vendor and family here; everything below on the same observations in the same order;
#  hostile personas left out: what they say depends on timing)
"$TM" assets --db "$tmp/full.db" --format jsonl | rows 'r["key"] + "=" + r["vendor"] + "/" + r["family"]' "r['addr'] not in [$hostile]" |
	tr ' ' '\n' | sort > "$tmp/k.lite"
"$TM" assets --db "$url" --format jsonl | rows 'r["key"] + "=" + r["vendor"] + "/" + r["family"]' "r['addr'] not in [$hostile]" |
	tr ' ' '\n' | sort > "$tmp/k.pg"
ok "the sharded scan's assets: every device the same vendor ($(grep -c '=[a-z]' "$tmp/k.pg") attributed)" cmp -s "$tmp/k.lite" "$tmp/k.pg"
ok "some assets attributed" test "$(grep -c '=[a-z]' "$tmp/k.pg")" -gt 50

# ---- the same answers from both stores: one observation stream imported into each ----
norm_assets() { python3 -c '
import json, sys
rows = []
for l in sys.stdin:
    r = json.loads(l)
    for k in ("id", "first_seen", "last_seen", "n_obs"): r.pop(k, None)
    rows.append(json.dumps(r, sort_keys=True))
print("\n".join(sorted(rows)))'; }
url=$(pg_schema_url imp)
"$TM" import --db "$url" "$tmp/full.jsonl" > /dev/null 2>&1
eq "import of the full scan's observations into PostgreSQL" "$?" 0
"$TM" import --db "$tmp/imp.db" "$tmp/full.jsonl" > /dev/null 2>&1
"$TM" assets --db "$tmp/imp.db" --format jsonl | norm_assets > "$tmp/a.lite"
"$TM" assets --db "$url" --format jsonl | norm_assets > "$tmp/a.pg"
ok "trustmap assets: the same on both stores ($(wc -l < "$tmp/a.pg") assets)" cmp -s "$tmp/a.lite" "$tmp/a.pg"
eq "trustmap assets --vendor huawei: the same" "$("$TM" assets --db "$url" --vendor huawei --format csv | md5sum)" \
	"$("$TM" assets --db "$tmp/imp.db" --vendor huawei --format csv | md5sum)"
pol=tests/data/audit/policy.yaml
norm_audit() { python3 -c '
import json, sys
rows = []
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in ("id", "asset_id", "obs_id", "first_seen", "last_seen", "n_obs")}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
for l in sys.stdin:
    rows.append(json.dumps(strip(json.loads(l)), sort_keys=True))
print("\n".join(sorted(rows)))'; }
"$TM" audit --db "$tmp/imp.db" --policy "$pol" --date 2026-11-29 --format jsonl 2>/dev/null | norm_audit > "$tmp/au.lite"
"$TM" audit --db "$url" --policy "$pol" --date 2026-11-29 --format jsonl 2>/dev/null | norm_audit > "$tmp/au.pg"
ok "trustmap audit: the same findings on both stores ($(wc -l < "$tmp/au.pg"))" cmp -s "$tmp/au.lite" "$tmp/au.pg"

# ---- fault: the server stopped and started again while four shards write ----
# The outage (FAULT_OUTAGE s, default 6) is longer than the scanners' deadlines
# (connect 2 s, read 3 s): a scanner that stopped reading its sockets while
# its store waited would turn the answers of that window into timeouts.  The
# writer thread keeps the event loops reading, so the result must be exactly a
# reference scan with the same deadlines, persona by persona (the v1-only
# SNMP printer, whose v1 request goes out only after its v2c one timed out,
# included), and observations made during the outage must be there.
outage=${FAULT_OUTAGE:-6}
fdl=(--connect-timeout 2000 --read-timeout 3000)
scan "$tmp/ref.db" --rate 5000 "${fdl[@]}" > /dev/null 2> "$tmp/ref.err"
eq "reference scan with the fault test's deadlines into SQLite" "$?" 0
lite_obs "$tmp/ref.db" > "$tmp/ref.obs"
ok "the reference scan equals the full scan ($(wc -l < "$tmp/ref.obs") rows)" cmp -s "$tmp/full.obs" "$tmp/ref.obs"
url=$(pg_schema_url fault)
pids=()
fargs=(--rate 40 --batch 10 "${fdl[@]}" --scan-name faulty)
for i in 2 3 4; do
	TRUSTMAP_DB_RETRY=60 scan "$url" "${fargs[@]}" --shard $i/4 > "$tmp/f.$i.out" 2> "$tmp/f.$i.err" &
	pids+=($!)
done
# shard 1 on a terminal (script(1)), so that its progress line can be read
if command -v script > /dev/null; then
	cmd=$(printf '%q ' env TRUSTMAP_DB_RETRY=60 "$TM" scan --db "$url" -p "$ports" --max-inflight 500 --seed 5 \
		"${fargs[@]}" --shard 1/4 "$base-$last")
	SHELL=/bin/bash script -qefc "$cmd" "$tmp/f.1.tty" > /dev/null 2>&1 < /dev/null &
else
	TRUSTMAP_DB_RETRY=60 scan "$url" "${fargs[@]}" --shard 1/4 > "$tmp/f.1.out" 2> "$tmp/f.1.err" &
fi
pids+=($!)
for _ in $(seq 100); do [ "$(pg_sql -c "SELECT count(*) FROM fault.observations")" -gt 30 ] && break; sleep 0.1; done
before=$(pg_sql -c "SELECT count(*) FROM fault.observations")
t_stop=$(date +%s)
pg_stop fast
sleep "$outage"
t_up=$(date +%s)
pg_up
st=0; for p in "${pids[@]}"; do wait "$p" || st=$?; done
eq "four shards survive a ${outage} s outage, exit 0" "$st" 0
[ "$st" = 0 ] || tail -n 5 "$tmp"/f.* >&2
ok "the server went away while they wrote ($before rows committed before)" test "$before" -gt 0
ok "the scanners waited for it" grep -aq 'waiting up to 60 s for the server' "$tmp"/f.*
ok "and they said when it was back" grep -aq 'is back after' "$tmp"/f.*
if [ -f "$tmp/f.1.tty" ]; then
	ok "the progress line said the store was waiting" grep -aq 'store: waiting (retry [0-9]*)' "$tmp/f.1.tty"
else
	skip "no script(1): the progress line on a terminal not checked"
fi
pg_obs fault > "$tmp/fault.obs"
ok "after the restart: exactly the reference scan, nothing lost, nothing twice ($(wc -l < "$tmp/fault.obs") rows)" \
	cmp -s "$tmp/ref.obs" "$tmp/fault.obs"
if ! cmp -s "$tmp/ref.obs" "$tmp/fault.obs"; then diff "$tmp/ref.obs" "$tmp/fault.obs" | head -n 10 >&2; fi
per_persona() { # rows per persona of an observation list: "persona rows"
	python3 -c '
import json, sys
who = {r["addr"]: r["persona"] for r in map(json.loads, open(sys.argv[1]))}
n = {}
for l in open(sys.argv[2]):
    p = who.get(l.split("|")[0], "?")
    n[p] = n.get(p, 0) + 1
print("\n".join("%s %d" % kv for kv in sorted(n.items())))' "$tmp/manifest.jsonl" "$1"
}
per_persona "$tmp/ref.obs" > "$tmp/ref.pp"
per_persona "$tmp/fault.obs" > "$tmp/fault.pp"
ok "every persona's rows equal the reference ($(wc -l < "$tmp/ref.pp") personas)" cmp -s "$tmp/ref.pp" "$tmp/fault.pp"
if ! cmp -s "$tmp/ref.pp" "$tmp/fault.pp"; then diff "$tmp/ref.pp" "$tmp/fault.pp" >&2; fi
snmp1() { # SNMP rows of the v1-only printers in an observation list
	python3 -c '
import json, sys
who = {r["addr"] for r in map(json.loads, open(sys.argv[1])) if r["persona"] == "samsung-printer"}
print(sum(1 for l in open(sys.argv[2]) if l.split("|")[0] in who and l.split("|")[3].startswith("snmp")))' \
		"$tmp/manifest.jsonl" "$1"
}
ok "the v1-only SNMP printer's rows are there ($(snmp1 "$tmp/fault.obs") SNMP rows)" test "$(snmp1 "$tmp/fault.obs")" -gt 0
eq "the v1-only SNMP printer's SNMP rows equal the reference" "$(snmp1 "$tmp/fault.obs")" "$(snmp1 "$tmp/ref.obs")"
during=$(pg_sql -c "SELECT count(*) FROM fault.observations WHERE time > $t_stop AND time < $t_up")
ok "answers that came while the server was down were kept ($during rows observed in the outage)" test "$during" -gt 0
eq "every shard finished" "$(pg_sql -c "SELECT count(*) FROM fault.runs WHERE scan = 'faulty' AND status = 'ok' AND pairs_done = pairs_total")" 4

# ---- a store error that is not waited out stops the scan cleanly ----
# (a CHECK constraint added mid-scan refuses every later batch: the scanner
#  says why and exits 2, the batches committed before stay, and --resume,
#  once the constraint is gone, ends with exactly the reference scan)
url=$(pg_schema_url refused)
scan "$url" --rate 150 --batch 10 "${fdl[@]}" > "$tmp/e.out" 2> "$tmp/e.err" &
epid=$!
for _ in $(seq 100); do [ "$(pg_sql -c "SELECT count(*) FROM refused.observations" 2>/dev/null || echo 0)" -gt 30 ] && break; sleep 0.1; done
pg_sql -c "ALTER TABLE refused.observations ADD CONSTRAINT tm_test_refuse CHECK (port < 0) NOT VALID"
wait "$epid"
eq "a refused batch: exit status 2" "$?" 2
ok "a refused batch: the store's message" grep -q "trustmap scan: .*violates check constraint" "$tmp/e.err"
ok "a refused batch: how to go on" grep -q "trustmap scan --resume 1 continues the run" "$tmp/e.err"
kept=$(pg_sql -c "SELECT count(*) FROM refused.observations")
ok "a refused batch: what was committed stays ($kept rows)" test "$kept" -gt 30
eq "a refused batch: the run is left to resume" "$(pg_sql -c "SELECT status FROM refused.runs WHERE id = 1")" running
npairs=$("$TM" scan --dry-run -p "$ports" --seed 5 "$base-$last" | wc -l)
ok "a refused batch: its progress names only part of the pairs" \
	test "$(pg_sql -c "SELECT pairs_done FROM refused.runs WHERE id = 1")" -lt "$npairs"
pg_sql -c "ALTER TABLE refused.observations DROP CONSTRAINT tm_test_refuse"
"$TM" scan --resume 1 --db "$url" > "$tmp/e2.out" 2>&1
eq "a refused batch: --resume after the fix, exit 0" "$?" 0
pg_obs refused > "$tmp/refused.obs"
ok "a refused batch, resumed: exactly the reference scan ($(wc -l < "$tmp/refused.obs") rows)" \
	cmp -s "$tmp/ref.obs" "$tmp/refused.obs"
if ! cmp -s "$tmp/ref.obs" "$tmp/refused.obs"; then diff "$tmp/ref.obs" "$tmp/refused.obs" | head -n 10 >&2; fi

# ---- SIGINT, then SIGTERM, while the server is away: the second gives the wait up ----
# (the first signal stops the scan, which then waits to write what it has; the
#  second stops the waiting: exit 2, the batches committed before stay, and
#  --resume once the server is back ends with exactly the reference scan)
url=$(pg_schema_url giveup)
# (trustmap itself in the background, not the scan function's subshell: the signals are for it)
TRUSTMAP_DB_RETRY=300 "$TM" scan --db "$url" -p "$ports" --max-inflight 500 --seed 5 --rate 40 --batch 10 "${fdl[@]}" \
	"$base-$last" > "$tmp/g.out" 2> "$tmp/g.err" &
gpid=$!
for _ in $(seq 100); do [ "$(pg_sql -c "SELECT count(*) FROM giveup.observations" 2>/dev/null || echo 0)" -gt 30 ] && break; sleep 0.1; done
pg_stop fast
for _ in $(seq 100); do grep -q 'waiting up to 300 s for the server' "$tmp/g.err" && break; sleep 0.1; done
ok "the scanner waits for the server" grep -q 'waiting up to 300 s for the server' "$tmp/g.err"
kill -INT "$gpid"
sleep 1
ok "SIGINT while the server is away: the scanner keeps waiting" kill -0 "$gpid"
kill -TERM "$gpid"
# a hang guard, not a measure: the wait it gives up was 300 s
for _ in $(seq 300); do kill -0 "$gpid" 2>/dev/null || break; sleep 0.1; done
ok "SIGTERM after SIGINT: the scanner gave the wait up" sh -c "! kill -0 $gpid 2>/dev/null"
kill -KILL "$gpid" 2>/dev/null
wait "$gpid"
eq "SIGTERM after SIGINT: exit status (a store error)" "$?" 2
ok "SIGTERM after SIGINT: says it gave up waiting" grep -q "gave up waiting for the server" "$tmp/g.err"
ok "SIGTERM after SIGINT: how to go on" grep -q "trustmap scan --resume 1 continues the run" "$tmp/g.err"
ok "SIGTERM after SIGINT: no sanitizer report" sh -c "! grep -q 'runtime error\|AddressSanitizer' '$tmp/g.err'"
pg_up
kept=$(pg_sql -c "SELECT count(*) FROM giveup.observations")
ok "after the restart: what was committed stays ($kept rows)" test "$kept" -gt 30
eq "after the restart: the run is left to resume" "$(pg_sql -c "SELECT status FROM giveup.runs WHERE id = 1")" running
"$TM" scan --resume 1 --db "$url" > "$tmp/g2.out" 2>&1
eq "SIGINT, SIGTERM, restart, --resume: exit 0" "$?" 0
pg_obs giveup > "$tmp/giveup.obs"
ok "SIGINT, SIGTERM, restart, --resume: exactly the reference scan ($(wc -l < "$tmp/giveup.obs") rows)" \
	cmp -s "$tmp/ref.obs" "$tmp/giveup.obs"
if ! cmp -s "$tmp/ref.obs" "$tmp/giveup.obs"; then diff "$tmp/ref.obs" "$tmp/giveup.obs" | head -n 10 >&2; fi

kill "$emu_pid" 2>/dev/null; wait "$emu_pid" 2>/dev/null
finish scan_pg
