/* test_dns.c - the question layer of mc_dns: what an answer is taken to
 * mean (ranked outcome, CNAME chain, AD/AA, the error text), one question
 * never asked twice, reverse names, and the --dns-server option's
 * HOST[:PORT] syntax. A scripted UDP server on loopback,
 * on the same loop, answers each question from a table. */
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
#include "util/mc_clock.h"

/* ---- the scripted server ---- */

typedef struct wire {
	uint8_t b[1024];
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

/* RR header; returns the offset of RDLENGTH to patch. */
static size_t put_rr(wire_t *w, const char *owner, unsigned type)
{
	size_t at;

	put_name(w, owner);
	put16(w, type);
	put16(w, 1);
	put16(w, 0);
	put16(w, 300);
	at = w->n;
	put16(w, 0);
	return at;
}

static void end_rr(wire_t *w, size_t at)
{
	size_t len = w->n - at - 2;

	w->b[at] = (uint8_t)(len >> 8);
	w->b[at + 1] = (uint8_t)len;
}

static void rr_a(wire_t *w, const char *owner, const char *ip)
{
	size_t at = put_rr(w, owner, MC_DNS_T_A);

	inet_pton(AF_INET, ip, w->b + w->n);
	w->n += 4;
	end_rr(w, at);
}

static void rr_name(wire_t *w, const char *owner, unsigned type, const char *target)
{
	size_t at = put_rr(w, owner, type);

	if (type == MC_DNS_T_MX)
		put16(w, 10);
	put_name(w, target);
	end_rr(w, at);
}

typedef struct server {
	int fd;
	unsigned queries;
	unsigned asked_a_test;
} server_t;

/* The answer to one question, chosen by its name. */
static void respond(server_t *srv, const uint8_t *q, size_t qn, const struct sockaddr *peer,
                    socklen_t plen)
{
	mc_dns_msg_t msg;
	wire_t w;
	char err[128];
	unsigned rcode = 0, flags = 0x8180, an = 0;
	const char *name;
	wire_t body;

	if (mc_dns_msg_parse(q, qn, &msg, err, sizeof(err)) != MC_OK)
		return;
	name = msg.qname;
	srv->queries++;
	body.n = 0;
	if (!strcmp(name, "a.test")) {
		srv->asked_a_test++;
		rr_a(&body, "a.test", "192.0.2.1");
		rr_a(&body, "a.test", "192.0.2.2");
		an = 2;
		flags |= 0x0020; /* AD */
	} else if (!strcmp(name, "alias.test")) {
		rr_name(&body, "alias.test", MC_DNS_T_CNAME, "mid.test");
		rr_name(&body, "mid.test", MC_DNS_T_CNAME, "a.test");
		rr_a(&body, "a.test", "192.0.2.1");
		an = 3;
	} else if (!strcmp(name, "mx.test")) {
		rr_name(&body, "mx.test", MC_DNS_T_MX, "mail.test");
		an = 1;
		flags |= 0x0400; /* AA */
	} else if (!strcmp(name, "foreign.test")) {
		rr_a(&body, "elsewhere.test", "192.0.2.9");
		an = 1;
	} else if (!strcmp(name, "nx.test")) {
		rcode = 3;
	} else if (!strcmp(name, "servfail.test")) {
		rcode = 2;
	} else if (!strcmp(name, "refused.test")) {
		rcode = 5;
	} else if (!strcmp(name, "notimp.test")) {
		rcode = 4;
	} else if (!strcmp(name, "cut.test")) {
		rr_a(&body, "cut.test", "192.0.2.1");
		body.n -= 2; /* the address is two bytes short */
		an = 1;
	}
	/* header with the question copied, then the records */
	w.n = 0;
	put16(&w, msg.id);
	put16(&w, flags | rcode);
	put16(&w, 1);
	put16(&w, an);
	put16(&w, 0);
	put16(&w, 0);
	put_name(&w, name);
	put16(&w, msg.qtype);
	put16(&w, 1);
	memcpy(w.b + w.n, body.b, body.n);
	w.n += body.n;
	mc_dns_msg_free(&msg);
	(void)sendto(srv->fd, w.b, w.n, 0, peer, plen);
}

static void on_query(mc_loop_t *loop, int fd, short revents, void *arg)
{
	server_t *srv = arg;
	uint8_t buf[1500];
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	ssize_t n;

	(void)loop;
	(void)revents;
	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen);
	if (n > 0)
		respond(srv, buf, (size_t)n, (struct sockaddr *)&peer, plen);
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
	p.deadline_ms = 2000;
	assert_int_equal(mc_dns_new(f->loop, &p, &f->dns, err, sizeof(err)), MC_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *f = *state;

	mc_dns_free(f->dns);
	mc_loop_unwatch(f->loop, f->srv.fd);
	close(f->srv.fd);
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
	assert_int_equal(f->srv.asked_a_test, 1);
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
