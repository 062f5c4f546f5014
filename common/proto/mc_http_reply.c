#include "mc_http_reply.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/mc_str.h"

/* Limits documented in the header. The section limit counts every byte
 * from the start of the buffer to the end of the final response's header
 * section, interim 1xx responses included, so a server cannot stall a check
 * with an endless run of them. */
#define HTTP_SECTION_MAX 16384
#define HTTP_LINE_MAX 8192
#define HTTP_FIELDS_MAX 100
#define HTTP_CHUNK_LINE_MAX 1024
/* The largest Content-Length both a long and a size_t hold. */
#define CL_MAX ((long)((unsigned long)LONG_MAX < SIZE_MAX ? LONG_MAX : (long)SIZE_MAX))

/* What the parse of one call works on. */
typedef struct {
	const char *buf;
	size_t len;
	bool eof;
	char *err;
	size_t errsz;
} in_t;

/* The framing fields of one response's header section. */
typedef struct {
	bool has_cl;
	size_t cl;
	bool has_te;
	int chunked; /* how often "chunked" was listed */
	bool has_ct, has_loc;
} head_t;

typedef enum { LINE_OK, LINE_MORE, LINE_LONG } line_t;

void mc_http_reply_init(mc_http_reply_t *r, size_t body_max)
{
	r->status = 0;
	r->minor = 0;
	r->reason[0] = '\0';
	r->content_type[0] = '\0';
	r->location[0] = '\0';
	mc_buf_init(&r->body, body_max);
	r->body_max = body_max;
}

void mc_http_reply_free(mc_http_reply_t *r)
{
	mc_buf_free(&r->body);
}

