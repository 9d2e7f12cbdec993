#!/usr/bin/env bash
# sniff_resume.sh - `trustmap sniff --resume RUN` (issue #7, item 3):
#  1. SIGKILL of a capture run over three files (pcap, pcapng, pcap; 3,182
#     packets: 100 TCP flows whose banners and HTTP responses come in small
#     segments interleaved with everything else, bulk flows, LLDP and CDP
#     repeated, DHCP, ARP) at random moments (TM_SNIFF_TRIALS, default 24),
#     some resumes killed again, then --resume: observations (as a sorted
#     list, times included), links (first/last seen), assets (vendors,
#     models, counts) and the run's record exactly those of an
#     uninterrupted run; flows open at the kill point (a banner split across
#     it) found once;
#  2. SIGINT stops at a packet, the run is "interrupted", --resume finishes
#     it exactly;
#  3. refusals: a changed file (size, same size other bytes), another number
#     of files, a finished run, an unknown run, -i, standard input, options
#     that would change the result, a hand-broken state (its line named);
#     files moved elsewhere are accepted when given again;
#  4. pcap seeks, pcapng re-reads: the same result with TRUSTMAP_SNIFF_NOSEEK.
#  5. PostgreSQL, when tests/e2e/pg.bash can start a server and the backend
#     keeps resume states: a few kill-and-resume trials there too.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
if [ ! -x "$TM" ]; then echo "sniff_resume: $TM not built"; exit 2; fi
trials=${TM_SNIFF_TRIALS:-24}
d=$tmp/cap
mkdir -p "$d"

python3 - "$d" "$PWD/tests" > "$tmp/gen.out" <<'PY' || { echo "sniff_resume: generator failed"; exit 2; }
import os, random, sys
sys.path.insert(0, sys.argv[2])
import pcapgen as g
import pcapgen_app as app
import pcapgen_l2 as l2

d = sys.argv[1]
R = random.Random(42)
streams = []  # frame lists, each kept in order, interleaved at random below


