/* Unit tests for common/nagios: states, ranges, perfdata, the result tree and
 * its output, option helpers, ini parsing and --extra-opts. */
#define _GNU_SOURCE
#include "config.h"

#include <dlfcn.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "nagios/mc_opts.h"
#include "nagios/mc_perf.h"
#include "nagios/mc_range.h"
#include "nagios/mc_result.h"
#include "nagios/mc_state.h"
#include "util/mc_buf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- calloc failure injection (for the out-of-memory test only) ----
 * The test binary's own calloc() wraps libc's. Sanitizers bring their own
 * allocator, and valgrind replaces calloc() even in the executable, so the
 * test checks at run time that injection works and skips otherwise. */

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define NO_CALLOC_INJECTION 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NO_CALLOC_INJECTION 1
#endif

static int calloc_fail_countdown = -1; /* test-only: < 0 never fails */

#ifndef NO_CALLOC_INJECTION
void *calloc(size_t n, size_t sz);
void *calloc(size_t n, size_t sz)
{
	static void *(*real)(size_t, size_t);

	if (calloc_fail_countdown == 0)
		return NULL;
	if (calloc_fail_countdown > 0)
		calloc_fail_countdown--;
	if (!real) {
		/* glibc's dlsym does not call calloc here; if it ever did the
		 * call would see real == NULL and fail, not recurse forever. */
		static int resolving;
		if (resolving)
			return NULL;
		resolving = 1;
		*(void **)&real = dlsym(RTLD_NEXT, "calloc");
		resolving = 0;
		if (!real)
			abort();
	}
	return real(n, sz);
}
#endif

/* True when calloc() failures can be injected in this run. */
static bool calloc_injection_works(void)
{
	/* through a volatile pointer: the compiler may elide calloc+free */
	void *(*volatile cf)(size_t, size_t) = calloc;
	void *p;

	calloc_fail_countdown = 0;
	p = cf(1, 1);
	calloc_fail_countdown = -1;
	free(p);
	return p == NULL;
}

/* Read everything written to a FILE opened with open_memstream. */
typedef struct capture {
	FILE *f;
	char *buf;
	size_t len;
} capture_t;

static void cap_open(capture_t *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static const char *cap_close(capture_t *c)
{
	fclose(c->f);
	return c->buf;
}

/* ---- states ---- */

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

/* ---- ranges ---- */

static const struct {
	const char *name;
	const char *text;
	mc_status_t want;
	double start, end;
	bool start_inf, end_inf, inside;
} range_cases[] = {
    {"plain end means 0..end", "10", MC_OK, 0, 10, false, false, false},
    {"start only", "10:", MC_OK, 10, 0, false, true, false},
    {"tilde start", "~:10", MC_OK, 0, 10, true, false, false},
    {"both bounds", "10:20", MC_OK, 10, 20, false, false, false},
    {"inside", "@10:20", MC_OK, 10, 20, false, false, true},
    {"inside plain", "@10", MC_OK, 0, 10, false, false, true},
    {"inside tilde", "@~:5", MC_OK, 0, 5, true, false, true},
    {"equal bounds", "5:5", MC_OK, 5, 5, false, false, false},
    {"negative bounds", "-10:-5", MC_OK, -10, -5, false, false, false},
    {"negative to positive", "-1.5:2.25", MC_OK, -1.5, 2.25, false, false, false},
    {"fractional", "0.5:1.75", MC_OK, 0.5, 1.75, false, false, false},
    {"fractional plain", "2.5", MC_OK, 0, 2.5, false, false, false},
    {"negative start only", "-3:", MC_OK, -3, 0, false, true, false},
    {"zero", "0", MC_OK, 0, 0, false, false, false},
    {"plus sign", "+5", MC_OK, 0, 5, false, false, false},
    {"empty", "", MC_E_USAGE, 0, 0, false, false, false},
    {"colon only", ":", MC_E_USAGE, 0, 0, false, false, false},
    {"no start", ":10", MC_E_USAGE, 0, 0, false, false, false},
    {"no bounds at all", "~:", MC_E_USAGE, 0, 0, false, false, false},
    {"letters", "abc", MC_E_USAGE, 0, 0, false, false, false},
    {"reversed", "20:10", MC_E_USAGE, 0, 0, false, false, false},
    {"exponent", "1e3", MC_E_USAGE, 0, 0, false, false, false},
    {"at only", "@", MC_E_USAGE, 0, 0, false, false, false},
    {"tilde only", "~", MC_E_USAGE, 0, 0, false, false, false},
    {"tilde as end", "10:~", MC_E_USAGE, 0, 0, false, false, false},
    {"double at", "@@10", MC_E_USAGE, 0, 0, false, false, false},
    {"two colons", "1:2:3", MC_E_USAGE, 0, 0, false, false, false},
    {"trailing garbage", "10s", MC_E_USAGE, 0, 0, false, false, false},
    {"space", " 10", MC_E_USAGE, 0, 0, false, false, false},
    {"inf word", "inf", MC_E_USAGE, 0, 0, false, false, false},
    {"negative plain gives reversed 0..-5", "-5", MC_E_USAGE, 0, 0, false, false, false},
    {"47 bytes is the longest", "1.00000000000000000000000000000:2.0000000000000", MC_OK, 1, 2,
     false, false, false},
    {"48 bytes is too long", "1.00000000000000000000000000000:2.00000000000000", MC_E_USAGE, 0, 0,
     false, false, false},
};

static void test_range_parse(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(range_cases); i++) {
		mc_range_t r;
		mc_status_t st;

		memset(&r, 0x55, sizeof r);
		st = mc_range_parse(range_cases[i].text, &r);
		if (st != range_cases[i].want)
			fail_msg("%s (\"%s\"): status %d, want %d", range_cases[i].name,
			         range_cases[i].text, (int)st, (int)range_cases[i].want);
		if (st != MC_OK)
			continue;
		if (r.start_inf != range_cases[i].start_inf ||
		    r.end_inf != range_cases[i].end_inf || r.inside != range_cases[i].inside ||
		    (!r.start_inf && r.start != range_cases[i].start) ||
		    (!r.end_inf && r.end != range_cases[i].end))
			fail_msg("%s: got %g%s:%g%s inside=%d", range_cases[i].name, r.start,
			         r.start_inf ? "(inf)" : "", r.end, r.end_inf ? "(inf)" : "",
			         r.inside);
		if (strcmp(r.text, range_cases[i].text) != 0)
			fail_msg("%s: text \"%s\"", range_cases[i].name, r.text);
	}
	assert_int_equal(mc_range_parse(NULL, &(mc_range_t){0}), MC_E_USAGE);
}

