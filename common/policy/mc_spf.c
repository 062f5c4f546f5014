/* mc_spf.c - SPF record parser (RFC 7208 sections 4.6 and 12) and macro
 * expander (section 7). The evaluator and its driver are in mc_spf_eval.c. */
#include "mc_spf.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mc_ascii.h"
#include "util/mc_str.h"

const char *mc_spf_kind_str(mc_spf_kind_t kind)
{
	switch (kind) {
	case MC_SPF_T_ALL: return "all";
	case MC_SPF_T_INCLUDE: return "include";
	case MC_SPF_T_A: return "a";
	case MC_SPF_T_MX: return "mx";
	case MC_SPF_T_PTR: return "ptr";
	case MC_SPF_T_IP4: return "ip4";
	case MC_SPF_T_IP6: return "ip6";
	case MC_SPF_T_EXISTS: return "exists";
	case MC_SPF_T_REDIRECT: return "redirect";
	case MC_SPF_T_EXP: return "exp";
	case MC_SPF_T_MODIFIER: return "modifier";
	}
	return "unknown";
}

const char *mc_spf_res_str(mc_spf_res_t r)
{
	switch (r) {
	case MC_SPF_NONE: return "none";
	case MC_SPF_NEUTRAL: return "neutral";
	case MC_SPF_PASS: return "pass";
	case MC_SPF_FAIL: return "fail";
	case MC_SPF_SOFTFAIL: return "softfail";
	case MC_SPF_TEMPERROR: return "temperror";
	case MC_SPF_PERMERROR: return "permerror";
	}
	return "unknown";
}

bool mc_spf_is_record(const char *txt, size_t len)
{
	/* Section 4.5: "v=spf1" exactly, then a space or the end; ABNF
	 * strings are case-insensitive (RFC 5234 section 2.3). */
	return len >= 6 && mc_str_ieq_n("v=spf1", txt, 6) && (len == 6 || txt[6] == ' ');
}

/* ---- macro grammar and expansion ---- */

typedef enum mmode {
	M_DOMAIN,   /* a domain-spec: letters s l o d i p v h */
	M_MODIFIER, /* an unknown modifier's macro-string: every letter */
	M_EXPLAIN   /* an explanation: every letter, spaces allowed */
} mmode_t;

/* Where expanded text goes. A domain name keeps only what can survive the
 * truncation of section 7.3, so any length of input fits the work buffer:
 * a prefix ending in a dot whose suffix is already longer than a name can
 * be will be removed by the truncation anyway. */
typedef struct sink {
	char *buf;
	size_t cap; /* including the NUL */
	size_t len;
	bool domain;
	bool cut; /* something did not fit */
} sink_t;

static void sink_trim(sink_t *k)
{
	size_t d;

	if (k->len < MC_SPF_NAME_MAX + 3)
		return;
	/* the last dot followed by more than MC_SPF_NAME_MAX + 1 bytes (one
	 * for a trailing dot removed at the end) */
	for (d = k->len - (MC_SPF_NAME_MAX + 3) + 1; d-- > 0;) {
		if (k->buf[d] == '.') {
			memmove(k->buf, k->buf + d + 1, k->len - d - 1);
			k->len -= d + 1;
			return;
		}
	}
}

static void sink_put(sink_t *k, const char *s, size_t n)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < n; i++) {
		if (k->len + 1 >= k->cap && k->domain)
			sink_trim(k);
		if (k->len + 1 >= k->cap) {
			k->cut = true;
			return;
		}
		k->buf[k->len++] = s[i];
	}
}

/* RFC 3986 section 2.3 unreserved characters stay; the rest is %XX
 * (section 7.3: upper-case macro letters are URL-escaped). */
static void sink_put_escaped(sink_t *k, const char *s, size_t n, bool escape)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	if (!escape) {
		sink_put(k, s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (mc_ascii_is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			sink_put(k, &c, 1);
		} else {
			char e[3] = {'%', hex[(unsigned char)c >> 4], hex[(unsigned char)c & 15]};
			sink_put(k, e, 3);
		}
	}
}

