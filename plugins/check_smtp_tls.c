/* check_smtp_tls - verified SMTP TLS check: STARTTLS (RFC 3207) or
 * implicit TLS (RFC 8314) with chain, name and date verification, the
 * certificate's remaining life and the time of every phase. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dns/mc_dns.h"
#include "loop/mc_loop.h"
#include "nagios/mc_opts.h"
#include "nagios/mc_range.h"
#include "nagios/mc_result.h"
#include "net/mc_net.h"
#include "proto/mc_smtp.h"
#include "tls/mc_tls.h"
#include "util/mc_clock.h"
#include "util/mc_str.h"

#define PROGNAME "check_smtp_tls"
#define LABEL "SMTP_TLS"
#define MAX_COMMANDS 16
#define MAX_ADDRS 16

enum {
	OPT_TLS = MC_OPT_LONG_BASE,
	OPT_ALL_ADDRESSES,
	OPT_VERIFY,
	OPT_CA_FILE,
	OPT_CERT_NAME,
	OPT_SNI,
	OPT_MIN_TLS
};

static const mc_opt_t options[] = {
    {"hostname", 'H', required_argument, "HOST",
     "Host name or IP address of the SMTP server (required)."},
    {"port", 'p', required_argument, "PORT",
     "TCP port. 465 means implicit TLS, any other port STARTTLS. Default: 25."},
    {"tls", OPT_TLS, required_argument, "starttls|implicit",
     "Override the TLS mode chosen from the port. Default: implicit on port 465, else "
     "starttls."},
    {"starttls", 'S', no_argument, NULL, "Same as --tls=starttls (as in check_smtp)."},
    {"ipv4", '4', no_argument, NULL, "Use IPv4 addresses only."},
    {"ipv6", '6', no_argument, NULL, "Use IPv6 addresses only."},
    {"all-addresses", OPT_ALL_ADDRESSES, no_argument, NULL,
     "Check every address of the host concurrently, each as a subcheck; the worst state "
     "wins. Default: the first address that answers."},
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
    {"verify", OPT_VERIFY, required_argument, "full|chain|none",
     "full: chain to the trust store, name and dates; chain: chain and dates, any name; "
     "none: nothing (the output says so). Default: full."},
    {"ca-file", OPT_CA_FILE, required_argument, "FILE",
     "Trust the PEM roots in FILE instead of the system store. Default: the hashed "
     "directory " MC_TRUST_DIR "."},
    {"cert-name", OPT_CERT_NAME, required_argument, "NAME",
     "Name the certificate must carry. Default: -H when it is a name; required for full "
     "verification when -H is an address."},
    {"sni", OPT_SNI, required_argument, "NAME",
     "Server name to send in the TLS handshake. Default: the certificate name."},
    {"certificate", 'D', required_argument, "WARN[,CRIT]",
     "Days of validity left (fractional allowed), the minimum over the verified chain, "
     "below which the state is WARNING / CRITICAL. Default: 14,3."},
    {"min-tls", OPT_MIN_TLS, required_argument, "1.2|1.3",
     "A lower negotiated TLS version is CRITICAL. Default: none."},
    {"warning", 'w', required_argument, "RANGE",
     "Threshold range on the total time in seconds for WARNING. Default: none."},
    {"critical", 'c', required_argument, "RANGE",
     "Threshold range on the total time in seconds for CRITICAL. Default: none."},
    {"dns-server", 's', required_argument, "HOST[:PORT]",
     "Resolver to ask, an IP address; repeatable (up to 8). Default: the system's "
     "resolvers. Names are looked up in /etc/hosts first and without a search list."},
    MC_OPTS_STANDARD,
    {NULL, 0, 0, NULL, NULL}};

static const char description[] =
    "Checks an SMTP, submission or SMTPS server: connects, reads the banner, says EHLO, "
    "starts TLS (STARTTLS, or implicit TLS on port 465) and verifies the certificate chain, "
    "name and dates, measures the certificate's remaining life and the time of every phase, "
    "and says EHLO again. It never falls back to plaintext.";

static const char synopsis[] =
    PROGNAME " -H HOST [-p PORT] [--tls=starttls|implicit] [--verify=full|chain|none] "
             "[--ca-file FILE] [--cert-name NAME] [-D WARN[,CRIT]] [-w RANGE] [-c RANGE] "
             "[-t SECONDS[:STATE]] [other options]";

typedef struct config {
	const char *host;
	unsigned port;
	int tls_mode; /* 0: from the port, 1: starttls, 2: implicit */
	int family;
	bool all_addresses;
	const char *fqdn;
	const char *expect;
	bool lmtp;
	const char *commands[MAX_COMMANDS];
	const char *responses[MAX_COMMANDS];
	size_t ncommands, nresponses;
	mc_tls_verify_t verify;
	const char *ca_file;
	const char *cert_name;
	const char *sni;
	mc_thresholds_t days;
	int min_tls;
	const char *min_tls_text;
	mc_thresholds_t time;
	double timeout;
	mc_state_t timeout_state;
	int verbose;
	mc_output_format_t format;
	mc_dns_params_t dns;
} config_t;

