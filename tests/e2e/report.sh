#!/usr/bin/env bash
# report.sh - trustmap report end to end: the hand-made inventory of
# tests/data/audit plus tests/data/report (a site whose name, id, operator
# and region carry markup, and an SSH banner carrying <script> imported as an
# observation JSON line), audited on 2027-01-02.  Checks the HTML's counts,
# one mark per site with its worst finding, escaping everywhere, nothing
# loaded from elsewhere, the findings cap, the Markdown summary line by line;
# then opens the report in headless Chromium: no console message (no CSP
# violation, no error), one element of class "site" per site, and none of
# the payloads became an element or changed the title.  Then the emulator's
# hostile-html persona (markup and terminal escapes in every banner),
# scanned and placed at a site: its banners are a finding's evidence,
# escaped, and nothing of them runs in Chromium.  A 10,000-site store checks
# that the file stays small.  Chromium missing or not starting, or the
# emulator not built, is a clear skip (scripts/deps installs Chromium).
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
d=tests/data/report
db=$tmp/r.db
if [ ! -x "$TM" ]; then
	eq "trustmap built" "$TM missing" "$TM"
	finish report
	exit 1
fi
"$TM" import --db "$db" tests/data/audit/inv.csv "$d/hostile.csv" "$d/banner.jsonl" > /dev/null 2>&1
report() { "$TM" report --db "$db" --policy tests/data/audit/policy.yaml --date 2027-01-02 "$@"; }
html=$tmp/r.html

report --html "$html" --title 'Audit <of> "X" & Y' 2> "$tmp/err"
eq "exit status" "$?" 0
eq "stderr summary" "$(cat "$tmp/err")" "$html: 10 findings, 0 suspects; 9 assets, 7 sites"
ok "no temporary file left" test ! -e "$html.tmp"
# counts in the header
num() { grep -o "id=\"$1\">[0-9]*<" "$html" | grep -o '[0-9]*'; }
eq "counts" "$(num n-assets) $(num n-sites) $(num n-findings) $(num n-critical) $(num n-high) $(num n-medium) $(num n-low) $(num n-suspects)" \
	"9 7 10 3 0 7 0 0"
eq "title escaped" "$(grep -o '<title>[^<]*</title>' "$html" | head -1)" \
	"<title>Audit &lt;of&gt; &quot;X&quot; &amp; Y</title>"
