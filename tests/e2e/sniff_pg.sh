#!/usr/bin/env bash
# sniff_pg.sh - `trustmap sniff --resume RUN` on PostgreSQL (issue #7, item
# 3) and what signals do while the server is away, on a throwaway server
# (tests/e2e/pg.bash; skips when none can start):
#  1. an uninterrupted capture run into PostgreSQL stores what the same run
#     stores into SQLite (observations, links, assets);
#  2. SIGKILL at random moments (TM_SNIFF_PG_TRIALS, default 8: by the
#     number of observations committed, batches of 1, 5 and 40, or after a
#     delay with no commit before the end), some resumes killed again, then
#     --resume: observations (a sorted list, times included), links, assets
#     and the run's record exactly the uninterrupted run's, nothing twice;
#  3. the server stopped while sniff writes, then one SIGINT: sniff keeps
#     waiting, finishes cleanly when the server is back (exit 0, the run
#     "interrupted", nothing lost), --resume completes it exactly;
#  4. the server stopped, then SIGINT and SIGTERM: the second gives up the
#     wait at once (TRUSTMAP_DB_RETRY 300 s) with exit status 2 and says
#     so; after a restart the store holds the committed batches, the run is
#     unfinished and --resume completes it exactly.
# Every run has a schema of its own on the one server.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
. tests/e2e/pg.bash
if [ ! -x "$TM" ]; then echo "sniff_pg: $TM not built"; exit 2; fi
if ! pg_start; then skip "PostgreSQL: $PG_WHY"; finish sniff_pg; exit; fi
trials=${TM_SNIFF_PG_TRIALS:-8}
d=$tmp/cap
mkdir -p "$d"

python3 - "$d" "$PWD/tests" > "$tmp/gen.out" <<'PY' || { echo "sniff_pg: generator failed"; exit 2; }
import os, random, sys
sys.path.insert(0, sys.argv[2])
import pcapgen as g
import pcapgen_app as app
import pcapgen_l2 as l2

d = sys.argv[1]
R = random.Random(7)
streams = []


