/* Unit tests: the SMTP state machine (common/proto/mc_smtp.c) and the
 * session and dialogue engine under it, against a scripted server on the
 * loop (dialog_server.h): banner, multi-line EHLO, STARTTLS with a test
 * certificate, AUTH PLAIN/LOGIN/CRAM-MD5/SCRAM-SHA-256, commands, the relay
 * test, QUIT, and the fault shapes (no banner, reset, close mid-reply,
 * garbage, oversized reply, bytes injected after STARTTLS). Each case
 * checks the status, the phase id and name the session ended in, and the
 * message. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "dialog_server.h"
#include "proto/mc_sasl.h"
#include "proto/mc_smtp.h"
#include "proto/mc_smtp_reply.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static ds_pki_t pki;

typedef struct smtp_case {
	const char *name;
	const ds_step_t *steps;
	size_t nsteps;
	void (*tweak)(mc_smtp_params_t *p); /* NULL: STARTTLS, no AUTH */
	mc_status_t status;
	mc_phase_id_t phase_id;
	const char *phase;                        /* its name */
	const char *error;                        /* a part of the message, or NULL */
	bool script_done;                         /* the server played every step */
	void (*check)(const mc_smtp_result_t *r); /* more facts, or NULL */
	int ms;                                   /* the deadline; 0: 5 s */
} smtp_case_t;

/* ---- scripts ---- */

#define BANNER DS_S("220 mail.test ESMTP ready\r\n")
#define EHLO_PLAIN                                                                                 \
	DS_C("EHLO [127.0.0.1]"),                                                                  \
	    DS_S("250-mail.test\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n")
#define STARTTLS DS_C("STARTTLS"), DS_S("220 2.0.0 Ready to start TLS\r\n"), DS_STARTTLS
#define EHLO_TLS(caps) DS_C("EHLO [127.0.0.1]"), DS_S("250-mail.test\r\n" caps)
#define QUIT DS_C("QUIT"), DS_S("221 2.0.0 Bye\r\n")
#define UP_TO_TLS BANNER, EHLO_PLAIN, STARTTLS
#define ALL_MECHS "250-SIZE 52428800\r\n250 AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256\r\n"

static const ds_step_t s_starttls[] = {UP_TO_TLS, EHLO_TLS("250-SIZE 52428800\r\n250 8BITMIME\r\n"),
                                       QUIT};
static const ds_step_t s_plain[] = {UP_TO_TLS, EHLO_TLS(ALL_MECHS),
                                    DS_C("AUTH PLAIN AHVzZXIAc2VjcmV0"),
                                    DS_S("235 2.7.0 Authentication successful\r\n"), QUIT};
static const ds_step_t s_login[] = {UP_TO_TLS,
                                    EHLO_TLS(ALL_MECHS),
                                    DS_C("AUTH LOGIN"),
                                    DS_S("334 VXNlcm5hbWU6\r\n"),
                                    DS_C("dXNlcg=="),
                                    DS_S("334 UGFzc3dvcmQ6\r\n"),
                                    DS_C("c2VjcmV0"),
                                    DS_S("235 ok\r\n"),
                                    QUIT};
static const ds_step_t s_login_3rd[] = {UP_TO_TLS,          EHLO_TLS(ALL_MECHS),
                                        DS_C("AUTH LOGIN"), DS_S("334 VXNlcm5hbWU6\r\n"),
                                        DS_C("dXNlcg=="),   DS_S("334 UGFzc3dvcmQ6\r\n"),
                                        DS_C("c2VjcmV0"),   DS_S("334 QWdhaW46\r\n")};
static const ds_step_t s_cram[] = {
    UP_TO_TLS, EHLO_TLS(ALL_MECHS), DS_C("AUTH CRAM-MD5"),
    /* <1896.697170952@postoffice.reston.mci.net> */
    DS_S("334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n"), DS_C(NULL),
    DS_S("235 ok\r\n"), QUIT};
static const ds_step_t s_bad_b64[] = {UP_TO_TLS, EHLO_TLS(ALL_MECHS), DS_C("AUTH CRAM-MD5"),
                                      DS_S("334 !!not base64!!\r\n")};
