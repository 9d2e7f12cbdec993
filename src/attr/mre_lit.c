/*
 * mre_lit.c - reads a PCRE2 pattern (the syntax nmap's match lines use,
 * without the extended flag) far enough to say which literal text every
 * match must contain: the anchored prefix of each top-level branch and its
 * required runs (mre_int.h).  Anything it does not understand makes it say
 * less, never more: a run is broken at every construct that is not a plain
 * mandatory character, so the prefilter built on it may let too much
 * through but never drops a real match.  Also counts literal characters
 * (mre_literal_count), and keeps each pattern's literals packed while the
 * engine compiles (mre_lit_get).
 */
#include "../core/str.h"
#include "mre_int.h"
#include "../core/mem.h"

#include <ctype.h>
#include <string.h>

enum tok_type {
	T_END,	  /* end of the range */
	T_LIT,	  /* one literal byte (c) */
	T_BREAK,  /* matches something, but not a known literal (class, dot, backref) */
	T_ASSERT, /* zero-width: ^ $ \b \B \A \z \Z \G \K (c says which) */
	T_BAR,	  /* | at this level */
	T_GROUP,  /* ( ... ): gk says what, [gb, ge) its content */
	T_NOP,	  /* nothing at all (\E, an option setting) */
};

enum group_kind { G_SEQ, G_SKIP };

struct tok {
	enum tok_type t;
	int c;
	enum group_kind gk;
	size_t gb, ge;
};

struct lx {
	const uint8_t *p;
	size_t n;
	int inq;    /* inside \Q...\E */
	int always; /* gave up */
	int icase;
	int multi;  /* an (?m) somewhere: ^ is not only the subject's start */
};

/* c is one of set (never true for NUL, unlike strchr). */
static int in(const char *set, int c)
{
	return c && strchr(set, c);
}

/* Skips a {...}, <...> or '...' name after \g, \k, \p, \N; i is on the opener. */
static size_t skip_name(const uint8_t *p, size_t n, size_t i)
{
	int close;

	if (i >= n)
		return n;
	close = p[i] == '{' ? '}' : p[i] == '<' ? '>' : p[i] == '\'' ? '\'' : 0;
	if (!close)
		return i;
	while (++i < n && p[i] != close)
		;
	return i < n ? i + 1 : n;
}

/* Numeric escapes: \0oo, \o{...}, \x{...}, \xhh.  i is after the letter. */
static enum tok_type num_escape(const uint8_t *p, size_t n, size_t *i, int ch, int *c)
{
	unsigned v = 0, k = 0;

	if (ch == '0') {
		while (k < 2 && *i < n && p[*i] >= '0' && p[*i] <= '7')
			v = v * 8 + (p[(*i)++] - '0'), k++;
	} else if (*i < n && p[*i] == '{') {
		int base = ch == 'o' ? 8 : 16;
		for ((*i)++; *i < n && p[*i] != '}'; (*i)++) {
			int d = str_hexval(p[*i]);
			if (d < 0 || d >= base || v > 0xffff)
				return T_BREAK;
			v = v * base + d;
		}
		if (*i >= n)
			return T_BREAK;
		(*i)++;
	} else if (ch == 'x') {
		while (k < 2 && *i < n && str_hexval(p[*i]) >= 0)
			v = v * 16 + str_hexval(p[(*i)++]), k++;
	} else {
		return T_BREAK; /* \o without braces: PCRE2 rejects it */
	}
	if (v > 255)
		return T_BREAK;
	*c = (int)v;
	return T_LIT;
}

/* An escape; p[*i] is the backslash.  Sets x->inq for \Q. */
static enum tok_type escape(struct lx *x, size_t *i, int *c)
{
	const uint8_t *p = x->p;
	size_t n = x->n;
	int ch;

