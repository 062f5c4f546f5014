/* check_imaps - IMAP over verified TLS: implicit TLS (993) or STARTTLS
 * (143), no plaintext login before TLS, an optional login, the messages of
 * a mailbox and the quota. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check/mc_check.h"
#include "check/mc_login.h"
#include "check/mc_tls_service.h"
#include "proto/mc_imap.h"
#include "proto/mc_imap_reply.h"
#include "report/mc_report.h"
#include "util/mc_str.h"

enum {
	OPT_MESSAGES_WARNING = MC_OPT_LONG_BASE,
	OPT_MESSAGES_CRITICAL,
	OPT_UNSEEN_WARNING,
	OPT_UNSEEN_CRITICAL,
	OPT_QUOTA,
	OPT_QUOTA_WARNING,
	OPT_QUOTA_CRITICAL
};

static const mc_opt_t options[] = {
    {"hostname", 'H', required_argument, "HOST",
     "Host name or IP address of the IMAP server (required)."},
    {"port", 'p', required_argument, "PORT",
     "TCP port. 993 means implicit TLS, any other port STARTTLS (143). Default: 993."},
    MC_TLS_SERVICE_OPTS,
    MC_TLS_SERVICE_OPTS_POLICY,
    MC_LOGIN_OPTS("plain|login",
                  "plain: AUTHENTICATE PLAIN (with SASL-IR when advertised); login: the "
                  "LOGIN command. Default: plain when AUTH=PLAIN is advertised, else login."),
    {"mailbox", 'm', required_argument, "NAME",
     "Read the MESSAGES and UNSEEN counts of mailbox NAME with STATUS (nothing is selected "
     "or changed); needs -U. Default: none."},
    {"messages-warning", OPT_MESSAGES_WARNING, required_argument, "RANGE",
     "Range on the messages in -m for WARNING. Default: none."},
    {"messages-critical", OPT_MESSAGES_CRITICAL, required_argument, "RANGE",
     "Range on the messages in -m for CRITICAL. Default: none."},
    {"unseen-warning", OPT_UNSEEN_WARNING, required_argument, "RANGE",
     "Range on the unseen messages in -m for WARNING. Default: none."},
    {"unseen-critical", OPT_UNSEEN_CRITICAL, required_argument, "RANGE",
     "Range on the unseen messages in -m for CRITICAL. Default: none."},
    {"quota", OPT_QUOTA, no_argument, NULL,
     "Read the quota of the mailbox (-m, else INBOX) with GETQUOTAROOT; needs -U. UNKNOWN "
     "without the QUOTA capability."},
    {"quota-warning", OPT_QUOTA_WARNING, required_argument, "RANGE",
     "Range on the percentage of the storage quota used, for WARNING. Default: 80."},
    {"quota-critical", OPT_QUOTA_CRITICAL, required_argument, "RANGE",
     "Range on the percentage of the storage quota used, for CRITICAL. Default: 90."},
    MC_OPTS_STANDARD,
    {NULL, 0, 0, NULL, NULL}};

typedef struct imaps_config {
	mc_tls_service_t svc; /* first: the engine reads it from pcfg */
	mc_login_t login;
	mc_imap_auth_t auth;
	const char *mailbox;
	bool quota;
	mc_thresholds_t messages, unseen, quota_th;
} imaps_config_t;

