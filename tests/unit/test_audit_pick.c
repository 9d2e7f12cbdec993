/*
 * test_audit_pick.c - the audit's read of only the assets a rule could find
 * (store_asset_pick, audit.c's picking): the store gives exactly the assets
 * of the picked vendor texts and those naming a component or hint maker,
 * each with its site (none for no site or one the store lacks), and asks
 * about each distinct vendor text once; the audit finds the same findings
 * (every field) as when it reads every asset and site, over a policy whose
 * rules reach assets by a list of the FCC's makers (role limits, a family
 * member, case and alias spellings of a name), a user list limited by role,
 * zones by tag, CIDR, role and site, an exception in force and an expired
 * one naming a site, on a day before and after a rule's date; and it reads
 * only the assets such a rule could match.
 */
#include "check.h"

#include "attr/attr.h"
#include "audit/audit.h"
#include "core/err.h"
#include "core/str.h"
#include "kb/vendor.h"
#include "policy/policy.h"
#include "store/store.h"

#include <stdlib.h>
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
	str_set(s.region, sizeof(s.region), "R1");
	str_set(s.tags, sizeof(s.tags), tags);
	CHECK_INT(store_site_put(st, &s), 0);
}

static void asset(struct store *st, const char *ref, const char *vendor, const char *role, const char *site_id,
		  unsigned flags, const char *comp, const char *hint, const char *addr)
{
	struct asset_rec a = {.conf = 0.9, .flags = flags};

	snprintf(a.key, sizeof(a.key), "ref:%s", ref);
	str_set(a.ref, sizeof(a.ref), ref);
	str_set(a.vendor, sizeof(a.vendor), vendor);
	str_set(a.role, sizeof(a.role), role);
	str_set(a.site, sizeof(a.site), site_id);
	str_set(a.component_vendor, sizeof(a.component_vendor), comp);
	str_set(a.hint_vendor, sizeof(a.hint_vendor), hint);
	str_set(a.addr, sizeof(a.addr), addr);
	CHECK_INT(store_asset_put(st, &a), 0);
}

static void make_store(void)
{
	struct store *st;
	char eb[256];

	snprintf(dbpath, sizeof(dbpath), "%s/p.db", dir);
	CHECK_INT(store_open(&st, dbpath, eb, sizeof(eb)), 0);
	site(st, "P1", 52.1, 21.0, 1, "OpA", "military;border");
	site(st, "P2", 52.2, 21.1, 1, "OpB", "");
	site(st, "P3", 0, 0, 0, "OpC", "military");
	site(st, "P4", 52.3, 21.2, 1, "OpD", ""); /* no assets */
	asset(st, "B1", "huawei", "router", "P1", 0, "", "", "10.0.0.1");	   /* excepted for "tagged" */
	asset(st, "B2", "HUAWEI", "switch", "P2", 0, "", "", "10.0.0.2");	   /* upper case */
	asset(st, "B3", "Huawei Technologies", "router", "P1", 0, "", "", "10.0.0.3"); /* an alias */
	asset(st, "B4", "hisilicon", "switch", "P1", 0, "", "", "10.0.0.4");   /* Huawei's family */
	asset(st, "B5", "hikvision", "router", "P1", 0, "", "", "10.0.0.5");   /* FCC: video only */
	asset(st, "B6", "hikvision", "camera", "P2", 0, "", "", "10.0.0.6");
	asset(st, "B7", "cisco", "switch", "P1", 0, "", "", "10.0.0.7");	   /* on no list: not read */
	asset(st, "B8", "cisco", "router", "P1", 0, "huawei", "", "10.0.0.8");  /* a part: the list has none */
	asset(st, "B9", "", "camera", "P1", ATTR_WEAK_ONLY, "", "zte", "10.0.0.9"); /* a weak hint */
	asset(st, "B10", "zte", "router", "", 0, "", "", "10.0.0.10");	   /* no site */
	asset(st, "B11", "huawei", "router", "P404", 0, "", "", "10.0.0.11");  /* a site the store lacks */
	asset(st, "B12", "nokia", "ran-radio", "P1", 0, "", "", "192.0.2.7");  /* the user list, its role */
	asset(st, "B13", "nokia", "router", "P2", 0, "", "", "192.0.2.8");	   /* not its role */
	asset(st, "B14", "ericsson", "router", "P3", 0, "", "", "10.0.0.14");  /* on no list: not read */
	asset(st, "B15", "zte", "switch", "P3", 0, "", "", "10.0.0.15");	   /* unplaced, tagged */
	store_close(st);
}

