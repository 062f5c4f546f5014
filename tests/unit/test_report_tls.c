/* Unit tests: the judgement of a TLS session (report/mc_report_tls): facts
 * of a handshake built by hand in, the "[STATE] text" lines out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/tls1.h>

#include "report/mc_report_tls.h"
#include "report_lines.h"
#include "tls/mc_ocsp.h"
#include "util/mc_str.h"

#define UNTIL "2027-01-15 08:00:00 UTC" /* 1800000000 */

/* A verified TLS 1.3 session with an EC leaf for mail.test, 61.3 days left. */
static void good(mc_tls_info_t *t)
{
	memset(t, 0, sizeof(*t));
	mc_strlcpy(t->version, "TLSv1.3", sizeof(t->version));
	mc_strlcpy(t->cipher, "TLS_AES_256_GCM_SHA384", sizeof(t->cipher));
	t->version_num = TLS1_3_VERSION;
	t->handshake_signed = true;
	t->have_cert = true;
	t->verified = true;
	mc_strlcpy(t->subject, "CN=mail.test", sizeof(t->subject));
	mc_strlcpy(t->issuer, "CN=CA", sizeof(t->issuer));
	mc_strlcpy(t->names, "mail.test", sizeof(t->names));
	t->san_dns = 1;
	t->key_usage_present = true;
	t->key_usage_signature = true;
	t->not_after = 1800000000;
	t->days_left = 61.3;
	mc_strlcpy(t->key_type, "EC", sizeof(t->key_type));
	t->key_bits = 256;
	t->weak_sig_depth = -1;
	t->dane_depth = -1;
}

#define HS "[OK] handshake: TLSv1.3 TLS_AES_256_GCM_SHA384\n"
#define VALID "[OK] verification: chain and name valid, subject CN=mail.test, issuer CN=CA\n"
#define DAYS "[OK] validity: certificate valid 61.3 days (until " UNTIL ")\n"
#define NOSTAPLE "[OK] OCSP staple: none\n"
#define EC "[OK] key: EC 256 bits\n"

typedef void (*edit_fn)(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *session_ok);

static void e_none(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)t, (void)o, (void)ok;
}
static void e_cn_only(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	t->san_dns = 0;
}
static void e_cn_only_ip_san(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	t->san_dns = 0;
	t->san_ip = 1;
}
static void e_cn_only_address(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)ok;
	t->san_dns = 0;
	o->name_is_host = false;
}
static void e_cn_only_chain(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)ok;
	t->san_dns = 0;
	o->verify = MC_TLS_VERIFY_CHAIN;
}
static void e_no_digsig(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	t->key_usage_signature = false;
}
static void e_no_digsig_rsa_kx(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	t->key_usage_signature = false;
	t->handshake_signed = false;
}
static void e_verify_none(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)ok;
	t->verified = false;
	o->verify = MC_TLS_VERIFY_NONE;
}
static void e_dane(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	t->dane_usable = 1;
	t->dane_depth = 0;
	t->san_dns = 0; /* DANE-EE binds the key: no CN warning */
	mc_strlcpy(t->dane_record, "3 1 1 aabb...", sizeof(t->dane_record));
}
static void e_expired_failed(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o;
	t->verified = false;
	t->days_left = -3.04;
	*ok = false;
}
static void e_expired_unverified(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)ok;
	t->verified = false;
	t->days_left = -3.04;
	o->verify = MC_TLS_VERIFY_NONE;
}
static void e_chain_first(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	t->days_left = 9.5;
	t->expiring_depth = 1;
	mc_strlcpy(t->expiring_subject, "CN=Intermediate", sizeof(t->expiring_subject));
}
static void e_staple_good(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	t->ocsp_stapled = true;
	t->ocsp_status = MC_OCSP_GOOD;
	mc_strlcpy(t->ocsp_text, "good", sizeof(t->ocsp_text));
}
static void e_staple_revoked(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	t->ocsp_stapled = true;
	t->ocsp_status = MC_OCSP_REVOKED;
	mc_strlcpy(t->ocsp_text, "revoked", sizeof(t->ocsp_text));
}
static void e_staple_stale(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	t->ocsp_stapled = true;
	t->ocsp_status = MC_OCSP_INVALID;
	mc_strlcpy(t->ocsp_text, "stale", sizeof(t->ocsp_text));
}
static void e_must_staple(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	t->must_staple = true;
}
static void e_require(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)t, (void)ok;
	o->ocsp = MC_OCSP_REQUIRE;
}
static void e_ocsp_off(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)ok;
	t->must_staple = true; /* not asked for: not judged */
	o->ocsp = MC_OCSP_OFF;
}
static void e_rsa1024(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	mc_strlcpy(t->key_type, "RSA", sizeof(t->key_type));
	t->key_bits = 1024;
}
static void e_ec_small_is_fine(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)ok;
	o->min_key_bits = 4096; /* only RSA and DSA sizes compare with --min-key-bits */
	(void)t;
}
static void e_sha1(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o, (void)ok;
	t->weak_sig_depth = 0;
	mc_strlcpy(t->weak_sig, "ecdsa-with-SHA1 on CN=mail.test", sizeof(t->weak_sig));
}
static void e_min_tls(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)ok;
	mc_strlcpy(t->version, "TLSv1.2", sizeof(t->version));
	t->version_num = TLS1_2_VERSION;
	o->min_tls = TLS1_3_VERSION;
	o->min_tls_text = "1.3";
}
static void e_no_cert(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)o;
	t->have_cert = false;
	t->verified = false;
	*ok = false;
}
static void e_suffix(mc_tls_info_t *t, mc_report_tls_opts_t *o, bool *ok)
{
	(void)t, (void)ok;
	o->perf_suffix = "2001-db8--25";
}