def flow(i, server, sport, data, mss):
    fr = g.tcp_flow("10.9.0.%d" % (100 + i % 100), 40000 + i, server, sport, data, mss=mss,
                    cmac="02:00:00:10:00:%02x" % (i % 256), smac="02:00:00:20:%02x:%02x" % (i // 256, i % 256),
                    isn_s=1000 * i + 7)
    streams.append([f for _, f in fr])


banners = [
    (22, lambda i: b"SSH-2.0-HUAWEI-1.5 host%d\r\n" % i),
    (21, lambda i: b"220 ZXHN F670L FTP server %d ready\r\n" % i),
    (80, lambda i: app.http_response(server="Hikvision-Webs", title="cam %d" % i, body=b"x" * 300)),
    (23, lambda i: b"\r\nHuawei Technologies Co., Ltd. unit %d\r\nLogin: " % i),
    (80, lambda i: app.http_response(server="DNVRS-Webs", realm="DVR %d" % i)),
]
for i in range(60):  # banners in 6- to 40-byte segments: open across many packets
    port, mk = banners[i % len(banners)]
    flow(i, "10.1.0.%d" % (1 + i), port, mk(i), mss=R.choice([6, 9, 16, 40]))
for i in range(40):  # bulk: 40 KiB in 1,000-byte segments
    flow(200 + i, "10.2.0.%d" % (1 + i), 8000 + i, bytes(R.randrange(256) for _ in range(200)) * 200, mss=1000)
for s in range(6):
    lp = l2.lldp(chassis_mac="00:e0:fc:00:00:%02x" % s, port_id="GigabitEthernet0/0/%d" % s,
                 sysname="sw%d" % s, sysdesc="Huawei Versatile Routing Platform Software VRP %d" % s)
    streams.append([l2.lldp_frame("00:e0:fc:00:01:%02x" % s, lp)] * 12)
for s in range(3):
    cp = l2.cdp(device_id="r%d" % s, platform="cisco WS-C2960X-48FPD-L",
                version="Cisco IOS Software, Version 15.2(%d)E4" % s, port_id="Gi1/0/%d" % s,
                addrs=("10.3.0.%d" % (s + 1),))
    streams.append([l2.cdp_frame("00:1b:54:00:00:%02x" % s, cp)] * 8)
for c in range(25):
    m = "00:19:c6:00:00:%02x" % c
    dh = l2.dhcp4(mac=m, hostname="ont-%d" % c, vendor_class="ZTE-F670L", client_id_mac=m,
                  prl=[1, 3, 6, 15, 43, 60], xid=c + 1)
    streams.append([l2.dhcp4_frame(m, dh)] * 3)
    streams.append([l2.arp_frame(m, l2.arp(m, "10.4.0.%d" % (c + 1), "10.4.0.254"))] * 2)
pos = [0] * len(streams)
live = [k for k in range(len(streams)) if streams[k]]
out = []
while live:
    k = R.choice(live)
    out.append(streams[k][pos[k]])
    pos[k] += 1
    if pos[k] == len(streams[k]):
        live.remove(k)
t = [(1700000000 + n * 0.05, f) for n, f in enumerate(out)]
a, b = len(t) // 3, 2 * len(t) // 3
g.write_pcap(os.path.join(d, "part1.pcap"), t[:a])
g.write_pcapng(os.path.join(d, "part2.pcapng"), t[a:b])
g.write_pcap(os.path.join(d, "part3.pcap"), t[b:])
print(len(t))
PY
eq "the capture: packets" "$(cat "$tmp/gen.out")" 3182
files=("$d/part1.pcap" "$d/part2.pcapng" "$d/part3.pcap")

# what a run leaves in the store, ids aside: observations, links, assets, the run
dump() {
	sqlite3 "$1" "SELECT time, source, addr, scope, mac, port, proto, kind, probe, hex(value), flags
		FROM observations ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"
	echo "-- links"
	sqlite3 "$1" "SELECT run_id, a_key, a_port, b_key, b_port, source, first_seen, last_seen FROM links
		ORDER BY 2, 3, 4, 5"
	echo "-- assets"
	sqlite3 "$1" "SELECT key, mac, addr, scope, vendor, family, product, model, version, role, conf, flags,
		n_obs, first_seen, last_seen FROM assets ORDER BY key"
	echo "-- runs"
	sqlite3 "$1" "SELECT id, kind, status, n_obs, n_skipped FROM runs"
}
wait_run() { # until DB holds run 1 (the knowledge is loaded, the run begun)
	for _ in $(seq 300); do
		[ "$(sqlite3 "$1" 'SELECT count(*) FROM runs' 2>/dev/null)" = 1 ] && return 0
		sleep 0.02
	done
	return 1
}
state() { sqlite3 "$1" "SELECT resume FROM runs WHERE id = 1"; }
# killer DB obs N CMD... | killer DB delay SECONDS CMD...: runs CMD, waits for its run in DB, then until
# N observations are committed (or the delay is over) and SIGKILLs it
killer() {
	python3 - "$@" <<'PY'
import os, signal, sqlite3, subprocess, sys, time
db, how, arg, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def count(sql):
    try:
        c = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=0.05)
        try:
            return c.execute(sql).fetchone()[0]
        finally:
            c.close()
    except sqlite3.Error:
        return -1
deadline = time.time() + 60
while p.poll() is None and count("SELECT count(*) FROM runs") < 1 and time.time() < deadline:
    time.sleep(0.002)
if how == "delay":
    time.sleep(float(arg))
else:
    while p.poll() is None and count("SELECT count(*) FROM observations") < int(arg) and time.time() < deadline:
        time.sleep(0.001)
if p.poll() is None:
    p.send_signal(signal.SIGKILL)
p.wait()
PY
}

"$TM" sniff --no-nmap --db "$tmp/full.db" "${files[@]}" > "$tmp/full.out" 2>&1
eq "uninterrupted run: exit status" "$?" 0
dump "$tmp/full.db" > "$tmp/full.txt"
nobs=$(sqlite3 "$tmp/full.db" "SELECT count(*) FROM observations")
eq "uninterrupted run: observations, links, assets, attributed" \
	"$nobs $(sqlite3 "$tmp/full.db" "SELECT (SELECT count(*) FROM links) || ' ' || count(*) || ' ' || sum(vendor != '')
		FROM assets")" \
	"490 15 333 82"
