/* mc_base64.h - strict base64 decoding (RFC 4648 section 4): groups of four
 * characters of A-Z a-z 0-9 + /, '=' only as the padding of the last
 * group, nothing else (no whitespace, no line breaks). Pure: no I/O, no
 * memory of its own beyond the caller's buffers. */
#ifndef MC_BASE64_H
#define MC_BASE64_H

#include <stdbool.h>
#include <stddef.h>

#include "mc_status.h"

/* n when in[0..n) is base64, else the offset of the first character at
 * fault: one outside the alphabet or a '=' that is not among the (at most
 * two) that end the input; the start of the incomplete last group when n is
 * not a multiple of 4 (checked first); with canonical, the last character
 * before the padding when the bits it holds beyond the last byte are not
 * zero (RFC 4648 section 3.5: else two texts decode to the same bytes). */
size_t mc_base64_check(const char *in, size_t n, bool canonical);

/* Decode in[0..n) into out. MC_OK with the *outlen bytes written (n / 4 * 3
 * at most; "" decodes to nothing); MC_E_PROTOCOL when mc_base64_check
 * (not canonical) finds a fault; MC_E_LIMIT when the bytes do not fit
 * outsz. out is written only on MC_OK; *outlen is 0 otherwise. */
mc_status_t mc_base64_decode(const char *in, size_t n, unsigned char *out, size_t outsz,
                             size_t *outlen);

#endif
