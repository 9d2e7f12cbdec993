/*
 * conn.c - one emulated TCP connection as a small state machine on the
 * server's epoll: greet on banner ports, read a request head and answer on
 * HTTP and RTSP ports, TLS then HTTP on HTTPS ports, and the hostile
 * behaviours (endless stream, one-byte drip, reset mid-banner, silence,
 * garbage after a ServerHello).  Every state reads into or writes from fixed
 * buffers, so a peer can cost no more than one struct conn.
 */
#include "serve.h"

#include "core/mem.h"
#include "core/str.h"

#include <openssl/err.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* 64 lines of 64 bytes that an endless peer repeats for ever. */
static char endless_buf[4096];

/* A plausible TLS 1.2 ServerHello (RFC 5246, 7.4.1.3), then a record claiming 16 KiB and garbage.
 */
static const unsigned char badtls_head[] = {
    0x16, 0x03, 0x03, 0x00, 0x4a, 0x02, 0x00, 0x00, 0x46, 0x03, 0x03,
};
static char badtls_buf[11 + 70 + 5 + 300];

static void init_static(void)
{
	static int done;
	size_t i;

	if (done)
		return;
	done = 1;
	for (i = 0; i < sizeof endless_buf; i += 64) {
		memcpy(endless_buf + i, "X-Endless-Banner: ", 18);
		memset(endless_buf + i + 18, 'x', 44);
		memcpy(endless_buf + i + 62, "\r\n", 2);
	}
	memcpy(badtls_buf, badtls_head, sizeof badtls_head);
	for (i = 0; i < 32; i++) /* random, session id length 32, session id */
		badtls_buf[11 + i] = (char)(0x5a ^ (i * 37));
	badtls_buf[43] = 32;
	memset(badtls_buf + 44, 0x11, 32);
	badtls_buf[76] = (char)0xc0; /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
	badtls_buf[77] = 0x2f;
	badtls_buf[78] = 0;
	badtls_buf[79] = 0; /* extensions length 0 */
	badtls_buf[80] = 0;
	memcpy(badtls_buf + 81, "\x16\x03\x03\x40\x00", 5); /* a record claiming 16 KiB ... */
	for (i = 86; i < sizeof badtls_buf; i++) /* ... of which 300 garbage bytes come */
		badtls_buf[i] = (char)(0xa5 ^ (i * 13));
}

void conn_reset_fd(int fd)
{
	struct linger l = {1, 0};

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	close(fd);
}

void conn_close(struct srv *s, struct conn *c)
{
	if (c->ssl)
		SSL_free(c->ssl);
	close(c->fd);
	s->conns[c->fd] = NULL;
	s->live--;
	mem_free(c);
}

static void want(struct srv *s, struct conn *c, uint32_t mask)
{
	struct epoll_event ev = {.events = mask};

	if (mask == c->mask)
		return;
	ev.data.u64 = (uint64_t)(uint32_t)c->fd;
	epoll_ctl(s->ep, EPOLL_CTL_MOD, c->fd, &ev);
	c->mask = mask;
}

static void touch(struct srv *s, struct conn *c)
{
	if (!c->reset)
		c->deadline = s->now + s->opt->idle_ms;
}

static void send_out(struct conn *c, int st, const char *p, size_t n)
{
	c->out = p;
	c->outlen = n;
	c->outoff = 0;
	c->st = (uint8_t)st;
}

/* Writes pending bytes; returns -1 when the connection was closed. */
static int flush_plain(struct srv *s, struct conn *c)
{
	size_t budget =
	    256 * 1024; /* per wake-up, so a fast endless reader cannot starve the loop */

	while ((c->outoff < c->outlen || c->endless) && budget > 0) {
		ssize_t w;
		if (c->outoff >= c->outlen) { /* endless: start the stream again */
			c->out = endless_buf;
			c->outlen = sizeof endless_buf;
			c->outoff = 0;
		}
		if (c->drip && s->now < c->drip_at)
			return 0;
		w = send(c->fd, c->out + c->outoff, c->drip ? 1 : c->outlen - c->outoff,
			 MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			conn_close(s, c);
			return -1;
		}
		c->outoff += (size_t)w;
		budget = (size_t)w >= budget ? 0 : budget - (size_t)w;
		touch(s, c);
		if (c->drip)
			c->drip_at = s->now + 1000;
	}
	return 0;
}

