/* Unit tests for nagios/mc_perf: numbers, labels and whole perfdata items. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nagios/mc_perf.h"
#include "nagios/mc_range.h"
#include "util/mc_buf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_perf_number(void **state)
{
	static const struct {
		const char *name;
		double v;
		const char *want;
	} cases[] = {
	    {"milliseconds", 0.041, "0.041"},
	    {"integer", 2, "2"},
	    {"zero", 0, "0"},
	    {"tiny rounds to 0", 1e-9, "0"},
	    {"tiny negative rounds to 0, no sign", -1e-9, "0"},
	    {"negative zero", -0.0, "0"},
	    {"large with fraction", 123456789.5, "123456789.5"},
	    {"negative", -3.5, "-3.5"},
	    {"negative integer", -42, "-42"},
	    {"six digits kept", 0.123456, "0.123456"},
	    {"seventh digit rounds", 0.1234567, "0.123457"},
	    {"rounds up to integer", 1.9999999, "2"},
	    {"1e15 without exponent", 1e15, "1000000000000000"},
	    {"1e20 without exponent", 1e20, "100000000000000000000"},
	    {"half micro", 0.0000015, "0.000002"},
	    {"NaN", NAN, "U"},
	    {"infinity", INFINITY, "U"},
	    {"minus infinity", -INFINITY, "U"},
	};
	char out[400];
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_perf_number(out, sizeof out, cases[i].v);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", cases[i].name, out, cases[i].want);
	}
	/* DBL_MAX fits the documented buffer size and has no exponent */
	mc_perf_number(out, sizeof out, 1.7976931348623157e308);
	assert_int_equal(strlen(out), 309);
	assert_null(strchr(out, 'e'));
	/* small buffers cut, always terminated */
	mc_perf_number(out, 4, 123456.5);
	assert_string_equal(out, "123");
}

static void test_perf_label_sanitize(void **state)
{
	static const struct {
		const char *name;
		const char *in;
		size_t outsz;
		mc_status_t want;
		const char *out;
	} cases[] = {
	    {"plain", "time", 64, MC_OK, "time"},
	    {"space", "conn time", 64, MC_OK, "conn_time"},
	    {"equals and quote", "a=b'c", 64, MC_OK, "a_b_c"},
	    {"pipe", "a|b", 64, MC_OK, "a_b"},
	    {"control and non-ASCII", "t\tx\xc3\xa9", 64, MC_OK, "t_x__"},
	    {"punctuation kept", "mx1.example.org:25/time", 64, MC_OK, "mx1.example.org:25/time"},
	    {"IPv6 loopback", "time_mx.test_::1", 64, MC_OK, "time_mx.test___1"},
	    {"IPv6 address", "cert_days_2001:db8::25", 64, MC_OK, "cert_days_2001:db8__25"},
	    {"colons at the cut", "a::", 3, MC_OK, "a:"},
	    {"colon triple", "a:::b", 64, MC_OK, "a___b"},
	    {"cut", "abcdefgh", 5, MC_OK, "abcd"},
	    {"empty", "", 64, MC_E_USAGE, ""},
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_status_t st = mc_perf_label_sanitize(cases[i].in, out, cases[i].outsz);
		if (st != cases[i].want || strcmp(out, cases[i].out) != 0)
			fail_msg("%s: %d \"%s\"", cases[i].name, (int)st, out);
	}
	assert_int_equal(mc_perf_label_sanitize(NULL, out, sizeof out), MC_E_USAGE);
	assert_int_equal(mc_perf_label_sanitize("x", out, 0), MC_E_USAGE);
}

