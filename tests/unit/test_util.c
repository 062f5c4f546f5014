/* Unit tests for common/util: number parsing, bounded buffers, sanitizing,
 * and errno text. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/mc_buf.h"
#include "util/mc_str.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- mc_parse_long ---- */

static const struct {
	const char *name;
	const char *in;
	long min, max;
	mc_status_t want;
	long value;
} parse_long_cases[] = {
    {"zero", "0", 0, 100, MC_OK, 0},
    {"plain", "42", 0, 100, MC_OK, 42},
    {"leading zeros", "007", 0, 100, MC_OK, 7},
    {"negative", "-42", -100, 100, MC_OK, -42},
    {"at max", "100", 0, 100, MC_OK, 100},
    {"above max", "101", 0, 100, MC_E_USAGE, 0},
    {"at min", "-100", -100, 100, MC_OK, -100},
    {"below min", "-101", -100, 100, MC_E_USAGE, 0},
    {"negative when min is 0", "-1", 0, 100, MC_E_USAGE, 0},
    {"negative range", "-5", -10, -1, MC_OK, -5},
    {"positive outside negative range", "5", -10, -1, MC_E_USAGE, 0},
    {"zero outside negative range", "0", -10, -1, MC_E_USAGE, 0},
    {"LONG_MAX", "9223372036854775807", LONG_MIN, LONG_MAX, MC_OK, LONG_MAX},
    {"LONG_MAX + 1 overflows", "9223372036854775808", LONG_MIN, LONG_MAX, MC_E_USAGE, 0},
    {"far overflow", "99999999999999999999999", LONG_MIN, LONG_MAX, MC_E_USAGE, 0},
    {"LONG_MIN", "-9223372036854775808", LONG_MIN, LONG_MAX, MC_OK, LONG_MIN},
    {"LONG_MIN - 1 overflows", "-9223372036854775809", LONG_MIN, LONG_MAX, MC_E_USAGE, 0},
    {"negative with min LONG_MAX", "-1", LONG_MAX, LONG_MAX, MC_E_USAGE, 0},
    {"empty", "", 0, 100, MC_E_USAGE, 0},
    {"lone minus", "-", -100, 100, MC_E_USAGE, 0},
    {"plus sign", "+1", 0, 100, MC_E_USAGE, 0},
    {"leading space", " 1", 0, 100, MC_E_USAGE, 0},
    {"trailing space", "1 ", 0, 100, MC_E_USAGE, 0},
    {"trailing garbage", "12a", 0, 100, MC_E_USAGE, 0},
    {"hex", "0x10", 0, 100, MC_E_USAGE, 0},
    {"fraction", "1.5", 0, 100, MC_E_USAGE, 0},
    {"double minus", "--1", -100, 100, MC_E_USAGE, 0},
    {"newline", "1\n", 0, 100, MC_E_USAGE, 0},
};

static void test_parse_long(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(parse_long_cases); i++) {
		long v = 12345;
		mc_status_t st = mc_parse_long(parse_long_cases[i].in, parse_long_cases[i].min,
		                               parse_long_cases[i].max, &v);
		if (st != parse_long_cases[i].want)
			fail_msg("%s: status %d, want %d", parse_long_cases[i].name, (int)st,
			         (int)parse_long_cases[i].want);
		if (st == MC_OK && v != parse_long_cases[i].value)
			fail_msg("%s: value %ld, want %ld", parse_long_cases[i].name, v,
			         parse_long_cases[i].value);
		if (st != MC_OK && v != 12345)
			fail_msg("%s: output written on failure", parse_long_cases[i].name);
	}
	assert_int_equal(mc_parse_long(NULL, 0, 1, &(long){0}), MC_E_USAGE);
}

/* ---- mc_parse_double ---- */

