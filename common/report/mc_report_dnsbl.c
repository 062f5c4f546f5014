#include "mc_report_dnsbl.h"

#include <arpa/inet.h>

#include "util/mc_str.h"

typedef struct tally {
	size_t listed, checked, okzones;
} tally_t;

/* An answer the list's rules make untrustworthy (policy/mc_dnsbl.h). */
static void untrusted(mc_result_t *root, const char *zone, mc_dnsbl_verdict_t v, const char *code)
{
	if (v == MC_DNSBL_ERROR_CODE)
		mc_result_add(root, MC_STATE_UNKNOWN,
		              "blocklist %s: answers %s, a list error code (queries refused or "
		              "rate-limited), not trusted this run",
		              zone, code);
	else
		mc_result_add(root, MC_STATE_UNKNOWN,
		              "blocklist %s: answers %s, outside 127.0.0.0/8, not trusted this run",
		              zone, code);
}

/* RFC 5782 section 5: 127.0.0.2 must be listed, 127.0.0.1 must not. */
static bool self_test(const mc_report_dnsbl_zone_t *z, const mc_report_opts_t *o, mc_result_t *root)
{
	char code[INET_ADDRSTRLEN];
	mc_dnsbl_verdict_t v;

	if (!z->test_listed || !z->test_unlisted) {
		mc_result_add(root, o->late,
		              "blocklist %s: self-test unanswered before the deadline", z->zone);
		return false;
	}
	v = mc_dnsbl_verdict(z->test_listed, code, sizeof(code));
	if (v == MC_DNSBL_FAILED)
		mc_result_add(root, MC_STATE_UNKNOWN, "blocklist %s: self-test failed: %s", z->zone,
		              z->test_listed->error);
	else if (v == MC_DNSBL_NOT_LISTED)
		mc_result_add(root, MC_STATE_UNKNOWN,
		              "blocklist %s: self-test failed: 127.0.0.2 is not listed (RFC "
		              "5782 section 5), not trusted this run",
		              z->zone);
	else if (v != MC_DNSBL_LISTED)
		untrusted(root, z->zone, v, code);
	if (v != MC_DNSBL_LISTED)
		return false;
	v = mc_dnsbl_verdict(z->test_unlisted, code, sizeof(code));
	if (v == MC_DNSBL_NOT_LISTED)
		return true;
	mc_result_add(root, MC_STATE_UNKNOWN,
	              v == MC_DNSBL_FAILED
	                  ? "blocklist %s: self-test failed: %s"
	                  : "blocklist %s: self-test failed: 127.0.0.1 is listed (%s; "
	                    "RFC 5782 section 5), not trusted this run",
	              z->zone, v == MC_DNSBL_FAILED ? z->test_unlisted->error : code);
	return false;
}

/* Every answer of the zone is judged before any listing counts: one that
 * failed or cannot be trusted makes the whole zone untrusted. */
static bool answers_trusted(const mc_report_dnsbl_facts_t *f, size_t z, const mc_report_opts_t *o,
                            mc_result_t *root)
{
	const char *zone = f->zones[z].zone;
	char code[INET_ADDRSTRLEN];
	mc_dnsbl_verdict_t v;
	size_t k;

	for (k = 0; k < f->naddrs; k++) {
		const mc_dns_asked_t *q = &f->addrs[k].bl[z].a;
		if (!q->asked)
			continue;
		if (!q->ans) {
			mc_result_add(root, o->late,
			              "blocklist %s: no answer before the deadline for %s", zone,
			              f->addrs[k].text);
			return false;
		}
		v = mc_dnsbl_verdict(q->ans, code, sizeof(code));
		if (v == MC_DNSBL_FAILED)
			mc_result_add(root, MC_STATE_UNKNOWN, "blocklist %s: %s", zone,
			              q->ans->error);
		else if (v == MC_DNSBL_ERROR_CODE || v == MC_DNSBL_OUTSIDE)
			untrusted(root, zone, v, code);
		if (v == MC_DNSBL_FAILED || v == MC_DNSBL_ERROR_CODE || v == MC_DNSBL_OUTSIDE)
			return false;
	}
	return true;
}

static void listings(const mc_report_dnsbl_facts_t *f, size_t z, const mc_report_opts_t *o,
                     mc_result_t *root, tally_t *t)
{
	const char *zone = f->zones[z].zone;
	char code[INET_ADDRSTRLEN];
	size_t k, nlisted = 0;

	for (k = 0; k < f->naddrs; k++) {
		const mc_report_dnsbl_addr_t *a = &f->addrs[k];
		const mc_dns_answer_t *txt = a->bl[z].txt.ans;
		char reason[300];
		if (!a->bl[z].a.asked)
			continue;
		t->checked++;
		if (mc_dnsbl_verdict(a->bl[z].a.ans, code, sizeof(code)) != MC_DNSBL_LISTED)
			continue;
		nlisted++;
		if (txt && txt->n)
			mc_str_sanitize(reason, sizeof(reason), (const char *)txt->rrs[0]->data,
			                txt->rrs[0]->len);
		else
			mc_strlcpy(reason, "no TXT reason", sizeof(reason));
		mc_result_add(root, MC_STATE_CRITICAL, "%s (%s) is listed in %s (%s): %s", a->text,
		              a->host, zone, code, reason);
	}
	t->listed += nlisted;
	if (!nlisted)
		t->okzones++;
	if (!nlisted && o->verbose)
		mc_result_add(root, MC_STATE_OK, "blocklist %s: no address listed", zone);
}

void mc_report_dnsbl(const mc_report_dnsbl_facts_t *f, const mc_report_opts_t *o, mc_result_t *root,
                     mc_report_okline_t *ok)
{
	tally_t t = {0, 0, 0};
	size_t z;

	if (!f->nzones)
		return;
	for (z = 0; z < f->nzones; z++)
		if (self_test(&f->zones[z], o, root) && answers_trusted(f, z, o, root))
			listings(f, z, o, root, &t);
	if (t.okzones == f->nzones)
		mc_result_add(root, MC_STATE_OK,
		              "blocklists: %zu address%s not listed in %zu zone%s", f->naddrs,
		              f->naddrs == 1 ? "" : "es", f->nzones, f->nzones == 1 ? "" : "s");
	if (!t.listed)
		mc_report_ok(ok, "not listed in %zu of %zu blocklists", t.okzones, f->nzones);
	mc_result_perf(root, "dnsbl_listed", (double)t.listed, "", NULL);
	mc_result_perf(root, "dnsbl_checked", (double)t.checked, "", NULL);
}
