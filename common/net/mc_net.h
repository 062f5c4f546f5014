/* mc_net.h - socket addresses and asynchronous connect on the loop. */
#ifndef MC_NET_H
#define MC_NET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "loop/mc_loop.h"
#include "util/mc_status.h"

typedef struct mc_addr {
	struct sockaddr_storage ss;
	socklen_t len;
} mc_addr_t;

/* Longest text of an address ("ffff:...:255.255.255.255"). */
#define MC_ADDR_STRLEN 46

/* The address without port: "127.0.0.1", "::1". */
void mc_addr_str(const mc_addr_t *a, char *buf, size_t bufsz);
/* The address with port: "127.0.0.1:25", "[::1]:25". */
void mc_addr_str_port(const mc_addr_t *a, char *buf, size_t bufsz);
/* Parse a numeric IPv4 or IPv6 literal (no brackets) and set the port.
 * MC_E_USAGE if text is not an address literal. */
mc_status_t mc_addr_parse(const char *text, unsigned port, mc_addr_t *out);
/* AF_INET or AF_INET6. */
int mc_addr_family(const mc_addr_t *a);

typedef struct mc_connect mc_connect_t;

/* Called once: on success st == MC_OK, fd is a connected non-blocking
 * socket now owned by the callee and addr the address it reached; on
 * failure fd is -1 and err holds a one-line reason naming the address(es).
 * The mc_connect_t is freed after the callback returns. */
typedef void (*mc_connect_cb)(void *arg, mc_status_t st, int fd, const mc_addr_t *addr,
                              const char *err);

/* Connect to the first of addrs[0..n) that answers. Attempts are started
 * in order, the next one when the previous fails or has not completed
 * after stagger_us (RFC 8305 "Happy Eyeballs" connection attempt delay; 0
 * means strictly one after another). Returns NULL on out of memory (no
 * callback then). */
mc_connect_t *mc_net_connect(mc_loop_t *loop, const mc_addr_t *addrs, size_t n, int64_t stagger_us,
                             mc_connect_cb cb, void *arg);
/* Abandon a connect in progress: sockets closed, no callback. */
void mc_net_connect_cancel(mc_connect_t *c);

#endif
