#include "mc_tls_service.h"

#include <openssl/tls1.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop/mc_loop.h"
#include "net/mc_net.h"
#include "policy/mc_mx.h"
#include "report/mc_report.h"
#include "report/mc_report_dane.h"
#include "report/mc_report_mx.h"
#include "util/mc_clock.h"
#include "util/mc_str.h"

#define MAX_TARGETS 32

static mc_status_t bad(char *msg, size_t msgsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static mc_status_t bad(char *msg, size_t msgsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msgsz, fmt, ap);
	va_end(ap);
	return MC_E_USAGE;
}

void mc_tls_service_init(mc_tls_service_t *s, const mc_tls_service_desc_t *desc)
{
	mc_tls_service_config_t *c = &s->cfg;

	memset(s, 0, sizeof(*s));
	s->desc = desc;
	c->port = desc->default_port;
	c->family = AF_UNSPEC;
	c->ocsp = MC_OCSP_CHECK;
	c->old_tls_state = MC_STATE_WARNING;
	c->min_key_bits = 2048;
	mc_thresholds_parse_below("14", "3", &c->days);
}

/* arg as one of the words of a NULL-terminated list: its index in *out. */
static bool keyword(const char *arg, const char *const *words, int *out)
{
	int i;

	for (i = 0; words[i]; i++)
		if (!strcmp(arg, words[i])) {
			*out = i;
			return true;
		}
	return false;
}

/* -H, -p, -S, --tls, -4, -6, --all-addresses. */
static mc_status_t connection_option(mc_tls_service_config_t *c, int opt, const char *arg,
                                     char *msg, size_t msgsz)
{
	static const char *const modes[] = {"auto", "starttls", "implicit", NULL};
	long l;
	int k;

	switch (opt) {
	case 'H': c->host = arg; return MC_OK;
	case 'p':
		if (mc_parse_long(arg, 1, 65535, &l) != MC_OK)
			return bad(msg, msgsz, "invalid --port '%s' (want 1..65535)", arg);
		c->port = (unsigned)l;
		return MC_OK;
	case 'S': /* check_smtp's spelling of --tls=starttls */
		c->tls_mode = MC_TLS_MODE_STARTTLS;
		return MC_OK;
	case MC_TLS_SERVICE_OPT_TLS:
		if (!keyword(arg, modes, &k) || k == MC_TLS_MODE_AUTO)
			return bad(msg, msgsz, "invalid --tls '%s' (want starttls or implicit)",
			           arg);
		c->tls_mode = (mc_tls_mode_t)k;
		return MC_OK;
	case '4': c->family = AF_INET; return MC_OK;
	case '6': c->family = AF_INET6; return MC_OK;
	case MC_TLS_SERVICE_OPT_ALL_ADDRESSES: c->all_addresses = true; return MC_OK;
	default: return MC_E_AGAIN;
	}
}

/* --verify, --ca-file, --cert-name, --sni, -D, --min-tls. */
static mc_status_t verification_option(mc_tls_service_config_t *c, int opt, const char *arg,
                                       char *msg, size_t msgsz)
{
	static const char *const verify[] = {"full", "chain", "none", NULL};
	int k;

	switch (opt) {
	case MC_TLS_SERVICE_OPT_VERIFY:
		if (!keyword(arg, verify, &k))
			return bad(msg, msgsz, "invalid --verify '%s' (want full, chain or none)",
			           arg);
		c->verify = (mc_tls_verify_t)k;
		return MC_OK;
	case MC_TLS_SERVICE_OPT_CA_FILE: c->ca_file = arg; return MC_OK;
	case MC_TLS_SERVICE_OPT_CERT_NAME: c->cert_name = arg; return MC_OK;
	case MC_TLS_SERVICE_OPT_SNI: c->sni = arg; return MC_OK;
	case 'D':
		if (mc_thresholds_parse_below(arg, "3", &c->days) != MC_OK)
			return bad(msg, msgsz,
			           "invalid --certificate '%s' (want WARN[,CRIT] days, e.g. 14,3)",
			           arg);
		return MC_OK;
	case MC_TLS_SERVICE_OPT_MIN_TLS:
		if (mc_tls_version_parse(arg, &c->min_tls) != MC_OK)
			return bad(msg, msgsz, "invalid --min-tls '%s' (want 1.2 or 1.3)", arg);
		c->min_tls_text = arg;
		return MC_OK;
	default: return MC_E_AGAIN;
	}
}

