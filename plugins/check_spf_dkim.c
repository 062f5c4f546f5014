/* check_spf_dkim - a domain's sender authentication: SPF parsed, walked
 * through every include against the limits of RFC 7208 and evaluated for
 * the domain's own senders and a forger; each DKIM selector's key; DMARC
 * with its organizational-domain fallback and report authorizations. All
 * questions run concurrently on one resolver. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "check/mc_check.h"
#include "policy/mc_dkim.h"
#include "policy/mc_dmarc.h"
#include "policy/mc_spf.h"
#include "policy/mc_spf_walk.h"
#include "util/mc_clock.h"
#include "util/mc_str.h"

#define MAX_IPS 16
#define MAX_SELECTORS 16
#define MAX_AUTH 8
#define SPF_RECORD_WARN_BYTES 450

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
	mc_addr_t pass[MAX_IPS], fail[MAX_IPS];
	const char *pass_text[MAX_IPS], *fail_text[MAX_IPS];
	size_t npass, nfail;
	char sender[512];
	char helo[254];
	mc_thresholds_t lookups;
	long dkim_min_bits;
	bool dmarc_optional;
	mc_dmarc_policy_t dmarc_min;
} spf_config_t;

/* ---- the run ---- */

typedef struct run run_t;

typedef struct eval {
	run_t *r;
	const char *ip_text;
	bool want_pass;
	mc_spf_run_t *run;
	bool done;
} eval_t;

typedef struct dmarc_auth {
	char dest[254];
	char name[300];
	const mc_dns_answer_t *ans;
} dmarc_auth_t;

struct run {
	const spf_config_t *cfg;
	const mc_check_config_t *cc;
	mc_check_env_t env;
	/* the static walk of the SPF tree, replayed on each answer */
	mc_dns_replay_t *walk_replay;
	mc_spf_walk_t walk;
	bool walk_final;
	int64_t spf_start, spf_end;
	eval_t ev[2 * MAX_IPS];
	size_t nev;
	const mc_dns_answer_t *dkim[MAX_SELECTORS];
	char dkim_name[MAX_SELECTORS][300];
	int64_t dkim_end;
	const mc_dns_answer_t *dmarc, *dmarc_org;
	char org[254];
	bool org_asked;
	const mc_dns_answer_t *dmarc_used; /* the answer holding the record */
	const char *dmarc_at;              /* the domain it was found for */
	dmarc_auth_t auth[MAX_AUTH];
	size_t nauth;
	int64_t dmarc_end;
};

/* ---- the static walk, replayed on every answer ---- */

static bool walk_fn(void *arg, mc_dns_lookup_fn lookup, void *lookup_arg)
{
	run_t *r = arg;

	mc_spf_walk_free(&r->walk);
	mc_spf_walk(r->cfg->domain, lookup, lookup_arg, &r->walk);
	return r->walk.pending;
}

static void on_walk_done(void *arg)
{
	run_t *r = arg;

	r->walk_final = true;
	r->spf_end = mc_clock_now_us();
}

static bool no_records(const mc_dns_answer_t *a)
{
	return a->outcome == MC_DNS_NXDOMAIN || a->outcome == MC_DNS_NODATA;
}

/* ---- evaluations, DKIM and DMARC ---- */

static void on_eval_done(void *arg, const mc_spf_result_t *res)
{
	eval_t *e = arg;

	(void)res;
	e->done = true;
}

static void on_dkim(void *arg, const mc_dns_answer_t *ans)
{
	const mc_dns_answer_t **slot = arg;

	*slot = ans;
}

static void on_auth(void *arg, const mc_dns_answer_t *ans)
{
	dmarc_auth_t *a = arg;

	a->ans = ans;
}

/* The one DMARC record of an answer, parsed; the count in *n. */
static bool dmarc_record(const mc_dns_answer_t *a, mc_dmarc_record_t *rec, size_t *n, char *err,
                         size_t errsz)
{
	const mc_dns_rr_t *rr;

	*n = mc_dns_txt_records(a, "v=DMARC1", &rr);
	if (*n != 1)
		return false;
	return mc_dmarc_parse((const char *)rr->data, rr->len, rec, err, errsz) == MC_OK;
}

