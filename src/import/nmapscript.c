/*
 * nmapscript.c - the half of the nmap XML reader that reads NSE script
 * results and service fingerprints.  Scripts mapped: banner (the raw banner,
 * nmap's \xNN escapes undone), http-title, http-server-header, ssl-cert
 * (subject and issuer rebuilt as "/C=../O=../CN=.."), snmp-sysdescr.  A
 * service fingerprint (servicefp, written when nmap could not name the
 * service) holds each probe's raw response: one OBS_SERVICE_RESPONSE each.
 */
#include "nmapxml_int.h"

#include "../core/str.h"

#include <stdlib.h>
#include <string.h>

/* Short names of certificate name attributes, in OpenSSL's usual order. */
static const struct {
	const char *nmap, *name;
} dn[] = {
    {"countryName", "C"},
    {"stateOrProvinceName", "ST"},
    {"localityName", "L"},
    {"organizationName", "O"},
    {"organizationalUnitName", "OU"},
    {"commonName", "CN"},
    {"emailAddress", "emailAddress"},
};
#define DN_COUNT (sizeof(dn) / sizeof(dn[0]))

/* A banner as nmap's banner script wrote it: lines wrapped with \n, bytes as \xNN. */
static void banner(struct nx *x, const char *out)
{
	static const struct {
		const char *svc;
		enum obs_kind k;
	} by[] = {{"ssh", OBS_SSH_BANNER},
		  {"ftp", OBS_FTP_BANNER},
		  {"smtp", OBS_SMTP_BANNER},
		  {"telnet", OBS_TELNET_BANNER}};
	enum obs_kind k = OBS_SERVICE_RESPONSE;
	size_t n = strlen(out);

	buf_reset(&x->text);
	for (size_t i = 0; i < n; i++)
		if (out[i] != '\n')
			buf_addc(&x->text, out[i]);
	buf_reset(&x->val);
	imp_unescape(&x->val, buf_str(&x->text), x->text.len);
	for (size_t i = 0; i < sizeof(by) / sizeof(by[0]); i++)
		if (!strcmp(x->svcname, by[i].svc))
			k = by[i].k;
	nx_emit(x, k, k == OBS_SERVICE_RESPONSE ? "NULL" : "", buf_str(&x->val), x->val.len,
		!x->in_hostscript, 0);
}

/* snmp-sysdescr output: the sysDescr, then "\n  System uptime: ..." when it was read. */
static void sysdescr(struct nx *x, const char *out)
{
	size_t n = strlen(out);
	const char *up = NULL, *p = out;

	while ((p = strstr(p, "\n  System uptime: ")) != NULL)
		up = p++;
	if (up)
		n = (size_t)(up - out);
	if (n)
		nx_emit(x, OBS_SNMP_SYSDESCR, "", out, n, !x->in_hostscript, 0);
}

void nx_script_start(struct nx *x, const char **atts)
{
	const char *id = nx_attr(atts, "id"), *out = nx_attr(atts, "output");

	x->scr = SCR_OTHER;
	x->tdepth = x->elems = x->in_elem = 0;
	x->subj.n = x->iss.n = 0;
	if (!id)
		return;
	if (!strcmp(id, "http-title"))
		x->scr = SCR_TITLE;
	else if (!strcmp(id, "http-server-header"))
		x->scr = SCR_SERVER;
	else if (!strcmp(id, "ssl-cert"))
		x->scr = SCR_SSL;
	else if (!strcmp(id, "banner") && out && *out)
		banner(x, out);
	else if (!strcmp(id, "snmp-sysdescr") && out)
		sysdescr(x, out);
}

static int rank(const char *key)
{
	for (size_t i = 0; i < DN_COUNT; i++)
		if (!strcmp(dn[i].name, key))
			return (int)i;
	return (int)DN_COUNT;
}

static int by_rank(const void *a, const void *b)
{
	const struct nx_part *pa = a, *pb = b;
	int d = rank(pa->key) - rank(pb->key);

	if (!d)
		d = strcmp(pa->key, pb->key);
	return d ? d : strcmp(pa->val, pb->val);
}

/* Emits one certificate name in "/K=V/K=V" form, its parts in OpenSSL's usual order. */
static void name_emit(struct nx *x, struct nx_name *nm, enum obs_kind k)
{
	if (!nm->n)
		return;
	qsort(nm->part, (size_t)nm->n, sizeof(nm->part[0]), by_rank);
	buf_reset(&x->val);
	for (int i = 0; i < nm->n; i++)
		buf_printf(&x->val, "/%s=%s", nm->part[i].key, nm->part[i].val);
	nx_emit(x, k, "", buf_str(&x->val), x->val.len, !x->in_hostscript, 0);
}

