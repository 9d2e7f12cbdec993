/*
 * wq.h - a write queue: a bounded FIFO of items (batches of observations,
 * say) between producers that must never wait (a scanner's event loops, a
 * capture reader) and one writer thread that owns a resource no one else
 * touches while it runs (a store handle: store.h is not thread-safe).  The
 * queue knows nothing of stores: an item is the caller's struct with a
 * struct wq_item at its start, written by the caller's write callback on
 * the writer thread, one at a time, in push order.
 *
 * The bound is a back-pressure signal, not a wall: wq_push() never blocks
 * and always takes the item; wq_full() says when the queued bytes or items
 * have reached the bound, so a producer holds back new work (the scanner
 * stops opening connections) while finishing what it has in hand.
 *
 * The first error of the write callback stops the writing: that item and
 * every later one are released unwritten, wq_push() returns the error (and
 * releases the item it was given), and wq_close() returns it.  What was
 * written before stays written.  Every pushed item is released exactly once.
 */
#ifndef TM_STORE_WQ_H
#define TM_STORE_WQ_H

#include <stddef.h>
#include <stdint.h>

#define WQ_MAX_BYTES (64u << 20) /* default bound of queued bytes: 64 MiB */
#define WQ_MAX_ITEMS 4096	 /* default bound of queued items */

struct wq;

/* The head of a queued item: the caller's struct starts with one. */
struct wq_item {
	struct wq_item *next; /* the queue's */
	size_t size;	      /* bytes the item holds, counted against the bound (set by the caller) */
};

/* Writes it (writer thread); 0, or a TM_E* code that stops the writing. */
typedef int (*wq_write_fn)(void *ctx, struct wq_item *it);
/* Frees it, written or not (on the writer's thread or a producer's). */
typedef void (*wq_release_fn)(void *ctx, struct wq_item *it);

struct wq_cfg {
	size_t max_bytes;	/* 0: WQ_MAX_BYTES */
	long max_items;		/* 0: WQ_MAX_ITEMS */
	wq_write_fn write;	/* required */
	wq_release_fn release;	/* required */
	void *ctx;
};

struct wq_stats {
	long items, written, dropped; /* queued now (or being written); written; released unwritten */
	size_t bytes, peak_bytes;     /* queued now; the most ever queued */
	long holds;		      /* times wq_full() turned from 0 to 1 */
};

/*
 * Starts the writer thread.  On success *out is the queue (close it with
 * wq_close()); else *out is NULL and eb says why (TM_ENOMEM, TM_EIO).
 */
int wq_open(struct wq **out, const struct wq_cfg *cfg, char *eb, size_t el);
/*
 * Queues it (it->size set by the caller) and returns 0 at once.  After the
 * writer failed: releases it and returns that error.  Thread-safe.
 */
int wq_push(struct wq *q, struct wq_item *it);
/* 1 when the queue holds max_bytes or max_items or more (producers hold back), else 0.  Thread-safe. */
int wq_full(struct wq *q);
/* The writer's error (0 while none).  Thread-safe. */
int wq_error(struct wq *q);
/*
 * Waits until every item pushed so far is written (or the writer failed);
 * returns wq_error().  The writer keeps running.
 */
int wq_drain(struct wq *q);
void wq_stats(struct wq *q, struct wq_stats *s);
/*
 * Writes what is still queued (in order; dropped after an error), stops and
 * joins the writer and frees q.  Returns the writer's error, or 0.  NULL: 0.
 * From then on the resource is the caller's again.
 */
int wq_close(struct wq *q);

#endif
