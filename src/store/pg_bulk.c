/*
 * pg_bulk.c - a rebuild of the assets written in bulk (PostgreSQL backend):
 * after store_assets_clear() inside a transaction, every asset and evidence
 * row is kept in the handle as a binary COPY tuple and sent in one COPY per
 * table when the kept rows reach PG_BULK_BYTES, before any other statement
 * (so reads in the transaction see them) and at commit, instead of one
 * INSERT and one round trip per row: a shard's final rebuild of 262,144
 * assets wrote some two million rows one by one for minutes.
 *
 * What the row-by-row path answered at once is still answered at once: an
 * asset's id (taken from the identity's own sequence, PG_BULK_IDS and more
 * at a time, so ids stay unique whoever else inserts), a key already put
 * (kept keys in a hash set: after the clear, the transaction's own puts are
 * the only assets, the clear's advisory lock keeping other rebuilds out),
 * and evidence of an asset not put (kept ids, increasing: a binary search).
 * Only evidence naming an unknown observation is refused later, at the
 * commit (TM_EINVAL), which fails the transaction as it would have anyway:
 * evidence has no foreign keys (schema version 7), so pg_bulk_check asks
 * once, by one anti-join, instead of the server checking each row as it
 * arrives -- and only when some evidence names an observation this handle
 * did not read (a rebuild names only those it read; observations are never
 * deleted).  A savepoint ends the keeping (what it kept is sent first), as
 * do commit and rollback.
 */
#include "pg_int.h"

#include <stdlib.h>

#include "core/esc.h"
#include "core/mem.h"

#define PG_BULK_BYTES (4u << 20) /* kept bytes before a send */
#define PG_BULK_IDS 1024	  /* ids asked for at first; doubling up to PG_BULK_IDS_MAX */
#define PG_BULK_IDS_MAX 65536

struct pg_bulk {
	struct buf a, e;  /* kept tuples: assets, evidence */
	long na, ne;
	int64_t *ids;	  /* ids given to this rebuild's assets, increasing */
	size_t nids, capids;
	int64_t *res;	  /* reserved, not given yet: res[rpos..nres) */
	size_t nres, rpos, capres, ask;
	struct buf keys;  /* the keys put, each with its NUL */
	uint32_t *slot;	  /* hash -> offset + 1 into keys, 0 empty */
	size_t nslot, nkeys;
};

static uint32_t key_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static int keys_grow(struct pg_bulk *b)
{
	size_t ns = b->nslot ? b->nslot * 2 : 4096;
	uint32_t *slot = mem_calloc(ns, sizeof(*slot));

	if (!slot)
		return TM_ENOMEM;
	for (size_t i = 0; i < b->nslot; i++) {
		const char *k;
		size_t h;

		if (!b->slot[i])
			continue;
		k = b->keys.p + b->slot[i] - 1;
		for (h = key_hash(k, strlen(k)) & (ns - 1); slot[h]; h = (h + 1) & (ns - 1))
			;
		slot[h] = b->slot[i];
	}
	mem_free(b->slot);
	b->slot = slot;
	b->nslot = ns;
	return 0;
}

/* Adds key[n] to the set: 0, 1 when it was there already, TM_ENOMEM. */
static int keys_add(struct pg_bulk *b, const char *key, size_t n)
{
	size_t h, off;

	if ((b->nkeys + 1) * 2 > b->nslot && keys_grow(b))
		return TM_ENOMEM;
	for (h = key_hash(key, n) & (b->nslot - 1); b->slot[h]; h = (h + 1) & (b->nslot - 1)) {
		const char *k = b->keys.p + b->slot[h] - 1;

		if (!strncmp(k, key, n) && !k[n])
			return 1;
	}
	off = b->keys.len;
	if (off >= UINT32_MAX - n - 1 || buf_add(&b->keys, key, n) || buf_addc(&b->keys, 0))
		return TM_ENOMEM;
	b->slot[h] = (uint32_t)off + 1;
	b->nkeys++;
	return 0;
}

static int id_known(const struct pg_bulk *b, int64_t id)
{
	size_t lo = 0, hi = b->nids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->ids[mid] == id)
			return 1;
		if (b->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, c = *(const int64_t *)y;

	return a < c ? -1 : a > c;
}