/* RFC 7489 section 7.1: report destinations outside the organizational
 * domain must authorize the domain's reports. */
static void ask_authorizations(run_t *r)
{
	mc_dmarc_record_t rec;
	size_t n, k;
	char err[256];

	if (!dmarc_record(r->dmarc_used, &rec, &n, err, sizeof(err)))
		return;
	for (k = 0; k < rec.nrua + rec.nruf && r->nauth < MAX_AUTH; k++) {
		const mc_dmarc_uri_t *u = k < rec.nrua ? &rec.rua[k] : &rec.ruf[k - rec.nrua];
		dmarc_auth_t *a = &r->auth[r->nauth];
		bool inside = true;
		size_t j;
		if (!u->host[0] || mc_dmarc_in_org(u->host, r->org, &inside) != MC_OK || inside)
			continue;
		for (j = 0; j < r->nauth && strcasecmp(r->auth[j].dest, u->host); j++)
			;
		if (j < r->nauth)
			continue;
		mc_strlcpy(a->dest, u->host, sizeof(a->dest));
		if (mc_dmarc_report_auth_name(r->dmarc_at, u->host, a->name, sizeof(a->name)) !=
		    MC_OK)
			continue;
		r->nauth++;
		(void)mc_dns_query(r->env.dns, a->name, MC_DNS_T_TXT, on_auth, a);
	}
}

static void on_dmarc(void *arg, const mc_dns_answer_t *ans)
{
	run_t *r = arg;
	const mc_dns_rr_t *rr;
	char name[300];

	r->dmarc_end = mc_clock_now_us();
	if (!r->dmarc) {
		r->dmarc = ans;
		if (mc_dns_txt_records(ans, "v=DMARC1", &rr)) {
			r->dmarc_used = ans;
			r->dmarc_at = r->cfg->domain;
			ask_authorizations(r);
			return;
		}
		if (ans->outcome != MC_DNS_ANSWER && !no_records(ans))
			return; /* a DNS error is reported as such, not as absence */
		/* RFC 7489 section 6.6.3: then the organizational domain's. */
		if (strcasecmp(r->org, r->cfg->domain) && r->org[0]) {
			snprintf(name, sizeof(name), "_dmarc.%s", r->org);
			r->org_asked = true;
			(void)mc_dns_query(r->env.dns, name, MC_DNS_T_TXT, on_dmarc, r);
		}
		return;
	}
	r->dmarc_org = ans;
	if (mc_dns_txt_records(ans, "v=DMARC1", &rr)) {
		r->dmarc_used = ans;
		r->dmarc_at = r->org;
		ask_authorizations(r);
	}
}

static void *begin(const void *pcfg, const mc_check_config_t *cc, const mc_check_env_t *env)
{
	const spf_config_t *c = pcfg;
	run_t *r = calloc(1, sizeof(*r));
	mc_dns_replay_params_t wp;
	mc_spf_params_t p;
	char name[300];
	size_t k;

	if (!r)
		return NULL;
	r->cfg = c;
	r->cc = cc;
	r->env = *env;
	r->spf_start = mc_clock_now_us();
	memset(&wp, 0, sizeof(wp));
	wp.fn = walk_fn;
	wp.done = on_walk_done;
	wp.arg = r;
	wp.over_limit = "too many questions for the SPF walk";
	(void)mc_dns_replay_start(env->loop, env->dns, &wp, &r->walk_replay);
	memset(&p, 0, sizeof(p));
	p.sender = c->sender;
	p.helo = c->helo;
	p.domain = c->domain;
	p.now = (int64_t)time(NULL);
	for (k = 0; k < c->npass + c->nfail; k++) {
		eval_t *e = &r->ev[r->nev];
		bool pass = k < c->npass;
		p.ip = pass ? c->pass[k] : c->fail[k - c->npass];
		e->r = r;
		e->want_pass = pass;
		e->ip_text = pass ? c->pass_text[k] : c->fail_text[k - c->npass];
		if (mc_spf_run_start(env->loop, env->dns, &p, on_eval_done, e, &e->run) == MC_OK)
			r->nev++;
	}
	for (k = 0; k < c->nselectors; k++) {
		snprintf(r->dkim_name[k], sizeof(r->dkim_name[k]), "%s._domainkey.%s",
		         c->selectors[k], c->domain);
		(void)mc_dns_query(env->dns, r->dkim_name[k], MC_DNS_T_TXT, on_dkim, &r->dkim[k]);
	}
	if (mc_dmarc_org_domain(c->domain, r->org, sizeof(r->org)) != MC_OK)
		mc_strlcpy(r->org, c->domain, sizeof(r->org));
	snprintf(name, sizeof(name), "_dmarc.%s", c->domain);
	(void)mc_dns_query(env->dns, name, MC_DNS_T_TXT, on_dmarc, r);
	return r;
}

