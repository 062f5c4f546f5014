/* spf_zone.c - the SPF test zone and the check_host cases run against it
 * (spf_zone.h). */
#include "spf_zone.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct zrr {
	const char *name;
	uint16_t type;
	const char *value; /* TXT text, an address, an MX or PTR target */
} zrr_t;

typedef struct zerr {
	const char *name;
	uint16_t type;
	mc_dns_outcome_t outcome;
} zerr_t;

#define TXT MC_DNS_T_TXT
#define A MC_DNS_T_A
#define AAAA MC_DNS_T_AAAA
#define MX MC_DNS_T_MX
#define PTR MC_DNS_T_PTR
#define REV10 "10.2.0.192.in-addr.arpa"

static const zrr_t zone[] = {
    {"pass.test", TXT, "v=spf1 ip4:192.0.2.0/24 -all"},
    {"pass.test", TXT, "an unrelated TXT record"},
    {"fail.test", TXT, "v=spf1 ip4:198.51.100.0/24 -all"},
    {"soft.test", TXT, "v=spf1 ~all"},
    {"neutral.test", TXT, "v=spf1 ip4:198.51.100.1"},
    {"none.test", TXT, "google-site-verification=abc"},
    {"two.test", TXT, "v=spf1 -all"},
    {"two.test", TXT, "V=SPF1 +all"},
    {"syntax.test", TXT, "v=spf1 a ip4:192.0.2.1/33"},
    {"v6.test", TXT, "v=spf1 ip6:2001:db8::/32 a:host6.test -all"},
    {"host6.test", AAAA, "2001:db9::1"},
    {"inc.test", TXT, "v=spf1 include:_spf.inc.test -all"},
    {"_spf.inc.test", TXT, "v=spf1 ip4:192.0.2.0/24 ~all"},
    {"deep.test", TXT, "v=spf1 include:inc.test"},
    {"incnone.test", TXT, "v=spf1 include:nothing.test -all"},
    {"inctemp.test", TXT, "v=spf1 include:servfail.test -all"},
    {"incperm.test", TXT, "v=spf1 include:syntax.test -all"},
    {"redir.test", TXT, "v=spf1 ip4:198.51.100.1 redirect=pass.test"},
    {"redirnone.test", TXT, "v=spf1 redirect=nothing.test"},
    {"redirexp.test", TXT, "v=spf1 exp=e1.test redirect=expfail.test"},
    {"expfail.test", TXT, "v=spf1 -all exp=e2.test"},
    {"incexp.test", TXT, "v=spf1 include:expfail.test -all exp=e3.test"},
    {"expmulti.test", TXT, "v=spf1 -all exp=emulti.test"},
    {"expbad.test", TXT, "v=spf1 -all exp=ebad.test"},
    {"exptimeout.test", TXT, "v=spf1 -all exp=slow.test"},
    {"lpart.test", TXT, "v=spf1 -all exp=el.test"},
    {"e1.test", TXT, "not me"},
    {"e2.test", TXT, "%{i} is not one of %{d}'s senders"},
    {"e3.test", TXT, "mail from %{o} via %{c}: refused"},
    {"emulti.test", TXT, "one"},
    {"emulti.test", TXT, "two"},
    {"ebad.test", TXT, "The %{x}-files"},
    {"el.test", TXT, "%{l}@%{o}"},
    {"ten.test", TXT,
     "v=spf1 a:y.test a:y.test a:y.test a:y.test a:y.test a:y.test a:y.test "
     "a:y.test a:y.test a:y.test ip4:192.0.2.10"},
    {"eleven.test", TXT,
     "v=spf1 a:y.test a:y.test a:y.test a:y.test a:y.test a:y.test a:y.test "
     "a:y.test a:y.test a:y.test a:y.test ip4:192.0.2.10"},
    {"y.test", A, "203.0.113.1"},
    {"void2.test", TXT, "v=spf1 a:n1.test mx:n2.test ip4:192.0.2.0/24"},
    {"void3.test", TXT, "v=spf1 a:n1.test mx:n2.test exists:n3.test ip4:192.0.2.0/24"},
    {"mx.test", TXT, "v=spf1 mx -all"},
    {"mx.test", MX, "."},
    {"mx.test", MX, "mail.mx.test"},
    {"mail.mx.test", A, "203.0.113.9"},
    {"mail.mx.test", A, "192.0.2.10"},
    {"mx11.test", TXT, "v=spf1 mx"},
    {"mx11.test", MX, "m1.test"},
    {"mx11.test", MX, "m2.test"},
    {"mx11.test", MX, "m3.test"},
    {"mx11.test", MX, "m4.test"},
    {"mx11.test", MX, "m5.test"},
    {"mx11.test", MX, "m6.test"},
    {"mx11.test", MX, "m7.test"},
    {"mx11.test", MX, "m8.test"},
    {"mx11.test", MX, "m9.test"},
    {"mx11.test", MX, "m10.test"},
    {"mx11.test", MX, "m11.test"},
    {"mxerr.test", TXT, "v=spf1 mx:mx.test/16 -all"},
    {"ptr.test", TXT, "v=spf1 ptr -all"},
    {"ptrdom.test", TXT, "v=spf1 ptr:ptr.test -all"},
    {"ptrelse.test", TXT, "v=spf1 ptr:elsewhere.test -all"},
    {REV10, PTR, "unvalidated.ptr.test"},
    {REV10, PTR, "host.ptr.test"},
    {"host.ptr.test", A, "192.0.2.10"},
    {"unvalidated.ptr.test", A, "203.0.113.5"},
    {"pmacro.test", TXT, "v=spf1 exists:%{p}.ok.test -all"},
    {"host.ptr.test.ok.test", A, "127.0.0.2"},
    {"ptr11.test", TXT, "v=spf1 ptr -all"},
    {"11.2.0.192.in-addr.arpa", PTR, "n1.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n2.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n3.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n4.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n5.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n6.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n7.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n8.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n9.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n10.ptr11.test"},
    {"11.2.0.192.in-addr.arpa", PTR, "n11.ptr11.test"},
    {"n11.ptr11.test", A, "192.0.2.11"},
    {"aerr.test", TXT, "v=spf1 a:servfail.test -all"},
    {"existserr.test", TXT, "v=spf1 exists:slow.test -all"},
    {"ptrerr.test", TXT, "v=spf1 ptr ip4:192.0.2.12"},
    {"cidr.test", TXT, "v=spf1 a:y.test/24 -all"},
    /* a tree of depth 3, for the prefetch */
    {"tree.test", TXT, "v=spf1 include:a.tree.test include:b.tree.test -all"},
    {"a.tree.test", TXT, "v=spf1 include:a1.tree.test"},
    {"b.tree.test", TXT, "v=spf1 include:b1.tree.test ip4:192.0.2.0/24"},
    {"a1.tree.test", TXT, "v=spf1 ip4:198.51.100.1"},
    {"b1.tree.test", TXT, "v=spf1 ip4:198.51.100.2"},
    {"early.test", TXT, "v=spf1 include:first.test a:v1.test a:v2.test a:v3.test -all"},
    {"first.test", TXT, "v=spf1 ip4:192.0.2.10"},
    {"late.test", TXT, "v=spf1 ip4:198.51.100.99"},
    {"quick.test", TXT, "v=spf1 include:first.test include:late.test -all"},
    {"late2.test", TXT, "v=spf1 ip4:198.51.100.98"},
    {"quick2.test", TXT, "v=spf1 include:first.test include:late2.test -all"},
    /* issue 15: an mx whose names answer differently, each pair in both
     * orders (good first, good last) */
    {"mxgs.test", TXT, "v=spf1 mx -all"},
    {"mxgs.test", MX, "good.mxo.test"},
    {"mxgs.test", MX, "servfail.test"},
    {"mxsg.test", TXT, "v=spf1 mx -all"},
    {"mxsg.test", MX, "servfail.test"},
    {"mxsg.test", MX, "good.mxo.test"},
    {"mxgt.test", TXT, "v=spf1 mx -all"},
    {"mxgt.test", MX, "good.mxo.test"},
    {"mxgt.test", MX, "slow.test"},
    {"mxtg.test", TXT, "v=spf1 mx -all"},
    {"mxtg.test", MX, "slow.test"},
    {"mxtg.test", MX, "good.mxo.test"},
    {"mxgn.test", TXT, "v=spf1 mx -all"},
    {"mxgn.test", MX, "good.mxo.test"},
    {"mxgn.test", MX, "nx.mxo.test"},
    {"mxng.test", TXT, "v=spf1 mx -all"},
    {"mxng.test", MX, "nx.mxo.test"},
    {"mxng.test", MX, "good.mxo.test"},
    {"mxgd.test", TXT, "v=spf1 mx -all"},
    {"mxgd.test", MX, "good.mxo.test"},
    {"mxgd.test", MX, "host6.test"},
    {"mxdg.test", TXT, "v=spf1 mx -all"},
    {"mxdg.test", MX, "host6.test"},
    {"mxdg.test", MX, "good.mxo.test"},
    {"good.mxo.test", A, "192.0.2.1"},
    /* ptr with an address lookup failing on one name, in both orders */
    {"ptro.test", TXT, "v=spf1 ptr -all"},
    {"13.2.0.192.in-addr.arpa", PTR, "good.ptro.test"},
    {"13.2.0.192.in-addr.arpa", PTR, "servfail.ptro.test"},
    {"14.2.0.192.in-addr.arpa", PTR, "servfail.ptro.test"},
    {"14.2.0.192.in-addr.arpa", PTR, "good.ptro.test"},
    {"15.2.0.192.in-addr.arpa", PTR, "servfail.ptro.test"},
    {"good.ptro.test", A, "192.0.2.13"},
    {"good.ptro.test", A, "192.0.2.14"},
};

