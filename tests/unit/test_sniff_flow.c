/*
 * test_sniff_flow.c - the TCP flow table alone, segments in, flushes out: the
 * exact bytes handed over (in order, reordered, retransmitted, overlapping,
 * before the ISN, across sequence wrap), why and when (server FIN, RST,
 * buffer full, idle, eviction by entries and by buffer pool, end), which
 * side is the server with and without the handshake (without a SYN-ACK the
 * lower port is the server), whether the client spoke first, and the bounds (SYNs
 * alone make no entry, closed flows leave, entries never exceed the limit),
 * flow_each's flows in the order they were made, and the hash growing.
 */
#include "check.h"
#include "sniff/flow.h"

#include <stdlib.h>

struct got {
	int n;
	uint8_t data[8][256];
	size_t len[8];
	int complete[8], asked[8];
	enum flow_why why[8];
	uint16_t sport[8], cport[8];
	uint8_t saddr0[8];
	int v6[8];
};

static void on_flush(void *arg, const struct flow_ep *s, const struct flow_ep *c, int v6, const uint8_t *p,
		     size_t n, int complete, int asked, enum flow_why why, int64_t time)
{
	struct got *g = arg;
	int i = g->n++;

	(void)time;
	if (i >= 8)
		return;
	g->len[i] = n;
	memcpy(g->data[i], p, n < 256 ? n : 256);
	g->complete[i] = complete;
	g->asked[i] = asked;
	g->why[i] = why;
	g->sport[i] = s->port;
	g->cport[i] = c->port;
	g->saddr0[i] = s->addr[3];
	g->v6[i] = v6;
}

/* Client 10.0.0.C:cport, server 10.0.0.S:sport. */
struct conn {
	struct flow_table *t;
	uint8_t c, s;
	uint16_t cport, sport;
	uint32_t cisn, sisn;
	int64_t time;
};

static void seg(struct conn *k, int from_server, uint8_t flags, uint32_t rel, const char *data, size_t n)
{
	struct flow_seg s;

	memset(&s, 0, sizeof(s));
	s.src.addr[0] = s.dst.addr[0] = 10;
	s.src.addr[3] = from_server ? k->s : k->c;
	s.dst.addr[3] = from_server ? k->c : k->s;
	s.src.port = from_server ? k->sport : k->cport;
	s.dst.port = from_server ? k->cport : k->sport;
	s.flags = flags;
	s.seq = (from_server ? k->sisn : k->cisn) + rel;
	s.data = (const uint8_t *)data;
	s.len = n;
	s.time = k->time;
	flow_seg(k->t, &s);
}

#define SRV(k, fl, rel, str) seg((k), 1, (fl), (rel), (str), strlen(str))
#define CLI(k, fl, rel, str) seg((k), 0, (fl), (rel), (str), strlen(str))
#define A FLOW_ACK

static void handshake(struct conn *k)
{
	CLI(k, FLOW_SYN, 0, "");
	SRV(k, FLOW_SYN | A, 0, "");
	CLI(k, A, 1, "");
}

static struct flow_table *mk(struct got *g, size_t max_flows, size_t flow_bytes, size_t max_buf)
{
	struct flow_cfg c = {.max_flows = max_flows, .flow_bytes = flow_bytes, .max_buffered = max_buf,
			     .idle = 60, .flush = on_flush, .arg = g};

	memset(g, 0, sizeof(*g));
	return flow_new(&c);
}

static void test_in_order(void)
{
	struct got g;
	struct conn k = {.c = 1, .s = 2, .cport = 40000, .sport = 22, .cisn = 1000, .sisn = 5000, .time = 100};

	k.t = mk(&g, 0, 0, 0);
	handshake(&k);
	CLI(&k, A, 1, "hello");
	SRV(&k, A, 1, "SSH-2.0-");
	SRV(&k, A, 9, "Test_1.0");
	SRV(&k, A, 17, "\r\n");
	CHECK_INT(g.n, 0);
	SRV(&k, FLOW_FIN | A, 19, "");
	CHECK_INT(g.n, 1);
	CHECK_INT(g.len[0], 18);
	CHECK(!memcmp(g.data[0], "SSH-2.0-Test_1.0\r\n", 18));
	CHECK_INT(g.complete[0], 1);
	CHECK_INT(g.asked[0], 1); /* "hello" came before the server's first byte */
	CHECK_INT(g.why[0], FLOW_WHY_FIN);
	CHECK_INT(g.sport[0], 22);
	CHECK_INT(g.cport[0], 40000);
	CHECK_INT(g.saddr0[0], 2);
	CHECK_INT(g.v6[0], 0);
	CHECK_INT(flow_stats(k.t)->active, 0); /* the server is done: gone */
	CLI(&k, FLOW_FIN | A, 6, "");		/* the rest of the close makes nothing */
	SRV(&k, A, 20, "");
	CHECK_INT(flow_stats(k.t)->active, 0);
	CHECK_INT(flow_stats(k.t)->created, 1);
	CHECK_INT(flow_stats(k.t)->flushed[FLOW_WHY_FIN], 1);
	flow_end(k.t);
	CHECK_INT(g.n, 1);
	flow_free(k.t);
}

