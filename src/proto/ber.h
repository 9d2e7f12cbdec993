/*
 * ber.h - just enough ITU-T X.690 BER/DER for SNMP: reading tag-length-value
 * elements through the bounded reader (core/rd.h) and writing them into a
 * caller's fixed buffer.  The reader never trusts a length: definite lengths
 * only (short form, or long form of 1 to 4 bytes), each element entered with
 * rd_sub() so nothing can read past its parent; indefinite lengths and
 * multi-byte tags are refused.  The writer never writes past its capacity;
 * it records TM_ELIMIT instead (sticky, like struct rd).
 */
#ifndef TM_BER_H
#define TM_BER_H

#include "core/rd.h"

#include <stddef.h>
#include <stdint.h>

enum {
	BER_INT = 0x02,
	BER_OCTETS = 0x04,
	BER_NULL = 0x05,
	BER_OID = 0x06,
	BER_SEQ = 0x30,
	BER_CONSTRUCTED = 0x20,
};

/*
 * Reads one element header from r and enters its content: *tag gets the
 * identifier octet, *body a window over exactly the content.  Returns 0, or
 * TM_EPROTO (r is then failed) for a multi-byte tag, an indefinite length, a
 * long-form length of more than 4 bytes or a length beyond what r holds.
 */
int ber_read(struct rd *r, uint8_t *tag, struct rd *body);
/* Same, but the tag must be want; TM_EPROTO otherwise. */
int ber_expect(struct rd *r, uint8_t want, struct rd *body);
/*
 * An INTEGER's content (n bytes, two's complement) as int32: 0, or TM_EPROTO
 * when n is 0 or the value does not fit 32 bits.
 */
int ber_int32(const uint8_t *p, size_t n, int32_t *v);
/*
 * An OBJECT IDENTIFIER's content as arcs (the first octet split into two
 * arcs).  Returns the arc count, TM_EPROTO for an empty value, a padded
 * (0x80-led) or unterminated subidentifier or an arc above 2^32-1, and
 * TM_ELIMIT for more than max arcs.  arcs may be partly written on failure.
 */
int ber_oid_arcs(const uint8_t *p, size_t n, uint32_t *arcs, int max);

/* A bounded writer: bytes go to p[0..cap); err is sticky (TM_ELIMIT when full). */
struct ber_w {
	uint8_t *p; /* the caller's buffer */
	size_t cap; /* its size */
	size_t len; /* bytes written */
	int err;    /* 0 or the first TM_E* met */
};

void ber_w_init(struct ber_w *w, uint8_t *p, size_t cap);
/* Appends raw bytes. */
void ber_put(struct ber_w *w, const void *p, size_t n);
/* Appends a whole primitive element. */
void ber_put_tlv(struct ber_w *w, uint8_t tag, const void *val, size_t n);
void ber_put_int(struct ber_w *w, uint8_t tag, int64_t v);
/* An OID element from arcs (at least 2; the first at most 2, the second below 40 unless the first
 * is 2); TM_EINVAL otherwise. */
void ber_put_oid(struct ber_w *w, const uint32_t *arcs, int n);
/*
 * Opens a constructed element: returns a mark to hand to ber_end(), which
 * writes the content's length (moving the content when the length needs the
 * long form).
 */
size_t ber_begin(struct ber_w *w, uint8_t tag);
void ber_end(struct ber_w *w, size_t mark);

#endif
