/*
 * rules_match.c - matching an observation against the rules (rules.h): a
 * sysObjectID finds the oid rule with the longest prefix; any other value
 * goes through the pattern rules of its kind, each first screened by a
 * literal its matches must contain (found by rules_literal() at load time, a
 * case-insensitive search costing far less than PCRE2), then matched with
 * PCRE2 under a match limit, and the captured groups fill the templates.
 */
#include "rules_int.h"

#include "../core/err.h"
#include "../core/oid.h"
#include "../core/str.h"

#include <ctype.h>
#include <string.h>

/* State of rules_literal(): the run of literal characters being read. */
struct lit {
	char cur[RULES_LIT_MAX + 1];
	size_t n;	/* bytes in cur */
	size_t before;	/* n before the last literal character */
	bool last_lit;	/* the last token was one literal character */
	char *best;	/* longest run so far (the caller's out) */
};

static void lit_push(struct lit *s, char c)
{
	if (s->n >= RULES_LIT_MAX) {
		s->last_lit = false;
		return;
	}
	s->before = s->n;
	s->cur[s->n++] = (char)tolower((unsigned char)c);
	s->last_lit = true;
}

static void lit_break(struct lit *s)
{
	if (s->n > strlen(s->best)) {
		memcpy(s->best, s->cur, s->n);
		s->best[s->n] = 0;
	}
	s->n = 0;
	s->last_lit = false;
}

/* A quantifier that may repeat the last character zero times: it is not required. */
static void lit_optional(struct lit *s)
{
	if (s->last_lit)
		s->n = s->before;
	lit_break(s);
}

/* Skips a [class] starting at p[i]; returns the index after it, or n when unclosed. */
static size_t skip_class(const char *p, size_t n, size_t i)
{
	i++;
	if (i < n && p[i] == '^')
		i++;
	if (i < n && p[i] == ']')
		i++;
	for (; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '[' && i + 1 < n && p[i + 1] == ':') {
			const char *e = memmem(p + i + 2, n - i - 2, ":]", 2);

			if (!e)
				return n;
			i = (size_t)(e - p) + 1;
		} else if (p[i] == ']')
			return i + 1;
	}
	return n;
}

/* Skips a (group) starting at p[i]; returns the index after it, or n when unbalanced. */
static size_t skip_group(const char *p, size_t n, size_t i)
{
	int depth = 0;

	while (i < n) {
		if (p[i] == '\\')
			i += 2;
		else if (p[i] == '[')
			i = skip_class(p, n, i);
		else {
			if (p[i] == '(')
				depth++;
			else if (p[i] == ')' && --depth == 0)
				return i + 1;
			i++;
		}
	}
	return n;
}

/* Is "{" at p[i] a quantifier {n}, {n,}, {n,m} or {,m}? */
static bool is_quant(const char *p, size_t n, size_t i)
{
	size_t j = i + 1, d = 0;

	while (j < n && (isdigit((unsigned char)p[j]) || p[j] == ','))
		d += isdigit((unsigned char)p[j++]) != 0;
	return j < n && p[j] == '}' && d > 0;
}

/* An inline option group that turns on extended mode changes what a space means. */
static bool has_x_option(const char *p, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++) {
		if (p[i] != '(' || p[i + 1] != '?')
			continue;
		for (size_t j = i + 2; j < n && (isalpha((unsigned char)p[j]) || p[j] == '-' ||
						 p[j] == '^'); j++)
			if (p[j] == 'x')
				return true;
	}
	return false;
}

void rules_literal(const char *p, size_t n, char *out)
{
	struct lit s = {.best = out};
	size_t i = 0;

	out[0] = 0;
	if (has_x_option(p, n))
		return;
	while (i < n) {
		char c = p[i];

		switch (c) {
		case '\\':
			if (i + 1 >= n)
				goto none;
			c = p[i + 1];
			if (isalnum((unsigned char)c)) {
				/* class escapes and assertions; anything with arguments gives up */
				if (!strchr("dwsDWSbBAzZGhHvVRKrnt", c))
					goto none;
				lit_break(&s);
			} else
				lit_push(&s, c);
			i += 2;
			continue;
		case '[': lit_break(&s); i = skip_class(p, n, i); continue;
		case '(': lit_break(&s); i = skip_group(p, n, i); continue;
		case ')':
		case '|': goto none;
		case '.':
		case '^':
		case '$': lit_break(&s); break;
		case '?':
		case '*': lit_optional(&s); break;
		case '+': lit_break(&s); break;
		case '{':
			if (!is_quant(p, n, i)) {
				lit_push(&s, c);
				break;
			}
			lit_optional(&s);
			while (i < n && p[i] != '}')
				i++;
			break;
		default: lit_push(&s, c);
		}
		i++;
	}
	lit_break(&s);
	if (strlen(out) >= RULES_LIT_MIN)
		return;
none:
	out[0] = 0;
}

