#include "mc_report_srv.h"

#include <string.h>

#include "util/mc_buf.h"

/* One target: listed, and a line when it does not resolve. */
static void target(const mc_report_srv_service_t *s, size_t t, const mc_report_opts_t *o,
                   mc_result_t *root, mc_buf_t *list)
{
	const mc_dns_rr_t *rr = s->srv.ans->rrs[t];
	const mc_dns_answer_t *a4 = s->addr[t][0].ans, *a6 = s->addr[t][1].ans;

	if (!strcmp(rr->name, ".")) {
		/* RFC 2782: the service is decidedly not offered. */
		(void)mc_buf_printf(list, "%s%s not offered", list->len ? ", " : "", s->name);
		return;
	}
	(void)mc_buf_printf(list, "%s%s %u %s", list->len ? ", " : "", s->name, rr->port, rr->name);
	if (!a4 || !a6)
		mc_result_add(root, o->late, "SRV %s: target %s unresolved before the deadline",
		              s->name, rr->name);
	else if (a4->outcome != MC_DNS_ANSWER && a6->outcome != MC_DNS_ANSWER)
		mc_result_add(root, MC_STATE_CRITICAL, "SRV %s: target %s does not resolve: %s",
		              s->name, rr->name, a4->error);
}

void mc_report_srv(const mc_report_srv_service_t *s, size_t n, const mc_report_opts_t *o,
                   mc_result_t *root)
{
	mc_buf_t list;
	size_t k, t, published = 0;

	mc_buf_init(&list, 2048);
	for (k = 0; k < n; k++) {
		if (!mc_dns_definite(s[k].srv.ans)) {
			mc_result_add(root, mc_report_dns_failure_state(&s[k].srv, o), "SRV %s: %s",
			              s[k].name, mc_report_dns_failure(&s[k].srv));
			continue;
		}
		for (t = 0; t < s[k].srv.ans->n && t < MC_REPORT_SRV_MAX_TARGETS; t++) {
			published++;
			target(&s[k], t, o, root, &list);
		}
	}
	mc_result_add(root, MC_STATE_OK, "SRV: %s",
	              published ? mc_buf_cstr(&list) : "no client SRV records (RFC 6186)");
	mc_buf_free(&list);
}
