#include "mc_report_mx.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "util/mc_buf.h"
#include "util/mc_str.h"

static bool expect_listed(const mc_report_mx_opts_t *mo, const char *host)
{
	size_t k;

	for (k = 0; k < mo->nexpect; k++)
		if (mc_dns_name_eq(mo->expect_mx[k], host))
			return true;
	return false;
}

static bool host_listed(const mc_report_mx_facts_t *f, const char *name)
{
	size_t h;

	for (h = 0; h < f->nhosts; h++)
		if (mc_dns_name_eq(f->hosts[h].name, name))
			return true;
	return false;
}

/* RFC 7505 section 3: a null MX says the domain takes no mail, and it
 * must be the only MX record. */
static void null_mx(const mc_report_mx_facts_t *f, const mc_report_mx_opts_t *mo, mc_result_t *root,
                    mc_report_okline_t *ok)
{
	if (mc_mx_null_among_others(f->mx))
		mc_result_add(root, MC_STATE_CRITICAL,
		              "MX: a null MX among %zu MX records (RFC 7505 section 3: it "
		              "must be the only one)",
		              f->mx->n);
	else if (mo->expect_null)
		mc_result_add(root, MC_STATE_OK,
		              "MX: null MX, the domain accepts no mail (RFC 7505), as "
		              "expected");
	else
		mc_result_add(root, MC_STATE_CRITICAL,
		              "MX: null MX, the domain accepts no mail (RFC 7505)");
	mc_report_ok(ok, "null MX");
}

/* The hosts as listed ("10 mx1.example, 20 mx2.example"), and the ones
 * beyond the cap by name: a check must not drop hosts silently. */
static void host_list(const mc_report_mx_facts_t *f, mc_result_t *root)
{
	mc_buf_t list;
	size_t k;

	mc_buf_init(&list, 1024);
	for (k = 0; k < f->nhosts; k++)
		(void)mc_buf_printf(&list, "%s%u %s", k ? ", " : "", f->hosts[k].pref,
		                    f->hosts[k].name);
	mc_result_add(root, MC_STATE_OK, "MX: %s%s", mc_buf_cstr(&list),
	              f->mx->ad ? " (DNSSEC validated)" : "");
	mc_buf_free(&list);
	mc_report_mx_rest(f->rest, f->nrest, root);
}

void mc_report_mx_rest(const char *const *rest, size_t nrest, mc_result_t *root)
{
	mc_buf_t list;
	size_t k;

	if (!nrest)
		return;
	mc_buf_init(&list, 2048);
	for (k = 0; k < nrest; k++)
		(void)mc_buf_printf(&list, "%s%s", k ? ", " : "", rest[k]);
	mc_result_add(root, MC_STATE_WARNING, "MX: %zu more MX host%s not checked (at most %d): %s",
	              nrest, nrest == 1 ? "" : "s", MC_MX_MAX_HOSTS, mc_buf_cstr(&list));
	mc_buf_free(&list);
}

/* --expect-mx, --min-mx, --dnssec. */
static void expectations(const mc_report_mx_facts_t *f, const mc_report_mx_opts_t *mo,
                         mc_result_t *root)
{
	size_t k;

	for (k = 0; k < mo->nexpect; k++)
		if (!host_listed(f, mo->expect_mx[k]))
			mc_result_add(root, MC_STATE_CRITICAL, "MX: expected %s, not listed",
			              mo->expect_mx[k]);
	for (k = 0; mo->nexpect && k < f->nhosts; k++)
		if (!expect_listed(mo, f->hosts[k].name))
			mc_result_add(root, MC_STATE_WARNING, "MX: %s is not an expected MX",
			              f->hosts[k].name);
	if (mo->min_mx > 0 && (long)f->nhosts < mo->min_mx)
		mc_result_add(root, MC_STATE_WARNING, "MX: %zu MX host%s, fewer than --min-mx %ld",
		              f->nhosts, f->nhosts == 1 ? "" : "s", mo->min_mx);
	if (mo->dnssec)
		mc_result_add(root, f->mx->ad ? MC_STATE_OK : MC_STATE_CRITICAL,
		              f->mx->ad ? "DNSSEC: the MX answer is validated (AD)"
		                        : "DNSSEC: the MX answer is not validated (no AD flag from "
		                          "the resolver)");
}

