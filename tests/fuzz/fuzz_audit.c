/*
 * fuzz_audit.c - the audit (src/audit) over hostile store contents: the
 * input's lines become site ids (cut to the store's records, out of
 * order, repeated, missing), operators, regions, tags, asset refs, sites,
 * vendors, component and hint makers, roles and addresses; its bytes place
 * the sites (poles, antimeridian, on circle edges) and set confidences and
 * attribution flags.  A fixed policy has every kind of zone (circles, tags,
 * sites, CIDR, roles), deny and warn rules with dates, share caps by devices
 * and by sites, and exceptions.  Beyond not crashing: the compact findings
 * (audit_opt.lean, audit_result_get) must be the whole records byte for
 * byte, the counts equal, and the planner's hooks must see the same rule
 * findings in the same order.
 *
 * The in-memory store is opened once (its schema's migrations cost more
 * than an audit): each input writes inside a transaction rolled back at the
 * end, so every input starts from the same empty store, row ids included
 * (a store whose rollback fails is closed and a new one opened).
 */
#include "audit/audit.h"
#include "core/err.h"
#include "core/str.h"
#include "kb/vendor.h"
#include "policy/policy.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NF 40
#define NSITES 8
#define NASSETS 12

static struct vreg *vr;
static struct policy *pol;

static const char policy_text[] =
	"version: 1\n"
	"name: fuzz\n"
	"lists:\n"
	"  hr: {include: [fcc-covered]}\n"
	"  parts: {include: [fcc-covered], components: true, declared: false}\n"
	"zones:\n"
	"  - {name: c1, circle: {lat: 10, lon: 20, radius_m: 50000}, sensitivity: 5}\n"
	"  - {name: pole, circle: {lat: 89.9, lon: 0, radius_m: 100000}, sensitivity: 4}\n"
	"  - {name: am, circle: {lat: 0, lon: 179.9, radius_m: 30000}, sensitivity: 2}\n"
	"  - {name: mil, tags: [military, Base], sensitivity: 3}\n"
	"  - {name: named, sites: [S1, S2], sensitivity: 4}\n"
	"  - {name: net, cidr: [10.0.0.0/8, '2001:db8::/32'], sensitivity: 4}\n"
	"  - {name: cams, roles: [camera], sensitivity: 1}\n"
	"rules:\n"
	"  - {id: deny-sens, action: deny, list: hr, scope: {min_sensitivity: 4}}\n"
	"  - {id: warn-mil, action: warn, list: parts, scope: {zones: [mil, cams]}}\n"
	"  - {id: later, action: deny, list: hr, scope: all, effective: 2030-01-01}\n"
	"  - {id: cap-dev, action: deny, list: hr, scope: {operators: [OpA, OpB]}, max_share: 20%}\n"
	"  - {id: cap-site, action: warn, list: parts, scope: all, max_share: 0, share_of: sites}\n"
	"exceptions:\n"
	"  - {site: S3, rule: deny-sens, reason: lab, expires: 2030-06-01}\n"
	"  - {asset: A2, reason: old, expires: 2020-01-01}\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char eb[512];
	const char *d = getenv("TM_RULES");

	(void)argc, (void)argv;
	if (vreg_load(&vr, d && *d ? d : "rules", eb, sizeof(eb)) ||
	    policy_parse("fuzz.yaml", policy_text, sizeof(policy_text) - 1, vr, &pol, eb, sizeof(eb))) {
		fprintf(stderr, "fuzz_audit: %s\n", eb);
		abort();
	}
	return 0;
}

struct in {
	const uint8_t *d;
	size_t n;
	char f[NF][300]; /* the first NF lines, cut to fit (longer than the store's records) */
	int nf;
};

static const char *fld(const struct in *x, int i)
{
	static const char *const dflt[] = {"S1", "S2", "S3", "S1", "huawei", "hikvision", "zte", "camera",
					   "router", "military", "OpA", "10.1.2.3"};
	return i < x->nf ? x->f[i] : dflt[i % 12];
}

static unsigned byte(const struct in *x, size_t i)
{
	return x->n ? x->d[(i * 7919) % x->n] : 0;
}

/* The rule findings the hook saw, as text. */
struct seen {
	char buf[8192];
	size_t n;
};

static int on_finding(void *ctx, const struct audit_finding *f)
{
	struct seen *s = ctx;

	if (s->n < sizeof(s->buf))
		s->n += (size_t)snprintf(s->buf + s->n, sizeof(s->buf) - s->n, "%lld/%d/%lld/%s/%s;",
					 (long long)f->asset_id, f->rule, (long long)f->day, f->zone, f->vendor);
	if (s->n >= sizeof(s->buf))
		s->n = sizeof(s->buf) - 1;
	return 0;
}

static void each(void *ctx, const struct asset_rec *a, const char *op)
{
	(void)ctx, (void)a, (void)op;
}

static struct store *st;

