/* test_core.c - the product-agnostic helpers: reader, buffer, arena, escaping, text, files, mem. */
#include "check.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/obs.h"
#include "core/rd.h"
#include "core/str.h"

#include <stdlib.h>
#include <unistd.h>

static void test_rd(void)
{
	static const uint8_t b[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
	struct rd r, s;

	rd_init(&r, b, sizeof(b));
	CHECK_INT(rd_u8(&r), 1);
	CHECK_INT(rd_be16(&r), 0x0203);
	CHECK_INT(rd_le16(&r), 0x0504);
	s = rd_sub(&r, 2);
	CHECK_INT(rd_left(&s), 2);
	CHECK_INT(rd_be16(&s), 0x0607);
	CHECK_INT(rd_u8(&s), 0); /* past the child's end */
	CHECK(!rd_ok(&s));
	CHECK(rd_ok(&r)); /* parent unaffected */
	CHECK_INT(rd_left(&r), 2);
	CHECK_INT(rd_be32(&r), 0); /* short read */
	CHECK(!rd_ok(&r));
	CHECK_INT(rd_u8(&r), 0); /* sticky */
	CHECK_INT(r.err, TM_EPROTO);

	rd_init(&r, b, sizeof(b));
	s = rd_sub(&r, 100); /* lying length */
	CHECK(!rd_ok(&s));
	CHECK(!rd_ok(&r));
	rd_init(&r, b, sizeof(b));
	rd_skip(&r, (size_t)-1); /* overflowing skip */
	CHECK(!rd_ok(&r));
	rd_init(&r, b, 3);
	CHECK_INT(rd_peek(&r, 2), 3);
	CHECK_INT(rd_peek(&r, 3), -1);
}

static void test_rd_line(void)
{
	const char *t = "one\r\ntwo\n\nlonglongline\nlast";
	const char *l;
	size_t n;
	bool cut;
	struct rd r;

	rd_init(&r, t, strlen(t));
	CHECK(rd_line(&r, &l, &n, 100, &cut));
	CHECK_INT(n, 3);
	CHECK(!memcmp(l, "one", 3));
	CHECK(rd_line(&r, &l, &n, 100, &cut));
	CHECK(!memcmp(l, "two", 3));
	CHECK(rd_line(&r, &l, &n, 100, &cut));
	CHECK_INT(n, 0);
	CHECK(rd_line(&r, &l, &n, 4, &cut));
	CHECK_INT(n, 4);
	CHECK(cut);
	CHECK(rd_line(&r, &l, &n, 100, &cut));
	CHECK(!memcmp(l, "last", 4) && n == 4);
	CHECK(!rd_line(&r, &l, &n, 100, &cut));
}

static void test_buf(void)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK_INT(buf_adds(&b, "abcd"), 0);
	CHECK_INT(buf_printf(&b, "%d", 123), 0);
	CHECK_STR(buf_str(&b), "abcd123");
	CHECK_INT(buf_adds(&b, "xy"), TM_ELIMIT); /* ceiling */
	CHECK_STR(buf_str(&b), "abcd123");	  /* unchanged */
	CHECK_INT(buf_addc(&b, 'z'), 0);
	CHECK_INT(b.len, 8);
	buf_reset(&b);
	CHECK_STR(buf_str(&b), "");
	buf_fini(&b);

	/* allocation failure leaves the buffer as it was */
	buf_init(&b, 0);
	buf_adds(&b, "keep");
	mem_fail_at(1);
	char big[200];
	memset(big, 'x', sizeof(big));
	CHECK_INT(buf_add(&b, big, sizeof(big)), TM_ENOMEM);
	CHECK_STR(buf_str(&b), "keep");
	buf_fini(&b);
}

static void test_arena(void)
{
	struct arena *a = arena_new(64);
	char *s;
	void *big;

	CHECK(a != NULL);
	s = arena_strdup(a, "hello");
	CHECK_STR(s, "hello");
	big = arena_alloc(a, 1000); /* bigger than a chunk */
	CHECK(big != NULL);
	CHECK(((uintptr_t)big & 15) == 0);
	memset(big, 1, 1000);
	for (int i = 0; i < 100; i++)
		CHECK(arena_alloc(a, 7) != NULL);
	arena_reset(a);
	CHECK_INT(arena_used(a), 0);
	CHECK_STR(arena_strndup(a, "abcdef", 3), "abc");
	arena_free(a);
	arena_free(NULL);
}

