/*
 * links.c - a topology links CSV (docs/import.md, docs/paths.md): one link a
 * row between two devices named by inventory asset id or asset key, with
 * an optional kind and ports.  The header row names the columns (a, b,
 * kind, a_port, b_port; any order and case; a and b required).  Rows are
 * streamed through the CSV reader like the inventory's; a row naming the
 * same device twice or an endpoint that cannot be a key is a bad record.
 * Whether an endpoint exists is not known here (the inventory may come
 * later): trustmap paths counts and names links to unknown assets.
 */
#include "csv.h"
#include "imp_int.h"

#include "../core/err.h"
#include "../core/str.h"

#include <string.h>

enum lcol { L_A, L_B, L_KIND, L_APORT, L_BPORT, L_COUNT };

static const struct {
	enum lcol c;
	const char *name;
} lnames[] = {
    {L_A, "a"},	      {L_A, "from"},	   {L_B, "b"},		{L_B, "to"},
    {L_KIND, "kind"}, {L_APORT, "a_port"}, {L_BPORT, "b_port"},
};

struct lk {
	struct imp_run *r;
	int header_done;
	int nf;
	int idx[L_COUNT];
};

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

static const char *get(const struct lk *v, const struct csv_rec *rec, enum lcol c, size_t *n)
{
	const char *p;

	if (v->idx[c] < 0) {
		*n = 0;
		return "";
	}
	p = rec->f[v->idx[c]];
	*n = rec->n[v->idx[c]];
	str_trim(&p, n);
	return p;
}

static unsigned long colno(const struct lk *v, const struct csv_rec *rec, enum lcol c)
{
	return v->idx[c] >= 0 ? rec->col[v->idx[c]] : 1;
}

static int header(struct lk *v, const struct csv_rec *rec)
{
	struct imp_run *r = v->r;

	for (int c = 0; c < L_COUNT; c++)
		v->idx[c] = -1;
	if (rec->err)
		return err_set(r->eb, r->el, TM_EPROTO, "%s:%lu:%lu: header: %s", r->file,
			       rec->err_line, rec->err_col, rec->err);
	for (int i = 0; i < rec->nf; i++) {
		const char *p = rec->f[i];
		size_t n = rec->n[i];

		str_trim(&p, &n);
		for (size_t k = 0; k < sizeof(lnames) / sizeof(lnames[0]); k++) {
			if (!str_caseeq(p, n, lnames[k].name))
				continue;
			if (v->idx[lnames[k].c] >= 0)
				return err_set(r->eb, r->el, TM_EPROTO,
					       "%s:%lu:%lu: column \"%s\" given twice", r->file,
					       rec->line[i], rec->col[i], lnames[k].name);
			v->idx[lnames[k].c] = i;
		}
	}
	if (v->idx[L_A] < 0 || v->idx[L_B] < 0)
		return err_set(r->eb, r->el, TM_EPROTO, "%s:%lu:1: missing required column \"%s\"",
			       r->file, rec->lineno, v->idx[L_A] < 0 ? "a" : "b");
	v->nf = rec->nf;
	v->header_done = 1;
	return 0;
}

/* A bounded text column into dst. */
static int text(struct lk *v, const struct csv_rec *rec, enum lcol c, const char *what, char *dst,
		size_t cap)
{
	size_t n;
	const char *p = get(v, rec, c, &n);

	if (n >= cap)
		return imp_bad(v->r, rec->lineno, colno(v, rec, c), "%s longer than %zu bytes",
			       what, cap - 1);
	if (!printable(p, n))
		return imp_bad(v->r, rec->lineno, colno(v, rec, c), "control character in %s",
			       what);
	str_copy(dst, cap, p, n);
	return 0;
}

static int row(struct lk *v, const struct csv_rec *rec)
{
	struct imp_link l;
	size_t na, nb;
	const char *a, *b;
	int rc;

	v->r->st->records++;
	if (rec->err)
		return imp_bad(v->r, rec->err_line, rec->err_col, "%s", rec->err);
	if (rec->nf != v->nf)
		return imp_bad(v->r, rec->lineno, 1, "%d fields where the header has %d", rec->nf,
			       v->nf);
	for (int i = 0; i < rec->nf; i++)
		if (memchr(rec->f[i], 0, rec->n[i]))
			return imp_bad(v->r, rec->line[i], rec->col[i],
				       "binary data (NUL byte) in a field");
	memset(&l, 0, sizeof(l));
	a = get(v, rec, L_A, &na);
	b = get(v, rec, L_B, &nb);
	if (!na || !nb)
		return imp_bad(v->r, rec->lineno, colno(v, rec, na ? L_B : L_A), "empty %s",
			       na ? "b" : "a");
	if (!imp_link_key(a, na, l.a))
		return imp_bad(v->r, rec->lineno, colno(v, rec, L_A),
			       "a is not an asset id or key");
	if (!imp_link_key(b, nb, l.b))
		return imp_bad(v->r, rec->lineno, colno(v, rec, L_B),
			       "b is not an asset id or key");
	if (!strcmp(l.a, l.b))
		return imp_bad(v->r, rec->lineno, colno(v, rec, L_B), "a link from %s to itself",
			       l.a);
	if ((rc = text(v, rec, L_KIND, "kind", l.kind, sizeof(l.kind))) ||
	    (rc = text(v, rec, L_APORT, "a_port", l.a_port, sizeof(l.a_port))) ||
	    (rc = text(v, rec, L_BPORT, "b_port", l.b_port, sizeof(l.b_port))))
		return rc;
	if ((rc = imp_emit_link(v->r, rec->lineno, &l)))
		return rc;
	v->r->st->obs++;
	return 0;
}

static int each(void *ctx, const struct csv_rec *rec)
{
	struct lk *v = ctx;
	int rc = v->header_done ? row(v, rec) : header(v, rec);

	return rc == IMP_SKIP ? 0 : rc;
}

static int run(struct imp_run *r, struct imp_chunks *ch)
{
	struct lk v = {.r = r};
	struct csv c;
	const char *p;
	size_t n;
	int rc, first = 1;

	csv_init(&c, IMP_LINE_MAX, each, &v);
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
	if (!rc && !v.header_done)
		rc = err_set(r->eb, r->el, TM_EPROTO, "%s:1:1: no header row", r->file);
	if (rc && r->eb && r->el && !r->eb[0])
		err_set(r->eb, r->el, rc, "%s:%lu: %s", r->file, c.line, tm_strerror(rc));
	csv_fini(&c);
	return rc;
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
