/*
 * nmap_int.h - what nmap.c (the probes file parser and the database) and
 * nmap_match.c (matching and the version templates) share.  Not for callers.
 */
#ifndef TM_NMAP_INT_H
#define TM_NMAP_INT_H

#include "nmap.h"

#include <stddef.h>
#include <stdint.h>

struct arena;
struct mre;
struct mre_scratch;

enum nmap_field { NF_P, NF_V, NF_I, NF_H, NF_O, NF_D, NF_COUNT };

#define NMAP_MAXCPE 4

struct nmap_tmpl {
	const char *p; /* template text (arena), NULL when absent */
	size_t n;
};

struct nmap_line {
	char service[32];
	uint8_t soft;
	unsigned line;
	struct nmap_tmpl t[NF_COUNT];	   /* p v i h o d */
	struct nmap_tmpl cpe[NMAP_MAXCPE]; /* "cpe:/a:vendor:product:$1" */
	int ncpe;
	size_t lit;
};

struct nmap_probe {
	char name[64];
	uint8_t proto;		/* 6 TCP, 17 UDP */
	unsigned line;
	const uint8_t *payload; /* arena, may hold NUL bytes */
	size_t plen;
	const char *fallback;	/* the fallback directive's text, NULL if none */
	const char *ports, *sslports;
	int rarity, totalwaitms, tcpwrappedms;
	int chain[NMAP_MAXFB + 2]; /* probes whose lines are tried, in order: self, fallbacks, NULL */
	int nchain;
	struct mre *mre;	/* its match lines; ids are indices in db->ln */
};

struct nmap_pidx { /* sorted by (name, proto, idx) for lookups */
	const char *name;
	uint8_t proto;
	int idx;
};

struct nmap_db {
	struct arena *a;
	struct nmap_probe *pr;
	size_t npr, cpr;
	struct nmap_line *ln;
	size_t nln, cln;
	size_t bad;
	int compiled;
	struct nmap_pidx *idx;
	const char *exclude;	/* the Exclude directive's text */
};

struct nmap_scratch {
	struct mre_scratch *ms;
};

/* The probe named name ("GetRequest", "UDP:RPCCheck"), or -1. */
int nmap_find_probe(const struct nmap_db *db, const char *name);

/* nmap_match.c: fills h from line l matched on (subj, n) with captures ov (ncap pairs). */
void nmap_fill(const struct nmap_line *l, struct nmap_hit *h, const uint8_t *subj, size_t n,
	       const size_t *ov, int ncap);

#endif
