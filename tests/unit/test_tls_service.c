/* Unit tests: the TLS-service engine (check/mc_tls_service) end to end on
 * the loop, against the scripted SMTP server of dialog_server: options,
 * validation, one target, the report of a session, the deadline. Facts in
 * as a server's behaviour, the plugin's output lines out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check/mc_tls_service.h"
#include "dialog_server.h"
#include "fake_dns.h"
#include "proto/mc_smtp.h"
#include "report_lines.h"
#include "util/mc_clock.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static ds_pki_t pki;

/* The plugin's configuration: the service first, as the engine reads it. */
typedef struct svc_cfg {
	mc_tls_service_t svc;
} svc_cfg_t;

static mc_session_t *start(const void *pcfg, const mc_session_params_t *sp, void *result,
                           void (*done)(void *arg), void *arg)
{
	mc_smtp_params_t p;

	(void)pcfg;
	memset(&p, 0, sizeof(p));
	p.session = *sp;
	return mc_smtp_start(&p, result, done, arg);
}

static const mc_tls_service_desc_t desc = {25,   465, "STARTTLS", start, sizeof(mc_smtp_result_t),
                                           NULL, NULL};

#define BANNER DS_S("220 mail.test ESMTP ready\r\n")
#define EHLO DS_C("EHLO [127.0.0.1]"), DS_S("250-mail.test\r\n250 STARTTLS\r\n")
#define STARTTLS DS_C("STARTTLS"), DS_S("220 2.0.0 Ready to start TLS\r\n"), DS_STARTTLS
#define EHLO_TLS DS_C("EHLO [127.0.0.1]"), DS_S("250-mail.test\r\n250 SIZE 1000\r\n")
#define QUIT                                                                                       \
	DS_C("QUIT"), DS_S("221 2.0.0 Bye\r\n"),                                                   \
	{                                                                                          \
		DS_CLOSE, NULL, NULL                                                               \
	}

static const ds_step_t s_good[] = {BANNER, EHLO, STARTTLS, EHLO_TLS, QUIT};
static const ds_step_t s_implicit[] = {DS_STARTTLS, BANNER, EHLO_TLS, QUIT};
static const ds_step_t s_refused[] = {DS_S("554 5.3.2 no service here\r\n")};
static const ds_step_t s_silent[] = {{DS_SILENT, NULL, NULL}};
static const ds_step_t s_no_starttls[] = {BANNER, DS_C("EHLO [127.0.0.1]"),
                                          DS_S("250-mail.test\r\n250 SIZE 1000\r\n"), QUIT};

typedef struct opt {
	int id;
	const char *arg;
} opt_t;

typedef struct svc_case {
	const char *name;
	const ds_step_t *steps;
	size_t nsteps;
	opt_t opts[4]; /* beyond -H 127.0.0.1 -p PORT; id 0 ends */
	int exit_code;
	const char *first;  /* a part of the first line */
	const char *line;   /* a part of the subcheck lines, or NULL */
	const char *absent; /* must not be in the output, or NULL */
	double timeout;     /* -t; 0: 5 */
} svc_case_t;

#define CN                                                                                         \
	{                                                                                          \
		MC_TLS_SERVICE_OPT_CERT_NAME, "mail.test"                                          \
	}