static const char policy_text[] =
	"version: 1\n"
	"lists:\n"
	"  high-risk: {include: [fcc-covered]}\n"
	"  mine:\n"
	"    members:\n"
	"      - {vendor: nokia, roles: [ran-radio]}\n"
	"zones:\n"
	"  - {name: mil, tags: [military], sensitivity: 5}\n"
	"  - {name: mgmt, cidr: [192.0.2.0/24], sensitivity: 4}\n"
	"  - {name: core, roles: [router], sensitivity: 3}\n"
	"  - {name: hq, sites: [P2], sensitivity: 4}\n"
	"rules:\n"
	"  - {id: tagged, action: deny, list: high-risk, scope: {zones: [mil]}}\n"
	"  - {id: mgmt-nets, action: deny, list: mine, scope: {zones: [mgmt]}}\n"
	"  - {id: core-role, action: warn, list: high-risk, scope: {zones: [core]}}\n"
	"  - {id: hq-site, action: deny, list: high-risk, scope: {zones: [hq]}}\n"
	"  - {id: later, action: warn, list: mine, scope: all, effective: 2027-01-01}\n"
	"exceptions:\n"
	"  - {asset: B1, rule: tagged, reason: test, expires: 2030-01-01}\n"
	"  - {site: P3, reason: gone, expires: 2026-01-01}\n";

/* ---- the store's pick ---- */

struct seen {
	char texts[512]; /* every vendor text pick was asked about */
	char rows[512];	 /* "ref@site" per asset given, sorted by the caller */
	const char *want, *not_role;
};

/* vendor x->want in every role but x->not_role (asked with role NULL once per vendor text, then per row) */
static int pick_one(void *ctx, const char *vendor, const char *role)
{
	struct seen *x = ctx;
	size_t n = strlen(x->texts);

	if (role)
		return !strcmp(vendor, x->want) && strcmp(role, x->not_role);
	snprintf(x->texts + n, sizeof(x->texts) - n, "[%s]", vendor);
	return !strcmp(vendor, x->want);
}

static int row(void *ctx, const struct asset_view *a, const struct site_view *s)
{
	struct seen *x = ctx;
	size_t n = strlen(x->rows);

	snprintf(x->rows + n, sizeof(x->rows) - n, "%s%s@%s%s", n ? " " : "", a->ref, s ? s->id : "-",
		 s && !s->has_coords ? "(unplaced)" : "");
	if (s && !strcmp(s->id, "P1"))
		CHECK(s->lat == 52.1 && s->lon == 21.0 && !strcmp(s->operator_, "OpA") &&
		      !strcmp(s->tags, "military;border"));
	return 0;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The rows' words sorted (the store gives them in no particular order). */
static void sort_words(char *s)
{
	char *w[64], out[512] = "";
	int n = 0;

	for (char *t = strtok(s, " "); t && n < 64; t = strtok(NULL, " "))
		w[n++] = t;
	qsort(w, (size_t)n, sizeof(*w), by_text);
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "", w[i]);
	strcpy(s, out);
}

static void test_store_pick(void)
{
	struct store *st = NULL;
	struct seen x = {.want = "huawei", .not_role = ""};
	long na = -1, ns = -1;
	char eb[256];

	CHECK_INT(store_open(&st, dbpath, eb, sizeof(eb)), 0);
	CHECK_INT(store_asset_pick(st, pick_one, row, &x, &na, &ns), 0);
	/* each distinct text once, in the index's (byte) order */
	CHECK_STR(x.texts, "[][HUAWEI][Huawei Technologies][cisco][ericsson][hikvision][hisilicon][huawei][nokia][zte]");
	sort_words(x.rows);
	/* the picked text byte for byte (not "HUAWEI"), plus the part (B8) and the hint (B9) */
	CHECK_STR(x.rows, "B11@- B1@P1 B8@P1 B9@P1");
	CHECK_INT(na, 15);
	CHECK_INT(ns, 4);
	/* nothing picked: only the part and the hint */
	memset(&x, 0, sizeof(x));
	x.want = "no such vendor", x.not_role = "";
	CHECK_INT(store_asset_pick(st, pick_one, row, &x, NULL, NULL), 0);
	sort_words(x.rows);
	CHECK_STR(x.rows, "B8@P1 B9@P1");
	/* the unplaced site comes with its row */
	memset(&x, 0, sizeof(x));
	x.want = "zte", x.not_role = "";
	CHECK_INT(store_asset_pick(st, pick_one, row, &x, NULL, NULL), 0);
	sort_words(x.rows);
	CHECK_STR(x.rows, "B10@- B15@P3(unplaced) B8@P1 B9@P1");
	/* the same vendor but not its routers: B10 left out by its role */
	memset(&x, 0, sizeof(x));
	x.want = "zte", x.not_role = "router";
	CHECK_INT(store_asset_pick(st, pick_one, row, &x, NULL, NULL), 0);
	sort_words(x.rows);
	CHECK_STR(x.rows, "B15@P3(unplaced) B8@P1 B9@P1");
	store_close(st);
}

/* ---- the audit: picked and read whole, the same findings ---- */

/* "rule:ref:zone:severity:vendor:listed:operator" per finding (suspects when s). */
static void lines(const struct policy *p, const struct audit_result *r, int s, char *out, size_t len)
{
	struct audit_finding f;
	size_t n = 0;

	out[0] = 0;
	for (size_t i = 0; i < (s ? r->ns : r->n); i++) {
		CHECK_INT(audit_result_get(r, s, i, &f), 0);
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s:%s:%s:%s:%s:%s:%s", n ? " " : "",
				      f.rule >= 0 ? p->rules[f.rule].id : "-", f.ref[0] ? f.ref : f.site, f.zone,
				      audit_sev_name(f.sev), f.vendor, f.listed, f.operator_);
		if (n >= len)
			n = len - 1;
	}
}