static const ds_step_t s_auth_535[] = {UP_TO_TLS, EHLO_TLS(ALL_MECHS), DS_C("AUTH PLAIN "),
                                       DS_S("535 5.7.8 Authentication credentials invalid\r\n")};
static const ds_step_t s_no_auth[] = {UP_TO_TLS, EHLO_TLS("250 SIZE\r\n")};
static const ds_step_t s_plain_only[] = {UP_TO_TLS, EHLO_TLS("250 AUTH PLAIN\r\n")};
static const ds_step_t s_commands[] = {UP_TO_TLS,
                                       EHLO_TLS("250 SIZE 0\r\n"),
                                       DS_C("NOOP"),
                                       DS_S("250 2.0.0 Ok\r\n"),
                                       DS_C("VRFY postmaster"),
                                       DS_S("252 2.0.0 postmaster\r\n"),
                                       QUIT};
static const ds_step_t s_cmd_want[] = {UP_TO_TLS,
                                       EHLO_TLS("250 SIZE 0\r\n"),
                                       DS_C("NOOP"),
                                       DS_S("250 2.0.0 Ok\r\n"),
                                       DS_C("VRFY postmaster"),
                                       DS_S("502 5.5.1 VRFY disabled\r\n")};
static const ds_step_t s_relay[] = {UP_TO_TLS,
                                    EHLO_TLS("250 SIZE\r\n"),
                                    DS_C("MAIL FROM:<probe@mail.test>"),
                                    DS_S("250 2.1.0 Ok\r\n"),
                                    DS_C("RCPT TO:<victim@elsewhere.example>"),
                                    DS_S("554 5.7.1 Relay access denied\r\n"),
                                    DS_C("RSET"),
                                    DS_S("250 2.0.0 Ok\r\n"),
                                    QUIT};
static const ds_step_t s_relay_open[] = {UP_TO_TLS,
                                         EHLO_TLS("250 SIZE\r\n"),
                                         DS_C("MAIL FROM:<probe@mail.test>"),
                                         DS_S("250 2.1.0 Ok\r\n"),
                                         DS_C("RCPT TO:<victim@elsewhere.example>"),
                                         DS_S("250 2.1.5 Ok\r\n"),
                                         DS_C("RSET"),
                                         DS_S("250 2.0.0 Ok\r\n"),
                                         QUIT};
static const ds_step_t s_relay_from[] = {UP_TO_TLS,
                                         EHLO_TLS("250 SIZE\r\n"),
                                         DS_C("MAIL FROM:<probe@mail.test>"),
                                         DS_S("553 5.7.1 Sender refused\r\n"),
                                         DS_C("RSET"),
                                         DS_S("250 2.0.0 Ok\r\n"),
                                         QUIT};
static const ds_step_t s_banner_only[] = {BANNER, QUIT};
static const ds_step_t s_banner_refused[] = {DS_S("554 5.3.2 no service for you\r\n")};
static const ds_step_t s_ehlo_refused[] = {BANNER, DS_C("EHLO"), DS_S("500 5.5.1 what\r\n")};
static const ds_step_t s_lhlo[] = {
    BANNER,   DS_C("LHLO [127.0.0.1]"), DS_S("250-mail.test\r\n250 STARTTLS\r\n"),
    STARTTLS, DS_C("LHLO [127.0.0.1]"), DS_S("250 mail.test\r\n"),
    QUIT};
static const ds_step_t s_no_starttls[] = {BANNER, DS_C("EHLO"),
                                          DS_S("250-mail.test\r\n250 AUTH PLAIN\r\n")};
static const ds_step_t s_starttls_refused[] = {BANNER, EHLO_PLAIN, DS_C("STARTTLS"),
                                               DS_S("454 4.7.0 TLS not available\r\n")};
static const ds_step_t s_injection[] = {BANNER, EHLO_PLAIN, DS_C("STARTTLS"),
                                        DS_S("220 go ahead\r\n250-injected\r\n")};
static const ds_step_t s_ehlo_tls_refused[] = {UP_TO_TLS, DS_C("EHLO"),
                                               DS_S("421 4.3.2 shutting down\r\n")};
