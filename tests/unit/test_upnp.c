/* test_upnp.c - SSDP M-SEARCH/answers, URL splitting and UPnP descriptions (src/proto/ssdp.h,
 * url.h, upnp.h). */
#include "check.h"
#include "core/err.h"
#include "core/mem.h"
#include "proto/ssdp.h"
#include "proto/upnp.h"
#include "proto/url.h"

#include <stdio.h>

static void test_ssdp(void)
{
	static const char hik[] =
	    "HTTP/1.1 200 OK\r\n"
	    "CACHE-CONTROL: max-age = 1800\r\n"
	    "EXT:\r\n"
	    "LOCATION: http://127.30.0.7:20080/upnpdevicedesc.xml\r\n"
	    "SERVER: Linux/3.10.0, UPnP/1.0, Portable SDK for UPnP devices/1.6.18\r\n"
	    "ST: upnp:rootdevice\r\n"
	    "USN: uuid:a1b2c3d4-e5f6-7890-abcd-ef0123456789::upnp:rootdevice\r\n\r\n";
	static const char notify[] =
	    "NOTIFY * HTTP/1.1\nHOST: 239.255.255.250:1900\nNT: urn:schemas-upnp-org:"
	    "device:InternetGatewayDevice:1\nNTS: ssdp:alive\nServer: "
	    "Huawei-ATP-IGD\nLocation: http://192.168.1.1:37215/desc.xml\n";
	struct ssdp_resp r;
	char b[512];

	CHECK_INT(ssdp_parse((const uint8_t *)hik, strlen(hik), &r), 0);
	CHECK_STR(r.server, "Linux/3.10.0, UPnP/1.0, Portable SDK for UPnP devices/1.6.18");
	CHECK_STR(r.location, "http://127.30.0.7:20080/upnpdevicedesc.xml");
	CHECK_STR(r.st, "upnp:rootdevice");
	CHECK_STR(r.usn, "uuid:a1b2c3d4-e5f6-7890-abcd-ef0123456789::upnp:rootdevice");
	CHECK_INT(ssdp_parse((const uint8_t *)notify, strlen(notify), &r), 0);
	CHECK_STR(r.server, "Huawei-ATP-IGD");
	CHECK_STR(r.st, "urn:schemas-upnp-org:device:InternetGatewayDevice:1");
	CHECK_STR(r.location, "http://192.168.1.1:37215/desc.xml");
	CHECK_INT(ssdp_parse((const uint8_t *)"HTTP/1.1 404 Not Found\r\n\r\n", 26, &r), TM_EPROTO);
	CHECK_INT(ssdp_parse((const uint8_t *)"M-SEARCH * HTTP/1.1\r\n\r\n", 23, &r), TM_EPROTO);
	CHECK_INT(ssdp_parse((const uint8_t *)"", 0, &r), TM_EPROTO);
	for (size_t k = 0; k <= strlen(hik);
	     k++) { /* prefixes: never past the end, fields a prefix or whole */
		char *c = mem_alloc(k + 1);

		memcpy(c, hik, k);
		ssdp_parse((const uint8_t *)c, k, &r);
		CHECK(!r.server[0] ||
		      !strcmp(r.server,
			      "Linux/3.10.0, UPnP/1.0, Portable SDK for UPnP devices/1.6.18"));
		mem_free(c);
	}
	CHECK_INT(ssdp_build_msearch(b, sizeof(b), "127.30.0.7:21900", "upnp:rootdevice"), 142);
	CHECK_STR(
	    b,
	    "M-SEARCH * HTTP/1.1\r\nHOST: 127.30.0.7:21900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
	    "ST: upnp:rootdevice\r\nUSER-AGENT: Linux/6.1 UPnP/1.1 trustmap/0.1\r\n\r\n");
	CHECK_INT(ssdp_build_msearch(b, sizeof(b), "h:1", "a\r\nb"), TM_EINVAL);
	CHECK_INT(ssdp_build_msearch(b, 30, "h:1", "ssdp:all"), TM_ELIMIT);
}

static void test_url(void)
{
	static const struct {
		const char *url, *host, *path;
		int port, rc;
	} t[] = {
	    {"http://127.30.0.7:20080/desc.xml", "127.30.0.7", "/desc.xml", 20080, 0},
	    {"HTTP://192.168.1.1", "192.168.1.1", "/", 80, 0},
	    {"https://[fe80::1]:8443/a/b?x=1#frag", "fe80::1", "/a/b?x=1", 8443, 0},
	    {"https://[::1]/", "::1", "/", 443, 0},
	    {"http://admin:pw@10.0.0.1:81?q", "10.0.0.1", "/?q", 81, 0},
	    {"http://h#f", "h", "/", 80, 0},
	    {"ftp://h/x", "", "", 0, TM_EUNSUP},
	    {"/relative/path", "", "", 0, TM_EUNSUP},
	    {"http://:80/", "", "", 0, TM_EPROTO},
	    {"http://h:0/", "", "", 0, TM_EPROTO},
	    {"http://h:65536/", "", "", 0, TM_EPROTO},
	    {"http://h:8x/", "", "", 0, TM_EPROTO},
	    {"http://h/a b", "", "", 0, TM_EPROTO},
	    {"http://[::1/", "", "", 0, TM_EPROTO},
	    {"http://a-very-long-host-name-that-does-not-fit.example/", "", "", 0, TM_ELIMIT},
	};
	char host[32], path[32];
	uint16_t port = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int rc = url_split(t[i].url, host, sizeof(host), &port, path, sizeof(path));

		CHECK_INT(rc, t[i].rc);
		if (rc == 0) {
			CHECK_STR(host, t[i].host);
			CHECK_STR(path, t[i].path);
			CHECK_INT(port, t[i].port);
		}
	}
	CHECK_INT(url_split("http://h/0123456789", host, sizeof(host), &port, path, 8), TM_ELIMIT);
}

