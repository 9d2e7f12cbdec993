/*
 * policy.c - loads a policy file (docs/policy.md) through core/yamlrd.h,
 * libyaml's document API: the whole file becomes a node tree first
 * (libyaml bounds nothing, so the file is capped at 16 MiB and aliases are
 * refused: a "billion laughs" document cannot expand), then every node is
 * checked against the schema here.  Each error names file:line:column
 * (1-based, from libyaml's marks) and the field's path, and the first error
 * aborts the load: a policy is applied whole or not at all.
 */
#include "policy.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/yamlrd.h"
#include "kb/vendor.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLICY_MAX_BYTES (16u << 20)
#define MAX_ITEMS 100000 /* per sequence: zones, rules, exceptions, members */

struct ctx {
	struct yr y;
	const struct vreg *vr;
	struct policy *p;
};

/* ---- lists ---- */

static int vendor_ref(struct ctx *c, yaml_node_t *n, const char *path, int *idx)
{
	if (!yr_is_scalar(n) || !yr_slen(n))
		return yr_fail(&c->y, n, path, "expected a vendor id");
	if ((*idx = vreg_find(c->vr, yr_sval(n), yr_slen(n))) < 0)
		return yr_fail(&c->y, n, path,
			       "unknown vendor \"%.*s\" (trustmap vendors lists the ids)",
			       (int)(yr_slen(n) > 64 ? 64 : yr_slen(n)), yr_sval(n));
	return 0;
}

static int member_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
			const char *path)
{
	struct ctx *c = y->user;
	struct pol_member *m = obj;

	(void)k;
	if (!strcmp(key, "vendor"))
		return vendor_ref(c, v, path, &m->vendor);
	if (!strcmp(key, "roles"))
		return yr_words(y, v, path, MAX_ITEMS, &m->roles);
	if (!strcmp(key, "from"))
		return yr_date(y, v, path, &m->from);
	if (!strcmp(key, "until"))
		return yr_date(y, v, path, &m->until);
	return 1;
}

static int list_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
		      const char *path)
{
	struct ctx *c = y->user;
	struct pol_list *l = obj;
	char sub[160];
	int rc;

	(void)k;
	if (!strcmp(key, "components"))
		return yr_bool(y, v, path, &l->components);
	if (!strcmp(key, "declared"))
		return yr_bool(y, v, path, &l->declared);
	if (!strcmp(key, "include")) {
		const char **w;
		if ((rc = yr_words(y, v, path, MAX_ITEMS, &w)))
			return rc;
		size_t n = 0;
		while (w[n])
			n++;
		if (!(l->builtin = arena_alloc(c->p->arena, (n ? n : 1) * sizeof(int))))
			return TM_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			if ((l->builtin[i] = vreg_list_find(c->vr, w[i])) < 0)
				return yr_fail(
				    y, v->type == YAML_SEQUENCE_NODE ? yr_item(y, v, i) : v, path,
				    "unknown list \"%s\" (built-in: fcc-covered, ndaa-889, or --lists)",
				    w[i]);
		}
		l->nbuiltin = (int)n;
		return 0;
	}
	if (!strcmp(key, "members")) {
		if (v->type != YAML_SEQUENCE_NODE)
			return yr_fail(y, v, path, "expected a list of vendors");
		size_t n = yr_seq_len(v);
		if (n > MAX_ITEMS)
			return yr_fail(y, v, path, "more than %d members", MAX_ITEMS);
		if (!(l->members = arena_alloc(c->p->arena, (n ? n : 1) * sizeof(*l->members))))
			return TM_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			yaml_node_t *e = yr_item(y, v, i);
			struct pol_member *m = &l->members[i];

			memset(m, 0, sizeof(*m));
			m->vendor = -1, m->from = INT64_MIN, m->until = INT64_MAX;
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (yr_is_scalar(e))
				rc = vendor_ref(c, e, sub, &m->vendor);
			else if ((rc = yr_walk(y, e, sub, m, member_field)) == 0 && m->vendor < 0)
				rc = yr_fail(y, e, sub, "a member needs vendor:");
			if (rc)
				return rc;
			if (m->from != INT64_MIN && m->until != INT64_MAX && m->until <= m->from)
				return yr_fail(y, e, sub, "until is not after from");
		}
		l->nmembers = (int)n;
		return 0;
	}
	return 1;
}

