/* test_dns.c - the question layer of mc_dns: what an answer is taken to
 * mean (ranked outcome, CNAME chain, AD/AA, the error text), one question
 * never asked twice, reverse names, and the --dns-server option's
 * HOST[:PORT] syntax. The scripted server (fake_dns.h), on the same loop,
 * answers each question by its name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dns/mc_dns.h"
#include "fake_dns.h"
#include "util/mc_clock.h"

/* ---- the scripted server ---- */

typedef struct zone {
	unsigned asked_a_test;
} zone_t;

/* The answer to one question, chosen by its name. */
static void respond(void *arg, const mc_dns_msg_t *q, fake_dns_reply_t *r)
{
	zone_t *z = arg;
	const char *name = q->qname;

	if (!strcmp(name, "a.test")) {
		z->asked_a_test++;
		fake_dns_rr_a(r, "a.test", "192.0.2.1");
		fake_dns_rr_a(r, "a.test", "192.0.2.2");
		r->flags |= FAKE_DNS_AD;
	} else if (!strcmp(name, "alias.test")) {
		fake_dns_rr_name(r, "alias.test", MC_DNS_T_CNAME, "mid.test");
		fake_dns_rr_name(r, "mid.test", MC_DNS_T_CNAME, "a.test");
		fake_dns_rr_a(r, "a.test", "192.0.2.1");
	} else if (!strcmp(name, "mx.test")) {
		fake_dns_rr_name(r, "mx.test", MC_DNS_T_MX, "mail.test");
		r->flags |= FAKE_DNS_AA;
	} else if (!strcmp(name, "foreign.test")) {
		fake_dns_rr_a(r, "elsewhere.test", "192.0.2.9");
	} else if (!strcmp(name, "nx.test")) {
		r->rcode = 3;
	} else if (!strcmp(name, "servfail.test")) {
		r->rcode = 2;
	} else if (!strcmp(name, "refused.test")) {
		r->rcode = 5;
	} else if (!strcmp(name, "notimp.test")) {
		r->rcode = 4;
	} else if (!strcmp(name, "cut.test")) {
		fake_dns_rr_a(r, "cut.test", "192.0.2.1");
		fake_dns_rr_cut(r, 2); /* the address is two bytes short */
	}
}

typedef struct fixture {
	mc_loop_t *loop;
	mc_dns_t *dns;
	fake_dns_t *srv;
	zone_t zone;
} fixture_t;

static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(mc_loop_new(&f->loop), MC_OK);
	f->srv = fake_dns_start(f->loop, respond, &f->zone);
	f->dns = fake_dns_resolver(f->srv, 2000);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *f = *state;

	mc_dns_free(f->dns);
	fake_dns_free(f->srv);
	mc_loop_free(f->loop);
	free(f);
	return 0;
}

typedef struct got {
	const mc_dns_answer_t *ans;
	unsigned calls;
	mc_loop_t *loop;
	unsigned *pending; /* the loop stops when it reaches 0 */
} got_t;

static void on_answer(void *arg, const mc_dns_answer_t *ans)
{
	got_t *g = arg;

	g->ans = ans;
	if (!g->calls++ && !--*g->pending)
		mc_loop_break(g->loop);
}

/* Run the loop until every one of g[0..n) has its answer (3 s at most). */
static void run(fixture_t *f, got_t *g, size_t n)
{
	unsigned pending = (unsigned)n;
	size_t i;

	for (i = 0; i < n; i++) {
		g[i].loop = f->loop;
		g[i].pending = &pending;
	}
	mc_loop_set_deadline(f->loop, mc_clock_now_us() + 3000000);
	(void)mc_loop_run(f->loop);
	assert_int_equal(pending, 0);
}

typedef struct answer_case {
	const char *what;
	const char *name;
	uint16_t type;
	mc_dns_outcome_t outcome;
	size_t n;
	const char *canonical;
	bool ad, aa;
	const char *error; /* substring, or NULL for none */
} answer_case_t;

