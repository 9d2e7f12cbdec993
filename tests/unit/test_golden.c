/*
 * test_golden.c - attribution accuracy on tests/golden/corpus.tsv, a corpus
 * of real devices' banners, sysDescrs, OUIs and sysObjectIDs with their true
 * makers (tests/golden/README.md).  Each row is attributed alone with the
 * full knowledge base; a prediction is right when it names exactly the
 * expected vendor (the figures for "same corporate family" are printed too).
 * Prints precision and recall and fails below 0.97, listing every miss.
 */
#include "check.h"
#include "attr/attr.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/str.h"
#include "kb/kb.h"
#include "kb/vendor.h"

#include <stdlib.h>

static int unescape(const char *s, size_t n, struct buf *out)
{
	static const char hx[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			buf_addc(out, s[i]);
			continue;
		}
		char c = s[++i];
		if (c == 'r')
			buf_addc(out, '\r');
		else if (c == 'n')
			buf_addc(out, '\n');
		else if (c == 't')
			buf_addc(out, '\t');
		else if (c == '\\')
			buf_addc(out, '\\');
		else if (c == 'x' && i + 2 < n && strchr(hx, s[i + 1] | 32) && strchr(hx, s[i + 2] | 32)) {
			int hi = (int)(strchr(hx, s[i + 1] | 32) - hx), lo = (int)(strchr(hx, s[i + 2] | 32) - hx);
			buf_addc(out, (char)(hi << 4 | lo));
			i += 2;
		} else {
			buf_addc(out, '\\');
			buf_addc(out, c);
		}
	}
	return 0;
}

int main(void)
{
	struct kb *kb;
	struct attr_scratch *s;
	struct cand c[64];
	struct lr l;
	char eb[TM_ERRLEN];
	const char *line;
	size_t len;
	long rows = 0, expected = 0, predicted = 0, correct = 0, correct_family = 0, negatives = 0;
	struct buf val;

	if (kb_load(&kb, NULL, eb, sizeof(eb))) {
		fprintf(stderr, "kb: %s\n", eb);
		CHECK(0);
		return check_done("test_golden");
	}
	s = attr_scratch_new(kb);
	buf_init(&val, 0);
	CHECK_INT(lr_open(&l, "tests/golden/corpus.tsv", 1 << 16, eb, sizeof(eb)), 0);
	while (l.f && lr_next(&l, &line, &len) == 1) {
		const char *f[4] = {0};
		size_t fl[4] = {0};
		int nf = 0;
		const char *p = line, *end = line + len;

		if (!len || line[0] == '#')
			continue;
		while (nf < 4 && p <= end) {
			const char *tab = memchr(p, '\t', (size_t)(end - p));

			f[nf] = p;
			fl[nf++] = tab ? (size_t)(tab - p) : (size_t)(end - p);
			if (!tab)
				break;
			p = tab + 1;
		}
		if (nf < 3) {
			fprintf(stderr, "corpus.tsv:%lu: fewer than 3 fields\n", l.lineno);
			CHECK(0);
			continue;
		}
		struct obs o = {0};
		o.kind = obs_kind_from_name(f[0], fl[0]);
		if (o.kind == OBS_NONE) {
			fprintf(stderr, "corpus.tsv:%lu: unknown kind\n", l.lineno);
			CHECK(0);
			continue;
		}
		buf_reset(&val);
		unescape(f[1], fl[1], &val);
		o.value = (const uint8_t *)val.p;
		o.len = val.len;
		if (o.kind == OBS_SERVICE_RESPONSE) {
			/* the note says which probe the bytes answered: "probe=GetRequest; ..." */
			str_set(o.probe, sizeof(o.probe), "NULL");
			if (nf > 3 && str_has_prefix(f[3], fl[3], "probe=")) {
				const char *semi = memchr(f[3], ';', fl[3]);
				size_t pl = (semi ? (size_t)(semi - f[3]) : fl[3]) - 6;

				str_copy(o.probe, sizeof(o.probe), f[3] + 6, pl);
			}
		}
		int want = -1;
		if (!(fl[2] == 1 && f[2][0] == '-')) {
			want = vreg_find(kb->vr, f[2], fl[2]);
			if (want < 0) {
				fprintf(stderr, "corpus.tsv:%lu: unknown vendor '%.*s'\n", l.lineno,
					(int)fl[2], f[2]);
				CHECK(0);
				continue;
			}
		}
		int n = attr_candidates(kb, s, &o, 0, c, 64);
		struct attribution a;
		attr_fuse(kb->vr, c, n, &a);
		/*
		 * A lone MAC or agent string answers "whose part is this": a NIC or
		 * module maker is the right answer for the observation itself,
		 * though fusion never makes it the device's maker.
		 */
		if (a.vendor < 0 && a.component_vendor >= 0 && (o.kind == OBS_MAC || o.kind == OBS_LLDP_CHASSIS))
			a.vendor = a.component_vendor;
		rows++;
		expected += want >= 0;
		negatives += want < 0;
		predicted += a.vendor >= 0;
		int ok = a.vendor >= 0 && want >= 0 && a.vendor == want;
		int fam_ok = a.vendor >= 0 && want >= 0 &&
			     vreg_family(kb->vr, a.vendor, -1) == vreg_family(kb->vr, want, -1);
		correct += ok;
		correct_family += fam_ok;
		if ((a.vendor >= 0 || want >= 0) && !ok)
			fprintf(stderr, "miss corpus.tsv:%lu: %s '%.*s' expected %.*s, got %s (%s)\n",
				l.lineno, obs_kind_name(o.kind), (int)(fl[1] > 80 ? 80 : fl[1]), f[1],
				(int)fl[2], f[2], a.vendor >= 0 ? vreg_get(kb->vr, a.vendor)->id : "none",
				a.best >= 0 ? c[a.best].rule : "-");
	}
	lr_close(&l);
	double precision = predicted ? (double)correct / predicted : 0;
	double recall = expected ? (double)correct / expected : 0;
	printf("golden: %ld rows (%ld with a vendor, %ld negative), %ld predictions, %ld correct\n",
	       rows, expected, negatives, predicted, correct);
	printf("golden: exact vendor:   precision %.4f recall %.4f\n", precision, recall);
	printf("golden: same family:    precision %.4f recall %.4f\n",
	       predicted ? (double)correct_family / predicted : 0,
	       expected ? (double)correct_family / expected : 0);
	CHECK(rows >= 300);
	CHECK(precision >= 0.97);
	CHECK(recall >= 0.97);
	buf_fini(&val);
	attr_scratch_free(s);
	kb_free(kb);
	return check_done("test_golden");
}
