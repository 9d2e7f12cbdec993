/*
 * mre.c - the multi-regex engine of mre.h: patterns checked as they are
 * added, a prefilter built at compile (Hyperscan, mre_hs.c, for what it
 * takes; required literals, mre_pf.c, for the rest), and the scan:
 * prefilter candidates, sorted into the order of addition, each confirmed
 * by pcre2_match under match and depth limits.
 *
 * Compiled on first use.  A capture tries only the few patterns its
 * prefilter selects, yet compiling all of nmap's 12k at load cost ~490M
 * instructions (a tenth of a 1 GB sniff).  So mre_add compiles a pattern
 * only when mre_syn.c cannot vouch for it (then a bad one is refused there
 * with PCRE2's message, as before); the others are compiled by the first
 * scan that selects them.  Thread safety, the choice: one mutex per engine
 * and, per pattern, an atomic pointer published with release and read with
 * acquire (double-checked: the fast path is one acquire load, the lock is
 * taken only while a pattern has no code yet, and the pointer is tested
 * again under it), so each pattern is compiled exactly once, whatever the
 * number of threads, and nobody sees a half-made one.  A per-thread cache
 * would compile a pattern once per thread and multiply the memory; a
 * compare-and-swap without the lock could compile it twice and throw one
 * away; pthread_once takes no argument.  The same scheme makes the JIT copy
 * (it was already lazy).  The lock is held for one compile (~40 us), on a
 * pattern's first use only.  TRUSTMAP_MRE_EAGER=1 compiles every pattern at
 * mre_add as before (to compare).
 */
#include "mre_int.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *pc_alloc(PCRE2_SIZE n, void *data)
{
	(void)data;
	return mem_alloc(n);
}

static void pc_free(void *p, void *data)
{
	(void)data;
	mem_free(p);
}

static int env_on(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0");
}

/* PCRE2's JIT, unless it is missing or TRUSTMAP_NO_JIT is set (to compare). */
static int jit_wanted(void)
{
	uint32_t jit = 0;

	if (env_on("TRUSTMAP_NO_JIT"))
		return 0;
	return pcre2_config(PCRE2_CONFIG_JIT, &jit) >= 0 && jit;
}

struct mre *mre_new(void)
{
	struct mre *m = mem_calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->maxcap = 1;
	m->gctx = pcre2_general_context_create(pc_alloc, pc_free, NULL);
	if (m->gctx) {
		m->mctx = pcre2_match_context_create(m->gctx);
		m->cctx = pcre2_compile_context_create(m->gctx);
	}
	if (!m->mctx || !m->cctx) {
		mre_free(m);
		return NULL;
	}
	pcre2_set_match_limit(m->mctx, MRE_MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, MRE_DEPTH_LIMIT);
	return m;
}

void mre_free(struct mre *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		pcre2_code_free(m->pat[i].code);
		mem_free(m->pat[i].src);
	}
	if (m->live) {
		for (size_t i = 0; m->live->p && i < m->n; i++) {
			pcre2_code_free(atomic_load(&m->live->p[i].code));
			pcre2_code_free(atomic_load(&m->live->p[i].jit));
		}
		mem_free(m->live->p);
		pthread_mutex_destroy(&m->live->lock);
		mem_free(m->live);
	}
	mem_free(m->pat);
	hs_free_database(m->db);
	mre_pf_free(m->pf);
	pcre2_match_context_free(m->mctx);
	pcre2_compile_context_free(m->cctx);
	pcre2_general_context_free(m->gctx);
	mem_free(m);
}

/* PCRE2's compile of (pat, len) into *code; 0, or TM_EPROTO/TM_ENOMEM with the message in eb. */
static int compile_one(const struct mre *m, const char *pat, size_t len, unsigned flags,
		       pcre2_code **code, char *eb, size_t el)
{
	uint32_t opts = (flags & MRE_CASELESS ? PCRE2_CASELESS : 0) |
			(flags & MRE_DOTALL ? PCRE2_DOTALL : 0);
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off = 0;
	int e = 0;

	*code = pcre2_compile((PCRE2_SPTR)pat, len, opts, &e, &off, m->cctx);
	if (*code)
		return 0;
	if (e == PCRE2_ERROR_NOMEMORY || e == PCRE2_ERROR_HEAP_FAILED)
		return err_set(eb, el, TM_ENOMEM, "out of memory");
	if (pcre2_get_error_message(e, msg, sizeof(msg)) < 0)
		return err_set(eb, el, TM_EPROTO, "regex error %d at offset %zu", e, (size_t)off);
	return err_set(eb, el, TM_EPROTO, "%s at offset %zu", (const char *)msg, (size_t)off);
}

