/* check_spf_dkim - a domain's sender authentication: SPF parsed, walked
 * through every include against the limits of RFC 7208 and evaluated for
 * the domain's own senders and a forger; each DKIM selector's key; DMARC
 * with its organizational-domain fallback and report authorizations. All
 * questions run concurrently on one resolver. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/mc_check.h"
#include "check/mc_check_sender.h"
#include "report/mc_report_dkim.h"
#include "report/mc_report_dmarc.h"
#include "report/mc_report_spf.h"
#include "util/mc_str.h"

#define MAX_IPS 16
#define MAX_SELECTORS 16

enum {
	OPT_DOMAIN = 'D',
	OPT_SELECTOR = 'k',
	OPT_SPF_PASS = MC_OPT_LONG_BASE,
	OPT_SPF_FAIL,
	OPT_SPF_SENDER,
	OPT_HELO,
	OPT_SPF_LOOKUPS_WARNING,
	OPT_SPF_LOOKUPS_CRITICAL,
	OPT_DKIM_MIN_BITS,
	OPT_DMARC,
	OPT_DMARC_MIN_POLICY
};

static const mc_opt_t options[] = {
    {"domain", 'D', required_argument, "DOMAIN", "The sender domain to check (required)."},
    {"selector", 'k', required_argument, "SEL",
     "A DKIM selector whose key must be published at SEL._domainkey.DOMAIN; repeatable (up "
     "to 16). Default: no DKIM check."},
    {"spf-pass", OPT_SPF_PASS, required_argument, "IP",
     "An address of the domain's own senders: SPF must give pass, else CRITICAL; repeatable "
     "(up to 16). Default: none."},
    {"spf-fail", OPT_SPF_FAIL, required_argument, "IP",
     "An address that must not send as the domain: SPF must give fail (softfail is a "
     "WARNING, anything else CRITICAL); repeatable (up to 16). Default: 192.0.2.254."},
    {"spf-sender", OPT_SPF_SENDER, required_argument, "ADDR",
     "The MAIL FROM address evaluated. Default: postmaster@DOMAIN."},
    {"helo", OPT_HELO, required_argument, "NAME",
     "The HELO name evaluated (%{h}). Default: DOMAIN."},
    {"spf-lookups-warning", OPT_SPF_LOOKUPS_WARNING, required_argument, "RANGE",
     "Range on the DNS-querying terms of the whole SPF tree for WARNING. Default: 8."},
    {"spf-lookups-critical", OPT_SPF_LOOKUPS_CRITICAL, required_argument, "RANGE",
     "Range on the DNS-querying terms for CRITICAL (RFC 7208 allows 10). Default: 10."},
    {"dkim-min-bits", OPT_DKIM_MIN_BITS, required_argument, "BITS",
     "An RSA key shorter is a WARNING (under 1024 is always CRITICAL, RFC 8301). Default: "
     "2048."},
    {"dmarc", OPT_DMARC, required_argument, "required|optional",
     "optional: a missing DMARC record is a WARNING, not CRITICAL. Default: required."},
    {"dmarc-min-policy", OPT_DMARC_MIN_POLICY, required_argument, "none|quarantine|reject",
     "A weaker DMARC policy (p=) is a WARNING. Default: quarantine."},
    {"warning", 'w', required_argument, "RANGE",
     "Threshold range on the total time in seconds for WARNING. Default: none."},
    {"critical", 'c', required_argument, "RANGE",
     "Threshold range on the total time in seconds for CRITICAL. Default: none."},
    {"dns-server", 's', required_argument, "HOST[:PORT]",
     "Resolver to ask, an IP address; repeatable (up to 8). Default: the system's "
     "resolvers."},
    MC_OPTS_STANDARD,
    {NULL, 0, 0, NULL, NULL}};

typedef struct spf_config {
	char domain[254];
	const char *selectors[MAX_SELECTORS];
	size_t nselectors;
	mc_check_sender_ip_t pass[MAX_IPS], fail[MAX_IPS];
	size_t npass, nfail;
	char sender[512];
	char helo[254];
	mc_thresholds_t lookups;
	long dkim_min_bits;
	bool dmarc_optional;
	mc_dmarc_policy_t dmarc_min;
	/* the survey's questions: set by validate */
	mc_check_sender_ip_t ips[2 * MAX_IPS];
	mc_check_sender_params_t survey;
} spf_config_t;

typedef struct run {
	const spf_config_t *cfg;
	const mc_check_config_t *cc;
	mc_check_sender_t *survey;
} run_t;

static void *begin(const void *pcfg, const mc_check_config_t *cc, const mc_check_env_t *env)
{
	run_t *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->cfg = pcfg;
	r->cc = cc;
	if (mc_check_sender_start(env->loop, env->dns, &r->cfg->survey, &r->survey) != MC_OK) {
		free(r);
		return NULL;
	}
	return r;
}

