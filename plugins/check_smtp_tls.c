/* check_smtp_tls - verified SMTP TLS check: STARTTLS (RFC 3207) or
 * implicit TLS (RFC 8314) with chain, name and date verification, the
 * certificate's remaining life and the time of every phase. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check/mc_check.h"
#include "check/mc_login.h"
#include "check/mc_tls_service.h"
#include "proto/mc_smtp.h"
#include "report/mc_report.h"
#include "util/mc_str.h"

#define MAX_COMMANDS 16
#define MAX_CAPS 16

enum { OPT_REQUIRE_CAP = MC_OPT_LONG_BASE + 1, OPT_FORBID_CAP, OPT_RELAY_TEST };

/* RFC 2606 section 3: a sender in a reserved domain; the recipient outside
 * any domain the server can be responsible for. */
#define RELAY_FROM "mailcheck-relay-probe@example.com"
#define RELAY_RCPT "mailcheck-relay-test@example.net"

static const mc_opt_t options[] = {
    {"hostname", 'H', required_argument, "HOST",
     "Host name or IP address of the SMTP server (required)."},
    {"port", 'p', required_argument, "PORT",
     "TCP port. 465 means implicit TLS, any other port STARTTLS. Default: 25."},
    MC_TLS_SERVICE_OPTS,
    MC_TLS_SERVICE_OPTS_POLICY,
    MC_TLS_SERVICE_OPTS_DANE_MX,
    {"starttls", 'S', no_argument, NULL, "Same as --tls=starttls (as in check_smtp)."},
    {"fqdn", 'F', required_argument, "NAME",
     "Name to send with EHLO/LHLO. Default: this host's name when it is fully qualified, "
     "else the local address as a literal."},
    {"expect", 'e', required_argument, "STRING",
     "Text the banner's first line must contain. Default: 220."},
    {"lmtp", 'L', no_argument, NULL, "Send LHLO instead of EHLO (LMTP, RFC 2033)."},
    {"command", 'C', required_argument, "COMMAND",
     "Command to send after the EHLO that follows TLS; repeatable (up to 16), in order."},
    {"response", 'R', required_argument, "TEXT",
     "Reply the matching -C command must start with, e.g. 250; repeatable. Without it a "
     "2xx or 3xx reply is required."},
    {"require-capability", OPT_REQUIRE_CAP, required_argument, "CAP",
     "An EHLO keyword the server must advertise after TLS, e.g. PIPELINING, SIZE, 8BITMIME, "
     "SMTPUTF8, CHUNKING, REQUIRETLS; repeatable (up to 16). Missing: CRITICAL. Default: "
     "none."},
    {"forbid-capability", OPT_FORBID_CAP, required_argument, "CAP",
     "An EHLO keyword the server must not advertise after TLS; repeatable (up to 16). "
     "Advertised: CRITICAL. Default: none."},
    {"relay-test", OPT_RELAY_TEST, optional_argument, "RECIPIENT",
     "After TLS, MAIL FROM " RELAY_FROM " and RCPT TO RECIPIENT, then RSET (never DATA): "
     "an accepted recipient is CRITICAL (open relay). Not with -U. Default: RECIPIENT " RELAY_RCPT
     "."},
    {"user", 'U', required_argument, "USER",
     "AUTH as USER after TLS (never before). Default: no AUTH."},
    {"authtype", 'A', required_argument, "PLAIN|LOGIN|CRAM-MD5|SCRAM-SHA-256",
     "SASL mechanism for -U; the server must advertise it. Default: the strongest the server "
     "advertises (SCRAM-SHA-256, CRAM-MD5, PLAIN, LOGIN in that order)."},
    {"password-file", MC_LOGIN_OPT_PASSWORD_FILE, required_argument, "FILE",
     "Read the password from the first line of FILE (keep it mode 0600). Default: the "
     "environment variable MAILCHECK_PASSWORD."},
    {"password", 'P', required_argument, "PASSWORD",
     "The password itself. Discouraged: the command line is visible to every local user; "
     "prefer --password-file, MAILCHECK_PASSWORD, or password=... in an --extra-opts file. "
     "Default: none."},
    MC_OPTS_STANDARD,
    {NULL, 0, 0, NULL, NULL}};

typedef struct smtp_config {
	mc_tls_service_t svc; /* first: the engine reads it from pcfg */
	const char *fqdn;
	char helo[256];
	const char *expect;
	bool lmtp;
	const char *commands[MAX_COMMANDS];
	const char *responses[MAX_COMMANDS];
	size_t ncommands, nresponses;
	const char *require[MAX_CAPS], *forbid[MAX_CAPS];
	size_t nrequire, nforbid;
	const char *relay_rcpt; /* --relay-test */
	mc_login_t login;
	mc_smtp_auth_t auth;
} smtp_config_t;

