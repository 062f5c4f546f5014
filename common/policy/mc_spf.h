/* mc_spf.h - SPF (RFC 7208): the record parser, the macro expander, a pure
 * check_host() evaluator over a lookup callback, and the asynchronous
 * driver that feeds it answers from mc_dns (through mc_dns_replay). The
 * static walk of a record's include tree is mc_spf_walk.h.
 *
 * The evaluator never waits: it asks a callback for each DNS answer it
 * needs, and when one is not known yet it stops, "pending", after asking
 * for every other answer it can already see it will need. The driver
 * (mc_dns_replay) replays the evaluation from the start whenever an answer
 * arrives (known answers are kept, so a replay costs no traffic), until
 * the evaluation is no longer pending. The order of evaluation and the
 * counting of limits are therefore exactly RFC 7208's, while the lookups
 * of a tree of includes run concurrently: a prefetched answer the
 * evaluation never reaches counts for nothing. */
#ifndef MC_SPF_H
#define MC_SPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/mc_dns.h"
#include "dns/mc_dns_replay.h"
#include "loop/mc_loop.h"
#include "net/mc_net.h"
#include "util/mc_status.h"

/* ---- limits (RFC 7208 section 4.6.4) ---- */

/* DNS-querying terms (include, a, mx, ptr, exists, redirect) per
 * evaluation, over every include and redirect; more is a permerror. */
#define MC_SPF_MAX_LOOKUPS 10
/* Terms whose lookup answers NXDOMAIN or no records; more is a permerror. */
#define MC_SPF_MAX_VOID 2
/* MX names per mx term (more is a permerror) and PTR names per ptr term or
 * %{p} (the names after the tenth are ignored). */
#define MC_SPF_MAX_NAMES 10
/* Longest record mc_spf_parse accepts (a TXT record of one DNS message). */
#define MC_SPF_RECORD_MAX 65535
/* Longest domain name a macro expands to (section 7.3: truncated from the
 * left to this). */
#define MC_SPF_NAME_MAX 253
/* Size of the text fields of mc_spf_result_t. */
#define MC_SPF_TEXT_MAX 512
/* The explanation of a fail when the record has no usable exp=. */
#define MC_SPF_DEFAULT_EXPLANATION "SPF fail - not authorized"

/* ---- record parser (RFC 7208 sections 4.5, 4.6 and 12) ---- */

typedef enum mc_spf_kind {
	MC_SPF_T_ALL = 0,
	MC_SPF_T_INCLUDE,
	MC_SPF_T_A,
	MC_SPF_T_MX,
	MC_SPF_T_PTR,
	MC_SPF_T_IP4,
	MC_SPF_T_IP6,
	MC_SPF_T_EXISTS,
	MC_SPF_T_REDIRECT, /* modifier redirect= */
	MC_SPF_T_EXP,      /* modifier exp= */
	MC_SPF_T_MODIFIER  /* another modifier name=value: checked, ignored */
} mc_spf_kind_t;

typedef struct mc_spf_term {
	mc_spf_kind_t kind;
	/* '+', '-', '~' or '?' for a mechanism ('+' when none is written);
	 * '\0' for a modifier. */
	char qualifier;
	/* The term as written ("-ip4:192.0.2.0/24"), NUL-terminated. */
	const char *text;
	/* The domain-spec as written, NUL-terminated, macros unexpanded:
	 * include, exists, redirect, exp: always; a, mx, ptr: NULL when
	 * absent (the current domain); another modifier: its value (a
	 * macro-string, maybe ""); all, ip4, ip6: NULL. */
	const char *spec;
	/* a, mx: the dual CIDR lengths, 32 and 128 unless written ("/24//64");
	 * ip4: cidr4 (32 unless written); ip6: cidr6 (128 unless written). */
	unsigned cidr4, cidr6;
	/* ip4: 4 bytes; ip6: 16 bytes, network byte order. */
	uint8_t ip[16];
	/* 1-based index among the terms after "v=spf1", and the byte offset
	 * of the term in the record. */
	unsigned position;
	size_t offset;
} mc_spf_term_t;

typedef struct mc_spf_record {
	mc_spf_term_t *terms; /* in record order, modifiers included */
	size_t nterms;
	long redirect; /* index in terms of redirect=, or -1 */
	long exp;      /* index in terms of exp=, or -1 */
	void *store;   /* owned storage */
} mc_spf_record_t;

