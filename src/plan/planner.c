/*
 * planner.c - the phased plan (plan.h, docs/plan.md): an exact branch and
 * bound for small instances, a heuristic for the rest, the shortfall when
 * deadlines cannot be met, and an independent checker.
 *
 * Both solvers keep the same accounting (struct st): each item's phase, each
 * phase's remaining budget, how many items of each site each phase holds
 * (a site's visit is paid in a phase when that count goes from 0 to 1 and
 * refunded when it returns to 0), and counts per role class for core-first.
 * An item enters a phase only through fits(), which compares its cost plus
 * the visit (when the site is not yet visited in that phase) with the
 * phase's remaining budget in integers: that is the whole budget argument.
 */
#include "plan.h"

#include "plan/cost.h"
#include "core/err.h"
#include "core/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct st {
	const struct plan_problem *pb;
	int H;
	int *ph;	 /* per item, 0 unplaced */
	int64_t *rem;	 /* per phase 1..H at [p] (index 0 unused) */
	uint32_t *cnt;	 /* per (site, phase): items of the site in that phase, [site * H + p - 1] */
	long core_at[PLAN_MAX_PHASES + 1], acc_at[PLAN_MAX_PHASES + 1]; /* [0]: left out */
	double value;
	/* undo log of moves (item, phase it left) while logging */
	size_t *log_i;
	int *log_p;
	size_t nlog, caplog;
	int logging, log_err;
	int late_ok; /* the last pass of an infeasible plan: due items may go after their deadline */
};

static double val(const struct st *s, size_t i, int p)
{
	return p ? s->pb->items[i].weight * (double)(s->H - p + 1) : 0;
}

static int st_init(struct st *s, const struct plan_problem *pb)
{
	memset(s, 0, sizeof(*s));
	s->pb = pb, s->H = pb->H;
	s->ph = mem_calloc(pb->n + 1, sizeof(*s->ph));
	s->rem = mem_calloc((size_t)pb->H + 1, sizeof(*s->rem));
	s->cnt = mem_calloc(pb->nsites * (size_t)pb->H + 1, sizeof(*s->cnt));
	if (!s->ph || !s->rem || !s->cnt)
		return TM_ENOMEM;
	for (int p = 1; p <= pb->H; p++)
		s->rem[p] = pb->budget[p - 1];
	for (size_t i = 0; i < pb->n; i++) {
		if (pb->items[i].cls == CC_CORE)
			s->core_at[0]++;
		else if (pb->items[i].cls == CC_ACCESS)
			s->acc_at[0]++;
	}
	return 0;
}

static void st_fini(struct st *s)
{
	mem_free(s->log_i);
	mem_free(s->log_p);
	s->log_i = NULL, s->log_p = NULL;
	mem_free(s->ph);
	mem_free(s->rem);
	mem_free(s->cnt);
	s->ph = NULL, s->rem = NULL, s->cnt = NULL;
}

/* Copies the assignment part of a into b (same problem). */
static void st_copy(struct st *b, const struct st *a)
{
	const struct plan_problem *pb = a->pb;

	memcpy(b->ph, a->ph, pb->n * sizeof(*b->ph));
	memcpy(b->rem, a->rem, ((size_t)pb->H + 1) * sizeof(*b->rem));
	memcpy(b->cnt, a->cnt, pb->nsites * (size_t)pb->H * sizeof(*b->cnt));
	memcpy(b->core_at, a->core_at, sizeof(b->core_at));
	memcpy(b->acc_at, a->acc_at, sizeof(b->acc_at));
	b->value = a->value;
}

/* Moves item i to phase q (0: out) with no check; money may go negative (the shortfall search uses that). */
static void apply(struct st *s, size_t i, int q)
{
	const struct plan_item *it = &s->pb->items[i];
	int p = s->ph[i];
	uint32_t *c;

	if (p == q)
		return;
	if (s->logging) {
		if (s->nlog == s->caplog) {
			size_t cap = s->caplog ? s->caplog * 2 : 64;
			size_t *li = mem_realloc(s->log_i, cap * sizeof(*li));
			if (li)
				s->log_i = li;
			int *lp = li ? mem_realloc(s->log_p, cap * sizeof(*lp)) : NULL;
			if (lp)
				s->log_p = lp;
			if (!li || !lp) {
				s->log_err = 1;
				return;
			}
			s->caplog = cap;
		}
		s->log_i[s->nlog] = i, s->log_p[s->nlog++] = p;
	}
	if (p) {
		c = &s->cnt[(size_t)it->site * (size_t)s->H + (size_t)p - 1];
		s->rem[p] += it->cost;
		if (--*c == 0)
			s->rem[p] += s->pb->visit[it->site];
	}
	if (q) {
		c = &s->cnt[(size_t)it->site * (size_t)s->H + (size_t)q - 1];
		s->rem[q] -= it->cost;
		if ((*c)++ == 0)
			s->rem[q] -= s->pb->visit[it->site];
	}
	if (it->cls == CC_CORE)
		s->core_at[p]--, s->core_at[q]++;
	else if (it->cls == CC_ACCESS)
		s->acc_at[p]--, s->acc_at[q]++;
	s->value += val(s, i, q) - val(s, i, p);
	s->ph[i] = q;
}

