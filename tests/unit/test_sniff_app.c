/*
 * test_sniff_app.c - the SNMP, SSDP and TCP application decoders of
 * src/sniff/ on hand-built payloads: exact observations (kind, address,
 * port, value, flags) for each, malformed input with its message, and the
 * scanner equivalence: the same server bytes given to the scanner's probe
 * (driven as test_scan_probes.c does) and to the sniff decoder give the
 * same observations.  TLS: a certificate made here with OpenSSL, flights
 * built by hand (one record, split over records, cut short), and a real
 * OpenSSL server's TLS 1.2 flight captured off its memory BIO.
 */
#include "check.h"

#include "core/err.h"
#include "core/str.h"
#include "proto/ber.h"
#include "proto/snmp.h"
#include "scan/ports.h"
#include "scan/probe.h"
#include "sniff/sniff.h"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static char got[32768];

/* "kind[probe]@addr:port/proto=value/flags|..." (source left out: "scan" or "sniff"). */
static int collect(void *ctx, const struct obs *o)
{
	size_t n = strlen(got);

	(void)ctx;
	snprintf(got + n, sizeof(got) - n, "%s%s%s%s%s@%s:%u/%u=%.*s/%u", n ? "|" : "", obs_kind_name(o->kind),
		 o->probe[0] ? "[" : "", o->probe, o->probe[0] ? "]" : "", o->addr, (unsigned)o->port,
		 (unsigned)o->proto, (int)o->len, (const char *)o->value, o->flags);
	return 0;
}

static struct sn_pkt pk;
static struct probe_ctx pc;

/* A packet from server (addr, port) to a client. */
static void pkt(const char *addr, uint16_t sport, uint16_t dport, uint8_t proto)
{
	got[0] = 0;
	memset(&pk, 0, sizeof(pk));
	pk.file = "test.pcap";
	pk.no = 1;
	pk.time = 1700000000;
	pk.scope = "";
	snprintf(pk.src_ip, sizeof(pk.src_ip), "%s", addr);
	snprintf(pk.dst_ip, sizeof(pk.dst_ip), "192.0.2.200");
	pk.sport = sport;
	pk.dport = dport;
	pk.proto = proto;
	pk.on_obs = collect;
}

static int app(const char *addr, uint16_t port, const void *p, size_t n, int complete, enum sn_dec *dec)
{
	pkt(addr, port, 40000, 6);
	return sn_app(&pk, p, n, complete, dec);
}

/* What the scanner's probe id emits for the same server bytes (one segment, the peer then closing). */
static const char *probe_says(int id, const char *addr, uint16_t port, uint8_t proto, const void *p, size_t n)
{
	const struct probe_ops *ops = probe_get(id);
	int done;

	got[0] = 0;
	probe_ctx_init(&pc, id, addr, port, proto, collect, NULL);
	ops->start(&pc);
	done = ops->input(&pc, p, n);
	ops->finish(&pc, done ? PROBE_END_DONE : PROBE_END_EOF);
	return got;
}

/* Both sides on the same bytes: the probe's list must equal sniff's. */
static void same_as_probe(int id, uint16_t port, const char *s, const char *want)
{
	static char scan[32768];
	enum sn_dec dec;

	snprintf(scan, sizeof(scan), "%s", probe_says(id, "127.0.0.9", port, 6, s, strlen(s)));
	app("127.0.0.9", port, s, strlen(s), 1, &dec);
	CHECK_STR(got, scan);
	if (want)
		CHECK_STR(got, want);
}

/* ---- SNMP ---- */

static size_t snmp_response(uint8_t *dg, size_t cap, int version, uint8_t pdu, const char *descr)
{
	static const char *const sys3[] = {"1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0"};
	static uint8_t oidval[64];
	size_t olen = 0, len = 0;
	struct snmp_msg m;

	memset(&m, 0, sizeof(m));
	m.version = version;
	memcpy(m.community, "s3cret", 7);
	m.pdu = pdu;
	m.reqid = 0x2a5e0000;
	m.nvb = 3;
	snmp_oid_encode("1.3.6.1.4.1.2011.2.23.94", oidval, sizeof(oidval), &olen);
	for (int i = 0; i < 3; i++)
		snmp_vb_name(&m.vb[i], sys3[i]);
	m.vb[0].type = SNMP_T_OCTETS, m.vb[0].val = (const uint8_t *)descr, m.vb[0].vlen = strlen(descr);
	m.vb[1].type = SNMP_T_OID, m.vb[1].val = oidval, m.vb[1].vlen = olen;
	m.vb[2].type = SNMP_T_OCTETS, m.vb[2].val = (const uint8_t *)"core-sw-01", m.vb[2].vlen = 10;
	CHECK_INT(snmp_encode_response(dg, cap, &len, &m), 0);
	return len;
}