void nx_script_end(struct nx *x)
{
	if (x->scr == SCR_SSL) {
		name_emit(x, &x->subj, OBS_TLS_SUBJECT);
		if (!x->stop)
			name_emit(x, &x->iss, OBS_TLS_ISSUER);
	}
	x->scr = SCR_NONE;
}

void nx_table_start(struct nx *x, const char **atts)
{
	const char *k = nx_attr(atts, "key");

	if (x->tdepth < NX_TABLE_DEPTH)
		str_set(x->tkey[x->tdepth], sizeof(x->tkey[0]), k ? k : "");
	x->tdepth++;
}

void nx_table_end(struct nx *x)
{
	if (x->tdepth > 0)
		x->tdepth--;
}

void nx_elem_start(struct nx *x, const char **atts)
{
	const char *k = nx_attr(atts, "key");

	str_set(x->ekey, sizeof(x->ekey), k ? k : "");
	x->in_elem = 1;
	x->capture = 1;
	buf_reset(&x->text);
}

/* One attribute of a certificate name (ssl-cert table "subject" or "issuer"). */
static void name_part(struct nx *x, struct nx_name *nm, const char *t, size_t n)
{
	const char *key = x->ekey;

	for (size_t i = 0; i < DN_COUNT; i++)
		if (!strcmp(dn[i].nmap, x->ekey))
			key = dn[i].name;
	if (nm->n >= NX_NAME_PARTS)
		return;
	str_set(nm->part[nm->n].key, sizeof(nm->part[0].key), key);
	str_copy(nm->part[nm->n].val, sizeof(nm->part[0].val), t, n);
	nm->n++;
}

void nx_elem_end(struct nx *x)
{
	const char *t = buf_str(&x->text);
	size_t n = x->text.len > NX_TEXT_MAX ? NX_TEXT_MAX : x->text.len;
	unsigned fl = x->text.len > NX_TEXT_MAX ? OBS_TRUNCATED : 0;
	int port = !x->in_hostscript;

	x->capture = x->in_elem = 0;
	x->elems++;
	if (x->scr == SCR_TITLE && x->tdepth == 0 && !strcmp(x->ekey, "title") && n)
		nx_emit(x, OBS_HTTP_TITLE, "", t, n, port, fl);
	else if (x->scr == SCR_SERVER && x->tdepth == 0 && !x->ekey[0] && n)
		nx_emit(x, OBS_HTTP_SERVER, "", t, n, port, fl);
	else if (x->scr == SCR_SSL && x->tdepth == 1 && !strcmp(x->tkey[0], "subject"))
		name_part(x, &x->subj, t, n);
	else if (x->scr == SCR_SSL && x->tdepth == 1 && !strcmp(x->tkey[0], "issuer"))
		name_part(x, &x->iss, t, n);
}

/* One "%r(NAME,HEXLEN,"DATA")" of a fingerprint at s; returns the bytes used, 0 when malformed. */
static size_t fp_response(struct nx *x, const char *s, size_t n)
{
	const char *name = s, *c1, *c2, *q;
	char probe[32], hex[16], *end;
	unsigned long want;
	size_t i;

	c1 = memchr(s, ',', n);
	c2 = c1 ? memchr(c1 + 1, ',', n - (size_t)(c1 + 1 - s)) : NULL;
	if (!c1 || !c2 || c2 + 1 >= s + n || c2[1] != '"' || (size_t)(c1 - name) >= sizeof(probe) ||
	    (size_t)(c2 - c1 - 1) >= sizeof(hex) || c2 == c1 + 1)
		return 0;
	str_copy(probe, sizeof(probe), name, (size_t)(c1 - name));
	str_copy(hex, sizeof(hex), c1 + 1, (size_t)(c2 - c1 - 1));
	want = strtoul(hex, &end, 16);
	if (*end)
		return 0;
	q = c2 + 2;
	for (i = (size_t)(q - s); i < n && s[i] != '"'; i++)
		if (s[i] == '\\')
			i++;
	if (i >= n)
		return 0;
	buf_reset(&x->val);
	imp_unescape(&x->val, q, (size_t)(s + i - q));
	nx_emit(x, OBS_SERVICE_RESPONSE, probe, buf_str(&x->val), x->val.len, 1,
		x->val.len < want ? OBS_TRUNCATED : 0);
	return i + 1;
}

void nx_servicefp(struct nx *x, const char *fp)
{
	size_t n = strlen(fp), used;
	const char *p = fp;
	int count = 0;

	while (!x->stop && count < NX_FP_MAX && (p = strstr(p, "%r(")) != NULL) {
		p += 3;
		used = fp_response(x, p, n - (size_t)(p - fp));
		if (!used)
			continue;
		p += used;
		count++;
	}
}