	if (*i + 1 >= n) { /* a lone backslash at the end (PCRE2 refuses it, unless in a comment) */
		*i = n;
		x->always = 1;
		return T_BREAK;
	}
	ch = p[*i + 1];
	*i += 2;
	*c = ch;
	if (!isalnum(ch))
		return T_LIT;
	switch (ch) {
	case 'a': *c = 7; return T_LIT;
	case 'e': *c = 27; return T_LIT;
	case 'f': *c = 12; return T_LIT;
	case 'n': *c = 10; return T_LIT;
	case 'r': *c = 13; return T_LIT;
	case 't': *c = 9; return T_LIT;
	case '0': case 'o': case 'x':
		return num_escape(p, n, i, ch, c);
	case 'c':
		if (*i >= n || p[*i] > 126)
			return T_BREAK;
		*c = toupper(p[(*i)++]) ^ 0x40;
		return T_LIT;
	case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K':
		return T_ASSERT;
	case 'Q':
		x->inq = 1;
		return T_NOP;
	case 'E':
		return T_NOP;
	case 'p': case 'P': case 'N':
		if (*i < n && (p[*i] == '{'))
			*i = skip_name(p, n, *i);
		else if (ch != 'N' && *i < n)
			(*i)++;
		return T_BREAK;
	case 'g': case 'k': { /* \g1 \g-1 \g+1, or a name in {} <> '' */
		size_t b = *i;
		if (ch == 'g' && *i < n && (p[*i] == '-' || p[*i] == '+'))
			(*i)++;
		while (ch == 'g' && *i < n && isdigit(p[*i]))
			(*i)++;
		if (*i == b)
			*i = skip_name(p, n, *i);
		return T_BREAK;
	}
	}
	if (isdigit(ch)) { /* back reference (or an octal that we do not try to tell apart) */
		while (*i < n && isdigit(p[*i]))
			(*i)++;
		return T_BREAK;
	}
	if (in("dDwWsShHvVRXC", ch))
		return T_BREAK;
	x->always = 1; /* an escape we do not know: do not guess */
	return T_BREAK;
}

/* Bytes taken by the escape at p[i] when skipping: \cX takes its X, whatever it is ("\c)" is 'i'). */
static size_t esc_len(const uint8_t *p, size_t n, size_t i)
{
	return i + 2 < n && p[i + 1] == 'c' ? 3 : 2;
}

/*
 * Index after a POSIX item "[:alpha:]" (or "[.x.]", "[=x=]") at p[i] inside
 * a class, or 0 when it is not one, by PCRE2's own rule: a ']', or '['
 * followed by the same punctuation, before the terminator means it is not.
 */
static size_t posix_end(const uint8_t *p, size_t n, size_t i)
{
	uint8_t t = p[i + 1];

	for (size_t j = i + 2; j + 1 < n; j++) {
		if (p[j] == '\\' && (p[j + 1] == ']' || p[j + 1] == '\\'))
			j++;
		else if ((p[j] == '[' && p[j + 1] == t) || p[j] == ']')
			return 0;
		else if (p[j] == t && p[j + 1] == ']')
			return j + 2;
	}
	return 0;
}

/* Index after the class that starts at p[i] == '['. */
static size_t skip_class(const uint8_t *p, size_t n, size_t i)
{
	int neg = 0;

	for (i++;;) { /* as PCRE2: \E, \Q\E and one ^ before the first member are skipped */
		if (i + 1 < n && p[i] == '\\' && p[i + 1] == 'E')
			i += 2;
		else if (i + 3 < n && !memcmp(p + i, "\\Q\\E", 4))
			i += 4;
		else if (!neg && i < n && p[i] == '^')
			neg = 1, i++;
		else
			break;
	}
	if (i < n && p[i] == ']') /* the first member may be ']' */
		i++;
	while (i < n) {
		if (p[i] == '\\' && i + 1 < n && p[i + 1] == 'Q') {
			for (i += 2; i + 1 < n && !(p[i] == '\\' && p[i + 1] == 'E'); i++)
				;
			i += 2;
		} else if (p[i] == '\\') {
			i += esc_len(p, n, i);
		} else if (p[i] == '[' && i + 1 < n && in(":.=", p[i + 1])) {
			size_t j = posix_end(p, n, i);
			i = j ? j : i + 1;
		} else if (p[i] == ']') {
			return i + 1;
		} else {
			i++;
		}
	}
	return n;
}