static const struct {
	const char *name;
	const char *range;
	double value;
	bool alert;
} alert_cases[] = {
    {"10: below 0", "10", -0.001, true},
    {"10: at 0", "10", 0, false},
    {"10: inside", "10", 5, false},
    {"10: at bound is not an alert", "10", 10, false},
    {"10: just above", "10", 10.000001, true},
    {"10:: below", "10:", 9.999, true},
    {"10:: at bound", "10:", 10, false},
    {"10:: far above", "10:", 1e12, false},
    {"~:10: far below", "~:10", -1e12, false},
    {"~:10: at bound", "~:10", 10, false},
    {"~:10: above", "~:10", 10.5, true},
    {"10:20: below", "10:20", 9, true},
    {"10:20: at start", "10:20", 10, false},
    {"10:20: at end", "10:20", 20, false},
    {"10:20: above", "10:20", 21, true},
    {"@10:20: inside", "@10:20", 15, true},
    {"@10:20: at start alerts", "@10:20", 10, true},
    {"@10:20: at end alerts", "@10:20", 20, true},
    {"@10:20: below", "@10:20", 9.99, false},
    {"@10:20: above", "@10:20", 20.01, false},
    {"-10:-5: at -5", "-10:-5", -5, false},
    {"-10:-5: at -4.9", "-10:-5", -4.9, true},
    {"-10:-5: at -10.1", "-10:-5", -10.1, true},
    {"0.5: fractional bound", "0.5", 0.5, false},
    {"0.5: fractional above", "0.5", 0.51, true},
    {"5:5: at", "5:5", 5, false},
    {"5:5: off", "5:5", 5.01, true},
    {"NaN always alerts", "10", NAN, true},
};

static void test_range_alert(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(alert_cases); i++) {
		mc_range_t r;

		assert_int_equal(mc_range_parse(alert_cases[i].range, &r), MC_OK);
		if (mc_range_alert(&r, alert_cases[i].value) != alert_cases[i].alert)
			fail_msg("%s: alert should be %d", alert_cases[i].name,
			         alert_cases[i].alert);
	}
}

static void test_thresholds_check(void **state)
{
	static const struct {
		const char *name;
		const char *warn, *crit; /* NULL: not given */
		double value;
		mc_state_t want;
	} cases[] = {
	    {"below both", "10", "20", 5, MC_STATE_OK},
	    {"at warn bound", "10", "20", 10, MC_STATE_OK},
	    {"past warn", "10", "20", 10.5, MC_STATE_WARNING},
	    {"at crit bound", "10", "20", 20, MC_STATE_WARNING},
	    {"past crit", "10", "20", 21, MC_STATE_CRITICAL},
	    {"crit wins when both alert", "10", "5", 11, MC_STATE_CRITICAL},
	    {"only warn", "10", NULL, 11, MC_STATE_WARNING},
	    {"only crit", NULL, "10", 11, MC_STATE_CRITICAL},
	    {"none", NULL, NULL, 1e9, MC_STATE_OK},
	    {"days left: 30: warn, 7: crit, 20 days", "30:", "7:", 20, MC_STATE_WARNING},
	    {"days left: 30: warn, 7: crit, 3 days", "30:", "7:", 3, MC_STATE_CRITICAL},
	    {"days left: 30: warn, 7: crit, 60 days", "30:", "7:", 60, MC_STATE_OK},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_thresholds_t t;

		memset(&t, 0, sizeof t);
		if (cases[i].warn) {
			assert_int_equal(mc_range_parse(cases[i].warn, &t.warn), MC_OK);
			t.has_warn = true;
		}
		if (cases[i].crit) {
			assert_int_equal(mc_range_parse(cases[i].crit, &t.crit), MC_OK);
			t.has_crit = true;
		}
		if (mc_thresholds_check(&t, cases[i].value) != cases[i].want)
			fail_msg("%s: %d", cases[i].name,
			         (int)mc_thresholds_check(&t, cases[i].value));
	}
	assert_int_equal(mc_thresholds_check(NULL, 5), MC_STATE_OK);
}

/* ---- perfdata ---- */

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

/* ---- result tree ---- */

typedef struct tnode {
	int depth; /* 1 = child of the root */
	mc_state_t st;
	const char *text;
	const char *perf; /* perfdata label or NULL */
	double pv;
	const char *uom;
} tnode_t;

typedef struct tree_case {
	const char *name;
	const char *label;
	const char *root_text; /* NULL: root untouched */
	mc_state_t root_state;
	const char *summary;   /* NULL: never set */
	const char *root_perf; /* NULL: none */
	double root_pv;
	tnode_t nodes[8];
	size_t n;
	mc_state_t want_state;
	const char *want_worst; /* text of mc_result_worst(), NULL if none */
	const char *want_out;   /* classic output */
} tree_case_t;

static mc_result_t *build(const tree_case_t *c)
{
	mc_result_t *root = mc_result_new(c->label), *stack[8];
	size_t i;

	assert_non_null(root);
	if (c->root_text)
		mc_result_set(root, c->root_state, "%s", c->root_text);
	if (c->summary)
		mc_result_summary(root, "%s", c->summary);
	if (c->root_perf)
		assert_int_equal(mc_result_perf(root, c->root_perf, c->root_pv, "", NULL), MC_OK);
	stack[0] = root;
	for (i = 0; i < c->n; i++) {
		const tnode_t *t = &c->nodes[i];
		mc_result_t *n = mc_result_add(stack[t->depth - 1], t->st, "%s", t->text);
		assert_non_null(n);
		stack[t->depth] = n;
		if (t->perf)
			assert_int_equal(mc_result_perf(n, t->perf, t->pv, t->uom, NULL), MC_OK);
	}
	return root;
}

