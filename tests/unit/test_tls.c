/* test_tls.c - certificate facts (src/proto/tls.h) from certificates made here with OpenSSL. */
#include "check.h"
#include "core/err.h"
#include "proto/tls.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static X509_NAME *name(const char *c, const char *o, const char *cn)
{
	X509_NAME *n = X509_NAME_new();

	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)c, -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)o, -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	return n;
}

/* A certificate for key's public half, named subj, issued by iss and signed with signer. */
static X509 *make(EVP_PKEY *key, X509_NAME *subj, X509_NAME *iss, EVP_PKEY *signer, const char *san)
{
	X509 *x = X509_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 4242);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
	X509_set_pubkey(x, key);
	X509_set_subject_name(x, subj);
	X509_set_issuer_name(x, iss);
	if (san) {
		X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, san);

		CHECK(e != NULL);
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	CHECK(X509_sign(x, signer, EVP_sha256()) > 0);
	return x;
}

static void hexsha(const unsigned char *d, int n, char out[65])
{
	unsigned char md[32];
	unsigned int ml = 0;

	EVP_Digest(d, (size_t)n, md, &ml, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void test_self_signed(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509_NAME *n = name("CN", "Huawei Technologies Co., Ltd.", "HG8245H");
	X509 *x = make(k, n, n, k, "DNS:ont.huawei.example,IP:192.168.100.1,IP:::1,DNS:b.example");
	unsigned char *der = NULL;
	int dl = i2d_X509(x, &der);
	char want[65];
	struct tls_cert c, c2;

	CHECK(dl > 100);
	hexsha(der, dl, want);
	CHECK_INT(tls_cert_from_der(der, (size_t)dl, &c), 0);
	CHECK_STR(c.subject, "/C=CN/O=Huawei Technologies Co., Ltd./CN=HG8245H");
	CHECK_STR(c.issuer, "/C=CN/O=Huawei Technologies Co., Ltd./CN=HG8245H");
	CHECK_STR(c.sans, "DNS:ont.huawei.example,IP:192.168.100.1,IP:::1,DNS:b.example");
	CHECK_STR(c.sha256, want);
	CHECK_INT(strlen(c.sha256), 64);
	CHECK_INT(c.self_signed, 1);
	CHECK_INT(tls_cert_from_x509(x, &c2), 0);
	CHECK(!memcmp(&c, &c2, sizeof(c)));
	/* cut DER, garbage, nothing */
	CHECK_INT(tls_cert_from_der(der, (size_t)dl - 1, &c), TM_EPROTO);
	CHECK_STR(c.subject, "");
	der[0] = 0x31;
	CHECK_INT(tls_cert_from_der(der, (size_t)dl, &c), TM_EPROTO);
	CHECK_INT(tls_cert_from_der((const uint8_t *)"\x30\x84\xff\xff\xff\xff", 6, &c), TM_EPROTO);
	CHECK_INT(tls_cert_from_der(der, 0, &c), TM_EINVAL);
	OPENSSL_free(der);
	X509_free(x);
	X509_NAME_free(n);
	EVP_PKEY_free(k);
}

static void test_issued(void)
{
	EVP_PKEY *ca = EVP_EC_gen("P-256"), *k = EVP_EC_gen("P-256");
	X509_NAME *cn = name("CN", "Hikvision", "Root CA"),
		  *ln = name("CN", "Hikvision", "DS-2CD2142");
	X509 *x = make(k, ln, cn, ca, NULL);
	struct tls_cert c;

	CHECK_INT(tls_cert_from_x509(x, &c), 0);
	CHECK_STR(c.subject, "/C=CN/O=Hikvision/CN=DS-2CD2142");
	CHECK_STR(c.issuer, "/C=CN/O=Hikvision/CN=Root CA");
	CHECK_STR(c.sans, "");
	CHECK_INT(c.self_signed, 0);
	X509_free(x);
	/* same name on both sides but signed by another key: not self-signed */
	x = make(k, ln, ln, ca, NULL);
	CHECK_INT(tls_cert_from_x509(x, &c), 0);
	CHECK_INT(c.self_signed, 0);
	X509_free(x);
	CHECK_INT(tls_cert_from_x509(NULL, &c), TM_EINVAL);
	X509_NAME_free(cn);
	X509_NAME_free(ln);
	EVP_PKEY_free(ca);
	EVP_PKEY_free(k);
}

int main(void)
{
	test_self_signed();
	test_issued();
	return check_done("test_tls");
}
