/* mc_report_dmarc.h - judging the DMARC record that applies to a domain
 * (RFC 7489 sections 6.3, 6.6.3) and its report authorizations (section
 * 7.1). Facts in (mc_dmarc_discovery_t), subchecks out; no I/O, no
 * state. */
#ifndef MC_REPORT_DMARC_H
#define MC_REPORT_DMARC_H

#include <stdbool.h>

#include "nagios/mc_result.h"
#include "policy/mc_dmarc_discovery.h"

typedef struct mc_report_dmarc_opts {
	bool optional;                /* no record is a WARNING, not CRITICAL */
	mc_dmarc_policy_t min_policy; /* a weaker p= is a WARNING */
	/* The state of what the deadline left unanswered. */
	mc_state_t unanswered;
} mc_report_dmarc_opts_t;

/* Add to node: unanswered (and nothing more) when the record's answers are
 * not known; a record at _dmarc.DOMAIN that receivers discard CRITICAL;
 * then a DNS error, several records, an invalid record CRITICAL, or no
 * record CRITICAL (WARNING when optional); else p= weaker than min_policy
 * WARNING, pct under 100 WARNING, each report authorization unanswered
 * (unanswered) or missing (WARNING), and the OK line with the policy, where
 * it was found and the rua= count. */
void mc_report_dmarc(mc_result_t *node, const mc_dmarc_discovery_t *d,
                     const mc_report_dmarc_opts_t *o);

#endif
