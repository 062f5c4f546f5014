/* mc_report_ns.h - judgement of the nameservers of the zone a mail domain
 * is in: each server asked directly for the zone's SOA without recursion
 * must answer authoritatively (else: lame delegation), the serials must
 * agree, there must be two at least (RFC 1034 section 4.1). */
#ifndef MC_REPORT_NS_H
#define MC_REPORT_NS_H

#include <stddef.h>

#include "net/mc_net.h"
#include "report/mc_report.h"

/* One NS name of the zone and its address questions. */
typedef struct mc_report_ns_name {
	char name[256];
	mc_dns_asked_t a, aaaa;
} mc_report_ns_name_t;

/* One address of a nameserver and its answer for the zone's SOA, asked of
 * it alone without recursion. */
typedef struct mc_report_ns_server {
	char text[MC_ADDR_STRLEN];
	const char *name; /* the NS name it belongs to */
	mc_dns_asked_t soa;
} mc_report_ns_server_t;

typedef struct mc_report_ns_facts {
	/* The NS answer of the zone (of the domain, or of the zone apex
	 * above it); NULL: none before the deadline. */
	const mc_dns_answer_t *ns;
	/* The domain does not exist: the MX judgement says so, not this. */
	bool domain_nxdomain;
	const char *zone;
	const mc_report_ns_name_t *names;
	size_t nnames;
	const mc_report_ns_server_t *servers; /* in any order */
	size_t nservers;
} mc_report_ns_facts_t;

/* A "nameservers of ZONE" node with a line per server that fails, the
 * serials, and the perfdata ns_count. */
void mc_report_ns(const mc_report_ns_facts_t *f, const mc_report_opts_t *o, mc_result_t *root,
                  mc_report_okline_t *ok);

#endif
