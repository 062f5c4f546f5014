#include "mc_dmarc.h"

#include <stdio.h>
#include <string.h>

#include <libpsl.h>

#include "mc_taglist.h"
#include "util/mc_ascii.h"
#include "util/mc_str.h"

/* Longest URI that fits mc_dmarc_uri_t.uri with its NUL. */
#define URI_MAX (sizeof(((mc_dmarc_uri_t *)0)->uri) - 1)
/* RFC 1035 section 2.3.4 limits, as text without the trailing dot. */
#define NAME_MAX_LEN 253
#define LABEL_MAX_LEN 63

/* RFC 7489 section 6.4: the tag-list of RFC 6376 section 3.2 with WSP
 * where DKIM allows FWS, opened by dmarc-version = "v" *WSP "=" *WSP
 * "DMARC1"; tag names, ABNF strings, compare in any case; none may repeat. */
static const mc_taglist_syntax_t dmarc_tags = {
    .ws = MC_TAGLIST_WSP,
    .names = MC_TAGLIST_TAG_NAMES,
    .version = "DMARC1",
    .version_tag = true,
    .dups = MC_TAGLIST_DUPS_ANYCASE,
    .max_tags = MC_DMARC_MAX_TAGS,
    .msg =
        {
            .nul = "NUL byte in the DMARC record",
            .not_ours = "not a DMARC record",
            .version_ws = "whitespace before v=DMARC1",
            .version_late = "v=DMARC1 must come first",
            .version_case = "the version is case-sensitive: v=DMARC1",
            .no_delim = "no ';' after v=DMARC1 in '%s'",
            .empty_tag = "empty tag (';;') in the DMARC record",
            .no_equals = "tag '%s' has no '='",
            .bad_name = "malformed tag name in '%s'",
            .bad_value = "tag '%s': bad byte 0x%02x in the value",
            .twice = "tag '%s': given twice",
            .too_many = "more than %d tags in the DMARC record",
        },
};

/* Digits only, 1..maxdigits of them, value at most max. */
static bool parse_uint(const char *s, size_t n, size_t maxdigits, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n < 1 || n > maxdigits)
		return false;
	for (i = 0; i < n; i++) {
		if (!mc_ascii_is_digit(s[i]))
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* Error about tag t: "tag 'rua': <what>". */
static mc_status_t tag_error(char *err, size_t errsz, const mc_taglist_tag_t *t, const char *what)
{
	char name[MC_STR_QUOTE_SIZE];

	mc_str_quote(name, sizeof(name), t->name, t->nlen);
	snprintf(err, errsz, "tag '%s': %s", name, what);
	return MC_E_PROTOCOL;
}

/* "tag 'pct': '101' is not 0-100". */
static mc_status_t value_error(char *err, size_t errsz, const mc_taglist_tag_t *t, const char *v,
                               size_t n, const char *want)
{
	char shown[MC_STR_QUOTE_SIZE], what[MC_STR_QUOTE_SIZE + 92];

	mc_str_quote(shown, sizeof(shown), v, n);
	snprintf(what, sizeof(what), "'%s' is not %s", shown, want);
	return tag_error(err, errsz, t, what);
}

/* ---- DNS names ---- */

/* Copy a DNS name (one trailing dot dropped) lower-cased into out (at
 * least NAME_MAX_LEN + 1 bytes): LDH labels, '_' allowed as in "_dmarc". */
static mc_status_t name_norm(const char *in, size_t n, char *out)
{
	size_t i, label = 0;

	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n < 1 || n > NAME_MAX_LEN)
		return MC_E_USAGE;
	for (i = 0; i < n; i++) {
		char c = in[i];
		if (c == '.') {
			if (label == 0)
				return MC_E_USAGE;
			label = 0;
		} else if (mc_ascii_is_alnum(c) || c == '-' || c == '_') {
			if (++label > LABEL_MAX_LEN)
				return MC_E_USAGE;
		} else {
			return MC_E_USAGE;
		}
		out[i] = mc_ascii_lower(c);
	}
	if (label == 0)
		return MC_E_USAGE;
	out[n] = '\0';
	return MC_OK;
}

