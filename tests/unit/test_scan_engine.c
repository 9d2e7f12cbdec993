/*
 * test_scan_engine.c - the scanner below the command line: each probe's
 * state machine fed recorded server bytes (whole and one byte at a time;
 * exact observations out), the loop's timer wheel, and the engine over a
 * fake transport (socketpairs fed from scripts) with hostile peers: a drip,
 * an endless banner, a 1 MB header, a reset, a silent port, a refused one;
 * and the stateless UDP side over a fake datagram socket: datagrams counted
 * per pair and SNMP version, answers, silence, ICMP refusals, late answers,
 * answers from the wrong port or address, the SSDP -> UPnP follow-up, and
 * silent UDP pairs that must not hold up TCP ones.
 */
#include "check.h"

#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"
#include "scan/loop.h"
#include "scan/neigh.h"
#include "scan/ports.h"
#include "scan/probe.h"
#include "scan/scan.h"
#include "proto/snmp.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- collecting observations ---- */

struct got {
	char line[64][256]; /* "kind|probe|value|flags" (value cut at 100) */
	int n;
};

static int collect(void *ctx, const struct obs *o)
{
	struct got *g = ctx;
	char v[101];
	size_t n = o->len > 100 ? 100 : o->len;

	memcpy(v, o->value, n);
	v[n] = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] == '\r' || v[i] == '\n')
			v[i] = '~';
	if (g->n < 64)
		snprintf(g->line[g->n++], sizeof(g->line[0]), "%s:%u|%s|%s|%s|%u", o->addr, (unsigned)o->port,
			 obs_kind_name(o->kind), o->probe, v, o->flags);
	return 0;
}

/* Runs probe id over data, chunk bytes at a time, ending with why; returns the lines joined by "\n". */
static const char *run_probe(int id, const char *data, size_t len, size_t chunk, int why, char *sent)
{
	static char out[4096];
	static struct probe_ctx c;
	const struct probe_ops *ops = probe_get(id);
	struct got g = {.n = 0};
	size_t o = 0;
	int done = 0;

	probe_ctx_init(&c, id, "192.0.2.1", 23, 6, collect, &g);
	ops->start(&c);
	for (size_t i = 0; i < len && !done; i += chunk)
		done = ops->input(&c, (const uint8_t *)data + i, len - i < chunk ? len - i : chunk);
	if (sent) {
		memcpy(sent, c.out, c.outlen);
		sent[c.outlen] = 0;
	}
	ops->finish(&c, done ? PROBE_END_DONE : why);
	out[0] = 0;
	for (int i = 0; i < g.n; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? "\n" : "", g.line[i] + 10);
	return out;
}

static void test_probes(void)
{
	static const char tn[] = "\xff\xfd\x18\xff\xfb\x01\xff\xfa\x18\x01\xff\xf0\r\n"
				 "Warning: Telnet is not a secure protocol\r\nLogin authentication\r\n\r\n\r\nUsername:";
	static const char http[] = "HTTP/1.1 200 OK\r\nServer: Huawei HTTP Server\r\nContent-Type: text/html\r\n\r\n"
				   "<html><head><TITLE> ONT Login </TITLE></head></html>";
	char sent[PROBE_OUT + 1];

	for (size_t chunk = 1; chunk <= 4096; chunk *= 4096) {
		CHECK_STR(run_probe(SCAN_PROBE_SSH, "SSH-2.0-HUAWEI-1.5\r\n", 20, chunk, PROBE_END_EOF, NULL),
			  "23|ssh_banner||SSH-2.0-HUAWEI-1.5|0");
		CHECK_STR(run_probe(SCAN_PROBE_SSH, "hello\r\nSSH-1.99-Cisco-1.25\n", 27, chunk, PROBE_END_EOF, NULL),
			  "23|ssh_banner||SSH-1.99-Cisco-1.25|0");
		CHECK_STR(run_probe(SCAN_PROBE_FTP, "220-Welcome\r\n220 ZXR10 FTP ready\r\n", 34, chunk, PROBE_END_EOF,
				    NULL),
			  "23|ftp_banner||220-Welcome~~220 ZXR10 FTP ready|0");
		CHECK_STR(run_probe(SCAN_PROBE_TELNET, tn, sizeof(tn) - 1, chunk, PROBE_END_TIMEOUT, sent),
			  "23|telnet_banner||Warning: Telnet is not a secure protocol~~Login authentication~~~~~~Username:|0");
		CHECK_STR(sent, "\xff\xfc\x18\xff\xfd\x01");
		CHECK_STR(run_probe(SCAN_PROBE_HTTP, http, sizeof(http) - 1, chunk, PROBE_END_EOF, NULL),
			  "23|http_server||Huawei HTTP Server|0\n23|http_title||ONT Login|0\n"
			  "23|service_response|GetRequest|HTTP/1.1 200 OK~~Server: Huawei HTTP Server~~Content-Type: "
			  "text/html~~~~<html><head><TITLE> ONT Logi|0");
	}
	/* SSH line never ended: kept, flagged truncated */
	CHECK_STR(run_probe(SCAN_PROBE_SSH, "SSH-2.0-drip", 12, 1, PROBE_END_TIMEOUT, NULL),
		  "23|ssh_banner||SSH-2.0-drip|1");
	/* not SSH at all on an ssh port: the NULL response */
	CHECK_STR(run_probe(SCAN_PROBE_SSH, "<script>x</script>\n", 19, 7, PROBE_END_EOF, NULL),
		  "23|service_response|NULL|<script>x</script>~|0");
	CHECK_STR(run_probe(SCAN_PROBE_BANNER, "\x1b[2J\x1b]0;pwn\a", 12, 3, PROBE_END_RESET, NULL),
		  "23|service_response|NULL|\x1b[2J\x1b]0;pwn\a|1");
	CHECK_STR(run_probe(SCAN_PROBE_HTTP, "garbage\r\n\r\n", 11, 3, PROBE_END_EOF, NULL),
		  "23|service_response|GetRequest|garbage~~~~|2");
	CHECK_STR(run_probe(SCAN_PROBE_RTSP,
			    "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nServer: Rtsp Server/3.0\r\n"
			    "WWW-Authenticate: Basic realm=\"HIPCAM\"\r\n\r\n",
			    104, 5, PROBE_END_EOF, sent),
		  "23|rtsp_server||Rtsp Server/3.0|0\n23|http_realm||HIPCAM|0");
	CHECK_STR(sent, "OPTIONS rtsp://192.0.2.1:23/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: trustmap\r\n\r\n");
	CHECK_STR(run_probe(SCAN_PROBE_SSH, "", 0, 1, PROBE_END_TIMEOUT, NULL), "");
}

