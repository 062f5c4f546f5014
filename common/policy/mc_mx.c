#include "mc_mx.h"

#include <string.h>
#include <strings.h>

size_t mc_mx_sorted(const mc_dns_answer_t *a, const mc_dns_rr_t **out, size_t max, bool *null_mx)
{
	const mc_dns_rr_t *all[MC_DNS_MAX_RRS];
	size_t i, j;

	*null_mx = mc_mx_is_null(a);
	if (a->outcome != MC_DNS_ANSWER || *null_mx)
		return 0;
	/* Insertion sort: a handful of records. */
	for (i = 0; i < a->n; i++) {
		const mc_dns_rr_t *rr = a->rrs[i];
		for (j = i; j > 0 && (all[j - 1]->pref > rr->pref ||
		                      (all[j - 1]->pref == rr->pref &&
		                       strcasecmp(all[j - 1]->name, rr->name) > 0));
		     j--)
			all[j] = all[j - 1];
		all[j] = rr;
	}
	for (i = 0; i < a->n && i < max; i++)
		out[i] = all[i];
	return i;
}

bool mc_mx_is_null(const mc_dns_answer_t *a)
{
	size_t i;

	if (!a || a->outcome != MC_DNS_ANSWER)
		return false;
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->rrs[i]->name, "."))
			return true;
	return false;
}

bool mc_mx_null_among_others(const mc_dns_answer_t *a)
{
	return mc_mx_is_null(a) && a->n > 1;
}

bool mc_mx_implicit(const mc_dns_answer_t *a)
{
	return a && a->outcome == MC_DNS_NODATA;
}

void mc_mx_set_read(const mc_dns_answer_t *a, mc_mx_set_t *out)
{
	const mc_dns_rr_t *sorted[MC_DNS_MAX_RRS];
	size_t i, k, n = mc_mx_sorted(a, sorted, MC_DNS_MAX_RRS, &out->null_mx);

	out->nhosts = out->nrest = 0;
	for (i = 0; i < n; i++) {
		for (k = 0; k < i && !mc_dns_name_eq(sorted[k]->name, sorted[i]->name); k++)
			;
		if (k < i)
			continue; /* listed twice: the lower preference stands */
		if (out->nhosts < MC_MX_MAX_HOSTS)
			out->host[out->nhosts++] = sorted[i];
		else
			out->rest[out->nrest++] = sorted[i]->name;
	}
}
