/* mc_sasl.h - SASL client encodings: PLAIN (RFC 4616), CRAM-MD5 (RFC 2195),
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) and the base64 of challenges and
 * responses (RFC 4648 section 4). Pure: no I/O (SCRAM draws its default
 * client nonce from RAND_bytes).
 *
 * Secrets: no function leaves a copy of its input in memory of its own
 * (temporaries are cleansed); on failure the output buffer is cleared.
 * Error texts are one line, sanitized, and hold no password of ours. */
#ifndef MC_SASL_H
#define MC_SASL_H

#include <stddef.h>

#include "util/mc_status.h"

/* Longest authzid, user or password RFC 4616 section 2 allows (octets). */
#define MC_SASL_PLAIN_FIELD_MAX 255

/* Base64 of authzid NUL user NUL pass (RFC 4616 section 2) into out,
 * NUL-terminated. authzid may be NULL or "" (none). MC_E_USAGE if user or
 * pass is NULL or empty, a field is over MC_SASL_PLAIN_FIELD_MAX bytes, or
 * the result does not fit outsz (out is then cleared). */
mc_status_t mc_sasl_plain(const char *authzid, const char *user, const char *pass, char *out,
                          size_t outsz);

/* Base64 of in[0..len) into out, NUL-terminated, padded with '=', no line
 * breaks. MC_E_USAGE if it does not fit outsz (out is then cleared). */
mc_status_t mc_sasl_base64(const char *in, size_t len, char *out, size_t outsz);

/* Decode the base64 string in (e.g. a server challenge) into out, which
 * gets *outlen bytes (may include NUL bytes) and a terminating NUL. Only
 * canonical base64 is accepted: length a multiple of 4, alphabet A-Z a-z
 * 0-9 + /, at most two '=' at the end only, unused bits zero (RFC 4648
 * sections 3.3 and 3.5), no whitespace; "" decodes to nothing.
 * MC_E_PROTOCOL if in is not such base64, MC_E_LIMIT if the result and its
 * NUL do not fit outsz; out is then cleared and *outlen is 0. */
mc_status_t mc_sasl_unbase64(const char *in, char *out, size_t outsz, size_t *outlen);

/* Longest user and password taken by CRAM-MD5 and SCRAM-SHA-256 (octets):
 * the PLAIN limit, for every mechanism alike. */
#define MC_SASL_FIELD_MAX MC_SASL_PLAIN_FIELD_MAX

/* CRAM-MD5 (RFC 2195 section 2): into out, NUL-terminated, the base64 of
 * user SP lowercase-hex(HMAC-MD5(key = pass, challenge)), where challenge
 * is the server's decoded challenge (any length, may be empty). MC_E_USAGE
 * if user or pass is NULL or empty or over MC_SASL_FIELD_MAX bytes, user
 * holds a control byte (0x00-0x1f, 0x7f), or the result does not fit
 * outsz (out is then cleared); MC_E_INTERNAL if OpenSSL offers no HMAC-MD5
 * (e.g. a FIPS-only configuration). */
mc_status_t mc_sasl_cram_md5(const char *user, const char *pass, const unsigned char *challenge,
                             size_t challenge_len, char *out, size_t outsz);

/* SCRAM-SHA-256 client (RFC 5802 with SHA-256, RFC 7677), without channel
 * binding: GS2 header "n,,", no authzid. Three steps:
 *
 *   mc_sasl_scram_start   -> client-first-message  (caller sends it base64)
 *   mc_sasl_scram_final   <- server-first-message  -> client-final-message
 *   mc_sasl_scram_verify  <- server-final-message  (the server proves it
 *                                                   knows the password)
 *   mc_sasl_scram_clear   always, last
 *
 * Messages in and out are the decoded SCRAM texts, not base64. Limits:
 *   - user and password: 1..MC_SASL_FIELD_MAX bytes, no control bytes
 *     (0x00-0x1f, 0x7f; SASLprep, RFC 4013, prohibits them). They are used
 *     as given: no SASLprep normalization, which is the identity for
 *     printable ASCII. In the user ',' and '=' go as "=2C" and "=3D"
 *     (RFC 5802 section 5.1).
 *   - client nonce: 1..MC_SASL_SCRAM_CNONCE_MAX printable ASCII bytes but
 *     ',' (RFC 5802 section 7, "printable"); by default 24 random bytes in
 *     base64 (32 characters).
 *   - server messages: 1..MC_SASL_SCRAM_MSG_MAX bytes, no NUL byte, else
 *     MC_E_LIMIT (too long) or MC_E_PROTOCOL.
 *   - server nonce (r=): printable, starts with the client nonce and adds
 *     at least one byte of the server's own (RFC 5802 section 5.1).
 *   - salt (s=): canonical base64 (RFC 4648, as mc_sasl_unbase64) of at
 *     most MC_SASL_SCRAM_SALT_MAX bytes, else MC_E_LIMIT; may be empty.
 *   - iteration count (i=): a decimal without leading zero (RFC 5802
 *     section 7, posit-number), so i=0 is MC_E_PROTOCOL; over
 *     MC_SASL_SCRAM_ITER_MAX is MC_E_LIMIT: PBKDF2 runs on our clock, and
 *     a hostile server must not make us spin past the plugin's timeout.
 *     Counts under the 4096 RFC 7677 section 4 asks servers for are taken.
 *   - a leading "m=" (mandatory extension, RFC 5802 section 5.1) is
 *     MC_E_PROTOCOL; extensions after the mandatory attributes are
 *     tolerated when they are ALPHA "=" 1*value-char.
 * out needs MC_SASL_SCRAM_OUT_SIZE bytes at most, whatever the server
 * sends. err (errsz bytes, may be NULL with errsz 0) gets one line saying
 * what failed; it may quote up to MC_STR_QUOTE_MAX bytes of the server's
 * message (63 of an e= reason), sanitized, and holds the password only if
 * the server's message did. */

