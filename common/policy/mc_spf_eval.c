/* mc_spf_eval.c - check_host() (RFC 7208 sections 4 to 6) as a pure
 * evaluation over a lookup callback, SPF record selection, and the driver
 * that has mc_dns_replay replay the evaluation on mc_dns answers. */
#include "mc_spf.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/mc_dns_replay.h"
#include "util/mc_str.h"

/* Internal outcomes besides the mc_spf_res_t values (all >= 0). */
enum { R_CONTINUE = -2, R_PENDING = -1 };

typedef enum lk { LK_ANSWER, LK_PENDING, LK_BADNAME } lk_t;

typedef struct ev {
	const mc_spf_params_t *p;
	mc_spf_lookup_fn lookup;
	void *arg;
	int fam; /* of the client, IPv4-mapped taken as AF_INET */
	uint8_t ip[16];
	char sender[1024];
	unsigned lookups, voids;
	/* asks made to prefetch do not name what evaluation waits for */
	bool prefetching;
	char waiting[MC_SPF_TEXT_MAX];
	char term[MC_SPF_TEXT_MAX];
	char reason[MC_SPF_TEXT_MAX];
	char none_reason[MC_SPF_TEXT_MAX];
	/* the exp= of the record whose mechanism failed (section 6.2) */
	bool exp_set;
	char exp_spec[MC_SPF_TEXT_MAX];
	char exp_domain[MC_SPF_NAME_MAX + 2];
} ev_t;

/* ---- names ---- */

/* A name a query can be made of: labels of 1-63 bytes (one trailing dot
 * allowed), at most 253 in all. */
static bool name_ok(const char *s)
{
	size_t n = strlen(s), label = 0, i;

	if (n && s[n - 1] == '.')
		n--;
	if (!n || n > MC_SPF_NAME_MAX)
		return false;
	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (label == 0 || label > 63)
				return false;
			label = 0;
		} else {
			label++;
		}
	}
	return true;
}

/* Section 4.3: the initial <domain> must be a multi-label domain name
 * (a domain literal "[192.0.2.1]" is not one). */
static bool initial_ok(const char *s)
{
	return name_ok(s) && s[0] != '[' && strchr(s, '.') && strchr(s, '.')[1] != '\0';
}

/* A name from an answer (presentation form, \DDD and \X escapes) as raw
 * bytes; false for what raw text cannot carry (a dot inside a label, NUL)
 * and for the root. */
static bool name_from_answer(const char *pres, char *out, size_t outsz)
{
	size_t o = 0;

	while (*pres) {
		unsigned c = (unsigned char)*pres;
		if (c == '\\' && pres[1] >= '0' && pres[1] <= '9' && pres[2] >= '0' &&
		    pres[2] <= '9' && pres[3] >= '0' && pres[3] <= '9') {
			c = (unsigned)(pres[1] - '0') * 100 + (unsigned)(pres[2] - '0') * 10 +
			    (unsigned)(pres[3] - '0');
			if (c == 0 || c == '.' || c > 255)
				return false;
			pres += 4;
		} else if (c == '\\' && pres[1]) {
			c = (unsigned char)pres[1];
			if (c == '.')
				return false;
			pres += 2;
		} else {
			pres++;
		}
		if (o + 1 >= outsz)
			return false;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return o > 0 && strcmp(out, ".") != 0;
}

/* Raw bytes to the form mc_dns_query takes: a backslash escapes itself. */
static void query_form(const char *raw, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *raw && o + 2 < outsz; raw++) {
		if (*raw == '\\')
			out[o++] = '\\';
		out[o++] = *raw;
	}
	out[o] = '\0';
}

static size_t name_len(const char *s)
{
	size_t n = strlen(s);

	return n && s[n - 1] == '.' ? n - 1 : n;
}

static bool name_eq(const char *a, const char *b)
{
	size_t n = name_len(a);

	return n == name_len(b) && mc_str_ieq_n(a, b, n);
}

/* name is target or below it */
static bool name_under(const char *name, const char *target)
{
	size_t n = name_len(name), t = name_len(target);

	if (name_eq(name, target))
		return true;
	return t && n > t + 1 && name[n - t - 1] == '.' && mc_str_ieq_n(target, name + n - t, t);
}

static void reverse_name(const ev_t *ev, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	int i;

	if (ev->fam == AF_INET) {
		snprintf(out, outsz, "%u.%u.%u.%u.in-addr.arpa", ev->ip[3], ev->ip[2], ev->ip[1],
		         ev->ip[0]);
		return;
	}
	for (i = 15; i >= 0 && o + 4 < outsz; i--) {
		out[o++] = hex[ev->ip[i] & 15];
		out[o++] = '.';
		out[o++] = hex[ev->ip[i] >> 4];
		out[o++] = '.';
	}
	out[o] = '\0';
	mc_strlcpy(out + o, "ip6.arpa", outsz - o);
}

