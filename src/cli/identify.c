/*
 * identify.c - `trustmap identify`: attribute observations given on the
 * command line (one device) or as JSON Lines on standard input (grouped into
 * devices by MAC, else address, else inventory id), and print each
 * attribution with its evidence.  Nothing is stored.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../attr/attr.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/esc.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../import/import.h"
#include "../kb/kb.h"
#include "../kb/vendor.h"
#include "../report/table.h"

#include <stdio.h>
#include <string.h>

#define MAX_CLI_OBS 64
#define MAX_DEV_CANDS 512

struct dev {
	char key[96];
	struct obs *o;
	int n, cap;
};

struct cfg {
	struct common c;
	struct obs obs[MAX_CLI_OBS];
	int nobs;
	struct arena *ar;
	struct dev *dev;
	int ndev, capdev;
	int bad;
};

static int add_obs(void *vc, const char *val, int kind)
{
	struct cfg *cfg = vc;
	struct buf b;
	struct obs *o;
	char *v;

	if (cfg->nobs >= MAX_CLI_OBS)
		return -1;
	buf_init(&b, 0);
	if (cli_unescape(val, &b)) {
		buf_fini(&b);
		return -1;
	}
	o = &cfg->obs[cfg->nobs++];
	memset(o, 0, sizeof(*o));
	str_set(o->source, sizeof(o->source), "cli");
	o->kind = (enum obs_kind)kind;
	/* a value past OBS_VALUE_MAX is cut and flagged, like any other source's */
	v = arena_alloc(cfg->ar, b.len + 1);
	if (v)
		memcpy(v, buf_str(&b), b.len + 1);
	obs_set_value(o, v, b.len);
	if (kind == OBS_SERVICE_RESPONSE)
		str_set(o->probe, sizeof(o->probe), "NULL");
	buf_fini(&b);
	return o->value ? 0 : -1;
}

#define OBSOPT(n, k, h) {n, 0, "TEXT", h, OPT_FN, 0, add_obs, k}
static const struct opt opts[] = {
	OBSOPT("mac", OBS_MAC, "a MAC address"),
	OBSOPT("sysobjectid", OBS_SNMP_SYSOBJECTID, "SNMP sysObjectID (dotted)"),
	OBSOPT("sysdescr", OBS_SNMP_SYSDESCR, "SNMP sysDescr text"),
	OBSOPT("ssh-banner", OBS_SSH_BANNER, "SSH identification line"),
	OBSOPT("telnet-banner", OBS_TELNET_BANNER, "Telnet greeting"),
	OBSOPT("ftp-banner", OBS_FTP_BANNER, "FTP greeting"),
	OBSOPT("smtp-banner", OBS_SMTP_BANNER, "SMTP greeting"),
	OBSOPT("http-server", OBS_HTTP_SERVER, "HTTP Server header value"),
	OBSOPT("http-title", OBS_HTTP_TITLE, "HTML <title> of the web interface"),
	OBSOPT("http-realm", OBS_HTTP_REALM, "WWW-Authenticate realm"),
	OBSOPT("tls-subject", OBS_TLS_SUBJECT, "certificate subject"),
	OBSOPT("tls-issuer", OBS_TLS_ISSUER, "certificate issuer"),
	OBSOPT("lldp-sysdesc", OBS_LLDP_SYSDESC, "LLDP system description"),
	OBSOPT("lldp-chassis", OBS_LLDP_CHASSIS, "LLDP chassis id"),
	OBSOPT("cdp-platform", OBS_CDP_PLATFORM, "CDP platform"),
	OBSOPT("dhcp-vendor-class", OBS_DHCP_VENDOR_CLASS, "DHCP option 60"),
	OBSOPT("ssdp-server", OBS_SSDP_SERVER, "SSDP SERVER header"),
	OBSOPT("upnp-manufacturer", OBS_UPNP_MANUFACTURER, "UPnP manufacturer"),
	OBSOPT("upnp-model", OBS_UPNP_MODEL, "UPnP model name"),
	OBSOPT("rtsp-server", OBS_RTSP_SERVER, "RTSP Server header"),
	OBSOPT("cpe", OBS_CPE, "a CPE URI (cpe:/h:vendor:product)"),
	OBSOPT("banner", OBS_SERVICE_RESPONSE, "raw first bytes a service sent (nmap NULL probe)"),
	OBSOPT("declared-vendor", OBS_INVENTORY_VENDOR, "vendor an inventory declares"),
	{"format", 'f', "FMT", "table, jsonl or csv", OPT_STR, offsetof(struct cfg, c.format)},
	{"kb-dir", 0, "DIR", "our rules directory (vendors.tm, *.rules)", OPT_STR,
	 offsetof(struct cfg, c.kb_dir)},
	{"no-nmap", 0, NULL, "do not load nmap-service-probes", OPT_FLAG,
	 offsetof(struct cfg, c.no_nmap)},
	{"lists", 0, "FILE", "your own vendor lists (lists.tm format)", OPT_STR,
	 offsetof(struct cfg, c.lists)},
	{NULL},
};

