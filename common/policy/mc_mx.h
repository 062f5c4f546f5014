/* mc_mx.h - facts of an MX answer, shared by every plugin that follows a
 * domain's MX records (check_mx_dns, check_smtp_tls --mx): the hosts in
 * the order senders try them, the null MX, the implicit MX, and how many
 * hosts a check follows. Pure functions of an answer: no I/O, no state. */
#ifndef MC_MX_H
#define MC_MX_H

#include <stdbool.h>
#include <stddef.h>

#include "dns/mc_dns.h"

/* MX hosts a check follows at most (addresses, TLSA, sessions). Hosts
 * beyond it are named in the output as not checked, never dropped
 * silently (mc_mx_set_t.rest). */
#define MC_MX_MAX_HOSTS 16

/* The MX records of an answer by preference (RFC 5321 section 5.1: senders
 * try the lowest first), then by name (case ignored) so that the order is
 * stable whatever the resolver's: at most max into out; *null_mx when the
 * answer holds a null MX (RFC 7505), and then none. An outcome other than
 * MC_DNS_ANSWER gives none. Returns how many. */
size_t mc_mx_sorted(const mc_dns_answer_t *a, const mc_dns_rr_t **out, size_t max, bool *null_mx);

/* RFC 7505 section 3: the answer holds a null MX ("0 ."). */
bool mc_mx_is_null(const mc_dns_answer_t *a);

/* RFC 7505 section 3: a null MX must be the only MX record; true when it
 * is among others (the domain is then misconfigured, not mail-less). */
bool mc_mx_null_among_others(const mc_dns_answer_t *a);

/* RFC 5321 section 5.1: the name exists without MX records (NODATA), so
 * its own address records are its implicit MX. NXDOMAIN is not: there is
 * no domain at all. */
bool mc_mx_implicit(const mc_dns_answer_t *a);

/* The hosts of an MX answer as a check follows them: by preference, each
 * name once (the first, lowest preference, wins), the first
 * MC_MX_MAX_HOSTS in host[], the names beyond in rest[]. Pointers into the
 * answer. */
typedef struct mc_mx_set {
	bool null_mx;
	const mc_dns_rr_t *host[MC_MX_MAX_HOSTS];
	size_t nhosts;
	const char *rest[MC_DNS_MAX_RRS];
	size_t nrest;
} mc_mx_set_t;

void mc_mx_set_read(const mc_dns_answer_t *a, mc_mx_set_t *out);

#endif