static const char desc[] = "<?xml version=\"1.0\"?>\n"
			   "<root xmlns=\"urn:schemas-upnp-org:device-1-0\">\n"
			   "<specVersion><major>1</major><minor>0</minor></specVersion>\n"
			   "<device>\n"
			   "<deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>\n"
			   "<friendlyName>DS-2CD2142FWD-I - 1234567</friendlyName>\n"
			   "<manufacturer>  Hikvision  </manufacturer>\n"
			   "<manufacturerURL>http://www.hikvision.com</manufacturerURL>\n"
			   "<modelDescription>Hikvision IP Camera</modelDescription>\n"
			   "<modelName>DS-2CD2142FWD-I</modelName>\n"
			   "<modelNumber>DS-2CD2142FWD-I</modelNumber>\n"
			   "<serialNumber>DS-2CD2142FWD-I20170101AAWR123456789</serialNumber>\n"
			   "<deviceList><device><manufacturer>Embedded Inc</manufacturer>"
			   "<modelName>Inner</modelName></device></deviceList>\n"
			   "</device>\n"
			   "<device><manufacturer>Second Root Device</manufacturer></device>\n"
			   "</root>\n";

static int parse(const char *s, size_t n, struct upnp_desc *d)
{
	char *c = mem_alloc(n ? n : 1);
	int rc;

	memcpy(c, s, n);
	rc = upnp_parse((const uint8_t *)c, n, d);
	mem_free(c);
	return rc;
}

static void test_upnp(void)
{
	static const char igd[] =
	    "<root xmlns='urn:schemas-upnp-org:device-1-0'><device>"
	    "<manufacturer>Huawei Technologies Co., Ltd.</manufacturer>"
	    "<modelName>HG8245H</modelName><modelNumber></modelNumber></device></root>";
	static const char bomb[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
	    "<root><device><manufacturer>&lol2;</manufacturer></device></root>";
	static const char ext[] = "<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><root/>";
	struct upnp_desc d;
	char *deep;
	size_t n;

	CHECK_INT(parse(desc, strlen(desc), &d), 0);
	CHECK_STR(d.manufacturer, "Hikvision");
	CHECK_STR(d.model_name, "DS-2CD2142FWD-I");
	CHECK_STR(d.model_number, "DS-2CD2142FWD-I");
	CHECK_STR(d.friendly_name, "DS-2CD2142FWD-I - 1234567");
	CHECK_STR(d.model_description, "Hikvision IP Camera");
	CHECK_STR(d.serial, "DS-2CD2142FWD-I20170101AAWR123456789");
	CHECK_INT(d.truncated, 0);
	CHECK_INT(parse(igd, strlen(igd), &d), 0);
	CHECK_STR(d.manufacturer, "Huawei Technologies Co., Ltd.");
	CHECK_STR(d.model_name, "HG8245H");
	CHECK_STR(d.model_number, "");
	CHECK_INT(parse(bomb, strlen(bomb), &d), TM_EPROTO);
	CHECK_STR(d.manufacturer, "");
	CHECK_INT(parse(ext, strlen(ext), &d), TM_EPROTO);
	CHECK_INT(parse("<root><x/></root>", 17, &d), TM_ENOTFOUND);
	CHECK_INT(parse("not xml", 7, &d), TM_EPROTO);
	CHECK_INT(parse("", 0, &d), TM_EPROTO);
	/* cut short: an error, but what was read is kept */
	n = (size_t)(strstr(desc, "<modelName>") - desc);
	CHECK_INT(parse(desc, n, &d), TM_EPROTO);
	CHECK_STR(d.manufacturer, "Hikvision");
	CHECK_STR(d.model_name, "");
	/* depth */
	deep = mem_alloc(64 * 8 + 64);
	n = 0;
	for (int i = 0; i < 64; i++)
		n += (size_t)snprintf(deep + n, 8, "<a>");
	CHECK_INT(parse(deep, n, &d), TM_ELIMIT);
	mem_free(deep);
	/* an overlong field is cut and flagged */
	deep = mem_alloc(1024);
	n = (size_t)snprintf(deep, 1024,
			     "<root><device><modelNumber>%0300d</modelNumber></device></root>", 7);
	CHECK_INT(parse(deep, n, &d), 0);
	CHECK_INT(strlen(d.model_number), 63);
	CHECK_INT(d.truncated, 1);
	mem_free(deep);
	/* allocation failure inside expat comes back as TM_ENOMEM, nothing leaks */
	for (unsigned long k = 1; k < 8; k++) {
		int rc;

		mem_fail_at(k);
		rc = upnp_parse((const uint8_t *)igd, strlen(igd), &d);
		mem_fail_at(0);
		CHECK(rc == 0 || rc == TM_ENOMEM);
		if (k == 1)
			CHECK_INT(rc, TM_ENOMEM);
	}
}

int main(void)
{
	test_ssdp();
	test_url();
	test_upnp();
	return check_done("test_upnp");
}
