/* test_spf_check_host.c - check_host() (policy/mc_spf.h, RFC 7208 sections
 * 4 to 6) as a pure evaluation over a lookup callback backed by the zone of
 * spf_zone.h: every case with answers known at once, released a few at a
 * time in random order, or with the records of each answer rotated (the
 * result must not change), the prefetch of include targets, and a fail
 * waiting only for its explanation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dns/mc_dns.h"
#include "policy/mc_spf.h"
#include "spf_zone.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The lookup callback: every answer known at once, or (staged) only those
 * released so far; every question is logged in the order first asked. */
typedef struct world {
	bool staged;
	struct {
		char name[300];
		uint16_t type;
		bool known;
	} q[512];
	size_t nq;
	unsigned calls;
} world_t;

static const mc_dns_answer_t *world_lookup(void *arg, const char *name, uint16_t type)
{
	world_t *w = arg;
	size_t i;

	w->calls++;
	for (i = 0; i < w->nq; i++)
		if (w->q[i].type == type && !strcasecmp(w->q[i].name, name))
			break;
	if (i == w->nq) {
		assert_true(w->nq < N_OF(w->q));
		snprintf(w->q[i].name, sizeof(w->q[i].name), "%s", name);
		w->q[i].type = type;
		w->q[i].known = !w->staged;
		w->nq++;
	}
	return w->q[i].known ? spf_zone_answer(name, type) : NULL;
}

static bool world_asked(const world_t *w, const char *name, uint16_t type)
{
	size_t i;

	for (i = 0; i < w->nq; i++)
		if (w->q[i].type == type && !strcasecmp(w->q[i].name, name))
			return true;
	return false;
}

static void test_check_host_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < spf_host_ncases; i++) {
		const spf_host_case_t *c = &spf_host_cases[i];
		world_t *w = calloc(1, sizeof(*w));
		mc_spf_params_t p;
		mc_spf_result_t r;

		print_message("case: %s\n", c->name);
		spf_params(&p, c->ip, c->sender, c->helo);
		assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
		spf_check_case(c, &r);
		free(w);
		spf_zone_free();
	}
}

/* The same cases with answers arriving a few at a time in random order,
 * replayed from the start on each: the result never depends on which
 * answer came first, nor on what was prefetched. */
static void test_check_host_replayed(void **state)
{
	unsigned seed;
	size_t i;

	(void)state;
	srand(7208);
	for (seed = 0; seed < 8; seed++) {
		for (i = 0; i < spf_host_ncases; i++) {
			const spf_host_case_t *c = &spf_host_cases[i];
			world_t *w = calloc(1, sizeof(*w));
			mc_spf_params_t p;
			mc_spf_result_t r;
			unsigned rounds = 0;

			spf_params(&p, c->ip, c->sender, c->helo);
			w->staged = true;
			for (;;) {
				size_t j, released = 0;
				assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
				if (!r.pending)
					break;
				assert_int_equal(
				    r.result == MC_SPF_TEMPERROR || r.result == MC_SPF_FAIL, 1);
				assert_non_null(strstr(r.reason, "no answer yet: "));
				assert_true(++rounds < 100);
				while (!released) {
					for (j = 0; j < w->nq; j++) {
						if (!w->q[j].known && rand() % 3 == 0) {
							w->q[j].known = true;
							released++;
						}
					}
				}
			}
			spf_check_case(c, &r);
			free(w);
			spf_zone_free();
		}
	}
}

/* The same cases with the records of every answer rotated, as resolvers
 * rotate them: the result does not follow the order of an answer. */
static void test_check_host_rotated(void **state)
{
	size_t i, by;

	(void)state;
	for (by = 1; by <= 3; by++) {
		spf_zone_rotate(by);
		for (i = 0; i < spf_host_ncases; i++) {
			const spf_host_case_t *c = &spf_host_cases[i];
			world_t *w;
			mc_spf_params_t p;
			mc_spf_result_t r;

			print_message("case: %s, rotated by %zu\n", c->name, by);
			w = calloc(1, sizeof(*w));
			assert_non_null(w);
			spf_params(&p, c->ip, c->sender, c->helo);
			assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
			spf_check_case(c, &r);
			free(w);
			spf_zone_free();
		}
	}
	spf_zone_rotate(0);
}

static size_t released_all(world_t *w)
{
	size_t i, n = 0;

	for (i = 0; i < w->nq; i++) {
		n += !w->q[i].known;
		w->q[i].known = true;
	}
	return n;
}

/* Each include target is asked as soon as the record naming it is known,
 * however deep: a tree of depth 3 takes 4 rounds of answers. */