/* May item i (now elsewhere) enter phase q: deadline, and its cost plus any new visit within what is left? */
static int fits(const struct st *s, size_t i, int q)
{
	const struct plan_item *it = &s->pb->items[i];

	if (!q)
		return !it->deadline;
	if (it->deadline && q > it->deadline && !s->late_ok)
		return 0;
	int64_t need = it->cost;
	if (!s->cnt[(size_t)it->site * (size_t)s->H + (size_t)q - 1])
		need += s->pb->visit[it->site];
	return need <= s->rem[q];
}

/* Core-first on the whole state: no access item placed unless every core item is, none before a core item. */
static int cf_ok(const struct st *s, int partial)
{
	int maxc = 0, mina = 0;

	if (!s->pb->core_first)
		return 1;
	for (int p = 1; p <= s->H; p++) {
		if (s->core_at[p])
			maxc = p;
		if (s->acc_at[p] && !mina)
			mina = p;
	}
	if (!mina)
		return 1;
	if (!partial && s->core_at[0])
		return 0;
	return maxc <= mina;
}

/* Moves i to q when allowed (budget, deadline, core-first); 1 when done. */
static int try_move(struct st *s, size_t i, int q)
{
	int p = s->ph[i];

	if (p == q || !fits(s, i, q))
		return 0;
	apply(s, i, q);
	if (!cf_ok(s, 0)) {
		apply(s, i, p);
		return 0;
	}
	return 1;
}

/* ---- exact: branch and bound ---- */

struct bb {
	struct st s;
	size_t *order;
	double *suffix; /* sum of weights of order[k..] */
	int *best;
	double best_v;
	int found;
	long nodes;
	int stopped; /* pb->max_nodes reached */
};

static void bb_dfs(struct bb *b, size_t k)
{
	struct st *s = &b->s;
	const struct plan_problem *pb = s->pb;

	if (pb->max_nodes > 0 && b->nodes >= pb->max_nodes) {
		b->stopped = 1;
		return;
	}
	b->nodes++;
	if (k == pb->n) {
		if (cf_ok(s, 0) && (!b->found || s->value > b->best_v + 1e-9)) {
			b->found = 1;
			b->best_v = s->value;
			memcpy(b->best, s->ph, pb->n * sizeof(*b->best));
		}
		return;
	}
	if (b->found && s->value + b->suffix[k] * s->H <= b->best_v + 1e-9)
		return;
	size_t i = b->order[k];
	int lim = pb->items[i].deadline ? pb->items[i].deadline : s->H;
	for (int q = 1; q <= lim; q++) {
		if (!fits(s, i, q))
			continue;
		apply(s, i, q);
		if (cf_ok(s, 1))
			bb_dfs(b, k + 1);
		apply(s, i, 0);
	}
	if (!pb->items[i].deadline)
		bb_dfs(b, k + 1);
}

static const struct plan_problem *sort_pb;

static int by_weight_desc(const void *x, const void *y)
{
	const struct plan_item *a = &sort_pb->items[*(const size_t *)x], *b = &sort_pb->items[*(const size_t *)y];

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return *(const size_t *)x < *(const size_t *)y ? -1 : 1;
}

static double plan_space(const struct plan_problem *pb)
{
	double sp = 1;

	for (size_t i = 0; i < pb->n && sp <= PLAN_EXACT_LIMIT * 10; i++)
		sp *= (pb->items[i].deadline ? pb->items[i].deadline : pb->H + 1);
	return sp;
}

int plan_exact_ok(const struct plan_problem *pb)
{
	return pb->n <= PLAN_EXACT_MAX_ITEMS && plan_space(pb) <= PLAN_EXACT_LIMIT;
}

