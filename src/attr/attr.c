/*
 * attr.c - candidates for one observation from every knowledge source
 * (attr.h).  The dispatch by kind is a table: which of OUI, enterprise
 * numbers, nmap probes (and which probe), our rules, or a plain vendor-name
 * search applies, and how strong a bare vendor name is in that field.
 *
 * nmap lines are judged by what the banner itself says: a match whose banner
 * names the vendor it claims is fair evidence; one that infers the vendor from
 * a bare shape (nmap 7.93 calls "SSH-2.0--" Huawei VRP, "Server: Webs"
 * Hikvision) is weak, and weak evidence alone never claims a vendor.
 */
#include "attr.h"
#include "derive.h"
#include "../core/buf.h"
#include "../core/mem.h"
#include "../core/oid.h"
#include "../core/str.h"
#include "../kb/kb.h"
#include "../kb/nmap.h"
#include "../kb/oui.h"
#include "../kb/pen.h"
#include "../kb/rules.h"
#include "../kb/vendor.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define NMAP_HITS 8

struct attr_scratch {
	struct nmap_scratch *ns;
	struct buf synth; /* a response rebuilt around a single header */
	struct nmap_hit hits[NMAP_HITS];
};

/* How each kind is asked. */
enum via {
	VIA_RULES = 1,		/* our rules */
	VIA_NMAP_NULL = 2,	/* nmap NULL probe (greeting banners) */
	VIA_NMAP_HTTP = 4,	/* nmap GetRequest on a rebuilt "Server:" response */
	VIA_NMAP_RTSP = 8,	/* nmap RTSPRequest on a rebuilt "Server:" response */
	VIA_NMAP_PROBE = 16,	/* nmap, probe named by the observation */
	VIA_NAME = 32,		/* a vendor named anywhere in the text, when nothing else matched */
};

/*
 * name_strength: how much a maker's name in this field says.  A name in a
 * greeting or a page is medium -- unless the maker is on a restricted list:
 * free text naming a restricted maker stays weak on its own (attr_candidates).
 */
struct kind_info {
	unsigned via;
	enum ev_strength name_strength; /* strength of VIA_NAME */
};

static const struct kind_info kinds[OBS_KIND_COUNT] = {
	[OBS_SNMP_SYSDESCR] = {VIA_RULES | VIA_NAME, EV_FAIR},
	[OBS_SSH_BANNER] = {VIA_RULES | VIA_NMAP_NULL | VIA_NAME, EV_MEDIUM},
	[OBS_TELNET_BANNER] = {VIA_RULES | VIA_NMAP_NULL | VIA_NAME, EV_MEDIUM},
	[OBS_FTP_BANNER] = {VIA_RULES | VIA_NMAP_NULL | VIA_NAME, EV_MEDIUM},
	[OBS_SMTP_BANNER] = {VIA_RULES | VIA_NMAP_NULL | VIA_NAME, EV_MEDIUM},
	[OBS_HTTP_SERVER] = {VIA_RULES | VIA_NMAP_HTTP | VIA_NAME, EV_MEDIUM},
	[OBS_HTTP_TITLE] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_HTTP_REALM] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_TLS_SUBJECT] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_TLS_ISSUER] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_LLDP_SYSDESC] = {VIA_RULES | VIA_NAME, EV_FAIR},
	[OBS_LLDP_CHASSIS] = {VIA_RULES, EV_NONE},
	[OBS_CDP_PLATFORM] = {VIA_RULES | VIA_NAME, EV_FAIR},
	[OBS_DHCP_VENDOR_CLASS] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_SSDP_SERVER] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_UPNP_MANUFACTURER] = {VIA_RULES | VIA_NAME, EV_FAIR},
	[OBS_UPNP_MODEL] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_RTSP_SERVER] = {VIA_RULES | VIA_NMAP_RTSP | VIA_NAME, EV_MEDIUM},
	[OBS_INVENTORY_MODEL] = {VIA_RULES, EV_NONE},
	[OBS_SERVICE_RESPONSE] = {VIA_RULES | VIA_NMAP_PROBE | VIA_NAME, EV_MEDIUM},
	[OBS_HOSTNAME] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_TLS_SAN] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_TLS_SHA256] = {VIA_RULES, EV_NONE},
	[OBS_LLDP_SYSNAME] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_CDP_DEVICE_ID] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_CDP_VERSION] = {VIA_RULES | VIA_NAME, EV_FAIR},
	[OBS_DHCP_HOSTNAME] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_DHCP_PRL] = {VIA_RULES, EV_NONE},
	[OBS_DHCP_USER_CLASS] = {VIA_RULES | VIA_NAME, EV_MEDIUM},
	[OBS_SSDP_USN] = {VIA_RULES, EV_NONE},
};