/* ---- URIs ---- */

/* RFC 3986 characters (unreserved, gen-delims, sub-delims; '%' checked by
 * the caller), less ',' and '!', which RFC 7489 section 6.2 says MUST be
 * encoded in a DMARC URI. */
static bool uri_char_ok(char c)
{
	return mc_ascii_is_alnum(c) || (c != '\0' && strchr("-._~:/?#[]@$&'()*+;=", c));
}

/* RFC 7489 section 6.4: dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" /
 * "t" ] ]; section 6.2: the units are powers of two (k = 1024). */
static bool parse_size(const char *s, size_t n, uint64_t *out)
{
	unsigned shift = 0;
	uint64_t v;

	if (n > 0 && !mc_ascii_is_digit(s[n - 1])) {
		switch (mc_ascii_lower(s[n - 1])) {
		case 'k': shift = 10; break;
		case 'm': shift = 20; break;
		case 'g': shift = 30; break;
		case 't': shift = 40; break;
		default: return false;
		}
		n--;
	}
	if (!parse_uint(s, n, 20, UINT64_MAX / 10 - 9, &v) || v > (UINT64_MAX >> shift))
		return false;
	*out = v << shift;
	return true;
}

/* The host of an http(s) URI: after "//", before '/', '?' or '#', without
 * userinfo and port. */
static bool http_host(const char *rest, size_t n, char *host, size_t hostsz)
{
	size_t end = 0, start, i;
	const char *at;

	if (n < 2 || rest[0] != '/' || rest[1] != '/')
		return false;
	rest += 2;
	n -= 2;
	while (end < n && rest[end] != '/' && rest[end] != '?' && rest[end] != '#')
		end++;
	at = NULL;
	for (i = 0; i < end; i++) {
		if (rest[i] == '@')
			at = rest + i;
	}
	start = at ? (size_t)(at - rest) + 1 : 0;
	if (start < end && rest[start] == '[') {
		const char *close = memchr(rest + start, ']', end - start);
		if (!close)
			return false;
		end = (size_t)(close - rest) + 1;
	} else {
		const char *colon = memchr(rest + start, ':', end - start);
		if (colon)
			end = (size_t)(colon - rest);
	}
	if (end <= start || end - start >= hostsz)
		return false;
	for (i = start; i < end; i++)
		host[i - start] = mc_ascii_lower(rest[i]);
	host[end - start] = '\0';
	return true;
}