int rules_tpl_check(const char *t, uint32_t ngroups, bool oid, char *eb, size_t el)
{
	for (size_t i = 0; t[i]; i++) {
		unsigned long g = 0;

		if (t[i] != '$')
			continue;
		if (t[i + 1] == '$') {
			i++;
			continue;
		}
		if (isdigit((unsigned char)t[i + 1])) {
			g = (unsigned long)(t[++i] - '0');
		} else if (t[i + 1] == '{' && isdigit((unsigned char)t[i + 2])) {
			for (i += 2; isdigit((unsigned char)t[i]) && g < 1000; i++)
				g = g * 10 + (unsigned long)(t[i] - '0');
			if (t[i] != '}')
				return err_set(eb, el, TM_EPROTO, "'${' without a closing '}'");
		} else
			return err_set(eb, el, TM_EPROTO, "'$' must be followed by a group number, "
							  "${nn} or '$'");
		if (oid)
			return err_set(eb, el, TM_EPROTO, "an oid rule has no groups for $%lu", g);
		if (g > ngroups)
			return err_set(eb, el, TM_EPROTO, "$%lu but the pattern has %u groups", g,
				       ngroups);
	}
	return 0;
}

/* Output of a template: white space and control bytes fold into single spaces, trimmed. */
struct out {
	char *p;
	size_t n, cap;
	bool space;
};

static void out_add(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c == 0x7f) {
			o->space = o->n > 0;
			continue;
		}
		if (o->space && o->n + 1 < o->cap)
			o->p[o->n++] = ' ';
		o->space = false;
		if (o->n + 1 < o->cap)
			o->p[o->n++] = (char)c;
	}
	o->p[o->n] = 0;
}

/* Expands t with the groups of ov (subject s) into dst (cap bytes). */
static void expand(const char *t, const char *s, const PCRE2_SIZE *ov, uint32_t novec, char *dst,
		   size_t cap)
{
	struct out o = {.p = dst, .cap = cap};

	dst[0] = 0;
	if (!t)
		return;
	for (size_t i = 0; t[i]; i++) {
		unsigned long g = 0;

		if (t[i] != '$') {
			out_add(&o, t + i, 1);
			continue;
		}
		if (t[i + 1] == '$') {
			out_add(&o, t + ++i, 1);
			continue;
		}
		if (t[i + 1] == '{') {
			for (i += 2; isdigit((unsigned char)t[i]); i++)
				g = g * 10 + (unsigned long)(t[i] - '0');
		} else
			g = (unsigned long)(t[++i] - '0');
		if (!ov || g >= novec || ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] < ov[2 * g])
			continue;
		out_add(&o, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
	}
}

/* The candidate of rule r (groups ov over subject s, or none for an oid rule). */
static void fill(const struct rule *r, const char *s, const PCRE2_SIZE *ov, uint32_t novec,
		 struct cand *c)
{
	memset(c, 0, sizeof(*c));
	c->vendor = r->vidx;
	str_set(c->vendor_raw, sizeof(c->vendor_raw), r->vendor);
	expand(r->tpl[RF_PRODUCT], s, ov, novec, c->product, sizeof(c->product));
	expand(r->tpl[RF_MODEL], s, ov, novec, c->model, sizeof(c->model));
	expand(r->tpl[RF_VERSION], s, ov, novec, c->version, sizeof(c->version));
	expand(r->tpl[RF_ROLE], s, ov, novec, c->role, sizeof(c->role));
	expand(r->tpl[RF_OS], s, ov, novec, c->os, sizeof(c->os));
	c->component = r->component;
	c->strength = r->strength;
	c->conf = cand_strength_conf(r->strength);
	str_set(c->rule, sizeof(c->rule), "rule:");
	str_copy(c->rule + 5, sizeof(c->rule) - 5, r->id, strlen(r->id));
	c->obs = -1;
}

/*
 * Puts c into out (n used of max), strongest first, earlier rules first
 * among equals; when full, a candidate weaker than all kept is dropped.
 */
static int keep(struct cand *out, int n, int max, const struct cand *c)
{
	int at = n;

	while (at > 0 && out[at - 1].strength < c->strength)
		at--;
	if (at >= max)
		return n;
	if (n == max)
		n--;
	memmove(&out[at + 1], &out[at], (size_t)(n - at) * sizeof(*out));
	out[at] = *c;
	return n + 1;
}

