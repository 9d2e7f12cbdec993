/*
 * fuzz_oui.c - the OUI parsers on arbitrary bytes.  The first byte chooses
 * the IEEE CSV (even) or manuf (odd) parser, the second the window size;
 * the text is parsed whole and again streamed through windows the way
 * oui_load does, and both must agree on every count and message.
 */
#include "core/err.h"
#include "core/mem.h"
#include "kb/oui.h"
#include "kb/oui_int.h"

#include <stdlib.h>
#include <string.h>

/* Streams (p, n) through a window of w bytes like oui_load. */
static int streamed(struct oui_db *db, bool manuf, const char *p, size_t n, size_t w, char *eb)
{
	struct oui_pctx c;
	char *win = malloc(w);
	size_t have = 0, off = 0, used;
	int rc = 0;

	oui_pctx_init(&c, db, manuf, "fuzz", eb, TM_ERRLEN);
	for (;;) {
		size_t got = n - off < w - have ? n - off : w - have;
		bool final = got == 0 || off + got == n;

		memcpy(win + have, p + off, got);
		off += got;
		have += got;
		used = oui_pctx_feed(&c, win, have, final, &rc);
		if (rc < 0 || final)
			break;
		memmove(win, win + used, have - used);
		have -= used;
	}
	free(win);
	return oui_pctx_end(&c, rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t macs[][6] = {
	    {0x00, 0xe0, 0xfc, 1, 2, 3},
	    {0x70, 0xb3, 0xd5, 0xf2, 0xf0, 0},
	    {0, 0, 0, 0, 0, 0},
	    {0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc},
	    {0x00, 0x11, 0x22, 0x33, 0x44, 0x55},
	};
	struct oui_db *a, *b;
	char ea[TM_ERRLEN], eb[TM_ERRLEN];
	struct oui_hit h;
	bool manuf;
	size_t w;
	int ra, rb;

	if (size < 2)
		return 0;
	manuf = data[0] & 1;
	w = 2 * OUI_REC_MAX + 2 + (size_t)data[1] * 97;
	data += 2, size -= 2;
	if (oui_new(&a) || oui_new(&b))
		abort();
	ra = manuf ? oui_parse_manuf(a, "fuzz", (const char *)data, size, ea, sizeof(ea))
		   : oui_parse_ieee_csv(a, "fuzz", (const char *)data, size, ea, sizeof(ea));
	rb = streamed(b, manuf, (const char *)data, size, w, eb);
	if (ra != rb || oui_count(a) != oui_count(b) || oui_skipped(a) != oui_skipped(b) ||
	    strcmp(ea, eb) || oui_time(a, OUI_SRC_MANUF) != oui_time(b, OUI_SRC_MANUF))
		abort();
	for (size_t i = 0; i < sizeof(macs) / sizeof(macs[0]); i++) {
		unsigned fl;

		if (oui_lookup(a, macs[i], &h, &fl) &&
		    (!h.org || !*h.org || strlen(h.prefix) != (size_t)h.bits / 4))
			abort();
	}
	oui_free(a);
	oui_free(b);
	return 0;
}