static mc_status_t check_uri(const mc_taglist_tag_t *t, const char *u, size_t n,
                             mc_dmarc_uri_t *out, char *err, size_t errsz)
{
	char shown[MC_STR_QUOTE_SIZE], what[MC_STR_QUOTE_SIZE + 92];
	const char *bang = memchr(u, '!', n), *colon, *rest;
	size_t ulen = bang ? (size_t)(bang - u) : n, i, rlen;

	memset(out, 0, sizeof(*out));
	mc_str_quote(shown, sizeof(shown), u, n);
	if (bang) {
		if (!parse_size(bang + 1, n - ulen - 1, &out->max_size)) {
			snprintf(what, sizeof(what),
			         "URI '%s' has a bad size limit (!DIGITS[kmgt])", shown);
			return tag_error(err, errsz, t, what);
		}
		out->has_max_size = true;
	}
	for (i = 0; i < ulen; i++) {
		if (u[i] == '%' && i + 2 < ulen && mc_ascii_is_hex(u[i + 1]) &&
		    mc_ascii_is_hex(u[i + 2])) {
			i += 2;
			continue;
		}
		if (!uri_char_ok(u[i])) {
			snprintf(what, sizeof(what),
			         "URI '%s' has a character that must be encoded", shown);
			return tag_error(err, errsz, t, what);
		}
	}
	if (ulen > URI_MAX) {
		snprintf(what, sizeof(what), "URI '%s' is longer than %zu bytes", shown, URI_MAX);
		return tag_error(err, errsz, t, what);
	}
	/* RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" /
	 * "." ), case-insensitive. */
	colon = memchr(u, ':', ulen);
	for (i = 0; colon && u + i < colon; i++) {
		if (!mc_ascii_is_alpha(u[i]) &&
		    (i == 0 || (!mc_ascii_is_digit(u[i]) && !strchr("+-.", u[i]))))
			colon = NULL;
	}
	if (!colon || colon == u) {
		snprintf(what, sizeof(what), "URI '%s' has no scheme", shown);
		return tag_error(err, errsz, t, what);
	}
	rest = colon + 1;
	rlen = ulen - (size_t)(rest - u);
	if (mc_str_ieq_lit(u, (size_t)(colon - u), "mailto")) {
		/* RFC 6068: mailto:addr-spec[?hfields]; the domain is what
		 * section 7.1 compares and authorizes. */
		const char *q = memchr(rest, '?', rlen);
		size_t alen = q ? (size_t)(q - rest) : rlen;
		const char *at = NULL;
		for (i = 0; i < alen; i++) {
			if (rest[i] == '@')
				at = rest + i;
		}
		out->scheme = MC_DMARC_URI_MAILTO;
		if (!at || at == rest ||
		    name_norm(at + 1, alen - (size_t)(at + 1 - rest), out->host) != MC_OK) {
			snprintf(what, sizeof(what), "URI '%s' is not mailto:user@domain", shown);
			return tag_error(err, errsz, t, what);
		}
	} else if (mc_str_ieq_lit(u, (size_t)(colon - u), "https") ||
	           mc_str_ieq_lit(u, (size_t)(colon - u), "http")) {
		out->scheme = colon - u == 5 ? MC_DMARC_URI_HTTPS : MC_DMARC_URI_HTTP;
		if (!http_host(rest, rlen, out->host, sizeof(out->host))) {
			snprintf(what, sizeof(what), "URI '%s' has no host", shown);
			return tag_error(err, errsz, t, what);
		}
	} else {
		out->scheme = MC_DMARC_URI_OTHER;
	}
	memcpy(out->uri, u, ulen);
	out->uri[ulen] = '\0';
	return MC_OK;
}

/* dmarc-auri = "rua" *WSP "=" *WSP dmarc-uri *(*WSP "," *WSP dmarc-uri) */
static mc_status_t parse_uris(const mc_taglist_tag_t *t, mc_dmarc_uri_t *list, size_t *nkept,
                              size_t *ntotal, char *err, size_t errsz)
{
	mc_taglist_items_t it;
	const char *u;
	size_t n;

	mc_taglist_items_init(&it, t, ',', &dmarc_tags);
	while (mc_taglist_items_next(&it, &u, &n)) {
		mc_dmarc_uri_t scratch;
		mc_status_t st;

		if (n == 0)
			return tag_error(err, errsz, t, "empty URI");
		st = check_uri(t, u, n, *nkept < MC_DMARC_MAX_URI ? &list[*nkept] : &scratch, err,
		               errsz);
		if (st != MC_OK)
			return st;
		if (*nkept < MC_DMARC_MAX_URI)
			(*nkept)++;
		(*ntotal)++;
	}
	return MC_OK;
}

/* ---- tags ---- */

static bool parse_policy(const char *s, size_t n, mc_dmarc_policy_t *p)
{
	if (mc_str_ieq_lit(s, n, "none"))
		*p = MC_DMARC_POLICY_NONE;
	else if (mc_str_ieq_lit(s, n, "quarantine"))
		*p = MC_DMARC_POLICY_QUARANTINE;
	else if (mc_str_ieq_lit(s, n, "reject"))
		*p = MC_DMARC_POLICY_REJECT;
	else
		return false;
	return true;
}

/* fo= (0|1|d|s) and rf= (afrf) lists: dmarc-fo = "fo" *WSP "=" *WSP
 * ( "0" / "1" / "d" / "s" ) *(*WSP ":" *WSP ( "0" / "1" / "d" / "s" )). */