/* The client as 4 or 16 bytes; an IPv4-mapped IPv6 address is IPv4
 * (section 5). 0 when a is neither. */
static int client_bytes(const mc_addr_t *a, uint8_t b[16])
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (!a)
		return 0;
	if (a->ss.ss_family == AF_INET) {
		memcpy(b, &((const struct sockaddr_in *)&a->ss)->sin_addr, 4);
		return AF_INET;
	}
	if (a->ss.ss_family == AF_INET6) {
		const uint8_t *p =
		    (const uint8_t *)&((const struct sockaddr_in6 *)&a->ss)->sin6_addr;
		if (!memcmp(p, mapped, 12)) {
			memcpy(b, p + 12, 4);
			return AF_INET;
		}
		memcpy(b, p, 16);
		return AF_INET6;
	}
	return 0;
}

/* The value of a macro letter (lower case) into *v, *vn; buf holds
 * computed values. */
static void letter_value(char letter, const mc_spf_macro_ctx_t *ctx, char *buf, size_t bufsz,
                         const char **v, size_t *vn)
{
	const char *s = ctx->sender ? ctx->sender : "";
	const char *at = strrchr(s, '@');
	uint8_t ip[16];
	int fam = client_bytes(ctx->ip, ip);
	int i;

	*v = buf;
	buf[0] = '\0';
	switch (letter) {
	case 's': *v = s; break;
	case 'l':
		*v = at ? s : "postmaster";
		*vn = at ? (size_t)(at - s) : strlen(*v);
		return;
	case 'o': *v = at ? at + 1 : s; break;
	case 'd': *v = ctx->domain ? ctx->domain : ""; break;
	case 'p': *v = ctx->ptr ? ctx->ptr : "unknown"; break;
	case 'h': *v = ctx->helo ? ctx->helo : ""; break;
	case 'r': *v = ctx->receiver ? ctx->receiver : "unknown"; break;
	case 'v': *v = fam == AF_INET6 ? "ip6" : "in-addr"; break;
	case 't': snprintf(buf, bufsz, "%lld", (long long)ctx->now); break;
	case 'i':
		if (fam == AF_INET) {
			snprintf(buf, bufsz, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
		} else if (fam == AF_INET6) {
			/* section 7.3: dot-separated nibbles, as in ip6.arpa;
			 * upper case as the RFC 7208 test suite has them in
			 * explanations (a name ignores case) */
			static const char hex[] = "0123456789ABCDEF";
			for (i = 0; i < 32 && (size_t)i * 2 + 1 < bufsz; i++) {
				buf[i * 2] = hex[(ip[i / 2] >> (i % 2 ? 0 : 4)) & 15];
				buf[i * 2 + 1] = i == 31 ? '\0' : '.';
			}
		}
		break;
	case 'c':
		if (fam == AF_INET)
			snprintf(buf, bufsz, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
		else if (fam == AF_INET6 && !inet_ntop(AF_INET6, ip, buf, (socklen_t)bufsz))
			buf[0] = '\0';
		break;
	default: break;
	}
	*vn = strlen(*v);
}

static bool is_delim(char c, const char *delims, size_t nd)
{
	return memchr(delims, c, nd) != NULL;
}

/* Section 7.3: split value on the delimiters, reverse if asked, keep the
 * rightmost keep parts (0: all), join with '.'. */
static void put_transformed(sink_t *k, const char *v, size_t vn, unsigned long keep, bool rev,
                            const char *delims, size_t nd, bool escape)
{
	size_t parts = 1, i, start, end, skip;

	for (i = 0; i < vn; i++)
		parts += is_delim(v[i], delims, nd);
	if (keep == 0 || keep > parts)
		keep = parts;
	if (!rev) {
		/* the last keep parts, in order: skip parts - keep of them */
		skip = parts - keep;
		for (start = 0; skip && start < vn; start++)
			skip -= is_delim(v[start], delims, nd);
		for (i = start; i < vn; i++) {
			char c = is_delim(v[i], delims, nd) ? '.' : v[i];
			sink_put_escaped(k, &c, 1, escape);
		}
		return;
	}
	/* reversed, the rightmost keep parts are the first keep parts of
	 * the value, last first */
	for (end = 0, skip = keep; end < vn; end++)
		if (is_delim(v[end], delims, nd) && --skip == 0)
			break;
	while (true) {
		start = end;
		while (start > 0 && !is_delim(v[start - 1], delims, nd))
			start--;
		sink_put_escaped(k, v + start, end - start, escape);
		if (start == 0)
			break;
		sink_put(k, ".", 1);
		end = start - 1;
	}
}

static mc_status_t macro_err(char *err, size_t errsz, size_t at, const char *s, size_t n,
                             const char *why)
{
	char shown[24];

	mc_str_sanitize(shown, sizeof(shown), s + at, n - at < 12 ? n - at : 12);
	snprintf(err, errsz, "offset %zu: '%s': %s", at, shown, why);
	return MC_E_PROTOCOL;
}

/* Check (ctx NULL) or expand s[0..n) in mode. *last_end is set to the
 * offset after the last macro-expand (0 if none). */
static mc_status_t macro_walk(const char *s, size_t n, mmode_t mode, const mc_spf_macro_ctx_t *ctx,
                              sink_t *k, size_t *last_end, char *err, size_t errsz)
{
	size_t i = 0;

	*last_end = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t at = i, nd;
		unsigned long keep = 0;
		bool rev = false, upper, digits = false;
		const char *delims;
		char letter;

		if (c != '%') {
			/* macro-literal = %x21-24 / %x26-7E; explain-string adds SP */
			if (c < 0x21 || c > 0x7e) {
				if (!(c == ' ' && mode == M_EXPLAIN)) {
					char why[48];
					snprintf(why, sizeof(why), "byte 0x%02x is not allowed", c);
					return macro_err(err, errsz, at, s, n, why);
				}
			}
			sink_put(k, s + i, 1);
			i++;
			continue;
		}
		if (i + 1 >= n)
			return macro_err(err, errsz, at, s, n, "a '%' ends the string");
		switch (s[i + 1]) {
		case '%': sink_put(k, "%", 1); break;
		case '_': sink_put(k, " ", 1); break;
		case '-': sink_put(k, "%20", 3); break;
		case '{': break;
		default:
			return macro_err(err, errsz, at, s, n,
			                 "a '%' must be followed by '{', '%', '_' or '-'");
		}
		if (s[i + 1] != '{') {
			i += 2;
			*last_end = i;
			continue;
		}
		i += 2;
		if (i >= n)
			return macro_err(err, errsz, at, s, n, "unterminated macro");
		letter = mc_ascii_lower(s[i]);
		upper = s[i] != letter;
		if (!memchr("slodipvhcrt", letter, 11) || !mc_ascii_is_alpha(s[i]))
			return macro_err(err, errsz, at, s, n, "unknown macro letter");
		if (mode == M_DOMAIN && memchr("crt", letter, 3))
			return macro_err(err, errsz, at, s, n,
			                 "macro letters c, r and t are for explanations only");
		i++;
		while (i < n && mc_ascii_is_digit(s[i])) {
			digits = true;
			keep = keep * 10 + (unsigned long)(s[i] - '0');
			if (keep > 1000)
				keep = 1000; /* more parts than any value has */
			i++;
		}
		if (digits && keep == 0)
			return macro_err(err, errsz, at, s, n,
			                 "the number of parts must not be zero");
		if (i < n && mc_ascii_lower(s[i]) == 'r') {
			rev = true;
			i++;
		}
		delims = s + i;
		while (i < n && memchr(".-+,/_=", s[i], 7))
			i++;
		nd = (size_t)(s + i - delims);
		if (i >= n || s[i] != '}')
			return macro_err(err, errsz, at, s, n, "bad macro");
		i++;
		*last_end = i;
		if (ctx && k) {
			char buf[80];
			const char *v;
			size_t vn;
			letter_value(letter, ctx, buf, sizeof(buf), &v, &vn);
			if (!digits && !rev && !nd)
				sink_put_escaped(k, v, vn, upper);
			else
				put_transformed(k, v, vn, keep, rev, nd ? delims : ".", nd ? nd : 1,
				                upper);
		}
	}
	return MC_OK;
}

mc_status_t mc_spf_expand(const char *spec, const mc_spf_macro_ctx_t *ctx, bool for_exp, char *out,
                          size_t outsz, char *err, size_t errsz)
{
	char work[2048];
	sink_t k;
	size_t last_end, d;
	mc_status_t st;

	if (outsz)
		out[0] = '\0';
	memset(&k, 0, sizeof(k));
	k.domain = !for_exp;
	k.buf = for_exp ? out : work;
	k.cap = for_exp ? outsz : sizeof(work);
	if (!k.cap) {
		mc_strlcpy(err, "no room for the result", errsz);
		return MC_E_LIMIT;
	}
	st = macro_walk(spec, strlen(spec), for_exp ? M_EXPLAIN : M_DOMAIN, ctx, &k, &last_end, err,
	                errsz);
	if (st != MC_OK) {
		if (outsz)
			out[0] = '\0';
		return st;
	}
	k.buf[k.len] = '\0';
	if (for_exp) {
		if (k.cut) {
			mc_strlcpy(err, "the explanation does not fit", errsz);
			return MC_E_LIMIT;
		}
		return MC_OK;
	}
	if (k.cut) {
		mc_strlcpy(err, "a label of the expanded name is too long", errsz);
		return MC_E_LIMIT;
	}
	/* Section 7.3: a trailing dot is not part of the name; then leading
	 * labels go until the name fits. */
	if (k.len && work[k.len - 1] == '.')
		work[--k.len] = '\0';
	while (k.len > MC_SPF_NAME_MAX) {
		char *dot = memchr(work, '.', k.len);
		if (!dot) {
			mc_strlcpy(err, "a label of the expanded name is too long", errsz);
			return MC_E_LIMIT;
		}
		d = (size_t)(dot - work) + 1;
		memmove(work, work + d, k.len - d + 1);
		k.len -= d;
	}
	if (k.len + 1 > outsz) {
		mc_strlcpy(err, "the expanded name does not fit", errsz);
		if (outsz) {
			memcpy(out, work, outsz - 1);
			out[outsz - 1] = '\0';
		}
		return MC_E_LIMIT;
	}
	memcpy(out, work, k.len + 1);
	return MC_OK;
}

/* ---- record parser ---- */

typedef struct term_ctx {
	const char *s; /* the term without qualifier */
	size_t n;
	char *why;
	size_t whysz;
} term_ctx_t;

/* toplabel = ( *alphanum ALPHA *alphanum ) /
 *            ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
static bool is_toplabel(const char *s, size_t n)
{
	bool alpha = false, hyphen = false;
	size_t i;

	if (!n || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++) {
		if (mc_ascii_is_alpha(s[i]))
			alpha = true;
		else if (s[i] == '-')
			hyphen = true;
		else if (!mc_ascii_is_digit(s[i]))
			return false;
	}
	return alpha || hyphen;
}

/* domain-spec = macro-string domain-end;
 * domain-end = ( "." toplabel [ "." ] ) / macro-expand */
static bool check_domain_spec(const char *s, size_t n, char *why, size_t whysz)
{
	size_t last_end, tn;
	const char *tail, *dot;

	if (!n) {
		mc_strlcpy(why, "empty domain-spec", whysz);
		return false;
	}
	if (macro_walk(s, n, M_DOMAIN, NULL, NULL, &last_end, why, whysz) != MC_OK)
		return false;
	if (last_end == n)
		return true;
	tail = s + last_end;
	tn = n - last_end;
	if (tail[tn - 1] == '.')
		tn--;
	for (dot = tail + tn; dot > tail && dot[-1] != '.'; dot--)
		;
	if (dot == tail || !is_toplabel(dot, (size_t)(tail + tn - dot))) {
		mc_strlcpy(why,
		           "the domain does not end in a macro or in '.' and a valid top label",
		           whysz);
		return false;
	}
	return true;
}

/* ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT); ip6 up to 3 digits */
static bool parse_cidr(const char *s, size_t n, unsigned max, unsigned *out, char *why,
                       size_t whysz)
{
	unsigned v = 0;
	size_t i;

	if (!n || n > 3 || (n > 1 && s[0] == '0')) {
		char shown[16];
		mc_str_sanitize(shown, sizeof(shown), s, n);
		snprintf(why, whysz, "bad CIDR length '/%s'", shown);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!mc_ascii_is_digit(s[i])) {
			mc_strlcpy(why, "bad CIDR length", whysz);
			return false;
		}
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max) {
		snprintf(why, whysz, "CIDR length %u is over %u", v, max);
		return false;
	}
	*out = v;
	return true;
}

