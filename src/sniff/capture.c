/*
 * capture.c - the capture layer of trustmap sniff (capture.h): libpcap in,
 * link layers (Ethernet II with stacked 802.1Q/802.1ad tags and LLC/SNAP
 * per IEEE 802.2, Linux SLL and SLL2, raw IP), IPv4 (RFC 791) and IPv6
 * (RFC 8200) with fragments ignored, UDP (RFC 768) to the datagram decoders
 * by port, TCP (RFC 9293) segments to the flow table (flow.c) and flushed
 * flows to sn_app.  Every header is read through the bounded reader; a
 * length that disagrees with what was captured makes the packet malformed
 * for that layer, counted and reported with the capture name and packet
 * number, and decoding carries on with the next packet.
 *
 * The hot path (bulk TCP) formats nothing and allocates nothing: addresses
 * stay binary until a decoder is called or a flow is handed over.
 */
#include "capture.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/mem.h"
#include "core/rd.h"
#include "core/str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pcap/pcap.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MACSET (1u << 16) /* source MACs remembered (emitted once each); cleared when 3/4 full */
#define TICK_EVERY 4096	  /* packets between progress calls */
#define CAP_IOBUF (1 << 20) /* read buffer of capture files */

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

struct cap {
	struct cap_cfg cfg;
	struct sn_pkt pk;  /* the packet being decoded */
	struct sn_pkt fpk; /* a flow being handed over */
	struct flow_table *ft;
	uint64_t *macs;	   /* mac48 + 1, 0 empty */
	size_t nmacs;
	size_t macn;	   /* slots of macs, a power of two (MACSET, or cfg.macset) */
	uint64_t mac_last; /* the last source MAC looked up (as in macs) */
	size_t bufsz;	   /* bytes of iobuf and of rbuf (CAP_IOBUF, or cfg.iobuf) */
	struct cap_stats st;
	char name[128];	   /* "iface:eth0" for live captures */
	char *iobuf;	   /* stdio buffer of the capture file being read */
	uint8_t *rbuf;	   /* the classic pcap reader's buffer (fast_next) */
	/* the IP layer of the current packet, binary until someone needs text */
	uint8_t src[16], dst[16];
	int v6;
	/* files and resume points (cap_pos) */
	uint32_t fidx;	   /* index of the next file */
	struct cap_pos at; /* between packets: the packet about to be read */
	uint64_t tag;	   /* the packet being decoded: its tag and offset */
	int64_t off;
	/* cap_replay(): re-reading up to rto quietly, flows made only at born[] */
	int replay;
	struct cap_pos rfrom, rto;
	uint64_t *born;
	size_t nborn;
};

struct cap *cap_new(const struct cap_cfg *cfg)
{
	struct cap *c = mem_calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->cfg = *cfg;
	c->bufsz = cfg->iobuf ? (cfg->iobuf < 4096 ? 4096 : cfg->iobuf) : CAP_IOBUF;
	for (c->macn = 64; c->macn < MACSET && c->macn < cfg->macset; c->macn <<= 1)
		;
	if (!cfg->macset)
		c->macn = MACSET;
	c->macs = mem_calloc(c->macn, sizeof(*c->macs));
	if (!c->macs) {
		cap_free(c);
		return NULL;
	}
	c->pk.scope = cfg->scope ? cfg->scope : "";
	c->pk.on_obs = cfg->on_obs;
	c->pk.on_link = cfg->on_link;
	c->pk.arg = cfg->arg;
	c->pk.file = "";
	c->fpk = c->pk;
	c->at.no = 1; /* before the first file: its first packet */
	c->at.off = -1;
	return c;
}

void cap_free(struct cap *c)
{
	if (!c)
		return;
	flow_free(c->ft);
	mem_free(c->born);
	mem_free(c->iobuf);
	mem_free(c->rbuf);
	mem_free(c->macs);
	mem_free(c);
}

const struct cap_stats *cap_stats(const struct cap *c)
{
	return &c->st;
}

int64_t cap_now(const struct cap *c)
{
	return c->pk.time;
}

const struct flow_stats *cap_flow_stats(const struct cap *c)
{
	static const struct flow_stats none;

	return c->ft ? flow_stats(c->ft) : &none;
}

/* ---- messages ---- */

static void say(const char *file, uint64_t no, const char *dec, const char *msg)
{
	struct buf a, b;

	buf_init(&a, 128);
	buf_init(&b, 192);
	esc_term(&a, file, strlen(file));
	esc_term(&b, msg, strnlen(msg, 512));
	fprintf(stderr, "%s: packet %llu: %s: %s\n", buf_str(&a), (unsigned long long)no, dec, buf_str(&b));
	buf_fini(&a);
	buf_fini(&b);
}

/* Counts pk as malformed for d and reports it (the first CAP_MSG_MAX times). */
static void bad(struct cap *c, struct sn_pkt *pk, enum sn_dec d)
{
	c->st.bad[d]++;
	if (c->cfg.quiet || c->replay) /* re-read before a resume point: said the first time */
		return;
	if (c->st.shown >= CAP_MSG_MAX) {
		c->st.hidden++;
		return;
	}
	c->st.shown++;
	say(pk->file, pk->no, sn_dec_name(d), pk->err[0] ? pk->err : "malformed");
}

/* A layer of ours found pk malformed. */
static void __attribute__((format(printf, 3, 4))) bad_hdr(struct cap *c, enum sn_dec d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->pk.err, sizeof(c->pk.err), fmt, ap);
	va_end(ap);
	bad(c, &c->pk, d);
}

