/* check_mx_dns - the DNS that mail delivery depends on, in one concurrent
 * run: the MX set, its addresses and reverse DNS, the nameservers, DNSSEC,
 * blocklists, MTA-STS and TLS-RPT, DANE TLSA records, client SRV records
 * and the SMTP banners. Every question is asked as soon as its input is
 * known, so the run costs the depth of the dependency chain (MX, address,
 * PTR, forward), not the sum of its questions. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/mc_check.h"
#include "policy/mc_dnsbl.h"
#include "policy/mc_mtasts.h"
#include "policy/mc_mx.h"
#include "policy/mc_tlsrpt.h"
#include "proto/mc_https.h"
#include "proto/mc_smtp.h"
#include "util/mc_buf.h"
#include "util/mc_clock.h"
#include "util/mc_str.h"

#define MAX_HOSTS 16
#define MAX_ADDRS 32
#define MAX_ZONES 32
#define MAX_EXPECT 16
#define MAX_NS 13
#define MAX_NS_ADDRS 26
#define MAX_PTR 4
#define MAX_SRV_TARGETS 4
#define STS_BODY_MAX 65536

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
	OPT_HTTPS_PORT
};

/* --dnsbl-default: widely used IP blocklists that answer every querier
 * (some only below a query volume; a list that refuses or rate-limits
 * answers 127.255.255.x and is then UNKNOWN, never a listing). */
static const char *const default_zones[] = {
    "zen.spamhaus.org", "bl.spamcop.net",         "b.barracudacentral.org", "psbl.surriel.com",
    "bl.mailspike.net", "dnsbl-1.uceprotect.net", "ix.dnsbl.manitu.net",    "dnsbl.dronebl.org",
};
#define NDEFAULT_ZONES (sizeof(default_zones) / sizeof(default_zones[0]))

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
    {"ca-file", MC_CHECK_OPT_CA_FILE, required_argument, "FILE",
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
	const char *zones[MAX_ZONES];
	size_t nzones;
	bool dnsbl_default;
	unsigned ns_port, smtp_port, https_port;
} mx_config_t;

/* ---- the run ---- */

enum kind {
	K_MX,
	K_NS,
	K_NS_ADDR,
	K_NS_SOA,
	K_HOST_ADDR,
	K_TLSA,
	K_PTR,
	K_FWD,
	K_BL_TEST,
	K_BL,
	K_BL_TXT,
	K_STS_TXT,
	K_TLSRPT,
	K_SRV,
	K_SRV_ADDR
};

/* Phases for perfdata: the first question to the last answer of each. */
enum phase { P_MX, P_ADDR, P_PTR, P_NS, P_DNSBL, P_STS, P_DANE, P_SRV, P_SMTP, NPHASES };
static const char *const phase_perf[NPHASES] = {"time_mx",   "time_addr",  "time_ptr",
                                                "time_ns",   "time_dnsbl", "time_mta_sts",
                                                "time_dane", "time_srv",   "time_smtp"};

typedef struct run run_t;

/* One question: where its answer goes and what follows from it. */
typedef struct slot {
	run_t *r;
	uint8_t kind;
	uint16_t i, j;
	bool asked, unaskable;
	const mc_dns_answer_t *ans;
} slot_t;

typedef struct host {
	char name[256];
	uint16_t pref;
	bool literal; /* the MX names an address */
	slot_t a, aaaa, tlsa;
} host_t;

typedef struct maddr {
	run_t *r;
	mc_addr_t addr;
	char text[MC_ADDR_STRLEN];
	unsigned host;
	slot_t ptr;
	slot_t fwd[MAX_PTR];
	slot_t bl[MAX_ZONES], bltxt[MAX_ZONES];
	mc_session_t *probe;
	mc_smtp_result_t probe_res;
	bool probe_done;
} maddr_t;

typedef struct nsname {
	char name[256];
	slot_t a, aaaa;
} nsname_t;

typedef struct nsaddr {
	mc_addr_t addr;
	char text[MC_ADDR_STRLEN];
	unsigned ns;
	const char *name; /* of ns */
	mc_dns_t *dns;    /* asks this server only, without recursion */
	slot_t soa;
} nsaddr_t;

struct run {
	const mx_config_t *cfg;
	const mc_check_config_t *cc;
	mc_check_env_t env;
	int64_t pstart[NPHASES], pend[NPHASES];
	slot_t mx, ns, ns_apex;
	char zone[256]; /* the zone the domain is in */
	bool implicit;  /* no MX: the domain itself (--allow-implicit-mx) */
	host_t hosts[MAX_HOSTS];
	size_t nhosts;
	maddr_t addrs[MAX_ADDRS];
	size_t naddrs;
	nsname_t ns_names[MAX_NS];
	size_t nns;
	nsaddr_t ns_addrs[MAX_NS_ADDRS];
	size_t nns_addrs;
	const char *zones[MAX_ZONES];
	size_t nzones;
	slot_t bl_test2[MAX_ZONES], bl_test1[MAX_ZONES];
	slot_t sts_txt, tlsrpt;
	bool sts_resolved;
	char sts_resolve_error[512];
	char sts_host[300];             /* mta-sts.DOMAIN, for the session's life */
	mc_addr_t sts_addrs[MAX_ADDRS]; /* its addresses, likewise */
	mc_session_t *https;
	mc_https_result_t https_res;
	bool https_started, https_done;
	slot_t srv[6];
	slot_t srv_addr[6][MAX_SRV_TARGETS][2];
	unsigned unanswered; /* filled at the end */
};

static const char *const srv_names[6] = {"_submissions._tcp", "_submission._tcp", "_imaps._tcp",
                                         "_imap._tcp",        "_pop3s._tcp",      "_pop3._tcp"};

static void on_answer(void *arg, const mc_dns_answer_t *ans);

static enum phase phase_of(int kind)
{
	switch (kind) {
	case K_MX: return P_MX;
	case K_HOST_ADDR: return P_ADDR;
	case K_PTR:
	case K_FWD: return P_PTR;
	case K_NS:
	case K_NS_ADDR:
	case K_NS_SOA: return P_NS;
	case K_TLSA: return P_DANE;
	case K_BL_TEST:
	case K_BL:
	case K_BL_TXT: return P_DNSBL;
	case K_STS_TXT:
	case K_TLSRPT: return P_STS;
	default: return P_SRV;
	}
}

static void phase_mark(run_t *r, enum phase p, bool start)
{
	int64_t now = mc_clock_now_us();

	if (start && !r->pstart[p])
		r->pstart[p] = now;
	if (!start)
		r->pend[p] = now;
}

static void ask(run_t *r, slot_t *s, int kind, unsigned i, unsigned j, mc_dns_t *dns,
                const char *name, uint16_t type)
{
	s->r = r;
	s->kind = (uint8_t)kind;
	s->i = (uint16_t)i;
	s->j = (uint16_t)j;
	s->asked = true;
	phase_mark(r, phase_of(kind), true);
	/* A name made too long by its prefix cannot be asked (nor exist). */
	s->unaskable = mc_dns_query(dns ? dns : r->env.dns, name, type, on_answer, s) != MC_OK;
}

static bool answered(const slot_t *s, mc_dns_outcome_t o)
{
	return s->ans && s->ans->outcome == o;
}

/* "1.2.0.192.zone" / nibbles for an address below a blocklist zone. */
static void start_address(run_t *r, maddr_t *a);