/* ip4-network: four qnum (0-255, no leading zeros) separated by dots */
static bool parse_ip4(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		if (part) {
			if (i >= n || s[i] != '.')
				return false;
			i++;
		}
		while (i < n && mc_ascii_is_digit(s[i]) && digits < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			digits++;
			i++;
		}
		if (!digits || digits > 3 || v > 255 || (digits > 1 && s[i - digits] == '0'))
			return false;
		out[part] = (uint8_t)v;
	}
	return i == n;
}

static bool parse_ip_term(mc_spf_term_t *t, const char *args, size_t an, char *why, size_t whysz)
{
	bool v6 = t->kind == MC_SPF_T_IP6;
	const char *slash;
	size_t nn;
	char buf[64];

	if (!an || args[0] != ':') {
		snprintf(why, whysz, "%s needs ':' and a network", v6 ? "ip6" : "ip4");
		return false;
	}
	args++;
	an--;
	slash = memchr(args, '/', an);
	nn = slash ? (size_t)(slash - args) : an;
	if (slash && !parse_cidr(slash + 1, an - nn - 1, v6 ? 128 : 32, v6 ? &t->cidr6 : &t->cidr4,
	                         why, whysz))
		return false;
	if (!v6) {
		if (!parse_ip4(args, nn, t->ip)) {
			mc_strlcpy(why, "bad IPv4 network", whysz);
			return false;
		}
		return true;
	}
	if (!nn || nn >= sizeof(buf)) {
		mc_strlcpy(why, "bad IPv6 network", whysz);
		return false;
	}
	memcpy(buf, args, nn);
	buf[nn] = '\0';
	if (inet_pton(AF_INET6, buf, t->ip) != 1) {
		mc_strlcpy(why, "bad IPv6 network", whysz);
		return false;
	}
	return true;
}

