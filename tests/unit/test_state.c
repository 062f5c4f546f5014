/* Unit tests for nagios/mc_state: state names, parsing, the worst of two,
 * the mapping from a library status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nagios/mc_state.h"
#include "util/mc_status.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_state_names_and_parse(void **state)
{
	static const struct {
		const char *name;
		const char *in;
		mc_status_t want;
		mc_state_t st;
	} cases[] = {
	    {"ok lower", "ok", MC_OK, MC_STATE_OK},
	    {"warning mixed case", "Warning", MC_OK, MC_STATE_WARNING},
	    {"critical upper", "CRITICAL", MC_OK, MC_STATE_CRITICAL},
	    {"unknown", "unknown", MC_OK, MC_STATE_UNKNOWN},
	    {"digit 0", "0", MC_OK, MC_STATE_OK},
	    {"digit 1", "1", MC_OK, MC_STATE_WARNING},
	    {"digit 2", "2", MC_OK, MC_STATE_CRITICAL},
	    {"digit 3", "3", MC_OK, MC_STATE_UNKNOWN},
	    {"digit 4", "4", MC_E_USAGE, 0},
	    {"prefix", "crit", MC_E_USAGE, 0},
	    {"longer", "okay", MC_E_USAGE, 0},
	    {"empty", "", MC_E_USAGE, 0},
	    {"space", " ok", MC_E_USAGE, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_state_t s = (mc_state_t)99;
		mc_status_t st = mc_state_parse(cases[i].in, &s);
		if (st != cases[i].want || (st == MC_OK && s != cases[i].st))
			fail_msg("%s: status %d state %d", cases[i].name, (int)st, (int)s);
	}
	assert_string_equal(mc_state_name(MC_STATE_OK), "OK");
	assert_string_equal(mc_state_name(MC_STATE_WARNING), "WARNING");
	assert_string_equal(mc_state_name(MC_STATE_CRITICAL), "CRITICAL");
	assert_string_equal(mc_state_name(MC_STATE_UNKNOWN), "UNKNOWN");
	assert_string_equal(mc_state_name((mc_state_t)17), "UNKNOWN");
}

static void test_state_worst(void **state)
{
	static const struct {
		const char *name;
		mc_state_t a, b, want;
	} cases[] = {
	    {"ok ok", MC_STATE_OK, MC_STATE_OK, MC_STATE_OK},
	    {"unknown beats ok", MC_STATE_OK, MC_STATE_UNKNOWN, MC_STATE_UNKNOWN},
	    {"unknown beats ok (swapped)", MC_STATE_UNKNOWN, MC_STATE_OK, MC_STATE_UNKNOWN},
	    {"warning beats unknown", MC_STATE_UNKNOWN, MC_STATE_WARNING, MC_STATE_WARNING},
	    {"warning beats unknown (swapped)", MC_STATE_WARNING, MC_STATE_UNKNOWN,
	     MC_STATE_WARNING},
	    {"critical beats warning", MC_STATE_WARNING, MC_STATE_CRITICAL, MC_STATE_CRITICAL},
	    {"critical beats unknown", MC_STATE_CRITICAL, MC_STATE_UNKNOWN, MC_STATE_CRITICAL},
	    {"critical beats ok", MC_STATE_OK, MC_STATE_CRITICAL, MC_STATE_CRITICAL},
	    {"warning beats ok", MC_STATE_OK, MC_STATE_WARNING, MC_STATE_WARNING},
	    {"same critical", MC_STATE_CRITICAL, MC_STATE_CRITICAL, MC_STATE_CRITICAL},
	    {"out-of-range counts as unknown", (mc_state_t)9, MC_STATE_OK, MC_STATE_UNKNOWN},
	    {"out-of-range loses to warning", (mc_state_t)9, MC_STATE_WARNING, MC_STATE_WARNING},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_state_t got = mc_state_worst(cases[i].a, cases[i].b);
		if (got != cases[i].want)
			fail_msg("%s: %d, want %d", cases[i].name, (int)got, (int)cases[i].want);
	}
}

static void test_state_from_status(void **state)
{
	static const struct {
		const char *name;
		mc_status_t st;
		mc_state_t timeout_state, want;
	} cases[] = {
	    {"ok", MC_OK, MC_STATE_CRITICAL, MC_STATE_OK},
	    {"usage", MC_E_USAGE, MC_STATE_CRITICAL, MC_STATE_UNKNOWN},
	    {"nomem", MC_E_NOMEM, MC_STATE_CRITICAL, MC_STATE_UNKNOWN},
	    {"internal", MC_E_INTERNAL, MC_STATE_CRITICAL, MC_STATE_UNKNOWN},
	    {"again is a bug if it gets here", MC_E_AGAIN, MC_STATE_CRITICAL, MC_STATE_UNKNOWN},
	    {"nxdomain", MC_E_DNS_NOTFOUND, MC_STATE_WARNING, MC_STATE_CRITICAL},
	    {"servfail", MC_E_DNS_TRYAGAIN, MC_STATE_WARNING, MC_STATE_CRITICAL},
	    {"malformed dns", MC_E_DNS_MALFORMED, MC_STATE_WARNING, MC_STATE_CRITICAL},
	    {"connect", MC_E_CONNECT, MC_STATE_OK, MC_STATE_CRITICAL},
	    {"closed", MC_E_CLOSED, MC_STATE_OK, MC_STATE_CRITICAL},
	    {"io", MC_E_IO, MC_STATE_OK, MC_STATE_CRITICAL},
	    {"tls", MC_E_TLS, MC_STATE_OK, MC_STATE_CRITICAL},
	    {"verify", MC_E_VERIFY, MC_STATE_OK, MC_STATE_CRITICAL},
	    {"protocol", MC_E_PROTOCOL, MC_STATE_OK, MC_STATE_CRITICAL},
	    {"refused", MC_E_REFUSED, MC_STATE_OK, MC_STATE_CRITICAL},
	    {"limit", MC_E_LIMIT, MC_STATE_OK, MC_STATE_CRITICAL},
	    {"timeout default critical", MC_E_TIMEOUT, MC_STATE_CRITICAL, MC_STATE_CRITICAL},
	    {"timeout as warning", MC_E_TIMEOUT, MC_STATE_WARNING, MC_STATE_WARNING},
	    {"timeout as unknown", MC_E_TIMEOUT, MC_STATE_UNKNOWN, MC_STATE_UNKNOWN},
	    {"timeout as ok", MC_E_TIMEOUT, MC_STATE_OK, MC_STATE_OK},
	    {"timeout with bad state", MC_E_TIMEOUT, (mc_state_t)7, MC_STATE_CRITICAL},
	    {"unknown status value", (mc_status_t)999, MC_STATE_OK, MC_STATE_UNKNOWN},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_state_t got = mc_state_from_status(cases[i].st, cases[i].timeout_state);
		if (got != cases[i].want)
			fail_msg("%s: %d, want %d", cases[i].name, (int)got, (int)cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_state_names_and_parse),
	    cmocka_unit_test(test_state_worst),
	    cmocka_unit_test(test_state_from_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
