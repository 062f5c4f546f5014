/* Unit tests: the MTA-STS and TLS-RPT judgement (report/mc_report_sts):
 * the _mta-sts record, the policy fetch and the policy (RFC 8461), the
 * TLS-RPT record (RFC 8460). */
#include "report_facts.h"

#include "report/mc_report_sts.h"

static const char *const mx[] = {"mx1.d.test", "mx2.other.test"};
static mc_https_result_t fetch;
static char body[256];

typedef struct sts_case {
	const char *name;
	const char *txt;  /* the _mta-sts TXT record, NULL: none (NODATA) */
	int fetch;        /* 0 done, 1 resolve failed, 2 unfinished, 3 fetch failed */
	int status;       /* HTTP status */
	const char *type; /* content type */
	const char *policy;
	const char *lines, *ok;
} sts_case_t;

#define GOOD_TXT "v=STSv1; id=20260101"
#define ENFORCE "version: STSv1\r\nmode: enforce\r\nmx: *.d.test\r\nmax_age: 604800\r\n"

static const sts_case_t cases[] = {
    {"enforce, but one MX not covered", GOOD_TXT, 0, 200, "text/plain", ENFORCE,
     "[CRITICAL] MTA-STS: id 20260101, mode enforce, max_age 604800, 1 mx pattern\n"
     "  [CRITICAL] MX mx2.other.test matches no mx pattern of the policy: senders that enforce "
     "it will not deliver to it\n",
     "MTA-STS enforce"},
    {"testing, short max_age, wrong media type", GOOD_TXT, 0, 200, "",
     "version: STSv1\nmode: testing\nmx: *.d.test\nmx: *.other.test\nmax_age: 3600\n",
     "[WARNING] MTA-STS: id 20260101, mode testing, max_age 3600, 2 mx patterns\n"
     "  [WARNING] policy served as 'no media type', not text/plain (RFC 8461 section 3.2)\n"
     "  [WARNING] mode testing: MTA-STS is not enforced\n"
     "  [WARNING] max_age 3600 s is under one day (RFC 8461 section 3.2 suggests weeks)\n",
     ""},
    {"no _mta-sts record", NULL, 0, 200, "text/plain", ENFORCE,
     "[CRITICAL] MTA-STS: no v=STSv1 record at _mta-sts.d.test\n", ""},
    {"invalid record", "v=STSv1; id=!", 0, 200, "text/plain", ENFORCE,
     "[CRITICAL] MTA-STS: invalid _mta-sts record: id '!' is not 1-32 letters and digits\n", ""},
    {"policy host does not resolve", GOOD_TXT, 1, 0, "", "",
     "[CRITICAL] MTA-STS: policy host: no such host\n", ""},
    {"fetch unfinished at the deadline", GOOD_TXT, 2, 0, "", "",
     "[UNKNOWN] MTA-STS: policy fetch from mta-sts.d.test unfinished before the deadline\n", ""},
    {"fetch failed", GOOD_TXT, 3, 0, "", "",
     "[CRITICAL] MTA-STS: policy fetch failed: certificate verify failed\n", ""},
    {"redirect not followed", GOOD_TXT, 0, 301, "text/plain", "",
     "[CRITICAL] MTA-STS: policy fetch answered HTTP 301 Moved (redirects are not followed, RFC "
     "8461 section 3.3) to https://elsewhere.test/\n",
     ""},
    {"404", GOOD_TXT, 0, 404, "text/plain", "",
     "[CRITICAL] MTA-STS: policy fetch answered HTTP 404 Moved\n", ""},
    {"invalid policy", GOOD_TXT, 0, 200, "text/plain", "mode: enforce\n",
     "[CRITICAL] MTA-STS: invalid policy: ", ""},
};

static void test_sts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const sts_case_t *c = &cases[i];
		mc_report_sts_facts_t f = {.domain = "d.test", .mx = mx, .nmx = 2, .fetch = &fetch};
		mc_report_opts_t o = {MC_STATE_UNKNOWN, 0};
		mc_report_okline_t ok;
		mc_result_t *root = mc_result_new("T");
		report_lines_t r;
		fake_reset();
		memset(&ok, 0, sizeof(ok));
		memset(&fetch, 0, sizeof(fetch));
		f.txt = asked(c->txt ? fake_txt(c->txt) : fake(MC_DNS_NODATA, ""));
		f.resolved = c->fetch != 2;
		f.fetch_started = c->fetch != 1;
		f.fetch_done = c->fetch != 2;
		f.resolve_error = "no such host";
		fetch.base.status = c->fetch == 3 ? MC_E_TLS : MC_OK;
		snprintf(fetch.base.error, sizeof(fetch.base.error), "certificate verify failed");
		fetch.reply.status = c->status;
		snprintf(fetch.reply.reason, sizeof(fetch.reply.reason), "Moved");
		snprintf(fetch.reply.content_type, sizeof(fetch.reply.content_type), "%s", c->type);
		if (c->status == 301)
			snprintf(fetch.reply.location, sizeof(fetch.reply.location),
			         "https://elsewhere.test/");
		snprintf(body, sizeof(body), "%s", c->policy);
		fetch.reply.body.data = body;
		fetch.reply.body.len = strlen(body);
		mc_report_sts(&f, &o, root, &ok);
		print_message("case: %s\n", c->name);
		report_lines(root, &r);
		/* an invalid policy: the parser's words follow */
		assert_memory_equal(r.lines, c->lines, strlen(c->lines));
		if (i + 1 < sizeof(cases) / sizeof(cases[0]))
			assert_string_equal(r.lines, c->lines);
		report_lines_free(&r);
		mc_result_free(root);
		assert_string_equal(ok.text, c->ok);
	}
}