static void test_perf_format(void **state)
{
	static const struct {
		const char *name;
		const char *label;
		double value;
		const char *uom, *warn, *crit; /* warn/crit NULL: not given */
		bool has_min;
		double min;
		bool has_max;
		double max;
		mc_status_t want;
		const char *out;
	} cases[] = {
	    {"everything", "time", 0.041, "s", "1", "2", true, 0, true, 10, MC_OK,
	     "'time'=0.041s;1;2;0;10"},
	    {"value only", "time", 0.041, "s", NULL, NULL, false, 0, false, 0, MC_OK,
	     "'time'=0.041s"},
	    {"no uom", "count", 3, "", NULL, NULL, false, 0, false, 0, MC_OK, "'count'=3"},
	    {"NULL uom", "count", 3, NULL, NULL, NULL, false, 0, false, 0, MC_OK, "'count'=3"},
	    {"warn only", "x", 5, "", "10", NULL, false, 0, false, 0, MC_OK, "'x'=5;10"},
	    {"crit only keeps empty warn", "x", 5, "", NULL, "10", false, 0, false, 0, MC_OK,
	     "'x'=5;;10"},
	    {"min only", "x", 5, "%", NULL, NULL, true, 0, false, 0, MC_OK, "'x'=5%;;;0"},
	    {"max only", "x", 5, "%", NULL, NULL, false, 0, true, 100, MC_OK, "'x'=5%;;;;100"},
	    {"range texts echoed", "days", 12.5, "", "30:", "@0:7", false, 0, false, 0, MC_OK,
	     "'days'=12.5;30:;@0:7"},
	    {"tilde range", "t", -1, "s", "~:10", NULL, false, 0, false, 0, MC_OK, "'t'=-1s;~:10"},
	    {"label sanitized", "conn time='x'", 1, "B", NULL, NULL, false, 0, false, 0, MC_OK,
	     "'conn_time__x_'=1B"},
	    {"NaN value is U without uom", "x", NAN, "s", NULL, NULL, false, 0, false, 0, MC_OK,
	     "'x'=U"},
	    {"empty label", "", 1, "s", NULL, NULL, false, 0, false, 0, MC_E_USAGE, ""},
	    {"uom with digit", "x", 1, "s1", NULL, NULL, false, 0, false, 0, MC_E_USAGE, ""},
	    {"uom too long", "x", 1, "KBps", NULL, NULL, false, 0, false, 0, MC_E_USAGE, ""},
	    {"uom with semicolon", "x", 1, ";", NULL, NULL, false, 0, false, 0, MC_E_USAGE, ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_thresholds_t th;
		mc_perf_t p;
		mc_buf_t b;
		mc_status_t st;

		memset(&th, 0, sizeof th);
		if (cases[i].warn) {
			assert_int_equal(mc_range_parse(cases[i].warn, &th.warn), MC_OK);
			th.has_warn = true;
		}
		if (cases[i].crit) {
			assert_int_equal(mc_range_parse(cases[i].crit, &th.crit), MC_OK);
			th.has_crit = true;
		}
		st = mc_perf_set(&p, cases[i].label, cases[i].value, cases[i].uom, &th);
		if (st != cases[i].want)
			fail_msg("%s: set status %d", cases[i].name, (int)st);
		if (st != MC_OK)
			continue;
		p.has_min = cases[i].has_min;
		p.min = cases[i].min;
		p.has_max = cases[i].has_max;
		p.max = cases[i].max;
		mc_buf_init(&b, 1024);
		st = mc_perf_format(&b, &p);
		if (st != MC_OK || strcmp(mc_buf_cstr(&b), cases[i].out) != 0)
			fail_msg("%s: %d \"%s\", want \"%s\"", cases[i].name, (int)st,
			         mc_buf_cstr(&b), cases[i].out);
		mc_buf_free(&b);
	}
}

static void test_perf_format_limits(void **state)
{
	mc_perf_t p;
	mc_buf_t b;

	(void)state;
	assert_int_equal(mc_perf_set(&p, "time", 1, "s", NULL), MC_OK);
	/* a buffer that cannot take the item gets nothing */
	mc_buf_init(&b, 5);
	assert_int_equal(mc_buf_puts(&b, "ab"), MC_OK);
	assert_int_equal(mc_perf_format(&b, &p), MC_E_LIMIT);
	assert_string_equal(mc_buf_cstr(&b), "ab");
	mc_buf_free(&b);
	/* hand-filled struct without terminators and with hostile bytes */
	memset(&p, 0, sizeof p);
	memset(p.label, 'L', sizeof p.label);
	memcpy(p.uom, "s;1'", 4);
	memcpy(p.warn, "1;2 |'=", 7);
	p.value = 1;
	mc_buf_init(&b, 1024);
	assert_int_equal(mc_perf_format(&b, &p), MC_OK);
	assert_string_equal(mc_buf_cstr(&b),
	                    "'LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"
	                    "LLLLLLLLLL'=1s;12");
	mc_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_perf_number),
	    cmocka_unit_test(test_perf_label_sanitize),
	    cmocka_unit_test(test_perf_format),
	    cmocka_unit_test(test_perf_format_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
