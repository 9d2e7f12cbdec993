/*
 * scan.c - the engine: a pool of at most max_inflight connections, each a
 * probe state machine driven by loop events (connect, write, read) and one
 * deadline per stage; new pairs come lazily from the cyclic permutation at
 * the configured rate.
 *
 * UDP is stateless, as in zmap or masscan: each loop sends every datagram
 * from one unconnected socket per address family and keeps, per waiting
 * pair, only a small record (struct uwait: address, port, probe state,
 * tries, deadline) in a hash keyed by the peer's address and port.  An
 * answer is matched by its source address and port (anything else is
 * stray and dropped); ICMP port unreachable comes back on the socket's error
 * queue (IP_RECVERR) naming the original destination, and counts as
 * refused.  A full connection (and its 20 KiB of buffers) is taken only to
 * read an answer and to open its follow-up (SSDP -> UPnP).  Waiting pairs
 * have their own, much larger cap (max_udp_inflight), so that silent UDP
 * hosts, which end only on deadlines, never hold the TCP slots.
 */
#include "scan.h"

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "cyclic.h"
#include "loop.h"
#include "probe.h"

#include <errno.h>
#include <pthread.h>
#include <netinet/in.h>
#include <string.h>
#include <time.h>

enum { ST_CONNECT = 0, ST_READ };

#define UW_CHUNK 1024	 /* waiting records allocated at once */
#define UW_BUCKETS_MAX (1u << 20)
#define UDP_BURST 512	 /* datagrams read per readiness event before others get a turn */
#define UDP_DEFER 4096	 /* UDP pairs set aside while the UDP cap is full, so that TCP pairs go on */

struct eng;

struct conn {
	struct loop_timer tm;
	struct eng *e;
	struct conn *next; /* free list */
	int fd, stage, tries;
	scan_u128 addr;
	size_t outoff;
	struct sockaddr_storage sa;
	socklen_t salen;
	const struct probe_ops *ops;
	struct probe_ctx pc;
	uint64_t pos;	 /* the pair's position in its loop's slice */
	struct buf pend; /* its observations until it ends (when progress is tracked) */
};

/* A UDP pair waiting for its answer: all the engine keeps of it (see scan_udp_record_size). */
struct uwait {
	struct loop_timer tm;
	struct eng *e;
	struct uwait *hnext; /* hash chain, or free list */
	scan_u128 addr;
	uint64_t pos; /* the pair's position in its loop's slice */
	int state;    /* the probe's state of the variant (group) in flight */
	uint16_t port;
	uint8_t probe, tries;
};

struct eng {
	const struct scan_cfg *cfg;
	struct scan_stats *st;
	struct loop *l;
	struct conn *free;
	struct conn *follow; /* exchanges waiting for their follow-up connection */
	struct conn **all;
	int nall, inflight;
	pthread_mutex_t *mu;	 /* around cfg->emit and cfg->tick when several loops run */
	_Atomic uint64_t *done; /* pairs finished by every loop */
	uint64_t stride, off;	 /* this loop's slice of the permutation */
	double rate;
	int max_inflight, ticker;
	struct scan_slice *sl; /* this loop's progress, NULL when not tracked */
	/* UDP */
	int ufd[2];		  /* AF_INET, AF_INET6 sockets; -1 until needed */
	struct uwait **bucket;	  /* waiting pairs by (address, port) */
	uint64_t bmask;
	struct uwait *ufree;
	struct uwait **chunk; /* UW_CHUNK records each */
	int nchunk, udp_inflight, max_udp;
	struct probe_ctx *scratch; /* builds datagrams (start, again) */
	uint8_t *rx;		   /* one datagram */
	struct buf nopend;	   /* the (empty) observations of a pair that got no answer */
	/* the next pair, drawn but not opened yet (its kind's cap was full) */
	int have_next;
	uint64_t next_idx, next_pos;
	/* UDP pairs drawn while the UDP cap was full, in order: (index, position) */
	uint64_t (*defer)[2];
	int dhead, dlen;
};

size_t scan_udp_record_size(void)
{
	return sizeof(struct uwait);
}

uint64_t scan_shard_size(uint64_t space, uint64_t shard, uint64_t nshards)
{
	return space > shard ? (space - shard + nshards - 1) / nshards : 0;
}

void scan_pair(const struct scan_targets *t, const struct scan_ports *p, uint64_t index, scan_u128 *addr,
	       const struct scan_port **port)
{
	*addr = scan_targets_host(t, index / p->n);
	*port = &p->v[index % p->n];
}

int scan_slice_done(const struct scan_slice *s, uint64_t j)
{
	if (j < s->base)
		return 1;
	if (j >= s->issued || j - s->base >= SCAN_WINDOW)
		return 0;
	return (s->done[(j % SCAN_WINDOW) / 8] >> (j % 8)) & 1;
}

