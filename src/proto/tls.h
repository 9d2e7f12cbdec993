/*
 * tls.h - the facts about an X.509 certificate the scanner records (RFC 5280):
 * subject and issuer in OpenSSL's X509_NAME_oneline form "/C=CN/O=../CN=..",
 * subjectAltNames as "DNS:a,DNS:b,IP:1.2.3.4", the SHA-256 fingerprint of the
 * DER and whether it signs itself.  Parsing is OpenSSL's (d2i_X509 over a
 * bounded buffer); this module only bounds and formats what it returns.
 */
#ifndef TM_TLS_H
#define TM_TLS_H

#include <stddef.h>
#include <stdint.h>

struct tls_cert {
	char subject[512]; /* "/C=CN/O=Huawei/CN=host"; non-printable bytes as \xHH by OpenSSL */
	char issuer[512];  /* same form */
	char sans[512]; /* "DNS:a,DNS:b,IP:1.2.3.4,email:x,URI:y", cut at a whole entry when full */
	char sha256[65]; /* lower-case hex of SHA-256 over the DER */
	int self_signed; /* issuer == subject and the signature verifies with its own key */
};

/*
 * Fills c from n bytes of DER.  Returns 0, TM_EPROTO when OpenSSL cannot
 * parse it, TM_EINVAL for n == 0 or above 1 MiB.  c is cleared first.
 */
int tls_cert_from_der(const uint8_t *der, size_t n, struct tls_cert *c);
/* Fills c from an OpenSSL X509 * (borrowed, not freed).  Returns 0 or TM_EPROTO. */
int tls_cert_from_x509(const void *x509, struct tls_cert *c);

#endif
