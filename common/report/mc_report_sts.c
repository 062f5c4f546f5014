#include "mc_report_sts.h"

#include <string.h>

#include "policy/mc_mtasts.h"
#include "policy/mc_tlsrpt.h"

void mc_report_tlsrpt(const mc_report_tlsrpt_facts_t *f, const mc_report_opts_t *o,
                      mc_result_t *root)
{
	const mc_dns_rr_t *rr;
	mc_tlsrpt_record_t rec;
	char err[300];
	size_t n;

	if (!f->txt.asked)
		return;
	if (!mc_dns_definite(f->txt.ans)) {
		mc_result_add(root, mc_report_dns_failure_state(&f->txt, o), "TLS-RPT: %s",
		              mc_report_dns_failure(&f->txt));
		return;
	}
	n = mc_dns_txt_records(f->txt.ans, "v=TLSRPTv1", &rr);
	if (n == 0) {
		mc_result_add(root, MC_STATE_WARNING,
		              "TLS-RPT: no record at _smtp._tls.%s: TLS failures of %s will go "
		              "unreported (RFC 8460)",
		              f->domain, f->for_sts ? "MTA-STS" : "DANE");
		return;
	}
	if (n > 1) {
		mc_result_add(root, MC_STATE_WARNING,
		              "TLS-RPT: %zu records at _smtp._tls.%s; RFC 8460 section 3 wants one",
		              n, f->domain);
		return;
	}
	if (mc_tlsrpt_parse((const char *)rr->data, rr->len, &rec, err, sizeof(err)) != MC_OK) {
		mc_result_add(root, MC_STATE_WARNING, "TLS-RPT: invalid record: %s", err);
		return;
	}
	mc_result_add(root, MC_STATE_OK, "TLS-RPT: reports to %s%s", rec.rua[0],
	              rec.nrua > 1 ? " and more" : "");
}

/* The _mta-sts record: true when there is exactly one valid. */
static bool sts_record(const mc_report_sts_facts_t *f, const mc_report_opts_t *o, mc_result_t *node,
                       mc_sts_record_t *rec)
{
	const mc_dns_rr_t *rr;
	char err[300];
	size_t n;

	if (!mc_dns_definite(f->txt.ans)) {
		mc_result_set(node, mc_report_dns_failure_state(&f->txt, o), "MTA-STS: %s",
		              mc_report_dns_failure(&f->txt));
		return false;
	}
	n = mc_dns_txt_records(f->txt.ans, "v=STSv1", &rr);
	if (n == 0) {
		mc_result_set(node, MC_STATE_CRITICAL, "MTA-STS: no v=STSv1 record at _mta-sts.%s",
		              f->domain);
		return false;
	}
	if (n > 1) {
		mc_result_set(node, MC_STATE_CRITICAL,
		              "MTA-STS: %zu records at _mta-sts.%s; RFC 8461 section 3.1 wants "
		              "exactly one",
		              n, f->domain);
		return false;
	}
	if (mc_sts_record_parse((const char *)rr->data, rr->len, rec, err, sizeof(err)) != MC_OK) {
		mc_result_set(node, MC_STATE_CRITICAL, "MTA-STS: invalid _mta-sts record: %s", err);
		return false;
	}
	return true;
}

/* The policy fetch: true when it answered 200. */
static bool sts_fetch(const mc_report_sts_facts_t *f, const mc_report_opts_t *o, mc_result_t *node)
{
	const mc_https_result_t *h = f->fetch;

	if (!f->resolved || (f->fetch_started && !f->fetch_done)) {
		mc_result_set(
		    node, o->late,
		    "MTA-STS: policy fetch from mta-sts.%s unfinished before the deadline",
		    f->domain);
		return false;
	}
	if (!f->fetch_started) {
		mc_result_set(node, MC_STATE_CRITICAL, "MTA-STS: policy host: %s",
		              f->resolve_error);
		return false;
	}
	if (h->base.status != MC_OK) {
		mc_result_set(node, MC_STATE_CRITICAL, "MTA-STS: policy fetch failed: %s",
		              h->base.error);
		return false;
	}
	if (h->reply.status != 200) {
		/* RFC 8461 section 3.3: only 200 counts; redirects are not
		 * followed. */
		mc_result_set(node, MC_STATE_CRITICAL,
		              "MTA-STS: policy fetch answered HTTP %d %s%s%s%s", h->reply.status,
		              h->reply.reason,
		              h->reply.status / 100 == 3 ? " (redirects are not followed, RFC 8461 "
		                                           "section 3.3)"
		                                         : "",
		              h->reply.location[0] ? " to " : "", h->reply.location);
		return false;
	}
	if (strcmp(h->reply.content_type, "text/plain"))
		mc_result_add(node, MC_STATE_WARNING,
		              "policy served as '%s', not text/plain (RFC 8461 section 3.2)",
		              h->reply.content_type[0] ? h->reply.content_type : "no media type");
	return true;
}

/* What the policy says, and whether every MX host is covered. */
static void sts_policy(const mc_report_sts_facts_t *f, const mc_sts_policy_t *pol,
                       mc_result_t *node)
{
	mc_state_t mismatch =
	    pol->mode == MC_STS_MODE_ENFORCE ? MC_STATE_CRITICAL : MC_STATE_WARNING;
	size_t k;

	if (pol->mode != MC_STS_MODE_ENFORCE)
		mc_result_add(node, MC_STATE_WARNING, "mode %s: MTA-STS is not enforced",
		              mc_sts_mode_str(pol->mode));
	if (pol->max_age < 86400)
		mc_result_add(
		    node, MC_STATE_WARNING,
		    "max_age %ld s is under one day (RFC 8461 section 3.2 suggests weeks)",
		    pol->max_age);
	for (k = 0; pol->mode != MC_STS_MODE_NONE && k < f->nmx; k++)
		if (mc_sts_policy_match(pol, f->mx[k]) < 0)
			mc_result_add(node, mismatch,
			              "MX %s matches no mx pattern of the policy: senders that "
			              "enforce it will not deliver to it",
			              f->mx[k]);
}

void mc_report_sts(const mc_report_sts_facts_t *f, const mc_report_opts_t *o, mc_result_t *root,
                   mc_report_okline_t *ok)
{
	const mc_https_result_t *h = f->fetch;
	mc_result_t *node = mc_result_add(root, MC_STATE_OK, "MTA-STS");
	mc_sts_record_t rec;
	mc_sts_policy_t pol;
	char err[300];

	if (!node || !sts_record(f, o, node, &rec) || !sts_fetch(f, o, node))
		return;
	if (mc_sts_policy_parse(h->reply.body.data ? h->reply.body.data : "", h->reply.body.len,
	                        &pol, err, sizeof(err)) != MC_OK) {
		mc_result_set(node, MC_STATE_CRITICAL, "MTA-STS: invalid policy: %s", err);
		return;
	}
	sts_policy(f, &pol, node);
	mc_result_set(node, MC_STATE_OK, "MTA-STS: id %s, mode %s, max_age %ld, %zu mx pattern%s",
	              rec.id, mc_sts_mode_str(pol.mode), pol.max_age, pol.nmx,
	              pol.nmx == 1 ? "" : "s");
	if (pol.mode == MC_STS_MODE_ENFORCE)
		mc_report_ok(ok, "MTA-STS enforce");
}
