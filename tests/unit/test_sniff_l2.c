/*
 * test_sniff_l2.c - the link-layer and DHCP decoders of trustmap sniff
 * (src/sniff/arp.c, lldp.c, cdp.c, dhcp4.c, dhcp6.c) on hand-built frames:
 * every observation field by field (kind, mac, addr, value), the links, and
 * each malformed case with its exact message.
 */
#include "check.h"
#include "core/err.h"
#include "core/mem.h"
#include "sniff/sniff.h"

#include <stdlib.h>

/* ---- what a decoder reported ---- */

#define MAXO 64

struct got {
	struct {
		enum obs_kind kind;
		char mac[18], addr[46], value[600];
		uint16_t port;
		uint8_t proto;
	} o[MAXO];
	int n;
	struct sn_link l[8];
	int nl;
	int fail_at; /* on_obs fails on this observation (1-based), 0 never */
};

static struct got g;

static int on_obs(void *arg, const struct obs *o)
{
	(void)arg;
	if (g.fail_at && g.n + 1 == g.fail_at)
		return TM_ENOMEM;
	if (g.n == MAXO)
		return 0;
	g.o[g.n].kind = o->kind;
	memcpy(g.o[g.n].mac, o->mac, sizeof(o->mac));
	memcpy(g.o[g.n].addr, o->addr, sizeof(o->addr));
	g.o[g.n].port = o->port;
	g.o[g.n].proto = o->proto;
	size_t k = o->len < sizeof(g.o[0].value) - 1 ? o->len : sizeof(g.o[0].value) - 1;
	memcpy(g.o[g.n].value, o->value, k);
	g.o[g.n].value[k] = 0;
	g.n++;
	return 0;
}

static int on_link(void *arg, const struct sn_link *l)
{
	(void)arg;
	if (g.nl < 8)
		g.l[g.nl++] = *l;
	return 0;
}

static struct sn_pkt pk;

static void reset(void)
{
	static const uint8_t src[6] = {0x00, 0x1b, 0x54, 0xaa, 0xbb, 0xcc};

	memset(&g, 0, sizeof(g));
	memset(&pk, 0, sizeof(pk));
	pk.file = "test.pcap";
	pk.no = 7;
	pk.time = 1700000000;
	pk.scope = "";
	memcpy(pk.src_mac, src, 6);
	pk.dst_mac[0] = 0x01;
	pk.has_mac = 1;
	pk.on_obs = on_obs;
	pk.on_link = on_link;
}

typedef int (*decoder)(struct sn_pkt *, const uint8_t *, size_t);

/* Runs a decoder on an exact-size heap copy, so ASan sees any read past the end. */
static int run(decoder fn, const uint8_t *p, size_t n)
{
	uint8_t *c = mem_alloc(n ? n : 1);
	int rc;

	memcpy(c, p, n);
	g.n = g.nl = 0;
	pk.err[0] = 0;
	rc = fn(&pk, c, n);
	mem_free(c);
	return rc;
}

#define OBS(i, k, m, a, v)                                                                         \
	do {                                                                                       \
		CHECK((i) < g.n);                                                                  \
		if ((i) < g.n) {                                                                   \
			CHECK_STR(obs_kind_name(g.o[i].kind), obs_kind_name(k));                   \
			CHECK_STR(g.o[i].mac, m);                                                  \
			CHECK_STR(g.o[i].addr, a);                                                 \
			CHECK_STR(g.o[i].value, v);                                                \
			CHECK_INT(g.o[i].port, 0);                                                 \
			CHECK_INT(g.o[i].proto, 0);                                                \
		}                                                                                  \
	} while (0)

#define LINK(i, ak, ap, bk, bp, src)                                                               \
	do {                                                                                       \
		CHECK((i) < g.nl);                                                                 \
		if ((i) < g.nl) {                                                                  \
			CHECK_STR(g.l[i].a_key, ak);                                               \
			CHECK_STR(g.l[i].a_port, ap);                                              \
			CHECK_STR(g.l[i].b_key, bk);                                               \
			CHECK_STR(g.l[i].b_port, bp);                                              \
			CHECK_STR(g.l[i].source, src);                                             \
		}                                                                                  \
	} while (0)

/* ---- a byte builder for the longer frames ---- */

struct bb {
	uint8_t b[8192];
	size_t n;
};

static void put8(struct bb *b, unsigned v)
{
	b->b[b->n++] = (uint8_t)v;
}
static void put16(struct bb *b, unsigned v)
{
	put8(b, v >> 8), put8(b, v & 0xff);
}
static void put32(struct bb *b, uint32_t v)
{
	put16(b, v >> 16), put16(b, v & 0xffff);
}
static void putn(struct bb *b, const void *p, size_t n)
{
	memcpy(b->b + b->n, p, n), b->n += n;
}
static void puts_(struct bb *b, const char *s)
{
	putn(b, s, strlen(s));
}

/* LLDP TLV header: 7-bit type, 9-bit length */
static void ltlv(struct bb *b, unsigned type, const void *v, size_t n)
{
	put16(b, type << 9 | (unsigned)n);
	putn(b, v, n);
}

static void ltlv_s(struct bb *b, unsigned type, unsigned sub, const char *s)
{
	put16(b, type << 9 | (unsigned)(strlen(s) + 1));
	put8(b, sub);
	puts_(b, s);
}

static void lorg(struct bb *b, unsigned o1, unsigned o2, unsigned o3, unsigned sub, const char *s)
{
	put16(b, 127u << 9 | (unsigned)(4 + strlen(s)));
	put8(b, o1), put8(b, o2), put8(b, o3), put8(b, sub);
	puts_(b, s);
}

/* chassis MAC 00:e0:fc:11:22:33, port "GigabitEthernet0/0/1", TTL 120 */
static void lldp_head(struct bb *b)
{
	static const uint8_t ch[7] = {4, 0x00, 0xe0, 0xfc, 0x11, 0x22, 0x33};
	static const uint8_t ttl[2] = {0, 120};

	ltlv(b, 1, ch, 7);
	ltlv_s(b, 2, 5, "GigabitEthernet0/0/1");
	ltlv(b, 3, ttl, 2);
}

/* ================= ARP ================= */