/* Index of the ')' closing the group whose content starts at i; n when unbalanced. */
static size_t skip_group(const uint8_t *p, size_t n, size_t i)
{
	int depth = 0;

	while (i < n) {
		if (p[i] == '\\' && i + 1 < n && p[i + 1] == 'Q') {
			for (i += 2; i + 1 < n && !(p[i] == '\\' && p[i + 1] == 'E'); i++)
				;
			i += 2;
		} else if (p[i] == '\\') {
			i += esc_len(p, n, i);
		} else if (p[i] == '[') {
			i = skip_class(p, n, i);
		} else if (p[i] == '(' && i + 2 < n && p[i + 1] == '?' && p[i + 2] == '#') {
			while (i < n && p[i] != ')')
				i++;
			i++;
		} else if (p[i] == '(') {
			depth++, i++;
		} else if (p[i] == ')') {
			if (depth-- == 0)
				return i;
			i++;
		} else {
			i++;
		}
	}
	return n;
}

/* Option letters of (?imsx-imsx) or (?i:...); i after "(?".  Returns the index of ')' or ':'. */
static size_t options(struct lx *x, size_t i)
{
	int off = 0;

	for (; i < x->n && x->p[i] != ')' && x->p[i] != ':'; i++) {
		int ch = x->p[i];
		if (ch == '-')
			off = 1;
		else if (ch == 'x' && !off)
			x->always = 1;
		else if (ch == 'i' && !off)
			x->icase = 1;
		else if (ch == 'm' && !off)
			x->multi = 1;
		else if (!in("nsUJ^imx", ch))
			x->always = 1;
	}
	return i;
}

/* The group opening at p[i] == '('. */
static void group(struct lx *x, size_t *i, struct tok *t)
{
	const uint8_t *p = x->p;
	size_t n = x->n, b = *i + 1, e;
	int c1 = b < n ? p[b] : 0, c2 = b + 1 < n ? p[b + 1] : 0;

	t->t = T_GROUP;
	t->gk = G_SKIP;
	if (c1 == '*') {
		x->always = 1; /* (*VERB) or (*pla:...): leave such patterns alone */
	} else if (c1 != '?') {
		t->gk = G_SEQ;
	} else if (c2 == '#') {
		while (b < n && p[b] != ')')
			b++;
		*i = b < n ? b + 1 : n;
		t->t = T_NOP;
		return;
	} else if (c2 == ':' || c2 == '>') {
		t->gk = G_SEQ, b += 2;
	} else if ((c2 == '<' && b + 2 < n && p[b + 2] != '=' && p[b + 2] != '!') ||
		   (c2 == 'P' && b + 2 < n && p[b + 2] == '<') || c2 == '\'') {
		int close = c2 == '\'' ? '\'' : '>';
		for (b += 3; b < n && p[b] != close; b++)
			;
		t->gk = G_SEQ, b++;
	} else if (c2 == 'C') {
		x->always = 1; /* a callout: its quoted text may hold parentheses */
	} else if (isalpha(c2) || c2 == '-' || c2 == '^') {
		if (!in("PR", c2)) {
			b = options(x, b + 1);
			if (b < n && p[b] == ')') {
				*i = b + 1;
				t->t = T_NOP;
				return;
			}
			t->gk = G_SEQ, b++;
		}
	}
	e = skip_group(p, n, b);
	if (e >= n)
		x->always = 1;
	t->gb = b < e ? b : e;
	t->ge = e;
	*i = e < n ? e + 1 : n;
}

/* The next token of [*i, e). */
static void next_tok(struct lx *x, size_t *i, size_t e, struct tok *t)
{
	const uint8_t *p = x->p;
	int c;

	t->t = T_END;
	if (*i >= e)
		return;
	if (x->inq) {
		if (p[*i] == '\\' && *i + 1 < e && p[*i + 1] == 'E') {
			x->inq = 0;
			*i += 2;
			t->t = T_NOP;
			return;
		}
		t->t = T_LIT, t->c = p[(*i)++];
		return;
	}
	c = p[*i];
	t->c = c;
	switch (c) {
	case '\\': t->t = escape(x, i, &t->c); return;
	case '[': *i = skip_class(p, x->n, *i); t->t = T_BREAK; return;
	case '(': group(x, i, t); return;
	case '|': (*i)++; t->t = T_BAR; return;
	case '^': case '$': (*i)++; t->t = T_ASSERT; return;
	case '.': case '*': case '+': case '?': case '{': case ')':
		(*i)++; t->t = T_BREAK; return;
	}
	(*i)++;
	t->t = T_LIT;
}

