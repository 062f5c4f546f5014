/* test_spf_walk.c - the static walk of an SPF tree (mc_spf_walk.h) over a
 * lookup callback backed by a zone table: what it counts, the paths of the
 * 11th term and the 3rd void lookup, the findings below the top, what it
 * reports of the top record, and the same walk with answers released a few
 * at a time in random order (pending until complete, then identical). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "dns/mc_dns.h"
#include "policy/mc_spf_walk.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the zone ---- */

typedef struct zrr {
	const char *name;
	uint16_t type;
	const char *value; /* TXT text, an address, an MX target */
} zrr_t;

#define TXT MC_DNS_T_TXT
#define A MC_DNS_T_A
#define AAAA MC_DNS_T_AAAA
#define MX MC_DNS_T_MX

static const zrr_t zone[] = {
    {"good.test", TXT, "v=spf1 ip4:192.0.2.0/25 include:_spf.good.test -all"},
    {"good.test", TXT, "an unrelated TXT record"},
    {"_spf.good.test", TXT, "v=spf1 ip4:198.51.100.0/24 -all"},
    /* 13 terms; the 11th is l3's a */
    {"toomany.test", TXT, "v=spf1 include:l1.test include:l2.test -all"},
    {"l1.test", TXT, "v=spf1 a mx a:x1.test a:x2.test a:x3.test -all"},
    {"l2.test", TXT, "v=spf1 a mx include:l3.test -all"},
    {"l3.test", TXT, "v=spf1 a mx a:x4.test -all"},
    {"l1.test", A, "192.0.2.1"},
    {"l2.test", A, "192.0.2.2"},
    {"l3.test", AAAA, "2001:db8::3"},
    {"l1.test", MX, "l1.test"},
    {"l2.test", MX, "l2.test"},
    {"l3.test", MX, "l3.test"},
    {"x1.test", A, "192.0.2.11"},
    {"x2.test", A, "192.0.2.12"},
    {"x3.test", A, "192.0.2.13"},
    {"x4.test", A, "192.0.2.14"},
    {"void.test", TXT, "v=spf1 a:nx1.test a:nx2.test a:nx3.test ip4:192.0.2.0/25 -all"},
    {"voidkinds.test", TXT,
     "v=spf1 a:v6only.test mx:nomx.test exists:nx1.test exists:x1.test mx:l1.test -all"},
    {"v6only.test", AAAA, "2001:db8::6"},
    {"nomx.test", A, "192.0.2.20"},
    {"loop.test", TXT, "v=spf1 include:loop2.test -all"},
    {"loop2.test", TXT, "v=spf1 include:LOOP.test. -all"},
    {"self.test", TXT, "v=spf1 a redirect=self.test"},
    {"mx11.test", TXT, "v=spf1 mx a:nx1.test mx:mx12.test -all"},
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
    {"mx10.test", TXT, "v=spf1 mx:mx11.test/24 -all"},
    {"macro.test", TXT,
     "v=spf1 exists:%{ir}.%{l1r+-}._spf.macro.test include:%{d}.other.test a:%{i}.x.test "
     "mx:%{h} redirect=%{d}.r.test"},
    {"redirall.test", TXT, "v=spf1 -all redirect=nx1.test"},
    {"redir.test", TXT, "v=spf1 ip4:192.0.2.1 redirect=good.test"},
    {"redirfirst.test", TXT, "v=spf1 redirect=good.test a:nx1.test"},
    {"incnone.test", TXT, "v=spf1 include:nx1.test include:nospf.test -all"},
    {"nospf.test", TXT, "google-site-verification=abc"},
    {"inctwo.test", TXT, "v=spf1 include:two.test -all"},
    {"two.test", TXT, "v=spf1 -all"},
    {"two.test", TXT, "V=SPF1 +all"},
    {"inctemp.test", TXT, "v=spf1 include:servfail.test include:two.test -all"},
    {"incsyntax.test", TXT, "v=spf1 include:syntax.test -all"},
    {"syntax.test", TXT, "v=spf1 a ip4:192.0.2.1/33"},
    {"ptr.test", TXT, "v=spf1 a:x1.test include:ptrinc.test -all"},
    {"ptrinc.test", TXT, "v=spf1 ptr:ptr.test ptr -all"},
    {"esc.test", TXT, "v=spf1 a:x\\y.test -all"},
    {"x\\\\y.test", A, "192.0.2.30"},
    /* c0 includes c1, ..., c16 includes c17: 16 records on the path */
    {"c0.test", TXT, "v=spf1 include:c1.test"},
    {"c1.test", TXT, "v=spf1 include:c2.test"},
    {"c2.test", TXT, "v=spf1 include:c3.test"},
    {"c3.test", TXT, "v=spf1 include:c4.test"},
    {"c4.test", TXT, "v=spf1 include:c5.test"},
    {"c5.test", TXT, "v=spf1 include:c6.test"},
    {"c6.test", TXT, "v=spf1 include:c7.test"},
    {"c7.test", TXT, "v=spf1 include:c8.test"},
    {"c8.test", TXT, "v=spf1 include:c9.test"},
    {"c9.test", TXT, "v=spf1 include:c10.test"},
    {"c10.test", TXT, "v=spf1 include:c11.test"},
    {"c11.test", TXT, "v=spf1 include:c12.test"},
    {"c12.test", TXT, "v=spf1 include:c13.test"},
    {"c13.test", TXT, "v=spf1 include:c14.test"},
    {"c14.test", TXT, "v=spf1 include:c15.test"},
    {"c15.test", TXT, "v=spf1 include:c16.test"},
    {"c16.test", TXT, "v=spf1 include:c17.test"},
    /* three ways to the next level, ten levels: 3^10 paths */
    {"f0.test", TXT, "v=spf1 include:f1.test include:f1.test include:f1.test -all"},
    {"f1.test", TXT, "v=spf1 include:f2.test include:f2.test include:f2.test -all"},
    {"f2.test", TXT, "v=spf1 include:f3.test include:f3.test include:f3.test -all"},
    {"f3.test", TXT, "v=spf1 include:f4.test include:f4.test include:f4.test -all"},
    {"f4.test", TXT, "v=spf1 include:f5.test include:f5.test include:f5.test -all"},
    {"f5.test", TXT, "v=spf1 include:f6.test include:f6.test include:f6.test -all"},
    {"f6.test", TXT, "v=spf1 include:f7.test include:f7.test include:f7.test -all"},
    {"f7.test", TXT, "v=spf1 include:f8.test include:f8.test include:f8.test -all"},
    {"f8.test", TXT, "v=spf1 include:f9.test include:f9.test include:f9.test -all"},
    {"f9.test", TXT, "v=spf1 a:x1.test -all"},
    {"topsyntax.test", TXT, "v=spf1 ip4:192.0.2.0/25 foo:bar -all"},
    {"toptwo.test", TXT, "v=spf1 -all"},
    {"toptwo.test", TXT, "v=spf1 ip4:192.0.2.0/25 -all"},
};

