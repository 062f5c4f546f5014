/* Unit tests: the DKIM judgement (report/mc_report_dkim.h). A selector's
 * facts built by hand in; the "[STATE] text" line and the perfdata out.
 * One selector, one line, one state: every finding of a usable key on one
 * line with the worst state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/mc_report_dkim.h"
#include "report_lines.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define NAME "sel._domainkey.example.test"

typedef struct dkim_case {
	const char *name;
	mc_dkim_found_t found;
	size_t nrecords;
	const char *error;
	/* RECORD: the record's flags and the key */
	bool revoked, other, key_ok, sha1_only, no_email, testing, bare;
	mc_dkim_key_type_t type;
	int bits;
	long min_bits;
	mc_state_t unanswered;
	const char *lines, *perf;
	int exit_code;
} dkim_case_t;

static const dkim_case_t cases[] = {
    {"unanswered", MC_DKIM_FOUND_UNANSWERED, .unanswered = MC_STATE_CRITICAL,
     .lines = "[CRITICAL] DKIM sel: no answer before the deadline\n", .perf = "", .exit_code = 2},
    {"unanswered_unknown", MC_DKIM_FOUND_UNANSWERED, .unanswered = MC_STATE_UNKNOWN,
     .lines = "[UNKNOWN] DKIM sel: no answer before the deadline\n", .perf = "", .exit_code = 3},
    {"missing_names_the_record", MC_DKIM_FOUND_NONE,
     .lines = "[CRITICAL] DKIM sel: no key record at " NAME "\n", .perf = "", .exit_code = 2},
    {"dns_error_line", MC_DKIM_FOUND_DNS_ERROR, .error = "TXT " NAME ": SERVFAIL",
     .lines = "[CRITICAL] DKIM sel: TXT " NAME ": SERVFAIL\n", .perf = "", .exit_code = 2},
    {"several_records", MC_DKIM_FOUND_SEVERAL, 2,
     .lines = "[CRITICAL] DKIM sel: 2 records at " NAME "; verifiers need exactly one\n",
     .perf = "", .exit_code = 2},
    {"invalid_record", MC_DKIM_FOUND_INVALID, 1, "v= must be the first tag",
     .lines = "[CRITICAL] DKIM sel: invalid key record: v= must be the first tag\n", .perf = "",
     .exit_code = 2},
    {"revoked", MC_DKIM_FOUND_RECORD, 1, .revoked = true,
     .lines = "[CRITICAL] DKIM sel: key revoked (empty p=)\n", .perf = "", .exit_code = 2},
    {"unsupported_key_type", MC_DKIM_FOUND_RECORD, 1, .other = true,
     .lines = "[CRITICAL] DKIM sel: key type k=dsa is not rsa or ed25519\n", .perf = "",
     .exit_code = 2},
    {"unusable_key", MC_DKIM_FOUND_RECORD, 1, "p= has a character that is not base64",
     .lines = "[CRITICAL] DKIM sel: unusable key: p= has a character that is not base64\n",
     .perf = "", .exit_code = 2},
    {"rsa_2048_ok", MC_DKIM_FOUND_RECORD, 1, .key_ok = true, .type = MC_DKIM_KEY_RSA, .bits = 2048,
     .min_bits = 2048, .lines = "[OK] DKIM sel: rsa key, 2048 bits\n",
     .perf = "'dkim_bits_sel'=2048", .exit_code = 0},
    {"ed25519_ok", MC_DKIM_FOUND_RECORD, 1, .key_ok = true, .type = MC_DKIM_KEY_ED25519,
     .bits = 256, .min_bits = 2048, .lines = "[OK] DKIM sel: ed25519 key, 256 bits\n",
     .perf = "'dkim_bits_sel'=256", .exit_code = 0},
    {"bare_rsa_key_said", MC_DKIM_FOUND_RECORD, 1, .key_ok = true, .bare = true,
     .type = MC_DKIM_KEY_RSA, .bits = 4096, .min_bits = 2048,
     .lines = "[OK] DKIM sel: rsa key, 4096 bits (bare RSAPublicKey, not "
              "SubjectPublicKeyInfo)\n",
     .perf = "'dkim_bits_sel'=4096", .exit_code = 0},
    {"rsa_under_min_bits_warns", MC_DKIM_FOUND_RECORD, 1, .key_ok = true, .type = MC_DKIM_KEY_RSA,
     .bits = 1024, .min_bits = 2048,
     .lines = "[WARNING] DKIM sel: RSA key of 1024 bits, under 2048 (RFC 8301)\n",
     .perf = "'dkim_bits_sel'=1024", .exit_code = 1},
    {"rsa_min_bits_lowered", MC_DKIM_FOUND_RECORD, 1, .key_ok = true, .type = MC_DKIM_KEY_RSA,
     .bits = 1024, .min_bits = 1024, .lines = "[OK] DKIM sel: rsa key, 1024 bits\n",
     .perf = "'dkim_bits_sel'=1024", .exit_code = 0},
    {"rsa_under_1024_one_critical_line", MC_DKIM_FOUND_RECORD, 1, .key_ok = true,
     .type = MC_DKIM_KEY_RSA, .bits = 512, .min_bits = 512,
     .lines = "[CRITICAL] DKIM sel: RSA key of 512 bits, under 1024 (RFC 8301)\n",
     .perf = "'dkim_bits_sel'=512", .exit_code = 2},
    {"findings_joined_worst_state", MC_DKIM_FOUND_RECORD, 1, .key_ok = true,
     .type = MC_DKIM_KEY_RSA, .bits = 1024, .min_bits = 2048, .sha1_only = true, .no_email = true,
     .testing = true,
     .lines = "[CRITICAL] DKIM sel: RSA key of 1024 bits, under 2048 (RFC 8301); h= allows "
              "only sha1, which RFC 8301 forbids; s=tlsrpt does not include email; t=y, the "
              "domain is testing DKIM\n",
     .perf = "'dkim_bits_sel'=1024", .exit_code = 2},
    {"testing_alone_warns", MC_DKIM_FOUND_RECORD, 1, .key_ok = true, .type = MC_DKIM_KEY_ED25519,
     .bits = 256, .min_bits = 2048, .testing = true,
     .lines = "[WARNING] DKIM sel: t=y, the domain is testing DKIM\n",
     .perf = "'dkim_bits_sel'=256", .exit_code = 1},
};

