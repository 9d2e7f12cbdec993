/*
 * test_import.c - the readers of src/import/: each format on a small file
 * from tests/data/import/ with the exact observations expected, bad inputs
 * with their exact messages, skip_bad counts, chunk boundaries, allocation
 * failures, a 100,000-row inventory, and real nmap on a loopback banner.
 */
#include "check.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/str.h"
#include "import/imp_int.h"
#include "import/import.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define D "tests/data/import/"

/* What a sink saw, one line per observation or site. */
struct got {
	struct buf b;
	long nobs, nsites;
	int stop_at; /* return TM_EDB on this observation (1-based), 0 never */
	int quiet;   /* count only */
};

static int on_obs(void *ctx, const struct obs *o)
{
	struct got *g = ctx;

	g->nobs++;
	if (g->stop_at && g->nobs == g->stop_at)
		return TM_EDB;
	if (g->quiet)
		return 0;
	buf_printf(&g->b, "%s|%s|%lld|%s|%s|%s|%s|%s|%u/%u|%s|%u|", obs_kind_name(o->kind),
		   o->source, (long long)o->time, o->addr, o->scope, o->mac, o->ref, o->site,
		   o->port, o->proto, o->probe, o->flags);
	esc_term(&g->b, o->value, o->len);
	buf_addc(&g->b, '\n');
	return 0;
}

static int on_site(void *ctx, const struct imp_site *s)
{
	struct got *g = ctx;

	g->nsites++;
	if (!g->quiet)
		buf_printf(&g->b, "site|%s|%s|%.4f|%.4f|%d|%s|%s\n", s->id, s->name, s->lat, s->lon,
			   s->has_coords, s->operator_, s->region);
	if (!g->quiet && s->tags[0])
		buf_printf(&g->b, "tags|%s\n", s->tags);
	return 0;
}

static void got_init(struct got *g)
{
	memset(g, 0, sizeof(*g));
	buf_init(&g->b, 1 << 24);
}

typedef int (*reader_fn)(const char *, const struct imp_sink *, int, struct imp_stats *, char *,
			 size_t);
typedef int (*mem_fn)(const char *, const char *, size_t, const struct imp_sink *, int,
		      struct imp_stats *, char *, size_t);

/* Runs a reader on a file; the sink's lines land in g. */
static int run_file(reader_fn fn, const char *path, int skip, struct got *g, struct imp_stats *st,
		    char *eb)
{
	struct imp_sink k = {on_obs, on_site, g};

	return fn(path, &k, skip, st, eb, TM_ERRLEN);
}

static int run_mem(mem_fn fn, const char *name, const char *data, size_t len, int skip,
		   struct got *g, struct imp_stats *st, char *eb)
{
	struct imp_sink k = {on_obs, on_site, g};

	return fn(name, data, len, &k, skip, st, eb, TM_ERRLEN);
}

/* ---- JSON Lines ---- */

static void test_jsonl(void)
{
	struct got g;
	struct imp_stats st;
	char eb[TM_ERRLEN];

	got_init(&g);
	CHECK_INT(run_file(imp_jsonl, D "obs.jsonl", 0, &g, &st, eb), 0);
	CHECK_STR(
	    buf_str(&g.b),
	    "ssh_banner|scan|1700000000|192.0.2.1||||"
	    "|22/6||0|SSH-2.0-HUAWEI-1.5\n"
	    "mac|jsonl|1700000000|2001:db8::1|vrf-a|00:e0:fc:12:34:56|||0/0||0|00:e0:fc:12:34:56\n"
	    "snmp_sysdescr|jsonl|0|192.0.2.2|||||161/17||1|Huawei\\x00VRP \\xe4\\xb8\\xad\n"
	    "service_response|jsonl|0|192.0.2.3|||||23/6|NULL|0|"
	    "\\xff\\xfb\\x01\\xff\\xfb\\x03\\r\\nZXAN login: \n"
	    "lldp_sysdesc|jsonl|1700000001|192.0.2.4||28:6e:d4:00:00:01|||0/0||0|"
	    "Huawei Versatile Routing Platform\n"
	    "http_title|jsonl|1700000001|192.0.2.5||28:6e:d4:00:00:01|||80/6||0|Web Components\n"
	    "inventory_vendor|jsonl|0||||A-1|S-1|0/0||0|ZTE\n");
	CHECK_INT(st.records, 6);
	CHECK_INT(st.obs, 7);
	CHECK_INT(st.skipped, 0);
	CHECK_STR(st.first_error, "");
	buf_fini(&g.b);
}

static const struct {
	const char *in, *err;
} jsonl_bad[] = {
    {"{\"kind\":\"ssh_banner\",\"value\":\"SSH-2.0",
     "b.jsonl:1:37: invalid JSON: premature end of input near '\"SSH-2.0'"},
    {"{\"kind\":\"ssh_banr\",\"value\":\"x\"}", "b.jsonl:1:2: unknown kind \"ssh_banr\""},
    {"{\"value\":\"x\"}", "b.jsonl:1:1: missing kind"},
    {"{\"kind\":\"mac\"}", "b.jsonl:1:2: missing value (value or value_b64)"},
    {"{\"kind\":\"mac\",\"mac\":\"00:11:22:33:44\"}", "b.jsonl:1:15: bad MAC address"},
    {"{\"kind\":\"ftp_banner\",\"value\":\"x\",\"addr\":\"192.0.2.256\"}",
     "b.jsonl:1:34: bad address"},
    {"{\"kind\":\"ftp_banner\",\"value\":\"x\",\"port\":70000}",
     "b.jsonl:1:34: port must be an integer from 0 to 65535"},
    {"{\"kind\":\"ftp_banner\",\"value\":\"x\",\"proto\":\"icmp\"}",
     "b.jsonl:1:34: proto must be \"tcp\", \"udp\", 6 or 17"},
    {"{\"kind\":\"ftp_banner\",\"value_b64\":\"!!\"}", "b.jsonl:1:22: value_b64 is not base64"},
    {"{\"kind\":\"ftp_banner\",\"value\":\"x\",\"time\":\"yesterday\"}",
     "b.jsonl:1:34: bad time (want seconds since 1970 or \"YYYY-MM-DDTHH:MM:SSZ\")"},
    {"{\"kind\":\"ftp_banner\",\"value\":\"x\",\"ref\":"
     "\"0123456789012345678901234567890123456789012345678901234567890123\"}",
     "b.jsonl:1:34: field ref longer than 63 bytes or holding NUL"},
    {"[1,2]", "b.jsonl:1:1: a record must be a JSON object"},
    {"{\"obs\":{}}", "b.jsonl:1:2: obs must be an array"},
    {"{\"kind\":\"ftp_banner\",\"value\":\"x\",\"kind\":\"mac\"}",
     "b.jsonl:1:39: invalid JSON: duplicate object key near '\"kind\"'"},
    {"\xff\xfe{", "b.jsonl:1:1: invalid JSON: unable to decode byte 0xff"},
    {"{\"kind\":\"mac\",\"value\":\"Huawei\"}",
     "b.jsonl:1:15: the value of a mac observation must be a MAC address"},
};