static const ds_step_t s_implicit[] = {DS_STARTTLS, BANNER, EHLO_TLS("250 SIZE 1000\r\n"), QUIT};
static const ds_step_t s_tls_closed[] = {
    BANNER, EHLO_PLAIN, DS_C("STARTTLS"), DS_S("220 go ahead\r\n"), {DS_CLOSE, NULL, NULL}};
static const ds_step_t s_silent[] = {{DS_SILENT, NULL, NULL}};
static const ds_step_t s_reset[] = {BANNER, DS_C("EHLO"), {DS_RESET, NULL, NULL}};
static const ds_step_t s_close_mid[] = {
    BANNER, DS_C("EHLO"), DS_S("250-mail.test\r\n"), {DS_CLOSE, NULL, NULL}};
static const ds_step_t s_close[] = {BANNER, DS_C("EHLO"), {DS_CLOSE, NULL, NULL}};
static const ds_step_t s_garbage[] = {DS_S("HTTP/1.1 400 Bad Request\r\n")};
static const ds_step_t s_quit_reset[] = {BANNER, DS_C("QUIT"), {DS_RESET, NULL, NULL}};
static const ds_step_t s_quit_silent[] = {BANNER, DS_C("QUIT"), {DS_SILENT, NULL, NULL}};
static const ds_step_t s_accept_only[] = {DS_STARTTLS};
static const ds_step_t s_long_cmd[] = {UP_TO_TLS, EHLO_TLS("250 SIZE\r\n")};

/* ---- SCRAM-SHA-256, server side (RFC 5802 section 3) ---- */

typedef struct scram_srv {
	char bare[512];  /* client-first-message-bare */
	char first[512]; /* server-first-message */
	bool bad_proof;  /* send a wrong ServerSignature */
} scram_srv_t;

static scram_srv_t scram;

static void b64(const void *in, size_t len, char *out, size_t outsz)
{
	assert_int_equal(mc_sasl_base64(in, len, out, outsz), MC_OK);
}

/* "AUTH SCRAM-SHA-256 <b64 client-first>" -> "334 <b64 server-first>" */
static void scram_first(ds_server_t *srv, const char *line, char *out, size_t outsz)
{
	const char *p = strrchr(line, ' ');
	char dec[512], enc[1024];
	size_t n;

	(void)srv;
	assert_non_null(p);
	assert_int_equal(mc_sasl_unbase64(p + 1, dec, sizeof(dec), &n), MC_OK);
	assert_memory_equal(dec, "n,,n=user,r=", 12);
	snprintf(scram.bare, sizeof(scram.bare), "%s", dec + 3);
	/* s= is the base64 of "salt-of-the-test" */
	snprintf(scram.first, sizeof(scram.first),
	         "r=%.100sSERVERNONCE,s=c2FsdC1vZi10aGUtdGVzdA==,i=256", dec + 12);
	b64(scram.first, strlen(scram.first), enc, sizeof(enc));
	snprintf(out, outsz, "334 %s\r\n", enc);
}

/* client-final -> "334 <b64 v=ServerSignature>" */
static void scram_final(ds_server_t *srv, const char *line, char *out, size_t outsz)
{
	char dec[512], auth[1600], v[128], enc[256];
	unsigned char salted[32], skey[32], sig[32];
	unsigned int len = 0;
	const char *proof;
	size_t n;

	(void)srv;
	assert_int_equal(mc_sasl_unbase64(line, dec, sizeof(dec), &n), MC_OK);
	proof = strstr(dec, ",p=");
	assert_non_null(proof);
	snprintf(auth, sizeof(auth), "%s,%s,%.*s", scram.bare, scram.first, (int)(proof - dec),
	         dec);
	assert_int_equal(PKCS5_PBKDF2_HMAC("secret", 6, (const unsigned char *)"salt-of-the-test",
	                                   16, 256, EVP_sha256(), sizeof(salted), salted),
	                 1);
	assert_non_null(HMAC(EVP_sha256(), salted, sizeof(salted),
	                     (const unsigned char *)"Server Key", 10, skey, &len));
	assert_non_null(HMAC(EVP_sha256(), skey, sizeof(skey), (const unsigned char *)auth,
	                     strlen(auth), sig, &len));
	if (scram.bad_proof)
		sig[0] ^= 1;
	memcpy(v, "v=", 2);
	b64(sig, sizeof(sig), v + 2, sizeof(v) - 2);
	b64(v, strlen(v), enc, sizeof(enc));
	snprintf(out, outsz, "334 %s\r\n", enc);
}

