/* Unit tests: the POP3 reply parser, CAPA matching and STAT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/mc_pop3_reply.h"

typedef struct {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	bool multiline;
	mc_status_t want;
	bool ok, continuation;
	const char *first;
	const char *body; /* NULL: skip */
	size_t nlines;
	size_t consumed; /* 0: skip */
	const char *err; /* substring of the error, or NULL */
} reply_case_t;

static const reply_case_t reply_cases[] = {
    {"greeting", "+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n", 0, false, MC_OK, true,
     false, "POP3 ready <1896.697170952@dbc.mtview.ca.us>", "", 0, 50, NULL},
    {"-ERR", "-ERR no such message\r\n", 0, false, MC_OK, false, false, "no such message", "", 0,
     22, NULL},
    {"+OK alone", "+OK\r\n", 0, false, MC_OK, true, false, "", "", 0, 5, NULL},
    {"-ERR alone", "-ERR\r\n", 0, false, MC_OK, false, false, "", "", 0, 6, NULL},
    {"only one space is removed", "+OK  x\r\n", 0, false, MC_OK, true, false, " x", "", 0, 0, NULL},
    {"bare LF accepted", "+OK hi\n", 0, false, MC_OK, true, false, "hi", "", 0, 7, NULL},
    {"single-line consumes one line", "+OK a\r\n+OK b\r\n", 0, false, MC_OK, true, false, "a", "",
     0, 7, NULL},
    {"tab allowed", "+OK a\tb\r\n", 0, false, MC_OK, true, false, "a\tb", "", 0, 0, NULL},
    {"UTF-8 allowed", "+OK \xc3\xa9\r\n", 0, false, MC_OK, true, false, "\xc3\xa9", "", 0, 0, NULL},
    /* SASL continuation (RFC 5034 section 4) */
    {"continuation", "+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n", 0, false,
     MC_OK, true, true, "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", "", 0, 0, NULL},
    {"empty continuation", "+ \r\n", 0, false, MC_OK, true, true, "", "", 0, 4, NULL},
    {"lone plus", "+\r\n", 0, false, MC_OK, true, true, "", "", 0, 3, NULL},
    {"continuation is one line on a multi-line command", "+ abc\r\nx\r\n", 0, true, MC_OK, true,
     true, "abc", "", 0, 7, NULL},
    /* multi-line (RFC 1939 section 3) */
    {"CAPA", "+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL PLAIN LOGIN\r\nSTLS\r\n.\r\n", 0,
     true, MC_OK, true, false, "Capability list follows", "TOP\nUSER\nSASL PLAIN LOGIN\nSTLS", 4,
     67, NULL},
    {"LIST", "+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n", 0, true, MC_OK, true, false, "2 messages",
     "1 120\n2 200", 2, 0, NULL},
    {"empty body", "+OK\r\n.\r\n", 0, true, MC_OK, true, false, "", "", 0, 8, NULL},
    {"empty line in body", "+OK\r\n\r\n.\r\n", 0, true, MC_OK, true, false, "", "", 1, 10, NULL},
    {"dot-unstuffing", "+OK\r\n..x\r\n..\r\n...\r\n.\r\n", 0, true, MC_OK, true, false, "",
     ".x\n.\n..", 3, 0, NULL},
    {"unstuffed dot not doubled still stripped", "+OK\r\n.x\r\n.\r\n", 0, true, MC_OK, true, false,
     "", "x", 1, 0, NULL},
    {"dot with text is not the end", "+OK\r\n. \r\n.\r\n", 0, true, MC_OK, true, false, "", " ", 1,
     0, NULL},
    {"bare LF multi-line", "+OK\na\n.\n", 0, true, MC_OK, true, false, "", "a", 1, 8, NULL},
    {"next reply not consumed", "+OK\r\na\r\n.\r\n+OK x\r\n", 0, true, MC_OK, true, false, "", "a",
     1, 11, NULL},
    {"-ERR on multi-line command", "-ERR not supported\r\nTOP\r\n.\r\n", 0, true, MC_OK, false,
     false, "not supported", "", 0, 20, NULL},
    {"multi-line waits for the dot", "+OK\r\na\r\n", 0, true, MC_E_AGAIN, false, false, NULL, NULL,
     0, 0, NULL},
    {"multi-line waits on a cut line", "+OK\r\na\r\n.", 0, true, MC_E_AGAIN, false, false, NULL,
     NULL, 0, 0, NULL},
    {"incomplete status waits", "+OK hel", 0, false, MC_E_AGAIN, false, false, NULL, NULL, 0, 0,
     NULL},
    {"CR waits for LF", "+OK\r", 0, false, MC_E_AGAIN, false, false, NULL, NULL, 0, 0, NULL},
    {"empty input waits", "", 0, false, MC_E_AGAIN, false, false, NULL, NULL, 0, 0, NULL},
    /* malformed */
    {"lower case +ok", "+ok x\r\n", 0, false, MC_E_PROTOCOL, false, false, NULL, NULL, 0, 0,
     "malformed POP3 reply"},
    {"glued +OKAY", "+OKAY\r\n", 0, false, MC_E_PROTOCOL, false, false, NULL, NULL, 0, 0,
     "malformed POP3 reply"},
    {"glued -ERRx", "-ERRx\r\n", 0, false, MC_E_PROTOCOL, false, false, NULL, NULL, 0, 0,
     "malformed POP3 reply"},
    {"SMTP code", "220 hi\r\n", 0, false, MC_E_PROTOCOL, false, false, NULL, NULL, 0, 0,
     "malformed POP3 reply"},
    {"IMAP greeting", "* OK hi\r\n", 0, false, MC_E_PROTOCOL, false, false, NULL, NULL, 0, 0,
     "malformed POP3 reply"},
    {"empty line", "\r\n", 0, false, MC_E_PROTOCOL, false, false, NULL, NULL, 0, 0,
     "malformed POP3 reply"},
    {"minus alone", "-\r\n", 0, false, MC_E_PROTOCOL, false, false, NULL, NULL, 0, 0,
     "malformed POP3 reply"},
    {"NUL in status", "+OK a\0b\r\n", 9, false, MC_E_PROTOCOL, false, false, NULL, NULL, 0, 0,
     "control byte 0x00 in line 1"},
    {"NUL before the line end", "+OK a\0", 6, false, MC_E_PROTOCOL, false, false, NULL, NULL, 0, 0,
     "control byte 0x00"},
    {"NUL in body", "+OK\r\nTOP\0\r\n.\r\n", 14, true, MC_E_PROTOCOL, false, false, NULL, NULL, 0,
     0, "control byte 0x00 in line 2"},
    {"escape in body", "+OK\r\nTOP\x1b[0m\r\n.\r\n", 0, true, MC_E_PROTOCOL, false, false, NULL,
     NULL, 0, 0, "control byte 0x1b"},
    {"stray CR", "+OK a\rb\r\n", 0, false, MC_E_PROTOCOL, false, false, NULL, NULL, 0, 0,
     "control byte 0x0d"},
    {"DEL", "-ERR \x7f\r\n", 0, false, MC_E_PROTOCOL, false, false, NULL, NULL, 0, 0,
     "control byte 0x7f"},
};