/* --ocsp, --probe-old-tls, --old-tls-state, --min-key-bits, --dane, --mx. */
static mc_status_t policy_option(mc_tls_service_config_t *c, int opt, const char *arg, char *msg,
                                 size_t msgsz)
{
	static const char *const ocsp[] = {"off", "check", "require", NULL};
	static const char *const old_state[] = {"ok", "warning", "critical", NULL};
	char why[300];
	long l;
	int k;

	switch (opt) {
	case MC_TLS_SERVICE_OPT_OCSP:
		if (!keyword(arg, ocsp, &k))
			return bad(msg, msgsz, "invalid --ocsp '%s' (want off, check or require)",
			           arg);
		c->ocsp = (mc_ocsp_mode_t)k;
		return MC_OK;
	case MC_TLS_SERVICE_OPT_PROBE_OLD_TLS: c->probe_old_tls = true; return MC_OK;
	case MC_TLS_SERVICE_OPT_OLD_TLS_STATE:
		if (!keyword(arg, old_state, &k) || k == MC_STATE_OK)
			return bad(msg, msgsz,
			           "invalid --old-tls-state '%s' (want warning or critical)", arg);
		c->old_tls_state = (mc_state_t)k;
		return MC_OK;
	case MC_TLS_SERVICE_OPT_MIN_KEY_BITS:
		if (mc_parse_long(arg, 512, 16384, &l) != MC_OK)
			return bad(msg, msgsz, "invalid --min-key-bits '%s' (want 512..16384)",
			           arg);
		c->min_key_bits = (int)l;
		return MC_OK;
	case MC_TLS_SERVICE_OPT_DANE:
		if (arg && strcmp(arg, "require") != 0)
			return bad(msg, msgsz,
			           "invalid --dane '%s' (want --dane or --dane=require)", arg);
		c->dane = arg ? MC_DANE_REQUIRE : MC_DANE_ON;
		return MC_OK;
	case MC_TLS_SERVICE_OPT_MX:
		if (mc_check_domain_option(c->mx_domain, sizeof(c->mx_domain), arg, why,
		                           sizeof(why)) != MC_OK)
			return bad(msg, msgsz, "invalid --mx '%.200s' (want a domain name)", arg);
		return MC_OK;
	default: return MC_E_AGAIN;
	}
}

mc_status_t mc_tls_service_option(mc_tls_service_t *s, int opt, const char *arg, char *msg,
                                  size_t msgsz)
{
	mc_status_t st = connection_option(&s->cfg, opt, arg, msg, msgsz);

	if (st == MC_E_AGAIN)
		st = verification_option(&s->cfg, opt, arg, msg, msgsz);
	if (st == MC_E_AGAIN)
		st = policy_option(&s->cfg, opt, arg, msg, msgsz);
	return st;
}

/* A name to verify or send (mc_tls_name_parse) into buf, canonical;
 * MC_E_USAGE with the option and the value quoted in msg. */
static mc_status_t tls_name(const char *arg, const char *option, char buf[MC_TLS_NAME_SIZE],
                            char *msg, size_t msgsz)
{
	char why[200], q[MC_STR_QUOTE_SIZE];
	mc_tls_name_kind_t kind;

	if (mc_tls_name_parse(arg, buf, MC_TLS_NAME_SIZE, &kind, why, sizeof(why)) == MC_OK)
		return MC_OK;
	mc_str_quote(q, sizeof(q), arg, strlen(arg));
	return bad(msg, msgsz, "invalid %s '%s': %s", option, q, why);
}

