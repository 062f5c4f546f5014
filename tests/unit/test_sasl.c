/* Unit tests: SASL PLAIN (RFC 4616), base64 (RFC 4648), CRAM-MD5 (RFC 2195)
 * and SCRAM-SHA-256 (RFC 5802, RFC 7677). */
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

/* ---- CRAM-MD5 ---- */

typedef struct {
	const char *name;
	const char *user, *pass, *challenge;
	size_t challenge_len;
	size_t outsz;
	mc_status_t want;
	const char *out;
} cram_case_t;

#define RFC2195_CHALLENGE "<1896.697170952@postoffice.reston.mci.net>"
#define RFC2195_RESPONSE "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"
#define K100                                                                                       \
	"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" \
	"kkkkkkkkkkkk"

static const cram_case_t cram_cases[] = {
    {"RFC 2195 section 2 example", "tim", "tanstaaftanstaaf", RFC2195_CHALLENGE,
     sizeof(RFC2195_CHALLENGE) - 1, 128, MC_OK, RFC2195_RESPONSE},
    {"empty challenge", "tim", "tanstaaftanstaaf", "", 0, 128, MC_OK,
     "dGltIGJhMDAxNjU5MWQ2MTI2NjIzNDhiMjBiY2Q3ZjQ0Mzlh"},
    {"NULL challenge of length 0", "tim", "tanstaaftanstaaf", NULL, 0, 128, MC_OK,
     "dGltIGJhMDAxNjU5MWQ2MTI2NjIzNDhiMjBiY2Q3ZjQ0Mzlh"},
    {"UTF-8 user and password", "j\xc3\xb6rg", "p\xc3\xa4ss", "<1.2@x>", 7, 128, MC_OK,
     "asO2cmcgODNlNjQ4MWVkMmFlNmYyZjRjMjJjNDVmYzcwMDZkMDM="},
    {"key longer than the MD5 block, binary challenge", "tim", K100, "\0\1\xff", 3, 128, MC_OK,
     "dGltIDlmZjVmZDc4Y2EyMGVhNDYwNDJlODRkMDM1NWMwYjBi"},
    {"exact fit", "tim", "tanstaaftanstaaf", RFC2195_CHALLENGE, sizeof(RFC2195_CHALLENGE) - 1,
     sizeof(RFC2195_RESPONSE), MC_OK, RFC2195_RESPONSE},
    {"one byte short", "tim", "tanstaaftanstaaf", RFC2195_CHALLENGE, sizeof(RFC2195_CHALLENGE) - 1,
     sizeof(RFC2195_RESPONSE) - 1, MC_E_USAGE, ""},
    {"empty user", "", "x", "c", 1, 128, MC_E_USAGE, ""},
    {"NULL user", NULL, "x", "c", 1, 128, MC_E_USAGE, ""},
    {"control byte in user", "t\tim", "x", "c", 1, 128, MC_E_USAGE, ""},
    {"DEL in user", "tim\x7f", "x", "c", 1, 128, MC_E_USAGE, ""},
    {"empty password", "tim", "", "c", 1, 128, MC_E_USAGE, ""},
    {"NULL password", "tim", NULL, "c", 1, 128, MC_E_USAGE, ""},
    {"NULL challenge with a length", "tim", "x", NULL, 3, 128, MC_E_USAGE, ""},
};

static void test_cram_md5_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cram_cases) / sizeof(cram_cases[0]); i++) {
		const cram_case_t *c = &cram_cases[i];
		char out[128];

		print_message("case: %s\n", c->name);
		memset(out, 'X', sizeof(out));
		assert_int_equal(mc_sasl_cram_md5(c->user, c->pass,
		                                  (const unsigned char *)c->challenge,
		                                  c->challenge_len, out, c->outsz),
		                 c->want);
		assert_string_equal(out, c->out);
		if (c->want != MC_OK) {
			size_t k;
			for (k = 0; k < c->outsz; k++)
				assert_int_equal(out[k], 0);
		}
	}
}

