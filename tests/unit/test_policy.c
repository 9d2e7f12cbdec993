/*
 * test_policy.c - the policy loader: a full policy read field by field, list
 * matching (built-in lists with their role limits, own members with dates,
 * families, components, declared vendors), exceptions and their expiry, and
 * every kind of error with its file:line:column and field; and the YAML
 * reader under it (core/yamlrd.h) alone: its walker, limits and getters.
 */
#include "check.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"
#include "core/yamlrd.h"
#include "kb/vendor.h"
#include "policy/policy.h"

#include <stdlib.h>

static struct vreg *vr;

static int64_t day(const char *s)
{
	int64_t d = 0;

	str_to_date(s, strlen(s), &d);
	return d;
}

static const char full[] =
	"version: 1\n"
	"name: Sample operator policy\n"
	"lists:\n"
	"  high-risk:\n"
	"    include: [fcc-covered]\n"
	"    components: true\n"
	"  strict-video:\n"
	"    members:\n"
	"      - hikvision\n"
	"      - vendor: dahua\n"
	"        roles: [camera, nvr]\n"
	"        from: 2024-01-01\n"
	"    declared: false\n"
	"zones:\n"
	"  - name: gov-district\n"
	"    geojson: zones/gov.geojson\n"
	"    sensitivity: 4\n"
	"  - name: base-north\n"
	"    circle: {lat: 52.35, lon: 20.95, radius_m: 5000}\n"
	"    sensitivity: 5\n"
	"  - name: mgmt\n"
	"    cidr: [192.0.2.0/24, \"2001:db8::/32\"]\n"
	"  - name: core\n"
	"    roles: [router]\n"
	"rules:\n"
	"  - id: near-sensitive\n"
	"    action: deny\n"
	"    list: high-risk\n"
	"    scope: {zones: [gov-district, base-north], min_sensitivity: 4}\n"
	"  - id: everywhere-2027\n"
	"    action: deny\n"
	"    list: high-risk\n"
	"    scope: all\n"
	"    effective: 2027-01-01\n"
	"  - id: ran-cap\n"
	"    action: warn\n"
	"    list: high-risk\n"
	"    scope: {roles: [ran], operators: [OpA]}\n"
	"    max_share: 35%\n"
	"    share_of: sites\n"
	"exceptions:\n"
	"  - asset: \"mac:00:e0:fc:01:02:03\"\n"
	"    rule: near-sensitive\n"
	"    reason: replacement ordered\n"
	"    expires: 2026-12-31\n"
	"  - site: S-17\n"
	"    reason: \"lab, isolated\"\n"
	"    expires: 2027-06-30\n";

