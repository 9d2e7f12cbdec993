/*
 * rules.c - loading trustmap's own fingerprint rules (rules.h): each stanza
 * "rule ID" becomes a struct rule (rules_int.h) with its pattern compiled by
 * PCRE2 (memory through mem_*, JIT when the platform allows), its templates
 * checked against the pattern's groups, its examples and negatives decoded,
 * and its index added to the list of every kind it reads.  Matching is in
 * rules_match.c, the examples' test in rules_selftest.c.
 */
#include "rules_int.h"

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/file.h"
#include "../core/mem.h"
#include "../core/oid.h"
#include "../core/str.h"
#include "stanza.h"
#include "vendor.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(OBS_KIND_COUNT <= 64, "kinds must fit struct rule.kinds");

static const char *const field_names[RF_COUNT] = {
	"vendor", "product", "model", "version", "role", "os", "strength", "component",
};

/* Sizes of the cand fields each template fills (a longer expect can never match). */
static const size_t field_size[RF_COUNT] = {
	sizeof(((struct cand *)0)->vendor_raw), sizeof(((struct cand *)0)->product),
	sizeof(((struct cand *)0)->model),	sizeof(((struct cand *)0)->version),
	sizeof(((struct cand *)0)->role),	sizeof(((struct cand *)0)->os),
	16, 16,
};

const char *rules_field_name(enum rules_field f)
{
	return (unsigned)f < RF_COUNT ? field_names[f] : "?";
}

static int field_from_name(const char *s, size_t n)
{
	for (int i = 0; i < RF_COUNT; i++)
		if (strlen(field_names[i]) == n && !memcmp(field_names[i], s, n))
			return i;
	return -1;
}

static void *pcre_alloc(size_t n, void *ctx)
{
	(void)ctx;
	return mem_alloc(n);
}

static void pcre_free(void *p, void *ctx)
{
	(void)ctx;
	mem_free(p);
}

/* Formats "file:line: message" into eb and returns TM_EPROTO. */
__attribute__((format(printf, 5, 6))) static int ferr(char *eb, size_t el, const char *file,
						      unsigned line, const char *fmt, ...)
{
	char m[TM_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	return err_set(eb, el, TM_EPROTO, "%s:%u: %s", file, line, m);
}

int rules_new(struct rules **out, const struct vreg *vr)
{
	struct rules *rs;

	*out = NULL;
	rs = mem_calloc(1, sizeof(*rs));
	if (!rs)
		return TM_ENOMEM;
	rs->vr = vr;
	rs->gctx = pcre2_general_context_create(pcre_alloc, pcre_free, NULL);
	if (rs->gctx) {
		rs->cctx = pcre2_compile_context_create(rs->gctx);
		rs->mctx = pcre2_match_context_create(rs->gctx);
	}
	if (!rs->cctx || !rs->mctx) {
		rules_free(rs);
		return TM_ENOMEM;
	}
	pcre2_set_max_pattern_length(rs->cctx, RULES_RE_MAX);
	pcre2_set_match_limit(rs->mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(rs->mctx, RULES_DEPTH_LIMIT);
	*out = rs;
	return 0;
}

static void rule_fini(struct rule *r)
{
	mem_free(r->id);
	mem_free(r->file);
	pcre2_code_free(r->re);
	mem_free(r->oid);
	mem_free(r->vendor);
	for (int i = 0; i < RF_COUNT; i++)
		mem_free(r->tpl[i]);
	for (int i = 0; i < r->nex; i++) {
		mem_free(r->ex[i].val);
		for (int j = 0; j < RF_COUNT; j++)
			mem_free(r->ex[i].want[j]);
	}
	mem_free(r->ex);
	memset(r, 0, sizeof(*r));
}

void rules_free(struct rules *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		rule_fini(&rs->r[i]);
	mem_free(rs->r);
	for (int k = 0; k < OBS_KIND_COUNT; k++)
		mem_free(rs->by_kind[k].i);
	pcre2_match_context_free(rs->mctx);
	pcre2_compile_context_free(rs->cctx);
	pcre2_general_context_free(rs->gctx);
	mem_free(rs);
}

size_t rules_count(const struct rules *rs)
{
	return rs ? rs->n : 0;
}

/* The loading state of one record. */
struct ld {
	struct rules *rs;
	struct rule *r;
	const struct st_rec *rec;
	const struct st_field *f;
	char *eb;
	size_t el;
};

static int lerr_oom(struct ld *l)
{
	return err_set(l->eb, l->el, TM_ENOMEM, "%s:%u: out of memory", l->rec->file, l->f->line);
}

/*
 * A one-word value: (p, n) up to the first white space; what follows may
 * only be a "# comment".
 */
static int word(struct ld *l, const char **p, size_t *n)
{
	const char *v = l->f->val;
	size_t i = 0, vn = l->f->vlen;

	while (i < vn && !isspace((unsigned char)v[i]))
		i++;
	*p = v;
	*n = i;
	while (i < vn && isspace((unsigned char)v[i]))
		i++;
	if (i < vn && v[i] != '#')
		return ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "%s takes one word (text after it must be a # comment)", l->f->key);
	if (!*n)
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "%s needs a value", l->f->key);
	return 0;
}

