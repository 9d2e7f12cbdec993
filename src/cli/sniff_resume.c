/*
 * sniff_resume.c - the resume state's text (sniff_resume.h):
 *
 *   trustmap-sniff-resume 1
 *   max-flows 262144            the capture options that shape the result
 *   flow-bytes 16384
 *   idle 300
 *   scope site-a                (absent: global)
 *   decode-as 16161 snmp        (one per --decode-as)
 *   file SIZE MTIME HASH PATH   one per capture file, in order; PATH with
 *                               '%' and newline as %25 %0a
 *   next FILE NO OFF            the packet about to be read (OFF -1: unknown)
 *   from FILE NO OFF            the packet to re-read from (the oldest flow's)
 *   born N                      the flows' first packets: N tags (FILE << 40 | NO),
 *   b D D ...                   as differences from the one before, 32 a line
 *   failed N
 *   complete 0
 *
 * Read back with a bounded line reader: a state edited by hand is refused
 * with the line it went wrong on, never trusted past its bounds.
 */
#include "sniff_resume.h"
#include "restext.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RESUME_MAGIC "trustmap-sniff-resume 1"
#define SIG_BYTES 65536 /* hashed at each end of a file */
#define BORN_LINE 32

static const struct {
	const char *name;
	enum sn_dec dec;
} decs[] = {{"dhcp4", SN_DEC_DHCP4}, {"dhcp6", SN_DEC_DHCP6}, {"snmp", SN_DEC_SNMP}, {"ssdp", SN_DEC_SSDP}};

enum sn_dec sniff_dec_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(decs) / sizeof(decs[0]); i++)
		if (!strcmp(name, decs[i].name))
			return decs[i].dec;
	return SN_DEC_COUNT;
}

static const char *dec_name(enum sn_dec d)
{
	for (size_t i = 0; i < sizeof(decs) / sizeof(decs[0]); i++)
		if (decs[i].dec == d)
			return decs[i].name;
	return "?";
}

/* ---- files ---- */

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* Hashes up to n bytes at off; 0 when the read fails. */
static int hash_at(int fd, off_t off, size_t n, uint8_t *tmp, uint64_t *h)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, tmp + got, n - got, off + (off_t)got);

		if (r < 0)
			return -1;
		if (!r)
			break;
		got += (size_t)r;
	}
	*h = fnv(*h, tmp, got);
	return 0;
}

void sniff_file_sig(const char *path, struct sniff_file *f)
{
	uint8_t *tmp = mem_alloc(SIG_BYTES);
	struct stat sb;
	uint64_t h = 1469598103934665603ULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	f->size = -1;
	f->mtime = 0;
	f->hash = 0;
	if (fd < 0 || !tmp || fstat(fd, &sb) || !S_ISREG(sb.st_mode))
		goto out;
	if (hash_at(fd, 0, SIG_BYTES, tmp, &h) ||
	    (sb.st_size > SIG_BYTES && hash_at(fd, sb.st_size > 2 * SIG_BYTES ? sb.st_size - SIG_BYTES : SIG_BYTES,
					       SIG_BYTES, tmp, &h)))
		goto out;
	f->size = (int64_t)sb.st_size;
	f->mtime = (int64_t)sb.st_mtime;
	f->hash = h;
out:
	if (fd >= 0)
		close(fd);
	mem_free(tmp);
}

int sniff_file_same(const struct sniff_file *was, const struct sniff_file *now)
{
	return was->size == now->size && was->hash == now->hash; /* mtime: a copy (cp, rsync) is the same capture */
}

/* ---- text ---- */

/* "b D D ...\n": n tags (at most BORN_LINE) as differences from *prev, then the last one. */
static int born_line(struct buf *b, const uint64_t *t, size_t n, uint64_t *prev)
{
	char line[2 + BORN_LINE * 21 + 1], dig[20], *o = line;

	*o++ = 'b';
	for (size_t i = 0; i < n; i++) {
		uint64_t d = t[i] - *prev;
		int k = 0;

		do
			dig[k++] = (char)('0' + d % 10);
		while ((d /= 10));
		*o++ = ' ';
		while (k)
			*o++ = dig[--k];
		*prev = t[i];
	}
	*o++ = '\n';
	return buf_add(b, line, (size_t)(o - line));
}

