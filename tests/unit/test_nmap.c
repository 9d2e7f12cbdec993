/*
 * test_nmap.c - nmap-service-probes as knowledge: the parser on a hand-made
 * file (directives, delimiters, bad lines, templates with $P, $SUBST, $I,
 * fallbacks), then Debian's real file: what nmap 7.93 itself reports for a
 * dozen banners (recorded by running nmap -sV against a loopback server),
 * the Hyperscan and portable prefilters giving identical hits, both equal to
 * trying every regex in order, and a hostile 1 MB response.  TM_BENCH=1
 * also prints matches per second (engine modes and the naive loop).
 */
#include "check.h"
#include "attr/mre.h"
#include "attr/mre_int.h"
#include "core/err.h"
#include "core/log.h"
#include "kb/nmap.h"
#include "kb/nmap_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static const char probes[] =
	"# test probes\n"							/* 1 */
	"Exclude T:9100-9107\n"							/* 2 */
	"\n"									/* 3 */
	"Probe TCP NULL q||\n"							/* 4 */
	"totalwaitms 6000\n"							/* 5 */
	"softmatch ssh m|^SSH-([\\d.]+)-| i/protocol $1/\n"			/* 6 */
	"match ssh m|^SSH-([\\d.]+)-OpenSSH_([\\w.]+)\\r?\\n| p/OpenSSH/ v/$2/ i/protocol $1/ "
	"cpe:/a:openbsd:openssh:$2/\n"						/* 7 */
	"match ftp m=^220 (\\S+) FTP= p|Foo FTP| h/$1/ o/Unix/\n"		/* 8 */
	"match bad1 m|unterminated\n"						/* 9 */
	"match bad2 m|a(b| p/x/\n"						/* 10 */
	"bogus directive\n"							/* 11 */
	"match tmpl m|^T(x)?(y)?(z)?| p/[$1]/ v/[$2]/ i/$3/ h/$4/ o/a$Q(1)/ d/d$/\n" /* 12 */
	"Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"			/* 13 */
	"rarity 1\n"								/* 14 */
	"ports 80,8080\n"							/* 15 */
	"fallback Other,Missing\n"						/* 16 */
	"match http m|^HTTP/1\\.0 200 OK\\r\\nServer: Webs/([\\d_]+)\\r\\n| p/Webs/ "
	"v/$SUBST(1,\"_\",\".\")/\n"						/* 17 */
	"match http m|^HTTP/1\\.0 200 OK\\r\\nX-Name: ([^\\r\\n]*)\\r\\n|i p/$P(1)/ "
	"i/ trailing ,, / h/   $1 , ,/\n"					/* 18 */
	"match bin m|^\\x01(..)|s v/$I(1,\">\")/ i/$I(1,\"<\")/ d/$I(1,\"?\")/\n" /* 19 */
	"match cpe m|^CPE (\\w+) (\\w+)| p|a/b| cpe:/a:Vendor Name:$1 $2/ cpe:/h:x:$2/a z/1/\n" /* 20 */
	"match long m|^LONG (.*)| p/$1/ v/$1/\n"				/* 21 */
	"match cpe2 m|^CPE2 (.*)$| cpe:/a:v:$1/ v/$SUBST(1,\"\\x41\",\"\\n\")/\n" /* 22 */
	"Probe TCP Other q|x\\x41\\0|\n"					/* 23 */
	"match other m|^OTHER| p/other/\n"					/* 24 */
	"Probe UDP Other q|y|\n"						/* 25 */
	"match udpother m|^OTHER| p/udp other/\n"				/* 26 */
	"Probe UDP Lone q|z|\n"							/* 27 */
	"rarity 12\n"								/* 28 */
	"match lone m|^LONE| p/lone/\n";					/* 29 */

static int match(const struct nmap_db *db, struct nmap_scratch *s, const char *probe,
		 const char *resp, size_t n, struct nmap_hit *h, int max)
{
	return nmap_match(db, s, probe, (const uint8_t *)resp, n, h, max);
}

