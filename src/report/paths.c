/*
 * paths.c - the report's view of `trustmap paths` (report.h): each
 * sensitive site's answer with its devices named as `trustmap paths` names
 * them (inventory id, else asset key) and placed at their sites, so that
 * the map can draw a line from the site through the sites of the devices
 * to replace to a core site, and the distinct sites of the core devices.
 * Everything is copied into the caller's arena.
 */
#include "report.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/smap.h"
#include "core/str.h"
#include "paths/paths.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* Devices ids[0..n) as names and sites in ar; 0 or TM_ENOMEM. */
static int devs(struct store *st, const int64_t *ids, size_t n, struct arena *ar, struct rep_pdev **out)
{
	struct asset_rec a;
	char num[24];

	*out = NULL;
	if (!n)
		return 0;
	if (!(*out = arena_alloc(ar, n * sizeof(**out))))
		return TM_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct rep_pdev *d = &(*out)[i];
		snprintf(num, sizeof(num), "%lld", (long long)ids[i]);
		if (store_asset_get(st, num, &a)) {
			d->name = arena_strdup(ar, num);
			d->site = "";
		} else {
			d->name = arena_strdup(ar, a.ref[0] ? a.ref : a.key);
			d->site = arena_strdup(ar, a.site);
		}
		if (!d->name || !d->site)
			return TM_ENOMEM;
	}
	return 0;
}

int rep_paths_build(struct store *st, const struct paths_result *r, const char *core, int cut_money,
		    struct arena *ar, struct rep_paths *out)
{
	struct rep_pdev *cd = NULL;
	struct smap seen = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	out->sel = arena_strdup(ar, core ? core : "");
	out->cut_money = cut_money;
	out->assets = r->assets, out->restricted = r->restricted, out->core = r->core;
	out->links = r->gs.links;
	if (!out->sel)
		return TM_ENOMEM;
	if (r->n && !(out->s = arena_alloc(ar, r->n * sizeof(*out->s))))
		return TM_ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		const struct paths_site *x = &r->s[i];
		struct rep_psite *y = &out->s[i];
		memset(y, 0, sizeof(*y));
		if (!(y->site = arena_strdup(ar, x->site)) || !(y->zone = arena_strdup(ar, x->zone)))
			return TM_ENOMEM;
		y->sensitivity = x->sensitivity, y->devices = x->devices, y->status = (int)x->status;
		y->cost = x->cost, y->cut_value = x->cut_value;
		y->nreplace = x->nreplace, y->ncut = x->ncut;
		if ((rc = devs(st, x->replace, x->nreplace, ar, &y->replace)) ||
		    (rc = devs(st, x->cut, x->ncut, ar, &y->cut)))
			return rc;
	}
	out->n = r->n;
	/* the core's distinct sites, in the order of the core devices' ids */
	if (r->core_ids && r->core > 0) {
		if ((rc = devs(st, r->core_ids, (size_t)r->core, ar, &cd)))
			return rc;
		if (!(out->core_sites = arena_alloc(ar, (size_t)r->core * sizeof(*out->core_sites))))
			return TM_ENOMEM;
		for (long i = 0; i < r->core; i++) {
			long k;
			if (!cd[i].site[0])
				continue;
			if ((k = smap_put(&seen, cd[i].site, (uint32_t)out->ncore_sites)) < 0) {
				smap_free(&seen);
				return TM_ENOMEM;
			}
			if ((size_t)k == out->ncore_sites)
				out->core_sites[out->ncore_sites++] = cd[i].site;
		}
		smap_free(&seen);
	}
	return 0;
}
