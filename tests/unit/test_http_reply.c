/* Unit tests: the HTTP/1.1 response parser (status line, header fields,
 * Content-Length, chunked and close-delimited bodies, limits). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/mc_http_reply.h"

/* consumed: the whole input */
#define ALL SIZE_MAX

typedef struct {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	bool eof;
	size_t body_max;
	mc_status_t want;
	int status;               /* MC_OK only */
	const char *content_type; /* MC_OK only, NULL to skip */
	const char *location;     /* MC_OK only, NULL to skip */
	const char *body;         /* MC_OK only, NULL to skip */
	size_t consumed;          /* MC_OK only */
	const char *err;          /* substring of err for failures */
} http_case_t;

#define H200 "HTTP/1.1 200 OK\r\n"
#define CHUNKED H200 "Transfer-Encoding: chunked\r\n\r\n"
#define POLICY "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"

static const http_case_t cases[] = {
    /* ---- complete responses ---- */
    {"simple Content-Length", H200 "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello", 0,
     false, 1024, MC_OK, 200, "text/plain", "", "hello", ALL, NULL},
    {"nginx MTA-STS policy",
     "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 03 Jun 2024 10:00:00 GMT\r\n"
     "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 70\r\n"
     "Connection: keep-alive\r\nETag: \"665d9a1c-46\"\r\n\r\n" POLICY,
     0, false, 65536, MC_OK, 200, "text/plain", "", POLICY, ALL, NULL},
    {"LF-only lines", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 0, false, 16, MC_OK, 200, "", "",
     "ok", ALL, NULL},
    {"bytes after the body are not consumed", H200 "Content-Length: 2\r\n\r\nokEXTRA", 0, false, 16,
     MC_OK, 200, NULL, NULL, "ok", 40, NULL},
    {"Content-Length 0", H200 "Content-Length: 0\r\n\r\n", 0, false, 0, MC_OK, 200, NULL, NULL, "",
     ALL, NULL},
    {"Content-Length without OWS, name in any case", H200 "content-LENGTH:2\r\n\r\nok", 0, false,
     16, MC_OK, 200, NULL, NULL, "ok", ALL, NULL},
    {"equal Content-Length values", H200 "Content-Length: 3, 3\r\nContent-Length: 003\r\n\r\nabc",
     0, false, 16, MC_OK, 200, NULL, NULL, "abc", ALL, NULL},
    {"body with a NUL byte", H200 "Content-Length: 3\r\n\r\na\0b", 41, false, 16, MC_OK, 200, NULL,
     NULL, NULL, ALL, NULL},
    {"body exactly body_max", H200 "Content-Length: 4\r\n\r\nabcd", 0, false, 4, MC_OK, 200, NULL,
     NULL, "abcd", ALL, NULL},
    {"chunked with extensions and trailers",
     CHUNKED "5;name=val\r\nhello\r\n6 ; x=\"y\"\r\n world\r\n0;last\r\nExpires: never\r\n"
             "X-T: 1\r\n\r\n",
     0, false, 64, MC_OK, 200, NULL, NULL, "hello world", ALL, NULL},
    {"chunked upper-case hex, leading zeros", CHUNKED "000A\r\n0123456789\r\n1\r\n!\r\n000\r\n\r\n",
     0, false, 64, MC_OK, 200, NULL, NULL, "0123456789!", ALL, NULL},
    {"chunked with LF-only lines",
     "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nab\n1\nc\n0\n\n", 0, false, 64, MC_OK, 200,
     NULL, NULL, "abc", ALL, NULL},
    {"chunked spelled in any case, empty list elements",
     H200 "Transfer-Encoding: , Chunked ,\r\n\r\n2\r\nok\r\n0\r\n\r\n", 0, false, 64, MC_OK, 200,
     NULL, NULL, "ok", ALL, NULL},
    {"chunked: bytes after the trailer not consumed", CHUNKED "0\r\n\r\nHTTP/1.1", 0, false, 64,
     MC_OK, 200, NULL, NULL, "", 52, NULL},
    {"chunked body exactly body_max", CHUNKED "2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n", 0, false, 4, MC_OK,
     200, NULL, NULL, "abcd", ALL, NULL},
    {"close-delimited ends at eof", H200 "Content-Type: text/plain\r\n\r\n" POLICY, 0, true, 1024,
     MC_OK, 200, "text/plain", "", POLICY, ALL, NULL},
    {"close-delimited empty body at eof", "HTTP/1.0 200 OK\r\n\r\n", 0, true, 1024, MC_OK, 200, "",
     "", "", ALL, NULL},
    {"100 Continue then 200",
     "HTTP/1.1 100 Continue\r\n\r\n" H200 "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nok",
     0, false, 16, MC_OK, 200, "text/plain", "", "ok", ALL, NULL},
    {"103 with fields, then 100, then 200; fields of the 1xx dropped",
     "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\nContent-Type: text/html\r\n\r\n"
     "HTTP/1.1 100 Continue\r\n\r\n" H200 "Content-Length: 2\r\n\r\nok",
     0, false, 16, MC_OK, 200, "", "", "ok", ALL, NULL},
    {"204 has no body whatever Content-Length says",
     "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", 0, false, 16, MC_OK, 204, NULL, NULL,
     "", ALL, NULL},
    {"304 has no body, later bytes not consumed",
     "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\nHTTP/1.1 200 OK\r\n", 0, false, 16, MC_OK,
     304, NULL, NULL, "", 40, NULL},
    {"301 with Location",
     "HTTP/1.1 301 Moved Permanently\r\nServer: nginx\r\nContent-Type: text/html\r\n"
     "Content-Length: 0\r\nLocation: https://mta-sts.example.net/.well-known/mta-sts.txt\r\n\r\n",
     0, false, 16, MC_OK, 301, "text/html", "https://mta-sts.example.net/.well-known/mta-sts.txt",
     "", ALL, NULL},
    {"Location sanitized, first one counts",
     "HTTP/1.1 302 Found\r\nLocation:  https://x/a|b\x01"
     "c \r\nLocation: https://y/\r\n"
     "Content-Length: 0\r\n\r\n",
     0, false, 16, MC_OK, 302, "", "https://x/a/b?c", "", ALL, NULL},
    {"Content-Type lower-cased without parameters",
     H200 "Content-Type:   Text/Plain ; charset=utf-8  \r\nContent-Length: 0\r\n\r\n", 0, false, 16,
     MC_OK, 200, "text/plain", "", "", ALL, NULL},
    {"first Content-Type counts",
     H200 "Content-Type: text/plain\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n", 0,
     false, 16, MC_OK, 200, "text/plain", "", "", ALL, NULL},
    {"empty reason after SP", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", 0, false, 16, MC_OK,
     200, NULL, NULL, "", ALL, NULL},
    {"no reason, no SP", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 0, false, 16, MC_OK, 200,
     NULL, NULL, "", ALL, NULL},
    {"404 is a response like any other",
     "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 9\r\n\r\nnot found", 0,
     false, 16, MC_OK, 404, "text/html", "", "not found", ALL, NULL},
    {"other control bytes in a value are kept (sanitized on output)",
     H200 "X-A: \x1b[31m\r\nContent-Length: 0\r\n\r\n", 0, false, 16, MC_OK, 200, NULL, NULL, "",
     ALL, NULL},

    /* ---- incomplete: more input needed ---- */
    {"empty input", "", 0, false, 16, MC_E_AGAIN, 0, NULL, NULL, NULL, 0, NULL},
    {"partial status line", "HTTP/1.1 20", 0, false, 16, MC_E_AGAIN, 0, NULL, NULL, NULL, 0, NULL},
    {"status line only", H200, 0, false, 16, MC_E_AGAIN, 0, NULL, NULL, NULL, 0, NULL},
    {"partial field line", H200 "Content-Len", 0, false, 16, MC_E_AGAIN, 0, NULL, NULL, NULL, 0,
     NULL},
    {"no empty line yet", H200 "Content-Length: 2\r\n", 0, false, 16, MC_E_AGAIN, 0, NULL, NULL,
     NULL, 0, NULL},
    {"CR of the empty line", H200 "Content-Length: 2\r\n\r", 0, false, 16, MC_E_AGAIN, 0, NULL,
     NULL, NULL, 0, NULL},
    {"Content-Length body short", H200 "Content-Length: 5\r\n\r\nhel", 0, false, 16, MC_E_AGAIN, 0,
     NULL, NULL, NULL, 0, NULL},
    {"close-delimited waits for eof", H200 "Content-Type: text/plain\r\n\r\n" POLICY, 0, false,
     1024, MC_E_AGAIN, 0, NULL, NULL, NULL, 0, NULL},
    {"after 100 Continue", "HTTP/1.1 100 Continue\r\n\r\n", 0, false, 16, MC_E_AGAIN, 0, NULL, NULL,
     NULL, 0, NULL},
    {"chunk-size line incomplete", CHUNKED "5", 0, false, 16, MC_E_AGAIN, 0, NULL, NULL, NULL, 0,
     NULL},
    {"chunk data short", CHUNKED "5\r\nhel", 0, false, 16, MC_E_AGAIN, 0, NULL, NULL, NULL, 0,
     NULL},
    {"chunk data without its line end yet", CHUNKED "5\r\nhello", 0, false, 16, MC_E_AGAIN, 0, NULL,
     NULL, NULL, 0, NULL},
    {"CR after chunk data", CHUNKED "5\r\nhello\r", 0, false, 16, MC_E_AGAIN, 0, NULL, NULL, NULL,
     0, NULL},
    {"last chunk without the final CRLF", CHUNKED "0\r\n", 0, false, 16, MC_E_AGAIN, 0, NULL, NULL,
     NULL, 0, NULL},
    {"trailer section unfinished", CHUNKED "0\r\nX-T: 1\r\n", 0, false, 16, MC_E_AGAIN, 0, NULL,
     NULL, NULL, 0, NULL},

    /* ---- the connection closed early ---- */
    {"eof without a byte", "", 0, true, 16, MC_E_CLOSED, 0, NULL, NULL, NULL, 0,
     "without a response"},
    {"eof in the status line", "HTTP/1.1 2", 0, true, 16, MC_E_CLOSED, 0, NULL, NULL, NULL, 0,
     "in the header section"},
    {"eof in the header section", H200 "Content-Length: 5\r\n", 0, true, 16, MC_E_CLOSED, 0, NULL,
     NULL, NULL, 0, "in the header section"},
    {"eof after an interim response", "HTTP/1.1 100 Continue\r\n\r\n", 0, true, 16, MC_E_CLOSED, 0,
     NULL, NULL, NULL, 0, "in the header section"},
    {"eof in a Content-Length body", H200 "Content-Length: 5\r\n\r\nhe", 0, true, 16, MC_E_CLOSED,
     0, NULL, NULL, NULL, 0, "connection closed 3 bytes before the end of the body"},
    {"eof in chunk data", CHUNKED "5\r\nhel", 0, true, 16, MC_E_CLOSED, 0, NULL, NULL, NULL, 0,
     "in the chunked body"},
    {"eof before the last chunk", CHUNKED "5\r\nhello\r\n", 0, true, 16, MC_E_CLOSED, 0, NULL, NULL,
     NULL, 0, "in the chunked body"},
    {"eof in the trailer", CHUNKED "0\r\nX-T: 1\r\n", 0, true, 16, MC_E_CLOSED, 0, NULL, NULL, NULL,
     0, "in the chunked body"},

    /* ---- bad status lines ---- */
    {"HTTP/2", "HTTP/2 200\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0,
     "bad status line: 'HTTP/2 200'"},
    {"HTTP/2.0", "HTTP/2.0 200 OK\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0,
     "bad status line"},
    {"two-digit code", "HTTP/1.1 20 OK\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL, NULL,
     0, "bad status line"},
    {"four-digit code", "HTTP/1.1 2000 OK\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL,
     NULL, 0, "bad status line"},
    {"letters in the code", "HTTP/1.1 2OO OK\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL,
     NULL, 0, "bad status line"},
    {"lower-case protocol name", "http/1.1 200 OK\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL,
     NULL, NULL, 0, "bad status line"},
    {"two spaces before the code", "HTTP/1.1  200 OK\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL,
     NULL, NULL, 0, "bad status line"},
    {"an SMTP banner", "220 mx.example.com ESMTP\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL,
     NULL, 0, "bad status line"},
    {"empty line first", "\r\nHTTP/1.1 200 OK\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL,
     NULL, 0, "bad status line"},
    {"code 600", "HTTP/1.1 600 Odd\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0,
     "bad status code 600"},
    {"code 099", "HTTP/1.1 099 Odd\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0,
     "bad status code 99"},
    {"101 Switching Protocols", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", 0,
     false, 16, MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "101"},
    {"NUL in the status line", "HTTP/1.1 200 O\0K\r\n\r\n", 20, false, 16, MC_E_PROTOCOL, 0, NULL,
     NULL, NULL, 0, "NUL byte in the status line"},

    /* ---- bad framing ---- */
    {"conflicting Content-Length fields",
     H200 "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 0, false, 16, MC_E_PROTOCOL, 0,
     NULL, NULL, NULL, 0, "conflicting Content-Length values (5 and 6)"},
    {"conflicting Content-Length list", H200 "Content-Length: 5, 6\r\n\r\nhello!", 0, false, 16,
     MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "conflicting Content-Length"},
    {"Content-Length with a sign", H200 "Content-Length: +5\r\n\r\nhello", 0, false, 16,
     MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "bad Content-Length: '+5'"},
    {"Content-Length in hex", H200 "Content-Length: 0x10\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0,
     NULL, NULL, NULL, 0, "bad Content-Length"},
    {"Content-Length with a space inside", H200 "Content-Length: 1 0\r\n\r\n", 0, false, 16,
     MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "bad Content-Length"},
    {"Content-Length empty", H200 "Content-Length: \r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL,
     NULL, NULL, 0, "bad Content-Length: empty"},
    {"Content-Length empty list element", H200 "Content-Length: 5,,5\r\n\r\n", 0, false, 16,
     MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "bad Content-Length: empty"},
    {"Content-Length beyond a long", H200 "Content-Length: 99999999999999999999999\r\n\r\n", 0,
     false, 16, MC_E_LIMIT, 0, NULL, NULL, NULL, 0, "Content-Length too large"},
    {"Content-Length and chunked",
     H200 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 0,
     false, 16, MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "both Content-Length and Transfer-Encoding"},
    {"another transfer coding", H200 "Transfer-Encoding: gzip, chunked\r\n\r\n", 0, false, 16,
     MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "transfer coding 'gzip' not supported"},
    {"chunked with a parameter", H200 "Transfer-Encoding: chunked;q=1\r\n\r\n", 0, false, 16,
     MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "transfer coding"},
    {"chunked twice", H200 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 0,
     false, 16, MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "more than once"},
    {"empty Transfer-Encoding", H200 "Transfer-Encoding: \r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0,
     NULL, NULL, NULL, 0, "chunked missing"},
    {"Transfer-Encoding in HTTP/1.0",
     "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 0, false, 16, MC_E_PROTOCOL,
     0, NULL, NULL, NULL, 0, "HTTP/1.0"},
    {"bad hex in a chunk size", CHUNKED "5x\r\nhello\r\n0\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0,
     NULL, NULL, NULL, 0, "bad chunk size: '5x'"},
    {"empty chunk size", CHUNKED "\r\nhello\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL, NULL,
     0, "bad chunk size"},
    {"negative chunk size", CHUNKED "-1\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0,
     "bad chunk size"},
    {"chunk size with 0x", CHUNKED "0x5\r\nhello\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL,
     NULL, 0, "bad chunk size"},
    {"extension without ';'", CHUNKED "5 ext\r\nhello\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL,
     NULL, NULL, 0, "bad chunk size"},
    {"chunk longer than its size", CHUNKED "5\r\nhello!\r\n0\r\n\r\n", 0, false, 16, MC_E_PROTOCOL,
     0, NULL, NULL, NULL, 0, "missing CRLF after chunk data"},
    {"CR without LF after chunk data", CHUNKED "5\r\nhello\rX0\r\n\r\n", 0, false, 16,
     MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "missing CRLF"},

    /* ---- body over body_max ---- */
    {"Content-Length over body_max, before the body arrives", H200 "Content-Length: 100000\r\n\r\n",
     0, false, 65536, MC_E_LIMIT, 0, NULL, NULL, NULL, 0, "body larger than 65536 bytes"},
    {"one chunk over body_max", CHUNKED "5\r\nhello\r\n0\r\n\r\n", 0, false, 4, MC_E_LIMIT, 0, NULL,
     NULL, NULL, 0, "body larger than 4 bytes"},
    {"chunks adding up over body_max", CHUNKED "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n", 0, false, 5,
     MC_E_LIMIT, 0, NULL, NULL, NULL, 0, "body larger than 5 bytes"},
    {"chunk size beyond size_t", CHUNKED "fffffffffffffffffffffffffff\r\n", 0, false, 65536,
     MC_E_LIMIT, 0, NULL, NULL, NULL, 0, "body larger than 65536 bytes"},
    {"close-delimited over body_max before eof", H200 "\r\n" POLICY, 0, false, 10, MC_E_LIMIT, 0,
     NULL, NULL, NULL, 0, "body larger than 10 bytes"},

    /* ---- bad header section ---- */
    {"NUL in a header line", H200 "Content-Type: text/\0plain\r\n\r\n", 46, false, 16,
     MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "NUL byte in the header section"},
    {"bare CR in a header line", H200 "X-A: a\rb\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL,
     NULL, NULL, 0, "bare CR in the header section"},
    {"bare CR as a line end", H200 "X-A: a\r\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL,
     NULL, 0, "bare CR"},
    {"obs-fold", H200 "X-A: a\r\n  b\r\nContent-Length: 0\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0,
     NULL, NULL, NULL, 0, "obsolete line folding"},
    {"obs-fold with a tab", H200 "Location: /a\r\n\t/b\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0,
     NULL, NULL, NULL, 0, "obsolete line folding"},
    {"whitespace before the first field", H200 " Content-Length: 0\r\n\r\n", 0, false, 16,
     MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0, "obsolete line folding"},
    {"whitespace before ':'", H200 "Content-Length : 5\r\n\r\nhello", 0, false, 16, MC_E_PROTOCOL,
     0, NULL, NULL, NULL, 0, "whitespace before ':'"},
    {"header line without ':'", H200 "this is not a field\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0,
     NULL, NULL, NULL, 0, "header line without ':'"},
    {"space inside a field name", H200 "X A: b\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL,
     NULL, 0, "bad header field name 'X A'"},
    {"empty field name", H200 ": b\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0, NULL, NULL, NULL, 0,
     "bad header field name"},
    {"NUL in the trailer", CHUNKED "0\r\nX-T: \0\r\n\r\n", 60, false, 16, MC_E_PROTOCOL, 0, NULL,
     NULL, NULL, 0, "NUL byte in the trailer section"},
    {"trailer line without ':'", CHUNKED "0\r\nnot a field\r\n\r\n", 0, false, 16, MC_E_PROTOCOL, 0,
     NULL, NULL, NULL, 0, "without ':'"},
};

