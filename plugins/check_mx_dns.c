/* check_mx_dns - the DNS that mail delivery depends on, in one concurrent
 * run: the MX set, its addresses and reverse DNS, the nameservers, DNSSEC,
 * blocklists, MTA-STS and TLS-RPT, DANE TLSA records, client SRV records
 * and the SMTP banners. The questions are the MX survey's
 * (check/mc_mx_survey.h), the verdicts report/'s; this file is the
 * options, their validation and the wiring. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/mc_check.h"
#include "check/mc_mx_survey.h"
#include "policy/mc_dnsbl.h"
#include "policy/mc_mx.h"
#include "util/mc_str.h"

#define MAX_ZONES MC_MX_SURVEY_MAX_ZONES
#define MAX_EXPECT 16

enum {
	OPT_DOMAIN = 'D',
	OPT_ALLOW_IMPLICIT_MX = MC_OPT_LONG_BASE,
	OPT_EXPECT_NULL_MX,
	OPT_EXPECT_MX,
	OPT_MIN_MX,
	OPT_REQUIRE_IPV6,
	OPT_DNSSEC,
	OPT_DNSBL,
	OPT_DNSBL_DEFAULT,
	OPT_MTA_STS,
	OPT_DANE,
	OPT_SRV,
	OPT_SMTP_PROBE,
	OPT_NS_PORT,
	OPT_SMTP_PORT,
	OPT_HTTPS_PORT,
	OPT_CA_FILE
};

static const mc_opt_t options[] = {
    {"domain", 'D', required_argument, "DOMAIN", "The mail domain to check (required)."},
    {"allow-implicit-mx", OPT_ALLOW_IMPLICIT_MX, no_argument, NULL,
     "Without MX records, accept the domain's own A/AAAA as its mail host (RFC 5321 "
     "section 5.1). Default: no MX is CRITICAL."},
    {"expect-null-mx", OPT_EXPECT_NULL_MX, no_argument, NULL,
     "The domain must publish a null MX (RFC 7505: it accepts no mail). Default: a null MX "
     "is CRITICAL."},
    {"expect-mx", OPT_EXPECT_MX, required_argument, "HOST",
     "An MX host the domain must list; repeatable (up to 16). A missing one is CRITICAL, an "
     "MX not expected is a WARNING. Default: any."},
    {"min-mx", OPT_MIN_MX, required_argument, "N", "Fewer MX hosts is a WARNING. Default: none."},
    {"require-ipv6", OPT_REQUIRE_IPV6, no_argument, NULL,
     "An MX host without AAAA is a WARNING. Default: off."},
    {"dnssec", OPT_DNSSEC, no_argument, NULL,
     "The MX answer must carry the AD flag from the (validating) resolver, else CRITICAL. "
     "Default: off."},
    {"dnsbl", OPT_DNSBL, required_argument, "ZONE",
     "Look every MX address up in this IP blocklist; repeatable (up to 32 zones in all). "
     "Each zone is self-tested every run (RFC 5782 section 5): one that fails, or answers "
     "outside 127.0.0.0/8 or in 127.255.255.0/24, is UNKNOWN. A listing is CRITICAL. "
     "Default: none."},
    {"dnsbl-default", OPT_DNSBL_DEFAULT, no_argument, NULL,
     "Add the default blocklists: zen.spamhaus.org, bl.spamcop.net, b.barracudacentral.org, "
     "psbl.surriel.com, bl.mailspike.net, dnsbl-1.uceprotect.net, ix.dnsbl.manitu.net, "
     "dnsbl.dronebl.org. Default: off."},
    {"mta-sts", OPT_MTA_STS, no_argument, NULL,
     "Check MTA-STS (RFC 8461): the _mta-sts TXT record and the policy fetched from "
     "https://mta-sts.DOMAIN/.well-known/mta-sts.txt with verified TLS; and the TLS-RPT "
     "record (RFC 8460). Default: off."},
    {"dane", OPT_DANE, no_argument, NULL,
     "Every MX host must publish DNSSEC-validated TLSA records at _25._tcp.HOST (RFC 7672). "
     "Default: off."},
    {"srv", OPT_SRV, no_argument, NULL,
     "Report the client SRV records (RFC 6186, RFC 8314): _submissions, _submission, "
     "_imaps, _imap, _pop3s, _pop3; each target must resolve. Default: off."},
    {"smtp-probe", OPT_SMTP_PROBE, no_argument, NULL,
     "Read the SMTP banner of every MX address: not 220 is CRITICAL; a banner naming "
     "neither the MX host nor the address's PTR name is a WARNING. Default: off."},
    {"ns-port", OPT_NS_PORT, required_argument, "PORT",
     "Port to ask the domain's nameservers on. Default: 53."},
    {"smtp-port", OPT_SMTP_PORT, required_argument, "PORT", "Port of --smtp-probe. Default: 25."},
    {"https-port", OPT_HTTPS_PORT, required_argument, "PORT",
     "Port of the MTA-STS policy host. Default: 443."},
    {"ca-file", OPT_CA_FILE, required_argument, "FILE",
     "Trust the PEM roots in FILE for the MTA-STS policy host instead of the system store. "
     "Default: the hashed directory " MC_TRUST_DIR "."},
    {"warning", 'w', required_argument, "RANGE",
     "Threshold range on the total time in seconds for WARNING. Default: none."},
    {"critical", 'c', required_argument, "RANGE",
     "Threshold range on the total time in seconds for CRITICAL. Default: none."},
    {"dns-server", 's', required_argument, "HOST[:PORT]",
     "Resolver to ask, an IP address; repeatable (up to 8). --dnssec needs a validating "
     "one. Default: the system's resolvers."},
    MC_OPTS_STANDARD,
    {NULL, 0, 0, NULL, NULL}};

typedef struct mx_config {
	char domain[254];
	bool implicit_mx, expect_null, require_ipv6, dnssec, mta_sts, dane, srv, smtp_probe;
	const char *expect_mx[MAX_EXPECT];
	size_t nexpect;
	long min_mx;
	const char *zones[MAX_ZONES]; /* --dnsbl, then --dnsbl-default's */
	size_t nzones;
	bool dnsbl_default;
	unsigned ns_port, smtp_port, https_port;
	mc_mx_survey_params_t survey;
	const char *ca_file;
} mx_config_t;