/*
 * A quantifier at *i (after an atom): returns 1 and its minimum in *min, or
 * 0 when none.  A '{' that does not make a quantifier is left for next_tok.
 */
static int quant(struct lx *x, size_t *i, size_t e, unsigned *min)
{
	const uint8_t *p = x->p;
	size_t j;
	unsigned v = 0;
	int digits = 0;

	if (x->inq) {
		if (*i + 1 < e && p[*i] == '\\' && p[*i + 1] == 'E')
			*i += 2, x->inq = 0;
		else
			return 0;
	}
	for (;;) { /* a quantifier applies over a comment, \E or an empty \Q\E */
		if (*i + 2 < e && p[*i] == '(' && p[*i + 1] == '?' && p[*i + 2] == '#') {
			while (*i < e && p[*i] != ')')
				(*i)++;
			*i += *i < e;
		} else if (*i + 3 < e && !memcmp(p + *i, "\\Q\\E", 4)) {
			*i += 4;
		} else if (*i + 1 < e && p[*i] == '\\' && p[*i + 1] == 'E') {
			*i += 2;
		} else {
			break;
		}
	}
	if (*i >= e)
		return 0;
	if (p[*i] == '*' || p[*i] == '?') {
		*min = 0, (*i)++;
	} else if (p[*i] == '+') {
		*min = 1, (*i)++;
	} else if (p[*i] == '{') {
		for (j = *i + 1; j < e && isdigit(p[j]); j++)
			v = v < 100000 ? v * 10 + (p[j] - '0') : v, digits = 1;
		if (j < e && p[j] == ',')
			for (j++; j < e && isdigit(p[j]); j++)
				digits = 1;
		if (j >= e || p[j] != '}' || !digits)
			return 0;
		*min = v;
		*i = j + 1;
	} else {
		return 0;
	}
	if (*i < e && (p[*i] == '?' || p[*i] == '+'))
		(*i)++;
	return 1;
}

struct bst { /* building one branch */
	struct lit_branch *br;
	struct lit_run cur;
	int anchor_mode; /* cur is the anchored prefix */
};

static void flush(struct bst *b)
{
	struct lit_branch *br = b->br;
	int k, j;

	if (b->anchor_mode) {
		br->anch = b->cur;
		b->anchor_mode = 0;
	} else if (b->cur.len) {
		if (br->nrun < LIT_RUNS) {
			k = br->nrun++;
		} else { /* replace the shortest when this one is longer */
			for (k = 0, j = 1; j < LIT_RUNS; j++)
				if (br->run[j].len < br->run[k].len)
					k = j;
			if (br->run[k].len >= b->cur.len)
				k = -1;
		}
		if (k >= 0)
			br->run[k] = b->cur;
	}
	b->cur.len = 0;
}

static void add_lit(struct bst *b, int c)
{
	b->cur.b[b->cur.len++] = (uint8_t)c;
	if (b->cur.len == LIT_MAX)
		flush(b);
}

static int has_bar(struct lx *x, size_t i, size_t e)
{
	struct tok t;
	int inq = x->inq, always = x->always, r = 0;

	x->inq = 0;
	for (next_tok(x, &i, e, &t); t.t != T_END; next_tok(x, &i, e, &t))
		if (t.t == T_BAR)
			r = 1;
	x->inq = inq;
	x->always = always;
	return r;
}

