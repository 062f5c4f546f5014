#include "mc_check.h"

#include <openssl/tls1.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "loop/mc_loop.h"
#include "net/mc_net.h"
#include "report/mc_report_tls.h"
#include "tls/mc_ocsp.h"
#include "tls/mc_tls_name.h"
#include "util/mc_clock.h"
#include "util/mc_str.h"

#define MAX_TARGETS 32

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

/* A shared option; false with u->msg on a bad value. */
static bool shared_option(mc_check_config_t *c, int opt, const char *arg, usage_t *u)
{
	long l;

	switch (opt) {
	case 'v': c->verbose++; return true;
	case 't':
		if (mc_timeout_parse(arg, &c->timeout, &c->timeout_state) != MC_OK)
			return bad(
			    u, "invalid --timeout '%s' (want SECONDS[:STATE], e.g. 10:critical)",
			    arg);
		return true;
	case MC_OPT_OUTPUT_FORMAT:
		if (mc_output_format_parse(arg, &c->format) != MC_OK)
			return bad(u, "invalid --output-format '%s' (want classic or json)", arg);
		return true;
	case MC_OPT_EXTRA_OPTS: return true; /* expanded before parsing */
	case 'H': c->host = arg; return true;
	case 'p':
		if (mc_parse_long(arg, 1, 65535, &l) != MC_OK)
			return bad(u, "invalid --port '%s' (want 1..65535)", arg);
		c->port = (unsigned)l;
		return true;
	case 'S': /* check_smtp's spelling of --tls=starttls */
		c->tls_mode = MC_TLS_MODE_STARTTLS;
		return true;
	case MC_CHECK_OPT_TLS:
		if (!strcmp(arg, "starttls"))
			c->tls_mode = MC_TLS_MODE_STARTTLS;
		else if (!strcmp(arg, "implicit"))
			c->tls_mode = MC_TLS_MODE_IMPLICIT;
		else
			return bad(u, "invalid --tls '%s' (want starttls or implicit)", arg);
		return true;
	case '4': c->family = AF_INET; return true;
	case '6': c->family = AF_INET6; return true;
	case MC_CHECK_OPT_ALL_ADDRESSES: c->all_addresses = true; return true;
	case MC_CHECK_OPT_VERIFY:
		if (!strcmp(arg, "full"))
			c->verify = MC_TLS_VERIFY_FULL;
		else if (!strcmp(arg, "chain"))
			c->verify = MC_TLS_VERIFY_CHAIN;
		else if (!strcmp(arg, "none"))
			c->verify = MC_TLS_VERIFY_NONE;
		else
			return bad(u, "invalid --verify '%s' (want full, chain or none)", arg);
		return true;
	case MC_CHECK_OPT_CA_FILE: c->ca_file = arg; return true;
	case MC_CHECK_OPT_CERT_NAME: c->cert_name = arg; return true;
	case MC_CHECK_OPT_SNI: c->sni = arg; return true;
	case 'D':
		if (mc_thresholds_parse_below(arg, "3", &c->days) != MC_OK)
			return bad(u,
			           "invalid --certificate '%s' (want WARN[,CRIT] days, e.g. 14,3)",
			           arg);
		return true;
	case MC_CHECK_OPT_OCSP:
		if (!strcmp(arg, "off"))
			c->ocsp = MC_OCSP_OFF;
		else if (!strcmp(arg, "check"))
			c->ocsp = MC_OCSP_CHECK;
		else if (!strcmp(arg, "require"))
			c->ocsp = MC_OCSP_REQUIRE;
		else
			return bad(u, "invalid --ocsp '%s' (want off, check or require)", arg);
		return true;
	case MC_CHECK_OPT_PROBE_OLD_TLS: c->probe_old_tls = true; return true;
	case MC_CHECK_OPT_OLD_TLS_STATE:
		if (!strcmp(arg, "warning"))
			c->old_tls_state = MC_STATE_WARNING;
		else if (!strcmp(arg, "critical"))
			c->old_tls_state = MC_STATE_CRITICAL;
		else
			return bad(u, "invalid --old-tls-state '%s' (want warning or critical)", arg);
		return true;
	case MC_CHECK_OPT_MIN_KEY_BITS:
		if (mc_parse_long(arg, 512, 16384, &l) != MC_OK)
			return bad(u, "invalid --min-key-bits '%s' (want 512..16384)", arg);
		c->min_key_bits = (int)l;
		return true;
	case MC_CHECK_OPT_DANE:
		if (arg && strcmp(arg, "require") != 0)
			return bad(u, "invalid --dane '%s' (want --dane or --dane=require)", arg);
		c->dane = arg ? MC_DANE_REQUIRE : MC_DANE_ON;
		return true;
	case MC_CHECK_OPT_MX: {
		char msg[300];
		if (mc_check_domain_option(c->mx_domain, sizeof(c->mx_domain), arg, msg,
		                           sizeof(msg)) != MC_OK)
			return bad(u, "invalid --mx '%.200s' (want a domain name)", arg);
		return true;
	}
	case MC_CHECK_OPT_MIN_TLS:
		if (mc_tls_version_parse(arg, &c->min_tls) != MC_OK)
			return bad(u, "invalid --min-tls '%s' (want 1.2 or 1.3)", arg);
		c->min_tls_text = arg;
		return true;
	case 'w':
		if (mc_range_parse(arg, &c->time.warn) != MC_OK)
			return bad(u, "invalid --warning range '%s'", arg);
		c->time.has_warn = true;
		return true;
	case 'c':
		if (mc_range_parse(arg, &c->time.crit) != MC_OK)
			return bad(u, "invalid --critical range '%s'", arg);
		c->time.has_crit = true;
		return true;
	case 's': {
		char err[200];
		if (c->dns.nservers == MC_DNS_MAX_SERVERS)
			return bad(u, "too many --dns-server options (at most %d)",
			           MC_DNS_MAX_SERVERS);
		if (mc_dns_server_check(arg, err, sizeof(err)) != MC_OK)
			return bad(u, "%s", err);
		c->dns.servers[c->dns.nservers++] = arg;
		return true;
	}
	default: return bad(u, "unknown option");
	}
}

