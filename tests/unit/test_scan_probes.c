/*
 * test_scan_probes.c - the UDP and follow-up probes with recorded or built
 * answers, exact observations out: SNMP (communities in turn, never
 * emitted; a lying reply kept as malformed), SSDP (LOCATION on the dialled
 * address only), the UPnP description, one HTTP redirect (same address
 * only), and TLS/HTTPS against an in-memory OpenSSL server.
 */
#include "check.h"

#include "core/err.h"
#include "proto/snmp.h"
#include "scan/ports.h"
#include "scan/probe.h"

#include <string.h>
#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <openssl/x509.h>

static char got[4096];

static int collect(void *ctx, const struct obs *o)
{
	size_t n = strlen(got);

	(void)ctx;
	snprintf(got + n, sizeof(got) - n, "%s%s=%.*s/%u", n ? "|" : "", obs_kind_name(o->kind), (int)o->len,
		 (const char *)o->value, o->flags);
	return 0;
}

static struct probe_ctx c;

static void begin(int id, const char *addr, uint16_t port, uint8_t proto)
{
	got[0] = 0;
	probe_ctx_init(&c, id, addr, port, proto, collect, NULL);
}

static void test_snmp(void)
{
	static const char *const comms[] = {"public", "s3cret"};
	static const char *const sys3[] = {"1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0"};
	const struct probe_ops *ops = probe_get(SCAN_PROBE_SNMP);
	uint8_t oidval[64], dg[512];
	size_t olen = 0, len = 0;
	struct snmp_msg m;

	begin(SCAN_PROBE_SNMP, "192.0.2.1", 161, 17);
	c.comms = comms;
	c.ncomms = 2;
	ops->start(&c);
	CHECK_INT(snmp_decode(c.out, c.outlen, &m), 0);
	CHECK_STR(m.community, "public");
	CHECK_INT(m.version, SNMP_V2C);
	CHECK_INT(m.nvb, 3);
	/* an agent drops a version it does not speak: v1 next, same community */
	CHECK_INT(ops->again(&c), 1);
	CHECK_INT(snmp_decode(c.out, c.outlen, &m), 0);
	CHECK_STR(m.community, "public");
	CHECK_INT(m.version, SNMP_V1);
	CHECK_INT(ops->again(&c), 1);
	CHECK_INT(snmp_decode(c.out, c.outlen, &m), 0);
	CHECK_STR(m.community, "s3cret");
	CHECK_INT(m.version, SNMP_V2C);
	CHECK_INT(ops->again(&c), 1);
	CHECK_INT(snmp_decode(c.out, c.outlen, &m), 0);
	CHECK_STR(m.community, "s3cret");
	CHECK_INT(m.version, SNMP_V1);
	CHECK_INT(ops->again(&c), 0);

	memset(&m, 0, sizeof(m));
	m.version = SNMP_V2C;
	memcpy(m.community, "s3cret", 7);
	m.pdu = SNMP_PDU_RESPONSE;
	m.nvb = 3;
	snmp_oid_encode("1.3.6.1.4.1.2011.2.23.94", oidval, sizeof(oidval), &olen);
	for (int i = 0; i < 3; i++)
		snmp_vb_name(&m.vb[i], sys3[i]);
	m.vb[0].type = SNMP_T_OCTETS, m.vb[0].val = (const uint8_t *)"Huawei VRP", m.vb[0].vlen = 10;
	m.vb[1].type = SNMP_T_OID, m.vb[1].val = oidval, m.vb[1].vlen = olen;
	m.vb[2].type = SNMP_T_OCTETS, m.vb[2].val = (const uint8_t *)"core-sw-01", m.vb[2].vlen = 10;
	CHECK_INT(snmp_encode_response(dg, sizeof(dg), &len, &m), 0);
	CHECK_INT(ops->input(&c, dg, len), PROBE_DONE);
	ops->finish(&c, PROBE_END_DONE);
	CHECK_STR(got, "snmp_sysdescr=Huawei VRP/0|snmp_sysobjectid=1.3.6.1.4.1.2011.2.23.94/0|hostname=core-sw-01/0");
	CHECK(!strstr(got, "s3cret"));
	/* a reply whose outer length lies */
	begin(SCAN_PROBE_SNMP, "192.0.2.1", 161, 17);
	ops->start(&c);
	dg[1] = 0x7f;
	ops->input(&c, dg, len);
	ops->finish(&c, PROBE_END_DONE);
	CHECK(!strncmp(got, "service_response=", 17));
	CHECK(got[strlen(got) - 1] == '2');
}