/* Users and passwords of 255 bytes pass, 256 fail. */
static void test_cram_md5_field_limits(void **state)
{
	char u[MC_SASL_FIELD_MAX + 2], p[MC_SASL_FIELD_MAX + 2], out[512], dec[400];
	size_t n;

	(void)state;
	memset(u, 'u', MC_SASL_FIELD_MAX);
	memset(p, 'p', MC_SASL_FIELD_MAX);
	u[MC_SASL_FIELD_MAX] = p[MC_SASL_FIELD_MAX] = '\0';
	assert_int_equal(mc_sasl_cram_md5(u, p, (const unsigned char *)"c", 1, out, sizeof(out)),
	                 MC_OK);
	assert_int_equal(mc_sasl_unbase64(out, dec, sizeof(dec), &n), MC_OK);
	assert_int_equal(n, MC_SASL_FIELD_MAX + 1 + 32);
	assert_int_equal(dec[MC_SASL_FIELD_MAX], ' ');
	u[MC_SASL_FIELD_MAX] = 'u';
	u[MC_SASL_FIELD_MAX + 1] = '\0';
	assert_int_equal(mc_sasl_cram_md5(u, p, (const unsigned char *)"c", 1, out, sizeof(out)),
	                 MC_E_USAGE);
	u[MC_SASL_FIELD_MAX] = '\0';
	p[MC_SASL_FIELD_MAX] = 'p';
	p[MC_SASL_FIELD_MAX + 1] = '\0';
	assert_int_equal(mc_sasl_cram_md5(u, p, (const unsigned char *)"c", 1, out, sizeof(out)),
	                 MC_E_USAGE);
	assert_string_equal(out, "");
}

/* ---- SCRAM-SHA-256 ---- */

/* RFC 7677 section 3: user "user", password "pencil". */
#define R_CNONCE "rOprNGfwEbeRWgbNEkqO"
#define R_NONCE R_CNONCE "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
#define R_SALT "W22ZaJ0SNY7soEsUEjb6gQ=="
#define R_CFIRST "n,,n=user,r=" R_CNONCE
#define R_SFIRST "r=" R_NONCE ",s=" R_SALT ",i=4096"
#define R_CFINAL "c=biws,r=" R_NONCE ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
#define R_SFINAL "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
#define R_PASS "pencil"

static void assert_cleared(const char *out, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		assert_int_equal(out[k], 0);
}

/* The three steps of the RFC 7677 example conversation. */
static void test_scram_rfc7677(void **state)
{
	mc_sasl_scram_t s;
	char out[MC_SASL_SCRAM_OUT_SIZE], err[256] = "";

	(void)state;
	assert_int_equal(mc_sasl_scram_start(&s, "user", R_CNONCE, out, sizeof(out)), MC_OK);
	assert_string_equal(out, R_CFIRST);
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, R_SFIRST, strlen(R_SFIRST), out,
	                                     sizeof(out), err, sizeof(err)),
	                 MC_OK);
	assert_string_equal(out, R_CFINAL);
	assert_string_equal(err, "");
	assert_int_equal(mc_sasl_scram_verify(&s, R_SFINAL, strlen(R_SFINAL), err, sizeof(err)),
	                 MC_OK);
	assert_string_equal(err, "");
	/* The exchange is over: a second verify is out of order. */
	assert_int_equal(mc_sasl_scram_verify(&s, R_SFINAL, strlen(R_SFINAL), err, sizeof(err)),
	                 MC_E_USAGE);
	mc_sasl_scram_clear(&s);
	mc_sasl_scram_clear(&s);
}

typedef struct {
	const char *name;
	const char *user, *cnonce;
	size_t outsz;
	mc_status_t want;
	const char *out;
} scram_start_case_t;

