/*
 * mre.h - a multi-regex engine: many PCRE patterns, one pass over a subject,
 * the real matches in the order the patterns were added, with captures.  A
 * prefilter names the few patterns that may match; PCRE2 (compiled and
 * JIT-compiled on first use, mre.c) confirms each candidate and extracts
 * the captures, under match and depth limits so that a hostile subject
 * cannot make a pattern backtrack for ever.  Generic: knows nothing of nmap.
 *
 * Two prefilters (mre_int.h): required literals of our own (anchored
 * prefixes and literal runs read out of each pattern, found by one hashed
 * pass over the subject), and Hyperscan in prefilter mode.  The environment
 * variable TRUSTMAP_PREFILTER picks the policy: "auto" (the default) gives
 * Hyperscan only the patterns without a good literal key ("^[0-9A-F]{12}$")
 * and the literal prefilter the rest, because on nmap's probes that is
 * fastest (about 600k matches/s against 250k with Hyperscan taking all, see
 * tests/unit/test_nmap.c TM_BENCH); "hyperscan" offers it every pattern;
 * "portable" (or TRUSTMAP_NO_HYPERSCAN=1) none.  Patterns Hyperscan
 * refuses always fall to the literal prefilter.  TRUSTMAP_NO_JIT=1 turns
 * PCRE2's JIT off.
 *
 * Life cycle: mre_new, mre_add for each pattern, mre_compile once, then any
 * number of threads call mre_scan, each with its own struct mre_scratch.  An
 * mre is read-only after mre_compile (the codes and JIT copies made on a
 * pattern's first use aside, made thread-safely: see mre.c).
 *
 * A Hyperscan database of many patterns takes seconds to build, so
 * mre_compile keeps it in cache_dir as "mre-<hash>.hsdb", the hash covering
 * every pattern, its flags, which ones were offered and the Hyperscan
 * version; callers pass $XDG_CACHE_HOME/trustmap, else ~/.cache/trustmap
 * (mre_cache_dir() builds that path).  Files unused for 30 days are removed
 * when a new one is written.
 */
#ifndef TM_MRE_H
#define TM_MRE_H

#include <stddef.h>
#include <stdint.h>

struct mre;
struct mre_scratch;

enum { MRE_CASELESS = 1, MRE_DOTALL = 2 };

/* Offset of a group that took no part in a match (PCRE2_UNSET). */
#define MRE_UNSET (~(size_t)0)

/* PCRE2 limits applied to every confirmation (nmap uses the same). */
#define MRE_MATCH_LIMIT 100000
#define MRE_DEPTH_LIMIT 10000

/* NULL when out of memory.  Free with mre_free (NULL is a no-op). */
struct mre *mre_new(void);
void mre_free(struct mre *m);

/*
 * Adds pattern (pat, len) (may hold NUL bytes) with the caller's id (ids
 * need not be dense or unique).  A pattern PCRE2 rejects fails here with
 * TM_EPROTO and PCRE2's message and offset in eb; the mre is unchanged.
 * PCRE2 compiles it here only when a cheap syntax check (mre_syn.c) cannot
 * vouch for it; otherwise the first mre_scan that needs it does (all of
 * nmap's 12k patterns took ~35 ms at load, a few are used per capture).
 * TRUSTMAP_MRE_EAGER=1 compiles every pattern here.  TM_EINVAL after
 * mre_compile.
 */
int mre_add(struct mre *m, const char *pat, size_t len, unsigned flags, unsigned id, char *eb,
	    size_t el);

/*
 * Builds the prefilter.  cache_dir (NULL: no cache) holds the serialized
 * Hyperscan database: reused when present and valid, else rebuilt and
 * rewritten atomically (temporary file + rename); a cache that cannot be
 * written only costs time.  When Hyperscan fails as a whole the portable
 * prefilter takes every pattern (logged as a warning), so this fails only
 * on TM_ENOMEM.
 */
int mre_compile(struct mre *m, const char *cache_dir, char *eb, size_t el);

/*
 * Scratch for one thread; NULL when out of memory or m is not compiled.  m
 * may be NULL for an empty scratch that mre_scratch_fit then sizes.
 */
struct mre_scratch *mre_scratch_new(const struct mre *m);
/* Makes s usable with m too (one scratch for several engines); 0 or TM_E*. */
int mre_scratch_fit(struct mre_scratch *s, const struct mre *m);
void mre_scratch_free(struct mre_scratch *s);
/* How many PCRE2 confirmations stopped at a match/depth/heap limit (counted as no match). */
size_t mre_scratch_limit_hits(const struct mre_scratch *s);

/*
 * Called for each real match: ovec[2*i], ovec[2*i+1] are the offsets of
 * group i in subj (i = 0 the whole match; MRE_UNSET for a group that did
 * not take part), ncap = groups + 1.  Return nonzero to
 * stop the scan.
 */
typedef int (*mre_fn)(void *ctx, unsigned id, const uint8_t *subj, size_t n, const size_t *ovec,
		      int ncap);

/*
 * Calls fn for every pattern that matches (p, n), in the order the
 * patterns were added.  s must have been made for (or fitted to) m.
 * Returns 0 (also when fn stopped it) or TM_EINVAL (not compiled, scratch
 * too small).
 */
int mre_scan(const struct mre *m, struct mre_scratch *s, const uint8_t *p, size_t n, mre_fn fn,
	     void *ctx);

size_t mre_count(const struct mre *m);
/* mre_literal_count of pattern i (in the order added; 0 past the end), counted at mre_add. */
size_t mre_literals(const struct mre *m, size_t i);
/* How many patterns Hyperscan took (0 on the portable path). */
size_t mre_prefiltered(const struct mre *m);
/* How many patterns no prefilter can rule out (tried by PCRE2 on every subject). */
size_t mre_unfiltered(const struct mre *m);

/*
 * Number of literal characters in a PCRE pattern (escapes like \r or \x41
 * count one, character classes, quantifiers and group syntax none): a crude
 * measure of how specific a pattern is.
 */
size_t mre_literal_count(const char *pat, size_t len);

/*
 * The default cache directory: $XDG_CACHE_HOME/trustmap, else
 * $HOME/.cache/trustmap, into buf.  TM_ENOTFOUND when neither variable is
 * set, TM_ELIMIT when buf is too small.
 */
int mre_cache_dir(char *buf, size_t len);

#endif