/* ---- the timer wheel ---- */

static int fired[8], order[8], norder;

static void on_timer(struct loop *l, void *arg)
{
	int i = (int)(long)arg;

	(void)l;
	fired[i]++;
	order[norder++] = i;
}

static void test_loop(void)
{
	struct loop *l = loop_new();
	struct loop_timer t[4];
	uint64_t start;

	memset(t, 0, sizeof(t));
	start = loop_now(l);
	loop_timer_set(l, &t[0], 30, on_timer, (void *)0L);
	loop_timer_set(l, &t[1], 10, on_timer, (void *)1L);
	loop_timer_set(l, &t[2], 20, on_timer, (void *)2L);
	loop_timer_set(l, &t[3], 9000, on_timer, (void *)3L); /* beyond one turn of the wheel */
	loop_timer_cancel(l, &t[2]);
	CHECK_INT(loop_timers(l), 3);
	while (loop_now(l) - start < 60)
		loop_once(l, 5);
	CHECK_INT(fired[0], 1);
	CHECK_INT(fired[1], 1);
	CHECK_INT(fired[2], 0);
	CHECK_INT(fired[3], 0);
	CHECK_INT(norder, 2);
	CHECK_INT(order[0], 1);
	CHECK_INT(order[1], 0);
	CHECK_INT(loop_timers(l), 1);
	loop_timer_cancel(l, &t[3]);
	CHECK_INT(loop_timers(l), 0);
	loop_free(l);
}

/* ---- the fake transport ---- */

enum { F_CLOSE = 0, F_SILENT, F_ENDLESS, F_DRIP, F_RESET, F_REFUSE };

struct script {
	uint16_t port;
	int mode;
	const char *data;
	size_t len;
};

struct fake {
	const struct script *s;
	int ns;
	struct {
		int peer;
		const struct script *sc;
		size_t off;
		uint64_t last;
	} f[1024];
	long connects, bytes_written, open_now, max_open;
	uint64_t t_first, t_last; /* ms() of the first and last connect */
	/* UDP: one fake datagram socket; frames "kind (0 datagram, 1 ICMP), sockaddr_in, payload" */
	const struct uscript *us;
	int nus, usock;
	long dg[256][16][3];	       /* datagrams by host (last octet), script index, v2c/v1/other */
	struct sockaddr_in errq[4096]; /* ICMP errors not read yet */
	int nerr;
	struct { /* answers held back (late) */
		uint64_t due;
		struct sockaddr_in from;
		uint8_t p[512];
		size_t n;
	} late[256];
	int nlate;
	long late_sent;
};