static const struct {
	const char *name;
	const char *in;
	double min, max;
	mc_status_t want;
	double value;
} parse_double_cases[] = {
    {"integer", "2", 0, 100, MC_OK, 2},
    {"fraction", "0.041", 0, 100, MC_OK, 0.041},
    {"negative", "-3.5", -10, 10, MC_OK, -3.5},
    {"plus sign", "+1.5", -10, 10, MC_OK, 1.5},
    {"no integer part", ".5", 0, 10, MC_OK, 0.5},
    {"no fraction digits", "5.", 0, 10, MC_OK, 5},
    {"at max", "10", 0, 10, MC_OK, 10},
    {"above max", "10.000001", 0, 10, MC_E_USAGE, 0},
    {"below min", "-0.5", 0, 10, MC_E_USAGE, 0},
    {"large", "123456789.5", 0, 1e12, MC_OK, 123456789.5},
    {"exponent", "1e3", 0, 1e6, MC_E_USAGE, 0},
    {"capital exponent", "1E3", 0, 1e6, MC_E_USAGE, 0},
    {"inf", "inf", 0, 1e6, MC_E_USAGE, 0},
    {"nan", "nan", 0, 1e6, MC_E_USAGE, 0},
    {"hex", "0x10", 0, 1e6, MC_E_USAGE, 0},
    {"empty", "", 0, 10, MC_E_USAGE, 0},
    {"lone minus", "-", -10, 10, MC_E_USAGE, 0},
    {"lone dot", ".", 0, 10, MC_E_USAGE, 0},
    {"two dots", "1.2.3", 0, 10, MC_E_USAGE, 0},
    {"comma decimal", "1,5", 0, 10, MC_E_USAGE, 0},
    {"leading space", " 1", 0, 10, MC_E_USAGE, 0},
    {"trailing space", "1 ", 0, 10, MC_E_USAGE, 0},
    {"31 digits", "1234567890123456789012345678901", 0, 1e40, MC_E_USAGE, 0},
};

static void test_parse_double(void **state)
{
	size_t i;
	double v;

	(void)state;
	for (i = 0; i < N(parse_double_cases); i++) {
		mc_status_t st;

		v = -777;
		st = mc_parse_double(parse_double_cases[i].in, parse_double_cases[i].min,
		                     parse_double_cases[i].max, &v);
		if (st != parse_double_cases[i].want)
			fail_msg("%s: status %d, want %d", parse_double_cases[i].name, (int)st,
			         (int)parse_double_cases[i].want);
		if (st == MC_OK && fabs(v - parse_double_cases[i].value) >
		                       1e-12 * fabs(parse_double_cases[i].value))
			fail_msg("%s: value %.17g, want %.17g", parse_double_cases[i].name, v,
			         parse_double_cases[i].value);
		if (st != MC_OK && v != -777)
			fail_msg("%s: output written on failure", parse_double_cases[i].name);
	}
	/* Up to 15 digits the result is the correctly rounded double, the
	 * same as the compiler's for the literal. */
	{
		static const struct {
			const char *in;
			double want;
		} exact[] = {
		    {"1.75", 1.75},
		    {"0.3", 0.3},
		    {"0.1", 0.1},
		    {"0.041", 0.041},
		    {"2.675", 2.675},
		    {"-0.7", -0.7},
		    {"123456789.5", 123456789.5},
		    {"0.000001", 0.000001},
		    {"999999999999999", 999999999999999.0},
		    {"12345.6789012345", 12345.6789012345},
		};
		for (i = 0; i < N(exact); i++) {
			assert_int_equal(mc_parse_double(exact[i].in, -1e20, 1e20, &v), MC_OK);
			if (v != exact[i].want)
				fail_msg("exact %s: %.17g", exact[i].in, v);
		}
	}
	/* the _n variant reads only n bytes */
	assert_int_equal(mc_parse_double_n("12abc", 2, 0, 100, &v), MC_OK);
	assert_true(v == 12);
	assert_int_equal(mc_parse_double_n("12abc", 3, 0, 100, &v), MC_E_USAGE);
	assert_int_equal(mc_parse_double_n("12", 0, 0, 100, &v), MC_E_USAGE);
	assert_int_equal(mc_parse_double(NULL, 0, 100, &v), MC_E_USAGE);
}

/* ---- mc_buf ---- */

typedef enum { OP_APPEND, OP_PRINTF, OP_CONSUME, OP_RESET } buf_op_t;

