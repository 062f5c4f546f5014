/* Unit tests: the IMAP response line parser, capabilities, STATUS, QUOTA
 * and quoting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/mc_imap_reply.h"

#define U MC_IMAP_UNTAGGED
#define T MC_IMAP_TAGGED
#define C MC_IMAP_CONTINUATION

typedef struct {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	mc_status_t want;
	mc_imap_kind_t kind;
	const char *tag;
	mc_imap_cond_t cond;
	const char *code;
	const char *text; /* compared over its strlen, or NULL to skip */
	size_t consumed;  /* 0: skip */
	const char *err;  /* substring of the error, or NULL */
} line_case_t;

static const line_case_t line_cases[] = {
    /* greetings (RFC 3501 section 7.1) */
    {"greeting with capabilities", "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n",
     0, MC_OK, U, "", MC_IMAP_COND_OK, "CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED", "ready", 58,
     NULL},
    {"greeting without code", "* OK Dovecot ready.\r\n", 0, MC_OK, U, "", MC_IMAP_COND_OK, "",
     "Dovecot ready.", 21, NULL},
    {"PREAUTH greeting", "* PREAUTH [CAPABILITY IMAP4rev1] logged in as joe\r\n", 0, MC_OK, U, "",
     MC_IMAP_COND_PREAUTH, "CAPABILITY IMAP4rev1", "logged in as joe", 0, NULL},
    {"BYE greeting", "* BYE server shutting down\r\n", 0, MC_OK, U, "", MC_IMAP_COND_BYE, "",
     "server shutting down", 0, NULL},
    {"untagged NO with ALERT", "* NO [ALERT] disk full\r\n", 0, MC_OK, U, "", MC_IMAP_COND_NO,
     "ALERT", "disk full", 0, NULL},
    {"untagged BAD", "* BAD bogus\r\n", 0, MC_OK, U, "", MC_IMAP_COND_BAD, "", "bogus", 0, NULL},
    {"condition is case-insensitive", "* ok [alert] hi\r\n", 0, MC_OK, U, "", MC_IMAP_COND_OK,
     "alert", "hi", 0, NULL},
    {"status without text", "* OK\r\n", 0, MC_OK, U, "", MC_IMAP_COND_OK, "", "", 6, NULL},
    {"status with code and no text", "* OK [READ-ONLY]\r\n", 0, MC_OK, U, "", MC_IMAP_COND_OK,
     "READ-ONLY", "", 0, NULL},
    {"code with ']' in text", "* OK [ALERT] a ] b\r\n", 0, MC_OK, U, "", MC_IMAP_COND_OK, "ALERT",
     "a ] b", 0, NULL},
    {"bracket later in text is not a code", "* OK hi [ALERT]\r\n", 0, MC_OK, U, "", MC_IMAP_COND_OK,
     "", "hi [ALERT]", 0, NULL},
    {"bare LF accepted", "* OK hi\n", 0, MC_OK, U, "", MC_IMAP_COND_OK, "", "hi", 8, NULL},
    {"tab in text allowed", "* OK a\tb\r\n", 0, MC_OK, U, "", MC_IMAP_COND_OK, "", "a\tb", 0, NULL},
    {"UTF-8 text allowed", "* OK \xc3\xa9t\xc3\xa9\r\n", 0, MC_OK, U, "", MC_IMAP_COND_OK, "",
     "\xc3\xa9t\xc3\xa9", 0, NULL},
    /* untagged data (RFC 3501 section 7.2 to 7.4) */
    {"CAPABILITY data", "* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n", 0, MC_OK, U, "",
     MC_IMAP_COND_NONE, "", "CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN", 0, NULL},
    {"STATUS data", "* STATUS INBOX (MESSAGES 3 UNSEEN 1)\r\n", 0, MC_OK, U, "", MC_IMAP_COND_NONE,
     "", "STATUS INBOX (MESSAGES 3 UNSEEN 1)", 0, NULL},
    {"numeric data", "* 23 EXISTS\r\n", 0, MC_OK, U, "", MC_IMAP_COND_NONE, "", "23 EXISTS", 0,
     NULL},
    {"word starting with OK is data", "* OKAY x\r\n", 0, MC_OK, U, "", MC_IMAP_COND_NONE, "",
     "OKAY x", 0, NULL},
    {"data keeps brackets", "* FLAGS (\\Seen [x])\r\n", 0, MC_OK, U, "", MC_IMAP_COND_NONE, "",
     "FLAGS (\\Seen [x])", 0, NULL},
    /* literals (RFC 3501 section 4.3) */
    {"literal inlined", "* STATUS {5}\r\nINBOX (MESSAGES 2)\r\n", 0, MC_OK, U, "",
     MC_IMAP_COND_NONE, "", "STATUS INBOX (MESSAGES 2)", 34, NULL},
    {"literal with CRLF and NUL inside", "* 1 FETCH (BODY[] {6}\r\na\r\n\0bc)\r\n", 32, MC_OK, U,
     "", MC_IMAP_COND_NONE, "", "1 FETCH (BODY[] a\r\n", 32, NULL},
    {"two literals", "* LIST () {1}\r\n/ {3}\r\nabc\r\n", 0, MC_OK, U, "", MC_IMAP_COND_NONE, "",
     "LIST () / abc", 0, NULL},
    {"empty literal", "* X {0}\r\n\r\n", 0, MC_OK, U, "", MC_IMAP_COND_NONE, "", "X ", 11, NULL},
    {"literal8", "* 1 FETCH (BINARY[] ~{2}\r\nhi)\r\n", 0, MC_OK, U, "", MC_IMAP_COND_NONE, "",
     "1 FETCH (BINARY[] hi)", 0, NULL},
    {"literal announced, bytes missing", "* STATUS {5}\r\nINB", 0, MC_E_AGAIN, U, "", 0, "", NULL,
     0, NULL},
    {"literal complete, line end missing", "* STATUS {5}\r\nINBOX (MESSAGES 2)", 0, MC_E_AGAIN, U,
     "", 0, "", NULL, 0, NULL},
    {"no literal in status text", "* OK {5}\r\n", 0, MC_OK, U, "", MC_IMAP_COND_OK, "", "{5}", 10,
     NULL},
    {"no literal in tagged text", "a1 OK {5}\r\n", 0, MC_OK, T, "a1", MC_IMAP_COND_OK, "", "{5}",
     11, NULL},
    {"braces without digits are text", "* X {}\r\n", 0, MC_OK, U, "", MC_IMAP_COND_NONE, "", "X {}",
     8, NULL},
    {"literal over the limit", "* X {65537}\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0,
     "literal too large"},
    {"literal size overflow", "* X {99999999999999999999999}\r\n", 0, MC_E_PROTOCOL, U, "", 0, "",
     NULL, 0, "literal too large"},
    /* tagged (RFC 3501 section 7.1) */
    {"tagged OK with code", "a1 OK [READ-WRITE] done\r\n", 0, MC_OK, T, "a1", MC_IMAP_COND_OK,
     "READ-WRITE", "done", 25, NULL},
    {"tagged NO", "A0002 NO [AUTHENTICATIONFAILED] bad\r\n", 0, MC_OK, T, "A0002", MC_IMAP_COND_NO,
     "AUTHENTICATIONFAILED", "bad", 0, NULL},
    {"tagged BAD", "x.9 BAD unknown command\r\n", 0, MC_OK, T, "x.9", MC_IMAP_COND_BAD, "",
     "unknown command", 0, NULL},
    {"tagged without text", "a1 OK\r\n", 0, MC_OK, T, "a1", MC_IMAP_COND_OK, "", "", 7, NULL},
    {"tag with ']' allowed", "a]1 OK x\r\n", 0, MC_OK, T, "a]1", MC_IMAP_COND_OK, "", "x", 0, NULL},
    {"tag is reported, not checked", "zz99 OK x\r\n", 0, MC_OK, T, "zz99", MC_IMAP_COND_OK, "", "x",
     0, NULL},
    {"31-byte tag", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa OK x\r\n", 0, MC_OK, T,
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", MC_IMAP_COND_OK, "", "x", 0, NULL},
    {"32-byte tag", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa OK x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "",
     NULL, 0, "tag too long"},
    {"tagged BYE", "a1 BYE x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0, "not OK, NO or BAD"},
    {"tagged PREAUTH", "a1 PREAUTH x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0,
     "not OK, NO or BAD"},
    {"tagged data", "a1 CAPABILITY x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0,
     "not OK, NO or BAD"},
    {"tagged glued condition", "a1 OKdone\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0,
     "not OK, NO or BAD"},
    {"tag with '+'", "a+1 OK x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0, "bad byte in tag"},
    {"tag with '*'", "a*1 OK x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0, "bad byte in tag"},
    {"tag with '('", "a(1 OK x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0, "bad byte in tag"},
    {"tag with '{'", "a{1 OK x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0, "bad byte in tag"},
    {"tag with '%'", "a%1 OK x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0, "bad byte in tag"},
    {"tag with quote", "a\"1 OK x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0, "bad byte in tag"},
    {"tag with backslash", "a\\1 OK x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0,
     "bad byte in tag"},
    {"tag with 8-bit byte", "a\xe9 OK x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0,
     "bad byte in tag"},
    {"empty tag", " OK x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0, "empty tag"},
    {"tag alone", "a1\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0, "no space after the tag"},
    {"two spaces after tag", "a1  OK x\r\n", 0, MC_E_PROTOCOL, T, "", 0, "", NULL, 0,
     "not OK, NO or BAD"},
    /* continuation (RFC 3501 section 7.5) */
    {"continuation with text", "+ Ready for literal data\r\n", 0, MC_OK, C, "", MC_IMAP_COND_NONE,
     "", "Ready for literal data", 26, NULL},
    {"continuation with base64", "+ dGVzdA==\r\n", 0, MC_OK, C, "", MC_IMAP_COND_NONE, "",
     "dGVzdA==", 0, NULL},
    {"empty continuation", "+ \r\n", 0, MC_OK, C, "", MC_IMAP_COND_NONE, "", "", 4, NULL},
    {"lone plus", "+\r\n", 0, MC_OK, C, "", MC_IMAP_COND_NONE, "", "", 3, NULL},
    {"continuation code is text", "+ [ALERT] x\r\n", 0, MC_OK, C, "", MC_IMAP_COND_NONE, "",
     "[ALERT] x", 0, NULL},
    {"continuation without space", "+OK\r\n", 0, MC_E_PROTOCOL, C, "", 0, "", NULL, 0,
     "no space after '+'"},
    /* framing */
    {"only the first line is consumed", "* OK a\r\na1 OK b\r\n", 0, MC_OK, U, "", MC_IMAP_COND_OK,
     "", "a", 8, NULL},
    {"incomplete line waits", "* OK hel", 0, MC_E_AGAIN, U, "", 0, "", NULL, 0, NULL},
    {"CR without LF waits", "* OK hello\r", 0, MC_E_AGAIN, U, "", 0, "", NULL, 0, NULL},
    {"empty input waits", "", 0, MC_E_AGAIN, U, "", 0, "", NULL, 0, NULL},
    {"empty line", "\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0, "empty line"},
    {"star without space", "*OK x\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0,
     "no space after '*'"},
    {"star alone", "*\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0, "no space after '*'"},
    {"star space alone", "* \r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0, "nothing after"},
    {"NUL byte", "* OK a\0b\r\n", 10, MC_E_PROTOCOL, U, "", 0, "", NULL, 0, "control byte 0x00"},
    {"NUL byte before the line end", "* OK a\0b", 8, MC_E_PROTOCOL, U, "", 0, "", NULL, 0,
     "control byte 0x00"},
    {"escape byte", "* OK \x1b[31m\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0,
     "control byte 0x1b"},
    {"DEL byte", "* OK \x7f\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0, "control byte 0x7f"},
    {"stray CR inside", "* OK a\rb\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0,
     "control byte 0x0d"},
    {"control byte after a literal", "* X {1}\r\na\x01\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL,
     0, "control byte 0x01"},
    /* response codes (RFC 3501 section 7.1) */
    {"unterminated code", "* OK [ALERT hi\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0,
     "unterminated response code"},
    {"empty code", "* OK [] hi\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0,
     "empty response code"},
    {"no space after code", "* OK [ALERT]hi\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0,
     "no space after response code"},
    {"8-bit code", "* OK [AL\xc3\xa9RT] hi\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0,
     "non-ASCII byte in response code"},
    {"tab in code", "* OK [A\tB] hi\r\n", 0, MC_E_PROTOCOL, U, "", 0, "", NULL, 0,
     "non-ASCII byte in response code"},
};

static void test_line_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		const line_case_t *c = &line_cases[i];
		mc_imap_line_t l;
		size_t used = 0, len = c->len ? c->len : strlen(c->in);
		char err[256] = "";
		mc_status_t st;

		print_message("case: %s\n", c->name);
		mc_imap_line_init(&l);
		st = mc_imap_line_parse(c->in, len, &l, &used, err, sizeof(err));
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			assert_int_equal(l.kind, c->kind);
			assert_string_equal(l.tag, c->tag);
			assert_int_equal(l.cond, c->cond);
			assert_string_equal(l.code, c->code);
			if (c->text) {
				assert_true(l.text.len >= strlen(c->text));
				assert_memory_equal(mc_buf_cstr(&l.text), c->text, strlen(c->text));
			}
			if (c->consumed)
				assert_int_equal(used, c->consumed);
		}
		if (c->err)
			assert_non_null(strstr(err, c->err));
		mc_imap_line_free(&l);
	}
}

/* The literal's raw bytes, NUL included, are in text. */
static void test_literal_bytes(void **state)
{
	static const char in[] = "* 1 FETCH (BODY[] {6}\r\na\r\n\0bc)\r\n";
	static const char want[] = "1 FETCH (BODY[] a\r\n\0bc)";
	mc_imap_line_t l;
	size_t used;
	char err[128];

	(void)state;
	mc_imap_line_init(&l);
	assert_int_equal(mc_imap_line_parse(in, sizeof(in) - 1, &l, &used, err, sizeof(err)),
	                 MC_OK);
	assert_int_equal(used, sizeof(in) - 1);
	assert_int_equal(l.text.len, sizeof(want) - 1);
	assert_memory_equal(l.text.data, want, sizeof(want) - 1);
	mc_imap_line_free(&l);
}

/* Split reads: every proper prefix of a response with literals waits; the
 * whole one parses. */
static void test_literal_split_reads(void **state)
{
	static const char in[] = "* LIST () {1}\r\n/ {7}\r\nmy\r\nbox\r\n* OK next\r\n";
	const size_t first = sizeof(in) - 1 - strlen("* OK next\r\n");
	mc_imap_line_t l;
	size_t n, used;
	char err[128];

	(void)state;
	mc_imap_line_init(&l);
	for (n = 0; n < first; n++) {
		print_message("prefix %zu\n", n);
		assert_int_equal(mc_imap_line_parse(in, n, &l, &used, err, sizeof(err)),
		                 MC_E_AGAIN);
	}
	for (n = first; n < sizeof(in); n++) {
		assert_int_equal(mc_imap_line_parse(in, n, &l, &used, err, sizeof(err)), MC_OK);
		assert_int_equal(used, first);
		assert_int_equal(l.text.len, strlen("LIST () / my\r\nbox"));
		assert_memory_equal(l.text.data, "LIST () / my\r\nbox", l.text.len);
	}
	mc_imap_line_free(&l);
}

/* Build "* X " + filler up to a line of ll bytes (without CRLF). */
static char *line_of(size_t ll, const char *end, size_t *n)
{
	char *buf = malloc(ll + 3);

	assert_non_null(buf);
	memset(buf, 'a', ll);
	memcpy(buf, "* X ", 4);
	memcpy(buf + ll, end, strlen(end));
	*n = ll + strlen(end);
	return buf;
}

/* Lines of exactly the limit pass; one byte more fails, complete or not. */
static void test_line_limits(void **state)
{
	static const struct {
		const char *name;
		size_t ll;
		const char *end;
		mc_status_t want;
	} cases[] = {
	    {"8192 bytes and CRLF", MC_IMAP_LINE_MAX, "\r\n", MC_OK},
	    {"8192 bytes and LF", MC_IMAP_LINE_MAX, "\n", MC_OK},
	    {"8192 bytes, no line end yet", MC_IMAP_LINE_MAX, "", MC_E_AGAIN},
	    {"8192 bytes and CR, LF to come", MC_IMAP_LINE_MAX, "\r", MC_E_AGAIN},
	    {"8193 bytes and CRLF", MC_IMAP_LINE_MAX + 1, "\r\n", MC_E_PROTOCOL},
	    {"8193 bytes, no line end: fails at once", MC_IMAP_LINE_MAX + 1, "", MC_E_PROTOCOL},
	    {"8193 bytes and CR", MC_IMAP_LINE_MAX + 1, "\r", MC_E_PROTOCOL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mc_imap_line_t l;
		size_t n, used = 0;
		char err[128] = "", *buf = line_of(cases[i].ll, cases[i].end, &n);

		print_message("case: %s\n", cases[i].name);
		mc_imap_line_init(&l);
		assert_int_equal(mc_imap_line_parse(buf, n, &l, &used, err, sizeof(err)),
		                 cases[i].want);
		if (cases[i].want == MC_OK) {
			assert_int_equal(used, n);
			assert_int_equal(l.text.len, cases[i].ll - 2);
		}
		if (cases[i].want == MC_E_PROTOCOL)
			assert_non_null(strstr(err, "too long"));
		mc_imap_line_free(&l);
		free(buf);
	}
}

/* The line limit counts every segment of a line with literals. */
static void test_line_limit_across_literals(void **state)
{
	size_t half = MC_IMAP_LINE_MAX / 2, n;
	char *buf = malloc(2 * half + 32);
	mc_imap_line_t l;
	size_t used;
	char err[128] = "";

	(void)state;
	assert_non_null(buf);
	/* "* " + (half - 5) 'a' + "{1}" = half bytes, then "x", then half + 1. */
	memcpy(buf, "* ", 2);
	memset(buf + 2, 'a', half - 5);
	memcpy(buf + half - 3, "{1}\r\nx", 6);
	n = half + 3;
	memset(buf + n, 'b', half + 1);
	n += half + 1;
	memcpy(buf + n, "\r\n", 2);
	n += 2;
	mc_imap_line_init(&l);
	assert_int_equal(mc_imap_line_parse(buf, n, &l, &used, err, sizeof(err)), MC_E_PROTOCOL);
	assert_non_null(strstr(err, "too long"));
	/* One byte less is exactly the limit. */
	memcpy(buf + n - 3, "\r\n", 2);
	assert_int_equal(mc_imap_line_parse(buf, n - 1, &l, &used, err, sizeof(err)), MC_OK);
	assert_int_equal(used, n - 1);
	mc_imap_line_free(&l);
	free(buf);
}

/* Literals of exactly the limit pass, one byte more fails as soon as the
 * "{n}" line is there; split reads wait until the literal is complete. */
static void test_literal_limits(void **state)
{
	const size_t lit = MC_IMAP_LITERAL_MAX;
	char *buf = malloc(lit + 64);
	mc_imap_line_t l;
	size_t n, used, hl;
	char err[128] = "";

	(void)state;
	assert_non_null(buf);
	hl = (size_t)snprintf(buf, 64, "* 1 FETCH (BODY[] {%zu}\r\n", lit);
	memset(buf + hl, 'z', lit);
	memcpy(buf + hl + lit, ")\r\n", 3);
	n = hl + lit + 3;
	mc_imap_line_init(&l);
	assert_int_equal(mc_imap_line_parse(buf, n, &l, &used, err, sizeof(err)), MC_OK);
	assert_int_equal(used, n);
	assert_int_equal(l.text.len, strlen("1 FETCH (BODY[] ") + lit + 1);
	/* Literal incomplete, by one byte or by all of it. */
	assert_int_equal(mc_imap_line_parse(buf, hl + lit - 1, &l, &used, err, sizeof(err)),
	                 MC_E_AGAIN);
	assert_int_equal(mc_imap_line_parse(buf, hl, &l, &used, err, sizeof(err)), MC_E_AGAIN);
	/* The literal bytes may contain anything, LF and NUL too. */
	buf[hl] = '\n';
	buf[hl + 1] = '\0';
	assert_int_equal(mc_imap_line_parse(buf, n, &l, &used, err, sizeof(err)), MC_OK);
	/* 65537: refused on the "{n}" line alone. */
	hl = (size_t)snprintf(buf, 64, "* 1 FETCH (BODY[] {%zu}\r\n", lit + 1);
	assert_int_equal(mc_imap_line_parse(buf, hl, &l, &used, err, sizeof(err)), MC_E_PROTOCOL);
	assert_non_null(strstr(err, "literal too large"));
	mc_imap_line_free(&l);
	free(buf);
}

/* Line plus literals over MC_IMAP_RESPONSE_MAX fails as soon as the
 * second literal is announced, though each literal is within its limit. */
static void test_response_limit(void **state)
{
	const size_t lit = MC_IMAP_LITERAL_MAX;
	/* "* X {65536}" is 11 line bytes, " {nnnn}" 7 more */
	const size_t room = MC_IMAP_RESPONSE_MAX - lit - 18;
	char *buf = malloc(lit + 128);
	mc_imap_line_t l;
	size_t n, used, hl;
	char err[128] = "";

	(void)state;
	assert_non_null(buf);
	hl = (size_t)snprintf(buf, 64, "* X {%zu}\r\n", lit);
	memset(buf + hl, 'z', lit);
	n = hl + lit;
	mc_imap_line_init(&l);
	snprintf(buf + n, 64, " {%zu}\r\n", room);
	assert_int_equal(mc_imap_line_parse(buf, n + 9, &l, &used, err, sizeof(err)), MC_E_AGAIN);
	snprintf(buf + n, 64, " {%zu}\r\n", room + 1);
	assert_int_equal(mc_imap_line_parse(buf, n + 9, &l, &used, err, sizeof(err)),
	                 MC_E_PROTOCOL);
	assert_non_null(strstr(err, "too large"));
	mc_imap_line_free(&l);
	free(buf);
}

typedef struct {
	const char *name;
	const char *line;
	const char *caps; /* want from mc_imap_line_caps, NULL for none */
} caps_line_case_t;

static const caps_line_case_t caps_line_cases[] = {
    {"greeting code", "* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n", "IMAP4rev1 STARTTLS"},
    {"tagged code", "a1 OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] done\r\n", "IMAP4rev1 AUTH=PLAIN"},
    {"untagged data", "* CAPABILITY IMAP4rev1 LOGINDISABLED\r\n", "IMAP4rev1 LOGINDISABLED"},
    {"lower case word", "* capability IMAP4rev1\r\n", "IMAP4rev1"},
    {"other code", "* OK [ALERT] CAPABILITY x\r\n", NULL},
    {"other data", "* CAPABILITYX y\r\n", NULL},
    {"status text is not a list", "* OK CAPABILITY x\r\n", NULL},
    {"continuation", "+ CAPABILITY x\r\n", NULL},
};

static void test_line_caps_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(caps_line_cases) / sizeof(caps_line_cases[0]); i++) {
		const caps_line_case_t *c = &caps_line_cases[i];
		mc_imap_line_t l;
		size_t used;
		char err[128];
		const char *caps;

		print_message("case: %s\n", c->name);
		mc_imap_line_init(&l);
		assert_int_equal(
		    mc_imap_line_parse(c->line, strlen(c->line), &l, &used, err, sizeof(err)),
		    MC_OK);
		caps = mc_imap_line_caps(&l);
		if (c->caps)
			assert_string_equal(caps, c->caps);
		else
			assert_null(caps);
		mc_imap_line_free(&l);
	}
}

typedef struct {
	const char *name;
	const char *caps;
	const char *cap;
	bool want;
} caps_case_t;

static const caps_case_t caps_cases[] = {
    {"present", "IMAP4rev1 STARTTLS LOGINDISABLED", "STARTTLS", true},
    {"first", "IMAP4rev1 STARTTLS", "IMAP4rev1", true},
    {"last", "IMAP4rev1 STARTTLS", "STARTTLS", true},
    {"case-insensitive", "imap4rev1 starttls", "STARTTLS", true},
    {"with '='", "IMAP4rev1 AUTH=PLAIN AUTH=LOGIN", "AUTH=LOGIN", true},
    {"prefix is no match", "IMAP4rev1 STARTTLSX", "STARTTLS", false},
    {"suffix is no match", "IMAP4rev1 XSTARTTLS", "STARTTLS", false},
    {"longer cap is no match", "AUTH=PLAIN", "AUTH=PLAINX", false},
    {"absent", "IMAP4rev1", "STARTTLS", false},
    {"double spaces", "IMAP4rev1  STARTTLS ", "STARTTLS", true},
    {"empty list", "", "STARTTLS", false},
    {"empty cap", "IMAP4rev1 STARTTLS", "", false},
    {"NULL list", NULL, "STARTTLS", false},
};

static void test_caps_has_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(caps_cases) / sizeof(caps_cases[0]); i++) {
		print_message("case: %s\n", caps_cases[i].name);
		assert_int_equal(mc_imap_caps_has(caps_cases[i].caps, caps_cases[i].cap),
		                 caps_cases[i].want);
	}
}

typedef struct {
	const char *name;
	const char *text;
	size_t len; /* 0: strlen */
	mc_status_t want;
	bool has_messages;
	long messages;
	bool has_unseen;
	long unseen;
} status_case_t;

static const status_case_t status_cases[] = {
    {"both", "STATUS INBOX (MESSAGES 3 UNSEEN 1)", 0, MC_OK, true, 3, true, 1},
    {"order does not matter", "STATUS INBOX (UNSEEN 0 MESSAGES 17)", 0, MC_OK, true, 17, true, 0},
    {"other items ignored", "STATUS INBOX (MESSAGES 2 RECENT 1 UIDNEXT 44 UIDVALIDITY 4294967295)",
     0, MC_OK, true, 2, false, 0},
    {"APPENDLIMIT NIL", "STATUS INBOX (APPENDLIMIT NIL UNSEEN 5)", 0, MC_OK, false, 0, true, 5},
    {"empty list", "STATUS INBOX ()", 0, MC_OK, false, 0, false, 0},
    {"quoted mailbox", "STATUS \"My Box\" (MESSAGES 1)", 0, MC_OK, true, 1, false, 0},
    {"inlined literal with parentheses", "STATUS a (b) c (MESSAGES 4)", 0, MC_OK, true, 4, false,
     0},
    {"inlined literal with NUL", "STATUS a\0b (MESSAGES 4)", 23, MC_OK, true, 4, false, 0},
    {"lower case", "status inbox (messages 9)", 0, MC_OK, true, 9, false, 0},
    {"big count", "STATUS INBOX (MESSAGES 2147483647)", 0, MC_OK, true, 2147483647L, false, 0},
    {"not STATUS", "LIST INBOX (MESSAGES 1)", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"no mailbox", "STATUS (MESSAGES 1)", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"empty mailbox", "STATUS  (MESSAGES 1)", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"no list", "STATUS INBOX", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"unclosed list", "STATUS INBOX (MESSAGES 1", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"trailing garbage", "STATUS INBOX (MESSAGES 1) x", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"missing number", "STATUS INBOX (MESSAGES)", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"negative", "STATUS INBOX (MESSAGES -1)", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"letters in number", "STATUS INBOX (MESSAGES 1x)", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"NIL count", "STATUS INBOX (MESSAGES NIL)", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"double space", "STATUS INBOX (MESSAGES  1)", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"trailing space in list", "STATUS INBOX (MESSAGES 1 )", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"duplicate", "STATUS INBOX (MESSAGES 1 MESSAGES 2)", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"overflow", "STATUS INBOX (MESSAGES 99999999999999999999)", 0, MC_E_PROTOCOL, false, 0, false,
     0},
    {"nested list", "STATUS INBOX (MESSAGES (1))", 0, MC_E_PROTOCOL, false, 0, false, 0},
    {"empty", "", 0, MC_E_PROTOCOL, false, 0, false, 0},
};

static void test_status_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(status_cases) / sizeof(status_cases[0]); i++) {
		const status_case_t *c = &status_cases[i];
		long m = -7, u = -7;
		bool hm = true, hu = true;
		mc_status_t st;

		print_message("case: %s\n", c->name);
		st = mc_imap_status_parse(c->text, c->len ? c->len : strlen(c->text), &m, &hm, &u,
		                          &hu);
		assert_int_equal(st, c->want);
		if (st != MC_OK)
			continue;
		assert_int_equal(hm, c->has_messages);
		assert_int_equal(hu, c->has_unseen);
		if (hm)
			assert_int_equal(m, c->messages);
		if (hu)
			assert_int_equal(u, c->unseen);
	}
}

/* From the wire: a literal mailbox name goes through the line parser into
 * the STATUS parser. */
static void test_status_from_literal(void **state)
{
	static const char in[] = "* STATUS {9}\r\nmy (box) (MESSAGES 12 UNSEEN 3)\r\n";
	mc_imap_line_t l;
	size_t used;
	char err[128];
	long m, u;
	bool hm, hu;

	(void)state;
	mc_imap_line_init(&l);
	assert_int_equal(mc_imap_line_parse(in, sizeof(in) - 1, &l, &used, err, sizeof(err)),
	                 MC_OK);
	assert_int_equal(mc_imap_status_parse(l.text.data, l.text.len, &m, &hm, &u, &hu), MC_OK);
	assert_true(hm && hu);
	assert_int_equal(m, 12);
	assert_int_equal(u, 3);
	mc_imap_line_free(&l);
}

typedef struct {
	const char *name;
	const char *text;
	mc_status_t want;
	bool has;
	long used, limit;
} quota_case_t;

static const quota_case_t quota_cases[] = {
    {"storage and message", "QUOTA \"\" (STORAGE 10 512 MESSAGE 3 1000)", MC_OK, true, 10, 512},
    {"message first", "QUOTA user.joe (MESSAGE 3 1000 STORAGE 0 1)", MC_OK, true, 0, 1},
    {"no storage", "QUOTA \"\" (MESSAGE 3 1000)", MC_OK, false, 0, 0},
    {"empty list", "QUOTA \"\" ()", MC_OK, false, 0, 0},
    {"empty literal root", "QUOTA  (STORAGE 1 2)", MC_OK, true, 1, 2},
    {"over the limit is reported as sent", "QUOTA r (STORAGE 600 512)", MC_OK, true, 600, 512},
    {"63-bit values", "QUOTA r (STORAGE 9223372036854775807 9223372036854775807)", MC_OK, true,
     9223372036854775807L, 9223372036854775807L},
    {"lower case", "quota r (storage 1 2)", MC_OK, true, 1, 2},
    {"not QUOTA", "QUOTAROOT INBOX \"\"", MC_E_PROTOCOL, false, 0, 0},
    {"missing limit", "QUOTA r (STORAGE 10)", MC_E_PROTOCOL, false, 0, 0},
    {"missing usage of other resource", "QUOTA r (MESSAGE 3)", MC_E_PROTOCOL, false, 0, 0},
    {"negative", "QUOTA r (STORAGE -1 5)", MC_E_PROTOCOL, false, 0, 0},
    {"duplicate storage", "QUOTA r (STORAGE 1 2 STORAGE 3 4)", MC_E_PROTOCOL, false, 0, 0},
    {"no root", "QUOTA (STORAGE 1 2)", MC_E_PROTOCOL, false, 0, 0},
    {"unclosed", "QUOTA r (STORAGE 1 2", MC_E_PROTOCOL, false, 0, 0},
    {"trailing garbage", "QUOTA r (STORAGE 1 2) x", MC_E_PROTOCOL, false, 0, 0},
    {"extra number", "QUOTA r (STORAGE 1 2 3)", MC_E_PROTOCOL, false, 0, 0},
};

static void test_quota_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(quota_cases) / sizeof(quota_cases[0]); i++) {
		const quota_case_t *c = &quota_cases[i];
		long u = -7, lim = -7;
		bool has = true;
		mc_status_t st;

		print_message("case: %s\n", c->name);
		st = mc_imap_quota_parse(c->text, strlen(c->text), &u, &lim, &has);
		assert_int_equal(st, c->want);
		if (st != MC_OK)
			continue;
		assert_int_equal(has, c->has);
		if (has) {
			assert_int_equal(u, c->used);
			assert_int_equal(lim, c->limit);
		}
	}
}

typedef struct {
	const char *name;
	const char *in;
	size_t outsz;
	mc_status_t want;
	const char *out;
} quote_case_t;

static const quote_case_t quote_cases[] = {
    {"plain", "INBOX", 64, MC_OK, "\"INBOX\""},
    {"space", "My Box", 64, MC_OK, "\"My Box\""},
    {"quote escaped", "a\"b", 64, MC_OK, "\"a\\\"b\""},
    {"backslash escaped", "a\\b", 64, MC_OK, "\"a\\\\b\""},
    {"empty", "", 64, MC_OK, "\"\""},
    {"8-bit passed through", "\xc3\xa9", 64, MC_OK, "\"\xc3\xa9\""},
    {"exact fit", "abc", 6, MC_OK, "\"abc\""},
    {"one byte short", "abc", 5, MC_E_USAGE, ""},
    {"escape does not fit", "ab\"", 6, MC_E_USAGE, ""},
    {"escape fits", "ab\"", 7, MC_OK, "\"ab\\\"\""},
    {"CR", "a\rb", 64, MC_E_USAGE, ""},
    {"LF", "a\nb", 64, MC_E_USAGE, ""},
    {"CRLF injection", "INBOX\r\na2 DELETE x", 64, MC_E_USAGE, ""},
    {"no room at all", "a", 1, MC_E_USAGE, ""},
    {"NULL", NULL, 64, MC_E_USAGE, ""},
};

static void test_quote_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(quote_cases) / sizeof(quote_cases[0]); i++) {
		const quote_case_t *c = &quote_cases[i];
		char out[64];

		print_message("case: %s\n", c->name);
		memset(out, 'X', sizeof(out));
		assert_int_equal(mc_imap_quote(c->in, out, c->outsz), c->want);
		assert_string_equal(out, c->out);
	}
}

/* A failed quote leaves no byte of a password behind in out. */
static void test_quote_clears(void **state)
{
	char out[16];
	size_t i;

	(void)state;
	memset(out, 'X', sizeof(out));
	assert_int_equal(mc_imap_quote("secret\nmore", out, sizeof(out)), MC_E_USAGE);
	for (i = 0; i < 8; i++)
		assert_int_equal(out[i], 0);
	assert_int_equal(mc_imap_quote("", out, 0), MC_E_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_line_table),
	    cmocka_unit_test(test_literal_bytes),
	    cmocka_unit_test(test_literal_split_reads),
	    cmocka_unit_test(test_line_limits),
	    cmocka_unit_test(test_line_limit_across_literals),
	    cmocka_unit_test(test_literal_limits),
	    cmocka_unit_test(test_response_limit),
	    cmocka_unit_test(test_line_caps_table),
	    cmocka_unit_test(test_caps_has_table),
	    cmocka_unit_test(test_status_table),
	    cmocka_unit_test(test_status_from_literal),
	    cmocka_unit_test(test_quota_table),
	    cmocka_unit_test(test_quote_table),
	    cmocka_unit_test(test_quote_clears),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