static void test_full(void)
{
	struct policy *p;
	char eb[256] = "";
	int rc = policy_parse("p.yaml", full, sizeof(full) - 1, vr, &p, eb, sizeof(eb));

	CHECK_INT(rc, 0);
	if (rc) {
		fprintf(stderr, "%s\n", eb);
		return;
	}
	CHECK_STR(p->name, "Sample operator policy");
	CHECK_INT(p->nlists, 2);
	CHECK_STR(p->lists[0].name, "high-risk");
	CHECK_INT(p->lists[0].nbuiltin, 1);
	CHECK_INT(p->lists[0].components, 1);
	CHECK_INT(p->lists[0].declared, 1);
	CHECK_INT(p->lists[1].nmembers, 2);
	CHECK_INT(p->lists[1].declared, 0);
	CHECK_INT(p->lists[1].members[1].from, day("2024-01-01"));
	CHECK_STR(p->lists[1].members[1].roles[1], "nvr");
	CHECK(p->lists[1].members[1].roles[2] == NULL);
	CHECK(p->lists[1].members[0].roles == NULL);

	CHECK_INT(p->nzones, 4);
	CHECK_INT(p->zones[0].kind, PZ_GEOJSON);
	CHECK_STR(p->zones[0].path, "zones/gov.geojson");
	CHECK_STR(p->zones[0].name_prop, "name");
	CHECK_STR(p->zones[0].sens_prop, "sensitivity");
	CHECK_INT(p->zones[0].sensitivity, 4);
	CHECK_INT(p->zones[0].line, 15);
	CHECK_INT(p->zones[1].kind, PZ_CIRCLE);
	CHECK(p->zones[1].lat == 52.35 && p->zones[1].lon == 20.95 && p->zones[1].radius_m == 5000);
	CHECK_INT(p->zones[2].kind, PZ_CIDR);
	CHECK_INT(p->zones[2].ncidrs, 2);
	CHECK_INT(p->zones[2].cidrs[0].family, 4);
	CHECK_INT(p->zones[2].cidrs[0].prefix, 24);
	CHECK_INT(p->zones[2].cidrs[1].family, 6);
	CHECK_INT(p->zones[2].cidrs[1].prefix, 32);
	CHECK_INT(p->zones[2].sensitivity, 1);
	CHECK_INT(p->zones[3].kind, PZ_ROLE);
	CHECK_STR(p->zones[3].words[0], "router");

	CHECK_INT(p->nrules, 3);
	CHECK_STR(p->rules[0].id, "near-sensitive");
	CHECK_INT(p->rules[0].action, POL_DENY);
	CHECK_INT(p->rules[0].list, 0);
	CHECK_INT(p->rules[0].scope.nzones, 2);
	CHECK_INT(p->rules[0].scope.zones[1], 1);
	CHECK_INT(p->rules[0].scope.min_sensitivity, 4);
	CHECK(p->rules[0].effective == INT64_MIN);
	CHECK(p->rules[0].max_share < 0);
	CHECK_INT(p->rules[1].scope.everywhere, 1);
	CHECK_INT(p->rules[1].effective, day("2027-01-01"));
	CHECK_INT(p->rules[2].action, POL_WARN);
	CHECK(p->rules[2].max_share > 0.3499 && p->rules[2].max_share < 0.3501);
	CHECK_INT(p->rules[2].share_of, POL_SHARE_SITES);
	CHECK_STR(p->rules[2].scope.operators[0], "OpA");
	CHECK_INT(p->rules[2].line, 35);

	CHECK_INT(p->nexceptions, 2);
	CHECK_STR(p->exceptions[0].asset, "mac:00:e0:fc:01:02:03");
	CHECK_STR(p->exceptions[1].site, "S-17");
	CHECK_STR(p->exceptions[1].reason, "lab, isolated");

	/* list matching */
	int huawei = vreg_find(vr, "huawei", 6), hisilicon = vreg_find(vr, "hisilicon", 9);
	int hik = vreg_find(vr, "hikvision", 9), dahua = vreg_find(vr, "dahua", 5);
	int cisco = vreg_find(vr, "cisco", 5);
	int64_t now = day("2026-11-29");

	CHECK(huawei >= 0 && hisilicon >= 0 && hik >= 0 && dahua >= 0 && cisco >= 0);
	CHECK_INT(policy_list_match(p, vr, 0, huawei, -1, "router", 0, now), huawei);
	CHECK_INT(policy_list_match(p, vr, 0, hisilicon, -1, NULL, 0, now), huawei); /* family */
	CHECK_INT(policy_list_match(p, vr, 0, cisco, -1, "router", 0, now), -1);
	CHECK_INT(policy_list_match(p, vr, 0, cisco, huawei, "router", 0, now), huawei); /* component */
	CHECK_INT(policy_list_match(p, vr, 0, huawei, -1, "router", 0, day("2020-01-01")), -1); /* before the list */
	/* the FCC list names Hikvision for video only; an unknown role still matches */
	CHECK_INT(policy_list_match(p, vr, 0, hik, -1, "camera", 0, now), hik);
	CHECK_INT(policy_list_match(p, vr, 0, hik, -1, "router", 0, now), -1);
	CHECK_INT(policy_list_match(p, vr, 0, hik, -1, "", 0, now), hik);
	/* own list: Hikvision for every role, Dahua for cameras from 2024 */
	CHECK_INT(policy_list_match(p, vr, 1, hik, -1, "router", 0, now), hik);
	CHECK_INT(policy_list_match(p, vr, 1, dahua, -1, "camera", 0, now), dahua);
	CHECK_INT(policy_list_match(p, vr, 1, dahua, -1, "switch", 0, now), -1);
	CHECK_INT(policy_list_match(p, vr, 1, dahua, -1, "camera", 0, day("2023-12-31")), -1);
	CHECK_INT(policy_list_match(p, vr, 1, hik, -1, "camera", 1, now), -1); /* declared: false */
	CHECK_INT(policy_list_match(p, vr, 0, huawei, -1, "camera", 1, now), huawei);
	CHECK_INT(policy_list_match(p, vr, 1, cisco, hik, "camera", 0, now), -1); /* no components */

	/* exceptions: by asset for one rule, by site for all; expiry inclusive */
	CHECK_INT(policy_exception_find(p, "mac:00:e0:fc:01:02:03", "", "S-1", "near-sensitive", day("2026-12-31")), 0);
	CHECK_INT(policy_exception_find(p, "mac:00:e0:fc:01:02:03", "", "S-1", "near-sensitive", day("2027-01-01")), -1);
	CHECK_INT(policy_exception_find(p, "mac:00:e0:fc:01:02:03", "", "S-1", "everywhere-2027", now), -1);
	CHECK_INT(policy_exception_find(p, "ip:/192.0.2.1", "", "S-17", "ran-cap", now), 1);
	CHECK_INT(policy_exception_find(p, "ip:/192.0.2.1", "", "S-17", "ran-cap", day("2027-07-01")), -1);
	policy_free(p);
}

