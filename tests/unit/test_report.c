/*
 * test_report.c - the HTML report and the Markdown summary (report/report.h)
 * on a hand-made store in a temporary directory: three sites (one named
 * <script>alert(1)</script>, one without coordinates), four assets, a banner
 * carrying markup as evidence, and a hand-made audit result.  Exact counts,
 * one mark per placed site with its worst finding, escaping of every device
 * and file string in both formats, the findings cap, vendor shares, and each
 * allocation failing in turn (no crash, an error or a complete report).
 * Then the scenario table (rep_scentab_add on a hand-made scenario: every
 * row computed by hand), and the scenario, plan and paths sections in both
 * formats: one bar per year, rings and a line on the map, escaping.
 */
#include "check.h"
#include "audit/audit.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/obs.h"
#include "core/str.h"
#include "paths/paths.h"
#include "plan/cost.h"
#include "plan/scen.h"
#include "policy/policy.h"
#include "report/report.h"
#include "store/store.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[64], dbpath[128];

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void site(struct store *st, const char *id, const char *name, double lat, double lon, int placed,
		 const char *op, const char *region)
{
	struct site_rec s = {0};

	str_set(s.id, sizeof(s.id), id);
	str_set(s.name, sizeof(s.name), name);
	s.lat = lat, s.lon = lon, s.has_coords = placed;
	str_set(s.operator_, sizeof(s.operator_), op);
	str_set(s.region, sizeof(s.region), region);
	CHECK_INT(store_site_put(st, &s), 0);
}

static int64_t asset(struct store *st, const char *ref, const char *site_id, const char *vendor)
{
	struct asset_rec a = {0};

	snprintf(a.key, sizeof(a.key), "ref:%s", ref);
	str_set(a.ref, sizeof(a.ref), ref);
	str_set(a.site, sizeof(a.site), site_id);
	str_set(a.vendor, sizeof(a.vendor), vendor);
	a.conf = 0.8;
	CHECK_INT(store_asset_put(st, &a), 0);
	return a.id;
}

static struct store *make_store(void)
{
	static const char banner[] = "SSH-2.0-HUAWEI <script>alert(2)</script>\x01\xff";
	struct store *st = NULL;
	char eb[256];
	struct obs o = {0};
	int64_t run, oid, a1;
	struct ev_rec e = {0};

	CHECK_INT(store_open(&st, dbpath, eb, sizeof(eb)), 0);
	if (!st)
		return NULL;
	CHECK_INT(store_run_start(st, "import:jsonl", "x.jsonl <i>", &run), 0);
	site(st, "S1", "<script>alert(1)</script>", 52.23, 21.01, 1, "OpA", "North");
	site(st, "S2", "Depot \"two\"", 52.10, 21.20, 1, "OpB", "North");
	site(st, "S3", "Nowhere", 0, 0, 0, "OpB", "South");
	a1 = asset(st, "A1", "S1", "huawei");
	asset(st, "A2", "S1", "cisco");
	asset(st, "A3", "S2", "huawei");
	asset(st, "A4", "", "");
	str_set(o.source, sizeof(o.source), "jsonl");
	str_set(o.ref, sizeof(o.ref), "A1");
	o.kind = OBS_SSH_BANNER;
	obs_set_value(&o, banner, sizeof(banner) - 1);
	CHECK_INT(store_obs_add(st, run, &o, &oid), 0);
	CHECK_INT(store_run_finish(st, run, 1, 0, "ok"), 0);
	e.asset_id = a1, e.obs_id = oid;
	str_set(e.kind, sizeof(e.kind), "ssh_banner");
	str_set(e.vendor, sizeof(e.vendor), "huawei");
	str_set(e.rule, sizeof(e.rule), "rule:huawei-ssh");
	e.strength = 3, e.conf = 0.75;
	CHECK_INT(store_evidence_put(st, &e), 0);
	return st;
}