/* Reads the branch [*i, e) up to its '|' (consumed: returns 1) or e (returns 0). */
static int branch(struct lx *x, size_t *i, size_t e, struct bst *b, int top)
{
	struct tok t;
	int at_start = top;
	unsigned min;

	for (next_tok(x, i, e, &t); t.t != T_END && t.t != T_BAR; next_tok(x, i, e, &t)) {
		if (x->always) { /* given up: nothing more to learn */
			*i = e;
			return 0;
		}
		if (t.t == T_NOP)
			continue;
		if (t.t == T_ASSERT && at_start && (t.c == '^' || t.c == 'A')) {
			flush(b);
			b->anchor_mode = 1;
			at_start = 0;
			continue;
		}
		at_start = 0;
		if (t.t == T_LIT) {
			if (!quant(x, i, e, &min)) {
				add_lit(b, t.c);
				continue;
			}
			if (min > 0)
				add_lit(b, t.c);
			flush(b);
			continue;
		}
		flush(b);
		if (t.t == T_GROUP) {
			int q = quant(x, i, e, &min);
			if (t.gk == G_SEQ && (!q || min > 0) && !has_bar(x, t.gb, t.ge)) {
				size_t j = t.gb;
				branch(x, &j, t.ge, b, 0);
				flush(b);
			}
		} else if (t.t == T_BREAK) {
			quant(x, i, e, &min);
		}
	}
	return t.t == T_BAR;
}

void mre_lit_extract(const char *pat, size_t len, unsigned flags, struct lit_info *li)
{
	struct lx x = {(const uint8_t *)pat, len, 0, 0, !!(flags & MRE_CASELESS), 0};
	struct bst b;
	size_t i = 0;
	int k, more;

	memset(li, 0, sizeof(*li));
	do {
		if (li->nbr == LIT_BRANCHES) {
			x.always = 1;
			break;
		}
		memset(&b, 0, sizeof(b));
		b.br = &li->br[li->nbr++];
		more = branch(&x, &i, len, &b, 1);
		flush(&b);
	} while (more);
	for (k = 0; k < li->nbr; k++) {
		struct lit_branch *br = &li->br[k];
		if (x.multi && br->anch.len && br->nrun < LIT_RUNS)
			br->run[br->nrun++] = br->anch; /* still required, just not at the start */
		if (x.multi)
			br->anch.len = 0;
		if (!br->anch.len && !br->nrun)
			x.always = 1;
		for (int a = 1; a < br->nrun; a++) /* longest first */
			for (int c = a; c > 0 && br->run[c].len > br->run[c - 1].len; c--) {
				struct lit_run tmp = br->run[c];
				br->run[c] = br->run[c - 1];
				br->run[c - 1] = tmp;
			}
	}
	li->always = x.always;
	li->icase = x.icase;
}

/* li packed: flags, branches, and per branch its prefix and runs as (length, bytes). */
static size_t lit_pack(const struct lit_info *li, uint8_t *o)
{
	size_t n = 0;

	o[n++] = (uint8_t)((li->always ? 1 : 0) | (li->icase ? 2 : 0));
	o[n++] = (uint8_t)li->nbr;
	for (int k = 0; k < li->nbr; k++) {
		const struct lit_branch *br = &li->br[k];
		o[n++] = br->anch.len;
		memcpy(o + n, br->anch.b, br->anch.len);
		n += br->anch.len;
		o[n++] = (uint8_t)br->nrun;
		for (int j = 0; j < br->nrun; j++) {
			o[n++] = br->run[j].len;
			memcpy(o + n, br->run[j].b, br->run[j].len);
			n += br->run[j].len;
		}
	}
	return n;
}

/* The fields lit_pack kept (the rest of li is left as it was: nobody reads it). */
static void lit_unpack(const uint8_t *p, struct lit_info *li)
{
	li->always = p[0] & 1;
	li->icase = p[0] >> 1 & 1;
	li->nbr = p[1];
	p += 2;
	for (int k = 0; k < li->nbr; k++) {
		struct lit_branch *br = &li->br[k];
		br->anch.len = *p++;
		memcpy(br->anch.b, p, br->anch.len);
		p += br->anch.len;
		br->nrun = *p++;
		for (int j = 0; j < br->nrun; j++) {
			br->run[j].len = *p++;
			memcpy(br->run[j].b, p, br->run[j].len);
			p += br->run[j].len;
		}
	}
}

