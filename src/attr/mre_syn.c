/*
 * mre_syn.c - says, without compiling, that PCRE2 surely accepts a pattern,
 * and how many capture groups it has: what lets the multi-regex engine
 * compile each pattern only the first time the prefilter selects it
 * (mre.c), and still refuse a bad pattern at mre_add with PCRE2's own
 * message.  pcre2_compile of all of nmap's 12k patterns costs about 490M
 * instructions, this pass about a tenth of that.
 *
 * It knows a subset of PCRE2's syntax (8-bit, no UTF, no extended flag;
 * CASELESS and DOTALL do not change what is valid), the subset nmap's match
 * lines use: literals, the escapes \d \D \w \W \s \S \h \H \v \V \b \B \A
 * \z \Z \G \n \r \t \f \e \a \0oo \xhh, non-alphanumeric escapes, back
 * references \1..\9 to groups that exist, classes with literal members,
 * ranges in order and the class escapes, . ^ $ |, groups ( (?: (?> (?= (?!
 * and option settings of i, m, s, the quantifiers * + ? {n} {n,} {n,m}
 * (n <= m <= 65535) with a lazy or possessive suffix after something that
 * can repeat, and '{' that cannot begin a quantifier in any PCRE2 version.
 * Anything else -- another escape, a POSIX class, a lookbehind, a named
 * group, a verb, a quantifier after an assertion, a pattern whose compiled
 * size might approach PCRE2's limit -- makes it answer "not sure", and the
 * caller compiles the pattern at once as before.  So it may say too little,
 * never too much; tests/unit/test_mre.c checks "sure" against pcre2_compile
 * on nmap's patterns and on random ones.  It also counts the pattern's
 * literal characters as mre_literal_count does (for nmap's specificity), so
 * that a pattern is read once at load, not twice.
 */
#include "../core/str.h"
#include "mre_int.h"

#include <string.h>

#define SYN_DEPTH 64	  /* nested groups followed; deeper is "not sure" (PCRE2 allows 250) */
#define SYN_COST 30000	  /* estimated code units; PCRE2's limit is 64K with 2-byte links */
#define COST_ITEM 8	  /* a literal, a character type, '.', a back reference, with a quantifier */
#define COST_CLASS 48	  /* a 32-byte bitmap, its opcode and a quantifier */
#define COST_GROUP 16	  /* a group's bracket and ket, and one alternative */