eq "uninterrupted run: vendors" \
	"$(sqlite3 "$tmp/full.db" "SELECT group_concat(v, ' ') FROM (SELECT vendor || '=' || count(*) AS v FROM assets
		WHERE vendor != '' GROUP BY vendor ORDER BY vendor)")" "cisco=3 hikvision=24 huawei=30 zte=25"
"$TM" sniff --no-nmap --db "$tmp/full2.db" --batch 1 "${files[@]}" > /dev/null 2>&1
dump "$tmp/full2.db" > "$tmp/full2.txt"
ok "a run committing after every packet stores the same" cmp -s "$tmp/full.txt" "$tmp/full2.txt"
ok "the finished run's state says complete" sh -c "sqlite3 '$tmp/full.db' 'SELECT resume FROM runs' | grep -qx 'complete 1'"

# ---- 1. SIGKILL at random moments, then --resume ----
RANDOM=11
exact=0 resumed=0 mid=0 inflight=0 twice=0 replayed=0 banners=0 dups=0
for i in $(seq "$trials"); do
	db=$tmp/kill$i.db
	batch=$(case $((i % 4)) in 0) echo 1000 ;; 1) echo 1 ;; 2) echo 5 ;; 3) echo 40 ;; esac)
	if [ "$batch" != 1000 ]; then
		# once this many observations are committed (polled from here: a shell loop is too slow under load)
		killer "$db" obs $((1 + RANDOM % (nobs - 20))) "$TM" sniff --no-nmap --db "$db" --batch "$batch" "${files[@]}"
	else
		# any moment after the run began (batch 1000: no commit before the end)
		killer "$db" delay "0.$(printf '%03d' $((RANDOM % 400)))" "$TM" sniff --no-nmap --db "$db" --batch "$batch" "${files[@]}"
	fi
	before=$(sqlite3 "$db" "SELECT count(*) FROM observations WHERE run_id = 1")
	bbefore=$(sqlite3 "$db" "SELECT count(*) FROM observations WHERE port IN (21, 22, 23, 80)")
	st=$(state "$db")
	born=$(printf '%s\n' "$st" | sed -n 's/^born //p')
	echo "trial $i: batch $batch, killed with $before of $nobs observations committed, ${born:-?} flows open," \
		"re-read from $(printf '%s\n' "$st" | sed -n 's/^from //p') to $(printf '%s\n' "$st" | sed -n 's/^next //p')"
	[ "$before" -gt 0 ] && [ "$before" -lt "$nobs" ] && mid=$((mid + 1))
	[ "${born:-0}" -gt 0 ] && inflight=$((inflight + 1))
	[ "$(printf '%s\n' "$st" | sed -n 's/^from //p')" != "$(printf '%s\n' "$st" | sed -n 's/^next //p')" ] &&
		replayed=$((replayed + 1))
	if [ $((i % 6)) = 5 ]; then # the resume killed too, then resumed again
		"$TM" sniff --no-nmap --db "$db" --resume 1 > /dev/null 2>&1 &
		rp=$!
		sleep "$(printf '0.%03d' $((100 + RANDOM % 250)))"
		kill -KILL $rp 2>/dev/null
		wait $rp 2>/dev/null
		twice=$((twice + 1))
	fi
	"$TM" sniff --no-nmap --db "$db" --resume 1 > "$tmp/r.out" 2>&1
	rc=$?
	[ $rc = 0 ] && resumed=$((resumed + 1)) || { echo "trial $i: resume exit $rc" >&2; cat "$tmp/r.out" >&2; }
	dump "$db" > "$tmp/k.txt"
	bafter=$(sqlite3 "$db" "SELECT count(*) FROM observations WHERE port IN (21, 22, 23, 80)")
	[ "${born:-0}" -gt 0 ] && banners=$((banners + bafter - bbefore))
	twins=$(sqlite3 "$db" "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT addr, mac, port, kind, probe, value
		FROM observations)) FROM observations")
	dups=$((dups + twins))
	if cmp -s "$tmp/k.txt" "$tmp/full.txt"; then
		exact=$((exact + 1))
	else
		echo "trial $i (batch $batch, $before observations, $born flows open at the kill):" >&2
		diff "$tmp/k.txt" "$tmp/full.txt" | head -8 >&2
	fi