mc_status_t mc_tls_service_validate(mc_tls_service_t *s, char *msg, size_t msgsz)
{
	mc_tls_service_config_t *c = &s->cfg;
	mc_addr_t lit;
	bool host_is_addr;

	c->implicit_tls = c->tls_mode == MC_TLS_MODE_AUTO ? c->port == s->desc->implicit_port
	                                                  : c->tls_mode == MC_TLS_MODE_IMPLICIT;
	if (c->mx_domain[0]) {
		/* Each MX is checked under its own name (RFC 7672 section 3.2.2). */
		if (c->host || c->cert_name || c->sni)
			return bad(msg, msgsz,
			           "--mx cannot be combined with -H, --cert-name or --sni (each MX "
			           "is checked under its own name)");
		c->all_addresses = true;
		return MC_OK;
	}
	if (!c->host || !*c->host)
		return bad(msg, msgsz, "-H/--hostname (or --mx) is required");
	if (strlen(c->host) > 253)
		return bad(msg, msgsz, "-H/--hostname is longer than 253 characters");
	host_is_addr = mc_addr_parse(c->host, 0, &lit) == MC_OK;
	/* -H is the name verified and sent unless --cert-name and --sni say
	 * otherwise: then it is held to the same rules. */
	if (!host_is_addr && (!c->cert_name || !c->sni)) {
		if (tls_name(c->host, "-H/--hostname", c->host_buf, msg, msgsz) != MC_OK)
			return MC_E_USAGE;
		c->host = c->host_buf;
	}
	if (c->cert_name) {
		if (tls_name(c->cert_name, "--cert-name", c->cert_name_buf, msg, msgsz) != MC_OK)
			return MC_E_USAGE;
		c->cert_name = c->cert_name_buf;
	} else if (!host_is_addr) {
		c->cert_name = c->host;
	}
	if (c->verify == MC_TLS_VERIFY_FULL && !c->cert_name)
		return bad(msg, msgsz,
		           "-H is an address: full verification needs --cert-name NAME "
		           "(or --verify=chain)");
	if (c->sni) {
		/* RFC 6066 section 3: SNI carries a host name, never an address. */
		if (tls_name(c->sni, "--sni", c->sni_buf, msg, msgsz) != MC_OK)
			return MC_E_USAGE;
		if (mc_addr_parse(c->sni_buf, 0, &lit) == MC_OK)
			return bad(msg, msgsz,
			           "invalid --sni '%s': SNI carries a host name, not an address "
			           "(RFC 6066 section 3)",
			           c->sni_buf);
		c->sni = c->sni_buf;
	} else {
		c->sni = c->cert_name;
	}
	return MC_OK;
}

void mc_tls_service_tls_params(const void *pcfg, mc_tls_ctx_params_t *p)
{
	const mc_tls_service_t *s = pcfg;

	p->ca_file = s->cfg.ca_file;
}

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
	const mc_tls_service_t *svc;
	const mc_tls_service_config_t *cfg;
	const mc_check_config_t *cc; /* -t, -v */
	mc_loop_t *loop;
	mc_dns_t *dns;
	mc_tls_ctx_t *tls;
	const mc_dns_answer_t *mx; /* --mx: the MX answer, once there */
	bool implicit_mx;          /* --mx: no MX records, the domain itself */
	host_t hosts[MC_MX_MAX_HOSTS];
	size_t nhosts;
	target_t targets[MAX_TARGETS];
	size_t ntargets;
	size_t dropped;    /* addresses beyond MAX_TARGETS */
	mc_mx_set_t mxset; /* --mx: the hosts followed, and the rest by name */
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
	return calloc(1, r->svc->desc->result_size);
}

static void start_target(run_t *r, target_t *t)
{
	const mc_tls_service_config_t *c = r->cfg;
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
	sp.verbose = r->cc->verbose;
	sp.addrs = t->addrs;
	sp.naddrs = t->naddrs;
	t->r = r;
	t->res = new_result(r);
	if (t->res)
		t->session = r->svc->desc->start(r->svc, &sp, t->res, on_session_done, t);
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
			t->probe[i] = r->svc->desc->start(r->svc, &pp, t->pres[i], on_probe_done,
			                                  &t->probe[i]);
	}
}