/* a and mx: [":" domain-spec] [ "/" n4 ] [ "//" n6 ], the lengths taken
 * from the end (a domain-spec may itself contain '/'). */
static bool split_dual_cidr(mc_spf_term_t *t, const char *args, size_t *an, char *why, size_t whysz)
{
	size_t end = *an, d = end;

	while (d > 0 && mc_ascii_is_digit(args[d - 1]))
		d--;
	if (d < end && d >= 2 && args[d - 1] == '/' && args[d - 2] == '/') {
		if (!parse_cidr(args + d, end - d, 128, &t->cidr6, why, whysz))
			return false;
		end = d - 2;
		d = end;
		while (d > 0 && mc_ascii_is_digit(args[d - 1]))
			d--;
	}
	if (d < end && d >= 1 && args[d - 1] == '/') {
		if (!parse_cidr(args + d, end - d, 32, &t->cidr4, why, whysz))
			return false;
		end = d - 1;
	}
	*an = end;
	return true;
}

static bool parse_modifier(mc_spf_record_t *rec, mc_spf_term_t *t, const char *name, size_t nl,
                           const char *val, size_t vl, char *why, size_t whysz)
{
	size_t i, last_end;
	long *slot = NULL;

	t->qualifier = '\0';
	if (nl == 8 && mc_str_ieq_n("redirect", name, 8)) {
		t->kind = MC_SPF_T_REDIRECT;
		slot = &rec->redirect;
	} else if (nl == 3 && mc_str_ieq_n("exp", name, 3)) {
		t->kind = MC_SPF_T_EXP;
		slot = &rec->exp;
	} else {
		t->kind = MC_SPF_T_MODIFIER;
	}
	if (slot) {
		if (*slot >= 0) {
			snprintf(why, whysz, "%s= given twice (RFC 7208 section 6)",
			         mc_spf_kind_str(t->kind));
			return false;
		}
		*slot = (long)(t - rec->terms);
		return check_domain_spec(val, vl, why, whysz);
	}
	/* name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) */
	if (!nl || !mc_ascii_is_alpha(name[0])) {
		mc_strlcpy(why, "a modifier name must start with a letter", whysz);
		return false;
	}
	for (i = 1; i < nl; i++) {
		if (!mc_ascii_is_alnum(name[i]) && !memchr("-_.", name[i], 3)) {
			mc_strlcpy(why, "bad modifier name", whysz);
			return false;
		}
	}
	return macro_walk(val, vl, M_MODIFIER, NULL, NULL, &last_end, why, whysz) == MC_OK;
}

