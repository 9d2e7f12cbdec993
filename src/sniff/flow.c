/*
 * flow.c - the TCP flow table (flow.h).  Entries live in one array made at
 * creation (calloc: pages are touched only as entries are first used, and
 * freed entries are reused first, so memory follows the number of live
 * flows, never the size of the capture).  An open-addressing hash of entry
 * indices with linear probing and backward-shift deletion finds them; two
 * doubly linked LRU lists through the array order all flows (for idle
 * expiry and eviction when the table is full) and the flows holding a
 * buffer (eviction when the buffer pool is exhausted).  Server bytes are
 * placed at their offset from the server's ISN in a fixed buffer from a
 * pool; a few out-of-order ranges are remembered (in the buffer, before its
 * bytes) so that the contiguous
 * prefix grows when a gap is filled.
 *
 * For sniff --resume, the packet that made each flow is kept in a log in
 * the order the flows were made (an array used as a queue: appended at the
 * tail, a dropped flow's record marked gone, the head moved past gone
 * records, the live ones moved to the front when the tail reaches the end),
 * so that listing the table's flows at a checkpoint reads one array in
 * order -- already sorted when the tags grow with the capture -- instead of
 * walking the LRU list through the whole table.
 */
#include "flow.h"

#include "core/mem.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define NIL UINT32_MAX
#define OOO 4 /* out-of-order ranges remembered per flow */
#define SLOTS_MIN 1024 /* hash slots at first: a few live flows stay in few cache lines and pages */

enum { ST_OPEN = 0, ST_DONE };
/* struct flow's fins, above the FIN bits */
#define F_SRV_SPOKE 8 /* the server has sent payload */
#define F_ASKED 16    /* the client sent payload before the server's first */
#define F_OPENED 32   /* the server's SYN-ACK was seen: its stream's first byte is known */

/*
 * A flow's buffer: the out-of-order ranges (only a flow with bytes placed
 * has any) before the server's bytes.  Kept here, not in the entry, so that
 * an entry is 96 bytes instead of 136: a scan fills the table with flows
 * that never get a byte, and every entry's memory is touched once (the
 * first touch of a page is a fault, in a VM a slow one).
 */
struct sbuf {
	uint32_t ooo_s[OOO], ooo_e[OOO];
	uint8_t nooo;
	uint8_t data[];
};

struct flow {
	struct flow_ep a, b; /* a < b (ep_cmp) */
	uint32_t hash;
	uint32_t prev, next;   /* all flows, most recent at head; next is the free list too */
	uint32_t bprev, bnext; /* flows holding a buffer */
	int64_t last;	       /* capture time of the last segment */
	struct sbuf *buf;
	uint32_t bpos;	       /* its record in the born log */
	uint32_t base;	       /* server sequence number of stream byte 0 */
	uint32_t have;	       /* contiguous bytes from 0 */
	uint32_t fin_off;      /* offset of the server's FIN */
	uint8_t v6;
	uint8_t srv;	       /* 0: a is the server, 1: b */
	uint8_t state;	       /* ST_OPEN, ST_DONE */
	uint8_t based;	       /* base is known */
	uint8_t fins;	       /* bit 0: a sent FIN, bit 1: b; bit 2: server FIN offset known; F_* */
};

/* The segment that made a flow: its tag and offset (flow_seg), and the flow (NIL once dropped). */
struct born {
	uint64_t tag;
	int64_t off;
	uint32_t x;
};

struct flow_table {
	struct flow_cfg c;
	struct born *log;      /* live records in [lhead, ltail), in the order the flows were made */
	uint32_t lhead, ltail, lcap;
	struct flow *e;
	uint32_t nused;	       /* entries ever touched (bump allocator) */
	uint32_t free_head;    /* freed entries */
	uint64_t *slot;	       /* hash << 32 | index + 1, 0 empty */
	uint32_t mask, maxmask; /* slots - 1: grows with the live flows up to maxmask (2 * max_flows) */
	uint32_t head, tail;   /* all flows */
	uint32_t bhead, btail; /* flows with a buffer */
	struct sbuf **pool;    /* free buffers */
	size_t npool, maxbufs;
	struct flow_stats st;
	/*
	 * flow_prefetch's last two segments (the capture layer prefetches the
	 * one after the segment it hands over), their ends in order and hash:
	 * flow_seg of one of them hashes no more.
	 */
	struct {
		struct flow_ep a, b;
		uint32_t h;
		int ok;
	} pf[2];
	unsigned npf;
};