static void add_address(run_t *r, unsigned host, const mc_addr_t *addr)
{
	maddr_t *a;
	size_t k;

	for (k = 0; k < r->naddrs; k++)
		if (r->addrs[k].addr.len == addr->len &&
		    !memcmp(&r->addrs[k].addr.ss, &addr->ss, addr->len))
			return;
	if (r->naddrs == MAX_ADDRS)
		return;
	a = &r->addrs[r->naddrs++];
	a->r = r;
	a->addr = *addr;
	a->host = host;
	mc_addr_str(addr, a->text, sizeof(a->text));
	start_address(r, a);
}

static void on_probe_done(void *arg)
{
	maddr_t *a = arg;

	a->probe_done = true;
	a->probe = NULL;
	phase_mark(a->r, P_SMTP, false);
}

static void start_address(run_t *r, maddr_t *a)
{
	unsigned idx = (unsigned)(a - r->addrs);
	char name[300];
	size_t z;

	if (mc_dns_reverse_name(&a->addr, NULL, name, sizeof(name)) == MC_OK)
		ask(r, &a->ptr, K_PTR, idx, 0, NULL, name, MC_DNS_T_PTR);
	for (z = 0; z < r->nzones; z++)
		if (mc_dns_reverse_name(&a->addr, r->zones[z], name, sizeof(name)) == MC_OK)
			ask(r, &a->bl[z], K_BL, idx, (unsigned)z, NULL, name, MC_DNS_T_A);
	if (r->cfg->smtp_probe) {
		mc_smtp_params_t p;
		memset(&p, 0, sizeof(p));
		p.session.loop = r->env.loop;
		p.session.tls = r->env.tls;
		p.session.addrs = &a->addr;
		p.session.naddrs = 1;
		p.session.verbose = r->cc->verbose;
		p.banner_only = true;
		if (mc_addr_family(&a->addr) == AF_INET)
			((struct sockaddr_in *)&a->addr.ss)->sin_port =
			    htons((uint16_t)r->cfg->smtp_port);
		else
			((struct sockaddr_in6 *)&a->addr.ss)->sin6_port =
			    htons((uint16_t)r->cfg->smtp_port);
		phase_mark(r, P_SMTP, true);
		a->probe = mc_smtp_start(&p, &a->probe_res, on_probe_done, a);
		if (!a->probe) {
			a->probe_done = true;
			a->probe_res.base.status = MC_E_NOMEM;
			mc_strlcpy(a->probe_res.base.error, "out of memory",
			           sizeof(a->probe_res.base.error));
		}
	}
}

static void add_host(run_t *r, const char *name, uint16_t pref)
{
	host_t *h;
	mc_addr_t lit;
	unsigned i;
	char tlsa[300];

	for (i = 0; i < r->nhosts; i++)
		if (mc_dns_name_eq(r->hosts[i].name, name))
			return;
	if (r->nhosts == MAX_HOSTS)
		return;
	i = (unsigned)r->nhosts++;
	h = &r->hosts[i];
	mc_strlcpy(h->name, name, sizeof(h->name));
	h->pref = pref;
	if (mc_addr_parse(name, 0, &lit) == MC_OK) {
		/* RFC 5321 section 5.1 wants a name; some MTAs take it anyway. */
		h->literal = true;
		add_address(r, i, &lit);
		return;
	}
	ask(r, &h->a, K_HOST_ADDR, i, 0, NULL, name, MC_DNS_T_A);
	ask(r, &h->aaaa, K_HOST_ADDR, i, 1, NULL, name, MC_DNS_T_AAAA);
	if (r->cfg->dane && !r->implicit) {
		snprintf(tlsa, sizeof(tlsa), "_25._tcp.%s", name);
		ask(r, &h->tlsa, K_TLSA, i, 0, NULL, tlsa, MC_DNS_T_TLSA);
	}
}

static void on_mx(run_t *r, const mc_dns_answer_t *ans)
{
	const mc_dns_rr_t *sorted[MC_DNS_MAX_RRS];
	bool null_mx;
	size_t k, n;

	if (ans->outcome == MC_DNS_ANSWER) {
		/* RFC 7505 section 3: a null MX is the only MX; then no host.
		 * RFC 5321 section 5.1: senders try the lowest preference
		 * first; report in that order, not the resolver's. */
		n = mc_mx_sorted(ans, sorted, MC_DNS_MAX_RRS, &null_mx);
		for (k = 0; k < n; k++)
			add_host(r, sorted[k]->name, sorted[k]->pref);
	} else if (ans->outcome == MC_DNS_NODATA && r->cfg->implicit_mx) {
		r->implicit = true;
		add_host(r, r->cfg->domain, 0);
	}
}

static void on_host_addr(run_t *r, slot_t *s, const mc_dns_answer_t *ans)
{
	size_t k;

	for (k = 0; k < ans->n; k++) {
		mc_addr_t a;
		memset(&a, 0, sizeof(a));
		if (ans->rrs[k]->type == MC_DNS_T_A) {
			struct sockaddr_in *in = (struct sockaddr_in *)&a.ss;
			in->sin_family = AF_INET;
			memcpy(&in->sin_addr, ans->rrs[k]->addr, 4);
			a.len = sizeof(*in);
		} else {
			struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a.ss;
			in6->sin6_family = AF_INET6;
			memcpy(&in6->sin6_addr, ans->rrs[k]->addr, 16);
			a.len = sizeof(*in6);
		}
		add_address(r, s->i, &a);
	}
}

static void on_ptr(run_t *r, slot_t *s, const mc_dns_answer_t *ans)
{
	maddr_t *a = &r->addrs[s->i];
	size_t k;

	for (k = 0; k < ans->n && k < MAX_PTR; k++)
		ask(r, &a->fwd[k], K_FWD, s->i, (unsigned)k, NULL, ans->rrs[k]->name,
		    mc_addr_family(&a->addr) == AF_INET ? MC_DNS_T_A : MC_DNS_T_AAAA);
}

/* A blocklist verdict (policy/mc_dnsbl) as one letter: 'l'isted, 'n'ot
 * listed, 'e'rror code, 'o'utside 127.0.0.0/8, 'f'ailed query. */
static char bl_verdict(const mc_dns_answer_t *ans, char *code, size_t codesz)
{
	return "lneof"[mc_dnsbl_verdict(ans, code, codesz)];
}

static void on_bl(run_t *r, slot_t *s, const mc_dns_answer_t *ans)
{
	char code[INET_ADDRSTRLEN];

	if (bl_verdict(ans, code, sizeof(code)) == 'l')
		ask(r, &r->addrs[s->i].bltxt[s->j], K_BL_TXT, s->i, s->j, NULL, ans->name,
		    MC_DNS_T_TXT);
}

static void on_ns(run_t *r, const mc_dns_answer_t *ans, bool apex)
{
	size_t k;

	if (ans->outcome == MC_DNS_NODATA && !apex && ans->msg) {
		/* Not a zone apex: the SOA in the authority section names the
		 * zone (RFC 2308 section 2.2); its nameservers serve the domain. */
		for (k = 0; k < ans->msg->nns; k++)
			if (ans->msg->ns[k].type == MC_DNS_T_SOA &&
			    !mc_dns_name_eq(ans->msg->ns[k].owner, r->cfg->domain)) {
				mc_strlcpy(r->zone, ans->msg->ns[k].owner, sizeof(r->zone));
				ask(r, &r->ns_apex, K_NS, 1, 0, NULL, r->zone, MC_DNS_T_NS);
				return;
			}
		return;
	}
	for (k = 0; k < ans->n && r->nns < MAX_NS; k++) {
		nsname_t *n = &r->ns_names[r->nns];
		mc_strlcpy(n->name, ans->rrs[k]->name, sizeof(n->name));
		ask(r, &n->a, K_NS_ADDR, (unsigned)r->nns, 0, NULL, n->name, MC_DNS_T_A);
		ask(r, &n->aaaa, K_NS_ADDR, (unsigned)r->nns, 1, NULL, n->name, MC_DNS_T_AAAA);
		r->nns++;
	}
}