#define N64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const scram_start_case_t scram_start_cases[] = {
    {"RFC 7677 client-first", "user", R_CNONCE, 128, MC_OK, R_CFIRST},
    {"',' and '=' escaped (RFC 5802 5.1)", "a,b=c", "n", 128, MC_OK, "n,,n=a=2Cb=3Dc,r=n"},
    {"only escapes", ",=", "n", 128, MC_OK, "n,,n==2C=3D,r=n"},
    {"UTF-8 user as given", "j\xc3\xb6rg", "n", 128, MC_OK, "n,,n=j\xc3\xb6rg,r=n"},
    {"nonce of 64 bytes", "u", N64, 128, MC_OK, "n,,n=u,r=" N64},
    {"nonce with every printable but ','", "u", "!+-~", 128, MC_OK, "n,,n=u,r=!+-~"},
    {"exact fit", "user", R_CNONCE, sizeof(R_CFIRST), MC_OK, R_CFIRST},
    {"one byte short", "user", R_CNONCE, sizeof(R_CFIRST) - 1, MC_E_USAGE, ""},
    {"nonce of 65 bytes", "u", N64 "x", 128, MC_E_USAGE, ""},
    {"empty nonce", "u", "", 128, MC_E_USAGE, ""},
    {"',' in the nonce", "u", "a,b", 128, MC_E_USAGE, ""},
    {"space in the nonce", "u", "a b", 128, MC_E_USAGE, ""},
    {"8-bit byte in the nonce", "u", "a\xc3\xb6", 128, MC_E_USAGE, ""},
    {"empty user", "", "n", 128, MC_E_USAGE, ""},
    {"NULL user", NULL, "n", 128, MC_E_USAGE, ""},
    {"control byte in user", "us\rer", "n", 128, MC_E_USAGE, ""},
    {"DEL in user", "\x7fuser", "n", 128, MC_E_USAGE, ""},
};

static void test_scram_start_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(scram_start_cases) / sizeof(scram_start_cases[0]); i++) {
		const scram_start_case_t *c = &scram_start_cases[i];
		mc_sasl_scram_t s;
		char out[128], err[128];

		print_message("case: %s\n", c->name);
		memset(out, 'X', sizeof(out));
		assert_int_equal(mc_sasl_scram_start(&s, c->user, c->cnonce, out, c->outsz),
		                 c->want);
		assert_string_equal(out, c->out);
		if (c->want != MC_OK) {
			assert_cleared(out, c->outsz);
			/* A failed start leaves nothing to continue. */
			assert_int_equal(mc_sasl_scram_final(&s, R_PASS, R_SFIRST, strlen(R_SFIRST),
			                                     out, sizeof(out), err, sizeof(err)),
			                 MC_E_USAGE);
		}
		mc_sasl_scram_clear(&s);
	}
}

/* The longest user (255 escapes) fits MC_SASL_SCRAM_OUT_SIZE; 256 is
 * refused. */
static void test_scram_user_limits(void **state)
{
	char u[MC_SASL_FIELD_MAX + 2], out[MC_SASL_SCRAM_OUT_SIZE];
	mc_sasl_scram_t s;

	(void)state;
	memset(u, ',', MC_SASL_FIELD_MAX);
	u[MC_SASL_FIELD_MAX] = '\0';
	assert_int_equal(mc_sasl_scram_start(&s, u, N64, out, sizeof(out)), MC_OK);
	assert_int_equal(strlen(out), 5 + 3 * MC_SASL_FIELD_MAX + 3 + MC_SASL_SCRAM_CNONCE_MAX);
	u[MC_SASL_FIELD_MAX] = ',';
	u[MC_SASL_FIELD_MAX + 1] = '\0';
	assert_int_equal(mc_sasl_scram_start(&s, u, N64, out, sizeof(out)), MC_E_USAGE);
	assert_string_equal(out, "");
	mc_sasl_scram_clear(&s);
}

/* Without a client nonce: 24 random bytes in base64, new every time. */
static void test_scram_random_nonce(void **state)
{
	mc_sasl_scram_t s;
	char a[128], b[128];
	size_t i;

	(void)state;
	assert_int_equal(mc_sasl_scram_start(&s, "user", NULL, a, sizeof(a)), MC_OK);
	assert_int_equal(mc_sasl_scram_start(&s, "user", NULL, b, sizeof(b)), MC_OK);
	assert_int_equal(strlen(a), strlen("n,,n=user,r=") + 32);
	assert_memory_equal(a, "n,,n=user,r=", 12);
	for (i = 12; a[i]; i++)
		assert_true(
		    strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
		           a[i]) != NULL);
	assert_string_not_equal(a, b);
	mc_sasl_scram_clear(&s);
}

