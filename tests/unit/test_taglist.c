/* Unit tests: the tag-list splitter the policy records share (DKIM, DMARC,
 * MTA-STS, TLS-RPT), and the util helpers they use with it: ASCII classes,
 * quoting for messages, strict base64. Syntaxes here mirror the records'
 * with texts of their own, so each case shows which rule answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy/mc_taglist.h"
#include "util/mc_ascii.h"
#include "util/mc_base64.h"
#include "util/mc_str.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define MSGS                                                                                       \
	.nul = "nul", .not_ours = "not ours", .version_ws = "version after whitespace",            \
	.version_late = "version late", .version_case = "version case",                            \
	.no_delim = "no delim in '%s'", .empty = "empty", .empty_tag = "empty tag",                \
	.no_equals = "no equals in '%s'", .bad_name = "bad name in '%s'",                          \
	.bad_value = "bad value in '%s': 0x%02x", .bad_field = "bad field in '%s'",                \
	.too_many = "more than %d"

/* As DKIM: FWS, tag names, none twice (case-sensitive), no version. */
static const mc_taglist_syntax_t fws_tags = {
    .ws = MC_TAGLIST_FWS,
    .names = MC_TAGLIST_TAG_NAMES,
    .dups = MC_TAGLIST_DUPS_EXACT,
    .max_tags = 4,
    .msg = {MSGS, .twice = "'%s' twice"},
};

/* As DMARC: WSP, a loose version tag, names in any case, none twice. */
static const mc_taglist_syntax_t versioned_tags = {
    .ws = MC_TAGLIST_WSP,
    .names = MC_TAGLIST_TAG_NAMES,
    .version = "V1",
    .version_tag = true,
    .dups = MC_TAGLIST_DUPS_ANYCASE,
    .max_tags = 4,
    .msg = {MSGS, .twice = "'%s' twice"},
};

/* As MTA-STS and TLS-RPT: an exact version, exact name=value fields. */
static const mc_taglist_syntax_t exact_fields = {
    .ws = MC_TAGLIST_WSP,
    .names = MC_TAGLIST_EXT_NAMES,
    .exact_fields = true,
    .own_values = (const char *const[]){"own", "id", NULL},
    .version = "X1",
    .dups = MC_TAGLIST_DUPS_VERSION,
    .msg = {MSGS, .twice = "version twice"},
};

/* What the visitor saw: "index:name=value" joined by '|'. */
typedef struct {
	char seen[512];
	size_t count;
} visits_t;

static mc_status_t record(void *ctx, const mc_taglist_tag_t *t, size_t index, char *err,
                          size_t errsz)
{
	visits_t *v = ctx;
	size_t used = strlen(v->seen);

	if (mc_str_eq_lit(t->name, t->nlen, "fail")) {
		snprintf(err, errsz, "visitor says no");
		return MC_E_REFUSED;
	}
	/* the spec is the tag itself: name, '=', value in between */
	assert_true(t->spec <= t->name && t->name + t->nlen < t->val &&
	            t->val + t->vlen <= t->spec + t->slen);
	snprintf(v->seen + used, sizeof(v->seen) - used, "%s%zu:%.*s=%.*s", used ? "|" : "", index,
	         (int)t->nlen, t->name, (int)t->vlen, t->val);
	v->count++;
	return MC_OK;
}

typedef struct {
	const char *name;
	const mc_taglist_syntax_t *syn;
	const char *in;
	size_t len; /* 0: strlen(in) */
	mc_status_t want;
	const char *out; /* MC_OK: what the visitor saw; else the whole error */
} parse_case_t;

#define LONG40 "0123456789012345678901234567890123456789"

