/*
 * test_attr.c - attribution: candidates from every source and their fusion,
 * with the real knowledge base (rules/, Debian's ieee-data, manuf,
 * enterprises.tsv, nmap-service-probes).  Each case states the observations
 * and the exact vendor, flags and evidence that must come out.
 */
#include "check.h"
#include "attr/attr.h"
#include "attr/derive.h"
#include "core/err.h"
#include "core/str.h"
#include "kb/kb.h"
#include "kb/vendor.h"

static struct kb *kb;
static struct attr_scratch *sc;

struct in {
	enum obs_kind kind;
	const char *value;
	const char *probe;
};

/* Attributes the observations as one device. */
static void run(const struct in *in, struct attribution *a, struct cand *c, int *nc)
{
	struct obs o[16];
	int n = 0, k = 0;

	for (; in[k].kind; k++) {
		memset(&o[k], 0, sizeof(o[k]));
		o[k].kind = in[k].kind;
		o[k].value = (const uint8_t *)in[k].value;
		o[k].len = strlen(in[k].value);
		if (in[k].probe)
			str_set(o[k].probe, sizeof(o[k].probe), in[k].probe);
		n += attr_candidates(kb, sc, &o[k], k, c + n, 128 - n);
	}
	attr_fuse(kb->vr, c, n, a);
	*nc = n;
}

static const char *vid(int v)
{
	return v >= 0 ? vreg_get(kb->vr, v)->id : "-";
}

static void expect(const char *name, const struct in *in, const char *vendor, unsigned flags,
		   const char *component, const char *hint)
{
	struct attribution a;
	struct cand c[128];
	int n;

	run(in, &a, c, &n);
	if (strcmp(vid(a.vendor), vendor) || a.flags != flags)
		fprintf(stderr, "case %s: vendor %s flags %#x\n", name, vid(a.vendor), a.flags);
	CHECK_STR(vid(a.vendor), vendor);
	CHECK_INT(a.flags, flags);
	CHECK_STR(vid(a.component_vendor), component);
	CHECK_STR(vid(a.hint_vendor), hint);
	if (a.vendor >= 0)
		CHECK(a.conf > 0.5f && a.conf <= 1.0f);
	else
		CHECK(a.conf == 0.0f);
}

static void test_sources(void)
{
	/* one source at a time */
	expect("oui", (struct in[]){{OBS_MAC, "00:e0:fc:12:34:56"}, {0}}, "huawei", 0, "-", "-");
	expect("pen", (struct in[]){{OBS_SNMP_SYSOBJECTID, "1.3.6.1.4.1.2011.99.1"}, {0}}, "huawei", 0, "-", "-");
	expect("pen-zte", (struct in[]){{OBS_SNMP_SYSOBJECTID, ".1.3.6.1.4.1.3902.1"}, {0}}, "zte", 0, "-", "-");
	expect("engineid", (struct in[]){{OBS_SNMP_ENGINEID, "800007db03286ed490c17e"}, {0}}, "huawei", 0, "-", "-");
	expect("cpe", (struct in[]){{OBS_CPE, "cpe:/h:hikvision:ds-2cd2143g0-i"}, {0}}, "hikvision", 0, "-", "-");
	expect("sysdescr", (struct in[]){{OBS_SNMP_SYSDESCR, "Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE11, RELEASE SOFTWARE (fc3)"}, {0}},
	       "cisco", 0, "-", "-");
	/* nmap NULL probe on a banner that names its maker */
	expect("nmap-named", (struct in[]){{OBS_SSH_BANNER, "SSH-2.0-HUAWEI-VRP3.1"}, {0}}, "huawei", 0, "-", "-");
	/* raw HTTP response split into typed fields for our rules */
	expect("derived", (struct in[]){{OBS_SERVICE_RESPONSE, "HTTP/1.1 200 OK\r\nServer: App-webs/\r\nContent-Type: text/html\r\n\r\n", "GetRequest"}, {0}},
	       "hikvision", 0, "-", "-");
}

