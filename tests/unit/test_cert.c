/* Unit tests: tls/mc_cert, the facts read from a certificate: the DER
 * files of tests/certs/, and certificates made here with the OpenSSL API
 * for what those do not show (key types, long name lists, odd
 * subjectAltName entries, weak signatures over a chain). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "tls/mc_cert.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static size_t slurp(const char *name, unsigned char *buf, size_t bufsz)
{
	const char *dir = getenv("srcdir");
	char path[1024];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/certs/%s", dir ? dir : ".", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	n = fread(buf, 1, bufsz, f);
	fclose(f);
	return n;
}

typedef struct {
	const char *file;
	const char *subject;
	const char *names;
	const char *not_before; /* as mc_cert_time_str prints it */
	const char *not_after;
	double min_days, max_days;
	int san_dns, san_ip;
	bool key_usage_present, key_usage_signature;
} facts_case_t;

static const facts_case_t facts_cases[] = {
    {"facts.der", "CN=facts.test,O=mailcheck-plugins tests",
     "facts.test, *.facts.test, 192.0.2.1, 2001:db8::1", "2020-01-01 00:00:00 UTC",
     "2120-01-02 00:00:00 UTC", 30000, 40000, 2, 2, false, true},
    /* Without subjectAltName the CN is the name (RFC 6125 section 6.4.4),
     * and no DNS entry says so: the CN-only WARNING. */
    {"cn-only.der", "CN=cn-only.test", "cn-only.test", "2020-01-01 00:00:00 UTC",
     "2120-01-02 00:00:00 UTC", 30000, 40000, 0, 0, false, true},
    /* Expired certificates report negative days. */
    {"expired.der", "CN=expired.test", "expired.test", "2020-01-01 00:00:00 UTC",
     "2020-01-31 00:00:00 UTC", -100000, -1000, 1, 0, false, true},
    /* A subjectAltName with an address only: a host name would match the
     * CN alone; a keyUsage without digitalSignature. */
    {"ku-ipsan.der", "CN=ku.test", "192.0.2.7", "2020-01-01 00:00:00 UTC",
     "2120-01-03 00:00:00 UTC", 30000, 40000, 0, 1, true, false},
};

static void test_facts_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(facts_cases) / sizeof(facts_cases[0]); i++) {
		const facts_case_t *c = &facts_cases[i];
		unsigned char der[8192];
		size_t n = slurp(c->file, der, sizeof(der));
		mc_cert_facts_t in;
		char when[40];

		print_message("case: %s\n", c->file);
		assert_int_equal(mc_cert_facts_der(der, n, &in), MC_OK);
		assert_string_equal(in.subject, c->subject);
		assert_string_equal(in.issuer, c->subject); /* self-signed */
		assert_string_equal(in.names, c->names);
		mc_cert_time_str(in.not_before, when, sizeof(when));
		assert_string_equal(when, c->not_before);
		mc_cert_time_str(in.not_after, when, sizeof(when));
		assert_string_equal(when, c->not_after);
		assert_true(in.days_left > c->min_days && in.days_left < c->max_days);
		assert_int_equal(in.san_dns, c->san_dns);
		assert_int_equal(in.san_ip, c->san_ip);
		assert_int_equal(in.key_usage_present, c->key_usage_present);
		assert_int_equal(in.key_usage_signature, c->key_usage_signature);
	}
}

/* Anything that is not a whole certificate is refused, not half-read. */
static void test_not_a_certificate(void **state)
{
	unsigned char der[8192];
	size_t n = slurp("facts.der", der, sizeof(der));
	mc_cert_facts_t in;

	(void)state;
	assert_int_equal(mc_cert_facts_der(der, n / 2, &in), MC_E_PROTOCOL);
	assert_int_equal(mc_cert_facts_der((const unsigned char *)"hello", 5, &in), MC_E_PROTOCOL);
	assert_int_equal(mc_cert_facts_der(der, 0, &in), MC_E_PROTOCOL);
	assert_string_equal(in.subject, "");
}