static const struct {
	const char *name;
	uint16_t type;
	mc_dns_outcome_t outcome;
} zone_errors[] = {
    {"servfail.test", TXT, MC_DNS_SERVFAIL},
    {"topfail.test", TXT, MC_DNS_TIMEOUT},
};

/* Answers built from the zone, kept until the test ends. */
typedef struct built {
	struct built *next;
	mc_dns_answer_t ans;
	mc_dns_rr_t rr[16];
	char name[300];
} built_t;

static built_t *built_list;

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
	char tb[16];
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
			         mc_dns_type_str(type, tb, sizeof(tb)), name,
			         mc_dns_outcome_str(b->ans.outcome));
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
	if (b->ans.n)
		b->ans.outcome = MC_DNS_ANSWER;
	else
		b->ans.outcome = name_known(name) ? MC_DNS_NODATA : MC_DNS_NXDOMAIN;
	if (b->ans.outcome != MC_DNS_ANSWER)
		snprintf(b->ans.error, sizeof(b->ans.error), "%s %s: %s",
		         mc_dns_type_str(type, tb, sizeof(tb)), name,
		         mc_dns_outcome_str(b->ans.outcome));
	return &b->ans;
}

/* The lookup callback: every answer known at once, or (staged) only those
 * released so far; every question logged in the order first asked. */