static void both(const struct policy *p, int64_t d, const char *want, const char *want_s)
{
	struct audit_opt o = {.day = d, .min_conf = 0.5, .base_dir = ".", .lean = 1};
	struct audit_result pk, all;
	struct store *st = NULL;
	char eb[256] = "", got[4096];
	struct audit_finding f, g;

	CHECK_INT(store_open(&st, dbpath, eb, sizeof(eb)), 0);
	CHECK_INT(audit_run(st, vr, p, &o, &pk, eb, sizeof(eb)), 0);
	o.read_all = 1;
	CHECK_INT(audit_run(st, vr, p, &o, &all, eb, sizeof(eb)), 0);
	CHECK_INT(pk.n, all.n);
	CHECK_INT(pk.ns, all.ns);
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < (s ? pk.ns : pk.n) && i < (s ? all.ns : all.n); i++) {
			memset(&f, 0x5a, sizeof(f));
			memset(&g, 0xa5, sizeof(g));
			CHECK_INT(audit_result_get(&pk, s, i, &f), 0);
			CHECK_INT(audit_result_get(&all, s, i, &g), 0);
			CHECK(!memcmp(&f, &g, sizeof(f)));
		}
	lines(p, &pk, 0, got, sizeof(got));
	CHECK_STR(got, want);
	lines(p, &pk, 1, got, sizeof(got));
	CHECK_STR(got, want_s);
	CHECK_INT(pk.excepted, all.excepted);
	/* all read: 15 assets, 13 placed (not B10, B11: no site or not in the store; B14, B15: P3 unplaced) */
	CHECK_INT(all.assets, 15);
	CHECK_INT(all.assets_read, 15);
	CHECK_INT(all.assets_placed, 11);
	CHECK_INT(all.sites, 4);
	CHECK_INT(all.sites_read, 4);
	CHECK_INT(all.sites_placed, 3);
	/*
	 * picked: every asset a rule can find, and the part and the hint (B8,
	 * B9: the audit decides those); not B7 and B14 (on no list), B5 and
	 * B13 (their makers listed for other roles only)
	 */
	CHECK_INT(pk.assets, 15);
	CHECK_INT(pk.assets_read, 11);
	CHECK_INT(pk.assets_placed, 8);
	CHECK_INT(pk.sites, 4);
	CHECK_INT(pk.sites_read, 3); /* P4 holds nothing */
	CHECK_INT(pk.sites_placed, 2);
	audit_result_free(&pk);
	audit_result_free(&all);
	store_close(st);
}

static void test_audit_pick(void)
{
	struct policy *p = NULL;
	char eb[512];

	CHECK_INT(policy_parse("pick.yaml", policy_text, sizeof(policy_text) - 1, vr, &p, eb, sizeof(eb)), 0);
	if (!p) {
		fprintf(stderr, "%s\n", eb);
		return;
	}
	/*
	 * B1 excepted for "tagged", still in the core zone; B2, B3 by other
	 * spellings of Huawei; B4 by its family; B5 (a Hikvision router) and
	 * B8 (a Huawei part: the list takes none) and B13 (not the user list's
	 * role) are found by nothing; B9 a suspect by its hint; B10,
	 * B11 without a site record; the expired exception names P3 (not read
	 * for itself: its operator from the store)
	 */
	const char *found = "hq-site:B2:hq:critical:HUAWEI:huawei:OpB "
			    "tagged:B3:mil:critical:Huawei Technologies:huawei:OpA "
			    "tagged:B4:mil:critical:hisilicon:huawei:OpA hq-site:B6:hq:critical:hikvision:hikvision:OpB "
			    "mgmt-nets:B12:mgmt:critical:nokia:nokia:OpA tagged:B15:mil:critical:zte:zte:OpC "
			    "core-role:B1:core:medium:huawei:huawei:OpA "
			    "core-role:B3:core:medium:Huawei Technologies:huawei:OpA core-role:B10:core:medium:zte:zte: "
			    "core-role:B11:core:medium:huawei:huawei: ";
	char want[2048];

	snprintf(want, sizeof(want), "%s-:P3::medium:::OpC", found);
	both(p, day("2026-11-29"), want, "tagged:B9:mil:low:zte:zte:OpA");
	/* 2027: the user list everywhere (B12 again, its most sensitive zone) */
	snprintf(want, sizeof(want), "%slater:B12:mil:medium:nokia:nokia:OpA -:P3::medium:::OpC", found);
	both(p, day("2027-01-02"), want, "tagged:B9:mil:low:zte:zte:OpA");
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
	str_set(dir, sizeof(dir), "/tmp/tm-apick-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	make_store();
	test_store_pick();
	test_audit_pick();
	unlink(dbpath);
	rmdir(dir);
	vreg_free(vr);
	return check_done("test_audit_pick");
}
