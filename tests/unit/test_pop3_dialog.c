/* Unit tests: the POP3 state machine (common/proto/mc_pop3.c) against a
 * scripted server on the loop (dialog_server.h): greeting, CAPA, STLS
 * with a test certificate, implicit TLS, AUTH PLAIN and USER/PASS, STAT,
 * QUIT, and the fault shapes (no greeting, reset, garbage, oversized
 * reply, bytes injected after STLS). Each case checks status, phase id
 * and name, and message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dialog_server.h"
#include "proto/mc_pop3.h"
#include "proto/mc_pop3_reply.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static ds_pki_t pki;

typedef struct pop3_case {
	const char *name;
	const ds_step_t *steps;
	size_t nsteps;
	void (*tweak)(mc_pop3_params_t *p); /* NULL: STLS, no login */
	mc_status_t status;
	mc_phase_id_t phase_id;
	const char *phase;
	const char *error; /* a part of the message, or NULL */
	bool script_done;
	void (*check)(const mc_pop3_result_t *r);
	int ms; /* the deadline; 0: 5 s */
} pop3_case_t;

#define GREET DS_S("+OK Dovecot ready.\r\n")
#define CAPA DS_C("CAPA"), DS_S("+OK\r\nTOP\r\nUSER\r\nSASL PLAIN\r\nSTLS\r\n.\r\n")
#define STLS DS_C("STLS"), DS_S("+OK Begin TLS negotiation now.\r\n"), DS_STARTTLS
#define CAPA_TLS(caps) DS_C("CAPA"), DS_S("+OK\r\n" caps ".\r\n")
#define UP_TO_TLS GREET, CAPA, STLS
#define QUIT DS_C("QUIT"), DS_S("+OK Logging out.\r\n")
#define STAT DS_C("STAT"), DS_S("+OK 3 1200\r\n")

static const ds_step_t s_plain[] = {UP_TO_TLS,
                                    CAPA_TLS("TOP\r\nUSER\r\nSASL PLAIN LOGIN\r\n"),
                                    DS_C("AUTH PLAIN AHVzZXIAc2VjcmV0"),
                                    DS_S("+OK Logged in.\r\n"),
                                    STAT,
                                    QUIT};
static const ds_step_t s_user[] = {UP_TO_TLS,
                                   CAPA_TLS("USER\r\nSASL LOGINX\r\n"),
                                   DS_C("USER user"),
                                   DS_S("+OK\r\n"),
                                   DS_C("PASS secret"),
                                   DS_S("+OK Logged in.\r\n"),
                                   STAT,
                                   QUIT};
static const ds_step_t s_no_login[] = {UP_TO_TLS, CAPA_TLS("USER\r\n"), QUIT};
static const ds_step_t s_implicit[] = {DS_STARTTLS, GREET, DS_C("CAPA"), DS_S("-ERR no CAPA\r\n"),
                                       QUIT};
static const ds_step_t s_greet_err[] = {DS_S("-ERR busy\r\n")};
static const ds_step_t s_capa_err[] = {GREET, DS_C("CAPA"), DS_S("-ERR unknown command\r\n")};
static const ds_step_t s_no_stls[] = {GREET, DS_C("CAPA"), DS_S("+OK\r\nUSER\r\n.\r\n")};
static const ds_step_t s_stls_err[] = {GREET, CAPA, DS_C("STLS"), DS_S("-ERR not now\r\n")};
static const ds_step_t s_user_err[] = {UP_TO_TLS, CAPA_TLS("USER\r\n"), DS_C("USER user"),
                                       DS_S("-ERR no such user\r\n")};
static const ds_step_t s_pass_err[] = {
    UP_TO_TLS,       CAPA_TLS("USER\r\n"), DS_C("USER user"),
    DS_S("+OK\r\n"), DS_C("PASS"),         DS_S("-ERR [AUTH] Authentication failed.\r\n")};
static const ds_step_t s_challenge[] = {UP_TO_TLS, CAPA_TLS("SASL PLAIN\r\n"), DS_C("AUTH PLAIN "),
                                        DS_S("+ \r\n")};
static const ds_step_t s_cont_capa[] = {GREET, DS_C("CAPA"), DS_S("+ \r\n")};
static const ds_step_t s_stat_err[] = {UP_TO_TLS,           CAPA_TLS("SASL PLAIN\r\n"),
                                       DS_C("AUTH PLAIN "), DS_S("+OK\r\n"),
                                       DS_C("STAT"),        DS_S("-ERR mailbox locked\r\n")};
