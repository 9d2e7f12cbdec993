/*
 * test_mre_syn.c - the syntax check that lets the multi-regex engine compile
 * a pattern on first use (src/attr/mre_syn.c): when it says "sure", PCRE2
 * compiles the pattern and finds the same number of capture groups, and the
 * literal characters are those mre_literal_count counts -- on
 * hand-made cases, on every regex of Debian's nmap-service-probes, and on
 * random patterns made of regex syntax, byte by byte and construct by
 * construct (TM_SYN_ITER=N each instead of 1,000,000); and how many of
 * nmap's it vouches for.  The literals mre_compile keeps packed are those
 * mre_lit_extract reads.  Then the engine:
 * patterns left to their first use are compiled once, refused ones still
 * fail at mre_add, eager and lazy engines find the same matches, and a
 * compile that runs out of memory on first use is no match, then retried.
 */
#include "check.h"
#include "attr/mre.h"
#include "attr/mre_int.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* PCRE2's verdict: -1 refused, else its capture groups + 1. */
static int pcre_ncap(const char *p, size_t n, unsigned flags)
{
	int e;
	PCRE2_SIZE eo;
	uint32_t groups = 0;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)p, n,
				      (flags & MRE_CASELESS ? PCRE2_CASELESS : 0) |
					      (flags & MRE_DOTALL ? PCRE2_DOTALL : 0),
				      &e, &eo, NULL);

	if (!c)
		return -1;
	pcre2_pattern_info(c, PCRE2_INFO_CAPTURECOUNT, &groups);
	pcre2_code_free(c);
	return (int)groups + 1;
}

/*
 * Sure implies accepted with the same groups, and the literals counted as
 * mre_literal_count does; returns 1 when sure.
 */
static int sound(const char *p, size_t n, unsigned flags, int verbose)
{
	uint32_t ncap = 0;
	size_t lits = 0, lc;
	int pc;

	if (!mre_syntax_sure(p, n, &ncap, &lits))
		return 0;
	pc = pcre_ncap(p, n, flags);
	lc = mre_literal_count(p, n);
	if (pc != (int)ncap || lits != lc) {
		CHECK_INT(pc, ncap);
		CHECK_INT(lits, lc);
		if (verbose)
			fprintf(stderr, "  pattern: \"%.*s\"\n", (int)n, p);
	}
	return 1;
}

static void test_cases(void)
{
	static const struct {
		const char *p;
		int ncap; /* 0: not sure */
	} c[] = {
		{"^SSH-([\\d.]+)-OpenSSH_([\\w.]+)\\r?\\n", 3},
		{"^220 (\\S+) FTP", 2},
		{"(?:a|b)+(c)?(?=x)(?!y)", 2},
		{"^HTTP/1\\.[01] \\d\\d\\d .*\\r\\nServer: ([^\\r\\n]+)", 2},
		{"(?i)login:", 1},
		{"(?s-i:a.b)(?m)^x$", 1},
		{"[]a-z\\]\\-\\x41-\\x5a\\d]{1,3}?", 1},
		{"[^]]", 1},
		{"\\0\\x\\x4\\xff\\e\\a\\f\\t", 1},
		{"{json}", 1},
		{"a{2}b{3,}c{4,5}+", 1},
		{"(a)\\1", 2},
		{"\\1(a)", 2},
		{"(?>a+)b", 1},
		{"", 1},
		{"()", 2},
		{"a|", 1},
		{"\\b\\B\\A\\z\\Z\\G", 1},
		{"[\\b]", 1},
		/* not sure: PCRE2 must say (most are errors) */
		{"a(b", 0},
		{"a)b", 0},
		{"*a", 0},
		{"a**", 0},
		{"a{2}{3}", 0},
		{"^*", 0},
		{"(?=a)*", 0},
		{"(?i)+", 0},
		{"[z-a]", 0},
		{"[a-c-e]", 0},
		{"[\\d-z]", 0},
		{"[a-\\d]", 0},
		{"[[:alpha:]]", 0},
		{"[:alpha:]", 0},
		{"[abc", 0},
		{"\\", 0},
		{"\\p{L}", 0},
		{"\\k<n>", 0},
		{"\\Qa\\E", 0},
		{"\\cA", 0},
		{"\\x{41}", 0},
		{"\\i", 0},
		{"\\12", 0},
		{"(a)\\2", 0},
		{"[\\1]", 0},
		{"[\\B]", 0},
		{"(?<=a)b", 0},
		{"(?<n>a)", 0},
		{"(?P<n>a)", 0},
		{"(?|(a)|(b))", 0},
		{"(?x) a", 0},
		{"(?#c)", 0},
		{"(*UTF)a", 0},
		{"(?-)", 0},
		{"(?i", 0},
		{"a{,3}", 0},
		{"a{ 3}", 0},
		{"a{3,2}", 0},
		{"a{65536}", 0},
		{"(abcdefgh){65535}", 0},
		{"(a){1000}(b){1000}", 0},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint32_t ncap = 0;
		size_t lits;
		int sure = mre_syntax_sure(c[i].p, strlen(c[i].p), &ncap, &lits);
		if (sure != (c[i].ncap > 0) || (sure && (int)ncap != c[i].ncap))
			fprintf(stderr, "case %zu \"%s\": sure %d ncap %u\n", i, c[i].p, sure, ncap);
		CHECK_INT(sure, c[i].ncap > 0);
		if (sure)
			CHECK_INT(ncap, c[i].ncap);
		sound(c[i].p, strlen(c[i].p), 0, 1);
	}
}

