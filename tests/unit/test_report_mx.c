/* Unit tests: the MX judgement (report/mc_report_mx): facts of an MX
 * answer, its hosts and their addresses in, "[STATE] text" lines out. */
#include "report_facts.h"

#include "report/mc_report_mx.h"

static mc_report_mx_host_t hosts[4];
static mc_report_mx_addr_t addrs[4];
static const char *rest[3];

typedef struct world {
	mc_report_mx_facts_t f;
	mc_report_mx_opts_t mo;
	mc_report_opts_t o;
} world_t;

static void reset(world_t *w)
{
	fake_reset();
	memset(w, 0, sizeof(*w));
	memset(hosts, 0, sizeof(hosts));
	memset(addrs, 0, sizeof(addrs));
	w->mo.domain = "d.test";
	w->o.late = MC_STATE_UNKNOWN;
	w->f.hosts = hosts;
	w->f.addrs = addrs;
}

static mc_dns_answer_t *mx_answer(const char *a, const char *b)
{
	mc_dns_answer_t *mx = fake(MC_DNS_ANSWER, NULL);

	fake_rr(mx, MC_DNS_T_MX, a)->pref = 10;
	if (b)
		fake_rr(mx, MC_DNS_T_MX, b)->pref = 20;
	return mx;
}

static void host(world_t *w, const char *name, uint16_t pref, const mc_dns_answer_t *a,
                 const mc_dns_answer_t *aaaa)
{
	mc_report_mx_host_t *h = &hosts[w->f.nhosts++];

	snprintf(h->name, sizeof(h->name), "%s", name);
	h->pref = pref;
	h->a = asked(a);
	h->aaaa = asked(aaaa);
}

/* An address of host h whose PTR answer names ptr (NULL: the PTR
 * question gets ptr_ans) and whose forward lookup gives fwd. */
static mc_report_mx_addr_t *addr(world_t *w, size_t h, const char *text,
                                 const mc_dns_answer_t *ptr_ans, const mc_dns_answer_t *fwd)
{
	mc_report_mx_addr_t *a = &addrs[w->f.naddrs++];

	assert_int_equal(mc_addr_parse(text, 0, &a->addr), MC_OK);
	snprintf(a->text, sizeof(a->text), "%s", text);
	a->host = h;
	a->ptr = asked(ptr_ans);
	a->fwd[0] = asked(fwd);
	return a;
}

static mc_dns_answer_t *ptr(const char *name)
{
	mc_dns_answer_t *a = fake(MC_DNS_ANSWER, NULL);

	fake_rr(a, MC_DNS_T_PTR, name);
	return a;
}

typedef struct mx_case {
	const char *name;
	void (*build)(world_t *w);
	bool hosts; /* judge the hosts too */
	bool want_more;
	const char *lines;
	const char *ok;
} mx_case_t;

