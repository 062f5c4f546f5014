/* mc_str.h - bounded string and number parsing (no atoi, sscanf, strcpy). */
#ifndef MC_STR_H
#define MC_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mc_status.h"

/* Copy src into dst (size dstsz), always NUL-terminating. Returns strlen(src);
 * a result >= dstsz means the copy was cut. */
size_t mc_strlcpy(char *dst, const char *src, size_t dstsz);

/* Parse a whole string as a decimal integer in [min, max]. Leading/trailing
 * spaces, signs other than a leading '-', empty input and trailing garbage
 * are rejected with MC_E_USAGE. */
mc_status_t mc_parse_long(const char *s, long min, long max, long *out);

/* Parse a whole string as a plain decimal number (digits, optional '-'/'+',
 * optional fraction; no exponent, hex, inf or nan) in [min, max]. C locale. */
mc_status_t mc_parse_double(const char *s, double min, double max, double *out);

/* Same as above for the first n bytes of s (s need not be NUL-terminated). */
mc_status_t mc_parse_double_n(const char *s, size_t n, double min, double max, double *out);

/* Case-insensitive ASCII comparison of a with the n bytes at b. */
bool mc_str_ieq_n(const char *a, const char *b, size_t n);

/* word (ASCII case ignored) is one of the space-separated words of list. */
bool mc_str_word_in(const char *list, const char *word);

/* Copy text into dst for display: control bytes, non-ASCII and '|' become '?'
 * or '/', the result is NUL-terminated and cut to dstsz-1 bytes. */
void mc_str_sanitize(char *dst, size_t dstsz, const char *src, size_t srclen);

/* Bytes of input mc_str_quote keeps, and a dst size that holds any result. */
#define MC_STR_QUOTE_MAX 40
#define MC_STR_QUOTE_SIZE (MC_STR_QUOTE_MAX + 4)

/* s[0..n) to quote in an error message: sanitized as by mc_str_sanitize,
 * cut to MC_STR_QUOTE_MAX bytes followed by "..." when longer (the "..."
 * left out when dstsz has no room for it). */
void mc_str_quote(char *dst, size_t dstsz, const char *s, size_t n);

/* s[0..n) is exactly the string lit; mc_str_ieq_lit: in any ASCII case. */
bool mc_str_eq_lit(const char *s, size_t n, const char *lit);
bool mc_str_ieq_lit(const char *s, size_t n, const char *lit);

/* strerror(e) as a phrase to embed in a message: lower-case first letter,
 * "connection reset by peer" for ECONNRESET. */
void mc_str_errno(int e, char *dst, size_t dstsz);

#endif