static int load_lists(struct ctx *c, yaml_node_t *n)
{
	yaml_node_pair_t *pr;
	char path[160];
	int i = 0, rc;

	if (n->type != YAML_MAPPING_NODE)
		return yr_fail(&c->y, n, "lists", "expected a mapping of list names to lists");
	c->p->nlists = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (c->p->nlists > MAX_ITEMS)
		return yr_fail(&c->y, n, "lists", "more than %d lists", MAX_ITEMS);
	if (!(c->p->lists = arena_alloc(c->p->arena, (size_t)(c->p->nlists ? c->p->nlists : 1) *
							     sizeof(*c->p->lists))))
		return TM_ENOMEM;
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++, i++) {
		struct pol_list *l = &c->p->lists[i];
		yaml_node_t *k = yr_node(&c->y, pr->key), *v = yr_node(&c->y, pr->value);

		memset(l, 0, sizeof(*l));
		l->declared = 1;
		if ((rc = yr_name(&c->y, k, "lists", l->name, sizeof(l->name))))
			return rc;
		for (int j = 0; j < i; j++)
			if (!strcmp(c->p->lists[j].name, l->name))
				return yr_fail(&c->y, k, "lists", "list \"%s\" defined twice",
					       l->name);
		yr_mark(k, &l->line, &l->col);
		snprintf(path, sizeof(path), "lists.%s", l->name);
		if ((rc = yr_walk(&c->y, v, path, l, list_field)))
			return rc;
		if (!l->nbuiltin && !l->nmembers)
			return yr_fail(&c->y, v, path, "a list needs include: or members:");
	}
	return 0;
}

/* ---- zones ---- */

static int parse_cidr(const char *s, struct pol_cidr *out)
{
	char tmp[64], *slash;
	long pfx;

	if (strlen(s) >= sizeof(tmp))
		return -1;
	strcpy(tmp, s);
	slash = strchr(tmp, '/');
	if (slash)
		*slash++ = 0;
	if (inet_pton(AF_INET, tmp, out->addr) == 1)
		out->family = 4;
	else if (inet_pton(AF_INET6, tmp, out->addr) == 1)
		out->family = 6;
	else
		return -1;
	pfx = out->family == 4 ? 32 : 128;
	if (slash) {
		char *end;
		if (!*slash)
			return -1;
		long v = strtol(slash, &end, 10);
		if (*end || v < 0 || v > pfx)
			return -1;
		pfx = v;
	}
	out->prefix = (int)pfx;
	/* host bits must be zero: "10.1.2.3/8" is a typo, not a network */
	for (int b = out->prefix; b < (out->family == 4 ? 32 : 128); b++)
		if (out->addr[b / 8] & (0x80 >> (b % 8)))
			return -2;
	return 0;
}

struct zone_ld {
	struct pol_zone *z;
	int kinds; /* how many of geojson/circle/cidr/tags/roles/sites were given */
	int has_sens;
};

static int circle_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
			const char *path)
{
	struct pol_zone *z = obj;

	(void)k;
	if (!strcmp(key, "lat"))
		return yr_double(y, v, path, -90, 90, &z->lat);
	if (!strcmp(key, "lon"))
		return yr_double(y, v, path, -180, 180, &z->lon);
	if (!strcmp(key, "radius_m"))
		return yr_double(y, v, path, 0, 20000000, &z->radius_m);
	return 1;
}