static const parse_case_t parse_cases[] = {
    /* tag lists without a version (DKIM) */
    {"one tag", &fws_tags, "a=1", 0, MC_OK, "0:a=1"},
    {"trailing ; allowed", &fws_tags, "a=1;", 0, MC_OK, "0:a=1"},
    {"trailing ; and FWS allowed", &fws_tags, "a=1; \r\n ", 0, MC_OK, "0:a=1"},
    {"FWS around tags, '=' and inside values", &fws_tags, " a \r\n = 1\r\n 2 ;\tb=x", 0, MC_OK,
     "0:a=1\r\n 2|1:b=x"},
    {"empty value", &fws_tags, "a=;b=", 0, MC_OK, "0:a=|1:b="},
    {"printable bytes in a value", &fws_tags, "a=!\"#:<=>~", 0, MC_OK, "0:a=!\"#:<=>~"},
    {"underscore and digits in names", &fws_tags, "a_1=x;B2=y", 0, MC_OK, "0:a_1=x|1:B2=y"},
    {"names are case-sensitive", &fws_tags, "a=1;A=2", 0, MC_OK, "0:a=1|1:A=2"},
    {"max_tags tags", &fws_tags, "a=1;b=2;c=3;d=4", 0, MC_OK, "0:a=1|1:b=2|2:c=3|3:d=4"},
    {"one tag more", &fws_tags, "a=1;b=2;c=3;d=4;e=5", 0, MC_E_PROTOCOL, "more than 4"},
    {"empty record", &fws_tags, "", 0, MC_E_PROTOCOL, "empty"},
    {"only whitespace", &fws_tags, " \r\n\t", 0, MC_E_PROTOCOL, "empty"},
    {"only ';'", &fws_tags, ";", 0, MC_E_PROTOCOL, "empty tag"},
    {"leading ';'", &fws_tags, ";a=1", 0, MC_E_PROTOCOL, "empty tag"},
    {"';;'", &fws_tags, "a=1;;", 0, MC_E_PROTOCOL, "empty tag"},
    {"whitespace between ';'", &fws_tags, "a=1; \t;b=2", 0, MC_E_PROTOCOL, "empty tag"},
    {"NUL byte", &fws_tags, "a=1\0", 4, MC_E_PROTOCOL, "nul"},
    {"no '='", &fws_tags, " abc ", 0, MC_E_PROTOCOL, "no equals in 'abc'"},
    {"tag quoted sanitized", &fws_tags, "a|\x01", 0, MC_E_PROTOCOL, "no equals in 'a/?'"},
    {"long tag cut with ...", &fws_tags, LONG40 "X", 0, MC_E_PROTOCOL,
     "no equals in '" LONG40 "...'"},
    {"name starting with a digit", &fws_tags, "1a=x", 0, MC_E_PROTOCOL, "bad name in '1a=x'"},
    {"name with '-'", &fws_tags, "a-b=x", 0, MC_E_PROTOCOL, "bad name in 'a-b=x'"},
    {"empty name", &fws_tags, "=x", 0, MC_E_PROTOCOL, "bad name in '=x'"},
    {"whitespace inside a name", &fws_tags, "a b=x", 0, MC_E_PROTOCOL, "bad name in 'a b=x'"},
    {"DEL in a value", &fws_tags, "a=x\x7f", 0, MC_E_PROTOCOL, "bad value in 'a': 0x7f"},
    {"8-bit byte in a value", &fws_tags, "a=\xc3\xa9", 0, MC_E_PROTOCOL, "bad value in 'a': 0xc3"},
    {"CRLF without WSP is no FWS", &fws_tags, "a=1\r\n", 0, MC_E_PROTOCOL,
     "bad value in 'a': 0x0d"},
    {"bare LF in a value", &fws_tags, "a=1\n 2", 0, MC_E_PROTOCOL, "bad value in 'a': 0x0a"},
    {"name given twice", &fws_tags, "a=1;b=2;a=3", 0, MC_E_PROTOCOL, "'a' twice"},
    {"twice checked before the count", &fws_tags, "a=1;b=2;c=3;d=4;a=5", 0, MC_E_PROTOCOL,
     "'a' twice"},
    {"visitor's status returned", &fws_tags, "a=1;fail=1;b=2", 0, MC_E_REFUSED, "visitor says no"},
    /* a loose version tag first (DMARC) */
    {"version then a tag", &versioned_tags, "v=V1; a=1", 0, MC_OK, "1:a=1"},
    {"version alone", &versioned_tags, "v=V1", 0, MC_OK, ""},
    {"version and whitespace", &versioned_tags, "v=V1 \t", 0, MC_OK, ""},
    {"version and ';'", &versioned_tags, "v=V1;", 0, MC_OK, ""},
    {"version name in any case, WSP around '='", &versioned_tags, "V \t= V1 ;a=1", 0, MC_OK,
     "1:a=1"},
    {"names in any case", &versioned_tags, "v=V1; a=1; A=2", 0, MC_E_PROTOCOL, "'A' twice"},
    {"version given again", &versioned_tags, "v=V1; V=V1", 0, MC_E_PROTOCOL, "'V' twice"},
    {"version counted in max_tags", &versioned_tags, "v=V1;a=1;b=2;c=3", 0, MC_OK,
     "1:a=1|2:b=2|3:c=3"},
    {"version plus max_tags tags", &versioned_tags, "v=V1;a=1;b=2;c=3;d=4", 0, MC_E_PROTOCOL,
     "more than 4"},
    {"version value in another case", &versioned_tags, "v=v1; a=1", 0, MC_E_PROTOCOL,
     "version case"},
    {"version value case, later tag", &versioned_tags, "a=1; v = v1", 0, MC_E_PROTOCOL,
     "version case"},
    {"whitespace before the version", &versioned_tags, " v=V1; a=1", 0, MC_E_PROTOCOL,
     "version after whitespace"},
    {"version not first", &versioned_tags, "a=1; v=V1", 0, MC_E_PROTOCOL, "version late"},
    {"no version: not ours", &versioned_tags, "a=1; b=2", 0, MC_E_AGAIN, "not ours"},
    {"version glued to a tag: not ours", &versioned_tags, "v=V1a=1", 0, MC_E_AGAIN, "not ours"},
    {"no ';' after the version", &versioned_tags, "v=V1 a=1", 0, MC_E_PROTOCOL,
     "no delim in 'v=V1 a=1'"},
    {"NUL before the version check", &versioned_tags, "x\0", 2, MC_E_PROTOCOL, "nul"},
    {"WSP syntax: CRLF is not whitespace", &versioned_tags, "v=V1;\r\n a=1", 0, MC_E_PROTOCOL,
     "bad name in '?? a=1'"},
    {"empty tag after the version", &versioned_tags, "v=V1;;a=1", 0, MC_E_PROTOCOL, "empty tag"},
    /* an exact version, exact fields (MTA-STS, TLS-RPT) */
    {"fields", &exact_fields, "v=X1; id=1 ;ext.a-b_c=x:y", 0, MC_OK, "1:id=1|2:ext.a-b_c=x:y"},
    {"digit first", &exact_fields, "v=X1; 1a=x", 0, MC_OK, "1:1a=x"},
    {"extension values: printable ASCII", &exact_fields, "v=X1; a=!\"#:<>~", 0, MC_OK,
     "1:a=!\"#:<>~"},
    {"own value left to the visitor", &exact_fields, "v=X1; own= x y=;id=", 0, MC_OK,
     "1:own= x y=|2:id="},
    {"own values are named exactly", &exact_fields, "v=X1; Own= x", 0, MC_E_PROTOCOL,
     "bad field in 'Own= x'"},
    {"extension value with a space", &exact_fields, "v=X1; a=b c", 0, MC_E_PROTOCOL,
     "bad field in 'a=b c'"},
    {"extension value with '='", &exact_fields, "v=X1; a=b=c", 0, MC_E_PROTOCOL,
     "bad field in 'a=b=c'"},
    {"empty extension value", &exact_fields, "v=X1; a=", 0, MC_E_PROTOCOL, "bad field in 'a='"},
    {"DEL in an extension value", &exact_fields, "v=X1; a=\x7f", 0, MC_E_PROTOCOL,
     "bad field in 'a=?'"},
    {"version again, whatever its value", &exact_fields, "v=X1; v=a b", 0, MC_E_PROTOCOL,
     "version twice"},
    {"fields may repeat", &exact_fields, "v=X1; a=1; a=1", 0, MC_OK, "1:a=1|2:a=1"},
    {"V is not the version", &exact_fields, "v=X1; V=2", 0, MC_OK, "1:V=2"},
    {"version field again", &exact_fields, "v=X1; v=X2", 0, MC_E_PROTOCOL, "version twice"},
    {"space before '='", &exact_fields, "v=X1; a =1", 0, MC_E_PROTOCOL, "bad name in 'a =1'"},
    {"name of 33", &exact_fields, "v=X1; " LONG40 "=1", 0, MC_E_PROTOCOL,
     "bad name in '" LONG40 "...'"},
    {"no '=' in a field", &exact_fields, "v=X1; abc", 0, MC_E_PROTOCOL, "no equals in 'abc'"},
    {"spaced version is not the version", &exact_fields, "v = X1; a=1", 0, MC_E_AGAIN, "not ours"},
    {"version value in another case", &exact_fields, "v=x1", 0, MC_E_AGAIN, "not ours"},
    {"exact version after whitespace", &exact_fields, "\tv=X1", 0, MC_E_PROTOCOL,
     "version after whitespace"},
    {"exact version later", &exact_fields, "a=b;v=X1 ;", 0, MC_E_PROTOCOL, "version late"},
};

