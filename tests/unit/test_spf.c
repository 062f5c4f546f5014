/* test_spf.c - SPF (RFC 7208): the record parser, the macro expander (every
 * example of section 7.4), check_host() over a lookup callback backed by a
 * zone table (answers known at once, released a few at a time in random
 * order, or with the records of each answer rotated: the result must not
 * change), the prefetch of include targets, and the driver on mc_dns
 * against a scripted DNS server serving the same zone. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "dns/mc_dns.h"
#include "policy/mc_spf.h"
#include "util/mc_clock.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- parser ---- */

typedef struct parse_case {
	const char *name;
	const char *rec;
	size_t len; /* 0: strlen(rec) */
	mc_status_t want;
	size_t nterms;
	const char *err; /* substring of the error */
} parse_case_t;

static const parse_case_t parse_cases[] = {
    {"version alone", "v=spf1", 0, MC_OK, 0, NULL},
    {"version in any case", "V=SpF1 ~ALL", 0, MC_OK, 1, NULL},
    {"one mechanism", "v=spf1 -all", 0, MC_OK, 1, NULL},
    {"several spaces and trailing spaces", "v=spf1  a   -all  ", 0, MC_OK, 2, NULL},
    {"every qualifier", "v=spf1 +a -mx ~ptr ?all", 0, MC_OK, 4, NULL},
    {"ip4 network and length", "v=spf1 ip4:192.0.2.0/24 ip4:0.0.0.0/0 -all", 0, MC_OK, 3, NULL},
    {"ip6 network and length", "v=spf1 ip6:2001:db8::/32 ip6:::ffff:1.2.3.4 ip6:::1/128", 0, MC_OK,
     3, NULL},
    {"a and mx with dual CIDR", "v=spf1 a/24//64 mx:mail.example.com//64 a//0", 0, MC_OK, 3, NULL},
    {"colon and slash inside a domain", "v=spf1 a:foo:bar/baz.example.com", 0, MC_OK, 1, NULL},
    {"trailing dot and IDN top label", "v=spf1 a:example.com. a:foo.example.xn--zckzah", 0, MC_OK,
     2, NULL},
    {"domain ending in a macro", "v=spf1 a:%{d} exists:x.%%", 0, MC_OK, 2, NULL},
    {"macros with transformers", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{D2}", 0, MC_OK, 1, NULL},
    {"include, ptr, exists", "v=spf1 include:_spf.google.com ptr ptr:example.com ~all", 0, MC_OK, 4,
     NULL},
    {"redirect and exp", "v=spf1 redirect=_spf.example.com exp=explain.%{d}", 0, MC_OK, 2, NULL},
    {"unknown modifiers are kept", "v=spf1 moo.cow-far_out=man:dog/cat default=+ x=", 0, MC_OK, 3,
     NULL},
    {"not SPF: no space after version", "v=spf10 -all", 0, MC_E_AGAIN, 0, "not an SPF record"},
    {"not SPF: no version", "spf1 -all", 0, MC_E_AGAIN, 0, "not an SPF record"},
    {"not SPF: pieces joined", "v=spf1mx", 0, MC_E_AGAIN, 0, NULL},
    {"ip4 length over 32", "v=spf1 a mx ip4:1.2.3.4/33", 0, MC_E_PROTOCOL, 0,
     "term 3 'ip4:1.2.3.4/33' at offset 12: CIDR length 33 is over 32"},
    {"CIDR length with a leading zero", "v=spf1 ip4:1.2.3.4/032", 0, MC_E_PROTOCOL, 0,
     "bad CIDR length"},
    {"ip4 with three parts", "v=spf1 ip4:1.2.3", 0, MC_E_PROTOCOL, 0, "bad IPv4 network"},
    {"ip4 with a leading zero", "v=spf1 ip4:01.2.3.4", 0, MC_E_PROTOCOL, 0, "bad IPv4 network"},
    {"ip4 with a port", "v=spf1 ip4:1.2.3.4:8080", 0, MC_E_PROTOCOL, 0, "bad IPv4 network"},
    {"ip4 with a dual length", "v=spf1 ip4:1.2.3.4//32", 0, MC_E_PROTOCOL, 0, "bad CIDR length"},
    {"bare ip4", "v=spf1 ip4", 0, MC_E_PROTOCOL, 0, "ip4 needs ':'"},
    {"bad ip6", "v=spf1 ip6::CAFE::BABE", 0, MC_E_PROTOCOL, 0, "bad IPv6 network"},
    {"ip6 length over 128", "v=spf1 ip6:::1/129", 0, MC_E_PROTOCOL, 0, "over 128"},
    {"ip6 with a dual length", "v=spf1 ip6:::1//33", 0, MC_E_PROTOCOL, 0, "bad CIDR length"},
    {"a with ip4 length 33", "v=spf1 a/33", 0, MC_E_PROTOCOL, 0, "over 32"},
    {"a with ip6 length 129", "v=spf1 a//129", 0, MC_E_PROTOCOL, 0, "over 128"},
    {"a with two single-slash lengths", "v=spf1 a/24/64", 0, MC_E_PROTOCOL, 0, "over 32"},
    {"all followed by a dot", "v=spf1 -all.", 0, MC_E_PROTOCOL, 0, "unknown mechanism 'all.'"},
    {"all with an argument", "v=spf1 -all:foobar", 0, MC_E_PROTOCOL, 0, "all takes no argument"},
    {"all with a length", "v=spf1 all/8", 0, MC_E_PROTOCOL, 0, "all takes no argument"},
    {"include without domain", "v=spf1 include", 0, MC_E_PROTOCOL, 0, "needs ':' and a domain"},
    {"include with an empty domain", "v=spf1 include: -all", 0, MC_E_PROTOCOL, 0,
     "empty domain-spec"},
    {"include with a length", "v=spf1 include:ip5.example.com/24", 0, MC_E_PROTOCOL, 0,
     "top label"},
    {"exists without domain", "v=spf1 exists", 0, MC_E_PROTOCOL, 0, "needs ':' and a domain"},
    {"ptr with a length", "v=spf1 ptr/0 -all", 0, MC_E_PROTOCOL, 0, "ptr takes only"},
    {"ptr with an empty domain", "v=spf1 ptr:", 0, MC_E_PROTOCOL, 0, "empty domain-spec"},
    {"single label domain", "v=spf1 a:museum", 0, MC_E_PROTOCOL, 0, "top label"},
    {"single label with a dot", "v=spf1 a:museum.", 0, MC_E_PROTOCOL, 0, "top label"},
    {"numeric top label", "v=spf1 a:abc.123", 0, MC_E_PROTOCOL, 0, "top label"},
    {"address used as a domain", "v=spf1 a:111.222.33.44", 0, MC_E_PROTOCOL, 0, "top label"},
    {"top label starting with a hyphen", "v=spf1 mx:example.-com", 0, MC_E_PROTOCOL, 0,
     "top label"},
    {"domain with a port", "v=spf1 a:example.com:8080", 0, MC_E_PROTOCOL, 0, "top label"},
    {"redirect twice", "v=spf1 redirect=a.example.com redirect=b.example.com", 0, MC_E_PROTOCOL, 0,
     "term 2 'redirect=b.example.com' at offset 30: redirect= given twice"},
    {"exp twice", "v=spf1 exp=a.example.com -all exp=b.example.com", 0, MC_E_PROTOCOL, 0,
     "exp= given twice"},
    {"empty exp", "v=spf1 exp= -all", 0, MC_E_PROTOCOL, 0, "empty domain-spec"},
    {"redirect to something not a domain", "v=spf1 redirect=-all ?all", 0, MC_E_PROTOCOL, 0,
     "top label"},
    {"redirect written as a mechanism", "v=spf1 redirect:t2.example.com", 0, MC_E_PROTOCOL, 0,
     "unknown mechanism 'redirect'"},
    {"modifier name starting with a digit", "v=spf1 1up=foo", 0, MC_E_PROTOCOL, 0,
     "must start with a letter"},
    {"empty modifier name", "v=spf1 =all", 0, MC_E_PROTOCOL, 0, "must start with a letter"},
    {"slash before the modifier '='", "v=spf1 moo.cow/far_out=man:dog/cat", 0, MC_E_PROTOCOL, 0,
     "unknown mechanism 'moo.cow'"},
    {"qualifier on a modifier", "v=spf1 +foo=bar", 0, MC_E_PROTOCOL, 0, "no qualifier"},
    {"bad macro in an unknown modifier", "v=spf1 -all foo=%abc", 0, MC_E_PROTOCOL, 0,
     "must be followed by"},
    {"unknown macro letter", "v=spf1 a:%{a}.example.com", 0, MC_E_PROTOCOL, 0,
     "unknown macro letter"},
    {"exp-only letter in a domain", "v=spf1 -all exp=%{r}.example.com", 0, MC_E_PROTOCOL, 0,
     "for explanations only"},
    {"parenthesis instead of brace", "v=spf1 -exists:%(ir).sbl.example.com", 0, MC_E_PROTOCOL, 0,
     "must be followed by"},
    {"zero parts", "v=spf1 a:%{d0}", 0, MC_E_PROTOCOL, 0, "must not be zero"},
    {"unterminated macro", "v=spf1 a:%{d2r.example.com", 0, MC_E_PROTOCOL, 0, "bad macro"},
    {"control byte between terms", "v=spf1 a:ctrl.example.com\rptr -all", 0, MC_E_PROTOCOL, 0,
     "byte 0x0d"},
    {"NUL byte", "v=spf1 a:foo.example.com\0", 25, MC_E_PROTOCOL, 0, "byte 0x00"},
    {"non-ASCII byte",
     "v=spf1 \x80"
     "a:example.net -all",
     0, MC_E_PROTOCOL, 0, "byte 0x80"},
};

static void test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_OF(parse_cases); i++) {
		const parse_case_t *c = &parse_cases[i];
		mc_spf_record_t rec;
		char err[256] = "";
		mc_status_t st;

		print_message("case: %s\n", c->name);
		st = mc_spf_parse(c->rec, c->len ? c->len : strlen(c->rec), &rec, err, sizeof(err));
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			assert_int_equal(rec.nterms, c->nterms);
			mc_spf_record_free(&rec);
		} else {
			assert_null(rec.store);
		}
		if (c->err) {
			if (!strstr(err, c->err))
				print_message("error was: %s\n", err);
			assert_non_null(strstr(err, c->err));
		}
	}
}