bool mc_report_mx_set(const mc_report_mx_facts_t *f, const mc_report_mx_opts_t *mo,
                      const mc_report_opts_t *o, mc_result_t *root, mc_report_okline_t *ok)
{
	const mc_dns_answer_t *ans = f->mx;

	if (!ans) {
		mc_result_add(root, o->late, "MX %s: no answer before the deadline", mo->domain);
		return false;
	}
	if (ans->outcome == MC_DNS_NXDOMAIN) {
		mc_result_add(root, MC_STATE_CRITICAL, "%s does not exist (NXDOMAIN)", mo->domain);
		return false;
	}
	if (ans->outcome != MC_DNS_ANSWER && ans->outcome != MC_DNS_NODATA) {
		mc_result_add(root, MC_STATE_CRITICAL, "%s", ans->error);
		return false;
	}
	if (mc_mx_is_null(ans)) {
		null_mx(f, mo, root, ok);
		return false;
	}
	if (mo->expect_null)
		mc_result_add(root, MC_STATE_CRITICAL, "MX: expected a null MX, found %s",
		              ans->n ? "MX hosts" : "no MX record");
	if (ans->n == 0) {
		if (!f->implicit) {
			mc_result_add(root, MC_STATE_CRITICAL,
			              "MX: %s has no MX record (use --allow-implicit-mx to accept "
			              "its address, RFC 5321 section 5.1)",
			              mo->domain);
			return false;
		}
		mc_result_add(root, MC_STATE_OK,
		              "MX: none; implicit MX, the domain's own address (RFC 5321 section "
		              "5.1)");
	} else {
		host_list(f, root);
	}
	expectations(f, mo, root);
	return f->nhosts > 0;
}

/* The address's own bytes, to compare with forward answers. */
static const void *addr_bytes(const mc_addr_t *a, size_t *len)
{
	if (mc_addr_family(a) == AF_INET) {
		*len = 4;
		return &((const struct sockaddr_in *)&a->ss)->sin_addr;
	}
	*len = 16;
	return &((const struct sockaddr_in6 *)&a->ss)->sin6_addr;
}

/* A PTR name is confirmed when its forward lookup leads back to the
 * address (forward-confirmed reverse DNS). */
static bool confirmed(const mc_report_mx_addr_t *a, size_t k)
{
	const mc_dns_answer_t *f = a->fwd[k].ans;
	size_t j, alen;
	const void *mine = addr_bytes(&a->addr, &alen);

	for (j = 0; f && j < f->n; j++)
		if (!memcmp(f->rrs[j]->addr, mine, alen))
			return true;
	return false;
}

/* The PTR names of an address, and whether one resolves back to it;
 * ptrtext gets what the host line shows. */
static void report_ptr(const mc_report_mx_addr_t *a, const mc_report_opts_t *o, mc_result_t *node,
                       char *ptrtext, size_t ptrsz)
{
	const mc_dns_answer_t *ans = a->ptr.ans;
	size_t k;

	ptrtext[0] = '\0';
	if (!a->ptr.asked)
		return;
	if (!ans) {
		mc_result_add(node, o->late, "%s: PTR: no answer before the deadline", a->text);
		return;
	}
	if (mc_dns_absent(ans)) {
		mc_result_add(node, MC_STATE_WARNING, "%s: no PTR record", a->text);
		return;
	}
	if (ans->outcome != MC_DNS_ANSWER) {
		mc_result_add(node, MC_STATE_WARNING, "%s: %s", a->text, ans->error);
		return;
	}
	for (k = 0; k < ans->n && k < MC_REPORT_MX_MAX_PTR; k++)
		if (confirmed(a, k)) {
			mc_strlcpy(ptrtext, ans->rrs[k]->name, ptrsz);
			return;
		}
	if (!a->fwd[0].ans)
		mc_result_add(node, o->late,
		              "%s: PTR %s: forward lookup unanswered before the deadline", a->text,
		              ans->rrs[0]->name);
	else
		mc_result_add(node, MC_STATE_WARNING,
		              "%s: PTR %s does not resolve back to %s (not forward-confirmed)",
		              a->text, ans->rrs[0]->name, a->text);
	snprintf(ptrtext, ptrsz, "%s, unconfirmed", ans->rrs[0]->name);
}

/* The first of A and AAAA that failed (not answer, no data or NXDOMAIN). */
static const mc_dns_asked_t *addr_failure(const mc_report_mx_host_t *ho)
{
	if (!mc_dns_definite(ho->a.ans))
		return &ho->a;
	if (!mc_dns_definite(ho->aaaa.ans))
		return &ho->aaaa;
	return NULL;
}

