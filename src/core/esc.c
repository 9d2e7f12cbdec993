/* esc.c - escaping helpers of esc.h. */
#include "esc.h"

#include <string.h>

static const char hex[] = "0123456789abcdef";

int esc_term(struct buf *b, const void *vp, size_t n)
{
	const unsigned char *p = vp;
	char x[4] = {'\\', 'x', 0, 0};
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		unsigned char c = p[i];

		if (c == '\\')
			rc = buf_add(b, "\\\\", 2);
		else if (c == '\r')
			rc = buf_add(b, "\\r", 2);
		else if (c == '\n')
			rc = buf_add(b, "\\n", 2);
		else if (c == '\t')
			rc = buf_add(b, "\\t", 2);
		else if (c >= 0x20 && c < 0x7f)
			rc = buf_addc(b, (char)c);
		else {
			x[2] = hex[c >> 4];
			x[3] = hex[c & 15];
			rc = buf_add(b, x, 4);
		}
	}
	return rc;
}

/* Length of a valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t need;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

int esc_json(struct buf *b, const void *vp, size_t n)
{
	const unsigned char *p = vp;
	char u[6] = {'\\', 'u', '0', '0', 0, 0};
	int rc = 0;

	for (size_t i = 0; i < n && !rc;) {
		unsigned char c = p[i];
		size_t l;

		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			rc = buf_add(b, e, 2);
			i++;
		} else if (c == '\n') {
			rc = buf_add(b, "\\n", 2), i++;
		} else if (c == '\r') {
			rc = buf_add(b, "\\r", 2), i++;
		} else if (c == '\t') {
			rc = buf_add(b, "\\t", 2), i++;
		} else if (c < 0x20 || c == 0x7f) {
			u[4] = hex[c >> 4], u[5] = hex[c & 15];
			rc = buf_add(b, u, 6), i++;
		} else if ((l = utf8_len(p + i, n - i)) > 0) {
			/* U+2028/2029 break JavaScript embedding: escape them too */
			if (l == 3 && p[i] == 0xe2 && p[i + 1] == 0x80 && (p[i + 2] & 0xfe) == 0xa8)
				rc = buf_adds(b, p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
			else
				rc = buf_add(b, p + i, l);
			i += l;
		} else {
			/* not UTF-8: keep the byte's value as a Latin-1 code point */
			u[4] = hex[c >> 4], u[5] = hex[c & 15];
			rc = buf_add(b, u, 6), i++;
		}
	}
	return rc;
}

int esc_json_str(struct buf *b, const char *s)
{
	int rc = buf_addc(b, '"');

	if (!rc)
		rc = esc_json(b, s, strlen(s));
	if (!rc)
		rc = buf_addc(b, '"');
	return rc;
}

/*
 * Would a spreadsheet run this cell as a formula?  It starts with = + - @ and
 * is not simply a number or a lone dash.
 */
static int formula(const unsigned char *p, size_t n)
{
	size_t i = 1;
	int digits = 0;

	if (!n || !strchr("=+-@", p[0]) || !p[0])
		return 0;
	if (p[0] == '=' || p[0] == '@')
		return 1;
	if (n == 1)
		return 0;
	for (; i < n && ((p[i] >= '0' && p[i] <= '9') || p[i] == '.'); i++)
		digits = 1;
	return !(digits && i == n);
}

int esc_csv(struct buf *b, const void *vp, size_t n)
{
	const unsigned char *p = vp;
	int quote = 0, rc = 0;

	for (size_t i = 0; i < n; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
			quote = 1;
	if (quote)
		rc = buf_addc(b, '"');
	if (!rc && formula(p, n))
		rc = buf_addc(b, '\'');
	for (size_t i = 0; i < n && !rc;) {
		unsigned char c = p[i];
		size_t j = i;

		/* a run of bytes that go out as they are, in one append */
		while (j < n && p[j] != '"' && (p[j] >= 0x20 || p[j] == '\r' || p[j] == '\n' || p[j] == '\t'))
			j++;
		if (j > i) {
			rc = buf_add(b, p + i, j - i);
			i = j;
		} else if (c == '"') {
			rc = buf_add(b, "\"\"", 2);
			i++;
		} else {
			char x[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			rc = buf_add(b, x, 4);
			i++;
		}
	}
	if (!rc && quote)
		rc = buf_addc(b, '"');
	return rc;
}

int esc_html(struct buf *b, const void *vp, size_t n)
{
	const unsigned char *p = vp;
	int rc = 0;

	for (size_t i = 0; i < n && !rc;) {
		unsigned char c = p[i];
		size_t l;

		switch (c) {
		case '&': rc = buf_adds(b, "&amp;"), i++; continue;
		case '<': rc = buf_adds(b, "&lt;"), i++; continue;
		case '>': rc = buf_adds(b, "&gt;"), i++; continue;
		case '"': rc = buf_adds(b, "&quot;"), i++; continue;
		case '\'': rc = buf_adds(b, "&#39;"), i++; continue;
		}
		if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f && c < 0x80)) {
			rc = buf_addc(b, (char)c), i++;
		} else if (c >= 0x80 && (l = utf8_len(p + i, n - i)) > 0) {
			rc = buf_add(b, p + i, l), i += l;
		} else {
			rc = buf_adds(b, "\xef\xbf\xbd"), i++;
		}
	}
	return rc;
}