static const zerr_t zone_errors[] = {
    {"servfail.test", TXT, MC_DNS_SERVFAIL},
    {"servfail.test", A, MC_DNS_SERVFAIL},
    {"slow.test", TXT, MC_DNS_TIMEOUT},
    {"slow.test", A, MC_DNS_TIMEOUT},
    {"12.2.0.192.in-addr.arpa", PTR, MC_DNS_SERVFAIL},
    {"servfail.ptro.test", A, MC_DNS_SERVFAIL},
};

/* Answers built from the zone, kept until the test ends. */
typedef struct built {
	struct built *next;
	mc_dns_answer_t ans;
	mc_dns_rr_t rr[16];
	char name[256];
} built_t;

static built_t *built_list;
/* Answers of 2 to MC_SPF_MAX_NAMES records are rotated left by this many
 * places. Longer ones stay in zone order: of those RFC 7208 section 4.6.4
 * has the first 10 PTR names count, so their order is meant to matter. */
static size_t rotate_by;

void spf_zone_rotate(size_t by)
{
	rotate_by = by;
}

void spf_zone_free(void)
{
	while (built_list) {
		built_t *b = built_list;
		built_list = b->next;
		free(b);
	}
}

static bool name_known(const char *name)
{
	size_t i;

	for (i = 0; i < N_OF(zone); i++)
		if (mc_dns_name_eq(zone[i].name, name))
			return true;
	return false;
}

