/*
 * table.h - a CSV file whose header row names its columns (the inventory,
 * the links file): the header matched against a table of names and
 * aliases (any order, any case, blanks around them ignored; a column named
 * twice and a required column missing are errors), then every record
 * checked the same way (the CSV reader's own error, a field count other
 * than the header's, a NUL byte) before the reader's row function sees it.
 * Shared by inventory.c and links.c so that both say the same things.
 */
#ifndef TM_IMP_TABLE_H
#define TM_IMP_TABLE_H

#include "csv.h"
#include "imp_int.h"

#define IMP_TABLE_COLS 32 /* most columns a reader knows */

/* One accepted spelling of column col. */
struct imp_colname {
	int col;
	const char *name;
};

struct imp_table {
	/* set by the reader */
	struct imp_run *r;
	const struct imp_colname *names; /* the first name of a column is the one messages use */
	size_t nnames;
	int ncols;	     /* columns are 0 .. ncols - 1 (at most IMP_TABLE_COLS) */
	const int *required; /* checked in this order */
	size_t nrequired;
	/* a data record that passed the checks; IMP_SKIP passes over it */
	int (*row)(struct imp_table *t, const struct csv_rec *rec);
	void *ctx; /* the reader's */
	/* set from the header */
	int header_done;
	int nf;			 /* fields in the header */
	int idx[IMP_TABLE_COLS]; /* field index of each column, -1 when absent */
};

/*
 * Streams the chunks of ch through the CSV reader (the separator guessed
 * from the first chunk), the first record as the header, the others
 * through t->row.  Returns 0 or the first hard error (message in r->eb).
 */
int imp_table_run(struct imp_table *t, struct imp_chunks *ch);

/* The trimmed text of column c in rec ("" when the file has no such column). */
const char *imp_table_get(const struct imp_table *t, const struct csv_rec *rec, int c, size_t *n);
/* Where column c of rec starts: its column (1 when absent) and line (the record's when absent). */
unsigned long imp_table_colno(const struct imp_table *t, const struct csv_rec *rec, int c);
unsigned long imp_table_lineof(const struct imp_table *t, const struct csv_rec *rec, int c);

#endif
