/*
 * tlsrec.c - the server's side of a TLS handshake up to TLS 1.2 (RFC 5246
 * sections 6.2.1 records, 7.4 handshake; SSL 3.0 alike): records walked
 * through the bounded reader, handshake fragments reassembled across
 * records (a Certificate message is often larger than one record), the
 * ServerHello checked for TLS 1.3 (RFC 8446 section 4.2.1: from there on
 * the certificate is encrypted, so nothing to say), and the first, leaf,
 * certificate of the Certificate message parsed with OpenSSL through
 * src/proto/tls.c: tls_subject, tls_issuer, tls_san, tls_sha256, as the
 * scanner's TLS probe records them.  A record or message that lies about
 * its length is malformed when the server closed the stream; when the flow
 * was only cut (its buffer full, the capture over) we keep what decoded.
 *
 * A server sends the same certificate in every handshake, and OpenSSL's
 * parse (with the signature check of X509_self_signed) costs hundreds of
 * microseconds: the facts of the last few certificates are kept, keyed by
 * their whole DER (compared byte for byte, so a collision cannot lie).
 */
#include "app.h"

#include "core/err.h"
#include "core/mem.h"
#include "core/rd.h"
#include "proto/tls.h"

#include <string.h>

#define REC_MAX	 (16384 + 2048) /* TLSCiphertext.length ceiling (RFC 5246 section 6.2.3) */
#define HS_MAX	 (1u << 20)	/* handshake bytes we reassemble */
#define CT_CCS	 20
#define CT_ALERT 21
#define CT_HS	 22
#define CT_APP	 23
#define HS_SERVER_HELLO 2
#define HS_CERTIFICATE	11
#define EXT_SUPPORTED_VERSIONS 43
#define CERT_CACHE 16		/* certificates remembered (direct-mapped by a hash of the DER) */
#define CERT_CACHE_DER 4096	/* larger certificates are parsed every time */

enum { T_MORE, T_DONE };

struct hs {
	uint8_t *buf;	  /* handshake bytes of the records so far */
	size_t len, cap;  /* bytes in buf, its size */
	size_t pos;	  /* first byte of the next unparsed message */
};

static uint32_t be24(struct rd *r)
{
	uint32_t v = rd_u8(r);

	return v << 16 | rd_be16(r);
}

/* ServerHello (RFC 5246 section 7.4.1.3): sets *tls13 when it selects TLS 1.3 (supported_versions). */
static int server_hello(struct sn_pkt *pk, const uint8_t *p, size_t n, int *tls13)
{
	struct rd m, ext, one;
	uint16_t ver, et;
	uint8_t sid;

	rd_init(&m, p, n);
	ver = rd_be16(&m);
	rd_skip(&m, 32); /* random */
	sid = rd_u8(&m);
	rd_skip(&m, sid);
	rd_be16(&m); /* cipher suite */
	rd_u8(&m);   /* compression */
	if (!rd_ok(&m) || sid > 32)
		return sn_malformed(pk, "TLS ServerHello of %zu bytes is cut or has a session id of %u bytes", n,
				    sid);
	*tls13 = ver == 0x0304;
	if (!rd_left(&m))
		return 0; /* no extensions */
	ext = rd_sub(&m, rd_be16(&m));
	if (!rd_ok(&m) || rd_left(&m))
		return sn_malformed(pk, "TLS ServerHello extensions do not fill the message");
	while (rd_left(&ext)) {
		et = rd_be16(&ext);
		one = rd_sub(&ext, rd_be16(&ext));
		if (!rd_ok(&ext))
			return sn_malformed(pk, "TLS ServerHello extension %u overruns the extensions", et);
		if (et == EXT_SUPPORTED_VERSIONS && rd_left(&one) == 2 && rd_be16(&one) == 0x0304)
			*tls13 = 1;
	}
	return 0;
}

/* The facts of recent certificates: one process decodes one capture at a time (no locking). */
static struct {
	uint32_t len; /* 0: empty */
	uint8_t der[CERT_CACHE_DER];
	struct tls_cert c;
} cert_cache[CERT_CACHE];

/* tls_cert_from_der() through the cache. */
static int cert_facts(const uint8_t *der, uint32_t len, struct tls_cert *c)
{
	uint64_t h = 1469598103934665603ULL;
	size_t slot;
	int rc;

	if (len > CERT_CACHE_DER)
		return tls_cert_from_der(der, len, c);
	for (uint32_t i = 0; i < len; i += 61) /* sampled: the full compare below decides */
		h = (h ^ der[i]) * 1099511628211ULL;
	h = (h ^ len ^ der[len - 1]) * 1099511628211ULL;
	slot = (size_t)(h >> 32) % CERT_CACHE;
	if (cert_cache[slot].len == len && !memcmp(cert_cache[slot].der, der, len)) {
		*c = cert_cache[slot].c;
		return 0;
	}
	if ((rc = tls_cert_from_der(der, len, c)))
		return rc;
	memcpy(cert_cache[slot].der, der, len);
	cert_cache[slot].c = *c;
	cert_cache[slot].len = len;
	return 0;
}

