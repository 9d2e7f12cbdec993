/* kb.c - loading the whole knowledge base from its search path (kb.h). */
#include "kb.h"
#include "nmap.h"
#include "oui.h"
#include "pen.h"
#include "rules.h"
#include "vendor.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int has_registry(const char *dir)
{
	char p[1024];
	struct stat st;

	snprintf(p, sizeof(p), "%s/vendors.tm", dir);
	return stat(p, &st) == 0;
}

static int found(const char *dir, char *out, size_t outlen)
{
	char *r;

	if (!has_registry(dir))
		return 0;
	r = realpath(dir, NULL);
	str_set(out, outlen, r ? r : dir);
	free(r);
	return 1;
}

int kb_find_dir(const char *kb_dir, char *out, size_t outlen)
{
	char exe[512], tmp[640];
	const char *env = getenv("TRUSTMAP_KB_DIR"), *e;
	ssize_t n;

	if (kb_dir) {
		str_set(out, outlen, kb_dir);
		return has_registry(kb_dir) ? 0 : TM_ENOTFOUND;
	}
	if (env && *env) {
		str_set(out, outlen, env);
		return has_registry(env) ? 0 : TM_ENOTFOUND;
	}
	if ((e = getenv("XDG_CONFIG_HOME")) && *e)
		snprintf(tmp, sizeof(tmp), "%s/trustmap/rules", e);
	else if ((e = getenv("HOME")) && *e)
		snprintf(tmp, sizeof(tmp), "%s/.config/trustmap/rules", e);
	else
		tmp[0] = 0;
	if ((tmp[0] && found(tmp, out, outlen)) || found("/etc/trustmap/rules", out, outlen))
		return 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		const char *d = dirname(exe);
		const char *rel[] = {"/../rules", "/../../rules", "/../share/trustmap/rules"};

		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(tmp, sizeof(tmp), "%s%s", d, rel[i]);
			if (found(tmp, out, outlen))
				return 0;
		}
	}
	const char *sys[] = {TM_SHARE_DIR "/rules", "/usr/local/share/trustmap/rules",
			     "/usr/share/trustmap/rules", "rules"};
	for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
		if (found(sys[i], out, outlen))
			return 0;
	return TM_ENOTFOUND;
}

static const char *pick(const char *opt, const char *env, const char *def)
{
	const char *e = getenv(env);

	if (opt)
		return opt;
	if (e && *e)
		return e;
	return def;
}

static int exists(const char *p)
{
	struct stat st;

	return p && stat(p, &st) == 0;
}

/* cache dir: option, env, $XDG_CACHE_HOME/trustmap, ~/.cache/trustmap, else none */
static const char *cache_dir(const struct kb_opts *o, char *buf, size_t len)
{
	const char *e = o->cache_dir ? o->cache_dir : getenv("TRUSTMAP_CACHE_DIR");
	const char *home;

	if (e && *e)
		return e;
	if ((e = getenv("XDG_CACHE_HOME")) && *e) {
		snprintf(buf, len, "%s/trustmap", e);
		return buf;
	}
	if ((home = getenv("HOME")) && *home) {
		snprintf(buf, len, "%s/.cache/trustmap", home);
		return buf;
	}
	return NULL;
}

static int load_user_lists(struct vreg *vr, const char *lists, char *eb, size_t el)
{
	const char *p = pick(lists, "TRUSTMAP_LISTS", NULL);

	return p ? vreg_load_lists(vr, p, eb, el) : 0;
}

int kb_load_vreg(struct vreg **out, const char *kb_dir, const char *lists, char *eb, size_t el)
{
	char dir[512];
	int rc;

	*out = NULL;
	if (kb_find_dir(kb_dir, dir, sizeof(dir)))
		return err_set(eb, el, TM_ENOTFOUND,
			       "cannot find trustmap's rules directory (vendors.tm); "
			       "use --kb-dir or TRUSTMAP_KB_DIR");
	if ((rc = vreg_load(out, dir, eb, el)))
		return rc;
	if ((rc = load_user_lists(*out, lists, eb, el))) {
		vreg_free(*out);
		*out = NULL;
	}
	return rc;
}

int kb_new(struct kb **out, const struct kb_opts *o, char *eb, size_t el)
{
	static const struct kb_opts none;
	struct kb *kb;
	int rc;

	if (!o)
		o = &none;
	*out = NULL;
	kb = mem_calloc(1, sizeof(*kb));
	if (!kb)
		return err_set(eb, el, TM_ENOMEM, "out of memory");
	rc = kb_find_dir(o->kb_dir, kb->kb_dir, sizeof(kb->kb_dir));
	if (rc) {
		rc = err_set(eb, el, rc,
			     "cannot find trustmap's rules directory (vendors.tm)%s%s; "
			     "use --kb-dir or TRUSTMAP_KB_DIR",
			     kb->kb_dir[0] ? " at " : "", kb->kb_dir);
		kb_free(kb);
		return rc;
	}
	*out = kb;
	return 0;
}