/* True when txt[0..len) is an SPF record for the selection of section 4.5:
 * "v=spf1" (any case) followed by a space or the end. */
bool mc_spf_is_record(const char *txt, size_t len);

/* The SPF records of a TXT answer (section 4.5: the records
 * mc_spf_is_record accepts, other TXT records ignored): how many, and the
 * first in *first (NULL if none). a may be NULL (none). */
size_t mc_spf_records(const mc_dns_answer_t *a, const mc_dns_rr_t **first);

/* Parse one record (the TXT strings joined, len bytes, NUL bytes allowed
 * and rejected). The grammar of section 12, every term checked before any
 * is used (section 4.6): terms separated by one or more spaces, trailing
 * spaces allowed, any other byte outside 0x21-0x7e an error; mechanism and
 * modifier names in any case; all takes nothing; include and exists
 * ":domain-spec"; a and mx [":domain-spec"]["/N"]["//N"]; ptr
 * [":domain-spec"]; ip4 ":a.b.c.d" (no leading zeros) ["/0-32"]; ip6 ":"
 * an RFC 4291 address ["/0-128"]; CIDR lengths without leading zeros. A
 * domain-spec is a macro-string (macros s l o d i p v h, checked by the
 * macro grammar) ending in a macro or in "." and a top label (letters,
 * digits, inner hyphens, not all digits) with an optional trailing dot.
 * Modifiers: redirect= and exp= (a domain-spec each, at most once each),
 * and unknown ones, name (ALPHA *(ALPHA / DIGIT / "-" / "_" / ".")) "="
 * macro-string. A term whose name ends at ':' or '/' (or at the end) is a
 * mechanism; a known modifier name used with ':' is an unknown mechanism.
 *
 * MC_OK: rec filled (free with mc_spf_record_free). MC_E_AGAIN: not an SPF
 * record (mc_spf_is_record false; the caller ignores it). MC_E_PROTOCOL:
 * a syntax error; err names the term, its position and offset, and what is
 * wrong: "term 3 'ip4:1.2.3.4/33' at offset 25: CIDR length 33 is over
 * 32". MC_E_NOMEM. On anything but MC_OK rec holds nothing to free. */
mc_status_t mc_spf_parse(const char *txt, size_t len, mc_spf_record_t *rec, char *err,
                         size_t errsz);
void mc_spf_record_free(mc_spf_record_t *rec);

/* "all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists", "redirect",
 * "exp", "modifier". */
const char *mc_spf_kind_str(mc_spf_kind_t kind);

/* ---- macro expander (RFC 7208 section 7) ---- */

/* The values macros expand to. */
typedef struct mc_spf_macro_ctx {
	/* s: "local@domain" (l is the part before the last '@', o the part
	 * after; without '@', l is "postmaster" and o the whole). */
	const char *sender;
	const char *domain; /* d: the current domain */
	/* i, c, v: the client; an IPv4-mapped IPv6 address is taken as
	 * IPv4 (section 5). i is "192.0.2.3" or 32 dot-separated upper-case
	 * nibbles (as the RFC 7208 test suite expects them in explanations;
	 * names ignore case); c is "192.0.2.3" or "2001:db8::cb01" (RFC 5952). */
	const mc_addr_t *ip;
	/* p: the validated domain name of the client, given by the caller
	 * (the expander never looks it up); NULL means "unknown". */
	const char *ptr;
	const char *helo;     /* h; NULL means "" */
	const char *receiver; /* r (explanations only); NULL means "unknown" */
	int64_t now;          /* t (explanations only): seconds since the epoch */
} mc_spf_macro_ctx_t;

/* Expand a macro-string. for_exp false: spec is a domain-spec or other
 * macro-string of a term (no spaces; letters s l o d i p v h); the result
 * is a domain name: one trailing dot removed, then leading labels removed
 * until it is at most MC_SPF_NAME_MAX characters (section 7.3).
 * for_exp true: spec is an explanation string (section 6.2: spaces
 * allowed; c r t too), expanded as is. Both: "%{" letter [digits] ["r"]
 * [delimiters ".-+,/_="] "}" in any case (upper case: the value is
 * URL-escaped, RFC 3986 unreserved characters kept), digits 1 or more
 * keep that many right-hand parts, 'r' reverses, parts rejoined with '.';
 * "%%" is '%', "%_" a space, "%-" "%20"; any other '%' or a byte outside
 * 0x21-0x7e (0x20 too for explanations) is a syntax error.
 *
 * MC_OK: out holds the NUL-terminated result. MC_E_PROTOCOL: syntax error,
 * reason in err ("offset 4: '%(ir).sbl': a '%' must be followed by '{',
 * '%', '_' or '-'"). MC_E_LIMIT: the result
 * does not fit outsz (out holds it cut), or a domain name has a label too
 * long to truncate. */