static const ds_step_t s_scram[] = {UP_TO_TLS,
                                    EHLO_TLS(ALL_MECHS),
                                    DS_FN(scram_first),
                                    DS_FN(scram_final),
                                    DS_C(""),
                                    DS_S("235 ok\r\n"),
                                    QUIT};
static const ds_step_t s_scram_bad[] = {UP_TO_TLS, EHLO_TLS(ALL_MECHS), DS_FN(scram_first),
                                        DS_FN(scram_final)};
static const ds_step_t s_scram_early[] = {UP_TO_TLS, EHLO_TLS(ALL_MECHS), DS_FN(scram_first),
                                          DS_C(NULL), DS_S("235 ok\r\n")};

/* ---- parameters ---- */

static void t_plain(mc_smtp_params_t *p)
{
	p->user = "user";
	p->password = "secret";
	p->auth = MC_SMTP_AUTH_PLAIN;
}
static void t_login(mc_smtp_params_t *p)
{
	t_plain(p);
	p->auth = MC_SMTP_AUTH_LOGIN;
}
static void t_cram(mc_smtp_params_t *p)
{
	t_plain(p);
	p->auth = MC_SMTP_AUTH_CRAM_MD5;
}
static void t_auto(mc_smtp_params_t *p)
{
	t_plain(p);
	p->auth = MC_SMTP_AUTH_AUTO;
	scram.bad_proof = false;
}
static void t_auto_bad(mc_smtp_params_t *p)
{
	t_auto(p);
	scram.bad_proof = true;
}
static const char *const cmds[] = {"NOOP", "VRFY postmaster"};
static const char *const wants[] = {NULL, "252"};
static void t_commands(mc_smtp_params_t *p)
{
	p->commands = cmds;
	p->ncommands = N(cmds);
}
static void t_cmd_want(mc_smtp_params_t *p)
{
	t_commands(p);
	p->responses = wants;
}
static void t_relay(mc_smtp_params_t *p)
{
	p->relay_from = "probe@mail.test";
	p->relay_rcpt = "victim@elsewhere.example";
}
static void t_banner_only(mc_smtp_params_t *p)
{
	p->banner_only = true;
	p->expect = "ESMTP";
}
static void t_expect(mc_smtp_params_t *p)
{
	p->expect = "Postfix";
}
static void t_lmtp(mc_smtp_params_t *p)
{
	p->lmtp = true;
}
static void t_implicit(mc_smtp_params_t *p)
{
	p->session.implicit_tls = true;
}
static void t_wrong_name(mc_smtp_params_t *p)
{
	p->session.implicit_tls = true;
	p->session.tlsp.cert_name = "other.test";
}
static void t_probe(mc_smtp_params_t *p)
{
	p->session.implicit_tls = true;
	p->session.tls_probe = true;
}
static void t_no_name(mc_smtp_params_t *p)
{
	p->session.implicit_tls = true;
	p->session.tlsp.cert_name = "";
}
static void t_refused(mc_smtp_params_t *p)
{
	static mc_addr_t closed;
	closed = p->session.addrs[0];
	((struct sockaddr_in *)&closed.ss)->sin_port = htons((uint16_t)ds_closed_port());
	p->session.addrs = &closed;
}
static char long_cmd[1100];
static const char *const long_cmds[] = {long_cmd};
static void t_long_cmd(mc_smtp_params_t *p)
{
	memset(long_cmd, 'X', sizeof(long_cmd) - 1);
	p->commands = long_cmds;
	p->ncommands = 1;
}

/* ---- result checks ---- */

