/* Unit tests: the nameserver judgement (report/mc_report_ns): lame
 * delegation, unreachable and refusing servers, serials that differ, one
 * nameserver, the NS answer missing. */
#include "report_facts.h"

#include "report/mc_report_ns.h"

static mc_report_ns_name_t names[3];
static mc_report_ns_server_t servers[4];

static void name(mc_report_ns_facts_t *f, const char *n, const mc_dns_answer_t *a,
                 const mc_dns_answer_t *aaaa)
{
	mc_report_ns_name_t *x = &names[f->nnames++];

	snprintf(x->name, sizeof(x->name), "%s", n);
	x->a = asked(a);
	x->aaaa = asked(aaaa);
}

/* A server's SOA answer: serial, authoritative or not. */
static mc_dns_answer_t *soa(uint32_t serial, bool aa)
{
	mc_dns_answer_t *a = fake(MC_DNS_ANSWER, NULL);

	fake_rr(a, MC_DNS_T_SOA, "ns1.z.test")->serial = serial;
	a->aa = aa;
	return a;
}

static void server(mc_report_ns_facts_t *f, const char *n, const char *text,
                   const mc_dns_answer_t *a)
{
	mc_report_ns_server_t *s = &servers[f->nservers++];

	snprintf(s->text, sizeof(s->text), "%s", text);
	s->name = n;
	s->soa = asked(a);
}

static void two_agree(mc_report_ns_facts_t *f)
{
	name(f, "ns1.z.test", fake_addrs("192.0.2.1", NULL), fake(MC_DNS_NODATA, ""));
	name(f, "ns2.z.test", fake_addrs("192.0.2.2", NULL), fake(MC_DNS_NODATA, ""));
	/* in answer order, not sorted */
	server(f, "ns2.z.test", "192.0.2.2", soa(7, true));
	server(f, "ns1.z.test", "192.0.2.1", soa(7, true));
}
static void lame(mc_report_ns_facts_t *f)
{
	name(f, "ns1.z.test", fake_addrs("192.0.2.1", NULL), fake(MC_DNS_NODATA, ""));
	name(f, "ns2.z.test", fake_addrs("192.0.2.2", "192.0.2.3", NULL), fake(MC_DNS_NODATA, ""));
	name(f, "ns3.z.test", fake(MC_DNS_NXDOMAIN, ""), fake(MC_DNS_NXDOMAIN, ""));
	server(f, "ns1.z.test", "192.0.2.1", soa(7, true));
	server(f, "ns2.z.test", "192.0.2.3", fake(MC_DNS_TIMEOUT, "SOA z.test: timeout"));
	server(f, "ns2.z.test", "192.0.2.2", soa(7, false));
	server(f, "ns1.z.test", "192.0.2.9", fake(MC_DNS_REFUSED, "SOA z.test: REFUSED"));
}
static void serials_differ(mc_report_ns_facts_t *f)
{
	name(f, "ns1.z.test", fake_addrs("192.0.2.1", NULL), fake(MC_DNS_NODATA, ""));
	name(f, "ns2.z.test", NULL, NULL);
	server(f, "ns1.z.test", "192.0.2.1", soa(7, true));
	server(f, "ns1.z.test", "192.0.2.5", soa(8, true));
	server(f, "ns1.z.test", "192.0.2.6", NULL);
}
static void one_dead(mc_report_ns_facts_t *f)
{
	name(f, "ns1.z.test", fake_addrs("192.0.2.1", NULL), fake(MC_DNS_NODATA, ""));
	server(f, "ns1.z.test", "192.0.2.1", fake(MC_DNS_TIMEOUT, "SOA z.test: timeout"));
}

typedef struct ns_case {
	const char *name;
	void (*build)(mc_report_ns_facts_t *f);
	const char *lines, *perf, *ok;
} ns_case_t;