/* Reads and drops input; returns -1 when the peer closed (c is then gone). */
static int drop_input(struct srv *s, struct conn *c)
{
	char junk[2048];
	ssize_t r;

	for (;;) {
		r = recv(c->fd, junk, sizeof junk, 0);
		if (r > 0) {
			touch(s, c);
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		conn_close(s, c);
		return -1;
	}
}

/* The answer to the request head in c->in: the UPnP description or the page. */
static void http_answer(struct conn *c, int st)
{
	const struct emu_persona *p = c->p;

	if (p->upnp.n && str_has_prefix(c->in, c->inlen, "GET /upnp/desc.xml "))
		send_out(c, st, p->upnp.p, p->upnp.n);
	else
		send_out(c, st, p->http.p, p->http.n);
}

/* RTSP reply with the request's CSeq (RFC 2326, 12.17). */
static void rtsp_answer(struct conn *c)
{
	const char *q = str_casefind(c->in, c->inlen, "\nCSeq:");
	char cseq[16] = "0";
	int n;

	if (q) {
		size_t i = 0;
		q += 6;
		while (*q == ' ')
			q++;
		while (i < sizeof cseq - 1 && q[i] >= '0' && q[i] <= '9') {
			cseq[i] = q[i];
			i++;
		}
		cseq[i ? i : 1] = 0;
	}
	n = snprintf(c->dyn, sizeof c->dyn, "%s\r\nCSeq: %s\r\n%s", c->p->rtsp_head.p, cseq,
		     c->p->rtsp_tail.p);
	if (n < 0 || (size_t)n >= sizeof c->dyn)
		n = (int)sizeof c->dyn - 1;
	send_out(c, CS_WRITE, c->dyn, (size_t)n);
	c->inlen = 0;
}

/* Reads into c->in; 1 when a whole head (or a full buffer) is there, 0 to wait, -1 closed. */
static int read_head(struct srv *s, struct conn *c)
{
	for (;;) {
		ssize_t r;
		if (c->inlen >= CONN_IN - 1)
			return 1;
		if (c->ssl) {
			int k = SSL_read(c->ssl, c->in + c->inlen, (int)(CONN_IN - 1 - c->inlen));
			if (k <= 0) {
				int e = SSL_get_error(c->ssl, k);
				if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
					return 0;
				ERR_clear_error();
				conn_close(s, c);
				return -1;
			}
			r = k;
		} else {
			r = recv(c->fd, c->in + c->inlen, CONN_IN - 1 - c->inlen, 0);
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
				conn_close(s, c);
				return -1;
			}
			if (r < 0)
				return 0;
		}
		c->inlen = (uint16_t)(c->inlen + r);
		c->in[c->inlen] = 0;
		touch(s, c);
		if (memmem(c->in, c->inlen, "\r\n\r\n", 4) || memmem(c->in, c->inlen, "\n\n", 2))
			return 1;
	}
}

/* TLS: handshake, request, answer, close.  Returns -1 when c was closed. */
static int tls_step(struct srv *s, struct conn *c)
{
	int k, e;

	if (c->st == CS_TLS_HS) {
		k = SSL_do_handshake(c->ssl);
		if (k != 1) {
			e = SSL_get_error(c->ssl, k);
			if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
				want(s, c, e == SSL_ERROR_WANT_READ ? EPOLLIN : EPOLLOUT);
				return 0;
			}
			ERR_clear_error();
			conn_close(s, c);
			return -1;
		}
		touch(s, c);
		c->st = CS_TLS_REQ;
	}
	if (c->st == CS_TLS_REQ) {
		k = read_head(s, c);
		if (k <= 0) {
			if (k == 0)
				want(s, c, EPOLLIN);
			return k;
		}
		http_answer(c, CS_TLS_WRITE);
	}
	while (c->outoff < c->outlen) {
		size_t n = c->outlen - c->outoff;
		k = SSL_write(c->ssl, c->out + c->outoff, (int)(n > 16384 ? 16384 : n));
		if (k <= 0) {
			e = SSL_get_error(c->ssl, k);
			if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
				want(s, c, e == SSL_ERROR_WANT_READ ? EPOLLIN : EPOLLOUT);
				return 0;
			}
			break;
		}
		c->outoff += (size_t)k;
		touch(s, c);
	}
	SSL_shutdown(c->ssl);
	ERR_clear_error();
	conn_close(s, c);
	return -1;
}