static mc_status_t option(void *pcfg, int opt, const char *arg, char *msg, size_t msgsz)
{
	imaps_config_t *c = pcfg;
	mc_status_t st = mc_login_option(&c->login, opt, arg, msg, msgsz);

	if (st != MC_E_AGAIN)
		return st;
	switch (opt) {
	case 'm': c->mailbox = arg; return MC_OK;
	case OPT_QUOTA: c->quota = true; return MC_OK;
	case OPT_MESSAGES_WARNING:
		return mc_check_range_option(&c->messages.warn, &c->messages.has_warn, arg,
		                             "messages-warning", msg, msgsz);
	case OPT_MESSAGES_CRITICAL:
		return mc_check_range_option(&c->messages.crit, &c->messages.has_crit, arg,
		                             "messages-critical", msg, msgsz);
	case OPT_UNSEEN_WARNING:
		return mc_check_range_option(&c->unseen.warn, &c->unseen.has_warn, arg,
		                             "unseen-warning", msg, msgsz);
	case OPT_UNSEEN_CRITICAL:
		return mc_check_range_option(&c->unseen.crit, &c->unseen.has_crit, arg,
		                             "unseen-critical", msg, msgsz);
	case OPT_QUOTA_WARNING:
		return mc_check_range_option(&c->quota_th.warn, &c->quota_th.has_warn, arg,
		                             "quota-warning", msg, msgsz);
	case OPT_QUOTA_CRITICAL:
		return mc_check_range_option(&c->quota_th.crit, &c->quota_th.has_crit, arg,
		                             "quota-critical", msg, msgsz);
	default: return mc_tls_service_option(&c->svc, opt, arg, msg, msgsz);
	}
}

static mc_status_t validate(void *pcfg, const mc_check_config_t *cc, char *msg, size_t msgsz)
{
	imaps_config_t *c = pcfg;
	char quoted[600];

	if (mc_tls_service_validate(&c->svc, msg, msgsz) != MC_OK)
		return MC_E_USAGE;
	(void)cc;
	if (c->login.auth) {
		if (!strcmp(c->login.auth, "plain"))
			c->auth = MC_IMAP_AUTH_PLAIN;
		else if (!strcmp(c->login.auth, "login"))
			c->auth = MC_IMAP_AUTH_LOGIN;
		else {
			snprintf(msg, msgsz, "invalid --auth '%s' (want plain or login)",
			         c->login.auth);
			return MC_E_USAGE;
		}
	}
	if ((c->mailbox || c->quota) && !c->login.user) {
		snprintf(msg, msgsz, "%s needs -U/--user (a mailbox is read after login)",
		         c->mailbox ? "-m/--mailbox" : "--quota");
		return MC_E_USAGE;
	}
	if (c->mailbox && mc_imap_quote(c->mailbox, quoted, sizeof(quoted)) != MC_OK) {
		snprintf(msg, msgsz, "invalid --mailbox (too long, or holds CR, LF or NUL)");
		return MC_E_USAGE;
	}
	return mc_login_validate(&c->login, msg, msgsz);
}

static mc_session_t *start(const void *pcfg, const mc_session_params_t *sp, void *result,
                           void (*done)(void *arg), void *arg)
{
	const imaps_config_t *c = pcfg;
	mc_imap_params_t p;

	memset(&p, 0, sizeof(p));
	p.session = *sp;
	p.user = c->login.user;
	p.password = c->login.password;
	p.auth = c->auth;
	p.mailbox = c->mailbox;
	p.quota = c->quota;
	return mc_imap_start(&p, result, done, arg);
}

static void before_tls(const void *pcfg, const mc_check_config_t *cc, const void *result,
                       mc_result_t *node)
{
	const imaps_config_t *c = pcfg;
	const mc_imap_result_t *r = result;

	(void)cc;
	if (r->greeting[0] && !c->svc.cfg.implicit_tls)
		mc_result_add(node, MC_STATE_OK, "greeting: %s", r->greeting);
	if (r->caps_before[0]) {
		mc_result_add(node, MC_STATE_OK, "capabilities: %s", r->caps_before);
		/* RFC 3501 section 6.2.3 and RFC 8314: a client must not be able
		 * to send a password before TLS. */
		if (!r->logindisabled_before)
			mc_result_add(node, MC_STATE_WARNING,
			              "plaintext login accepted before TLS (no LOGINDISABLED)");
	}
}

static void append(char *extra, size_t extrasz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char *extra, size_t extrasz, const char *fmt, ...)
{
	size_t n = strlen(extra);
	va_list ap;

	if (n + 1 >= extrasz)
		return;
	va_start(ap, fmt);
	vsnprintf(extra + n, extrasz - n, fmt, ap);
	va_end(ap);
}

