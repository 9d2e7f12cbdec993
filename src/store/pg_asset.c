/*
 * pg_asset.c - assets, evidence and topology links in the PostgreSQL
 * backend, with the same results as sqlite_asset.c and sqlite_link.c: the
 * vendor, family and site filters pick one of eight prepared queries, read
 * in pages of PG_PAGE assets by id (so a callback may call back into the
 * store); the families set and the limit after it are applied here in C.
 * Text is ordered byte-wise (COLLATE "C"), as SQLite orders it.  A clear
 * takes an advisory lock held to the end of the transaction, so two
 * rebuilds (shards of one scan finishing together) run one after the other.
 * A link put inside a batch-only transaction is kept for the batch (pg.c).
 */
#include "pg_int.h"

#include "core/buf.h"
#include "core/esc.h"
#include "core/mem.h"
#include "core/str.h"

int pg_assets_clear(struct store *st)
{
	struct pg_store *q = pg(st);
	int rc;

	if ((rc = pg_begin(st)))
		return rc;
	if ((rc = pg_run(q, PQ_ASSET_LOCK, NULL, NULL, "waiting for another rebuild of the assets")) ||
	    (rc = pg_run(q, PQ_EV_CLEAR, NULL, NULL, "clearing evidence")) ||
	    (rc = pg_run(q, PQ_ASSET_CLEAR, NULL, NULL, "clearing assets"))) {
		pg_rollback(st);
		return rc;
	}
	return pg_commit(st);
}

static int dup_key(struct pg_store *q, const struct asset_rec *a)
{
	struct buf b;
	int rc;

	buf_init(&b, 256);
	esc_term(&b, a->key, strnlen(a->key, sizeof(a->key)));
	rc = pg_err(q, TM_EINVAL, "%s: asset key \"%s\" is already present", q->where, buf_str(&b));
	buf_fini(&b);
	return rc;
}

int pg_asset_put(struct store *st, struct asset_rec *x)
{
	struct pg_store *q = pg(st);
	struct pg_args a;
	PGresult *r;
	int rc;

	pa_init(&a);
	PA_FIELD(&a, x->key);
	PA_FIELD(&a, x->mac);
	PA_FIELD(&a, x->addr);
	PA_FIELD(&a, x->scope);
	PA_FIELD(&a, x->ref);
	PA_FIELD(&a, x->site);
	PA_FIELD(&a, x->vendor);
	PA_FIELD(&a, x->family);
	PA_FIELD(&a, x->product);
	PA_FIELD(&a, x->model);
	PA_FIELD(&a, x->version);
	PA_FIELD(&a, x->role);
	pa_f64(&a, x->conf);
	pa_i64(&a, x->flags);
	PA_FIELD(&a, x->declared_vendor);
	PA_FIELD(&a, x->component_vendor);
	PA_FIELD(&a, x->hint_vendor);
	pa_i64(&a, x->first_seen);
	pa_i64(&a, x->last_seen);
	pa_i64(&a, x->n_obs);
	rc = pg_run(q, PQ_ASSET_PUT, &a, &r, "storing an asset");
	pa_fini(&a);
	if (!rc)
		x->id = pg_i64(r, 0, 0);
	else if (rc == TM_EINVAL)
		rc = dup_key(q, x);
	PQclear(r);
	return rc;
}

int pg_evidence_put(struct store *st, const struct ev_rec *e)
{
	struct pg_store *q = pg(st);
	struct pg_args a;
	PGresult *r;
	int rc;

	pa_init(&a);
	pa_i64(&a, e->asset_id);
	if (e->obs_id > 0)
		pa_i64(&a, e->obs_id);
	else
		pa_null(&a);
	PA_FIELD(&a, e->kind);
	PA_FIELD(&a, e->vendor);
	PA_FIELD(&a, e->vendor_raw);
	PA_FIELD(&a, e->product);
	PA_FIELD(&a, e->version);
	PA_FIELD(&a, e->rule);
	pa_i64(&a, e->strength);
	pa_f64(&a, e->conf);
	pa_i64(&a, e->conflict);
	rc = pg_run(q, PQ_EV_PUT, &a, &r, "storing evidence");
	pa_fini(&a);
	if (!rc) { /* no row inserted: the INSERT's WHERE found no such asset or observation */
		if (strcmp(PQcmdTuples(r), "1"))
			rc = pg_err(q, TM_EINVAL, "%s: evidence names an unknown asset (%lld) or observation (%lld)",
				    q->where, (long long)e->asset_id, (long long)e->obs_id);
		PQclear(r);
	}
	return rc;
}

