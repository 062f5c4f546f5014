/* Unit tests: the DMARC judgement (report/mc_report_dmarc.h). Discovery
 * facts built by hand in; the "[STATE] text" lines out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/mc_report_dmarc.h"
#include "report_lines.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct auth_case {
	const char *dest; /* NULL: none */
	bool answered, authorized;
} auth_case_t;

typedef struct dmarc_case {
	const char *name;
	mc_dmarc_found_t found;
	bool org_asked, at_org, optional;
	size_t nrecords;
	const char *error, *discarded;
	mc_dmarc_policy_t p, min;
	unsigned pct;
	size_t nrua;
	auth_case_t auth[3];
	mc_state_t unanswered;
	const char *lines;
	int exit_code;
} dmarc_case_t;

#define Q MC_DMARC_POLICY_QUARANTINE
#define R MC_DMARC_POLICY_REJECT
#define N MC_DMARC_POLICY_NONE

static const dmarc_case_t cases[] = {
    {"unanswered_says_nothing_more", MC_DMARC_FOUND_UNANSWERED, .discarded = "ignored",
     .unanswered = MC_STATE_CRITICAL, .lines = "[CRITICAL] DMARC: no answer before the deadline\n",
     .exit_code = 2},
    {"dns_error_is_critical_not_absence", MC_DMARC_FOUND_DNS_ERROR,
     .error = "TXT _dmarc.a.example.test: SERVFAIL",
     .lines = "[CRITICAL] DMARC: TXT _dmarc.a.example.test: SERVFAIL\n", .exit_code = 2},
    {"missing_without_fallback", MC_DMARC_FOUND_NONE,
     .lines = "[CRITICAL] DMARC: no record at _dmarc.a.example.test\n", .exit_code = 2},
    {"missing_with_fallback_names_both", MC_DMARC_FOUND_NONE, .org_asked = true,
     .lines = "[CRITICAL] DMARC: no record at _dmarc.a.example.test nor at "
              "_dmarc.example.test\n",
     .exit_code = 2},
    {"missing_optional_warns", MC_DMARC_FOUND_NONE, .optional = true,
     .lines = "[WARNING] DMARC: no record at _dmarc.a.example.test\n", .exit_code = 1},
    {"several_records", MC_DMARC_FOUND_SEVERAL, .nrecords = 2,
     .lines = "[CRITICAL] DMARC: 2 records at _dmarc.a.example.test; receivers then apply "
              "none (RFC 7489 section 6.6.3)\n",
     .exit_code = 2},
    {"invalid_record", MC_DMARC_FOUND_INVALID, .nrecords = 1, .error = "no p= tag",
     .lines = "[CRITICAL] DMARC: invalid record at _dmarc.a.example.test: no p= tag\n",
     .exit_code = 2},
    {"reject_is_sound", MC_DMARC_FOUND_RECORD, .p = R, .min = Q, .pct = 100, .nrua = 1,
     .lines = "[OK] DMARC: p=reject at _dmarc.a.example.test, 1 report address\n", .exit_code = 0},
    {"discarded_then_org_record", MC_DMARC_FOUND_RECORD, .org_asked = true, .at_org = true,
     .discarded = "v=DMARC1 must come first", .p = Q, .min = Q, .pct = 100, .nrua = 0,
     .lines = "[CRITICAL] DMARC: invalid record at _dmarc.a.example.test, which receivers "
              "discard: v=DMARC1 must come first\n"
              "[OK] DMARC: p=quarantine at _dmarc.example.test, 0 report addresses\n",
     .exit_code = 2},
    {"policy_none_is_weak", MC_DMARC_FOUND_RECORD, .p = N, .min = Q, .pct = 100, .nrua = 2,
     .lines = "[WARNING] DMARC: p=none, weaker than --dmarc-min-policy quarantine (failing "
              "mail is only reported)\n"
              "[OK] DMARC: p=none at _dmarc.a.example.test, 2 report addresses\n",
     .exit_code = 1},
    {"quarantine_under_reject_minimum", MC_DMARC_FOUND_RECORD, .p = Q, .min = R, .pct = 100,
     .lines = "[WARNING] DMARC: p=quarantine, weaker than --dmarc-min-policy reject\n"
              "[OK] DMARC: p=quarantine at _dmarc.a.example.test, 0 report addresses\n",
     .exit_code = 1},
    {"pct_under_100_warns", MC_DMARC_FOUND_RECORD, .p = R, .min = Q, .pct = 50, .nrua = 1,
     .lines = "[WARNING] DMARC: pct=50: the policy applies to 50% of failing mail\n"
              "[OK] DMARC: p=reject, pct below 100 at _dmarc.a.example.test, 1 report "
              "address\n",
     .exit_code = 1},
    /* WARNING outranks UNKNOWN in the exit code, as monitoring-plugins rank them */
    {"report_authorizations", MC_DMARC_FOUND_RECORD, .p = R, .min = Q, .pct = 100, .nrua = 3,
     .auth = {{"rua.test", true, true}, {"norua.test", true, false}, {"slow.test", false, false}},
     .unanswered = MC_STATE_UNKNOWN,
     .lines = "[WARNING] DMARC: reports go to norua.test, outside example.test, which does not "
              "authorize them (no v=DMARC1 at a.example.test._report._dmarc.norua.test, RFC "
              "7489 section 7.1)\n"
              "[UNKNOWN] DMARC: report authorization "
              "a.example.test._report._dmarc.slow.test unanswered before the deadline\n"
              "[OK] DMARC: p=reject at _dmarc.a.example.test, 3 report addresses\n",
     .exit_code = 1},
};

