/* test_http.c - HTTP/RTSP response parsing and request building (src/proto/http.h). */
#include "check.h"
#include "core/err.h"
#include "core/mem.h"
#include "proto/http.h"

/* Parses an exact-size copy of (s, n), so ASan sees any read past the end. */
static int parse(const void *s, size_t n, struct http_resp *r)
{
	uint8_t *c = mem_alloc(n ? n : 1);
	int rc;

	memcpy(c, s, n);
	rc = http_parse(c, n, r);
	mem_free(c);
	return rc;
}

static const char hik[] =
    "HTTP/1.1 401 Unauthorized\r\n"
    "Date: Thu, 01 Jan 1970 00:07:12 GMT\r\n"
    "Server: App-webs/\r\n"
    "Content-Length: 178\r\n"
    "Content-Type: text/html\r\n"
    "Connection: close\r\n"
    "WWW-Authenticate: Digest qop=\"auth\", realm=\"IP Camera(AE424)\", "
    "nonce=\"4e5468694e7a42694e7a4d364f4449334d7a6b354d513d3d\", stale=\"FALSE\"\r\n"
    "\r\n"
    "<!DOCTYPE html>\n<html><head><title>Document Error: Unauthorized</title></head>"
    "<body><h2>Access Error: 401 -- Unauthorized</h2></body></html>";

static void test_devices(void)
{
	static const char dahua[] = "HTTP/1.1 401 Unauthorized\r\n"
				    "WWW-Authenticate: Basic realm=\"Login to 4M0D2C4PAZ3F4C2\"\r\n"
				    "Content-Length: 0\r\nServer: DNVRS-Webs\r\n\r\n";
	static const char ont[] = "HTTP/1.1 302 Moved Temporarily\n"
				  "Location: http://192.168.100.1/html/ssmp/login.asp\n"
				  "Content-Type: text/html; charset=utf-8\n\n";
	static const char rtsp[] =
	    "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n"
	    "WWW-Authenticate: Digest realm=\"8ce748a4ef2d\", nonce=\"0b1c0f87\"\r\n"
	    "Server: Hikvision-Webs\r\n\r\n";
	static const char tok[] = "HTTP/1.0 401 x\r\nWWW-Authenticate: Basic fakerealm=\"no\", "
				  "realm=router\r\n\r\n";
	struct http_resp r;

	CHECK_INT(parse(hik, strlen(hik), &r), 0);
	CHECK_INT(r.status, 401);
	CHECK_STR(r.proto, "HTTP/1.1");
	CHECK_STR(r.server, "App-webs/");
	CHECK_STR(r.realm, "IP Camera(AE424)");
	CHECK_STR(r.content_type, "text/html");
	CHECK_INT(r.content_length, 178);
	CHECK_STR(r.title, "Document Error: Unauthorized");
	CHECK_INT(r.head_done, 1);
	CHECK_INT(r.head_len, (size_t)(strstr(hik, "<!DOCTYPE") - hik));
	CHECK_INT(r.truncated, 0);
	CHECK_INT(r.malformed, 0);

	CHECK_INT(parse(dahua, strlen(dahua), &r), 0);
	CHECK_STR(r.realm, "Login to 4M0D2C4PAZ3F4C2");
	CHECK_STR(r.server, "DNVRS-Webs");
	CHECK_INT(r.content_length, 0);
	CHECK_STR(r.title, "");

	CHECK_INT(parse(ont, strlen(ont), &r), 0); /* bare LF line ends */
	CHECK_INT(r.status, 302);
	CHECK_STR(r.location, "http://192.168.100.1/html/ssmp/login.asp");
	CHECK_STR(r.content_type, "text/html; charset=utf-8");
	CHECK_INT(r.content_length, -1);
	CHECK_INT(r.head_done, 1);
	CHECK_INT(r.head_len, strlen(ont));

	CHECK_INT(parse(rtsp, strlen(rtsp), &r), 0);
	CHECK_STR(r.proto, "RTSP/1.0");
	CHECK_INT(r.status, 401);
	CHECK_STR(r.realm, "8ce748a4ef2d");
	CHECK_STR(r.server, "Hikvision-Webs");

	CHECK_INT(parse(tok, strlen(tok), &r), 0);
	CHECK_STR(r.realm, "router");
}