/* A usage problem: the one line, and UNKNOWN. */
typedef struct usage {
	char msg[400];
} usage_t;

static bool bad(usage_t *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool bad(usage_t *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof(u->msg), fmt, ap);
	va_end(ap);
	return false;
}

static bool parse_args(int argc, char **argv, config_t *c, usage_t *u, int *exit_now)
{
	struct option *longopts = NULL;
	char *shortopts = NULL;
	long l;
	int opt;
	bool ok = true;

	*exit_now = -1;
	memset(c, 0, sizeof(*c));
	c->port = 25;
	c->family = AF_UNSPEC;
	c->expect = "220";
	c->timeout = 10;
	c->timeout_state = MC_STATE_CRITICAL;
	mc_thresholds_parse_below("14", "3", &c->days);
	if (mc_opts_tables(options, &longopts, &shortopts) != MC_OK)
		return bad(u, "out of memory");
	optind = 1;
	opterr = 0;
	while (ok && (opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			mc_opts_help(stdout, PROGNAME, description, synopsis, options);
			*exit_now = MC_STATE_UNKNOWN;
			break;
		case 'V':
			mc_opts_version(stdout, PROGNAME);
			*exit_now = MC_STATE_UNKNOWN;
			break;
		case 'v':
			c->verbose++;
			break;
		case 't':
			if (mc_timeout_parse(optarg, &c->timeout, &c->timeout_state) != MC_OK)
				ok = bad(u, "invalid --timeout '%s' (want SECONDS[:STATE], e.g. 10:critical)",
				         optarg);
			break;
		case MC_OPT_OUTPUT_FORMAT:
			if (mc_output_format_parse(optarg, &c->format) != MC_OK)
				ok = bad(u, "invalid --output-format '%s' (want classic or json)", optarg);
			break;
		case MC_OPT_EXTRA_OPTS:
			break; /* expanded before parsing */
		case 'H':
			c->host = optarg;
			break;
		case 'p':
			if (mc_parse_long(optarg, 1, 65535, &l) != MC_OK)
				ok = bad(u, "invalid --port '%s' (want 1..65535)", optarg);
			c->port = (unsigned)l;
			break;
		case OPT_TLS:
			if (!strcmp(optarg, "starttls"))
				c->tls_mode = 1;
			else if (!strcmp(optarg, "implicit"))
				c->tls_mode = 2;
			else
				ok = bad(u, "invalid --tls '%s' (want starttls or implicit)", optarg);
			break;
		case 'S':
			c->tls_mode = 1;
			break;
		case '4':
			c->family = AF_INET;
			break;
		case '6':
			c->family = AF_INET6;
			break;
		case OPT_ALL_ADDRESSES:
			c->all_addresses = true;
			break;
		case 'F':
			c->fqdn = optarg;
			break;
		case 'e':
			c->expect = optarg;
			break;
		case 'L':
			c->lmtp = true;
			break;
		case 'C':
			if (c->ncommands == MAX_COMMANDS)
				ok = bad(u, "too many --command options (at most %d)", MAX_COMMANDS);
			else
				c->commands[c->ncommands++] = optarg;
			break;
		case 'R':
			if (c->nresponses == MAX_COMMANDS)
				ok = bad(u, "too many --response options (at most %d)", MAX_COMMANDS);
			else
				c->responses[c->nresponses++] = optarg;
			break;
		case OPT_VERIFY:
			if (!strcmp(optarg, "full"))
				c->verify = MC_TLS_VERIFY_FULL;
			else if (!strcmp(optarg, "chain"))
				c->verify = MC_TLS_VERIFY_CHAIN;
			else if (!strcmp(optarg, "none"))
				c->verify = MC_TLS_VERIFY_NONE;
			else
				ok = bad(u, "invalid --verify '%s' (want full, chain or none)", optarg);
			break;
		case OPT_CA_FILE:
			c->ca_file = optarg;
			break;
		case OPT_CERT_NAME:
			c->cert_name = optarg;
			break;
		case OPT_SNI:
			c->sni = optarg;
			break;
		case 'D':
			if (mc_thresholds_parse_below(optarg, "3", &c->days) != MC_OK)
				ok = bad(u, "invalid --certificate '%s' (want WARN[,CRIT] days, e.g. 14,3)",
				         optarg);
			break;
		case OPT_MIN_TLS:
			if (mc_tls_version_parse(optarg, &c->min_tls) != MC_OK)
				ok = bad(u, "invalid --min-tls '%s' (want 1.2 or 1.3)", optarg);
			c->min_tls_text = optarg;
			break;
		case 'w':
			if (mc_range_parse(optarg, &c->time.warn) != MC_OK)
				ok = bad(u, "invalid --warning range '%s'", optarg);
			c->time.has_warn = true;
			break;
		case 'c':
			if (mc_range_parse(optarg, &c->time.crit) != MC_OK)
				ok = bad(u, "invalid --critical range '%s'", optarg);
			c->time.has_crit = true;
			break;
		case 's': {
			char err[200];
			if (c->dns.nservers == MC_DNS_MAX_SERVERS)
				ok = bad(u, "too many --dns-server options (at most %d)", MC_DNS_MAX_SERVERS);
			else if (mc_dns_server_check(optarg, err, sizeof(err)) != MC_OK)
				ok = bad(u, "%s", err);
			else
				c->dns.servers[c->dns.nservers++] = optarg;
			break;
		}
		default:
			if (optopt && optopt < MC_OPT_LONG_BASE && strchr(shortopts, optopt))
				ok = bad(u, "option -%c needs a value", optopt);
			else
				ok = bad(u, "unknown option '%s'", argv[optind - 1]);
			break;
		}
		if (*exit_now >= 0)
			break;
	}
	if (ok && *exit_now < 0 && optind < argc)
		ok = bad(u, "unexpected argument '%s' (this plugin takes no positional arguments)",
		         argv[optind]);
	free(longopts);
	free(shortopts);
	return ok;
}