done
eq "resume exit status 0 in every trial" "$resumed" "$trials"
eq "observations, links, assets and run exactly the uninterrupted run's in every trial" "$exact" "$trials"
ok "kills landed mid-run (some observations committed, not all) in $mid of $trials trials" test "$mid" -ge $((trials / 2))
ok "flows were open at the kill point (banners split across it) in $inflight of $trials trials" \
	test "$inflight" -ge $((trials / 3))
ok "banners and HTTP responses stored by resumes that had flows open at the kill point: $banners" test "$banners" -gt 0
eq "no observation stored twice in any trial" "$dups" 0
ok "the resume re-read from before its checkpoint in $replayed of $trials trials" test "$replayed" -ge $((trials / 3))
ok "resumes killed and resumed again: $twice" test "$twice" -ge $((trials / 8))

# ---- 2. SIGINT: stopped at a packet, interrupted, resumable ----
# sniff reads this capture in milliseconds: a trigger slows each stored observation (a scan of 100,000
# rows) so that the signal lands mid-capture
"$TM" assets --db "$tmp/int.db" > /dev/null 2>&1
sqlite3 "$tmp/int.db" "CREATE TABLE slow(x); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)
	INSERT INTO slow SELECT x FROM c; CREATE TRIGGER slow_obs AFTER INSERT ON observations BEGIN
	SELECT count(*) FROM slow WHERE x % 7 = 3; END"
"$TM" sniff --no-nmap --db "$tmp/int.db" --batch 1 "${files[@]}" > "$tmp/int.out" 2>&1 &
pid=$!
wait_run "$tmp/int.db"
for _ in $(seq 200); do
	[ "$(sqlite3 "$tmp/int.db" "SELECT count(*) FROM observations" 2>/dev/null || echo 0)" -gt 0 ] && break
	sleep 0.01
done
kill -INT $pid
wait $pid
eq "SIGINT: exit status" "$?" 0
st=$(sqlite3 "$tmp/int.db" "SELECT status FROM runs")
n1=$(sqlite3 "$tmp/int.db" "SELECT count(*) FROM observations")
if [ "$st" = interrupted ]; then
	# sniff reads this capture in milliseconds: the signal may land after its last packet, before the end
	if [ "$n1" -eq "$nobs" ]; then
		skip "SIGINT came after the last observation was stored: not a stop mid-capture"
	else
		ok "SIGINT: part of the observations ($n1 of $nobs)" test "$n1" -lt "$nobs"
	fi
	sqlite3 "$tmp/int.db" "DROP TRIGGER slow_obs; DROP TABLE slow"
	"$TM" sniff --no-nmap --db "$tmp/int.db" --resume 1 > "$tmp/r.out" 2>&1
	eq "SIGINT: resume exit status" "$?" 0
	dump "$tmp/int.db" > "$tmp/k.txt"
	ok "SIGINT then --resume: exactly the uninterrupted run" cmp -s "$tmp/k.txt" "$tmp/full.txt"
else
	skip "SIGINT came after the run ended ($st)"
fi

# ---- 3. refusals ----
cp "$tmp/kill1.db" "$tmp/fin.db"
"$TM" sniff --no-nmap --db "$tmp/fin.db" --resume 1 > "$tmp/r.out" 2>&1
eq "a finished run: exit status" "$?" 0
ok "a finished run: nothing to resume" grep -q "run 1 is finished: nothing to resume" "$tmp/r.out"
dump "$tmp/fin.db" > "$tmp/k.txt"
ok "a finished run: nothing added" cmp -s "$tmp/k.txt" "$tmp/full.txt"
"$TM" sniff --no-nmap --db "$tmp/fin.db" --resume 7 > "$tmp/r.out" 2>&1
eq "an unknown run: exit status" "$?" 2
ok "an unknown run: said" grep -q "run 7 is not a capture run in this store" "$tmp/r.out"

# a run to refuse against: the finished one made unfinished again (its state: at the end)
mkstop() { # mkstop DB
	cp "$tmp/fin.db" "$1"
	sqlite3 "$1" "UPDATE runs SET status = 'running', finished = NULL,
		resume = replace(resume, 'complete 1', 'complete 0')"
}
mkstop "$tmp/stop.db"
cp -r "$d" "$tmp/moved"
"$TM" sniff --no-nmap --db "$tmp/stop.db" --resume 1 "$tmp/moved/part1.pcap" "$tmp/moved/part2.pcapng" \
	"$tmp/moved/part3.pcap" > "$tmp/r.out" 2>&1
