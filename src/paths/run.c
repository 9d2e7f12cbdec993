/*
 * run.c - trustmap paths over the store (paths.h): assets become nodes
 * (each reachable by its key, "ref:<inventory id>", "mac:..." and
 * "ip:<scope>/<addr>", the forms links use), links become edges (links
 * naming no known asset are counted and the first few named), the policy
 * says which devices are restricted (on the list of any rule in force that
 * day, as the audit matches makers: families, roles, components, declared
 * vendors) and, through audit_sensitive_sites, which sites are sensitive;
 * the core selector picks the sinks.  Then one paths_query per sensitive
 * site, every buffer reused.
 */
#include "paths.h"

#include "attr/attr.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/smap.h"
#include "core/str.h"
#include "kb/vendor.h"
#include "policy/policy.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>


/* ---- default costs ---- */

/* Replacement cost by role until the cost model lands: whole units (docs/paths.md). */
static const struct {
	const char *role;
	int64_t units;
} role_cost[] = {
    {"core-router", 250000}, {"core", 250000},	  {"router", 40000},   {"transport", 60000},
    {"olt", 30000},	     {"baseband", 30000}, {"firewall", 20000}, {"loadbalancer", 20000},
    {"radio", 15000},	     {"switch", 8000},	  {"wlc", 8000},       {"server", 8000},
    {"nas", 3000},	     {"nvr", 2000},	  {"bmc", 1000},       {"ap", 600},
    {"camera", 500},	     {"phone", 300},	  {"printer", 300},    {"ont", 300},
};
#define DEFAULT_UNITS 5000

int64_t paths_default_cost(void *ctx, const struct asset_rec *a)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof(role_cost) / sizeof(role_cost[0]); i++)
		if (!strcasecmp(a->role, role_cost[i].role))
			return role_cost[i].units * 100;
	return (int64_t)DEFAULT_UNITS * 100;
}

/* ---- the run ---- */

enum sel_kind { SEL_ROLE, SEL_SITE, SEL_TAG, SEL_ASSET };

struct sel {
	enum sel_kind kind;
	char val[96];
};

#define SEL_MAX 64

struct run {
	struct store *st;
	const struct vreg *vr;
	const struct policy *p;
	const struct paths_opt *o;
	struct paths_result *r;
	struct arena *ar;
	int err;

	struct sel sel[SEL_MAX];
	int nsel;
	struct smap site_tags_ix; /* site id -> index into site_tags */
	const char **site_tags;
	size_t nst, capst;

	/* per node */
	size_t n, cap;
	int64_t *id;
	uint32_t *site; /* site group (interned site id), 0 none */
	uint8_t *restr;
	int64_t *cost, *ccap;
	uint8_t *core;
	struct smap keys;  /* every identity form -> node */
	struct smap sites; /* site id -> group */
	int *in_force;

	/* edges */
	uint32_t *eu, *ev;
	size_t ne, cape;
};

static int parse_sel(struct run *u, const char *s, char *eb, size_t el)
{
	static const struct {
		const char *pfx;
		enum sel_kind k;
	} kinds[] = {
	    {"role:", SEL_ROLE}, {"site:", SEL_SITE}, {"tag:", SEL_TAG}, {"asset:", SEL_ASSET}};

	if (!s || !*s)
		return err_set(
		    eb, el, TM_EINVAL,
		    "no core selector (--to role:core-router, site:ID, tag:T, asset:ID)");
	while (*s) {
		size_t n = strcspn(s, ","), k;
		const char *w = s;
		size_t wn = n;

		str_trim(&w, &wn);
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (str_has_prefix(w, wn, kinds[k].pfx))
				break;
		size_t pl = k < 4 ? strlen(kinds[k].pfx) : 0;
		if (k == 4 || wn == pl || wn - pl >= sizeof(u->sel[0].val))
			return err_set(
			    eb, el, TM_EINVAL,
			    "bad core selector \"%.*s\": role:NAME, site:ID, tag:TAG or asset:ID",
			    (int)(wn > 100 ? 100 : wn), w);
		if (u->nsel == SEL_MAX)
			return err_set(eb, el, TM_ELIMIT, "more than %d core selectors", SEL_MAX);
		u->sel[u->nsel].kind = kinds[k].k;
		str_copy(u->sel[u->nsel].val, sizeof(u->sel[0].val), w + pl, wn - pl);
		u->nsel++;
		s += n + (s[n] == ',');
	}
	return 0;
}

/* Is ';'-separated tags holding word? */
static int has_tag(const char *tags, const char *word)
{
	size_t n = strlen(word);

	for (const char *t = tags; t && *t;) {
		size_t m = strcspn(t, ";");
		if (m == n && !strncasecmp(t, word, n))
			return 1;
		t += m + (t[m] == ';');
	}
	return 0;
}

