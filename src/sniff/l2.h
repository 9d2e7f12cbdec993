/*
 * l2.h - what the link-layer and DHCP decoders (arp.c, lldp.c, cdp.c,
 * dhcp4.c, dhcp6.c) share beyond sniff.h: addresses as text, printable
 * checks for announced names, and the topology link a neighbour protocol
 * (LLDP, CDP) reports between the announcing device and the capture point.
 */
#ifndef TM_SNIFF_L2_H
#define TM_SNIFF_L2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sniff.h"

/* "192.0.2.1" from four bytes, "2001:db8::1" from sixteen; out has 46 bytes. */
void l2_ip4_text(const uint8_t a[4], char out[46]);
void l2_ip6_text(const uint8_t a[16], char out[46]);
/* The frame's source MAC as text, "" when the link type had none. */
void l2_src_mac(const struct sn_pkt *pk, char out[18]);
/* True for a MAC a device can own: not all-zero, not broadcast, not a group address. */
bool l2_mac_usable(const uint8_t m[6]);
/*
 * True when (p, n) is non-empty printable ASCII (0x20..0x7e); trailing NULs
 * (some agents terminate their strings) are not counted: *len gets the length
 * without them.
 */
bool l2_printable(const uint8_t *p, size_t n, size_t *len);
/*
 * Reports the link "device mac's port sees the capture point" (sniff.h):
 * a_key "mac:<mac>", a_port port, b_key "capture:<pk->file>", b_port
 * "vlan <n>" or "", source src.  Returns what sn_link returned.
 */
int l2_link(struct sn_pkt *pk, const char *mac, const char *port, const char *src);

#endif
