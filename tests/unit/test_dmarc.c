/* Unit tests: the DMARC record (RFC 7489 sections 6.3, 6.4; np= of RFC
 * 9091), organizational domains from the Public Suffix List and the
 * report authorization names of RFC 7489 section 7.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy/mc_dmarc.h"

/* An error text is one printable line that fits the buffer. */
static void assert_one_line(const char *err, size_t errsz)
{
	const char *end = memchr(err, '\0', errsz);
	const char *p;

	assert_non_null(end);
	for (p = err; p < end; p++)
		assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f && *p != '|');
}

/* The record as "p=reject p_index=1 sp=reject ..." for the table to pick
 * tokens from. */
static void describe(const mc_dmarc_record_t *r, char *out, size_t outsz)
{
	char fo[16] = "";
	size_t n = 0;
	static const char names[] = "01ds";
	int i;

	for (i = 0; i < 4; i++) {
		if (r->fo & (1u << i)) {
			if (n)
				fo[n++] = ':';
			fo[n++] = names[i];
		}
	}
	fo[n] = '\0';
	snprintf(out, outsz,
	         "p=%s p_index=%zu sp=%s sp_given=%d np=%s np_given=%d pct=%u pct_given=%d "
	         "adkim=%c aspf=%c fo=%s ri=%lu rua=%zu/%zu ruf=%zu/%zu",
	         mc_dmarc_policy_str(r->p), r->p_index, mc_dmarc_policy_str(r->sp), r->sp_given,
	         mc_dmarc_policy_str(r->np), r->np_given, r->pct, r->pct_given, r->adkim, r->aspf,
	         fo, (unsigned long)r->ri, r->nrua, r->nrua_total, r->nruf, r->nruf_total);
}

/* Every space-separated token of want is a token of got. */
static void assert_tokens(const char *got, const char *want)
{
	char padded[520], token[64];
	const char *w = want;

	snprintf(padded, sizeof(padded), " %s ", got);
	while (*w) {
		size_t n = strcspn(w, " ");
		assert_true(n + 3 < sizeof(token));
		token[0] = ' ';
		memcpy(token + 1, w, n);
		token[n + 1] = ' ';
		token[n + 2] = '\0';
		if (!strstr(padded, token))
			fail_msg("token '%.*s' not in '%s'", (int)n, w, got);
		w += n;
		while (*w == ' ')
			w++;
	}
}

#define DEFAULTS "pct=100 pct_given=0 adkim=r aspf=r fo=0 ri=86400 rua=0/0 ruf=0/0"

typedef struct {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	mc_status_t want;
	const char *facts; /* on MC_OK: tokens of describe() */
	const char *err;   /* substring of the error, or NULL */
} record_case_t;

