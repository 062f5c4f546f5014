/* mc_report_banner.h - judgement of the SMTP banners of the MX addresses
 * (check_mx_dns --smtp-probe): each must answer 220 and name the MX host
 * or the address's PTR name. */
#ifndef MC_REPORT_BANNER_H
#define MC_REPORT_BANNER_H

#include <stdbool.h>
#include <stddef.h>

#include "net/mc_net.h"
#include "proto/mc_smtp.h"
#include "report/mc_report.h"

typedef struct mc_report_banner_facts {
	char addr[MC_ADDR_STRLEN + 8]; /* "192.0.2.1:25" */
	const char *mx;                /* the MX host the address belongs to */
	bool done;                     /* the probe ended before the deadline */
	const mc_smtp_result_t *res;   /* its result, once done */
	const mc_dns_answer_t *ptr;    /* the address's PTR answer, or NULL */
} mc_report_banner_facts_t;

/* The host name a banner gives: "220 mx.example.org ESMTP" -> the second
 * word (sanitized; "" when none). */
void mc_report_banner_host(const char *banner, char *out, size_t outsz);

/* A line per address that failed or names another host (and, at -v, per
 * one that is fine); one OK line when all are fine. */
void mc_report_banner(const mc_report_banner_facts_t *a, size_t n, const mc_report_opts_t *o,
                      mc_result_t *root);

#endif