static void c_starttls(const mc_smtp_result_t *r)
{
	static const struct {
		mc_phase_id_t id;
		const char *name, *perf;
	} want[] = {
	    {MC_PHASE_CONNECT, "connect", "time_connect"},
	    {MC_PHASE_GREETING, "banner", "time_banner"},
	    {MC_PHASE_HELLO, "ehlo", "time_ehlo"},
	    {MC_PHASE_STARTTLS, "starttls", "time_starttls"},
	    {MC_PHASE_TLS_HANDSHAKE, "tls handshake", "time_tls"},
	    {MC_PHASE_HELLO, "ehlo after tls", "time_ehlo_tls"},
	    {MC_PHASE_CLOSING, "quit", NULL},
	};
	size_t i;

	assert_string_equal(r->banner, "220 mail.test ESMTP ready");
	assert_string_equal(r->starttls_reply, "220 2.0.0 Ready to start TLS");
	assert_non_null(strstr(r->caps_before, "STARTTLS"));
	assert_true(r->auth_before_tls);
	assert_null(strstr(r->caps_after, "STARTTLS"));
	assert_int_equal(r->size_limit, 52428800);
	assert_true(r->base.connected);
	assert_true(r->base.tls_done);
	assert_true(r->base.tls.verified);
	assert_false(r->logged_in);
	assert_int_equal(r->base.ntimes, N(want));
	for (i = 0; i < N(want); i++) {
		assert_int_equal(r->base.times[i].id, want[i].id);
		assert_string_equal(r->base.times[i].name, want[i].name);
		if (want[i].perf)
			assert_string_equal(r->base.times[i].perf, want[i].perf);
		else
			assert_null(r->base.times[i].perf);
		assert_true(r->base.times[i].us >= 0);
	}
	assert_true(mc_session_time(&r->base, "time_banner") >= 0);
	assert_true(mc_session_time(&r->base, "time_auth") < 0);
}
static void c_logged_in(const mc_smtp_result_t *r)
{
	assert_true(r->logged_in);
	assert_string_equal(r->auth_mechs, "PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256");
	assert_true(mc_session_time(&r->base, "time_auth") >= 0);
}
static void c_scram(const mc_smtp_result_t *r)
{
	c_logged_in(r);
	assert_int_equal(r->auth_used, MC_SMTP_AUTH_SCRAM_SHA_256);
}
static void c_commands(const mc_smtp_result_t *r)
{
	assert_int_equal(r->commands_ok, 2);
	assert_string_equal(r->last_reply, "252 2.0.0 postmaster");
	assert_int_equal(r->size_limit, 0);
}
static void c_relay(const mc_smtp_result_t *r)
{
	assert_true(r->relay_tested);
	assert_false(r->relay_accepted);
	assert_string_equal(r->relay_reply, "554 5.7.1 Relay access denied");
}
static void c_relay_open(const mc_smtp_result_t *r)
{
	assert_true(r->relay_tested);
	assert_true(r->relay_accepted);
}
static void c_relay_from(const mc_smtp_result_t *r)
{
	assert_false(r->relay_tested);
	assert_string_equal(r->relay_reply, "553 5.7.1 Sender refused");
}
static void c_banner_only(const mc_smtp_result_t *r)
{
	assert_false(r->base.tls_done);
	assert_int_equal(r->base.ntimes, 3);
}
static void c_implicit(const mc_smtp_result_t *r)
{
	assert_int_equal(r->base.times[1].id, MC_PHASE_TLS_HANDSHAKE);
	assert_int_equal(r->base.times[2].id, MC_PHASE_GREETING);
	assert_string_equal(r->caps_before, "");
	assert_int_equal(r->size_limit, 1000);
}
static void c_not_connected(const mc_smtp_result_t *r)
{
	assert_false(r->base.connected);
}
static void c_verify(const mc_smtp_result_t *r)
{
	assert_true(r->base.tls_done);
	assert_false(r->base.tls.verified);
}

#define CASE(s) (s), N(s)