typedef struct run {
	const mx_config_t *cfg;
	const mc_check_config_t *cc;
	mc_mx_survey_t *survey;
} run_t;

static void *begin(const void *pcfg, const mc_check_config_t *cc, const mc_check_env_t *env)
{
	const mx_config_t *c = pcfg;
	run_t *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->cfg = c;
	r->cc = cc;
	r->survey = mc_mx_survey_start(&c->survey, env);
	if (!r->survey) {
		free(r);
		return NULL;
	}
	return r;
}

/* The judgements, in the order of the output. */
static void judge(const mx_config_t *c, const mc_mx_survey_facts_t *f, const mc_report_opts_t *o,
                  mc_result_t *root, mc_report_okline_t *ok)
{
	const mc_report_mx_opts_t mo = {.domain = c->domain,
	                                .expect_null = c->expect_null,
	                                .expect_mx = c->expect_mx,
	                                .nexpect = c->nexpect,
	                                .min_mx = c->min_mx,
	                                .dnssec = c->dnssec,
	                                .require_ipv6 = c->require_ipv6};
	bool hosts = mc_report_mx_set(&f->mx, &mo, o, root, ok);

	if (hosts)
		mc_report_mx_hosts(&f->mx, &mo, o, root, ok);
	mc_report_ns(&f->ns, o, root, ok);
	if (hosts)
		mc_report_dnsbl(&f->dnsbl, o, root, ok);
	if (c->mta_sts)
		mc_report_sts(&f->sts, o, root, ok);
	mc_report_tlsrpt(&f->tlsrpt, o, root);
	if (hosts && c->dane && !f->mx.implicit)
		mc_report_dane_survey(f->dane, f->ndane, o, root, ok);
	if (hosts && c->smtp_probe)
		mc_report_banner(f->banner, f->nbanner, o, root);
	if (c->srv)
		mc_report_srv(f->srv, f->nsrv, o, root);
}