static const answer_case_t answer_cases[] = {
    {"two addresses, validated", "a.test", MC_DNS_T_A, MC_DNS_ANSWER, 2, NULL, true, false, NULL},
    {"a CNAME chain is followed to its end", "alias.test", MC_DNS_T_A, MC_DNS_ANSWER, 1, "a.test",
     false, false, NULL},
    {"authoritative answer", "mx.test", MC_DNS_T_MX, MC_DNS_ANSWER, 1, NULL, false, true, NULL},
    {"records of another type: no data", "mx.test", MC_DNS_T_A, MC_DNS_NODATA, 0, NULL, false, true,
     "A mx.test: no record of this type"},
    {"a record of another owner is not an answer", "foreign.test", MC_DNS_T_A, MC_DNS_NODATA, 0,
     NULL, false, false, "no record"},
    {"NXDOMAIN", "nx.test", MC_DNS_T_A, MC_DNS_NXDOMAIN, 0, NULL, false, false,
     "A nx.test: no such name (NXDOMAIN)"},
    {"SERVFAIL", "servfail.test", MC_DNS_T_MX, MC_DNS_SERVFAIL, 0, NULL, false, false,
     "MX servfail.test: the server answered SERVFAIL"},
    {"REFUSED", "refused.test", MC_DNS_T_TXT, MC_DNS_REFUSED, 0, NULL, false, false,
     "TXT refused.test: the server REFUSED the query"},
    {"another error RCODE ranks as SERVFAIL, named", "notimp.test", MC_DNS_T_A, MC_DNS_SERVFAIL, 0,
     NULL, false, false, "the server answered RCODE 4"},
    {"an rdata cut short is malformed", "cut.test", MC_DNS_T_A, MC_DNS_MALFORMED, 0, NULL, false,
     false, "A cut.test: malformed answer"},
};

static void test_answers(void **state)
{
	fixture_t *f = *state;
	const size_t n = sizeof(answer_cases) / sizeof(answer_cases[0]);
	got_t got[sizeof(answer_cases) / sizeof(answer_cases[0])];
	size_t i;

	memset(got, 0, sizeof(got));
	for (i = 0; i < n; i++)
		assert_int_equal(mc_dns_query(f->dns, answer_cases[i].name, answer_cases[i].type,
		                              on_answer, &got[i]),
		                 MC_OK);
	/* never before the question returns */
	for (i = 0; i < n; i++)
		assert_int_equal(got[i].calls, 0);
	run(f, got, n);
	for (i = 0; i < n; i++) {
		const answer_case_t *c = &answer_cases[i];
		const mc_dns_answer_t *a = got[i].ans;
		print_message("case: %s\n", c->what);
		assert_int_equal(got[i].calls, 1);
		assert_non_null(a);
		assert_int_equal(a->outcome, c->outcome);
		assert_int_equal(a->n, c->n);
		assert_int_equal(a->ad, c->ad);
		assert_int_equal(a->aa, c->aa);
		if (c->canonical)
			assert_string_equal(a->canonical, c->canonical);
		else
			assert_null(a->canonical);
		if (c->error)
			assert_non_null(strstr(a->error, c->error));
		if (c->outcome == MC_DNS_ANSWER)
			assert_int_equal(a->rrs[0]->type, c->type);
		assert_true(a->latency_us >= 0);
	}
	assert_memory_equal(got[0].ans->rrs[1]->addr, "\xc0\x00\x02\x02", 4);
}

/* A question asked again (in any case, with a trailing dot) is answered
 * from the first: one packet, the same answer. */
static void test_asked_once(void **state)
{
	fixture_t *f = *state;
	got_t got[3];

	memset(got, 0, sizeof(got));
	assert_int_equal(mc_dns_query(f->dns, "a.test", MC_DNS_T_A, on_answer, &got[0]), MC_OK);
	assert_int_equal(mc_dns_query(f->dns, "A.Test.", MC_DNS_T_A, on_answer, &got[1]), MC_OK);
	run(f, got, 2);
	assert_int_equal(mc_dns_query(f->dns, "a.test", MC_DNS_T_A, on_answer, &got[2]), MC_OK);
	assert_int_equal(got[2].calls, 0);
	run(f, got + 2, 1);
	assert_int_equal(f->zone.asked_a_test, 1);
	assert_ptr_equal(got[0].ans, got[1].ans);
	assert_ptr_equal(got[0].ans, got[2].ans);
	assert_int_equal(got[2].calls, 1);
}