static const record_case_t record_cases[] = {
    {"minimal record", "v=DMARC1; p=reject", 0, MC_OK,
     "p=reject p_index=1 sp=reject sp_given=0 np=reject np_given=0 " DEFAULTS, NULL},
    {"every tag",
     "v=DMARC1; p=quarantine; sp=none; np=reject; pct=50; "
     "rua=mailto:dmarc@example.com,mailto:x@thirdparty.example!10m; ruf=mailto:f@example.com; "
     "fo=1:d; adkim=s; aspf=s; ri=3600; rf=afrf",
     0, MC_OK,
     "p=quarantine sp=none sp_given=1 np=reject np_given=1 pct=50 pct_given=1 adkim=s aspf=s "
     "fo=1:d ri=3600 rua=2/2 ruf=1/1",
     NULL},
    {"np= without sp=", "v=DMARC1; p=none; np=reject", 0, MC_OK,
     "p=none sp=none sp_given=0 np=reject np_given=1", NULL},
    {"np defaults to sp", "v=DMARC1; p=reject; sp=quarantine", 0, MC_OK,
     "sp=quarantine np=quarantine np_given=0", NULL},
    {"trailing ;", "v=DMARC1; p=none;", 0, MC_OK, "p=none " DEFAULTS, NULL},
    {"spaces and tabs everywhere", "v = DMARC1 ;\tp = reject ; pct = 20 ; ", 0, MC_OK,
     "p=reject pct=20", NULL},
    {"no spaces at all", "v=DMARC1;p=reject;pct=0", 0, MC_OK, "p=reject pct=0 pct_given=1", NULL},
    {"names and keywords in any case", "V=DMARC1; P=Reject; SP=NONE; ADKIM=S; Fo=D", 0, MC_OK,
     "p=reject sp=none adkim=s fo=d", NULL},
    {"p= after other tags", "v=DMARC1; rua=mailto:a@example.com; p=none", 0, MC_OK,
     "p=none p_index=2 rua=1/1", NULL},
    {"pct=100", "v=DMARC1; p=none; pct=100", 0, MC_OK, "pct=100 pct_given=1", NULL},
    {"pct=000 (three digits)", "v=DMARC1; p=none; pct=000", 0, MC_OK, "pct=0", NULL},
    {"fo= every option, spaced", "v=DMARC1; p=none; fo=0 : 1:d: s", 0, MC_OK, "fo=0:1:d:s", NULL},
    {"fo=1 alone drops the default 0", "v=DMARC1; p=none; fo=1", 0, MC_OK, "fo=1", NULL},
    {"rf= list of afrf", "v=DMARC1; p=none; rf=afrf:AFRF", 0, MC_OK, "p=none", NULL},
    {"ri=0", "v=DMARC1; p=none; ri=0", 0, MC_OK, "ri=0", NULL},
    {"ri= 32-bit maximum", "v=DMARC1; p=none; ri=4294967295", 0, MC_OK, "ri=4294967295", NULL},
    {"unknown tags ignored", "v=DMARC1; p=none; foo=bar; t=y; x_1=", 0, MC_OK, "p=none", NULL},
    {"length bounds the input", "v=DMARC1; p=reject; pct=5x", 25, MC_OK, "pct=5", NULL},

    {"p= missing", "v=DMARC1; rua=mailto:a@example.com", 0, MC_E_PROTOCOL, NULL, "no p= tag"},
    {"version only", "v=DMARC1", 0, MC_E_PROTOCOL, NULL, "no p= tag"},
    {"version and ;", "v=DMARC1;", 0, MC_E_PROTOCOL, NULL, "no p= tag"},
    {"p= not a policy", "v=DMARC1; p=block", 0, MC_E_PROTOCOL, NULL,
     "tag 'p': 'block' is not none, quarantine or reject"},
    {"p= empty", "v=DMARC1; p=", 0, MC_E_PROTOCOL, NULL, "tag 'p': '' is not none"},
    {"sp= not a policy", "v=DMARC1; p=none; sp=all", 0, MC_E_PROTOCOL, NULL,
     "tag 'sp': 'all' is not none"},
    {"np= not a policy", "v=DMARC1; p=none; np=rejected", 0, MC_E_PROTOCOL, NULL,
     "tag 'np': 'rejected'"},
    {"pct=101", "v=DMARC1; p=none; pct=101", 0, MC_E_PROTOCOL, NULL,
     "tag 'pct': '101' is not 0-100"},
    {"pct=-1", "v=DMARC1; p=none; pct=-1", 0, MC_E_PROTOCOL, NULL, "'-1' is not 0-100"},
    {"pct of four digits", "v=DMARC1; p=none; pct=0100", 0, MC_E_PROTOCOL, NULL, "'0100'"},
    {"pct with a fraction", "v=DMARC1; p=none; pct=50.5", 0, MC_E_PROTOCOL, NULL, "'50.5'"},
    {"pct empty", "v=DMARC1; p=none; pct=", 0, MC_E_PROTOCOL, NULL, "tag 'pct': ''"},
    {"adkim=x", "v=DMARC1; p=none; adkim=x", 0, MC_E_PROTOCOL, NULL,
     "tag 'adkim': 'x' is not r or s"},
    {"aspf=relaxed", "v=DMARC1; p=none; aspf=relaxed", 0, MC_E_PROTOCOL, NULL,
     "tag 'aspf': 'relaxed' is not r or s"},
    {"fo=2", "v=DMARC1; p=none; fo=2", 0, MC_E_PROTOCOL, NULL, "tag 'fo': '2' is not 0, 1, d or s"},
    {"fo= empty item", "v=DMARC1; p=none; fo=1:", 0, MC_E_PROTOCOL, NULL, "tag 'fo': ''"},
    {"fo= comma list", "v=DMARC1; p=none; fo=1,d", 0, MC_E_PROTOCOL, NULL, "'1,d'"},
    {"rf=iodef", "v=DMARC1; p=none; rf=iodef", 0, MC_E_PROTOCOL, NULL,
     "tag 'rf': 'iodef' is not afrf"},
    {"rf= with iodef", "v=DMARC1; p=none; rf=afrf:iodef", 0, MC_E_PROTOCOL, NULL, "'iodef'"},
    {"ri= over 32 bits", "v=DMARC1; p=none; ri=4294967296", 0, MC_E_PROTOCOL, NULL,
     "tag 'ri': '4294967296' is not 0-4294967295 seconds"},
    {"ri= with a unit", "v=DMARC1; p=none; ri=1h", 0, MC_E_PROTOCOL, NULL, "'1h'"},
    {"rua= empty", "v=DMARC1; p=none; rua=", 0, MC_E_PROTOCOL, NULL, "tag 'rua': empty URI"},
    {"ruf= bad URI", "v=DMARC1; p=none; ruf=f@example.com", 0, MC_E_PROTOCOL, NULL,
     "tag 'ruf': URI 'f@example.com' has no scheme"},
    {"v not first", "p=reject; v=DMARC1", 0, MC_E_PROTOCOL, NULL, "v=DMARC1 must come first"},
    {"whitespace before v", " v=DMARC1; p=reject", 0, MC_E_PROTOCOL, NULL,
     "whitespace before v=DMARC1"},
    {"version in lower case", "v=dmarc1; p=reject", 0, MC_E_PROTOCOL, NULL,
     "the version is case-sensitive"},
    {"missing ; after the version", "v=DMARC1 p=reject", 0, MC_E_PROTOCOL, NULL,
     "no ';' after v=DMARC1"},
    {"p twice", "v=DMARC1; p=none; p=reject", 0, MC_E_PROTOCOL, NULL, "tag 'p': given twice"},
    {"p twice in other case", "v=DMARC1; p=none; P=none", 0, MC_E_PROTOCOL, NULL,
     "tag 'P': given twice"},
    {"v twice", "v=DMARC1; v=DMARC1; p=none", 0, MC_E_PROTOCOL, NULL, "tag 'v': given twice"},
    {"unknown tag twice", "v=DMARC1; p=none; x=1; x=1", 0, MC_E_PROTOCOL, NULL,
     "tag 'x': given twice"},
    {"empty tag", "v=DMARC1;; p=none", 0, MC_E_PROTOCOL, NULL, "empty tag (';;')"},
    {"two trailing ;", "v=DMARC1; p=none;;", 0, MC_E_PROTOCOL, NULL, "empty tag"},
    {"tag without =", "v=DMARC1; p=none; reject", 0, MC_E_PROTOCOL, NULL,
     "tag 'reject' has no '='"},
    {"tag name with a digit first", "v=DMARC1; p=none; 1x=2", 0, MC_E_PROTOCOL, NULL,
     "malformed tag name in '1x=2'"},
    {"NUL byte", "v=DMARC1; p=none\0", 17, MC_E_PROTOCOL, NULL, "NUL byte"},
    {"control byte in a value", "v=DMARC1; p=none; x=a\x7f", 0, MC_E_PROTOCOL, NULL,
     "tag 'x': bad byte 0x7f in the value"},
    {"SPF record is not ours", "v=spf1 -all", 0, MC_E_AGAIN, NULL, "not a DMARC record"},
    {"empty record is not ours", "", 0, MC_E_AGAIN, NULL, "not a DMARC record"},
    {"version prefix is not ours", "v=DMARC10; p=none", 0, MC_E_AGAIN, NULL, NULL},
    {"other version is not ours", "v=DMARC2; p=none", 0, MC_E_AGAIN, NULL, NULL},
    {"version glued to a tag is not ours", "v=DMARC1p=none", 0, MC_E_AGAIN, NULL, NULL},
};

