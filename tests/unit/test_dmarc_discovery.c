/* Unit tests: DMARC discovery (policy/mc_dmarc_discovery.h): the record at
 * _dmarc.DOMAIN, else at the organizational domain (RFC 7489 section
 * 6.6.3), and the authorizations of external report destinations (section
 * 7.1), over answers given by hand, all at once or some withheld. Under
 * .test (not in the Public Suffix List) the organizational domain of
 * a.example.test is example.test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy/mc_dmarc_discovery.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct zone_entry {
	const char *name;
	mc_dns_outcome_t outcome;
	const char *txt[3];
} zone_entry_t;

#define AUTH_RUA                                                                                   \
	"v=DMARC1; p=reject; rua=mailto:x@rua.test,mailto:y@norua.test,mailto:z@j.example.test; "  \
	"ruf=mailto:x@RUA.test,mailto:w@servfail.test"
#define MANY                                                                                       \
	"v=DMARC1; p=reject; "                                                                     \
	"rua=mailto:a@h1.test,mailto:a@h2.test,mailto:a@h3.test,mailto:a@h4.test,mailto:a@h5."     \
	"test,mailto:a@h6.test,mailto:a@h7.test,mailto:a@h8.test; ruf=mailto:a@h9.test"

static const zone_entry_t zone[] = {
    {"_dmarc.a.example.test",
     MC_DNS_ANSWER,
     {"v=spf1 -all", "v=DMARC1; p=reject; rua=mailto:d@a.example.test"}},
    {"_dmarc.b.example.test", MC_DNS_NXDOMAIN, {NULL}},
    {"_dmarc.example.test", MC_DNS_ANSWER, {"v=DMARC1; p=quarantine"}},
    {"_dmarc.c.other.test", MC_DNS_NODATA, {NULL}},
    {"_dmarc.other.test", MC_DNS_NXDOMAIN, {NULL}},
    {"_dmarc.norec.test", MC_DNS_NXDOMAIN, {NULL}},
    {"_dmarc.e.example.test", MC_DNS_SERVFAIL, {NULL}},
    {"_dmarc.f.broken.test", MC_DNS_NXDOMAIN, {NULL}},
    {"_dmarc.broken.test", MC_DNS_SERVFAIL, {NULL}},
    {"_dmarc.g.example.test", MC_DNS_ANSWER, {"p=reject; v=DMARC1"}},
    {"_dmarc.h.example.test", MC_DNS_ANSWER, {"v=DMARC1; p=reject", "v=DMARC1; p=none"}},
    {"_dmarc.i.example.test", MC_DNS_ANSWER, {"v=DMARC1; p=bogus"}},
    {"_dmarc.j.example.test", MC_DNS_ANSWER, {AUTH_RUA}},
    {"j.example.test._report._dmarc.rua.test", MC_DNS_ANSWER, {"other", "v=DMARC1"}},
    {"j.example.test._report._dmarc.norua.test", MC_DNS_ANSWER, {"v=DMARC2"}},
    {"j.example.test._report._dmarc.servfail.test", MC_DNS_SERVFAIL, {NULL}},
    {"_dmarc.k.example.test", MC_DNS_ANSWER, {MANY}},
};

typedef struct world {
	const char *withheld[4]; /* names answered NULL */
	char asked[32][300];
	size_t nasked;
	mc_dns_answer_t ans[32];
	mc_dns_rr_t rr[32][3];
	size_t nans;
} world_t;

static const mc_dns_answer_t *lookup(void *arg, const char *name, uint16_t type)
{
	world_t *w = arg;
	mc_dns_answer_t *a;
	size_t i, k;

	assert_int_equal(type, MC_DNS_T_TXT);
	assert_true(w->nasked < N_OF(w->asked));
	snprintf(w->asked[w->nasked++], sizeof(w->asked[0]), "%s", name);
	for (i = 0; i < N_OF(w->withheld) && w->withheld[i]; i++)
		if (!strcmp(w->withheld[i], name))
			return NULL;
	assert_true(w->nans < N_OF(w->ans));
	a = &w->ans[w->nans];
	memset(a, 0, sizeof(*a));
	a->name = name;
	a->type = type;
	a->outcome = MC_DNS_NXDOMAIN;
	for (i = 0; i < N_OF(zone); i++) {
		if (strcmp(zone[i].name, name))
			continue;
		a->outcome = zone[i].outcome;
		for (k = 0; k < N_OF(zone[i].txt) && zone[i].txt[k]; k++) {
			mc_dns_rr_t *rr = &w->rr[w->nans][k];
			memset(rr, 0, sizeof(*rr));
			rr->type = MC_DNS_T_TXT;
			rr->data = (const uint8_t *)zone[i].txt[k];
			rr->len = strlen(zone[i].txt[k]);
			rr->nstrings = 1;
			a->rrs[a->n++] = rr;
		}
	}
	if (a->outcome != MC_DNS_ANSWER)
		snprintf(a->error, sizeof(a->error), "TXT %s: %s", name,
		         mc_dns_outcome_str(a->outcome));
	w->nans++;
	return a;
}