/* 1: found an optimal feasible plan into r->phase; 0: none exists; <0 error. */
static int exact(const struct plan_problem *pb, struct plan_result *r)
{
	struct bb b;
	int rc;

	memset(&b, 0, sizeof(b));
	if ((rc = st_init(&b.s, pb)))
		goto out;
	b.order = mem_calloc(pb->n + 1, sizeof(*b.order));
	b.suffix = mem_calloc(pb->n + 1, sizeof(*b.suffix));
	b.best = mem_calloc(pb->n + 1, sizeof(*b.best));
	if (!b.order || !b.suffix || !b.best) {
		rc = TM_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < pb->n; i++)
		b.order[i] = i;
	sort_pb = pb;
	qsort(b.order, pb->n, sizeof(*b.order), by_weight_desc);
	for (size_t k = pb->n; k-- > 0;)
		b.suffix[k] = b.suffix[k + 1] + pb->items[b.order[k]].weight;
	bb_dfs(&b, 0);
	r->nodes += b.nodes;
	if (b.found)
		memcpy(r->phase, b.best, pb->n * sizeof(*r->phase));
	rc = b.found && !b.stopped; /* stopped: not known optimal, the heuristic plans */
out:
	st_fini(&b.s);
	mem_free(b.order);
	mem_free(b.suffix);
	mem_free(b.best);
	return rc;
}

/* ---- heuristic ---- */

static const double *sort_key;

static int by_key_desc(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	if (sort_key[a] != sort_key[b])
		return sort_key[a] > sort_key[b] ? -1 : 1;
	return a < b ? -1 : 1;
}

/* One improving move per item: to the earliest phase (or in from outside) that fits. */
static int improve_single(struct st *s, const size_t *order, long *tries)
{
	int any = 0;

	for (size_t k = 0; k < s->pb->n; k++) {
		size_t i = order[k];
		int p = s->ph[i], top = p ? p - 1 : s->H;
		for (int q = 1; q <= top; q++) {
			++*tries;
			if (try_move(s, i, q)) {
				any = 1;
				break;
			}
		}
	}
	return any;
}

/* Pairs: any joint reassignment of two items that raises the objective (small instances). */
static int improve_pairs(struct st *s, long *tries)
{
	const struct plan_problem *pb = s->pb;
	int any = 0;

	for (size_t i = 0; i < pb->n; i++)
		for (size_t j = i + 1; j < pb->n; j++) {
			int pi = s->ph[i], pj = s->ph[j];
			for (int qi = 0; qi <= s->H; qi++)
				for (int qj = 0; qj <= s->H; qj++) {
					if (qi == pi && qj == pj)
						continue;
					double gain = val(s, i, qi) - val(s, i, pi) + val(s, j, qj) - val(s, j, pj);
					if (gain <= 1e-9)
						continue;
					++*tries;
					for (int ord = 0; ord < 2; ord++) {
						size_t a = ord ? j : i, c = ord ? i : j;
						int qa = ord ? qj : qi, qc = ord ? qi : qj, pa = s->ph[a], pc = s->ph[c];
						if (qa != pa && !fits(s, a, qa))
							continue;
						apply(s, a, qa);
						if (qc != pc && !fits(s, c, qc)) {
							apply(s, a, pa);
							continue;
						}
						apply(s, c, qc);
						if (cf_ok(s, 0))
							goto moved;
						apply(s, c, pc);
						apply(s, a, pa);
					}
					continue;
moved:
					any = 1;
					pi = s->ph[i], pj = s->ph[j];
				}
		}
	return any;
}

/* Undoes logged moves back to mark. */
static void undo_to(struct st *s, size_t mark)
{
	int was = s->logging;

	s->logging = 0;
	while (s->nlog > mark) {
		s->nlog--;
		apply(s, s->log_i[s->nlog], s->log_p[s->nlog]);
	}
	s->logging = was;
}

static long missed_of(const struct st *s);

/*
 * Ejection: put item i into an earlier phase q (or in from outside) by
 * taking out q's lightest items until it fits, then re-placing those (and
 * anything else left out) at the earliest phase that fits.  Kept when the
 * objective rises with no deadline lost and core-first intact; else undone.
 * Every placement still goes through fits().
 */
