/*
 * vendor_words.c - finds vendors named in free text (OUI organisations,
 * product strings, certificate subjects) for vreg_resolve().  Text is cut
 * into words of ASCII letters and digits (an apostrophe inside a word is
 * dropped: "Dell'Orto" is one word, "dellorto"); each other UTF-8
 * character is a word by itself, so "华为" (two words) is found inside
 * "华为技术有限公司"; invalid bytes separate words.  Every phrase of the
 * registry is filed under its first word.  Scanning left to right, the
 * longest phrase starting at a word is taken and its words are skipped, so
 * "Huawei Marine" (a "not" phrase) hides the "Huawei" inside it.  Each word
 * costs one hash probe plus the phrases filed under it: no regex, O(words).
 */
#include "vendor_int.h"

#include <string.h>

/* ASCII letters and digits (a table: isalnum() is a call through the locale for every byte of text). */
static const uint8_t alnum_tab[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
	['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
	['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1,
	['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
	['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static bool alnum(char c)
{
	return alnum_tab[(unsigned char)c];
}

/* A byte that starts a UTF-8 sequence of two to four bytes, and one that continues it. */
static bool lead(char c)
{
	return (unsigned char)c >= 0xc2 && (unsigned char)c <= 0xf4;
}

static bool cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* vr_next_word(), inlined into scan(): most words of a long text are turned away at once. */
static inline bool next_word(const char *t, size_t n, size_t *pos, size_t *s, size_t *e)
{
	size_t i = *pos;

	while (i < n && !alnum(t[i]) && !lead(t[i]))
		i++;
	if (i >= n) {
		*pos = n;
		return false;
	}
	*s = i;
	if (lead(t[i])) { /* one non-ASCII character is one word: Chinese has no spaces */
		for (i++; i < n && i - *s < 4 && cont(t[i]); i++)
			;
		*e = *pos = i;
		return true;
	}
	while (i < n && (alnum(t[i]) || (t[i] == '\'' && i + 1 < n && alnum(t[i + 1]))))
		i++;
	*e = *pos = i;
	return true;
}

bool vr_next_word(const char *t, size_t n, size_t *pos, size_t *s, size_t *e)
{
	return next_word(t, n, pos, s, e);
}

/* tolower() of the "C" locale (trustmap never calls setlocale), without a call per byte. */
static unsigned char lower(char c)
{
	return (unsigned char)c >= 'A' && (unsigned char)c <= 'Z' ? (unsigned char)(c + 32) : (unsigned char)c;
}

int vr_norm_word(const char *t, size_t s, size_t e, char *out)
{
	int n = 0;

	for (size_t i = s; i < e; i++) {
		if (t[i] == '\'')
			continue;
		if (n >= VR_WORD_MAX)
			return -1;
		out[n++] = (char)lower(t[i]);
	}
	return n;
}

/*
 * Might a phrase start with text word [s, e)?  The first-word filter's bit
 * of its 'w' key, hashed as vr_norm_word() and vr_hash() would (no copy):
 * false means certainly not.
 */
static inline bool maybe_first(const struct vreg *r, const char *t, size_t s, size_t e)
{
	uint32_t h = (2166136261u ^ (unsigned char)'w') * 16777619u, b;
	size_t n = 0;

	for (size_t i = s; i < e; i++) {
		if (t[i] == '\'')
			continue;
		if (++n > VR_WORD_MAX)
			return false;
		h = (h ^ lower(t[i])) * 16777619u;
	}
	b = vr_wbit(h);
	return n && (r->wfilt[b / 64] >> (b % 64) & 1);
}

/* Does text word [s, e) equal normalised word w? */
static bool word_eq(const char *t, size_t s, size_t e, const char *w)
{
	size_t j = 0;

	for (size_t i = s; i < e; i++) {
		if (t[i] == '\'')
			continue;
		if (!w[j] || lower(t[i]) != (unsigned char)w[j])
			return false;
		j++;
	}
	return !w[j];
}

/*
 * Matches phrase a against the text from the word ending at pos (its first
 * word already matched); on success sets *end past its last word.
 */
static bool phrase_at(const struct vr_alias *a, const char *t, size_t n, size_t pos, bool first,
		      size_t *end)
{
	size_t s, e;

	if (a->whole && !first)
		return false;
	for (int j = 1; j < a->nw; j++)
		if (!vr_next_word(t, n, &pos, &s, &e) || !word_eq(t, s, e, a->w[j]))
			return false;
	*end = pos;
	if (a->whole && vr_next_word(t, n, &pos, &s, &e))
		return false;
	return true;
}

/* Orders matches: whole text, then more words, then more letters. */
static bool longer(const struct vr_alias *a, const struct vr_alias *b)
{
	if (!b)
		return true;
	if (a->whole != b->whole)
		return a->whole > b->whole;
	if (a->nw != b->nw)
		return a->nw > b->nw;
	return a->nch > b->nch;
}

/* Rank of a kind when two equally long phrases name different vendors: the device's maker first. */
static int kind_rank(enum vendor_kind k)
{
	switch (k) {
	case VENDOR_EQUIPMENT:
		return 0;
	case VENDOR_COMPONENT:
		return 1;
	case VENDOR_SERVICE:
		return 2;
	case VENDOR_SOFTWARE:
		return 3;
	}
	return 4;
}

/* The longest phrase starting at word [s, e), or NULL; *end past it.  (After maybe_first().) */
static const struct vr_alias *longest_at(const struct vreg *r, const char *t, size_t n, size_t s,
					 size_t e, bool first, size_t *end)
{
	char k[VR_WORD_MAX + 1];
	const struct vr_alias *best = NULL;
	const int *head;
	size_t pe;
	int wl = vr_norm_word(t, s, e, k + 1);

	if (wl <= 0)
		return NULL;
	k[0] = 'w';
	head = vr_map_get(&r->map, k, (size_t)wl + 1);
	for (int i = head ? *head : -1; i >= 0; i = r->al[i].next) {
		const struct vr_alias *a = &r->al[i];

		if (longer(a, best) && phrase_at(a, t, n, e, first, &pe)) {
			best = a;
			*end = pe;
		}
	}
	return best;
}

/*
 * Scans text calling back for each vendor phrase taken (not phrases hide
 * words but are not reported).  fn returns false to stop.
 */
typedef bool (*hit_fn)(void *ctx, const struct vreg *r, const struct vr_alias *a);

static void scan(const struct vreg *r, const char *t, size_t n, hit_fn fn, void *ctx)
{
	size_t pos = 0, s, e, end;
	int order = 0;

	if (!r || !t || !r->nal)
		return;
	while (next_word(t, n, &pos, &s, &e)) {
		const struct vr_alias *a = maybe_first(r, t, s, e) ? longest_at(r, t, n, s, e, order == 0, &end) : NULL;

		order++;
		if (!a)
			continue;
		pos = end;
		if (a->vendor >= 0 && !fn(ctx, r, a))
			return;
	}
}

/* Is vendor a below vendor b in b's corporate family today? */
static bool descends(const struct vreg *r, int a, int b)
{
	for (int i = 0, p = vreg_parent(r, a, -1); i < 64 && p >= 0; i++, p = vreg_parent(r, p, -1))
		if (p == b)
			return true;
	return false;
}

/*
 * Is a a better answer than b?  A whole-text match first, then a maker of
 * devices over a maker of parts, services or software ("ZXHN F660 ... Linux"
 * is ZTE's), then a subsidiary over its parent, then more words, then more
 * letters; on a tie the first stays.
 */
static bool better(const struct vreg *r, const struct vr_alias *a, const struct vr_alias *b)
{
	int ka, kb;

	if (!b)
		return true;
	if (a->whole != b->whole)
		return a->whole > b->whole;
	ka = kind_rank(r->v[a->vendor].v.kind);
	kb = kind_rank(r->v[b->vendor].v.kind);
	if (ka != kb)
		return ka < kb;
	/* "Aruba, a Hewlett Packard Enterprise company": the subsidiary is the more exact answer */
	if (descends(r, a->vendor, b->vendor))
		return true;
	if (descends(r, b->vendor, a->vendor))
		return false;
	return longer(a, b);
}

struct best {
	const struct vr_alias *a;
};

static bool keep_best(void *ctx, const struct vreg *r, const struct vr_alias *a)
{
	struct best *b = ctx;

	if (better(r, a, b->a))
		b->a = a;
	return true;
}

int vreg_resolve(const struct vreg *r, const char *text, size_t n)
{
	struct best b = {NULL};

	scan(r, text, n, keep_best, &b);
	return b.a ? b.a->vendor : -1;
}

struct all {
	int *out;
	int max, n;
};

static bool keep_all(void *ctx, const struct vreg *r, const struct vr_alias *a)
{
	struct all *x = ctx;
	int seen = 0;

	(void)r;
	for (int i = 0; i < x->n && i < x->max; i++)
		seen |= x->out[i] == a->vendor;
	if (seen)
		return true;
	if (x->n >=
	    x->max) /* counting past max cannot tell repeats: stop at the first unseen one */
		return x->n++, false;
	x->out[x->n++] = a->vendor;
	return true;
}

int vreg_resolve_all(const struct vreg *r, const char *text, size_t n, int *out, int max)
{
	struct all x = {out, out && max > 0 ? max : 0, 0};

	scan(r, text, n, keep_all, &x);
	return x.n;
}
