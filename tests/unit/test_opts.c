/* Unit tests for nagios/mc_opts: -t, --output-format, usage errors and
 * --version, the option tables and --help. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture.h"
#include "nagios/mc_opts.h"
#include "nagios/mc_result.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_timeout_parse(void **state)
{
	static const struct {
		const char *name;
		const char *in;
		mc_status_t want;
		double secs;
		mc_state_t st;
	} cases[] = {
	    {"seconds, default critical", "10", MC_OK, 10, MC_STATE_CRITICAL},
	    {"fraction and state name", "2.5:warning", MC_OK, 2.5, MC_STATE_WARNING},
	    {"state digit", "5:3", MC_OK, 5, MC_STATE_UNKNOWN},
	    {"state upper case", "5:OK", MC_OK, 5, MC_STATE_OK},
	    {"one day", "86400", MC_OK, 86400, MC_STATE_CRITICAL},
	    {"small", "0.001", MC_OK, 0.001, MC_STATE_CRITICAL},
	    {"over one day", "86400.5", MC_E_USAGE, 0, 0},
	    {"zero", "0", MC_E_USAGE, 0, 0},
	    {"zero fraction", "0.0", MC_E_USAGE, 0, 0},
	    {"negative", "-1", MC_E_USAGE, 0, 0},
	    {"bogus state", "10:bogus", MC_E_USAGE, 0, 0},
	    {"state 4", "10:4", MC_E_USAGE, 0, 0},
	    {"not a number", "x", MC_E_USAGE, 0, 0},
	    {"empty", "", MC_E_USAGE, 0, 0},
	    {"empty state", "10:", MC_E_USAGE, 0, 0},
	    {"no seconds", ":critical", MC_E_USAGE, 0, 0},
	    {"exponent", "1e3", MC_E_USAGE, 0, 0},
	    {"unit suffix", "10s", MC_E_USAGE, 0, 0},
	    {"two colons", "10:ok:ok", MC_E_USAGE, 0, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		double secs = -1;
		mc_state_t s = (mc_state_t)99;
		mc_status_t st = mc_timeout_parse(cases[i].in, &secs, &s);
		if (st != cases[i].want)
			fail_msg("%s: status %d", cases[i].name, (int)st);
		if (st == MC_OK && (secs != cases[i].secs || s != cases[i].st))
			fail_msg("%s: %g %d", cases[i].name, secs, (int)s);
		if (st != MC_OK && (secs != -1 || s != (mc_state_t)99))
			fail_msg("%s: output written on failure", cases[i].name);
	}
}

static void test_output_format_parse(void **state)
{
	static const struct {
		const char *name;
		const char *in;
		mc_status_t want;
		mc_output_format_t fmt;
	} cases[] = {
	    {"classic", "classic", MC_OK, MC_OUTPUT_CLASSIC},
	    {"json", "json", MC_OK, MC_OUTPUT_JSON},
	    {"JSON upper case", "JSON", MC_OK, MC_OUTPUT_JSON},
	    {"prefix", "js", MC_E_USAGE, 0},
	    {"longer", "jsonx", MC_E_USAGE, 0},
	    {"other", "xml", MC_E_USAGE, 0},
	    {"empty", "", MC_E_USAGE, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_output_format_t f = (mc_output_format_t)9;
		mc_status_t st = mc_output_format_parse(cases[i].in, &f);
		if (st != cases[i].want || (st == MC_OK && f != cases[i].fmt))
			fail_msg("%s: %d %d", cases[i].name, (int)st, (int)f);
	}
}

static void test_usage_error_and_version(void **state)
{
	capture_t cap;
	const char *out;

	(void)state;
	cap_open(&cap);
	assert_int_equal(
	    mc_usage_error(cap.f, "SMTP_TLS", "check_smtp_tls", "bad range '%s' for -w", "1|2\n"),
	    3);
	out = cap_close(&cap);
	assert_string_equal(out, "SMTP_TLS UNKNOWN - bad range '1/2?' for -w "
	                         "(see `check_smtp_tls --help`)\n");
	free(cap.buf);

	cap_open(&cap);
	mc_opts_version(cap.f, "check_smtp_tls");
	out = cap_close(&cap);
	assert_string_equal(out, "check_smtp_tls (mailcheck-plugins) " PACKAGE_VERSION "\n");
	free(cap.buf);
}

static const mc_opt_t test_opts[] = {
    {"hostname", 'H', required_argument, "HOST", "Host to check."},
    {"tls", MC_OPT_LONG_BASE + 1, required_argument, "starttls|implicit",
     "How TLS starts: starttls sends STARTTLS after the greeting and EHLO; implicit "
     "starts the handshake at once (port 465). Default: starttls."},
    {"quiet", 'q', no_argument, NULL, NULL},
    {"maybe", 'm', optional_argument, "X", "Optional."},
    {NULL, 0, 0, NULL, NULL},
};

static void test_opts_help_exact(void **state)
{
	capture_t cap;
	const char *out;

	(void)state;
	cap_open(&cap);
	mc_opts_help(cap.f, "check_x", "Checks x.", "check_x -H HOST [--tls=MODE]", test_opts);
	out = cap_close(&cap);
	assert_string_equal(
	    out, "check_x (mailcheck-plugins " PACKAGE_VERSION ")\n"
	         "\n"
	         "Checks x.\n"
	         "\n"
	         "Usage: check_x -H HOST [--tls=MODE]\n"
	         "\n"
	         "Options:\n"
	         " -H, --hostname=HOST\n"
	         "    Host to check.\n"
	         "     --tls=starttls|implicit\n"
	         "    How TLS starts: starttls sends STARTTLS after the greeting and EHLO;\n"
	         "    implicit starts the handshake at once (port 465). Default: starttls.\n"
	         " -q, --quiet\n"
	         " -m, --maybe[=X]\n"
	         "    Optional.\n");
	free(cap.buf);
}

static void test_opts_help_width(void **state)
{
	static const mc_opt_t opts[] = {
	    MC_OPTS_STANDARD,
	    {"hostname", 'H', required_argument, "HOST", "Host to check."},
	    {"averyveryverylongwordthatcannotbewrappedanywhereatallbecauseithasnospacesinsideit",
	     'Z', no_argument, NULL,
	     "averyveryverylongwordthatcannotbewrappedanywhereatallbecauseithasnospacesinsideit "
	     "and then short words"},
	    {NULL, 0, 0, NULL, NULL},
	};
	capture_t cap;
	const char *out, *p;

	(void)state;
	cap_open(&cap);
	mc_opts_help(
	    cap.f, "check_smtp_tls",
	    "Checks an SMTP server's TLS: STARTTLS or implicit TLS, certificate chain and "
	    "name, validity, protocol version and cipher, with thresholds on days left "
	    "and handshake time.\nSecond paragraph line.",
	    "check_smtp_tls -H HOST [-p PORT] [-w DAYS] [-c DAYS] [--tls=starttls|implicit] "
	    "[--extra-opts=[SECTION][@FILE]]",
	    opts);
	out = cap_close(&cap);
	for (p = out; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = (size_t)(nl - p);
		bool one_word = memchr(p + 4, ' ', len > 4 ? len - 4 : 0) == NULL;
		if (len > 79 && !one_word && strstr(p, "averyvery") != p + 4 &&
		    strstr(p, "averyvery") != p + 7)
			fail_msg("line longer than 79 columns: %.*s", (int)len, p);
		p = nl + 1;
	}
	assert_non_null(
	    strstr(out, "\n -t, --timeout=SECONDS[:STATE]\n    Deadline for the whole"));
	assert_non_null(strstr(out, "\n     --extra-opts[=[SECTION][@FILE]]\n"));
	assert_non_null(strstr(out, "\n     --output-format=classic|json\n"));
	assert_non_null(strstr(out, "\nSecond paragraph line.\n"));
	free(cap.buf);
}

static void test_opts_tables(void **state)
{
	struct option *lo;
	char *so;

	(void)state;
	assert_int_equal(mc_opts_tables(test_opts, &lo, &so), MC_OK);
	assert_string_equal(so, "H:qm::");
	assert_string_equal(lo[0].name, "hostname");
	assert_int_equal(lo[0].has_arg, required_argument);
	assert_int_equal(lo[0].val, 'H');
	assert_null(lo[0].flag);
	assert_string_equal(lo[1].name, "tls");
	assert_int_equal(lo[1].val, MC_OPT_LONG_BASE + 1);
	assert_int_equal(lo[3].has_arg, optional_argument);
	assert_null(lo[4].name);
	assert_int_equal(lo[4].val, 0);
	free(lo);
	free(so);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timeout_parse),
	    cmocka_unit_test(test_output_format_parse),
	    cmocka_unit_test(test_usage_error_and_version),
	    cmocka_unit_test(test_opts_help_exact),
	    cmocka_unit_test(test_opts_help_width),
	    cmocka_unit_test(test_opts_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