static void test_record_table(void **state)
{
	mc_dmarc_record_t *rec = malloc(sizeof(*rec));
	size_t i;

	(void)state;
	assert_non_null(rec);
	for (i = 0; i < sizeof(record_cases) / sizeof(record_cases[0]); i++) {
		const record_case_t *c = &record_cases[i];
		char err[256] = "", facts[512];
		mc_status_t st;

		print_message("case: %s\n", c->name);
		st = mc_dmarc_parse(c->in, c->len ? c->len : strlen(c->in), rec, err, sizeof(err));
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			describe(rec, facts, sizeof(facts));
			assert_tokens(facts, c->facts);
		} else {
			assert_one_line(err, sizeof(err));
		}
		if (c->err)
			assert_non_null(strstr(err, c->err));
	}
	free(rec);
}

typedef struct {
	const char *name;
	const char *rua; /* the value of rua= */
	mc_status_t want;
	const char *uri; /* on MC_OK, the first URI */
	mc_dmarc_scheme_t scheme;
	const char *host;
	uint64_t max_size; /* 0: no suffix */
	const char *err;   /* substring of the error, or NULL */
} uri_case_t;

static const uri_case_t uri_cases[] = {
    {"mailto", "mailto:dmarc@example.com", MC_OK, "mailto:dmarc@example.com", MC_DMARC_URI_MAILTO,
     "example.com", 0, NULL},
    {"mailto domain lower-cased, dot dropped", "mailto:Dmarc@Example.COM.", MC_OK,
     "mailto:Dmarc@Example.COM.", MC_DMARC_URI_MAILTO, "example.com", 0, NULL},
    {"scheme in upper case", "MAILTO:d@example.com", MC_OK, "MAILTO:d@example.com",
     MC_DMARC_URI_MAILTO, "example.com", 0, NULL},
    {"size suffix in megabytes", "mailto:d@example.com!10m", MC_OK, "mailto:d@example.com",
     MC_DMARC_URI_MAILTO, "example.com", 10485760, NULL},
    {"size suffix in bytes", "mailto:d@example.com!100", MC_OK, "mailto:d@example.com",
     MC_DMARC_URI_MAILTO, "example.com", 100, NULL},
    {"size suffix k", "mailto:d@example.com!1k", MC_OK, NULL, MC_DMARC_URI_MAILTO, "example.com",
     1024, NULL},
    {"size suffix G", "mailto:d@example.com!2G", MC_OK, NULL, MC_DMARC_URI_MAILTO, "example.com",
     2147483648u, NULL},
    {"size suffix t", "mailto:d@example.com!1t", MC_OK, NULL, MC_DMARC_URI_MAILTO, "example.com",
     1099511627776u, NULL},
    {"mailto with hfields", "mailto:d@example.com?subject=dmarc", MC_OK, NULL, MC_DMARC_URI_MAILTO,
     "example.com", 0, NULL},
    {"mailto with an encoded comma", "mailto:a%2Cb@example.com", MC_OK, "mailto:a%2Cb@example.com",
     MC_DMARC_URI_MAILTO, "example.com", 0, NULL},
    {"https", "https://reports.example.net/dmarc", MC_OK, "https://reports.example.net/dmarc",
     MC_DMARC_URI_HTTPS, "reports.example.net", 0, NULL},
    {"https with userinfo and port", "https://u@Host.Example:8443/x", MC_OK, NULL,
     MC_DMARC_URI_HTTPS, "host.example", 0, NULL},
    {"http with an IPv6 literal", "http://[2001:db8::1]/x", MC_OK, NULL, MC_DMARC_URI_HTTP,
     "[2001:db8::1]", 0, NULL},
    {"other scheme", "ftp://x.example/", MC_OK, "ftp://x.example/", MC_DMARC_URI_OTHER, "", 0,
     NULL},
    {"no scheme", "dmarc@example.com", MC_E_PROTOCOL, NULL, 0, NULL, 0,
     "URI 'dmarc@example.com' has no scheme"},
    {"scheme starting with a digit", "1mailto:d@example.com", MC_E_PROTOCOL, NULL, 0, NULL, 0,
     "has no scheme"},
    {"mailto without @", "mailto:example.com", MC_E_PROTOCOL, NULL, 0, NULL, 0,
     "is not mailto:user@domain"},
    {"mailto without user", "mailto:@example.com", MC_E_PROTOCOL, NULL, 0, NULL, 0,
     "is not mailto:user@domain"},
    {"mailto with a bad domain", "mailto:d@example..com", MC_E_PROTOCOL, NULL, 0, NULL, 0,
     "is not mailto:user@domain"},
    {"https without host", "https:///x", MC_E_PROTOCOL, NULL, 0, NULL, 0, "has no host"},
    {"space inside", "mailto:d@exa mple.com", MC_E_PROTOCOL, NULL, 0, NULL, 0,
     "has a character that must be encoded"},
    {"bad percent encoding", "mailto:a%zz@example.com", MC_E_PROTOCOL, NULL, 0, NULL, 0,
     "must be encoded"},
    {"size with a bad unit", "mailto:d@example.com!10x", MC_E_PROTOCOL, NULL, 0, NULL, 0,
     "has a bad size limit"},
    {"size without digits", "mailto:d@example.com!m", MC_E_PROTOCOL, NULL, 0, NULL, 0,
     "bad size limit"},
    {"empty size", "mailto:d@example.com!", MC_E_PROTOCOL, NULL, 0, NULL, 0, "bad size limit"},
    {"two size suffixes", "mailto:d@example.com!1m!2m", MC_E_PROTOCOL, NULL, 0, NULL, 0,
     "bad size limit"},
    {"size overflowing 64 bits", "mailto:d@example.com!99999999999t", MC_E_PROTOCOL, NULL, 0, NULL,
     0, "bad size limit"},
    {"empty URI in the list", "mailto:a@example.com,,mailto:b@example.com", MC_E_PROTOCOL, NULL, 0,
     NULL, 0, "tag 'rua': empty URI"},
    {"trailing comma", "mailto:a@example.com,", MC_E_PROTOCOL, NULL, 0, NULL, 0, "empty URI"},
};