static void finding(struct audit_finding *f, enum audit_sev sev, int64_t id, const char *ref, const char *site_id,
		    const char *vendor)
{
	memset(f, 0, sizeof(*f));
	f->kind = AF_RULE, f->sev = sev, f->rule = -1, f->exception = -1, f->asset_id = id;
	str_set(f->ref, sizeof(f->ref), ref);
	str_set(f->site, sizeof(f->site), site_id);
	str_set(f->vendor, sizeof(f->vendor), vendor);
	str_set(f->listed, sizeof(f->listed), vendor);
	str_set(f->zone, sizeof(f->zone), "gov/<b>quarter</b>");
	f->sensitivity = 4, f->conf = 0.8;
}

static char *run(int (*fn)(FILE *, const struct rep_in *, char *, size_t), const struct rep_in *in, int *rc)
{
	char *text = NULL, eb[256] = "";
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	*rc = fn(f, in, eb, sizeof(eb));
	fclose(f);
	return text;
}

static void test_html(struct store *st, struct audit_result *r, const struct rep_in *in0)
{
	struct rep_in in = *in0;
	int rc;
	char *h = run(rep_html, &in, &rc);

	CHECK_INT(rc, 0);
	CHECK(strstr(h, "<span>assets <b id=\"n-assets\">4</b></span>") != NULL);
	CHECK(strstr(h, "<span>sites <b id=\"n-sites\">3</b> (2 placed)</span>") != NULL);
	CHECK(strstr(h, "<span>findings <b id=\"n-findings\">3</b></span>") != NULL);
	CHECK(strstr(h, "critical <b id=\"n-critical\">1</b>") != NULL);
	CHECK(strstr(h, "medium <b id=\"n-medium\">2</b>") != NULL);
	/* one mark per placed site, with its worst finding */
	CHECK_INT(count(h, "<circle class=\"site "), 2);
	CHECK(strstr(h, "<circle class=\"site w-critical\" data-site=\"S1\"") != NULL);
	CHECK(strstr(h, "<circle class=\"site w-medium\" data-site=\"S2\"") != NULL);
	CHECK(strstr(h, "(1 without coordinates are not drawn)") != NULL);
	/* escaping: the site name, the banner, the zone, the run's arguments, the title */
	CHECK_INT(count(h, "<script"), 0);
	CHECK_INT(count(h, "&lt;script&gt;alert(1)&lt;/script&gt; (S1)"), 3); /* map title, two findings */
	CHECK(strstr(h, "<code>SSH-2.0-HUAWEI &lt;script&gt;alert(2)&lt;/script&gt;\xef\xbf\xbd\xef\xbf\xbd</code>") !=
	      NULL);
	CHECK(strstr(h, "Depot &quot;two&quot;") != NULL);
	CHECK(strstr(h, "zone gov/&lt;b&gt;quarter&lt;/b&gt;") != NULL);
	CHECK(strstr(h, "<code>x.jsonl &lt;i&gt;</code>") != NULL);
	CHECK(strstr(h, "<title>T &amp; &lt;U&gt;</title>") != NULL);
	CHECK_INT(count(h, "<b>quarter"), 0);
	/* severity order: the critical finding first */
	CHECK(strstr(h, "data-severity=\"critical\"") < strstr(h, "data-severity=\"medium\""));
	CHECK_INT(count(h, "<details class=\"f\""), 3);
	CHECK_INT(count(h, "<td>ssh_banner</td>"), 2); /* both findings of A1 */
	/* vendor shares: huawei then cisco then unknown; OpA 1 + 1, OpB 1, no site 1 */
	CHECK(strstr(h, "<tr><td>OpA</td><td class=\"n\">2</td><td class=\"n\">1 (50.0%)</td>"
			"<td class=\"n\">1 (50.0%)</td><td class=\"n\">0 (0.0%)</td><td class=\"n\">0 (0.0%)</td></tr>") !=
	      NULL);
	CHECK(strstr(h, "<tr><td>(no site)</td><td class=\"n\">1</td><td class=\"n\">0 (0.0%)</td>"
			"<td class=\"n\">0 (0.0%)</td><td class=\"n\">1 (100.0%)</td>") != NULL);
	CHECK(strstr(h, "<tr><td>North</td><td class=\"n\">3</td>") != NULL);
	/* history */
	CHECK(strstr(h, "<td>import:jsonl</td>") != NULL);
	CHECK(strstr(h, "</html>\n") != NULL);
	free(h);

	/* the cap */
	in.max_findings = 1;
	h = run(rep_html, &in, &rc);
	CHECK_INT(rc, 0);
	CHECK_INT(count(h, "<details class=\"f\""), 1);
	CHECK(strstr(h, "<p class=\"note\" id=\"more-findings\">2 more findings") != NULL);
	free(h);

	/* no audit: every placed site unaudited */
	in.p = NULL, in.ar = NULL;
	h = run(rep_html, &in, &rc);
	CHECK_INT(rc, 0);
	CHECK_INT(count(h, "<circle class=\"site w-none\""), 2);
	free(h);
	(void)st;
	(void)r;
}

