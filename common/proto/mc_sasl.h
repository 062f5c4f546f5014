/* mc_sasl.h - SASL client encodings: PLAIN (RFC 4616) and the base64 of
 * challenges and responses (RFC 4648 section 4). Pure: no I/O.
 *
 * Secrets: no function leaves a copy of its input in memory of its own
 * (temporaries are cleansed); on failure the output buffer is cleared. */
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

#endif
