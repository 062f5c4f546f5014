/* mc_check_sender.h - the sender-authentication survey of one domain, on
 * the loop: the static walk of its SPF tree (mc_spf_walk), check_host()
 * for each given address (mc_spf_run), the TXT record of each DKIM
 * selector, and DMARC discovery (mc_dmarc_discover), all started at once
 * on one resolver. It gathers facts for report/ (mc_report_spf,
 * mc_report_dkim, mc_report_dmarc); it judges nothing. */
#ifndef MC_CHECK_SENDER_H
#define MC_CHECK_SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/mc_dns.h"
#include "loop/mc_loop.h"
#include "policy/mc_dkim.h"
#include "policy/mc_dmarc_discovery.h"
#include "report/mc_report_spf.h"

/* Addresses evaluated, and DKIM selectors asked, at most. */
#define MC_CHECK_SENDER_MAX_EVALS 32
#define MC_CHECK_SENDER_MAX_SELECTORS 16

/* One address to evaluate (copied at start; the texts must outlive the
 * survey). */
typedef struct mc_check_sender_ip {
	mc_addr_t ip;
	const char *text; /* as the user wrote it, for the output */
	bool want_pass;   /* an own sender; else a forger */
} mc_check_sender_ip_t;

typedef struct mc_check_sender_params {
	const char *domain; /* a valid name without trailing dot */
	const char *sender; /* MAIL FROM evaluated */
	const char *helo;   /* %{h} */
	const mc_check_sender_ip_t *ips;
	size_t nips; /* at most MC_CHECK_SENDER_MAX_EVALS */
	const char *const *selectors;
	size_t nselectors; /* at most MC_CHECK_SENDER_MAX_SELECTORS */
} mc_check_sender_params_t;

typedef struct mc_check_sender mc_check_sender_t;

/* Start every question on dns (whose loop is loop); p and the strings it
 * points to must outlive the survey. An address check_host refuses is
 * left out. MC_OK with *out set, MC_E_NOMEM. */
mc_status_t mc_check_sender_start(mc_loop_t *loop, mc_dns_t *dns, const mc_check_sender_params_t *p,
                                  mc_check_sender_t **out);

/* The facts so far (final once the loop has nothing left to wait for),
 * valid until mc_check_sender_free. */
void mc_check_sender_spf(mc_check_sender_t *s, mc_report_spf_facts_t *out);
/* Selector k's facts and the name asked ("SEL._domainkey.DOMAIN"); the
 * facts are overwritten by the next call. */
const mc_dkim_selector_t *mc_check_sender_dkim(mc_check_sender_t *s, size_t k, const char **name);
const mc_dmarc_discovery_t *mc_check_sender_dmarc(const mc_check_sender_t *s);

/* Seconds from the start to the end of the SPF walk, and to the last
 * answer about the DMARC record itself (not its report authorizations);
 * negative when that did not happen. */
double mc_check_sender_time_spf(const mc_check_sender_t *s);
double mc_check_sender_time_dmarc(const mc_check_sender_t *s);

/* Free the survey (NULL is ignored): after the loop has run, as
 * mc_dns_replay_free says. */
void mc_check_sender_free(mc_check_sender_t *s);

#endif