/* Each bad policy with the exact message it must give. */
static void test_errors(void)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"rules: []\nlistz: {}\n", "e.yaml:2:1: unknown key \"listz\""},
		{"lists:\n  a: {include: [fcc-covered], colour: red}\nrules: []\n",
		 "e.yaml:2:31: lists.a: unknown key \"colour\""},
		{"lists:\n  a: {include: nope}\nrules: []\n",
		 "e.yaml:2:16: lists.a.include: unknown list \"nope\" (built-in: fcc-covered, ndaa-889, or --lists)"},
		{"lists:\n  a: {members: [huawai]}\nrules: []\n",
		 "e.yaml:2:17: lists.a.members[0]: unknown vendor \"huawai\" (trustmap vendors lists the ids)"},
		{"lists:\n  a: {members: []}\nrules: []\n", "e.yaml:2:6: lists.a: a list needs include: or members:"},
		{"rules:\n  - {id: r, action: deny, list: x, scope: all}\n",
		 "e.yaml:2:33: rules[0].list: unknown list \"x\" (define it under lists:)"},
		{"lists: {a: {include: fcc-covered}}\nrules:\n  - {id: r, action: deny, list: a, scope: {zones: [z]}}\n",
		 "e.yaml:3:52: rules[0].scope.zones: unknown zone \"z\""},
		{"lists: {a: {include: fcc-covered}}\nrules:\n  - {id: r, action: deny, list: a, scope: all, effective: 2027-02-30}\n",
		 "e.yaml:3:59: rules[0].effective: date is YYYY-MM-DD"},
		{"lists: {a: {include: fcc-covered}}\nrules:\n  - {id: r, action: ban, list: a, scope: all}\n",
		 "e.yaml:3:21: rules[0].action: action is deny or warn"},
		{"lists: {a: {include: fcc-covered}}\nrules:\n  - {id: r, action: deny, list: a}\n",
		 "e.yaml:3:5: rules[0]: rule \"r\" needs scope: (zones, roles, ... or all)"},
		{"lists: {a: {include: fcc-covered}}\nrules:\n  - {id: r, action: deny, list: a, scope: all, max_share: 135%}\n",
		 "e.yaml:3:59: rules[0].max_share: a share is between 0 and 100%"},
		{"zones:\n  - {name: z, circle: {lat: 95, lon: 0, radius_m: 1}}\nrules: []\n",
		 "e.yaml:2:29: zones[0].circle.lat: 95 is outside -90..90"},
		{"zones:\n  - {name: z, cidr: 192.0.2.3/8}\nrules: []\n",
		 "e.yaml:2:21: zones[0].cidr[0]: \"192.0.2.3/8\" has host bits set below its prefix"},
		{"zones:\n  - {name: z, cidr: 192.0.2.0/24, tags: [a]}\nrules: []\n",
		 "e.yaml:2:5: zones[0]: zone \"z\" needs exactly one of geojson:, circle:, cidr:, tags:, roles:, sites:"},
		{"zones:\n  - {name: z, tags: a}\n  - {name: z, tags: b}\nrules: []\n",
		 "e.yaml:3:5: zones[1]: zone \"z\" defined twice"},
		{"lists: {a: {include: fcc-covered}}\nrules: []\nexceptions:\n  - {asset: x, reason: r}\n",
		 "e.yaml:4:5: exceptions[0]: an exception needs expires: YYYY-MM-DD"},
		{"lists: {a: {include: fcc-covered}}\nrules: []\nexceptions:\n  - {asset: x, site: s, reason: r, expires: 2027-01-01}\n",
		 "e.yaml:4:5: exceptions[0]: an exception names exactly one of asset: or site:"},
		{"lists: {a: {include: fcc-covered}}\nrules: []\nexceptions:\n  - {asset: x, rule: q, reason: r, expires: 2027-01-01}\n",
		 "e.yaml:4:22: exceptions[0].rule: unknown rule \"q\""},
		{"lists: {a: {include: fcc-covered}}\n", "e.yaml:1:1: a policy needs rules:"},
		{"rules: [\n", "e.yaml:2:1: did not find expected node content while parsing a flow node"},
		{"version: 2\nrules: []\n", "e.yaml:1:10: version: this trustmap reads policy version 1"},
		{"rules: []\nrules: []\n", "e.yaml:2:1: key \"rules\" given twice"},
		{"a: &x [1, 2]\nb: *x\nrules: []\n", "e.yaml:1:4: aliases (*name) are not allowed in a policy"},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct policy *p = (struct policy *)1;
		char eb[256] = "";
		int rc = policy_parse("e.yaml", bad[i].text, strlen(bad[i].text), vr, &p, eb, sizeof(eb));

		CHECK(rc < 0);
		CHECK(p == NULL);
		CHECK_STR(eb, bad[i].msg);
	}
}

