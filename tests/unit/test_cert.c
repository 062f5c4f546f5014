/* Unit tests: tls/mc_cert, the facts read from a certificate (tests/certs/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tls/mc_cert.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_facts_table),
	    cmocka_unit_test(test_not_a_certificate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
