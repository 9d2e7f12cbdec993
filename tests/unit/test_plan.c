/*
 * test_plan.c - the cost model loader (every field, every kind of error with
 * its file:line:column, allocation failures), role guessing, and the
 * planner: hand-computed plans on tiny instances, exactly; the shortfall
 * when deadlines cannot be met; and the heuristic and the automatic mode
 * against an exact optimum computed here by brute force over every
 * assignment, on 300 random small instances (worst ratio printed; target
 * >= 0.95, and 1 where the tool's own exact solver runs), every plan checked
 * within budget and deadline-feasible by code independent of the planner.
 */
#include "check.h"

#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"
#include "paths/paths.h"
#include "plan/cost.h"
#include "plan/items.h"
#include "plan/plan.h"
#include "plan/scen.h"
#include "policy/policy.h"

#include <stdint.h>
#include <stdlib.h>

/* ---- the cost model ---- */

static const char model[] =
	"version: 1\n"
	"name: test model\n"
	"currency: EUR\n"
	"labour_per_device: 100\n"
	"site_visit: 50\n"
	"site_overhead: 1000\n"
	"roles:\n"
	"  ran-baseband: {unit: 10, weight: 10}\n"
	"  ran-radio: {unit: 11, weight: 6}\n"
	"  core-router: {unit: 12, weight: 10}\n"
	"  router: {unit: 13, weight: 8}\n"
	"  aggregation-switch: {unit: 14, weight: 5}\n"
	"  switch: {unit: 15, weight: 4}\n"
	"  access-switch: {unit: 16, weight: 2}\n"
	"  firewall: {unit: 17, weight: 8}\n"
	"  ont: {unit: 18, weight: 1}\n"
	"  cpe: {unit: 19, weight: 1}\n"
	"  camera: {unit: 20, weight: 2}\n"
	"  nvr: {unit: 21, weight: 3}\n"
	"  dvr: {unit: 22, weight: 2}\n"
	"  radio: {unit: 23, weight: 4}\n"
	"  server: {unit: 24, weight: 6}\n"
	"  other: {unit: 25.5, weight: 1}\n"
	"regions:\n"
	"  north: 1.5\n"
	"  islands: 2\n";

static void test_model(void)
{
	struct cost_model *m = NULL;
	char eb[TM_ERRLEN] = "";

	CHECK_INT(cost_parse("m.yaml", model, sizeof(model) - 1, &m, eb, sizeof(eb)), 0);
	if (!m) {
		fprintf(stderr, "%s\n", eb);
		return;
	}
	CHECK_STR(m->currency, "EUR");
	CHECK_STR(m->name, "test model");
	CHECK_NEAR(m->labour, 100, 0);
	CHECK_NEAR(m->site_visit, 50, 0);
	CHECK_NEAR(m->site_overhead, 1000, 0);
	CHECK_NEAR(m->unit[CR_RAN_BASEBAND], 10, 0);
	CHECK_NEAR(m->unit[CR_OTHER], 25.5, 0);
	CHECK_NEAR(m->weight[CR_NVR], 3, 0);
	CHECK_INT(m->nregions, 2);
	CHECK_NEAR(cost_region_factor(m, "North"), 1.5, 0);
	CHECK_NEAR(cost_region_factor(m, "islands"), 2, 0);
	CHECK_NEAR(cost_region_factor(m, "south"), 1, 0);
	CHECK_NEAR(cost_region_factor(m, ""), 1, 0);
	cost_free(m);
	cost_free(NULL);
}

/* Replaces the first occurrence of from in the model by to, parses, and checks the message. */
static void bad(const char *from, const char *to, const char *want)
{
	char doc[4096], eb[TM_ERRLEN] = "";
	const char *at = strstr(model, from);
	struct cost_model *m = NULL;

	if (!at) {
		CHECK(!"pattern in model");
		return;
	}
	snprintf(doc, sizeof(doc), "%.*s%s%s", (int)(at - model), model, to, at + strlen(from));
	CHECK_INT(cost_parse("m.yaml", doc, strlen(doc), &m, eb, sizeof(eb)), TM_EPROTO);
	CHECK(m == NULL);
	CHECK_STR(eb, want);
}

