/* mc_dmarc_discovery.h - finding the DMARC record that applies to a domain
 * (RFC 7489 section 6.6.3) and the authorizations of its external report
 * destinations (section 7.1), as facts. A pure function over a lookup
 * callback: replayed by mc_dns_replay, or run over answers already known.
 *
 * Steps, each taken only when the one before it is known:
 * 1. TXT _dmarc.DOMAIN. Its records starting with "v=DMARC1" (ASCII case
 *    ignored) are DOMAIN's DMARC records. A DNS error (SERVFAIL, REFUSED,
 *    timeout, malformed) ends the discovery: the error is the fact, not
 *    absence.
 * 2. When there are none (NXDOMAIN, no data, only other TXT records) and
 *    DOMAIN's organizational domain (mc_dmarc_org_domain; DOMAIN itself
 *    when it has none) differs from DOMAIN: TXT _dmarc.ORG, read the same
 *    way.
 * 3. When the records found are exactly one that parses
 *    (mc_dmarc_parse): for every rua= then ruf= destination host outside
 *    ORG (mc_dmarc_in_org), once per host, at most MC_DMARC_MAX_AUTH
 *    hosts: TXT AT._report._dmarc.DEST (mc_dmarc_report_auth_name, AT the
 *    domain whose record was found), all asked at once. A host for which
 *    that name cannot be formed is skipped. */
#ifndef MC_DMARC_DISCOVERY_H
#define MC_DMARC_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>

#include "dns/mc_dns_replay.h"
#include "policy/mc_dmarc.h"

/* External report destinations whose authorization is asked at most. */
#define MC_DMARC_MAX_AUTH 8

typedef enum mc_dmarc_found {
	MC_DMARC_FOUND_UNANSWERED = 0, /* step 1 or 2 not answered (yet) */
	MC_DMARC_FOUND_DNS_ERROR,      /* the last step's answer is a DNS error (error) */
	MC_DMARC_FOUND_NONE,           /* no record at _dmarc.DOMAIN nor _dmarc.ORG */
	MC_DMARC_FOUND_SEVERAL,        /* nrecords (> 1) records at _dmarc.AT */
	MC_DMARC_FOUND_INVALID,        /* one record at _dmarc.AT, not valid (error) */
	MC_DMARC_FOUND_RECORD          /* one valid record at _dmarc.AT (rec) */
} mc_dmarc_found_t;

/* One external report destination (step 3). */
typedef struct mc_dmarc_auth {
	char dest[254];  /* the destination host, as the record's URI has it */
	char name[300];  /* AT._report._dmarc.DEST, the name asked */
	bool answered;   /* its answer is known */
	bool authorized; /* a TXT record there passes mc_dmarc_auth_record_ok */
} mc_dmarc_auth_t;

typedef struct mc_dmarc_discovery {
	/* An answer was not known yet (asked through the lookup). */
	bool pending;
	mc_dmarc_found_t found;
	char domain[254]; /* DOMAIN as given */
	char org[254];    /* its organizational domain, or DOMAIN */
	bool answered;    /* TXT _dmarc.DOMAIN is known */
	bool org_asked;   /* step 2 was taken */
	bool org_answered;
	/* The domain whose records are the finding (DOMAIN or ORG; set for
	 * SEVERAL, INVALID and RECORD). */
	char at[254];
	size_t nrecords; /* v=DMARC1 records at _dmarc.AT */
	mc_dmarc_record_t rec;
	/* DNS_ERROR: the answer's error line; INVALID: the parse error. */
	char error[384];
	/* _dmarc.DOMAIN has no record starting with "v=DMARC1" but one meant
	 * as DMARC that is not valid (mc_dmarc_parse says MC_E_PROTOCOL:
	 * v=DMARC1 not first, ...), which receivers discard (section 6.6.3):
	 * the first such record's parse error. Set once step 1 is known. */
	bool discarded;
	char discarded_error[256];
	mc_dmarc_auth_t auth[MC_DMARC_MAX_AUTH];
	size_t nauth;
} mc_dmarc_discovery_t;

/* Discover the DMARC facts of domain (an A-label name as mc_dns_name_valid
 * accepts it, no trailing dot) through lookup(arg, ...), which may give
 * NULL (then pending; the steps that need that answer wait, the others go
 * on). out is overwritten. */
void mc_dmarc_discover(const char *domain, mc_dns_lookup_fn lookup, void *arg,
                       mc_dmarc_discovery_t *out);

#endif
