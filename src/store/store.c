/*
 * store.c - the front of the store: picks a backend from the URL given to
 * store_open() (a table of scheme prefixes, like curl's vtls selection),
 * checks the arguments every backend would otherwise check alike, and
 * forwards each call through the handle's struct store_ops (store_int.h).
 */
#include "store_int.h"
#include "core/buf.h"
#include "core/str.h"

#include <string.h>

struct scheme {
	const char *prefix;	    /* matched at the start of the URL */
	int strip;		    /* remove the prefix before handing the URL on */
	const struct store_ops *ops; /* NULL: known but not built in */
};

static const struct scheme schemes[] = {
	{"postgresql://", 0, &store_pg_ops},
	{"postgres://", 0, &store_pg_ops},
	{"sqlite:", 1, &store_sqlite_ops},
};

int store_open(struct store **out, const char *url, char *eb, size_t el)
{
	const struct store_ops *ops = &store_sqlite_ops;
	const char *target = url && *url ? url : STORE_DEFAULT_URL;

	if (!out)
		return err_set(eb, el, TM_EINVAL, "store: no place for the handle");
	*out = NULL;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i].prefix);

		if (strncmp(target, schemes[i].prefix, n))
			continue;
		if (!schemes[i].ops)
			return err_set(eb, el, TM_EUNSUP,
				       "store: %.*s URLs are not supported by this build (only SQLite files)",
				       (int)(n - 3), schemes[i].prefix);
		ops = schemes[i].ops;
		if (schemes[i].strip)
			target += n;
		break;
	}
	if (!*target)
		target = STORE_DEFAULT_URL;
	return ops->open(out, target, eb, el);
}

