/*
 * bench_sniffgen.c - the two captures of bench/sniff (issue #4), written fast
 * enough for a gigabyte (Python is not):
 *
 *   mix OUT MB MGMT.pcap   at least MB megabytes (10^6) of Ethernet/IPv4:
 *                          bulk TCP (600 long flows between 300 hosts,
 *                          1448-byte segments, an ACK every two) with the
 *                          frames of MGMT.pcap (bench/sniff_mgmt.py: the
 *                          management traffic of a few thousand devices)
 *                          spread evenly through it, in their own order.
 *   scan OUT FLOWS         a scan: FLOWS SYNs to distinct (address, port)
 *                          pairs, each answered 64 packets later by a
 *                          SYN-ACK (one in three) or a RST-ACK (one in
 *                          three) or not at all: one or two packets a flow;
 *                          the answers come through one router (one MAC).
 *
 * Classic pcap, microsecond timestamps, link type Ethernet.  IPv4 header
 * checksums are right; TCP checksums are 0 (no one here checks them).
 * Nothing is sent anywhere, and every address is one that is never routed:
 * bulk hosts and the scanner in the documentation ranges (RFC 5737), scan
 * targets in 198.18.0.0/15, the benchmarking range (RFC 2544): its 2^17
 * addresses keep FLOWS pairs distinct up to 2,097,152 flows (16 ports an
 * address).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNAP	   262144
#define BULK_FLOWS 600
#define BULK_HOSTS 150 /* clients and as many servers */
#define SEG	   1448
#define SCAN_LAG   64

static FILE *out;
static uint64_t t_us = 1700000000ULL * 1000000; /* capture clock */
static uint64_t written, npkts;
static uint8_t junk[65536 + SEG];

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4); /* pcap records: host order (little-endian here) */
}

static void rec(const uint8_t *f, size_t n, unsigned step_us)
{
	uint8_t h[16];

	t_us += step_us;
	put32(h, (uint32_t)(t_us / 1000000));
	put32(h + 4, (uint32_t)(t_us % 1000000));
	put32(h + 8, (uint32_t)n);
	put32(h + 12, (uint32_t)n);
	fwrite(h, 1, 16, out);
	fwrite(f, 1, n, out);
	written += 16 + n;
	npkts++;
}

static void be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v & 0xffff);
}

/* Ethernet + IPv4 + TCP (no options) around len bytes of payload; returns the frame length. */
static size_t tcp_frame(uint8_t *f, const uint8_t smac[6], const uint8_t dmac[6], uint32_t sip,
			uint32_t dip, unsigned sp, unsigned dp, uint32_t seq, uint32_t ack,
			uint8_t flags, const uint8_t *pl, size_t len)
{
	uint8_t *ip = f + 14, *tcp = ip + 20;
	uint32_t sum = 0;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	be16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	be16(ip + 2, (unsigned)(40 + len));
	be16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = 6;
	be32(ip + 12, sip);
	be32(ip + 16, dip);
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	be16(ip + 10, ~sum & 0xffff);
	be16(tcp, sp);
	be16(tcp + 2, dp);
	be32(tcp + 4, seq);
	be32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	be16(tcp + 14, 65535);
	be16(tcp + 16, 0);
	be16(tcp + 18, 0);
	if (len)
		memcpy(tcp + 20, pl, len);
	return 54 + len;
}

static void mac_of(uint8_t m[6], uint32_t ip)
{
	m[0] = 0x02; /* locally administered: no vendor */
	m[1] = 0x42;
	be32(m + 2, ip);
}

/* ---- the management frames to spread ---- */

struct mframe {
	uint32_t len;
	uint8_t *data;
};

static struct mframe *read_mgmt(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	uint8_t gh[24], h[16];
	struct mframe *v = NULL;
	size_t cap = 0;

	*n = 0;
	if (!fp || fread(gh, 1, 24, fp) != 24) {
		fprintf(stderr, "%s: cannot read a pcap header\n", path);
		exit(1);
	}
	while (fread(h, 1, 16, fp) == 16) {
		uint32_t len;

		memcpy(&len, h + 8, 4);
		if (len > SNAP) {
			fprintf(stderr, "%s: record of %u bytes\n", path, len);
			exit(1);
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 4096;
			if (!(v = realloc(v, cap * sizeof(*v))))
				exit(1);
		}
		if (!(v[*n].data = malloc(len ? len : 1)) || fread(v[*n].data, 1, len, fp) != len) {
			fprintf(stderr, "%s: record %zu cut short\n", path, *n + 1);
			exit(1);
		}
		v[(*n)++].len = len;
	}
	fclose(fp);
	return v;
}

/* ---- mix ---- */

struct bulk {
	uint32_t cip, sip, cseq, sseq;
	uint16_t cport, sport;
	uint8_t cmac[6], smac[6];
	unsigned n; /* segments sent */
};