#define MC_SASL_SCRAM_MSG_MAX 1024
#define MC_SASL_SCRAM_CNONCE_MAX 64
#define MC_SASL_SCRAM_SALT_MAX 128
#define MC_SASL_SCRAM_ITER_MAX 100000
/* Room for any client message with its NUL: "c=biws,r=" + a nonce of at
 * most MC_SASL_SCRAM_MSG_MAX - 9 bytes (what a server-first-message of
 * MC_SASL_SCRAM_MSG_MAX bytes can carry) + ",p=" + 44 base64 bytes. The
 * client-first-message is shorter: 5 + 3 * MC_SASL_FIELD_MAX + 3 +
 * MC_SASL_SCRAM_CNONCE_MAX. */
#define MC_SASL_SCRAM_OUT_SIZE (MC_SASL_SCRAM_MSG_MAX + 48)
/* SHA-256 output size. */
#define MC_SASL_SCRAM_HASH_LEN 32

/* The state of one exchange: fields are private to mc_sasl.c. */
typedef struct mc_sasl_scram {
	int step;                                               /* private */
	size_t bare_len;                                        /* private */
	size_t cnonce_len;                                      /* private */
	char bare[MC_SASL_SCRAM_OUT_SIZE];                      /* client-first-bare */
	char cnonce[MC_SASL_SCRAM_CNONCE_MAX + 1];              /* client nonce */
	unsigned char server_signature[MC_SASL_SCRAM_HASH_LEN]; /* after final */
} mc_sasl_scram_t;

/* Begin an exchange for user: s is (re)initialized, out gets the
 * client-first-message "n,,n=USER,r=CNONCE", NUL-terminated. cnonce NULL:
 * a fresh random one. MC_E_USAGE if user or cnonce break the limits above
 * or out does not fit outsz; MC_E_INTERNAL if RAND_bytes fails. On failure
 * out is cleared and s can only be cleared. */
mc_status_t mc_sasl_scram_start(mc_sasl_scram_t *s, const char *user, const char *cnonce, char *out,
                                size_t outsz);

/* Take the server-first-message server_first[0..len) (need not be
 * NUL-terminated), derive the keys from pass and put into out the
 * client-final-message "c=biws,r=NONCE,p=PROOF", NUL-terminated; keeps the
 * ServerSignature for mc_sasl_scram_verify. MC_E_PROTOCOL for a malformed
 * message, a foreign nonce or a mandatory extension; MC_E_LIMIT when a
 * limit above is exceeded or out does not fit outsz; MC_E_USAGE for a bad
 * password or when not called right after mc_sasl_scram_start;
 * MC_E_INTERNAL if OpenSSL fails. On failure out is cleared. */
mc_status_t mc_sasl_scram_final(mc_sasl_scram_t *s, const char *pass, const char *server_first,
                                size_t len, char *out, size_t outsz, char *err, size_t errsz);

/* Check the server-final-message server_final[0..len): MC_OK when it is
 * "v=" + the base64 of the expected ServerSignature (compared in constant
 * time), optionally followed by extensions; MC_E_REFUSED when it is "e=..."
 * (err quotes the server's reason, sanitized); MC_E_LIMIT if over
 * MC_SASL_SCRAM_MSG_MAX bytes; MC_E_PROTOCOL for anything else, a wrong
 * signature included (the server does not know the password, or is not
 * the server); MC_E_USAGE when not called right after a successful
 * mc_sasl_scram_final. */
mc_status_t mc_sasl_scram_verify(mc_sasl_scram_t *s, const char *server_final, size_t len,
                                 char *err, size_t errsz);

/* Wipe s (safe on a zeroed or failed state, and twice). */
void mc_sasl_scram_clear(mc_sasl_scram_t *s);

#endif
