/* Unit tests: SASL PLAIN (RFC 4616) and base64 (RFC 4648). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/mc_sasl.h"

typedef struct {
	const char *name;
	const char *authzid, *user, *pass;
	size_t outsz;
	mc_status_t want;
	const char *out;
} plain_case_t;

static const plain_case_t plain_cases[] = {
    /* RFC 4616 section 4, the two examples */
    {"RFC 4616: tim, no authzid", NULL, "tim", "tanstaaftanstaaf", 64, MC_OK,
     "AHRpbQB0YW5zdGFhZnRhbnN0YWFm"},
    {"RFC 4616: Kurt acting as Ursel", "Ursel", "Kurt", "xipj3plmq", 64, MC_OK,
     "VXJzZWwAS3VydAB4aXBqM3BsbXE="},
    {"empty authzid is none", "", "tim", "tanstaaftanstaaf", 64, MC_OK,
     "AHRpbQB0YW5zdGFhZnRhbnN0YWFm"},
    {"UTF-8 fields", "\xc3\xa9", "j\xc3\xb6rg", "p\xc3\xa4ss", 64, MC_OK, "w6kAasO2cmcAcMOkc3M="},
    {"exact fit", NULL, "tim", "tanstaaftanstaaf", 29, MC_OK, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm"},
    {"one byte short", NULL, "tim", "tanstaaftanstaaf", 28, MC_E_USAGE, ""},
    {"empty user", NULL, "", "x", 64, MC_E_USAGE, ""},
    {"empty password", NULL, "tim", "", 64, MC_E_USAGE, ""},
    {"NULL user", NULL, NULL, "x", 64, MC_E_USAGE, ""},
    {"NULL password", NULL, "tim", NULL, 64, MC_E_USAGE, ""},
};

static void test_plain_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(plain_cases) / sizeof(plain_cases[0]); i++) {
		const plain_case_t *c = &plain_cases[i];
		char out[64];

		print_message("case: %s\n", c->name);
		memset(out, 'X', sizeof(out));
		assert_int_equal(mc_sasl_plain(c->authzid, c->user, c->pass, out, c->outsz),
		                 c->want);
		assert_string_equal(out, c->out);
	}
}

/* Fields of 255 bytes pass, 256 fail (RFC 4616 section 2). */
static void test_plain_field_limits(void **state)
{
	char a[MC_SASL_PLAIN_FIELD_MAX + 2], u[MC_SASL_PLAIN_FIELD_MAX + 2],
	    p[MC_SASL_PLAIN_FIELD_MAX + 2], out[1100], dec[800];
	size_t n;
	int which;

	(void)state;
	memset(a, 'a', MC_SASL_PLAIN_FIELD_MAX);
	memset(u, 'u', MC_SASL_PLAIN_FIELD_MAX);
	memset(p, 'p', MC_SASL_PLAIN_FIELD_MAX);
	a[MC_SASL_PLAIN_FIELD_MAX] = u[MC_SASL_PLAIN_FIELD_MAX] = p[MC_SASL_PLAIN_FIELD_MAX] = '\0';
	assert_int_equal(mc_sasl_plain(a, u, p, out, sizeof(out)), MC_OK);
	assert_int_equal(strlen(out), 1024);
	assert_int_equal(mc_sasl_unbase64(out, dec, sizeof(dec), &n), MC_OK);
	assert_int_equal(n, 3 * MC_SASL_PLAIN_FIELD_MAX + 2);
	assert_int_equal(dec[MC_SASL_PLAIN_FIELD_MAX], '\0');
	assert_memory_equal(dec + MC_SASL_PLAIN_FIELD_MAX + 1, u, MC_SASL_PLAIN_FIELD_MAX);
	for (which = 0; which < 3; which++) {
		char *f = which == 0 ? a : which == 1 ? u : p;
		f[MC_SASL_PLAIN_FIELD_MAX] = 'x';
		f[MC_SASL_PLAIN_FIELD_MAX + 1] = '\0';
		print_message("field %d at 256 bytes\n", which);
		assert_int_equal(mc_sasl_plain(a, u, p, out, sizeof(out)), MC_E_USAGE);
		assert_string_equal(out, "");
		f[MC_SASL_PLAIN_FIELD_MAX] = '\0';
	}
}

typedef struct {
	const char *name;
	const char *in;
	size_t len;
	size_t outsz;
	mc_status_t want;
	const char *out;
} b64_case_t;

static const b64_case_t b64_cases[] = {
    /* RFC 4648 section 10 */
    {"empty", "", 0, 64, MC_OK, ""},
    {"f", "f", 1, 64, MC_OK, "Zg=="},
    {"fo", "fo", 2, 64, MC_OK, "Zm8="},
    {"foo", "foo", 3, 64, MC_OK, "Zm9v"},
    {"foob", "foob", 4, 64, MC_OK, "Zm9vYg=="},
    {"fooba", "fooba", 5, 64, MC_OK, "Zm9vYmE="},
    {"foobar", "foobar", 6, 64, MC_OK, "Zm9vYmFy"},
    {"high alphabet", "\xfb\xff\xbf", 3, 64, MC_OK, "+/+/"},
    {"NUL bytes", "\0\0\0", 3, 64, MC_OK, "AAAA"},
    {"exact fit", "foo", 3, 5, MC_OK, "Zm9v"},
    {"one byte short", "foo", 3, 4, MC_E_USAGE, ""},
    {"padding needs room", "f", 1, 4, MC_E_USAGE, ""},
    {"empty needs the NUL", "", 0, 1, MC_OK, ""},
};