static void end(void *state, bool timed_out, mc_result_t *root)
{
	run_t *r = state;
	mc_report_opts_t o = {timed_out ? r->cc->timeout_state : MC_STATE_UNKNOWN, r->cc->verbose};
	mc_report_okline_t ok;
	mc_mx_survey_facts_t f;

	memset(&ok, 0, sizeof(ok));
	mc_mx_survey_facts(r->survey, &f);
	judge(r->cfg, &f, &o, root, &ok);
	mc_result_perf(root, "mx_count", (double)f.mx.nhosts, "", NULL);
	mc_result_perf(root, "mx_addresses", (double)f.mx.naddrs, "", NULL);
	mc_mx_survey_perf(r->survey, root);
	mc_check_summary(root, r->cfg->domain, ": ", ok.text);
	mc_mx_survey_free(r->survey);
	free(r);
}

/* ---- options ---- */

static mc_status_t port_option(unsigned *port, const char *arg, const char *name, char *msg,
                               size_t msgsz)
{
	long l;

	if (mc_parse_long(arg, 1, 65535, &l) != MC_OK) {
		snprintf(msg, msgsz, "invalid --%s '%s' (want 1..65535)", name, arg);
		return MC_E_USAGE;
	}
	*port = (unsigned)l;
	return MC_OK;
}

static mc_status_t option(void *pcfg, int opt, const char *arg, char *msg, size_t msgsz)
{
	mx_config_t *c = pcfg;

	switch (opt) {
	case OPT_DOMAIN:
		return mc_check_domain_option(c->domain, sizeof(c->domain), arg, msg, msgsz);
	case OPT_ALLOW_IMPLICIT_MX: c->implicit_mx = true; return MC_OK;
	case OPT_EXPECT_NULL_MX: c->expect_null = true; return MC_OK;
	case OPT_EXPECT_MX:
		if (c->nexpect == MAX_EXPECT) {
			snprintf(msg, msgsz, "too many --expect-mx options (at most %d)",
			         MAX_EXPECT);
			return MC_E_USAGE;
		}
		if (!mc_dns_name_valid(arg)) {
			snprintf(msg, msgsz, "invalid --expect-mx '%.300s' (want a host name)",
			         arg);
			return MC_E_USAGE;
		}
		c->expect_mx[c->nexpect++] = arg;
		return MC_OK;
	case OPT_MIN_MX:
		if (mc_parse_long(arg, 1, MC_MX_MAX_HOSTS, &c->min_mx) != MC_OK) {
			snprintf(msg, msgsz, "invalid --min-mx '%s' (want 1..%d)", arg,
			         MC_MX_MAX_HOSTS);
			return MC_E_USAGE;
		}
		return MC_OK;
	case OPT_REQUIRE_IPV6: c->require_ipv6 = true; return MC_OK;
	case OPT_DNSSEC: c->dnssec = true; return MC_OK;
	case OPT_DNSBL:
		if (c->nzones == MAX_ZONES) {
			snprintf(msg, msgsz, "too many --dnsbl zones (at most %d)", MAX_ZONES);
			return MC_E_USAGE;
		}
		if (!mc_dns_name_valid(arg) || strlen(arg) > 180) {
			snprintf(msg, msgsz, "invalid --dnsbl '%.300s' (want a zone name)", arg);
			return MC_E_USAGE;
		}
		c->zones[c->nzones++] = arg;
		return MC_OK;
	case OPT_DNSBL_DEFAULT: c->dnsbl_default = true; return MC_OK;
	case OPT_MTA_STS: c->mta_sts = true; return MC_OK;
	case OPT_DANE: c->dane = true; return MC_OK;
	case OPT_SRV: c->srv = true; return MC_OK;
	case OPT_SMTP_PROBE: c->smtp_probe = true; return MC_OK;
	case OPT_NS_PORT: return port_option(&c->ns_port, arg, "ns-port", msg, msgsz);
	case OPT_SMTP_PORT: return port_option(&c->smtp_port, arg, "smtp-port", msg, msgsz);
	case OPT_HTTPS_PORT: return port_option(&c->https_port, arg, "https-port", msg, msgsz);
	case OPT_CA_FILE: c->ca_file = arg; return MC_OK;
	default: return MC_E_AGAIN;
	}
}