/* Parse len bytes copied into a buffer of exactly that size, so ASan and
 * valgrind see any read past the end. */
static mc_status_t parse_exact(mc_http_reply_t *r, const char *in, size_t len, bool eof,
                               size_t *used, char *err, size_t errsz)
{
	char *copy = malloc(len ? len : 1);
	mc_status_t st;

	assert_non_null(copy);
	if (len)
		memcpy(copy, in, len);
	st = mc_http_reply_parse(r, copy, len, eof, used, err, errsz);
	free(copy);
	return st;
}

static void test_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const http_case_t *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->in), used = 12345;
		mc_http_reply_t r;
		char err[256] = "";
		mc_status_t st;

		print_message("case: %s\n", c->name);
		mc_http_reply_init(&r, c->body_max);
		st = parse_exact(&r, c->in, len, c->eof, &used, err, sizeof(err));
		if (st != c->want)
			print_message("  got %s: %s\n", mc_status_str(st), err);
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			assert_int_equal(r.status, c->status);
			assert_int_equal(used, c->consumed == ALL ? len : c->consumed);
			if (c->content_type)
				assert_string_equal(r.content_type, c->content_type);
			if (c->location)
				assert_string_equal(r.location, c->location);
			if (c->body) {
				assert_int_equal(r.body.len, strlen(c->body));
				assert_string_equal(mc_buf_cstr(&r.body), c->body);
			}
		} else {
			assert_int_equal(used, 0);
		}
		if (c->err)
			assert_non_null(strstr(err, c->err));
		else if (st != MC_OK && st != MC_E_AGAIN)
			fail_msg("no error phrase for a failing case");
		mc_http_reply_free(&r);
	}
}

