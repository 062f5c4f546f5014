/* test_spf_run.c - the SPF driver (mc_spf_run_*, policy/mc_spf.h) on mc_dns
 * against the scripted DNS server (fake_dns.h) serving the zone of
 * spf_zone.h: every check_host case at once on one resolver, runs freed from
 * done or at a deadline with questions in flight, and results known without
 * DNS still delivered from the loop. */
#include <arpa/inet.h>
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
#include "policy/mc_spf.h"
#include "spf_zone.h"
#include "util/mc_clock.h"

/* The zone as the wire carries it; late* names are answered after 200 ms
 * (before the resolver asks again, 300 ms), TIMEOUT answers never. */
static void respond(void *arg, const mc_dns_msg_t *q, fake_dns_reply_t *r)
{
	const mc_dns_answer_t *a = spf_zone_answer(q->qname, q->qtype);
	char ip[INET6_ADDRSTRLEN];
	size_t i;

	(void)arg;
	r->drop = a->outcome == MC_DNS_TIMEOUT;
	if (a->outcome == MC_DNS_NXDOMAIN)
		r->rcode = 3;
	else if (a->outcome == MC_DNS_SERVFAIL)
		r->rcode = 2;
	if (!strncmp(q->qname, "late", 4))
		r->delay_ms = 200;
	for (i = 0; i < a->n; i++) {
		const mc_dns_rr_t *rr = a->rrs[i];
		switch (q->qtype) {
		case MC_DNS_T_TXT: fake_dns_rr_txt(r, q->qname, rr->data, rr->len); break;
		case MC_DNS_T_A:
			assert_non_null(inet_ntop(AF_INET, rr->addr, ip, sizeof(ip)));
			fake_dns_rr_a(r, q->qname, ip);
			break;
		case MC_DNS_T_AAAA:
			assert_non_null(inet_ntop(AF_INET6, rr->addr, ip, sizeof(ip)));
			fake_dns_rr_aaaa(r, q->qname, ip);
			break;
		default: fake_dns_rr_name(r, q->qname, q->qtype, rr->name); break;
		}
	}
}

typedef struct fixture {
	mc_loop_t *loop;
	mc_dns_t *dns;
	fake_dns_t *srv;
} fixture_t;

static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(mc_loop_new(&f->loop), MC_OK);
	f->srv = fake_dns_start(f->loop, respond, NULL);
	f->dns = fake_dns_resolver(f->srv, 600); /* a dropped question times out in about 2 s */
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
	spf_zone_free();
	return 0;
}

typedef struct got {
	unsigned calls;
	mc_spf_result_t r;
	mc_spf_run_t *run;
	bool free_in_done;
	unsigned *left;
	mc_loop_t *loop;
} got_t;

static void on_done(void *arg, const mc_spf_result_t *r)
{
	got_t *g = arg;

	g->calls++;
	g->r = *r;
	if (g->free_in_done) {
		mc_spf_run_free(g->run);
		g->run = NULL;
	}
	if (!--*g->left)
		mc_loop_break(g->loop);
}

/* Run the loop until every run is done or ms pass. */
static void run_loop(fixture_t *f, long ms)
{
	mc_loop_set_deadline(f->loop, mc_clock_now_us() + ms * 1000);
	(void)mc_loop_run(f->loop);
}

/* Every case of the table, all at once on one resolver: the same results
 * as the pure evaluation, done never called before start returns. */