typedef struct {
	const char *name;
	const char *msg;
	size_t len; /* 0: strlen(msg) */
	mc_status_t want;
	const char *err; /* a part of the error text; NULL: none wanted */
} scram_msg_case_t;

/* base64 of 128 and of 129 zero bytes */
#define A43 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define SALT128 A43 A43 A43 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
#define SALT129 A43 A43 A43 A43

static const scram_msg_case_t sfirst_cases[] = {
    {"RFC 7677 server-first", R_SFIRST, 0, MC_OK, NULL},
    {"extension after i= tolerated", R_SFIRST ",x=ext", 0, MC_OK, NULL},
    {"two extensions, one of them m", R_SFIRST ",x=a b,m=\xc3\xb6", 0, MC_OK, NULL},
    {"empty salt", "r=" R_NONCE ",s=,i=1", 0, MC_OK, NULL},
    {"salt of 128 bytes", "r=" R_NONCE ",s=" SALT128 ",i=1", 0, MC_OK, NULL},
    {"one iteration", "r=" R_NONCE ",s=" R_SALT ",i=1", 0, MC_OK, NULL},
    {"100000 iterations", "r=" R_NONCE ",s=" R_SALT ",i=100000", 0, MC_OK, NULL},
    {"mandatory extension m=", "m=ext," R_SFIRST, 0, MC_E_PROTOCOL, "mandatory extension"},
    {"wrong nonce prefix", "r=X" R_NONCE ",s=" R_SALT ",i=4096", 0, MC_E_PROTOCOL,
     "does not start with the client nonce"},
    {"nonce shorter than ours", "r=rOprNG,s=" R_SALT ",i=4096", 0, MC_E_PROTOCOL, "client nonce"},
    {"no server nonce", "r=" R_CNONCE ",s=" R_SALT ",i=4096", 0, MC_E_PROTOCOL,
     "no nonce of its own"},
    {"space in the nonce", "r=" R_CNONCE "a b,s=" R_SALT ",i=4096", 0, MC_E_PROTOCOL, "0x20"},
    {"8-bit byte in the nonce", "r=" R_CNONCE "\xc3\xb6,s=" R_SALT ",i=4096", 0, MC_E_PROTOCOL,
     "0xc3"},
    {"empty nonce", "r=,s=" R_SALT ",i=4096", 0, MC_E_PROTOCOL, "client nonce"},
    {"missing s=", "r=" R_NONCE ",i=4096", 0, MC_E_PROTOCOL, "no s="},
    {"missing i=", "r=" R_NONCE ",s=" R_SALT, 0, MC_E_PROTOCOL, "no i="},
    {"i= before s=", "r=" R_NONCE ",i=4096,s=" R_SALT, 0, MC_E_PROTOCOL, "no s="},
    {"s= first", "s=" R_SALT ",r=" R_NONCE ",i=4096", 0, MC_E_PROTOCOL, "start with r="},
    {"upper-case R=", "R=" R_NONCE ",s=" R_SALT ",i=4096", 0, MC_E_PROTOCOL, "start with r="},
    {"salt not base64", "r=" R_NONCE ",s=W22Z*J0S,i=4096", 0, MC_E_PROTOCOL, "not base64"},
    {"salt cut short", "r=" R_NONCE ",s=W22ZaJ0SNY7soEsUEjb6gQ=,i=4096", 0, MC_E_PROTOCOL,
     "not base64"},
    {"salt not canonical", "r=" R_NONCE ",s=Zh==,i=4096", 0, MC_E_PROTOCOL, "not base64"},
    {"salt of 129 bytes", "r=" R_NONCE ",s=" SALT129 ",i=1", 0, MC_E_LIMIT, "salt too long"},
    {"i=0", "r=" R_NONCE ",s=" R_SALT ",i=0", 0, MC_E_PROTOCOL, "bad iteration count"},
    {"leading zero", "r=" R_NONCE ",s=" R_SALT ",i=04096", 0, MC_E_PROTOCOL, "bad iteration count"},
    {"negative", "r=" R_NONCE ",s=" R_SALT ",i=-1", 0, MC_E_PROTOCOL, "bad iteration count"},
    {"plus sign", "r=" R_NONCE ",s=" R_SALT ",i=+4096", 0, MC_E_PROTOCOL, "bad iteration count"},
    {"trailing garbage in i=", "r=" R_NONCE ",s=" R_SALT ",i=4096x", 0, MC_E_PROTOCOL,
     "bad iteration count"},
    {"empty i=", "r=" R_NONCE ",s=" R_SALT ",i=", 0, MC_E_PROTOCOL, "empty iteration count"},
    {"100001 iterations", "r=" R_NONCE ",s=" R_SALT ",i=100001", 0, MC_E_LIMIT,
     "over 100000 iterations"},
    {"huge iteration count", "r=" R_NONCE ",s=" R_SALT ",i=99999999999999999999999999", 0,
     MC_E_LIMIT, "over 100000 iterations"},
    {"huge count then garbage", "r=" R_NONCE ",s=" R_SALT ",i=999999999x", 0, MC_E_PROTOCOL,
     "bad iteration count"},
    {"trailing comma", R_SFIRST ",", 0, MC_E_PROTOCOL, "malformed extension"},
    {"extension without '='", R_SFIRST ",ext", 0, MC_E_PROTOCOL, "malformed extension"},
    {"extension with empty value", R_SFIRST ",x=", 0, MC_E_PROTOCOL, "malformed extension"},
    {"extension name not a letter", R_SFIRST ",1=x", 0, MC_E_PROTOCOL, "malformed extension"},
    {"space after a comma", "r=" R_NONCE ", s=" R_SALT ",i=4096", 0, MC_E_PROTOCOL, "no s="},
    {"empty", "", 0, MC_E_PROTOCOL, "empty server-first"},
    {"truncated in the nonce", "r=" R_CNONCE "%hvY", 0, MC_E_PROTOCOL, "no s="},
    {"truncated in the salt", "r=" R_NONCE ",s=W22Z", 0, MC_E_PROTOCOL, "no i="},
    {"truncated after i", "r=" R_NONCE ",s=" R_SALT ",i", 0, MC_E_PROTOCOL, "no i="},
    {"NUL byte", "r=" R_NONCE ",s=" R_SALT "\0,i=4096", sizeof(R_SFIRST), MC_E_PROTOCOL,
     "NUL byte"},
    {"NUL at the end", R_SFIRST "\0", sizeof(R_SFIRST), MC_E_PROTOCOL, "NUL byte"},
    {"CRLF at the end", R_SFIRST "\r\n", 0, MC_E_PROTOCOL, "bad iteration count"},
};