static const char synopsis[] =
	"[--mac M] [--ssh-banner B] [--sysobjectid OID] ... [--format table|jsonl|csv]\n"
	"       ... | trustmap identify      (observation JSON Lines on stdin)\n"
	"Values take C escapes: \\r \\n \\t \\\\ \\xNN.";

static const char *vid(const struct kb *kb, int v)
{
	return v >= 0 ? vreg_get(kb->vr, v)->id : "";
}

/* One JSON object per device: the attribution and its evidence. */
static void print_json(const struct kb *kb, const char *key, const struct obs *obs,
		       const struct cand *c, int n, const struct attribution *a)
{
	struct buf b;
	char lists[256], flags[128], num[32];
	const struct vendor *v = a->vendor >= 0 ? vreg_get(kb->vr, a->vendor) : NULL;

	buf_init(&b, 0);
	buf_adds(&b, "{\"device\":");
	esc_json_str(&b, key);
	buf_adds(&b, ",\"vendor\":");
	if (v) {
		esc_json_str(&b, v->id);
		buf_adds(&b, ",\"vendor_name\":");
		esc_json_str(&b, v->name);
		buf_adds(&b, ",\"country\":");
		esc_json_str(&b, v->country);
		buf_adds(&b, ",\"family\":");
		esc_json_str(&b, vid(kb, a->family));
	} else {
		buf_adds(&b, "null");
	}
	const char *const fields[][2] = {{"product", a->product}, {"model", a->model},
					 {"version", a->version}, {"role", a->role}};
	for (size_t i = 0; i < 4; i++) {
		buf_printf(&b, ",\"%s\":", fields[i][0]);
		esc_json_str(&b, fields[i][1]);
	}
	snprintf(num, sizeof(num), "%.3f", a->conf);
	buf_printf(&b, ",\"confidence\":%s,\"lists\":", num);
	esc_json_str(&b, cli_lists(kb, a->vendor, a->role, lists, sizeof(lists)));
	buf_adds(&b, ",\"flags\":");
	esc_json_str(&b, attr_flag_names(a->flags, flags, sizeof(flags)));
	buf_adds(&b, ",\"hint_vendor\":");
	esc_json_str(&b, vid(kb, a->hint_vendor));
	buf_adds(&b, ",\"component_vendor\":");
	esc_json_str(&b, vid(kb, a->component_vendor));
	buf_adds(&b, ",\"declared_vendor\":");
	esc_json_str(&b, vid(kb, a->declared_vendor));
	buf_adds(&b, ",\"evidence\":[");
	for (int i = 0; i < n; i++) {
		const struct obs *o = &obs[c[i].obs];

		buf_adds(&b, i ? ",{\"kind\":" : "{\"kind\":");
		esc_json_str(&b, obs_kind_name(o->kind));
		buf_adds(&b, ",\"value\":\"");
		esc_json(&b, o->value, o->len);
		buf_adds(&b, "\",\"rule\":");
		esc_json_str(&b, c[i].rule);
		buf_adds(&b, ",\"vendor\":");
		esc_json_str(&b, vid(kb, c[i].vendor));
		buf_adds(&b, ",\"vendor_raw\":");
		esc_json_str(&b, c[i].vendor_raw);
		buf_adds(&b, ",\"product\":");
		esc_json_str(&b, c[i].product);
		snprintf(num, sizeof(num), "%.2f", c[i].conf);
		buf_printf(&b, ",\"strength\":\"%s\",\"conf\":%s,\"agrees\":%s}",
			   cand_strength_name(c[i].strength), num,
			   attr_agrees(kb->vr, a, &c[i]) ? "true" : "false");
	}
	buf_adds(&b, "]}");
	printf("%s\n", buf_str(&b));
	buf_fini(&b);
}

static const struct rep_col ev_cols[] = {
	{"device", REP_STR, 30}, {"vendor", REP_STR, 16}, {"confidence", REP_NUM, 10},
	{"kind", REP_STR, 18},	 {"strength", REP_STR, 8}, {"rule", REP_STR, 34},
	{"says", REP_STR, 16},	 {"agrees", REP_STR, 6},   {"value", REP_STR, 60},
};

