/* Unit tests: the IMAP state machine (common/proto/mc_imap.c) against a
 * scripted server on the loop (dialog_server.h): greeting with and without
 * capabilities, STARTTLS with a test certificate, implicit TLS and
 * PREAUTH, AUTHENTICATE PLAIN (SASL-IR or continuation) and LOGIN, STATUS,
 * GETQUOTAROOT, LOGOUT, and the fault shapes (no greeting, reset,
 * garbage, oversized line, BYE, tag mismatch, bytes injected after
 * STARTTLS). Each case checks status, phase id and name, and message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dialog_server.h"
#include "proto/mc_imap.h"
#include "proto/mc_imap_reply.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static ds_pki_t pki;

typedef struct imap_case {
	const char *name;
	const ds_step_t *steps;
	size_t nsteps;
	void (*tweak)(mc_imap_params_t *p); /* NULL: STARTTLS, no login */
	mc_status_t status;
	mc_phase_id_t phase_id;
	const char *phase;
	const char *error; /* a part of the message, or NULL */
	bool script_done;
	void (*check)(const mc_imap_result_t *r);
	int ms; /* the deadline; 0: 5 s */
} imap_case_t;

#define END                                                                                        \
	{                                                                                          \
		DS_CLOSE, NULL, NULL                                                               \
	}
#define GREET_CAPS DS_S("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Dovecot ready.\r\n")
#define STARTTLS DS_C("a1 STARTTLS"), DS_S("a1 OK Begin TLS negotiation now.\r\n"), DS_STARTTLS
#define CAPS_TLS(n, caps) DS_C(n " CAPABILITY"), DS_S("* CAPABILITY " caps "\r\n" n " OK done\r\n")
#define UP_TO_TLS GREET_CAPS, STARTTLS
#define LOGOUT(n) DS_C(n " LOGOUT"), DS_S("* BYE Logging out\r\n" n " OK Logout completed.\r\n")
#define STATUS_OK(n)                                                                               \
	DS_C(n " STATUS \"INBOX\" (MESSAGES UNSEEN)"),                                             \
	    DS_S("* STATUS INBOX (MESSAGES 3 UNSEEN 1)\r\n" n " OK done\r\n")
#define PLAIN_IR(n) DS_C(n " AUTHENTICATE PLAIN AHVzZXIAc2VjcmV0"), DS_S(n " OK Logged in\r\n")

static const ds_step_t s_full[] = {
    UP_TO_TLS,
    CAPS_TLS("a2", "IMAP4rev1 AUTH=PLAIN SASL-IR QUOTA"),
    PLAIN_IR("a3"),
    STATUS_OK("a4"),
    DS_C("a5 GETQUOTAROOT \"INBOX\""),
    DS_S("* QUOTAROOT INBOX \"\"\r\n* QUOTA \"\" (STORAGE 10 512)\r\na5 OK done\r\n"),
    LOGOUT("a6")};
static const ds_step_t s_caps_cmd[] = {DS_S("* OK IMAP ready\r\n"),
                                       DS_C("a1 CAPABILITY"),
                                       DS_S("* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK done\r\n"),
                                       DS_C("a2 STARTTLS"),
                                       DS_S("a2 OK go\r\n"),
                                       DS_STARTTLS,
                                       CAPS_TLS("a3", "IMAP4rev1"),
                                       DS_C("a4 LOGIN \"user\" \"secret\""),
                                       DS_S("a4 OK [CAPABILITY IMAP4rev1 QUOTA] Logged in\r\n"),
                                       DS_C("a5 GETQUOTAROOT \"INBOX\""),
                                       DS_S("* QUOTAROOT INBOX \"\"\r\na5 OK no quota\r\n"),
                                       LOGOUT("a6")};
static const ds_step_t s_continuation[] = {UP_TO_TLS,
                                           CAPS_TLS("a2", "IMAP4rev1 AUTH=PLAIN"),
                                           DS_C("a3 AUTHENTICATE PLAIN"),
                                           DS_S("+ \r\n"),
                                           DS_C("AHVzZXIAc2VjcmV0"),
                                           DS_S("a3 OK Logged in\r\n"),
                                           LOGOUT("a4")};
static const ds_step_t s_no_quota_cap[] = {
    UP_TO_TLS, CAPS_TLS("a2", "IMAP4rev1 AUTH=PLAIN SASL-IR"), PLAIN_IR("a3"), LOGOUT("a4")};
static const ds_step_t s_implicit_preauth[] = {
    DS_STARTTLS, DS_S("* PREAUTH [CAPABILITY IMAP4rev1] Logged in as user\r\n"), LOGOUT("a1")};