/* A repeatable option into list; MC_E_USAGE when full. */
static mc_status_t add_to(const char **list, size_t *n, size_t max, const char *arg,
                          const char *name, char *msg, size_t msgsz)
{
	if (*n == max) {
		snprintf(msg, msgsz, "too many --%s options (at most %zu)", name, max);
		return MC_E_USAGE;
	}
	list[(*n)++] = arg;
	return MC_OK;
}

static mc_status_t option(void *pcfg, int opt, const char *arg, char *msg, size_t msgsz)
{
	smtp_config_t *c = pcfg;
	mc_status_t st;

	switch (opt) {
	case 'F': c->fqdn = arg; return MC_OK;
	case 'e': c->expect = arg; return MC_OK;
	case 'L': c->lmtp = true; return MC_OK;
	case 'C':
		return add_to(c->commands, &c->ncommands, MAX_COMMANDS, arg, "command", msg, msgsz);
	case 'R':
		return add_to(c->responses, &c->nresponses, MAX_COMMANDS, arg, "response", msg,
		              msgsz);
	case OPT_REQUIRE_CAP:
		return add_to(c->require, &c->nrequire, MAX_CAPS, arg, "require-capability", msg,
		              msgsz);
	case OPT_FORBID_CAP:
		return add_to(c->forbid, &c->nforbid, MAX_CAPS, arg, "forbid-capability", msg,
		              msgsz);
	case OPT_RELAY_TEST:
		if (arg && (!*arg || strlen(arg) > 254 || strpbrk(arg, "<> \t\r\n"))) {
			snprintf(msg, msgsz, "invalid --relay-test recipient '%.260s'", arg);
			return MC_E_USAGE;
		}
		c->relay_rcpt = arg ? arg : RELAY_RCPT;
		return MC_OK;
	case 'A':
		if (mc_smtp_auth_parse(arg, &c->auth) != MC_OK) {
			snprintf(msg, msgsz,
			         "invalid --authtype '%s' (want PLAIN, LOGIN, CRAM-MD5 or "
			         "SCRAM-SHA-256)",
			         arg);
			return MC_E_USAGE;
		}
		return MC_OK;
	default: break;
	}
	st = mc_login_option(&c->login, opt, arg, msg, msgsz);
	return st != MC_E_AGAIN ? st : mc_tls_service_option(&c->svc, opt, arg, msg, msgsz);
}

static mc_status_t validate(void *pcfg, const mc_check_config_t *cc, char *msg, size_t msgsz)
{
	smtp_config_t *c = pcfg;
	mc_addr_t lit;

	if (mc_tls_service_validate(&c->svc, msg, msgsz) != MC_OK)
		return MC_E_USAGE;
	if (c->nresponses > c->ncommands) {
		snprintf(msg, msgsz, "more --response than --command options");
		return MC_E_USAGE;
	}
	if (mc_login_validate(&c->login, msg, msgsz) != MC_OK)
		return MC_E_USAGE;
	if (c->auth != MC_SMTP_AUTH_AUTO && !c->login.user) {
		snprintf(msg, msgsz, "--authtype needs -U/--user");
		return MC_E_USAGE;
	}
	(void)cc;
	if (c->svc.cfg.dane && c->svc.cfg.host &&
	    mc_addr_parse(c->svc.cfg.host, 0, &lit) == MC_OK) {
		snprintf(msg, msgsz,
		         "--dane needs a host name, not an address (TLSA records are "
		         "found by name)");
		return MC_E_USAGE;
	}
	/* An authenticated client may relay: the test would prove nothing. */
	if (c->relay_rcpt && c->login.user) {
		snprintf(msg, msgsz,
		         "--relay-test cannot be combined with -U (an authenticated "
		         "client may relay)");
		return MC_E_USAGE;
	}
	/* This host's name if fully qualified; else the session uses the
	 * address literal (RFC 5321 section 4.1.3). */
	if (c->fqdn)
		mc_strlcpy(c->helo, c->fqdn, sizeof(c->helo));
	else if (gethostname(c->helo, sizeof(c->helo)) != 0 || !strchr(c->helo, '.'))
		c->helo[0] = '\0';
	c->helo[sizeof(c->helo) - 1] = '\0';
	return MC_OK;
}

static mc_session_t *start(const void *pcfg, const mc_session_params_t *sp, void *result,
                           void (*done)(void *arg), void *arg)
{
	const smtp_config_t *c = pcfg;
	mc_smtp_params_t p;

	memset(&p, 0, sizeof(p));
	p.session = *sp;
	p.lmtp = c->lmtp;
	p.helo = c->helo[0] ? c->helo : NULL;
	p.expect = c->expect;
	p.commands = c->commands;
	p.responses = c->nresponses ? c->responses : NULL;
	p.ncommands = c->ncommands;
	if (c->login.have_password) {
		p.user = c->login.user;
		p.password = c->login.password;
		p.auth = c->auth;
	}
	if (c->relay_rcpt) {
		p.relay_from = RELAY_FROM;
		p.relay_rcpt = c->relay_rcpt;
	}
	return mc_smtp_start(&p, result, done, arg);
}

