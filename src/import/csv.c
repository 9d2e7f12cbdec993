/*
 * csv.c - the streaming CSV reader of csv.h: a byte-at-a-time state machine
 * whose whole state lives in struct csv, so chunk boundaries fall anywhere.
 */
#include "csv.h"

#include "../core/err.h"

#include <string.h>

enum {
	S_FIELD,  /* at the start of a field */
	S_PLAIN,  /* inside an unquoted field */
	S_QUOTED, /* inside a quoted field */
	S_QUOTE,  /* a quote seen inside a quoted field: closing, or the first of a pair */
	S_SKIP,	  /* after an error: drop bytes up to the end of the line */
};

static const char bom[] = "\xef\xbb\xbf";

void csv_init(struct csv *c, size_t max, csv_fn fn, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->sep = ',';
	c->max = max ? max : 1 << 20;
	c->fn = fn;
	c->ctx = ctx;
	c->line = c->col = 1;
	buf_init(&c->b, c->max + CSV_MAX_FIELDS + 1);
}

void csv_fini(struct csv *c)
{
	buf_fini(&c->b);
}

static void fail(struct csv *c, const char *why, unsigned long line, unsigned long col)
{
	if (!c->r.err) {
		c->r.err = why;
		c->r.err_line = line;
		c->r.err_col = col;
	}
}

/* Starts a field at the current position. */
static int field_start(struct csv *c)
{
	if (c->r.nf >= CSV_MAX_FIELDS) {
		fail(c, "too many fields", c->line, c->col);
		return 0;
	}
	c->off[c->r.nf] = c->b.len;
	c->r.line[c->r.nf] = c->line;
	c->r.col[c->r.nf] = c->col;
	if (c->r.nf == 0)
		c->r.lineno = c->line;
	c->r.nf++;
	return 0;
}

static int add(struct csv *c, char ch)
{
	int rc;

	if (c->r.err)
		return 0;
	if (c->b.len >= c->max) {
		fail(c, "record too long", c->line, c->col);
		return 0;
	}
	rc = buf_addc(&c->b, ch);
	return rc == TM_ELIMIT ? 0 : rc;
}

/* Ends the current field (a NUL after its bytes). */
static int field_end(struct csv *c)
{
	int rc = c->r.err ? 0 : buf_addc(&c->b, 0);

	return rc == TM_ELIMIT ? 0 : rc;
}

/* Delivers the current record (unless it is an empty line) and starts the next one. */
static int record_end(struct csv *c)
{
	int rc = 0;

	if (c->any || c->r.err) {
		for (int i = 0; i < c->r.nf; i++) {
			size_t end = i + 1 < c->r.nf ? c->off[i + 1] - 1 : c->b.len - 1;

			if (c->r.err || !c->b.p) {
				c->r.f[i] = "";
				c->r.n[i] = 0;
				continue;
			}
			c->r.f[i] = c->b.p + c->off[i];
			c->r.n[i] = end - c->off[i];
		}
		rc = c->fn(c->ctx, &c->r);
	}
	memset(&c->r, 0, sizeof(c->r));
	buf_reset(&c->b);
	c->any = 0;
	c->st = S_FIELD;
	return rc;
}

/* One byte of input. */
static int byte(struct csv *c, char ch)
{
	int rc = 0;

	switch (c->st) {
	case S_SKIP:
		if (ch == '\n')
			return record_end(c);
		return 0;
	case S_FIELD:
		if (ch == '\r')
			return 0;
		c->any |= ch != '\n';
		if ((rc = field_start(c)) != 0)
			return rc;
		if (ch == '"') {
			c->st = S_QUOTED;
			c->qline = c->line;
			c->qcol = c->col;
			return 0;
		}
		c->st = S_PLAIN;
		/* fall through */
	case S_PLAIN:
		if (ch == '\r')
			return 0;
		if (ch == c->sep || ch == '\n') {
			rc = field_end(c);
			c->st = S_FIELD;
			if (!rc && ch == '\n')
				rc = record_end(c);
			return rc;
		}
		c->any = 1;
		return add(c, ch);
	case S_QUOTED:
		c->any = 1;
		if (ch == '"') {
			c->st = S_QUOTE;
			return 0;
		}
		return add(c, ch);
	default: /* S_QUOTE */
		if (ch == '"') {
			c->st = S_QUOTED;
			return add(c, ch);
		}
		if (ch == '\r')
			return 0;
		if (ch == c->sep || ch == '\n') {
			rc = field_end(c);
			c->st = S_FIELD;
			if (!rc && ch == '\n')
				rc = record_end(c);
			return rc;
		}
		fail(c, "unexpected character after a closing quote", c->line, c->col);
		c->st = S_SKIP;
		return 0;
	}
}

int csv_feed(struct csv *c, const char *p, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		if (c->bom >= 0) {
			if ((unsigned char)p[i] == (unsigned char)bom[c->bom]) {
				if (++c->bom == 3)
					c->bom = -1;
				continue;
			}
			for (int k = 0; k < c->bom && !rc; k++)
				rc = byte(c, bom[k]);
			c->bom = -1;
			if (rc)
				break;
		}
		rc = byte(c, p[i]);
		if (p[i] == '\n') {
			c->line++;
			c->col = 1;
		} else {
			c->col++;
		}
	}
	return rc;
}

int csv_end(struct csv *c)
{
	int rc = 0;

	for (int k = 0; c->bom > 0 && k < c->bom && !rc; k++)
		rc = byte(c, bom[k]);
	c->bom = -1;
	if (rc)
		return rc;
	if (c->st == S_QUOTED)
		fail(c, "quoted field not closed at the end of the file", c->qline, c->qcol);
	if (c->st == S_FIELD && c->r.nf > 0)
		rc = field_start(c); /* "a,b," ends with an empty field */
	if (!rc && c->st != S_SKIP && c->r.nf > 0)
		rc = field_end(c);
	return rc ? rc : record_end(c);
}

char csv_guess_sep(const char *p, size_t n)
{
	size_t comma = 0, semi = 0, tab = 0;
	int quoted = 0;

	for (size_t i = 0; i < n && (quoted || p[i] != '\n'); i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			comma += p[i] == ',', semi += p[i] == ';', tab += p[i] == '\t';
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}