static int zone_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
		      const char *path)
{
	struct ctx *c = y->user;
	struct zone_ld *zl = obj;
	struct pol_zone *z = zl->z;
	char sub[160];
	int rc;

	(void)k;
	if (!strcmp(key, "name"))
		return yr_name(y, v, path, z->name, sizeof(z->name));
	if (!strcmp(key, "sensitivity")) {
		zl->has_sens = 1;
		return yr_int(y, v, path, 0, 1000, &z->sensitivity);
	}
	if (!strcmp(key, "name_property"))
		return yr_name(y, v, path, z->name_prop, sizeof(z->name_prop));
	if (!strcmp(key, "sensitivity_property"))
		return yr_name(y, v, path, z->sens_prop, sizeof(z->sens_prop));
	if (!strcmp(key, "geojson")) {
		zl->kinds++, z->kind = PZ_GEOJSON;
		if ((rc = yr_text(y, v, path, &z->path)))
			return rc;
		return *z->path ? 0 : yr_fail(y, v, path, "empty file name");
	}
	if (!strcmp(key, "circle")) {
		zl->kinds++, z->kind = PZ_CIRCLE;
		z->lat = z->lon = NAN, z->radius_m = -1;
		if ((rc = yr_walk(y, v, path, z, circle_field)))
			return rc;
		if (isnan(z->lat) || isnan(z->lon) || z->radius_m < 0)
			return yr_fail(y, v, path, "a circle needs lat:, lon: and radius_m:");
		return 0;
	}
	if (!strcmp(key, "cidr")) {
		const char **w;
		zl->kinds++, z->kind = PZ_CIDR;
		if ((rc = yr_words(y, v, path, MAX_ITEMS, &w)))
			return rc;
		size_t n = 0;
		while (w[n])
			n++;
		if (!(z->cidrs = arena_alloc(c->p->arena, (n ? n : 1) * sizeof(*z->cidrs))))
			return TM_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			yaml_node_t *e = v->type == YAML_SEQUENCE_NODE ? yr_item(y, v, i) : v;
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			int r = parse_cidr(w[i], &z->cidrs[i]);
			if (r == -2)
				return yr_fail(y, e, sub,
					       "\"%s\" has host bits set below its prefix", w[i]);
			if (r)
				return yr_fail(y, e, sub, "expected ADDRESS/PREFIX, not \"%s\"",
					       w[i]);
		}
		z->ncidrs = (int)n;
		return 0;
	}
	if (!strcmp(key, "tags") || !strcmp(key, "roles") || !strcmp(key, "sites")) {
		zl->kinds++;
		z->kind = key[0] == 't' ? PZ_TAG : key[0] == 'r' ? PZ_ROLE : PZ_SITE;
		return yr_words(y, v, path, MAX_ITEMS, &z->words);
	}
	return 1;
}

static int load_zones(struct ctx *c, yaml_node_t *n)
{
	char path[160];
	int rc;

	if (n->type != YAML_SEQUENCE_NODE)
		return yr_fail(&c->y, n, "zones", "expected a list of zones");
	size_t cnt = yr_seq_len(n);
	if (cnt > MAX_ITEMS)
		return yr_fail(&c->y, n, "zones", "more than %d zones", MAX_ITEMS);
	if (!(c->p->zones = arena_alloc(c->p->arena, (cnt ? cnt : 1) * sizeof(*c->p->zones))))
		return TM_ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *e = yr_item(&c->y, n, i);
		struct pol_zone *z = &c->p->zones[i];
		struct zone_ld zl = {z, 0, 0};

		memset(z, 0, sizeof(*z));
		z->sensitivity = 1;
		snprintf(path, sizeof(path), "zones[%zu]", i);
		yr_mark(e, &z->line, &z->col);
		if ((rc = yr_walk(&c->y, e, path, &zl, zone_field)))
			return rc;
		if (!z->name[0])
			return yr_fail(&c->y, e, path, "a zone needs name:");
		if (zl.kinds != 1)
			return yr_fail(
			    &c->y, e, path,
			    "zone \"%s\" needs exactly one of geojson:, circle:, cidr:, tags:, roles:, sites:",
			    z->name);
		if ((z->name_prop[0] || z->sens_prop[0]) && z->kind != PZ_GEOJSON)
			return yr_fail(
			    &c->y, e, path,
			    "name_property and sensitivity_property are for geojson: zones");
		if (z->kind == PZ_GEOJSON) {
			if (!z->name_prop[0])
				strcpy(z->name_prop, "name");
			if (!z->sens_prop[0])
				strcpy(z->sens_prop, "sensitivity");
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->p->zones[j].name, z->name))
				return yr_fail(&c->y, e, path, "zone \"%s\" defined twice",
					       z->name);
		c->p->nzones = (int)i + 1;
	}
	c->p->nzones = (int)cnt;
	return 0;
}

