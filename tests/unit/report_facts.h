/* report_facts.h - DNS answers built by hand for the judgement tests
 * (test_report_*.c): a pool of answers and records reset per case, and
 * the check that runs a judgement's output through report_lines. Header
 * only: each test includes it once. */
#ifndef REPORT_FACTS_H
#define REPORT_FACTS_H

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dns/mc_dns.h"
#include "report_lines.h"

#define FAKE_ANSWERS 64
#define FAKE_RRS 8

typedef struct fake_answer {
	mc_dns_answer_t a;
	mc_dns_rr_t rr[FAKE_RRS];
	char names[FAKE_RRS][64];
} fake_answer_t;

static fake_answer_t fake_pool[FAKE_ANSWERS];
static size_t fake_used;

static inline void fake_reset(void)
{
	memset(fake_pool, 0, sizeof(fake_pool));
	fake_used = 0;
}

/* An answer with outcome o and no records; error is its error line. */
static inline mc_dns_answer_t *fake(mc_dns_outcome_t o, const char *error)
{
	fake_answer_t *f;

	assert_true(fake_used < FAKE_ANSWERS);
	f = &fake_pool[fake_used++];
	f->a.outcome = o;
	snprintf(f->a.error, sizeof(f->a.error), "%s", error ? error : "");
	return &f->a;
}

/* Append a record to a; name is copied (may be NULL). */
static inline mc_dns_rr_t *fake_rr(mc_dns_answer_t *a, uint16_t type, const char *name)
{
	fake_answer_t *f = (fake_answer_t *)a;
	mc_dns_rr_t *rr;

	assert_true(a->n < FAKE_RRS);
	rr = &f->rr[a->n];
	rr->type = type;
	if (name) {
		snprintf(f->names[a->n], sizeof(f->names[a->n]), "%s", name);
		rr->name = f->names[a->n];
	}
	a->rrs[a->n++] = rr;
	a->outcome = MC_DNS_ANSWER;
	return rr;
}

/* An answer of A or AAAA records from address texts, NULL-terminated. */
static inline mc_dns_answer_t *fake_addrs(const char *first, ...)
{
	mc_dns_answer_t *a = fake(MC_DNS_ANSWER, NULL);
	const char *t;
	va_list ap;

	va_start(ap, first);
	for (t = first; t; t = va_arg(ap, const char *)) {
		bool v6 = strchr(t, ':') != NULL;
		mc_dns_rr_t *rr = fake_rr(a, v6 ? MC_DNS_T_AAAA : MC_DNS_T_A, NULL);
		assert_int_equal(inet_pton(v6 ? AF_INET6 : AF_INET, t, rr->addr), 1);
		a->type = rr->type;
	}
	va_end(ap);
	return a;
}

/* A TXT answer of one record. */
static inline mc_dns_answer_t *fake_txt(const char *text)
{
	mc_dns_answer_t *a = fake(MC_DNS_ANSWER, NULL);
	mc_dns_rr_t *rr = fake_rr(a, MC_DNS_T_TXT, NULL);

	rr->data = (const uint8_t *)text;
	rr->len = strlen(text);
	rr->nstrings = 1;
	return a;
}

static inline mc_dns_asked_t asked(const mc_dns_answer_t *a)
{
	mc_dns_asked_t q = {true, false, a};

	return q;
}

/* Render root, compare with the wanted lines and perfdata, free it. */
static inline void check_lines(const char *name, mc_result_t *root, const char *lines,
                               const char *perf)
{
	report_lines_t r;

	print_message("case: %s\n", name);
	report_lines(root, &r);
	assert_string_equal(r.lines, lines);
	if (perf)
		assert_string_equal(r.perf, perf);
	report_lines_free(&r);
	mc_result_free(root);
}

#endif