static const struct {
	const char *name;
	size_t max;
	struct {
		buf_op_t op;
		const char *arg; /* text, or for OP_CONSUME ignored */
		size_t n;        /* OP_CONSUME count */
		mc_status_t want;
	} ops[6];
	size_t nops;
	const char *want;
} buf_cases[] = {
    {"append within cap",
     8,
     {{OP_APPEND, "1234", 0, MC_OK}, {OP_APPEND, "5678", 0, MC_OK}},
     2,
     "12345678"},
    {"append beyond cap appends nothing",
     8,
     {{OP_APPEND, "1234", 0, MC_OK}, {OP_APPEND, "56789", 0, MC_E_LIMIT}},
     2,
     "1234"},
    {"full buffer refuses one byte but accepts none",
     4,
     {{OP_APPEND, "abcd", 0, MC_OK}, {OP_APPEND, "x", 0, MC_E_LIMIT}, {OP_APPEND, "", 0, MC_OK}},
     3,
     "abcd"},
    {"printf beyond cap is cut at the cap", 5, {{OP_PRINTF, "abcdefg", 0, MC_E_LIMIT}}, 1, "abcde"},
    {"printf after partial content",
     6,
     {{OP_APPEND, "ab", 0, MC_OK}, {OP_PRINTF, "cdefgh", 0, MC_E_LIMIT}},
     2,
     "abcdef"},
    {"printf within cap", 64, {{OP_PRINTF, "hello", 0, MC_OK}}, 1, "hello"},
    {"consume front",
     16,
     {{OP_APPEND, "hello world", 0, MC_OK}, {OP_CONSUME, NULL, 6, MC_OK}},
     2,
     "world"},
    {"consume more than held",
     16,
     {{OP_APPEND, "abc", 0, MC_OK}, {OP_CONSUME, NULL, 99, MC_OK}},
     2,
     ""},
    {"consume frees room under the cap",
     4,
     {{OP_APPEND, "abcd", 0, MC_OK}, {OP_CONSUME, NULL, 2, MC_OK}, {OP_APPEND, "ef", 0, MC_OK}},
     3,
     "cdef"},
    {"reset keeps the cap",
     4,
     {{OP_APPEND, "abcd", 0, MC_OK},
      {OP_RESET, NULL, 0, MC_OK},
      {OP_APPEND, "wxyz", 0, MC_OK},
      {OP_APPEND, "!", 0, MC_E_LIMIT}},
     4,
     "wxyz"},
    {"zero cap", 0, {{OP_APPEND, "a", 0, MC_E_LIMIT}}, 1, ""},
    {"nothing done", 8, {{OP_APPEND, "", 0, MC_OK}}, 0, ""},
};

static void test_buf(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < N(buf_cases); i++) {
		mc_buf_t b;

		mc_buf_init(&b, buf_cases[i].max);
		for (j = 0; j < buf_cases[i].nops; j++) {
			mc_status_t st = MC_OK;

			switch (buf_cases[i].ops[j].op) {
			case OP_APPEND: st = mc_buf_puts(&b, buf_cases[i].ops[j].arg); break;
			case OP_PRINTF:
				st = mc_buf_printf(&b, "%s", buf_cases[i].ops[j].arg);
				break;
			case OP_CONSUME: mc_buf_consume(&b, buf_cases[i].ops[j].n); break;
			case OP_RESET: mc_buf_reset(&b); break;
			}
			if (st != buf_cases[i].ops[j].want)
				fail_msg("%s: op %zu status %d, want %d", buf_cases[i].name, j,
				         (int)st, (int)buf_cases[i].ops[j].want);
			if (b.len > b.max)
				fail_msg("%s: len %zu above cap %zu", buf_cases[i].name, b.len,
				         b.max);
		}
		if (strcmp(mc_buf_cstr(&b), buf_cases[i].want) != 0)
			fail_msg("%s: content \"%s\", want \"%s\"", buf_cases[i].name,
			         mc_buf_cstr(&b), buf_cases[i].want);
		assert_int_equal(b.len, strlen(buf_cases[i].want));
		mc_buf_free(&b);
		assert_string_equal(mc_buf_cstr(&b), "");
	}
}

static void test_buf_binary_and_growth(void **state)
{
	mc_buf_t b;
	size_t i;

	(void)state;
	mc_buf_init(&b, 100000);
	for (i = 0; i < 10000; i++)
		assert_int_equal(mc_buf_append(&b, "0123456789", 10), MC_OK);
	assert_int_equal(b.len, 100000);
	assert_int_equal(mc_buf_append(&b, "x", 1), MC_E_LIMIT);
	assert_int_equal(b.data[b.len], '\0');
	mc_buf_reset(&b);
	assert_int_equal(mc_buf_append(&b, "a\0b", 3), MC_OK);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	mc_buf_free(&b);
}