/* The decoded value of the field (quotes and escapes), as a new string of *n bytes. */
static int decoded(struct ld *l, char **out, size_t *n)
{
	struct buf b;
	int rc;

	buf_init(&b, 1u << 20);
	rc = stanza_unquote(l->f, &b);
	if (rc == TM_ENOMEM) {
		buf_fini(&b);
		return lerr_oom(l);
	}
	if (rc) {
		buf_fini(&b);
		return ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "bad quoted value (escape or closing quote)");
	}
	*n = b.len;
	*out = b.p ? buf_take(&b) : mem_strdup("");
	buf_fini(&b);
	return *out ? 0 : lerr_oom(l);
}

static int f_kind(struct ld *l)
{
	const char *p;
	size_t n;
	enum obs_kind k;
	int rc = word(l, &p, &n);

	if (rc)
		return rc;
	k = obs_kind_from_name(p, n);
	if (k == OBS_NONE)
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "unknown kind '%.*s'",
			    (int)(n > 40 ? 40 : n), p);
	l->r->kinds |= (uint64_t)1 << k;
	return 0;
}

/* Splits "/re/flags" or "m|re|flags" into the pattern and PCRE2 options. */
static int split_re(struct ld *l, const char **pat, size_t *pn, uint32_t *opt)
{
	const char *v = l->f->val;
	size_t n = l->f->vlen, s, e;
	char d;

	if (n >= 1 && v[0] == '/')
		d = '/', s = 1;
	else if (n >= 2 && v[0] == 'm' && ispunct((unsigned char)v[1]) && v[1] != '\\')
		d = v[1], s = 2;
	else
		return ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "match must read /pattern/flags or m|pattern|flags");
	for (e = n; e > s && v[e - 1] != d; e--)
		;
	if (e <= s)
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "match has no closing '%c'", d);
	*pat = v + s;
	*pn = e - 1 - s;
	*opt = PCRE2_NEVER_UTF | PCRE2_NEVER_UCP | PCRE2_NEVER_BACKSLASH_C;
	for (size_t i = e; i < n; i++) {
		if (v[i] == 'i')
			*opt |= PCRE2_CASELESS;
		else if (v[i] == 's')
			*opt |= PCRE2_DOTALL;
		else
			return ferr(l->eb, l->el, l->rec->file, l->f->line,
				    "unknown match flag '%c' (i and s only)", v[i]);
	}
	if (!*pn)
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "empty pattern");
	return 0;
}