static mc_status_t start_rfc(mc_sasl_scram_t *s)
{
	char out[128];

	return mc_sasl_scram_start(s, "user", R_CNONCE, out, sizeof(out));
}

static void check_err(const char *err, mc_status_t want, const char *part)
{
	if (want == MC_OK) {
		assert_string_equal(err, "");
		return;
	}
	print_message("  err: %s\n", err);
	assert_true(strlen(err) > 0);
	assert_null(strchr(err, '\n'));
	assert_null(strstr(err, R_PASS));
	if (part)
		assert_non_null(strstr(err, part));
}

static void test_scram_server_first_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sfirst_cases) / sizeof(sfirst_cases[0]); i++) {
		const scram_msg_case_t *c = &sfirst_cases[i];
		size_t len = c->len ? c->len : strlen(c->msg);
		mc_sasl_scram_t s;
		char out[MC_SASL_SCRAM_OUT_SIZE], err[256] = "";

		print_message("case: %s\n", c->name);
		assert_int_equal(start_rfc(&s), MC_OK);
		memset(out, 'X', sizeof(out));
		assert_int_equal(mc_sasl_scram_final(&s, R_PASS, c->msg, len, out, sizeof(out), err,
		                                     sizeof(err)),
		                 c->want);
		check_err(err, c->want, c->err);
		if (c->want == MC_OK) {
			assert_memory_equal(out,
			                    "c=biws,r=" R_NONCE ",p=", 9 + strlen(R_NONCE) + 3);
		} else {
			assert_cleared(out, sizeof(out));
			/* A failed exchange cannot go on. */
			assert_int_equal(
			    mc_sasl_scram_verify(&s, R_SFINAL, strlen(R_SFINAL), err, sizeof(err)),
			    MC_E_USAGE);
		}
		mc_sasl_scram_clear(&s);
	}
}