static void test_uri_table(void **state)
{
	mc_dmarc_record_t *rec = malloc(sizeof(*rec));
	size_t i;

	(void)state;
	assert_non_null(rec);
	for (i = 0; i < sizeof(uri_cases) / sizeof(uri_cases[0]); i++) {
		const uri_case_t *c = &uri_cases[i];
		char txt[512], err[256] = "";
		int n;
		mc_status_t st;

		print_message("case: %s\n", c->name);
		n = snprintf(txt, sizeof(txt), "v=DMARC1; p=none; rua=%s", c->rua);
		st = mc_dmarc_parse(txt, (size_t)n, rec, err, sizeof(err));
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			assert_int_equal(rec->nrua, 1);
			if (c->uri)
				assert_string_equal(rec->rua[0].uri, c->uri);
			assert_int_equal(rec->rua[0].scheme, c->scheme);
			assert_string_equal(rec->rua[0].host, c->host);
			assert_int_equal(rec->rua[0].has_max_size, c->max_size != 0);
			assert_true(rec->rua[0].max_size == c->max_size);
		} else {
			assert_one_line(err, sizeof(err));
		}
		if (c->err)
			assert_non_null(strstr(err, c->err));
	}
	free(rec);
}

/* Ten URIs: all checked and counted, the first MC_DMARC_MAX_URI kept; a
 * bad tenth still fails the record. URIs over 255 bytes are errors. */