static const uint8_t arp_req[28] = {
    0x00, 0x01, 0x08, 0x00, 6,	  4,	0x00, 0x01,	   /* Ethernet, IPv4, request */
    0xbc, 0xad, 0x28, 0x01, 0x02, 0x03, 192,  168,  1, 64, /* sender */
    0,	  0,	0,    0,    0,	  0,	192,  168,  1, 1,  /* target */
};

static void test_arp(void)
{
	uint8_t f[28];

	reset();
	CHECK_INT(run(sn_arp, arp_req, sizeof(arp_req)), 0);
	CHECK_INT(g.n, 1);
	OBS(0, OBS_MAC, "bc:ad:28:01:02:03", "192.168.1.64", "bc:ad:28:01:02:03");
	CHECK_INT(g.nl, 0);

	/* gratuitous reply: sender = target address */
	memcpy(f, arp_req, 28);
	f[7] = 2;
	memcpy(f + 24, f + 14, 4);
	CHECK_INT(run(sn_arp, f, 28), 0);
	CHECK_INT(g.n, 1);
	OBS(0, OBS_MAC, "bc:ad:28:01:02:03", "192.168.1.64", "bc:ad:28:01:02:03");

	/* an address probe (RFC 5227) binds nothing */
	memcpy(f, arp_req, 28);
	memset(f + 14, 0, 4);
	CHECK_INT(run(sn_arp, f, 28), 0);
	CHECK_INT(g.n, 0);
	/* broadcast, zero and group sender MACs bind nothing */
	memcpy(f, arp_req, 28);
	memset(f + 8, 0xff, 6);
	CHECK_INT(run(sn_arp, f, 28), 0);
	CHECK_INT(g.n, 0);
	memset(f + 8, 0, 6);
	CHECK_INT(run(sn_arp, f, 28), 0);
	CHECK_INT(g.n, 0);
	f[8] = 0x01;
	CHECK_INT(run(sn_arp, f, 28), 0);
	CHECK_INT(g.n, 0);
	/* other hardware and protocol types: not ours, not malformed */
	memcpy(f, arp_req, 28);
	f[1] = 6;
	CHECK_INT(run(sn_arp, f, 28), 0);
	CHECK_INT(g.n, 0);
	memcpy(f, arp_req, 28);
	f[2] = 0x86, f[3] = 0xdd;
	CHECK_INT(run(sn_arp, f, 28), 0);
	CHECK_INT(g.n, 0);
	/* Ethernet/IPv4 with wrong address lengths */
	memcpy(f, arp_req, 28);
	f[4] = 8;
	CHECK_INT(run(sn_arp, f, 28), TM_EPROTO);
	CHECK_STR(pk.err, "ARP Ethernet/IPv4 with address lengths 8/4, not 6/4");
	CHECK_INT(g.n, 0);
	/* cut frames */
	CHECK_INT(run(sn_arp, arp_req, 20), TM_EPROTO);
	CHECK_STR(pk.err, "ARP message cut at 20 bytes, 28 needed");
	CHECK_INT(g.n, 0);
	CHECK_INT(run(sn_arp, arp_req, 5), TM_EPROTO);
	CHECK_STR(pk.err, "ARP header cut at 5 bytes, 8 needed");
	CHECK_INT(run(sn_arp, arp_req, 0), TM_EPROTO);
	/* what on_obs says comes back */
	g.fail_at = 1;
	CHECK_INT(run(sn_arp, arp_req, 28), TM_ENOMEM);
}

/* ================= LLDP ================= */

#define HUAWEI_DESC                                                                                \
	"Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 "           \
	"(S5720 V200R019C10SPC500)\r\nCopyright (C) 2000-2020 HUAWEI TECH Co., Ltd\r\n"            \
	"HUAWEI S5720-28X-SI-AC"

static void lldp_full(struct bb *b)
{
	static const uint8_t caps[4] = {0x00, 0x14, 0x00, 0x04};
	static const uint8_t m4[] = {5, 1, 192, 0, 2, 1, 2, 0, 0, 0, 6, 0};
	static const uint8_t m6[] = {17, 2, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0,
				     0,	 0, 0,	  0,	0,    1,    2, 0, 0, 0, 6, 0};
	static const uint8_t pvid[6] = {0x00, 0x80, 0xc2, 1, 0, 10};

	b->n = 0;
	lldp_head(b);
	ltlv(b, 4, "uplink to core", 14);
	ltlv(b, 5, "core-sw1", 8);
	ltlv(b, 6, HUAWEI_DESC, strlen(HUAWEI_DESC));
	ltlv(b, 7, caps, 4);
	ltlv(b, 8, m4, sizeof(m4));
	ltlv(b, 8, m6, sizeof(m6));
	ltlv(b, 127, pvid, 6);
	lorg(b, 0x00, 0x12, 0x0f, 1, "\x03\x6c\x00\x00\x10");
	ltlv(b, 127, pvid, 6); /* once per OUI/subtype */
	lorg(b, 0x00, 0x12, 0xbb, 9, "Huawei Technologies Co., Ltd.");
	lorg(b, 0x00, 0x12, 0xbb, 10, "S5720-28X-SI-AC");
	lorg(b, 0x00, 0x12, 0xbb, 5, "VER.B");
	lorg(b, 0x00, 0xe0, 0xfc, 1, "");
	put16(b, 0); /* End */
	for (int i = 0; i < 20; i++)
		put8(b, 0); /* frame padding after End */
}

static void check_lldp_full(const char *m, const char *a)
{
	OBS(0, OBS_LLDP_CHASSIS, m, a, "00:e0:fc:11:22:33");
	OBS(1, OBS_LLDP_SYSNAME, m, a, "core-sw1");
	OBS(2, OBS_LLDP_SYSDESC, m, a, HUAWEI_DESC);
	OBS(3, OBS_LLDP_ORG, m, a, "00:80:c2/1");
	OBS(4, OBS_LLDP_ORG, m, a, "00:12:0f/1");
	OBS(5, OBS_LLDP_ORG, m, a, "00:12:bb/9=Huawei Technologies Co., Ltd.");
	OBS(6, OBS_LLDP_ORG, m, a, "00:12:bb/10=S5720-28X-SI-AC");
	OBS(7, OBS_LLDP_ORG, m, a, "00:12:bb/5");
	OBS(8, OBS_LLDP_ORG, m, a, "00:e0:fc/1");
	OBS(9, OBS_MAC, m, "192.0.2.1", m);
	CHECK_INT(g.nl, 1);
}