static int f_match(struct ld *l)
{
	const char *pat;
	size_t pn;
	uint32_t opt;
	int code, rc;
	PCRE2_SIZE off;
	char m[256];

	if (l->r->re || l->r->oid)
		return ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "a rule has one match or one oid");
	if ((rc = split_re(l, &pat, &pn, &opt)))
		return rc;
	l->r->re = pcre2_compile((PCRE2_SPTR)pat, pn, opt, &code, &off, l->rs->cctx);
	if (!l->r->re) {
		if (code == PCRE2_ERROR_NOMEMORY || code == PCRE2_ERROR_HEAP_FAILED)
			return lerr_oom(l);
		pcre2_get_error_message(code, (PCRE2_UCHAR *)m, sizeof(m));
		return ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "bad pattern at offset %zu: %s", (size_t)off, m);
	}
	pcre2_jit_compile(l->r->re, PCRE2_JIT_COMPLETE); /* the interpreter serves otherwise */
	pcre2_pattern_info(l->r->re, PCRE2_INFO_CAPTURECOUNT, &l->r->ngroups);
	rules_literal(pat, pn, l->r->lit);
	return 0;
}

static int f_oid(struct ld *l)
{
	uint32_t arcs[OID_MAX_ARCS];
	const char *p;
	size_t n;
	int rc, k;

	if (l->r->re || l->r->oid)
		return ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "a rule has one match or one oid");
	if ((rc = word(l, &p, &n)))
		return rc;
	k = oid_parse(p, n, arcs, OID_MAX_ARCS);
	if (k <= 0)
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "bad oid '%.*s'",
			    (int)(n > 60 ? 60 : n), p);
	l->r->oid = mem_alloc((size_t)k * sizeof(*arcs));
	if (!l->r->oid)
		return lerr_oom(l);
	memcpy(l->r->oid, arcs, (size_t)k * sizeof(*arcs));
	l->r->oidn = k;
	return 0;
}

static int f_vendor(struct ld *l)
{
	const char *p;
	size_t n;
	int rc;

	if (l->r->vendor)
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "vendor given twice");
	if ((rc = word(l, &p, &n)))
		return rc;
	if (n >= field_size[RF_VENDOR])
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "vendor id too long");
	if (l->rs->vr && (l->r->vidx = vreg_find(l->rs->vr, p, n)) < 0)
		return ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "unknown vendor '%.*s' (not in the vendor registry)", (int)n, p);
	l->r->vendor = mem_strndup(p, n);
	return l->r->vendor ? 0 : lerr_oom(l);
}

/* product, model, version, os: a template (quotes allowed); role: one word. */
static int f_tpl(struct ld *l, enum rules_field which)
{
	const char *p;
	size_t n;
	int rc;

	if (l->r->tpl[which])
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "%s given twice", l->f->key);
	if (which == RF_ROLE) {
		if ((rc = word(l, &p, &n)))
			return rc;
		l->r->tpl[which] = mem_strndup(p, n);
		return l->r->tpl[which] ? 0 : lerr_oom(l);
	}
	if ((rc = decoded(l, &l->r->tpl[which], &n)))
		return rc;
	if (strlen(l->r->tpl[which]) != n)
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "NUL byte in %s", l->f->key);
	return 0;
}

static int f_strength(struct ld *l)
{
	const char *p;
	size_t n;
	int rc = word(l, &p, &n);

	if (rc)
		return rc;
	l->r->strength = cand_strength_from_name(p, n);
	if (l->r->strength == EV_NONE)
		return ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "strength must be weak, medium, fair or strong");
	return 0;
}

static int yesno(const char *p, size_t n, bool *v)
{
	if (str_caseeq(p, n, "yes") || str_caseeq(p, n, "true"))
		*v = true;
	else if (str_caseeq(p, n, "no") || str_caseeq(p, n, "false"))
		*v = false;
	else
		return -1;
	return 0;
}

static int f_component(struct ld *l)
{
	const char *p;
	size_t n;
	int rc = word(l, &p, &n);

	if (rc)
		return rc;
	if (yesno(p, n, &l->r->component))
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "component must be yes or no");
	return 0;
}