static void test_jsonl_bad(void)
{
	char eb[TM_ERRLEN];
	struct imp_stats st;
	struct got g;
	struct buf big;
	int rc;

	for (size_t i = 0; i < sizeof(jsonl_bad) / sizeof(jsonl_bad[0]); i++) {
		got_init(&g);
		rc = run_mem(imp_jsonl_mem, "b.jsonl", jsonl_bad[i].in, strlen(jsonl_bad[i].in), 0,
			     &g, &st, eb);
		CHECK_INT(rc, TM_EPROTO);
		CHECK_STR(eb, jsonl_bad[i].err);
		CHECK_INT(g.nobs, 0);
		buf_fini(&g.b);
	}
	/* binary: a NUL byte on line 2 */
	got_init(&g);
	rc = run_mem(imp_jsonl_mem, "b.jsonl",
		     "{\"kind\":\"mac\",\"value\":\"00:e0:fc:00:00:01\"}\nab\0cd\n", 49, 0, &g, &st,
		     eb);
	CHECK_INT(rc, TM_EPROTO);
	CHECK_STR(eb, "b.jsonl:2:3: binary data (NUL byte) in a text line");
	CHECK_INT(g.nobs, 1); /* the first line stays delivered */
	buf_fini(&g.b);
	/* a 1 MB line, then a good one: skip_bad counts it and goes on */
	buf_init(&big, 4 << 20);
	buf_adds(&big, "{\"kind\":\"ftp_banner\",\"value\":\"");
	for (int i = 0; i < 1 << 20; i++)
		buf_addc(&big, 'a');
	buf_adds(&big, "\"}\n{\"kind\":\"ftp_banner\",\"value\":\"220 ok\"}\n");
	got_init(&g);
	rc = run_mem(imp_jsonl_mem, "b.jsonl", big.p, big.len, 0, &g, &st, eb);
	CHECK_INT(rc, TM_EPROTO);
	CHECK_STR(eb, "b.jsonl:1:262145: line longer than 262144 bytes");
	CHECK_INT(g.nobs, 0);
	rc = run_mem(imp_jsonl_mem, "b.jsonl", big.p, big.len, 1, &g, &st, eb);
	CHECK_INT(rc, 0);
	CHECK_INT(st.records, 2);
	CHECK_INT(st.skipped, 1);
	CHECK_INT(st.obs, 1);
	CHECK_STR(st.first_error, "b.jsonl:1:262145: line longer than 262144 bytes");
	buf_fini(&big);
	buf_fini(&g.b);
	/* skip_bad over every bad line at once */
	buf_init(&big, 1 << 20);
	for (size_t i = 0; i < sizeof(jsonl_bad) / sizeof(jsonl_bad[0]); i++)
		buf_printf(&big, "%s\n{\"kind\":\"mac\",\"value\":\"00-00-00-00-00-%02zx\"}\n",
			   jsonl_bad[i].in, i);
	got_init(&g);
	rc = run_mem(imp_jsonl_mem, "b.jsonl", big.p, big.len, 1, &g, &st, eb);
	CHECK_INT(rc, 0);
	CHECK_INT(st.records, 32);
	CHECK_INT(st.skipped, 16);
	CHECK_INT(st.obs, 16);
	CHECK_STR(st.first_error, jsonl_bad[0].err);
	buf_fini(&big);
	buf_fini(&g.b);
	/* a sink that says stop */
	got_init(&g);
	g.stop_at = 2;
	rc = run_file(imp_jsonl, D "obs.jsonl", 1, &g, &st, eb);
	CHECK_INT(rc, TM_EDB);
	CHECK_STR(eb, D "obs.jsonl:3: import stopped by its sink (store error)");
	CHECK_INT(st.obs, 1);
	buf_fini(&g.b);
	/* no such file */
	rc = run_file(imp_jsonl, D "nope.jsonl", 0, &g, &st, eb);
	CHECK_INT(rc, TM_ENOTFOUND);
	CHECK_STR(eb, D "nope.jsonl: No such file or directory");
}

/* ---- nmap XML ---- */