#define LIT_PACKED_MAX (2 + LIT_BRANCHES * (2 + LIT_MAX + LIT_RUNS * (1 + LIT_MAX)))

size_t mre_lit_packed_len(const uint8_t *p, size_t n)
{
	size_t o = 2;
	int always;

	if (n < 2 || p[0] > 3 || p[1] > LIT_BRANCHES)
		return 0;
	/* what mre_lit_extract makes and the prefilter counts on: unless always, at least one
	 * branch, each with a prefix or a run, runs not empty and longest first */
	always = p[0] & 1;
	if (!always && !p[1])
		return 0;
	for (int k = 0; k < p[1]; k++) {
		if (o >= n || p[o] > LIT_MAX || n - o - 1 < p[o])
			return 0;
		int anch = p[o];
		o += 1 + (size_t)p[o];
		if (o >= n || p[o] > LIT_RUNS || (!always && !anch && !p[o]))
			return 0;
		int nrun = p[o++], prev = LIT_MAX;
		for (int j = 0; j < nrun; j++) {
			if (o >= n || p[o] > LIT_MAX || n - o - 1 < p[o] ||
			    (!always && (!p[o] || p[o] > prev)))
				return 0;
			prev = p[o];
			o += 1 + (size_t)p[o];
		}
	}
	return o;
}

void mre_lit_get(struct mre *m, size_t i, struct lit_info *li)
{
	struct lit_cache *c = m->lc;
	const struct mre_pat *pt = &m->pat[i];

	if (c && c->off[i] != UINT32_MAX) {
		lit_unpack(c->buf + c->off[i], li);
		return;
	}
	mre_lit_extract(pt->src, pt->len, pt->flags, li);
	if (!c || c->len + LIT_PACKED_MAX > UINT32_MAX)
		return;
	if (c->len + LIT_PACKED_MAX > c->cap) { /* out of memory: read again next time */
		size_t nc = c->cap ? c->cap * 2 : 16384;
		uint8_t *nb;
		while (nc < c->len + LIT_PACKED_MAX)
			nc *= 2;
		if (!(nb = mem_realloc(c->buf, nc)))
			return;
		c->buf = nb;
		c->cap = nc;
	}
	c->off[i] = (uint32_t)c->len;
	c->len += lit_pack(li, c->buf + c->len);
}

int mre_lit_weak(const struct lit_info *li)
{
	if (li->always)
		return 1;
	for (int k = 0; k < li->nbr; k++)
		if (li->br[k].anch.len < 2 && (!li->br[k].nrun || li->br[k].run[0].len < 3))
			return 1;
	return 0;
}

/* Where counting goes on after the '(' at i: into the group, or past it. */
static size_t count_group(struct lx *x, size_t i)
{
	const uint8_t *p = x->p;
	size_t j = i;
	struct tok t;

	group(x, &j, &t);
	if (t.t != T_GROUP)
		return j;
	if (t.gk == G_SEQ)
		return t.gb > i ? t.gb : i + 1;
	if (i + 2 < x->n && p[i + 1] == '?' && in("=!|", p[i + 2]))
		return i + 3; /* lookahead, branch reset: count the content */
	if (i + 3 < x->n && p[i + 1] == '?' && p[i + 2] == '<' && in("=!", p[i + 3]))
		return i + 4;
	return j;
}

size_t mre_literal_count(const char *pat, size_t len)
{
	struct lx x = {(const uint8_t *)pat, len, 0, 0, 0, 0};
	size_t i = 0, count = 0;
	unsigned min;
	struct tok t;

	while (i < len) {
		if (!x.inq && pat[i] == '(') {
			i = count_group(&x, i);
			continue;
		}
		if (!x.inq && pat[i] == ')') {
			i++;
			quant(&x, &i, len, &min);
			continue;
		}
		next_tok(&x, &i, len, &t);
		if (t.t == T_LIT)
			count++;
		if (t.t == T_LIT || t.t == T_BREAK)
			quant(&x, &i, len, &min);
	}
	return count;
}
