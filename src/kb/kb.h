/*
 * kb.h - the knowledge base as one handle: vendor registry and lists (our
 * rules/), IEEE OUIs and Wireshark's manuf, IANA enterprise numbers, nmap's
 * service probes, and our own fingerprint rules.  Data files are found on a
 * search path (see kb_opts) and loaded at run time; nothing from other
 * projects is compiled in.
 */
#ifndef TM_KB_H
#define TM_KB_H

#include <stddef.h>

struct vreg;
struct oui_db;
struct pen_db;
struct nmap_db;
struct rules;

/* System data defaults (each overridden by its option, then its environment variable). */
#define KB_DEFAULT_IEEE "/usr/share/ieee-data"
#define KB_DEFAULT_MANUF "/usr/share/wireshark/manuf"
#define KB_DEFAULT_PEN "/usr/share/wireshark/enterprises.tsv"
#define KB_DEFAULT_NMAP_PROBES "/usr/share/nmap/nmap-service-probes"
/* The installed share directory, from PREFIX at build time (Makefile). */
#ifndef TM_SHARE_DIR
#define TM_SHARE_DIR "/usr/local/share/trustmap"
#endif

enum kb_skip {
	KB_SKIP_NMAP = 1, /* do not load nmap-service-probes (fast start, fewer banners known) */
	KB_SKIP_OUI = 2,
	KB_SKIP_PEN = 4,
};

/* Every path may be NULL: then the environment, then the defaults apply. */
struct kb_opts {
	const char *kb_dir;	 /* our rules/ (vendors.tm, lists.tm, *.rules); env TRUSTMAP_KB_DIR */
	const char *ieee_dir;	 /* env TRUSTMAP_IEEE_DIR, default /usr/share/ieee-data */
	const char *manuf;	 /* env TRUSTMAP_MANUF, default /usr/share/wireshark/manuf */
	const char *pen;	 /* env TRUSTMAP_PEN, default /usr/share/wireshark/enterprises.tsv */
	const char *nmap_probes; /* env TRUSTMAP_NMAP_PROBES, default /usr/share/nmap/nmap-service-probes */
	const char *cache_dir;	 /* env TRUSTMAP_CACHE_DIR, default $XDG_CACHE_HOME/trustmap or ~/.cache/trustmap */
	const char *lists;	 /* users' own vendor lists (lists.tm format); env TRUSTMAP_LISTS */
	unsigned skip;		 /* enum kb_skip */
};

struct kb {
	struct vreg *vr;
	struct oui_db *oui;   /* NULL when skipped or absent */
	struct pen_db *pen;   /* NULL when skipped or absent */
	struct nmap_db *nmap; /* NULL when skipped or absent */
	struct rules *rules;
	char kb_dir[512];     /* where our rules were found */
	double load_ms[5];    /* vendors, oui, pen, nmap, rules */
};

/*
 * Loads everything.  Our own registry and rules are required (error when
 * missing); an absent system data file is a warning and that source is
 * skipped.  Free with kb_free.
 */
int kb_load(struct kb **out, const struct kb_opts *o, char *eb, size_t el);
/*
 * kb_load in two halves, for a command that loads the bulk in another
 * thread while it does something else (sniff reads the capture meanwhile):
 * kb_load_begin finds our rules directory and loads what is ours (vendor
 * registry, users' lists, our rules: small, and where a user's mistake
 * shows); kb_load_rest adds the system data (OUI registries, enterprise
 * numbers, nmap-service-probes: the slow part).  Nothing may use kb while
 * kb_load_rest runs; it touches no other shared state than stderr (its
 * warnings).  After a kb_load_rest failure kb is only good for kb_free.
 * kb_load = kb_load_begin, then kb_load_rest.
 */
int kb_load_begin(struct kb **out, const struct kb_opts *o, char *eb, size_t el);
int kb_load_rest(struct kb *kb, const struct kb_opts *o, char *eb, size_t el);
/*
 * kb_load_begin in two halves, so that kb_load_rest may start (in another
 * thread) before our own part is read: kb_new finds our rules directory and
 * makes an empty kb (an error when there is none); kb_load_ours adds the
 * vendor registry, the users' lists and our rules.  kb_load_ours and
 * kb_load_rest fill different members and may run at the same time; after
 * a failure of either kb is only good for kb_free (once both are done).
 * kb_load_rest loads nmap-service-probes in a thread of its own while it
 * reads the OUI and enterprise-number registries (TRUSTMAP_KB_SERIAL=1: all
 * in the calling thread).
 */
int kb_new(struct kb **out, const struct kb_opts *o, char *eb, size_t el);
int kb_load_ours(struct kb *kb, const struct kb_opts *o, char *eb, size_t el);
void kb_free(struct kb *kb);

/*
 * The vendor registry alone (for commands that only list): our vendors.tm and
 * lists.tm, then the users' lists file (lists, or $TRUSTMAP_LISTS) if any.
 */
int kb_load_vreg(struct vreg **out, const char *kb_dir, const char *lists, char *eb, size_t el);

/* The directory of our rules on the search path, the first holding vendors.tm:
 * kb_dir (--kb-dir), $TRUSTMAP_KB_DIR (these two are final: an error when
 * missing), ${XDG_CONFIG_HOME:-~/.config}/trustmap/rules, /etc/trustmap/rules,
 * <exe>/../rules and <exe>/../../rules (a build tree), <exe>/../share/trustmap/rules
 * (an install moved with its prefix), TM_SHARE_DIR/rules (the install's PREFIX),
 * /usr/local/share/trustmap/rules, /usr/share/trustmap/rules, then ./rules.
 * Returns 0 and fills out, or TM_ENOTFOUND. */
int kb_find_dir(const char *kb_dir, char *out, size_t outlen);

#endif