static void test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(parse_cases); i++) {
		const parse_case_t *c = &parse_cases[i];
		visits_t v = {"", 0};
		char err[128] = "";
		mc_status_t st;

		print_message("case: %s\n", c->name);
		st = mc_taglist_parse(c->in, c->len ? c->len : strlen(c->in), c->syn, record, &v,
		                      err, sizeof(err));
		assert_int_equal(st, c->want);
		assert_string_equal(st == MC_OK ? v.seen : err, c->out);
	}
}

/* Without a limit (MC_TAGLIST_DUPS_VERSION) any number of fields passes. */
static void test_no_limit(void **state)
{
	char in[4 + 100 * 4 + 1] = "v=X1", err[64];
	visits_t v = {"", 0};
	size_t i;

	(void)state;
	for (i = 0; i < 100; i++)
		memcpy(in + 4 + i * 4, ";a=1", 5);
	assert_int_equal(
	    mc_taglist_parse(in, strlen(in), &exact_fields, record, &v, err, sizeof(err)), MC_OK);
	assert_int_equal(v.count, 100);
}

/* A tiny error buffer: the text is cut, never overrun. */
static void test_small_error_buffer(void **state)
{
	char err[8];
	visits_t v = {"", 0};

	(void)state;
	memset(err, 'X', sizeof(err));
	assert_int_equal(mc_taglist_parse("abc", 3, &fws_tags, record, &v, err, 5), MC_E_PROTOCOL);
	assert_string_equal(err, "no e");
	assert_int_equal(err[5], 'X');
}

