/*
 * tls.c - the emulator's certificates: one EC P-256 key made at start, and
 * for every persona that serves TLS a self-signed certificate whose subject
 * (and issuer, when the persona names one) are the fields of the real
 * device's default certificate, given in OpenSSL's one-line form
 * "/C=US/O=Fortinet/CN=...".  Each such persona gets its own SSL_CTX.
 */
#include "emu.h"

#include "core/err.h"
#include "core/str.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string.h>

/* Fills name from "/K=V/K=V"; 0 or TM_EPROTO. */
static int name_from(X509_NAME *name, const char *s)
{
	char k[64], v[256];

	while (*s == '/') {
		const char *eq = strchr(s + 1, '='), *end;
		if (!eq)
			return TM_EPROTO;
		end = strchr(eq + 1, '/');
		if (!end)
			end = eq + strlen(eq);
		str_copy(k, sizeof k, s + 1, (size_t)(eq - s - 1));
		str_copy(v, sizeof v, eq + 1, (size_t)(end - eq - 1));
		if (!X509_NAME_add_entry_by_txt(name, k, MBSTRING_UTF8, (const unsigned char *)v,
						-1, -1, 0))
			return TM_EPROTO;
		s = end;
	}
	return *s ? TM_EPROTO : 0;
}

/* A certificate for p signed by key; NULL on failure. */
static X509 *make_cert(const struct emu_persona *p, EVP_PKEY *key, long serial)
{
	X509 *x = X509_new();
	X509_NAME *sub = X509_NAME_new(), *iss = X509_NAME_new();
	int ok = x && sub && iss;

	ok = ok && X509_set_version(x, 2) && ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	ok = ok && X509_gmtime_adj(X509_getm_notBefore(x), -86400L * 30) &&
	     X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 3650);
	ok = ok && name_from(sub, p->tls_subject) == 0 &&
	     name_from(iss, p->tls_issuer ? p->tls_issuer : p->tls_subject) == 0;
	ok = ok && X509_set_subject_name(x, sub) && X509_set_issuer_name(x, iss) &&
	     X509_set_pubkey(x, key);
	ok = ok && X509_sign(x, key, EVP_sha256()) > 0;
	X509_NAME_free(sub);
	X509_NAME_free(iss);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static SSL_CTX *make_ctx(X509 *cert, EVP_PKEY *key)
{
	SSL_CTX *c = SSL_CTX_new(TLS_server_method());

	if (!c)
		return NULL;
	SSL_CTX_set_min_proto_version(c, TLS1_VERSION);
	SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
				SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
	if (SSL_CTX_use_certificate(c, cert) != 1 || SSL_CTX_use_PrivateKey(c, key) != 1) {
		SSL_CTX_free(c);
		return NULL;
	}
	return c;
}

int emu_tls_init(struct emu_set *s, char *eb, size_t el)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	size_t i;
	int rc = 0;

	if (!key)
		return err_set(eb, el, TM_EIO, "cannot make an EC P-256 key");
	for (i = 0; rc == 0 && i < s->n; i++) {
		struct emu_persona *p = &s->p[i];
		X509 *x;
		if (!p->tls_subject)
			continue;
		x = make_cert(p, key, (long)(i + 1) * 7919);
		if (!x) {
			rc = err_set(eb, el, TM_EPROTO, "persona %s: bad tls_subject/tls_issuer",
				     p->id);
			break;
		}
		p->tls = make_ctx(x, key);
		X509_free(x);
		if (!p->tls)
			rc =
			    err_set(eb, el, TM_EIO, "persona %s: cannot make a TLS context", p->id);
	}
	EVP_PKEY_free(key);
	if (rc < 0)
		emu_tls_fini(s);
	return rc;
}

void emu_tls_fini(struct emu_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		SSL_CTX_free(s->p[i].tls);
		s->p[i].tls = NULL;
	}
}
