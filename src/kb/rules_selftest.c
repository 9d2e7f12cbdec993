/*
 * rules_selftest.c - every rule tests itself (rules.h: rules_selftest): its
 * examples must yield what their expect lines say, from the rule itself and
 * without a rule of another vendor claiming them as strongly, and its
 * negatives must not match it.  `make check` runs this over rules/ through
 * tests/unit/test_rules.c.
 */
#include "rules_int.h"

#include "../core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ST_MAX_CANDS 64

struct st {
	void (*report)(void *ctx, const char *msg);
	void *ctx;
	int fails;
};

__attribute__((format(printf, 2, 3))) static void fail(struct st *t, const char *fmt, ...)
{
	char m[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	t->fails++;
	if (t->report)
		t->report(t->ctx, m);
}

/* The value of field f of candidate c as text, for comparing with an expect. */
static const char *got(const struct cand *c, int f)
{
	switch (f) {
	case RF_VENDOR: return c->vendor_raw;
	case RF_PRODUCT: return c->product;
	case RF_MODEL: return c->model;
	case RF_VERSION: return c->version;
	case RF_ROLE: return c->role;
	case RF_OS: return c->os;
	case RF_STRENGTH: return cand_strength_name(c->strength);
	default: return c->component ? "yes" : "no";
	}
}

static bool same(int f, const char *want, const char *have)
{
	if (f == RF_COMPONENT)
		return (str_caseeq(want, strlen(want), "yes") ||
			str_caseeq(want, strlen(want), "true")) == !strcmp(have, "yes");
	if (f == RF_STRENGTH || f == RF_VENDOR)
		return str_caseeq(want, strlen(want), have);
	return !strcmp(want, have);
}

static const struct cand *find(const struct cand *c, int n, const char *rule)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(c[i].rule, rule))
			return &c[i];
	return NULL;
}

static void run_example(struct st *t, const struct rules *rs, const struct rule *r,
			const struct rule_ex *x, const struct obs *o)
{
	struct cand c[ST_MAX_CANDS];
	char id[sizeof(c[0].rule)];
	const struct cand *me;
	int n = rules_match(rs, o, c, ST_MAX_CANDS);

	snprintf(id, sizeof(id), "rule:%s", r->id);
	me = n > 0 ? find(c, n, id) : NULL;
	if (x->neg) {
		if (me)
			fail(t, "%s:%u: negative of rule %s matches it (kind %s)", r->file, x->line,
			     r->id, obs_kind_name(o->kind));
		return;
	}
	if (!me) {
		fail(t, "%s:%u: example of rule %s does not match it (kind %s)", r->file, x->line,
		     r->id, obs_kind_name(o->kind));
		return;
	}
	for (int f = 0; f < RF_COUNT; f++)
		if (x->want[f] && !same(f, x->want[f], got(me, f)))
			fail(t, "%s:%u: rule %s gives %s=\"%s\", expected \"%s\"", r->file, x->line,
			     r->id, rules_field_name(f), got(me, f), x->want[f]);
	for (int i = 0; i < n; i++) {
		if (&c[i] == me || !strcmp(c[i].vendor_raw, me->vendor_raw) ||
		    c[i].component != me->component || c[i].strength < me->strength)
			continue;
		fail(t, "%s:%u: example of rule %s (%s) is also claimed by %s (%s) at strength %s",
		     r->file, x->line, r->id, me->vendor_raw, c[i].rule, c[i].vendor_raw,
		     cand_strength_name(c[i].strength));
	}
}

int rules_selftest(const struct rules *rs, void (*report)(void *ctx, const char *msg), void *ctx,
		   int *checked)
{
	struct st t = {.report = report, .ctx = ctx};
	int runs = 0;

	for (size_t i = 0; rs && i < rs->n; i++) {
		const struct rule *r = &rs->r[i];

		for (int k = 1; k < OBS_KIND_COUNT; k++) {
			if (!(r->kinds & ((uint64_t)1 << k)))
				continue;
			for (int e = 0; e < r->nex; e++) {
				struct obs o = {.kind = (enum obs_kind)k};

				obs_set_value(&o, r->ex[e].val, r->ex[e].len);
				run_example(&t, rs, r, &r->ex[e], &o);
				runs++;
			}
		}
	}
	if (checked)
		*checked = runs;
	return t.fails;
}