static void run(const struct probe_ops *ops, const char *s, int why)
{
	int done = ops->input(&c, (const uint8_t *)s, strlen(s));

	ops->finish(&c, done ? PROBE_END_DONE : why);
}

static void test_follow(void)
{
	const struct probe_ops *ssdp = probe_get(SCAN_PROBE_SSDP), *http = probe_get(SCAN_PROBE_HTTP);

	begin(SCAN_PROBE_SSDP, "127.0.0.9", 1900, 17);
	ssdp->start(&c);
	CHECK(!strncmp((const char *)c.out, "M-SEARCH * HTTP/1.1\r\n", 21));
	run(ssdp, "HTTP/1.1 200 OK\r\nSERVER: Linux UPnP/1.0 Hikvision\r\nLOCATION: http://127.0.0.9:49152/rootDesc.xml\r\n\r\n",
	    PROBE_END_EOF);
	CHECK_STR(got, "ssdp_server=Linux UPnP/1.0 Hikvision/0");
	CHECK_INT(c.next_probe, SCAN_PROBE_UPNP);
	CHECK_INT(c.next_port, 49152);
	CHECK_STR(c.next_path, "/rootDesc.xml");
	/* LOCATION naming another address: never followed */
	begin(SCAN_PROBE_SSDP, "127.0.0.9", 1900, 17);
	run(ssdp, "HTTP/1.1 200 OK\r\nLOCATION: http://127.0.0.99:80/d.xml\r\n\r\n", PROBE_END_EOF);
	CHECK_INT(c.next_probe, -1);
	begin(SCAN_PROBE_SSDP, "127.0.0.9", 1900, 17);
	run(ssdp, "HTTP/1.1 200 OK\r\nLOCATION: http://127.0.0.9.evil:80/d.xml\r\n\r\n", PROBE_END_EOF);
	CHECK_INT(c.next_probe, -1);

	/* the UPnP description, as the follow-up asks */
	begin(SCAN_PROBE_UPNP, "127.0.0.9", 49152, 6);
	memcpy(c.next_path, "/rootDesc.xml", 14);
	c.hops = 1;
	probe_get(SCAN_PROBE_UPNP)->start(&c);
	CHECK(!strncmp((const char *)c.out, "GET /rootDesc.xml HTTP/1.1\r\nHost: 127.0.0.9\r\n", 45));
	run(probe_get(SCAN_PROBE_UPNP),
	    "HTTP/1.1 200 OK\r\n\r\n<root><device><manufacturer> Dahua </manufacturer>"
	    "<modelName>IPC-HFW</modelName><modelNumber>2431S</modelNumber></device></root>",
	    PROBE_END_EOF);
	CHECK_STR(got, "upnp_manufacturer=Dahua/0|upnp_model=IPC-HFW 2431S/0");

	/* one redirect, same address only */
	begin(SCAN_PROBE_HTTP, "127.0.0.9", 80, 6);
	run(http, "HTTP/1.1 302 Found\r\nLocation: /cgi-bin/login.asp\r\n\r\n", PROBE_END_EOF);
	CHECK_INT(c.next_probe, SCAN_PROBE_HTTP);
	CHECK_INT(c.next_port, 80);
	CHECK_STR(c.next_path, "/cgi-bin/login.asp");
	begin(SCAN_PROBE_HTTP, "127.0.0.9", 80, 6);
	run(http, "HTTP/1.1 301 Moved\r\nLocation: http://127.0.0.9:8443/x\r\n\r\n", PROBE_END_EOF);
	CHECK_INT(c.next_port, 8443);
	CHECK_STR(c.next_path, "/x");
	begin(SCAN_PROBE_HTTP, "127.0.0.9", 80, 6);
	run(http, "HTTP/1.1 302 Found\r\nLocation: https://127.0.0.9/login\r\n\r\n", PROBE_END_EOF);
	CHECK_INT(c.next_probe, SCAN_PROBE_HTTPS);
	CHECK_INT(c.next_port, 443);
	CHECK_STR(c.next_path, "/login");
	begin(SCAN_PROBE_HTTP, "127.0.0.9", 80, 6);
	run(http, "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.9.evil/\r\n\r\n", PROBE_END_EOF);
	CHECK_INT(c.next_probe, -1);
	begin(SCAN_PROBE_HTTP, "127.0.0.9", 80, 6);
	run(http, "HTTP/1.1 302 Found\r\nLocation: http://198.51.100.1/\r\n\r\n", PROBE_END_EOF);
	CHECK_INT(c.next_probe, -1);
	begin(SCAN_PROBE_HTTP, "127.0.0.9", 80, 6);
	run(http, "HTTP/1.1 302 Found\r\nLocation: /a b\r\n\r\n", PROBE_END_EOF);
	CHECK_INT(c.next_probe, -1);
	begin(SCAN_PROBE_HTTP, "127.0.0.9", 80, 6);
	c.hops = 1; /* already followed once */
	run(http, "HTTP/1.1 302 Found\r\nLocation: /again\r\n\r\n", PROBE_END_EOF);
	CHECK_INT(c.next_probe, -1);
}