static int on_site(void *ctx, const struct site_rec *s)
{
	struct run *u = ctx;

	if (!s->tags[0])
		return 0;
	if (u->nst == u->capst) {
		size_t cap = u->capst ? u->capst * 2 : 256;
		const char **n = mem_realloc(u->site_tags, cap * sizeof(*n));
		if (!n)
			return u->err = TM_ENOMEM;
		u->site_tags = n, u->capst = cap;
	}
	if (!(u->site_tags[u->nst] = arena_strdup(u->ar, s->tags)) ||
	    smap_put_copy(&u->site_tags_ix, u->ar, s->id, (uint32_t)u->nst) < 0)
		return u->err = TM_ENOMEM;
	u->nst++;
	return 0;
}

static int is_core(struct run *u, const struct asset_rec *a)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", (long long)a->id);
	for (int i = 0; i < u->nsel; i++) {
		const char *v = u->sel[i].val;
		long t;

		switch (u->sel[i].kind) {
		case SEL_ROLE:
			if (!strcasecmp(a->role, v))
				return 1;
			break;
		case SEL_SITE:
			if (a->site[0] && !strcmp(a->site, v))
				return 1;
			break;
		case SEL_TAG:
			t = a->site[0] ? smap_get(&u->site_tags_ix, a->site) : -1;
			if (t >= 0 && has_tag(u->site_tags[t], v))
				return 1;
			break;
		case SEL_ASSET:
			if ((a->ref[0] && !strcmp(a->ref, v)) || !strcmp(a->key, v) ||
			    !strcmp(num, v))
				return 1;
			break;
		}
	}
	return 0;
}

static int restricted(struct run *u, const struct asset_rec *a)
{
	const struct policy *p = u->p;
	int vendor = a->vendor[0] ? vreg_find(u->vr, a->vendor, strlen(a->vendor)) : -1;
	int comp = a->component_vendor[0]
		       ? vreg_find(u->vr, a->component_vendor, strlen(a->component_vendor))
		       : -1;
	int declared_only = !!(a->flags & ATTR_DECLARED_ONLY);

	for (int ri = 0; ri < p->nrules; ri++) {
		int l = p->rules[ri].list;
		if (!u->in_force[ri])
			continue;
		if (vendor >= 0 && policy_list_match(p, u->vr, l, vendor, -1, a->role,
						     declared_only, u->o->day) >= 0)
			return 1;
		if (comp >= 0 &&
		    policy_list_match(p, u->vr, l, -1, comp, a->role, 0, u->o->day) >= 0)
			return 1;
	}
	return 0;
}

static int grow_nodes(struct run *u)
{
	size_t cap = u->cap ? u->cap * 2 : 4096;
	int64_t *id = mem_realloc(u->id, cap * sizeof(*id));
	if (id)
		u->id = id;
	uint32_t *site = mem_realloc(u->site, cap * sizeof(*site));
	if (site)
		u->site = site;
	uint8_t *restr = mem_realloc(u->restr, cap);
	if (restr)
		u->restr = restr;
	int64_t *cost = mem_realloc(u->cost, cap * sizeof(*cost));
	if (cost)
		u->cost = cost;
	int64_t *ccap = mem_realloc(u->ccap, cap * sizeof(*ccap));
	if (ccap)
		u->ccap = ccap;
	uint8_t *core = mem_realloc(u->core, cap);
	if (core)
		u->core = core;
	if (!id || !site || !restr || !cost || !ccap || !core)
		return TM_ENOMEM;
	u->cap = cap;
	return 0;
}

static int on_asset(void *ctx, const struct asset_rec *a)
{
	struct run *u = ctx;
	uint32_t i = (uint32_t)u->n;
	char k[128];

	if (u->n >= PATHS_MAX_NODES)
		return u->err = TM_ELIMIT;
	if (u->n == u->cap && (u->err = grow_nodes(u)))
		return u->err;
	u->id[i] = a->id;
	u->site[i] = 0;
	if (a->site[0]) {
		long g = smap_put_copy(&u->sites, u->ar, a->site, (uint32_t)u->sites.n + 1);
		if (g < 0)
			return u->err = TM_ENOMEM;
		u->site[i] = (uint32_t)g;
	}
	u->restr[i] = (uint8_t)restricted(u, a);
	int64_t c = (u->o->cost ? u->o->cost : paths_default_cost)(u->o->cost_ctx, a);
	u->cost[i] = c < 0 ? 0 : c; /* clamped once the number of devices is known */
	u->core[i] = (uint8_t)is_core(u, a);
	if (smap_put_copy(&u->keys, u->ar, a->key, i) < 0)
		return u->err = TM_ENOMEM;
	if (a->ref[0]) {
		snprintf(k, sizeof(k), "ref:%s", a->ref);
		if (smap_put_copy(&u->keys, u->ar, k, i) < 0)
			return u->err = TM_ENOMEM;
	}
	if (a->mac[0]) {
		snprintf(k, sizeof(k), "mac:%s", a->mac);
		if (smap_put_copy(&u->keys, u->ar, k, i) < 0)
			return u->err = TM_ENOMEM;
	}
	if (a->addr[0]) {
		snprintf(k, sizeof(k), "ip:%s/%s", a->scope, a->addr);
		if (smap_put_copy(&u->keys, u->ar, k, i) < 0)
			return u->err = TM_ENOMEM;
	}
	u->n++;
	return 0;
}

