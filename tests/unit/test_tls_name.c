/* Unit tests: the name a certificate is verified against (tls/mc_tls_name):
 * never empty, never a pattern, canonical before OpenSSL sees it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loop/mc_loop.h"
#include "net/mc_stream.h"
#include "tls/mc_tls.h"
#include "tls/mc_tls_name.h"

typedef struct {
	const char *why;  /* what the row proves */
	const char *in;   /* what the user gave */
	mc_status_t want; /* MC_OK or MC_E_USAGE */
	const char *out;  /* the canonical name, or a phrase of the error */
	mc_tls_name_kind_t kind;
} name_case_t;

#define H MC_TLS_NAME_HOST
#define IP MC_TLS_NAME_IP

static const name_case_t cases[] = {
    {"a host name stays as it is", "mail.example.org", MC_OK, "mail.example.org", H},
    {"case is kept: OpenSSL matches without it", "Mail.Example.ORG", MC_OK, "Mail.Example.ORG", H},
    {"one label is a host name", "localhost", MC_OK, "localhost", H},
    {"one trailing dot is the same name", "mail.example.org.", MC_OK, "mail.example.org", H},
    {"two trailing dots leave an empty label", "mail.example.org..", MC_E_USAGE, "empty label", H},
    {"IPv4 address", "192.0.2.1", MC_OK, "192.0.2.1", IP},
    {"IPv6 address", "2001:db8::1", MC_OK, "2001:db8::1", IP},
    {"IPv6 loopback", "::1", MC_OK, "::1", IP},
    {"a bracketed address is not an address", "[::1]", MC_E_USAGE, "'['", H},
    {"an address with a port is not a name", "192.0.2.1:25", MC_E_USAGE, "':'", H},
    {"an address with a dot is a mistyped address", "127.0.0.1.", MC_E_USAGE, "all digits", H},
    {"five numbers are no address", "1.2.3.4.5", MC_E_USAGE, "all digits", H},
    {"empty: OpenSSL would check no name at all", "", MC_E_USAGE, "empty", H},
    {"a lone dot is the root, no host", ".", MC_E_USAGE, "leading dot", H},
    {"a leading dot is OpenSSL's any-subdomain pattern", ".example.org", MC_E_USAGE, "leading dot",
     H},
    {"a wildcard is a pattern", "*.example.org", MC_E_USAGE, "wildcard", H},
    {"a partial wildcard is a pattern", "mail*.example.org", MC_E_USAGE, "wildcard", H},
    {"a lone star is a pattern", "*", MC_E_USAGE, "wildcard", H},
    {"a space is no host name character", "mail example.org", MC_E_USAGE, "byte 0x20", H},
    {"an underscore is no host name character", "_25._tcp.example.org", MC_E_USAGE, "'_'", H},
    {"a control byte is described, not printed", "mail\x01.org", MC_E_USAGE, "byte 0x01", H},
    {"an empty label in the middle", "mail..example.org", MC_E_USAGE, "empty label", H},
    {"a label may not start with a hyphen", "-mail.example.org", MC_E_USAGE, "'-'", H},
    {"a label may not end with a hyphen", "mail-.example.org", MC_E_USAGE, "'-'", H},
    {"a hyphen inside a label is fine", "mail-1.example.org", MC_OK, "mail-1.example.org", H},
    {"an A-label is a host name", "xn--bcher-kva.example", MC_OK, "xn--bcher-kva.example", H},
    {"Unicode becomes its A-label",
     "b\xc3\xbc"
     "cher.example",
     MC_OK, "xn--bcher-kva.example", H},
    {"Unicode with the trailing dot",
     "b\xc3\xbc"
     "cher.example.",
     MC_OK, "xn--bcher-kva.example", H},
    {"upper-case Unicode is mapped (UTS #46)",
     "B\xc3\x9c"
     "CHER.example",
     MC_OK, "xn--bcher-kva.example", H},
    {"invalid UTF-8 is refused",
     "b\xfc"
     "cher.example",
     MC_E_USAGE, "IDNA2008", H},
    {"a Unicode wildcard is still a pattern",
     "*.b\xc3\xbc"
     "cher.example",
     MC_E_USAGE, "wildcard", H},
    {"a digit-only top label is no host", "mail.123", MC_E_USAGE, "all digits", H},
    {"a digit-led label is fine (RFC 1123)", "3com.example", MC_OK, "3com.example", H},
};

static void test_name_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const name_case_t *c = &cases[i];
		char out[MC_TLS_NAME_SIZE], err[200];
		mc_tls_name_kind_t kind = (mc_tls_name_kind_t)-1;
		mc_status_t st;

		print_message("case: %s\n", c->why);
		err[0] = '\0';
		st = mc_tls_name_parse(c->in, out, sizeof(out), &kind, err, sizeof(err));
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			assert_string_equal(out, c->out);
			assert_int_equal(kind, c->kind);
			assert_true(mc_tls_name_valid(out));
		} else {
			assert_non_null(strstr(err, c->out));
			assert_string_equal(out, "");
			assert_false(mc_tls_name_valid(c->in));
			/* One line, without the name: the caller quotes it. */
			assert_null(strchr(err, '\n'));
		}
	}
}

