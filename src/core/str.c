/* str.c - text helpers of str.h. */
#include "str.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t str_copy(char *dst, size_t dstlen, const char *src, size_t n)
{
	size_t l;

	if (!dstlen)
		return 0;
	l = src ? strnlen(src, n) : 0;
	if (l > dstlen - 1)
		l = dstlen - 1;
	if (l)
		memcpy(dst, src, l);
	dst[l] = 0;
	return l;
}

size_t str_set(char *dst, size_t dstlen, const char *src)
{
	return str_copy(dst, dstlen, src, src ? strlen(src) : 0);
}

void str_trim(const char **p, size_t *n)
{
	while (*n && isspace((unsigned char)**p))
		(*p)++, (*n)--;
	while (*n && isspace((unsigned char)(*p)[*n - 1]))
		(*n)--;
}

const char *str_casefind(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	if (!m)
		return hay;
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;

		while (j < m && tolower((unsigned char)hay[i + j]) == tolower((unsigned char)needle[j]))
			j++;
		if (j == m)
			return hay + i;
	}
	return NULL;
}

bool str_caseeq(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);

	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

bool str_has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t m = strlen(prefix);

	return n >= m && memcmp(s, prefix, m) == 0;
}

void str_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Copies a token into a NUL-terminated scratch buffer; false if too long or empty. */
static bool token(const char *s, size_t n, char *tmp, size_t tmplen)
{
	if (!n || n >= tmplen || memchr(s, 0, n))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	return !isspace((unsigned char)tmp[0]);
}

bool str_to_i64(const char *s, size_t n, int64_t *out)
{
	char tmp[32], *end;
	long long v;

	if (!token(s, n, tmp, sizeof(tmp)))
		return false;
	errno = 0;
	v = strtoll(tmp, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

bool str_to_u64(const char *s, size_t n, uint64_t *out)
{
	char tmp[32], *end;
	unsigned long long v;

	if (!token(s, n, tmp, sizeof(tmp)) || tmp[0] == '-' || tmp[0] == '+')
		return false;
	errno = 0;
	v = strtoull(tmp, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

bool str_to_double(const char *s, size_t n, double *out)
{
	char tmp[64], *end;
	double v;

	if (!token(s, n, tmp, sizeof(tmp)))
		return false;
	errno = 0;
	v = strtod(tmp, &end);
	if (errno || *end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

bool str_to_mac(const char *s, size_t n, uint8_t mac[6])
{
	int digits = 0;
	uint8_t out[6] = {0};

	for (size_t i = 0; i < n; i++) {
		int v = str_hexval(s[i]);

		if (v < 0) {
			if (s[i] != ':' && s[i] != '-' && s[i] != '.')
				return false;
			continue;
		}
		if (digits >= 12)
			return false;
		out[digits / 2] = (uint8_t)(out[digits / 2] << 4 | v);
		digits++;
	}
	if (digits != 12)
		return false;
	memcpy(mac, out, 6);
	return true;
}

void str_mac(const uint8_t mac[6], char out[18])
{
	static const char hx[] = "0123456789abcdef";

	for (int i = 0; i < 6; i++) {
		out[i * 3] = hx[mac[i] >> 4];
		out[i * 3 + 1] = hx[mac[i] & 15];
		out[i * 3 + 2] = i == 5 ? 0 : ':';
	}
}

bool str_to_date(const char *s, size_t n, int64_t *days)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t y, m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	if (!str_to_i64(s, 4, &y) || !str_to_i64(s + 5, 2, &m) || !str_to_i64(s + 8, 2, &d))
		return false;
	if (m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return false;
	/* days from civil (Howard Hinnant's algorithm) */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*days = era * 146097 + doe - 719468;
	return true;
}
