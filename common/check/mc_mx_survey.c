#include "mc_mx_survey.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mc_clock.h"
#include "util/mc_str.h"

#define MAX_ADDRS MC_MX_SURVEY_MAX_ADDRS
#define MAX_ZONES MC_MX_SURVEY_MAX_ZONES
#define MAX_NS 13
#define MAX_NS_ADDRS 26
#define STS_BODY_MAX 65536
/* Every question a run can ask: MX, NS twice, per NS name 2 and per
 * server 1, per host 3, per address 1 + 4 + 2 per zone, 2 tests per zone,
 * MTA-STS and TLS-RPT, the SRV services and 2 per target. */
#define MAX_QUESTIONS                                                                              \
	(3 + 2 * MAX_NS + MAX_NS_ADDRS + 3 * MC_MX_MAX_HOSTS +                                     \
	 MAX_ADDRS * (1 + MC_REPORT_MX_MAX_PTR + 2 * MAX_ZONES) + 2 * MAX_ZONES + 2 +              \
	 MC_MX_SURVEY_NSRV * (1 + 2 * MC_REPORT_SRV_MAX_TARGETS))

/* Phases for perfdata: the first question to the last answer of each. */
enum phase { P_MX, P_ADDR, P_PTR, P_NS, P_DNSBL, P_STS, P_DANE, P_SRV, P_SMTP, NPHASES };
static const char *const phase_perf[NPHASES] = {"time_mx",   "time_addr",  "time_ptr",
                                                "time_ns",   "time_dnsbl", "time_mta_sts",
                                                "time_dane", "time_srv",   "time_smtp"};

static const char *const srv_names[MC_MX_SURVEY_NSRV] = {"_submissions._tcp", "_submission._tcp",
                                                         "_imaps._tcp",       "_imap._tcp",
                                                         "_pop3s._tcp",       "_pop3._tcp"};

typedef struct mc_mx_survey survey_t;

/* A kind of question: its phase and what follows from its answer (NULL:
 * nothing). then gets the object the question was asked for, of the type
 * its handler names. */
typedef struct kind {
	enum phase phase;
	void (*then)(survey_t *s, void *ctx, const mc_dns_answer_t *ans);
} kind_t;

/* One question on its way: where its answer goes. */
typedef struct question {
	survey_t *s;
	const kind_t *kind;
	mc_dns_asked_t *fact;
	void *ctx;
} question_t;

/* One SMTP banner probe. */
typedef struct probe {
	survey_t *s;
	mc_addr_t addr; /* with the port; the session points to it */
	mc_session_t *session;
	mc_smtp_result_t res;
	bool done;
} probe_t;

struct mc_mx_survey {
	const mc_mx_survey_params_t *p;
	mc_check_env_t env;
	int64_t pstart[NPHASES], pend[NPHASES];
	question_t q[MAX_QUESTIONS];
	size_t nq;
	mc_dns_asked_t mx, ns, ns_apex;
	char zone[256]; /* the zone the domain is in */
	bool implicit;  /* no MX: the domain itself */
	mc_mx_set_t set;
	mc_report_mx_host_t hosts[MC_MX_MAX_HOSTS];
	size_t nhosts;
	const char *host_names[MC_MX_MAX_HOSTS];
	mc_report_dane_facts_t dane[MC_MX_MAX_HOSTS];
	char tlsa_name[MC_MX_MAX_HOSTS][300];
	mc_report_mx_addr_t addrs[MAX_ADDRS];
	size_t naddrs;
	mc_report_dnsbl_lookup_t bl[MAX_ADDRS][MAX_ZONES];
	mc_report_dnsbl_addr_t bl_addrs[MAX_ADDRS];
	probe_t probes[MAX_ADDRS];
	mc_report_banner_facts_t banners[MAX_ADDRS];
	mc_report_ns_name_t ns_names[MAX_NS];
	size_t nns;
	mc_report_ns_server_t ns_servers[MAX_NS_ADDRS];
	mc_dns_t *ns_dns[MAX_NS_ADDRS]; /* each asks its server only, without recursion */
	size_t nns_servers;
	mc_report_dnsbl_zone_t zones[MAX_ZONES];
	mc_dns_asked_t bl_test[MAX_ZONES][2]; /* 127.0.0.2, 127.0.0.1 */
	mc_dns_asked_t sts_txt, tlsrpt;
	bool sts_resolved;
	char sts_resolve_error[512];
	char sts_host[300];             /* mta-sts.DOMAIN, for the session's life */
	mc_addr_t sts_addrs[MAX_ADDRS]; /* its addresses, likewise */
	mc_session_t *https;
	mc_https_result_t https_res;
	bool https_started, https_done;
	mc_report_srv_service_t srv[MC_MX_SURVEY_NSRV];
};