/* Both the addresses and (with --dane) the TLSA answer are in: start. */
static void host_ready(host_t *h)
{
	run_t *r = h->r;
	size_t i, n;

	if (h->started || !h->resolved || (h->tlsa_asked && !h->tlsa) || h->resolve_status != MC_OK)
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

	if (r->nhosts == MC_MX_MAX_HOSTS)
		return;
	h = &r->hosts[r->nhosts++];
	h->r = r;
	mc_strlcpy(h->name, name, sizeof(h->name));
	if (r->cfg->dane) {
		/* RFC 7672 section 2.2.1: _PORT._tcp.HOST. */
		snprintf(h->tlsa_name, sizeof(h->tlsa_name), "_%u._tcp.%s", r->cfg->port, name);
		h->tlsa_asked =
		    mc_dns_query(r->dns, h->tlsa_name, MC_DNS_T_TLSA, on_tlsa, h) == MC_OK;
	}
	if (mc_dns_resolve(r->dns, name, r->cfg->family, r->cfg->port, on_resolved, h) != MC_OK)
		on_resolved(h, MC_E_NOMEM, NULL, 0, "out of memory");
}

static void on_mx(void *arg, const mc_dns_answer_t *ans)
{
	run_t *r = arg;
	size_t i;

	r->mx = ans;
	mc_mx_set_read(ans, &r->mxset);
	for (i = 0; i < r->mxset.nhosts; i++)
		add_host(r, r->mxset.host[i]->name);
	/* RFC 5321 section 5.1: no MX, the domain itself. */
	if (mc_mx_implicit(ans)) {
		r->implicit_mx = true;
		add_host(r, r->cfg->mx_domain);
	}
}

/* With --dane: what the TLSA records of the target's host say. */
static void report_dane(const run_t *r, const target_t *t, mc_result_t *node)
{
	const host_t *h = t->host;
	const mc_tls_info_t *tls = &t->res->tls;
	mc_report_dane_facts_t f = {
	    .host = h->name,
	    .tlsa_name = h->tlsa_name,
	    .tlsa = {h->tlsa_asked, !h->tlsa_asked, h->tlsa},
	    .mx_domain = r->cfg->mx_domain[0] ? r->cfg->mx_domain : NULL,
	    .mx_ad = r->mx && r->mx->ad,
	    .handshake_done = t->res->tls_done,
	    .usable = tls->dane_usable,
	    .matched = tls->verified && tls->dane_depth >= 0,
	    .record = tls->dane_record,
	    .depth = tls->dane_depth,
	};
	mc_report_dane_opts_t d = {r->cfg->dane == MC_DANE_REQUIRE};

	mc_report_dane_session(&f, &d, node);
}

/* The name verified is a host name (an address never matches a CN). */
static bool host_name_checked(const mc_tls_service_config_t *c)
{
	mc_addr_t a;

	return c->mx_domain[0] || (c->cert_name && mc_addr_parse(c->cert_name, 0, &a) != MC_OK);
}

static void report_tls(const mc_tls_service_config_t *c, const mc_session_result_t *res,
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
		} else if (p && p->phase_id == MC_PHASE_TLS_HANDSHAKE &&
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
	const mc_tls_service_desc_t *d = r->svc->desc;
	const mc_tls_service_config_t *c = r->cfg;
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
	if (d->before_tls)
		d->before_tls(r->svc, r->cc, res, node);
	if (res->tls_done)
		report_tls(c, res, node, suffix);
	if (c->dane)
		report_dane(r, t, node);
	report_probes(r, t, node);
	if (d->after_tls)
		d->after_tls(r->svc, r->cc, res, node, suffix, extra, sizeof(extra));
	if (res->status != MC_OK)
		mc_result_add(node, mc_state_from_status(res->status, r->cc->timeout_state), "%s",
		              res->error);
	if (!suffix) {
		for (i = 0; i < res->ntimes; i++)
			if (res->times[i].perf)
				mc_report_perf(node, suffix, res->times[i].perf,
				               (double)res->times[i].us / 1e6, "s", NULL);
	} else {
		/* Several targets: the session's time each, not every phase's
		 * (the output stays within its 4 KiB). */
		int64_t us = 0;
		for (i = 0; i < res->ntimes; i++)
			us += res->times[i].us;
		mc_report_perf(node, suffix, "time", (double)us / 1e6, "s", NULL);
	}
	if (res->status == MC_OK && res->tls_done)
		snprintf(okline, oklinesz, "%s%s%s %s, certificate valid %.1f days%s%s%s",
		         c->implicit_tls ? "" : d->starttls_word, c->implicit_tls ? "" : " ",
		         res->tls.version, res->tls.cipher, res->tls.days_left,
		         res->tls.dane_usable && res->tls.verified ? ", DANE verified" : "", extra,
		         res->tls.dane_usable && res->tls.verified ? ""
		         : c->verify == MC_TLS_VERIFY_NONE
		             ? ", certificate not verified (--verify=none)"
		         : c->verify == MC_TLS_VERIFY_CHAIN ? ", name not checked (--verify=chain)"
		                                            : "");
}

