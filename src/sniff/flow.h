/*
 * flow.h - the TCP flow table of trustmap sniff: one entry per connection
 * (both directions, keyed by the 4-tuple), keeping only the first N bytes
 * the server sent, placed by sequence number so that retransmissions,
 * overlaps and out-of-order segments land where they belong.  When a flow's
 * stream is done (server FIN, RST, buffer full, idle, evicted, end of
 * capture) its contiguous prefix is handed once to a flush callback (the
 * capture layer's, which calls sn_app).
 *
 * Bounded at creation: entries (LRU eviction when full), bytes kept per
 * flow, and bytes buffered over all flows (a pool of fixed buffers reused
 * without malloc).  A flow whose buffer is done costs one hash lookup per
 * packet.  Entries are only made for a SYN-ACK or a segment with payload,
 * so scan traffic (SYNs that get no answer) costs nothing, and a flow
 * leaves the table as soon as the server has finished (its FIN with every
 * byte before it, or a RST either way).
 */
#ifndef TM_SNIFF_FLOW_H
#define TM_SNIFF_FLOW_H

#include <stddef.h>
#include <stdint.h>

#define FLOW_DEF_MAX 262144	       /* --max-flows */
#define FLOW_DEF_BYTES 16384	       /* --flow-bytes */
#define FLOW_DEF_BUFFERED (64u << 20) /* all flows' buffers together */
#define FLOW_DEF_IDLE 300	       /* seconds of capture time */

/* TCP flags as on the wire. */
#define FLOW_FIN 0x01
#define FLOW_SYN 0x02
#define FLOW_RST 0x04
#define FLOW_ACK 0x10

/* Why a flow was handed over. */
enum flow_why {
	FLOW_WHY_FIN = 0, /* the server finished (FIN with all bytes before it) */
	FLOW_WHY_RST,	  /* either side reset */
	FLOW_WHY_FULL,	  /* the first flow_bytes are in */
	FLOW_WHY_IDLE,	  /* nothing for idle seconds of capture time */
	FLOW_WHY_EVICT,	  /* the table (entries or bytes) was full */
	FLOW_WHY_END,	  /* end of capture */
	FLOW_WHY_COUNT
};

/* One endpoint pair as the capture layer saw it: addresses as 16 bytes (IPv4 in the first 4). */
struct flow_ep {
	uint8_t addr[16];
	uint16_t port;
};

/* One TCP segment. */
struct flow_seg {
	struct flow_ep src, dst;
	uint8_t v6;	     /* addresses are IPv6 */
	uint8_t flags;	     /* FLOW_SYN, ... */
	uint32_t seq;
	const uint8_t *data; /* payload, not kept */
	size_t len;
	int64_t time;	     /* capture time, seconds */
	/* for sniff --resume: kept in the flow this segment makes, given back by flow_each() */
	uint64_t tag;	     /* where the segment came from (the capture layer's packet tag) */
	int64_t off;	     /* its byte offset in the file */
	uint8_t no_new;	     /* update a flow that exists, never make one (re-reading before a resume point) */
};

/*
 * The flush callback: server and client endpoints, the contiguous prefix of
 * the server's stream (n >= 1: flows with nothing from the server are
 * dropped without a call), complete = 1 when
 * the server closed the stream within those bytes, asked = 1 unless the
 * capture shows the connection open (the server's SYN-ACK) and the server
 * speaking before the client (in capture order): its bytes may answer a
 * request, or start in the middle of the stream, so they are no greeting;
 * and why.  p is valid during the call only.
 */
typedef void (*flow_flush_fn)(void *arg, const struct flow_ep *server, const struct flow_ep *client, int v6,
			      const uint8_t *p, size_t n, int complete, int asked, enum flow_why why,
			      int64_t time);

struct flow_cfg {
	size_t max_flows;  /* entries at most (0: FLOW_DEF_MAX) */
	size_t flow_bytes; /* server bytes kept per flow (0: FLOW_DEF_BYTES) */
	size_t max_buffered; /* bytes in buffers over all flows (0: FLOW_DEF_BUFFERED) */
	int64_t idle;	   /* seconds (0: FLOW_DEF_IDLE) */
	uint64_t seed;	   /* hash seed (0: a fixed one, for tests) */
	flow_flush_fn flush;
	void *arg;
};

struct flow_stats {
	uint64_t created;		   /* entries made */
	uint64_t active;		   /* entries now */
	uint64_t peak;			   /* most entries at once */
	uint64_t evicted;		   /* entries pushed out while the table or the pool was full */
	uint64_t flushed[FLOW_WHY_COUNT];  /* flows handed over, by reason */
	uint64_t buffers, buffers_peak;	   /* buffers allocated now / at most */
};

struct flow_table;

/* NULL on allocation failure.  Free with flow_free() (after flow_end() to hand over what is left). */
struct flow_table *flow_new(const struct flow_cfg *c);
void flow_free(struct flow_table *t);
/* One segment.  Never fails: when the table is full the oldest flow makes room. */
void flow_seg(struct flow_table *t, const struct flow_seg *s);
/*
 * A hint, no effect on the flows: starts loading the hash slot where the
 * segment between src and dst (either way) will be looked for, so that the
 * next flow_seg of it does not wait for memory (and does not hash the
 * endpoints again when it is the next segment).  On a scan-shaped capture
 * that wait was most of flow_seg (a random slot of a table of megabytes a
 * packet).
 */
void flow_prefetch(struct flow_table *t, const struct flow_ep *src, const struct flow_ep *dst);
/* Hands over and drops every flow (end of capture). */
void flow_end(struct flow_table *t);
const struct flow_stats *flow_stats(const struct flow_table *t);
/*
 * Calls fn for every flow in the table (open or done), in the order they
 * were made (oldest first: sorted by tag when tags grow with the capture),
 * with the tag and offset of the segment that made it; reads one array, in
 * order, never the whole table.  The capture
 * layer's resume point: re-reading from the oldest of them rebuilds the
 * table (docs/sniff.md, "Resume").
 */
void flow_each(const struct flow_table *t, void (*fn)(void *arg, uint64_t tag, int64_t off), void *arg);
/* "fin", "rst", "full", "idle", "evict", "end". */
const char *flow_why_name(enum flow_why w);

#endif