static void on_mx(survey_t *s, void *ctx, const mc_dns_answer_t *ans);
static void on_ns(survey_t *s, void *ctx, const mc_dns_answer_t *ans);
static void on_ns_addr(survey_t *s, void *ctx, const mc_dns_answer_t *ans);
static void on_host_addr(survey_t *s, void *ctx, const mc_dns_answer_t *ans);
static void on_ptr(survey_t *s, void *ctx, const mc_dns_answer_t *ans);
static void on_bl(survey_t *s, void *ctx, const mc_dns_answer_t *ans);
static void on_srv(survey_t *s, void *ctx, const mc_dns_answer_t *ans);

/* ctx: MX NULL; NS the survey's own NS fact; NS_ADDR mc_report_ns_name_t;
 * HOST_ADDR mc_report_mx_host_t; PTR mc_report_mx_addr_t; BL
 * mc_report_dnsbl_lookup_t; SRV mc_report_srv_service_t. */
static const kind_t K_MX = {P_MX, on_mx}, K_NS = {P_NS, on_ns}, K_NS_ADDR = {P_NS, on_ns_addr},
                    K_NS_SOA = {P_NS, NULL}, K_HOST_ADDR = {P_ADDR, on_host_addr},
                    K_TLSA = {P_DANE, NULL}, K_PTR = {P_PTR, on_ptr}, K_FWD = {P_PTR, NULL},
                    K_BL_TEST = {P_DNSBL, NULL}, K_BL = {P_DNSBL, on_bl},
                    K_BL_TXT = {P_DNSBL, NULL}, K_STS = {P_STS, NULL}, K_SRV = {P_SRV, on_srv},
                    K_SRV_ADDR = {P_SRV, NULL};

static void phase_mark(survey_t *s, enum phase p, bool start)
{
	int64_t now = mc_clock_now_us();

	if (start && !s->pstart[p])
		s->pstart[p] = now;
	if (!start)
		s->pend[p] = now;
}

static void on_answer(void *arg, const mc_dns_answer_t *ans)
{
	question_t *q = arg;

	q->fact->ans = ans;
	phase_mark(q->s, q->kind->phase, false);
	if (q->kind->then)
		q->kind->then(q->s, q->ctx, ans);
}

/* Ask name/type (of dns, or the survey's resolver) for fact. A name made
 * too long by its prefix cannot be asked (nor exist). */
static void ask(survey_t *s, const kind_t *k, mc_dns_asked_t *fact, void *ctx, mc_dns_t *dns,
                const char *name, uint16_t type)
{
	question_t *q = s->nq < MAX_QUESTIONS ? &s->q[s->nq++] : NULL;

	fact->asked = true;
	phase_mark(s, k->phase, true);
	if (q) {
		q->s = s;
		q->kind = k;
		q->fact = fact;
		q->ctx = ctx;
	}
	fact->unaskable =
	    !q || mc_dns_query(dns ? dns : s->env.dns, name, type, on_answer, q) != MC_OK;
}

static void on_probe_done(void *arg)
{
	probe_t *pr = arg;

	pr->done = true;
	pr->session = NULL;
	phase_mark(pr->s, P_SMTP, false);
}