/* The NUL inside a body is kept. */
static void test_body_with_nul(void **state)
{
	static const char in[] = H200 "Content-Length: 3\r\n\r\na\0b";
	mc_http_reply_t r;
	size_t used;
	char err[128];

	(void)state;
	mc_http_reply_init(&r, 16);
	assert_int_equal(
	    mc_http_reply_parse(&r, in, sizeof(in) - 1, false, &used, err, sizeof(err)), MC_OK);
	assert_int_equal(r.body.len, 3);
	assert_memory_equal(r.body.data, "a\0b", 3);
	mc_http_reply_free(&r);
}

/* Fields of an earlier call do not leak into the next one; minor and
 * reason are set. */
static void test_reuse(void **state)
{
	static const char redirect[] = "HTTP/1.1 301 Moved Permanently\r\nLocation: https://a/\r\n"
	                               "Content-Type: text/html\r\nContent-Length: 3\r\n\r\nabc";
	static const char policy[] = "HTTP/1.0 200 Fine\r\nContent-Length: 2\r\n\r\nok";
	mc_http_reply_t r;
	size_t used;
	char err[128];

	(void)state;
	mc_http_reply_init(&r, 16);
	assert_int_equal(
	    mc_http_reply_parse(&r, redirect, sizeof(redirect) - 1, false, &used, err, sizeof(err)),
	    MC_OK);
	assert_int_equal(r.minor, 1);
	assert_string_equal(r.reason, "Moved Permanently");
	assert_string_equal(r.location, "https://a/");
	assert_string_equal(mc_buf_cstr(&r.body), "abc");
	assert_int_equal(
	    mc_http_reply_parse(&r, policy, sizeof(policy) - 1, false, &used, err, sizeof(err)),
	    MC_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.minor, 0);
	assert_string_equal(r.reason, "Fine");
	assert_string_equal(r.location, "");
	assert_string_equal(r.content_type, "");
	assert_string_equal(mc_buf_cstr(&r.body), "ok");
	/* A failure after a success leaves no stale body behind. */
	assert_int_equal(
	    mc_http_reply_parse(&r, "HTTP/1.1 200 OK\r\n", 17, false, &used, err, sizeof(err)),
	    MC_E_AGAIN);
	assert_int_equal(r.body.len, 0);
	mc_http_reply_free(&r);
}

