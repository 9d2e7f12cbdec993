/*
 * targets.c - target and exclude lists as sorted interval lists over a
 * 128-bit address space (IPv4 mapped into ::ffff:0:0/96).
 */
#include "targets.h"

#include "../core/err.h"
#include "../core/file.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define V4MAPPED (((scan_u128)0xffff) << 32)

void scan_targets_init(struct scan_targets *t)
{
	memset(t, 0, sizeof(*t));
}

void scan_targets_fini(struct scan_targets *t)
{
	mem_free(t->inc.v);
	mem_free(t->exc.v);
	mem_free(t->r);
	mem_free(t->cum);
	memset(t, 0, sizeof(*t));
}

static int ivs_add(struct scan_ivs *s, scan_u128 lo, scan_u128 hi)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		struct scan_iv *v = mem_realloc(s->v, nc * sizeof(*v));
		if (!v)
			return TM_ENOMEM;
		s->v = v;
		s->cap = nc;
	}
	s->v[s->n].lo = lo;
	s->v[s->n].hi = hi;
	s->n++;
	return 0;
}

/* Parses an address of n bytes; *v4 says which family. */
static int addr_parse_n(const char *s, size_t n, scan_u128 *a, int *v4)
{
	char tmp[64];
	uint8_t b[16];

	if (n == 0 || n >= sizeof(tmp))
		return TM_EINVAL;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	if (inet_pton(AF_INET, tmp, b) == 1) {
		*a = V4MAPPED | ((scan_u128)b[0] << 24) | ((scan_u128)b[1] << 16) | ((scan_u128)b[2] << 8) | b[3];
		*v4 = 1;
		return 0;
	}
	if (inet_pton(AF_INET6, tmp, b) == 1) {
		*a = 0;
		for (int i = 0; i < 16; i++)
			*a = (*a << 8) | b[i];
		*v4 = 0;
		return 0;
	}
	return TM_EINVAL;
}

int scan_addr_parse(const char *s, scan_u128 *a)
{
	int v4;

	return addr_parse_n(s, strlen(s), a, &v4);
}

void scan_addr_str(scan_u128 a, char out[46])
{
	uint8_t b[16];

	for (int i = 15; i >= 0; i--, a >>= 8)
		b[i] = (uint8_t)a;
	if (!memcmp(b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12))
		inet_ntop(AF_INET, b + 12, out, 46);
	else
		inet_ntop(AF_INET6, b, out, 46);
}

/* Parses spec into [lo, hi]. */
static int parse_spec(const char *s, scan_u128 *lo, scan_u128 *hi)
{
	size_t n = strlen(s);
	const char *sep;
	int v4, v4b;
	uint64_t x;

	if ((sep = memchr(s, '/', n))) {
		int bits;
		if (addr_parse_n(s, (size_t)(sep - s), lo, &v4) ||
		    !str_to_u64(sep + 1, n - (size_t)(sep - s) - 1, &x) || x > (v4 ? 32u : 128u))
			return TM_EINVAL;
		bits = (v4 ? 96 : 0) + (int)x; /* prefix length in the 128-bit space */
		scan_u128 host = bits >= 128 ? 0 : (((scan_u128)1 << (127 - bits)) << 1) - 1;
		if (bits == 0)
			host = ~(scan_u128)0;
		*lo &= ~host;
		*hi = *lo | host;
		return 0;
	}
	if ((sep = memchr(s, '-', n))) {
		const char *e = sep + 1;
		size_t en = n - (size_t)(e - s);
		if (addr_parse_n(s, (size_t)(sep - s), lo, &v4))
			return TM_EINVAL;
		if (v4 && str_to_u64(e, en, &x)) {
			if (x > 255)
				return TM_EINVAL;
			*hi = (*lo & ~(scan_u128)0xff) | x;
		} else if (addr_parse_n(e, en, hi, &v4b) || v4b != v4)
			return TM_EINVAL;
		return *hi < *lo ? TM_EINVAL : 0;
	}
	if (addr_parse_n(s, n, lo, &v4))
		return TM_EINVAL;
	*hi = *lo;
	return 0;
}

int scan_targets_add(struct scan_targets *t, const char *spec, int exclude, char *eb, size_t el)
{
	scan_u128 lo, hi;

	if (parse_spec(spec, &lo, &hi))
		return err_set(eb, el, TM_EINVAL,
			       "'%s' is not an address, CIDR or range (names are not resolved)", spec);
	if (ivs_add(exclude ? &t->exc : &t->inc, lo, hi))
		return err_set(eb, el, TM_ENOMEM, "targets: out of memory");
	return 0;
}

