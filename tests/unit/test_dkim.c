/* Unit tests: the DKIM key record (RFC 6376 section 3.6.1, tag list of
 * section 3.2) and loading its key (RSA, Ed25519 of RFC 8463). The keys
 * below were generated once with openssl genpkey; only public halves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/err.h>

#include "policy/mc_dkim.h"

/* SubjectPublicKeyInfo, as RFC 6376 wants for k=rsa. */
#define RSA512                                                                                     \
	"MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAM87pt3SGQob+"                                            \
	"ILrcHaURmZqBrnhJ8Sq7egWEtvrJ0sdnBSa5ctf3opUls/"                                           \
	"zOqorMV7ipsINXjnju1H1cO7OyhECAwEAAQ=="
#define RSA1024_A                                                                                  \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDUM4Gp+"                                            \
	"DDxBimVqnWBOOTNCBbfc21iixcb2G6G51FYLS4fOzNZpXd/"
#define RSA1024_B                                                                                  \
	"JsMK3Ir7OoQzBw8OejfR0YMRTxyDG2SecSis7sJCG7fMxA6UprSdK3MAFMPnPIenvKRmTsS90G6mmWY25LVylCF9" \
	"aAM7"                                                                                     \
	"h/dHCkNu5RVwZkYwMIKKDa88uwIDAQAB"
#define RSA1024 RSA1024_A RSA1024_B
#define RSA2048                                                                                    \
	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArXKR9pbCKbRJGKQTThQMkwEA1yhUVWIlbbI+"         \
	"Mz9R4QobXcroNO"                                                                           \
	"569VRZSBEDVJH3WKdadM1xtmp+6VHizZJoMoTblbqMlhz3dRzwaNlmg1adBBf9Roc5pnIYsd5+"               \
	"rJItOUHWEJYmdOtnOnUx"                                                                     \
	"hizJ1CU7BVKeycVPqoPn+"                                                                    \
	"8CisOR87tZULgHLuevLBaUy3oReJxSgIE1PXJ8cL0mqAiW3wZMdPgJ3tLKtw05JBLGzuNbwLZ"                \
	"aJEoxyghttwe+jhiErXbMF0dqsg5VMgbbxFefIhojv+"                                              \
	"xstu7sqyVILuS78MOODBkB6jN5ezti2tuUgiAelHIxbmBtS6ffp"                                      \
	"f0yEMbWBKQIDAQAB"
/* The same 1024-bit key as a bare PKCS#1 RSAPublicKey. */
#define RSA1024_PKCS1                                                                              \
	"MIGJAoGBANQzgan4MPEGKZWqdYE45M0IFt9zbWKLFxvYbobnUVgtLh87M1mld38mwwrcivs6hDMHDw56N9HRgxFP" \
	"HIMbZJ"                                                                                   \
	"5xKKzuwkIbt8zEDpSmtJ0rcwAUw+"                                                             \
	"c8h6e8pGZOxL3QbqaZZjbktXKUIX1oAzuH90cKQ27lFXBmRjAwgooNrzy7AgMBAAE="
/* The same followed by a zero byte. */
#define RSA1024_PKCS1_PLUS                                                                         \
	"MIGJAoGBANQzgan4MPEGKZWqdYE45M0IFt9zbWKLFxvYbobnUVgtLh87M1mld38mwwrcivs6hDMHDw56N9HRgxFP" \
	"HIMbZJ"                                                                                   \
	"5xKKzuwkIbt8zEDpSmtJ0rcwAUw+"                                                             \
	"c8h6e8pGZOxL3QbqaZZjbktXKUIX1oAzuH90cKQ27lFXBmRjAwgooNrzy7AgMBAAEA"
/* Hand-edited PKCS#1 variants of it: exponent 65536, exponent 1, and the
 * modulus without its leading zero byte (a negative INTEGER). */
#define RSA_EVEN_E                                                                                 \
	"MIGJAoGBANQzgan4MPEGKZWqdYE45M0IFt9zbWKLFxvYbobnUVgtLh87M1mld38mwwrcivs6hDMHDw56N9HRgxFP" \
	"HIMbZJ"                                                                                   \
	"5xKKzuwkIbt8zEDpSmtJ0rcwAUw+"                                                             \
	"c8h6e8pGZOxL3QbqaZZjbktXKUIX1oAzuH90cKQ27lFXBmRjAwgooNrzy7AgMBAAA="
#define RSA_E_ONE                                                                                  \
	"MIGHAoGBANQzgan4MPEGKZWqdYE45M0IFt9zbWKLFxvYbobnUVgtLh87M1mld38mwwrcivs6hDMHDw56N9HRgxFP" \
	"HIMbZJ"                                                                                   \
	"5xKKzuwkIbt8zEDpSmtJ0rcwAUw+"                                                             \
	"c8h6e8pGZOxL3QbqaZZjbktXKUIX1oAzuH90cKQ27lFXBmRjAwgooNrzy7AgEB"
