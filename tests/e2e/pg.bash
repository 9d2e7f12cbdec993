# tests/e2e/pg.bash - a throwaway PostgreSQL 15 server for tests (source after
# lib.bash): Debian's binaries, a cluster in a temporary directory, run as
# the user postgres when we are root, listening only on a Unix socket in that
# directory (no TCP), trust authentication, fsync off.  pg_start sets PGDIR,
# PG_SOCK and PG_URL ("postgresql:///postgres?host=DIR&user=postgres") or
# returns 1 with PG_WHY saying why not (callers skip); pg_stop and pg_restart
# stop and restart the same cluster; pg_sql runs SQL as postgres.  The server
# is stopped and its directory removed by lib.bash's cleanup.
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGDIR= PG_URL= PG_WHY= PG_SOCK=
pg_as=()

pg_start() {
	if [ ! -x "$PGBIN/initdb" ]; then PG_WHY="PostgreSQL 15 not installed (scripts/deps)"; return 1; fi
	PGDIR=$(mktemp -d /tmp/tm-pg.XXXXXX)
	pg_as=()
	if [ "$(id -u)" = 0 ]; then
		if ! id postgres >/dev/null 2>&1; then PG_WHY="no postgres user to run the server"; rm -rf "$PGDIR"; return 1; fi
		chown postgres: "$PGDIR"
		chmod 755 "$PGDIR"
		pg_as=(runuser -u postgres --)
	fi
	cleanup_hooks+=(pg_cleanup)
	if ! "${pg_as[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --no-sync >"$PGDIR/initdb.log" 2>&1; then
		PG_WHY="initdb failed: $(tail -n 2 "$PGDIR/initdb.log")"; return 1
	fi
	pg_up || return 1
	PG_SOCK=$PGDIR/.s.PGSQL.5432
	PG_URL="postgresql:///postgres?host=$PGDIR&user=postgres"
}
pg_up() {
	if ! "${pg_as[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 30 \
		-o "-c listen_addresses='' -c unix_socket_directories='$PGDIR' -c fsync=off -c full_page_writes=off -c max_connections=50" \
		start >/dev/null 2>&1; then
		PG_WHY="the server did not start: $(tail -n 3 "$PGDIR/server.log" 2>/dev/null)"; return 1
	fi
}
pg_stop() { "${pg_as[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m "${1:-fast}" -w stop >/dev/null 2>&1; }
pg_restart() { pg_stop "${1:-fast}"; pg_up; }
pg_sql() { "${pg_as[@]}" /usr/bin/psql -h "$PGDIR" -U postgres -d postgres -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
pg_cleanup() {
	[ -n "$PGDIR" ] || return 0
	[ -f "$PGDIR/data/postmaster.pid" ] && "${pg_as[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$PGDIR"
}
