/*
 * mre_pf.c - the portable prefilter of the multi-regex engine (mre_int.h
 * explains the idea): an index from each branch's key (its anchored prefix
 * or its longest required run) to the branches, built once at compile, and
 * a scan that finds every key present in a subject in one pass and verifies
 * the rest of each branch whose key is there.  ASCII case folding for
 * caseless patterns, as PCRE2 does without UTF.
 */
#include "mre_int.h"
#include "../core/err.h"
#include "../core/mem.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX
#define GRAM_BITS_MAX 15 /* the 3-byte index has 2^bits buckets, about 4 per literal */
#define ABUCKETS 1024	/* buckets of the anchored-prefix index */

struct pf_run {
	uint32_t off; /* bytes in pool */
	uint8_t len;
};

struct pf_br {
	uint32_t pat;	     /* pattern index */
	uint32_t anch;	     /* run of the anchored prefix, NONE if unanchored */
	uint32_t more, nmore; /* runs to verify (brrun[more..more+nmore)), key excluded */
	uint8_t icase;
};

struct pf_lit {
	uint32_t run;	     /* the key text */
	uint32_t own, nown;  /* branches keyed by it: owners[own..own+nown) */
	uint8_t icase;
	uint8_t goff;	     /* offset of the 3-byte gram it is indexed by */
};

struct mre_pf {
	uint8_t *pool;
	size_t npool, cpool;
	struct pf_run *runs;
	size_t nruns, cruns;
	struct pf_br *br;
	size_t nbr, cbr;
	uint32_t *brrun;
	size_t nbrrun, cbrrun;
	struct pf_lit *lits;
	size_t nlits;
	uint32_t *owners;
	unsigned gbits;		       /* log2 of the 3-byte index's buckets */
	uint32_t *ghead;	       /* CSR: lits of length >= 3 by one folded 3-byte gram */
	struct gent *gent;
	uint64_t *gmap;		       /* bit g: bucket g is not empty */
	uint32_t *shorts;	       /* lits shorter than 3 bytes */
	size_t nshorts;
	uint32_t anch_head[ABUCKETS + 1]; /* CSR: branches keyed by their anchored prefix */
	uint32_t *anch_br;
	uint32_t anch_lens;	       /* bit L-1 set: some such prefix is L bytes long */
	uint32_t *always;	       /* patterns tried on every subject */
	size_t nalways, calways;
};

/* A literal in its 3-byte bucket, with 4 folded bytes from the gram on to weed out most misses. */
struct gent {
	uint32_t w, mask; /* folded bytes at the gram, little-endian; mask covers the literal */
	uint32_t lit;
	uint32_t off;	  /* where the gram sits in the literal */
};

/* A key while building: sorted, then grouped into pf_lit. */
struct key {
	uint8_t len, icase;
	uint8_t b[LIT_MAX];
	uint32_t br;
};

