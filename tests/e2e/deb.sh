#!/usr/bin/env bash
# deb.sh - the Debian package: `dpkg-buildpackage -us -uc -b` on a copy of
# the tree (one build, ~2-3 minutes), its Depends (shared libraries and the
# data packages), its file list against install.manifest, lintian without an
# error, then as root `dpkg -i`, a working `trustmap demo` from /usr/bin with
# no source tree in sight, the man page found by man, and `dpkg -r`.
# Skipped without root or the packaging tools (scripts/deps installs them).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
src=$PWD
for t in dpkg-buildpackage dpkg-deb lintian; do
	command -v $t >/dev/null || { skip "$t missing"; finish deb; exit; }
done
# every pkg-config library the Makefile links is built against a Build-Depends package
bd=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' debian/control | tr ',' '\n' | sed 's/Build-Depends://; s/^[[:space:]]*//; s/[ (].*//' | grep .)
missing=""
for p in $(sed -n 's/^PKGS *:= *//p' Makefile); do
	o=$(dpkg -S "$(pkg-config --variable=pcfiledir "$p")/$p.pc" 2>/dev/null | cut -d: -f1 | head -n 1)
	grep -qxF "${o:-?}" <<<"$bd" || missing+=" $p(${o:-no .pc owner})"
done
eq "Build-Depends has the -dev package of every library in PKGS" "$missing" ""
v=$(cat VERSION)
d=$tmp/b/trustmap-$v
mkdir -p "$d"
# the files make would see: tracked and untracked-but-not-ignored (a fresh
# clone in CI: the tracked ones), else everything but the build dirs
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -coz --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -cf - -T - | tar -xf - -C "$d"
else
	tar --exclude='./build*' -cf - . | tar -xf - -C "$d"
fi
(cd "$d" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
st=$?
ok "dpkg-buildpackage -us -uc -b" [ $st = 0 ]
[ $st = 0 ] || tail -n 30 "$tmp/build.log" >&2
deb=$tmp/b/trustmap_${v}_amd64.deb
if [ ! -f "$deb" ]; then
	ok "the .deb exists" false
	finish deb
	exit
fi
dep=$(dpkg-deb -f "$deb" Depends)
for p in ieee-data nmap-common libwireshark-data libc6 libhyperscan5 libsqlite3-0 libpcre2-8-0 libssl3 \
	libjansson4 libexpat1 libpcap0.8 libyaml-0-2; do
	ok "Depends names $p" grep -qE "(^|, )$p( |,|$)" <<<"$dep"
done
ok "dpkg-deb --info shows Depends" grep -q "Depends: .*ieee-data" <(dpkg-deb --info "$deb")
dpkg-deb -c "$deb" | awk '{print $6}' | grep -v '/$' | sed 's|^\./usr/||' | grep -v '^share/doc/' |
	sed -E 's/(\.[15])\.gz$/\1/' | LC_ALL=C sort >"$tmp/deb.files"
ok "the package holds install.manifest" diff -u tests/e2e/install.manifest "$tmp/deb.files"
lintian --allow-root "$tmp/b/trustmap_${v}_amd64.changes" >"$tmp/lintian.txt" 2>&1
eq "lintian: no errors" "$(grep -c '^E:' "$tmp/lintian.txt")" 0
echo "lintian: $(grep -c '^W:' "$tmp/lintian.txt") warnings" >&2
cat "$tmp/lintian.txt" >&2

# one install at a time on this machine (parallel make checks)
exec 9>/tmp/trustmap-deb-e2e.lock
flock -w 600 9 || true
if [ "$(id -u)" != 0 ]; then
	skip "dpkg -i needs root"
elif dpkg-query -W -f='${Status}' trustmap 2>/dev/null | grep -q 'install ok installed'; then
	skip "a trustmap package is already installed here; not replacing it"
else
	cleanup_hooks+=("dpkg -r trustmap >/dev/null 2>&1")
	dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1
	st=$?
	ok "dpkg -i" [ $st = 0 ]
	[ $st = 0 ] || cat "$tmp/dpkg.log" >&2
	mkdir -p "$tmp/home" "$tmp/cwd"
	cd "$tmp/cwd"
	run() { env -i PATH=/usr/bin:/bin HOME="$tmp/home" "$@"; }
	eq "rules from /usr/share/trustmap" "$(run /usr/bin/trustmap --version | awk '$1=="rules" {print $3}')" /usr/share/trustmap/rules
	run /usr/bin/trustmap demo --hosts 300 --db "$tmp/demo.db" --manifest "$tmp/m.jsonl" >"$tmp/demo.out" 2>&1
	st=$?
	ok "trustmap demo from the package" [ $st = 0 ]
	[ $st = 0 ] || tail -n 20 "$tmp/demo.out" >&2
	want=$(grep -c '"vendor":"huawei"' "$tmp/m.jsonl" 2>/dev/null)
	ok "the demo plays Huawei devices" [ "${want:-0}" -gt 0 ]
	eq "every Huawei device attributed" \
		"$(run /usr/bin/trustmap assets --db "$tmp/demo.db" --vendor huawei --format csv | tail -n +2 | wc -l)" "$want"
	eq "man finds trustmap(1)" "$(man -w trustmap)" /usr/share/man/man1/trustmap.1.gz
	eq "man finds trustmap-policy(5)" "$(man -w 5 trustmap-policy)" /usr/share/man/man5/trustmap-policy.5.gz
	cd "$src"
	dpkg -r trustmap >"$tmp/dpkg.log" 2>&1
	ok "dpkg -r" [ $? = 0 ]
	ok "no /usr/bin/trustmap after dpkg -r" [ ! -e /usr/bin/trustmap ]
	ok "no /usr/share/trustmap after dpkg -r" [ ! -e /usr/share/trustmap ]
fi
finish deb