/* Runs c until it must wait for the peer; registers the events it waits for. */
static void step(struct srv *s, struct conn *c)
{
	for (;;) {
		switch (c->st) {
		case CS_WRITE:
		case CS_WRITE_FIN:
		case CS_ENDLESS:
			if (flush_plain(s, c) < 0)
				return;
			if (c->outoff < c->outlen || c->endless) {
				want(s, c, c->drip ? EPOLLIN : EPOLLIN | EPOLLOUT);
				return;
			}
			if (c->st == CS_WRITE_FIN) {
				shutdown(c->fd, SHUT_WR);
				c->st = CS_DRAIN;
			} else {
				c->st = emu_slots[c->slot].kind == EMU_K_RTSP ? CS_REQ : CS_IDLE;
			}
			continue;
		case CS_IDLE:
		case CS_DRAIN:
			want(s, c, EPOLLIN);
			drop_input(s, c);
			return;
		case CS_REQ: {
			int k = read_head(s, c);
			if (k <= 0) {
				if (k == 0)
					want(s, c, EPOLLIN);
				return;
			}
			if (emu_slots[c->slot].kind == EMU_K_RTSP)
				rtsp_answer(c);
			else
				http_answer(c, CS_WRITE_FIN);
			continue;
		}
		case CS_BADTLS: {
			char junk[2048];
			ssize_t r = recv(c->fd, junk, sizeof junk, 0);
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
				conn_close(s, c);
				return;
			}
			if (r < 0) {
				want(s, c, EPOLLIN);
				return;
			}
			touch(s, c);
			send_out(c, CS_WRITE, badtls_buf, sizeof badtls_buf);
			continue;
		}
		default:
			tls_step(s, c);
			return;
		}
	}
}

/* The first state for p on slot. */
static void begin(struct conn *c)
{
	const struct emu_persona *p = c->p;
	int kind = emu_slots[c->slot].kind;

	c->drip = p->hostile == EMU_H_DRIP;
	if (p->hostile == EMU_H_SILENT)
		c->st = CS_IDLE;
	else if (p->hostile == EMU_H_ENDLESS) {
		send_out(c, CS_ENDLESS, p->greet[c->slot].p, p->greet[c->slot].n);
		c->endless = 1;
	} else if (kind == EMU_K_BANNER)
		send_out(c, CS_WRITE, p->greet[c->slot].p, p->greet[c->slot].n);
	else if (kind == EMU_K_HTTPS)
		c->st = p->hostile == EMU_H_BADTLS ? CS_BADTLS : CS_TLS_HS;
	else
		c->st = CS_REQ;
}

void conn_start(struct srv *s, int fd, const struct emu_persona *p, int slot)
{
	struct epoll_event ev = {.events = EPOLLIN};
	struct conn *c;

	init_static();
	if (fd >= s->nconns || s->live >= s->cap || !(c = mem_calloc(1, sizeof *c))) {
		conn_reset_fd(fd);
		return;
	}
	c->fd = fd;
	c->p = p;
	c->slot = (uint8_t)slot;
	c->mask = EPOLLIN;
	ev.data.u64 = (uint64_t)(uint32_t)fd;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		mem_free(c);
		conn_reset_fd(fd);
		return;
	}
	s->conns[fd] = c;
	s->live++;
	if (fd >= s->hi)
		s->hi = fd + 1;
	touch(s, c);
	begin(c);
	if (p->hostile == EMU_H_RESET) { /* half the banner (or page), a reset 300 ms later */
		const struct emu_str *g =
		    emu_slots[slot].kind == EMU_K_BANNER ? &p->greet[slot] : &p->http;
		send_out(c, CS_WRITE, g->p, g->n / 2);
		c->deadline = s->now + 300;
		c->reset = 1;
	}
	if (c->st == CS_TLS_HS) {
		c->ssl = p->tls ? SSL_new(p->tls) : NULL;
		if (!c->ssl || SSL_set_fd(c->ssl, fd) != 1) {
			conn_close(s, c);
			return;
		}
		SSL_set_accept_state(c->ssl);
	}
	step(s, c);
}

void conn_event(struct srv *s, struct conn *c, uint32_t ev)
{
	/* input nobody asked for is read and dropped, so level-triggered EPOLLIN cannot spin */
	if ((ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) && (c->st <= CS_DRAIN || c->st == CS_ENDLESS) &&
	    drop_input(s, c) < 0)
		return;
	step(s, c);
}

void conn_tick(struct srv *s, struct conn *c)
{
	if (s->now >= c->deadline) {
		if (c->reset) {
			struct linger l = {1, 0};
			setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
		}
		conn_close(s, c);
		return;
	}
	if (c->drip && c->outoff < c->outlen && s->now >= c->drip_at)
		step(s, c);
}