static void test_lldp_full(void)
{
	static struct bb b;

	reset();
	pk.vlan = 10;
	lldp_full(&b);
	CHECK_INT(run(sn_lldp, b.b, b.n), 0);
	CHECK_STR(pk.err, "");
	CHECK_INT(g.n, 11);
	check_lldp_full("00:e0:fc:11:22:33", "192.0.2.1");
	OBS(10, OBS_MAC, "00:e0:fc:11:22:33", "2001:db8::1", "00:e0:fc:11:22:33");
	LINK(0, "mac:00:e0:fc:11:22:33", "GigabitEthernet0/0/1", "capture:test.pcap", "vlan 10",
	     "lldp");

	/* no VLAN: b_port "" */
	pk.vlan = 0;
	CHECK_INT(run(sn_lldp, b.b, b.n), 0);
	LINK(0, "mac:00:e0:fc:11:22:33", "GigabitEthernet0/0/1", "capture:test.pcap", "", "lldp");

	/* every cut of the frame: bounded, malformed or fine, never more than the whole */
	for (size_t k = 0; k < b.n; k++) {
		int rc = run(sn_lldp, b.b, k);

		CHECK(rc == 0 || rc == TM_EPROTO);
		CHECK(g.n <= 11 && g.nl <= 1);
	}
	/* emission failures come back at each point */
	for (int i = 1; i <= 11; i++) {
		g.fail_at = i;
		CHECK_INT(run(sn_lldp, b.b, b.n), TM_ENOMEM);
		CHECK_INT(g.n, i - 1);
	}
	g.fail_at = 0;
}

static void test_lldp_ids(void)
{
	static struct bb b;
	static const uint8_t ttl[2] = {0, 120};
	static const uint8_t pmac[7] = {3, 0x00, 0xe0, 0xfc, 0x11, 0x22, 0x34};

	/* chassis by local name (subtype 7): text, the frame's MAC; port id a MAC -> description */
	reset();
	b.n = 0;
	ltlv_s(&b, 1, 7, "sw-42");
	ltlv(&b, 2, pmac, 7);
	ltlv(&b, 3, ttl, 2);
	ltlv(&b, 4, "Gi0/1 to floor 2", 16);
	ltlv(&b, 5, "sw-42.example", 13);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), 0);
	CHECK_INT(g.n, 2);
	OBS(0, OBS_LLDP_CHASSIS, "00:1b:54:aa:bb:cc", "", "sw-42");
	OBS(1, OBS_LLDP_SYSNAME, "00:1b:54:aa:bb:cc", "", "sw-42.example");
	LINK(0, "mac:00:1b:54:aa:bb:cc", "Gi0/1 to floor 2", "capture:test.pcap", "", "lldp");

	/* port id a MAC, no description: the MAC as text; chassis network address: not kept */
	b.n = 0;
	ltlv(&b, 1, "\x05\x01\xc0\x00\x02\x07", 6);
	ltlv(&b, 2, pmac, 7);
	ltlv(&b, 3, ttl, 2);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), 0);
	CHECK_INT(g.n, 0);
	LINK(0, "mac:00:1b:54:aa:bb:cc", "00:e0:fc:11:22:34", "capture:test.pcap", "", "lldp");

	/* chassis MAC that is a group address: reported, but the frame's MAC names the device */
	b.n = 0;
	ltlv(&b, 1, "\x04\x01\x80\xc2\x00\x00\x0e", 7);
	ltlv_s(&b, 2, 5, "eth0");
	ltlv(&b, 3, ttl, 2);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), 0);
	CHECK_INT(g.n, 1);
	OBS(0, OBS_LLDP_CHASSIS, "00:1b:54:aa:bb:cc", "", "01:80:c2:00:00:0e");
	LINK(0, "mac:00:1b:54:aa:bb:cc", "eth0", "capture:test.pcap", "", "lldp");

	/* no End TLV at all: accepted; trailing NULs of a name are not kept */
	b.n = 0;
	lldp_head(&b);
	ltlv(&b, 5, "ap-3\0", 5);
	CHECK_INT(run(sn_lldp, b.b, b.n), 0);
	CHECK_INT(g.n, 2);
	OBS(1, OBS_LLDP_SYSNAME, "00:e0:fc:11:22:33", "", "ap-3");

	/* a zero-length system name is allowed and says nothing */
	b.n = 0;
	lldp_head(&b);
	ltlv(&b, 5, "", 0);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), 0);
	CHECK_INT(g.n, 1);
}

