/* mc_pool.h - a size-class allocator for short-lived processes.
 *
 * A check allocates some 16,000 small blocks inside OpenSSL and frees most
 * of them again; glibc's general-purpose malloc spends about 11% of a
 * verified check's instructions on that. This pool keeps one free list per
 * power-of-two class (16 B to 2 KiB), carves blocks from 32 KiB chunks that
 * live until exit, and hands larger blocks to malloc. Every block carries a
 * header checked on free: a double or invalid free aborts instead of
 * corrupting memory. Not thread-safe: the plugins are single-threaded. */
#ifndef MC_POOL_H
#define MC_POOL_H

#include <stddef.h>

/* malloc(n); NULL for n == 0 or when out of memory. */
void *mc_pool_malloc(size_t n);
/* realloc semantics: p NULL -> malloc; n 0 -> free, NULL. */
void *mc_pool_realloc(void *p, size_t n);
/* free(p); NULL is ignored. Aborts on a pointer the pool did not hand out
 * or one already freed. */
void mc_pool_free(void *p);
/* Usable bytes of a live block (its class size, or the requested size for
 * a large block). */
size_t mc_pool_usable(const void *p);

#endif