static void test_weak(void)
{
	/* nmap 7.93 calls a bare "SSH-2.0--" Huawei VRP: weak, so only a hint */
	expect("bare-ssh", (struct in[]){{OBS_SSH_BANNER, "SSH-2.0--"}, {0}}, "-", ATTR_WEAK_ONLY, "-", "huawei");
	/* a bare "Server: Webs" (nmap: Hikvision DVR) claims nothing */
	struct attribution a;
	struct cand c[128];
	int n;
	run((struct in[]){{OBS_HTTP_SERVER, "Webs"}, {0}}, &a, c, &n);
	CHECK_INT(a.vendor, -1);
	/* two weak pieces still make no claim */
	expect("two-weak", (struct in[]){{OBS_SSH_BANNER, "SSH-2.0--"}, {OBS_HOSTNAME, "huawei-lab"}, {0}},
	       "-", ATTR_WEAK_ONLY, "-", "huawei");
	/* a hostname that names a maker that is not restricted is medium */
	expect("hostname", (struct in[]){{OBS_HOSTNAME, "MikroTik"}, {0}}, "mikrotik", 0, "-", "-");
	/* group, zero and locally administered MACs say nothing about a maker */
	expect("multicast", (struct in[]){{OBS_MAC, "01:00:0c:cc:cc:cc"}, {0}}, "-", 0, "-", "-");
	expect("zero", (struct in[]){{OBS_MAC, "00:00:00:00:00:00"}, {0}}, "-", 0, "-", "-");
	expect("local", (struct in[]){{OBS_MAC, "02:42:ac:11:00:02"}, {0}}, "-", ATTR_RANDOM_MAC, "-", "-");
}

static void test_fusion(void)
{
	/* agreement across sources raises confidence above any one of them */
	struct attribution a;
	struct cand c[128];
	int n;

	run((struct in[]){{OBS_MAC, "00:e0:fc:12:34:56"}, {OBS_SNMP_SYSOBJECTID, "1.3.6.1.4.1.2011.2.23.96"}, {0}}, &a, c, &n);
	CHECK_STR(vid(a.vendor), "huawei");
	CHECK(a.conf > 0.95f);
	CHECK_INT(a.flags, 0);
	/* the same evidence twice counts once */
	struct attribution b;
	run((struct in[]){{OBS_MAC, "00:e0:fc:12:34:56"}, {OBS_MAC, "00:e0:fc:12:34:56"}, {0}}, &b, c, &n);
	CHECK_NEAR(b.conf, cand_strength_conf(EV_MEDIUM), 1e-6);
	/* OEM: a Huawei NIC behind another brand's device evidence */
	expect("oem", (struct in[]){{OBS_MAC, "00:e0:fc:12:34:56"}, {OBS_SNMP_SYSDESCR, "Juniper Networks, Inc. ex4300-48t Ethernet Switch, kernel JUNOS 21.4R3-S4.9"}, {0}},
	       "juniper", ATTR_CONFLICT | ATTR_OEM, "huawei", "-");
	/* a NIC maker is a component, never the device's maker */
	expect("nic-only", (struct in[]){{OBS_MAC, "ac:ed:5c:40:2f:81"}, {0}}, "-", 0, "intel", "-");
	/* a subsidiary agrees with its parent: HiSilicon-made part in a Huawei box is no conflict */
	run((struct in[]){{OBS_SNMP_SYSOBJECTID, "1.3.6.1.4.1.2011.2.23.96"}, {OBS_UPNP_MANUFACTURER, "Huawei Device Co., Ltd."}, {0}}, &a, c, &n);
	CHECK_STR(vid(a.family), "huawei");
	CHECK_INT(a.flags & ATTR_CONFLICT, 0);
	for (int i = 0; i < n; i++)
		CHECK(attr_agrees(kb->vr, &a, &c[i]));
}

static void test_declared(void)
{
	/* the inventory says Cisco, the box says Huawei: Huawei, and the mismatch is kept */
	expect("mismatch", (struct in[]){{OBS_INVENTORY_VENDOR, "Cisco"}, {OBS_SSH_BANNER, "SSH-2.0-HUAWEI-VRP3.1"}, {OBS_MAC, "00:e0:fc:00:00:01"}, {0}},
	       "huawei", ATTR_DECLARED_MISMATCH, "-", "-");
	/* nothing observed: the inventory's word, flagged as such */
	expect("declared-only", (struct in[]){{OBS_INVENTORY_VENDOR, "ZTE Corporation"}, {0}}, "zte", ATTR_DECLARED_ONLY, "-", "-");
	/* agreement raises confidence */
	struct attribution a, b;
	struct cand c[128];
	int n;
	run((struct in[]){{OBS_MAC, "00:e0:fc:00:00:01"}, {0}}, &a, c, &n);
	run((struct in[]){{OBS_MAC, "00:e0:fc:00:00:01"}, {OBS_INVENTORY_VENDOR, "Huawei"}, {0}}, &b, c, &n);
	CHECK(b.conf > a.conf);
	CHECK_INT(b.flags, 0);
	/* the declared role stands in when nothing observed gives one */
	run((struct in[]){{OBS_MAC, "00:e0:fc:00:00:01"}, {OBS_INVENTORY_ROLE, "ran-baseband"}, {0}}, &b, c, &n);
	CHECK_STR(b.role, "ran-baseband");
	/* an observed role, and the declared one wins: the inventory knows where the device sits */
	run((struct in[]){{OBS_SNMP_SYSDESCR, "Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE11, RELEASE SOFTWARE (fc3)"}, {0}}, &a, c, &n);
	CHECK(a.role[0] && strcmp(a.role, "core-router"));
	run((struct in[]){{OBS_SNMP_SYSDESCR, "Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE11, RELEASE SOFTWARE (fc3)"},
			  {OBS_INVENTORY_ROLE, "core-router"}, {0}}, &b, c, &n);
	CHECK_STR(b.role, "core-router");
	CHECK(b.vendor >= 0); /* the vendor is still the observed one */
}