/* An SNMPv3 message: engine id (elen bytes), PDU tag, msgData encrypted or not. */
static size_t snmp_v3(uint8_t *dg, size_t cap, const uint8_t *eid, size_t elen, uint8_t pdu, int encrypted)
{
	static const uint32_t unknown_engine[] = {1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0};
	uint8_t usm[128], flags = encrypted ? 3 : 0;
	struct ber_w w, u;
	size_t msg, hd, sp, sc, pd, list, vb;

	ber_w_init(&u, usm, sizeof(usm));
	sp = ber_begin(&u, BER_SEQ);
	ber_put_tlv(&u, BER_OCTETS, eid, elen);
	ber_put_int(&u, BER_INT, 7);	/* boots */
	ber_put_int(&u, BER_INT, 1234); /* time */
	ber_put_tlv(&u, BER_OCTETS, "", 0);
	ber_put_tlv(&u, BER_OCTETS, "", 0);
	ber_put_tlv(&u, BER_OCTETS, "", 0);
	ber_end(&u, sp);
	ber_w_init(&w, dg, cap);
	msg = ber_begin(&w, BER_SEQ);
	ber_put_int(&w, BER_INT, 3);
	hd = ber_begin(&w, BER_SEQ);
	ber_put_int(&w, BER_INT, 99);
	ber_put_int(&w, BER_INT, 65507);
	ber_put_tlv(&w, BER_OCTETS, &flags, 1);
	ber_put_int(&w, BER_INT, 3);
	ber_end(&w, hd);
	ber_put_tlv(&w, BER_OCTETS, usm, u.len);
	if (encrypted) {
		ber_put_tlv(&w, BER_OCTETS, "\x9a\x11\x42\x07\x00\x01", 6);
	} else {
		sc = ber_begin(&w, BER_SEQ);
		ber_put_tlv(&w, BER_OCTETS, eid, elen);
		ber_put_tlv(&w, BER_OCTETS, "", 0);
		pd = ber_begin(&w, pdu);
		ber_put_int(&w, BER_INT, 99);
		ber_put_int(&w, BER_INT, 0);
		ber_put_int(&w, BER_INT, 0);
		list = ber_begin(&w, BER_SEQ);
		vb = ber_begin(&w, BER_SEQ);
		ber_put_oid(&w, unknown_engine, 11);
		ber_put_int(&w, SNMP_T_COUNTER32, 1);
		ber_end(&w, vb);
		ber_end(&w, list);
		ber_end(&w, pd);
		ber_end(&w, sc);
	}
	ber_end(&w, msg);
	CHECK_INT(w.err, 0);
	return w.len;
}

static void test_snmp(void)
{
	static const uint8_t eid[] = {0x80, 0x00, 0x07, 0xdb, 0x03, 0x00, 0xe0, 0xfc, 0x12, 0x34, 0x56};
	uint8_t dg[1024], big[40];
	static char scan[sizeof(got)];
	size_t n;

	n = snmp_response(dg, sizeof(dg), SNMP_V2C, SNMP_PDU_RESPONSE, "Huawei Versatile Routing Platform");
	pkt("192.0.2.1", 161, 40001, 17);
	CHECK_INT(sn_snmp(&pk, dg, n), 0);
	CHECK_STR(got, "snmp_sysdescr@192.0.2.1:161/17=Huawei Versatile Routing Platform/0|"
		       "snmp_sysobjectid@192.0.2.1:161/17=1.3.6.1.4.1.2011.2.23.94/0|"
		       "hostname@192.0.2.1:161/17=core-sw-01/0");
	CHECK(!strstr(got, "s3cret"));
	/* the scanner's probe on the same datagram */
	probe_says(SCAN_PROBE_SNMP, "192.0.2.1", 161, 17, dg, n);
	snprintf(scan, sizeof(scan), "%s", got);
	pkt("192.0.2.1", 161, 40001, 17);
	sn_snmp(&pk, dg, n);
	CHECK_STR(got, scan);
	/* v1 too, and on a shifted port (the emulator's) */
	n = snmp_response(dg, sizeof(dg), SNMP_V1, SNMP_PDU_RESPONSE, "ZXR10");
	pkt("127.0.0.7", 20161, 40001, 17);
	CHECK_INT(sn_snmp(&pk, dg, n), 0);
	CHECK_STR(got, "snmp_sysdescr@127.0.0.7:20161/17=ZXR10/0|snmp_sysobjectid@127.0.0.7:20161/17=1.3.6.1.4.1.2011.2.23.94/0|"
		       "hostname@127.0.0.7:20161/17=core-sw-01/0");
	/* a GET request and a SET: valid, nothing about a device */
	n = snmp_response(dg, sizeof(dg), SNMP_V2C, SNMP_PDU_GET, "x");
	pkt("192.0.2.1", 161, 40001, 17);
	CHECK_INT(sn_snmp(&pk, dg, n), 0);
	CHECK_STR(got, "");
	n = snmp_response(dg, sizeof(dg), SNMP_V2C, SNMP_PDU_SET, "x");
	CHECK_INT(sn_snmp(&pk, dg, n), 0);
	CHECK_STR(got, "");
	/* a v1 trap */
	static const uint8_t trap[] = {0x30, 0x23, 0x02, 0x01, 0x00, 0x04, 0x06, 's',  '3',  'c',  'r',  'e',
				       't',  0xa4, 0x16, 0x06, 0x03, 0x2b, 0x06, 0x01, 0x40, 0x04, 0xc0, 0x00,
				       0x02, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x43, 0x01, 0x00, 0x30, 0x00};
	CHECK_INT(sn_snmp(&pk, trap, sizeof(trap)), 0);
	CHECK_STR(got, "");
	/* lying lengths, stray bytes, not BER: malformed, community never in the message */
	n = snmp_response(dg, sizeof(dg), SNMP_V2C, SNMP_PDU_RESPONSE, "Huawei");
	dg[1] = 0x7f;
	CHECK_INT(sn_snmp(&pk, dg, n), TM_EPROTO);
	CHECK_STR(pk.err, "SNMP message header bad or longer than the 97 bytes of the datagram");
	CHECK_STR(got, "");
	n = snmp_response(dg, sizeof(dg), SNMP_V2C, SNMP_PDU_RESPONSE, "Huawei");
	dg[n] = 0;
	CHECK_INT(sn_snmp(&pk, dg, n + 1), TM_EPROTO);
	CHECK_STR(pk.err, "SNMP message followed by 1 stray bytes");
	dg[15] ^= 0x20; /* the PDU's request-id tag */
	CHECK_INT(sn_snmp(&pk, dg, n), TM_EPROTO);
	CHECK_STR(pk.err, "SNMP message (97 bytes) does not decode as v1/v2c");
	CHECK(!strstr(pk.err, "s3cret"));
	CHECK_INT(sn_snmp(&pk, (const uint8_t *)"\x04", 1), TM_EPROTO);
	CHECK_STR(pk.err, "SNMP datagram of 1 bytes");
	CHECK_INT(sn_snmp(&pk, (const uint8_t *)"\x04\x01x", 3), TM_EPROTO);
	CHECK_STR(pk.err, "SNMP message starts with tag 0x04, not a SEQUENCE");

	/* v3: a Report carries the agent's engine id */
	n = snmp_v3(dg, sizeof(dg), eid, sizeof(eid), 0xa8, 0);
	pkt("192.0.2.1", 161, 40001, 17);
	CHECK_INT(sn_snmp(&pk, dg, n), 0);
	CHECK_STR(got, "snmp_engineid@192.0.2.1:161/17=800007db0300e0fc123456/0");
	n = snmp_v3(dg, sizeof(dg), eid, sizeof(eid), SNMP_PDU_RESPONSE, 0);
	pkt("192.0.2.1", 161, 40001, 17);
	CHECK_INT(sn_snmp(&pk, dg, n), 0);
	CHECK_STR(got, "snmp_engineid@192.0.2.1:161/17=800007db0300e0fc123456/0");
	/* a request, an encrypted message, an empty engine id (discovery): nothing */
	n = snmp_v3(dg, sizeof(dg), eid, sizeof(eid), SNMP_PDU_GET, 0);
	pkt("192.0.2.1", 161, 40001, 17);
	CHECK_INT(sn_snmp(&pk, dg, n), 0);
	n = snmp_v3(dg, sizeof(dg), eid, sizeof(eid), 0, 1);
	CHECK_INT(sn_snmp(&pk, dg, n), 0);
	n = snmp_v3(dg, sizeof(dg), eid, 0, 0xa8, 0);
	CHECK_INT(sn_snmp(&pk, dg, n), 0);
	CHECK_STR(got, "");
	/* engine ids outside 5..32 bytes, a cut message */
	memset(big, 0x80, sizeof(big));
	n = snmp_v3(dg, sizeof(dg), big, sizeof(big), 0xa8, 0);
	CHECK_INT(sn_snmp(&pk, dg, n), TM_EPROTO);
	CHECK_STR(pk.err, "SNMPv3 engine id of 40 bytes, want 5 to 32");
	n = snmp_v3(dg, sizeof(dg), eid, sizeof(eid), 0xa8, 0);
	dg[1] -= 3;
	CHECK_INT(sn_snmp(&pk, dg, n - 3), TM_EPROTO);
	CHECK_STR(pk.err, "SNMPv3 security parameters or data do not decode");
	CHECK_STR(got, "");
}

