/*
 * neigh.h - the kernel's neighbour table (ARP for IPv4, NDP for IPv6, read
 * with one netlink RTM_GETNEIGH dump): the MAC address of every on-link
 * target, as `mac` observations with the address set.  Reading the table
 * sends nothing on the network.
 */
#ifndef TM_SCAN_NEIGH_H
#define TM_SCAN_NEIGH_H

#include "probe.h"
#include "targets.h"

#include <stddef.h>
#include <stdint.h>

/* One neighbour: address and MAC. */
typedef int (*scan_neigh_fn)(void *ctx, scan_u128 addr, const uint8_t mac[6]);

/*
 * Parses a buffer of netlink messages (RTM_NEWNEIGH in host byte order) and
 * calls fn for each usable entry (a 6-byte link-layer address, not all
 * zeros, state neither incomplete nor failed).  Returns 1 at NLMSG_DONE, 0
 * when more messages follow, TM_EPROTO for a malformed buffer (entries
 * before the fault are kept).
 */
int scan_neigh_parse(const uint8_t *p, size_t n, scan_neigh_fn fn, void *ctx);
/*
 * Emits one `mac` observation (source "scan", time now) per neighbour whose
 * address is a target.  *count gets how many.  Returns 0 or TM_EIO with a
 * message.
 */
int scan_neigh_emit(const struct scan_targets *t, probe_emit_fn emit, void *ctx, long *count, char *eb,
		    size_t el);

#endif