static mc_status_t fail(const in_t *in, mc_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static mc_status_t fail(const in_t *in, mc_status_t st, const char *fmt, ...)
{
	va_list ap;

	if (in->err && in->errsz) {
		va_start(ap, fmt);
		vsnprintf(in->err, in->errsz, fmt, ap);
		va_end(ap);
	}
	return st;
}

/* MC_E_AGAIN while the connection is open, else MC_E_CLOSED with what. */
static mc_status_t need_more(const in_t *in, const char *what)
{
	if (!in->eof)
		return MC_E_AGAIN;
	return fail(in, MC_E_CLOSED, "connection closed %s", what);
}

/* Find the line at pos: its content is buf[pos..pos+*ll), the next line
 * starts at *next. A line ends in LF or CRLF (RFC 9112 section 2.2 lets a
 * recipient accept a bare LF). Only max + 2 bytes are searched, so an
 * endless line is refused as soon as it is certain to be too long. */
static line_t get_line(const in_t *in, size_t pos, size_t max, size_t *ll, size_t *next)
{
	size_t avail = in->len - pos;
	size_t win = avail < max + 2 ? avail : max + 2;
	const char *p = in->buf + pos;
	const char *nl = memchr(p, '\n', win);
	size_t n;

	if (!nl)
		return avail >= max + 2 ? LINE_LONG : LINE_MORE;
	n = (size_t)(nl - p);
	*next = pos + n + 1;
	if (n && p[n - 1] == '\r')
		n--;
	if (n > max)
		return LINE_LONG;
	*ll = n;
	return LINE_OK;
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* tchar, RFC 9110 section 5.6.2. */
static bool is_tchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Trim optional whitespace at both ends of p[0..*n). */
static const char *trim_ows(const char *p, size_t *n)
{
	while (*n && is_ows(*p)) {
		p++;
		(*n)--;
	}
	while (*n && is_ows(p[*n - 1]))
		(*n)--;
	return p;
}

/* RFC 9110 section 5.5: NUL and CR are never valid in a field line; a bare
 * CR is refused outright rather than guessed at (RFC 9112 section 2.2). */
static mc_status_t check_bytes(const in_t *in, const char *p, size_t n, const char *where)
{
	if (memchr(p, '\0', n))
		return fail(in, MC_E_PROTOCOL, "NUL byte in the %s", where);
	if (memchr(p, '\r', n))
		return fail(in, MC_E_PROTOCOL, "bare CR in the %s", where);
	return MC_OK;
}

/* status-line = HTTP-version SP status-code SP [ reason-phrase ]
 * (RFC 9112 section 4). The SP before an empty reason is also accepted
 * when missing, as RFC 9112 section 4 asks recipients to ignore the reason.
 * Only HTTP/1.x: a 2 or 3 here means the server answered in a protocol
 * this parser does not speak. */
static mc_status_t status_line(mc_http_reply_t *r, const in_t *in, const char *p, size_t n)
{
	int code;

	if (n < 12 || memcmp(p, "HTTP/1.", 7) != 0 || !is_digit(p[7]) || p[8] != ' ' ||
	    !is_digit(p[9]) || !is_digit(p[10]) || !is_digit(p[11]) || (n > 12 && p[12] != ' ')) {
		char shown[48];
		mc_str_sanitize(shown, sizeof(shown), p, n);
		return fail(in, MC_E_PROTOCOL, "bad status line: '%s'", shown);
	}
	code = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	/* RFC 9110 section 15: values outside 100..599 are invalid. */
	if (code < 100 || code > 599)
		return fail(in, MC_E_PROTOCOL, "bad status code %d", code);
	/* A 101 means the connection now speaks another protocol; we never
	 * asked for an upgrade. */
	if (code == 101)
		return fail(in, MC_E_PROTOCOL, "unexpected 101 Switching Protocols");
	r->status = code;
	r->minor = p[7] - '0';
	if (n > 13)
		mc_str_sanitize(r->reason, sizeof(r->reason), p + 13, n - 13);
	else
		r->reason[0] = '\0';
	return MC_OK;
}

/* One element of a Content-Length list: 1*DIGIT. Leading zeros do not
 * count toward the length bound of the number parser. */
static mc_status_t cl_value(const in_t *in, const char *p, size_t n, size_t *out)
{
	char digits[24];
	size_t i;
	long v;

	if (!n)
		return fail(in, MC_E_PROTOCOL, "bad Content-Length: empty");
	for (i = 0; i < n; i++) {
		if (!is_digit(p[i])) {
			char shown[40];
			mc_str_sanitize(shown, sizeof(shown), p, n);
			return fail(in, MC_E_PROTOCOL, "bad Content-Length: '%s'", shown);
		}
	}
	while (n > 1 && *p == '0') {
		p++;
		n--;
	}
	if (n >= sizeof(digits))
		return fail(in, MC_E_LIMIT, "Content-Length too large");
	memcpy(digits, p, n);
	digits[n] = '\0';
	if (mc_parse_long(digits, 0, CL_MAX, &v) != MC_OK)
		return fail(in, MC_E_LIMIT, "Content-Length too large");
	*out = (size_t)v;
	return MC_OK;
}

/* RFC 9110 section 8.6: a list of equal values ("42, 42") or repeated
 * equal fields may be taken as one; differing values are an attack vector
 * for response splitting, so they are refused. */
static mc_status_t content_length(const in_t *in, head_t *h, const char *v, size_t n)
{
	size_t i = 0;

	for (;;) {
		const char *comma = memchr(v + i, ',', n - i);
		size_t el = comma ? (size_t)(comma - (v + i)) : n - i;
		const char *e = trim_ows(v + i, &el);
		size_t val = 0;
		mc_status_t st = cl_value(in, e, el, &val);

		if (st != MC_OK)
			return st;
		if (h->has_cl && h->cl != val)
			return fail(in, MC_E_PROTOCOL,
			            "conflicting Content-Length values (%zu and %zu)", h->cl, val);
		h->has_cl = true;
		h->cl = val;
		if (!comma)
			return MC_OK;
		i = (size_t)(comma - v) + 1;
	}
}

/* Transfer-Encoding is a list (RFC 9112 section 6.1); empty elements are
 * allowed (RFC 9110 section 5.6.1). Only chunked can be decoded here. */
static mc_status_t transfer_encoding(const in_t *in, head_t *h, const char *v, size_t n)
{
	size_t i = 0;

	h->has_te = true;
	for (;;) {
		const char *comma = memchr(v + i, ',', n - i);
		size_t el = comma ? (size_t)(comma - (v + i)) : n - i;
		const char *e = trim_ows(v + i, &el);

		if (el == 7 && mc_str_ieq_n("chunked", e, 7)) {
			h->chunked++;
		} else if (el) {
			char shown[40];
			mc_str_sanitize(shown, sizeof(shown), e, el);
			return fail(in, MC_E_PROTOCOL, "transfer coding '%s' not supported", shown);
		}
		if (!comma)
			return MC_OK;
		i = (size_t)(comma - v) + 1;
	}
}

/* The media type without parameters (RFC 9110 section 8.3.1), lower-cased:
 * type and subtype are case-insensitive. */
static void content_type(mc_http_reply_t *r, const char *v, size_t n)
{
	const char *semi = memchr(v, ';', n);
	char *c;

	if (semi)
		n = (size_t)(semi - v);
	v = trim_ows(v, &n);
	mc_str_sanitize(r->content_type, sizeof(r->content_type), v, n);
	for (c = r->content_type; *c; c++) {
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	}
}

/* field-line = field-name ":" OWS field-value OWS (RFC 9112 section 5).
 * A line that starts with whitespace is obs-fold (section 5.2) or, after
 * the status line, whitespace before the first field (section 2.2): both
 * are refused. No whitespace is allowed between name and colon (5.1). */
static mc_status_t field_line(const in_t *in, const char *p, size_t n, const char **name,
                              size_t *namelen, const char **val, size_t *vallen)
{
	const char *colon;
	size_t i;

	if (is_ows(p[0]))
		return fail(in, MC_E_PROTOCOL, "obsolete line folding in the header section");
	colon = memchr(p, ':', n);
	if (!colon) {
		char shown[40];
		mc_str_sanitize(shown, sizeof(shown), p, n);
		return fail(in, MC_E_PROTOCOL, "header line without ':': '%s'", shown);
	}
	*namelen = (size_t)(colon - p);
	if (*namelen && is_ows(p[*namelen - 1]))
		return fail(in, MC_E_PROTOCOL, "whitespace before ':' in a header line");
	for (i = 0; i < *namelen; i++) {
		if (!is_tchar(p[i]))
			break;
	}
	if (!*namelen || i < *namelen) {
		char shown[40];
		mc_str_sanitize(shown, sizeof(shown), p, *namelen);
		return fail(in, MC_E_PROTOCOL, "bad header field name '%s'", shown);
	}
	*name = p;
	*vallen = n - *namelen - 1;
	*val = trim_ows(colon + 1, vallen);
	return MC_OK;
}

static bool name_is(const char *name, size_t n, const char *want)
{
	return n == strlen(want) && mc_str_ieq_n(want, name, n);
}

static mc_status_t use_field(mc_http_reply_t *r, const in_t *in, head_t *h, const char *p, size_t n)
{
	const char *name, *v;
	size_t nl, vl;
	mc_status_t st = field_line(in, p, n, &name, &nl, &v, &vl);

	if (st != MC_OK)
		return st;
	if (name_is(name, nl, "content-length"))
		return content_length(in, h, v, vl);
	if (name_is(name, nl, "transfer-encoding"))
		return transfer_encoding(in, h, v, vl);
	/* Neither may repeat (RFC 9110 section 5.3); the first one counts. */
	if (name_is(name, nl, "content-type") && !h->has_ct) {
		h->has_ct = true;
		content_type(r, v, vl);
	} else if (name_is(name, nl, "location") && !h->has_loc) {
		h->has_loc = true;
		mc_str_sanitize(r->location, sizeof(r->location), v, vl);
	}
	return MC_OK;
}

/* A line of the header section starting at pos, within the limits. */
static mc_status_t head_line(const in_t *in, size_t pos, size_t *ll, size_t *next)
{
	switch (get_line(in, pos, HTTP_LINE_MAX, ll, next)) {
	case LINE_OK:
		if (*next > HTTP_SECTION_MAX)
			break;
		return MC_OK;
	case LINE_LONG:
		return fail(in, MC_E_LIMIT, "header line too long (over %d bytes)", HTTP_LINE_MAX);
	case LINE_MORE:
		if (in->len > HTTP_SECTION_MAX)
			break;
		return need_more(in, in->len ? "in the header section" : "without a response");
	}
	return fail(in, MC_E_LIMIT, "header section too large (over %d bytes)", HTTP_SECTION_MAX);
}

/* One response's status line and header section from *pos, up to and
 * including the empty line. */
static mc_status_t parse_head(mc_http_reply_t *r, const in_t *in, size_t *pos, head_t *h)
{
	size_t p = *pos, ll, next, nfields = 0;
	mc_status_t st;

	memset(h, 0, sizeof(*h));
	r->reason[0] = r->content_type[0] = r->location[0] = '\0';
	st = head_line(in, p, &ll, &next);
	if (st == MC_OK)
		st = check_bytes(in, in->buf + p, ll, "status line");
	if (st == MC_OK)
		st = status_line(r, in, in->buf + p, ll);
	if (st != MC_OK)
		return st;
	for (p = next;; p = next) {
		st = head_line(in, p, &ll, &next);
		if (st != MC_OK)
			return st;
		if (!ll)
			break;
		if (++nfields > HTTP_FIELDS_MAX)
			return fail(in, MC_E_LIMIT, "too many header fields (over %d)",
			            HTTP_FIELDS_MAX);
		st = check_bytes(in, in->buf + p, ll, "header section");
		if (st == MC_OK)
			st = use_field(r, in, h, in->buf + p, ll);
		if (st != MC_OK)
			return st;
	}
	*pos = next;
	/* RFC 9112 section 6.1: Transfer-Encoding in HTTP/1.0 means the
	 * framing is faulty; with Content-Length too, the message may be a
	 * smuggling attempt (section 6.3 item 3). chunked must be final and
	 * appear once, and nothing else is supported, so exactly once. */
	if (h->has_te && r->minor == 0)
		return fail(in, MC_E_PROTOCOL, "Transfer-Encoding in an HTTP/1.0 response");
	if (h->has_te && h->has_cl)
		return fail(in, MC_E_PROTOCOL, "both Content-Length and Transfer-Encoding");
	if (h->has_te && h->chunked != 1)
		return fail(in, MC_E_PROTOCOL, "bad Transfer-Encoding (chunked %s)",
		            h->chunked ? "more than once" : "missing");
	return MC_OK;
}

static mc_status_t too_large(const in_t *in, const mc_http_reply_t *r)
{
	return fail(in, MC_E_LIMIT, "body larger than %zu bytes", r->body_max);
}

static mc_status_t append(const in_t *in, mc_http_reply_t *r, const char *p, size_t n)
{
	mc_status_t st = mc_buf_append(&r->body, p, n);

	if (st == MC_E_LIMIT)
		return too_large(in, r);
	if (st != MC_OK)
		return fail(in, st, "out of memory for the body");
	return MC_OK;
}

/* chunk-size [ chunk-ext ], RFC 9112 section 7.1: hex digits, then
 * optional whitespace and ';' before extensions, which are ignored. The
 * size is checked against the room left in the body as it is read, so no
 * number of digits can overflow. */
static mc_status_t chunk_size(const in_t *in, const mc_http_reply_t *r, const char *p, size_t n,
                              size_t *out)
{
	size_t room = r->body.max - r->body.len, v = 0, i;
	bool over = false;

	for (i = 0; i < n; i++) {
		char c = p[i];
		unsigned d;

		if (is_digit(c))
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (d > room || v > (room - d) / 16)
			over = true;
		else
			v = v * 16 + d;
	}
	if (i > 0) {
		size_t j = i;
		while (j < n && is_ows(p[j]))
			j++;
		if (j == n || p[j] == ';') {
			if (over)
				return too_large(in, r);
			*out = v;
			return MC_OK;
		}
	}
	{
		char shown[40];
		mc_str_sanitize(shown, sizeof(shown), p, n);
		return fail(in, MC_E_PROTOCOL, "bad chunk size: '%s'", shown);
	}
}

/* The CRLF (or LF) after chunk data. */
static mc_status_t chunk_end(const in_t *in, size_t *pos)
{
	size_t p = *pos;

	if (p < in->len && in->buf[p] == '\n') {
		*pos = p + 1;
		return MC_OK;
	}
	if (p < in->len && in->buf[p] == '\r') {
		if (p + 1 == in->len)
			return need_more(in, "in the chunked body");
		if (in->buf[p + 1] == '\n') {
			*pos = p + 2;
			return MC_OK;
		}
	}
	if (p == in->len)
		return need_more(in, "in the chunked body");
	return fail(in, MC_E_PROTOCOL, "missing CRLF after chunk data");
}

/* The trailer section after the last chunk (RFC 9112 section 7.1.2): field
 * lines, checked like header lines and bounded alike, then discarded. */
static mc_status_t trailer(const in_t *in, size_t *pos)
{
	size_t start = *pos, p = start, ll, next, nfields = 0;

	for (;;) {
		line_t lt = get_line(in, p, HTTP_LINE_MAX, &ll, &next);
		const char *name, *v;
		size_t nl, vl;
		mc_status_t st;

		if (lt == LINE_LONG)
			return fail(in, MC_E_LIMIT, "trailer line too long (over %d bytes)",
			            HTTP_LINE_MAX);
		if ((lt == LINE_OK ? next : in->len) - start > HTTP_SECTION_MAX)
			return fail(in, MC_E_LIMIT, "trailer section too large (over %d bytes)",
			            HTTP_SECTION_MAX);
		if (lt == LINE_MORE)
			return need_more(in, "in the chunked body");
		if (!ll)
			break;
		if (++nfields > HTTP_FIELDS_MAX)
			return fail(in, MC_E_LIMIT, "too many trailer fields (over %d)",
			            HTTP_FIELDS_MAX);
		st = check_bytes(in, in->buf + p, ll, "trailer section");
		if (st == MC_OK)
			st = field_line(in, in->buf + p, ll, &name, &nl, &v, &vl);
		if (st != MC_OK)
			return st;
		p = next;
	}
	*pos = next;
	return MC_OK;
}

static mc_status_t body_chunked(mc_http_reply_t *r, const in_t *in, size_t *pos)
{
	size_t p = *pos, ll, next, size = 0;
	mc_status_t st;

	for (;;) {
		line_t lt = get_line(in, p, HTTP_CHUNK_LINE_MAX, &ll, &next);

		if (lt == LINE_LONG)
			return fail(in, MC_E_LIMIT, "chunk-size line too long (over %d bytes)",
			            HTTP_CHUNK_LINE_MAX);
		if (lt == LINE_MORE)
			return need_more(in, "in the chunked body");
		st = chunk_size(in, r, in->buf + p, ll, &size);
		if (st != MC_OK)
			return st;
		p = next;
		if (!size)
			break;
		if (in->len - p < size)
			return need_more(in, "in the chunked body");
		st = append(in, r, in->buf + p, size);
		if (st == MC_OK) {
			p += size;
			st = chunk_end(in, &p);
		}
		if (st != MC_OK)
			return st;
	}
	st = trailer(in, &p);
	if (st == MC_OK)
		*pos = p;
	return st;
}

static mc_status_t body_length(mc_http_reply_t *r, const in_t *in, size_t *pos, size_t cl)
{
	size_t have = in->len - *pos;
	mc_status_t st;

	if (cl > r->body_max)
		return too_large(in, r);
	if (have < cl) {
		char what[80];
		snprintf(what, sizeof(what), "%zu bytes before the end of the body", cl - have);
		return need_more(in, what);
	}
	st = append(in, r, in->buf + *pos, cl);
	if (st == MC_OK)
		*pos += cl;
	return st;
}

/* RFC 9112 section 6.3 item 8: without Content-Length or chunked coding,
 * the body is everything until the server closes the connection. */
static mc_status_t body_close(mc_http_reply_t *r, const in_t *in, size_t *pos)
{
	size_t have = in->len - *pos;
	mc_status_t st;

	if (have > r->body_max)
		return too_large(in, r);
	if (!in->eof)
		return MC_E_AGAIN;
	st = append(in, r, in->buf + *pos, have);
	if (st == MC_OK)
		*pos = in->len;
	return st;
}

mc_status_t mc_http_reply_parse(mc_http_reply_t *r, const char *buf, size_t len, bool eof,
                                size_t *consumed, char *err, size_t errsz)
{
	in_t in = {buf, len, eof, err, errsz};
	size_t pos = 0;
	head_t h;
	mc_status_t st;

	r->status = 0;
	r->minor = 0;
	r->reason[0] = r->content_type[0] = r->location[0] = '\0';
	r->body.max = r->body_max;
	mc_buf_reset(&r->body);
	*consumed = 0;
	if (err && errsz)
		err[0] = '\0';
	/* Interim 1xx responses carry no body (RFC 9110 section 15.2). */
	do {
		st = parse_head(r, &in, &pos, &h);
		if (st != MC_OK)
			return st;
	} while (r->status < 200);
	/* RFC 9112 section 6.3 items 1-2: 204 and 304 end at the header
	 * section whatever their fields say. */
	if (r->status == 204 || r->status == 304)
		st = MC_OK;
	else if (h.has_te)
		st = body_chunked(r, &in, &pos);
	else if (h.has_cl)
		st = body_length(r, &in, &pos, h.cl);
	else
		st = body_close(r, &in, &pos);
	if (st == MC_OK)
		*consumed = pos;
	return st;
}
