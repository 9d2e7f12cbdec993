/*
 * nmapxml_int.h - the state the nmap XML reader (nmapxml.c) shares with its
 * script and fingerprint half (nmapscript.c).  Nothing else includes it.
 */
#ifndef TM_NMAPXML_INT_H
#define TM_NMAPXML_INT_H

#include "imp_int.h"

#include <expat.h>

#define NX_DEPTH_MAX   64	 /* deepest element nesting accepted */
#define NX_ATTR_MAX    65536	 /* longest attribute value accepted in a host */
#define NX_TOKEN_MAX   (1 << 20) /* most bytes fed without any parser event */
#define NX_TEXT_MAX    4096	 /* longest element text kept (cpe, elem) */
#define NX_TABLE_DEPTH 8	 /* script table keys remembered */
#define NX_NAME_PARTS  16	 /* attributes kept per certificate name */
#define NX_FP_MAX      64	 /* responses taken from one service fingerprint */

enum nx_script { SCR_NONE, SCR_OTHER, SCR_TITLE, SCR_SERVER, SCR_SSL };

struct nx_part {
	char key[24]; /* short name: C, O, CN ... */
	char val[256];
};

struct nx_name {
	int n;
	struct nx_part part[NX_NAME_PARTS];
};

struct nx {
	struct imp_run *r;
	XML_Parser p;
	int stop;		/* 0, or why the parse was stopped (IMP_SKIP or an error) */
	int depth;		/* element nesting */
	size_t fed, last_event; /* bytes fed, and fed when the last event came */
	int64_t run_time;	/* nmaprun start, for hosts without starttime */
	int masscan;		/* the file is masscan's -oX (scanner="masscan") */
	struct imp_mb mb;	/* masscan banners */
	/* the host being read */
	int in_host, host_bad, flushed;
	unsigned long host_line;
	struct obs h; /* time, source, addr, mac of every observation of the host */
	/* the port being read */
	int in_port, open, in_service, in_hostscript;
	uint16_t port;
	uint8_t proto;
	char svcname[32]; /* service name of the port, for banners */
	/* OS detection */
	int osmatches, os_ok, in_osclass;
	/* scripts */
	enum nx_script scr;
	int tdepth;
	char tkey[NX_TABLE_DEPTH][24];
	char ekey[64];
	int in_elem, elems;
	struct nx_name subj, iss;
	/* text of the current cpe or elem */
	int capture;
	struct buf text;
	struct buf val; /* scratch for built values */
};

/* An attribute of atts by name, or NULL. */
const char *nx_attr(const char **atts, const char *name);
/* Delivers an observation of the current host (port and proto when port is 1). */
int nx_emit(struct nx *x, enum obs_kind k, const char *probe, const void *p, size_t n, int port,
	    unsigned flags);
/* Marks the current host bad (or stops the parse) with a message at the parser's position. */
void nx_host_bad(struct nx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Stops the parse with rc (message already in eb, or IMP_SKIP). */
void nx_stop(struct nx *x, int rc);

/* nmapscript.c: script elements, and responses from a service fingerprint. */
void nx_script_start(struct nx *x, const char **atts);
void nx_script_end(struct nx *x);
void nx_table_start(struct nx *x, const char **atts);
void nx_table_end(struct nx *x);
void nx_elem_start(struct nx *x, const char **atts);
void nx_elem_end(struct nx *x);
void nx_servicefp(struct nx *x, const char *fp);

#endif
