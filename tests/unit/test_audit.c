/*
 * test_audit.c - the audit (src/audit) over a store written here, record by
 * record: exact findings and suspects (a polygon with a hole, a circle, a
 * tag zone; role limits; a component maker; a weak hint; an unplaced site
 * and a site the store does not have; an exception before and after its
 * expiry; share caps), the counts, and that the compact findings
 * (audit_opt.lean, read with audit_result_get) are the whole records byte
 * for byte, whether the audit picked the assets a rule could find or read
 * them all (audit_opt.read_all).  Sites are written out of id order and assets so that the
 * audit's guess of the next site misses: its hash is used.  Also the
 * planner's hooks (later days, each, on_finding: the order and days of the
 * calls) and allocation failures at every step.
 */
#include "check.h"

#include "attr/attr.h"
#include "audit/audit.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"
#include "kb/vendor.h"
#include "policy/policy.h"
#include "store/store.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static struct vreg *vr;
static char dir[64], dbpath[128];

static int64_t day(const char *s)
{
	int64_t d = 0;

	str_to_date(s, strlen(s), &d);
	return d;
}

static void site(struct store *st, const char *id, double lat, double lon, int placed, const char *op,
		 const char *tags)
{
	struct site_rec s = {.lat = lat, .lon = lon, .has_coords = placed};

	str_set(s.id, sizeof(s.id), id);
	str_set(s.operator_, sizeof(s.operator_), op);
	str_set(s.region, sizeof(s.region), "Mazowieckie");
	str_set(s.tags, sizeof(s.tags), tags);
	CHECK_INT(store_site_put(st, &s), 0);
}

static void asset(struct store *st, const char *ref, const char *vendor, const char *role, const char *site_id,
		  double conf, unsigned flags, const char *comp, const char *hint)
{
	struct asset_rec a = {.conf = conf, .flags = flags};

	snprintf(a.key, sizeof(a.key), "ref:%s", ref);
	str_set(a.ref, sizeof(a.ref), ref);
	str_set(a.vendor, sizeof(a.vendor), vendor);
	str_set(a.family, sizeof(a.family), vendor);
	str_set(a.role, sizeof(a.role), role);
	str_set(a.site, sizeof(a.site), site_id);
	str_set(a.component_vendor, sizeof(a.component_vendor), comp);
	str_set(a.hint_vendor, sizeof(a.hint_vendor), hint);
	str_set(a.product, sizeof(a.product), "P-");
	str_set(a.product + 2, sizeof(a.product) - 2, ref);
	snprintf(a.addr, sizeof(a.addr), "10.0.0.%d", atoi(ref + 1));
	CHECK_INT(store_asset_put(st, &a), 0);
}

/* The store: sites out of id order, assets whose sites jump about. */
static void make_store(void)
{
	struct store *st;
	char eb[256];

	snprintf(dbpath, sizeof(dbpath), "%s/a.db", dir);
	CHECK_INT(store_open(&st, dbpath, eb, sizeof(eb)), 0);
	site(st, "S5", 52.2310, 21.0110, 1, "OpA", "");
	site(st, "S1", 52.2300, 21.0100, 1, "OpA", "");
	site(st, "S3", 52.1000, 21.3000, 1, "OpB", "");
	site(st, "S2", 52.4000, 20.9000, 1, "OpA", "military");
	site(st, "S9", 0, 0, 0, "OpB", "");
	site(st, "S4", 52.2450, 21.0050, 1, "OpB", "");
	asset(st, "A1", "huawei", "router", "S1", 0.9, 0, "", "");	     /* gov quarter */
	asset(st, "A2", "cisco", "switch", "S1", 0.9, 0, "", "");	     /* on no list */
	asset(st, "A3", "hikvision", "camera", "S2", 0.9, 0, "", "");    /* base circle */
	asset(st, "A4", "hikvision", "router", "S2", 0.9, 0, "", "");    /* FCC: video only */
	asset(st, "A5", "zte", "ont", "S3", 0.9, 0, "", "");		     /* in no zone */
	asset(st, "A6", "huawei", "switch", "S4", 0.3, 0, "", "");	     /* in the hole, low confidence */
	asset(st, "A7", "dahua", "camera", "S5", 0.9, 0, "", "");	     /* excepted by its site */
	asset(st, "A8", "cisco", "router", "S1", 0.9, 0, "huawei", "");  /* a Huawei part */
	asset(st, "A9", "", "camera", "S2", 0.2, ATTR_WEAK_ONLY, "", "hikvision"); /* a weak hint */
	asset(st, "A10", "huawei", "router", "S9", 0.9, 0, "", "");	     /* site without coordinates */
	asset(st, "A11", "zte", "router", "S404", 0.9, ATTR_DECLARED_ONLY, "", ""); /* no such site */
	store_close(st);
}