static void test_model_errors(void)
{
	bad("labour_per_device: 100", "labour_per_device: -5", "m.yaml:4:20: labour_per_device: -5 is negative");
	bad("labour_per_device: 100\n", "", "m.yaml:1:1: labour_per_device: missing cost");
	bad("site_visit: 50", "site_visit: fifty", "m.yaml:5:13: site_visit: expected a number, not \"fifty\"");
	bad("currency: EUR", "currency: euro", "m.yaml:3:11: currency: a currency is an ISO 4217 code of three "
					       "capital letters (USD, EUR, GBP)");
	bad("currency: EUR\n", "", "m.yaml:1:1: currency: missing (an ISO 4217 code such as USD)");
	bad("  dvr: {unit: 22, weight: 2}", "  dvrs: {unit: 22, weight: 2}",
	    "m.yaml:20:3: roles: unknown role \"dvrs\" (roles: ran-baseband, ran-radio, core-router, router, "
	    "aggregation-switch, switch, access-switch, firewall, ont, cpe, camera, nvr, dvr, radio, server, other)");
	bad("  dvr: {unit: 22, weight: 2}\n", "", "m.yaml:1:1: roles.dvr: missing unit cost");
	bad("  nvr: {unit: 21, weight: 3}", "  nvr: {unit: 21}", "m.yaml:1:1: roles.nvr: missing risk weight");
	bad("  nvr: {unit: 21, weight: 3}", "  nvr: {unit: -21, weight: 3}",
	    "m.yaml:19:15: roles.nvr.unit: -21 is negative");
	bad("  nvr: {unit: 21, weight: 3}", "  nvr: {unit: 21, weight: 0}",
	    "m.yaml:19:27: roles.nvr.weight: a risk weight is above 0");
	bad("  nvr: {unit: 21, weight: 3}", "  nvr: {unit: 21, weight: 3, colour: red}",
	    "m.yaml:19:30: roles.nvr: unknown key \"colour\"");
	bad("site_overhead: 1000", "site_overhed: 1000", "m.yaml:6:1: unknown key \"site_overhed\"");
	bad("  north: 1.5", "  north: 0", "m.yaml:25:10: regions.north: a region factor is above 0");
	bad("  north: 1.5", "  north: -1", "m.yaml:25:10: regions.north: -1 is negative");
	bad("site_visit: 50", "site_visit: 1e13", "m.yaml:5:13: site_visit: 1e13 is above 1e+12");
	bad("site_visit: 50", "site_visit: nan", "m.yaml:5:13: site_visit: expected a number, not \"nan\"");
	bad("version: 1", "version: 2", "m.yaml:1:10: version: this trustmap reads cost model version 1");
	bad("  islands: 2", "  north: 2", "m.yaml:26:3: regions: key \"north\" given twice");
	bad("name: test model", "name: &a x\nnote: *a", "m.yaml:2:7: aliases (*name) are not allowed in a cost model");

	struct cost_model *m = NULL;
	char eb[TM_ERRLEN];
	CHECK_INT(cost_parse("e.yaml", "", 0, &m, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "e.yaml: empty cost model");
	CHECK_INT(cost_parse("e.yaml", "a: [", 4, &m, eb, sizeof(eb)), TM_EPROTO);
	CHECK(m == NULL);
	CHECK_INT(cost_load("/nonexistent/cost.yaml", &m, eb, sizeof(eb)) < 0, 1);

	/* every allocation failing in turn: an error, never a leak or a crash */
	int ok = 0, failed = 0;
	for (unsigned long n = 1; n < 2000; n++) {
		mem_fail_at(n);
		int rc = cost_parse("m.yaml", model, sizeof(model) - 1, &m, eb, sizeof(eb));
		mem_fail_at(0);
		if (rc == 0) {
			cost_free(m);
			ok = 1;
			break;
		}
		failed += rc == TM_ENOMEM && m == NULL;
	}
	CHECK(ok);
	CHECK(failed > 0);
}

static void test_roles(void)
{
	static const struct {
		const char *role, *text;
		const char *want;
		int guessed;
	} t[] = {
		{"router", "", "router", 0},
		{"Switch", "", "switch", 0},
		{"ran", "", "ran-baseband", 0},
		{"olt", "", "aggregation-switch", 0},
		{"ap", "", "access-switch", 0},
		{"", "Huawei BBU5900", "ran-baseband", 1},
		{"", "RRU3908 V2", "ran-radio", 1},
		{"", "EchoLife HG8245H", "ont", 1},
		{"", "HG8546M", "ont", 1},
		{"", "DS-2CD2143G0-I", "camera", 1},
		{"", "DS-7608NI-K2", "nvr", 1},
		{"", "Hikvision NVR", "nvr", 1},
		{"", "NE40E-X8", "core-router", 1},
		{"", "Huawei AR2220", "router", 1},
		{"", "Arista DCS-7050", "other", 1},
		{"", "USG6300 firewall", "firewall", 1},
		{"", "Quidway S5700-28C", "switch", 1},
		{"", "S2700-26TP-SI", "access-switch", 1},
		{"", "Hytera RD985 repeater", "radio", 1},
		{"", "LTE CPE B525s-23a", "cpe", 1},
		{"", "ZXR10 M6000", "router", 1},
		{"", "frontier", "other", 1},
		{"", "", "other", 1},
		{"printer", "", "other", 0},
		{"widget", "Huawei S5700", "switch", 1},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *text[] = {"", t[i].text, NULL};
		int g = -1;
		int r = cost_guess_role(t[i].role, text, &g);
		CHECK_STR(cost_role_name(r), t[i].want);
		CHECK_INT(g, t[i].guessed);
	}
	CHECK_INT(cost_role_class(CR_CORE_ROUTER), CC_CORE);
	CHECK_INT(cost_role_class(CR_AGG_SWITCH), CC_AGG);
	CHECK_INT(cost_role_class(CR_ONT), CC_ACCESS);
}

/* ---- plan items: single assets and clean-path work packages, by hand ---- */

/*
 * A scenario of four findings and clean paths of five sensitive sites:
 *   A1 (id 4) switch at S1, B1 (id 5) switch and D1 (id 6) camera at S2,
 *   G1 (id 9) router at S3, already due; the others due 2028-01-01.
 *   H1 (id 2) a router at AGG1 and X7 (id 7) an ONT with no site are on
 *   paths but no findings.  Paths: S1 {H1, A1}; S2 {H1, B1}; S4 clean;
 *   S5 {H1}; S6 {D1, X7}.  Visits 50, overheads 1000 at every site.
 */
static void items_fixture(struct scen *s, struct scen_site *site, struct scen_asset *a, struct plan_paths *pp,
			  struct paths_site *ps, struct plan_dev *dev, int64_t *rep)
{
	static struct policy pol = {.name = "p"};
	int64_t due = 0, day = 0;

	str_to_date("2028-01-01", 10, &due);
	str_to_date("2026-11-29", 10, &day);
	memset(s, 0, sizeof(*s));
	s->p = &pol;
	const char *sid[] = {"S1", "S2", "S3"};
	for (int k = 0; k < 3; k++)
		site[k] = (struct scen_site){sid[k], 0, 0, 50, 1000, k == 1 ? 2 : 1};
	struct {
		int64_t id;
		const char *ref;
		uint32_t site;
		int role;
		double cost, weight;
		int64_t due;
	} f[] = {{4, "A1", 0, CR_SWITCH, 600, 4, due},
		 {5, "B1", 1, CR_SWITCH, 600, 4, due},
		 {6, "D1", 1, CR_CAMERA, 300, 2, due},
		 {9, "G1", 2, CR_ROUTER, 1000, 8, day}};
	for (int i = 0; i < 4; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].id = f[i].id, a[i].site = f[i].site, a[i].role = f[i].role;
		a[i].cost = f[i].cost, a[i].weight = f[i].weight, a[i].due = f[i].due;
		str_set(a[i].ref, sizeof(a[i].ref), f[i].ref);
	}
	s->a = a, s->n = 4, s->sites = site, s->nsites = 3;
	memset(dev, 0, 2 * sizeof(*dev));
	dev[0] = (struct plan_dev){.id = 2, .role = CR_ROUTER, .cost = 1100, .weight = 8, .visit = 50, .overhead = 1000};
	str_set(dev[0].ref, sizeof(dev[0].ref), "H1");
	str_set(dev[0].site, sizeof(dev[0].site), "AGG1");
	str_set(dev[0].key, sizeof(dev[0].key), "ref:H1");
	dev[1] = (struct plan_dev){.id = 7, .role = CR_ONT, .cost = 200, .weight = 1, .visit = 50, .overhead = 1000};
	str_set(dev[1].ref, sizeof(dev[1].ref), "X7");
	str_set(dev[1].key, sizeof(dev[1].key), "ref:X7");
	/* replace lists ascending by asset id, as paths_run gives them */
	rep[0] = 2, rep[1] = 4, rep[2] = 2, rep[3] = 5, rep[4] = 2, rep[5] = 6, rep[6] = 7;
	const char *pid[] = {"S1", "S2", "S4", "S5", "S6"};
	enum paths_status st[] = {PS_REPLACE, PS_REPLACE, PS_CLEAN, PS_REPLACE, PS_REPLACE};
	int64_t *rp[] = {rep, rep + 2, NULL, rep + 4, rep + 5};
	size_t nr[] = {2, 2, 0, 1, 2};
	for (int k = 0; k < 5; k++) {
		memset(&ps[k], 0, sizeof(ps[k]));
		str_set(ps[k].site, sizeof(ps[k].site), pid[k]);
		ps[k].status = st[k], ps[k].replace = rp[k], ps[k].nreplace = nr[k];
	}
	memset(pp, 0, sizeof(*pp));
	pp->r.s = ps, pp->r.n = 5, pp->r.sensitive_sites = 5;
	pp->dev = dev, pp->ndev = 2;
}