/* Parse argv into c and the plugin's configuration. *exit_now >= 0 after
 * --help or --version. */
static bool parse_args(int argc, char **argv, const mc_check_plugin_t *pl, mc_check_config_t *c,
                       usage_t *u, int *exit_now)
{
	struct option *longopts = NULL;
	char *shortopts = NULL;
	int opt;
	bool ok = true;

	*exit_now = -1;
	memset(c, 0, sizeof(*c));
	c->port = pl->default_port;
	c->family = AF_UNSPEC;
	c->timeout = 10;
	c->timeout_state = MC_STATE_CRITICAL;
	c->ocsp = MC_OCSP_CHECK;
	c->old_tls_state = MC_STATE_WARNING;
	c->min_key_bits = 2048;
	mc_thresholds_parse_below("14", "3", &c->days);
	if (mc_opts_tables(pl->options, &longopts, &shortopts) != MC_OK)
		return bad(u, "out of memory");
	optind = 1;
	opterr = 0;
	while (ok && *exit_now < 0 &&
	       (opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		mc_status_t st;
		if (opt == 'h') {
			mc_opts_help(stdout, pl->progname, pl->description, pl->synopsis,
			             pl->options);
			*exit_now = MC_STATE_UNKNOWN;
			break;
		}
		if (opt == 'V') {
			mc_opts_version(stdout, pl->progname);
			*exit_now = MC_STATE_UNKNOWN;
			break;
		}
		if (opt == '?' || opt == ':') {
			if (optopt && optopt < MC_OPT_LONG_BASE && strchr(shortopts, optopt))
				ok = bad(u, "option -%c needs a value", optopt);
			else
				ok = bad(u, "unknown option '%s'", argv[optind - 1]);
			break;
		}
		st = pl->option ? pl->option(pl->pcfg, opt, optarg, u->msg, sizeof(u->msg))
		                : MC_E_AGAIN;
		if (st == MC_E_AGAIN)
			ok = shared_option(c, opt, optarg, u);
		else if (st != MC_OK)
			ok = false;
	}
	if (ok && *exit_now < 0 && optind < argc)
		ok = bad(u, "unexpected argument '%s' (this plugin takes no positional arguments)",
		         argv[optind]);
	free(longopts);
	free(shortopts);
	return ok;
}

/* A name to verify or send (mc_tls_name_parse) into buf, canonical; false
 * with the option and the value quoted in u->msg. */
static bool tls_name(const char *arg, const char *option, char buf[MC_TLS_NAME_SIZE], usage_t *u)
{
	char why[200], q[MC_STR_QUOTE_SIZE];
	mc_tls_name_kind_t kind;

	if (mc_tls_name_parse(arg, buf, MC_TLS_NAME_SIZE, &kind, why, sizeof(why)) == MC_OK)
		return true;
	mc_str_quote(q, sizeof(q), arg, strlen(arg));
	return bad(u, "invalid %s '%s': %s", option, q, why);
}

static bool validate(const mc_check_plugin_t *pl, mc_check_config_t *c, usage_t *u)
{
	mc_addr_t lit;
	bool host_is_addr;

	if (pl->begin)
		return !pl->validate || pl->validate(pl->pcfg, c, u->msg, sizeof(u->msg)) == MC_OK;
	c->implicit_tls = c->tls_mode == MC_TLS_MODE_AUTO ? c->port == pl->implicit_port
	                                                  : c->tls_mode == MC_TLS_MODE_IMPLICIT;
	if (c->mx_domain[0]) {
		/* Each MX is checked under its own name (RFC 7672 section 3.2.2). */
		if (c->host || c->cert_name || c->sni)
			return bad(u, "--mx cannot be combined with -H, --cert-name or --sni (each MX "
			              "is checked under its own name)");
		c->all_addresses = true;
		return !pl->validate || pl->validate(pl->pcfg, c, u->msg, sizeof(u->msg)) == MC_OK;
	}
	if (!c->host || !*c->host)
		return bad(u, "-H/--hostname (or --mx) is required");
	if (strlen(c->host) > 253)
		return bad(u, "-H/--hostname is longer than 253 characters");
	host_is_addr = mc_addr_parse(c->host, 0, &lit) == MC_OK;
	/* -H is the name verified and sent unless --cert-name and --sni say
	 * otherwise: then it is held to the same rules. */
	if (!host_is_addr && (!c->cert_name || !c->sni)) {
		if (!tls_name(c->host, "-H/--hostname", c->host_buf, u))
			return false;
		c->host = c->host_buf;
	}
	if (c->cert_name) {
		if (!tls_name(c->cert_name, "--cert-name", c->cert_name_buf, u))
			return false;
		c->cert_name = c->cert_name_buf;
	} else if (!host_is_addr) {
		c->cert_name = c->host;
	}
	if (c->verify == MC_TLS_VERIFY_FULL && !c->cert_name)
		return bad(u, "-H is an address: full verification needs --cert-name NAME "
		              "(or --verify=chain)");
	if (c->sni) {
		/* RFC 6066 section 3: SNI carries a host name, never an address. */
		if (!tls_name(c->sni, "--sni", c->sni_buf, u))
			return false;
		if (mc_addr_parse(c->sni_buf, 0, &lit) == MC_OK)
			return bad(u, "invalid --sni '%s': SNI carries a host name, not an address "
			              "(RFC 6066 section 3)",
			           c->sni_buf);
		c->sni = c->sni_buf;
	} else {
		c->sni = c->cert_name;
	}
	if (pl->validate && pl->validate(pl->pcfg, c, u->msg, sizeof(u->msg)) != MC_OK)
		return false;
	return true;
}

mc_status_t mc_check_range_option(mc_range_t *r, bool *has, const char *arg, const char *name,
                                  char *msg, size_t msgsz)
{
	if (mc_range_parse(arg, r) != MC_OK) {
		snprintf(msg, msgsz, "invalid --%s range '%s'", name, arg);
		return MC_E_USAGE;
	}
	*has = true;
	return MC_OK;
}

void mc_check_perf(mc_result_t *node, const char *suffix, const char *name, double v,
                   const char *uom, const mc_thresholds_t *th)
{
	char label[64];

	if (suffix)
		snprintf(label, sizeof(label), "%s_%s", name, suffix);
	else
		mc_strlcpy(label, name, sizeof(label));
	mc_result_perf(node, label, v, uom, th);
}

mc_status_t mc_check_domain_option(char *dst, size_t dstsz, const char *arg, char *msg,
                                   size_t msgsz)
{
	size_t n = strlen(arg);

	/* The trailing dot is dropped before the length counts: a 253-byte
	 * name written fully qualified is 254 bytes. */
	if (n > 1 && arg[n - 1] == '.')
		n--;
	if (!mc_dns_name_valid(arg) || n >= dstsz) {
		snprintf(msg, msgsz, "invalid --domain '%.300s' (want a domain name)", arg);
		return MC_E_USAGE;
	}
	memcpy(dst, arg, n);
	dst[n] = '\0';
	return MC_OK;
}

void mc_check_summary(mc_result_t *root, const char *subject, const char *sep, const char *okline)
{
	const mc_result_t *worst = mc_result_worst(root);

	mc_result_summary(root, "%s%s%s", subject, sep, worst ? mc_result_text(worst) : okline);
}

/* The handshake, verification, validity and protocol lines of one session. */
#define MAX_HOSTS 8
#define MAX_TLSA 16
#define NPROBES 2

static const int probe_versions[NPROBES] = {TLS1_VERSION, TLS1_1_VERSION};
static const char *const probe_names[NPROBES] = {"TLS 1.0", "TLS 1.1"};

typedef struct run run_t;

/* One name to check (-H, or an MX host): its addresses and, with --dane,
 * its TLSA records. */
typedef struct host {
	run_t *r;
	char name[256];
	bool resolved;
	mc_status_t resolve_status;
	char resolve_error[512];
	mc_addr_t addrs[MAX_TARGETS];
	size_t naddrs;
	bool tlsa_asked;
	char tlsa_name[300];
	const mc_dns_answer_t *tlsa; /* the answer, once there */
	mc_tls_tlsa_t recs[MAX_TLSA];
	size_t nrecs;
	bool started;
} host_t;

/* One session (or, without --all-addresses, one for all addresses) and
 * its protocol-version probes. */
typedef struct target {
	run_t *r;
	host_t *host;
	mc_session_t *session;
	mc_session_result_t *res; /* the plugin's result, base first */
	mc_addr_t addrs[MAX_TARGETS];
	size_t naddrs;
	bool finished;
	mc_session_t *probe[NPROBES];
	mc_session_result_t *pres[NPROBES];
} target_t;

struct run {
	const mc_check_plugin_t *pl;
	const mc_check_config_t *cfg;
	mc_loop_t *loop;
	mc_dns_t *dns;
	mc_tls_ctx_t *tls;
	const mc_dns_answer_t *mx; /* --mx: the MX answer, once there */
	bool implicit_mx;          /* --mx: no MX records, the domain itself */
	host_t hosts[MAX_HOSTS];
	size_t nhosts;
	target_t targets[MAX_TARGETS];
	size_t ntargets;
	size_t dropped;       /* addresses beyond MAX_TARGETS */
	size_t dropped_hosts; /* MX hosts beyond MAX_HOSTS */
	int64_t t0;
};

static void on_session_done(void *arg)
{
	target_t *t = arg;

	t->finished = true;
	t->session = NULL;
}

static void on_probe_done(void *arg)
{
	mc_session_t **slot = arg;

	*slot = NULL;
}

/* DANE applies to this host: TLSA records the resolver validated, under
 * an MX answer it validated too (RFC 7672 section 2.2). */
static bool dane_usable(const run_t *r, const host_t *h)
{
	return h->tlsa && h->tlsa->outcome == MC_DNS_ANSWER && h->tlsa->ad &&
	       (!r->cfg->mx_domain[0] || (r->mx && r->mx->ad));
}

static mc_session_result_t *new_result(const run_t *r)
{
	return calloc(1, r->pl->result_size);
}

static void start_target(run_t *r, target_t *t)
{
	const mc_check_config_t *c = r->cfg;
	host_t *h = t->host;
	mc_session_params_t sp;
	size_t i;

	memset(&sp, 0, sizeof(sp));
	sp.loop = r->loop;
	sp.tls = r->tls;
	sp.tlsp.sni = c->mx_domain[0] ? h->name : c->sni;
	sp.tlsp.cert_name = c->mx_domain[0] ? h->name : c->cert_name;
	sp.tlsp.verify = c->verify;
	sp.tlsp.ocsp = c->ocsp != MC_OCSP_OFF;
	if (dane_usable(r, h)) {
		sp.tlsp.dane_base = h->name;
		sp.tlsp.tlsa = h->recs;
		sp.tlsp.ntlsa = h->nrecs;
	}
	sp.implicit_tls = c->implicit_tls;
	sp.verbose = c->verbose;
	sp.addrs = t->addrs;
	sp.naddrs = t->naddrs;
	t->r = r;
	t->res = new_result(r);
	if (t->res)
		t->session = r->pl->start(r->pl->pcfg, &sp, t->res, on_session_done, t);
	if (!t->session) {
		t->finished = true;
		if (!t->res)
			t->res = new_result(r);
		if (t->res) {
			t->res->status = MC_E_NOMEM;
			mc_strlcpy(t->res->error, "out of memory", sizeof(t->res->error));
		}
	}
	/* The probes only handshake: no verification, DANE or OCSP. */
	for (i = 0; c->probe_old_tls && i < NPROBES; i++) {
		mc_session_params_t pp = sp;
		pp.tls_probe = true;
		pp.tlsp.verify = MC_TLS_VERIFY_NONE;
		pp.tlsp.ocsp = false;
		pp.tlsp.dane_base = NULL;
		pp.tlsp.ntlsa = 0;
		pp.tlsp.only_version = probe_versions[i];
		t->pres[i] = new_result(r);
		if (t->pres[i])
			t->probe[i] =
			    r->pl->start(r->pl->pcfg, &pp, t->pres[i], on_probe_done, &t->probe[i]);
	}
}

/* Both the addresses and (with --dane) the TLSA answer are in: start. */
static void host_ready(host_t *h)
{
	run_t *r = h->r;
	size_t i, n;

	if (h->started || !h->resolved || (h->tlsa_asked && !h->tlsa) ||
	    h->resolve_status != MC_OK)
		return;
	h->started = true;
	if (dane_usable(r, h))
		for (i = 0; i < h->tlsa->n && h->nrecs < MAX_TLSA; i++) {
			const mc_dns_rr_t *rr = h->tlsa->rrs[i];
			mc_tls_tlsa_t *t = &h->recs[h->nrecs++];
			t->usage = rr->usage;
			t->selector = rr->selector;
			t->mtype = rr->mtype;
			t->data = rr->data;
			t->len = rr->len;
		}
	n = r->cfg->all_addresses ? h->naddrs : 1;
	for (i = 0; i < n; i++) {
		target_t *t;
		if (r->ntargets == MAX_TARGETS) {
			r->dropped += n - i;
			break;
		}
		t = &r->targets[r->ntargets++];
		t->host = h;
		if (r->cfg->all_addresses) {
			t->addrs[0] = h->addrs[i];
			t->naddrs = 1;
		} else {
			memcpy(t->addrs, h->addrs, h->naddrs * sizeof(*h->addrs));
			t->naddrs = h->naddrs;
		}
		start_target(r, t);
	}
}

static void on_resolved(void *arg, mc_status_t st, const mc_addr_t *addrs, size_t n,
                        const char *err)
{
	host_t *h = arg;

	h->resolved = true;
	h->resolve_status = st;
	if (st != MC_OK) {
		mc_strlcpy(h->resolve_error, err, sizeof(h->resolve_error));
		return;
	}
	h->naddrs = n < MAX_TARGETS ? n : MAX_TARGETS;
	memcpy(h->addrs, addrs, h->naddrs * sizeof(*addrs));
	host_ready(h);
}

static void on_tlsa(void *arg, const mc_dns_answer_t *ans)
{
	host_t *h = arg;

	h->tlsa = ans;
	host_ready(h);
}

static void add_host(run_t *r, const char *name)
{
	host_t *h;

	if (r->nhosts == MAX_HOSTS)
		return;
	h = &r->hosts[r->nhosts++];
	h->r = r;
	mc_strlcpy(h->name, name, sizeof(h->name));
	if (r->cfg->dane) {
		/* RFC 7672 section 2.2.1: _PORT._tcp.HOST. */
		snprintf(h->tlsa_name, sizeof(h->tlsa_name), "_%u._tcp.%s", r->cfg->port, name);
		h->tlsa_asked = mc_dns_query(r->dns, h->tlsa_name, MC_DNS_T_TLSA, on_tlsa, h) == MC_OK;
	}
	if (mc_dns_resolve(r->dns, name, r->cfg->family, r->cfg->port, on_resolved, h) != MC_OK)
		on_resolved(h, MC_E_NOMEM, NULL, 0, "out of memory");
}

size_t mc_check_mx_sorted(const mc_dns_answer_t *a, const mc_dns_rr_t **out, size_t max,
                          bool *null_mx)
{
	const mc_dns_rr_t *all[MC_DNS_MAX_RRS];
	size_t i, j;

	*null_mx = false;
	if (a->outcome != MC_DNS_ANSWER)
		return 0;
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->rrs[i]->name, ".")) {
			*null_mx = true;
			return 0;
		}
	/* Insertion sort: a handful of records. */
	for (i = 0; i < a->n; i++) {
		const mc_dns_rr_t *rr = a->rrs[i];
		for (j = i; j > 0 && (all[j - 1]->pref > rr->pref ||
		                      (all[j - 1]->pref == rr->pref &&
		                       strcasecmp(all[j - 1]->name, rr->name) > 0));
		     j--)
			all[j] = all[j - 1];
		all[j] = rr;
	}
	for (i = 0; i < a->n && i < max; i++)
		out[i] = all[i];
	return i;
}