/* The fields of a lit_info that anything reads. */
static int same_lits(const struct lit_info *a, const struct lit_info *b)
{
	if (a->always != b->always || a->icase != b->icase || a->nbr != b->nbr)
		return 0;
	for (int k = 0; k < a->nbr; k++) {
		const struct lit_branch *x = &a->br[k], *y = &b->br[k];
		if (x->anch.len != y->anch.len || memcmp(x->anch.b, y->anch.b, x->anch.len) ||
		    x->nrun != y->nrun)
			return 0;
		for (int j = 0; j < x->nrun; j++)
			if (x->run[j].len != y->run[j].len ||
			    memcmp(x->run[j].b, y->run[j].b, x->run[j].len))
				return 0;
	}
	return 1;
}

/* The packed literals mre_compile reads (mre_lit_get) are what mre_lit_extract reads. */
static void check_lit_cache(struct mre *m)
{
	struct lit_cache c = {NULL, 0, 0, malloc(m->n * sizeof(uint32_t))};
	static struct lit_info a, b, e;
	size_t same = 0;

	memset(c.off, 0xff, m->n * sizeof(uint32_t));
	m->lc = &c;
	for (size_t i = 0; i < m->n; i++)
		mre_lit_get(m, i, &a); /* read and packed */
	for (size_t i = 0; i < m->n; i++) {
		memset(&b, 0x5a, sizeof(b));
		mre_lit_get(m, i, &b); /* unpacked */
		mre_lit_extract(m->pat[i].src, m->pat[i].len, m->pat[i].flags, &e);
		same += (size_t)same_lits(&b, &e);
	}
	m->lc = NULL;
	CHECK_INT(same, m->n);
	CHECK(c.len > 0 && c.len < m->n * 200); /* a few dozen bytes a pattern */
	mem_free(c.buf);
	free(c.off);
}

/* Every regex of nmap-service-probes: sound, most of them vouched for, literals packed right. */
static void test_nmap_file(void)
{
	FILE *f = fopen("/usr/share/nmap/nmap-service-probes", "r");
	char line[70000], eb[TM_ERRLEN];
	size_t total = 0, sure = 0;
	struct mre *mr = mre_new();

	if (!f) {
		printf("test_mre_syn: no nmap-service-probes, its patterns skipped\n");
		mre_free(mr);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *m, *e;
		unsigned fl = 0;
		if (strncmp(line, "match ", 6) && strncmp(line, "softmatch ", 10))
			continue;
		if (!(m = strstr(line, " m")) || !m[2] || !(e = strchr(m + 3, m[2])))
			continue;
		for (char *o = e + 1; *o == 'i' || *o == 's'; o++)
			fl |= *o == 'i' ? MRE_CASELESS : MRE_DOTALL;
		total++;
		sure += (size_t)sound(m + 3, (size_t)(e - (m + 3)), fl, 1);
		mre_add(mr, m + 3, (size_t)(e - (m + 3)), fl, 0, eb, sizeof(eb));
	}
	fclose(f);
	CHECK(mre_count(mr) > 10000); /* this crude reader misreads a few lines */
	check_lit_cache(mr);
	mre_free(mr);
	printf("test_mre_syn: nmap-service-probes: %zu of %zu regexes vouched for\n", sure, total);
	CHECK(total > 10000);
	CHECK(sure * 100 >= total * 95); /* 11,851 of 11,905 with nmap 7.93 */
}

