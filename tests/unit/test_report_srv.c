/* Unit tests: the client SRV judgement (report/mc_report_srv, RFC 6186,
 * RFC 8314): published services, "." as not offered, targets that do not
 * resolve, failed and unanswered lookups. */
#include "report_facts.h"

#include "report/mc_report_srv.h"

static mc_dns_answer_t *srv(const char *target, uint16_t port)
{
	mc_dns_answer_t *a = fake(MC_DNS_ANSWER, NULL);

	fake_rr(a, MC_DNS_T_SRV, target)->port = port;
	return a;
}

static void test_srv(void **state)
{
	mc_report_srv_service_t s[5];
	mc_report_opts_t o = {MC_STATE_WARNING, 0};
	mc_result_t *root = mc_result_new("T");

	(void)state;
	fake_reset();
	memset(s, 0, sizeof(s));
	s[0].name = "_submissions._tcp";
	s[0].srv = asked(srv("mail.d.t", 465));
	s[0].addr[0][0] = asked(fake_addrs("192.0.2.1", NULL));
	s[0].addr[0][1] = asked(fake(MC_DNS_NODATA, ""));
	s[1].name = "_imap._tcp";
	s[1].srv = asked(srv(".", 0));
	s[2].name = "_imaps._tcp";
	s[2].srv = asked(srv("gone.d.t", 993));
	s[2].addr[0][0] = asked(fake(MC_DNS_NXDOMAIN, "A gone.d.t: no such name"));
	s[2].addr[0][1] = asked(fake(MC_DNS_NXDOMAIN, "AAAA gone.d.t: no such name"));
	s[3].name = "_pop3s._tcp";
	s[3].srv = asked(srv("late.d.t", 995));
	s[3].addr[0][0] = asked(fake_addrs("192.0.2.1", NULL));
	s[4].name = "_pop3._tcp";
	s[4].srv = asked(fake(MC_DNS_SERVFAIL, "SRV _pop3._tcp.d.t: SERVFAIL"));
	mc_report_srv(s, 5, &o, root);
	check_lines("published, not offered, unresolvable, late, failed", root,
	            "[CRITICAL] SRV _imaps._tcp: target gone.d.t does not resolve: A gone.d.t: no "
	            "such name\n"
	            "[WARNING] SRV _pop3s._tcp: target late.d.t unresolved before the deadline\n"
	            "[CRITICAL] SRV _pop3._tcp: SRV _pop3._tcp.d.t: SERVFAIL\n"
	            "[OK] SRV: _submissions._tcp 465 mail.d.t, _imap._tcp not offered, _imaps._tcp "
	            "993 gone.d.t, _pop3s._tcp 995 late.d.t\n",
	            "");
	root = mc_result_new("T");
	s[0].srv = asked(fake(MC_DNS_NXDOMAIN, ""));
	mc_report_srv(s, 1, &o, root);
	check_lines("none published", root, "[OK] SRV: no client SRV records (RFC 6186)\n", "");
	root = mc_result_new("T");
	s[0].srv = asked(NULL);
	mc_report_srv(s, 1, &o, root);
	check_lines("unanswered", root,
	            "[WARNING] SRV _submissions._tcp: no answer before the deadline\n"
	            "[OK] SRV: no client SRV records (RFC 6186)\n",
	            "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_srv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
