/* mc_dns.h - name resolution through c-ares, driven by the loop. One
 * channel per process; queries run concurrently. */
#ifndef MC_DNS_H
#define MC_DNS_H

#include <stddef.h>

#include "loop/mc_loop.h"
#include "net/mc_net.h"
#include "util/mc_status.h"

typedef struct mc_dns mc_dns_t;

/* Most -s/--dns-server options accepted. */
#define MC_DNS_MAX_SERVERS 8

typedef struct mc_dns_params {
	/* Resolvers as "HOST[:PORT]" (HOST an IPv4 or IPv6 address, IPv6 with
	 * a port in brackets: "[::1]:5353"). None: the system's resolvers
	 * (/etc/resolv.conf). */
	const char *servers[MC_DNS_MAX_SERVERS];
	size_t nservers;
	/* The run's deadline in ms (-t), or 0. Each server is given a share
	 * of it per try, so a dead first resolver leaves time to ask the next
	 * (c-ares would wait 5 s). */
	long deadline_ms;
} mc_dns_params_t;

/* Check one "HOST[:PORT]" text; MC_E_USAGE with a reason in err. */
mc_status_t mc_dns_server_check(const char *text, char *err, size_t errsz);

/* A new resolver on the loop. Names are looked up as given: /etc/hosts
 * first, then DNS, without the resolv.conf search list. A server that does
 * not answer is skipped for the next; a SERVFAIL or REFUSED answer is final
 * and reported as such (a check reports what its resolver says). */
mc_status_t mc_dns_new(mc_loop_t *loop, const mc_dns_params_t *p, mc_dns_t **out, char *err,
                       size_t errsz);
/* Cancel every query (no callbacks) and free the resolver. */
void mc_dns_free(mc_dns_t *dns);

/* Called once per query. On MC_OK, addrs[0..n) (n >= 1) carry the port
 * given to the query; otherwise err says why: MC_E_DNS_NOTFOUND (no such
 * name or no address of the family), MC_E_DNS_TRYAGAIN (SERVFAIL, REFUSED,
 * no answer), MC_E_DNS_MALFORMED, MC_E_NOMEM. */
typedef void (*mc_dns_addr_cb)(void *arg, mc_status_t st, const mc_addr_t *addrs, size_t n,
                               const char *err);

/* Resolve name to addresses of family (AF_UNSPEC, AF_INET or AF_INET6). An
 * address literal is answered without a query. The callback may run before
 * this returns (literals, /etc/hosts). At most 16 addresses are kept. */
mc_status_t mc_dns_resolve(mc_dns_t *dns, const char *name, int family, unsigned port,
                           mc_dns_addr_cb cb, void *arg);

#endif
