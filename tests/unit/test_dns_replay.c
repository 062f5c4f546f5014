/* test_dns_replay.c - mc_dns_replay, the driver of pure functions of DNS
 * answers: replayed once per answer to its own questions and no more, done
 * from the loop only, each question asked once, answers made up for names
 * DNS cannot carry and questions over the limit, and what happens to
 * questions still in flight when the replay is freed (from done: detached;
 * at a deadline: freed with it). A scripted UDP server on loopback, on the
 * same loop, answers TXT questions from a table; late* after 200 ms. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "dns/mc_dns.h"
#include "dns/mc_dns_replay.h"
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

typedef struct wire {
	uint8_t b[512];
	size_t n;
} wire_t;

static void put8(wire_t *w, unsigned v)
{
	w->b[w->n++] = (uint8_t)v;
}

static void put16(wire_t *w, unsigned v)
{
	put8(w, v >> 8);
	put8(w, v & 0xff);
}

static void put_name(wire_t *w, const char *name)
{
	while (*name) {
		size_t l = strcspn(name, ".");
		put8(w, (unsigned)l);
		memcpy(w->b + w->n, name, l);
		w->n += l;
		name += l + (name[l] == '.');
	}
	put8(w, 0);
}

typedef struct delayed {
	struct delayed *next;
	struct server *srv;
	wire_t w;
	struct sockaddr_storage peer;
	socklen_t plen;
} delayed_t;

typedef struct server {
	int fd;
	unsigned queries;
	delayed_t *delayed; /* answers held back */
} server_t;

static void build_response(const mc_dns_msg_t *q, wire_t *w)
{
	const char *text = NULL;
	size_t i, len;

	for (i = 0; i < N_OF(zone); i++)
		if (mc_dns_name_eq(zone[i].name, q->qname) && q->qtype == MC_DNS_T_TXT)
			text = zone[i].text;
	w->n = 0;
	put16(w, q->id);
	put16(w, text ? 0x8180 : 0x8183);
	put16(w, 1);
	put16(w, text ? 1 : 0);
	put16(w, 0);
	put16(w, 0);
	put_name(w, q->qname);
	put16(w, q->qtype);
	put16(w, 1);
	if (!text)
		return;
	len = strlen(text);
	put_name(w, q->qname);
	put16(w, MC_DNS_T_TXT);
	put16(w, 1);
	put16(w, 0);
	put16(w, 300);
	put16(w, (unsigned)len + 1);
	put8(w, (unsigned)len);
	memcpy(w->b + w->n, text, len);
	w->n += len;
}

static void send_delayed(mc_loop_t *loop, void *arg)
{
	delayed_t *d = arg, **pp;

	(void)loop;
	(void)sendto(d->srv->fd, d->w.b, d->w.n, 0, (struct sockaddr *)&d->peer, d->plen);
	for (pp = &d->srv->delayed; *pp != d; pp = &(*pp)->next)
		;
	*pp = d->next;
	free(d);
}

static void on_query(mc_loop_t *loop, int fd, short revents, void *arg)
{
	server_t *srv = arg;
	uint8_t buf[1500];
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	mc_dns_msg_t q;
	char err[128];
	ssize_t n;
	delayed_t *d;

	(void)revents;
	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen);
	if (n <= 0 || mc_dns_msg_parse(buf, (size_t)n, &q, err, sizeof(err)) != MC_OK)
		return;
	srv->queries++;
	d = calloc(1, sizeof(*d));
	assert_non_null(d);
	build_response(&q, &d->w);
	if (!strncmp(q.qname, "late", 4)) {
		d->srv = srv;
		d->peer = peer;
		d->plen = plen;
		d->next = srv->delayed;
		srv->delayed = d;
		assert_non_null(mc_loop_timer(loop, 200000, send_delayed, d));
	} else {
		(void)sendto(fd, d->w.b, d->w.n, 0, (struct sockaddr *)&peer, plen);
		free(d);
	}
	mc_dns_msg_free(&q);
}

typedef struct fixture {
	mc_loop_t *loop;
	mc_dns_t *dns;
	server_t srv;
} fixture_t;

static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof(*f));
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	mc_dns_params_t p;
	char server[64], err[256];

	assert_non_null(f);
	f->srv.fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(f->srv.fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(f->srv.fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(f->srv.fd, (struct sockaddr *)&sin, &len), 0);
	assert_int_equal(mc_loop_new(&f->loop), MC_OK);
	assert_int_equal(mc_loop_watch(f->loop, f->srv.fd, POLLIN, on_query, &f->srv), MC_OK);
	snprintf(server, sizeof(server), "127.0.0.1:%u", ntohs(sin.sin_port));
	memset(&p, 0, sizeof(p));
	p.servers[0] = server;
	p.nservers = 1;
	p.deadline_ms = 600;
	assert_int_equal(mc_dns_new(f->loop, &p, &f->dns, err, sizeof(err)), MC_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *f = *state;

	mc_dns_free(f->dns);
	while (f->srv.delayed) {
		delayed_t *d = f->srv.delayed;
		f->srv.delayed = d->next;
		free(d);
	}
	mc_loop_unwatch(f->loop, f->srv.fd);
	close(f->srv.fd);
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
	assert_int_equal(f->srv.queries, 3);
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
	assert_int_equal(f->srv.queries, 0);
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
		unsigned before = f->srv.queries;
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
		assert_int_equal(f->srv.queries - before, cases[i].queries);
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
		assert_non_null(f->srv.delayed);
		run_loop(f, 400); /* late* is answered */
		assert_null(f->srv.delayed);
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