/* --smtp-probe: read the banner of the address. */
static void start_probe(survey_t *s, size_t idx)
{
	probe_t *pr = &s->probes[idx];
	mc_smtp_params_t p;

	mc_addr_t *a = &s->addrs[idx].addr;

	/* The port goes on the surveyed address itself, as it always did:
	 * add_address() then tells it from the same address of a later MX
	 * host. Without --smtp-probe a later host that shares an address
	 * shows no address of its own (a known limit, kept unchanged). */
	if (mc_addr_family(a) == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_port = htons((uint16_t)s->p->smtp_port);
	else
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons((uint16_t)s->p->smtp_port);
	pr->s = s;
	pr->addr = *a;
	memset(&p, 0, sizeof(p));
	p.session.loop = s->env.loop;
	p.session.tls = s->env.tls;
	p.session.addrs = &pr->addr;
	p.session.naddrs = 1;
	p.session.verbose = s->p->verbose;
	p.banner_only = true;
	phase_mark(s, P_SMTP, true);
	pr->session = mc_smtp_start(&p, &pr->res, on_probe_done, pr);
	if (!pr->session) {
		pr->done = true;
		pr->res.base.status = MC_E_NOMEM;
		mc_strlcpy(pr->res.base.error, "out of memory", sizeof(pr->res.base.error));
	}
}

/* A new address of MX host `host`: its PTR, its blocklist lookups
 * ("1.2.0.192.ZONE", RFC 5782 section 2.1), its banner. */
static void add_address(survey_t *s, size_t host, const mc_addr_t *addr)
{
	mc_report_mx_addr_t *a;
	char name[300];
	size_t k, z;

	for (k = 0; k < s->naddrs; k++)
		if (s->addrs[k].addr.len == addr->len &&
		    !memcmp(&s->addrs[k].addr.ss, &addr->ss, addr->len))
			return;
	if (s->naddrs == MAX_ADDRS)
		return;
	k = s->naddrs++;
	a = &s->addrs[k];
	a->addr = *addr;
	a->host = host;
	mc_addr_str(addr, a->text, sizeof(a->text));
	if (mc_dns_reverse_name(&a->addr, NULL, name, sizeof(name)) == MC_OK)
		ask(s, &K_PTR, &a->ptr, a, NULL, name, MC_DNS_T_PTR);
	for (z = 0; z < s->p->nzones; z++)
		if (mc_dns_reverse_name(&a->addr, s->zones[z].zone, name, sizeof(name)) == MC_OK)
			ask(s, &K_BL, &s->bl[k][z].a, &s->bl[k][z], NULL, name, MC_DNS_T_A);
	if (s->p->smtp_probe)
		start_probe(s, k);
}

static void add_host(survey_t *s, const char *name, uint16_t pref)
{
	mc_report_mx_host_t *h;
	mc_addr_t lit;
	size_t i = s->nhosts++;

	h = &s->hosts[i];
	mc_strlcpy(h->name, name, sizeof(h->name));
	h->pref = pref;
	s->host_names[i] = h->name;
	if (mc_addr_parse(name, 0, &lit) == MC_OK) {
		/* RFC 5321 section 5.1 wants a name; some MTAs take it anyway. */
		h->literal = true;
		add_address(s, i, &lit);
		return;
	}
	ask(s, &K_HOST_ADDR, &h->a, h, NULL, name, MC_DNS_T_A);
	ask(s, &K_HOST_ADDR, &h->aaaa, h, NULL, name, MC_DNS_T_AAAA);
	if (s->p->dane && !s->implicit) {
		/* RFC 7672 section 2.2.1: _25._tcp.HOST. */
		snprintf(s->tlsa_name[i], sizeof(s->tlsa_name[i]), "_25._tcp.%s", name);
		ask(s, &K_TLSA, &s->dane[i].tlsa, NULL, NULL, s->tlsa_name[i], MC_DNS_T_TLSA);
	}
}

static void on_mx(survey_t *s, void *ctx, const mc_dns_answer_t *ans)
{
	size_t k;

	(void)ctx;
	/* RFC 7505 section 3: a null MX is the only MX; then no host.
	 * RFC 5321 section 5.1: senders try the lowest preference first;
	 * follow that order, not the resolver's. */
	mc_mx_set_read(ans, &s->set);
	for (k = 0; k < s->set.nhosts; k++)
		add_host(s, s->set.host[k]->name, s->set.host[k]->pref);
	if (mc_mx_implicit(ans) && s->p->implicit_mx) {
		s->implicit = true;
		add_host(s, s->p->domain, 0);
	}
}

static void on_host_addr(survey_t *s, void *ctx, const mc_dns_answer_t *ans)
{
	size_t host = (size_t)((mc_report_mx_host_t *)ctx - s->hosts), k;

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
		add_address(s, host, &a);
	}
}

/* Forward confirmation: each PTR name's A (or AAAA) records. */
static void on_ptr(survey_t *s, void *ctx, const mc_dns_answer_t *ans)
{
	mc_report_mx_addr_t *a = ctx;
	size_t k;

	for (k = 0; k < ans->n && k < MC_REPORT_MX_MAX_PTR; k++)
		ask(s, &K_FWD, &a->fwd[k], NULL, NULL, ans->rrs[k]->name,
		    mc_addr_family(&a->addr) == AF_INET ? MC_DNS_T_A : MC_DNS_T_AAAA);
}