static void test_uri_limits(void **state)
{
	mc_dmarc_record_t *rec = malloc(sizeof(*rec));
	char txt[1024], err[256];
	size_t n;
	int i;

	(void)state;
	assert_non_null(rec);
	n = (size_t)snprintf(txt, sizeof(txt), "v=DMARC1; p=none; rua=");
	for (i = 0; i < 10; i++)
		n += (size_t)snprintf(txt + n, sizeof(txt) - n, "%smailto:r%d@example.com",
		                      i ? " , " : "", i);
	assert_int_equal(mc_dmarc_parse(txt, n, rec, err, sizeof(err)), MC_OK);
	assert_int_equal(rec->nrua, MC_DMARC_MAX_URI);
	assert_int_equal(rec->nrua_total, 10);
	assert_string_equal(rec->rua[7].uri, "mailto:r7@example.com");
	n += (size_t)snprintf(txt + n, sizeof(txt) - n, ",x");
	assert_int_equal(mc_dmarc_parse(txt, n, rec, err, sizeof(err)), MC_E_PROTOCOL);
	assert_non_null(strstr(err, "URI 'x' has no scheme"));

	n = (size_t)snprintf(txt, sizeof(txt), "v=DMARC1; p=none; rua=mailto:a@");
	for (i = 0; i < 3; i++) {
		memset(txt + n, 'b', 63);
		n += 63;
		txt[n++] = '.';
	}
	memcpy(txt + n, "example!1k", 10);
	n += 10;
	/* mailto:a@ (9) + 3 * 64 + 7 = 208 bytes: fits */
	assert_int_equal(mc_dmarc_parse(txt, n, rec, err, sizeof(err)), MC_OK);
	assert_int_equal(strlen(rec->rua[0].uri), 208);
	/* 47 more bytes in the last label: 255, the most that fits */
	n -= 3;
	memset(txt + n, 'b', 47);
	n += 47;
	assert_int_equal(mc_dmarc_parse(txt, n, rec, err, sizeof(err)), MC_OK);
	assert_int_equal(strlen(rec->rua[0].uri), 255);
	txt[n++] = 'b';
	memcpy(txt + n, "!1k", 3);
	n += 3;
	assert_int_equal(mc_dmarc_parse(txt, n, rec, err, sizeof(err)), MC_E_PROTOCOL);
	assert_non_null(strstr(err, "...' is longer than 255 bytes"));
	free(rec);
}

