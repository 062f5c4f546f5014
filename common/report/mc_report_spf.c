/* mc_report_spf.c - judging a domain's SPF (see the header). */
#include "report/mc_report_spf.h"

static bool no_records(const mc_dns_answer_t *a)
{
	return a->outcome == MC_DNS_NXDOMAIN || a->outcome == MC_DNS_NODATA;
}

/* Whether the top record can be judged at all; if not, the one line why. */
static bool record_usable(mc_result_t *node, const mc_report_spf_facts_t *f,
                          const mc_report_spf_opts_t *o)
{
	const mc_spf_walk_t *w = f->walk;

	if (!w->top)
		mc_result_add(node, o->unanswered, "SPF: TXT %s: no answer before the deadline",
		              f->domain);
	else if (w->top->outcome == MC_DNS_NXDOMAIN)
		mc_result_add(node, MC_STATE_CRITICAL, "SPF: %s does not exist (NXDOMAIN)",
		              f->domain);
	else if (w->top->outcome != MC_DNS_ANSWER && !no_records(w->top))
		mc_result_add(node, MC_STATE_CRITICAL, "SPF cannot be evaluated: %s",
		              w->top->error);
	else if (w->nrecords == 0)
		mc_result_add(node, MC_STATE_CRITICAL, "SPF: no v=spf1 record at %s", f->domain);
	else if (w->nrecords > 1)
		mc_result_add(node, MC_STATE_CRITICAL,
		              "SPF: %zu v=spf1 records at %s, a permerror (RFC 7208 section 4.5)",
		              w->nrecords, f->domain);
	else if (!w->parsed)
		mc_result_add(node, MC_STATE_CRITICAL, "SPF syntax: %s", w->parse_error);
	else
		return true;
	return false;
}

static void report_record(mc_result_t *node, const mc_report_spf_facts_t *f,
                          const mc_report_spf_opts_t *o)
{
	const mc_spf_walk_t *w = f->walk;
	const mc_spf_record_t *rec = &w->rec;
	char all = 0;
	bool redirect = false;
	size_t k;

	if (!record_usable(node, f, o))
		return;
	/* Section 5.1: the first all decides; a redirect beside it is ignored
	 * (section 6.1), one without it hands the rest to another record. */
	for (k = 0; k < rec->nterms; k++) {
		if (rec->terms[k].kind == MC_SPF_T_ALL && !all)
			all = rec->terms[k].qualifier;
		redirect |= rec->terms[k].kind == MC_SPF_T_REDIRECT;
	}
	if (all == '+')
		mc_result_add(node, MC_STATE_CRITICAL,
		              "SPF: +all: any host may send as this domain");
	else if (all == '?')
		mc_result_add(node, MC_STATE_WARNING,
		              "SPF: ?all: mail from any other host is neutral, not rejected");
	else if (!all && !redirect)
		mc_result_add(node, MC_STATE_WARNING,
		              "SPF: no all and no redirect: mail from any other host is neutral");
	if (w->bytes > MC_REPORT_SPF_WARN_BYTES)
		mc_result_add(node, MC_STATE_WARNING,
		              "SPF: the record is %zu bytes, over %d (RFC 7208 section 3.4: it may "
		              "not fit a UDP answer)",
		              w->bytes, MC_REPORT_SPF_WARN_BYTES);
	if (w->ptr_path[0])
		mc_result_add(node, MC_STATE_WARNING,
		              "SPF: %s uses ptr, which RFC 7208 section 5.5 says not to use",
		              w->ptr_path);
}