/* ---- the report ---- */

typedef struct report {
	run_t *r;
	mc_result_t *root;
	mc_state_t tstate;
} report_t;

static void report_spf_record(report_t *rp)
{
	run_t *r = rp->r;
	const mc_spf_walk_t *w = &r->walk;
	const spf_config_t *c = r->cfg;
	const mc_spf_record_t *rec = &w->rec;
	char all = 0;
	bool redirect = false;
	size_t k;

	if (!w->top) {
		mc_result_add(rp->root, rp->tstate, "SPF: TXT %s: no answer before the deadline",
		              c->domain);
		return;
	}
	if (w->top->outcome == MC_DNS_NXDOMAIN) {
		mc_result_add(rp->root, MC_STATE_CRITICAL, "SPF: %s does not exist (NXDOMAIN)",
		              c->domain);
		return;
	}
	if (w->top->outcome != MC_DNS_ANSWER && !no_records(w->top)) {
		mc_result_add(rp->root, MC_STATE_CRITICAL, "SPF cannot be evaluated: %s",
		              w->top->error);
		return;
	}
	if (w->nrecords == 0) {
		mc_result_add(rp->root, MC_STATE_CRITICAL, "SPF: no v=spf1 record at %s",
		              c->domain);
		return;
	}
	if (w->nrecords > 1) {
		mc_result_add(rp->root, MC_STATE_CRITICAL,
		              "SPF: %zu v=spf1 records at %s, a permerror (RFC 7208 section 4.5)",
		              w->nrecords, c->domain);
		return;
	}
	if (!w->parsed) {
		mc_result_add(rp->root, MC_STATE_CRITICAL, "SPF syntax: %s", w->parse_error);
		return;
	}
	for (k = 0; k < rec->nterms; k++) {
		if (rec->terms[k].kind == MC_SPF_T_ALL && !all)
			all = rec->terms[k].qualifier;
		redirect |= rec->terms[k].kind == MC_SPF_T_REDIRECT;
	}
	if (all == '+')
		mc_result_add(rp->root, MC_STATE_CRITICAL,
		              "SPF: +all: any host may send as this domain");
	else if (all == '?')
		mc_result_add(rp->root, MC_STATE_WARNING,
		              "SPF: ?all: mail from any other host is neutral, not rejected");
	else if (!all && !redirect)
		mc_result_add(rp->root, MC_STATE_WARNING,
		              "SPF: no all and no redirect: mail from any other host is neutral");
	if (w->bytes > SPF_RECORD_WARN_BYTES)
		mc_result_add(rp->root, MC_STATE_WARNING,
		              "SPF: the record is %zu bytes, over %d (RFC 7208 section 3.4: it may "
		              "not fit a UDP answer)",
		              w->bytes, SPF_RECORD_WARN_BYTES);
	if (w->ptr_path[0])
		mc_result_add(rp->root, MC_STATE_WARNING,
		              "SPF: %s uses ptr, which RFC 7208 section 5.5 says not to use",
		              w->ptr_path);
}