static void unknown(struct run *u, const char *key)
{
	struct paths_result *r = u->r;

	r->unknown_links++;
	for (long i = 0; i < r->unknown_named; i++)
		if (!strcmp(r->unknown_first[i], key))
			return;
	if (r->unknown_named < 3)
		str_set(r->unknown_first[r->unknown_named++], sizeof(r->unknown_first[0]), key);
}

static int on_link(void *ctx, const struct link_rec *l)
{
	struct run *u = ctx;
	long a = smap_get(&u->keys, l->a_key), b = smap_get(&u->keys, l->b_key);

	u->r->links_read++;
	if (!strncmp(l->a_key, "capture:", 8) || !strncmp(l->b_key, "capture:", 8)) {
		u->r->capture_links++; /* a capture's sighting: no device to route through */
		return 0;
	}
	if (a < 0 || b < 0) {
		unknown(u, a < 0 ? l->a_key : l->b_key);
		return 0;
	}
	if (u->ne == PATHS_MAX_LINKS)
		return u->err = TM_ELIMIT;
	if (u->ne == u->cape) {
		size_t cap = u->cape ? u->cape * 2 : 4096;
		uint32_t *x = mem_realloc(u->eu, cap * sizeof(*x));
		if (x)
			u->eu = x;
		uint32_t *y = mem_realloc(u->ev, cap * sizeof(*y));
		if (y)
			u->ev = y;
		if (!x || !y)
			return u->err = TM_ENOMEM;
		u->cape = cap;
	}
	u->eu[u->ne] = (uint32_t)a, u->ev[u->ne++] = (uint32_t)b;
	return 0;
}

struct sens {
	struct run *u;
	struct paths_site *s;
	size_t n, cap;
};

static int on_sensitive(void *ctx, const char *site, int sensitivity, const char *zone)
{
	struct sens *x = ctx;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		struct paths_site *n = mem_realloc(x->s, cap * sizeof(*n));
		if (!n)
			return TM_ENOMEM;
		x->s = n, x->cap = cap;
	}
	struct paths_site *s = &x->s[x->n++];
	memset(s, 0, sizeof(*s));
	str_set(s->site, sizeof(s->site), site);
	str_set(s->zone, sizeof(s->zone), zone);
	s->sensitivity = sensitivity;
	return 0;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The answer's node lists as asset ids. */
static int to_ids(const struct run *u, const uint32_t *v, size_t n, int64_t **out)
{
	*out = NULL;
	if (!n)
		return 0;
	if (!(*out = mem_alloc(n * sizeof(**out))))
		return TM_ENOMEM;
	for (size_t i = 0; i < n; i++)
		(*out)[i] = u->id[v[i]];
	return 0;
}

static int query_sites(struct run *u, struct paths_graph *g, struct sens *x)
{
	struct paths_answer a = {0};
	uint32_t *off = mem_calloc(u->sites.n + 2, sizeof(*off)),
		 *members = mem_alloc((u->n + 1) * sizeof(*members));
	uint32_t *core = mem_alloc((u->n + 1) * sizeof(*core)), ncore = 0;
	int rc = TM_ENOMEM;

	if (!off || !members || !core)
		goto out;
	/* devices grouped by site (CSR), and the core */
	for (size_t i = 0; i < u->n; i++) {
		off[u->site[i] + 1]++;
		if (u->core[i])
			core[ncore++] = (uint32_t)i;
	}
	for (size_t s = 0; s <= u->sites.n; s++)
		off[s + 1] += off[s];
	for (size_t i = 0; i < u->n; i++)
		members[off[u->site[i]]++] = (uint32_t)i;
	for (size_t s = u->sites.n + 1; s > 0; s--)
		off[s] = off[s - 1];
	off[0] = 0;
	for (size_t i = 0; i < x->n; i++) {
		struct paths_site *s = &x->s[i];
		long grp = smap_get(&u->sites, s->site);
		uint32_t b = grp >= 0 ? off[grp] : 0, e = grp >= 0 ? off[grp + 1] : 0;

		s->devices = e - b;
		if ((rc = paths_query(g, members + b, e - b, core, ncore, &a)))
			goto out;
		s->status = a.status;
		s->cost = a.cost;
		s->cut_value = a.cut_value;
		s->nreplace = a.nreplace;
		s->ncut = a.ncut;
		if ((rc = to_ids(u, a.replace, a.nreplace, &s->replace)) ||
		    (rc = to_ids(u, a.cut, a.ncut, &s->cut)))
			goto out;
	}
	rc = 0;
out:
	paths_answer_free(&a);
	mem_free(off);
	mem_free(members);
	mem_free(core);
	return rc;
}

