/*
 * tls.c - certificate facts through OpenSSL (tls.h).  OpenSSL allocates
 * internally; every object taken here is freed before returning.  Strings
 * from the certificate are copied with bounds and never interpreted.
 */
#include "tls.h"

#include "core/err.h"
#include "core/str.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>

#define TLS_DER_MAX (1u << 20)

/* Appends "prefix" + (p, n) as one comma-separated entry, or nothing when it does not fit whole. */
static void add_san(char *out, size_t cap, const char *prefix, const char *p, size_t n)
{
	size_t len = strlen(out), pl = strlen(prefix), need = (len ? 1 : 0) + pl + n;

	if (need >= cap - len)
		return;
	if (len)
		out[len++] = ',';
	memcpy(out + len, prefix, pl);
	len += pl;
	for (size_t i = 0; i < n; i++) /* NUL or comma inside a name would fake entries */
		out[len++] = (p[i] == '\0' || p[i] == ',') ? '?' : p[i];
	out[len] = '\0';
}

static void san_ip(char *out, size_t cap, const ASN1_OCTET_STRING *ip)
{
	char a[INET6_ADDRSTRLEN];
	const unsigned char *d = ASN1_STRING_get0_data(ip);
	int n = ASN1_STRING_length(ip);

	if (n == 4 && inet_ntop(AF_INET, d, a, sizeof(a)))
		add_san(out, cap, "IP:", a, strlen(a));
	else if (n == 16 && inet_ntop(AF_INET6, d, a, sizeof(a)))
		add_san(out, cap, "IP:", a, strlen(a));
}

static void sans(const X509 *x, char *out, size_t cap)
{
	GENERAL_NAMES *g = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int n = g ? sk_GENERAL_NAME_num(g) : 0;

	for (int i = 0; i < n; i++) {
		const GENERAL_NAME *e = sk_GENERAL_NAME_value(g, i);
		const ASN1_STRING *s = NULL;
		const char *pre = NULL;

		if (e->type == GEN_DNS)
			s = e->d.dNSName, pre = "DNS:";
		else if (e->type == GEN_EMAIL)
			s = e->d.rfc822Name, pre = "email:";
		else if (e->type == GEN_URI)
			s = e->d.uniformResourceIdentifier, pre = "URI:";
		else if (e->type == GEN_IPADD)
			san_ip(out, cap, e->d.iPAddress);
		if (s)
			add_san(out, cap, pre, (const char *)ASN1_STRING_get0_data(s),
				(size_t)ASN1_STRING_length(s));
	}
	GENERAL_NAMES_free(g);
}

int tls_cert_from_x509(const void *x509, struct tls_cert *c)
{
	X509 *x = (X509 *)x509;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	static const char hex[] = "0123456789abcdef";

	memset(c, 0, sizeof(*c));
	if (!x)
		return TM_EINVAL;
	if (!X509_NAME_oneline(X509_get_subject_name(x), c->subject, sizeof(c->subject)) ||
	    !X509_NAME_oneline(X509_get_issuer_name(x), c->issuer, sizeof(c->issuer)))
		return TM_EPROTO;
	if (!X509_digest(x, EVP_sha256(), md, &mdlen) || mdlen != 32)
		return TM_EPROTO;
	for (unsigned i = 0; i < 32; i++) {
		c->sha256[2 * i] = hex[md[i] >> 4];
		c->sha256[2 * i + 1] = hex[md[i] & 15];
	}
	sans(x, c->sans, sizeof(c->sans));
	c->self_signed = X509_self_signed(x, 1) == 1;
	ERR_clear_error();
	return 0;
}

int tls_cert_from_der(const uint8_t *der, size_t n, struct tls_cert *c)
{
	const unsigned char *p = der;
	X509 *x;
	int rc;

	memset(c, 0, sizeof(*c));
	if (!der || n == 0 || n > TLS_DER_MAX)
		return TM_EINVAL;
	x = d2i_X509(NULL, &p, (long)n);
	if (!x) {
		ERR_clear_error();
		return TM_EPROTO;
	}
	rc = tls_cert_from_x509(x, c);
	X509_free(x);
	return rc;
}
