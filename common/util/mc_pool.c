#include "mc_pool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NCLASSES 8 /* 16, 32, ..., 2048 payload bytes */
#define MIN_SHIFT 4
#define CHUNK (32 * 1024)
#define MAGIC_LIVE 0x6d63706cu /* "mcpl" */
#define MAGIC_FREE 0x6d636672u /* "mcfr" */
#define CLASS_BIG 0xffu

/* 16 bytes, so payloads keep malloc's 16-byte alignment. */
typedef struct hdr {
	uint32_t magic;
	uint32_t cls;
	size_t size; /* payload bytes: class size, or the request for a big block */
} hdr_t;

typedef struct freeblk {
	struct freeblk *next;
} freeblk_t;

static freeblk_t *free_list[NCLASSES];
static char *chunk_pos;
static size_t chunk_left;

static unsigned class_of(size_t n)
{
	unsigned c = 0;
	size_t sz = (size_t)1 << MIN_SHIFT;

	while (sz < n) {
		sz <<= 1;
		c++;
	}
	return c;
}

void *mc_pool_malloc(size_t n)
{
	hdr_t *h;
	unsigned c;
	size_t sz;

	if (n == 0)
		return NULL;
	if (n > ((size_t)1 << (MIN_SHIFT + NCLASSES - 1))) {
		if (n > SIZE_MAX - sizeof(hdr_t))
			return NULL;
		h = malloc(sizeof(hdr_t) + n);
		if (!h)
			return NULL;
		h->cls = CLASS_BIG;
		h->size = n;
		h->magic = MAGIC_LIVE;
		return h + 1;
	}
	c = class_of(n);
	sz = (size_t)1 << (MIN_SHIFT + c);
	if (free_list[c]) {
		freeblk_t *b = free_list[c];
		free_list[c] = b->next;
		h = (hdr_t *)b - 1;
	} else {
		if (chunk_left < sizeof(hdr_t) + sz) {
			/* The tail of the old chunk is abandoned: at most 2 KiB. */
			chunk_pos = malloc(CHUNK);
			if (!chunk_pos) {
				chunk_left = 0;
				return NULL;
			}
			chunk_left = CHUNK;
		}
		h = (hdr_t *)chunk_pos;
		chunk_pos += sizeof(hdr_t) + sz;
		chunk_left -= sizeof(hdr_t) + sz;
		h->cls = c;
		h->size = sz;
	}
	h->magic = MAGIC_LIVE;
	return h + 1;
}

static hdr_t *live_header(void *p)
{
	hdr_t *h = (hdr_t *)p - 1;

	if (h->magic != MAGIC_LIVE || (h->cls >= NCLASSES && h->cls != CLASS_BIG))
		abort();
	return h;
}

/* The same header, read only. */
static const hdr_t *live_header_const(const void *p)
{
	const hdr_t *h = (const hdr_t *)p - 1;

	if (h->magic != MAGIC_LIVE || (h->cls >= NCLASSES && h->cls != CLASS_BIG))
		abort();
	return h;
}

void mc_pool_free(void *p)
{
	hdr_t *h;

	if (!p)
		return;
	h = live_header(p);
	h->magic = MAGIC_FREE;
	if (h->cls == CLASS_BIG) {
		free(h);
		return;
	}
	((freeblk_t *)p)->next = free_list[h->cls];
	free_list[h->cls] = p;
}

size_t mc_pool_usable(const void *p)
{
	return live_header_const(p)->size;
}

void *mc_pool_realloc(void *p, size_t n)
{
	size_t have;
	void *q;

	if (!p)
		return mc_pool_malloc(n);
	if (n == 0) {
		mc_pool_free(p);
		return NULL;
	}
	if (live_header(p)->cls == CLASS_BIG) {
		hdr_t *h = (hdr_t *)p - 1;
		if (n > SIZE_MAX - sizeof(hdr_t))
			return NULL;
		h = realloc(h, sizeof(hdr_t) + n);
		if (!h)
			return NULL;
		h->size = n;
		return h + 1;
	}
	have = mc_pool_usable(p);
	if (n <= have)
		return p;
	q = mc_pool_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, have < n ? have : n);
	mc_pool_free(p);
	return q;
}