/* Asks the sequence for the next block of ids. */
static int reserve(struct pg_store *q, struct pg_bulk *b)
{
	struct pg_args a;
	PGresult *r;
	int rc = 0, n;

	pa_init(&a);
	pa_i64(&a, (int64_t)b->ask);
	r = pg_exec(q, PQ_ASSET_IDS, &a);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = pg_fail(q, r, "numbering assets");
		PQclear(r);
		return rc;
	}
	n = PQntuples(r);
	if (n < 1 || (size_t)n > b->capres) {
		int64_t *v = n > 0 ? mem_realloc(b->res, (size_t)n * sizeof(*v)) : NULL;

		if (!v) {
			PQclear(r);
			return n > 0 ? pg_err(q, TM_ENOMEM, "%s: out of memory numbering assets", q->where)
				     : pg_err(q, TM_EDB, "%s: numbering assets: no ids", q->where);
		}
		b->res = v;
		b->capres = (size_t)n;
	}
	for (int i = 0; i < n; i++)
		b->res[i] = pg_i64(r, i, 0);
	PQclear(r);
	qsort(b->res, (size_t)n, sizeof(*b->res), cmp_i64);
	if (b->nids && b->res[0] <= b->ids[b->nids - 1]) /* a sequence only goes up: cannot happen */
		return pg_err(q, TM_EDB, "%s: numbering assets: the ids' sequence went back", q->where);
	b->nres = (size_t)n;
	b->rpos = 0;
	if (b->ask < PG_BULK_IDS_MAX)
		b->ask *= 2;
	return 0;
}

/* The next id for an asset, recorded as given. */
static int next_id(struct pg_store *q, struct pg_bulk *b, int64_t *id)
{
	int rc;

	if (b->rpos == b->nres && (rc = reserve(q, b)))
		return rc;
	if (b->nids == b->capids) {
		size_t n = b->capids ? b->capids * 2 : 4096;
		int64_t *v = mem_realloc(b->ids, n * sizeof(*v));

		if (!v)
			return pg_err(q, TM_ENOMEM, "%s: out of memory keeping assets", q->where);
		b->ids = v;
		b->capids = n;
	}
	*id = b->ids[b->nids++] = b->res[b->rpos++];
	return 0;
}

void pg_bulk_end(struct pg_store *q)
{
	struct pg_bulk *b = q->bulk;

	if (!b)
		return;
	buf_fini(&b->a);
	buf_fini(&b->e);
	buf_fini(&b->keys);
	mem_free(b->ids);
	mem_free(b->res);
	mem_free(b->slot);
	mem_free(b);
	q->bulk = NULL;
}

int pg_bulk_flush(struct pg_store *q)
{
	struct pg_bulk *b = q->bulk;
	int rc;

	if (!b || (!b->na && !b->ne))
		return 0;
	if (b->na &&
	    (rc = pg_copy_send(q,
			       "COPY assets(id, key, mac, addr, scope, ref, site, vendor, family, product, model, "
			       "version, role, conf, flags, declared_vendor, component_vendor, hint_vendor, "
			       "first_seen, last_seen, n_obs) FROM STDIN (FORMAT binary)",
			       &b->a, "storing assets")))
		goto out;
	if (b->ne)
		rc = pg_copy_send(q,
				  "COPY evidence(asset_id, obs_id, kind, vendor, vendor_raw, product, version, "
				  "rule, strength, conf, conflict) FROM STDIN (FORMAT binary)",
				  &b->e, "storing evidence");
out:
	buf_reset(&b->a);
	buf_reset(&b->e);
	b->na = b->ne = 0;
	return rc;
}

#define PG_SEEN_MAX (1u << 20) /* intervals kept at most (16 MB); past it ids go unrecorded */

void pg_seen_add(struct pg_store *q, int64_t id)
{
	struct pg_seen *s = &q->seen;

	if (s->n && id <= s->iv[s->n - 1][1]) /* read again (a second iteration): kept, or not recorded */
		return;
	if (s->n && id == s->iv[s->n - 1][1] + 1) {
		s->iv[s->n - 1][1] = id;
		return;
	}
	if (s->n == s->cap) {
		size_t n = s->cap ? s->cap * 2 : 64;
		int64_t(*iv)[2] = n <= PG_SEEN_MAX ? mem_realloc(s->iv, n * sizeof(*iv)) : NULL;

		if (!iv)
			return; /* not recorded: its evidence is checked by the server */
		s->iv = iv;
		s->cap = n;
	}
	s->iv[s->n][0] = s->iv[s->n][1] = id;
	s->n++;
}

