#!/usr/bin/env bash
# diff_watch.sh - trustmap diff (two runs, or two dates): exactly which
# devices appeared, disappeared, changed maker or firmware, in every format;
# trustmap watch --once against the device emulator: first round's findings
# all new (exit 1, printed), an unchanged second round nothing new (exit 0),
# a wider third round hands exactly the new findings to the hook.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
EMU=${EMU:-$PWD/${TM_BUILD:-build}/trustmap-emu}
if [ ! -x "$EMU" ] || [ ! -x "$TM" ]; then echo "diff_watch: $TM or $EMU not built"; exit 2; fi

# ---- diff ----
python3 - "$tmp" <<'PY'
import json, sys
def o(addr, kind, val, port=22):
    return json.dumps({"time": 1700000000, "source": "scan", "addr": addr, "port": port, "proto": "tcp",
                       "kind": kind, "value": val})
vrp = "Huawei Versatile Routing Platform Software VRP (R) software, Version 5.170 (AR2200 %s)"
open(sys.argv[1] + "/r1.jsonl", "w").write("\n".join([
    o("192.0.2.1", "ssh_banner", "SSH-2.0-HUAWEI-1.5"), o("192.0.2.2", "ssh_banner", "SSH-2.0-ZTE_SSH.2.0"),
    o("192.0.2.3", "http_server", "Hikvision-Webs", 80), o("192.0.2.4", "snmp_sysdescr", vrp % "V200R010C10", 161)]) + "\n")
open(sys.argv[1] + "/r2.jsonl", "w").write("\n".join([
    o("192.0.2.1", "ssh_banner", "SSH-2.0-HUAWEI-1.5"), o("192.0.2.3", "ssh_banner", "SSH-2.0-Cisco-1.25"),
    o("192.0.2.5", "ssh_banner", "SSH-2.0-ZTE_SSH.2.0"), o("192.0.2.4", "snmp_sysdescr", vrp % "V200R011C10", 161)]) + "\n")
PY
db=$tmp/d.db
"$TM" import --db "$db" --type jsonl "$tmp/r1.jsonl" > /dev/null 2>&1
"$TM" import --db "$db" --type jsonl "$tmp/r2.jsonl" > /dev/null 2>&1
"$TM" diff --db "$db" 1 2 --format jsonl > "$tmp/diff.jsonl"
eq "diff exit status" "$?" 0
eq "diff: changes in key order" "$(rows 'r["change"]+":"+r["addr"]' < "$tmp/diff.jsonl")" \
	"disappeared:192.0.2.2 vendor:192.0.2.3 version:192.0.2.4 appeared:192.0.2.5"
eq "diff: maker change old and new" "$(rows 'r["old"]+">"+r["new"]' 'r["change"]=="vendor"' < "$tmp/diff.jsonl")" \
	"hikvision>cisco"
eq "diff: firmware change old and new" \
	"$(rows 'r["old"]+" > "+r["new"]' 'r["change"]=="version"' < "$tmp/diff.jsonl")" \
	"VRP AR2200 5.170 V200R010C10 > VRP AR2200 5.170 V200R011C10"
eq "diff: vendors of appeared and disappeared" \
	"$(rows 'r["vendor"]' 'r["change"] in ("appeared","disappeared")' < "$tmp/diff.jsonl")" "zte zte"
eq "diff table: summary line" "$("$TM" diff --db "$db" 1 2 | tail -1)" \
	"run 1 -> run 2: 1 appeared, 1 disappeared, 2 changed (4 and 4 assets)"
eq "diff csv: header and rows" "$("$TM" diff --db "$db" 1 2 --format csv | head -2)" \
	"change,key,addr,vendor,field,old,new
disappeared,ip:/192.0.2.2,192.0.2.2,zte,,,"
eq "diff of a run with itself: nothing" "$("$TM" diff --db "$db" 2 2 --format jsonl | wc -l)" 0
eq "diff reversed: appeared and disappeared swap" \
	"$("$TM" diff --db "$db" 2 1 --format jsonl | rows 'r["change"]+":"+r["addr"]' 'r["change"] in ("appeared","disappeared")')" \
	"appeared:192.0.2.2 disappeared:192.0.2.5"
sqlite3 "$db" "UPDATE runs SET started = 1767225600 WHERE id = 1; UPDATE runs SET started = 1769904000 WHERE id = 2"
eq "diff --since --until picks the last run before each date" \
	"$("$TM" diff --db "$db" --since 2026-01-15 --until 2026-02-15 | tail -1)" \
	"run 1 -> run 2: 1 appeared, 1 disappeared, 2 changed (4 and 4 assets)"