/* ---- rules ---- */

static int scope_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
		       const char *path)
{
	struct ctx *c = y->user;
	struct pol_scope *s = obj;
	const char **w;
	int rc;

	(void)k;
	if (!strcmp(key, "zones")) {
		if ((rc = yr_words(y, v, path, MAX_ITEMS, &w)))
			return rc;
		size_t n = 0;
		while (w[n])
			n++;
		if (!(s->zones = arena_alloc(c->p->arena, (n ? n : 1) * sizeof(int))))
			return TM_ENOMEM;
		for (size_t i = 0; i < n; i++)
			if ((s->zones[i] = policy_zone_find(c->p, w[i])) < 0)
				return yr_fail(y,
					       v->type == YAML_SEQUENCE_NODE ? yr_item(y, v, i) : v,
					       path, "unknown zone \"%s\"", w[i]);
		s->nzones = (int)n;
		return 0;
	}
	if (!strcmp(key, "min_sensitivity"))
		return yr_int(y, v, path, 0, 1000, &s->min_sensitivity);
	if (!strcmp(key, "roles"))
		return yr_words(y, v, path, MAX_ITEMS, &s->roles);
	if (!strcmp(key, "operators"))
		return yr_words(y, v, path, MAX_ITEMS, &s->operators);
	if (!strcmp(key, "regions"))
		return yr_words(y, v, path, MAX_ITEMS, &s->regions);
	return 1;
}

static int get_share(struct yr *y, yaml_node_t *v, const char *path, double *out)
{
	char tmp[32], *end;

	if (!yr_is_scalar(v) || !yr_slen(v) || yr_slen(v) >= sizeof(tmp))
		return yr_fail(y, v, path, "expected a share: \"35%%\" or 0.35");
	memcpy(tmp, yr_sval(v), yr_slen(v));
	tmp[yr_slen(v)] = 0;
	errno = 0;
	double d = strtod(tmp, &end);
	if (errno || end == tmp || !isfinite(d))
		return yr_fail(y, v, path, "expected a share: \"35%%\" or 0.35, not \"%s\"", tmp);
	if (*end == '%' && !end[1])
		d /= 100;
	else if (*end)
		return yr_fail(y, v, path, "expected a share: \"35%%\" or 0.35, not \"%s\"", tmp);
	if (d < 0 || d > 1)
		return yr_fail(y, v, path, "a share is between 0 and 100%%");
	*out = d;
	return 0;
}

