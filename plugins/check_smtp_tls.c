/* check_smtp_tls - verified SMTP TLS check: STARTTLS (RFC 3207) or
 * implicit TLS (RFC 8314) with chain, name and date verification, the
 * certificate's remaining life and the time of every phase. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check/mc_check.h"
#include "proto/mc_smtp.h"
#include "util/mc_str.h"

#define MAX_COMMANDS 16

static const mc_opt_t options[] = {
    {"hostname", 'H', required_argument, "HOST",
     "Host name or IP address of the SMTP server (required)."},
    {"port", 'p', required_argument, "PORT",
     "TCP port. 465 means implicit TLS, any other port STARTTLS. Default: 25."},
    MC_CHECK_OPTS_TLS,
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
    MC_OPTS_STANDARD,
    {NULL, 0, 0, NULL, NULL}};

typedef struct smtp_config {
	const char *fqdn;
	char helo[256];
	const char *expect;
	bool lmtp;
	const char *commands[MAX_COMMANDS];
	const char *responses[MAX_COMMANDS];
	size_t ncommands, nresponses;
} smtp_config_t;

static mc_status_t option(void *pcfg, int opt, const char *arg, char *msg, size_t msgsz)
{
	smtp_config_t *c = pcfg;

	switch (opt) {
	case 'F': c->fqdn = arg; return MC_OK;
	case 'e': c->expect = arg; return MC_OK;
	case 'L': c->lmtp = true; return MC_OK;
	case 'C':
		if (c->ncommands == MAX_COMMANDS) {
			snprintf(msg, msgsz, "too many --command options (at most %d)",
			         MAX_COMMANDS);
			return MC_E_USAGE;
		}
		c->commands[c->ncommands++] = arg;
		return MC_OK;
	case 'R':
		if (c->nresponses == MAX_COMMANDS) {
			snprintf(msg, msgsz, "too many --response options (at most %d)",
			         MAX_COMMANDS);
			return MC_E_USAGE;
		}
		c->responses[c->nresponses++] = arg;
		return MC_OK;
	default: return MC_E_AGAIN;
	}
}

static mc_status_t validate(void *pcfg, const mc_check_config_t *cc, char *msg, size_t msgsz)
{
	smtp_config_t *c = pcfg;

	(void)cc;
	if (c->nresponses > c->ncommands) {
		snprintf(msg, msgsz, "more --response than --command options");
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
	return mc_smtp_start(&p, result, done, arg);
}

static void before_tls(const void *pcfg, const mc_check_config_t *cc, const void *result,
                       mc_result_t *node)
{
	const smtp_config_t *c = pcfg;
	const mc_smtp_result_t *r = result;

	(void)cc;
	if (r->banner[0])
		mc_result_add(node, MC_STATE_OK, "banner: %s", r->banner);
	if (r->caps_before[0])
		mc_result_add(node, MC_STATE_OK, "%s: %s", c->lmtp ? "lhlo" : "ehlo",
		              r->caps_before);
	if (r->starttls_reply[0] && r->base.tls_done)
		mc_result_add(node, MC_STATE_OK, "starttls: %s", r->starttls_reply);
}

static void after_tls(const void *pcfg, const mc_check_config_t *cc, const void *result,
                      mc_result_t *node, const char *suffix, char *extra, size_t extrasz)
{
	const smtp_config_t *c = pcfg;
	const mc_smtp_result_t *r = result;

	(void)cc;
	(void)suffix;
	(void)extra;
	(void)extrasz;
	if (r->caps_after[0])
		mc_result_add(node, MC_STATE_OK, "%s after tls: %s", c->lmtp ? "lhlo" : "ehlo",
		              r->caps_after);
	if (r->commands_ok)
		mc_result_add(node, MC_STATE_OK, "commands: %zu answered as expected, last: %s",
		              r->commands_ok, r->last_reply);
}

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
	    .synopsis =
	        "check_smtp_tls -H HOST [-p PORT] [--tls=starttls|implicit] "
	        "[--verify=full|chain|none] [--ca-file FILE] [--cert-name NAME] "
	        "[-D WARN[,CRIT]] [-w RANGE] [-c RANGE] [-t SECONDS[:STATE]] [other options]",
	    .options = options,
	    .default_port = 25,
	    .implicit_port = 465,
	    .starttls_word = "STARTTLS",
	    .pcfg = &cfg,
	    .option = option,
	    .validate = validate,
	    .start = start,
	    .result_size = sizeof(mc_smtp_result_t),
	    .before_tls = before_tls,
	    .after_tls = after_tls,
	};

	return mc_check_main(argc, argv, &plugin);
}