/* A syntax whose max_tags does not fit its duplicate rule is refused. */
static void test_bad_syntax(void **state)
{
	mc_taglist_syntax_t s = fws_tags;
	visits_t v = {"", 0};
	char err[64];

	(void)state;
	s.max_tags = 0;
	assert_int_equal(mc_taglist_parse("a=1", 3, &s, record, &v, err, sizeof(err)), MC_E_USAGE);
	s.max_tags = MC_TAGLIST_MAX + 1;
	assert_int_equal(mc_taglist_parse("a=1", 3, &s, record, &v, err, sizeof(err)), MC_E_USAGE);
	s.max_tags = MC_TAGLIST_MAX;
	assert_int_equal(mc_taglist_parse("a=1", 3, &s, record, &v, err, sizeof(err)), MC_OK);
	s = exact_fields;
	s.max_tags = 3;
	assert_int_equal(mc_taglist_parse("v=X1", 4, &s, record, &v, err, sizeof(err)), MC_E_USAGE);
	assert_int_equal(v.count, 1); /* only the MC_OK parse visited */
	s = fws_tags;
	s.msg.no_equals = NULL; /* an unset text still gives one line */
	assert_int_equal(mc_taglist_parse("abc", 3, &s, record, &v, err, sizeof(err)),
	                 MC_E_PROTOCOL);
	assert_string_equal(err, "malformed tag list");
}