static void on_mx(void *arg, const mc_dns_answer_t *ans)
{
	run_t *r = arg;
	const mc_dns_rr_t *sorted[MAX_HOSTS];
	bool null_mx;
	size_t i, n = mc_check_mx_sorted(ans, sorted, MAX_HOSTS, &null_mx);

	r->mx = ans;
	if (ans->outcome == MC_DNS_ANSWER && !null_mx && ans->n > n)
		r->dropped_hosts = ans->n - n;
	for (i = 0; i < n; i++)
		add_host(r, sorted[i]->name);
	/* RFC 5321 section 5.1: no MX, the domain itself. */
	if (ans->outcome == MC_DNS_NODATA) {
		r->implicit_mx = true;
		add_host(r, r->cfg->mx_domain);
	}
}

/* With --dane: what the TLSA records of the target's host say. */
static void report_dane(const run_t *r, const target_t *t, mc_result_t *node)
{
	const mc_check_config_t *c = r->cfg;
	const host_t *h = t->host;
	const mc_dns_answer_t *a = h->tlsa;
	const mc_tls_info_t *tls = &t->res->tls;
	mc_state_t missing = c->dane == MC_DANE_REQUIRE ? MC_STATE_CRITICAL : MC_STATE_WARNING;
	size_t i, usable = 0;

	if (!h->tlsa_asked) {
		mc_result_add(node, MC_STATE_UNKNOWN, "DANE: cannot ask for %s", h->tlsa_name);
		return;
	}
	if (!a)
		return; /* the deadline: reported with the host */
	if (c->mx_domain[0] && !(r->mx && r->mx->ad)) {
		mc_result_add(node, missing,
		              "DANE: the MX records of %s are not DNSSEC-validated, so DANE does "
		              "not apply (RFC 7672 section 2.2.1)",
		              c->mx_domain);
		return;
	}
	switch (a->outcome) {
	case MC_DNS_ANSWER: break;
	case MC_DNS_NODATA:
	case MC_DNS_NXDOMAIN:
		mc_result_add(node, missing, "DANE: no TLSA records at %s", h->tlsa_name);
		return;
	default:
		/* RFC 7672 section 2.1.1: DANE senders defer; mail waits. */
		mc_result_add(node, MC_STATE_CRITICAL,
		              "DANE: TLSA lookup failed, DANE senders will defer mail: %s",
		              a->error);
		return;
	}
	if (!a->ad) {
		mc_result_add(node, missing,
		              "DANE: TLSA records at %s are not DNSSEC-validated (no AD from the "
		              "resolver): ignored",
		              h->tlsa_name);
		return;
	}
	for (i = 0; i < h->nrecs; i++)
		usable += h->recs[i].usage == 2 || h->recs[i].usage == 3;
	if (t->res->tls_done)
		usable = tls->dane_usable;
	if (!usable) {
		mc_result_add(node, missing,
		              "DANE: no usable TLSA record at %s (only DANE-TA(2) and DANE-EE(3) "
		              "count for SMTP, RFC 7672 section 3.1.3)",
		              h->tlsa_name);
		return;
	}
	if (!t->res->tls_done)
		return;
	if (tls->verified && tls->dane_depth >= 0)
		mc_result_add(node, MC_STATE_OK, "DANE: TLSA record %s at %s matches (depth %d)",
		              tls->dane_record, h->tlsa_name, tls->dane_depth);
	else
		mc_result_add(node, MC_STATE_CRITICAL,
		              "DANE: none of the %zu usable TLSA records at %s matches the "
		              "certificate",
		              usable, h->tlsa_name);
}