typedef struct world {
	bool staged;
	struct {
		char name[300];
		uint16_t type;
		bool known;
	} q[256];
	size_t nq;
} world_t;

static const mc_dns_answer_t *world_lookup(void *arg, const char *name, uint16_t type)
{
	world_t *w = arg;
	size_t i;

	for (i = 0; i < w->nq; i++)
		if (w->q[i].type == type && mc_dns_name_eq(w->q[i].name, name))
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
		if (w->q[i].type == type && !strcmp(w->q[i].name, name))
			return true;
	return false;
}

/* ---- the cases ---- */

typedef struct walk_case {
	const char *name; /* what the case proves */
	const char *domain;
	unsigned lookups, voids, depth;
	const char *over_path, *void_path, *finding, *ptr_path; /* exact; NULL: "" */
	size_t nrecords;
	bool parsed;
	const char *parse_error; /* a substring; NULL: "" */
	mc_dns_outcome_t top;
	bool truncated;
	size_t questions; /* asked, or 0 to skip */
} walk_case_t;

static const walk_case_t cases[] = {
    {"one_include_counted_other_txt_ignored", "good.test", 1, 0, 1, NULL, NULL, NULL, NULL, 1, true,
     NULL, MC_DNS_ANSWER, false, 2},
    {"eleventh_term_names_its_path", "toomany.test", 13, 0, 2,
     "toomany.test > include:l2.test > include:l3.test > a", NULL, NULL, NULL, 1, true, NULL,
     MC_DNS_ANSWER, false, 0},
    {"third_void_names_its_path", "void.test", 3, 3, 0, NULL, "void.test > a:nx3.test", NULL, NULL,
     1, true, NULL, MC_DNS_ANSWER, false, 7},
    /* a with only AAAA is not void, mx with no MX is, exists with
     * NXDOMAIN is, exists with an address and mx with names are not */
    {"void_needs_no_a_and_no_aaaa", "voidkinds.test", 5, 2, 0, NULL, NULL, NULL, NULL, 1, true,
     NULL, MC_DNS_ANSWER, false, 7},
    {"include_loop_is_a_finding", "loop.test", 2, 0, 1, NULL, NULL,
     "loop.test > include:loop2.test > include:LOOP.test.: a loop (RFC 7208 section 4.6.4)", NULL,
     1, true, NULL, MC_DNS_ANSWER, false, 2},
    {"redirect_to_itself_is_a_loop", "self.test", 2, 1, 0, NULL, NULL,
     "self.test > redirect=self.test: a loop (RFC 7208 section 4.6.4)", NULL, 1, true, NULL,
     MC_DNS_ANSWER, false, 3},
    {"mx_of_11_names_is_a_finding", "mx11.test", 3, 2, 0, NULL, NULL,
     "mx11.test > mx: 11 MX names, over the limit of 10 (RFC 7208 section 4.6.4)", NULL, 1, true,
     NULL, MC_DNS_ANSWER, false, 0},
    {"mx_finding_names_the_term", "mx10.test", 1, 0, 0, NULL, NULL,
     "mx10.test > mx:mx11.test/24: 11 MX names, over the limit of 10 (RFC 7208 section "
     "4.6.4)",
     NULL, 1, true, NULL, MC_DNS_ANSWER, false, 2},
    {"macro_targets_counted_not_looked_up", "macro.test", 5, 0, 0, NULL, NULL, NULL, NULL, 1, true,
     NULL, MC_DNS_ANSWER, false, 1},
    {"redirect_ignored_beside_all", "redirall.test", 0, 0, 0, NULL, NULL, NULL, NULL, 1, true, NULL,
     MC_DNS_ANSWER, false, 1},
    {"redirect_followed_without_all", "redir.test", 2, 0, 2, NULL, NULL, NULL, NULL, 1, true, NULL,
     MC_DNS_ANSWER, false, 3},
    {"redirect_walked_where_it_stands", "redirfirst.test", 3, 1, 2, NULL, NULL, NULL, NULL, 1, true,
     NULL, MC_DNS_ANSWER, false, 5},
    {"include_without_record_first_finding_kept", "incnone.test", 2, 0, 1, NULL, NULL,
     "incnone.test > include:nx1.test: no SPF record (permerror)", NULL, 1, true, NULL,
     MC_DNS_ANSWER, false, 3},
    {"include_of_two_records", "inctwo.test", 1, 0, 1, NULL, NULL,
     "inctwo.test > include:two.test: several SPF records (permerror)", NULL, 1, true, NULL,
     MC_DNS_ANSWER, false, 2},
    {"include_dns_error_is_its_error_line", "inctemp.test", 2, 0, 1, NULL, NULL,
     "inctemp.test > include:servfail.test: TXT servfail.test: SERVFAIL", NULL, 1, true, NULL,
     MC_DNS_ANSWER, false, 3},
    {"include_syntax_error", "incsyntax.test", 1, 0, 1, NULL, NULL,
     "incsyntax.test > include:syntax.test: term 2 'ip4:192.0.2.1/33' at offset 9: CIDR "
     "length 33 is over 32",
     NULL, 1, true, NULL, MC_DNS_ANSWER, false, 2},
    {"first_ptr_named_not_looked_up", "ptr.test", 4, 0, 1, NULL, NULL, NULL,
     "ptr.test > include:ptrinc.test > ptr:ptr.test", 1, true, NULL, MC_DNS_ANSWER, false, 4},
    {"backslash_asked_escaped", "esc.test", 1, 0, 0, NULL, NULL, NULL, NULL, 1, true, NULL,
     MC_DNS_ANSWER, false, 3},
    {"sixteen_records_deep_at_most", "c0.test", 16, 0, 15,
     "c0.test > include:c1.test > include:c2.test > include:c3.test > include:c4.test > "
     "include:c5.test > include:c6.test > include:c7.test > include:c8.test > include:c9.test "
     "> include:c10.test > include:c11.test",
     NULL, NULL, NULL, 1, true, NULL, MC_DNS_ANSWER, false, 16},
    {"stops_at_100_terms", "f0.test", MC_SPF_WALK_MAX_LOOKUPS, 0, 9,
     "f0.test > include:f1.test > include:f2.test > include:f3.test > include:f4.test > "
     "include:f5.test > include:f6.test > include:f7.test > include:f8.test > include:f9.test",
     NULL, NULL, NULL, 1, true, NULL, MC_DNS_ANSWER, true, 0},
    {"top_no_spf_record", "nospf.test", 0, 0, 0, NULL, NULL, NULL, NULL, 0, false, NULL,
     MC_DNS_ANSWER, false, 1},
    {"top_two_records", "toptwo.test", 0, 0, 0, NULL, NULL, NULL, NULL, 2, false, NULL,
     MC_DNS_ANSWER, false, 1},
    {"top_syntax_error", "topsyntax.test", 0, 0, 0, NULL, NULL, NULL, NULL, 1, false, "'foo:bar'",
     MC_DNS_ANSWER, false, 1},
    {"top_nxdomain", "nx1.test", 0, 0, 0, NULL, NULL, NULL, NULL, 0, false, NULL, MC_DNS_NXDOMAIN,
     false, 1},
    {"top_timeout", "topfail.test", 0, 0, 0, NULL, NULL, NULL, NULL, 0, false, NULL, MC_DNS_TIMEOUT,
     false, 1},
};

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void check_case(const walk_case_t *c, const mc_spf_walk_t *w)
{
	print_message("case: %s\n", c->name);
	assert_false(w->pending);
	assert_int_equal(w->lookups, c->lookups);
	assert_int_equal(w->voids, c->voids);
	assert_int_equal(w->depth, c->depth);
	assert_string_equal(w->over_path, or_empty(c->over_path));
	assert_string_equal(w->void_path, or_empty(c->void_path));
	assert_string_equal(w->finding, or_empty(c->finding));
	assert_string_equal(w->ptr_path, or_empty(c->ptr_path));
	assert_non_null(w->top);
	assert_int_equal(w->top->outcome, c->top);
	assert_int_equal(w->nrecords, c->nrecords);
	assert_int_equal(w->parsed, c->parsed);
	assert_int_equal(w->truncated, c->truncated);
	if (c->parse_error)
		assert_non_null(strstr(w->parse_error, c->parse_error));
	else
		assert_string_equal(w->parse_error, "");
	if (c->parsed) {
		assert_true(w->rec.nterms > 0);
		assert_int_equal(w->bytes, w->top->rrs[0]->len);
	}
}