/* Certificate (RFC 5246 section 7.4.2): the leaf, first in certificate_list. */
static int certificate(struct sn_pkt *pk, const uint8_t *p, size_t n)
{
	struct tls_cert c;
	const uint8_t *der;
	uint32_t list, len;
	struct rd m;
	int rc;

	rd_init(&m, p, n);
	list = be24(&m);
	if (!rd_ok(&m) || list != rd_left(&m))
		return sn_malformed(pk, "TLS Certificate: certificate_list of %u bytes in a message of %zu",
				    list, n);
	if (!list)
		return 0; /* no certificate (anonymous or PSK suites) */
	len = be24(&m);
	der = rd_bytes(&m, len);
	if (!der || !len)
		return sn_malformed(pk, "TLS Certificate: first certificate claims %u bytes, %u in the list",
				    len, list);
	if (cert_facts(der, len, &c))
		return sn_malformed(pk, "TLS Certificate: the leaf certificate (%u bytes) does not parse", len);
	rc = 0;
	if (c.subject[0])
		rc = app_emit(pk, OBS_TLS_SUBJECT, NULL, c.subject, strlen(c.subject), 0);
	if (!rc && c.issuer[0])
		rc = app_emit(pk, OBS_TLS_ISSUER, NULL, c.issuer, strlen(c.issuer), 0);
	if (!rc && c.sans[0])
		rc = app_emit(pk, OBS_TLS_SAN, NULL, c.sans, strlen(c.sans), 0);
	if (!rc && c.sha256[0])
		rc = app_emit(pk, OBS_TLS_SHA256, NULL, c.sha256, strlen(c.sha256), 0);
	return rc;
}

/* Parses the complete handshake messages in h; T_DONE once the answer is known (or *rc set). */
static int walk(struct sn_pkt *pk, struct hs *h, int *rc)
{
	int tls13 = 0;

	while (h->len - h->pos >= 4) {
		const uint8_t *m = h->buf + h->pos;
		uint8_t type = m[0];
		size_t len = (size_t)m[1] << 16 | (size_t)m[2] << 8 | m[3];

		if (len > h->len - h->pos - 4)
			return T_MORE; /* its rest is in the next records */
		h->pos += 4 + len;
		if (type == HS_SERVER_HELLO) {
			if ((*rc = server_hello(pk, m + 4, len, &tls13)) || tls13)
				return T_DONE;
		} else if (type == HS_CERTIFICATE) {
			*rc = certificate(pk, m + 4, len);
			return T_DONE;
		}
	}
	return T_MORE;
}

/* One record's content by type; T_DONE when nothing more can be learnt. */
static int record(struct sn_pkt *pk, struct hs *h, unsigned no, uint8_t type, const uint8_t *f,
		  size_t len, int *rc)
{
	switch (type) {
	case CT_HS:
		if (!len) {
			*rc = sn_malformed(pk, "TLS record %u: empty handshake fragment", no);
			return T_DONE;
		}
		if (len > h->cap - h->len)
			return T_DONE; /* a handshake larger than we reassemble: stop quietly */
		memcpy(h->buf + h->len, f, len);
		h->len += len;
		return walk(pk, h, rc);
	case CT_CCS:
	case CT_APP:
	case CT_ALERT:
		return T_DONE; /* encrypted from here, or the server refused */
	default:
		*rc = sn_malformed(pk, "TLS record %u: content type %u", no, type);
		return T_DONE;
	}
}

int app_tls(struct sn_pkt *pk, const uint8_t *p, size_t n, int complete)
{
	struct hs h = {0};
	unsigned no = 0;
	int state = T_MORE, rc = 0;
	struct rd r;

	h.cap = n < HS_MAX ? n : HS_MAX;
	if (!(h.buf = mem_alloc(h.cap)))
		return 0; /* no memory: this flow says nothing, the capture goes on */
	rd_init(&r, p, n);
	while (state == T_MORE && rd_left(&r)) {
		uint8_t type, maj, min;
		uint16_t len;

		no++;
		if (rd_left(&r) < 5) {
			if (complete)
				rc = sn_malformed(pk, "TLS record %u: header cut after %zu bytes", no, rd_left(&r));
			break;
		}
		type = rd_u8(&r);
		maj = rd_u8(&r);
		min = rd_u8(&r);
		len = rd_be16(&r);
		if (maj != 3 || min > 3) {
			rc = sn_malformed(pk, "TLS record %u: version %u.%u", no, maj, min);
			break;
		}
		if (len > REC_MAX) {
			rc = sn_malformed(pk, "TLS record %u claims %u bytes, more than %u", no, len, REC_MAX);
			break;
		}
		if (len > rd_left(&r)) {
			if (complete)
				rc = sn_malformed(pk, "TLS record %u claims %u bytes, %zu left", no, len, rd_left(&r));
			break;
		}
		state = record(pk, &h, no, type, rd_bytes(&r, len), len, &rc);
	}
	if (!rc && state == T_MORE && h.len > h.pos && complete && !rd_left(&r))
		rc = sn_malformed(pk, "TLS handshake message cut: %zu of its bytes arrived", h.len - h.pos);
	mem_free(h.buf);
	return rc;
}