static const struct {
	const char *why;
	edit_fn edit;
	int exit_code;
	const char *lines;
	const char *perf;
} cases[] = {
    {"a good verified session", e_none, 0, HS VALID DAYS NOSTAPLE EC, "'cert_days'=61.3;14:;3:"},
    {"a name matched through the CN alone is a WARNING (RFC 9525)", e_cn_only, 1,
     HS VALID
     "[WARNING] name matched only through the subject CN: no DNS subjectAltName (RFC 9525 "
     "section 6.3 removed that fallback; browsers and current TLS libraries refuse it)\n" DAYS
         NOSTAPLE EC,
     NULL},
    {"an IP SAN does not make a host name match a SAN", e_cn_only_ip_san, 1, NULL, NULL},
    {"an address is never matched through the CN: no such warning", e_cn_only_address, 0,
     HS VALID DAYS NOSTAPLE EC, NULL},
    {"--verify=chain checks no name: no CN warning, and says so", e_cn_only_chain, 0,
     HS "[OK] verification: chain valid, name not checked (--verify=chain), subject "
        "CN=mail.test, issuer CN=CA\n" DAYS NOSTAPLE EC,
     NULL},
    {"keyUsage without digitalSignature in TLS 1.3", e_no_digsig, 1,
     HS VALID
     "[WARNING] key usage: no digitalSignature, which a TLSv1.3 handshake needs (RFC "
     "8446 section 4.4.2.2; OpenSSL does not enforce it, strict clients do)\n" DAYS NOSTAPLE EC,
     NULL},
    {"RSA key transport signs nothing: keyUsage is not judged", e_no_digsig_rsa_kx, 0,
     HS VALID DAYS NOSTAPLE EC, NULL},
    {"--verify=none says so", e_verify_none, 0,
     HS "[OK] verification: certificate not verified (--verify=none); subject CN=mail.test, "
        "issuer CN=CA\n" DAYS NOSTAPLE EC,
     NULL},
    {"DANE verification, no CN warning", e_dane, 0,
     HS "[OK] verification: by DANE (TLSA record 3 1 1 aabb...), subject CN=mail.test, issuer "
        "CN=CA\n" DAYS NOSTAPLE EC,
     NULL},
    {"a failed verification shows no validity line (the error says it)", e_expired_failed, 0,
     HS NOSTAPLE EC, ""},
    {"an expired certificate unverified is CRITICAL by -D", e_expired_unverified, 2,
     HS "[OK] verification: certificate not verified (--verify=none); subject CN=mail.test, "
        "issuer CN=CA\n"
        "[CRITICAL] validity: certificate expired 3.0 days ago (" UNTIL ")\n" NOSTAPLE EC,
     NULL},
    {"a chain certificate that expires first is named", e_chain_first, 1,
     HS VALID "[WARNING] validity: certificate valid 9.5 days (chain certificate "
              "CN=Intermediate at depth 1 expires first)\n" NOSTAPLE EC,
     "'cert_days'=9.5;14:;3:"},
    {"a good staple", e_staple_good, 0, HS VALID DAYS "[OK] OCSP staple: good\n" EC, NULL},
    {"a revoked staple is CRITICAL", e_staple_revoked, 2,
     HS VALID DAYS "[CRITICAL] OCSP staple: revoked\n" EC, NULL},
    {"a stale staple is a WARNING", e_staple_stale, 1,
     HS VALID DAYS "[WARNING] OCSP staple: stale\n" EC, NULL},
    {"must-staple without a staple is CRITICAL (RFC 7633)", e_must_staple, 2,
     HS VALID DAYS "[CRITICAL] OCSP staple missing, and the certificate demands one "
                   "(must-staple, RFC 7633)\n" EC,
     NULL},
    {"--ocsp=require without a staple is CRITICAL", e_require, 2,
     HS VALID DAYS "[CRITICAL] OCSP staple missing (--ocsp=require)\n" EC, NULL},
    {"--ocsp=off judges no staple", e_ocsp_off, 0, HS VALID DAYS EC, NULL},
    {"a short RSA key is a WARNING", e_rsa1024, 1,
     HS VALID DAYS NOSTAPLE "[WARNING] key: RSA 1024 bits, below --min-key-bits 2048\n", NULL},
    {"an EC key is not held to --min-key-bits", e_ec_small_is_fine, 0, HS VALID DAYS NOSTAPLE EC,
     NULL},
    {"a SHA-1 signature below the root is forgeable", e_sha1, 1,
     HS VALID DAYS NOSTAPLE EC
     "[WARNING] signature: ecdsa-with-SHA1 on CN=mail.test (depth 0) is forgeable\n",
     NULL},
    {"below --min-tls is CRITICAL", e_min_tls, 2,
     "[OK] handshake: TLSv1.2 TLS_AES_256_GCM_SHA384\n" VALID DAYS NOSTAPLE EC
     "[CRITICAL] protocol: negotiated TLSv1.2, below --min-tls 1.3\n",
     NULL},
    {"no certificate: only the handshake line", e_no_cert, 0, HS, ""},
    {"perfdata labels carry the target", e_suffix, 0, NULL, "'cert_days_2001-db8--25'=61.3;14:;3:"},
};