/* One case per paragraph reads better than the formatter's layout. */
/* clang-format off */
static const tree_case_t tree_cases[] = {
    {"lone root: label and state only", "X", NULL, 0, NULL, NULL, 0, {{0}}, 0, MC_STATE_OK,
     NULL, "X OK\n"},
    {"all OK: root text is the summary", "X", "all 1 checks passed", MC_STATE_OK, NULL, NULL, 0,
     {{1, MC_STATE_OK, "a", NULL, 0, NULL}}, 1, MC_STATE_OK, NULL,
     "X OK - all 1 checks passed\n[OK] a\n"},
    {"worst child is the summary, perfdata on the first line", "SMTP_TLS", NULL, 0, NULL, NULL,
     0,
     {{1, MC_STATE_OK, "connected to mail.example.org:25", "time", 0.041, "s"},
      {1, MC_STATE_OK, "STARTTLS offered", NULL, 0, NULL},
      {1, MC_STATE_CRITICAL, "certificate expired 3 days ago", NULL, 0, NULL},
      {2, MC_STATE_CRITICAL, "not after 2024-01-01", NULL, 0, NULL}},
     4, MC_STATE_CRITICAL, "certificate expired 3 days ago",
     "SMTP_TLS CRITICAL - certificate expired 3 days ago | 'time'=0.041s\n"
     "[OK] connected to mail.example.org:25\n"
     "[OK] STARTTLS offered\n"
     "[CRITICAL] certificate expired 3 days ago\n"
     "  [CRITICAL] not after 2024-01-01\n"},
    {"WARNING beats UNKNOWN", "MAIL", NULL, 0, NULL, NULL, 0,
     {{1, MC_STATE_UNKNOWN, "dnsbl self-test failed", NULL, 0, NULL},
      {1, MC_STATE_WARNING, "DMARC p=none", NULL, 0, NULL}},
     2, MC_STATE_WARNING, "DMARC p=none",
     "MAIL WARNING - DMARC p=none\n[UNKNOWN] dnsbl self-test failed\n[WARNING] DMARC p=none\n"},
    {"UNKNOWN beats OK", "MAIL", NULL, 0, NULL, NULL, 0,
     {{1, MC_STATE_OK, "a", NULL, 0, NULL}, {1, MC_STATE_UNKNOWN, "b", NULL, 0, NULL}}, 2,
     MC_STATE_UNKNOWN, "b", "MAIL UNKNOWN - b\n[OK] a\n[UNKNOWN] b\n"},
    {"parent line shows its subtree state, two spaces per level", "MX", NULL, 0, NULL, NULL, 0,
     {{1, MC_STATE_OK, "mx1", NULL, 0, NULL},
      {2, MC_STATE_OK, "connect", NULL, 0, NULL},
      {2, MC_STATE_WARNING, "cert expires in 10 days", NULL, 0, NULL},
      {3, MC_STATE_WARNING, "leaf", NULL, 0, NULL},
      {1, MC_STATE_OK, "mx2", NULL, 0, NULL}},
     5, MC_STATE_WARNING, "cert expires in 10 days",
     "MX WARNING - cert expires in 10 days\n"
     "[WARNING] mx1\n"
     "  [OK] connect\n"
     "  [WARNING] cert expires in 10 days\n"
     "    [WARNING] leaf\n"
     "[OK] mx2\n"},
    {"explicit summary wins over worst text", "MX", NULL, 0, "1 of 2 MX failed", NULL, 0,
     {{1, MC_STATE_OK, "mx1", NULL, 0, NULL}, {1, MC_STATE_CRITICAL, "mx2 refused", NULL, 0,
                                               NULL}},
     2, MC_STATE_CRITICAL, "mx2 refused",
     "MX CRITICAL - 1 of 2 MX failed\n[OK] mx1\n[CRITICAL] mx2 refused\n"},
    {"text sanitized: no pipe, no control bytes", "SMTP", NULL, 0, NULL, NULL, 0,
     {{1, MC_STATE_CRITICAL, "banner 220 a|b\r\nX\x1b", NULL, 0, NULL}}, 1, MC_STATE_CRITICAL,
     "banner 220 a/b??X?", "SMTP CRITICAL - banner 220 a/b??X?\n[CRITICAL] banner 220 a/b??X?\n"},
    {"first worst in depth-first order", "X", NULL, 0, NULL, NULL, 0,
     {{1, MC_STATE_CRITICAL, "first", NULL, 0, NULL},
      {2, MC_STATE_CRITICAL, "nested", NULL, 0, NULL},
      {1, MC_STATE_CRITICAL, "second", NULL, 0, NULL}},
     3, MC_STATE_CRITICAL, "first",
     "X CRITICAL - first\n[CRITICAL] first\n  [CRITICAL] nested\n[CRITICAL] second\n"},
    {"worst node without text is passed over for the summary", "X", NULL, 0, NULL, NULL, 0,
     {{1, MC_STATE_CRITICAL, "", NULL, 0, NULL}, {2, MC_STATE_CRITICAL, "detail", NULL, 0, NULL}},
     2, MC_STATE_CRITICAL, "", "X CRITICAL - detail\n[CRITICAL]\n  [CRITICAL] detail\n"},
    {"root's own state counts", "X", "cannot start", MC_STATE_UNKNOWN, NULL, NULL, 0,
     {{1, MC_STATE_OK, "a", NULL, 0, NULL}}, 1, MC_STATE_UNKNOWN, "cannot start",
     "X UNKNOWN - cannot start\n[OK] a\n"},
    {"perfdata depth first in the order added", "X", NULL, 0, NULL, "total", 2,
     {{1, MC_STATE_OK, "a", "a_time", 0.5, "s"},
      {2, MC_STATE_OK, "a1", "a1_time", 0.25, "s"},
      {1, MC_STATE_OK, "b", "b_time", 1, "s"}},
     3, MC_STATE_OK, NULL,
     "X OK | 'total'=2 'a_time'=0.5s 'a1_time'=0.25s 'b_time'=1s\n[OK] a\n  [OK] a1\n[OK] b\n"},
};
/* clang-format on */

static void test_result_tree_classic(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(tree_cases); i++) {
		const tree_case_t *c = &tree_cases[i];
		mc_result_t *root = build(c);
		const mc_result_t *w = mc_result_worst(root);
		capture_t cap;
		const char *out;
		int rc;

		if (mc_result_state(root) != c->want_state)
			fail_msg("%s: state %d", c->name, (int)mc_result_state(root));
		if ((w == NULL) != (c->want_worst == NULL) ||
		    (w && strcmp(mc_result_text(w), c->want_worst) != 0))
			fail_msg("%s: worst \"%s\"", c->name, w ? mc_result_text(w) : "(null)");
		cap_open(&cap);
		rc = mc_result_print(root, MC_OUTPUT_CLASSIC, cap.f);
		out = cap_close(&cap);
		if (rc != (int)c->want_state)
			fail_msg("%s: exit code %d", c->name, rc);
		if (strcmp(out, c->want_out) != 0)
			fail_msg("%s:\n--- got ---\n%s--- want ---\n%s", c->name, out, c->want_out);
		free(cap.buf);
		mc_result_free(root);
	}
}