static const ns_case_t cases[] = {
    {"two servers agree, listed in a stable order", two_agree,
     "[OK] nameservers of z.test: ns1.z.test (192.0.2.1) serial 7, ns2.z.test (192.0.2.2) "
     "serial 7\n",
     "'ns_count'=2", "2 nameservers agree (serial 7)"},
    {"lame delegation, unreachable, refused, no address", lame,
     "[WARNING] nameservers of z.test: ns1.z.test (192.0.2.1) serial 7\n"
     "  [WARNING] ns1.z.test (192.0.2.9): SOA z.test: REFUSED\n"
     "  [WARNING] ns2.z.test (192.0.2.2): not authoritative for z.test (lame delegation)\n"
     "  [WARNING] ns2.z.test (192.0.2.3): unreachable, no answer\n"
     "  [WARNING] ns3.z.test: no address\n",
     "'ns_count'=3", "3 nameservers agree (serial 7)"},
    {"serials differ; the deadline", serials_differ,
     "[WARNING] nameservers of z.test: ns1.z.test (192.0.2.1) serial 7, ns1.z.test "
     "(192.0.2.5) serial 8\n"
     "  [UNKNOWN] ns1.z.test (192.0.2.6): no answer before the deadline\n"
     "  [UNKNOWN] ns2.z.test: no address before the deadline\n"
     "  [WARNING] SOA serials differ: ns1.z.test (192.0.2.1) serial 7, ns1.z.test "
     "(192.0.2.5) serial 8\n",
     "'ns_count'=2", ""},
    {"one nameserver, and it does not answer", one_dead,
     "[CRITICAL] nameservers of z.test: none usable\n"
     "  [WARNING] ns1.z.test (192.0.2.1): unreachable, no answer\n"
     "  [WARNING] only 1 nameserver for z.test (RFC 1034 section 4.1 wants at least 2)\n"
     "  [CRITICAL] no nameserver of z.test answers authoritatively\n",
     "'ns_count'=1", ""},
};

static void test_ns(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mc_report_ns_facts_t f = {.zone = "z.test", .names = names, .servers = servers};
		mc_report_opts_t o = {MC_STATE_UNKNOWN, 0};
		mc_report_okline_t ok;
		mc_result_t *root = mc_result_new("T");
		fake_reset();
		memset(&ok, 0, sizeof(ok));
		f.ns = fake(MC_DNS_ANSWER, NULL);
		cases[i].build(&f);
		mc_report_ns(&f, &o, root, &ok);
		check_lines(cases[i].name, root, cases[i].lines, cases[i].perf);
		assert_string_equal(ok.text, cases[i].ok);
	}
}

/* Without an NS answer: one line, or none when the domain does not
 * exist (the MX judgement says so). */
static void test_no_ns_answer(void **state)
{
	mc_report_ns_facts_t f = {.zone = "z.test"};
	mc_report_opts_t o = {MC_STATE_WARNING, 0};
	mc_report_okline_t ok = {""};
	mc_result_t *root = mc_result_new("T");

	(void)state;
	fake_reset();
	mc_report_ns(&f, &o, root, &ok);
	check_lines("NS unanswered: the timeout state", root,
	            "[WARNING] nameservers: NS: no answer before the deadline\n", "");
	root = mc_result_new("T");
	f.ns = fake(MC_DNS_SERVFAIL, "NS z.test: the server answered SERVFAIL");
	mc_report_ns(&f, &o, root, &ok);
	check_lines("NS SERVFAIL", root,
	            "[CRITICAL] nameservers: NS z.test: the server answered SERVFAIL\n", "");
	root = mc_result_new("T");
	f.ns = fake(MC_DNS_NXDOMAIN, "");
	f.domain_nxdomain = true;
	mc_report_ns(&f, &o, root, &ok);
	check_lines("NXDOMAIN: said by the MX line", root, "", "");
	assert_string_equal(ok.text, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ns),
	    cmocka_unit_test(test_no_ns_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