static const struct {
	const char *name;
	const mc_taglist_syntax_t *syn;
	const char *in;
	size_t want;
} version_cases[] = {
    {"exact", &exact_fields, "v=X1", 4},
    {"then ';'", &exact_fields, "v=X1;id=1", 4},
    {"then a space", &exact_fields, "v=X1 ;", 4},
    {"then a letter", &exact_fields, "v=X1a", 0},
    {"cut short", &exact_fields, "v=X", 0},
    {"exact wants lower-case v", &exact_fields, "V=X1", 0},
    {"exact wants no spaces", &exact_fields, "v =X1", 0},
    {"loose: spaces and tabs around '='", &versioned_tags, "V \t=\t V1;", 8},
    {"loose: value still case-sensitive", &versioned_tags, "v=v1", 0},
    {"loose: no '='", &versioned_tags, "v V1", 0},
    {"empty", &versioned_tags, "", 0},
    {"no version in the syntax", &fws_tags, "v=V1", 0},
};

static void test_version_len(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(version_cases); i++) {
		print_message("case: %s\n", version_cases[i].name);
		assert_int_equal(mc_taglist_version_len(version_cases[i].in,
		                                        strlen(version_cases[i].in),
		                                        version_cases[i].syn),
		                 version_cases[i].want);
	}
}

static const struct {
	mc_taglist_names_t names;
	const char *in;
	bool want;
} name_cases[] = {
    {MC_TAGLIST_TAG_NAMES, "a", true},
    {MC_TAGLIST_TAG_NAMES, "a_1Z", true},
    {MC_TAGLIST_TAG_NAMES, "x" LONG40 LONG40, true},
    {MC_TAGLIST_TAG_NAMES, "", false},
    {MC_TAGLIST_TAG_NAMES, "_a", false},
    {MC_TAGLIST_TAG_NAMES, "1a", false},
    {MC_TAGLIST_TAG_NAMES, "a-b", false},
    {MC_TAGLIST_TAG_NAMES, "a.b", false},
    {MC_TAGLIST_EXT_NAMES, "1a", true},
    {MC_TAGLIST_EXT_NAMES, "a.b-c_d", true},
    {MC_TAGLIST_EXT_NAMES, "0123456789012345678901234567890x", true},
    {MC_TAGLIST_EXT_NAMES, "0123456789012345678901234567890xy", false},
    {MC_TAGLIST_EXT_NAMES, "", false},
    {MC_TAGLIST_EXT_NAMES, "-a", false},
    {MC_TAGLIST_EXT_NAMES, ".a", false},
    {MC_TAGLIST_EXT_NAMES, "a b", false},
    {MC_TAGLIST_EXT_NAMES, "a\xc3\xa9", false},
};

static void test_names(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(name_cases); i++) {
		print_message("case: '%s'\n", name_cases[i].in);
		assert_int_equal(mc_taglist_name_ok(name_cases[i].names, name_cases[i].in,
		                                    strlen(name_cases[i].in)),
		                 name_cases[i].want);
	}
}

static const struct {
	const char *name;
	mc_taglist_ws_t ws;
	const char *in;
	const char *want;
} trim_cases[] = {
    {"spaces and tabs", MC_TAGLIST_WSP, " \t a b \t ", "a b"},
    {"all whitespace", MC_TAGLIST_WSP, " \t ", ""},
    {"WSP: CRLF stays", MC_TAGLIST_WSP, "\r\n a\r\n ", "\r\n a\r\n"},
    {"FWS: folded both ends", MC_TAGLIST_FWS, "\r\n a\r\n ", "a"},
    {"FWS: several folds", MC_TAGLIST_FWS, " \r\n \r\n\ta \r\n \r\n\t", "a"},
    {"FWS: CRLF at the end is no FWS", MC_TAGLIST_FWS, " a\r\n", "a\r\n"},
    {"FWS: CRLF first without WSP after", MC_TAGLIST_FWS, "\r\na", "\r\na"},
    {"FWS: all folding", MC_TAGLIST_FWS, " \r\n ", ""},
};

static void test_trim(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(trim_cases); i++) {
		const char *s = trim_cases[i].in;
		size_t n = strlen(s);

		print_message("case: %s\n", trim_cases[i].name);
		mc_taglist_trim(trim_cases[i].ws, &s, &n);
		assert_int_equal(n, strlen(trim_cases[i].want));
		assert_memory_equal(s, trim_cases[i].want, n);
	}
}

