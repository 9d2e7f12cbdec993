/*
 * import.h - readers of what others already found: observation JSON Lines,
 * nmap XML (-oX), masscan output (-oJ and -oL) and an operator's inventory
 * CSV.  Each reader streams its file (never loads it whole; memory stays flat
 * whatever the size), turns every record into struct obs (core/obs.h) and, for
 * the inventory, struct imp_site, and hands them to the caller's sink.  The
 * readers know nothing of the store.  docs/import.md describes the formats.
 */
#ifndef TM_IMPORT_H
#define TM_IMPORT_H

#include "../core/err.h"
#include "../core/obs.h"

#include <stddef.h>

/* A site of an operator's inventory (the store's struct site_rec has the same fields). */
struct imp_site {
	char id[64];	    /* site id as the inventory spells it, never "" */
	char name[128];	    /* "" when not given */
	double lat, lon;    /* degrees, WGS 84; valid only when has_coords */
	int has_coords;	    /* 1 when both latitude and longitude were given */
	char operator_[64]; /* "" when not given */
	char region[64];    /* "" when not given */
	char tags[256];	    /* "a;b": the tags column, split on ';' ',' or '|', "" when not given */
};

/*
 * A topology link (links CSV, or an inventory's uplink column).  a and b are
 * asset identities as the store keys links: "ref:<inventory asset id>", or
 * "mac:...", "ip:<scope>/<addr>" when the file gave a key.
 */
struct imp_link {
	char a[96], b[96];
	char a_port[64], b_port[64]; /* "" when not given */
	char kind[16];		     /* the file's kind ("fiber", "uplink", ...), "" when not given */
};

/*
 * Where the readers deliver.  The pointers passed to a callback (and the
 * bytes o->value points to) are valid during the call only.  A callback
 * returning nonzero stops the import; the reader returns that code.
 */
struct imp_sink {
	int (*obs)(void *ctx, const struct obs *o);
	int (*site)(void *ctx, const struct imp_site *s); /* may be NULL */
	void *ctx;
	int (*link)(void *ctx, const struct imp_link *l); /* may be NULL (links dropped) */
};

struct imp_stats {
	long records;		     /* records read (lines, hosts, rows), good or bad */
	long obs;		     /* observations delivered to the sink */
	long skipped;		     /* bad records passed over (skip_bad) */
	long long bytes;	     /* input consumed so far, updated as it goes (progress) */
	char first_error[TM_ERRLEN]; /* message of the first bad record, "" if none */
};

/* Lines (and, in CSV, quoted records) longer than this are bad records. */
#define IMP_LINE_MAX (256 * 1024)

/*
 * The readers.  path may be "-" for standard input.  st may be NULL; when
 * given it is zeroed first.  With skip_bad a bad record is counted in
 * st->skipped (st->first_error keeps the first message) and the import goes
 * on; without it the first bad record stops the import with TM_EPROTO and eb
 * says "file:line:column: message".  Records delivered before an error stay
 * delivered.  Damage that leaves no way to go on (XML that is not well formed
 * or cut short, a CSV quote still open at the end of the file) ends the
 * import in both modes: with skip_bad it is counted as one skipped record and
 * the reader returns 0, without it TM_EPROTO.  Returns 0, a negative TM_E*
 * code, or the sink's nonzero code.
 */
int imp_jsonl(const char *path, const struct imp_sink *k, int skip_bad, struct imp_stats *st,
	      char *eb, size_t el);
int imp_nmap_xml(const char *path, const struct imp_sink *k, int skip_bad, struct imp_stats *st,
		 char *eb, size_t el);
/* masscan -oJ or -oL, told apart by the content. */
int imp_masscan(const char *path, const struct imp_sink *k, int skip_bad, struct imp_stats *st,
		char *eb, size_t el);
int imp_inventory_csv(const char *path, const struct imp_sink *k, int skip_bad,
		      struct imp_stats *st, char *eb, size_t el);
/* A links CSV (header a,b[,kind][,a_port][,b_port]); st->obs counts the links delivered. */
int imp_links_csv(const char *path, const struct imp_sink *k, int skip_bad, struct imp_stats *st,
		  char *eb, size_t el);

/*
 * The same on bytes in memory (data, len), named file in messages: for tests
 * and fuzzing.  data need not be NUL-terminated.
 */
int imp_jsonl_mem(const char *file, const char *data, size_t len, const struct imp_sink *k,
		  int skip_bad, struct imp_stats *st, char *eb, size_t el);
int imp_nmap_xml_mem(const char *file, const char *data, size_t len, const struct imp_sink *k,
		     int skip_bad, struct imp_stats *st, char *eb, size_t el);
int imp_masscan_mem(const char *file, const char *data, size_t len, const struct imp_sink *k,
		    int skip_bad, struct imp_stats *st, char *eb, size_t el);
int imp_inventory_csv_mem(const char *file, const char *data, size_t len, const struct imp_sink *k,
			  int skip_bad, struct imp_stats *st, char *eb, size_t el);
int imp_links_csv_mem(const char *file, const char *data, size_t len, const struct imp_sink *k,
		      int skip_bad, struct imp_stats *st, char *eb, size_t el);

/*
 * The format of path from its first bytes (and, when they are not decisive,
 * its name): "jsonl", "nmap-xml", "masscan", "inventory" or "links" (static strings),
 * or NULL with a message in eb.  Standard input cannot be sniffed: "-" gives NULL.
 */
const char *imp_detect(const char *path, char *eb, size_t el);
/* The same on the first bytes of a file held in memory. */
const char *imp_detect_mem(const char *file, const char *data, size_t len);

#endif