static void test_walk_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_OF(cases); i++) {
		world_t *w = calloc(1, sizeof(*w));
		mc_spf_walk_t walk;
		assert_non_null(w);
		mc_spf_walk(cases[i].domain, world_lookup, w, &walk);
		check_case(&cases[i], &walk);
		if (cases[i].questions)
			assert_int_equal(w->nq, cases[i].questions);
		mc_spf_walk_free(&walk);
		mc_spf_walk_free(&walk); /* twice: harmless */
		free(w);
		built_free();
	}
}

/* What was asked: both families for a, nothing for a macro target or ptr,
 * a backslash escaped as mc_dns_query reads it. */
static void test_walk_questions(void **state)
{
	world_t *w = calloc(1, sizeof(*w));
	mc_spf_walk_t walk;

	(void)state;
	assert_non_null(w);
	mc_spf_walk("void.test", world_lookup, w, &walk);
	assert_true(world_asked(w, "nx1.test", A));
	assert_true(world_asked(w, "nx1.test", AAAA));
	mc_spf_walk_free(&walk);
	memset(w, 0, sizeof(*w));
	mc_spf_walk("esc.test", world_lookup, w, &walk);
	assert_true(world_asked(w, "x\\\\y.test", A));
	assert_int_equal(walk.voids, 0);
	mc_spf_walk_free(&walk);
	memset(w, 0, sizeof(*w));
	mc_spf_walk("ptr.test", world_lookup, w, &walk);
	assert_false(world_asked(w, "ptr.test", A));
	mc_spf_walk_free(&walk);
	free(w);
	built_free();
}