/* Calls decoder fn of kind d on p[0..n). */
static void call(struct cap *c, enum sn_dec d, int (*fn)(struct sn_pkt *, const uint8_t *, size_t),
		 const uint8_t *p, size_t n)
{
	c->st.pkts[d]++;
	c->pk.err[0] = 0;
	if (fn(&c->pk, p, n) == TM_EPROTO)
		bad(c, &c->pk, d);
}

static void addr_text(const uint8_t *a, int v6, char out[46])
{
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, a, out, 46))
		out[0] = 0;
}

/* ---- source MACs: one OBS_MAC each (MAC only: routers forward many IPs under one MAC) ---- */

static void src_mac(struct cap *c, const uint8_t m[6])
{
	uint64_t k = 0, h;
	size_t i;
	char t[18];

	if (m[0] & 1)
		return; /* group address: nobody's own */
	memcpy(&k, m, 6); /* the six bytes as a number, in the host's order */
	if (!k)
		return;
	k++;
	if (k == c->mac_last)
		return; /* the sender of the frame before: most frames are */
	c->mac_last = k;
	h = k * 0x9e3779b97f4a7c15ULL;
	for (i = (size_t)(h >> 48) & (c->macn - 1); c->macs[i]; i = (i + 1) & (c->macn - 1))
		if (c->macs[i] == k)
			return;
	if (c->nmacs >= c->macn / 4 * 3) {
		memset(c->macs, 0, c->macn * sizeof(*c->macs)); /* bounded: the sink's dedup catches repeats */
		c->nmacs = 0;
		for (i = (size_t)(h >> 48) & (c->macn - 1); c->macs[i]; i = (i + 1) & (c->macn - 1))
			;
	}
	c->macs[i] = k;
	c->nmacs++;
	c->st.macs++;
	sn_mac_text(m, t);
	sn_emit(&c->pk, OBS_MAC, t, NULL, 0, 0, t, 17, 0);
}

/*
 * Frames to the IEEE 802.1D link-local control groups (01:80:c2:00:00:00-0f:
 * STP, LACP, 802.1X, LLDP...) and to Cisco's 01:00:0c:cc:cc:cc/cd (CDP, VTP,
 * DTP, PVST) leave a switch from each port's own MAC: taken as devices, the
 * port MACs of one LLDP switch would be up to 49 assets.  The decoders say
 * what such frames know of the sender; no frame-source mac for them.
 */
static int control_group(const uint8_t d[6])
{
	static const uint8_t ieee[5] = {0x01, 0x80, 0xc2, 0x00, 0x00};
	static const uint8_t cisco[5] = {0x01, 0x00, 0x0c, 0xcc, 0xcc};

	if (!memcmp(d, ieee, 5))
		return (d[5] & 0xf0) == 0;
	return !memcmp(d, cisco, 5) && (d[5] == 0xcc || d[5] == 0xcd);
}

/* ---- TCP flows handed over ---- */

static void on_flush(void *arg, const struct flow_ep *s, const struct flow_ep *cl, int v6, const uint8_t *p,
		     size_t n, int complete, int asked, enum flow_why why, int64_t time)
{
	struct cap *c = arg;
	struct sn_pkt *pk = &c->fpk;
	enum sn_dec d = SN_DEC_COUNT;
	int rc;

	(void)why;
	pk->file = c->pk.file;
	pk->no = c->pk.no;
	pk->time = time;
	pk->has_mac = 0;
	pk->vlan = 0;
	addr_text(s->addr, v6, pk->src_ip);
	addr_text(cl->addr, v6, pk->dst_ip);
	pk->sport = s->port;
	pk->dport = cl->port;
	pk->proto = 6;
	pk->asked = (uint8_t)asked;
	pk->err[0] = 0;
	rc = sn_app(pk, p, n, complete, &d);
	if (d < SN_DEC_COUNT)
		c->st.pkts[d]++;
	if (rc == TM_EPROTO)
		bad(c, pk, d < SN_DEC_COUNT ? d : SN_DEC_TCP);
}

/* The flow table, made at the first TCP segment (a seeded hash: keys are packet data). */
static int need_flows(struct cap *c)
{
	struct flow_cfg fc = {.max_flows = c->cfg.max_flows, .flow_bytes = c->cfg.flow_bytes,
			      .max_buffered = c->cfg.max_buffered, .idle = c->cfg.idle,
			      .flush = on_flush, .arg = c};

	if (c->ft)
		return 1;
	fc.seed = ((uint64_t)getpid() << 32 ^ (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)c) | 1;
	return (c->ft = flow_new(&fc)) != NULL;
}

void cap_end(struct cap *c)
{
	if (c->ft)
		flow_end(c->ft);
}

/* ---- resume points ---- */

static int born_has(const struct cap *c, uint64_t tag)
{
	size_t lo = 0, hi = c->nborn;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->born[mid] == tag)
			return 1;
		if (c->born[mid] < tag)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

struct oldest {
	uint64_t tag;
	int64_t off;
	int any;
};

static void oldest_flow(void *arg, uint64_t tag, int64_t off)
{
	struct oldest *o = arg;

	if (!o->any || tag < o->tag) {
		o->tag = tag;
		o->off = off;
		o->any = 1;
	}
}

void cap_checkpoint(const struct cap *c, struct cap_pos *next, struct cap_pos *from)
{
	struct oldest o = {0};

	*next = c->at;
	*from = c->at;
	if (c->ft)
		flow_each(c->ft, oldest_flow, &o);
	if (o.any && o.tag < CAP_TAG(c->at.file, c->at.no)) {
		from->file = (uint32_t)(o.tag >> 40);
		from->no = o.tag & ((1ULL << 40) - 1);
		from->off = o.off;
	}
}

