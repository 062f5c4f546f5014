/* mc_report_tls.h - the judgement of one TLS session: the facts of the
 * handshake and the certificate (mc_tls_info_t) in, the subchecks of the
 * TLS service plugins out.
 *
 * The lines, in this order, as check_smtp_tls, check_imaps and check_pop3s
 * print them:
 *   [OK] handshake: TLSv1.3 TLS_AES_256_GCM_SHA384
 *   [OK] verification: ...           (how the certificate was verified)
 *   [WARNING] name matched only through the subject CN ...   (RFC 9525)
 *   [WARNING] key usage: no digitalSignature ...         (RFC 8446 4.4.2.2)
 *   [STATE] validity: ...            (-D thresholds), perfdata cert_days
 *   [STATE] OCSP staple: ...         (--ocsp)
 *   [STATE] key: RSA 2048 bits       (--min-key-bits)
 *   [WARNING] signature: ... is forgeable   (SHA-1 or MD5 below the root)
 *   [CRITICAL] protocol: negotiated ..., below --min-tls ...
 * and, for --probe-old-tls, one line per old version probed. */
#ifndef MC_REPORT_TLS_H
#define MC_REPORT_TLS_H

#include <stdbool.h>

#include "nagios/mc_range.h"
#include "nagios/mc_result.h"
#include "nagios/mc_state.h"
#include "tls/mc_tls.h"

/* --ocsp */
typedef enum mc_ocsp_mode {
	MC_OCSP_OFF = 0, /* no staple asked for */
	MC_OCSP_CHECK,   /* a staple is verified when there is one (default) */
	MC_OCSP_REQUIRE  /* and a missing staple is CRITICAL */
} mc_ocsp_mode_t;

typedef struct mc_report_tls_opts {
	mc_tls_verify_t verify;
	/* The name verified is a host name (an address never matches a CN,
	 * so the CN-only warning is about host names only). */
	bool name_is_host;
	const mc_thresholds_t *days; /* -D: days left, "below" thresholds */
	mc_ocsp_mode_t ocsp;
	int min_key_bits; /* RSA and DSA keys shorter than this: WARNING */
	int min_tls;      /* TLS1_2_VERSION, ...; 0: none */
	const char *min_tls_text;
	const char *perf_suffix; /* NULL, or the target appended to labels */
} mc_report_tls_opts_t;

/* The subchecks of one finished handshake below node. session_ok: the
 * session as a whole succeeded (the validity line is given then, or when
 * the certificate verified, or when nothing was to be verified). */
void mc_report_tls(const mc_tls_info_t *tls, bool session_ok, const mc_report_tls_opts_t *o,
                   mc_result_t *node);

/* What a --probe-old-tls handshake offering only one old version
 * ("TLS 1.0") found. */
typedef enum mc_tls_probe_outcome {
	MC_TLS_PROBE_ACCEPTED,     /* the handshake completed */
	MC_TLS_PROBE_REFUSED,      /* the handshake failed, before the deadline */
	MC_TLS_PROBE_INCONCLUSIVE, /* it never got to a handshake, or timed out */
	MC_TLS_PROBE_NOT_RUN       /* out of memory */
} mc_tls_probe_outcome_t;

typedef struct mc_tls_probe_facts {
	const char *version; /* "TLS 1.0" */
	mc_tls_probe_outcome_t outcome;
	const char *cipher; /* ACCEPTED: what was negotiated */
	const char *error;  /* INCONCLUSIVE: why */
} mc_tls_probe_facts_t;

/* One line: an old version accepted is old_tls_state (RFC 8996), refused
 * is OK, anything else UNKNOWN. */
void mc_report_tls_probe(const mc_tls_probe_facts_t *p, mc_state_t old_tls_state,
                         mc_result_t *node);

#endif
