/* Unit tests: the SPF judgement (report/mc_report_spf.h). Facts built by
 * hand (the walk of the tree, check_host results) in; the "[STATE] text"
 * lines and the perfdata out, as the classic output prints them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/mc_report_spf.h"
#include "report_lines.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

enum { TOP_NONE = 0, TOP_ANSWER, TOP_NODATA, TOP_NXDOMAIN, TOP_SERVFAIL };

typedef struct eval_case {
	const char *ip; /* NULL: no evaluation */
	bool want_pass, done;
	mc_spf_res_t result;
	const char *term, *reason, *explanation; /* explanation NULL: not explained */
} eval_case_t;

typedef struct spf_case {
	const char *name;
	int top;
	size_t nrecords;
	bool parsed;
	const char *terms; /* "-all redirect a": terms of the top record */
	size_t bytes;
	const char *parse_error, *ptr_path, *finding, *over_path, *void_path;
	unsigned lookups, voids, depth;
	bool truncated, walk_final;
	eval_case_t ev[2];
	mc_state_t unanswered;
	const char *lines, *perf;
	int exit_code;
} spf_case_t;

#define PERF0 "'spf_lookups'=0;8;10 'spf_void_lookups'=0 'spf_bytes'=20B 'spf_depth'=0"
#define OK_TERMS "[OK] SPF: 0 DNS-querying terms of 10, 0 void lookups\n"

