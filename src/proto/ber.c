/*
 * ber.c - the BER reader and writer of ber.h (ITU-T X.690 sections 8.1,
 * 8.3 INTEGER, 8.19 OBJECT IDENTIFIER).  Reading goes through struct rd
 * only; writing is bounded by the caller's capacity.
 */
#include "ber.h"

#include "core/err.h"

#include <string.h>

int ber_read(struct rd *r, uint8_t *tag, struct rd *body)
{
	uint8_t t = rd_u8(r), l0 = rd_u8(r);
	size_t len = 0;

	if (!rd_ok(r) || (t & 0x1f) == 0x1f)
		goto bad;
	if (l0 < 0x80) {
		len = l0;
	} else {
		int nb = l0 & 0x7f;

		if (nb == 0 || nb > 4) /* indefinite, or longer than we accept */
			goto bad;
		for (int i = 0; i < nb; i++)
			len = len << 8 | rd_u8(r);
		if (!rd_ok(r))
			goto bad;
	}
	if (len > rd_left(r))
		goto bad;
	*tag = t;
	*body = rd_sub(r, len);
	return rd_ok(r) ? 0 : TM_EPROTO;
bad:
	rd_fail(r, TM_EPROTO);
	rd_init(body, NULL, 0);
	rd_fail(body, TM_EPROTO);
	return TM_EPROTO;
}

int ber_expect(struct rd *r, uint8_t want, struct rd *body)
{
	uint8_t tag = 0;
	int rc = ber_read(r, &tag, body);

	if (rc)
		return rc;
	if (tag != want) {
		rd_fail(r, TM_EPROTO);
		rd_fail(body, TM_EPROTO);
		return TM_EPROTO;
	}
	return 0;
}

int ber_int32(const uint8_t *p, size_t n, int32_t *v)
{
	int64_t x;

	if (n == 0 || n > 5)
		return TM_EPROTO;
	x = (p[0] & 0x80) ? -1 : 0;
	for (size_t i = 0; i < n; i++)
		x = (int64_t)((uint64_t)x << 8 | p[i]);
	if (x < INT32_MIN || x > INT32_MAX)
		return TM_EPROTO;
	*v = (int32_t)x;
	return 0;
}

int ber_oid_arcs(const uint8_t *p, size_t n, uint32_t *arcs, int max)
{
	int k = 0;
	size_t i = 0;

	if (n == 0 || max < 2)
		return n ? TM_ELIMIT : TM_EPROTO;
	while (i < n) {
		uint64_t v = 0;

		if (p[i] == 0x80) /* non-minimal subidentifier */
			return TM_EPROTO;
		do {
			if (i >= n)
				return TM_EPROTO; /* last octet still had the continuation bit */
			v = v << 7 | (p[i] & 0x7f);
			if (v > (uint64_t)UINT32_MAX + 80)
				return TM_EPROTO;
		} while (p[i++] & 0x80);
		if (k == 0) {
			uint32_t a0 = v < 40 ? 0 : v < 80 ? 1 : 2;

			v -= 40u * a0;
			if (v > UINT32_MAX)
				return TM_EPROTO;
			arcs[k++] = a0;
		} else if (v > UINT32_MAX) {
			return TM_EPROTO;
		}
		if (k >= max)
			return TM_ELIMIT;
		arcs[k++] = (uint32_t)v;
	}
	return k;
}

void ber_w_init(struct ber_w *w, uint8_t *p, size_t cap)
{
	w->p = p;
	w->cap = p ? cap : 0;
	w->len = 0;
	w->err = 0;
}

void ber_put(struct ber_w *w, const void *p, size_t n)
{
	if (w->err)
		return;
	if (n > w->cap - w->len) {
		w->err = TM_ELIMIT;
		return;
	}
	if (n)
		memcpy(w->p + w->len, p, n);
	w->len += n;
}

/* Length octets of n into b; returns how many. */
static size_t len_octets(size_t n, uint8_t b[5])
{
	size_t k = 0;

	if (n < 0x80) {
		b[0] = (uint8_t)n;
		return 1;
	}
	for (size_t x = n; x; x >>= 8)
		k++;
	b[0] = (uint8_t)(0x80 | k);
	for (size_t i = 0; i < k; i++)
		b[1 + i] = (uint8_t)(n >> (8 * (k - 1 - i)));
	return 1 + k;
}

void ber_put_tlv(struct ber_w *w, uint8_t tag, const void *val, size_t n)
{
	uint8_t lb[5];

	if (n > UINT32_MAX && !w->err)
		w->err = TM_ELIMIT;
	ber_put(w, &tag, 1);
	ber_put(w, lb, len_octets(n, lb));
	ber_put(w, val, n);
}

void ber_put_int(struct ber_w *w, uint8_t tag, int64_t v)
{
	uint8_t b[8];
	int k = 8;

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
	/* drop leading octets that only repeat the sign (X.690 8.3.2) */
	while (k > 1 &&
	       ((b[8 - k] == 0 && !(b[9 - k] & 0x80)) || (b[8 - k] == 0xff && (b[9 - k] & 0x80))))
		k--;
	ber_put_tlv(w, tag, b + 8 - k, (size_t)k);
}

/* One subidentifier in base 128 into b; returns its length. */
static size_t subid(uint64_t v, uint8_t b[10])
{
	uint8_t t[10];
	size_t k = 0;

	do {
		t[k++] = (uint8_t)(v & 0x7f);
		v >>= 7;
	} while (v);
	for (size_t i = 0; i < k; i++)
		b[i] = (uint8_t)(t[k - 1 - i] | (i + 1 < k ? 0x80 : 0));
	return k;
}

void ber_put_oid(struct ber_w *w, const uint32_t *arcs, int n)
{
	uint8_t b[128 * 5 + 10];
	size_t k = 0;

	if (n < 2 || n > 128 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40)) {
		if (!w->err)
			w->err = TM_EINVAL;
		return;
	}
	k += subid((uint64_t)arcs[0] * 40 + arcs[1], b);
	for (int i = 2; i < n; i++)
		k += subid(arcs[i], b + k);
	ber_put_tlv(w, BER_OID, b, k);
}

size_t ber_begin(struct ber_w *w, uint8_t tag)
{
	uint8_t h[2] = {tag, 0};
	size_t mark = w->len;

	ber_put(w, h, 2);
	return mark;
}

void ber_end(struct ber_w *w, size_t mark)
{
	uint8_t lb[5];
	size_t body, n, k;

	if (w->err || mark + 2 > w->len)
		return;
	body = mark + 2;
	n = w->len - body;
	k = len_octets(n, lb);
	if (k > 1) {
		if (k - 1 > w->cap - w->len) {
			w->err = TM_ELIMIT;
			return;
		}
		memmove(w->p + body + k - 1, w->p + body, n);
		w->len += k - 1;
	}
	memcpy(w->p + mark + 1, lb, k);
}
