#!/usr/bin/env bash
# faults.sh - the store under faults (issue #7):
#  1. SIGKILL of a scanner at random moments (TM_FAULT_TRIALS, default 20,
#     one and two event loops) against the device emulator on loopback, then
#     `trustmap scan --resume RUN`: the finished run holds exactly the
#     observations of an uninterrupted scan of the same seed (no pair missing,
#     none twice), its status is ok and its progress is every pair;
#  2. two processes writing one SQLite file at once (two scans, committing
#     after every pair, and two imports): both serialized, every observation
#     of both there once, PRAGMA integrity_check ok;
#  3. disk full while writing (a 768 KiB tmpfs in a private mount namespace;
#     skipped when unshare/mount are refused): a clear error naming the
#     file, exit status 2, and the database still opens, passes the check and
#     holds exactly what was committed before.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
EMU=${EMU:-$PWD/${TM_BUILD:-build}/trustmap-emu}
if [ ! -x "$EMU" ] || [ ! -x "$TM" ]; then echo "faults: $TM or $EMU not built"; exit 2; fi
trials=${TM_FAULT_TRIALS:-20}
hosts=16
base=127.33.0.1
last=127.33.0.16
emu_pid=

start_emu() { # start_emu OFFSET: sets emu_pid and ports
	local off
	for off in $1 $(($1 + 300)) $(($1 + 600)); do
		"$EMU" --hosts $hosts --base $base --seed 11 --port-offset "$off" > "$tmp/emu.out" 2>&1 &
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
scan() { # scan DB [extra args]: 16 devices x 14 ports, slow enough (rate 150/s) to be killed mid-way
	local db=$1; shift
	"$TM" scan --db "$db" -p "$ports" --rate 150 --connect-timeout 500 --read-timeout 800 --seed 5 --no-nmap \
		"$@" "$base-$last"
}
exec_scan() { # the same, in place of the calling (sub)shell
	local db=$1; shift
	exec "$TM" scan --db "$db" -p "$ports" --rate 150 --connect-timeout 500 --read-timeout 800 --seed 5 --no-nmap \
		"$@" "$base-$last"
}
# the observations of a store, ignoring time and ids: one line each, sorted
obs_set() {
	sqlite3 "$1" "SELECT addr, port, proto, kind, probe, hex(value), flags FROM observations ORDER BY 1, 2, 3, 4, 5, 6, 7"
}
# until the scan's run is in DB (the scanner has loaded its knowledge)
wait_run() {
	for _ in $(seq 200); do
		[ -s "$1" ] && [ "$(sqlite3 "$1" 'SELECT count(*) FROM runs' 2>/dev/null)" = 1 ] && return 0
		sleep 0.05
	done
	return 1
}

ok "emulator started" start_emu 24400

# ---- 1. SIGKILL at random moments, then --resume ----
for threads in 1 2; do
	scan "$tmp/full$threads.db" --threads $threads > "$tmp/full.out" 2>&1
	eq "uninterrupted scan ($threads loops) exit status" "$?" 0
	obs_set "$tmp/full$threads.db" > "$tmp/full$threads.txt"
done
nfull=$(wc -l < "$tmp/full1.txt")
ok "the uninterrupted scan saw the devices ($nfull observations)" test "$nfull" -ge 100
ok "one and two loops see the same observations" cmp -s "$tmp/full1.txt" "$tmp/full2.txt"
RANDOM=7
exact=0 resumed=0 mid=0 killed_mid=""
for i in $(seq "$trials"); do
	threads=$((i % 2 + 1))
	db="$tmp/kill$i.db"
	delay=$(printf '0.%02d' $((RANDOM % 100)))
	# one in four trials commits after every pair, the others every 1000
	# observations or every second (the default)
	batch=$([ $((i % 4)) = 0 ] && echo 1 || echo 1000)
	# exec: $! must be the scanner itself, not a subshell around it
	(exec_scan "$db" --threads $threads --batch $batch > "$tmp/k.out" 2>&1) &
	pid=$!
	wait_run "$db"
	sleep "$delay"
	sleep "$(printf '0.%02d' $((RANDOM % 100)))"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	before=$(sqlite3 "$db" "SELECT pairs_done FROM runs WHERE id = 1")
	[ "$before" -gt 0 ] && [ "$before" -lt 224 ] && mid=$((mid + 1))
	"$TM" scan --resume 1 --db "$db" --no-nmap > "$tmp/r.out" 2>&1
	rc=$?
	[ $rc = 0 ] && resumed=$((resumed + 1)) || { echo "trial $i: resume exit $rc" >&2; cat "$tmp/r.out" >&2; }
	obs_set "$db" > "$tmp/k.txt"
	# the run's count is all of its observations, the killed process's committed ones too
	st=$(sqlite3 "$db" "SELECT status || ' ' || pairs_done || ' ' || (SELECT count(*) FROM runs) || ' n_obs ' ||
		(n_obs = (SELECT count(*) FROM observations WHERE run_id = 1)) FROM runs WHERE id = 1")
	if cmp -s "$tmp/k.txt" "$tmp/full$threads.txt" && [ "$st" = "ok 224 1 n_obs 1" ]; then
		exact=$((exact + 1))
	else
		echo "trial $i ($threads loops, batch $batch, killed at $before pairs): run '$st'," \
			"$(wc -l < "$tmp/k.txt") observations, want $nfull" >&2
		diff "$tmp/k.txt" "$tmp/full$threads.txt" | head -5 >&2
	fi
done
eq "resume exit status 0 in every trial" "$resumed" "$trials"
eq "result set exactly the uninterrupted scan's in every trial" "$exact" "$trials"
ok "kills landed mid-scan (some pairs committed, not all) in $mid of $trials trials" test "$mid" -ge $((trials / 2))

# a finished run: nothing to resume, nothing added
"$TM" scan --resume 1 --db "$tmp/full1.db" --no-nmap > "$tmp/r.out" 2>&1
eq "resuming a finished run: exit status" "$?" 0
ok "resuming a finished run says so" grep -q "nothing to resume" "$tmp/r.out"
eq "resuming a finished run adds nothing" "$(obs_set "$tmp/full1.db" | wc -l)" "$nfull"
"$TM" scan --resume 99 --db "$tmp/full1.db" > "$tmp/r.out" 2>&1
eq "resuming an unknown run: exit status" "$?" 2
ok "resuming an unknown run: clear error" grep -q "run 99 is not a scan in this store" "$tmp/r.out"
# a hand-broken resume state is refused with its line, never trusted
cp "$tmp/kill1.db" "$tmp/broken.db"
sqlite3 "$tmp/broken.db" "UPDATE runs SET status = 'running', finished = NULL,
	resume = replace(resume, 'loops ', 'loops x')"
"$TM" scan --resume 1 --db "$tmp/broken.db" > "$tmp/r.out" 2>&1
eq "broken resume state: exit status" "$?" 2
ok "broken resume state: the line named" grep -q "resume state, line [0-9]*: not understood" "$tmp/r.out"

# ---- 2. two writers on one SQLite file ----
scan "$tmp/two.db" --batch 1 > "$tmp/w1.out" 2>&1 &
p1=$!
scan "$tmp/two.db" --batch 1 > "$tmp/w2.out" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
if [ "$r1 $r2" = "0 0" ]; then
	eq "two scans writing one file: both runs ok" "$(sqlite3 "$tmp/two.db" "SELECT group_concat(status) FROM runs")" "ok,ok"
	eq "two scans writing one file: each run holds the full scan" \
		"$(sqlite3 "$tmp/two.db" "SELECT count(*) FROM observations GROUP BY run_id" | tr '\n' ' ')" "$nfull $nfull "
else # one waited longer than the busy timeout (slow machine, sanitizers): refused, clearly
	ok "two scans writing one file: the refused one says the database is locked" \
		grep -q "database is locked" "$tmp/w1.out" "$tmp/w2.out"
	ok "two scans writing one file: the other run whole" \
		grep -qx "$nfull" <(sqlite3 "$tmp/two.db" "SELECT count(*) FROM observations GROUP BY run_id")
fi
eq "two scans writing one file: integrity" "$(sqlite3 "$tmp/two.db" 'PRAGMA integrity_check')" "ok"
python3 - "$tmp" <<'PY'
import json, sys
for f in range(2):
    with open("%s/imp%d.jsonl" % (sys.argv[1], f), "w") as o:
        for i in range(20000):
            o.write(json.dumps({"time": 1700000000, "source": "scan", "addr": "10.%d.%d.%d" % (f, i // 250, i % 250),
                                "port": 22, "proto": "tcp", "kind": "ssh_banner", "value": "SSH-2.0-OpenSSH_%d" % i}) + "\n")
PY
"$TM" import --db "$tmp/imp.db" --type jsonl --no-build "$tmp/imp0.jsonl" > "$tmp/i1.out" 2>&1 &
p1=$!
"$TM" import --db "$tmp/imp.db" --type jsonl --no-build "$tmp/imp1.jsonl" > "$tmp/i2.out" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
n=$(sqlite3 "$tmp/imp.db" "SELECT count(*) FROM observations")
if [ "$r1 $r2" = "0 0" ]; then
	eq "two imports at once: serialized, both files whole" "$n" 40000
else # refused: with a clear message, the other file whole
	ok "two imports at once: the refused one says the database is locked" \
		grep -q "database is locked" "$tmp/i1.out" "$tmp/i2.out"
	eq "two imports at once: the other file whole" "$n" 20000
fi
eq "two imports at once: integrity" "$(sqlite3 "$tmp/imp.db" 'PRAGMA integrity_check')" "ok"

# ---- 3. disk full ----
if unshare -m true 2>/dev/null && [ "$(id -u)" = 0 ]; then
	mkdir -p "$tmp/mnt"
	unshare -m bash -c '
		mount -t tmpfs -o size=768k tmpfs "$1/mnt" || exit 99
		"$2" import --db "$1/mnt/full.db" --type jsonl --no-build "$1/small.jsonl" > "$1/d1.out" 2>&1 || exit 98
		"$2" import --db "$1/mnt/full.db" --type jsonl --no-build "$1/imp0.jsonl" > "$1/d2.out" 2>&1
		echo $? > "$1/d2.rc"
		cp "$1/mnt/full.db" "$1/after.db"
		"$2" assets --db "$1/mnt/full.db" --format jsonl > "$1/d3.out" 2>&1
		echo $? > "$1/d3.rc"' _ "$tmp" "$TM" 2>/dev/null &
	head -n 500 "$tmp/imp1.jsonl" > "$tmp/small.jsonl"
	wait $!
	rc=$?
	if [ $rc = 99 ]; then
		skip "disk full: cannot mount a tmpfs here"
	else
		eq "disk full: the small import first" "$rc" 0
		eq "disk full: exit status of the import that fills the disk" "$(cat "$tmp/d2.rc")" 2
		ok "disk full: a clear error" grep -qi "full" "$tmp/d2.out"
		ok "disk full: the error names the file" grep -q "full.db" "$tmp/d2.out"
		eq "disk full: the database still opens (trustmap assets)" "$(cat "$tmp/d3.rc")" 0
		eq "disk full: integrity" "$(sqlite3 "$tmp/after.db" 'PRAGMA integrity_check')" "ok"
		eq "disk full: exactly what was committed before" \
			"$(sqlite3 "$tmp/after.db" "SELECT count(*) FROM observations")" 500
	fi
else
	skip "disk full: not root or no mount namespaces (unshare -m)"
fi

finish faults
