/* test_dns_replay.c - mc_dns_replay, the driver of pure functions of DNS
 * answers: replayed once per answer to its own questions and no more, done
 * from the loop only, each question asked once, answers made up for names
 * DNS cannot carry and questions over the limit, and what happens to
 * questions still in flight when the replay is freed (from done: detached;
 * at a deadline: freed with it). The scripted server (fake_dns.h), on the
 * same loop, answers TXT questions from a table; late* after 200 ms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dns/mc_dns.h"
#include "dns/mc_dns_replay.h"
#include "fake_dns.h"
#include "util/mc_clock.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the scripted server ---- */

/* The zone: one TXT string per name; NULL text: NXDOMAIN. */
static const struct {
	const char *name;
	const char *text;
} zone[] = {
    {"c1.test", "next=c2.test"}, {"c2.test", "next=C3.TEST."}, /* case and a trailing dot: the same
                                                                  name */
    {"c3.test", "end"},          {"fan1.test", "one"},         {"fan2.test", "two"},
    {"fan3.test", "three"},      {"late.test", "late"},        {"late2.test", "late"},
};

/* The zone as the wire carries it; late* names are answered after 200 ms. */
static void respond(void *arg, const mc_dns_msg_t *q, fake_dns_reply_t *r)
{
	const char *text = NULL;
	size_t i;

	(void)arg;
	for (i = 0; i < N_OF(zone); i++)
		if (mc_dns_name_eq(zone[i].name, q->qname) && q->qtype == MC_DNS_T_TXT)
			text = zone[i].text;
	if (!strncmp(q->qname, "late", 4))
		r->delay_ms = 200;
	if (!text) {
		r->rcode = 3;
		return;
	}
	fake_dns_rr_txt(r, q->qname, (const uint8_t *)text, strlen(text));
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
	f->dns = fake_dns_resolver(f->srv, 600);
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

/* Run the loop until a done breaks it or ms pass. */
static void run_loop(fixture_t *f, long ms)
{
	mc_loop_set_deadline(f->loop, mc_clock_now_us() + ms * 1000);
	(void)mc_loop_run(f->loop);
}

/* ---- the functions replayed ---- */

/* What a function saw and did, and what done does. */
typedef struct probe {
	mc_loop_t *loop;
	mc_dns_replay_t *rp;
	unsigned runs, done_calls;
	bool in_start;      /* mc_dns_replay_start has not returned yet */
	bool done_in_start; /* done was called from inside start */
	bool free_in_done;  /* done frees the replay */
	bool busy_in_done;  /* mc_dns_replay_busy, seen from done */
	char result[400];
	/* fan: the names asked on every run, and which are waited for */
	const char *names[4];
	size_t nnames;
	unsigned wait_mask;
	const mc_dns_answer_t *ans[4];
} probe_t;

static void on_done(void *arg)
{
	probe_t *p = arg;

	p->done_calls++;
	p->done_in_start |= p->in_start;
	p->busy_in_done = mc_dns_replay_busy(p->rp);
	if (p->free_in_done) {
		mc_dns_replay_free(p->rp);
		p->rp = NULL;
	}
	mc_loop_break(p->loop);
}

/* Follow TXT "next=NAME" from c1.test to a record without it. c1.test is
 * looked up again on every step, spelt otherwise: never a new question. */
static bool chain_fn(void *arg, mc_dns_lookup_fn lookup, void *lookup_arg)
{
	probe_t *p = arg;
	char name[256] = "c1.test";
	const mc_dns_answer_t *a;

	p->runs++;
	for (;;) {
		a = lookup(lookup_arg, name, MC_DNS_T_TXT);
		if (!a)
			return true;
		if (strcmp(name, "c1.test"))
			assert_non_null(lookup(lookup_arg, "C1.Test.", MC_DNS_T_TXT));
		if (a->outcome != MC_DNS_ANSWER) {
			snprintf(p->result, sizeof(p->result), "%s", a->error);
			return false;
		}
		if (strncmp((const char *)a->rrs[0]->data, "next=", 5)) {
			snprintf(p->result, sizeof(p->result), "%s", (const char *)a->rrs[0]->data);
			return false;
		}
		snprintf(name, sizeof(name), "%s", (const char *)a->rrs[0]->data + 5);
	}
}

/* Ask every name at once; pending while a name of wait_mask is unknown. */
static bool fan_fn(void *arg, mc_dns_lookup_fn lookup, void *lookup_arg)
{
	probe_t *p = arg;
	bool pending = false;
	size_t i;

	p->runs++;
	for (i = 0; i < p->nnames; i++) {
		p->ans[i] = lookup(lookup_arg, p->names[i], MC_DNS_T_TXT);
		if (!p->ans[i] && (p->wait_mask >> i & 1))
			pending = true;
	}
	return pending;
}

static void start(fixture_t *f, probe_t *p, mc_dns_replay_fn fn, size_t max_questions,
                  const char *over_limit)
{
	mc_dns_replay_params_t rp;

	memset(&rp, 0, sizeof(rp));
	rp.fn = fn;
	rp.done = on_done;
	rp.arg = p;
	rp.max_questions = max_questions;
	rp.over_limit = over_limit;
	p->loop = f->loop;
	p->in_start = true;
	assert_int_equal(mc_dns_replay_start(f->loop, f->dns, &rp, &p->rp), MC_OK);
	p->in_start = false;
	assert_non_null(p->rp);
}

/* ---- cases ---- */

/* A chain of three names: run once at the start and once per answer (4),
 * each name asked once whatever its spelling, done once, from the loop. */
static void test_chain(void **state)
{
	fixture_t *f = *state;
	probe_t p;

	memset(&p, 0, sizeof(p));
	start(f, &p, chain_fn, 0, NULL);
	assert_int_equal(p.runs, 1);
	run_loop(f, 3000);
	assert_int_equal(p.done_calls, 1);
	assert_false(p.done_in_start);
	assert_string_equal(p.result, "end");
	assert_int_equal(p.runs, 4);
	assert_int_equal(fake_dns_queries(f->srv), 3);
	assert_false(mc_dns_replay_busy(p.rp));
	mc_dns_replay_free(p.rp);
}

static bool nothing_fn(void *arg, mc_dns_lookup_fn lookup, void *lookup_arg)
{
	probe_t *p = arg;

	(void)lookup;
	(void)lookup_arg;
	p->runs++;
	return false;
}

/* Not pending at the first run: done still comes from the loop; freed
 * before the loop runs, never. */
static void test_known_at_once(void **state)
{
	fixture_t *f = *state;
	probe_t p;

	memset(&p, 0, sizeof(p));
	start(f, &p, nothing_fn, 0, NULL);
	assert_int_equal(p.done_calls, 0);
	run_loop(f, 1000);
	assert_int_equal(p.done_calls, 1);
	assert_false(p.done_in_start);
	assert_int_equal(p.runs, 1);
	mc_dns_replay_free(p.rp);
	memset(&p, 0, sizeof(p));
	start(f, &p, nothing_fn, 0, NULL);
	mc_dns_replay_free(p.rp);
	run_loop(f, 50);
	assert_int_equal(p.done_calls, 0);
	assert_int_equal(fake_dns_queries(f->srv), 0);
	mc_dns_replay_free(NULL);
}

/* Answers made up without a query: a name mc_dns refuses is NXDOMAIN, a
 * question over the limit SERVFAIL with the text given or the default. */
static void test_made_up_answers(void **state)
{
	fixture_t *f = *state;
	static const struct {
		const char *name;
		size_t max;
		const char *over_limit;
		const char *want_error; /* of the last name */
		mc_dns_outcome_t want;
		unsigned queries;
	} cases[] = {
	    {"name_over_253_bytes", 0, NULL, "not a name that can be asked", MC_DNS_NXDOMAIN, 0},
	    {"third_over_limit_2", 2, NULL, "TXT fan3.test: too many questions", MC_DNS_SERVFAIL,
	     2},
	    /* fan1 and fan2 again: mc_dns answers from what it knows */
	    {"over_limit_text", 2, "too many for this test",
	     "TXT fan3.test: too many for this test", MC_DNS_SERVFAIL, 0},
	};
	char longname[300];
	size_t i;

	memset(longname, 'a', sizeof(longname));
	longname[sizeof(longname) - 1] = '\0';
	for (i = 0; i < N_OF(cases); i++) {
		probe_t p;
		unsigned before = fake_dns_queries(f->srv);
		print_message("case: %s\n", cases[i].name);
		memset(&p, 0, sizeof(p));
		if (i == 0) {
			p.names[0] = longname;
			p.nnames = 1;
		} else {
			p.names[0] = "fan1.test";
			p.names[1] = "fan2.test";
			p.names[2] = "fan3.test";
			p.nnames = 3;
		}
		p.wait_mask = 7;
		start(f, &p, fan_fn, cases[i].max, cases[i].over_limit);
		run_loop(f, 3000);
		assert_int_equal(p.done_calls, 1);
		assert_int_equal(fake_dns_queries(f->srv) - before, cases[i].queries);
		assert_int_equal(p.ans[p.nnames - 1]->outcome, cases[i].want);
		assert_null(p.ans[p.nnames - 1]->msg);
		assert_non_null(strstr(p.ans[p.nnames - 1]->error, cases[i].want_error));
		if (i > 0)
			assert_int_equal(p.ans[0]->outcome, MC_DNS_ANSWER);
		mc_dns_replay_free(p.rp);
	}
}

/* done while a question asked ahead (late.test) is in flight: busy. Not
 * freed: its answer is kept and the function is not run again. Freed from
 * done: the question is detached and freed when its answer comes. */
static void test_in_flight_after_done(void **state)
{
	fixture_t *f = *state;
	probe_t p;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		memset(&p, 0, sizeof(p));
		/* names mc_dns does not know yet: asked on the wire */
		p.names[0] = pass ? "late2.test" : "late.test";
		p.names[1] = pass ? "fan2.test" : "fan1.test";
		p.nnames = 2;
		p.wait_mask = 2;
		p.free_in_done = pass == 1;
		start(f, &p, fan_fn, 0, NULL);
		run_loop(f, 3000);
		assert_int_equal(p.done_calls, 1);
		assert_true(p.busy_in_done);
		assert_int_equal(p.runs, 2);
		assert_true(fake_dns_held(f->srv) > 0);
		run_loop(f, 400); /* late* is answered */
		assert_int_equal(fake_dns_held(f->srv), 0);
		assert_int_equal(p.runs, 2);
		assert_int_equal(p.done_calls, 1);
		if (pass == 0) {
			assert_false(mc_dns_replay_busy(p.rp));
			mc_dns_replay_free(p.rp);
		} else {
			assert_null(p.rp);
		}
	}
}

/* A deadline while the function waits: not done, busy; freed with its
 * question, then the resolver: no callback, nothing leaked. */
static void test_free_at_deadline(void **state)
{
	fixture_t *f = *state;
	probe_t p;

	memset(&p, 0, sizeof(p));
	p.names[0] = "late.test";
	p.nnames = 1;
	p.wait_mask = 1;
	start(f, &p, fan_fn, 0, NULL);
	run_loop(f, 50);
	assert_int_equal(p.done_calls, 0);
	assert_true(mc_dns_replay_busy(p.rp));
	mc_dns_replay_free(p.rp);
	mc_dns_free(f->dns);
	f->dns = NULL;
	assert_int_equal(p.done_calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_known_at_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_made_up_answers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_in_flight_after_done, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_free_at_deadline, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