static const char *const why_names[FLOW_WHY_COUNT] = {"fin", "rst", "full", "idle", "evict", "end"};

const char *flow_why_name(enum flow_why w)
{
	return (unsigned)w < FLOW_WHY_COUNT ? why_names[w] : "?";
}

#define HUGE_PAGE ((size_t)2 << 20)

/*
 * Asks for transparent huge pages over the whole 2 MiB pages inside a large
 * block (the entries, the hash slots, the born log): a capture shaped like a
 * scan (a new flow every packet or two) touches them at random, and with
 * 4 KiB pages each touch was a TLB miss and each first touch a page fault --
 * most of the flow table's time on bench/sniff's scan capture.  Memory still
 * follows the flows, in 2 MiB steps.  A hint only: where the system says no
 * (THP "never", an old kernel) nothing changes.
 */
static void huge(void *p, size_t n)
{
	uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);

	if (p && n >= 2 * HUGE_PAGE && e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
}

struct flow_table *flow_new(const struct flow_cfg *c)
{
	struct flow_table *t = mem_calloc(1, sizeof(*t));
	size_t ns = 16;

	if (!t)
		return NULL;
	t->c = *c;
	if (!t->c.max_flows)
		t->c.max_flows = FLOW_DEF_MAX;
	if (t->c.max_flows > (1u << 30))
		t->c.max_flows = 1u << 30;
	if (!t->c.flow_bytes)
		t->c.flow_bytes = FLOW_DEF_BYTES;
	if (t->c.flow_bytes > (1u << 30))
		t->c.flow_bytes = 1u << 30;
	if (!t->c.max_buffered)
		t->c.max_buffered = FLOW_DEF_BUFFERED;
	if (!t->c.idle)
		t->c.idle = FLOW_DEF_IDLE;
	if (!t->c.seed)
		t->c.seed = 0x9e3779b97f4a7c15ULL;
	t->maxbufs = t->c.max_buffered / t->c.flow_bytes;
	if (!t->maxbufs)
		t->maxbufs = 1;
	while (ns < 2 * t->c.max_flows)
		ns <<= 1;
	t->maxmask = (uint32_t)(ns - 1);
	t->mask = t->maxmask < SLOTS_MIN - 1 ? t->maxmask : SLOTS_MIN - 1;
	t->e = mem_calloc(t->c.max_flows, sizeof(*t->e));
	t->slot = mem_calloc((size_t)t->mask + 1, sizeof(*t->slot));
	t->pool = mem_calloc(t->maxbufs, sizeof(*t->pool));
	t->lcap = (uint32_t)(t->c.max_flows + t->c.max_flows / 2 + 16);
	t->log = mem_calloc(t->lcap, sizeof(*t->log));
	if (!t->e || !t->slot || !t->pool || !t->log) {
		flow_free(t);
		return NULL;
	}
	huge(t->e, (size_t)t->c.max_flows * sizeof(*t->e));
	huge(t->log, (size_t)t->lcap * sizeof(*t->log));
	t->free_head = t->head = t->tail = t->bhead = t->btail = NIL;
	return t;
}

static void release_buf(struct flow_table *t, struct flow *f);

void flow_free(struct flow_table *t)
{
	if (!t)
		return;
	if (t->e)
		for (uint32_t i = 0; i < t->nused; i++)
			if (t->e[i].buf)
				release_buf(t, &t->e[i]);
	if (t->pool)
		for (size_t i = 0; i < t->npool; i++)
			mem_free(t->pool[i]);
	mem_free(t->pool);
	mem_free(t->log);
	mem_free(t->slot);
	mem_free(t->e);
	mem_free(t);
}

const struct flow_stats *flow_stats(const struct flow_table *t)
{
	return &t->st;
}

/* ---- keys and the hash ---- */

/*
 * A total order on endpoints, to put a flow's two ends in one order whatever
 * the direction: the address as two native 64-bit words, then the port (not
 * memcmp's byte order, which costs a library call a packet).
 */