static void test_result_misc(void **state)
{
	mc_result_t *root, *a;

	(void)state;
	root = mc_result_new("X");
	assert_non_null(root);
	assert_string_equal(mc_result_text(root), "");
	a = mc_result_add(root, MC_STATE_OK, "n=%d", 5);
	assert_string_equal(mc_result_text(a), "n=5");
	mc_result_set(a, MC_STATE_WARNING, "now %s", "worse");
	assert_string_equal(mc_result_text(a), "now worse");
	assert_int_equal(mc_result_state(root), MC_STATE_WARNING);
	assert_int_equal(mc_result_state(a), MC_STATE_WARNING);
	assert_ptr_equal(mc_result_worst(root), a);
	mc_result_set(a, MC_STATE_OK, "fine");
	assert_null(mc_result_worst(root));
	/* bad perfdata is refused, the tree stays usable */
	assert_int_equal(mc_result_perf(a, "", 1, "s", NULL), MC_E_USAGE);
	assert_int_equal(mc_result_perf(a, "x", 1, "s1", NULL), MC_E_USAGE);
	/* NULL is tolerated everywhere (a failed add returns NULL) */
	assert_null(mc_result_add(NULL, MC_STATE_OK, "x"));
	mc_result_set(NULL, MC_STATE_OK, "x");
	mc_result_summary(NULL, "x");
	assert_int_equal(mc_result_perf(NULL, "x", 1, "", NULL), MC_E_USAGE);
	assert_int_equal(mc_result_state(NULL), MC_STATE_UNKNOWN);
	assert_string_equal(mc_result_text(NULL), "");
	assert_null(mc_result_worst(NULL));
	mc_result_free(NULL);
	mc_result_free(root);
}

static void test_result_perf_mm_many(void **state)
{
	mc_result_t *root = mc_result_new("X");
	double mn = 0, mx = 10;
	mc_thresholds_t th;
	capture_t cap;
	const char *out;
	int i;

	(void)state;
	memset(&th, 0, sizeof th);
	assert_int_equal(mc_range_parse("1", &th.warn), MC_OK);
	assert_int_equal(mc_range_parse("2", &th.crit), MC_OK);
	th.has_warn = th.has_crit = true;
	assert_int_equal(mc_result_perf_mm(root, "time", 0.041, "s", &th, &mn, &mx), MC_OK);
	assert_int_equal(mc_result_perf_mm(root, "size", 5, "B", NULL, NULL, &mx), MC_OK);
	for (i = 0; i < 20; i++) /* grows the per-node array */
		assert_int_equal(mc_result_perf(root, "n", i, "", NULL), MC_OK);
	cap_open(&cap);
	mc_result_print(root, MC_OUTPUT_CLASSIC, cap.f);
	out = cap_close(&cap);
	assert_string_equal(out, "X OK | 'time'=0.041s;1;2;0;10 'size'=5B;;;;10 'n'=0 'n'=1 'n'=2 "
	                         "'n'=3 'n'=4 'n'=5 'n'=6 'n'=7 'n'=8 'n'=9 'n'=10 'n'=11 'n'=12 "
	                         "'n'=13 'n'=14 'n'=15 'n'=16 'n'=17 'n'=18 'n'=19\n");
	free(cap.buf);
	mc_result_free(root);
}

/* 200 subcheck lines of 66 bytes each do not fit in 4 KiB. */
static void test_classic_cap_lines(void **state)
{
	mc_result_t *root = mc_result_new("CAP");
	char want[8192];
	size_t o = 0, shown;
	capture_t cap;
	const char *out;
	int i;

	(void)state;
	for (i = 0; i < 200; i++)
		mc_result_add(root, MC_STATE_OK, "subcheck %03d %047d", i, 0);
	cap_open(&cap);
	assert_int_equal(mc_result_print(root, MC_OUTPUT_CLASSIC, cap.f), 0);
	out = cap_close(&cap);
	/* "CAP OK\n" (7) + n * 66 + the "[...]" line must stay within 4096
	 * with 40 bytes kept for the last line: n = (4056 - 7) / 66 = 61. */
	shown = 61;
	o += (size_t)snprintf(want + o, sizeof want - o, "CAP OK\n");
	for (i = 0; i < (int)shown; i++)
		o +=
		    (size_t)snprintf(want + o, sizeof want - o, "[OK] subcheck %03d %047d\n", i, 0);
	o += (size_t)snprintf(want + o, sizeof want - o, "[...] %zu more lines\n", 200 - shown);
	assert_string_equal(out, want);
	assert_true(strlen(out) <= 4096);
	free(cap.buf);
	mc_result_free(root);
}

/* The first line alone is too long: perfdata items are dropped whole. */
static void test_classic_cap_perf(void **state)
{
	mc_result_t *root = mc_result_new("CAP");
	char label[32];
	capture_t cap;
	const char *out, *bar, *p;
	size_t len, items = 0;
	int i;

	(void)state;
	mc_result_set(root, MC_STATE_OK, "many metrics");
	for (i = 0; i < 400; i++) {
		snprintf(label, sizeof label, "metric_%03d", i);
		assert_int_equal(mc_result_perf(root, label, i + 0.5, "s", NULL), MC_OK);
	}
	mc_result_add(root, MC_STATE_OK, "one subcheck");
	cap_open(&cap);
	mc_result_print(root, MC_OUTPUT_CLASSIC, cap.f);
	out = cap_close(&cap);
	len = strlen(out);
	assert_true(len <= 4096);
	bar = strstr(out, " | ");
	assert_non_null(bar);
	assert_true(strncmp(out, "CAP OK - many metrics | ", 24) == 0);
	/* every item is complete and in order: 'metric_NNN'=N.5s */
	p = bar + 3;
	while (*p != '\n') {
		char want[40];
		int n = snprintf(want, sizeof want, "'metric_%03zu'=%zu.5s", items, items);
		assert_true(strncmp(p, want, (size_t)n) == 0);
		p += n;
		assert_true(*p == ' ' || *p == '\n');
		if (*p == ' ')
			p++;
		items++;
	}
	assert_true(items > 100 && items < 400);
	/* The first line keeps as many items as fit with room for the
	 * "[...]" line (40 bytes); one more item would not have fit. */
	snprintf(label, sizeof label, " 'metric_%03zu'=%zu.5s", items, items);
	assert_true((size_t)(p - out) + 1 <= 4096 - 40);
	assert_true((size_t)(p - out) + strlen(label) + 1 > 4096 - 40);
	assert_string_equal(p, "\n[...] 1 more lines\n");
	free(cap.buf);
	mc_result_free(root);
}