static void report_tree(mc_result_t *node, const mc_report_spf_facts_t *f,
                        const mc_report_spf_opts_t *o)
{
	const mc_spf_walk_t *w = f->walk;
	mc_state_t st;

	if (!w->parsed)
		return;
	if (!f->walk_final)
		mc_result_add(node, o->unanswered,
		              "SPF: the include tree was not fetched before the deadline");
	if (w->finding[0])
		mc_result_add(node, MC_STATE_CRITICAL, "SPF: %s", w->finding);
	st = mc_thresholds_check(&o->lookups, w->lookups);
	if (w->lookups > MC_SPF_MAX_LOOKUPS)
		mc_result_add(node, MC_STATE_CRITICAL,
		              "SPF: %s%u DNS-querying terms, over the limit of %d at %s "
		              "(a permerror for every receiver that gets that far)",
		              w->truncated ? "at least " : "", w->lookups, MC_SPF_MAX_LOOKUPS,
		              w->over_path);
	else
		mc_result_add(node, st, "SPF: %u DNS-querying term%s of %d, %u void lookup%s",
		              w->lookups, w->lookups == 1 ? "" : "s", MC_SPF_MAX_LOOKUPS, w->voids,
		              w->voids == 1 ? "" : "s");
	if (w->voids > MC_SPF_MAX_VOID)
		mc_result_add(node, MC_STATE_CRITICAL,
		              "SPF: %u void lookups, over the limit of %d at %s", w->voids,
		              MC_SPF_MAX_VOID, w->void_path);
	mc_result_perf(node, "spf_lookups", w->lookups, "", &o->lookups);
	mc_result_perf(node, "spf_void_lookups", w->voids, "", NULL);
	mc_result_perf(node, "spf_bytes", (double)w->bytes, "B", NULL);
	mc_result_perf(node, "spf_depth", w->depth, "", NULL);
}

/* An address that must not send as the domain: only fail rejects its
 * mail. */
static void report_forger(mc_result_t *node, const mc_report_spf_eval_t *e, const char *by)
{
	const mc_spf_result_t *res = e->res;

	if (res->result == MC_SPF_FAIL)
		mc_result_add(node, MC_STATE_OK, "SPF for %s: fail (%s)%s%s", e->ip, by,
		              res->explained ? ", explained: " : "",
		              res->explained ? res->explanation : "");
	else if (res->result == MC_SPF_SOFTFAIL)
		mc_result_add(node, MC_STATE_WARNING,
		              "SPF for %s: softfail (%s): forged mail is only marked, not rejected",
		              e->ip, by);
	else
		mc_result_add(node, MC_STATE_CRITICAL,
		              "SPF for %s: %s (%s): forged mail from %s would be accepted", e->ip,
		              mc_spf_res_str(res->result), by, e->ip);
}

static void report_eval(mc_result_t *node, const mc_report_spf_eval_t *e,
                        const mc_report_spf_opts_t *o)
{
	const mc_spf_result_t *res = e->res;
	const char *rs = mc_spf_res_str(res->result);
	const char *by = res->term[0] ? res->term : "no mechanism matched";

	if (!e->done)
		mc_result_add(node, o->unanswered,
		              "SPF for %s: not evaluated before the deadline (%s)", e->ip,
		              res->reason);
	else if (res->result == MC_SPF_TEMPERROR || res->result == MC_SPF_PERMERROR)
		mc_result_add(node, MC_STATE_CRITICAL, "SPF cannot be evaluated for %s: %s (%s)",
		              e->ip, rs, res->reason);
	else if (!e->want_pass)
		report_forger(node, e, by);
	else if (res->result == MC_SPF_PASS)
		mc_result_add(node, MC_STATE_OK, "SPF for %s: pass (%s)", e->ip, by);
	else
		mc_result_add(node, MC_STATE_CRITICAL,
		              "SPF for %s: %s (%s), must be pass: the domain's own mail would be "
		              "rejected",
		              e->ip, rs, by);
}

void mc_report_spf(mc_result_t *node, const mc_report_spf_facts_t *f, const mc_report_spf_opts_t *o)
{
	size_t k;

	report_record(node, f, o);
	report_tree(node, f, o);
	for (k = 0; k < f->nevals; k++)
		report_eval(node, &f->evals[k], o);
}
