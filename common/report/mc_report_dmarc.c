/* mc_report_dmarc.c - judging the DMARC record that applies to a domain
 * (see the header). */
#include "report/mc_report_dmarc.h"

/* Whether a record was found to judge; if not, the one line why. */
static bool record_found(mc_result_t *node, const mc_dmarc_discovery_t *d,
                         const mc_report_dmarc_opts_t *o)
{
	switch (d->found) {
	case MC_DMARC_FOUND_UNANSWERED: /* handled by the caller */
	case MC_DMARC_FOUND_RECORD: return d->found == MC_DMARC_FOUND_RECORD;
	case MC_DMARC_FOUND_DNS_ERROR:
		mc_result_add(node, MC_STATE_CRITICAL, "DMARC: %s", d->error);
		break;
	case MC_DMARC_FOUND_NONE:
		mc_result_add(node, o->optional ? MC_STATE_WARNING : MC_STATE_CRITICAL,
		              "DMARC: no record at _dmarc.%s%s%s", d->domain,
		              d->org_asked ? " nor at _dmarc." : "", d->org_asked ? d->org : "");
		break;
	case MC_DMARC_FOUND_SEVERAL:
		mc_result_add(node, MC_STATE_CRITICAL,
		              "DMARC: %zu records at _dmarc.%s; receivers then apply none "
		              "(RFC 7489 section 6.6.3)",
		              d->nrecords, d->at);
		break;
	case MC_DMARC_FOUND_INVALID:
		mc_result_add(node, MC_STATE_CRITICAL, "DMARC: invalid record at _dmarc.%s: %s",
		              d->at, d->error);
		break;
	}
	return false;
}

/* RFC 7489 section 7.1: a destination outside the organizational domain
 * that does not authorize the reports does not get them. */
static void report_auth(mc_result_t *node, const mc_dmarc_discovery_t *d,
                        const mc_report_dmarc_opts_t *o)
{
	size_t k;

	for (k = 0; k < d->nauth; k++) {
		const mc_dmarc_auth_t *au = &d->auth[k];
		if (!au->answered)
			mc_result_add(
			    node, o->unanswered,
			    "DMARC: report authorization %s unanswered before the deadline",
			    au->name);
		else if (!au->authorized)
			mc_result_add(
			    node, MC_STATE_WARNING,
			    "DMARC: reports go to %s, outside %s, which does not authorize "
			    "them (no v=DMARC1 at %s, RFC 7489 section 7.1)",
			    au->dest, d->org, au->name);
	}
}

void mc_report_dmarc(mc_result_t *node, const mc_dmarc_discovery_t *d,
                     const mc_report_dmarc_opts_t *o)
{
	const mc_dmarc_record_t *rec = &d->rec;

	if (d->found == MC_DMARC_FOUND_UNANSWERED) {
		mc_result_add(node, o->unanswered, "DMARC: no answer before the deadline");
		return;
	}
	if (d->discarded)
		mc_result_add(node, MC_STATE_CRITICAL,
		              "DMARC: invalid record at _dmarc.%s, which receivers discard: %s",
		              d->domain, d->discarded_error);
	if (!record_found(node, d, o))
		return;
	if (rec->p < o->min_policy)
		mc_result_add(
		    node, MC_STATE_WARNING, "DMARC: p=%s, weaker than --dmarc-min-policy %s%s",
		    mc_dmarc_policy_str(rec->p), mc_dmarc_policy_str(o->min_policy),
		    rec->p == MC_DMARC_POLICY_NONE ? " (failing mail is only reported)" : "");
	if (rec->pct < 100)
		mc_result_add(node, MC_STATE_WARNING,
		              "DMARC: pct=%u: the policy applies to %u%% of failing mail", rec->pct,
		              rec->pct);
	report_auth(node, d, o);
	mc_result_add(node, MC_STATE_OK, "DMARC: p=%s%s%s at _dmarc.%s, %zu report address%s",
	              mc_dmarc_policy_str(rec->p), rec->pct < 100 ? ", pct " : "",
	              rec->pct < 100 ? "below 100" : "", d->at, rec->nrua,
	              rec->nrua == 1 ? "" : "es");
}
