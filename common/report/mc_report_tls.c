#include "mc_report_tls.h"

#include <stdio.h>
#include <string.h>

#include "report/mc_report.h"
#include "tls/mc_ocsp.h"

/* How the certificate was verified, and what its names and key usage say. */
static void verification(const mc_tls_info_t *tls, const mc_report_tls_opts_t *o, mc_result_t *node)
{
	if (tls->dane_usable && tls->verified)
		mc_result_add(node, MC_STATE_OK,
		              "verification: by DANE (TLSA record %s), subject %s, issuer %s",
		              tls->dane_record, tls->subject, tls->issuer);
	else if (o->verify == MC_TLS_VERIFY_NONE)
		mc_result_add(node, MC_STATE_OK,
		              "verification: certificate not verified (--verify=none); subject %s, "
		              "issuer %s",
		              tls->subject, tls->issuer);
	else if (tls->verified)
		mc_result_add(node, MC_STATE_OK, "verification: %s, subject %s, issuer %s",
		              o->verify == MC_TLS_VERIFY_CHAIN
		                  ? "chain valid, name not checked (--verify=chain)"
		                  : "chain and name valid",
		              tls->subject, tls->issuer);
	/* OpenSSL falls back to the CN when there is no DNS subjectAltName;
	 * RFC 9525 section 6.3 no longer does, nor do browsers. */
	if (tls->verified && !tls->dane_usable && o->verify == MC_TLS_VERIFY_FULL &&
	    o->name_is_host && tls->san_dns == 0)
		mc_result_add(
		    node, MC_STATE_WARNING,
		    "name matched only through the subject CN: no DNS subjectAltName "
		    "(RFC 9525 section 6.3 removed that fallback; browsers and current TLS "
		    "libraries refuse it)");
	if (tls->have_cert && tls->handshake_signed && tls->key_usage_present &&
	    !tls->key_usage_signature)
		mc_result_add(
		    node, MC_STATE_WARNING,
		    "key usage: no digitalSignature, which a %s handshake needs (RFC 8446 "
		    "section 4.4.2.2; OpenSSL does not enforce it, strict clients do)",
		    tls->version);
}

/* Days left over the chain against -D. */
static void validity(const mc_tls_info_t *tls, const mc_report_tls_opts_t *o, mc_result_t *node)
{
	mc_state_t ds = mc_thresholds_check(o->days, tls->days_left);
	char when[40];

	mc_tls_time_str(tls->not_after, when, sizeof(when));
	if (tls->days_left < 0)
		mc_result_add(node, ds, "validity: certificate expired %.1f days ago (%s)",
		              -tls->days_left, tls->expiring_depth ? tls->expiring_subject : when);
	else if (tls->expiring_depth == 0)
		mc_result_add(node, ds, "validity: certificate valid %.1f days (until %s)",
		              tls->days_left, when);
	else
		mc_result_add(
		    node, ds,
		    "validity: certificate valid %.1f days (chain certificate %s at depth %d "
		    "expires first)",
		    tls->days_left, tls->expiring_subject, tls->expiring_depth);
	mc_report_perf(node, o->perf_suffix, "cert_days", tls->days_left, "", o->days);
}

/* The stapled OCSP response (RFC 6066 section 8, RFC 7633). */
static void ocsp(const mc_tls_info_t *tls, const mc_report_tls_opts_t *o, mc_result_t *node)
{
	if (o->ocsp == MC_OCSP_OFF)
		return;
	if (tls->ocsp_stapled)
		mc_result_add(node,
		              tls->ocsp_status == MC_OCSP_GOOD      ? MC_STATE_OK
		              : tls->ocsp_status == MC_OCSP_REVOKED ? MC_STATE_CRITICAL
		                                                    : MC_STATE_WARNING,
		              "OCSP staple: %s", tls->ocsp_text);
	else if (tls->must_staple)
		mc_result_add(node, MC_STATE_CRITICAL,
		              "OCSP staple missing, and the certificate demands one (must-staple, "
		              "RFC 7633)");
	else if (o->ocsp == MC_OCSP_REQUIRE)
		mc_result_add(node, MC_STATE_CRITICAL, "OCSP staple missing (--ocsp=require)");
	else
		mc_result_add(node, MC_STATE_OK, "OCSP staple: none");
}

/* The key's size and the signatures below the root. */
static void key(const mc_tls_info_t *tls, const mc_report_tls_opts_t *o, mc_result_t *node)
{
	bool short_key = tls->key_bits < o->min_key_bits &&
	                 (!strcmp(tls->key_type, "RSA") || !strcmp(tls->key_type, "RSA-PSS") ||
	                  !strcmp(tls->key_type, "DSA"));

	if (short_key)
		mc_result_add(node, MC_STATE_WARNING, "key: %s %d bits, below --min-key-bits %d",
		              tls->key_type, tls->key_bits, o->min_key_bits);
	else
		mc_result_add(node, MC_STATE_OK, "key: %s %d bits", tls->key_type, tls->key_bits);
	if (tls->weak_sig_depth >= 0)
		mc_result_add(node, MC_STATE_WARNING, "signature: %s (depth %d) is forgeable",
		              tls->weak_sig, tls->weak_sig_depth);
}

void mc_report_tls(const mc_tls_info_t *tls, bool session_ok, const mc_report_tls_opts_t *o,
                   mc_result_t *node)
{
	mc_result_add(node, MC_STATE_OK, "handshake: %s %s", tls->version, tls->cipher);
	verification(tls, o, node);
	if (tls->have_cert && (session_ok || tls->verified || o->verify == MC_TLS_VERIFY_NONE))
		validity(tls, o, node);
	if (tls->have_cert) {
		ocsp(tls, o, node);
		key(tls, o, node);
	}
	if (o->min_tls && tls->version_num < o->min_tls)
		mc_result_add(node, MC_STATE_CRITICAL,
		              "protocol: negotiated %s, below --min-tls %s", tls->version,
		              o->min_tls_text ? o->min_tls_text : "?");
}

void mc_report_tls_probe(const mc_tls_probe_facts_t *p, mc_state_t old_tls_state, mc_result_t *node)
{
	switch (p->outcome) {
	case MC_TLS_PROBE_ACCEPTED:
		/* RFC 8996: TLS 1.0 and 1.1 are deprecated. */
		mc_result_add(node, old_tls_state,
		              "protocol: %s accepted (%s), an obsolete version (RFC 8996)",
		              p->version, p->cipher ? p->cipher : "?");
		return;
	case MC_TLS_PROBE_REFUSED:
		mc_result_add(node, MC_STATE_OK, "protocol: %s refused", p->version);
		return;
	case MC_TLS_PROBE_INCONCLUSIVE:
		mc_result_add(node, MC_STATE_UNKNOWN, "protocol: %s probe inconclusive: %s",
		              p->version, p->error && p->error[0] ? p->error : "no handshake");
		return;
	case MC_TLS_PROBE_NOT_RUN:
		mc_result_add(node, MC_STATE_UNKNOWN, "protocol: %s not probed: out of memory",
		              p->version);
		return;
	}
}