static mc_status_t parse_colon_list(const mc_taglist_tag_t *t, bool is_fo, unsigned *fo, char *err,
                                    size_t errsz)
{
	mc_taglist_items_t it;
	const char *item;
	size_t n;

	mc_taglist_items_init(&it, t, ':', &dmarc_tags);
	while (mc_taglist_items_next(&it, &item, &n)) {
		if (is_fo) {
			const char *opts = "01ds", *hit;
			hit = n == 1 ? strchr(opts, mc_ascii_lower(item[0])) : NULL;
			if (!hit || !*hit)
				return value_error(err, errsz, t, item, n, "0, 1, d or s");
			*fo |= 1u << (hit - opts);
		} else if (!mc_str_ieq_lit(item, n, "afrf")) {
			return value_error(err, errsz, t, item, n, "afrf (the only report format)");
		}
	}
	return MC_OK;
}

static mc_status_t take_tag(void *ctx, const mc_taglist_tag_t *t, size_t index, char *err,
                            size_t errsz)
{
	mc_dmarc_record_t *rec = ctx;
	const char *v = t->val;
	size_t n = t->vlen;
	uint64_t num;

	if (mc_str_ieq_lit(t->name, t->nlen, "p")) {
		if (!parse_policy(v, n, &rec->p))
			return value_error(err, errsz, t, v, n, "none, quarantine or reject");
		rec->p_index = index;
	} else if (mc_str_ieq_lit(t->name, t->nlen, "sp")) {
		if (!parse_policy(v, n, &rec->sp))
			return value_error(err, errsz, t, v, n, "none, quarantine or reject");
		rec->sp_given = true;
	} else if (mc_str_ieq_lit(t->name, t->nlen, "np")) {
		if (!parse_policy(v, n, &rec->np))
			return value_error(err, errsz, t, v, n, "none, quarantine or reject");
		rec->np_given = true;
	} else if (mc_str_ieq_lit(t->name, t->nlen, "pct")) {
		/* dmarc-percent = "pct" *WSP "=" *WSP 1*3DIGIT */
		if (!parse_uint(v, n, 3, 100, &num))
			return value_error(err, errsz, t, v, n, "0-100");
		rec->pct = (unsigned)num;
		rec->pct_given = true;
	} else if (mc_str_ieq_lit(t->name, t->nlen, "adkim") ||
	           mc_str_ieq_lit(t->name, t->nlen, "aspf")) {
		char mode = n == 1 ? mc_ascii_lower(v[0]) : '\0';
		if (mode != 'r' && mode != 's')
			return value_error(err, errsz, t, v, n, "r or s");
		if (t->nlen == 5)
			rec->adkim = mode;
		else
			rec->aspf = mode;
	} else if (mc_str_ieq_lit(t->name, t->nlen, "fo")) {
		rec->fo = 0;
		return parse_colon_list(t, true, &rec->fo, err, errsz);
	} else if (mc_str_ieq_lit(t->name, t->nlen, "rf")) {
		return parse_colon_list(t, false, NULL, err, errsz);
	} else if (mc_str_ieq_lit(t->name, t->nlen, "ri")) {
		/* Section 6.3: "plain-text 32-bit unsigned integer". */
		if (!parse_uint(v, n, 10, UINT32_MAX, &num))
			return value_error(err, errsz, t, v, n, "0-4294967295 seconds");
		rec->ri = (uint32_t)num;
	} else if (mc_str_ieq_lit(t->name, t->nlen, "rua")) {
		return parse_uris(t, rec->rua, &rec->nrua, &rec->nrua_total, err, errsz);
	} else if (mc_str_ieq_lit(t->name, t->nlen, "ruf")) {
		return parse_uris(t, rec->ruf, &rec->nruf, &rec->nruf_total, err, errsz);
	}
	/* Section 6.3: unknown tags MUST be ignored. */
	return MC_OK;
}