static void test_reply_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(reply_cases) / sizeof(reply_cases[0]); i++) {
		const reply_case_t *c = &reply_cases[i];
		mc_pop3_reply_t r;
		size_t used = 0, len = c->len ? c->len : strlen(c->in);
		char err[256] = "";
		mc_status_t st;

		print_message("case: %s\n", c->name);
		mc_pop3_reply_init(&r);
		st = mc_pop3_reply_parse(c->in, len, c->multiline, &r, &used, err, sizeof(err));
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			assert_int_equal(r.ok, c->ok);
			assert_int_equal(r.continuation, c->continuation);
			assert_string_equal(mc_buf_cstr(&r.first), c->first);
			if (c->body)
				assert_string_equal(mc_buf_cstr(&r.body), c->body);
			assert_int_equal(r.nlines, c->nlines);
			if (c->consumed)
				assert_int_equal(used, c->consumed);
		}
		if (c->err)
			assert_non_null(strstr(err, c->err));
		mc_pop3_reply_free(&r);
	}
}

/* Split reads: every proper prefix of a multi-line reply waits. */
static void test_split_reads(void **state)
{
	static const char in[] = "+OK\r\nSTLS\r\n..x\r\n.\r\n";
	mc_pop3_reply_t r;
	size_t n, used;
	char err[128];

	(void)state;
	mc_pop3_reply_init(&r);
	for (n = 0; n < sizeof(in) - 1; n++) {
		print_message("prefix %zu\n", n);
		assert_int_equal(mc_pop3_reply_parse(in, n, true, &r, &used, err, sizeof(err)),
		                 MC_E_AGAIN);
	}
	assert_int_equal(mc_pop3_reply_parse(in, n, true, &r, &used, err, sizeof(err)), MC_OK);
	assert_string_equal(mc_buf_cstr(&r.body), "STLS\n.x");
	mc_pop3_reply_free(&r);
}