struct attr_scratch *attr_scratch_new(const struct kb *kb)
{
	struct attr_scratch *s = mem_calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	buf_init(&s->synth, OBS_VALUE_MAX + 256);
	if (kb->nmap && !(s->ns = nmap_scratch_new(kb->nmap))) {
		attr_scratch_free(s);
		return NULL;
	}
	return s;
}

void attr_scratch_free(struct attr_scratch *s)
{
	if (!s)
		return;
	nmap_scratch_free(s->ns);
	buf_fini(&s->synth);
	mem_free(s);
}

static struct cand *new_cand(struct cand *out, int *n, int max, int obs_index)
{
	struct cand *c;

	if (*n >= max)
		return NULL;
	c = &out[(*n)++];
	memset(c, 0, sizeof(*c));
	c->vendor = -1;
	c->obs = obs_index;
	return c;
}

static void set_strength(struct cand *c, enum ev_strength s)
{
	c->strength = s;
	c->conf = cand_strength_conf(s);
}

/* Our rules' candidates for o, appended at out[*n]. */
static void from_rules(const struct kb *kb, const struct obs *o, int idx, struct cand *out, int *n,
		       int max)
{
	int m = kb->rules ? rules_match(kb->rules, o, out + *n, max - *n) : 0;

	for (int i = 0; i < m; i++)
		out[*n + i].obs = idx;
	*n += m;
}

/* MAC and LLDP chassis MACs: the OUI's registrant. */
static void from_mac(const struct kb *kb, const struct obs *o, int idx, struct cand *out, int *n,
		     int max, enum ev_strength strength)
{
	uint8_t mac[6];
	struct oui_hit hit;
	unsigned flags = 0;
	struct cand *c;

	static const uint8_t zero[6];

	if (!str_to_mac((const char *)o->value, o->len, mac) || !memcmp(mac, zero, 6))
		return;
	if (!kb->oui)
		return;
	if (mac[0] & 1)
		return; /* a group address names who defined it, not the device that sent it */
	if (oui_lookup(kb->oui, mac, &hit, &flags) == 1) {
		if (!(c = new_cand(out, n, max, idx)))
			return;
		c->vendor = vreg_resolve(kb->vr, hit.org, strlen(hit.org));
		str_set(c->vendor_raw, sizeof(c->vendor_raw), hit.org);
		set_strength(c, strength);
		snprintf(c->rule, sizeof(c->rule), "oui:%s:%s", hit.registry, hit.prefix);
	} else if (flags & OUI_LOCAL) {
		if (!(c = new_cand(out, n, max, idx)))
			return;
		str_set(c->rule, sizeof(c->rule), "mac:local");
	}
}

/* sysObjectID: our per-model subtrees first (rules), else the enterprise number. */
static void from_pen(const struct kb *kb, const struct obs *o, int idx, struct cand *out, int *n,
		     int max)
{
	uint32_t arcs[OID_MAX_ARCS], pen;
	int na = oid_parse((const char *)o->value, o->len, arcs, OID_MAX_ARCS);
	const char *org = NULL;
	struct cand *c;

	if (na <= 0 || oid_pen(arcs, na, &pen))
		return;
	if (!(c = new_cand(out, n, max, idx)))
		return;
	c->vendor = vreg_by_pen(kb->vr, pen);
	if (kb->pen)
		org = pen_org(kb->pen, pen);
	if (c->vendor < 0 && org)
		c->vendor = vreg_resolve(kb->vr, org, strlen(org));
	if (org)
		str_set(c->vendor_raw, sizeof(c->vendor_raw), org);
	set_strength(c, EV_STRONG);
	snprintf(c->rule, sizeof(c->rule), "pen:%u", pen);
}

