/* Unit tests: policy/mc_mtasts, MTA-STS (RFC 8461): the _mta-sts TXT record,
 * the policy file, mx pattern matching, and error texts cut to the buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy/mc_mtasts.h"

/* An error text is one printable line that fits the buffer. */
static void assert_one_line(const char *err, size_t errsz)
{
	const char *end = memchr(err, '\0', errsz);
	const char *p;

	assert_non_null(end);
	for (p = err; p < end; p++)
		assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
}

typedef struct {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	mc_status_t want;
	const char *id;  /* wanted id on MC_OK */
	const char *err; /* substring of the error, or NULL */
} record_case_t;

static const record_case_t record_cases[] = {
    {"RFC example", "v=STSv1; id=20160831085700Z;", 0, MC_OK, "20160831085700Z", NULL},
    {"no trailing ;", "v=STSv1; id=20160831085700Z", 0, MC_OK, "20160831085700Z", NULL},
    {"trailing ; and spaces", "v=STSv1; id=abc ; ", 0, MC_OK, "abc", NULL},
    {"no space after ;", "v=STSv1;id=abc", 0, MC_OK, "abc", NULL},
    {"spaces and tabs around ;", "v=STSv1 \t;\t id=abc \t; ", 0, MC_OK, "abc", NULL},
    {"extension fields ignored", "v=STSv1; ext.x-1_a=foo:bar; id=1; z=9", 0, MC_OK, "1", NULL},
    {"extension may repeat", "v=STSv1; id=1; a=b; a=c", 0, MC_OK, "1", NULL},
    {"id of 32 characters", "v=STSv1; id=0123456789abcdefABCDEF0123456789", 0, MC_OK,
     "0123456789abcdefABCDEF0123456789", NULL},
    {"missing id", "v=STSv1; foo=bar", 0, MC_E_PROTOCOL, NULL, "no id= field"},
    {"version only", "v=STSv1", 0, MC_E_PROTOCOL, NULL, "no id= field"},
    {"version and ; only", "v=STSv1;", 0, MC_E_PROTOCOL, NULL, "no id= field"},
    {"id of 33 characters", "v=STSv1; id=0123456789abcdefABCDEF0123456789X", 0, MC_E_PROTOCOL, NULL,
     "is not 1-32 letters and digits"},
    {"id with a bad character", "v=STSv1; id=x!", 0, MC_E_PROTOCOL, NULL,
     "id 'x!' is not 1-32 letters and digits"},
    {"empty id", "v=STSv1; id=", 0, MC_E_PROTOCOL, NULL, "is not 1-32"},
    {"id with a space inside", "v=STSv1; id=ab cd", 0, MC_E_PROTOCOL, NULL, "is not 1-32"},
    {"id twice", "v=STSv1; id=1; id=2", 0, MC_E_PROTOCOL, NULL, "id= given twice"},
    {"id twice, same value", "v=STSv1; id=1; id=1", 0, MC_E_PROTOCOL, NULL, "given twice"},
    {"v twice", "v=STSv1; id=1; v=STSv1", 0, MC_E_PROTOCOL, NULL, "v= given twice"},
    {"v not first", "id=1; v=STSv1", 0, MC_E_PROTOCOL, NULL, "v=STSv1 must come first"},
    {"whitespace before v", " v=STSv1; id=1", 0, MC_E_PROTOCOL, NULL, "whitespace before"},
    {"SPF record is not ours", "v=spf1 -all", 0, MC_E_AGAIN, NULL, "not an MTA-STS record"},
    {"other version is not ours", "v=STSv2; id=1", 0, MC_E_AGAIN, NULL, NULL},
    {"version prefix is not ours", "v=STSv10; id=1", 0, MC_E_AGAIN, NULL, NULL},
    {"version is case-sensitive", "V=stsv1; id=1", 0, MC_E_AGAIN, NULL, NULL},
    {"empty record is not ours", "", 0, MC_E_AGAIN, NULL, NULL},
    {"missing ; after version", "v=STSv1 id=1", 0, MC_E_PROTOCOL, NULL, "no ';' after"},
    {"empty field", "v=STSv1;; id=1", 0, MC_E_PROTOCOL, NULL, "empty field"},
    {"two trailing ;", "v=STSv1; id=1;;", 0, MC_E_PROTOCOL, NULL, "empty field"},
    {"field without =", "v=STSv1; id=1; junk", 0, MC_E_PROTOCOL, NULL, "is not name=value"},
    {"space before =", "v=STSv1; id =1", 0, MC_E_PROTOCOL, NULL, "malformed name"},
    {"extension name too long", "v=STSv1; id=1; a23456789012345678901234567890123=x", 0,
     MC_E_PROTOCOL, NULL, "malformed name"},
    {"extension value empty", "v=STSv1; id=1; a=", 0, MC_E_PROTOCOL, NULL, "malformed value"},
    {"extension value with =", "v=STSv1; id=1; a=b=c", 0, MC_E_PROTOCOL, NULL, "malformed value"},
    {"NUL byte", "v=STSv1; id=1\0", 14, MC_E_PROTOCOL, NULL, "NUL byte"},
    {"NUL byte before version", "\0v=STSv1; id=1", 14, MC_E_PROTOCOL, NULL, "NUL byte"},
    {"control byte quoted sanitized", "v=STSv1; id=a\x1b[31m", 0, MC_E_PROTOCOL, NULL,
     "id 'a?[31m'"},
    {"length bounds the input", "v=STSv1; id=abcdef", 15, MC_OK, "abc", NULL},
};

