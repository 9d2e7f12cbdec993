/* test_telnet.c - Telnet negotiation answers and text extraction (src/proto/telnet.h). */
#include "check.h"
#include "proto/telnet.h"

#include <stdint.h>

/* A Huawei VRP-style greeting: WILL ECHO, WILL SGA, DO TTYPE, DO NAWS, then the prompt. */
static const uint8_t vrp[] = "\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f"
			     "\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:";
static const uint8_t vrp_reply[] = {0xff, 0xfd, 0x01, 0xff, 0xfd, 0x03,
				    0xff, 0xfc, 0x18, 0xff, 0xfc, 0x1f};
static const char vrp_text[] = "\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:";

static void test_negotiation(void)
{
	struct telnet t;
	uint8_t text[256], reply[64];
	size_t tl = 0, rl = 0, n = sizeof(vrp) - 1;

	telnet_init(&t);
	telnet_feed(&t, vrp, n, text, sizeof(text), &tl, reply, sizeof(reply), &rl);
	CHECK_INT(rl, sizeof(vrp_reply));
	CHECK(rl == sizeof(vrp_reply) && !memcmp(reply, vrp_reply, rl));
	CHECK_INT(tl, strlen(vrp_text));
	CHECK(tl == strlen(vrp_text) && !memcmp(text, vrp_text, tl));

	/* byte by byte: the same text and the same answers */
	telnet_init(&t);
	tl = rl = 0;
	for (size_t i = 0; i < n; i++)
		telnet_feed(&t, vrp + i, 1, text, sizeof(text), &tl, reply, sizeof(reply), &rl);
	CHECK(rl == sizeof(vrp_reply) && !memcmp(reply, vrp_reply, rl));
	CHECK(tl == strlen(vrp_text) && !memcmp(text, vrp_text, tl));

	/* only whole answers fit: 4 bytes of room hold one */
	telnet_init(&t);
	tl = rl = 0;
	telnet_feed(&t, vrp, n, text, 10, &tl, reply, 4, &rl);
	CHECK_INT(rl, 3);
	CHECK_INT(tl, 10);
}

static void test_commands(void)
{
	static const uint8_t in[] = {'a',  0xff, 0xff, 'b',  0xff, 0xfc, 0x01, 0xff, 0xfe,
				     0x05, 0xff, 0xf1, 'c',  0xff, 0xfb, 0x05, 0x00, 'd',
				     0xff, 0xfa, 0x18, 0x01, 0xff, 0xff, 0xff, 0xf0, 'e'};
	static const uint8_t want_text[] = {'a', 0xff, 'b', 'c', 'd', 'e'};
	static const uint8_t want_reply[] = {0xff, 0xfe, 0x05};
	struct telnet t;
	uint8_t text[64], reply[64];
	size_t tl = 0, rl = 0;

	telnet_init(&t);
	telnet_feed(&t, in, sizeof(in), text, sizeof(text), &tl, reply, sizeof(reply), &rl);
	CHECK_INT(tl, sizeof(want_text));
	CHECK(tl == sizeof(want_text) && !memcmp(text, want_text, tl));
	CHECK_INT(rl, sizeof(want_reply));
	CHECK(rl == sizeof(want_reply) && !memcmp(reply, want_reply, rl));
	CHECK_INT(t.state, 0);
}

/* A subnegotiation that never ends is skipped for TELNET_SB_MAX bytes, then text resumes. */
static void test_sb_bound(void)
{
	static uint8_t in[3000];
	struct telnet t;
	uint8_t text[4096];
	size_t tl = 0, rl = 0;

	memset(in, 'x', sizeof(in));
	in[0] = 0xff, in[1] = 0xfa;
	telnet_init(&t);
	telnet_feed(&t, in, sizeof(in), text, sizeof(text), &tl, NULL, 0, &rl);
	CHECK_INT(tl, sizeof(in) - 2 - TELNET_SB_MAX - 1);
	CHECK_INT(rl, 0);
}

int main(void)
{
	test_negotiation();
	test_commands();
	test_sb_bound();
	return check_done("test_telnet");
}