mc_status_t mc_spf_expand(const char *spec, const mc_spf_macro_ctx_t *ctx, bool for_exp, char *out,
                          size_t outsz, char *err, size_t errsz);

/* ---- check_host() (RFC 7208 sections 4, 5 and 6) ---- */

typedef enum mc_spf_res {
	MC_SPF_NONE = 0,
	MC_SPF_NEUTRAL,
	MC_SPF_PASS,
	MC_SPF_FAIL,
	MC_SPF_SOFTFAIL,
	MC_SPF_TEMPERROR,
	MC_SPF_PERMERROR
} mc_spf_res_t;

/* "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror". */
const char *mc_spf_res_str(mc_spf_res_t r);

typedef struct mc_spf_params {
	mc_addr_t ip; /* <ip>: the SMTP client, IPv4 or IPv6 */
	/* <sender>: the MAIL FROM address. NULL or "": "postmaster@" helo
	 * (section 2.4, the HELO identity); "@domain" or no local part:
	 * local part "postmaster" (section 4.3). */
	const char *sender;
	const char *helo; /* HELO/EHLO name (%{h}); NULL means "" */
	/* <domain> to start at; NULL: the domain of the sender. */
	const char *domain;
	const char *receiver; /* %{r}; NULL: "unknown" */
	int64_t now;          /* %{t} */
} mc_spf_params_t;

typedef struct mc_spf_result {
	mc_spf_res_t result;
	/* An answer was not known yet: evaluation stopped. result is then
	 * what it would be if every unknown answer were a timeout (temperror;
	 * fail with the default explanation when only exp= is waited for) and
	 * reason names the question: "no answer yet: TXT _spf.example.com". */
	bool pending;
	/* The term that decided, with the includes and redirects that led
	 * to it: "-all", "ip4:192.0.2.0/24 in include:_spf.example.com". The
	 * term where an error arose for temperror and permerror; "" when no
	 * mechanism matched (neutral by default, none). */
	char term[MC_SPF_TEXT_MAX];
	/* fail: exp= of the record that failed, expanded, or
	 * MC_SPF_DEFAULT_EXPLANATION; "" for the other results. */
	char explanation[MC_SPF_TEXT_MAX];
	/* The explanation is the record's exp= text, not the default. */
	bool explained;
	/* none, temperror, permerror: why ("example.org: 2 SPF records",
	 * "TXT _spf.example.com: the server answered SERVFAIL", "more than 10
	 * DNS-querying terms"); pending: the question waited for. */
	char reason[MC_SPF_TEXT_MAX];
	unsigned lookups;      /* DNS-querying terms evaluated */
	unsigned void_lookups; /* of these, lookups with no record */
} mc_spf_result_t;

/* The answer to a question if known, else NULL ("not yet known"; the
 * caller should go and ask it). name is in the form mc_dns_query takes
 * (a backslash escapes the next byte); type an MC_DNS_T_* value. The
 * answer must stay valid for the whole mc_spf_check_host call. The type
 * mc_dns_replay gives its function. */
typedef mc_dns_lookup_fn mc_spf_lookup_fn;