static const struct {
	const char *name;
	mc_spf_kind_t kind;
} mechanisms[] = {
    {"all", MC_SPF_T_ALL}, {"include", MC_SPF_T_INCLUDE}, {"a", MC_SPF_T_A},
    {"mx", MC_SPF_T_MX},   {"ptr", MC_SPF_T_PTR},         {"ip4", MC_SPF_T_IP4},
    {"ip6", MC_SPF_T_IP6}, {"exists", MC_SPF_T_EXISTS},
};

/* One term s[0..n) into t; spec_store receives the domain-spec copy. */
static bool parse_term(mc_spf_record_t *rec, mc_spf_term_t *t, const char *s, size_t n,
                       char *spec_store, char *why, size_t whysz)
{
	size_t i, nl, an;
	const char *args;
	bool has_q = false;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x21 || c > 0x7e) {
			snprintf(why, whysz, "byte 0x%02x is not allowed (RFC 7208 section 3.1)",
			         c);
			return false;
		}
	}
	t->qualifier = '+';
	if (memchr("+-~?", s[0], 4)) {
		t->qualifier = s[0];
		has_q = true;
		s++;
		n--;
	}
	for (nl = 0; nl < n && s[nl] != ':' && s[nl] != '/' && s[nl] != '='; nl++)
		;
	if (nl < n && s[nl] == '=') {
		if (has_q) {
			mc_strlcpy(why, "a modifier takes no qualifier", whysz);
			return false;
		}
		if (!parse_modifier(rec, t, s, nl, s + nl + 1, n - nl - 1, why, whysz))
			return false;
		memcpy(spec_store, s + nl + 1, n - nl - 1);
		spec_store[n - nl - 1] = '\0';
		t->spec = spec_store;
		return true;
	}
	for (i = 0; i < sizeof(mechanisms) / sizeof(mechanisms[0]); i++)
		if (strlen(mechanisms[i].name) == nl && mc_str_ieq_n(mechanisms[i].name, s, nl))
			break;
	if (i == sizeof(mechanisms) / sizeof(mechanisms[0])) {
		char shown[40];
		mc_str_sanitize(shown, sizeof(shown), s, nl);
		snprintf(why, whysz, "unknown mechanism '%s'", shown);
		return false;
	}
	t->kind = mechanisms[i].kind;
	args = s + nl;
	an = n - nl;
	switch (t->kind) {
	case MC_SPF_T_ALL:
		if (an) {
			mc_strlcpy(why, "all takes no argument", whysz);
			return false;
		}
		return true;
	case MC_SPF_T_IP4:
	case MC_SPF_T_IP6: return parse_ip_term(t, args, an, why, whysz);
	case MC_SPF_T_A:
	case MC_SPF_T_MX:
		if (!split_dual_cidr(t, args, &an, why, whysz))
			return false;
		break;
	default: break;
	}
	if (!an) {
		if (t->kind == MC_SPF_T_INCLUDE || t->kind == MC_SPF_T_EXISTS) {
			snprintf(why, whysz, "%s needs ':' and a domain", mc_spf_kind_str(t->kind));
			return false;
		}
		return true;
	}
	if (args[0] != ':') {
		snprintf(why, whysz, "%s takes %s", mc_spf_kind_str(t->kind),
		         t->kind == MC_SPF_T_PTR ? "only ':' and a domain"
		         : t->kind == MC_SPF_T_A || t->kind == MC_SPF_T_MX
		             ? "':' and a domain, then CIDR lengths"
		             : "':' and a domain");
		return false;
	}
	if (!check_domain_spec(args + 1, an - 1, why, whysz))
		return false;
	memcpy(spec_store, args + 1, an - 1);
	spec_store[an - 1] = '\0';
	t->spec = spec_store;
	return true;
}