static void test_lldp_bad(void)
{
	static struct bb b;
	static const uint8_t ttl[2] = {0, 120};

	reset();
	/* a TLV claiming more than is left: what came before is kept */
	b.n = 0;
	lldp_head(&b);
	ltlv(&b, 5, "core-sw1", 8);
	put16(&b, 6u << 9 | 300);
	puts_(&b, "Huawei Versa");
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP TLV type 6 claims 300 bytes, 12 left");
	CHECK_INT(g.n, 2);
	OBS(0, OBS_LLDP_CHASSIS, "00:e0:fc:11:22:33", "", "00:e0:fc:11:22:33");
	OBS(1, OBS_LLDP_SYSNAME, "00:e0:fc:11:22:33", "", "core-sw1");
	CHECK_INT(g.nl, 1);

	/* zero-length chassis id */
	b.n = 0;
	ltlv(&b, 1, "", 0);
	ltlv_s(&b, 2, 5, "eth0");
	ltlv(&b, 3, ttl, 2);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP TLV type 1 has length 0, at least 2 needed");
	CHECK_INT(g.n, 0);
	LINK(0, "mac:00:1b:54:aa:bb:cc", "eth0", "capture:test.pcap", "", "lldp");

	/* a too-short capabilities TLV; the walk goes on after it */
	b.n = 0;
	lldp_head(&b);
	ltlv(&b, 7, "\x00\x14", 2);
	ltlv(&b, 5, "sw2", 3);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP TLV type 7 has 2 bytes, at least 4 needed");
	CHECK_INT(g.n, 2);
	OBS(1, OBS_LLDP_SYSNAME, "00:e0:fc:11:22:33", "", "sw2");

	/* repeated mandatory TLV: the first counts */
	b.n = 0;
	lldp_head(&b);
	ltlv(&b, 1, "\x04\x00\x11\x22\x33\x44\x55", 7);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP TLV type 1 repeated");
	CHECK_INT(g.n, 1);
	OBS(0, OBS_LLDP_CHASSIS, "00:e0:fc:11:22:33", "", "00:e0:fc:11:22:33");
	b.n = 0;
	lldp_head(&b);
	ltlv(&b, 3, ttl, 2);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP TLV type 3 repeated");

	/* End TLV with a length */
	b.n = 0;
	lldp_head(&b);
	ltlv(&b, 0, "\0\0", 2);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP End TLV has length 2, not 0");
	CHECK_INT(g.n, 1);

	/* a cut TLV header */
	b.n = 0;
	lldp_head(&b);
	put8(&b, 0x0a);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP TLV header cut: 1 byte left");
	CHECK_INT(g.n, 1);

	/* a TLV loop: thousands of empty reserved TLVs, bounded */
	b.n = 0;
	lldp_head(&b);
	for (int i = 0; i < 2000; i++)
		put16(&b, 9u << 9);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP: more than 512 TLVs");
	CHECK_INT(g.n, 1);

	/* chassis MAC of the wrong size */
	b.n = 0;
	ltlv(&b, 1, "\x04\x00\xe0\xfc\x11\x22", 6);
	ltlv_s(&b, 2, 5, "eth0");
	ltlv(&b, 3, ttl, 2);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP chassis id subtype 4 has 5 bytes, 6 needed");
	CHECK_INT(g.n, 0);

	/* management address lengths that lie */
	b.n = 0;
	lldp_head(&b);
	ltlv(&b, 8, "\x28\x01\xc0\x00\x02\x01\x02\x00\x00\x00\x06\x00", 12);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP management address length 40, not 2..32");
	b.n = 0;
	lldp_head(&b);
	ltlv(&b, 8, "\x11\x02\x20\x01\x0d\xb8\x00\x00\x00\x00\x00", 11);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP management address claims 17 bytes, 10 left");
	b.n = 0;
	lldp_head(&b);
	ltlv(&b, 8, "\x05\x01\xc0\x00\x02\x01\x02\x00\x00\x00\x06\x09\x2b", 13);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP management address OID claims 9 bytes, 1 left");
	/* the address itself was whole: kept */
	CHECK_INT(g.n, 2);
	OBS(0, OBS_LLDP_CHASSIS, "00:e0:fc:11:22:33", "192.0.2.1", "00:e0:fc:11:22:33");
	OBS(1, OBS_MAC, "00:e0:fc:11:22:33", "192.0.2.1", "00:e0:fc:11:22:33");

	/* no chassis at all, and an empty LLDPDU */
	b.n = 0;
	ltlv(&b, 5, "x", 1);
	put16(&b, 0);
	CHECK_INT(run(sn_lldp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP: no chassis id TLV");
	CHECK_INT(g.n, 1);
	OBS(0, OBS_LLDP_SYSNAME, "00:1b:54:aa:bb:cc", "", "x");
	CHECK_INT(run(sn_lldp, b.b, 0), TM_EPROTO);
	CHECK_STR(pk.err, "LLDP: no chassis id TLV");
	CHECK_INT(g.n, 0);
	CHECK_INT(g.nl, 0);
}

/* ================= CDP ================= */

#define CISCO_VER                                                                                  \
	"Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, "          \
	"RELEASE SOFTWARE (fc2)\nTechnical Support: http://www.cisco.com/techsupport"

static void ctlv(struct bb *b, unsigned type, const void *v, size_t n)
{
	put16(b, type);
	put16(b, (unsigned)n + 4);
	putn(b, v, n);
}

static void cdp_addrs(struct bb *b, unsigned type)
{
	static const uint8_t snap6[8] = {0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd};
	static const uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

	put16(b, type);
	put16(b, 4 + 4 + 9 + 14 + 28);
	put32(b, 3);
	put8(b, 1), put8(b, 1), put8(b, 0xcc), put16(b, 4);
	put8(b, 10), put8(b, 0), put8(b, 0), put8(b, 1);
	/* an address of another protocol (NLPID 0x81 CLNP), skipped */
	put8(b, 1), put8(b, 1), put8(b, 0x81), put16(b, 9);
	putn(b, "\x49\x00\x01\x00\x00\x0c\x00\x00\x01", 9);
	put8(b, 2), put8(b, 8), putn(b, snap6, 8), put16(b, 16), putn(b, a6, 16);
}

static void cdp_full(struct bb *b)
{
	b->n = 0;
	put8(b, 2), put8(b, 180), put16(b, 0xdead); /* a wrong checksum: not checked */
	ctlv(b, 0x0001, "sw-access-3.example.com", 23);
	cdp_addrs(b, 0x0002);
	ctlv(b, 0x0003, "GigabitEthernet1/0/24", 21);
	ctlv(b, 0x0004, "\x00\x00\x00\x28", 4);
	ctlv(b, 0x0005, CISCO_VER, strlen(CISCO_VER));
	ctlv(b, 0x0006, "cisco WS-C2960X-48FPD-L", 23);
	ctlv(b, 0x000a, "\x00\x0a", 2);
	cdp_addrs(b, 0x0016);	     /* the same addresses again: bound once */
	ctlv(b, 0x0006, "other", 5); /* the first one counts */
}

static void test_cdp(void)
{
	static struct bb b;
	const char *m = "00:1b:54:aa:bb:cc";

	reset();
	pk.vlan = 20;
	cdp_full(&b);
	CHECK_INT(run(sn_cdp, b.b, b.n), 0);
	CHECK_STR(pk.err, "");
	CHECK_INT(g.n, 5);
	OBS(0, OBS_CDP_DEVICE_ID, m, "10.0.0.1", "sw-access-3.example.com");
	OBS(1, OBS_CDP_PLATFORM, m, "10.0.0.1", "cisco WS-C2960X-48FPD-L");
	OBS(2, OBS_CDP_VERSION, m, "10.0.0.1", CISCO_VER);
	OBS(3, OBS_MAC, m, "10.0.0.1", m);
	OBS(4, OBS_MAC, m, "2001:db8::2", m);
	CHECK_INT(g.nl, 1);
	LINK(0, "mac:00:1b:54:aa:bb:cc", "GigabitEthernet1/0/24", "capture:test.pcap", "vlan 20",
	     "cdp");
	for (size_t k = 0; k < b.n; k++) {
		int rc = run(sn_cdp, b.b, k);

		CHECK(rc == 0 || rc == TM_EPROTO);
		CHECK(g.n <= 5 && g.nl <= 1);
	}
	for (int i = 1; i <= 5; i++) {
		g.fail_at = i;
		CHECK_INT(run(sn_cdp, b.b, b.n), TM_ENOMEM);
		CHECK_INT(g.n, i - 1);
	}
	g.fail_at = 0;

	/* version 1, no addresses: addr "" */
	pk.vlan = 0;
	b.n = 0;
	put8(&b, 1), put8(&b, 180), put16(&b, 0);
	ctlv(&b, 0x0001, "SEP001122334455", 15);
	ctlv(&b, 0x0006, "Cisco IP Phone 8845", 19);
	ctlv(&b, 0x0003, "Port 1", 6);
	CHECK_INT(run(sn_cdp, b.b, b.n), 0);
	CHECK_INT(g.n, 2);
	OBS(0, OBS_CDP_DEVICE_ID, m, "", "SEP001122334455");
	OBS(1, OBS_CDP_PLATFORM, m, "", "Cisco IP Phone 8845");
	LINK(0, "mac:00:1b:54:aa:bb:cc", "Port 1", "capture:test.pcap", "", "cdp");
}

static void test_cdp_bad(void)
{
	static struct bb b;
	const char *m = "00:1b:54:aa:bb:cc";

	reset();
	b.n = 0;
	put8(&b, 2), put8(&b, 180), put16(&b, 0);
	ctlv(&b, 0x0001, "r1", 2);
	put16(&b, 0x0006), put16(&b, 2);
	CHECK_INT(run(sn_cdp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "CDP TLV type 0x0006 has length 2, less than its 4-byte header");
	CHECK_INT(g.n, 1);
	OBS(0, OBS_CDP_DEVICE_ID, m, "", "r1");
	CHECK_INT(g.nl, 1);

	b.n = 0;
	put8(&b, 2), put8(&b, 180), put16(&b, 0);
	ctlv(&b, 0x0001, "r1", 2);
	put16(&b, 0x0006), put16(&b, 300);
	puts_(&b, "cisco 2901");
	CHECK_INT(run(sn_cdp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "CDP TLV type 0x0006 claims 296 bytes, 10 left");
	CHECK_INT(g.n, 1);

	/* an address count the TLV cannot hold: the address that fit is kept */
	b.n = 0;
	put8(&b, 2), put8(&b, 180), put16(&b, 0);
	ctlv(&b, 0x0001, "r1", 2);
	put16(&b, 0x0002), put16(&b, 4 + 4 + 9);
	put32(&b, 5);
	put8(&b, 1), put8(&b, 1), put8(&b, 0xcc), put16(&b, 4), put32(&b, 0x0a000001);
	CHECK_INT(run(sn_cdp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "CDP address count 5, the TLV holds 1");
	CHECK_INT(g.n, 2);
	OBS(0, OBS_CDP_DEVICE_ID, m, "10.0.0.1", "r1");
	OBS(1, OBS_MAC, m, "10.0.0.1", m);

	/* an address length past its TLV */
	b.n = 0;
	put8(&b, 2), put8(&b, 180), put16(&b, 0);
	put16(&b, 0x0002), put16(&b, 4 + 4 + 9);
	put32(&b, 1);
	put8(&b, 1), put8(&b, 1), put8(&b, 0xcc), put16(&b, 40), put32(&b, 0x0a000001);
	ctlv(&b, 0x0001, "r1", 2);
	CHECK_INT(run(sn_cdp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "CDP address 1 cut by the end of its TLV");
	CHECK_INT(g.n, 1);
	OBS(0, OBS_CDP_DEVICE_ID, m, "", "r1");

	/* header and version */
	CHECK_INT(run(sn_cdp, (const uint8_t *)"\x02\xb4", 2), TM_EPROTO);
	CHECK_STR(pk.err, "CDP header cut at 2 bytes, 4 needed");
	CHECK_INT(run(sn_cdp, (const uint8_t *)"\x03\xb4\x00\x00", 4), TM_EPROTO);
	CHECK_STR(pk.err, "CDP version 3, not 1 or 2");
	CHECK_INT(g.n, 0);
	/* a cut TLV header */
	CHECK_INT(run(sn_cdp, (const uint8_t *)"\x02\xb4\x00\x00\x00\x01", 6), TM_EPROTO);
	CHECK_STR(pk.err, "CDP TLV header cut: 2 bytes left");
	/* a TLV loop: thousands of empty TLVs, bounded */
	b.n = 0;
	put8(&b, 2), put8(&b, 180), put16(&b, 0);
	for (int i = 0; i < 1000; i++)
		put16(&b, 0x00ff), put16(&b, 4);
	CHECK_INT(run(sn_cdp, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "CDP: more than 512 TLVs");
	CHECK_INT(g.n, 0);
	CHECK_INT(g.nl, 0);
}

/* ================= DHCPv4 ================= */

static const uint8_t ztemac[6] = {0x00, 0x19, 0xc6, 0x12, 0x34, 0x56};

/* BOOTP header, then the cookie; options follow */
static void bootp(struct bb *b, unsigned op, const uint8_t ci[4], const uint8_t yi[4])
{
	static const uint8_t z[4];

	b->n = 0;
	memset(b->b, 0, sizeof(b->b));
	put8(b, op), put8(b, 1), put8(b, 6), put8(b, 0);
	put32(b, 0x3903f326);
	put16(b, 0), put16(b, 0x8000);
	putn(b, ci ? ci : z, 4);
	putn(b, yi ? yi : z, 4);
	putn(b, z, 4), putn(b, z, 4);
	putn(b, ztemac, 6);
	b->n += 10 + 64 + 128;
	put8(b, 99), put8(b, 130), put8(b, 83), put8(b, 99);
}

static void opt(struct bb *b, unsigned code, const void *v, size_t n)
{
	put8(b, code), put8(b, (unsigned)n), putn(b, v, n);
}

static void test_dhcp4_client(void)
{
	static struct bb b;
	const char *m = "00:19:c6:12:34:56";
	static const uint8_t vi124[] = {0,   0,	  0x0f, 0x3e, 4,    'O',  'N',
					'T', '1', 0,	0,    0x07, 0xdb, 0};
	static const uint8_t vi125[] = {0, 0, 0x0f, 0x3e, 3, 1, 1, 'x'};
	static const uint8_t cid[7] = {1, 0x00, 0x19, 0xc6, 0x12, 0x34, 0x56};

	reset();
	/* DISCOVER: about the client, no address yet */
	bootp(&b, 1, NULL, NULL);
	opt(&b, 53, "\x01", 1);
	opt(&b, 61, cid, 7);
	opt(&b, 12, "ZXHN-F670L", 10);
	opt(&b, 55, "\x01\x03\x06\x0f\x2b\x3c\x42", 7);
	put8(&b, 0), put8(&b, 0); /* pad */
	opt(&b, 60, "ZTE-F670L", 9);
	opt(&b, 77, "\x04ipv6\x03ont", 9);
	opt(&b, 124, vi124, sizeof(vi124));
	opt(&b, 125, vi125, sizeof(vi125));
	opt(&b, 12, "second", 6); /* the first instance counts */
	put8(&b, 255);
	put8(&b, 12); /* after End: never read */
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0);
	CHECK_STR(pk.err, "");
	CHECK_INT(g.n, 7);
	OBS(0, OBS_MAC, m, "", m);
	OBS(1, OBS_DHCP_HOSTNAME, m, "", "ZXHN-F670L");
	OBS(2, OBS_DHCP_PRL, m, "", "1,3,6,15,43,60,66");
	OBS(3, OBS_DHCP_VENDOR_CLASS, m, "", "ZTE-F670L");
	OBS(4, OBS_DHCP_USER_CLASS, m, "", "ipv6,ont");
	OBS(5, OBS_DHCP_ENTERPRISE, m, "", "3902");
	OBS(6, OBS_DHCP_ENTERPRISE, m, "", "2011");
	CHECK_INT(g.nl, 0);
	for (size_t k = 0; k < b.n; k++) {
		int rc = run(sn_dhcp4, b.b, k);

		CHECK(rc == 0 || rc == TM_EPROTO);
		CHECK(g.n <= 7);
	}

	/* REQUEST with a requested address: the binding; raw user class text */
	bootp(&b, 1, NULL, NULL);
	opt(&b, 53, "\x03", 1);
	opt(&b, 50, "\xc0\xa8\x01\x32", 4);
	opt(&b, 77, "MSFT", 4);
	put8(&b, 255);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0);
	CHECK_INT(g.n, 2);
	OBS(0, OBS_MAC, m, "192.168.1.50", m);
	OBS(1, OBS_DHCP_USER_CLASS, m, "192.168.1.50", "MSFT");

	/* RENEW: ciaddr */
	bootp(&b, 1, (const uint8_t *)"\xc0\xa8\x01\x33", NULL);
	opt(&b, 53, "\x03", 1);
	put8(&b, 255);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0);
	CHECK_INT(g.n, 1);
	OBS(0, OBS_MAC, m, "192.168.1.51", m);

	/* DECLINE names an address someone else holds: no binding to it */
	bootp(&b, 1, NULL, NULL);
	opt(&b, 53, "\x04", 1);
	opt(&b, 50, "\xc0\xa8\x01\x32", 4);
	put8(&b, 255);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0);
	CHECK_INT(g.n, 1);
	OBS(0, OBS_MAC, m, "", m);

	/* a non-Ethernet chaddr: the client identifier's MAC */
	bootp(&b, 1, NULL, NULL);
	b.b[1] = 6, b.b[2] = 16;
	opt(&b, 61, "\x01\x00\x19\xc6\xab\xcd\xef", 7);
	opt(&b, 12, "cpe", 3);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0); /* no End: fine */
	CHECK_INT(g.n, 2);
	OBS(1, OBS_DHCP_HOSTNAME, "00:19:c6:ab:cd:ef", "", "cpe");

	/* relayed with a zero chaddr and no client id: nobody to name */
	bootp(&b, 1, NULL, NULL);
	memset(b.b + 28, 0, 6);
	b.b[24] = 10, b.b[27] = 1; /* giaddr */
	opt(&b, 12, "cpe", 3);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0);
	CHECK_INT(g.n, 0);
	/* not relayed: the frame's source */
	b.b[24] = 0, b.b[27] = 0;
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0);
	CHECK_INT(g.n, 2);
	OBS(1, OBS_DHCP_HOSTNAME, "00:1b:54:aa:bb:cc", "", "cpe");

	/* option overload (52): options in file, then sname */
	bootp(&b, 1, NULL, NULL);
	opt(&b, 52, "\x03", 1);
	opt(&b, 53, "\x01", 1);
	put8(&b, 255);
	memcpy(b.b + 108, "\x0c\x05ont-9\xff", 8);	/* file */
	memcpy(b.b + 44, "\x3c\x03ZTE\x00\x00\xff", 8); /* sname */
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0);
	CHECK_INT(g.n, 3);
	OBS(1, OBS_DHCP_HOSTNAME, m, "", "ont-9");
	OBS(2, OBS_DHCP_VENDOR_CLASS, m, "", "ZTE");
	/* a lie inside the file field */
	memcpy(b.b + 108, "\x0c\xf0ont", 5);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "DHCP option 12 claims 240 bytes, 126 left in the file field");
	CHECK_INT(g.n, 2);
	OBS(1, OBS_DHCP_VENDOR_CLASS, m, "", "ZTE");
}