/* Long reason and Content-Type are cut to the field size. */
static void test_cut_fields(void **state)
{
	char in[1024];
	size_t n = 0, used;
	mc_http_reply_t r;
	char err[128];

	(void)state;
	memcpy(in, "HTTP/1.1 200 ", 13);
	n = 13;
	memset(in + n, 'R', 300);
	n += 300;
	memcpy(in + n, "\r\nContent-Type: ", 16);
	n += 16;
	memset(in + n, 'T', 300);
	n += 300;
	memcpy(in + n, "\r\nContent-Length: 0\r\n\r\n", 23);
	n += 23;
	mc_http_reply_init(&r, 16);
	assert_int_equal(mc_http_reply_parse(&r, in, n, false, &used, err, sizeof(err)), MC_OK);
	assert_int_equal(strlen(r.reason), sizeof(r.reason) - 1);
	assert_int_equal(strlen(r.content_type), sizeof(r.content_type) - 1);
	assert_int_equal(r.content_type[0], 't');
	mc_http_reply_free(&r);
}

/* A buffer of status line + nfields lines "X-Fnnnnn: vvv..." of field_len
 * bytes each (CRLF included) + the empty line + rest. */
static char *make_head(size_t nfields, size_t field_len, const char *rest, size_t *outlen)
{
	size_t rl = strlen(rest), n = 0, i;
	char *b = malloc(17 + nfields * field_len + 2 + rl + 1);

	assert_non_null(b);
	assert_true(field_len >= 12);
	memcpy(b, H200, 17);
	n = 17;
	for (i = 0; i < nfields; i++) {
		snprintf(b + n, 11, "X-F%05zu: ", i % 100000);
		memset(b + n + 10, 'v', field_len - 12);
		memcpy(b + n + field_len - 2, "\r\n", 2);
		n += field_len;
	}
	memcpy(b + n, "\r\n", 2);
	n += 2;
	memcpy(b + n, rest, rl);
	n += rl;
	*outlen = n;
	return b;
}