/* Bytes after the certificate are not read; over the size cap nothing is. */
static void test_der_bounds(void **state)
{
	unsigned char der[8192];
	size_t n = slurp("facts.der", der, sizeof(der) - 16);
	unsigned char *big;
	mc_cert_facts_t in;

	(void)state;
	memcpy(der + n, "trailing bytes", 14);
	assert_int_equal(mc_cert_facts_der(der, n + 14, &in), MC_OK);
	assert_string_equal(in.subject, "CN=facts.test,O=mailcheck-plugins tests");
	big = calloc(1, MC_CERT_DER_MAX + 1);
	assert_non_null(big);
	memcpy(big, der, n);
	assert_int_equal(mc_cert_facts_der(big, MC_CERT_DER_MAX + 1, &in), MC_E_LIMIT);
	assert_int_equal(mc_cert_facts_der(big, MC_CERT_DER_MAX, &in), MC_OK);
	free(big);
}

/* A certificate for key, named cn, with the subjectAltName entries gens
 * (may be NULL), self-signed with md. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, GENERAL_NAMES *gens, const EVP_MD *md)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();

	assert_non_null(x);
	assert_non_null(name);
	assert_true(X509_set_version(x, X509_VERSION_3));
	assert_true(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn,
	                                       -1, -1, 0));
	assert_true(X509_set_subject_name(x, name));
	assert_true(X509_set_issuer_name(x, name));
	X509_NAME_free(name);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 10));
	assert_true(X509_set_pubkey(x, key));
	if (gens)
		assert_true(X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, 0));
	assert_true(X509_sign(x, key, md) > 0);
	return x;
}

static void add_name(GENERAL_NAMES *gens, int type, const void *data, int len)
{
	GENERAL_NAME *g = GENERAL_NAME_new();
	ASN1_STRING *s = type == GEN_IPADD ? ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();

	assert_non_null(g);
	assert_non_null(s);
	assert_true(ASN1_STRING_set(s, data, len));
	GENERAL_NAME_set0_value(g, type, s);
	assert_true(sk_GENERAL_NAME_push(gens, g));
}

/* The key's type and size, whatever the algorithm. */
static void test_key_types(void **state)
{
	static const struct {
		const char *why, *alg, *arg;
		const char *type;
		int bits;
		bool eddsa; /* signs the message itself: no digest */
	} rows[] = {
	    {"an EC P-256 key", "EC", "P-256", "EC", 256, false},
	    {"an RSA key", "RSA", NULL, "RSA", 1024, false},
	    {"an Ed25519 key", "ED25519", NULL, "Ed25519", 256, true},
	    {"an Ed448 key", "ED448", NULL, "Ed448", 456, true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(rows); i++) {
		EVP_PKEY *k;
		X509 *x;
		mc_cert_facts_t f;

		print_message("case: %s\n", rows[i].why);
		if (!strcmp(rows[i].alg, "EC"))
			k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", rows[i].arg);
		else if (!strcmp(rows[i].alg, "RSA"))
			k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
		else
			k = EVP_PKEY_Q_keygen(NULL, NULL, rows[i].alg);
		assert_non_null(k);
		x = make_cert("key.test", k, NULL, rows[i].eddsa ? NULL : EVP_sha256());
		mc_cert_facts(x, &f);
		assert_string_equal(f.key_type, rows[i].type);
		assert_int_equal(f.key_bits, rows[i].bits);
		assert_string_equal(f.subject, "CN=key.test");
		assert_string_equal(f.names, "key.test"); /* no SAN: the CN */
		assert_true(f.days_left > 9.9 && f.days_left <= 10.0);
		X509_free(x);
		EVP_PKEY_free(k);
	}
}

/* names[] holds whole names only: the first that does not fit ends the
 * list, and is the last one counted. Entries other than DNS and IP, and
 * addresses of neither 4 nor 16 bytes, are passed over. */
static void test_names(void **state)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	GENERAL_NAMES *gens = GENERAL_NAMES_new();
	char dns[32], want[MC_CERT_NAMES_MAX];
	size_t used = 0;
	mc_cert_facts_t f;
	X509 *x;
	int i;

	(void)state;
	assert_non_null(k);
	assert_non_null(gens);
	add_name(gens, GEN_EMAIL, "postmaster@mail.test", 20);
	add_name(gens, GEN_IPADD, "\xc0\x00\x02", 3);
	add_name(gens, GEN_IPADD, "\xc0\x00\x02\x01", 4);
	used = (size_t)snprintf(want, sizeof(want), "192.0.2.1");
	for (i = 0; i < 40; i++) {
		/* 29 bytes each, ", " between: 16 fit after the address */
		snprintf(dns, sizeof(dns), "mx%02d.names.mailcheck.example", i);
		add_name(gens, GEN_DNS, dns, (int)strlen(dns));
		if (used + strlen(dns) + 3 < sizeof(want))
			used += (size_t)snprintf(want + used, sizeof(want) - used, ", %s", dns);
	}
	x = make_cert("names.test", k, gens, EVP_sha256());
	mc_cert_facts(x, &f);
	assert_string_equal(f.names, want);
	assert_int_equal(f.san_ip, 1);
	assert_int_equal(f.san_dns, 17);
	X509_free(x);
	GENERAL_NAMES_free(gens);
	EVP_PKEY_free(k);
}