/* --mx: what the MX answer says. */
static void report_mx(const run_t *r, mc_result_t *root)
{
	const mc_tls_service_config_t *c = r->cfg;
	const mc_dns_answer_t *a = r->mx;
	if (!a) {
		mc_result_add(root, r->cc->timeout_state,
		              "timeout after %gs looking up the MX of %s", r->cc->timeout,
		              c->mx_domain);
		return;
	}
	if (r->mxset.null_mx)
		mc_result_add(root, MC_STATE_CRITICAL,
		              "%s has a null MX (RFC 7505): it accepts no mail", c->mx_domain);
	else if (r->implicit_mx)
		mc_result_add(root, MC_STATE_WARNING,
		              "no MX records: %s itself is the implicit MX (RFC 5321 section 5.1)",
		              c->mx_domain);
	else if (a->outcome != MC_DNS_ANSWER)
		mc_result_add(
		    root,
		    mc_state_from_status(mc_dns_outcome_status(a->outcome), r->cc->timeout_state),
		    "%s", a->error);
	mc_report_mx_rest(r->mxset.rest, r->mxset.nrest, root);
}

/* Hosts that never got to a session: unresolved, or the deadline. */
static void report_hosts(const run_t *r, mc_result_t *root)
{
	size_t i;

	for (i = 0; i < r->nhosts; i++) {
		const host_t *h = &r->hosts[i];
		if (!h->resolved)
			mc_result_add(root, r->cc->timeout_state, "timeout after %gs resolving %s",
			              r->cc->timeout, h->name);
		else if (h->resolve_status != MC_OK)
			mc_result_add(root,
			              mc_state_from_status(h->resolve_status, r->cc->timeout_state),
			              "%s", h->resolve_error);
		else if (!h->started)
			mc_result_add(root, r->cc->timeout_state,
			              "timeout after %gs looking up TLSA %s", r->cc->timeout,
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

static void report(const run_t *r, mc_result_t *root)
{
	const mc_tls_service_config_t *c = r->cfg;
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
			if (!r->cc->verbose)
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
	mc_check_summary(root, subject, " ", okline);
}

/* The session still waits for the server's first words. A server that
 * expects implicit TLS (465, 993, 995) waits for a ClientHello and says
 * nothing, so a STARTTLS-mode client times out here. */
static bool in_greeting(const mc_session_result_t *res)
{
	return res->phase_id == MC_PHASE_GREETING;
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
				         "timeout after %gs in %s phase%s", r->cc->timeout,
				         t->res->phase ? t->res->phase : "?",
				         !r->cfg->implicit_tls && in_greeting(t->res)
				             ? " (no greeting: if the port expects implicit TLS, "
				               "use --tls=implicit)"
				             : "");
		}
	}
}

void *mc_tls_service_begin(const void *pcfg, const mc_check_config_t *c, const mc_check_env_t *env)
{
	const mc_tls_service_t *s = pcfg;
	run_t *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->svc = s;
	r->cfg = &s->cfg;
	r->cc = c;
	r->loop = env->loop;
	r->dns = env->dns;
	r->tls = env->tls;
	r->t0 = env->t0;
	if (!s->cfg.mx_domain[0]) {
		add_host(r, s->cfg.host);
	} else if (mc_dns_query(r->dns, s->cfg.mx_domain, MC_DNS_T_MX, on_mx, r) != MC_OK) {
		free(r);
		return NULL;
	}
	return r;
}

void mc_tls_service_end(void *state, bool timed_out, mc_result_t *root)
{
	run_t *r = state;
	size_t i;

	if (timed_out)
		on_deadline(r);
	report(r, root);
	for (i = 0; i < r->ntargets; i++) {
		free(r->targets[i].res);
		free(r->targets[i].pres[0]);
		free(r->targets[i].pres[1]);
	}
	free(r);
}