static const ds_step_t s_preauth_plain[] = {DS_S("* PREAUTH Logged in as user\r\n")};
static const ds_step_t s_bye[] = {DS_S("* BYE Too many connections\r\n")};
static const ds_step_t s_not_greeting[] = {DS_S("a1 OK hello\r\n")};
static const ds_step_t s_no_starttls[] = {DS_S("* OK [CAPABILITY IMAP4rev1] ready\r\n")};
static const ds_step_t s_no_caps[] = {DS_S("* OK ready\r\n"), DS_C("a1 CAPABILITY"),
                                      DS_S("a1 OK done\r\n")};
static const ds_step_t s_login_no[] = {
    UP_TO_TLS, CAPS_TLS("a2", "IMAP4rev1 AUTH=PLAIN SASL-IR"), DS_C("a3 AUTHENTICATE PLAIN"),
    DS_S("a3 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")};
static const ds_step_t s_status_no[] = {UP_TO_TLS, CAPS_TLS("a2", "IMAP4rev1 AUTH=PLAIN SASL-IR"),
                                        PLAIN_IR("a3"), DS_C("a4 STATUS"),
                                        DS_S("a4 NO Mailbox doesn't exist\r\n")};
static const ds_step_t s_status_none[] = {UP_TO_TLS, CAPS_TLS("a2", "IMAP4rev1 AUTH=PLAIN SASL-IR"),
                                          PLAIN_IR("a3"), DS_C("a4 STATUS"), DS_S("a4 OK\r\n")};
static const ds_step_t s_status_bad[] = {UP_TO_TLS, CAPS_TLS("a2", "IMAP4rev1 AUTH=PLAIN SASL-IR"),
                                         PLAIN_IR("a3"), DS_C("a4 STATUS"),
                                         DS_S("* STATUS INBOX (MESSAGES many)\r\n")};
static const ds_step_t s_bye_mid[] = {UP_TO_TLS, CAPS_TLS("a2", "IMAP4rev1 AUTH=PLAIN SASL-IR"),
                                      PLAIN_IR("a3"), DS_C("a4 STATUS"),
                                      DS_S("* BYE Server shutting down\r\n")};
static const ds_step_t s_starttls_no[] = {GREET_CAPS, DS_C("a1 STARTTLS"),
                                          DS_S("a1 BAD not now\r\n")};
static const ds_step_t s_tag_mismatch[] = {GREET_CAPS, DS_C("a1 STARTTLS"), DS_S("a9 OK go\r\n")};
static const ds_step_t s_unexpected_cont[] = {GREET_CAPS, DS_C("a1 STARTTLS"), DS_S("+ what\r\n")};
static const ds_step_t s_logindisabled[] = {UP_TO_TLS, CAPS_TLS("a2", "IMAP4rev1 LOGINDISABLED")};
static const ds_step_t s_injection[] = {GREET_CAPS, DS_C("a1 STARTTLS"),
                                        DS_S("a1 OK go\r\n* OK injected\r\n")};
static const ds_step_t s_silent[] = {{DS_SILENT, NULL, NULL}};
static const ds_step_t s_reset[] = {GREET_CAPS, DS_C("a1 STARTTLS"), {DS_RESET, NULL, NULL}};
static const ds_step_t s_garbage[] = {DS_S("SSH-2.0-OpenSSH_9.2\r\n")};
static const ds_step_t s_logout_closed[] = {
    DS_STARTTLS, DS_S("* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n"), DS_C("a1 LOGOUT"), END};

static void t_plain(mc_imap_params_t *p)
{
	p->user = "user";
	p->password = "secret";
	p->auth = MC_IMAP_AUTH_AUTO;
}
static void t_full(mc_imap_params_t *p)
{
	t_plain(p);
	p->mailbox = "INBOX";
	p->quota = true;
}
static void t_login_quota(mc_imap_params_t *p)
{
	t_plain(p);
	p->quota = true;
}
static void t_quota(mc_imap_params_t *p)
{
	t_plain(p);
	p->auth = MC_IMAP_AUTH_PLAIN;
	p->quota = true;
}
static void t_status(mc_imap_params_t *p)
{
	t_plain(p);
	p->mailbox = "INBOX";
}
static void t_implicit(mc_imap_params_t *p)
{
	p->session.implicit_tls = true;
}
static void t_login_cr(mc_imap_params_t *p)
{
	t_plain(p);
	p->auth = MC_IMAP_AUTH_LOGIN;
	p->user = "us\rer";
}

