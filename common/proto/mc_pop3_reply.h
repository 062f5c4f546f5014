/* mc_pop3_reply.h - strict parser of POP3 replies (RFC 1939 section 3,
 * RFC 2449 CAPA, RFC 5034 SASL continuations). Pure: no I/O. */
#ifndef MC_POP3_REPLY_H
#define MC_POP3_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/mc_buf.h"
#include "util/mc_status.h"

/* A line longer than this (without CRLF) is a protocol error. */
#define MC_POP3_LINE_MAX 2048
/* A reply larger than this (all its bytes, line ends and the terminating
 * ".CRLF" included) is a protocol error. */
#define MC_POP3_REPLY_MAX 65536

typedef struct mc_pop3_reply {
	bool ok;           /* +OK or "+ " (true), -ERR (false) */
	bool continuation; /* a SASL "+ " continuation (RFC 5034 section 4) */
	/* The text of the status line after "+OK", "-ERR" or "+" and one
	 * space: for a continuation, the base64 challenge. Raw bytes (no
	 * control byte but TAB): sanitize before printing. */
	mc_buf_t first;
	/* Multi-line replies only: the lines after the status line,
	 * dot-unstuffed (RFC 1939 section 3), joined with '\n', without the
	 * terminating "."; no line end after the last line. */
	mc_buf_t body;
	size_t nlines; /* lines in body */
} mc_pop3_reply_t;

void mc_pop3_reply_init(mc_pop3_reply_t *r);
void mc_pop3_reply_free(mc_pop3_reply_t *r);

/* Parse one reply from the start of buf[0..len); r is reset first.
 * multiline: the command expects a multi-line reply (CAPA, LIST, UIDL,
 * ...); the reply is then multi-line only when its status is +OK: an -ERR
 * or a "+ " continuation is always one line.
 * MC_OK: a whole reply was read into r, *consumed bytes used.
 * MC_E_AGAIN: more input needed.
 * MC_E_PROTOCOL (reason in err, printable): a status other than "+OK",
 * "-ERR" (upper case, RFC 1939 section 3) or "+", each followed by a space
 * or the end of the line; a control byte other than TAB (NUL, bare CR...)
 * in any line; a line over MC_POP3_LINE_MAX or a reply over
 * MC_POP3_REPLY_MAX, detected as soon as the bytes make it certain.
 * Lines end with CRLF; a bare LF is accepted. Not for message content
 * (RETR, TOP): its lines may hold any byte. */
mc_status_t mc_pop3_reply_parse(const char *buf, size_t len, bool multiline, mc_pop3_reply_t *r,
                                size_t *consumed, char *err, size_t errsz);

/* True when the body of a CAPA reply has a line whose first word is cap
 * (case-insensitive, RFC 2449 section 5). If params is non-NULL, it gets
 * the rest of that line after one space, sanitized ("" if none or no
 * match), cut to paramsz - 1 bytes. */
bool mc_pop3_capa_has(const mc_pop3_reply_t *r, const char *cap, char *params, size_t paramsz);

/* Parse the text of a STAT reply's status line, "3 1024" (RFC 1939
 * section 5): message count and maildrop size in octets, both in
 * [0, LONG_MAX]. Anything after a further space is ignored (the RFC makes
 * no requirement on it). MC_E_PROTOCOL if malformed; outputs untouched. */
mc_status_t mc_pop3_stat_parse(const char *text, long *count, long *octets);

#endif