static const char nmap_expect[] =
    "mac|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||0/0||0|00:e0:fc:12:34:56\n"
    "hostname|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||0/0||0|ar1220.example.net\n"
    "nmap_service|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||22/6||0|"
    "Huawei VRP sshd||protocol 2.0|router|VRP 5.130|ssh\n"
    "cpe|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||22/6||0|cpe:/o:huawei:vrp:5.130\n"
    "ssh_banner|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||22/6||0|SSH-2.0-HUAWEI-1.5\n"
    "nmap_service|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||80/6||0|"
    "Huawei/AR http config|||||http\n"
    "cpe|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||80/6||0|cpe:/h:huawei:ar1220\n"
    "http_title|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||80/6||0|Huawei AR1220\n"
    "http_server|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||80/6||0|HuaweiHTTP\n"
    "http_server|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||80/6||0|Webs\n"
    "tls_subject|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||443/6||0|"
    "/C=CN/O=Huawei/CN=HUAWEI-AR\n"
    "tls_issuer|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||443/6||0|"
    "/O=Huawei/CN=Huawei Root CA\n"
    "nmap_service|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||161/17||0||||||snmp\n"
    "snmp_sysdescr|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||161/17||0|"
    "Huawei Versatile Routing Platform Software\\r\\nVRP (R) software, Version 5.130\n"
    "service_response|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||2000/6|NULL|0|"
    "\\xff\\xfb\\x01ZXAN \\\\ .\n"
    "service_response|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||2000/6|GetRequest|1|short\n"
    "cpe|nmap|1700000100|192.0.2.1||00:e0:fc:12:34:56|||0/0||0|cpe:/o:huawei:vrp:5\n"
    "nmap_service|nmap|1700000000|2001:db8::10|||||21/6||0|ZXR10 ftpd|||||ftp\n"
    "ftp_banner|nmap|1700000000|2001:db8::10|||||21/6||0|"
    "220-ZXR10 FTP server ready\\r\\n220 Welcome to the ZTE switch\n";

static void test_nmap(void)
{
	struct got g;
	struct imp_stats st;
	char eb[TM_ERRLEN];
	struct buf want;

	got_init(&g);
	CHECK_INT(run_file(imp_nmap_xml, D "nmap.xml", 0, &g, &st, eb), TM_EPROTO);
	CHECK_STR(eb, D "nmap.xml:62:1: bad address \"192.0.2.999\"");
	CHECK_STR(buf_str(&g.b), nmap_expect);
	buf_fini(&g.b);

	got_init(&g);
	CHECK_INT(run_file(imp_nmap_xml, D "nmap.xml", 1, &g, &st, eb), 0);
	buf_init(&want, 1 << 16);
	buf_adds(&want, nmap_expect);
	buf_adds(&want, "nmap_service|nmap|1700000400|192.0.2.4|||||8080/6||0|Webs|||||http\n");
	CHECK_STR(buf_str(&g.b), buf_str(&want));
	CHECK_INT(st.records, 4);
	CHECK_INT(st.obs, 20);
	CHECK_INT(st.skipped, 2);
	CHECK_STR(st.first_error, D "nmap.xml:62:1: bad address \"192.0.2.999\"");
	buf_fini(&want);
	buf_fini(&g.b);
}

/* A file written by the real nmap 7.93 (-sV, ssl-cert, http-title) against loopback servers. */
static void test_nmap_real(void)
{
	struct got g;
	struct imp_stats st;
	char eb[TM_ERRLEN];
	const char *s;

	got_init(&g);
	CHECK_INT(run_file(imp_nmap_xml, D "nmap-real.xml", 0, &g, &st, eb), 0);
	s = buf_str(&g.b);
	CHECK(strstr(s,
		     "nmap_service|nmap|1795924858|127.0.0.1|||||44333/6||0|OpenSSL s_server "
		     "-www httpd||command line: s_server -accept 127.0.0.1:44333 -cert c2.pem -key "
		     "k2.pem -www -quiet|||http\n") == s);
	CHECK(strstr(s, "|44333/6||0|cpe:/a:openssl:openssl\n"));
	CHECK(strstr(s, "tls_subject|nmap|1795924858|127.0.0.1|||||44333/6||0|"
			"/C=CN/O=Huawei Technologies Co., Ltd./OU=Wireless/CN=HUAWEI-AP\n"));
	CHECK(strstr(s, "tls_issuer|nmap|1795924858|127.0.0.1|||||44333/6||0|"
			"/C=CN/O=Huawei Technologies Co., Ltd./OU=Wireless/CN=HUAWEI-AP\n"));
	CHECK(strstr(s,
		     "service_response|nmap|1795924858|127.0.0.1|||||44380/6|GetRequest|0|"
		     "HTTP/1.0 200 OK\\r\\nServer: Hikvision-Webs \\r\\nDate: Sun, 29 Nov 2026 "
		     "04:01:04 GMT\\r\\nContent-Type: text/html\\r\\nContent-Length: 69\\r\\n\\r\\n"
		     "<html><head><title>Web Components</title></head><body>x</body></html>\n"));
	CHECK_INT(st.records, 1);
	CHECK_INT(st.obs, 8);
	CHECK_INT(st.skipped, 0);
	buf_fini(&g.b);
}

