/* mc_report_dkim.h - judging one DKIM selector's key record (RFC 6376
 * section 3.6.1; key sizes and hashes of RFC 8301; Ed25519 of RFC 8463).
 * One selector, one line, one state: a usable key's findings are joined
 * on one line with the worst of their states. Facts in
 * (mc_dkim_selector_t), subchecks out; no I/O, no state. */
#ifndef MC_REPORT_DKIM_H
#define MC_REPORT_DKIM_H

#include "nagios/mc_result.h"
#include "policy/mc_dkim.h"

typedef struct mc_report_dkim_facts {
	const char *selector;
	const char *name; /* SELECTOR._domainkey.DOMAIN, the name asked */
	const mc_dkim_selector_t *sel;
} mc_report_dkim_facts_t;

typedef struct mc_report_dkim_opts {
	/* An RSA key shorter is a WARNING (under 1024 bits always CRITICAL). */
	long min_bits;
	/* The state of a selector the deadline left unanswered. */
	mc_state_t unanswered;
} mc_report_dkim_opts_t;

/* Add one line to node: unanswered; no record, a DNS error, several
 * records, an invalid record, a revoked key, an unsupported k=, an
 * unusable key: CRITICAL; else the key's findings joined by "; " (RSA
 * under 1024 bits CRITICAL, under min_bits WARNING; h= sha1 only
 * CRITICAL; s= without email CRITICAL; t=y WARNING) with the worst state,
 * or OK with the key type and size. A usable key adds the perfdata
 * dkim_bits_SELECTOR. */
void mc_report_dkim(mc_result_t *node, const mc_report_dkim_facts_t *f,
                    const mc_report_dkim_opts_t *o);

#endif
