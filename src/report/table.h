/*
 * table.h - every listing's three faces: an aligned terminal table, JSON
 * Lines, or CSV (--format table|jsonl|csv).  Cells are untrusted text; each
 * format escapes them on the way out (esc.h).  The terminal table measures
 * its first rows to size the columns and then streams, so a million-row
 * listing does not sit in memory.
 */
#ifndef TM_TABLE_H
#define TM_TABLE_H

#include <stdio.h>

enum rep_format { REP_TABLE = 0, REP_JSONL, REP_CSV };

enum rep_type { REP_STR = 0, REP_NUM }; /* REP_NUM: emitted unquoted in JSON when it parses */

struct rep_col {
	const char *name;
	enum rep_type type;
	int maxw; /* widest cell in the terminal table (longer ones are cut with "~"); 0 = 40 */
};

struct rep_table;

/* Parses "table", "jsonl", "csv"; -1 when unknown. */
int rep_format_parse(const char *s);
/* NULL on allocation failure.  cols must outlive the table. */
struct rep_table *rep_table_new(enum rep_format f, FILE *out, const struct rep_col *cols, int ncols);
/* One row of ncols cells (NULL cells print as empty).  Returns 0 or a TM_E* code. */
int rep_row(struct rep_table *t, const char *const *cells);
/* Flushes what is buffered and frees the table. */
void rep_table_end(struct rep_table *t);

#endif
