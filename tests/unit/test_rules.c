/* test_rules.c - own fingerprint rules: loading, errors, templates, oid prefixes, limits, and every example of rules/. */
#include "check.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/obs.h"
#include "kb/rules.h"
#include "kb/rules_int.h"
#include "kb/vendor.h"

#include <stdlib.h>
#include <time.h>

static void report(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "selftest: %s\n", msg);
}

/* Parses text as file "t.rules" into a new set; returns the code, eb gets the message. */
static int load(struct rules **rs, const char *text, char *eb)
{
	int rc;

	CHECK_INT(rules_new(rs, NULL), 0);
	eb[0] = 0;
	rc = rules_parse(*rs, "t.rules", text, strlen(text), eb, TM_ERRLEN);
	return rc;
}

/* Matches value as kind k; returns the count and fills c. */
static int match(const struct rules *rs, enum obs_kind k, const char *v, struct cand *c, int max)
{
	struct obs o = {.kind = k};

	obs_set_value(&o, v, strlen(v));
	return rules_match(rs, &o, c, max);
}

static void test_tree(void)
{
	struct vreg *vr = NULL;
	struct rules *rs = NULL;
	char eb[TM_ERRLEN] = "";
	int checked = 0, rc;

	rc = vreg_load(&vr, "rules", eb, sizeof(eb));
	if (rc)
		fprintf(stderr, "test_rules: vendor registry: %s\n", eb);
	CHECK_INT(rc, 0);
	rc = rules_load_dir(&rs, "rules", vr, eb, sizeof(eb));
	if (rc)
		fprintf(stderr, "test_rules: %s\n", eb);
	CHECK_INT(rc, 0);
	CHECK(rules_count(rs) >= 250);
	CHECK_INT(rules_selftest(rs, report, NULL, &checked), 0);
	CHECK(checked >= 250);
	printf("rules/: %zu rules, %d checks\n", rules_count(rs), checked);
	rules_free(rs);
	vreg_free(vr);
}

static const char subst_rules[] =
	"# templates\n"
	"rule sub\n"
	"    kind    snmp_sysdescr\n"
	"    kind    lldp_sysdesc   # both\n"
	"    match   /^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)?\\s+Model[ \\t]+(\\S+)(?: rev (\\d+))?/\n"
	"    vendor  acme\n"
	"    product \"X $1$2 $$ ${10}\"\n"
	"    model   ${12}\n"
	"    version ${11} r${13}\n"
	"    role    $9\n"
	"    os      \"  spaced\\t\\tout  \"\n"
	"    strength strong\n"
	"    example \"abcdefghij  Model\\tQ-100 rev 7\"\n"
	"    expect  vendor=acme product=\"X ab $ j\" model=Q-100 version=r7 role=i os=\"spaced out\" "
	"strength=strong component=no\n"
	"    not     \"abcdefghij Modelless\"\n";

static void test_subst(void)
{
	struct rules *rs;
	struct cand c[4];
	char eb[TM_ERRLEN];
	int checked;

	CHECK_INT(load(&rs, subst_rules, eb), 0);
	CHECK_INT(rules_count(rs), 1);
	CHECK_INT(match(rs, OBS_SNMP_SYSDESCR, "abcdefghijk Model Z\x01Y", c, 4), 1);
	CHECK_STR(c[0].product, "X ab $ j");
	CHECK_STR(c[0].model, "Z Y"); /* a control byte folds into a space */
	CHECK_STR(c[0].version, "k r"); /* $11 = "k", $13 unset */
	CHECK_INT(match(rs, OBS_SNMP_SYSDESCR, "abcdefghij Model A rev 12", c, 4), 1);
	CHECK_STR(c[0].version, "r12");
	CHECK_STR(c[0].vendor_raw, "acme");
	CHECK_INT(c[0].vendor, -1);
	CHECK_STR(c[0].rule, "rule:sub");
	CHECK_INT(c[0].strength, EV_STRONG);
	CHECK_NEAR(c[0].conf, cand_strength_conf(EV_STRONG), 1e-6);
	CHECK_INT(c[0].obs, -1);
	CHECK_INT(match(rs, OBS_LLDP_SYSDESC, "abcdefghij Model A", c, 4), 1);
	CHECK_INT(match(rs, OBS_HTTP_TITLE, "abcdefghij Model A", c, 4), 0);
	CHECK_INT(rules_selftest(rs, report, NULL, &checked), 0);
	CHECK_INT(checked, 4); /* (example + negative) x 2 kinds */
	rules_free(rs);
}

