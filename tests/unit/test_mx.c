/* Unit tests: the facts of an MX answer (policy/mc_mx): the order senders
 * try the hosts in (RFC 5321 section 5.1), the null MX (RFC 7505), the
 * implicit MX, and the host cap that names what it leaves out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "policy/mc_mx.h"

#define MAXREC 40

typedef struct {
	mc_dns_answer_t a;
	mc_dns_rr_t rr[MAXREC];
	char names[MAXREC][32];
} answer_t;

/* "10 a.test, 20 b.test": an MX answer (no records: NODATA). */
static void build(answer_t *w, mc_dns_outcome_t o, const char *list)
{
	const char *p = list;

	memset(w, 0, sizeof(*w));
	w->a.outcome = o;
	while (p && *p) {
		mc_dns_rr_t *rr = &w->rr[w->a.n];
		unsigned pref = 0;
		size_t len;
		while (*p >= '0' && *p <= '9')
			pref = pref * 10 + (unsigned)(*p++ - '0');
		p++;
		len = strcspn(p, ",");
		memcpy(w->names[w->a.n], p, len);
		rr->type = MC_DNS_T_MX;
		rr->pref = (uint16_t)pref;
		rr->name = w->names[w->a.n];
		w->a.rrs[w->a.n] = rr;
		w->a.n++;
		p += len;
		p += strspn(p, ", ");
	}
}

typedef struct {
	const char *name;
	mc_dns_outcome_t outcome;
	const char *records;
	const char *want; /* the sorted hosts, "pref name" joined by ", " */
	bool null_mx, among_others, implicit;
} sort_case_t;

static const sort_case_t sort_cases[] = {
    {"one host", MC_DNS_ANSWER, "10 mx.test", "10 mx.test", false, false, false},
    {"lowest preference first", MC_DNS_ANSWER, "20 b.test, 10 a.test", "10 a.test, 20 b.test",
     false, false, false},
    {"equal preference: by name", MC_DNS_ANSWER, "10 z.test, 10 a.test, 5 m.test",
     "5 m.test, 10 a.test, 10 z.test", false, false, false},
    {"name order ignores case", MC_DNS_ANSWER, "10 B.test, 10 a.test", "10 a.test, 10 B.test",
     false, false, false},
    {"stable for any answer order", MC_DNS_ANSWER, "30 c.test, 10 a.test, 20 b.test",
     "10 a.test, 20 b.test, 30 c.test", false, false, false},
    {"null MX alone", MC_DNS_ANSWER, "0 .", "", true, false, false},
    {"null MX among others", MC_DNS_ANSWER, "10 a.test, 0 .", "", true, true, false},
    {"no MX records: implicit MX", MC_DNS_NODATA, "", "", false, false, true},
    {"NXDOMAIN: no implicit MX", MC_DNS_NXDOMAIN, "", "", false, false, false},
    {"SERVFAIL: nothing", MC_DNS_SERVFAIL, "", "", false, false, false},
};

static void join(const mc_dns_rr_t *const *rr, size_t n, char *out, size_t outsz)
{
	size_t k, used = 0;

	out[0] = '\0';
	for (k = 0; k < n; k++)
		used += (size_t)snprintf(out + used, outsz - used, "%s%u %s", k ? ", " : "",
		                         rr[k]->pref, rr[k]->name);
}

static void test_sorted(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sort_cases) / sizeof(sort_cases[0]); i++) {
		const sort_case_t *c = &sort_cases[i];
		static answer_t w;
		const mc_dns_rr_t *out[MAXREC];
		char got[512];
		bool null_mx = !c->null_mx;
		size_t n;
		build(&w, c->outcome, c->records);
		n = mc_mx_sorted(&w.a, out, MAXREC, &null_mx);
		join(out, n, got, sizeof(got));
		print_message("case: %s\n", c->name);
		assert_string_equal(got, c->want);
		assert_int_equal(null_mx, c->null_mx);
		assert_int_equal(mc_mx_is_null(&w.a), c->null_mx);
		assert_int_equal(mc_mx_null_among_others(&w.a), c->among_others);
		assert_int_equal(mc_mx_implicit(&w.a), c->implicit);
	}
	assert_false(mc_mx_is_null(NULL));
	assert_false(mc_mx_implicit(NULL));
}

static void test_sorted_max(void **state)
{
	static answer_t w;
	const mc_dns_rr_t *out[2];
	bool null_mx;

	(void)state;
	build(&w, MC_DNS_ANSWER, "30 c.test, 10 a.test, 20 b.test");
	assert_int_equal(mc_mx_sorted(&w.a, out, 2, &null_mx), 2);
	assert_string_equal(out[0]->name, "a.test");
	assert_string_equal(out[1]->name, "b.test");
	assert_int_equal(mc_mx_sorted(&w.a, out, 0, &null_mx), 0);
}

static void test_set_dedup(void **state)
{
	static answer_t w;
	mc_mx_set_t set;

	(void)state;
	/* One name twice (case differs): the lower preference stands. */
	build(&w, MC_DNS_ANSWER, "20 A.test, 10 b.test, 10 a.test.");
	mc_mx_set_read(&w.a, &set);
	assert_int_equal(set.nhosts, 2);
	assert_int_equal(set.nrest, 0);
	assert_string_equal(set.host[0]->name, "a.test.");
	assert_string_equal(set.host[1]->name, "b.test");
	build(&w, MC_DNS_ANSWER, "0 .");
	mc_mx_set_read(&w.a, &set);
	assert_true(set.null_mx);
	assert_int_equal(set.nhosts, 0);
}

static void test_set_cap_names_the_rest(void **state)
{
	static answer_t w;
	char list[1024];
	size_t used = 0, k;
	mc_mx_set_t set;

	(void)state;
	for (k = 0; k < MC_MX_MAX_HOSTS + 3; k++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%zu mx%02zu.test",
		                         k ? ", " : "", 100 - k, k);
	build(&w, MC_DNS_ANSWER, list);
	mc_mx_set_read(&w.a, &set);
	assert_int_equal(MC_MX_MAX_HOSTS, 16);
	assert_int_equal(set.nhosts, MC_MX_MAX_HOSTS);
	assert_int_equal(set.nrest, 3);
	/* Lowest preference first: the last listed are checked. */
	assert_string_equal(set.host[0]->name, "mx18.test");
	assert_string_equal(set.rest[0], "mx02.test");
	assert_string_equal(set.rest[1], "mx01.test");
	assert_string_equal(set.rest[2], "mx00.test");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sorted),
	    cmocka_unit_test(test_sorted_max),
	    cmocka_unit_test(test_set_dedup),
	    cmocka_unit_test(test_set_cap_names_the_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