int kb_load_ours(struct kb *kb, const struct kb_opts *o, char *eb, size_t el)
{
	static const struct kb_opts none;
	double t;
	int rc;

	if (!o)
		o = &none;
	t = now_ms();
	if ((rc = vreg_load(&kb->vr, kb->kb_dir, eb, el)) ||
	    (rc = load_user_lists(kb->vr, o->lists, eb, el)))
		return rc;
	kb->load_ms[0] = now_ms() - t;

	t = now_ms();
	if ((rc = rules_load_dir(&kb->rules, kb->kb_dir, kb->vr, eb, el)))
		return rc;
	kb->load_ms[4] = now_ms() - t;
	return 0;
}

int kb_load_begin(struct kb **out, const struct kb_opts *o, char *eb, size_t el)
{
	int rc = kb_new(out, o, eb, el);

	if (!rc && (rc = kb_load_ours(*out, o, eb, el))) {
		kb_free(*out);
		*out = NULL;
	}
	return rc;
}

/* nmap-service-probes, loaded in a thread of its own by kb_load_rest */
struct nmap_job {
	const char *path, *cdir;
	struct nmap_db *db;
	double ms;
	int rc;
	char eb[TM_ERRLEN];
};

static void *nmap_job_run(void *arg)
{
	struct nmap_job *j = arg;
	double t = now_ms();

	j->rc = nmap_load(&j->db, j->path, j->cdir, j->eb, sizeof(j->eb));
	j->ms = now_ms() - t;
	return NULL;
}

/*
 * Starts j in a thread that takes no signals (they stay with the threads
 * that had them: sniff's SIGINT must still interrupt its read from a pipe).
 * Nonzero when no thread could be had: the caller runs j itself.
 */
static int nmap_job_start(struct nmap_job *j, pthread_t *th)
{
	sigset_t all, was;
	int rc;

	if (getenv("TRUSTMAP_KB_SERIAL")) /* one thread, as before (comparisons, debugging) */
		return -1;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &was);
	rc = pthread_create(th, NULL, nmap_job_run, j);
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	return rc;
}

/*
 * The OUI registries and the enterprise numbers in this thread while
 * nmap-service-probes (the longest: parsing ~12,000 regexes and building
 * their prefilter) loads in another; the two share nothing.  Every
 * missing-file warning is said first, in the order they always had; the
 * OUI's or the enterprise numbers' error wins over nmap's, as when nmap
 * came last.
 */
int kb_load_rest(struct kb *kb, const struct kb_opts *o, char *eb, size_t el)
{
	static const struct kb_opts none;
	struct nmap_job nj = {0};
	pthread_t th;
	char cbuf[512];
	const char *ieee = NULL, *manuf = NULL, *pen = NULL;
	int rc = 0, started = 0, load_oui = 0;
	double t;

	if (!o)
		o = &none;
	if (!(o->skip & KB_SKIP_OUI)) {
		ieee = pick(o->ieee_dir, "TRUSTMAP_IEEE_DIR", KB_DEFAULT_IEEE);
		manuf = pick(o->manuf, "TRUSTMAP_MANUF", KB_DEFAULT_MANUF);
		if (!exists(ieee) && !exists(manuf))
			log_warn("no OUI registry (%s, %s): MAC addresses will not be attributed",
				 ieee, manuf);
		else
			load_oui = 1;
	}
	if (!(o->skip & KB_SKIP_PEN)) {
		pen = pick(o->pen, "TRUSTMAP_PEN", KB_DEFAULT_PEN);
		if (!exists(pen)) {
			log_warn("no enterprise-number registry at %s", pen);
			pen = NULL;
		}
	}
	if (!(o->skip & KB_SKIP_NMAP)) {
		nj.path = pick(o->nmap_probes, "TRUSTMAP_NMAP_PROBES", KB_DEFAULT_NMAP_PROBES);
		nj.cdir = cache_dir(o, cbuf, sizeof(cbuf));
		if (!exists(nj.path)) {
			log_warn("no nmap-service-probes at %s: service banners rely on our rules only",
				 nj.path);
			nj.path = NULL;
		}
	}
	if (nj.path)
		started = !nmap_job_start(&nj, &th);

	t = now_ms();
	if (load_oui)
		rc = oui_load(&kb->oui, exists(ieee) ? ieee : NULL, exists(manuf) ? manuf : NULL, eb, el);
	kb->load_ms[1] = now_ms() - t;

	t = now_ms();
	if (!rc && pen)
		rc = pen_load(&kb->pen, pen, eb, el);
	kb->load_ms[2] = now_ms() - t;

	if (started)
		pthread_join(th, NULL);
	else if (nj.path && !rc)
		nmap_job_run(&nj);
	kb->nmap = nj.db; /* freed by kb_free when rc says kb is only good for that */
	kb->load_ms[3] = nj.ms;
	if (!rc && nj.rc) {
		str_set(eb, el, nj.eb);
		rc = nj.rc;
	}
	return rc;
}

int kb_load(struct kb **out, const struct kb_opts *o, char *eb, size_t el)
{
	int rc = kb_load_begin(out, o, eb, el);

	if (!rc && (rc = kb_load_rest(*out, o, eb, el))) {
		kb_free(*out);
		*out = NULL;
	}
	return rc;
}

void kb_free(struct kb *kb)
{
	if (!kb)
		return;
	rules_free(kb->rules);
	nmap_free(kb->nmap);
	pen_free(kb->pen);
	oui_free(kb->oui);
	vreg_free(kb->vr);
	mem_free(kb);
}
