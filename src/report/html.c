/*
 * html.c - the HTML report (report.h): one self-contained file that opens
 * from disk with no network.  No script at all, no external fonts, images
 * or style sheets: one inline <style> allowed by its SHA-256 hash in a
 * Content-Security-Policy that forbids everything else, and <details> for
 * the expandable parts.  Sections: a header with the counts; an inline SVG
 * map (local plate carree: x = lon * cos(lat0), y = lat, fitted to the sites
 * and zones; zones as even-odd paths, circles as 64-point geodesic polygons;
 * one mark per placed site coloured by its worst finding; a lat/lon grid and
 * a scale bar); vendor shares per operator and region as stacked bars and as
 * tables; findings by severity with their evidence chains (capped); suspects;
 * the run history.  Coordinates are rounded to 0.1 px and polygon vertices
 * closer than half a pixel to the last one drawn are skipped, so ten
 * thousand sites make a file of a few megabytes.  Every string from a device
 * or a file goes through esc_html, which is safe in text and in quoted
 * attribute values alike.
 */
#include "report.h"

#include "audit/audit.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/mem.h"
#include "core/str.h"
#include "geo/geo.h"
#include "paths/paths.h"
#include "policy/policy.h"

#include <math.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <string.h>

#define VALUE_SHOWN 300 /* bytes of an evidence value shown */
#define SUSPECTS_SHOWN 200
#define MAP_W 960.0
#define MAP_HMAX 720.0
#define MAP_HMIN 240.0
#define EARTH_R 6371008.8 /* mean radius (m): only to draw circles */
#define KM_PER_DEG 111.195 /* of a great circle on that sphere */

static const char css[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 16px;color:#222}"
	"h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;margin-top:32px}h3{font-size:15px}"
	"table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;"
	"vertical-align:top}td.n,th.n{text-align:right}code{font:12px monospace;word-break:break-all}"
	".counts span{display:inline-block;margin-right:16px}.meta{color:#555}"
	"svg{max-width:100%;height:auto;background:#fcfcfa}svg text{font:11px sans-serif;fill:#444}"
	".grid{stroke:#ddd;stroke-width:.5}.scale{stroke:#222;stroke-width:2}"
	".zone{stroke:#7a3b8f;stroke-width:1;fill-opacity:.25}.z0{fill:#c9b3d6}.z1{fill:#b48ec6}"
	".z2{fill:#a06ab4}.z3{fill:#8c46a2}.z4{fill:#782290}.z5{fill:#64007e}"
	".site{stroke:#fff;stroke-width:.6}"
	".w-critical{fill:#b30000}.w-high{fill:#e34a33}.w-medium{fill:#f08c00}.w-low{fill:#c9a800}"
	".w-clean{fill:#1a9850}.w-none{fill:#3b6fb6}"
	".sw{display:inline-block;width:11px;height:11px;margin:0 4px 0 12px;vertical-align:middle;"
	"background:currentColor}"
	".w-critical{color:#b30000}.w-high{color:#e34a33}.w-medium{color:#f08c00}.w-low{color:#c9a800}"
	".w-clean{color:#1a9850}.w-none{color:#3b6fb6}"
	".v0{fill:#4e79a7;color:#4e79a7}.v1{fill:#f28e2b;color:#f28e2b}.v2{fill:#e15759;color:#e15759}"
	".v3{fill:#76b7b2;color:#76b7b2}.v4{fill:#59a14f;color:#59a14f}.v5{fill:#edc948;color:#edc948}"
	".v6{fill:#b07aa1;color:#b07aa1}.v7{fill:#ff9da7;color:#ff9da7}.v8{fill:#bab0ac;color:#bab0ac}"
	"span.z0,span.z1,span.z2,span.z3,span.z4,span.z5{opacity:.5}"
	"span.z0{background:#c9b3d6}span.z1{background:#b48ec6}span.z2{background:#a06ab4}"
	"span.z3{background:#8c46a2}span.z4{background:#782290}span.z5{background:#64007e}"
	"details.f{border:1px solid #ddd;margin:4px 0;padding:2px 8px}details.f summary{cursor:pointer}"
	".sev{font-weight:bold;display:inline-block;min-width:5em}"
	"details.f .ev td{font-size:12px}.note{color:#666;font-style:italic}"
	".ps{fill:none;stroke-width:2.2}.ps-clean{stroke:#1a9850;color:#1a9850}.ps-replace{stroke:#d7301f;color:#d7301f}"
	".ps-cut-off{stroke:#111;color:#111;stroke-dasharray:2 2}.ps-no-devices{stroke:#999;color:#999}"
	".route{fill:none;stroke:#d7301f;stroke-width:1.6;stroke-dasharray:5 3;stroke-opacity:.85}"
	".core{fill:#111;stroke:#fff;stroke-width:.8}.bar{fill:#4e79a7}.bar.over{fill:#e15759}"
	".budget{stroke:#222;stroke-width:1.5;stroke-dasharray:4 2}.axis{stroke:#888;stroke-width:1}"
	".short{color:#b30000;font-weight:bold}tr.sum td{font-weight:bold}#paths-table td:first-child{white-space:nowrap}";

static const char *const sev_class[] = {"w-critical", "w-high", "w-medium", "w-low"};

/* ---- output ---- */

struct w {
	FILE *f;
	struct buf b; /* scratch for escaping */
	int err;
};

static void put(struct w *w, const char *s)
{
	fputs(s, w->f);
}

__attribute__((format(printf, 2, 3))) static void putf(struct w *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(w->f, fmt, ap);
	va_end(ap);
}

/* Untrusted bytes as HTML text or a quoted attribute value. */
static void escn(struct w *w, const void *p, size_t n)
{
	buf_reset(&w->b);
	if (esc_html(&w->b, p, n)) {
		w->err = TM_ENOMEM;
		return;
	}
	fwrite(w->b.p ? w->b.p : "", 1, w->b.len, w->f);
}

static void esc(struct w *w, const char *s)
{
	escn(w, s, strlen(s));
}

/* At most max bytes of s, cut back to a UTF-8 boundary, with "..." when cut. */
static void esc_cut(struct w *w, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max) {
		escn(w, s, n);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	escn(w, s, max);
	put(w, "...");
}

/* ---- the header ---- */

static void csp_hash(char out[64])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	out[0] = 0;
	if (EVP_Digest(css, sizeof(css) - 1, md, &mdlen, EVP_sha256(), NULL) == 1 && mdlen == 32)
		EVP_EncodeBlock((unsigned char *)out, md, 32);
}