/* Evaluate check_host(ip, domain, sender) synchronously: pure, every DNS
 * answer through lookup, nothing kept between calls. Section 4.3: a domain
 * that is malformed (empty or over-long label, over 253 bytes, a single
 * label, a domain literal) is none without a lookup. Section 4.4: TXT
 * only; NXDOMAIN or no SPF record is none; SERVFAIL, REFUSED, a timeout or a
 * malformed answer is temperror. Section 4.5: several SPF records is
 * permerror. Section 5: mechanisms in order, the first match decides with
 * its qualifier; include maps pass to a match, fail, softfail and neutral
 * to no match, temperror to temperror, permerror and none to permerror
 * (5.2); then redirect= (6.1; a target without record is permerror); else
 * neutral. A name a macro expands into that cannot be a DNS name (empty
 * or over-long label) exists nowhere: no lookup, no match. DNS errors
 * (RCODE other than 0 and 3, a timeout) in a, mx, exists, include or
 * redirect are temperror; in mx that is any MX name's address lookup,
 * whether or not another name matched (5.4), so the result does not depend
 * on the order of the MX answer (NXDOMAIN or no data for a name is no
 * address); in ptr (and %{p}) the mechanism does not match, and a name
 * whose address lookup fails is skipped (5.5). Limits (4.6.4): the 11th
 * DNS-querying term, the 3rd void lookup (a term's first query answering
 * NXDOMAIN or no records; exp= does not count), an MX answer of more than
 * 10 names are permerror; ptr and %{p} look at the first 10 PTR names, and
 * ptr validates only those in its target domain. %{p} (7.3) is the
 * validated name equal to the current domain, else one below it, else the
 * first, else "unknown"; it is not a term and counts for nothing. exp=
 * (6.2) is fetched only for a fail, from the record whose mechanism failed
 * (not an include's, the redirect target's): one TXT record expanded as an
 * explanation; anything else (no record, several, DNS error, syntax error)
 * gives the default.
 *
 * Prefetch: when pending, before returning, the records already known are
 * walked in evaluation order (at most 10 DNS-querying terms, as the
 * evaluation) and every include and redirect target's TXT, a and exists
 * targets' addresses, mx targets' MX and their names' addresses, and the
 * client's PTR for ptr are asked through lookup. An mx, ptr or %{p} asks
 * for all of its (up to 10) names' addresses before reading them in order.
 *
 * MC_OK with out filled (see pending), or MC_E_USAGE when p->ip is not an
 * IPv4 or IPv6 address or the sender is over 1000 bytes. Out of memory is
 * a temperror. */
mc_status_t mc_spf_check_host(const mc_spf_params_t *p, mc_spf_lookup_fn lookup, void *arg,
                              mc_spf_result_t *out);

/* ---- the asynchronous driver on mc_dns ---- */

typedef struct mc_spf_run mc_spf_run_t;

/* Called once, when the evaluation is no longer pending. r is valid until
 * mc_spf_run_free; the callback may free the run. */
typedef void (*mc_spf_done_cb)(void *arg, const mc_spf_result_t *r);

/* Start check_host() for p (copied) on dns, whose loop is loop, through
 * mc_dns_replay: each question the evaluation asks goes to mc_dns_query
 * (at most MC_DNS_REPLAY_MAX_QUESTIONS, the rest answered SERVFAIL "too
 * many questions for one SPF evaluation"), and each answer replays the
 * evaluation; done is called on the loop, never before this returns.
 * Several runs may share one resolver (and its answers). MC_OK with *out
 * set; MC_E_USAGE (as mc_spf_check_host), MC_E_NOMEM. The run's own
 * deadline is the loop's and the resolver's: an evaluation cut short by it
 * is read with mc_spf_run_result. */
mc_status_t mc_spf_run_start(mc_loop_t *loop, mc_dns_t *dns, const mc_spf_params_t *p,
                             mc_spf_done_cb done, void *arg, mc_spf_run_t **out);

/* The result so far: final once done was called; before that the last
 * replay's, pending (temperror naming the question waited for; a fail
 * waiting only for its exp= has the default explanation) - what to report
 * when the loop's deadline passes first. */
const mc_spf_result_t *mc_spf_run_result(const mc_spf_run_t *run);

/* Questions of the run still in flight: prefetched answers the evaluation
 * did not wait for, or those a deadline cut short. */
bool mc_spf_run_busy(const mc_spf_run_t *run);

/* Free the run (done is then never called; NULL is ignored). mc_dns has no
 * way to cancel one question, so what happens to questions still in
 * flight depends on where this is called:
 * - from done: the loop goes on, so they are detached and each is freed
 *   when its answer comes (or lost if the resolver is freed first);
 * - anywhere else: they are freed with the run, so the loop must not run
 *   again before mc_dns_free, unless mc_spf_run_busy is false. This is the
 *   case after mc_loop_run returns, at a deadline too: free the runs and
 *   the resolver, in either order, and nothing is leaked. */
void mc_spf_run_free(mc_spf_run_t *run);

#endif
