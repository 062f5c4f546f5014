/* mc_dns_replay.c - a pure function of DNS answers replayed on each answer
 * mc_dns gives it. */
#include "mc_dns_replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/mc_dns_msg.h"

struct question {
	struct question *next;
	mc_dns_replay_t *rp; /* NULL once detached from a freed replay */
	const mc_dns_answer_t *ans;
	mc_dns_answer_t *synth; /* an answer mc_dns could not give */
	bool in_flight;         /* asked, not answered yet */
	uint16_t type;
	char name[];
};

struct mc_dns_replay {
	mc_loop_t *loop;
	mc_dns_t *dns;
	mc_dns_replay_params_t p;
	struct question *questions;
	size_t nquestions, in_flight;
	mc_timer_t *timer;
	bool finished;
	/* while done runs: where mc_dns_replay_free notes that the replay is
	 * gone */
	bool *freed;
};

static void replay(mc_dns_replay_t *rp);

static void on_answer(void *arg, const mc_dns_answer_t *ans)
{
	struct question *q = arg;

	q->in_flight = false;
	if (!q->rp) {
		free(q);
		return;
	}
	q->ans = ans;
	q->rp->in_flight--;
	if (!q->rp->finished)
		replay(q->rp);
}

static const mc_dns_answer_t *synthesize(struct question *q, mc_dns_outcome_t outcome,
                                         const char *why)
{
	char tb[16];

	q->synth = calloc(1, sizeof(*q->synth));
	if (!q->synth)
		return NULL;
	q->synth->outcome = outcome;
	q->synth->name = q->name;
	q->synth->type = q->type;
	snprintf(q->synth->error, sizeof(q->synth->error), "%s %s: %s",
	         mc_dns_type_str(q->type, tb, sizeof(tb)), q->name, why);
	q->ans = q->synth;
	return q->ans;
}

static const mc_dns_answer_t *lookup(void *arg, const char *name, uint16_t type)
{
	mc_dns_replay_t *rp = arg;
	struct question *q;
	size_t n = strlen(name);
	mc_status_t st;

	for (q = rp->questions; q; q = q->next)
		if (q->type == type && mc_dns_name_eq(q->name, name))
			return q->ans;
	q = calloc(1, sizeof(*q) + n + 1);
	if (!q)
		return NULL; /* asked again on the next run */
	memcpy(q->name, name, n + 1);
	q->type = type;
	q->rp = rp;
	q->next = rp->questions;
	rp->questions = q;
	if (++rp->nquestions > rp->p.max_questions)
		return synthesize(q, MC_DNS_SERVFAIL,
		                  rp->p.over_limit ? rp->p.over_limit : "too many questions");
	st = mc_dns_query(rp->dns, name, type, on_answer, q);
	if (st == MC_OK) {
		q->in_flight = true;
		rp->in_flight++;
		return NULL;
	}
	if (st == MC_E_USAGE)
		return synthesize(q, MC_DNS_NXDOMAIN, "not a name that can be asked");
	return synthesize(q, MC_DNS_SERVFAIL, "out of memory");
}

/* Call done; the callback may free the replay. */
static void report(mc_dns_replay_t *rp)
{
	bool freed = false;

	rp->finished = true;
	rp->freed = &freed;
	rp->p.done(rp->p.arg);
	if (!freed)
		rp->freed = NULL;
}

static void replay(mc_dns_replay_t *rp)
{
	if (!rp->p.fn(rp->p.arg, lookup, rp))
		report(rp);
}

/* Free rp; questions in flight are detached (freed when their answer
 * comes) or freed now. */
static void release(mc_dns_replay_t *rp, bool detach)
{
	struct question *q, *next;

	mc_loop_timer_cancel(rp->loop, rp->timer);
	for (q = rp->questions; q; q = next) {
		next = q->next;
		free(q->synth);
		if (detach && q->in_flight) {
			q->rp = NULL;
			q->next = NULL;
		} else {
			free(q);
		}
	}
	free(rp);
}

static void on_first_done(mc_loop_t *loop, void *arg)
{
	mc_dns_replay_t *rp = arg;

	(void)loop;
	rp->timer = NULL;
	report(rp);
}

mc_status_t mc_dns_replay_start(mc_loop_t *loop, mc_dns_t *dns, const mc_dns_replay_params_t *p,
                                mc_dns_replay_t **out)
{
	mc_dns_replay_t *rp = calloc(1, sizeof(*rp));

	*out = NULL;
	if (!rp)
		return MC_E_NOMEM;
	rp->loop = loop;
	rp->dns = dns;
	rp->p = *p;
	if (!rp->p.max_questions)
		rp->p.max_questions = MC_DNS_REPLAY_MAX_QUESTIONS;
	if (!rp->p.fn(rp->p.arg, lookup, rp)) {
		/* known without waiting: reported from the loop, never from here */
		rp->timer = mc_loop_timer(loop, 0, on_first_done, rp);
		if (!rp->timer) {
			/* the loop goes on: questions asked ahead must be detached */
			release(rp, true);
			return MC_E_NOMEM;
		}
	}
	*out = rp;
	return MC_OK;
}

bool mc_dns_replay_busy(const mc_dns_replay_t *rp)
{
	return rp->in_flight > 0;
}

void mc_dns_replay_free(mc_dns_replay_t *rp)
{
	if (!rp)
		return;
	/* From done the loop goes on: an answer still to come must find its
	 * question. Anywhere else the caller frees the resolver before the
	 * loop runs again (the header says so), and nothing is detached. */
	if (rp->freed)
		*rp->freed = true;
	release(rp, rp->freed != NULL);
}
