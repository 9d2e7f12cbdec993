/*
 * links.c - a topology links CSV (docs/import.md, docs/paths.md): one link a
 * row between two devices named by inventory asset id or asset key, with
 * an optional kind and ports.  The header row names the columns (a, b,
 * kind, a_port, b_port; any order and case; a and b required).  Rows are
 * streamed through the same column driver as the inventory's (table.h);
 * a row naming the same device twice or an endpoint that cannot be a key
 * is a bad record.
 * Whether an endpoint exists is not known here (the inventory may come
 * later): trustmap paths counts and names links to unknown assets.
 */
#include "table.h"

#include "../core/err.h"
#include "../core/str.h"

#include <string.h>

enum lcol { L_A, L_B, L_KIND, L_APORT, L_BPORT, L_COUNT };

static const struct imp_colname lnames[] = {
    {L_A, "a"},	      {L_A, "from"},	   {L_B, "b"},		{L_B, "to"},
    {L_KIND, "kind"}, {L_APORT, "a_port"}, {L_BPORT, "b_port"},
};

static const int lrequired[] = {L_A, L_B};

int imp_emit_link(struct imp_run *r, unsigned long line, const struct imp_link *l)
{
	int rc = r->k && r->k->link ? r->k->link(r->k->ctx, l) : 0;

	if (rc == IMP_SKIP)
		rc = TM_EINVAL;
	if (rc)
		return err_set(r->eb, r->el, rc, "%s:%lu: import stopped by its sink (%s)", r->file,
			       line, tm_strerror(rc));
	return 0;
}

static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

bool imp_link_key(const char *s, size_t n, char out[96])
{
	str_trim(&s, &n);
	if (!n || !printable(s, n))
		return false;
	if (str_has_prefix(s, n, "mac:") || str_has_prefix(s, n, "ip:") ||
	    str_has_prefix(s, n, "ref:")) {
		if (n >= 96 || n == 4 || (n == 3 && s[0] == 'i'))
			return false;
		str_copy(out, 96, s, n);
		return true;
	}
	if (n + 4 >= 96)
		return false;
	memcpy(out, "ref:", 4);
	str_copy(out + 4, 92, s, n);
	return true;
}

/* A bounded text column into dst. */
static int text(struct imp_table *t, const struct csv_rec *rec, enum lcol c, const char *what,
		char *dst, size_t cap)
{
	size_t n;
	const char *p = imp_table_get(t, rec, c, &n);

	if (n >= cap)
		return imp_bad(t->r, rec->lineno, imp_table_colno(t, rec, c),
			       "%s longer than %zu bytes", what, cap - 1);
	if (!printable(p, n))
		return imp_bad(t->r, rec->lineno, imp_table_colno(t, rec, c),
			       "control character in %s", what);
	str_copy(dst, cap, p, n);
	return 0;
}

static int row(struct imp_table *t, const struct csv_rec *rec)
{
	struct imp_link l;
	size_t na, nb;
	const char *a, *b;
	int rc;

	memset(&l, 0, sizeof(l));
	a = imp_table_get(t, rec, L_A, &na);
	b = imp_table_get(t, rec, L_B, &nb);
	if (!na || !nb)
		return imp_bad(t->r, rec->lineno, imp_table_colno(t, rec, na ? L_B : L_A),
			       "empty %s", na ? "b" : "a");
	if (!imp_link_key(a, na, l.a))
		return imp_bad(t->r, rec->lineno, imp_table_colno(t, rec, L_A),
			       "a is not an asset id or key");
	if (!imp_link_key(b, nb, l.b))
		return imp_bad(t->r, rec->lineno, imp_table_colno(t, rec, L_B),
			       "b is not an asset id or key");
	if (!strcmp(l.a, l.b))
		return imp_bad(t->r, rec->lineno, imp_table_colno(t, rec, L_B),
			       "a link from %s to itself", l.a);
	if ((rc = text(t, rec, L_KIND, "kind", l.kind, sizeof(l.kind))) ||
	    (rc = text(t, rec, L_APORT, "a_port", l.a_port, sizeof(l.a_port))) ||
	    (rc = text(t, rec, L_BPORT, "b_port", l.b_port, sizeof(l.b_port))))
		return rc;
	if ((rc = imp_emit_link(t->r, rec->lineno, &l)))
		return rc;
	t->r->st->obs++;
	return 0;
}

_Static_assert(L_COUNT <= IMP_TABLE_COLS, "more columns than table.h holds");

static const struct imp_table links_table = {
    .names = lnames,
    .nnames = sizeof(lnames) / sizeof(lnames[0]),
    .ncols = L_COUNT,
    .required = lrequired,
    .nrequired = sizeof(lrequired) / sizeof(lrequired[0]),
    .row = row,
};

static int run(struct imp_run *r, struct imp_chunks *ch)
{
	struct imp_table t = links_table;

	t.r = r;
	return imp_table_run(&t, ch);
}

int imp_links_csv(const char *path, const struct imp_sink *k, int skip_bad, struct imp_stats *st,
		  char *eb, size_t el)
{
	return imp_drive_chunks(path, 0, NULL, 0, run, k, skip_bad, st, eb, el);
}

int imp_links_csv_mem(const char *file, const char *data, size_t len, const struct imp_sink *k,
		      int skip_bad, struct imp_stats *st, char *eb, size_t el)
{
	return imp_drive_chunks(file, 1, data, len, run, k, skip_bad, st, eb, el);
}