static struct store *open_store(void)
{
	struct store *st = NULL;
	char eb[256];

	CHECK_INT(store_open(&st, dbpath, eb, sizeof(eb)), 0);
	return st;
}

static struct policy *load(const char *name)
{
	struct policy *p = NULL;
	char path[256], eb[512];

	snprintf(path, sizeof(path), "tests/data/audit/%s", name);
	if (policy_load(path, vr, &p, eb, sizeof(eb)))
		fprintf(stderr, "%s\n", eb);
	CHECK(p != NULL);
	return p;
}

/* "rule:ref:zone:severity:vendor:listed:operator" per finding (suspects when s), space-separated. */
static void lines(const struct policy *p, const struct audit_result *r, int s, char *out, size_t len)
{
	struct audit_finding f;
	size_t n = 0;

	out[0] = 0;
	for (size_t i = 0; i < (s ? r->ns : r->n); i++) {
		CHECK_INT(audit_result_get(r, s, i, &f), 0);
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s:%s:%s:%s:%s:%s:%s", n ? " " : "",
				      f.rule >= 0 ? p->rules[f.rule].id : "-", f.ref[0] ? f.ref : f.asset_key, f.zone,
				      audit_sev_name(f.sev), f.vendor, f.listed, f.operator_);
		if (n >= len)
			n = len - 1;
	}
}

/*
 * Runs p on d three ways: whole records, compact ones, and compact ones
 * from every asset and site read (audit_opt.read_all): the findings must be
 * the same byte for byte.  nread: the assets the audit reads when it picks
 * (those of a listed vendor, or naming a component or hint maker; all 11
 * when a share cap is in force).
 */
