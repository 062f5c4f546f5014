/* mc_buf.h - growable byte buffer with a hard size cap. */
#ifndef MC_BUF_H
#define MC_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "mc_status.h"

typedef struct mc_buf {
	char *data; /* always NUL-terminated when non-NULL */
	size_t len; /* bytes in use, excluding the terminator */
	size_t cap; /* bytes allocated */
	size_t max; /* hard cap on len; appends beyond it fail with MC_E_LIMIT */
} mc_buf_t;

/* Initialise an empty buffer that will never hold more than max bytes. */
void mc_buf_init(mc_buf_t *b, size_t max);
/* Release the memory; the buffer is empty and reusable afterwards. */
void mc_buf_free(mc_buf_t *b);
/* Forget the content, keep the memory. */
void mc_buf_reset(mc_buf_t *b);
/* Append n bytes. MC_E_LIMIT if the cap would be exceeded (nothing appended). */
mc_status_t mc_buf_append(mc_buf_t *b, const void *p, size_t n);
/* Append a NUL-terminated string. */
mc_status_t mc_buf_puts(mc_buf_t *b, const char *s);
/* Append formatted text. On MC_E_LIMIT the text is cut at the cap. */
mc_status_t mc_buf_printf(mc_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
mc_status_t mc_buf_vprintf(mc_buf_t *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Drop the first n bytes (n > len drops everything). */
void mc_buf_consume(mc_buf_t *b, size_t n);
/* The content as a C string ("" for an empty buffer). */
const char *mc_buf_cstr(const mc_buf_t *b);

#endif
