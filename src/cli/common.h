/*
 * common.h - what every subcommand shares: loading the knowledge base and
 * the store with one-line error messages, list membership of a vendor, and
 * the JSON shape of one attribution.
 */
#ifndef TM_CLI_COMMON_H
#define TM_CLI_COMMON_H

#include "../attr/attr.h"
#include "../core/buf.h"
#include "../store/store.h"

#include <stdio.h>

struct kb;
struct store;

/* Options most commands take. */
struct common {
	const char *db;	    /* --db URL */
	const char *kb_dir; /* --kb-dir DIR */
	int no_nmap;	    /* --no-nmap */
	const char *format; /* --format table|jsonl|csv */
	const char *lists;  /* --lists FILE: users' own vendor lists */
};

/* Loads the knowledge base; prints "trustmap CMD: ..." and returns NULL on failure. */
struct kb *cli_kb(const char *cmd, const struct common *c);
struct store *cli_store(const char *cmd, const struct common *c);
/* --format as enum rep_format, or -1 after printing an error. */
int cli_format(const char *cmd, const struct common *c);
/* Comma-separated lists the vendor belongs to for that role today ("" none). */
const char *cli_lists(const struct kb *kb, int vendor, const char *role, char *out, size_t outlen);
/* Decodes C escapes (\r \n \t \\ \xNN) of a command-line value into out. */
/* A run looked up by id (scan and sniff --resume): set id, call cli_run_find; found says whether r is it. */
struct run_find {
	int64_t id;
	struct run_rec r;
	int found;
};
/* 0 (f->found set when the store has run f->id), or < 0 when the store fails. */
int cli_run_find(struct store *st, struct run_find *f);
int cli_unescape(const char *s, struct buf *out);

#endif
