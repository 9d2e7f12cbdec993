/*
 * upnp.c - UPnP device description parsing with expat (upnp.h).  The
 * handlers only track depth and copy character data into the one field
 * being read, with bounds; a DOCTYPE stops the parser before any entity can
 * be declared, so entity expansion attacks never start.
 */
#include "upnp.h"

#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"

#include <expat.h>
#include <string.h>

struct ctx {
	XML_Parser p;
	struct upnp_desc *d;
	int depth;   /* current element depth (root = 1) */
	int dev;     /* depth of the first <device>; 0 before it */
	int done;    /* that device has closed */
	int rc;	     /* our own reason to stop, or 0 */
	char *field; /* the field being filled, or NULL */
	size_t cap;  /* its size */
	size_t len;  /* bytes in it */
};

static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');

	return c ? c + 1 : name;
}

static void pick(struct ctx *c, const char *name)
{
	static const struct {
		const char *tag;
		size_t off, cap;
	} f[] = {
	    {"manufacturer", offsetof(struct upnp_desc, manufacturer),
	     sizeof(((struct upnp_desc *)0)->manufacturer)},
	    {"modelName", offsetof(struct upnp_desc, model_name),
	     sizeof(((struct upnp_desc *)0)->model_name)},
	    {"modelNumber", offsetof(struct upnp_desc, model_number),
	     sizeof(((struct upnp_desc *)0)->model_number)},
	    {"friendlyName", offsetof(struct upnp_desc, friendly_name),
	     sizeof(((struct upnp_desc *)0)->friendly_name)},
	    {"modelDescription", offsetof(struct upnp_desc, model_description),
	     sizeof(((struct upnp_desc *)0)->model_description)},
	    {"serialNumber", offsetof(struct upnp_desc, serial),
	     sizeof(((struct upnp_desc *)0)->serial)},
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		char *dst = (char *)c->d + f[i].off;

		if (!strcmp(name, f[i].tag) && !dst[0]) {
			c->field = dst, c->cap = f[i].cap, c->len = 0;
			return;
		}
	}
}

static void stop(struct ctx *c, int rc)
{
	if (!c->rc)
		c->rc = rc;
	XML_StopParser(c->p, XML_FALSE);
}

static void XMLCALL on_start(void *u, const XML_Char *name, const XML_Char **atts)
{
	struct ctx *c = u;
	const char *l = local(name);

	(void)atts;
	if (++c->depth > UPNP_DEPTH_MAX) {
		stop(c, TM_ELIMIT);
		return;
	}
	if (!c->dev && !c->done && !strcmp(l, "device"))
		c->dev = c->depth;
	else if (c->dev && c->depth == c->dev + 1)
		pick(c, l);
}

/* Trims white space at both ends of the field just closed. */
static void trim(struct ctx *c)
{
	const char *s = c->field;
	size_t n = c->len;

	str_trim(&s, &n);
	memmove(c->field, s, n);
	c->field[n] = '\0';
}

static void XMLCALL on_end(void *u, const XML_Char *name)
{
	struct ctx *c = u;

	(void)name;
	if (c->field && c->depth == c->dev + 1) {
		trim(c);
		c->field = NULL;
	}
	if (c->dev && c->depth == c->dev) {
		c->dev = 0;
		c->done = 1;
	}
	c->depth--;
}

static void XMLCALL on_text(void *u, const XML_Char *s, int n)
{
	struct ctx *c = u;
	size_t k = (size_t)n;

	if (!c->field || n <= 0)
		return;
	if (k > c->cap - 1 - c->len) {
		k = c->cap - 1 - c->len;
		c->d->truncated = 1;
	}
	memcpy(c->field + c->len, s, k);
	c->len += k;
	c->field[c->len] = '\0';
}

static void XMLCALL on_doctype(void *u, const XML_Char *name, const XML_Char *sys,
			       const XML_Char *pub, int internal)
{
	(void)name, (void)sys, (void)pub, (void)internal;
	stop(u, TM_EPROTO);
}

static void XMLCALL on_entity(void *u, const XML_Char *name, int param, const XML_Char *val,
			      int vlen, const XML_Char *base, const XML_Char *sys,
			      const XML_Char *pub, const XML_Char *notation)
{
	(void)name, (void)param, (void)val, (void)vlen, (void)base, (void)sys, (void)pub,
	    (void)notation;
	stop(u, TM_EPROTO);
}

int upnp_parse(const uint8_t *xml, size_t n, struct upnp_desc *d)
{
	static const XML_Memory_Handling_Suite ms = {mem_alloc, mem_realloc, mem_free};
	struct ctx c;
	enum XML_Status st;

	memset(d, 0, sizeof(*d));
	if (n > UPNP_DOC_MAX)
		return TM_ELIMIT;
	memset(&c, 0, sizeof(c));
	c.d = d;
	c.p = XML_ParserCreate_MM(NULL, &ms, NULL);
	if (!c.p)
		return TM_ENOMEM;
	XML_SetUserData(c.p, &c);
	XML_SetElementHandler(c.p, on_start, on_end);
	XML_SetCharacterDataHandler(c.p, on_text);
	XML_SetStartDoctypeDeclHandler(c.p, on_doctype);
	XML_SetEntityDeclHandler(c.p, on_entity);
	XML_SetParamEntityParsing(c.p, XML_PARAM_ENTITY_PARSING_NEVER);
	st = XML_Parse(c.p, (const char *)(xml ? xml : (const uint8_t *)""), (int)n, XML_TRUE);
	if (st != XML_STATUS_OK && !c.rc)
		c.rc = XML_GetErrorCode(c.p) == XML_ERROR_NO_MEMORY ? TM_ENOMEM : TM_EPROTO;
	XML_ParserFree(c.p);
	if (c.field) /* cut inside a field: keep it, trimmed */
		trim(&c);
	if (c.rc)
		return c.rc;
	return c.done ? 0 : TM_ENOTFOUND;
}