static void on_ns_addr(run_t *r, slot_t *s, const mc_dns_answer_t *ans)
{
	size_t k;

	for (k = 0; k < ans->n && r->nns_addrs < MAX_NS_ADDRS; k++) {
		nsaddr_t *na = &r->ns_addrs[r->nns_addrs];
		mc_dns_params_t p;
		char text[MC_ADDR_STRLEN + 10];
		char err[256];
		memset(&p, 0, sizeof(p));
		memset(na, 0, sizeof(*na));
		inet_ntop(s->j ? AF_INET6 : AF_INET, ans->rrs[k]->addr, na->text, sizeof(na->text));
		snprintf(text, sizeof(text), s->j ? "[%s]:%u" : "%s:%u", na->text, r->cfg->ns_port);
		p.servers[0] = text;
		p.nservers = 1;
		p.deadline_ms = (long)(r->cc->timeout * 1000);
		p.no_recursion = true;
		p.verbose = r->cc->verbose;
		na->ns = s->i;
		na->name = r->ns_names[s->i].name;
		if (mc_dns_new(r->env.loop, &p, &na->dns, err, sizeof(err)) != MC_OK)
			continue;
		r->nns_addrs++;
		ask(r, &na->soa, K_NS_SOA, (unsigned)(r->nns_addrs - 1), 0, na->dns, r->zone,
		    MC_DNS_T_SOA);
	}
}

static void on_srv(run_t *r, slot_t *s, const mc_dns_answer_t *ans)
{
	size_t k;

	for (k = 0; k < ans->n && k < MAX_SRV_TARGETS; k++) {
		const char *t = ans->rrs[k]->name;
		if (!strcmp(t, "."))
			continue; /* RFC 2782: the service is not offered */
		ask(r, &r->srv_addr[s->i][k][0], K_SRV_ADDR, s->i, (unsigned)k, NULL, t,
		    MC_DNS_T_A);
		ask(r, &r->srv_addr[s->i][k][1], K_SRV_ADDR, s->i, (unsigned)k, NULL, t,
		    MC_DNS_T_AAAA);
	}
}

static void on_answer(void *arg, const mc_dns_answer_t *ans)
{
	slot_t *s = arg;
	run_t *r = s->r;

	s->ans = ans;
	phase_mark(r, phase_of(s->kind), false);
	switch (s->kind) {
	case K_MX: on_mx(r, ans); break;
	case K_NS: on_ns(r, ans, s->i == 1); break;
	case K_NS_ADDR: on_ns_addr(r, s, ans); break;
	case K_HOST_ADDR: on_host_addr(r, s, ans); break;
	case K_PTR: on_ptr(r, s, ans); break;
	case K_BL: on_bl(r, s, ans); break;
	case K_SRV: on_srv(r, s, ans); break;
	default: break;
	}
}

/* ---- MTA-STS policy fetch ---- */

static void on_https_done(void *arg)
{
	run_t *r = arg;

	r->https = NULL;
	r->https_done = true;
	phase_mark(r, P_STS, false);
}

static void on_sts_resolved(void *arg, mc_status_t st, const mc_addr_t *addrs, size_t n,
                            const char *err)
{
	run_t *r = arg;
	mc_https_params_t p;
	const char *host = r->sts_host;

	r->sts_resolved = true;
	phase_mark(r, P_STS, false);
	if (st != MC_OK) {
		mc_strlcpy(r->sts_resolve_error, err, sizeof(r->sts_resolve_error));
		return;
	}
	/* The session keeps pointers to both until it ends. */
	n = n < MAX_ADDRS ? n : MAX_ADDRS;
	memcpy(r->sts_addrs, addrs, n * sizeof(*addrs));
	memset(&p, 0, sizeof(p));
	p.session.loop = r->env.loop;
	p.session.tls = r->env.tls;
	/* RFC 8461 section 3.3: the certificate must be valid for the
	 * policy host, verified like any HTTPS host. */
	p.session.tlsp.sni = host;
	p.session.tlsp.cert_name = host;
	p.session.tlsp.verify = MC_TLS_VERIFY_FULL;
	p.session.addrs = r->sts_addrs;
	p.session.naddrs = n;
	p.session.verbose = r->cc->verbose;
	p.host = host;
	p.path = "/.well-known/mta-sts.txt";
	p.body_max = STS_BODY_MAX;
	phase_mark(r, P_STS, true);
	r->https_started = true;
	r->https = mc_https_get(&p, &r->https_res, on_https_done, r);
	if (!r->https) {
		r->https_done = true;
		r->https_res.base.status = MC_E_NOMEM;
		mc_strlcpy(r->https_res.base.error, "out of memory",
		           sizeof(r->https_res.base.error));
	}
}

static void *begin(const void *pcfg, const mc_check_config_t *cc, const mc_check_env_t *env)
{
	const mx_config_t *c = pcfg;
	run_t *r = calloc(1, sizeof(*r));
	char name[300];
	size_t z, k;

	if (!r)
		return NULL;
	r->cfg = c;
	r->cc = cc;
	r->env = *env;
	mc_strlcpy(r->zone, c->domain, sizeof(r->zone));
	for (z = 0; z < c->nzones; z++)
		r->zones[r->nzones++] = c->zones[z];
	for (z = 0; c->dnsbl_default && z < NDEFAULT_ZONES && r->nzones < MAX_ZONES; z++) {
		for (k = 0; k < r->nzones && strcasecmp(r->zones[k], default_zones[z]); k++)
			;
		if (k == r->nzones)
			r->zones[r->nzones++] = default_zones[z];
	}
	ask(r, &r->mx, K_MX, 0, 0, NULL, c->domain, MC_DNS_T_MX);
	ask(r, &r->ns, K_NS, 0, 0, NULL, c->domain, MC_DNS_T_NS);
	/* RFC 5782 section 5: 127.0.0.2 must be listed, 127.0.0.1 not. */
	for (z = 0; z < r->nzones; z++) {
		snprintf(name, sizeof(name), "2.0.0.127.%s", r->zones[z]);
		ask(r, &r->bl_test2[z], K_BL_TEST, (unsigned)z, 2, NULL, name, MC_DNS_T_A);
		snprintf(name, sizeof(name), "1.0.0.127.%s", r->zones[z]);
		ask(r, &r->bl_test1[z], K_BL_TEST, (unsigned)z, 1, NULL, name, MC_DNS_T_A);
	}
	if (c->mta_sts) {
		snprintf(name, sizeof(name), "_mta-sts.%s", c->domain);
		ask(r, &r->sts_txt, K_STS_TXT, 0, 0, NULL, name, MC_DNS_T_TXT);
		snprintf(r->sts_host, sizeof(r->sts_host), "mta-sts.%s", c->domain);
		phase_mark(r, P_STS, true);
		if (mc_dns_resolve(env->dns, r->sts_host, AF_UNSPEC, c->https_port, on_sts_resolved,
		                   r) != MC_OK) {
			r->sts_resolved = true;
			mc_strlcpy(r->sts_resolve_error, "out of memory",
			           sizeof(r->sts_resolve_error));
		}
	}
	if (c->mta_sts || c->dane) {
		snprintf(name, sizeof(name), "_smtp._tls.%s", c->domain);
		ask(r, &r->tlsrpt, K_TLSRPT, 0, 0, NULL, name, MC_DNS_T_TXT);
	}
	for (k = 0; c->srv && k < 6; k++) {
		snprintf(name, sizeof(name), "%s.%s", srv_names[k], c->domain);
		ask(r, &r->srv[k], K_SRV, (unsigned)k, 0, NULL, name, MC_DNS_T_SRV);
	}
	return r;
}