const mc_dns_answer_t *spf_zone_answer(const char *name, uint16_t type)
{
	built_t *b;
	size_t i;

	for (b = built_list; b; b = b->next)
		if (b->ans.type == type && mc_dns_name_eq(b->name, name))
			return &b->ans;
	b = calloc(1, sizeof(*b));
	assert_non_null(b);
	b->next = built_list;
	built_list = b;
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->ans.name = b->name;
	b->ans.type = type;
	for (i = 0; i < N_OF(zone_errors); i++) {
		if (zone_errors[i].type == type && mc_dns_name_eq(zone_errors[i].name, name)) {
			b->ans.outcome = zone_errors[i].outcome;
			snprintf(b->ans.error, sizeof(b->ans.error), "%s %s: %s",
			         type == TXT ? "TXT" : "A", name,
			         mc_dns_outcome_str(zone_errors[i].outcome));
			return &b->ans;
		}
	}
	for (i = 0; i < N_OF(zone); i++) {
		mc_dns_rr_t *rr;
		if (zone[i].type != type || !mc_dns_name_eq(zone[i].name, name))
			continue;
		assert_true(b->ans.n < N_OF(b->rr));
		rr = &b->rr[b->ans.n];
		b->ans.rrs[b->ans.n++] = rr;
		rr->type = type;
		rr->owner = b->name;
		switch (type) {
		case TXT:
			rr->data = (const uint8_t *)zone[i].value;
			rr->len = strlen(zone[i].value);
			rr->nstrings = 1;
			break;
		case A: assert_int_equal(inet_pton(AF_INET, zone[i].value, rr->addr), 1); break;
		case AAAA: assert_int_equal(inet_pton(AF_INET6, zone[i].value, rr->addr), 1); break;
		default: rr->name = zone[i].value; break;
		}
	}
	if (b->ans.n > 1 && b->ans.n <= MC_SPF_MAX_NAMES && rotate_by % b->ans.n) {
		const mc_dns_rr_t *in_order[N_OF(b->rr)];
		memcpy(in_order, b->ans.rrs, b->ans.n * sizeof(in_order[0]));
		for (i = 0; i < b->ans.n; i++)
			b->ans.rrs[i] = in_order[(i + rotate_by) % b->ans.n];
	}
	if (b->ans.n)
		b->ans.outcome = MC_DNS_ANSWER;
	else
		b->ans.outcome = name_known(name) ? MC_DNS_NODATA : MC_DNS_NXDOMAIN;
	if (b->ans.outcome != MC_DNS_ANSWER)
		snprintf(b->ans.error, sizeof(b->ans.error), "%s: %s", name,
		         mc_dns_outcome_str(b->ans.outcome));
	return &b->ans;
}