static int improve_eject(struct st *s, const size_t *order, long *tries)
{
	const struct plan_problem *pb = s->pb;
	size_t *ej = mem_calloc(pb->n + 1, sizeof(*ej));
	int any = 0;

	if (!ej)
		return 0;
	for (size_t k = 0; k < pb->n; k++) {
		size_t i = order[k];
		int p = s->ph[i], top = p ? p - 1 : s->H;
		if (pb->items[i].deadline && top > pb->items[i].deadline)
			top = pb->items[i].deadline;
		for (int q = 1; q <= top; q++) {
			if (fits(s, i, q))
				continue; /* a plain move; improve_single's job */
			double v0 = s->value;
			long m0 = missed_of(s);
			size_t nej = 0;
			++*tries;
			s->logging = 1, s->nlog = 0, s->log_err = 0;
			while (!fits(s, i, q)) {
				size_t lo = SIZE_MAX;
				for (size_t j = 0; j < pb->n; j++)
					if (j != i && s->ph[j] == q &&
					    (lo == SIZE_MAX || pb->items[j].weight < pb->items[lo].weight))
						lo = j;
				if (lo == SIZE_MAX)
					break;
				apply(s, lo, 0);
				ej[nej++] = lo;
			}
			if (fits(s, i, q)) {
				apply(s, i, q);
				for (size_t e = 0; e < nej; e++) {
					size_t j = ej[e];
					int lim = pb->items[j].deadline ? pb->items[j].deadline : s->H;
					for (int r = 1; r <= lim; r++)
						if (fits(s, j, r)) {
							apply(s, j, r);
							break;
						}
				}
				for (size_t e = 0; e < pb->n; e++) {
					size_t j = order[e];
					if (s->ph[j])
						continue;
					int lim = pb->items[j].deadline ? pb->items[j].deadline : s->H;
					for (int r = 1; r <= lim; r++)
						if (fits(s, j, r)) {
							apply(s, j, r);
							break;
						}
				}
			}
			s->logging = 0;
			long m1 = missed_of(s);
			if (!s->log_err && s->ph[i] == q && cf_ok(s, 0) &&
			    (m1 < m0 || (m1 == m0 && s->value > v0 + 1e-9))) {
				any = 1;
				break;
			}
			undo_to(s, 0);
		}
	}
	s->nlog = 0;
	mem_free(ej);
	return any;
}

/*
 * Places deadline items: variant 0 tightest deadline first at the latest
 * phase that fits; 1 loosest first, latest phase; 2 tightest first, earliest
 * phase.  Core items under core-first (core_pass) go at the earliest phase.
 */
static void reserve(struct st *s, const size_t *order, int core_pass, int variant)
{
	const struct plan_problem *pb = s->pb;

	for (size_t kk = 0; kk < pb->n; kk++) {
		size_t i = order[variant == 1 ? pb->n - 1 - kk : kk];
		const struct plan_item *it = &pb->items[i];
		if (!it->deadline || s->ph[i] || (pb->core_first && (it->cls == CC_CORE) != core_pass))
			continue;
		if ((pb->core_first && core_pass) || variant == 2) {
			for (int q = 1; q <= it->deadline; q++)
				if (try_move(s, i, q))
					break;
		} else {
			for (int q = it->deadline; q >= 1; q--)
				if (try_move(s, i, q))
					break;
		}
	}
}

/* Places items not yet placed, in order, each at the earliest phase that fits. */
static void greedy(struct st *s, const size_t *order, int core_only)
{
	for (size_t k = 0; k < s->pb->n; k++) {
		size_t i = order[k];
		if (s->ph[i] || (core_only && s->pb->items[i].cls != CC_CORE))
			continue;
		int lim = s->pb->items[i].deadline && !s->late_ok ? s->pb->items[i].deadline : s->H;
		for (int q = 1; q <= lim; q++)
			if (try_move(s, i, q))
				break;
	}
}

static long missed_of(const struct st *s)
{
	long m = 0;

	for (size_t i = 0; i < s->pb->n; i++)
		m += s->pb->items[i].deadline && !s->ph[i];
	return m;
}

/*
 * The heuristic from one ordering: core items first under core-first; the
 * deadline reservation (tightest deadline first, largest first, latest
 * phase that fits); the rest greedily by the ordering at the earliest
 * phase that fits; then improving moves until none is left.
 */
static void heur_once(struct st *s, const size_t *order, const size_t *dl_order, int variant, int pairs,
		      long *tries)
{
	if (s->pb->core_first) {
		reserve(s, dl_order, 1, variant);
		greedy(s, order, 1);
	}
	reserve(s, dl_order, 0, variant);
	greedy(s, order, 0);
	for (int pass = 0; pass < 50; pass++) {
		int any = improve_single(s, order, tries);
		if (pairs) {
			any |= improve_pairs(s, tries);
			any |= improve_eject(s, order, tries);
		}
		if (!any)
			break;
		greedy(s, order, 0);
	}
}

static const struct plan_problem *dl_pb;

