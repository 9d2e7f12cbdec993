/*
 * scan.h - the scan engine: walks the target space (hosts x ports) in the
 * seed's pseudo-random order, a shard's slice of it only, opening at most
 * `rate` new connections a second and `max_inflight` at once on one event
 * loop, runs each port's probe, and hands every observation to the caller
 * as it arrives.  Memory is bounded by max_inflight, never by the space.
 */
#ifndef TM_SCAN_SCAN_H
#define TM_SCAN_SCAN_H

#include "../core/obs.h"
#include "ports.h"
#include "targets.h"
#include "xp.h"

#include <stdint.h>

typedef int (*scan_emit_fn)(void *ctx, const struct obs *o);
/*
 * Called after a pair has ended and all its observations went to emit (under
 * the same mutex): the moment where every pair marked finished in
 * scan_progress has emitted everything and no other pair has emitted
 * anything, so the caller may commit its observations with the progress.
 */
typedef void (*scan_pair_fn)(void *ctx);

/*
 * Where each event loop stands in its slice of the permutation (position j
 * counts the loop's own pairs from 0): positions below base are finished,
 * bit j % SCAN_WINDOW of done says whether position j in [base, issued) is.
 * A loop never starts position base + SCAN_WINDOW before base has finished.
 * Filled in before scan_run (from a resume state), a loop skips every
 * position already finished and starts the others again.
 */
/*
 * 65,536: a silent UDP pair (two waits of --read-timeout) holds its slice's
 * base while the TCP pairs behind it finish; 16,384 was reached by a loop
 * doing 7,000 pairs/s in 3 s.  The resume state lists only the positions
 * between base and issued, so its size follows the spread, not this bound.
 */
#define SCAN_WINDOW 65536
struct scan_slice {
	uint64_t base, issued;
	uint8_t done[SCAN_WINDOW / 8];
};
struct scan_progress {
	int n; /* slices: one per loop (cfg->threads) */
	struct scan_slice *v;
};
/* Called about four times a second and at the end (done of total pairs). */
typedef void (*scan_tick_fn)(void *ctx, uint64_t done, uint64_t total);
/*
 * Asked by every loop, on its own thread and without the emit lock, before
 * it opens connections (every few milliseconds): 0 go on; > 0 hold back
 * (back-pressure: no new connection, the rate's clock paused so there is no
 * burst after, connections already open still read and finish); < 0 stop
 * opening for good (as *stop).  Must be thread-safe and cheap.
 */
typedef int (*scan_hold_fn)(void *ctx);

struct scan_cfg {
	const struct scan_targets *targets; /* finished */
	const struct scan_ports *ports;
	uint64_t seed;
	uint64_t shard, nshards; /* this is shard `shard` (0-based) of nshards (>= 1) */
	double rate;		 /* new connections per second (> 0), shared by the loops */
	int threads;		 /* event loops, each on a disjoint slice of the order (0 or 1: one) */
	int max_inflight;     /* TCP exchanges (and UDP answers being read) at once */
	int max_udp_inflight; /* UDP pairs waiting for an answer at once (0: 16 x max_inflight) */
	int connect_timeout_ms, read_timeout_ms;
	int retries; /* extra datagrams for UDP probes */
	const char *const *communities; /* SNMP communities to try in turn (NULL: "public") */
	int ncommunities;
	const struct xp *xp;
	scan_emit_fn emit; /* called under a mutex when several loops run */
	void *emit_ctx;
	scan_tick_fn tick;
	void *tick_ctx;
	volatile int *stop; /* set nonzero (signal handler) to stop opening connections */
	struct scan_progress *progress; /* NULL: not tracked; else n == threads (or 1) */
	scan_pair_fn pair_done;		/* may be NULL */
	void *pair_ctx;
	scan_hold_fn hold; /* may be NULL */
	void *hold_ctx;
};

struct scan_stats {
	uint64_t total;	    /* pairs in this shard */
	uint64_t done;	    /* pairs finished */
	uint64_t open;	    /* TCP connections that came up / UDP answers */
	uint64_t obs;	    /* observations emitted */
	uint64_t timeouts;  /* exchanges ended by a deadline */
	uint64_t truncated; /* exchanges cut at the buffer's ceiling */
	uint64_t refused;   /* connections refused (closed ports) */
	uint64_t errors;    /* other failures to connect (no route, no local port left, ...) */
	uint64_t datagrams; /* UDP datagrams sent */
	uint64_t stray;	    /* UDP answers and ICMP errors that matched no waiting pair (late, wrong source) */
	uint64_t udp_peak;  /* most UDP pairs waiting at once (per loop, the largest) */
	uint64_t conn_peak; /* connection records allocated (per loop, the largest) */
	double elapsed;	    /* seconds */
};

/* Whether position j of a slice is finished. */
int scan_slice_done(const struct scan_slice *s, uint64_t j);
/* Marks position j (base <= j < base + SCAN_WINDOW) finished and advances base. */
void scan_slice_mark(struct scan_slice *s, uint64_t j);

/* Bytes the engine keeps per UDP pair waiting for its answer (no buffers: see scan.c). */
size_t scan_udp_record_size(void);

/* Pairs in shard i of n of a space of `space` pairs. */
uint64_t scan_shard_size(uint64_t space, uint64_t shard, uint64_t nshards);
/*
 * Runs the scan to the end (or until *stop).  Returns 0 or a TM_E* code with
 * a message in eb; st is filled either way.
 */
int scan_run(const struct scan_cfg *cfg, struct scan_stats *st, char *eb, size_t el);

/* The (index)-th pair of the space: host index * nports + port index. */
void scan_pair(const struct scan_targets *t, const struct scan_ports *p, uint64_t index, scan_u128 *addr,
	       const struct scan_port **port);

#endif