/* MC_DMARC_MAX_TAGS tags parse; one more is refused. */
static void test_tag_cap(void **state)
{
	mc_dmarc_record_t *rec = malloc(sizeof(*rec));
	char txt[1024], err[128];
	size_t n;
	int i;

	(void)state;
	assert_non_null(rec);
	n = (size_t)snprintf(txt, sizeof(txt), "v=DMARC1; p=none");
	for (i = 0; i < MC_DMARC_MAX_TAGS - 2; i++)
		n += (size_t)snprintf(txt + n, sizeof(txt) - n, "; x%d=1", i);
	assert_int_equal(mc_dmarc_parse(txt, n, rec, err, sizeof(err)), MC_OK);
	n += (size_t)snprintf(txt + n, sizeof(txt) - n, "; y=1");
	assert_int_equal(mc_dmarc_parse(txt, n, rec, err, sizeof(err)), MC_E_PROTOCOL);
	assert_string_equal(err, "more than 64 tags in the DMARC record");
	free(rec);
}

typedef struct {
	const char *name;
	const char *in;
	mc_status_t want;
	const char *out; /* on MC_OK */
} org_case_t;

/* Facts of the Public Suffix List (libpsl), not of this code: example.test
 * is unlisted, so its last label is the suffix by the list's "*" rule. */