/* Lines of exactly the limit pass; one byte more fails, complete or not. */
static void test_line_limits(void **state)
{
	static const struct {
		const char *name;
		size_t ll;
		const char *end;
		bool body; /* the long line is a body line */
		mc_status_t want;
	} cases[] = {
	    {"2048 and CRLF", MC_POP3_LINE_MAX, "\r\n", false, MC_OK},
	    {"2048, no line end yet", MC_POP3_LINE_MAX, "", false, MC_E_AGAIN},
	    {"2048 and CR", MC_POP3_LINE_MAX, "\r", false, MC_E_AGAIN},
	    {"2049 and CRLF", MC_POP3_LINE_MAX + 1, "\r\n", false, MC_E_PROTOCOL},
	    {"2049, no line end: fails at once", MC_POP3_LINE_MAX + 1, "", false, MC_E_PROTOCOL},
	    {"body line 2048", MC_POP3_LINE_MAX, "\r\n.\r\n", true, MC_OK},
	    {"body line 2049", MC_POP3_LINE_MAX + 1, "\r\n.\r\n", true, MC_E_PROTOCOL},
	    {"body line 2049 cut", MC_POP3_LINE_MAX + 1, "", true, MC_E_PROTOCOL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t pre = cases[i].body ? 5 : 0, ll = cases[i].ll, el = strlen(cases[i].end);
		char *buf = malloc(pre + ll + el);
		mc_pop3_reply_t r;
		size_t used = 0;
		char err[128] = "";

		print_message("case: %s\n", cases[i].name);
		assert_non_null(buf);
		memcpy(buf, "+OK\r\n", pre);
		memset(buf + pre, 'a', ll);
		memcpy(buf + pre, "+OK ", cases[i].body ? 0 : 4);
		memcpy(buf + pre + ll, cases[i].end, el);
		mc_pop3_reply_init(&r);
		assert_int_equal(mc_pop3_reply_parse(buf, pre + ll + el, cases[i].body, &r, &used,
		                                     err, sizeof(err)),
		                 cases[i].want);
		if (cases[i].want == MC_OK)
			assert_int_equal(used, pre + ll + el);
		if (cases[i].want == MC_E_PROTOCOL)
			assert_non_null(strstr(err, "too long"));
		mc_pop3_reply_free(&r);
		free(buf);
	}
}

/* Build "+OK\r\n", body lines of 'x', ".\r\n", exactly total bytes. */
static char *reply_of(size_t total)
{
	char *buf = malloc(total);
	size_t n = 5;

	assert_non_null(buf);
	memcpy(buf, "+OK\r\n", 5);
	while (n < total - 3) {
		size_t r = total - 3 - n, ll = r - 2 > 1000 ? 1000 : r - 2;
		if (r - ll - 2 == 1) /* leave 2: an empty line, not 1 */
			ll--;
		memset(buf + n, 'x', ll);
		memcpy(buf + n + ll, "\r\n", 2);
		n += ll + 2;
	}
	assert_int_equal(n, total - 3);
	memcpy(buf + n, ".\r\n", 3);
	return buf;
}

/* A reply of exactly 64 KiB passes; one byte more fails, also before its
 * end is there. */
static void test_reply_limit(void **state)
{
	mc_pop3_reply_t r;
	size_t used;
	char err[128] = "", *buf;

	(void)state;
	mc_pop3_reply_init(&r);
	buf = reply_of(MC_POP3_REPLY_MAX);
	assert_int_equal(
	    mc_pop3_reply_parse(buf, MC_POP3_REPLY_MAX, true, &r, &used, err, sizeof(err)), MC_OK);
	assert_int_equal(used, MC_POP3_REPLY_MAX);
	/* Without its last LF it waits. */
	assert_int_equal(
	    mc_pop3_reply_parse(buf, MC_POP3_REPLY_MAX - 1, true, &r, &used, err, sizeof(err)),
	    MC_E_AGAIN);
	free(buf);
	buf = reply_of(MC_POP3_REPLY_MAX + 1);
	assert_int_equal(
	    mc_pop3_reply_parse(buf, MC_POP3_REPLY_MAX + 1, true, &r, &used, err, sizeof(err)),
	    MC_E_PROTOCOL);
	assert_non_null(strstr(err, "too large"));
	/* 65536 bytes with no end in sight: the reply is already too large. */
	assert_int_equal(
	    mc_pop3_reply_parse(buf, MC_POP3_REPLY_MAX, true, &r, &used, err, sizeof(err)),
	    MC_E_PROTOCOL);
	free(buf);
	mc_pop3_reply_free(&r);
}

typedef struct {
	const char *name;
	const char *reply;
	const char *cap;
	bool want;
	const char *params;
} capa_case_t;

static const char capa[] = "+OK Capability list follows\r\n"
                           "TOP\r\n"
                           "USER\r\n"
                           "SASL PLAIN LOGIN\r\n"
                           "RESP-CODES\r\n"
                           "IMPLEMENTATION x|y\xff\r\n"
                           "stls\r\n"
                           ".\r\n";

static const capa_case_t capa_cases[] = {
    {"STLS, case-insensitive", capa, "STLS", true, ""},
    {"USER", capa, "USER", true, ""},
    {"SASL params", capa, "SASL", true, "PLAIN LOGIN"},
    {"params sanitized", capa, "IMPLEMENTATION", true, "x/y?"},
    {"prefix is no match", capa, "RESP", false, ""},
    {"word inside a line is no match", capa, "PLAIN", false, ""},
    {"absent", capa, "PIPELINING", false, ""},
    {"status line is not a capability", "+OK STLS\r\n.\r\n", "STLS", false, ""},
    {"empty cap", capa, "", false, ""},
};

static void test_capa_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(capa_cases) / sizeof(capa_cases[0]); i++) {
		const capa_case_t *c = &capa_cases[i];
		mc_pop3_reply_t r;
		size_t used;
		char err[128], params[64];

		print_message("case: %s\n", c->name);
		mc_pop3_reply_init(&r);
		assert_int_equal(mc_pop3_reply_parse(c->reply, strlen(c->reply), true, &r, &used,
		                                     err, sizeof(err)),
		                 MC_OK);
		memset(params, 'X', sizeof(params));
		assert_int_equal(mc_pop3_capa_has(&r, c->cap, params, sizeof(params)), c->want);
		assert_string_equal(params, c->params);
		assert_int_equal(mc_pop3_capa_has(&r, c->cap, NULL, 0), c->want);
		mc_pop3_reply_free(&r);
	}
}

