/*
 * rules.c - loading trustmap's own fingerprint rules (rules.h): each stanza
 * "rule ID" becomes a struct rule (rules_int.h) whose fields rules_field.c
 * reads (patterns compiled by PCRE2 with memory through mem_*, JIT when the
 * platform allows); here the finished rule is checked as a whole (templates
 * against the pattern's groups, examples with their expects) and its index
 * added to the list of every kind it reads.  Matching is in rules_match.c,
 * the examples' test in rules_selftest.c.
 */
#include "rules_int.h"

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "stanza.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(OBS_KIND_COUNT <= 64, "kinds must fit struct rule.kinds");

/* PCRE2 allocates through these, so that tests can fail its allocations too. */
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

int rules_new(struct rules **out, const struct vreg *vr)
{
	struct rules *rs;

	*out = NULL;
	rs = mem_calloc(1, sizeof(*rs));
	if (!rs)
		return TM_ENOMEM;
	rs->vr = vr;
	rs->no_pass = getenv("TRUSTMAP_RULES_NOPASS") != NULL; /* a memmem per rule, for comparison */
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
	for (int k = 0; k < OBS_KIND_COUNT; k++) {
		mem_free(rs->by_kind[k].i);
		if (rs->lits[k])
			mem_free(rs->lits[k]->next);
		mem_free(rs->lits[k]);
	}
	pcre2_match_context_free(rs->mctx);
	pcre2_compile_context_free(rs->cctx);
	pcre2_general_context_free(rs->gctx);
	mem_free(rs);
}

size_t rules_count(const struct rules *rs)
{
	return rs ? rs->n : 0;
}

/* The loading state of one record. */static int check_id(struct rules *rs, const struct st_rec *rec, char *eb, size_t el)
{
	size_t n = strlen(rec->id);

	if (n > RULES_ID_MAX)
		return rules_ferr(eb, el, rec->file, rec->line, "rule id longer than %d", RULES_ID_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = rec->id[i];

		if (!(islower((unsigned char)c) || isdigit((unsigned char)c) || c == '-' ||
		      c == '_' || c == '.'))
			return rules_ferr(eb, el, rec->file, rec->line,
				    "rule id '%s': lower-case letters, digits, '-', '_', '.' only",
				    rec->id);
	}
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].id, rec->id))
			return rules_ferr(eb, el, rec->file, rec->line,
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
			return rules_ferr(eb, el, rec->file, rec->line,
				    "an oid rule reads snmp_sysobjectid only");
		r->kinds = (uint64_t)1 << OBS_SNMP_SYSOBJECTID;
	} else if (!r->re)
		return rules_ferr(eb, el, rec->file, rec->line, "rule needs a match or an oid");
	if (!r->kinds)
		return rules_ferr(eb, el, rec->file, rec->line, "rule needs a kind");
	if (!r->vendor)
		return rules_ferr(eb, el, rec->file, rec->line, "rule needs a vendor");
	for (int i = RF_PRODUCT; i <= RF_OS; i++)
		if (r->tpl[i] && rules_tpl_check(r->tpl[i], r->ngroups, r->oid != NULL, m, sizeof(m)))
			return rules_ferr(eb, el, rec->file, rec->line, "%s: %s",
					  rules_field_name((enum rules_field)i), m);
	for (int i = 0; i < r->nex; i++) {
		const struct rule_ex *x = &r->ex[i];
		bool has = false;

		for (int j = 0; j < RF_COUNT; j++)
			has |= x->want[j] != NULL;
		if (!x->neg && !has)
			return rules_ferr(eb, el, rec->file, x->line, "example without expect");
		pos += !x->neg;
	}
	if (!pos)
		return rules_ferr(eb, el, rec->file, rec->line, "rule needs at least one example");
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
	for (int k = 0; k < OBS_KIND_COUNT; k++) { /* the literals' chains: room first, so nothing half done */
		struct rules_lits *l;

		if (!(r->kinds & ((uint64_t)1 << k)) || !r->lit[0] || !r->lit[1])
			continue;
		if (!rs->lits[k] && !(rs->lits[k] = mem_calloc(1, sizeof(*rs->lits[k]))))
			return TM_ENOMEM;
		l = rs->lits[k];
		if (l->cap < rs->by_kind[k].cap) {
			uint32_t *nn = mem_realloc(l->next, rs->by_kind[k].cap * sizeof(*nn));

			if (!nn)
				return TM_ENOMEM;
			l->next = nn;
			l->cap = rs->by_kind[k].cap;
		}
	}
	for (int k = 0; k < OBS_KIND_COUNT; k++) {
		size_t pos;
		unsigned bg;

		if (!(r->kinds & ((uint64_t)1 << k)))
			continue;
		pos = rs->by_kind[k].n++;
		rs->by_kind[k].i[pos] = (uint32_t)rs->n;
		if (!r->lit[0] || !r->lit[1])
			continue;
		bg = rules_bigram(r->lit);
		rs->lits[k]->bits[bg >> 6] |= (uint64_t)1 << (bg & 63);
		rs->lits[k]->next[pos] = rs->lits[k]->head[rules_lit_head(bg)];
		rs->lits[k]->head[rules_lit_head(bg)] = (uint32_t)pos + 1;
		rs->lits[k]->n++;
	}
	if (r->ngroups > rs->maxgroups)
		rs->maxgroups = r->ngroups;
	rs->r[rs->n++] = *r;
	return 0;
}

static int on_rec(void *ctx, const struct st_rec *rec, char *eb, size_t el)
{
	struct rules *rs = ctx;
	struct rule r = {.vidx = -1, .strength = EV_FAIR};
	struct rules_ld l = {.rs = rs, .r = &r, .rec = rec, .eb = eb, .el = el};
	int rc;

	if (strcmp(rec->type, "rule"))
		return rules_ferr(eb, el, rec->file, rec->line, "unknown record '%.40s' (want 'rule')",
			    rec->type);
	if (rs->n >= RULES_MAX)
		return err_set(eb, el, TM_ELIMIT, "%s:%u: more than %d rules", rec->file,
			       rec->line, RULES_MAX);
	if ((rc = check_id(rs, rec, eb, el)))
		return rc;
	r.line = rec->line;
	for (int i = 0; i < rec->nf; i++) {
		l.f = &rec->f[i];
		if ((rc = rules_field(&l)))
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
