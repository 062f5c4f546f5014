/* mc_mx_survey.h - the MX survey: every DNS question about a mail domain
 * (MX, host addresses, PTR and forward confirmation, nameservers and
 * their SOA, blocklists, MTA-STS and TLS-RPT, TLSA, client SRV) and the
 * SMTP banner probes, each started on the loop as soon as its input is
 * known, so a run costs the depth of the dependency chain (MX, address,
 * PTR, forward), not the sum of its questions. It states facts only; the
 * judgements of report/ turn them into subchecks. */
#ifndef MC_MX_SURVEY_H
#define MC_MX_SURVEY_H

#include <stdbool.h>
#include <stddef.h>

#include "check/mc_check.h"
#include "report/mc_report_banner.h"
#include "report/mc_report_dane.h"
#include "report/mc_report_dnsbl.h"
#include "report/mc_report_mx.h"
#include "report/mc_report_ns.h"
#include "report/mc_report_srv.h"
#include "report/mc_report_sts.h"

/* Addresses of all MX hosts followed, and blocklist zones, at most. */
#define MC_MX_SURVEY_MAX_ADDRS 32
#define MC_MX_SURVEY_MAX_ZONES 32
/* Client SRV services asked (RFC 6186, RFC 8314). */
#define MC_MX_SURVEY_NSRV 6

typedef struct mc_mx_survey_params {
	const char *domain;
	bool implicit_mx;         /* no MX: follow the domain itself */
	const char *const *zones; /* blocklists, nzones of them */
	size_t nzones;
	bool mta_sts, dane, srv, smtp_probe;
	unsigned ns_port, smtp_port, https_port;
	double timeout; /* -t, for the questions to each nameserver */
	int verbose;
} mc_mx_survey_params_t;

typedef struct mc_mx_survey mc_mx_survey_t;

/* Start asking on env's loop (env->tls only for MTA-STS). p and its
 * strings must outlive the survey. NULL: out of memory. */
mc_mx_survey_t *mc_mx_survey_start(const mc_mx_survey_params_t *p, const mc_check_env_t *env);

/* What the survey found, by topic, for report/. Valid until
 * mc_mx_survey_free. */
typedef struct mc_mx_survey_facts {
	mc_report_mx_facts_t mx;
	mc_report_ns_facts_t ns;
	mc_report_dnsbl_facts_t dnsbl;
	mc_report_sts_facts_t sts;
	mc_report_tlsrpt_facts_t tlsrpt;
	const mc_report_dane_facts_t *dane; /* one per MX host */
	size_t ndane;
	const mc_report_srv_service_t *srv;
	size_t nsrv;
	const mc_report_banner_facts_t *banner; /* one per address */
	size_t nbanner;
} mc_mx_survey_facts_t;

/* After the loop: what was found, in out (what still runs is aborted by
 * mc_mx_survey_free, after the judgement). */
void mc_mx_survey_facts(mc_mx_survey_t *s, mc_mx_survey_facts_t *out);

/* The perfdata of each phase that ran (time_mx, time_addr, time_ptr,
 * time_ns, time_dnsbl, time_mta_sts, time_dane, time_srv, time_smtp):
 * from its first question to its last answer. */
void mc_mx_survey_perf(const mc_mx_survey_t *s, mc_result_t *root);

void mc_mx_survey_free(mc_mx_survey_t *s);

#endif