static int by_deadline(const void *x, const void *y)
{
	const struct plan_item *a = &dl_pb->items[*(const size_t *)x], *b = &dl_pb->items[*(const size_t *)y];

	if (a->deadline != b->deadline)
		return a->deadline < b->deadline ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost > b->cost ? -1 : 1;
	return *(const size_t *)x < *(const size_t *)y ? -1 : 1;
}

static int heuristic(const struct plan_problem *pb, struct plan_result *r)
{
	struct st s, best;
	size_t *order = NULL, *dl = NULL;
	double *key = NULL;
	uint32_t *per_site = NULL;
	int rc, have = 0, pairs = pb->n > 0 && pb->n <= 64;
	int starts = pb->n <= 64 ? 12 : 1;

	if (pb->max_starts > 0 && starts > pb->max_starts)
		starts = pb->max_starts;

	memset(&best, 0, sizeof(best));
	if ((rc = st_init(&s, pb)) || (rc = st_init(&best, pb)))
		goto out;
	order = mem_calloc(pb->n + 1, sizeof(*order));
	dl = mem_calloc(pb->n + 1, sizeof(*dl));
	key = mem_calloc(pb->n + 1, sizeof(*key));
	per_site = mem_calloc(pb->nsites + 1, sizeof(*per_site));
	if (!order || !dl || !key || !per_site) {
		rc = TM_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < pb->n; i++)
		per_site[pb->items[i].site]++, dl[i] = i;
	dl_pb = pb;
	qsort(dl, pb->n, sizeof(*dl), by_deadline);
	for (int k = 0; k < starts; k++) {
		for (size_t i = 0; i < pb->n; i++) {
			const struct plan_item *it = &pb->items[i];
			double v = (double)pb->visit[it->site];
			order[i] = i;
			switch (k % 4) {
			case 0: /* value density with the visit shared by the site's items */
				key[i] = it->weight / ((double)it->cost + v / per_site[it->site] + 1);
				break;
			case 1:
				key[i] = it->weight / ((double)it->cost + v + 1);
				break;
			case 2:
				key[i] = it->weight;
				break;
			default:
				key[i] = it->weight / ((double)it->cost + 1);
				break;
			}
		}
		sort_key = key;
		qsort(order, pb->n, sizeof(*order), by_key_desc);
		if (k) {
			st_fini(&s);
			if ((rc = st_init(&s, pb)))
				goto out;
		}
		heur_once(&s, order, dl, k / 4, pairs, &r->nodes);
		long m = missed_of(&s);
		long bm = have ? missed_of(&best) : 0;
		if (!have || m < bm || (m == bm && s.value > best.value + 1e-9)) {
			st_copy(&best, &s);
			have = 1;
		}
	}
	/*
	 * Small instances: iterated local search (shake the best plan, repair
	 * and improve in a randomly perturbed order) alternating with fresh
	 * starts in random orders; the best plan is kept.
	 */
	uint64_t seed = 0x9e3779b97f4a7c15ULL ^ pb->n;
	size_t *o2 = pairs ? mem_calloc(pb->n + 1, sizeof(*o2)) : NULL, *d2 = pairs ? mem_calloc(pb->n + 1, sizeof(*d2)) : NULL;
	double *k2 = pairs ? mem_calloc(pb->n + 1, sizeof(*k2)) : NULL;
	int iters = pb->n ? (int)(20000 / pb->n) : 0;
	if (iters > 600)
		iters = 600;
	if (pb->max_rounds > 0 && iters > pb->max_rounds)
		iters = pb->max_rounds;
	for (int it = 0; o2 && d2 && k2 && it < iters; it++) {
		for (size_t i = 0; i < pb->n; i++) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			k2[i] = key[i] * (0.25 + (double)(seed % 1000) / 666.0);
			o2[i] = i, d2[i] = dl[i];
		}
		sort_key = k2;
		qsort(o2, pb->n, sizeof(*o2), by_key_desc);
		for (size_t i = pb->n; i > 1; i--) { /* due items: a random order */
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			size_t j = (size_t)(seed % i), t = d2[i - 1];
			d2[i - 1] = d2[j], d2[j] = t;
		}
		if (it & 1) {
			st_copy(&s, &best);
			for (int k = 0; k < 1 + it % 5; k++) {
				seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
				size_t i = (size_t)(seed % pb->n);
				int q = (int)((seed >> 32) % (uint64_t)(s.H + 1));
				if (q == 0 || !try_move(&s, i, q))
					apply(&s, i, 0);
			}
		} else {
			st_fini(&s);
			if ((rc = st_init(&s, pb)))
				break;
		}
		heur_once(&s, o2, (it & 2) ? d2 : dl, (it >> 2) % 3, pairs, &r->nodes);
		long m = missed_of(&s), bm = missed_of(&best);
		if (cf_ok(&s, 0) && (m < bm || (m == bm && s.value > best.value + 1e-9)))
			st_copy(&best, &s);
	}
	mem_free(o2);
	mem_free(d2);
	mem_free(k2);
	if (rc)
		goto out;
	/* deadlines that cannot all be met: what is left of the due items goes late rather than never */
	if (missed_of(&best)) {
		best.late_ok = 1;
		sort_key = key;
		greedy(&best, dl, 0);
	}
	memcpy(r->phase, best.ph, pb->n * sizeof(*r->phase));
	rc = 0;
