/* Unit tests: what a blocklist answer means (policy/mc_dnsbl, RFC 5782):
 * listings, error codes in 127.255.255.0/24, answers outside 127.0.0.0/8,
 * failures, and the section 5 test points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "policy/mc_dnsbl.h"

typedef struct {
	const char *name;
	mc_dns_outcome_t outcome;
	size_t n;
	uint8_t addrs[4][4];
	mc_dnsbl_verdict_t want;
	const char *code;
} verdict_case_t;

static const verdict_case_t verdict_cases[] = {
    {"127.0.0.2 is a listing (the RFC 5782 test point)",
     MC_DNS_ANSWER,
     1,
     {{127, 0, 0, 2}},
     MC_DNSBL_LISTED,
     "127.0.0.2"},
    {"any 127/8 code is a listing",
     MC_DNS_ANSWER,
     1,
     {{127, 0, 1, 4}},
     MC_DNSBL_LISTED,
     "127.0.1.4"},
    {"several codes: the first is shown",
     MC_DNS_ANSWER,
     2,
     {{127, 0, 0, 4}, {127, 0, 0, 10}},
     MC_DNSBL_LISTED,
     "127.0.0.4"},
    {"127.255.255.254: an error code (refused)",
     MC_DNS_ANSWER,
     1,
     {{127, 255, 255, 254}},
     MC_DNSBL_ERROR_CODE,
     "127.255.255.254"},
    {"127.255.255.252: an error code (typing)",
     MC_DNS_ANSWER,
     1,
     {{127, 255, 255, 252}},
     MC_DNSBL_ERROR_CODE,
     "127.255.255.252"},
    {"127.255.255.0: still an error code",
     MC_DNS_ANSWER,
     1,
     {{127, 255, 255, 0}},
     MC_DNSBL_ERROR_CODE,
     "127.255.255.0"},
    {"127.255.254.1 is a listing, not an error code",
     MC_DNS_ANSWER,
     1,
     {{127, 255, 254, 1}},
     MC_DNSBL_LISTED,
     "127.255.254.1"},
    {"an error code after a listing wins",
     MC_DNS_ANSWER,
     2,
     {{127, 0, 0, 2}, {127, 255, 255, 255}},
     MC_DNSBL_ERROR_CODE,
     "127.255.255.255"},
    {"outside 127/8: not trusted", MC_DNS_ANSWER, 1, {{10, 0, 0, 2}}, MC_DNSBL_OUTSIDE, "10.0.0.2"},
    {"outside wins over an error code",
     MC_DNS_ANSWER,
     2,
     {{127, 255, 255, 254}, {192, 0, 2, 1}},
     MC_DNSBL_OUTSIDE,
     "192.0.2.1"},
    {"outside wins over a listing",
     MC_DNS_ANSWER,
     2,
     {{127, 0, 0, 2}, {0, 0, 0, 0}},
     MC_DNSBL_OUTSIDE,
     "0.0.0.0"},
    {"NXDOMAIN: not listed", MC_DNS_NXDOMAIN, 0, {{0}}, MC_DNSBL_NOT_LISTED, ""},
    {"no A record: not listed", MC_DNS_NODATA, 0, {{0}}, MC_DNSBL_NOT_LISTED, ""},
    {"SERVFAIL: failed", MC_DNS_SERVFAIL, 0, {{0}}, MC_DNSBL_FAILED, ""},
    {"REFUSED: failed", MC_DNS_REFUSED, 0, {{0}}, MC_DNSBL_FAILED, ""},
    {"timeout: failed", MC_DNS_TIMEOUT, 0, {{0}}, MC_DNSBL_FAILED, ""},
    {"malformed: failed", MC_DNS_MALFORMED, 0, {{0}}, MC_DNSBL_FAILED, ""},
};

static void test_verdicts(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(verdict_cases) / sizeof(verdict_cases[0]); i++) {
		const verdict_case_t *c = &verdict_cases[i];
		mc_dns_answer_t a;
		mc_dns_rr_t rr[4];
		char code[16] = "junk";
		memset(&a, 0, sizeof(a));
		memset(rr, 0, sizeof(rr));
		a.outcome = c->outcome;
		a.n = c->n;
		for (k = 0; k < c->n; k++) {
			rr[k].type = MC_DNS_T_A;
			memcpy(rr[k].addr, c->addrs[k], 4);
			a.rrs[k] = &rr[k];
		}
		print_message("case: %s\n", c->name);
		assert_int_equal(mc_dnsbl_verdict(&a, code, sizeof(code)), c->want);
		assert_string_equal(code, c->code);
		if (c->outcome == MC_DNS_ANSWER) {
			assert_int_equal(
			    mc_dnsbl_read((const uint8_t(*)[4])c->addrs, c->n, code, sizeof(code)),
			    c->want);
			assert_string_equal(code, c->code);
		}
	}
}

static void test_unanswered_is_failed(void **state)
{
	char code[16];

	(void)state;
	assert_int_equal(mc_dnsbl_verdict(NULL, code, sizeof(code)), MC_DNSBL_FAILED);
	assert_int_equal(mc_dnsbl_read(NULL, 0, code, sizeof(code)), MC_DNSBL_NOT_LISTED);
	assert_string_equal(code, "");
}

static void test_names(void **state)
{
	char name[64];

	(void)state;
	assert_int_equal(mc_dnsbl_test_name("zen.test", MC_DNSBL_TEST_LISTED, name, sizeof(name)),
	                 MC_OK);
	assert_string_equal(name, "2.0.0.127.zen.test");
	assert_int_equal(mc_dnsbl_test_name("zen.test", MC_DNSBL_TEST_UNLISTED, name, sizeof(name)),
	                 MC_OK);
	assert_string_equal(name, "1.0.0.127.zen.test");
	assert_int_equal(mc_dnsbl_test_name("zen.test", MC_DNSBL_TEST_LISTED, name, 18),
	                 MC_E_LIMIT);
	assert_string_equal(mc_dnsbl_verdict_str(MC_DNSBL_LISTED), "listed");
	assert_string_equal(mc_dnsbl_verdict_str(MC_DNSBL_NOT_LISTED), "not listed");
	assert_string_equal(mc_dnsbl_verdict_str(MC_DNSBL_ERROR_CODE), "error code");
	assert_string_equal(mc_dnsbl_verdict_str(MC_DNSBL_OUTSIDE), "outside 127.0.0.0/8");
	assert_string_equal(mc_dnsbl_verdict_str(MC_DNSBL_FAILED), "failed");
	assert_string_equal(mc_dnsbl_default_zones[0], "zen.spamhaus.org");
	assert_string_equal(mc_dnsbl_default_zones[MC_DNSBL_NDEFAULT - 1], "dnsbl.dronebl.org");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_verdicts),
	    cmocka_unit_test(test_unanswered_is_failed),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
