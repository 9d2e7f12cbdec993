/*
 * sniff.h - passive discovery: the contract between the capture layer
 * (capture.c: libpcap, link types, Ethernet/VLAN, IP, TCP/UDP, the flow
 * table) and the protocol decoders (one file each: arp.c, lldp.c, cdp.c,
 * dhcp4.c, dhcp6.c, snmp.c, ssdp.c, app.c).
 *
 * The capture layer fills a struct sn_pkt for every packet with what the
 * lower layers said (packet number, time, MACs, addresses, ports) and calls
 * the decoder the frame or datagram belongs to with the payload bytes, as a
 * bounded (pointer, length) pair that the decoder reads through core/rd.h.
 * A decoder never trusts a length inside the payload, never reads past n,
 * never keeps a pointer into p after it returns, and reports what it learnt
 * through sn_emit() (an observation) and sn_link() (a topology link).
 *
 * Return value of a decoder: 0 when the payload decoded (even if it said
 * nothing useful), TM_EPROTO when it is malformed -- with a short message in
 * pk->err ("LLDP TLV 5 claims 300 bytes, 12 left") -- after emitting whatever
 * it had already decoded (partial results are kept).  The capture layer
 * counts the packet as malformed for that decoder and logs
 * "FILE: packet N: <decoder>: <message>".
 */
#ifndef TM_SNIFF_H
#define TM_SNIFF_H

#include <stddef.h>
#include <stdint.h>

#include "core/obs.h"

/* Decoders, for --stats (packets seen and malformed, per decoder). */
enum sn_dec {
	SN_DEC_PCAP = 0, /* records the file format itself could not give */
	SN_DEC_ETH,	 /* Ethernet II, 802.1Q/802.1ad tags, SLL, SLL2, raw IP */
	SN_DEC_ARP,
	SN_DEC_LLDP,
	SN_DEC_CDP,
	SN_DEC_IPV4,
	SN_DEC_IPV6,
	SN_DEC_TCP,
	SN_DEC_UDP,
	SN_DEC_DHCP4,
	SN_DEC_DHCP6,
	SN_DEC_SNMP,
	SN_DEC_SSDP,
	SN_DEC_HTTP,	 /* HTTP responses in TCP flows (and UPnP descriptions in them) */
	SN_DEC_TLS,	 /* TLS handshake records up to 1.2: the server's Certificate */
	SN_DEC_BANNER, /* first bytes a server sends: SSH, FTP, SMTP, Telnet */
	SN_DEC_COUNT
};
/* "lldp", "dhcp4", ... */
const char *sn_dec_name(enum sn_dec d);

/* A topology link: device a's port sees device b (b_port "" when unknown). */
struct sn_link {
	char a_key[96];	 /* asset identity as in store.h: "mac:aa:bb:cc:dd:ee:ff" */
	char a_port[64]; /* a's port id / interface name as announced */
	char b_key[96];	 /* the neighbour, same form; "capture:<name>" for the capture point */
	char b_port[64];
	char source[16]; /* "lldp", "cdp" */
};

struct sn_pkt {
	/* filled by the capture layer */
	const char *file;	 /* capture file name or "iface:eth0", for messages */
	uint64_t no;		 /* packet number in the capture, from 1 */
	int64_t time;		 /* seconds since the epoch */
	const char *scope;	 /* obs scope for addresses ("" global) */
	uint8_t src_mac[6], dst_mac[6];
	int has_mac;		 /* 0 for raw IP link types */
	uint16_t vlan;		 /* outermost VLAN id, 0 none */
	char src_ip[46], dst_ip[46]; /* "" below IP */
	uint16_t sport, dport;
	uint8_t proto;		 /* 6, 17 or 0 */
	uint8_t asked;		 /* TCP (sn_app): no greeting (the client spoke first, or no SYN-ACK seen) */
	/* where results go (set by the capture layer; sn_emit/sn_link call them) */
	int (*on_obs)(void *arg, const struct obs *o);
	int (*on_link)(void *arg, const struct sn_link *l);
	void *arg;
	/* a decoder's message for TM_EPROTO */
	char err[160];
};

/*
 * Emits an observation of kind k about the device with this MAC and/or
 * address (either may be NULL or ""), from port/proto (0 when not tied to a
 * port), value v of n bytes (cut at OBS_VALUE_MAX), flags enum obs_flag.
 * source "sniff", time and scope from pk.  Returns 0 or what on_obs returned.
 */
int sn_emit(struct sn_pkt *pk, enum obs_kind k, const char *mac, const char *addr, uint16_t port,
	    uint8_t proto, const void *v, size_t n, unsigned flags);
/* Hands a link to on_link. */
int sn_link(struct sn_pkt *pk, const struct sn_link *l);
/* "aa:bb:cc:dd:ee:ff" (18 bytes with the NUL) from six bytes. */
void sn_mac_text(const uint8_t m[6], char out[18]);
/* Sets pk->err and returns TM_EPROTO. */
int sn_malformed(struct sn_pkt *pk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- L2 decoders: p is what follows the Ethernet (or SNAP) header ---- */
/* ARP over Ethernet/IPv4: the sender's MAC-IP binding as an OBS_MAC observation. */
int sn_arp(struct sn_pkt *pk, const uint8_t *p, size_t n);
/* LLDP (IEEE 802.1AB): chassis, port, system name/description, management addresses, org TLVs. */
int sn_lldp(struct sn_pkt *pk, const uint8_t *p, size_t n);
/* CDP (after LLC/SNAP 00:00:0c 0x2000): device id, platform, software version, addresses. */
int sn_cdp(struct sn_pkt *pk, const uint8_t *p, size_t n);

/* ---- UDP payloads (pk has addresses and ports) ---- */
int sn_dhcp4(struct sn_pkt *pk, const uint8_t *p, size_t n); /* 67/68 */
int sn_dhcp6(struct sn_pkt *pk, const uint8_t *p, size_t n); /* 546/547 */
int sn_snmp(struct sn_pkt *pk, const uint8_t *p, size_t n);  /* from 161: responses only */
int sn_ssdp(struct sn_pkt *pk, const uint8_t *p, size_t n);  /* to/from 1900: NOTIFY, 200 OK */

/*
 * ---- TCP: the first bytes a server sent on one flow ----
 * Called once per flow when the flow table flushes it (FIN/RST, its buffer
 * full, idle, evicted, end of capture), with the contiguous prefix of the
 * server-to-client stream; pk's src is the server (src_ip/sport), dst the
 * client.  complete: 1 when the server closed the stream within the bytes
 * given (nothing was cut).  Chooses by content and port among TLS, HTTP
 * (RTSP too), SSH/FTP/SMTP/Telnet banners; which decoder it counted the
 * flow under goes to *dec (SN_DEC_COUNT when none applied).
 */
int sn_app(struct sn_pkt *pk, const uint8_t *p, size_t n, int complete, enum sn_dec *dec);

#endif
