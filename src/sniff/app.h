/*
 * app.h - internal to the TCP application decoders (app.c dispatches to
 * tlsrec.c, httpresp.c and banner.c): each reads the first bytes a server
 * sent on one flow, pk's src being the server, and emits what the scanner's
 * probe for the same protocol would have emitted for the same bytes.
 * Returns 0, or TM_EPROTO with pk->err set (what decoded is kept).
 */
#ifndef TM_SNIFF_APP_H
#define TM_SNIFF_APP_H

#include "sniff.h"

#include <stddef.h>
#include <stdint.h>

#define APP_KEPT 16384 /* bytes a probe keeps of one exchange (PROBE_BUF of src/scan/probe.h) */

/*
 * An observation about the server (pk->src_ip, pk->sport, TCP), with the
 * nmap probe name of a service_response (probe may be NULL).  Returns 0 or
 * what pk->on_obs returned.
 */
int app_emit(struct sn_pkt *pk, enum obs_kind k, const char *probe, const void *v, size_t n,
	     unsigned flags);

/* TLS records up to 1.2: the leaf certificate of the server's Certificate message. */
int app_tls(struct sn_pkt *pk, const uint8_t *p, size_t n, int complete);
/* An HTTP/1.x or RTSP/1.0 response (and a UPnP device description in its body). */
int app_http(struct sn_pkt *pk, const uint8_t *p, size_t n, int complete);
/*
 * SSH identification, FTP/SMTP greetings, Telnet, else what nmap's NULL
 * probe would have seen; *dec gets SN_DEC_BANNER, or SN_DEC_COUNT when the
 * bytes were left alone (a server that answers a client we cannot see).
 */
int app_banner(struct sn_pkt *pk, const uint8_t *p, size_t n, int complete, enum sn_dec *dec);

#endif
