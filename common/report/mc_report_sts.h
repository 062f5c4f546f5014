/* mc_report_sts.h - judgement of a domain's MTA-STS (RFC 8461): the
 * _mta-sts TXT record, the policy fetched over verified HTTPS, its mode
 * and max_age, and whether every MX host matches its mx patterns; and of
 * its TLS-RPT record (RFC 8460), which reports the failures of MTA-STS
 * and DANE. */
#ifndef MC_REPORT_STS_H
#define MC_REPORT_STS_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/mc_https.h"
#include "report/mc_report.h"

typedef struct mc_report_sts_facts {
	const char *domain;
	mc_dns_asked_t txt; /* TXT at _mta-sts.DOMAIN */
	/* The policy host mta-sts.DOMAIN: resolved (or failed to:
	 * resolve_error), the fetch started and done. */
	bool resolved;
	const char *resolve_error;
	bool fetch_started, fetch_done;
	const mc_https_result_t *fetch; /* the fetch's result once done */
	const char *const *mx;          /* the MX host names the policy must cover */
	size_t nmx;
} mc_report_sts_facts_t;

/* An "MTA-STS" node: the record, the fetch, the policy. */
void mc_report_sts(const mc_report_sts_facts_t *f, const mc_report_opts_t *o, mc_result_t *root,
                   mc_report_okline_t *ok);

typedef struct mc_report_tlsrpt_facts {
	const char *domain;
	mc_dns_asked_t txt; /* TXT at _smtp._tls.DOMAIN; not asked: no line */
	bool for_sts;       /* asked for MTA-STS (else for DANE), in the wording */
} mc_report_tlsrpt_facts_t;

/* One TLS-RPT line: the reporting address, or why there is none. */
void mc_report_tlsrpt(const mc_report_tlsrpt_facts_t *f, const mc_report_opts_t *o,
                      mc_result_t *root);

#endif
