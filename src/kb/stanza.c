/* stanza.c - parser of the stanza format of stanza.h, over the bounded reader. */
#include "stanza.h"
#include "../core/err.h"
#include "../core/file.h"
#include "../core/mem.h"
#include "../core/rd.h"
#include "../core/str.h"

#include <ctype.h>
#include <string.h>

#define LINE_MAX_LEN 65536

/* Copies (p, n) into a fresh NUL-terminated scratch string of the record's arena (here: buf). */
struct scratch {
	char *p;
	size_t len, cap;
};

static const char *keep(struct scratch *s, const char *p, size_t n)
{
	/* offsets are stable because the scratch is sized once per file (see stanza_parse) */
	char *d = s->p + s->len;

	memcpy(d, p, n);
	d[n] = 0;
	s->len += n + 1;
	return d;
}

static int flush(struct st_rec *rec, stanza_fn fn, void *ctx, char *eb, size_t el)
{
	int rc = 0;

	if (rec->type)
		rc = fn(ctx, rec, eb, el);
	rec->type = NULL;
	rec->nf = 0;
	return rc;
}

int stanza_parse(const char *file, const char *data, size_t len, stanza_fn fn, void *ctx,
		 char *eb, size_t el)
{
	struct scratch s = {0};
	struct st_rec *rec;
	struct rd r;
	const char *line;
	size_t n;
	bool cut;
	unsigned lineno = 0;
	int rc = TM_ENOMEM;

	rec = mem_calloc(1, sizeof(*rec));
	/* every kept string is a part of data plus a NUL: 2*len+2 bounds them all */
	s.cap = 2 * len + 2;
	s.p = mem_alloc(s.cap);
	if (!rec || !s.p) {
		err_set(eb, el, TM_ENOMEM, "%s: out of memory", file);
		goto out;
	}
	rec->file = file;
	rd_init(&r, data, len);
	while (rd_line(&r, &line, &n, LINE_MAX_LEN, &cut)) {
		lineno++;
		if (cut) {
			rc = err_set(eb, el, TM_ELIMIT, "%s:%u: line longer than %d bytes", file,
				     lineno, LINE_MAX_LEN);
			goto out;
		}
		if (memchr(line, 0, n)) {
			rc = err_set(eb, el, TM_EPROTO, "%s:%u: NUL byte in text", file, lineno);
			goto out;
		}
		const char *t = line;
		size_t tn = n;
		str_trim(&t, &tn);
		if (!tn) { /* blank line ends a record */
			if ((rc = flush(rec, fn, ctx, eb, el)))
				goto out;
			continue;
		}
		if (t[0] == '#')
			continue;
		/* split into first word and rest */
		size_t w = 0;
		while (w < tn && !isspace((unsigned char)t[w]))
			w++;
		const char *rest = t + w;
		size_t rn = tn - w;
		str_trim(&rest, &rn);
		if (!isspace((unsigned char)line[0])) {
			if ((rc = flush(rec, fn, ctx, eb, el)))
				goto out;
			if (!rn) {
				rc = err_set(eb, el, TM_EPROTO, "%s:%u: header '%.*s' needs an id",
					     file, lineno, (int)(w > 40 ? 40 : w), t);
				goto out;
			}
			rec->type = keep(&s, t, w);
			rec->id = keep(&s, rest, rn);
			rec->line = lineno;
			continue;
		}
		if (!rec->type) {
			rc = err_set(eb, el, TM_EPROTO, "%s:%u: field outside a record", file, lineno);
			goto out;
		}
		if (rec->nf >= STANZA_MAX_FIELDS) {
			rc = err_set(eb, el, TM_ELIMIT, "%s:%u: more than %d fields in a record",
				     file, lineno, STANZA_MAX_FIELDS);
			goto out;
		}
		struct st_field *f = &rec->f[rec->nf++];
		f->key = keep(&s, t, w);
		f->val = keep(&s, rest, rn);
		f->vlen = rn;
		f->line = lineno;
	}
	rc = flush(rec, fn, ctx, eb, el);
out:
	mem_free(s.p);
	mem_free(rec);
	return rc;
}

int stanza_parse_file(const char *path, stanza_fn fn, void *ctx, char *eb, size_t el)
{
	char *data;
	size_t len;
	int rc = file_read(path, 16u << 20, &data, &len, eb, el);

	if (rc)
		return rc;
	rc = stanza_parse(path, data, len, fn, ctx, eb, el);
	mem_free(data);
	return rc;
}

const struct st_field *stanza_get(const struct st_rec *r, const char *key)
{
	for (int i = 0; i < r->nf; i++)
		if (!strcmp(r->f[i].key, key))
			return &r->f[i];
	return NULL;
}

int stanza_unquote(const struct st_field *f, struct buf *out)
{
	const char *v = f->val;
	size_t n = f->vlen, i;
	int rc = 0;

	if (!n || v[0] != '"')
		return buf_add(out, v, n);
	if (n < 2 || v[n - 1] != '"')
		return TM_EPROTO;
	for (i = 1; i < n - 1 && !rc; i++) {
		char c = v[i];

		if (c != '\\') {
			rc = buf_addc(out, c);
			continue;
		}
		if (++i >= n - 1)
			return TM_EPROTO;
		switch (v[i]) {
		case 'r': rc = buf_addc(out, '\r'); break;
		case 'n': rc = buf_addc(out, '\n'); break;
		case 't': rc = buf_addc(out, '\t'); break;
		case '0': rc = buf_addc(out, '\0'); break;
		case '\\': rc = buf_addc(out, '\\'); break;
		case '"': rc = buf_addc(out, '"'); break;
		case 'x': {
			int hi, lo;

			if (i + 2 >= n - 1 || (hi = str_hexval((unsigned char)v[i + 1])) < 0 ||
			    (lo = str_hexval((unsigned char)v[i + 2])) < 0)
				return TM_EPROTO;
			rc = buf_addc(out, (char)(hi << 4 | lo));
			i += 2;
			break;
		}
		default: return TM_EPROTO;
		}
	}
	return rc;
}
