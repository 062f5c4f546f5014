/* Unit tests: the blocklist judgement (report/mc_report_dnsbl): the RFC
 * 5782 section 5 self-test of each zone, error codes (127.255.255.x) and
 * answers outside 127.0.0.0/8 making a zone untrusted, listings with
 * their TXT reason, the perfdata. */
#include "report_facts.h"

#include "report/mc_report_dnsbl.h"

static mc_report_dnsbl_zone_t zones[2];
static mc_report_dnsbl_lookup_t bl[2][2]; /* [address][zone] */
static mc_report_dnsbl_addr_t addrs[2];

typedef struct bl_case {
	const char *name;
	/* the zone's two test answers, then each address's answer:
	 * "L" 127.0.0.2, "l" 127.0.0.4, "N" NXDOMAIN, "E" 127.255.255.254,
	 * "O" 10.0.0.2, "F" SERVFAIL, "-" none (deadline), " " not asked */
	const char *zone0, *zone1;
	int verbose;
	const char *lines, *perf, *ok;
} bl_case_t;

static const mc_dns_answer_t *answer(char c)
{
	switch (c) {
	case 'L': return fake_addrs("127.0.0.2", NULL);
	case 'l': return fake_addrs("127.0.0.4", NULL);
	case 'N': return fake(MC_DNS_NXDOMAIN, "");
	case 'E': return fake_addrs("127.255.255.254", NULL);
	case 'O': return fake_addrs("10.0.0.2", NULL);
	case 'F': return fake(MC_DNS_SERVFAIL, "A x: the server answered SERVFAIL");
	default: return NULL;
	}
}

static void zone(size_t z, const char *name, const char *spec)
{
	size_t k;

	zones[z].zone = name;
	zones[z].test_listed = answer(spec[0]);
	zones[z].test_unlisted = answer(spec[1]);
	for (k = 0; k < 2; k++) {
		bl[k][z].a = asked(answer(spec[2 + k]));
		bl[k][z].a.asked = spec[2 + k] != ' ';
		if (spec[2 + k] == 'l' && k == 0)
			bl[k][z].txt = asked(fake_txt("listed\x01 for spam"));
	}
}

static const bl_case_t cases[] = {
    {"clean in both zones", "LNNN", "LNNN", 0,
     "[OK] blocklists: 2 addresses not listed in 2 zones\n", "'dnsbl_listed'=0 'dnsbl_checked'=4",
     "not listed in 2 of 2 blocklists"},
    {"clean, -v: a line per zone", "LNNN", "LN N", 1,
     "[OK] blocklist a.bl: no address listed\n[OK] blocklist b.bl: no address listed\n"
     "[OK] blocklists: 2 addresses not listed in 2 zones\n",
     "'dnsbl_listed'=0 'dnsbl_checked'=3", "not listed in 2 of 2 blocklists"},
    {"listed, with and without a TXT reason", "LNll", "LNNN", 0,
     "[CRITICAL] 192.0.2.1 (mx.test) is listed in a.bl (127.0.0.4): listed? for spam\n"
     "[CRITICAL] 2001:db8::1 (mx.test) is listed in a.bl (127.0.0.4): no TXT reason\n",
     "'dnsbl_listed'=2 'dnsbl_checked'=4", ""},
    {"self-test: 127.0.0.2 not listed", "NNNN", "LNNN", 0,
     "[UNKNOWN] blocklist a.bl: self-test failed: 127.0.0.2 is not listed (RFC 5782 section 5), "
     "not trusted this run\n",
     "'dnsbl_listed'=0 'dnsbl_checked'=2", "not listed in 1 of 2 blocklists"},
    {"self-test: 127.0.0.1 listed", "LLNN", "LFNN", 0,
     "[UNKNOWN] blocklist a.bl: self-test failed: 127.0.0.1 is listed (127.0.0.2; RFC 5782 "
     "section 5), not trusted this run\n"
     "[UNKNOWN] blocklist b.bl: self-test failed: A x: the server answered SERVFAIL\n",
     "'dnsbl_listed'=0 'dnsbl_checked'=0", "not listed in 0 of 2 blocklists"},
    {"self-test: failed, error code, outside", "FNNN", "ENNN", 0,
     "[UNKNOWN] blocklist a.bl: self-test failed: A x: the server answered SERVFAIL\n"
     "[UNKNOWN] blocklist b.bl: answers 127.255.255.254, a list error code (queries refused or "
     "rate-limited), not trusted this run\n",
     "'dnsbl_listed'=0 'dnsbl_checked'=0", "not listed in 0 of 2 blocklists"},
    {"self-test: outside 127/8; unanswered", "ONNN", "-NNN", 0,
     "[UNKNOWN] blocklist a.bl: answers 10.0.0.2, outside 127.0.0.0/8, not trusted this run\n"
     "[UNKNOWN] blocklist b.bl: self-test unanswered before the deadline\n",
     "'dnsbl_listed'=0 'dnsbl_checked'=0", "not listed in 0 of 2 blocklists"},
    {"an error code for an address: the zone is untrusted, no listing counts", "LNlE", "LNNO", 0,
     "[UNKNOWN] blocklist a.bl: answers 127.255.255.254, a list error code (queries refused or "
     "rate-limited), not trusted this run\n"
     "[UNKNOWN] blocklist b.bl: answers 10.0.0.2, outside 127.0.0.0/8, not trusted this run\n",
     "'dnsbl_listed'=0 'dnsbl_checked'=0", "not listed in 0 of 2 blocklists"},
    {"a failed or unanswered address lookup", "LNFN", "LNN-", 0,
     "[UNKNOWN] blocklist a.bl: A x: the server answered SERVFAIL\n"
     "[UNKNOWN] blocklist b.bl: no answer before the deadline for 2001:db8::1\n",
     "'dnsbl_listed'=0 'dnsbl_checked'=0", "not listed in 0 of 2 blocklists"},
};

static void test_dnsbl(void **state)
{
	size_t i;

	(void)state;
	addrs[0].text = "192.0.2.1";
	addrs[1].text = "2001:db8::1";
	addrs[0].host = addrs[1].host = "mx.test";
	addrs[0].bl = bl[0];
	addrs[1].bl = bl[1];
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const bl_case_t *c = &cases[i];
		mc_report_dnsbl_facts_t f = {zones, 2, addrs, 2};
		mc_report_opts_t o = {MC_STATE_UNKNOWN, c->verbose};
		mc_report_okline_t ok;
		mc_result_t *root = mc_result_new("T");
		fake_reset();
		memset(bl, 0, sizeof(bl));
		memset(&ok, 0, sizeof(ok));
		zone(0, "a.bl", c->zone0);
		zone(1, "b.bl", c->zone1);
		mc_report_dnsbl(&f, &o, root, &ok);
		check_lines(c->name, root, c->lines, c->perf);
		assert_string_equal(ok.text, c->ok);
	}
}

static void test_no_zones(void **state)
{
	mc_report_dnsbl_facts_t f = {NULL, 0, addrs, 2};
	mc_report_opts_t o = {MC_STATE_UNKNOWN, 0};
	mc_report_okline_t ok = {""};
	mc_result_t *root = mc_result_new("T");

	(void)state;
	mc_report_dnsbl(&f, &o, root, &ok);
	check_lines("no zone: nothing, not even perfdata", root, "", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dnsbl),
	    cmocka_unit_test(test_no_zones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