void cap_born_each(const struct cap *c, void (*fn)(void *arg, uint64_t tag, int64_t off), void *arg)
{
	if (c->ft)
		flow_each(c->ft, fn, arg);
}

int cap_replay(struct cap *c, const struct cap_pos *from, const struct cap_pos *to, const uint64_t *born,
	       size_t nborn)
{
	mem_free(c->born);
	c->born = NULL;
	c->nborn = 0;
	if (nborn) {
		if (!(c->born = mem_alloc(nborn * sizeof(*born))))
			return TM_ENOMEM;
		memcpy(c->born, born, nborn * sizeof(*born));
		c->nborn = nborn;
	}
	c->rfrom = *from;
	c->rto = *to;
	c->fidx = from->file;
	c->replay = 1;
	c->pk.on_obs = c->fpk.on_obs = NULL; /* handed to nobody: stored before */
	c->pk.on_link = c->fpk.on_link = NULL;
	return 0;
}

/* The resume point is reached: from here on, everything as usual. */
static void replay_off(struct cap *c)
{
	if (!c->replay)
		return;
	c->replay = 0;
	c->pk.on_obs = c->fpk.on_obs = c->cfg.on_obs;
	c->pk.on_link = c->fpk.on_link = c->cfg.on_link;
	mem_free(c->born);
	c->born = NULL;
	c->nborn = 0;
}

/* ---- transport ---- */

static void tcp(struct cap *c, const uint8_t *p, size_t n)
{
	struct rd r;
	struct flow_seg s;
	size_t doff;

	c->st.pkts[SN_DEC_TCP]++;
	rd_init(&r, p, n);
	s.src.port = rd_be16(&r);
	s.dst.port = rd_be16(&r);
	s.seq = rd_be32(&r);
	rd_skip(&r, 4);
	doff = (size_t)(rd_u8(&r) >> 4) * 4;
	s.flags = rd_u8(&r);
	if (!rd_ok(&r))
		return bad_hdr(c, SN_DEC_TCP, "TCP header cut at %zu bytes", n);
	if (doff < 20 || doff > n)
		return bad_hdr(c, SN_DEC_TCP, "TCP header length %zu with %zu bytes", doff, n);
	if (!need_flows(c))
		return;
	memcpy(s.src.addr, c->src, 16);
	memcpy(s.dst.addr, c->dst, 16);
	s.v6 = (uint8_t)c->v6;
	s.data = p + doff;
	s.len = n - doff;
	s.time = c->pk.time;
	s.tag = c->tag;
	s.off = c->off;
	s.no_new = (uint8_t)(c->replay && !born_has(c, c->tag));
	flow_seg(c->ft, &s);
}

/* The packet's addresses as text and its ports, for a datagram decoder. */
static void set_udp(struct cap *c, uint16_t sp, uint16_t dp)
{
	addr_text(c->src, c->v6, c->pk.src_ip);
	addr_text(c->dst, c->v6, c->pk.dst_ip);
	c->pk.sport = sp;
	c->pk.dport = dp;
	c->pk.proto = 17;
}

static void udp(struct cap *c, const uint8_t *p, size_t n)
{
	struct rd r;
	uint16_t sp, dp, len;

	c->st.pkts[SN_DEC_UDP]++;
	rd_init(&r, p, n);
	sp = rd_be16(&r);
	dp = rd_be16(&r);
	len = rd_be16(&r);
	rd_skip(&r, 2);
	if (!rd_ok(&r))
		return bad_hdr(c, SN_DEC_UDP, "UDP header cut at %zu bytes", n);
	if (len < 8)
		return bad_hdr(c, SN_DEC_UDP, "UDP length %u shorter than its header", len);
	if (len < n)
		n = len; /* trailing bytes (padding) are not the datagram's; longer: cut by the snap length */
	p += 8;
	n -= 8;
	for (int i = 0; i < c->cfg.nudp_as; i++) {
		enum sn_dec d = c->cfg.udp_as[i].dec;

		if (sp != c->cfg.udp_as[i].port && (dp != c->cfg.udp_as[i].port || d == SN_DEC_SNMP))
			continue;
		set_udp(c, sp, dp);
		if (d == SN_DEC_DHCP4)
			return call(c, d, sn_dhcp4, p, n);
		if (d == SN_DEC_DHCP6)
			return call(c, d, sn_dhcp6, p, n);
		if (d == SN_DEC_SNMP)
			return call(c, d, sn_snmp, p, n);
		return call(c, SN_DEC_SSDP, sn_ssdp, p, n);
	}
	if (!(sp == 67 || sp == 68 || dp == 67 || dp == 68 || sp == 546 || sp == 547 || dp == 546 || dp == 547 ||
	      sp == 161 || sp == 1900 || dp == 1900))
		return;
	set_udp(c, sp, dp);
	if (sp == 67 || sp == 68 || dp == 67 || dp == 68)
		call(c, SN_DEC_DHCP4, sn_dhcp4, p, n);
	else if (sp == 546 || sp == 547 || dp == 546 || dp == 547)
		call(c, SN_DEC_DHCP6, sn_dhcp6, p, n);
	else if (sp == 161)
		call(c, SN_DEC_SNMP, sn_snmp, p, n);
	else
		call(c, SN_DEC_SSDP, sn_ssdp, p, n);
}