static void test_version_space(void)
{
	struct rules *rs;
	struct cand c[4];
	char eb[TM_ERRLEN];

	/* $11 and $13 both set */
	CHECK_INT(load(&rs, subst_rules, eb), 0);
	CHECK_INT(match(rs, OBS_SNMP_SYSDESCR, "abcdefghijk Model A rev 12", c, 4), 1);
	CHECK_STR(c[0].version, "k r12");
	rules_free(rs);
}

static const char oid_rules[] =
	"rule ent\n"
	"    oid     1.3.6.1.4.1.2011\n"
	"    vendor  huawei\n"
	"    strength fair\n"
	"    example 1.3.6.1.4.1.2011.5\n"
	"    expect  vendor=huawei product=\"\"\n"
	"\n"
	"rule sw\n"
	"    oid     .1.3.6.1.4.1.2011.2.23\n"
	"    kind    snmp_sysobjectid\n"
	"    vendor  huawei\n"
	"    product S\n"
	"    role    switch\n"
	"    strength strong\n"
	"    example SNMPv2-SMI::enterprises.2011.2.23.96\n"
	"    expect  product=S role=switch\n"
	"    not     1.3.6.1.4.1.2011.2.230\n"
	"\n"
	"rule h3c\n"
	"    oid     1.3.6.1.4.1.2011.10\n"
	"    vendor  h3c\n"
	"    strength strong\n"
	"    example 1.3.6.1.4.1.2011.10.1.2\n"
	"    expect  vendor=h3c\n";

static void test_oid(void)
{
	struct rules *rs;
	struct cand c[4];
	char eb[TM_ERRLEN];
	int checked;

	CHECK_INT(load(&rs, oid_rules, eb), 0);
	CHECK_INT(match(rs, OBS_SNMP_SYSOBJECTID, "1.3.6.1.4.1.2011.2.23.96", c, 4), 1);
	CHECK_STR(c[0].rule, "rule:sw");
	CHECK_STR(c[0].role, "switch");
	CHECK_INT(match(rs, OBS_SNMP_SYSOBJECTID, "1.3.6.1.4.1.2011.2.230", c, 4), 1);
	CHECK_STR(c[0].rule, "rule:ent"); /* arcs, not text: 230 is not under 23 */
	CHECK_INT(match(rs, OBS_SNMP_SYSOBJECTID, "iso.3.6.1.4.1.2011.10", c, 4), 1);
	CHECK_STR(c[0].vendor_raw, "h3c");
	CHECK_INT(match(rs, OBS_SNMP_SYSOBJECTID, "1.3.6.1.4.1.201", c, 4), 0);
	CHECK_INT(match(rs, OBS_SNMP_SYSOBJECTID, "1.3.6.1.4.1", c, 4), 0);
	CHECK_INT(match(rs, OBS_SNMP_SYSOBJECTID, "garbage", c, 4), 0);
	CHECK_INT(match(rs, OBS_SNMP_SYSDESCR, "1.3.6.1.4.1.2011.2.23", c, 4), 0);
	CHECK_INT(rules_selftest(rs, report, NULL, &checked), 0);
	CHECK_INT(checked, 4);
	rules_free(rs);

	/* an oid rule is for sysObjectIDs only, without groups */
	CHECK_INT(load(&rs, "rule x\n kind http_title\n oid 1.3.6\n vendor a\n example 1.3.6\n"
			    " expect vendor=a\n", eb), TM_EPROTO);
	CHECK_STR(eb, "t.rules:1: an oid rule reads snmp_sysobjectid only");
	rules_free(rs);
	CHECK_INT(load(&rs, "rule x\n oid 1.3.6\n vendor a\n model $1\n example 1.3.6\n"
			    " expect vendor=a\n", eb), TM_EPROTO);
	CHECK_STR(eb, "t.rules:1: model: an oid rule has no groups for $1");
	rules_free(rs);
	CHECK_INT(load(&rs, "rule x\n oid 1.3..6\n", eb), TM_EPROTO);
	CHECK_STR(eb, "t.rules:2: bad oid '1.3..6'");
	rules_free(rs);
}