static uint64_t ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void pump(struct fake *k, int fd)
{
	const struct script *sc = k->f[fd].sc;
	static char junk[4096];

	if (k->f[fd].peer < 0)
		return;
	if (sc->mode == F_ENDLESS) {
		memset(junk, 'A', sizeof(junk));
		while (write(k->f[fd].peer, junk, sizeof(junk)) > 0)
			;
		return;
	}
	while (k->f[fd].off < sc->len) {
		ssize_t r = write(k->f[fd].peer, sc->data + k->f[fd].off, sc->len - k->f[fd].off);
		if (r <= 0)
			return;
		k->f[fd].off += (size_t)r;
	}
	if (sc->mode == F_CLOSE || sc->mode == F_RESET) {
		close(k->f[fd].peer);
		k->f[fd].peer = -1;
	}
}

static int f_connect(void *ctx, int type, const struct sockaddr *sa, socklen_t len)
{
	struct fake *k = ctx;
	uint16_t port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
	int sv[2];

	(void)len;
	if (!k->connects++)
		k->t_first = ms();
	k->t_last = ms();
	for (int i = 0; i < k->ns; i++) {
		if (k->s[i].port != port)
			continue;
		if (k->s[i].mode == F_REFUSE)
			return -ECONNREFUSED;
		if (socketpair(AF_UNIX, type | SOCK_NONBLOCK, 0, sv))
			return -errno;
		if (sv[0] >= 1024)
			abort();
		k->f[sv[0]].peer = sv[1];
		k->f[sv[0]].sc = &k->s[i];
		k->f[sv[0]].off = 0;
		k->f[sv[0]].last = ms();
		if (++k->open_now > k->max_open)
			k->max_open = k->open_now;
		pump(k, sv[0]);
		return sv[0];
	}
	return -ECONNREFUSED;
}

static int f_result(void *ctx, int fd)
{
	(void)ctx, (void)fd;
	return 0;
}

static ssize_t f_read(void *ctx, int fd, void *p, size_t n)
{
	struct fake *k = ctx;
	const struct script *sc = k->f[fd].sc;
	ssize_t r;

	pump(k, fd);
	if (sc->mode == F_DRIP) {
		if (ms() - k->f[fd].last < 20)
			return -EAGAIN;
		k->f[fd].last = ms();
		n = 1;
	}
	r = read(fd, p, n);
	if (r == 0 && sc->mode == F_RESET) /* a socketpair cannot be reset: its end of file stands for it */
		return -ECONNRESET;
	return r < 0 ? -errno : r;
}

static ssize_t f_write(void *ctx, int fd, const void *p, size_t n)
{
	struct fake *k = ctx;
	ssize_t r = write(fd, p, n);

	if (r > 0)
		k->bytes_written += r;
	return r < 0 ? -errno : r;
}

static void f_close(void *ctx, int fd)
{
	struct fake *k = ctx;

	if (k->f[fd].peer >= 0)
		close(k->f[fd].peer);
	k->f[fd].peer = -1;
	k->open_now--;
	close(fd);
}

/* ---- the fake UDP side ---- */

enum { U_ANSWER = 0, U_SILENT, U_REFUSE, U_WRONGPORT, U_WRONGADDR, U_LATE, U_V1ONLY, U_SECRET, U_SSDP };

struct uscript {
	uint16_t port;
	int mode;
};

static int f_udp_socket(void *ctx, int family)
{
	struct fake *k = ctx;
	int sv[2];

	(void)family;
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv))
		return -errno;
	if (sv[0] >= 1024)
		abort();
	k->f[sv[0]].peer = sv[1];
	k->f[sv[0]].sc = NULL;
	k->usock = sv[0];
	k->open_now++;
	return sv[0];
}

static void put_frame(struct fake *k, int kind, const struct sockaddr_in *from, const uint8_t *p, size_t n)
{
	uint8_t fr[1 + sizeof(*from) + 512];

	fr[0] = (uint8_t)kind;
	memcpy(fr + 1, from, sizeof(*from));
	if (n)
		memcpy(fr + 1 + sizeof(*from), p, n);
	if (write(k->f[k->usock].peer, fr, 1 + sizeof(*from) + n) < 0)
		abort();
}

/* The late answers whose time has come. */
static void deliver_late(struct fake *k)
{
	for (int i = 0; i < k->nlate; i++)
		if (k->late[i].due <= ms()) {
			put_frame(k, 0, &k->late[i].from, k->late[i].p, k->late[i].n);
			k->late_sent++;
			k->late[i--] = k->late[--k->nlate];
		}
}