static const smtp_case_t cases[] = {
    {"STARTTLS, EHLO again, QUIT", CASE(s_starttls), NULL, MC_OK, MC_PHASE_CLOSING, "quit", NULL,
     true, c_starttls, 0},
    {"AUTH PLAIN with the initial response", CASE(s_plain), t_plain, MC_OK, MC_PHASE_CLOSING,
     "quit", NULL, true, c_logged_in, 0},
    {"AUTH LOGIN: user name, then password", CASE(s_login), t_login, MC_OK, MC_PHASE_CLOSING,
     "quit", NULL, true, c_logged_in, 0},
    {"AUTH LOGIN: a third challenge", CASE(s_login_3rd), t_login, MC_E_PROTOCOL, MC_PHASE_LOGIN,
     "auth", "AUTH LOGIN failed: unexpected challenge", true, NULL, 0},
    {"AUTH CRAM-MD5", CASE(s_cram), t_cram, MC_OK, MC_PHASE_CLOSING, "quit", NULL, true,
     c_logged_in, 0},
    {"AUTH challenge not base64", CASE(s_bad_b64), t_cram, MC_E_PROTOCOL, MC_PHASE_LOGIN, "auth",
     "protocol error in auth: challenge is not base64: 334 !!not base64!!", true, NULL, 0},
    {"AUTH refused with 535", CASE(s_auth_535), t_plain, MC_E_REFUSED, MC_PHASE_LOGIN, "auth",
     "login failed: AUTH PLAIN rejected: 535 5.7.8", true, NULL, 0},
    {"AUTH not offered after TLS", CASE(s_no_auth), t_plain, MC_E_REFUSED, MC_PHASE_HELLO,
     "ehlo after tls", "AUTH not offered after TLS", true, NULL, 0},
    {"AUTH mechanism asked for not offered", CASE(s_plain_only), t_cram, MC_E_REFUSED,
     MC_PHASE_HELLO, "ehlo after tls", "AUTH CRAM-MD5 not offered (the server offers PLAIN)", true,
     NULL, 0},
    {"AUTH auto picks SCRAM-SHA-256, the server proves itself", CASE(s_scram), t_auto, MC_OK,
     MC_PHASE_CLOSING, "quit", NULL, true, c_scram, 0},
    {"SCRAM: a wrong server signature", CASE(s_scram_bad), t_auto_bad, MC_E_PROTOCOL,
     MC_PHASE_LOGIN, "auth", "AUTH SCRAM-SHA-256 failed", true, NULL, 0},
    {"SCRAM: 235 without the server's proof", CASE(s_scram_early), t_auto, MC_E_PROTOCOL,
     MC_PHASE_LOGIN, "auth", "success without the server's proof", true, NULL, 0},
    {"commands with their replies", CASE(s_commands), t_commands, MC_OK, MC_PHASE_CLOSING, "quit",
     NULL, true, c_commands, 0},
    {"a command's reply not the one expected", CASE(s_cmd_want), t_cmd_want, MC_E_REFUSED,
     MC_PHASE_COMMAND, "command", "VRFY postmaster: expected '252', got '502 5.5.1", true, NULL, 0},
    {"relay test: RCPT refused", CASE(s_relay), t_relay, MC_OK, MC_PHASE_CLOSING, "quit", NULL,
     true, c_relay, 0},
    {"relay test: an open relay", CASE(s_relay_open), t_relay, MC_OK, MC_PHASE_CLOSING, "quit",
     NULL, true, c_relay_open, 0},
    {"relay test: MAIL FROM refused", CASE(s_relay_from), t_relay, MC_OK, MC_PHASE_CLOSING, "quit",
     NULL, true, c_relay_from, 0},
    {"banner only", CASE(s_banner_only), t_banner_only, MC_OK, MC_PHASE_CLOSING, "quit", NULL, true,
     c_banner_only, 0},
    {"banner without the expected text", CASE(s_banner_only), t_expect, MC_E_REFUSED,
     MC_PHASE_GREETING, "banner", "banner does not contain 'Postfix': 220 mail.test", false, NULL,
     0},
    {"banner refused (554)", CASE(s_banner_refused), NULL, MC_E_REFUSED, MC_PHASE_GREETING,
     "banner", "banner refused: 554 5.3.2 no service for you", true, NULL, 0},
    {"EHLO refused", CASE(s_ehlo_refused), NULL, MC_E_REFUSED, MC_PHASE_HELLO, "ehlo",
     "EHLO refused: 500 5.5.1 what", true, NULL, 0},
    {"LMTP says LHLO", CASE(s_lhlo), t_lmtp, MC_OK, MC_PHASE_CLOSING, "quit", NULL, true, NULL, 0},
    {"STARTTLS not offered: no plaintext fallback", CASE(s_no_starttls), NULL, MC_E_REFUSED,
     MC_PHASE_HELLO, "ehlo", "STARTTLS not offered in the EHLO reply", true, NULL, 0},
    {"STARTTLS refused (454)", CASE(s_starttls_refused), NULL, MC_E_REFUSED, MC_PHASE_STARTTLS,
     "starttls", "STARTTLS refused: 454 4.7.0", true, NULL, 0},
    {"bytes injected after the STARTTLS go-ahead", CASE(s_injection), NULL, MC_E_PROTOCOL,
     MC_PHASE_STARTTLS, "starttls",
     "STARTTLS injection: the server sent 14 byte(s) of plaintext after its go-ahead", true, NULL,
     0},
    {"EHLO after TLS refused", CASE(s_ehlo_tls_refused), NULL, MC_E_REFUSED, MC_PHASE_HELLO,
     "ehlo after tls", "EHLO after TLS refused: 421", true, NULL, 0},
    {"implicit TLS: handshake, banner, EHLO", CASE(s_implicit), t_implicit, MC_OK, MC_PHASE_CLOSING,
     "quit", NULL, true, c_implicit, 0},
    {"certificate for another name", CASE(s_accept_only), t_wrong_name, MC_E_VERIFY,
     MC_PHASE_TLS_HANDSHAKE, "tls handshake", "certificate verify failed", true, c_verify, 0},
    {"a version probe ends after the handshake", CASE(s_accept_only), t_probe, MC_OK,
     MC_PHASE_TLS_HANDSHAKE, "tls handshake", NULL, true, NULL, 0},
    {"no name to verify: no handshake", CASE(s_accept_only), t_no_name, MC_E_USAGE,
     MC_PHASE_TLS_HANDSHAKE, "tls handshake", "cannot start TLS: the name to verify", false, NULL,
     0},
    {"closed instead of a handshake", CASE(s_tls_closed), NULL, MC_E_CLOSED, MC_PHASE_TLS_HANDSHAKE,
     "tls handshake", NULL, true, NULL, 0},
    {"no banner: the deadline", CASE(s_silent), NULL, MC_E_TIMEOUT, MC_PHASE_GREETING, "banner",
     "in banner phase", true, NULL, 300},
    {"reset in the middle of the dialogue", CASE(s_reset), NULL, MC_E_CLOSED, MC_PHASE_HELLO,
     "ehlo", "(in ehlo)", true, NULL, 0},
    {"closed in the middle of a reply", CASE(s_close_mid), NULL, MC_E_CLOSED, MC_PHASE_HELLO,
     "ehlo", "connection closed by server in the middle of a reply (in ehlo)", true, NULL, 0},
    {"closed before the reply", CASE(s_close), NULL, MC_E_CLOSED, MC_PHASE_HELLO, "ehlo",
     "connection closed by server (in ehlo)", true, NULL, 0},
    {"garbage instead of a banner", CASE(s_garbage), NULL, MC_E_PROTOCOL, MC_PHASE_GREETING,
     "banner", "protocol error in banner: ", true, NULL, 0},
    {"a reset after QUIT fails nothing", CASE(s_quit_reset), t_banner_only, MC_OK, MC_PHASE_CLOSING,
     "quit", NULL, true, NULL, 0},
    {"no reply to QUIT by the deadline fails nothing", CASE(s_quit_silent), t_banner_only, MC_OK,
     MC_PHASE_CLOSING, "quit", NULL, true, NULL, 300},
    {"connection refused", CASE(s_silent), t_refused, MC_E_CONNECT, MC_PHASE_CONNECT, "connect",
     NULL, false, c_not_connected, 0},
    {"a command longer than a line may be", CASE(s_long_cmd), t_long_cmd, MC_E_LIMIT,
     MC_PHASE_COMMAND, "command", "cannot send the command command", true, NULL, 0},
};