static void run_case(const dmarc_case_t *c)
{
	mc_dmarc_discovery_t *d = calloc(1, sizeof(*d));
	mc_report_dmarc_opts_t o = {c->optional, c->min, c->unanswered};
	mc_result_t *root = mc_result_new("SPF_DKIM");
	report_lines_t out;
	size_t k;

	assert_non_null(d);
	assert_non_null(root);
	d->found = c->found;
	snprintf(d->domain, sizeof(d->domain), "a.example.test");
	snprintf(d->org, sizeof(d->org), "example.test");
	d->answered = true;
	d->org_asked = d->org_answered = c->org_asked;
	snprintf(d->at, sizeof(d->at), "%s", c->at_org ? "example.test" : "a.example.test");
	d->nrecords = c->nrecords;
	snprintf(d->error, sizeof(d->error), "%s", c->error ? c->error : "");
	d->discarded = c->discarded != NULL;
	snprintf(d->discarded_error, sizeof(d->discarded_error), "%s",
	         c->discarded ? c->discarded : "");
	d->rec.p = c->p;
	d->rec.pct = c->pct;
	d->rec.nrua = c->nrua;
	for (k = 0; k < N_OF(c->auth) && c->auth[k].dest; k++) {
		mc_dmarc_auth_t *a = &d->auth[d->nauth++];
		snprintf(a->dest, sizeof(a->dest), "%s", c->auth[k].dest);
		snprintf(a->name, sizeof(a->name), "a.example.test._report._dmarc.%s",
		         c->auth[k].dest);
		a->answered = c->auth[k].answered;
		a->authorized = c->auth[k].authorized;
	}
	mc_report_dmarc(root, d, &o);
	report_lines(root, &out);
	if (strcmp(out.lines, c->lines))
		print_error("case %s:\n got:\n%s want:\n%s", c->name, out.lines, c->lines);
	assert_string_equal(out.lines, c->lines);
	assert_string_equal(out.perf, "");
	assert_int_equal(out.exit_code, c->exit_code);
	report_lines_free(&out);
	mc_result_free(root);
	free(d);
}

static void test_dmarc_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_OF(cases); i++)
		run_case(&cases[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_dmarc_table)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