static void test_items(void)
{
	struct scen s;
	struct scen_site site[3];
	struct scen_asset a[4];
	struct plan_paths pp;
	struct paths_site ps[5];
	struct plan_dev dev[2];
	int64_t rep[7], day = 0;
	struct plan_items pi;
	struct plan_outcome o;
	char eb[TM_ERRLEN] = "", chk[TM_ERRLEN] = "";

	items_fixture(&s, site, a, &pp, ps, dev, rep);
	str_to_date("2026-11-29", 10, &day);
	struct plan_items_opt io = {day, 2026, 3, 5000, 1, 0};

	/* without paths: one item per finding, overheads shared (S2: 500 each) */
	CHECK_INT(plan_items_build(&s, &io, NULL, &pi, eb, sizeof(eb)), 0);
	CHECK_INT(pi.n, 4);
	CHECK_INT(pi.npkg, 0);
	CHECK_INT(pi.nsites, 3);
	CHECK_INT(pi.it[0].cost, 160000);
	CHECK_INT(pi.it[1].cost, 110000);
	CHECK_INT(pi.it[2].cost, 80000);
	CHECK_INT(pi.it[3].cost, 200000);
	CHECK_INT(pi.it[0].deadline, 2);
	CHECK_INT(pi.it[3].deadline, 1);
	CHECK_INT(pi.overdue, 1);
	CHECK_INT(pi.item_of[2], 2);
	plan_items_free(&pi);

	/* with paths */
	CHECK_INT(plan_items_build(&s, &io, &pp, &pi, eb, sizeof(eb)), 0);
	CHECK_INT(pi.n, 4); /* G1; packages S1, S2, S6 */
	CHECK_INT(pi.npkg, 3);
	CHECK_INT(pi.pkg_covered, 1); /* S5: H1 is in S1's package */
	CHECK_INT(pi.extra_devs, 2);
	CHECK_INT(pi.overdue, 1);
	/* sites: S1 S2 S3, AGG1, asset:ref:X7, pkg:S1, pkg:S6 */
	CHECK_INT(pi.nsites, 7);
	if (pi.nsites == 7) {
		CHECK_STR(pi.site_id[3], "AGG1");
		CHECK_STR(pi.site_id[4], "asset:ref:X7");
		CHECK_STR(pi.site_id[5], "pkg:S1");
		CHECK_STR(pi.site_id[6], "pkg:S6");
		CHECK_INT(pi.visit[5], 10000); /* S1 and AGG1 */
		CHECK_INT(pi.visit[6], 10000); /* S2 and X7's own */
	}
	/* G1 alone */
	CHECK_INT(pi.pkg_of[0], -1);
	CHECK_INT(pi.it[0].cost, 200000);
	CHECK_INT(pi.it[0].site, 2);
	CHECK_INT(pi.it[0].deadline, 1);
	/* S1: H1 2100 + A1 1600, weight 12, core (a router), deadline 2, over two sites */
	if (pi.npkg == 3) {
		const struct plan_pkg *k = &pi.pkg[0];
		CHECK_STR(k->site, "S1");
		CHECK_INT(k->item, 1);
		CHECK_INT(k->ndev, 2);
		CHECK_INT(k->findings, 1);
		CHECK_INT(k->extra, 1);
		CHECK_INT(k->shared, 0);
		CHECK_INT(k->sites, 2);
		CHECK_STR(k->ref[0], "H1");
		CHECK_STR(k->ref[1], "A1");
		CHECK_INT(k->due, a[0].due);
		CHECK_INT(pi.it[1].cost, 370000);
		CHECK_NEAR(pi.it[1].weight, 12, 1e-9);
		CHECK_INT(pi.it[1].cls, CC_CORE);
		CHECK_INT(pi.it[1].deadline, 2);
		CHECK_INT(pi.it[1].site, 5);
		/* S2: H1 went to S1, so B1 alone, at S2 */
		k = &pi.pkg[1];
		CHECK_STR(k->site, "S2");
		CHECK_INT(k->ndev, 1);
		CHECK_INT(k->dev[0], 5);
		CHECK_INT(k->shared, 1);
		CHECK_STR(k->shared_with ? k->shared_with : "", "S1");
		CHECK_INT(k->sites, 1);
		CHECK_INT(pi.it[2].cost, 110000);
		CHECK_INT(pi.it[2].site, 1);
		CHECK_INT(pi.it[2].cls, CC_AGG);
		/* S6: D1 800 + X7 200 + 1000, access, over S2 and X7's own site */
		k = &pi.pkg[2];
		CHECK_STR(k->site, "S6");
		CHECK_INT(k->ndev, 2);
		CHECK_INT(k->findings, 1);
		CHECK_INT(k->extra, 1);
		CHECK_INT(pi.it[3].cost, 200000);
		CHECK_NEAR(pi.it[3].weight, 3, 1e-9);
		CHECK_INT(pi.it[3].cls, CC_ACCESS);
		CHECK_INT(pi.it[3].site, 6);
	}
	/* every finding is in exactly one item */
	CHECK_INT(pi.item_of[0], 1);
	CHECK_INT(pi.item_of[1], 2);
	CHECK_INT(pi.item_of[2], 3);
	CHECK_INT(pi.item_of[3], 0);
	CHECK_INT(pi.cover_off[4], 4);
	/*
	 * 5000 a year, three years: G1 (2050 with S3's visit) must be in 2026;
	 * S1's package (3800) cannot join it, so 2026: G1 + S6's (2100), 2027:
	 * S1's + S2's (1150): value 8x3 + 3x3 + 12x2 + 4x2 = 65, the only plan
	 * meeting every deadline.
	 */
	CHECK_INT(plan_items_solve(&pi, PLAN_AUTO, &o, eb, sizeof(eb)), 0);
	CHECK_INT(o.r.feasible, 1);
	CHECK_INT(o.r.exact, 1);
	CHECK_NEAR(o.r.value, 65, 1e-9);
	CHECK_INT(o.r.phase[0], 1);
	CHECK_INT(o.r.phase[1], 2);
	CHECK_INT(o.r.phase[2], 2);
	CHECK_INT(o.r.phase[3], 1);
	CHECK_INT(o.ph[1].spend, 415000);
	CHECK_INT(o.ph[1].packages, 1);
	CHECK_INT(o.ph[1].sites, 2);
	CHECK_INT(o.ph[2].spend, 495000);
	CHECK_INT(o.ph[2].packages, 2);
	CHECK_INT(o.ph[2].items, 2);
	CHECK_INT(o.ph[0].items, 0);
	CHECK_INT(o.total.spend, 910000);
	CHECK_INT(o.total.budget, 1500000);
	CHECK_INT(o.has_full, 0);
	CHECK_INT(plan_check(&pi.pb, o.r.phase, 1, chk, sizeof(chk)), 0);
	char note[512];
	plan_outcome_note(&pi, &o, "EUR", note, sizeof(note));
	CHECK_STR(note, "exact optimum; every deadline met; 1 items already due, in phase 1");
	plan_outcome_free(&o);

	/* the heuristic finds it too, within budget */
	CHECK_INT(plan_items_solve(&pi, PLAN_HEURISTIC, &o, eb, sizeof(eb)), 0);
	CHECK_NEAR(o.r.value, 65, 1e-9);
	CHECK_INT(plan_check(&pi.pb, o.r.phase, 1, chk, sizeof(chk)), 0);
	plan_outcome_free(&o);
	plan_items_free(&pi);

	/*
	 * Funded at 60 %: 3000 a year.  S1's package (3800 with its visits) fits
	 * no year: deadlines cannot be met, and it is blocked by funding (the
	 * full plan above places all four).  Both plans within their budgets.
	 */
	io.share = 0.6;
	CHECK_INT(plan_items_build(&s, &io, &pp, &pi, eb, sizeof(eb)), 0);
	CHECK_INT(pi.budget[0], 300000);
	CHECK_INT(pi.budget_full[0], 500000);
	CHECK_INT(plan_items_solve(&pi, PLAN_AUTO, &o, eb, sizeof(eb)), 0);
	CHECK_INT(o.has_full, 1);
	CHECK_INT(o.r.feasible, 0);
	CHECK_INT(o.r.phase[1], 0);
	CHECK(o.blocked >= 1);
	CHECK_INT(o.blocked_cost >= 370000, 1);
	CHECK_INT(plan_check(&pi.pb, o.r.phase, 0, chk, sizeof(chk)), 0);
	CHECK_INT(plan_check(&pi.pb_full, o.full.phase, 1, chk, sizeof(chk)), 0);
	plan_outcome_free(&o);
	plan_items_free(&pi);
	io.share = 1;

	/* core first: G1 and S1's package are core, S6's is access: S6's may not come before S1's */
	io.core_first = 1;
	CHECK_INT(plan_items_build(&s, &io, &pp, &pi, eb, sizeof(eb)), 0);
	CHECK_INT(plan_items_solve(&pi, PLAN_AUTO, &o, eb, sizeof(eb)), 0);
	CHECK_INT(plan_check(&pi.pb, o.r.phase, 0, chk, sizeof(chk)), 0);
	CHECK(o.r.phase[3] == 0 || o.r.phase[3] >= o.r.phase[1]);
	plan_outcome_free(&o);
	plan_items_free(&pi);
	io.core_first = 0;

	/* every sensitive site clean: no package, the findings' own items */
	for (int k = 0; k < 5; k++)
		ps[k].status = PS_CLEAN;
	CHECK_INT(plan_items_build(&s, &io, &pp, &pi, eb, sizeof(eb)), 0);
	CHECK_INT(pi.n, 4);
	CHECK_INT(pi.npkg, 0);
	CHECK_INT(pi.nsites, 3);
	plan_items_free(&pi);
	items_fixture(&s, site, a, &pp, ps, dev, rep);

	/* a replace device neither a finding nor read: an error naming it */
	rep[6] = 8;
	CHECK_INT(plan_items_build(&s, &io, &pp, &pi, eb, sizeof(eb)), TM_EINVAL);
	CHECK_STR(eb, "plan: device 8 of site S6's clean path is neither a finding nor read");
	plan_items_free(&pi);
	rep[6] = 7;
	/* years out of range */
	io.years = 0;
	CHECK_INT(plan_items_build(&s, &io, &pp, &pi, eb, sizeof(eb)), TM_EINVAL);
	plan_items_free(&pi);
	io.years = 3;

	/* every allocation failing in turn: TM_ENOMEM, nothing leaks (ASan), then success */
	int ok_seen = 0, bad = 0;
	for (unsigned long k = 1; k < 200 && !ok_seen; k++) {
		int rc;
		mem_fail_at(k);
		rc = plan_items_build(&s, &io, &pp, &pi, eb, sizeof(eb));
		if (!rc)
			rc = plan_items_solve(&pi, PLAN_AUTO, &o, eb, sizeof(eb));
		mem_fail_at(0);
		if (!rc)
			ok_seen = 1;
		else if (rc != TM_ENOMEM)
			bad++;
		plan_outcome_free(&o);
		plan_items_free(&pi);
	}
	CHECK_INT(ok_seen, 1);
	CHECK_INT(bad, 0);
}