static int ep_cmp(const struct flow_ep *x, const struct flow_ep *y)
{
	uint64_t a[2], b[2];

	memcpy(a, x->addr, 16);
	memcpy(b, y->addr, 16);
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (a[1] != b[1])
		return a[1] < b[1] ? -1 : 1;
	return (int)x->port - (int)y->port;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v * 0xff51afd7ed558ccdULL;
	h = (h << 31 | h >> 33) * 0xc4ceb9fe1a85ec53ULL;
	return h;
}

static uint32_t key_hash(const struct flow_table *t, const struct flow_ep *a, const struct flow_ep *b)
{
	uint64_t w[4], h = t->c.seed;

	memcpy(w, a->addr, 16);
	memcpy(w + 2, b->addr, 16);
	for (int i = 0; i < 4; i++)
		h = mix(h, w[i]);
	h = mix(h, (uint64_t)a->port << 16 | b->port);
	h ^= h >> 29;
	return (uint32_t)h;
}

static int ep_eq(const struct flow_ep *x, const struct flow_ep *y)
{
	uint64_t a[2], b[2];

	memcpy(a, x->addr, 16);
	memcpy(b, y->addr, 16);
	return x->port == y->port && a[0] == b[0] && a[1] == b[1];
}

static int key_eq(const struct flow *f, const struct flow_ep *a, const struct flow_ep *b)
{
	return ep_eq(&f->a, a) && ep_eq(&f->b, b);
}

/* The slots hold the hash too: a probe that is not the flow never touches its entry. */
static uint32_t find(const struct flow_table *t, uint32_t h, const struct flow_ep *a, const struct flow_ep *b)
{
	for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
		uint64_t s = t->slot[i];

		if (!s)
			return NIL;
		if ((uint32_t)(s >> 32) == h && key_eq(&t->e[(uint32_t)s - 1], a, b))
			return (uint32_t)s - 1;
	}
}

static void slot_put(uint64_t *slot, uint32_t mask, uint64_t v)
{
	uint32_t i = (uint32_t)(v >> 32) & mask;

	while (slot[i])
		i = (i + 1) & mask;
	slot[i] = v;
}

static void slot_add(struct flow_table *t, uint32_t idx)
{
	slot_put(t->slot, t->mask, (uint64_t)t->e[idx].hash << 32 | (idx + 1));
}

/* Twice the slots (while below 2 * max_flows); nonzero when that cannot be had. */
static int slot_grow(struct flow_table *t)
{
	uint32_t mask = t->mask * 2 + 1;
	uint64_t *v;

	/*
	 * Not calloc: the rehash below reads a slot before it writes it, and a
	 * fresh page first read maps the zero page, then faults again when
	 * written (two faults a page, slow in a VM); memset writes each page
	 * once, in order, after the huge-page hint.
	 */
	if (t->mask >= t->maxmask || !(v = mem_alloc(((size_t)mask + 1) * sizeof(*v))))
		return -1;
	huge(v, ((size_t)mask + 1) * sizeof(*v));
	memset(v, 0, ((size_t)mask + 1) * sizeof(*v));
	for (size_t i = 0; i <= t->mask; i++)
		if (t->slot[i])
			slot_put(v, mask, t->slot[i]);
	mem_free(t->slot);
	t->slot = v;
	t->mask = mask;
	return 0;
}

