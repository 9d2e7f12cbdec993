/*
 * nmap.h - nmap's service probes (nmap-service-probes, from Debian's
 * nmap-common) as knowledge: Probe sections with their match and softmatch
 * lines, read at run time (never copied into the repository), and matching
 * of a service's response to a named probe the way nmap's version detection
 * does it: the probe's own lines in file order, then those of its fallback
 * probes, then (TCP) the NULL probe's; the first hard match ends the search.
 * The version templates (p/ v/ i/ h/ o/ d/ cpe:/) are filled from the
 * captures with $1..$9, $P(n), $SUBST(n,"a","b") and $I(n,">"|"<").
 *
 * Each probe's regexes go into one multi-regex engine (attr/mre.h), so a
 * response costs a prefilter pass plus a few PCRE2 confirmations, not
 * thousands of regex runs.  The database is read-only after nmap_compile;
 * threads share it, each with its own struct nmap_scratch.
 */
#ifndef TM_NMAP_H
#define TM_NMAP_H

#include <stddef.h>
#include <stdint.h>

#define NMAP_PROBES_PATH "/usr/share/nmap/nmap-service-probes"
#define NMAP_MAXFB 20 /* fallback probes followed per probe */

struct nmap_db;
struct nmap_scratch;

/* An empty database in *out (free with nmap_free); 0 or TM_ENOMEM. */
int nmap_new(struct nmap_db **out);

/*
 * Adds the probes of one file's text (data, len), named file in messages.
 * Bad lines (unknown directive, unterminated regex or template, a regex
 * PCRE2 refuses, a match before any Probe...) are counted, warned about as
 * "file:line: why" (the first 20 per file) and skipped: not fatal.  Returns
 * 0, TM_ENOMEM, or TM_EINVAL after nmap_compile.
 */
int nmap_parse(struct nmap_db *db, const char *file, const char *data, size_t len, char *eb,
	       size_t el);

/*
 * Resolves fallbacks and builds each probe's matcher; cache_dir as for
 * mre_compile (NULL: no cache; see mre_cache_dir()).  Unknown fallback
 * names are warned about and ignored.  0 or TM_ENOMEM.
 */
int nmap_compile(struct nmap_db *db, const char *cache_dir, char *eb, size_t el);

/* nmap_new + nmap_parse of the file at path (at most 64 MiB) + nmap_compile. */
int nmap_load(struct nmap_db **out, const char *path, const char *cache_dir, char *eb, size_t el);
void nmap_free(struct nmap_db *db);

/* One per thread, after nmap_compile; NULL when out of memory or not compiled. */
struct nmap_scratch *nmap_scratch_new(const struct nmap_db *db);
void nmap_scratch_free(struct nmap_scratch *s);

struct nmap_hit {
	char service[32]; /* "ssh", "http", ... */
	int soft;	  /* 1: a softmatch line (service only, usually no version) */
	unsigned line;	  /* the match line's number in its probes file */
	char product[64], version[48], info[96], hostname[64], os[48], devtype[32];
	char cpe[4][96];  /* "cpe:/a:openbsd:openssh:8.4p1" ... */
	int ncpe;
	size_t lit;	  /* literal characters in the regex: a crude specificity */
};

/*
 * Matches (p, n), the bytes a service sent in answer to the probe named
 * probe ("NULL", "GetRequest", "RTSPRequest", "SSLSessionReq"; "UDP:" or
 * "TCP:" in front picks the protocol, else TCP is preferred), following the
 * fallbacks.  Writes at most max hits: the soft matches met before the first
 * hard match, in file order, then that hard match, which is always kept (it
 * takes the last slot when the soft ones fill hits).  Template outputs are
 * untrusted bytes, cut to the field sizes, kept verbatim (escaping is the
 * printer's job).  Returns the number of hits written, TM_ENOTFOUND for an
 * unknown probe, TM_EINVAL for a bad call.
 */
int nmap_match(const struct nmap_db *db, struct nmap_scratch *s, const char *probe,
	       const uint8_t *p, size_t n, struct nmap_hit *hits, int max);

/* match + softmatch lines kept. */
size_t nmap_count(const struct nmap_db *db);
size_t nmap_bad_lines(const struct nmap_db *db);
size_t nmap_probe_count(const struct nmap_db *db);
/* Lines whose regex Hyperscan prefilters (the rest use the portable prefilter). */
size_t nmap_prefiltered(const struct nmap_db *db);

/*
 * What the probe sends (the q|...| string, unescaped), or NULL for an
 * unknown probe; *len set.  Valid while db lives.
 */
const uint8_t *nmap_probe_payload(const struct nmap_db *db, const char *probe, size_t *len);

#endif
