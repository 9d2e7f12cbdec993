#!/usr/bin/env bash
# netns.sh - MAC attribution across a real link: two network namespaces made
# by this test (netns), joined by a veth pair whose device end carries a real
# vendor OUI; the emulator plays one device inside the device namespace, the
# scanner dials it from the other, and the neighbour table's MAC must reach
# the attribution.  Needs root and iproute2; skips clearly otherwise.  The
# addresses below exist only inside these namespaces and are removed after.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
EMU=${EMU:-$PWD/${TM_BUILD:-build}/trustmap-emu}
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! ip netns add "tm-probe-$$" 2>/dev/null; then
	skip "network namespaces need root and iproute2: MAC attribution across a link not tested"
	finish netns
	exit 0
fi
ip netns del "tm-probe-$$"
a=tm-scan-$$ b=tm-dev-$$
cleanup_hooks+=("ip netns del $a 2>/dev/null; ip netns del $b 2>/dev/null")
ip netns add $a && ip netns add $b
ip link add tmva$$ type veth peer name tmvb$$
ip link set tmva$$ netns $a
ip link set tmvb$$ netns $b
# the device end carries a Hikvision OUI (IEEE MA-L 44:47:CC), as a camera's NIC would
ip -n $b link set tmvb$$ address 44:47:cc:12:34:56
ip -n $a addr add 10.213.0.1/30 dev tmva$$   # netns-only address
ip -n $b addr add 10.213.0.2/30 dev tmvb$$   # netns-only address
for ns in $a $b; do ip -n $ns link set lo up; done
ip -n $a link set tmva$$ up
ip -n $b link set tmvb$$ up
printf 'mix one\n    hikvision-ipc 1\n' > "$tmp/mix.tm"
ip netns exec $b "$EMU" --hosts 1 --base 10.213.0.2 --mix "$tmp/mix.tm" --port-offset 20000 \
	--manifest "$tmp/manifest.jsonl" > "$tmp/emu.out" 2>&1 &
emu_pid=$!
cleanup_hooks=("kill $emu_pid 2>/dev/null; wait $emu_pid 2>/dev/null" "${cleanup_hooks[@]}")
for _ in $(seq 50); do grep -q ready "$tmp/emu.out" && break; sleep 0.1; done
ok "emulator ready inside the device namespace" grep -q ready "$tmp/emu.out"
ports=$("$EMU" --port-offset 20000 --print-ports)
ip netns exec $a "$TM" scan --db "$tmp/n.db" -p "$ports" --rate 1000 --connect-timeout 1000 \
	--read-timeout 1500 10.213.0.2 > "$tmp/scan.out" 2>&1   # netns-only address
eq "scan exit status" "$?" 0
eq "the device's MAC observed" "$(sqlite3 "$tmp/n.db" "SELECT value FROM observations WHERE kind = 'mac'" | sort -u)" 44:47:cc:12:34:56
"$TM" assets --db "$tmp/n.db" --format jsonl > "$tmp/assets.jsonl"
eq "asset keyed by its MAC, attributed" "$(rows 'r["key"]+" "+r["vendor"]' < "$tmp/assets.jsonl")" "mac:44:47:cc:12:34:56 hikvision"
eq "the OUI is part of the evidence" "$("$TM" show --db "$tmp/n.db" mac:44:47:cc:12:34:56 --format jsonl | rows 'r["says"]' 'r["kind"]=="mac"')" hikvision
kill $emu_pid 2>/dev/null; wait $emu_pid 2>/dev/null
ip netns del $a; ip netns del $b
eq "namespaces removed" "$(ip netns list | grep -c -e "$a" -e "$b")" 0
finish netns
