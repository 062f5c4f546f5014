/* mc_report_spf.h - judging a domain's SPF: the top record (RFC 7208
 * sections 4.5, 5.1, 3.4, 5.5), its include tree against the limits of
 * section 4.6.4, and check_host() for the domain's own senders and for
 * forgers. Facts in (mc_spf_walk_t, mc_spf_result_t), subchecks out; no
 * I/O, no state. */
#ifndef MC_REPORT_SPF_H
#define MC_REPORT_SPF_H

#include <stdbool.h>
#include <stddef.h>

#include "nagios/mc_result.h"
#include "policy/mc_spf.h"
#include "policy/mc_spf_walk.h"

/* A record longer than this may not fit a UDP answer (section 3.4). */
#define MC_REPORT_SPF_WARN_BYTES 450

/* One check_host() evaluation. */
typedef struct mc_report_spf_eval {
	const char *ip;             /* the client address as the user wrote it */
	bool want_pass;             /* an own sender (else a forger: want fail) */
	bool done;                  /* finished before the deadline */
	const mc_spf_result_t *res; /* the result (so far, when not done) */
} mc_report_spf_eval_t;

typedef struct mc_report_spf_facts {
	const char *domain;
	const mc_spf_walk_t *walk; /* the static walk of the tree */
	bool walk_final;           /* the walk finished before the deadline */
	const mc_report_spf_eval_t *evals;
	size_t nevals;
} mc_report_spf_facts_t;

typedef struct mc_report_spf_opts {
	/* On the DNS-querying terms of the whole tree; echoed in the
	 * spf_lookups perfdata. */
	mc_thresholds_t lookups;
	/* The state of what the deadline left unanswered. */
	mc_state_t unanswered;
} mc_report_spf_opts_t;

/* Add to node, in this order:
 * - the top record: no answer (unanswered), NXDOMAIN, a DNS error, no or
 *   several v=spf1 records, a syntax error (CRITICAL, nothing more about
 *   the record); else +all CRITICAL, ?all WARNING, neither all nor
 *   redirect WARNING, over MC_REPORT_SPF_WARN_BYTES WARNING, ptr WARNING;
 * - when the record parsed: the tree not fetched (unanswered), the walk's
 *   finding CRITICAL, the DNS-querying terms (over 10 CRITICAL, else by
 *   the lookups thresholds, one line either way), void lookups over 2
 *   CRITICAL; perfdata spf_lookups, spf_void_lookups, spf_bytes (B),
 *   spf_depth;
 * - one line per evaluation: not done (unanswered), temperror or
 *   permerror CRITICAL; an own sender: pass OK, else CRITICAL; a forger:
 *   fail OK (with the explanation when the record gave one), softfail
 *   WARNING, else CRITICAL. */
void mc_report_spf(mc_result_t *node, const mc_report_spf_facts_t *f,
                   const mc_report_spf_opts_t *o);

#endif
