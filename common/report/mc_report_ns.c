#include "mc_report_ns.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mc_buf.h"

#define MAX_SERVERS 64

static int by_server(const void *a, const void *b)
{
	const mc_report_ns_server_t *x = *(const mc_report_ns_server_t *const *)a;
	const mc_report_ns_server_t *y = *(const mc_report_ns_server_t *const *)b;
	int c = strcasecmp(x->name, y->name);

	return c ? c : strcmp(x->text, y->text);
}

typedef struct serials {
	size_t usable;
	uint32_t serial;
	bool differ;
	mc_buf_t list;
} serials_t;

/* One server's SOA answer: a WARNING line, or its serial. A server the
 * zone's NS records name that answers without AA is a lame delegation
 * (RFC 8499 section 7: it does not serve the zone authoritatively). */
static void judge_server(const mc_report_ns_server_t *na, const mc_report_ns_facts_t *f,
                         const mc_report_opts_t *o, mc_result_t *node, serials_t *s)
{
	const mc_dns_answer_t *a = na->soa.ans;
	uint32_t sn;

	if (!a) {
		mc_result_add(node, o->late, "%s (%s): no answer before the deadline", na->name,
		              na->text);
	} else if (a->outcome != MC_DNS_ANSWER) {
		mc_result_add(node, MC_STATE_WARNING, "%s (%s): %s", na->name, na->text,
		              a->outcome == MC_DNS_TIMEOUT ? "unreachable, no answer" : a->error);
	} else if (!a->aa) {
		mc_result_add(node, MC_STATE_WARNING,
		              "%s (%s): not authoritative for %s (lame delegation)", na->name,
		              na->text, f->zone);
	} else {
		sn = a->rrs[0]->serial;
		if (s->usable && sn != s->serial)
			s->differ = true;
		s->serial = sn;
		s->usable++;
		(void)mc_buf_printf(&s->list, "%s%s (%s) serial %u", s->list.len ? ", " : "",
		                    na->name, na->text, sn);
	}
}

static void judge_names(const mc_report_ns_facts_t *f, const mc_report_opts_t *o, mc_result_t *node)
{
	size_t k;

	for (k = 0; k < f->nnames; k++) {
		const mc_report_ns_name_t *n = &f->names[k];
		bool answered = n->a.ans && n->aaaa.ans;
		if (!mc_dns_is(n->a.ans, MC_DNS_ANSWER) && !mc_dns_is(n->aaaa.ans, MC_DNS_ANSWER))
			mc_result_add(node, answered ? MC_STATE_WARNING : o->late,
			              "%s: no address%s", n->name,
			              answered ? "" : " before the deadline");
	}
	if (f->nnames < 2)
		mc_result_add(node, MC_STATE_WARNING,
		              "only %zu nameserver for %s (RFC 1034 section 4.1 wants at least 2)",
		              f->nnames, f->zone);
}

void mc_report_ns(const mc_report_ns_facts_t *f, const mc_report_opts_t *o, mc_result_t *root,
                  mc_report_okline_t *ok)
{
	const mc_report_ns_server_t *order[MAX_SERVERS];
	mc_result_t *node;
	serials_t s;
	size_t k, n = f->nservers < MAX_SERVERS ? f->nservers : MAX_SERVERS;

	if (!mc_dns_is(f->ns, MC_DNS_ANSWER)) {
		if (!f->domain_nxdomain)
			mc_result_add(root, f->ns ? MC_STATE_CRITICAL : o->late, "nameservers: %s",
			              f->ns ? f->ns->error : "NS: no answer before the deadline");
		return;
	}
	node = mc_result_add(root, MC_STATE_OK, "nameservers");
	if (!node)
		return;
	/* Answers arrive in any order; the report is stable. */
	for (k = 0; k < n; k++)
		order[k] = &f->servers[k];
	qsort(order, n, sizeof(order[0]), by_server);
	memset(&s, 0, sizeof(s));
	mc_buf_init(&s.list, 2048);
	for (k = 0; k < n; k++)
		judge_server(order[k], f, o, node, &s);
	judge_names(f, o, node);
	if (s.differ)
		mc_result_add(node, MC_STATE_WARNING, "SOA serials differ: %s",
		              mc_buf_cstr(&s.list));
	if (!s.usable && n)
		mc_result_add(node, MC_STATE_CRITICAL,
		              "no nameserver of %s answers authoritatively", f->zone);
	mc_result_set(node, MC_STATE_OK, "nameservers of %s: %s", f->zone,
	              s.usable ? mc_buf_cstr(&s.list) : "none usable");
	mc_buf_free(&s.list);
	if (s.usable && !s.differ)
		mc_report_ok(ok, "%zu nameservers agree (serial %u)", f->nnames, s.serial);
	mc_result_perf(root, "ns_count", (double)f->nnames, "", NULL);
}