static const char bomb[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE lolz [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    "]>\n"
    "<nmaprun><host><address addr=\"&lol3;\" addrtype=\"ipv4\"/></host></nmaprun>\n";

static void test_nmap_bad(void)
{
	static const struct {
		const char *in, *err;
		int rc;
	} t[] = {
	    {bomb, "x.xml:3:15: entity declarations are not allowed (\"lol\")", TM_EPROTO},
	    {"<nmaprun><host><address addr=\"192.0.2.1\" addrtype=\"ipv4\"/>",
	     "x.xml:1:59: XML: no element found", TM_EPROTO},
	    {"\x01\x02\x03binary", "x.xml:1:1: XML: not well-formed (invalid token)", TM_EPROTO},
	    {"<nmaprun><host starttime=\"soon\"/></nmaprun>", "x.xml:1:10: bad starttime \"soon\"",
	     TM_EPROTO},
	    {"<nmaprun><host><address addr=\"1.2.3.4\" addrtype=\"mac\"/></host></nmaprun>",
	     "x.xml:1:16: bad MAC address \"1.2.3.4\"", TM_EPROTO},
	};
	struct got g;
	struct imp_stats st;
	char eb[TM_ERRLEN];
	struct buf deep;
	int rc;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		got_init(&g);
		rc = run_mem(imp_nmap_xml_mem, "x.xml", t[i].in, strlen(t[i].in), 0, &g, &st, eb);
		CHECK_INT(rc, t[i].rc);
		CHECK_STR(eb, t[i].err);
		/* with skip_bad: counted, and the reader ends well */
		rc = run_mem(imp_nmap_xml_mem, "x.xml", t[i].in, strlen(t[i].in), 1, &g, &st, eb);
		CHECK_INT(rc, 0);
		CHECK_INT(st.skipped, 1);
		CHECK_STR(st.first_error, t[i].err);
		CHECK_INT(g.nobs, 0);
		buf_fini(&g.b);
	}
	/* a host cut short by an interrupted scan: what came before stays */
	got_init(&g);
	rc = run_mem(imp_nmap_xml_mem, "x.xml",
		     "<nmaprun><host><address addr=\"00:e0:fc:00:00:01\" addrtype=\"mac\"/><ports>",
		     72, 0, &g, &st, eb);
	CHECK_INT(rc, TM_EPROTO);
	CHECK_STR(eb, "x.xml:1:73: XML: no element found");
	CHECK_STR(buf_str(&g.b), "mac|nmap|0|||00:e0:fc:00:00:01|||0/0||0|00:e0:fc:00:00:01\n");
	buf_fini(&g.b);
	/* deep nesting */
	buf_init(&deep, 1 << 16);
	for (int i = 0; i < 100; i++)
		buf_adds(&deep, "<a>");
	got_init(&g);
	rc = run_mem(imp_nmap_xml_mem, "x.xml", deep.p, deep.len, 0, &g, &st, eb);
	CHECK_INT(rc, TM_EPROTO);
	CHECK_STR(eb, "x.xml:1:193: XML nested deeper than 64 elements");
	buf_fini(&deep);
	/* one huge attribute: refused before it is all in memory */
	buf_init(&deep, 8 << 20);
	buf_adds(&deep, "<nmaprun><host><address addr=\"");
	for (int i = 0; i < 3 << 20; i++)
		buf_addc(&deep, 'a');
	buf_adds(&deep, "\"/></host></nmaprun>");
	rc = run_mem(imp_nmap_xml_mem, "x.xml", deep.p, deep.len, 0, &g, &st, eb);
	CHECK_INT(rc, TM_EPROTO);
	CHECK(strstr(eb, ": an XML token longer than 1048576 bytes") != NULL);
	buf_fini(&deep);
	buf_fini(&g.b);
}

/* ---- masscan ---- */

/* The same scan in masscan's four forms (made by masscan 1.3.2, see mkmasscan.py). */
static const char masscan_expect[] =
    "ssh_banner|masscan|1700000000|127.0.0.5|||||22/6||0|SSH-2.0-HUAWEI-1.5\n"
    "http_server|masscan|1700000000|127.0.0.5|||||80/6||0|Hikvision-Webs\n"
    "http_title|masscan|1700000000|127.0.0.5|||||80/6||0|Web Components\n"
    "service_response|masscan|1700000000|127.0.0.6|||||8080/6|GetRequest|0|HTTP/1.1 401 "
    "Unauthorized\\r\\nWWW-Authenticate: Basic realm=\"DVR\"\\r\\n\\r\\n\n"
    "http_realm|masscan|1700000000|127.0.0.6|||||8080/6||0|DVR\n"
    "ftp_banner|masscan|1700000000|127.0.0.6|||||21/6||0|220 ZXR10 FTP server ready\\r\\n\n"
    "telnet_banner|masscan|1700000000|127.0.0.6|||||23/6||0|"
    "\\xff\\xfb\\x01\\xff\\xfb\\x03\\r\\nZXAN login: \n"
    "tls_subject|masscan|1700000000|127.0.0.6|||||443/6||0|"
    "/C=CN/O=Huawei Technologies Co., Ltd./OU=Wireless/CN=HUAWEI-AP\n"
    "tls_issuer|masscan|1700000000|127.0.0.6|||||443/6||0|"
    "/C=CN/O=Huawei Technologies Co., Ltd./OU=Wireless/CN=HUAWEI-AP\n"
    "service_response|masscan|1700000000|127.0.0.6|||||8443/6|NULL|0|bm90IGEgY2VydA==\n"
    "snmp_sysdescr|masscan|1700000000|127.0.0.6|||||161/17||0|"
    "Huawei Versatile Routing Platform Software\n"
    "snmp_sysobjectid|masscan|1700000000|127.0.0.6|||||161/17||0|1.3.6.1.4.1.2011.2.23.96\n"
    "service_response|masscan|1700000000|127.0.0.6|||||9999/6|NULL|0|\\x00\\x01binary\"\\\\\n";

static void test_masscan(void)
{
	static const char *const files[] = {D "masscan-oL.txt", D "masscan-oJ.json",
					    D "masscan-oD.ndjson"};
	static const struct {
		const char *in, *err;
	} bad[] = {
	    {"open tcp 22 127.0.0.300 1700000000", "m.txt:1:1: bad address \"127.0.0.300\""},
	    {"open tcp 70000 127.0.0.1 1700000000", "m.txt:1:1: bad port"},
	    {"open tcp 22 127.0.0.1 soon", "m.txt:1:1: bad timestamp"},
	    {"banner tcp 22 127.0.0.1 1700000000", "m.txt:1:1: banner line without a service name"},
	    {"hello", "m.txt:1:1: not a masscan -oL line"},
	    {"{   \"ip\": \"127.0.0.1\",   \"timestamp\": \"1700000000\", \"ports\": [ {\"port\": "
	     "22,",
	     "m.txt:1:74: invalid JSON: '}' expected near end of file"},
	    {"{\"ip\":\"127.0.0.1\",\"ports\":[{\"proto\":\"tcp\"}]}",
	     "m.txt:1:1: record without a port"},
	};
	struct got g;
	struct imp_stats st;
	char eb[TM_ERRLEN];
	int rc;

	for (size_t i = 0; i < 3; i++) {
		got_init(&g);
		CHECK_INT(run_file(imp_masscan, files[i], 0, &g, &st, eb), 0);
		CHECK_STR(buf_str(&g.b), masscan_expect);
		CHECK_INT(st.records, 12);
		CHECK_INT(st.obs, 13);
		buf_fini(&g.b);
	}
	/* masscan's -oX imitates nmap's: read by the nmap reader, mapped the same way */
	got_init(&g);
	CHECK_INT(run_file(imp_nmap_xml, D "masscan-oX.xml", 0, &g, &st, eb), 0);
	CHECK_STR(buf_str(&g.b), masscan_expect);
	CHECK_INT(st.records, 12);
	CHECK_INT(st.obs, 13);
	buf_fini(&g.b);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		got_init(&g);
		rc =
		    run_mem(imp_masscan_mem, "m.txt", bad[i].in, strlen(bad[i].in), 0, &g, &st, eb);
		CHECK_INT(rc, TM_EPROTO);
		CHECK_STR(eb, bad[i].err);
		buf_fini(&g.b);
	}
	/* -oL and -oJ lines mixed, bad ones skipped */
	static const char mixed[] =
	    "#masscan\nhello\nbanner tcp 21 127.0.0.9 1700000000 ftp 220 ok\\x0d\\x0a\n"
	    "{\"ip\":\"::1\",\"timestamp\":1700000001,\"ports\":[{\"port\":80,\"proto\":\"tcp\","
	    "\"service\":{\"name\":\"http.server\",\"banner\":\"Webs\"}}]}\n# end\n";
	got_init(&g);
	rc = run_mem(imp_masscan_mem, "m.txt", mixed, strlen(mixed), 1, &g, &st, eb);
	CHECK_INT(rc, 0);
	CHECK_STR(buf_str(&g.b),
		  "ftp_banner|masscan|1700000000|127.0.0.9|||||21/6||0|220 ok\\r\\n\n"
		  "http_server|masscan|1700000001|::1|||||80/6||0|Webs\n");
	CHECK_INT(st.records, 3);
	CHECK_INT(st.skipped, 1);
	CHECK_STR(st.first_error, "m.txt:2:1: not a masscan -oL line");
	buf_fini(&g.b);
}

