/* mc_http_reply.h - an HTTP/1.1 response (RFC 9112) parsed from the bytes
 * received so far: the status line, the header fields a check needs, and
 * the body framed by Content-Length, chunked transfer coding, or the end of
 * the connection, with every size bounded. */
#ifndef MC_HTTP_REPLY_H
#define MC_HTTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/mc_buf.h"
#include "util/mc_status.h"

/* Limits: a header section of at most 16 KiB and 100 fields, a status or
 * header line of at most 8 KiB, a chunk-size line of at most 1 KiB. The
 * 16 KiB are counted from the start of buf to the end of the final header
 * section, interim 1xx responses included; a trailer section has the same
 * limits of its own. The body limit is the caller's. */
typedef struct mc_http_reply {
	int status;             /* 200 */
	int minor;              /* the x of HTTP/1.x */
	char reason[128];       /* "OK", sanitized */
	char content_type[128]; /* the media type, lower-cased, parameters
	                           dropped: "text/plain" ("" if none) */
	char location[256];     /* Location, sanitized ("" if none) */
	mc_buf_t body;          /* the decoded body (raw bytes, may hold NUL;
	                           complete only on MC_OK) */
	size_t body_max;        /* from mc_http_reply_init */
} mc_http_reply_t;

/* body_max: a larger body is MC_E_LIMIT ("body larger than 65536 bytes"). */
void mc_http_reply_init(mc_http_reply_t *r, size_t body_max);
void mc_http_reply_free(mc_http_reply_t *r);

/* Parse buf[0..len), everything received so far, from its start (the
 * fields of r are reset first, so a caller may call again with more bytes).
 * eof: the connection has ended after these bytes.
 * Returns MC_E_AGAIN (the response is incomplete: more input needed),
 * MC_OK (the whole response is in buf[0..*consumed)), or a failure with a
 * one-line reason in err:
 * - MC_E_PROTOCOL: bad status line (not "HTTP/1.x DDD reason", DDD in
 *   100..599), a 101 response, a header line without ':' or with
 *   whitespace before it, a field name that is not a token, a line that
 *   starts with whitespace (obs-fold), a bad or conflicting
 *   Content-Length, both Content-Length and chunked, a transfer coding
 *   other than chunked (or chunked twice, or Transfer-Encoding in an
 *   HTTP/1.0 response), a bad chunk size or missing CRLF after a chunk, a
 *   NUL or bare CR in the header or trailer section;
 * - MC_E_LIMIT: a limit above, a Content-Length too large for a long, or
 *   the body over body_max (detected as soon as a Content-Length, a chunk
 *   size or the bytes received make it certain);
 * - MC_E_CLOSED: eof before the response is complete ("connection closed
 *   in the header section", "connection closed 123 bytes before the end of
 *   the body");
 * - MC_E_NOMEM.
 * Interim 1xx responses are skipped. A response with neither
 * Content-Length nor chunked coding is delimited by the end of the
 * connection (MC_E_AGAIN until eof). 204 and 304 have no body. Header
 * lines may end in CRLF or LF; field names are case-insensitive; chunk
 * extensions and trailer fields are skipped. Of repeated Content-Type or
 * Location fields the first counts. */
mc_status_t mc_http_reply_parse(mc_http_reply_t *r, const char *buf, size_t len, bool eof,
                                size_t *consumed, char *err, size_t errsz);

#endif