void scan_slice_mark(struct scan_slice *s, uint64_t j)
{
	if (j < s->base || j - s->base >= SCAN_WINDOW)
		return;
	s->done[(j % SCAN_WINDOW) / 8] |= (uint8_t)(1u << (j % 8));
	while ((s->done[(s->base % SCAN_WINDOW) / 8] >> (s->base % 8)) & 1) {
		s->done[(s->base % SCAN_WINDOW) / 8] &= (uint8_t)~(1u << (s->base % 8));
		s->base++;
	}
}

/* An observation kept for its pair's end: the record, then its value's bytes. */
static int keep_obs(struct conn *c, const struct obs *o)
{
	struct obs k = *o;

	k.value = NULL;
	if (buf_add(&c->pend, &k, sizeof(k)) || (o->len && buf_add(&c->pend, o->value, o->len)))
		return TM_ENOMEM;
	return 0;
}

static int emit_cb(void *ctx, const struct obs *o)
{
	struct conn *c = ctx;
	struct eng *e = c->e;

	int rc;

	e->st->obs++;
	if (!e->cfg->emit)
		return 0;
	if (e->sl)
		return keep_obs(c, o);
	if (e->mu)
		pthread_mutex_lock(e->mu);
	rc = e->cfg->emit(e->cfg->emit_ctx, o);
	if (e->mu)
		pthread_mutex_unlock(e->mu);
	return rc;
}

/*
 * c's pair has ended: its observations go out, its position is marked and
 * the caller hears of it, all under one lock, so that a commit made from
 * pair_done never holds half a pair.
 */
static void pair_end(struct eng *e, struct buf *pend, uint64_t pos)
{
	size_t off = 0;
	struct obs o;

	if (e->mu)
		pthread_mutex_lock(e->mu);
	while (e->cfg->emit && off + sizeof(o) <= pend->len) {
		memcpy(&o, pend->p + off, sizeof(o));
		off += sizeof(o);
		o.value = (const uint8_t *)pend->p + off;
		off += o.len;
		e->cfg->emit(e->cfg->emit_ctx, &o);
	}
	buf_reset(pend);
	scan_slice_mark(e->sl, pos);
	if (e->cfg->pair_done)
		e->cfg->pair_done(e->cfg->pair_ctx);
	if (e->mu)
		pthread_mutex_unlock(e->mu);
}

/* A pair is over (pend: its observations): counted, and handed over when progress is tracked. */
static void pair_finished(struct eng *e, struct buf *pend, uint64_t pos)
{
	e->st->done++;
	(*e->done)++;
	if (e->sl)
		pair_end(e, pend, pos);
}

/* Ends c's exchange: runs finish(why) when why >= 0, closes, returns c to the pool. */
static void end(struct conn *c, int why)
{
	struct eng *e = c->e;

	loop_timer_cancel(e->l, &c->tm);
	if (c->fd >= 0) {
		loop_fd_closing(e->l, c->fd); /* the close takes it out of the epoll set: no EPOLL_CTL_DEL */
		e->cfg->xp->close(e->cfg->xp->ctx, c->fd);
		c->fd = -1;
	}
	if (why >= 0)
		c->ops->finish(&c->pc, why);
	if (why == PROBE_END_TIMEOUT)
		e->st->timeouts++;
	if (c->pc.flags & OBS_TRUNCATED)
		e->st->truncated++;
	if (why >= 0 && c->pc.next_probe >= 0 && c->pc.hops == 0) {
		c->next = e->follow; /* opened from the main loop, not inside a callback */
		e->follow = c;
		return;
	}
	probe_ctx_release(&c->pc); /* a grown input buffer goes back now, not when the slot is reused */
	c->next = e->free;
	e->free = c;
	e->inflight--;
	pair_finished(e, &c->pend, c->pos);
}

/* Sends what the probe queued; 0, 1 when some is left, or -1 after ending c. */
static int flush(struct conn *c)
{
	const struct xp *x = c->e->cfg->xp;

	while (c->outoff < c->pc.outlen) {
		ssize_t r = x->write(x->ctx, c->fd, c->pc.out + c->outoff, c->pc.outlen - c->outoff);
		if (r == -EAGAIN || r == -EWOULDBLOCK)
			return 1;
		if (r <= 0) {
			end(c, PROBE_END_RESET);
			return -1;
		}
		c->outoff += (size_t)r;
	}
	c->outoff = c->pc.outlen = 0;
	return 0;
}