/* ---- the report ---- */

typedef struct report {
	run_t *r;
	mc_result_t *root;
	mc_state_t tstate; /* for questions the deadline cut off */
	char okline[600];
} report_t;

static void ok_part(report_t *rp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void ok_part(report_t *rp, const char *fmt, ...)
{
	size_t used = strlen(rp->okline);
	va_list ap;

	if (used + 3 >= sizeof(rp->okline))
		return;
	if (used)
		used += (size_t)snprintf(rp->okline + used, sizeof(rp->okline) - used, ", ");
	va_start(ap, fmt);
	vsnprintf(rp->okline + used, sizeof(rp->okline) - used, fmt, ap);
	va_end(ap);
}

/* The text of a question that got no answer, or that failed. */
static const char *fail_text(const slot_t *s)
{
	if (s->unaskable)
		return "not asked: the name is longer than DNS allows, or out of memory";
	if (!s->ans)
		return "no answer before the deadline";
	return s->ans->error;
}

static mc_state_t fail_state(const report_t *rp, const slot_t *s)
{
	return s->ans || s->unaskable ? MC_STATE_CRITICAL : rp->tstate;
}

static bool expect_listed(const mx_config_t *c, const char *host)
{
	size_t k;

	for (k = 0; k < c->nexpect; k++)
		if (mc_dns_name_eq(c->expect_mx[k], host))
			return true;
	return false;
}

/* The MX set: returns false when there is no host to go on with. */
static bool report_mx(report_t *rp)
{
	run_t *r = rp->r;
	const mx_config_t *c = r->cfg;
	const mc_dns_answer_t *ans = r->mx.ans;
	mc_buf_t list;
	bool null_mx = false;
	size_t k;

	if (!ans) {
		mc_result_add(rp->root, rp->tstate, "MX %s: no answer before the deadline",
		              c->domain);
		return false;
	}
	if (ans->outcome == MC_DNS_NXDOMAIN) {
		mc_result_add(rp->root, MC_STATE_CRITICAL, "%s does not exist (NXDOMAIN)",
		              c->domain);
		return false;
	}
	if (ans->outcome != MC_DNS_ANSWER && ans->outcome != MC_DNS_NODATA) {
		mc_result_add(rp->root, MC_STATE_CRITICAL, "%s", ans->error);
		return false;
	}
	mc_mx_sorted(ans, NULL, 0, &null_mx);
	if (null_mx) {
		if (ans->n > 1)
			mc_result_add(rp->root, MC_STATE_CRITICAL,
			              "MX: a null MX among %zu MX records (RFC 7505 section 3: it "
			              "must be the only one)",
			              ans->n);
		else if (c->expect_null)
			mc_result_add(rp->root, MC_STATE_OK,
			              "MX: null MX, the domain accepts no mail (RFC 7505), as "
			              "expected");
		else
			mc_result_add(rp->root, MC_STATE_CRITICAL,
			              "MX: null MX, the domain accepts no mail (RFC 7505)");
		ok_part(rp, "null MX");
		return false;
	}
	if (c->expect_null)
		mc_result_add(rp->root, MC_STATE_CRITICAL, "MX: expected a null MX, found %s",
		              ans->n ? "MX hosts" : "no MX record");
	if (ans->n == 0) {
		if (!r->implicit) {
			mc_result_add(rp->root, MC_STATE_CRITICAL,
			              "MX: %s has no MX record (use --allow-implicit-mx to accept "
			              "its address, RFC 5321 section 5.1)",
			              c->domain);
			return false;
		}
		mc_result_add(rp->root, MC_STATE_OK,
		              "MX: none; implicit MX, the domain's own address (RFC 5321 section "
		              "5.1)");
	} else {
		mc_buf_init(&list, 1024);
		for (k = 0; k < r->nhosts; k++)
			(void)mc_buf_printf(&list, "%s%u %s", k ? ", " : "", r->hosts[k].pref,
			                    r->hosts[k].name);
		mc_result_add(rp->root, MC_STATE_OK, "MX: %s%s", mc_buf_cstr(&list),
		              ans->ad ? " (DNSSEC validated)" : "");
		mc_buf_free(&list);
	}
	for (k = 0; k < c->nexpect; k++) {
		size_t h;
		for (h = 0; h < r->nhosts && !mc_dns_name_eq(r->hosts[h].name, c->expect_mx[k]);
		     h++)
			;
		if (h == r->nhosts)
			mc_result_add(rp->root, MC_STATE_CRITICAL, "MX: expected %s, not listed",
			              c->expect_mx[k]);
	}
	for (k = 0; c->nexpect && k < r->nhosts; k++)
		if (!expect_listed(c, r->hosts[k].name))
			mc_result_add(rp->root, MC_STATE_WARNING, "MX: %s is not an expected MX",
			              r->hosts[k].name);
	if (c->min_mx > 0 && (long)r->nhosts < c->min_mx)
		mc_result_add(rp->root, MC_STATE_WARNING,
		              "MX: %zu MX host%s, fewer than --min-mx %ld", r->nhosts,
		              r->nhosts == 1 ? "" : "s", c->min_mx);
	if (c->dnssec)
		mc_result_add(rp->root, ans->ad ? MC_STATE_OK : MC_STATE_CRITICAL,
		              ans->ad ? "DNSSEC: the MX answer is validated (AD)"
		                      : "DNSSEC: the MX answer is not validated (no AD flag from "
		                        "the resolver)");
	return r->nhosts > 0;
}

/* The PTR names of an address, and whether one resolves back to it. */
static void report_ptr(report_t *rp, const maddr_t *a, mc_result_t *node, char *ptrtext,
                       size_t ptrsz)
{
	const mc_dns_answer_t *ans = a->ptr.ans;
	size_t k, j;

	ptrtext[0] = '\0';
	if (!a->ptr.asked)
		return;
	if (!ans) {
		mc_result_add(node, rp->tstate, "%s: PTR: no answer before the deadline", a->text);
		return;
	}
	if (ans->outcome == MC_DNS_NXDOMAIN || ans->outcome == MC_DNS_NODATA) {
		mc_result_add(node, MC_STATE_WARNING, "%s: no PTR record", a->text);
		return;
	}
	if (ans->outcome != MC_DNS_ANSWER) {
		mc_result_add(node, MC_STATE_WARNING, "%s: %s", a->text, ans->error);
		return;
	}
	for (k = 0; k < ans->n && k < MAX_PTR; k++) {
		const mc_dns_answer_t *f = a->fwd[k].ans;
		bool confirmed = false;
		for (j = 0; f && j < f->n; j++) {
			size_t alen = mc_addr_family(&a->addr) == AF_INET ? 4 : 16;
			const void *mine =
			    alen == 4
			        ? (const void *)&((const struct sockaddr_in *)&a->addr.ss)->sin_addr
			        : (const void *)&((const struct sockaddr_in6 *)&a->addr.ss)
			              ->sin6_addr;
			confirmed |= !memcmp(f->rrs[j]->addr, mine, alen);
		}
		if (confirmed) {
			mc_strlcpy(ptrtext, ans->rrs[k]->name, ptrsz);
			return;
		}
	}
	if (!a->fwd[0].ans)
		mc_result_add(node, rp->tstate,
		              "%s: PTR %s: forward lookup unanswered before the deadline", a->text,
		              ans->rrs[0]->name);
	else
		mc_result_add(node, MC_STATE_WARNING,
		              "%s: PTR %s does not resolve back to %s (not forward-confirmed)",
		              a->text, ans->rrs[0]->name, a->text);
	snprintf(ptrtext, ptrsz, "%s, unconfirmed", ans->rrs[0]->name);
}

static void report_hosts(report_t *rp)
{
	run_t *r = rp->r;
	size_t h, k, resolvable = 0;

	for (h = 0; h < r->nhosts; h++) {
		const host_t *ho = &r->hosts[h];
		mc_result_t *node = mc_result_add(rp->root, MC_STATE_OK, "%s", ho->name);
		mc_buf_t list;
		bool v4 = false, v6 = false;
		const char *cname = NULL;
		if (!node)
			continue;
		if (ho->literal)
			mc_result_add(
			    node, MC_STATE_WARNING,
			    "MX %s is an address literal, not a host name (RFC 5321 section "
			    "5.1)",
			    ho->name);
		if (ho->a.ans && ho->a.ans->canonical)
			cname = ho->a.ans->canonical;
		if (!cname && ho->aaaa.ans && ho->aaaa.ans->canonical)
			cname = ho->aaaa.ans->canonical;
		if (cname && !r->implicit)
			mc_result_add(
			    node, MC_STATE_WARNING,
			    "MX %s is an alias (CNAME to %s), which RFC 2181 section 10.3 "
			    "forbids",
			    ho->name, cname);
		mc_buf_init(&list, 2048);
		for (k = 0; k < r->naddrs; k++) {
			const maddr_t *a = &r->addrs[k];
			char ptr[300];
			if (a->host != h)
				continue;
			if (mc_addr_family(&a->addr) == AF_INET)
				v4 = true;
			else
				v6 = true;
			report_ptr(rp, a, node, ptr, sizeof(ptr));
			(void)mc_buf_printf(&list, "%s%s%s%s%s", list.len ? ", " : "", a->text,
			                    ptr[0] ? " (PTR " : "", ptr, ptr[0] ? ")" : "");
		}
		if (!ho->literal) {
			const slot_t *fail = NULL;
			if (!answered(&ho->a, MC_DNS_ANSWER) && !answered(&ho->a, MC_DNS_NODATA) &&
			    !answered(&ho->a, MC_DNS_NXDOMAIN))
				fail = &ho->a;
			else if (!answered(&ho->aaaa, MC_DNS_ANSWER) &&
			         !answered(&ho->aaaa, MC_DNS_NODATA) &&
			         !answered(&ho->aaaa, MC_DNS_NXDOMAIN))
				fail = &ho->aaaa;
			if (!v4 && !v6)
				mc_result_add(node, fail ? fail_state(rp, fail) : MC_STATE_CRITICAL,
				              "%s: %s", ho->name,
				              fail ? fail_text(fail)
				              : answered(&ho->a, MC_DNS_NXDOMAIN)
				                  ? "no such host (NXDOMAIN)"
				                  : "no A and no AAAA record");
			else if (fail)
				mc_result_add(node, fail_state(rp, fail), "%s", fail_text(fail));
			if (r->cfg->require_ipv6 && !v6 && v4)
				mc_result_add(node, MC_STATE_WARNING,
				              "%s has no AAAA record (--require-ipv6)", ho->name);
		}
		if (v4 || v6)
			resolvable++;
		mc_result_set(node, MC_STATE_OK, "%s%s: %s", ho->name,
		              r->implicit ? " (implicit MX)" : "",
		              list.len ? mc_buf_cstr(&list) : "no address");
		mc_buf_free(&list);
	}
	if (r->nhosts > 1 && resolvable == 0)
		mc_result_add(rp->root, MC_STATE_CRITICAL,
		              "no MX host has an address: mail to %s cannot be delivered",
		              r->cfg->domain);
	ok_part(rp, "%zu MX, %zu address%s", r->nhosts, r->naddrs, r->naddrs == 1 ? "" : "es");
}

static int by_server(const void *a, const void *b)
{
	const nsaddr_t *x = *(const nsaddr_t *const *)a, *y = *(const nsaddr_t *const *)b;
	int c = strcasecmp(x->name, y->name);

	return c ? c : strcmp(x->text, y->text);
}

static void report_ns(report_t *rp)
{
	run_t *r = rp->r;
	const slot_t *s = r->ns_apex.asked ? &r->ns_apex : &r->ns;
	mc_result_t *node;
	mc_buf_t list;
	size_t k, usable = 0;
	uint32_t serial = 0;
	bool differ = false;
	const nsaddr_t *order[MAX_NS_ADDRS];

	if (!s->ans || s->ans->outcome != MC_DNS_ANSWER) {
		/* NXDOMAIN is the MX line's to report. */
		if (!answered(&r->ns, MC_DNS_NXDOMAIN))
			mc_result_add(rp->root, s->ans ? MC_STATE_CRITICAL : rp->tstate,
			              "nameservers: %s",
			              s->ans ? s->ans->error : "NS: no answer before the deadline");
		return;
	}
	node = mc_result_add(rp->root, MC_STATE_OK, "nameservers");
	if (!node)
		return;
	/* Answers arrive in any order; the report is stable. */
	for (k = 0; k < r->nns_addrs; k++)
		order[k] = &r->ns_addrs[k];
	qsort(order, r->nns_addrs, sizeof(order[0]), by_server);
	mc_buf_init(&list, 2048);
	for (k = 0; k < r->nns_addrs; k++) {
		const nsaddr_t *na = order[k];
		const mc_dns_answer_t *a = na->soa.ans;
		const char *name = na->name;
		if (!a) {
			mc_result_add(node, rp->tstate, "%s (%s): no answer before the deadline",
			              name, na->text);
		} else if (a->outcome != MC_DNS_ANSWER) {
			mc_result_add(node, MC_STATE_WARNING, "%s (%s): %s", name, na->text,
			              a->outcome == MC_DNS_TIMEOUT ? "unreachable, no answer"
			                                           : a->error);
		} else if (!a->aa) {
			mc_result_add(node, MC_STATE_WARNING,
			              "%s (%s): not authoritative for %s (lame delegation)", name,
			              na->text, r->zone);
		} else {
			uint32_t sn = a->rrs[0]->serial;
			if (usable && sn != serial)
				differ = true;
			serial = sn;
			usable++;
			(void)mc_buf_printf(&list, "%s%s (%s) serial %u", list.len ? ", " : "",
			                    name, na->text, sn);
		}
	}
	for (k = 0; k < r->nns; k++) {
		const nsname_t *n = &r->ns_names[k];
		if (!answered(&n->a, MC_DNS_ANSWER) && !answered(&n->aaaa, MC_DNS_ANSWER))
			mc_result_add(node, n->a.ans && n->aaaa.ans ? MC_STATE_WARNING : rp->tstate,
			              "%s: no address%s", n->name,
			              n->a.ans && n->aaaa.ans ? "" : " before the deadline");
	}
	if (r->nns < 2)
		mc_result_add(node, MC_STATE_WARNING,
		              "only %zu nameserver for %s (RFC 1034 section 4.1 wants at least 2)",
		              r->nns, r->zone);
	if (differ)
		mc_result_add(node, MC_STATE_WARNING, "SOA serials differ: %s", mc_buf_cstr(&list));
	if (!usable && r->nns_addrs)
		mc_result_add(node, MC_STATE_CRITICAL,
		              "no nameserver of %s answers authoritatively", r->zone);
	mc_result_set(node, MC_STATE_OK, "nameservers of %s: %s", r->zone,
	              usable ? mc_buf_cstr(&list) : "none usable");
	mc_buf_free(&list);
	if (usable && !differ)
		ok_part(rp, "%zu nameservers agree (serial %u)", r->nns, serial);
	mc_result_perf(rp->root, "ns_count", (double)r->nns, "", NULL);
}

/* RFC 5782 section 2.1: list answers are in 127.0.0.0/8;
 * 127.255.255.0/24 are the lists' error codes (refused, rate-limited). */
static void bl_untrusted(report_t *rp, const char *zone, char v, const char *code)
{
	if (v == 'e')
		mc_result_add(rp->root, MC_STATE_UNKNOWN,
		              "blocklist %s: answers %s, a list error code (queries refused or "
		              "rate-limited), not trusted this run",
		              zone, code);
	else
		mc_result_add(rp->root, MC_STATE_UNKNOWN,
		              "blocklist %s: answers %s, outside 127.0.0.0/8, not trusted this run",
		              zone, code);
}

/* One blocklist zone: its self-test, then every address. */
static void report_zone(report_t *rp, size_t z, size_t *listed, size_t *checked, size_t *okzones)
{
	run_t *r = rp->r;
	const char *zone = r->zones[z];
	const slot_t *t2 = &r->bl_test2[z], *t1 = &r->bl_test1[z];
	char code[INET_ADDRSTRLEN], v;
	size_t k, nlisted = 0;

	if (!t2->ans || !t1->ans) {
		mc_result_add(rp->root, rp->tstate,
		              "blocklist %s: self-test unanswered before the deadline", zone);
		return;
	}
	v = bl_verdict(t2->ans, code, sizeof(code));
	if (v != 'l') {
		if (v == 'f')
			mc_result_add(rp->root, MC_STATE_UNKNOWN,
			              "blocklist %s: self-test failed: %s", zone, t2->ans->error);
		else if (v == 'n')
			mc_result_add(
			    rp->root, MC_STATE_UNKNOWN,
			    "blocklist %s: self-test failed: 127.0.0.2 is not listed (RFC "
			    "5782 section 5), not trusted this run",
			    zone);
		else
			bl_untrusted(rp, zone, v, code);
		return;
	}
	v = bl_verdict(t1->ans, code, sizeof(code));
	if (v != 'n') {
		mc_result_add(rp->root, MC_STATE_UNKNOWN,
		              v == 'f' ? "blocklist %s: self-test failed: %s"
		                       : "blocklist %s: self-test failed: 127.0.0.1 is listed (%s; "
		                         "RFC 5782 section 5), not trusted this run",
		              zone, v == 'f' ? t1->ans->error : code);
		return;
	}
	/* Every answer is judged before any listing counts. */
	for (k = 0; k < r->naddrs; k++) {
		const slot_t *s = &r->addrs[k].bl[z];
		if (!s->asked)
			continue;
		if (!s->ans) {
			mc_result_add(rp->root, rp->tstate,
			              "blocklist %s: no answer before the deadline for %s", zone,
			              r->addrs[k].text);
			return;
		}
		v = bl_verdict(s->ans, code, sizeof(code));
		if (v == 'f')
			mc_result_add(rp->root, MC_STATE_UNKNOWN, "blocklist %s: %s", zone,
			              s->ans->error);
		else if (v == 'e' || v == 'o')
			bl_untrusted(rp, zone, v, code);
		if (v == 'f' || v == 'e' || v == 'o')
			return;
	}
	for (k = 0; k < r->naddrs; k++) {
		const maddr_t *a = &r->addrs[k];
		const mc_dns_answer_t *txt = a->bltxt[z].ans;
		char reason[300];
		if (!a->bl[z].asked)
			continue;
		(*checked)++;
		if (bl_verdict(a->bl[z].ans, code, sizeof(code)) != 'l')
			continue;
		nlisted++;
		if (txt && txt->n)
			mc_str_sanitize(reason, sizeof(reason), (const char *)txt->rrs[0]->data,
			                txt->rrs[0]->len);
		else
			mc_strlcpy(reason, "no TXT reason", sizeof(reason));
		mc_result_add(rp->root, MC_STATE_CRITICAL, "%s (%s) is listed in %s (%s): %s",
		              a->text, r->hosts[a->host].name, zone, code, reason);
	}
	*listed += nlisted;
	if (!nlisted)
		(*okzones)++;
	if (!nlisted && rp->r->cc->verbose)
		mc_result_add(rp->root, MC_STATE_OK, "blocklist %s: no address listed", zone);
}

static void report_dnsbl(report_t *rp)
{
	run_t *r = rp->r;
	size_t z, listed = 0, checked = 0, okzones = 0;

	if (!r->nzones)
		return;
	for (z = 0; z < r->nzones; z++)
		report_zone(rp, z, &listed, &checked, &okzones);
	if (okzones == r->nzones)
		mc_result_add(rp->root, MC_STATE_OK,
		              "blocklists: %zu address%s not listed in %zu zone%s", r->naddrs,
		              r->naddrs == 1 ? "" : "es", r->nzones, r->nzones == 1 ? "" : "s");
	if (!listed)
		ok_part(rp, "not listed in %zu of %zu blocklists", okzones, r->nzones);
	mc_result_perf(rp->root, "dnsbl_listed", (double)listed, "", NULL);
	mc_result_perf(rp->root, "dnsbl_checked", (double)checked, "", NULL);
}

static void report_tlsrpt(report_t *rp)
{
	run_t *r = rp->r;
	const slot_t *s = &r->tlsrpt;
	const mc_dns_rr_t *rr;
	mc_tlsrpt_record_t rec;
	char err[300];
	size_t n;

	if (!s->asked)
		return;
	if (!s->ans || (s->ans->outcome != MC_DNS_ANSWER && s->ans->outcome != MC_DNS_NODATA &&
	                s->ans->outcome != MC_DNS_NXDOMAIN)) {
		mc_result_add(rp->root, fail_state(rp, s), "TLS-RPT: %s", fail_text(s));
		return;
	}
	n = mc_dns_txt_records(s->ans, "v=TLSRPTv1", &rr);
	if (n == 0) {
		mc_result_add(rp->root, MC_STATE_WARNING,
		              "TLS-RPT: no record at _smtp._tls.%s: TLS failures of %s will go "
		              "unreported (RFC 8460)",
		              r->cfg->domain, r->cfg->mta_sts ? "MTA-STS" : "DANE");
		return;
	}
	if (n > 1) {
		mc_result_add(rp->root, MC_STATE_WARNING,
		              "TLS-RPT: %zu records at _smtp._tls.%s; RFC 8460 section 3 wants one",
		              n, r->cfg->domain);
		return;
	}
	if (mc_tlsrpt_parse((const char *)rr->data, rr->len, &rec, err, sizeof(err)) != MC_OK) {
		mc_result_add(rp->root, MC_STATE_WARNING, "TLS-RPT: invalid record: %s", err);
		return;
	}
	mc_result_add(rp->root, MC_STATE_OK, "TLS-RPT: reports to %s%s", rec.rua[0],
	              rec.nrua > 1 ? " and more" : "");
}

static void report_mta_sts(report_t *rp)
{
	run_t *r = rp->r;
	const slot_t *s = &r->sts_txt;
	const mc_https_result_t *h = &r->https_res;
	const mc_dns_rr_t *rr;
	mc_sts_record_t rec;
	mc_sts_policy_t pol;
	mc_result_t *node;
	mc_state_t mismatch;
	char err[300];
	size_t n, k;

	if (!r->cfg->mta_sts)
		return;
	node = mc_result_add(rp->root, MC_STATE_OK, "MTA-STS");
	if (!node)
		return;
	if (!s->ans || (s->ans->outcome != MC_DNS_ANSWER && s->ans->outcome != MC_DNS_NODATA &&
	                s->ans->outcome != MC_DNS_NXDOMAIN)) {
		mc_result_set(node, fail_state(rp, s), "MTA-STS: %s", fail_text(s));
		return;
	}
	n = mc_dns_txt_records(s->ans, "v=STSv1", &rr);
	if (n == 0) {
		mc_result_set(node, MC_STATE_CRITICAL, "MTA-STS: no v=STSv1 record at _mta-sts.%s",
		              r->cfg->domain);
		return;
	}
	if (n > 1) {
		mc_result_set(node, MC_STATE_CRITICAL,
		              "MTA-STS: %zu records at _mta-sts.%s; RFC 8461 section 3.1 wants "
		              "exactly one",
		              n, r->cfg->domain);
		return;
	}
	if (mc_sts_record_parse((const char *)rr->data, rr->len, &rec, err, sizeof(err)) != MC_OK) {
		mc_result_set(node, MC_STATE_CRITICAL, "MTA-STS: invalid _mta-sts record: %s", err);
		return;
	}
	if (!r->sts_resolved || (r->https_started && !r->https_done)) {
		mc_result_set(
		    node, rp->tstate,
		    "MTA-STS: policy fetch from mta-sts.%s unfinished before the deadline",
		    r->cfg->domain);
		return;
	}
	if (!r->https_started) {
		mc_result_set(node, MC_STATE_CRITICAL, "MTA-STS: policy host: %s",
		              r->sts_resolve_error);
		return;
	}
	if (h->base.status != MC_OK) {
		mc_result_set(node, MC_STATE_CRITICAL, "MTA-STS: policy fetch failed: %s",
		              h->base.error);
		return;
	}
	if (h->reply.status != 200) {
		/* RFC 8461 section 3.3: only 200 counts; redirects are not
		 * followed. */
		mc_result_set(node, MC_STATE_CRITICAL,
		              "MTA-STS: policy fetch answered HTTP %d %s%s%s%s", h->reply.status,
		              h->reply.reason,
		              h->reply.status / 100 == 3 ? " (redirects are not followed, RFC 8461 "
		                                           "section 3.3)"
		                                         : "",
		              h->reply.location[0] ? " to " : "", h->reply.location);
		return;
	}
	if (strcmp(h->reply.content_type, "text/plain"))
		mc_result_add(node, MC_STATE_WARNING,
		              "policy served as '%s', not text/plain (RFC 8461 section 3.2)",
		              h->reply.content_type[0] ? h->reply.content_type : "no media type");
	if (mc_sts_policy_parse(h->reply.body.data ? h->reply.body.data : "", h->reply.body.len,
	                        &pol, err, sizeof(err)) != MC_OK) {
		mc_result_set(node, MC_STATE_CRITICAL, "MTA-STS: invalid policy: %s", err);
		return;
	}
	if (pol.mode != MC_STS_MODE_ENFORCE)
		mc_result_add(node, MC_STATE_WARNING, "mode %s: MTA-STS is not enforced",
		              mc_sts_mode_str(pol.mode));
	if (pol.max_age < 86400)
		mc_result_add(
		    node, MC_STATE_WARNING,
		    "max_age %ld s is under one day (RFC 8461 section 3.2 suggests weeks)",
		    pol.max_age);
	mismatch = pol.mode == MC_STS_MODE_ENFORCE ? MC_STATE_CRITICAL : MC_STATE_WARNING;
	for (k = 0; pol.mode != MC_STS_MODE_NONE && k < r->nhosts; k++)
		if (mc_sts_policy_match(&pol, r->hosts[k].name) < 0)
			mc_result_add(node, mismatch,
			              "MX %s matches no mx pattern of the policy: senders that "
			              "enforce it will not deliver to it",
			              r->hosts[k].name);
	mc_result_set(node, MC_STATE_OK, "MTA-STS: id %s, mode %s, max_age %ld, %zu mx pattern%s",
	              rec.id, mc_sts_mode_str(pol.mode), pol.max_age, pol.nmx,
	              pol.nmx == 1 ? "" : "s");
	if (pol.mode == MC_STS_MODE_ENFORCE)
		ok_part(rp, "MTA-STS enforce");
}

static void report_dane(report_t *rp)
{
	run_t *r = rp->r;
	size_t h, k, good = 0;

	if (!r->cfg->dane || r->implicit)
		return;
	for (h = 0; h < r->nhosts; h++) {
		const host_t *ho = &r->hosts[h];
		const mc_dns_answer_t *a = ho->tlsa.ans;
		mc_buf_t list;
		if (!ho->tlsa.asked)
			continue;
		if (!a || (a->outcome != MC_DNS_ANSWER && a->outcome != MC_DNS_NODATA &&
		           a->outcome != MC_DNS_NXDOMAIN)) {
			mc_result_add(rp->root, fail_state(rp, &ho->tlsa), "DANE %s: %s", ho->name,
			              fail_text(&ho->tlsa));
			continue;
		}
		if (a->outcome != MC_DNS_ANSWER) {
			mc_result_add(rp->root, MC_STATE_CRITICAL,
			              "DANE %s: no TLSA record at _25._tcp.%s", ho->name, ho->name);
			continue;
		}
		if (!a->ad) {
			mc_result_add(
			    rp->root, MC_STATE_CRITICAL,
			    "DANE %s: the TLSA records are not DNSSEC-validated (no AD), so "
			    "unusable (RFC 7672 section 2.2)",
			    ho->name);
			continue;
		}
		mc_buf_init(&list, 512);
		for (k = 0; k < a->n; k++) {
			const mc_dns_rr_t *t = a->rrs[k];
			(void)mc_buf_printf(&list, "%s%u %u %u", k ? ", " : "", t->usage,
			                    t->selector, t->mtype);
			if (t->usage < 2)
				mc_result_add(
				    rp->root, MC_STATE_WARNING,
				    "DANE %s: TLSA usage %u (PKIX) is not for SMTP (RFC 7672 "
				    "section 3.1.3)",
				    ho->name, t->usage);
		}
		mc_result_add(rp->root, MC_STATE_OK, "DANE %s: %zu TLSA record%s (%s), validated",
		              ho->name, a->n, a->n == 1 ? "" : "s", mc_buf_cstr(&list));
		mc_buf_free(&list);
		good++;
	}
	if (good && good == r->nhosts)
		ok_part(rp, "DANE");
}

static void report_srv(report_t *rp)
{
	run_t *r = rp->r;
	mc_buf_t list;
	size_t k, t, published = 0;

	if (!r->cfg->srv)
		return;
	mc_buf_init(&list, 2048);
	for (k = 0; k < 6; k++) {
		const slot_t *s = &r->srv[k];
		if (!s->ans ||
		    (s->ans->outcome != MC_DNS_ANSWER && s->ans->outcome != MC_DNS_NODATA &&
		     s->ans->outcome != MC_DNS_NXDOMAIN)) {
			mc_result_add(rp->root, fail_state(rp, s), "SRV %s: %s", srv_names[k],
			              fail_text(s));
			continue;
		}
		for (t = 0; t < s->ans->n && t < MAX_SRV_TARGETS; t++) {
			const mc_dns_rr_t *rr = s->ans->rrs[t];
			const slot_t *a4 = &r->srv_addr[k][t][0], *a6 = &r->srv_addr[k][t][1];
			published++;
			if (!strcmp(rr->name, ".")) {
				(void)mc_buf_printf(&list, "%s%s not offered", list.len ? ", " : "",
				                    srv_names[k]);
				continue;
			}
			(void)mc_buf_printf(&list, "%s%s %u %s", list.len ? ", " : "", srv_names[k],
			                    rr->port, rr->name);
			if (!a4->ans || !a6->ans)
				mc_result_add(rp->root, rp->tstate,
				              "SRV %s: target %s unresolved before the deadline",
				              srv_names[k], rr->name);
			else if (a4->ans->outcome != MC_DNS_ANSWER &&
			         a6->ans->outcome != MC_DNS_ANSWER)
				mc_result_add(rp->root, MC_STATE_CRITICAL,
				              "SRV %s: target %s does not resolve: %s",
				              srv_names[k], rr->name, a4->ans->error);
		}
	}
	mc_result_add(rp->root, MC_STATE_OK, "SRV: %s",
	              published ? mc_buf_cstr(&list) : "no client SRV records (RFC 6186)");
	mc_buf_free(&list);
}

/* The host name a banner gives: "220 mx.example.org ESMTP" -> the second
 * word. */
static void banner_host(const char *banner, char *out, size_t outsz)
{
	const char *p = banner + strspn(banner, "0123456789");
	size_t n;

	p += strspn(p, " -");
	n = strcspn(p, " ");
	mc_str_sanitize(out, outsz, p, n);
}

static void report_probe(report_t *rp)
{
	run_t *r = rp->r;
	size_t k, ok = 0;

	if (!r->cfg->smtp_probe)
		return;
	for (k = 0; k < r->naddrs; k++) {
		const maddr_t *a = &r->addrs[k];
		const mc_smtp_result_t *p = &a->probe_res;
		const char *mx = r->hosts[a->host].name;
		char host[256], addr[MC_ADDR_STRLEN + 8];
		bool match = false;
		size_t j;
		mc_addr_str_port(&a->addr, addr, sizeof(addr));
		if (!a->probe_done) {
			mc_result_add(rp->root, rp->tstate,
			              "SMTP %s (%s): no banner before the deadline", addr, mx);
			continue;
		}
		if (!p->banner[0] || p->base.status != MC_OK) {
			mc_result_add(rp->root, MC_STATE_CRITICAL, "SMTP %s (%s): %s", addr, mx,
			              p->base.error[0] ? p->base.error : "no banner");
			continue;
		}
		banner_host(p->banner, host, sizeof(host));
		match = mc_dns_name_eq(host, mx);
		for (j = 0; !match && a->ptr.ans && j < a->ptr.ans->n; j++)
			match = mc_dns_name_eq(host, a->ptr.ans->rrs[j]->name);
		if (!match)
			mc_result_add(
			    rp->root, MC_STATE_WARNING,
			    "SMTP %s (%s): the banner names %s, neither the MX host nor the "
			    "address's PTR name: %s",
			    addr, mx, host[0] ? host : "no host", p->banner);
		else
			ok++;
		if (match && r->cc->verbose)
			mc_result_add(rp->root, MC_STATE_OK, "SMTP %s (%s): %s", addr, mx,
			              p->banner);
	}
	if (r->naddrs && ok == r->naddrs)
		mc_result_add(rp->root, MC_STATE_OK,
		              "SMTP: %zu address%s answer 220 with the MX or PTR name", ok,
		              ok == 1 ? "" : "es");
}

static void free_run(run_t *r)
{
	size_t k;

	for (k = 0; k < r->naddrs; k++)
		if (r->addrs[k].probe)
			mc_session_abort(r->addrs[k].probe, MC_E_TIMEOUT);
	if (r->https)
		mc_session_abort(r->https, MC_E_TIMEOUT);
	mc_https_result_free(&r->https_res);
	for (k = 0; k < r->nns_addrs; k++)
		mc_dns_free(r->ns_addrs[k].dns);
	free(r);
}

static void end(void *state, bool timed_out, mc_result_t *root)
{
	run_t *r = state;
	report_t rp;
	size_t p;
	bool hosts;

	memset(&rp, 0, sizeof(rp));
	rp.r = r;
	rp.root = root;
	rp.tstate = timed_out ? r->cc->timeout_state : MC_STATE_UNKNOWN;
	hosts = report_mx(&rp);
	if (hosts)
		report_hosts(&rp);
	report_ns(&rp);
	if (hosts)
		report_dnsbl(&rp);
	report_mta_sts(&rp);
	report_tlsrpt(&rp);
	if (hosts) {
		report_dane(&rp);
		report_probe(&rp);
	}
	report_srv(&rp);
	mc_result_perf(root, "mx_count", (double)r->nhosts, "", NULL);
	mc_result_perf(root, "mx_addresses", (double)r->naddrs, "", NULL);
	for (p = 0; p < NPHASES; p++)
		if (r->pstart[p] && r->pend[p] >= r->pstart[p])
			mc_result_perf(root, phase_perf[p],
			               (double)(r->pend[p] - r->pstart[p]) / 1e6, "s", NULL);
	mc_check_summary(root, r->cfg->domain, ": ", rp.okline);
	free_run(r);
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
		if (mc_parse_long(arg, 1, MAX_HOSTS, &c->min_mx) != MC_OK) {
			snprintf(msg, msgsz, "invalid --min-mx '%s' (want 1..%d)", arg, MAX_HOSTS);
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
	default: return MC_E_AGAIN;
	}
}

static mc_status_t validate(void *pcfg, const mc_check_config_t *cc, char *msg, size_t msgsz)
{
	mx_config_t *c = pcfg;

	(void)cc;
	if (!c->domain[0]) {
		snprintf(msg, msgsz, "-D/--domain is required");
		return MC_E_USAGE;
	}
	if (c->expect_null && (c->nexpect || c->implicit_mx)) {
		snprintf(msg, msgsz,
		         "--expect-null-mx contradicts --expect-mx and --allow-implicit-mx");
		return MC_E_USAGE;
	}
	if (c->dnsbl_default && c->nzones + NDEFAULT_ZONES > MAX_ZONES) {
		snprintf(msg, msgsz, "too many --dnsbl zones with --dnsbl-default (at most %d)",
		         MAX_ZONES);
		return MC_E_USAGE;
	}
	return MC_OK;
}

/* Only the MTA-STS policy fetch uses TLS (the banner probe never starts
 * it). */
static bool wants_tls(const void *pcfg)
{
	return ((const mx_config_t *)pcfg)->mta_sts;
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
	    .wants_tls = wants_tls};

	return mc_check_main(argc, argv, &plugin);
}