/*
 * asked: the client's payload before the server's first byte, in capture
 * order; a client speaking after the server (or sending only empty ACKs)
 * leaves the server's bytes a greeting; a flow made by the client's request
 * (no handshake seen) is asked too, and so is one whose SYN-ACK the capture
 * missed, the server speaking first from the middle of its stream.
 */
static void test_asked(void)
{
	struct got g;
	struct conn k = {.c = 1, .s = 2, .cport = 40100, .sport = 21, .cisn = 1, .sisn = 100, .time = 10};

	k.t = mk(&g, 0, 0, 0);
	handshake(&k);
	SRV(&k, A, 1, "220 ready\r\n");
	CLI(&k, A, 1, "USER x\r\n");
	SRV(&k, A, 12, "331 pw\r\n");
	SRV(&k, FLOW_FIN | A, 20, "");
	k.cport = 40101;
	handshake(&k);
	CLI(&k, A, 1, "");
	SRV(&k, A, 1, "\x01\x02");
	SRV(&k, FLOW_RST, 3, "");
	k.cport = 40102;
	handshake(&k);
	CLI(&k, A, 1, "GET");
	SRV(&k, A, 1, "\x01\x02");
	SRV(&k, FLOW_FIN | A, 3, "");
	k.cport = 40103; /* no handshake: the request makes the flow */
	CLI(&k, A, 1, "GET");
	SRV(&k, A, 1, "\x03");
	k.cport = 40104; /* no handshake, the server first: mid-stream for all we know */
	SRV(&k, A, 900, "\x04\x05");
	flow_end(k.t);
	CHECK_INT(g.n, 5);
	CHECK_INT(g.cport[0], 40100);
	CHECK_INT(g.asked[0], 0);
	CHECK_INT(g.len[0], 19);
	CHECK_INT(g.cport[1], 40101);
	CHECK_INT(g.asked[1], 0);
	CHECK_INT(g.cport[2], 40102);
	CHECK_INT(g.asked[2], 1);
	CHECK_INT(g.cport[3], 40103);
	CHECK_INT(g.asked[3], 1);
	CHECK_INT(g.len[3], 1);
	CHECK_INT(g.cport[4], 40104);
	CHECK_INT(g.asked[4], 1);
	CHECK_INT(g.len[4], 2);
	flow_free(k.t);
}

/*
 * flow_end: the flows with bytes handed over oldest first (least recently
 * seen), those without none; the table empty after it and usable again.
 */
static void test_end(void)
{
	struct got g;
	struct conn k = {.c = 1, .s = 2, .cport = 41000, .sport = 22, .cisn = 1, .sisn = 500, .time = 10};

	k.t = mk(&g, 0, 0, 0);
	SRV(&k, A, 1, "A"); /* flows 41000, 41001 (no byte), 41002 */
	k.cport = 41001;
	handshake(&k);
	k.cport = 41002;
	SRV(&k, A, 1, "C");
	k.cport = 41000; /* A seen again: now the most recent */
	CLI(&k, A, 1, "");
	CHECK_INT(flow_stats(k.t)->active, 3);
	flow_end(k.t);
	CHECK_INT(g.n, 2);
	CHECK_INT(g.cport[0], 41002);
	CHECK_INT(g.cport[1], 41000);
	CHECK_INT(g.why[0], FLOW_WHY_END);
	CHECK_INT(flow_stats(k.t)->active, 0);
	CHECK_INT(flow_stats(k.t)->flushed[FLOW_WHY_END], 2);
	CHECK_INT(flow_stats(k.t)->buffers, 0);
	k.cport = 41000; /* the same key again: a new flow, found again by its next segment */
	SRV(&k, A, 1, "X");
	SRV(&k, A, 2, "Y");
	CHECK_INT(flow_stats(k.t)->active, 1);
	CHECK_INT(flow_stats(k.t)->created, 4);
	flow_end(k.t);
	CHECK_INT(g.n, 3);
	CHECK_INT(g.len[2], 2);
	CHECK(!memcmp(g.data[2], "XY", 2));
	flow_free(k.t);
}

