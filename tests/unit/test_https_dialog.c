/* Unit tests: the HTTPS GET of the MTA-STS policy (common/proto/mc_https.c)
 * against a scripted TLS server on the loop (dialog_server.h): a body
 * with a length, chunked, until the end of the connection; and the
 * faults (a wrong certificate, a body over the limit, a response cut
 * short, garbage, silence). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dialog_server.h"
#include "proto/mc_https.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static ds_pki_t pki;

typedef struct https_case {
	const char *name;
	const ds_step_t *steps;
	size_t nsteps;
	const char *cert_name; /* NULL: mail.test */
	mc_status_t status;
	mc_phase_id_t phase_id;
	const char *phase;
	const char *error; /* a part of the message, or NULL */
	int http_status;   /* on MC_OK */
	const char *body;  /* on MC_OK */
	int ms;            /* the deadline; 0: 5 s */
} https_case_t;

#define POLICY "version: STSv1\r\nmode: enforce\r\nmx: mail.test\r\nmax_age: 86400\r\n"
#define REQUEST                                                                                    \
	DS_STARTTLS, DS_C("GET /.well-known/mta-sts.txt HTTP/1.1"),                                \
	    DS_C("Host: mta-sts.mail.test"), DS_C("User-Agent: mailcheck-plugins"),                \
	    DS_C("Accept: text/plain"), DS_C("Connection: close"), DS_C("")
#define END                                                                                        \
	{                                                                                          \
		DS_CLOSE, NULL, NULL                                                               \
	}

static const ds_step_t s_length[] = {
    REQUEST, DS_S("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                  "Content-Length: 62\r\n\r\n" POLICY)};
static const ds_step_t s_chunked[] = {
    REQUEST, DS_S("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                  "\r\n10\r\nversion: STSv1\r\n\r\n0\r\n\r\n")};
static const ds_step_t s_until_eof[] = {
    REQUEST, DS_S("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" POLICY), END};
static const ds_step_t s_redirect[] = {
    REQUEST,
    DS_S("HTTP/1.1 301 Moved\r\nLocation: https://elsewhere.test/\r\nContent-Length: 0\r\n\r\n")};
static const ds_step_t s_cut_headers[] = {REQUEST, DS_S("HTTP/1.1 200 OK\r\nContent-Ty"), END};
static const ds_step_t s_too_big[] = {
    REQUEST, DS_S("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nversion: STSv1\r\n")};
static const ds_step_t s_garbage[] = {REQUEST, DS_S("220 mail.test ESMTP\r\n\r\n")};
static const ds_step_t s_silent[] = {REQUEST, {DS_SILENT, NULL, NULL}};
static const ds_step_t s_accept_only[] = {DS_STARTTLS};

#define CASE(s) (s), N(s)

static const https_case_t cases[] = {
    {"a policy with Content-Length", CASE(s_length), NULL, MC_OK, MC_PHASE_COMMAND, "http", NULL,
     200, POLICY, 0},
    {"a chunked policy", CASE(s_chunked), NULL, MC_OK, MC_PHASE_COMMAND, "http", NULL, 200,
     "version: STSv1\r\n", 0},
    {"a body that ends with the connection", CASE(s_until_eof), NULL, MC_OK, MC_PHASE_COMMAND,
     "http", NULL, 200, POLICY, 0},
    {"a redirect is reported, not followed", CASE(s_redirect), NULL, MC_OK, MC_PHASE_COMMAND,
     "http", NULL, 301, "", 0},
    {"closed in the middle of the headers", CASE(s_cut_headers), NULL, MC_E_CLOSED,
     MC_PHASE_COMMAND, "http", "connection closed in the header section (in http)", 0, NULL, 0},
    {"a body over the limit", CASE(s_too_big), NULL, MC_E_LIMIT, MC_PHASE_COMMAND, "http",
     "body larger than", 0, NULL, 0},
    {"not HTTP", CASE(s_garbage), NULL, MC_E_PROTOCOL, MC_PHASE_COMMAND, "http",
     "protocol error in http: ", 0, NULL, 0},
    {"no response: the deadline", CASE(s_silent), NULL, MC_E_TIMEOUT, MC_PHASE_COMMAND, "http",
     "in http phase", 0, NULL, 300},
    {"a certificate for another name", CASE(s_accept_only), "mta-sts.other.test", MC_E_VERIFY,
     MC_PHASE_TLS_HANDSHAKE, "tls handshake", "certificate verify failed", 0, NULL, 0},
};

static void run_case(const https_case_t *c)
{
	mc_loop_t *loop;
	ds_server_t srv;
	ds_client_t cl;
	mc_https_params_t p;
	mc_https_result_t res;
	mc_addr_t addr;

	print_message("case: %s\n", c->name);
	assert_int_equal(mc_loop_new(&loop), MC_OK);
	ds_start(&srv, loop, pki.sctx, c->steps, c->nsteps);
	memset(&p, 0, sizeof(p));
	ds_session_params(&p.session, loop, &pki, &srv, &addr);
	if (c->cert_name)
		p.session.tlsp.cert_name = c->cert_name;
	p.host = "mta-sts.mail.test";
	p.path = "/.well-known/mta-sts.txt";
	p.body_max = 64 * 1024;
	cl.loop = loop;
	cl.s = mc_https_get(&p, &res, ds_client_done, &cl);
	assert_non_null(cl.s);
	ds_run(&cl, &srv, c->ms ? c->ms : 5000);
	ds_free(&srv);
	mc_loop_free(loop);
	if (res.base.status != c->status)
		fail_msg("%s: status %s, wanted %s (%s)", c->name, mc_status_str(res.base.status),
		         mc_status_str(c->status), res.base.error);
	assert_int_equal(res.base.phase_id, c->phase_id);
	assert_string_equal(res.base.phase, c->phase);
	if (c->error && !strstr(res.base.error, c->error))
		fail_msg("%s: error '%s', wanted '%s'", c->name, res.base.error, c->error);
	if (c->status == MC_OK) {
		assert_int_equal(res.reply.status, c->http_status);
		assert_int_equal(res.reply.body.len, strlen(c->body));
		assert_memory_equal(res.reply.body.data ? res.reply.body.data : "", c->body,
		                    strlen(c->body));
		assert_true(mc_session_time(&res.base, "time_http") >= 0);
		assert_true(mc_session_time(&res.base, "time_tls") >= 0);
	}
	mc_https_result_free(&res);
}

static void test_https_dialogues(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++)
		run_case(&cases[i]);
}

/* A request that does not fit: nothing starts. */
static void test_https_request_too_long(void **state)
{
	static char path[1024];
	mc_https_params_t p;
	mc_https_result_t res;
	mc_addr_t addr;

	(void)state;
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	memset(&p, 0, sizeof(p));
	assert_int_equal(mc_addr_parse("127.0.0.1", 443, &addr), MC_OK);
	p.session.addrs = &addr;
	p.session.naddrs = 1;
	p.host = "mta-sts.mail.test";
	p.path = path;
	p.body_max = 1024;
	assert_null(mc_https_get(&p, &res, ds_client_done, NULL));
	mc_https_result_free(&res);
}

static int setup(void **state)
{
	(void)state;
	ds_pki_setup(&pki);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ds_pki_teardown(&pki);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_https_dialogues),
	    cmocka_unit_test(test_https_request_too_long),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