static void on_timeout(struct loop *l, void *arg)
{
	struct conn *c = arg;
	const struct scan_cfg *cfg = c->e->cfg;

	(void)l, (void)cfg;
	if (c->stage == ST_CONNECT) {
		c->e->st->timeouts++;
		end(c, -1);
	} else
		end(c, PROBE_END_TIMEOUT);
}

/* The connection came up: start the probe and wait for its answer. */
static void connected(struct conn *c)
{
	struct eng *e = c->e;
	int left;

	e->st->open++;
	c->stage = ST_READ;
	c->ops->start(&c->pc);
	if ((left = flush(c)) < 0)
		return;
	loop_fd_mod(e->l, c->fd, LOOP_READ | (left ? LOOP_WRITE : 0));
	loop_timer_set(e->l, &c->tm, (uint64_t)e->cfg->read_timeout_ms, on_timeout, c);
}

static void on_fd(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct conn *c = arg;
	const struct xp *x = c->e->cfg->xp;
	uint8_t tmp[PROBE_BUF + 1];
	ssize_t r;
	int left;

	(void)l;
	if (c->stage == ST_CONNECT) {
		/* writable without an error: connected, no SO_ERROR to read (one syscall fewer per answer) */
		int cr = (ev & (LOOP_WRITE | LOOP_ERROR)) == LOOP_WRITE ? 0 : x->connect_result(x->ctx, fd);
		if (cr < 0) {
			if (cr == -ECONNREFUSED || cr == -ECONNRESET) /* reset before we looked: closed */
				c->e->st->refused++;
			else
				c->e->st->errors++;
			end(c, -1);
		} else if (!(ev & (LOOP_WRITE | LOOP_ERROR)))
			return; /* not up yet */
		else
			connected(c);
		return;
	}
	if ((ev & LOOP_WRITE) && c->pc.outlen && flush(c) < 0)
		return;
	if (!(ev & (LOOP_READ | LOOP_ERROR)))
		goto rearm;
	r = x->read(x->ctx, fd, tmp, PROBE_BUF - c->pc.inlen + 1);
	if (r == -EAGAIN || r == -EWOULDBLOCK)
		goto rearm;
	if (r < 0) {
		end(c, PROBE_END_RESET);
		return;
	}
	if (r == 0) {
		end(c, PROBE_END_EOF);
		return;
	}
	if (c->ops->input(&c->pc, tmp, (size_t)r) == PROBE_DONE) {
		end(c, PROBE_END_DONE);
		return;
	}
rearm:
	if ((left = flush(c)) >= 0)
		loop_fd_mod(c->e->l, c->fd, LOOP_READ | (left ? LOOP_WRITE : 0));
}

static struct conn *conn_get(struct eng *e)
{
	struct conn *c = e->free, **all;

	if (c) {
		e->free = c->next;
		return c;
	}
	if (!(c = mem_calloc(1, sizeof(*c))))
		return NULL;
	buf_init(&c->pend, 0);
	if (!(all = mem_realloc(e->all, (size_t)(e->nall + 1) * sizeof(*all)))) {
		mem_free(c);
		return NULL;
	}
	e->all = all;
	e->all[e->nall++] = c;
	return c;
}

static void to_sockaddr(scan_u128 a, uint16_t port, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if ((a >> 32) == 0xffff) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr.s_addr = htonl((uint32_t)a);
		*len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		for (int i = 15; i >= 0; i--, a >>= 8)
			s6->sin6_addr.s6_addr[i] = (uint8_t)a;
		*len = sizeof(*s6);
	}
}

/* Sets c up for an exchange with probe on (a, port) over proto (6, 17), at stage, no socket yet. */
static void conn_reset(struct eng *e, struct conn *c, scan_u128 a, uint16_t port, int probe, uint8_t proto, int stage)
{
	char as[46];

	scan_addr_str(a, as);
	c->addr = a;
	to_sockaddr(a, port, &c->sa, &c->salen);
	memset(&c->tm, 0, sizeof(c->tm));
	c->e = e;
	c->fd = -1;
	c->tries = 0;
	c->outoff = 0;
	c->stage = stage;
	c->ops = probe_get(probe);
	probe_ctx_init(&c->pc, probe, as, port, proto, emit_cb, c);
	c->pc.comms = e->cfg->communities;
	c->pc.ncomms = e->cfg->ncommunities;
}