static void run_both(const struct policy *p, int64_t d, double min_conf, struct audit_result *lean, long zones,
		     long nread)
{
	struct audit_opt o = {.day = d, .min_conf = min_conf, .base_dir = "tests/data/audit"};
	struct audit_result full, all;
	struct store *st = open_store();
	char eb[256] = "";
	struct audit_finding f, g;

	CHECK_INT(audit_run(st, vr, p, &o, &full, eb, sizeof(eb)), 0);
	o.lean = 1;
	CHECK_INT(audit_run(st, vr, p, &o, lean, eb, sizeof(eb)), 0);
	o.read_all = 1;
	CHECK_INT(audit_run(st, vr, p, &o, &all, eb, sizeof(eb)), 0);
	CHECK(lean->f == NULL && lean->s == NULL && lean->priv != NULL);
	CHECK(full.f != NULL && full.priv == NULL);
	CHECK_INT(lean->n, full.n);
	CHECK_INT(lean->ns, full.ns);
	CHECK_INT(all.n, full.n);
	CHECK_INT(all.ns, full.ns);
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < (s ? full.ns : full.n) && i < (s ? lean->ns : lean->n); i++) {
			memset(&f, 0x5a, sizeof(f));
			CHECK_INT(audit_result_get(lean, s, i, &f), 0);
			CHECK(!memcmp(&f, s ? &full.s[i] : &full.f[i], sizeof(f)));
			memset(&g, 0xa5, sizeof(g));
			CHECK_INT(audit_result_get(&all, s, i, &g), 0);
			CHECK(!memcmp(&f, &g, sizeof(f)));
		}
	CHECK_INT(audit_result_get(lean, 0, lean->n, &f), TM_EINVAL);
	CHECK_INT(audit_result_get(lean, 1, lean->ns, &f), TM_EINVAL);
	/* everything read: the store's 11 assets, 9 of them at a site with coordinates; 6 sites, 5 placed */
	CHECK_INT(all.assets, 11);
	CHECK_INT(all.assets_read, 11);
	CHECK_INT(all.assets_placed, 9);
	CHECK_INT(all.sites, 6);
	CHECK_INT(all.sites_read, 6);
	CHECK_INT(all.sites_placed, 5);
	CHECK_INT(all.excepted, full.excepted);
	/* picked: the same store counts, fewer read (A2 is on no list, A4 a Hikvision router: video only) */
	CHECK_INT(lean->assets, 11);
	CHECK_INT(lean->assets_read, nread);
	CHECK_INT(lean->assets_placed, nread == 11 ? 9 : nread - 2); /* A10, A11 are read, not placed */
	CHECK_INT(lean->sites, 6);
	CHECK_INT(lean->sites_read, 6); /* every site has a listed device, S1 twice apart (A1, A8) */
	CHECK_INT(lean->sites_placed, 5);
	CHECK_INT(lean->excepted, full.excepted);
	CHECK_INT(lean->zones_geo, zones);
	audit_result_free(&full);
	audit_result_free(&all);
	store_close(st);
}

static void test_findings(void)
{
	struct policy *p = load("policy.yaml");
	struct audit_result r;
	char got[4096];

	if (!p)
		return;
	/* before the exception expires and before the everywhere rule */
	run_both(p, day("2026-11-29"), 0.5, &r, 2, 9);
	lines(p, &r, 0, got, sizeof(got));
	CHECK_STR(got, "no-high-risk-near-gov:A1:gov/Government quarter:critical:huawei:huawei:OpA "
		       "no-high-risk-near-gov:A3:base:critical:hikvision:hikvision:OpA");
	lines(p, &r, 1, got, sizeof(got));
	CHECK_STR(got, "no-high-risk-near-gov:A9:base:low:hikvision:hikvision:OpA");
	CHECK_INT(r.excepted, 1);
	CHECK_INT(r.rules_in_force, 1);
	audit_result_free(&r);

	/* 2027: the warn rule everywhere, the exception expired (and a finding of its own) */
	run_both(p, day("2027-01-02"), 0.5, &r, 2, 9);
	lines(p, &r, 0, got, sizeof(got));
	CHECK_STR(got, "no-high-risk-near-gov:A1:gov/Government quarter:critical:huawei:huawei:OpA "
		       "no-high-risk-near-gov:A3:base:critical:hikvision:hikvision:OpA "
		       "no-high-risk-near-gov:A7:gov/Government quarter:critical:dahua:dahua:OpA "
		       "everywhere-2027:A1:gov/Government quarter:medium:huawei:huawei:OpA "
		       "everywhere-2027:A3:base:medium:hikvision:hikvision:OpA "
		       "everywhere-2027:A5::medium:zte:zte:OpB "
		       "everywhere-2027:A7:gov/Government quarter:medium:dahua:dahua:OpA "
		       "everywhere-2027:A10::medium:huawei:huawei:OpB "
		       "everywhere-2027:A11::medium:zte:zte: "
		       "no-high-risk-near-gov:::medium:::OpA");
	lines(p, &r, 1, got, sizeof(got));
	/* suspects in the same order: by asset, then rule */
	CHECK_STR(got, "everywhere-2027:A6::low:huawei:huawei:OpB "
		       "no-high-risk-near-gov:A9:base:low:hikvision:hikvision:OpA "
		       "everywhere-2027:A9:base:low:hikvision:hikvision:OpA");
	{
		struct audit_finding f;
		CHECK_INT(audit_result_get(&r, 0, 8, &f), 0); /* A11: the inventory's word, a site not in the store */
		CHECK_STR(f.site, "S404");
		CHECK_STR(f.addr, "10.0.0.11");
		CHECK_STR(f.product, "P-A11");
		CHECK_INT(f.why, AW_DECLARED_ONLY);
		CHECK_INT(f.day, day("2027-01-02"));
		CHECK_INT(audit_result_get(&r, 0, 9, &f), 0);
		CHECK_INT(f.kind, AF_EXCEPTION_EXPIRED);
		CHECK_STR(f.site, "S5");
		CHECK_INT(f.exception, 0);
	}
	audit_result_free(&r);
	policy_free(p);
}