/* What the terms hold, not only that they parse. */
static void test_parse_fields(void **state)
{
	const char *txt = "v=spf1 -ip4:192.0.2.0/24 a/24//64 mx:mail.%{d} ip6:2001:db8::/32 "
	                  "?include:_spf.example.com exp=why.%{d} foo=bar redirect=other.example";
	mc_spf_record_t rec;
	char err[128];
	const mc_spf_term_t *t;

	(void)state;
	assert_int_equal(mc_spf_parse(txt, strlen(txt), &rec, err, sizeof(err)), MC_OK);
	assert_int_equal(rec.nterms, 8);
	t = &rec.terms[0];
	assert_int_equal(t->kind, MC_SPF_T_IP4);
	assert_int_equal(t->qualifier, '-');
	assert_string_equal(t->text, "-ip4:192.0.2.0/24");
	assert_memory_equal(t->ip, "\xc0\x00\x02\x00", 4);
	assert_int_equal(t->cidr4, 24);
	assert_int_equal(t->position, 1);
	assert_int_equal(t->offset, 7);
	t = &rec.terms[1];
	assert_int_equal(t->kind, MC_SPF_T_A);
	assert_int_equal(t->qualifier, '+');
	assert_null(t->spec);
	assert_int_equal(t->cidr4, 24);
	assert_int_equal(t->cidr6, 64);
	t = &rec.terms[2];
	assert_int_equal(t->kind, MC_SPF_T_MX);
	assert_string_equal(t->spec, "mail.%{d}");
	assert_int_equal(t->cidr4, 32);
	assert_int_equal(t->cidr6, 128);
	t = &rec.terms[3];
	assert_int_equal(t->kind, MC_SPF_T_IP6);
	assert_int_equal(t->cidr6, 32);
	assert_memory_equal(t->ip, "\x20\x01\x0d\xb8", 4);
	t = &rec.terms[4];
	assert_int_equal(t->kind, MC_SPF_T_INCLUDE);
	assert_int_equal(t->qualifier, '?');
	assert_string_equal(t->spec, "_spf.example.com");
	assert_int_equal(rec.exp, 5);
	assert_string_equal(rec.terms[5].spec, "why.%{d}");
	assert_int_equal(rec.terms[5].qualifier, '\0');
	assert_int_equal(rec.terms[6].kind, MC_SPF_T_MODIFIER);
	assert_string_equal(rec.terms[6].spec, "bar");
	assert_int_equal(rec.redirect, 7);
	assert_string_equal(rec.terms[7].spec, "other.example");
	assert_int_equal(rec.terms[7].position, 8);
	mc_spf_record_free(&rec);
	assert_string_equal(mc_spf_kind_str(MC_SPF_T_EXISTS), "exists");
	assert_true(mc_spf_is_record("V=SPF1 ", 7));
	assert_false(mc_spf_is_record("v=spf1\t-all", 11));
}

/* ---- macro expander ---- */

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

/* ---- a zone for check_host ---- */

typedef struct zrr {
	const char *name;
	uint16_t type;
	const char *value; /* TXT text, an address, an MX or PTR target */
} zrr_t;

typedef struct zerr {
	const char *name;
	uint16_t type;
	mc_dns_outcome_t outcome;
} zerr_t;

#define TXT MC_DNS_T_TXT
#define A MC_DNS_T_A
#define AAAA MC_DNS_T_AAAA
#define MX MC_DNS_T_MX
#define PTR MC_DNS_T_PTR
#define REV10 "10.2.0.192.in-addr.arpa"