/* A complete response whose header section (status line to empty line) is
 * exactly total bytes: Content-Length: 0 and padding fields. */
static char *sized_head(size_t total)
{
	size_t n = 17 + 19, left = total - n - 2;
	char *b = malloc(total);

	assert_non_null(b);
	memcpy(b, H200 "Content-Length: 0\r\n", n);
	while (left) {
		size_t f = left > 8000 + 12 ? 8000 : left;
		assert_true(f >= 12);
		memcpy(b + n, "X-Pad: ", 7);
		memset(b + n + 7, 'p', f - 9);
		memcpy(b + n + f - 2, "\r\n", 2);
		n += f;
		left -= f;
	}
	memcpy(b + n, "\r\n", 2);
	return b;
}

static mc_status_t parse_buf(const char *b, size_t n, bool eof, char *err, size_t errsz)
{
	mc_http_reply_t r;
	size_t used;
	mc_status_t st;

	mc_http_reply_init(&r, 65536);
	st = parse_exact(&r, b, n, eof, &used, err, errsz);
	mc_http_reply_free(&r);
	return st;
}

/* 16 KiB of header section pass, one byte more fails; an unfinished
 * section fails as soon as it passes the limit. */
static void test_section_limit(void **state)
{
	char err[256];
	size_t n;
	char *b;

	(void)state;
	b = sized_head(16384);
	assert_int_equal(parse_buf(b, 16384, false, err, sizeof(err)), MC_OK);
	free(b);
	b = sized_head(16385);
	assert_int_equal(parse_buf(b, 16385, false, err, sizeof(err)), MC_E_LIMIT);
	assert_non_null(strstr(err, "header section too large (over 16384 bytes)"));
	/* without its empty line: 16383 bytes still wait, 16385 fail */
	assert_int_equal(parse_buf(b, 16383, false, err, sizeof(err)), MC_E_AGAIN);
	free(b);
	b = make_head(90, 200, "", &n);
	assert_int_equal(parse_buf(b, n - 2, false, err, sizeof(err)), MC_E_LIMIT);
	assert_non_null(strstr(err, "header section too large"));
	assert_int_equal(parse_buf(b, 16384, false, err, sizeof(err)), MC_E_AGAIN);
	free(b);
}