/* A listing: the TXT record at the same name says why. */
static void on_bl(survey_t *s, void *ctx, const mc_dns_answer_t *ans)
{
	mc_report_dnsbl_lookup_t *l = ctx;
	char code[INET_ADDRSTRLEN];

	if (mc_dnsbl_verdict(ans, code, sizeof(code)) == MC_DNSBL_LISTED)
		ask(s, &K_BL_TXT, &l->txt, NULL, NULL, ans->name, MC_DNS_T_TXT);
}

static void on_ns(survey_t *s, void *ctx, const mc_dns_answer_t *ans)
{
	bool apex = ctx == &s->ns_apex;
	size_t k;

	if (ans->outcome == MC_DNS_NODATA && !apex && ans->msg) {
		/* Not a zone apex: the SOA in the authority section names the
		 * zone (RFC 2308 section 2.2); its nameservers serve the domain. */
		for (k = 0; k < ans->msg->nns; k++)
			if (ans->msg->ns[k].type == MC_DNS_T_SOA &&
			    !mc_dns_name_eq(ans->msg->ns[k].owner, s->p->domain)) {
				mc_strlcpy(s->zone, ans->msg->ns[k].owner, sizeof(s->zone));
				ask(s, &K_NS, &s->ns_apex, &s->ns_apex, NULL, s->zone, MC_DNS_T_NS);
				return;
			}
		return;
	}
	for (k = 0; k < ans->n && s->nns < MAX_NS; k++) {
		mc_report_ns_name_t *n = &s->ns_names[s->nns++];
		mc_strlcpy(n->name, ans->rrs[k]->name, sizeof(n->name));
		ask(s, &K_NS_ADDR, &n->a, n, NULL, n->name, MC_DNS_T_A);
		ask(s, &K_NS_ADDR, &n->aaaa, n, NULL, n->name, MC_DNS_T_AAAA);
	}
}

/* Each address of a nameserver: the zone's SOA, asked of it alone
 * without recursion, so that its AA flag tells. */
static void on_ns_addr(survey_t *s, void *ctx, const mc_dns_answer_t *ans)
{
	const mc_report_ns_name_t *n = ctx;
	bool v6 = ans->type == MC_DNS_T_AAAA;
	size_t k;

	for (k = 0; k < ans->n && s->nns_servers < MAX_NS_ADDRS; k++) {
		mc_report_ns_server_t *na = &s->ns_servers[s->nns_servers];
		mc_dns_params_t p;
		char text[MC_ADDR_STRLEN + 10];
		char err[256];
		memset(&p, 0, sizeof(p));
		memset(na, 0, sizeof(*na));
		inet_ntop(v6 ? AF_INET6 : AF_INET, ans->rrs[k]->addr, na->text, sizeof(na->text));
		snprintf(text, sizeof(text), v6 ? "[%s]:%u" : "%s:%u", na->text, s->p->ns_port);
		p.servers[0] = text;
		p.nservers = 1;
		p.deadline_ms = (long)(s->p->timeout * 1000);
		p.no_recursion = true;
		p.verbose = s->p->verbose;
		na->name = n->name;
		if (mc_dns_new(s->env.loop, &p, &s->ns_dns[s->nns_servers], err, sizeof(err)) !=
		    MC_OK)
			continue;
		s->nns_servers++;
		ask(s, &K_NS_SOA, &na->soa, NULL, s->ns_dns[s->nns_servers - 1], s->zone,
		    MC_DNS_T_SOA);
	}
}

static void on_srv(survey_t *s, void *ctx, const mc_dns_answer_t *ans)
{
	mc_report_srv_service_t *sv = ctx;
	size_t k;

	for (k = 0; k < ans->n && k < MC_REPORT_SRV_MAX_TARGETS; k++) {
		const char *t = ans->rrs[k]->name;
		if (!strcmp(t, "."))
			continue; /* RFC 2782: the service is not offered */
		ask(s, &K_SRV_ADDR, &sv->addr[k][0], NULL, NULL, t, MC_DNS_T_A);
		ask(s, &K_SRV_ADDR, &sv->addr[k][1], NULL, NULL, t, MC_DNS_T_AAAA);
	}
}

/* ---- MTA-STS policy fetch ---- */

static void on_https_done(void *arg)
{
	survey_t *s = arg;

	s->https = NULL;
	s->https_done = true;
	phase_mark(s, P_STS, false);
}