static const scram_msg_case_t sfinal_cases[] = {
    {"RFC 7677 server-final", R_SFINAL, 0, MC_OK, NULL},
    {"extension after v= tolerated", R_SFINAL ",x=y", 0, MC_OK, NULL},
    {"e=invalid-proof", "e=invalid-proof", 0, MC_E_REFUSED,
     "server refused authentication: invalid-proof"},
    {"e= with an extension", "e=other-error,x=y", 0, MC_E_REFUSED, ": other-error"},
    {"e= with control bytes, sanitized", "e=bad\x1b[2Jthing|x", 0, MC_E_REFUSED, "bad?[2Jthing"},
    {"empty e=", "e=", 0, MC_E_REFUSED, "no reason given"},
    {"v= one character off", "v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", 0, MC_E_PROTOCOL,
     "does not match"},
    {"v= of another exchange", "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 0, MC_E_PROTOCOL,
     "does not match"},
    {"v= not base64", "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4", 0, MC_E_PROTOCOL,
     "not base64"},
    {"v= of 31 bytes", "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95A==", 0, MC_E_PROTOCOL,
     "not base64 of 32"},
    {"v= of 33 bytes", "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4A", 0, MC_E_PROTOCOL,
     "not base64"},
    {"empty v=", "v=", 0, MC_E_PROTOCOL, "not base64"},
    {"truncated v=", "v=6rriTRBi23", 0, MC_E_PROTOCOL, "not base64"},
    {"trailing comma", R_SFINAL ",", 0, MC_E_PROTOCOL, "malformed extension"},
    {"neither v= nor e=", "x=6rriTRBi23WpRR", 0, MC_E_PROTOCOL, "neither v= nor e="},
    {"server-first again", R_SFIRST, 0, MC_E_PROTOCOL, "neither v= nor e="},
    {"empty", "", 0, MC_E_PROTOCOL, "empty server-final"},
    {"NUL byte", R_SFINAL "\0", sizeof(R_SFINAL), MC_E_PROTOCOL, "NUL byte"},
    {"CRLF at the end", R_SFINAL "\r\n", 0, MC_E_PROTOCOL, "not base64"},
};

static void test_scram_server_final_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sfinal_cases) / sizeof(sfinal_cases[0]); i++) {
		const scram_msg_case_t *c = &sfinal_cases[i];
		size_t len = c->len ? c->len : strlen(c->msg);
		mc_sasl_scram_t s;
		char out[MC_SASL_SCRAM_OUT_SIZE], err[256] = "";

		print_message("case: %s\n", c->name);
		assert_int_equal(start_rfc(&s), MC_OK);
		assert_int_equal(mc_sasl_scram_final(&s, R_PASS, R_SFIRST, strlen(R_SFIRST), out,
		                                     sizeof(out), err, sizeof(err)),
		                 MC_OK);
		assert_int_equal(mc_sasl_scram_verify(&s, c->msg, len, err, sizeof(err)), c->want);
		check_err(err, c->want, c->err);
		mc_sasl_scram_clear(&s);
	}
}

/* Server messages of MC_SASL_SCRAM_MSG_MAX bytes pass, one more is a
 * limit. */
