/*
 * wq.c - the write queue (wq.h): a singly linked FIFO under one mutex, a
 * condition the writer waits on for work, and one producers and closers
 * wait on for progress.  The writer takes the head, writes it unlocked, and
 * only then unlinks it, so queued bytes count the item being written too.
 */
#include "wq.h"

#include "core/err.h"
#include "core/mem.h"

#include <pthread.h>
#include <string.h>

struct wq {
	struct wq_cfg cfg;
	pthread_mutex_t mu;
	pthread_cond_t work; /* writer: an item came, or closing */
	pthread_cond_t idle; /* waiters: an item was written or dropped */
	struct wq_item *head, *tail;
	long items, written, dropped, holds;
	size_t bytes, peak;
	int err, closing, was_full;
	int busy; /* the writer holds an item taken off the list (writing or releasing it) */
	pthread_t th;
};

static int full_locked(struct wq *q)
{
	return q->bytes >= q->cfg.max_bytes || q->items >= q->cfg.max_items;
}

/* Takes the head off the list (mu held) and accounts for it. */
static struct wq_item *unlink_head(struct wq *q)
{
	struct wq_item *it = q->head;

	if (!(q->head = it->next))
		q->tail = NULL;
	q->items--;
	q->bytes -= it->size;
	return it;
}

static void *writer_main(void *arg)
{
	struct wq *q = arg;
	struct wq_item *it;
	int rc;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->head && !q->closing)
			pthread_cond_wait(&q->work, &q->mu);
		if (!q->head)
			break;
		it = q->head;
		rc = 0;
		if (!q->err) {
			pthread_mutex_unlock(&q->mu);
			rc = q->cfg.write(q->cfg.ctx, it);
			pthread_mutex_lock(&q->mu);
		}
		unlink_head(q);
		q->busy = 1; /* until released: wq_drain waits for it too */
		if (rc && !q->err)
			q->err = rc;
		if (q->err)
			q->dropped++;
		else
			q->written++;
		pthread_mutex_unlock(&q->mu);
		q->cfg.release(q->cfg.ctx, it);
		pthread_mutex_lock(&q->mu);
		q->busy = 0;
		pthread_cond_broadcast(&q->idle);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

int wq_open(struct wq **out, const struct wq_cfg *cfg, char *eb, size_t el)
{
	struct wq *q;

	*out = NULL;
	if (!cfg->write || !cfg->release)
		return err_set(eb, el, TM_EINVAL, "write queue: no write or release callback");
	if (!(q = mem_calloc(1, sizeof(*q))))
		return err_set(eb, el, TM_ENOMEM, "write queue: out of memory");
	q->cfg = *cfg;
	if (!q->cfg.max_bytes)
		q->cfg.max_bytes = WQ_MAX_BYTES;
	if (q->cfg.max_items <= 0)
		q->cfg.max_items = WQ_MAX_ITEMS;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->idle, NULL);
	if (pthread_create(&q->th, NULL, writer_main, q)) {
		pthread_cond_destroy(&q->idle);
		pthread_cond_destroy(&q->work);
		pthread_mutex_destroy(&q->mu);
		mem_free(q);
		return err_set(eb, el, TM_EIO, "write queue: cannot start the writer thread");
	}
	*out = q;
	return 0;
}

int wq_push(struct wq *q, struct wq_item *it)
{
	int rc;

	pthread_mutex_lock(&q->mu);
	if ((rc = q->err)) {
		q->dropped++;
		pthread_mutex_unlock(&q->mu);
		q->cfg.release(q->cfg.ctx, it);
		return rc;
	}
	it->next = NULL;
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->items++;
	q->bytes += it->size;
	if (q->bytes > q->peak)
		q->peak = q->bytes;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

int wq_full(struct wq *q)
{
	int full;

	pthread_mutex_lock(&q->mu);
	full = full_locked(q);
	if (full && !q->was_full)
		q->holds++;
	q->was_full = full;
	pthread_mutex_unlock(&q->mu);
	return full;
}

int wq_error(struct wq *q)
{
	int rc;

	pthread_mutex_lock(&q->mu);
	rc = q->err;
	pthread_mutex_unlock(&q->mu);
	return rc;
}

int wq_drain(struct wq *q)
{
	int rc;

	pthread_mutex_lock(&q->mu);
	while (q->head || q->busy) /* the last item is off the list before it is released */
		pthread_cond_wait(&q->idle, &q->mu);
	rc = q->err;
	pthread_mutex_unlock(&q->mu);
	return rc;
}

void wq_stats(struct wq *q, struct wq_stats *s)
{
	pthread_mutex_lock(&q->mu);
	s->items = q->items;
	s->written = q->written;
	s->dropped = q->dropped;
	s->bytes = q->bytes;
	s->peak_bytes = q->peak;
	s->holds = q->holds;
	pthread_mutex_unlock(&q->mu);
}

int wq_close(struct wq *q)
{
	int rc;

	if (!q)
		return 0;
	pthread_mutex_lock(&q->mu);
	q->closing = 1;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->th, NULL);
	rc = q->err;
	pthread_cond_destroy(&q->idle);
	pthread_cond_destroy(&q->work);
	pthread_mutex_destroy(&q->mu);
	mem_free(q);
	return rc;
}
