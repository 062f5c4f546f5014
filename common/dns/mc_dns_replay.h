/* mc_dns_replay.h - drive a pure function of DNS answers on mc_dns.
 *
 * The function never waits: it reads every answer it needs through a
 * lookup callback, which gives the answer when it is known and otherwise
 * asks mc_dns for it (once per question) and gives NULL. A function that
 * got a NULL goes on with what it can see, asks for everything else it will
 * need, and returns "pending". Whenever an answer to one of its questions
 * arrives, the function is run again from the start (replayed) with one
 * more answer known, until it returns "not pending"; then done is called.
 * A replay costs no traffic (known answers are kept), and a function that
 * is pure gives the same final result whatever order the answers came in,
 * while all the questions it can foresee are in flight at once. */
#ifndef MC_DNS_REPLAY_H
#define MC_DNS_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/mc_dns.h"
#include "loop/mc_loop.h"
#include "util/mc_status.h"

typedef struct mc_dns_replay mc_dns_replay_t;

/* The answer to a question if known, else NULL ("not yet known": the
 * question has been asked). name is in the form mc_dns_query takes (a
 * backslash escapes the next byte; case and one trailing dot do not make a
 * question different); type an MC_DNS_T_* value. An answer given stays
 * valid until mc_dns_replay_free (and mc_dns_free). */
typedef const mc_dns_answer_t *(*mc_dns_lookup_fn)(void *arg, const char *name, uint16_t type);

/* The function: reads its inputs through lookup(lookup_arg, ...), writes
 * its result wherever arg says, and returns true while pending (a lookup
 * gave NULL and the result needs that answer). It must not free the
 * replay. */
typedef bool (*mc_dns_replay_fn)(void *arg, mc_dns_lookup_fn lookup, void *lookup_arg);

/* Called once, on the loop, after the run of fn that was not pending. The
 * callback may free the replay. */
typedef void (*mc_dns_replay_done_cb)(void *arg);

/* Questions a replay asks at most when max_questions is 0. */
#define MC_DNS_REPLAY_MAX_QUESTIONS 512

typedef struct mc_dns_replay_params {
	mc_dns_replay_fn fn;
	mc_dns_replay_done_cb done;
	void *arg; /* given to fn and done */
	/* Questions asked at most (0: MC_DNS_REPLAY_MAX_QUESTIONS); the lookup
	 * answers any further one SERVFAIL without asking it. */
	size_t max_questions;
	/* The end of that SERVFAIL's error line ("TXT a.example: too many
	 * questions for one SPF evaluation"). NULL: "too many questions". */
	const char *over_limit;
} mc_dns_replay_params_t;

/* Run p->fn once now, then again on each answer to one of its questions,
 * on dns (whose loop is loop). Answers mc_dns cannot give are made up: a
 * name mc_dns_query refuses (MC_E_USAGE: not a name DNS can carry) is
 * NXDOMAIN, "not a name that can be asked"; a question over the limit or
 * one mc_dns has no memory for is SERVFAIL. Such answers have no msg and
 * their error line names the question (no memory to note a question: the
 * lookup gives NULL, and asks again in the next run). done is called from
 * the loop, never before this returns, even when the first run is not
 * pending; after it, answers still coming are kept but fn is not run
 * again. Several replays may share one resolver. MC_OK with *out set,
 * MC_E_NOMEM (done is then never called). */
mc_status_t mc_dns_replay_start(mc_loop_t *loop, mc_dns_t *dns, const mc_dns_replay_params_t *p,
                                mc_dns_replay_t **out);

/* Questions still in flight: answers fn did not wait for (asked ahead),
 * or those a deadline cut short. */
bool mc_dns_replay_busy(const mc_dns_replay_t *rp);

/* Free the replay (done is then never called; NULL is ignored). mc_dns has
 * no way to cancel one question, so what happens to questions still in
 * flight depends on where this is called:
 * - from done: the loop goes on, so they are detached and each is freed
 *   when its answer comes (or lost if the resolver is freed first);
 * - anywhere else: they are freed with the replay, so the loop must not run
 *   again before mc_dns_free, unless mc_dns_replay_busy is false. This is
 *   the case after mc_loop_run returns, at a deadline too: free the
 *   replays and the resolver, in either order, and nothing is leaked. */
void mc_dns_replay_free(mc_dns_replay_t *rp);

#endif
