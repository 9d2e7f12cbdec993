/*
 * test_scan_wq.c - the scanner's write queue (src/store/wq.h): items written
 * in push order by one thread, back-pressure at the bound of bytes and of
 * items, pending items written at close, and the writer's first error
 * stopping the writing (later items released unwritten, pushes refused).
 */
#include "check.h"

#include "core/err.h"
#include "core/mem.h"
#include "store/wq.h"

#include <pthread.h>
#include <unistd.h>

struct titem {
	struct wq_item it;
	int producer, seq;
};

#define MAXW 20000

struct tctx {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int gate_closed;    /* the writer waits while set */
	int fail_at;	    /* fail the write of this many-th item (0-based), -1 never */
	int nw;		    /* writes attempted */
	int wp[MAXW], ws[MAXW]; /* written: producer, seq */
	int nwritten;
	int released;
	int writer_usleep;
	pthread_t writer; /* the thread that wrote the first item */
	int other_thread; /* a write came from a second thread */
};

static int t_write(void *vc, struct wq_item *it)
{
	struct tctx *c = vc;
	struct titem *t = (struct titem *)it;
	int rc = 0;

	pthread_mutex_lock(&c->mu);
	while (c->gate_closed)
		pthread_cond_wait(&c->cv, &c->mu);
	if (c->nw == 0)
		c->writer = pthread_self();
	else if (!pthread_equal(c->writer, pthread_self()))
		c->other_thread = 1;
	if (c->nw++ == c->fail_at)
		rc = TM_EDB;
	else if (c->nwritten < MAXW) {
		c->wp[c->nwritten] = t->producer;
		c->ws[c->nwritten++] = t->seq;
	}
	pthread_mutex_unlock(&c->mu);
	if (c->writer_usleep)
		usleep((useconds_t)c->writer_usleep);
	return rc;
}

static void t_release(void *vc, struct wq_item *it)
{
	struct tctx *c = vc;

	pthread_mutex_lock(&c->mu);
	c->released++;
	pthread_mutex_unlock(&c->mu);
	mem_free(it);
}

static void ctx_init(struct tctx *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	c->fail_at = -1;
}

static void ctx_fini(struct tctx *c)
{
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
}

