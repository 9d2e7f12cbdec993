/*
 * scan.c - the engine: a pool of at most max_inflight connections, each a
 * probe state machine driven by loop events (connect, write, read) and one
 * deadline per stage; new pairs come lazily from the cyclic permutation at
 * the configured rate.
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

enum { ST_CONNECT = 0, ST_READ, ST_UDP };

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
};

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
static void pair_end(struct eng *e, struct conn *c)
{
	size_t off = 0;
	struct obs o;

	if (e->mu)
		pthread_mutex_lock(e->mu);
	while (e->cfg->emit && off + sizeof(o) <= c->pend.len) {
		memcpy(&o, c->pend.p + off, sizeof(o));
		off += sizeof(o);
		o.value = (const uint8_t *)c->pend.p + off;
		off += o.len;
		e->cfg->emit(e->cfg->emit_ctx, &o);
	}
	buf_reset(&c->pend);
	scan_slice_mark(e->sl, c->pos);
	if (e->cfg->pair_done)
		e->cfg->pair_done(e->cfg->pair_ctx);
	if (e->mu)
		pthread_mutex_unlock(e->mu);
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
	c->next = e->free;
	e->free = c;
	e->inflight--;
	e->st->done++;
	(*e->done)++;
	if (e->sl)
		pair_end(e, c);
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

	if (c->stage == ST_CONNECT) {
		c->e->st->timeouts++;
		end(c, -1);
	} else if (c->stage == ST_UDP && ((c->tries < cfg->retries && c->pc.outlen) ||
					  (c->ops->again && c->ops->again(&c->pc)))) {
		c->tries = c->tries < cfg->retries ? c->tries + 1 : 0;
		cfg->xp->write(cfg->xp->ctx, c->fd, c->pc.out, c->pc.outlen);
		loop_timer_set(l, &c->tm, (uint64_t)cfg->read_timeout_ms, on_timeout, c);
	} else
		end(c, c->stage == ST_UDP ? -1 : PROBE_END_TIMEOUT);
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
		end(c, c->stage == ST_UDP ? -1 : PROBE_END_RESET);
		return;
	}
	if (r == 0) {
		end(c, c->stage == ST_UDP ? -1 : PROBE_END_EOF);
		return;
	}
	if (c->stage == ST_UDP)
		c->e->st->open++;
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

/* Starts c's exchange with probe on (a, port, proto); 0 or TM_EIO/TM_ENOMEM (c is then back in the pool). */
static int start_conn(struct eng *e, struct conn *c, scan_u128 a, uint16_t port, uint8_t proto, int probe)
{
	const struct scan_cfg *cfg = e->cfg;
	char as[46];
	int udp = proto == 17, rc;

	scan_addr_str(a, as);
	c->addr = a;
	to_sockaddr(a, port, &c->sa, &c->salen);
	memset(&c->tm, 0, sizeof(c->tm));
	c->e = e;
	c->fd = -1;
	c->tries = 0;
	c->outoff = 0;
	c->stage = udp ? ST_UDP : ST_CONNECT;
	c->ops = probe_get(probe);
	probe_ctx_init(&c->pc, probe, as, port, proto, emit_cb, c);
	c->pc.comms = cfg->communities;
	c->pc.ncomms = cfg->ncommunities;
	if (udp) {
		c->ops->start(&c->pc);
		if (!c->pc.outlen) { /* nothing to say on this port */
			end(c, -1);
			return 0;
		}
	}
	c->fd = cfg->xp->connect_nonblock(cfg->xp->ctx, udp ? SOCK_DGRAM : SOCK_STREAM,
					  (struct sockaddr *)&c->sa, c->salen);
	if (c->fd < 0) {
		rc = c->fd == -EMFILE || c->fd == -ENFILE || c->fd == -ENOBUFS ? TM_EIO : 0;
		if (c->fd == -ECONNREFUSED)
			e->st->refused++;
		else
			e->st->errors++;
		end(c, -1);
		return rc;
	}
	if ((rc = loop_fd_add(e->l, c->fd, udp ? LOOP_READ : LOOP_WRITE, on_fd, c))) {
		end(c, -1);
		return rc;
	}
	if (udp)
		cfg->xp->write(cfg->xp->ctx, c->fd, c->pc.out, c->pc.outlen);
	loop_timer_set(e->l, &c->tm, (uint64_t)(udp ? cfg->read_timeout_ms : cfg->connect_timeout_ms), on_timeout,
		       c);
	return 0;
}

/* Opens the pair at index (position pos of the slice); 0 or TM_ENOMEM/TM_EIO. */
static int open_pair(struct eng *e, uint64_t index, uint64_t pos)
{
	const struct scan_port *p;
	struct conn *c;
	scan_u128 a;

	if (!(c = conn_get(e)))
		return TM_ENOMEM;
	e->inflight++;
	c->e = e;
	c->pos = pos;
	buf_reset(&c->pend);
	scan_pair(e->cfg->targets, e->cfg->ports, index, &a, &p);
	return start_conn(e, c, a, p->port, p->proto, p->probe);
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
		start_conn(e, c, c->addr, port, 6, probe);
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
	int exhausted = 0, rc = 0, h;

	if (scan_cyc_init(&cyc, space, cfg->seed, e->stride, e->off))
		return err_set(eb, el, TM_EINVAL, "scan: target space too large");
	if (!(e->l = loop_new()))
		return err_set(eb, el, TM_EIO, "scan: cannot create the event loop: %s", strerror(errno));
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
		while (!exhausted && !held_at && e->inflight < e->max_inflight &&
		       issued < (uint64_t)(e->rate * (t - start - paused)) + 1) {
			if (sl && !slice_room(e, sl, pos))
				break; /* the window is full: wait for its first pair */
			if (!scan_cyc_next(&cyc, &idx)) {
				exhausted = 1;
				break;
			}
			if (sl && slice_skip(e, sl, pos++))
				continue; /* finished before a resume */
			issued++;
			if ((rc = open_pair(e, idx, sl ? pos - 1 : 0))) {
				err_set(eb, el, rc, "scan: cannot open a socket: %s (lower --max-inflight?)",
					strerror(errno));
				exhausted = 1;
			}
		}
		open_follow(e);
		if (exhausted && !e->inflight && !e->follow)
			break;
		if (loop_once(e->l, 5) < 0 && !rc)
			rc = err_set(eb, el, TM_EIO, "scan: epoll: %s", strerror(errno));
		if (t - last_tick >= 0.25) {
			tick(e, total);
			last_tick = t;
		}
	}
	e->st->elapsed = now_s() - start;
	for (int i = 0; i < e->nall; i++) {
		buf_fini(&e->all[i]->pend);
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