int store_url_redact(char *out, size_t n, const char *url)
{
	const char *p = url, *q, *auth, *end, *at = NULL, *colon = NULL;
	struct buf b;
	int cut = 0;

	buf_init(&b, 0);
	if (strncmp(url, "postgresql://", 13) && strncmp(url, "postgres://", 11)) {
		str_set(out, n, url);
		return 0;
	}
	auth = strstr(url, "//") + 2;
	end = auth + strcspn(auth, "/?#");
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	for (p = auth; at && p < at; p++)
		if (*p == ':') {
			colon = p;
			break;
		}
	if (colon) {
		buf_add(&b, url, (size_t)(colon - url));
		p = at;
		cut = 1;
	} else {
		p = url;
	}
	buf_add(&b, p, (size_t)(end - p));
	p = end;
	q = p + strcspn(p, "?#"); /* the path as is, then the query's parameters one by one */
	buf_add(&b, p, (size_t)(q - p));
	p = q;
	for (int first = 1; *p == '?' || *p == '&';) { /* a '?' inside the query separates too, to be safe */
		char sep = *p++;
		size_t k = strcspn(p, "?&#");

		if (!strncmp(p, "password=", 9)) {
			cut = 1;
		} else {
			buf_addc(&b, first ? '?' : sep);
			buf_add(&b, p, k);
			first = 0;
		}
		p += k;
	}
	/* a fragment means nothing to libpq: left out */
	str_set(out, n, b.p ? buf_str(&b) : "");
	buf_fini(&b);
	return cut;
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

const char *store_errmsg(struct store *st)
{
	return st ? st->err : "no store";
}

/* Records a message for an argument error found here, before dispatch. */
static int bad_arg(struct store *st, const char *what)
{
	return err_set(st->err, sizeof(st->err), TM_EINVAL, "store: %s", what);
}

#define NEED_ST()                       \
	do {                            \
		if (!st)                \
			return TM_EINVAL; \
	} while (0)

int store_begin(struct store *st) { NEED_ST(); return st->ops->begin(st); }
int store_begin_rebuild(struct store *st)
{
	NEED_ST();
	return st->ops->begin_rebuild ? st->ops->begin_rebuild(st) : st->ops->begin(st);
}
int store_commit(struct store *st) { NEED_ST(); return st->ops->commit(st); }
int store_rollback(struct store *st) { NEED_ST(); return st->ops->rollback(st); }
int store_check(struct store *st) { NEED_ST(); return st->ops->check(st); }

int store_set_busy_timeout(struct store *st, int ms)
{
	NEED_ST();
	if (ms < 0)
		return bad_arg(st, "negative busy timeout");
	return st->ops->set_busy_timeout(st, ms);
}

void store_set_wait_hook(struct store *st, store_wait_fn fn, void *ctx)
{
	if (st) {
		st->wait = fn;
		st->wait_ctx = ctx;
	}
}

void store_set_give_up(struct store *st, const volatile int *flag)
{
	if (st)
		st->give_up = flag;
}

void store_set_kb(struct store *st, const char *kb)
{
	if (st)
		str_set(st->kb, sizeof(st->kb), kb ? kb : "");
}

int store_run_start(struct store *st, const char *kind, const char *args, int64_t *run_id)
{
	NEED_ST();
	if (!kind || !*kind)
		return bad_arg(st, "run without a kind");
	return st->ops->run_start(st, kind, args ? args : "", run_id);
}

int store_run_finish(struct store *st, int64_t run_id, long n_obs, long n_skipped, const char *status)
{
	NEED_ST();
	return st->ops->run_finish(st, run_id, n_obs, n_skipped, status ? status : "ok");
}

int store_run_shard(struct store *st, int64_t run_id, const char *scan, int shard, int nshards,
		    int64_t pairs_total)
{
	NEED_ST();
	if (shard < 0 || nshards < 0 || shard > nshards || (nshards && !shard) || pairs_total < 0)
		return bad_arg(st, "shard I/N wants 1 <= I <= N (or 0 0) and pairs >= 0");
	return st->ops->run_shard(st, run_id, scan ? scan : "", shard, nshards, pairs_total);
}

int store_run_progress(struct store *st, int64_t run_id, int64_t pairs_done)
{
	NEED_ST();
	if (pairs_done < 0)
		return bad_arg(st, "negative progress");
	return st->ops->run_progress(st, run_id, pairs_done);
}

int store_run_resume_put(struct store *st, int64_t run_id, const char *state)
{
	NEED_ST();
	if (!state)
		return bad_arg(st, "no resume state");
	if (!st->ops->run_resume_put)
		return err_set(st->err, sizeof(st->err), TM_EUNSUP, "store: this backend cannot resume a scan");
	return st->ops->run_resume_put(st, run_id, state);
}

int store_run_resume_get(struct store *st, int64_t run_id, char **state)
{
	NEED_ST();
	if (!state)
		return bad_arg(st, "no place for the resume state");
	*state = NULL;
	if (!st->ops->run_resume_get)
		return err_set(st->err, sizeof(st->err), TM_EUNSUP, "store: this backend cannot resume a scan");
	return st->ops->run_resume_get(st, run_id, state);
}

int store_run_iter(struct store *st, store_run_fn fn, void *ctx)
{
	NEED_ST();
	if (!fn)
		return bad_arg(st, "no callback");
	return st->ops->run_iter(st, fn, ctx);
}

int store_obs_add(struct store *st, int64_t run_id, const struct obs *o, int64_t *obs_id)
{
	NEED_ST();
	if (!o || (o->len && !o->value))
		return bad_arg(st, "observation without its value");
	return st->ops->obs_add(st, run_id, o, obs_id);
}

int store_obs_add_many(struct store *st, int64_t run_id, const struct obs *o, int n, int *nfailed)
{
	int rc = 0, e, bad = 0, done = 0;

	if (nfailed)
		*nfailed = 0;
	NEED_ST();
	if (!o || n <= 0)
		return 0;
	for (int i = 0; i < n; i++)
		bad |= o[i].len && !o[i].value;
	/* many a statement; from a statement that fails (or with a row lacking its value), row by row */
	if (!bad && st->ops->obs_add_many && !st->ops->obs_add_many(st, run_id, o, n, &done))
		return 0;
	for (int i = done; i < n; i++)
		if ((e = store_obs_add(st, run_id, &o[i], NULL))) {
			rc = e;
			if (nfailed)
				(*nfailed)++;
		}
	return rc;
}

int store_obs_iter(struct store *st, store_obs_fn fn, void *ctx)
{
	NEED_ST();
	if (!fn)
		return bad_arg(st, "no callback");
	return st->ops->obs_iter(st, fn, ctx);
}

int store_obs_iter_run(struct store *st, int64_t run_id, store_obs_fn fn, void *ctx)
{
	NEED_ST();
	if (!fn)
		return bad_arg(st, "no callback");
	if (!st->ops->obs_iter_run)
		return err_set(st->err, sizeof(st->err), TM_EUNSUP, "store: this backend cannot read one run's observations");
	return st->ops->obs_iter_run(st, run_id, fn, ctx);
}

int64_t store_obs_count(struct store *st)
{
	NEED_ST();
	return st->ops->obs_count(st);
}

int store_site_put(struct store *st, const struct site_rec *s)
{
	NEED_ST();
	if (!s || !s->id[0])
		return bad_arg(st, "site without an id");
	return st->ops->site_put(st, s);
}

int store_site_get(struct store *st, const char *id, struct site_rec *out)
{
	NEED_ST();
	if (!id || !out)
		return bad_arg(st, "site_get without an id or a place for the result");
	return st->ops->site_get(st, id, out);
}

int store_site_iter(struct store *st, store_site_fn fn, void *ctx)
{
	NEED_ST();
	if (!fn)
		return bad_arg(st, "no callback");
	return st->ops->site_iter(st, fn, ctx);
}

int store_site_scan(struct store *st, store_site_view_fn fn, void *ctx)
{
	NEED_ST();
	if (!fn)
		return bad_arg(st, "no callback");
	return st->ops->site_scan(st, fn, ctx);
}

int store_assets_clear(struct store *st)
{
	NEED_ST();
	return st->ops->assets_clear(st);
}

int store_asset_put(struct store *st, struct asset_rec *a)
{
	NEED_ST();
	if (!a || !a->key[0])
		return bad_arg(st, "asset without a key");
	return st->ops->asset_put(st, a);
}

int store_evidence_put(struct store *st, const struct ev_rec *e)
{
	NEED_ST();
	if (!e || e->asset_id <= 0)
		return bad_arg(st, "evidence without an asset");
	return st->ops->evidence_put(st, e);
}

int store_evidence_put_many(struct store *st, const struct ev_rec *e, int n)
{
	int ok, rc = 0;

	NEED_ST();
	if (!e || n <= 0)
		return 0;
	for (ok = 0; ok < n && e[ok].asset_id > 0; ok++)
		;
	/* the rows before one without an asset are stored, as one call a row would */
	if (ok && st->ops->evidence_put_many)
		rc = st->ops->evidence_put_many(st, e, ok);
	else
		for (int i = 0; i < ok && !rc; i++)
			rc = st->ops->evidence_put(st, &e[i]);
	if (!rc && ok < n)
		rc = bad_arg(st, "evidence without an asset");
	return rc;
}

int store_asset_iter(struct store *st, const struct asset_filter *f, store_asset_fn fn, void *ctx)
{
	static const struct asset_filter all;

	NEED_ST();
	if (!fn)
		return bad_arg(st, "no callback");
	return st->ops->asset_iter(st, f ? f : &all, fn, ctx);
}

int store_asset_scan(struct store *st, store_asset_view_fn fn, void *ctx)
{
	NEED_ST();
	if (!fn)
		return bad_arg(st, "no callback");
	return st->ops->asset_scan(st, fn, ctx);
}

int store_asset_pick(struct store *st, store_vendor_pick_fn pick, store_asset_site_fn fn, void *ctx,
		     long *n_assets, long *n_sites)
{
	long na, ns;

	NEED_ST();
	if (!pick || !fn)
		return bad_arg(st, "no callback");
	if (!st->ops->asset_pick)
		return err_set(st->err, sizeof(st->err), TM_EUNSUP, "store: this backend cannot pick assets by vendor");
	return st->ops->asset_pick(st, pick, fn, ctx, n_assets ? n_assets : &na, n_sites ? n_sites : &ns);
}

int store_asset_get(struct store *st, const char *id_or_key, struct asset_rec *out)
{
	NEED_ST();
	if (!id_or_key || !*id_or_key || !out)
		return bad_arg(st, "asset_get without an id or key or a place for the result");
	return st->ops->asset_get(st, id_or_key, out);
}

int store_evidence_iter(struct store *st, int64_t asset_id, store_ev_fn fn, void *ctx)
{
	NEED_ST();
	if (!fn)
		return bad_arg(st, "no callback");
	return st->ops->evidence_iter(st, asset_id, fn, ctx);
}

int store_filter_families(const struct asset_filter *f, const struct asset_rec *a)
{
	if (!f->families)
		return 1;
	for (const char *const *p = f->families; *p; p++)
		if (!strncmp(*p, a->family, sizeof(a->family)))
			return 1;
	return 0;
}

int store_link_put(struct store *st, const struct link_rec *l)
{
	NEED_ST();
	if (!l || !l->a_key[0] || !l->b_key[0])
		return bad_arg(st, "link without both ends");
	return st->ops->link_put(st, l);
}

int store_link_iter(struct store *st, store_link_fn fn, void *ctx)
{
	NEED_ST();
	if (!fn)
		return bad_arg(st, "no callback");
	return st->ops->link_iter(st, fn, ctx);
}
