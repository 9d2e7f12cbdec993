/*
 * store_int.h - what a store backend implements (SQLite now in sqlite.c,
 * PostgreSQL later in postgres.c): one const struct store_ops of function
 * pointers, chosen by store.c from the URL, and the common head of every
 * handle.  A backend allocates its own handle type with struct store as its
 * first member, so store.c can reach ops and the error buffer.  Callers never
 * include this file; they see only store.h.  store.c checks arguments common
 * to every backend (NULL handle, NULL callback, empty key) before dispatch.
 */
#ifndef TM_STORE_INT_H
#define TM_STORE_INT_H

#include "core/err.h"
#include "store.h"

struct store_ops {
	const char *name; /* "sqlite", "postgresql" */
	/* target: the URL with any scheme prefix the backend does not want removed. */
	int (*open)(struct store **out, const char *target, char *eb, size_t el);
	void (*close)(struct store *st);
	int (*begin)(struct store *st);
	int (*begin_rebuild)(struct store *st); /* optional (NULL: begin): store_begin_rebuild */
	int (*commit)(struct store *st);
	int (*rollback)(struct store *st);
	int (*set_busy_timeout)(struct store *st, int ms);
	int (*check)(struct store *st);

	int (*run_start)(struct store *st, const char *kind, const char *args, int64_t *run_id);
	int (*run_finish)(struct store *st, int64_t run_id, long n_obs, long n_skipped, const char *status);
	int (*run_iter)(struct store *st, store_run_fn fn, void *ctx);
	int (*run_shard)(struct store *st, int64_t run_id, const char *scan, int shard, int nshards,
			 int64_t pairs_total);
	int (*run_progress)(struct store *st, int64_t run_id, int64_t pairs_done);
	/* optional (NULL: TM_EUNSUP): a scan's resume state, store.h */
	int (*run_resume_put)(struct store *st, int64_t run_id, const char *state);
	int (*run_resume_get)(struct store *st, int64_t run_id, char **state);

	int (*obs_add)(struct store *st, int64_t run_id, const struct obs *o, int64_t *obs_id);
	/*
	 * optional (NULL: obs_add once a row): store_obs_add_many's rows, o[] already
	 * checked; o[0..*done) were added, also on an error (obs_add goes on from there)
	 */
	int (*obs_add_many)(struct store *st, int64_t run_id, const struct obs *o, int n, int *done);
	int (*obs_iter)(struct store *st, store_obs_fn fn, void *ctx);
	/* optional (NULL: TM_EUNSUP): one run's observations, store.h */
	int (*obs_iter_run)(struct store *st, int64_t run_id, store_obs_fn fn, void *ctx);
	int64_t (*obs_count)(struct store *st);

	int (*site_put)(struct store *st, const struct site_rec *s);
	int (*site_get)(struct store *st, const char *id, struct site_rec *out);
	int (*site_iter)(struct store *st, store_site_fn fn, void *ctx);
	int (*site_scan)(struct store *st, store_site_view_fn fn, void *ctx);

	int (*assets_clear)(struct store *st);
	int (*asset_put)(struct store *st, struct asset_rec *a);
	int (*evidence_put)(struct store *st, const struct ev_rec *e);
	/* optional (NULL: evidence_put once a row): store_evidence_put_many, e[] already checked */
	int (*evidence_put_many)(struct store *st, const struct ev_rec *e, int n);
	int (*asset_iter)(struct store *st, const struct asset_filter *f, store_asset_fn fn, void *ctx);
	int (*asset_scan)(struct store *st, store_asset_view_fn fn, void *ctx);
	/* optional (NULL: TM_EUNSUP): the audit's read of the assets a rule could find, store.h */
	int (*asset_pick)(struct store *st, store_vendor_pick_fn pick, store_asset_site_fn fn, void *ctx,
			  long *n_assets, long *n_sites);
	int (*asset_get)(struct store *st, const char *id_or_key, struct asset_rec *out);
	int (*evidence_iter)(struct store *st, int64_t asset_id, store_ev_fn fn, void *ctx);

	int (*link_put)(struct store *st, const struct link_rec *l);
	int (*link_iter)(struct store *st, store_link_fn fn, void *ctx);
};

/* The head of every backend handle. */
struct store {
	const struct store_ops *ops;
	char err[TM_ERRLEN]; /* message of the last failing call */
	char kb[STORE_KB_LEN]; /* store_set_kb: recorded with every run started */
	store_wait_fn wait;    /* store_set_wait_hook: NULL none */
	void *wait_ctx;
	const volatile int *give_up; /* store_set_give_up: NULL none */
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

/*
 * For backends: whether a's family is in f's NULL-terminated families set
 * (1 when f has no set).  Backends query the other filters and apply this
 * one, and the limit after it, in C, since a set cannot be one bound value.
 */
int store_filter_families(const struct asset_filter *f, const struct asset_rec *a);

#endif