typedef struct disc_case {
	const char *name, *domain;
	const char *withheld[4];
	bool pending;
	mc_dmarc_found_t found;
	const char *org, *at;
	bool org_asked;
	size_t nrecords;
	const char *error, *discarded; /* substrings; NULL: "" / not discarded */
	mc_dmarc_policy_t p;
	const char *auth;  /* "dest:answered:authorized ..." */
	const char *asked; /* the questions, in order, space separated */
} disc_case_t;

static const disc_case_t cases[] = {
    {"record_at_the_domain_no_fallback",
     "a.example.test",
     {NULL},
     false,
     MC_DMARC_FOUND_RECORD,
     "example.test",
     "a.example.test",
     false,
     1,
     NULL,
     NULL,
     MC_DMARC_POLICY_REJECT,
     "",
     "_dmarc.a.example.test"},
    {"nxdomain_falls_back_to_org",
     "b.example.test",
     {NULL},
     false,
     MC_DMARC_FOUND_RECORD,
     "example.test",
     "example.test",
     true,
     1,
     NULL,
     NULL,
     MC_DMARC_POLICY_QUARANTINE,
     "",
     "_dmarc.b.example.test _dmarc.example.test"},
    {"no_record_at_either",
     "c.other.test",
     {NULL},
     false,
     MC_DMARC_FOUND_NONE,
     "other.test",
     "",
     true,
     0,
     NULL,
     NULL,
     0,
     "",
     "_dmarc.c.other.test _dmarc.other.test"},
    {"own_org_domain_has_no_fallback",
     "norec.test",
     {NULL},
     false,
     MC_DMARC_FOUND_NONE,
     "norec.test",
     "",
     false,
     0,
     NULL,
     NULL,
     0,
     "",
     "_dmarc.norec.test"},
    {"dns_error_is_not_absence",
     "e.example.test",
     {NULL},
     false,
     MC_DMARC_FOUND_DNS_ERROR,
     "example.test",
     "",
     false,
     0,
     "TXT _dmarc.e.example.test: SERVFAIL",
     NULL,
     0,
     "",
     "_dmarc.e.example.test"},
    {"dns_error_at_org",
     "f.broken.test",
     {NULL},
     false,
     MC_DMARC_FOUND_DNS_ERROR,
     "broken.test",
     "",
     true,
     0,
     "TXT _dmarc.broken.test: SERVFAIL",
     NULL,
     0,
     "",
     "_dmarc.f.broken.test _dmarc.broken.test"},
    {"broken_record_discarded_then_org",
     "g.example.test",
     {NULL},
     false,
     MC_DMARC_FOUND_RECORD,
     "example.test",
     "example.test",
     true,
     1,
     NULL,
     "v=DMARC1 must come first",
     MC_DMARC_POLICY_QUARANTINE,
     "",
     "_dmarc.g.example.test _dmarc.example.test"},
    {"two_records",
     "h.example.test",
     {NULL},
     false,
     MC_DMARC_FOUND_SEVERAL,
     "example.test",
     "h.example.test",
     false,
     2,
     NULL,
     NULL,
     0,
     "",
     "_dmarc.h.example.test"},
    {"invalid_record",
     "i.example.test",
     {NULL},
     false,
     MC_DMARC_FOUND_INVALID,
     "example.test",
     "i.example.test",
     false,
     1,
     "bogus",
     NULL,
     0,
     "",
     "_dmarc.i.example.test"},
    {"external_destinations_once_each",
     "j.example.test",
     {NULL},
     false,
     MC_DMARC_FOUND_RECORD,
     "example.test",
     "j.example.test",
     false,
     1,
     NULL,
     NULL,
     MC_DMARC_POLICY_REJECT,
     "rua.test:1:1 norua.test:1:0 servfail.test:1:0",
     "_dmarc.j.example.test j.example.test._report._dmarc.rua.test "
     "j.example.test._report._dmarc.norua.test j.example.test._report._dmarc.servfail.test"},
    {"at_most_8_destinations",
     "k.example.test",
     {NULL},
     false,
     MC_DMARC_FOUND_RECORD,
     "example.test",
     "k.example.test",
     false,
     1,
     NULL,
     NULL,
     MC_DMARC_POLICY_REJECT,
     "h1.test:1:0 h2.test:1:0 h3.test:1:0 h4.test:1:0 h5.test:1:0 h6.test:1:0 h7.test:1:0 "
     "h8.test:1:0",
     NULL},
    {"domain_unknown_waits",
     "b.example.test",
     {"_dmarc.b.example.test"},
     true,
     MC_DMARC_FOUND_UNANSWERED,
     "example.test",
     "",
     false,
     0,
     NULL,
     NULL,
     0,
     "",
     "_dmarc.b.example.test"},
    {"org_unknown_waits",
     "b.example.test",
     {"_dmarc.example.test"},
     true,
     MC_DMARC_FOUND_UNANSWERED,
     "example.test",
     "",
     true,
     0,
     NULL,
     NULL,
     0,
     "",
     "_dmarc.b.example.test _dmarc.example.test"},
    {"authorizations_asked_at_once",
     "j.example.test",
     {"j.example.test._report._dmarc.rua.test", "j.example.test._report._dmarc.norua.test"},
     true,
     MC_DMARC_FOUND_RECORD,
     "example.test",
     "j.example.test",
     false,
     1,
     NULL,
     NULL,
     MC_DMARC_POLICY_REJECT,
     "rua.test:0:0 norua.test:0:0 servfail.test:1:0",
     "_dmarc.j.example.test j.example.test._report._dmarc.rua.test "
     "j.example.test._report._dmarc.norua.test j.example.test._report._dmarc.servfail.test"},
};