static void report_spf_tree(report_t *rp)
{
	run_t *r = rp->r;
	const mc_spf_walk_t *w = &r->walk;
	const spf_config_t *c = r->cfg;
	mc_state_t st;
	double depth = w->depth;

	if (!w->parsed)
		return;
	if (!r->walk_final)
		mc_result_add(rp->root, rp->tstate,
		              "SPF: the include tree was not fetched before the deadline");
	if (w->finding[0])
		mc_result_add(rp->root, MC_STATE_CRITICAL, "SPF: %s", w->finding);
	st = mc_thresholds_check(&c->lookups, w->lookups);
	if (w->lookups > MC_SPF_MAX_LOOKUPS)
		mc_result_add(rp->root, MC_STATE_CRITICAL,
		              "SPF: %s%u DNS-querying terms, over the limit of %d at %s "
		              "(a permerror for every receiver that gets that far)",
		              w->truncated ? "at least " : "", w->lookups, MC_SPF_MAX_LOOKUPS,
		              w->over_path);
	else
		mc_result_add(rp->root, st, "SPF: %u DNS-querying term%s of %d, %u void lookup%s",
		              w->lookups, w->lookups == 1 ? "" : "s", MC_SPF_MAX_LOOKUPS, w->voids,
		              w->voids == 1 ? "" : "s");
	if (w->voids > MC_SPF_MAX_VOID)
		mc_result_add(rp->root, MC_STATE_CRITICAL,
		              "SPF: %u void lookups, over the limit of %d at %s", w->voids,
		              MC_SPF_MAX_VOID, w->void_path);
	mc_result_perf(rp->root, "spf_lookups", w->lookups, "", &c->lookups);
	mc_result_perf(rp->root, "spf_void_lookups", w->voids, "", NULL);
	mc_result_perf(rp->root, "spf_bytes", (double)w->bytes, "B", NULL);
	mc_result_perf(rp->root, "spf_depth", depth, "", NULL);
}

static void report_evals(report_t *rp)
{
	run_t *r = rp->r;
	size_t k;

	for (k = 0; k < r->nev; k++) {
		const eval_t *e = &r->ev[k];
		const mc_spf_result_t *res = mc_spf_run_result(e->run);
		const char *rs = mc_spf_res_str(res->result);
		const char *by = res->term[0] ? res->term : "no mechanism matched";
		if (!e->done) {
			mc_result_add(rp->root, rp->tstate,
			              "SPF for %s: not evaluated before the deadline (%s)",
			              e->ip_text, res->reason);
		} else if (res->result == MC_SPF_TEMPERROR || res->result == MC_SPF_PERMERROR) {
			mc_result_add(rp->root, MC_STATE_CRITICAL,
			              "SPF cannot be evaluated for %s: %s (%s)", e->ip_text, rs,
			              res->reason);
		} else if (e->want_pass) {
			if (res->result == MC_SPF_PASS)
				mc_result_add(rp->root, MC_STATE_OK, "SPF for %s: pass (%s)",
				              e->ip_text, by);
			else
				mc_result_add(
				    rp->root, MC_STATE_CRITICAL,
				    "SPF for %s: %s (%s), must be pass: the domain's own mail "
				    "would be rejected",
				    e->ip_text, rs, by);
		} else if (res->result == MC_SPF_FAIL) {
			mc_result_add(rp->root, MC_STATE_OK, "SPF for %s: fail (%s)%s%s",
			              e->ip_text, by, res->explained ? ", explained: " : "",
			              res->explained ? res->explanation : "");
		} else if (res->result == MC_SPF_SOFTFAIL) {
			mc_result_add(rp->root, MC_STATE_WARNING,
			              "SPF for %s: softfail (%s): forged mail is only marked, not "
			              "rejected",
			              e->ip_text, by);
		} else {
			mc_result_add(rp->root, MC_STATE_CRITICAL,
			              "SPF for %s: %s (%s): forged mail from %s would be accepted",
			              e->ip_text, rs, by, e->ip_text);
		}
	}
}

