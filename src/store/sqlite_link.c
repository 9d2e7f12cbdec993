/*
 * sqlite_link.c - topology links in the SQLite backend: which device's port
 * sees which neighbour (LLDP/CDP from sniff, later inventory).  One row per
 * (a_key, a_port, b_key, b_port); seeing a link again only widens its first
 * and last seen, so a capture full of LLDP repeats stays one row per link.
 */
#include "sqlite_int.h"

int sq_link_put(struct store *st, const struct link_rec *l)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, SQ_LINK_PUT, &s)))
		return rc;
	if (l->run_id)
		sqlite3_bind_int64(s, 1, l->run_id);
	else
		sqlite3_bind_null(s, 1);
	SQ_BIND_FIELD(s, 2, l->a_key);
	SQ_BIND_FIELD(s, 3, l->a_port);
	SQ_BIND_FIELD(s, 4, l->b_key);
	SQ_BIND_FIELD(s, 5, l->b_port);
	SQ_BIND_FIELD(s, 6, l->source);
	sqlite3_bind_int64(s, 7, l->first_seen);
	sqlite3_bind_int64(s, 8, l->last_seen);
	rc = sq_step_done(q, s, "storing a link");
	sq_put(q, SQ_LINK_PUT, s);
	return rc;
}

static void link_row(sqlite3_stmt *s, struct link_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	r->run_id = sqlite3_column_int64(s, 1);
	SQ_COL_FIELD(s, 2, r->a_key);
	SQ_COL_FIELD(s, 3, r->a_port);
	SQ_COL_FIELD(s, 4, r->b_key);
	SQ_COL_FIELD(s, 5, r->b_port);
	SQ_COL_FIELD(s, 6, r->source);
	r->first_seen = sqlite3_column_int64(s, 7);
	r->last_seen = sqlite3_column_int64(s, 8);
}

int sq_link_iter(struct store *st, store_link_fn fn, void *ctx)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	struct link_rec r;
	int rc, stop = 0;

	if ((rc = sq_get(q, SQ_LINK_ITER, &s)))
		return rc;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		link_row(s, &r);
		stop = fn(ctx, &r);
	}
	rc = stop ? stop : rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "reading links");
	sq_put(q, SQ_LINK_ITER, s);
	return rc;
}