static void gate(struct tctx *c, int closed)
{
	pthread_mutex_lock(&c->mu);
	c->gate_closed = closed;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

static int push(struct wq *q, int producer, int seq, size_t size)
{
	struct titem *t = mem_calloc(1, sizeof(*t));

	if (!t)
		return TM_ENOMEM;
	t->producer = producer;
	t->seq = seq;
	t->it.size = size;
	return wq_push(q, &t->it);
}

static struct wq *open_q(struct tctx *c, size_t max_bytes, long max_items)
{
	struct wq_cfg cfg = {max_bytes, max_items, t_write, t_release, c};
	struct wq *q = NULL;
	char eb[TM_ERRLEN];

	CHECK_INT(wq_open(&q, &cfg, eb, sizeof(eb)), 0);
	return q;
}

/* One producer: written exactly in push order, on one thread that is not ours. */
static void test_order(void)
{
	struct tctx c;
	struct wq *q;
	struct wq_stats s;
	int in_order = 1, pushed = 0;

	ctx_init(&c);
	q = open_q(&c, 0, 0);
	for (int i = 0; i < 5000; i++)
		pushed += push(q, 0, i, 100) == 0;
	CHECK_INT(pushed, 5000);
	CHECK_INT(wq_drain(q), 0);
	CHECK_INT(c.nwritten, 5000);
	for (int i = 0; i < c.nwritten; i++)
		in_order &= c.ws[i] == i;
	CHECK(in_order);
	CHECK(!pthread_equal(c.writer, pthread_self()));
	CHECK_INT(c.other_thread, 0);
	wq_stats(q, &s);
	CHECK_INT(s.items, 0);
	CHECK_INT((long)s.bytes, 0);
	CHECK_INT(s.written, 5000);
	CHECK_INT(s.dropped, 0);
	CHECK(s.peak_bytes >= 100 && s.peak_bytes <= 5000 * 100);
	CHECK_INT(wq_close(q), 0);
	CHECK_INT(c.released, 5000);
	ctx_fini(&c);
}

struct prod {
	struct wq *q;
	int id, n, failed;
};

static void *producer_main(void *arg)
{
	struct prod *p = arg;

	for (int i = 0; i < p->n; i++)
		p->failed += push(p->q, p->id, i, 10) != 0;
	return NULL;
}

/* Two producers at once: every item once, each producer's in its order. */
static void test_two_producers(void)
{
	struct tctx c;
	struct prod p[2];
	pthread_t th[2];
	int next[2] = {0, 0}, ok = 1;

	ctx_init(&c);
	struct wq *q = open_q(&c, 0, 0);
	for (int i = 0; i < 2; i++) {
		p[i] = (struct prod){q, i, 4000, 0};
		pthread_create(&th[i], NULL, producer_main, &p[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CHECK_INT(p[0].failed + p[1].failed, 0);
	CHECK_INT(wq_close(q), 0);
	CHECK_INT(c.nwritten, 8000);
	for (int i = 0; i < c.nwritten; i++) {
		int pr = c.wp[i];
		ok &= c.ws[i] == next[pr];
		next[pr]++;
	}
	CHECK(ok);
	CHECK_INT(next[0], 4000);
	CHECK_INT(next[1], 4000);
	CHECK_INT(c.released, 8000);
	ctx_fini(&c);
}

/* Full at the bound of bytes, then of items; pushes are never refused; room again once written. */
static void test_backpressure(void)
{
	struct tctx c;
	struct wq *q;
	struct wq_stats s;
	int first_full = -1;

	ctx_init(&c);
	gate(&c, 1); /* the writer holds its first item: still counted */
	q = open_q(&c, 1000, 1000);
	CHECK_INT(wq_full(q), 0);
	for (int i = 0; i < 15; i++) {
		CHECK_INT(push(q, 0, i, 100), 0);
		if (first_full < 0 && wq_full(q))
			first_full = i;
	}
	CHECK_INT(first_full, 9); /* 10 x 100 bytes = the bound */
	wq_stats(q, &s);
	CHECK_INT((long)s.bytes, 1500);
	CHECK_INT(s.items, 15);
	CHECK_INT(s.written, 0);
	CHECK_INT(s.holds, 1);
	gate(&c, 0);
	CHECK_INT(wq_drain(q), 0);
	CHECK_INT(wq_full(q), 0);
	wq_stats(q, &s);
	CHECK_INT((long)s.peak_bytes, 1500);
	CHECK_INT(s.written, 15);
	CHECK_INT(wq_close(q), 0);
	ctx_fini(&c);

	/* the bound of items */
	ctx_init(&c);
	gate(&c, 1);
	q = open_q(&c, 1u << 30, 4);
	for (int i = 0; i < 3; i++)
		push(q, 0, i, 1);
	CHECK_INT(wq_full(q), 0);
	push(q, 0, 3, 1);
	CHECK_INT(wq_full(q), 1);
	gate(&c, 0);
	CHECK_INT(wq_close(q), 0);
	CHECK_INT(c.nwritten, 4);
	CHECK_INT(c.released, 4);
	ctx_fini(&c);
}

/* Closing with items pending writes them all, in order, before the thread ends. */
static void test_close_pending(void)
{
	struct tctx c;
	struct wq *q;
	int in_order = 1;

	ctx_init(&c);
	c.writer_usleep = 500;
	gate(&c, 1);
	q = open_q(&c, 0, 0);
	for (int i = 0; i < 50; i++)
		push(q, 0, i, 64);
	gate(&c, 0);
	CHECK_INT(wq_close(q), 0); /* nothing written yet when it was called (almost surely) */
	CHECK_INT(c.nwritten, 50);
	for (int i = 0; i < c.nwritten; i++)
		in_order &= c.ws[i] == i;
	CHECK(in_order);
	CHECK_INT(c.released, 50);
	CHECK_INT(wq_close(NULL), 0);
	ctx_fini(&c);
}

/* The first error stops the writing: what came before stays written, the rest released unwritten. */
static void test_error(void)
{
	struct tctx c;
	struct wq *q;
	struct wq_stats s;

	ctx_init(&c);
	c.fail_at = 5;
	gate(&c, 1);
	q = open_q(&c, 0, 0);
	for (int i = 0; i < 20; i++)
		CHECK_INT(push(q, 0, i, 10), 0);
	CHECK_INT(wq_error(q), 0);
	gate(&c, 0);
	CHECK_INT(wq_drain(q), TM_EDB);
	CHECK_INT(wq_error(q), TM_EDB);
	CHECK_INT(c.nw, 6); /* items 0..5 tried, 6..19 never */
	CHECK_INT(c.nwritten, 5);
	CHECK_INT(c.ws[4], 4);
	CHECK_INT(c.released, 20);
	/* later pushes are refused with the error, and their items released */
	CHECK_INT(push(q, 0, 99, 10), TM_EDB);
	CHECK_INT(c.released, 21);
	wq_stats(q, &s);
	CHECK_INT(s.written, 5);
	CHECK_INT(s.dropped, 16);
	CHECK_INT(s.items, 0);
	CHECK_INT(wq_close(q), TM_EDB);
	CHECK_INT(c.nwritten, 5);
	ctx_fini(&c);

	/* an error with items pending at close: they are dropped, close says why */
	ctx_init(&c);
	c.fail_at = 0;
	gate(&c, 1);
	q = open_q(&c, 0, 0);
	for (int i = 0; i < 10; i++)
		push(q, 0, i, 10);
	gate(&c, 0);
	CHECK_INT(wq_close(q), TM_EDB);
	CHECK_INT(c.nw, 1);
	CHECK_INT(c.nwritten, 0);
	CHECK_INT(c.released, 10);
	ctx_fini(&c);
}

static void test_args(void)
{
	struct wq_cfg cfg = {0};
	struct wq *q = (struct wq *)&cfg;
	char eb[TM_ERRLEN];

	CHECK_INT(wq_open(&q, &cfg, eb, sizeof(eb)), TM_EINVAL);
	CHECK(q == NULL);
	CHECK(strstr(eb, "callback") != NULL);
}

int main(void)
{
	test_order();
	test_two_producers();
	test_backpressure();
	test_close_pending();
	test_error();
	test_args();
	printf("test_scan_wq: %d passed, %d failed\n", chk_pass, chk_fail);
	return chk_fail != 0;
}