static void test_esc(void)
{
	struct buf b;

	buf_init(&b, 0);
	esc_term(&b, "a\x1b[31m\n\xff", 8);
	CHECK_STR(buf_str(&b), "a\\x1b[31m\\n\\xff");
	buf_reset(&b);
	esc_json(&b, "q\"\\\x01\xc3\xa9\xff", 7);
	CHECK_STR(buf_str(&b), "q\\\"\\\\\\u0001\xc3\xa9\\u00ff");
	buf_reset(&b);
	esc_csv(&b, "a,b\"c", 5);
	CHECK_STR(buf_str(&b), "\"a,b\"\"c\"");
	buf_reset(&b);
	esc_csv(&b, "=cmd()", 6);
	CHECK_STR(buf_str(&b), "'=cmd()");
	buf_reset(&b);
	esc_csv(&b, "-2.5", 4);
	esc_csv(&b, "-", 1);
	esc_csv(&b, "+1+cmd", 6);
	CHECK_STR(buf_str(&b), "-2.5-'+1+cmd");
	buf_reset(&b);
	esc_html(&b, "<script>alert('x')</script>&", 28);
	CHECK_STR(buf_str(&b), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;");
	buf_fini(&b);
}

static void test_str(void)
{
	int64_t v, d;
	uint64_t u;
	double x;
	uint8_t mac[6];
	char m[18], small[4];
	const char *p = "  hi  ";
	size_t n = 6;

	CHECK(str_to_i64("-42", 3, &v) && v == -42);
	CHECK(!str_to_i64("42x", 3, &v));
	CHECK(!str_to_i64("", 0, &v));
	CHECK(!str_to_i64("99999999999999999999", 20, &v));
	CHECK(!str_to_u64("-1", 2, &u));
	CHECK(str_to_double("48.85", 5, &x) && fabs(x - 48.85) < 1e-12);
	CHECK(!str_to_double("nan", 3, &x));
	CHECK(str_to_mac("00-E0-FC-12-34-56", 17, mac));
	str_mac(mac, m);
	CHECK_STR(m, "00:e0:fc:12:34:56");
	CHECK(str_to_mac("00e0.fc12.3456", 14, mac) && mac[5] == 0x56);
	CHECK(!str_to_mac("00:e0:fc:12:34", 14, mac));
	CHECK(!str_to_mac("00:e0:fc:12:34:56:78", 20, mac));
	str_trim(&p, &n);
	CHECK_INT(n, 2);
	CHECK(str_casefind("Huawei VRP", 10, "vrp") != NULL);
	CHECK(str_casefind("Huawei", 6, "huaweix") == NULL);
	CHECK_INT(str_set(small, sizeof(small), "abcdef"), 3);
	CHECK_STR(small, "abc");
	CHECK(str_to_date("1970-01-01", 10, &d) && d == 0);
	CHECK(str_to_date("2021-03-12", 10, &d) && d == 18698);
	CHECK(str_to_date("2024-02-29", 10, &d));
	CHECK(!str_to_date("2023-02-29", 10, &d));
	CHECK(!str_to_date("2023-13-01", 10, &d));
}

static void test_obs(void)
{
	struct obs o = {0};
	static uint8_t big[OBS_VALUE_MAX + 10];

	CHECK_STR(obs_kind_name(OBS_SSH_BANNER), "ssh_banner");
	CHECK_INT(obs_kind_from_name("SNMP_SYSDESCR", 13), OBS_SNMP_SYSDESCR);
	CHECK_INT(obs_kind_from_name("nope", 4), OBS_NONE);
	for (int k = 1; k < OBS_KIND_COUNT; k++) {
		const char *nm = obs_kind_name((enum obs_kind)k);
		CHECK_INT(obs_kind_from_name(nm, strlen(nm)), k);
	}
	obs_set_value(&o, big, sizeof(big));
	CHECK_INT(o.len, OBS_VALUE_MAX);
	CHECK(o.flags & OBS_TRUNCATED);
}

/* file_read sizes its buffer from the file's size: sizes around its 64 KiB steps and ceilings, and empty files. */
static void test_file_sizes(void)
{
	static const size_t sizes[] = {0, 1, 65535, 65536, 65537, 131072, 200001};
	char path[] = "/tmp/tm-test-XXXXXX", eb[TM_ERRLEN], *data;
	size_t len;
	int fd = mkstemp(path);
	char *want = mem_alloc(200001);

	CHECK(fd >= 0 && want);
	if (fd < 0 || !want)
		return;
	for (size_t i = 0; i < 200001; i++)
		want[i] = (char)(i * 7 + i / 251);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t z = sizes[k];

		CHECK(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0);
		CHECK(write(fd, want, z) == (ssize_t)z);
		CHECK_INT(file_read(path, z, &data, &len, eb, sizeof(eb)), 0);
		CHECK_INT(len, z);
		CHECK(data && !memcmp(data, want, z) && data[z] == 0);
		mem_free(data);
		CHECK_INT(file_read(path, 1u << 20, &data, &len, eb, sizeof(eb)), 0);
		CHECK_INT(len, z);
		CHECK(data && !memcmp(data, want, z) && data[z] == 0);
		mem_free(data);
		if (z) {
			CHECK_INT(file_read(path, z - 1, &data, &len, eb, sizeof(eb)), TM_ELIMIT);
			CHECK(data == NULL);
		}
	}
	CHECK_INT(file_read("/dev/null", 10, &data, &len, eb, sizeof(eb)), 0); /* not regular: read to the end */
	CHECK_INT(len, 0);
	mem_free(data);
	close(fd);
	unlink(path);
	mem_free(want);
}