static void c_full(const mc_imap_result_t *r)
{
	assert_string_equal(r->greeting, "OK Dovecot ready.");
	assert_true(r->logindisabled_before);
	assert_non_null(strstr(r->caps_before, "STARTTLS"));
	assert_string_equal(r->caps, "IMAP4rev1 AUTH=PLAIN SASL-IR QUOTA");
	assert_true(r->logged_in);
	assert_string_equal(r->auth_used, "AUTHENTICATE PLAIN");
	assert_true(r->have_status);
	assert_int_equal(r->messages, 3);
	assert_int_equal(r->unseen, 1);
	assert_true(r->quota_capable);
	assert_true(r->have_quota);
	assert_int_equal(r->quota_used, 10);
	assert_int_equal(r->quota_limit, 512);
	assert_true(mc_session_time(&r->base, "time_banner") >= 0);
	assert_true(mc_session_time(&r->base, "time_quota") >= 0);
}
static void c_caps_cmd(const mc_imap_result_t *r)
{
	assert_string_equal(r->auth_used, "LOGIN");
	assert_true(r->quota_capable);
	assert_false(r->have_quota);
	assert_string_equal(r->quota_note, "no STORAGE quota on the mailbox");
	assert_true(mc_session_time(&r->base, "time_capability") >= 0);
}
static void c_no_quota_cap(const mc_imap_result_t *r)
{
	assert_false(r->quota_capable);
	assert_string_equal(r->quota_note, "the server does not advertise QUOTA");
}
static void c_preauth(const mc_imap_result_t *r)
{
	assert_true(r->preauth);
	assert_false(r->logged_in);
}

#define CASE(s) (s), N(s)

static const imap_case_t cases[] = {
    {"STARTTLS, AUTHENTICATE PLAIN with SASL-IR, STATUS, quota, LOGOUT", CASE(s_full), t_full,
     MC_OK, MC_PHASE_CLOSING, "logout", NULL, true, c_full, 0},
    {"CAPABILITY asked, LOGIN, capabilities in the completion", CASE(s_caps_cmd), t_login_quota,
     MC_OK, MC_PHASE_CLOSING, "logout", NULL, true, c_caps_cmd, 0},
    {"AUTHENTICATE PLAIN without SASL-IR: the continuation", CASE(s_continuation), t_plain, MC_OK,
     MC_PHASE_CLOSING, "logout", NULL, true, NULL, 0},
    {"quota asked, QUOTA not advertised", CASE(s_no_quota_cap), t_quota, MC_OK, MC_PHASE_CLOSING,
     "logout", NULL, true, c_no_quota_cap, 0},
    {"implicit TLS, PREAUTH greeting", CASE(s_implicit_preauth), t_implicit, MC_OK,
     MC_PHASE_CLOSING, "logout", NULL, true, c_preauth, 0},
    {"closed after LOGOUT fails nothing", CASE(s_logout_closed), t_implicit, MC_OK,
     MC_PHASE_CLOSING, "logout", NULL, true, NULL, 0},
    {"PREAUTH before TLS: STARTTLS impossible", CASE(s_preauth_plain), NULL, MC_E_REFUSED,
     MC_PHASE_GREETING, "greeting", "PREAUTH greeting before TLS: STARTTLS is impossible", true,
     c_preauth, 0},
    {"BYE greeting", CASE(s_bye), NULL, MC_E_REFUSED, MC_PHASE_GREETING, "greeting",
     "greeting: BYE Too many connections", true, NULL, 0},
    {"a tagged line for a greeting", CASE(s_not_greeting), NULL, MC_E_PROTOCOL, MC_PHASE_GREETING,
     "greeting", "protocol error in greeting: not a greeting", true, NULL, 0},
    {"STARTTLS not offered: no plaintext fallback", CASE(s_no_starttls), NULL, MC_E_REFUSED,
     MC_PHASE_GREETING, "greeting", "STARTTLS not offered in the capabilities", true, NULL, 0},
    {"CAPABILITY completed without the capabilities", CASE(s_no_caps), NULL, MC_E_PROTOCOL,
     MC_PHASE_HELLO, "capability", "protocol error in capability: no CAPABILITY response", true,
     NULL, 0},
    {"login refused with a response code", CASE(s_login_no), t_plain, MC_E_REFUSED, MC_PHASE_LOGIN,
     "login", "login failed: NO [AUTHENTICATIONFAILED] Authentication failed.", true, NULL, 0},
    {"STATUS refused", CASE(s_status_no), t_status, MC_E_REFUSED, MC_PHASE_COMMAND, "status",
     "STATUS INBOX refused: NO Mailbox doesn't exist", true, NULL, 0},
    {"STATUS completed without its response", CASE(s_status_none), t_status, MC_E_PROTOCOL,
     MC_PHASE_COMMAND, "status", "protocol error in status: no STATUS response for INBOX", true,
     NULL, 0},
    {"a malformed STATUS response", CASE(s_status_bad), t_status, MC_E_PROTOCOL, MC_PHASE_COMMAND,
     "status", "protocol error in status: malformed status response", true, NULL, 0},
    {"BYE in the middle of the dialogue", CASE(s_bye_mid), t_status, MC_E_CLOSED, MC_PHASE_COMMAND,
     "status", "the server said BYE in status: Server shutting down", true, NULL, 0},
    {"STARTTLS refused", CASE(s_starttls_no), NULL, MC_E_REFUSED, MC_PHASE_STARTTLS, "starttls",
     "starttls refused: BAD not now", true, NULL, 0},
    {"a completion with another tag", CASE(s_tag_mismatch), NULL, MC_E_PROTOCOL, MC_PHASE_STARTTLS,
     "starttls", "protocol error in starttls: tag mismatch (sent a1, got a9)", true, NULL, 0},
    {"a continuation outside a login", CASE(s_unexpected_cont), NULL, MC_E_PROTOCOL,
     MC_PHASE_STARTTLS, "starttls", "protocol error in starttls: unexpected continuation", true,
     NULL, 0},
    {"LOGIN asked, LOGINDISABLED after TLS", CASE(s_logindisabled), t_login_cr, MC_E_REFUSED,
     MC_PHASE_HELLO, "capability after tls", "the server advertises LOGINDISABLED after TLS", true,
     NULL, 0},
    {"a user name LOGIN cannot carry", CASE(s_no_quota_cap), t_login_cr, MC_E_USAGE, MC_PHASE_HELLO,
     "capability after tls", "cannot be sent with LOGIN", false, NULL, 0},
    {"bytes injected after the STARTTLS go-ahead", CASE(s_injection), NULL, MC_E_PROTOCOL,
     MC_PHASE_STARTTLS, "starttls", "STARTTLS injection: the server sent 15 byte(s)", true, NULL,
     0},
    {"no greeting: the deadline", CASE(s_silent), NULL, MC_E_TIMEOUT, MC_PHASE_GREETING, "greeting",
     "in greeting phase", true, NULL, 300},
    {"reset in the middle of the dialogue", CASE(s_reset), NULL, MC_E_CLOSED, MC_PHASE_STARTTLS,
     "starttls", "(in starttls)", true, NULL, 0},
    {"garbage instead of a greeting", CASE(s_garbage), NULL, MC_E_PROTOCOL, MC_PHASE_GREETING,
     "greeting", "protocol error in greeting", true, NULL, 0},
};

