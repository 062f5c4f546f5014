#include "mc_report_banner.h"

#include <string.h>

#include "util/mc_str.h"

void mc_report_banner_host(const char *banner, char *out, size_t outsz)
{
	const char *p = banner + strspn(banner, "0123456789");
	size_t n;

	p += strspn(p, " -");
	n = strcspn(p, " ");
	mc_str_sanitize(out, outsz, p, n);
}

/* One address: true when its banner is 220 and names the MX or PTR name. */
static bool judge(const mc_report_banner_facts_t *a, const mc_report_opts_t *o, mc_result_t *root)
{
	const mc_smtp_result_t *p = a->res;
	char host[256];
	bool match;
	size_t j;

	if (!a->done) {
		mc_result_add(root, o->late, "SMTP %s (%s): no banner before the deadline", a->addr,
		              a->mx);
		return false;
	}
	if (!p->banner[0] || p->base.status != MC_OK) {
		mc_result_add(root, MC_STATE_CRITICAL, "SMTP %s (%s): %s", a->addr, a->mx,
		              p->base.error[0] ? p->base.error : "no banner");
		return false;
	}
	mc_report_banner_host(p->banner, host, sizeof(host));
	match = mc_dns_name_eq(host, a->mx);
	for (j = 0; !match && a->ptr && j < a->ptr->n; j++)
		match = mc_dns_name_eq(host, a->ptr->rrs[j]->name);
	if (!match)
		mc_result_add(root, MC_STATE_WARNING,
		              "SMTP %s (%s): the banner names %s, neither the MX host nor the "
		              "address's PTR name: %s",
		              a->addr, a->mx, host[0] ? host : "no host", p->banner);
	else if (o->verbose)
		mc_result_add(root, MC_STATE_OK, "SMTP %s (%s): %s", a->addr, a->mx, p->banner);
	return match;
}

void mc_report_banner(const mc_report_banner_facts_t *a, size_t n, const mc_report_opts_t *o,
                      mc_result_t *root)
{
	size_t k, ok = 0;

	for (k = 0; k < n; k++)
		ok += judge(&a[k], o, root);
	if (n && ok == n)
		mc_result_add(root, MC_STATE_OK,
		              "SMTP: %zu address%s answer 220 with the MX or PTR name", ok,
		              ok == 1 ? "" : "es");
}
