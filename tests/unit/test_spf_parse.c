/* test_spf_parse.c - the SPF record parser (policy/mc_spf.h, RFC 7208
 * sections 4.6 and 12): which records parse, how many terms, the error
 * texts, and what each term holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy/mc_spf.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_table),
	    cmocka_unit_test(test_parse_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