static void mix(uint64_t bytes, const char *mgmt_path)
{
	static uint8_t f[SNAP];
	struct bulk *b = calloc(BULK_FLOWS, sizeof(*b));
	size_t nm, mi = 0, len;
	struct mframe *m = read_mgmt(mgmt_path, &nm);
	uint64_t nbulk = bytes / (16 + 54 + SEG + (16 + 54) / 2) + 1, every, k;
	static const uint16_t ports[] = {445, 2049, 873, 5001, 3260, 9000};

	if (!b)
		exit(1);
	every = nm ? nbulk / nm : nbulk + 1;
	if (!every)
		every = 1;
	for (int i = 0; i < BULK_FLOWS; i++) {
		b[i].cip = 0xc6336400u | (uint32_t)(1 + i % BULK_HOSTS); /* 198.51.100.x clients */
		b[i].sip = 0xcb007100u |
			   (uint32_t)(1 + (i * 7 + i / BULK_HOSTS) % BULK_HOSTS); /* 203.0.113.x */
		b[i].cport = (uint16_t)(40000 + i);
		b[i].sport = ports[i % 6];
		b[i].cseq = 1000u + (uint32_t)i * 7919u;
		b[i].sseq = 5000000u + (uint32_t)i * 104729u;
		mac_of(b[i].cmac, b[i].cip);
		mac_of(b[i].smac, b[i].sip);
	}
	for (k = 0; written < bytes || mi < nm; k++) {
		struct bulk *x = &b[k % BULK_FLOWS];

		if (x->n == 0) { /* a handshake and a request first */
			len = tcp_frame(f, x->cmac, x->smac, x->cip, x->sip, x->cport, x->sport,
					x->cseq, 0, 0x02, NULL, 0);
			rec(f, len, 3);
			len = tcp_frame(f, x->smac, x->cmac, x->sip, x->cip, x->sport, x->cport,
					x->sseq, x->cseq + 1, 0x12, NULL, 0);
			rec(f, len, 3);
			x->cseq++;
			x->sseq++;
			len = tcp_frame(f, x->cmac, x->smac, x->cip, x->sip, x->cport, x->sport,
					x->cseq, x->sseq, 0x18, junk + 7, 64);
			rec(f, len, 3);
			x->cseq += 64;
		}
		len = tcp_frame(f, x->smac, x->cmac, x->sip, x->cip, x->sport, x->cport, x->sseq,
				x->cseq, 0x10, junk + (x->sseq & 0xffff), SEG);
		rec(f, len, 3);
		x->sseq += SEG;
		if (++x->n % 2 == 0) {
			len = tcp_frame(f, x->cmac, x->smac, x->cip, x->sip, x->cport, x->sport,
					x->cseq, x->sseq, 0x10, NULL, 0);
			rec(f, len, 3);
		}
		if (mi < nm && (k % every == every - 1 || written >= bytes)) {
			rec(m[mi].data, m[mi].len, 3);
			mi++;
		}
	}
}

/* ---- scan ---- */

static void scan(uint64_t flows)
{
	static const uint16_t ports[] = {22, 23, 80,   443, 554, 8080, 8443,  161,
					 21, 25, 3389, 445, 139, 8000, 37777, 5000};
	const uint32_t me = 0xc0000201; /* 192.0.2.1 */
	uint8_t f[64], mm[6], tm[6];
	size_t len;

	mac_of(mm, me);
	mac_of(tm, 0xc00002fe); /* the answers come through the router (192.0.2.254) */
	for (uint64_t i = 0; i < flows + SCAN_LAG; i++) {
		if (i < flows) {
			uint32_t dst =
			    0xc6120000u | (uint32_t)((i / 16) * 2654435761u & 0x0001ffff);
			unsigned dp = ports[i % 16];

			len = tcp_frame(f, mm, tm, me, dst, 33000 + (unsigned)(i % 28000), dp,
					(uint32_t)(i * 2654435761u), 0, 0x02, NULL, 0);
			rec(f, len, 2);
		}
		if (i >= SCAN_LAG && (i - SCAN_LAG) % 3 != 2) {
			uint64_t j = i - SCAN_LAG;
			uint32_t dst =
			    0xc6120000u | (uint32_t)((j / 16) * 2654435761u & 0x0001ffff);
			unsigned dp = ports[j % 16];
			uint32_t seq = (uint32_t)(j * 2654435761u);

			len = tcp_frame(f, tm, mm, dst, me, dp, 33000 + (unsigned)(j % 28000),
					j % 3 ? 0 : seq ^ 0x5a5a5a5a, seq + 1, j % 3 ? 0x14 : 0x12,
					NULL, 0);
			rec(f, len, 2);
		}
	}
}

int main(int argc, char **argv)
{
	uint8_t gh[24];
	uint64_t x = 88172645463325252ULL;

	if (argc < 4 || (strcmp(argv[1], "mix") && strcmp(argv[1], "scan")) ||
	    (!strcmp(argv[1], "mix") && argc < 5)) {
		fprintf(stderr, "usage: bench_sniffgen mix OUT MB MGMT.pcap | scan OUT FLOWS\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(junk); i++) { /* bytes no decoder takes for anything */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		junk[i] = (uint8_t)(x >> 32);
	}
	if (!(out = fopen(argv[2], "wb")))
		return perror(argv[2]), 1;
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	put32(gh, 0xa1b2c3d4);
	gh[4] = 2, gh[5] = 0, gh[6] = 4, gh[7] = 0;
	memset(gh + 8, 0, 8);
	put32(gh + 16, SNAP);
	put32(gh + 20, 1);
	fwrite(gh, 1, 24, out);
	written = 24;
	if (!strcmp(argv[1], "mix"))
		mix(strtoull(argv[3], NULL, 10) * 1000000ULL, argv[4]);
	else
		scan(strtoull(argv[3], NULL, 10));
	if (fclose(out))
		return perror(argv[2]), 1;
	fprintf(stderr, "%s: %llu packets, %llu bytes\n", argv[2], (unsigned long long)npkts,
		(unsigned long long)written);
	return 0;
}