static void after_tls(const void *pcfg, const mc_check_config_t *cc, const void *result,
                      mc_result_t *node, const char *suffix, char *extra, size_t extrasz)
{
	const imaps_config_t *c = pcfg;
	const mc_imap_result_t *r = result;

	(void)cc;
	if (r->greeting[0] && c->svc.cfg.implicit_tls)
		mc_result_add(node, MC_STATE_OK, "greeting: %s", r->greeting);
	if (r->base.tls_done && r->caps[0])
		mc_result_add(node, MC_STATE_OK, "capabilities%s: %s",
		              c->svc.cfg.implicit_tls ? "" : " after tls", r->caps);
	if (r->logged_in) {
		mc_result_add(node, MC_STATE_OK, "login: logged in as %s (%s)", c->login.user,
		              r->auth_used ? r->auth_used : "?");
		append(extra, extrasz, ", logged in as %s", c->login.user);
	}
	if (r->have_status) {
		if (r->has_messages) {
			mc_state_t st = mc_thresholds_check(&c->messages, r->messages);
			mc_result_add(node, st, "mailbox %s: %ld messages", c->mailbox,
			              r->messages);
			mc_report_perf(node, suffix, "messages", r->messages, "", &c->messages);
		}
		if (r->has_unseen) {
			mc_state_t st = mc_thresholds_check(&c->unseen, r->unseen);
			mc_result_add(node, st, "mailbox %s: %ld unseen", c->mailbox, r->unseen);
			mc_report_perf(node, suffix, "unseen", r->unseen, "", &c->unseen);
		}
		append(extra, extrasz, ", %s %ld messages, %ld unseen", c->mailbox, r->messages,
		       r->unseen);
	}
	if (c->quota && r->logged_in && (r->base.status == MC_OK || r->have_quota)) {
		if (r->have_quota) {
			double pct = 100.0 * (double)r->quota_used / (double)r->quota_limit;
			double lo = 0, hi = 100;
			mc_state_t st = mc_thresholds_check(&c->quota_th, pct);
			mc_result_add(node, st, "quota: %.1f%% used (%ld of %ld KiB)", pct,
			              r->quota_used, r->quota_limit);
			{
				char label[64];
				if (suffix)
					snprintf(label, sizeof(label), "quota_used_%s", suffix);
				else
					mc_strlcpy(label, "quota_used", sizeof(label));
				mc_result_perf_mm(node, label, pct, "%", &c->quota_th, &lo, &hi);
			}
			append(extra, extrasz, ", quota %.0f%%", pct);
		} else {
			mc_result_add(node, MC_STATE_UNKNOWN, "quota: %s", r->quota_note);
		}
	}
}

static const mc_tls_service_desc_t service = {
    .default_port = 993,
    .implicit_port = 993,
    .starttls_word = "STARTTLS",
    .start = start,
    .result_size = sizeof(mc_imap_result_t),
    .before_tls = before_tls,
    .after_tls = after_tls,
};

int main(int argc, char **argv)
{
	static imaps_config_t cfg;
	const mc_check_plugin_t plugin = {
	    .progname = "check_imaps",
	    .label = "IMAPS",
	    .description =
	        "Checks an IMAP server over verified TLS: implicit TLS on port 993 or STARTTLS "
	        "(never a plaintext fallback; LOGINDISABLED expected before TLS), the certificate "
	        "chain, name and dates, and optionally a login, the messages of a mailbox and the "
	        "quota. The password is never sent before TLS and never printed.",
	    .synopsis = "check_imaps -H HOST [-p PORT] [--tls=starttls|implicit] [-U USER "
	                "--password-file FILE] [-m MAILBOX] [--quota] [-D WARN[,CRIT]] "
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

	mc_range_parse("80", &cfg.quota_th.warn);
	mc_range_parse("90", &cfg.quota_th.crit);
	cfg.quota_th.has_warn = cfg.quota_th.has_crit = true;
	mc_tls_service_init(&cfg.svc, &service);
	rc = mc_check_main(argc, argv, &plugin);
	mc_login_clear(&cfg.login);
	return rc;
}