void mc_spf_record_free(mc_spf_record_t *rec)
{
	if (!rec)
		return;
	free(rec->store);
	memset(rec, 0, sizeof(*rec));
	rec->redirect = rec->exp = -1;
}

mc_status_t mc_spf_parse(const char *txt, size_t len, mc_spf_record_t *rec, char *err, size_t errsz)
{
	size_t ntok = 0, i, pos;
	char *chars;

	memset(rec, 0, sizeof(*rec));
	rec->redirect = rec->exp = -1;
	if (!mc_spf_is_record(txt, len)) {
		mc_strlcpy(err, "not an SPF record (no \"v=spf1\" first)", errsz);
		return MC_E_AGAIN;
	}
	if (len > MC_SPF_RECORD_MAX) {
		snprintf(err, errsz, "record of %zu bytes is over %d", len, MC_SPF_RECORD_MAX);
		return MC_E_PROTOCOL;
	}
	for (i = 6; i < len; i++)
		if (txt[i] != ' ' && txt[i - 1] == ' ')
			ntok++;
	/* terms, then each term's text and domain-spec, NUL-terminated */
	rec->store = malloc(ntok * sizeof(mc_spf_term_t) + 2 * (len + ntok) + 1);
	if (!rec->store) {
		mc_strlcpy(err, "out of memory", errsz);
		return MC_E_NOMEM;
	}
	rec->terms = rec->store;
	chars = (char *)(rec->terms + ntok);
	for (pos = 6; pos < len;) {
		mc_spf_term_t *t;
		size_t n;
		char why[200];

		if (txt[pos] == ' ') {
			pos++;
			continue;
		}
		for (n = 0; pos + n < len && txt[pos + n] != ' '; n++)
			;
		t = &rec->terms[rec->nterms++];
		memset(t, 0, sizeof(*t));
		t->position = (unsigned)rec->nterms;
		t->offset = pos;
		t->cidr4 = 32;
		t->cidr6 = 128;
		memcpy(chars, txt + pos, n);
		chars[n] = '\0';
		t->text = chars;
		chars += n + 1;
		if (!parse_term(rec, t, txt + pos, n, chars, why, sizeof(why))) {
			char shown[64];
			mc_str_sanitize(shown, sizeof(shown), txt + pos, n);
			snprintf(err, errsz, "term %u '%s%s' at offset %zu: %s", t->position, shown,
			         n >= sizeof(shown) ? "..." : "", pos, why);
			mc_spf_record_free(rec);
			return MC_E_PROTOCOL;
		}
		if (t->spec)
			chars += strlen(t->spec) + 1;
		pos += n;
	}
	return MC_OK;
}