/* An endless run of interim responses counts toward the section limit. */
static void test_interim_flood(void **state)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	size_t cl = sizeof(cont) - 1, n = 0;
	char *b = malloc(20000);
	char err[256];

	(void)state;
	assert_non_null(b);
	while (n + cl <= 20000) {
		memcpy(b + n, cont, cl);
		n += cl;
	}
	assert_int_equal(parse_buf(b, n, false, err, sizeof(err)), MC_E_LIMIT);
	assert_non_null(strstr(err, "header section too large"));
	free(b);
}

static void test_field_count(void **state)
{
	char err[256];
	size_t n;
	char *b;

	(void)state;
	/* 100 fields with Content-Length as the 100th */
	b = make_head(99, 20, "", &n);
	{
		char *full = malloc(n + 32);
		assert_non_null(full);
		memcpy(full, b, n - 2);
		memcpy(full + n - 2, "Content-Length: 0\r\n\r\n", 21);
		assert_int_equal(parse_buf(full, n + 19, false, err, sizeof(err)), MC_OK);
		free(full);
	}
	free(b);
	b = make_head(101, 20, "", &n);
	assert_int_equal(parse_buf(b, n, false, err, sizeof(err)), MC_E_LIMIT);
	assert_non_null(strstr(err, "too many header fields (over 100)"));
	/* detected before the section ends */
	assert_int_equal(parse_buf(b, n - 2, false, err, sizeof(err)), MC_E_LIMIT);
	free(b);
}

