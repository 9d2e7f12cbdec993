/*
 * capture.h - the capture layer of trustmap sniff: packets in (pcap and
 * pcapng files through libpcap, stdin, live interfaces with a BPF filter),
 * link types (Ethernet with stacked 802.1Q/802.1ad tags and LLC/SNAP, Linux
 * cooked SLL and SLL2, raw IPv4/IPv6), IPv4 and IPv6 (fragments ignored),
 * UDP to the datagram decoders by port, TCP to the flow table and from it
 * to sn_app, and per-decoder packet and malformed counts.  What decoders
 * learn goes to the callbacks in struct cap_cfg; the capture layer adds one
 * OBS_MAC (MAC only, never bound to an IP here) per source MAC it sees.
 *
 * Messages go to standard error, each naming the capture and the packet:
 * "FILE: packet N: DECODER: what" (after 20 malformed-packet messages only
 * counts); a broken file (wrong magic, truncated, a record length that lies)
 * stops that file with such a message, keeping everything before it.
 */
#ifndef TM_SNIFF_CAPTURE_H
#define TM_SNIFF_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sniff.h"
#include "flow.h"

#define CAP_VLAN_MAX 8	/* stacked VLAN tags followed; more is malformed */
#define CAP_IP6_EXT_MAX 8 /* IPv6 extension headers walked; more is malformed */
#define CAP_MSG_MAX 20	/* malformed-packet messages shown; after that only counted */
#define CAP_UDP_AS_MAX 16 /* --decode-as mappings */

struct cap_cfg {
	size_t max_flows, flow_bytes, max_buffered; /* flow table bounds (0: defaults of flow.h) */
	int64_t idle;				   /* flow idle timeout, capture seconds (0: default) */
	const char *scope;			   /* obs scope of addresses ("" or NULL: global) */
	int (*on_obs)(void *arg, const struct obs *o);
	int (*on_link)(void *arg, const struct sn_link *l);
	void *arg;
	/* progress: called every few thousand packets and at the end of each file (packets: of this file) */
	void (*tick)(void *arg, const char *what, long long done, long long total, uint64_t packets);
	/*
	 * Called between two packets of a capture (before each read): every
	 * observation and link of the packets before has been handed over,
	 * none of the next one.  The place to commit, and to ask
	 * cap_checkpoint() where a resume would start.  Nonzero: stop reading
	 * here (as *stop does).  Not called while cap_replay() re-reads.
	 */
	int (*between)(void *arg);
	int quiet;				   /* no messages at all (fuzzing) */
	/* more UDP ports for the datagram decoders ("decode as"): either port matching */
	struct {
		uint16_t port;
		enum sn_dec dec; /* SN_DEC_DHCP4, SN_DEC_DHCP6, SN_DEC_SNMP (from the port), SN_DEC_SSDP */
	} udp_as[CAP_UDP_AS_MAX];
	int nudp_as;
	/*
	 * Sizes, 0: the defaults.  Smaller ones are for fuzzing: a fresh
	 * capture per input then makes no large allocation (1 MiB buffers and
	 * a 512 KiB set are an mmap each under ASan).  Records longer than the
	 * read buffer go to libpcap, as other records the fast reader skips.
	 */
	size_t iobuf;  /* each read buffer, bytes (default 1 MiB; at least 4096) */
	size_t macset; /* source MACs remembered, a power of two (default and most 65,536; at least 64) */
};

struct cap_stats {
	uint64_t pkts[SN_DEC_COUNT]; /* packets (or flows, for http/tls/banner) each decoder was given */
	uint64_t bad[SN_DEC_COUNT];  /* of those, malformed */
	uint64_t packets, bytes;     /* records read, bytes captured */
	uint64_t fragments;	     /* IP fragments ignored */
	uint64_t macs;		     /* source MACs emitted */
	uint64_t files_bad;	     /* captures that stopped on an error */
	uint64_t shown, hidden;	     /* malformed messages printed / only counted */
};

struct cap;

/*
 * A place in the run's list of capture files, for `sniff --resume`: file
 * index (from 0, in the order cap_file() was called), packet number in
 * that file (from 1) and the byte offset of that packet's record (pcap) or
 * of the block before it (pcapng).  A tag is (file << 40 | packet).
 */
struct cap_pos {
	uint32_t file;
	uint64_t no;
	int64_t off;
};
#define CAP_TAG(file, no) ((uint64_t)(file) << 40 | (uint64_t)(no))

/* NULL on allocation failure. */
struct cap *cap_new(const struct cap_cfg *c);
/* Frees c (call cap_end() first to hand over the flows still open). */
void cap_free(struct cap *c);

/*
 * Reads one capture file to its end, "-" for standard input; stops early
 * when *stop becomes nonzero (stop may be NULL).  Returns 0, or TM_EIO /
 * TM_EPROTO when the file could not be opened or broke off (the message is
 * printed; what came before is kept).
 */
int cap_file(struct cap *c, const char *path, volatile int *stop);
/* The same from an open stream (name for messages); fp is closed. */
int cap_stream(struct cap *c, FILE *fp, const char *name, volatile int *stop);

/*
 * Live capture, in two steps so that privileges can be dropped in between:
 * cap_live_open() opens iface (promiscuous, BPF filter bpf or NULL) and
 * returns the handle (NULL with the message in eb); cap_drop_privileges()
 * gives up root (to SUDO_UID/SUDO_GID when set, else nobody) and any
 * capabilities; cap_live_run() reads until *stop (or cap_live_break()),
 * and cap_live_close() closes the handle.
 */
void *cap_live_open(const char *iface, const char *bpf, char *eb, size_t el);
int cap_drop_privileges(char *eb, size_t el);
int cap_live_run(struct cap *c, void *handle, const char *iface, volatile int *stop);
/* Makes cap_live_run() return soon (safe in a signal handler: libpcap wakes its poll). */
void cap_live_break(void *handle);
/* Closes the handle; NULL is a no-op. */
void cap_live_close(void *handle);

/* One packet of link type dlt (DLT_EN10MB, ...), as if read from a capture called name. */
void cap_packet(struct cap *c, const char *name, int dlt, const uint8_t *p, size_t caplen, int64_t time);
/* Hands over every open flow (end of capture). */
void cap_end(struct cap *c);

/*
 * Inside cfg.between: *next is the packet about to be read, *from the
 * packet that made the oldest TCP flow still in the table (*next when there
 * is none).  Re-reading from *from up to *next with cap_replay() rebuilds
 * the flow table as it is now.
 */
void cap_checkpoint(const struct cap *c, struct cap_pos *next, struct cap_pos *from);
/* Calls fn with the tag of the packet that made each flow in the table (for cap_replay's born). */
void cap_born_each(const struct cap *c, void (*fn)(void *arg, uint64_t tag, int64_t off), void *arg);
/*
 * Before continuing a run at a checkpoint (cap_checkpoint() then): the
 * next cap_file() is file from->file, read from packet from->no (a seek to
 * from->off in pcap files, packets skipped in pcapng); packets before
 * to hand nothing over (observations and links were stored before) and
 * make TCP flows only at the tags in born[0..nborn) (sorted: the flows
 * the table held); from packet to on, everything as usual.  Returns 0 or
 * TM_ENOMEM (born is copied).
 */
int cap_replay(struct cap *c, const struct cap_pos *from, const struct cap_pos *to, const uint64_t *born,
	       size_t nborn);

const struct cap_stats *cap_stats(const struct cap *c);
/* Capture time of the packet being decoded (for links: first and last seen). */
int64_t cap_now(const struct cap *c);
const struct flow_stats *cap_flow_stats(const struct cap *c);

#endif