static const char flag_rules[] =
	"rule ci\n"
	" kind http_title\n"
	" match /^web (\\w+)$/i\n"
	" vendor a\n"
	" model $1\n"
	" example \"WEB Cam\"\n"
	" expect model=Cam\n"
	"\n"
	"rule cs\n"
	" kind http_title\n"
	" match m#^Web\\b#\n"
	" vendor b\n"
	" strength weak\n"
	" example \"Web\"\n"
	" expect vendor=b\n"
	" not \"WEB\"\n"
	"\n"
	"rule dotall\n"
	" kind snmp_sysdescr\n"
	" match /first.*second/s\n"
	" vendor c\n"
	" example \"first\\r\\nsecond\"\n"
	" expect vendor=c\n"
	"\n"
	"rule nodot\n"
	" kind snmp_sysdescr\n"
	" match /first.*third/\n"
	" vendor d\n"
	" example \"first third\"\n"
	" expect vendor=d\n"
	" not \"first\\nthird\"\n";

static void test_flags(void)
{
	struct rules *rs;
	struct cand c[4];
	char eb[TM_ERRLEN];
	int checked;

	CHECK_INT(load(&rs, flag_rules, eb), 0);
	CHECK_INT(match(rs, OBS_HTTP_TITLE, "wEb x", c, 4), 1);
	CHECK_STR(c[0].model, "x");
	CHECK_INT(match(rs, OBS_HTTP_TITLE, "Web x", c, 4), 2);
	CHECK_STR(c[0].vendor_raw, "a"); /* fair before weak */
	CHECK_STR(c[1].vendor_raw, "b");
	CHECK_INT(match(rs, OBS_HTTP_TITLE, "Web x", c, 1), 1);
	CHECK_STR(c[0].vendor_raw, "a");
	CHECK_INT(match(rs, OBS_SNMP_SYSDESCR, "first\nsecond", c, 4), 1);
	CHECK_INT(match(rs, OBS_SNMP_SYSDESCR, "FIRST second", c, 4), 0);
	CHECK_INT(match(rs, OBS_SNMP_SYSDESCR, "first\nthird", c, 4), 0);
	CHECK_INT(rules_selftest(rs, report, NULL, &checked), 0);
	CHECK_INT(checked, 6);
	rules_free(rs);
}

/* Loads text and expects rc and exactly msg. */
static void bad(const char *text, int rc, const char *msg)
{
	struct rules *rs;
	char eb[TM_ERRLEN];

	CHECK_INT(load(&rs, text, eb), rc);
	if (strcmp(eb, msg))
		fprintf(stderr, "  for: %s\n", text);
	CHECK_STR(eb, msg);
	CHECK_INT(rules_count(rs), 0);
	rules_free(rs);
}

