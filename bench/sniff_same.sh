#!/usr/bin/env bash
# bench/sniff_same.sh - the stored result of `trustmap sniff` compared byte
# for byte between two builds (a speed change must not change what is
# stored): each binary sniffs the same captures into a scratch SQLite file,
# and the observations, assets, evidence and links are dumped sorted, by
# content rather than by row id (evidence through its asset's key and its
# observation's fields), then compared with cmp.
# usage: bench/sniff_same.sh OLD_TRUSTMAP NEW_TRUSTMAP CAPTURE...
#   (WORK=DIR keeps the databases and dumps there; EXTRA="--max-flows 64"
#   adds sniff options to both runs)
# Exit 0 when every dump is equal, 1 when one differs (the first lines of
# the diff are shown), 2 on usage or a failed run.
set -u
[ $# -ge 3 ] || { echo "usage: $0 OLD_TRUSTMAP NEW_TRUSTMAP CAPTURE..." >&2; exit 2; }
old=$1 new=$2
shift 2
w=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/tm-sniff-same.XXXXXX")}
[ "${WORK:-}" ] || trap 'rm -rf "$w"' EXIT
mkdir -p "$w"

dump() { # DB OUT
	sqlite3 "$1" >"$2" <<'EOF'
.mode list
.separator "\t"
SELECT 'obs', time, source, addr, scope, mac, ref, site, port, proto, kind, probe, hex(value), flags
 FROM observations ORDER BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14;
SELECT 'asset', key, mac, addr, scope, ref, site, vendor, family, product, model, version, role, conf, flags,
 declared_vendor, component_vendor, hint_vendor, first_seen, last_seen, n_obs FROM assets ORDER BY 2;
SELECT 'ev', a.key, o.time, o.source, o.addr, o.port, o.kind, o.probe, hex(o.value), e.kind, e.vendor,
 e.vendor_raw, e.product, e.version, e.rule, e.strength, e.conf, e.conflict
 FROM evidence e JOIN assets a ON a.id = e.asset_id LEFT JOIN observations o ON o.id = e.obs_id
 ORDER BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18;
SELECT 'link', a_key, a_port, b_key, b_port, source, first_seen, last_seen FROM links ORDER BY 2, 3, 4, 5;
SELECT 'run', kind, status, n_obs, n_skipped FROM runs ORDER BY id;
EOF
}

rc=0
for cap in "$@"; do
	b=$(basename "$cap")
	for v in old new; do
		tm=$old
		[ $v = new ] && tm=$new
		rm -f "$w/$b.$v.db"*
		# shellcheck disable=SC2086
		"$tm" sniff --db "$w/$b.$v.db" --format csv ${EXTRA:-} "$cap" >"$w/$b.$v.out" 2>"$w/$b.$v.err"
		s=$?
		echo "$s" >"$w/$b.$v.rc"
		if [ "$s" -gt 1 ]; then
			echo "$b: $v exited $s: $(head -3 "$w/$b.$v.err")" >&2
			exit 2
		fi
		dump "$w/$b.$v.db" "$w/$b.$v.dump" || exit 2
	done
	if cmp -s "$w/$b.old.dump" "$w/$b.new.dump" && cmp -s "$w/$b.old.rc" "$w/$b.new.rc"; then
		echo "$b: same ($(cut -f1 "$w/$b.new.dump" | sort | uniq -c | awk '{printf "%s%s %s", n++ ? ", " : "", $1, $2}'))"
	else
		echo "$b: DIFFERENT (exit $(cat "$w/$b.old.rc") / $(cat "$w/$b.new.rc"))"
		diff "$w/$b.old.dump" "$w/$b.new.dump" | head -10
		rc=1
	fi
done
exit $rc
