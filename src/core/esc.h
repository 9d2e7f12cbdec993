/*
 * esc.h - the only way untrusted bytes reach a terminal, a JSON line, a CSV
 * cell or an HTML page.  Each helper appends the escaped form of (p, n) to a
 * buffer and returns 0 or a TM_E* code from buf.h.
 */
#ifndef TM_ESC_H
#define TM_ESC_H

#include "buf.h"

/* Printable ASCII kept; \\, \r, \n, \t and \xNN for everything else (terminal safe). */
int esc_term(struct buf *b, const void *p, size_t n);
/* A JSON string body, without the quotes; invalid UTF-8 bytes become \u00NN. */
int esc_json(struct buf *b, const void *p, size_t n);
/* A JSON string with its quotes. */
int esc_json_str(struct buf *b, const char *s);
/*
 * A CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF; a
 * leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula;
 * control bytes become \xNN.
 */
int esc_csv(struct buf *b, const void *p, size_t n);
/* HTML text or attribute value: & < > " ' escaped; control bytes dropped to U+FFFD. */
int esc_html(struct buf *b, const void *p, size_t n);

#endif
