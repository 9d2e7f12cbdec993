/*
 * emu.h - the device emulator's shared types (tools/emu/, its own binary
 * trustmap-emu).  Personas are read from a stanza file (personas.tm) into
 * struct emu_persona with every answer prebuilt; the host table maps each
 * emulated address to a persona; the server (serve.c, udp.c, tls.c) answers
 * on one socket per port, choosing the persona by the address dialled.
 */
#ifndef TM_EMU_H
#define TM_EMU_H

#include <openssl/ssl.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The ports of the @network profile, in order; an index is a "slot". */
enum emu_slot {
	EMU_FTP,
	EMU_SSH,
	EMU_TELNET,
	EMU_SMTP,
	EMU_HTTP,
	EMU_HTTPS,
	EMU_RTSP,
	EMU_NETCONF,
	EMU_HTTP8000,
	EMU_HTTP8080,
	EMU_HTTPS8443,
	EMU_DVR37777,
	EMU_SNMP,
	EMU_SSDP,
	EMU_NSLOT
};

/* How a slot behaves: a greeting on connect, a request-answer, TLS, or UDP. */
enum emu_kind { EMU_K_BANNER, EMU_K_HTTP, EMU_K_HTTPS, EMU_K_RTSP, EMU_K_SNMP, EMU_K_SSDP };

struct emu_slotdef {
	uint16_t port;	   /* the real device's port (offset added when listening) */
	uint8_t udp;	   /* 1 for UDP */
	uint8_t kind;	   /* enum emu_kind */
	const char *probe; /* scanner probe name in --print-ports */
};
extern const struct emu_slotdef emu_slots[EMU_NSLOT];

/* Misbehaviour of a hostile persona (EMU_H_NONE for a well-behaved device). */
enum emu_hostile {
	EMU_H_NONE,
	EMU_H_ENDLESS,
	EMU_H_DRIP,
	EMU_H_BIGHEADER,
	EMU_H_BADTLS,
	EMU_H_BADSNMP,
	EMU_H_HTML,
	EMU_H_RESET,
	EMU_H_SILENT,
	EMU_H_N
};
extern const char *const emu_hostile_names[EMU_H_N];

/* A byte string owned by its persona (NUL-terminated, may hold NULs). */
struct emu_str {
	char *p;
	size_t n;
};

struct emu_persona {
	char *id;			 /* "huawei-vrp-router" */
	char *vendor;			 /* registry id, or NULL */
	int hostile;			 /* enum emu_hostile */
	uint32_t slots;			 /* bit per enum emu_slot served */
	struct emu_str greet[EMU_NSLOT]; /* sent on connect (banner slots) */
	struct emu_str http;		 /* the whole HTTP answer to GET / */
	struct emu_str upnp;		 /* the whole HTTP answer to GET /upnp/desc.xml, or empty */
	struct emu_str rtsp_head;	 /* RTSP status line (no CRLF) */
	struct emu_str rtsp_tail;	 /* RTSP header lines after CSeq, ending CRLF CRLF */
	struct emu_str ssdp_server;	 /* SSDP SERVER, or empty */
	struct emu_str sys_descr, sys_oid, sys_name; /* SNMP values */
	int snmp_v1only;			     /* answers SNMPv1 only, drops v2c */
	char *tls_subject;			     /* "/C=US/O=Fortinet/CN=..." or NULL */
	char *tls_issuer;			     /* NULL: self-signed */
	SSL_CTX *tls;				     /* built by emu_tls_init */
	char uuid[40];				     /* UPnP UDN, derived from the id */
};

struct emu_set {
	struct emu_persona *p;
	size_t n;
};

/* Loads personas from path into s (free with emu_set_free).  TM_E* with file:line. */
int emu_set_load(struct emu_set *s, const char *path, char *eb, size_t el);
void emu_set_free(struct emu_set *s);
/* The index of the persona named id, or -1. */
int emu_set_find(const struct emu_set *s, const char *id);

/* The host table: persona index per address base+i. */
struct emu_hosts {
	uint32_t base; /* host byte order */
	uint32_t n;
	uint16_t *pi; /* mem_* owned */
};

/*
 * Lays n hosts from base over the personas of s, in the proportions of the mix
 * file (NULL: every persona equally), shuffled by seed.  TM_E* with a message.
 */
int emu_hosts_make(struct emu_hosts *h, const struct emu_set *s, const char *mix, uint64_t seed,
		   uint32_t base, uint32_t n, char *eb, size_t el);
void emu_hosts_free(struct emu_hosts *h);
/* Writes the JSONL ground truth to path.  TM_EIO with a message. */
int emu_manifest_write(const struct emu_hosts *h, const struct emu_set *s, const char *path,
		       char *eb, size_t el);
/* The persona of address a (host order), or NULL when a is not emulated. */
const struct emu_persona *emu_hosts_get(const struct emu_hosts *h, const struct emu_set *s,
					uint32_t a);

/* Generates a key and one certificate and SSL_CTX per persona serving TLS. */
int emu_tls_init(struct emu_set *s, char *eb, size_t el);
void emu_tls_fini(struct emu_set *s);

/* Server options. */
struct emu_opt {
	unsigned port_offset;
	unsigned idle_ms;   /* close a peer quiet this long */
	unsigned max_conns; /* connections served at once; more are reset */
	int logfd;	    /* connection log opened O_APPEND (whole lines per write), or -1 */
	int any_addr;	    /* answer addresses outside 127/8: only in a private network namespace */
};

/*
 * Opens a listening socket per slot (port + offset) into fds; on failure
 * closes those opened and names the port.
 */
int emu_listen(const struct emu_opt *o, int fds[EMU_NSLOT], char *eb, size_t el);
void emu_unlisten(int fds[EMU_NSLOT]);
/*
 * Serves on fds (one process; several may share them) until *stop becomes
 * non-zero.  The sockets stay open for the caller to close.
 */
int emu_serve(const struct emu_set *s, const struct emu_hosts *h, const struct emu_opt *o,
	      const int fds[EMU_NSLOT], volatile int *stop, char *eb, size_t el);

/* Answers one UDP datagram: fills out (cap bytes) and returns its length, 0 for none. */
size_t emu_udp_answer(const struct emu_persona *p, int kind, const uint8_t *in, size_t inlen,
		      uint32_t addr, unsigned http_port, uint8_t *out, size_t cap);

#endif
