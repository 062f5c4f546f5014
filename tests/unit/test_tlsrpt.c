/* Unit tests: policy/mc_tlsrpt, the TLS-RPT record (RFC 8460 section 3):
 * rua URIs, field syntax, records that are not ours, and error texts cut
 * to the buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy/mc_tlsrpt.h"

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
	size_t nrua;
	const char *rua0, *rua1; /* first two URIs, or NULL */
	const char *err;         /* substring of the error, or NULL */
} tlsrpt_case_t;

static const tlsrpt_case_t tlsrpt_cases[] = {
    {"mailto", "v=TLSRPTv1; rua=mailto:tlsrpt@example.com", 0, MC_OK, 1,
     "mailto:tlsrpt@example.com", NULL, NULL},
    {"https", "v=TLSRPTv1;rua=https://reports.example.com/v1/tlsrpt", 0, MC_OK, 1,
     "https://reports.example.com/v1/tlsrpt", NULL, NULL},
    {"two URIs", "v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.com/x", 0, MC_OK, 2,
     "mailto:a@example.com", "https://r.example.com/x", NULL},
    {"spaces around the comma", "v=TLSRPTv1; rua=mailto:a@example.com , \tmailto:b@example.com", 0,
     MC_OK, 2, "mailto:a@example.com", "mailto:b@example.com", NULL},
    {"spaces around fields", "v=TLSRPTv1 ;  rua=mailto:a@b.example ; ", 0, MC_OK, 1,
     "mailto:a@b.example", NULL, NULL},
    {"trailing ;", "v=TLSRPTv1; rua=mailto:a@b.example;", 0, MC_OK, 1, "mailto:a@b.example", NULL,
     NULL},
    {"extension ignored", "v=TLSRPTv1; x-ext=1; rua=mailto:a@b.example; y=2", 0, MC_OK, 1,
     "mailto:a@b.example", NULL, NULL},
    {"scheme case-insensitive", "v=TLSRPTv1; rua=MAILTO:a@b.example,HTTPS://h.example", 0, MC_OK, 2,
     "MAILTO:a@b.example", "HTTPS://h.example", NULL},
    {"percent-encoded comma", "v=TLSRPTv1; rua=mailto:a%2Cb@c.example?subject=x", 0, MC_OK, 1,
     "mailto:a%2Cb@c.example?subject=x", NULL, NULL},
    {"eight URIs",
     "v=TLSRPTv1; rua=mailto:a@x.y,mailto:b@x.y,mailto:c@x.y,mailto:d@x.y,"
     "mailto:e@x.y,mailto:f@x.y,mailto:g@x.y,mailto:h@x.y",
     0, MC_OK, 8, "mailto:a@x.y", "mailto:b@x.y", NULL},
    {"nine URIs",
     "v=TLSRPTv1; rua=mailto:a@x.y,mailto:b@x.y,mailto:c@x.y,mailto:d@x.y,"
     "mailto:e@x.y,mailto:f@x.y,mailto:g@x.y,mailto:h@x.y,mailto:i@x.y",
     0, MC_E_PROTOCOL, 0, NULL, NULL, "more than 8 URIs"},
    {"missing rua", "v=TLSRPTv1; ruf=mailto:a@b.example", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "no rua= field"},
    {"version only", "v=TLSRPTv1", 0, MC_E_PROTOCOL, 0, NULL, NULL, "no rua= field"},
    {"rua twice", "v=TLSRPTv1; rua=mailto:a@b.example; rua=mailto:c@d.example", 0, MC_E_PROTOCOL, 0,
     NULL, NULL, "rua= given twice"},
    {"v twice", "v=TLSRPTv1; rua=mailto:a@b.example; v=TLSRPTv1", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "v= given twice"},
    {"http scheme", "v=TLSRPTv1; rua=http://r.example.com/", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "rua URI 'http://r.example.com/' is not mailto: or https://"},
    {"no scheme", "v=TLSRPTv1; rua=tlsrpt@example.com", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "is not mailto: or https://"},
    {"https without //", "v=TLSRPTv1; rua=https:r.example.com", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "is not mailto: or https://"},
    {"https without host", "v=TLSRPTv1; rua=https:///x", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "has no host"},
    {"mailto without @", "v=TLSRPTv1; rua=mailto:postmaster", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "is not mailto:user@domain"},
    {"mailto without domain", "v=TLSRPTv1; rua=mailto:a@", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "is not mailto:user@domain"},
    {"empty rua", "v=TLSRPTv1; rua=", 0, MC_E_PROTOCOL, 0, NULL, NULL, "empty URI"},
    {"empty URI in the list", "v=TLSRPTv1; rua=mailto:a@b.example,,mailto:c@d.example", 0,
     MC_E_PROTOCOL, 0, NULL, NULL, "empty URI"},
    {"trailing comma", "v=TLSRPTv1; rua=mailto:a@b.example,", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "empty URI"},
    {"DMARC size suffix", "v=TLSRPTv1; rua=mailto:a@b.example!10m", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "contains '!'"},
    {"space inside a URI", "v=TLSRPTv1; rua=mailto:a@b.example x", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "must be encoded"},
    {"v not first", "rua=mailto:a@b.example; v=TLSRPTv1", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "v=TLSRPTv1 must come first"},
    {"whitespace before v", "\tv=TLSRPTv1; rua=mailto:a@b.example", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "whitespace before"},
    {"missing ; after version", "v=TLSRPTv1 rua=mailto:a@b.example", 0, MC_E_PROTOCOL, 0, NULL,
     NULL, "no ';' after"},
    {"empty field", "v=TLSRPTv1;;rua=mailto:a@b.example", 0, MC_E_PROTOCOL, 0, NULL, NULL,
     "empty field"},
    {"malformed extension", "v=TLSRPTv1; rua=mailto:a@b.example; x y=1", 0, MC_E_PROTOCOL, 0, NULL,
     NULL, "malformed name"},
    {"SPF record is not ours", "v=spf1 -all", 0, MC_E_AGAIN, 0, NULL, NULL, "not a TLS-RPT record"},
    {"version prefix is not ours", "v=TLSRPTv10; rua=mailto:a@b.example", 0, MC_E_AGAIN, 0, NULL,
     NULL, NULL},
    {"empty record is not ours", "", 0, MC_E_AGAIN, 0, NULL, NULL, NULL},
    {"NUL byte", "v=TLSRPTv1; rua=mailto:a@b.ex\0ample", 34, MC_E_PROTOCOL, 0, NULL, NULL,
     "NUL byte"},
    {"length bounds the input", "v=TLSRPTv1; rua=mailto:a@b.exampleXYZ", 34, MC_OK, 1,
     "mailto:a@b.example", NULL, NULL},
};