static void test_component(void)
{
	static const char text[] = "version: 1\n"
				   "lists:\n"
				   "  parts: {include: [fcc-covered], components: true}\n"
				   "rules:\n"
				   "  - {id: any, action: deny, list: parts, scope: all}\n";
	struct policy *p = NULL;
	struct audit_result r;
	char eb[512], got[4096];

	CHECK_INT(policy_parse("parts.yaml", text, sizeof(text) - 1, vr, &p, eb, sizeof(eb)), 0);
	if (!p)
		return;
	run_both(p, day("2026-11-29"), 0.5, &r, 0, 9);
	lines(p, &r, 0, got, sizeof(got));
	CHECK_STR(got, "any:A1::high:huawei:huawei:OpA any:A3::high:hikvision:hikvision:OpA "
		       "any:A5::high:zte:zte:OpB any:A7::high:dahua:dahua:OpA any:A8::high:huawei:huawei:OpA "
		       "any:A10::high:huawei:huawei:OpB any:A11::high:zte:zte:");
	{
		struct audit_finding f;
		CHECK_INT(audit_result_get(&r, 0, 4, &f), 0);
		CHECK_INT(f.why, AW_COMPONENT);
	}
	audit_result_free(&r);
	policy_free(p);
}

static void test_share(void)
{
	struct policy *p = load("share.yaml");
	struct audit_result r;
	struct audit_finding f;

	if (!p)
		return;
	run_both(p, day("2026-11-29"), 0.5, &r, 0, 11); /* a share cap counts every device: all read */
	/* OpA devices: A1 A2 A3 A4 A7 A8 A9 (7; listed A1 A3 A7: 3 of 7, under 50 %); OpA sites S1 S2 S5 all listed > 90 %;
	   OpB switches: A6 (conf 0.3: not listed) -> no finding */
	CHECK_INT(r.n, 1);
	CHECK_INT(audit_result_get(&r, 0, 0, &f), 0);
	CHECK_INT(f.kind, AF_SHARE);
	CHECK_STR(p->rules[f.rule].id, "opa-site-cap");
	CHECK_STR(f.group, "OpA");
	CHECK_INT(f.n_scope, 3);
	CHECK_INT(f.n_listed, 3);
	audit_result_free(&r);
	policy_free(p);
}

/* ---- the planner's hooks ---- */

struct calls {
	char each[512];
	char found[1024];
	int err_at; /* on_finding returns TM_EINVAL at this call (0 never) */
	int n;
};

static void each(void *ctx, const struct asset_rec *a, const char *op)
{
	struct calls *c = ctx;
	size_t n = strlen(c->each);

	snprintf(c->each + n, sizeof(c->each) - n, "%s%s@%s", n ? " " : "", a->ref, op);
}