static size_t release_some(world_t *w)
{
	size_t i, n = 0;

	while (!n) {
		for (i = 0; i < w->nq; i++) {
			if (!w->q[i].known && rand() % 3 == 0) {
				w->q[i].known = true;
				n++;
			}
		}
	}
	return n;
}

/* Every case with answers released a few at a time in random order, the
 * walk run again from the start each time: pending (with counts never
 * above the final ones) until every answer it needs is known, then the
 * same walk as with all answers known at once. */
static void test_walk_replayed(void **state)
{
	unsigned seed;
	size_t i;

	(void)state;
	srand(7208);
	for (seed = 0; seed < 6; seed++) {
		for (i = 0; i < N_OF(cases); i++) {
			const walk_case_t *c = &cases[i];
			world_t *w = calloc(1, sizeof(*w));
			mc_spf_walk_t walk;
			unsigned rounds = 0;

			assert_non_null(w);
			w->staged = true;
			mc_spf_walk(c->domain, world_lookup, w, &walk);
			assert_true(walk.pending);
			assert_null(walk.top);
			assert_int_equal(w->nq, 1);
			while (walk.pending) {
				assert_true(walk.lookups <= c->lookups);
				assert_true(walk.voids <= c->voids);
				assert_true(++rounds < 200);
				release_some(w);
				mc_spf_walk_free(&walk);
				mc_spf_walk(c->domain, world_lookup, w, &walk);
			}
			check_case(c, &walk);
			mc_spf_walk_free(&walk);
			free(w);
			built_free();
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walk_table),
	    cmocka_unit_test(test_walk_questions),
	    cmocka_unit_test(test_walk_replayed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
