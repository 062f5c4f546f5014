/* Fuzz target: reading an MX answer (policy/mc_mx): the order senders try
 * the hosts in, each name once, the cap and the names beyond it, the null
 * MX and the implicit MX. The first byte chooses the outcome; then 2 bytes
 * a record: the preference's low byte and a name from a pool of 40 (enough
 * to pass the cap; three that differ in case only; the root "." of a null
 * MX). Whatever the order of the answer, the set must be the same. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/mc_mx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NPOOL 40

static const char *pool_name(unsigned i)
{
	static char names[NPOOL][16];

	i %= NPOOL;
	switch (i) {
	case 0: return ".";
	case 1: return "mx1.example";
	case 2: return "MX1.example";
	case 3: return "Mx1.EXAMPLE";
	default:
		if (!names[i][0])
			snprintf(names[i], sizeof(names[i]), "h%02u.example", i);
		return names[i];
	}
}

static void read_set(const mc_dns_rr_t *rr, size_t n, size_t rot, mc_dns_outcome_t outcome,
                     mc_mx_set_t *set, mc_dns_answer_t *a)
{
	size_t k;

	memset(a, 0, sizeof(*a));
	a->outcome = outcome;
	for (k = 0; k < n; k++)
		a->rrs[k] = &rr[(k + rot) % n];
	a->n = n;
	mc_mx_set_read(a, set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mc_dns_rr_t rr[MC_DNS_MAX_RRS];
	mc_dns_answer_t a, b;
	mc_mx_set_t set, again;
	mc_dns_outcome_t outcome;
	bool has_null = false;
	size_t n, k, j;

	if (size < 1)
		return 0;
	outcome = (mc_dns_outcome_t)(data[0] % 7);
	n = (size - 1) / 2;
	n = n < MC_DNS_MAX_RRS ? n : MC_DNS_MAX_RRS;
	if (outcome != MC_DNS_ANSWER)
		n = 0;
	for (k = 0; k < n; k++) {
		memset(&rr[k], 0, sizeof(rr[k]));
		rr[k].pref = data[1 + 2 * k];
		rr[k].name = pool_name(data[2 + 2 * k]);
		has_null = has_null || !strcmp(rr[k].name, ".");
	}
	read_set(rr, n, 0, outcome, &set, &a);
	if (set.null_mx != has_null || mc_mx_is_null(&a) != has_null)
		abort();
	if (mc_mx_implicit(&a) != (outcome == MC_DNS_NODATA))
		abort();
	if (has_null && (set.nhosts || set.nrest))
		abort();
	if (set.nhosts > MC_MX_MAX_HOSTS || (set.nrest && set.nhosts != MC_MX_MAX_HOSTS))
		abort();
	/* by preference, then by name; each name once, in hosts or rest */
	for (k = 1; k < set.nhosts; k++)
		if (set.host[k - 1]->pref > set.host[k]->pref ||
		    (set.host[k - 1]->pref == set.host[k]->pref &&
		     strcasecmp(set.host[k - 1]->name, set.host[k]->name) > 0))
			abort();
	for (k = 0; k < set.nhosts; k++)
		for (j = 0; j < k; j++)
			if (!strcasecmp(set.host[j]->name, set.host[k]->name))
				abort();
	/* every name of the answer is followed or named */
	for (k = 0; k < n && !has_null; k++) {
		for (j = 0; j < set.nhosts && strcasecmp(set.host[j]->name, rr[k].name); j++)
			;
		if (j == set.nhosts) {
			for (j = 0; j < set.nrest && strcasecmp(set.rest[j], rr[k].name); j++)
				;
			if (j == set.nrest)
				abort();
		}
	}
	/* the resolver's order changes nothing */
	read_set(rr, n, n ? data[0] % n : 0, outcome, &again, &b);
	if (again.null_mx != set.null_mx || again.nhosts != set.nhosts || again.nrest != set.nrest)
		abort();
	for (k = 0; k < set.nhosts; k++)
		if (strcasecmp(again.host[k]->name, set.host[k]->name) ||
		    again.host[k]->pref != set.host[k]->pref)
			abort();
	return 0;
}