static int match_oid(const struct rules *rs, const struct obs *o, struct cand *out, int n,
		     int max)
{
	uint32_t arcs[OID_MAX_ARCS];
	const struct rules_idx *x = &rs->by_kind[OBS_SNMP_SYSOBJECTID];
	const struct rule *best = NULL;
	struct cand c;
	int k = oid_parse((const char *)o->value, o->len, arcs, OID_MAX_ARCS);

	if (k <= 0)
		return n;
	for (size_t i = 0; i < x->n; i++) {
		const struct rule *r = &rs->r[x->i[i]];

		if (r->oid && (!best || r->oidn > best->oidn) &&
		    oid_has_prefix(arcs, k, r->oid, r->oidn))
			best = r;
	}
	if (!best)
		return n;
	fill(best, NULL, NULL, 0, &c);
	return keep(out, n, max, &c);
}

/*
 * The literals of kind x found in low[0, len): one pass, each position's
 * first two bytes looked up in the kind's bitmap, the few chained rules
 * compared there.  found[pos] (a bit per position in x->i) is set exactly
 * when memmem(low, len, lit) would find the rule's literal.
 */
static void lits_pass(const struct rules *rs, const struct rules_lits *l, const struct rules_idx *x,
		      const char *low, size_t len, uint64_t *found)
{
	for (size_t p = 0; p + 1 < len; p++) {
		unsigned bg = rules_bigram(low + p);

		if (!(l->bits[bg >> 6] & ((uint64_t)1 << (bg & 63))))
			continue;
		for (uint32_t q = l->head[rules_lit_head(bg)]; q; q = l->next[q - 1]) {
			const char *lit = rs->r[x->i[q - 1]].lit;
			size_t n = strlen(lit);

			if (n <= len - p && !memcmp(low + p, lit, n))
				found[(q - 1) >> 6] |= (uint64_t)1 << ((q - 1) & 63);
		}
	}
}

int rules_match(const struct rules *rs, const struct obs *o, struct cand *out, int max)
{
	uint64_t found[RULES_PASS_RULES / 64];
	bool pass = false;
	const struct rules_idx *x;
	pcre2_match_data *md = NULL;
	const char *s;
	size_t len;
	struct cand c;
	int n = 0;
	char low[RULES_SUBJECT_MAX];
	bool lowered = false;

	if (!rs || !o || max <= 0 || (unsigned)o->kind >= OBS_KIND_COUNT || (!o->value && o->len))
		return 0;
	s = o->value ? (const char *)o->value : "";
	len = o->len < RULES_SUBJECT_MAX ? o->len : RULES_SUBJECT_MAX;
	if (o->kind == OBS_SNMP_SYSOBJECTID)
		n = match_oid(rs, o, out, n, max);
	x = &rs->by_kind[o->kind];
	for (size_t i = 0; i < x->n; i++) {
		const struct rule *r = &rs->r[x->i[i]];
		int m;

		if (!r->re)
			continue;
		if (r->lit[0]) {
			/* literals are kept in lower case: lower the subject once, then memmem */
			if (!lowered) {
				for (size_t k = 0; k < len; k++)
					low[k] = (char)tolower((unsigned char)s[k]);
				lowered = true;
				/* a long subject and many literals: every literal in one pass */
				if (len >= RULES_PASS_MIN && x->n <= RULES_PASS_RULES && rs->lits[o->kind] &&
				    rs->lits[o->kind]->n >= 4 && !rs->no_pass) {
					memset(found, 0, sizeof(found));
					lits_pass(rs, rs->lits[o->kind], x, low, len, found);
					pass = true;
				}
			}
			if (pass && r->lit[1] ? !(found[i >> 6] & ((uint64_t)1 << (i & 63)))
				 : !memmem(low, len, r->lit, strlen(r->lit)))
				continue;
		}
		if (!md && !(md = pcre2_match_data_create(rs->maxgroups + 1, rs->gctx)))
			break; /* out of memory: what was found so far */
		m = pcre2_match(r->re, (PCRE2_SPTR)s, len, 0, 0, md, rs->mctx);
		if (m < 0) /* no match, or a limit hit: a hostile value gets nothing */
			continue;
		fill(r, s, pcre2_get_ovector_pointer(md), pcre2_get_ovector_count(md), &c);
		n = keep(out, n, max, &c);
	}
	pcre2_match_data_free(md);
	return n;
}