/* The name verified is a host name (an address never matches a CN). */
static bool host_name_checked(const mc_check_config_t *c)
{
	mc_addr_t a;

	return c->mx_domain[0] || (c->cert_name && mc_addr_parse(c->cert_name, 0, &a) != MC_OK);
}

/* The handshake, verification, validity and protocol lines of one session. */
static void report_tls(const mc_check_config_t *c, const mc_session_result_t *res,
                       mc_result_t *node, const char *suffix)
{
	mc_report_tls_opts_t o = {
	    .verify = c->verify,
	    .name_is_host = host_name_checked(c),
	    .days = &c->days,
	    .ocsp = c->ocsp,
	    .min_key_bits = c->min_key_bits,
	    .min_tls = c->min_tls,
	    .min_tls_text = c->min_tls_text,
	    .perf_suffix = suffix,
	};

	mc_report_tls(&res->tls, res->status == MC_OK, &o, node);
}

/* --probe-old-tls: which old versions the server still accepts. */
static void report_probes(const run_t *r, const target_t *t, mc_result_t *node)
{
	size_t i;

	for (i = 0; r->cfg->probe_old_tls && i < NPROBES; i++) {
		const mc_session_result_t *p = t->pres[i];
		mc_tls_probe_facts_t f = {probe_names[i], MC_TLS_PROBE_NOT_RUN, NULL, NULL};
		if (p && p->tls_done) {
			f.outcome = MC_TLS_PROBE_ACCEPTED;
			f.cipher = p->tls.cipher;
		} else if (p && p->phase && !strcmp(p->phase, "tls handshake") &&
		           p->status != MC_E_TIMEOUT) {
			f.outcome = MC_TLS_PROBE_REFUSED;
		} else if (p) {
			f.outcome = MC_TLS_PROBE_INCONCLUSIVE;
			f.error = p->error;
		}
		mc_report_tls_probe(&f, r->cfg->old_tls_state, node);
	}
}