static void test_scram_message_limits(void **state)
{
	char msg[MC_SASL_SCRAM_MSG_MAX + 2], out[MC_SASL_SCRAM_OUT_SIZE], err[256];
	size_t base = strlen(R_SFIRST ",x="), n;
	mc_sasl_scram_t s;

	(void)state;
	memcpy(msg, R_SFIRST ",x=", base);
	memset(msg + base, 'y', sizeof(msg) - base);
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, msg, MC_SASL_SCRAM_MSG_MAX, out,
	                                     sizeof(out), err, sizeof(err)),
	                 MC_OK);
	/* A server-final of the limit: v= and a long extension. */
	n = strlen(R_SFINAL ",x=");
	memcpy(msg, R_SFINAL ",x=", n);
	memset(msg + n, 'y', sizeof(msg) - n);
	assert_int_equal(mc_sasl_scram_verify(&s, msg, MC_SASL_SCRAM_MSG_MAX, err, sizeof(err)),
	                 MC_E_PROTOCOL); /* the extension changed AuthMessage: not the RFC's v= */

	assert_int_equal(start_rfc(&s), MC_OK);
	memcpy(msg, R_SFIRST ",x=", base);
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, msg, MC_SASL_SCRAM_MSG_MAX + 1, out,
	                                     sizeof(out), err, sizeof(err)),
	                 MC_E_LIMIT);
	check_err(err, MC_E_LIMIT, "too long (over 1024 bytes)");

	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, R_SFIRST, strlen(R_SFIRST), out,
	                                     sizeof(out), err, sizeof(err)),
	                 MC_OK);
	memcpy(msg, R_SFINAL ",x=", n);
	assert_int_equal(mc_sasl_scram_verify(&s, msg, MC_SASL_SCRAM_MSG_MAX + 1, err, sizeof(err)),
	                 MC_E_LIMIT);
	check_err(err, MC_E_LIMIT, "too long");
	mc_sasl_scram_clear(&s);
}

/* The longest nonce a server can send still fits MC_SASL_SCRAM_OUT_SIZE,
 * exactly. */
static void test_scram_longest_nonce(void **state)
{
	char msg[MC_SASL_SCRAM_MSG_MAX + 1], out[MC_SASL_SCRAM_OUT_SIZE + 1], err[256];
	const char *tail = ",s=,i=1";
	size_t nl = MC_SASL_SCRAM_MSG_MAX - 2 - strlen(tail);
	mc_sasl_scram_t s;

	(void)state;
	memcpy(msg, "r=" R_CNONCE, 2 + strlen(R_CNONCE));
	memset(msg + 2 + strlen(R_CNONCE), 'z', nl - strlen(R_CNONCE));
	memcpy(msg + 2 + nl, tail, strlen(tail));
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, msg, MC_SASL_SCRAM_MSG_MAX, out,
	                                     MC_SASL_SCRAM_OUT_SIZE, err, sizeof(err)),
	                 MC_OK);
	assert_int_equal(strlen(out), MC_SASL_SCRAM_OUT_SIZE - 1);
	mc_sasl_scram_clear(&s);
}

/* out of exactly the client-final's size works, one byte less is a limit
 * and clears out. */
static void test_scram_final_outsz(void **state)
{
	char out[MC_SASL_SCRAM_OUT_SIZE], err[256];
	mc_sasl_scram_t s;

	(void)state;
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, R_SFIRST, strlen(R_SFIRST), out,
	                                     sizeof(R_CFINAL), err, sizeof(err)),
	                 MC_OK);
	assert_string_equal(out, R_CFINAL);
	assert_int_equal(start_rfc(&s), MC_OK);
	memset(out, 'X', sizeof(out));
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, R_SFIRST, strlen(R_SFIRST), out,
	                                     sizeof(R_CFINAL) - 1, err, sizeof(err)),
	                 MC_E_LIMIT);
	assert_cleared(out, sizeof(R_CFINAL) - 1);
	check_err(err, MC_E_LIMIT, "does not fit");
	/* err may be absent */
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, "x", 1, out, sizeof(out), NULL, 0),
	                 MC_E_PROTOCOL);
	/* a tiny err is cut, still terminated */
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, "x", 1, out, sizeof(out), err, 5),
	                 MC_E_PROTOCOL);
	assert_string_equal(err, "SCRA");
	mc_sasl_scram_clear(&s);
}

/* The password: the RFC's gives the RFC's proof; a wrong one another
 * proof and a server signature that no longer matches; a bad one is
 * refused before any work. */
