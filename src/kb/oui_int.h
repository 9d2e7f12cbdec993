/*
 * oui_int.h - what the OUI parsers (oui_parse.c) and the table code (oui.c)
 * share and nothing else uses: adding one registration, counting a skipped
 * line, and the incremental parser oui_load streams files through, so that
 * a registry file is never held whole in memory.
 */
#ifndef TM_OUI_INT_H
#define TM_OUI_INT_H

#include "oui.h"

#include <stdbool.h>

/* IEEE registries; the names are oui_reg_name[]. */
enum oui_reg { OUI_REG_MAL = 0, OUI_REG_MAM, OUI_REG_MAS, OUI_REG_IAB, OUI_REG_MANUF };

/*
 * Records that src registered the bits-long prefix key (24, 28 or 36; key
 * holds the prefix's bits right-aligned) to (org, n), n <= OUI_ORG_MAX.
 * reg is the IEEE registry (ignored for manuf).  Returns 0, 1 when src
 * already had this prefix (the first stays), TM_EPROTO when org holds a
 * control byte (nothing added), TM_ENOMEM or TM_ELIMIT.
 */
int oui_add(struct oui_db *db, int bits, uint64_t key, enum oui_src src, enum oui_reg reg,
	    const char *org, size_t n);
/* Counts one skipped line. */
void oui_skip(struct oui_db *db);

/* Incremental parsing state for one file. */
struct oui_pctx {
	struct oui_db *db;
	bool manuf;	    /* manuf format, else IEEE CSV */
	const char *file;   /* for messages */
	unsigned long line; /* 1-based line of the next record */
	size_t good;	    /* records added (or duplicates of added ones) */
	char *eb;	    /* the first skip's "file:line: why", or a hard error */
	size_t el;
	bool noted;	/* eb holds the first skip */
	bool skipping;	/* a skipped line ran past the last window: drop up to the next \n */
	int64_t newest; /* manuf: latest Last-Modified seen */
};

void oui_pctx_init(struct oui_pctx *c, struct oui_db *db, bool manuf, const char *file, char *eb,
		   size_t el);
/*
 * Parses the complete records at the head of (data, len) and returns the
 * bytes consumed; unless final, it stops while fewer than OUI_REC_MAX + 1
 * bytes are left, so the caller keeps the tail and appends more.  Sets *rc
 * to a TM_E* code that ends the file (TM_ENOMEM, TM_ELIMIT).
 */
size_t oui_pctx_feed(struct oui_pctx *c, const char *data, size_t len, bool final, int *rc);
/* Ends the file: the manuf date, then 0 or the result oui_parse_* documents. */
int oui_pctx_end(struct oui_pctx *c, int rc);

#endif
