/*
 * kbver.h - which knowledge is in use: the version or date of each source
 * (our rules' VERSION, ieee-data's .lastupdate, Wireshark manuf's newest
 * Last-Modified line, enterprises.tsv's "last updated" line, the $Id of
 * nmap-service-probes), read from the same files kb_load would load, so that
 * `trustmap --version` and every run record say which knowledge produced a
 * result.
 */
#ifndef TM_KBVER_H
#define TM_KBVER_H

#include <stddef.h>

struct kb_opts;

enum { KBV_RULES, KBV_IEEE, KBV_MANUF, KBV_PEN, KBV_NMAP, KBV_N };

struct kb_ver {
	const char *name;  /* "rules", "ieee-data", "manuf", "enterprises.tsv", "nmap-service-probes" */
	char path[512];	   /* the file or directory it comes from */
	char version[160]; /* "2024-08-25", "$Id: ... $", "0.1.0 2026-11-29"; "absent" */
	int present;
};

/* Fills v[KBV_N] for the files the options (else environment, else defaults) name. */
void kb_versions(const struct kb_opts *o, struct kb_ver v[KBV_N]);
/* "rules=...; ieee-data=...; ..." in out (cut to len); returns out. */
const char *kb_versions_line(const struct kb_ver v[KBV_N], char *out, size_t len);

#endif
