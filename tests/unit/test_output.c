/* Unit tests for the writers of nagios/mc_result: the classic output's 4 KiB
 * cap (lines, perfdata, summary) and the JSON output. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture.h"
#include "nagios/mc_range.h"
#include "nagios/mc_result.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

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

/* A value that is not finite is null in JSON (U in classic perfdata). */
static void test_json_not_finite(void **state)
{
	mc_result_t *root = mc_result_new("X");
	capture_t cap;
	const char *out;

	(void)state;
	assert_int_equal(mc_result_perf(root, "t", NAN, "s", NULL), MC_OK);
	cap_open(&cap);
	assert_int_equal(mc_result_print(root, MC_OUTPUT_JSON, cap.f), 0);
	out = cap_close(&cap);
	assert_string_equal(out,
	                    "{\"label\":\"X\",\"state\":\"OK\",\"exit_code\":0,"
	                    "\"summary\":\"\",\"subchecks\":[],"
	                    "\"perfdata\":[{\"label\":\"t\",\"value\":null,\"uom\":\"s\"}]}\n");
	free(cap.buf);
	mc_result_free(root);
	/* a NULL root (mc_result_new failed) is still one valid object */
	cap_open(&cap);
	assert_int_equal(mc_result_print(NULL, MC_OUTPUT_JSON, cap.f), 3);
	out = cap_close(&cap);
	assert_string_equal(out, "{\"label\":\"\",\"state\":\"UNKNOWN\",\"exit_code\":3,"
	                         "\"summary\":\"out of memory while building the result\","
	                         "\"subchecks\":[],\"perfdata\":[]}\n");
	free(cap.buf);
}

/* Over 1 MiB of subcheck text: JSON is not cut but replaced by the root
 * alone, saying why; classic stops storing lines and counts the rest. */
static void test_huge_tree(void **state)
{
	mc_result_t *root = mc_result_new("BIG");
	char text[4001];
	capture_t cap;
	const char *out;
	int i;

	(void)state;
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	for (i = 0; i < 300; i++)
		assert_non_null(mc_result_add(root, MC_STATE_WARNING, "%d %s", i, text));
	cap_open(&cap);
	assert_int_equal(mc_result_print(root, MC_OUTPUT_JSON, cap.f), 1);
	out = cap_close(&cap);
	assert_string_equal(out, "{\"label\":\"BIG\",\"state\":\"WARNING\",\"exit_code\":1,"
	                         "\"summary\":\"result too large for JSON output\","
	                         "\"subchecks\":[],\"perfdata\":[]}\n");
	free(cap.buf);
	cap_open(&cap);
	assert_int_equal(mc_result_print(root, MC_OUTPUT_CLASSIC, cap.f), 1);
	out = cap_close(&cap);
	assert_true(strlen(out) <= 4096);
	/* the summary (4 KiB of text) fills the first line: no subcheck fits */
	assert_non_null(strstr(out, "\n[...] 300 more lines\n"));
	assert_true(strncmp(out, "BIG WARNING - 0 xxx", 19) == 0);
	free(cap.buf);
	mc_result_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classic_cap_lines),   cmocka_unit_test(test_classic_cap_perf),
	    cmocka_unit_test(test_classic_cap_summary), cmocka_unit_test(test_json),
	    cmocka_unit_test(test_json_not_finite),     cmocka_unit_test(test_huge_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