/* Append one finding to why ("; " between them) and raise *worst. */
static void finding(char *why, size_t whysz, size_t *used, mc_state_t *worst, mc_state_t st,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void finding(char *why, size_t whysz, size_t *used, mc_state_t *worst, mc_state_t st,
                    const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used && *used + 3 < whysz) {
		memcpy(why + *used, "; ", 3);
		*used += 2;
	}
	va_start(ap, fmt);
	n = vsnprintf(why + *used, whysz - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used = *used + (size_t)n < whysz ? *used + (size_t)n : whysz - 1;
	*worst = mc_state_worst(*worst, st);
}

static void report_dkim(report_t *rp, size_t k)
{
	run_t *r = rp->r;
	const spf_config_t *c = r->cfg;
	const char *sel = c->selectors[k];
	const mc_dns_answer_t *a = r->dkim[k];
	mc_dkim_record_t *rec;
	mc_dkim_key_t key;
	char err[256], label[80];
	mc_state_t bits_state = MC_STATE_OK;

	if (!a) {
		mc_result_add(rp->root, rp->tstate, "DKIM %s: no answer before the deadline", sel);
		return;
	}
	if (no_records(a) || (a->outcome == MC_DNS_ANSWER && a->n == 0)) {
		mc_result_add(rp->root, MC_STATE_CRITICAL, "DKIM %s: no key record at %s", sel,
		              r->dkim_name[k]);
		return;
	}
	if (a->outcome != MC_DNS_ANSWER) {
		mc_result_add(rp->root, MC_STATE_CRITICAL, "DKIM %s: %s", sel, a->error);
		return;
	}
	if (a->n > 1) {
		mc_result_add(rp->root, MC_STATE_CRITICAL,
		              "DKIM %s: %zu records at %s; verifiers need exactly one", sel, a->n,
		              r->dkim_name[k]);
		return;
	}
	rec = malloc(sizeof(*rec));
	if (!rec) {
		mc_result_add(rp->root, MC_STATE_UNKNOWN, "DKIM %s: out of memory", sel);
		return;
	}
	if (mc_dkim_record_parse((const char *)a->rrs[0]->data, a->rrs[0]->len, rec, err,
	                         sizeof(err)) != MC_OK) {
		mc_result_add(rp->root, MC_STATE_CRITICAL, "DKIM %s: invalid key record: %s", sel,
		              err);
	} else if (rec->revoked) {
		mc_result_add(rp->root, MC_STATE_CRITICAL, "DKIM %s: key revoked (empty p=)", sel);
	} else if (rec->k == MC_DKIM_KEY_OTHER) {
		mc_result_add(rp->root, MC_STATE_CRITICAL,
		              "DKIM %s: key type k=%s is not rsa or ed25519", sel, rec->k_name);
	} else if (mc_dkim_key_check(rec, &key, err, sizeof(err)) != MC_OK) {
		mc_result_add(rp->root, MC_STATE_CRITICAL, "DKIM %s: unusable key: %s", sel, err);
	} else {
		/* One selector, one line: its findings joined, the worst state. */
		char why[600];
		size_t used = 0;
		mc_state_t worst = MC_STATE_OK;
		if (key.type == MC_DKIM_KEY_RSA && key.bits < 1024)
			bits_state = MC_STATE_CRITICAL;
		else if (key.type == MC_DKIM_KEY_RSA && key.bits < c->dkim_min_bits)
			bits_state = MC_STATE_WARNING;
		why[0] = '\0';
		if (bits_state != MC_STATE_OK)
			finding(why, sizeof(why), &used, &worst, bits_state,
			        "RSA key of %d bits, under %ld (RFC 8301)", key.bits,
			        bits_state == MC_STATE_CRITICAL ? 1024L : c->dkim_min_bits);
		if (rec->sha1_only)
			finding(why, sizeof(why), &used, &worst, MC_STATE_CRITICAL,
			        "h= allows only sha1, which RFC 8301 forbids");
		if (!rec->service_email)
			finding(why, sizeof(why), &used, &worst, MC_STATE_CRITICAL,
			        "s=%s does not include email", rec->services);
		if (rec->testing)
			finding(why, sizeof(why), &used, &worst, MC_STATE_WARNING,
			        "t=y, the domain is testing DKIM");
		if (worst != MC_STATE_OK)
			mc_result_add(rp->root, worst, "DKIM %s: %s", sel, why);
		else
			mc_result_add(rp->root, MC_STATE_OK, "DKIM %s: %s key, %d bits%s", sel,
			              mc_dkim_key_type_str(key.type), key.bits,
			              key.rsa_bare ? " (bare RSAPublicKey, not SubjectPublicKeyInfo)"
			                           : "");
		snprintf(label, sizeof(label), "dkim_bits_%s", sel);
		mc_result_perf(rp->root, label, key.bits, "", NULL);
	}
	free(rec);
}

/* A TXT record of a that names DMARC but does not parse (v=DMARC1 not
 * first, a bad tag): receivers discard it (RFC 7489 section 6.6.3). */
static bool dmarc_broken(const mc_dns_answer_t *a, char *err, size_t errsz)
{
	mc_dmarc_record_t rec;
	size_t k;

	for (k = 0; a && k < a->n; k++)
		if (mc_dmarc_parse((const char *)a->rrs[k]->data, a->rrs[k]->len, &rec, err,
		                   errsz) == MC_E_PROTOCOL)
			return true;
	return false;
}

static void report_dmarc(report_t *rp)
{
	run_t *r = rp->r;
	const spf_config_t *c = r->cfg;
	const mc_dns_answer_t *a = r->dmarc_used;
	mc_dmarc_record_t rec;
	char err[256];
	size_t n, k;
	mc_state_t missing = c->dmarc_optional ? MC_STATE_WARNING : MC_STATE_CRITICAL;

	if (!r->dmarc || (r->org_asked && !r->dmarc_org)) {
		mc_result_add(rp->root, rp->tstate, "DMARC: no answer before the deadline");
		return;
	}
	if (a != r->dmarc && dmarc_broken(r->dmarc, err, sizeof(err)))
		mc_result_add(rp->root, MC_STATE_CRITICAL,
		              "DMARC: invalid record at _dmarc.%s, which receivers discard: %s",
		              c->domain, err);
	if (!a) {
		const mc_dns_answer_t *last = r->dmarc_org ? r->dmarc_org : r->dmarc;
		if (last->outcome != MC_DNS_ANSWER && !no_records(last))
			mc_result_add(rp->root, MC_STATE_CRITICAL, "DMARC: %s", last->error);
		else
			mc_result_add(rp->root, missing, "DMARC: no record at _dmarc.%s%s%s",
			              c->domain, r->org_asked ? " nor at _dmarc." : "",
			              r->org_asked ? r->org : "");
		return;
	}
	if (!dmarc_record(a, &rec, &n, err, sizeof(err))) {
		if (n > 1)
			mc_result_add(rp->root, MC_STATE_CRITICAL,
			              "DMARC: %zu records at _dmarc.%s; receivers then apply none "
			              "(RFC 7489 section 6.6.3)",
			              n, r->dmarc_at);
		else
			mc_result_add(rp->root, MC_STATE_CRITICAL,
			              "DMARC: invalid record at _dmarc.%s: %s", r->dmarc_at, err);
		return;
	}
	if (rec.p < c->dmarc_min)
		mc_result_add(
		    rp->root, MC_STATE_WARNING, "DMARC: p=%s, weaker than --dmarc-min-policy %s%s",
		    mc_dmarc_policy_str(rec.p), mc_dmarc_policy_str(c->dmarc_min),
		    rec.p == MC_DMARC_POLICY_NONE ? " (failing mail is only reported)" : "");
	if (rec.pct < 100)
		mc_result_add(rp->root, MC_STATE_WARNING,
		              "DMARC: pct=%u: the policy applies to %u%% of failing mail", rec.pct,
		              rec.pct);
	for (k = 0; k < r->nauth; k++) {
		const dmarc_auth_t *au = &r->auth[k];
		const mc_dns_rr_t *rr;
		bool ok = false;
		size_t j;
		if (!au->ans) {
			mc_result_add(
			    rp->root, rp->tstate,
			    "DMARC: report authorization %s unanswered before the deadline",
			    au->name);
			continue;
		}
		for (j = 0; j < au->ans->n; j++) {
			rr = au->ans->rrs[j];
			ok |= mc_dmarc_auth_record_ok((const char *)rr->data, rr->len);
		}
		if (!ok)
			mc_result_add(
			    rp->root, MC_STATE_WARNING,
			    "DMARC: reports go to %s, outside %s, which does not authorize "
			    "them (no v=DMARC1 at %s, RFC 7489 section 7.1)",
			    au->dest, r->org, au->name);
	}
	mc_result_add(rp->root, MC_STATE_OK, "DMARC: p=%s%s%s at _dmarc.%s, %zu report address%s",
	              mc_dmarc_policy_str(rec.p), rec.pct < 100 ? ", pct " : "",
	              rec.pct < 100 ? "below 100" : "", r->dmarc_at, rec.nrua,
	              rec.nrua == 1 ? "" : "es");
}

static void end(void *state, bool timed_out, mc_result_t *root)
{
	run_t *r = state;
	report_t rp = {r, root, timed_out ? r->cc->timeout_state : MC_STATE_UNKNOWN};
	char okline[80];
	size_t k;

	report_spf_record(&rp);
	report_spf_tree(&rp);
	report_evals(&rp);
	for (k = 0; k < r->cfg->nselectors; k++)
		report_dkim(&rp, k);
	report_dmarc(&rp);
	if (r->spf_end)
		mc_result_perf(root, "time_spf", (double)(r->spf_end - r->spf_start) / 1e6, "s",
		               NULL);
	if (r->dmarc_end)
		mc_result_perf(root, "time_dmarc", (double)(r->dmarc_end - r->spf_start) / 1e6, "s",
		               NULL);
	snprintf(okline, sizeof(okline), "SPF, %zu DKIM selector%s and DMARC sound",
	         r->cfg->nselectors, r->cfg->nselectors == 1 ? "" : "s");
	mc_check_summary(root, r->cfg->domain, ": ", okline);
	for (k = 0; k < r->nev; k++)
		mc_spf_run_free(r->ev[k].run);
	mc_dns_replay_free(r->walk_replay);
	mc_spf_walk_free(&r->walk);
	free(r);
}

/* ---- options ---- */

static mc_status_t ip_option(mc_addr_t *list, const char **texts, size_t *n, const char *arg,
                             const char *name, char *msg, size_t msgsz)
{
	if (*n == MAX_IPS) {
		snprintf(msg, msgsz, "too many --%s options (at most %d)", name, MAX_IPS);
		return MC_E_USAGE;
	}
	if (mc_addr_parse(arg, 0, &list[*n]) != MC_OK) {
		snprintf(msg, msgsz, "invalid --%s '%.100s' (want an IPv4 or IPv6 address)", name,
		         arg);
		return MC_E_USAGE;
	}
	texts[(*n)++] = arg;
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
	case OPT_SPF_PASS:
		return ip_option(c->pass, c->pass_text, &c->npass, arg, "spf-pass", msg, msgsz);
	case OPT_SPF_FAIL:
		return ip_option(c->fail, c->fail_text, &c->nfail, arg, "spf-fail", msg, msgsz);
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
		(void)ip_option(c->fail, c->fail_text, &c->nfail, deflt, "spf-fail", msg, msgsz);
	}
	if (!c->lookups.has_warn)
		(void)mc_check_range_option(&c->lookups.warn, &c->lookups.has_warn, "8",
		                            "spf-lookups-warning", msg, msgsz);
	if (!c->lookups.has_crit)
		(void)mc_check_range_option(&c->lookups.crit, &c->lookups.has_crit, "10",
		                            "spf-lookups-critical", msg, msgsz);
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