static inline uint8_t fold(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Bytes b[0..k) folded, little-endian. */
static inline uint32_t folded(const uint8_t *b, unsigned k)
{
	uint32_t v = 0;

	for (unsigned j = 0; j < k; j++)
		v |= (uint32_t)fold(b[j]) << (8 * j);
	return v;
}

static inline uint32_t ghash(uint32_t v3, unsigned bits)
{
	return (v3 * 2654435761u) >> (32 - bits);
}

/* Text-like grams ("ver", "in ") are everywhere in HTML: a literal is better found by another. */
static unsigned commonness(const uint8_t *b)
{
	unsigned k = 0;

	for (int j = 0; j < 3; j++)
		k += (b[j] >= 'a' && b[j] <= 'z') || b[j] == ' ';
	return k == 3 ? 3 : 0;
}

static inline uint32_t ahash_step(uint32_t h, uint8_t c)
{
	return (h ^ fold(c)) * 16777619u;
}

static inline uint32_t abucket(uint32_t h)
{
	return (h ^ h >> 13) & (ABUCKETS - 1);
}

static int grow(void **p, size_t *cap, size_t need, size_t el)
{
	size_t nc;
	void *np;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap * 2 : 64;
	while (nc < need)
		nc *= 2;
	np = mem_realloc(*p, nc * el);
	if (!np)
		return TM_ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

static uint32_t add_run(struct mre_pf *pf, const struct lit_run *r)
{
	if (grow((void **)&pf->pool, &pf->cpool, pf->npool + r->len, 1) ||
	    grow((void **)&pf->runs, &pf->cruns, pf->nruns + 1, sizeof(*pf->runs)))
		return NONE;
	memcpy(pf->pool + pf->npool, r->b, r->len);
	pf->runs[pf->nruns].off = (uint32_t)pf->npool;
	pf->runs[pf->nruns].len = r->len;
	pf->npool += r->len;
	return (uint32_t)pf->nruns++;
}

static int add_more(struct mre_pf *pf, struct pf_br *b, const struct lit_run *r)
{
	uint32_t k = add_run(pf, r);

	if (k == NONE || grow((void **)&pf->brrun, &pf->cbrrun, pf->nbrrun + 1, sizeof(uint32_t)))
		return TM_ENOMEM;
	pf->brrun[pf->nbrrun++] = k;
	b->nmore++;
	return 0;
}

/*
 * One branch of pattern pat keyed by its anchored prefix (kc < 0) or by its
 * run kc; the key goes to *key (len 0 for an anchor key).
 */
static int add_branch(struct mre_pf *pf, uint32_t pat, int icase, const struct lit_branch *lb,
		      int kc, struct key *key)
{
	struct pf_br *b;
	int k;

	if (grow((void **)&pf->br, &pf->cbr, pf->nbr + 1, sizeof(*pf->br)))
		return TM_ENOMEM;
	b = &pf->br[pf->nbr];
	memset(b, 0, sizeof(*b));
	b->pat = pat;
	b->icase = (uint8_t)icase;
	b->anch = lb->anch.len ? add_run(pf, &lb->anch) : NONE;
	if (lb->anch.len && b->anch == NONE)
		return TM_ENOMEM;
	b->more = (uint32_t)pf->nbrrun;
	for (k = 0; k < lb->nrun; k++)
		if (k != kc && add_more(pf, b, &lb->run[k]))
			return TM_ENOMEM;
	key->br = (uint32_t)pf->nbr;
	key->icase = (uint8_t)icase;
	key->len = kc < 0 ? 0 : lb->run[kc].len;
	if (kc >= 0)
		memcpy(key->b, lb->run[kc].b, key->len);
	pf->nbr++;
	return 0;
}

/*
 * How many branches share each possible key, so that each branch can be
 * keyed by its least shared piece: a key shared by hundreds of patterns
 * ("HTTP/1.1 200 OK\r\n") would make each subject verify them all.
 */
struct fent {
	uint32_t count; /* 0: empty slot */
	uint32_t h;	/* fhash: a probe past another key compares this, not the bytes */
	uint8_t len, icase, anch;
	uint8_t b[LIT_MAX];
};

struct freq {
	struct fent *t;
	size_t mask;	/* slots - 1, a power of two minus one */
	size_t used;
};

static uint32_t fhash(const struct lit_run *r, int icase, int anch)
{
	uint32_t h = 2166136261u ^ (uint32_t)(icase << 1 | anch);

	for (int k = 0; k < r->len; k++)
		h = (h ^ r->b[k]) * 16777619u;
	return h ^ h >> 15;
}

/* The slot of (r, icase, anch) of hash h: its entry, or the empty slot where it goes. */
static struct fent *fslot_h(struct freq *f, uint32_t h, const struct lit_run *r, int icase, int anch)
{
	size_t i = h & f->mask;

	for (;; i = (i + 1) & f->mask) {
		struct fent *e = &f->t[i];
		if (!e->count || (e->h == h && e->len == r->len && e->icase == icase && e->anch == anch &&
				  !memcmp(e->b, r->b, r->len)))
			return e;
	}
}

static struct fent *fslot(struct freq *f, const struct lit_run *r, int icase, int anch)
{
	return fslot_h(f, fhash(r, icase, anch), r, icase, anch);
}

/*
 * Zeroed slots.  Not calloc: a fresh page that a probe reads and then a
 * count writes costs two faults (much time in a VM); memset writes each
 * page once, up front.
 */
static struct fent *fslots(size_t n)
{
	struct fent *t = mem_alloc(n * sizeof(*t));

	if (t)
		memset(t, 0, n * sizeof(*t));
	return t;
}

/* Doubles the table when half full (keys are distinct: each goes to the first empty slot); 0 or TM_ENOMEM. */
static int fgrow(struct freq *f)
{
	struct freq g = {NULL, f->mask * 2 + 1, 0};

	if (!(g.t = fslots(g.mask + 1)))
		return TM_ENOMEM;
	for (size_t i = 0; i <= f->mask; i++) {
		const struct fent *e = &f->t[i];
		size_t j;
		if (!e->count)
			continue;
		for (j = e->h & g.mask; g.t[j].count; j = (j + 1) & g.mask)
			;
		g.t[j] = *e;
		g.used++;
	}
	mem_free(f->t);
	*f = g;
	return 0;
}

static int fcount(struct freq *f, const struct lit_run *r, int icase, int anch)
{
	struct fent *e;
	uint32_t h;

	if (f->used >= f->mask / 2 && fgrow(f))
		return TM_ENOMEM;
	h = fhash(r, icase, anch);
	e = fslot_h(f, h, r, icase, anch);
	if (!e->count) {
		e->h = h;
		e->len = r->len, e->icase = (uint8_t)icase, e->anch = (uint8_t)anch;
		memcpy(e->b, r->b, r->len);
		f->used++;
	}
	e->count++;
	return 0;
}

/* The key of branch lb: -1 for its anchored prefix, else a run index. */
static int choose(struct freq *f, const struct lit_branch *lb, int icase)
{
	int best = lb->anch.len ? -1 : 0;
	uint32_t bc = UINT32_MAX;
	int blen = 0, bshort = 1;

	if (lb->anch.len)
		bc = fslot(f, &lb->anch, icase, 1)->count, blen = lb->anch.len, bshort = 0;
	for (int k = 0; k < lb->nrun; k++) {
		const struct lit_run *r = &lb->run[k];
		int sh = r->len < 3;
		uint32_t c = fslot(f, r, icase, 0)->count;
		if (sh > bshort || (sh == bshort && (c > bc || (c == bc && r->len <= blen))))
			continue;
		best = k, bc = c, blen = r->len, bshort = sh;
	}
	return best;
}

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->len != y->len)
		return x->len - y->len;
	if (x->icase != y->icase)
		return x->icase - y->icase;
	return memcmp(x->b, y->b, x->len);
}