static void test_md(const struct rep_in *in)
{
	int rc;
	char *m = run(rep_md, in, &rc);

	CHECK_INT(rc, 0);
	CHECK(!strncmp(m, "# T \\& \\<U\\>\n", 13));
	CHECK(strstr(m, "| assets | 4 |\n| sites | 3 (2 placed) |\n| findings | 3 |\n") != NULL);
	CHECK(strstr(m, "| critical | 1 |\n| high | 0 |\n| medium | 2 |\n| low | 0 |\n") != NULL);
	CHECK(strstr(m, "| (exceptions) | 3 | 1 | 0 | 2 | 0 |\n") != NULL);
	CHECK(strstr(m, "| critical |  | A1 | \\<script\\>alert(1)\\</script\\> | gov/\\<b\\>quarter\\</b\\> | huawei | "
			" |\n") != NULL);
	CHECK(strstr(m, "| OpA | 2 | 1 (50.0%) | 1 (50.0%) | 0 (0.0%) | 0 (0.0%) |\n") != NULL);
	CHECK_INT(count(m, "<"), count(m, "\\<"));
	free(m);
}

static void test_nomem(const struct rep_in *in);

/* ---- scenarios, plans, paths ---- */

static const char *cell(const struct rep_scentab *t, const char *sec, const char *key, const char *measure, int j)
{
	static char v[48];

	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->r[i].sec, sec) && !strcmp(t->r[i].key, key) && !strcmp(t->r[i].measure, measure))
			return rep_scentab_cell(&t->r[i], j, v, sizeof(v));
	return "(none)";
}

/*
 * Three assets at two sites: a router (1000.004: 1000.00) and a guessed
 * camera (20.50, due later) at S1 of OpA (visit 100, overhead 50), a switch
 * (300) at S2 of OpB (visit 10); all in region North; OpA has 3 assets in
 * the store, OpB 2, one asset has no operator.
 */
