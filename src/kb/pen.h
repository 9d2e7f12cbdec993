/*
 * pen.h - SNMP private enterprise numbers: who IANA assigned 1.3.6.1.4.1.N
 * to, from the enterprises.tsv Wireshark ships (libwireshark-data), itself
 * generated from https://www.iana.org/assignments/enterprise-numbers.  The
 * names are IANA's as registered ("ciscoSystems", "HUAWEI Technology
 * Co.,Ltd"); mapping them to vendors is the vendor registry's job.  Numbers
 * are dense (0..~62k), so the lookup is one index into a direct table; the
 * table grows only while it stays dense, sparse numbers go to a hash.
 *
 * Format: "<number><blanks><name>", blanks being any run of spaces and tabs;
 * the name runs to the next tab (after which Wireshark puts comments such as
 * "# formerly 'Allen-Bradley Company'") and is trimmed; '#' inside a name is
 * kept ("School District #57"); lines starting with '#' and blank lines are
 * comments, but a name may start with '#' ("9230 #B4mad Research Lab").  The
 * first assignment of a number wins.
 */
#ifndef TM_PEN_H
#define TM_PEN_H

#include <stddef.h>
#include <stdint.h>

#define PEN_MAX	     (1u << 20)	 /* numbers from here up are skipped (IANA is near 63k in 2024) */
#define PEN_NAME_MAX 512	 /* longest name kept; longer lines are skipped */
#define PEN_LINE_MAX 4096	 /* longer lines are skipped */
#define PEN_FILE_MAX (64u << 20) /* largest file pen_load reads */

struct pen_db;

/* An empty db (free with pen_free).  0 or TM_ENOMEM. */
int pen_new(struct pen_db **out);

/*
 * Adds the assignments in (data, len); file names it in messages.  A
 * malformed line (no number, number >= PEN_MAX, no name, control bytes,
 * over-long) is skipped and counted in pen_skipped(); eb then holds
 * "file:line: why" of the first one (else "") and 0 is returned.  Returns
 * TM_EPROTO when not one line parsed, TM_ENOMEM (lines before it stay).
 */
int pen_parse(struct pen_db *db, const char *file, const char *data, size_t len, char *eb,
	      size_t el);

/*
 * Reads and parses path (e.g. /usr/share/wireshark/enterprises.tsv); skipped
 * lines are reported with log_warn.  *out is NULL on failure; free with
 * pen_free.
 */
int pen_load(struct pen_db **out, const char *path, char *eb, size_t el);
void pen_free(struct pen_db *db);

/* The registered name of pen, owned by the db; NULL if unknown.  Thread-safe reads. */
const char *pen_org(const struct pen_db *db, uint32_t pen);
/* Numbers with a name. */
size_t pen_count(const struct pen_db *db);
/* Lines skipped so far, over all files parsed. */
size_t pen_skipped(const struct pen_db *db);
/* Calls fn for every number with a name, in no set order, until fn returns non-zero (returned). */
typedef int (*pen_each_fn)(uint32_t pen, const char *name, void *ctx);
int pen_each(const struct pen_db *db, pen_each_fn fn, void *ctx);
/* Bytes of the number tables (names not counted): bounded by the names kept, not their numbers. */
size_t pen_bytes(const struct pen_db *db);

#endif