out:
	st_fini(&s);
	st_fini(&best);
	mem_free(order);
	mem_free(dl);
	mem_free(key);
	mem_free(per_site);
	return rc;
}

/* ---- shortfall: the least extra money that meets every deadline ---- */

struct sf {
	struct st s;
	size_t *set; /* the items that must be placed */
	size_t nset;
	int64_t best;
	long nodes;
	int stopped; /* pb->max_nodes reached */
};

static int64_t overflow(const struct st *s)
{
	int64_t o = 0;

	for (int p = 1; p <= s->H; p++)
		if (s->rem[p] < 0)
			o += -s->rem[p];
	return o;
}

static void sf_dfs(struct sf *f, size_t k)
{
	struct st *s = &f->s;

	if (s->pb->max_nodes > 0 && f->nodes >= s->pb->max_nodes) {
		f->stopped = 1;
		return;
	}
	f->nodes++;
	int64_t o = overflow(s);
	if (o >= f->best)
		return;
	if (k == f->nset) {
		if (cf_ok(s, 0))
			f->best = o;
		return;
	}
	size_t i = f->set[k];
	int lim = s->pb->items[i].deadline ? s->pb->items[i].deadline : s->H;
	for (int q = lim; q >= 1; q--) {
		apply(s, i, q);
		if (cf_ok(s, 1))
			sf_dfs(f, k + 1);
		apply(s, i, 0);
	}
}

/* Does the shortfall problem need every core item placed (core-first with an access item due)? */
static int need_core(const struct plan_problem *pb)
{
	if (!pb->core_first)
		return 0;
	for (size_t i = 0; i < pb->n; i++)
		if (pb->items[i].deadline && pb->items[i].cls == CC_ACCESS)
			return 1;
	return 0;
}

/*
 * Lower bound: for each k, what the items due by phase k cost (each of their
 * sites visited once) beyond the budgets of phases 1..k.  Upper bound: each
 * due item (tightest first) at the phase up to its deadline where it adds
 * the least overflow, core items first under core-first.
 */
