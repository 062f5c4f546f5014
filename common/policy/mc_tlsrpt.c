#include "mc_tlsrpt.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/mc_str.h"

#define VERSION_FIELD "v=TLSRPTv1"
#define VERSION_LEN (sizeof(VERSION_FIELD) - 1)
/* Longest URI that fits rua[i] with its NUL. */
#define URI_MAX (sizeof(((mc_tlsrpt_record_t *)0)->rua[0]) - 1)
/* Bytes of input quoted in an error message. */
#define QUOTE_MAX 40

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
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

static bool eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
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

/* RFC 8460 section 3: tlsrpt-ext-name = (ALPHA / DIGIT)
 * *31(ALPHA / DIGIT / "_" / "-" / "."). */
static bool name_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > 32 || !is_alnum(s[0]))
		return false;
	for (i = 1; i < n; i++) {
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return false;
	}
	return true;
}

/* tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E). */
static bool ext_value_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x21 || c > 0x7e || c == ';' || c == '=')
			return false;
	}
	return true;
}

/* RFC 3986 URI characters (unreserved, gen-delims, sub-delims, '%'), less
 * the ',', ';' and '!' that RFC 8460 section 3 says MUST be encoded. */
static bool uri_char_ok(char c)
{
	return is_alnum(c) || (c != '\0' && strchr("-._~:/?#[]@$&'()*+=%", c) != NULL);
}

static bool prefix_ieq(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	return n >= l && mc_str_ieq_n(lit, s, l);
}

static mc_status_t check_uri(const char *u, size_t n, char *err, size_t errsz)
{
	char shown[QUOTE_MAX + 4];
	const char *at;
	size_t i;

	quote(shown, sizeof(shown), u, n);
	if (memchr(u, '!', n)) {
		snprintf(err, errsz, "rua URI '%s' contains '!' (no size limits in TLS-RPT)",
		         shown);
		return MC_E_PROTOCOL;
	}
	for (i = 0; i < n; i++) {
		if (!uri_char_ok(u[i])) {
			snprintf(err, errsz, "rua URI '%s' has a character that must be encoded",
			         shown);
			return MC_E_PROTOCOL;
		}
	}
	if (n > URI_MAX) {
		snprintf(err, errsz, "rua URI '%s' is longer than %zu bytes", shown, URI_MAX);
		return MC_E_PROTOCOL;
	}
	/* Section 3: "mailto:" (reports by mail) or "https:" (HTTP POST). */
	if (prefix_ieq(u, n, "mailto:")) {
		const char *addr = u + 7;
		size_t alen = n - 7;
		at = memchr(addr, '@', alen);
		if (!at || at == addr || at == u + n - 1) {
			snprintf(err, errsz, "rua URI '%s' is not mailto:user@domain", shown);
			return MC_E_PROTOCOL;
		}
		return MC_OK;
	}
	if (prefix_ieq(u, n, "https://")) {
		if (n == 8 || u[8] == '/') {
			snprintf(err, errsz, "rua URI '%s' has no host", shown);
			return MC_E_PROTOCOL;
		}
		return MC_OK;
	}
	snprintf(err, errsz, "rua URI '%s' is not mailto: or https://", shown);
	return MC_E_PROTOCOL;
}

/* tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri) */
static mc_status_t parse_rua(const char *v, size_t vlen, mc_tlsrpt_record_t *rec, char *err,
                             size_t errsz)
{
	size_t pos = 0;

	for (;;) {
		const char *u = v + pos;
		const char *comma = memchr(u, ',', vlen - pos);
		size_t n = comma ? (size_t)(comma - u) : vlen - pos;
		mc_status_t st;

		trim(&u, &n);
		if (n == 0) {
			snprintf(err, errsz, "empty URI in rua=");
			return MC_E_PROTOCOL;
		}
		if (rec->nrua == MC_TLSRPT_MAX_RUA) {
			snprintf(err, errsz, "more than %d URIs in rua=", MC_TLSRPT_MAX_RUA);
			return MC_E_PROTOCOL;
		}
		st = check_uri(u, n, err, errsz);
		if (st != MC_OK)
			return st;
		memcpy(rec->rua[rec->nrua], u, n);
		rec->rua[rec->nrua][n] = '\0';
		rec->nrua++;
		if (!comma)
			return MC_OK;
		pos = (size_t)(comma - v) + 1;
	}
}