static void close_store(void)
{
	store_close(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in x = {data, size, {{0}}, 0};
	struct audit_result full = {0}, lean = {0}, hooked = {0};
	struct audit_finding f;
	char eb[TM_ERRLEN];
	int64_t later[1] = {21915}; /* 2030-01-02 */

	for (size_t s = 0; s < size && x.nf < NF; x.nf++) {
		size_t e = s;
		while (e < size && data[e] != '\n')
			e++;
		str_copy(x.f[x.nf], sizeof(x.f[x.nf]), (const char *)data + s, e - s);
		s = e + 1;
	}
	if (!st) {
		if (store_open(&st, ":memory:", eb, sizeof(eb))) {
			fprintf(stderr, "fuzz_audit: %s\n", eb);
			abort();
		}
		atexit(close_store);
	}
	if (store_begin(st)) {
		fprintf(stderr, "fuzz_audit: begin: %s\n", store_errmsg(st));
		abort();
	}
	for (size_t i = 0; i < NSITES; i++) {
		struct site_rec s = {0};
		str_set(s.id, sizeof(s.id), fld(&x, (int)i));
		str_set(s.operator_, sizeof(s.operator_), fld(&x, (int)(10 + i % 3)));
		str_set(s.region, sizeof(s.region), fld(&x, (int)(12 + i % 2)));
		str_set(s.tags, sizeof(s.tags), fld(&x, (int)(9 + i % 5)));
		switch (byte(&x, i) % 4) {
		case 0: /* near the circle c1, on its edge or not */
			s.lat = 10 + ((double)byte(&x, i + 1) - 128) / 256.0;
			s.lon = 20 + ((double)byte(&x, i + 2) - 128) / 256.0;
			break;
		case 1: /* poles and the antimeridian */
			s.lat = byte(&x, i + 1) & 1 ? 90 : 89.5;
			s.lon = byte(&x, i + 2) & 1 ? 180 : -179.99;
			break;
		default:
			s.lat = ((double)byte(&x, i + 1) - 128) * (90.0 / 128);
			s.lon = ((double)byte(&x, i + 2) - 128) * (180.0 / 128);
		}
		s.has_coords = (byte(&x, i + 3) & 3) != 0;
		if (s.id[0])
			store_site_put(st, &s); /* the same id twice replaces */
	}
	for (size_t i = 0; i < NASSETS; i++) {
		struct asset_rec a = {0};
		snprintf(a.key, sizeof(a.key), "ref:%zu", i);
		str_set(a.ref, sizeof(a.ref), byte(&x, i + 4) & 1 ? "A2" : fld(&x, (int)(14 + i % 4)));
		str_set(a.site, sizeof(a.site), fld(&x, (int)(byte(&x, i) % NSITES)));
		str_set(a.vendor, sizeof(a.vendor), fld(&x, (int)(18 + i % 6)));
		str_set(a.component_vendor, sizeof(a.component_vendor), byte(&x, i + 5) & 1 ? fld(&x, 24) : "");
		str_set(a.hint_vendor, sizeof(a.hint_vendor), byte(&x, i + 6) & 1 ? fld(&x, 25 + i % 3) : "");
		str_set(a.role, sizeof(a.role), fld(&x, (int)(28 + i % 4)));
		str_set(a.addr, sizeof(a.addr), fld(&x, (int)(32 + i % 4)));
		str_set(a.product, sizeof(a.product), fld(&x, (int)(36 + i % 4)));
		a.conf = byte(&x, i + 7) / 255.0;
		a.flags = byte(&x, i + 8) & 0x1f;
		store_asset_put(st, &a);
	}

	int64_t day = 20000 + (int64_t)(byte(&x, 9) * 16);
	struct audit_opt o = {day, byte(&x, 10) / 255.0, "", NULL, 0, NULL, NULL, NULL, NULL, 0};
	int rc1 = audit_run(st, vr, pol, &o, &full, eb, sizeof(eb));
	o.lean = 1;
	int rc2 = audit_run(st, vr, pol, &o, &lean, eb, sizeof(eb));
	if (rc1 != rc2 || (!rc1 && (full.n != lean.n || full.ns != lean.ns || full.assets != lean.assets ||
				    full.assets_placed != lean.assets_placed || full.excepted != lean.excepted))) {
		fprintf(stderr, "fuzz_audit: lean and whole audits differ (%d %d)\n", rc1, rc2);
		abort();
	}
	if (getenv("FUZZ_AUDIT_SHOW")) /* what a seed reaches */
		fprintf(stderr, "fuzz_audit: rc %d, %zu findings, %zu suspects, %ld assets (%ld placed), %ld excepted\n",
			rc1, full.n, full.ns, full.assets, full.assets_placed, full.excepted);
	for (int s = 0; !rc1 && s < 2; s++)
		for (size_t i = 0; i < (s ? full.ns : full.n); i++) {
			memset(&f, 0xa5, sizeof(f));
			if (audit_result_get(&lean, s, i, &f) || memcmp(&f, s ? &full.s[i] : &full.f[i], sizeof(f))) {
				fprintf(stderr, "fuzz_audit: compact finding %zu (suspects %d) differs\n", i, s);
				abort();
			}
		}
	/* the planner's way: the same rule findings through on_finding, in order */
	if (!rc1) {
		struct seen a = {{0}, 0}, b = {{0}, 0};
		for (size_t i = 0; i < full.n; i++)
			if (full.f[i].kind == AF_RULE)
				on_finding(&a, &full.f[i]);
		struct audit_opt h = {day, o.min_conf, "", later, byte(&x, 11) & 1, each, NULL, on_finding, &b, 0};
		if (audit_run(st, vr, pol, &h, &hooked, eb, sizeof(eb)) == 0 && !h.nlater) {
			/* hooks see findings in asset order, the result in severity order: compare as sets of lines */
			size_t na = 0, nb = 0;
			for (size_t i = 0; i < a.n; i++)
				na += a.buf[i] == ';';
			for (size_t i = 0; i < b.n; i++)
				nb += b.buf[i] == ';';
			if (na != nb) {
				fprintf(stderr, "fuzz_audit: on_finding saw %zu rule findings, the result has %zu\n", nb, na);
				abort();
			}
		}
	}
	audit_result_free(&full);
	audit_result_free(&lean);
	audit_result_free(&hooked);
	if (store_rollback(st)) { /* SQLite ended the transaction itself: start afresh */
		store_close(st);
		st = NULL;
	}
	return 0;
}