int mre_add(struct mre *m, const char *pat, size_t len, unsigned flags, unsigned id, char *eb,
	    size_t el)
{
	struct mre_pat *pt;
	uint32_t groups = 0;
	int rc;

	if (!m || (!pat && len) || m->compiled)
		return err_set(eb, el, TM_EINVAL, "mre_add: bad call");
	if (!pat)
		pat = "";
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 64;
		void *np = mem_realloc(m->pat, nc * sizeof(*m->pat));
		if (!np)
			return err_set(eb, el, TM_ENOMEM, "out of memory");
		m->pat = np;
		m->cap = nc;
	}
	pt = &m->pat[m->n];
	memset(pt, 0, sizeof(*pt));
	if (!env_on("TRUSTMAP_MRE_EAGER") && mre_syntax_sure(pat, len, &pt->ncap, &pt->lits)) {
		groups = pt->ncap - 1; /* compiled on first use */
	} else {
		if ((rc = compile_one(m, pat, len, flags, &pt->code, eb, el)))
			return rc;
		pcre2_pattern_info(pt->code, PCRE2_INFO_CAPTURECOUNT, &groups);
		pt->lits = mre_literal_count(pat, len);
	}
	if (!(pt->src = mem_alloc(len + 1))) {
		pcre2_code_free(pt->code);
		return err_set(eb, el, TM_ENOMEM, "out of memory");
	}
	memcpy(pt->src, pat, len);
	pt->src[len] = 0;
	pt->len = len;
	pt->flags = flags;
	pt->id = id;
	pt->ncap = groups + 1;
	m->nlazy += !pt->code;
	if (pt->ncap > m->maxcap)
		m->maxcap = pt->ncap;
	m->n++;
	return 0;
}

static int live_init(struct mre *m)
{
	struct mre_live *l = mem_calloc(1, sizeof(*l));

	if (!l || !(l->p = mem_calloc(m->n, sizeof(*l->p)))) {
		mem_free(l);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < m->n; i++) {
		atomic_init(&l->p[i].code, NULL);
		atomic_init(&l->p[i].jit, NULL);
		atomic_init(&l->p[i].failed, 0);
	}
	l->jit = jit_wanted();
	atomic_init(&l->ncompiled, 0);
	pthread_mutex_init(&l->lock, NULL);
	m->live = l;
	return 0;
}

/*
 * Which patterns Hyperscan is offered.  By default (TRUSTMAP_PREFILTER unset
 * or "auto") only those the literal prefilter cannot key well: on nmap's
 * probes the literal prefilter scans several times faster than Hyperscan's
 * prefilter over thousands of ".*" patterns, and confirming its few extra
 * candidates costs less than the difference.  "hyperscan" offers it every
 * pattern, "portable" (or TRUSTMAP_NO_HYPERSCAN=1) none.
 */
static int offer_hs(struct mre *m)
{
	const char *no = getenv("TRUSTMAP_NO_HYPERSCAN"), *mode = getenv("TRUSTMAP_PREFILTER");
	struct lit_info *li;
	int any = 0;

	if ((no && *no && strcmp(no, "0")) || (mode && !strcmp(mode, "portable")))
		return 0;
	if (mode && !strcmp(mode, "hyperscan")) {
		for (size_t i = 0; i < m->n; i++)
			m->pat[i].want_hs = 1;
		return m->n > 0;
	}
	if (!(li = mem_alloc(sizeof(*li))))
		return TM_ENOMEM;
	for (size_t i = 0; i < m->n; i++) {
		mre_lit_get(m, i, li);
		m->pat[i].want_hs = (uint8_t)mre_lit_weak(li);
		any |= m->pat[i].want_hs;
	}
	mem_free(li);
	return any;
}