"$TM" diff --db "$db" --since 2025-01-01 > "$tmp/e.out" 2>&1
eq "diff --since before every run: exit status" "$?" 2
ok "diff --since before every run: clear error" grep -q "no finished scan before 2025-01-01" "$tmp/e.out"
"$TM" diff --db "$db" 1 7 > "$tmp/e.out" 2>&1
eq "diff of an unknown run: exit status" "$?" 2
ok "diff of an unknown run: clear error" grep -q "no run 7 in this store" "$tmp/e.out"
eq "diff leaves the store's assets alone" "$(sqlite3 "$db" 'SELECT count(*) FROM assets')" 5

# ---- watch ----
emu_pid=
for off in 24500 24800 25100; do
	"$EMU" --hosts 24 --base 127.34.0.1 --seed 11 --port-offset $off > "$tmp/emu.out" 2>&1 &
	emu_pid=$!
	for _ in $(seq 50); do grep -q ready "$tmp/emu.out" && break; kill -0 $emu_pid 2>/dev/null || break; sleep 0.1; done
	grep -q ready "$tmp/emu.out" && break
	wait $emu_pid 2>/dev/null
done
cleanup_hooks+=("kill $emu_pid 2>/dev/null")
ports=$("$EMU" --port-offset $off --print-ports)
cat > "$tmp/policy.yaml" <<'EOF'
version: 1
name: watch test
lists:
  high-risk:
    include: [fcc-covered]
rules:
  - id: no-high-risk
    action: deny
    list: high-risk
    scope: all
EOF
w=$tmp/w.db
watch() { "$TM" watch --db "$w" --policy "$tmp/policy.yaml" -p "$ports" --rate 5000 --connect-timeout 500 \
	--read-timeout 800 --no-nmap --once "$@"; }
watch 127.34.0.1-127.34.0.8 > "$tmp/w1.out" 2> "$tmp/w1.err"
eq "watch round 1: exit status 1 (new findings, no hook)" "$?" 1
n1=$("$TM" audit --db "$w" --policy "$tmp/policy.yaml" --format jsonl | wc -l)
ok "watch round 1: the emulator's first 8 devices give findings ($n1)" test "$n1" -ge 1
eq "watch round 1: every finding printed as new" "$(grep -c '^{' "$tmp/w1.out")" "$n1"
ok "watch round 1: says it is the first round" grep -q "first round" "$tmp/w1.out"
watch 127.34.0.1-127.34.0.8 > "$tmp/w2.out" 2>&1
eq "watch round 2, same targets: exit status 0" "$?" 0
eq "watch round 2: nothing new" "$(grep '^watch round' "$tmp/w2.out")" "watch round 1: $n1 findings, 0 new"
"$TM" audit --db "$w" --policy "$tmp/policy.yaml" --format jsonl --evidence 0 | rows 'r["addr"]' | tr ' ' '\n' | sort > "$tmp/before.txt"
watch --hook "cat > $tmp/hook.jsonl" 127.34.0.1-127.34.0.24 > "$tmp/w3.out" 2>&1
eq "watch round 3 with a hook: exit status 0" "$?" 0
"$TM" audit --db "$w" --policy "$tmp/policy.yaml" --format jsonl --evidence 0 | rows 'r["addr"]' | tr ' ' '\n' | sort > "$tmp/after.txt"
want=$(comm -13 "$tmp/before.txt" "$tmp/after.txt" | tr '\n' ' ')
ok "watch round 3: new devices with findings among 9..24" test -n "$want"
eq "watch round 3: the hook got exactly the new findings" \
	"$(rows 'r["addr"]' < "$tmp/hook.jsonl" | tr ' ' '\n' | sort | tr '\n' ' ')" "$want"
watch --hook "exit 3" 127.34.0.30 > "$tmp/w4.out" 2>&1
eq "watch: a round with no findings leaves the hook alone (exit 0)" "$?" 0
rm -f "$w.watch"
watch --hook "exit 3" 127.34.0.1-127.34.0.8 > "$tmp/w5.out" 2>&1
eq "watch: a failing hook is an error (exit 2)" "$?" 2
ok "watch: the failing hook named" grep -q "the hook failed (exit status 3)" "$tmp/w5.out"
"$TM" watch --policy "$tmp/policy.yaml" --every 5x 127.0.0.1 > "$tmp/e.out" 2>&1
eq "watch --every 5x: exit status" "$?" 2
ok "watch --every 5x: clear error" grep -q "wants a time like" "$tmp/e.out"

finish diff_watch
