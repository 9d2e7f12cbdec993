/*
 * rules_field.c - the fields of a rule stanza (rules.h, docs/rules.md): one
 * reader per key (kind, match, oid, vendor, templates, strength, component,
 * example, not, expect), each checking its value and storing it in the
 * struct rule being built, with "file:line: message" errors.  rules.c calls
 * rules_field() for every field of a record.
 */
#include "rules_int.h"

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/oid.h"
#include "../core/str.h"
#include "vendor.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

int rules_ferr(char *eb, size_t el, const char *file, unsigned line, const char *fmt, ...)
{
	char m[TM_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	return err_set(eb, el, TM_EPROTO, "%s:%u: %s", file, line, m);
}

static int lerr_oom(struct rules_ld *l)
{
	return err_set(l->eb, l->el, TM_ENOMEM, "%s:%u: out of memory", l->rec->file, l->f->line);
}

/*
 * A one-word value: (p, n) up to the first white space; what follows may
 * only be a "# comment".
 */
static int word(struct rules_ld *l, const char **p, size_t *n)
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
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "%s takes one word (text after it must be a # comment)", l->f->key);
	if (!*n)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "%s needs a value", l->f->key);
	return 0;
}

/* The decoded value of the field (quotes and escapes), as a new string of *n bytes. */
static int decoded(struct rules_ld *l, char **out, size_t *n)
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
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "bad quoted value (escape or closing quote)");
	}
	*n = b.len;
	*out = b.p ? buf_take(&b) : mem_strdup("");
	buf_fini(&b);
	return *out ? 0 : lerr_oom(l);
}

static int f_kind(struct rules_ld *l)
{
	const char *p;
	size_t n;
	enum obs_kind k;
	int rc = word(l, &p, &n);

	if (rc)
		return rc;
	k = obs_kind_from_name(p, n);
	if (k == OBS_NONE)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "unknown kind '%.*s'",
			    (int)(n > 40 ? 40 : n), p);
	l->r->kinds |= (uint64_t)1 << k;
	return 0;
}

/* Splits "/re/flags" or "m|re|flags" into the pattern and PCRE2 options. */
static int split_re(struct rules_ld *l, const char **pat, size_t *pn, uint32_t *opt)
{
	const char *v = l->f->val;
	size_t n = l->f->vlen, s, e;
	char d;

	if (n >= 1 && v[0] == '/')
		d = '/', s = 1;
	else if (n >= 2 && v[0] == 'm' && ispunct((unsigned char)v[1]) && v[1] != '\\')
		d = v[1], s = 2;
	else
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "match must read /pattern/flags or m|pattern|flags");
	for (e = n; e > s && v[e - 1] != d; e--)
		;
	if (e <= s)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "match has no closing '%c'", d);
	*pat = v + s;
	*pn = e - 1 - s;
	*opt = PCRE2_NEVER_UTF | PCRE2_NEVER_UCP | PCRE2_NEVER_BACKSLASH_C;
	for (size_t i = e; i < n; i++) {
		if (v[i] == 'i')
			*opt |= PCRE2_CASELESS;
		else if (v[i] == 's')
			*opt |= PCRE2_DOTALL;
		else
			return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
				    "unknown match flag '%c' (i and s only)", v[i]);
	}
	if (!*pn)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "empty pattern");
	return 0;
}

static int f_match(struct rules_ld *l)
{
	const char *pat;
	size_t pn;
	uint32_t opt;
	int code, rc;
	PCRE2_SIZE off;
	char m[256];

	if (l->r->re || l->r->oid)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "a rule has one match or one oid");
	if ((rc = split_re(l, &pat, &pn, &opt)))
		return rc;
	l->r->re = pcre2_compile((PCRE2_SPTR)pat, pn, opt, &code, &off, l->rs->cctx);
	if (!l->r->re) {
		if (code == PCRE2_ERROR_NOMEMORY || code == PCRE2_ERROR_HEAP_FAILED)
			return lerr_oom(l);
		pcre2_get_error_message(code, (PCRE2_UCHAR *)m, sizeof(m));
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "bad pattern at offset %zu: %s", (size_t)off, m);
	}
	pcre2_jit_compile(l->r->re, PCRE2_JIT_COMPLETE); /* the interpreter serves otherwise */
	pcre2_pattern_info(l->r->re, PCRE2_INFO_CAPTURECOUNT, &l->r->ngroups);
	rules_literal(pat, pn, l->r->lit);
	return 0;
}

