/*
 * fuzz_report.c - the HTML report and the Markdown summary over hostile
 * store contents.  The input's lines become site ids, names, operators,
 * regions, asset refs, vendors, an observation value (the whole input, NULs
 * and all), finding fields and the title; its bytes place the sites and a
 * circle zone anywhere on the globe (poles, antimeridian, tiny and huge
 * radii).  The scenario table, the phased plans and the clean paths take
 * their names (scenarios, row keys, notes, sites, zones, devices, the core
 * selector and sites) from the lines and their numbers (phases, money,
 * statuses, device counts) from the bytes.  Beyond not crashing, the output
 * must be inert: every '<' in the HTML starts one of our own tags, no control
 * byte but tab and newline appears, and every '<' in the Markdown is
 * backslash-escaped.
 *
 * The in-memory store is opened once (its schema's migrations cost more
 * than a report): each input writes inside a transaction that is rolled
 * back at the end, so every input starts from the same empty store, row ids
 * included (a store whose rollback fails is closed and a new one opened).
 */
#include "audit/audit.h"
#include "core/err.h"
#include "core/obs.h"
#include "core/str.h"
#include "geo/geo.h"
#include "paths/paths.h"
#include "report/report.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NF 24

struct in {
	const uint8_t *d;
	size_t n;
	char f[NF][128]; /* the first NF lines, cut to fit */
	int nf;
};

static const char *fld(const struct in *x, int i)
{
	return x->nf ? x->f[i % x->nf] : "";
}

static uint8_t byte(const struct in *x, size_t i)
{
	return x->n ? x->d[i % x->n] : 0;
}

/*
 * The output checks below walk every byte of a report of tens of KB (its
 * style sheet included): with coverage instrumentation each byte's
 * comparisons were traced, a quarter of each execution, for edges of this
 * file's own loops that say nothing about the code under test.  They run
 * uninstrumented for coverage, and not inlined into the instrumented caller
 * (ASan and UBSan still on).
 */
#define NO_COV __attribute__((noinline, no_sanitize("coverage")))

NO_COV static int ours(const char *p)
{
	static const char *const tags[] = {
		"!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "span",
		"b", "i", "nav", "a", "section", "svg", "g", "line", "text", "path", "circle", "rect", "table", "tr",
		"th", "td", "details", "summary", "code", "small", "footer", "polyline"};
	size_t n = 0;

	if (*p == '/')
		p++;
	while (p[n] && p[n] != ' ' && p[n] != '>' && p[n] != '/' && p[n] != '\n')
		n++;
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) { /* by hand: no interceptor calls */
		size_t k = 0;
		while (k < n && tags[i][k] == p[k])
			k++;
		if (k == n && !tags[i][k])
			return 1;
	}
	return 0;
}

NO_COV static void check_html(const char *h, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c == '<' && !ours(h + i + 1)) {
			fprintf(stderr, "fuzz_report: foreign tag at %zu: %.40s\n", i, h + i);
			abort();
		}
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) { /* esc_html keeps tab and newline */
			fprintf(stderr, "fuzz_report: control byte 0x%02x at %zu\n", c, i);
			abort();
		}
	}
}

NO_COV static void check_md(const char *m, size_t len)
{
	int rule = 0; /* on a table's "|---|" line */

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)m[i];
		if (!i || m[i - 1] == '\n')
			rule = c == '|' && i + 1 < len && m[i + 1] == '-';
		if (c == '<' && (!i || m[i - 1] != '\\')) {
			fprintf(stderr, "fuzz_report: unescaped '<' at %zu\n", i);
			abort();
		}
		/* our cell separators follow a space or start the line */
		if (c == '|' && !rule && i && m[i - 1] != '\\' && m[i - 1] != ' ' && m[i - 1] != '\n') {
			fprintf(stderr, "fuzz_report: unescaped '|' at %zu: %.40s\n", i, m + (i > 20 ? i - 20 : 0));
			abort();
		}
		if ((c < 0x20 && c != '\n') || c == 0x7f) {
			fprintf(stderr, "fuzz_report: control byte 0x%02x at %zu\n", c, i);
			abort();
		}
	}
}

static struct store *st;

