/*
 * fuse.c - combines one asset's candidates into an attribution (attr.h).
 *
 * Candidates are grouped by corporate family (a HiSilicon chip and a Huawei
 * banner agree).  Within a family, independent pieces of evidence combine by
 * noisy-or; the same rule seen again (the same banner in five scans) counts
 * once.  The family with the highest combined score wins, provided at least
 * one of its pieces is stronger than weak: weak evidence alone never claims a
 * vendor, it only leaves a hint.  Other families with non-weak evidence are
 * conflicts and lower the confidence (the winner's odds against the strongest
 * rival); an OUI naming another equipment maker
 * than the device evidence is the OEM/component case and is kept as such.
 * Declared (inventory) vendors are compared with what was observed, and only
 * stand alone when nothing was observed.
 */
#include "attr.h"
#include "../core/str.h"
#include "../kb/vendor.h"

#include <string.h>

#define FUSE_MAX 512 /* candidates considered per asset; the rest (weakest) are ignored */
#define FAM_MAX 32

struct fam {
	int family;
	float miss;	       /* product of (1 - conf) over distinct evidence */
	enum ev_strength top;  /* strongest piece */
	int best;	       /* index of its strongest candidate */
	int only_oui;	       /* every piece is a MAC/OUI */
};

static int stronger(const struct cand *a, const struct cand *b)
{
	if (a->strength != b->strength)
		return a->strength > b->strength;
	return a->conf > b->conf;
}

static void sort_cands(struct cand *c, int n)
{
	for (int i = 1; i < n; i++) {
		struct cand t = c[i];
		int j = i;

		while (j > 0 && stronger(&t, &c[j - 1])) {
			c[j] = c[j - 1];
			j--;
		}
		c[j] = t;
	}
}

static int is_declared(const struct cand *c)
{
	return !strncmp(c->rule, "declared:", 9);
}

static int is_oui(const struct cand *c)
{
	return !strncmp(c->rule, "oui:", 4);
}

static int is_component(const struct vreg *vr, const struct cand *c)
{
	const struct vendor *v = vreg_get(vr, c->vendor);

	return c->component || (v && v->kind != VENDOR_EQUIPMENT);
}

/* A repeat of an earlier candidate: same vendor and same rule. */
static int repeated(const struct cand *c, int i)
{
	for (int j = 0; j < i; j++)
		if (c[j].vendor == c[i].vendor && !strcmp(c[j].rule, c[i].rule))
			return 1;
	return 0;
}

static struct fam *fam_of(struct fam *f, int *nf, int family, int idx)
{
	for (int i = 0; i < *nf; i++)
		if (f[i].family == family)
			return &f[i];
	if (*nf >= FAM_MAX)
		return NULL;
	f[*nf] = (struct fam){family, 1.0f, EV_NONE, idx, 1};
	return &f[(*nf)++];
}

/*
 * A device's role is where it sits in the network, which the operator's
 * inventory knows better than a banner: the declared role ("declared:role")
 * wins; an observed role of the winning family stands in when none is
 * declared (it stays in the evidence either way), then any candidate's.
 */
static void fill_fields(struct attribution *a, const struct cand *c, int n, const struct vreg *vr)
{
	for (int i = 0; i < n && !a->role[0]; i++)
		if (!strcmp(c[i].rule, "declared:role"))
			str_set(a->role, sizeof(a->role), c[i].role);
	for (int i = 0; i < n; i++) {
		const struct cand *x = &c[i];

		if (x->vendor < 0 || vreg_family(vr, x->vendor, -1) != a->family ||
		    is_component(vr, x))
			continue;
		if (!a->product[0])
			str_set(a->product, sizeof(a->product), x->product);
		if (!a->model[0])
			str_set(a->model, sizeof(a->model), x->model);
		if (!a->version[0] && (!x->product[0] || !strcmp(x->product, a->product)))
			str_set(a->version, sizeof(a->version), x->version);
		if (!a->os[0])
			str_set(a->os, sizeof(a->os), x->os);
		if (!a->role[0] && !is_declared(x))
			str_set(a->role, sizeof(a->role), x->role);
	}
	/* else a role our rules give a declared model */
	for (int i = 0; i < n && !a->role[0]; i++)
		str_set(a->role, sizeof(a->role), c[i].role);
}