/* Subchecks and perfdata of one session below node; okline gets its part
 * of the OK summary. */
static void report_target(const run_t *r, const target_t *t, mc_result_t *node, const char *suffix,
                          char *okline, size_t oklinesz)
{
	const mc_check_plugin_t *pl = r->pl;
	const mc_check_config_t *c = r->cfg;
	const mc_session_result_t *res = t->res;
	char addr[MC_ADDR_STRLEN + 8], extra[300];
	size_t i;

	okline[0] = '\0';
	extra[0] = '\0';
	if (!res)
		return;
	if (res->connected) {
		mc_addr_str_port(&res->addr, addr, sizeof(addr));
		mc_result_add(node, MC_STATE_OK, "connect: %s in %.3fs", addr,
		              (double)res->times[0].us / 1e6);
	}
	if (pl->before_tls)
		pl->before_tls(pl->pcfg, c, res, node);
	if (res->tls_done)
		report_tls(c, res, node, suffix);
	if (c->dane)
		report_dane(r, t, node);
	report_probes(r, t, node);
	if (pl->after_tls)
		pl->after_tls(pl->pcfg, c, res, node, suffix, extra, sizeof(extra));
	if (res->status != MC_OK)
		mc_result_add(node, mc_state_from_status(res->status, c->timeout_state), "%s",
		              res->error);
	if (!suffix) {
		for (i = 0; i < res->ntimes; i++)
			if (res->times[i].perf)
				mc_check_perf(node, suffix, res->times[i].perf,
				              (double)res->times[i].us / 1e6, "s", NULL);
	} else {
		/* Several targets: the session's time each, not every phase's
		 * (the output stays within its 4 KiB). */
		int64_t us = 0;
		for (i = 0; i < res->ntimes; i++)
			us += res->times[i].us;
		mc_check_perf(node, suffix, "time", (double)us / 1e6, "s", NULL);
	}
	if (res->status == MC_OK && res->tls_done)
		snprintf(okline, oklinesz, "%s%s%s %s, certificate valid %.1f days%s%s%s",
		         c->implicit_tls ? "" : pl->starttls_word, c->implicit_tls ? "" : " ",
		         res->tls.version, res->tls.cipher, res->tls.days_left,
		         res->tls.dane_usable && res->tls.verified ? ", DANE verified" : "", extra,
		         res->tls.dane_usable && res->tls.verified ? ""
		         : c->verify == MC_TLS_VERIFY_NONE
		             ? ", certificate not verified (--verify=none)"
		         : c->verify == MC_TLS_VERIFY_CHAIN ? ", name not checked (--verify=chain)"
		                                            : "");
}