static void test_errors(void)
{
	const char *h = "rule x\n kind http_title\n vendor a\n";
	char t[1024];

	bad("rule x\n kind http_title\n match /a(b/\n", TM_EPROTO,
	    "t.rules:3: bad pattern at offset 3: missing closing parenthesis");
	snprintf(t, sizeof(t), "%s match /ab/\n colour red\n", h);
	bad(t, TM_EPROTO, "t.rules:5: unknown field 'colour'");
	snprintf(t, sizeof(t), "%s match /ab/\n example \"ab\"\n", h);
	bad(t, TM_EPROTO, "t.rules:5: example without expect");
	snprintf(t, sizeof(t), "%s match /ab/\n expect vendor=a\n", h);
	bad(t, TM_EPROTO, "t.rules:5: expect must follow its own example");
	snprintf(t, sizeof(t), "%s match /ab/\n example ab\n expect vendor=a\n expect vendor=a\n", h);
	bad(t, TM_EPROTO, "t.rules:7: expect must follow its own example");
	snprintf(t, sizeof(t), "%s match /ab/\n example ab\n expect colour=red\n", h);
	bad(t, TM_EPROTO, "t.rules:6: expect wants key=value with a key of vendor, product, model, "
			  "version, role, os, strength, component (at 'colour')");
	snprintf(t, sizeof(t), "%s match /ab/\n example ab\n expect  \n", h);
	bad(t, TM_EPROTO, "t.rules:6: expect names nothing");
	snprintf(t, sizeof(t), "%s match /ab/\n example ab\n expect model=\"x\n", h);
	bad(t, TM_EPROTO, "t.rules:6: expect: unterminated quote");
	snprintf(t, sizeof(t), "%s match /ab/\n not ab\n", h);
	bad(t, TM_EPROTO, "t.rules:1: rule needs at least one example");
	snprintf(t, sizeof(t), "%s match /ab/x\n", h);
	bad(t, TM_EPROTO, "t.rules:4: unknown match flag 'x' (i and s only)");
	snprintf(t, sizeof(t), "%s match ab\n", h);
	bad(t, TM_EPROTO, "t.rules:4: match must read /pattern/flags or m|pattern|flags");
	snprintf(t, sizeof(t), "%s match /\n", h);
	bad(t, TM_EPROTO, "t.rules:4: match has no closing '/'");
	snprintf(t, sizeof(t), "%s match //\n", h);
	bad(t, TM_EPROTO, "t.rules:4: empty pattern");
	snprintf(t, sizeof(t), "%s match /a(b)/\n model $2\n example ab\n expect vendor=a\n", h);
	bad(t, TM_EPROTO, "t.rules:1: model: $2 but the pattern has 1 groups");
	snprintf(t, sizeof(t), "%s match /ab/\n model $x\n example ab\n expect vendor=a\n", h);
	bad(t, TM_EPROTO, "t.rules:1: model: '$' must be followed by a group number, ${nn} or '$'");
	snprintf(t, sizeof(t), "%s match /ab/\n strength huge\n", h);
	bad(t, TM_EPROTO, "t.rules:5: strength must be weak, medium, fair or strong");
	snprintf(t, sizeof(t), "%s match /ab/\n component maybe\n", h);
	bad(t, TM_EPROTO, "t.rules:5: component must be yes or no");
	snprintf(t, sizeof(t), "%s match /ab/\n role big router\n", h);
	bad(t, TM_EPROTO, "t.rules:5: role takes one word (text after it must be a # comment)");
	snprintf(t, sizeof(t), "%s match /ab/\n example \"ab\\q\"\n", h);
	bad(t, TM_EPROTO, "t.rules:5: bad quoted value (escape or closing quote)");
	snprintf(t, sizeof(t), "%s match /ab/\n example ab\n expect model=%0100d\n", h, 0);
	bad(t, TM_EPROTO, "t.rules:6: expect: model longer than the 47 bytes a candidate keeps");
	bad("rule x\n kind banner\n", TM_EPROTO, "t.rules:2: unknown kind 'banner'");
	bad("rule x\n kind http_title\n match /a/\n", TM_EPROTO, "t.rules:1: rule needs a vendor");
	bad("rule x\n vendor a\n match /a/\n", TM_EPROTO, "t.rules:1: rule needs a kind");
	bad("rule x\n vendor a\n kind http_title\n", TM_EPROTO,
	    "t.rules:1: rule needs a match or an oid");
	bad("rule x\n kind http_title\n match /a/\n oid 1.3\n", TM_EPROTO,
	    "t.rules:4: a rule has one match or one oid");
	bad("rule X\n", TM_EPROTO,
	    "t.rules:1: rule id 'X': lower-case letters, digits, '-', '_', '.' only");
	bad("vendor x\n name y\n", TM_EPROTO, "t.rules:1: unknown record 'vendor' (want 'rule')");
	snprintf(t, sizeof(t), "%s match /ab/\n example ab\n expect vendor=a\n\n"
			       "rule x\n kind http_title\n", h);
	{
		struct rules *rs;
		char eb[TM_ERRLEN];

		CHECK_INT(load(&rs, t, eb), TM_EPROTO);
		CHECK_STR(eb, "t.rules:8: duplicate rule id 'x' (first at t.rules:1)");
		CHECK_INT(rules_count(rs), 1); /* the good rule before stays */
		rules_free(rs);
	}
}

