/* Unit tests: the SMTP banner judgement (report/mc_report_banner): 220
 * naming the MX host or the PTR name, another name, a refusal, no banner
 * before the deadline; and the host word of a banner. */
#include "report_facts.h"

#include "report/mc_report_banner.h"

static mc_smtp_result_t res[4];

static mc_report_banner_facts_t probe(size_t k, const char *addr, const char *mx,
                                      const char *banner, const mc_dns_answer_t *ptr)
{
	mc_report_banner_facts_t f;

	memset(&f, 0, sizeof(f));
	memset(&res[k], 0, sizeof(res[k]));
	snprintf(f.addr, sizeof(f.addr), "%s", addr);
	f.mx = mx;
	f.done = true;
	f.res = &res[k];
	f.ptr = ptr;
	snprintf(res[k].banner, sizeof(res[k].banner), "%s", banner);
	return f;
}

static void test_banner(void **state)
{
	mc_report_banner_facts_t f[4];
	mc_report_opts_t o = {MC_STATE_UNKNOWN, 1};
	mc_result_t *root = mc_result_new("T");
	mc_dns_answer_t *ptr;

	(void)state;
	fake_reset();
	ptr = fake(MC_DNS_ANSWER, NULL);
	fake_rr(ptr, MC_DNS_T_PTR, "host.d.t");
	f[0] = probe(0, "192.0.2.1:25", "mx.d.t", "220 MX.d.t. ESMTP", NULL);
	f[1] = probe(1, "192.0.2.2:25", "mx.d.t", "220-host.d.t ESMTP", ptr);
	mc_report_banner(f, 2, &o, root);
	check_lines("MX name, PTR name; -v shows each", root,
	            "[OK] SMTP 192.0.2.1:25 (mx.d.t): 220 MX.d.t. ESMTP\n"
	            "[OK] SMTP 192.0.2.2:25 (mx.d.t): 220-host.d.t ESMTP\n"
	            "[OK] SMTP: 2 addresses answer 220 with the MX or PTR name\n",
	            "");
	root = mc_result_new("T");
	o.verbose = 0;
	f[0] = probe(0, "192.0.2.1:25", "mx.d.t", "220 elsewhere.example ESMTP", ptr);
	f[1] = probe(1, "192.0.2.2:25", "mx.d.t", "", NULL);
	res[1].base.status = MC_E_REFUSED;
	snprintf(res[1].base.error, sizeof(res[1].base.error), "banner refused: 554 no");
	f[2] = probe(2, "192.0.2.3:25", "mx.d.t", "", NULL);
	f[2].done = false;
	f[3] = probe(3, "192.0.2.4:25", "mx.d.t", "220", NULL);
	mc_report_banner(f, 4, &o, root);
	check_lines(
	    "another name, refused, late, no host", root,
	    "[WARNING] SMTP 192.0.2.1:25 (mx.d.t): the banner names elsewhere.example, "
	    "neither the MX host nor the address's PTR name: 220 elsewhere.example ESMTP\n"
	    "[CRITICAL] SMTP 192.0.2.2:25 (mx.d.t): banner refused: 554 no\n"
	    "[UNKNOWN] SMTP 192.0.2.3:25 (mx.d.t): no banner before the deadline\n"
	    "[WARNING] SMTP 192.0.2.4:25 (mx.d.t): the banner names no host, neither the MX "
	    "host nor the address's PTR name: 220\n",
	    "");
	root = mc_result_new("T");
	f[0] = probe(0, "192.0.2.1:25", "mx.d.t", "", NULL);
	res[0].base.status = MC_E_PROTOCOL;
	mc_report_banner(f, 1, &o, root);
	check_lines("no banner, no error text", root,
	            "[CRITICAL] SMTP 192.0.2.1:25 (mx.d.t): no banner\n", "");
}

static void test_banner_host(void **state)
{
	static const char *const rows[][2] = {
	    {"220 mx.d.t ESMTP Postfix", "mx.d.t"},
	    {"220-mx.d.t ESMTP", "mx.d.t"},
	    {"220 mx.d.t", "mx.d.t"},
	    {"220", ""},
	    {"220 \x01odd ESMTP", "?odd"},
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		mc_report_banner_host(rows[i][0], out, sizeof(out));
		assert_string_equal(out, rows[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_banner),
	    cmocka_unit_test(test_banner_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