int sniff_resume_format(struct buf *b, const struct sniff_resume *r)
{
	int rc = buf_printf(b, RESUME_MAGIC "\nmax-flows %ld\nflow-bytes %ld\nidle %ld\n", r->max_flows,
			    r->flow_bytes, r->idle);
	uint64_t prev = 0;

	if (r->scope) {
		rc |= buf_adds(b, "scope ");
		rc |= restext_put(b, r->scope);
	}
	for (int i = 0; i < r->nudp_as; i++)
		rc |= buf_printf(b, "decode-as %u %s\n", (unsigned)r->udp_as[i].port, dec_name(r->udp_as[i].dec));
	for (int i = 0; i < r->nfiles; i++) {
		const struct sniff_file *f = &r->files[i];

		rc |= buf_printf(b, "file %lld %lld %llu ", (long long)f->size, (long long)f->mtime,
				 (unsigned long long)f->hash);
		rc |= restext_put(b, f->path);
	}
	rc |= buf_printf(b, "next %u %llu %lld\nfrom %u %llu %lld\nborn %zu\n", r->next.file,
			 (unsigned long long)r->next.no, (long long)r->next.off, r->from.file,
			 (unsigned long long)r->from.no, (long long)r->from.off, r->nborn);
	for (size_t i = 0; i < r->nborn; i += BORN_LINE) /* a line at a time: digits by hand, no printf */
		rc |= born_line(b, r->born + i, r->nborn - i < BORN_LINE ? r->nborn - i : BORN_LINE, &prev);
	rc |= buf_printf(b, "failed %ld\ncomplete %d\n", r->failed, r->complete ? 1 : 0);
	return rc ? TM_ENOMEM : 0;
}

void sniff_resume_fini(struct sniff_resume *r)
{
	for (int i = 0; i < r->nfiles; i++)
		mem_free(r->files[i].path);
	mem_free(r->files);
	mem_free(r->scope);
	mem_free(r->born);
	memset(r, 0, sizeof(*r));
}

static int next_i64(const char **p, const char *end, int64_t *v)
{
	const char *w;
	size_t n;

	return restext_word(p, end, &w, &n) || !str_to_i64(w, n, v) ? -1 : 0;
}

/* A whole line "KEY N" with N in [lo, hi]. */
static int line_num(const char *p, size_t n, const char *key, int64_t lo, int64_t hi, int64_t *v)
{
	size_t k = strlen(key);

	return n > k + 1 && !memcmp(p, key, k) && p[k] == ' ' && str_to_i64(p + k + 1, n - k - 1, v) && *v >= lo &&
	       *v <= hi;
}

/* "FILE NO OFF" after the key. */
static int parse_pos(const char *p, const char *end, struct cap_pos *pos)
{
	uint64_t f, no;
	int64_t off;

	if (restext_u64(&p, end, &f) || f >= SNIFF_RESUME_FILES || restext_u64(&p, end, &no) || !no ||
	    no >= (1ULL << 40) || next_i64(&p, end, &off) || off < -1 || p != end)
		return -1;
	pos->file = (uint32_t)f;
	pos->no = no;
	pos->off = off;
	return 0;
}

static int parse_file(struct sniff_resume *r, const char *p, const char *end)
{
	struct sniff_file *f, *v;
	uint64_t h;
	int64_t size, mtime;

	if (r->nfiles >= SNIFF_RESUME_FILES || next_i64(&p, end, &size) || size < -1 || next_i64(&p, end, &mtime) ||
	    restext_u64(&p, end, &h) || p >= end || *p != ' ' || p + 1 >= end)
		return -1;
	if (!(v = mem_realloc(r->files, (size_t)(r->nfiles + 1) * sizeof(*v))))
		return -1;
	r->files = v;
	f = &r->files[r->nfiles];
	memset(f, 0, sizeof(*f));
	if (!(f->path = restext_get(p + 1, (size_t)(end - p - 1))) || !f->path[0]) {
		mem_free(f->path);
		return -1;
	}
	f->size = size;
	f->mtime = mtime;
	f->hash = h;
	r->nfiles++;
	return 0;
}

/* One "b" line; the array grows with what is there, never with what "born N" claims. */
static int parse_born(struct sniff_resume *r, size_t want, size_t *cap, const char *p, const char *end)
{
	uint64_t d, prev = r->nborn ? r->born[r->nborn - 1] : 0;

	while (p < end) {
		if (r->nborn >= want || restext_u64(&p, end, &d) || (r->nborn && !d) || d > UINT64_MAX - prev)
			return -1;
		if (r->nborn == *cap) {
			size_t n = *cap ? *cap * 2 : 64;
			uint64_t *v;

			if (n > want)
				n = want;
			if (!(v = mem_realloc(r->born, n * sizeof(*v))))
				return -1;
			r->born = v;
			*cap = n;
		}
		prev += d;
		r->born[r->nborn++] = prev;
	}
	return 0;
}

/* What no single line can say: positions within the files, the flows between from and next. */
static int consistent(const struct sniff_resume *r)
{
	uint64_t from = CAP_TAG(r->from.file, r->from.no), next = CAP_TAG(r->next.file, r->next.no);

	if (!r->nfiles || r->next.file >= (uint32_t)r->nfiles || from > next)
		return 0;
	for (size_t i = 0; i < r->nborn; i++)
		if (r->born[i] < from || r->born[i] >= next)
			return 0;
	return r->nborn ? r->born[0] == from : from == next;
}