/* Random strings of regex syntax: "sure" is never wrong. */
static void test_random(void)
{
	static const char alpha[] = "()[]{}|*+?.^$\\-:=!<>,^0123456789abdswxAZBinrtPQEcgk{}--  \x00\xff";
	const char *it = getenv("TM_SYN_ITER");
	unsigned long iters = it ? strtoul(it, NULL, 10) : 1000000, sure = 0, ok = 0;
	unsigned seed = 12345;
	char p[32];

	for (unsigned long k = 0; k < iters; k++) {
		size_t n = (size_t)(rand_r(&seed) % 24);
		for (size_t i = 0; i < n; i++) {
			int r = rand_r(&seed);
			p[i] = r % 4 ? alpha[r / 4 % (int)(sizeof(alpha) - 1)] : (char)('a' + r / 4 % 3);
		}
		if (sound(p, n, k & 3, 1))
			sure++;
		else if (k % 16 == 0 && pcre_ncap(p, n, 0) > 0)
			ok++;
	}
	printf("test_mre_syn: %lu random patterns, %lu vouched for (all right), ~%lu more PCRE2 "
	       "accepts\n", iters, sure, ok * 16);
	CHECK(sure > iters / 20);
}

/* Random sequences of whole constructs (groups, options, classes, counted repeats). */
static void test_random_tokens(void)
{
	static const char *const tok[] = {
		"(", ")", "(?:", "(?=", "(?!", "(?>", "(?i)", "(?-i)", "(?s-i:", "(?m)", "(?<=",
		"|", "*", "+", "?", "*?", "++", "{2}", "{0,3}", "{2,}", "{3,2}", "{65535}", "{,2}",
		"{x}", "{", "}", "[a-z]", "[^\\]\r\n]", "[", "]", "-", "[\\d-]", "[z-a]", "[]",
		"\\1", "\\2", "\\0", "\\x4", "\\xff", "\\x{4}", "\\d", "\\b", "\\B",
		"\\Q", "\\E", "\\", "^", "$", ".", "a", "b", "ab", "\\.", "[[:alpha:]]", ":]",
	};
	const char *it = getenv("TM_SYN_ITER");
	unsigned long iters = it ? strtoul(it, NULL, 10) : 1000000, sure = 0;
	unsigned seed = 777;
	char p[128];

	for (unsigned long k = 0; k < iters; k++) {
		size_t n = 0, parts = (size_t)(rand_r(&seed) % 12);
		for (size_t i = 0; i < parts; i++) {
			const char *t = tok[rand_r(&seed) % (int)(sizeof(tok) / sizeof(tok[0]))];
			size_t tl = strlen(t);
			memcpy(p + n, t, tl);
			n += tl;
		}
		sure += (unsigned long)sound(p, n, (unsigned)k & 3, 1);
	}
	printf("test_mre_syn: %lu random token sequences, %lu vouched for (all right)\n", iters,
	       sure);
	CHECK(sure > iters / 20);
}

struct got {
	unsigned id[16];
	int n;
};

static int collect(void *ctx, unsigned id, const uint8_t *subj, size_t n, const size_t *ov, int nc)
{
	struct got *g = ctx;

	(void)subj, (void)n, (void)ov, (void)nc;
	if (g->n < 16)
		g->id[g->n] = id;
	g->n++;
	return 0;
}

static struct mre *engine(int eager)
{
	static const char *const pats[] = {"^SSH-([\\d.]+)-", "OpenSSH_(\\S+)", "a(b", "[[:digit:]]+x",
					   "^220 ", "(?<=SSH-)2"};
	struct mre *m = mre_new();
	char eb[TM_ERRLEN];
	int bad = 0;

	if (eager)
		setenv("TRUSTMAP_MRE_EAGER", "1", 1);
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		if (mre_add(m, pats[i], strlen(pats[i]), 0, (unsigned)i, eb, sizeof(eb)))
			bad++;
	unsetenv("TRUSTMAP_MRE_EAGER");
	CHECK_INT(bad, 1); /* a(b, with PCRE2's message */
	CHECK_INT(mre_count(m), 5);
	CHECK_INT(mre_compile(m, NULL, eb, sizeof(eb)), 0);
	return m;
}