/* An example claimed by another vendor, an expect not met, a negative that matches. */
static void test_selftest_failures(void)
{
	static const char text[] =
		"rule one\n kind http_title\n match /^Router (\\w+)/\n vendor a\n model $1\n"
		" strength fair\n example \"Router X1\"\n expect model=X2\n not \"Router Y\"\n\n"
		"rule two\n kind http_title\n match /Router/\n vendor b\n strength strong\n"
		" example \"Router\"\n expect vendor=b\n";
	struct rules *rs;
	char eb[TM_ERRLEN];
	int checked;

	CHECK_INT(load(&rs, text, eb), 0);
	CHECK_INT(rules_selftest(rs, NULL, NULL, &checked), 3);
	/* model X1 != X2; rule two claims "Router X1" as strongly; the negative matches */
	CHECK_INT(checked, 3);
	rules_free(rs);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_hostile(void)
{
	/* nested and stacked quantifiers that backtrack a great deal on a long value */
	static const char text[] =
		"rule evil\n kind http_title\n match /(.*a){6}\\d/\n vendor a\n"
		" example \"aaaaaa1\"\n expect vendor=a\n\n"
		"rule evil2\n kind http_title\n match /(?:a?){12}a{12}\\d/\n vendor b\n"
		" example \"aaaaaaaaaaaa1\"\n expect vendor=b\n\n"
		"rule evil3\n kind http_title\n match /^(\\w+\\s?)*$/\n vendor c\n"
		" example \"ok then\"\n expect vendor=c\n";
	size_t n = 1u << 20;
	char *big = mem_alloc(n);
	struct rules *rs;
	struct cand c[4];
	struct obs o = {.kind = OBS_HTTP_TITLE};
	char eb[TM_ERRLEN];
	double t0;

	CHECK(big != NULL);
	if (!big)
		return;
	for (size_t i = 0; i < n; i++)
		big[i] = i % 18 == 17 ? 'b' : 'a';
	big[1000] = '!'; /* inside the RULES_SUBJECT_MAX bytes the patterns see */
	CHECK_INT(load(&rs, text, eb), 0);
	o.value = (const uint8_t *)big; /* past OBS_VALUE_MAX on purpose */
	o.len = n;
	t0 = now();
	CHECK_INT(rules_match(rs, &o, c, 4), 0);
	big[n - 1] = '1'; /* a digit past the window changes nothing */
	CHECK_INT(rules_match(rs, &o, c, 4), 0);
	t0 = now() - t0;
	printf("hostile 1 MiB value x2: %.3f s\n", t0);
	CHECK(t0 < 2.0);
	rules_free(rs);
	mem_free(big);
}

static void test_literal(void)
{
	static const struct {
		const char *re, *lit;
	} t[] = {
		{"Huawei Versatile Routing Platform Software.*?Version ([\\d.]+)",
		 "huawei versatile routing platform software"},
		{"^Cisco IOS Software, (\\S+)", "cisco ios software, "},
		{"Softwares?Platform", "software"},
		{"ab*cdef", "cdef"},
		{"abcd{2,3}ef", "abc"},
		{"abc{x}de", "abc{x}de"},
		{"abcd+ef", "abcd"},
		{"a\\.b\\(c\\)", "a.b(c)"},
		{"foo|barbaz", ""},
		{"(?i)dahua", "dahua"},
		{"(?x)d a h u a", ""},
		{"\\x41BCDEF", ""},
		{"[abc]+xyz[^]]qq", "xyz"},
		{"ab", ""},
		{"zte\\b.*ZXR10", "zxr10"},
		{"DS-\\d+", "ds-"},
	};
	char out[RULES_LIT_MAX + 1];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rules_literal(t[i].re, strlen(t[i].re), out);
		if (strcmp(out, t[i].lit))
			fprintf(stderr, "  literal of /%s/\n", t[i].re);
		CHECK_STR(out, t[i].lit);
	}
}

/* With a vendor registry: candidates carry its index; an unknown id is a load error. */
static void test_registry(void)
{
	static const char vendors[] = "vendor acme\n    name Acme Corp.\n\nvendor globex\n    name Globex\n";
	static const char good[] = "rule g\n kind http_title\n match /^Globex/\n vendor GLOBEX\n"
				   " example Globex\n expect vendor=globex\n";
	struct vreg *vr = vreg_new();
	struct rules *rs;
	struct cand c[2];
	char eb[TM_ERRLEN];

	CHECK(vr != NULL);
	if (!vr)
		return;
	CHECK_INT(vreg_parse(vr, "v.tm", vendors, strlen(vendors), VREG_VENDORS, eb, sizeof(eb)), 0);
	CHECK_INT(rules_new(&rs, vr), 0);
	CHECK_INT(rules_parse(rs, "g.rules", good, strlen(good), eb, sizeof(eb)), 0);
	CHECK_INT(match(rs, OBS_HTTP_TITLE, "Globex web", c, 2), 1);
	CHECK_INT(c[0].vendor, vreg_find(vr, "globex", 6));
	CHECK(c[0].vendor >= 0);
	CHECK_STR(c[0].vendor_raw, "GLOBEX"); /* as the rule spells it */
	CHECK_INT(rules_selftest(rs, report, NULL, NULL), 0);
	CHECK_INT(rules_parse(rs, "u.rules", "rule u\n vendor initech\n", 22, eb, sizeof(eb)),
		  TM_EPROTO);
	CHECK_STR(eb, "u.rules:2: unknown vendor 'initech' (not in the vendor registry)");
	CHECK_INT(rules_count(rs), 1);
	rules_free(rs);
	vreg_free(vr);
}

