/*
 * tls.c - the TLS probe (handshake; certificate subject and issuer in
 * OpenSSL's one-line form, subjectAltNames, SHA-256 fingerprint) and the HTTPS probe (the same, then GET / over
 * it, parsed as the HTTP probe does).  OpenSSL runs over memory BIOs: the
 * server's bytes go in through input(), the client's flights come out
 * through the send queue, so the probe stays free of sockets like the
 * others.  No verification (we record, we do not trust), old protocol
 * versions allowed.  A failed handshake keeps the raw bytes the server sent
 * as service_response "TLSSessionReq", flagged malformed.
 */
#include "../../core/str.h"
#include "../../proto/tls.h"
#include "../ports.h"
#include "../probe.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <string.h>

enum { T_HANDSHAKE = 0, T_HTTP, T_FAILED };

struct tls {
	SSL *ssl;
	BIO *rb, *wb;
};

static SSL_CTX *ctx;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;

static void ctx_init(void)
{
	if (!(ctx = SSL_CTX_new(TLS_client_method())))
		return;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT);
}

/* Moves what OpenSSL wants to send into the send queue. */
static void drain(struct probe_ctx *c, struct tls *t)
{
	uint8_t tmp[PROBE_OUT];
	int n;

	while (c->outlen < PROBE_OUT && (n = BIO_read(t->wb, tmp, (int)(PROBE_OUT - c->outlen))) > 0)
		probe_queue(c, tmp, (size_t)n);
}

static void tls_free(struct probe_ctx *c)
{
	struct tls *t = c->tls;

	if (!t)
		return;
	SSL_free(t->ssl); /* frees both BIOs */
	OPENSSL_free(t);
	c->tls = NULL;
	ERR_clear_error();
}

static void start(struct probe_ctx *c)
{
	struct tls *t;

	pthread_once(&ctx_once, ctx_init);
	c->state = T_FAILED;
	if (!ctx || !(t = OPENSSL_zalloc(sizeof(*t))))
		return;
	t->ssl = SSL_new(ctx);
	t->rb = BIO_new(BIO_s_mem());
	t->wb = BIO_new(BIO_s_mem());
	if (!t->ssl || !t->rb || !t->wb) {
		SSL_free(t->ssl);
		BIO_free(t->rb);
		BIO_free(t->wb);
		OPENSSL_free(t);
		return;
	}
	BIO_set_mem_eof_return(t->rb, -1);
	SSL_set_bio(t->ssl, t->rb, t->wb);
	SSL_set_connect_state(t->ssl);
	c->tls = t;
	c->state = T_HANDSHAKE;
	SSL_do_handshake(t->ssl);
	drain(c, t);
}

static void emit_cert(struct probe_ctx *c, SSL *ssl)
{
	X509 *x = SSL_get1_peer_certificate(ssl);
	struct tls_cert tc;

	if (!x)
		return;
	if (!tls_cert_from_x509(x, &tc)) {
		if (tc.subject[0])
			probe_emit(c, OBS_TLS_SUBJECT, NULL, tc.subject, strlen(tc.subject), 0);
		if (tc.issuer[0])
			probe_emit(c, OBS_TLS_ISSUER, NULL, tc.issuer, strlen(tc.issuer), 0);
		if (tc.sans[0])
			probe_emit(c, OBS_TLS_SAN, NULL, tc.sans, strlen(tc.sans), 0);
		if (tc.sha256[0])
			probe_emit(c, OBS_TLS_SHA256, NULL, tc.sha256, strlen(tc.sha256), 0);
	}
	X509_free(x);
}

static int input(struct probe_ctx *c, const uint8_t *p, size_t n)
{
	struct tls *t = c->tls;
	uint8_t tmp[4096];
	int r, https = c->probe != SCAN_PROBE_TLS;

	if (!t || c->state == T_FAILED)
		return PROBE_DONE;
	BIO_write(t->rb, p, (int)n);
	if (c->state == T_HANDSHAKE) {
		probe_append(c, p, n); /* raw, in case it fails */
		r = SSL_do_handshake(t->ssl);
		drain(c, t);
		if (r != 1) {
			int e = SSL_get_error(t->ssl, r);
			if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
				return PROBE_MORE;
			c->state = T_FAILED;
			return PROBE_DONE;
		}
		emit_cert(c, t->ssl);
		c->inlen = 0;
		c->flags = 0;
		if (!https)
			return PROBE_DONE;
		c->state = T_HTTP;
		size_t before = c->outlen;
		probe_http_start(c); /* queue the GET in clear, then encrypt it */
		SSL_write(t->ssl, c->out + before, (int)(c->outlen - before));
		c->outlen = before;
		drain(c, t);
	}
	while ((r = SSL_read(t->ssl, tmp, sizeof(tmp))) > 0)
		if (probe_http_input(c, tmp, (size_t)r) == PROBE_DONE)
			return PROBE_DONE;
	drain(c, t);
	if (r <= 0 && SSL_get_error(t->ssl, r) == SSL_ERROR_ZERO_RETURN)
		return PROBE_DONE; /* close_notify: the response is complete */
	return PROBE_MORE;
}

static void finish(struct probe_ctx *c, int why)
{
	if ((c->state == T_FAILED || c->state == T_HANDSHAKE) && c->inlen)
		probe_emit(c, OBS_SERVICE_RESPONSE, "TLSSessionReq", c->in, c->inlen,
			   c->flags | (c->state == T_FAILED ? OBS_MALFORMED : OBS_TRUNCATED));
	else if (c->state == T_HTTP) {
		probe_http_emit(c, c->in, c->inlen, 0, why);
		probe_http_redirect(c);
	}
	tls_free(c);
}

const struct probe_ops probe_tls_ops = {"tls", start, input, finish, NULL};
const struct probe_ops probe_https_ops = {"https", start, input, finish, NULL};