/* snmpEngineID (RFC 3411): the first four octets carry the agent maker's enterprise number. */
static void from_engineid(const struct kb *kb, const struct obs *o, int idx, struct cand *out,
			  int *n, int max)
{
	const char *p = (const char *)o->value;
	size_t len = o->len;
	uint32_t pen = 0;
	struct cand *c;

	if (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2, len -= 2;
	if (len < 8)
		return;
	for (int i = 0; i < 8; i++) {
		int ch = tolower((unsigned char)p[i]);
		int d = isdigit(ch) ? ch - '0' : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : -1;

		if (d < 0)
			return;
		pen = pen << 4 | (uint32_t)d;
	}
	if (!(pen & 0x80000000u))
		return; /* the pre-RFC 3411 format carries no enterprise number we trust */
	pen &= 0x7fffffffu;
	if (!(c = new_cand(out, n, max, idx)))
		return;
	c->vendor = vreg_by_pen(kb->vr, pen);
	const char *org = kb->pen ? pen_org(kb->pen, pen) : NULL;
	if (c->vendor < 0 && org)
		c->vendor = vreg_resolve(kb->vr, org, strlen(org));
	if (org)
		str_set(c->vendor_raw, sizeof(c->vendor_raw), org);
	set_strength(c, c->vendor >= 0 ? EV_MEDIUM : EV_NONE);
	snprintf(c->rule, sizeof(c->rule), "engineid:pen:%u", pen);
}

/* DHCP vendor-identifying options and DHCPv6 vendor classes: a decimal enterprise number. */
static void from_dhcp_pen(const struct kb *kb, const struct obs *o, int idx, struct cand *out,
			  int *n, int max)
{
	uint32_t pen = 0;
	struct cand *c;

	if (!o->len || o->len > 10)
		return;
	for (size_t i = 0; i < o->len; i++) {
		if (o->value[i] < '0' || o->value[i] > '9' || pen > 429496729u)
			return;
		pen = pen * 10 + (uint32_t)(o->value[i] - '0');
	}
	if (!(c = new_cand(out, n, max, idx)))
		return;
	c->vendor = vreg_by_pen(kb->vr, pen);
	const char *org = kb->pen ? pen_org(kb->pen, pen) : NULL;
	if (c->vendor < 0 && org)
		c->vendor = vreg_resolve(kb->vr, org, strlen(org));
	if (org)
		str_set(c->vendor_raw, sizeof(c->vendor_raw), org);
	set_strength(c, c->vendor >= 0 ? EV_MEDIUM : EV_NONE);
	snprintf(c->rule, sizeof(c->rule), "dhcp:pen:%u", pen);
}

/*
 * LLDP organisation-specific TLVs ("00:e0:fc/1"): the OUI says whose
 * extensions the device speaks -- a hint (others speak Cisco's too).
 */
static void from_lldp_org(const struct kb *kb, const struct obs *o, int idx, struct cand *out,
			  int *n, int max)
{
	char mac[18];
	struct obs m = *o;

	if (o->len < 8)
		return;
	snprintf(mac, sizeof(mac), "%.8s:00:00:00", (const char *)o->value);
	m.value = (const uint8_t *)mac;
	m.len = 17;
	int before = *n;

	from_mac(kb, &m, idx, out, n, max, EV_WEAK);
	for (int i = before; i < *n; i++)
		snprintf(out[i].rule, sizeof(out[i].rule), "lldp-org:%.8s", (const char *)o->value);
}

/* Vendor of an nmap hit: its CPE's vendor part, else a name in its product. */
static int hit_vendor(const struct kb *kb, const struct nmap_hit *h, char *raw, size_t rawlen)
{
	for (int i = 0; i < h->ncpe; i++) {
		const char *v = h->cpe[i];
		const char *end;

		/* cpe:/h:vendor:product... */
		if (strncmp(v, "cpe:/", 5) || !v[5] || v[6] != ':')
			continue;
		v += 7;
		end = strchr(v, ':');
		size_t len = end ? (size_t)(end - v) : strlen(v);
		int id = vreg_by_cpe(kb->vr, v, len);

		if (id < 0)
			id = vreg_find(kb->vr, v, len);
		if (id >= 0) {
			str_copy(raw, rawlen, v, len);
			return id;
		}
	}
	str_set(raw, rawlen, h->product);
	return h->product[0] ? vreg_resolve(kb->vr, h->product, strlen(h->product)) : -1;
}

/* Letters in the part of a banner that is not protocol framing ("SSH-2.0-"). */
static size_t distinct_letters(const struct obs *o)
{
	const char *p = (const char *)o->value;
	size_t n = o->len, k = 0;

	if (str_has_prefix(p, n, "SSH-")) {
		const char *d = memchr(p + 4, '-', n - 4);

		if (d) {
			n -= (size_t)(d + 1 - p);
			p = d + 1;
		}
	}
	for (size_t i = 0; i < n; i++)
		k += isalpha((unsigned char)p[i]) != 0;
	return k;
}

static int listed(const struct kb *kb, int v)
{
	for (int l = 0; l < vreg_list_count(kb->vr); l++)
		if (vreg_in_list(kb->vr, l, v, NULL, -1))
			return 1;
	return 0;
}

/*
 * How much an nmap line's claim weighs.  A banner that names the vendor is
 * fair evidence.  One that does not is nmap inferring the maker from a shape:
 * medium when the banner carries distinctive text, weak when it is bare
 * ("SSH-2.0--", "Server: Webs") -- and weak whenever the claimed maker is on
 * a restricted list, since an eager line must not make a finding alone.
 */
static enum ev_strength nmap_strength(const struct kb *kb, const struct obs *o, int v, int named)
{
	if (v < 0)
		return EV_NONE;
	if (named)
		return EV_FAIR;
	if (distinct_letters(o) < 5 || listed(kb, v))
		return EV_WEAK;
	return EV_MEDIUM;
}

/*
 * An application CPE (cpe:/a:) and no hardware or OS one: nmap names the
 * software's maker (Lotus Domino, IIS), not the device's.
 */
static int app_only(const struct nmap_hit *h)
{
	int app = 0;

	for (int i = 0; i < h->ncpe; i++) {
		if (!strncmp(h->cpe[i], "cpe:/h", 6) || !strncmp(h->cpe[i], "cpe:/o", 6))
			return 0;
		app |= !strncmp(h->cpe[i], "cpe:/a", 6);
	}
	return app;
}

static void from_nmap(const struct kb *kb, struct attr_scratch *s, const char *probe,
		      const uint8_t *p, size_t len, int synthetic, const struct obs *o, int idx,
		      struct cand *out, int *n, int max)
{
	int nh = nmap_match(kb->nmap, s->ns, probe, p, len, s->hits, NMAP_HITS);
	int said = -2; /* vendor the observation names itself; -2 not looked up yet */

	for (int i = 0; i < nh; i++) {
		const struct nmap_hit *h = &s->hits[i];
		struct cand *c;
		int v, named;

		if (h->soft || (!h->product[0] && !h->ncpe))
			continue;
		if (!(c = new_cand(out, n, max, idx)))
			return;
		v = hit_vendor(kb, h, c->vendor_raw, sizeof(c->vendor_raw));
		c->vendor = v;
		c->component = app_only(h);
		str_set(c->product, sizeof(c->product), h->product);
		str_set(c->version, sizeof(c->version), h->version);
		str_set(c->os, sizeof(c->os), h->os);
		str_set(c->role, sizeof(c->role), h->devtype);
		c->synthetic = (uint8_t)synthetic;
		/* does the banner itself name the vendor nmap claims? */
		if (said == -2)
			said = vreg_resolve(kb->vr, (const char *)o->value, o->len);
		named = v >= 0 && said >= 0 &&
			vreg_family(kb->vr, said, -1) == vreg_family(kb->vr, v, -1);
		set_strength(c, nmap_strength(kb, o, v, named));
		snprintf(c->rule, sizeof(c->rule), "nmap:%s:%u", probe, h->line);
	}
}

/* nmap_service: "product|version|extrainfo|devicetype|ostype|service" from nmap -sV. */
static void from_nmap_service(const struct kb *kb, const struct obs *o, int idx, struct cand *out,
			      int *n, int max)
{
	const char *f[6] = {0};
	size_t fl[6] = {0};
	const char *p = (const char *)o->value, *end = p + o->len;
	struct cand *c;

	for (int i = 0; i < 6 && p <= end; i++) {
		const char *bar = memchr(p, '|', (size_t)(end - p));

		f[i] = p;
		fl[i] = bar ? (size_t)(bar - p) : (size_t)(end - p);
		p += fl[i] + 1;
		if (!bar)
			break;
	}
	if (!f[0] || !fl[0])
		return;
	if (!(c = new_cand(out, n, max, idx)))
		return;
	c->vendor = vreg_resolve(kb->vr, f[0], fl[0]);
	str_copy(c->vendor_raw, sizeof(c->vendor_raw), f[0], fl[0]);
	str_copy(c->product, sizeof(c->product), f[0], fl[0]);
	if (f[1])
		str_copy(c->version, sizeof(c->version), f[1], fl[1]);
	if (f[3])
		str_copy(c->role, sizeof(c->role), f[3], fl[3]);
	if (f[4])
		str_copy(c->os, sizeof(c->os), f[4], fl[4]);
	/*
	 * nmap's own verdict: we cannot see the banner it judged, so medium at
	 * most, and weak for a restricted maker unless the line also names a
	 * device type (its bare protocol lines are the eager ones).
	 */
	if (c->vendor < 0)
		set_strength(c, EV_NONE);
	else if (listed(kb, c->vendor) && !(f[3] && fl[3]))
		set_strength(c, EV_WEAK); /* no device type: a protocol-level guess */
	else
		set_strength(c, EV_MEDIUM);
	str_set(c->rule, sizeof(c->rule), "nmap-xml:product");
}

/* cpe:/part:vendor:product:version */
static void from_cpe(const struct kb *kb, const struct obs *o, int idx, struct cand *out, int *n,
		     int max)
{
	const char *p = (const char *)o->value, *v, *e;
	size_t len = o->len, vl;
	struct cand *c;
	char part;

	if (len < 8 || strncmp(p, "cpe:/", 5) || p[6] != ':')
		return;
	part = p[5];
	v = p + 7;
	e = memchr(v, ':', len - 7);
	vl = e ? (size_t)(e - v) : len - 7;
	if (!(c = new_cand(out, n, max, idx)))
		return;
	c->vendor = vreg_by_cpe(kb->vr, v, vl);
	if (c->vendor < 0)
		c->vendor = vreg_find(kb->vr, v, vl);
	str_copy(c->vendor_raw, sizeof(c->vendor_raw), v, vl);
	if (e) {
		const char *pe = memchr(e + 1, ':', (size_t)(p + len - e - 1));
		size_t pl = pe ? (size_t)(pe - e - 1) : (size_t)(p + len - e - 1);

		str_copy(c->product, sizeof(c->product), e + 1, pl);
		if (pe)
			str_copy(c->version, sizeof(c->version), pe + 1, (size_t)(p + len - pe - 1));
	}
	c->component = part == 'a';
	set_strength(c, c->vendor < 0 ? EV_NONE : part == 'a' ? EV_WEAK : EV_MEDIUM);
	snprintf(c->rule, sizeof(c->rule), "cpe:%c", part);
}

static void from_declared(const struct kb *kb, const struct obs *o, int idx, struct cand *out,
			  int *n, int max)
{
	struct cand *c = new_cand(out, n, max, idx);

	if (!c)
		return;
	if (o->kind == OBS_INVENTORY_ROLE) {
		str_copy(c->role, sizeof(c->role), (const char *)o->value, o->len);
		str_set(c->rule, sizeof(c->rule), "declared:role");
		return; /* no vendor, strength none: only the role */
	}
	c->vendor = vreg_find(kb->vr, (const char *)o->value, o->len);
	if (c->vendor < 0)
		c->vendor = vreg_resolve(kb->vr, (const char *)o->value, o->len);
	str_copy(c->vendor_raw, sizeof(c->vendor_raw), (const char *)o->value, o->len);
	set_strength(c, c->vendor >= 0 ? EV_MEDIUM : EV_NONE);
	str_set(c->rule, sizeof(c->rule), "declared:inventory");
}

/*
 * A model an inventory declares: our model-name rules say whose it is.  What
 * they find is still the inventory's word, so it counts as declared, not
 * observed.
 */
static void from_model(const struct kb *kb, const struct obs *o, int idx, struct cand *out,
		       int *n, int max)
{
	int k;

	if (!kb->rules)
		return;
	k = rules_match(kb->rules, o, out + *n, max - *n);
	if (!k) {
		/* UPnP modelName rules carry the same model strings */
		struct obs m = *o;

		m.kind = OBS_UPNP_MODEL;
		k = rules_match(kb->rules, &m, out + *n, max - *n);
	}
	for (int i = 0; i < k; i++) {
		struct cand *c = &out[*n + i];
		char rule[sizeof(c->rule)];
		size_t l = str_set(rule, sizeof(rule), "declared:");

		str_set(rule + l, sizeof(rule) - l, c->rule);
		str_set(c->rule, sizeof(c->rule), rule);
		c->obs = idx;
		set_strength(c, EV_MEDIUM);
	}
	*n += k;
}

/* Rebuilds a minimal response around one header so nmap's lines can judge it. */
static const struct buf *synth(struct attr_scratch *s, const char *head, const struct obs *o)
{
	buf_reset(&s->synth);
	if (buf_adds(&s->synth, head) || buf_add(&s->synth, o->value, o->len) ||
	    buf_adds(&s->synth, "\r\n\r\n"))
		return NULL;
	return &s->synth;
}

/*
 * A greeting banner as nmap's NULL probe would have read it: with a line end
 * when the observation kept none ("\r\n", or eol as given).
 */
static const struct buf *greeting(struct attr_scratch *s, const struct obs *o, const char *eol)
{
	buf_reset(&s->synth);
	if (buf_add(&s->synth, o->value, o->len))
		return NULL;
	if (o->len && o->value[o->len - 1] != '\n' && buf_adds(&s->synth, eol))
		return NULL;
	return &s->synth;
}

/*
 * Whether a server's first bytes read as text: at least 95 % of them
 * printable ASCII, white space or well-formed UTF-8.  A maker's name found
 * anywhere in a response is only worth something in text: a short alias
 * ("HP") stands as a whole word somewhere in most 16 KB of binary (SMB, NFS,
 * bulk data), which made bench/sniff's random payloads 398 HP devices.
 */
static int looks_text(const uint8_t *p, size_t n)
{
	size_t bad = 0, i = 0;

	while (i < n) {
		uint8_t c = p[i];
		size_t l = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		size_t k = 1;

		if (l == 1) {
			bad += (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
			i++;
			if (bad * 20 > n)
				return 0;
			continue;
		}
		while (l && k < l && i + k < n && (p[i + k] & 0xc0) == 0x80)
			k++;
		if (!l || (k < l && i + k < n)) /* not a lead byte, or a sequence cut short */
			bad++, k = 1;
		i += k;
		if (bad * 20 > n) /* binary gives up within a few dozen bytes */
			return 0;
	}
	return 1;
}

int attr_candidates(const struct kb *kb, struct attr_scratch *s, const struct obs *o,
		    int idx, struct cand *out, int max)
{
	const struct kind_info *k;
	const struct buf *b;
	int n = 0, before;

	if ((unsigned)o->kind >= OBS_KIND_COUNT || !o->value)
		return 0;
	switch (o->kind) {
	case OBS_MAC:
		from_mac(kb, o, idx, out, &n, max, EV_MEDIUM);
		return n;
	case OBS_SNMP_SYSOBJECTID:
		from_rules(kb, o, idx, out, &n, max);
		if (!n)
			from_pen(kb, o, idx, out, &n, max);
		return n;
	case OBS_NMAP_SERVICE:
		from_nmap_service(kb, o, idx, out, &n, max);
		return n;
	case OBS_CPE:
		from_cpe(kb, o, idx, out, &n, max);
		return n;
	case OBS_SNMP_ENGINEID:
		from_engineid(kb, o, idx, out, &n, max);
		return n;
	case OBS_DHCP_ENTERPRISE:
		from_dhcp_pen(kb, o, idx, out, &n, max);
		return n;
	case OBS_LLDP_ORG:
		from_lldp_org(kb, o, idx, out, &n, max);
		/* LLDP-MED inventory text ("00:12:bb/9=<manufacturer>"): our rules */
		from_rules(kb, o, idx, out, &n, max);
		return n;
	case OBS_INVENTORY_VENDOR:
	case OBS_INVENTORY_ROLE:
		from_declared(kb, o, idx, out, &n, max);
		return n;
	case OBS_INVENTORY_MODEL:
		from_model(kb, o, idx, out, &n, max);
		return n;
	case OBS_LLDP_CHASSIS:
		/* a chassis id that is a MAC names the box's own base MAC: fair */
		from_mac(kb, o, idx, out, &n, max, EV_FAIR);
		break;
	default:
		break;
	}
	k = &kinds[o->kind];
	before = n;
	if (k->via & VIA_RULES)
		from_rules(kb, o, idx, out, &n, max);
	if (o->kind == OBS_SERVICE_RESPONSE) {
		/* our rules are per field: split the response into them */
		struct obs d[6];
		int nd = attr_derive(o, d, 6);

		for (int j = 0; j < nd; j++)
			from_rules(kb, &d[j], idx, out, &n, max);
	}
	if (kb->nmap && s->ns) {
		if ((k->via & VIA_NMAP_NULL) && (b = greeting(s, o, "\r\n"))) {
			int had = n;

			from_nmap(kb, s, "NULL", (const uint8_t *)b->p, b->len, 0, o, idx, out, &n, max);
			/* some lines want a bare "\n" (SSH-2.0--\n): try that when "\r\n" found nothing */
			if (n == had && o->len && o->value[o->len - 1] != '\n' &&
			    (b = greeting(s, o, "\n")))
				from_nmap(kb, s, "NULL", (const uint8_t *)b->p, b->len, 0, o, idx, out,
					  &n, max);
		}
		if ((k->via & VIA_NMAP_HTTP) && (b = synth(s, "HTTP/1.1 200 OK\r\nServer: ", o)))
			from_nmap(kb, s, "GetRequest", (const uint8_t *)b->p, b->len, 1, o, idx, out,
				  &n, max);
		if ((k->via & VIA_NMAP_RTSP) &&
		    (b = synth(s, "RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: ", o)))
			from_nmap(kb, s, "RTSPRequest", (const uint8_t *)b->p, b->len, 1, o, idx,
				  out, &n, max);
		if ((k->via & VIA_NMAP_PROBE) && o->probe[0])
			from_nmap(kb, s, o->probe, o->value, o->len, 0, o, idx, out, &n, max);
	}
	if ((k->via & VIA_NAME) && n == before &&
	    (o->kind != OBS_SERVICE_RESPONSE || looks_text(o->value, o->len))) {
		int v = vreg_resolve(kb->vr, (const char *)o->value, o->len);
		struct cand *c;

		if (v >= 0 && (c = new_cand(out, &n, max, idx))) {
			c->vendor = v;
			str_set(c->vendor_raw, sizeof(c->vendor_raw), vreg_get(kb->vr, v)->id);
			/* a name in free text claims a restricted maker only weakly */
			set_strength(c, k->name_strength <= EV_MEDIUM && listed(kb, v) ? EV_WEAK
										 : k->name_strength);
			snprintf(c->rule, sizeof(c->rule), "name:%s", obs_kind_name(o->kind));
		}
	}
	return n;
}