static const ds_step_t s_stat_bad[] = {UP_TO_TLS,           CAPA_TLS("SASL PLAIN\r\n"),
                                       DS_C("AUTH PLAIN "), DS_S("+OK\r\n"),
                                       DS_C("STAT"),        DS_S("+OK lots\r\n")};
static const ds_step_t s_injection[] = {GREET, CAPA, DS_C("STLS"),
                                        DS_S("+OK go\r\n+OK injected\r\n")};
static const ds_step_t s_silent[] = {{DS_SILENT, NULL, NULL}};
static const ds_step_t s_reset[] = {GREET, DS_C("CAPA"), {DS_RESET, NULL, NULL}};
static const ds_step_t s_garbage[] = {DS_S("220 mail.test ESMTP\r\n")};
static const ds_step_t s_tls_no_caps[] = {UP_TO_TLS, CAPA_TLS("")};

static void t_auto(mc_pop3_params_t *p)
{
	p->user = "user";
	p->password = "secret";
}
static void t_implicit(mc_pop3_params_t *p)
{
	p->session.implicit_tls = true;
}
static void t_bad_user(mc_pop3_params_t *p)
{
	t_auto(p);
	p->auth = MC_POP3_AUTH_USER;
	p->user = "two words";
}

static void c_plain(const mc_pop3_result_t *r)
{
	assert_string_equal(r->greeting, "+OK Dovecot ready.");
	assert_string_equal(r->caps_before, "TOP USER SASL PLAIN STLS");
	assert_string_equal(r->caps, "TOP USER SASL PLAIN LOGIN");
	assert_true(r->plain_login_before);
	assert_true(r->logged_in);
	assert_string_equal(r->auth_used, "AUTH PLAIN");
	assert_true(r->have_stat);
	assert_int_equal(r->messages, 3);
	assert_int_equal(r->octets, 1200);
	assert_true(mc_session_time(&r->base, "time_stat") >= 0);
}
static void c_user(const mc_pop3_result_t *r)
{
	assert_string_equal(r->auth_used, "USER/PASS");
	assert_true(r->logged_in);
}
static void c_implicit(const mc_pop3_result_t *r)
{
	assert_string_equal(r->caps, "");
	assert_false(r->logged_in);
}

#define CASE(s) (s), N(s)

static const pop3_case_t cases[] = {
    {"STLS, AUTH PLAIN, STAT, QUIT", CASE(s_plain), t_auto, MC_OK, MC_PHASE_CLOSING, "quit", NULL,
     true, c_plain, 0},
    {"USER/PASS when SASL PLAIN is not advertised", CASE(s_user), t_auto, MC_OK, MC_PHASE_CLOSING,
     "quit", NULL, true, c_user, 0},
    {"no login: QUIT after CAPA", CASE(s_no_login), NULL, MC_OK, MC_PHASE_CLOSING, "quit", NULL,
     true, NULL, 0},
    {"implicit TLS, CAPA refused", CASE(s_implicit), t_implicit, MC_OK, MC_PHASE_CLOSING, "quit",
     NULL, true, c_implicit, 0},
    {"greeting -ERR", CASE(s_greet_err), NULL, MC_E_REFUSED, MC_PHASE_GREETING, "greeting",
     "greeting: -ERR busy", true, NULL, 0},
    {"CAPA refused before TLS: no STLS", CASE(s_capa_err), NULL, MC_E_REFUSED, MC_PHASE_HELLO,
     "capa", "STLS not offered in the CAPA reply", true, NULL, 0},
    {"STLS not offered: no plaintext fallback", CASE(s_no_stls), NULL, MC_E_REFUSED, MC_PHASE_HELLO,
     "capa", "STLS not offered in the CAPA reply", true, NULL, 0},
    {"STLS refused", CASE(s_stls_err), NULL, MC_E_REFUSED, MC_PHASE_STARTTLS, "stls",
     "STLS refused: -ERR not now", true, NULL, 0},
    {"USER refused", CASE(s_user_err), t_auto, MC_E_REFUSED, MC_PHASE_LOGIN, "user",
     "login failed: USER: -ERR no such user", true, NULL, 0},
    {"PASS refused", CASE(s_pass_err), t_auto, MC_E_REFUSED, MC_PHASE_LOGIN, "login",
     "login failed: -ERR [AUTH] Authentication failed.", true, NULL, 0},
    {"a challenge after the initial response", CASE(s_challenge), t_auto, MC_E_PROTOCOL,
     MC_PHASE_LOGIN, "login", "protocol error in login: a challenge after the initial response",
     true, NULL, 0},
    {"a continuation outside a login", CASE(s_cont_capa), NULL, MC_E_PROTOCOL, MC_PHASE_HELLO,
     "capa", "protocol error in capa: unexpected continuation", true, NULL, 0},
    {"STAT refused", CASE(s_stat_err), t_auto, MC_E_REFUSED, MC_PHASE_COMMAND, "stat",
     "STAT refused: -ERR mailbox locked", true, NULL, 0},
    {"a malformed STAT reply", CASE(s_stat_bad), t_auto, MC_E_PROTOCOL, MC_PHASE_COMMAND, "stat",
     "protocol error in stat: malformed reply 'lots'", true, NULL, 0},
    {"a user name USER cannot carry", CASE(s_tls_no_caps), t_bad_user, MC_E_USAGE, MC_PHASE_HELLO,
     "capa after tls", "cannot be sent with USER/PASS", true, NULL, 0},
    {"bytes injected after the STLS go-ahead", CASE(s_injection), NULL, MC_E_PROTOCOL,
     MC_PHASE_STARTTLS, "stls", "STLS injection: the server sent 14 byte(s)", true, NULL, 0},
    {"no greeting: the deadline", CASE(s_silent), NULL, MC_E_TIMEOUT, MC_PHASE_GREETING, "greeting",
     "in greeting phase", true, NULL, 300},
    {"reset in the middle of the dialogue", CASE(s_reset), NULL, MC_E_CLOSED, MC_PHASE_HELLO,
     "capa", "(in capa)", true, NULL, 0},
    {"garbage instead of a greeting", CASE(s_garbage), NULL, MC_E_PROTOCOL, MC_PHASE_GREETING,
     "greeting", "protocol error in greeting", true, NULL, 0},
};