/* Groups sorted keys (anchor-keyed ones, len 0, first) into literals with owners. */
static int build_lits(struct mre_pf *pf, struct key *keys, size_t nk)
{
	size_t i, j;
	struct lit_run r;

	pf->lits = mem_calloc(nk + 1, sizeof(*pf->lits));
	pf->owners = mem_calloc(nk + 1, sizeof(uint32_t));
	if (!pf->lits || !pf->owners)
		return TM_ENOMEM;
	for (i = 0; i < nk && keys[i].len == 0; i++)
		;
	for (; i < nk; i = j) {
		struct pf_lit *l = &pf->lits[pf->nlits++];
		r.len = keys[i].len;
		memcpy(r.b, keys[i].b, r.len);
		if ((l->run = add_run(pf, &r)) == NONE)
			return TM_ENOMEM;
		l->icase = keys[i].icase;
		l->own = (uint32_t)i;
		for (j = i; j < nk && !key_cmp(&keys[i], &keys[j]); j++)
			pf->owners[j] = keys[j].br;
		l->nown = (uint32_t)(j - i);
	}
	return 0;
}

/*
 * Indexes each literal of 3 bytes or more by one of its 3-byte grams: the
 * one whose bucket is least loaded so far, text-like grams counting extra,
 * so that literals sharing a common start ("\r\nServer: ...") spread over
 * many buckets and long subjects of prose seldom hit one.
 */
static int place_grams(struct mre_pf *pf, uint32_t *load)
{
	for (size_t i = 0; i < pf->nlits; i++) {
		const struct pf_run *r = &pf->runs[pf->lits[i].run];
		const uint8_t *b = pf->pool + r->off;
		unsigned best = 0, bc = UINT32_MAX;
		if (r->len < 3) {
			pf->shorts[pf->nshorts++] = (uint32_t)i;
			continue;
		}
		for (unsigned o = 0; o + 3 <= r->len; o++) {
			unsigned c = load[ghash(folded(b + o, 3), pf->gbits)] + commonness(b + o);
			if (c <= bc)
				best = o, bc = c;
		}
		pf->lits[i].goff = (uint8_t)best;
		load[ghash(folded(b + best, 3), pf->gbits)]++;
	}
	return 0;
}