/* The facts of the survey through the judgements of report/, in check
 * order. */
static void report(const run_t *r, mc_state_t unanswered, mc_result_t *root)
{
	const spf_config_t *c = r->cfg;
	mc_report_spf_facts_t spf;
	mc_report_spf_opts_t spf_o = {c->lookups, unanswered};
	mc_report_dkim_opts_t dkim_o = {c->dkim_min_bits, unanswered};
	mc_report_dmarc_opts_t dmarc_o = {c->dmarc_optional, c->dmarc_min, unanswered};
	size_t k;

	mc_check_sender_spf(r->survey, &spf);
	mc_report_spf(root, &spf, &spf_o);
	for (k = 0; k < c->nselectors; k++) {
		mc_report_dkim_facts_t f = {c->selectors[k], NULL, NULL};
		f.sel = mc_check_sender_dkim(r->survey, k, &f.name);
		mc_report_dkim(root, &f, &dkim_o);
	}
	mc_report_dmarc(root, mc_check_sender_dmarc(r->survey), &dmarc_o);
}

static void end(void *state, bool timed_out, mc_result_t *root)
{
	run_t *r = state;
	double t_spf = mc_check_sender_time_spf(r->survey);
	double t_dmarc = mc_check_sender_time_dmarc(r->survey);
	char okline[80];

	report(r, timed_out ? r->cc->timeout_state : MC_STATE_UNKNOWN, root);
	if (t_spf >= 0)
		mc_result_perf(root, "time_spf", t_spf, "s", NULL);
	if (t_dmarc >= 0)
		mc_result_perf(root, "time_dmarc", t_dmarc, "s", NULL);
	snprintf(okline, sizeof(okline), "SPF, %zu DKIM selector%s and DMARC sound",
	         r->cfg->nselectors, r->cfg->nselectors == 1 ? "" : "s");
	mc_check_summary(root, r->cfg->domain, ": ", okline);
	mc_check_sender_free(r->survey);
	free(r);
}

/* ---- options ---- */

static mc_status_t ip_option(mc_check_sender_ip_t *list, size_t *n, const char *arg,
                             const char *name, char *msg, size_t msgsz)
{
	if (*n == MAX_IPS) {
		snprintf(msg, msgsz, "too many --%s options (at most %d)", name, MAX_IPS);
		return MC_E_USAGE;
	}
	if (mc_addr_parse(arg, 0, &list[*n].ip) != MC_OK) {
		snprintf(msg, msgsz, "invalid --%s '%.100s' (want an IPv4 or IPv6 address)", name,
		         arg);
		return MC_E_USAGE;
	}
	list[(*n)++].text = arg;
	return MC_OK;
}

static mc_status_t option(void *pcfg, int opt, const char *arg, char *msg, size_t msgsz)
{
	spf_config_t *c = pcfg;

	switch (opt) {
	case OPT_DOMAIN:
		return mc_check_domain_option(c->domain, sizeof(c->domain), arg, msg, msgsz);
	case OPT_SELECTOR:
		if (c->nselectors == MAX_SELECTORS) {
			snprintf(msg, msgsz, "too many --selector options (at most %d)",
			         MAX_SELECTORS);
			return MC_E_USAGE;
		}
		if (!mc_dns_name_valid(arg) || strlen(arg) > 63) {
			snprintf(msg, msgsz, "invalid --selector '%.100s' (want a DNS label)", arg);
			return MC_E_USAGE;
		}
		c->selectors[c->nselectors++] = arg;
		return MC_OK;
	case OPT_SPF_PASS: return ip_option(c->pass, &c->npass, arg, "spf-pass", msg, msgsz);
	case OPT_SPF_FAIL: return ip_option(c->fail, &c->nfail, arg, "spf-fail", msg, msgsz);
	case OPT_SPF_SENDER:
		if (strlen(arg) >= sizeof(c->sender) || strchr(arg, ' ')) {
			snprintf(msg, msgsz, "invalid --spf-sender '%.100s'", arg);
			return MC_E_USAGE;
		}
		mc_strlcpy(c->sender, arg, sizeof(c->sender));
		return MC_OK;
	case OPT_HELO:
		if (!mc_dns_name_valid(arg)) {
			snprintf(msg, msgsz, "invalid --helo '%.100s' (want a host name)", arg);
			return MC_E_USAGE;
		}
		mc_strlcpy(c->helo, arg, sizeof(c->helo));
		return MC_OK;
	case OPT_SPF_LOOKUPS_WARNING:
		return mc_check_range_option(&c->lookups.warn, &c->lookups.has_warn, arg,
		                             "spf-lookups-warning", msg, msgsz);
	case OPT_SPF_LOOKUPS_CRITICAL:
		return mc_check_range_option(&c->lookups.crit, &c->lookups.has_crit, arg,
		                             "spf-lookups-critical", msg, msgsz);
	case OPT_DKIM_MIN_BITS:
		if (mc_parse_long(arg, 512, 16384, &c->dkim_min_bits) != MC_OK) {
			snprintf(msg, msgsz, "invalid --dkim-min-bits '%s' (want 512..16384)", arg);
			return MC_E_USAGE;
		}
		return MC_OK;
	case OPT_DMARC:
		if (strcmp(arg, "required") && strcmp(arg, "optional")) {
			snprintf(msg, msgsz, "invalid --dmarc '%s' (want required or optional)",
			         arg);
			return MC_E_USAGE;
		}
		c->dmarc_optional = !strcmp(arg, "optional");
		return MC_OK;
	case OPT_DMARC_MIN_POLICY:
		if (!strcmp(arg, "none"))
			c->dmarc_min = MC_DMARC_POLICY_NONE;
		else if (!strcmp(arg, "quarantine"))
			c->dmarc_min = MC_DMARC_POLICY_QUARANTINE;
		else if (!strcmp(arg, "reject"))
			c->dmarc_min = MC_DMARC_POLICY_REJECT;
		else {
			snprintf(
			    msg, msgsz,
			    "invalid --dmarc-min-policy '%s' (want none, quarantine or reject)",
			    arg);
			return MC_E_USAGE;
		}
		return MC_OK;
	default: return MC_E_AGAIN;
	}
}