static void test_partial(void)
{
	static const char a[] = "HTTP/1.1 200 OK\r\nServer: Boa/0.94.14rc21\r\n\r\n"
				"<html><head><TITLE>\r\n  Web";
	static const char b[] = " Client</title></head></html>";
	char all[256];
	struct http_resp r;
	size_t n = strlen(hik);

	CHECK_INT(parse(a, strlen(a), &r), 0);
	CHECK_INT(r.head_done, 1);
	CHECK_STR(r.title, "");
	CHECK_STR(r.server, "Boa/0.94.14rc21");
	snprintf(all, sizeof(all), "%s%s", a, b);
	CHECK_INT(parse(all, strlen(all), &r), 0);
	CHECK_STR(r.title, "Web Client");
	/* every prefix: no crash, a status once the first line is in, fields never wrong */
	for (size_t k = 0; k <= n; k++) {
		CHECK_INT(parse(hik, k, &r), 0);
		CHECK(r.status == 0 || r.status == 401);
		CHECK(!r.server[0] || !strcmp(r.server, "App-webs/"));
		CHECK(r.head_done == (k >= (size_t)(strstr(hik, "<!DOCTYPE") - hik)));
	}
	CHECK_INT(parse("HT", 2, &r), 0);
	CHECK_INT(r.status, 0);
	CHECK_INT(parse("", 0, &r), 0);
}

static void test_hostile(void)
{
	size_t big = 1 << 20, n;
	char *p = mem_alloc(big + 256);
	struct http_resp r;

	/* a 1 MB header line, unterminated: truncated, head not done */
	n = (size_t)snprintf(p, 256, "HTTP/1.1 200 OK\r\nX-Junk: ");
	memset(p + n, 'A', big);
	CHECK_INT(parse(p, n + big, &r), 0);
	CHECK_INT(r.truncated, 1);
	CHECK_INT(r.head_done, 0);
	CHECK_INT(r.status, 200);
	/* the same line terminated, then more headers: those still count */
	memcpy(p + n + big - 40, "\r\nServer: after-the-flood\r\n\r\n<title>t", 37);
	CHECK_INT(parse(p, n + big - 3, &r), 0);
	CHECK_INT(r.truncated, 1);
	CHECK_STR(r.server, "after-the-flood");
	CHECK_INT(r.head_done, 1);
	/* 150 headers: the ones past 100 are dropped */
	n = (size_t)snprintf(p, 64, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < 150; i++)
		n += (size_t)snprintf(p + n, 64, "X-%d: y\r\n", i);
	n += (size_t)snprintf(p + n, 64, "Server: late\r\n\r\n");
	CHECK_INT(parse(p, n, &r), 0);
	CHECK_INT(r.truncated, 1);
	CHECK_STR(r.server, "");
	CHECK_INT(r.head_done, 1);
	/* an overlong value is cut and flagged */
	n = (size_t)snprintf(p, 64, "HTTP/1.1 200 OK\r\nServer: ");
	memset(p + n, 'S', 400);
	memcpy(p + n + 400, "\r\n\r\n", 4);
	CHECK_INT(parse(p, n + 404, &r), 0);
	CHECK_INT(strlen(r.server), 255);
	CHECK_INT(r.truncated, 1);
	mem_free(p);
	/* not HTTP */
	CHECK_INT(parse("SSH-2.0-OpenSSH_8.9\r\n", 21, &r), TM_EPROTO);
	CHECK_INT(r.malformed, 1);
	CHECK_INT(parse("HTTP/1.1 2x0 OK\r\n\r\n", 19, &r), TM_EPROTO);
	CHECK_INT(parse("HTTP/1.1 200OK\r\n\r\n", 18, &r), TM_EPROTO);
	CHECK_INT(parse("HTTP/1.1 200 OK\r\nbroken line\r\nContent-Length: -5\r\n\r\n", 52, &r), 0);
	CHECK_INT(r.malformed, 1);
	CHECK_INT(r.content_length, -1);
}

static void test_build(void)
{
	char b[512];

	CHECK_INT(http_build_get(b, sizeof(b), "127.30.0.7:20080", "/"), 122);
	CHECK_STR(b, "GET / HTTP/1.1\r\nHost: 127.30.0.7:20080\r\nUser-Agent: Mozilla/5.0 "
		     "(compatible; trustmap)\r\nAccept: */*\r\nConnection: close\r\n\r\n");
	CHECK_INT(http_build_get(b, sizeof(b), "h", "/a\r\nX-Evil: 1"), TM_EINVAL);
	CHECK_INT(http_build_get(b, sizeof(b), "h", "a"), TM_EINVAL);
	CHECK_INT(http_build_get(b, sizeof(b), "h h", "/"), TM_EINVAL);
	CHECK_INT(http_build_get(b, 20, "h", "/"), TM_ELIMIT);
	CHECK_INT(rtsp_build_options(b, sizeof(b), "rtsp://127.30.0.9:20554/", 1), 76);
	CHECK_STR(
	    b,
	    "OPTIONS rtsp://127.30.0.9:20554/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: trustmap\r\n\r\n");
	CHECK_INT(rtsp_build_options(b, sizeof(b), "", 1), TM_EINVAL);
}

int main(void)
{
	test_devices();
	test_partial();
	test_hostile();
	test_build();
	return check_done("test_http");
}
