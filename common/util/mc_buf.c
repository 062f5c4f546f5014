#include "mc_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mc_buf_init(mc_buf_t *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void mc_buf_free(mc_buf_t *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void mc_buf_reset(mc_buf_t *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static mc_status_t reserve(mc_buf_t *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > b->max - b->len)
		return MC_E_LIMIT;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return MC_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return MC_E_NOMEM;
	b->data = p;
	b->cap = cap;
	return MC_OK;
}

mc_status_t mc_buf_append(mc_buf_t *b, const void *p, size_t n)
{
	mc_status_t st = reserve(b, n);

	if (st != MC_OK)
		return st;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return MC_OK;
}

mc_status_t mc_buf_puts(mc_buf_t *b, const char *s)
{
	return mc_buf_append(b, s, strlen(s));
}

mc_status_t mc_buf_vprintf(mc_buf_t *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	size_t room;
	mc_status_t st;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return MC_E_INTERNAL;
	room = b->max - b->len;
	st = MC_OK;
	if ((size_t)n > room) {
		st = MC_E_LIMIT;
		n = (int)room;
	}
	{
		mc_status_t r = reserve(b, (size_t)n);
		if (r != MC_OK)
			return r;
	}
	{
		/* vsnprintf writes n bytes plus a terminator into n + 1 bytes. */
		va_copy(cp, ap);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, cp);
		va_end(cp);
	}
	b->len += (size_t)n;
	return st;
}

mc_status_t mc_buf_printf(mc_buf_t *b, const char *fmt, ...)
{
	va_list ap;
	mc_status_t st;

	va_start(ap, fmt);
	st = mc_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return st;
}

void mc_buf_consume(mc_buf_t *b, size_t n)
{
	if (n >= b->len) {
		mc_buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

const char *mc_buf_cstr(const mc_buf_t *b)
{
	return b->data ? b->data : "";
}