static void no_answer(world_t *w)
{
	(void)w;
}
static void nxdomain(world_t *w)
{
	w->f.mx = fake(MC_DNS_NXDOMAIN, "MX d.test: no such name");
}
static void servfail(world_t *w)
{
	w->f.mx = fake(MC_DNS_SERVFAIL, "MX d.test: the server answered SERVFAIL");
}
static void null_mx(world_t *w)
{
	w->f.mx = mx_answer(".", NULL);
}
static void null_mx_expected(world_t *w)
{
	null_mx(w);
	w->mo.expect_null = true;
}
static void null_mx_among_others(world_t *w)
{
	w->f.mx = mx_answer("mx.d.test", ".");
}
static void no_mx(world_t *w)
{
	w->f.mx = fake(MC_DNS_NODATA, "MX d.test: no data");
}
static void no_mx_expect_null(world_t *w)
{
	no_mx(w);
	w->mo.expect_null = true;
}
static void implicit_mx(world_t *w)
{
	no_mx(w);
	w->f.implicit = true;
	host(w, "d.test", 0, fake_addrs("192.0.2.4", NULL), fake(MC_DNS_NODATA, ""));
	addr(w, 0, "192.0.2.4", ptr("d.test"), fake_addrs("192.0.2.4", NULL));
}
static void two_hosts_validated(world_t *w)
{
	mc_dns_answer_t *mx = mx_answer("mx1.d.test", "mx2.d.test");

	mx->ad = true;
	w->f.mx = mx;
	w->mo.dnssec = true;
	host(w, "mx1.d.test", 10, fake_addrs("192.0.2.1", NULL), fake_addrs("2001:db8::1", NULL));
	host(w, "mx2.d.test", 20, fake_addrs("192.0.2.2", NULL), fake(MC_DNS_NODATA, ""));
	addr(w, 0, "192.0.2.1", ptr("mx1.d.test"), fake_addrs("192.0.2.1", NULL));
	addr(w, 0, "2001:db8::1", ptr("mx1.d.test"), fake_addrs("2001:db8::1", NULL));
	addr(w, 1, "192.0.2.2", ptr("mx2.d.test"), fake_addrs("192.0.2.2", NULL));
}
static void expectations(world_t *w)
{
	static const char *const expect[] = {"MX1.d.test.", "mx3.d.test"};

	w->f.mx = mx_answer("mx1.d.test", "mx2.d.test");
	host(w, "mx1.d.test", 10, NULL, NULL);
	host(w, "mx2.d.test", 20, NULL, NULL);
	w->mo.expect_mx = expect;
	w->mo.nexpect = 2;
	w->mo.min_mx = 3;
	w->mo.dnssec = true;
	w->mo.expect_null = true;
}
static void beyond_cap(world_t *w)
{
	w->f.mx = mx_answer("mx1.d.test", NULL);
	host(w, "mx1.d.test", 10, NULL, NULL);
	rest[0] = "mx17.d.test";
	rest[1] = "mx18.d.test";
	w->f.rest = rest;
	w->f.nrest = 2;
	w->mo.min_mx = 1;
}
static void one_beyond_cap(world_t *w)
{
	beyond_cap(w);
	w->f.nrest = 1;
}
static void literal_and_alias(world_t *w)
{
	mc_dns_answer_t *a = fake_addrs("192.0.2.1", NULL);

	w->f.mx = mx_answer("192.0.2.5", "alias.d.test");
	host(w, "192.0.2.5", 10, NULL, NULL);
	hosts[0].literal = true;
	hosts[0].a.asked = hosts[0].aaaa.asked = false;
	host(w, "alias.d.test", 20, a, fake(MC_DNS_NODATA, ""));
	a->canonical = "mx1.d.test";
	addr(w, 0, "192.0.2.5", fake(MC_DNS_NXDOMAIN, ""), NULL);
	addr(w, 1, "192.0.2.1", ptr("mx1.d.test"), fake_addrs("192.0.2.1", NULL));
}
static void alias_via_aaaa(world_t *w)
{
	mc_dns_answer_t *aaaa = fake_addrs("2001:db8::1", NULL);

	w->f.mx = mx_answer("alias.d.test", NULL);
	host(w, "alias.d.test", 10, fake(MC_DNS_NODATA, ""), aaaa);
	aaaa->canonical = "mx1.d.test";
	addr(w, 0, "2001:db8::1", fake(MC_DNS_SERVFAIL, "PTR x: the server answered SERVFAIL"),
	     NULL);
}
static void reverse_dns(world_t *w)
{
	w->f.mx = mx_answer("mx1.d.test", NULL);
	host(w, "mx1.d.test", 10, fake_addrs("192.0.2.1", "192.0.2.2", "192.0.2.3", NULL),
	     fake(MC_DNS_NODATA, ""));
	w->mo.require_ipv6 = true;
	/* not confirmed; forward unanswered; PTR unanswered; never asked */
	addr(w, 0, "192.0.2.1", ptr("other.d.test"), fake_addrs("192.0.2.99", NULL));
	addr(w, 0, "192.0.2.2", ptr("late.d.test"), NULL);
	addr(w, 0, "192.0.2.3", NULL, NULL);
	addr(w, 0, "192.0.2.4", NULL, NULL)->ptr.asked = false;
}
static void unresolvable(world_t *w)
{
	w->f.mx = mx_answer("gone1.d.test", "gone2.d.test");
	host(w, "gone1.d.test", 10, fake(MC_DNS_NXDOMAIN, ""), fake(MC_DNS_NXDOMAIN, ""));
	host(w, "gone2.d.test", 20, fake(MC_DNS_NODATA, ""), fake(MC_DNS_NODATA, ""));
}
static void lookup_failures(world_t *w)
{
	w->f.mx = mx_answer("mx1.d.test", "mx2.d.test");
	host(w, "mx1.d.test", 10, fake(MC_DNS_SERVFAIL, "A mx1.d.test: SERVFAIL"), NULL);
	host(w, "mx2.d.test", 20, fake_addrs("192.0.2.2", NULL),
	     fake(MC_DNS_REFUSED, "AAAA mx2.d.test: REFUSED"));
	addr(w, 1, "192.0.2.2", ptr("mx2.d.test"), fake_addrs("192.0.2.2", NULL));
}
static void unaskable_late(world_t *w)
{
	w->o.late = MC_STATE_CRITICAL;
	w->f.mx = mx_answer("mx1.d.test", NULL);
	host(w, "mx1.d.test", 10, NULL, NULL);
	hosts[0].aaaa.unaskable = true;
}