static void run_case(const smtp_case_t *c, int verbose, mc_smtp_result_t *res)
{
	mc_loop_t *loop;
	ds_server_t srv;
	ds_client_t cl;
	ds_expect_t expect;
	mc_smtp_params_t p;
	mc_addr_t addr;

	print_message("case: %s\n", c->name);
	assert_int_equal(mc_loop_new(&loop), MC_OK);
	ds_start(&srv, loop, pki.sctx, c->steps, c->nsteps);
	memset(&p, 0, sizeof(p));
	ds_session_params(&p.session, loop, &pki, &srv, &addr);
	p.session.verbose = verbose;
	if (c->tweak)
		c->tweak(&p);
	cl.loop = loop;
	cl.s = mc_smtp_start(&p, res, ds_client_done, &cl);
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

static void test_smtp_dialogues(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		mc_smtp_result_t res;
		run_case(&cases[i], 0, &res);
	}
}

/* -vvv: the transcript shows the dialogue and masks the credentials. */
static void test_smtp_transcript(void **state)
{
	char path[] = "/tmp/mc-dialog-transcript-XXXXXX", buf[8192];
	int fd = mkstemp(path), saved = dup(2);
	mc_smtp_result_t res;
	ssize_t n;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	assert_true(dup2(fd, 2) >= 0);
	run_case(&cases[1], 3, &res); /* AUTH PLAIN */
	run_case(&cases[2], 3, &res); /* AUTH LOGIN: a line that is all secret */
	assert_true(dup2(saved, 2) >= 0);
	close(saved);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "S: 220 mail.test ESMTP ready\n"));
	assert_non_null(strstr(buf, "C: EHLO [127.0.0.1]\n"));
	assert_non_null(strstr(buf, "S: 250-PIPELINING\n"));
	assert_non_null(strstr(buf, "C: AUTH ****\n"));
	assert_non_null(strstr(buf, "C: ****\n"));
	assert_null(strstr(buf, "AHVzZXIAc2VjcmV0"));
	assert_null(strstr(buf, "c2VjcmV0"));
}