static void l4(struct cap *c, uint8_t proto, const uint8_t *p, size_t n)
{
	if (proto == 6)
		tcp(c, p, n);
	else if (proto == 17)
		udp(c, p, n);
}

/* ---- IP ---- */

static void ipv4(struct cap *c, const uint8_t *p, size_t n)
{
	struct rd r;
	uint8_t vihl, proto;
	uint16_t tot, frag;
	size_t ihl;

	c->st.pkts[SN_DEC_IPV4]++;
	rd_init(&r, p, n);
	vihl = rd_u8(&r);
	rd_skip(&r, 1);
	tot = rd_be16(&r);
	rd_skip(&r, 2);
	frag = rd_be16(&r);
	rd_skip(&r, 1);
	proto = rd_u8(&r);
	rd_skip(&r, 2);
	rd_copy(&r, c->src, 4);
	rd_copy(&r, c->dst, 4);
	if (!rd_ok(&r))
		return bad_hdr(c, SN_DEC_IPV4, "IPv4 header cut at %zu bytes", n);
	ihl = (size_t)(vihl & 15) * 4;
	if (vihl >> 4 != 4)
		return bad_hdr(c, SN_DEC_IPV4, "version %u in an IPv4 header", vihl >> 4);
	if (ihl < 20 || ihl > n)
		return bad_hdr(c, SN_DEC_IPV4, "IPv4 header length %zu with %zu bytes captured", ihl, n);
	if (tot < ihl)
		return bad_hdr(c, SN_DEC_IPV4, "IPv4 total length %u shorter than its header (%zu)", tot, ihl);
	if (frag & 0x3fff) {
		c->st.fragments++; /* MF or an offset: not reassembled, not malformed */
		return;
	}
	if (tot < n)
		n = tot; /* Ethernet padding */
	memset(c->src + 4, 0, 12);
	memset(c->dst + 4, 0, 12);
	c->v6 = 0;
	l4(c, proto, p + ihl, n - ihl);
}

static void ipv6(struct cap *c, const uint8_t *p, size_t n)
{
	struct rd r;
	uint32_t vtf;
	uint16_t plen;
	uint8_t nh;
	int ext = 0;

	c->st.pkts[SN_DEC_IPV6]++;
	rd_init(&r, p, n);
	vtf = rd_be32(&r);
	plen = rd_be16(&r);
	nh = rd_u8(&r);
	rd_skip(&r, 1);
	rd_copy(&r, c->src, 16);
	rd_copy(&r, c->dst, 16);
	if (!rd_ok(&r))
		return bad_hdr(c, SN_DEC_IPV6, "IPv6 header cut at %zu bytes", n);
	if (vtf >> 28 != 6)
		return bad_hdr(c, SN_DEC_IPV6, "version %u in an IPv6 header", vtf >> 28);
	/* the payload: shorter than captured is padding; longer was cut by the snap length */
	rd_init(&r, p + 40, (size_t)plen < n - 40 ? plen : n - 40);
	for (;;) {
		uint8_t next, hl;
		uint16_t fo;

		if (nh != 0 && nh != 43 && nh != 60 && nh != 44 && nh != 51)
			break;
		if (++ext > CAP_IP6_EXT_MAX)
			return bad_hdr(c, SN_DEC_IPV6, "more than %d IPv6 extension headers", CAP_IP6_EXT_MAX);
		next = rd_u8(&r);
		hl = rd_u8(&r);
		if (nh == 44) {
			fo = rd_be16(&r);
			rd_skip(&r, 4);
			if (rd_ok(&r) && (fo & 0xfff9)) {
				c->st.fragments++; /* an offset or more fragments: ignored */
				return;
			}
		} else {
			rd_skip(&r, nh == 51 ? (size_t)hl * 4 + 6 : (size_t)hl * 8 + 6);
		}
		if (!rd_ok(&r))
			return bad_hdr(c, SN_DEC_IPV6, "IPv6 extension header %u cut short", nh);
		nh = next;
	}
	c->v6 = 1;
	l4(c, nh, rd_cur(&r), rd_left(&r));
}

/* ---- link layers ---- */

static void l3(struct cap *c, uint16_t et, const uint8_t *p, size_t n)
{
	switch (et) {
	case 0x0800:
		ipv4(c, p, n);
		break;
	case 0x86dd:
		ipv6(c, p, n);
		break;
	case 0x0806:
		call(c, SN_DEC_ARP, sn_arp, p, n);
		break;
	case 0x88cc:
		call(c, SN_DEC_LLDP, sn_lldp, p, n);
		break;
	}
}

/* IEEE 802.2 LLC with SNAP: CDP is OUI 00:00:0c, protocol 0x2000. */
static void llc(struct cap *c, const uint8_t *p, size_t n)
{
	static const uint8_t cdp_snap[8] = {0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00};
	struct rd r;
	const uint8_t *h;

	rd_init(&r, p, n);
	if ((h = rd_bytes(&r, sizeof(cdp_snap))) && !memcmp(h, cdp_snap, sizeof(cdp_snap)))
		call(c, SN_DEC_CDP, sn_cdp, rd_cur(&r), rd_left(&r));
}