/* The 3-byte index, the short literals and the anchored-prefix index, as CSR arrays. */
static int build_index(struct mre_pf *pf)
{
	size_t nb, i;
	uint32_t *fill;
	int rc = TM_ENOMEM;

	for (pf->gbits = 6; pf->gbits < GRAM_BITS_MAX && (1u << pf->gbits) < 4 * pf->nlits;)
		pf->gbits++;
	nb = (size_t)1 << pf->gbits;
	fill = mem_calloc(nb, sizeof(uint32_t));
	pf->ghead = mem_calloc(nb + 1, sizeof(uint32_t));
	pf->gmap = mem_calloc(nb / 64, sizeof(uint64_t));
	pf->gent = mem_calloc(pf->nlits + 1, sizeof(*pf->gent));
	pf->shorts = mem_calloc(pf->nlits + 1, sizeof(uint32_t));
	pf->anch_br = mem_calloc(pf->nbr + 1, sizeof(uint32_t));
	if (!fill || !pf->ghead || !pf->gmap || !pf->gent || !pf->shorts || !pf->anch_br ||
	    place_grams(pf, fill))
		goto out;
	memcpy(pf->ghead + 1, fill, nb * sizeof(uint32_t)); /* the loads are the bucket sizes */
	for (i = 0; i < nb; i++)
		pf->ghead[i + 1] += pf->ghead[i];
	memcpy(fill, pf->ghead, nb * sizeof(uint32_t));
	for (i = 0; i < pf->nlits; i++) {
		const struct pf_run *r = &pf->runs[pf->lits[i].run];
		unsigned o = pf->lits[i].goff, k = r->len - o >= 4 ? 4 : 3;
		if (r->len < 3)
			continue;
		uint32_t g = ghash(folded(pf->pool + r->off + o, 3), pf->gbits);
		struct gent *e = &pf->gent[fill[g]++];
		e->w = folded(pf->pool + r->off + o, k);
		e->mask = k == 4 ? 0xffffffffu : 0xffffffu;
		e->lit = (uint32_t)i;
		e->off = o;
		pf->gmap[g >> 6] |= 1ull << (g & 63);
	}
	rc = 0;
out:
	mem_free(fill);
	return rc;
}

static uint32_t anch_bucket(const struct mre_pf *pf, uint32_t run)
{
	const struct pf_run *r = &pf->runs[run];
	uint32_t h = 2166136261u;

	for (unsigned k = 0; k < r->len; k++)
		h = ahash_step(h, pf->pool[r->off + k]);
	return abucket(h);
}

static int build_anchors(struct mre_pf *pf, const struct key *keys, size_t nk)
{
	uint32_t fill[ABUCKETS];
	size_t i;

	for (i = 0; i < nk && keys[i].len == 0; i++) {
		uint32_t a = pf->br[keys[i].br].anch;
		pf->anch_head[anch_bucket(pf, a) + 1]++;
		pf->anch_lens |= 1u << (pf->runs[a].len - 1);
	}
	for (i = 0; i < ABUCKETS; i++)
		pf->anch_head[i + 1] += pf->anch_head[i];
	memcpy(fill, pf->anch_head, sizeof(fill));
	for (i = 0; i < nk && keys[i].len == 0; i++)
		pf->anch_br[fill[anch_bucket(pf, pf->br[keys[i].br].anch)]++] = keys[i].br;
	return 0;
}

static int add_always(struct mre_pf *pf, uint32_t pat)
{
	if (grow((void **)&pf->always, &pf->calways, pf->nalways + 1, sizeof(uint32_t)))
		return TM_ENOMEM;
	pf->always[pf->nalways++] = pat;
	return 0;
}

/*
 * Counts the possible keys of every pattern Hyperscan did not take.  The
 * table starts at six slots a pattern (nmap's average is under three
 * distinct ones), at least 64 slots, so that it seldom grows: growing was
 * most of the count, and nmap's ~140 probes (most with a few patterns) each
 * zeroed 1024 slots.
 */
static int count_keys(struct mre *m, struct lit_info *li, struct freq *f)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++)
		n += !m->pat[i].hs;
	while (f->mask < 6 * n && f->mask < (1u << 22) - 1)
		f->mask = f->mask * 2 + 1;
	if (!(f->t = fslots(f->mask + 1)))
		return TM_ENOMEM;
	for (size_t i = 0; i < m->n; i++) {
		if (m->pat[i].hs)
			continue;
		mre_lit_get(m, i, li);
		for (int k = 0; !li->always && k < li->nbr; k++) {
			const struct lit_branch *lb = &li->br[k];
			if (lb->anch.len && fcount(f, &lb->anch, li->icase, 1))
				return TM_ENOMEM;
			for (int j = 0; j < lb->nrun; j++)
				if (fcount(f, &lb->run[j], li->icase, 0))
					return TM_ENOMEM;
		}
	}
	return 0;
}