/* Backward-shift deletion: no tombstones, probe chains stay short. */
static void slot_del(struct flow_table *t, uint32_t idx)
{
	uint64_t want = (uint64_t)t->e[idx].hash << 32 | (idx + 1);
	uint32_t i = t->e[idx].hash & t->mask, j, k;

	while (t->slot[i] != want)
		i = (i + 1) & t->mask;
	for (j = i;;) {
		t->slot[i] = 0;
		for (;;) {
			j = (j + 1) & t->mask;
			if (!t->slot[j])
				return;
			k = (uint32_t)(t->slot[j] >> 32) & t->mask;
			/* move j back to i unless its home k lies cyclically in (i, j] */
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		t->slot[i] = t->slot[j];
		i = j;
	}
}

/* ---- the two LRU lists ---- */

static void lru_unlink(struct flow_table *t, uint32_t x)
{
	struct flow *f = &t->e[x];

	if (f->prev != NIL)
		t->e[f->prev].next = f->next;
	else
		t->head = f->next;
	if (f->next != NIL)
		t->e[f->next].prev = f->prev;
	else
		t->tail = f->prev;
}

static void lru_push(struct flow_table *t, uint32_t x)
{
	struct flow *f = &t->e[x];

	f->prev = NIL;
	f->next = t->head;
	if (t->head != NIL)
		t->e[t->head].prev = x;
	t->head = x;
	if (t->tail == NIL)
		t->tail = x;
}

static void blru_unlink(struct flow_table *t, uint32_t x)
{
	struct flow *f = &t->e[x];

	if (f->bprev != NIL)
		t->e[f->bprev].bnext = f->bnext;
	else
		t->bhead = f->bnext;
	if (f->bnext != NIL)
		t->e[f->bnext].bprev = f->bprev;
	else
		t->btail = f->bprev;
}

static void blru_push(struct flow_table *t, uint32_t x)
{
	struct flow *f = &t->e[x];

	f->bprev = NIL;
	f->bnext = t->bhead;
	if (t->bhead != NIL)
		t->e[t->bhead].bprev = x;
	t->bhead = x;
	if (t->btail == NIL)
		t->btail = x;
}

/* ---- buffers ---- */

static void release_buf(struct flow_table *t, struct flow *f)
{
	blru_unlink(t, (uint32_t)(f - t->e));
	if (t->npool < t->maxbufs)
		t->pool[t->npool++] = f->buf;
	else
		mem_free(f->buf);
	f->buf = NULL;
	t->st.buffers--;
}

/* ---- handing over and dropping ---- */

static void hand_over(struct flow_table *t, struct flow *f, enum flow_why why)
{
	const struct flow_ep *s = f->srv ? &f->b : &f->a, *c = f->srv ? &f->a : &f->b;
	int complete = (f->fins & 4) && f->have >= f->fin_off;

	if (f->state == ST_OPEN && f->have && f->buf) {
		t->st.flushed[why]++;
		t->c.flush(t->c.arg, s, c, f->v6, f->buf->data, f->have, complete,
			   (f->fins & F_ASKED) || !(f->fins & F_OPENED), why, f->last);
	}
	f->state = ST_DONE;
	if (f->buf)
		release_buf(t, f);
}

/* ---- the born log ---- */

static void log_add(struct flow_table *t, uint32_t x, uint64_t tag, int64_t off)
{
	if (t->ltail == t->lcap) { /* live records (fewer than max_flows) to the front */
		uint32_t n = 0;

		for (uint32_t i = t->lhead; i < t->ltail; i++) {
			if (t->log[i].x == NIL)
				continue;
			t->log[n] = t->log[i];
			t->e[t->log[n].x].bpos = n;
			n++;
		}
		t->lhead = 0;
		t->ltail = n;
	}
	t->log[t->ltail].tag = tag;
	t->log[t->ltail].off = off;
	t->log[t->ltail].x = x;
	t->e[x].bpos = t->ltail++;
}

static void log_del(struct flow_table *t, uint32_t x)
{
	t->log[t->e[x].bpos].x = NIL;
	while (t->lhead < t->ltail && t->log[t->lhead].x == NIL)
		t->lhead++;
}

static void drop(struct flow_table *t, uint32_t x, enum flow_why why)
{
	hand_over(t, &t->e[x], why);
	log_del(t, x);
	slot_del(t, x);
	lru_unlink(t, x);
	t->e[x].next = t->free_head;
	t->free_head = x;
	t->st.active--;
}

/* A buffer for flow x: from the pool, new, or taken from the flow that had one longest unused. */
static struct sbuf *get_buf(struct flow_table *t, uint32_t x)
{
	struct sbuf *b = NULL;

	if (t->npool)
		b = t->pool[--t->npool];
	else if (t->st.buffers < t->maxbufs)
		b = mem_alloc(sizeof(*b) + t->c.flow_bytes);
	else if (t->btail != NIL && t->btail != x) {
		t->st.evicted++;
		drop(t, t->btail, FLOW_WHY_EVICT);
		if (t->npool)
			b = t->pool[--t->npool];
	}
	if (!b)
		return NULL;
	b->nooo = 0;
	t->e[x].buf = b;
	blru_push(t, x);
	if (++t->st.buffers > t->st.buffers_peak)
		t->st.buffers_peak = t->st.buffers;
	return b;
}

static uint32_t make(struct flow_table *t, uint32_t h, const struct flow_ep *a, const struct flow_ep *b, int v6,
		     const struct flow_seg *s)
{
	uint32_t x;
	struct flow *f;

	/* full: the entries, or the slots (at most half used) when they cannot grow */
	if (t->st.active >= t->c.max_flows || (t->st.active >= (t->mask + 1) / 2 && slot_grow(t))) {
		t->st.evicted++;
		drop(t, t->tail, FLOW_WHY_EVICT);
	}
	if (t->free_head != NIL) {
		x = t->free_head;
		t->free_head = t->e[x].next;
	} else {
		x = t->nused++;
	}
	f = &t->e[x];
	memset(f, 0, sizeof(*f));
	f->a = *a;
	f->b = *b;
	f->v6 = (uint8_t)v6;
	f->hash = h;
	f->bprev = f->bnext = NIL;
	log_add(t, x, s->tag, s->off);
	slot_add(t, x);
	lru_push(t, x);
	t->st.created++;
	if (++t->st.active > t->st.peak)
		t->st.peak = t->st.active;
	return x;
}

/* ---- placing server bytes ---- */

static void grow_prefix(struct flow *f)
{
	struct sbuf *b = f->buf;
	int again = 1;

	while (again) {
		again = 0;
		for (int i = 0; i < b->nooo; i++) {
			if (b->ooo_s[i] > f->have)
				continue;
			if (b->ooo_e[i] > f->have)
				f->have = b->ooo_e[i];
			b->ooo_s[i] = b->ooo_s[b->nooo - 1];
			b->ooo_e[i] = b->ooo_e[b->nooo - 1];
			b->nooo--;
			again = 1;
			break;
		}
	}
}

static void add_range(struct sbuf *b, uint32_t s, uint32_t e)
{
	for (int i = 0; i < b->nooo; i++) {
		if (s > b->ooo_e[i] || e < b->ooo_s[i])
			continue;
		if (s < b->ooo_s[i])
			b->ooo_s[i] = s;
		if (e > b->ooo_e[i])
			b->ooo_e[i] = e;
		return; /* overlapping several ranges: the others merge when the prefix reaches them */
	}
	if (b->nooo < OOO) {
		b->ooo_s[b->nooo] = s;
		b->ooo_e[b->nooo++] = e;
	}
	/* else forgotten: a retransmission brings it again */
}

/* Server data at sequence number seq (already past any SYN). */
static void place(struct flow_table *t, uint32_t x, uint32_t seq, const uint8_t *p, size_t n)
{
	struct flow *f = &t->e[x];
	int64_t start = (int32_t)(seq - f->base), end = start + (int64_t)n, lim = (int64_t)t->c.flow_bytes;
	size_t skip = 0;

	if (end <= 0 || start >= lim || end <= (int64_t)f->have)
		return;
	if (start < 0) {
		skip = (size_t)-start;
		start = 0;
	}
	if (end > lim)
		end = lim;
	if (!f->buf && !get_buf(t, x))
		return;
	memcpy(f->buf->data + start, p + skip, (size_t)(end - start));
	if (t->bhead != x) {
		blru_unlink(t, x);
		blru_push(t, x);
	}
	if (start <= (int64_t)f->have) {
		f->have = (uint32_t)end;
		grow_prefix(f);
	} else {
		add_range(f->buf, (uint32_t)start, (uint32_t)end);
	}
}

/* After server bytes or a server FIN: hand over when the stream is done. */
static void check_done(struct flow_table *t, uint32_t x)
{
	struct flow *f = &t->e[x];

	if ((f->fins & 4) && f->have >= f->fin_off)
		hand_over(t, f, FLOW_WHY_FIN);
	else if (f->have >= t->c.flow_bytes)
		hand_over(t, f, FLOW_WHY_FULL);
}

static void expire(struct flow_table *t, int64_t now)
{
	while (t->tail != NIL && t->e[t->tail].last + t->c.idle < now)
		drop(t, t->tail, FLOW_WHY_IDLE);
}

void flow_seg(struct flow_table *t, const struct flow_seg *s)
{
	const struct flow_ep *a = &s->src, *b = &s->dst;
	int from_b = ep_cmp(&s->src, &s->dst) > 0, from_srv, syn = !!(s->flags & FLOW_SYN);
	uint32_t h, x, seq;
	struct flow *f;

	if (from_b) {
		a = &s->dst;
		b = &s->src;
	}
	expire(t, s->time);
	if (t->pf[0].ok && ep_eq(&t->pf[0].a, a) && ep_eq(&t->pf[0].b, b))
		h = t->pf[0].h;
	else if (t->pf[1].ok && ep_eq(&t->pf[1].a, a) && ep_eq(&t->pf[1].b, b))
		h = t->pf[1].h;
	else
		h = key_hash(t, a, b);
	x = find(t, h, a, b);
	if (x == NIL) {
		if ((s->flags & FLOW_RST) || (!s->len && !(syn && (s->flags & FLOW_ACK))) || s->no_new)
			return; /* nothing to learn from: no entry */
		x = make(t, h, a, b, s->v6, s);
		f = &t->e[x];
		if (syn)
			f->srv = (uint8_t)((s->flags & FLOW_ACK) ? from_b : !from_b);
		else
			f->srv = (uint8_t)(a->port <= b->port ? 0 : 1);
	} else if (t->head != x) {
		lru_unlink(t, x);
		lru_push(t, x);
	}
	f = &t->e[x];
	f->last = s->time;
	if (f->state == ST_DONE) {
		/* the stream was handed over: one lookup, then only the close matters */
		if (s->flags & FLOW_RST)
			drop(t, x, FLOW_WHY_RST);
		else if ((s->flags & FLOW_FIN) && from_b == f->srv)
			drop(t, x, FLOW_WHY_FIN); /* the server is done sending */
		return;
	}
	from_srv = from_b == f->srv;
	if (s->len)
		f->fins |= from_srv ? F_SRV_SPOKE : (f->fins & F_SRV_SPOKE) ? 0 : F_ASKED;
	if (syn && from_srv && !(f->fins & F_SRV_SPOKE))
		f->fins |= F_OPENED;
	seq = s->seq + (uint32_t)syn;
	if (from_srv && !f->based && (syn || s->len)) {
		f->base = seq;
		f->based = 1;
	}
	if (from_srv && s->len && f->based)
		place(t, x, seq, s->data, s->len);
	if (s->flags & FLOW_RST) {
		drop(t, x, FLOW_WHY_RST);
		return;
	}
	if (s->flags & FLOW_FIN) {
		f->fins |= (uint8_t)(1 << from_b);
		if (from_srv && f->based) {
			f->fin_off = seq + (uint32_t)s->len - f->base;
			f->fins |= 4;
		}
	}
	if (from_srv)
		check_done(t, x);
	/* the server finished and everything up to its FIN is in (or it never sent a byte): gone */
	if (from_srv && (s->flags & FLOW_FIN) && (f->state == ST_DONE || !f->based))
		drop(t, x, FLOW_WHY_FIN);
	else if ((f->fins & 3) == 3 && (!(f->fins & 4) || f->have >= f->fin_off))
		drop(t, x, FLOW_WHY_FIN);
}

void flow_prefetch(struct flow_table *t, const struct flow_ep *src, const struct flow_ep *dst)
{
	const struct flow_ep *a = src, *b = dst;
	unsigned i = t->npf++ & 1;

	if (ep_cmp(src, dst) > 0) {
		a = dst;
		b = src;
	}
	t->pf[i].a = *a;
	t->pf[i].b = *b;
	t->pf[i].h = key_hash(t, a, b);
	t->pf[i].ok = 1;
	__builtin_prefetch(&t->slot[t->pf[i].h & t->mask]);
}

void flow_each(const struct flow_table *t, void (*fn)(void *arg, uint64_t tag, int64_t off), void *arg)
{
	for (uint32_t i = t->lhead; i < t->ltail; i++)
		if (t->log[i].x != NIL)
			fn(arg, t->log[i].tag, t->log[i].off);
}

/*
 * Every flow handed over, oldest first (the order of their observations, as
 * dropping them one by one would), then the table emptied at once: no slot,
 * list or log work a flow, where a scan leaves hundreds of thousands of
 * flows that never carried a byte.  The flush callback must not call back
 * into the table (the capture layer's only writes observations).
 */
void flow_end(struct flow_table *t)
{
	for (uint32_t x = t->tail; x != NIL; x = t->e[x].prev)
		hand_over(t, &t->e[x], FLOW_WHY_END);
	memset(t->slot, 0, ((size_t)t->mask + 1) * sizeof(*t->slot));
	t->lhead = t->ltail = 0;
	t->nused = 0;
	t->free_head = t->head = t->tail = t->bhead = t->btail = NIL;
	t->st.active = 0;
}