static bool validate(config_t *c, usage_t *u)
{
	mc_addr_t lit;
	bool host_is_addr;

	if (!c->host || !*c->host)
		return bad(u, "-H/--hostname is required");
	if (strlen(c->host) > 253)
		return bad(u, "-H/--hostname is longer than 253 characters");
	host_is_addr = mc_addr_parse(c->host, 0, &lit) == MC_OK;
	if (c->nresponses > c->ncommands)
		return bad(u, "more --response than --command options");
	if (!c->cert_name && !host_is_addr)
		c->cert_name = c->host;
	if (c->verify == MC_TLS_VERIFY_FULL && !c->cert_name)
		return bad(u, "-H is an address: full verification needs --cert-name NAME "
		              "(or --verify=chain)");
	if (!c->sni)
		c->sni = c->cert_name;
	if (!c->tls_mode)
		c->tls_mode = c->port == 465 ? 2 : 1;
	return true;
}

/* What one session is checked against, and its outcome. */
typedef struct target {
	const config_t *cfg;
	mc_smtp_t *session;
	mc_smtp_result_t res;
	mc_addr_t addrs[MAX_ADDRS];
	size_t naddrs;
	bool finished;
} target_t;

typedef struct run {
	const config_t *cfg;
	mc_loop_t *loop;
	mc_dns_t *dns;
	mc_tls_ctx_t *tls;
	char helo[256];
	target_t targets[MAX_ADDRS];
	size_t ntargets;
	bool resolved;
	mc_status_t resolve_status;
	char resolve_error[512];
	int64_t t0;
} run_t;

static void on_session_done(void *arg)
{
	target_t *t = arg;

	t->finished = true;
	t->session = NULL;
}