/* The total time against -w/-c, and its perfdata. */
static void report_time(const mc_check_config_t *c, mc_result_t *root, double total)
{
	mc_state_t ts = mc_thresholds_check(&c->time, total);

	if (ts != MC_STATE_OK)
		mc_result_add(root, ts, "total time %.3fs outside the %s range", total,
		              ts == MC_STATE_CRITICAL ? "critical" : "warning");
	mc_result_perf(root, "time", total, "s", &c->time);
}

/* --mx: what the MX answer says. */
static void report_mx(const run_t *r, mc_result_t *root)
{
	const mc_check_config_t *c = r->cfg;
	const mc_dns_answer_t *a = r->mx;
	bool null_mx = false;
	const mc_dns_rr_t *one[1];

	if (!a) {
		mc_result_add(root, c->timeout_state, "timeout after %gs looking up the MX of %s",
		              c->timeout, c->mx_domain);
		return;
	}
	mc_check_mx_sorted(a, one, 1, &null_mx);
	if (null_mx)
		mc_result_add(root, MC_STATE_CRITICAL,
		              "%s has a null MX (RFC 7505): it accepts no mail", c->mx_domain);
	else if (r->implicit_mx)
		mc_result_add(root, MC_STATE_WARNING,
		              "no MX records: %s itself is the implicit MX (RFC 5321 section 5.1)",
		              c->mx_domain);
	else if (a->outcome != MC_DNS_ANSWER)
		mc_result_add(root, mc_state_from_status(mc_dns_outcome_status(a->outcome),
		                                         c->timeout_state),
		              "%s", a->error);
	if (r->dropped_hosts)
		mc_result_add(root, MC_STATE_WARNING, "%zu more MX hosts not checked (at most %d)",
		              r->dropped_hosts, MAX_HOSTS);
}