static void test_load_dir(void)
{
	struct rules *rs = (struct rules *)1;
	char eb[TM_ERRLEN];

	CHECK_INT(rules_load_dir(&rs, "/nonexistent-dir-h4", NULL, eb, sizeof(eb)), TM_ENOTFOUND);
	CHECK(rs == NULL);
	CHECK_STR(eb, "/nonexistent-dir-h4: cannot open rules directory");
}

/* Every allocation failing in turn: clean errors, no leaks (ASan), no crash. */
static void test_nomem(void)
{
	struct rules *rs;
	struct cand c[4];
	char eb[TM_ERRLEN];
	int rc = TM_ENOMEM, ok = 0;

	for (unsigned long k = 1; k < 400 && rc; k++) {
		mem_fail_at(k);
		rs = NULL;
		if (rules_new(&rs, NULL) == 0) {
			rc = rules_parse(rs, "t.rules", subst_rules, strlen(subst_rules), eb,
					 sizeof(eb));
			if (!rc) {
				mem_fail_at(1); /* the match data: no candidate, no error */
				CHECK_INT(match(rs, OBS_SNMP_SYSDESCR, "abcdefghij Model A", c, 4), 0);
				mem_fail_at(0);
				ok = match(rs, OBS_SNMP_SYSDESCR, "abcdefghij Model A", c, 4);
			} else if (rc != TM_ENOMEM)
				fprintf(stderr, "  at %lu: %s\n", k, eb);
			rules_free(rs);
		}
		mem_fail_at(0);
	}
	CHECK_INT(rc, 0);
	CHECK_INT(ok, 1);
}

/*
 * The single pass over a long subject's literals (rules_match.c) decides
 * exactly as a memmem per rule: every example of every rule in rules/,
 * alone, and at the start and in the middle of 20, 300 and 3,000 filler
 * bytes, for each kind it reads, with the pass and without (no_pass, as
 * TRUSTMAP_RULES_NOPASS sets it): the same candidates in the same order.
 */
static void test_pass(void)
{
	static char subj[8192];
	struct vreg *vr = NULL;
	struct rules *rs = NULL;
	char eb[TM_ERRLEN] = "";
	struct cand a[16], b[16];
	int cases = 0, differ = 0, matched = 0;

	CHECK_INT(vreg_load(&vr, "rules", eb, sizeof(eb)), 0);
	CHECK_INT(rules_load_dir(&rs, "rules", vr, eb, sizeof(eb)), 0);
	if (!rs) {
		vreg_free(vr);
		return;
	}
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->r[i];

		for (int e = 0; e < r->nex; e++) {
			for (int v = 0; v < 8; v++) {
				static const size_t fills[4] = {300, 3000, 0, 20};
				size_t fill = fills[v & 3], len = 0, ex = r->ex[e].len;
				struct obs o = {.kind = 0};

				if (ex > 4000)
					continue;
				for (size_t f = 0; f < fill; f++) /* filler: letters and bytes, some bigrams of literals */
					subj[f] = "xyz Qa-\r\n\x01\xf0 oSsH"[(f * 7 + i) % 16];
				if (v < 4) { /* the example first, then the filler */
					memmove(subj + ex, subj, fill);
					memcpy(subj, r->ex[e].val, ex);
				} else { /* in the middle */
					memmove(subj + fill / 2 + ex, subj + fill / 2, fill - fill / 2);
					memcpy(subj + fill / 2, r->ex[e].val, ex);
				}
				len = fill + ex;
				for (int k = 0; k < OBS_KIND_COUNT; k++) {
					int na, nb;

					if (!(r->kinds & ((uint64_t)1 << k)))
						continue;
					o.kind = (enum obs_kind)k;
					obs_set_value(&o, subj, len);
					na = rules_match(rs, &o, a, 16);
					rs->no_pass = true;
					nb = rules_match(rs, &o, b, 16);
					rs->no_pass = false;
					cases++;
					matched += na > 0;
					if (na != nb || memcmp(a, b, (size_t)na * sizeof(a[0])))
						differ++;
				}
			}
		}
	}
	CHECK(cases > 1000);
	CHECK(matched > 100);
	CHECK_INT(differ, 0);
	printf("rules pass: %d cases, %d with candidates, %d differ\n", cases, matched, differ);
	rules_free(rs);
	vreg_free(vr);
}

int main(void)
{
	test_literal();
	test_pass();
	test_subst();
	test_version_space();
	test_oid();
	test_flags();
	test_errors();
	test_selftest_failures();
	test_hostile();
	test_registry();
	test_load_dir();
	test_nomem();
	test_tree();
	return check_done("test_rules");
}