static void test_dhcp4_server(void)
{
	static struct bb b;
	const char *m = "00:19:c6:12:34:56";

	reset();
	memcpy(pk.src_ip, "192.168.1.1", 12);
	/* ACK: yiaddr bound to chaddr; the server's own vendor class with its identifier */
	bootp(&b, 2, NULL, (const uint8_t *)"\xc0\xa8\x01\x32");
	opt(&b, 53, "\x05", 1);
	opt(&b, 54, "\xc0\xa8\x01\x01", 4);
	opt(&b, 60, "HUAWEI AR2220", 13);
	opt(&b, 43, "\x01\x02\x03", 3);
	put8(&b, 255);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0);
	CHECK_INT(g.n, 2);
	OBS(0, OBS_MAC, m, "192.168.1.50", m);
	OBS(1, OBS_DHCP_VENDOR_CLASS, "00:1b:54:aa:bb:cc", "192.168.1.1", "HUAWEI AR2220");
	/* relayed to us from elsewhere: the server's address, not the frame's MAC */
	memcpy(pk.src_ip, "10.0.0.1", 9);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0);
	CHECK_INT(g.n, 2);
	OBS(1, OBS_DHCP_VENDOR_CLASS, "", "192.168.1.1", "HUAWEI AR2220");

	/* OFFER: no binding yet */
	b.b[242] = 2;
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0);
	CHECK_INT(g.n, 1);
	OBS(0, OBS_DHCP_VENDOR_CLASS, "", "192.168.1.1", "HUAWEI AR2220");

	/* plain BOOTP reply (no cookie) binds too */
	bootp(&b, 2, NULL, (const uint8_t *)"\x0a\x01\x02\x03");
	b.n -= 4;
	CHECK_INT(run(sn_dhcp4, b.b, b.n), 0);
	CHECK_INT(g.n, 1);
	OBS(0, OBS_MAC, m, "10.1.2.3", m);
}