int sniff_resume_parse(const char *text, struct sniff_resume *r, char *eb, size_t el)
{
	const char *p = text, *nl, *end = text + strlen(text);
	int line = 0, seen = 0, rc = TM_EPROTO;
	size_t want_born = 0, cap_born = 0;
	int64_t v;
	enum {
		S_MAX = 1, S_BYTES = 2, S_IDLE = 4, S_NEXT = 8, S_FROM = 16, S_BORN = 32, S_FAILED = 64, S_END = 128,
		S_ALL = 255
	};

	memset(r, 0, sizeof(*r));
	for (; p < end; p = nl + 1) {
		size_t n;

		line++;
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		n = (size_t)(nl - p);
		if (line == 1) {
			if (n != strlen(RESUME_MAGIC) || memcmp(p, RESUME_MAGIC, n))
				goto bad;
		} else if (seen & S_END) {
			if (n)
				goto bad; /* nothing after the end */
		} else if (line_num(p, n, "max-flows", 1, SNIFF_RESUME_BORN, &v) && !(seen & S_MAX)) {
			r->max_flows = (long)v;
			seen |= S_MAX;
		} else if (line_num(p, n, "flow-bytes", 1, SNIFF_RESUME_BORN, &v) && !(seen & S_BYTES)) {
			r->flow_bytes = (long)v;
			seen |= S_BYTES;
		} else if (line_num(p, n, "idle", 1, INT64_C(1) << 40, &v) && !(seen & S_IDLE)) {
			r->idle = (long)v;
			seen |= S_IDLE;
		} else if (n > 6 && !memcmp(p, "scope ", 6)) {
			if (r->scope || !(r->scope = restext_get(p + 6, n - 6)))
				goto bad;
		} else if (n > 10 && !memcmp(p, "decode-as ", 10)) {
			const char *q = p + 10, *w;
			size_t wn;
			uint64_t port;
			char name[8];

			if (r->nudp_as >= CAP_UDP_AS_MAX || restext_u64(&q, nl, &port) || !port || port > 65535 ||
			    restext_word(&q, nl, &w, &wn) || q != nl || wn >= sizeof(name))
				goto bad;
			memcpy(name, w, wn);
			name[wn] = 0;
			if ((r->udp_as[r->nudp_as].dec = sniff_dec_by_name(name)) == SN_DEC_COUNT)
				goto bad;
			r->udp_as[r->nudp_as++].port = (uint16_t)port;
		} else if (n > 5 && !memcmp(p, "file ", 5)) {
			if ((seen & S_NEXT) || parse_file(r, p + 5, nl))
				goto bad;
		} else if (n > 5 && !memcmp(p, "next ", 5)) {
			if ((seen & S_NEXT) || parse_pos(p + 5, nl, &r->next))
				goto bad;
			seen |= S_NEXT;
		} else if (n > 5 && !memcmp(p, "from ", 5)) {
			if ((seen & (S_FROM | S_NEXT)) != S_NEXT || parse_pos(p + 5, nl, &r->from))
				goto bad;
			seen |= S_FROM;
		} else if (line_num(p, n, "born", 0, SNIFF_RESUME_BORN, &v)) {
			if ((seen & (S_BORN | S_FROM)) != S_FROM)
				goto bad;
			want_born = (size_t)v;
			seen |= S_BORN;
		} else if (n > 2 && !memcmp(p, "b ", 2)) {
			if ((seen & (S_BORN | S_FAILED)) != S_BORN || parse_born(r, want_born, &cap_born, p + 2, nl))
				goto bad;
		} else if (line_num(p, n, "failed", 0, INT64_C(1) << 40, &v)) {
			if ((seen & (S_BORN | S_FAILED)) != S_BORN || r->nborn != want_born)
				goto bad;
			r->failed = (long)v;
			seen |= S_FAILED;
		} else if (n == 10 && (!memcmp(p, "complete 0", 10) || !memcmp(p, "complete 1", 10))) {
			if (!(seen & S_FAILED))
				goto bad;
			r->complete = p[9] == '1';
			seen |= S_END;
		} else if (n)
			goto bad;
		if (nl == end)
			break;
	}
	if (line < 1 || seen != S_ALL || !consistent(r)) {
		line = 0;
		goto bad;
	}
	return 0;
bad:
	sniff_resume_fini(r);
	if (line)
		return err_set(eb, el, rc, "resume state, line %d: not understood", line);
	return err_set(eb, el, rc, "resume state: incomplete or inconsistent (files, positions, flows)");
}