static void on_sts_resolved(void *arg, mc_status_t st, const mc_addr_t *addrs, size_t n,
                            const char *err)
{
	survey_t *s = arg;
	mc_https_params_t p;

	s->sts_resolved = true;
	phase_mark(s, P_STS, false);
	if (st != MC_OK) {
		mc_strlcpy(s->sts_resolve_error, err, sizeof(s->sts_resolve_error));
		return;
	}
	/* The session keeps pointers to both until it ends. */
	n = n < MAX_ADDRS ? n : MAX_ADDRS;
	memcpy(s->sts_addrs, addrs, n * sizeof(*addrs));
	memset(&p, 0, sizeof(p));
	p.session.loop = s->env.loop;
	p.session.tls = s->env.tls;
	/* RFC 8461 section 3.3: the certificate must be valid for the
	 * policy host, verified like any HTTPS host. */
	p.session.tlsp.sni = s->sts_host;
	p.session.tlsp.cert_name = s->sts_host;
	p.session.tlsp.verify = MC_TLS_VERIFY_FULL;
	p.session.addrs = s->sts_addrs;
	p.session.naddrs = n;
	p.session.verbose = s->p->verbose;
	p.host = s->sts_host;
	p.path = "/.well-known/mta-sts.txt";
	p.body_max = STS_BODY_MAX;
	phase_mark(s, P_STS, true);
	s->https_started = true;
	s->https = mc_https_get(&p, &s->https_res, on_https_done, s);
	if (!s->https) {
		s->https_done = true;
		s->https_res.base.status = MC_E_NOMEM;
		mc_strlcpy(s->https_res.base.error, "out of memory",
		           sizeof(s->https_res.base.error));
	}
}

static void start_sts(survey_t *s)
{
	char name[300];

	snprintf(name, sizeof(name), "_mta-sts.%s", s->p->domain);
	ask(s, &K_STS, &s->sts_txt, NULL, NULL, name, MC_DNS_T_TXT);
	snprintf(s->sts_host, sizeof(s->sts_host), "mta-sts.%s", s->p->domain);
	phase_mark(s, P_STS, true);
	if (mc_dns_resolve(s->env.dns, s->sts_host, AF_UNSPEC, s->p->https_port, on_sts_resolved,
	                   s) != MC_OK) {
		s->sts_resolved = true;
		mc_strlcpy(s->sts_resolve_error, "out of memory", sizeof(s->sts_resolve_error));
	}
}

mc_mx_survey_t *mc_mx_survey_start(const mc_mx_survey_params_t *p, const mc_check_env_t *env)
{
	survey_t *s = calloc(1, sizeof(*s));
	char name[300];
	size_t z, k;

	if (!s)
		return NULL;
	s->p = p;
	s->env = *env;
	mc_strlcpy(s->zone, p->domain, sizeof(s->zone));
	ask(s, &K_MX, &s->mx, NULL, NULL, p->domain, MC_DNS_T_MX);
	ask(s, &K_NS, &s->ns, &s->ns, NULL, p->domain, MC_DNS_T_NS);
	/* RFC 5782 section 5: 127.0.0.2 must be listed, 127.0.0.1 not. */
	for (z = 0; z < p->nzones && z < MAX_ZONES; z++) {
		s->zones[z].zone = p->zones[z];
		if (mc_dnsbl_test_name(p->zones[z], MC_DNSBL_TEST_LISTED, name, sizeof(name)) ==
		    MC_OK)
			ask(s, &K_BL_TEST, &s->bl_test[z][0], NULL, NULL, name, MC_DNS_T_A);
		if (mc_dnsbl_test_name(p->zones[z], MC_DNSBL_TEST_UNLISTED, name, sizeof(name)) ==
		    MC_OK)
			ask(s, &K_BL_TEST, &s->bl_test[z][1], NULL, NULL, name, MC_DNS_T_A);
	}
	if (p->mta_sts)
		start_sts(s);
	if (p->mta_sts || p->dane) {
		snprintf(name, sizeof(name), "_smtp._tls.%s", p->domain);
		ask(s, &K_STS, &s->tlsrpt, NULL, NULL, name, MC_DNS_T_TXT);
	}
	for (k = 0; p->srv && k < MC_MX_SURVEY_NSRV; k++) {
		s->srv[k].name = srv_names[k];
		snprintf(name, sizeof(name), "%s.%s", srv_names[k], p->domain);
		ask(s, &K_SRV, &s->srv[k].srv, &s->srv[k], NULL, name, MC_DNS_T_SRV);
	}
	return s;
}