static const zrr_t zone[] = {
    {"pass.test", TXT, "v=spf1 ip4:192.0.2.0/24 -all"},
    {"pass.test", TXT, "an unrelated TXT record"},
    {"fail.test", TXT, "v=spf1 ip4:198.51.100.0/24 -all"},
    {"soft.test", TXT, "v=spf1 ~all"},
    {"neutral.test", TXT, "v=spf1 ip4:198.51.100.1"},
    {"none.test", TXT, "google-site-verification=abc"},
    {"two.test", TXT, "v=spf1 -all"},
    {"two.test", TXT, "V=SPF1 +all"},
    {"syntax.test", TXT, "v=spf1 a ip4:192.0.2.1/33"},
    {"v6.test", TXT, "v=spf1 ip6:2001:db8::/32 a:host6.test -all"},
    {"host6.test", AAAA, "2001:db9::1"},
    {"inc.test", TXT, "v=spf1 include:_spf.inc.test -all"},
    {"_spf.inc.test", TXT, "v=spf1 ip4:192.0.2.0/24 ~all"},
    {"deep.test", TXT, "v=spf1 include:inc.test"},
    {"incnone.test", TXT, "v=spf1 include:nothing.test -all"},
    {"inctemp.test", TXT, "v=spf1 include:servfail.test -all"},
    {"incperm.test", TXT, "v=spf1 include:syntax.test -all"},
    {"redir.test", TXT, "v=spf1 ip4:198.51.100.1 redirect=pass.test"},
    {"redirnone.test", TXT, "v=spf1 redirect=nothing.test"},
    {"redirexp.test", TXT, "v=spf1 exp=e1.test redirect=expfail.test"},
    {"expfail.test", TXT, "v=spf1 -all exp=e2.test"},
    {"incexp.test", TXT, "v=spf1 include:expfail.test -all exp=e3.test"},
    {"expmulti.test", TXT, "v=spf1 -all exp=emulti.test"},
    {"expbad.test", TXT, "v=spf1 -all exp=ebad.test"},
    {"exptimeout.test", TXT, "v=spf1 -all exp=slow.test"},
    {"lpart.test", TXT, "v=spf1 -all exp=el.test"},
    {"e1.test", TXT, "not me"},
    {"e2.test", TXT, "%{i} is not one of %{d}'s senders"},
    {"e3.test", TXT, "mail from %{o} via %{c}: refused"},
    {"emulti.test", TXT, "one"},
    {"emulti.test", TXT, "two"},
    {"ebad.test", TXT, "The %{x}-files"},
    {"el.test", TXT, "%{l}@%{o}"},
    {"ten.test", TXT,
     "v=spf1 a:y.test a:y.test a:y.test a:y.test a:y.test a:y.test a:y.test "
     "a:y.test a:y.test a:y.test ip4:192.0.2.10"},
    {"eleven.test", TXT,
     "v=spf1 a:y.test a:y.test a:y.test a:y.test a:y.test a:y.test a:y.test "
     "a:y.test a:y.test a:y.test a:y.test ip4:192.0.2.10"},
    {"y.test", A, "203.0.113.1"},
    {"void2.test", TXT, "v=spf1 a:n1.test mx:n2.test ip4:192.0.2.0/24"},
    {"void3.test", TXT, "v=spf1 a:n1.test mx:n2.test exists:n3.test ip4:192.0.2.0/24"},
    {"mx.test", TXT, "v=spf1 mx -all"},
    {"mx.test", MX, "."},
    {"mx.test", MX, "mail.mx.test"},
    {"mail.mx.test", A, "203.0.113.9"},
    {"mail.mx.test", A, "192.0.2.10"},
    {"mx11.test", TXT, "v=spf1 mx"},
    {"mx11.test", MX, "m1.test"},
    {"mx11.test", MX, "m2.test"},
    {"mx11.test", MX, "m3.test"},
    {"mx11.test", MX, "m4.test"},
    {"mx11.test", MX, "m5.test"},
    {"mx11.test", MX, "m6.test"},
    {"mx11.test", MX, "m7.test"},
    {"mx11.test", MX, "m8.test"},
    {"mx11.test", MX, "m9.test"},
    {"mx11.test", MX, "m10.test"},
    {"mx11.test", MX, "m11.test"},
    {"mxerr.test", TXT, "v=spf1 mx:mx.test/16 -all"},
    {"ptr.test", TXT, "v=spf1 ptr -all"},
    {"ptrdom.test", TXT, "v=spf1 ptr:ptr.test -all"},
    {"ptrelse.test", TXT, "v=spf1 ptr:elsewhere.test -all"},
    {REV10, PTR, "unvalidated.ptr.test"},
    {REV10, PTR, "host.ptr.test"},
    {"host.ptr.test", A, "192.0.2.10"},
    {"unvalidated.ptr.test", A, "203.0.113.5"},
    {"pmacro.test", TXT, "v=spf1 exists:%{p}.ok.test -all"},
    {"host.ptr.test.ok.test", A, "127.0.0.2"},
    {"ptr11.test", TXT, "v=spf1 ptr -all"},
    {"11.2.0.192.in-addr.arpa", PTR, "n1.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n2.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n3.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n4.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n5.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n6.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n7.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n8.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n9.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n10.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n11.ptr11.test"},
    {"n11.ptr11.test", A, "192.0.2.11"},
    {"aerr.test", TXT, "v=spf1 a:servfail.test -all"},
    {"existserr.test", TXT, "v=spf1 exists:slow.test -all"},
    {"ptrerr.test", TXT, "v=spf1 ptr ip4:192.0.2.12"},
    {"cidr.test", TXT, "v=spf1 a:y.test/24 -all"},
    /* a tree of depth 3, for the prefetch */
    {"tree.test", TXT, "v=spf1 include:a.tree.test include:b.tree.test -all"},
    {"a.tree.test", TXT, "v=spf1 include:a1.tree.test"},
    {"b.tree.test", TXT, "v=spf1 include:b1.tree.test ip4:192.0.2.0/24"},
    {"a1.tree.test", TXT, "v=spf1 ip4:198.51.100.1"},
    {"b1.tree.test", TXT, "v=spf1 ip4:198.51.100.2"},
    {"early.test", TXT, "v=spf1 include:first.test a:v1.test a:v2.test a:v3.test -all"},
    {"first.test", TXT, "v=spf1 ip4:192.0.2.10"},
    {"late.test", TXT, "v=spf1 ip4:198.51.100.99"},
    {"quick.test", TXT, "v=spf1 include:first.test include:late.test -all"},
    {"late2.test", TXT, "v=spf1 ip4:198.51.100.98"},
    {"quick2.test", TXT, "v=spf1 include:first.test include:late2.test -all"},
    /* issue 15: an mx whose names answer differently, each pair in both
     * orders (good first, good last) */
    {"mxgs.test", TXT, "v=spf1 mx -all"},
    {"mxgs.test", MX, "good.mxo.test"},
    {"mxgs.test", MX, "servfail.test"},
    {"mxsg.test", TXT, "v=spf1 mx -all"},
    {"mxsg.test", MX, "servfail.test"},
    {"mxsg.test", MX, "good.mxo.test"},
    {"mxgt.test", TXT, "v=spf1 mx -all"},
    {"mxgt.test", MX, "good.mxo.test"},
    {"mxgt.test", MX, "slow.test"},
    {"mxtg.test", TXT, "v=spf1 mx -all"},
    {"mxtg.test", MX, "slow.test"},
    {"mxtg.test", MX, "good.mxo.test"},
    {"mxgn.test", TXT, "v=spf1 mx -all"},
    {"mxgn.test", MX, "good.mxo.test"},
    {"mxgn.test", MX, "nx.mxo.test"},
    {"mxng.test", TXT, "v=spf1 mx -all"},
    {"mxng.test", MX, "nx.mxo.test"},
    {"mxng.test", MX, "good.mxo.test"},
    {"mxgd.test", TXT, "v=spf1 mx -all"},
    {"mxgd.test", MX, "good.mxo.test"},
    {"mxgd.test", MX, "host6.test"},
    {"mxdg.test", TXT, "v=spf1 mx -all"},
    {"mxdg.test", MX, "host6.test"},
    {"mxdg.test", MX, "good.mxo.test"},
    {"good.mxo.test", A, "192.0.2.1"},
    /* ptr with an address lookup failing on one name, in both orders */
    {"ptro.test", TXT, "v=spf1 ptr -all"},
    {"13.2.0.192.in-addr.arpa", PTR, "good.ptro.test"},
    {"13.2.0.192.in-addr.arpa", PTR, "servfail.ptro.test"},
    {"14.2.0.192.in-addr.arpa", PTR, "servfail.ptro.test"},
    {"14.2.0.192.in-addr.arpa", PTR, "good.ptro.test"},
    {"15.2.0.192.in-addr.arpa", PTR, "servfail.ptro.test"},
    {"good.ptro.test", A, "192.0.2.13"},
    {"good.ptro.test", A, "192.0.2.14"},
};