static int rule_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
		      const char *path)
{
	struct ctx *c = y->user;
	struct pol_rule *r = obj;
	char name[POL_NAME];
	int rc;

	(void)k;
	if (!strcmp(key, "id"))
		return yr_name(y, v, path, r->id, sizeof(r->id));
	if (!strcmp(key, "action")) {
		if (yr_is_scalar(v) && !strcmp(yr_sval(v), "deny"))
			return r->action = POL_DENY, 0;
		if (yr_is_scalar(v) && !strcmp(yr_sval(v), "warn"))
			return r->action = POL_WARN, 0;
		return yr_fail(y, v, path, "action is deny or warn");
	}
	if (!strcmp(key, "list")) {
		if ((rc = yr_name(y, v, path, name, sizeof(name))))
			return rc;
		if ((r->list = policy_list_find(c->p, name)) < 0)
			return yr_fail(y, v, path, "unknown list \"%s\" (define it under lists:)",
				       name);
		return 0;
	}
	if (!strcmp(key, "scope")) {
		if (yr_is_scalar(v) &&
		    (!strcmp(yr_sval(v), "all") || !strcmp(yr_sval(v), "everywhere")))
			return r->scope.everywhere = 1, 0;
		if ((rc = yr_walk(y, v, path, &r->scope, scope_field)))
			return rc;
		if (v->data.mapping.pairs.top == v->data.mapping.pairs.start)
			return yr_fail(y, v, path, "an empty scope: write scope: all");
		return 0;
	}
	if (!strcmp(key, "effective"))
		return yr_date(y, v, path, &r->effective);
	if (!strcmp(key, "max_share"))
		return get_share(y, v, path, &r->max_share);
	if (!strcmp(key, "share_of")) {
		if (yr_is_scalar(v) && !strcmp(yr_sval(v), "devices"))
			return r->share_of = POL_SHARE_DEVICES, 0;
		if (yr_is_scalar(v) && !strcmp(yr_sval(v), "sites"))
			return r->share_of = POL_SHARE_SITES, 0;
		return yr_fail(y, v, path, "share_of is devices or sites");
	}
	if (!strcmp(key, "note"))
		return yr_text(y, v, path, &r->note);
	return 1;
}

static int load_rules(struct ctx *c, yaml_node_t *n)
{
	char path[160];
	int rc;

	if (n->type != YAML_SEQUENCE_NODE)
		return yr_fail(&c->y, n, "rules", "expected a list of rules");
	size_t cnt = yr_seq_len(n);
	if (cnt > MAX_ITEMS)
		return yr_fail(&c->y, n, "rules", "more than %d rules", MAX_ITEMS);
	if (!(c->p->rules = arena_alloc(c->p->arena, (cnt ? cnt : 1) * sizeof(*c->p->rules))))
		return TM_ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *e = yr_item(&c->y, n, i);
		struct pol_rule *r = &c->p->rules[i];

		memset(r, 0, sizeof(*r));
		r->list = -1, r->effective = INT64_MIN, r->max_share = -1, r->scope.min_sensitivity = -1;
		snprintf(path, sizeof(path), "rules[%zu]", i);
		yr_mark(e, &r->line, &r->col);
		if ((rc = yr_walk(&c->y, e, path, r, rule_field)))
			return rc;
		if (!r->id[0])
			return yr_fail(&c->y, e, path, "a rule needs id:");
		if (r->list < 0)
			return yr_fail(&c->y, e, path, "rule \"%s\" needs list:", r->id);
		if (!yr_get(&c->y, e, "scope"))
			return yr_fail(&c->y, e, path,
				       "rule \"%s\" needs scope: (zones, roles, ... or all)",
				       r->id);
		if (!yr_get(&c->y, e, "action"))
			return yr_fail(&c->y, e, path, "rule \"%s\" needs action: deny or warn",
				       r->id);
		if (yr_get(&c->y, e, "share_of") && r->max_share < 0)
			return yr_fail(&c->y, e, path, "share_of without max_share");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->p->rules[j].id, r->id))
				return yr_fail(&c->y, e, path, "rule \"%s\" defined twice", r->id);
	}
	c->p->nrules = (int)cnt;
	return 0;
}

/* ---- exceptions ---- */

static int exc_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
		     const char *path)
{
	struct ctx *c = y->user;
	struct pol_exception *x = obj;

	(void)k;
	if (!strcmp(key, "asset"))
		return yr_name(y, v, path, x->asset, sizeof(x->asset));
	if (!strcmp(key, "site"))
		return yr_name(y, v, path, x->site, sizeof(x->site));
	if (!strcmp(key, "rule")) {
		int rc = yr_name(y, v, path, x->rule, sizeof(x->rule));
		if (rc)
			return rc;
		for (int i = 0; i < c->p->nrules; i++)
			if (!strcmp(c->p->rules[i].id, x->rule))
				return 0;
		return yr_fail(y, v, path, "unknown rule \"%s\"", x->rule);
	}
	if (!strcmp(key, "reason"))
		return yr_text(y, v, path, &x->reason);
	if (!strcmp(key, "expires"))
		return yr_date(y, v, path, &x->expires);
	return 1;
}