/* ---- inventory CSV ---- */

static const char inv_expect[] =
    "site|S-PAR|Paris, Gare de Lyon|48.8443|2.3744|1|OpA|IDF\n"
    "inventory_vendor|inventory|0|192.0.2.1||00:e0:fc:12:34:56|R-001|S-PAR|0/0||0|Huawei\n"
    "inventory_model|inventory|0|192.0.2.1||00:e0:fc:12:34:56|R-001|S-PAR|0/0||0|AR1220\n"
    "inventory_role|inventory|0|192.0.2.1||00:e0:fc:12:34:56|R-001|S-PAR|0/0||0|router\n"
    "inventory_serial|inventory|0|192.0.2.1||00:e0:fc:12:34:56|R-001|S-PAR|0/0||0|2102351234\n"
    "mac|inventory|0|192.0.2.1||00:e0:fc:12:34:56|R-001|S-PAR|0/0||0|00:e0:fc:12:34:56\n"
    "inventory_vendor|inventory|0||||R-002|S-PAR|0/0||0|ZTE\n"
    "inventory_model|inventory|0||||R-002|S-PAR|0/0||0|ZXR10 \"5960\"\n"
    "inventory_role|inventory|0||||R-002|S-PAR|0/0||0|switch\n"
    "site|S-LYO|Lyon|45.7600|4.8300|1|OpA|ARA\n"
    "inventory_vendor|inventory|0|2001:db8::3||44:19:b6:00:00:03|C-003|S-LYO|0/0||0|Hikvision\n"
    "inventory_model|inventory|0|2001:db8::3||44:19:b6:00:00:03|C-003|S-LYO|0/0||0|"
    "DS-2CD2143G0-I\n"
    "inventory_role|inventory|0|2001:db8::3||44:19:b6:00:00:03|C-003|S-LYO|0/0||0|camera\n"
    "mac|inventory|0|2001:db8::3||44:19:b6:00:00:03|C-003|S-LYO|0/0||0|44:19:b6:00:00:03\n"
    /* rows that declare nothing else: the asset is still there (and where, at which address) */
    "inventory_asset|inventory|0||||N-004||0/0||0|N-004\n"
    "inventory_asset|inventory|0|192.0.2.5|||N-005|S-LYO|0/0||0|N-005\n";

static void test_inventory(void)
{
	struct got g;
	struct imp_stats st;
	char eb[TM_ERRLEN];

	got_init(&g);
	CHECK_INT(run_file(imp_inventory_csv, D "inventory.csv", 0, &g, &st, eb), 0);
	CHECK_STR(buf_str(&g.b), inv_expect);
	CHECK_INT(st.records, 5);
	CHECK_INT(st.obs, 14);
	CHECK_INT(g.nsites, 2);
	buf_fini(&g.b);
	got_init(&g);
	CHECK_INT(run_file(imp_inventory_csv, D "inventory-semicolon.csv", 0, &g, &st, eb), 0);
	CHECK_STR(buf_str(&g.b), "site|S-1||0.0000|0.0000|0||\n"
				 "inventory_vendor|inventory|0||||X-1|S-1|0/0||0|Dahua\n");
	buf_fini(&g.b);
}