static const org_case_t org_cases[] = {
    {"registered domain", "example.com", MC_OK, "example.com"},
    {"host under it", "mail.example.com", MC_OK, "example.com"},
    {"two-label suffix", "a.b.example.co.uk", MC_OK, "example.co.uk"},
    {"unlisted TLD: last label is the suffix", "example.test", MC_OK, "example.test"},
    {"under an unlisted TLD", "a.b.example.test", MC_OK, "example.test"},
    {"private-section suffix", "www.foo.github.io", MC_OK, "foo.github.io"},
    {"case and trailing dot", "Mail.EXAMPLE.Com.", MC_OK, "example.com"},
    {"underscore label", "_dmarc.example.com", MC_OK, "example.com"},
    {"a TLD is a public suffix", "com", MC_E_DNS_NOTFOUND, NULL},
    {"a listed suffix", "co.uk", MC_E_DNS_NOTFOUND, NULL},
    {"an unlisted TLD alone", "test", MC_E_DNS_NOTFOUND, NULL},
    {"empty name", "", MC_E_USAGE, NULL},
    {"root only", ".", MC_E_USAGE, NULL},
    {"empty label", "a..example.com", MC_E_USAGE, NULL},
    {"leading dot", ".example.com", MC_E_USAGE, NULL},
    {"two trailing dots", "example.com..", MC_E_USAGE, NULL},
    {"space", "exa mple.com", MC_E_USAGE, NULL},
    {"UTF-8 (U-label)",
     "b\xc3\xbc"
     "cher.example",
     MC_E_USAGE, NULL},
    {"label of 64 bytes", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
     MC_E_USAGE, NULL},
    {"label of 63 bytes", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
     MC_OK, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com"},
};

static void test_org_domain_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(org_cases) / sizeof(org_cases[0]); i++) {
		const org_case_t *c = &org_cases[i];
		char out[256] = "";

		print_message("case: %s\n", c->name);
		assert_int_equal(mc_dmarc_org_domain(c->in, out, sizeof(out)), c->want);
		if (c->want == MC_OK)
			assert_string_equal(out, c->out);
	}
}

/* Names over 253 bytes are refused; out must hold the result. */
static void test_org_domain_limits(void **state)
{
	char name[300], out[16];
	size_t i;

	(void)state;
	for (i = 0; i < 254; i++)
		name[i] = i % 10 == 9 ? '.' : 'a';
	name[253] = '\0'; /* 253 bytes, ends in 'a' */
	assert_int_equal(mc_dmarc_org_domain(name, out, sizeof(out)), MC_OK);
	assert_string_equal(out, "aaaaaaaaa.aaa");
	name[253] = 'a';
	name[254] = '\0';
	assert_int_equal(mc_dmarc_org_domain(name, out, sizeof(out)), MC_E_USAGE);
	assert_int_equal(mc_dmarc_org_domain("example.com", out, 12), MC_OK);
	assert_int_equal(mc_dmarc_org_domain("example.com", out, 11), MC_E_LIMIT);
}

typedef struct {
	const char *name;
	const char *dest, *org;
	mc_status_t want;
	bool inside;
} in_org_case_t;

static const in_org_case_t in_org_cases[] = {
    {"same domain", "example.com", "example.com", MC_OK, true},
    {"subdomain", "reports.example.com", "example.com", MC_OK, true},
    {"case and dots", "Reports.EXAMPLE.com.", "Example.com.", MC_OK, true},
    {"third party", "thirdparty.example.net", "example.com", MC_OK, false},
    {"same suffix, other domain", "other.co.uk", "example.co.uk", MC_OK, false},
    {"look-alike suffix", "badexample.com", "example.com", MC_OK, false},
    {"dest a public suffix", "co.uk", "example.co.uk", MC_OK, false},
    {"bad dest", "a..b", "example.com", MC_E_USAGE, false},
    {"bad org", "example.com", "", MC_E_USAGE, false},
};

static void test_in_org_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in_org_cases) / sizeof(in_org_cases[0]); i++) {
		const in_org_case_t *c = &in_org_cases[i];
		bool inside = !c->inside;

		print_message("case: %s\n", c->name);
		assert_int_equal(mc_dmarc_in_org(c->dest, c->org, &inside), c->want);
		assert_int_equal(inside, c->inside);
	}
}

typedef struct {
	const char *name;
	const char *domain, *dest;
	size_t outsz;
	mc_status_t want;
	const char *out;
} auth_name_case_t;

static const auth_name_case_t auth_name_cases[] = {
    {"RFC 7489 section 7.1 shape", "example.com", "thirdparty.example.net", 256, MC_OK,
     "example.com._report._dmarc.thirdparty.example.net"},
    {"case and trailing dots", "Example.COM.", "ThirdParty.example.net.", 256, MC_OK,
     "example.com._report._dmarc.thirdparty.example.net"},
    {"exactly fits out", "a.b", "c.d", 23, MC_OK, "a.b._report._dmarc.c.d"},
    {"one byte short", "a.b", "c.d", 22, MC_E_LIMIT, NULL},
    {"bad domain", "a..b", "c.d", 256, MC_E_USAGE, NULL},
    {"bad dest", "a.b", "c d", 256, MC_E_USAGE, NULL},
    {"over 253 bytes",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
     "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.example.net", 512, MC_E_LIMIT,
     NULL},
};

