/* capture.h - for unit tests: read back what a function printed to a
 * FILE, through open_memstream. Include after <cmocka.h>. */
#ifndef TESTS_UNIT_CAPTURE_H
#define TESTS_UNIT_CAPTURE_H

#include <stdio.h>

typedef struct capture {
	FILE *f;
	char *buf; /* the caller frees it after cap_close */
	size_t len;
} capture_t;

static inline void cap_open(capture_t *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

/* Everything written since cap_open, NUL-terminated. */
static inline const char *cap_close(capture_t *c)
{
	fclose(c->f);
	return c->buf;
}

#endif