#define RSA_NEG_N                                                                                  \
	"MIGIAoGA1DOBqfgw8QYplap1gTjkzQgW33NtYosXG9huhudRWC0uHzszWaV3fybDCtyK+"                    \
	"zqEMwcPDno30dGDEU8cgxtknn"                                                                \
	"EorO7CQhu3zMQOlKa0nStzABTD5zyHp7ykZk7EvdBupplmNuS1cpQhfWgDO4f3RwpDbuUVcGZGMDCCig2vPLsCAw" \
	"EAAQ=="
/* Ed25519: the raw 32 bytes (RFC 8463), the same key as a
 * SubjectPublicKeyInfo, and 31 and 33 bytes of it. */
#define ED_RAW "ItBNaOIj7ZAE7q45HX6QA5jOVmzCILNEwbQfdf8w+9s="
#define ED_SPKI "MCowBQYDK2VwAyEAItBNaOIj7ZAE7q45HX6QA5jOVmzCILNEwbQfdf8w+9s="
#define ED_31 "ItBNaOIj7ZAE7q45HX6QA5jOVmzCILNEwbQfdf8w+w=="
#define ED_33 "ItBNaOIj7ZAE7q45HX6QA5jOVmzCILNEwbQfdf8w+9sB"
/* An EC P-256 SubjectPublicKeyInfo: a valid key DKIM has no k= for. */
#define EC_P256                                                                                    \
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf12pNYXehXO8nxSwE7vnXeif0UYQixAqB7GBGsv6TuRNGkuPtrvk" \
	"0V5tXY"                                                                                   \
	"bbQXs9YENYrCHOOKawuwncaU3lAQ=="

/* An error text is one printable line that fits the buffer. */
static void assert_one_line(const char *err, size_t errsz)
{
	const char *end = memchr(err, '\0', errsz);
	const char *p;

	assert_non_null(end);
	for (p = err; p < end; p++)
		assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f && *p != '|');
}

/* Flags compared on MC_OK. */
#define F_VERSION (1u << 0)
#define F_H_GIVEN (1u << 1)
#define F_SHA256 (1u << 2)
#define F_SHA1_ONLY (1u << 3)
#define F_EMAIL (1u << 4)
#define F_TESTING (1u << 5)
#define F_STRICT (1u << 6)
#define F_REVOKED (1u << 7)
/* What a record without h=, s=, t= has. */
#define F_PLAIN (F_SHA256 | F_EMAIL)

typedef struct {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	mc_status_t want;
	unsigned flags;       /* on MC_OK */
	mc_dkim_key_type_t k; /* on MC_OK */
	const char *field;    /* on MC_OK: wanted k_name, services or notes (see below), or NULL */
	const char *err;      /* substring of the error, or NULL */
} record_case_t;