void attr_fuse(const struct vreg *vr, struct cand *c, int n, struct attribution *a)
{
	struct fam fams[FAM_MAX];
	int nf = 0, win = -1, comp = -1, weak = -1;
	float other = 0, other_oui = 0;

	memset(a, 0, sizeof(*a));
	a->vendor = a->family = a->declared_vendor = a->component_vendor = a->hint_vendor = -1;
	a->best = -1;
	if (n > FUSE_MAX)
		n = FUSE_MAX;
	sort_cands(c, n);
	for (int i = 0; i < n; i++) {
		struct cand *x = &c[i];
		struct fam *f;

		if (x->strength == EV_NONE) {
			if (!strcmp(x->rule, "mac:local"))
				a->flags |= ATTR_RANDOM_MAC;
			continue;
		}
		if (x->vendor < 0 || repeated(c, i))
			continue;
		if (is_declared(x)) {
			if (a->declared_vendor < 0)
				a->declared_vendor = x->vendor;
			continue;
		}
		if (is_component(vr, x)) {
			if (comp < 0)
				comp = i;
			continue;
		}
		f = fam_of(fams, &nf, vreg_family(vr, x->vendor, -1), i);
		if (!f)
			continue;
		f->miss *= 1.0f - x->conf;
		if (x->strength > f->top)
			f->top = x->strength;
		if (!is_oui(x))
			f->only_oui = 0;
	}
	for (int i = 0; i < nf; i++) {
		if (fams[i].top <= EV_WEAK) {
			if (weak < 0 || fams[i].miss < fams[weak].miss)
				weak = i;
			continue;
		}
		if (win < 0 || fams[i].miss < fams[win].miss)
			win = i;
	}
	if (win >= 0) {
		struct cand *b = &c[fams[win].best];

		a->best = fams[win].best;
		a->vendor = b->vendor;
		a->family = fams[win].family;
		for (int i = 0; i < nf; i++) {
			float s = 1.0f - fams[i].miss;

			if (i == win || fams[i].top <= EV_WEAK)
				continue;
			if (fams[i].only_oui) {
				if (s > other_oui)
					other_oui = s;
				a->flags |= ATTR_OEM;
				if (a->component_vendor < 0)
					a->component_vendor = c[fams[i].best].vendor;
			} else if (s > other) {
				other = s;
			}
			a->flags |= ATTR_CONFLICT;
		}
		/*
		 * Odds of the winner against the strongest rival, as if each were
		 * independent evidence; a rival that is only an OUI (the OEM case)
		 * counts half.
		 */
		float sw = 1.0f - fams[win].miss, o = other > 0.5f * other_oui ? other : 0.5f * other_oui;
		a->conf = o > 0 ? sw * (1 - o) / (sw * (1 - o) + o * (1 - sw)) : sw;
		fill_fields(a, c, n, vr);
	} else {
		if (weak >= 0) {
			a->flags |= ATTR_WEAK_ONLY;
			a->hint_vendor = c[fams[weak].best].vendor;
		}
		if (a->declared_vendor >= 0) {
			a->vendor = a->declared_vendor;
			a->family = vreg_family(vr, a->vendor, -1);
			a->flags |= ATTR_DECLARED_ONLY;
			for (int i = 0; i < n; i++)
				if (is_declared(&c[i]) && c[i].vendor == a->vendor) {
					a->best = i;
					a->conf = c[i].conf;
					break;
				}
			fill_fields(a, c, n, vr);
		} else if (comp >= 0 && c[comp].component) {
			a->flags |= ATTR_AGENT_ONLY;
		}
		if (!a->role[0])
			fill_fields(a, c, n, vr);
	}
	if (comp >= 0 && a->component_vendor < 0 &&
	    (a->family < 0 || vreg_family(vr, c[comp].vendor, -1) != a->family))
		a->component_vendor = c[comp].vendor;
	if (a->declared_vendor >= 0 && !(a->flags & ATTR_DECLARED_ONLY) && a->family >= 0) {
		if (vreg_family(vr, a->declared_vendor, -1) != a->family)
			a->flags |= ATTR_DECLARED_MISMATCH;
		else
			a->conf = 1.0f - (1.0f - a->conf) * 0.7f; /* the inventory agrees */
	}
}

int attr_agrees(const struct vreg *vr, const struct attribution *a, const struct cand *c)
{
	if (c->vendor < 0 || a->family < 0)
		return 1;
	return vreg_family(vr, c->vendor, -1) == a->family;
}

const char *attr_flag_names(unsigned flags, char *out, unsigned long outlen)
{
	static const char *const names[] = {"conflict", "oem", "weak-only", "declared-mismatch",
					    "declared-only", "random-mac", "agent-only"};
	size_t n = 0;

	if (outlen)
		out[0] = 0;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & (1u << i)))
			continue;
		n += str_copy(out + n, outlen - n, n ? "," : "", 1);
		n += str_set(out + n, outlen - n, names[i]);
	}
	return out;
}
