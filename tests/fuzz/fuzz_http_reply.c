/* libFuzzer target: mc_http_reply_parse on a server's bytes. The first
 * byte picks eof (bit 0) and body_max (bits 1-3); the rest is the input.
 * Checks: the fields of a parsed response are in range and printable; the
 * same bytes give the same result with and without eof, but for the ways
 * eof may change it (AGAIN becomes CLOSED or, close-delimited, OK); the
 * consumed bytes alone parse to the same response, and one byte fewer asks
 * for more input. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/mc_http_reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t body_maxes[] = {0, 1, 16, 100, 1024, 16384, 65536, SIZE_MAX};

/* NUL-terminated inside outsz, no control byte, no '|'. */
static void check_printable(const char *s, size_t outsz)
{
	const char *end = memchr(s, '\0', outsz);
	const char *p;

	if (!end)
		abort();
	for (p = s; p < end; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f || *p == '|')
			abort();
	}
}

static void check_reply(const mc_http_reply_t *r, size_t consumed, size_t len)
{
	const char *c;

	/* the shortest response: "HTTP/1.1 200\n\n" */
	if (consumed < 14 || consumed > len)
		abort();
	if (r->status < 200 || r->status > 599 || r->minor < 0 || r->minor > 9)
		abort();
	if (r->body.len > r->body_max || (r->body.len && !r->body.data))
		abort();
	if ((r->status == 204 || r->status == 304) && r->body.len)
		abort();
	check_printable(r->reason, sizeof(r->reason));
	check_printable(r->content_type, sizeof(r->content_type));
	check_printable(r->location, sizeof(r->location));
	for (c = r->content_type; *c; c++) {
		if ((*c >= 'A' && *c <= 'Z') || *c == ';')
			abort();
	}
	/* the body is readable to its end and terminated */
	if (r->body.data && r->body.data[r->body.len] != '\0')
		abort();
}

static bool is_failure(mc_status_t st)
{
	return st != MC_OK && st != MC_E_AGAIN && st != MC_E_CLOSED;
}

/* Parse a private copy of exactly len bytes, so a read past the end is
 * caught even when len < the fuzzer's buffer. */
static mc_status_t parse(mc_http_reply_t *r, const char *in, size_t len, bool eof, size_t *consumed)
{
	char *copy = malloc(len ? len : 1);
	char err[160];
	mc_status_t st;

	if (!copy)
		abort();
	if (len)
		memcpy(copy, in, len);
	memset(err, 'X', sizeof(err));
	*consumed = (size_t)-1;
	st = mc_http_reply_parse(r, copy, len, eof, consumed, err, sizeof(err));
	free(copy);
	if (st == MC_OK || st == MC_E_AGAIN) {
		if (st == MC_E_AGAIN && (eof || *consumed != 0))
			abort();
		return st;
	}
	if (*consumed != 0 || (st == MC_E_CLOSED && !eof))
		abort();
	check_printable(err, sizeof(err));
	if (!err[0])
		abort();
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data + 1;
	mc_http_reply_t r, r2;
	size_t len, used, other_used, used2;
	mc_status_t st, other;
	bool eof;

	if (size < 1)
		return 0;
	eof = data[0] & 1;
	len = size - 1;
	mc_http_reply_init(&r, body_maxes[(data[0] >> 1) & 7]);
	mc_http_reply_init(&r2, r.body_max);

	st = parse(&r, in, len, eof, &used);
	if (st == MC_OK)
		check_reply(&r, used, len);

	/* The same bytes with the other eof. */
	other = parse(&r2, in, len, !eof, &other_used);
	if (is_failure(st) || is_failure(other)) {
		if (st != other)
			abort();
	} else if (st == MC_OK && other == MC_OK) {
		if (used != other_used)
			abort();
	} else {
		/* one of them waits or ends early: only the eof one may be OK,
		 * and only for a close-delimited body (all bytes consumed) */
		mc_status_t open_st = eof ? other : st, closed_st = eof ? st : other;
		size_t closed_used = eof ? used : other_used;
		if (open_st != MC_E_AGAIN)
			abort();
		if (closed_st == MC_OK ? closed_used != len : closed_st != MC_E_CLOSED)
			abort();
	}

	if (st == MC_OK) {
		/* the consumed bytes alone: the same response */
		if (parse(&r2, in, used, eof, &used2) != MC_OK || used2 != used ||
		    r2.status != r.status || r2.body.len != r.body.len ||
		    (r.body.len && memcmp(r2.body.data, r.body.data, r.body.len) != 0) ||
		    strcmp(r2.content_type, r.content_type) != 0 ||
		    strcmp(r2.location, r.location) != 0 || strcmp(r2.reason, r.reason) != 0)
			abort();
		/* one byte fewer, connection open: more input needed */
		if (parse(&r2, in, used - 1, false, &used2) != MC_E_AGAIN)
			abort();
		/* and parsing again is deterministic */
		if (parse(&r2, in, len, eof, &used2) != MC_OK || used2 != used)
			abort();
	}
	mc_http_reply_free(&r);
	mc_http_reply_free(&r2);
	return 0;
}
