/*
 * http.h - HTTP/1.x (RFC 9112) and RTSP/1.0 (RFC 2326) responses as the
 * scanner sees them: whatever bytes have arrived so far, parsed again from the
 * start each time (cheap: heads are small and bounded).  Pulls out the status,
 * Server, the WWW-Authenticate realm, Location, Content-Type/-Length and the
 * HTML <title>; also builds the two requests we send.  Pure functions over
 * bytes, no sockets.
 */
#ifndef TM_HTTP_H
#define TM_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct http_resp {
	int status;		/* 100..999; 0 until the status line is complete */
	char proto[12];		/* "HTTP/1.1", "RTSP/1.0" */
	char server[256];	/* Server (first one) */
	char realm[256];	/* realm= of the first WWW-Authenticate carrying one */
	char location[512];	/* Location */
	char title[256];	/* text of the first <title>...</title> in the body, ends trimmed */
	char content_type[128]; /* Content-Type */
	long content_length;	/* Content-Length, -1 when absent or invalid */
	int head_done;		/* the empty line closing the head was seen */
	size_t head_len;	/* bytes of the head including that empty line, once head_done */
	int truncated; /* a value was cut, a line was over 8 KiB or there were over 100 headers */
	int malformed; /* not an HTTP/RTSP status line, a header without a colon, a bad number */
};

/*
 * Parses p[0..n) into r (cleared first).  Returns 0 when the bytes are, or
 * may still become, an HTTP or RTSP response; TM_EPROTO (r->malformed set)
 * when they cannot.  Never reads outside p[0..n); fields are NUL-terminated.
 */
int http_parse(const uint8_t *p, size_t n, struct http_resp *r);
/*
 * Writes "GET path HTTP/1.1" with Host, User-Agent, Accept and
 * Connection: close into out.  Returns the length written (without the NUL),
 * TM_EINVAL when host or path holds a control byte or space or path does not
 * start with '/', TM_ELIMIT when out is too small.
 */
int http_build_get(char *out, size_t cap, const char *host, const char *path);
/* "OPTIONS url RTSP/1.0" with CSeq; same returns. */
int rtsp_build_options(char *out, size_t cap, const char *url, int cseq);

#endif