static const zerr_t zone_errors[] = {
    {"servfail.test", TXT, MC_DNS_SERVFAIL},
    {"servfail.test", A, MC_DNS_SERVFAIL},
    {"slow.test", TXT, MC_DNS_TIMEOUT},
    {"slow.test", A, MC_DNS_TIMEOUT},
    {"12.2.0.192.in-addr.arpa", PTR, MC_DNS_SERVFAIL},
    {"servfail.ptro.test", A, MC_DNS_SERVFAIL},
};

/* Answers built from the zone, kept until the test ends. */
typedef struct built {
	struct built *next;
	mc_dns_answer_t ans;
	mc_dns_rr_t rr[16];
	char name[256];
} built_t;

static built_t *built_list;
/* Answers of 2 to MC_SPF_MAX_NAMES records are rotated left by this many
 * places. Longer ones stay in zone order: of those RFC 7208 section 4.6.4
 * has the first 10 PTR names count, so their order is meant to matter. */
static size_t rotate_by;

static void built_free(void)
{
	while (built_list) {
		built_t *b = built_list;
		built_list = b->next;
		free(b);
	}
}

static bool name_known(const char *name)
{
	size_t i;

	for (i = 0; i < N_OF(zone); i++)
		if (mc_dns_name_eq(zone[i].name, name))
			return true;
	return false;
}

static const mc_dns_answer_t *zone_answer(const char *name, uint16_t type)
{
	built_t *b;
	size_t i;

	for (b = built_list; b; b = b->next)
		if (b->ans.type == type && mc_dns_name_eq(b->name, name))
			return &b->ans;
	b = calloc(1, sizeof(*b));
	assert_non_null(b);
	b->next = built_list;
	built_list = b;
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->ans.name = b->name;
	b->ans.type = type;
	for (i = 0; i < N_OF(zone_errors); i++) {
		if (zone_errors[i].type == type && mc_dns_name_eq(zone_errors[i].name, name)) {
			b->ans.outcome = zone_errors[i].outcome;
			snprintf(b->ans.error, sizeof(b->ans.error), "%s %s: %s",
			         type == TXT ? "TXT" : "A", name,
			         mc_dns_outcome_str(zone_errors[i].outcome));
			return &b->ans;
		}
	}
	for (i = 0; i < N_OF(zone); i++) {
		mc_dns_rr_t *rr;
		if (zone[i].type != type || !mc_dns_name_eq(zone[i].name, name))
			continue;
		assert_true(b->ans.n < N_OF(b->rr));
		rr = &b->rr[b->ans.n];
		b->ans.rrs[b->ans.n++] = rr;
		rr->type = type;
		rr->owner = b->name;
		switch (type) {
		case TXT:
			rr->data = (const uint8_t *)zone[i].value;
			rr->len = strlen(zone[i].value);
			rr->nstrings = 1;
			break;
		case A: assert_int_equal(inet_pton(AF_INET, zone[i].value, rr->addr), 1); break;
		case AAAA: assert_int_equal(inet_pton(AF_INET6, zone[i].value, rr->addr), 1); break;
		default: rr->name = zone[i].value; break;
		}
	}
	if (b->ans.n > 1 && b->ans.n <= MC_SPF_MAX_NAMES && rotate_by % b->ans.n) {
		const mc_dns_rr_t *in_order[N_OF(b->rr)];
		memcpy(in_order, b->ans.rrs, b->ans.n * sizeof(in_order[0]));
		for (i = 0; i < b->ans.n; i++)
			b->ans.rrs[i] = in_order[(i + rotate_by) % b->ans.n];
	}
	if (b->ans.n)
		b->ans.outcome = MC_DNS_ANSWER;
	else
		b->ans.outcome = name_known(name) ? MC_DNS_NODATA : MC_DNS_NXDOMAIN;
	if (b->ans.outcome != MC_DNS_ANSWER)
		snprintf(b->ans.error, sizeof(b->ans.error), "%s: %s", name,
		         mc_dns_outcome_str(b->ans.outcome));
	return &b->ans;
}

/* The lookup callback: every answer known at once, or (staged) only those
 * released so far; every question is logged in the order first asked. */
typedef struct world {
	bool staged;
	struct {
		char name[300];
		uint16_t type;
		bool known;
	} q[512];
	size_t nq;
	unsigned calls;
} world_t;

static const mc_dns_answer_t *world_lookup(void *arg, const char *name, uint16_t type)
{
	world_t *w = arg;
	size_t i;

	w->calls++;
	for (i = 0; i < w->nq; i++)
		if (w->q[i].type == type && !strcasecmp(w->q[i].name, name))
			break;
	if (i == w->nq) {
		assert_true(w->nq < N_OF(w->q));
		snprintf(w->q[i].name, sizeof(w->q[i].name), "%s", name);
		w->q[i].type = type;
		w->q[i].known = !w->staged;
		w->nq++;
	}
	return w->q[i].known ? zone_answer(name, type) : NULL;
}

static bool world_asked(const world_t *w, const char *name, uint16_t type)
{
	size_t i;

	for (i = 0; i < w->nq; i++)
		if (w->q[i].type == type && !strcasecmp(w->q[i].name, name))
			return true;
	return false;
}

static void params(mc_spf_params_t *p, const char *ip, const char *sender, const char *helo)
{
	memset(p, 0, sizeof(*p));
	assert_int_equal(mc_addr_parse(ip, 0, &p->ip), MC_OK);
	p->sender = sender;
	p->helo = helo;
	p->now = 1400000000;
}

/* ---- check_host cases ---- */

typedef struct host_case {
	const char *name;
	const char *ip;
	const char *sender;
	const char *helo;
	mc_spf_res_t want;
	const char *term;        /* exact, or NULL to skip */
	const char *explanation; /* exact for a fail ("" for the default) */
	const char *reason;      /* substring, or NULL */
	unsigned lookups, voids;
} host_case_t;