/* The first SHA-1 (or MD5) signature from the leaf up, a self-signed
 * certificate's own passed over. */
static void test_weak_signature(void **state)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *good = make_cert("good.test", k, NULL, EVP_sha256());
	X509 *sha1 = make_cert("sha1.test", k, NULL, EVP_sha1());
	STACK_OF(X509) *chain = sk_X509_new_null();
	char buf[300] = "untouched";

	(void)state;
	assert_non_null(chain);
	/* self-signed: its own SHA-1 signature protects nothing */
	assert_true(sk_X509_push(chain, good));
	assert_true(sk_X509_push(chain, sha1));
	assert_int_equal(mc_cert_weak_signature(chain, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "untouched");
	assert_int_equal(mc_cert_weak_signature(NULL, buf, sizeof(buf)), -1);
	/* the same certificate claiming another issuer is not self-signed */
	X509_free(sha1);
	sha1 = make_cert("sha1.test", k, NULL, EVP_sha1());
	{
		X509_NAME *n = X509_NAME_new();
		assert_true(X509_NAME_add_entry_by_txt(
		    n, "CN", MBSTRING_ASC, (const unsigned char *)"some CA", -1, -1, 0));
		assert_true(X509_set_issuer_name(sha1, n));
		X509_NAME_free(n);
		assert_true(X509_sign(sha1, k, EVP_sha1()) > 0);
	}
	(void)sk_X509_pop(chain);
	assert_true(sk_X509_push(chain, sha1));
	assert_int_equal(mc_cert_weak_signature(chain, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "ecdsa-with-SHA1 on CN=sha1.test");
	sk_X509_free(chain);
	X509_free(good);
	X509_free(sha1);
	EVP_PKEY_free(k);
}

static void test_times(void **state)
{
	char buf[40];

	(void)state;
	assert_int_equal(mc_cert_time(NULL), 0);
	mc_cert_time_str(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01 00:00:00 UTC");
	/* a year gmtime cannot hold, or no room: "?" */
	mc_cert_time_str((time_t)1 << 62, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	mc_cert_time_str(0, buf, 10);
	assert_string_equal(buf, "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_facts_table), cmocka_unit_test(test_not_a_certificate),
	    cmocka_unit_test(test_der_bounds),  cmocka_unit_test(test_key_types),
	    cmocka_unit_test(test_names),       cmocka_unit_test(test_weak_signature),
	    cmocka_unit_test(test_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
