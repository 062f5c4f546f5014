/* mc_smtp_reply.h - strict parser of SMTP replies (RFC 5321 section 4.2). */
#ifndef MC_SMTP_REPLY_H
#define MC_SMTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/mc_buf.h"
#include "util/mc_status.h"

/* A reply line longer than this (without CRLF) is a protocol error. */
#define MC_SMTP_LINE_MAX 2048
/* A reply larger than this (all lines) is a protocol error. */
#define MC_SMTP_REPLY_MAX 65536

typedef struct mc_smtp_reply {
	int code; /* 200..559 */
	size_t nlines;
	/* The text of every line without code and separator, lines joined
	 * with '\n'. Raw bytes: sanitize before printing. */
	mc_buf_t text;
} mc_smtp_reply_t;

void mc_smtp_reply_init(mc_smtp_reply_t *r);
void mc_smtp_reply_free(mc_smtp_reply_t *r);

/* Parse one reply from the start of buf[0..len). MC_OK: a whole reply was
 * read into r (reset first) and *consumed bytes used. MC_E_AGAIN: more
 * input needed. MC_E_PROTOCOL: the bytes are not an SMTP reply (reason in
 * err): a code that is not three digits in 2..5/0..5/0..9, a fourth byte
 * other than space, '-' or end of line, lines of one reply with different
 * codes, a control byte other than TAB, a line over MC_SMTP_LINE_MAX or a
 * reply over MC_SMTP_REPLY_MAX (detected as soon as the bytes are there,
 * so an endless line fails fast). Lines end with CRLF; a bare LF is
 * accepted. */
mc_status_t mc_smtp_reply_parse(const char *buf, size_t len, mc_smtp_reply_t *r, size_t *consumed,
                                char *err, size_t errsz);

/* The first line of the reply as "CODE text", sanitized for output, cut to
 * outsz - 1 bytes. */
void mc_smtp_reply_first(const mc_smtp_reply_t *r, char *out, size_t outsz);

/* True when an EHLO reply advertises keyword (case-insensitive, the whole
 * first word of a line after the greeting line, RFC 5321 section 4.1.1.1).
 * If params is non-NULL, it gets the rest of that line (sanitized). */
bool mc_smtp_ehlo_has(const mc_smtp_reply_t *r, const char *keyword, char *params, size_t paramsz);

/* The keywords an EHLO reply advertises, space separated, sanitized. */
void mc_smtp_ehlo_keywords(const mc_smtp_reply_t *r, char *out, size_t outsz);

#endif