static void test_dhcp4_bad(void)
{
	static struct bb b;
	const char *m = "00:19:c6:12:34:56";

	reset();
	bootp(&b, 1, NULL, NULL);
	opt(&b, 12, "ont", 3);
	put8(&b, 60), put8(&b, 40), puts_(&b, "ZTE");
	CHECK_INT(run(sn_dhcp4, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "DHCP option 60 claims 40 bytes, 3 left");
	CHECK_INT(g.n, 2);
	OBS(0, OBS_MAC, m, "", m);
	OBS(1, OBS_DHCP_HOSTNAME, m, "", "ont");

	bootp(&b, 1, NULL, NULL);
	put8(&b, 60);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "DHCP option 60 cut before its length");

	CHECK_INT(run(sn_dhcp4, b.b, 100), TM_EPROTO);
	CHECK_STR(pk.err, "DHCP message cut at 100 bytes, 236 needed");
	CHECK_INT(g.n, 0);

	bootp(&b, 3, NULL, NULL);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "BOOTP op 3, not 1 or 2");
	CHECK_INT(g.n, 0);

	/* enterprise data lengths that lie */
	bootp(&b, 1, NULL, NULL);
	opt(&b, 125, "\x00\x00\x0f\x3e\x09\x01\x02", 7);
	put8(&b, 255);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "DHCP option 125 data of enterprise 3902 claims 9 bytes, 2 left");
	CHECK_INT(g.n, 1);
	bootp(&b, 1, NULL, NULL);
	opt(&b, 124, "\x00\x00\x0f", 3);
	put8(&b, 255);
	CHECK_INT(run(sn_dhcp4, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "DHCP option 124 cut inside an enterprise header");
}

