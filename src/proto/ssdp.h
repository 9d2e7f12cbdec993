/*
 * ssdp.h - SSDP, the discovery half of UPnP (UPnP Device Architecture 1.1
 * section 1): the M-SEARCH request we send by unicast UDP to port 1900 and
 * the HTTP-over-UDP answers (or NOTIFY announcements) that come back.
 * Pure functions over bytes.
 */
#ifndef TM_SSDP_H
#define TM_SSDP_H

#include <stddef.h>
#include <stdint.h>

/*
 * Writes an M-SEARCH for st ("upnp:rootdevice", "ssdp:all") addressed to
 * host_port ("127.30.0.7:1900" or "239.255.255.250:1900") into out.  Returns
 * the length (without the NUL), TM_EINVAL for an empty argument or one with
 * a space or control byte, TM_ELIMIT when out is too small.
 */
int ssdp_build_msearch(char *out, size_t cap, const char *host_port, const char *st);

struct ssdp_resp {
	char server[256];   /* SERVER: "Linux/3.10 UPnP/1.0 Hikvision-Webs/1.0" */
	char location[512]; /* LOCATION: the device description URL */
	char usn[256];	    /* USN: "uuid:...::upnp:rootdevice" */
	char st[256];	    /* ST (answers) or NT (NOTIFY) */
};

/*
 * Parses one datagram: an "HTTP/1.1 200" answer or a "NOTIFY * HTTP/1.1".
 * Returns 0 (fields absent stay ""), TM_EPROTO for anything else.  Values
 * longer than a field are cut; r is cleared first.
 */
int ssdp_parse(const uint8_t *p, size_t n, struct ssdp_resp *r);

#endif