/* Nesting: 64 levels are read (then refused by the schema), 65 are refused before libyaml builds
 * the document (its scanner slows with the square of the depth: a MiB of '[' took minutes). */
static void test_depth(void)
{
	static char doc[(1 << 20) + 64];
	struct policy *p = (struct policy *)1;
	char eb[256] = "";
	size_t n = 0;

	n += (size_t)snprintf(doc, sizeof(doc), "rules: ");
	for (int i = 1; i < 64; i++)
		doc[n++] = '[';
	for (int i = 1; i < 64; i++)
		doc[n++] = ']';
	doc[n++] = '\n';
	CHECK(policy_parse("d.yaml", doc, n, vr, &p, eb, sizeof(eb)) < 0);
	CHECK(strstr(eb, "nested deeper") == NULL);
	n = (size_t)snprintf(doc, sizeof(doc), "rules: ");
	while (n < sizeof(doc) - 1)
		doc[n++] = '[';
	p = (struct policy *)1;
	CHECK_INT(policy_parse("d.yaml", doc, n, vr, &p, eb, sizeof(eb)), TM_ELIMIT);
	CHECK(p == NULL);
	CHECK_STR(eb, "d.yaml:1:71: nested deeper than 64 levels");
}

/* Every allocation failing in turn: an error or a policy, never a leak or a crash (ASan run). */
static void test_nomem(void)
{
	for (unsigned long n = 1; n < 400; n++) {
		struct policy *p = NULL;
		char eb[256];

		mem_fail_at(n);
		int rc = policy_parse("p.yaml", full, sizeof(full) - 1, vr, &p, eb, sizeof(eb));
		mem_fail_at(0);
		CHECK(rc == 0 ? p != NULL : p == NULL);
		policy_free(p);
		if (!rc)
			break;
	}
}

/* ---- core/yamlrd alone ---- */

struct yseen {
	char keys[128];
	int a;
	double b;
};

static int yfield(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
		  const char *path)
{
	struct yseen *s = obj;

	(void)k;
	str_set(s->keys + strlen(s->keys), sizeof(s->keys) - strlen(s->keys), key);
	str_set(s->keys + strlen(s->keys), sizeof(s->keys) - strlen(s->keys), ",");
	if (!strcmp(key, "a"))
		return yr_int(y, v, path, 0, 10, &s->a);
	if (!strcmp(key, "b"))
		return yr_double(y, v, path, -1, 1, &s->b);
	if (!strcmp(key, "c") || !strcmp(key, "name"))
		return 0;
	return 1;
}

/* Loads text and walks its root with yfield; eb holds the error, keys what was seen. */
static int ywalk(const char *text, size_t max_pairs, struct yseen *s, char *eb, size_t el)
{
	struct yr y = {.file = "y.yaml",
		       .noun = "test file",
		       .max_pairs = max_pairs,
		       .eb = eb,
		       .el = el};
	yaml_node_t *root;
	int rc;

	memset(s, 0, sizeof(*s));
	eb[0] = 0;
	if (!(rc = yr_load(&y, text, strlen(text), &root)))
		rc = yr_walk(&y, root, "", s, yfield);
	yr_fini(&y);
	return rc;
}