static int found(void *ctx, const struct audit_finding *f)
{
	struct calls *c = ctx;
	size_t n = strlen(c->found);
	char d[16];
	time_t t = (time_t)(f->day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(d, sizeof(d), "%Y-%m-%d", &tm);
	snprintf(c->found + n, sizeof(c->found) - n, "%s%s/%d/%s", n ? " " : "", f->ref, f->rule, d);
	return ++c->n == c->err_at ? TM_EINVAL : 0;
}

static void test_hooks(void)
{
	struct policy *p = load("policy.yaml");
	int64_t later[2] = {day("2027-01-01"), day("2027-01-02")};
	struct calls c = {0};
	struct audit_opt o = {day("2026-11-29"), 0.5, "tests/data/audit", later, 2, each, &c, found, &c, 0};
	struct audit_result r;
	struct store *st = open_store();
	char eb[256] = "";

	if (!p)
		return;
	CHECK_INT(audit_run(st, vr, p, &o, &r, eb, sizeof(eb)), 0);
	CHECK_STR(c.each, "A1@OpA A2@OpA A3@OpA A4@OpA A5@OpB A6@OpB A7@OpA A8@OpA A9@OpA A10@OpB A11@");
	/* in asset order; per asset o->day first, then each later day; rule findings only (A6 is a suspect) */
	CHECK_STR(c.found, "A1/0/2026-11-29 A1/0/2027-01-01 A1/1/2027-01-01 A1/0/2027-01-02 A1/1/2027-01-02 "
			   "A3/0/2026-11-29 A3/0/2027-01-01 A3/1/2027-01-01 A3/0/2027-01-02 A3/1/2027-01-02 "
			   "A5/1/2027-01-01 A5/1/2027-01-02 "
			   "A7/0/2027-01-01 A7/1/2027-01-01 A7/0/2027-01-02 A7/1/2027-01-02 "
			   "A10/1/2027-01-01 A10/1/2027-01-02 A11/1/2027-01-01 A11/1/2027-01-02");
	CHECK_INT(r.n, 0);  /* they went to on_finding */
	CHECK_INT(r.ns, 1); /* A9's hint */
	audit_result_free(&r);
	/* a nonzero return stops the audit with that code */
	memset(&c, 0, sizeof(c));
	c.err_at = 3;
	CHECK_INT(audit_run(st, vr, p, &o, &r, eb, sizeof(eb)), TM_EINVAL);
	CHECK_INT(c.n, 3);
	audit_result_free(&r);
	store_close(st);
	policy_free(p);
}

/* Every allocation of the audit fails in turn: TM_ENOMEM with a message, nothing leaked (ASan), then success. */
static void test_nomem(void)
{
	struct policy *p = load("policy.yaml");
	struct audit_opt o = {.day = day("2027-01-02"), .min_conf = 0.5, .base_dir = "tests/data/audit", .lean = 1};
	struct audit_result r;
	struct store *st = open_store();
	char eb[256];
	int rc = -1, n, bad = 0;

	if (!p)
		return;
	for (n = 1; n < 5000 && rc; n++) {
		eb[0] = 0;
		mem_fail_at((unsigned long)n);
		rc = audit_run(st, vr, p, &o, &r, eb, sizeof(eb));
		mem_fail_at(0);
		if (rc && (rc != TM_ENOMEM || !strstr(eb, "out of memory")) && !bad++)
			fprintf(stderr, "allocation %d: %d %s\n", n, rc, eb);
		if (!rc)
			CHECK_INT(r.n, 10);
		audit_result_free(&r);
	}
	CHECK_INT(rc, 0);
	CHECK_INT(bad, 0);
	CHECK(n > 20);
	store_close(st);
	policy_free(p);
}

int main(void)
{
	char eb[256];
	const char *d = getenv("TM_RULES");

	if (vreg_load(&vr, d && *d ? d : "rules", eb, sizeof(eb))) {
		fprintf(stderr, "%s\n", eb);
		return 1;
	}
	str_set(dir, sizeof(dir), "/tmp/tm-audit-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	make_store();
	test_findings();
	test_component();
	test_share();
	test_hooks();
	test_nomem();
	unlink(dbpath);
	rmdir(dir);
	vreg_free(vr);
	return check_done("test_audit");
}
