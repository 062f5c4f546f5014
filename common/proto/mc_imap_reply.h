/* mc_imap_reply.h - strict parser of IMAP4rev1 server responses (RFC 3501
 * section 7) and of the data the checks read from them. Pure: no I/O. */
#ifndef MC_IMAP_REPLY_H
#define MC_IMAP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/mc_buf.h"
#include "util/mc_status.h"

/* A response line longer than this (without CRLF, literals not counted,
 * the "{n}" announcements counted) is a protocol error. */
#define MC_IMAP_LINE_MAX 8192
/* A literal {n} larger than this is a protocol error. */
#define MC_IMAP_LITERAL_MAX 65536
/* A response larger than this (line bytes plus literal bytes) is a
 * protocol error. */
#define MC_IMAP_RESPONSE_MAX (MC_IMAP_LINE_MAX + MC_IMAP_LITERAL_MAX)

typedef enum {
	MC_IMAP_UNTAGGED,    /* "* ..." */
	MC_IMAP_TAGGED,      /* "<tag> OK|NO|BAD ..." */
	MC_IMAP_CONTINUATION /* "+ ..." */
} mc_imap_kind_t;

typedef enum {
	MC_IMAP_COND_NONE, /* untagged data, or a continuation */
	MC_IMAP_COND_OK,
	MC_IMAP_COND_NO,
	MC_IMAP_COND_BAD,
	MC_IMAP_COND_BYE,    /* untagged only */
	MC_IMAP_COND_PREAUTH /* untagged only (greeting) */
} mc_imap_cond_t;

typedef struct mc_imap_line {
	mc_imap_kind_t kind;
	/* TAGGED only: the tag, 1..31 tag characters; "" otherwise. Matching
	 * it with the command's tag is the caller's business. */
	char tag[32];
	/* Status responses (tagged, or untagged OK/NO/BAD/BYE/PREAUTH); NONE
	 * for untagged data and continuations. */
	mc_imap_cond_t cond;
	/* The response code inside "[...]" after the condition of a status
	 * response, without the brackets, e.g. "CAPABILITY IMAP4rev1
	 * STARTTLS"; "" if none. Raw but only printable ASCII (0x20..0x7e):
	 * still sanitize before printing, it may hold '|'. */
	char code[1024];
	/* Status responses: the human text after the code. Untagged data:
	 * everything after "* ", e.g. "STATUS INBOX (MESSAGES 3 UNSEEN 1)",
	 * with every literal "{n}" CRLF <n bytes> (or literal8 "~{n}") replaced
	 * by its n raw bytes. Continuations: everything after "+ ". Raw bytes,
	 * may hold NUL and control bytes from literals: use text.len, and
	 * sanitize before printing. */
	mc_buf_t text;
} mc_imap_line_t;

void mc_imap_line_init(mc_imap_line_t *l);
void mc_imap_line_free(mc_imap_line_t *l);

/* Parse one response line, with the literals it announces, from the start
 * of buf[0..len). l is reset first.
 * MC_OK: a whole response was read into l, *consumed bytes used.
 * MC_E_AGAIN: more input needed (also while an announced literal is not
 * complete).
 * MC_E_PROTOCOL (reason in err, printable): an empty line; a line over
 * MC_IMAP_LINE_MAX, detected as soon as the bytes make it certain, without
 * waiting for the CRLF; a literal over MC_IMAP_LITERAL_MAX (as soon as its
 * "{n}" line is read); line plus literals over MC_IMAP_RESPONSE_MAX; a
 * control byte other than TAB outside literals (NUL, bare CR...); a tag
 * that is empty, longer than 31 bytes or has a byte other than RFC 3501
 * "tag" characters (ASTRING-CHAR except '+'); no space after "*", "+" or
 * the tag; a tagged condition other than OK/NO/BAD; an unterminated,
 * empty, over-long or non-ASCII response code or no space after it;
 * "* " with nothing after it.
 * Lenient where servers differ: lines end with CRLF or a bare LF; the
 * condition words are case-insensitive; a status response may have no
 * text ("a1 OK", "* OK [READ-ONLY]"); a continuation may be a lone "+".
 * Literals are recognised only at the end of untagged data lines (RFC 3501
 * section 4.3 and the grammar of section 9: resp-text holds none). */
mc_status_t mc_imap_line_parse(const char *buf, size_t len, mc_imap_line_t *l, size_t *consumed,
                               char *err, size_t errsz);

/* The capability list of a parsed line, without the word CAPABILITY: from
 * a "[CAPABILITY ...]" response code of a status response, or from the
 * text of untagged "CAPABILITY ..." data. NULL if the line has none. */
const char *mc_imap_line_caps(const mc_imap_line_t *l);

/* True when the space-separated list caps holds cap as a whole atom,
 * case-insensitively ("STARTTLS" matches "starttls", "AUTH=PLAIN" does not
 * match "AUTH=PLAINX"). False for a NULL or empty cap or caps. */
bool mc_imap_caps_has(const char *caps, const char *cap);

/* Parse the text of untagged STATUS data (RFC 3501 section 7.2.4),
 * "STATUS <mailbox> (MESSAGES 3 UNSEEN 1)", text[0..len). The mailbox may
 * be an atom, a quoted string or an inlined literal. Fills the counts found
 * and sets *has_messages / *has_unseen; other attributes (numbers, or NIL)
 * are checked and ignored. MC_E_PROTOCOL if malformed (also a duplicate
 * MESSAGES or UNSEEN). */
mc_status_t mc_imap_status_parse(const char *text, size_t len, long *messages, bool *has_messages,
                                 long *unseen, bool *has_unseen);

/* Parse the text of untagged QUOTA data (RFC 2087 section 5.1),
 * "QUOTA <root> (STORAGE 10 512 MESSAGE 3 1000)", text[0..len): the
 * STORAGE usage and limit as sent (units of 1024 octets), *has_storage
 * false if the list has no STORAGE resource. MC_E_PROTOCOL if malformed. */
mc_status_t mc_imap_quota_parse(const char *text, size_t len, long *used, long *limit,
                                bool *has_storage);

/* Quote in as an IMAP quoted string for a command (mailbox or user
 * names, passwords): '"' ... '"' with '\' and '"' escaped by '\'.
 * MC_E_USAGE if in holds CR or LF, or the result does not fit outsz; out
 * is then "" (and cleared). 8-bit bytes are passed through. */
mc_status_t mc_imap_quote(const char *in, char *out, size_t outsz);

#endif