static void test_files(void)
{
	char path[] = "/tmp/tm-test-XXXXXX", eb[TM_ERRLEN];
	int fd = mkstemp(path);
	char *data;
	size_t len;
	struct lr l;
	const char *line;
	size_t n;

	CHECK(fd >= 0);
	CHECK(write(fd, "a\nbb\r\nccc\0d\nlast", 16) == 16);
	close(fd);
	CHECK_INT(file_read(path, 100, &data, &len, eb, sizeof(eb)), 0);
	CHECK_INT(len, 16);
	mem_free(data);
	CHECK_INT(file_read(path, 10, &data, &len, eb, sizeof(eb)), TM_ELIMIT);
	CHECK(data == NULL);
	CHECK(strstr(eb, path) != NULL);
	CHECK_INT(file_read("/nonexistent/x", 10, &data, &len, eb, sizeof(eb)), TM_ENOTFOUND);
	CHECK_INT(file_read(path, 16, &data, &len, eb, sizeof(eb)), 0); /* exactly the ceiling */
	CHECK_INT(len, 16);
	CHECK(data && !memcmp(data, "a\nbb\r\nccc\0d\nlast", 16) && data[16] == 0);
	mem_free(data);
	CHECK_INT(file_read(path, 15, &data, &len, eb, sizeof(eb)), TM_ELIMIT);
	CHECK(data == NULL);
	test_file_sizes();

	CHECK_INT(lr_open(&l, path, 2, eb, sizeof(eb)), 0);
	CHECK_INT(lr_next(&l, &line, &n), 1);
	CHECK_STR(line, "a");
	CHECK_INT(lr_next(&l, &line, &n), 1);
	CHECK_STR(line, "bb");
	CHECK(!l.cut);
	CHECK_INT(lr_next(&l, &line, &n), 1);
	CHECK(l.cut && n == 2);
	CHECK(l.binary);
	CHECK_INT(l.lineno, 3);
	CHECK_INT(lr_next(&l, &line, &n), 1);
	CHECK_INT(lr_next(&l, &line, &n), 0);
	lr_close(&l);
	unlink(path);
}

int main(void)
{
	test_rd();
	test_rd_line();
	test_buf();
	test_arena();
	test_esc();
	test_str();
	test_obs();
	test_files();
	return check_done("test_core");
}
