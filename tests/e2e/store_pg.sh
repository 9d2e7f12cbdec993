#!/usr/bin/env bash
# store_pg.sh - the store on a real PostgreSQL server (issue #7): starts a
# throwaway server (tests/e2e/pg.bash: a cluster in a temporary directory, a
# Unix socket, no TCP) and runs the whole store unit test suite a second
# time against it (TM_TEST_DB_URL; their counts are added to ours), then
# the command line: TRUSTMAP_DB, a password given in the --db URL hidden
# from ps, from the run's recorded arguments and from every message, and a
# clear error for a server that is not there.  Skips when no server starts.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
. tests/e2e/pg.bash
B=${TM_BUILD:-build}
if ! pg_start; then skip "$PG_WHY"; finish store_pg; exit; fi

# ---- the unit tests, on PostgreSQL ----
for t in test_store test_store_links test_store_bulk; do
	if [ ! -x "$B/tests/$t" ]; then skip "$B/tests/$t not built"; continue; fi
	TM_TEST_DB_URL=$PG_URL "$B/tests/$t" > "$tmp/$t.out" 2>&1
	st=$?
	line=$(grep -E "^$t: [0-9]+ passed, [0-9]+ failed" "$tmp/$t.out" | tail -n 1)
	p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')
	f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
	ok "$t ran on PostgreSQL" grep -q "on PostgreSQL" "$tmp/$t.out"
	if [ -z "$line" ] || [ "$st" != 0 ]; then
		failn=$((failn + 1)); echo "FAIL: $t on PostgreSQL (exit $st)" >&2; tail -n 20 "$tmp/$t.out" >&2
	fi
	pass=$((pass + ${p:-0})); failn=$((failn + ${f:-0}))
	[ "${f:-0}" = 0 ] || grep -v ' passed, ' "$tmp/$t.out" | tail -n 20 >&2
done

# ---- the command line ----
pg_sql -c "CREATE SCHEMA cli"
url="$PG_URL&options=-csearch_path%3Dcli"
secret_url="postgresql://postgres:Hunter2secret@/postgres?host=$PGDIR&options=-csearch_path%3Dcli"
"$TM" import --db "$url" tests/data/audit/inv.csv > "$tmp/imp.out" 2>&1
eq "import into PostgreSQL" "$?" 0
"$TM" import --db "$tmp/lite.db" tests/data/audit/inv.csv > /dev/null 2>&1
eq "the same assets as in SQLite" \
	"$("$TM" assets --db "$url" --format csv | cut -d, -f2- | LC_ALL=C sort | md5sum)" \
	"$("$TM" assets --db "$tmp/lite.db" --format csv | cut -d, -f2- | LC_ALL=C sort | md5sum)"
eq "TRUSTMAP_DB names the store when --db is not given" \
	"$(cd "$tmp" && TRUSTMAP_DB=$url "$TM" assets --format csv | wc -l)" "$("$TM" assets --db "$url" --format csv | wc -l)"
ok "no trustmap.db made beside it" test ! -e "$tmp/trustmap.db"

# a slow scan (refused loopback ports, 3 pairs a second) with the password in its --db URL
"$TM" scan --db "$secret_url" -p 9 --rate 3 --seed 1 --scan-name secretive 127.0.0.1-127.0.0.9 > "$tmp/scan.out" 2>&1 &
spid=$!
sleep 1.5
tr '\0' ' ' < "/proc/$spid/cmdline" > "$tmp/cmdline" 2>/dev/null
wait $spid
eq "the scan with a password in the URL works" "$?" 0
ok "ps shows the URL without the password" grep -q "postgresql://postgres@/postgres" "$tmp/cmdline"
ok "ps never shows the password" sh -c "! grep -q Hunter2secret '$tmp/cmdline'"
eq "the run records the URL without the password" \
	"$(pg_sql -c "SELECT count(*) FROM cli.runs WHERE args LIKE '%postgres@/postgres%' AND args NOT LIKE '%Hunter2%'")" 1
eq "no stored text holds the password" "$(pg_sql -c "SELECT count(*) FROM cli.runs WHERE args LIKE '%Hunter2%' OR kb LIKE '%Hunter2%'")" 0
eq "trustmap scans lists it" "$("$TM" scans --db "$url" --format csv | awk -F, '$1 == "secretive" {print $4, $5, $6}')" "ok 9 9"

# a server that is not there: exit 2, a clear message naming the URL, never the password
"$TM" assets --db "postgresql://tm:Hunter2secret@/nowhere?host=$tmp/none" > "$tmp/o" 2> "$tmp/e"
eq "no server: exit 2" "$?" 2
ok "no server: says it cannot connect, naming the URL ($(head -c 150 "$tmp/e"))" \
	grep -q "postgresql://tm@/nowhere?host=$tmp/none: cannot connect" "$tmp/e"
ok "no server: the password is not in the message" sh -c "! grep -q Hunter2 '$tmp/e'"
finish store_pg