static const spf_case_t cases[] = {
    {"no_answer_is_the_unanswered_state", TOP_NONE, .unanswered = MC_STATE_CRITICAL,
     .lines = "[CRITICAL] SPF: TXT example.test: no answer before the deadline\n", .perf = "",
     .exit_code = 2},
    {"nxdomain_is_critical", TOP_NXDOMAIN,
     .lines = "[CRITICAL] SPF: example.test does not exist (NXDOMAIN)\n", .perf = "",
     .exit_code = 2},
    {"dns_error_names_the_error_line", TOP_SERVFAIL,
     .lines = "[CRITICAL] SPF cannot be evaluated: TXT example.test: SERVFAIL\n", .perf = "",
     .exit_code = 2},
    {"no_data_is_no_record", TOP_NODATA,
     .lines = "[CRITICAL] SPF: no v=spf1 record at example.test\n", .perf = "", .exit_code = 2},
    {"two_records_are_a_permerror", TOP_ANSWER, 2,
     .lines = "[CRITICAL] SPF: 2 v=spf1 records at example.test, a permerror (RFC 7208 "
              "section 4.5)\n",
     .perf = "", .exit_code = 2},
    {"syntax_error", TOP_ANSWER, 1, false, .parse_error = "term 2 'foo:bar': unknown",
     .lines = "[CRITICAL] SPF syntax: term 2 'foo:bar': unknown\n", .perf = "", .exit_code = 2},
    {"fail_all_is_sound", TOP_ANSWER, 1, true, "ip4 -all", 20, .walk_final = true,
     .lines = OK_TERMS, .perf = PERF0, .exit_code = 0},
    {"softfail_all_alone_is_no_record_finding", TOP_ANSWER, 1, true, "~all", 20, .walk_final = true,
     .lines = OK_TERMS, .perf = PERF0, .exit_code = 0},
    {"plus_all_is_critical", TOP_ANSWER, 1, true, "+all", 20, .walk_final = true,
     .lines = "[CRITICAL] SPF: +all: any host may send as this domain\n" OK_TERMS, .perf = PERF0,
     .exit_code = 2},
    {"first_all_decides", TOP_ANSWER, 1, true, "?all +all", 20, .walk_final = true,
     .lines = "[WARNING] SPF: ?all: mail from any other host is neutral, not rejected\n" OK_TERMS,
     .perf = PERF0, .exit_code = 1},
    {"no_all_no_redirect_is_neutral", TOP_ANSWER, 1, true, "a", 20, .walk_final = true,
     .lines = "[WARNING] SPF: no all and no redirect: mail from any other host is "
              "neutral\n" OK_TERMS,
     .perf = PERF0, .exit_code = 1},
    {"redirect_without_all_is_fine", TOP_ANSWER, 1, true, "a redirect", 20, .walk_final = true,
     .lines = OK_TERMS, .perf = PERF0, .exit_code = 0},
    {"long_record_and_ptr_warn", TOP_ANSWER, 1, true, "-all", 451, .ptr_path = "example.test > ptr",
     .walk_final = true,
     .lines = "[WARNING] SPF: the record is 451 bytes, over 450 (RFC 7208 section 3.4: it may "
              "not fit a UDP answer)\n"
              "[WARNING] SPF: example.test > ptr uses ptr, which RFC 7208 section 5.5 says not "
              "to use\n" OK_TERMS,
     .perf = "'spf_lookups'=0;8;10 'spf_void_lookups'=0 'spf_bytes'=451B 'spf_depth'=0",
     .exit_code = 1},
    {"450_bytes_is_not_over", TOP_ANSWER, 1, true, "-all", 450, .walk_final = true,
     .lines = OK_TERMS,
     .perf = "'spf_lookups'=0;8;10 'spf_void_lookups'=0 'spf_bytes'=450B 'spf_depth'=0",
     .exit_code = 0},
    {"tree_cut_by_deadline_and_finding", TOP_ANSWER, 1, true, "-all", 20,
     .finding = "example.test > include:b.test: no SPF record (permerror)", .lookups = 1,
     .voids = 1, .depth = 1, .walk_final = false, .unanswered = MC_STATE_WARNING,
     .lines = "[WARNING] SPF: the include tree was not fetched before the deadline\n"
              "[CRITICAL] SPF: example.test > include:b.test: no SPF record (permerror)\n"
              "[OK] SPF: 1 DNS-querying term of 10, 1 void lookup\n",
     .perf = "'spf_lookups'=1;8;10 'spf_void_lookups'=1 'spf_bytes'=20B 'spf_depth'=1",
     .exit_code = 2},
    {"lookups_over_warning_threshold", TOP_ANSWER, 1, true, "-all", 20, .lookups = 9, .voids = 2,
     .depth = 3, .walk_final = true,
     .lines = "[WARNING] SPF: 9 DNS-querying terms of 10, 2 void lookups\n",
     .perf = "'spf_lookups'=9;8;10 'spf_void_lookups'=2 'spf_bytes'=20B 'spf_depth'=3",
     .exit_code = 1},
    {"lookups_over_the_limit", TOP_ANSWER, 1, true, "-all", 20, .lookups = 13, .voids = 3,
     .over_path = "example.test > include:l2.test > a", .void_path = "example.test > a:nx3.test",
     .walk_final = true,
     .lines = "[CRITICAL] SPF: 13 DNS-querying terms, over the limit of 10 at example.test > "
              "include:l2.test > a (a permerror for every receiver that gets that far)\n"
              "[CRITICAL] SPF: 3 void lookups, over the limit of 2 at example.test > "
              "a:nx3.test\n",
     .perf = "'spf_lookups'=13;8;10 'spf_void_lookups'=3 'spf_bytes'=20B 'spf_depth'=0",
     .exit_code = 2},
    {"truncated_walk_is_a_lower_bound", TOP_ANSWER, 1, true, "-all", 20, .lookups = 100,
     .truncated = true, .over_path = "example.test > include:x.test", .walk_final = true,
     .lines = "[CRITICAL] SPF: at least 100 DNS-querying terms, over the limit of 10 at "
              "example.test > include:x.test (a permerror for every receiver that gets that "
              "far)\n",
     .perf = "'spf_lookups'=100;8;10 'spf_void_lookups'=0 'spf_bytes'=20B 'spf_depth'=0",
     .exit_code = 2},
    {"own_sender_pass_and_forger_fail", TOP_ANSWER, 1, true, "-all", 20, .walk_final = true,
     .ev = {{"192.0.2.10", true, true, MC_SPF_PASS, "ip4:192.0.2.0/25", "", NULL},
            {"192.0.2.254", false, true, MC_SPF_FAIL, "-all", "", NULL}},
     .lines = OK_TERMS "[OK] SPF for 192.0.2.10: pass (ip4:192.0.2.0/25)\n"
                       "[OK] SPF for 192.0.2.254: fail (-all)\n",
     .perf = PERF0, .exit_code = 0},
    {"forger_fail_explained", TOP_ANSWER, 1, true, "-all", 20, .walk_final = true,
     .ev = {{"192.0.2.254", false, true, MC_SPF_FAIL, "-all", "", "not ours"}},
     .lines = OK_TERMS "[OK] SPF for 192.0.2.254: fail (-all), explained: not ours\n",
     .perf = PERF0, .exit_code = 0},
    {"own_sender_rejected", TOP_ANSWER, 1, true, "-all", 20, .walk_final = true,
     .ev = {{"203.0.113.9", true, true, MC_SPF_FAIL, "-all", "", NULL},
            {"2001:db8::1", true, true, MC_SPF_NEUTRAL, "", "", NULL}},
     .lines = OK_TERMS "[CRITICAL] SPF for 203.0.113.9: fail (-all), must be pass: the "
                       "domain's own mail would be rejected\n"
                       "[CRITICAL] SPF for 2001:db8::1: neutral (no mechanism matched), must "
                       "be pass: the domain's own mail would be rejected\n",
     .perf = PERF0, .exit_code = 2},
    {"forger_softfail_warns_neutral_accepts", TOP_ANSWER, 1, true, "-all", 20, .walk_final = true,
     .ev = {{"192.0.2.254", false, true, MC_SPF_SOFTFAIL, "~all", "", NULL},
            {"192.0.2.253", false, true, MC_SPF_NEUTRAL, "?all", "", NULL}},
     .lines = OK_TERMS "[WARNING] SPF for 192.0.2.254: softfail (~all): forged mail is only "
                       "marked, not rejected\n"
                       "[CRITICAL] SPF for 192.0.2.253: neutral (?all): forged mail from "
                       "192.0.2.253 would be accepted\n",
     .perf = PERF0, .exit_code = 2},
    {"errors_and_deadline_in_evaluations", TOP_ANSWER, 1, true, "-all", 20, .walk_final = true,
     .ev = {{"192.0.2.10", true, true, MC_SPF_TEMPERROR, "include:t.test", "TXT t.test: SERVFAIL",
             NULL},
            {"192.0.2.254", false, false, MC_SPF_TEMPERROR, "", "no answer yet: TXT a.test", NULL}},
     .unanswered = MC_STATE_UNKNOWN,
     .lines = OK_TERMS "[CRITICAL] SPF cannot be evaluated for 192.0.2.10: temperror (TXT "
                       "t.test: SERVFAIL)\n"
                       "[UNKNOWN] SPF for 192.0.2.254: not evaluated before the deadline (no "
                       "answer yet: TXT a.test)\n",
     .perf = PERF0, .exit_code = 2},
    {"permerror_in_evaluation", TOP_ANSWER, 1, false, .parse_error = "bad",
     .ev = {{"192.0.2.254", false, true, MC_SPF_PERMERROR, "", "term 1: bad", NULL}},
     .lines = "[CRITICAL] SPF syntax: bad\n"
              "[CRITICAL] SPF cannot be evaluated for 192.0.2.254: permerror (term 1: bad)\n",
     .perf = "", .exit_code = 2},
};