/* Extracts the literals of every pattern Hyperscan did not take, into pf and keys. */
static int collect(struct mre *m, struct mre_pf *pf, struct key **keys, size_t *nk)
{
	struct lit_info *li = mem_alloc(sizeof(*li));
	struct freq f = {NULL, 63, 0}; /* count_keys sizes it */
	size_t ck = 0, i;
	int k, rc = TM_ENOMEM;

	if (!li || count_keys(m, li, &f))
		goto out;
	for (i = 0; i < m->n; i++) {
		if (m->pat[i].hs)
			continue;
		mre_lit_get(m, i, li);
		if (li->always) {
			if (add_always(pf, (uint32_t)i))
				goto out;
			continue;
		}
		if (grow((void **)keys, &ck, *nk + (size_t)li->nbr, sizeof(**keys)))
			goto out;
		for (k = 0; k < li->nbr; k++)
			if (add_branch(pf, (uint32_t)i, li->icase, &li->br[k],
				       choose(&f, &li->br[k], li->icase), &(*keys)[(*nk)++]))
				goto out;
	}
	rc = 0;
out:
	mem_free(f.t);
	mem_free(li);
	return rc;
}

int mre_pf_build(struct mre *m)
{
	struct mre_pf *pf = mem_calloc(1, sizeof(*pf));
	struct key *keys = NULL;
	size_t nk = 0;
	int rc = TM_ENOMEM;

	if (!pf)
		return TM_ENOMEM;
	if ((rc = collect(m, pf, &keys, &nk)))
		goto out;
	if (nk)
		qsort(keys, nk, sizeof(*keys), key_cmp);
	if ((rc = build_lits(pf, keys, nk)) || (rc = build_index(pf)) ||
	    (rc = build_anchors(pf, keys, nk)))
		goto out;
	m->pf = pf;
	pf = NULL;
out:
	mem_free(keys);
	mre_pf_free(pf);
	return rc;
}

void mre_pf_free(struct mre_pf *pf)
{
	if (!pf)
		return;
	mem_free(pf->pool);
	mem_free(pf->runs);
	mem_free(pf->br);
	mem_free(pf->brrun);
	mem_free(pf->lits);
	mem_free(pf->owners);
	mem_free(pf->ghead);
	mem_free(pf->gent);
	mem_free(pf->gmap);
	mem_free(pf->shorts);
	mem_free(pf->anch_br);
	mem_free(pf->always);
	mem_free(pf);
}

size_t mre_pf_literals(const struct mre_pf *pf)
{
	return pf ? pf->nlits : 0;
}

size_t mre_pf_always(const struct mre_pf *pf)
{
	return pf ? pf->nalways : 0;
}

/* (a, len) equals b, folded when icase (len is at most LIT_MAX: a loop beats a call). */
static inline int same(const uint8_t *a, const uint8_t *b, size_t len, int icase)
{
	if (!icase) {
		for (size_t k = 0; k < len; k++)
			if (a[k] != b[k])
				return 0;
		return 1;
	}
	for (size_t k = 0; k < len; k++)
		if (fold(a[k]) != fold(b[k]))
			return 0;
	return 1;
}

/* Next position of byte c in either case from h[i] on, by memchr (vectorised), or n. */
static size_t next_either(const uint8_t *h, size_t n, size_t i, uint8_t c)
{
	uint8_t up = c >= 'a' && c <= 'z' ? (uint8_t)(c - 32) : c;
	const uint8_t *a = memchr(h + i, c, n - i), *b = up != c ? memchr(h + i, up, n - i) : NULL;

	if (a && (!b || a < b))
		return (size_t)(a - h);
	return b ? (size_t)(b - h) : n;
}

static int contains(const uint8_t *h, size_t n, const uint8_t *nd, size_t m, int icase)
{
	if (m > n)
		return 0;
	if (!icase)
		return memmem(h, n, nd, m) != NULL;
	for (size_t i = next_either(h, n - m + 1, 0, fold(nd[0])); i + m <= n;
	     i = next_either(h, n - m + 1, i + 1, fold(nd[0])))
		if (same(h + i, nd, m, 1))
			return 1;
	return 0;
}