static bool cidr_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, full))
		return false;
	if (!rest)
		return true;
	return ((a[full] ^ b[full]) & (0xff00u >> rest) & 0xff) == 0;
}

static bool answer_has_client(const ev_t *ev, const mc_dns_answer_t *ans, unsigned bits)
{
	size_t i;

	for (i = 0; i < ans->n; i++)
		if (cidr_match(ans->rrs[i]->addr, ev->ip, bits))
			return true;
	return false;
}

/* ---- questions ---- */

static void type_name(uint16_t type, char *buf, size_t bufsz)
{
	char tb[16];

	mc_strlcpy(buf, mc_dns_type_str(type, tb, sizeof(tb)), bufsz);
}

static lk_t ask(ev_t *ev, const char *raw, uint16_t type, const mc_dns_answer_t **ans)
{
	char q[2 * MC_DNS_NAME_MAX];

	*ans = NULL;
	if (!name_ok(raw))
		return LK_BADNAME;
	query_form(raw, q, sizeof(q));
	*ans = ev->lookup(ev->arg, q, type);
	if (*ans)
		return LK_ANSWER;
	if (!ev->prefetching && !ev->waiting[0]) {
		char tn[16];
		type_name(type, tn, sizeof(tn));
		snprintf(ev->waiting, sizeof(ev->waiting), "%s %s", tn, raw);
	}
	return LK_PENDING;
}

static uint16_t addr_type(const ev_t *ev)
{
	return ev->fam == AF_INET ? MC_DNS_T_A : MC_DNS_T_AAAA;
}