static int shortfall(const struct plan_problem *pb, struct plan_result *r)
{
	struct sf f;
	uint8_t *seen = NULL;
	int rc, nc = need_core(pb);
	double space = 1;

	memset(&f, 0, sizeof(f));
	if ((rc = st_init(&f.s, pb)))
		goto out;
	f.set = mem_calloc(pb->n + 1, sizeof(*f.set));
	seen = mem_calloc(pb->nsites + 1, 1);
	if (!f.set || !seen) {
		rc = TM_ENOMEM;
		goto out;
	}
	/* lower bound */
	int64_t lo = 0, dem = 0, cumb = 0;
	for (int k = 1; k <= pb->H; k++) {
		cumb += pb->budget[k - 1];
		for (size_t i = 0; i < pb->n; i++) {
			const struct plan_item *it = &pb->items[i];
			if (it->deadline != k)
				continue;
			dem += it->cost;
			if (!seen[it->site]++)
				dem += pb->visit[it->site];
		}
		if (dem - cumb > lo)
			lo = dem - cumb;
	}
	/* the set: due items, core ones first, tightest first */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < pb->n; i++) {
			const struct plan_item *it = &pb->items[i];
			int core = it->cls == CC_CORE && pb->core_first;
			if ((pass == 0) != core)
				continue;
			if (it->deadline || (core && nc)) {
				f.set[f.nset++] = i;
				space *= it->deadline ? it->deadline : pb->H;
			}
		}
	dl_pb = pb;
	qsort(f.set, f.nset, sizeof(*f.set), by_deadline);
	if (pb->core_first) { /* core items before the others, each group by deadline */
		size_t w = 0;
		size_t *tmp = mem_calloc(f.nset + 1, sizeof(*tmp));
		if (!tmp) {
			rc = TM_ENOMEM;
			goto out;
		}
		for (int pass = 0; pass < 2; pass++)
			for (size_t k = 0; k < f.nset; k++)
				if ((pb->items[f.set[k]].cls == CC_CORE) == (pass == 0))
					tmp[w++] = f.set[k];
		memcpy(f.set, tmp, f.nset * sizeof(*tmp));
		mem_free(tmp);
	}
	/* upper bound */
	int mina = pb->H;
	for (size_t k = 0; k < f.nset; k++)
		if (pb->items[f.set[k]].cls == CC_ACCESS && pb->items[f.set[k]].deadline &&
		    pb->items[f.set[k]].deadline < mina)
			mina = pb->items[f.set[k]].deadline;
	int maxc = 1;
	for (size_t k = 0; k < f.nset; k++) {
		size_t i = f.set[k];
		const struct plan_item *it = &pb->items[i];
		int lim = it->deadline ? it->deadline : pb->H, from = 1, bq = 0;
		int64_t bo = INT64_MAX;
		if (pb->core_first && it->cls == CC_CORE && mina < lim)
			lim = mina;
		if (pb->core_first && it->cls == CC_ACCESS)
			from = maxc;
		for (int q = lim; q >= from; q--) {
			apply(&f.s, i, q);
			int64_t o = overflow(&f.s);
			apply(&f.s, i, 0);
			if (o < bo)
				bo = o, bq = q;
		}
		if (!bq)
			bq = from;
		apply(&f.s, i, bq);
		if (it->cls == CC_CORE && bq > maxc)
			maxc = bq;
	}
	int64_t hi = overflow(&f.s);
	r->short_lo = lo < hi ? lo : hi;
	r->short_hi = hi;
	r->short_exact = lo == hi;
	if (!r->short_exact && space <= PLAN_EXACT_LIMIT && f.nset <= PLAN_EXACT_MAX_ITEMS) {
		for (size_t k = 0; k < f.nset; k++)
			apply(&f.s, f.set[k], 0);
		f.best = hi + 1;
		sf_dfs(&f, 0);
		r->nodes += f.nodes;
		if (f.stopped) { /* a better assignment found is still an upper bound */
			if (f.best <= hi)
				r->short_hi = f.best;
			if (r->short_lo > r->short_hi)
				r->short_lo = r->short_hi;
		} else {
			if (f.best <= hi)
				r->short_lo = r->short_hi = f.best;
			r->short_exact = 1;
		}
	}
	rc = 0;
out:
	st_fini(&f.s);
	mem_free(f.set);
	mem_free(seen);
	return rc;
}

/* ---- the entry points ---- */

static int validate(const struct plan_problem *pb, char *eb, size_t el)
{
	if (pb->H < 1 || pb->H > PLAN_MAX_PHASES)
		return err_set(eb, el, TM_EINVAL, "plan: %d phases (1 to %d)", pb->H, PLAN_MAX_PHASES);
	for (int p = 0; p < pb->H; p++)
		if (pb->budget[p] < 0)
			return err_set(eb, el, TM_EINVAL, "plan: phase %d has a negative budget", p + 1);
	for (size_t s = 0; s < pb->nsites; s++)
		if (pb->visit[s] < 0)
			return err_set(eb, el, TM_EINVAL, "plan: site %zu has a negative visit cost", s);
	for (size_t i = 0; i < pb->n; i++) {
		const struct plan_item *it = &pb->items[i];
		if (it->cost < 0 || !(it->weight > 0) || !isfinite(it->weight))
			return err_set(eb, el, TM_EINVAL, "plan: item %zu has a negative cost or a weight not above 0", i);
		if (it->site >= pb->nsites)
			return err_set(eb, el, TM_EINVAL, "plan: item %zu names site %u of %zu", i, it->site, pb->nsites);
		if (it->deadline < 0 || it->deadline > pb->H)
			return err_set(eb, el, TM_EINVAL, "plan: item %zu has deadline %d outside 0..%d", i,
				       it->deadline, pb->H);
	}
	return 0;
}