static void check_case(const disc_case_t *c)
{
	world_t *w = calloc(1, sizeof(*w));
	mc_dmarc_discovery_t *d = calloc(1, sizeof(*d));
	char got[2048] = "";
	size_t k, n = 0;

	assert_non_null(w);
	assert_non_null(d);
	memcpy(w->withheld, c->withheld, sizeof(w->withheld));
	mc_dmarc_discover(c->domain, lookup, w, d);
	print_message("case %s\n", c->name);
	assert_int_equal(d->pending, c->pending);
	assert_int_equal(d->found, c->found);
	assert_string_equal(d->domain, c->domain);
	assert_string_equal(d->org, c->org);
	assert_int_equal(d->org_asked, c->org_asked);
	assert_int_equal(d->answered, !c->withheld[0] || strcmp(c->withheld[0], w->asked[0]));
	if (c->found == MC_DMARC_FOUND_RECORD || c->found == MC_DMARC_FOUND_SEVERAL ||
	    c->found == MC_DMARC_FOUND_INVALID) {
		assert_string_equal(d->at, c->at);
		assert_int_equal(d->nrecords, c->nrecords);
	}
	if (c->error)
		assert_non_null(strstr(d->error, c->error));
	assert_int_equal(d->discarded, c->discarded != NULL);
	if (c->discarded)
		assert_non_null(strstr(d->discarded_error, c->discarded));
	if (c->found == MC_DMARC_FOUND_RECORD)
		assert_int_equal(d->rec.p, c->p);
	for (k = 0; k < d->nauth; k++)
		n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%s:%d:%d", k ? " " : "",
		                      d->auth[k].dest, d->auth[k].answered, d->auth[k].authorized);
	assert_string_equal(got, c->auth);
	if (c->asked) {
		got[0] = '\0';
		for (k = 0, n = 0; k < w->nasked; k++)
			n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%s", k ? " " : "",
			                      w->asked[k]);
		assert_string_equal(got, c->asked);
	}
	free(d);
	free(w);
}

static void test_discovery_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_OF(cases); i++)
		check_case(&cases[i]);
}

/* A name that is itself a public suffix has no organizational domain: it
 * is its own, and there is no fallback. */
static void test_public_suffix_is_its_own_org(void **state)
{
	world_t *w = calloc(1, sizeof(*w));
	mc_dmarc_discovery_t *d = calloc(1, sizeof(*d));

	(void)state;
	assert_non_null(w);
	assert_non_null(d);
	mc_dmarc_discover("co.uk", lookup, w, d);
	assert_string_equal(d->org, "co.uk");
	assert_false(d->org_asked);
	assert_int_equal(d->found, MC_DMARC_FOUND_NONE);
	assert_int_equal(w->nasked, 1);
	free(d);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_discovery_table),
	                                   cmocka_unit_test(test_public_suffix_is_its_own_org)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