/* ---- TLS against an in-memory server ---- */

static SSL_CTX *server_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	EVP_PKEY *k = EVP_RSA_gen(2048);
	X509 *x = X509_new();
	X509_NAME *n = X509_get_subject_name(x);

	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"CN", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"Huawei", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"HG8245", -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509_EXTENSION *san = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, "DNS:hg8245.home,IP:192.0.2.1");
	X509_add_ext(x, san, -1);
	X509_EXTENSION_free(san);
	X509_set_pubkey(x, k);
	X509_sign(x, k, EVP_sha256());
	SSL_CTX_use_certificate(ctx, x);
	SSL_CTX_use_PrivateKey(ctx, k);
	X509_free(x);
	EVP_PKEY_free(k);
	return ctx;
}

static void test_tls(void)
{
	SSL_CTX *ctx = server_ctx();
	SSL *s = SSL_new(ctx);
	BIO *rb = BIO_new(BIO_s_mem()), *wb = BIO_new(BIO_s_mem());
	const struct probe_ops *ops = probe_get(SCAN_PROBE_HTTPS);
	static const char resp[] = "HTTP/1.1 200 OK\r\nServer: HuaweiHTTP\r\n\r\n<title>HG8245</title>";
	uint8_t tmp[16384];
	int done = 0, sent = 0, n;

	SSL_set_bio(s, rb, wb);
	SSL_set_accept_state(s);
	begin(SCAN_PROBE_HTTPS, "127.0.0.9", 443, 6);
	ops->start(&c);
	for (int round = 0; round < 20 && !done; round++) {
		BIO_write(rb, c.out, (int)c.outlen);
		c.outlen = 0;
		if (SSL_is_init_finished(s) || SSL_do_handshake(s) == 1) {
			if (!sent && SSL_read(s, tmp, sizeof(tmp)) > 0) {
				SSL_write(s, resp, sizeof(resp) - 1);
				SSL_shutdown(s);
				sent = 1;
			}
		}
		while (!done && (n = BIO_read(wb, tmp, sizeof(tmp))) > 0)
			done = ops->input(&c, tmp, (size_t)n);
	}
	ops->finish(&c, done ? PROBE_END_DONE : PROBE_END_EOF);
	/* the fingerprint, computed here by OpenSSL over the certificate the server sent */
	unsigned char md[32];
	unsigned mdlen = 0;
	char want[1024], hex[65];
	X509_digest(SSL_CTX_get0_certificate(ctx), EVP_sha256(), md, &mdlen);
	CHECK_INT(mdlen, 32);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	snprintf(want, sizeof(want),
		 "tls_subject=/C=CN/O=Huawei/CN=HG8245/0|tls_issuer=/C=CN/O=Huawei/CN=HG8245/0|"
		 "tls_san=DNS:hg8245.home,IP:192.0.2.1/0|tls_sha256=%s/0|"
		 "http_server=HuaweiHTTP/0|http_title=HG8245/0|service_response=HTTP/1.1 200 OK\r\n"
		 "Server: HuaweiHTTP\r\n\r\n<title>HG8245</title>/0", hex);
	CHECK_STR(got, want);
	SSL_free(s);
	SSL_CTX_free(ctx);
	/* not TLS at all */
	begin(SCAN_PROBE_TLS, "127.0.0.9", 22, 6);
	ops = probe_get(SCAN_PROBE_TLS);
	ops->start(&c);
	run(ops, "SSH-2.0-OpenSSH_9.2\r\n", PROBE_END_EOF);
	CHECK_STR(got, "service_response=SSH-2.0-OpenSSH_9.2\r\n/2");
}