/* An SNMP response to request q carrying sysDescr "Test VRP". */
static size_t snmp_answer(const struct snmp_msg *q, uint8_t *out, size_t cap)
{
	struct snmp_msg m;
	size_t len = 0;

	memset(&m, 0, sizeof(m));
	m.version = q->version;
	memcpy(m.community, q->community, sizeof(m.community));
	m.pdu = SNMP_PDU_RESPONSE;
	m.reqid = q->reqid;
	m.nvb = 1;
	snmp_vb_name(&m.vb[0], "1.3.6.1.2.1.1.1.0");
	m.vb[0].type = SNMP_T_OCTETS, m.vb[0].val = (const uint8_t *)"Test VRP", m.vb[0].vlen = 8;
	if (snmp_encode_response(out, cap, &len, &m))
		abort();
	return len;
}

static ssize_t f_sendto(void *ctx, int fd, const void *p, size_t n, const struct sockaddr *sa, socklen_t len)
{
	struct fake *k = ctx;
	struct sockaddr_in to, from;
	struct snmp_msg q;
	uint8_t ans[512];
	size_t an = 0;
	int i, host, ver;

	(void)fd;
	if (len != sizeof(to) || sa->sa_family != AF_INET)
		abort();
	memcpy(&to, sa, sizeof(to));
	deliver_late(k);
	host = (int)(ntohl(to.sin_addr.s_addr) & 0xff);
	for (i = 0; i < k->nus && k->us[i].port != ntohs(to.sin_port); i++)
		;
	if (i == k->nus)
		abort();
	ver = snmp_decode(p, n, &q) ? 2 : q.version == SNMP_V1;
	k->dg[host][i][ver]++;
	from = to;
	switch (k->us[i].mode) {
	case U_ANSWER:
	case U_LATE:
	case U_WRONGPORT:
	case U_WRONGADDR:
		if (ver == 0 && !strcmp(q.community, "public"))
			an = snmp_answer(&q, ans, sizeof(ans));
		break;
	case U_V1ONLY:
		if (ver == 1)
			an = snmp_answer(&q, ans, sizeof(ans));
		break;
	case U_SECRET:
		if (ver == 1 && !strcmp(q.community, "s3cret"))
			an = snmp_answer(&q, ans, sizeof(ans));
		break;
	case U_SSDP:
		an = (size_t)snprintf((char *)ans, sizeof(ans),
				      "HTTP/1.1 200 OK\r\nSERVER: Linux/3.4 UPnP/1.0 Test/1\r\n"
				      "LOCATION: http://127.0.0.%d:80/desc.xml\r\nST: upnp:rootdevice\r\n\r\n",
				      host);
		break;
	case U_REFUSE:
		put_frame(k, 1, &to, NULL, 0);
		break;
	}
	if (k->us[i].mode == U_WRONGPORT)
		from.sin_port = htons((uint16_t)(ntohs(to.sin_port) + 1000));
	if (k->us[i].mode == U_WRONGADDR)
		from.sin_addr.s_addr = htonl(0x7f090909);
	if (an && k->us[i].mode == U_LATE && k->nlate < 256) { /* after the pair's end: 4 waits of 100 ms */
		k->late[k->nlate].due = ms() + 450;
		k->late[k->nlate].from = from;
		memcpy(k->late[k->nlate].p, ans, an);
		k->late[k->nlate++].n = an;
	} else if (an)
		put_frame(k, 0, &from, ans, an);
	return (ssize_t)n;
}

static ssize_t f_recvfrom(void *ctx, int fd, void *p, size_t n, struct sockaddr *sa, socklen_t *len)
{
	struct fake *k = ctx;
	uint8_t fr[1 + sizeof(struct sockaddr_in) + 512];
	ssize_t r = read(fd, fr, sizeof(fr));
	size_t hl = 1 + sizeof(struct sockaddr_in);

	deliver_late(k);
	if (r < 0)
		return -errno;
	if ((size_t)r < hl)
		abort();
	if (fr[0] == 1) { /* ICMP: on the error queue, and reported once as the socket's error */
		memcpy(&k->errq[k->nerr++], fr + 1, sizeof(struct sockaddr_in));
		return -ECONNREFUSED;
	}
	memcpy(sa, fr + 1, sizeof(struct sockaddr_in));
	*len = sizeof(struct sockaddr_in);
	if ((size_t)r - hl < n)
		n = (size_t)r - hl;
	memcpy(p, fr + hl, n);
	return (ssize_t)n;
}

static int f_recv_err(void *ctx, int fd, struct sockaddr *sa, socklen_t *len, int *err)
{
	struct fake *k = ctx;

	(void)fd;
	if (!k->nerr)
		return -EAGAIN;
	memcpy(sa, &k->errq[0], sizeof(k->errq[0]));
	memmove(&k->errq[0], &k->errq[1], (size_t)--k->nerr * sizeof(k->errq[0]));
	*len = sizeof(struct sockaddr_in);
	*err = ECONNREFUSED;
	return 0;
}

