/* Unit tests for nagios/mc_result: building the tree, worst state, summary,
 * perfdata on nodes, out of memory while building (the classic output is
 * the readable way to show a tree; the writers' own limits are in
 * test_output.c). */
#define _GNU_SOURCE
#include <dlfcn.h>
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
#include "nagios/mc_state.h"

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

/* Pruning drops OK leaves without perfdata, keeps everything else, and
 * leaves the node ready for more children. */
static void test_result_prune_ok(void **state)
{
	mc_result_t *root = mc_result_new("P"), *kept;
	capture_t cap;
	const char *out;

	(void)state;
	mc_result_add(root, MC_STATE_OK, "dropped first");
	kept = mc_result_add(root, MC_STATE_OK, "has a child");
	mc_result_add(kept, MC_STATE_OK, "the child");
	mc_result_add(root, MC_STATE_WARNING, "warning");
	kept = mc_result_add(root, MC_STATE_OK, "has perfdata");
	assert_int_equal(mc_result_perf(kept, "n", 1, "", NULL), MC_OK);
	mc_result_add(root, MC_STATE_OK, "dropped last");
	mc_result_prune_ok(root);
	mc_result_add(root, MC_STATE_OK, "added after");
	cap_open(&cap);
	mc_result_print(root, MC_OUTPUT_CLASSIC, cap.f);
	out = cap_close(&cap);
	assert_string_equal(out, "P WARNING - warning | 'n'=1\n"
	                         "[OK] has a child\n"
	                         "  [OK] the child\n"
	                         "[WARNING] warning\n"
	                         "[OK] has perfdata\n"
	                         "[OK] added after\n");
	free(cap.buf);
	mc_result_free(root);
	/* all pruned: the next child is the first */
	root = mc_result_new("Q");
	mc_result_add(root, MC_STATE_OK, "gone");
	mc_result_prune_ok(root);
	mc_result_add(root, MC_STATE_CRITICAL, "only");
	cap_open(&cap);
	assert_int_equal(mc_result_print(root, MC_OUTPUT_CLASSIC, cap.f), 2);
	out = cap_close(&cap);
	assert_string_equal(out, "Q CRITICAL - only\n[CRITICAL] only\n");
	free(cap.buf);
	mc_result_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_result_tree_classic), cmocka_unit_test(test_result_misc),
	    cmocka_unit_test(test_result_perf_mm_many), cmocka_unit_test(test_result_oom),
	    cmocka_unit_test(test_result_prune_ok),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