/* ================= DHCPv6 ================= */

static void o6(struct bb *b, unsigned code, const void *v, size_t n)
{
	put16(b, code), put16(b, (unsigned)n), putn(b, v, n);
}

/* a Solicit with a DUID-LLT, vendor class, vendor opts, FQDN, user class */
static void solicit(struct bb *b, int ll)
{
	static const uint8_t llt[14] = {0,    1,    0,	  1,	0x2a, 0x3b, 0x4c,
					0x5d, 0x00, 0x19, 0xc6, 0x12, 0x34, 0x56};
	static const uint8_t lla[10] = {0, 3, 0, 1, 0x48, 0x7b, 0x6b, 0x01, 0x02, 0x03};
	static const uint8_t vc[] = {0,	  0,   0x07, 0xdb, 0, 9, 'H', 'u', 'a', 'w', 'e',
				     'i', 'O', 'N',  'T',  0, 4, 'E', 'G', '8', 'M'};
	static const uint8_t fq[] = {1,	  6,   'o', 'n', 't', '-', '0', '1', 7,	  'e', 'x',
				     'a', 'm', 'p', 'l', 'e', 3,   'n', 'e', 't', 0};

	b->n = 0;
	put8(b, 1), put8(b, 0xab), put16(b, 0xcdef);
	if (ll)
		o6(b, 1, lla, 10);
	else
		o6(b, 1, llt, 14);
	o6(b, 8, "\x00\x00", 2);
	o6(b, 16, vc, sizeof(vc));
	o6(b, 17, "\x00\x00\x0f\x3e\x00\x01\x00\x00", 8);
	o6(b, 39, fq, sizeof(fq));
	o6(b, 15,
	   "\x00\x03"
	   "abc\x00\x02"
	   "de",
	   9);
}

