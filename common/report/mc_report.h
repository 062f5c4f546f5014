/* mc_report.h - what every judgement (report/mc_report_*.h) shares: the
 * options common to all, the OK summary they add to, and the words and
 * state for a DNS question that got no definite answer.
 *
 * A judgement takes facts and options as const pointers and adds subchecks
 * (state, text, perfdata) to a result node. It does no I/O and keeps no
 * state, so a table test can drive it with facts built by hand. */
#ifndef MC_REPORT_H
#define MC_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "dns/mc_dns.h"
#include "nagios/mc_range.h"
#include "nagios/mc_result.h"

typedef struct mc_report_opts {
	/* The state of a question the deadline cut off: the timeout state
	 * (-t N:STATE) when the deadline ended the run, else UNKNOWN. */
	mc_state_t late;
	int verbose; /* -v: OK detail lines too */
} mc_report_opts_t;

/* The first line's text when every subcheck is OK: parts joined by ", "
 * ("2 MX, 4 addresses, MTA-STS enforce"). A part that does not fit is
 * left out. */
typedef struct mc_report_okline {
	char text[600];
} mc_report_okline_t;

void mc_report_ok(mc_report_okline_t *ok, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The text of a question that was not askable, got no answer before the
 * deadline, or failed (the answer's own error line). */
const char *mc_report_dns_failure(const mc_dns_asked_t *q);
/* Its state: CRITICAL when the DNS failed or the name could not be
 * asked, o->late when the deadline came first. */
mc_state_t mc_report_dns_failure_state(const mc_dns_asked_t *q, const mc_report_opts_t *o);

/* Perfdata name=v at node; with suffix (the target of --all-addresses or
 * --mx) the label is "name_suffix", cut at 63 bytes as every label. */
void mc_report_perf(mc_result_t *node, const char *suffix, const char *name, double v,
                    const char *uom, const mc_thresholds_t *th);

#endif
