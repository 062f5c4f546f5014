/* mc_check_sender.c - the sender-authentication survey of one domain (see
 * the header). */
#include "check/mc_check_sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns/mc_dns_replay.h"
#include "util/mc_clock.h"

struct mc_check_sender {
	const mc_check_sender_params_t *p;
	int64_t start;
	/* the static walk of the SPF tree, replayed on each answer */
	mc_dns_replay_t *walk_replay;
	mc_spf_walk_t walk;
	bool walk_final;
	int64_t spf_end;
	mc_spf_run_t *runs[MC_CHECK_SENDER_MAX_EVALS];
	mc_report_spf_eval_t ev[MC_CHECK_SENDER_MAX_EVALS];
	size_t nev;
	const mc_dns_answer_t *dkim[MC_CHECK_SENDER_MAX_SELECTORS];
	char dkim_name[MC_CHECK_SENDER_MAX_SELECTORS][300];
	mc_dkim_selector_t dkim_facts; /* the last selector asked for */
	/* DMARC discovery, replayed on each answer */
	mc_dns_replay_t *dmarc_replay;
	mc_dmarc_discovery_t dmarc;
	unsigned dmarc_known; /* record answers known (_dmarc.DOMAIN, _dmarc.ORG) */
	int64_t dmarc_end;
};

static bool walk_fn(void *arg, mc_dns_lookup_fn lookup, void *lookup_arg)
{
	mc_check_sender_t *s = arg;

	mc_spf_walk_free(&s->walk);
	mc_spf_walk(s->p->domain, lookup, lookup_arg, &s->walk);
	return s->walk.pending;
}

static void on_walk_done(void *arg)
{
	mc_check_sender_t *s = arg;

	s->walk_final = true;
	s->spf_end = mc_clock_now_us();
}

static bool dmarc_fn(void *arg, mc_dns_lookup_fn lookup, void *lookup_arg)
{
	mc_check_sender_t *s = arg;
	unsigned known;

	mc_dmarc_discover(s->p->domain, lookup, lookup_arg, &s->dmarc);
	/* time_dmarc: until the last answer about the record itself came */
	known = (unsigned)s->dmarc.answered + (unsigned)s->dmarc.org_answered;
	if (known > s->dmarc_known) {
		s->dmarc_known = known;
		s->dmarc_end = mc_clock_now_us();
	}
	return s->dmarc.pending;
}

static void on_dmarc_done(void *arg)
{
	(void)arg;
}

static void on_eval_done(void *arg, const mc_spf_result_t *res)
{
	mc_report_spf_eval_t *e = arg;

	(void)res;
	e->done = true;
}

static void on_dkim(void *arg, const mc_dns_answer_t *ans)
{
	const mc_dns_answer_t **slot = arg;

	*slot = ans;
}

static mc_dns_replay_t *replay(mc_loop_t *loop, mc_dns_t *dns, mc_dns_replay_fn fn,
                               mc_dns_replay_done_cb done, void *arg, const char *over_limit)
{
	mc_dns_replay_params_t p = {.fn = fn, .done = done, .arg = arg, .over_limit = over_limit};
	mc_dns_replay_t *rp = NULL;

	(void)mc_dns_replay_start(loop, dns, &p, &rp);
	return rp;
}

static void start_evals(mc_check_sender_t *s, mc_loop_t *loop, mc_dns_t *dns)
{
	const mc_check_sender_params_t *p = s->p;
	mc_spf_params_t sp = {.sender = p->sender, .helo = p->helo, .domain = p->domain};
	size_t k;

	sp.now = (int64_t)time(NULL);
	for (k = 0; k < p->nips && k < MC_CHECK_SENDER_MAX_EVALS; k++) {
		mc_report_spf_eval_t *e = &s->ev[s->nev];
		sp.ip = p->ips[k].ip;
		e->want_pass = p->ips[k].want_pass;
		e->ip = p->ips[k].text;
		if (mc_spf_run_start(loop, dns, &sp, on_eval_done, e, &s->runs[s->nev]) == MC_OK)
			s->nev++;
	}
}

mc_status_t mc_check_sender_start(mc_loop_t *loop, mc_dns_t *dns, const mc_check_sender_params_t *p,
                                  mc_check_sender_t **out)
{
	mc_check_sender_t *s = calloc(1, sizeof(*s));
	size_t k;

	*out = s;
	if (!s)
		return MC_E_NOMEM;
	s->p = p;
	s->start = mc_clock_now_us();
	s->walk_replay =
	    replay(loop, dns, walk_fn, on_walk_done, s, "too many questions for the SPF walk");
	start_evals(s, loop, dns);
	for (k = 0; k < p->nselectors && k < MC_CHECK_SENDER_MAX_SELECTORS; k++) {
		snprintf(s->dkim_name[k], sizeof(s->dkim_name[k]), "%s._domainkey.%s",
		         p->selectors[k], p->domain);
		(void)mc_dns_query(dns, s->dkim_name[k], MC_DNS_T_TXT, on_dkim, &s->dkim[k]);
	}
	s->dmarc_replay = replay(loop, dns, dmarc_fn, on_dmarc_done, s, NULL);
	return MC_OK;
}

void mc_check_sender_spf(mc_check_sender_t *s, mc_report_spf_facts_t *out)
{
	size_t k;

	for (k = 0; k < s->nev; k++)
		s->ev[k].res = mc_spf_run_result(s->runs[k]);
	out->domain = s->p->domain;
	out->walk = &s->walk;
	out->walk_final = s->walk_final;
	out->evals = s->ev;
	out->nevals = s->nev;
}

const mc_dkim_selector_t *mc_check_sender_dkim(mc_check_sender_t *s, size_t k, const char **name)
{
	*name = s->dkim_name[k];
	mc_dkim_selector_facts(s->dkim[k], &s->dkim_facts);
	return &s->dkim_facts;
}

const mc_dmarc_discovery_t *mc_check_sender_dmarc(const mc_check_sender_t *s)
{
	return &s->dmarc;
}

double mc_check_sender_time_spf(const mc_check_sender_t *s)
{
	return s->spf_end ? (double)(s->spf_end - s->start) / 1e6 : -1.0;
}

double mc_check_sender_time_dmarc(const mc_check_sender_t *s)
{
	return s->dmarc_end ? (double)(s->dmarc_end - s->start) / 1e6 : -1.0;
}

void mc_check_sender_free(mc_check_sender_t *s)
{
	size_t k;

	if (!s)
		return;
	for (k = 0; k < s->nev; k++)
		mc_spf_run_free(s->runs[k]);
	mc_dns_replay_free(s->walk_replay);
	mc_dns_replay_free(s->dmarc_replay);
	mc_spf_walk_free(&s->walk);
	free(s);
}