static void test_line_limits(void **state)
{
	char err[256];
	size_t n;
	char *b;

	(void)state;
	/* a field line of 8192 bytes + CRLF passes */
	b = make_head(1, 8194, "", &n);
	assert_int_equal(parse_buf(b, n, true, err, sizeof(err)), MC_OK);
	free(b);
	/* 8193 bytes fail, with CRLF or LF */
	b = make_head(1, 8195, "", &n);
	assert_int_equal(parse_buf(b, n, true, err, sizeof(err)), MC_E_LIMIT);
	assert_non_null(strstr(err, "header line too long (over 8192 bytes)"));
	b[17 + 8193] = '\n';
	assert_int_equal(parse_buf(b, 17 + 8194, false, err, sizeof(err)), MC_E_LIMIT);
	/* unfinished: 8193 bytes and a CR may still be fine, 8194 are not */
	assert_int_equal(parse_buf(b, 17 + 8193, false, err, sizeof(err)), MC_E_AGAIN);
	b[17 + 8193] = 'v';
	assert_int_equal(parse_buf(b, 17 + 8194, false, err, sizeof(err)), MC_E_LIMIT);
	free(b);
	/* a chunk-size line of over 1 KiB */
	{
		size_t hl = sizeof(CHUNKED) - 1;
		char *c = malloc(hl + 1100);
		assert_non_null(c);
		memcpy(c, CHUNKED, hl);
		memcpy(c + hl, "5;", 2);
		memset(c + hl + 2, 'e', 1098);
		assert_int_equal(parse_buf(c, hl + 1100, false, err, sizeof(err)), MC_E_LIMIT);
		assert_non_null(strstr(err, "chunk-size line too long (over 1024 bytes)"));
		/* 1024 bytes and CRLF: fine */
		memcpy(c + hl + 1024, "\r\nhello\r\n0\r\n\r\n", 14);
		assert_int_equal(parse_buf(c, hl + 1038, false, err, sizeof(err)), MC_OK);
		free(c);
	}
	/* a trailer section of over 16 KiB */
	{
		size_t hl = sizeof(CHUNKED) - 1, t = hl + 3, i;
		char *c = malloc(hl + 3 + 90 * 200);
		assert_non_null(c);
		memcpy(c, CHUNKED "0\r\n", hl + 3);
		for (i = 0; i < 90; i++) {
			memcpy(c + t, "X-T: ", 5);
			memset(c + t + 5, 'v', 193);
			memcpy(c + t + 198, "\r\n", 2);
			t += 200;
		}
		assert_int_equal(parse_buf(c, t, false, err, sizeof(err)), MC_E_LIMIT);
		assert_non_null(strstr(err, "trailer section too large"));
		free(c);
	}
}