/* A summary longer than the cap is cut; the output stays one valid line. */
static void test_classic_cap_summary(void **state)
{
	mc_result_t *root = mc_result_new("CAP");
	char big[6000];
	capture_t cap;
	const char *out;

	(void)state;
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	mc_result_summary(root, "%s", big);
	mc_result_perf(root, "time", 1, "s", NULL);
	cap_open(&cap);
	mc_result_print(root, MC_OUTPUT_CLASSIC, cap.f);
	out = cap_close(&cap);
	assert_int_equal(strlen(out), 4096);
	assert_null(strchr(out, '|'));
	assert_true(strncmp(out, "CAP OK - aaa", 12) == 0);
	assert_int_equal(out[4095], '\n');
	free(cap.buf);
	mc_result_free(root);
}

static void test_json(void **state)
{
	mc_result_t *root = mc_result_new("SMTP_TLS"), *w;
	mc_thresholds_t th;
	double mn = 0, mx = 10;
	capture_t cap;
	const char *out;
	int rc;

	(void)state;
	memset(&th, 0, sizeof th);
	assert_int_equal(mc_range_parse("1", &th.warn), MC_OK);
	assert_int_equal(mc_range_parse("2", &th.crit), MC_OK);
	th.has_warn = th.has_crit = true;
	assert_int_equal(mc_result_perf_mm(root, "time", 0.041, "s", &th, &mn, &mx), MC_OK);
	mc_result_add(root, MC_STATE_OK, "connected");
	w = mc_result_add(root, MC_STATE_WARNING, "subject \"CN=x\" in C:\\certs\ttab");
	mc_result_add(w, MC_STATE_WARNING, "leaf");
	assert_int_equal(mc_result_perf(w, "days", -12.5, "", NULL), MC_OK);
	cap_open(&cap);
	rc = mc_result_print(root, MC_OUTPUT_JSON, cap.f);
	out = cap_close(&cap);
	assert_int_equal(rc, 1);
	assert_string_equal(
	    out, "{\"label\":\"SMTP_TLS\",\"state\":\"WARNING\",\"exit_code\":1,"
	         "\"summary\":\"subject \\\"CN=x\\\" in C:\\\\certs?tab\","
	         "\"subchecks\":["
	         "{\"state\":\"OK\",\"text\":\"connected\",\"subchecks\":[],\"perfdata\":[]},"
	         "{\"state\":\"WARNING\",\"text\":\"subject \\\"CN=x\\\" in C:\\\\certs?tab\","
	         "\"subchecks\":[{\"state\":\"WARNING\",\"text\":\"leaf\",\"subchecks\":[],"
	         "\"perfdata\":[]}],"
	         "\"perfdata\":[{\"label\":\"days\",\"value\":-12.5}]}],"
	         "\"perfdata\":[{\"label\":\"time\",\"value\":0.041,\"uom\":\"s\",\"warn\":\"1\","
	         "\"crit\":\"2\",\"min\":0,\"max\":10}]}\n");
	free(cap.buf);
	mc_result_free(root);

	/* an empty tree */
	root = mc_result_new("X");
	cap_open(&cap);
	assert_int_equal(mc_result_print(root, MC_OUTPUT_JSON, cap.f), 0);
	out = cap_close(&cap);
	assert_string_equal(out,
	                    "{\"label\":\"X\",\"state\":\"OK\",\"exit_code\":0,\"summary\":\"\","
	                    "\"subchecks\":[],\"perfdata\":[]}\n");
	free(cap.buf);
	mc_result_free(root);
}

static void test_result_oom(void **state)
{
	mc_result_t *root = mc_result_new("X"), *a;
	capture_t cap;
	const char *out;

	(void)state;
	if (!calloc_injection_works()) {
		mc_result_free(root);
		skip();
	}
	a = mc_result_add(root, MC_STATE_OK, "a");
	assert_non_null(a);
	calloc_fail_countdown = 0;
	assert_null(mc_result_add(a, MC_STATE_CRITICAL, "lost"));
	assert_null(mc_result_new("Y"));
	calloc_fail_countdown = -1;
	/* the failure is recorded in the parent as UNKNOWN, and nothing crashed */
	assert_int_equal(mc_result_state(a), MC_STATE_UNKNOWN);
	assert_int_equal(mc_result_state(root), MC_STATE_UNKNOWN);
	cap_open(&cap);
	assert_int_equal(mc_result_print(root, MC_OUTPUT_CLASSIC, cap.f), 3);
	out = cap_close(&cap);
	assert_string_equal(out, "X UNKNOWN - out of memory while building the result\n"
	                         "[UNKNOWN] a\n"
	                         "  [UNKNOWN] out of memory while building the result\n");
	free(cap.buf);
	/* a NULL root prints the failure */
	cap_open(&cap);
	assert_int_equal(mc_result_print(NULL, MC_OUTPUT_CLASSIC, cap.f), 3);
	out = cap_close(&cap);
	assert_string_equal(out, "UNKNOWN - out of memory while building the result\n");
	free(cap.buf);
	mc_result_free(root);
}

/* ---- options ---- */

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

/* ---- ini ---- */

static mc_status_t collect_cb(const char *key, const char *value, void *arg)
{
	mc_buf_t *b = arg;

	if (strcmp(key, "reject") == 0)
		return MC_E_USAGE;
	if (value)
		return mc_buf_printf(b, "%s=%s;", key, value);
	return mc_buf_printf(b, "%s;", key);
}