/* Undoes a compile that failed half-way, so that it may be tried again. */
static void uncompile(struct mre *m)
{
	hs_free_database(m->db);
	m->db = NULL;
	m->nhs = 0;
	m->from_cache = 0;
	for (size_t i = 0; i < m->n; i++)
		m->pat[i].hs = m->pat[i].want_hs = 0;
	mre_pf_free(m->pf);
	m->pf = NULL;
}

/* The literals' cache of one mre_compile; without it (out of memory) they are read each time. */
static void lit_cache_new(struct mre *m)
{
	struct lit_cache *c = mem_calloc(1, sizeof(*c));

	if (c && !(c->off = mem_alloc((m->n ? m->n : 1) * sizeof(*c->off)))) {
		mem_free(c);
		c = NULL;
	}
	if (c)
		memset(c->off, 0xff, m->n * sizeof(*c->off));
	m->lc = c;
}

static void lit_cache_free(struct mre *m)
{
	if (m->lc) {
		mem_free(m->lc->buf);
		mem_free(m->lc->off);
		mem_free(m->lc);
		m->lc = NULL;
	}
}

/* mre_compile's work; m->lc may hold the literals read so far. */
static int compile_parts(struct mre *m, const char *cache_dir, char *eb, size_t el)
{
	int rc;

	if ((rc = offer_hs(m)) < 0)
		goto fail;
	if (rc && (rc = mre_hs_build(m, cache_dir, eb, el)) == TM_ENOMEM)
		goto fail;
	for (size_t i = 0; i < m->n; i++)
		if (!m->pat[i].hs) {
			if ((rc = mre_pf_build(m)))
				goto fail;
			break;
		}
	if (m->n && (rc = live_init(m)))
		goto fail;
	m->compiled = 1;
	return 0;
fail:
	uncompile(m);
	return err_set(eb, el, rc, "out of memory");
}

int mre_compile(struct mre *m, const char *cache_dir, char *eb, size_t el)
{
	int rc, loaded;

	if (!m)
		return err_set(eb, el, TM_EINVAL, "mre_compile: no engine");
	if (m->compiled)
		return 0;
	lit_cache_new(m);
	m->lit_from_cache = loaded = mre_lit_cache_load(m, cache_dir);
	rc = compile_parts(m, cache_dir, eb, el);
	if (!rc && !loaded)
		mre_lit_cache_store(m, cache_dir);
	lit_cache_free(m);
	return rc;
}

static int grow_u32(uint32_t **p, size_t *have, size_t need)
{
	uint32_t *np;

	if (need <= *have)
		return 0;
	np = mem_realloc(*p, (need ? need : 1) * sizeof(**p));
	if (!np)
		return TM_ENOMEM;
	memset(np + *have, 0, (need - *have) * sizeof(**p));
	*p = np;
	*have = need;
	return 0;
}

int mre_scratch_fit(struct mre_scratch *s, const struct mre *m)
{
	if (!s || !m || !m->compiled)
		return TM_EINVAL;
	if (m->db && hs_alloc_scratch(m->db, &s->hs) != HS_SUCCESS)
		return TM_ENOMEM;
	if (m->maxcap > s->mdcap) {
		pcre2_match_data *md = pcre2_match_data_create(m->maxcap, m->gctx);
		if (!md)
			return TM_ENOMEM;
		pcre2_match_data_free(s->md);
		s->md = md;
		s->mdcap = m->maxcap;
	}
	if (grow_u32(&s->cand, &s->candcap, m->n) || grow_u32(&s->pstamp, &s->npstamp, m->n) ||
	    grow_u32(&s->lstamp, &s->nlstamp, mre_pf_literals(m->pf)))
		return TM_ENOMEM;
	return 0;
}

struct mre_scratch *mre_scratch_new(const struct mre *m)
{
	struct mre_scratch *s = mem_calloc(1, sizeof(*s));

	if (s && m && mre_scratch_fit(s, m)) {
		mre_scratch_free(s);
		return NULL;
	}
	return s;
}

void mre_scratch_free(struct mre_scratch *s)
{
	if (!s)
		return;
	hs_free_scratch(s->hs);
	pcre2_match_data_free(s->md);
	mem_free(s->cand);
	mem_free(s->pstamp);
	mem_free(s->lstamp);
	mem_free(s);
}