static const struct {
	const char *in, *err;
} inv_bad[] = {
    {"vendor,model\nHuawei,AR\n", "i.csv:1:1: missing required column \"asset_id\""},
    {"asset_id,vendor,ASSET_ID\n", "i.csv:1:17: column \"asset_id\" given twice"},
    {"", "i.csv:1:1: no header row"},
    {"asset_id,site_id,latitude,longitude\nA,S,95,2\n",
     "i.csv:2:5: latitude 95 out of range [-90, 90]"},
    {"asset_id,site_id,latitude,longitude\nA,S,45,-180.5\n",
     "i.csv:2:8: longitude -180.5 out of range [-180, 180]"},
    {"asset_id,site_id,latitude,longitude\nA,S,north,2\n", "i.csv:2:5: bad latitude \"north\""},
    {"asset_id,site_id,latitude,longitude\nA,S,45,\n",
     "i.csv:2:5: latitude given without longitude"},
    {"asset_id,latitude,longitude\nA,45,2\n", "i.csv:2:3: coordinates given without a site_id"},
    {"asset_id,mac\nA,00:11:22:33:44:zz\n", "i.csv:2:3: bad MAC address \"00:11:22:33:44:zz\""},
    {"asset_id,address\nA,192.0.2.256\n", "i.csv:2:3: bad address \"192.0.2.256\""},
    {"asset_id,vendor\n,Huawei\n", "i.csv:2:1: empty asset_id"},
    {"asset_id,vendor\nA,Huawei,extra\n", "i.csv:2:1: 3 fields where the header has 2"},
    {"asset_id,vendor\nA,\"Hua\"wei\n", "i.csv:2:8: unexpected character after a closing quote"},
    {"asset_id,vendor\nA,\"Huawei\nB,ZTE\n",
     "i.csv:2:3: quoted field not closed at the end of the file"},
    {"asset_id,vendor\nA,Hua\0wei\n", "i.csv:2:3: binary data (NUL byte) in a field"},
};

static void test_inventory_bad(void)
{
	struct got g;
	struct imp_stats st;
	char eb[TM_ERRLEN];
	size_t len;
	int rc;

	for (size_t i = 0; i < sizeof(inv_bad) / sizeof(inv_bad[0]); i++) {
		len = strlen(inv_bad[i].in);
		if (strstr(inv_bad[i].err, "NUL"))
			len = 27;
		got_init(&g);
		rc = run_mem(imp_inventory_csv_mem, "i.csv", inv_bad[i].in, len, 0, &g, &st, eb);
		CHECK_INT(rc, TM_EPROTO);
		CHECK_STR(eb, inv_bad[i].err);
		CHECK_INT(g.nobs, 0);
		buf_fini(&g.b);
	}
	/* skip_bad: bad rows counted, good rows kept */
	static const char rows[] = "asset_id,vendor,mac,site_id,latitude,longitude\n"
				   "A,Huawei,zz,S,1,1\nB,ZTE,,S,95,1\nC,Dahua,,S,1,1\n"
				   "D,\"Hik\"x,,,,\nE,Hytera,,,,\nF,\"open\n";
	got_init(&g);
	rc = run_mem(imp_inventory_csv_mem, "i.csv", rows, strlen(rows), 1, &g, &st, eb);
	CHECK_INT(rc, 0);
	CHECK_STR(buf_str(&g.b), "site|S||1.0000|1.0000|1||\n"
				 "inventory_vendor|inventory|0||||C|S|0/0||0|Dahua\n"
				 "inventory_vendor|inventory|0||||E||0/0||0|Hytera\n");
	CHECK_INT(st.records, 6);
	CHECK_INT(st.skipped, 4);
	CHECK_STR(st.first_error, "i.csv:2:10: bad MAC address \"zz\"");
	buf_fini(&g.b);
	/* site tags: any of ; , | separates, blanks around words dropped */
	static const char tagged[] = "asset_id,site_id,site_tags\nA,S,\" military , border|| port;\"\n";
	got_init(&g);
	CHECK_INT(run_mem(imp_inventory_csv_mem, "i.csv", tagged, strlen(tagged), 0, &g, &st, eb), 0);
	CHECK_STR(buf_str(&g.b), "site|S||0.0000|0.0000|0||\ntags|military;border;port\n"
				 "inventory_asset|inventory|0||||A|S|0/0||0|A\n");
	buf_fini(&g.b);
}

/* ---- format detection ---- */

static void test_detect(void)
{
	char eb[TM_ERRLEN];

	CHECK_STR(imp_detect(D "nmap.xml", eb, sizeof(eb)), "nmap-xml");
	CHECK_STR(imp_detect(D "nmap-real.xml", eb, sizeof(eb)), "nmap-xml");
	CHECK_STR(imp_detect(D "masscan-oL.txt", eb, sizeof(eb)), "masscan");
	CHECK_STR(imp_detect(D "masscan-oJ.json", eb, sizeof(eb)), "masscan");
	CHECK_STR(imp_detect(D "masscan-oD.ndjson", eb, sizeof(eb)), "masscan");
	CHECK_STR(imp_detect(D "masscan-oX.xml", eb, sizeof(eb)), "nmap-xml");
	CHECK_STR(imp_detect(D "obs.jsonl", eb, sizeof(eb)), "jsonl");
	CHECK_STR(imp_detect(D "inventory.csv", eb, sizeof(eb)), "inventory");
	CHECK_STR(imp_detect(D "inventory-semicolon.csv", eb, sizeof(eb)), "inventory");
	CHECK_STR(imp_detect_mem("x.csv", "", 0), "inventory");
	CHECK_STR(imp_detect_mem("x",
				 "\xef\xbb\xbf"
				 "Asset_Id,vendor\n",
				 19),
		  "inventory");
	CHECK_STR(imp_detect_mem("x", "open tcp 22 192.0.2.1 1700000000\n", 33), "masscan");
	CHECK(imp_detect_mem("x.bin",
			     "\x7f"
			     "ELF",
			     4) == NULL);
	CHECK(imp_detect(D "nope.xml", eb, sizeof(eb)) == NULL);
	CHECK_STR(eb, D "nope.xml: cannot open");
	CHECK(imp_detect(D "mkmasscan.py", eb, sizeof(eb)) == NULL);
	CHECK_STR(eb, D "mkmasscan.py: cannot tell the format (nmap XML, masscan, JSON Lines or "
			"inventory CSV)");
}

/* ---- streaming: chunk boundaries anywhere give the same result ---- */