static void close_store(void)
{
	store_close(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in x = {data, size, {{0}}, 0};
	struct geo_zones *zs = NULL;
	struct audit_finding f[4];
	struct audit_result r = {0};
	struct rep_in in = {0};
	char eb[TM_ERRLEN], *out = NULL;
	size_t outlen = 0, i = 0;
	int64_t run = 0, oid = 0, aid[4] = {0};
	const char *zl[1] = {NULL};

	for (size_t s = 0; s < size && x.nf < NF; x.nf++) {
		size_t e = s;
		while (e < size && data[e] != '\n')
			e++;
		str_copy(x.f[x.nf], sizeof(x.f[x.nf]), (const char *)data + s, e - s);
		s = e + 1;
	}
	if (!st) {
		if (store_open(&st, ":memory:", eb, sizeof(eb))) {
			fprintf(stderr, "fuzz_report: %s\n", eb);
			abort();
		}
		atexit(close_store);
	}
	if (store_begin(st)) {
		fprintf(stderr, "fuzz_report: begin: %s\n", store_errmsg(st));
		abort();
	}
	store_run_start(st, fld(&x, 0), fld(&x, 1), &run);
	for (i = 0; i < 4; i++) {
		struct site_rec s = {0};
		str_set(s.id, sizeof(s.id), fld(&x, (int)i));
		str_set(s.name, sizeof(s.name), fld(&x, (int)i + 4));
		str_set(s.operator_, sizeof(s.operator_), fld(&x, (int)i + 8));
		str_set(s.region, sizeof(s.region), fld(&x, (int)i + 12));
		s.lat = (byte(&x, i) - 128) * (90.0 / 128) + byte(&x, i + 4) / 300.0;
		s.lon = (byte(&x, i + 1) - 128) * (180.0 / 128) + byte(&x, i + 5) / 300.0;
		s.has_coords = byte(&x, i + 2) & 1;
		if (s.id[0])
			store_site_put(st, &s);
	}
	for (i = 0; i < 4; i++) {
		struct asset_rec a = {0};
		snprintf(a.key, sizeof(a.key), "ref:%zu%s", i, fld(&x, (int)i + 16));
		str_set(a.ref, sizeof(a.ref), fld(&x, (int)i + 16));
		str_set(a.site, sizeof(a.site), fld(&x, (int)i + (byte(&x, i) & 1)));
		str_set(a.vendor, sizeof(a.vendor), fld(&x, (int)i + 20));
		a.conf = byte(&x, i) / 255.0;
		store_asset_put(st, &a);
		aid[i] = a.id;
	}
	{
		struct obs o = {0};
		struct ev_rec e = {0};
		str_set(o.source, sizeof(o.source), "fuzz");
		o.kind = OBS_SSH_BANNER;
		obs_set_value(&o, data, size);
		if (!store_obs_add(st, run, &o, &oid) && aid[0]) {
			e.asset_id = aid[0], e.obs_id = oid;
			str_set(e.kind, sizeof(e.kind), fld(&x, 3));
			str_set(e.rule, sizeof(e.rule), fld(&x, 5));
			str_set(e.vendor_raw, sizeof(e.vendor_raw), fld(&x, 7));
			e.strength = byte(&x, 3) % 7 - 1;
			store_evidence_put(st, &e);
		}
	}
	store_run_finish(st, run, 1, 0, fld(&x, 2));
	for (i = 0; i < 4; i++) {
		struct audit_finding *g = &f[i];
		memset(g, 0, sizeof(*g));
		g->kind = (enum audit_kind)(byte(&x, i + 7) % 4);
		g->sev = (enum audit_sev)(byte(&x, i + 9) % 4);
		g->rule = -1, g->exception = -1, g->asset_id = aid[i];
		str_set(g->ref, sizeof(g->ref), fld(&x, (int)i + 16));
		str_set(g->site, sizeof(g->site), fld(&x, (int)i));
		str_set(g->vendor, sizeof(g->vendor), fld(&x, (int)i + 20));
		str_set(g->listed, sizeof(g->listed), fld(&x, (int)i + 21));
		str_set(g->zone, sizeof(g->zone), fld(&x, (int)i + 9));
		str_set(g->group, sizeof(g->group), fld(&x, (int)i + 10));
		str_set(g->addr, sizeof(g->addr), fld(&x, (int)i + 11));
		str_set(g->role, sizeof(g->role), fld(&x, (int)i + 12));
		str_set(g->product, sizeof(g->product), fld(&x, (int)i + 13));
		str_set(g->model, sizeof(g->model), fld(&x, (int)i + 14));
		g->sensitivity = byte(&x, i) % 9 - 1;
		g->conf = byte(&x, i + 1) / 255.0;
	}
	r.f = f, r.n = 4, r.s = f + 3, r.ns = byte(&x, 11) & 1;
	if ((zs = geo_zones_new())) {
		double rad = 1 + byte(&x, 12) * byte(&x, 13) * (double)byte(&x, 14) * 1.2;
		geo_zones_add_circle(zs, fld(&x, 6), byte(&x, 15) % 8, (byte(&x, 16) - 128) * (90.0 / 128),
				     (byte(&x, 17) - 128) * (180.0 / 128), rad, eb, sizeof(eb));
		zl[0] = fld(&x, 7);
	}
	/* scenarios: up to three columns, rows of every kind */
	struct rep_srow rows[8];
	struct rep_scentab tab = {{NULL}, 0, "USD", rows, 0, 8};
	static const char *const secs[] = {"total", "operator", "region", "role", "confidence"};
	tab.ns = 1 + byte(&x, 21) % 3;
	for (int j = 0; j < tab.ns; j++)
		tab.name[j] = fld(&x, 2 + j);
	tab.n = byte(&x, 22) % 9;
	for (i = 0; i < tab.n; i++) {
		struct rep_srow *w = &rows[i];
		memset(w, 0, sizeof(*w));
		str_set(w->sec, sizeof(w->sec), secs[byte(&x, i + 23) % 5]);
		str_set(w->key, sizeof(w->key), fld(&x, (int)i + 5));
		str_set(w->measure, sizeof(w->measure), "cost");
		w->kind = byte(&x, i + 24) % 3;
		for (int j = 0; j < tab.ns; j++)
			w->v[j] = (double)byte(&x, i + (size_t)j) * 1e6 * byte(&x, i + 30) - 1;
	}
	/* plans: up to two, of up to eight phases (none too), money up to ~10^14 minor units */
	struct rep_phase ph[2][8];
	struct rep_plan plan[2];
	int nplan = byte(&x, 25) % 3;
	for (int j = 0; j < nplan; j++) {
		struct rep_plan *q = &plan[j];
		memset(q, 0, sizeof(*q));
		q->scenario = fld(&x, 9 + j);
		q->ph = ph[j];
		q->nph = byte(&x, 26 + (size_t)j) % 9;
		for (int k = 0; k < q->nph; k++) {
			struct rep_phase *f2 = &ph[j][k];
			memset(f2, 0, sizeof(*f2));
			f2->year = 2000 + k;
			f2->items = byte(&x, (size_t)k + 28);
			f2->spend = (int64_t)byte(&x, (size_t)k + 29) * byte(&x, (size_t)k + 31) * 1000000007LL;
			f2->budget = (int64_t)byte(&x, (size_t)k + 33) * 100000000LL;
			f2->risk = byte(&x, (size_t)k) / 7.0;
			q->total.spend += f2->spend, q->total.budget += f2->budget;
		}
		q->feasible = byte(&x, 34) & 1;
		q->short_exact = byte(&x, 35) & 1;
		q->short_lo = byte(&x, 36), q->short_hi = byte(&x, 37) * 1000;
		q->note = fld(&x, 11 + j);
	}
	/* paths: up to four sensitive sites named by the lines, devices at sites named by the lines */
	struct rep_pdev dv[4];
	struct rep_psite ps[4];
	const char *cs[2] = {fld(&x, 1), fld(&x, 2)};
	struct rep_paths paths = {fld(&x, 13), byte(&x, 38) & 1, ps, byte(&x, 39) % 5, cs, byte(&x, 40) % 3, 1, 2, 3, 4};
	for (i = 0; i < 4; i++) {
		dv[i].name = fld(&x, (int)i + 14);
		dv[i].site = fld(&x, (int)i + (byte(&x, i + 41) & 3));
		memset(&ps[i], 0, sizeof(ps[i]));
		ps[i].site = fld(&x, (int)i);
		ps[i].zone = fld(&x, (int)i + 6);
		ps[i].status = byte(&x, i + 42) % 4;
		ps[i].cost = byte(&x, i + 43) * 12345LL;
		ps[i].cut_value = byte(&x, i + 44);
		ps[i].replace = dv, ps[i].nreplace = byte(&x, i + 45) % 5;
		ps[i].cut = dv + 1, ps[i].ncut = byte(&x, i + 46) % 4;
	}
	in.scen = byte(&x, 47) & 1 ? &tab : NULL;
	in.plan = nplan ? plan : NULL;
	in.nplan = nplan;
	in.currency = fld(&x, 15);
	in.paths = byte(&x, 48) & 1 ? &paths : NULL;
	in.title = fld(&x, 8);
	in.generated = 1790000000;
	in.st = st;
	in.ar = byte(&x, 18) & 1 ? &r : NULL;
	in.zones = zs;
	in.zone_label = zl;
	in.max_findings = byte(&x, 19) % 5;
	in.evidence = byte(&x, 20) % 4;
	{
		FILE *fp = open_memstream(&out, &outlen);
		if (fp && !rep_html(fp, &in, eb, sizeof(eb))) {
			fflush(fp);
			check_html(out, outlen);
		}
		if (fp)
			fclose(fp);
		free(out);
		out = NULL, outlen = 0;
		fp = open_memstream(&out, &outlen);
		if (fp && !rep_md(fp, &in, eb, sizeof(eb))) {
			fflush(fp);
			check_md(out, outlen);
		}
		if (fp)
			fclose(fp);
		free(out);
	}
	geo_zones_free(zs);
	if (store_rollback(st)) { /* SQLite ended the transaction itself: start afresh */
		store_close(st);
		st = NULL;
	}
	return 0;
}
