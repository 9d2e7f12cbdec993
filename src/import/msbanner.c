/*
 * msbanner.c - what a masscan banner says, by masscan's service name: the
 * mapping shared by the masscan reader (-oL, -oJ, -oD) and the nmap XML
 * reader (masscan's -oX).  docs/import.md has the table.
 */
#include "imp_int.h"

#include "../core/err.h"
#include "../core/oid.h"
#include "../core/str.h"

#include <string.h>

void imp_mb_init(struct imp_mb *m, struct imp_run *r)
{
	memset(m, 0, sizeof(*m));
	m->r = r;
	buf_init(&m->val, IMP_LINE_MAX);
	buf_init(&m->der, IMP_LINE_MAX);
	buf_init(&m->subj, IMP_LINE_MAX);
	buf_init(&m->iss, IMP_LINE_MAX);
}

void imp_mb_fini(struct imp_mb *m)
{
	buf_fini(&m->val);
	buf_fini(&m->der);
	buf_fini(&m->subj);
	buf_fini(&m->iss);
}

static int put(struct imp_mb *m, struct obs *o, enum obs_kind k, const char *probe, const void *p,
	       size_t n)
{
	o->kind = k;
	str_set(o->probe, sizeof(o->probe), probe);
	o->flags = 0;
	obs_set_value(o, p, n);
	return imp_emit(m->r, m->line, o);
}

/* An X509 banner: a base64 certificate. */
static int x509(struct imp_mb *m, struct obs *o, const char *p, size_t n)
{
	int rc;

	buf_reset(&m->der);
	buf_reset(&m->subj);
	buf_reset(&m->iss);
	if (imp_b64(&m->der, p, n) || !m->der.len)
		return put(m, o, OBS_SERVICE_RESPONSE, "NULL", p, n);
	rc = imp_x509_names((const uint8_t *)m->der.p, m->der.len, &m->subj, &m->iss);
	if (rc == TM_ENOMEM)
		return err_set(m->r->eb, m->r->el, rc, "%s:%lu: %s", m->r->file, m->line,
			       tm_strerror(rc));
	if (rc)
		return put(m, o, OBS_SERVICE_RESPONSE, "NULL", p, n);
	rc = put(m, o, OBS_TLS_SUBJECT, "", buf_str(&m->subj), m->subj.len);
	return rc ? rc : put(m, o, OBS_TLS_ISSUER, "", buf_str(&m->iss), m->iss.len);
}

/* An SNMP banner: lines "sysDescr:..." and "sysObjectID:...". */
static int snmp(struct imp_mb *m, struct obs *o, const char *p, size_t n)
{
	const char *l;
	size_t ln;
	struct rd r;
	int rc = 0, any = 0;

	rd_init(&r, p, n);
	while (!rc && rd_line(&r, &l, &ln, n, NULL)) {
		uint32_t arcs[OID_MAX_ARCS];
		char dotted[512];
		int na;

		if (str_has_prefix(l, ln, "sysDescr:")) {
			rc = put(m, o, OBS_SNMP_SYSDESCR, "", l + 9, ln - 9);
			any = 1;
		} else if (str_has_prefix(l, ln, "sysObjectID:") &&
			   (na = oid_parse(l + 12, ln - 12, arcs, OID_MAX_ARCS)) > 0 &&
			   !oid_format(arcs, na, dotted, sizeof(dotted))) {
			rc = put(m, o, OBS_SNMP_SYSOBJECTID, "", dotted, strlen(dotted));
			any = 1;
		}
	}
	return rc || any ? rc : put(m, o, OBS_SERVICE_RESPONSE, "NULL", p, n);
}

/*
 * An HTTP response head: its Server header, else the whole head as nmap's
 * GetRequest response; and the realm of a WWW-Authenticate header.
 */
static int http(struct imp_mb *m, struct obs *o, const char *p, size_t n)
{
	const char *v, *r, *q;
	size_t vn;
	int rc;

	if (imp_http_header(p, n, "Server", &v, &vn))
		rc = put(m, o, OBS_HTTP_SERVER, "", v, vn);
	else
		rc = put(m, o, OBS_SERVICE_RESPONSE, "GetRequest", p, n);
	if (rc || !imp_http_header(p, n, "WWW-Authenticate", &v, &vn))
		return rc;
	r = str_casefind(v, vn, "realm=\"");
	if (!r)
		return 0;
	r += 7;
	q = memchr(r, '"', vn - (size_t)(r - v));
	return q ? put(m, o, OBS_HTTP_REALM, "", r, (size_t)(q - r)) : 0;
}

int imp_mb_banner(struct imp_mb *m, struct obs *o, const char *name, size_t nn)
{
	const char *p = m->val.p ? m->val.p : "";
	size_t n = m->val.len;
	static const struct {
		const char *name;
		enum obs_kind k;
	} plain[] = {
	    {"ssh", OBS_SSH_BANNER},   {"ftp", OBS_FTP_BANNER},
	    {"smtp", OBS_SMTP_BANNER}, {"telnet", OBS_TELNET_BANNER},
	    {"title", OBS_HTTP_TITLE}, {"http.server", OBS_HTTP_SERVER},
	};

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (str_caseeq(name, nn, plain[i].name))
			return put(m, o, plain[i].k, "", p, n);
	if (str_caseeq(name, nn, "http"))
		return http(m, o, p, n);
	if (str_caseeq(name, nn, "X509"))
		return x509(m, o, p, n);
	if (str_caseeq(name, nn, "X509CA"))
		return 0; /* a CA certificate of the chain: says nothing of the device */
	if (str_caseeq(name, nn, "snmp"))
		return snmp(m, o, p, n);
	return put(m, o, OBS_SERVICE_RESPONSE, "NULL", p, n);
}