int scan_targets_add_file(struct scan_targets *t, const char *path, int exclude, char *eb, size_t el)
{
	struct lr l;
	const char *line, *h;
	size_t n;
	int rc;
	char tmp[128];

	if ((rc = lr_open(&l, path, 4096, eb, el)))
		return rc;
	while ((rc = lr_next(&l, &line, &n)) == 1) {
		if ((h = memchr(line, '#', n)))
			n = (size_t)(h - line);
		str_trim(&line, &n);
		if (!n)
			continue;
		str_copy(tmp, sizeof(tmp), line, n);
		if (n >= sizeof(tmp) || (rc = scan_targets_add(t, tmp, exclude, NULL, 0))) {
			rc = err_set(eb, el, TM_EINVAL, "%s:%lu: '%.*s' is not an address, CIDR or range",
				     path, l.lineno, (int)(n > 80 ? 80 : n), line);
			break;
		}
	}
	if (rc < 0 && rc != TM_EINVAL)
		err_set(eb, el, rc, "%s: read error", path);
	lr_close(&l);
	return rc < 0 ? rc : 0;
}

static int iv_cmp(const void *a, const void *b)
{
	const struct scan_iv *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sorts and merges touching or overlapping intervals in place. */
static void merge(struct scan_ivs *s)
{
	size_t k = 0;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(s->v[0]), iv_cmp);
	for (size_t i = 1; i < s->n; i++) {
		if (s->v[k].hi == ~(scan_u128)0 || s->v[i].lo <= s->v[k].hi + 1) {
			if (s->v[i].hi > s->v[k].hi)
				s->v[k].hi = s->v[i].hi;
		} else
			s->v[++k] = s->v[i];
	}
	s->n = k + 1;
}

/* out = inc minus exc, both merged; out has room for inc.n + exc.n intervals. */
static size_t subtract(const struct scan_ivs *inc, const struct scan_ivs *exc, struct scan_iv *out)
{
	size_t n = 0, j = 0;

	for (size_t i = 0; i < inc->n; i++) {
		scan_u128 lo = inc->v[i].lo, hi = inc->v[i].hi;
		int alive = 1;
		while (j < exc->n && exc->v[j].hi < lo)
			j++;
		for (size_t k = j; alive && k < exc->n && exc->v[k].lo <= hi; k++) {
			if (exc->v[k].lo > lo) {
				out[n].lo = lo;
				out[n++].hi = exc->v[k].lo - 1;
			}
			if (exc->v[k].hi >= hi)
				alive = 0;
			else
				lo = exc->v[k].hi + 1;
		}
		if (alive) {
			out[n].lo = lo;
			out[n++].hi = hi;
		}
	}
	return n;
}

int scan_targets_finish(struct scan_targets *t, char *eb, size_t el)
{
	uint64_t total = 0;

	merge(&t->inc);
	merge(&t->exc);
	mem_free(t->r);
	mem_free(t->cum);
	t->r = mem_alloc((t->inc.n + t->exc.n + 1) * sizeof(*t->r));
	t->cum = mem_alloc((t->inc.n + t->exc.n + 1) * sizeof(*t->cum));
	if (!t->r || !t->cum)
		return err_set(eb, el, TM_ENOMEM, "targets: out of memory");
	t->nr = subtract(&t->inc, &t->exc, t->r);
	for (size_t i = 0; i < t->nr; i++) {
		scan_u128 w = t->r[i].hi - t->r[i].lo;
		t->cum[i] = total;
		if (w >= SCAN_SPACE_MAX || (total += (uint64_t)w + 1) > SCAN_SPACE_MAX)
			return err_set(eb, el, TM_ELIMIT,
				       "targets: more than 2^40 hosts; split the scan (--shard or smaller ranges)");
	}
	t->nhosts = total;
	return 0;
}

scan_u128 scan_targets_host(const struct scan_targets *t, uint64_t i)
{
	size_t lo = 0, hi = t->nr; /* find the last k with cum[k] <= i */

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->cum[mid] <= i)
			lo = mid;
		else
			hi = mid;
	}
	return t->r[lo].lo + (i - t->cum[lo]);
}

int scan_targets_has(const struct scan_targets *t, scan_u128 a)
{
	size_t lo = 0, hi = t->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->r[mid].hi < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nr && t->r[lo].lo <= a;
}