/* Lengths: 253 bytes is the most a name holds (RFC 1035 section 2.3.4),
 * with or without its root dot; 63 the most a label does. */
static void test_name_lengths(void **state)
{
	char name[400], out[MC_TLS_NAME_SIZE], err[200];
	mc_tls_name_kind_t kind;
	size_t i;

	(void)state;
	/* 4 labels of 63 and one of 1: 4*63 + 1 + 4 dots = 257; use 3*63+61. */
	memset(name, 'a', sizeof(name));
	name[63] = name[127] = name[191] = '.';
	name[253] = '\0';
	assert_int_equal(mc_tls_name_parse(name, out, sizeof(out), &kind, err, sizeof(err)), MC_OK);
	assert_int_equal(strlen(out), 253);
	name[253] = '.';
	name[254] = '\0';
	assert_int_equal(mc_tls_name_parse(name, out, sizeof(out), &kind, err, sizeof(err)), MC_OK);
	assert_int_equal(strlen(out), 253);
	name[253] = 'a';
	assert_int_equal(mc_tls_name_parse(name, out, sizeof(out), &kind, err, sizeof(err)),
	                 MC_E_USAGE);
	assert_non_null(strstr(err, "253"));
	/* a 64-byte label */
	for (i = 0; i < 64; i++)
		name[i] = 'b';
	memcpy(name + 64, ".example", 9);
	assert_int_equal(mc_tls_name_parse(name, out, sizeof(out), &kind, err, sizeof(err)),
	                 MC_E_USAGE);
	assert_non_null(strstr(err, "63"));
	/* far over any buffer */
	memset(name, 'c', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(mc_tls_name_parse(name, out, sizeof(out), &kind, err, sizeof(err)),
	                 MC_E_USAGE);
	assert_false(mc_tls_name_valid(NULL));
	assert_false(mc_tls_name_valid("mail.example.org."));
}

static void ignore_event(mc_stream_t *s, mc_stream_event_t ev, void *arg)
{
	(void)s;
	(void)ev;
	(void)arg;
}

static void ignore_done(void *arg, mc_status_t st, const char *err)
{
	(void)arg;
	(void)st;
	(void)err;
}

/* Whatever path leads to a handshake, mc_tls_start refuses to verify
 * against no name, an empty one or a pattern: the last line of defence
 * behind every option parser (the MTA-STS fetch of check_mx_dns has none). */
static void test_start_refuses_unnamed_verification(void **state)
{
	static const struct {
		const char *why;
		mc_tls_verify_t verify;
		const char *cert_name, *sni, *dane_base;
		mc_status_t want;
	} rows[] = {
	    {"full verification without a name", MC_TLS_VERIFY_FULL, NULL, NULL, NULL, MC_E_USAGE},
	    {"an empty name clears OpenSSL's host list", MC_TLS_VERIFY_FULL, "", "mail.test", NULL,
	     MC_E_USAGE},
	    {"a leading dot is any subdomain", MC_TLS_VERIFY_FULL, ".test", NULL, NULL, MC_E_USAGE},
	    {"a wildcard", MC_TLS_VERIFY_FULL, "*.test", NULL, NULL, MC_E_USAGE},
	    {"not canonical: the trailing dot", MC_TLS_VERIFY_FULL, "mail.test.", NULL, NULL,
	     MC_E_USAGE},
	    {"an empty SNI", MC_TLS_VERIFY_CHAIN, NULL, "", NULL, MC_E_USAGE},
	    {"an empty DANE base name", MC_TLS_VERIFY_FULL, "mail.test", NULL, "", MC_E_USAGE},
	    {"a host name", MC_TLS_VERIFY_FULL, "mail.test", "mail.test", NULL, MC_OK},
	    {"an address", MC_TLS_VERIFY_FULL, "192.0.2.1", NULL, NULL, MC_OK},
	    {"chain verification checks no name, on purpose", MC_TLS_VERIFY_CHAIN, NULL, NULL, NULL,
	     MC_OK},
	};
	mc_tls_ctx_params_t cp = {NULL, NULL};
	mc_tls_ctx_t *ctx = NULL;
	mc_loop_t *loop = NULL;
	char err[256];
	size_t i;

	(void)state;
	assert_int_equal(mc_tls_ctx_new(&cp, &ctx, err, sizeof(err)), MC_OK);
	assert_int_equal(mc_loop_new(&loop), MC_OK);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		mc_tls_params_t p;
		mc_tls_info_t info;
		mc_stream_t *s;
		int sv[2];

		print_message("case: %s\n", rows[i].why);
		/* non-blocking, as mc_net hands sockets over */
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
		s = mc_stream_new(loop, sv[0], 4096, ignore_event, NULL);
		assert_non_null(s);
		memset(&p, 0, sizeof(p));
		p.verify = rows[i].verify;
		p.cert_name = rows[i].cert_name;
		p.sni = rows[i].sni;
		p.dane_base = rows[i].dane_base;
		assert_int_equal(mc_tls_start(ctx, s, &p, &info, ignore_done, NULL), rows[i].want);
		mc_stream_free(s);
		close(sv[1]);
	}
	mc_loop_free(loop);
	mc_tls_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_name_table),
	    cmocka_unit_test(test_name_lengths),
	    cmocka_unit_test(test_start_refuses_unnamed_verification),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