/* ---- SSDP ---- */

static void test_ssdp(void)
{
	static const char notify[] = "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\n"
				     "LOCATION: http://192.0.2.64:49152/rootDesc.xml\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
				     "SERVER: Linux/3.10 UPnP/1.0 Hikvision-Webs/1.0\r\n"
				     "USN: uuid:a1b2c3d4-0000-1000-8000-bc9b5e000001::upnp:rootdevice\r\n\r\n";
	static const char answer[] = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=100\r\nEXT:\r\n"
				     "LOCATION: http://127.0.0.9:49152/rootDesc.xml\r\nSERVER: Linux UPnP/1.0 Hikvision\r\n"
				     "ST: upnp:rootdevice\r\nUSN: uuid:0f0e0d0c\r\n\r\n";
	static const char msearch[] = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
				      "MX: 1\r\nST: ssdp:all\r\n\r\n";
	static char scan[sizeof(got) + 64];

	pkt("192.0.2.64", 1900, 1900, 17);
	CHECK_INT(sn_ssdp(&pk, (const uint8_t *)notify, strlen(notify)), 0);
	CHECK_STR(got, "ssdp_server@192.0.2.64:1900/17=Linux/3.10 UPnP/1.0 Hikvision-Webs/1.0/0|"
		       "ssdp_usn@192.0.2.64:1900/17=uuid:a1b2c3d4-0000-1000-8000-bc9b5e000001/0");
	/* a NOTIFY from an ephemeral port is about the device's port 1900 */
	pkt("192.0.2.64", 38211, 1900, 17);
	CHECK_INT(sn_ssdp(&pk, (const uint8_t *)notify, strlen(notify)), 0);
	CHECK(!strncmp(got, "ssdp_server@192.0.2.64:1900/17=", 31));
	/* an answer: same ssdp_server as the scanner's probe, plus the USN */
	probe_says(SCAN_PROBE_SSDP, "127.0.0.9", 1900, 17, answer, strlen(answer));
	snprintf(scan, sizeof(scan), "%s|ssdp_usn@127.0.0.9:1900/17=uuid:0f0e0d0c/0", got);
	pkt("127.0.0.9", 1900, 40002, 17);
	CHECK_INT(sn_ssdp(&pk, (const uint8_t *)answer, strlen(answer)), 0);
	CHECK_STR(got, scan);
	CHECK_STR(got, "ssdp_server@127.0.0.9:1900/17=Linux UPnP/1.0 Hikvision/0|ssdp_usn@127.0.0.9:1900/17=uuid:0f0e0d0c/0");
	/* a search, an error answer: nothing; not HTTP-shaped at all: malformed */
	pkt("192.0.2.10", 40003, 1900, 17);
	CHECK_INT(sn_ssdp(&pk, (const uint8_t *)msearch, strlen(msearch)), 0);
	CHECK_INT(sn_ssdp(&pk, (const uint8_t *)"HTTP/1.1 404 Not Found\r\n\r\n", 26), 0);
	CHECK_STR(got, "");
	CHECK_INT(sn_ssdp(&pk, (const uint8_t *)"\x00\x01\x02garbage", 10), TM_EPROTO);
	CHECK_STR(pk.err, "SSDP datagram of 10 bytes without an HTTP start line");
	CHECK_INT(sn_ssdp(&pk, (const uint8_t *)"", 0), TM_EPROTO);
	CHECK_STR(pk.err, "empty SSDP datagram");
	CHECK_STR(got, "");
}