static int f_oid(struct rules_ld *l)
{
	uint32_t arcs[OID_MAX_ARCS];
	const char *p;
	size_t n;
	int rc, k;

	if (l->r->re || l->r->oid)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "a rule has one match or one oid");
	if ((rc = word(l, &p, &n)))
		return rc;
	k = oid_parse(p, n, arcs, OID_MAX_ARCS);
	if (k <= 0)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "bad oid '%.*s'",
			    (int)(n > 60 ? 60 : n), p);
	l->r->oid = mem_alloc((size_t)k * sizeof(*arcs));
	if (!l->r->oid)
		return lerr_oom(l);
	memcpy(l->r->oid, arcs, (size_t)k * sizeof(*arcs));
	l->r->oidn = k;
	return 0;
}

static int f_vendor(struct rules_ld *l)
{
	const char *p;
	size_t n;
	int rc;

	if (l->r->vendor)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "vendor given twice");
	if ((rc = word(l, &p, &n)))
		return rc;
	if (n >= field_size[RF_VENDOR])
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "vendor id too long");
	if (l->rs->vr && (l->r->vidx = vreg_find(l->rs->vr, p, n)) < 0)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "unknown vendor '%.*s' (not in the vendor registry)", (int)n, p);
	l->r->vendor = mem_strndup(p, n);
	return l->r->vendor ? 0 : lerr_oom(l);
}

/* product, model, version, os: a template (quotes allowed); role: one word. */
static int f_tpl(struct rules_ld *l, enum rules_field which)
{
	const char *p;
	size_t n;
	int rc;

	if (l->r->tpl[which])
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "%s given twice", l->f->key);
	if (which == RF_ROLE) {
		if ((rc = word(l, &p, &n)))
			return rc;
		l->r->tpl[which] = mem_strndup(p, n);
		return l->r->tpl[which] ? 0 : lerr_oom(l);
	}
	if ((rc = decoded(l, &l->r->tpl[which], &n)))
		return rc;
	if (strlen(l->r->tpl[which]) != n)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "NUL byte in %s", l->f->key);
	return 0;
}

static int f_strength(struct rules_ld *l)
{
	const char *p;
	size_t n;
	int rc = word(l, &p, &n);

	if (rc)
		return rc;
	l->r->strength = cand_strength_from_name(p, n);
	if (l->r->strength == EV_NONE)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
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

static int f_component(struct rules_ld *l)
{
	const char *p;
	size_t n;
	int rc = word(l, &p, &n);

	if (rc)
		return rc;
	if (yesno(p, n, &l->r->component))
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "component must be yes or no");
	return 0;
}

static int f_example(struct rules_ld *l, bool neg)
{
	struct rule_ex *ex, *nx;
	int rc;

	if (l->r->nex >= STANZA_MAX_FIELDS)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "too many examples");
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
static int expect_tok(struct rules_ld *l, const char **s, const char *end, int *key, struct buf *val)
{
	const char *p = *s, *k = p;

	while (p < end && *p != '=' && !isspace((unsigned char)*p))
		p++;
	if (p >= end || *p != '=' || (*key = field_from_name(k, (size_t)(p - k))) < 0)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
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
			return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
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
static int expect_val(struct rules_ld *l, int key, const char *v, size_t n)
{
	bool b;

	if (key == RF_STRENGTH && cand_strength_from_name(v, n) == EV_NONE)
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "expect: bad strength");
	if (key == RF_COMPONENT && yesno(v, n, &b))
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "expect: component is yes or no");
	if (n >= field_size[key])
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
			    "expect: %s longer than the %zu bytes a candidate keeps", field_names[key],
			    field_size[key] - 1);
	return 0;
}

static int f_expect(struct rules_ld *l)
{
	const char *s = l->f->val, *end = s + l->f->vlen;
	struct rule_ex *ex = l->r->nex ? &l->r->ex[l->r->nex - 1] : NULL;
	struct buf v;
	int key = 0, rc = 0, got = 0;

	if (!ex || ex->neg || ex->want[RF_VENDOR] || ex->want[RF_PRODUCT] || ex->want[RF_MODEL] ||
	    ex->want[RF_VERSION] || ex->want[RF_ROLE] || ex->want[RF_OS] || ex->want[RF_STRENGTH] ||
	    ex->want[RF_COMPONENT])
		return rules_ferr(l->eb, l->el, l->rec->file, l->f->line,
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
			rc = rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "expect: %s given twice",
				  field_names[key]);
			break;
		}
		if (!(ex->want[key] = mem_strdup(buf_str(&v))))
			rc = lerr_oom(l);
		got++;
	}
	buf_fini(&v);
	if (!rc && !got)
		rc = rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "expect names nothing");
	return rc;
}

int rules_field(struct rules_ld *l)
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
	return rules_ferr(l->eb, l->el, l->rec->file, l->f->line, "unknown field '%.40s'", k);
}

/* The rule's header id: [a-z0-9._-], short enough for cand.rule, not taken. */