static const host_case_t host_cases[] = {
    {"ip4 in the network passes", "192.0.2.10", "user@pass.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24", NULL, NULL, 0, 0},
    {"a client elsewhere fails, default explanation", "203.0.113.7", "user@pass.test", "h.test",
     MC_SPF_FAIL, "-all", "", NULL, 0, 0},
    {"softfail", "192.0.2.10", "u@soft.test", "h.test", MC_SPF_SOFTFAIL, "~all", NULL, NULL, 0, 0},
    {"no match is neutral, no term", "192.0.2.10", "u@neutral.test", "h.test", MC_SPF_NEUTRAL, "",
     NULL, NULL, 0, 0},
    {"no SPF among TXT records is none", "192.0.2.10", "u@none.test", "h.test", MC_SPF_NONE, "",
     NULL, "none.test: no SPF record", 0, 0},
    {"NXDOMAIN is none", "192.0.2.10", "u@nothing.test", "h.test", MC_SPF_NONE, "", NULL,
     "no such domain", 0, 0},
    {"two SPF records are a permerror", "192.0.2.10", "u@two.test", "h.test", MC_SPF_PERMERROR, "",
     NULL, "two.test: 2 SPF records", 0, 0},
    {"a syntax error anywhere is a permerror before evaluation", "192.0.2.10", "u@syntax.test",
     "h.test", MC_SPF_PERMERROR, "", NULL, "term 2 'ip4:192.0.2.1/33'", 0, 0},
    {"SERVFAIL on the record is a temperror", "192.0.2.10", "u@servfail.test", "h.test",
     MC_SPF_TEMPERROR, "", NULL, "SERVFAIL", 0, 0},
    {"a timeout on the record is a temperror", "192.0.2.10", "u@slow.test", "h.test",
     MC_SPF_TEMPERROR, "", NULL, "TXT slow.test", 0, 0},
    {"single-label domain is none without lookup", "192.0.2.10", "u@localhost", "h.test",
     MC_SPF_NONE, "", NULL, "not a multi-label domain", 0, 0},
    {"domain literal is none", "192.0.2.10", "u@[192.0.2.1]", "h.test", MC_SPF_NONE, "", NULL,
     "section 4.3", 0, 0},
    {"empty sender: postmaster@helo", "192.0.2.10", "", "pass.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24", NULL, NULL, 0, 0},
    {"no local part: postmaster", "203.0.113.7", "@lpart.test", "h.test", MC_SPF_FAIL, "-all",
     "postmaster@lpart.test", NULL, 0, 0},
    {"IPv4-mapped client is IPv4", "::ffff:192.0.2.10", "u@pass.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24", NULL, NULL, 0, 0},
    {"ip6 network", "2001:db8::1", "u@v6.test", "h.test", MC_SPF_PASS, "ip6:2001:db8::/32", NULL,
     NULL, 0, 0},
    {"a with AAAA for an IPv6 client", "2001:db9::1", "u@v6.test", "h.test", MC_SPF_PASS,
     "a:host6.test", NULL, NULL, 1, 0},
    {"a CIDR length on a", "203.0.113.77", "u@cidr.test", "h.test", MC_SPF_PASS, "a:y.test/24",
     NULL, NULL, 1, 0},
    {"include pass names the path", "192.0.2.10", "u@inc.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24 in include:_spf.inc.test", NULL, NULL, 1, 0},
    {"include softfail is no match", "203.0.113.7", "u@inc.test", "h.test", MC_SPF_FAIL, "-all", "",
     NULL, 1, 0},
    {"nested includes name every step", "192.0.2.10", "u@deep.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24 in include:_spf.inc.test in include:inc.test", NULL, NULL, 2, 0},
    {"include of no record is a permerror", "192.0.2.10", "u@incnone.test", "h.test",
     MC_SPF_PERMERROR, "include:nothing.test", NULL, "include:nothing.test: nothing.test", 1, 1},
    {"include of SERVFAIL is a temperror", "192.0.2.10", "u@inctemp.test", "h.test",
     MC_SPF_TEMPERROR, "include:servfail.test", NULL, "SERVFAIL", 1, 0},
    {"include of a broken record is a permerror", "192.0.2.10", "u@incperm.test", "h.test",
     MC_SPF_PERMERROR, "include:syntax.test", NULL, "syntax.test: term 2", 1, 0},
    {"redirect after the mechanisms", "192.0.2.10", "u@redir.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24 in redirect=pass.test", NULL, NULL, 1, 0},
    {"redirect to no record is a permerror", "192.0.2.10", "u@redirnone.test", "h.test",
     MC_SPF_PERMERROR, "redirect=nothing.test", NULL, "section 6.1", 1, 1},
    {"redirect takes the target's exp, not its own", "192.0.2.10", "u@redirexp.test", "h.test",
     MC_SPF_FAIL, "-all in redirect=expfail.test",
     "192.0.2.10 is not one of expfail.test's senders", NULL, 1, 0},
    {"an include's exp is ignored", "192.0.2.10", "u@incexp.test", "h.test", MC_SPF_FAIL, "-all",
     "mail from incexp.test via 192.0.2.10: refused", NULL, 1, 0},
    {"exp with two TXT records: default", "192.0.2.10", "u@expmulti.test", "h.test", MC_SPF_FAIL,
     "-all", "", NULL, 0, 0},
    {"exp with a syntax error: default", "192.0.2.10", "u@expbad.test", "h.test", MC_SPF_FAIL,
     "-all", "", NULL, 0, 0},
    {"exp timing out: default", "192.0.2.10", "u@exptimeout.test", "h.test", MC_SPF_FAIL, "-all",
     "", NULL, 0, 0},
    {"ten DNS terms are allowed", "192.0.2.10", "u@ten.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.10", NULL, NULL, 10, 0},
    {"the eleventh is a permerror", "192.0.2.10", "u@eleven.test", "h.test", MC_SPF_PERMERROR,
     "a:y.test", NULL, "more than 10 DNS-querying terms", 11, 0},
    {"two void lookups are allowed", "192.0.2.10", "u@void2.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24", NULL, NULL, 2, 2},
    {"the third void lookup is a permerror", "192.0.2.10", "u@void3.test", "h.test",
     MC_SPF_PERMERROR, "exists:n3.test", NULL, "more than 2 void lookups", 3, 3},
    {"mx skips a null MX and matches a name", "192.0.2.10", "u@mx.test", "h.test", MC_SPF_PASS,
     "mx", NULL, NULL, 1, 0},
    {"eleven MX names are a permerror", "192.0.2.10", "u@mx11.test", "h.test", MC_SPF_PERMERROR,
     "mx", NULL, "11 names, over 10", 1, 0},
    {"mx with a CIDR length", "192.0.77.1", "u@mxerr.test", "h.test", MC_SPF_PASS, "mx:mx.test/16",
     NULL, NULL, 1, 0},
    {"ptr validated below the domain", "192.0.2.10", "u@ptrdom.test", "h.test", MC_SPF_PASS,
     "ptr:ptr.test", NULL, NULL, 1, 0},
    {"ptr of another domain does not match", "192.0.2.10", "u@ptrelse.test", "h.test", MC_SPF_FAIL,
     "-all", "", NULL, 1, 0},
    {"ptr names after the tenth are ignored", "192.0.2.11", "u@ptr11.test", "h.test", MC_SPF_FAIL,
     "-all", "", NULL, 1, 0},
    {"a PTR SERVFAIL makes ptr not match", "192.0.2.12", "u@ptrerr.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.12", NULL, NULL, 1, 0},
    {"%{p} is the validated name", "192.0.2.10", "u@pmacro.test", "h.test", MC_SPF_PASS,
     "exists:%{p}.ok.test", NULL, NULL, 1, 0},
    {"%{p} is unknown without PTR", "192.0.2.99", "u@pmacro.test", "h.test", MC_SPF_FAIL, "-all",
     "", NULL, 1, 1},
    {"SERVFAIL in a is a temperror", "192.0.2.10", "u@aerr.test", "h.test", MC_SPF_TEMPERROR,
     "a:servfail.test", NULL, "SERVFAIL", 1, 0},
    {"a timeout in exists is a temperror", "192.0.2.10", "u@existserr.test", "h.test",
     MC_SPF_TEMPERROR, "exists:slow.test", NULL, "A slow.test", 1, 0},
    {"depth 3 tree", "192.0.2.10", "u@tree.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24 in include:b.tree.test", NULL, NULL, 4, 0},
    /* issue 15: every MX name's addresses are part of mx (section 5.4), so
     * a DNS error on any is a temperror (section 5) whichever comes first;
     * NXDOMAIN or no data on a name is no address, not an error, and not
     * a void lookup either (only the term's MX query can be one) */
    {"mx: matching name, then SERVFAIL: temperror", "192.0.2.1", "u@mxgs.test", "h.test",
     MC_SPF_TEMPERROR, "mx", NULL, "A servfail.test: ", 1, 0},
    {"mx: SERVFAIL, then matching name: temperror", "192.0.2.1", "u@mxsg.test", "h.test",
     MC_SPF_TEMPERROR, "mx", NULL, "A servfail.test: ", 1, 0},
    {"mx: matching name, then timeout: temperror", "192.0.2.1", "u@mxgt.test", "h.test",
     MC_SPF_TEMPERROR, "mx", NULL, "A slow.test", 1, 0},
    {"mx: timeout, then matching name: temperror", "192.0.2.1", "u@mxtg.test", "h.test",
     MC_SPF_TEMPERROR, "mx", NULL, "A slow.test", 1, 0},
    {"mx: no name matches, one SERVFAIL: temperror", "203.0.113.7", "u@mxgs.test", "h.test",
     MC_SPF_TEMPERROR, "mx", NULL, "A servfail.test: ", 1, 0},
    {"mx: matching name, then NXDOMAIN: pass", "192.0.2.1", "u@mxgn.test", "h.test", MC_SPF_PASS,
     "mx", NULL, NULL, 1, 0},
    {"mx: NXDOMAIN, then matching name: pass", "192.0.2.1", "u@mxng.test", "h.test", MC_SPF_PASS,
     "mx", NULL, NULL, 1, 0},
    {"mx: matching name, then no A: pass", "192.0.2.1", "u@mxgd.test", "h.test", MC_SPF_PASS, "mx",
     NULL, NULL, 1, 0},
    {"mx: no A, then matching name: pass", "192.0.2.1", "u@mxdg.test", "h.test", MC_SPF_PASS, "mx",
     NULL, NULL, 1, 0},
    {"mx: no name matches, one NXDOMAIN: fail", "203.0.113.7", "u@mxng.test", "h.test", MC_SPF_FAIL,
     "-all", "", NULL, 1, 0},
    /* ptr: section 5.5 skips a name whose address lookup fails (only a
     * PTR lookup error ends the mechanism, as no match), so there is no
     * error for a match to hide and the order cannot matter */
    {"ptr: validated name, then A SERVFAIL: pass", "192.0.2.13", "u@ptro.test", "h.test",
     MC_SPF_PASS, "ptr", NULL, NULL, 1, 0},
    {"ptr: A SERVFAIL, then validated name: pass", "192.0.2.14", "u@ptro.test", "h.test",
     MC_SPF_PASS, "ptr", NULL, NULL, 1, 0},
    {"ptr: only an A SERVFAIL is no match, not temperror", "192.0.2.15", "u@ptro.test", "h.test",
     MC_SPF_FAIL, "-all", "", NULL, 1, 0},
};

