/*
 * kbver.c - the version or date of every knowledge source (kbver.h).  Only
 * the header lines of each file are read, through the bounded line reader;
 * a source whose file carries no date falls back to the file's mtime, said
 * as "mtime YYYY-MM-DD".
 */
#include "kbver.h"
#include "kb.h"
#include "../core/file.h"
#include "../core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define HEAD_LINES 200 /* header comments to look at in each file */

static const char *pick(const char *opt, const char *env, const char *def)
{
	const char *e = getenv(env);

	if (opt)
		return opt;
	if (e && *e)
		return e;
	return def;
}

static void ymd(time_t t, char *out, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d", &tm);
}

static int mtime_date(const char *path, char *out, size_t len)
{
	struct stat st;
	char d[16];

	if (stat(path, &st))
		return -1;
	ymd(st.st_mtime, d, sizeof(d));
	snprintf(out, len, "mtime %s", d);
	return 0;
}

struct out {
	char *s;
	size_t len;
};

/* Calls fn on each of the first HEAD_LINES lines; stops when fn returns nonzero. */
static int each_head(const char *path, int (*fn)(const char *s, size_t n, void *ctx), void *ctx)
{
	char eb[256], io[4096];
	struct lr l;
	const char *s;
	size_t n;
	int rc = 0, k = 0;

	if (lr_open(&l, path, 4096, eb, sizeof(eb)))
		return -1;
	/* a file of ours, closed below: stdio reads through io, not a buffer malloc'd per file */
	if (l.own)
		setvbuf(l.f, io, _IOFBF, sizeof(io));
	while (k++ < HEAD_LINES && lr_next(&l, &s, &n) == 1)
		if ((rc = fn(s, n, ctx)))
			break;
	lr_close(&l);
	return rc;
}

/* "#   Last-Modified: Sun, 25 Aug 2024 08:00:49 GMT": the newest one wins. */
static int manuf_line(const char *s, size_t n, void *ctx)
{
	time_t *best = ctx;
	const char *p = str_casefind(s, n, "Last-Modified:");
	struct tm tm = {0};
	char tmp[96];

	if (n && s[0] != '#')
		return 1; /* past the header */
	if (!p)
		return 0;
	p += strlen("Last-Modified:");
	str_copy(tmp, sizeof(tmp), p, n - (size_t)(p - s));
	const char *e = strptime(tmp, " %a, %d %b %Y %H:%M:%S", &tm);
	if (e) {
		time_t t = timegm(&tm);

		if (t > *best)
			*best = t;
	}
	return 0;
}

/* "# (last updated 2024-08-23)" */
static int pen_line(const char *s, size_t n, void *ctx)
{
	struct out *o = ctx;
	const char *p = str_casefind(s, n, "last updated ");
	size_t k;

	if (n && s[0] != '#')
		return 1;
	if (!p)
		return 0;
	p += strlen("last updated ");
	for (k = 0; p + k < s + n && k < 10 && (p[k] == '-' || (p[k] >= '0' && p[k] <= '9')); k++)
		;
	if (k != 10)
		return 0;
	str_copy(o->s, o->len, p, k);
	return 1;
}

/* "# $Id: nmap-service-probes 38429 2022-08-30 22:35:10Z dmiller $" */
static int nmap_line(const char *s, size_t n, void *ctx)
{
	struct out *o = ctx;
	const char *p = str_casefind(s, n, "$Id:");
	const char *e;

	if (!p)
		return 0;
	e = memchr(p + 4, '$', n - (size_t)(p + 4 - s));
	if (!e)
		return 0;
	str_copy(o->s, o->len, p, (size_t)(e - p + 1));
	return 1;
}

/* the first line, trimmed (rules/VERSION, .lastupdate) */
static int first_line(const char *s, size_t n, void *ctx)
{
	struct out *o = ctx;

	str_trim(&s, &n);
	str_copy(o->s, o->len, s, n);
	return 1;
}