static void test_ini_parse(void **state)
{
	static char longline[5000];
	static const struct {
		const char *name;
		const char *text;
		size_t len; /* 0: strlen */
		const char *section;
		mc_status_t want;
		const char *entries; /* collected "k=v;" / "k;" or error text */
	} cases[] = {
	    {"sections pick the right entries",
	     "[a]\nx=1\n[check_smtp_tls]\nport=25\nverbose\n[b]\ny=2\n", 0, "check_smtp_tls", MC_OK,
	     "port=25;verbose;"},
	    {"comments and blank lines", "# top\n; also\n\n[s]\n  # inside\n\t\nk = v \n", 0, "s",
	     MC_OK, "k=v;"},
	    {"quoted value keeps blanks and '#'", "[s]\npass = \"  a b # c  \"\n", 0, "s", MC_OK,
	     "pass=  a b # c  ;"},
	    {"unquoted value keeps '#' and ';'", "[s]\nk=a#b;c\n", 0, "s", MC_OK, "k=a#b;c;"},
	    {"empty value is not a bare key", "[s]\nk=\n", 0, "s", MC_OK, "k=;"},
	    {"empty quoted value", "[s]\nk=\"\"\n", 0, "s", MC_OK, "k=;"},
	    {"bare key with blanks", "[s]\n   verbose   \n", 0, "s", MC_OK, "verbose;"},
	    {"value with '='", "[s]\nk=a=b\n", 0, "s", MC_OK, "k=a=b;"},
	    {"CRLF line ends", "[s]\r\nk=v\r\nb\r\n", 0, "s", MC_OK, "k=v;b;"},
	    {"no final newline", "[s]\nk=v", 0, "s", MC_OK, "k=v;"},
	    {"blanks inside brackets", "[ s ]\nk=v\n", 0, "s", MC_OK, "k=v;"},
	    {"section repeated", "[s]\na=1\n[t]\nb=2\n[s]\nc=3\n", 0, "s", MC_OK, "a=1;c=3;"},
	    {"entries before any section are ignored", "k=v\n[s]\nj=w\n", 0, "s", MC_OK, "j=w;"},
	    {"section names are case-sensitive", "[S]\nk=v\n", 0, "s", MC_E_USAGE,
	     "section [s] not found"},
	    {"empty section present", "[s]\n", 0, "s", MC_OK, ""},
	    {"space in key", "[s]\nk v=1\n", 0, "s", MC_E_USAGE, "line 2: space in option name"},
	    {"space in bare key", "[s]\n\nbare key\n", 0, "s", MC_E_USAGE,
	     "line 3: space in option name"},
	    {"bracket without close", "[s\nk=v\n", 0, "s", MC_E_USAGE, "line 1: '[' without ']'"},
	    {"text after bracket", "[s] x\n", 0, "s", MC_E_USAGE, "line 1: text after ']'"},
	    {"empty key", "[s]\n=v\n", 0, "s", MC_E_USAGE, "line 2: empty option name"},
	    {"unterminated quote", "[s]\nk=\"abc\n", 0, "s", MC_E_USAGE,
	     "line 2: unterminated quoted value"},
	    {"lone quote", "[s]\nk=\"\n", 0, "s", MC_E_USAGE, "line 2: unterminated quoted value"},
	    {"quote inside quotes", "[s]\nk=\"a\"b\"\n", 0, "s", MC_E_USAGE,
	     "line 2: '\"' inside a quoted value"},
	    {"NUL byte", "[s]\nk=v\nx\0y\n", 13, "s", MC_E_USAGE, "line 3: NUL byte"},
	    {"errors in other sections count", "[s]\nk=v\n[t]\nbad key\n", 0, "s", MC_E_USAGE,
	     "line 4: space in option name"},
	    {"missing section", "[x]\nk=1\n", 0, "s", MC_E_USAGE, "section [s] not found"},
	    {"empty text", "", 0, "s", MC_E_USAGE, "section [s] not found"},
	    {"callback refusal stops", "[s]\na=1\nreject=1\nb=2\n", 0, "s", MC_E_USAGE,
	     "line 3: option 'reject' rejected (usage error)"},
	    {"line over 4 KiB", NULL, 0, "s", MC_E_USAGE, "line 2: longer than 4096 bytes"},
	    {"line of exactly 4 KiB", NULL, 0, "t", MC_E_USAGE, "section [t] not found"},
	    {"len shorter than the text", "[s]\nk=v\nj=w\n", 8, "s", MC_OK, "k=v;"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		const char *text = cases[i].text;
		size_t len;
		mc_buf_t b;
		char err[128];
		mc_status_t st;

		if (!text) {
			/* "[s]\n" + a key line of 4097 or 4096 bytes */
			size_t n = strcmp(cases[i].section, "s") == 0 ? 4097 : 4096;
			memcpy(longline, "[s]\n", 4);
			memset(longline + 4, 'k', n);
			longline[4 + n] = '\n';
			longline[5 + n] = '\0';
			text = longline;
		}
		len = cases[i].len ? cases[i].len : strlen(text);
		mc_buf_init(&b, 4096);
		memset(err, 'E', sizeof err);
		st = mc_ini_parse(text, len, cases[i].section, collect_cb, &b, err, sizeof err);
		if (st != cases[i].want)
			fail_msg("%s: status %d (%s)", cases[i].name, (int)st, err);
		if (st == MC_OK && strcmp(mc_buf_cstr(&b), cases[i].entries) != 0)
			fail_msg("%s: entries \"%s\", want \"%s\"", cases[i].name, mc_buf_cstr(&b),
			         cases[i].entries);
		if (st != MC_OK && strcmp(err, cases[i].entries) != 0)
			fail_msg("%s: error \"%s\", want \"%s\"", cases[i].name, err,
			         cases[i].entries);
		if (st == MC_OK && err[0] != '\0')
			fail_msg("%s: err not cleared", cases[i].name);
		mc_buf_free(&b);
	}
}

/* ---- --extra-opts ---- */

static const char ini_text[] = "# test\n"
                               "[check_smtp_tls]\n"
                               "port=465\n"
                               "verbose\n"
                               "[other]\n"
                               "hostname = mail.example.org\n"
                               "warning = \"10:20\"\n"
                               "[nested]\n"
                               "extra-opts=other\n"
                               "[bare]\n"
                               "cert-name\n"
                               "[empty]\n"
                               "cert-name=\n"
                               "verbose\n";

/* The options the expansion checks bare keys against. */
static const mc_opt_t xo_opts[] = {
    {"cert-name", 1001, required_argument, "NAME", "A name."},
    {"verbose", 'v', no_argument, NULL, "More."},
    {"dane", 1002, optional_argument, "require", "DANE."},
    {NULL, 0, 0, NULL, NULL},
};

typedef struct xo_fixture {
	char dir[64];
	char file[96]; /* dir/opts.ini */
	char big[96];  /* dir/big.ini, over 64 KiB */
	char pdir[96]; /* dir/p, holding plugins.ini */
	char pfile[128];
	char empty[96]; /* dir/empty, no ini file */
} xo_fixture_t;

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static int xo_setup(void **state)
{
	xo_fixture_t *fx = calloc(1, sizeof *fx);
	char *big;

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/test_nagios.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->file, sizeof fx->file, "%s/opts.ini", fx->dir);
	snprintf(fx->big, sizeof fx->big, "%s/big.ini", fx->dir);
	snprintf(fx->pdir, sizeof fx->pdir, "%s/p", fx->dir);
	snprintf(fx->pfile, sizeof fx->pfile, "%s/plugins.ini", fx->pdir);
	snprintf(fx->empty, sizeof fx->empty, "%s/empty", fx->dir);
	if (mkdir(fx->pdir, 0700) != 0 || mkdir(fx->empty, 0700) != 0)
		return -1;
	write_file(fx->file, ini_text, strlen(ini_text));
	write_file(fx->pfile, ini_text, strlen(ini_text));
	big = malloc(70000);
	if (!big)
		return -1;
	memset(big, '#', 70000);
	memcpy(big, "[check_smtp_tls]\nport=1\n", 24);
	write_file(fx->big, big, 70000);
	free(big);
	*state = fx;
	return 0;
}