static void test_chunks(void)
{
	static const struct {
		mem_fn fn;
		const char *file, *expect;
	} t[] = {
	    {imp_nmap_xml_mem, D "nmap.xml", nmap_expect},
	    {imp_inventory_csv_mem, D "inventory.csv", inv_expect},
	};
	static const size_t sizes[] = {1, 2, 3, 7, 64, 4093};
	char eb[TM_ERRLEN], *data;
	size_t len;
	struct got g;
	struct imp_stats st;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK_INT(file_read(t[i].file, 1 << 20, &data, &len, eb, sizeof(eb)), 0);
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			imp_chunk_size = sizes[k];
			got_init(&g);
			t[i].fn(t[i].file, data, len, &(struct imp_sink){on_obs, on_site, &g}, 1,
				&st, eb, sizeof(eb));
			if (t[i].fn == imp_nmap_xml_mem)
				CHECK(!strncmp(buf_str(&g.b), t[i].expect, strlen(t[i].expect)));
			else
				CHECK_STR(buf_str(&g.b), t[i].expect);
			buf_fini(&g.b);
		}
		imp_chunk_size = 0;
		mem_free(data);
	}
}

/* ---- allocation failures: each one in turn, no crash, no leak (ASan checks) ---- */

static void test_nomem(void)
{
	static const struct {
		mem_fn fn;
		const char *file;
	} t[] = {
	    {imp_jsonl_mem, D "obs.jsonl"},
	    {imp_nmap_xml_mem, D "nmap.xml"},
	    {imp_masscan_mem, D "masscan-oJ.json"},
	    {imp_masscan_mem, D "masscan-oL.txt"},
	    {imp_inventory_csv_mem, D "inventory.csv"},
	};
	char eb[TM_ERRLEN], *data;
	size_t len;
	struct got g;
	struct imp_stats st;
	int failures = 0, runs = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK_INT(file_read(t[i].file, 1 << 20, &data, &len, eb, sizeof(eb)), 0);
		for (unsigned long n = 1; n < 400; n++) {
			int rc;

			got_init(&g);
			g.quiet = 1;
			mem_fail_at(n);
			rc = t[i].fn(t[i].file, data, len, &(struct imp_sink){on_obs, on_site, &g},
				     0, &st, eb, sizeof(eb));
			mem_fail_at(0);
			buf_fini(&g.b);
			runs++;
			failures += rc != 0;
			if (!rc)
				break; /* n is past the last allocation */
		}
		mem_free(data);
	}
	CHECK(failures > 100);
	CHECK(runs > failures);
}

/* ---- links CSV: the same column driver as the inventory (import/table.c) ---- */

static int on_link(void *ctx, const struct imp_link *l)
{
	struct got *g = ctx;

	buf_printf(&g->b, "link|%s|%s|%s|%s|%s\n", l->a, l->b, l->kind, l->a_port, l->b_port);
	return 0;
}

static int run_links(const char *data, size_t len, int skip, struct got *g, struct imp_stats *st,
		     char *eb)
{
	struct imp_sink k = {on_obs, on_site, g, on_link};

	eb[0] = 0;
	return imp_links_csv_mem("l.csv", data, len, &k, skip, st, eb, TM_ERRLEN);
}

static void test_links_table(void)
{
	static const struct {
		const char *in, *err;
	} bad[] = {
	    {"kind,b\nx,y\n", "l.csv:1:1: missing required column \"a\""},
	    {" FROM ;kind\nx;y\n", "l.csv:1:1: missing required column \"b\""},
	    {"a,b,From\n", "l.csv:1:5: column \"from\" given twice"},
	    {"\"a,b\n", "l.csv:1:1: header: quoted field not closed at the end of the file"},
	    {"", "l.csv:1:1: no header row"},
	    {"a,b\nx,y,z\n", "l.csv:2:1: 3 fields where the header has 2"},
	    {"a,b\nx,\"y\"z\n", "l.csv:2:6: unexpected character after a closing quote"},
	    {"a,b\nx,y\0\n", "l.csv:2:3: binary data (NUL byte) in a field"},
	};
	struct got g;
	struct imp_stats st;
	char eb[TM_ERRLEN];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i].in);

		if (strstr(bad[i].err, "NUL"))
			len = 10;
		got_init(&g);
		CHECK_INT(run_links(bad[i].in, len, 0, &g, &st, eb), TM_EPROTO);
		CHECK_STR(eb, bad[i].err);
		CHECK_STR(buf_str(&g.b), "");
		buf_fini(&g.b);
	}
	/* aliases in any case and order, blanks around names; bad rows skipped and counted */
	static const char ok[] = " KIND ,To,from,b_port\n"
				 "fiber,R2,R1,Gi0/1\n"
				 "copper,R3,R3,\n"
				 "x,R4\n"
				 ",mac:00:e0:fc:00:00:01,ip:/192.0.2.1,\n";
	got_init(&g);
	CHECK_INT(run_links(ok, sizeof(ok) - 1, 1, &g, &st, eb), 0);
	CHECK_STR(buf_str(&g.b), "link|ref:R1|ref:R2|fiber||Gi0/1\n"
				 "link|ip:/192.0.2.1|mac:00:e0:fc:00:00:01|||\n");
	CHECK_INT(st.records, 4);
	CHECK_INT(st.obs, 2);
	CHECK_INT(st.skipped, 2);
	CHECK_STR(st.first_error, "l.csv:3:8: a link from ref:R3 to itself");
	buf_fini(&g.b);
}

/* ---- a large inventory: 100,000 rows, streamed, exact counts ---- */