static int matchs(const struct nmap_db *db, struct nmap_scratch *s, const char *probe,
		  const char *resp, struct nmap_hit *h)
{
	memset(h, 0x55, sizeof(*h) * 4);
	return match(db, s, probe, resp, strlen(resp), h, 4);
}

static void test_parse(void)
{
	struct nmap_db *db;
	struct nmap_scratch *s;
	struct nmap_hit h[4];
	char eb[TM_ERRLEN];
	const uint8_t *pl;
	size_t pn;

	log_set_level(LOG_ERROR); /* the bad lines are meant */
	CHECK_INT(nmap_new(&db), 0);
	CHECK_INT(nmap_parse(db, "t.probes", probes, sizeof(probes) - 1, eb, sizeof(eb)), 0);
	CHECK_INT(nmap_compile(db, NULL, eb, sizeof(eb)), 0);
	log_set_level(LOG_WARN);
	CHECK_INT(nmap_parse(db, "t.probes", probes, 10, eb, sizeof(eb)), TM_EINVAL);
	CHECK_INT(nmap_count(db), 13);
	CHECK_INT(nmap_bad_lines(db), 5); /* lines 9, 10, 11, 20 (kept, z/ ignored), 28 */
	CHECK_INT(nmap_probe_count(db), 5);
	pl = nmap_probe_payload(db, "GetRequest", &pn);
	CHECK(pl && pn == 18 && !memcmp(pl, "GET / HTTP/1.0\r\n\r\n", 18));
	pl = nmap_probe_payload(db, "Other", &pn);
	CHECK(pl && pn == 3 && !memcmp(pl, "xA\0", 3));
	CHECK(nmap_probe_payload(db, "Nope", &pn) == NULL && pn == 0);
	s = nmap_scratch_new(db);
	CHECK(s != NULL);

	/* soft matches before the hard one come too, in file order */
	CHECK_INT(matchs(db, s, "NULL", "SSH-2.0-OpenSSH_8.4\r\n", h), 2);
	CHECK(h[0].soft && !h[1].soft);
	CHECK_STR(h[0].service, "ssh");
	CHECK_INT(h[0].line, 6);
	CHECK_STR(h[0].info, "protocol 2.0");
	CHECK_INT(h[1].line, 7);
	CHECK_STR(h[1].product, "OpenSSH");
	CHECK_STR(h[1].version, "8.4");
	CHECK_STR(h[1].info, "protocol 2.0");
	CHECK_STR(h[1].hostname, "");
	CHECK_INT(h[1].ncpe, 1);
	CHECK_STR(h[1].cpe[0], "cpe:/a:openbsd:openssh:8.4");
	CHECK_INT(h[1].lit, 15);
	CHECK_INT(match(db, s, "NULL", "SSH-2.0-OpenSSH_8.4\r\n", 21, h, 1), 1);
	CHECK(!h[0].soft && h[0].line == 7); /* the hard match keeps its place */
	CHECK_INT(match(db, s, "NULL", "SSH-2.0-OpenSSH_8.4\r\n", 21, h, 0), 0);
	CHECK_INT(matchs(db, s, "NULL", "SSH-2.0-dropbear\r\n", h), 1);
	CHECK(h[0].soft && h[0].line == 6);
	CHECK_INT(matchs(db, s, "NULL", "220 host FTP\r\n", h), 1);
	CHECK_STR(h[0].product, "Foo FTP");
	CHECK_STR(h[0].hostname, "host");
	CHECK_STR(h[0].os, "Unix");

	/* $n of a group that took no part: empty; past the last one that did, or unknown $-forms: field empty */
	CHECK_INT(matchs(db, s, "NULL", "Ty", h), 1);
	CHECK_STR(h[0].product, "[]");
	CHECK_STR(h[0].version, "[y]");
	CHECK_STR(h[0].info, "");
	CHECK_STR(h[0].hostname, "");
	CHECK_STR(h[0].os, "");
	CHECK_STR(h[0].devtype, "");
	CHECK_INT(matchs(db, s, "NULL", "Txyz", h), 1);
	CHECK_STR(h[0].product, "[x]");
	CHECK_STR(h[0].info, "z");

	/* the probe's own lines, then its fallbacks, then NULL (TCP) */
	CHECK_INT(matchs(db, s, "GetRequest", "HTTP/1.0 200 OK\r\nServer: Webs/1_2_3\r\n", h), 1);
	CHECK_STR(h[0].product, "Webs");
	CHECK_STR(h[0].version, "1.2.3");
	CHECK_INT(matchs(db, s, "GetRequest", "http/1.0 200 ok\r\nx-name: a\001b\177c\r\n", h), 1);
	CHECK_STR(h[0].product, "abc");
	CHECK_STR(h[0].info, " trailing");
	CHECK_STR(h[0].hostname, "   a\001b\177c");
	CHECK_INT(match(db, s, "GetRequest", "\001\001\002", 3, h, 4), 1);
	CHECK_STR(h[0].version, "258");
	CHECK_STR(h[0].info, "513");
	CHECK_STR(h[0].devtype, "");
	CHECK_INT(matchs(db, s, "GetRequest", "CPE Foo Bar", h), 1);
	CHECK_STR(h[0].product, "a/b");
	CHECK_INT(h[0].ncpe, 2);
	CHECK_STR(h[0].cpe[0], "cpe:/a:Vendor Name:foo bar");
	CHECK_STR(h[0].cpe[1], "cpe:/h:x:bar");
	CHECK_INT(matchs(db, s, "GetRequest", "CPE2 A b/c%A", h), 1);
	CHECK_STR(h[0].cpe[0], "cpe:/a:v:a_b%2Fc%25a");
	CHECK_STR(h[0].version, "\n b/c%"); /* trailing white space trimmed */
	CHECK_INT(matchs(db, s, "GetRequest", "LONG AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", h), 1);
	CHECK_INT(strlen(h[0].product), 63);
	CHECK_INT(strlen(h[0].version), 47);
	CHECK_INT(matchs(db, s, "GetRequest", "OTHER", h), 1);
	CHECK_STR(h[0].service, "other"); /* TCP Other, not UDP Other */
	CHECK_INT(matchs(db, s, "GetRequest", "SSH-2.0-OpenSSH_1\r\n", h), 2);
	CHECK_INT(h[1].line, 7);
	CHECK_INT(matchs(db, s, "UDP:Other", "OTHER", h), 1);
	CHECK_STR(h[0].service, "udpother");
	CHECK_INT(matchs(db, s, "UDP:Other", "SSH-2.0-x\r\n", h), 0); /* no NULL for UDP */
	CHECK_INT(matchs(db, s, "Other", "OTHER", h), 1);
	CHECK_STR(h[0].service, "other");
	CHECK_INT(matchs(db, s, "tcp:Other", "OTHER", h), 1);
	CHECK_INT(matchs(db, s, "Lone", "LONE", h), 1);
	CHECK_STR(h[0].product, "lone");
	CHECK_INT(matchs(db, s, "NoSuch", "LONE", h), TM_ENOTFOUND);
	CHECK_INT(matchs(db, s, "NULL", "", h), 0);
	CHECK_INT(nmap_match(db, s, "NULL", NULL, 0, h, 4), 0);
	CHECK_INT(nmap_match(NULL, s, "NULL", NULL, 0, h, 4), TM_EINVAL);
	CHECK_INT(nmap_match(db, s, "NULL", NULL, 0, NULL, 4), TM_EINVAL);
	nmap_scratch_free(s);
	nmap_free(db);
	nmap_free(NULL);
}