static void test_sts_txt_failures(void **state)
{
	mc_report_sts_facts_t f = {.domain = "d.test", .mx = mx, .nmx = 2, .fetch = &fetch};
	mc_report_opts_t o = {MC_STATE_WARNING, 0};
	mc_report_okline_t ok = {""};
	mc_result_t *root = mc_result_new("T");
	mc_dns_answer_t *two;
	mc_dns_rr_t *rr;

	(void)state;
	fake_reset();
	f.txt.asked = f.txt.unaskable = true;
	mc_report_sts(&f, &o, root, &ok);
	check_lines("not askable", root,
	            "[CRITICAL] MTA-STS: not asked: the name is longer than DNS allows, or out of "
	            "memory\n",
	            "");
	root = mc_result_new("T");
	f.txt = asked(NULL);
	mc_report_sts(&f, &o, root, &ok);
	check_lines("unanswered: the timeout state", root,
	            "[WARNING] MTA-STS: no answer before the deadline\n", "");
	root = mc_result_new("T");
	two = fake_txt(GOOD_TXT);
	rr = fake_rr(two, MC_DNS_T_TXT, NULL);
	rr->data = (const uint8_t *)"v=STSv1; id=2";
	rr->len = 13;
	f.txt = asked(two);
	mc_report_sts(&f, &o, root, &ok);
	check_lines("two records", root,
	            "[CRITICAL] MTA-STS: 2 records at _mta-sts.d.test; RFC 8461 section 3.1 wants "
	            "exactly one\n",
	            "");
}

typedef struct rpt_case {
	const char *name;
	const char *txt, *txt2; /* NULL: NODATA / no second record */
	bool for_sts;
	const char *lines;
} rpt_case_t;

static const rpt_case_t rpt_cases[] = {
    {"one reporting address", "v=TLSRPTv1; rua=mailto:r@d.test", NULL, true,
     "[OK] TLS-RPT: reports to mailto:r@d.test\n"},
    {"two addresses", "v=TLSRPTv1; rua=mailto:r@d.test,https://r.d.test/x", NULL, true,
     "[OK] TLS-RPT: reports to mailto:r@d.test and more\n"},
    {"none, for MTA-STS", NULL, NULL, true,
     "[WARNING] TLS-RPT: no record at _smtp._tls.d.test: TLS failures of MTA-STS will go "
     "unreported (RFC 8460)\n"},
    {"none, for DANE", NULL, NULL, false,
     "[WARNING] TLS-RPT: no record at _smtp._tls.d.test: TLS failures of DANE will go "
     "unreported (RFC 8460)\n"},
    {"two records", "v=TLSRPTv1; rua=mailto:a@d.test", "v=TLSRPTv1; rua=mailto:b@d.test", true,
     "[WARNING] TLS-RPT: 2 records at _smtp._tls.d.test; RFC 8460 section 3 wants one\n"},
    {"invalid record", "v=TLSRPTv1; rua=ftp://x", NULL, true,
     "[WARNING] TLS-RPT: invalid record: "},
};

static void test_tlsrpt(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rpt_cases) / sizeof(rpt_cases[0]); i++) {
		const rpt_case_t *c = &rpt_cases[i];
		mc_report_tlsrpt_facts_t f = {.domain = "d.test", .for_sts = c->for_sts};
		mc_report_opts_t o = {MC_STATE_UNKNOWN, 0};
		mc_result_t *root = mc_result_new("T");
		mc_dns_answer_t *a;
		report_lines_t r;
		fake_reset();
		a = c->txt ? fake_txt(c->txt) : fake(MC_DNS_NXDOMAIN, "");
		if (c->txt2) {
			mc_dns_rr_t *rr = fake_rr(a, MC_DNS_T_TXT, NULL);
			rr->data = (const uint8_t *)c->txt2;
			rr->len = strlen(c->txt2);
		}
		f.txt = asked(a);
		mc_report_tlsrpt(&f, &o, root);
		print_message("case: %s\n", c->name);
		report_lines(root, &r);
		assert_memory_equal(r.lines, c->lines, strlen(c->lines));
		report_lines_free(&r);
		mc_result_free(root);
	}
}

static void test_tlsrpt_not_asked_or_failed(void **state)
{
	mc_report_tlsrpt_facts_t f = {.domain = "d.test"};
	mc_report_opts_t o = {MC_STATE_UNKNOWN, 0};
	mc_result_t *root = mc_result_new("T");

	(void)state;
	fake_reset();
	mc_report_tlsrpt(&f, &o, root);
	check_lines("not asked: no line", root, "", "");
	root = mc_result_new("T");
	f.txt = asked(fake(MC_DNS_SERVFAIL, "TXT _smtp._tls.d.test: SERVFAIL"));
	mc_report_tlsrpt(&f, &o, root);
	check_lines("SERVFAIL", root, "[CRITICAL] TLS-RPT: TXT _smtp._tls.d.test: SERVFAIL\n", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sts),
	    cmocka_unit_test(test_sts_txt_failures),
	    cmocka_unit_test(test_tlsrpt),
	    cmocka_unit_test(test_tlsrpt_not_asked_or_failed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
