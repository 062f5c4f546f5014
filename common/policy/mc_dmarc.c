#include "mc_dmarc.h"

#include <stdio.h>
#include <string.h>

#include <libpsl.h>

#include "util/mc_str.h"

#define VERSION_VALUE "DMARC1"
#define VERSION_VALUE_LEN (sizeof(VERSION_VALUE) - 1)
/* Longest URI that fits mc_dmarc_uri_t.uri with its NUL. */
#define URI_MAX (sizeof(((mc_dmarc_uri_t *)0)->uri) - 1)
/* RFC 1035 section 2.3.4 limits, as text without the trailing dot. */
#define NAME_MAX_LEN 253
#define LABEL_MAX_LEN 63
/* Bytes of input quoted in an error message. */
#define QUOTE_MAX 40

struct tag {
	const char *name;
	size_t nlen;
	const char *val;
	size_t vlen;
};

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Sanitized, cut to QUOTE_MAX bytes with "..." when longer. */
static void quote(char *dst, size_t dstsz, const char *s, size_t n)
{
	char *end;

	mc_str_sanitize(dst, dstsz, s, n > QUOTE_MAX ? QUOTE_MAX : n);
	end = dst + strlen(dst);
	if (n > QUOTE_MAX && (size_t)(end - dst) + 4 <= dstsz)
		memcpy(end, "...", 4);
}

static bool ieq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && mc_str_ieq_n(lit, s, n);
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_wsp(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_wsp((*s)[*n - 1]))
		(*n)--;
}

/* The DKIM tag-name of RFC 6376 section 3.2, which RFC 7489 section 6.3
 * borrows: ALPHA *(ALPHA / DIGIT / "_"). */
static bool tag_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || !is_alpha(s[0]))
		return false;
	for (i = 1; i < n; i++) {
		if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '_')
			return false;
	}
	return true;
}

/* Digits only, 1..maxdigits of them, value at most max. */
static bool parse_uint(const char *s, size_t n, size_t maxdigits, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n < 1 || n > maxdigits)
		return false;
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* Error about tag t: "tag 'rua': <what>". */
static mc_status_t tag_error(char *err, size_t errsz, const struct tag *t, const char *what)
{
	char name[QUOTE_MAX + 4];

	quote(name, sizeof(name), t->name, t->nlen);
	snprintf(err, errsz, "tag '%s': %s", name, what);
	return MC_E_PROTOCOL;
}

/* "tag 'pct': '101' is not 0-100". */
static mc_status_t value_error(char *err, size_t errsz, const struct tag *t, const char *v,
                               size_t n, const char *want)
{
	char shown[QUOTE_MAX + 4], what[QUOTE_MAX + 96];

	quote(shown, sizeof(shown), v, n);
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
		} else if (is_alpha(c) || is_digit(c) || c == '-' || c == '_') {
			if (++label > LABEL_MAX_LEN)
				return MC_E_USAGE;
		} else {
			return MC_E_USAGE;
		}
		out[i] = lower(c);
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
	return is_alpha(c) || is_digit(c) || (c != '\0' && strchr("-._~:/?#[]@$&'()*+;=", c));
}

/* RFC 7489 section 6.4: dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" /
 * "t" ] ]; section 6.2: the units are powers of two (k = 1024). */