static int f_example(struct ld *l, bool neg)
{
	struct rule_ex *ex, *nx;
	int rc;

	if (l->r->nex >= STANZA_MAX_FIELDS)
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "too many examples");
	nx = mem_realloc(l->r->ex, (size_t)(l->r->nex + 1) * sizeof(*nx));
	if (!nx)
		return lerr_oom(l);
	l->r->ex = nx;
	ex = &nx[l->r->nex];
	memset(ex, 0, sizeof(*ex));
	ex->line = l->f->line;
	ex->neg = neg;
	if ((rc = decoded(l, &ex->val, &ex->len)))
		return rc;
	l->r->nex++;
	return 0;
}

/* Reads one token of an expect line: key=value, value bare or "quoted". */
static int expect_tok(struct ld *l, const char **s, const char *end, int *key, struct buf *val)
{
	const char *p = *s, *k = p;

	while (p < end && *p != '=' && !isspace((unsigned char)*p))
		p++;
	if (p >= end || *p != '=' || (*key = field_from_name(k, (size_t)(p - k))) < 0)
		return ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "expect wants key=value with a key of vendor, product, model, "
			    "version, role, os, strength, component (at '%.*s')",
			    (int)(p - k > 30 ? 30 : p - k), k);
	p++;
	if (p < end && *p == '"') {
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			if (buf_addc(val, *p))
				return lerr_oom(l);
		}
		if (p >= end)
			return ferr(l->eb, l->el, l->rec->file, l->f->line,
				    "expect: unterminated quote");
		p++;
	} else {
		for (; p < end && !isspace((unsigned char)*p); p++)
			if (buf_addc(val, *p))
				return lerr_oom(l);
	}
	*s = p;
	return 0;
}

/* Checks an expected value that is not free text (strength, component, length). */
static int expect_val(struct ld *l, int key, const char *v, size_t n)
{
	bool b;

	if (key == RF_STRENGTH && cand_strength_from_name(v, n) == EV_NONE)
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "expect: bad strength");
	if (key == RF_COMPONENT && yesno(v, n, &b))
		return ferr(l->eb, l->el, l->rec->file, l->f->line, "expect: component is yes or no");
	if (n >= field_size[key])
		return ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "expect: %s longer than the %zu bytes a candidate keeps", field_names[key],
			    field_size[key] - 1);
	return 0;
}

static int f_expect(struct ld *l)
{
	const char *s = l->f->val, *end = s + l->f->vlen;
	struct rule_ex *ex = l->r->nex ? &l->r->ex[l->r->nex - 1] : NULL;
	struct buf v;
	int key = 0, rc = 0, got = 0;

	if (!ex || ex->neg || ex->want[RF_VENDOR] || ex->want[RF_PRODUCT] || ex->want[RF_MODEL] ||
	    ex->want[RF_VERSION] || ex->want[RF_ROLE] || ex->want[RF_OS] || ex->want[RF_STRENGTH] ||
	    ex->want[RF_COMPONENT])
		return ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "expect must follow its own example");
	buf_init(&v, 4096);
	while (!rc) {
		while (s < end && isspace((unsigned char)*s))
			s++;
		if (s >= end)
			break;
		buf_reset(&v);
		if ((rc = expect_tok(l, &s, end, &key, &v)) ||
		    (rc = expect_val(l, key, buf_str(&v), v.len)))
			break;
		if (ex->want[key]) {
			rc = ferr(l->eb, l->el, l->rec->file, l->f->line, "expect: %s given twice",
				  field_names[key]);
			break;
		}
		if (!(ex->want[key] = mem_strdup(buf_str(&v))))
			rc = lerr_oom(l);
		got++;
	}
	buf_fini(&v);
	if (!rc && !got)
		rc = ferr(l->eb, l->el, l->rec->file, l->f->line, "expect names nothing");
	return rc;
}