/* For complete responses, every proper prefix asks for more input (and
 * never fails), and the whole gives the same result each time. */
static void test_prefixes(void **state)
{
	static const struct {
		const char *in;
		bool eof; /* the whole needs eof (close-delimited) */
	} valid[] = {
	    {H200 "Content-Type: text/plain\r\nContent-Length: 70\r\n\r\n" POLICY, false},
	    {"HTTP/1.1 200 OK\nContent-Length: 2\n\nok", false},
	    {CHUNKED "5;a=b\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n", false},
	    {"HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nab\n0\n\n", false},
	    {"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", false},
	    {"HTTP/1.1 301 Moved\r\nLocation: https://x/\r\nContent-Length: 0\r\n\r\n", false},
	    {H200 "Content-Type: text/plain\r\n\r\n" POLICY, true},
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		size_t len = strlen(valid[i].in), used;
		mc_http_reply_t r;
		char err[256];

		mc_http_reply_init(&r, 1024);
		for (k = 0; k < len; k++) {
			mc_status_t st =
			    parse_exact(&r, valid[i].in, k, false, &used, err, sizeof(err));
			if (st != MC_E_AGAIN)
				print_message("case %zu prefix %zu: %s %s\n", i, k,
				              mc_status_str(st), err);
			assert_int_equal(st, MC_E_AGAIN);
		}
		assert_int_equal(
		    parse_exact(&r, valid[i].in, len, valid[i].eof, &used, err, sizeof(err)),
		    MC_OK);
		assert_int_equal(used, len);
		mc_http_reply_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),         cmocka_unit_test(test_body_with_nul),
	    cmocka_unit_test(test_reuse),         cmocka_unit_test(test_cut_fields),
	    cmocka_unit_test(test_section_limit), cmocka_unit_test(test_interim_flood),
	    cmocka_unit_test(test_field_count),   cmocka_unit_test(test_line_limits),
	    cmocka_unit_test(test_prefixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
