/*
 * persona.c - reads the emulator's personas (tools/emu/personas.tm, stanza
 * format of src/kb/stanza.h) and prebuilds every answer a persona gives: the
 * greeting per banner port, the whole HTTP answer, the UPnP description, the
 * RTSP reply around its CSeq, and the SNMP values.  See docs/emulator.md for
 * the fields.
 */
#include "emu.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/mem.h"
#include "core/str.h"
#include "kb/stanza.h"

#include <string.h>

const struct emu_slotdef emu_slots[EMU_NSLOT] = {
    [EMU_FTP] = {21, 0, EMU_K_BANNER, "ftp"},
    [EMU_SSH] = {22, 0, EMU_K_BANNER, "ssh"},
    [EMU_TELNET] = {23, 0, EMU_K_BANNER, "telnet"},
    [EMU_SMTP] = {25, 0, EMU_K_BANNER, "smtp"},
    [EMU_HTTP] = {80, 0, EMU_K_HTTP, "http"},
    [EMU_HTTPS] = {443, 0, EMU_K_HTTPS, "https"},
    [EMU_RTSP] = {554, 0, EMU_K_RTSP, "rtsp"},
    [EMU_NETCONF] = {830, 0, EMU_K_BANNER, "ssh"},
    [EMU_HTTP8000] = {8000, 0, EMU_K_HTTP, "http"},
    [EMU_HTTP8080] = {8080, 0, EMU_K_HTTP, "http"},
    [EMU_HTTPS8443] = {8443, 0, EMU_K_HTTPS, "https"},
    [EMU_DVR37777] = {37777, 0, EMU_K_BANNER, "banner"},
    [EMU_SNMP] = {161, 1, EMU_K_SNMP, "snmp"},
    [EMU_SSDP] = {1900, 1, EMU_K_SSDP, "ssdp"},
};

const char *const emu_hostile_names[EMU_H_N] = {
    "none", "endless", "drip", "bigheader", "badtls", "badsnmp", "html", "reset", "silent",
};

#define BIGHEADER (1024 * 1024)

/* The banner field of each banner slot. */
static const char *const greet_key[EMU_NSLOT] = {
    [EMU_FTP] = "ftp",	 [EMU_SSH] = "ssh",	    [EMU_TELNET] = "telnet",
    [EMU_SMTP] = "smtp", [EMU_NETCONF] = "netconf", [EMU_DVR37777] = "dvr",
};

/* Decoded value of field key into out (reset first); 1 if present, 0 if not, <0 on error. */
static int field(const struct st_rec *r, const char *key, struct buf *out, char *eb, size_t el)
{
	const struct st_field *f = stanza_get(r, key);

	buf_reset(out);
	if (!f)
		return 0;
	if (stanza_unquote(f, out) < 0)
		return err_set(eb, el, TM_EPROTO, "%s:%u: bad quoted value of %s", r->file, f->line,
			       key);
	return 1;
}

/* Moves the contents of b into s (empty buffer: an empty string). */
static int take(struct buf *b, struct emu_str *s)
{
	size_t n = b->len;

	if (buf_addc(b, 0) < 0)
		return TM_ENOMEM;
	b->len = n;
	s->n = n;
	s->p = buf_take(b);
	return s->p ? 0 : TM_ENOMEM;
}

static int parse_ports(const struct st_rec *r, struct emu_persona *p, char *eb, size_t el)
{
	const struct st_field *f = stanza_get(r, "ports");
	const char *s, *e;

	if (!f)
		return err_set(eb, el, TM_EPROTO, "%s:%u: persona %s has no ports", r->file,
			       r->line, r->id);
	for (s = f->val; *s;) {
		uint64_t v;
		int i;

		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		for (e = s; *e && *e != ' ' && *e != '\t' && *e != ','; e++)
			;
		if (e == s)
			break;
		if (!str_to_u64(s, (size_t)(e - s), &v))
			return err_set(eb, el, TM_EPROTO, "%s:%u: bad port", r->file, f->line);
		for (i = 0; i < EMU_NSLOT && emu_slots[i].port != v; i++)
			;
		if (i == EMU_NSLOT)
			return err_set(eb, el, TM_EPROTO, "%s:%u: port %lu is not in @network",
				       r->file, f->line, (unsigned long)v);
		p->slots |= 1u << i;
		s = e;
	}
	return 0;
}