typedef struct {
	const char *name;
	mc_status_t st;
	mc_smtp_auth_t a;
} auth_case_t;

static void test_smtp_auth_names(void **state)
{
	static const auth_case_t t[] = {
	    {"PLAIN", MC_OK, MC_SMTP_AUTH_PLAIN},
	    {"login", MC_OK, MC_SMTP_AUTH_LOGIN},
	    {"Cram-MD5", MC_OK, MC_SMTP_AUTH_CRAM_MD5},
	    {"SCRAM-SHA-256", MC_OK, MC_SMTP_AUTH_SCRAM_SHA_256},
	    {"auto", MC_E_USAGE, MC_SMTP_AUTH_AUTO},
	    {"XOAUTH2", MC_E_USAGE, MC_SMTP_AUTH_AUTO},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		mc_smtp_auth_t a = MC_SMTP_AUTH_AUTO;
		assert_int_equal(mc_smtp_auth_parse(t[i].name, &a), t[i].st);
		assert_int_equal(a, t[i].a);
	}
	assert_string_equal(mc_smtp_auth_name(MC_SMTP_AUTH_AUTO), "auto");
	assert_string_equal(mc_smtp_auth_name((mc_smtp_auth_t)99), "?");
}

/* A reply larger than the cap (MC_SMTP_REPLY_MAX) is refused, not kept. */
static void test_smtp_oversized_reply(void **state)
{
	static const smtp_case_t base = {"oversized multi-line banner",
	                                 NULL,
	                                 0,
	                                 NULL,
	                                 MC_E_PROTOCOL,
	                                 MC_PHASE_GREETING,
	                                 "banner",
	                                 "protocol error in banner: ",
	                                 false,
	                                 NULL,
	                                 0};
	size_t line = 1000, nlines = MC_SMTP_REPLY_MAX / line + 8, i;
	char *big = malloc(nlines * line + 1);
	ds_step_t steps[1];
	smtp_case_t c = base;
	mc_smtp_result_t res;

	(void)state;
	assert_non_null(big);
	for (i = 0; i < nlines; i++) {
		memset(big + i * line, 'x', line);
		memcpy(big + i * line, "220-", 4);
		memcpy(big + (i + 1) * line - 2, "\r\n", 2);
	}
	big[nlines * line] = '\0';
	steps[0] = (ds_step_t)DS_S(big);
	c.steps = steps;
	c.nsteps = 1;
	run_case(&c, 0, &res);
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
	    cmocka_unit_test(test_smtp_dialogues),
	    cmocka_unit_test(test_smtp_transcript),
	    cmocka_unit_test(test_smtp_auth_names),
	    cmocka_unit_test(test_smtp_oversized_reply),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