static void eth(struct cap *c, const uint8_t *p, size_t n)
{
	struct sn_pkt *pk = &c->pk;
	struct rd r;
	uint16_t et, tci;
	int tags = 0;

	rd_init(&r, p, n);
	rd_copy(&r, pk->dst_mac, 6);
	rd_copy(&r, pk->src_mac, 6);
	et = rd_be16(&r);
	if (!rd_ok(&r))
		return bad_hdr(c, SN_DEC_ETH, "frame of %zu bytes, shorter than an Ethernet header", n);
	pk->has_mac = 1;
	if (!control_group(pk->dst_mac))
		src_mac(c, pk->src_mac);
	while (et == 0x8100 || et == 0x88a8 || et == 0x9100) {
		if (++tags > CAP_VLAN_MAX)
			return bad_hdr(c, SN_DEC_ETH, "more than %d stacked VLAN tags", CAP_VLAN_MAX);
		tci = rd_be16(&r);
		et = rd_be16(&r);
		if (!rd_ok(&r))
			return bad_hdr(c, SN_DEC_ETH, "VLAN tag %d cut short", tags);
		if (tags == 1)
			pk->vlan = tci & 0xfff;
	}
	if (et <= 1500) /* IEEE 802.3 length: LLC follows */
		return llc(c, rd_cur(&r), et < rd_left(&r) ? et : rd_left(&r));
	l3(c, et, rd_cur(&r), rd_left(&r));
}

/* Linux cooked capture v1 (16 bytes) and v2 (20 bytes). */
static void sll(struct cap *c, const uint8_t *p, size_t n, int v2)
{
	struct sn_pkt *pk = &c->pk;
	struct rd r;
	uint16_t proto = 0, hatype, halen;
	uint8_t addr[8];

	rd_init(&r, p, n);
	if (v2) {
		proto = rd_be16(&r);
		rd_skip(&r, 6);
		hatype = rd_be16(&r);
		rd_skip(&r, 1);
		halen = rd_u8(&r);
		rd_copy(&r, addr, 8);
	} else {
		rd_skip(&r, 2);
		hatype = rd_be16(&r);
		halen = rd_be16(&r);
		rd_copy(&r, addr, 8);
		proto = rd_be16(&r);
	}
	if (!rd_ok(&r))
		return bad_hdr(c, SN_DEC_ETH, "%s header cut at %zu bytes", v2 ? "SLL2" : "SLL", n);
	if (hatype == 1 && halen == 6) { /* ARPHRD_ETHER */
		memcpy(pk->src_mac, addr, 6);
		pk->has_mac = 1;
		/* no destination in SLL: LLDP, slow protocols (LACP) and LLC (STP, CDP) are control frames */
		if (proto != 0x88cc && proto != 0x8809 && proto != 0x0004)
			src_mac(c, pk->src_mac);
	}
	if (proto == 0x0004) /* ETH_P_802_2: LLC */
		return llc(c, rd_cur(&r), rd_left(&r));
	l3(c, proto, rd_cur(&r), rd_left(&r));
}

static void raw(struct cap *c, const uint8_t *p, size_t n)
{
	if (n && p[0] >> 4 == 4)
		ipv4(c, p, n);
	else if (n && p[0] >> 4 == 6)
		ipv6(c, p, n);
	else
		bad_hdr(c, SN_DEC_ETH, "raw IP packet of version %d", n ? p[0] >> 4 : -1);
}

static int dlt_ok(int dlt)
{
	return dlt == DLT_EN10MB || dlt == DLT_LINUX_SLL || dlt == DLT_LINUX_SLL2 || dlt == DLT_RAW ||
	       dlt == DLT_IPV4 || dlt == DLT_IPV6;
}

void cap_packet(struct cap *c, const char *name, int dlt, const uint8_t *p, size_t caplen, int64_t time)
{
	struct sn_pkt *pk = &c->pk;

	pk->file = name;
	pk->no++;
	pk->time = time;
	pk->has_mac = 0;
	pk->vlan = 0;
	pk->src_ip[0] = pk->dst_ip[0] = 0;
	pk->sport = pk->dport = 0;
	pk->proto = 0;
	c->st.packets++;
	c->st.bytes += caplen;
	c->st.pkts[SN_DEC_ETH]++;
	switch (dlt) {
	case DLT_EN10MB:
		eth(c, p, caplen);
		break;
	case DLT_LINUX_SLL:
		sll(c, p, caplen, 0);
		break;
	case DLT_LINUX_SLL2:
		sll(c, p, caplen, 1);
		break;
	case DLT_RAW:
		raw(c, p, caplen);
		break;
	case DLT_IPV4:
		ipv4(c, p, caplen);
		break;
	case DLT_IPV6:
		ipv6(c, p, caplen);
		break;
	default:
		bad_hdr(c, SN_DEC_ETH, "link type %d is not supported", dlt);
	}
}

/* ---- files ---- */

/* The capture itself broke (or could not be opened): said always, counted under pcap. */
static int file_error(struct cap *c, const char *name, uint64_t no, const char *msg, int rc)
{
	c->st.bad[SN_DEC_PCAP]++;
	c->st.files_bad++;
	if (!c->cfg.quiet)
		say(name, no, "pcap", msg);
	return rc;
}

/* Progress: done is the offset reached (-1 when unknown; fp's when -2). */
static void tick(struct cap *c, const char *name, FILE *fp, long long done, long long total)
{
	if (!c->cfg.tick)
		return;
	if (done == -2)
		done = fp && total > 0 ? ftello(fp) : -1;
	c->cfg.tick(c->cfg.arg, name, done, total, c->pk.no);
}

/*
 * Classic pcap records read straight from the file (pread into our own
 * buffer: one copy, where libpcap's stdio path made two and took a lock
 * per record), for the plain case only: version 2.4, microsecond or
 * nanosecond magic in either byte order, and a record whose length is
 * within the snapshot length libpcap settled on and within 262,144 bytes,
 * wholly in the file.  For such a record libpcap returns exactly these
 * bytes.  Anything else -- a cut header or record, a length that lies, a
 * read error, pcapng -- is handed back to libpcap at that record's offset
 * (fseeko on its FILE), so every message and every rule stays libpcap's.
 */
