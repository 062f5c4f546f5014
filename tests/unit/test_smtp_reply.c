/* Unit tests: the strict SMTP reply parser and EHLO keyword matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/mc_smtp_reply.h"

typedef struct {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	mc_status_t want;
	int code;
	size_t nlines;
	size_t consumed;
	const char *text; /* joined text, or NULL to skip */
	const char *err;  /* substring of the error, or NULL */
} reply_case_t;

static const reply_case_t reply_cases[] = {
    {"single line banner", "220 mail.test ESMTP\r\n", 0, MC_OK, 220, 1, 21, "mail.test ESMTP",
     NULL},
    {"code alone", "250\r\n", 0, MC_OK, 250, 1, 5, "", NULL},
    {"bare LF accepted", "250 ok\n", 0, MC_OK, 250, 1, 7, "ok", NULL},
    {"multi-line EHLO", "250-mail.test\r\n250-STARTTLS\r\n250 8BITMIME\r\n", 0, MC_OK, 250, 3, 43,
     "mail.test\nSTARTTLS\n8BITMIME", NULL},
    {"only the first reply is consumed", "220 a\r\n250 b\r\n", 0, MC_OK, 220, 1, 7, "a", NULL},
    {"tab in text allowed", "220 a\tb\r\n", 0, MC_OK, 220, 1, 9, "a\tb", NULL},
    {"UTF-8 text allowed", "220 \xc3\xa9t\xc3\xa9\r\n", 0, MC_OK, 220, 1, 11, NULL, NULL},
    {"incomplete line waits", "220 mail.te", 0, MC_E_AGAIN, 0, 0, 0, NULL, NULL},
    {"incomplete multi-line waits", "250-a\r\n250-b\r\n", 0, MC_E_AGAIN, 0, 0, 0, NULL, NULL},
    {"empty input waits", "", 0, MC_E_AGAIN, 0, 0, 0, NULL, NULL},
    {"letter in code", "22x bogus\r\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, "malformed"},
    {"first digit 1", "120 hello\r\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, "malformed"},
    {"first digit 6", "620 hello\r\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, "malformed"},
    {"second digit 6", "260 hello\r\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, "malformed"},
    {"two digits", "22\r\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, "malformed"},
    {"bad separator", "220_hello\r\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, "malformed"},
    {"empty line", "\r\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, "malformed"},
    {"codes disagree", "220-first\r\n250 second\r\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, "disagree"},
    {"NUL byte", "220 mail\0.test\r\n", 16, MC_E_PROTOCOL, 0, 0, 0, NULL, "control byte 0x00"},
    {"escape byte", "220 \x1b[31m\r\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, "control byte 0x1b"},
    {"stray CR inside", "220 a\rb\r\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, "control byte 0x0d"},
};

static void test_reply_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(reply_cases) / sizeof(reply_cases[0]); i++) {
		const reply_case_t *c = &reply_cases[i];
		mc_smtp_reply_t r;
		size_t used = 0, len = c->len ? c->len : strlen(c->in);
		char err[256] = "";
		mc_status_t st;

		mc_smtp_reply_init(&r);
		st = mc_smtp_reply_parse(c->in, len, &r, &used, err, sizeof(err));
		print_message("case: %s\n", c->name);
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			assert_int_equal(r.code, c->code);
			assert_int_equal(r.nlines, c->nlines);
			assert_int_equal(used, c->consumed);
			if (c->text)
				assert_string_equal(mc_buf_cstr(&r.text), c->text);
		}
		if (c->err)
			assert_non_null(strstr(err, c->err));
		mc_smtp_reply_free(&r);
	}
}

/* Lines of exactly the limit pass; one byte more fails, complete or not. */
static void test_line_limits(void **state)
{
	size_t n = MC_SMTP_LINE_MAX + 8;
	char *buf = malloc(n + 4);
	mc_smtp_reply_t r;
	size_t used;
	char err[256];

	(void)state;
	assert_non_null(buf);
	mc_smtp_reply_init(&r);
	memset(buf, 'a', n);
	memcpy(buf, "220 ", 4);
	/* 2048 bytes of line, then CRLF: accepted. */
	memcpy(buf + MC_SMTP_LINE_MAX, "\r\n", 2);
	assert_int_equal(
	    mc_smtp_reply_parse(buf, MC_SMTP_LINE_MAX + 2, &r, &used, err, sizeof(err)), MC_OK);
	/* 2049 bytes of line: refused. */
	memset(buf, 'a', n);
	memcpy(buf, "220 ", 4);
	memcpy(buf + MC_SMTP_LINE_MAX + 1, "\r\n", 2);
	assert_int_equal(
	    mc_smtp_reply_parse(buf, MC_SMTP_LINE_MAX + 3, &r, &used, err, sizeof(err)),
	    MC_E_PROTOCOL);
	assert_non_null(strstr(err, "too long"));
	/* An endless line fails as soon as the limit is passed, without CRLF. */
	memset(buf, 'a', n);
	memcpy(buf, "220-", 4);
	assert_int_equal(
	    mc_smtp_reply_parse(buf, MC_SMTP_LINE_MAX + 2, &r, &used, err, sizeof(err)),
	    MC_E_PROTOCOL);
	assert_int_equal(mc_smtp_reply_parse(buf, MC_SMTP_LINE_MAX, &r, &used, err, sizeof(err)),
	                 MC_E_AGAIN);
	mc_smtp_reply_free(&r);
	free(buf);
}

/* A reply over 64 KiB fails even when each line is short. */
static void test_reply_limit(void **state)
{
	const char *line = "250-"
	                   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	                   "xxxxxxxxxxxxxxxxxxxxxxxxx\r\n";
	size_t ll = strlen(line), n = 0, cap = MC_SMTP_REPLY_MAX + 2 * ll, used;
	char *buf = malloc(cap);
	mc_smtp_reply_t r;
	char err[256];

	(void)state;
	assert_non_null(buf);
	while (n + ll <= cap) {
		memcpy(buf + n, line, ll);
		n += ll;
	}
	mc_smtp_reply_init(&r);
	assert_int_equal(mc_smtp_reply_parse(buf, n, &r, &used, err, sizeof(err)), MC_E_PROTOCOL);
	assert_non_null(strstr(err, "too large"));
	mc_smtp_reply_free(&r);
	free(buf);
}

typedef struct {
	const char *name;
	const char *reply;
	const char *keyword;
	int want;
	const char *params;
} ehlo_case_t;

static const ehlo_case_t ehlo_cases[] = {
    {"keyword present", "250-mail.test\r\n250-STARTTLS\r\n250 SIZE 1000\r\n", "STARTTLS", 1, ""},
    {"case-insensitive", "250-mail.test\r\n250 starttls\r\n", "STARTTLS", 1, ""},
    {"params returned", "250-mail.test\r\n250 SIZE 10240000\r\n", "SIZE", 1, "10240000"},
    {"greeting line is not a keyword", "250 STARTTLS\r\n", "STARTTLS", 0, NULL},
    {"prefix is not a match", "250-mail.test\r\n250 STARTTLSX\r\n", "STARTTLS", 0, NULL},
    {"word inside a line is not a match", "250-mail.test\r\n250 X-FOO STARTTLS\r\n", "STARTTLS", 0,
     NULL},
    {"absent", "250-mail.test\r\n250 8BITMIME\r\n", "STARTTLS", 0, NULL},
};

static void test_ehlo_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ehlo_cases) / sizeof(ehlo_cases[0]); i++) {
		const ehlo_case_t *c = &ehlo_cases[i];
		mc_smtp_reply_t r;
		size_t used;
		char err[128], params[64];

		print_message("case: %s\n", c->name);
		mc_smtp_reply_init(&r);
		assert_int_equal(
		    mc_smtp_reply_parse(c->reply, strlen(c->reply), &r, &used, err, sizeof(err)),
		    MC_OK);
		assert_int_equal(mc_smtp_ehlo_has(&r, c->keyword, params, sizeof(params)), c->want);
		if (c->want)
			assert_string_equal(params, c->params);
		mc_smtp_reply_free(&r);
	}
}

static void test_ehlo_keywords_and_first(void **state)
{
	const char *in =
	    "250-mail.test says hi\r\n250-PIPELINING\r\n250-SIZE 100\r\n250 STARTTLS\r\n";
	mc_smtp_reply_t r;
	size_t used;
	char err[128], out[128];

	(void)state;
	mc_smtp_reply_init(&r);
	assert_int_equal(mc_smtp_reply_parse(in, strlen(in), &r, &used, err, sizeof(err)), MC_OK);
	mc_smtp_ehlo_keywords(&r, out, sizeof(out));
	assert_string_equal(out, "PIPELINING SIZE STARTTLS");
	mc_smtp_reply_first(&r, out, sizeof(out));
	assert_string_equal(out, "250 mail.test says hi");
	mc_smtp_reply_free(&r);
}

/* The first line is sanitized for output: '|' cannot break perfdata. */
static void test_first_sanitized(void **state)
{
	const char *in = "554 no | go \xff\r\n";
	mc_smtp_reply_t r;
	size_t used;
	char err[128], out[64];

	(void)state;
	mc_smtp_reply_init(&r);
	assert_int_equal(mc_smtp_reply_parse(in, strlen(in), &r, &used, err, sizeof(err)), MC_OK);
	mc_smtp_reply_first(&r, out, sizeof(out));
	assert_string_equal(out, "554 no / go ?");
	mc_smtp_reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reply_table),
	    cmocka_unit_test(test_line_limits),
	    cmocka_unit_test(test_reply_limit),
	    cmocka_unit_test(test_ehlo_table),
	    cmocka_unit_test(test_ehlo_keywords_and_first),
	    cmocka_unit_test(test_first_sanitized),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