static const struct xp fake_xp_ops = {f_connect, f_result,   f_read,	  f_write,   f_sendto,
				      f_recvfrom, f_close, NULL, f_udp_socket, f_recv_err};

static int cmp_line(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_engine(void)
{
	static char big[1 << 20];
	static const char hdr[] = "HTTP/1.1 200 OK\r\nServer: huge\r\nX-Pad: ";
	static const struct script s[] = {
		{22, F_CLOSE, "SSH-2.0-ROSSSH\r\n", 16},
		{23, F_SILENT, "", 0},
		{24, F_ENDLESS, NULL, 0},
		{25, F_DRIP, "220 drip drip drip drip drip drip drip drip drip drip\r\n", 55},
		{26, F_RESET, "SSH-2.0-OpenSSH_9", 17},
		{27, F_REFUSE, NULL, 0},
		{80, F_CLOSE, big, sizeof(big)},
	};
	struct fake *k = mem_calloc(1, sizeof(*k));
	struct xp x = fake_xp_ops;
	struct scan_targets t;
	struct scan_ports p = {0};
	struct scan_stats st;
	struct got g = {.n = 0};
	char eb[TM_ERRLEN];
	uint64_t t0;
	struct scan_cfg cfg = {
		.targets = &t, .ports = &p, .seed = 7, .nshards = 1, .rate = 100000, .max_inflight = 3,
		.connect_timeout_ms = 200, .read_timeout_ms = 300, .xp = &x, .emit = collect, .emit_ctx = &g,
	};

	memcpy(big, hdr, sizeof(hdr) - 1);
	memset(big + sizeof(hdr) - 1, 'x', sizeof(big) - sizeof(hdr) + 1);
	k->s = s;
	k->ns = 7;
	x.ctx = k;
	scan_targets_init(&t);
	scan_targets_add(&t, "127.0.0.1-2", 0, NULL, 0);
	scan_targets_finish(&t, NULL, 0);
	CHECK_INT(scan_ports_parse(&p, "22:ssh,23:telnet,24:banner,25:smtp,26:ssh,27:ssh,80:http", eb, sizeof(eb)), 0);
	t0 = ms();
	CHECK_INT(scan_run(&cfg, &st, eb, sizeof(eb)), 0);
	CHECK(ms() - t0 < 3000);
	CHECK_INT(st.total, 14);
	CHECK_INT(st.done, 14);
	CHECK_INT(k->connects, 14);
	CHECK_INT(k->open_now, 0);
	CHECK(k->max_open <= 3);
	CHECK_INT(st.open, 12);
	CHECK_INT(st.timeouts, 4); /* silent and drip, twice */
	CHECK_INT(st.truncated, 4); /* the buffer filled: endless and 1 MB, twice */
	CHECK_INT(g.n, 12);
	qsort(g.line, (size_t)g.n, sizeof(g.line[0]), cmp_line);
	for (int i = 0; getenv("V") && i < g.n; i++)
		fprintf(stderr, "%s\n", g.line[i]);
	CHECK_STR(g.line[0], "127.0.0.1:22|ssh_banner||SSH-2.0-ROSSSH|0");
	CHECK(!strncmp(g.line[1], "127.0.0.1:24|service_response|NULL|AAAA", 39));
	CHECK(!strncmp(g.line[2], "127.0.0.1:25|smtp_banner||220 drip", 34));
	CHECK(g.line[2][strlen(g.line[2]) - 1] == '1');
	CHECK_STR(g.line[3], "127.0.0.1:26|ssh_banner||SSH-2.0-OpenSSH_9|1");
	CHECK_STR(g.line[4], "127.0.0.1:80|http_server||huge|0");
	CHECK(!strncmp(g.line[5], "127.0.0.1:80|service_response|GetRequest|HTTP/1.1 200 OK~~Server: huge~~X-Pad: xxx", 80));
	CHECK(g.line[5][strlen(g.line[5]) - 1] == '1');
	CHECK_STR(g.line[6], "127.0.0.2:22|ssh_banner||SSH-2.0-ROSSSH|0");
	CHECK(k->bytes_written >= 2 * 60); /* the two GETs */
	scan_ports_fini(&p);
	scan_targets_fini(&t);
	mem_free(k);
}

/* ---- back-pressure: the hold callback ---- */

struct holder {
	int mode; /* -1 stop; else hold until `until` */
	uint64_t until;
	long calls;
};

static int hold_cb(void *ctx)
{
	struct holder *h = ctx;

	h->calls++;
	if (h->mode < 0)
		return -1;
	return ms() < h->until;
}

static int count_emit(void *ctx, const struct obs *o)
{
	(void)o;
	(*(long *)ctx)++;
	return 0;
}

static void test_hold(void)
{
	static const struct script s[] = {{22, F_CLOSE, "SSH-2.0-X\r\n", 11}};
	struct fake *k = mem_calloc(1, sizeof(*k));
	struct xp x = fake_xp_ops;
	struct scan_targets t;
	struct scan_ports p = {0};
	struct scan_stats st;
	struct holder h = {-1, 0, 0};
	long nobs = 0;
	char eb[TM_ERRLEN];
	uint64_t t0;
	struct scan_cfg cfg = {
		.targets = &t, .ports = &p, .seed = 3, .nshards = 1, .rate = 50, .max_inflight = 4,
		.connect_timeout_ms = 200, .read_timeout_ms = 300, .xp = &x, .emit = count_emit, .emit_ctx = &nobs,
		.hold = hold_cb, .hold_ctx = &h,
	};

	k->s = s;
	k->ns = 1;
	x.ctx = k;
	scan_targets_init(&t);
	scan_targets_add(&t, "127.0.0.1-10", 0, NULL, 0);
	scan_targets_finish(&t, NULL, 0);
	CHECK_INT(scan_ports_parse(&p, "22:ssh", eb, sizeof(eb)), 0);
	/* stop at once: nothing opened, the scan ends cleanly */
	CHECK_INT(scan_run(&cfg, &st, eb, sizeof(eb)), 0);
	CHECK_INT(st.total, 10);
	CHECK_INT(st.done, 0);
	CHECK_INT(k->connects, 0);
	CHECK(h.calls >= 1);
	/* held for 300 ms: nothing opened meanwhile, then at the rate (50/s), not in a burst */
	h.mode = 0;
	t0 = ms();
	h.until = t0 + 300;
	CHECK_INT(scan_run(&cfg, &st, eb, sizeof(eb)), 0);
	CHECK_INT(st.done, 10);
	CHECK_INT(k->connects, 10);
	CHECK_INT(nobs, 10);
	CHECK(k->t_first >= t0 + 300);
	CHECK(k->t_last - k->t_first >= 100); /* 9 more at 50/s: 180 ms (a burst would be ~0; slack for slow builds) */
	CHECK(h.calls > 10);
	scan_ports_fini(&p);
	scan_targets_fini(&t);
	mem_free(k);
}

/* ---- UDP: every outcome, datagrams counted per pair ---- */

static int has_line(const struct got *g, const char *l)
{
	for (int i = 0; i < g->n; i++)
		if (!strcmp(g->line[i], l))
			return 1;
	return 0;
}

static void test_udp(void)
{
	static const char desc[] = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 94\r\n\r\n<root><device>"
				   "<manufacturer>Huawei</manufacturer><modelName>HG8245</modelName></device></root>";
	/* kept open (the GET must find its peer): the length ends the answer */
	static const struct script s[] = {{80, F_SILENT, desc, sizeof(desc) - 1}};
	static const struct uscript us[] = {
		{161, U_ANSWER}, {162, U_SILENT}, {163, U_REFUSE}, {164, U_WRONGPORT}, {165, U_WRONGADDR},
		{166, U_LATE},	 {167, U_V1ONLY}, {168, U_SECRET}, {1900, U_SSDP},
	};
	static const char *const comms[] = {"public", "s3cret"};
	/* datagrams per pair: v2c, v1 (two communities, one retry; the two versions of a community together) */
	static const int want[9][2] = {{1, 1}, {4, 4}, {1, 1}, {4, 4}, {4, 4}, {4, 4}, {1, 1}, {3, 3}, {0, 0}};
	struct fake *k = mem_calloc(1, sizeof(*k));
	struct xp x = fake_xp_ops;
	struct scan_targets t;
	struct scan_ports p = {0};
	struct scan_stats st;
	static struct got g;
	char eb[TM_ERRLEN], l[256];
	int bad = 0;
	struct scan_cfg cfg = {
		.targets = &t, .ports = &p, .seed = 5, .nshards = 1, .rate = 30, .max_inflight = 8,
		.connect_timeout_ms = 200, .read_timeout_ms = 100, .retries = 1, .communities = comms,
		.ncommunities = 2, .xp = &x, .emit = collect, .emit_ctx = &g,
	};

	g.n = 0;
	k->s = s;
	k->ns = 1;
	k->us = us;
	k->nus = 9;
	x.ctx = k;
	scan_targets_init(&t);
	scan_targets_add(&t, "127.0.0.1-4", 0, NULL, 0);
	scan_targets_finish(&t, NULL, 0);
	CHECK_INT(scan_ports_parse(&p,
				   "161/udp:snmp,162/udp:snmp,163/udp:snmp,164/udp:snmp,165/udp:snmp,166/udp:snmp,"
				   "167/udp:snmp,168/udp:snmp,1900/udp:ssdp",
				   eb, sizeof(eb)),
		  0);
	CHECK_INT(scan_run(&cfg, &st, eb, sizeof(eb)), 0);
	CHECK_INT(st.total, 36);
	CHECK_INT(st.done, 36);
	for (int h = 1; h <= 4; h++)
		for (int i = 0; i < 8; i++)
			if (k->dg[h][i][0] != want[i][0] || k->dg[h][i][1] != want[i][1] || k->dg[h][i][2]) {
				fprintf(stderr, "host %d port %u: %ld v2c %ld v1 %ld other\n", h, us[i].port,
					k->dg[h][i][0], k->dg[h][i][1], k->dg[h][i][2]);
				bad++;
			}
	CHECK_INT(bad, 0);
	for (int h = 1; h <= 4; h++)
		CHECK_INT(k->dg[h][8][2], 1); /* SSDP: one M-SEARCH, answered */
	CHECK_INT(st.datagrams, 4 * (2 + 8 + 2 + 8 + 8 + 8 + 2 + 6 + 1));
	CHECK_INT(st.refused, 4);   /* the ICMP port unreachables of 163 */
	CHECK_INT(st.open, 4 * 4 + 4); /* 161, 167, 168, 1900 answered; the UPnP follow-ups connected */
	/*
	 * stray: from the wrong port and address, the public v2c GET and its retry each
	 * answered; the second ICMP error of 163 (v2c and v1 went together); the late answers
	 */
	CHECK_INT(st.stray, 4 * 2 + 4 * 2 + 4 + k->late_sent);
	CHECK(k->late_sent >= 1);
	CHECK_INT(st.timeouts, 0);
	CHECK_INT(k->open_now, 0);
	CHECK_INT(g.n, 4 * 6);
	for (int h = 1; h <= 4; h++) {
		static const char *const want_obs[] = {
			"161|snmp_sysdescr||Test VRP|0", "167|snmp_sysdescr||Test VRP|0",
			"168|snmp_sysdescr||Test VRP|0", "1900|ssdp_server||Linux/3.4 UPnP/1.0 Test/1|0",
			"80|upnp_manufacturer||Huawei|0", "80|upnp_model||HG8245|0",
		};
		for (int i = 0; i < 6; i++) {
			snprintf(l, sizeof(l), "127.0.0.%d:%s", h, want_obs[i]);
			if (!has_line(&g, l))
				fprintf(stderr, "missing %s\n", l), bad++;
		}
	}
	CHECK_INT(bad, 0);
	for (int i = 0; getenv("V") && i < g.n; i++)
		fprintf(stderr, "%s\n", g.line[i]);
	scan_ports_fini(&p);
	scan_targets_fini(&t);
	mem_free(k);
}

/* ---- silent UDP pairs do not hold up TCP pairs ---- */

static void test_udp_overlap(void)
{
	static const struct script s[] = {{22, F_CLOSE, "SSH-2.0-X\r\n", 11}};
	static const struct uscript us[] = {{162, U_SILENT}};
	struct fake *k = mem_calloc(1, sizeof(*k));
	struct xp x = fake_xp_ops;
	struct scan_targets t;
	struct scan_ports p = {0};
	struct scan_stats st;
	long nobs = 0, dgs = 0;
	char eb[TM_ERRLEN];
	uint64_t t0, t1;
	struct scan_cfg cfg = {
		.targets = &t, .ports = &p, .seed = 11, .nshards = 1, .rate = 100000, .max_inflight = 4,
		.max_udp_inflight = 50, .connect_timeout_ms = 200, .read_timeout_ms = 200, .retries = 1, .xp = &x,
		.emit = count_emit, .emit_ctx = &nobs,
	};

	k->s = s;
	k->ns = 1;
	k->us = us;
	k->nus = 1;
	x.ctx = k;
	scan_targets_init(&t);
	scan_targets_add(&t, "127.0.0.1-100", 0, NULL, 0);
	scan_targets_finish(&t, NULL, 0);
	CHECK_INT(scan_ports_parse(&p, "22:ssh,162/udp:snmp", eb, sizeof(eb)), 0);
	t0 = ms();
	CHECK_INT(scan_run(&cfg, &st, eb, sizeof(eb)), 0);
	t1 = ms();
	CHECK_INT(st.done, 200);
	CHECK_INT(k->connects, 100);
	CHECK_INT(nobs, 100);
	/*
	 * 4 TCP slots, 100 silent UDP pairs of 2 x 200 ms each, 50 at once: the TCP
	 * pairs all ended within one read timeout (when UDP pairs held the slots:
	 * 100 / 4 x 400 ms = 10 s); the UDP ones in two rounds of 400 ms.
	 */
	CHECK(k->t_last - t0 < 200);
	CHECK(t1 - t0 >= 800);
	CHECK(t1 - t0 < 1600);
	for (int h = 1; h <= 100; h++)
		dgs += (k->dg[h][0][0] == 2 && k->dg[h][0][1] == 2); /* v2c + v1, then both again */
	CHECK_INT(dgs, 100);
	CHECK_INT(st.datagrams, 400);
	CHECK_INT(st.udp_peak, 50);
	CHECK(st.conn_peak <= 4); /* no connection record for a waiting UDP pair */
	CHECK(scan_udp_record_size() <= 128);
	CHECK_INT(k->open_now, 0);
	scan_ports_fini(&p);
	scan_targets_fini(&t);
	mem_free(k);
}

/* ---- the neighbour table ---- */

static size_t put_attr(uint8_t *p, uint16_t type, const void *v, uint16_t n)
{
	uint16_t len = (uint16_t)(4 + n);

	memcpy(p, &len, 2);
	memcpy(p + 2, &type, 2);
	memcpy(p + 4, v, n);
	memset(p + 4 + n, 0, (size_t)((len + 3) & ~3) - len);
	return (size_t)((len + 3) & ~3);
}

/* One RTM_NEWNEIGH (28) message at p; returns its aligned size. */
static size_t put_neigh(uint8_t *p, uint8_t fam, const void *dst, uint16_t dn, const void *mac, uint16_t state)
{
	uint32_t len;
	uint16_t type = 28, flags = 2;
	size_t o = 16;

	memset(p, 0, 28);
	p[o] = fam;
	memcpy(p + o + 8, &state, 2);
	o += 12;
	o += put_attr(p + o, 1, dst, dn);
	if (mac)
		o += put_attr(p + o, 2, mac, 6);
	len = (uint32_t)o;
	memcpy(p, &len, 4);
	memcpy(p + 4, &type, 2);
	memcpy(p + 6, &flags, 2);
	return o;
}

static int got_neigh(void *ctx, scan_u128 a, const uint8_t mac[6])
{
	char *out = ctx, as[46], m[18];

	scan_addr_str(a, as);
	str_mac(mac, m);
	snprintf(out + strlen(out), 512 - strlen(out), "%s=%s ", as, m);
	return 0;
}

static void test_neigh(void)
{
	static const uint8_t v4[4] = {192, 0, 2, 7}, v6[16] = {0xfe, 0x80, [15] = 1};
	static const uint8_t mac[6] = {0x00, 0xe0, 0xfc, 0x12, 0x34, 0x56}, zero[6] = {0};
	uint8_t buf[1024];
	char out[512] = "";
	size_t n = 0;
	uint32_t done[4] = {16, 3, 0, 0};
	struct scan_targets t;
	long cnt = -1;
	char eb[TM_ERRLEN];

	n += put_neigh(buf + n, 2, v4, 4, mac, 0x02 /* REACHABLE */);
	n += put_neigh(buf + n, 10, v6, 16, mac, 0x04 /* STALE */);
	n += put_neigh(buf + n, 2, v4, 4, zero, 0x02);		 /* all-zero MAC: skipped */
	n += put_neigh(buf + n, 2, v4, 4, NULL, 0x01 /* INCOMPLETE */); /* no MAC: skipped */
	n += put_neigh(buf + n, 2, v4, 4, mac, 0x20 /* FAILED */);
	CHECK_INT(scan_neigh_parse(buf, n, got_neigh, out), 0);
	CHECK_STR(out, "192.0.2.7=00:e0:fc:12:34:56 fe80::1=00:e0:fc:12:34:56 ");
	memcpy(buf + n, done, 16);
	CHECK_INT(scan_neigh_parse(buf, n + 16, got_neigh, out), 1);
	/* a lying length */
	buf[0] = 200;
	CHECK_INT(scan_neigh_parse(buf, 60, got_neigh, out), TM_EPROTO);
	/* the live table, restricted to loopback targets: nothing (loopback has no neighbours) */
	scan_targets_init(&t);
	scan_targets_add(&t, "127.0.0.0/8", 0, NULL, 0);
	scan_targets_finish(&t, NULL, 0);
	CHECK_INT(scan_neigh_emit(&t, NULL, NULL, &cnt, eb, sizeof(eb)), 0);
	CHECK_INT(cnt, 0);
	scan_targets_fini(&t);
}

int main(void)
{
	test_neigh();
	test_probes();
	test_loop();
	test_engine();
	test_hold();
	test_udp();
	test_udp_overlap();
	return check_done("test_scan_engine");
}
