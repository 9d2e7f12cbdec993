/*
 * md.c - the Markdown summary (report.h): title, counts, findings by
 * severity and by rule, the first ten findings by severity, vendor share by
 * operator.  For a ticket, a chat message or a commit, where the HTML report
 * is too much.  Every string from a device or a file is escaped for
 * Markdown: each punctuation character that can start markup in the middle
 * of a line gets a backslash (CommonMark allows one before any ASCII
 * punctuation), so | cannot end a table cell, nor * _ ` < > [ ] & start
 * emphasis, code, HTML, a link or an entity, nor "http:" become an
 * autolink; our strings never start a line, so - + = . need none.  Control
 * bytes and newlines become spaces, invalid UTF-8 becomes U+FFFD.
 */
#include "report.h"

#include "audit/audit.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"
#include "paths/paths.h"
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>

#define TOP_FINDINGS 10
/* Punctuation that can start markup anywhere in a line (emphasis, code, HTML,
 * links, entities, table cells, strikethrough, closing #s, autolinks). */
#define MD_SPECIAL "\\`*_[]<>|~&#:!"

/* The length of the valid UTF-8 sequence at p (of n bytes), 0 when invalid. */
static size_t u8len(const unsigned char *p, size_t n)
{
	size_t l = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;

	if (!l || l > n)
		return 0;
	for (size_t i = 1; i < l; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (l == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
		return 0;
	if (l == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
		return 0;
	return l;
}

static void md(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t l;
		if (c < 0x20 || c == 0x7f) {
			fputc(' ', f), i++;
		} else if (c < 0x80) {
			if (strchr(MD_SPECIAL, c))
				fputc('\\', f);
			fputc(c, f), i++;
		} else if ((l = u8len(p + i, n - i)) > 0) {
			fwrite(p + i, 1, l, f), i += l;
		} else {
			fputs("\xef\xbf\xbd", f), i++;
		}
	}
}

struct rcount {
	const char *rule;
	long sev[4], n;
};

static int rcount_cmp(const void *x, const void *y)
{
	const struct rcount *a = x, *b = y;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

static int by_rule(FILE *f, const struct rep_in *in)
{
	const struct audit_result *r = in->ar;
	int nr = in->p ? in->p->nrules : 0;
	struct rcount *c = mem_calloc((size_t)nr + 1, sizeof(*c));

	if (!c)
		return TM_ENOMEM;
	for (int i = 0; i < nr; i++)
		c[i].rule = in->p->rules[i].id;
	c[nr].rule = "(exceptions)";
	for (size_t i = 0; i < r->n; i++) {
		int k = r->f[i].rule >= 0 && r->f[i].rule < nr ? r->f[i].rule : nr;
		c[k].sev[r->f[i].sev & 3]++, c[k].n++;
	}
	qsort(c, (size_t)nr + 1, sizeof(*c), rcount_cmp);
	fputs("\n## Findings by rule\n\n| rule | findings | critical | high | medium | low |\n"
	      "|---|---:|---:|---:|---:|---:|\n", f);
	for (int i = 0; i <= nr && c[i].n; i++) {
		fputs("| ", f);
		md(f, c[i].rule);
		fprintf(f, " | %ld | %ld | %ld | %ld | %ld |\n", c[i].n, c[i].sev[0], c[i].sev[1], c[i].sev[2],
			c[i].sev[3]);
	}
	mem_free(c);
	return 0;
}

static void top(FILE *f, const struct rep_in *in, const struct rep_model *m)
{
	const struct audit_result *r = in->ar;
	size_t n = r->n < TOP_FINDINGS ? r->n : TOP_FINDINGS;
	char why[768];

	fprintf(f, "\n## Top findings (%zu of %zu)\n\n", n, r->n);
	if (!n) {
		fputs("None.\n", f);
		return;
	}
	fputs("| severity | rule | asset | site | zone | vendor | why |\n|---|---|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct audit_finding *x = &r->f[m->order[i]];
		const struct rep_site *s = rep_site(m, x->site);
		fprintf(f, "| %s | ", audit_sev_name(x->sev));
		md(f, rep_rule(in->p, x));
		fputs(" | ", f);
		md(f, x->ref[0] ? x->ref : x->asset_key);
		fputs(" | ", f);
		md(f, s && s->name[0] ? s->name : x->site[0] ? x->site : x->group);
		fputs(" | ", f);
		md(f, x->zone);
		fputs(" | ", f);
		md(f, x->vendor);
		fputs(" | ", f);
		rep_why(in->p, x, why, sizeof(why));
		md(f, why);
		fputs(" |\n", f);
	}
}

static void shares(FILE *f, const struct rep_share *sh)
{
	fputs("\n## Vendor share by operator\n\n| operator | assets |", f);
	for (int k = 0; k < sh->nv; k++) {
		fputc(' ', f);
		md(f, sh->vendor[k]);
		fputs(" |", f);
	}
	fputs(" other |\n|---|---:|", f);
	for (int k = 0; k <= sh->nv; k++)
		fputs("---:|", f);
	fputc('\n', f);
	for (size_t g = 0; g < sh->ngroups; g++) {
		const long *c = &sh->cnt[g * (size_t)(sh->nv + 1)];
		fputs("| ", f);
		md(f, sh->group[g]);
		fprintf(f, " | %ld |", sh->total[g]);
		for (int k = 0; k <= sh->nv; k++)
			fprintf(f, " %ld (%.1f%%) |", c[k], sh->total[g] ? 100.0 * (double)c[k] / (double)sh->total[g] : 0.0);
		fputc('\n', f);
	}
}

static void currency(FILE *f, const struct rep_in *in)
{
	if (in->currency && *in->currency) {
		fputs(" (", f);
		md(f, in->currency);
		fputc(')', f);
	}
}

static void scenarios(FILE *f, const struct rep_in *in)
{
	const struct rep_scentab *t = in->scen;
	char v[48];

	fputs("\n## Scenarios", f);
	currency(f, in);
	fputs("\n\n| section | key | measure |", f);
	for (int j = 0; j < t->ns; j++) {
		fputc(' ', f);
		md(f, t->name[j]);
		fputs(" |", f);
	}
	fputs("\n|---|---|---|", f);
	for (int j = 0; j < t->ns; j++)
		fputs("---:|", f);
	fputc('\n', f);
	for (size_t i = 0; i < t->n; i++) {
		const struct rep_srow *r = &t->r[i];
		fprintf(f, "| %s | ", r->sec);
		md(f, r->key);
		fprintf(f, " | %s |", r->measure);
		for (int j = 0; j < t->ns; j++)
			fprintf(f, " %s |", rep_scentab_cell(r, j, v, sizeof(v)));
		fputc('\n', f);
	}
}

static void plan_line(FILE *f, const char *phase, int year, const struct rep_phase *p)
{
	char a[32], b[32];

	fprintf(f, "| %s | ", phase);
	if (year)
		fprintf(f, "%d", year);
	fprintf(f, " | %ld | %ld | %ld | %s | %s | %.2f | %.2f | %ld |\n", p->items, p->packages, p->sites,
		rep_money(p->spend, a, sizeof(a)), rep_money(p->budget, b, sizeof(b)), p->risk, p->value, p->due);
}

static void plans(FILE *f, const struct rep_in *in)
{
	char a[32], ph[16];

	for (int j = 0; j < in->nplan; j++) {
		const struct rep_plan *pl = &in->plan[j];
		fputs("\n## Phased plan: ", f);
		md(f, pl->scenario ? pl->scenario : "?");
		currency(f, in);
		fputs("\n\n", f);
		if (pl->note && *pl->note) {
			md(f, pl->note);
			fputs(".\n\n", f);
		}
		fputs("| phase | year | items | packages | sites | spend | budget | risk removed | value | due items |\n"
		      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n", f);
		for (int k = 0; k < pl->nph; k++) {
			snprintf(ph, sizeof(ph), "%d", k + 1);
			plan_line(f, ph, pl->ph[k].year, &pl->ph[k]);
		}
		plan_line(f, "total", 0, &pl->total);
		fprintf(f, "| unplaced |  | %ld |  |  | %s |  | %.2f |  | %ld |\n", pl->unplaced,
			rep_money(pl->unplaced_cost, a, sizeof(a)), pl->unplaced_risk, pl->unplaced_due);
	}
}

static void devlist(FILE *f, const struct rep_pdev *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		md(f, d[i].name);
	}
}

static void paths(FILE *f, const struct rep_in *in)
{
	const struct rep_paths *P = in->paths;
	char a[32];

	fputs("\n## Clean paths to the core (", f);
	md(f, P->sel ? P->sel : "");
	fprintf(f, ")\n\n%zu sensitive sites; %ld devices, %ld restricted, %ld core, %ld links. Replacement costs: ", P->n,
		P->assets, P->restricted, P->core, P->links);
	if (P->priced_by) {
		fputs("the cost model \"", f);
		md(f, P->priced_by);
		fputs("\".\n", f);
	} else
		fputs("fixed prices by role (no cost model).\n", f);
	if (!P->n)
		return;
	fputs("\n| site | zone | sensitivity | devices | status | replacement | replace | cut | shutdown cut |\n"
	      "|---|---|---:|---:|---|---:|---|---:|---|\n", f);
	for (size_t i = 0; i < P->n; i++) {
		const struct rep_psite *x = &P->s[i];
		fputs("| ", f);
		md(f, x->site);
		fputs(" | ", f);
		md(f, x->zone);
		fprintf(f, " | %d | %ld | %s | ", x->sensitivity, x->devices,
			paths_status_name((enum paths_status)x->status));
		if (x->status == PS_REPLACE || x->status == PS_CLEAN)
			fputs(rep_money(x->status == PS_REPLACE ? x->cost : 0, a, sizeof(a)), f);
		fputs(" | ", f);
		devlist(f, x->replace, x->nreplace);
		fputs(" | ", f);
		if (x->status == PS_REPLACE) {
			if (P->cut_money)
				fputs(rep_money(x->cut_value, a, sizeof(a)), f);
			else
				fprintf(f, "%lld", (long long)x->cut_value);
		}
		fputs(" | ", f);
		devlist(f, x->cut, x->ncut);
		fputs(" |\n", f);
	}
}

int rep_md(FILE *f, const struct rep_in *in, char *eb, size_t el)
{
	struct rep_model m;
	char gen[32], day[11];
	int rc;

	if ((rc = rep_model_build(in, &m, eb, el)))
		goto out;
	fputs("# ", f);
	md(f, in->title && *in->title ? in->title : "trustmap report");
	rep_time(in->generated, gen);
	if (in->p) {
		rep_day(in->day, day);
		fputs("\n\nPolicy ", f);
		md(f, in->p->name ? in->p->name : "?");
		fprintf(f, ", audit day %s, confidence threshold %.2f; generated %s.\n", day, in->min_conf, gen);
	} else {
		fprintf(f, "\n\nNo policy given; generated %s.\n", gen);
	}
	fprintf(f, "\n| | count |\n|---|---:|\n| assets | %ld |\n| sites | %zu (%zu placed) |\n", m.assets, m.nsites,
		m.nplaced);
	if (in->ar) {
		fprintf(f, "| findings | %zu |\n| suspects | %zu |\n| suppressed by exceptions | %ld |\n", in->ar->n,
			in->ar->ns, in->ar->excepted);
		fputs("\n## Findings by severity\n\n| severity | findings |\n|---|---:|\n", f);
		for (int s = 0; s < 4; s++)
			fprintf(f, "| %s | %ld |\n", audit_sev_name((enum audit_sev)s), m.sev[s]);
		if ((rc = by_rule(f, in))) {
			err_set(eb, el, rc, "out of memory");
			goto out;
		}
		top(f, in, &m);
	}
	if (in->scen)
		scenarios(f, in);
	if (in->plan && in->nplan)
		plans(f, in);
	if (in->paths)
		paths(f, in);
	if (m.assets)
		shares(f, &m.by_operator);
	if (fflush(f) || ferror(f))
		rc = err_set(eb, el, TM_EIO, "write failed");
out:
	rep_model_free(&m);
	return rc;
}