static void test_scram_password(void **state)
{
	char out[MC_SASL_SCRAM_OUT_SIZE], err[256], p[MC_SASL_FIELD_MAX + 2];
	mc_sasl_scram_t s;

	(void)state;
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, "pencil2", R_SFIRST, strlen(R_SFIRST), out,
	                                     sizeof(out), err, sizeof(err)),
	                 MC_OK);
	assert_string_not_equal(out, R_CFINAL);
	assert_int_equal(mc_sasl_scram_verify(&s, R_SFINAL, strlen(R_SFINAL), err, sizeof(err)),
	                 MC_E_PROTOCOL);
	check_err(err, MC_E_PROTOCOL, "does not match");

	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, "pen\ncil", R_SFIRST, strlen(R_SFIRST), out,
	                                     sizeof(out), err, sizeof(err)),
	                 MC_E_USAGE);
	assert_null(strstr(err, "pen"));
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, "", R_SFIRST, strlen(R_SFIRST), out, sizeof(out),
	                                     err, sizeof(err)),
	                 MC_E_USAGE);
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, NULL, R_SFIRST, strlen(R_SFIRST), out, sizeof(out),
	                                     err, sizeof(err)),
	                 MC_E_USAGE);
	memset(p, 'p', sizeof(p));
	p[MC_SASL_FIELD_MAX] = '\0';
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, p, R_SFIRST, strlen(R_SFIRST), out, sizeof(out),
	                                     err, sizeof(err)),
	                 MC_OK);
	p[MC_SASL_FIELD_MAX] = 'p';
	p[MC_SASL_FIELD_MAX + 1] = '\0';
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, p, R_SFIRST, strlen(R_SFIRST), out, sizeof(out),
	                                     err, sizeof(err)),
	                 MC_E_USAGE);
	assert_string_equal(out, "");
	mc_sasl_scram_clear(&s);
}

/* Steps out of order are usage errors. */
static void test_scram_order(void **state)
{
	char out[MC_SASL_SCRAM_OUT_SIZE], err[256];
	mc_sasl_scram_t s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, R_SFIRST, strlen(R_SFIRST), out,
	                                     sizeof(out), err, sizeof(err)),
	                 MC_E_USAGE);
	check_err(err, MC_E_USAGE, "out of order");
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_verify(&s, R_SFINAL, strlen(R_SFINAL), err, sizeof(err)),
	                 MC_E_USAGE);
	assert_int_equal(start_rfc(&s), MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, R_SFIRST, strlen(R_SFIRST), out,
	                                     sizeof(out), err, sizeof(err)),
	                 MC_OK);
	assert_int_equal(mc_sasl_scram_final(&s, R_PASS, R_SFIRST, strlen(R_SFIRST), out,
	                                     sizeof(out), err, sizeof(err)),
	                 MC_E_USAGE);
	assert_string_equal(out, "");
	mc_sasl_scram_clear(&s);
	assert_int_equal(mc_sasl_scram_verify(&s, R_SFINAL, strlen(R_SFINAL), err, sizeof(err)),
	                 MC_E_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_table),
	    cmocka_unit_test(test_plain_field_limits),
	    cmocka_unit_test(test_base64_table),
	    cmocka_unit_test(test_unbase64_table),
	    cmocka_unit_test(test_failure_clears),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_cram_md5_table),
	    cmocka_unit_test(test_cram_md5_field_limits),
	    cmocka_unit_test(test_scram_rfc7677),
	    cmocka_unit_test(test_scram_start_table),
	    cmocka_unit_test(test_scram_user_limits),
	    cmocka_unit_test(test_scram_random_nonce),
	    cmocka_unit_test(test_scram_server_first_table),
	    cmocka_unit_test(test_scram_server_final_table),
	    cmocka_unit_test(test_scram_message_limits),
	    cmocka_unit_test(test_scram_longest_nonce),
	    cmocka_unit_test(test_scram_final_outsz),
	    cmocka_unit_test(test_scram_password),
	    cmocka_unit_test(test_scram_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