static const mx_case_t cases[] = {
    {"the deadline before the MX answer", no_answer, false, false,
     "[UNKNOWN] MX d.test: no answer before the deadline\n", ""},
    {"NXDOMAIN", nxdomain, false, false, "[CRITICAL] d.test does not exist (NXDOMAIN)\n", ""},
    {"SERVFAIL: the answer's own words", servfail, false, false,
     "[CRITICAL] MX d.test: the server answered SERVFAIL\n", ""},
    {"null MX (RFC 7505)", null_mx, false, false,
     "[CRITICAL] MX: null MX, the domain accepts no mail (RFC 7505)\n", "null MX"},
    {"null MX, expected", null_mx_expected, false, false,
     "[OK] MX: null MX, the domain accepts no mail (RFC 7505), as expected\n", "null MX"},
    {"null MX among others", null_mx_among_others, false, false,
     "[CRITICAL] MX: a null MX among 2 MX records (RFC 7505 section 3: it must be the only "
     "one)\n",
     "null MX"},
    {"no MX, no implicit MX", no_mx, false, false,
     "[CRITICAL] MX: d.test has no MX record (use --allow-implicit-mx to accept its address, "
     "RFC 5321 section 5.1)\n",
     ""},
    {"no MX, null MX expected", no_mx_expect_null, false, false,
     "[CRITICAL] MX: expected a null MX, found no MX record\n"
     "[CRITICAL] MX: d.test has no MX record (use --allow-implicit-mx to accept its address, "
     "RFC 5321 section 5.1)\n",
     ""},
    {"implicit MX", implicit_mx, true, true,
     "[OK] MX: none; implicit MX, the domain's own address (RFC 5321 section 5.1)\n"
     "[OK] d.test (implicit MX): 192.0.2.4 (PTR d.test)\n",
     "1 MX, 1 address"},
    {"two hosts, validated, confirmed PTRs", two_hosts_validated, true, true,
     "[OK] MX: 10 mx1.d.test, 20 mx2.d.test (DNSSEC validated)\n"
     "[OK] DNSSEC: the MX answer is validated (AD)\n"
     "[OK] mx1.d.test: 192.0.2.1 (PTR mx1.d.test), 2001:db8::1 (PTR mx1.d.test)\n"
     "[OK] mx2.d.test: 192.0.2.2 (PTR mx2.d.test)\n",
     "2 MX, 3 addresses"},
    {"--expect-mx, --min-mx, --dnssec, --expect-null-mx", expectations, false, true,
     "[CRITICAL] MX: expected a null MX, found MX hosts\n"
     "[OK] MX: 10 mx1.d.test, 20 mx2.d.test\n"
     "[CRITICAL] MX: expected mx3.d.test, not listed\n"
     "[WARNING] MX: mx2.d.test is not an expected MX\n"
     "[WARNING] MX: 2 MX hosts, fewer than --min-mx 3\n"
     "[CRITICAL] DNSSEC: the MX answer is not validated (no AD flag from the resolver)\n",
     ""},
    {"hosts beyond the cap are named", beyond_cap, false, true,
     "[OK] MX: 10 mx1.d.test\n"
     "[WARNING] MX: 2 more MX hosts not checked (at most 16): mx17.d.test, mx18.d.test\n",
     ""},
    {"one host beyond the cap", one_beyond_cap, false, true,
     "[OK] MX: 10 mx1.d.test\n"
     "[WARNING] MX: 1 more MX host not checked (at most 16): mx17.d.test\n",
     ""},
    {"an address literal and an alias", literal_and_alias, true, true,
     "[OK] MX: 10 192.0.2.5, 20 alias.d.test\n"
     "[WARNING] 192.0.2.5: 192.0.2.5\n"
     "  [WARNING] MX 192.0.2.5 is an address literal, not a host name (RFC 5321 section 5.1)\n"
     "  [WARNING] 192.0.2.5: no PTR record\n"
     "[WARNING] alias.d.test: 192.0.2.1 (PTR mx1.d.test)\n"
     "  [WARNING] MX alias.d.test is an alias (CNAME to mx1.d.test), which RFC 2181 section "
     "10.3 forbids\n",
     "2 MX, 2 addresses"},
    {"an alias seen in AAAA; PTR lookup failed", alias_via_aaaa, true, true,
     "[OK] MX: 10 alias.d.test\n"
     "[WARNING] alias.d.test: 2001:db8::1\n"
     "  [WARNING] MX alias.d.test is an alias (CNAME to mx1.d.test), which RFC 2181 section "
     "10.3 forbids\n"
     "  [WARNING] 2001:db8::1: PTR x: the server answered SERVFAIL\n",
     "1 MX, 1 address"},
    {"reverse DNS: unconfirmed, unanswered, --require-ipv6", reverse_dns, true, true,
     "[OK] MX: 10 mx1.d.test\n"
     "[WARNING] mx1.d.test: 192.0.2.1 (PTR other.d.test, unconfirmed), 192.0.2.2 (PTR "
     "late.d.test, unconfirmed), 192.0.2.3, 192.0.2.4\n"
     "  [WARNING] 192.0.2.1: PTR other.d.test does not resolve back to 192.0.2.1 (not "
     "forward-confirmed)\n"
     "  [UNKNOWN] 192.0.2.2: PTR late.d.test: forward lookup unanswered before the deadline\n"
     "  [UNKNOWN] 192.0.2.3: PTR: no answer before the deadline\n"
     "  [WARNING] mx1.d.test has no AAAA record (--require-ipv6)\n",
     "1 MX, 4 addresses"},
    {"no host resolves", unresolvable, true, true,
     "[OK] MX: 10 gone1.d.test, 20 gone2.d.test\n"
     "[CRITICAL] gone1.d.test: no address\n"
     "  [CRITICAL] gone1.d.test: no such host (NXDOMAIN)\n"
     "[CRITICAL] gone2.d.test: no address\n"
     "  [CRITICAL] gone2.d.test: no A and no AAAA record\n"
     "[CRITICAL] no MX host has an address: mail to d.test cannot be delivered\n",
     "2 MX, 0 addresses"},
    {"address lookups that failed", lookup_failures, true, true,
     "[OK] MX: 10 mx1.d.test, 20 mx2.d.test\n"
     "[CRITICAL] mx1.d.test: no address\n"
     "  [CRITICAL] mx1.d.test: A mx1.d.test: SERVFAIL\n"
     "[CRITICAL] mx2.d.test: 192.0.2.2 (PTR mx2.d.test)\n"
     "  [CRITICAL] AAAA mx2.d.test: REFUSED\n",
     "2 MX, 1 address"},
    {"an address question not askable; the deadline state", unaskable_late, true, true,
     "[OK] MX: 10 mx1.d.test\n"
     "[CRITICAL] mx1.d.test: no address\n"
     "  [CRITICAL] mx1.d.test: no answer before the deadline\n",
     "1 MX, 0 addresses"},
};

static void test_mx(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const mx_case_t *c = &cases[i];
		mc_result_t *root = mc_result_new("T");
		mc_report_okline_t ok;
		world_t w;
		bool more;
		reset(&w);
		memset(&ok, 0, sizeof(ok));
		c->build(&w);
		more = mc_report_mx_set(&w.f, &w.mo, &w.o, root, &ok);
		if (c->hosts)
			mc_report_mx_hosts(&w.f, &w.mo, &w.o, root, &ok);
		check_lines(c->name, root, c->lines, "");
		assert_int_equal(more, c->want_more);
		assert_string_equal(ok.text, c->ok);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