def flow(i, server, sport, data, mss):
    fr = g.tcp_flow("10.9.1.%d" % (100 + i % 100), 41000 + i, server, sport, data, mss=mss,
                    cmac="02:00:00:11:00:%02x" % (i % 256), smac="02:00:00:21:%02x:%02x" % (i // 256, i % 256),
                    isn_s=977 * i + 3)
    streams.append([f for _, f in fr])


banners = [
    (22, lambda i: b"SSH-2.0-HUAWEI-1.5 pg%d\r\n" % i),
    (21, lambda i: b"220 ZXHN F660 FTP server %d ready\r\n" % i),
    (80, lambda i: app.http_response(server="Hikvision-Webs", title="cam %d" % i, body=b"y" * 200)),
]
for i in range(45):  # banners in small segments: open across kill points
    port, mk = banners[i % len(banners)]
    flow(i, "10.5.0.%d" % (1 + i), port, mk(i), mss=R.choice([5, 8, 16]))
for i in range(15):  # bulk
    flow(200 + i, "10.6.0.%d" % (1 + i), 8100 + i, bytes(R.randrange(256) for _ in range(100)) * 200, mss=1000)
for s in range(4):
    lp = l2.lldp(chassis_mac="00:e0:fc:00:02:%02x" % s, port_id="GigabitEthernet0/0/%d" % s,
                 sysname="pgsw%d" % s, sysdesc="Huawei Versatile Routing Platform Software VRP %d" % s)
    streams.append([l2.lldp_frame("00:e0:fc:00:03:%02x" % s, lp)] * 10)
for s in range(2):
    cp = l2.cdp(device_id="pgr%d" % s, platform="cisco WS-C2960X-48FPD-L",
                version="Cisco IOS Software, Version 15.2(%d)E4" % s, port_id="Gi1/0/%d" % s,
                addrs=("10.7.0.%d" % (s + 1),))
    streams.append([l2.cdp_frame("00:1b:54:00:01:%02x" % s, cp)] * 6)
for c in range(15):
    m = "00:19:c6:00:01:%02x" % c
    dh = l2.dhcp4(mac=m, hostname="ont-pg-%d" % c, vendor_class="ZTE-F660", client_id_mac=m,
                  prl=[1, 3, 6, 15, 43, 60], xid=c + 100)
    streams.append([l2.dhcp4_frame(m, dh)] * 3)
    streams.append([l2.arp_frame(m, l2.arp(m, "10.8.0.%d" % (c + 1), "10.8.0.254"))] * 2)
pos = [0] * len(streams)
live = [k for k in range(len(streams)) if streams[k]]
out = []
while live:
    k = R.choice(live)
    out.append(streams[k][pos[k]])
    pos[k] += 1
    if pos[k] == len(streams[k]):
        live.remove(k)
t = [(1700100000 + n * 0.05, f) for n, f in enumerate(out)]
a = len(t) // 2
g.write_pcap(os.path.join(d, "one.pcap"), t[:a])
g.write_pcapng(os.path.join(d, "two.pcapng"), t[a:])
print(len(t))
PY
npk=$(cat "$tmp/gen.out")
ok "the capture: $npk packets" test "$npk" -gt 1000
files=("$d/one.pcap" "$d/two.pcapng")

url_of() { echo "$PG_URL&options=-csearch_path%3D$1"; } # the URL that uses schema $1
url() { # url SCHEMA: a new, empty schema of its own on the server, and the URL that uses it
	pg_sql -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $1 CASCADE; CREATE SCHEMA $1"
	url_of "$1"
}
q() { pg_sql -c "$1" 2>/dev/null; }
# what a run leaves in schema $1, ids aside
dump() {
	q "SELECT time, source, addr, scope, mac, port, proto, kind, probe, encode(value, 'hex'), flags
		FROM $1.observations ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"
	echo "-- links"
	q "SELECT run_id, a_key, a_port, b_key, b_port, source, first_seen, last_seen FROM $1.links
		ORDER BY 2, 3, 4, 5"
	echo "-- assets"
	q "SELECT key, mac, addr, scope, vendor, family, product, model, version, role, conf, flags,
		n_obs, first_seen, last_seen FROM $1.assets ORDER BY key"
	echo "-- runs"
	q "SELECT id, kind, status, n_obs, n_skipped FROM $1.runs"
}
# slow SCHEMA [SECONDS]: the schema made (migrated) and every batch's commit made slower on the server
# (0.01 s: a trigger on the batch tokens), so that kills and the outage land while sniff writes, not after
slow() {
	"$TM" assets --db "$(url_of "$1")" > /dev/null 2>&1
	pg_sql -c "CREATE FUNCTION $1.slow() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN PERFORM pg_sleep(${2:-0.01}); RETURN NULL; END\$\$;
		CREATE TRIGGER slow AFTER INSERT ON $1.tx_done FOR EACH STATEMENT EXECUTE FUNCTION $1.slow()" > /dev/null
}
count() { q "SELECT count(*) FROM $1.$2" || echo -1; }
# the same facts in SQLite and PostgreSQL (values in lower-case hex, assets without their float conf)
lite_facts() {
	sqlite3 "$1" "SELECT time, source, addr, scope, mac, port, proto, kind, probe, lower(hex(value)), flags
		FROM observations" | LC_ALL=C sort
	sqlite3 "$1" "SELECT a_key, a_port, b_key, b_port, source, first_seen, last_seen FROM links" | LC_ALL=C sort
	sqlite3 "$1" "SELECT key, vendor, family, product, model, version, n_obs FROM assets" | LC_ALL=C sort
}
pg_facts() {
	q "SELECT time, source, addr, scope, mac, port, proto, kind, probe, encode(value, 'hex'), flags
		FROM $1.observations" | LC_ALL=C sort
	q "SELECT a_key, a_port, b_key, b_port, source, first_seen, last_seen FROM $1.links" | LC_ALL=C sort
	q "SELECT key, vendor, family, product, model, version, n_obs FROM $1.assets" | LC_ALL=C sort
}
# until schema $1 holds run 1 (the knowledge loaded, the run begun) while pid $2 lives
wait_run() {
	for _ in $(seq 500); do
		[ "$(count "$1" runs)" = 1 ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.02
	done
	return 1
}
# until schema $1 holds at least $2 observations while pid $3 lives
wait_obs() {
	for _ in $(seq 1000); do
		[ "$(count "$1" observations)" -ge "$2" ] && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.01
	done
	return 1
}
# until file $1 holds text $2 (10 s at most)
wait_text() {
	for _ in $(seq 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
	return 1
}
# until pid $1 ends (at most $2 tenths of a second); its exit status in $gone_rc, 1 when it still runs
gone_rc=
wait_gone() {
	local i
	for ((i = 0; i < $2; i++)); do
		kill -0 "$1" 2>/dev/null || { wait "$1"; gone_rc=$?; return 0; }
		sleep 0.1
	done
	return 1
}

# ---- 1. the uninterrupted run, on both stores ----
u=$(url ref)
t0=$SECONDS
"$TM" sniff --no-nmap --db "$u" "${files[@]}" > "$tmp/ref.out" 2>&1
eq "uninterrupted run into PostgreSQL: exit status" "$?" 0
echo "the uninterrupted run took $((SECONDS - t0)) s"
"$TM" sniff --no-nmap --db "$tmp/lite.db" "${files[@]}" > /dev/null 2>&1
eq "uninterrupted run into SQLite: exit status" "$?" 0
dump ref > "$tmp/ref.txt"
nobs=$(count ref observations)
eq "uninterrupted run: observations, links, assets, attributed" \
	"$nobs $(count ref links) $(q "SELECT count(*) || ' ' || sum((vendor != '')::int) FROM ref.assets")" \
	"$(sqlite3 "$tmp/lite.db" "SELECT (SELECT count(*) FROM observations) || ' ' || (SELECT count(*) FROM links) || ' ' ||
		count(*) || ' ' || sum(vendor != '') FROM assets")"
ok "uninterrupted run: $nobs observations" test "$nobs" -gt 150
eq "uninterrupted run: vendors" \
	"$(q "SELECT string_agg(v, ' ') FROM (SELECT vendor || '=' || count(*) AS v FROM ref.assets
		WHERE vendor != '' GROUP BY vendor ORDER BY vendor) x")" "cisco=2 hikvision=15 huawei=19 zte=15"
ok "PostgreSQL and SQLite hold the same observations, links and assets" \
	cmp -s <(lite_facts "$tmp/lite.db") <(pg_facts ref)
eq "the finished run's state says complete" "$(q "SELECT resume FROM ref.runs" | grep -cx 'complete 1')" 1

# ---- 2. SIGKILL at random moments, then --resume ----
RANDOM=5
exact=0 resumed=0 mid=0 inflight=0 twice=0 dups=0
for i in $(seq "$trials"); do
	s=k$i
	u=$(url "$s")
	batch=$(case $((i % 4)) in 0) echo 1000 ;; 1) echo 1 ;; 2) echo 5 ;; 3) echo 40 ;; esac)
	slow "$s" "$(case $batch in 1) echo 0.01 ;; 5) echo 0.05 ;; *) echo 0.3 ;; esac)"
	"$TM" sniff --no-nmap --db "$u" --batch "$batch" "${files[@]}" > /dev/null 2>&1 &
	pid=$!
	wait_run "$s" $pid
	if [ "$batch" = 1000 ]; then # no commit before the end: any moment after the run began
		sleep "0.$(printf '%03d' $((RANDOM % 150)))"
	else
		wait_obs "$s" $((1 + RANDOM % (nobs - 20))) $pid
	fi
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	before=$(count "$s" observations)
	st=$(q "SELECT resume FROM $s.runs WHERE id = 1")
	born=$(printf '%s\n' "$st" | sed -n 's/^born //p')
	echo "trial $i: batch $batch, killed with $before of $nobs observations committed, ${born:-0} flows open"
	[ "$before" -gt 0 ] && [ "$before" -lt "$nobs" ] && mid=$((mid + 1))
	[ "${born:-0}" -gt 0 ] && inflight=$((inflight + 1))
	if [ $((i % 3)) = 2 ]; then # the resume killed too, then resumed again
		"$TM" sniff --no-nmap --db "$u" --resume 1 > /dev/null 2>&1 &
		rp=$!
		sleep "0.$(printf '%03d' $((50 + RANDOM % 200)))"
		kill -KILL $rp 2>/dev/null
		wait $rp 2>/dev/null
		twice=$((twice + 1))
	fi
	t0=$SECONDS
	"$TM" sniff --no-nmap --db "$u" --resume 1 > "$tmp/r.out" 2>&1
	rc=$?
	echo "trial $i: resumed in $((SECONDS - t0)) s"
	[ $rc = 0 ] && resumed=$((resumed + 1)) || { echo "trial $i: resume exit $rc" >&2; cat "$tmp/r.out" >&2; }
	dump "$s" > "$tmp/k.txt"
	dups=$((dups + $(q "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT addr, mac, port, kind, probe, value
		FROM $s.observations) x) FROM $s.observations")))
	if cmp -s "$tmp/k.txt" "$tmp/ref.txt"; then
		exact=$((exact + 1))
	else
		echo "trial $i (batch $batch, $before observations at the kill):" >&2
		diff "$tmp/k.txt" "$tmp/ref.txt" | head -8 >&2
	fi
	pg_sql -c "SET client_min_messages = warning; DROP SCHEMA $s CASCADE" > /dev/null
done
eq "resume exit status 0 in every trial" "$resumed" "$trials"
eq "observations, links, assets and run exactly the uninterrupted run's in every trial" "$exact" "$trials"
ok "kills landed mid-run in $mid of $trials trials" test "$mid" -ge $((trials / 2))
ok "flows were open at the kill point in $inflight of $trials trials" test "$inflight" -ge $((trials / 4))
eq "no observation stored twice in any trial" "$dups" 0
ok "resumes killed and resumed again: $twice" test "$twice" -ge 1

# ---- 3 and 4. the server stopped while sniff writes ----
# outage SCHEMA RETRY: starts sniff (a commit per observation) into SCHEMA, lets it commit 60
# observations, freezes it, stops the server, lets it go on and waits for its "waiting" line;
# sets $pid, $err (its standard error); 1 when any step did not happen
outage() {
	local u
	u=$(url "$1")
	slow "$1" 0.02
	err=$tmp/$1.err
	TRUSTMAP_DB_RETRY=$2 "$TM" sniff --no-nmap --db "$u" --batch 1 "${files[@]}" > "$tmp/$1.out" 2> "$err" &
	pid=$!
	wait_run "$1" $pid && wait_obs "$1" 60 $pid || return 1
	kill -STOP $pid
	pg_stop fast
	kill -CONT $pid
	wait_text "$err" "waiting up to $2 s for the server"
}

# 3. one SIGINT: waits for the server, then finishes cleanly
if outage one 60; then
	pass=$((pass + 1))
	kill -INT $pid
	sleep 1.5
	ok "one SIGINT while the server is away: sniff keeps waiting" kill -0 $pid
	pg_up
	wait_gone $pid 300
	eq "one SIGINT: exit status once the server is back" "$gone_rc" 0
	ok "one SIGINT: said the server is back" grep -q "is back after" "$err"
	n1=$(count one observations)
	eq "one SIGINT: the run interrupted, its count that of the store" \
		"$(q "SELECT status || ' ' || n_obs || ' ' || n_skipped FROM one.runs")" "interrupted $n1 0"
	ok "one SIGINT: part of the observations ($n1 of $nobs)" test "$n1" -gt 60 -a "$n1" -lt "$nobs"
	"$TM" sniff --no-nmap --db "$(url_of one)" --resume 1 > "$tmp/r.out" 2>&1
	eq "one SIGINT: resume exit status" "$?" 0
	dump one > "$tmp/k.txt"
	ok "one SIGINT then --resume: exactly the uninterrupted run" cmp -s "$tmp/k.txt" "$tmp/ref.txt"
else
	failn=$((failn + 1))
	echo "FAIL: one SIGINT: the outage did not come about as planned: $(tail -n 3 "$err")" >&2
	kill -KILL $pid 2>/dev/null
	pg_up
fi

# 4. SIGINT, then SIGTERM: the second gives the wait up at once
if outage two 300; then
	pass=$((pass + 1))
	kill -INT $pid
	sleep 1
	ok "SIGINT while the server is away: sniff keeps waiting" kill -0 $pid
	t0=$(date +%s%N)
	kill -TERM $pid
	if wait_gone $pid 50; then
		ms=$((($(date +%s%N) - t0) / 1000000))
		# no time asserted (the machine is shared): that it ended at all, within the 5 s guard of a
		# 300 s wait, and says why, is the behaviour
		echo "SIGTERM after SIGINT: sniff gave up in $ms ms (the wait was up to 300 s)"
		eq "SIGTERM after SIGINT: exit status (a store error)" "$gone_rc" 2
		ok "SIGTERM after SIGINT: says it gave up waiting ($(grep -m1 'gave up' "$err" | head -c 200))" \
			grep -q "gave up waiting for the server" "$err"
		ok "SIGTERM after SIGINT: no crash, no sanitizer report" sh -c "! grep -q 'runtime error\|AddressSanitizer' '$err'"
	else
		failn=$((failn + 1))
		echo "FAIL: SIGTERM after SIGINT: sniff still waits after 5 s" >&2
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
	fi
	pg_up
	n2=$(count two observations)
	eq "after the restart: the run unfinished, nothing counted twice" \
		"$(q "SELECT status || ' ' || (finished IS NULL) FROM two.runs") $(q "SELECT count(*) - count(DISTINCT (addr, mac, port, kind, probe, value)) FROM two.observations")" \
		"running true 0"
	ok "after the restart: the committed batches are there ($n2 of $nobs, at least the 60 seen)" test "$n2" -ge 60 -a "$n2" -lt "$nobs"
	ok "after the restart: the run's resume state is there" sh -c "[ -n \"\$(printf '%s' '$(q "SELECT resume FROM two.runs")' | grep '^next ')\" ]"
	"$TM" assets --db "$(url_of two)" --format csv > /dev/null 2> "$tmp/a.err"
	eq "after the restart: the store opens and answers" "$?" 0
	"$TM" sniff --no-nmap --db "$(url_of two)" --resume 1 > "$tmp/r.out" 2>&1
	eq "SIGINT, SIGTERM, restart, --resume: exit status" "$?" 0
	dump two > "$tmp/k.txt"
	ok "SIGINT, SIGTERM, restart, --resume: exactly the uninterrupted run" cmp -s "$tmp/k.txt" "$tmp/ref.txt" ||
		diff "$tmp/k.txt" "$tmp/ref.txt" | head -8 >&2
else
	failn=$((failn + 1))
	echo "FAIL: two signals: the outage did not come about as planned: $(tail -n 3 "$err")" >&2
	kill -KILL $pid 2>/dev/null
	pg_up
fi

finish sniff_pg
