/*
 * table.c - the header matching and per-record driver of CSV files with
 * named columns (table.h), shared by the inventory and links readers.
 */
#include "table.h"

#include "../core/err.h"
#include "../core/str.h"

#include <string.h>

const char *imp_table_get(const struct imp_table *t, const struct csv_rec *rec, int c, size_t *n)
{
	const char *p;

	if (t->idx[c] < 0) {
		*n = 0;
		return "";
	}
	p = rec->f[t->idx[c]];
	*n = rec->n[t->idx[c]];
	str_trim(&p, n);
	return p;
}

unsigned long imp_table_colno(const struct imp_table *t, const struct csv_rec *rec, int c)
{
	return t->idx[c] >= 0 ? rec->col[t->idx[c]] : 1;
}

unsigned long imp_table_lineof(const struct imp_table *t, const struct csv_rec *rec, int c)
{
	return t->idx[c] >= 0 ? rec->line[t->idx[c]] : rec->lineno;
}

/* The name messages use for column c: its first in the table. */
static const char *col_name(const struct imp_table *t, int c)
{
	for (size_t k = 0; k < t->nnames; k++)
		if (t->names[k].col == c)
			return t->names[k].name;
	return "?";
}

static int header(struct imp_table *t, const struct csv_rec *rec)
{
	struct imp_run *r = t->r;

	for (int c = 0; c < t->ncols; c++)
		t->idx[c] = -1;
	if (rec->err)
		return err_set(r->eb, r->el, TM_EPROTO, "%s:%lu:%lu: header: %s", r->file,
			       rec->err_line, rec->err_col, rec->err);
	for (int i = 0; i < rec->nf; i++) {
		const char *p = rec->f[i];
		size_t n = rec->n[i];

		str_trim(&p, &n);
		for (size_t k = 0; k < t->nnames; k++) {
			if (!str_caseeq(p, n, t->names[k].name))
				continue;
			if (t->idx[t->names[k].col] >= 0)
				return err_set(r->eb, r->el, TM_EPROTO,
					       "%s:%lu:%lu: column \"%s\" given twice", r->file,
					       rec->line[i], rec->col[i], t->names[k].name);
			t->idx[t->names[k].col] = i;
		}
	}
	for (size_t k = 0; k < t->nrequired; k++)
		if (t->idx[t->required[k]] < 0)
			return err_set(r->eb, r->el, TM_EPROTO,
				       "%s:%lu:1: missing required column \"%s\"", r->file,
				       rec->lineno, col_name(t, t->required[k]));
	t->nf = rec->nf;
	t->header_done = 1;
	return 0;
}

/* The checks every data record passes before the reader's row function. */
static int record(struct imp_table *t, const struct csv_rec *rec)
{
	t->r->st->records++;
	if (rec->err)
		return imp_bad(t->r, rec->err_line, rec->err_col, "%s", rec->err);
	if (rec->nf != t->nf)
		return imp_bad(t->r, rec->lineno, 1, "%d fields where the header has %d", rec->nf,
			       t->nf);
	for (int i = 0; i < rec->nf; i++)
		if (memchr(rec->f[i], 0, rec->n[i]))
			return imp_bad(t->r, rec->line[i], rec->col[i],
				       "binary data (NUL byte) in a field");
	return t->row(t, rec);
}

static int each(void *ctx, const struct csv_rec *rec)
{
	struct imp_table *t = ctx;
	int rc = t->header_done ? record(t, rec) : header(t, rec);

	return rc == IMP_SKIP ? 0 : rc;
}

int imp_table_run(struct imp_table *t, struct imp_chunks *ch)
{
	struct imp_run *r = t->r;
	struct csv c;
	const char *p;
	size_t n;
	int rc, first = 1;

	t->header_done = 0;
	csv_init(&c, IMP_LINE_MAX, each, t);
	while ((rc = imp_chunks_next(ch, &p, &n)) == 1) {
		r->st->bytes += (long long)n;
		if (first)
			c.sep = csv_guess_sep(p, n);
		first = 0;
		if ((rc = csv_feed(&c, p, n)) != 0)
			break;
	}
	if (!rc)
		rc = csv_end(&c);
	if (!rc && !t->header_done)
		rc = err_set(r->eb, r->el, TM_EPROTO, "%s:1:1: no header row", r->file);
	if (rc && r->eb && r->el && !r->eb[0])
		err_set(r->eb, r->el, rc, "%s:%lu: %s", r->file, c.line, tm_strerror(rc));
	csv_fini(&c);
	return rc;
}