size_t mre_scratch_limit_hits(const struct mre_scratch *s)
{
	return s ? s->limit_hits : 0;
}

static int on_hs(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
		 void *ctx)
{
	struct mre_scratch *s = ctx;

	(void)from, (void)to, (void)flags;
	if (s->ncand < s->candcap)
		s->cand[s->ncand++] = id;
	return 0;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void sort_cand(uint32_t *c, size_t n)
{
	if (n > 24) {
		qsort(c, n, sizeof(*c), u32_cmp);
		return;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && c[j] < c[j - 1]; j--) {
			uint32_t t = c[j];
			c[j] = c[j - 1];
			c[j - 1] = t;
		}
}

static int fits(const struct mre *m, const struct mre_scratch *s)
{
	return s->candcap >= m->n && s->npstamp >= m->n && s->nlstamp >= mre_pf_literals(m->pf) &&
	       s->mdcap >= m->maxcap && (!m->db || s->hs);
}

/*
 * What mre_code_of and jit_of share: *slot's pointer, made by make() under
 * the engine's lock the first time anyone asks and published with release
 * (readers load it with acquire, without the lock); a refusal sets bit in
 * the pattern's failed word so that it is not tried again, except out of
 * memory (*rc TM_ENOMEM), tried again next time.  *rc is make()'s answer
 * (0 when this call made nothing).
 */
typedef pcre2_code *(*lazy_make_fn)(const struct mre *m, size_t i, void *arg, int *rc);

static pcre2_code *lazy(const struct mre *m, size_t i, _Atomic(pcre2_code *) *slot, int bit, lazy_make_fn make,
			void *arg, int *rc)
{
	atomic_int *failed = &m->live->p[i].failed;
	pcre2_code *c = atomic_load_explicit(slot, memory_order_acquire);

	*rc = 0;
	if (c || (atomic_load_explicit(failed, memory_order_relaxed) & bit))
		return c;
	pthread_mutex_lock(&m->live->lock);
	c = atomic_load_explicit(slot, memory_order_acquire);
	if (!c && !(atomic_load_explicit(failed, memory_order_relaxed) & bit)) {
		if ((c = make(m, i, arg, rc)))
			atomic_store_explicit(slot, c, memory_order_release);
		else if (*rc != TM_ENOMEM)
			atomic_fetch_or(failed, bit);
	}
	pthread_mutex_unlock(&m->live->lock);
	return c;
}

/* lazy's make for the interpreted code: eb (arg) holds the message of a refusal */
static pcre2_code *make_code(const struct mre *m, size_t i, void *eb, int *rc)
{
	const struct mre_pat *pt = &m->pat[i];
	pcre2_code *c = NULL;

	if (!(*rc = compile_one(m, pt->src, pt->len, pt->flags, &c, eb, TM_ERRLEN)))
		atomic_fetch_add_explicit(&m->live->ncompiled, 1, memory_order_relaxed);
	return *rc ? NULL : c;
}

/*
 * Pattern i's interpreted code, compiled under the lock on its first use
 * when mre_add did not, published with release; the compile context is the
 * engine's and is used only under the lock.  A pattern mre_syn.c vouched
 * for and PCRE2 refuses after all (a gap in mre_syn.c) is warned about
 * once and never matches; out of memory, it does not match this time.
 */
pcre2_code *mre_code_of(const struct mre *m, size_t i)
{
	pcre2_code *c;
	char eb[TM_ERRLEN];
	int rc;

	if (m->pat[i].code)
		return m->pat[i].code;
	if (!m->live)
		return NULL;
	c = lazy(m, i, &m->live->p[i].code, 1, make_code, eb, &rc);
	if (rc == TM_ENOMEM)
		log_warn("regex (id %u) not compiled on first use: %s", m->pat[i].id, eb);
	else if (rc)
		log_warn("regex (id %u) refused by PCRE2 on first use, never matches: %s",
			 m->pat[i].id, eb);
	return c;
}

/* lazy's make for the JIT copy of the interpreted code (arg) */
static pcre2_code *make_jit(const struct mre *m, size_t i, void *code, int *rc)
{
	pcre2_code *c = pcre2_code_copy(code);

	(void)m;
	(void)i;
	if (c && pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0)
		return c;
	pcre2_code_free(c);
	*rc = TM_EUNSUP; /* not tried again, out of memory or not */
	return NULL;
}

/*
 * The JIT-compiled copy of pattern i, compiled on its first use (about 10
 * us; all 12k of nmap's would add 130 ms to every load) and published the
 * same way; NULL when JIT is off or failed.  The interpreted code is never
 * modified, so other threads go on using it meanwhile.
 */
static pcre2_code *jit_of(const struct mre *m, size_t i, pcre2_code *code)
{
	int rc;

	if (!m->live->jit)
		return NULL;
	return lazy(m, i, &m->live->p[i].jit, 2, make_jit, code, &rc);
}

/*
 * One confirmation: JIT first, the interpreter when JIT stops at one of its
 * own limits; PCRE2_ERROR_NOMATCH for a pattern that could not be compiled.
 */
static int match_one(const struct mre *m, size_t i, struct mre_scratch *s, const uint8_t *p,
		     size_t n)
{
	pcre2_code *code = mre_code_of(m, i), *jc;
	int rc;

	s->confirms++;
	if (!code)
		return PCRE2_ERROR_NOMATCH;
	if ((jc = jit_of(m, i, code))) {
		rc = pcre2_match(jc, p, n, 0, 0, s->md, m->mctx);
		if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH)
			return rc;
	}
	return pcre2_match(code, p, n, 0, 0, s->md, m->mctx);
}

