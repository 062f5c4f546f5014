/* mc_report_dane.h - the one DANE judgement (RFC 7672, SMTP security via
 * DANE TLSA records), for both of its users:
 *   - the survey (check_mx_dns --dane): does every MX host publish
 *     DNSSEC-validated TLSA records usable for SMTP? No handshake.
 *   - the session (check_smtp_tls --dane, --mx): do the TLSA records of
 *     the host apply, and did the handshake match one of them?
 * Both read the same facts; the rules (AD required, only DANE-TA(2) and
 * DANE-EE(3) count for SMTP, a failed lookup defers mail) live here. */
#ifndef MC_REPORT_DANE_H
#define MC_REPORT_DANE_H

#include <stdbool.h>
#include <stddef.h>

#include "report/mc_report.h"

/* The facts of one host. */
typedef struct mc_report_dane_facts {
	const char *host;      /* the host whose TLSA records these are */
	const char *tlsa_name; /* "_25._tcp.mx.example.org" */
	/* The TLSA question: not askable, unanswered (deadline) or its
	 * answer with outcome, AD bit and records. */
	mc_dns_asked_t tlsa;
	/* The host came from the MX records of mx_domain (NULL: a host given
	 * by name); mx_ad: the resolver validated that MX answer. RFC 7672
	 * section 2.2.1: DANE applies only under a validated MX answer. */
	const char *mx_domain;
	bool mx_ad;
	/* The session: a handshake was done with the usable records given to
	 * the TLS layer, which found usable of them usable; matched: the
	 * chain was verified through a record (record "3 1 1 8a3f...", depth
	 * the depth of the matched certificate). */
	bool handshake_done;
	size_t usable;
	bool matched;
	const char *record;
	int depth;
} mc_report_dane_facts_t;

typedef struct mc_report_dane_opts {
	/* --dane=require: missing or unusable DANE is CRITICAL, else a
	 * WARNING. The survey treats every host as required. */
	bool require;
} mc_report_dane_opts_t;

/* RFC 7672 section 3.1.3: the TLSA records of an answer that SMTP uses,
 * DANE-TA(2) and DANE-EE(3). */
size_t mc_report_dane_usable(const mc_dns_answer_t *tlsa);

/* The session: "DANE: ..." lines at node (at most one). Nothing while the
 * TLSA answer is still missing (the deadline: the host's own line says
 * so) or while the handshake is not done with usable records. */
void mc_report_dane_session(const mc_report_dane_facts_t *f, const mc_report_dane_opts_t *d,
                            mc_result_t *node);

/* The survey: "DANE HOST: ..." lines at root for each host whose TLSA
 * records were asked, and "DANE" in the OK summary when every host has
 * validated records. */
void mc_report_dane_survey(const mc_report_dane_facts_t *hosts, size_t n, const mc_report_opts_t *o,
                           mc_result_t *root, mc_report_okline_t *ok);

#endif