static void test_dhcp6(void)
{
	static struct bb b, w;
	const char *m = "00:19:c6:12:34:56";

	reset();
	memcpy(pk.src_ip, "fe80::219:c6ff:fe12:3456", 25);
	solicit(&b, 0);
	CHECK_INT(run(sn_dhcp6, b.b, b.n), 0);
	CHECK_STR(pk.err, "");
	CHECK_INT(g.n, 7);
	OBS(0, OBS_MAC, m, "fe80::219:c6ff:fe12:3456", m);
	OBS(1, OBS_DHCP_HOSTNAME, m, "fe80::219:c6ff:fe12:3456", "ont-01.example.net");
	OBS(2, OBS_DHCP_VENDOR_CLASS, m, "fe80::219:c6ff:fe12:3456", "HuaweiONT");
	OBS(3, OBS_DHCP_VENDOR_CLASS, m, "fe80::219:c6ff:fe12:3456", "EG8M");
	OBS(4, OBS_DHCP_USER_CLASS, m, "fe80::219:c6ff:fe12:3456", "abc,de");
	OBS(5, OBS_DHCP_ENTERPRISE, m, "fe80::219:c6ff:fe12:3456", "2011");
	OBS(6, OBS_DHCP_ENTERPRISE, m, "fe80::219:c6ff:fe12:3456", "3902");
	for (size_t k = 0; k < b.n; k++) {
		int rc = run(sn_dhcp6, b.b, k);

		CHECK(rc == 0 || rc == TM_EPROTO);
		CHECK(g.n <= 7);
	}

	/* relayed twice: the innermost peer address, the DUID-LL's MAC */
	solicit(&b, 1);
	w.n = 0;
	put8(&w, 12), put8(&w, 0);
	putn(&w, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	putn(&w, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x09", 16);
	o6(&w, 9, b.b, b.n);
	b.n = 0;
	put8(&b, 12), put8(&b, 1);
	putn(&b, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	putn(&b, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	o6(&b, 17, "\x00\x00\x00\x09\x00\x00",
	   6); /* the relay's own vendor options: not the client's */
	o6(&b, 9, w.b, w.n);
	memcpy(pk.src_ip, "2001:db8::2", 12);
	CHECK_INT(run(sn_dhcp6, b.b, b.n), 0);
	CHECK_INT(g.n, 7);
	OBS(0, OBS_MAC, "48:7b:6b:01:02:03", "fe80::9", "48:7b:6b:01:02:03");
	OBS(6, OBS_DHCP_ENTERPRISE, "48:7b:6b:01:02:03", "fe80::9", "3902");

	/* a server's Advertise says nothing about the client here */
	solicit(&b, 0);
	b.b[0] = 2;
	CHECK_INT(run(sn_dhcp6, b.b, b.n), 0);
	CHECK_INT(g.n, 0);

	/* a client id without a MAC, not relayed: the frame's source */
	b.n = 0;
	put8(&b, 11), put8(&b, 0), put16(&b, 1);
	o6(&b, 1, "\x00\x02\x00\x00\x07\xdb\x01\x02", 8);
	o6(&b, 16, "\x00\x00\x0f\x3e", 4);
	memcpy(pk.src_ip, "fe80::1", 8);
	CHECK_INT(run(sn_dhcp6, b.b, b.n), 0);
	CHECK_INT(g.n, 2);
	OBS(0, OBS_MAC, "00:1b:54:aa:bb:cc", "fe80::1", "00:1b:54:aa:bb:cc");
	OBS(1, OBS_DHCP_ENTERPRISE, "00:1b:54:aa:bb:cc", "fe80::1", "3902");
}

static void test_dhcp6_bad(void)
{
	static struct bb b, w;

	reset();
	memcpy(pk.src_ip, "fe80::1", 8);
	b.n = 0;
	put8(&b, 1), put8(&b, 0), put16(&b, 1);
	o6(&b, 1, "\x00\x03\x00\x01\x00\x19\xc6\x12\x34\x56", 10);
	put16(&b, 16), put16(&b, 300);
	putn(&b, "\x00\x00\x07\xdb\x00\x04ZTE-", 10);
	CHECK_INT(run(sn_dhcp6, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "DHCPv6 option 16 claims 300 bytes, 10 left");
	CHECK_INT(g.n, 1);
	OBS(0, OBS_MAC, "00:19:c6:12:34:56", "fe80::1", "00:19:c6:12:34:56");

	b.n = 0;
	put8(&b, 1), put8(&b, 0), put16(&b, 1);
	o6(&b, 16, "\x00\x00\x07\xdb\x00\x09ZTE", 9);
	CHECK_INT(run(sn_dhcp6, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "DHCPv6 vendor class data claims 9 bytes, 3 left");
	CHECK_INT(g.n, 2); /* the enterprise number came first */
	OBS(1, OBS_DHCP_ENTERPRISE, "00:1b:54:aa:bb:cc", "fe80::1", "2011");

	b.n = 0;
	put8(&b, 1), put8(&b, 0), put16(&b, 1);
	o6(&b, 39, "\x01\x50host", 6);
	CHECK_INT(run(sn_dhcp6, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "DHCPv6 client FQDN label of 80 bytes, 63 at most");
	b.n = 0;
	put8(&b, 1), put8(&b, 0), put16(&b, 1);
	o6(&b, 39, "\x01\x09host", 6);
	CHECK_INT(run(sn_dhcp6, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "DHCPv6 client FQDN label claims 9 bytes past its option");

	b.n = 0;
	put8(&b, 1), put8(&b, 0), put16(&b, 1);
	put8(&b, 0), put8(&b, 1);
	CHECK_INT(run(sn_dhcp6, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "DHCPv6 option header cut: 2 bytes left");

	CHECK_INT(run(sn_dhcp6, b.b, 2), TM_EPROTO);
	CHECK_STR(pk.err, "DHCPv6 message cut: 4 bytes needed");
	CHECK_INT(run(sn_dhcp6, (const uint8_t *)"\x0c\x00", 2), TM_EPROTO);
	CHECK_STR(pk.err, "DHCPv6 relay message cut: 34 bytes needed");

	/* relay nesting past the bound: bounded, malformed */
	b.n = 0;
	put8(&b, 1), put8(&b, 0), put16(&b, 1);
	o6(&b, 12 + 27, "", 0);
	for (int d = 0; d < 12; d++) {
		w.n = 0;
		put8(&w, 12), put8(&w, (unsigned)d);
		for (int i = 0; i < 32; i++)
			put8(&w, 0);
		o6(&w, 9, b.b, b.n);
		memcpy(b.b, w.b, w.n);
		b.n = w.n;
	}
	CHECK_INT(run(sn_dhcp6, b.b, b.n), TM_EPROTO);
	CHECK_STR(pk.err, "DHCPv6 relay messages nested deeper than 8");
	CHECK_INT(g.n, 0);
}

int main(void)
{
	test_arp();
	test_lldp_full();
	test_lldp_ids();
	test_lldp_bad();
	test_cdp();
	test_cdp_bad();
	test_dhcp4_client();
	test_dhcp4_server();
	test_dhcp4_bad();
	test_dhcp6();
	test_dhcp6_bad();
	return check_done("test_sniff_l2");
}
