/*
 * str.h - small text helpers over (pointer, length) pairs: safe copy,
 * trimming, bounded case-insensitive search and strict number parsing (no
 * atoi/sscanf: every helper says whether the whole token parsed).
 */
#ifndef TM_STR_H
#define TM_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies at most dstlen-1 bytes of (src, n), stopping at a NUL; always terminates. Returns bytes copied. */
size_t str_copy(char *dst, size_t dstlen, const char *src, size_t n);
/* Same, from a C string. */
size_t str_set(char *dst, size_t dstlen, const char *src);
/* Trims ASCII white space at both ends of (*p, *n). */
void str_trim(const char **p, size_t *n);
/* Case-insensitive (ASCII) search of needle in (hay, n); pointer to the match or NULL. */
const char *str_casefind(const char *hay, size_t n, const char *needle);
bool str_caseeq(const char *a, size_t an, const char *b);
bool str_has_prefix(const char *s, size_t n, const char *prefix);
/* Lower-cases ASCII in place. */
void str_lower(char *s);
/* Whole-token parsers: false unless all n bytes form a number in range. */
bool str_to_i64(const char *s, size_t n, int64_t *out);
bool str_to_u64(const char *s, size_t n, uint64_t *out);
bool str_to_double(const char *s, size_t n, double *out);
/* Parses "aa:bb:cc:dd:ee:ff", "aa-bb-...", "aabb.ccdd.eeff" or 12 hex digits into 6 bytes. */
bool str_to_mac(const char *s, size_t n, uint8_t mac[6]);
/* Formats 6 bytes as "aa:bb:cc:dd:ee:ff" into out[18]. */
void str_mac(const uint8_t mac[6], char out[18]);
/* Parses "YYYY-MM-DD" into days since 1970-01-01; false when invalid. */
bool str_to_date(const char *s, size_t n, int64_t *days);

/* The value of an ASCII hex digit, or -1 (any other byte, a negative char included; no locale). */
static inline int str_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
