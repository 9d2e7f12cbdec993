/*
 * ports.h - the port half of a scan's target space: a spec of comma-separated
 * items PORT[/udp][:PROBE] and named profiles @NAME (@network, the default,
 * is the usual ports of network equipment), parsed into an ordered list of
 * (port, transport, probe) without duplicates.  Without :PROBE a port gets
 * its well-known probe (22 ssh, 80 http, 161/udp snmp, ...; else banner).
 */
#ifndef TM_SCAN_PORTS_H
#define TM_SCAN_PORTS_H

#include <stddef.h>
#include <stdint.h>

enum scan_probe_id {
	SCAN_PROBE_BANNER = 0,
	SCAN_PROBE_SSH,
	SCAN_PROBE_TELNET,
	SCAN_PROBE_FTP,
	SCAN_PROBE_SMTP,
	SCAN_PROBE_HTTP,
	SCAN_PROBE_HTTPS,
	SCAN_PROBE_TLS,
	SCAN_PROBE_SNMP,
	SCAN_PROBE_RTSP,
	SCAN_PROBE_SSDP,
	SCAN_PROBE_COUNT,
	SCAN_PROBE_UPNP = SCAN_PROBE_COUNT, /* internal: the description fetched after SSDP */
};

#define SCAN_PORTS_MAX 4096 /* distinct (port, transport) pairs in one spec */

struct scan_port {
	uint16_t port;
	uint8_t proto; /* 6 TCP, 17 UDP */
	uint8_t probe; /* enum scan_probe_id */
};

struct scan_ports {
	struct scan_port *v; /* owned; free with scan_ports_fini */
	size_t n;
};

/* "ssh", "http", ...; NULL for an unknown id. */
const char *scan_probe_name(int id);
/* -1 when unknown. */
int scan_probe_from_name(const char *s, size_t n);
/* The probe a port gets without :PROBE. */
int scan_probe_default(uint16_t port, uint8_t proto);
/*
 * Parses spec into *p (which the caller zeroes first; items are appended in
 * order, a repeated (port, transport) keeps its first probe).  Returns 0 or
 * TM_EINVAL/TM_ELIMIT/TM_ENOMEM with a message naming the bad item; on error
 * *p holds the items parsed before it (still to be freed).
 */
int scan_ports_parse(struct scan_ports *p, const char *spec, char *eb, size_t el);
void scan_ports_fini(struct scan_ports *p);

#endif