static void test_bad_names(void **state)
{
	fixture_t *f = *state;
	got_t g = {0};
	char longname[300];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(mc_dns_query(f->dns, "", MC_DNS_T_A, on_answer, &g), MC_E_USAGE);
	assert_int_equal(mc_dns_query(f->dns, longname, MC_DNS_T_A, on_answer, &g), MC_E_USAGE);
	assert_int_equal(g.calls, 0);
}

typedef struct reverse_case {
	const char *addr;
	const char *suffix;
	size_t outsz;
	mc_status_t st;
	const char *want;
} reverse_case_t;

static void test_reverse_names(void **state)
{
	static const reverse_case_t cases[] = {
	    {"192.0.2.1", NULL, 256, MC_OK, "1.2.0.192.in-addr.arpa"},
	    {"192.0.2.11", "zen.spamhaus.org", 256, MC_OK, "11.2.0.192.zen.spamhaus.org"},
	    {"127.0.0.2", "bl.test", 256, MC_OK, "2.0.0.127.bl.test"},
	    {"2001:db8::1", NULL, 256, MC_OK,
	     "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"},
	    {"2001:db8::abcd", "bl.test", 256, MC_OK,
	     "d.c.b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test"},
	    {"192.0.2.1", NULL, 22, MC_E_LIMIT, NULL},
	    {"192.0.2.1", NULL, 23, MC_OK, "1.2.0.192.in-addr.arpa"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mc_addr_t a;
		char out[256];
		assert_int_equal(mc_addr_parse(cases[i].addr, 0, &a), MC_OK);
		assert_int_equal(mc_dns_reverse_name(&a, cases[i].suffix, out, cases[i].outsz),
		                 cases[i].st);
		if (cases[i].want)
			assert_string_equal(out, cases[i].want);
	}
}

typedef struct {
	const char *in;
	mc_status_t want;
} server_case_t;

static const server_case_t server_cases[] = {
    {"127.0.0.1", MC_OK},
    {"127.0.0.1:5353", MC_OK},
    {"::1", MC_OK},
    {"[::1]:53", MC_OK},
    {"[::1]", MC_OK},
    {"2001:db8::53", MC_OK},
    {"ns.example", MC_E_USAGE},
    {"127.0.0.1:0", MC_E_USAGE},
    {"127.0.0.1:65536", MC_E_USAGE},
    {"127.0.0.1:", MC_E_USAGE},
    {"[::1", MC_E_USAGE},
    {"[::1]x", MC_E_USAGE},
    {"", MC_E_USAGE},
    {"127.0.0.1:53x", MC_E_USAGE},
};

static void test_dns_server_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(server_cases) / sizeof(server_cases[0]); i++) {
		char err[256] = "";
		print_message("case: '%s'\n", server_cases[i].in);
		assert_int_equal(mc_dns_server_check(server_cases[i].in, err, sizeof(err)),
		                 server_cases[i].want);
		if (server_cases[i].want != MC_OK)
			assert_non_null(strstr(err, server_cases[i].in));
	}
}

static void test_outcomes(void **state)
{
	(void)state;
	assert_string_equal(mc_dns_outcome_str(MC_DNS_NODATA), "no data");
	assert_string_equal(mc_dns_outcome_str(MC_DNS_MALFORMED), "malformed answer");
	assert_int_equal(mc_dns_outcome_status(MC_DNS_ANSWER), MC_OK);
	assert_int_equal(mc_dns_outcome_status(MC_DNS_NXDOMAIN), MC_E_DNS_NOTFOUND);
	assert_int_equal(mc_dns_outcome_status(MC_DNS_REFUSED), MC_E_DNS_TRYAGAIN);
	assert_int_equal(mc_dns_outcome_status(MC_DNS_TIMEOUT), MC_E_TIMEOUT);
	/* the ranking: a better outcome has a lower value */
	assert_true(MC_DNS_ANSWER < MC_DNS_NODATA && MC_DNS_NODATA < MC_DNS_NXDOMAIN &&
	            MC_DNS_NXDOMAIN < MC_DNS_SERVFAIL && MC_DNS_SERVFAIL < MC_DNS_REFUSED &&
	            MC_DNS_REFUSED < MC_DNS_TIMEOUT && MC_DNS_TIMEOUT < MC_DNS_MALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_asked_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
	    cmocka_unit_test(test_reverse_names),
	    cmocka_unit_test(test_outcomes),
	    cmocka_unit_test(test_dns_server_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
