/*
 * probe.c - the probe registry and the helpers every probe shares
 * (bounded append, send queue, emitting observations).
 */
#include "probe.h"

#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "ports.h"

#include <string.h>
#include <time.h>

const struct probe_ops *probe_get(int id)
{
	switch (id) {
	case SCAN_PROBE_TELNET:
		return &probe_telnet_ops;
	case SCAN_PROBE_HTTP:
		return &probe_http_ops;
	case SCAN_PROBE_RTSP:
		return &probe_rtsp_ops;
	case SCAN_PROBE_SNMP:
		return &probe_snmp_ops;
	case SCAN_PROBE_SSDP:
		return &probe_ssdp_ops;
	case SCAN_PROBE_UPNP:
		return &probe_upnp_ops;
	case SCAN_PROBE_HTTPS:
		return &probe_https_ops;
	case SCAN_PROBE_TLS:
		return &probe_tls_ops;
	default:
		return &probe_banner_ops;
	}
}

void probe_ctx_init(struct probe_ctx *c, int id, const char *addr, uint16_t port, uint8_t proto,
		    probe_emit_fn emit, void *ectx)
{
	c->probe = id;
	str_set(c->addr, sizeof(c->addr), addr);
	c->port = port;
	c->proto = proto;
	c->time = (int64_t)time(NULL);
	c->emit = emit;
	c->ectx = ectx;
	c->flags = 0;
	c->inlen = c->outlen = 0;
	c->state = 0;
	telnet_init(&c->tn);
	c->nobs = 0;
	probe_ctx_release(c);
	c->next_probe = -1;
	c->next_port = 0;
	c->hops = 0;
	c->tls = NULL;
	c->next_path[0] = 0;
}

void probe_ctx_release(struct probe_ctx *c)
{
	if (c->in && c->in != c->in0)
		mem_free(c->in);
	c->in = c->in0;
	c->incap = PROBE_SMALL;
	c->inlen = 0;
	c->in[0] = 0;
}

int probe_reserve(struct probe_ctx *c, size_t n)
{
	uint8_t *b;

	if (n <= c->incap || c->incap >= PROBE_BUF)
		return 0; /* fits, or already the whole buffer: the caller cuts */
	if (!(b = mem_alloc(PROBE_BUF + 1)))
		return TM_ENOMEM;
	memcpy(b, c->in, c->inlen + 1);
	c->in = b;
	c->incap = PROBE_BUF;
	return 0;
}

int probe_append(struct probe_ctx *c, const uint8_t *p, size_t n)
{
	size_t room;

	/* one byte past what came: an answer that ends exactly at the inline buffer's end may go on */
	if (c->inlen + n >= c->incap)
		probe_reserve(c, c->inlen + n + 1); /* on failure: cut at the inline buffer, flagged */
	room = c->incap - c->inlen;

	if (n > room) {
		n = room;
		c->flags |= OBS_TRUNCATED;
	}
	memcpy(c->in + c->inlen, p, n);
	c->inlen += n;
	c->in[c->inlen] = 0;
	if (c->inlen < c->incap)
		return 0;
	c->flags |= OBS_TRUNCATED; /* full: we read no further, whatever came next */
	return 1;
}

void probe_queue(struct probe_ctx *c, const void *p, size_t n)
{
	if (n > PROBE_OUT - c->outlen)
		n = PROBE_OUT - c->outlen;
	memcpy(c->out + c->outlen, p, n);
	c->outlen += n;
}

void probe_emit(struct probe_ctx *c, enum obs_kind k, const char *probe, const void *v, size_t n,
		unsigned flags)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.time = c->time;
	str_set(o.source, sizeof(o.source), "scan");
	str_set(o.addr, sizeof(o.addr), c->addr);
	o.port = c->port;
	o.proto = c->proto;
	o.kind = k;
	if (probe)
		str_set(o.probe, sizeof(o.probe), probe);
	obs_set_value(&o, v, n);
	o.flags |= flags;
	c->nobs++;
	if (c->emit)
		c->emit(c->ectx, &o);
}

void probe_follow(struct probe_ctx *c, int id, uint16_t port, const char *path, size_t n)
{
	if (c->hops >= 1 || !port || !n || n >= sizeof(c->next_path) || path[0] != '/')
		return;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)path[i] <= ' ' || path[i] == 0x7f)
			return; /* no control bytes or spaces in a request line of ours */
	c->next_probe = id;
	c->next_port = port;
	memcpy(c->next_path, path, n);
	c->next_path[n] = 0;
}