/* in[] starts inline (PROBE_SMALL) and moves to the heap for a longer answer, cut at PROBE_BUF */
static void test_growth(void)
{
	static uint8_t page[PROBE_BUF + 100], tn[2 * PROBE_SMALL];
	const struct probe_ops *ops = probe_get(SCAN_PROBE_HTTP);
	size_t k = 0;

	begin(SCAN_PROBE_HTTP, "192.0.2.1", 80, 6);
	CHECK(c.in == c.in0 && c.incap == PROBE_SMALL);
	ops->start(&c);
	k += (size_t)snprintf((char *)page, sizeof(page), "HTTP/1.1 200 OK\r\nServer: Grow\r\n\r\n<html><title>");
	memset(page + k, 'x', 3000);
	k += 3000;
	memcpy(page + k, "</title>", 8);
	k += 8;
	/* in pieces across the inline buffer's end: everything is kept, in order, not cut */
	ops->input(&c, page, 1000); /* done or not: the probe looks at the head */
	CHECK(c.in == c.in0);
	ops->input(&c, page + 1000, k - 1000);
	CHECK(c.in != c.in0 && c.incap == PROBE_BUF);
	CHECK_INT((long)c.inlen, (long)k);
	CHECK(!memcmp(c.in, page, k) && c.in[k] == 0);
	CHECK_INT((int)(c.flags & OBS_TRUNCATED), 0);
	/* a full buffer is cut at PROBE_BUF and flagged */
	memset(page, 'y', sizeof(page));
	CHECK_INT(probe_append(&c, page, sizeof(page)), 1);
	CHECK_INT((long)c.inlen, PROBE_BUF);
	CHECK(c.flags & OBS_TRUNCATED);
	/* the next exchange starts inline again: the heap buffer was given back (ASan's leak check) */
	begin(SCAN_PROBE_TELNET, "192.0.2.1", 23, 6);
	CHECK(c.in == c.in0 && c.incap == PROBE_SMALL && c.inlen == 0);
	/* telnet text longer than the inline buffer, option negotiation taken out of it */
	ops = probe_get(SCAN_PROBE_TELNET);
	ops->start(&c);
	memset(tn, 'z', sizeof(tn));
	tn[0] = 255, tn[1] = 251, tn[2] = 1; /* IAC WILL ECHO */
	CHECK_INT(ops->input(&c, tn, sizeof(tn)), PROBE_MORE);
	CHECK_INT((long)c.inlen, (long)sizeof(tn) - 3);
	CHECK(c.in[0] == 'z' && c.in[c.inlen - 1] == 'z' && c.in[c.inlen] == 0);
	probe_ctx_release(&c);
	CHECK(c.in == c.in0 && c.inlen == 0);
}

/* A read that ends exactly at the inline buffer's end is not a full buffer: the answer goes on
 * into the heap buffer, and only PROBE_BUF bytes are "cut" (the endless persona's telnet banner
 * was once cut at 2048 when a read happened to end there). */
static void test_inline_edge(void)
{
	static uint8_t b[PROBE_SMALL];
	const struct probe_ops *ops;

	memset(b, 'e', sizeof(b));
	begin(SCAN_PROBE_BANNER, "192.0.2.1", 21, 6);
	CHECK_INT(probe_append(&c, b, sizeof(b)), 0);
	CHECK_INT((long)c.inlen, PROBE_SMALL);
	CHECK_INT((int)(c.flags & OBS_TRUNCATED), 0);
	CHECK_INT(probe_append(&c, b, 1), 0);
	CHECK_INT((long)c.inlen, PROBE_SMALL + 1);
	CHECK_INT((long)c.incap, PROBE_BUF);
	probe_ctx_release(&c);

	begin(SCAN_PROBE_TELNET, "192.0.2.1", 23, 6);
	ops = probe_get(SCAN_PROBE_TELNET);
	ops->start(&c);
	CHECK_INT(ops->input(&c, b, sizeof(b)), PROBE_MORE);
	CHECK_INT((int)(c.flags & OBS_TRUNCATED), 0);
	CHECK_INT(ops->input(&c, b, 1), PROBE_MORE);
	CHECK_INT((long)c.inlen, PROBE_SMALL + 1);
	probe_ctx_release(&c);
}

int main(void)
{
	test_growth();
	test_inline_edge();
	test_snmp();
	test_follow();
	test_tls();
	return check_done("test_scan_probes");
}