/* A named host: no address at all, a failed lookup, --require-ipv6. */
static void host_addresses(const mc_report_mx_host_t *ho, bool v4, bool v6,
                           const mc_report_mx_opts_t *mo, const mc_report_opts_t *o,
                           mc_result_t *node)
{
	const mc_dns_asked_t *fail = addr_failure(ho);

	if (!v4 && !v6)
		mc_result_add(node, fail ? mc_report_dns_failure_state(fail, o) : MC_STATE_CRITICAL,
		              "%s: %s", ho->name,
		              fail                                    ? mc_report_dns_failure(fail)
		              : mc_dns_is(ho->a.ans, MC_DNS_NXDOMAIN) ? "no such host (NXDOMAIN)"
		                                                      : "no A and no AAAA record");
	else if (fail)
		mc_result_add(node, mc_report_dns_failure_state(fail, o), "%s",
		              mc_report_dns_failure(fail));
	if (mo->require_ipv6 && !v6 && v4)
		mc_result_add(node, MC_STATE_WARNING, "%s has no AAAA record (--require-ipv6)",
		              ho->name);
}

/* RFC 5321 section 5.1 wants a name, RFC 2181 section 10.3 not an alias. */
static void host_name(const mc_report_mx_facts_t *f, const mc_report_mx_host_t *ho,
                      mc_result_t *node)
{
	const char *cname = NULL;

	if (ho->literal)
		mc_result_add(node, MC_STATE_WARNING,
		              "MX %s is an address literal, not a host name (RFC 5321 section "
		              "5.1)",
		              ho->name);
	if (ho->a.ans && ho->a.ans->canonical)
		cname = ho->a.ans->canonical;
	if (!cname && ho->aaaa.ans && ho->aaaa.ans->canonical)
		cname = ho->aaaa.ans->canonical;
	if (cname && !f->implicit)
		mc_result_add(node, MC_STATE_WARNING,
		              "MX %s is an alias (CNAME to %s), which RFC 2181 section 10.3 "
		              "forbids",
		              ho->name, cname);
}

/* One host's node; true when it has an address. */
static bool report_host(const mc_report_mx_facts_t *f, size_t h, const mc_report_mx_opts_t *mo,
                        const mc_report_opts_t *o, mc_result_t *root)
{
	const mc_report_mx_host_t *ho = &f->hosts[h];
	mc_result_t *node = mc_result_add(root, MC_STATE_OK, "%s", ho->name);
	mc_buf_t list;
	bool v4 = false, v6 = false;
	size_t k;

	if (!node)
		return false;
	host_name(f, ho, node);
	mc_buf_init(&list, 2048);
	for (k = 0; k < f->naddrs; k++) {
		const mc_report_mx_addr_t *a = &f->addrs[k];
		char ptr[300];
		if (a->host != h)
			continue;
		if (mc_addr_family(&a->addr) == AF_INET)
			v4 = true;
		else
			v6 = true;
		report_ptr(a, o, node, ptr, sizeof(ptr));
		(void)mc_buf_printf(&list, "%s%s%s%s%s", list.len ? ", " : "", a->text,
		                    ptr[0] ? " (PTR " : "", ptr, ptr[0] ? ")" : "");
	}
	if (!ho->literal)
		host_addresses(ho, v4, v6, mo, o, node);
	mc_result_set(node, MC_STATE_OK, "%s%s: %s", ho->name, f->implicit ? " (implicit MX)" : "",
	              list.len ? mc_buf_cstr(&list) : "no address");
	mc_buf_free(&list);
	return v4 || v6;
}

void mc_report_mx_hosts(const mc_report_mx_facts_t *f, const mc_report_mx_opts_t *mo,
                        const mc_report_opts_t *o, mc_result_t *root, mc_report_okline_t *ok)
{
	size_t h, resolvable = 0;

	for (h = 0; h < f->nhosts; h++)
		resolvable += report_host(f, h, mo, o, root);
	if (f->nhosts > 1 && resolvable == 0)
		mc_result_add(root, MC_STATE_CRITICAL,
		              "no MX host has an address: mail to %s cannot be delivered",
		              mo->domain);
	mc_report_ok(ok, "%zu MX, %zu address%s", f->nhosts, f->naddrs, f->naddrs == 1 ? "" : "es");
}