static void start_sessions(run_t *r, const mc_addr_t *addrs, size_t n)
{
	const config_t *c = r->cfg;
	size_t i;
	mc_smtp_params_t p;

	memset(&p, 0, sizeof(p));
	p.loop = r->loop;
	p.tls = r->tls;
	p.tlsp.sni = c->sni;
	p.tlsp.cert_name = c->cert_name;
	p.tlsp.verify = c->verify;
	p.implicit_tls = c->tls_mode == 2;
	p.lmtp = c->lmtp;
	p.helo = r->helo[0] ? r->helo : NULL;
	p.expect = c->expect;
	p.commands = c->commands;
	p.responses = c->nresponses ? c->responses : NULL;
	p.ncommands = c->ncommands;
	p.verbose = c->verbose;
	r->ntargets = c->all_addresses ? n : 1;
	for (i = 0; i < r->ntargets; i++) {
		target_t *t = &r->targets[i];
		t->cfg = c;
		if (c->all_addresses) {
			t->addrs[0] = addrs[i];
			t->naddrs = 1;
		} else {
			memcpy(t->addrs, addrs, n * sizeof(*addrs));
			t->naddrs = n;
		}
		p.addrs = t->addrs;
		p.naddrs = t->naddrs;
		t->session = mc_smtp_start(&p, &t->res, on_session_done, t);
		if (!t->session) {
			t->finished = true;
			t->res.status = MC_E_NOMEM;
			mc_strlcpy(t->res.error, "out of memory", sizeof(t->res.error));
		}
	}
}

static void on_resolved(void *arg, mc_status_t st, const mc_addr_t *addrs, size_t n,
                        const char *err)
{
	run_t *r = arg;

	r->resolved = true;
	r->resolve_status = st;
	if (st != MC_OK) {
		mc_strlcpy(r->resolve_error, err, sizeof(r->resolve_error));
		return;
	}
	start_sessions(r, addrs, n < MAX_ADDRS ? n : MAX_ADDRS);
}

/* This host's name if it is fully qualified; else "" (the session then
 * uses the address literal, RFC 5321 section 4.1.3). */
static void local_fqdn(char *buf, size_t bufsz)
{
	if (gethostname(buf, bufsz) != 0 || !strchr(buf, '.'))
		buf[0] = '\0';
	buf[bufsz - 1] = '\0';
}

static void add_perf(mc_result_t *node, const char *suffix, const char *name, double v,
                     const char *uom, const mc_thresholds_t *th)
{
	char label[64];

	if (suffix)
		snprintf(label, sizeof(label), "%s_%s", name, suffix);
	else
		mc_strlcpy(label, name, sizeof(label));
	mc_result_perf(node, label, v, uom, th);
}

static double secs(int64_t us)
{
	return (double)us / 1e6;
}

/* Subchecks and perfdata of one session below node. Returns the text for
 * the summary of an OK session. */