eq "files moved and given again: accepted" "$?" 0
ok "files moved: the state now names the new paths" sh -c "sqlite3 '$tmp/stop.db' 'SELECT resume FROM runs' | grep -q '/moved/part2.pcapng'"
mkstop "$tmp/stop.db"
printf 'x' >> "$tmp/moved/part3.pcap"
"$TM" sniff --no-nmap --db "$tmp/stop.db" --resume 1 "$tmp/moved/part1.pcap" "$tmp/moved/part2.pcapng" \
	"$tmp/moved/part3.pcap" > "$tmp/r.out" 2>&1
eq "a file grown by a byte: exit status" "$?" 2
ok "a file grown by a byte: named, with both sizes" \
	grep -q "moved/part3.pcap has changed since run 1 read it as file 3 (.*part3.pcap): 808459 bytes, then 808458" "$tmp/r.out"
cp "$d/part3.pcap" "$tmp/moved/part3.pcap"
python3 -c "
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[40] ^= 0xff
open(p, 'wb').write(b)" "$tmp/moved/part1.pcap"
"$TM" sniff --no-nmap --db "$tmp/stop.db" --resume 1 "$tmp/moved/part1.pcap" "$tmp/moved/part2.pcapng" \
	"$tmp/moved/part3.pcap" > "$tmp/r.out" 2>&1
eq "a byte changed, same size: exit status" "$?" 2
ok "a byte changed, same size: said" grep -q "part1.pcap has changed since run 1 read it as file 1 .*same size, other bytes" "$tmp/r.out"
"$TM" sniff --no-nmap --db "$tmp/stop.db" --resume 1 "${files[0]}" > "$tmp/r.out" 2>&1
eq "another number of files: exit status" "$?" 2
ok "another number of files: said" grep -q "run 1 read 3 capture files; give the same" "$tmp/r.out"
ok "refusals added nothing" test "$(sqlite3 "$tmp/stop.db" "SELECT status FROM runs")" = running
"$TM" sniff --no-nmap --db "$tmp/stop.db" --resume 1 -i lo > "$tmp/r.out" 2>&1
eq "-i with --resume: exit status" "$?" 2
ok "-i with --resume: said" grep -q "a live capture (-i) cannot be resumed" "$tmp/r.out"
"$TM" sniff --no-nmap --db "$tmp/stop.db" --resume 1 - < "${files[0]}" > "$tmp/r.out" 2>&1
eq "standard input with --resume: exit status" "$?" 2
ok "standard input with --resume: said" grep -q "standard input (-) cannot be resumed" "$tmp/r.out"
"$TM" sniff --no-nmap --db "$tmp/stop.db" --resume 1 --idle 5 > "$tmp/r.out" 2>&1
eq "--idle with --resume: exit status" "$?" 2
ok "--idle with --resume: said" grep -q "resume keeps the run's own --max-flows" "$tmp/r.out"
"$TM" sniff --no-nmap --db "$tmp/stop.db" --resume x > "$tmp/r.out" 2>&1
eq "--resume x: exit status" "$?" 2
# a run from standard input keeps no state
"$TM" sniff --no-nmap --db "$tmp/stdin.db" - < "${files[0]}" > /dev/null 2>&1
sqlite3 "$tmp/stdin.db" "UPDATE runs SET status = 'running', finished = NULL"
"$TM" sniff --no-nmap --db "$tmp/stdin.db" --resume 1 > "$tmp/r.out" 2>&1
eq "a run from standard input: exit status" "$?" 2
ok "a run from standard input: no resume state" grep -q "run 1 has no resume state (standard input" "$tmp/r.out"
# a hand-broken state: refused with its line
for edit in "'born ', 'born x'" "'next ', 'next 9'" "'failed 0', 'failed -1'" "'file ', 'fil '"; do
	mkstop "$tmp/broken.db"
	sqlite3 "$tmp/broken.db" "UPDATE runs SET resume = replace(resume, $edit)"
	"$TM" sniff --no-nmap --db "$tmp/broken.db" --resume 1 > "$tmp/r.out" 2>&1
	rc=$?
	if [ $rc = 2 ] && grep -q "run 1: resume state\(, line [0-9]*: not understood\|: incomplete or inconsistent\)" "$tmp/r.out"; then
		pass=$((pass + 1))
	else
		failn=$((failn + 1))
		echo "FAIL: broken state ($edit): exit $rc, $(cat "$tmp/r.out")" >&2
	fi
