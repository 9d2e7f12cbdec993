# tests/e2e/lib.bash - assertions for end-to-end scripts.  Source it, call
# ok/eq/skip, end with `finish NAME`, which prints "NAME: N passed, N failed[, N skipped]".
set -u
TM=${TM:-$PWD/${TM_BUILD:-build}/trustmap}
pass=0 failn=0 skipn=0
tmp=$(mktemp -d /tmp/tm-e2e.XXXXXX)
cleanup_hooks=()
cleanup() { for h in "${cleanup_hooks[@]+"${cleanup_hooks[@]}"}"; do eval "$h"; done; rm -rf "$tmp"; }
trap cleanup EXIT
ok() { # ok DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then pass=$((pass + 1)); else failn=$((failn + 1)); echo "FAIL: $d" >&2; fi
}
eq() { # eq DESCRIPTION GOT WANT
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
		failn=$((failn + 1)); printf 'FAIL: %s\n  got:  %s\n  want: %s\n' "$1" "$2" "$3" >&2; fi
}
skip() { skipn=$((skipn + 1)); echo "SKIP: $*" >&2; }
finish() {
	if [ "$skipn" -gt 0 ]; then echo "$1: $pass passed, $failn failed, $skipn skipped"
	else echo "$1: $pass passed, $failn failed"; fi
	[ "$failn" -eq 0 ]
}
# a free TCP port on loopback
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
# rows EXPR [COND]: JSON Lines on stdin; prints EXPR for each row r where COND
# holds, space-separated, in order (python3 expressions over r).
rows() {
	python3 -c '
import json, sys
out = []
for line in sys.stdin:
    r = json.loads(line)
    if eval(sys.argv[2]):
        out.append(str(eval(sys.argv[1])))
print(" ".join(out))' "$1" "${2:-True}"
}
# wait_port ADDR PORT: until something accepts on ADDR:PORT (5 s at most)
wait_port() {
	for _ in $(seq 50); do
		(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "nothing listens on $1:$2" >&2
	return 1
}