/* Hosts that never got to a session: unresolved, or the deadline. */
static void report_hosts(const run_t *r, mc_result_t *root)
{
	const mc_check_config_t *c = r->cfg;
	size_t i;

	for (i = 0; i < r->nhosts; i++) {
		const host_t *h = &r->hosts[i];
		if (!h->resolved)
			mc_result_add(root, c->timeout_state, "timeout after %gs resolving %s",
			              c->timeout, h->name);
		else if (h->resolve_status != MC_OK)
			mc_result_add(root, mc_state_from_status(h->resolve_status, c->timeout_state),
			              "%s", h->resolve_error);
		else if (!h->started)
			mc_result_add(root, c->timeout_state,
			              "timeout after %gs looking up TLSA %s", c->timeout,
			              h->tlsa_name);
	}
	if (r->dropped)
		mc_result_add(root, MC_STATE_WARNING, "%zu more addresses not checked (at most %d)",
		              r->dropped, MAX_TARGETS);
}

/* An address as a perfdata label suffix. "::" is reserved in labels
 * (mc_perf.h), so an IPv6 address is written as in ipv6-literal names,
 * ':' as '-': "::1" is "--1", "2001:db8::25" is "2001-db8--25". */
static void addr_label(const char *addr, char *out, size_t outsz)
{
	size_t i;

	mc_strlcpy(out, addr, outsz);
	for (i = 0; out[i]; i++)
		if (out[i] == ':')
			out[i] = '-';
}

static void report(const run_t *r, mc_result_t *root, int64_t t_end)
{
	const mc_check_config_t *c = r->cfg;
	bool mx = c->mx_domain[0] != '\0';
	char subject[300], okline[400];
	size_t i;

	if (mx)
		snprintf(subject, sizeof(subject), "%s MX", c->mx_domain);
	else
		snprintf(subject, sizeof(subject), strchr(c->host, ':') ? "[%s]:%u" : "%s:%u",
		         c->host, c->port);
	okline[0] = '\0';
	if (mx)
		report_mx(r, root);
	report_hosts(r, root);
	if (!c->all_addresses) {
		if (r->ntargets)
			report_target(r, &r->targets[0], root, NULL, okline, sizeof(okline));
	} else {
		/* In the order of the hosts (MX preference), not of the answers. */
		for (i = 0; i < r->nhosts * r->ntargets; i++) {
			const target_t *t = &r->targets[i % r->ntargets];
			char addr[MC_ADDR_STRLEN], alabel[MC_ADDR_STRLEN];
			char label[MC_ADDR_STRLEN + 260], one[400];
			mc_result_t *node;
			if (t->host != &r->hosts[i / r->ntargets])
				continue;
			mc_addr_str(&t->addrs[0], addr, sizeof(addr));
			addr_label(addr, alabel, sizeof(alabel));
			if (mx)
				snprintf(label, sizeof(label), "%s_%s", t->host->name, alabel);
			else
				mc_strlcpy(label, alabel, sizeof(label));
			node = mc_result_add(root, MC_STATE_OK, "%s", label);
			if (!node)
				continue;
			report_target(r, t, node, label, one, sizeof(one));
			if (!c->verbose)
				mc_result_prune_ok(node);
			mc_result_set(node, MC_STATE_OK, "%s%s%s: %s", mx ? t->host->name : "",
			              mx ? " " : "", addr,
			              one[0]                       ? one
			              : t->res && t->res->error[0] ? t->res->error
			                                           : "not checked");
		}
		if (mx)
			snprintf(okline, sizeof(okline), "%zu address%s of %zu MX host%s checked",
			         r->ntargets, r->ntargets == 1 ? "" : "es", r->nhosts,
			         r->nhosts == 1 ? "" : "s");
		else
			snprintf(okline, sizeof(okline), "%zu address%s checked", r->ntargets,
			         r->ntargets == 1 ? "" : "es");
	}
	report_time(c, root, mc_clock_secs(r->t0, t_end));
	mc_check_summary(root, subject, " ", okline);
}

/* The session still waits for the server's first words. A server that
 * expects implicit TLS (465, 993, 995) waits for a ClientHello and says
 * nothing, so a STARTTLS-mode client times out here. */
static bool in_greeting(const mc_session_result_t *res)
{
	const char *perf = res->ntimes ? res->times[res->ntimes - 1].perf : NULL;

	return perf && !strcmp(perf, "time_banner");
}