/* ---- mc_str_sanitize, mc_strlcpy, mc_str_ieq_n ---- */

static const struct {
	const char *name;
	const char *in;
	size_t inlen;
	size_t dstsz;
	const char *want;
} sanitize_cases[] = {
    {"plain text unchanged", "mail.example.org:25", 19, 64, "mail.example.org:25"},
    {"pipe becomes slash", "a|b||c", 6, 64, "a/b//c"},
    {"tab is a control byte", "tab\there", 8, 64, "tab?here"},
    {"newline and CR", "l1\r\nl2", 6, 64, "l1??l2"},
    {"DEL", "x\x7fy", 3, 64, "x?y"},
    {"ESC sequence", "\x1b[31mred", 8, 64, "?[31mred"},
    {"non-ASCII bytes", "caf\xc3\xa9", 5, 64, "caf??"},
    {"NUL inside srclen", "a\0b", 3, 64, "a?b"},
    {"srclen shorter than string", "abcdef", 3, 64, "abc"},
    {"cut to dstsz-1", "abcdef", 6, 4, "abc"},
    {"dstsz 1 gives empty", "abc", 3, 1, ""},
    {"empty", "", 0, 8, ""},
};

static void test_sanitize(void **state)
{
	size_t i;
	char out[64];

	(void)state;
	for (i = 0; i < N(sanitize_cases); i++) {
		memset(out, 'Z', sizeof out);
		mc_str_sanitize(out, sanitize_cases[i].dstsz, sanitize_cases[i].in,
		                sanitize_cases[i].inlen);
		if (strcmp(out, sanitize_cases[i].want) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", sanitize_cases[i].name, out,
			         sanitize_cases[i].want);
	}
	/* dstsz 0 writes nothing */
	out[0] = 'Z';
	mc_str_sanitize(out, 0, "abc", 3);
	assert_int_equal(out[0], 'Z');
}

static void test_strlcpy_ieq(void **state)
{
	static const struct {
		const char *name;
		const char *src;
		size_t dstsz;
		const char *want;
		size_t ret;
	} cp[] = {
	    {"fits", "abc", 8, "abc", 3},
	    {"exact fit", "abc", 4, "abc", 3},
	    {"cut", "abcdef", 4, "abc", 6},
	    {"size 1", "abc", 1, "", 3},
	};
	static const struct {
		const char *name;
		const char *a, *b;
		size_t n;
		bool want;
	} ieq[] = {
	    {"same", "json", "json", 4, true},
	    {"case differs", "json", "JSON", 4, true},
	    {"different", "json", "jsox", 4, false},
	    {"prefix only", "classic", "class", 5, true},
	    {"non-letters are not folded", "a[", "A{", 2, false},
	};
	char out[8];
	size_t i;

	(void)state;
	for (i = 0; i < N(cp); i++) {
		size_t r = mc_strlcpy(out, cp[i].src, cp[i].dstsz);
		if (r != cp[i].ret || strcmp(out, cp[i].want) != 0)
			fail_msg("%s: \"%s\"/%zu", cp[i].name, out, r);
	}
	for (i = 0; i < N(ieq); i++)
		if (mc_str_ieq_n(ieq[i].a, ieq[i].b, ieq[i].n) != ieq[i].want)
			fail_msg("%s", ieq[i].name);
}

/* errno text reads as part of a sentence. */
static void test_errno_text(void **state)
{
	char buf[64];

	(void)state;
	mc_str_errno(ECONNREFUSED, buf, sizeof(buf));
	assert_string_equal(buf, "connection refused");
	mc_str_errno(ECONNRESET, buf, sizeof(buf));
	assert_string_equal(buf, "connection reset by peer");
	mc_str_errno(ETIMEDOUT, buf, 8);
	assert_string_equal(buf, "connect");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_long), cmocka_unit_test(test_parse_double),
	    cmocka_unit_test(test_buf),        cmocka_unit_test(test_buf_binary_and_growth),
	    cmocka_unit_test(test_sanitize),   cmocka_unit_test(test_strlcpy_ieq),
	    cmocka_unit_test(test_errno_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