static void report_target(const config_t *c, const target_t *t, mc_result_t *node,
                          const char *suffix, char *okline, size_t oklinesz)
{
	const mc_smtp_result_t *res = &t->res;
	const mc_tls_info_t *tls = &res->tls;
	mc_state_t fail_state = mc_state_from_status(res->status, c->timeout_state);
	char addr[MC_ADDR_STRLEN + 8], when[40];
	static const struct {
		mc_smtp_phase_t phase;
		const char *perf;
	} timed[] = {{MC_SMTP_CONNECT, "time_connect"},   {MC_SMTP_BANNER, "time_banner"},
	             {MC_SMTP_EHLO, "time_ehlo"},         {MC_SMTP_STARTTLS, "time_starttls"},
	             {MC_SMTP_TLS, "time_tls"},           {MC_SMTP_TLS_IMPLICIT, "time_tls"},
	             {MC_SMTP_EHLO_TLS, "time_ehlo_tls"}};
	size_t i;

	okline[0] = '\0';
	if (res->connected) {
		mc_addr_str_port(&res->addr, addr, sizeof(addr));
		mc_result_add(node, MC_STATE_OK, "connect: %s in %.3fs", addr,
		              secs(res->us[MC_SMTP_CONNECT]));
	}
	if (res->banner[0])
		mc_result_add(node, MC_STATE_OK, "banner: %s", res->banner);
	if (res->caps_before[0])
		mc_result_add(node, MC_STATE_OK, "%s: %s", c->lmtp ? "lhlo" : "ehlo", res->caps_before);
	if (res->starttls_reply[0] && (res->tls_done || res->phase > MC_SMTP_STARTTLS))
		mc_result_add(node, MC_STATE_OK, "starttls: %s", res->starttls_reply);
	if (res->tls_done) {
		mc_result_add(node, MC_STATE_OK, "handshake: %s %s", tls->version, tls->cipher);
		if (c->verify == MC_TLS_VERIFY_NONE)
			mc_result_add(node, MC_STATE_OK,
			              "verification: certificate not verified (--verify=none); "
			              "subject %s, issuer %s",
			              tls->subject, tls->issuer);
		else if (tls->verified)
			mc_result_add(node, MC_STATE_OK, "verification: %s, subject %s, issuer %s",
			              c->verify == MC_TLS_VERIFY_CHAIN ? "chain valid, name not checked "
			                                                 "(--verify=chain)"
			                                               : "chain and name valid",
			              tls->subject, tls->issuer);
		if (tls->have_cert && (res->status == MC_OK || tls->verified ||
		                       c->verify == MC_TLS_VERIFY_NONE)) {
			mc_state_t ds = mc_thresholds_check(&c->days, tls->days_left);
			mc_tls_time_str(tls->not_after, when, sizeof(when));
			if (tls->days_left < 0)
				mc_result_add(node, ds, "validity: certificate expired %.1f days ago (%s)",
				              -tls->days_left,
				              tls->expiring_depth ? tls->expiring_subject : when);
			else if (tls->expiring_depth == 0)
				mc_result_add(node, ds, "validity: certificate valid %.1f days (until %s)",
				              tls->days_left, when);
			else
				mc_result_add(node, ds,
				              "validity: certificate valid %.1f days (chain certificate %s "
				              "at depth %d expires first)",
				              tls->days_left, tls->expiring_subject, tls->expiring_depth);
			add_perf(node, suffix, "cert_days", tls->days_left, "", &c->days);
		}
		if (c->min_tls && tls->version_num < c->min_tls)
			mc_result_add(node, MC_STATE_CRITICAL, "protocol: negotiated %s, below --min-tls %s",
			              tls->version, c->min_tls_text);
	}
	if (res->caps_after[0])
		mc_result_add(node, MC_STATE_OK, "%s after tls: %s", c->lmtp ? "lhlo" : "ehlo",
		              res->caps_after);
	if (res->commands_ok)
		mc_result_add(node, MC_STATE_OK, "commands: %zu answered as expected, last: %s",
		              res->commands_ok, res->last_reply);
	if (res->status != MC_OK)
		mc_result_add(node, fail_state, "%s", res->error);
	for (i = 0; i < sizeof(timed) / sizeof(timed[0]); i++)
		if (res->us[timed[i].phase] >= 0)
			add_perf(node, suffix, timed[i].perf, secs(res->us[timed[i].phase]), "s", NULL);
	if (res->status == MC_OK && res->tls_done) {
		snprintf(okline, oklinesz, "%s%s %s, certificate valid %.1f days%s",
		         c->tls_mode == 1 ? "STARTTLS " : "", tls->version, tls->cipher,
		         tls->days_left,
		         c->verify == MC_TLS_VERIFY_NONE    ? ", certificate not verified (--verify=none)"
		         : c->verify == MC_TLS_VERIFY_CHAIN ? ", name not checked (--verify=chain)"
		                                            : "");
	}
}

static void report(const run_t *r, mc_result_t *root, int64_t t_end)
{
	const config_t *c = r->cfg;
	double total = mc_clock_secs(r->t0, t_end);
	mc_state_t ts = mc_thresholds_check(&c->time, total);
	char hostport[300], okline[300];
	size_t i;

	snprintf(hostport, sizeof(hostport), strchr(c->host, ':') ? "[%s]:%u" : "%s:%u", c->host,
	         c->port);
	if (!r->resolved) {
		mc_result_add(root, c->timeout_state, "timeout after %gs resolving %s", c->timeout,
		              c->host);
	} else if (r->resolve_status != MC_OK) {
		mc_result_add(root, mc_state_from_status(r->resolve_status, c->timeout_state), "%s",
		              r->resolve_error);
	} else if (!c->all_addresses) {
		report_target(c, &r->targets[0], root, NULL, okline, sizeof(okline));
	} else {
		for (i = 0; i < r->ntargets; i++) {
			const target_t *t = &r->targets[i];
			char addr[MC_ADDR_STRLEN], one[300];
			mc_result_t *node;
			mc_addr_str(&t->addrs[0], addr, sizeof(addr));
			node = mc_result_add(root, MC_STATE_OK, "%s", addr);
			if (!node)
				continue;
			report_target(c, t, node, addr, one, sizeof(one));
			if (one[0])
				mc_result_set(node, MC_STATE_OK, "%s: %s", addr, one);
			else
				mc_result_set(node, MC_STATE_OK, "%s: %s", addr,
				              t->res.error[0] ? t->res.error : "not checked");
		}
		snprintf(okline, sizeof(okline), "%zu addresses checked", r->ntargets);
	}
	if (ts != MC_STATE_OK)
		mc_result_add(root, ts, "total time %.3fs outside the %s range", total,
		              ts == MC_STATE_CRITICAL ? "critical" : "warning");
	mc_result_perf_mm(root, "time", total, "s", &c->time, NULL, NULL);
	{
		const mc_result_t *worst = mc_result_worst(root);
		if (worst)
			mc_result_summary(root, "%s %s", hostport, mc_result_text(worst));
		else
			mc_result_summary(root, "%s %s", hostport, okline);
	}
}

