/*
 * nmapxml.c - nmap's XML output (-oX), read by expat in chunks so that the
 * file never sits in memory whole.  For each <host>: its addresses (the MAC
 * as an OBS_MAC observation), hostnames, and for each open port the -sV
 * result as OBS_NMAP_SERVICE "product|version|extrainfo|devicetype|ostype|name"
 * with one OBS_CPE per <cpe>; the best OS match's CPEs; and what some scripts
 * found (nmapscript.c).  masscan's -oX, which imitates this format, has its
 * banners mapped as masscan.c maps them.  Hostile XML is refused: entity declarations stop
 * the parse (no billion laughs), nesting, attribute and token sizes are
 * capped, and expat's hash salt is random.  docs/import.md has the mapping.
 */
#include "nmapxml_int.h"

#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

const char *nx_attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(atts[i], name))
			return atts[i + 1];
	return NULL;
}

void nx_stop(struct nx *x, int rc)
{
	if (!x->stop)
		x->stop = rc;
	XML_StopParser(x->p, XML_FALSE);
}

static unsigned long cur_line(const struct nx *x)
{
	return (unsigned long)XML_GetCurrentLineNumber(x->p);
}

static unsigned long cur_col(const struct nx *x)
{
	return (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1;
}

void nx_host_bad(struct nx *x, const char *fmt, ...)
{
	char msg[TM_ERRLEN];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rc = imp_bad(x->r, cur_line(x), cur_col(x), "%s", msg);
	if (rc == IMP_SKIP && x->in_host)
		x->host_bad = 1;
	else
		nx_stop(x, rc);
}

int nx_emit(struct nx *x, enum obs_kind k, const char *probe, const void *p, size_t n, int port,
	    unsigned flags)
{
	struct obs o = x->h;
	int rc;

	o.kind = k;
	o.flags = flags;
	str_set(o.probe, sizeof(o.probe), probe ? probe : "");
	if (port) {
		o.port = x->port;
		o.proto = x->proto;
	}
	obs_set_value(&o, p, n);
	rc = imp_emit(x->r, cur_line(x), &o);
	if (rc)
		nx_stop(x, rc);
	return rc;
}

/* Emits what the host's addresses say, once, before its first other element. */
static void flush(struct nx *x)
{
	if (x->flushed)
		return;
	x->flushed = 1;
	if (x->h.mac[0])
		nx_emit(x, OBS_MAC, "", x->h.mac, strlen(x->h.mac), 0, 0);
}

static void host_start(struct nx *x, const char **atts)
{
	const char *t = nx_attr(atts, "starttime");

	if (!t && x->masscan)
		t = nx_attr(atts, "endtime"); /* masscan writes only that */
	x->r->st->records++;
	x->in_host = 1;
	x->host_bad = x->flushed = 0;
	x->osmatches = x->os_ok = x->in_osclass = 0;
	x->in_port = x->in_service = x->in_hostscript = 0;
	x->capture = 0;
	x->scr = SCR_NONE;
	x->host_line = cur_line(x);
	imp_obs_init(&x->h, x->masscan ? "masscan" : "nmap");
	x->h.time = x->run_time;
	if (t && !imp_time(t, strlen(t), &x->h.time))
		nx_host_bad(x, "bad starttime \"%.40s\"", t);
}

static void address(struct nx *x, const char **atts)
{
	const char *a = nx_attr(atts, "addr"), *t = nx_attr(atts, "addrtype");

	if (!a || !t) {
		nx_host_bad(x, "address without addr or addrtype");
		return;
	}
	if (!strcmp(t, "mac")) {
		if (!imp_mac(a, strlen(a), x->h.mac))
			nx_host_bad(x, "bad MAC address \"%.40s\"", a);
	} else if (!strcmp(t, "ipv4") || !strcmp(t, "ipv6")) {
		if (!imp_addr(a, strlen(a), x->h.addr))
			nx_host_bad(x, "bad address \"%.60s\"", a);
	}
}

static void port_start(struct nx *x, const char **atts)
{
	const char *pr = nx_attr(atts, "protocol"), *id = nx_attr(atts, "portid");
	uint64_t v;

	x->in_port = 1;
	x->open = 0;
	x->svcname[0] = 0;
	if (!pr || !imp_proto(pr, strlen(pr), &x->proto))
		x->proto = 0;
	if (!id || !str_to_u64(id, strlen(id), &v) || v > 65535) {
		nx_host_bad(x, "bad portid \"%.20s\"", id ? id : "");
		return;
	}
	x->port = (uint16_t)v;
}

/* Appends one field of the service value, '|' in it turned into '/'. */
static void field(struct buf *b, const char *s, int last)
{
	for (; s && *s; s++)
		buf_addc(b, *s == '|' ? '/' : *s);
	if (!last)
		buf_addc(b, '|');
}

/* masscan -oX: <service name="ssh" banner="SSH-2.0-..."> with masscan's \xNN escapes. */
static void masscan_banner(struct nx *x, const char **atts)
{
	const char *name = nx_attr(atts, "name"), *b = nx_attr(atts, "banner");
	struct obs o = x->h;
	int rc;

	if (!name || !b)
		return;
	o.port = x->port;
	o.proto = x->proto;
	x->mb.line = cur_line(x);
	buf_reset(&x->mb.val);
	rc = imp_unescape(&x->mb.val, b, strlen(b));
	if (!rc)
		rc = imp_mb_banner(&x->mb, &o, name, strlen(name));
	if (rc)
		nx_stop(x, rc);
}

static void service(struct nx *x, const char **atts)
{
	static const char *const keys[] = {"product",	 "version", "extrainfo",
					   "devicetype", "ostype",  "name"};
	const char *m = nx_attr(atts, "method"), *hn = nx_attr(atts, "hostname");
	const char *fp = nx_attr(atts, "servicefp");

	if (!x->in_port || !x->open)
		return;
	if (x->masscan) {
		masscan_banner(x, atts);
		return;
	}
	x->in_service = 1;
	str_set(x->svcname, sizeof(x->svcname), nx_attr(atts, "name"));
	if (!m || strcmp(m, "table")) {
		buf_reset(&x->val);
		for (int i = 0; i < 6; i++)
			field(&x->val, nx_attr(atts, keys[i]), i == 5);
		if (nx_emit(x, OBS_NMAP_SERVICE, "", buf_str(&x->val), x->val.len, 1, 0))
			return;
	}
	if (hn && *hn && nx_emit(x, OBS_HOSTNAME, "", hn, strlen(hn), 1, 0))
		return;
	if (fp)
		nx_servicefp(x, fp);
}

static void osmatch(struct nx *x, const char **atts)
{
	const char *a = nx_attr(atts, "accuracy");
	uint64_t acc = 0;

	/* only the best guess (nmap lists it first), and only when nmap is fairly sure */
	x->os_ok = x->osmatches++ == 0 && a && str_to_u64(a, strlen(a), &acc) && acc >= 90;
}

/* Too long an attribute marks the host bad: nothing we map needs one. */
static int attrs_ok(struct nx *x, const char **atts)
{
	for (int i = 0; atts[i]; i += 2)
		if (strlen(atts[i + 1]) > NX_ATTR_MAX) {
			nx_host_bad(x, "attribute %.30s longer than %d bytes", atts[i],
				    NX_ATTR_MAX);
			return 0;
		}
	return 1;
}

static void XMLCALL start(void *ctx, const char *name, const char **atts)
{
	struct nx *x = ctx;

	x->last_event = x->fed;
	if (++x->depth > NX_DEPTH_MAX) {
		nx_stop(x, imp_bad(x->r, cur_line(x), cur_col(x),
				   "XML nested deeper than %d elements", NX_DEPTH_MAX));
		return;
	}
	if (!strcmp(name, "nmaprun")) {
		const char *t = nx_attr(atts, "start");

		if (t && !imp_time(t, strlen(t), &x->run_time))
			x->run_time = 0;
		t = nx_attr(atts, "scanner");
		x->masscan = t && !strcmp(t, "masscan");
		return;
	}
	if (!strcmp(name, "host")) {
		host_start(x, atts);
		return;
	}
	if (!x->in_host || x->host_bad || !attrs_ok(x, atts))
		return;
	if (!strcmp(name, "address")) {
		address(x, atts);
		return;
	}
	if (strcmp(name, "status"))
		flush(x);
	if (x->stop)
		return;
	if (!strcmp(name, "hostname")) {
		const char *n = nx_attr(atts, "name");

		if (n && *n)
			nx_emit(x, OBS_HOSTNAME, "", n, strlen(n), 0, 0);
	} else if (!strcmp(name, "port")) {
		port_start(x, atts);
	} else if (!strcmp(name, "state") && x->in_port) {
		const char *s = nx_attr(atts, "state");

		x->open = s && !strncmp(s, "open", 4);
	} else if (!strcmp(name, "service")) {
		service(x, atts);
	} else if (!strcmp(name, "cpe")) {
		x->capture = 1;
		buf_reset(&x->text);
	} else if (!strcmp(name, "hostscript")) {
		x->in_hostscript = 1;
	} else if (!strcmp(name, "script") && ((x->in_port && x->open) || x->in_hostscript)) {
		nx_script_start(x, atts);
	} else if (!strcmp(name, "table") && x->scr) {
		nx_table_start(x, atts);
	} else if (!strcmp(name, "elem") && x->scr) {
		nx_elem_start(x, atts);
	} else if (!strcmp(name, "osmatch")) {
		osmatch(x, atts);
	} else if (!strcmp(name, "osclass")) {
		x->in_osclass = 1;
	}
}

static void cpe_end(struct nx *x)
{
	unsigned fl = x->text.len > NX_TEXT_MAX ? OBS_TRUNCATED : 0;
	const char *t = buf_str(&x->text);
	size_t n = x->text.len;

	x->capture = 0;
	str_trim(&t, &n);
	if (!n)
		return;
	if (x->in_service)
		nx_emit(x, OBS_CPE, "", t, n, 1, fl);
	else if (x->in_osclass && x->os_ok)
		nx_emit(x, OBS_CPE, "", t, n, 0, fl);
}

static void XMLCALL end(void *ctx, const char *name)
{
	struct nx *x = ctx;

	x->last_event = x->fed;
	x->depth--;
	if (!strcmp(name, "host")) {
		if (!x->host_bad)
			flush(x);
		x->in_host = x->host_bad = 0;
		return;
	}
	if (!x->in_host || x->host_bad)
		return;
	if (!strcmp(name, "port"))
		x->in_port = x->open = 0;
	else if (!strcmp(name, "service"))
		x->in_service = 0;
	else if (!strcmp(name, "cpe") && x->capture)
		cpe_end(x);
	else if (!strcmp(name, "hostscript"))
		x->in_hostscript = 0;
	else if (!strcmp(name, "script") && x->scr)
		nx_script_end(x);
	else if (!strcmp(name, "table") && x->scr)
		nx_table_end(x);
	else if (!strcmp(name, "elem") && x->scr)
		nx_elem_end(x);
	else if (!strcmp(name, "osclass"))
		x->in_osclass = 0;
	else if (!strcmp(name, "osmatch"))
		x->os_ok = 0;
}

static void XMLCALL text(void *ctx, const char *s, int len)
{
	struct nx *x = ctx;

	x->last_event = x->fed;
	if (!x->capture || x->host_bad || len <= 0)
		return;
	if (x->text.len + (size_t)len > NX_TEXT_MAX + 1)
		len = (int)(NX_TEXT_MAX + 1 - x->text.len); /* one more byte marks the cut */
	if (len > 0)
		buf_add(&x->text, s, (size_t)len);
}

static void XMLCALL other(void *ctx, const char *a, const char *b)
{
	struct nx *x = ctx;

	(void)a, (void)b;
	x->last_event = x->fed;
}

static void XMLCALL comment(void *ctx, const char *s)
{
	other(ctx, s, NULL);
}

static void XMLCALL entity(void *ctx, const char *name, int param, const char *value, int vlen,
			   const char *base, const char *sys, const char *pub, const char *notation)
{
	struct nx *x = ctx;

	(void)param, (void)value, (void)vlen, (void)base, (void)sys, (void)pub, (void)notation;
	nx_stop(x, imp_bad(x->r, cur_line(x), cur_col(x),
			   "entity declarations are not allowed (\"%.40s\")", name));
}

static const XML_Memory_Handling_Suite mem_suite = {mem_alloc, mem_realloc, mem_free};

static int setup(struct nx *x, struct imp_run *r)
{
	unsigned long salt;

	memset(x, 0, sizeof(*x));
	x->r = r;
	buf_init(&x->text, NX_TEXT_MAX + 2);
	buf_init(&x->val, 4 * OBS_VALUE_MAX);
	imp_mb_init(&x->mb, r);
	x->p = XML_ParserCreate_MM(NULL, &mem_suite, NULL);
	if (!x->p)
		return err_set(r->eb, r->el, TM_ENOMEM, "%s: out of memory", r->file);
	if (getrandom(&salt, sizeof(salt), GRND_NONBLOCK) != sizeof(salt))
		salt = (unsigned long)(uintptr_t)x ^ 0x5bd1e995UL;
	XML_SetHashSalt(x->p, salt);
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, start, end);
	XML_SetCharacterDataHandler(x->p, text);
	XML_SetCommentHandler(x->p, comment);
	XML_SetProcessingInstructionHandler(x->p, other);
	XML_SetEntityDeclHandler(x->p, entity);
	return 0;
}

