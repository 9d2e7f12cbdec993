/*
 * loop.h - an epoll event loop: file events (fd, mask, callback) and a timer
 * wheel for per-connection deadlines (O(1) to arm and cancel, so 10^5
 * connections in flight cost nothing extra).  Timers are embedded in the
 * caller's structures; the loop owns nothing it did not allocate.  One loop
 * belongs to one thread.
 */
#ifndef TM_SCAN_LOOP_H
#define TM_SCAN_LOOP_H

#include <stdint.h>

#define LOOP_READ 1u
#define LOOP_WRITE 2u
#define LOOP_ERROR 4u /* reported only: EPOLLERR or EPOLLHUP */

struct loop;
typedef void (*loop_fd_fn)(struct loop *l, int fd, unsigned events, void *arg);
typedef void (*loop_timer_fn)(struct loop *l, void *arg);

struct loop_timer {
	struct loop_timer *prev, *next; /* in its wheel slot */
	uint64_t when;			/* deadline, loop milliseconds */
	loop_timer_fn fn;
	void *arg;
	int armed;
};

/* NULL on allocation or epoll failure.  Free with loop_free. */
struct loop *loop_new(void);
/* Closes the epoll descriptor; the caller's fds stay open. NULL is a no-op. */
void loop_free(struct loop *l);
/* Milliseconds on the loop's monotonic clock (updated once per loop_once). */
uint64_t loop_now(const struct loop *l);
/* Watches fd for mask; 0 or TM_EIO/TM_ENOMEM. */
int loop_fd_add(struct loop *l, int fd, unsigned mask, loop_fd_fn fn, void *arg);
int loop_fd_mod(struct loop *l, int fd, unsigned mask);
/* Stops watching fd (call before closing it). */
void loop_fd_del(struct loop *l, int fd);
/* Forgets fd just before the caller closes it (the close removes it from the epoll set; one syscall fewer). */
void loop_fd_closing(struct loop *l, int fd);
/* Arms t to fire once, delay_ms from now (re-arming moves it). */
void loop_timer_set(struct loop *l, struct loop_timer *t, uint64_t delay_ms, loop_timer_fn fn, void *arg);
void loop_timer_cancel(struct loop *l, struct loop_timer *t);
/* Timers armed now. */
long loop_timers(const struct loop *l);
/*
 * Waits up to max_wait_ms (less when a timer may be due) for events, runs
 * their callbacks, then runs due timers.  Returns the number of callbacks
 * run, or TM_EIO.
 */
int loop_once(struct loop *l, int max_wait_ms);

#endif
