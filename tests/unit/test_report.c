/*
 * test_report.c - the HTML report and the Markdown summary (report/report.h)
 * on a hand-made store in a temporary directory: three sites (one named
 * <script>alert(1)</script>, one without coordinates), four assets, a banner
 * carrying markup as evidence, and a hand-made audit result.  Exact counts,
 * one mark per placed site with its worst finding, escaping of every device
 * and file string in both formats, the findings cap, vendor shares, and each
 * allocation failing in turn (no crash, an error or a complete report).
 */
#include "check.h"
#include "audit/audit.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/obs.h"
#include "core/str.h"
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
