/*
 * stanza.h - the text format of trustmap's own knowledge (the .tm files of rules/): records
 * of a header line and indented fields, separated by blank lines.
 *
 *     # a comment (only at the start of a line)
 *     vendor huawei
 *         name     Huawei Technologies Co., Ltd.
 *         alias    HUAWEI TECHNOLOGIES
 *         example  "SSH-2.0-HUAWEI-1.5\r\n"
 *
 * A header is "TYPE ID" at column 0; a field is "KEY VALUE" after white
 * space; a key may repeat.  A value in double quotes takes C escapes (\r \n
 * \t \0 \\ \" \xNN) and is decoded by stanza_unquote(); otherwise it is the
 * rest of the line, trimmed.  The parser keeps no pointer after the callback.
 */
#ifndef TM_STANZA_H
#define TM_STANZA_H

#include "../core/buf.h"

#include <stddef.h>

#define STANZA_MAX_FIELDS 256

struct st_field {
	const char *key; /* NUL-terminated */
	const char *val; /* raw value text (still quoted if it was), NUL-terminated */
	size_t vlen;
	unsigned line;	 /* 1-based line number in the file */
};

struct st_rec {
	const char *type; /* "vendor", "rule", "list" ... */
	const char *id;	  /* the rest of the header line, trimmed */
	unsigned line;
	const char *file; /* for messages */
	struct st_field f[STANZA_MAX_FIELDS];
	int nf;
};

/*
 * Called once per record; returns 0 to go on or a TM_E* code (with a message
 * in eb) to stop the parse.
 */
typedef int (*stanza_fn)(void *ctx, const struct st_rec *rec, char *eb, size_t el);

/*
 * Parses (data, len), read from file (named in messages).  Returns 0, the
 * callback's error, or TM_EPROTO/TM_ELIMIT with "file:line: message" in eb.
 */
int stanza_parse(const char *file, const char *data, size_t len, stanza_fn fn, void *ctx,
		 char *eb, size_t el);
/* Reads path whole (at most 16 MiB) and parses it. */
int stanza_parse_file(const char *path, stanza_fn fn, void *ctx, char *eb, size_t el);

/* The first field named key, or NULL. */
const struct st_field *stanza_get(const struct st_rec *r, const char *key);
/*
 * Appends the decoded value of f to out: escapes decoded when quoted, raw
 * text otherwise.  TM_EPROTO for a bad escape or a missing closing quote.
 */
int stanza_unquote(const struct st_field *f, struct buf *out);

#endif
