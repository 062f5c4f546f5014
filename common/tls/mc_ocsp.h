/* mc_ocsp.h - verification of a stapled OCSP response (RFC 6960, stapled
 * as in RFC 6066 section 8) and the TLS Feature "must staple" (RFC 7633).
 * Pure: no I/O, the current time is the only input besides the arguments. */
#ifndef MC_OCSP_H
#define MC_OCSP_H

#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* A stapled response larger than this is refused unread. */
#define MC_OCSP_MAX (64 * 1024)
/* Clock skew allowed around thisUpdate and nextUpdate, in seconds. */
#define MC_OCSP_SKEW 300

typedef enum mc_ocsp_status {
	MC_OCSP_GOOD,    /* signed, current, the certificate is not revoked */
	MC_OCSP_REVOKED, /* signed, the certificate is revoked (dates not considered) */
	MC_OCSP_UNKNOWN, /* signed, current, the responder does not know the certificate */
	MC_OCSP_STALE,   /* signed, but now is outside thisUpdate..nextUpdate (+-skew) */
	MC_OCSP_INVALID  /* unparsable, over MC_OCSP_MAX, response status not successful,
	                    bad signature, untrusted or unauthorized signer, malformed dates,
	                    or no response for this certificate */
} mc_ocsp_status_t;

typedef struct mc_ocsp_result {
	mc_ocsp_status_t status;
	/* From the single response for the certificate, once one was found in
	 * a response whose signature verified; 0 when absent or unreadable. */
	time_t this_update, next_update, revoked_at;
	int reason; /* CRL reason code (RFC 5280 section 5.3.1) when revoked, else -1 */
	/* One line for the plugin output, sanitized (mc_str_sanitize), e.g.
	 * "good, this update 2026-11-23 10:00:00 UTC, next update 2026-11-30 10:00:00 UTC"
	 * "revoked on 2026-11-20 08:00:00 UTC (keyCompromise)"
	 * "stale: next update 2026-11-22 10:00:00 UTC has passed"
	 * "signature not verified: signer certificate: unable to get local issuer certificate" */
	char text[256];
} mc_ocsp_result_t;

/* Check the DER OCSP response der[0..len) for leaf, whose issuer is issuer
 * (the caller's: from the verified chain, or the one the peer sent).
 * The response must have status successful and a basic response whose
 * signature verifies against store, the signer's chain built from store,
 * untrusted (may be NULL) and the certificates in the response. The signer
 * must be issuer itself or a delegated responder certified by issuer with
 * the id-kp-OCSPSigning extended key usage (RFC 6960 section 4.2.2.2).
 * The single response used is the first whose CertID names leaf's serial
 * and issuer, hashed with SHA-1 or SHA-2 (other CertID hashes are ignored).
 * A revoked certificate is REVOKED whatever the dates; otherwise dates
 * outside thisUpdate..nextUpdate, MC_OCSP_SKEW allowed on each side, are
 * STALE (no nextUpdate: no end; no maximum age). leaf or issuer NULL,
 * len 0: INVALID. Empties the OpenSSL error queue (also of errors queued
 * before the call). */
void mc_ocsp_check(const unsigned char *der, size_t len, X509 *leaf, X509 *issuer,
                   STACK_OF(X509) * untrusted, X509_STORE *store, mc_ocsp_result_t *out);

/* The certificate carries the TLS Feature extension (RFC 7633) listing
 * status_request (5). False for NULL, or when the extension is absent,
 * duplicated or unreadable. Empties the OpenSSL error queue. */
bool mc_ocsp_must_staple(X509 *leaf);

#endif