/* Starts c's TCP exchange with probe on (a, port); 0 or TM_EIO/TM_ENOMEM (c is then back in the pool). */
static int start_conn(struct eng *e, struct conn *c, scan_u128 a, uint16_t port, int probe)
{
	const struct scan_cfg *cfg = e->cfg;
	int rc;

	conn_reset(e, c, a, port, probe, 6, ST_CONNECT);
	c->fd = cfg->xp->connect_nonblock(cfg->xp->ctx, SOCK_STREAM, (struct sockaddr *)&c->sa, c->salen);
	if (c->fd < 0) {
		rc = c->fd == -EMFILE || c->fd == -ENFILE || c->fd == -ENOBUFS ? TM_EIO : 0;
		if (c->fd == -ECONNREFUSED)
			e->st->refused++;
		else
			e->st->errors++;
		end(c, -1);
		return rc;
	}
	if ((rc = loop_fd_add(e->l, c->fd, LOOP_WRITE, on_fd, c))) {
		end(c, -1);
		return rc;
	}
	loop_timer_set(e->l, &c->tm, (uint64_t)cfg->connect_timeout_ms, on_timeout, c);
	return 0;
}

/* ---- UDP: the waiting records ---- */

static uint64_t uw_hash(scan_u128 a, uint16_t port)
{
	uint64_t h = (uint64_t)a ^ ((uint64_t)(a >> 64) * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)port << 48);

	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 29);
}

static struct uwait **uw_slot(struct eng *e, scan_u128 a, uint16_t port)
{
	struct uwait **pp = &e->bucket[uw_hash(a, port) & e->bmask];

	while (*pp && ((*pp)->addr != a || (*pp)->port != port))
		pp = &(*pp)->hnext;
	return pp;
}

static struct uwait *uw_get(struct eng *e)
{
	struct uwait *w, **ch;

	if (!e->ufree) {
		if (!(ch = mem_realloc(e->chunk, (size_t)(e->nchunk + 1) * sizeof(*ch))))
			return NULL;
		e->chunk = ch;
		if (!(w = mem_calloc(UW_CHUNK, sizeof(*w))))
			return NULL;
		e->chunk[e->nchunk++] = w;
		for (int i = 0; i < UW_CHUNK; i++) {
			w[i].hnext = e->ufree;
			e->ufree = &w[i];
		}
	}
	w = e->ufree;
	e->ufree = w->hnext;
	memset(w, 0, sizeof(*w));
	return w;
}

/* Takes w out of the hash and its deadline, back to the free list. */
static void uw_drop(struct eng *e, struct uwait *w)
{
	struct uwait **pp = uw_slot(e, w->addr, w->port);

	if (*pp == w)
		*pp = w->hnext;
	loop_timer_cancel(e->l, &w->tm);
	e->udp_inflight--;
	w->hnext = e->ufree;
	e->ufree = w;
}

/* Builds w's datagram (of its state) in the scratch context; 0 when the probe has none. */
static int udp_build(struct eng *e, const struct uwait *w)
{
	const struct probe_ops *ops = probe_get(w->probe);
	struct probe_ctx *c = e->scratch;
	char as[46];

	scan_addr_str(w->addr, as);
	probe_ctx_init(c, w->probe, as, w->port, 17, NULL, NULL);
	c->comms = e->cfg->communities;
	c->ncomms = e->cfg->ncommunities;
	ops->start(c);
	while (c->outlen && c->state < w->state)
		if (!ops->again || !ops->again(c))
			return 0;
	return c->outlen > 0;
}

static void udp_sendto(struct eng *e, const struct uwait *w, const uint8_t *p, size_t n)
{
	const struct xp *x = e->cfg->xp;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = e->ufd[(w->addr >> 32) != 0xffff];
	ssize_t r;

	to_sockaddr(w->addr, w->port, &ss, &len);
	r = x->sendto(x->ctx, fd, p, n, (struct sockaddr *)&ss, len);
	if (r < 0 && r != -EAGAIN && r != -EWOULDBLOCK && r != -ENOBUFS)
		/* an ICMP error of another pair, pending on the socket, was reported here: once more */
		r = x->sendto(x->ctx, fd, p, n, (struct sockaddr *)&ss, len);
	if (r >= 0)
		e->st->datagrams++;
	/* a datagram the kernel would not take is a lost datagram: the retries are for that */
}

/*
 * Sends w's group of variants (the probe's `group` of them, SNMP's v2c and
 * v1 GET of one community), the group after the current one when advance;
 * 0 when there is none.
 */
static int udp_send(struct eng *e, struct uwait *w, int advance)
{
	const struct probe_ops *ops = probe_get(w->probe);
	struct probe_ctx *c = e->scratch;
	int group = ops->group > 1 ? ops->group : 1;

	if (!udp_build(e, w))
		return 0;
	for (int i = 0; advance && i < group; i++)
		if (!ops->again || !ops->again(c))
			return 0;
	w->state = c->state;
	for (int i = 0;;) {
		udp_sendto(e, w, c->out, c->outlen);
		if (++i >= group || !ops->again || !ops->again(c))
			break;
	}
	return 1;
}