static void run_case(const pop3_case_t *c, mc_pop3_result_t *res)
{
	mc_loop_t *loop;
	ds_server_t srv;
	ds_client_t cl;
	ds_expect_t expect;
	mc_pop3_params_t p;
	mc_addr_t addr;

	print_message("case: %s\n", c->name);
	assert_int_equal(mc_loop_new(&loop), MC_OK);
	ds_start(&srv, loop, pki.sctx, c->steps, c->nsteps);
	memset(&p, 0, sizeof(p));
	ds_session_params(&p.session, loop, &pki, &srv, &addr);
	if (c->tweak)
		c->tweak(&p);
	cl.loop = loop;
	cl.s = mc_pop3_start(&p, res, ds_client_done, &cl);
	assert_non_null(cl.s);
	ds_run(&cl, &srv, c->ms ? c->ms : 5000);
	expect.name = c->name;
	expect.status = c->status;
	expect.phase_id = c->phase_id;
	expect.phase = c->phase;
	expect.error = c->error;
	expect.script_done = c->script_done;
	ds_finish(&srv, loop, &expect, &res->base);
	if (c->check)
		c->check(res);
}

static void test_pop3_dialogues(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_pop3_result_t res;
		run_case(&cases[i], &res);
	}
}

/* A multi-line reply larger than the cap (MC_POP3_REPLY_MAX) is refused. */
static void test_pop3_oversized_reply(void **state)
{
	size_t line = 500, nlines = MC_POP3_REPLY_MAX / line + 8, i, len;
	char *big = malloc(nlines * line + 16);
	ds_step_t steps[3] = {GREET, DS_C("CAPA"), DS_S(NULL)};
	pop3_case_t c = {
	    "an oversized CAPA reply", NULL,  0,    NULL, MC_E_PROTOCOL, MC_PHASE_HELLO, "capa",
	    "protocol error in capa",  false, NULL, 0};
	mc_pop3_result_t res;

	(void)state;
	assert_non_null(big);
	memcpy(big, "+OK\r\n", 5);
	len = 5;
	for (i = 0; i < nlines; i++) {
		memset(big + len, 'X', line);
		memcpy(big + len + line - 2, "\r\n", 2);
		len += line;
	}
	big[len] = '\0';
	steps[2].text = big;
	c.steps = steps;
	c.nsteps = N(steps);
	run_case(&c, &res);
	free(big);
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
	    cmocka_unit_test(test_pop3_dialogues),
	    cmocka_unit_test(test_pop3_oversized_reply),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