/* What nmap 7.93 (Debian 12) reports, from nmap -sV -Pn -n --version-trace against a loopback server. */
struct truth {
	const char *probe, *resp;
	const char *service;
	int soft;
	unsigned line;
	const char *product, *version, *info, *hostname, *os, *devtype, *cpe0;
};

static const struct truth truths[] = {
	{"NULL", "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1\r\n", "ssh", 0, 3525, "OpenSSH",
	 "8.4p1 Debian 5+deb11u1", "protocol 2.0", "", "Linux", "", "cpe:/a:openbsd:openssh:8.4p1"},
	{"NULL", "SSH-2.0--\r\n", "ssh", 1, 3770, "", "", "protocol 2.0", "", "", "", NULL},
	{"NULL", "SSH-2.0-HUAWEI-1.5\r\n", "ssh", 0, 3644, "Huawei WAP sshd", "1.5", "protocol 2.0",
	 "", "", "WAP", NULL},
	{"NULL", "SSH-2.0-Cisco-1.25\r\n", "ssh", 0, 3589, "Cisco SSH", "1.25", "protocol 2.0", "",
	 "IOS", "", "cpe:/a:cisco:ssh:1.25"},
	{"NULL", "220 (vsFTPd 3.0.3)\r\n", "ftp", 0, 789, "vsftpd", "3.0.3", "", "", "Unix", "",
	 "cpe:/a:vsftpd:vsftpd:3.0.3"},
	{"NULL", "220 ProFTPD 1.3.5 Server (Debian) [::ffff:127.0.0.1]\r\n", "ftp", 0, 745, "ProFTPD",
	 "1.3.5", "", "", "Unix", "", "cpe:/a:proftpd:proftpd:1.3.5"},
	{"NULL", "220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n", "smtp", 0, 3137,
	 "Postfix smtpd", "", "", " mail.example.com", "", "", "cpe:/a:postfix:postfix"},
	{"GetRequest",
	 "HTTP/1.0 302 Redirect\r\nServer: Webs\r\nDate: Thu Jan  1 00:00:00 1970\r\nPragma: "
	 "no-cache\r\nCache-Control: no-cache\r\nContent-Type: text/html\r\nLocation: "
	 "http://192.168.1.64/index.asp\r\n\r\n",
	 "http", 0, 10168, "Hikvision DVR web UI", "", "", "", "", "media device", NULL},
	{"GetRequest",
	 "HTTP/1.0 302 Redirect\r\nServer: Hikvision-Webs\r\nDate: Thu Jan  1 00:00:00 "
	 "1970\r\nPragma: no-cache\r\nCache-Control: no-cache\r\nContent-Type: "
	 "text/html\r\nLocation: http://192.168.1.64:80/index.asp\r\n\r\n",
	 "http", 0, 9811, "Hikvision DVR httpd", "", "", "192.168.1.64", "", "media device", NULL},
	{"GetRequest",
	 "HTTP/1.0 302 Redirect\r\nServer: GoAhead-Webs\r\nDate: Sat Jan  1 00:00:00 2000\r\nPragma: "
	 "no-cache\r\nCache-Control: no-cache\r\nContent-Type: text/html\r\nLocation: "
	 "http://10.0.0.1/login.asp\r\n\r\n",
	 "http", 0, 7159, "GoAhead WebServer", "", "", "", "", "",
	 "cpe:/a:goahead:goahead_webserver"},
	{"GetRequest",
	 "HTTP/1.1 200 OK\r\nDate: Mon, 27 Nov 2023 10:00:00 GMT\r\nServer: Apache/2.4.56 "
	 "(Debian)\r\nLast-Modified: Mon, 27 Nov 2023 09:00:00 GMT\r\nContent-Length: "
	 "45\r\nContent-Type: text/html\r\n\r\n<html><body><h1>It works!</h1></body></html>",
	 "http", 0, 10510, "Apache httpd", "2.4.56", "(Debian)", "", "", "",
	 "cpe:/a:apache:http_server:2.4.56"},
	{"GetRequest",
	 "HTTP/1.1 200 OK\r\nServer: nginx/1.18.0 (Ubuntu)\r\nDate: Mon, 27 Nov 2023 10:00:00 "
	 "GMT\r\nContent-Type: text/html\r\nContent-Length: 12\r\nConnection: close\r\n\r\nhello "
	 "world\n",
	 "http", 0, 6949, "nginx", "1.18.0", "Ubuntu", "", "Linux", "",
	 "cpe:/a:igor_sysoev:nginx:1.18.0"},
	{"RTSPRequest",
	 "RTSP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"device\"\r\nServer: Dahua "
	 "Rtsp Server\r\nContent-Length: 0\r\n\r\n",
	 "rtsp", 0, 12147, "Dahua IP camera rtspd", "", "", "", "", "", NULL},
	/* nmap: "unknown" */
	{"GetRequest",
	 "HTTP/1.0 200 OK\r\nServer: Webs\r\nDate: Fri Jan  1 00:00:00 2021\r\nPragma: "
	 "no-cache\r\nContent-Type: text/html\r\n\r\n<html><head><title>Login</title></head></html>",
	 NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
#define NTRUTHS (sizeof(truths) / sizeof(truths[0]))

/* More of what scans meet, for the path comparisons and the benchmark. */
static const char *const mix[][2] = {
	{"NULL", "SSH-2.0-OpenSSH_7.4\r\n"},
	{"NULL", "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1\r\n"},
	{"NULL", "SSH-2.0-dropbear_2019.78\r\n"},
	{"NULL", "SSH-1.99-Cisco-1.25\r\n"},
	{"NULL", "SSH-2.0-ROSSSH\r\n"},
	{"NULL", "SSH-2.0-HUAWEI-VRP3.3\r\n"},
	{"NULL", "220 Microsoft FTP Service\r\n"},
	{"NULL", "220-FileZilla Server 0.9.60 beta\r\n220-written by Tim Kosse\r\n"},
	{"NULL", "220 Welcome to the FTP server\r\n"},
	{"NULL", "220 mx.example.org ESMTP Exim 4.96 Mon, 27 Nov 2023 10:00:00 +0000\r\n"},
	{"NULL", "220 mail.example.com ESMTP Sendmail 8.15.2/8.15.2; Mon, 27 Nov 2023 10:00:00 GMT\r\n"},
	{"NULL", "220 EXCH01.corp.local Microsoft ESMTP MAIL Service ready at Mon, 27 Nov 2023 "
		 "10:00:00 +0000\r\n"},
	{"NULL", "\r\n\r\nUser Access Verification\r\n\r\nUsername: "},
	{"NULL", "\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f\r\nLogin authentication\r\n\r\n\r\n"
		 "Username:"},
	{"NULL", "\r\nBusyBox v1.22.1 (2014-05-22 14:01:53 CST) built-in shell (ash)\r\n"},
	{"NULL", "+OK Dovecot ready.\r\n"},
	{"NULL", "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE "
		 "AUTH=PLAIN] Dovecot (Debian) ready.\r\n"},
	{"GetRequest", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nServer: Microsoft-IIS/10.0\r\n"
		       "X-Powered-By: ASP.NET\r\nDate: Mon, 27 Nov 2023 10:00:00 GMT\r\n"
		       "Content-Length: 0\r\n\r\n"},
	{"GetRequest", "HTTP/1.1 401 Unauthorized\r\nServer: Boa/0.94.14rc21\r\nWWW-Authenticate: "
		       "Basic realm=\"Router\"\r\nContent-Type: text/html\r\n\r\n<HTML><HEAD><TITLE>"
		       "401 Unauthorized</TITLE></HEAD></HTML>\n"},
	{"GetRequest", "HTTP/1.0 200 OK\r\nServer: micro_httpd\r\nCache-Control: no-cache\r\nDate: "
		       "Mon, 27 Nov 2023 10:00:00 GMT\r\nContent-Type: text/html\r\nConnection: "
		       "close\r\n\r\n<html><head><title>Login</title></head></html>"},
	{"GetRequest", "HTTP/1.1 200 OK\r\nDate: Mon, 27 Nov 2023 10:00:00 GMT\r\nServer: "
		       "lighttpd/1.4.59\r\nContent-Length: 5\r\n\r\nhello"},
	{"GetRequest", "HTTP/1.1 404 Not Found\r\nServer: foo\r\nContent-Length: 0\r\n\r\n"},
	{"GetRequest", "HTTP/1.1 200 OK\r\nDate: Mon, 27 Nov 2023 10:00:00 GMT\r\nServer: "
		       "App-webs/\r\nContent-Type: text/html\r\n\r\n"},
	{"RTSPRequest", "RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: Hikvision-Webs\r\nPublic: OPTIONS, "
			"DESCRIBE, SETUP\r\n\r\n"},
	{"RTSPRequest", "RTSP/1.0 405 Method Not Allowed\r\nServer: Dahua Rtsp Server\r\n"
			"Content-Length: 0\r\nCSeq: 0\r\n\r\n"},
	{"GenericLines", "\r\n\r\nUser Access Verification\r\n\r\nUsername: \r\n% Username:  "
			 "timeout expired!\r\n"},
	{"SSLSessionReq", "\x15\x03\x01\x00\x02\x02\x28"},
};
#define NMIX (sizeof(mix) / sizeof(mix[0]))

static const char *bench_probe(size_t i)
{
	return i < NTRUTHS ? truths[i].probe : mix[i - NTRUTHS][0];
}

static const char *bench_resp(size_t i)
{
	return i < NTRUTHS ? truths[i].resp : mix[i - NTRUTHS][1];
}

/* The real file with a prefilter policy: NULL (auto), "hyperscan" or "portable". */
static struct nmap_db *load_real(const char *policy)
{
	struct nmap_db *db = NULL;
	char eb[TM_ERRLEN], cache[1024];
	int have = !mre_cache_dir(cache, sizeof(cache));

	if (policy)
		setenv("TRUSTMAP_PREFILTER", policy, 1);
	if (nmap_load(&db, NMAP_PROBES_PATH, have ? cache : NULL, eb, sizeof(eb)))
		fprintf(stderr, "%s\n", eb);
	unsetenv("TRUSTMAP_PREFILTER");
	return db;
}

static void test_truths(const struct nmap_db *db, struct nmap_scratch *s)
{
	struct nmap_hit h[4];

	for (size_t i = 0; i < NTRUTHS; i++) {
		const struct truth *t = &truths[i];
		int n = matchs(db, s, t->probe, t->resp, h);
		if (!t->service) {
			CHECK_INT(n, 0);
			continue;
		}
		CHECK_INT(n, 1);
		if (n < 1)
			continue;
		CHECK_STR(h[n - 1].service, t->service);
		CHECK_INT(h[n - 1].soft, t->soft);
		CHECK_INT(h[n - 1].line, t->line);
		CHECK_STR(h[n - 1].product, t->product);
		CHECK_STR(h[n - 1].version, t->version);
		CHECK_STR(h[n - 1].info, t->info);
		CHECK_STR(h[n - 1].hostname, t->hostname);
		CHECK_STR(h[n - 1].os, t->os);
		CHECK_STR(h[n - 1].devtype, t->devtype);
		CHECK_STR(h[n - 1].cpe[0], t->cpe0 ? t->cpe0 : "");
	}
	/* nmap prints one CPE per part, the last; we keep them all */
	CHECK_INT(matchs(db, s, "NULL", truths[0].resp, h), 1);
	CHECK_INT(h[0].ncpe, 3);
	CHECK_STR(h[0].cpe[1], "cpe:/o:debian:debian_linux");
	CHECK_STR(h[0].cpe[2], "cpe:/o:linux:linux_kernel");
}

/* Every regex of the probe's chain tried in file order: soft ones kept, the first hard one ends it. */
static int naive(const struct nmap_db *db, const char *probe, const uint8_t *p, size_t n,
		 unsigned *lines, pcre2_match_data *md, pcre2_match_context *mc)
{
	const struct nmap_probe *pr = &db->pr[nmap_find_probe(db, probe)];
	int k = 0;

	for (int c = 0; c < pr->nchain; c++) {
		const struct mre *m = db->pr[pr->chain[c]].mre;
		for (size_t i = 0; i < m->n; i++) {
			const struct nmap_line *l = &db->ln[m->pat[i].id];
			if (pcre2_match(mre_code_of(m, i), p, n, 0, 0, md, mc) < 0)
				continue;
			lines[k++] = l->line;
			if (!l->soft)
				return k;
		}
	}
	return k;
}

/* Each policy gives the same hits as the others and as trying every regex in order. */
static void test_paths(struct nmap_db *const *db, int ndb)
{
	struct nmap_scratch *s[4];
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	struct nmap_hit a[16], b[16];
	unsigned lines[64];
	int same = 1, agree = 1, hits = 0;

	pcre2_set_match_limit(mc, MRE_MATCH_LIMIT);
	pcre2_set_depth_limit(mc, MRE_DEPTH_LIMIT);
	for (int d = 0; d < ndb; d++)
		s[d] = nmap_scratch_new(db[d]);
	for (size_t i = 0; i < NTRUTHS + NMIX; i++) {
		const char *probe = bench_probe(i), *r = bench_resp(i);
		size_t n = strlen(r);
		int na = match(db[0], s[0], probe, r, n, a, 16);
		int k = naive(db[0], probe, (const uint8_t *)r, n, lines, md, mc);
		for (int d = 1; d < ndb; d++) {
			int nb = match(db[d], s[d], probe, r, n, b, 16);
			if (nb != na || memcmp(a, b, (size_t)(na > 0 ? na : 0) * sizeof(a[0]))) {
				fprintf(stderr, "policy %d differs on %s response %zu\n", d, probe, i);
				same = 0;
			}
		}
		for (int j = 0; j < k && j < na; j++)
			agree &= a[j].line == lines[j];
		if (na != k) {
			fprintf(stderr, "naive %d vs engine %d on %s response %zu\n", k, na, probe, i);
			agree = 0;
		}
		hits += na > 0;
	}
	CHECK(same);
	CHECK(agree);
	/* unknown to nmap 7.93: the Webs page, this FileZilla, the BusyBox shell, lighttpd
	 * answering HTTP/1.1, "Server: foo", the TLS alert (its line is under GetRequest) */
	CHECK_INT(hits, NTRUTHS + NMIX - 6);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	for (int d = 0; d < ndb; d++)
		nmap_scratch_free(s[d]);
}

/* A hostile megabyte: it must come back (the limits), whichever path. */
static void test_hostile(const struct nmap_db *db)
{
	struct nmap_scratch *s = nmap_scratch_new(db);
	size_t n = 1 << 20;
	char *r = malloc(n);
	struct nmap_hit h[4];

	memcpy(r, "HTTP/1.1 200 OK\r\nServer: ", 25);
	memset(r + 25, 'a', n - 25);
	for (size_t i = 1000; i < n; i += 997)
		r[i] = ' ';
	CHECK(match(db, s, "GetRequest", r, n, h, 4) >= 0);
	memset(r, '\0', n);
	CHECK(match(db, s, "NULL", r, n, h, 4) >= 0);
	free(r);
	nmap_scratch_free(s);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Matches per second over the whole set, best of several rounds (the machine is shared). */
static double rate(const struct nmap_db *db, int use_naive)
{
	struct nmap_scratch *s = nmap_scratch_new(db);
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	struct nmap_hit h[8];
	unsigned lines[64];
	size_t total = NTRUTHS + NMIX;
	int reps = use_naive ? 1 : 200;
	double best = 1e9;

	pcre2_set_match_limit(mc, MRE_MATCH_LIMIT);
	pcre2_set_depth_limit(mc, MRE_DEPTH_LIMIT);
	for (int round = 0; round < 5; round++) {
		double t0 = now();
		for (int r = 0; r < reps; r++)
			for (size_t i = 0; i < total; i++) {
				const char *p = bench_probe(i), *b = bench_resp(i);
				if (use_naive)
					naive(db, p, (const uint8_t *)b, strlen(b), lines, md, mc);
				else
					match(db, s, p, b, strlen(b), h, 8);
			}
		double dt = (now() - t0) / reps;
		if (dt < best)
			best = dt;
	}
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	nmap_scratch_free(s);
	return (double)total / best;
}

/* TM_BENCH=1 runs every mode; TM_BENCH=2..6 only that one (for profiling). */
static void bench(const char *which)
{
	static const char *const names[] = {"auto+jit", "hyperscan+jit", "portable+jit", "auto",
					    "naive loop"};
	static const char *const policy[] = {NULL, "hyperscan", "portable", NULL, "portable"};

	for (int mode = 0; mode < 5; mode++) {
		struct nmap_db *db;
		double t0;
		if (which[0] != '1' && which[0] - '2' != mode)
			continue;
		if (mode == 3)
			setenv("TRUSTMAP_NO_JIT", "1", 1);
		t0 = now();
		db = load_real(policy[mode]);
		t0 = now() - t0;
		unsetenv("TRUSTMAP_NO_JIT");
		if (!db)
			continue;
		rate(db, mode == 4); /* JIT compiles happen on first use: warm up */
		printf("bench: %-14s %9.0f matches/s (load %.3f s, Hyperscan takes %zu of %zu)\n",
		       names[mode], rate(db, mode == 4), t0, nmap_prefiltered(db), nmap_count(db));
		nmap_free(db);
	}
}

/* Regexes mre_add left to their first use, over every probe. */
static size_t lazy_count(const struct nmap_db *db)
{
	size_t n = 0;

	for (size_t i = 0; i < db->npr; i++)
		n += db->pr[i].mre->nlazy;
	return n;
}

static void test_real(void)
{
	/* the last: auto, every regex compiled at load (TRUSTMAP_MRE_EAGER=1) */
	static const char *const policy[] = {NULL, "hyperscan", "portable", NULL};
	static const size_t expect_hs[] = {104, 11917, 0, 104};
	struct nmap_db *db[4] = {NULL, NULL, NULL, NULL};
	struct nmap_scratch *s;
	int d;

	if (access(NMAP_PROBES_PATH, R_OK)) {
		fprintf(stderr, "test_nmap: %s missing (install nmap-common)\n", NMAP_PROBES_PATH);
		CHECK(0);
		return;
	}
	for (d = 0; d < 4; d++) {
		/* the first run on a machine builds the Hyperscan databases (~25 s), then cached */
		if (d == 3)
			setenv("TRUSTMAP_MRE_EAGER", "1", 1);
		db[d] = load_real(policy[d]);
		unsetenv("TRUSTMAP_MRE_EAGER");
		CHECK(db[d] != NULL);
		if (!db[d])
			goto out;
		CHECK_INT(nmap_count(db[d]), 11917); /* Debian 12 nmap-common 7.93 */
		CHECK_INT(nmap_bad_lines(db[d]), 0);
		CHECK_INT(nmap_probe_count(db[d]), 148);
		CHECK_INT(nmap_prefiltered(db[d]), expect_hs[d]);
		CHECK_INT(lazy_count(db[d]), d == 3 ? 0 : 11861); /* the other 56 compiled at load */
		s = nmap_scratch_new(db[d]);
		test_truths(db[d], s);
		nmap_scratch_free(s);
	}
	test_paths(db, 4);
	test_hostile(db[0]);
	test_hostile(db[2]);
out:
	for (d = 0; d < 4; d++)
		nmap_free(db[d]);
	if (getenv("TM_BENCH"))
		bench(getenv("TM_BENCH"));
}

int main(void)
{
	test_parse();
	test_real();
	return check_done("test_nmap");
}