static void check_case(const host_case_t *c, const mc_spf_result_t *r)
{
	assert_false(r->pending);
	if (r->result != c->want)
		print_message("got %s, term '%s', reason '%s'\n", mc_spf_res_str(r->result),
		              r->term, r->reason);
	assert_int_equal(r->result, c->want);
	if (c->term)
		assert_string_equal(r->term, c->term);
	if (c->want == MC_SPF_FAIL) {
		assert_int_equal(r->explained, c->explanation[0] != '\0');
		assert_string_equal(r->explanation, c->explanation[0] ? c->explanation
		                                                      : MC_SPF_DEFAULT_EXPLANATION);
	} else {
		assert_string_equal(r->explanation, "");
	}
	if (c->reason) {
		if (!strstr(r->reason, c->reason))
			print_message("reason was: %s\n", r->reason);
		assert_non_null(strstr(r->reason, c->reason));
	}
	assert_int_equal(r->lookups, c->lookups);
	assert_int_equal(r->void_lookups, c->voids);
}

static void test_check_host_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_OF(host_cases); i++) {
		const host_case_t *c = &host_cases[i];
		world_t *w = calloc(1, sizeof(*w));
		mc_spf_params_t p;
		mc_spf_result_t r;

		print_message("case: %s\n", c->name);
		params(&p, c->ip, c->sender, c->helo);
		assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
		check_case(c, &r);
		free(w);
		built_free();
	}
}

/* The same cases with answers arriving a few at a time in random order,
 * replayed from the start on each: the result never depends on which
 * answer came first, nor on what was prefetched. */
static void test_check_host_replayed(void **state)
{
	unsigned seed;
	size_t i;

	(void)state;
	srand(7208);
	for (seed = 0; seed < 8; seed++) {
		for (i = 0; i < N_OF(host_cases); i++) {
			const host_case_t *c = &host_cases[i];
			world_t *w = calloc(1, sizeof(*w));
			mc_spf_params_t p;
			mc_spf_result_t r;
			unsigned rounds = 0;

			params(&p, c->ip, c->sender, c->helo);
			w->staged = true;
			for (;;) {
				size_t j, released = 0;
				assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
				if (!r.pending)
					break;
				assert_int_equal(
				    r.result == MC_SPF_TEMPERROR || r.result == MC_SPF_FAIL, 1);
				assert_non_null(strstr(r.reason, "no answer yet: "));
				assert_true(++rounds < 100);
				while (!released) {
					for (j = 0; j < w->nq; j++) {
						if (!w->q[j].known && rand() % 3 == 0) {
							w->q[j].known = true;
							released++;
						}
					}
				}
			}
			check_case(c, &r);
			free(w);
			built_free();
		}
	}
}

/* The same cases with the records of every answer rotated, as resolvers
 * rotate them: the result does not follow the order of an answer. */
static void test_check_host_rotated(void **state)
{
	size_t i;

	(void)state;
	for (rotate_by = 1; rotate_by <= 3; rotate_by++) {
		for (i = 0; i < N_OF(host_cases); i++) {
			const host_case_t *c = &host_cases[i];
			world_t *w;
			mc_spf_params_t p;
			mc_spf_result_t r;

			print_message("case: %s, rotated by %zu\n", c->name, rotate_by);
			w = calloc(1, sizeof(*w));
			assert_non_null(w);
			params(&p, c->ip, c->sender, c->helo);
			assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
			check_case(c, &r);
			free(w);
			built_free();
		}
	}
	rotate_by = 0;
}

static size_t released_all(world_t *w)
{
	size_t i, n = 0;

	for (i = 0; i < w->nq; i++) {
		n += !w->q[i].known;
		w->q[i].known = true;
	}
	return n;
}

/* Each include target is asked as soon as the record naming it is known,
 * however deep: a tree of depth 3 takes 4 rounds of answers. */
