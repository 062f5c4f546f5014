/* check_pop3s - POP3 over verified TLS: implicit TLS (995) or STLS (110),
 * no plaintext login before TLS, an optional login and the maildrop's
 * size. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check/mc_check.h"
#include "check/mc_login.h"
#include "check/mc_tls_service.h"
#include "proto/mc_pop3.h"
#include "report/mc_report.h"

enum {
	OPT_MESSAGES_WARNING = MC_OPT_LONG_BASE,
	OPT_MESSAGES_CRITICAL,
	OPT_SIZE_WARNING,
	OPT_SIZE_CRITICAL
};

static const mc_opt_t options[] = {
    {"hostname", 'H', required_argument, "HOST",
     "Host name or IP address of the POP3 server (required)."},
    {"port", 'p', required_argument, "PORT",
     "TCP port. 995 means implicit TLS, any other port STLS (110). Default: 995."},
    MC_TLS_SERVICE_OPTS,
    MC_TLS_SERVICE_OPTS_POLICY,
    MC_LOGIN_OPTS("plain|user", "plain: AUTH PLAIN with the initial response; user: USER and PASS. "
                                "Default: plain when SASL PLAIN is advertised, else user."),
    {"messages-warning", OPT_MESSAGES_WARNING, required_argument, "RANGE",
     "Range on the messages in the maildrop (STAT, after -U) for WARNING. Default: none."},
    {"messages-critical", OPT_MESSAGES_CRITICAL, required_argument, "RANGE",
     "Range on the messages in the maildrop for CRITICAL. Default: none."},
    {"size-warning", OPT_SIZE_WARNING, required_argument, "RANGE",
     "Range on the maildrop's size in bytes for WARNING. Default: none."},
    {"size-critical", OPT_SIZE_CRITICAL, required_argument, "RANGE",
     "Range on the maildrop's size in bytes for CRITICAL. Default: none."},
    MC_OPTS_STANDARD,
    {NULL, 0, 0, NULL, NULL}};

typedef struct pop3s_config {
	mc_tls_service_t svc; /* first: the engine reads it from pcfg */
	mc_login_t login;
	mc_pop3_auth_t auth;
	mc_thresholds_t messages, size;
} pop3s_config_t;

static mc_status_t option(void *pcfg, int opt, const char *arg, char *msg, size_t msgsz)
{
	pop3s_config_t *c = pcfg;
	mc_status_t st = mc_login_option(&c->login, opt, arg, msg, msgsz);

	if (st != MC_E_AGAIN)
		return st;
	switch (opt) {
	case OPT_MESSAGES_WARNING:
		return mc_check_range_option(&c->messages.warn, &c->messages.has_warn, arg,
		                             "messages-warning", msg, msgsz);
	case OPT_MESSAGES_CRITICAL:
		return mc_check_range_option(&c->messages.crit, &c->messages.has_crit, arg,
		                             "messages-critical", msg, msgsz);
	case OPT_SIZE_WARNING:
		return mc_check_range_option(&c->size.warn, &c->size.has_warn, arg, "size-warning",
		                             msg, msgsz);
	case OPT_SIZE_CRITICAL:
		return mc_check_range_option(&c->size.crit, &c->size.has_crit, arg, "size-critical",
		                             msg, msgsz);
	default: return mc_tls_service_option(&c->svc, opt, arg, msg, msgsz);
	}
}

static mc_status_t validate(void *pcfg, const mc_check_config_t *cc, char *msg, size_t msgsz)
{
	pop3s_config_t *c = pcfg;

	if (mc_tls_service_validate(&c->svc, msg, msgsz) != MC_OK)
		return MC_E_USAGE;
	(void)cc;
	if (c->login.auth) {
		if (!strcmp(c->login.auth, "plain"))
			c->auth = MC_POP3_AUTH_PLAIN;
		else if (!strcmp(c->login.auth, "user"))
			c->auth = MC_POP3_AUTH_USER;
		else {
			snprintf(msg, msgsz, "invalid --auth '%s' (want plain or user)",
			         c->login.auth);
			return MC_E_USAGE;
		}
	}
	if ((c->messages.has_warn || c->messages.has_crit || c->size.has_warn ||
	     c->size.has_crit) &&
	    !c->login.user) {
		snprintf(msg, msgsz,
		         "the --messages and --size ranges need -U/--user (STAT runs "
		         "after login)");
		return MC_E_USAGE;
	}
	return mc_login_validate(&c->login, msg, msgsz);
}

