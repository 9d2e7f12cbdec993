/* url.c - absolute http(s) URL splitting (url.h, RFC 3986 section 3.2). */
#include "url.h"

#include "core/err.h"
#include "core/str.h"

#include <string.h>

/* Host and optional ":port" in a[0..n) (userinfo already dropped). */
static int authority(const char *a, size_t n, char *host, size_t hcap, uint16_t *port)
{
	const char *h = a, *colon = NULL;
	size_t hl;
	uint64_t v;

	if (n && a[0] == '[') {
		const char *e = memchr(a, ']', n);

		if (!e)
			return TM_EPROTO;
		h = a + 1;
		hl = (size_t)(e - h);
		if ((size_t)(e - a) + 1 < n) {
			if (e[1] != ':')
				return TM_EPROTO;
			colon = e + 1;
		}
	} else {
		colon = memchr(a, ':', n);
		hl = colon ? (size_t)(colon - a) : n;
	}
	if (hl == 0)
		return TM_EPROTO;
	if (hl >= hcap)
		return TM_ELIMIT;
	if (colon) {
		size_t pl = n - (size_t)(colon + 1 - a);

		if (!str_to_u64(colon + 1, pl, &v) || v == 0 || v > 65535)
			return TM_EPROTO;
		*port = (uint16_t)v;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	return 0;
}

int url_split(const char *url, char *host, size_t hcap, uint16_t *port, char *path, size_t pcap)
{
	size_t n = strlen(url), skip, al;
	const char *a, *end, *at;
	int rc;

	if (hcap)
		host[0] = '\0';
	if (pcap)
		path[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			return TM_EPROTO;
	if (str_casefind(url, n, "http://") == url)
		skip = 7, *port = 80;
	else if (str_casefind(url, n, "https://") == url)
		skip = 8, *port = 443;
	else
		return TM_EUNSUP;
	a = url + skip;
	end = a + strcspn(a, "/?#");
	at = memchr(a, '@', (size_t)(end - a));
	if (at)
		a = at + 1;
	al = (size_t)(end - a);
	rc = authority(a, al, host, hcap, port);
	if (rc)
		return rc;
	if (*end == '#' || !*end)
		end = "/";
	n = strcspn(end, "#");
	if (*end == '?') {
		if (n + 1 >= pcap)
			return TM_ELIMIT;
		path[0] = '/';
		memcpy(path + 1, end, n);
		path[n + 1] = '\0';
		return 0;
	}
	if (n >= pcap)
		return TM_ELIMIT;
	memcpy(path, end, n);
	path[n] = '\0';
	return 0;
}