static const svc_case_t cases[] = {
    {"a good STARTTLS session is OK, verified",
     s_good,
     N(s_good),
     {CN},
     0,
     "SMTP_TLS OK - 127.0.0.1:",
     "[OK] verification: chain and name valid",
     NULL,
     0},
    {"the OK summary names STARTTLS, the version and the days left",
     s_good,
     N(s_good),
     {CN},
     0,
     " STARTTLS TLSv1.3 ",
     "[OK] handshake: TLSv1.3",
     NULL,
     0},
    {"implicit TLS from --tls",
     s_implicit,
     N(s_implicit),
     {CN, {MC_TLS_SERVICE_OPT_TLS, "implicit"}},
     0,
     "SMTP_TLS OK - 127.0.0.1:",
     "[OK] verification: chain and name valid",
     "STARTTLS",
     0},
    {"a certificate for another name is CRITICAL",
     s_good,
     N(s_good),
     {{MC_TLS_SERVICE_OPT_CERT_NAME, "other.test"}},
     2,
     "name mismatch: other.test not in",
     NULL,
     "[OK] verification",
     0},
    {"--verify=chain checks no name and says so",
     s_good,
     N(s_good),
     {{MC_TLS_SERVICE_OPT_CERT_NAME, "other.test"}, {MC_TLS_SERVICE_OPT_VERIFY, "chain"}},
     0,
     ", name not checked (--verify=chain)",
     "chain valid, name not checked",
     NULL,
     0},
    {"--verify=none is said on the summary line",
     s_good,
     N(s_good),
     {{MC_TLS_SERVICE_OPT_VERIFY, "none"}},
     0,
     "certificate not verified (--verify=none)",
     NULL,
     NULL,
     0},
    {"a refused banner is CRITICAL with the server's words",
     s_refused,
     N(s_refused),
     {CN},
     2,
     "554 5.3.2 no service here",
     NULL,
     NULL,
     0},
    {"no STARTTLS offered is CRITICAL, never plaintext",
     s_no_starttls,
     N(s_no_starttls),
     {CN},
     2,
     "STARTTLS",
     NULL,
     "[OK] handshake",
     0},
    {"a silent server: the deadline names the phase and hints at implicit TLS",
     s_silent,
     N(s_silent),
     {CN},
     2,
     "timeout after 0.3s in banner phase (no greeting: if the port expects implicit TLS, use "
     "--tls=implicit)",
     NULL,
     NULL,
     0.3},
    {"-t SECONDS:warning makes the deadline a WARNING",
     s_silent,
     N(s_silent),
     {CN},
     1,
     "timeout after 0.3s in banner phase",
     NULL,
     NULL,
     -0.3},
    {"--all-addresses on one address says '1 address checked'",
     s_good,
     N(s_good),
     {CN, {MC_TLS_SERVICE_OPT_ALL_ADDRESSES, NULL}},
     0,
     "1 address checked",
     "[OK] 127.0.0.1:",
     "1 addresses",
     0},
    {"--min-tls 1.3 is met",
     s_good,
     N(s_good),
     {CN, {MC_TLS_SERVICE_OPT_MIN_TLS, "1.3"}},
     0,
     "TLSv1.3",
     NULL,
     "below --min-tls",
     0},
    {"-D above the days left is CRITICAL",
     s_good,
     N(s_good),
     {CN, {'D', "400,365"}},
     2,
     "validity: certificate valid",
     NULL,
     NULL,
     0},
};

static void run_case(const svc_case_t *c)
{
	svc_cfg_t cfg;
	mc_check_config_t cc;
	mc_check_env_t env;
	mc_dns_params_t dnsp;
	mc_loop_t *loop = NULL;
	mc_dns_t *dns = NULL;
	ds_server_t srv;
	mc_addr_t addr;
	char port[8], msg[400], err[256];
	mc_result_t *root;
	report_lines_t out;
	mc_status_t st;
	void *state;
	size_t i;

	assert_int_equal(mc_loop_new(&loop), MC_OK);
	ds_start(&srv, loop, pki.sctx, c->steps, c->nsteps);
	ds_addr(&srv, &addr);
	snprintf(port, sizeof(port), "%u", ntohs(((struct sockaddr_in *)&addr.ss)->sin_port));
	mc_tls_service_init(&cfg.svc, &desc);
	assert_int_equal(mc_tls_service_option(&cfg.svc, 'H', "127.0.0.1", msg, sizeof(msg)),
	                 MC_OK);
	assert_int_equal(mc_tls_service_option(&cfg.svc, 'p', port, msg, sizeof(msg)), MC_OK);
	for (i = 0; i < N(c->opts) && c->opts[i].id; i++)
		assert_int_equal(mc_tls_service_option(&cfg.svc, c->opts[i].id, c->opts[i].arg, msg,
		                                       sizeof(msg)),
		                 MC_OK);
	assert_int_equal(mc_tls_service_validate(&cfg.svc, msg, sizeof(msg)), MC_OK);

	memset(&cc, 0, sizeof(cc));
	cc.timeout = c->timeout ? (c->timeout < 0 ? -c->timeout : c->timeout) : 5;
	cc.timeout_state = c->timeout < 0 ? MC_STATE_WARNING : MC_STATE_CRITICAL;
	memset(&dnsp, 0, sizeof(dnsp));
	dnsp.deadline_ms = (long)(cc.timeout * 1000);
	assert_int_equal(mc_dns_new(loop, &dnsp, &dns, err, sizeof(err)), MC_OK);
	env.loop = loop;
	env.dns = dns;
	env.tls = pki.tls;
	env.t0 = mc_clock_now_us();
	mc_loop_set_deadline(loop, env.t0 + (int64_t)(cc.timeout * 1e6));

	state = mc_tls_service_begin(&cfg, &cc, &env);
	assert_non_null(state);
	st = mc_loop_run(loop);
	root = mc_result_new("SMTP_TLS");
	assert_non_null(root);
	mc_tls_service_end(state, st == MC_E_TIMEOUT, root);
	report_lines(root, &out);
	if (out.exit_code != c->exit_code || !strstr(out.first, c->first) ||
	    (c->line && !strstr(out.lines, c->line)) ||
	    (c->absent && (strstr(out.first, c->absent) || strstr(out.lines, c->absent))))
		fail_msg("%s: exit %d\n%s\n%s", c->name, out.exit_code, out.first, out.lines);
	report_lines_free(&out);
	mc_result_free(root);
	ds_free(&srv);
	mc_dns_free(dns);
	mc_loop_free(loop);
}