static void on_udp_timeout(struct loop *l, void *arg)
{
	struct uwait *w = arg;
	struct eng *e = w->e;

	if (w->tries < e->cfg->retries && udp_send(e, w, 0))
		w->tries++;
	else if (udp_send(e, w, 1))
		w->tries = 0;
	else { /* silent to the end: no answer, nothing to record */
		uint64_t pos = w->pos;
		uw_drop(e, w);
		pair_finished(e, &e->nopend, pos);
		return;
	}
	loop_timer_set(l, &w->tm, (uint64_t)e->cfg->read_timeout_ms, on_udp_timeout, w);
}

static int sa_peer(const struct sockaddr_storage *ss, socklen_t len, scan_u128 *a, uint16_t *port)
{
	if (ss->ss_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		*a = ((scan_u128)0xffff << 32) | ntohl(s4->sin_addr.s_addr);
		*port = ntohs(s4->sin_port);
		return 0;
	}
	if (ss->ss_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		*a = 0;
		for (int i = 0; i < 16; i++)
			*a = (*a << 8) | s6->sin6_addr.s6_addr[i];
		*port = ntohs(s6->sin6_port);
		return 0;
	}
	return -1;
}

/* The waiting pair a datagram from (or an ICMP error about) ss is for, or NULL (stray). */
static struct uwait *udp_match(struct eng *e, const struct sockaddr_storage *ss, socklen_t len)
{
	scan_u128 a;
	uint16_t port;

	if (sa_peer(ss, len, &a, &port))
		return NULL;
	return *uw_slot(e, a, port);
}

/* An answer to w: read by a connection of the pool, like a TCP answer, then w's pair ends with it. */
static void udp_answer(struct eng *e, struct uwait *w, const uint8_t *p, size_t n)
{
	struct conn *c = conn_get(e);
	uint64_t pos = w->pos;

	if (!c) { /* out of memory: the pair ends unread */
		uw_drop(e, w);
		e->st->errors++;
		pair_finished(e, &e->nopend, pos);
		return;
	}
	e->inflight++;
	conn_reset(e, c, w->addr, w->port, w->probe, 17, ST_READ);
	c->pos = pos;
	buf_reset(&c->pend);
	c->pc.state = w->state;
	uw_drop(e, w);
	e->st->open++;
	c->ops->input(&c->pc, p, n); /* one datagram is the whole answer */
	end(c, PROBE_END_DONE);
}

/* Takes everything off fd's error queue: ICMP errors about waiting pairs end them. */
static void udp_errq(struct eng *e, int fd)
{
	const struct xp *x = e->cfg->xp;

	for (int i = 0; i < UDP_BURST; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		struct uwait *w;
		int err = 0;
		uint64_t pos;

		if (!x->recv_err || x->recv_err(x->ctx, fd, (struct sockaddr *)&ss, &len, &err) < 0)
			return;
		if (!(w = udp_match(e, &ss, len))) {
			e->st->stray++;
			continue;
		}
		if (err == ECONNREFUSED)
			e->st->refused++;
		else
			e->st->errors++;
		pos = w->pos;
		uw_drop(e, w);
		pair_finished(e, &e->nopend, pos);
	}
}

static void on_udp(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct eng *e = arg;
	const struct xp *x = e->cfg->xp;

	(void)l;
	if (ev & LOOP_ERROR)
		udp_errq(e, fd);
	for (int i = 0; i < UDP_BURST; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		struct uwait *w;
		ssize_t r = x->recvfrom(x->ctx, fd, e->rx, PROBE_BUF + 1, (struct sockaddr *)&ss, &len);

		if (r == -EAGAIN || r == -EWOULDBLOCK)
			break;
		if (r < 0) { /* a pending ICMP error, reported here: its entry is on the error queue */
			udp_errq(e, fd);
			continue;
		}
		if (!(w = udp_match(e, &ss, len)))
			e->st->stray++; /* late (its pair ended), or from an address or port we did not ask */
		else
			udp_answer(e, w, e->rx, (size_t)r);
	}
}

/* The loop's UDP socket for a's family, opened on first use; -1 after counting the failure. */
static int udp_fd(struct eng *e, scan_u128 a, int *rc)
{
	const struct xp *x = e->cfg->xp;
	int v6 = (a >> 32) != 0xffff, fd;

	if (e->ufd[v6] >= 0)
		return e->ufd[v6];
	if (!x->udp_socket || !x->sendto || !x->recvfrom)
		return -1;
	if ((fd = x->udp_socket(x->ctx, v6 ? AF_INET6 : AF_INET)) < 0) {
		if (fd == -EMFILE || fd == -ENFILE || fd == -ENOBUFS || fd == -ENOMEM)
			*rc = TM_EIO;
		return -1;
	}
	if ((*rc = loop_fd_add(e->l, fd, LOOP_READ, on_udp, e))) {
		x->close(x->ctx, fd);
		return -1;
	}
	return e->ufd[v6] = fd;
}