/*
 * The cells of one evidence row (kind, strength, rule, says, agrees, value)
 * into cells[0..5]; val holds the value's bytes.  Returns 0 for a candidate
 * that carries nothing to show.
 */
static int ev_cells(const struct kb *kb, const struct attribution *a, const struct cand *c,
		    const struct obs *obs, struct buf *val, const char *cells[6])
{
	const struct obs *o = &obs[c->obs];

	if (c->strength == EV_NONE && strcmp(c->rule, "mac:local") && !c->role[0])
		return 0;
	buf_reset(val);
	buf_add(val, o->value, o->len);
	cells[0] = obs_kind_name(o->kind);
	cells[1] = cand_strength_name(c->strength);
	cells[2] = c->rule;
	cells[3] = c->vendor >= 0 ? vid(kb, c->vendor) : c->vendor_raw;
	cells[4] = attr_agrees(kb->vr, a, c) ? "yes" : "no";
	cells[5] = buf_str(val);
	return 1;
}

/* Evidence rows; with the device, its vendor and confidence in front for CSV. */
static void print_rows(const struct kb *kb, struct rep_table *t, const char *key,
		       const struct obs *obs, const struct cand *c, int n,
		       const struct attribution *a, int with_device)
{
	char conf[16];
	struct buf val;
	const char *cells[9];

	buf_init(&val, 0);
	snprintf(conf, sizeof(conf), "%.2f", a->conf);
	cells[0] = key;
	cells[1] = vid(kb, a->vendor);
	cells[2] = conf;
	for (int i = 0; i < n; i++)
		if (ev_cells(kb, a, &c[i], obs, &val, cells + 3))
			rep_row(t, with_device ? cells : cells + 3);
	buf_fini(&val);
}

/* The table face: a summary block, then the evidence. */
static void print_summary(const struct kb *kb, const char *key, const struct attribution *a)
{
	const struct vendor *v = a->vendor >= 0 ? vreg_get(kb->vr, a->vendor) : NULL;
	char lists[256], flags[128];
	struct buf b;

	buf_init(&b, 0);
	printf("device      %s\n", key);
	if (v) {
		esc_term(&b, v->name, strlen(v->name));
		printf("vendor      %s (%s, %s), family %s\n", v->id, buf_str(&b),
		       v->country[0] ? v->country : "?", vid(kb, a->family));
	} else {
		printf("vendor      unknown%s%s\n", a->hint_vendor >= 0 ? ", weak hint: " : "",
		       vid(kb, a->hint_vendor));
	}
	const char *const f[][2] = {{"product", a->product}, {"model", a->model},
				    {"version", a->version}, {"role", a->role}};
	for (size_t i = 0; i < 4; i++) {
		if (!f[i][1][0])
			continue;
		buf_reset(&b);
		esc_term(&b, f[i][1], strlen(f[i][1]));
		printf("%-11s %s\n", f[i][0], buf_str(&b));
	}
	printf("confidence  %.2f\n", a->conf);
	printf("lists       %s\n", *cli_lists(kb, a->vendor, a->role, lists, sizeof(lists)) ? lists : "-");
	if (a->flags)
		printf("flags       %s\n", attr_flag_names(a->flags, flags, sizeof(flags)));
	if (a->component_vendor >= 0)
		printf("component   %s\n", vid(kb, a->component_vendor));
	if (a->declared_vendor >= 0)
		printf("declared    %s\n", vid(kb, a->declared_vendor));
	buf_fini(&b);
}

static int attribute(const struct kb *kb, struct attr_scratch *s, struct rep_table *t, int fmt,
		     const char *key, const struct obs *obs, int nobs, struct cand *c)
{
	struct attribution a;
	int n = 0;

	for (int i = 0; i < nobs && n < MAX_DEV_CANDS; i++)
		n += attr_candidates(kb, s, &obs[i], i, c + n,
				     MAX_DEV_CANDS - n < 16 ? MAX_DEV_CANDS - n : 16);
	attr_fuse(kb->vr, c, n, &a);
	if (fmt == REP_JSONL) {
		print_json(kb, key, obs, c, n, &a);
	} else if (fmt == REP_CSV) {
		print_rows(kb, t, key, obs, c, n, &a, 1);
	} else {
		print_summary(kb, key, &a);
		printf("evidence\n");
		struct rep_table *et = rep_table_new(REP_TABLE, stdout, ev_cols + 3, 6);
		if (et) {
			print_rows(kb, et, key, obs, c, n, &a, 0);
			rep_table_end(et);
		}
		printf("\n");
	}
	return a.vendor >= 0;
}