static void test_scentab(struct rep_scentab *t, struct policy *pol)
{
	static const char *strs[] = {"", "OpA", "North", "OpB"};
	long op_assets[] = {1, 3, 0, 2};
	struct scen_site sites[2] = {{"S1", 1, 2, 100, 50, 2}, {"S2", 3, 2, 10, 0, 1}};
	struct scen_asset a[3];
	struct scen s;

	memset(a, 0, sizeof(a));
	memset(&s, 0, sizeof(s));
	a[0].site = 0, a[0].role = CR_ROUTER, a[0].cost = 1000.004, a[0].band = SB_STRONG, a[0].due = 100;
	a[1].site = 0, a[1].role = CR_CAMERA, a[1].cost = 20.5, a[1].band = SB_WEAK, a[1].due = 200, a[1].guessed = 1;
	a[2].site = 1, a[2].role = CR_SWITCH, a[2].cost = 300, a[2].band = SB_DECLARED, a[2].due = 100;
	s.p = pol, s.a = a, s.n = 3, s.sites = sites, s.nsites = 2, s.strs = strs, s.nstrs = 4, s.op_assets = op_assets;
	s.assets_total = 6;
	CHECK_INT(rep_scentab_add(t, &s, 150), 0);
	pol->name = "everywhere";
	s.n = 1; /* the router alone, at S1 */
	s.nsites = 1;
	sites[0].n = 1;
	CHECK_INT(rep_scentab_add(t, &s, 150), 0);
	rep_scentab_sort(t);
	CHECK_INT(t->ns, 2);
	CHECK_STR(t->name[0], "zones <A>");
	CHECK_STR(cell(t, "total", "", "assets", 0), "3");
	CHECK_STR(cell(t, "total", "", "sites", 0), "2");
	CHECK_STR(cell(t, "total", "", "cost", 0), "1480.50");
	CHECK_STR(cell(t, "total", "equipment+labour", "cost", 0), "1320.50");
	CHECK_STR(cell(t, "total", "visits+overhead", "cost", 0), "160.00");
	CHECK_STR(cell(t, "total", "due now", "assets", 0), "2");
	CHECK_STR(cell(t, "total", "due later", "assets", 0), "1");
	CHECK_STR(cell(t, "total", "roles guessed", "assets", 0), "1");
	CHECK_STR(cell(t, "operator", "OpA", "cost", 0), "1170.50");
	CHECK_STR(cell(t, "operator", "OpA", "share", 0), "0.6667");
	CHECK_STR(cell(t, "operator", "OpB", "cost", 0), "310.00");
	CHECK_STR(cell(t, "operator", "OpB", "network", 0), "2");
	CHECK_STR(cell(t, "operator", "-", "network", 0), "1");
	CHECK_STR(cell(t, "operator", "-", "assets", 0), "0");
	CHECK_STR(cell(t, "region", "North", "cost", 0), "1480.50");
	CHECK_STR(cell(t, "role", "camera", "cost", 0), "20.50");
	CHECK_STR(cell(t, "role", "router", "cost", 0), "1000.00");
	CHECK_STR(cell(t, "confidence", "declared-only", "cost", 0), "300.00");
	CHECK_STR(cell(t, "confidence", "weak", "assets", 0), "1");
	/* the second scenario: 1000.00 + 150.00 at S1 */
	CHECK_STR(cell(t, "total", "", "cost", 1), "1150.00");
	CHECK_STR(cell(t, "operator", "OpA", "share", 1), "0.3333");
	CHECK_STR(cell(t, "operator", "OpB", "assets", 1), "0");
	CHECK_STR(cell(t, "role", "switch", "assets", 1), "0");
	/* totals first as written, then sections by rank, key and measure */
	CHECK_STR(t->r[0].measure, "assets");
	CHECK_STR(t->r[8].key, "share caps broken");
	CHECK_STR(t->r[9].sec, "operator");
	CHECK_STR(t->r[9].key, "-");
	CHECK_STR(t->r[9].measure, "assets");
	CHECK_STR(t->r[t->n - 1].sec, "confidence");
	CHECK_STR(t->r[t->n - 1].key, "weak");
	CHECK_STR(t->r[t->n - 1].measure, "cost");
	CHECK_INT(t->n, 9 + 12 + 2 + 6 + 6);
	{
		struct rep_scentab full = {0};
		for (int i = 0; i < REP_MAX_SCEN; i++)
			CHECK_INT(rep_scentab_add(&full, &s, 150), 0);
		CHECK_INT(rep_scentab_add(&full, &s, 150), TM_ELIMIT);
		rep_scentab_free(&full);
	}
	pol->name = "zones <A>";
}