static int load_exceptions(struct ctx *c, yaml_node_t *n)
{
	char path[160];
	int rc;

	if (n->type != YAML_SEQUENCE_NODE)
		return yr_fail(&c->y, n, "exceptions", "expected a list of exceptions");
	size_t cnt = yr_seq_len(n);
	if (cnt > MAX_ITEMS)
		return yr_fail(&c->y, n, "exceptions", "more than %d exceptions", MAX_ITEMS);
	if (!(c->p->exceptions = arena_alloc(c->p->arena, (cnt ? cnt : 1) * sizeof(*c->p->exceptions))))
		return TM_ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *e = yr_item(&c->y, n, i);
		struct pol_exception *x = &c->p->exceptions[i];

		memset(x, 0, sizeof(*x));
		x->expires = INT64_MIN;
		snprintf(path, sizeof(path), "exceptions[%zu]", i);
		yr_mark(e, &x->line, &x->col);
		if ((rc = yr_walk(&c->y, e, path, x, exc_field)))
			return rc;
		if (!x->asset[0] == !x->site[0])
			return yr_fail(&c->y, e, path,
				       "an exception names exactly one of asset: or site:");
		if (!x->reason || !*x->reason)
			return yr_fail(&c->y, e, path, "an exception needs reason:");
		if (x->expires == INT64_MIN)
			return yr_fail(&c->y, e, path, "an exception needs expires: YYYY-MM-DD");
	}
	c->p->nexceptions = (int)cnt;
	return 0;
}

/* ---- the document ---- */

static int top_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
		     const char *path)
{
	struct ctx *c = y->user;

	(void)obj, (void)k;
	if (!strcmp(key, "version")) {
		int ver;
		int rc = yr_int(y, v, path, 0, 1000, &ver);
		if (!rc && ver != 1)
			return yr_fail(y, v, path, "this trustmap reads policy version 1");
		return rc;
	}
	if (!strcmp(key, "name"))
		return yr_text(y, v, path, &c->p->name);
	/* lists, zones, rules and exceptions are loaded in that order by policy_parse */
	if (!strcmp(key, "lists") || !strcmp(key, "zones") || !strcmp(key, "rules") ||
	    !strcmp(key, "exceptions"))
		return 0;
	return 1;
}

int policy_parse(const char *file, const char *data, size_t len, const struct vreg *vr,
		 struct policy **out, char *eb, size_t el)
{
	struct policy *p;
	struct ctx c = {.vr = vr};
	yaml_node_t *root, *n;
	int rc = 0;

	*out = NULL;
	if (len > POLICY_MAX_BYTES)
		return err_set(eb, el, TM_ELIMIT, "%s: a policy file is at most 16 MiB", file);
	if (!(p = mem_calloc(1, sizeof(*p))) || !(p->arena = arena_new(0))) {
		mem_free(p);
		return err_set(eb, el, TM_ENOMEM, "%s: out of memory", file);
	}
	c.p = p;
	c.y = (struct yr){.file = file,
			  .noun = "policy",
			  .arena = p->arena,
			  .user = &c,
			  .eb = eb,
			  .el = el};
	if ((rc = yr_load(&c.y, data, len, &root)))
		goto out;
	if (!(p->file = arena_strdup(p->arena, file))) {
		rc = TM_ENOMEM;
		goto out;
	}
	if ((rc = yr_walk(&c.y, root, "", NULL, top_field)))
		goto out;
	if ((n = yr_get(&c.y, root, "lists")) && (rc = load_lists(&c, n)))
		goto out;
	if ((n = yr_get(&c.y, root, "zones")) && (rc = load_zones(&c, n)))
		goto out;
	if (!(n = yr_get(&c.y, root, "rules"))) {
		rc = yr_fail(&c.y, root, "", "a policy needs rules:");
		goto out;
	}
	if ((rc = load_rules(&c, n)))
		goto out;
	if ((n = yr_get(&c.y, root, "exceptions")) && (rc = load_exceptions(&c, n)))
		goto out;
	if (!p->name) {
		const char *b = strrchr(file, '/');
		p->name = arena_strdup(p->arena, b ? b + 1 : file);
	}
out:
	if (rc == TM_ENOMEM)
		err_set(eb, el, rc, "%s: out of memory", file);
	yr_fini(&c.y);
	if (rc) {
		policy_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int policy_load(const char *path, const struct vreg *vr, struct policy **out, char *eb, size_t el)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = file_read(path, POLICY_MAX_BYTES, &data, &len, eb, el)))
		return rc;
	rc = policy_parse(path, data, len, vr, out, eb, el);
	mem_free(data);
	return rc;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	arena_free(p->arena);
	mem_free(p);
}