int paths_run(struct store *st, const struct vreg *vr, const struct policy *p,
	      const struct paths_opt *o, struct paths_result *r, char *eb, size_t el)
{
	struct run u = {st, vr, p, o, r};
	struct sens x = {&u};
	struct audit_opt ao = {.day = o->day, .base_dir = o->base_dir};
	struct paths_graph *g = NULL;
	struct timespec t0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (eb && el)
		eb[0] = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = parse_sel(&u, o->core, eb, el)))
		return rc;
	if (!(u.ar = arena_new(0)) ||
	    !(u.in_force = mem_calloc((size_t)p->nrules + 1, sizeof(int)))) {
		rc = TM_ENOMEM;
		goto out;
	}
	for (int i = 0; i < p->nrules; i++)
		u.in_force[i] =
		    p->rules[i].effective == INT64_MIN || p->rules[i].effective <= o->day;
	/* the sensitive sites first: nothing else to load when there are none */
	if ((rc = audit_sensitive_sites(st, vr, p, &ao, on_sensitive, &x, eb, el)))
		goto out;
	r->sensitive_sites = (long)x.n;
	if ((rc = store_site_iter(st, on_site, &u)) || (rc = u.err))
		goto out;
	rc = store_asset_iter(st, NULL, on_asset, &u);
	if (u.err)
		rc = u.err;
	if (rc)
		goto out;
	r->assets = (long)u.n;
	int64_t most = paths_cost_max((uint32_t)u.n);
	for (size_t i = 0; i < u.n; i++) {
		if (u.cost[i] > most)
			u.cost[i] = most;
		u.ccap[i] = o->cut_by == PATHS_CUT_COST ? (u.cost[i] > 0 ? u.cost[i] : 1) : 1;
		r->restricted += u.restr[i];
		r->core += u.core[i];
	}
	if (r->core && !(r->core_ids = mem_alloc((size_t)r->core * sizeof(*r->core_ids)))) {
		rc = TM_ENOMEM;
		goto out;
	}
	for (size_t i = 0, k = 0; i < u.n; i++)
		if (u.core[i])
			r->core_ids[k++] = u.id[i]; /* store order: ascending ids */
	rc = store_link_iter(st, on_link, &u);
	if (u.err)
		rc = u.err;
	if (rc)
		goto out;
	r->ms_load = ms_since(&t0);
	if (!x.n)
		goto out;
	if (!r->core) {
		rc = err_set(eb, el, TM_ENOTFOUND, "no core matched \"%s\" among %ld devices",
			     o->core, r->assets);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = paths_graph_new(&g, (uint32_t)u.n, u.eu, u.ev, u.ne, u.restr, u.cost, u.ccap,
				  &r->gs)))
		goto out;
	r->ms_graph = ms_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = query_sites(&u, g, &x);
	r->ms_query = ms_since(&t0);
out:
	r->s = x.s;
	r->n = x.n;
	if (rc == TM_ENOMEM)
		err_set(eb, el, rc, "paths: out of memory");
	else if (rc == TM_ELIMIT && eb && !*eb)
		err_set(eb, el, rc, "paths: more than %u devices or %zu links", PATHS_MAX_NODES,
			PATHS_MAX_LINKS);
	else if (rc && eb && !*eb)
		err_set(eb, el, rc, "paths: %s", store_errmsg(st));
	paths_graph_free(g);
	smap_free(&u.site_tags_ix);
	smap_free(&u.keys);
	smap_free(&u.sites);
	mem_free(u.site_tags);
	mem_free(u.id);
	mem_free(u.site);
	mem_free(u.restr);
	mem_free(u.cost);
	mem_free(u.ccap);
	mem_free(u.core);
	mem_free(u.in_force);
	mem_free(u.eu);
	mem_free(u.ev);
	arena_free(u.ar);
	return rc;
}

void paths_result_free(struct paths_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		mem_free(r->s[i].replace);
		mem_free(r->s[i].cut);
	}
	mem_free(r->s);
	mem_free(r->core_ids);
	memset(r, 0, sizeof(*r));
}