static void test_prefetch_rounds(void **state)
{
	world_t *w = calloc(1, sizeof(*w));
	mc_spf_params_t p;
	mc_spf_result_t r;

	(void)state;
	w->staged = true;
	params(&p, "192.0.2.10", "u@tree.test", "h.test");
	/* round 1: the record itself */
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_true(r.pending);
	assert_int_equal(r.result, MC_SPF_TEMPERROR);
	assert_string_equal(r.reason, "no answer yet: TXT tree.test");
	assert_int_equal(w->nq, 1);
	assert_int_equal(released_all(w), 1);
	/* round 2: both includes at once, though evaluation waits for the first */
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_true(r.pending);
	assert_string_equal(r.reason, "no answer yet: TXT a.tree.test");
	assert_true(world_asked(w, "b.tree.test", TXT));
	assert_int_equal(released_all(w), 2);
	/* round 3: the second level of both branches */
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_true(r.pending);
	assert_string_equal(r.reason, "no answer yet: TXT a1.tree.test");
	assert_true(world_asked(w, "b1.tree.test", TXT));
	assert_int_equal(released_all(w), 2);
	/* round 4: the result */
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_false(r.pending);
	assert_int_equal(r.result, MC_SPF_PASS);
	assert_int_equal(r.lookups, 4);
	assert_int_equal(released_all(w), 0);
	free(w);
	built_free();
}

/* Answers fetched ahead that evaluation never reaches count for nothing:
 * three void names are prefetched, the include before them passes. */
static void test_prefetch_counts_nothing(void **state)
{
	world_t *w = calloc(1, sizeof(*w));
	mc_spf_params_t p;
	mc_spf_result_t r;

	(void)state;
	w->staged = true;
	params(&p, "192.0.2.10", "u@early.test", "h.test");
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	released_all(w);
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_true(r.pending);
	assert_string_equal(r.reason, "no answer yet: TXT first.test");
	assert_true(world_asked(w, "v1.test", A));
	assert_true(world_asked(w, "v2.test", A));
	assert_true(world_asked(w, "v3.test", A));
	released_all(w);
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_false(r.pending);
	assert_int_equal(r.result, MC_SPF_PASS);
	assert_string_equal(r.term, "ip4:192.0.2.10 in include:first.test");
	assert_int_equal(r.lookups, 1);
	assert_int_equal(r.void_lookups, 0);
	/* the same with every answer known: identical */
	memset(w, 0, sizeof(*w));
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_int_equal(r.result, MC_SPF_PASS);
	assert_int_equal(r.void_lookups, 0);
	assert_false(world_asked(w, "v1.test", A));
	free(w);
	built_free();
}

/* Waiting only for exp=: a fail with the default explanation so far. */
static void test_pending_exp(void **state)
{
	world_t *w = calloc(1, sizeof(*w));
	mc_spf_params_t p;
	mc_spf_result_t r;
	size_t i;

	(void)state;
	w->staged = true;
	params(&p, "192.0.2.10", "u@expfail.test", "h.test");
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	released_all(w);
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_true(r.pending);
	assert_int_equal(r.result, MC_SPF_FAIL);
	assert_false(r.explained);
	assert_string_equal(r.explanation, MC_SPF_DEFAULT_EXPLANATION);
	assert_string_equal(r.reason, "no answer yet: TXT e2.test");
	for (i = 0; i < w->nq; i++)
		w->q[i].known = true;
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_false(r.pending);
	assert_true(r.explained);
	assert_string_equal(r.explanation, "192.0.2.10 is not one of expfail.test's senders");
	free(w);
	built_free();
}

static void test_bad_params(void **state)
{
	mc_spf_params_t p;
	mc_spf_result_t r;
	world_t w;

	(void)state;
	memset(&p, 0, sizeof(p));
	memset(&w, 0, sizeof(w));
	assert_int_equal(mc_spf_check_host(&p, world_lookup, &w, &r), MC_E_USAGE);
	assert_string_equal(mc_spf_res_str(MC_SPF_SOFTFAIL), "softfail");
	assert_string_equal(mc_spf_res_str(MC_SPF_PERMERROR), "permerror");
}

/* ---- the driver, against a scripted DNS server serving the zone ---- */

typedef struct wire {
	uint8_t b[4096];
	size_t n;
} wire_t;

static void put8(wire_t *w, unsigned v)
{
	w->b[w->n++] = (uint8_t)v;
}

static void put16(wire_t *w, unsigned v)
{
	put8(w, v >> 8);
	put8(w, v & 0xff);
}

static void put_name(wire_t *w, const char *name)
{
	while (*name && strcmp(name, ".")) {
		size_t l = strcspn(name, ".");
		put8(w, (unsigned)l);
		memcpy(w->b + w->n, name, l);
		w->n += l;
		name += l + (name[l] == '.');
	}
	put8(w, 0);
}

typedef struct delayed {
	struct delayed *next;
	struct server *srv;
	wire_t w;
	struct sockaddr_storage peer;
	socklen_t plen;
} delayed_t;

typedef struct server {
	int fd;
	mc_loop_t *loop;
	unsigned queries;
	delayed_t *delayed; /* answers held back */
} server_t;

/* The zone as the wire carries it; late* names are answered after 200 ms
 * (before the resolver asks again, 300 ms). */
static void build_response(const mc_dns_msg_t *q, wire_t *w, bool *drop)
{
	const mc_dns_answer_t *a = zone_answer(q->qname, q->qtype);
	unsigned rcode = 0;
	size_t i;

	*drop = a->outcome == MC_DNS_TIMEOUT;
	if (a->outcome == MC_DNS_NXDOMAIN)
		rcode = 3;
	else if (a->outcome == MC_DNS_SERVFAIL)
		rcode = 2;
	w->n = 0;
	put16(w, q->id);
	put16(w, 0x8180 | rcode);
	put16(w, 1);
	put16(w, (unsigned)a->n);
	put16(w, 0);
	put16(w, 0);
	put_name(w, q->qname);
	put16(w, q->qtype);
	put16(w, 1);
	for (i = 0; i < a->n; i++) {
		const mc_dns_rr_t *rr = a->rrs[i];
		size_t at;
		put_name(w, q->qname);
		put16(w, q->qtype);
		put16(w, 1);
		put16(w, 0);
		put16(w, 300);
		at = w->n;
		put16(w, 0);
		switch (q->qtype) {
		case TXT:
			put8(w, (unsigned)rr->len);
			memcpy(w->b + w->n, rr->data, rr->len);
			w->n += rr->len;
			break;
		case A:
			memcpy(w->b + w->n, rr->addr, 4);
			w->n += 4;
			break;
		case AAAA:
			memcpy(w->b + w->n, rr->addr, 16);
			w->n += 16;
			break;
		case MX:
			put16(w, 10);
			put_name(w, rr->name);
			break;
		default: put_name(w, rr->name); break;
		}
		w->b[at] = (uint8_t)((w->n - at - 2) >> 8);
		w->b[at + 1] = (uint8_t)(w->n - at - 2);
	}
}

static void send_delayed(mc_loop_t *loop, void *arg)
{
	delayed_t *d = arg, **pp;

	(void)loop;
	(void)sendto(d->srv->fd, d->w.b, d->w.n, 0, (struct sockaddr *)&d->peer, d->plen);
	for (pp = &d->srv->delayed; *pp != d; pp = &(*pp)->next)
		;
	*pp = d->next;
	free(d);
}

static void on_query(mc_loop_t *loop, int fd, short revents, void *arg)
{
	server_t *srv = arg;
	uint8_t buf[1500];
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	mc_dns_msg_t q;
	char err[128];
	ssize_t n;
	bool drop;
	delayed_t *d;

	(void)revents;
	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen);
	if (n <= 0 || mc_dns_msg_parse(buf, (size_t)n, &q, err, sizeof(err)) != MC_OK)
		return;
	srv->queries++;
	d = calloc(1, sizeof(*d));
	assert_non_null(d);
	build_response(&q, &d->w, &drop);
	if (!drop && !strncmp(q.qname, "late", 4)) {
		d->srv = srv;
		d->peer = peer;
		d->plen = plen;
		d->next = srv->delayed;
		srv->delayed = d;
		assert_non_null(mc_loop_timer(loop, 200000, send_delayed, d));
	} else {
		if (!drop)
			(void)sendto(fd, d->w.b, d->w.n, 0, (struct sockaddr *)&peer, plen);
		free(d);
	}
	mc_dns_msg_free(&q);
}

