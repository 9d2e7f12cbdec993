/*
 * probe.h - what a protocol probe is: a small state machine over one
 * connection's bounded buffer.  start() may queue bytes to send, input()
 * takes what the peer sent (in any segmentation) and says whether the
 * exchange is complete, finish() turns what was gathered into observations
 * through the emit callback.  Probes know no sockets, so tests and fuzz
 * targets drive them with recorded bytes.  One file per protocol in probes/.
 */
#ifndef TM_SCAN_PROBE_H
#define TM_SCAN_PROBE_H

#include "../core/obs.h"
#include "../proto/telnet.h"

#include <stddef.h>
#include <stdint.h>

#define PROBE_BUF 16384 /* bytes kept per connection; more is cut and flagged */
#define PROBE_SMALL 2048 /* of them kept inline: a longer answer moves to a heap buffer of PROBE_BUF */
#define PROBE_OUT 4096	/* bytes a probe may queue to send at once (a TLS flight fits) */

enum probe_rc { PROBE_MORE = 0, PROBE_DONE = 1 };

/* Why an exchange ended, given to finish(). */
enum probe_end {
	PROBE_END_DONE = 0, /* input() said PROBE_DONE */
	PROBE_END_EOF,	    /* the peer closed */
	PROBE_END_TIMEOUT,  /* the read stage's deadline passed */
	PROBE_END_RESET,    /* a read or write failed (reset) */
};

typedef int (*probe_emit_fn)(void *ctx, const struct obs *o);

struct probe_ctx {
	int probe; /* enum scan_probe_id */
	char addr[46];
	uint16_t port;
	uint8_t proto;
	int64_t time;
	probe_emit_fn emit;
	void *ectx;
	unsigned flags;	  /* OBS_TRUNCATED once the buffer filled */
	size_t inlen;	  /* bytes in in[] */
	size_t incap;	  /* bytes in[] holds now (PROBE_SMALL, or PROBE_BUF once grown), a NUL after them */
	size_t outlen;	  /* bytes queued in out[] */
	int state;	  /* the probe's own */
	struct telnet tn; /* telnet option negotiation */
	long nobs; /* observations emitted */
	const char *const *comms; /* SNMP communities (never emitted) */
	int ncomms;
	/* A follow-up exchange the probe asks for on the same address (UPnP description, one redirect): */
	int next_probe;	    /* enum scan_probe_id, -1 none */
	uint16_t next_port; /* TCP port */
	int hops;	    /* follow-ups already made */
	void *tls;	    /* the TLS probe's session (freed by its finish) */
	char next_path[256];
	/*
	 * What the peer sent, NUL-terminated: in0 while it fits, then a heap buffer of PROBE_BUF + 1
	 * (probe_append grows it, probe_ctx_release gives it back).  Most answers are a banner or a
	 * short page: a pool of thousands of connections keeps 2 KB each resident, not 16 KB.
	 */
	uint8_t *in;
	uint8_t out[PROBE_OUT];
	uint8_t in0[PROBE_SMALL + 1];
};

struct probe_ops {
	const char *name;
	void (*start)(struct probe_ctx *c);
	int (*input)(struct probe_ctx *c, const uint8_t *p, size_t n);
	void (*finish)(struct probe_ctx *c, int why);
	/*
	 * UDP only, may be NULL: queue the next datagram variant (next community); 0 when none is left.
	 * A UDP probe's state must say which variant is queued: the engine keeps only the state while
	 * it waits and rebuilds the datagram with start() and again() until it reaches that state.
	 */
	int (*again)(struct probe_ctx *c);
	/*
	 * UDP only: how many variants go out together, in one wait (0 or 1: one at a time).  SNMP
	 * sends its v2c and v1 GET of a community at once: a silent agent then costs one wait per
	 * try, not two, and the first answer wins.
	 */
	int group;
};

/* The ops for an enum scan_probe_id (TLS, SNMP, SSDP fall back as documented in probe.c). */
const struct probe_ops *probe_get(int id);
/*
 * Sets up c for one exchange (does not call start).  c is zeroed memory the first time, or a
 * context set up before: a grown in[] of the exchange before is given back.
 */
void probe_ctx_init(struct probe_ctx *c, int id, const char *addr, uint16_t port, uint8_t proto,
		    probe_emit_fn emit, void *ectx);
/* Gives back a grown in[] (c keeps its inline buffer, emptied). */
void probe_ctx_release(struct probe_ctx *c);
/* Makes in[] hold at least n bytes (at most PROBE_BUF); 0, or TM_ENOMEM (in[] unchanged). */
int probe_reserve(struct probe_ctx *c, size_t n);
/* Appends to in[]; returns 1 when the buffer is full (the rest cut, OBS_TRUNCATED set). */
int probe_append(struct probe_ctx *c, const uint8_t *p, size_t n);
/* Queues bytes to send; silently cut at PROBE_OUT. */
void probe_queue(struct probe_ctx *c, const void *p, size_t n);
/* Emits one observation about c's address and port (probe may be NULL). */
void probe_emit(struct probe_ctx *c, enum obs_kind k, const char *probe, const void *v, size_t n,
		unsigned flags);

/* The HTTP probe's GET (of next_path, or /) and its completeness test, shared with UPnP. */
void probe_http_start(struct probe_ctx *c);
int probe_http_input(struct probe_ctx *c, const uint8_t *p, size_t n);
/* Asks for one follow-up when the response in in[] redirects to the same address (HTTP and HTTPS). */
void probe_http_redirect(struct probe_ctx *c);
/* Shared by http.c and rtsp: parse a response head and body in (p, n). */
void probe_http_emit(struct probe_ctx *c, const uint8_t *p, size_t n, int rtsp, int why);

/* Asks for a follow-up: a GET of path on the same address at port with probe id (one hop at most). */
void probe_follow(struct probe_ctx *c, int id, uint16_t port, const char *path, size_t n);

extern const struct probe_ops probe_banner_ops, probe_telnet_ops, probe_http_ops, probe_rtsp_ops,
	probe_snmp_ops, probe_ssdp_ops, probe_upnp_ops, probe_tls_ops, probe_https_ops;

#endif