/* The "cx,cy" of a site's mark in h. */
static void mark(const char *h, const char *id, char *out, size_t len)
{
	char pat[64], x[16] = "", y[16] = "";
	const char *p;

	snprintf(pat, sizeof(pat), "data-site=\"%s\" cx=\"", id);
	out[0] = 0;
	if (!(p = strstr(h, pat)))
		return;
	sscanf(p + strlen(pat), "%15[0-9.]\" cy=\"%15[0-9.]", x, y);
	snprintf(out, len, "%s,%s", x, y);
}

static void test_sections(const struct rep_in *in0, const struct rep_scentab *t)
{
	struct rep_in in = *in0;
	struct rep_phase ph[2] = {{2027, 3, 1, 2, 1, 150000, 200000, 6, 12}, {2028, 0, 0, 0, 0, 0, 200000, 0, 0}};
	struct rep_phase ph2[1] = {{2027, 1, 0, 1, 1, 300000, 200000, 2, 2}};
	struct rep_plan plan[2] = {{"zones <A>", ph, 2, {0, 3, 1, 2, 1, 150000, 400000, 6, 12}, 1, 0, 999, 1.5, 1,
				    0, 0, 0, 0, "exact optimum; every deadline met"},
				   {"everywhere", ph2, 1, {0, 1, 0, 1, 1, 300000, 200000, 2, 2}, 0, 0, 0, 0, 0, 1,
				    100000, 100000, 1, "no plan <b>"}};
	struct rep_pdev dev[2] = {{"R<1>", "S2"}, {"X2", ""}};
	struct rep_psite ps[3] = {{"S1", "gov", 4, 1, PS_REPLACE, 1200, 1, dev, 2, dev, 1},
				  {"S2", "gov", 4, 2, PS_CLEAN, 0, -1, NULL, 0, NULL, 0},
				  {"S3", "gov", 4, 1, PS_CUT_OFF, 0, 0, NULL, 0, NULL, 0}};
	const char *core[1] = {"S2"};
	struct rep_paths paths = {"tag:core", 0, ps, 3, core, 1, 4, 2, 1, 3};
	char s1[48], s2[48], pts[256];
	int rc;

	in.scen = t, in.plan = plan, in.nplan = 2, in.currency = "USD", in.paths = &paths;
	char *h = run(rep_html, &in, &rc);
	CHECK_INT(rc, 0);
	CHECK(strstr(h, "<a href=\"#scenarios\">scenarios</a> &middot; <a href=\"#plan\">plan</a> &middot; "
			"<a href=\"#paths\">clean paths</a>") != NULL);
	CHECK(strstr(h, "<th class=\"n\" data-scenario=\"0\">zones &lt;A&gt;</th><th class=\"n\" "
			"data-scenario=\"1\">everywhere</th>") != NULL);
	CHECK(strstr(h, "<tr data-sec=\"total\" data-key=\"\" data-measure=\"cost\"><td>total</td><td></td><td>cost</td>"
			"<td class=\"n\">1480.50</td><td class=\"n\">1150.00</td></tr>") != NULL);
	CHECK_INT(count(h, "<tr data-sec="), (long long)t->n);
	/* one bar and one budget mark per year */
	CHECK_INT(count(h, "<rect class=\"bar"), 3);
	CHECK(strstr(h, "<rect class=\"bar\" data-year=\"2027\" data-spend=\"1500.00\"") != NULL);
	CHECK(strstr(h, "<rect class=\"bar\" data-year=\"2028\" data-spend=\"0.00\"") != NULL);
	CHECK(strstr(h, "<rect class=\"bar over\" data-year=\"2027\" data-spend=\"3000.00\"") != NULL);
	CHECK_INT(count(h, "<line class=\"budget\" data-year=\""), 3);
	CHECK_INT(count(h, "data-budget=\"2000.00\""), 3);
	CHECK(strstr(h, "<p class=\"deadlines\" id=\"plan-status-0\">Every deadline met.</p>") != NULL);
	CHECK(strstr(h, "<p class=\"short\" id=\"plan-status-1\">No plan can meet the deadlines: short by 1000.00 USD; "
			"1 due items miss their deadline") != NULL);
	CHECK(strstr(h, "no plan &lt;b&gt;") != NULL);
	CHECK(strstr(h, "<tr class=\"sum\"><td>total</td><td></td><td class=\"n\">3</td><td class=\"n\">1</td>"
			"<td class=\"n\">2</td><td class=\"n\">1500.00</td><td class=\"n\">4000.00</td>") != NULL);
	CHECK(strstr(h, "<tr class=\"unplaced\"><td>unplaced</td><td></td><td class=\"n\">1</td><td></td><td></td>"
			"<td class=\"n\">9.99</td>") != NULL);
	/* paths: the table, a ring per placed sensitive site, a line from S1 to the device's (and core's) site S2 */
	CHECK(strstr(h, "<tr data-path-site=\"S1\" data-status=\"replace\"><td>S1</td><td>gov</td><td class=\"n\">4</td>"
			"<td class=\"n\">1</td><td class=\"ps-replace\">replace</td><td class=\"n\">12.00</td>"
			"<td class=\"replace\"><span class=\"dev\">R&lt;1&gt;</span>, <span class=\"dev\">X2</span></td>"
			"<td class=\"n\">1</td><td class=\"cut\"><span class=\"dev\">R&lt;1&gt;</span></td></tr>") != NULL);
	CHECK_INT(count(h, "<tr data-path-site="), 3);
	CHECK_INT(count(h, "<circle class=\"ps "), 2); /* S3 has no coordinates */
	CHECK(strstr(h, "<circle class=\"ps ps-replace\" data-path-site=\"S1\"") != NULL);
	CHECK(strstr(h, "<circle class=\"ps ps-clean\" data-path-site=\"S2\"") != NULL);
	CHECK_INT(count(h, "<rect class=\"core\" data-core-site=\"S2\""), 1);
	CHECK_INT(count(h, "<polyline "), 1);
	mark(h, "S1", s1, sizeof(s1));
	mark(h, "S2", s2, sizeof(s2));
	snprintf(pts, sizeof(pts), "<polyline class=\"route\" data-path-site=\"S1\" points=\"%s %s\"><title>S1: replace "
		 "R&lt;1&gt;, X2 (12.00)</title></polyline>", s1, s2);
	CHECK(strstr(h, pts) != NULL);
	CHECK(strstr(h, "<b id=\"n-ps-replace\">1</b> (12.00 USD)") != NULL);
	CHECK_INT(count(h, "<script"), 0);
	CHECK_INT(count(h, "<1>"), 0);
	CHECK(strstr(h, "Replacement costs: <code>trustmap paths</code>'s fixed prices by role (no cost model).</p>") !=
	      NULL);
	free(h);
	/* priced by a model: its name, escaped, in both */
	paths.priced_by = "model <b>";
	h = run(rep_html, &in, &rc);
	CHECK(strstr(h, "Replacement costs: the cost model <q>model &lt;b&gt;</q>, as the plans above and <code>trustmap "
			"paths --cost</code> price them.</p>") != NULL);
	free(h);
	char *m = run(rep_md, &in, &rc);
	CHECK(strstr(m, " Replacement costs: the cost model \"model \\<b\\>\".\n") != NULL);
	free(m);
	paths.priced_by = NULL;

	m = run(rep_md, &in, &rc);
	CHECK_INT(rc, 0);
	CHECK(strstr(m, "\n## Scenarios (USD)\n\n| section | key | measure | zones \\<A\\> | everywhere |\n"
			"|---|---|---|---:|---:|\n| total |  | assets | 3 | 1 |\n") != NULL);
	CHECK(strstr(m, "\n## Phased plan: zones \\<A\\> (USD)\n\nexact optimum; every deadline met.\n\n") != NULL);
	CHECK(strstr(m, "| 1 | 2027 | 3 | 1 | 2 | 1500.00 | 2000.00 | 6.00 | 12.00 | 1 |\n"
			"| 2 | 2028 | 0 | 0 | 0 | 0.00 | 2000.00 | 0.00 | 0.00 | 0 |\n"
			"| total |  | 3 | 1 | 2 | 1500.00 | 4000.00 | 6.00 | 12.00 | 1 |\n"
			"| unplaced |  | 1 |  |  | 9.99 |  | 1.50 |  | 0 |\n") != NULL);
	CHECK(strstr(m, "\n## Clean paths to the core (tag\\:core)\n\n3 sensitive sites; 4 devices, 2 restricted, 1 "
			"core, 3 links. Replacement costs: fixed prices by role (no cost model).\n") != NULL);
	CHECK(strstr(m, "| S1 | gov | 4 | 1 | replace | 12.00 | R\\<1\\>, X2 | 1 | R\\<1\\> |\n") != NULL);
	CHECK(strstr(m, "| S2 | gov | 4 | 2 | clean | 0.00 |  |  |  |\n") != NULL);
	CHECK(strstr(m, "| S3 | gov | 4 | 1 | cut-off |  |  |  |  |\n") != NULL);
	CHECK_INT(count(m, "<"), count(m, "\\<"));
	free(m);
	test_nomem(&in); /* every allocation failing in turn with the new sections too */
}