static mc_session_t *start(const void *pcfg, const mc_session_params_t *sp, void *result,
                           void (*done)(void *arg), void *arg)
{
	const pop3s_config_t *c = pcfg;
	mc_pop3_params_t p;

	memset(&p, 0, sizeof(p));
	p.session = *sp;
	p.user = c->login.user;
	p.password = c->login.password;
	p.auth = c->auth;
	return mc_pop3_start(&p, result, done, arg);
}

static void before_tls(const void *pcfg, const mc_check_config_t *cc, const void *result,
                       mc_result_t *node)
{
	const pop3s_config_t *c = pcfg;
	const mc_pop3_result_t *r = result;

	(void)cc;
	if (r->greeting[0] && !c->svc.cfg.implicit_tls)
		mc_result_add(node, MC_STATE_OK, "greeting: %s", r->greeting);
	if (r->caps_before[0]) {
		mc_result_add(node, MC_STATE_OK, "capabilities: %s", r->caps_before);
		/* RFC 2595 section 4 and RFC 8314: a password must not be
		 * accepted before TLS. */
		if (r->plain_login_before)
			mc_result_add(
			    node, MC_STATE_WARNING,
			    "plaintext login accepted before TLS (USER or SASL PLAIN offered)");
	}
}

static void after_tls(const void *pcfg, const mc_check_config_t *cc, const void *result,
                      mc_result_t *node, const char *suffix, char *extra, size_t extrasz)
{
	const pop3s_config_t *c = pcfg;
	const mc_pop3_result_t *r = result;

	(void)cc;
	if (r->greeting[0] && c->svc.cfg.implicit_tls)
		mc_result_add(node, MC_STATE_OK, "greeting: %s", r->greeting);
	if (r->base.tls_done && r->caps[0])
		mc_result_add(node, MC_STATE_OK, "capabilities%s: %s",
		              c->svc.cfg.implicit_tls ? "" : " after tls", r->caps);
	if (r->logged_in)
		mc_result_add(node, MC_STATE_OK, "login: logged in as %s (%s)", c->login.user,
		              r->auth_used ? r->auth_used : "?");
	if (r->have_stat) {
		mc_state_t ms = mc_thresholds_check(&c->messages, r->messages);
		mc_state_t ss = mc_thresholds_check(&c->size, r->octets);
		mc_result_add(node, ms, "maildrop: %ld messages", r->messages);
		mc_result_add(node, ss, "maildrop: %ld bytes", r->octets);
		mc_report_perf(node, suffix, "messages", r->messages, "", &c->messages);
		mc_report_perf(node, suffix, "size", r->octets, "B", &c->size);
		snprintf(extra, extrasz, ", logged in as %s, %ld messages, %ld bytes",
		         c->login.user, r->messages, r->octets);
	}
}

static const mc_tls_service_desc_t service = {
    .default_port = 995,
    .implicit_port = 995,
    .starttls_word = "STLS",
    .start = start,
    .result_size = sizeof(mc_pop3_result_t),
    .before_tls = before_tls,
    .after_tls = after_tls,
};

int main(int argc, char **argv)
{
	static pop3s_config_t cfg;
	const mc_check_plugin_t plugin = {
	    .progname = "check_pop3s",
	    .label = "POP3S",
	    .description =
	        "Checks a POP3 server over verified TLS: implicit TLS on port 995 or STLS (never a "
	        "plaintext fallback; no USER or SASL PLAIN expected before TLS), the certificate "
	        "chain, name and dates, and optionally a login and the maildrop's size. The "
	        "password is never sent before TLS and never printed.",
	    .synopsis =
	        "check_pop3s -H HOST [-p PORT] [--tls=starttls|implicit] [-U USER "
	        "--password-file FILE] [-D WARN[,CRIT]] [-t SECONDS[:STATE]] [other options]",
	    .options = options,
	    .pcfg = &cfg,
	    .option = option,
	    .validate = validate,
	    .begin = mc_tls_service_begin,
	    .end = mc_tls_service_end,
	    .tls_params = mc_tls_service_tls_params,
	};
	int rc;

	mc_tls_service_init(&cfg.svc, &service);
	rc = mc_check_main(argc, argv, &plugin);

	mc_login_clear(&cfg.login);
	return rc;
}
