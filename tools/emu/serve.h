/*
 * serve.h - the emulator server's private types, shared by serve.c (sockets,
 * the epoll loop, UDP) and conn.c (the per-connection state machine).  A
 * connection costs one struct conn (about 1 KiB) plus OpenSSL's state while
 * TLS is up; answers are never copied, only pointed at in the persona.
 */
#ifndef TM_EMU_SERVE_H
#define TM_EMU_SERVE_H

#include "emu.h"

#include <stdint.h>

#define CONN_IN	 512 /* request bytes kept (HTTP/RTSP request head) */
#define CONN_DYN 512 /* room for a generated answer (RTSP) */

enum conn_st {
	CS_WRITE,     /* sending out, then CS_IDLE */
	CS_WRITE_FIN, /* sending out, then half-close and CS_DRAIN */
	CS_IDLE,      /* reading and dropping until the peer closes */
	CS_DRAIN,     /* we half-closed; waiting for the peer's close */
	CS_REQ,	      /* reading an HTTP/RTSP request head */
	CS_ENDLESS,   /* sending the endless stream */
	CS_TLS_HS,    /* TLS handshake */
	CS_TLS_REQ,   /* reading an HTTP request over TLS */
	CS_TLS_WRITE, /* sending the answer over TLS, then closing */
	CS_BADTLS,    /* waiting for the ClientHello, then garbage */
};

struct conn {
	int fd;
	uint8_t slot;	 /* enum emu_slot */
	uint8_t st;	 /* enum conn_st */
	uint8_t drip;	 /* write one byte per second */
	uint8_t endless; /* after out, go on with the endless stream */
	uint8_t reset;	 /* at the deadline, close with a reset (SO_LINGER 0) */
	uint32_t mask;	 /* epoll events registered */
	uint16_t inlen;
	const struct emu_persona *p;
	SSL *ssl;
	const char *out; /* bytes being sent (persona-owned, static or dyn) */
	size_t outlen, outoff;
	int64_t deadline; /* monotonic ms: closed when reached */
	int64_t drip_at;  /* next drip byte */
	char in[CONN_IN];
	char dyn[CONN_DYN];
};

struct srv {
	const struct emu_set *set;
	const struct emu_hosts *hosts;
	const struct emu_opt *opt;
	int ep;
	struct conn **conns; /* by fd */
	int nconns;	     /* size of conns */
	int hi;		     /* one above the highest fd ever given a conn (the sweep's bound) */
	unsigned live;	     /* conns open now */
	unsigned cap;	     /* most conns at once: --max-conns, less when descriptors are fewer */
	int64_t now;
	unsigned long accepted, datagrams;
	size_t loglen;	    /* bytes waiting in logbuf */
	char logbuf[32768]; /* whole log lines, written when full and every 100 ms */
};

/* Starts serving accepted socket fd for persona p on slot; closes fd on failure. */
void conn_start(struct srv *s, int fd, const struct emu_persona *p, int slot);
/* Handles epoll events on c. */
void conn_event(struct srv *s, struct conn *c, uint32_t ev);
/* Drips and timeouts of c at s->now. */
void conn_tick(struct srv *s, struct conn *c);
void conn_close(struct srv *s, struct conn *c);
/* Closes fd with a TCP reset (SO_LINGER 0). */
void conn_reset_fd(int fd);

#endif