/* The HTTP answer to GET / from the http_* fields. */
static int build_http(const struct st_rec *r, struct emu_persona *p, struct buf *v, char *eb,
		      size_t el)
{
	struct buf h, body;
	int rc, i;

	buf_init(&h, 0);
	buf_init(&body, 0);
	rc = field(r, "http_body", &body, eb, el);
	if (rc == 0 && (rc = field(r, "http_title", v, eb, el)) > 0)
		rc = buf_printf(&body, "<html><head><title>%s</title></head><body></body></html>\n",
				buf_str(v));
	if (rc < 0)
		goto out;
	rc = field(r, "http_status", v, eb, el);
	if (rc >= 0)
		rc = buf_printf(&h, "HTTP/1.1 %s\r\n", rc ? buf_str(v) : "200 OK");
	if (rc >= 0 && (rc = field(r, "http_server", v, eb, el)) > 0)
		rc = buf_printf(&h, "Server: %s\r\n", buf_str(v));
	if (rc >= 0 && (rc = field(r, "http_realm", v, eb, el)) > 0) {
		char realm[256];
		str_set(realm, sizeof realm, buf_str(v));
		rc = field(r, "http_auth", v, eb, el);
		if (rc >= 0 && rc && strcmp(buf_str(v), "Digest") == 0)
			rc = buf_printf(&h,
					"WWW-Authenticate: Digest realm=\"%s\", qop=\"auth\", "
					"nonce=\"4e6f6e63653a3031\", stale=\"FALSE\"\r\n",
					realm);
		else if (rc >= 0)
			rc = buf_printf(&h, "WWW-Authenticate: Basic realm=\"%s\"\r\n", realm);
	}
	for (i = 0; rc >= 0 && i < r->nf; i++) {
		if (strcmp(r->f[i].key, "http_header") != 0)
			continue;
		buf_reset(v);
		rc = stanza_unquote(&r->f[i], v);
		if (rc >= 0)
			rc = buf_printf(&h, "%s\r\n", buf_str(v));
	}
	if (rc >= 0 && p->hostile == EMU_H_BIGHEADER) {
		rc = buf_adds(&h, "X-Padding: ");
		for (i = 0; rc >= 0 && i < BIGHEADER / 64; i++)
			rc = buf_adds(
			    &h, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
		if (rc >= 0)
			rc = buf_adds(&h, "\r\n");
	}
	if (rc >= 0)
		rc = buf_printf(
		    &h,
		    "Content-Type: text/html\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		    body.len);
	if (rc >= 0)
		rc = buf_add(&h, body.p ? body.p : "", body.len);
	if (rc >= 0)
		rc = take(&h, &p->http);
out:
	buf_fini(&h);
	buf_fini(&body);
	return rc < 0 ? (rc == TM_ELIMIT || rc == TM_ENOMEM
			     ? err_set(eb, el, rc, "%s:%u: out of memory", r->file, r->line)
			     : rc)
		      : 0;
}

/* Appends <tag>escaped value</tag> when the field is present. */
static int xml_el(struct buf *x, const struct st_rec *r, const char *key, const char *tag,
		  struct buf *v, char *eb, size_t el)
{
	int rc = field(r, key, v, eb, el);

	if (rc <= 0)
		return rc;
	if ((rc = buf_printf(x, "<%s>", tag)) < 0 || (rc = esc_html(x, v->p, v->len)) < 0)
		return rc;
	return buf_printf(x, "</%s>", tag);
}

/* The UPnP description (UPnP Device Architecture 1.0, 2.1) and its HTTP head. */
static int build_upnp(const struct st_rec *r, struct emu_persona *p, struct buf *v, char *eb,
		      size_t el)
{
	struct buf x, h;
	int rc;

	if (!stanza_get(r, "upnp_manufacturer"))
		return 0;
	buf_init(&x, 0);
	buf_init(&h, 0);
	rc = buf_adds(&x,
		      "<?xml version=\"1.0\"?>\r\n<root xmlns=\"urn:schemas-upnp-org:device-1-0\">"
		      "<specVersion><major>1</major><minor>0</minor></specVersion><device>");
	if (rc >= 0)
		rc = xml_el(&x, r, "upnp_type", "deviceType", v, eb, el);
	if (rc >= 0)
		rc = xml_el(&x, r, "upnp_name", "friendlyName", v, eb, el);
	if (rc >= 0)
		rc = xml_el(&x, r, "upnp_manufacturer", "manufacturer", v, eb, el);
	if (rc >= 0)
		rc = xml_el(&x, r, "upnp_url", "manufacturerURL", v, eb, el);
	if (rc >= 0)
		rc = xml_el(&x, r, "upnp_model", "modelName", v, eb, el);
	if (rc >= 0)
		rc = xml_el(&x, r, "upnp_number", "modelNumber", v, eb, el);
	if (rc >= 0)
		rc = buf_printf(&x, "<UDN>uuid:%s</UDN></device></root>\r\n", p->uuid);
	if (rc >= 0)
		rc = buf_printf(&h,
				"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=\"utf-8\"\r\n"
				"Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
				x.len, buf_str(&x));
	if (rc >= 0)
		rc = take(&h, &p->upnp);
	buf_fini(&x);
	buf_fini(&h);
	return rc;
}

/* RTSP 1.0 (RFC 2326) reply to OPTIONS: 401 with a realm, or 200 with Public. */
static int build_rtsp(const struct st_rec *r, struct emu_persona *p, struct buf *v, char *eb,
		      size_t el)
{
	struct buf t;
	int rc, realm;

	buf_init(&t, 0);
	realm = field(r, "rtsp_realm", v, eb, el);
	rc = realm;
	if (realm > 0)
		rc = buf_printf(&t,
				"WWW-Authenticate: Digest realm=\"%s\", nonce=\"8d1b5e0c2a7f\", "
				"stale=\"FALSE\"\r\n",
				buf_str(v));
	else if (realm == 0)
		rc = buf_adds(
		    &t, "Public: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, "
			"GET_PARAMETER\r\n");
	if (rc >= 0 && (rc = field(r, "rtsp_server", v, eb, el)) > 0)
		rc = buf_printf(&t, "Server: %s\r\n", buf_str(v));
	if (rc >= 0)
		rc = buf_adds(&t, "\r\n");
	if (rc >= 0)
		rc = take(&t, &p->rtsp_tail);
	buf_fini(&t);
	if (rc < 0)
		return rc;
	buf_reset(v);
	rc = buf_adds(v, realm > 0 ? "RTSP/1.0 401 Unauthorized" : "RTSP/1.0 200 OK");
	return rc < 0 ? rc : take(v, &p->rtsp_head);
}

static int str_field(const struct st_rec *r, const char *key, struct emu_str *s, struct buf *v,
		     char *eb, size_t el)
{
	int rc = field(r, key, v, eb, el);

	return rc < 0 ? rc : take(v, s);
}

/* FNV-1a of the id, spread into a UUID-shaped UDN. */
static void make_uuid(struct emu_persona *p)
{
	uint64_t h = 1469598103934665603ULL, g;
	const char *s;
	char *o = p->uuid;
	int i;

	for (s = p->id; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ULL;
	g = h * 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < 32; i++) {
		uint64_t w = i < 16 ? h : g;
		if (i == 8 || i == 12 || i == 16 || i == 20)
			*o++ = '-';
		*o++ = "0123456789abcdef"[(w >> ((i % 16) * 4)) & 15];
	}
	*o = 0;
}

static int persona_fill(const struct st_rec *r, struct emu_persona *p, struct buf *v, char *eb,
			size_t el)
{
	int rc, i;

	make_uuid(p);
	if ((rc = field(r, "hostile", v, eb, el)) > 0) {
		for (i = 1; i < EMU_H_N && strcmp(emu_hostile_names[i], buf_str(v)) != 0; i++)
			;
		if (i == EMU_H_N)
			return err_set(eb, el, TM_EPROTO, "%s:%u: unknown hostile kind %s", r->file,
				       r->line, buf_str(v));
		p->hostile = i;
	}
	if (rc >= 0 && (rc = field(r, "vendor", v, eb, el)) > 0 && strcmp(buf_str(v), "none") != 0)
		p->vendor = buf_take(v);
	if (rc >= 0)
		rc = parse_ports(r, p, eb, el);
	for (i = 0; rc >= 0 && i < EMU_NSLOT; i++) {
		if (greet_key[i])
			rc = str_field(r, greet_key[i], &p->greet[i], v, eb, el);
	}
	if (rc >= 0 && p->greet[EMU_NETCONF].n == 0 && p->greet[EMU_SSH].n) {
		mem_free(p->greet[EMU_NETCONF].p);
		buf_reset(v);
		if (rc >= 0 && (rc = buf_add(v, p->greet[EMU_SSH].p, p->greet[EMU_SSH].n)) >= 0)
			rc = take(v, &p->greet[EMU_NETCONF]);
	}
	if (rc >= 0)
		rc = build_http(r, p, v, eb, el);
	if (rc >= 0)
		rc = build_upnp(r, p, v, eb, el);
	if (rc >= 0)
		rc = build_rtsp(r, p, v, eb, el);
	if (rc >= 0)
		rc = str_field(r, "ssdp_server", &p->ssdp_server, v, eb, el);
	if (rc >= 0)
		rc = str_field(r, "snmp_descr", &p->sys_descr, v, eb, el);
	if (rc >= 0)
		rc = str_field(r, "snmp_oid", &p->sys_oid, v, eb, el);
	if (rc >= 0)
		rc = str_field(r, "snmp_name", &p->sys_name, v, eb, el);
	if (rc >= 0 && (rc = field(r, "snmp_versions", v, eb, el)) > 0) {
		if (!strcmp(buf_str(v), "1"))
			p->snmp_v1only = 1;
		else if (strcmp(buf_str(v), "1,2c") != 0)
			return err_set(eb, el, TM_EPROTO, "%s:%u: snmp_versions is \"1\" or \"1,2c\"",
				       r->file, r->line);
	}
	if (rc >= 0 && (rc = field(r, "tls_subject", v, eb, el)) > 0)
		p->tls_subject = buf_take(v);
	if (rc >= 0 && (rc = field(r, "tls_issuer", v, eb, el)) > 0)
		p->tls_issuer = buf_take(v);
	if (rc >= 0 && !p->tls_subject && (p->slots & (1u << EMU_HTTPS | 1u << EMU_HTTPS8443)) &&
	    p->hostile != EMU_H_BADTLS)
		return err_set(eb, el, TM_EPROTO,
			       "%s:%u: persona %s serves TLS without tls_subject", r->file, r->line,
			       r->id);
	return rc < 0 ? rc : 0;
}

static int on_rec(void *ctx, const struct st_rec *r, char *eb, size_t el)
{
	struct emu_set *s = ctx;
	struct emu_persona *p, *np;
	struct buf v;
	int rc;

	if (strcmp(r->type, "persona") != 0)
		return err_set(eb, el, TM_EPROTO, "%s:%u: expected a persona record", r->file,
			       r->line);
	if (emu_set_find(s, r->id) >= 0)
		return err_set(eb, el, TM_EPROTO, "%s:%u: persona %s defined twice", r->file,
			       r->line, r->id);
	if (s->n >= 65535)
		return err_set(eb, el, TM_ELIMIT, "%s:%u: too many personas", r->file, r->line);
	np = mem_realloc(s->p, (s->n + 1) * sizeof *s->p);
	if (!np)
		return err_set(eb, el, TM_ENOMEM, "out of memory");
	s->p = np;
	p = &s->p[s->n++];
	memset(p, 0, sizeof *p);
	if (!(p->id = mem_strdup(r->id)))
		return err_set(eb, el, TM_ENOMEM, "out of memory");
	buf_init(&v, 4 * BIGHEADER);
	rc = persona_fill(r, p, &v, eb, el);
	buf_fini(&v);
	return rc;
}

int emu_set_load(struct emu_set *s, const char *path, char *eb, size_t el)
{
	int rc;

	memset(s, 0, sizeof *s);
	rc = stanza_parse_file(path, on_rec, s, eb, el);
	if (rc == 0 && s->n == 0)
		rc = err_set(eb, el, TM_EPROTO, "%s: no personas", path);
	if (rc < 0)
		emu_set_free(s);
	return rc;
}

void emu_set_free(struct emu_set *s)
{
	size_t i;
	int j;

	for (i = 0; s->p && i < s->n; i++) {
		struct emu_persona *p = &s->p[i];
		for (j = 0; j < EMU_NSLOT; j++)
			mem_free(p->greet[j].p);
		mem_free(p->id);
		mem_free(p->vendor);
		mem_free(p->http.p);
		mem_free(p->upnp.p);
		mem_free(p->rtsp_head.p);
		mem_free(p->rtsp_tail.p);
		mem_free(p->ssdp_server.p);
		mem_free(p->sys_descr.p);
		mem_free(p->sys_oid.p);
		mem_free(p->sys_name.p);
		mem_free(p->tls_subject);
		mem_free(p->tls_issuer);
	}
	mem_free(s->p);
	memset(s, 0, sizeof *s);
}

int emu_set_find(const struct emu_set *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->p[i].id, id) == 0)
			return (int)i;
	return -1;
}
