/* spf_zone.h - the zone that the SPF evaluation tests run against, and
 * the check_host cases over it. test_spf_check_host.c hands its answers to
 * mc_spf_check_host through a lookup callback; test_spf_run.c serves the
 * same answers over the wire (fake_dns.h) to mc_spf_run: one table of cases,
 * both ways. */
#ifndef SPF_ZONE_H
#define SPF_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/mc_dns.h"
#include "policy/mc_spf.h"

/* The zone's answer to a question: records in zone order (rotated, see
 * spf_zone_rotate), NODATA for a name the zone knows, NXDOMAIN otherwise,
 * and the SERVFAIL and TIMEOUT answers of a few names. Built once per
 * question and kept until spf_zone_free. */
const mc_dns_answer_t *spf_zone_answer(const char *name, uint16_t type);
void spf_zone_free(void);

/* Answers of 2 to MC_SPF_MAX_NAMES records built from now on are rotated
 * left by this many places (0: zone order). */
void spf_zone_rotate(size_t by);

/* Parameters for one check: the client address, MAIL FROM and HELO. */
void spf_params(mc_spf_params_t *p, const char *ip, const char *sender, const char *helo);

typedef struct spf_host_case {
	const char *name;
	const char *ip;
	const char *sender;
	const char *helo;
	mc_spf_res_t want;
	const char *term;        /* exact, or NULL to skip */
	const char *explanation; /* exact for a fail ("" for the default) */
	const char *reason;      /* substring, or NULL */
	unsigned lookups, voids;
} spf_host_case_t;

extern const spf_host_case_t spf_host_cases[];
extern const size_t spf_host_ncases;

/* Assert that r is the final result the case wants. */
void spf_check_case(const spf_host_case_t *c, const mc_spf_result_t *r);

#endif