static void test_engine(void)
{
	struct mre *lazy = engine(0), *eager = engine(1);
	struct mre_scratch *s = mre_scratch_new(lazy);
	struct got a = {{0}, 0}, b = {{0}, 0};
	const char *subj = "SSH-2.0-OpenSSH_9.2 12x";

	CHECK_INT(lazy->nlazy, 3); /* [[:digit:]] and the lookbehind compiled at mre_add */
	CHECK_INT(eager->nlazy, 0);
	CHECK(lazy->pat[0].code == NULL && lazy->pat[2].code != NULL);
	CHECK(mre_scratch_fit(s, eager) == 0);
	CHECK_INT(mre_scan(lazy, s, (const uint8_t *)subj, strlen(subj), collect, &a), 0);
	CHECK_INT(mre_scan(eager, s, (const uint8_t *)subj, strlen(subj), collect, &b), 0);
	CHECK_INT(a.n, 4);
	CHECK_INT(b.n, a.n);
	CHECK(!memcmp(a.id, b.id, sizeof(a.id)));
	CHECK(atomic_load(&lazy->live->p[0].code) != NULL); /* compiled once, kept */
	CHECK(atomic_load(&lazy->live->p[2].code) == NULL); /* it had its own */
	CHECK(mre_code_of(lazy, 0) == atomic_load(&lazy->live->p[0].code));

	/* the first use runs out of memory: no match this time, compiled the next */
	struct mre *m = engine(0);
	struct got c = {{0}, 0};
	int rounds = 0, missed = 0;
	log_set_level(LOG_ERROR);
	for (unsigned long k = 1; k < 200 && !atomic_load(&m->live->p[1].code); k++, rounds++) {
		memset(&c, 0, sizeof(c));
		mem_fail_at(k);
		mre_scan(m, s, (const uint8_t *)"OpenSSH_9", 9, collect, &c);
		mem_fail_at(0);
		missed += c.n == 0;
	}
	log_set_level(LOG_WARN);
	memset(&c, 0, sizeof(c));
	CHECK_INT(mre_scan(m, s, (const uint8_t *)"OpenSSH_9", 9, collect, &c), 0);
	CHECK_INT(c.n, 1);
	CHECK(missed > 0);
	mre_free(m);
	mre_scratch_free(s);
	mre_free(lazy);
	mre_free(eager);
}

/* Threads that meet the same patterns first at once (run it under TSan too). */
#define NTHR 8
#define NPAT 400

struct thr {
	const struct mre *m;
	pthread_barrier_t *go;
	int hits[NPAT];
	int ok;
};

static int note(void *ctx, unsigned id, const uint8_t *subj, size_t n, const size_t *ov, int nc)
{
	struct thr *t = ctx;

	(void)subj, (void)n, (void)nc;
	if (id < NPAT && ov[0] != MRE_UNSET)
		t->hits[id]++;
	return 0;
}

static void *worker(void *arg)
{
	struct thr *t = arg;
	struct mre_scratch *s = mre_scratch_new(t->m);
	char subj[64];

	t->ok = s != NULL;
	pthread_barrier_wait(t->go);
	for (int round = 0; s && round < 3; round++)
		for (int k = 0; k < NPAT; k++) {
			int n = snprintf(subj, sizeof(subj), "banner-%03d v%d.%d\r\n", k, k % 7, round);
			if (mre_scan(t->m, s, (const uint8_t *)subj, (size_t)n, note, t))
				t->ok = 0;
		}
	mre_scratch_free(s);
	return NULL;
}

static void test_threads(void)
{
	struct mre *m = mre_new();
	static struct thr t[NTHR];
	pthread_t th[NTHR];
	pthread_barrier_t go;
	char pat[64], eb[TM_ERRLEN];
	int same = 1, all = 1;

	for (int k = 0; k < NPAT; k++) {
		int n = snprintf(pat, sizeof(pat), "^banner-%03d v(\\d+)\\.(\\d)", k);
		CHECK_INT(mre_add(m, pat, (size_t)n, 0, (unsigned)k, eb, sizeof(eb)), 0);
	}
	CHECK_INT(mre_compile(m, NULL, eb, sizeof(eb)), 0);
	CHECK_INT(m->nlazy, NPAT);
	pthread_barrier_init(&go, NULL, NTHR);
	for (int i = 0; i < NTHR; i++) {
		t[i].m = m;
		t[i].go = &go;
		pthread_create(&th[i], NULL, worker, &t[i]);
	}
	for (int i = 0; i < NTHR; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (int i = 0; i < NTHR; i++) {
		all &= t[i].ok;
		for (int k = 0; k < NPAT; k++)
			same &= t[i].hits[k] == 3;
	}
	CHECK(all);
	CHECK(same); /* each thread: each pattern matched its banner in each round */
	CHECK_INT(atomic_load(&m->live->ncompiled), NPAT); /* each compiled once */
	mre_free(m);
}

int main(void)
{
	test_cases();
	test_nmap_file();
	test_random();
	test_random_tokens();
	test_engine();
	test_threads();
	return check_done("test_mre_syn");
}