static void ver_rules(const struct kb_opts *o, struct kb_ver *v)
{
	char p[600];

	if (kb_find_dir(o->kb_dir, v->path, sizeof(v->path)))
		return;
	v->present = 1;
	snprintf(p, sizeof(p), "%s/VERSION", v->path);
	if (each_head(p, first_line, &(struct out){v->version, sizeof(v->version)}) <= 0 ||
	    !v->version[0])
		str_set(v->version, sizeof(v->version), "unversioned");
}

static void ver_ieee(const struct kb_opts *o, struct kb_ver *v)
{
	char p[600], buf[32] = "";
	struct stat st;

	str_set(v->path, sizeof(v->path), pick(o->ieee_dir, "TRUSTMAP_IEEE_DIR", KB_DEFAULT_IEEE));
	if (stat(v->path, &st))
		return;
	v->present = 1;
	snprintf(p, sizeof(p), "%s/.lastupdate", v->path);
	if (each_head(p, first_line, &(struct out){buf, sizeof(buf)}) > 0) {
		uint64_t t;

		if (str_to_u64(buf, strlen(buf), &t) && t < (1ull << 40)) {
			ymd((time_t)t, v->version, sizeof(v->version));
			return;
		}
	}
	snprintf(p, sizeof(p), "%s/oui.txt", v->path);
	if (mtime_date(p, v->version, sizeof(v->version)))
		mtime_date(v->path, v->version, sizeof(v->version));
}

static void ver_manuf(const struct kb_opts *o, struct kb_ver *v)
{
	time_t best = 0;

	str_set(v->path, sizeof(v->path), pick(o->manuf, "TRUSTMAP_MANUF", KB_DEFAULT_MANUF));
	if (each_head(v->path, manuf_line, &best) < 0)
		return;
	v->present = 1;
	if (best)
		ymd(best, v->version, sizeof(v->version));
	else
		mtime_date(v->path, v->version, sizeof(v->version));
}

static void ver_pen(const struct kb_opts *o, struct kb_ver *v)
{
	int rc;

	str_set(v->path, sizeof(v->path), pick(o->pen, "TRUSTMAP_PEN", KB_DEFAULT_PEN));
	if ((rc = each_head(v->path, pen_line, &(struct out){v->version, sizeof(v->version)})) < 0)
		return;
	v->present = 1;
	if (!v->version[0])
		mtime_date(v->path, v->version, sizeof(v->version));
}

static void ver_nmap(const struct kb_opts *o, struct kb_ver *v)
{
	str_set(v->path, sizeof(v->path),
		pick(o->nmap_probes, "TRUSTMAP_NMAP_PROBES", KB_DEFAULT_NMAP_PROBES));
	if (each_head(v->path, nmap_line, &(struct out){v->version, sizeof(v->version)}) < 0)
		return;
	v->present = 1;
	if (!v->version[0])
		mtime_date(v->path, v->version, sizeof(v->version));
}

void kb_versions(const struct kb_opts *o, struct kb_ver v[KBV_N])
{
	static const struct kb_opts none;
	static const char *const names[KBV_N] = {"rules", "ieee-data", "manuf", "enterprises.tsv",
						 "nmap-service-probes"};

	if (!o)
		o = &none;
	memset(v, 0, sizeof(*v) * KBV_N);
	for (int i = 0; i < KBV_N; i++)
		v[i].name = names[i];
	ver_rules(o, &v[KBV_RULES]);
	ver_ieee(o, &v[KBV_IEEE]);
	ver_manuf(o, &v[KBV_MANUF]);
	ver_pen(o, &v[KBV_PEN]);
	ver_nmap(o, &v[KBV_NMAP]);
	for (int i = 0; i < KBV_N; i++)
		if (!v[i].present)
			str_set(v[i].version, sizeof(v[i].version), "absent");
}

const char *kb_versions_line(const struct kb_ver v[KBV_N], char *out, size_t len)
{
	size_t at = 0;

	if (!len)
		return out;
	out[0] = 0;
	for (int i = 0; i < KBV_N && at < len; i++) {
		int n = snprintf(out + at, len - at, "%s%s=%s", i ? "; " : "", v[i].name, v[i].version);

		if (n < 0)
			break;
		at += (size_t)n;
	}
	return out;
}