/* Does branch b's anchored prefix and every other run hold in (p, n)? */
static int verify(const struct mre_pf *pf, const struct pf_br *b, const uint8_t *p, size_t n)
{
	if (b->anch != NONE) {
		const struct pf_run *r = &pf->runs[b->anch];
		if (r->len > n || !same(p, pf->pool + r->off, r->len, b->icase))
			return 0;
	}
	for (uint32_t k = 0; k < b->nmore; k++) {
		const struct pf_run *r = &pf->runs[pf->brrun[b->more + k]];
		if (!contains(p, n, pf->pool + r->off, r->len, b->icase))
			return 0;
	}
	return 1;
}

static void take(const struct mre_pf *pf, struct mre_scratch *s, uint32_t br, const uint8_t *p,
		 size_t n)
{
	const struct pf_br *b = &pf->br[br];

	if (s->pstamp[b->pat] == s->gen || !verify(pf, b, p, n))
		return;
	s->pstamp[b->pat] = s->gen;
	s->cand[s->ncand++] = b->pat;
}

static void lit_found(const struct mre_pf *pf, struct mre_scratch *s, uint32_t l, const uint8_t *p,
		      size_t n)
{
	const struct pf_lit *lit = &pf->lits[l];

	s->lstamp[l] = s->gen;
	for (uint32_t k = 0; k < lit->nown; k++)
		take(pf, s, pf->owners[lit->own + k], p, n);
}

/* One pass of 3-byte grams over the subject, a 4-byte window kept folded as it slides. */
static void scan_grams(const struct mre_pf *pf, struct mre_scratch *s, const uint8_t *p, size_t n)
{
	uint32_t win;

	if (n < 3 || !pf->nlits)
		return;
	win = folded(p, n > 3 ? 4 : 3);
	for (size_t i = 0; i + 3 <= n; i++) {
		if (i)
			win = win >> 8 | (i + 3 < n ? (uint32_t)fold(p[i + 3]) << 24 : 0);
		uint32_t g = ghash(win & 0xffffff, pf->gbits);
		if (!(pf->gmap[g >> 6] >> (g & 63) & 1))
			continue;
		for (uint32_t k = pf->ghead[g]; k < pf->ghead[g + 1]; k++) {
			const struct gent *e = &pf->gent[k];
			if ((win & e->mask) != e->w || e->off > i || s->lstamp[e->lit] == s->gen)
				continue;
			const struct pf_run *r = &pf->runs[pf->lits[e->lit].run];
			if (r->len <= n - (i - e->off) &&
			    same(p + i - e->off, pf->pool + r->off, r->len, pf->lits[e->lit].icase))
				lit_found(pf, s, e->lit, p, n);
		}
	}
}

static void scan_anchors(const struct mre_pf *pf, struct mre_scratch *s, const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t len = 1; len <= n && len <= LIT_MAX; len++) {
		h = ahash_step(h, p[len - 1]);
		if (!(pf->anch_lens >> (len - 1) & 1))
			continue;
		uint32_t bk = abucket(h);
		for (uint32_t k = pf->anch_head[bk]; k < pf->anch_head[bk + 1]; k++) {
			uint32_t br = pf->anch_br[k];
			if (pf->runs[pf->br[br].anch].len == len)
				take(pf, s, br, p, n);
		}
	}
}

void mre_pf_scan(const struct mre_pf *pf, struct mre_scratch *s, const uint8_t *p, size_t n)
{
	size_t k;

	scan_grams(pf, s, p, n);
	for (k = 0; k < pf->nshorts; k++) {
		uint32_t l = pf->shorts[k];
		const struct pf_run *r = &pf->runs[pf->lits[l].run];
		if (s->lstamp[l] != s->gen &&
		    contains(p, n, pf->pool + r->off, r->len, pf->lits[l].icase))
			lit_found(pf, s, l, p, n);
	}
	scan_anchors(pf, s, p, n);
	for (k = 0; k < pf->nalways; k++) {
		uint32_t pat = pf->always[k];
		if (s->pstamp[pat] != s->gen) {
			s->pstamp[pat] = s->gen;
			s->cand[s->ncand++] = pat;
		}
	}
}
