/* mc_report_mx.h - judgement of a domain's MX set and of every MX host:
 * NXDOMAIN, no MX, null MX (RFC 7505), implicit MX (RFC 5321 section
 * 5.1), --expect-mx / --min-mx / --dnssec, hosts that are address
 * literals or aliases, hosts beyond MC_MX_MAX_HOSTS, each address with
 * its forward-confirmed reverse DNS, --require-ipv6. */
#ifndef MC_REPORT_MX_H
#define MC_REPORT_MX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/mc_net.h"
#include "policy/mc_mx.h"
#include "report/mc_report.h"

/* PTR names of one address whose forward lookups are followed. */
#define MC_REPORT_MX_MAX_PTR 4

typedef struct mc_report_mx_opts {
	const char *domain;
	bool expect_null;             /* --expect-null-mx */
	const char *const *expect_mx; /* --expect-mx, nexpect of them */
	size_t nexpect;
	long min_mx;       /* --min-mx, 0: none */
	bool dnssec;       /* --dnssec: the MX answer must carry AD */
	bool require_ipv6; /* --require-ipv6 */
} mc_report_mx_opts_t;

/* One MX host (or the domain itself as the implicit MX). */
typedef struct mc_report_mx_host {
	char name[256];
	uint16_t pref;
	bool literal;           /* the MX names an address; a and aaaa unasked */
	mc_dns_asked_t a, aaaa; /* its address records */
} mc_report_mx_host_t;

/* One address of an MX host, with its reverse DNS. */
typedef struct mc_report_mx_addr {
	mc_addr_t addr;
	char text[MC_ADDR_STRLEN];
	size_t host;        /* index into the hosts */
	mc_dns_asked_t ptr; /* the PTR question */
	/* The forward lookup (A for IPv4, AAAA for IPv6) of the first
	 * MC_REPORT_MX_MAX_PTR PTR names, in answer order. */
	mc_dns_asked_t fwd[MC_REPORT_MX_MAX_PTR];
} mc_report_mx_addr_t;

typedef struct mc_report_mx_facts {
	const mc_dns_answer_t *mx;        /* the MX answer; NULL: none before the deadline */
	bool implicit;                    /* no MX, the domain itself (--allow-implicit-mx) */
	const mc_report_mx_host_t *hosts; /* by preference, each name once */
	size_t nhosts;
	const char *const *rest; /* MX hosts beyond MC_MX_MAX_HOSTS, not checked */
	size_t nrest;
	const mc_report_mx_addr_t *addrs; /* each address once */
	size_t naddrs;
} mc_report_mx_facts_t;

/* The MX set's subchecks at root. Returns false when there is no host to
 * go on with (no answer, NXDOMAIN, failure, null MX, no MX without
 * implicit MX). */
bool mc_report_mx_set(const mc_report_mx_facts_t *f, const mc_report_mx_opts_t *mo,
                      const mc_report_opts_t *o, mc_result_t *root, mc_report_okline_t *ok);

/* One node per host with its addresses and their PTR names; then
 * "no MX host has an address" when none of several has one. */
void mc_report_mx_hosts(const mc_report_mx_facts_t *f, const mc_report_mx_opts_t *mo,
                        const mc_report_opts_t *o, mc_result_t *root, mc_report_okline_t *ok);

/* The MX hosts beyond MC_MX_MAX_HOSTS, by name (mc_mx_set_t.rest): one
 * WARNING line at root, none when there are none. A check never drops
 * hosts silently. */
void mc_report_mx_rest(const char *const *rest, size_t nrest, mc_result_t *root);

#endif