typedef struct fixture {
	mc_loop_t *loop;
	mc_dns_t *dns;
	server_t srv;
} fixture_t;

static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof(*f));
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	mc_dns_params_t p;
	char server[64], err[256];

	assert_non_null(f);
	f->srv.fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(f->srv.fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(f->srv.fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(f->srv.fd, (struct sockaddr *)&sin, &len), 0);
	assert_int_equal(mc_loop_new(&f->loop), MC_OK);
	f->srv.loop = f->loop;
	assert_int_equal(mc_loop_watch(f->loop, f->srv.fd, POLLIN, on_query, &f->srv), MC_OK);
	snprintf(server, sizeof(server), "127.0.0.1:%u", ntohs(sin.sin_port));
	memset(&p, 0, sizeof(p));
	p.servers[0] = server;
	p.nservers = 1;
	p.deadline_ms = 600; /* a dropped question times out in about 2 s */
	assert_int_equal(mc_dns_new(f->loop, &p, &f->dns, err, sizeof(err)), MC_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *f = *state;

	mc_dns_free(f->dns);
	while (f->srv.delayed) {
		delayed_t *d = f->srv.delayed;
		f->srv.delayed = d->next;
		free(d);
	}
	mc_loop_unwatch(f->loop, f->srv.fd);
	close(f->srv.fd);
	mc_loop_free(f->loop);
	free(f);
	built_free();
	return 0;
}

typedef struct got {
	unsigned calls;
	mc_spf_result_t r;
	mc_spf_run_t *run;
	bool free_in_done;
	unsigned *left;
	mc_loop_t *loop;
} got_t;

static void on_done(void *arg, const mc_spf_result_t *r)
{
	got_t *g = arg;

	g->calls++;
	g->r = *r;
	if (g->free_in_done) {
		mc_spf_run_free(g->run);
		g->run = NULL;
	}
	if (!--*g->left)
		mc_loop_break(g->loop);
}

/* Run the loop until every run is done or ms pass. */
static void run_loop(fixture_t *f, long ms)
{
	mc_loop_set_deadline(f->loop, mc_clock_now_us() + ms * 1000);
	(void)mc_loop_run(f->loop);
}

/* Every case of the table, all at once on one resolver: the same results
 * as the pure evaluation, done never called before start returns. */
static void test_driver_cases(void **state)
{
	fixture_t *f = *state;
	got_t *g = calloc(N_OF(host_cases), sizeof(*g));
	unsigned left = (unsigned)N_OF(host_cases);
	size_t i;

	assert_non_null(g);
	for (i = 0; i < N_OF(host_cases); i++) {
		mc_spf_params_t p;
		params(&p, host_cases[i].ip, host_cases[i].sender, host_cases[i].helo);
		g[i].left = &left;
		g[i].loop = f->loop;
		assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g[i], &g[i].run),
		                 MC_OK);
		assert_int_equal(g[i].calls, 0);
	}
	run_loop(f, 8000);
	assert_int_equal(left, 0);
	for (i = 0; i < N_OF(host_cases); i++) {
		print_message("case: %s\n", host_cases[i].name);
		assert_int_equal(g[i].calls, 1);
		assert_int_equal(mc_spf_run_result(g[i].run)->result, g[i].r.result);
		check_case(&host_cases[i], &g[i].r);
		mc_spf_run_free(g[i].run);
	}
	free(g);
}

/* A run freed from done while a prefetched question is still in flight
 * (its answer comes 200 ms later and is dropped), and a run freed at a
 * deadline, followed by its resolver: both safe, nothing leaked. */
static void test_driver_free_early(void **state)
{
	fixture_t *f = *state;
	got_t g1, g2;
	unsigned left = 1;
	mc_spf_params_t p;

	memset(&g1, 0, sizeof(g1));
	memset(&g2, 0, sizeof(g2));
	g1.free_in_done = true;
	g1.left = &left;
	g1.loop = f->loop;
	params(&p, "192.0.2.10", "u@quick.test", "h.test");
	assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g1, &g1.run), MC_OK);
	run_loop(f, 3000);
	assert_int_equal(g1.calls, 1);
	assert_null(g1.run);
	assert_int_equal(g1.r.result, MC_SPF_PASS);
	assert_string_equal(g1.r.term, "ip4:192.0.2.10 in include:first.test");
	/* late.test was asked (prefetched) and is not answered yet */
	run_loop(f, 50);
	assert_non_null(f->srv.delayed);
	/* its answer comes for a run that is gone */
	run_loop(f, 400);
	assert_null(f->srv.delayed);
	/* a deadline: what the evaluation had so far */
	params(&p, "198.51.100.99", "u@quick2.test", "h.test");
	g2.left = &left;
	g2.loop = f->loop;
	left = 1;
	assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g2, &g2.run), MC_OK);
	run_loop(f, 100);
	assert_int_equal(g2.calls, 0);
	assert_true(mc_spf_run_busy(g2.run));
	assert_true(mc_spf_run_result(g2.run)->pending);
	assert_int_equal(mc_spf_run_result(g2.run)->result, MC_SPF_TEMPERROR);
	assert_string_equal(mc_spf_run_result(g2.run)->reason, "no answer yet: TXT late2.test");
	mc_spf_run_free(g2.run);
	mc_dns_free(f->dns);
	f->dns = NULL;
	assert_int_equal(g2.calls, 0);
}

/* A result known without DNS still comes from the loop. */
static void test_driver_no_dns(void **state)
{
	fixture_t *f = *state;
	got_t g;
	unsigned left = 1;
	mc_spf_params_t p;
	mc_spf_run_t *run;

	memset(&g, 0, sizeof(g));
	g.left = &left;
	g.loop = f->loop;
	params(&p, "192.0.2.10", "u@localhost", "h.test");
	assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g, &run), MC_OK);
	assert_int_equal(g.calls, 0);
	run_loop(f, 1000);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.result, MC_SPF_NONE);
	assert_int_equal(f->srv.queries, 0);
	mc_spf_run_free(run);
	/* freed before the loop ran: no callback */
	g.calls = 0;
	assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g, &run), MC_OK);
	mc_spf_run_free(run);
	run_loop(f, 50);
	assert_int_equal(g.calls, 0);
	memset(&p.ip, 0, sizeof(p.ip));
	assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g, &run), MC_E_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_table),
	    cmocka_unit_test(test_parse_fields),
	    cmocka_unit_test(test_macro_table),
	    cmocka_unit_test(test_macro_limits),
	    cmocka_unit_test(test_check_host_table),
	    cmocka_unit_test(test_check_host_replayed),
	    cmocka_unit_test(test_check_host_rotated),
	    cmocka_unit_test(test_prefetch_rounds),
	    cmocka_unit_test(test_prefetch_counts_nothing),
	    cmocka_unit_test(test_pending_exp),
	    cmocka_unit_test(test_bad_params),
	    cmocka_unit_test_setup_teardown(test_driver_cases, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_driver_free_early, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_driver_no_dns, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