static void asset_row(const PGresult *r, int i, struct asset_rec *a)
{
	memset(a, 0, sizeof(*a));
	a->id = pg_i64(r, i, 0);
	PG_COL_FIELD(r, i, 1, a->key);
	PG_COL_FIELD(r, i, 2, a->mac);
	PG_COL_FIELD(r, i, 3, a->addr);
	PG_COL_FIELD(r, i, 4, a->scope);
	PG_COL_FIELD(r, i, 5, a->ref);
	PG_COL_FIELD(r, i, 6, a->site);
	PG_COL_FIELD(r, i, 7, a->vendor);
	PG_COL_FIELD(r, i, 8, a->family);
	PG_COL_FIELD(r, i, 9, a->product);
	PG_COL_FIELD(r, i, 10, a->model);
	PG_COL_FIELD(r, i, 11, a->version);
	PG_COL_FIELD(r, i, 12, a->role);
	a->conf = pg_f64(r, i, 13);
	a->flags = (unsigned)pg_i64(r, i, 14);
	PG_COL_FIELD(r, i, 15, a->declared_vendor);
	PG_COL_FIELD(r, i, 16, a->component_vendor);
	PG_COL_FIELD(r, i, 17, a->hint_vendor);
	a->first_seen = pg_i64(r, i, 18);
	a->last_seen = pg_i64(r, i, 19);
	a->n_obs = (int)pg_i64(r, i, 20);
}

int pg_asset_iter(struct store *st, const struct asset_filter *f, store_asset_fn fn, void *ctx)
{
	struct pg_store *q = pg(st);
	enum pg_id id = PQ_ASSET_PAGE + (f->vendor ? 1 : 0) + (f->family ? 2 : 0) + (f->site ? 4 : 0);
	long left = f->limit > 0 ? f->limit : -1;
	int64_t last = 0;
	struct asset_rec x;
	int rc, stop = 0, n;

	do {
		struct pg_args a;
		PGresult *r;

		pa_init(&a);
		pa_f64(&a, f->min_conf);
		pa_text(&a, f->vendor, 4096);
		pa_text(&a, f->family, 4096);
		pa_text(&a, f->site, 4096);
		pa_i64(&a, last);
		pa_i64(&a, PG_PAGE);
		rc = pg_run(q, id, &a, &r, "reading assets");
		pa_fini(&a);
		if (rc)
			return rc;
		n = PQntuples(r);
		for (int i = 0; !stop && left && i < n; i++) {
			asset_row(r, i, &x);
			last = x.id;
			if (!store_filter_families(f, &x))
				continue;
			stop = fn(ctx, &x);
			if (left > 0)
				left--;
		}
		PQclear(r);
	} while (!stop && left && n == PG_PAGE);
	return stop;
}

int pg_asset_get(struct store *st, const char *id_or_key, struct asset_rec *out)
{
	struct pg_store *q = pg(st);
	enum pg_id which = PQ_ASSET_BY_KEY;
	struct pg_args a;
	PGresult *r;
	int64_t id;
	int rc;

	pa_init(&a);
	if (str_to_i64(id_or_key, strlen(id_or_key), &id) && id > 0) {
		which = PQ_ASSET_BY_ID;
		pa_i64(&a, id);
	} else {
		pa_text(&a, id_or_key, 4096);
	}
	rc = pg_run(q, which, &a, &r, "reading an asset");
	pa_fini(&a);
	if (rc)
		return rc;
	if (PQntuples(r) == 1)
		asset_row(r, 0, out);
	else
		rc = pg_err(q, TM_ENOTFOUND, "%s: no such asset", q->where);
	PQclear(r);
	return rc;
}

static void ev_row(const PGresult *r, int i, struct ev_rec *e)
{
	int n;

	memset(e, 0, sizeof(*e));
	e->asset_id = pg_i64(r, i, 0);
	e->obs_id = pg_i64(r, i, 1);
	PG_COL_FIELD(r, i, 2, e->kind);
	PG_COL_FIELD(r, i, 3, e->vendor);
	PG_COL_FIELD(r, i, 4, e->vendor_raw);
	PG_COL_FIELD(r, i, 5, e->product);
	PG_COL_FIELD(r, i, 6, e->version);
	PG_COL_FIELD(r, i, 7, e->rule);
	e->strength = (int)pg_i64(r, i, 8);
	e->conf = pg_f64(r, i, 9);
	e->conflict = (int)pg_i64(r, i, 10);
	e->value = (const uint8_t *)PQgetvalue(r, i, 11);
	n = pg_isnull(r, i, 11) ? 0 : PQgetlength(r, i, 11);
	e->len = n > 0 ? (size_t)n : 0;
	if (!e->len)
		e->value = (const uint8_t *)"";
	if (e->len > OBS_VALUE_MAX)
		e->len = OBS_VALUE_MAX;
}