struct fastrd {
	int on, swap, fd;
	uint32_t snap;	   /* the largest record taken here */
	int64_t off;	   /* file offset of the next record */
	int64_t boff;	   /* file offset of rbuf[0] */
	size_t blen;	   /* bytes in rbuf */
};

#define FAST_MAXREC 262144

static uint32_t u32at(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* Decides whether fr can read fp's records from offset off (where libpcap is now). */
static void fast_start(struct cap *c, struct fastrd *fr, FILE *fp, pcap_t *p, int64_t off)
{
	uint8_t h[24];
	uint32_t magic;
	int fd = fileno(fp);

	memset(fr, 0, sizeof(*fr));
	if (getenv("TRUSTMAP_SNIFF_LIBPCAP") || off < 24 || pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return;
	memcpy(&magic, h, 4);
	if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
		fr->swap = 0;
	else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
		fr->swap = 1;
	else
		return; /* pcapng, or a variant libpcap knows better */
	if ((fr->swap ? (h[4] << 8 | h[5]) : (h[5] << 8 | h[4])) != 2 ||
	    (fr->swap ? (h[6] << 8 | h[7]) : (h[7] << 8 | h[6])) != 4)
		return;
	if (!c->rbuf && !(c->rbuf = mem_alloc(c->bufsz)))
		return;
	fr->snap = pcap_snapshot(p) > 0 ? (uint32_t)pcap_snapshot(p) : 0;
	if (fr->snap > FAST_MAXREC)
		fr->snap = FAST_MAXREC;
	fr->fd = fd;
	fr->off = fr->boff = off;
	fr->on = 1;
}

/* Makes rbuf hold [off, off + need): 1; 0 when the file ends before; -1 on a read error. */
static int fast_fill(struct cap *c, struct fastrd *fr, size_t need)
{
	ssize_t k;

	if (fr->off >= fr->boff && (size_t)(fr->off - fr->boff) + need <= fr->blen)
		return 1;
	fr->boff = fr->off;
	fr->blen = 0;
	while (fr->blen < need) {
		k = pread(fr->fd, c->rbuf + fr->blen, c->bufsz - fr->blen, fr->boff + (int64_t)fr->blen);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (!k)
			return 0;
		fr->blen += (size_t)k;
	}
	return 1;
}

/*
 * The next record: 1 with *data, *caplen, *sec; PCAP_ERROR_BREAK at the
 * file's end; 0 when libpcap must take over at fr->off.
 */
static int fast_next(struct cap *c, struct fastrd *fr, const uint8_t **data, uint32_t *caplen, int64_t *sec)
{
	const uint8_t *h;
	uint32_t n;

	int rc = fast_fill(c, fr, 16);

	if (rc <= 0)
		return rc == 0 && fr->blen == 0 ? PCAP_ERROR_BREAK : 0; /* the end, or libpcap's to say */
	h = c->rbuf + (fr->off - fr->boff);
	n = u32at(h + 8, fr->swap);
	if (n > fr->snap || 16 + (size_t)n > c->bufsz || fast_fill(c, fr, 16 + (size_t)n) <= 0)
		return 0;
	h = c->rbuf + (fr->off - fr->boff);
	*sec = (int32_t)u32at(h, fr->swap);
	*caplen = n;
	*data = h + 16;
	fr->off += 16 + (int64_t)n;
	return 1;
}

/*
 * The record after the one just taken, when it is whole in rbuf and an
 * untagged Ethernet frame with an IPv4 TCP segment: its flow's hash slot
 * is prefetched (flow_prefetch) while the current record is decoded.  Reads
 * only; the record is decoded as any other when its turn comes.
 */
static void prefetch_next(struct cap *c, const struct fastrd *fr, int dlt)
{
	struct flow_ep s, d;
	struct rd r;
	size_t at, ihl;
	uint32_t n;
	uint8_t vihl, proto;

	if (dlt != DLT_EN10MB || !c->ft || fr->off < fr->boff)
		return;
	at = (size_t)(fr->off - fr->boff);
	if (at + 16 > fr->blen)
		return;
	n = u32at(c->rbuf + at + 8, fr->swap);
	if (n > fr->blen - at - 16)
		return;
	rd_init(&r, c->rbuf + at + 16, n);
	rd_skip(&r, 12);
	if (rd_be16(&r) != 0x0800)
		return;
	vihl = rd_u8(&r);
	rd_skip(&r, 5);
	if (rd_be16(&r) & 0x3fff) /* a fragment: no TCP header */
		return;
	rd_skip(&r, 1);
	proto = rd_u8(&r);
	rd_skip(&r, 2);
	memset(&s, 0, sizeof(s));
	memset(&d, 0, sizeof(d));
	rd_copy(&r, s.addr, 4);
	rd_copy(&r, d.addr, 4);
	ihl = (size_t)(vihl & 15) * 4;
	if (!rd_ok(&r) || vihl >> 4 != 4 || proto != 6 || ihl < 20)
		return;
	rd_skip(&r, ihl - 20);
	s.port = rd_be16(&r);
	d.port = rd_be16(&r);
	if (rd_ok(&r))
		flow_prefetch(c->ft, &s, &d);
}

/* A pcapng file (Section Header Block magic), peeked at and put back; only for regular files. */
static int is_pcapng(FILE *fp)
{
	uint8_t m[4];
	int ng = fread(m, 1, 4, fp) == 4 && m[0] == 0x0a && m[1] == 0x0d && m[2] == 0x0d && m[3] == 0x0a;

	return fseeko(fp, 0, SEEK_SET) ? -1 : ng;
}

/*
 * A replay starts inside this file: at packet rfrom.no.  pcap: a seek to
 * its record (libpcap reads the file through fp, record by record);
 * pcapng: the packets before are read and skipped, since libpcap learns
 * the interfaces from blocks on the way (TRUSTMAP_SNIFF_NOSEEK skips in
 * pcap too, to measure one against the other: docs/sniff.md).
 */
static int go_to(struct cap *c, pcap_t *p, FILE *fp, int ng, const char *name)
{
	uint64_t want = c->rfrom.no - 1;
	struct pcap_pkthdr *h;
	const u_char *data;
	char eb[160];

	if (!ng && c->rfrom.off > 0 && !getenv("TRUSTMAP_SNIFF_NOSEEK")) {
		if (fseeko(fp, c->rfrom.off, SEEK_SET)) {
			snprintf(eb, sizeof(eb), "cannot seek to offset %lld: %s", (long long)c->rfrom.off,
				 strerror(errno));
			return file_error(c, name, c->rfrom.no, eb, TM_EIO);
		}
		c->pk.no = want;
		return 0;
	}
	while (c->pk.no < want) {
		if (pcap_next_ex(p, &h, &data) != 1) {
			snprintf(eb, sizeof(eb), "ends before packet %llu, where the run stopped",
				 (unsigned long long)c->rfrom.no);
			return file_error(c, name, c->pk.no + 1, eb, TM_EPROTO);
		}
		c->pk.no++;
	}
	return 0;
}

int cap_stream(struct cap *c, FILE *fp, const char *name, volatile int *stop)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *data;
	struct stat sb;
	long long total = 0;
	uint32_t idx = c->fidx++;
	struct fastrd fr = {0};
	uint32_t caplen = 0;
	int64_t sec = 0;
	pcap_t *p;
	int dlt, rc, ret = 0, seekable = 0, ng = 0;

	c->pk.no = 0;
	c->pk.file = name;
	if (c->replay && idx > c->rto.file)
		replay_off(c);
	if (!fstat(fileno(fp), &sb) && S_ISREG(sb.st_mode)) {
		total = sb.st_size;
		seekable = 1;
	}
	/* big reads: stdio's default makes one syscall per 4 KiB (glibc ignores a size without a buffer) */
	if (c->iobuf || (c->iobuf = mem_alloc(c->bufsz)))
		setvbuf(fp, c->iobuf, _IOFBF, c->bufsz);
	/*
	 * One real seek to where we are: from then on glibc knows the file
	 * offset and ftello() (once a packet, for the resume point) is
	 * arithmetic on the buffer; before, each call was an lseek(2), about
	 * 1.5 CPU s of system time over a million packets.
	 */
	if (seekable)
		fseeko(fp, ftello(fp), SEEK_SET);
	if (c->replay && idx == c->rfrom.file && c->rfrom.no > 1 && (!seekable || (ng = is_pcapng(fp)) < 0)) {
		fclose(fp);
		return file_error(c, name, c->rfrom.no, "cannot go back to where the run stopped", TM_EIO);
	}
	if (!(p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, eb))) {
		fclose(fp);
		return file_error(c, name, 1, eb[0] ? eb : "not a capture file", TM_EPROTO);
	}
	dlt = pcap_datalink(p);
	if (!dlt_ok(dlt)) {
		snprintf(eb, sizeof(eb), "link type %s (%d) is not supported (Ethernet, Linux SLL/SLL2, raw IP are)",
			 pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "?", dlt);
		pcap_close(p);
		return file_error(c, name, 1, eb, TM_EUNSUP);
	}
	if (c->replay && idx == c->rfrom.file && c->rfrom.no > 1 && (ret = go_to(c, p, fp, ng, name))) {
		pcap_close(p);
		return ret;
	}
	if (seekable)
		fast_start(c, &fr, fp, p, (int64_t)ftello(fp));
	for (;;) {
		c->at.file = idx;
		c->at.no = c->pk.no + 1;
		c->at.off = fr.on ? fr.off : seekable ? (int64_t)ftello(fp) : -1;
		if (c->replay && CAP_TAG(idx, c->at.no) >= CAP_TAG(c->rto.file, c->rto.no))
			replay_off(c);
		if (!c->replay && c->cfg.between && c->cfg.between(c->cfg.arg))
			break;
		if (stop && *stop)
			break;
		if (fr.on && (rc = fast_next(c, &fr, &data, &caplen, &sec)) == 0) {
			fr.on = 0; /* libpcap from this record on: its messages, its rules */
			if (fseeko(fp, fr.off, SEEK_SET)) {
				snprintf(eb, sizeof(eb), "cannot seek to offset %lld: %s", (long long)fr.off,
					 strerror(errno));
				ret = file_error(c, name, c->pk.no + 1, eb, TM_EIO);
				break;
			}
		}
		if (!fr.on && (rc = pcap_next_ex(p, &h, &data)) == 1) {
			caplen = h->caplen;
			sec = (int64_t)h->ts.tv_sec;
		}
		if (rc == 1) {
			c->st.pkts[SN_DEC_PCAP]++;
			c->tag = CAP_TAG(idx, c->at.no);
			c->off = c->at.off;
			if (fr.on)
				prefetch_next(c, &fr, dlt);
			cap_packet(c, name, dlt, data, caplen, sec);
			if (!(c->st.packets % TICK_EVERY))
				tick(c, name, fp, fr.on ? fr.off : -2, total);
			continue;
		}
		if (rc == PCAP_ERROR_BREAK || (stop && *stop))
			break; /* end of file, or a signal interrupted a read from a pipe */
		str_set(eb, sizeof(eb), pcap_geterr(p));
		ret = file_error(c, name, c->pk.no + 1, eb[0] ? eb : "read error", TM_EPROTO);
		break;
	}
	if (c->replay && idx >= c->rto.file)
		replay_off(c); /* the resume point was this file's end */
	tick(c, name, fp, fr.on ? fr.off : -2, total);
	pcap_close(p); /* closes fp */
	return ret;
}