/* --dnsbl-default: its zones after the --dnsbl ones, each zone once. */
static void add_default_zones(mx_config_t *c)
{
	size_t z, k;

	for (z = 0; c->dnsbl_default && z < MC_DNSBL_NDEFAULT && c->nzones < MAX_ZONES; z++) {
		for (k = 0; k < c->nzones && strcasecmp(c->zones[k], mc_dnsbl_default_zones[z]);
		     k++)
			;
		if (k == c->nzones)
			c->zones[c->nzones++] = mc_dnsbl_default_zones[z];
	}
}

static mc_status_t validate(void *pcfg, const mc_check_config_t *cc, char *msg, size_t msgsz)
{
	mx_config_t *c = pcfg;
	mc_mx_survey_params_t *p = &c->survey;

	if (!c->domain[0]) {
		snprintf(msg, msgsz, "-D/--domain is required");
		return MC_E_USAGE;
	}
	if (c->expect_null && (c->nexpect || c->implicit_mx)) {
		snprintf(msg, msgsz,
		         "--expect-null-mx contradicts --expect-mx and --allow-implicit-mx");
		return MC_E_USAGE;
	}
	if (c->dnsbl_default && c->nzones + MC_DNSBL_NDEFAULT > MAX_ZONES) {
		snprintf(msg, msgsz, "too many --dnsbl zones with --dnsbl-default (at most %d)",
		         MAX_ZONES);
		return MC_E_USAGE;
	}
	add_default_zones(c);
	p->domain = c->domain;
	p->implicit_mx = c->implicit_mx;
	p->zones = c->zones;
	p->nzones = c->nzones;
	p->mta_sts = c->mta_sts;
	p->dane = c->dane;
	p->srv = c->srv;
	p->smtp_probe = c->smtp_probe;
	p->ns_port = c->ns_port;
	p->smtp_port = c->smtp_port;
	p->https_port = c->https_port;
	p->timeout = cc->timeout;
	p->verbose = cc->verbose;
	return MC_OK;
}

/* Only the MTA-STS policy fetch uses TLS (the banner probe never starts
 * it). */
static bool wants_tls(const void *pcfg)
{
	return ((const mx_config_t *)pcfg)->mta_sts;
}

static void tls_params(const void *pcfg, mc_tls_ctx_params_t *p)
{
	p->ca_file = ((const mx_config_t *)pcfg)->ca_file;
}

int main(int argc, char **argv)
{
	static mx_config_t cfg = {.ns_port = 53, .smtp_port = 25, .https_port = 443};
	static const mc_check_plugin_t plugin = {
	    .progname = "check_mx_dns",
	    .label = "MX_DNS",
	    .description =
	        "Check the DNS a mail domain depends on, concurrently: the MX set and its "
	        "addresses, forward-confirmed reverse DNS, the nameservers and their SOA "
	        "serials, and on request DNSSEC, IP blocklists, MTA-STS and TLS-RPT, DANE "
	        "TLSA records, client SRV records and the SMTP banners.",
	    .synopsis = "check_mx_dns -D DOMAIN [-s HOST[:PORT]]... [--dnssec] [--dnsbl ZONE]... "
	                "[--mta-sts] [--dane] [--srv] [--smtp-probe] [options]",
	    .options = options,
	    .pcfg = &cfg,
	    .option = option,
	    .validate = validate,
	    .begin = begin,
	    .end = end,
	    .wants_tls = wants_tls,
	    .tls_params = tls_params};

	return mc_check_main(argc, argv, &plugin);
}