/* Groups stdin observations by identity: MAC, else address, else ref, else one group. */
static int collect(void *vc, const struct obs *o)
{
	struct cfg *cfg = vc;
	char key[96];
	struct dev *d = NULL;

	if (o->mac[0])
		snprintf(key, sizeof(key), "mac:%s", o->mac);
	else if (o->addr[0])
		snprintf(key, sizeof(key), "ip:%s/%s", o->scope, o->addr);
	else if (o->ref[0])
		snprintf(key, sizeof(key), "ref:%s", o->ref);
	else
		str_set(key, sizeof(key), "stdin");
	for (int i = cfg->ndev - 1; i >= 0 && !d; i--)
		if (!strcmp(cfg->dev[i].key, key))
			d = &cfg->dev[i];
	if (!d) {
		if (cfg->ndev == cfg->capdev) {
			int nc = cfg->capdev ? cfg->capdev * 2 : 16;
			struct dev *nd = mem_realloc(cfg->dev, (size_t)nc * sizeof(*nd));

			if (!nd)
				return TM_ENOMEM;
			cfg->dev = nd;
			cfg->capdev = nc;
		}
		d = &cfg->dev[cfg->ndev++];
		memset(d, 0, sizeof(*d));
		str_set(d->key, sizeof(d->key), key);
	}
	if (d->n == d->cap) {
		int nc = d->cap ? d->cap * 2 : 8;
		struct obs *no = mem_realloc(d->o, (size_t)nc * sizeof(*no));

		if (!no)
			return TM_ENOMEM;
		d->o = no;
		d->cap = nc;
	}
	d->o[d->n] = *o;
	d->o[d->n].value = arena_alloc(cfg->ar, o->len ? o->len : 1);
	if (!d->o[d->n].value)
		return TM_ENOMEM;
	memcpy((void *)d->o[d->n].value, o->value, o->len);
	d->n++;
	return 0;
}

int cmd_identify(int argc, char **argv)
{
	struct cfg cfg = {0};
	struct kb *kb = NULL;
	struct attr_scratch *s = NULL;
	struct rep_table *t = NULL;
	struct cand *c = NULL;
	int npos, fmt, rc = 2, found = 0;

	cfg.ar = arena_new(0);
	if (!cfg.ar)
		return 2;
	rc = opt_parse(opts, &cfg, argc, argv, &npos, synopsis);
	if (rc) {
		rc = rc > 0 ? 0 : 2;
		goto out;
	}
	rc = 2;
	if (npos) {
		fprintf(stderr, "trustmap identify: unexpected argument '%s' (see --help)\n", argv[1]);
		goto out;
	}
	if ((fmt = cli_format("identify", &cfg.c)) < 0 || !(kb = cli_kb("identify", &cfg.c)))
		goto out;
	s = attr_scratch_new(kb);
	c = mem_calloc(MAX_DEV_CANDS, sizeof(*c));
	if (!s || !c)
		goto out;
	if (fmt == REP_CSV && !(t = rep_table_new(REP_CSV, stdout, ev_cols, 9)))
		goto out;
	if (cfg.nobs) {
		found += attribute(kb, s, t, fmt, "cli", cfg.obs, cfg.nobs, c);
	} else {
		struct imp_sink k = {.obs = collect, .ctx = &cfg};
		struct imp_stats ist;
		char eb[TM_ERRLEN];

		if (imp_jsonl("-", &k, 1, &ist, eb, sizeof(eb))) {
			fprintf(stderr, "trustmap identify: %s\n", eb);
			goto out;
		}
		if (ist.skipped)
			fprintf(stderr, "trustmap identify: skipped %ld bad line(s); first: %s\n",
				ist.skipped, ist.first_error);
		for (int i = 0; i < cfg.ndev; i++)
			found += attribute(kb, s, t, fmt, cfg.dev[i].key, cfg.dev[i].o,
					   cfg.dev[i].n, c);
	}
	rc = found ? 0 : 1;
out:
	rep_table_end(t);
	for (int i = 0; i < cfg.ndev; i++)
		mem_free(cfg.dev[i].o);
	mem_free(cfg.dev);
	mem_free(c);
	attr_scratch_free(s);
	kb_free(kb);
	arena_free(cfg.ar);
	return rc;
}