static const struct {
	const char *name;
	const mc_taglist_syntax_t *syn;
	const char *val;
	char sep;
	const char *want; /* items joined by '|' */
} item_cases[] = {
    {"comma list, WSP around", &versioned_tags, "a, b ,\tc", ',', "a|b|c"},
    {"empty value, one empty item", &versioned_tags, "", ':', ""},
    {"empty item inside", &versioned_tags, "a::b", ':', "a||b"},
    {"separator at the end", &versioned_tags, "a:", ':', "a|"},
    {"other separators are text", &versioned_tags, "a,b:c", ':', "a,b|c"},
    {"FWS around items", &fws_tags, "a\r\n :\r\n\tb", ':', "a|b"},
    {"WSP syntax keeps CRLF", &versioned_tags, "a\r\n :b", ':', "a\r\n|b"},
};

static void test_items(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(item_cases); i++) {
		mc_taglist_tag_t t = {0};
		mc_taglist_items_t it;
		const char *item;
		char got[64] = "";
		size_t n, used = 0, k = 0;

		print_message("case: %s\n", item_cases[i].name);
		t.val = item_cases[i].val;
		t.vlen = strlen(t.val);
		mc_taglist_items_init(&it, &t, item_cases[i].sep, item_cases[i].syn);
		while (mc_taglist_items_next(&it, &item, &n))
			used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%.*s",
			                         k++ ? "|" : "", (int)n, item);
		assert_false(mc_taglist_items_next(&it, &item, &n));
		assert_string_equal(got, item_cases[i].want);
	}
}

/* ---- util: ASCII classes ---- */

static void test_ascii_classes(void **state)
{
	int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		char ch = (char)c;
		bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		bool digit = c >= '0' && c <= '9';

		assert_int_equal(mc_ascii_is_alpha(ch), alpha);
		assert_int_equal(mc_ascii_is_digit(ch), digit);
		assert_int_equal(mc_ascii_is_alnum(ch), alpha || digit);
		assert_int_equal(mc_ascii_is_hex(ch),
		                 digit || (c != 0 && strchr("abcdefABCDEF", c) != NULL));
		assert_int_equal(mc_ascii_is_wsp(ch), c == ' ' || c == '\t');
		assert_int_equal(mc_ascii_lower(ch), c >= 'A' && c <= 'Z' ? (char)(c + 32) : ch);
	}
}

/* ---- util: quoting and comparing ---- */

static const struct {
	const char *name;
	const char *in;
	size_t dstsz;
	const char *want;
} quote_cases[] = {
    {"short", "abc", MC_STR_QUOTE_SIZE, "abc"},
    {"empty", "", MC_STR_QUOTE_SIZE, ""},
    {"exactly the maximum", LONG40, MC_STR_QUOTE_SIZE, LONG40},
    {"one byte over", LONG40 "x", MC_STR_QUOTE_SIZE, LONG40 "..."},
    {"sanitized", "a\tb|c\xc3", MC_STR_QUOTE_SIZE, "a?b/c?"},
    {"small buffer: cut, no room for ...", LONG40 "x", 10, "012345678"},
    {"small buffer, short text", "abc", 4, "abc"},
};

static void test_quote(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(quote_cases); i++) {
		char dst[MC_STR_QUOTE_SIZE + 8];

		print_message("case: %s\n", quote_cases[i].name);
		memset(dst, 'X', sizeof(dst));
		mc_str_quote(dst, quote_cases[i].dstsz, quote_cases[i].in,
		             strlen(quote_cases[i].in));
		assert_string_equal(dst, quote_cases[i].want);
		assert_int_equal(dst[quote_cases[i].dstsz], 'X');
	}
}

static void test_eq_lit(void **state)
{
	(void)state;
	assert_true(mc_str_eq_lit("rsa", 3, "rsa"));
	assert_false(mc_str_eq_lit("RSA", 3, "rsa"));
	assert_false(mc_str_eq_lit("rsa2", 3 + 1, "rsa"));
	assert_false(mc_str_eq_lit("rs", 2, "rsa"));
	assert_true(mc_str_eq_lit("", 0, ""));
	assert_true(mc_str_ieq_lit("RsA", 3, "rsa"));
	assert_false(mc_str_ieq_lit("rsa", 3, "rsb"));
	assert_false(mc_str_ieq_lit("rsa\0", 4, "rsa"));
	assert_false(mc_str_ieq_lit("r\0a", 3, "rsa"));
}