/* ---- the planner: tiny instances by hand ---- */

static void test_hand(void)
{
	/*
	 * Two phases, budget 100 each; visits cost 10 at site 0 and 20 at site 1.
	 * a: 40 w3 site 0; b: 40 w2 site 0; c: 60 w5 site 1, due by phase 1;
	 * d: 30 w1 site 1.  c must be in phase 1 (60 + 20 = 80 of 100); then
	 * phase 1 has 20 left: nothing else fits (a needs 40 + 10).  Phase 2:
	 * a + b at site 0 (40 + 40 + 10 = 90), d needs 30 + 20 more: no.
	 * Value: c 5x2 + a 3x1 + b 2x1 = 15.  Alternatives: a + d in phase 2
	 * (40 + 10 + 30 + 20 = 100) give 3 + 1 = 4 < 5.  So 15, d left out.
	 */
	struct plan_item it[] = {
		{40, 3, 0, 0, CC_ACCESS}, {40, 2, 0, 0, CC_ACCESS}, {60, 5, 1, 1, CC_ACCESS}, {30, 1, 1, 0, CC_ACCESS},
	};
	int64_t visit[] = {10, 20}, budget[] = {100, 100};
	struct plan_problem pb = {it, 4, visit, 2, budget, 2, 0};
	struct plan_result r;
	char eb[TM_ERRLEN];

	for (int mode = PLAN_EXACT; mode <= PLAN_HEURISTIC; mode++) {
		CHECK_INT(plan_solve(&pb, (enum plan_mode)mode, &r, eb, sizeof(eb)), 0);
		CHECK_INT(r.phase[0], 2);
		CHECK_INT(r.phase[1], 2);
		CHECK_INT(r.phase[2], 1);
		CHECK_INT(r.phase[3], 0);
		CHECK_NEAR(r.value, 15, 1e-9);
		CHECK_INT(r.spend[0], 80);
		CHECK_INT(r.spend[1], 90);
		CHECK_INT(r.feasible, 1);
		CHECK_INT(r.exact, mode == PLAN_EXACT);
		plan_result_free(&r);
	}

	/*
	 * Site visits shared: three items of 30 at one site (visit 40), one
	 * phase of budget 130: all three fit (90 + 40); two phases of 70: one
	 * each (30 + 40), value 2 + 1 with weights 1.
	 */
	struct plan_item s3[] = {{30, 1, 0, 0, CC_CORE}, {30, 1, 0, 0, CC_CORE}, {30, 1, 0, 0, CC_CORE}};
	int64_t v1[] = {40}, b1[] = {130}, b2[] = {70, 70};
	struct plan_problem p1 = {s3, 3, v1, 1, b1, 1, 0}, p2 = {s3, 3, v1, 1, b2, 2, 0};
	CHECK_INT(plan_solve(&p1, PLAN_AUTO, &r, eb, sizeof(eb)), 0);
	CHECK_NEAR(r.value, 3, 1e-9);
	CHECK_INT(r.spend[0], 130);
	plan_result_free(&r);
	CHECK_INT(plan_solve(&p2, PLAN_AUTO, &r, eb, sizeof(eb)), 0);
	CHECK_NEAR(r.value, 3, 1e-9); /* one in phase 1 (2), one in phase 2 (1) */
	CHECK_INT(r.spend[0], 70);
	CHECK_INT(r.spend[1], 70);
	plan_result_free(&r);

	/*
	 * Deadlines that cannot be met: two items due by phase 1 costing 80 and
	 * 50 at two sites with visits 10, budget 100 per phase.  Needed in
	 * phase 1: 80 + 10 + 50 + 10 = 150: short by exactly 50.
	 */
	struct plan_item d2[] = {{80, 1, 0, 1, CC_ACCESS}, {50, 1, 1, 1, CC_ACCESS}};
	int64_t v2[] = {10, 10}, b3[] = {100, 100};
	struct plan_problem p3 = {d2, 2, v2, 2, b3, 2, 0};
	for (int mode = PLAN_AUTO; mode <= PLAN_HEURISTIC; mode++) {
		CHECK_INT(plan_solve(&p3, (enum plan_mode)mode, &r, eb, sizeof(eb)), 0);
		CHECK_INT(r.feasible, 0);
		CHECK_INT(r.missed, 1);
		CHECK_INT(r.short_lo, 50);
		CHECK_INT(r.short_hi, 50);
		CHECK_INT(r.short_exact, 1);
		CHECK_INT(plan_check(&p3, r.phase, 0, eb, sizeof(eb)), 0);
		plan_result_free(&r);
	}
	/* a budget of zero: nothing placed, short by everything due */
	int64_t b0[] = {0, 0};
	struct plan_problem p4 = {d2, 2, v2, 2, b0, 2, 0};
	CHECK_INT(plan_solve(&p4, PLAN_AUTO, &r, eb, sizeof(eb)), 0);
	CHECK_INT(r.missed, 2);
	CHECK_INT(r.short_hi, 150);
	CHECK_INT(r.short_lo, 150);
	CHECK_INT(r.phase[0] + r.phase[1], 0);
	plan_result_free(&r);

	/*
	 * Core first: a core item (cost 90, weight 1) and an access item (cost
	 * 90, weight 10), one site, visit 10, two phases of 100.  Without the
	 * rule the access item goes first (10x2 + 1x1 = 21); with it the core
	 * item must be no later: core in 1, access in 2: 1x2 + 10x1 = 12.
	 */
	struct plan_item cf[] = {{90, 1, 0, 0, CC_CORE}, {90, 10, 0, 0, CC_ACCESS}};
	int64_t v3[] = {10}, b4[] = {100, 100};
	struct plan_problem p5 = {cf, 2, v3, 1, b4, 2, 0};
	CHECK_INT(plan_solve(&p5, PLAN_AUTO, &r, eb, sizeof(eb)), 0);
	CHECK_NEAR(r.value, 21, 1e-9);
	CHECK_INT(r.phase[1], 1);
	plan_result_free(&r);
	p5.core_first = 1;
	for (int mode = PLAN_AUTO; mode <= PLAN_HEURISTIC; mode++) {
		CHECK_INT(plan_solve(&p5, (enum plan_mode)mode, &r, eb, sizeof(eb)), 0);
		CHECK_NEAR(r.value, 12, 1e-9);
		CHECK_INT(r.phase[0], 1);
		CHECK_INT(r.phase[1], 2);
		plan_result_free(&r);
	}

	/* malformed problems */
	struct plan_item neg[] = {{-1, 1, 0, 0, CC_CORE}};
	struct plan_problem p6 = {neg, 1, v3, 1, b4, 2, 0};
	CHECK_INT(plan_solve(&p6, PLAN_AUTO, &r, eb, sizeof(eb)), TM_EINVAL);
	CHECK_STR(eb, "plan: item 0 has a negative cost or a weight not above 0");
	plan_result_free(&r);
	struct plan_item far[] = {{1, 1, 3, 0, CC_CORE}};
	struct plan_problem p7 = {far, 1, v3, 1, b4, 2, 0};
	CHECK_INT(plan_solve(&p7, PLAN_AUTO, &r, eb, sizeof(eb)), TM_EINVAL);
	CHECK_STR(eb, "plan: item 0 names site 3 of 1");
	plan_result_free(&r);
	p7.H = 0;
	CHECK_INT(plan_solve(&p7, PLAN_AUTO, &r, eb, sizeof(eb)), TM_EINVAL);
	plan_result_free(&r);
}