void spf_params(mc_spf_params_t *p, const char *ip, const char *sender, const char *helo)
{
	memset(p, 0, sizeof(*p));
	assert_int_equal(mc_addr_parse(ip, 0, &p->ip), MC_OK);
	p->sender = sender;
	p->helo = helo;
	p->now = 1400000000;
}

const spf_host_case_t spf_host_cases[] = {
    {"ip4 in the network passes", "192.0.2.10", "user@pass.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24", NULL, NULL, 0, 0},
    {"a client elsewhere fails, default explanation", "203.0.113.7", "user@pass.test", "h.test",
     MC_SPF_FAIL, "-all", "", NULL, 0, 0},
    {"softfail", "192.0.2.10", "u@soft.test", "h.test", MC_SPF_SOFTFAIL, "~all", NULL, NULL, 0, 0},
    {"no match is neutral, no term", "192.0.2.10", "u@neutral.test", "h.test", MC_SPF_NEUTRAL, "",
     NULL, NULL, 0, 0},
    {"no SPF among TXT records is none", "192.0.2.10", "u@none.test", "h.test", MC_SPF_NONE, "",
     NULL, "none.test: no SPF record", 0, 0},
    {"NXDOMAIN is none", "192.0.2.10", "u@nothing.test", "h.test", MC_SPF_NONE, "", NULL,
     "no such domain", 0, 0},
    {"two SPF records are a permerror", "192.0.2.10", "u@two.test", "h.test", MC_SPF_PERMERROR, "",
     NULL, "two.test: 2 SPF records", 0, 0},
    {"a syntax error anywhere is a permerror before evaluation", "192.0.2.10", "u@syntax.test",
     "h.test", MC_SPF_PERMERROR, "", NULL, "term 2 'ip4:192.0.2.1/33'", 0, 0},
    {"SERVFAIL on the record is a temperror", "192.0.2.10", "u@servfail.test", "h.test",
     MC_SPF_TEMPERROR, "", NULL, "SERVFAIL", 0, 0},
    {"a timeout on the record is a temperror", "192.0.2.10", "u@slow.test", "h.test",
     MC_SPF_TEMPERROR, "", NULL, "TXT slow.test", 0, 0},
    {"single-label domain is none without lookup", "192.0.2.10", "u@localhost", "h.test",
     MC_SPF_NONE, "", NULL, "not a multi-label domain", 0, 0},
    {"domain literal is none", "192.0.2.10", "u@[192.0.2.1]", "h.test", MC_SPF_NONE, "", NULL,
     "section 4.3", 0, 0},
    {"empty sender: postmaster@helo", "192.0.2.10", "", "pass.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24", NULL, NULL, 0, 0},
    {"no local part: postmaster", "203.0.113.7", "@lpart.test", "h.test", MC_SPF_FAIL, "-all",
     "postmaster@lpart.test", NULL, 0, 0},
    {"IPv4-mapped client is IPv4", "::ffff:192.0.2.10", "u@pass.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24", NULL, NULL, 0, 0},
    {"ip6 network", "2001:db8::1", "u@v6.test", "h.test", MC_SPF_PASS, "ip6:2001:db8::/32", NULL,
     NULL, 0, 0},
    {"a with AAAA for an IPv6 client", "2001:db9::1", "u@v6.test", "h.test", MC_SPF_PASS,
     "a:host6.test", NULL, NULL, 1, 0},
    {"a CIDR length on a", "203.0.113.77", "u@cidr.test", "h.test", MC_SPF_PASS, "a:y.test/24",
     NULL, NULL, 1, 0},
    {"include pass names the path", "192.0.2.10", "u@inc.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24 in include:_spf.inc.test", NULL, NULL, 1, 0},
    {"include softfail is no match", "203.0.113.7", "u@inc.test", "h.test", MC_SPF_FAIL, "-all", "",
     NULL, 1, 0},
    {"nested includes name every step", "192.0.2.10", "u@deep.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24 in include:_spf.inc.test in include:inc.test", NULL, NULL, 2, 0},
    {"include of no record is a permerror", "192.0.2.10", "u@incnone.test", "h.test",
     MC_SPF_PERMERROR, "include:nothing.test", NULL, "include:nothing.test: nothing.test", 1, 1},
    {"include of SERVFAIL is a temperror", "192.0.2.10", "u@inctemp.test", "h.test",
     MC_SPF_TEMPERROR, "include:servfail.test", NULL, "SERVFAIL", 1, 0},
    {"include of a broken record is a permerror", "192.0.2.10", "u@incperm.test", "h.test",
     MC_SPF_PERMERROR, "include:syntax.test", NULL, "syntax.test: term 2", 1, 0},
    {"redirect after the mechanisms", "192.0.2.10", "u@redir.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24 in redirect=pass.test", NULL, NULL, 1, 0},
    {"redirect to no record is a permerror", "192.0.2.10", "u@redirnone.test", "h.test",
     MC_SPF_PERMERROR, "redirect=nothing.test", NULL, "section 6.1", 1, 1},
    {"redirect takes the target's exp, not its own", "192.0.2.10", "u@redirexp.test", "h.test",
     MC_SPF_FAIL, "-all in redirect=expfail.test",
     "192.0.2.10 is not one of expfail.test's senders", NULL, 1, 0},
    {"an include's exp is ignored", "192.0.2.10", "u@incexp.test", "h.test", MC_SPF_FAIL, "-all",
     "mail from incexp.test via 192.0.2.10: refused", NULL, 1, 0},
    {"exp with two TXT records: default", "192.0.2.10", "u@expmulti.test", "h.test", MC_SPF_FAIL,
     "-all", "", NULL, 0, 0},
    {"exp with a syntax error: default", "192.0.2.10", "u@expbad.test", "h.test", MC_SPF_FAIL,
     "-all", "", NULL, 0, 0},
    {"exp timing out: default", "192.0.2.10", "u@exptimeout.test", "h.test", MC_SPF_FAIL, "-all",
     "", NULL, 0, 0},
    {"ten DNS terms are allowed", "192.0.2.10", "u@ten.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.10", NULL, NULL, 10, 0},
    {"the eleventh is a permerror", "192.0.2.10", "u@eleven.test", "h.test", MC_SPF_PERMERROR,
     "a:y.test", NULL, "more than 10 DNS-querying terms", 11, 0},
    {"two void lookups are allowed", "192.0.2.10", "u@void2.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24", NULL, NULL, 2, 2},
    {"the third void lookup is a permerror", "192.0.2.10", "u@void3.test", "h.test",
     MC_SPF_PERMERROR, "exists:n3.test", NULL, "more than 2 void lookups", 3, 3},
    {"mx skips a null MX and matches a name", "192.0.2.10", "u@mx.test", "h.test", MC_SPF_PASS,
     "mx", NULL, NULL, 1, 0},
    {"eleven MX names are a permerror", "192.0.2.10", "u@mx11.test", "h.test", MC_SPF_PERMERROR,
     "mx", NULL, "11 names, over 10", 1, 0},
    {"mx with a CIDR length", "192.0.77.1", "u@mxerr.test", "h.test", MC_SPF_PASS, "mx:mx.test/16",
     NULL, NULL, 1, 0},
    {"ptr validated below the domain", "192.0.2.10", "u@ptrdom.test", "h.test", MC_SPF_PASS,
     "ptr:ptr.test", NULL, NULL, 1, 0},
    {"ptr of another domain does not match", "192.0.2.10", "u@ptrelse.test", "h.test", MC_SPF_FAIL,
     "-all", "", NULL, 1, 0},
    {"ptr names after the tenth are ignored", "192.0.2.11", "u@ptr11.test", "h.test", MC_SPF_FAIL,
     "-all", "", NULL, 1, 0},
    {"a PTR SERVFAIL makes ptr not match", "192.0.2.12", "u@ptrerr.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.12", NULL, NULL, 1, 0},
    {"%{p} is the validated name", "192.0.2.10", "u@pmacro.test", "h.test", MC_SPF_PASS,
     "exists:%{p}.ok.test", NULL, NULL, 1, 0},
    {"%{p} is unknown without PTR", "192.0.2.99", "u@pmacro.test", "h.test", MC_SPF_FAIL, "-all",
     "", NULL, 1, 1},
    {"SERVFAIL in a is a temperror", "192.0.2.10", "u@aerr.test", "h.test", MC_SPF_TEMPERROR,
     "a:servfail.test", NULL, "SERVFAIL", 1, 0},
    {"a timeout in exists is a temperror", "192.0.2.10", "u@existserr.test", "h.test",
     MC_SPF_TEMPERROR, "exists:slow.test", NULL, "A slow.test", 1, 0},
    {"depth 3 tree", "192.0.2.10", "u@tree.test", "h.test", MC_SPF_PASS,
     "ip4:192.0.2.0/24 in include:b.tree.test", NULL, NULL, 4, 0},
    /* issue 15: every MX name's addresses are part of mx (section 5.4), so
     * a DNS error on any is a temperror (section 5) whichever comes first;
     * NXDOMAIN or no data on a name is no address, not an error, and not
     * a void lookup either (only the term's MX query can be one) */
    {"mx: matching name, then SERVFAIL: temperror", "192.0.2.1", "u@mxgs.test", "h.test",
     MC_SPF_TEMPERROR, "mx", NULL, "A servfail.test: ", 1, 0},
    {"mx: SERVFAIL, then matching name: temperror", "192.0.2.1", "u@mxsg.test", "h.test",
     MC_SPF_TEMPERROR, "mx", NULL, "A servfail.test: ", 1, 0},
    {"mx: matching name, then timeout: temperror", "192.0.2.1", "u@mxgt.test", "h.test",
     MC_SPF_TEMPERROR, "mx", NULL, "A slow.test", 1, 0},
    {"mx: timeout, then matching name: temperror", "192.0.2.1", "u@mxtg.test", "h.test",
     MC_SPF_TEMPERROR, "mx", NULL, "A slow.test", 1, 0},
    {"mx: no name matches, one SERVFAIL: temperror", "203.0.113.7", "u@mxgs.test", "h.test",
     MC_SPF_TEMPERROR, "mx", NULL, "A servfail.test: ", 1, 0},
    {"mx: matching name, then NXDOMAIN: pass", "192.0.2.1", "u@mxgn.test", "h.test", MC_SPF_PASS,
     "mx", NULL, NULL, 1, 0},
    {"mx: NXDOMAIN, then matching name: pass", "192.0.2.1", "u@mxng.test", "h.test", MC_SPF_PASS,
     "mx", NULL, NULL, 1, 0},
    {"mx: matching name, then no A: pass", "192.0.2.1", "u@mxgd.test", "h.test", MC_SPF_PASS, "mx",
     NULL, NULL, 1, 0},
    {"mx: no A, then matching name: pass", "192.0.2.1", "u@mxdg.test", "h.test", MC_SPF_PASS, "mx",
     NULL, NULL, 1, 0},
    {"mx: no name matches, one NXDOMAIN: fail", "203.0.113.7", "u@mxng.test", "h.test", MC_SPF_FAIL,
     "-all", "", NULL, 1, 0},
    /* ptr: section 5.5 skips a name whose address lookup fails (only a
     * PTR lookup error ends the mechanism, as no match), so there is no
     * error for a match to hide and the order cannot matter */
    {"ptr: validated name, then A SERVFAIL: pass", "192.0.2.13", "u@ptro.test", "h.test",
     MC_SPF_PASS, "ptr", NULL, NULL, 1, 0},
    {"ptr: A SERVFAIL, then validated name: pass", "192.0.2.14", "u@ptro.test", "h.test",
     MC_SPF_PASS, "ptr", NULL, NULL, 1, 0},
    {"ptr: only an A SERVFAIL is no match, not temperror", "192.0.2.15", "u@ptro.test", "h.test",
     MC_SPF_FAIL, "-all", "", NULL, 1, 0},
};

const size_t spf_host_ncases = N_OF(spf_host_cases);

void spf_check_case(const spf_host_case_t *c, const mc_spf_result_t *r)
{
	assert_false(r->pending);
	if (r->result != c->want)
		print_message("got %s, term '%s', reason '%s'\n", mc_spf_res_str(r->result),
		              r->term, r->reason);
	assert_int_equal(r->result, c->want);
	if (c->term)
		assert_string_equal(r->term, c->term);
	if (c->want == MC_SPF_FAIL) {
		assert_int_equal(r->explained, c->explanation[0] != '\0');
		assert_string_equal(r->explanation, c->explanation[0] ? c->explanation
		                                                      : MC_SPF_DEFAULT_EXPLANATION);
	} else {
		assert_string_equal(r->explanation, "");
	}
	if (c->reason) {
		if (!strstr(r->reason, c->reason))
			print_message("reason was: %s\n", r->reason);
		assert_non_null(strstr(r->reason, c->reason));
	}
	assert_int_equal(r->lookups, c->lookups);
	assert_int_equal(r->void_lookups, c->voids);
}
