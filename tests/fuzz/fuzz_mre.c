/*
 * fuzz_mre.c - a differential target for the multi-regex engine: the input
 * is "F pattern" lines (F a digit: bit 0 caseless, bit 1 dotall), a blank
 * line, then a subject.  The engine with the literal prefilter must find
 * exactly the patterns that PCRE2 alone finds, one by one; any difference
 * means the literal extractor called something required that is not, and
 * aborts.  JIT off on both sides, so the match limits act the same.
 */
#include "attr/mre.h"
#include "core/err.h"
#include "core/log.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define MAXPAT 16

struct seen {
	unsigned char hit[MAXPAT];
};

static int note(void *ctx, unsigned id, const uint8_t *subj, size_t n, const size_t *ovec, int ncap)
{
	(void)subj, (void)n, (void)ovec, (void)ncap;
	((struct seen *)ctx)->hit[id] = 1;
	return 0;
}

/* PCRE2 alone, with the engine's limits: 1 match, 0 none, -1 limit hit (not comparable). */
static int alone(const char *p, size_t pl, unsigned fl, const uint8_t *s, size_t sl)
{
	int e, rc;
	PCRE2_SIZE eo;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)p, pl,
				      (fl & MRE_CASELESS ? PCRE2_CASELESS : 0) |
					      (fl & MRE_DOTALL ? PCRE2_DOTALL : 0),
				      &e, &eo, NULL);
	pcre2_match_data *md;
	pcre2_match_context *mc = pcre2_match_context_create(NULL);

	if (!c)
		return 0;
	md = pcre2_match_data_create_from_pattern(c, NULL);
	pcre2_set_match_limit(mc, MRE_MATCH_LIMIT);
	pcre2_set_depth_limit(mc, MRE_DEPTH_LIMIT);
	rc = pcre2_match(c, s, sl, 0, 0, md, mc);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	pcre2_code_free(c);
	return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data, *end = d + size, *sep = memmem(d, size, "\n\n", 2);
	const char *pat[MAXPAT];
	size_t plen[MAXPAT], np = 0;
	unsigned fl[MAXPAT];
	struct mre *m;
	struct mre_scratch *s;
	struct seen seen = {{0}};
	char eb[TM_ERRLEN];
	int added[MAXPAT] = {0};

	if (!sep)
		return 0;
	setenv("TRUSTMAP_PREFILTER", "portable", 1);
	setenv("TRUSTMAP_NO_JIT", "1", 1);
	log_set_level(LOG_ERROR);
	for (const char *l = d; l < sep && np < MAXPAT;) {
		const char *nl = memchr(l, '\n', (size_t)(sep - l));
		const char *le = nl ? nl : sep;
		if (le - l >= 2 && l[0] >= '0' && l[0] <= '3' && l[1] == ' ') {
			fl[np] = (unsigned)(l[0] - '0');
			pat[np] = l + 2;
			plen[np++] = (size_t)(le - l - 2);
		}
		l = le + 1;
	}
	if (!(m = mre_new()))
		return 0;
	for (size_t i = 0; i < np; i++)
		added[i] = !mre_add(m, pat[i], plen[i], fl[i], (unsigned)i, eb, sizeof(eb));
	if (mre_compile(m, NULL, eb, sizeof(eb)) || !(s = mre_scratch_new(m))) {
		mre_free(m);
		return 0;
	}
	const uint8_t *subj = (const uint8_t *)sep + 2;
	size_t sl = (size_t)(end - (sep + 2));
	mre_scan(m, s, subj, sl, note, &seen);
	for (size_t i = 0; i < np; i++) {
		int want = added[i] ? alone(pat[i], plen[i], fl[i], subj, sl) : 0;
		if (want >= 0 && want != seen.hit[i])
			abort(); /* the prefilter dropped a real match, or the engine invented one */
	}
	mre_scratch_free(s);
	mre_free(m);
	return 0;
}