/* ---- HTTP, RTSP, UPnP ---- */

static void test_http(void)
{
	enum sn_dec dec;
	static const char page[] = "HTTP/1.1 401 Unauthorized\r\nServer: Hikvision-Webs\r\n"
				   "WWW-Authenticate: Digest realm=\"DS-2CD2142FWD\", nonce=\"abc\"\r\n"
				   "Content-Type: text/html\r\n\r\n<html><head><title> Hikvision  Login </title></head></html>";
	static const char rtsp[] = "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nServer: Rtsp Server/3.0\r\n"
				   "WWW-Authenticate: Digest realm=\"Login to 5J0B5A3PAZ12345\", nonce=\"x\"\r\n\r\n";
	static const char desc[] = "HTTP/1.1 200 OK\r\nServer: Linux/3.10 UPnP/1.0 Dahua/1.0\r\nContent-Type: text/xml\r\n\r\n"
				   "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><specVersion><major>1</major>"
				   "</specVersion><device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>"
				   "<manufacturer> Dahua </manufacturer><modelName>IPC-HFW</modelName><modelNumber>2431S</modelNumber>"
				   "</device></root>";
	static char s[70000], w[72000];

	CHECK_INT(app("192.0.2.64", 80, page, strlen(page), 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_HTTP);
	snprintf(s, sizeof(s),
		 "http_server@192.0.2.64:80/6=Hikvision-Webs/0|http_realm@192.0.2.64:80/6=DS-2CD2142FWD/0|"
		 "http_title@192.0.2.64:80/6=Hikvision  Login/0|service_response[GetRequest]@192.0.2.64:80/6=%s/0",
		 page);
	CHECK_STR(got, s);
	same_as_probe(SCAN_PROBE_HTTP, 20080, page, NULL);
	/* a long body: the head plus 4 KiB, as the probe keeps */
	snprintf(s, sizeof(s), "HTTP/1.0 200 OK\r\nServer: x\r\n\r\n");
	memset(s + strlen(s), 'a', 6000);
	s[30 + 6000] = 0;
	same_as_probe(SCAN_PROBE_HTTP, 8080, s, NULL);
	CHECK_INT(strlen(got), strlen("http_server@127.0.0.9:8080/6=x/0|service_response[GetRequest]@127.0.0.9:8080/6=/0") +
				       30 + 4096);
	/* RTSP: server and realm only */
	CHECK_INT(app("192.0.2.65", 554, rtsp, strlen(rtsp), 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_HTTP);
	CHECK_STR(got, "rtsp_server@192.0.2.65:554/6=Rtsp Server/3.0/0|http_realm@192.0.2.65:554/6=Login to 5J0B5A3PAZ12345/0");
	same_as_probe(SCAN_PROBE_RTSP, 20554, rtsp, NULL);
	/* a UPnP description: the scanner's follow-up emits upnp_*; we add the Server header */
	CHECK_INT(app("192.0.2.66", 49152, desc, strlen(desc), 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_HTTP);
	CHECK_STR(got, "http_server@192.0.2.66:49152/6=Linux/3.10 UPnP/1.0 Dahua/1.0/0|"
		       "upnp_manufacturer@192.0.2.66:49152/6=Dahua/0|upnp_model@192.0.2.66:49152/6=IPC-HFW 2431S/0");
	probe_says(SCAN_PROBE_UPNP, "192.0.2.66", 49152, 6, desc, strlen(desc));
	CHECK_STR(got, "upnp_manufacturer@192.0.2.66:49152/6=Dahua/0|upnp_model@192.0.2.66:49152/6=IPC-HFW 2431S/0");
	/* a description whose XML breaks: what it had, flagged, and malformed */
	snprintf(s, sizeof(s), "%.*s<oops", (int)(strlen(desc) - 7), desc);
	CHECK_INT(app("192.0.2.66", 49152, s, strlen(s), 1, &dec), TM_EPROTO);
	CHECK_STR(pk.err, "UPnP description in the HTTP response is malformed XML");
	CHECK_STR(got, "http_server@192.0.2.66:49152/6=Linux/3.10 UPnP/1.0 Dahua/1.0/0|"
		       "upnp_manufacturer@192.0.2.66:49152/6=Dahua/2|upnp_model@192.0.2.66:49152/6=IPC-HFW 2431S/2");
	/* a header line without a colon: kept, flagged, malformed */
	snprintf(s, sizeof(s), "HTTP/1.1 200 OK\r\nServer: GoAhead-Webs\r\nno colon here\r\n\r\n<title>ZTE</title>");
	CHECK_INT(app("192.0.2.67", 80, s, strlen(s), 1, &dec), TM_EPROTO);
	CHECK_STR(pk.err, "HTTP response: a header line without a colon or a bad number");
	snprintf(w, sizeof(w),
		 "http_server@192.0.2.67:80/6=GoAhead-Webs/2|http_title@192.0.2.67:80/6=ZTE/2|"
		 "service_response[GetRequest]@192.0.2.67:80/6=%s/2",
		 s);
	CHECK_STR(got, w);
	same_as_probe(SCAN_PROBE_HTTP, 80, s, NULL);
	CHECK_INT(app("192.0.2.67", 80, "HTTP/1.1 abc\r\n\r\n", 16, 1, &dec), TM_EPROTO);
	CHECK_STR(pk.err, "HTTP response: bad status line");
	/* a head cut by the flow's buffer: truncated raw response, no error */
	CHECK_INT(app("192.0.2.68", 80, "HTTP/1.1 200 OK\r\nServer: Boa/0.94", 33, 0, &dec), 0);
	CHECK_STR(got, "service_response[GetRequest]@192.0.2.68:80/6=HTTP/1.1 200 OK\r\nServer: Boa/0.94/1");
	CHECK_INT(app("192.0.2.68", 80, "HTTP/1.1 200 OK\r\nServer: Boa/0.94", 33, 1, &dec), 0);
	CHECK_STR(got, "service_response[GetRequest]@192.0.2.68:80/6=HTTP/1.1 200 OK\r\nServer: Boa/0.94/0");
	/* a server dripping its answer: cut after "HT" it is still HTTP, flagged as the probe flags it */
	CHECK_INT(app("192.0.2.69", 20080, "HT", 2, 0, &dec), 0);
	CHECK_INT(dec, SN_DEC_HTTP);
	CHECK_STR(got, "service_response[GetRequest]@192.0.2.69:20080/6=HT/3");
	same_as_probe(SCAN_PROBE_HTTP, 20080, "HTT", NULL);
	CHECK_INT(app("192.0.2.69", 20080, "HT", 2, 1, &dec), TM_EPROTO);
	CHECK_STR(pk.err, "HTTP response: bad status line");
}

/* ---- banners ---- */

static void test_banners(void)
{
	static const char telnet[] = "\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:";
	static const char ftp[] = "220 MikroTik FTP server (MikroTik 6.48.6) ready\r\n";
	static const char ftp_multi[] = "220-Welcome to the box\r\n220-Authorised use only\r\n220 ready\r\n";
	static const char smtp[] = "220 mail01.corp.example Microsoft ESMTP MAIL Service ready\r\n";
	enum sn_dec dec;

	/* SSH on any port, by content */
	CHECK_INT(app("192.0.2.1", 20022, "SSH-2.0-HUAWEI-1.5\r\n", 20, 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_BANNER);
	CHECK_STR(got, "ssh_banner@192.0.2.1:20022/6=SSH-2.0-HUAWEI-1.5/0");
	same_as_probe(SCAN_PROBE_SSH, 22, "SSH-2.0-HUAWEI-1.5\r\n", "ssh_banner@127.0.0.9:22/6=SSH-2.0-HUAWEI-1.5/0");
	/* lines before the identification (RFC 4253) on port 22; an unfinished line is flagged */
	same_as_probe(SCAN_PROBE_SSH, 22, "Welcome\r\nSSH-2.0-ROSSSH\r\n", "ssh_banner@127.0.0.9:22/6=SSH-2.0-ROSSSH/0");
	CHECK_INT(app("192.0.2.1", 22, "SSH-2.0-OpenSSH_9.2", 19, 0, &dec), 0);
	CHECK_STR(got, "ssh_banner@192.0.2.1:22/6=SSH-2.0-OpenSSH_9.2/1");
	/* FTP and SMTP greetings by what they say, on shifted ports; the probes agree on the well-known ones */
	CHECK_INT(app("192.0.2.2", 20021, ftp, strlen(ftp), 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_BANNER);
	CHECK_STR(got, "ftp_banner@192.0.2.2:20021/6=220 MikroTik FTP server (MikroTik 6.48.6) ready/0");
	same_as_probe(SCAN_PROBE_FTP, 21, ftp, NULL);
	CHECK_INT(app("192.0.2.3", 20025, smtp, strlen(smtp), 1, &dec), 0);
	CHECK_STR(got, "smtp_banner@192.0.2.3:20025/6=220 mail01.corp.example Microsoft ESMTP MAIL Service ready/0");
	same_as_probe(SCAN_PROBE_SMTP, 25, smtp, NULL);
	/* a multi-line greeting without a name: FTP by the port, up to its last line */
	same_as_probe(SCAN_PROBE_FTP, 21, ftp_multi,
		      "ftp_banner@127.0.0.9:21/6=220-Welcome to the box\r\n220-Authorised use only\r\n220 ready/0");
	same_as_probe(SCAN_PROBE_SMTP, 25, "220 mx ready\r\n", "smtp_banner@127.0.0.9:25/6=220 mx ready/0");
	/* an unfinished greeting is kept and flagged */
	same_as_probe(SCAN_PROBE_FTP, 21, "220-Welcome\r\n", "ftp_banner@127.0.0.9:21/6=220-Welcome/1");
	/* a nameless greeting elsewhere: what nmap's NULL probe sees */
	same_as_probe(SCAN_PROBE_BANNER, 20021, "220 ready\r\n", "service_response[NULL]@127.0.0.9:20021/6=220 ready\r\n/0");
	/* Telnet: IAC first on any port; options stripped as the scanner's probe strips them */
	CHECK_INT(app("192.0.2.4", 20023, telnet, strlen(telnet), 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_BANNER);
	CHECK_STR(got, "telnet_banner@192.0.2.4:20023/6=Login authentication\r\n\r\n\r\nUsername:/0");
	same_as_probe(SCAN_PROBE_TELNET, 23, telnet, NULL);
	/* port 23 without options; text cut before any line end and not a prompt: flagged */
	same_as_probe(SCAN_PROBE_TELNET, 23, "\r\nUser Access Verification\r\n\r\nUsername: ",
		      "telnet_banner@127.0.0.9:23/6=User Access Verification\r\n\r\nUsername:/0");
	CHECK_INT(app("192.0.2.4", 23, "\xff\xfd\x18Welc", 7, 0, &dec), 0);
	CHECK_STR(got, "telnet_banner@192.0.2.4:23/6=Welc/1");
	/* no options, on a shifted port: a login prompt at the end says Telnet */
	CHECK_INT(app("192.0.2.4", 20023, "\x1b[31mrouter\r\nlogin: ", 20, 1, &dec), 0);
	CHECK_STR(got, "telnet_banner@192.0.2.4:20023/6=\x1b[31mrouter\r\nlogin:/0");
	/* only negotiation, no text: nothing */
	CHECK_INT(app("192.0.2.4", 23, "\xff\xfd\x18\xff\xfd\x20", 6, 1, &dec), 0);
	CHECK_STR(got, "");
	/* anything else said first: service_response NULL, as the banner probe */
	same_as_probe(SCAN_PROBE_BANNER, 37777, "DVRDVS-Webs ready\n", "service_response[NULL]@127.0.0.9:37777/6=DVRDVS-Webs ready\n/0");
	same_as_probe(SCAN_PROBE_BANNER, 3306, "J\0\0\0\x0a" "5.7.33\0", NULL);
	CHECK_INT(app("192.0.2.5", 9999, "no line end", 11, 0, &dec), 0);
	CHECK_STR(got, "service_response[NULL]@192.0.2.5:9999/6=no line end/1");
	/* where the client speaks first, bytes we cannot place are left alone */
	CHECK_INT(app("192.0.2.5", 80, "\x00\x01garbage", 9, 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_COUNT);
	CHECK_STR(got, "");
	CHECK_INT(app("192.0.2.5", 80, "", 0, 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_COUNT);
	/* bytes that answer a request the flow table saw (asked): no greeting on any port ... */
	pkt("192.0.2.5", 9999, 40000, 6);
	pk.asked = 1;
	CHECK_INT(sn_app(&pk, (const uint8_t *)"no line end\n", 12, 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_COUNT);
	CHECK_STR(got, "");
	/* ... but what names itself still does: an SSH client may speak first */
	pkt("192.0.2.5", 2222, 40000, 6);
	pk.asked = 1;
	CHECK_INT(sn_app(&pk, (const uint8_t *)"SSH-2.0-X\r\n", 11, 1, &dec), 0);
	CHECK_STR(got, "ssh_banner@192.0.2.5:2222/6=SSH-2.0-X/0");
	CHECK_INT(dec, SN_DEC_BANNER);
}

/* ---- TLS ---- */

static X509 *make_cert(EVP_PKEY **key)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *n = X509_get_subject_name(x);
	X509_EXTENSION *san;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"CN", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"Huawei", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"HG8245", -1, -1, 0);
	X509_set_issuer_name(x, n);
	san = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, "DNS:hg8245.home,IP:192.0.2.1");
	X509_add_ext(x, san, -1);
	X509_EXTENSION_free(san);
	X509_set_pubkey(x, k);
	X509_sign(x, k, EVP_sha256());
	*key = k;
	return x;
}

static void hexdigest(X509 *x, char hex[65])
{
	unsigned char md[32];
	unsigned mdlen = 0;

	X509_digest(x, EVP_sha256(), md, &mdlen);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

struct buf {
	uint8_t b[16384];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void put24(struct buf *b, size_t v)
{
	uint8_t x[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

	put(b, x, 3);
}

/* Handshake messages: ServerHello (TLS 1.2, or 1.3 by supported_versions), Certificate, ServerHelloDone. */
static void handshake(struct buf *hs, const uint8_t *der, size_t dlen, int tls13)
{
	static const uint8_t ext13[] = {0x00, 0x06, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04};
	uint8_t sh[38 + 8];
	size_t shn = 38;

	memset(sh, 0x5a, sizeof(sh));
	sh[0] = 3, sh[1] = 3;
	sh[34] = 0;		  /* session id length */
	sh[35] = 0xc0, sh[36] = 0x2f; /* cipher */
	sh[37] = 0;		  /* compression */
	if (tls13) {
		memcpy(sh + 38, ext13, sizeof(ext13));
		shn += sizeof(ext13);
	}
	hs->n = 0;
	put(hs, "\x02", 1);
	put24(hs, shn);
	put(hs, sh, shn);
	if (tls13)
		return;
	put(hs, "\x0b", 1);
	put24(hs, dlen + 6);
	put24(hs, dlen + 3);
	put24(hs, dlen);
	put(hs, der, dlen);
	put(hs, "\x0e\x00\x00\x00", 4);
}

/* The handshake bytes as records of at most frag bytes each. */
static void records(struct buf *out, const struct buf *hs, size_t frag)
{
	out->n = 0;
	for (size_t off = 0; off < hs->n; off += frag) {
		size_t k = hs->n - off < frag ? hs->n - off : frag;
		uint8_t h[5] = {22, 3, 3, (uint8_t)(k >> 8), (uint8_t)k};

		put(out, h, 5);
		put(out, hs->b + off, k);
	}
}

static void test_tls(void)
{
	static struct buf hs, fl;
	EVP_PKEY *key;
	X509 *x = make_cert(&key);
	unsigned char *der = NULL;
	int dlen = i2d_X509(x, &der);
	char hex[65], want[2048];
	enum sn_dec dec;

	hexdigest(x, hex);
	snprintf(want, sizeof(want),
		 "tls_subject@192.0.2.1:443/6=/C=CN/O=Huawei/CN=HG8245/0|tls_issuer@192.0.2.1:443/6=/C=CN/O=Huawei/CN=HG8245/0|"
		 "tls_san@192.0.2.1:443/6=DNS:hg8245.home,IP:192.0.2.1/0|tls_sha256@192.0.2.1:443/6=%s/0",
		 hex);
	handshake(&hs, der, (size_t)dlen, 0);
	/* one record */
	records(&fl, &hs, 16384);
	CHECK_INT(app("192.0.2.1", 443, fl.b, fl.n, 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_TLS);
	CHECK_STR(got, want);
	/* the Certificate message split over many records */
	records(&fl, &hs, 100);
	CHECK(fl.n > 5 * 5);
	CHECK_INT(app("192.0.2.1", 443, fl.b, fl.n, 1, &dec), 0);
	CHECK_STR(got, want);
	records(&fl, &hs, 1);
	CHECK_INT(app("192.0.2.1", 443, fl.b, fl.n, 1, &dec), 0);
	CHECK_STR(got, want);
	/* cut short by the flow's buffer: nothing, no error; cut and closed: malformed */
	records(&fl, &hs, 16384);
	CHECK_INT(app("192.0.2.1", 443, fl.b, 200, 0, &dec), 0);
	CHECK_INT(dec, SN_DEC_TLS);
	CHECK_STR(got, "");
	CHECK_INT(app("192.0.2.1", 443, fl.b, 200, 1, &dec), TM_EPROTO);
	snprintf(want + 1024, 200, "TLS record 1 claims %zu bytes, 195 left", hs.n);
	CHECK_STR(pk.err, want + 1024);
	records(&fl, &hs, 100);
	CHECK_INT(app("192.0.2.1", 443, fl.b, 3 * 105, 1, &dec), TM_EPROTO);
	CHECK_STR(pk.err, "TLS handshake message cut: 258 of its bytes arrived");
	CHECK_INT(app("192.0.2.1", 443, fl.b, 3 * 105 + 2, 1, &dec), TM_EPROTO);
	CHECK_STR(pk.err, "TLS record 4: header cut after 2 bytes");
	CHECK_INT(app("192.0.2.1", 443, fl.b, 3 * 105 + 2, 0, &dec), 0);
	/* TLS 1.3: the certificate is encrypted, nothing to say, not malformed */
	handshake(&hs, der, (size_t)dlen, 1);
	records(&fl, &hs, 16384);
	put(&fl, "\x14\x03\x03\x00\x01\x01\x17\x03\x03\x00\x04\xde\xad\xbe\xef", 15);
	CHECK_INT(app("192.0.2.1", 443, fl.b, fl.n, 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_TLS);
	CHECK_STR(got, "");
	/* an alert (the server refused our client's hello) */
	CHECK_INT(app("192.0.2.1", 443, "\x15\x03\x01\x00\x02\x02\x28", 7, 1, &dec), 0);
	CHECK_INT(dec, SN_DEC_TLS);
	CHECK_STR(got, "");
	/* broken records: an unknown content type, a bad version, a huge length, an empty fragment */
	handshake(&hs, der, (size_t)dlen, 0);
	records(&fl, &hs, 50);
	fl.b[55] = 99;
	CHECK_INT(app("192.0.2.1", 443, fl.b, fl.n, 1, &dec), TM_EPROTO);
	CHECK_STR(pk.err, "TLS record 2: content type 99");
	fl.b[55] = 22, fl.b[57] = 7;
	CHECK_INT(app("192.0.2.1", 443, fl.b, fl.n, 1, &dec), TM_EPROTO);
	CHECK_STR(pk.err, "TLS record 2: version 3.7");
	CHECK_INT(app("192.0.2.1", 443, "\x16\x03\x03\xff\xff", 5, 1, &dec), TM_EPROTO);
	CHECK_STR(pk.err, "TLS record 1 claims 65535 bytes, more than 18432");
	CHECK_INT(app("192.0.2.1", 443, "\x16\x03\x03\x00\x00", 5, 1, &dec), TM_EPROTO);
	CHECK_STR(pk.err, "TLS record 1: empty handshake fragment");
	/* a certificate that OpenSSL refuses; a list length that lies */
	handshake(&hs, der, (size_t)dlen, 0);
	hs.b[42 + 10 + 4] ^= 0xff; /* inside the DER's first bytes */
	records(&fl, &hs, 16384);
	CHECK_INT(app("192.0.2.1", 443, fl.b, fl.n, 1, &dec), TM_EPROTO);
	snprintf(want + 1024, 200, "TLS Certificate: the leaf certificate (%d bytes) does not parse", dlen);
	CHECK_STR(pk.err, want + 1024);
	handshake(&hs, der, (size_t)dlen, 0);
	hs.b[42 + 4 + 2] ^= 1;
	records(&fl, &hs, 16384);
	CHECK_INT(app("192.0.2.1", 443, fl.b, fl.n, 1, &dec), TM_EPROTO);
	CHECK(!strncmp(pk.err, "TLS Certificate: certificate_list of ", 37));
	/* a ServerHello with lying extensions */
	handshake(&hs, der, (size_t)dlen, 1);
	hs.b[4 + 38 + 1] = 9;
	records(&fl, &hs, 16384);
	CHECK_INT(app("192.0.2.1", 443, fl.b, fl.n, 1, &dec), TM_EPROTO);
	CHECK_STR(pk.err, "TLS ServerHello extensions do not fill the message");
	CHECK_STR(got, "");
	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(key);
}

/*
 * Certificates are remembered by their whole DER: one that differs from a
 * remembered one in a single byte (same length, the subject's CN "HG8245"
 * -> "HG8246", the second of the two: the issuer comes first) is parsed again, and taking turns each keeps its own facts.
 */
static void test_tls_cache(void)
{
	static struct buf hs, fl, fl2;
	EVP_PKEY *key;
	X509 *x = make_cert(&key);
	unsigned char *der = NULL, *der2;
	int dlen = i2d_X509(x, &der);
	uint8_t *cn = memmem(der, (size_t)dlen, "HG8245", 6);
	char a[128], b[128];
	enum sn_dec dec;

	if (cn)
		cn = memmem(cn + 6, (size_t)(der + dlen - cn - 6), "HG8245", 6);
	CHECK(cn != NULL);
	if (!cn)
		return;
	der2 = OPENSSL_memdup(der, (size_t)dlen);
	der2[cn - der + 5] = '6';
	handshake(&hs, der, (size_t)dlen, 0);
	records(&fl, &hs, 16384);
	handshake(&hs, der2, (size_t)dlen, 0);
	records(&fl2, &hs, 16384);
	for (int i = 0; i < 3; i++) {
		CHECK_INT(app("192.0.2.1", 443, fl.b, fl.n, 1, &dec), 0);
		str_copy(a, sizeof(a), got, strcspn(got, "|"));
		CHECK_STR(a, "tls_subject@192.0.2.1:443/6=/C=CN/O=Huawei/CN=HG8245/0");
		CHECK_INT(app("192.0.2.1", 443, fl2.b, fl2.n, 1, &dec), 0);
		str_copy(b, sizeof(b), got, strcspn(got, "|"));
		CHECK_STR(b, "tls_subject@192.0.2.1:443/6=/C=CN/O=Huawei/CN=HG8246/0");
		CHECK(strstr(got, "|tls_sha256@192.0.2.1:443/6=") != NULL);
	}
	OPENSSL_free(der2);
	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(key);
}

/* A real OpenSSL server's TLS 1.2 flight, captured as it leaves: sniff must read what the scanner's probe read. */
static void test_tls_probe(void)
{
	static struct buf flight;
	static char scan[sizeof(got)];
	EVP_PKEY *key;
	X509 *x = make_cert(&key);
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	SSL *s;
	BIO *rb = BIO_new(BIO_s_mem()), *wb = BIO_new(BIO_s_mem());
	const struct probe_ops *ops = probe_get(SCAN_PROBE_TLS);
	uint8_t tmp[16384];
	int done = 0, n;
	enum sn_dec dec;

	SSL_CTX_use_certificate(ctx, x);
	SSL_CTX_use_PrivateKey(ctx, key);
	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	s = SSL_new(ctx);
	SSL_set_bio(s, rb, wb);
	SSL_set_accept_state(s);
	got[0] = 0;
	probe_ctx_init(&pc, SCAN_PROBE_TLS, "127.0.0.9", 20443, 6, collect, NULL);
	ops->start(&pc);
	for (int round = 0; round < 20 && !done; round++) {
		BIO_write(rb, pc.out, (int)pc.outlen);
		pc.outlen = 0;
		SSL_do_handshake(s);
		while (!done && (n = BIO_read(wb, tmp, sizeof(tmp))) > 0) {
			if (flight.n + (size_t)n <= sizeof(flight.b))
				put(&flight, tmp, (size_t)n);
			done = ops->input(&pc, tmp, (size_t)n);
		}
	}
	ops->finish(&pc, done ? PROBE_END_DONE : PROBE_END_EOF);
	snprintf(scan, sizeof(scan), "%s", got);
	CHECK(strstr(scan, "tls_subject@127.0.0.9:20443/6=/C=CN/O=Huawei/CN=HG8245/0|") == scan);
	CHECK(strstr(scan, "|tls_sha256@127.0.0.9:20443/6=") != NULL);
	CHECK(flight.n > 300);
	CHECK_INT(app("127.0.0.9", 20443, flight.b, flight.n, 0, &dec), 0);
	CHECK_INT(dec, SN_DEC_TLS);
	CHECK_STR(got, scan);
	SSL_free(s);
	SSL_CTX_free(ctx);
	X509_free(x);
	EVP_PKEY_free(key);
}

int main(void)
{
	test_snmp();
	test_ssdp();
	test_http();
	test_banners();
	test_tls();
	test_tls_cache();
	test_tls_probe();
	return check_done("test_sniff_app");
}
