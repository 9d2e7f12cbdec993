/*
 * loop.c - epoll plus a hashed timer wheel: LOOP_SLOTS slots of LOOP_TICK
 * milliseconds; a timer further out than one turn sits in its slot until its
 * deadline comes round (checked against `when`).
 */
#include "loop.h"

#include "../core/err.h"
#include "../core/mem.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define LOOP_TICK 2
#define LOOP_SLOTS 4096
#define LOOP_BATCH 256

struct fdent {
	loop_fd_fn fn;
	void *arg;
};

struct loop {
	int ep;
	uint64_t now, tick; /* tick: last slot processed */
	struct fdent *fds;
	int nfds;
	long ntimers;
	struct loop_timer slot[LOOP_SLOTS]; /* list heads */
};

static uint64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct loop *loop_new(void)
{
	struct loop *l = mem_calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	if ((l->ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		mem_free(l);
		return NULL;
	}
	for (int i = 0; i < LOOP_SLOTS; i++)
		l->slot[i].prev = l->slot[i].next = &l->slot[i];
	l->now = clock_ms();
	l->tick = l->now / LOOP_TICK;
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	close(l->ep);
	mem_free(l->fds);
	mem_free(l);
}

uint64_t loop_now(const struct loop *l)
{
	return l->now;
}

long loop_timers(const struct loop *l)
{
	return l->ntimers;
}

static uint32_t ev_of(unsigned mask)
{
	return (mask & LOOP_READ ? EPOLLIN | EPOLLRDHUP : 0) | (mask & LOOP_WRITE ? EPOLLOUT : 0);
}

int loop_fd_add(struct loop *l, int fd, unsigned mask, loop_fd_fn fn, void *arg)
{
	struct epoll_event ev = {.events = ev_of(mask), .data.fd = fd};

	if (fd < 0)
		return TM_EINVAL;
	if (fd >= l->nfds) {
		int n = fd + 1 > l->nfds * 2 ? fd + 1 : l->nfds * 2;
		struct fdent *f = mem_realloc(l->fds, (size_t)n * sizeof(*f));
		if (!f)
			return TM_ENOMEM;
		memset(f + l->nfds, 0, (size_t)(n - l->nfds) * sizeof(*f));
		l->fds = f;
		l->nfds = n;
	}
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev))
		return TM_EIO;
	l->fds[fd].fn = fn;
	l->fds[fd].arg = arg;
	return 0;
}

int loop_fd_mod(struct loop *l, int fd, unsigned mask)
{
	struct epoll_event ev = {.events = ev_of(mask), .data.fd = fd};

	return epoll_ctl(l->ep, EPOLL_CTL_MOD, fd, &ev) ? TM_EIO : 0;
}

void loop_fd_del(struct loop *l, int fd)
{
	if (fd < 0 || fd >= l->nfds)
		return;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, fd, NULL);
	l->fds[fd].fn = NULL;
	l->fds[fd].arg = NULL;
}

void loop_fd_closing(struct loop *l, int fd)
{
	if (fd < 0 || fd >= l->nfds)
		return;
	l->fds[fd].fn = NULL;
	l->fds[fd].arg = NULL;
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	if (!t->armed)
		return;
	t->prev->next = t->next;
	t->next->prev = t->prev;
	t->prev = t->next = NULL;
	t->armed = 0;
	l->ntimers--;
}

void loop_timer_set(struct loop *l, struct loop_timer *t, uint64_t delay_ms, loop_timer_fn fn, void *arg)
{
	struct loop_timer *h;
	uint64_t tick;

	loop_timer_cancel(l, t);
	t->when = l->now + delay_ms;
	t->fn = fn;
	t->arg = arg;
	tick = (t->when + LOOP_TICK - 1) / LOOP_TICK;
	if (tick <= l->tick)
		tick = l->tick + 1;
	h = &l->slot[tick % LOOP_SLOTS];
	t->next = h;
	t->prev = h->prev;
	h->prev->next = t;
	h->prev = t;
	t->armed = 1;
	l->ntimers++;
}

/* Fires every armed timer whose deadline has passed, slot by slot up to now. */
static int run_timers(struct loop *l)
{
	uint64_t end = l->now / LOOP_TICK;
	int ran = 0;

	if (end - l->tick > LOOP_SLOTS)
		l->tick = end - LOOP_SLOTS;
	for (; l->tick < end; ) {
		struct loop_timer *h = &l->slot[++l->tick % LOOP_SLOTS], *t, *nx;
		for (t = h->next; t != h; t = nx) {
			nx = t->next;
			if (t->when > l->now)
				continue;
			loop_timer_cancel(l, t);
			t->fn(l, t->arg);
			ran++;
			nx = h->next; /* the callback may have changed this slot: start again */
		}
	}
	return ran;
}

int loop_once(struct loop *l, int max_wait_ms)
{
	struct epoll_event ev[LOOP_BATCH];
	int n, ran = 0;

	if (l->ntimers && max_wait_ms > LOOP_TICK)
		max_wait_ms = LOOP_TICK;
	n = epoll_wait(l->ep, ev, LOOP_BATCH, max_wait_ms);
	if (n < 0 && errno != EINTR)
		return TM_EIO;
	l->now = clock_ms();
	for (int i = 0; i < n; i++) {
		int fd = ev[i].data.fd;
		unsigned m = (ev[i].events & (EPOLLIN | EPOLLRDHUP) ? LOOP_READ : 0) |
			     (ev[i].events & EPOLLOUT ? LOOP_WRITE : 0) |
			     (ev[i].events & (EPOLLERR | EPOLLHUP) ? LOOP_ERROR : 0);
		if (fd < l->nfds && l->fds[fd].fn) {
			l->fds[fd].fn(l, fd, m, l->fds[fd].arg);
			ran++;
		}
	}
	return ran + run_timers(l);
}