/* The terms of "-all redirect a" by hand. */
static size_t make_terms(const char *spec, mc_spf_term_t *t, size_t max)
{
	const char *p = spec ? spec : "";
	size_t n = 0, len;

	for (; *p && n < max; p += len + (p[len] == ' '), n++) {
		len = strcspn(p, " ");
		memset(&t[n], 0, sizeof(t[n]));
		if (!strncmp(p, "redirect", len)) {
			t[n].kind = MC_SPF_T_REDIRECT;
		} else if (len == 4 && !strncmp(p + 1, "all", 3)) {
			t[n].kind = MC_SPF_T_ALL;
			t[n].qualifier = p[0];
		} else {
			t[n].kind = len == 1 && p[0] == 'a' ? MC_SPF_T_A : MC_SPF_T_IP4;
			t[n].qualifier = '+';
		}
	}
	return n;
}

static void set_text(char *dst, size_t dstsz, const char *src)
{
	snprintf(dst, dstsz, "%s", src ? src : "");
}

static void run_case(const spf_case_t *c)
{
	mc_dns_answer_t top;
	mc_spf_walk_t w;
	mc_spf_term_t terms[8];
	mc_spf_result_t res[2];
	mc_report_spf_eval_t ev[2];
	mc_report_spf_facts_t f = {"example.test", &w, c->walk_final, ev, 0};
	mc_report_spf_opts_t o = {.unanswered = c->unanswered};
	mc_result_t *root = mc_result_new("SPF_DKIM");
	report_lines_t out;
	size_t k;

	assert_non_null(root);
	assert_int_equal(mc_range_parse("8", &o.lookups.warn), MC_OK);
	assert_int_equal(mc_range_parse("10", &o.lookups.crit), MC_OK);
	o.lookups.has_warn = o.lookups.has_crit = true;
	memset(&top, 0, sizeof(top));
	memset(&w, 0, sizeof(w));
	static const mc_dns_outcome_t outcomes[] = {MC_DNS_ANSWER, MC_DNS_ANSWER, MC_DNS_NODATA,
	                                            MC_DNS_NXDOMAIN, MC_DNS_SERVFAIL};
	top.outcome = outcomes[c->top];
	snprintf(top.error, sizeof(top.error), "TXT example.test: SERVFAIL");
	w.top = c->top == TOP_NONE ? NULL : &top;
	w.nrecords = c->nrecords;
	w.parsed = c->parsed;
	w.rec.terms = terms;
	w.rec.nterms = make_terms(c->terms, terms, N_OF(terms));
	w.bytes = c->bytes;
	set_text(w.parse_error, sizeof(w.parse_error), c->parse_error);
	set_text(w.ptr_path, sizeof(w.ptr_path), c->ptr_path);
	set_text(w.finding, sizeof(w.finding), c->finding);
	set_text(w.over_path, sizeof(w.over_path), c->over_path);
	set_text(w.void_path, sizeof(w.void_path), c->void_path);
	w.lookups = c->lookups;
	w.voids = c->voids;
	w.depth = c->depth;
	w.truncated = c->truncated;
	for (k = 0; k < N_OF(c->ev) && c->ev[k].ip; k++) {
		const eval_case_t *e = &c->ev[k];
		memset(&res[k], 0, sizeof(res[k]));
		res[k].result = e->result;
		set_text(res[k].term, sizeof(res[k].term), e->term);
		set_text(res[k].reason, sizeof(res[k].reason), e->reason);
		res[k].explained = e->explanation != NULL;
		set_text(res[k].explanation, sizeof(res[k].explanation), e->explanation);
		ev[k] = (mc_report_spf_eval_t){e->ip, e->want_pass, e->done, &res[k]};
	}
	f.nevals = k;
	mc_report_spf(root, &f, &o);
	report_lines(root, &out);
	if (strcmp(out.lines, c->lines) || strcmp(out.perf, c->perf))
		print_error("case %s:\n got lines:\n%s want:\n%s got perf: %s\n want: %s\n",
		            c->name, out.lines, c->lines, out.perf, c->perf);
	assert_string_equal(out.lines, c->lines);
	assert_string_equal(out.perf, c->perf);
	assert_int_equal(out.exit_code, c->exit_code);
	report_lines_free(&out);
	mc_result_free(root);
}

static void test_spf_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_OF(cases); i++)
		run_case(&cases[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_spf_table)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