/* Sends the first datagram(s) of a UDP pair and files its record; 0 or TM_ENOMEM/TM_EIO. */
static int open_udp(struct eng *e, scan_u128 a, const struct scan_port *p, uint64_t pos)
{
	struct uwait *w;
	int rc = 0;

	if (udp_fd(e, a, &rc) < 0) {
		e->st->errors++;
		pair_finished(e, &e->nopend, pos);
		return rc;
	}
	if (!(w = uw_get(e)))
		return TM_ENOMEM;
	w->e = e;
	w->addr = a;
	w->port = p->port;
	w->probe = (uint8_t)p->probe;
	w->pos = pos;
	e->udp_inflight++;
	if (!udp_send(e, w, 0)) { /* nothing to say on this port */
		w->hnext = e->ufree;
		e->ufree = w;
		e->udp_inflight--;
		pair_finished(e, &e->nopend, pos);
		return 0;
	}
	w->hnext = e->bucket[uw_hash(a, w->port) & e->bmask];
	e->bucket[uw_hash(a, w->port) & e->bmask] = w;
	if ((uint64_t)e->udp_inflight > e->st->udp_peak)
		e->st->udp_peak = (uint64_t)e->udp_inflight;
	loop_timer_set(e->l, &w->tm, (uint64_t)e->cfg->read_timeout_ms, on_udp_timeout, w);
	return 0;
}

/* The loop's UDP side: buckets, scratch context, receive buffer; 0 or TM_ENOMEM. */
static int udp_init(struct eng *e)
{
	uint64_t nb = 64;

	e->ufd[0] = e->ufd[1] = -1;
	while (nb < (uint64_t)e->max_udp && nb < UW_BUCKETS_MAX)
		nb <<= 1;
	e->bmask = nb - 1;
	buf_init(&e->nopend, 0);
	if (!(e->bucket = mem_calloc(nb, sizeof(*e->bucket))) || !(e->scratch = mem_calloc(1, sizeof(*e->scratch))) ||
	    !(e->rx = mem_alloc(PROBE_BUF + 1)) || !(e->defer = mem_calloc(UDP_DEFER, sizeof(*e->defer))))
		return TM_ENOMEM;
	return 0;
}

static void udp_fini(struct eng *e)
{
	const struct xp *x = e->cfg->xp;

	for (int i = 0; i < 2; i++)
		if (e->ufd[i] >= 0) {
			loop_fd_del(e->l, e->ufd[i]);
			x->close(x->ctx, e->ufd[i]);
		}
	for (int i = 0; i < e->nchunk; i++)
		mem_free(e->chunk[i]);
	mem_free(e->chunk);
	mem_free(e->bucket);
	if (e->scratch)
		probe_ctx_release(e->scratch);
	mem_free(e->scratch);
	mem_free(e->rx);
	mem_free(e->defer);
	buf_fini(&e->nopend);
}

/* Opens the pair (a, p) at position pos of the slice; 0 or TM_ENOMEM/TM_EIO. */
static int open_pair(struct eng *e, scan_u128 a, const struct scan_port *p, uint64_t pos)
{
	struct conn *c;

	if (p->proto == 17)
		return open_udp(e, a, p, pos);
	if (!(c = conn_get(e)))
		return TM_ENOMEM;
	e->inflight++;
	c->e = e;
	c->pos = pos;
	buf_reset(&c->pend);
	return start_conn(e, c, a, p->port, p->probe);
}

