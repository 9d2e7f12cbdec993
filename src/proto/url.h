/*
 * url.h - splitting an absolute http(s) URL, such as an SSDP LOCATION
 * ("http://127.30.0.7:20080/desc.xml") or an HTTP redirect, into host, port
 * and path with bounds (RFC 3986 section 3, just the parts a fetch needs).
 */
#ifndef TM_URL_H
#define TM_URL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Splits url into host (no brackets for IPv6 literals; any userinfo
 * dropped), port (from the URL, else 80 for http and 443 for https) and path
 * (with query; "/" when absent).  Returns 0, TM_EUNSUP for another scheme,
 * TM_EPROTO for an empty host, a bad port or a space or control byte,
 * TM_ELIMIT when host or path does not fit hcap/pcap.
 */
int url_split(const char *url, char *host, size_t hcap, uint16_t *port, char *path, size_t pcap);

#endif