static int fail_with(ev_t *ev, int res, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail_with(ev_t *ev, int res, const char *fmt, ...)
{
	va_list ap;

	if (!ev->reason[0]) {
		va_start(ap, fmt);
		vsnprintf(ev->reason, sizeof(ev->reason), fmt, ap);
		va_end(ap);
	}
	return res;
}

static int dns_error(ev_t *ev, const mc_dns_answer_t *ans)
{
	return fail_with(ev, MC_SPF_TEMPERROR, "%s", ans->error);
}

static void term_set(ev_t *ev, const char *text)
{
	mc_strlcpy(ev->term, text, sizeof(ev->term));
}

static void term_wrap(ev_t *ev, const char *text)
{
	size_t n = strlen(ev->term);

	if (!n)
		term_set(ev, text);
	else
		snprintf(ev->term + n, sizeof(ev->term) - n, " in %s", text);
}

/* ---- %{p} and ptr (sections 5.5 and 7.3) ---- */

/* A raw name from an answer: at most 255 bytes. */
#define RAW_NAME_MAX 256

typedef struct names {
	char v[MC_SPF_MAX_NAMES][RAW_NAME_MAX];
	size_t n;
} names_t;

/* The first 10 names of the client's PTR answer. R_CONTINUE (names, maybe
 * none), R_PENDING, or the outcome when the answer is not records. */
static int ptr_names(ev_t *ev, names_t *nm, mc_dns_outcome_t *outcome,
                     const mc_dns_answer_t **answer)
{
	char rev[80];
	const mc_dns_answer_t *ans;
	size_t i;

	nm->n = 0;
	reverse_name(ev, rev, sizeof(rev));
	if (ask(ev, rev, MC_DNS_T_PTR, &ans) != LK_ANSWER)
		return R_PENDING;
	*outcome = ans->outcome;
	*answer = ans;
	for (i = 0; i < ans->n && nm->n < MC_SPF_MAX_NAMES; i++)
		if (name_from_answer(ans->rrs[i]->name, nm->v[nm->n], sizeof(nm->v[0])))
			nm->n++;
	return R_CONTINUE;
}

/* Does name have the client's address? R_CONTINUE with *yes set, or
 * R_PENDING. DNS errors make it not validated (section 5.5). */
static int validate(ev_t *ev, const char *name, bool *yes)
{
	const mc_dns_answer_t *ans;
	lk_t lk = ask(ev, name, addr_type(ev), &ans);

	*yes = false;
	if (lk == LK_PENDING)
		return R_PENDING;
	if (lk == LK_ANSWER && ans->outcome == MC_DNS_ANSWER)
		*yes = answer_has_client(ev, ans, ev->fam == AF_INET ? 32 : 128);
	return R_CONTINUE;
}

static void prefetch_addresses(ev_t *ev, const names_t *nm, const char *under)
{
	const mc_dns_answer_t *ans;
	bool was = ev->prefetching;
	size_t i;

	ev->prefetching = true;
	for (i = 0; i < nm->n; i++)
		if (!under || name_under(nm->v[i], under))
			(void)ask(ev, nm->v[i], addr_type(ev), &ans);
	ev->prefetching = was;
}

/* %{p}: "" for "unknown". */
static int validated_name(ev_t *ev, const char *domain, char *out, size_t outsz)
{
	names_t nm;
	mc_dns_outcome_t outcome;
	const mc_dns_answer_t *ans;
	size_t i, first = MC_SPF_MAX_NAMES, below = MC_SPF_MAX_NAMES;

	out[0] = '\0';
	if (ptr_names(ev, &nm, &outcome, &ans) == R_PENDING)
		return R_PENDING;
	prefetch_addresses(ev, &nm, NULL);
	for (i = 0; i < nm.n; i++) {
		bool yes;
		if (validate(ev, nm.v[i], &yes) == R_PENDING)
			return R_PENDING;
		if (!yes)
			continue;
		if (name_eq(nm.v[i], domain)) {
			mc_strlcpy(out, nm.v[i], outsz);
			return R_CONTINUE;
		}
		if (below == MC_SPF_MAX_NAMES && name_under(nm.v[i], domain))
			below = i;
		if (first == MC_SPF_MAX_NAMES)
			first = i;
	}
	if (below < nm.n)
		mc_strlcpy(out, nm.v[below], outsz);
	else if (first < nm.n)
		mc_strlcpy(out, nm.v[first], outsz);
	return R_CONTINUE;
}

static bool uses_p(const char *spec)
{
	for (; *spec; spec++) {
		if (spec[0] != '%' || !spec[1])
			continue;
		if (spec[1] == '{' && (spec[2] == 'p' || spec[2] == 'P'))
			return true;
		spec++; /* skip the escaped byte: "%%{p}" is literal */
	}
	return false;
}

/* Expand spec for domain. R_CONTINUE with out set ("" when the result
 * cannot be used: a label too long), or R_PENDING for %{p}. */
static int expand(ev_t *ev, const char *spec, const char *domain, bool for_exp, char *out,
                  size_t outsz)
{
	mc_spf_macro_ctx_t ctx;
	char pv[RAW_NAME_MAX], err[160];
	mc_status_t st;

	memset(&ctx, 0, sizeof(ctx));
	ctx.sender = ev->sender;
	ctx.domain = domain;
	ctx.ip = &ev->p->ip;
	ctx.helo = ev->p->helo;
	ctx.receiver = ev->p->receiver;
	ctx.now = ev->p->now;
	if (uses_p(spec)) {
		if (validated_name(ev, domain, pv, sizeof(pv)) == R_PENDING)
			return R_PENDING;
		ctx.ptr = pv[0] ? pv : NULL;
	}
	st = mc_spf_expand(spec, &ctx, for_exp, out, outsz, err, sizeof(err));
	if (st != MC_OK && !(for_exp && st == MC_E_LIMIT))
		out[0] = '\0';
	return R_CONTINUE;
}

/* ---- check_host ---- */

static int check(ev_t *ev, const char *domain, bool from_term);

static int void_lookup(ev_t *ev)
{
	if (++ev->voids > MC_SPF_MAX_VOID)
		return fail_with(ev, MC_SPF_PERMERROR,
		                 "more than %d void lookups (RFC 7208 section 4.6.4)",
		                 MC_SPF_MAX_VOID);
	return R_CONTINUE;
}

static int mech_a(ev_t *ev, const mc_spf_term_t *t, const char *target, bool *match)
{
	const mc_dns_answer_t *ans;
	lk_t lk = ask(ev, target, addr_type(ev), &ans);

	if (lk == LK_PENDING)
		return R_PENDING;
	if (lk == LK_BADNAME)
		return R_CONTINUE;
	switch (ans->outcome) {
	case MC_DNS_ANSWER:
		*match = answer_has_client(ev, ans, ev->fam == AF_INET ? t->cidr4 : t->cidr6);
		return R_CONTINUE;
	case MC_DNS_NODATA:
	case MC_DNS_NXDOMAIN: return void_lookup(ev);
	default: return dns_error(ev, ans);
	}
}

static int mech_mx(ev_t *ev, const mc_spf_term_t *t, const char *target, bool *match)
{
	const mc_dns_answer_t *ans;
	lk_t lk = ask(ev, target, MC_DNS_T_MX, &ans);
	names_t nm;
	bool matched = false;
	size_t i;

	if (lk == LK_PENDING)
		return R_PENDING;
	if (lk == LK_BADNAME)
		return R_CONTINUE;
	switch (ans->outcome) {
	case MC_DNS_ANSWER: break;
	case MC_DNS_NODATA:
	case MC_DNS_NXDOMAIN: return void_lookup(ev);
	default: return dns_error(ev, ans);
	}
	if (ans->n > MC_SPF_MAX_NAMES)
		return fail_with(ev, MC_SPF_PERMERROR,
		                 "MX %s: %zu names, over %d (RFC 7208 section 4.6.4)", target,
		                 ans->n, MC_SPF_MAX_NAMES);
	/* a null MX (RFC 7505) or a name raw text cannot carry is skipped */
	nm.n = 0;
	for (i = 0; i < ans->n; i++)
		if (name_from_answer(ans->rrs[i]->name, nm.v[nm.n], sizeof(nm.v[0])))
			nm.n++;
	prefetch_addresses(ev, &nm, NULL);
	/* Section 5.4: the address lookups of every MX name are part of the
	 * mechanism, and section 5 makes a DNS error in any of them a
	 * temperror. So a match does not end the loop, or the result would
	 * follow the order of the MX answer, which resolvers rotate.
	 * NXDOMAIN or no data is no address (section 5): not an error, and
	 * not a void lookup (the term's query is the MX one). The first
	 * pending or failing name in answer order stops the loop, so the
	 * error named does not depend on which answer came first. */
	for (i = 0; i < nm.n; i++) {
		const mc_dns_answer_t *a;
		lk = ask(ev, nm.v[i], addr_type(ev), &a);
		if (lk == LK_PENDING)
			return R_PENDING;
		if (lk == LK_BADNAME || a->outcome == MC_DNS_NODATA ||
		    a->outcome == MC_DNS_NXDOMAIN)
			continue;
		if (a->outcome != MC_DNS_ANSWER)
			return dns_error(ev, a);
		if (answer_has_client(ev, a, ev->fam == AF_INET ? t->cidr4 : t->cidr6))
			matched = true;
	}
	*match = matched;
	return R_CONTINUE;
}

static int mech_ptr(ev_t *ev, const char *target, bool *match)
{
	names_t nm;
	mc_dns_outcome_t outcome;
	const mc_dns_answer_t *ans;
	size_t i;

	if (ptr_names(ev, &nm, &outcome, &ans) == R_PENDING)
		return R_PENDING;
	if (outcome == MC_DNS_NODATA || outcome == MC_DNS_NXDOMAIN)
		return void_lookup(ev);
	/* other DNS errors: the mechanism does not match (section 5.5) */
	prefetch_addresses(ev, &nm, target);
	for (i = 0; i < nm.n && !*match; i++) {
		if (!name_under(nm.v[i], target))
			continue;
		if (validate(ev, nm.v[i], match) == R_PENDING)
			return R_PENDING;
	}
	return R_CONTINUE;
}

static int mech_exists(ev_t *ev, const char *target, bool *match)
{
	const mc_dns_answer_t *ans;
	lk_t lk = ask(ev, target, MC_DNS_T_A, &ans);

	if (lk == LK_PENDING)
		return R_PENDING;
	if (lk == LK_BADNAME)
		return R_CONTINUE;
	switch (ans->outcome) {
	case MC_DNS_ANSWER: *match = true; return R_CONTINUE;
	case MC_DNS_NODATA:
	case MC_DNS_NXDOMAIN: return void_lookup(ev);
	default: return dns_error(ev, ans);
	}
}

static int mech_include(ev_t *ev, const mc_spf_term_t *t, const char *target, bool *match)
{
	int r = check(ev, target, true);

	/* section 5.2 */
	switch (r) {
	case R_PENDING: return R_PENDING;
	case MC_SPF_PASS: *match = true; return R_CONTINUE;
	case MC_SPF_FAIL:
	case MC_SPF_SOFTFAIL:
	case MC_SPF_NEUTRAL:
		ev->term[0] = '\0';
		ev->exp_set = false;
		return R_CONTINUE;
	case MC_SPF_NONE:
		return fail_with(ev, MC_SPF_PERMERROR, "%s: %s (RFC 7208 section 5.2)", t->text,
		                 ev->none_reason);
	default: return r;
	}
}

/* One mechanism: R_CONTINUE with *match, or a final outcome. */
static int mechanism(ev_t *ev, const char *domain, const mc_spf_term_t *t, bool *match)
{
	char target[MC_SPF_NAME_MAX + 2];

	*match = false;
	switch (t->kind) {
	case MC_SPF_T_ALL: *match = true; return R_CONTINUE;
	case MC_SPF_T_IP4:
		*match = ev->fam == AF_INET && cidr_match(ev->ip, t->ip, t->cidr4);
		return R_CONTINUE;
	case MC_SPF_T_IP6:
		*match = ev->fam == AF_INET6 && cidr_match(ev->ip, t->ip, t->cidr6);
		return R_CONTINUE;
	default: break;
	}
	if (++ev->lookups > MC_SPF_MAX_LOOKUPS)
		return fail_with(ev, MC_SPF_PERMERROR,
		                 "more than %d DNS-querying terms (RFC 7208 section 4.6.4)",
		                 MC_SPF_MAX_LOOKUPS);
	if (t->spec) {
		if (expand(ev, t->spec, domain, false, target, sizeof(target)) == R_PENDING)
			return R_PENDING;
	} else {
		mc_strlcpy(target, domain, sizeof(target));
	}
	switch (t->kind) {
	case MC_SPF_T_INCLUDE: return mech_include(ev, t, target, match);
	case MC_SPF_T_A: return mech_a(ev, t, target, match);
	case MC_SPF_T_MX: return mech_mx(ev, t, target, match);
	case MC_SPF_T_PTR: return mech_ptr(ev, target, match);
	case MC_SPF_T_EXISTS: return mech_exists(ev, target, match);
	default: return R_CONTINUE;
	}
}

size_t mc_spf_records(const mc_dns_answer_t *a, const mc_dns_rr_t **first)
{
	size_t i, n = 0;

	*first = NULL;
	for (i = 0; a && i < a->n; i++) {
		const mc_dns_rr_t *rr = a->rrs[i];
		if (rr->data && mc_spf_is_record((const char *)rr->data, rr->len) && !n++)
			*first = rr;
	}
	return n;
}

/* The one SPF record of domain (section 4.4, 4.5), parsed. R_CONTINUE
 * with rec filled, or an outcome. from_term: the lookup of an include or
 * redirect, which may be void. */
static int fetch_record(ev_t *ev, const char *domain, bool from_term, mc_spf_record_t *rec)
{
	const mc_dns_answer_t *ans;
	const mc_dns_rr_t *found;
	char err[256];
	size_t nspf;
	mc_status_t st;
	lk_t lk = ask(ev, domain, MC_DNS_T_TXT, &ans);

	if (lk == LK_PENDING)
		return R_PENDING;
	if (lk == LK_BADNAME) {
		snprintf(ev->none_reason, sizeof(ev->none_reason),
		         "'%.300s' is not a valid domain name", domain);
		return MC_SPF_NONE;
	}
	switch (ans->outcome) {
	case MC_DNS_ANSWER: break;
	case MC_DNS_NODATA:
	case MC_DNS_NXDOMAIN:
		snprintf(ev->none_reason, sizeof(ev->none_reason), "%s: %s", domain,
		         ans->outcome == MC_DNS_NXDOMAIN ? "no such domain" : "no TXT record");
		if (from_term && void_lookup(ev) != R_CONTINUE)
			return MC_SPF_PERMERROR;
		return MC_SPF_NONE;
	default: return dns_error(ev, ans);
	}
	nspf = mc_spf_records(ans, &found);
	if (nspf == 0) {
		snprintf(ev->none_reason, sizeof(ev->none_reason), "%s: no SPF record", domain);
		return MC_SPF_NONE;
	}
	if (nspf > 1)
		return fail_with(ev, MC_SPF_PERMERROR, "%s: %zu SPF records (RFC 7208 section 4.5)",
		                 domain, nspf);
	st = mc_spf_parse((const char *)found->data, found->len, rec, err, sizeof(err));
	if (st == MC_E_NOMEM)
		return fail_with(ev, MC_SPF_TEMPERROR, "out of memory");
	if (st != MC_OK)
		return fail_with(ev, MC_SPF_PERMERROR, "%s: %s", domain, err);
	return R_CONTINUE;
}

static int qualifier_result(char q)
{
	switch (q) {
	case '-': return MC_SPF_FAIL;
	case '~': return MC_SPF_SOFTFAIL;
	case '?': return MC_SPF_NEUTRAL;
	default: return MC_SPF_PASS;
	}
}

static int check(ev_t *ev, const char *domain, bool from_term)
{
	mc_spf_record_t rec;
	int r = fetch_record(ev, domain, from_term, &rec);
	size_t i;

	if (r != R_CONTINUE)
		return r;
	for (i = 0; i < rec.nterms; i++) {
		const mc_spf_term_t *t = &rec.terms[i];
		bool match;
		if (t->kind == MC_SPF_T_REDIRECT || t->kind == MC_SPF_T_EXP ||
		    t->kind == MC_SPF_T_MODIFIER)
			continue;
		r = mechanism(ev, domain, t, &match);
		if (r == R_CONTINUE && match) {
			r = qualifier_result(t->qualifier);
			if (r == MC_SPF_FAIL && rec.exp >= 0) {
				/* section 6.2: this record's exp=, expanded later */
				const mc_spf_term_t *e = &rec.terms[rec.exp];
				ev->exp_set = strlen(e->spec) < sizeof(ev->exp_spec);
				mc_strlcpy(ev->exp_spec, e->spec, sizeof(ev->exp_spec));
				mc_strlcpy(ev->exp_domain, domain, sizeof(ev->exp_domain));
			}
		}
		if (r != R_CONTINUE) {
			if (r != R_PENDING)
				term_wrap(ev, t->text);
			mc_spf_record_free(&rec);
			return r;
		}
	}
	if (rec.redirect < 0) {
		mc_spf_record_free(&rec);
		return MC_SPF_NEUTRAL;
	}
	{
		/* section 6.1: after every mechanism, the result of the target */
		const mc_spf_term_t *t = &rec.terms[rec.redirect];
		char target[MC_SPF_NAME_MAX + 2];

		if (++ev->lookups > MC_SPF_MAX_LOOKUPS) {
			r = fail_with(ev, MC_SPF_PERMERROR,
			              "more than %d DNS-querying terms (RFC 7208 section 4.6.4)",
			              MC_SPF_MAX_LOOKUPS);
		} else if (expand(ev, t->spec, domain, false, target, sizeof(target)) ==
		           R_PENDING) {
			r = R_PENDING;
		} else {
			r = check(ev, target, true);
			if (r == MC_SPF_NONE)
				r = fail_with(ev, MC_SPF_PERMERROR, "%s: %s (RFC 7208 section 6.1)",
				              t->text, ev->none_reason);
		}
		/* a target that decided by default names no term */
		if (r != R_PENDING &&
		    (ev->term[0] || r == MC_SPF_TEMPERROR || r == MC_SPF_PERMERROR))
			term_wrap(ev, t->text);
		mc_spf_record_free(&rec);
		return r;
	}
}

/* ---- prefetch ---- */

/* The records already known, in evaluation order, within the budget of
 * DNS-querying terms: ask for every answer evaluation may need next. */
static void walk(ev_t *ev, const char *domain, unsigned *budget, int depth)
{
	mc_spf_record_t rec;
	const mc_dns_answer_t *ans;
	char target[MC_SPF_NAME_MAX + 2], rev[80];
	size_t i;

	if (depth > MC_SPF_MAX_LOOKUPS || !*budget)
		return;
	if (ask(ev, domain, MC_DNS_T_TXT, &ans) != LK_ANSWER || ans->outcome != MC_DNS_ANSWER)
		return;
	{
		/* the evaluation has reported any error; quietly skip one */
		char keep[MC_SPF_TEXT_MAX];
		int r;
		mc_strlcpy(keep, ev->reason, sizeof(keep));
		r = fetch_record(ev, domain, false, &rec);
		mc_strlcpy(ev->reason, keep, sizeof(ev->reason));
		if (r != R_CONTINUE)
			return;
	}
	for (i = 0; i < rec.nterms + 1 && *budget; i++) {
		const mc_spf_term_t *t = i < rec.nterms      ? &rec.terms[i]
		                         : rec.redirect >= 0 ? &rec.terms[rec.redirect]
		                                             : NULL;
		if (!t || (i < rec.nterms && t->kind == MC_SPF_T_REDIRECT))
			continue;
		if (t->kind == MC_SPF_T_ALL || t->kind == MC_SPF_T_IP4 || t->kind == MC_SPF_T_IP6 ||
		    t->kind == MC_SPF_T_EXP || t->kind == MC_SPF_T_MODIFIER)
			continue;
		(*budget)--;
		if (!t->spec)
			mc_strlcpy(target, domain, sizeof(target));
		else if (expand(ev, t->spec, domain, false, target, sizeof(target)) == R_PENDING)
			continue;
		switch (t->kind) {
		case MC_SPF_T_INCLUDE:
		case MC_SPF_T_REDIRECT: walk(ev, target, budget, depth + 1); break;
		case MC_SPF_T_A: (void)ask(ev, target, addr_type(ev), &ans); break;
		case MC_SPF_T_EXISTS: (void)ask(ev, target, MC_DNS_T_A, &ans); break;
		case MC_SPF_T_PTR:
			reverse_name(ev, rev, sizeof(rev));
			(void)ask(ev, rev, MC_DNS_T_PTR, &ans);
			break;
		case MC_SPF_T_MX:
			if (ask(ev, target, MC_DNS_T_MX, &ans) == LK_ANSWER &&
			    ans->outcome == MC_DNS_ANSWER && ans->n <= MC_SPF_MAX_NAMES) {
				names_t nm;
				size_t j;
				nm.n = 0;
				for (j = 0; j < ans->n; j++)
					if (name_from_answer(ans->rrs[j]->name, nm.v[nm.n],
					                     sizeof(nm.v[0])))
						nm.n++;
				prefetch_addresses(ev, &nm, NULL);
			}
			break;
		default: break;
		}
	}
	mc_spf_record_free(&rec);
}

/* ---- the explanation (section 6.2) ---- */

static int explain(ev_t *ev, char *out, size_t outsz, bool *explained)
{
	char name[MC_SPF_NAME_MAX + 2];
	const mc_dns_answer_t *ans;
	const mc_dns_rr_t *rr;
	lk_t lk;

	mc_strlcpy(out, MC_SPF_DEFAULT_EXPLANATION, outsz);
	if (!ev->exp_set)
		return R_CONTINUE;
	if (expand(ev, ev->exp_spec, ev->exp_domain, false, name, sizeof(name)) == R_PENDING)
		return R_PENDING;
	lk = ask(ev, name, MC_DNS_T_TXT, &ans);
	if (lk == LK_PENDING)
		return R_PENDING;
	if (lk != LK_ANSWER || ans->outcome != MC_DNS_ANSWER || ans->n != 1)
		return R_CONTINUE;
	rr = ans->rrs[0];
	if (!rr->data || strlen((const char *)rr->data) != rr->len)
		return R_CONTINUE;
	{
		char text[MC_SPF_TEXT_MAX];
		if (expand(ev, (const char *)rr->data, ev->exp_domain, true, text, sizeof(text)) ==
		    R_PENDING)
			return R_PENDING;
		if (text[0]) {
			mc_strlcpy(out, text, outsz);
			*explained = true;
		}
	}
	return R_CONTINUE;
}

/* ---- entry point ---- */

static mc_status_t setup(ev_t *ev, const mc_spf_params_t *p, mc_spf_lookup_fn lookup, void *arg)
{
	const char *s = p->sender && p->sender[0] ? p->sender : NULL;
	const mc_addr_t *a = &p->ip;
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	int n;

	memset(ev, 0, sizeof(*ev));
	ev->p = p;
	ev->lookup = lookup;
	ev->arg = arg;
	if (a->ss.ss_family == AF_INET) {
		ev->fam = AF_INET;
		memcpy(ev->ip, &((const struct sockaddr_in *)&a->ss)->sin_addr, 4);
	} else if (a->ss.ss_family == AF_INET6) {
		const uint8_t *b =
		    (const uint8_t *)&((const struct sockaddr_in6 *)&a->ss)->sin6_addr;
		/* section 5: an IPv4-mapped IPv6 client is an IPv4 client */
		ev->fam = memcmp(b, mapped, 12) ? AF_INET6 : AF_INET;
		memcpy(ev->ip, ev->fam == AF_INET ? b + 12 : b, ev->fam == AF_INET ? 4 : 16);
	} else {
		return MC_E_USAGE;
	}
	/* Section 2.4: no MAIL FROM, the HELO identity; section 4.3: no
	 * local part, "postmaster". */
	if (!s)
		n = snprintf(ev->sender, sizeof(ev->sender), "postmaster@%s",
		             p->helo ? p->helo : "");
	else if (!strchr(s, '@'))
		n = snprintf(ev->sender, sizeof(ev->sender), "postmaster@%s", s);
	else if (s[0] == '@')
		n = snprintf(ev->sender, sizeof(ev->sender), "postmaster%s", s);
	else
		n = snprintf(ev->sender, sizeof(ev->sender), "%s", s);
	if (n < 0 || (size_t)n >= sizeof(ev->sender))
		return MC_E_USAGE;
	return MC_OK;
}

mc_status_t mc_spf_check_host(const mc_spf_params_t *p, mc_spf_lookup_fn lookup, void *arg,
                              mc_spf_result_t *out)
{
	ev_t *ev = malloc(sizeof(*ev));
	const char *domain;
	mc_status_t st;
	int r;

	memset(out, 0, sizeof(*out));
	if (!ev) {
		out->result = MC_SPF_TEMPERROR;
		mc_strlcpy(out->reason, "out of memory", sizeof(out->reason));
		return MC_OK;
	}
	st = setup(ev, p, lookup, arg);
	if (st != MC_OK) {
		free(ev);
		return st;
	}
	domain = p->domain ? p->domain : strrchr(ev->sender, '@') + 1;
	if (!initial_ok(domain)) {
		/* section 4.3: no lookup at all */
		r = MC_SPF_NONE;
		snprintf(ev->none_reason, sizeof(ev->none_reason),
		         "'%.300s' is not a multi-label domain name (RFC 7208 section 4.3)",
		         domain);
	} else {
		r = check(ev, domain, false);
	}
	if (r == MC_SPF_FAIL) {
		if (explain(ev, out->explanation, sizeof(out->explanation), &out->explained) ==
		    R_PENDING)
			out->pending = true;
	}
	if (r == R_PENDING) {
		out->pending = true;
		r = MC_SPF_TEMPERROR;
		out->explanation[0] = '\0';
		ev->term[0] = '\0';
	}
	out->result = (mc_spf_res_t)r;
	mc_strlcpy(out->term, r == MC_SPF_NONE ? "" : ev->term, sizeof(out->term));
	if (out->pending)
		snprintf(out->reason, sizeof(out->reason), "no answer yet: %.480s", ev->waiting);
	else if (r == MC_SPF_NONE)
		mc_strlcpy(out->reason, ev->none_reason, sizeof(out->reason));
	else if (r == MC_SPF_TEMPERROR || r == MC_SPF_PERMERROR)
		mc_strlcpy(out->reason, ev->reason, sizeof(out->reason));
	out->lookups = ev->lookups;
	out->void_lookups = ev->voids;
	if (out->pending) {
		unsigned budget = MC_SPF_MAX_LOOKUPS;
		ev->prefetching = true;
		walk(ev, domain, &budget, 0);
	}
	free(ev);
	return MC_OK;
}

/* ---- the driver: check_host replayed by mc_dns_replay ---- */

struct mc_spf_run {
	mc_dns_replay_t *replay;
	mc_spf_params_t params;
	char *sender, *helo, *domain, *receiver;
	mc_spf_done_cb done;
	void *arg;
	mc_spf_result_t result;
};

static bool run_eval(void *arg, mc_dns_lookup_fn lookup, void *lookup_arg)
{
	mc_spf_run_t *run = arg;

	(void)mc_spf_check_host(&run->params, lookup, lookup_arg, &run->result);
	return run->result.pending;
}

/* The callback may free the run. */
static void run_done(void *arg)
{
	mc_spf_run_t *run = arg;

	run->done(run->arg, &run->result);
}

static bool copy_str(const char *s, char **out)
{
	*out = NULL;
	if (!s)
		return true;
	*out = strdup(s);
	return *out != NULL;
}

mc_status_t mc_spf_run_start(mc_loop_t *loop, mc_dns_t *dns, const mc_spf_params_t *p,
                             mc_spf_done_cb done, void *arg, mc_spf_run_t **out)
{
	mc_dns_replay_params_t rp;
	mc_spf_run_t *run;
	ev_t *probe = malloc(sizeof(*probe));
	mc_status_t st;

	*out = NULL;
	if (!probe)
		return MC_E_NOMEM;
	st = setup(probe, p, NULL, NULL);
	free(probe);
	if (st != MC_OK)
		return st;
	run = calloc(1, sizeof(*run));
	if (!run)
		return MC_E_NOMEM;
	run->done = done;
	run->arg = arg;
	run->params = *p;
	if (!copy_str(p->sender, &run->sender) || !copy_str(p->helo, &run->helo) ||
	    !copy_str(p->domain, &run->domain) || !copy_str(p->receiver, &run->receiver)) {
		mc_spf_run_free(run);
		return MC_E_NOMEM;
	}
	run->params.sender = run->sender;
	run->params.helo = run->helo;
	run->params.domain = run->domain;
	run->params.receiver = run->receiver;
	memset(&rp, 0, sizeof(rp));
	rp.fn = run_eval;
	rp.done = run_done;
	rp.arg = run;
	rp.over_limit = "too many questions for one SPF evaluation";
	st = mc_dns_replay_start(loop, dns, &rp, &run->replay);
	if (st != MC_OK) {
		mc_spf_run_free(run);
		return st;
	}
	*out = run;
	return MC_OK;
}

const mc_spf_result_t *mc_spf_run_result(const mc_spf_run_t *run)
{
	return &run->result;
}

bool mc_spf_run_busy(const mc_spf_run_t *run)
{
	return mc_dns_replay_busy(run->replay);
}

void mc_spf_run_free(mc_spf_run_t *run)
{
	if (!run)
		return;
	/* from done too: the replay detaches what is still in flight */
	mc_dns_replay_free(run->replay);
	free(run->sender);
	free(run->helo);
	free(run->domain);
	free(run->receiver);
	free(run);
}
