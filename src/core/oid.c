/*
 * oid.c - parsing, formatting and PEN extraction of object identifiers (oid.h).
 * Parsing walks the text once with a pointer and a length; every arc is
 * checked for overflow digit by digit, so no input length is trusted.
 */
#include "oid.h"

#include "err.h"
#include "str.h"

#include <string.h>

/* Well-known names net-snmp and MIB tools print as the first component. */
static const struct {
	const char *name;
	uint8_t n;
	uint32_t arcs[7];
} names[] = {
    {"ccitt", 1, {0}},
    {"iso", 1, {1}},
    {"joint-iso-ccitt", 1, {2}},
    {"org", 2, {1, 3}},
    {"dod", 3, {1, 3, 6}},
    {"internet", 4, {1, 3, 6, 1}},
    {"directory", 5, {1, 3, 6, 1, 1}},
    {"mgmt", 5, {1, 3, 6, 1, 2}},
    {"mib-2", 6, {1, 3, 6, 1, 2, 1}},
    {"experimental", 5, {1, 3, 6, 1, 3}},
    {"private", 5, {1, 3, 6, 1, 4}},
    {"enterprises", 6, {1, 3, 6, 1, 4, 1}},
    {"snmpV2", 5, {1, 3, 6, 1, 6}},
};

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Drops a "MODULE::" qualifier (a MIB module name: a letter, then letters,
 * digits and '-').  Returns false when "::" follows anything else.
 */
static bool skip_module(const char **s, size_t *n)
{
	const char *c = memchr(*s, ':', *n);
	size_t m;

	if (!c)
		return true;
	m = (size_t)(c - *s);
	if (m == 0 || m + 1 >= *n || c[1] != ':')
		return false;
	for (size_t i = 0; i < m; i++) {
		char ch = (*s)[i];
		bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');

		if (!alpha && (i == 0 || (!isdig(ch) && ch != '-')))
			return false;
	}
	*s += m + 2;
	*n -= m + 2;
	return true;
}

/*
 * When the text starts with a known name, writes its arcs and consumes it
 * (and the dot after it).  Returns the arcs written, 0 if the text starts
 * with a digit or dot, TM_EPROTO for an unknown name, TM_EPROTO if max is
 * too small.
 */
static int lead_name(const char **s, size_t *n, uint32_t *arcs, int max)
{
	size_t len = 0;

	if (!*n || isdig(**s) || **s == '.')
		return 0;
	while (len < *n && (*s)[len] != '.')
		len++;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].name) != len || memcmp(*s, names[i].name, len))
			continue;
		if (names[i].n > max)
			return TM_EPROTO;
		memcpy(arcs, names[i].arcs, names[i].n * sizeof(arcs[0]));
		*s += len;
		*n -= len;
		if (*n) { /* a dot follows; the rest must not be empty */
			(*s)++, (*n)--;
			if (!*n)
				return TM_EPROTO;
		}
		return names[i].n;
	}
	return TM_EPROTO;
}

int oid_parse(const char *s, size_t n, uint32_t *arcs, int max)
{
	int k;

	if (max <= 0 || !s)
		return max <= 0 ? TM_EINVAL : TM_EPROTO;
	str_trim(&s, &n);
	if (!skip_module(&s, &n))
		return TM_EPROTO;
	k = lead_name(&s, &n, arcs, max);
	if (k < 0)
		return k;
	if (k == 0 && n && *s == '.')
		s++, n--;
	if (!n)
		return k > 0 ? k : TM_EPROTO;
	for (;;) {
		uint64_t v = 0;
		size_t d = 0;

		while (d < n && isdig(s[d])) {
			v = v * 10 + (uint64_t)(s[d] - '0');
			if (v > UINT32_MAX)
				return TM_EPROTO;
			d++;
		}
		if (!d || k >= max)
			return TM_EPROTO;
		arcs[k++] = (uint32_t)v;
		s += d, n -= d;
		if (!n)
			return k;
		if (*s != '.' || n == 1)
			return TM_EPROTO;
		s++, n--;
	}
}

bool oid_has_prefix(const uint32_t *a, int n, const uint32_t *prefix, int pn)
{
	if (pn < 0 || n < pn)
		return false;
	for (int i = 0; i < pn; i++)
		if (a[i] != prefix[i])
			return false;
	return true;
}

int oid_format(const uint32_t *arcs, int n, char *out, size_t outlen)
{
	size_t o = 0;

	if (!outlen)
		return TM_ELIMIT;
	for (int i = 0; i < n; i++) {
		char tmp[12];
		size_t t = 0;
		uint32_t v = arcs[i];

		do
			tmp[t++] = (char)('0' + v % 10);
		while (v /= 10);
		if (o + t + (i > 0) >= outlen) {
			out[0] = 0;
			return TM_ELIMIT;
		}
		if (i > 0)
			out[o++] = '.';
		while (t)
			out[o++] = tmp[--t];
	}
	out[o] = 0;
	return 0;
}

int oid_pen(const uint32_t *arcs, int n, uint32_t *pen)
{
	static const uint32_t ent[] = {1, 3, 6, 1, 4, 1};

	if (n < 7 || !oid_has_prefix(arcs, n, ent, 6))
		return TM_ENOTFOUND;
	*pen = arcs[6];
	return 0;
}
