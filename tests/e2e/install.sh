#!/usr/bin/env bash
# install.sh - `make install DESTDIR=... PREFIX=/usr/local` installs exactly
# tests/e2e/install.manifest; the installed tree, moved elsewhere, runs with
# no source tree in sight (its rules, the emulator's personas and the demo's
# mix found beside the binary): kb --selftest, identify, the emulator, a small
# demo; completion words; `make uninstall` removes every file.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
B=${TM_BUILD:-build}
src=$PWD
root=$tmp/root
make --no-print-directory -s BUILD="$B" PREFIX=/usr/local DESTDIR="$root" install >"$tmp/install.log" 2>&1
ok "make install DESTDIR" [ $? = 0 ]
(cd "$root/usr/local" && find . -type f -o -type l | sed 's|^\./||' | LC_ALL=C sort) >"$tmp/got"
ok "installed files are exactly install.manifest" diff -u tests/e2e/install.manifest "$tmp/got"
eq "binaries are executable" "$(stat -c %a "$root/usr/local/bin/trustmap" "$root/usr/local/bin/trustmap-emu" | tr '\n' ' ')" "755 755 "
eq "data is 644" "$(stat -c %a "$root/usr/local/share/trustmap/rules/vendors.tm" "$root/usr/local/share/man/man1/trustmap.1" | tr '\n' ' ')" "644 644 "

# moved away: another prefix, run from a directory with no sources, no
# environment pointing back, a home without ~/.config/trustmap
moved=$tmp/elsewhere/opt/tm
mkdir -p "$tmp/elsewhere/opt" "$tmp/home" "$tmp/cwd"
mv "$root/usr/local" "$moved"
cd "$tmp/cwd"
run() { env -i PATH=/usr/bin:/bin HOME="$tmp/home" "$@"; }
T=$moved/bin/trustmap
out=$(run "$T" kb --selftest 2>&1)
ok "kb --selftest from the moved install" [ $? = 0 ]
eq "rules found beside the binary" "$(awk '$1=="vendors" {print $4}' <<<"$out")" "$moved/share/trustmap/rules/vendors.tm"
eq "every example passes" "$(grep -c ', 0 failed' <<<"$out")" 1
got=$(run "$T" identify --ssh-banner 'SSH-2.0-HUAWEI-VRP3.1' --mac 00:e0:fc:12:34:56 --format jsonl |
	python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["vendor"])')
eq "identify from the moved install: huawei" "$got" huawei
got=$(run "$T" identify --sysdescr 'Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE11' --format jsonl |
	python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["vendor"])')
eq "identify a sysDescr: cisco" "$got" cisco
eq "--version names the moved rules" "$(run "$T" --version | awk '$1=="rules" {print $3}')" "$moved/share/trustmap/rules"
eq "--version: the rules' version" "$(run "$T" --version | awk '$1=="rules" {print $2}')" "$(cat "$src/rules/VERSION")"
n=$(run "$moved/bin/trustmap-emu" --list-personas 2>/dev/null | wc -l)
eq "trustmap-emu reads its installed personas" "$n" "$(grep -c '^persona ' "$src/tools/emu/personas.tm")"
grep -q "^persona " "$src/tools/emu/personas.tm" || skip "no personas in the tree"

# a small demo from the moved install: every Huawei device the emulator plays is found
if run "$T" demo --hosts 120 --seed 7 --db "$tmp/demo.db" --manifest "$tmp/demo.jsonl" >"$tmp/demo.out" 2>&1; then
	want=$(grep -c '"vendor":"huawei"' "$tmp/demo.jsonl")
	ok "the demo plays Huawei devices" [ "$want" -gt 0 ]
	got=$(run "$T" assets --db "$tmp/demo.db" --vendor huawei --format csv | tail -n +2 | wc -l)
	eq "installed demo: Huawei devices attributed = played" "$got" "$want"
	ok "installed demo lists the FCC Covered List" grep -q '== on the FCC Covered List' "$tmp/demo.out"
	kb=$(sqlite3 "$tmp/demo.db" "SELECT kb FROM runs WHERE kind = 'scan'")
	eq "the scan's run records the rules it used" "$(grep -o 'rules=[^;]*' <<<"$kb")" "rules=$(cat "$src/rules/VERSION")"
else
	cat "$tmp/demo.out" >&2
	ok "installed demo runs" false
fi

# completion words come from the same binary
eq "complete commands" "$(run "$T" complete commands | tr '\n' ' ')" \
	"$("$src/$B/trustmap" --help | awk '/^commands:/ {on=1; next} on && !NF {exit} on {print $1}' | tr '\n' ' ')"
eq "complete --format values of assets" "$(run "$T" complete values assets --format | tr '\n' ' ')" "table jsonl csv "
eq "complete lists" "$(run "$T" complete lists | tr '\n' ' ')" "fcc-covered ndaa-889 "
eq "complete vendors known in the store" "$(run "$T" complete vendors "$tmp/demo.db" | sort | tr '\n' ' ')" \
	"$(sqlite3 "$tmp/demo.db" "SELECT DISTINCT vendor FROM assets WHERE vendor != ''" | sort | tr '\n' ' ')"
eq "complete run ids" "$(run "$T" complete runs "$tmp/demo.db" | tr '\n' ' ')" \
	"$(sqlite3 "$tmp/demo.db" 'SELECT id FROM runs ORDER BY id' | tr '\n' ' ')"
(cd "$tmp/cwd" && run "$T" complete runs nothere.db)
ok "completion never creates a store" [ ! -e "$tmp/cwd/nothere.db" ]
# the bash completion script itself, driven as bash would
if [ -f /usr/share/bash-completion/bash_completion ]; then
	c=$(PATH="$moved/bin:$PATH" bash -c '
		. /usr/share/bash-completion/bash_completion
		. "$1"
		COMP_WORDS=(trustmap assets --for); COMP_CWORD=2; COMP_LINE="trustmap assets --for"; COMP_POINT=${#COMP_LINE}
		_trustmap; echo "${COMPREPLY[*]}"
		COMP_WORDS=(trustmap assets --format ""); COMP_CWORD=3; COMP_LINE="trustmap assets --format "; COMP_POINT=${#COMP_LINE}
		_trustmap; echo "${COMPREPLY[*]}"
		COMP_WORDS=(trustmap au); COMP_CWORD=1; COMP_LINE="trustmap au"; COMP_POINT=${#COMP_LINE}
		_trustmap; echo "${COMPREPLY[*]}"' _ "$moved/share/bash-completion/completions/trustmap")
	eq "bash completion: option, --format values, command" "$(tr '\n' '|' <<<"$c")" "--format|table jsonl csv|audit|"
else
	skip "bash-completion not installed"
fi

# uninstall from where it was installed
cd "$src"
mv "$moved" "$root/usr/local"
make --no-print-directory -s BUILD="$B" PREFIX=/usr/local DESTDIR="$root" uninstall >"$tmp/uninstall.log" 2>&1
ok "make uninstall" [ $? = 0 ]
eq "no file left after uninstall" "$(find "$root" -type f | wc -l)" 0
finish install
