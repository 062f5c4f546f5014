/* mc_dmarc_discovery.c - the DMARC record that applies to a domain and
 * its report authorizations, as facts (see the header). */
#include "policy/mc_dmarc_discovery.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/mc_str.h"

/* Parse errors are kept to this size, as receivers' one-line reasons. */
#define PARSE_ERROR_MAX 256

static bool no_records(const mc_dns_answer_t *a)
{
	return a->outcome == MC_DNS_NXDOMAIN || a->outcome == MC_DNS_NODATA;
}

static bool has_dmarc(const mc_dns_answer_t *a)
{
	const mc_dns_rr_t *rr;

	return mc_dns_txt_records(a, "v=DMARC1", &rr) > 0;
}

static const mc_dns_answer_t *ask_dmarc(const char *domain, mc_dns_lookup_fn lookup, void *arg)
{
	char name[300];

	snprintf(name, sizeof(name), "_dmarc.%s", domain);
	return lookup(arg, name, MC_DNS_T_TXT);
}

/* A TXT record of a that names DMARC but does not parse: receivers
 * discard it (RFC 7489 section 6.6.3). */
static bool dmarc_broken(const mc_dns_answer_t *a, char *err, size_t errsz)
{
	mc_dmarc_record_t rec;
	size_t k;

	for (k = 0; k < a->n; k++)
		if (mc_dmarc_parse((const char *)a->rrs[k]->data, a->rrs[k]->len, &rec, err,
		                   errsz) == MC_E_PROTOCOL)
			return true;
	return false;
}

/* The records of a (which has at least one) are the finding, for at. */
static void take_records(const mc_dns_answer_t *a, const char *at, mc_dmarc_discovery_t *out)
{
	const mc_dns_rr_t *rr;
	char err[PARSE_ERROR_MAX];

	mc_strlcpy(out->at, at, sizeof(out->at));
	out->nrecords = mc_dns_txt_records(a, "v=DMARC1", &rr);
	if (out->nrecords > 1) {
		out->found = MC_DMARC_FOUND_SEVERAL;
		return;
	}
	if (mc_dmarc_parse((const char *)rr->data, rr->len, &out->rec, err, sizeof(err)) != MC_OK) {
		out->found = MC_DMARC_FOUND_INVALID;
		mc_strlcpy(out->error, err, sizeof(out->error));
		return;
	}
	out->found = MC_DMARC_FOUND_RECORD;
}

/* Steps 1 and 2: the answer holding the records, or NULL with found set. */
static const mc_dns_answer_t *find_record(mc_dns_lookup_fn lookup, void *arg,
                                          mc_dmarc_discovery_t *out)
{
	const mc_dns_answer_t *a = ask_dmarc(out->domain, lookup, arg);

	if (!a) {
		out->pending = true;
		return NULL;
	}
	out->answered = true;
	if (has_dmarc(a))
		return a;
	out->discarded = dmarc_broken(a, out->discarded_error, sizeof(out->discarded_error));
	if (a->outcome != MC_DNS_ANSWER && !no_records(a)) {
		/* A DNS error is reported as such, not as absence. */
		out->found = MC_DMARC_FOUND_DNS_ERROR;
		mc_strlcpy(out->error, a->error, sizeof(out->error));
		return NULL;
	}
	out->found = MC_DMARC_FOUND_NONE;
	if (!out->org[0] || !strcasecmp(out->org, out->domain))
		return NULL;
	/* RFC 7489 section 6.6.3: then the organizational domain's. */
	out->org_asked = true;
	a = ask_dmarc(out->org, lookup, arg);
	if (!a) {
		out->found = MC_DMARC_FOUND_UNANSWERED;
		out->pending = true;
		return NULL;
	}
	out->org_answered = true;
	if (has_dmarc(a))
		return a;
	if (a->outcome != MC_DNS_ANSWER && !no_records(a)) {
		out->found = MC_DMARC_FOUND_DNS_ERROR;
		mc_strlcpy(out->error, a->error, sizeof(out->error));
	}
	return NULL;
}

static bool authorizes(const mc_dns_answer_t *a)
{
	bool ok = false;
	size_t j;

	for (j = 0; j < a->n; j++)
		ok |= mc_dmarc_auth_record_ok((const char *)a->rrs[j]->data, a->rrs[j]->len);
	return ok;
}

/* Step 3, RFC 7489 section 7.1: report destinations outside the
 * organizational domain must authorize the domain's reports. */
static void ask_authorizations(mc_dns_lookup_fn lookup, void *arg, mc_dmarc_discovery_t *out)
{
	const mc_dmarc_record_t *rec = &out->rec;
	size_t k, j;

	for (k = 0; k < rec->nrua + rec->nruf && out->nauth < MC_DMARC_MAX_AUTH; k++) {
		const mc_dmarc_uri_t *u = k < rec->nrua ? &rec->rua[k] : &rec->ruf[k - rec->nrua];
		mc_dmarc_auth_t *au = &out->auth[out->nauth];
		const mc_dns_answer_t *a;
		bool inside = true;
		if (!u->host[0] || mc_dmarc_in_org(u->host, out->org, &inside) != MC_OK || inside)
			continue;
		for (j = 0; j < out->nauth && strcasecmp(out->auth[j].dest, u->host); j++)
			;
		if (j < out->nauth)
			continue;
		memset(au, 0, sizeof(*au));
		mc_strlcpy(au->dest, u->host, sizeof(au->dest));
		if (mc_dmarc_report_auth_name(out->at, u->host, au->name, sizeof(au->name)) !=
		    MC_OK)
			continue;
		out->nauth++;
		a = lookup(arg, au->name, MC_DNS_T_TXT);
		if (!a) {
			out->pending = true;
			continue;
		}
		au->answered = true;
		au->authorized = authorizes(a);
	}
}

void mc_dmarc_discover(const char *domain, mc_dns_lookup_fn lookup, void *arg,
                       mc_dmarc_discovery_t *out)
{
	const mc_dns_answer_t *a;

	memset(out, 0, sizeof(*out));
	mc_strlcpy(out->domain, domain, sizeof(out->domain));
	if (mc_dmarc_org_domain(domain, out->org, sizeof(out->org)) != MC_OK)
		mc_strlcpy(out->org, domain, sizeof(out->org));
	a = find_record(lookup, arg, out);
	if (!a)
		return;
	take_records(a, out->org_answered ? out->org : out->domain, out);
	if (out->found == MC_DMARC_FOUND_RECORD)
		ask_authorizations(lookup, arg, out);
}