static void test_reorder_retransmit_overlap(void)
{
	struct got g;
	struct conn k = {.c = 1, .s = 2, .cport = 40001, .sport = 80, .cisn = 7, .sisn = 0xfffffff0u, .time = 5};

	/* server ISN near 2^32: the stream wraps */
	k.t = mk(&g, 0, 0, 0);
	handshake(&k);
	SRV(&k, A, 11, "KLMNOPQRST"); /* second before first */
	SRV(&k, A, 21, "UVWXYZ");
	CHECK_INT(g.n, 0);
	SRV(&k, A, 1, "ABCDEFGHIJ");
	SRV(&k, A, 1, "ABCDEFGHIJ");   /* retransmission */
	SRV(&k, A, 6, "FGHIJKLMNO");   /* overlap across the old boundary */
	SRV(&k, A, 0, "zABC");	       /* starts before the ISN + 1: the first byte is cut */
	SRV(&k, FLOW_FIN | A, 27, "");
	CHECK_INT(g.n, 1);
	CHECK_INT(g.len[0], 26);
	CHECK(!memcmp(g.data[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26));
	CHECK_INT(g.complete[0], 1);
	flow_free(k.t);
}

static void test_gap_and_fin_early(void)
{
	struct got g;
	struct conn k = {.c = 3, .s = 4, .cport = 50000, .sport = 21, .cisn = 1, .sisn = 100, .time = 5};

	k.t = mk(&g, 0, 0, 0);
	handshake(&k);
	SRV(&k, A, 1, "220 ");
	SRV(&k, A, 9, "ready\r\n");  /* bytes 4..7 missing */
	SRV(&k, FLOW_FIN | A, 16, ""); /* FIN before the gap is filled: wait */
	CHECK_INT(g.n, 0);
	SRV(&k, A, 5, "FTP ");	       /* late segment fills it: now complete */
	CHECK_INT(g.n, 1);
	CHECK_INT(g.len[0], 15);
	CHECK(!memcmp(g.data[0], "220 FTP ready\r\n", 15));
	CHECK_INT(g.complete[0], 1);
	CHECK_INT(g.why[0], FLOW_WHY_FIN);
	flow_free(k.t);

	/* a gap never filled: the prefix only, at the end of the capture */
	k.t = mk(&g, 0, 0, 0);
	handshake(&k);
	SRV(&k, A, 1, "220 ");
	SRV(&k, A, 9, "ready\r\n");
	SRV(&k, FLOW_FIN | A, 16, "");
	CLI(&k, FLOW_FIN | A, 1, "");
	CHECK_INT(g.n, 0);
	CHECK_INT(flow_stats(k.t)->active, 1);
	flow_end(k.t);
	CHECK_INT(g.n, 1);
	CHECK_INT(g.len[0], 4);
	CHECK_INT(g.complete[0], 0);
	CHECK_INT(g.why[0], FLOW_WHY_END);
	CHECK_INT(flow_stats(k.t)->active, 0);
	flow_free(k.t);
}

static void test_full(void)
{
	struct got g;
	struct conn k = {.c = 1, .s = 2, .cport = 40002, .sport = 443, .cisn = 1, .sisn = 1, .time = 5};

	k.t = mk(&g, 0, 10, 0);
	handshake(&k);
	SRV(&k, A, 1, "0123456");
	CHECK_INT(g.n, 0);
	SRV(&k, A, 8, "789abcdef");
	CHECK_INT(g.n, 1);
	CHECK_INT(g.len[0], 10);
	CHECK(!memcmp(g.data[0], "0123456789", 10));
	CHECK_INT(g.complete[0], 0);
	CHECK_INT(g.why[0], FLOW_WHY_FULL);
	CHECK_INT(flow_stats(k.t)->buffers, 0); /* buffer back in the pool */
	SRV(&k, A, 17, "more");			/* done: nothing more */
	SRV(&k, FLOW_FIN | A, 21, "");
	CHECK_INT(g.n, 1);
	CLI(&k, FLOW_RST, 1, "");
	CHECK_INT(flow_stats(k.t)->active, 0);
	flow_end(k.t);
	CHECK_INT(g.n, 1);
	flow_free(k.t);

	/* exactly flow_bytes and the FIN right after: complete */
	k.t = mk(&g, 0, 4, 0);
	handshake(&k);
	SRV(&k, FLOW_FIN | A, 1, "abcd");
	CHECK_INT(g.n, 1);
	CHECK_INT(g.complete[0], 1);
	CHECK_INT(g.why[0], FLOW_WHY_FIN);
	flow_free(k.t);
}

static void test_rst(void)
{
	struct got g;
	struct conn k = {.c = 1, .s = 2, .cport = 40003, .sport = 23, .cisn = 9, .sisn = 9, .time = 5};

	k.t = mk(&g, 0, 0, 0);
	handshake(&k);
	SRV(&k, A, 1, "login: ");
	CLI(&k, FLOW_RST | A, 1, "");
	CHECK_INT(g.n, 1);
	CHECK_INT(g.len[0], 7);
	CHECK(!memcmp(g.data[0], "login: ", 7));
	CHECK_INT(g.complete[0], 0);
	CHECK_INT(g.why[0], FLOW_WHY_RST);
	CHECK_INT(flow_stats(k.t)->active, 0);
	/* a scanner's SYN, SYN-ACK, RST: no bytes, no call, no entry left */
	k.cport = 40004;
	handshake(&k);
	CLI(&k, FLOW_RST, 1, "");
	CHECK_INT(g.n, 1);
	CHECK_INT(flow_stats(k.t)->active, 0);
	flow_free(k.t);
}

static void test_idle(void)
{
	struct got g;
	struct conn k = {.c = 1, .s = 2, .cport = 40005, .sport = 25, .cisn = 9, .sisn = 9, .time = 1000};
	struct conn o = {.c = 5, .s = 6, .cport = 40006, .sport = 80, .cisn = 1, .sisn = 1, .time = 1000};

	o.t = k.t = mk(&g, 0, 0, 0);
	handshake(&k);
	SRV(&k, A, 1, "220 smtp");
	o.time = 1060; /* exactly idle: not yet */
	handshake(&o);
	CHECK_INT(g.n, 0);
	o.time = 1061;
	SRV(&o, A, 1, "x");
	CHECK_INT(g.n, 1);
	CHECK_INT(g.why[0], FLOW_WHY_IDLE);
	CHECK_INT(g.sport[0], 25);
	CHECK_INT(g.len[0], 8);
	CHECK_INT(flow_stats(k.t)->active, 1);
	flow_end(k.t);
	CHECK_INT(g.n, 2);
	CHECK_INT(g.why[1], FLOW_WHY_END);
	CHECK_INT(g.sport[1], 80);
	flow_free(k.t);
}

static void test_evict(void)
{
	struct got g;
	struct conn k[3];
	struct flow_table *t = mk(&g, 2, 0, 0);

	for (int i = 0; i < 3; i++) {
		k[i] = (struct conn){.t = t, .c = 1, .s = (uint8_t)(10 + i), .cport = 40000, .sport = 80,
				     .cisn = 1, .sisn = 1, .time = 5};
		handshake(&k[i]);
		SRV(&k[i], A, 1, "HTTP/1.0 200 OK\r\n");
	}
	CHECK_INT(g.n, 1);
	CHECK_INT(g.why[0], FLOW_WHY_EVICT);
	CHECK_INT(g.saddr0[0], 10);
	CHECK_INT(flow_stats(t)->active, 2);
	CHECK_INT(flow_stats(t)->evicted, 1);
	/* touching the second makes the third the oldest */
	SRV(&k[1], A, 18, "Server: x\r\n");
	k[0].cport = 40001;
	handshake(&k[0]);
	CHECK_INT(g.n, 2);
	CHECK_INT(g.saddr0[1], 12);
	flow_end(t);
	CHECK_INT(g.n, 3);
	CHECK_INT(g.saddr0[2], 11);
	CHECK_INT(g.len[2], 28);
	flow_free(t);

	/* the buffer pool: room for two buffers; a third flow with data evicts the oldest buffered one */
	t = mk(&g, 100, 16, 32);
	for (int i = 0; i < 3; i++) {
		k[i] = (struct conn){.t = t, .c = 1, .s = (uint8_t)(20 + i), .cport = 40000, .sport = 80,
				     .cisn = 1, .sisn = 1, .time = 5};
		handshake(&k[i]);
	}
	SRV(&k[0], A, 1, "aaa");
	SRV(&k[1], A, 1, "bbb");
	SRV(&k[0], A, 4, "AAA"); /* k[0] most recent in the buffer order */
	CHECK_INT(g.n, 0);
	SRV(&k[2], A, 1, "ccc");
	CHECK_INT(g.n, 1);
	CHECK_INT(g.saddr0[0], 21);
	CHECK_INT(g.why[0], FLOW_WHY_EVICT);
	CHECK_INT(flow_stats(t)->buffers, 2);
	CHECK_INT(flow_stats(t)->buffers_peak, 2);
	flow_end(t);
	CHECK_INT(g.n, 3);
	flow_free(t);
}

static void test_no_handshake(void)
{
	struct got g;
	struct conn k = {.c = 1, .s = 2, .cport = 40010, .sport = 8080, .cisn = 1, .sisn = 77, .time = 5};

	/* capture started mid-stream: the lower port is the server, the stream starts at the first data seen */
	k.t = mk(&g, 0, 0, 0);
	CLI(&k, A, 1, "GET / HTTP/1.0\r\n\r\n");
	SRV(&k, A, 5, "HTTP/1.1 200");
	SRV(&k, A, 17, " OK\r\n");
	flow_end(k.t);
	CHECK_INT(g.n, 1);
	CHECK_INT(g.sport[0], 8080);
	CHECK_INT(g.len[0], 17);
	CHECK(!memcmp(g.data[0], "HTTP/1.1 200 OK\r\n", 17));
	flow_free(k.t);

	/* only the client spoke: nothing handed over */
	k.t = mk(&g, 0, 0, 0);
	CLI(&k, A, 1, "hello");
	flow_end(k.t);
	CHECK_INT(g.n, 0);
	flow_free(k.t);
}

static void test_bounds(void)
{
	struct got g;
	struct flow_table *t = mk(&g, 1000, 64, 0);
	struct conn k = {.t = t, .c = 1, .s = 2, .sport = 80, .cisn = 1, .sisn = 1, .time = 5};

	/* SYNs that get no answer make no entry */
	for (int i = 0; i < 5000; i++) {
		k.cport = (uint16_t)(1024 + i);
		CLI(&k, FLOW_SYN, 0, "");
	}
	CHECK_INT(flow_stats(t)->created, 0);
	/* 100000 half-open flows with data: never more than 1000 entries */
	for (int i = 0; i < 100000; i++) {
		k.c = (uint8_t)(i >> 16);
		k.s = (uint8_t)(i >> 8);
		k.cport = (uint16_t)(1024 + i);
		SRV(&k, FLOW_SYN | A, 0, "");
		SRV(&k, A, 1, "x");
	}
	CHECK_INT(flow_stats(t)->created, 100000);
	CHECK_INT(flow_stats(t)->peak, 1000);
	CHECK_INT(flow_stats(t)->active, 1000);
	CHECK_INT(flow_stats(t)->evicted, 99000);
	CHECK_INT(g.n, 99000);
	flow_end(t);
	CHECK_INT(flow_stats(t)->active, 0);
	CHECK_INT(flow_stats(t)->flushed[FLOW_WHY_END], 1000);
	flow_free(t);
}

static void test_v6(void)
{
	struct got g;
	struct flow_table *t = mk(&g, 0, 0, 0);
	struct flow_seg s;

	memset(&s, 0, sizeof(s));
	s.v6 = 1;
	s.src.addr[0] = 0x20;
	s.src.addr[15] = 9;
	s.src.port = 22;
	s.dst.addr[0] = 0x20;
	s.dst.addr[15] = 1;
	s.dst.port = 50000;
	s.flags = FLOW_SYN | FLOW_ACK;
	s.seq = 10;
	flow_seg(t, &s);
	s.flags = FLOW_ACK | FLOW_FIN;
	s.seq = 11;
	s.data = (const uint8_t *)"SSH-2.0-x\r\n";
	s.len = 11;
	flow_seg(t, &s);
	CHECK_INT(g.n, 1);
	CHECK_INT(g.v6[0], 1);
	CHECK_INT(g.sport[0], 22);
	CHECK_INT(g.complete[0], 1);
	CHECK_STR(flow_why_name(FLOW_WHY_EVICT), "evict");
	flow_free(t);
}

/* Flow i: client 10.i>>8.i.1:40000+i%1000 -> server 10.0.0.2:80, made by the server's SYN-ACK. */
static void syn_ack(struct flow_table *t, unsigned i, uint8_t flags, uint64_t tag)
{
	struct flow_seg s;

	memset(&s, 0, sizeof(s));
	s.src.addr[0] = s.dst.addr[0] = 10;
	s.src.addr[3] = 2;
	s.dst.addr[1] = (uint8_t)(i >> 8);
	s.dst.addr[2] = (uint8_t)i;
	s.dst.addr[3] = 1;
	s.src.port = 80;
	s.dst.port = (uint16_t)(40000 + i % 1000);
	s.flags = flags;
	s.seq = 7;
	s.time = 100;
	s.tag = tag;
	s.off = (int64_t)tag * 10;
	flow_seg(t, &s);
}

struct born_seen {
	uint64_t tag[64];
	int n, bad_off;
};

static void born_cb(void *arg, uint64_t tag, int64_t off)
{
	struct born_seen *b = arg;

	if (off != (int64_t)tag * 10)
		b->bad_off++;
	if (b->n < 64)
		b->tag[b->n] = tag;
	b->n++;
}

/*
 * flow_each gives the flows the table holds, oldest made first, with the
 * tag and offset of the segment that made each: against a model through
 * thousands of flows made, reset and evicted (the log compacted many times).
 */
static void test_born_log(void)
{
	struct got g;
	struct flow_table *t = mk(&g, 16, 0, 0);
	uint64_t live[64];
	int nlive = 0, bad = 0;
	unsigned seed = 7;

	for (unsigned i = 0; i < 3000; i++) {
		seed = seed * 1103515245u + 12345u;
		if (nlive && (seed >> 16) % 3 == 0) { /* reset one of the live flows */
			int j = (int)((seed >> 8) % (unsigned)nlive);

			syn_ack(t, (unsigned)live[j] - 1, FLOW_RST | A, 0);
			memmove(live + j, live + j + 1, (size_t)(nlive - j - 1) * sizeof(*live));
			nlive--;
		}
		syn_ack(t, i, FLOW_SYN | A, i + 1);
		if (nlive == 16) { /* the oldest made is the least recently used: evicted */
			memmove(live, live + 1, 15 * sizeof(*live));
			nlive--;
		}
		live[nlive++] = i + 1;
		if (i % 7 == 0 || i > 2990) {
			struct born_seen b = {.n = 0};

			flow_each(t, born_cb, &b);
			if (b.n != nlive || b.bad_off || memcmp(b.tag, live, (size_t)nlive * sizeof(*live)))
				bad++;
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(flow_stats(t)->active, nlive);
	CHECK(flow_stats(t)->evicted > 100);
	flow_end(t);
	flow_free(t);
}

/* The hash grows with the live flows (from 1024 slots): 5,000 flows, each found again, none made twice. */
static void test_many(void)
{
	struct got g;
	struct flow_table *t = mk(&g, 5000, 0, 0);
	int n = 0;

	for (unsigned i = 0; i < 5000; i++)
		syn_ack(t, i, FLOW_SYN | A, i + 1);
	CHECK_INT(flow_stats(t)->active, 5000);
	for (unsigned i = 0; i < 5000; i++)
		syn_ack(t, i, FLOW_SYN | A, 99999); /* found: not made again */
	CHECK_INT(flow_stats(t)->created, 5000);
	CHECK_INT(flow_stats(t)->evicted, 0);
	for (unsigned i = 0; i < 5000; i += 2)
		syn_ack(t, i, FLOW_RST | A, 0);
	CHECK_INT(flow_stats(t)->active, 2500);
	{
		struct born_seen b = {.n = 0};

		flow_each(t, born_cb, &b);
		n = b.n;
		CHECK_INT(b.tag[0], 2);
		CHECK_INT(b.tag[1], 4);
		CHECK_INT(b.bad_off, 0);
	}
	CHECK_INT(n, 2500);
	for (unsigned i = 1; i < 5000; i += 2)
		syn_ack(t, i, FLOW_RST | A, 0);
	CHECK_INT(flow_stats(t)->active, 0);
	flow_end(t);
	flow_free(t);
}

int main(void)
{
	test_in_order();
	test_asked();
	test_end();
	test_reorder_retransmit_overlap();
	test_gap_and_fin_early();
	test_full();
	test_rst();
	test_idle();
	test_evict();
	test_no_handshake();
	test_bounds();
	test_v6();
	test_born_log();
	test_many();
	return check_done("test_sniff_flow");
}