int pg_evidence_iter(struct store *st, int64_t asset_id, store_ev_fn fn, void *ctx)
{
	struct pg_args a;
	struct ev_rec e;
	PGresult *r;
	int rc, stop = 0;

	pa_init(&a);
	pa_i64(&a, asset_id);
	if ((rc = pg_run(pg(st), PQ_EV_ITER, &a, &r, "reading evidence")))
		return rc;
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		ev_row(r, i, &e);
		stop = fn(ctx, &e);
	}
	PQclear(r);
	return stop;
}

void pg_link_args(struct pg_args *a, const struct link_rec *l)
{
	if (l->run_id)
		pa_i64(a, l->run_id);
	else
		pa_null(a);
	PA_FIELD(a, l->a_key);
	PA_FIELD(a, l->a_port);
	PA_FIELD(a, l->b_key);
	PA_FIELD(a, l->b_port);
	PA_FIELD(a, l->source);
	pa_i64(a, l->first_seen);
	pa_i64(a, l->last_seen);
}

/*
 * Inside a transaction that holds only kept rows, the link is kept too (the
 * upsert is sent at commit with the batch, which stays replayable after a
 * lost connection); else it is sent now.
 */
int pg_link_put(struct store *st, const struct link_rec *l)
{
	struct pg_store *q = pg(st);
	struct pg_args a;
	int rc;

	if (pg_keeping(q)) {
		if (q->nlinks == q->caplinks) {
			int n = q->caplinks ? q->caplinks * 2 : 16;
			struct link_rec *v = n < (1 << 20) ? mem_realloc(q->links, (size_t)n * sizeof(*v)) : NULL;

			if (!v)
				return pg_err(q, TM_ENOMEM, "%s: out of memory keeping a link", q->where);
			q->links = v;
			q->caplinks = n;
		}
		q->links[q->nlinks++] = *l;
		return 0;
	}
	pa_init(&a);
	pg_link_args(&a, l);
	rc = pg_run(q, PQ_LINK_PUT, &a, NULL, "storing a link");
	pa_fini(&a);
	return rc;
}

static void link_row(const PGresult *r, int i, struct link_rec *l)
{
	memset(l, 0, sizeof(*l));
	l->id = pg_i64(r, i, 0);
	l->run_id = pg_i64(r, i, 1);
	PG_COL_FIELD(r, i, 2, l->a_key);
	PG_COL_FIELD(r, i, 3, l->a_port);
	PG_COL_FIELD(r, i, 4, l->b_key);
	PG_COL_FIELD(r, i, 5, l->b_port);
	PG_COL_FIELD(r, i, 6, l->source);
	l->first_seen = pg_i64(r, i, 7);
	l->last_seen = pg_i64(r, i, 8);
}

int pg_link_iter(struct store *st, store_link_fn fn, void *ctx)
{
	struct link_rec l;
	PGresult *r;
	int rc, stop = 0;

	if ((rc = pg_run(pg(st), PQ_LINK_ITER, NULL, &r, "reading links")))
		return rc;
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		link_row(r, i, &l);
		stop = fn(ctx, &l);
	}
	PQclear(r);
	return stop;
}

/* Text column c of row i ("" for NULL: libpq ends every value with a NUL, binary ones too). */
static const char *col_text(const PGresult *r, int i, int c)
{
	return PQgetisnull(r, i, c) ? "" : PQgetvalue(r, i, c);
}

int pg_asset_scan(struct store *st, store_asset_view_fn fn, void *ctx)
{
	struct pg_store *q = pg(st);
	struct asset_view v;
	int64_t last = 0;
	int rc, stop = 0, n;

	do {
		struct pg_args a;
		PGresult *r;

		pa_init(&a);
		pa_i64(&a, last);
		pa_i64(&a, PG_PAGE);
		rc = pg_run(q, PQ_ASSET_SCAN_PAGE, &a, &r, "reading assets");
		pa_fini(&a);
		if (rc)
			return rc;
		n = PQntuples(r);
		for (int i = 0; !stop && i < n; i++) {
			v.id = last = pg_i64(r, i, 0);
			v.key = col_text(r, i, 1);
			v.addr = col_text(r, i, 2);
			v.ref = col_text(r, i, 3);
			v.site = col_text(r, i, 4);
			v.vendor = col_text(r, i, 5);
			v.product = col_text(r, i, 6);
			v.model = col_text(r, i, 7);
			v.role = col_text(r, i, 8);
			v.component_vendor = col_text(r, i, 9);
			v.hint_vendor = col_text(r, i, 10);
			v.conf = pg_f64(r, i, 11);
			v.flags = (unsigned)pg_i64(r, i, 12);
			stop = fn(ctx, &v);
		}
		PQclear(r);
	} while (!stop && n == PG_PAGE);
	return stop;
}