static void test_tlsrpt_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tlsrpt_cases) / sizeof(tlsrpt_cases[0]); i++) {
		const tlsrpt_case_t *c = &tlsrpt_cases[i];
		mc_tlsrpt_record_t *rec = malloc(sizeof(*rec));
		char err[256] = "";
		mc_status_t st;

		assert_non_null(rec);
		print_message("case: %s\n", c->name);
		st = mc_tlsrpt_parse(c->in, c->len ? c->len : strlen(c->in), rec, err, sizeof(err));
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			assert_int_equal(rec->nrua, c->nrua);
			if (c->rua0)
				assert_string_equal(rec->rua[0], c->rua0);
			if (c->rua1)
				assert_string_equal(rec->rua[1], c->rua1);
		} else {
			assert_one_line(err, sizeof(err));
		}
		if (c->err)
			assert_non_null(strstr(err, c->err));
		free(rec);
	}
}

/* A 255-byte URI fits rua[i]; 256 is an error quoted cut. */
static void test_tlsrpt_uri_length(void **state)
{
	mc_tlsrpt_record_t *rec = malloc(sizeof(*rec));
	char txt[400], err[256];
	size_t n;

	(void)state;
	assert_non_null(rec);
	n = (size_t)snprintf(txt, sizeof(txt), "v=TLSRPTv1; rua=mailto:a@");
	memset(txt + n, 'b', 255 - 9);
	n += 255 - 9;
	assert_int_equal(mc_tlsrpt_parse(txt, n, rec, err, sizeof(err)), MC_OK);
	assert_int_equal(strlen(rec->rua[0]), 255);
	txt[n++] = 'b';
	assert_int_equal(mc_tlsrpt_parse(txt, n, rec, err, sizeof(err)), MC_E_PROTOCOL);
	assert_non_null(strstr(err, "...' is longer than 255 bytes"));
	free(rec);
}

/* Errors are cut to the buffer, NUL-terminated. */
static void test_error_buffer_bound(void **state)
{
	static const char rpt_in[] = "v=TLSRPTv1; rua=ftp://a-very-long-host-name.example/";
	mc_tlsrpt_record_t *rpt = malloc(sizeof(*rpt));
	char err[16];
	size_t sz;

	(void)state;
	assert_non_null(rpt);
	for (sz = 1; sz <= sizeof(err); sz++) {
		memset(err, 'X', sizeof(err));
		assert_int_equal(mc_tlsrpt_parse(rpt_in, sizeof(rpt_in) - 1, rpt, err, sz),
		                 MC_E_PROTOCOL);
		assert_one_line(err, sz);
	}
	/* errsz 0: nothing written */
	memset(err, 'X', sizeof(err));
	assert_int_equal(mc_tlsrpt_parse(rpt_in, sizeof(rpt_in) - 1, rpt, err, 0), MC_E_PROTOCOL);
	assert_int_equal(err[0], 'X');
	free(rpt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tlsrpt_table),
	    cmocka_unit_test(test_tlsrpt_uri_length),
	    cmocka_unit_test(test_error_buffer_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