# one mark per site, coloured by its worst finding (S7 is a clean Cisco switch)
eq "site marks" "$(grep -o '<circle class="site [a-z-]*" data-site="[^"]*"' "$html" | sed 's/<circle class="site //; s/" data-site="/:/; s/"$//' | sort | tr '\n' ' ')" \
	'w-clean:S7&quot;&gt;&lt;b id=&quot;pwned-attr&quot;&gt;x&lt;/b&gt; w-critical:S1 w-critical:S2 w-critical:S5 w-medium:S3 w-medium:S4 w-medium:S6 '
# zones on the map: the government quarter (a polygon with its hole, even-odd) and the base circle
eq "zones drawn" "$(grep -o '<path class="zone z[0-9]" fill-rule="evenodd" data-zone="[^"]*"' "$html" | sed 's/.*class="zone //; s/" fill-rule="evenodd" data-zone="/:/; s/"$//' | tr '\n' ' ')" \
	"z4:gov/Government quarter z5:base "
eq "polygon rings" "$(grep -o 'data-zone="gov/Government quarter" d="[^"]*"' "$html" | grep -o Z | wc -l)" 2
eq "circle points" "$(grep -o 'data-zone="base" d="[^"]*"' "$html" | grep -o ' L' | wc -l)" 64
ok "scale bar" grep -q '<g id="scale"><line class="scale".*>5 km</text></g>' "$html"
ok "grid labels" grep -q '>52.40&#176;N</text>' "$html"
# escaping: no raw markup from the data, the payloads present as text
eq "no script element" "$(grep -ci '<script' "$html")" 0
eq "no payload element" "$(grep -c 'id="pwned' "$html")" 0
ok "banner escaped" grep -q 'SSH-2.0-HUAWEI-1.5 &lt;script&gt;document.title=&quot;pwned-banner&quot;&lt;/script&gt;&lt;b id=&quot;pwned-banner&quot;&gt;x&lt;/b&gt;</code>' "$html"
ok "site name escaped" grep -q "site &lt;script&gt;document.title=&#39;pwned-site&#39;&lt;/script&gt;&lt;i id=&quot;pwned-site&quot;&gt;x&lt;/i&gt; (S6)" "$html"
ok "region escaped" grep -q '<td>Łódź &lt;b id=&quot;pwned-region&quot;&gt;</td>' "$html"
# nothing from elsewhere: the only URL is the SVG namespace; links are anchors
eq "URLs" "$(grep -o '[a-z]*://[^"]*' "$html" | sort -u | tr '\n' ' ')" "http://www.w3.org/2000/svg "
eq "no src" "$(grep -c ' src=' "$html")" 0
eq "hrefs" "$(grep -o 'href="[^"]*"' "$html" | sort -u | tr '\n' ' ')" \
	'href="#findings" href="#history" href="#map" href="#share" '
ok "CSP" grep -q "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]\{44\}'; base-uri 'none'; form-action 'none'\">" "$html"
# findings: by severity, each with its evidence; the history of the three imports
eq "findings listed" "$(grep -o '<details class="f" data-severity="[a-z]*"' "$html" | grep -o '"[a-z]*"$' | uniq -c | awk '{printf "%s %s ", $1, $2}')" \
	'3 "critical" 7 "medium" '
eq "evidence of A1" "$(awk '/asset <b class="asset">A1<\/b>/{f=1} f&&/<tr><td>/{print; n++} n==3{exit}' "$html" | sed 's/<[^>]*>/|/g; s/||*/|/g')" \
	'|ssh_banner|rule:huawei-ssh|SSH-2.0-HUAWEI-1.5 &lt;script&gt;document.title=&quot;pwned-banner&quot;&lt;/script&gt;&lt;b id=&quot;pwned-banner&quot;&gt;x&lt;/b&gt;|huawei|fair|0.75|
|inventory_vendor|declared:inventory|Huawei|huawei|medium|0.55|
|inventory_model|declared:rule:huawei-model-router|AR2220|huawei|medium|0.55|'
eq "history" "$(grep -o '<td>import:[a-z]*</td><td><code>[^<]*</code>' "$html" | sed 's/<[^>]*>/ /g' | tr -s ' ' | tr '\n' ';')" \
	" import:inventory tests/data/audit/inv.csv ; import:inventory tests/data/report/hostile.csv ; import:jsonl tests/data/report/banner.jsonl ;"
# each run names the knowledge it used: our rules' version is in every row
eq "history: knowledge used" "$(grep -o "<td><small>[^<]*rules=$(cat rules/VERSION);[^<]*</small></td>" "$html" | wc -l)" 3
# the cap: two findings in full, a note for the rest
report --html "$tmp/cap.html" --max-findings 2 2> /dev/null
eq "capped" "$(grep -c '<details class="f"' "$tmp/cap.html") $(grep -o 'id="more-findings">[0-9]* more' "$tmp/cap.html")" \
	'2 id="more-findings">8 more'
# no policy: every site drawn unaudited, no findings section
"$TM" report --db "$db" --html "$tmp/nop.html" 2> /dev/null
eq "no policy: marks" "$(grep -c '<circle class="site w-none"' "$tmp/nop.html")" 7
ok "no policy: note" grep -q 'No policy given (--policy): no audit.' "$tmp/nop.html"

# Markdown: exact lines, device strings backslash-escaped
report --format md > "$tmp/r.md"
eq "md exit status" "$?" 0
report --md "$tmp/r2.md" 2> /dev/null
nogen() { sed 's/generated [^.]*UTC\./generated T./' "$1"; }
eq "--md FILE is --format md" "$(nogen "$tmp/r2.md")" "$(nogen "$tmp/r.md")"
eq "md counts" "$(sed -n '/^| | count |/,/^$/p' "$tmp/r.md")" '| | count |
|---|---:|
| assets | 9 |
| sites | 7 (7 placed) |
| findings | 10 |
| suspects | 0 |
| suppressed by exceptions | 0 |'
eq "md by severity" "$(grep -E '^\| (critical|high|medium|low) \| [0-9]+ \|$' "$tmp/r.md" | tr '\n' ';')" \
	"| critical | 3 |;| high | 0 |;| medium | 7 |;| low | 0 |;"
eq "md by rule" "$(grep -E '^\| (everywhere-2027|no-high-risk-near-gov) \| [0-9]' "$tmp/r.md" | tr '\n' ';')" \
	"| everywhere-2027 | 6 | 0 | 0 | 6 | 0 |;| no-high-risk-near-gov | 4 | 3 | 0 | 1 | 0 |;"
eq "md top findings" "$(sed -n '/^## Top findings (10 of 10)$/,/^## /p' "$tmp/r.md" | grep -c '^| \(critical\|medium\) |')" 10
eq "md hostile site" "$(grep '| A8 |' "$tmp/r.md")" \
	"| medium | everywhere-2027 | A8 | \\<script\\>document.title='pwned-site'\\</script\\>\\<i id=\"pwned-site\"\\>x\\</i\\> |  | huawei | huawei on list high-risk; declared by the inventory only |"
eq "md hostile operator" "$(grep '^| OpA\\|' "$tmp/r.md")" \
	'| OpA\|\*\_\`x\`\_ | 1 | 0 (0.0%) | 1 (100.0%) | 0 (0.0%) | 0 (0.0%) | 0 (0.0%) | 0 (0.0%) |'

# errors: exit status 2 and a message
"$TM" report --db "$db" > /dev/null 2> "$tmp/out"
eq "no output named: exit 2" "$?" 2
eq "no output named: message" "$(cat "$tmp/out")" "trustmap report: say where: --html FILE, --md FILE or --format md"
"$TM" report --db "$db" --format csv > /dev/null 2>&1
eq "bad format: exit 2" "$?" 2
report --html "$tmp/nodir/r.html" > /dev/null 2>&1
eq "unwritable: exit 2" "$?" 2
"$TM" report --db "$db" --policy "$tmp/missing.yaml" --html "$tmp/x.html" > /dev/null 2>&1
eq "missing policy: exit 2" "$?" 2
ok "missing policy: no file" test ! -e "$tmp/x.html"

# headless Chromium: renders without console messages, one .site per site, no payload ran
chrome=$(command -v chromium || command -v chromium-browser || true)
# render HTML NAME: the DOM after loading into $tmp/NAME.dom, console into $tmp/NAME.log; 1 when it could not
render() {
	timeout 60 "$chrome" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/chrome-$2" \
		--virtual-time-budget=3000 --enable-logging=stderr --v=0 --dump-dom "file://$1" \
		> "$tmp/$2.dom" 2> "$tmp/$2.log"
	grep -q '</html>' "$tmp/$2.dom"
}
# dom NAME EXPR: a python expression over the parsed DOM p (sites, ids, tags, title)
dom() { python3 -c '
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.sites = []; s.ids = []; s.tags = {}; s.title = None; s.intitle = False
    def handle_starttag(s, tag, a):
        a = dict(a)
        if "site" in (a.get("class") or "").split(): s.sites.append(a.get("data-site"))
        if a.get("id"): s.ids.append(a["id"])
        s.tags[tag] = s.tags.get(tag, 0) + 1
        s.intitle = tag == "title"
    def handle_data(s, d):
        if s.intitle and s.title is None: s.title = d
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
print(eval(sys.argv[2]))' "$tmp/$1.dom" "$2"; }
if [ -z "$chrome" ]; then
	skip "chromium not installed (scripts/deps installs it)"
elif ! render "$html" view; then
	skip "chromium could not start: $(grep -v dbus "$tmp/view.log" | tail -2)"
else
	eq "chromium: console messages" "$(grep -c 'CONSOLE' "$tmp/view.log")" 0
	grep 'CONSOLE' "$tmp/view.log" | head -3 >&2
	eq "chromium: one .site per site" "$(dom view 'len(p.sites)')" 7
	eq "chromium: site ids" "$(dom view '" ".join(sorted(p.sites))')" 'S1 S2 S3 S4 S5 S6 S7"><b id="pwned-attr">x</b>'
	eq "chromium: title unchanged" "$(dom view 'p.title')" 'Audit <of> "X" & Y'
	eq "chromium: no script element" "$(dom view 'p.tags.get("script", 0)')" 0
	eq "chromium: no payload element" "$(dom view '[i for i in p.ids if "pwned" in i]')" "[]"
	eq "chromium: findings expandable" "$(grep -o '<details class="f"' "$tmp/view.dom" | wc -l)" 10
fi

# the emulator's hostile-html persona (markup and terminal escapes in every
# banner), scanned and placed at a site by the inventory: its values are the
# evidence of a finding, escaped, and none of them runs or becomes an element
EMU=${EMU:-$PWD/${TM_BUILD:-build}/trustmap-emu}
if [ ! -x "$EMU" ]; then
	skip "trustmap-emu not built"
else
	off=$(python3 - <<'PY'
import socket
for off in range(20000, 26000, 151):
    ok = True
    for p, k in [(p, socket.SOCK_STREAM) for p in (21, 22, 23, 25, 80, 443, 554, 830, 8000, 8080, 8443, 37777)] + \
                [(161, socket.SOCK_DGRAM), (1900, socket.SOCK_DGRAM)]:
        s = socket.socket(socket.AF_INET, k)
        try:
            s.bind(("0.0.0.0", off + p))
        except OSError:
            ok = False
        s.close()
    if ok:
        print(off)
        break
PY
)
	printf 'mix hostile\n    hostile-html 1\n' > "$tmp/mix.tm"
	"$EMU" --hosts 1 --base 127.84.0.1 --seed 1 --mix "$tmp/mix.tm" --port-offset "$off" --manifest "$tmp/m.jsonl" \
		> "$tmp/emu.out" 2> "$tmp/emu.err" &
	emu=$!
	cleanup_hooks+=("kill $emu 2>/dev/null; wait $emu 2>/dev/null")
	for _ in $(seq 100); do grep -q '^ready$' "$tmp/emu.out" 2>/dev/null && break; sleep 0.1; done
	printf 'asset_id,vendor,model,role,address,mac,site_id,site_name,latitude,longitude,operator,region,tags\nH1,Huawei,AR2220,router,127.84.0.1,,S9,Hostile,52.2,21.0,OpA,Mazowieckie,\n' > "$tmp/h.csv"
	"$TM" import --db "$tmp/h.db" "$tmp/h.csv" > /dev/null 2>&1
	timeout 60 "$TM" scan --db "$tmp/h.db" -p "$("$EMU" --port-offset "$off" --print-ports)" --connect-timeout 500 \
		--read-timeout 1000 --retries 0 127.84.0.1 > "$tmp/scan.out" 2>&1
	kill "$emu" 2> /dev/null
	"$TM" report --db "$tmp/h.db" --policy tests/data/audit/policy.yaml --date 2027-01-02 --html "$tmp/h.html" 2> /dev/null
	eq "hostile persona: its banners are evidence" "$(grep -o '<td>[a-z_]*_banner</td>' "$tmp/h.html" | sort | tr '\n' ' ')" \
		"<td>ftp_banner</td> <td>ssh_banner</td> <td>telnet_banner</td> "
	ok "hostile persona: SSH banner escaped" grep -q '<code>SSH-2.0-&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/h.html"
	eq "hostile persona: no markup from the device" "$(grep -ci '<script\|<img\|<iframe\|<svg onload\|<b onmouseover' "$tmp/h.html")" 0
	eq "hostile persona: no terminal escape byte" "$(grep -c $'\x1b' "$tmp/h.html")" 0

	if [ -n "$chrome" ] && render "$tmp/h.html" hostile; then
		eq "hostile persona in chromium: console messages" "$(grep -c 'CONSOLE' "$tmp/hostile.log")" 0
		eq "hostile persona in chromium: one .site" "$(dom hostile 'len(p.sites)')" 1
		eq "hostile persona in chromium: no element from the device" \
			"$(dom hostile '[t for t in ("script", "img", "iframe") if p.tags.get(t)]') $(dom hostile '[i for i in p.ids if not i.startswith(("n-", "counts", "map", "share", "findings", "history", "sites", "zones", "scale", "chart-", "table-", "runs", "more-", "no-"))]') $(dom hostile 'p.title')" \
			"[] [] trustmap report"
	fi
fi

# scenarios, phased plans and clean paths (tests/data/report/paths_inv.csv:
# two core sites, three aggregation routers of which two restricted, five
# military sites, one of them with an id carrying markup): the report's
# numbers are exactly trustmap plan's and trustmap paths's
pdb=$tmp/p.db
"$TM" import --db "$pdb" "$d/paths_inv.csv" > /dev/null 2>&1
sc=(--policy "$d/sensitive.yaml" --policy "$d/nationwide.yaml" --date 2026-12-01)
pl=(--budget-per-year 300000 --years 3 --paths-to tag:core)
"$TM" report --db "$pdb" "${sc[@]}" "${pl[@]}" --title 'Plan <&> "paths"' --html "$tmp/p.html" 2> "$tmp/p.err"
eq "scenarios: exit status" "$?" 0
"$TM" plan --db "$pdb" "${sc[@]}" "${pl[@]}" --format csv > "$tmp/plan.csv" 2> /dev/null
"$TM" paths --db "$pdb" --policy "$d/sensitive.yaml" --to tag:core --date 2026-12-01 --cost rules/cost-default.yaml \
	--format csv > "$tmp/paths.csv" 2> /dev/null
# phtml EXPR: a python expression over the report's parsed parts (rows, bars, budgets, ptab, ps, routes, marks, ids, tags)
phtml() { python3 - "$1" "$2" <<'PY'
import sys, csv, io
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(convert_charrefs=True)
        s.rows = []; s.bars = []; s.budgets = []; s.ptab = []; s.ps = []; s.routes = []; s.marks = {}
        s.ids = []; s.tags = {}; s.cell = None; s.row = None; s.dev = None; s.chart = -1; s.core = []
    def handle_starttag(s, tag, a):
        a = dict(a); c = (a.get("class") or "").split()
        s.tags[tag] = s.tags.get(tag, 0) + 1
        if a.get("id"): s.ids.append(a["id"])
        if tag == "svg" and "plan-chart" in c: s.chart += 1
        if tag == "tr" and "data-sec" in a: s.row = []; s.rows.append(s.row)
        if tag == "tr" and "data-path-site" in a: s.prow = [a["data-path-site"], a["data-status"], [], []]; s.ptab.append(s.prow)
        if tag == "td" and s.row is not None: s.cell = []
        if tag == "td" and "replace" in c: s.dev = 2
        if tag == "td" and "cut" in c: s.dev = 3
        if tag == "span" and "dev" in c: s.cell = []
        if tag == "rect" and "bar" in c: s.bars.append((s.chart, a["data-year"], a["data-spend"]))
        if tag == "rect" and "core" in c: s.core.append(a["data-core-site"])
        if tag == "line" and "budget" in c: s.budgets.append((s.chart, a["data-year"], a["data-budget"]))
        if tag == "circle" and "ps" in c: s.ps.append((a["data-path-site"], c[1][3:]))
        if tag == "circle" and "site" in c: s.marks[a["data-site"]] = "%s,%s" % (a["cx"], a["cy"])
        if tag == "polyline": s.routes.append((a["data-path-site"], a["points"].split()))
    def handle_endtag(s, tag):
        if tag == "tr": s.row = None; s.dev = None
        if tag == "td" and s.row is not None and s.cell is not None: s.row.append("".join(s.cell)); s.cell = None
        if tag == "span" and s.dev is not None and s.cell is not None: s.prow[s.dev].append("".join(s.cell)); s.cell = None
        if tag == "td": s.dev = None if s.row is None else s.dev
    def handle_data(s, d):
        if s.cell is not None: s.cell.append(d)
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
plan = list(csv.reader(open(sys.argv[1].rsplit("/", 1)[0] + "/plan.csv")))
split = next(i for i, r in enumerate(plan) if r[:2] == ["scenario", "phase"])
scen, phases = [r[:-1] for r in plan[1:split]], [dict(zip(plan[split], r)) for r in plan[split + 1:]]  # less plan's unit column
paths = [dict(zip(r, r)) for r in []] or list(csv.DictReader(open(sys.argv[1].rsplit("/", 1)[0] + "/paths.csv")))
print(eval(sys.argv[2]))
PY
}
eq "scenarios: the table is trustmap plan's, row for row" "$(phtml "$tmp/p.html" 'p.rows == scen')" True
eq "scenarios: totals" "$(phtml "$tmp/p.html" '" ".join("/".join(r[1:]) for r in p.rows if r[0] == "total")')" \
	'/assets/1/5 /sites/1/4 /cost/182500.00/823100.00 equipment+labour/cost/17500.00/163100.00 visits+overhead/cost/165000.00/660000.00 due now/assets/1/1 due later/assets/0/4 roles guessed/assets/0/0 share caps broken/findings/0/0'
eq "scenarios: column names" "$(grep -o '<th class="n" data-scenario="[0-9]">[^<]*</th>' "$tmp/p.html" | sed 's/<[^>]*>//g' | tr '\n' ';')" \
	'sensitive zones only;nationwide from 2027;'
eq "plan: one bar per year with the plan's spend" \
	"$(phtml "$tmp/p.html" 'p.bars == [(j, r["year"], r["spend"]) for j, n in enumerate(dict.fromkeys(r["scenario"] for r in phases)) for r in phases if r["scenario"] == n and r["phase"].isdigit()]')" True
eq "plan: bars" "$(phtml "$tmp/p.html" '" ".join("%d:%s:%s" % b for b in p.bars)')" \
	'0:2026:227500.00 0:2027:0.00 0:2028:0.00 1:2026:185600.00 1:2027:227500.00 1:2028:0.00'
eq "plan: budget marks" "$(phtml "$tmp/p.html" 'sorted(set(b[2] for b in p.budgets)), len(p.budgets)')" "(['300000.00'], 6)"
eq "plan: totals as trustmap plan" "$(grep -o '<tr class="sum"><td>total</td><td></td><td class="n">[0-9]*</td><td class="n">[0-9]*</td><td class="n">[0-9]*</td><td class="n">[0-9.]*</td>' "$tmp/p.html" | sed 's/<[^>]*>/ /g' | tr -s ' ' | tr '\n' ';')" \
	"$(awk -F, '$2 == "total" {printf " total %s %s %s %s ;", $4, $5, $6, $7}' "$tmp/plan.csv")"
eq "plan: shortfall stated" "$(grep -o '<p class="short" id="plan-status-0">[^<]*' "$tmp/p.html" | sed 's/<[^>]*>//')" \
	"No plan can meet the deadlines: short by 110000.00 USD; 1 due items miss their deadline (late or left out)."
ok "plan: notes as trustmap plan's" grep -qF "$(awk -F, '$2 == "total" {print $12; exit}' "$tmp/plan.csv" | sed 's/^"//; s/"$//' | cut -c1-60)" "$tmp/p.html"
eq "paths: the section names trustmap paths's sites, statuses and devices" \
	"$(phtml "$tmp/p.html" 'p.ptab == [[r["site"], r["status"], [x for x in r["replace"].split(";") if x], [x for x in r["cut"].split(";") if x]] for r in paths]')" True
eq "paths: rows" "$(phtml "$tmp/p.html" '" ".join("%s:%s:%s:%s" % (r[0][:2], r[1], ";".join(r[2]), ";".join(r[3])) for r in p.ptab)')" \
	'S1:replace:R1:R1 S2:replace:R2;B1:B1 S3:clean:: S4:cut-off:: S5:replace:R1:R1'
eq "paths: on the map, each sensitive site ringed by its status" \
	"$(phtml "$tmp/p.html" 'sorted(p.ps) == sorted((r["site"], r["status"]) for r in paths)')" True
eq "paths: core sites drawn" "$(phtml "$tmp/p.html" 'p.core')" "['DC1', 'DC2']"
# a line per replace site: the site, the sites of its devices to replace, the nearest core site
eq "paths: lines through the replaced devices' sites" \
	"$(phtml "$tmp/p.html" '" ".join("%s=%s" % (r[0][:2], "/".join(next(k for k, v in p.marks.items() if v == pt)[:4] for pt in r[1])) for r in p.routes)')" \
	'S1=S1/AGG1/DC1 S2=S2/AGG2/DC2 S5=S5">/AGG1/DC1'
eq "paths: lines for exactly the replace sites" \
	"$(phtml "$tmp/p.html" 'sorted(r[0] for r in p.routes) == sorted(r["site"] for r in paths if r["status"] == "replace")')" True
eq "paths: counts" "$(for i in n-paths n-ps-clean n-ps-replace n-ps-cut-off n-ps-no-devices; do grep -o "id=\"$i\">[0-9]*<" "$tmp/p.html" | grep -o '[0-9]*'; done | tr '\n' ' ')" "5 1 3 1 0 "
eq "scenarios: hostile site id escaped" "$(grep -c 'id="pwned' "$tmp/p.html") $(grep -o 'data-path-site="S5[^"]*"' "$tmp/p.html" | sort -u)" \
	'0 data-path-site="S5&quot;&gt;&lt;b id=&quot;pwned-path&quot;&gt;x&lt;/b&gt;"'
eq "scenarios: hrefs" "$(grep -o 'href="[^"]*"' "$tmp/p.html" | tr '\n' ' ')" \
	'href="#map" href="#scenarios" href="#plan" href="#paths" href="#share" href="#findings" href="#history" '
# Markdown: the same three tables
"$TM" report --db "$pdb" "${sc[@]}" "${pl[@]}" --format md > "$tmp/p.md" 2> /dev/null
eq "md: scenario totals" "$(grep -E '^\| total \|  \| cost \|' "$tmp/p.md")" '| total |  | cost | 182500.00 | 823100.00 |'
eq "md: plan phases" "$(grep -E '^\| [0-9]+ \| 20[0-9]+ \|' "$tmp/p.md" | cut -d'|' -f3,7 | tr -d ' ' | tr '\n' ';')" \
	'2026|227500.00;2027|0.00;2028|0.00;2026|185600.00;2027|227500.00;2028|0.00;'
eq "md: plan headings" "$(grep '^## Phased plan' "$tmp/p.md" | tr '\n' ';')" \
	'## Phased plan: sensitive zones only (USD);## Phased plan: nationwide from 2027 (USD);'
eq "md: paths rows" "$(sed -n '/^## Clean paths/,/^## /p' "$tmp/p.md" | grep -c '^| S')" 5
eq "md: paths priced by the scenarios' model, as trustmap paths --cost prices them" \
	"$(sed -n '/^## Clean paths/,/^## /p' "$tmp/p.md" | grep '^| S' | awk -F' [|] ' '{print $6}' | tr '\n' ' ')" \
	"$(tail -n +2 "$tmp/paths.csv" | python3 -c 'import csv,sys; print(" ".join(r[5] for r in csv.reader(sys.stdin)))') "
ok "md: the paths' model named" grep -q 'Replacement costs: the cost model "trustmap default' "$tmp/p.md"
eq "md: hostile site escaped" "$(grep -o '^| S5[^|]*|' "$tmp/p.md")" '| S5"\>\<b id="pwned-path"\>x\</b\> |'
# errors
"$TM" report --db "$pdb" --budget-per-year 1 --html "$tmp/x.html" 2> "$tmp/out"
eq "budget without policy: exit 2" "$?" 2
eq "budget without policy: message" "$(cat "$tmp/out")" "trustmap report: --cost, --budget-per-year and --paths-to need --policy"
"$TM" report --db "$pdb" "${sc[@]}" --years 3 --html "$tmp/x.html" 2> "$tmp/out"
eq "years without budget: exit 2" "$?" 2
"$TM" report --db "$pdb" "${sc[@]}" --paths-to nothing:x --html "$tmp/x.html" 2> "$tmp/out"
eq "bad selector: exit 2 and the message" "$? $(cat "$tmp/out")" \
	'2 trustmap report: bad core selector "nothing:x": role:NAME, site:ID, tag:TAG or asset:ID'
ok "bad selector: no file" test ! -e "$tmp/x.html"
"$TM" report --db "$pdb" "${sc[@]}" --paths-to site:NOWHERE --html "$tmp/x.html" 2> "$tmp/out"
eq "no core: exit 2 and the message" "$? $(cat "$tmp/out")" '2 trustmap report: no core matched "site:NOWHERE" among 12 devices'
"$TM" report --db "$pdb" "${sc[@]}" --budget-per-year 0 --years 2 --html "$tmp/z.html" 2> "$tmp/out"
eq "budget of zero: a report, and a warning" "$? $(cat "$tmp/out" | head -1) $(grep -o 'data-spend="[^"]*"' "$tmp/z.html" | sort -u)" \
	'0 trustmap report: a budget of zero: nothing can be placed data-spend="0.00"'
if [ -n "$chrome" ] && render "$tmp/p.html" plan; then
	eq "scenarios in chromium: console messages" "$(grep -c 'CONSOLE' "$tmp/plan.log")" 0
	eq "scenarios in chromium: title, payload elements, sites, lines" \
		"$(dom plan 'p.title, [i for i in p.ids if "pwned" in i], len(p.sites), p.tags.get("polyline")')" \
		"('Plan <&> \"paths\"', [], 11, 3)"
	eq "scenarios in chromium: status rings" "$(grep -o '<circle class="ps ps-[a-z-]*"' "$tmp/plan.dom" | sort | uniq -c | awk '{print $1 $4}' | tr '\n' ' ')" \
		'1ps-clean" 1ps-cut-off" 3ps-replace" '
fi

# make demo's geography (tools/demo_geo.py) on a small manifest: two scenarios, two plans, the paths
python3 -c '
import json
P = [("huawei-vrp-router", "huawei"), ("cisco-ios-switch", "cisco"), ("hikvision-ipc", "hikvision"),
     ("zte-zxr10", "zte"), ("nokia-sros", "nokia"), ("juniper-junos", "juniper"), ("dahua-nvr", "dahua")]
for i in range(60):
    p, v = P[i % len(P)]
    print(json.dumps({"addr": "127.31.0.%d" % (i + 1), "persona": p, "vendor": v, "hostile": None}))
' > "$tmp/manifest.jsonl"
python3 tools/demo_geo.py --manifest "$tmp/manifest.jsonl" --out "$tmp/geo" --sites 300 > /dev/null
"$TM" import --db "$tmp/g.db" "$tmp/geo/inventory.csv" "$tmp/geo/links.csv" > /dev/null 2>&1
gsc=(--policy "$tmp/geo/policy-zones.yaml" --policy "$tmp/geo/policy.yaml" --budget-per-year 50e6 --years 5 --paths-to tag:core)
"$TM" report --db "$tmp/g.db" "${gsc[@]}" --html "$tmp/g.html" 2> /dev/null
eq "demo: report" "$?" 0
eq "demo: two scenarios" "$(grep -o '<th class="n" data-scenario="[0-9]">[^<]*</th>' "$tmp/g.html" | sed 's/<[^>]*>//g' | tr '\n' ';')" \
	'sensitive zones only;nationwide from 2027;'
eq "demo: two plan charts of five bars" "$(grep -o 'id="plan-chart-[0-9]"' "$tmp/g.html" | wc -l) $(grep -c '<rect class="bar' "$tmp/g.html")" "2 10"
"$TM" paths --db "$tmp/g.db" --policy "$tmp/geo/policy-zones.yaml" --to tag:core --format csv > "$tmp/gp.csv" 2> /dev/null
eq "demo: paths, site for site" "$(grep -o '<tr data-path-site="[^"]*" data-status="[^"]*"' "$tmp/g.html" | sed 's/<tr data-path-site="//; s/" data-status="/,/; s/"$//')" \
	"$(tail -n +2 "$tmp/gp.csv" | cut -d, -f1,5)"
eq "demo: some sites need replacements, some are clean" "$(cut -d, -f5 "$tmp/gp.csv" | grep -E '^(clean|replace)$' | sort -u | tr '\n' ' ')" 'clean replace '
eq "demo: no unknown links" "$("$TM" paths --db "$tmp/g.db" --policy "$tmp/geo/policy-zones.yaml" --to tag:core 2>&1 >/dev/null | grep -c unknown)" 0
"$TM" plan --db "$tmp/g.db" "${gsc[@]}" --format csv > "$tmp/gplan.csv" 2> /dev/null
eq "demo: plan totals as trustmap plan" "$(grep -o 'data-spend="[^"]*"' "$tmp/g.html" | grep -o '[0-9.]*' | tr '\n' ' ')" \
	"$(awk -F, '$2 ~ /^[0-9]+$/ && $1 != "section" && NF > 10 {printf "%s ", $7}' "$tmp/gplan.csv")"

# 10,000 sites: one mark each, the file stays at a few megabytes
python3 -c '
import random
random.seed(7)
print("asset_id,vendor,model,role,address,mac,site_id,site_name,latitude,longitude,operator,region,tags")
vs = ["Huawei", "Cisco", "Nokia", "Ericsson", "ZTE", "Juniper", "Hikvision", "Dahua", "Arista", "MikroTik"]
for i in range(10000):
    print(f"B{i},{vs[i % 10]},M,router,10.{i // 250}.{i % 250}.1,,T{i},Site {i},{52 + random.random() / 2:.5f},{20.7 + random.random() * 0.8:.5f},Op{i % 4},R{i % 13},")
' > "$tmp/big.csv"
"$TM" import --db "$tmp/big.db" "$tmp/big.csv" > /dev/null 2>&1
"$TM" report --db "$tmp/big.db" --policy tests/data/audit/policy.yaml --date 2027-01-02 --html "$tmp/big.html" 2> /dev/null
eq "10k sites: marks" "$(grep -o '<circle class="site ' "$tmp/big.html" | wc -l)" 10000
size=$(stat -c %s "$tmp/big.html")
ok "10k sites: under 4 MB ($size bytes)" test "$size" -lt 4000000
eq "10k sites: findings capped" "$(grep -c '<details class="f"' "$tmp/big.html") $(grep -o 'id="more-findings">[0-9]* more' "$tmp/big.html")" \
	"$(python3 -c 'print(2000)') id=\"more-findings\">$(($(grep -o 'id="n-findings">[0-9]*' "$tmp/big.html" | grep -o '[0-9]*$') - 2000)) more"
finish report