struct syn {
	const uint8_t *p;
	size_t n, i;
	uint32_t groups;  /* capture groups so far */
	size_t lits;	  /* literal characters, as mre_literal_count counts them */
	unsigned maxref;  /* highest back reference */
	/* per open group: its cost so far; [0] is the whole pattern */
	unsigned long cost[SYN_DEPTH + 1];
	int depth;
	unsigned long last; /* cost of the item a quantifier would repeat */
	int last_group;	    /* that item is a group: PCRE2 copies it for each repetition */
	int can_rep;	    /* the item before may take a quantifier */
	int look[SYN_DEPTH + 1]; /* 1: this open group is a lookahead (not repeatable) */
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void item(struct syn *s, unsigned long cost)
{
	s->cost[s->depth] += cost;
	s->last = cost;
	s->last_group = 0;
	s->can_rep = 1;
}

/* Not an item: an assertion, an option setting, the start of a branch. */
static void no_item(struct syn *s)
{
	s->last = 0;
	s->can_rep = 0;
}

/*
 * The value of an escape that stands for one byte, at p[*i] just after the
 * backslash (*i moved past it): 0..255, -1 for a character type (\d...),
 * -2 when not sure.  in_class: \b is a backspace there, and the assertions
 * are not allowed.
 */
static int esc_value(struct syn *s, size_t *i, int in_class)
{
	const uint8_t *p = s->p;
	size_t n = s->n;
	int ch = p[(*i)++], v = 0;

	if (!is_alnum(ch))
		return ch;
	switch (ch) {
	case 'n': return 10;
	case 'r': return 13;
	case 't': return 9;
	case 'f': return 12;
	case 'e': return 27;
	case 'a': return 7;
	case 'b': return in_class ? 8 : -2;
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
	case 'h': case 'H': case 'v': case 'V':
		return -1;
	case '0':
		for (int k = 0; k < 2 && *i < n && p[*i] >= '0' && p[*i] <= '7'; k++)
			v = v * 8 + (p[(*i)++] - '0');
		return v;
	case 'x':
		if (*i < n && p[*i] == '{')
			return -2;
		for (int k = 0; k < 2 && *i < n && str_hexval(p[*i]) >= 0; k++)
			v = v * 16 + str_hexval(p[(*i)++]);
		return v;
	}
	return -2;
}

/* An escape outside a class; s->i is on the backslash.  0, or -1 when not sure. */
static int escape(struct syn *s)
{
	const uint8_t *p = s->p;
	size_t i = s->i + 1;
	int ch, v;

	if (i >= s->n)
		return -1; /* a lone backslash at the end: PCRE2 refuses it */
	ch = p[i];
	if (ch >= '1' && ch <= '9') { /* a back reference, if a single digit */
		if (i + 1 < s->n && is_digit(p[i + 1]))
			return -1;
		if ((unsigned)(ch - '0') > s->maxref)
			s->maxref = (unsigned)(ch - '0');
		s->i = i + 1;
		item(s, COST_ITEM);
		return 0;
	}
	if (ch == 'b' || ch == 'B' || ch == 'A' || ch == 'z' || ch == 'Z' || ch == 'G') {
		s->i = i + 1;
		no_item(s);
		return 0;
	}
	v = esc_value(s, &i, 0);
	if (v == -2)
		return -1;
	s->lits += v >= 0;
	s->i = i;
	item(s, COST_ITEM);
	return 0;
}

/* A class; s->i is on '['.  0, or -1 when not sure. */
static int class(struct syn *s)
{
	const uint8_t *p = s->p;
	size_t n = s->n, i = s->i + 1;
	int prev = -1;	  /* value of the last single member, -1 if none (or a type) */
	int after_range = 0;

	if (i < n && p[i] == '^')
		i++;
	if (i < n && (p[i] == ':' || p[i] == '.' || p[i] == '=')) /* [:alpha:] outside a class */
		return -1;
	if (i < n && p[i] == ']') /* a ']' first is a member */
		prev = ']', i++;
	for (;;) {
		int v;
		if (i >= n)
			return -1; /* unterminated */
		if (p[i] == ']')
			break;
		if (p[i] == '-' && i + 1 < n && p[i + 1] != ']' && (prev >= 0 || after_range)) {
			int hi;
			if (after_range)
				return -1; /* "a-c-e": leave it to PCRE2 */
			i++;
			if (p[i] == '[')
				return -1;
			if (p[i] == '\\') {
				if (++i >= n)
					return -1;
				if ((hi = esc_value(s, &i, 1)) < 0)
					return -1;
			} else {
				hi = p[i++];
			}
			if (hi < prev)
				return -1; /* out of order: PCRE2 says so */
			prev = -1;
			after_range = 1;
			continue;
		}
		after_range = 0;
		if (p[i] == '\\') {
			if (++i >= n)
				return -1;
			if (is_digit(p[i]) && p[i] != '0')
				return -1;
			v = esc_value(s, &i, 1);
			if (v == -2)
				return -1;
			if (v == -1 && i < n && p[i] == '-' && i + 1 < n && p[i + 1] != ']')
				return -1; /* "[\d-z]" */
			prev = v;
			continue;
		}
		if (p[i] == '[' && i + 1 < n && (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '='))
			return -1; /* POSIX class or collating element */
		prev = p[i++];
	}
	s->i = i + 1;
	item(s, COST_CLASS);
	return 0;
}

/* Reads digits at p[*i] into *v (capped); 1 when there was at least one. */
static int number(const struct syn *s, size_t *i, unsigned long *v)
{
	size_t b = *i;

	*v = 0;
	while (*i < s->n && is_digit(s->p[*i])) {
		if (*v < 1000000)
			*v = *v * 10 + (unsigned long)(s->p[*i] - '0');
		(*i)++;
	}
	return *i > b;
}

/*
 * A quantifier at s->i: * + ? or {n} {n,} {n,m}, then an optional ? or +.
 * 1 when one was read, 0 when there is none, -1 when not sure.
 */
static int quant(struct syn *s)
{
	const uint8_t *p = s->p;
	size_t n = s->n, i = s->i;
	unsigned long lo, hi, copies;
	int bounded = 1;

	if (i >= n)
		return 0;
	if (p[i] == '*' || p[i] == '+' || p[i] == '?') {
		lo = p[i] == '+';
		hi = p[i] == '?';
		bounded = p[i] == '?';
		i++;
	} else if (p[i] == '{') {
		if (i + 1 >= n)
			return -1;
		if (!is_digit(p[i + 1]) && p[i + 1] != ',' && p[i + 1] != ' ' && p[i + 1] != '\t')
			return 0; /* a literal '{' in every PCRE2 version */
		i++;
		if (!number(s, &i, &lo))
			return -1;
		hi = lo;
		if (i < n && p[i] == ',') {
			i++;
			if (!number(s, &i, &hi))
				bounded = 0;
		}
		if (i >= n || p[i] != '}' || lo > 65535 || (bounded && (hi > 65535 || hi < lo)))
			return -1;
		i++;
	} else {
		return 0;
	}
	if (!s->can_rep)
		return -1; /* nothing to repeat, an assertion, a quantifier: leave it to PCRE2 */
	if (i < n && (p[i] == '?' || p[i] == '+'))
		i++;
	s->i = i;
	/* a repeated group is copied: lo times, then (hi - lo) optional copies or one looping one */
	copies = (lo ? lo : 1) + (bounded ? (hi > lo ? hi - lo : 0) : 1);
	if (s->last_group && copies > 1)
		s->cost[s->depth] += s->last * (copies - 1);
	s->last = 0;
	s->can_rep = 0;
	return 1;
}

/* A group's opening; s->i is on '('.  0, or -1 when not sure. */
static int open_group(struct syn *s)
{
	const uint8_t *p = s->p;
	size_t n = s->n, i = s->i + 1;
	int look = 0;

	if (s->depth >= SYN_DEPTH || i >= n || p[i] == '*')
		return -1;
	if (p[i] != '?') {
		s->groups++;
		goto open;
	} else if (i + 1 >= n) {
		return -1;
	} else if (p[i + 1] == ':' || p[i + 1] == '>') {
		i += 2;
		goto open;
	} else if (p[i + 1] == '=' || p[i + 1] == '!') {
		look = 1;
		i += 2;
		goto open;
	} else { /* option letters: (?i) (?-i) (?s-i:...) */
		int letters = 0, minus = 0;
		for (i++; i < n && (p[i] == 'i' || p[i] == 'm' || p[i] == 's' || p[i] == '-'); i++) {
			if (p[i] == '-') {
				if (minus++ || !letters)
					return -1;
				letters = 0;
			} else {
				letters++;
			}
		}
		if (!letters || i >= n)
			return -1;
		if (p[i] == ')') {
			s->i = i + 1;
			no_item(s);
			return 0;
		}
		if (p[i] != ':')
			return -1;
	}
	i++;
open:
	s->i = i;
	s->depth++;
	s->cost[s->depth] = COST_GROUP;
	s->look[s->depth] = look;
	no_item(s);
	return 0;
}

int mre_syntax_sure(const char *pat, size_t len, uint32_t *ncap, size_t *lits)
{
	struct syn s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.p = (const uint8_t *)pat;
	s.n = len;
	while (s.i < s.n) {
		switch (s.p[s.i]) {
		case '\\':
			rc = escape(&s);
			break;
		case '[':
			rc = class(&s);
			break;
		case '(':
			rc = open_group(&s);
			break;
		case ')':
			if (!s.depth)
				return 0;
			s.depth--;
			s.i++;
			if (s.look[s.depth + 1]) {
				s.cost[s.depth] += s.cost[s.depth + 1];
				no_item(&s);
			} else {
				item(&s, s.cost[s.depth + 1]);
				s.last_group = 1;
			}
			rc = 0;
			break;
		case '|':
			s.i++;
			s.cost[s.depth] += COST_GROUP;
			no_item(&s);
			rc = 0;
			break;
		case '^':
		case '$':
			s.i++;
			no_item(&s);
			rc = 0;
			break;
		case '*':
		case '+':
		case '?':
			return 0; /* a quantifier with nothing (repeatable) before it */
		case '{':
			if (quant(&s) != 0)
				return 0; /* a quantifier here follows nothing quant() accepted */
			s.i++;
			item(&s, COST_ITEM);
			rc = 0;
			break;
		default: /* '.', and every other byte stands for itself */
			s.lits += s.p[s.i] != '.';
			s.i++;
			item(&s, COST_ITEM);
			rc = 0;
			break;
		}
		if (rc < 0 || (rc = quant(&s)) < 0)
			return 0;
		if (rc && s.i < s.n && (s.p[s.i] == '*' || s.p[s.i] == '+' || s.p[s.i] == '?' ||
					s.p[s.i] == '{'))
			return 0; /* a quantifier after a quantified item */
		if (s.cost[s.depth] > SYN_COST)
			return 0;
	}
	if (s.depth || s.maxref > s.groups || s.cost[0] > SYN_COST)
		return 0;
	*ncap = s.groups + 1;
	*lits = s.lits;
	return 1;
}