/* Params are cut to the buffer. */
static void test_capa_params_cut(void **state)
{
	mc_pop3_reply_t r;
	size_t used;
	char err[128], params[6];

	(void)state;
	mc_pop3_reply_init(&r);
	assert_int_equal(mc_pop3_reply_parse(capa, strlen(capa), true, &r, &used, err, sizeof(err)),
	                 MC_OK);
	assert_true(mc_pop3_capa_has(&r, "SASL", params, sizeof(params)));
	assert_string_equal(params, "PLAIN");
	mc_pop3_reply_free(&r);
}

typedef struct {
	const char *name;
	const char *text;
	mc_status_t want;
	long count, octets;
} stat_case_t;

static const stat_case_t stat_cases[] = {
    {"plain", "3 1024", MC_OK, 3, 1024},
    {"empty maildrop", "0 0", MC_OK, 0, 0},
    {"trailing text ignored", "2 320 messages", MC_OK, 2, 320},
    {"big", "9223372036854775807 9223372036854775807", MC_OK, 9223372036854775807L,
     9223372036854775807L},
    {"overflow", "9223372036854775808 1", MC_E_PROTOCOL, 0, 0},
    {"one number", "3", MC_E_PROTOCOL, 0, 0},
    {"negative", "-1 10", MC_E_PROTOCOL, 0, 0},
    {"two spaces", "3  10", MC_E_PROTOCOL, 0, 0},
    {"leading space", " 3 10", MC_E_PROTOCOL, 0, 0},
    {"glued text", "3 10x", MC_E_PROTOCOL, 0, 0},
    {"letters", "three 10", MC_E_PROTOCOL, 0, 0},
    {"empty", "", MC_E_PROTOCOL, 0, 0},
    {"NULL", NULL, MC_E_PROTOCOL, 0, 0},
};

static void test_stat_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(stat_cases) / sizeof(stat_cases[0]); i++) {
		const stat_case_t *c = &stat_cases[i];
		long n = -7, o = -7;

		print_message("case: %s\n", c->name);
		assert_int_equal(mc_pop3_stat_parse(c->text, &n, &o), c->want);
		if (c->want == MC_OK) {
			assert_int_equal(n, c->count);
			assert_int_equal(o, c->octets);
		} else {
			assert_int_equal(n, -7);
			assert_int_equal(o, -7);
		}
	}
}

/* STAT end to end: the status line's text goes to the STAT parser. */
static void test_stat_reply(void **state)
{
	static const char in[] = "+OK 3 1024\r\n";
	mc_pop3_reply_t r;
	size_t used;
	char err[128];
	long n, o;

	(void)state;
	mc_pop3_reply_init(&r);
	assert_int_equal(mc_pop3_reply_parse(in, strlen(in), false, &r, &used, err, sizeof(err)),
	                 MC_OK);
	assert_int_equal(mc_pop3_stat_parse(mc_buf_cstr(&r.first), &n, &o), MC_OK);
	assert_int_equal(n, 3);
	assert_int_equal(o, 1024);
	mc_pop3_reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reply_table), cmocka_unit_test(test_split_reads),
	    cmocka_unit_test(test_line_limits), cmocka_unit_test(test_reply_limit),
	    cmocka_unit_test(test_capa_table),  cmocka_unit_test(test_capa_params_cut),
	    cmocka_unit_test(test_stat_table),  cmocka_unit_test(test_stat_reply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
