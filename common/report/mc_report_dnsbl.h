/* mc_report_dnsbl.h - judgement of IP blocklist lookups: each zone's RFC
 * 5782 section 5 self-test, then every address, with the verdicts of
 * policy/mc_dnsbl.h. A zone that fails its self-test, answers an error
 * code or outside 127.0.0.0/8 is UNKNOWN (not trusted this run); a
 * listing in a trusted zone is CRITICAL. */
#ifndef MC_REPORT_DNSBL_H
#define MC_REPORT_DNSBL_H

#include <stdbool.h>
#include <stddef.h>

#include "policy/mc_dnsbl.h"
#include "report/mc_report.h"

/* The self-test of one zone: the answers for its test points 127.0.0.2
 * (must be listed) and 127.0.0.1 (must not); NULL: none before the
 * deadline. */
typedef struct mc_report_dnsbl_zone {
	const char *zone;
	const mc_dns_answer_t *test_listed, *test_unlisted;
} mc_report_dnsbl_zone_t;

/* One address in one zone: the A question, and the TXT question (the
 * reason) asked when it is listed. */
typedef struct mc_report_dnsbl_lookup {
	mc_dns_asked_t a, txt;
} mc_report_dnsbl_lookup_t;

typedef struct mc_report_dnsbl_addr {
	const char *text;                   /* "192.0.2.1" */
	const char *host;                   /* the MX host it belongs to */
	const mc_report_dnsbl_lookup_t *bl; /* one per zone, in zone order */
} mc_report_dnsbl_addr_t;

typedef struct mc_report_dnsbl_facts {
	const mc_report_dnsbl_zone_t *zones;
	size_t nzones;
	const mc_report_dnsbl_addr_t *addrs;
	size_t naddrs;
} mc_report_dnsbl_facts_t;

/* Per zone: an UNKNOWN line when untrusted, a CRITICAL line per listed
 * address, at -v an OK line when none is; then the "not listed" line when
 * every zone is clean, and the perfdata dnsbl_listed and dnsbl_checked.
 * Nothing without zones. */
void mc_report_dnsbl(const mc_report_dnsbl_facts_t *f, const mc_report_opts_t *o, mc_result_t *root,
                     mc_report_okline_t *ok);

#endif
