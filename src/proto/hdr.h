/*
 * hdr.h - internal to src/proto: walking the head of an HTTP-shaped message
 * (HTTP/1.x, RTSP/1.0, SSDP) one line at a time over a bounded window, with
 * a ceiling on line length, so http.c and ssdp.c share one careful loop.
 */
#ifndef TM_PROTO_HDR_H
#define TM_PROTO_HDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HDR_LINE_MAX 8192
#define HDR_MAX	     100

enum hdr_kind {
	HDR_MORE, /* the rest is an unterminated line: wait for more bytes */
	HDR_LINE, /* a complete line (CR LF or bare LF) */
	HDR_LONG, /* a complete line, or unterminated tail, longer than HDR_LINE_MAX */
	HDR_END,  /* the empty line closing the head */
};

/*
 * The next line of p[*pos..n): sets line and len (without CR LF) and advances
 * *pos past it.  HDR_MORE leaves *pos alone unless the tail is already longer
 * than HDR_LINE_MAX, which gives HDR_LONG and moves *pos to n.
 */
enum hdr_kind hdr_next(const uint8_t *p, size_t n, size_t *pos, const char **line, size_t *len);
/*
 * Splits "Name: value" into the name and the trimmed value; false when there
 * is no colon or the name is empty or holds white space.
 */
bool hdr_split(const char *line, size_t len, const char **name, size_t *nlen, const char **val,
	       size_t *vlen);
/* Copies (v, n) into dst (size cap), control bytes kept verbatim; returns true when it was cut. */
bool hdr_copy(char *dst, size_t cap, const char *v, size_t n);

#endif
