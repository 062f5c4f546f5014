/* mc_dns.h - name resolution through c-ares, driven by the loop. One
 * channel per process; queries run concurrently. */
#ifndef MC_DNS_H
#define MC_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/mc_dns_msg.h"
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
	/* Ask without recursion (RD=0): for questions to an authoritative
	 * server, which then must set AA. */
	bool no_recursion;
	/* >= 3: each question's outcome and latency on stderr ("-vvv"). */
	int verbose;
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

/* The outcome of one query, ranked best first as Postfix's dns.h ranks
 * them: when answers are merged (A and AAAA of one host, the same name
 * from several servers) the better outcome wins. */
typedef enum mc_dns_outcome {
	MC_DNS_ANSWER = 0, /* records of the type asked */
	MC_DNS_NODATA,     /* the name exists, without records of the type */
	MC_DNS_NXDOMAIN,   /* no such name */
	MC_DNS_SERVFAIL,   /* SERVFAIL, or another error RCODE (FORMERR, NOTIMP) */
	MC_DNS_REFUSED,
	MC_DNS_TIMEOUT,  /* no answer from any server (or none reachable) */
	MC_DNS_MALFORMED /* an answer that cannot be parsed or does not fit */
} mc_dns_outcome_t;

/* "answer", "no data", "NXDOMAIN", "SERVFAIL", "REFUSED", "timeout",
 * "malformed answer". */
const char *mc_dns_outcome_str(mc_dns_outcome_t o);
/* MC_OK, MC_E_DNS_NOTFOUND (no data, NXDOMAIN), MC_E_DNS_TRYAGAIN
 * (SERVFAIL, REFUSED), MC_E_TIMEOUT, MC_E_DNS_MALFORMED. */
mc_status_t mc_dns_outcome_status(mc_dns_outcome_t o);

/* Records of one answer kept at most. */
#define MC_DNS_MAX_RRS 64

typedef struct mc_dns_answer {
	mc_dns_outcome_t outcome;
	const char *name; /* as asked */
	uint16_t type;
	/* The response (NULL for timeout and malformed): header flags,
	 * rcode, every record of the answer and authority sections. */
	const mc_dns_msg_t *msg;
	/* The records of the type asked, owned by the name at the end of the
	 * CNAME chain that starts at name (at most 16 links), in answer
	 * order; n > 0 exactly when outcome is MC_DNS_ANSWER. */
	const mc_dns_rr_t *rrs[MC_DNS_MAX_RRS];
	size_t n;
	/* The end of the CNAME chain when name is an alias, else NULL. */
	const char *canonical;
	bool ad;            /* the resolver validated the answer (DNSSEC) */
	bool aa;            /* the server is authoritative for it */
	int64_t latency_us; /* from the question to the answer */
	/* One line for anything but an answer: "MX example.org: no answer
	 * from the resolvers". */
	char error[384];
} mc_dns_answer_t;

/* Outcome predicates; a NULL answer (none before the deadline) is
 * neither. Definite: the DNS said something about the name (records, no
 * records of the type, or no such name), as opposed to a failure to ask
 * or to answer (SERVFAIL, REFUSED, timeout, malformed). */
bool mc_dns_definite(const mc_dns_answer_t *a);
/* Absent: the name has no records of the type (NODATA or NXDOMAIN). */
bool mc_dns_absent(const mc_dns_answer_t *a);
/* The answer is there and its outcome is o. */
bool mc_dns_is(const mc_dns_answer_t *a, mc_dns_outcome_t o);

/* What became of one question, as plain data a test can build by hand:
 * never asked (asked false: not needed), not askable (the name is longer
 * than DNS allows, or out of memory), unanswered (ans NULL: the deadline
 * came first), or answered. */
typedef struct mc_dns_asked {
	bool asked;
	bool unaskable;
	const mc_dns_answer_t *ans;
} mc_dns_asked_t;

/* The answer stays valid until mc_dns_free: a later identical question
 * is answered from it, never asked again. */
typedef void (*mc_dns_query_cb)(void *arg, const mc_dns_answer_t *ans);

/* Ask for records of type at name (presentation form, a trailing dot
 * allowed). The question carries the AD bit (RFC 6840 section 5.7) and an
 * EDNS0 OPT record; a truncated answer is asked again over TCP. The
 * callback never runs before this returns. MC_OK, MC_E_USAGE (not a valid
 * name), MC_E_NOMEM. */
mc_status_t mc_dns_query(mc_dns_t *dns, const char *name, uint16_t type, mc_dns_query_cb cb,
                         void *arg);

/* A host or domain name as a user gives it: 1-253 characters of letters,
 * digits, '-', '_' and '.', no empty label, one trailing dot allowed. */
bool mc_dns_name_valid(const char *name);

/* The TXT records of an answer whose text starts with prefix (ASCII case
 * ignored): how many, and the first in *first (NULL if none). a may be
 * NULL (none). */
size_t mc_dns_txt_records(const mc_dns_answer_t *a, const char *prefix, const mc_dns_rr_t **first);

/* The reverse name of an address below suffix: "4.3.2.1.SUFFIX" for
 * 1.2.3.4, 32 nibbles for IPv6 (RFC 5782 section 2.4). suffix NULL:
 * in-addr.arpa / ip6.arpa. MC_E_LIMIT if it does not fit outsz. */
mc_status_t mc_dns_reverse_name(const mc_addr_t *a, const char *suffix, char *out, size_t outsz);

#endif