/* Opens the follow-ups asked for (same address, TCP, one hop). */
static void open_follow(struct eng *e)
{
	while (e->follow) {
		struct conn *c = e->follow;
		char path[sizeof(c->pc.next_path)];
		int probe = c->pc.next_probe, hops = c->pc.hops + 1;
		uint16_t port = c->pc.next_port;

		e->follow = c->next;
		memcpy(path, c->pc.next_path, sizeof(path));
		/* still counted in flight and not done: the pair ends with its follow-up */
		c->e = e;
		start_conn(e, c, c->addr, port, probe);
		/* start_conn's probe_ctx_init cleared these: the follow-up's own request */
		memcpy(c->pc.next_path, path, sizeof(path));
		c->pc.hops = hops;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void tick(struct eng *e, uint64_t total)
{
	if (!e->cfg->tick || !e->ticker)
		return;
	if (e->mu)
		pthread_mutex_lock(e->mu);
	e->cfg->tick(e->cfg->tick_ctx, *e->done, total);
	if (e->mu)
		pthread_mutex_unlock(e->mu);
}

/* Whether position pos is inside the loop's window (read under the lock its pairs' ends take). */
static int slice_room(struct eng *e, struct scan_slice *sl, uint64_t pos)
{
	int room;

	if (e->mu)
		pthread_mutex_lock(e->mu);
	room = pos - sl->base < SCAN_WINDOW || pos < sl->base;
	if (e->mu)
		pthread_mutex_unlock(e->mu);
	return room;
}

/* Whether position pos finished before (skip it); else records it as started. */
static int slice_skip(struct eng *e, struct scan_slice *sl, uint64_t pos)
{
	int skip;

	if (e->mu)
		pthread_mutex_lock(e->mu);
	skip = scan_slice_done(sl, pos);
	if (!skip && pos >= sl->issued)
		sl->issued = pos + 1;
	if (e->mu)
		pthread_mutex_unlock(e->mu);
	return skip;
}

/* One event loop over its slice until the slice is done (or *stop). */
static int run_loop(struct eng *e, uint64_t total, char *eb, size_t el)
{
	const struct scan_cfg *cfg = e->cfg;
	struct scan_cyc cyc;
	uint64_t space = cfg->targets->nhosts * cfg->ports->n, issued = 0, idx, pos = 0;
	struct scan_slice *sl = e->sl;
	double start = now_s(), last_tick = 0, t, paused = 0, held_at = 0;
	int exhausted = 0, drawn = 0, rc = 0, h; /* exhausted: open no more; drawn: the slice is all drawn */

	if (scan_cyc_init(&cyc, space, cfg->seed, e->stride, e->off))
		return err_set(eb, el, TM_EINVAL, "scan: target space too large");
	if (!(e->l = loop_new()))
		return err_set(eb, el, TM_EIO, "scan: cannot create the event loop: %s", strerror(errno));
	if (udp_init(e)) {
		udp_fini(e);
		loop_free(e->l);
		return err_set(eb, el, TM_ENOMEM, "scan: out of memory");
	}
	for (;;) {
		t = now_s();
		if (cfg->stop && *cfg->stop)
			exhausted = 1;
		if (!exhausted && cfg->hold && (h = cfg->hold(cfg->hold_ctx))) {
			if (h < 0)
				exhausted = 1;
			else if (!held_at)
				held_at = t; /* the rate's clock stops */
		} else if (held_at) {
			paused += t - held_at;
			held_at = 0;
		}
		while (!exhausted && !held_at && issued < (uint64_t)(e->rate * (t - start - paused)) + 1) {
			const struct scan_port *p;
			scan_u128 a;

			if (e->dlen && e->udp_inflight < e->max_udp) { /* set aside before: they go first */
				uint64_t *d = e->defer[e->dhead];
				e->dhead = (e->dhead + 1) % UDP_DEFER;
				e->dlen--;
				issued++;
				scan_pair(cfg->targets, cfg->ports, d[0], &a, &p);
				if ((rc = open_pair(e, a, p, d[1]))) {
					err_set(eb, el, rc, "scan: cannot open a socket: %s", strerror(errno));
					exhausted = 1;
				}
				continue;
			}
			if (!e->have_next) {
				if (drawn || (sl && !slice_room(e, sl, pos)))
					break; /* all drawn, or the window is full: wait for its first pair */
				if (!scan_cyc_next(&cyc, &idx)) {
					drawn = 1;
					break;
				}
				if (sl && slice_skip(e, sl, pos++))
					continue; /* finished before a resume */
				e->have_next = 1;
				e->next_idx = idx;
				e->next_pos = sl ? pos - 1 : 0;
			}
			scan_pair(cfg->targets, cfg->ports, e->next_idx, &a, &p);
			if (p->proto == 17 && (e->udp_inflight >= e->max_udp || e->dlen)) {
				if (e->dlen == UDP_DEFER)
					break; /* set-aside full too: wait */
				/* the UDP cap is full: set it aside, TCP pairs behind it go on */
				e->defer[(e->dhead + e->dlen++) % UDP_DEFER][0] = e->next_idx;
				e->defer[(e->dhead + e->dlen - 1) % UDP_DEFER][1] = e->next_pos;
				e->have_next = 0;
				continue;
			}
			if (p->proto != 17 && e->inflight >= e->max_inflight)
				break; /* the TCP slots are taken: it goes first when one frees */
			e->have_next = 0;
			issued++;
			if ((rc = open_pair(e, a, p, e->next_pos))) {
				err_set(eb, el, rc, "scan: cannot open a socket: %s (lower --max-inflight?)",
					strerror(errno));
				exhausted = 1;
			}
		}
		open_follow(e);
		if ((exhausted || (drawn && !e->have_next && !e->dlen)) && !e->inflight && !e->follow && !e->udp_inflight)
			break;
		if (loop_once(e->l, 5) < 0 && !rc)
			rc = err_set(eb, el, TM_EIO, "scan: epoll: %s", strerror(errno));
		if (t - last_tick >= 0.25) {
			tick(e, total);
			last_tick = t;
		}
	}
	e->st->elapsed = now_s() - start;
	e->st->conn_peak = (uint64_t)e->nall;
	udp_fini(e);
	for (int i = 0; i < e->nall; i++) {
		buf_fini(&e->all[i]->pend);
		probe_ctx_release(&e->all[i]->pc); /* a pair still open when the scan stopped */
		mem_free(e->all[i]);
	}
	mem_free(e->all);
	loop_free(e->l);
	return rc;
}

struct worker {
	struct eng e;
	struct scan_stats st;
	uint64_t total;
	int rc;
	char eb[TM_ERRLEN];
	pthread_t th;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	w->rc = run_loop(&w->e, w->total, w->eb, sizeof(w->eb));
	return NULL;
}

static void add_stats(struct scan_stats *to, const struct scan_stats *from)
{
	to->done += from->done;
	to->open += from->open;
	to->obs += from->obs;
	to->timeouts += from->timeouts;
	to->truncated += from->truncated;
	to->refused += from->refused;
	to->errors += from->errors;
	to->datagrams += from->datagrams;
	to->stray += from->stray;
	if (from->udp_peak > to->udp_peak)
		to->udp_peak = from->udp_peak;
	if (from->conn_peak > to->conn_peak)
		to->conn_peak = from->conn_peak;
}

int scan_run(const struct scan_cfg *cfg, struct scan_stats *st, char *eb, size_t el)
{
	uint64_t space = cfg->targets->nhosts * cfg->ports->n;
	int n = cfg->threads > 1 ? cfg->threads : 1, started = 0, rc = 0;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	_Atomic uint64_t done = 0;
	struct worker *w;
	double start = now_s();

	memset(st, 0, sizeof(*st));
	if (cfg->nshards < 1 || cfg->shard >= cfg->nshards || cfg->rate <= 0 || cfg->max_inflight < 1 || n > 256)
		return err_set(eb, el, TM_EINVAL, "scan: bad shard, rate, max-inflight or threads");
	if (cfg->progress && cfg->progress->n != n)
		return err_set(eb, el, TM_EINVAL, "scan: progress of %d loops for %d threads", cfg->progress->n, n);
	st->total = scan_shard_size(space, cfg->shard, cfg->nshards);
	if (!(w = mem_calloc((size_t)n, sizeof(*w))))
		return err_set(eb, el, TM_ENOMEM, "scan: out of memory");
	for (int i = 0; i < n; i++) {
		struct eng *e = &w[i].e;
		e->cfg = cfg;
		e->st = &w[i].st;
		e->mu = n > 1 ? &mu : NULL;
		e->done = &done;
		/* loop i takes positions k = shard + nshards * (i + n * j) of the permutation */
		e->stride = cfg->nshards * (uint64_t)n;
		e->off = cfg->shard + cfg->nshards * (uint64_t)i;
		e->rate = cfg->rate / n;
		e->max_inflight = cfg->max_inflight / n > 0 ? cfg->max_inflight / n : 1;
		e->max_udp = (int)((cfg->max_udp_inflight > 0 ? (int64_t)cfg->max_udp_inflight
							       : 16 * (int64_t)cfg->max_inflight) / n);
		if (e->max_udp < 1)
			e->max_udp = 1;
		e->ticker = i == 0;
		e->sl = cfg->progress && i < cfg->progress->n ? &cfg->progress->v[i] : NULL;
		w[i].total = st->total;
	}
	if (n == 1)
		rc = w[0].rc = run_loop(&w[0].e, st->total, eb, el);
	else {
		for (; started < n; started++)
			if (pthread_create(&w[started].th, NULL, worker_main, &w[started])) {
				rc = err_set(eb, el, TM_EIO, "scan: cannot start thread %d", started + 1);
				break;
			}
		for (int i = 0; i < started; i++) {
			pthread_join(w[i].th, NULL);
			if (w[i].rc && !rc)
				rc = err_set(eb, el, w[i].rc, "%s", w[i].eb);
		}
	}
	for (int i = 0; i < n; i++)
		add_stats(st, &w[i].st);
	st->elapsed = now_s() - start;
	if (cfg->tick)
		cfg->tick(cfg->tick_ctx, st->done, st->total);
	mem_free(w);
	return rc;
}
