/*
 * ports.c - parsing port specs (PORT[/udp][:PROBE], @profile) into the
 * ordered, duplicate-free list a scan iterates over.
 */
#include "ports.h"

#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <string.h>

static const char *const probe_names[SCAN_PROBE_COUNT] = {
	"banner", "ssh", "telnet", "ftp", "smtp", "http", "https", "tls", "snmp", "rtsp", "ssdp",
};

static const char network_profile[] =
	"21,22,23,25,80,443,554,830,8000,8080,8443,37777,161/udp,1900/udp";

const char *scan_probe_name(int id)
{
	return id >= 0 && id < SCAN_PROBE_COUNT ? probe_names[id] : NULL;
}

int scan_probe_from_name(const char *s, size_t n)
{
	for (int i = 0; i < SCAN_PROBE_COUNT; i++)
		if (strlen(probe_names[i]) == n && !memcmp(probe_names[i], s, n))
			return i;
	return -1;
}

int scan_probe_default(uint16_t port, uint8_t proto)
{
	if (proto == 17)
		return port == 161 ? SCAN_PROBE_SNMP : port == 1900 ? SCAN_PROBE_SSDP : SCAN_PROBE_BANNER;
	switch (port) {
	case 21: return SCAN_PROBE_FTP;
	case 22: case 830: return SCAN_PROBE_SSH;
	case 23: return SCAN_PROBE_TELNET;
	case 25: return SCAN_PROBE_SMTP;
	case 80: case 8000: case 8080: return SCAN_PROBE_HTTP;
	case 443: case 8443: return SCAN_PROBE_HTTPS;
	case 554: return SCAN_PROBE_RTSP;
	default: return SCAN_PROBE_BANNER;
	}
}

static int add(struct scan_ports *p, uint16_t port, uint8_t proto, int probe, char *eb, size_t el)
{
	struct scan_port *v;

	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].port == port && p->v[i].proto == proto)
			return 0;
	if (p->n >= SCAN_PORTS_MAX)
		return err_set(eb, el, TM_ELIMIT, "ports: more than %d ports", SCAN_PORTS_MAX);
	if (!(v = mem_realloc(p->v, (p->n + 1) * sizeof(*v))))
		return err_set(eb, el, TM_ENOMEM, "ports: out of memory");
	p->v = v;
	v[p->n].port = port;
	v[p->n].proto = proto;
	v[p->n].probe = (uint8_t)probe;
	p->n++;
	return 0;
}

/* One item "PORT[/udp|/tcp][:PROBE]" of n bytes. */
static int item(struct scan_ports *p, const char *s, size_t n, char *eb, size_t el)
{
	const char *colon = memchr(s, ':', n), *slash;
	size_t pn = colon ? (size_t)(colon - s) : n;
	size_t cn = colon ? n - pn - 1 : 0;
	uint8_t proto = 6;
	uint64_t port;
	int probe;

	slash = memchr(s, '/', pn);
	if (slash) {
		size_t tn = pn - (size_t)(slash - s) - 1;
		if (str_caseeq(slash + 1, tn, "udp"))
			proto = 17;
		else if (!str_caseeq(slash + 1, tn, "tcp"))
			return err_set(eb, el, TM_EINVAL, "ports: bad transport in '%.*s'", (int)n, s);
		pn = (size_t)(slash - s);
	}
	if (!str_to_u64(s, pn, &port) || port < 1 || port > 65535)
		return err_set(eb, el, TM_EINVAL, "ports: bad port in '%.*s'", (int)n, s);
	probe = scan_probe_default((uint16_t)port, proto);
	if (colon && (probe = scan_probe_from_name(colon + 1, cn)) < 0)
		return err_set(eb, el, TM_EINVAL, "ports: unknown probe in '%.*s'", (int)n, s);
	return add(p, (uint16_t)port, proto, probe, eb, el);
}

int scan_ports_parse(struct scan_ports *p, const char *spec, char *eb, size_t el)
{
	const char *s = spec, *e;
	int rc;

	if (!*spec)
		return err_set(eb, el, TM_EINVAL, "ports: empty spec");
	for (; *s; s = *e ? e + 1 : e) {
		e = strchr(s, ',');
		if (!e)
			e = s + strlen(s);
		if (e == s)
			return err_set(eb, el, TM_EINVAL, "ports: empty item in '%s'", spec);
		if (*s == '@') {
			if (!str_caseeq(s + 1, (size_t)(e - s - 1), "network"))
				return err_set(eb, el, TM_EINVAL, "ports: unknown profile '%.*s' (known: @network)",
					       (int)(e - s), s);
			if ((rc = scan_ports_parse(p, network_profile, eb, el)))
				return rc;
			continue;
		}
		if ((rc = item(p, s, (size_t)(e - s), eb, el)))
			return rc;
	}
	return 0;
}

void scan_ports_fini(struct scan_ports *p)
{
	mem_free(p->v);
	p->v = NULL;
	p->n = 0;
}