mc_status_t mc_dmarc_parse(const char *txt, size_t len, mc_dmarc_record_t *rec, char *err,
                           size_t errsz)
{
	mc_status_t st;

	memset(rec, 0, sizeof(*rec));
	rec->pct = 100;
	rec->adkim = rec->aspf = 'r';
	rec->fo = MC_DMARC_FO_0;
	rec->ri = 86400;
	/* Section 6.6.3: records that do not start with v=DMARC1 are
	 * discarded (MC_E_AGAIN); one that has it elsewhere is broken, worth
	 * reporting. */
	st = mc_taglist_parse(txt, len, &dmarc_tags, take_tag, rec, err, errsz);
	if (st != MC_OK)
		return st == MC_E_AGAIN ? MC_E_AGAIN : MC_E_PROTOCOL;
	/* Section 6.3: p= is required for a policy record. */
	if (rec->p == MC_DMARC_POLICY_UNSET) {
		snprintf(err, errsz, "no p= tag");
		return MC_E_PROTOCOL;
	}
	if (!rec->sp_given)
		rec->sp = rec->p;
	if (!rec->np_given)
		rec->np = rec->sp;
	return MC_OK;
}

const char *mc_dmarc_policy_str(mc_dmarc_policy_t p)
{
	switch (p) {
	case MC_DMARC_POLICY_UNSET: return "unset";
	case MC_DMARC_POLICY_NONE: return "none";
	case MC_DMARC_POLICY_QUARANTINE: return "quarantine";
	case MC_DMARC_POLICY_REJECT: return "reject";
	}
	return "unknown";
}

bool mc_dmarc_auth_record_ok(const char *txt, size_t len)
{
	return !memchr(txt, '\0', len) && mc_taglist_version_len(txt, len, &dmarc_tags) > 0;
}

/* ---- organizational domains ---- */

mc_status_t mc_dmarc_org_domain(const char *domain, char *out, size_t outsz)
{
	char name[NAME_MAX_LEN + 1];
	psl_ctx_t *psl;
	const char *reg;
	mc_status_t st = MC_OK;
	size_t n;

	if (name_norm(domain, strlen(domain), name) != MC_OK)
		return MC_E_USAGE;
	/* The newer of libpsl's built-in list and the system's file. */
	psl = psl_latest(NULL);
	if (!psl)
		return MC_E_INTERNAL;
	/* Section 3.2: the public suffix plus one label. libpsl applies the
	 * list's rules, including the implicit "*" for unlisted TLDs, and
	 * gives NULL for a name that is itself a public suffix. */
	reg = psl_registrable_domain(psl, name);
	if (!reg) {
		st = MC_E_DNS_NOTFOUND;
	} else {
		n = strlen(reg);
		if (n >= outsz)
			st = MC_E_LIMIT;
		else
			memcpy(out, reg, n + 1);
	}
	psl_free(psl);
	return st;
}

mc_status_t mc_dmarc_in_org(const char *dest, const char *org_domain, bool *inside)
{
	char org[NAME_MAX_LEN + 1], dest_org[NAME_MAX_LEN + 1];
	mc_status_t st;

	*inside = false;
	if (name_norm(org_domain, strlen(org_domain), org) != MC_OK)
		return MC_E_USAGE;
	st = mc_dmarc_org_domain(dest, dest_org, sizeof(dest_org));
	if (st == MC_E_DNS_NOTFOUND)
		return MC_OK;
	if (st != MC_OK)
		return st;
	*inside = strcmp(org, dest_org) == 0;
	return MC_OK;
}

mc_status_t mc_dmarc_report_auth_name(const char *domain, const char *dest, char *out, size_t outsz)
{
	static const char mid[] = "._report._dmarc.";
	char d[NAME_MAX_LEN + 1], t[NAME_MAX_LEN + 1];
	size_t dl, tl, n;

	if (name_norm(domain, strlen(domain), d) != MC_OK ||
	    name_norm(dest, strlen(dest), t) != MC_OK)
		return MC_E_USAGE;
	dl = strlen(d);
	tl = strlen(t);
	n = dl + sizeof(mid) - 1 + tl;
	if (n > NAME_MAX_LEN || n >= outsz)
		return MC_E_LIMIT;
	memcpy(out, d, dl);
	memcpy(out + dl, mid, sizeof(mid) - 1);
	memcpy(out + dl + sizeof(mid) - 1, t, tl + 1);
	return MC_OK;
}