static void on_deadline(run_t *r)
{
	size_t i;

	for (i = 0; i < r->ntargets; i++) {
		target_t *t = &r->targets[i];
		if (!t->finished && t->session) {
			mc_smtp_abort(t->session, MC_E_TIMEOUT);
			t->session = NULL;
			t->finished = true;
			if (t->res.status == MC_E_TIMEOUT)
				snprintf(t->res.error, sizeof(t->res.error), "timeout after %gs in %s phase",
				         r->cfg->timeout, mc_smtp_phase_name(t->res.phase));
		}
	}
}

static void check(const config_t *c, mc_result_t *root, int64_t t0)
{
	run_t r;
	char err[512];
	mc_status_t st;
	mc_tls_ctx_params_t tp = {c->ca_file, NULL};
	mc_dns_params_t dnsp;

	memset(&r, 0, sizeof(r));
	r.cfg = c;
	r.t0 = t0;
	if (c->fqdn)
		mc_strlcpy(r.helo, c->fqdn, sizeof(r.helo));
	else
		local_fqdn(r.helo, sizeof(r.helo));
	if ((st = mc_loop_new(&r.loop)) != MC_OK) {
		mc_result_add(root, MC_STATE_UNKNOWN, "out of memory");
		goto out;
	}
	mc_loop_set_deadline(r.loop, t0 + (int64_t)(c->timeout * 1e6));
	dnsp = c->dns;
	dnsp.deadline_ms = (long)(c->timeout * 1000);
	if ((st = mc_tls_ctx_new(&tp, &r.tls, err, sizeof(err))) != MC_OK ||
	    (st = mc_dns_new(r.loop, &dnsp, &r.dns, err, sizeof(err))) != MC_OK) {
		mc_result_add(root, MC_STATE_UNKNOWN, "%s", err);
		goto out;
	}
	st = mc_dns_resolve(r.dns, c->host, c->family, c->port, on_resolved, &r);
	if (st != MC_OK) {
		mc_result_add(root, MC_STATE_UNKNOWN, "%s", mc_status_str(st));
		goto out;
	}
	st = mc_loop_run(r.loop);
	if (st == MC_E_TIMEOUT)
		on_deadline(&r);
	else if (st != MC_OK)
		mc_result_add(root, MC_STATE_UNKNOWN, "event loop failed: %s", mc_status_str(st));
	report(&r, root, mc_clock_now_us());
out:
	mc_dns_free(r.dns);
	mc_tls_ctx_free(r.tls);
	mc_loop_free(r.loop);
}

int main(int argc, char **argv)
{
	int64_t t0 = mc_clock_now_us();
	config_t cfg;
	usage_t u;
	int xargc, exit_now, rc;
	char **xargv;
	char err[300];
	mc_result_t *root;

	if (mc_extraopts_expand(argc, argv, PROGNAME, &xargc, &xargv, err, sizeof(err)) != MC_OK)
		return mc_usage_error(stdout, LABEL, PROGNAME, "%s", err);
	if (!parse_args(xargc, xargv, &cfg, &u, &exit_now) ||
	    (exit_now < 0 && !validate(&cfg, &u))) {
		rc = mc_usage_error(stdout, LABEL, PROGNAME, "%s", u.msg);
		mc_extraopts_free(xargc, xargv);
		return rc;
	}
	if (exit_now >= 0) {
		mc_extraopts_free(xargc, xargv);
		return exit_now;
	}
	root = mc_result_new(LABEL);
	if (!root) {
		mc_extraopts_free(xargc, xargv);
		puts(LABEL " UNKNOWN - out of memory");
		return MC_STATE_UNKNOWN;
	}
	check(&cfg, root, t0);
	rc = mc_result_print(root, cfg.format, stdout);
	mc_result_free(root);
	mc_extraopts_free(xargc, xargv);
	return rc;
}