static void test_auth_name_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(auth_name_cases) / sizeof(auth_name_cases[0]); i++) {
		const auth_name_case_t *c = &auth_name_cases[i];
		char out[512] = "";

		print_message("case: %s\n", c->name);
		assert_int_equal(mc_dmarc_report_auth_name(c->domain, c->dest, out, c->outsz),
		                 c->want);
		if (c->want == MC_OK)
			assert_string_equal(out, c->out);
	}
}

typedef struct {
	const char *in;
	size_t len; /* 0: strlen(in) */
	bool ok;
} auth_record_case_t;

static const auth_record_case_t auth_record_cases[] = {
    {"v=DMARC1", 0, true},  {"v=DMARC1;", 0, true},   {"v=DMARC1; rua=mailto:a@b.c", 0, true},
    {"v=DMARC1 ", 0, true}, {"v = DMARC1", 0, true},  {"v=spf1 -all", 0, false},
    {"", 0, false},         {" v=DMARC1", 0, false},  {"v=DMARC10", 0, false},
    {"v=dmarc1", 0, false}, {"v=DMARC1\0", 9, false},
};

static void test_auth_record(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(auth_record_cases) / sizeof(auth_record_cases[0]); i++) {
		const auth_record_case_t *c = &auth_record_cases[i];
		print_message("case: '%s'\n", c->in);
		assert_int_equal(mc_dmarc_auth_record_ok(c->in, c->len ? c->len : strlen(c->in)),
		                 c->ok);
	}
}

static void test_policy_str(void **state)
{
	(void)state;
	assert_string_equal(mc_dmarc_policy_str(MC_DMARC_POLICY_UNSET), "unset");
	assert_string_equal(mc_dmarc_policy_str(MC_DMARC_POLICY_NONE), "none");
	assert_string_equal(mc_dmarc_policy_str(MC_DMARC_POLICY_QUARANTINE), "quarantine");
	assert_string_equal(mc_dmarc_policy_str(MC_DMARC_POLICY_REJECT), "reject");
	assert_string_equal(mc_dmarc_policy_str((mc_dmarc_policy_t)9), "unknown");
	assert_true(MC_DMARC_POLICY_NONE < MC_DMARC_POLICY_QUARANTINE);
	assert_true(MC_DMARC_POLICY_QUARANTINE < MC_DMARC_POLICY_REJECT);
}

/* Errors are cut to the buffer, NUL-terminated; errsz 0 writes nothing. */
static void test_error_buffer_bound(void **state)
{
	static const char in[] = "v=DMARC1; p=none; rua=mailto:\x01\x02\x03\x04\x05@example.com";
	mc_dmarc_record_t *rec = malloc(sizeof(*rec));
	char err[16];
	size_t sz;

	(void)state;
	assert_non_null(rec);
	for (sz = 1; sz <= sizeof(err); sz++) {
		memset(err, 'X', sizeof(err));
		assert_int_equal(mc_dmarc_parse(in, sizeof(in) - 1, rec, err, sz), MC_E_PROTOCOL);
		assert_one_line(err, sz);
	}
	memset(err, 'X', sizeof(err));
	assert_int_equal(mc_dmarc_parse(in, sizeof(in) - 1, rec, err, 0), MC_E_PROTOCOL);
	assert_int_equal(err[0], 'X');
	free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_record_table),       cmocka_unit_test(test_uri_table),
	    cmocka_unit_test(test_uri_limits),         cmocka_unit_test(test_tag_cap),
	    cmocka_unit_test(test_org_domain_table),   cmocka_unit_test(test_org_domain_limits),
	    cmocka_unit_test(test_in_org_table),       cmocka_unit_test(test_auth_name_table),
	    cmocka_unit_test(test_auth_record),        cmocka_unit_test(test_policy_str),
	    cmocka_unit_test(test_error_buffer_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