static void test_tls_service_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		print_message("case: %s\n", cases[i].name);
		run_case(&cases[i]);
	}
}

/* The options and their validation, without a server. */
static void test_tls_service_options(void **state)
{
	static const struct {
		const char *why;
		opt_t opts[4];
		mc_status_t want; /* of the option that fails, or of validate */
		const char *msg;
	} rows[] = {
	    {"-H is required", {{0, NULL}}, MC_E_USAGE, "-H/--hostname (or --mx) is required"},
	    {"an address needs --cert-name for full verification",
	     {{'H', "192.0.2.1"}},
	     MC_E_USAGE,
	     "-H is an address: full verification needs --cert-name NAME"},
	    {"an empty --cert-name is refused",
	     {{'H', "192.0.2.1"}, {MC_TLS_SERVICE_OPT_CERT_NAME, ""}},
	     MC_E_USAGE,
	     "invalid --cert-name '': the name is empty"},
	    {"--mx excludes -H",
	     {{'H', "mail.test"}, {MC_TLS_SERVICE_OPT_MX, "example.org"}},
	     MC_E_USAGE,
	     "--mx cannot be combined with -H"},
	    {"a bad port", {{'p', "0"}}, MC_E_USAGE, "invalid --port '0'"},
	    {"a bad --tls",
	     {{MC_TLS_SERVICE_OPT_TLS, "maybe"}},
	     MC_E_USAGE,
	     "invalid --tls 'maybe'"},
	    {"a bad --verify",
	     {{MC_TLS_SERVICE_OPT_VERIFY, "all"}},
	     MC_E_USAGE,
	     "invalid --verify"},
	    {"a bad --ocsp", {{MC_TLS_SERVICE_OPT_OCSP, "maybe"}}, MC_E_USAGE, "invalid --ocsp"},
	    {"a bad --dane", {{MC_TLS_SERVICE_OPT_DANE, "maybe"}}, MC_E_USAGE, "invalid --dane"},
	    {"a bad -D", {{'D', "x"}}, MC_E_USAGE, "invalid --certificate 'x'"},
	    {"a bad --min-key-bits",
	     {{MC_TLS_SERVICE_OPT_MIN_KEY_BITS, "12"}},
	     MC_E_USAGE,
	     "invalid --min-key-bits"},
	    {"a bad --old-tls-state",
	     {{MC_TLS_SERVICE_OPT_OLD_TLS_STATE, "ok"}},
	     MC_E_USAGE,
	     "invalid --old-tls-state"},
	    {"a bad --min-tls",
	     {{MC_TLS_SERVICE_OPT_MIN_TLS, "1.1"}},
	     MC_E_USAGE,
	     "invalid --min-tls"},
	    {"not a service option", {{'Z', NULL}}, MC_E_AGAIN, ""},
	    {"a name is its own certificate name", {{'H', "mail.test."}}, MC_OK, ""},
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < N(rows); i++) {
		svc_cfg_t cfg;
		char msg[400] = "";
		mc_status_t st = MC_OK;

		print_message("case: %s\n", rows[i].why);
		mc_tls_service_init(&cfg.svc, &desc);
		for (j = 0; j < N(rows[i].opts) && rows[i].opts[j].id && st == MC_OK; j++)
			st = mc_tls_service_option(&cfg.svc, rows[i].opts[j].id,
			                           rows[i].opts[j].arg, msg, sizeof(msg));
		if (st == MC_OK)
			st = mc_tls_service_validate(&cfg.svc, msg, sizeof(msg));
		assert_int_equal(st, rows[i].want);
		assert_non_null(strstr(msg, rows[i].msg));
	}
}

