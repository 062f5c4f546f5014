/* mc_report_srv.h - judgement of a mail domain's client SRV records (RFC
 * 6186, RFC 8314): what each service publishes, "." as not offered (RFC
 * 2782), and targets that must resolve. */
#ifndef MC_REPORT_SRV_H
#define MC_REPORT_SRV_H

#include <stddef.h>

#include "report/mc_report.h"

/* Targets of one service whose addresses are asked. */
#define MC_REPORT_SRV_MAX_TARGETS 4

typedef struct mc_report_srv_service {
	const char *name; /* "_submissions._tcp" */
	mc_dns_asked_t srv;
	/* A and AAAA of the first MC_REPORT_SRV_MAX_TARGETS targets, in
	 * answer order (not asked for "."). */
	mc_dns_asked_t addr[MC_REPORT_SRV_MAX_TARGETS][2];
} mc_report_srv_service_t;

/* A line per failed lookup or unresolvable target, then one "SRV: ..."
 * line listing what is published. */
void mc_report_srv(const mc_report_srv_service_t *s, size_t n, const mc_report_opts_t *o,
                   mc_result_t *root);

#endif