int policy_list_find(const struct policy *p, const char *name)
{
	for (int i = 0; i < p->nlists; i++)
		if (!strcmp(p->lists[i].name, name))
			return i;
	return -1;
}

int policy_zone_find(const struct policy *p, const char *name)
{
	for (int i = 0; i < p->nzones; i++)
		if (!strcmp(p->zones[i].name, name))
			return i;
	return -1;
}

static int role_in(const char **roles, const char *role)
{
	if (!roles || !role || !*role)
		return 1; /* no limit, or an unknown role: it must not hide a restricted device */
	for (; *roles; roles++)
		if (!strcasecmp(*roles, role))
			return 1;
	return 0;
}

/* vendor idx or one of its ancestors on day is member m's vendor */
static int covers(const struct vreg *vr, int want, int idx, int64_t day)
{
	for (int hops = 0; idx >= 0 && hops < 64; hops++) {
		if (idx == want)
			return 1;
		idx = vreg_parent(vr, idx, day);
	}
	return 0;
}

static int match_one(const struct policy *p, const struct vreg *vr, const struct pol_list *l,
		     int idx, const char *role, int64_t day)
{
	(void)p;
	if (idx < 0)
		return -1;
	for (int i = 0; i < l->nbuiltin; i++) {
		int m = vreg_list_match(vr, l->builtin[i], idx, role, day);
		if (m >= 0)
			return m;
	}
	for (int i = 0; i < l->nmembers; i++) {
		const struct pol_member *m = &l->members[i];
		if (day < m->from || day >= m->until || !role_in(m->roles, role))
			continue;
		if (covers(vr, m->vendor, idx, day))
			return m->vendor;
	}
	return -1;
}

int policy_list_match(const struct policy *p, const struct vreg *vr, int l, int idx, int comp,
		      const char *role, int declared_only, int64_t day)
{
	const struct pol_list *pl;
	int m;

	if (l < 0 || l >= p->nlists)
		return -1;
	pl = &p->lists[l];
	if (declared_only && !pl->declared)
		idx = -1;
	if ((m = match_one(p, vr, pl, idx, role, day)) >= 0)
		return m;
	if (pl->components && comp >= 0)
		return match_one(p, vr, pl, comp, role, day);
	return -1;
}

int policy_exception_find(const struct policy *p, const char *asset_key, const char *asset_ref,
			  const char *site, const char *rule, int64_t day)
{
	for (int i = 0; i < p->nexceptions; i++) {
		const struct pol_exception *x = &p->exceptions[i];

		if (x->rule[0] && strcmp(x->rule, rule))
			continue;
		if (day > x->expires)
			continue;
		if (x->asset[0] && ((asset_key && !strcmp(x->asset, asset_key)) ||
				    (asset_ref && *asset_ref && !strcmp(x->asset, asset_ref))))
			return i;
		if (x->site[0] && site && !strcmp(x->site, site))
			return i;
	}
	return -1;
}