static void before_tls(const void *pcfg, const mc_check_config_t *cc, const void *result,
                       mc_result_t *node)
{
	const smtp_config_t *c = pcfg;
	const mc_smtp_result_t *r = result;

	if (r->banner[0])
		mc_result_add(node, MC_STATE_OK, "banner: %s", r->banner);
	if (r->caps_before[0] && cc->verbose)
		mc_result_add(node, MC_STATE_OK, "%s: %s", c->lmtp ? "lhlo" : "ehlo",
		              r->caps_before);
	if (r->auth_before_tls)
		mc_result_add(node, MC_STATE_WARNING,
		              "AUTH offered before STARTTLS: credentials could be sent in clear");
	if (r->starttls_reply[0] && r->base.tls_done)
		mc_result_add(node, MC_STATE_OK, "starttls: %s", r->starttls_reply);
}

/* --require-capability and --forbid-capability against the EHLO keywords
 * after TLS (space separated). */
static void report_caps(const smtp_config_t *c, const mc_smtp_result_t *r, mc_result_t *node)
{
	size_t i;

	for (i = 0; i < c->nrequire + c->nforbid; i++) {
		bool req = i < c->nrequire;
		const char *cap = req ? c->require[i] : c->forbid[i - c->nrequire];
		bool found = mc_str_word_in(r->caps_after, cap);
		if (req && !found)
			mc_result_add(node, MC_STATE_CRITICAL, "capability %s not advertised", cap);
		else if (!req && found)
			mc_result_add(node, MC_STATE_CRITICAL,
			              "capability %s advertised (--forbid-capability)", cap);
		else
			mc_result_add(node, MC_STATE_OK, "capability %s %s", cap,
			              req ? "advertised" : "not advertised");
	}
}

static void after_tls(const void *pcfg, const mc_check_config_t *cc, const void *result,
                      mc_result_t *node, const char *suffix, char *extra, size_t extrasz)
{
	const smtp_config_t *c = pcfg;
	const mc_smtp_result_t *r = result;

	if (r->caps_after[0] && cc->verbose)
		mc_result_add(node, MC_STATE_OK, "%s after tls: %s", c->lmtp ? "lhlo" : "ehlo",
		              r->caps_after);
	if (r->caps_after[0])
		report_caps(c, r, node);
	if (r->size_limit >= 0)
		mc_report_perf(node, suffix, "size_limit", (double)r->size_limit, "B", NULL);
	if (r->logged_in) {
		mc_result_add(node, MC_STATE_OK, "auth: logged in as %s with %s", c->login.user,
		              mc_smtp_auth_name(r->auth_used));
		snprintf(extra, extrasz, ", logged in as %s (AUTH %s)", c->login.user,
		         mc_smtp_auth_name(r->auth_used));
	}
	if (r->relay_tested && r->relay_accepted)
		mc_result_add(node, MC_STATE_CRITICAL, "open relay: RCPT TO:<%s> accepted: %s",
		              c->relay_rcpt, r->relay_reply);
	else if (r->relay_tested)
		mc_result_add(node, MC_STATE_OK, "relay test: RCPT TO:<%s> refused: %s",
		              c->relay_rcpt, r->relay_reply);
	else if (r->relay_reply[0])
		mc_result_add(node, MC_STATE_WARNING,
		              "relay test inconclusive: MAIL FROM:<%s> refused: %s", RELAY_FROM,
		              r->relay_reply);
	if (r->commands_ok)
		mc_result_add(node, MC_STATE_OK, "commands: %zu answered as expected, last: %s",
		              r->commands_ok, r->last_reply);
}

static const mc_tls_service_desc_t service = {
    .default_port = 25,
    .implicit_port = 465,
    .starttls_word = "STARTTLS",
    .start = start,
    .result_size = sizeof(mc_smtp_result_t),
    .before_tls = before_tls,
    .after_tls = after_tls,
};

int main(int argc, char **argv)
{
	static smtp_config_t cfg = {.expect = "220"};
	const mc_check_plugin_t plugin = {
	    .progname = "check_smtp_tls",
	    .label = "SMTP_TLS",
	    .description =
	        "Checks an SMTP, submission or SMTPS server: connects, reads the banner, says "
	        "EHLO, "
	        "starts TLS (STARTTLS, or implicit TLS on port 465) and verifies the certificate "
	        "chain, name and dates, measures the certificate's remaining life and the time of "
	        "every phase, and says EHLO again. It never falls back to plaintext.",
	    .synopsis = "check_smtp_tls -H HOST|--mx DOMAIN [-p PORT] [--tls=starttls|implicit] "
	                "[--verify=full|chain|none] [--ca-file FILE] [--cert-name NAME] "
	                "[--dane[=require]] [--ocsp=off|check|require] [-U USER [-A MECH]] "
	                "[--relay-test[=RCPT]] [-D WARN[,CRIT]] [-w RANGE] [-c RANGE] "
	                "[-t SECONDS[:STATE]] [other options]",
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