/* Defaults and what validation derives. */
static void test_tls_service_derived(void **state)
{
	svc_cfg_t cfg;
	char msg[400];

	(void)state;
	mc_tls_service_init(&cfg.svc, &desc);
	assert_int_equal(cfg.svc.cfg.port, 25);
	assert_int_equal(cfg.svc.cfg.ocsp, MC_OCSP_CHECK);
	assert_int_equal(cfg.svc.cfg.min_key_bits, 2048);
	assert_int_equal(mc_tls_service_option(&cfg.svc, 'H', "mail.test.", msg, sizeof(msg)),
	                 MC_OK);
	assert_int_equal(mc_tls_service_option(&cfg.svc, 'p', "465", msg, sizeof(msg)), MC_OK);
	assert_int_equal(mc_tls_service_validate(&cfg.svc, msg, sizeof(msg)), MC_OK);
	assert_true(cfg.svc.cfg.implicit_tls); /* the implicit-TLS port */
	assert_string_equal(cfg.svc.cfg.host, "mail.test");
	assert_string_equal(cfg.svc.cfg.cert_name, "mail.test");
	assert_string_equal(cfg.svc.cfg.sni, "mail.test");

	mc_tls_service_init(&cfg.svc, &desc);
	assert_int_equal(mc_tls_service_option(&cfg.svc, MC_TLS_SERVICE_OPT_MX, "example.org.", msg,
	                                       sizeof(msg)),
	                 MC_OK);
	assert_int_equal(mc_tls_service_validate(&cfg.svc, msg, sizeof(msg)), MC_OK);
	assert_true(cfg.svc.cfg.all_addresses); /* every MX address is its own target */
	assert_string_equal(cfg.svc.cfg.mx_domain, "example.org");
}

/* ---- --mx: the MX set from a scripted resolver ---- */

typedef enum mx_zone { MX_ONE, MX_NULL, MX_NONE, MX_SERVFAIL, MX_MANY } mx_zone_t;

/* d.test's MX records as the zone says; mail.test is 127.0.0.1 (where the
 * scripted SMTP server listens); every other name does not exist. */
static void mx_answer(void *arg, const mc_dns_msg_t *q, fake_dns_reply_t *r)
{
	const mx_zone_t *zone = arg;
	char name[32];
	int i;

	if (q->qtype == MC_DNS_T_MX && !strcmp(q->qname, "d.test")) {
		switch (*zone) {
		case MX_ONE: fake_dns_rr_name(r, "d.test", MC_DNS_T_MX, "mail.test"); return;
		case MX_NULL: fake_dns_rr_name(r, "d.test", MC_DNS_T_MX, "."); return;
		case MX_NONE: return; /* NOERROR, no records: NODATA */
		case MX_SERVFAIL: r->rcode = 2; return;
		case MX_MANY:
			for (i = 1; i <= 17; i++) {
				snprintf(name, sizeof(name), "mx%02d.test", i);
				fake_dns_rr_name(r, "d.test", MC_DNS_T_MX, name);
			}
			return;
		}
	}
	if (!strcmp(q->qname, "mail.test") || !strcmp(q->qname, "d.test")) {
		if (q->qtype == MC_DNS_T_A && !strcmp(q->qname, "mail.test"))
			fake_dns_rr_a(r, "mail.test", "127.0.0.1");
		return;
	}
	r->rcode = 3;
}

