/* test_spf_macro.c - the SPF macro expander (policy/mc_spf.h, RFC 7208
 * section 7): every example of section 7.4, defaults, truncation (section
 * 7.3) and output limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/mc_net.h"
#include "policy/mc_spf.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct macro_case {
	const char *name;
	const char *spec;
	const char *ip; /* NULL: 192.0.2.3 */
	bool for_exp;
	mc_status_t want;
	const char *out; /* or a substring of the error */
	bool nocase;     /* a name: compared ignoring case */
} macro_case_t;

static const macro_case_t macro_cases[] = {
    /* RFC 7208 section 7.4: sender strong-bad@email.example.com, client
     * 192.0.2.3 or 2001:db8::cb01, PTR name mx.example.org */
    {"7.4 %{s}", "%{s}", NULL, false, MC_OK, "strong-bad@email.example.com", false},
    {"7.4 %{o}", "%{o}", NULL, false, MC_OK, "email.example.com", false},
    {"7.4 %{d}", "%{d}", NULL, false, MC_OK, "email.example.com", false},
    {"7.4 %{d4}", "%{d4}", NULL, false, MC_OK, "email.example.com", false},
    {"7.4 %{d3}", "%{d3}", NULL, false, MC_OK, "email.example.com", false},
    {"7.4 %{d2}", "%{d2}", NULL, false, MC_OK, "example.com", false},
    {"7.4 %{d1}", "%{d1}", NULL, false, MC_OK, "com", false},
    {"7.4 %{dr}", "%{dr}", NULL, false, MC_OK, "com.example.email", false},
    {"7.4 %{d2r}", "%{d2r}", NULL, false, MC_OK, "example.email", false},
    {"7.4 %{l}", "%{l}", NULL, false, MC_OK, "strong-bad", false},
    {"7.4 %{l-}", "%{l-}", NULL, false, MC_OK, "strong.bad", false},
    {"7.4 %{lr}", "%{lr}", NULL, false, MC_OK, "strong-bad", false},
    {"7.4 %{lr-}", "%{lr-}", NULL, false, MC_OK, "bad.strong", false},
    {"7.4 %{l1r-}", "%{l1r-}", NULL, false, MC_OK, "strong", false},
    {"7.4 ir.v._spf.d2", "%{ir}.%{v}._spf.%{d2}", NULL, false, MC_OK,
     "3.2.0.192.in-addr._spf.example.com", false},
    {"7.4 lr-.lp._spf.d2", "%{lr-}.lp._spf.%{d2}", NULL, false, MC_OK,
     "bad.strong.lp._spf.example.com", false},
    {"7.4 lr-.lp.ir.v._spf.d2", "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", NULL, false, MC_OK,
     "bad.strong.lp.3.2.0.192.in-addr._spf.example.com", false},
    {"7.4 ir.v.l1r-.lp._spf.d2", "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", NULL, false, MC_OK,
     "3.2.0.192.in-addr.strong.lp._spf.example.com", false},
    {"7.4 d2.trusted-domains", "%{d2}.trusted-domains.example.net", NULL, false, MC_OK,
     "example.com.trusted-domains.example.net", false},
    {"7.4 IPv6 ir.v._spf.d2", "%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01", false, MC_OK,
     "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", true},
    /* letters and escapes */
    {"p given by the caller", "%{p}", NULL, false, MC_OK, "mx.example.org", false},
    {"h", "%{h}", NULL, false, MC_OK, "mail.example.org", false},
    /* upper-case nibbles: the suite's v-macro-ip6 explanation */
    {"i of IPv6, not reversed", "%{i}", "2001:db8::cb01", false, MC_OK,
     "2.0.0.1.0.D.B.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.C.B.0.1", false},
    {"IPv4-mapped client is IPv4", "%{ir}.%{v}", "::ffff:192.0.2.3", false, MC_OK,
     "3.2.0.192.in-addr", false},
    {"percent, space, URL space", "a%%b%_c%-d.example.com", NULL, false, MC_OK,
     "a%b c%20d.example.com", false},
    {"upper case is URL-escaped", "%{L}", NULL, false, MC_OK, "strong-bad", false},
    {"several delimiters", "%{s2r.-}", NULL, false, MC_OK, "bad@email.strong", false},
    {"'@' is no delimiter", "%{s2r@}", NULL, false, MC_E_PROTOCOL, "bad macro", false},
    {"more parts than there are", "%{d999}", NULL, false, MC_OK, "email.example.com", false},
    {"trailing dot removed for a name", "%{d}.", NULL, false, MC_OK, "email.example.com", false},
    {"trailing dot kept in an explanation", "%{d}.", NULL, true, MC_OK, "email.example.com.",
     false},
    {"explanation letters", "%{c} at %{t} by %{r}", "2001:db8::cb01", true, MC_OK,
     "2001:db8::cb01 at 1400000000 by mx.receiver.example", false},
    {"explanation URL-escapes its upper case", "why?s=%{S}", NULL, true, MC_OK,
     "why?s=strong-bad%40email.example.com", false},
    /* errors */
    {"c in a domain", "%{c}.example.com", NULL, false, MC_E_PROTOCOL, "explanations only", false},
    {"space in a domain", "a b.example.com", NULL, false, MC_E_PROTOCOL, "byte 0x20", false},
    {"unknown letter", "%{x}", NULL, true, MC_E_PROTOCOL, "unknown macro letter", false},
    {"lone percent at the end", "50%", NULL, true, MC_E_PROTOCOL, "ends the string", false},
    {"percent and a letter", "%d", NULL, true, MC_E_PROTOCOL, "must be followed by", false},
    {"no closing brace", "%{d", NULL, false, MC_E_PROTOCOL, "bad macro", false},
    {"digits then garbage", "%{d2x}", NULL, false, MC_E_PROTOCOL, "bad macro", false},
    {"empty braces", "%{}", NULL, false, MC_E_PROTOCOL, "unknown macro letter", false},
    {"zero parts", "%{l0}", NULL, true, MC_E_PROTOCOL, "must not be zero", false},
    {"non-ASCII in an explanation", "\xef\xbb\xbfhi", NULL, true, MC_E_PROTOCOL, "byte 0xef",
     false},
};