done
ok "broken states: exit 2 and the line named" grep -q "resume state, line [0-9]*: not understood" "$tmp/r.out"
mkstop "$tmp/broken.db"
sqlite3 "$tmp/broken.db" "UPDATE runs SET resume = replace(resume, 'trustmap-sniff-resume 1', 'trustmap-sniff-resume 2')"
"$TM" sniff --no-nmap --db "$tmp/broken.db" --resume 1 > "$tmp/r.out" 2>&1
ok "a state of another version: line 1 named" grep -q "resume state, line 1: not understood" "$tmp/r.out"

# ---- 4. pcap seeks, pcapng re-reads: the same with re-reading everywhere ----
db=$tmp/noseek.db
"$TM" sniff --no-nmap --db "$db" --batch 1 "${files[@]}" > /dev/null 2>&1 &
pid=$!
wait_run "$db"
sleep 0.2
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
TRUSTMAP_SNIFF_NOSEEK=1 "$TM" sniff --no-nmap --db "$db" --resume 1 > "$tmp/r.out" 2>&1
eq "re-reading instead of seeking: exit status" "$?" 0
dump "$db" > "$tmp/k.txt"
ok "re-reading instead of seeking: the same result" cmp -s "$tmp/k.txt" "$tmp/full.txt"

# ---- 5. PostgreSQL ----
. tests/e2e/pg.bash
if ! pg_start; then
	skip "PostgreSQL: $PG_WHY"
else
	"$TM" sniff --no-nmap --db "$PG_URL" "${files[@]}" > "$tmp/pgfull.out" 2>&1
	if [ -z "$(pg_sql -c "SELECT resume FROM runs WHERE id = 1")" ]; then
		skip "PostgreSQL: this build's backend keeps no resume state"
	else
		pgdump() {
			pg_sql -c "SELECT time, source, addr, scope, mac, port, proto, kind, probe, encode(value, 'hex'), flags
				FROM observations ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"
			pg_sql -c "SELECT a_key, a_port, b_key, b_port, source, first_seen, last_seen FROM links ORDER BY 1, 2, 3, 4"
			pg_sql -c "SELECT key, vendor, family, product, model, version, n_obs FROM assets ORDER BY key"
			pg_sql -c "SELECT kind, status, n_obs FROM runs"
		}
		pgdump > "$tmp/pgfull.txt"
		pgexact=0 pgtrials=4
		for i in $(seq $pgtrials); do
			pg_sql -c "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;" > /dev/null
			"$TM" sniff --no-nmap --db "$PG_URL" --batch 5 "${files[@]}" > /dev/null 2>&1 &
			pid=$!
			for _ in $(seq 300); do [ "$(pg_sql -c 'SELECT count(*) FROM runs' 2>/dev/null)" = 1 ] && break; sleep 0.02; done
			sleep "0.$((RANDOM % 3 + 1))"
			kill -KILL $pid 2>/dev/null
			wait $pid 2>/dev/null
			"$TM" sniff --no-nmap --db "$PG_URL" --resume 1 > "$tmp/r.out" 2>&1 || cat "$tmp/r.out" >&2
			if grep -q "this backend cannot" "$tmp/r.out"; then pgtrials=skip; break; fi
			pgdump > "$tmp/pgk.txt"
			cmp -s "$tmp/pgk.txt" "$tmp/pgfull.txt" && pgexact=$((pgexact + 1))
		done
		if [ $pgtrials = skip ]; then
			skip "PostgreSQL: $(cat "$tmp/r.out")"
		else
			eq "PostgreSQL: killed and resumed runs exactly the uninterrupted run's" "$pgexact" $pgtrials
		fi
	fi
fi

finish sniff_resume
