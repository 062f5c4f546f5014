/* Unit tests for nagios/mc_range: the range syntax, alerts, warning and
 * critical thresholds, and the "below N" bounds of -D. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nagios/mc_range.h"
#include "nagios/mc_state.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

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
	    cmocka_unit_test(test_range_parse),
	    cmocka_unit_test(test_range_alert),
	    cmocka_unit_test(test_thresholds_check),
	    cmocka_unit_test(test_thresholds_below),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