static bool parse_size(const char *s, size_t n, uint64_t *out)
{
	unsigned shift = 0;
	uint64_t v;

	if (n > 0 && !is_digit(s[n - 1])) {
		switch (lower(s[n - 1])) {
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
		host[i - start] = lower(rest[i]);
	host[end - start] = '\0';
	return true;
}

static mc_status_t check_uri(const struct tag *t, const char *u, size_t n, mc_dmarc_uri_t *out,
                             char *err, size_t errsz)
{
	char shown[QUOTE_MAX + 4], what[QUOTE_MAX + 96];
	const char *bang = memchr(u, '!', n), *colon, *rest;
	size_t ulen = bang ? (size_t)(bang - u) : n, i, rlen;

	memset(out, 0, sizeof(*out));
	quote(shown, sizeof(shown), u, n);
	if (bang) {
		if (!parse_size(bang + 1, n - ulen - 1, &out->max_size)) {
			snprintf(what, sizeof(what),
			         "URI '%s' has a bad size limit (!DIGITS[kmgt])", shown);
			return tag_error(err, errsz, t, what);
		}
		out->has_max_size = true;
	}
	for (i = 0; i < ulen; i++) {
		if (u[i] == '%' && i + 2 < ulen && is_hex(u[i + 1]) && is_hex(u[i + 2])) {
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
		if (!is_alpha(u[i]) && (i == 0 || (!is_digit(u[i]) && !strchr("+-.", u[i]))))
			colon = NULL;
	}
	if (!colon || colon == u) {
		snprintf(what, sizeof(what), "URI '%s' has no scheme", shown);
		return tag_error(err, errsz, t, what);
	}
	rest = colon + 1;
	rlen = ulen - (size_t)(rest - u);
	if (ieq(u, (size_t)(colon - u), "mailto")) {
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
	} else if (ieq(u, (size_t)(colon - u), "https") || ieq(u, (size_t)(colon - u), "http")) {
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
static mc_status_t parse_uris(const struct tag *t, mc_dmarc_uri_t *list, size_t *nkept,
                              size_t *ntotal, char *err, size_t errsz)
{
	const char *v = t->val;
	size_t rest = t->vlen;

	for (;;) {
		const char *comma = memchr(v, ',', rest);
		const char *u = v;
		size_t n = comma ? (size_t)(comma - v) : rest;
		mc_dmarc_uri_t scratch;
		mc_status_t st;

		trim(&u, &n);
		if (n == 0)
			return tag_error(err, errsz, t, "empty URI");
		st = check_uri(t, u, n, *nkept < MC_DMARC_MAX_URI ? &list[*nkept] : &scratch, err,
		               errsz);
		if (st != MC_OK)
			return st;
		if (*nkept < MC_DMARC_MAX_URI)
			(*nkept)++;
		(*ntotal)++;
		if (!comma)
			return MC_OK;
		rest -= (size_t)(comma - v) + 1;
		v = comma + 1;
	}
}

/* ---- tags ---- */

static bool parse_policy(const char *s, size_t n, mc_dmarc_policy_t *p)
{
	if (ieq(s, n, "none"))
		*p = MC_DMARC_POLICY_NONE;
	else if (ieq(s, n, "quarantine"))
		*p = MC_DMARC_POLICY_QUARANTINE;
	else if (ieq(s, n, "reject"))
		*p = MC_DMARC_POLICY_REJECT;
	else
		return false;
	return true;
}

/* fo= (0|1|d|s) and rf= (afrf) lists: dmarc-fo = "fo" *WSP "=" *WSP
 * ( "0" / "1" / "d" / "s" ) *(*WSP ":" *WSP ( "0" / "1" / "d" / "s" )). */
static mc_status_t parse_colon_list(const struct tag *t, bool is_fo, unsigned *fo, char *err,
                                    size_t errsz)
{
	const char *v = t->val;
	size_t rest = t->vlen;

	for (;;) {
		const char *colon = memchr(v, ':', rest);
		const char *item = v;
		size_t n = colon ? (size_t)(colon - v) : rest;

		trim(&item, &n);
		if (is_fo) {
			const char *opts = "01ds", *hit;
			hit = n == 1 ? strchr(opts, lower(item[0])) : NULL;
			if (!hit || !*hit)
				return value_error(err, errsz, t, item, n, "0, 1, d or s");
			*fo |= 1u << (hit - opts);
		} else if (!ieq(item, n, "afrf")) {
			return value_error(err, errsz, t, item, n, "afrf (the only report format)");
		}
		if (!colon)
			return MC_OK;
		rest -= (size_t)(colon - v) + 1;
		v = colon + 1;
	}
}

static mc_status_t take_tag(const struct tag *t, size_t index, mc_dmarc_record_t *rec, char *err,
                            size_t errsz)
{
	const char *v = t->val;
	size_t n = t->vlen;
	uint64_t num;

	if (ieq(t->name, t->nlen, "p")) {
		if (!parse_policy(v, n, &rec->p))
			return value_error(err, errsz, t, v, n, "none, quarantine or reject");
		rec->p_index = index;
	} else if (ieq(t->name, t->nlen, "sp")) {
		if (!parse_policy(v, n, &rec->sp))
			return value_error(err, errsz, t, v, n, "none, quarantine or reject");
		rec->sp_given = true;
	} else if (ieq(t->name, t->nlen, "np")) {
		if (!parse_policy(v, n, &rec->np))
			return value_error(err, errsz, t, v, n, "none, quarantine or reject");
		rec->np_given = true;
	} else if (ieq(t->name, t->nlen, "pct")) {
		/* dmarc-percent = "pct" *WSP "=" *WSP 1*3DIGIT */
		if (!parse_uint(v, n, 3, 100, &num))
			return value_error(err, errsz, t, v, n, "0-100");
		rec->pct = (unsigned)num;
		rec->pct_given = true;
	} else if (ieq(t->name, t->nlen, "adkim") || ieq(t->name, t->nlen, "aspf")) {
		char mode = n == 1 ? lower(v[0]) : '\0';
		if (mode != 'r' && mode != 's')
			return value_error(err, errsz, t, v, n, "r or s");
		if (t->nlen == 5)
			rec->adkim = mode;
		else
			rec->aspf = mode;
	} else if (ieq(t->name, t->nlen, "fo")) {
		rec->fo = 0;
		return parse_colon_list(t, true, &rec->fo, err, errsz);
	} else if (ieq(t->name, t->nlen, "rf")) {
		return parse_colon_list(t, false, NULL, err, errsz);
	} else if (ieq(t->name, t->nlen, "ri")) {
		/* Section 6.3: "plain-text 32-bit unsigned integer". */
		if (!parse_uint(v, n, 10, UINT32_MAX, &num))
			return value_error(err, errsz, t, v, n, "0-4294967295 seconds");
		rec->ri = (uint32_t)num;
	} else if (ieq(t->name, t->nlen, "rua")) {
		return parse_uris(t, rec->rua, &rec->nrua, &rec->nrua_total, err, errsz);
	} else if (ieq(t->name, t->nlen, "ruf")) {
		return parse_uris(t, rec->ruf, &rec->nruf, &rec->nruf_total, err, errsz);
	}
	/* Section 6.3: unknown tags MUST be ignored. */
	return MC_OK;
}

/* Split a field (between two ';') into name and value, WSP trimmed. */
static mc_status_t split_tag(const char *f, size_t n, struct tag *t, char *err, size_t errsz)
{
	char shown[QUOTE_MAX + 4];
	const char *eqs = memchr(f, '=', n);
	size_t i;

	quote(shown, sizeof(shown), f, n);
	if (!eqs) {
		snprintf(err, errsz, "tag '%s' has no '='", shown);
		return MC_E_PROTOCOL;
	}
	t->name = f;
	t->nlen = (size_t)(eqs - f);
	trim(&t->name, &t->nlen);
	if (!tag_name_ok(t->name, t->nlen)) {
		snprintf(err, errsz, "malformed tag name in '%s'", shown);
		return MC_E_PROTOCOL;
	}
	t->val = eqs + 1;
	t->vlen = (size_t)(f + n - t->val);
	trim(&t->val, &t->vlen);
	for (i = 0; i < t->vlen; i++) {
		unsigned char c = (unsigned char)t->val[i];
		if ((c < 0x21 || c > 0x7e) && !is_wsp((char)c)) {
			char what[48];
			snprintf(what, sizeof(what), "bad byte 0x%02x in the value", c);
			return tag_error(err, errsz, t, what);
		}
	}
	return MC_OK;
}

/* Is f[0..n) (trimmed) a version field v=DMARC1? 1: exactly; 2: with the
 * value in another case; 0: no. */
static int version_field(const char *f, size_t n)
{
	const char *eqs;
	const char *name = f, *val;
	size_t nlen, vlen;

	trim(&f, &n);
	eqs = memchr(f, '=', n);
	if (!eqs)
		return 0;
	name = f;
	nlen = (size_t)(eqs - f);
	trim(&name, &nlen);
	val = eqs + 1;
	vlen = (size_t)(f + n - val);
	trim(&val, &vlen);
	if (!ieq(name, nlen, "v") || !ieq(val, vlen, VERSION_VALUE))
		return 0;
	return memcmp(val, VERSION_VALUE, VERSION_VALUE_LEN) == 0 ? 1 : 2;
}

/* Length of the leading "v" *WSP "=" *WSP "DMARC1" (RFC 7489 section 6.4
 * dmarc-version) when txt starts with it and a delimiter or the end
 * follows; 0 otherwise. */
static size_t version_prefix(const char *txt, size_t len)
{
	size_t i = 0;

	if (len < 1 || lower(txt[0]) != 'v')
		return 0;
	i = 1;
	while (i < len && is_wsp(txt[i]))
		i++;
	if (i == len || txt[i] != '=')
		return 0;
	i++;
	while (i < len && is_wsp(txt[i]))
		i++;
	if (len - i < VERSION_VALUE_LEN || memcmp(txt + i, VERSION_VALUE, VERSION_VALUE_LEN) != 0)
		return 0;
	i += VERSION_VALUE_LEN;
	if (i < len && txt[i] != ';' && !is_wsp(txt[i]))
		return 0;
	return i;
}

/* Why a record without the version prefix is not ours, or broken. */
static mc_status_t no_version(const char *txt, size_t len, char *err, size_t errsz)
{
	size_t pos = 0, idx = 0;

	for (;;) {
		const char *f = txt + pos;
		const char *semi = memchr(f, ';', len - pos);
		size_t n = semi ? (size_t)(semi - f) : len - pos;
		int kind = version_field(f, n);

		if (kind == 2) {
			snprintf(err, errsz, "the version is case-sensitive: v=DMARC1");
			return MC_E_PROTOCOL;
		}
		if (kind == 1 && idx == 0) {
			snprintf(err, errsz, "whitespace before v=DMARC1");
			return MC_E_PROTOCOL;
		}
		if (kind == 1) {
			snprintf(err, errsz, "v=DMARC1 must come first");
			return MC_E_PROTOCOL;
		}
		if (!semi)
			break;
		pos += n + 1;
		idx++;
	}
	snprintf(err, errsz, "not a DMARC record");
	return MC_E_AGAIN;
}

mc_status_t mc_dmarc_parse(const char *txt, size_t len, mc_dmarc_record_t *rec, char *err,
                           size_t errsz)
{
	struct tag seen[MC_DMARC_MAX_TAGS];
	size_t ntags = 1, pos, i;
	bool have_p = false;

	memset(rec, 0, sizeof(*rec));
	rec->pct = 100;
	rec->adkim = rec->aspf = 'r';
	rec->fo = MC_DMARC_FO_0;
	rec->ri = 86400;
	if (memchr(txt, '\0', len)) {
		snprintf(err, errsz, "NUL byte in the DMARC record");
		return MC_E_PROTOCOL;
	}
	/* Section 6.6.3: records that do not start with v=DMARC1 are
	 * discarded; one that has it elsewhere is broken, worth reporting. */
	pos = version_prefix(txt, len);
	if (pos == 0)
		return no_version(txt, len, err, errsz);
	seen[0].name = txt;
	seen[0].nlen = 1;
	while (pos < len && is_wsp(txt[pos]))
		pos++;
	if (pos < len && txt[pos] != ';') {
		char shown[QUOTE_MAX + 4];
		quote(shown, sizeof(shown), txt, len);
		snprintf(err, errsz, "no ';' after v=DMARC1 in '%s'", shown);
		return MC_E_PROTOCOL;
	}
	/* dmarc-sep = *WSP %x3b *WSP; one may end the record. */
	while (pos < len) {
		const char *f = txt + pos + 1; /* past the ';' */
		size_t rest = len - pos - 1;
		const char *semi = memchr(f, ';', rest);
		size_t n = semi ? (size_t)(semi - f) : rest;
		struct tag t;

		pos = semi ? (size_t)(semi - txt) : len;
		trim(&f, &n);
		if (n == 0) {
			if (!semi)
				break;
			snprintf(err, errsz, "empty tag (';;') in the DMARC record");
			return MC_E_PROTOCOL;
		}
		if (split_tag(f, n, &t, err, errsz) != MC_OK)
			return MC_E_PROTOCOL;
		/* RFC 6376 section 3.2, the tag-list DMARC uses: a duplicate
		 * tag makes the list invalid. */
		for (i = 0; i < ntags; i++) {
			if (seen[i].nlen == t.nlen && mc_str_ieq_n(seen[i].name, t.name, t.nlen))
				return tag_error(err, errsz, &t, "given twice");
		}
		if (ntags == MC_DMARC_MAX_TAGS) {
			snprintf(err, errsz, "more than %d tags in the DMARC record",
			         MC_DMARC_MAX_TAGS);
			return MC_E_PROTOCOL;
		}
		seen[ntags] = t;
		if (take_tag(&t, ntags, rec, err, errsz) != MC_OK)
			return MC_E_PROTOCOL;
		if (ieq(t.name, t.nlen, "p"))
			have_p = true;
		ntags++;
	}
	/* Section 6.3: p= is required for a policy record. */
	if (!have_p) {
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
	return !memchr(txt, '\0', len) && version_prefix(txt, len) > 0;
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