static void on_deadline(run_t *r)
{
	size_t i, j;

	for (i = 0; i < r->ntargets; i++) {
		target_t *t = &r->targets[i];
		for (j = 0; j < NPROBES; j++)
			if (t->probe[j]) {
				mc_session_abort(t->probe[j], MC_E_TIMEOUT);
				t->probe[j] = NULL;
			}
		if (!t->finished && t->session) {
			mc_session_abort(t->session, MC_E_TIMEOUT);
			t->session = NULL;
			t->finished = true;
			if (t->res->status == MC_E_TIMEOUT)
				snprintf(t->res->error, sizeof(t->res->error),
				         "timeout after %gs in %s phase%s", r->cfg->timeout,
				         t->res->phase ? t->res->phase : "?",
				         !r->cfg->implicit_tls && in_greeting(t->res)
				             ? " (no greeting: if the port expects implicit TLS, "
				               "use --tls=implicit)"
				             : "");
		}
	}
}

static void run_plugin(const mc_check_plugin_t *pl, const mc_check_config_t *c, run_t *r,
                       mc_result_t *root)
{
	mc_check_env_t env = {r->loop, r->dns, r->tls, r->t0};
	void *state = pl->begin(pl->pcfg, c, &env);
	mc_status_t st;

	if (!state) {
		mc_result_add(root, MC_STATE_UNKNOWN, "out of memory");
		return;
	}
	st = mc_loop_run(r->loop);
	if (st != MC_OK && st != MC_E_TIMEOUT)
		mc_result_add(root, MC_STATE_UNKNOWN, "event loop failed: %s", mc_status_str(st));
	report_time(c, root, mc_clock_secs(r->t0, mc_clock_now_us()));
	pl->end(state, st == MC_E_TIMEOUT, root);
}

static void check(const mc_check_plugin_t *pl, const mc_check_config_t *c, mc_result_t *root,
                  int64_t t0)
{
	run_t r;
	char err[512];
	mc_status_t st;
	mc_tls_ctx_params_t tp = {c->ca_file, NULL};
	mc_dns_params_t dnsp = c->dns;
	bool with_tls = !pl->begin || !pl->wants_tls || pl->wants_tls(pl->pcfg);
	size_t i;

	memset(&r, 0, sizeof(r));
	r.pl = pl;
	r.cfg = c;
	r.t0 = t0;
	if (mc_loop_new(&r.loop) != MC_OK) {
		mc_result_add(root, MC_STATE_UNKNOWN, "out of memory");
		goto out;
	}
	mc_loop_set_deadline(r.loop, t0 + (int64_t)(c->timeout * 1e6));
	dnsp.deadline_ms = (long)(c->timeout * 1000);
	dnsp.verbose = c->verbose;
	/* OpenSSL's context is two thirds of a DNS-only run: only when used. */
	if ((with_tls && (st = mc_tls_ctx_new(&tp, &r.tls, err, sizeof(err))) != MC_OK) ||
	    (st = mc_dns_new(r.loop, &dnsp, &r.dns, err, sizeof(err))) != MC_OK) {
		mc_result_add(root, MC_STATE_UNKNOWN, "%s", err);
		goto out;
	}
	if (pl->begin) {
		run_plugin(pl, c, &r, root);
		goto out;
	}
	if (!c->mx_domain[0]) {
		add_host(&r, c->host);
	} else if ((st = mc_dns_query(r.dns, c->mx_domain, MC_DNS_T_MX, on_mx, &r)) != MC_OK) {
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
	for (i = 0; i < r.ntargets; i++) {
		free(r.targets[i].res);
		free(r.targets[i].pres[0]);
		free(r.targets[i].pres[1]);
	}
	mc_dns_free(r.dns);
	mc_tls_ctx_free(r.tls);
	mc_loop_free(r.loop);
}

int mc_check_main(int argc, char **argv, const mc_check_plugin_t *pl)
{
	int64_t t0 = mc_clock_now_us();
	mc_check_config_t cfg;
	usage_t u;
	int xargc, exit_now, rc;
	char **xargv;
	char err[300];
	mc_result_t *root;

	if (mc_extraopts_expand(argc, argv, pl->progname, pl->options, &xargc, &xargv, err,
	                        sizeof(err)) !=
	    MC_OK)
		return mc_usage_error(stdout, pl->label, pl->progname, "%s", err);
	/* xargv holds copies: the originals can go. */
	mc_login_scrub_argv(argc, argv);
	if (!parse_args(xargc, xargv, pl, &cfg, &u, &exit_now) ||
	    (exit_now < 0 && !validate(pl, &cfg, &u))) {
		rc = mc_usage_error(stdout, pl->label, pl->progname, "%s", u.msg);
		mc_extraopts_free(xargc, xargv);
		return rc;
	}
	if (exit_now >= 0) {
		mc_extraopts_free(xargc, xargv);
		return exit_now;
	}
	root = mc_result_new(pl->label);
	if (!root) {
		mc_extraopts_free(xargc, xargv);
		printf("%s UNKNOWN - out of memory\n", pl->label);
		return MC_STATE_UNKNOWN;
	}
	check(pl, &cfg, root, t0);
	rc = mc_result_print(root, cfg.format, stdout);
	mc_result_free(root);
	mc_extraopts_free(xargc, xargv);
	return rc;
}