static const struct {
	const char *why;
	mx_zone_t zone;
	int exit_code;
	const char *first; /* a part of the first line */
	const char *line;  /* a part of the subcheck lines, or NULL */
} mx_cases[] = {
    {"one MX host, verified under its own name", MX_ONE, 0,
     "SMTP_TLS OK - d.test MX 1 address of 1 MX host checked", "mail.test 127.0.0.1: STARTTLS"},
    {"a null MX accepts no mail (RFC 7505)", MX_NULL, 2,
     "d.test has a null MX (RFC 7505): it accepts no mail", NULL},
    {"no MX records: the domain itself is the implicit MX", MX_NONE, 2, "SMTP_TLS CRITICAL",
     "[WARNING] no MX records: d.test itself is the implicit MX (RFC 5321 section 5.1)"},
    {"a failed MX lookup is CRITICAL", MX_SERVFAIL, 2, "SMTP_TLS CRITICAL", NULL},
    {"MX hosts beyond 16 are named, never dropped silently", MX_MANY, 2, "SMTP_TLS CRITICAL",
     "MX: 1 more MX host not checked (at most 16): mx17.test"},
};

static void test_tls_service_mx(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(mx_cases); i++) {
		svc_cfg_t cfg;
		mc_check_config_t cc;
		mc_check_env_t env;
		mc_loop_t *loop = NULL;
		ds_server_t srv;
		fake_dns_t *dns;
		mc_addr_t addr;
		char port[8], msg[400];
		mc_result_t *root;
		report_lines_t out;
		mc_status_t st;
		void *run;
		mx_zone_t zone = mx_cases[i].zone;

		print_message("case: %s\n", mx_cases[i].why);
		assert_int_equal(mc_loop_new(&loop), MC_OK);
		/* Only MX_ONE reaches a server: a listening one would keep the
		 * loop running until the deadline in the other cases. */
		if (zone == MX_ONE) {
			ds_start(&srv, loop, pki.sctx, s_good, N(s_good));
			ds_addr(&srv, &addr);
			snprintf(port, sizeof(port), "%u",
			         ntohs(((struct sockaddr_in *)&addr.ss)->sin_port));
		} else {
			snprintf(port, sizeof(port), "%u", ds_closed_port());
		}
		dns = fake_dns_start(loop, mx_answer, &zone);
		mc_tls_service_init(&cfg.svc, &desc);
		assert_int_equal(mc_tls_service_option(&cfg.svc, MC_TLS_SERVICE_OPT_MX, "d.test",
		                                       msg, sizeof(msg)),
		                 MC_OK);
		assert_int_equal(mc_tls_service_option(&cfg.svc, 'p', port, msg, sizeof(msg)),
		                 MC_OK);
		assert_int_equal(mc_tls_service_option(&cfg.svc, '4', NULL, msg, sizeof(msg)),
		                 MC_OK);
		assert_int_equal(mc_tls_service_validate(&cfg.svc, msg, sizeof(msg)), MC_OK);
		memset(&cc, 0, sizeof(cc));
		cc.timeout = 5;
		cc.timeout_state = MC_STATE_CRITICAL;
		env.loop = loop;
		env.dns = fake_dns_resolver(dns, 5000);
		env.tls = pki.tls;
		env.t0 = mc_clock_now_us();
		/* The scripted resolver's socket keeps the loop busy to the
		 * deadline: keep it short, long enough for the one session. */
		mc_loop_set_deadline(loop, env.t0 + (zone == MX_ONE ? 5000000 : 1000000));
		run = mc_tls_service_begin(&cfg, &cc, &env);
		assert_non_null(run);
		st = mc_loop_run(loop);
		root = mc_result_new("SMTP_TLS");
		assert_non_null(root);
		mc_tls_service_end(run, st == MC_E_TIMEOUT, root);
		report_lines(root, &out);
		if (out.exit_code != mx_cases[i].exit_code ||
		    !strstr(out.first, mx_cases[i].first) ||
		    (mx_cases[i].line && !strstr(out.lines, mx_cases[i].line)))
			fail_msg("%s: exit %d\n%s\n%s", mx_cases[i].why, out.exit_code, out.first,
			         out.lines);
		report_lines_free(&out);
		mc_result_free(root);
		if (zone == MX_ONE)
			ds_free(&srv);
		mc_dns_free(env.dns);
		fake_dns_free(dns);
		mc_loop_free(loop);
	}
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
	    cmocka_unit_test(test_tls_service_cases),
	    cmocka_unit_test(test_tls_service_options),
	    cmocka_unit_test(test_tls_service_derived),
	    cmocka_unit_test(test_tls_service_mx),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