static void test_report_tls_table(void **state)
{
	mc_thresholds_t days;
	size_t i;

	(void)state;
	assert_int_equal(mc_thresholds_parse_below("14", "3", &days), MC_OK);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mc_tls_info_t t;
		mc_report_tls_opts_t o = {
		    MC_TLS_VERIFY_FULL, true, &days, MC_OCSP_CHECK, 2048, 0, NULL, NULL};
		bool ok = true;
		mc_result_t *root = mc_result_new("T");
		report_lines_t out;

		print_message("case: %s\n", cases[i].why);
		assert_non_null(root);
		good(&t);
		cases[i].edit(&t, &o, &ok);
		mc_report_tls(&t, ok, &o, root);
		report_lines(root, &out);
		assert_int_equal(out.exit_code, cases[i].exit_code);
		if (cases[i].lines)
			assert_string_equal(out.lines, cases[i].lines);
		if (cases[i].perf)
			assert_string_equal(out.perf, cases[i].perf);
		report_lines_free(&out);
		mc_result_free(root);
	}
}

static void test_report_tls_probes(void **state)
{
	static const struct {
		mc_tls_probe_facts_t f;
		mc_state_t old_state;
		const char *line;
	} rows[] = {
	    {{"TLS 1.0", MC_TLS_PROBE_ACCEPTED, "ECDHE-RSA-AES128-SHA", NULL},
	     MC_STATE_WARNING,
	     "[WARNING] protocol: TLS 1.0 accepted (ECDHE-RSA-AES128-SHA), an obsolete version "
	     "(RFC 8996)\n"},
	    {{"TLS 1.1", MC_TLS_PROBE_ACCEPTED, "X", NULL},
	     MC_STATE_CRITICAL,
	     "[CRITICAL] protocol: TLS 1.1 accepted (X), an obsolete version (RFC 8996)\n"},
	    {{"TLS 1.0", MC_TLS_PROBE_REFUSED, NULL, NULL},
	     MC_STATE_WARNING,
	     "[OK] protocol: TLS 1.0 refused\n"},
	    {{"TLS 1.1", MC_TLS_PROBE_INCONCLUSIVE, NULL, "connection refused"},
	     MC_STATE_WARNING,
	     "[UNKNOWN] protocol: TLS 1.1 probe inconclusive: connection refused\n"},
	    {{"TLS 1.1", MC_TLS_PROBE_INCONCLUSIVE, NULL, ""},
	     MC_STATE_WARNING,
	     "[UNKNOWN] protocol: TLS 1.1 probe inconclusive: no handshake\n"},
	    {{"TLS 1.0", MC_TLS_PROBE_NOT_RUN, NULL, NULL},
	     MC_STATE_WARNING,
	     "[UNKNOWN] protocol: TLS 1.0 not probed: out of memory\n"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		mc_result_t *root = mc_result_new("T");
		report_lines_t out;

		assert_non_null(root);
		mc_report_tls_probe(&rows[i].f, rows[i].old_state, root);
		report_lines(root, &out);
		assert_string_equal(out.lines, rows[i].line);
		report_lines_free(&out);
		mc_result_free(root);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_report_tls_table),
	    cmocka_unit_test(test_report_tls_probes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