/* Turns expat's verdict on the bytes so far into our return code. */
static int verdict(struct nx *x, enum XML_Status st)
{
	if (x->stop)
		return x->stop;
	if (st == XML_STATUS_ERROR) {
		x->stop = imp_bad(x->r, (unsigned long)XML_GetCurrentLineNumber(x->p),
				  (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1, "XML: %s",
				  XML_ErrorString(XML_GetErrorCode(x->p)));
		return x->stop;
	}
	if (x->fed - x->last_event > NX_TOKEN_MAX)
		x->stop = imp_bad(x->r, (unsigned long)XML_GetCurrentLineNumber(x->p),
				  (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1,
				  "an XML token longer than %d bytes", NX_TOKEN_MAX);
	return x->stop;
}

static int run(struct imp_run *r, struct imp_chunks *ch)
{
	struct nx x;
	const char *p;
	size_t n;
	int rc;

	rc = setup(&x, r);
	while (!rc && (rc = imp_chunks_next(ch, &p, &n)) == 1) {
		r->st->bytes += (long long)n;
		x.fed += n;
		rc = verdict(&x, XML_Parse(x.p, p, (int)n, XML_FALSE));
	}
	if (!rc && x.p)
		rc = verdict(&x, XML_Parse(x.p, "", 0, XML_TRUE));
	if (rc == IMP_SKIP)
		rc = 0;
	if (rc && r->eb && r->el && !r->eb[0])
		err_set(r->eb, r->el, rc, "%s: %s", r->file, tm_strerror(rc));
	if (x.p)
		XML_ParserFree(x.p);
	buf_fini(&x.text);
	buf_fini(&x.val);
	imp_mb_fini(&x.mb);
	return rc;
}

int imp_nmap_xml(const char *path, const struct imp_sink *k, int skip_bad, struct imp_stats *st,
		 char *eb, size_t el)
{
	return imp_drive_chunks(path, 0, NULL, 0, run, k, skip_bad, st, eb, el);
}

int imp_nmap_xml_mem(const char *file, const char *data, size_t len, const struct imp_sink *k,
		     int skip_bad, struct imp_stats *st, char *eb, size_t el)
{
	return imp_drive_chunks(file, 1, data, len, run, k, skip_bad, st, eb, el);
}