static void address_facts(survey_t *s, mc_mx_survey_facts_t *out)
{
	size_t k;

	for (k = 0; k < s->naddrs; k++) {
		const mc_report_mx_addr_t *a = &s->addrs[k];
		mc_report_banner_facts_t *b = &s->banners[k];
		s->bl_addrs[k].text = a->text;
		s->bl_addrs[k].host = s->hosts[a->host].name;
		s->bl_addrs[k].bl = s->bl[k];
		mc_addr_str_port(&s->probes[k].addr, b->addr, sizeof(b->addr));
		b->mx = s->hosts[a->host].name;
		b->done = s->probes[k].done;
		b->res = &s->probes[k].res;
		b->ptr = a->ptr.ans;
	}
	out->dnsbl.zones = s->zones;
	out->dnsbl.nzones = s->p->nzones;
	out->dnsbl.addrs = s->bl_addrs;
	out->dnsbl.naddrs = s->naddrs;
	out->banner = s->p->smtp_probe ? s->banners : NULL;
	out->nbanner = s->p->smtp_probe ? s->naddrs : 0;
}

static void sts_facts(survey_t *s, mc_mx_survey_facts_t *out)
{
	out->sts.domain = s->p->domain;
	out->sts.txt = s->sts_txt;
	out->sts.resolved = s->sts_resolved;
	out->sts.resolve_error = s->sts_resolve_error;
	out->sts.fetch_started = s->https_started;
	out->sts.fetch_done = s->https_done;
	out->sts.fetch = &s->https_res;
	out->sts.mx = s->host_names;
	out->sts.nmx = s->nhosts;
	out->tlsrpt.domain = s->p->domain;
	out->tlsrpt.txt = s->tlsrpt;
	out->tlsrpt.for_sts = s->p->mta_sts;
}

void mc_mx_survey_facts(mc_mx_survey_t *s, mc_mx_survey_facts_t *out)
{
	size_t k;

	memset(out, 0, sizeof(*out));
	out->mx.mx = s->mx.ans;
	out->mx.implicit = s->implicit;
	out->mx.hosts = s->hosts;
	out->mx.nhosts = s->nhosts;
	out->mx.rest = s->set.rest;
	out->mx.nrest = s->set.nrest;
	out->mx.addrs = s->addrs;
	out->mx.naddrs = s->naddrs;
	out->ns.ns = (s->ns_apex.asked ? &s->ns_apex : &s->ns)->ans;
	out->ns.domain_nxdomain = mc_dns_is(s->ns.ans, MC_DNS_NXDOMAIN);
	out->ns.zone = s->zone;
	out->ns.names = s->ns_names;
	out->ns.nnames = s->nns;
	out->ns.servers = s->ns_servers;
	out->ns.nservers = s->nns_servers;
	for (k = 0; k < s->p->nzones && k < MAX_ZONES; k++) {
		s->zones[k].test_listed = s->bl_test[k][0].ans;
		s->zones[k].test_unlisted = s->bl_test[k][1].ans;
	}
	address_facts(s, out);
	sts_facts(s, out);
	for (k = 0; k < s->nhosts; k++) {
		s->dane[k].host = s->hosts[k].name;
		s->dane[k].tlsa_name = s->tlsa_name[k];
	}
	out->dane = s->dane;
	out->ndane = s->nhosts;
	out->srv = s->p->srv ? s->srv : NULL;
	out->nsrv = s->p->srv ? MC_MX_SURVEY_NSRV : 0;
}

void mc_mx_survey_perf(const mc_mx_survey_t *s, mc_result_t *root)
{
	size_t p;

	for (p = 0; p < NPHASES; p++)
		if (s->pstart[p] && s->pend[p] >= s->pstart[p])
			mc_result_perf(root, phase_perf[p],
			               (double)(s->pend[p] - s->pstart[p]) / 1e6, "s", NULL);
}

void mc_mx_survey_free(mc_mx_survey_t *s)
{
	size_t k;

	if (!s)
		return;
	for (k = 0; k < s->naddrs; k++)
		if (s->probes[k].session)
			mc_session_abort(s->probes[k].session, MC_E_TIMEOUT);
	if (s->https)
		mc_session_abort(s->https, MC_E_TIMEOUT);
	mc_https_result_free(&s->https_res);
	for (k = 0; k < s->nns_servers; k++)
		mc_dns_free(s->ns_dns[k]);
	free(s);
}