static void test_driver_cases(void **state)
{
	fixture_t *f = *state;
	got_t *g = calloc(spf_host_ncases, sizeof(*g));
	unsigned left = (unsigned)spf_host_ncases;
	size_t i;

	assert_non_null(g);
	for (i = 0; i < spf_host_ncases; i++) {
		mc_spf_params_t p;
		spf_params(&p, spf_host_cases[i].ip, spf_host_cases[i].sender,
		           spf_host_cases[i].helo);
		g[i].left = &left;
		g[i].loop = f->loop;
		assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g[i], &g[i].run),
		                 MC_OK);
		assert_int_equal(g[i].calls, 0);
	}
	run_loop(f, 8000);
	assert_int_equal(left, 0);
	for (i = 0; i < spf_host_ncases; i++) {
		print_message("case: %s\n", spf_host_cases[i].name);
		assert_int_equal(g[i].calls, 1);
		assert_int_equal(mc_spf_run_result(g[i].run)->result, g[i].r.result);
		spf_check_case(&spf_host_cases[i], &g[i].r);
		mc_spf_run_free(g[i].run);
	}
	free(g);
}

/* A run freed from done while a prefetched question is still in flight
 * (its answer comes 200 ms later and is dropped), and a run freed at a
 * deadline, followed by its resolver: both safe, nothing leaked. */
static void test_driver_free_early(void **state)
{
	fixture_t *f = *state;
	got_t g1, g2;
	unsigned left = 1;
	mc_spf_params_t p;

	memset(&g1, 0, sizeof(g1));
	memset(&g2, 0, sizeof(g2));
	g1.free_in_done = true;
	g1.left = &left;
	g1.loop = f->loop;
	spf_params(&p, "192.0.2.10", "u@quick.test", "h.test");
	assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g1, &g1.run), MC_OK);
	run_loop(f, 3000);
	assert_int_equal(g1.calls, 1);
	assert_null(g1.run);
	assert_int_equal(g1.r.result, MC_SPF_PASS);
	assert_string_equal(g1.r.term, "ip4:192.0.2.10 in include:first.test");
	/* late.test was asked (prefetched) and is not answered yet */
	run_loop(f, 50);
	assert_true(fake_dns_held(f->srv) > 0);
	/* its answer comes for a run that is gone */
	run_loop(f, 400);
	assert_int_equal(fake_dns_held(f->srv), 0);
	/* a deadline: what the evaluation had so far */
	spf_params(&p, "198.51.100.99", "u@quick2.test", "h.test");
	g2.left = &left;
	g2.loop = f->loop;
	left = 1;
	assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g2, &g2.run), MC_OK);
	run_loop(f, 100);
	assert_int_equal(g2.calls, 0);
	assert_true(mc_spf_run_busy(g2.run));
	assert_true(mc_spf_run_result(g2.run)->pending);
	assert_int_equal(mc_spf_run_result(g2.run)->result, MC_SPF_TEMPERROR);
	assert_string_equal(mc_spf_run_result(g2.run)->reason, "no answer yet: TXT late2.test");
	mc_spf_run_free(g2.run);
	mc_dns_free(f->dns);
	f->dns = NULL;
	assert_int_equal(g2.calls, 0);
}

/* A result known without DNS still comes from the loop. */
static void test_driver_no_dns(void **state)
{
	fixture_t *f = *state;
	got_t g;
	unsigned left = 1;
	mc_spf_params_t p;
	mc_spf_run_t *run;

	memset(&g, 0, sizeof(g));
	g.left = &left;
	g.loop = f->loop;
	spf_params(&p, "192.0.2.10", "u@localhost", "h.test");
	assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g, &run), MC_OK);
	assert_int_equal(g.calls, 0);
	run_loop(f, 1000);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.result, MC_SPF_NONE);
	assert_int_equal(fake_dns_queries(f->srv), 0);
	mc_spf_run_free(run);
	/* freed before the loop ran: no callback */
	g.calls = 0;
	assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g, &run), MC_OK);
	mc_spf_run_free(run);
	run_loop(f, 50);
	assert_int_equal(g.calls, 0);
	memset(&p.ip, 0, sizeof(p.ip));
	assert_int_equal(mc_spf_run_start(f->loop, f->dns, &p, on_done, &g, &run), MC_E_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_driver_cases, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_driver_free_early, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_driver_no_dns, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