/* ---- against brute force ---- */

static uint64_t rng = 88172645463325252ULL;

static uint64_t xr(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int rnd(int lo, int hi)
{
	return lo + (int)(xr() % (uint64_t)(hi - lo + 1));
}

/* Independent of the planner: spend per phase with visits, budgets, deadlines, core-first. */
static int bf_ok(const struct plan_problem *pb, const int *ph)
{
	int64_t spend[8] = {0};
	int visited[16][8] = {{0}};
	int maxc = 0, mina = 99, core_out = 0, acc = 0;

	for (size_t i = 0; i < pb->n; i++) {
		const struct plan_item *it = &pb->items[i];
		int p = ph[i];
		if (it->deadline && (!p || p > it->deadline))
			return 0;
		if (!p) {
			core_out |= it->cls == CC_CORE;
			continue;
		}
		spend[p] += it->cost;
		if (!visited[it->site][p]++)
			spend[p] += pb->visit[it->site];
		if (it->cls == CC_CORE && p > maxc)
			maxc = p;
		if (it->cls == CC_ACCESS) {
			acc = 1;
			if (p < mina)
				mina = p;
		}
	}
	for (int p = 1; p <= pb->H; p++)
		if (spend[p] > pb->budget[p - 1])
			return 0;
	if (pb->core_first && acc && (core_out || maxc > mina))
		return 0;
	return 1;
}

/* The optimum by trying every assignment; -1 when none meets the deadlines. */
static double brute(const struct plan_problem *pb)
{
	int ph[16] = {0};
	double best = -1;

	for (;;) {
		if (bf_ok(pb, ph)) {
			double v = 0;
			for (size_t i = 0; i < pb->n; i++)
				if (ph[i])
					v += pb->items[i].weight * (pb->H - ph[i] + 1);
			if (v > best)
				best = v;
		}
		size_t k = 0;
		while (k < pb->n && ++ph[k] > pb->H)
			ph[k++] = 0;
		if (k == pb->n)
			break;
	}
	return best;
}

static void test_random(uint64_t seed, int n_inst)
{
	double worst = 1;
	int n_feasible = 0, n_exact_used = 0, below = 0, heur_infeasible_wrong = 0;
	char eb[TM_ERRLEN];

	rng = seed;
	for (int t = 0; t < n_inst; t++) {
		struct plan_item it[16];
		int64_t visit[16], budget[8];
		int n = rnd(4, 9), H = rnd(2, 4), ns = rnd(1, 4);
		struct plan_problem pb = {it, (size_t)n, visit, (size_t)ns, budget, H, t % 5 == 4};

		for (int s = 0; s < ns; s++)
			visit[s] = rnd(0, 30);
		for (int p = 0; p < H; p++)
			budget[p] = rnd(40, 160);
		for (int i = 0; i < n; i++) {
			it[i].cost = rnd(5, 80);
			it[i].weight = rnd(1, 10);
			it[i].site = (uint32_t)rnd(0, ns - 1);
			it[i].deadline = rnd(0, 3) == 0 ? rnd(1, H) : 0;
			it[i].cls = rnd(0, 2);
		}
		double opt = brute(&pb);
		struct plan_result rh, ra;
		CHECK_INT(plan_solve(&pb, PLAN_HEURISTIC, &rh, eb, sizeof(eb)), 0);
		CHECK_INT(plan_solve(&pb, PLAN_AUTO, &ra, eb, sizeof(eb)), 0);
		/* within budget always; deadlines whenever a plan says it is feasible */
		CHECK_INT(plan_check(&pb, rh.phase, 0, eb, sizeof(eb)), 0);
		CHECK_INT(plan_check(&pb, ra.phase, 0, eb, sizeof(eb)), 0);
		if (rh.feasible)
			CHECK_INT(bf_ok(&pb, rh.phase), 1);
		if (plan_exact_ok(&pb))
			n_exact_used++;
		if (opt < 0) {
			/* no plan meets the deadlines: both must say so */
			CHECK_INT(rh.feasible, 0);
			CHECK_INT(ra.feasible, 0);
			CHECK(ra.short_exact && ra.short_lo > 0);
		} else {
			n_feasible++;
			CHECK_INT(ra.feasible, 1);
			CHECK_INT(ra.exact, 1);
			CHECK_NEAR(ra.value, opt, 1e-9);
			if (!rh.feasible) {
				fprintf(stderr, "instance %d: heuristic missed a deadline a plan meets\n", t);
				heur_infeasible_wrong++;
				worst = 0;
			} else {
				double ratio = opt > 0 ? rh.value / opt : 1;
				if (ratio < worst)
					worst = ratio;
				below += ratio < 0.95;
				if (ratio < 0.95) {
					fprintf(stderr, "instance %d: H %d cf %d budget", t, H, pb.core_first);
					for (int p = 0; p < H; p++)
						fprintf(stderr, " %lld", (long long)budget[p]);
					fprintf(stderr, "; visits");
					for (int q = 0; q < ns; q++)
						fprintf(stderr, " %lld", (long long)visit[q]);
					fprintf(stderr, "\n");
					for (int i = 0; i < n; i++)
						fprintf(stderr, "  item %d: cost %lld w %g site %u dl %d cls %d -> %d\n", i,
							(long long)it[i].cost, it[i].weight, it[i].site, it[i].deadline,
							it[i].cls, rh.phase[i]);
					fprintf(stderr, "  heuristic %g, optimum %g\n", rh.value, opt);
				}
			}
		}
		plan_result_free(&rh);
		plan_result_free(&ra);
	}
	printf("planner vs brute force (seed %llx): %d instances (%d feasible), exact solver used on %d; heuristic worst ratio %.4f, "
	       "%d below 0.95, %d feasible instances it could not meet\n",
	       (unsigned long long)seed, n_inst, n_feasible, n_exact_used, worst, below, heur_infeasible_wrong);
	CHECK_INT(n_exact_used, n_inst);
	CHECK(worst >= 0.95);
}

/*
 * The search caps (max_rounds, max_nodes, max_starts, as the fuzz targets set them):
 * every plan still within budget, "feasible" only when it is, "exact" only
 * with the optimum; a stopped exact search is not called exact; the capped
 * shortfall's bounds hold the uncapped exact one; 0 caps change nothing.
 */
static void test_caps(void)
{
	char eb[TM_ERRLEN];
	int stopped = 0, short_bounds = 0;
	long moves12 = 0, moves1 = 0;

	rng = 0xca95ca95ca95ULL;
	for (int t = 0; t < 300; t++) {
		struct plan_item it[16];
		int64_t visit[16], budget[8];
		int n = rnd(4, 9), H = rnd(2, 4), ns = rnd(1, 4);
		struct plan_problem pb = {it, (size_t)n, visit, (size_t)ns, budget, H, t % 5 == 4};

		for (int q = 0; q < ns; q++)
			visit[q] = rnd(0, 30);
		for (int p = 0; p < H; p++)
			budget[p] = rnd(20, 160);
		for (int i = 0; i < n; i++)
			it[i] = (struct plan_item){rnd(5, 80), rnd(1, 10), (uint32_t)rnd(0, ns - 1),
						   rnd(0, 2) == 0 ? rnd(1, H) : 0, rnd(0, 2)};
		double opt = brute(&pb);
		struct plan_result r0, rz, rc;
		enum plan_mode mode = (enum plan_mode)(t % 3);
		CHECK_INT(plan_solve(&pb, mode, &r0, eb, sizeof(eb)), 0);
		pb.max_rounds = 0, pb.max_nodes = 0, pb.max_starts = 0;
		CHECK_INT(plan_solve(&pb, mode, &rz, eb, sizeof(eb)), 0);
		CHECK(!memcmp(r0.phase, rz.phase, (size_t)n * sizeof(*r0.phase)));
		CHECK_INT(rz.nodes, r0.nodes);
		pb.max_rounds = 1 + t % 3, pb.max_nodes = 1 + t % 40, pb.max_starts = 1 + t % 4;
		CHECK_INT(plan_solve(&pb, mode, &rc, eb, sizeof(eb)), 0);
		CHECK_INT(plan_check(&pb, rc.phase, 0, eb, sizeof(eb)), 0);
		if (rc.feasible)
			CHECK_INT(bf_ok(&pb, rc.phase), 1);
		if (rc.exact)
			CHECK_NEAR(rc.value, opt, 1e-9);
		if (r0.exact && !rc.exact)
			stopped++;
		if (!rc.feasible) {
			CHECK(rc.short_lo <= rc.short_hi);
			if (!r0.feasible && r0.short_exact) {
				CHECK(rc.short_lo <= r0.short_lo && r0.short_lo <= rc.short_hi);
				short_bounds++;
			}
		}
		if (mode == PLAN_HEURISTIC) { /* fewer starts: fewer moves tried, the plan still sound */
			struct plan_result r12, r1;
			pb.max_nodes = 0, pb.max_rounds = 1, pb.max_starts = 0;
			CHECK_INT(plan_solve(&pb, mode, &r12, eb, sizeof(eb)), 0);
			pb.max_starts = 1;
			CHECK_INT(plan_solve(&pb, mode, &r1, eb, sizeof(eb)), 0);
			CHECK_INT(plan_check(&pb, r1.phase, 0, eb, sizeof(eb)), 0);
			if (r1.feasible) {
				CHECK_INT(bf_ok(&pb, r1.phase), 1);
				CHECK(r1.value <= opt + 1e-9);
			}
			moves12 += r12.nodes, moves1 += r1.nodes;
			plan_result_free(&r12);
			plan_result_free(&r1);
		}
		plan_result_free(&r0);
		plan_result_free(&rz);
		plan_result_free(&rc);
	}
	printf("search caps: %d of 300 exact searches stopped by max_nodes, %d capped shortfalls bound the exact one; "
	       "heuristic moves at 1 round: %ld with 12 starts, %ld with 1 (max_starts)\n",
	       stopped, short_bounds, moves12, moves1);
	CHECK(stopped > 0);
	CHECK(short_bounds > 0);
	CHECK(moves1 > 0 && moves1 < moves12);
}

/* A larger instance: the heuristic within budget and at least the plain greedy's value. */
static void test_large(void)
{
	size_t n = 20000, ns = 3000;
	struct plan_item *it = mem_calloc(n, sizeof(*it));
	int64_t *visit = mem_calloc(ns, sizeof(*visit)), budget[10];
	struct plan_result r;
	char eb[TM_ERRLEN];

	if (!it || !visit) {
		CHECK(0);
		return;
	}
	for (size_t s = 0; s < ns; s++)
		visit[s] = rnd(100, 1000);
	for (int p = 0; p < 10; p++)
		budget[p] = 400000;
	for (size_t i = 0; i < n; i++)
		it[i] = (struct plan_item){rnd(50, 2000), rnd(1, 10), (uint32_t)rnd(0, (int)ns - 1),
					   rnd(0, 9) == 0 ? rnd(3, 10) : 0, rnd(0, 2)};
	struct plan_problem pb = {it, n, visit, ns, budget, 10, 0};
	CHECK_INT(plan_exact_ok(&pb), 0);
	CHECK_INT(plan_solve(&pb, PLAN_AUTO, &r, eb, sizeof(eb)), 0);
	CHECK_INT(r.exact, 0);
	CHECK_INT(plan_check(&pb, r.phase, 1, eb, sizeof(eb)), 0);
	CHECK_INT(r.feasible, 1);
	for (int p = 0; p < 10; p++)
		CHECK(r.spend[p] <= budget[p]);
	plan_result_free(&r);
	mem_free(it);
	mem_free(visit);
}

int main(void)
{
	test_model();
	test_model_errors();
	test_roles();
	test_hand();
	test_random(88172645463325252ULL, 300);
	test_random(0x5eed0f0cafe1234ULL, 300);
	test_large();
	test_caps();
	test_items();
	return check_done("test_plan");
}