static int xo_teardown(void **state)
{
	xo_fixture_t *fx = *state;

	unlink(fx->file);
	unlink(fx->big);
	unlink(fx->pfile);
	rmdir(fx->pdir);
	rmdir(fx->empty);
	rmdir(fx->dir);
	free(fx);
	unsetenv("NAGIOS_CONFIG_PATH");
	return 0;
}

/* Replace {F} (opts.ini), {B} (big.ini), {P} (the plugins.ini dir), {E}
 * (an empty dir) and {D} (the temp dir) in s. */
static void subst(const xo_fixture_t *fx, const char *s, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *s && o + 1 < outsz; s++) {
		const char *r = NULL;
		if (s[0] == '{' && s[1] && s[2] == '}') {
			switch (s[1]) {
			case 'F': r = fx->file; break;
			case 'B': r = fx->big; break;
			case 'P': r = fx->pdir; break;
			case 'E': r = fx->empty; break;
			case 'D': r = fx->dir; break;
			}
		}
		if (r) {
			int n = snprintf(out + o, outsz - o, "%s", r);
			assert_true(n > 0 && (size_t)n < outsz - o);
			o += (size_t)n;
			s += 2;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
}

static const struct {
	const char *name;
	const char *env; /* NAGIOS_CONFIG_PATH, NULL: unset */
	const char *argv[8];
	mc_status_t want;
	const char *out; /* new argv joined by ' ', or the error text */
} xo_cases[] = {
    {"no --extra-opts: a copy", NULL, {"check_smtp_tls", "-H", "h"}, MC_OK, "check_smtp_tls -H h"},
    {"section@file",
     NULL,
     {"check_smtp_tls", "-H", "h", "--extra-opts=other@{F}"},
     MC_OK,
     "check_smtp_tls --hostname=mail.example.org --warning=10:20 -H h"},
    {"@file uses the plugin name as section",
     NULL,
     {"check_smtp_tls", "--extra-opts=@{F}", "-v"},
     MC_OK,
     "check_smtp_tls --port=465 --verbose -v"},
    {"no argument searches NAGIOS_CONFIG_PATH",
     "/nonexistent:{P}",
     {"check_smtp_tls", "--extra-opts", "-t", "5"},
     MC_OK,
     "check_smtp_tls --port=465 --verbose -t 5"},
    {"empty argument searches too",
     "{P}",
     {"check_smtp_tls", "--extra-opts="},
     MC_OK,
     "check_smtp_tls --port=465 --verbose"},
    {"section only searches the path",
     "{E}:{P}",
     {"check_smtp_tls", "--extra-opts=other"},
     MC_OK,
     "check_smtp_tls --hostname=mail.example.org --warning=10:20"},
    {"value as the next argument",
     NULL,
     {"check_smtp_tls", "--extra-opts", "other@{F}", "-4"},
     MC_OK,
     "check_smtp_tls --hostname=mail.example.org --warning=10:20 -4"},
    {"two --extra-opts in order",
     NULL,
     {"check_smtp_tls", "--extra-opts=other@{F}", "-H", "x", "--extra-opts=@{F}"},
     MC_OK,
     "check_smtp_tls --hostname=mail.example.org --warning=10:20 --port=465 --verbose -H x"},
    {"nothing after --",
     NULL,
     {"check_smtp_tls", "--", "--extra-opts=@{F}"},
     MC_OK,
     "check_smtp_tls -- --extra-opts=@{F}"},
    {"a longer option name is not --extra-opts",
     NULL,
     {"check_smtp_tls", "--extra-optsx"},
     MC_OK,
     "check_smtp_tls --extra-optsx"},
    {"missing section",
     NULL,
     {"check_smtp_tls", "--extra-opts=nope@{F}"},
     MC_E_USAGE,
     "{F}: section [nope] not found"},
    {"missing file",
     NULL,
     {"check_smtp_tls", "--extra-opts=@{D}/none.ini"},
     MC_E_USAGE,
     "{D}/none.ini: no such file"},
    {"a directory is not a file",
     NULL,
     {"check_smtp_tls", "--extra-opts=@{D}"},
     MC_E_USAGE,
     "{D}: not a regular file"},
    {"file over 64 KiB",
     NULL,
     {"check_smtp_tls", "--extra-opts=@{B}"},
     MC_E_USAGE,
     "{B}: larger than 65536 bytes"},
    {"nested extra-opts refused",
     NULL,
     {"check_smtp_tls", "--extra-opts=nested@{F}"},
     MC_E_USAGE,
     "{F}: line 9: option 'extra-opts' rejected (usage error)"},
    /* "--cert-name" alone would take the next argument ("-H") as its value */
    {"a key without the value its option needs",
     NULL,
     {"check_smtp_tls", "--extra-opts=bare@{F}", "-H", "h"},
     MC_E_USAGE,
     "{F}: option 'cert-name' needs a value (cert-name=VALUE)"},
    /* an empty value is the option's to judge: --cert-name refuses it */
    {"an empty value is passed on as one",
     NULL,
     {"check_smtp_tls", "--extra-opts=empty@{F}", "-H", "h"},
     MC_OK,
     "check_smtp_tls --cert-name= --verbose -H h"},
};

static void test_extraopts(void **state)
{
	const xo_fixture_t *fx = *state;
	size_t i, j;

	for (i = 0; i < N(xo_cases); i++) {
		char args[8][256], want[512], err[256];
		char *argv[9];
		int argc = 0, nargc = -1;
		char **nargv = NULL;
		mc_buf_t joined;
		mc_status_t st;

		for (j = 0; xo_cases[i].argv[j]; j++) {
			subst(fx, xo_cases[i].argv[j], args[j], sizeof args[j]);
			argv[argc++] = args[j];
		}
		argv[argc] = NULL;
		subst(fx, xo_cases[i].out, want, sizeof want);
		if (xo_cases[i].env) {
			char env[256];
			subst(fx, xo_cases[i].env, env, sizeof env);
			setenv("NAGIOS_CONFIG_PATH", env, 1);
		} else {
			unsetenv("NAGIOS_CONFIG_PATH");
		}
		st = mc_extraopts_expand(argc, argv, "check_smtp_tls", xo_opts, &nargc, &nargv, err,
		                         sizeof err);
		if (st != xo_cases[i].want)
			fail_msg("%s: status %d (%s)", xo_cases[i].name, (int)st, err);
		if (st != MC_OK) {
			if (strcmp(err, want) != 0)
				fail_msg("%s: error \"%s\", want \"%s\"", xo_cases[i].name, err,
				         want);
			continue;
		}
		mc_buf_init(&joined, 4096);
		for (j = 0; j < (size_t)nargc; j++)
			mc_buf_printf(&joined, "%s%s", j ? " " : "", nargv[j]);
		if (nargv[nargc] != NULL)
			fail_msg("%s: not NULL-terminated", xo_cases[i].name);
		if (strcmp(mc_buf_cstr(&joined), want) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", xo_cases[i].name, mc_buf_cstr(&joined),
			         want);
		mc_buf_free(&joined);
		mc_extraopts_free(nargc, nargv);
	}
}

/* Without NAGIOS_CONFIG_PATH only the fixed paths are searched. */
static void test_extraopts_no_file(void **state)
{
	static const char *const paths[] = {
	    "/etc/nagios/plugins.ini",           "/usr/local/nagios/etc/plugins.ini",
	    "/usr/local/etc/nagios/plugins.ini", "/etc/opt/nagios/plugins.ini",
	    "/etc/nagios-plugins.ini",           "/usr/local/etc/nagios-plugins.ini",
	    "/etc/opt/nagios-plugins.ini",
	};
	char *argv[] = {"check_smtp_tls", "--extra-opts", NULL};
	char **nargv = NULL, err[256];
	int nargc = -1;
	size_t i;

	(void)state;
	for (i = 0; i < N(paths); i++)
		if (access(paths[i], F_OK) == 0)
			skip();
	unsetenv("NAGIOS_CONFIG_PATH");
	assert_int_equal(
	    mc_extraopts_expand(2, argv, "check_smtp_tls", NULL, &nargc, &nargv, err, sizeof err),
	    MC_E_USAGE);
	assert_string_equal(err, "no plugins.ini found (set NAGIOS_CONFIG_PATH or use @FILE)");
	assert_null(nargv);
	assert_int_equal(nargc, 0);
	/* argc 0 gives an empty, NULL-terminated array */
	assert_int_equal(mc_extraopts_expand(0, argv, "x", NULL, &nargc, &nargv, err, sizeof err),
	                 MC_OK);
	assert_int_equal(nargc, 0);
	assert_null(nargv[0]);
	mc_extraopts_free(nargc, nargv);
	mc_extraopts_free(0, NULL);
}

/* -D WARN[,CRIT]: "below N" bounds, echoed as "N:" ranges. */
static void test_thresholds_below(void **state)
{
	static const struct {
		const char *name, *in, *dflt;
		mc_status_t want;
		const char *warn, *crit;
		double value;
		mc_state_t st;
	} cases[] = {
	    {"both given", "14,3", "3", MC_OK, "14:", "3:", 10, MC_STATE_WARNING},
	    {"crit from default", "30", "3", MC_OK, "30:", "3:", 2.5, MC_STATE_CRITICAL},
	    {"fractional", "1.5,0.5", "3", MC_OK, "1.5:", "0.5:", 1.0, MC_STATE_WARNING},
	    {"at the bound is fine", "14,3", "3", MC_OK, "14:", "3:", 14, MC_STATE_OK},
	    {"negative days alert", "14,3", "3", MC_OK, "14:", "3:", -2, MC_STATE_CRITICAL},
	    {"letters", "abc", "3", MC_E_USAGE, NULL, NULL, 0, 0},
	    {"empty crit", "14,", "3", MC_E_USAGE, NULL, NULL, 0, 0},
	    {"empty warn", ",3", "3", MC_E_USAGE, NULL, NULL, 0, 0},
	    {"negative", "-1,3", "3", MC_E_USAGE, NULL, NULL, 0, 0},
	    {"exponent", "1e3", "3", MC_E_USAGE, NULL, NULL, 0, 0},
	    {"three fields", "14,3,2", "3", MC_E_USAGE, NULL, NULL, 0, 0},
	    {"empty", "", "3", MC_E_USAGE, NULL, NULL, 0, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_thresholds_t t;
		mc_status_t st = mc_thresholds_parse_below(cases[i].in, cases[i].dflt, &t);
		print_message("case: %s\n", cases[i].name);
		assert_int_equal(st, cases[i].want);
		if (st != MC_OK)
			continue;
		assert_string_equal(t.warn.text, cases[i].warn);
		assert_string_equal(t.crit.text, cases[i].crit);
		assert_int_equal(mc_thresholds_check(&t, cases[i].value), cases[i].st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_state_names_and_parse),
	    cmocka_unit_test(test_state_worst),
	    cmocka_unit_test(test_state_from_status),
	    cmocka_unit_test(test_range_parse),
	    cmocka_unit_test(test_range_alert),
	    cmocka_unit_test(test_thresholds_check),
	    cmocka_unit_test(test_perf_number),
	    cmocka_unit_test(test_perf_label_sanitize),
	    cmocka_unit_test(test_perf_format),
	    cmocka_unit_test(test_perf_format_limits),
	    cmocka_unit_test(test_result_tree_classic),
	    cmocka_unit_test(test_result_misc),
	    cmocka_unit_test(test_result_perf_mm_many),
	    cmocka_unit_test(test_classic_cap_lines),
	    cmocka_unit_test(test_classic_cap_perf),
	    cmocka_unit_test(test_classic_cap_summary),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_result_oom),
	    cmocka_unit_test(test_timeout_parse),
	    cmocka_unit_test(test_output_format_parse),
	    cmocka_unit_test(test_usage_error_and_version),
	    cmocka_unit_test(test_opts_help_exact),
	    cmocka_unit_test(test_opts_help_width),
	    cmocka_unit_test(test_opts_tables),
	    cmocka_unit_test(test_ini_parse),
	    cmocka_unit_test_setup_teardown(test_extraopts, xo_setup, xo_teardown),
	    cmocka_unit_test(test_extraopts_no_file),
	    cmocka_unit_test(test_thresholds_below),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