static void macro_ctx(mc_spf_macro_ctx_t *ctx, mc_addr_t *ip, const char *ipstr)
{
	assert_int_equal(mc_addr_parse(ipstr ? ipstr : "192.0.2.3", 0, ip), MC_OK);
	memset(ctx, 0, sizeof(*ctx));
	ctx->sender = "strong-bad@email.example.com";
	ctx->domain = "email.example.com";
	ctx->ip = ip;
	ctx->ptr = "mx.example.org";
	ctx->helo = "mail.example.org";
	ctx->receiver = "mx.receiver.example";
	ctx->now = 1400000000;
}

static void test_macro_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_OF(macro_cases); i++) {
		const macro_case_t *c = &macro_cases[i];
		mc_spf_macro_ctx_t ctx;
		mc_addr_t ip;
		char out[512], err[160] = "";
		mc_status_t st;

		print_message("case: %s\n", c->name);
		macro_ctx(&ctx, &ip, c->ip);
		st = mc_spf_expand(c->spec, &ctx, c->for_exp, out, sizeof(out), err, sizeof(err));
		assert_int_equal(st, c->want);
		if (st == MC_OK && c->nocase)
			assert_true(mc_dns_name_eq(out, c->out));
		else if (st == MC_OK)
			assert_string_equal(out, c->out);
		else
			assert_non_null(strstr(err, c->out));
	}
}

/* Defaults, truncation (section 7.3) and output limits. */
static void test_macro_limits(void **state)
{
	mc_spf_macro_ctx_t ctx;
	mc_addr_t ip;
	char out[512], err[160], spec[2048], longl[300];
	size_t i, n = 0;

	(void)state;
	macro_ctx(&ctx, &ip, NULL);
	ctx.ptr = NULL;
	ctx.receiver = NULL;
	ctx.helo = NULL;
	ctx.sender = "somewhat.long.exp.example.com";
	assert_int_equal(
	    mc_spf_expand("%{p} %{r} [%{h}] %{l}", &ctx, true, out, sizeof(out), err, sizeof(err)),
	    MC_OK);
	assert_string_equal(out, "unknown unknown [] postmaster");
	/* "foobar." and eight 29-byte labels: the first label goes */
	assert_int_equal(mc_spf_expand("foobar.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.example.com",
	                               &ctx, false, out, sizeof(out), err, sizeof(err)),
	                 MC_OK);
	assert_int_equal(strlen(out), 251);
	assert_true(!strncmp(out, "somewhat.long.exp.example.com.somewhat", 38));
	/* a long chain keeps only what the truncation keeps */
	for (i = 0; i < 300; i++) {
		memcpy(spec + n, "%{d1}.", 6);
		n += 6;
	}
	memcpy(spec + n, "end.example", 12);
	assert_int_equal(mc_spf_expand(spec, &ctx, false, out, sizeof(out), err, sizeof(err)),
	                 MC_OK);
	assert_true(strlen(out) <= MC_SPF_NAME_MAX);
	assert_true(strlen(out) > MC_SPF_NAME_MAX - 4);
	assert_non_null(strstr(out, "com.com.end.example"));
	/* one label longer than a name can be */
	memset(longl, 'x', sizeof(longl) - 1);
	longl[sizeof(longl) - 1] = '\0';
	assert_int_equal(mc_spf_expand(longl, &ctx, false, out, sizeof(out), err, sizeof(err)),
	                 MC_E_LIMIT);
	/* the output buffer */
	assert_int_equal(mc_spf_expand("%{d}", &ctx, false, out, 5, err, sizeof(err)), MC_E_LIMIT);
	assert_int_equal(mc_spf_expand("a long explanation", &ctx, true, out, 7, err, sizeof(err)),
	                 MC_E_LIMIT);
	assert_string_equal(out, "a long");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_macro_table),
	    cmocka_unit_test(test_macro_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