/* Index of the first field that is exactly v=TLSRPTv1 (WSP around it
 * ignored), or -1. */
static long find_version_field(const char *txt, size_t len)
{
	size_t pos = 0;
	long idx = 0;

	while (pos <= len) {
		const char *f = txt + pos;
		const char *semi = memchr(f, ';', len - pos);
		size_t n = semi ? (size_t)(semi - f) : len - pos;
		trim(&f, &n);
		if (eq(f, n, VERSION_FIELD))
			return idx;
		if (!semi)
			break;
		pos = (size_t)(semi - txt) + 1;
		idx++;
	}
	return -1;
}

mc_status_t mc_tlsrpt_parse(const char *txt, size_t len, mc_tlsrpt_record_t *rec, char *err,
                            size_t errsz)
{
	char shown[QUOTE_MAX + 4];
	size_t pos;
	bool have_rua = false;

	memset(rec, 0, sizeof(*rec));
	if (memchr(txt, '\0', len)) {
		snprintf(err, errsz, "NUL byte in the TLS-RPT record");
		return MC_E_PROTOCOL;
	}
	/* Section 3: records that do not begin with "v=TLSRPTv1;" are
	 * discarded; one with the version field elsewhere is a broken TLS-RPT
	 * record, worth reporting. */
	if (len < VERSION_LEN || memcmp(txt, VERSION_FIELD, VERSION_LEN) != 0 ||
	    (len > VERSION_LEN && txt[VERSION_LEN] != ';' && !is_wsp(txt[VERSION_LEN]))) {
		long idx = find_version_field(txt, len);
		if (idx == 0) {
			snprintf(err, errsz, "whitespace before v=TLSRPTv1");
			return MC_E_PROTOCOL;
		}
		if (idx > 0) {
			snprintf(err, errsz, "v=TLSRPTv1 must come first");
			return MC_E_PROTOCOL;
		}
		snprintf(err, errsz, "not a TLS-RPT record");
		return MC_E_AGAIN;
	}
	/* tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field)
	 * [field-delim], field-delim = *WSP ";" *WSP. */
	pos = VERSION_LEN;
	while (pos < len && is_wsp(txt[pos]))
		pos++;
	if (pos < len && txt[pos] != ';') {
		quote(shown, sizeof(shown), txt, len);
		snprintf(err, errsz, "no ';' after v=TLSRPTv1 in '%s'", shown);
		return MC_E_PROTOCOL;
	}
	while (pos < len) {
		const char *f = txt + pos + 1; /* past the ';' */
		size_t rest = len - pos - 1;
		const char *semi = memchr(f, ';', rest);
		size_t n = semi ? (size_t)(semi - f) : rest;
		const char *eqs, *val;
		size_t nlen, vlen;

		pos = semi ? (size_t)(semi - txt) : len;
		trim(&f, &n);
		if (n == 0) {
			if (!semi)
				break; /* the optional trailing delimiter */
			snprintf(err, errsz, "empty field (';;') in the TLS-RPT record");
			return MC_E_PROTOCOL;
		}
		quote(shown, sizeof(shown), f, n);
		eqs = memchr(f, '=', n);
		if (!eqs) {
			snprintf(err, errsz, "field '%s' is not name=value", shown);
			return MC_E_PROTOCOL;
		}
		nlen = (size_t)(eqs - f);
		val = eqs + 1;
		vlen = n - nlen - 1;
		if (!name_ok(f, nlen)) {
			snprintf(err, errsz, "field '%s' has a malformed name", shown);
			return MC_E_PROTOCOL;
		}
		if (eq(f, nlen, "v")) {
			snprintf(err, errsz, "v= given twice");
			return MC_E_PROTOCOL;
		}
		if (eq(f, nlen, "rua")) {
			mc_status_t st;
			if (have_rua) {
				snprintf(err, errsz, "rua= given twice");
				return MC_E_PROTOCOL;
			}
			st = parse_rua(val, vlen, rec, err, errsz);
			if (st != MC_OK)
				return st;
			have_rua = true;
		} else if (!ext_value_ok(val, vlen)) {
			snprintf(err, errsz, "field '%s' has a malformed value", shown);
			return MC_E_PROTOCOL;
		}
	}
	if (!have_rua) {
		snprintf(err, errsz, "no rua= field");
		return MC_E_PROTOCOL;
	}
	return MC_OK;
}