static const record_case_t record_cases[] = {
    {"typical record", "v=DKIM1; k=rsa; p=" RSA1024, 0, MC_OK, F_PLAIN | F_VERSION, MC_DKIM_KEY_RSA,
     "k:rsa", NULL},
    {"no v= (optional)", "k=rsa; p=" RSA1024, 0, MC_OK, F_PLAIN, MC_DKIM_KEY_RSA, NULL, NULL},
    {"p= alone", "p=" RSA1024, 0, MC_OK, F_PLAIN, MC_DKIM_KEY_RSA, "k:rsa", NULL},
    {"trailing ;", "v=DKIM1; p=" RSA1024 ";", 0, MC_OK, F_PLAIN | F_VERSION, MC_DKIM_KEY_RSA, NULL,
     NULL},
    {"trailing ; and spaces", "v=DKIM1; p=" RSA1024 " ;  ", 0, MC_OK, F_PLAIN | F_VERSION,
     MC_DKIM_KEY_RSA, NULL, NULL},
    {"whitespace around names, = and ;", " v = DKIM1 ;\tk =\trsa ; p = " RSA1024 " ", 0, MC_OK,
     F_PLAIN | F_VERSION, MC_DKIM_KEY_RSA, NULL, NULL},
    {"folded with CRLF and a space", "v=DKIM1;\r\n k=rsa;\r\n\tp=" RSA1024_A "\r\n " RSA1024_B, 0,
     MC_OK, F_PLAIN | F_VERSION, MC_DKIM_KEY_RSA, NULL, NULL},
    {"spaces inside p=", "v=DKIM1; p=" RSA1024_A " \t " RSA1024_B, 0, MC_OK, F_PLAIN | F_VERSION,
     MC_DKIM_KEY_RSA, NULL, NULL},
    {"revoked: empty p=", "v=DKIM1; p=", 0, MC_OK, F_PLAIN | F_VERSION | F_REVOKED, MC_DKIM_KEY_RSA,
     NULL, NULL},
    {"revoked: p= of spaces", "v=DKIM1; k=rsa; p= ;", 0, MC_OK, F_PLAIN | F_VERSION | F_REVOKED,
     MC_DKIM_KEY_RSA, NULL, NULL},
    {"k=ed25519", "v=DKIM1; k=ed25519; p=" ED_RAW, 0, MC_OK, F_PLAIN | F_VERSION,
     MC_DKIM_KEY_ED25519, "k:ed25519", NULL},
    {"k= case-insensitive", "k=RSA; p=" RSA1024, 0, MC_OK, F_PLAIN, MC_DKIM_KEY_RSA, "k:RSA", NULL},
    {"k= unknown type", "v=DKIM1; k=dsa; p=" RSA1024, 0, MC_OK, F_PLAIN | F_VERSION,
     MC_DKIM_KEY_OTHER, "k:dsa", NULL},
    {"h=sha256", "h=sha256; p=" RSA1024, 0, MC_OK, F_EMAIL | F_H_GIVEN | F_SHA256, MC_DKIM_KEY_RSA,
     NULL, NULL},
    {"h=sha1 only", "v=DKIM1; h=sha1; p=" RSA1024, 0, MC_OK,
     F_VERSION | F_EMAIL | F_H_GIVEN | F_SHA1_ONLY, MC_DKIM_KEY_RSA, NULL, NULL},
    {"h=sha1:sha256", "h=sha1:sha256; p=" RSA1024, 0, MC_OK, F_EMAIL | F_H_GIVEN | F_SHA256,
     MC_DKIM_KEY_RSA, NULL, NULL},
    {"h= list with spaces", "h= sha1 : SHA256 ; p=" RSA1024, 0, MC_OK,
     F_EMAIL | F_H_GIVEN | F_SHA256, MC_DKIM_KEY_RSA, NULL, NULL},
    {"h= unknown algorithm only", "h=sha512; p=" RSA1024, 0, MC_OK, F_EMAIL | F_H_GIVEN,
     MC_DKIM_KEY_RSA, NULL, NULL},
    {"h=sha1 and an unknown one", "h=sha1:sha3-256; p=" RSA1024, 0, MC_OK,
     F_EMAIL | F_H_GIVEN | F_SHA1_ONLY, MC_DKIM_KEY_RSA, NULL, NULL},
    {"s=email", "s=email; p=" RSA1024, 0, MC_OK, F_PLAIN, MC_DKIM_KEY_RSA, "s:email", NULL},
    {"s=*", "s=*; p=" RSA1024, 0, MC_OK, F_PLAIN, MC_DKIM_KEY_RSA, "s:*", NULL},
    {"s=tlsrpt only", "v=DKIM1; s=tlsrpt; p=" RSA1024, 0, MC_OK, F_VERSION | F_SHA256,
     MC_DKIM_KEY_RSA, "s:tlsrpt", NULL},
    {"s=tlsrpt:email", "s=tlsrpt:email; p=" RSA1024, 0, MC_OK, F_PLAIN, MC_DKIM_KEY_RSA,
     "s:tlsrpt:email", NULL},
    {"t=y:s", "v=DKIM1; t=y:s; p=" RSA1024, 0, MC_OK, F_PLAIN | F_VERSION | F_TESTING | F_STRICT,
     MC_DKIM_KEY_RSA, NULL, NULL},
    {"t=y", "t=y; p=" RSA1024, 0, MC_OK, F_PLAIN | F_TESTING, MC_DKIM_KEY_RSA, NULL, NULL},
    {"t= unknown flag ignored", "t=x:s; p=" RSA1024, 0, MC_OK, F_PLAIN | F_STRICT, MC_DKIM_KEY_RSA,
     NULL, NULL},
    {"n= notes kept", "v=DKIM1; n=Rotated 2024-01, see ops=wiki; p=" RSA1024, 0, MC_OK,
     F_PLAIN | F_VERSION, MC_DKIM_KEY_RSA, "n:Rotated 2024-01, see ops=wiki", NULL},
    {"unknown tags ignored (g= of RFC 4871)", "v=DKIM1; g=*; x_y1=z; p=" RSA1024, 0, MC_OK,
     F_PLAIN | F_VERSION, MC_DKIM_KEY_RSA, NULL, NULL},
    {"unknown tag with an empty value", "v=DKIM1; x=; p=" RSA1024, 0, MC_OK, F_PLAIN | F_VERSION,
     MC_DKIM_KEY_RSA, NULL, NULL},
    {"length bounds the input", "p=" RSA1024 "; junk", sizeof("p=" RSA1024) - 1, MC_OK, F_PLAIN,
     MC_DKIM_KEY_RSA, NULL, NULL},

    {"v not first", "k=rsa; v=DKIM1; p=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL,
     "v= must be the first tag"},
    {"v=DKIM2", "v=DKIM2; p=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL, "v=DKIM2 is not DKIM1"},
    {"v= is case-sensitive", "v=dkim1; p=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL,
     "v=dkim1 is not DKIM1"},
    {"SPF record at the selector", "v=spf1 -all", 0, MC_E_PROTOCOL, 0, 0, NULL,
     "v=spf1 -all is not DKIM1"},
    {"duplicate p=", "v=DKIM1; p=" RSA1024 "; p=", 0, MC_E_PROTOCOL, 0, 0, NULL,
     "tag 'p' given twice"},
    {"duplicate unknown tag", "v=DKIM1; x=1; p=" RSA1024 "; x=1", 0, MC_E_PROTOCOL, 0, 0, NULL,
     "tag 'x' given twice"},
    {"duplicate v=", "v=DKIM1; v=DKIM1; p=", 0, MC_E_PROTOCOL, 0, 0, NULL, "tag 'v' given twice"},
    {"no p=", "v=DKIM1; k=rsa", 0, MC_E_PROTOCOL, 0, 0, NULL, "no p= tag"},
    {"P= is not p=", "v=DKIM1; P=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL,
     "tag names are case-sensitive"},
    {"empty record", "", 0, MC_E_PROTOCOL, 0, 0, NULL, "empty DKIM record"},
    {"record of spaces", " \t ", 0, MC_E_PROTOCOL, 0, 0, NULL, "empty DKIM record"},
    {"only ;", ";", 0, MC_E_PROTOCOL, 0, 0, NULL, "empty tag"},
    {"empty tag", "v=DKIM1;; p=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL, "empty tag (';;')"},
    {"two trailing ;", "v=DKIM1; p=" RSA1024 ";;", 0, MC_E_PROTOCOL, 0, 0, NULL, "empty tag"},
    {"tag without =", "v=DKIM1; rsa; p=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL,
     "tag 'rsa' has no '='"},
    {"tag name starting with a digit", "v=DKIM1; 1x=2; p=", 0, MC_E_PROTOCOL, 0, 0, NULL,
     "malformed tag name in '1x=2'"},
    {"tag name with a hyphen", "v=DKIM1; x-y=2; p=", 0, MC_E_PROTOCOL, 0, 0, NULL,
     "malformed tag name"},
    {"empty tag name", "v=DKIM1; =2; p=", 0, MC_E_PROTOCOL, 0, 0, NULL, "malformed tag name"},
    {"h= empty", "h=; p=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL,
     "tag 'h' has a malformed list item ''"},
    {"h= empty item", "h=sha1::sha256; p=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL,
     "malformed list item"},
    {"s= with a bad item", "s=email:e/mail; p=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL,
     "tag 's' has a malformed list item 'e/mail'"},
    {"t= trailing colon", "t=y:; p=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL, "tag 't' has"},
    {"k= empty", "k=; p=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL, "k= is not a key type name"},
    {"k= two words", "k=rsa ed25519; p=" RSA1024, 0, MC_E_PROTOCOL, 0, 0, NULL,
     "is not a key type name"},
    {"NUL byte", "v=DKIM1; p=\0", 12, MC_E_PROTOCOL, 0, 0, NULL, "NUL byte"},
    {"control byte in a value", "v=DKIM1; n=a\x01z; p=", 0, MC_E_PROTOCOL, 0, 0, NULL,
     "tag 'n' has a bad byte 0x01"},
    {"UTF-8 in a value", "v=DKIM1; n=caf\xc3\xa9; p=", 0, MC_E_PROTOCOL, 0, 0, NULL,
     "bad byte 0xc3"},
    {"bare LF inside p=", "v=DKIM1; p=" RSA1024_A "\n" RSA1024_B, 0, MC_E_PROTOCOL, 0, 0, NULL,
     "tag 'p' has a bad byte 0x0a"},
    {"CRLF not followed by whitespace", "v=DKIM1; p=" RSA1024 "\r\n", 0, MC_E_PROTOCOL, 0, 0, NULL,
     "bad byte 0x0d"},
    {"control byte quoted sanitized", "v=DKIM1; \x1b[31mx=1; p=", 0, MC_E_PROTOCOL, 0, 0, NULL,
     "malformed tag name in '?[31mx=1'"},
};

static void check_flags(const mc_dkim_record_t *rec, unsigned flags)
{
	assert_int_equal(rec->has_version, !!(flags & F_VERSION));
	assert_int_equal(rec->h_given, !!(flags & F_H_GIVEN));
	assert_int_equal(rec->sha256_ok, !!(flags & F_SHA256));
	assert_int_equal(rec->sha1_only, !!(flags & F_SHA1_ONLY));
	assert_int_equal(rec->service_email, !!(flags & F_EMAIL));
	assert_int_equal(rec->testing, !!(flags & F_TESTING));
	assert_int_equal(rec->strict, !!(flags & F_STRICT));
	assert_int_equal(rec->revoked, !!(flags & F_REVOKED));
}

static void test_record_table(void **state)
{
	mc_dkim_record_t *rec = malloc(sizeof(*rec));
	size_t i;

	(void)state;
	assert_non_null(rec);
	for (i = 0; i < sizeof(record_cases) / sizeof(record_cases[0]); i++) {
		const record_case_t *c = &record_cases[i];
		char err[256] = "";
		mc_status_t st;

		print_message("case: %s\n", c->name);
		st = mc_dkim_record_parse(c->in, c->len ? c->len : strlen(c->in), rec, err,
		                          sizeof(err));
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			check_flags(rec, c->flags);
			assert_int_equal(rec->k, c->k);
			assert_int_equal(rec->plen, strlen(rec->p));
			if (c->field && c->field[0] == 'k')
				assert_string_equal(rec->k_name, c->field + 2);
			if (c->field && c->field[0] == 's')
				assert_string_equal(rec->services, c->field + 2);
			if (c->field && c->field[0] == 'n')
				assert_string_equal(rec->notes, c->field + 2);
		} else {
			assert_one_line(err, sizeof(err));
		}
		if (c->err)
			assert_non_null(strstr(err, c->err));
	}
	free(rec);
}

/* p= loses its whitespace: what is kept is the base64 alone. */
static void test_p_compacted(void **state)
{
	static const char in[] = "v=DKIM1; p=" RSA1024_A " \r\n\t" RSA1024_B " ;";
	mc_dkim_record_t *rec = malloc(sizeof(*rec));
	char err[128];

	(void)state;
	assert_non_null(rec);
	assert_int_equal(mc_dkim_record_parse(in, sizeof(in) - 1, rec, err, sizeof(err)), MC_OK);
	assert_string_equal(rec->p, RSA1024);
	assert_int_equal(rec->plen, sizeof(RSA1024) - 1);
	free(rec);
}

typedef struct {
	const char *name;
	const char *in; /* a record that parses */
	mc_status_t want;
	mc_dkim_key_type_t type;
	int bits, security_bits; /* on MC_OK */
	bool bare;               /* on MC_OK */
	const char *err;         /* substring of the error, or NULL */
} key_case_t;

static const key_case_t key_cases[] = {
    {"RSA 1024 SubjectPublicKeyInfo", "v=DKIM1; k=rsa; p=" RSA1024, MC_OK, MC_DKIM_KEY_RSA, 1024,
     80, false, NULL},
    {"RSA 2048", "v=DKIM1; p=" RSA2048, MC_OK, MC_DKIM_KEY_RSA, 2048, 112, false, NULL},
    {"RSA 512 (loads; weak is the caller's call)", "p=" RSA512, MC_OK, MC_DKIM_KEY_RSA, 512, 0,
     false, NULL},
    {"RSA bare RSAPublicKey", "v=DKIM1; p=" RSA1024_PKCS1, MC_OK, MC_DKIM_KEY_RSA, 1024, 80, true,
     NULL},
    {"RSA split by whitespace", "p=" RSA1024_A "\r\n " RSA1024_B, MC_OK, MC_DKIM_KEY_RSA, 1024, 80,
     false, NULL},
    {"Ed25519 raw key", "v=DKIM1; k=ed25519; p=" ED_RAW, MC_OK, MC_DKIM_KEY_ED25519, 256, 128,
     false, NULL},
    {"revoked", "v=DKIM1; p=", MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "key revoked (empty p=)"},
    {"unsupported k=", "k=dsa; p=" RSA1024, MC_E_PROTOCOL, MC_DKIM_KEY_OTHER, 0, 0, false,
     "key type k=dsa is not supported"},
    {"Ed25519 as SubjectPublicKeyInfo", "k=ed25519; p=" ED_SPKI, MC_E_PROTOCOL, MC_DKIM_KEY_ED25519,
     0, 0, false,
     "Ed25519 key is 44 bytes, not 32 (a SubjectPublicKeyInfo: RFC 8463 wants the raw key)"},
    {"Ed25519 of 31 bytes", "k=ed25519; p=" ED_31, MC_E_PROTOCOL, MC_DKIM_KEY_ED25519, 0, 0, false,
     "Ed25519 key is 31 bytes, not 32"},
    {"Ed25519 of 33 bytes", "k=ed25519; p=" ED_33, MC_E_PROTOCOL, MC_DKIM_KEY_ED25519, 0, 0, false,
     "Ed25519 key is 33 bytes, not 32"},
    {"RSA key under k=ed25519", "k=ed25519; p=" RSA1024, MC_E_PROTOCOL, MC_DKIM_KEY_ED25519, 0, 0,
     false, "Ed25519 key is 162 bytes, not 32"},
    {"Ed25519 key without k=", "v=DKIM1; p=" ED_SPKI, MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "k=rsa but p= holds a key of type ED25519"},
    {"EC key under k=rsa", "p=" EC_P256, MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "k=rsa but p= holds a key of type EC"},
    {"raw Ed25519 bytes under k=rsa", "p=" ED_RAW, MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "p= is not a DER SubjectPublicKeyInfo nor an RSAPublicKey ("},
    {"bytes after the key", "p=" RSA1024 "AAAA", MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "3 bytes after the key in p="},
    {"bytes after a bare key", "p=" RSA1024_PKCS1_PLUS, MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "1 bytes after the key in p="},
    {"even RSA exponent", "p=" RSA_EVEN_E, MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "RSA exponent is not an odd number above 1"},
    {"RSA exponent 1", "p=" RSA_E_ONE, MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "RSA exponent is not"},
    {"modulus with its sign bit set reads unsigned, as in verifiers", "p=" RSA_NEG_N, MC_OK,
     MC_DKIM_KEY_RSA, 1024, 80, true, NULL},
    {"bad base64 character", "p=MIGf!A==", MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "p= has a character that is not base64 ('!' at offset 4)"},
    {"base64url is not base64", "p=MIGf_A-A", MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "('_' at offset 4)"},
    {"base64 not a multiple of 4", "p=MIGfMA0", MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "p= is 7 base64 characters, not a multiple of 4"},
    {"padding in the middle", "p=MI==MA0G", MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "p= has '=' before its last two characters (offset 2)"},
    {"three padding characters", "p=MIGfM===", MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "(offset 5)"},
    {"base64 of garbage", "p=AAAA", MC_E_PROTOCOL, MC_DKIM_KEY_RSA, 0, 0, false,
     "is not a DER SubjectPublicKeyInfo"},
};

static void test_key_table(void **state)
{
	mc_dkim_record_t *rec = malloc(sizeof(*rec));
	size_t i;

	(void)state;
	assert_non_null(rec);
	for (i = 0; i < sizeof(key_cases) / sizeof(key_cases[0]); i++) {
		const key_case_t *c = &key_cases[i];
		char err[256] = "";
		mc_dkim_key_t key;
		mc_status_t st;

		print_message("case: %s\n", c->name);
		assert_int_equal(mc_dkim_record_parse(c->in, strlen(c->in), rec, err, sizeof(err)),
		                 MC_OK);
		st = mc_dkim_key_check(rec, &key, err, sizeof(err));
		assert_int_equal(st, c->want);
		assert_int_equal(key.type, c->type);
		if (st == MC_OK) {
			assert_int_equal(key.bits, c->bits);
			if (c->security_bits)
				assert_int_equal(key.security_bits, c->security_bits);
			assert_int_equal(key.rsa_bare, c->bare);
		} else {
			assert_one_line(err, sizeof(err));
		}
		if (c->err)
			assert_non_null(strstr(err, c->err));
		/* the error queue is left empty for the next TLS user */
		assert_int_equal(ERR_peek_error(), 0);
	}
	free(rec);
}

/* p= up to MC_DKIM_P_MAX characters is kept; one more is an error. */
static void test_p_max(void **state)
{
	size_t sz = MC_DKIM_P_MAX + 16;
	char *txt = malloc(sz);
	mc_dkim_record_t *rec = malloc(sizeof(*rec));
	mc_dkim_key_t key;
	char err[128];

	(void)state;
	assert_non_null(txt);
	assert_non_null(rec);
	memcpy(txt, "p=", 2);
	memset(txt + 2, 'A', MC_DKIM_P_MAX + 1);
	assert_int_equal(mc_dkim_record_parse(txt, 2 + MC_DKIM_P_MAX, rec, err, sizeof(err)),
	                 MC_OK);
	assert_int_equal(rec->plen, MC_DKIM_P_MAX);
	/* decodes to 3072 zero bytes: no key */
	assert_int_equal(mc_dkim_key_check(rec, &key, err, sizeof(err)), MC_E_PROTOCOL);
	assert_non_null(strstr(err, "is not a DER"));
	assert_int_equal(mc_dkim_record_parse(txt, 3 + MC_DKIM_P_MAX, rec, err, sizeof(err)),
	                 MC_E_PROTOCOL);
	assert_string_equal(err, "p= is longer than 4096 base64 characters");
	free(txt);
	free(rec);
}

/* MC_DKIM_MAX_TAGS tags parse; one more is refused. */
static void test_tag_cap(void **state)
{
	char txt[1024];
	mc_dkim_record_t *rec = malloc(sizeof(*rec));
	char err[128];
	size_t n = 0;
	int i;

	(void)state;
	assert_non_null(rec);
	for (i = 0; i < MC_DKIM_MAX_TAGS - 1; i++)
		n += (size_t)snprintf(txt + n, sizeof(txt) - n, "x%d=1;", i);
	n += (size_t)snprintf(txt + n, sizeof(txt) - n, "p=");
	assert_int_equal(mc_dkim_record_parse(txt, n, rec, err, sizeof(err)), MC_OK);
	n += (size_t)snprintf(txt + n, sizeof(txt) - n, ";y=2");
	assert_int_equal(mc_dkim_record_parse(txt, n, rec, err, sizeof(err)), MC_E_PROTOCOL);
	assert_string_equal(err, "more than 64 tags in the DKIM record");
	free(rec);
}

/* Long n= and s= values are cut with "..."; k_name too. */
static void test_fields_cut(void **state)
{
	char txt[800], longv[300];
	mc_dkim_record_t *rec = malloc(sizeof(*rec));
	char err[128];
	int n;

	(void)state;
	assert_non_null(rec);
	memset(longv, 'a', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	n = snprintf(txt, sizeof(txt), "n=%s; s=%s; k=%.40s; p=", longv, longv, longv);
	assert_int_equal(mc_dkim_record_parse(txt, (size_t)n, rec, err, sizeof(err)), MC_OK);
	assert_int_equal(strlen(rec->notes), sizeof(rec->notes) - 1);
	assert_string_equal(rec->notes + sizeof(rec->notes) - 4, "...");
	assert_int_equal(strlen(rec->services), sizeof(rec->services) - 1);
	assert_int_equal(strlen(rec->k_name), sizeof(rec->k_name) - 1);
	assert_string_equal(rec->k_name + sizeof(rec->k_name) - 4, "...");
	assert_int_equal(rec->k, MC_DKIM_KEY_OTHER);
	assert_false(rec->service_email);
	free(rec);
}

/* Errors are cut to the buffer, NUL-terminated; errsz 0 writes nothing. */
static void test_error_buffer_bound(void **state)
{
	static const char bad_rec[] = "v=DKIM1; n=\x01\x02\x03\x04\x05\x06\x07\x08 and more; p=";
	static const char bad_key[] = "k=ed25519; p=" ED_SPKI;
	mc_dkim_record_t *rec = malloc(sizeof(*rec));
	mc_dkim_key_t key;
	char err[16];
	size_t sz;

	(void)state;
	assert_non_null(rec);
	for (sz = 1; sz <= sizeof(err); sz++) {
		memset(err, 'X', sizeof(err));
		assert_int_equal(mc_dkim_record_parse(bad_rec, sizeof(bad_rec) - 1, rec, err, sz),
		                 MC_E_PROTOCOL);
		assert_one_line(err, sz);
		assert_int_equal(mc_dkim_record_parse(bad_key, sizeof(bad_key) - 1, rec, err, sz),
		                 MC_OK);
		memset(err, 'X', sizeof(err));
		assert_int_equal(mc_dkim_key_check(rec, &key, err, sz), MC_E_PROTOCOL);
		assert_one_line(err, sz);
	}
	memset(err, 'X', sizeof(err));
	assert_int_equal(mc_dkim_record_parse(bad_rec, sizeof(bad_rec) - 1, rec, err, 0),
	                 MC_E_PROTOCOL);
	assert_int_equal(err[0], 'X');
	free(rec);
}

static void test_key_type_str(void **state)
{
	(void)state;
	assert_string_equal(mc_dkim_key_type_str(MC_DKIM_KEY_RSA), "rsa");
	assert_string_equal(mc_dkim_key_type_str(MC_DKIM_KEY_ED25519), "ed25519");
	assert_string_equal(mc_dkim_key_type_str(MC_DKIM_KEY_OTHER), "other");
	assert_string_equal(mc_dkim_key_type_str((mc_dkim_key_type_t)42), "unknown");
}

/* What a selector's TXT answer holds (mc_dkim_selector_facts): the facts
 * the DKIM judgement reads. */
typedef struct selector_case {
	const char *name;
	bool answered;
	mc_dns_outcome_t outcome;
	const char *txt[2];
	mc_dkim_found_t found;
	size_t nrecords;
	bool key_ok;
	const char *error; /* a substring; NULL: "" */
} selector_case_t;

static const selector_case_t selector_cases[] = {
    {"no_answer_yet", false, 0, {NULL}, MC_DKIM_FOUND_UNANSWERED, 0, false, NULL},
    {"nxdomain_is_none", true, MC_DNS_NXDOMAIN, {NULL}, MC_DKIM_FOUND_NONE, 0, false, NULL},
    {"no_data_is_none", true, MC_DNS_NODATA, {NULL}, MC_DKIM_FOUND_NONE, 0, false, NULL},
    {"empty_answer_is_none", true, MC_DNS_ANSWER, {NULL}, MC_DKIM_FOUND_NONE, 0, false, NULL},
    {"servfail_keeps_the_error_line",
     true,
     MC_DNS_SERVFAIL,
     {NULL},
     MC_DKIM_FOUND_DNS_ERROR,
     0,
     false,
     "TXT sel._domainkey.example.test: SERVFAIL"},
    {"two_records",
     true,
     MC_DNS_ANSWER,
     {"v=DKIM1; p=" ED_RAW, "k=ed25519; p=" ED_RAW},
     MC_DKIM_FOUND_SEVERAL,
     2,
     false,
     NULL},
    {"invalid_record",
     true,
     MC_DNS_ANSWER,
     {"k=ed25519; k=rsa; p=x"},
     MC_DKIM_FOUND_INVALID,
     1,
     false,
     "given twice"},
    {"revoked_key_is_not_checked",
     true,
     MC_DNS_ANSWER,
     {"v=DKIM1; p="},
     MC_DKIM_FOUND_RECORD,
     1,
     false,
     NULL},
    {"unsupported_k_is_not_checked",
     true,
     MC_DNS_ANSWER,
     {"k=dsa; p=" ED_RAW},
     MC_DKIM_FOUND_RECORD,
     1,
     false,
     NULL},
    {"unusable_key_says_why",
     true,
     MC_DNS_ANSWER,
     {"k=ed25519; p=" ED_SPKI},
     MC_DKIM_FOUND_RECORD,
     1,
     false,
     "Ed25519"},
    {"usable_key",
     true,
     MC_DNS_ANSWER,
     {"v=DKIM1; k=ed25519; p=" ED_RAW},
     MC_DKIM_FOUND_RECORD,
     1,
     true,
     NULL},
};

static void test_selector_facts(void **state)
{
	mc_dkim_selector_t *sel = calloc(1, sizeof(*sel));
	size_t i, k;

	(void)state;
	assert_non_null(sel);
	for (i = 0; i < sizeof(selector_cases) / sizeof(selector_cases[0]); i++) {
		const selector_case_t *c = &selector_cases[i];
		mc_dns_answer_t a;
		mc_dns_rr_t rr[2];
		memset(&a, 0, sizeof(a));
		a.outcome = c->outcome;
		a.type = MC_DNS_T_TXT;
		snprintf(a.error, sizeof(a.error), "TXT sel._domainkey.example.test: SERVFAIL");
		for (k = 0; k < 2 && c->txt[k]; k++) {
			memset(&rr[k], 0, sizeof(rr[k]));
			rr[k].type = MC_DNS_T_TXT;
			rr[k].data = (const uint8_t *)c->txt[k];
			rr[k].len = strlen(c->txt[k]);
			a.rrs[a.n++] = &rr[k];
		}
		mc_dkim_selector_facts(c->answered ? &a : NULL, sel);
		print_message("case %s\n", c->name);
		assert_int_equal(sel->found, c->found);
		assert_int_equal(sel->nrecords, c->nrecords);
		assert_int_equal(sel->key_ok, c->key_ok);
		if (c->error)
			assert_non_null(strstr(sel->error, c->error));
		else
			assert_string_equal(sel->error, "");
		if (c->key_ok)
			assert_int_equal(sel->key.bits, 256);
	}
	free(sel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_record_table),
	    cmocka_unit_test(test_p_compacted),
	    cmocka_unit_test(test_key_table),
	    cmocka_unit_test(test_p_max),
	    cmocka_unit_test(test_tag_cap),
	    cmocka_unit_test(test_fields_cut),
	    cmocka_unit_test(test_error_buffer_bound),
	    cmocka_unit_test(test_key_type_str),
	    cmocka_unit_test(test_selector_facts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