static void head(struct w *w, const struct rep_in *in, const struct rep_model *m)
{
	const char *title = in->title && *in->title ? in->title : "trustmap report";
	char h[64], gen[32], day[11];
	long nf = in->ar ? (long)in->ar->n : 0;

	csp_hash(h);
	put(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
	putf(w,
	     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-%s'; "
	     "base-uri 'none'; form-action 'none'\">\n",
	     h);
	put(w, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	put(w, "<meta name=\"generator\" content=\"trustmap report\">\n<title>");
	esc(w, title);
	putf(w, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
	esc(w, title);
	put(w, "</h1>\n<p class=\"meta\">");
	rep_time(in->generated, gen);
	if (in->p) {
		rep_day(in->day, day);
		put(w, "Policy <b>");
		esc(w, in->p->name ? in->p->name : "?");
		put(w, "</b> (");
		esc(w, in->p->file ? in->p->file : "?");
		putf(w, "), audit day %s, confidence threshold %.2f; ", day, in->min_conf);
	} else {
		put(w, "No policy given: sites are drawn unaudited; ");
	}
	putf(w, "generated %s.</p>\n<p class=\"counts\" id=\"counts\">", gen);
	putf(w, "<span>assets <b id=\"n-assets\">%ld</b></span>", m->assets);
	putf(w, "<span>sites <b id=\"n-sites\">%zu</b> (%zu placed)</span>", m->nsites, m->nplaced);
	if (in->ar) {
		putf(w, "<span>findings <b id=\"n-findings\">%ld</b></span>", nf);
		for (int s = 0; s < 4; s++)
			putf(w, "<span class=\"%s\">%s <b id=\"n-%s\">%ld</b></span>", sev_class[s],
			     audit_sev_name((enum audit_sev)s), audit_sev_name((enum audit_sev)s), m->sev[s]);
		putf(w, "<span>suspects <b id=\"n-suspects\">%zu</b></span>", in->ar->ns);
		putf(w, "<span>suppressed by exceptions %ld</span>", in->ar->excepted);
		putf(w, "<span>rules in force %ld of %d</span>", in->ar->rules_in_force, in->p ? in->p->nrules : 0);
	}
	put(w, "</p>\n<nav><a href=\"#map\">map</a> &middot; ");
	if (in->scen)
		put(w, "<a href=\"#scenarios\">scenarios</a> &middot; ");
	if (in->plan && in->nplan)
		put(w, "<a href=\"#plan\">plan</a> &middot; ");
	if (in->paths)
		put(w, "<a href=\"#paths\">clean paths</a> &middot; ");
	put(w, "<a href=\"#share\">vendor share</a> &middot; <a href=\"#findings\">findings</a> &middot; "
	       "<a href=\"#history\">history</a></nav>\n</header>\n");
}

/* ---- the map ---- */

struct proj {
	double lon0, lat1; /* west and north edges */
	double k;	   /* cos(lat0) */
	double s;	   /* pixels per degree of latitude */
	double w, h;	   /* drawing size */
	double m;	   /* margin */
};

static double px(const struct proj *pj, double lon)
{
	return pj->m + (lon - pj->lon0) * pj->k * pj->s;
}

static double py(const struct proj *pj, double lat)
{
	return pj->m + (pj->lat1 - lat) * pj->s;
}

/* The largest of 1, 2, 5 x 10^k not above x (x > 0). */
static double nice(double x)
{
	double p = pow(10, floor(log10(x))), r = x / p;

	return (r >= 5 ? 5 : r >= 2 ? 2 : 1) * p;
}

static void bb_add(double bb[4], double lon, double lat)
{
	if (lon < bb[0])
		bb[0] = lon;
	if (lat < bb[1])
		bb[1] = lat;
	if (lon > bb[2])
		bb[2] = lon;
	if (lat > bb[3])
		bb[3] = lat;
}

/* Fits the projection to the placed sites and the zones; 0 when there is nothing to draw. */
static int fit(const struct rep_in *in, const struct rep_model *m, struct proj *pj)
{
	double bb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY}, dx, dy, lat0;
	int any = 0;

	for (size_t i = 0; i < m->nsites; i++)
		if (m->sites[i].has_coords && isfinite(m->sites[i].lat) && isfinite(m->sites[i].lon))
			bb_add(bb, m->sites[i].lon, m->sites[i].lat), any = 1;
	for (size_t i = 0; in->zones && i < in->zones->n; i++) {
		const struct geo_zone *z = &in->zones->z[i];
		bb_add(bb, z->bb[0], z->bb[1]);
		bb_add(bb, z->bb[2], z->bb[3]);
		any = 1;
	}
	if (!any)
		return 0;
	/* at least ~1 km across, then 4 % of margin each side */
	if (bb[2] - bb[0] < 0.01)
		bb[0] -= 0.005, bb[2] += 0.005;
	if (bb[3] - bb[1] < 0.01)
		bb[1] -= 0.005, bb[3] += 0.005;
	dx = bb[2] - bb[0], dy = bb[3] - bb[1];
	bb[0] -= dx * 0.04, bb[2] += dx * 0.04, bb[1] -= dy * 0.04, bb[3] += dy * 0.04;
	lat0 = (bb[1] + bb[3]) / 2;
	if (lat0 > 85)
		lat0 = 85;
	if (lat0 < -85)
		lat0 = -85;
	pj->k = cos(lat0 * M_PI / 180);
	pj->m = 24;
	dx = (bb[2] - bb[0]) * pj->k, dy = bb[3] - bb[1];
	pj->s = MAP_W / dx;
	if (dy * pj->s > MAP_HMAX)
		pj->s = MAP_HMAX / dy;
	if (dy * pj->s < MAP_HMIN) { /* a flat strip: grow north and south */
		double add = (MAP_HMIN / pj->s - dy) / 2;
		bb[1] -= add, bb[3] += add, dy = bb[3] - bb[1];
	}
	pj->lon0 = bb[0], pj->lat1 = bb[3];
	pj->w = dx * pj->s, pj->h = dy * pj->s;
	return 1;
}

/* One ring as "M x y L x y ... Z", skipping vertices within half a pixel of the last one drawn. */
static void ring_path(struct w *w, const struct proj *pj, const struct geo_pt *v, size_t n)
{
	double lx = 0, ly = 0;
	size_t drawn = 0;

	for (size_t i = 0; i < n; i++) {
		double x = px(pj, v[i].x), y = py(pj, v[i].y);
		if (drawn && i + 1 < n && fabs(x - lx) < 0.5 && fabs(y - ly) < 0.5)
			continue;
		putf(w, "%s%.1f %.1f", drawn ? " L" : "M", x, y);
		lx = x, ly = y, drawn++;
	}
	put(w, " Z");
}

/* A geodesic circle drawn as 64 points from the destination-point formula on the sphere. */
static void circle_path(struct w *w, const struct proj *pj, const struct geo_zone *z)
{
	struct geo_pt v[65];
	double f1 = z->lat * M_PI / 180, l1 = z->lon * M_PI / 180, d = z->rad / EARTH_R;

	for (int i = 0; i < 64; i++) {
		double t = 2 * M_PI * i / 64;
		double f2 = asin(sin(f1) * cos(d) + cos(f1) * sin(d) * cos(t));
		double l2 = l1 + atan2(sin(t) * sin(d) * cos(f1), cos(d) - sin(f1) * sin(f2));
		v[i].x = l2 * 180 / M_PI, v[i].y = f2 * 180 / M_PI;
	}
	v[64] = v[0];
	ring_path(w, pj, v, 65);
}

static int sens_class(int s)
{
	return s < 0 ? 0 : s > 5 ? 5 : s;
}

static void zones_svg(struct w *w, const struct rep_in *in, const struct proj *pj)
{
	for (size_t i = 0; in->zones && i < in->zones->n; i++) {
		const struct geo_zone *z = &in->zones->z[i];
		const char *label = in->zone_label && in->zone_label[i] ? in->zone_label[i] : z->name;

		putf(w, "<path class=\"zone z%d\" fill-rule=\"evenodd\" data-zone=\"", sens_class(z->sensitivity));
		esc(w, label);
		put(w, "\" d=\"");
		if (z->kind == GEO_CIRCLE)
			circle_path(w, pj, z);
		else
			for (uint32_t p = 0; p < z->np; p++)
				for (uint32_t r = 0; r < z->p[p].nr; r++) {
					if (p || r)
						put(w, " ");
					ring_path(w, pj, z->p[p].r[r].v, z->p[p].r[r].n);
				}
		put(w, "\"><title>");
		esc(w, label);
		if (z->kind == GEO_CIRCLE)
			putf(w, " (circle %.0f m)", z->rad);
		putf(w, ", sensitivity %d</title></path>\n", z->sensitivity);
	}
}

static void grid_svg(struct w *w, const struct proj *pj)
{
	double H = pj->h + 2 * pj->m;
	double lon1 = pj->lon0 + pj->w / (pj->k * pj->s), lat0 = pj->lat1 - pj->h / pj->s;
	double span = fmax(lon1 - pj->lon0, pj->lat1 - lat0), step = nice(span / 6);
	int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);

	if (dec > 6)
		dec = 6;
	put(w, "<g class=\"grid\">");
	for (double lon = ceil(pj->lon0 / step) * step; lon <= lon1; lon += step)
		putf(w, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", px(pj, lon), pj->m, px(pj, lon),
		     pj->m + pj->h);
	for (double lat = ceil(lat0 / step) * step; lat <= pj->lat1; lat += step)
		putf(w, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", pj->m, py(pj, lat), pj->m + pj->w,
		     py(pj, lat));
	put(w, "</g>\n<g class=\"labels\">");
	for (double lon = ceil(pj->lon0 / step) * step; lon <= lon1; lon += step)
		putf(w, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.*f&#176;%s</text>", px(pj, lon), H - 8,
		     dec, fabs(lon) < step / 2 ? 0 : fabs(lon), lon < -step / 2 ? "W" : "E");
	for (double lat = ceil(lat0 / step) * step; lat <= pj->lat1; lat += step)
		putf(w, "<text x=\"2\" y=\"%.1f\">%.*f&#176;%s</text>", py(pj, lat) - 2, dec,
		     fabs(lat) < step / 2 ? 0 : fabs(lat), lat < -step / 2 ? "S" : "N");
	put(w, "</g>\n");
}

static void scale_svg(struct w *w, const struct proj *pj)
{
	double km_per_px = KM_PER_DEG / pj->s, km = nice(pj->w / 5 * km_per_px), len = km / km_per_px;
	double x = pj->m + 10, y = pj->m + pj->h - 12;

	putf(w, "<g id=\"scale\"><line class=\"scale\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, y,
	     x + len, y);
	if (km >= 1)
		putf(w, "<text x=\"%.1f\" y=\"%.1f\">%g km</text></g>\n", x, y - 5, km);
	else
		putf(w, "<text x=\"%.1f\" y=\"%.1f\">%g m</text></g>\n", x, y - 5, km * 1000);
}

static const char *site_class(const struct rep_in *in, int worst)
{
	if (!in->ar)
		return "w-none";
	return worst < 0 || worst > 3 ? "w-clean" : sev_class[worst];
}

static void sites_svg(struct w *w, const struct rep_in *in, const struct rep_model *m, const struct proj *pj)
{
	static const int levels[] = {-1, 3, 2, 1, 0}; /* the worst drawn last, on top */
	/* smaller marks as the map fills up, so that zones and neighbours stay visible */
	double r = m->nplaced <= 2000 ? 3.5 : m->nplaced <= 20000 ? 2.2 : 1.4;

	put(w, "<g id=\"sites\">\n");
	for (int l = 0; l < 5; l++)
		for (size_t i = 0; i < m->nsites; i++) {
			const struct rep_site *s = &m->sites[i];
			if (m->worst[i] != levels[l] || !s->has_coords || !isfinite(s->lat) || !isfinite(s->lon))
				continue;
			putf(w, "<circle class=\"site %s\" data-site=\"", site_class(in, levels[l]));
			esc(w, s->id);
			putf(w, "\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"><title>", px(pj, s->lon), py(pj, s->lat),
			     levels[l] == 0 ? r + 1 : r);
			esc(w, s->name[0] ? s->name : s->id);
			put(w, " (");
			esc(w, s->id);
			putf(w, ")%s%s</title></circle>\n", in->ar ? ": " : "",
			     !in->ar ? "" : levels[l] < 0 ? "clean" : audit_sev_name((enum audit_sev)levels[l]));
		}
	put(w, "</g>\n");
}

/* ---- clean paths on the map ---- */

static const char *const ps_class[] = {"ps-clean", "ps-replace", "ps-cut-off", "ps-no-devices"};

static const struct rep_site *placed(const struct rep_model *m, const char *id)
{
	const struct rep_site *s = id && *id ? rep_site(m, id) : NULL;

	return s && s->has_coords && isfinite(s->lat) && isfinite(s->lon) ? s : NULL;
}

static double dist2(const struct rep_site *a, const struct rep_site *b)
{
	double dy = a->lat - b->lat, dx = (a->lon - b->lon) * cos(a->lat * M_PI / 180);

	return dx * dx + dy * dy;
}

/*
 * A replace site's line: the site, then the distinct placed sites of its
 * devices to replace, each time the nearest one not yet visited, then the
 * core site nearest to the last point.  A drawing of which sites the work
 * touches, not the cable route.  Returns the number of points in pt.
 */
static size_t route(const struct rep_paths *P, const struct rep_psite *x, const struct rep_model *m,
		    const struct rep_site **pt, size_t max)
{
	size_t n = 0, first;
	const struct rep_site *best = NULL;

	if (!(pt[n] = placed(m, x->site)))
		return 0;
	first = ++n;
	for (size_t i = 0; i < x->nreplace && n < max - 1; i++) {
		const struct rep_site *s = placed(m, x->replace[i].site);
		size_t k;
		if (!s)
			continue;
		for (k = 0; k < n && pt[k] != s; k++)
			;
		if (k == n)
			pt[n++] = s;
	}
	for (size_t i = first; i < n; i++) { /* nearest first from the previous point */
		size_t b = i;
		for (size_t k = i + 1; k < n; k++)
			if (dist2(pt[i - 1], pt[k]) < dist2(pt[i - 1], pt[b]))
				b = k;
		const struct rep_site *t = pt[i];
		pt[i] = pt[b], pt[b] = t;
	}
	for (size_t c = 0; c < P->ncore_sites; c++) {
		const struct rep_site *s = placed(m, P->core_sites[c]);
		if (s && (!best || dist2(pt[n - 1], s) < dist2(pt[n - 1], best)))
			best = s;
	}
	if (best && best != pt[n - 1])
		pt[n++] = best;
	return n;
}

#define ROUTE_MAX 66 /* points of one line: the site, 64 device sites, a core site */

static void dev_names(struct w *w, const struct rep_pdev *d, size_t n, size_t max)
{
	for (size_t i = 0; i < n && i < max; i++) {
		if (i)
			put(w, ", ");
		esc(w, d[i].name);
	}
	if (n > max)
		putf(w, " and %zu more", n - max);
}

static void routes_svg(struct w *w, const struct rep_paths *P, const struct rep_model *m, const struct proj *pj)
{
	const struct rep_site *pt[ROUTE_MAX];
	char c[32];

	put(w, "<g id=\"routes\">\n");
	for (size_t i = 0; i < P->n; i++) {
		const struct rep_psite *x = &P->s[i];
		size_t n;
		if (x->status != PS_REPLACE || (n = route(P, x, m, pt, ROUTE_MAX)) < 2)
			continue;
		put(w, "<polyline class=\"route\" data-path-site=\"");
		esc(w, x->site);
		put(w, "\" points=\"");
		for (size_t k = 0; k < n; k++)
			putf(w, "%s%.1f,%.1f", k ? " " : "", px(pj, pt[k]->lon), py(pj, pt[k]->lat));
		put(w, "\"><title>");
		esc(w, x->site);
		put(w, ": replace ");
		dev_names(w, x->replace, x->nreplace, 20);
		putf(w, " (%s)</title></polyline>\n", rep_money(x->cost, c, sizeof(c)));
	}
	put(w, "</g>\n");
}

static void path_sites_svg(struct w *w, const struct rep_paths *P, const struct rep_model *m,
			   const struct proj *pj)
{
	put(w, "<g id=\"path-sites\">\n");
	for (size_t c = 0; c < P->ncore_sites; c++) {
		const struct rep_site *s = placed(m, P->core_sites[c]);
		if (!s)
			continue;
		put(w, "<rect class=\"core\" data-core-site=\"");
		esc(w, s->id);
		putf(w, "\" x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\"><title>core: ", px(pj, s->lon) - 4,
		     py(pj, s->lat) - 4);
		esc(w, s->name[0] ? s->name : s->id);
		put(w, " (");
		esc(w, s->id);
		put(w, ")</title></rect>\n");
	}
	for (size_t i = 0; i < P->n; i++) {
		const struct rep_psite *x = &P->s[i];
		const struct rep_site *s = placed(m, x->site);
		if (!s)
			continue;
		putf(w, "<circle class=\"ps %s\" data-path-site=\"", ps_class[x->status & 3]);
		esc(w, x->site);
		putf(w, "\" cx=\"%.1f\" cy=\"%.1f\" r=\"7\"><title>", px(pj, s->lon), py(pj, s->lat));
		esc(w, x->site);
		putf(w, ": %s</title></circle>\n", paths_status_name((enum paths_status)x->status));
	}
	put(w, "</g>\n");
}

static void map_section(struct w *w, const struct rep_in *in, const struct rep_model *m)
{
	struct proj pj;

	put(w, "<section id=\"map\">\n<h2>Map of sites and zones</h2>\n");
	if (!fit(in, m, &pj)) {
		put(w, "<p class=\"note\">No site has coordinates and no zone is drawn.</p>\n</section>\n");
		return;
	}
	putf(w,
	     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	     "role=\"img\" aria-label=\"map of sites and zones\">\n",
	     pj.w + 2 * pj.m, pj.h + 2 * pj.m, pj.w + 2 * pj.m, pj.h + 2 * pj.m);
	grid_svg(w, &pj);
	put(w, "<g id=\"zones\">\n");
	zones_svg(w, in, &pj);
	put(w, "</g>\n");
	if (in->paths)
		routes_svg(w, in->paths, m, &pj);
	sites_svg(w, in, m, &pj);
	if (in->paths)
		path_sites_svg(w, in->paths, m, &pj);
	scale_svg(w, &pj);
	put(w, "</svg>\n<p class=\"legend\">Sites by worst finding:");
	if (in->ar) {
		for (int s = 0; s < 4; s++)
			putf(w, "<span class=\"sw %s\"></span>%s", sev_class[s], audit_sev_name((enum audit_sev)s));
		put(w, "<span class=\"sw w-clean\"></span>clean");
	} else {
		put(w, "<span class=\"sw w-none\"></span>not audited");
	}
	if (in->zones && in->zones->n) {
		put(w, " &middot; zones by sensitivity:");
		for (int s = 0; s <= 5; s++)
			putf(w, "<span class=\"sw z%d\"></span>%d%s", s, s, s == 5 ? "+" : "");
	}
	if (in->paths) {
		put(w, " &middot; sensitive sites by clean path:");
		for (int k = 0; k < 4; k++)
			putf(w, "<span class=\"sw %s\"></span>%s", ps_class[k], paths_status_name((enum paths_status)k));
		put(w, "; dashed lines: through the sites of the devices to replace to a core site (black squares)");
	}
	putf(w, ". Plate carr&#233;e at the map's middle latitude; %zu of %zu sites placed", m->nplaced, m->nsites);
	if (m->nsites > m->nplaced)
		putf(w, " (%zu without coordinates are not drawn)", m->nsites - m->nplaced);
	put(w, ".</p>\n</section>\n");
}

/* ---- scenarios ---- */

static void cur(struct w *w, const struct rep_in *in)
{
	if (in->currency && *in->currency) {
		put(w, " ");
		esc(w, in->currency);
	}
}

static void scen_section(struct w *w, const struct rep_in *in)
{
	const struct rep_scentab *t = in->scen;
	char v[48];

	put(w, "<section id=\"scenarios\">\n<h2>Scenarios</h2>\n<p class=\"meta\">Each policy is a scenario: the "
	       "assets its deny rules make findings now or at a later effective date, priced by the cost model (the "
	       "numbers of <code>trustmap plan</code>; docs/plan.md). Money in");
	cur(w, in);
	put(w, ".</p>\n");
	put(w, "<table id=\"scenario-table\"><tr><th>section</th><th>key</th><th>measure</th>");
	for (int j = 0; j < t->ns; j++) {
		putf(w, "<th class=\"n\" data-scenario=\"%d\">", j);
		esc(w, t->name[j]);
		put(w, "</th>");
	}
	put(w, "</tr>\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct rep_srow *r = &t->r[i];
		putf(w, "<tr data-sec=\"%s\" data-key=\"", r->sec);
		esc(w, r->key);
		putf(w, "\" data-measure=\"%s\"><td>%s</td><td>", r->measure, r->sec);
		esc(w, r->key);
		putf(w, "</td><td>%s</td>", r->measure);
		for (int j = 0; j < t->ns; j++)
			putf(w, "<td class=\"n\">%s</td>", rep_scentab_cell(r, j, v, sizeof(v)));
		put(w, "</tr>\n");
	}
	put(w, "</table>\n</section>\n");
}

/* ---- the phased plan ---- */

#define CH_W 880.0
#define CH_H 240.0
#define CH_L 90.0 /* left margin for the money axis */
#define CH_B 28.0 /* bottom margin for the years */

static void plan_chart(struct w *w, const struct rep_in *in, const struct rep_plan *pl, int j)
{
	double top = 1, pw = CH_W - CH_L - 10, ph = CH_H - CH_B - 10, slot, bw;
	char a[32], b[32];

	for (int k = 0; k < pl->nph; k++) {
		if ((double)pl->ph[k].spend > top)
			top = (double)pl->ph[k].spend;
		if ((double)pl->ph[k].budget > top)
			top = (double)pl->ph[k].budget;
	}
	top *= 1.08;
	slot = pw / (pl->nph > 0 ? pl->nph : 1), bw = slot * 0.62;
	putf(w,
	     "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart plan-chart\" id=\"plan-chart-%d\" width=\"%.0f\" "
	     "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"spend and budget per year\">\n",
	     j, CH_W, CH_H, CH_W, CH_H);
	putf(w, "<line class=\"axis\" x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%.1f\"/>", CH_L, CH_L, 10 + ph);
	putf(w, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", CH_L, 10 + ph, CH_L + pw,
	     10 + ph);
	for (int g = 0; g <= 4; g++) { /* money labels at 0, 1/4 ... of the top, in whole units */
		double v = top * g / 4 / 100, y = 10 + ph - ph * g / 4;
		putf(w, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", CH_L - 4, y + 4);
		if (v >= 1e9)
			putf(w, "%.2f bn</text>", v / 1e9);
		else if (v >= 1e6)
			putf(w, "%.2f M</text>", v / 1e6);
		else if (v >= 1e4)
			putf(w, "%.1f k</text>", v / 1e3);
		else
			putf(w, "%.0f</text>", v);
	}
	put(w, "\n");
	for (int k = 0; k < pl->nph; k++) {
		const struct rep_phase *p = &pl->ph[k];
		double x = CH_L + slot * k + (slot - bw) / 2, h = ph * (double)p->spend / top;
		double yb = 10 + ph - ph * (double)p->budget / top;
		putf(w, "<rect class=\"bar%s\" data-year=\"%d\" data-spend=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%.1f\"><title>%d: spend %s of %s",
		     p->spend > p->budget ? " over" : "", p->year, rep_money(p->spend, a, sizeof(a)), x, 10 + ph - h, bw,
		     h, p->year, a, rep_money(p->budget, b, sizeof(b)));
		cur(w, in);
		putf(w, "; %ld items, %ld sites, risk removed %.2f</title></rect>", p->items, p->sites, p->risk);
		putf(w, "<line class=\"budget\" data-year=\"%d\" data-budget=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\"/>",
		     p->year, b, x - slot * 0.12, yb, x + bw + slot * 0.12, yb);
		putf(w, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>\n", x + bw / 2, CH_H - 8, p->year);
	}
	put(w, "</svg>\n");
}

static void plan_row(struct w *w, const char *cls, const char *phase, const struct rep_phase *p, int year)
{
	char a[32], b[32];

	putf(w, "<tr%s><td>%s</td><td>", cls, phase);
	if (year)
		putf(w, "%d", year);
	putf(w, "</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%s</td>"
		"<td class=\"n\">%s</td><td class=\"n\">%.2f</td><td class=\"n\">%.2f</td><td class=\"n\">%ld</td></tr>\n",
	     p->items, p->packages, p->sites, rep_money(p->spend, a, sizeof(a)), rep_money(p->budget, b, sizeof(b)),
	     p->risk, p->value, p->due);
}

static void plan_section(struct w *w, const struct rep_in *in)
{
	char a[32], b[32], ph[16];

	put(w, "<section id=\"plan\">\n<h2>Phased plan</h2>\n<p class=\"meta\">Replacements in yearly phases: the risk "
	       "removed earlier counts for more years, each year's spend (items and one visit per site and year) "
	       "within its budget, which does not carry over, and every deadline met when it can be (docs/plan.md). "
	       "Bars: spend per year; dashes: the budget. Money in");
	cur(w, in);
	put(w, ".</p>\n");
	for (int j = 0; j < in->nplan; j++) {
		const struct rep_plan *pl = &in->plan[j];
		putf(w, "<h3 id=\"plan-%d\">", j);
		esc(w, pl->scenario ? pl->scenario : "?");
		put(w, "</h3>\n");
		if (pl->feasible)
			putf(w, "<p class=\"deadlines\" id=\"plan-status-%d\">Every deadline met.</p>\n", j);
		else if (pl->short_exact)
			putf(w, "<p class=\"short\" id=\"plan-status-%d\">No plan can meet the deadlines: short by %s", j,
			     rep_money(pl->short_lo, a, sizeof(a)));
		else
			putf(w, "<p class=\"short\" id=\"plan-status-%d\">No plan can meet the deadlines: short by at most "
				"%s (at least %s)",
			     j, rep_money(pl->short_hi, a, sizeof(a)), rep_money(pl->short_lo, b, sizeof(b)));
		if (!pl->feasible) {
			cur(w, in);
			putf(w, "; %ld due items miss their deadline (late or left out).</p>\n", pl->missed);
		}
		if (pl->note && *pl->note) {
			put(w, "<p class=\"meta\">");
			esc(w, pl->note);
			put(w, "</p>\n");
		}
		plan_chart(w, in, pl, j);
		putf(w, "<table class=\"plan\" id=\"plan-table-%d\"><tr><th>phase</th><th>year</th><th class=\"n\">items</th>"
			"<th class=\"n\">of them packages</th><th class=\"n\">sites visited</th><th class=\"n\">spend</th>"
			"<th class=\"n\">budget</th><th class=\"n\">risk removed</th><th class=\"n\">value</th>"
			"<th class=\"n\">items with deadlines</th></tr>\n",
		     j);
		for (int k = 0; k < pl->nph; k++) {
			snprintf(ph, sizeof(ph), "%d", k + 1);
			plan_row(w, "", ph, &pl->ph[k], pl->ph[k].year);
		}
		plan_row(w, " class=\"sum\"", "total", &pl->total, 0);
		putf(w, "<tr class=\"unplaced\"><td>unplaced</td><td></td><td class=\"n\">%ld</td><td></td><td></td>"
			"<td class=\"n\">%s</td><td></td><td class=\"n\">%.2f</td><td></td><td class=\"n\">%ld</td></tr>\n"
			"</table>\n",
		     pl->unplaced, rep_money(pl->unplaced_cost, a, sizeof(a)), pl->unplaced_risk, pl->unplaced_due);
	}
	put(w, "</section>\n");
}

/* ---- clean paths ---- */

static void paths_section(struct w *w, const struct rep_in *in)
{
	const struct rep_paths *P = in->paths;
	long n[4] = {0};
	int64_t total = 0;
	char a[32];

	for (size_t i = 0; i < P->n; i++) {
		n[P->s[i].status & 3]++;
		if (P->s[i].status == PS_REPLACE)
			total += P->s[i].cost;
	}
	put(w, "<section id=\"paths\">\n<h2>Clean paths to the core</h2>\n<p class=\"meta\">For each sensitive site: "
	       "does a path to the core (<code>");
	esc(w, P->sel ? P->sel : "");
	put(w, "</code>) avoid every restricted device; if not, the cheapest devices to replace to make one, and the "
	       "restricted devices whose failure alone would cut the site off (a vendor shutdown); docs/paths.md. "
	       "Replacement costs: ");
	if (P->priced_by) {
		put(w, "the cost model <q>");
		esc(w, P->priced_by);
		put(w, "</q>, as the plans above and <code>trustmap paths --cost</code> price them.</p>\n");
	} else
		put(w, "<code>trustmap paths</code>'s fixed prices by role (no cost model).</p>\n");
	putf(w, "<p class=\"counts\" id=\"paths-counts\"><span>sensitive sites <b id=\"n-paths\">%zu</b></span>"
		"<span class=\"ps-clean\">clean <b id=\"n-ps-clean\">%ld</b></span>"
		"<span class=\"ps-replace\">replace <b id=\"n-ps-replace\">%ld</b> (%s",
	     P->n, n[PS_CLEAN], n[PS_REPLACE], rep_money(total, a, sizeof(a)));
	cur(w, in);
	putf(w, ")</span><span class=\"ps-cut-off\">cut off <b id=\"n-ps-cut-off\">%ld</b></span>"
		"<span class=\"ps-no-devices\">no devices <b id=\"n-ps-no-devices\">%ld</b></span>"
		"<span>%ld devices, %ld restricted, %ld core, %ld links</span></p>\n",
	     n[PS_CUT_OFF], n[PS_NO_DEVICES], P->assets, P->restricted, P->core, P->links);
	if (!P->n) {
		put(w, "<p class=\"note\">No sensitive site under the policy.</p>\n</section>\n");
		return;
	}
	put(w, "<table id=\"paths-table\"><tr><th>site</th><th>zone</th><th class=\"n\">sensitivity</th>"
	       "<th class=\"n\">devices</th><th>status</th><th class=\"n\">replacement</th><th>devices to replace</th>"
	       "<th class=\"n\">cut</th><th>shutdown cut</th></tr>\n");
	for (size_t i = 0; i < P->n; i++) {
		const struct rep_psite *x = &P->s[i];
		put(w, "<tr data-path-site=\"");
		esc(w, x->site);
		putf(w, "\" data-status=\"%s\"><td>", paths_status_name((enum paths_status)x->status));
		esc(w, x->site);
		put(w, "</td><td>");
		esc(w, x->zone);
		putf(w, "</td><td class=\"n\">%d</td><td class=\"n\">%ld</td><td class=\"%s\">%s</td><td class=\"n\">",
		     x->sensitivity, x->devices, ps_class[x->status & 3], paths_status_name((enum paths_status)x->status));
		if (x->status == PS_REPLACE || x->status == PS_CLEAN)
			put(w, rep_money(x->status == PS_REPLACE ? x->cost : 0, a, sizeof(a)));
		put(w, "</td><td class=\"replace\">");
		for (size_t k = 0; k < x->nreplace; k++) {
			put(w, k ? ", <span class=\"dev\">" : "<span class=\"dev\">");
			esc(w, x->replace[k].name);
			put(w, "</span>");
		}
		put(w, "</td><td class=\"n\">");
		if (x->status == PS_REPLACE) {
			if (P->cut_money)
				put(w, rep_money(x->cut_value, a, sizeof(a)));
			else
				putf(w, "%lld", (long long)x->cut_value);
		}
		put(w, "</td><td class=\"cut\">");
		for (size_t k = 0; k < x->ncut; k++) {
			put(w, k ? ", <span class=\"dev\">" : "<span class=\"dev\">");
			esc(w, x->cut[k].name);
			put(w, "</span>");
		}
		put(w, "</td></tr>\n");
	}
	put(w, "</table>\n</section>\n");
}

/* ---- vendor shares ---- */

static void share_chart(struct w *w, const struct rep_share *sh, const char *dim)
{
	const double lw = 190, bw = 620, rh = 22;
	double H = (double)sh->ngroups * rh + 40;

	putf(w,
	     "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"chart-%s\" width=\"%.0f\" "
	     "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"vendor share by %s\">\n",
	     dim, lw + bw + 80, H, lw + bw + 80, H, dim);
	for (size_t g = 0; g < sh->ngroups; g++) {
		double y = (double)g * rh + 4, x = lw;
		const long *c = &sh->cnt[g * (size_t)(sh->nv + 1)];

		put(w, "<text x=\"0\" y=\"");
		putf(w, "%.1f\">", y + 14);
		esc_cut(w, sh->group[g], 28);
		put(w, "</text>");
		for (int k = 0; k <= sh->nv; k++) {
			double wd;
			if (!c[k] || !sh->total[g])
				continue;
			wd = bw * (double)c[k] / (double)sh->total[g];
			putf(w, "<rect class=\"v%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\"><title>", k == sh->nv ? 8 : k,
			     x, y, wd, rh - 6);
			esc(w, sh->group[g]);
			put(w, ": ");
			esc(w, k < sh->nv ? sh->vendor[k] : "other");
			putf(w, " %ld of %ld (%.1f%%)</title></rect>", c[k], sh->total[g],
			     100.0 * (double)c[k] / (double)sh->total[g]);
			x += wd;
		}
		putf(w, "<text x=\"%.1f\" y=\"%.1f\">%ld</text>\n", lw + bw + 6, y + 14, sh->total[g]);
	}
	double x = 0, y = (double)sh->ngroups * rh + 22;
	for (int k = 0; k <= sh->nv; k++) {
		putf(w, "<rect class=\"v%d\" x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\"/>", k == sh->nv ? 8 : k, x,
		     y - 9);
		putf(w, "<text x=\"%.1f\" y=\"%.1f\">", x + 13, y);
		esc_cut(w, k < sh->nv ? sh->vendor[k] : "other", 16);
		put(w, "</text>");
		x += 100;
	}
	put(w, "\n</svg>\n");
}

static void share_table(struct w *w, const struct rep_share *sh, const char *dim)
{
	putf(w, "<table class=\"share\" id=\"table-%s\"><tr><th>%s</th><th class=\"n\">assets</th>", dim, dim);
	for (int k = 0; k < sh->nv; k++) {
		put(w, "<th class=\"n\">");
		esc(w, sh->vendor[k]);
		put(w, "</th>");
	}
	put(w, "<th class=\"n\">other</th></tr>\n");
	for (size_t g = 0; g < sh->ngroups; g++) {
		const long *c = &sh->cnt[g * (size_t)(sh->nv + 1)];
		put(w, "<tr><td>");
		esc(w, sh->group[g]);
		putf(w, "</td><td class=\"n\">%ld</td>", sh->total[g]);
		for (int k = 0; k <= sh->nv; k++)
			putf(w, "<td class=\"n\">%ld (%.1f%%)</td>", c[k],
			     sh->total[g] ? 100.0 * (double)c[k] / (double)sh->total[g] : 0.0);
		put(w, "</tr>\n");
	}
	put(w, "</table>\n");
}

static void share_section(struct w *w, const struct rep_model *m)
{
	put(w, "<section id=\"share\">\n<h2>Vendor share</h2>\n");
	if (!m->assets) {
		put(w, "<p class=\"note\">No assets in the store.</p>\n</section>\n");
		return;
	}
	put(w, "<p class=\"meta\">Assets by the operator and region of their site; the most common vendors over "
	       "all assets are named, the rest is &#8220;other&#8221;.</p>\n<h3>By operator</h3>\n");
	share_chart(w, &m->by_operator, "operator");
	share_table(w, &m->by_operator, "operator");
	put(w, "<h3>By region</h3>\n");
	share_chart(w, &m->by_region, "region");
	share_table(w, &m->by_region, "region");
	put(w, "</section>\n");
}

/* ---- findings ---- */

struct evw {
	struct w *w;
	long left;
	long n;
};

static int ev_row(void *ctx, const struct ev_rec *e)
{
	static const char *const sn[] = {"none", "weak", "medium", "fair", "strong"};
	struct evw *x = ctx;
	struct w *w = x->w;

	if (x->left-- <= 0)
		return 1;
	if (!x->n++)
		put(w, "<table class=\"ev\"><tr><th>kind</th><th>rule</th><th>value</th><th>vendor</th>"
		       "<th>strength</th><th class=\"n\">confidence</th></tr>\n");
	put(w, "<tr><td>");
	esc(w, e->kind);
	put(w, "</td><td>");
	esc(w, e->rule[0] ? e->rule : "-");
	put(w, "</td><td><code>");
	escn(w, e->value ? (const char *)e->value : "", e->len > VALUE_SHOWN ? VALUE_SHOWN : e->len);
	if (e->len > VALUE_SHOWN)
		putf(w, "</code> <span class=\"note\">(%zu bytes)</span><code>", e->len);
	put(w, "</code></td><td>");
	esc(w, e->vendor[0] ? e->vendor : e->vendor_raw[0] ? e->vendor_raw : "-");
	putf(w, "</td><td>%s%s</td><td class=\"n\">%.2f</td></tr>\n",
	     e->strength >= 0 && e->strength <= 4 ? sn[e->strength] : "?", e->conflict ? ", conflicts" : "", e->conf);
	return 0;
}

static void finding(struct w *w, const struct rep_in *in, const struct rep_model *m, const struct audit_finding *f)
{
	const struct rep_site *s = rep_site(m, f->site);
	const char *rule = rep_rule(in->p, f);
	char why[768];
	long ev = in->evidence ? in->evidence : REP_EVIDENCE;

	putf(w, "<details class=\"f\" data-severity=\"%s\"><summary><span class=\"sev %s\">%s</span> ",
	     audit_sev_name(f->sev), sev_class[f->sev & 3], audit_sev_name(f->sev));
	if (*rule) {
		put(w, "<b>");
		esc(w, rule);
		put(w, "</b> ");
	}
	putf(w, "<i>%s</i>", audit_kind_name(f->kind));
	if (f->asset_id) {
		put(w, " &middot; asset <b class=\"asset\">");
		esc(w, f->ref[0] ? f->ref : f->asset_key);
		put(w, "</b>");
	}
	if (f->site[0]) {
		put(w, " &middot; site ");
		esc(w, s && s->name[0] ? s->name : f->site);
		if (s && s->name[0]) {
			put(w, " (");
			esc(w, f->site);
			put(w, ")");
		}
	}
	if (f->group[0]) {
		put(w, " &middot; operator ");
		esc(w, f->group);
	}
	if (f->zone[0]) {
		put(w, " &middot; zone ");
		esc(w, f->zone);
	}
	if (f->vendor[0]) {
		put(w, " &middot; ");
		esc(w, f->vendor);
		if (f->listed[0] && strcmp(f->listed, f->vendor)) {
			put(w, " (listed: ");
			esc(w, f->listed);
			put(w, ")");
		}
	}
	put(w, "</summary>\n<p class=\"why\">");
	rep_why(in->p, f, why, sizeof(why));
	esc(w, why);
	put(w, "</p>\n");
	if (f->asset_id) {
		put(w, "<p class=\"meta\">");
		if (f->addr[0]) {
			put(w, "address ");
			esc(w, f->addr);
			put(w, " &middot; ");
		}
		if (f->role[0]) {
			put(w, "role ");
			esc(w, f->role);
			put(w, " &middot; ");
		}
		if (f->product[0] || f->model[0]) {
			esc(w, f->product);
			put(w, " ");
			esc(w, f->model);
			put(w, " &middot; ");
		}
		if (f->operator_[0]) {
			put(w, "operator ");
			esc(w, f->operator_);
			put(w, " &middot; ");
		}
		if (f->region[0]) {
			put(w, "region ");
			esc(w, f->region);
			put(w, " &middot; ");
		}
		if (f->sensitivity >= 0)
			putf(w, "sensitivity %d &middot; ", f->sensitivity);
		putf(w, "confidence %.2f</p>\n", f->conf);
		if (ev > 0) {
			struct evw x = {w, ev, 0};
			store_evidence_iter(in->st, f->asset_id, ev_row, &x);
			put(w, x.n ? "</table>\n" : "<p class=\"note\">no evidence recorded</p>\n");
		}
	}
	put(w, "</details>\n");
}

static void findings_section(struct w *w, const struct rep_in *in, const struct rep_model *m)
{
	const struct audit_result *r = in->ar;
	size_t max = in->max_findings > 0 ? (size_t)in->max_findings : REP_MAX_FINDINGS, shown;
	int cur = -1;

	put(w, "<section id=\"findings\">\n<h2>Findings</h2>\n");
	if (!r) {
		put(w, "<p class=\"note\">No policy given (--policy): no audit.</p>\n</section>\n");
		return;
	}
	if (!r->n)
		put(w, "<p id=\"no-findings\">No findings.</p>\n");
	shown = r->n < max ? r->n : max;
	for (size_t i = 0; i < shown; i++) {
		const struct audit_finding *f = &r->f[m->order[i]];
		if ((int)f->sev != cur) {
			cur = (int)f->sev;
			putf(w, "<h3 class=\"%s\">%s (%ld)</h3>\n", sev_class[cur & 3], audit_sev_name(f->sev),
			     m->sev[cur & 3]);
		}
		finding(w, in, m, f);
	}
	if (r->n > shown)
		putf(w, "<p class=\"note\" id=\"more-findings\">%zu more findings are not listed here (the first %zu "
			"by severity are); trustmap audit lists them all.</p>\n",
		     r->n - shown, shown);
	putf(w, "<h3>Suspects (%zu)</h3>\n<p class=\"meta\">Attributions below the confidence threshold, or weak "
		"hints only, that would otherwise be findings.</p>\n",
	     r->ns);
	shown = r->ns < SUSPECTS_SHOWN ? r->ns : SUSPECTS_SHOWN;
	for (size_t i = 0; i < shown; i++)
		finding(w, in, m, &r->s[i]);
	if (r->ns > shown)
		putf(w, "<p class=\"note\">%zu more suspects (trustmap audit --suspects).</p>\n", r->ns - shown);
	put(w, "</section>\n");
}

/* ---- history ---- */

static void history_section(struct w *w, const struct rep_model *m)
{
	char a[32], b[32];

	put(w, "<section id=\"history\">\n<h2>Scan, capture and import history</h2>\n");
	if (!m->nruns) {
		put(w, "<p class=\"note\">No runs recorded.</p>\n</section>\n");
		return;
	}
	put(w, "<table id=\"runs\"><tr><th class=\"n\">run</th><th>kind</th><th>arguments</th><th>started</th>"
	       "<th>finished</th><th class=\"n\">observations</th><th class=\"n\">skipped</th><th>status</th>"
	       "<th>knowledge used</th></tr>\n");
	for (size_t i = 0; i < m->nruns; i++) {
		const struct run_rec *r = &m->runs[i];
		rep_time(r->started, a);
		if (r->finished)
			rep_time(r->finished, b);
		else
			str_set(b, sizeof(b), "(running)");
		putf(w, "<tr><td class=\"n\">%lld</td><td>", (long long)r->id);
		esc(w, r->kind);
		put(w, "</td><td><code>");
		esc(w, r->args);
		putf(w, "</code></td><td>%s</td><td>%s</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td>", a, b,
		     r->n_obs, r->n_skipped);
		esc(w, r->status);
		put(w, "</td><td><small>");
		esc(w, r->kb); /* the versions and dates of the knowledge sources (trustmap --version) */
		put(w, "</small></td></tr>\n");
	}
	put(w, "</table>\n</section>\n");
}

int rep_html(FILE *out, const struct rep_in *in, char *eb, size_t el)
{
	struct rep_model m;
	struct w w = {out, {0}, 0};
	int rc;

	if ((rc = rep_model_build(in, &m, eb, el))) {
		rep_model_free(&m);
		return rc;
	}
	buf_init(&w.b, 0);
	head(&w, in, &m);
	map_section(&w, in, &m);
	if (in->scen)
		scen_section(&w, in);
	if (in->plan && in->nplan)
		plan_section(&w, in);
	if (in->paths)
		paths_section(&w, in);
	share_section(&w, &m);
	findings_section(&w, in, &m);
	history_section(&w, &m);
	put(&w, "<footer class=\"meta\"><p>Written by trustmap. Every string from a device or a file is escaped; "
		"this file loads nothing from elsewhere.</p></footer>\n</body>\n</html>\n");
	buf_fini(&w.b);
	rep_model_free(&m);
	if (w.err)
		return err_set(eb, el, w.err, "out of memory");
	if (fflush(out) || ferror(out))
		return err_set(eb, el, TM_EIO, "write failed");
	return 0;
}
