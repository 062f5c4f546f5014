/* mc_dnsbl.h - what an IP blocklist's answer means (RFC 5782), as a
 * verdict: the one place that says what 127.0.0.2 and 127.255.255.x mean.
 * Pure functions: no I/O, no state. */
#ifndef MC_DNSBL_H
#define MC_DNSBL_H

#include <stddef.h>
#include <stdint.h>

#include "dns/mc_dns.h"

typedef enum mc_dnsbl_verdict {
	/* A records in 127.0.0.0/8 outside 127.255.255.0/24 (RFC 5782
	 * section 2.1): the address is on the list; the code says why. */
	MC_DNSBL_LISTED = 0,
	/* NXDOMAIN or no A record: not on the list. */
	MC_DNSBL_NOT_LISTED,
	/* An answer in 127.255.255.0/24: not a listing but the list's own
	 * error code (queries refused, over the free volume, rate-limited;
	 * Spamhaus documents 127.255.255.252-255): the list cannot be
	 * trusted this run. */
	MC_DNSBL_ERROR_CODE,
	/* An answer outside 127.0.0.0/8 (RFC 5782 section 2.1 keeps list
	 * answers there): a wildcard, a hijacking resolver or a list that
	 * was shut down; not trusted. */
	MC_DNSBL_OUTSIDE,
	/* The query failed (SERVFAIL, REFUSED, timeout, malformed). */
	MC_DNSBL_FAILED
} mc_dnsbl_verdict_t;

/* "listed", "not listed", "error code", "outside 127.0.0.0/8", "failed". */
const char *mc_dnsbl_verdict_str(mc_dnsbl_verdict_t v);

/* The verdict of the A records addrs[0..n) (4 bytes each) of a blocklist
 * answer that has records: outside 127/8 wins over an error code, which
 * wins over a listing, whatever the order. code (codesz >= 16) gets the
 * deciding address as text: the first address outside 127/8, else the
 * last error code, else the first address. n == 0: MC_DNSBL_NOT_LISTED,
 * code "". */
mc_dnsbl_verdict_t mc_dnsbl_read(const uint8_t (*addrs)[4], size_t n, char *code, size_t codesz);

/* The verdict of a whole answer (records, no data, NXDOMAIN or a
 * failure), code as above ("" without records). */
mc_dnsbl_verdict_t mc_dnsbl_verdict(const mc_dns_answer_t *a, char *code, size_t codesz);

/* RFC 5782 section 5: every list must list 127.0.0.2 and must not list
 * 127.0.0.1; a list that fails either test is not trusted. Which one: */
typedef enum mc_dnsbl_test {
	MC_DNSBL_TEST_LISTED = 2,   /* 2.0.0.127.ZONE must be listed */
	MC_DNSBL_TEST_UNLISTED = 1, /* 1.0.0.127.ZONE must not be */
} mc_dnsbl_test_t;

/* The name of a test point below zone; MC_E_LIMIT if it does not fit. */
mc_status_t mc_dnsbl_test_name(const char *zone, mc_dnsbl_test_t t, char *out, size_t outsz);

/* --dnsbl-default: widely used IP blocklists that answer every querier
 * (some only below a query volume; a list that refuses or rate-limits
 * answers 127.255.255.x, MC_DNSBL_ERROR_CODE, never a listing). */
extern const char *const mc_dnsbl_default_zones[];
#define MC_DNSBL_NDEFAULT 8

#endif