static void test_base64_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(b64_cases) / sizeof(b64_cases[0]); i++) {
		const b64_case_t *c = &b64_cases[i];
		char out[64];

		print_message("case: %s\n", c->name);
		memset(out, 'X', sizeof(out));
		assert_int_equal(mc_sasl_base64(c->in, c->len, out, c->outsz), c->want);
		assert_string_equal(out, c->out);
	}
}

typedef struct {
	const char *name;
	const char *in;
	size_t outsz;
	mc_status_t want;
	const char *out;
	size_t outlen;
} unb64_case_t;

static const unb64_case_t unb64_cases[] = {
    {"empty challenge", "", 64, MC_OK, "", 0},
    {"Zg==", "Zg==", 64, MC_OK, "f", 1},
    {"Zm8=", "Zm8=", 64, MC_OK, "fo", 2},
    {"Zm9v", "Zm9v", 64, MC_OK, "foo", 3},
    {"Zm9vYg==", "Zm9vYg==", 64, MC_OK, "foob", 4},
    {"Zm9vYmE=", "Zm9vYmE=", 64, MC_OK, "fooba", 5},
    {"Zm9vYmFy", "Zm9vYmFy", 64, MC_OK, "foobar", 6},
    {"high alphabet", "+/+/", 64, MC_OK, "\xfb\xff\xbf", 3},
    {"NUL bytes", "AAAA", 64, MC_OK, "\0\0\0", 3},
    {"SMTP AUTH LOGIN prompt", "VXNlcm5hbWU6", 64, MC_OK, "Username:", 9},
    {"exact fit", "Zm9v", 4, MC_OK, "foo", 3},
    {"one byte short", "Zm9v", 3, MC_E_LIMIT, "", 0},
    {"padding not counted", "Zg==", 2, MC_OK, "f", 1},
    {"missing padding", "Zg", 64, MC_E_PROTOCOL, "", 0},
    {"missing one pad", "Zg=", 64, MC_E_PROTOCOL, "", 0},
    {"three pads", "Z===", 64, MC_E_PROTOCOL, "", 0},
    {"all pads", "====", 64, MC_E_PROTOCOL, "", 0},
    {"pad in the middle", "Zg==Zg==", 64, MC_E_PROTOCOL, "", 0},
    {"pad then data", "Zm=v", 64, MC_E_PROTOCOL, "", 0},
    {"lone '='", "=", 64, MC_E_PROTOCOL, "", 0},
    {"non-zero pad bits, one pad", "Zm9=", 64, MC_E_PROTOCOL, "", 0},
    {"non-zero pad bits, two pads", "Zh==", 64, MC_E_PROTOCOL, "", 0},
    {"space", "Zm9v Zm9v", 64, MC_E_PROTOCOL, "", 0},
    {"leading space", " Zm9v", 64, MC_E_PROTOCOL, "", 0},
    {"trailing CRLF", "Zm9v\r\n", 64, MC_E_PROTOCOL, "", 0},
    {"URL-safe alphabet", "-_-_", 64, MC_E_PROTOCOL, "", 0},
    {"8-bit byte", "Zm9\xff", 64, MC_E_PROTOCOL, "", 0},
    {"length not a multiple of 4", "Zm9vY", 64, MC_E_PROTOCOL, "", 0},
    {"NULL", NULL, 64, MC_E_PROTOCOL, "", 0},
};

static void test_unbase64_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(unb64_cases) / sizeof(unb64_cases[0]); i++) {
		const unb64_case_t *c = &unb64_cases[i];
		char out[64];
		size_t n = 99;

		print_message("case: %s\n", c->name);
		memset(out, 'X', sizeof(out));
		assert_int_equal(mc_sasl_unbase64(c->in, out, c->outsz, &n), c->want);
		assert_int_equal(n, c->outlen);
		assert_memory_equal(out, c->out, c->outlen);
		assert_int_equal(out[c->outlen], '\0');
	}
}

/* A failure clears the whole output buffer, not just its first byte. */
static void test_failure_clears(void **state)
{
	char out[16];
	size_t n, i;

	(void)state;
	memset(out, 'X', sizeof(out));
	assert_int_equal(mc_sasl_unbase64("c2VjcmV0c2VjcmV0", out, 8, &n), MC_E_LIMIT);
	for (i = 0; i < 8; i++)
		assert_int_equal(out[i], 0);
	memset(out, 'X', sizeof(out));
	assert_int_equal(mc_sasl_plain(NULL, "user", "secret", out, sizeof(out)), MC_E_USAGE);
	for (i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], 0);
	assert_int_equal(mc_sasl_unbase64("Zm9v", out, 0, &n), MC_E_LIMIT);
	assert_int_equal(mc_sasl_base64("a", 1, out, 0), MC_E_USAGE);
}

/* Every length 0..300 of every byte value goes there and back. */
static void test_round_trip(void **state)
{
	unsigned char in[300];
	char enc[404], dec[301];
	size_t len, n;

	(void)state;
	for (len = 0; len < sizeof(in); len++)
		in[len] = (unsigned char)(len * 7 + 3);
	for (len = 0; len <= sizeof(in); len++) {
		assert_int_equal(mc_sasl_base64((const char *)in, len, enc, sizeof(enc)), MC_OK);
		assert_int_equal(strlen(enc), (len + 2) / 3 * 4);
		assert_int_equal(mc_sasl_unbase64(enc, dec, sizeof(dec), &n), MC_OK);
		assert_int_equal(n, len);
		assert_memory_equal(dec, in, len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_table),    cmocka_unit_test(test_plain_field_limits),
	    cmocka_unit_test(test_base64_table),   cmocka_unit_test(test_unbase64_table),
	    cmocka_unit_test(test_failure_clears), cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