int plan_solve(const struct plan_problem *pb, enum plan_mode mode, struct plan_result *r, char *eb, size_t el)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = validate(pb, eb, el)))
		return rc;
	r->phase = mem_calloc(pb->n + 1, sizeof(*r->phase));
	r->spend = mem_calloc((size_t)pb->H + 1, sizeof(*r->spend));
	if (!r->phase || !r->spend)
		return err_set(eb, el, TM_ENOMEM, "plan: out of memory");
	if (mode == PLAN_EXACT || (mode == PLAN_AUTO && plan_exact_ok(pb))) {
		if ((rc = exact(pb, r)) < 0)
			return err_set(eb, el, rc, "plan: out of memory");
		r->exact = rc == 1;
	}
	if (!r->exact && (rc = heuristic(pb, r)))
		return err_set(eb, el, rc, "plan: out of memory");
	r->value = plan_value(pb, r->phase);
	r->feasible = plan_check(pb, r->phase, 1, NULL, 0) == 0;
	for (size_t i = 0; i < pb->n; i++)
		r->missed += pb->items[i].deadline && (!r->phase[i] || r->phase[i] > pb->items[i].deadline);
	for (size_t i = 0; i < pb->n; i++)
		if (r->phase[i])
			r->spend[r->phase[i] - 1] += pb->items[i].cost;
	/* visits: one per (site, phase) with work */
	{
		struct st s;
		if ((rc = st_init(&s, pb))) {
			st_fini(&s);
			return err_set(eb, el, rc, "plan: out of memory");
		}
		for (size_t i = 0; i < pb->n; i++)
			apply(&s, i, r->phase[i]);
		for (int p = 1; p <= pb->H; p++)
			r->spend[p - 1] = pb->budget[p - 1] - s.rem[p];
		st_fini(&s);
	}
	if (!r->feasible && (rc = shortfall(pb, r)))
		return err_set(eb, el, rc, "plan: out of memory");
	return 0;
}

void plan_result_free(struct plan_result *r)
{
	mem_free(r->phase);
	mem_free(r->spend);
	memset(r, 0, sizeof(*r));
}

double plan_value(const struct plan_problem *pb, const int *phase)
{
	double v = 0;

	for (size_t i = 0; i < pb->n; i++)
		if (phase[i] > 0)
			v += pb->items[i].weight * (double)(pb->H - phase[i] + 1);
	return v;
}

static int by_site_phase(const void *x, const void *y)
{
	const uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

int plan_check(const struct plan_problem *pb, const int *phase, int need_deadlines, char *eb, size_t el)
{
	int64_t spend[PLAN_MAX_PHASES + 1] = {0};
	uint64_t *sp = mem_calloc(pb->n + 1, sizeof(*sp));
	size_t nsp = 0;
	int maxc = 0, mina = 0, core_out = 0, rc = 0;

	if (!sp)
		return err_set(eb, el, TM_ENOMEM, "plan: out of memory");
	if (pb->H < 1 || pb->H > PLAN_MAX_PHASES) {
		rc = err_set(eb, el, TM_EINVAL, "plan: bad phase count");
		goto out;
	}
	for (size_t i = 0; i < pb->n; i++) {
		const struct plan_item *it = &pb->items[i];
		int p = phase[i];
		if (p < 0 || p > pb->H) {
			rc = err_set(eb, el, TM_EINVAL, "item %zu in phase %d of %d", i, p, pb->H);
			goto out;
		}
		if (need_deadlines && it->deadline && (!p || p > it->deadline)) {
			rc = err_set(eb, el, TM_EINVAL, "item %zu due by phase %d is in phase %d", i, it->deadline, p);
			goto out;
		}
		if (it->cls == CC_CORE) {
			if (!p)
				core_out = 1;
			else if (p > maxc)
				maxc = p;
		} else if (it->cls == CC_ACCESS && p && (!mina || p < mina))
			mina = p;
		if (p) {
			spend[p] += it->cost;
			sp[nsp++] = (uint64_t)it->site << 8 | (uint64_t)p;
		}
	}
	qsort(sp, nsp, sizeof(*sp), by_site_phase);
	for (size_t k = 0; k < nsp; k++)
		if (!k || sp[k] != sp[k - 1])
			spend[sp[k] & 0xff] += pb->visit[sp[k] >> 8];
	for (int p = 1; p <= pb->H; p++)
		if (spend[p] > pb->budget[p - 1]) {
			rc = err_set(eb, el, TM_EINVAL, "phase %d spends %lld of a budget of %lld", p,
				     (long long)spend[p], (long long)pb->budget[p - 1]);
			goto out;
		}
	if (pb->core_first && mina && (core_out || maxc > mina))
		rc = err_set(eb, el, TM_EINVAL, "core-first: an access item in phase %d, a core item in phase %d%s",
			     mina, maxc, core_out ? " or left out" : "");
out:
	mem_free(sp);
	return rc;
}