static int field(struct ld *l)
{
	const char *k = l->f->key;
	int t = field_from_name(k, strlen(k));

	if (!strcmp(k, "kind"))
		return f_kind(l);
	if (!strcmp(k, "match"))
		return f_match(l);
	if (!strcmp(k, "oid"))
		return f_oid(l);
	if (!strcmp(k, "example"))
		return f_example(l, false);
	if (!strcmp(k, "not"))
		return f_example(l, true);
	if (!strcmp(k, "expect"))
		return f_expect(l);
	if (t == RF_VENDOR)
		return f_vendor(l);
	if (t == RF_STRENGTH)
		return f_strength(l);
	if (t == RF_COMPONENT)
		return f_component(l);
	if (t >= 0)
		return f_tpl(l, (enum rules_field)t);
	return ferr(l->eb, l->el, l->rec->file, l->f->line, "unknown field '%.40s'", k);
}

/* The rule's header id: [a-z0-9._-], short enough for cand.rule, not taken. */
static int check_id(struct rules *rs, const struct st_rec *rec, char *eb, size_t el)
{
	size_t n = strlen(rec->id);

	if (n > RULES_ID_MAX)
		return ferr(eb, el, rec->file, rec->line, "rule id longer than %d", RULES_ID_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = rec->id[i];

		if (!(islower((unsigned char)c) || isdigit((unsigned char)c) || c == '-' ||
		      c == '_' || c == '.'))
			return ferr(eb, el, rec->file, rec->line,
				    "rule id '%s': lower-case letters, digits, '-', '_', '.' only",
				    rec->id);
	}
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].id, rec->id))
			return ferr(eb, el, rec->file, rec->line,
				    "duplicate rule id '%s' (first at %s:%u)", rec->id,
				    rs->r[i].file, rs->r[i].line);
	return 0;
}

/* What must hold once every field is read. */
static int check_rule(struct rule *r, const struct st_rec *rec, char *eb, size_t el)
{
	char m[200];
	int pos = 0;

	if (r->oid) {
		if (r->kinds & ~((uint64_t)1 << OBS_SNMP_SYSOBJECTID))
			return ferr(eb, el, rec->file, rec->line,
				    "an oid rule reads snmp_sysobjectid only");
		r->kinds = (uint64_t)1 << OBS_SNMP_SYSOBJECTID;
	} else if (!r->re)
		return ferr(eb, el, rec->file, rec->line, "rule needs a match or an oid");
	if (!r->kinds)
		return ferr(eb, el, rec->file, rec->line, "rule needs a kind");
	if (!r->vendor)
		return ferr(eb, el, rec->file, rec->line, "rule needs a vendor");
	for (int i = RF_PRODUCT; i <= RF_OS; i++)
		if (r->tpl[i] && rules_tpl_check(r->tpl[i], r->ngroups, r->oid != NULL, m, sizeof(m)))
			return ferr(eb, el, rec->file, rec->line, "%s: %s", field_names[i], m);
	for (int i = 0; i < r->nex; i++) {
		const struct rule_ex *x = &r->ex[i];
		bool has = false;

		for (int j = 0; j < RF_COUNT; j++)
			has |= x->want[j] != NULL;
		if (!x->neg && !has)
			return ferr(eb, el, rec->file, x->line, "example without expect");
		pos += !x->neg;
	}
	if (!pos)
		return ferr(eb, el, rec->file, rec->line, "rule needs at least one example");
	return 0;
}

static int add_rule(struct rules *rs, struct rule *r)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct rule *nr = mem_realloc(rs->r, cap * sizeof(*nr));

		if (!nr)
			return TM_ENOMEM;
		rs->r = nr;
		rs->cap = cap;
	}
	for (int k = 0; k < OBS_KIND_COUNT; k++) {
		struct rules_idx *x = &rs->by_kind[k];

		if (!(r->kinds & ((uint64_t)1 << k)) || x->n < x->cap)
			continue;
		size_t cap = x->cap ? x->cap * 2 : 16;
		uint32_t *ni = mem_realloc(x->i, cap * sizeof(*ni));

		if (!ni)
			return TM_ENOMEM;
		x->i = ni;
		x->cap = cap;
	}
	for (int k = 0; k < OBS_KIND_COUNT; k++)
		if (r->kinds & ((uint64_t)1 << k))
			rs->by_kind[k].i[rs->by_kind[k].n++] = (uint32_t)rs->n;
	if (r->ngroups > rs->maxgroups)
		rs->maxgroups = r->ngroups;
	rs->r[rs->n++] = *r;
	return 0;
}