/* Runs PCRE2 on each candidate in order; fn may stop it. */
static void confirm(const struct mre *m, struct mre_scratch *s, const uint8_t *p, size_t n,
		    mre_fn fn, void *ctx)
{
	for (size_t k = 0; k < s->ncand; k++) {
		const struct mre_pat *pt = &m->pat[s->cand[k]];
		int rc = match_one(m, s->cand[k], s, p, n);
		if (rc < 0) {
			if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
			    rc == PCRE2_ERROR_HEAPLIMIT)
				s->limit_hits++;
			continue;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
		for (uint32_t j = rc ? (uint32_t)rc : pt->ncap; j < pt->ncap; j++)
			ov[2 * j] = ov[2 * j + 1] = PCRE2_UNSET;
		if (fn(ctx, pt->id, p, n, ov, (int)pt->ncap))
			return;
	}
}

int mre_scan(const struct mre *m, struct mre_scratch *s, const uint8_t *p, size_t n, mre_fn fn,
	     void *ctx)
{
	static const uint8_t empty[1];

	if (!m || !s || !fn || !m->compiled || !fits(m, s))
		return TM_EINVAL;
	if (!p)
		p = empty, n = 0;
	if (++s->gen == 0) {
		memset(s->pstamp, 0, s->npstamp * sizeof(uint32_t));
		memset(s->lstamp, 0, s->nlstamp * sizeof(uint32_t));
		s->gen = 1;
	}
	s->ncand = 0;
	if (m->db && hs_scan(m->db, (const char *)p, (unsigned)n, 0, s->hs, on_hs, s) != HS_SUCCESS)
		return TM_EINVAL;
	if (m->pf)
		mre_pf_scan(m->pf, s, p, n);
	sort_cand(s->cand, s->ncand);
	confirm(m, s, p, n, fn, ctx);
	return 0;
}

size_t mre_count(const struct mre *m)
{
	return m ? m->n : 0;
}

size_t mre_literals(const struct mre *m, size_t i)
{
	return m && i < m->n ? m->pat[i].lits : 0;
}

size_t mre_prefiltered(const struct mre *m)
{
	return m ? m->nhs : 0;
}

size_t mre_unfiltered(const struct mre *m)
{
	return m ? mre_pf_always(m->pf) : 0;
}

int mre_cache_dir(char *buf, size_t len)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	int w;

	if (x && x[0] == '/')
		w = snprintf(buf, len, "%s/trustmap", x);
	else if (h && *h)
		w = snprintf(buf, len, "%s/.cache/trustmap", h);
	else
		return TM_ENOTFOUND;
	return w > 0 && (size_t)w < len ? 0 : TM_ELIMIT;
}
