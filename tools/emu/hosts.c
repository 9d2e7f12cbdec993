/*
 * hosts.c - lays the emulated devices out over consecutive loopback
 * addresses: each persona gets its share of the hosts from the weights of a
 * mix file (stanza format: a "mix NAME" record whose fields are "PERSONA
 * WEIGHT"), rounded by largest remainder so the counts are exact, then the
 * table is shuffled with a generator seeded by --seed.  Also writes the
 * ground-truth manifest (JSON Lines, one device per line).
 */
#include "emu.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/mem.h"
#include "core/str.h"
#include "kb/stanza.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

struct mixctx {
	const struct emu_set *s;
	uint64_t *w; /* weight per persona */
	int seen;
};

static int on_mix(void *ctx, const struct st_rec *r, char *eb, size_t el)
{
	struct mixctx *m = ctx;
	int i, pi;

	if (strcmp(r->type, "mix") != 0)
		return err_set(eb, el, TM_EPROTO, "%s:%u: expected a mix record", r->file, r->line);
	if (m->seen++)
		return err_set(eb, el, TM_EPROTO, "%s:%u: one mix record per file", r->file,
			       r->line);
	for (i = 0; i < r->nf; i++) {
		uint64_t w;
		pi = emu_set_find(m->s, r->f[i].key);
		if (pi < 0)
			return err_set(eb, el, TM_ENOTFOUND, "%s:%u: no persona %s", r->file,
				       r->f[i].line, r->f[i].key);
		if (!str_to_u64(r->f[i].val, r->f[i].vlen, &w) || w > 1000000)
			return err_set(eb, el, TM_EPROTO, "%s:%u: weight must be 0..1000000",
				       r->file, r->f[i].line);
		m->w[pi] = w;
	}
	return 0;
}

/* splitmix64: a small, well-mixed generator for the shuffle. */
static uint64_t next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Counts per persona proportional to w, summing to n (largest remainder, ties to the lower index).
 */
static void apportion(const uint64_t *w, size_t np, uint32_t n, uint32_t *cnt)
{
	uint64_t tot = 0, given = 0;
	size_t i;

	for (i = 0; i < np; i++)
		tot += w[i];
	for (i = 0; i < np; i++) {
		cnt[i] = (uint32_t)((unsigned __int128)n * w[i] / tot);
		given += cnt[i];
	}
	while (given < n) {
		size_t best = 0;
		uint64_t br = 0;
		int any = 0;
		for (i = 0; i < np; i++) {
			uint64_t rem;
			if (!w[i])
				continue;
			/* remainder of n*w/tot, less what was already added back */
			rem = (uint64_t)((unsigned __int128)n * w[i] % tot);
			if (cnt[i] > (uint64_t)((unsigned __int128)n * w[i] / tot))
				continue;
			if (!any || rem > br) {
				best = i;
				br = rem;
				any = 1;
			}
		}
		cnt[best]++;
		given++;
	}
}

int emu_hosts_make(struct emu_hosts *h, const struct emu_set *s, const char *mix, uint64_t seed,
		   uint32_t base, uint32_t n, char *eb, size_t el)
{
	struct mixctx m = {s, NULL, 0};
	uint32_t *cnt = NULL, i, k;
	uint64_t x = seed, tot = 0;
	size_t j;
	int rc = TM_ENOMEM;

	memset(h, 0, sizeof *h);
	/* which addresses may be played is main.c's decision (loopback, or a test's netns) */
	if (n == 0 || (uint64_t)base + n - 1 > 0xffffffffULL)
		return err_set(eb, el, TM_EINVAL, "hosts must lie inside the IPv4 space");
	m.w = mem_calloc(s->n, sizeof *m.w);
	cnt = mem_calloc(s->n, sizeof *cnt);
	h->pi = mem_alloc((size_t)n * sizeof *h->pi);
	if (!m.w || !cnt || !h->pi) {
		err_set(eb, el, rc, "out of memory");
		goto out;
	}
	for (j = 0; j < s->n; j++)
		m.w[j] = mix ? 0 : 1;
	if (mix && (rc = stanza_parse_file(mix, on_mix, &m, eb, el)) < 0)
		goto out;
	for (j = 0; j < s->n; j++)
		tot += m.w[j];
	if (tot == 0) {
		rc = err_set(eb, el, TM_EINVAL, "%s: every weight is zero", mix ? mix : "mix");
		goto out;
	}
	apportion(m.w, s->n, n, cnt);
	for (i = 0, j = 0; j < s->n; j++)
		for (k = 0; k < cnt[j]; k++)
			h->pi[i++] = (uint16_t)j;
	for (i = n - 1; i > 0; i--) { /* Fisher-Yates */
		uint32_t r = (uint32_t)(next(&x) % ((uint64_t)i + 1));
		uint16_t t = h->pi[i];
		h->pi[i] = h->pi[r];
		h->pi[r] = t;
	}
	h->base = base;
	h->n = n;
	rc = 0;
out:
	mem_free(m.w);
	mem_free(cnt);
	if (rc < 0)
		emu_hosts_free(h);
	return rc;
}

void emu_hosts_free(struct emu_hosts *h)
{
	mem_free(h->pi);
	memset(h, 0, sizeof *h);
}

const struct emu_persona *emu_hosts_get(const struct emu_hosts *h, const struct emu_set *s,
					uint32_t a)
{
	if (a - h->base >= h->n)
		return NULL;
	return &s->p[h->pi[a - h->base]];
}

int emu_manifest_write(const struct emu_hosts *h, const struct emu_set *s, const char *path,
		       char *eb, size_t el)
{
	FILE *f = fopen(path, "w");
	struct buf b;
	uint32_t i;
	int rc = 0;

	if (!f)
		return err_set(eb, el, TM_EIO, "%s: %s", path, strerror(errno));
	buf_init(&b, 0);
	for (i = 0; rc >= 0 && i < h->n; i++) {
		const struct emu_persona *p = &s->p[h->pi[i]];
		struct in_addr a = {htonl(h->base + i)};
		char ip[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &a, ip, sizeof ip);
		buf_reset(&b);
		rc = buf_printf(&b, "{\"addr\":\"%s\",\"persona\":", ip);
		if (rc >= 0)
			rc = esc_json_str(&b, p->id);
		if (rc >= 0)
			rc = buf_adds(&b, ",\"vendor\":");
		if (rc >= 0)
			rc = p->vendor ? esc_json_str(&b, p->vendor) : buf_adds(&b, "null");
		if (rc >= 0)
			rc = p->hostile ? buf_printf(&b, ",\"hostile\":\"%s\"}\n",
						     emu_hostile_names[p->hostile])
					: buf_adds(&b, ",\"hostile\":null}\n");
		if (rc >= 0 && fwrite(b.p, 1, b.len, f) != b.len)
			rc = TM_EIO;
	}
	buf_fini(&b);
	if (fclose(f) != 0 && rc >= 0)
		rc = TM_EIO;
	return rc < 0 ? err_set(eb, el, rc, "%s: cannot write the manifest", path) : 0;
}