static void run_case(const imap_case_t *c, mc_imap_result_t *res)
{
	mc_loop_t *loop;
	ds_server_t srv;
	ds_client_t cl;
	ds_expect_t expect;
	mc_imap_params_t p;
	mc_addr_t addr;

	print_message("case: %s\n", c->name);
	assert_int_equal(mc_loop_new(&loop), MC_OK);
	ds_start(&srv, loop, pki.sctx, c->steps, c->nsteps);
	memset(&p, 0, sizeof(p));
	ds_session_params(&p.session, loop, &pki, &srv, &addr);
	if (c->tweak)
		c->tweak(&p);
	cl.loop = loop;
	cl.s = mc_imap_start(&p, res, ds_client_done, &cl);
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

static void test_imap_dialogues(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_imap_result_t res;
		run_case(&cases[i], &res);
	}
}

/* A line longer than the parser takes (MC_IMAP_LINE_MAX) is refused. */
static void test_imap_oversized_line(void **state)
{
	size_t len = MC_IMAP_LINE_MAX + 100;
	char *big = malloc(len + 1);
	ds_step_t steps[1];
	imap_case_t c = {"an oversized greeting",
	                 NULL,
	                 0,
	                 NULL,
	                 MC_E_PROTOCOL,
	                 MC_PHASE_GREETING,
	                 "greeting",
	                 "protocol error in greeting",
	                 false,
	                 NULL,
	                 0};
	mc_imap_result_t res;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', len);
	memcpy(big, "* OK ", 5);
	memcpy(big + len - 2, "\r\n", 2);
	big[len] = '\0';
	steps[0] = (ds_step_t)DS_S(big);
	c.steps = steps;
	c.nsteps = 1;
	run_case(&c, &res);
	free(big);
}

/* A mailbox name that cannot be quoted: nothing starts. */
static void test_imap_bad_mailbox(void **state)
{
	mc_imap_params_t p;
	mc_imap_result_t res;
	mc_loop_t *loop;
	mc_addr_t addr;

	(void)state;
	assert_int_equal(mc_loop_new(&loop), MC_OK);
	memset(&p, 0, sizeof(p));
	assert_int_equal(mc_addr_parse("127.0.0.1", 143, &addr), MC_OK);
	p.session.loop = loop;
	p.session.addrs = &addr;
	p.session.naddrs = 1;
	p.mailbox = "IN\r\nBOX";
	assert_null(mc_imap_start(&p, &res, ds_client_done, NULL));
	mc_loop_free(loop);
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
	    cmocka_unit_test(test_imap_dialogues),
	    cmocka_unit_test(test_imap_oversized_line),
	    cmocka_unit_test(test_imap_bad_mailbox),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