/* ---- util: base64 ---- */

static const struct {
	const char *name;
	const char *in;
	size_t loose;     /* mc_base64_check, not canonical */
	size_t canonical; /* mc_base64_check, canonical */
	const char *out;  /* decoded when loose is strlen(in) */
	size_t outlen;
} b64_cases[] = {
    {"empty", "", 0, 0, "", 0},
    {"one byte", "Zg==", 4, 4, "f", 1},
    {"two bytes", "Zm8=", 4, 4, "fo", 2},
    {"three bytes", "Zm9v", 4, 4, "foo", 3},
    {"four bytes", "Zm9vYg==", 8, 8, "foob", 4},
    {"every alphabet class", "+/09AZaz", 8, 8, "\xfb\xfd\x3d\x01\x96\xb3", 6},
    {"NUL bytes decoded", "AAA=", 4, 4, "\0\0", 2},
    {"unused bits set, one '='", "Zm9=", 4, 2, "fo", 2},
    {"unused bits set, two '='", "Zh==", 4, 1, "f", 1},
    {"length 3", "Zm9", 0, 0, NULL, 0},
    {"length 5", "Zm9vY", 4, 4, NULL, 0},
    {"'=' inside", "Zm=v", 2, 2, NULL, 0},
    {"three '='", "Z===", 1, 1, NULL, 0},
    {"only '='", "====", 0, 0, NULL, 0},
    {"character outside the alphabet", "Zm9v!A==", 4, 4, NULL, 0},
    {"space", "Z g=", 1, 1, NULL, 0},
    {"URL-safe alphabet is not base64", "Zm-_", 2, 2, NULL, 0},
};

static void test_base64_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(b64_cases); i++) {
		const char *in = b64_cases[i].in;
		size_t n = strlen(in), outlen = 99;
		unsigned char out[16];
		mc_status_t st;

		print_message("case: %s\n", b64_cases[i].name);
		assert_int_equal(mc_base64_check(in, n, false), b64_cases[i].loose);
		assert_int_equal(mc_base64_check(in, n, true), b64_cases[i].canonical);
		memset(out, 'X', sizeof(out));
		st = mc_base64_decode(in, n, out, sizeof(out), &outlen);
		if (b64_cases[i].out) {
			assert_int_equal(st, MC_OK);
			assert_int_equal(outlen, b64_cases[i].outlen);
			assert_memory_equal(out, b64_cases[i].out, outlen);
			assert_int_equal(out[outlen], 'X');
		} else {
			assert_int_equal(st, MC_E_PROTOCOL);
			assert_int_equal(outlen, 0);
			assert_int_equal(out[0], 'X');
		}
	}
}

/* The room is exactly the decoded length: one byte less is MC_E_LIMIT and
 * nothing is written. */
static void test_base64_room(void **state)
{
	unsigned char out[4];
	size_t outlen = 99;

	(void)state;
	memset(out, 'X', sizeof(out));
	assert_int_equal(mc_base64_decode("Zm8=", 4, out, 2, &outlen), MC_OK);
	assert_int_equal(outlen, 2);
	assert_memory_equal(out, "foXX", 4);
	memset(out, 'X', sizeof(out));
	assert_int_equal(mc_base64_decode("Zm9v", 4, out, 2, &outlen), MC_E_LIMIT);
	assert_int_equal(outlen, 0);
	assert_memory_equal(out, "XXXX", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_table),
	    cmocka_unit_test(test_no_limit),
	    cmocka_unit_test(test_small_error_buffer),
	    cmocka_unit_test(test_bad_syntax),
	    cmocka_unit_test(test_version_len),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_trim),
	    cmocka_unit_test(test_items),
	    cmocka_unit_test(test_ascii_classes),
	    cmocka_unit_test(test_quote),
	    cmocka_unit_test(test_eq_lit),
	    cmocka_unit_test(test_base64_table),
	    cmocka_unit_test(test_base64_room),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