/* The survey's questions: own senders first, then forgers. */
static void survey_params(spf_config_t *c)
{
	size_t k;

	for (k = 0; k < c->npass; k++) {
		c->ips[k] = c->pass[k];
		c->ips[k].want_pass = true;
	}
	for (k = 0; k < c->nfail; k++)
		c->ips[c->npass + k] = c->fail[k];
	c->survey = (mc_check_sender_params_t){.domain = c->domain,
	                                       .sender = c->sender,
	                                       .helo = c->helo,
	                                       .ips = c->ips,
	                                       .nips = c->npass + c->nfail,
	                                       .selectors = c->selectors,
	                                       .nselectors = c->nselectors};
}

static mc_status_t validate(void *pcfg, const mc_check_config_t *cc, char *msg, size_t msgsz)
{
	spf_config_t *c = pcfg;

	(void)cc;
	if (!c->domain[0]) {
		snprintf(msg, msgsz, "-D/--domain is required");
		return MC_E_USAGE;
	}
	if (!c->sender[0])
		snprintf(c->sender, sizeof(c->sender), "postmaster@%s", c->domain);
	if (!c->helo[0])
		mc_strlcpy(c->helo, c->domain, sizeof(c->helo));
	if (!c->nfail) {
		static const char deflt[] = "192.0.2.254";
		(void)ip_option(c->fail, &c->nfail, deflt, "spf-fail", msg, msgsz);
	}
	if (!c->lookups.has_warn)
		(void)mc_check_range_option(&c->lookups.warn, &c->lookups.has_warn, "8",
		                            "spf-lookups-warning", msg, msgsz);
	if (!c->lookups.has_crit)
		(void)mc_check_range_option(&c->lookups.crit, &c->lookups.has_crit, "10",
		                            "spf-lookups-critical", msg, msgsz);
	survey_params(c);
	return MC_OK;
}

/* DNS only: no OpenSSL context (keys are parsed, not used for TLS). */
static bool wants_tls(const void *pcfg)
{
	(void)pcfg;
	return false;
}

int main(int argc, char **argv)
{
	static spf_config_t cfg = {.dkim_min_bits = 2048, .dmarc_min = MC_DMARC_POLICY_QUARANTINE};
	static const mc_check_plugin_t plugin = {
	    .progname = "check_spf_dkim",
	    .label = "SPF_DKIM",
	    .description =
	        "Check a domain's sender authentication: one valid SPF record within RFC 7208's "
	        "lookup limits over its whole include tree, evaluated (check_host) for the "
	        "domain's own senders and a forger; the key of every DKIM selector; and the "
	        "DMARC policy, with its organizational-domain fallback and report "
	        "authorizations.",
	    .synopsis = "check_spf_dkim -D DOMAIN [-k SELECTOR]... [--spf-pass IP]... "
	                "[--spf-fail IP]... [-s HOST[:PORT]]... [options]",
	    .options = options,
	    .pcfg = &cfg,
	    .option = option,
	    .validate = validate,
	    .begin = begin,
	    .end = end,
	    .wants_tls = wants_tls};

	return mc_check_main(argc, argv, &plugin);
}