int pg_seen_has(const struct pg_store *q, int64_t id)
{
	size_t lo = 0, hi = q->seen.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (id < q->seen.iv[mid][0])
			hi = mid;
		else if (id > q->seen.iv[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int pg_bulk_check(struct pg_store *q)
{
	PGresult *r;
	int rc = 0;

	if (!q->ev_unchecked)
		return 0;
	q->ev_unchecked = 0;
	r = pg_exec(q, PQ_EV_CHECK, NULL); /* inside the transaction: never sent again after a lost connection */
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pg_fail(q, r, "checking the evidence's observations");
	else if (PQntuples(r) > 0)
		rc = pg_err(q, TM_EINVAL, "%s: evidence names an unknown observation (%lld)", q->where,
			    (long long)pg_i64(r, 0, 0));
	PQclear(r);
	return rc;
}

int pg_bulk_assets_clear(struct store *st)
{
	struct pg_store *q = pg(st);
	int rc;

	pg_bulk_end(q);
	if ((rc = pg_assets_clear(st)) || !q->depth)
		return rc;
	if (!(q->bulk = mem_calloc(1, sizeof(*q->bulk))))
		return 0; /* no memory to keep rows: they go one by one */
	buf_init(&q->bulk->a, 0);
	buf_init(&q->bulk->e, 0);
	buf_init(&q->bulk->keys, 0);
	q->bulk->ask = PG_BULK_IDS;
	return 0;
}

/* Sends what is kept when it has grown to the bound. */
static int bound(struct pg_store *q)
{
	struct pg_bulk *b = q->bulk;

	return b->a.len + b->e.len >= PG_BULK_BYTES ? pg_bulk_flush(q) : 0;
}

int pg_bulk_asset_put(struct store *st, struct asset_rec *x)
{
	struct pg_store *q = pg(st);
	struct pg_bulk *b = q->bulk;
	size_t klen = strnlen(x->key, sizeof(x->key)), before;
	struct buf m;
	int64_t id = 0;
	int rc, bad;

	if (!b)
		return pg_asset_put(st, x);
	if ((rc = keys_add(b, x->key, klen)) == TM_ENOMEM)
		return pg_err(q, TM_ENOMEM, "%s: out of memory keeping assets", q->where);
	if (rc) { /* the same words as the row-by-row path */
		buf_init(&m, 256);
		esc_term(&m, x->key, klen);
		rc = pg_err(q, TM_EINVAL, "%s: asset key \"%s\" is already present", q->where, buf_str(&m));
		buf_fini(&m);
		return rc;
	}
	if ((rc = next_id(q, b, &id)))
		return rc;
	before = b->a.len;
	bad = pg_put16(&b->a, 21);
	bad |= pg_put_i64(&b->a, id);
	bad |= PG_PUT_FIELD(&b->a, x->key);
	bad |= PG_PUT_FIELD(&b->a, x->mac);
	bad |= PG_PUT_FIELD(&b->a, x->addr);
	bad |= PG_PUT_FIELD(&b->a, x->scope);
	bad |= PG_PUT_FIELD(&b->a, x->ref);
	bad |= PG_PUT_FIELD(&b->a, x->site);
	bad |= PG_PUT_FIELD(&b->a, x->vendor);
	bad |= PG_PUT_FIELD(&b->a, x->family);
	bad |= PG_PUT_FIELD(&b->a, x->product);
	bad |= PG_PUT_FIELD(&b->a, x->model);
	bad |= PG_PUT_FIELD(&b->a, x->version);
	bad |= PG_PUT_FIELD(&b->a, x->role);
	bad |= pg_put_f64(&b->a, x->conf);
	bad |= pg_put_i64(&b->a, x->flags);
	bad |= PG_PUT_FIELD(&b->a, x->declared_vendor);
	bad |= PG_PUT_FIELD(&b->a, x->component_vendor);
	bad |= PG_PUT_FIELD(&b->a, x->hint_vendor);
	bad |= pg_put_i64(&b->a, x->first_seen);
	bad |= pg_put_i64(&b->a, x->last_seen);
	bad |= pg_put_i64(&b->a, x->n_obs);
	if (bad) {
		b->a.len = before;
		b->nids--; /* the id is lost (a gap), the key stays taken: the caller rolls back anyway */
		return pg_err(q, TM_ENOMEM, "%s: out of memory keeping assets", q->where);
	}
	b->na++;
	x->id = id;
	return bound(q);
}

int pg_bulk_evidence_put(struct store *st, const struct ev_rec *e)
{
	struct pg_store *q = pg(st);
	struct pg_bulk *b = q->bulk;
	size_t before;
	int bad;

	if (!b)
		return pg_evidence_put(st, e);
	if (!id_known(b, e->asset_id))
		return pg_err(q, TM_EINVAL, "%s: evidence names an unknown asset (%lld) or observation (%lld)", q->where,
			      (long long)e->asset_id, (long long)e->obs_id);
	if (e->obs_id > 0 && !pg_seen_has(q, e->obs_id))
		q->ev_unchecked = 1; /* asked at the commit */
	before = b->e.len;
	bad = pg_put16(&b->e, 11);
	bad |= pg_put_i64(&b->e, e->asset_id);
	bad |= e->obs_id > 0 ? pg_put_i64(&b->e, e->obs_id) : pg_put32(&b->e, -1);
	bad |= PG_PUT_FIELD(&b->e, e->kind);
	bad |= PG_PUT_FIELD(&b->e, e->vendor);
	bad |= PG_PUT_FIELD(&b->e, e->vendor_raw);
	bad |= PG_PUT_FIELD(&b->e, e->product);
	bad |= PG_PUT_FIELD(&b->e, e->version);
	bad |= PG_PUT_FIELD(&b->e, e->rule);
	bad |= pg_put_i64(&b->e, e->strength);
	bad |= pg_put_f64(&b->e, e->conf);
	bad |= pg_put_i64(&b->e, e->conflict);
	if (bad) {
		b->e.len = before;
		return pg_err(q, TM_ENOMEM, "%s: out of memory keeping evidence", q->where);
	}
	b->ne++;
	return bound(q);
}