static void test_nomem(const struct rep_in *in)
{
	int fails = 0, oks = 0;

	for (unsigned long k = 1; k < 400; k++) {
		int rc1, rc2;
		char *h, *m;
		mem_fail_at(k);
		h = run(rep_html, in, &rc1);
		mem_fail_at(0);
		mem_fail_at(k);
		m = run(rep_md, in, &rc2);
		mem_fail_at(0);
		if (rc1) {
			fails++;
			CHECK_INT(rc1, TM_ENOMEM);
		} else {
			oks++;
			CHECK(strstr(h, "</html>\n") != NULL);
		}
		if (rc2)
			CHECK_INT(rc2, TM_ENOMEM);
		free(h);
		free(m);
	}
	CHECK(fails > 5);
	CHECK(oks > 0);
}

int main(void)
{
	struct audit_finding f[3];
	struct audit_result r = {0};
	struct rep_in in = {0};
	struct store *st;

	snprintf(dir, sizeof(dir), "/tmp/tm-report.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(dbpath, sizeof(dbpath), "%s/r.db", dir);
	if (!(st = make_store()))
		return check_done("test_report");
	finding(&f[0], SEV_MEDIUM, 3, "A3", "S2", "huawei");
	finding(&f[1], SEV_CRITICAL, 1, "A1", "S1", "huawei");
	finding(&f[2], SEV_MEDIUM, 1, "A1", "S1", "huawei");
	r.f = f, r.n = 3;
	in.title = "T & <U>";
	in.generated = 1790000000;
	in.st = st;
	in.ar = &r;
	in.day = 20454;
	in.min_conf = 0.5;
	test_html(st, &r, &in);
	test_md(&in);
	test_nomem(&in);
	{
		struct policy pol = {0};
		struct rep_scentab t = {0};
		pol.name = "zones <A>";
		test_scentab(&t, &pol);
		test_sections(&in, &t);
		rep_scentab_free(&t);
	}
	store_close(st);
	unlink(dbpath);
	{
		char b[160];
		snprintf(b, sizeof(b), "%s-wal", dbpath);
		unlink(b);
		snprintf(b, sizeof(b), "%s-shm", dbpath);
		unlink(b);
	}
	rmdir(dir);
	return check_done("test_report");
}
