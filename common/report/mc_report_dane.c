#include "mc_report_dane.h"

#include "util/mc_buf.h"

size_t mc_report_dane_usable(const mc_dns_answer_t *tlsa)
{
	size_t k, n = 0;

	for (k = 0; mc_dns_is(tlsa, MC_DNS_ANSWER) && k < tlsa->n; k++)
		n += tlsa->rrs[k]->usage == 2 || tlsa->rrs[k]->usage == 3;
	return n;
}

/* The records apply to the session: a validated answer under a validated
 * MX answer; else one line says why not. */
static bool session_applies(const mc_report_dane_facts_t *f, mc_state_t missing, mc_result_t *node)
{
	const mc_dns_answer_t *a = f->tlsa.ans;

	if (f->mx_domain && !f->mx_ad) {
		mc_result_add(node, missing,
		              "DANE: the MX records of %s are not DNSSEC-validated, so DANE does "
		              "not apply (RFC 7672 section 2.2.1)",
		              f->mx_domain);
		return false;
	}
	if (mc_dns_absent(a)) {
		mc_result_add(node, missing, "DANE: no TLSA records at %s", f->tlsa_name);
		return false;
	}
	if (a->outcome != MC_DNS_ANSWER) {
		/* RFC 7672 section 2.1.1: DANE senders defer; mail waits. */
		mc_result_add(node, MC_STATE_CRITICAL,
		              "DANE: TLSA lookup failed, DANE senders will defer mail: %s",
		              a->error);
		return false;
	}
	if (!a->ad) {
		mc_result_add(node, missing,
		              "DANE: TLSA records at %s are not DNSSEC-validated (no AD from the "
		              "resolver): ignored",
		              f->tlsa_name);
		return false;
	}
	return true;
}

void mc_report_dane_session(const mc_report_dane_facts_t *f, const mc_report_dane_opts_t *d,
                            mc_result_t *node)
{
	mc_state_t missing = d->require ? MC_STATE_CRITICAL : MC_STATE_WARNING;
	size_t usable;

	if (!f->tlsa.asked || f->tlsa.unaskable) {
		mc_result_add(node, MC_STATE_UNKNOWN, "DANE: cannot ask for %s", f->tlsa_name);
		return;
	}
	if (!f->tlsa.ans || !session_applies(f, missing, node))
		return;
	usable = f->handshake_done ? f->usable : mc_report_dane_usable(f->tlsa.ans);
	if (!usable) {
		mc_result_add(node, missing,
		              "DANE: no usable TLSA record at %s (only DANE-TA(2) and DANE-EE(3) "
		              "count for SMTP, RFC 7672 section 3.1.3)",
		              f->tlsa_name);
		return;
	}
	if (!f->handshake_done)
		return;
	if (f->matched)
		mc_result_add(node, MC_STATE_OK, "DANE: TLSA record %s at %s matches (depth %d)",
		              f->record, f->tlsa_name, f->depth);
	else
		mc_result_add(node, MC_STATE_CRITICAL,
		              "DANE: none of the %zu usable TLSA records at %s matches the "
		              "certificate",
		              usable, f->tlsa_name);
}

/* One host of the survey: true when its records are published and
 * validated. */
static bool survey_host(const mc_report_dane_facts_t *f, const mc_report_opts_t *o,
                        mc_result_t *root)
{
	const mc_dns_answer_t *a = f->tlsa.ans;
	mc_buf_t list;
	size_t k;

	if (!mc_dns_definite(a)) {
		mc_result_add(root, mc_report_dns_failure_state(&f->tlsa, o), "DANE %s: %s",
		              f->host, mc_report_dns_failure(&f->tlsa));
		return false;
	}
	if (a->outcome != MC_DNS_ANSWER) {
		mc_result_add(root, MC_STATE_CRITICAL, "DANE %s: no TLSA record at %s", f->host,
		              f->tlsa_name);
		return false;
	}
	if (!a->ad) {
		mc_result_add(root, MC_STATE_CRITICAL,
		              "DANE %s: the TLSA records are not DNSSEC-validated (no AD), so "
		              "unusable (RFC 7672 section 2.2)",
		              f->host);
		return false;
	}
	mc_buf_init(&list, 512);
	for (k = 0; k < a->n; k++) {
		const mc_dns_rr_t *t = a->rrs[k];
		(void)mc_buf_printf(&list, "%s%u %u %u", k ? ", " : "", t->usage, t->selector,
		                    t->mtype);
		if (t->usage < 2)
			mc_result_add(root, MC_STATE_WARNING,
			              "DANE %s: TLSA usage %u (PKIX) is not for SMTP (RFC 7672 "
			              "section 3.1.3)",
			              f->host, t->usage);
	}
	mc_result_add(root, MC_STATE_OK, "DANE %s: %zu TLSA record%s (%s), validated", f->host,
	              a->n, a->n == 1 ? "" : "s", mc_buf_cstr(&list));
	mc_buf_free(&list);
	return true;
}

void mc_report_dane_survey(const mc_report_dane_facts_t *hosts, size_t n, const mc_report_opts_t *o,
                           mc_result_t *root, mc_report_okline_t *ok)
{
	size_t h, good = 0;

	for (h = 0; h < n; h++) {
		if (!hosts[h].tlsa.asked)
			continue;
		good += survey_host(&hosts[h], o, root);
	}
	if (good && good == n)
		mc_report_ok(ok, "DANE");
}