static void run_case(const dkim_case_t *c)
{
	mc_dkim_selector_t *s = calloc(1, sizeof(*s));
	mc_report_dkim_facts_t f = {"sel", NAME, s};
	mc_report_dkim_opts_t o = {c->min_bits, c->unanswered};
	mc_result_t *root = mc_result_new("SPF_DKIM");
	report_lines_t out;

	assert_non_null(s);
	assert_non_null(root);
	s->found = c->found;
	s->nrecords = c->nrecords;
	snprintf(s->error, sizeof(s->error), "%s", c->error ? c->error : "");
	s->rec.revoked = c->revoked;
	s->rec.k = c->other ? MC_DKIM_KEY_OTHER : c->type;
	snprintf(s->rec.k_name, sizeof(s->rec.k_name), "%s", c->other ? "dsa" : "rsa");
	s->rec.sha1_only = c->sha1_only;
	s->rec.service_email = !c->no_email;
	snprintf(s->rec.services, sizeof(s->rec.services), "%s", c->no_email ? "tlsrpt" : "");
	s->rec.testing = c->testing;
	s->key_ok = c->key_ok;
	s->key.type = c->type;
	s->key.bits = c->bits;
	s->key.rsa_bare = c->bare;
	mc_report_dkim(root, &f, &o);
	report_lines(root, &out);
	if (strcmp(out.lines, c->lines) || strcmp(out.perf, c->perf))
		print_error("case %s:\n got: %s want: %s got perf: %s\n", c->name, out.lines,
		            c->lines, out.perf);
	assert_string_equal(out.lines, c->lines);
	assert_string_equal(out.perf, c->perf);
	assert_int_equal(out.exit_code, c->exit_code);
	report_lines_free(&out);
	mc_result_free(root);
	free(s);
}

static void test_dkim_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_OF(cases); i++)
		run_case(&cases[i]);
}

/* Every finding, a long s= among them, stays on the one line. */
static void test_dkim_long_findings_cut(void **state)
{
	mc_dkim_selector_t *s = calloc(1, sizeof(*s));
	mc_report_dkim_facts_t f = {"sel", NAME, s};
	mc_report_dkim_opts_t o = {2048, MC_STATE_UNKNOWN};
	mc_result_t *root = mc_result_new("SPF_DKIM");
	report_lines_t out;

	(void)state;
	assert_non_null(s);
	s->found = MC_DKIM_FOUND_RECORD;
	s->key_ok = true;
	s->key.bits = 1024;
	s->rec.sha1_only = s->rec.testing = true;
	memset(s->rec.services, 'x', sizeof(s->rec.services) - 1);
	mc_report_dkim(root, &f, &o);
	report_lines(root, &out);
	assert_non_null(strstr(out.lines, "[CRITICAL] DKIM sel: RSA key of 1024 bits"));
	assert_non_null(strstr(out.lines, "; t=y, the domain is testing DKIM\n"));
	report_lines_free(&out);
	mc_result_free(root);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_dkim_table),
	                                   cmocka_unit_test(test_dkim_long_findings_cut)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