static void test_big_inventory(void)
{
	char path[] = "/tmp/tm-inv-XXXXXX", eb[TM_ERRLEN];
	struct got g;
	struct imp_stats st;
	struct rusage ru0, ru1;
	struct timespec t0, t1;
	FILE *f;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs("asset_id,site_id,site_name,latitude,longitude,vendor,model,role,address,mac\n", f);
	for (long i = 0; i < 100000; i++)
		fprintf(f,
			"A%06ld,S%04ld,\"Site %ld, \"\"north\"\"\",%.4f,%.4f,Huawei,AR%ld,router,"
			"10.%ld.%ld.%ld,00:e0:fc:%02lx:%02lx:%02lx\n",
			i, i % 1000, i % 1000, (double)(i % 180) - 89.5, (double)(i % 360) - 179.5,
			i % 7, i >> 16, (i >> 8) & 255, i & 255, i >> 16, (i >> 8) & 255, i & 255);
	fclose(f);
	got_init(&g);
	g.quiet = 1;
	getrusage(RUSAGE_SELF, &ru0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(run_file(imp_inventory_csv, path, 0, &g, &st, eb), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru1);
	CHECK_INT(st.records, 100000);
	CHECK_INT(st.obs, 400000);
	CHECK_INT(g.nobs, 400000);
	CHECK_INT(g.nsites, 1000);
	CHECK_INT(st.skipped, 0);
	/* flat memory: the peak grew by less than 4 MiB for a file of 10 MB */
	CHECK(ru1.ru_maxrss - ru0.ru_maxrss < 4 * 1024);
	printf("inventory: 100000 rows in %.3f s, peak RSS +%ld KiB\n",
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       ru1.ru_maxrss - ru0.ru_maxrss);
	buf_fini(&g.b);
	unlink(path);
}

/* ---- the real nmap against a loopback banner ---- */

static const char banner_server[] = "import socket,time\n"
				    "s=socket.socket()\n"
				    "s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
				    "s.bind(('127.0.0.1',0))\n"
				    "s.listen(16)\n"
				    "print(s.getsockname()[1],flush=True)\n"
				    "s.settimeout(1)\n"
				    "end=time.time()+60\n"
				    "while time.time()<end:\n"
				    "  try:\n"
				    "    c,_=s.accept()\n"
				    "  except OSError:\n"
				    "    continue\n"
				    "  try:\n"
				    "    c.sendall(b'SSH-2.0-HUAWEI-VRP5.130\\r\\n')\n"
				    "  except OSError:\n"
				    "    pass\n"
				    "  c.close()\n";

/* The first of the candidates that is executable, or NULL. */
static const char *which(const char *const *cands)
{
	for (; *cands; cands++)
		if (access(*cands, X_OK) == 0)
			return *cands;
	return NULL;
}

/* Starts the banner server; returns its pid and port (0 on failure). */
static pid_t start_server(const char *py, unsigned *port)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = {(char *)py, "-c", (char *)banner_server, NULL};
	char line[32] = "";
	pid_t pid;
	int fds[2];
	ssize_t n = 0;
	uint64_t v;

	*port = 0;
	if (pipe(fds))
		return 0;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	if (posix_spawn(&pid, py, &fa, NULL, argv, environ))
		pid = 0;
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	for (size_t got = 0; pid && got < sizeof(line) - 1 && !memchr(line, '\n', got); got += n) {
		n = read(fds[0], line + got, sizeof(line) - 1 - got);
		if (n <= 0)
			break;
	}
	close(fds[0]);
	n = (ssize_t)strcspn(line, "\n");
	if (n > 0 && str_to_u64(line, (size_t)n, &v) && v && v < 65536)
		*port = (unsigned)v;
	return pid;
}

static int run_nmap(const char *nmap, unsigned port, const char *out)
{
	posix_spawn_file_actions_t fa;
	char ports[16];
	char *argv[] = {(char *)nmap, "-sV",	   "-Pn", "-n",	       "-p",
			ports,	      "127.0.0.1", "-oX", (char *)out, NULL};
	pid_t pid;
	int st = -1;

	snprintf(ports, sizeof(ports), "%u", port);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, nmap, &fa, NULL, argv, environ) == 0)
		waitpid(pid, &st, 0);
	posix_spawn_file_actions_destroy(&fa);
	return st;
}

static void test_real_nmap(void)
{
	static const char *const nmaps[] = {"/usr/bin/nmap", "/usr/local/bin/nmap", NULL};
	static const char *const pys[] = {"/usr/bin/python3", "/usr/local/bin/python3", NULL};
	const char *nmap = which(nmaps), *py = which(pys);
	char out[] = "/tmp/tm-nmap-XXXXXX", eb[TM_ERRLEN], want[512];
	struct got g;
	struct imp_stats st;
	unsigned port;
	time_t t0 = time(NULL);
	long long t;
	pid_t pid;
	int fd, rc;

	if (!nmap || !py) {
		printf("test_import: real nmap test SKIPPED (%s not installed)\n",
		       !nmap ? "nmap" : "python3");
		return;
	}
	pid = start_server(py, &port);
	CHECK(pid > 0 && port > 0);
	fd = mkstemp(out);
	CHECK(fd >= 0);
	close(fd);
	rc = pid > 0 && port > 0 ? run_nmap(nmap, port, out) : -1;
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	CHECK_INT(rc, 0);
	got_init(&g);
	CHECK_INT(run_file(imp_nmap_xml, out, 0, &g, &st, eb), 0);
	t = g.b.p ? strtoll(strchr(strchr(g.b.p, '|') + 1, '|') + 1, NULL, 10) : 0;
	CHECK(t >= (long long)t0 && t <= (long long)time(NULL));
	snprintf(want, sizeof(want),
		 "nmap_service|nmap|%lld|127.0.0.1|||||%u/6||0|"
		 "Huawei VRP sshd||protocol 2.0|router|VRP 5.130|ssh\n"
		 "cpe|nmap|%lld|127.0.0.1|||||%u/6||0|cpe:/o:huawei:vrp:5.130\n",
		 t, port, t, port);
	CHECK_STR(buf_str(&g.b), want);
	CHECK_INT(st.records, 1);
	buf_fini(&g.b);
	unlink(out);
}

int main(void)
{
	test_big_inventory();
	test_jsonl();
	test_jsonl_bad();
	test_nmap();
	test_nmap_real();
	test_nmap_bad();
	test_masscan();
	test_inventory();
	test_inventory_bad();
	test_links_table();
	test_detect();
	test_chunks();
	test_nomem();
	test_real_nmap();
	return check_done("test_import");
}