static void test_prefetch_rounds(void **state)
{
	world_t *w = calloc(1, sizeof(*w));
	mc_spf_params_t p;
	mc_spf_result_t r;

	(void)state;
	w->staged = true;
	spf_params(&p, "192.0.2.10", "u@tree.test", "h.test");
	/* round 1: the record itself */
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_true(r.pending);
	assert_int_equal(r.result, MC_SPF_TEMPERROR);
	assert_string_equal(r.reason, "no answer yet: TXT tree.test");
	assert_int_equal(w->nq, 1);
	assert_int_equal(released_all(w), 1);
	/* round 2: both includes at once, though evaluation waits for the first */
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_true(r.pending);
	assert_string_equal(r.reason, "no answer yet: TXT a.tree.test");
	assert_true(world_asked(w, "b.tree.test", MC_DNS_T_TXT));
	assert_int_equal(released_all(w), 2);
	/* round 3: the second level of both branches */
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_true(r.pending);
	assert_string_equal(r.reason, "no answer yet: TXT a1.tree.test");
	assert_true(world_asked(w, "b1.tree.test", MC_DNS_T_TXT));
	assert_int_equal(released_all(w), 2);
	/* round 4: the result */
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_false(r.pending);
	assert_int_equal(r.result, MC_SPF_PASS);
	assert_int_equal(r.lookups, 4);
	assert_int_equal(released_all(w), 0);
	free(w);
	spf_zone_free();
}

/* Answers fetched ahead that evaluation never reaches count for nothing:
 * three void names are prefetched, the include before them passes. */
static void test_prefetch_counts_nothing(void **state)
{
	world_t *w = calloc(1, sizeof(*w));
	mc_spf_params_t p;
	mc_spf_result_t r;

	(void)state;
	w->staged = true;
	spf_params(&p, "192.0.2.10", "u@early.test", "h.test");
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	released_all(w);
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_true(r.pending);
	assert_string_equal(r.reason, "no answer yet: TXT first.test");
	assert_true(world_asked(w, "v1.test", MC_DNS_T_A));
	assert_true(world_asked(w, "v2.test", MC_DNS_T_A));
	assert_true(world_asked(w, "v3.test", MC_DNS_T_A));
	released_all(w);
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_false(r.pending);
	assert_int_equal(r.result, MC_SPF_PASS);
	assert_string_equal(r.term, "ip4:192.0.2.10 in include:first.test");
	assert_int_equal(r.lookups, 1);
	assert_int_equal(r.void_lookups, 0);
	/* the same with every answer known: identical */
	memset(w, 0, sizeof(*w));
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_int_equal(r.result, MC_SPF_PASS);
	assert_int_equal(r.void_lookups, 0);
	assert_false(world_asked(w, "v1.test", MC_DNS_T_A));
	free(w);
	spf_zone_free();
}

/* Waiting only for exp=: a fail with the default explanation so far. */
static void test_pending_exp(void **state)
{
	world_t *w = calloc(1, sizeof(*w));
	mc_spf_params_t p;
	mc_spf_result_t r;
	size_t i;

	(void)state;
	w->staged = true;
	spf_params(&p, "192.0.2.10", "u@expfail.test", "h.test");
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	released_all(w);
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_true(r.pending);
	assert_int_equal(r.result, MC_SPF_FAIL);
	assert_false(r.explained);
	assert_string_equal(r.explanation, MC_SPF_DEFAULT_EXPLANATION);
	assert_string_equal(r.reason, "no answer yet: TXT e2.test");
	for (i = 0; i < w->nq; i++)
		w->q[i].known = true;
	assert_int_equal(mc_spf_check_host(&p, world_lookup, w, &r), MC_OK);
	assert_false(r.pending);
	assert_true(r.explained);
	assert_string_equal(r.explanation, "192.0.2.10 is not one of expfail.test's senders");
	free(w);
	spf_zone_free();
}

static void test_bad_params(void **state)
{
	mc_spf_params_t p;
	mc_spf_result_t r;
	world_t w;

	(void)state;
	memset(&p, 0, sizeof(p));
	memset(&w, 0, sizeof(w));
	assert_int_equal(mc_spf_check_host(&p, world_lookup, &w, &r), MC_E_USAGE);
	assert_string_equal(mc_spf_res_str(MC_SPF_SOFTFAIL), "softfail");
	assert_string_equal(mc_spf_res_str(MC_SPF_PERMERROR), "permerror");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_host_table),
	    cmocka_unit_test(test_check_host_replayed),
	    cmocka_unit_test(test_check_host_rotated),
	    cmocka_unit_test(test_prefetch_rounds),
	    cmocka_unit_test(test_prefetch_counts_nothing),
	    cmocka_unit_test(test_pending_exp),
	    cmocka_unit_test(test_bad_params),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