int cap_file(struct cap *c, const char *path, volatile int *stop)
{
	FILE *fp;
	char eb[256];

	if (!strcmp(path, "-"))
		return cap_stream(c, stdin, "-", stop);
	if (!(fp = fopen(path, "rb"))) {
		snprintf(eb, sizeof(eb), "cannot open: %s", strerror(errno));
		c->fidx++;
		return file_error(c, path, 1, eb, TM_EIO);
	}
	return cap_stream(c, fp, path, stop);
}

/* ---- live ---- */

void *cap_live_open(const char *iface, const char *bpf, char *eb, size_t el)
{
	char pe[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	pcap_t *p = pcap_create(iface, pe);
	int rc;

	if (!p) {
		err_set(eb, el, TM_EIO, "%s: %s", iface, pe);
		return NULL;
	}
	pcap_set_snaplen(p, 262144);
	pcap_set_promisc(p, 1);
	pcap_set_timeout(p, 200);
	if ((rc = pcap_activate(p)) < 0) {
		err_set(eb, el, TM_EIO, "%s: %s%s%s", iface, pcap_statustostr(rc),
			rc == PCAP_ERROR ? ": " : "", rc == PCAP_ERROR ? pcap_geterr(p) : "");
		pcap_close(p);
		return NULL;
	}
	if (!dlt_ok(pcap_datalink(p))) {
		err_set(eb, el, TM_EUNSUP, "%s: link type %d is not supported", iface, pcap_datalink(p));
		pcap_close(p);
		return NULL;
	}
	if (bpf && *bpf) {
		if (pcap_compile(p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			err_set(eb, el, TM_EINVAL, "filter '%s': %s", bpf, pcap_geterr(p));
			pcap_close(p);
			return NULL;
		}
		rc = pcap_setfilter(p, &prog);
		pcap_freecode(&prog);
		if (rc < 0) {
			err_set(eb, el, TM_EIO, "%s: setting the filter: %s", iface, pcap_geterr(p));
			pcap_close(p);
			return NULL;
		}
	}
	return p;
}

static int env_id(const char *name, unsigned long *v)
{
	const char *s = getenv(name);
	char *end;

	if (!s || !*s)
		return 0;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && !*end && *v > 0 && *v < 0xffffffffUL;
}

int cap_drop_privileges(char *eb, size_t el)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct caps[2];
	unsigned long u, g;
	uid_t uid;
	gid_t gid;

	if (geteuid() == 0 || getuid() == 0) {
		if (env_id("SUDO_UID", &u) && env_id("SUDO_GID", &g)) {
			uid = (uid_t)u;
			gid = (gid_t)g;
		} else {
			struct passwd *pw = getpwnam("nobody");

			uid = pw ? pw->pw_uid : 65534;
			gid = pw ? pw->pw_gid : 65534;
		}
		if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
			return err_set(eb, el, TM_EIO, "dropping privileges to uid %u: %s", (unsigned)uid,
				       strerror(errno));
		if (setuid(0) == 0)
			return err_set(eb, el, TM_EIO, "privileges could not be dropped (uid 0 regained)");
	}
	/* capabilities a non-root binary may have been given (setcap cap_net_raw): all gone */
	memset(caps, 0, sizeof(caps));
	if (syscall(SYS_capset, &hdr, caps) && errno != EPERM)
		return err_set(eb, el, TM_EIO, "dropping capabilities: %s", strerror(errno));
	return 0;
}

void cap_live_break(void *handle)
{
	if (handle)
		pcap_breakloop(handle);
}

void cap_live_close(void *handle)
{
	if (handle)
		pcap_close(handle);
}

int cap_live_run(struct cap *c, void *handle, const char *iface, volatile int *stop)
{
	pcap_t *p = handle;
	struct pcap_pkthdr *h;
	const u_char *data;
	int dlt = pcap_datalink(p), rc, ret = 0;

	snprintf(c->name, sizeof(c->name), "iface:%s", iface);
	c->pk.no = 0;
	c->at.off = -1;
	while (!(stop && *stop)) {
		c->at.no = c->pk.no + 1;
		if (c->cfg.between && c->cfg.between(c->cfg.arg))
			break;
		rc = pcap_next_ex(p, &h, &data);
		if (rc == 1) {
			cap_packet(c, c->name, dlt, data, h->caplen, (int64_t)h->ts.tv_sec);
			if (!(c->st.packets % 256))
				tick(c, c->name, NULL, -1, 0);
			continue;
		}
		if (rc == 0) {
			tick(c, c->name, NULL, -1, 0);
			continue; /* read timeout: look at stop */
		}
		if (rc == PCAP_ERROR_BREAK)
			break;
		ret = file_error(c, c->name, c->pk.no + 1, pcap_geterr(p), TM_EIO);
		break;
	}
	return ret;
}
