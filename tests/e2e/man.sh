#!/usr/bin/env bash
# man.sh - the man pages render with `man -l` and groff without a warning;
# every option of every command's --help (and of trustmap-emu --help) is in
# the man page's section for that command; the pages the build made are what
# the binary and docs/policy.md make now (no drift); every command of
# `trustmap --help` has a section.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
B=${TM_BUILD:-build}
M=$B/man
for p in trustmap.1 trustmap-emu.1 trustmap-policy.5; do
	if [ ! -f "$M/$p" ]; then
		ok "$M/$p was built" false
		continue
	fi
	LC_ALL=C.UTF-8 MANWIDTH=120 man --warnings=w -l "$M/$p" >"$tmp/$p.raw" 2>"$tmp/$p.err"
	ok "man -l $p" [ $? = 0 ]
	tr -s ' ' <"$tmp/$p.raw" >"$tmp/$p.txt" # justification's extra blanks
	eq "$p is ASCII (characters as troff escapes)" "$(LC_ALL=C grep -c '[^[:print:][:space:]]' "$M/$p")" 0
	eq "man -l $p: no warnings" "$(cat "$tmp/$p.err")" ""
	eq "groff -ww $p: no warnings" "$(groff -man -ww -z -Tutf8 "$M/$p" 2>&1)" ""
	ok "$p renders to text" [ "$(wc -l <"$tmp/$p.txt")" -gt 40 ]
done

# the man page the build made is the one the binary makes now (but for its date)
SOURCE_DATE_EPOCH=0 "$TM" help --man | grep -v '^\.TH' >"$tmp/now.1"
grep -v '^\.TH' "$M/trustmap.1" >"$tmp/built.1"
ok "trustmap.1 is current" diff -u "$tmp/built.1" "$tmp/now.1"
awk -v name=trustmap-policy -v section=5 -v version="$(cat VERSION)" -v date=x -f dist/md2man.awk docs/policy.md |
	grep -v '^\.TH' >"$tmp/now.5"
ok "trustmap-policy.5 is docs/policy.md's" diff -u <(grep -v '^\.TH' "$M/trustmap-policy.5") "$tmp/now.5"

# every command has a section; every option of its --help is in that section
cmds=$("$TM" --help | awk '/^commands:/ {on=1; next} on && !NF {exit} on {print $1}')
eq "commands listed" "$(wc -w <<<"$cmds")" "$("$TM" complete commands | wc -l)"
# the sections of the rendered page: "   trustmap CMD" subsection headings
awk '/^ trustmap [a-z-]+$/ {f=$2} f {print > (dir "/sec." f)}' dir="$tmp" "$tmp/trustmap.1.txt"
missing=""
nopts=0
for c in $cmds; do
	if [ ! -f "$tmp/sec.$c" ]; then
		missing+=" $c(no section)"
		continue
	fi
	for o in $("$TM" "$c" --help | grep -oE '^  +(-[a-zA-Z], )?--[a-zA-Z][a-zA-Z0-9-]*' | grep -oE -- '--[a-zA-Z0-9-]+'); do
		nopts=$((nopts + 1))
		grep -qE -- "(^|[ ,])$o( |$)" "$tmp/sec.$c" || missing+=" $c:$o"
	done
	grep -q "Exit status: 0 success" "$tmp/sec.$c" || missing+=" $c(exit status)"
done
eq "every --help option is in its command's man section" "$missing" ""
ok "options compared ($nopts)" [ "$nopts" -gt 100 ]
eq "scan's -p short option is there" "$(grep -c -- '-p, --ports SPEC' "$tmp/sec.scan")" 1
eq "audit documents its exit status 1" "$(grep -c 'Exit status: 0 success; 1 when the policy has findings' "$tmp/sec.audit")" 1

# the emulator's options
E=$B/trustmap-emu
missing=""
for o in $("$E" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
	grep -qE -- "(^|[ ,])$o( |$)" "$tmp/trustmap-emu.1.txt" || missing+=" $o"
done
eq "every trustmap-emu option is in trustmap-emu(1)" "$missing" ""
ok "trustmap-emu(1) says it is a test tool" grep -q 'TEST TOOL' "$tmp/trustmap-emu.1.txt"
ok "trustmap-emu --help exits 0" "$E" --help >/dev/null

# trustmap-policy(5) holds every section of docs/policy.md
missing=""
while read -r h; do
	h=$(tr -d '`' <<<"${h#\#\# }" | tr '[:lower:]' '[:upper:]')
	grep -qxF "$h" "$tmp/trustmap-policy.5.txt" || missing+=" [$h]"
done < <(grep '^## ' docs/policy.md)
eq "every docs/policy.md section is in trustmap-policy(5)" "$missing" ""
ok "the full example is in it" grep -q 'max_share: 35%' "$tmp/trustmap-policy.5.txt"
finish man
