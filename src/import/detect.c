/*
 * detect.c - which reader fits a file (imp_detect): decided from its first
 * bytes (XML with <nmaprun, masscan's "#masscan" or JSON records with "ip"
 * and "ports", other JSON objects, a CSV header naming asset_id), and from
 * the file name's extension only when the bytes do not say.
 */
#include "imp_int.h"

#include "../core/err.h"
#include "../core/str.h"

#include <stdio.h>
#include <string.h>

#define SNIFF 4096

/* The extension's answer, or NULL. */
static const char *by_name(const char *file)
{
	const char *dot = file ? strrchr(file, '.') : NULL;
	size_t n = dot ? strlen(dot + 1) : 0;

	if (!dot)
		return NULL;
	if (str_caseeq(dot + 1, n, "xml"))
		return "nmap-xml";
	if (str_caseeq(dot + 1, n, "jsonl") || str_caseeq(dot + 1, n, "ndjson"))
		return "jsonl";
	if (str_caseeq(dot + 1, n, "csv"))
		return "inventory";
	return NULL;
}

/* Does the line (p, n) look like masscan -oL ("open tcp 22 ...")? */
static bool masscan_list(const char *p, size_t n)
{
	return str_has_prefix(p, n, "#masscan") || str_has_prefix(p, n, "open tcp ") ||
	       str_has_prefix(p, n, "open udp ") || str_has_prefix(p, n, "banner tcp ") ||
	       str_has_prefix(p, n, "banner udp ") || str_has_prefix(p, n, "closed tcp ");
}

/* Is (p, n) a links CSV header: first fields "a" and "b" (any case, any of , ; tab)? */
static bool links_header(const char *p, size_t n)
{
	char sep = n > 1 && (p[1] == ';' || p[1] == '\t') ? p[1] : ',';

	return n >= 3 && (p[0] == 'a' || p[0] == 'A') && p[1] == sep && (p[2] == 'b' || p[2] == 'B') &&
	       (n == 3 || p[3] == sep || p[3] == '\r');
}

const char *imp_detect_mem(const char *file, const char *data, size_t len)
{
	const char *p = data, *l;
	size_t n = len < SNIFF ? len : SNIFF, ln;
	struct rd r;

	if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3, n -= 3;
	str_trim(&p, &n);
	if (!n)
		return by_name(file);
	if (p[0] == '<')
		return str_casefind(p, n, "<nmaprun") ? "nmap-xml" : by_name(file);
	if ((p[0] == '[' || p[0] == '{') && str_casefind(p, n, "\"ip\"") &&
	    (str_casefind(p, n, "\"ports\"") || str_casefind(p, n, "\"rec_type\"")))
		return "masscan";
	if (p[0] == '{')
		return "jsonl";
	rd_init(&r, p, n);
	if (rd_line(&r, &l, &ln, n, NULL)) {
		if (masscan_list(l, ln))
			return "masscan";
		if (str_casefind(l, ln, "asset_id"))
			return "inventory";
		if (links_header(l, ln))
			return "links";
	}
	return by_name(file);
}

const char *imp_detect(const char *path, char *eb, size_t el)
{
	char buf[SNIFF];
	size_t n;
	FILE *f;
	const char *fmt;

	if (!strcmp(path, "-")) {
		err_set(eb, el, TM_EINVAL, "cannot tell the format of standard input: name it");
		return NULL;
	}
	f = fopen(path, "rb");
	if (!f) {
		err_set(eb, el, TM_ENOTFOUND, "%s: cannot open", path);
		return NULL;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	fmt = imp_detect_mem(path, buf, n);
	if (!fmt)
		err_set(
		    eb, el, TM_EUNSUP,
		    "%s: cannot tell the format (nmap XML, masscan, JSON Lines or inventory CSV)",
		    path);
	return fmt;
}
