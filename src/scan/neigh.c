/*
 * neigh.c - a netlink dump of the neighbour table, parsed field by field
 * through the bounded reader (no casts of message memory).
 */
#include "neigh.h"

#include "../core/err.h"
#include "../core/mem.h"
#include "../core/rd.h"
#include "../core/str.h"

#include <errno.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NL_HDR 16
#define ND_HDR 12

static uint16_t u16(struct rd *r)
{
	uint16_t v = 0;

	rd_copy(r, &v, 2);
	return v;
}

static uint32_t u32(struct rd *r)
{
	uint32_t v = 0;

	rd_copy(r, &v, 4);
	return v;
}

/* One RTM_NEWNEIGH body. */
static int neigh_msg(struct rd *m, scan_neigh_fn fn, void *ctx)
{
	uint8_t fam, dst[16], mac[6];
	uint16_t state;
	size_t dlen = 0, mlen = 0;
	scan_u128 a = 0;

	fam = rd_u8(m);
	rd_skip(m, 7); /* pads, ifindex */
	state = u16(m);
	rd_skip(m, 2); /* flags, type */
	while (rd_ok(m) && rd_left(m) >= 4) {
		uint16_t len = u16(m), type = u16(m);
		struct rd v;
		if (len < 4 || len - 4u > rd_left(m))
			return TM_EPROTO;
		v = rd_sub(m, len - 4u);
		rd_skip(m, ((len + 3u) & ~3u) - len < rd_left(m) ? ((len + 3u) & ~3u) - len : rd_left(m));
		if (type == NDA_DST && (v.len == 4 || v.len == 16)) {
			dlen = v.len;
			rd_copy(&v, dst, dlen);
		} else if (type == NDA_LLADDR && v.len == 6) {
			mlen = 6;
			rd_copy(&v, mac, 6);
		}
	}
	if (!rd_ok(m))
		return TM_EPROTO;
	if (!mlen || !dlen || (state & (NUD_INCOMPLETE | NUD_FAILED | NUD_NOARP)) || !memcmp(mac, "\0\0\0\0\0\0", 6))
		return 0;
	if ((fam == AF_INET) != (dlen == 4))
		return 0;
	if (dlen == 4)
		a = ((scan_u128)0xffff << 32) | ((scan_u128)dst[0] << 24) | ((scan_u128)dst[1] << 16) |
		    ((scan_u128)dst[2] << 8) | dst[3];
	else
		for (int i = 0; i < 16; i++)
			a = (a << 8) | dst[i];
	return fn(ctx, a, mac);
}

int scan_neigh_parse(const uint8_t *p, size_t n, scan_neigh_fn fn, void *ctx)
{
	struct rd r;
	int rc;

	rd_init(&r, p, n);
	while (rd_left(&r) >= NL_HDR) {
		uint32_t len = u32(&r);
		uint16_t type = u16(&r);
		struct rd m;
		rd_skip(&r, 10); /* flags, seq, pid */
		if (len < NL_HDR || len - NL_HDR > rd_left(&r))
			return TM_EPROTO;
		m = rd_sub(&r, len - NL_HDR);
		rd_skip(&r, ((len + 3u) & ~3u) - len < rd_left(&r) ? ((len + 3u) & ~3u) - len : rd_left(&r));
		if (type == NLMSG_DONE)
			return 1;
		if (type == NLMSG_ERROR)
			return TM_EPROTO;
		if (type != RTM_NEWNEIGH || rd_left(&m) < ND_HDR)
			continue;
		if ((rc = neigh_msg(&m, fn, ctx)))
			return rc < 0 ? rc : 0;
	}
	return rd_left(&r) ? TM_EPROTO : 0;
}

struct emit_ctx {
	const struct scan_targets *t;
	probe_emit_fn emit;
	void *ctx;
	long n;
};

static int one(void *vc, scan_u128 a, const uint8_t mac[6])
{
	struct emit_ctx *k = vc;
	struct obs o;
	char m[18];

	if (!scan_targets_has(k->t, a))
		return 0;
	memset(&o, 0, sizeof(o));
	o.time = (int64_t)time(NULL);
	str_set(o.source, sizeof(o.source), "scan");
	scan_addr_str(a, o.addr);
	str_mac(mac, m);
	str_set(o.mac, sizeof(o.mac), m);
	o.kind = OBS_MAC;
	obs_set_value(&o, m, 17);
	k->n++;
	return k->emit ? k->emit(k->ctx, &o) > 0 : 0; /* a positive return would stop the walk */
}

int scan_neigh_emit(const struct scan_targets *t, probe_emit_fn emit, void *ctx, long *count, char *eb,
		    size_t el)
{
	struct emit_ctx k = {t, emit, ctx, 0};
	struct {
		struct nlmsghdr h;
		struct ndmsg nd;
	} req;
	uint8_t *buf = mem_alloc(65536);
	int fd, rc = 0;
	ssize_t r;

	*count = 0;
	if (!buf)
		return err_set(eb, el, TM_ENOMEM, "neighbour table: out of memory");
	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) < 0) {
		rc = err_set(eb, el, TM_EIO, "neighbour table: netlink: %s", strerror(errno));
		goto out_free;
	}
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = RTM_GETNEIGH;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = 1;
	req.nd.ndm_family = AF_UNSPEC;
	if (send(fd, &req, sizeof(req), 0) < 0) {
		rc = err_set(eb, el, TM_EIO, "neighbour table: netlink: %s", strerror(errno));
		goto out;
	}
	while ((r = recv(fd, buf, 65536, 0)) > 0 && (rc = scan_neigh_parse(buf, (size_t)r, one, &k)) == 0)
		;
	if (r < 0)
		rc = err_set(eb, el, TM_EIO, "neighbour table: netlink: %s", strerror(errno));
	else if (rc < 0)
		rc = err_set(eb, el, rc, "neighbour table: malformed netlink answer");
	else
		rc = 0;
out:
	close(fd);
out_free:
	mem_free(buf);
	*count = k.n;
	return rc;
}