static void test_record_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(record_cases) / sizeof(record_cases[0]); i++) {
		const record_case_t *c = &record_cases[i];
		mc_sts_record_t rec;
		char err[256] = "";
		mc_status_t st;

		print_message("case: %s\n", c->name);
		st = mc_sts_record_parse(c->in, c->len ? c->len : strlen(c->in), &rec, err,
		                         sizeof(err));
		assert_int_equal(st, c->want);
		if (st == MC_OK)
			assert_string_equal(rec.id, c->id);
		else
			assert_one_line(err, sizeof(err));
		if (c->err)
			assert_non_null(strstr(err, c->err));
	}
}

typedef struct {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	mc_status_t want;
	mc_sts_mode_t mode;
	long max_age;
	size_t nmx;
	const char *mx0, *mx1; /* first two mx, or NULL */
	const char *err;       /* substring of the error, or NULL */
} policy_case_t;

#define GOOD_HEAD "version: STSv1\nmode: enforce\n"

static const policy_case_t policy_cases[] = {
    {"enforce with two mx, LF",
     "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 86400\n", 0,
     MC_OK, MC_STS_MODE_ENFORCE, 86400, 2, "mail.example.com", "*.example.net", NULL},
    {"CRLF line ends",
     "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n", 0, MC_OK,
     MC_STS_MODE_TESTING, 604800, 1, "mx1.example.com", NULL, NULL},
    {"no newline after the last line", "version: STSv1\nmode: enforce\nmx: a.b\nmax_age: 1", 0,
     MC_OK, MC_STS_MODE_ENFORCE, 1, 1, "a.b", NULL, NULL},
    {"no CRLF after the last line", "version: STSv1\r\nmode: enforce\r\nmx: a.b\r\nmax_age: 1", 0,
     MC_OK, MC_STS_MODE_ENFORCE, 1, 1, "a.b", NULL, NULL},
    {"order does not matter", "max_age: 0\nmx: a.b\nmode: enforce\nversion: STSv1\n", 0, MC_OK,
     MC_STS_MODE_ENFORCE, 0, 1, "a.b", NULL, NULL},
    {"unknown key ignored", GOOD_HEAD "x-note: anything, even : colons\nmx: a.b\nmax_age: 5\n", 0,
     MC_OK, MC_STS_MODE_ENFORCE, 5, 1, "a.b", NULL, NULL},
    {"unknown key repeated ignored", GOOD_HEAD "ext: 1\next: 2\nmx: a.b\nmax_age: 5\n", 0, MC_OK,
     MC_STS_MODE_ENFORCE, 5, 1, "a.b", NULL, NULL},
    {"UTF-8 in an unknown value", GOOD_HEAD "note: \xc3\xa9t\xc3\xa9\nmx: a.b\nmax_age: 5\n", 0,
     MC_OK, MC_STS_MODE_ENFORCE, 5, 1, "a.b", NULL, NULL},
    {"mode none without mx", "version: STSv1\nmode: none\nmax_age: 86400\n", 0, MC_OK,
     MC_STS_MODE_NONE, 86400, 0, NULL, NULL, NULL},
    {"whitespace around values",
     "version:STSv1 \nmode:\t enforce\t\nmx:   a.example.com  \r\nmax_age:  86400 \n", 0, MC_OK,
     MC_STS_MODE_ENFORCE, 86400, 1, "a.example.com", NULL, NULL},
    {"blank lines skipped", "\nversion: STSv1\n\r\nmode: none\n \t\nmax_age: 9\n\n", 0, MC_OK,
     MC_STS_MODE_NONE, 9, 0, NULL, NULL, NULL},
    {"max_age upper bound", "version: STSv1\nmode: none\nmax_age: 31557600\n", 0, MC_OK,
     MC_STS_MODE_NONE, 31557600, 0, NULL, NULL, NULL},
    {"max_age leading zeros", "version: STSv1\nmode: none\nmax_age: 0000000010\n", 0, MC_OK,
     MC_STS_MODE_NONE, 10, 0, NULL, NULL, NULL},
    {"same mx twice", GOOD_HEAD "mx: a.b\nmx: a.b\nmax_age: 5\n", 0, MC_OK, MC_STS_MODE_ENFORCE, 5,
     2, "a.b", "a.b", NULL},
    {"missing version", "mode: enforce\nmx: a.b\nmax_age: 5\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL,
     NULL, "no version"},
    {"missing mode", "version: STSv1\nmx: a.b\nmax_age: 5\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "no mode"},
    {"missing max_age", GOOD_HEAD "mx: a.b\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL, "no max_age"},
    {"enforce without mx", GOOD_HEAD "max_age: 5\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "mode enforce without any mx"},
    {"testing without mx", "version: STSv1\nmode: testing\nmax_age: 5\n", 0, MC_E_PROTOCOL, 0, 0, 0,
     NULL, NULL, "mode testing without"},
    {"empty file", "", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL, "no version"},
    {"version STSv2", "version: STSv2\nmode: none\nmax_age: 5\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL,
     NULL, "line 1: version 'STSv2' is not STSv1"},
    {"mode twice, second invalid", "version: STSv1\nmode: none\nmax_age: 5\nmode: strict\n", 0,
     MC_E_PROTOCOL, 0, 0, 0, NULL, NULL, "line 4: mode given twice (first on line 2)"},
    {"mode not a mode", "version: STSv1\nmax_age: 5\nmode: strict\n", 0, MC_E_PROTOCOL, 0, 0, 0,
     NULL, NULL, "line 3: mode 'strict' is not enforce, testing or none"},
    {"mode is case-sensitive", "version: STSv1\nmode: Enforce\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL,
     NULL, "line 2: mode 'Enforce'"},
    {"duplicate mode", "version: STSv1\nmode: none\nmode: none\nmax_age: 5\n", 0, MC_E_PROTOCOL, 0,
     0, 0, NULL, NULL, "line 3: mode given twice"},
    {"duplicate version", "version: STSv1\nversion: STSv1\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "line 2: version given twice"},
    {"duplicate max_age", "max_age: 1\nmax_age: 1\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "line 2: max_age given twice"},
    {"max_age over the bound", "version: STSv1\nmode: none\nmax_age: 31557601\n", 0, MC_E_PROTOCOL,
     0, 0, 0, NULL, NULL, "line 3: max_age '31557601' is not 0-31557600"},
    {"max_age of 11 digits", "max_age: 00000000001\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "is not 0-31557600"},
    {"max_age negative", "max_age: -1\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL, "max_age '-1'"},
    {"max_age with a sign", "max_age: +1\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL, "max_age '+1'"},
    {"max_age not numeric", "max_age: 1d\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL, "max_age '1d'"},
    {"max_age empty", "max_age:\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL, "max_age ''"},
    {"max_age huge", "max_age: 99999999999999999999999\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "is not 0-31557600"},
    {"line without colon", "version: STSv1\nmode enforce\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "line 2: no ':' in 'mode enforce'"},
    {"space before colon", "version : STSv1\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "line 1: key 'version ' is not a field name"},
    {"indented key", "version: STSv1\n  mode: none\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "line 2: key"},
    {"empty key", ": x\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL, "line 1: key ''"},
    {"keys are case-sensitive", "Version: STSv1\nmode: none\nmax_age: 1\n", 0, MC_E_PROTOCOL, 0, 0,
     0, NULL, NULL, "no version"},
    {"mx empty", GOOD_HEAD "mx:\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "line 3: mx '' is not a host name or *.name"},
    {"mx with trailing dot", GOOD_HEAD "mx: a.b.\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "mx 'a.b.'"},
    {"mx wildcard in the middle", GOOD_HEAD "mx: a.*.b\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "mx 'a.*.b'"},
    {"mx wildcard alone", GOOD_HEAD "mx: *\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL, "mx '*'"},
    {"mx wildcard without a dot", GOOD_HEAD "mx: *example.com\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL,
     NULL, "mx '*example.com'"},
    {"mx with two names", GOOD_HEAD "mx: a.b c.d\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "mx 'a.b c.d'"},
    {"mx label ends in a hyphen", GOOD_HEAD "mx: a-.b\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "mx 'a-.b'"},
    {"mx label of 64",
     GOOD_HEAD "mx: a123456789012345678901234567890123456789012345678901234567890123.b\n", 0,
     MC_E_PROTOCOL, 0, 0, 0, NULL, NULL, "mx 'a12345"},
    {"mx with underscore", GOOD_HEAD "mx: a_b.c\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "mx 'a_b.c'"},
    {"NUL byte", "version: STSv1\nmode: none\0\nmax_age: 1\n", 38, MC_E_PROTOCOL, 0, 0, 0, NULL,
     NULL, "line 2: control byte 0x00"},
    {"stray CR", "version: STSv1\rmode: none\nmax_age: 1\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "line 1: control byte 0x0d"},
    {"CR at the very end", "version: STSv1\nmode: none\nmax_age: 1\r", 0, MC_E_PROTOCOL, 0, 0, 0,
     NULL, NULL, "line 3: control byte 0x0d"},
    {"escape quoted sanitized", "mode: \x1b[1m\n", 0, MC_E_PROTOCOL, 0, 0, 0, NULL, NULL,
     "control byte 0x1b"},
    {"length bounds the input", "version: STSv1\nmode: none\nmax_age: 12345", 37, MC_OK,
     MC_STS_MODE_NONE, 12, 0, NULL, NULL, NULL},
};

static void test_policy_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(policy_cases) / sizeof(policy_cases[0]); i++) {
		const policy_case_t *c = &policy_cases[i];
		mc_sts_policy_t *pol = malloc(sizeof(*pol));
		char err[256] = "";
		mc_status_t st;

		assert_non_null(pol);
		print_message("case: %s\n", c->name);
		st = mc_sts_policy_parse(c->in, c->len ? c->len : strlen(c->in), pol, err,
		                         sizeof(err));
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			assert_int_equal(pol->mode, c->mode);
			assert_int_equal(pol->max_age, c->max_age);
			assert_int_equal(pol->nmx, c->nmx);
			if (c->mx0)
				assert_string_equal(pol->mx[0], c->mx0);
			if (c->mx1)
				assert_string_equal(pol->mx[1], c->mx1);
		} else {
			assert_one_line(err, sizeof(err));
		}
		if (c->err)
			assert_non_null(strstr(err, c->err));
		free(pol);
	}
}

/* MC_STS_MAX_MX mx lines pass, one more fails naming its line. */
static void test_policy_mx_limit(void **state)
{
	mc_sts_policy_t *pol = malloc(sizeof(*pol));
	char text[4096], err[256];
	size_t used, i;

	(void)state;
	assert_non_null(pol);
	used = (size_t)snprintf(text, sizeof(text), "version: STSv1\nmode: enforce\n");
	for (i = 0; i < MC_STS_MAX_MX; i++)
		used +=
		    (size_t)snprintf(text + used, sizeof(text) - used, "mx: mx%zu.example\n", i);
	used += (size_t)snprintf(text + used, sizeof(text) - used, "max_age: 60\n");
	assert_true(used < sizeof(text));
	assert_int_equal(mc_sts_policy_parse(text, used, pol, err, sizeof(err)), MC_OK);
	assert_int_equal(pol->nmx, MC_STS_MAX_MX);
	assert_string_equal(pol->mx[MC_STS_MAX_MX - 1], "mx31.example");
	assert_int_equal(mc_sts_policy_match(pol, "MX31.example."), MC_STS_MAX_MX - 1);

	used += (size_t)snprintf(text + used, sizeof(text) - used, "mx: one.more\n");
	assert_int_equal(mc_sts_policy_parse(text, used, pol, err, sizeof(err)), MC_E_PROTOCOL);
	assert_string_equal(err, "line 36: more than 32 mx lines");
	free(pol);
}

/* "*." and labels of 63, 63, 63 and last bytes, with dots. */
static size_t long_pattern(char *out, size_t last)
{
	size_t n = 0;
	int l;

	memcpy(out, "*.", 2);
	n = 2;
	for (l = 0; l < 4; l++) {
		size_t ln = l == 3 ? last : 63;
		memset(out + n, 'a' + l, ln);
		n += ln;
		if (l < 3)
			out[n++] = '.';
	}
	out[n] = '\0';
	return n;
}

/* The longest name (253) fits the struct after "*."; 254 is an error. */
static void test_policy_mx_length(void **state)
{
	mc_sts_policy_t *pol = malloc(sizeof(*pol));
	char text[1024], host[300], err[256];
	size_t used;

	(void)state;
	assert_non_null(pol);
	assert_int_equal(long_pattern(host, 61), 255);
	used = (size_t)snprintf(text, sizeof(text),
	                        "version: STSv1\nmode: enforce\nmx: %s\nmax_age: 1\n", host);
	assert_int_equal(mc_sts_policy_parse(text, used, pol, err, sizeof(err)), MC_OK);
	assert_string_equal(pol->mx[0], host);
	/* the wildcard stands for one label: "mx" in place of the '*' */
	host[0] = 'x';
	assert_true(mc_sts_mx_match(pol->mx[0], host));
	assert_false(mc_sts_mx_match(pol->mx[0], host + 2));

	assert_int_equal(long_pattern(host, 62), 256);
	used = (size_t)snprintf(text, sizeof(text),
	                        "version: STSv1\nmode: enforce\nmx: %s\nmax_age: 1\n", host);
	assert_int_equal(mc_sts_policy_parse(text, used, pol, err, sizeof(err)), MC_E_PROTOCOL);
	assert_non_null(strstr(err, "line 3: mx '*.aaaa"));
	assert_non_null(strstr(err, "...' is not a host name"));
	free(pol);
}

typedef struct {
	const char *name;
	const char *pattern;
	const char *host;
	bool want;
} match_case_t;

static const match_case_t match_cases[] = {
    {"exact", "mail.example.com", "mail.example.com", true},
    {"exact, other name", "mail.example.com", "mail.example.net", false},
    {"exact, host longer", "example.com", "mail.example.com", false},
    {"exact, host shorter", "mail.example.com", "example.com", false},
    {"case-insensitive", "Mail.Example.COM", "mail.EXAMPLE.com", true},
    {"trailing dot on host", "mail.example.com", "mail.example.com.", true},
    {"two trailing dots", "mail.example.com", "mail.example.com..", false},
    {"wildcard, one label", "*.example.com", "mx1.example.com", true},
    {"wildcard, zero labels", "*.example.com", "example.com", false},
    {"wildcard, two labels", "*.example.com", "a.mx.example.com", false},
    {"wildcard, empty label", "*.example.com", ".example.com", false},
    {"wildcard, trailing dot", "*.example.com", "mx1.example.com.", true},
    {"wildcard, case-insensitive", "*.Example.Com", "MX1.EXAMPLE.COM", true},
    {"wildcard, suffix not on a label boundary", "*.example.com", "mxexample.com", false},
    {"wildcard, other domain", "*.example.com", "mx1.example.net", false},
    {"wildcard, longer suffix", "*.example.com", "mx.example.com.evil", false},
    {"empty host", "example.com", "", false},
    {"host only a dot", "example.com", ".", false},
};

static void test_mx_match_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const match_case_t *c = &match_cases[i];
		print_message("case: %s\n", c->name);
		assert_int_equal(mc_sts_mx_match(c->pattern, c->host), c->want);
	}
}

static void test_policy_match(void **state)
{
	static const char text[] = "version: STSv1\nmode: testing\nmx: mail.example.com\n"
	                           "mx: *.example.net\nmx: backup.example.org\nmax_age: 1\n";
	mc_sts_policy_t *pol = malloc(sizeof(*pol));
	char err[256];

	(void)state;
	assert_non_null(pol);
	assert_int_equal(mc_sts_policy_parse(text, sizeof(text) - 1, pol, err, sizeof(err)), MC_OK);
	assert_int_equal(mc_sts_policy_match(pol, "mail.example.com"), 0);
	assert_int_equal(mc_sts_policy_match(pol, "mx2.example.net."), 1);
	assert_int_equal(mc_sts_policy_match(pol, "BACKUP.example.org"), 2);
	assert_int_equal(mc_sts_policy_match(pol, "example.net"), -1);
	assert_int_equal(mc_sts_policy_match(pol, "evil.example"), -1);
	free(pol);
}

static void test_mode_str(void **state)
{
	(void)state;
	assert_string_equal(mc_sts_mode_str(MC_STS_MODE_ENFORCE), "enforce");
	assert_string_equal(mc_sts_mode_str(MC_STS_MODE_TESTING), "testing");
	assert_string_equal(mc_sts_mode_str(MC_STS_MODE_NONE), "none");
	assert_string_equal(mc_sts_mode_str((mc_sts_mode_t)42), "unknown");
}

/* Errors are cut to the buffer, NUL-terminated, for both parsers. */
static void test_error_buffer_bound(void **state)
{
	static const char rec_in[] = "v=STSv1; id=\x01\x02\x03\x04\x05\x06\x07\x08 and more";
	static const char pol_in[] = "version: STSv1\nmode: a-very-long-mode-name-indeed\n";
	mc_sts_record_t rec;
	mc_sts_policy_t *pol = malloc(sizeof(*pol));
	char err[16];
	size_t sz;

	(void)state;
	assert_non_null(pol);
	for (sz = 1; sz <= sizeof(err); sz++) {
		memset(err, 'X', sizeof(err));
		assert_int_equal(mc_sts_record_parse(rec_in, sizeof(rec_in) - 1, &rec, err, sz),
		                 MC_E_PROTOCOL);
		assert_one_line(err, sz);
		memset(err, 'X', sizeof(err));
		assert_int_equal(mc_sts_policy_parse(pol_in, sizeof(pol_in) - 1, pol, err, sz),
		                 MC_E_PROTOCOL);
		assert_one_line(err, sz);
	}
	/* errsz 0: nothing written */
	memset(err, 'X', sizeof(err));
	assert_int_equal(mc_sts_record_parse(rec_in, sizeof(rec_in) - 1, &rec, err, 0),
	                 MC_E_PROTOCOL);
	assert_int_equal(err[0], 'X');
	free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_record_table),    cmocka_unit_test(test_policy_table),
	    cmocka_unit_test(test_policy_mx_limit), cmocka_unit_test(test_policy_mx_length),
	    cmocka_unit_test(test_mx_match_table),  cmocka_unit_test(test_policy_match),
	    cmocka_unit_test(test_mode_str),        cmocka_unit_test(test_error_buffer_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