static void test_derive(void)
{
	struct obs o = {0}, d[6];
	const char *r = "HTTP/1.0 401 Unauthorized\r\nServer: Boa/0.94\r\nWWW-Authenticate: Basic realm=\"DVR\"\r\n\r\n<html><title> Login </title>";
	int n;

	o.kind = OBS_SERVICE_RESPONSE;
	o.value = (const uint8_t *)r;
	o.len = strlen(r);
	n = attr_derive(&o, d, 6);
	CHECK_INT(n, 3);
	CHECK_INT(d[0].kind, OBS_HTTP_SERVER);
	CHECK(d[0].len == 8 && !memcmp(d[0].value, "Boa/0.94", 8));
	CHECK_INT(d[1].kind, OBS_HTTP_REALM);
	CHECK(d[1].len == 3 && !memcmp(d[1].value, "DVR", 3));
	CHECK_INT(d[2].kind, OBS_HTTP_TITLE);
	CHECK(d[2].len == 5 && !memcmp(d[2].value, "Login", 5));
	/* hostile: unterminated realm, header without a colon, no head end */
	r = "HTTP/1.1 200\r\nServer\r\nWWW-Authenticate: Basic realm=\"open";
	o.value = (const uint8_t *)r;
	o.len = strlen(r);
	CHECK_INT(attr_derive(&o, d, 6), 0);
	r = "SSH-2.0-OpenSSH_9.2\r\nextra";
	o.value = (const uint8_t *)r;
	o.len = strlen(r);
	CHECK_INT(attr_derive(&o, d, 6), 1);
	CHECK_INT(d[0].len, 19);
	CHECK_INT(attr_derive(&o, d, 0), 0);
}

/* The vendor a service response names by name alone (the "name:" rule), or "-". */
static const char *named(const uint8_t *v, size_t len)
{
	struct obs o = {0};
	struct cand c[16];
	int n;

	o.kind = OBS_SERVICE_RESPONSE;
	o.value = v;
	o.len = len;
	n = attr_candidates(kb, sc, &o, 0, c, 16);
	for (int i = 0; i < n; i++)
		if (!strcmp(c[i].rule, "name:service_response"))
			return vid(c[i].vendor);
	return "-";
}

/* A maker's name counts in text, not in binary that happens to hold it as a word. */
static void test_name_in_binary(void)
{
	static const char t[] = "220 HP JetDirect print server ready\r\n";
	static const char u[] = "\xe6\xac\xa2\xe8\xbf\x8e HP \xe8\xae\xbe\xe5\xa4\x87\r\n"; /* UTF-8 text */
	uint8_t b[4096];
	uint32_t x = 12345;

	CHECK_STR(named((const uint8_t *)t, strlen(t)), "hp");
	CHECK_STR(named((const uint8_t *)u, strlen(u)), "hp");
	/* the same text cut inside a UTF-8 sequence (a flow's first bytes end anywhere) */
	CHECK_STR(named((const uint8_t *)u, strlen(u) - 4), "hp");
	for (size_t i = 0; i < sizeof(b); i++) /* random bytes, "HP" as a word in the middle */
		b[i] = (uint8_t)((x = x * 1103515245u + 12345u) >> 16);
	memcpy(b + 2000, " HP ", 4);
	CHECK_STR(named(b, sizeof(b)), "-");
	/* text with a few control bytes (a telnet-ish greeting) is still text */
	memset(b, 'a', sizeof(b));
	memcpy(b, "\x1b[0m HP switch", 14);
	b[100] = 0, b[200] = 1, b[300] = 0xff;
	CHECK_STR(named(b, sizeof(b)), "hp");
}

int main(void)
{
	char eb[TM_ERRLEN];

	if (kb_load(&kb, NULL, eb, sizeof(eb))) {
		fprintf(stderr, "kb: %s\n", eb);
		CHECK(0);
		return check_done("test_attr");
	}
	sc = attr_scratch_new(kb);
	test_sources();
	test_weak();
	test_fusion();
	test_declared();
	test_derive();
	test_name_in_binary();
	attr_scratch_free(sc);
	kb_free(kb);
	return check_done("test_attr");
}