static int on_rec(void *ctx, const struct st_rec *rec, char *eb, size_t el)
{
	struct rules *rs = ctx;
	struct rule r = {.vidx = -1, .strength = EV_FAIR};
	struct ld l = {.rs = rs, .r = &r, .rec = rec, .eb = eb, .el = el};
	int rc;

	if (strcmp(rec->type, "rule"))
		return ferr(eb, el, rec->file, rec->line, "unknown record '%.40s' (want 'rule')",
			    rec->type);
	if (rs->n >= RULES_MAX)
		return err_set(eb, el, TM_ELIMIT, "%s:%u: more than %d rules", rec->file,
			       rec->line, RULES_MAX);
	if ((rc = check_id(rs, rec, eb, el)))
		return rc;
	r.line = rec->line;
	for (int i = 0; i < rec->nf; i++) {
		l.f = &rec->f[i];
		if ((rc = field(&l)))
			goto out;
	}
	if ((rc = check_rule(&r, rec, eb, el)))
		goto out;
	r.id = mem_strdup(rec->id);
	r.file = mem_strdup(rec->file);
	if (!r.id || !r.file || (rc = add_rule(rs, &r))) {
		rc = err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", rec->file, rec->line);
		goto out;
	}
	return 0;
out:
	rule_fini(&r);
	return rc;
}

int rules_parse(struct rules *rs, const char *file, const char *data, size_t len, char *eb,
		size_t el)
{
	return stanza_parse(file, data, len, on_rec, rs, eb, el);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.rules names of dir (not hidden), sorted; free each and the array. */
static int list_dir(const char *dir, char ***names, size_t *n, char *eb, size_t el)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	int rc = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return err_set(eb, el, TM_ENOTFOUND, "%s: cannot open rules directory", dir);
	while (!rc && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		char **nn;

		if (e->d_name[0] == '.' || l <= 6 || strcmp(e->d_name + l - 6, ".rules"))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(nn = mem_realloc(*names, cap * sizeof(*nn)))) {
				rc = TM_ENOMEM;
				break;
			}
			*names = nn;
		}
		if (!((*names)[*n] = mem_strdup(e->d_name)))
			rc = TM_ENOMEM;
		else
			(*n)++;
	}
	closedir(d);
	if (rc)
		return err_set(eb, el, rc, "%s: out of memory", dir);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_name);
	return 0;
}

int rules_load_dir(struct rules **out, const char *dir, const struct vreg *vr, char *eb,
		   size_t el)
{
	struct rules *rs = NULL;
	char **names = NULL;
	size_t n = 0;
	struct buf path;
	int rc;

	*out = NULL;
	buf_init(&path, 4096);
	if ((rc = list_dir(dir, &names, &n, eb, el)))
		goto out;
	if ((rc = rules_new(&rs, vr))) {
		err_set(eb, el, rc, "%s: out of memory", dir);
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		buf_reset(&path);
		if ((rc = buf_printf(&path, "%s/%s", dir, names[i]))) {
			err_set(eb, el, rc, "%s/%s: path too long", dir, names[i]);
			break;
		}
		rc = stanza_parse_file(buf_str(&path), on_rec, rs, eb, el);
	}
	if (!rc) {
		*out = rs;
		rs = NULL;
	}
out:
	rules_free(rs);
	for (size_t i = 0; i < n; i++)
		mem_free(names[i]);
	mem_free(names);
	buf_fini(&path);
	return rc;
}