static void test_yamlrd(void)
{
	char eb[TM_ERRLEN];
	struct yseen s;

	CHECK_INT(ywalk("a: 3\nb: -0.5\nc: [x]\n", 0, &s, eb, sizeof(eb)), 0);
	CHECK_STR(s.keys, "a,b,c,");
	CHECK_INT(s.a, 3);
	CHECK_NEAR(s.b, -0.5, 1e-12);
	/* the walker: unknown and repeated keys, no mapping, a non-scalar key, too many pairs */
	CHECK_INT(ywalk("a: 1\nzz: 2\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml:2:1: unknown key \"zz\"");
	CHECK_INT(ywalk("a: 1\nc: 2\na: 3\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml:3:1: key \"a\" given twice");
	CHECK_STR(s.keys, "a,c,");
	CHECK_INT(ywalk("- a\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml:1:1: expected a mapping (key: value lines)");
	CHECK_INT(ywalk("? [a]\n: 1\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml:1:3: expected a short key");
	CHECK_INT(ywalk("a: 1\nc: 2\n", 2, &s, eb, sizeof(eb)), 0);
	CHECK_INT(ywalk("a: 1\nc: 2\nb: 0\n", 2, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml:1:1: more than 2 entries");
	CHECK_STR(s.keys, "");
	/* a key or a number holding a NUL is refused, not read up to the NUL */
	CHECK_INT(ywalk("\"name\\0x\": 1\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml:1:1: expected a short key");
	CHECK_STR(s.keys, "");
	CHECK_INT(ywalk("b: \"1\\0\"\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml:1:4: b: expected a number, not text holding a NUL byte");
	/* the getters' messages name the path */
	CHECK_INT(ywalk("a: 2.5\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml:1:4: a: expected a whole number");
	CHECK_INT(ywalk("b: 2\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml:1:4: b: 2 is outside -1..1");
	CHECK_INT(ywalk("b: 1e999\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml:1:4: b: expected a number, not \"1e999\"");
	CHECK_INT(ywalk("b: [1]\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml:1:4: b: expected a number");
	/* the loader: not YAML, empty, aliases (named by the noun) */
	CHECK_INT(ywalk("a: [1\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK(!strncmp(eb, "y.yaml:2:1: ", 12));
	CHECK_INT(ywalk("# nothing\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "y.yaml: empty test file");
	CHECK_INT(ywalk("a: &x 1\nc: *x\n", 0, &s, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(
	    eb,
	    "y.yaml:1:4: aliases (*name) are not allowed in a test file"); /* the anchored node */
	CHECK_STR(s.keys, "");

	/* words: one name or a list, bounded; empty names refused with the item's path */
	struct arena *a = arena_new(0);
	struct yr y = {
	    .file = "w.yaml", .noun = "test file", .arena = a, .eb = eb, .el = sizeof(eb)};
	const char *text = "one: x\nlist: [p, q, r]\nempty: [p, \"\"]\nmap: {k: v}\n";
	const char **w = NULL;
	yaml_node_t *root;

	CHECK_INT(yr_load(&y, text, strlen(text), &root), 0);
	CHECK_INT(yr_words(&y, yr_get(&y, root, "one"), "one", 5, &w), 0);
	CHECK(w && !strcmp(w[0], "x") && !w[1]);
	CHECK_INT(yr_words(&y, yr_get(&y, root, "list"), "list", 3, &w), 0);
	CHECK(w && !strcmp(w[2], "r") && !w[3]);
	CHECK_INT(yr_words(&y, yr_get(&y, root, "list"), "list", 2, &w), TM_EPROTO);
	CHECK_STR(eb, "w.yaml:2:7: list: more than 2 items");
	CHECK_INT(yr_words(&y, yr_get(&y, root, "empty"), "empty", 5, &w), TM_EPROTO);
	CHECK_STR(eb, "w.yaml:3:12: empty[1]: empty name");
	CHECK_INT(yr_words(&y, yr_get(&y, root, "map"), "map", 5, &w), TM_EPROTO);
	CHECK_STR(eb, "w.yaml:4:6: map: expected a name or a list of names");
	CHECK(yr_get(&y, root, "none") == NULL);
	CHECK_INT(yr_fail(&y, NULL, "p", "gone"), TM_EPROTO);
	CHECK_STR(eb, "w.yaml:0:0: p: gone");
	yr_fini(&y);
	yr_fini(&y); /* twice is harmless */
	arena_free(a);
}

int main(void)
{
	char eb[256];
	const char *d = getenv("TM_RULES");

	if (vreg_load(&vr, d && *d ? d : "rules", eb, sizeof(eb))) {
		fprintf(stderr, "%s\n", eb);
		return 1;
	}
	test_full();
	test_errors();
	test_depth();
	test_nomem();
	test_yamlrd();
	vreg_free(vr);
	return check_done("test_policy");
}
