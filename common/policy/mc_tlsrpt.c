#include "mc_tlsrpt.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mc_taglist.h"
#include "util/mc_ascii.h"
#include "util/mc_str.h"

/* Longest URI that fits rua[i] with its NUL. */
#define URI_MAX (sizeof(((mc_tlsrpt_record_t *)0)->rua[0]) - 1)

/* RFC 8460 section 3: tlsrpt-record = tlsrpt-version 1*(field-delim
 * tlsrpt-field) [field-delim], tlsrpt-version = %s"v=TLSRPTv1",
 * field-delim = *WSP ";" *WSP, fields name=value exactly; an extension
 * field may repeat, the version may not. */
static const mc_taglist_syntax_t tlsrpt_fields = {
    .ws = MC_TAGLIST_WSP,
    .names = MC_TAGLIST_EXT_NAMES,
    .exact_fields = true,
    .own_values = (const char *const[]){"rua", NULL},
    .version = "TLSRPTv1",
    .dups = MC_TAGLIST_DUPS_VERSION,
    .msg =
        {
            .nul = "NUL byte in the TLS-RPT record",
            .not_ours = "not a TLS-RPT record",
            .version_ws = "whitespace before v=TLSRPTv1",
            .version_late = "v=TLSRPTv1 must come first",
            .no_delim = "no ';' after v=TLSRPTv1 in '%s'",
            .empty_tag = "empty field (';;') in the TLS-RPT record",
            .no_equals = "field '%s' is not name=value",
            .bad_name = "field '%s' has a malformed name",
            .bad_field = "field '%s' has a malformed value",
            .twice = "v= given twice",
        },
};

/* RFC 3986 URI characters (unreserved, gen-delims, sub-delims, '%'), less
 * the ',', ';' and '!' that RFC 8460 section 3 says MUST be encoded. */
static bool uri_char_ok(char c)
{
	return mc_ascii_is_alnum(c) || (c != '\0' && strchr("-._~:/?#[]@$&'()*+=%", c) != NULL);
}

static bool prefix_ieq(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	return n >= l && mc_str_ieq_n(lit, s, l);
}

static mc_status_t check_uri(const char *u, size_t n, char *err, size_t errsz)
{
	char shown[MC_STR_QUOTE_SIZE];
	const char *at;
	size_t i;

	mc_str_quote(shown, sizeof(shown), u, n);
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
static mc_status_t parse_rua(const mc_taglist_tag_t *t, mc_tlsrpt_record_t *rec, char *err,
                             size_t errsz)
{
	mc_taglist_items_t it;
	const char *u;
	size_t n;

	mc_taglist_items_init(&it, t, ',', &tlsrpt_fields);
	while (mc_taglist_items_next(&it, &u, &n)) {
		mc_status_t st;

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
	}
	return MC_OK;
}

/* rua= once. */
static mc_status_t take_field(void *ctx, const mc_taglist_tag_t *t, size_t index, char *err,
                              size_t errsz)
{
	mc_tlsrpt_record_t *rec = ctx;

	(void)index;
	if (mc_str_eq_lit(t->name, t->nlen, "rua")) {
		if (rec->nrua > 0) {
			snprintf(err, errsz, "rua= given twice");
			return MC_E_PROTOCOL;
		}
		return parse_rua(t, rec, err, errsz);
	}
	return MC_OK; /* extension fields are ignored */
}

mc_status_t mc_tlsrpt_parse(const char *txt, size_t len, mc_tlsrpt_record_t *rec, char *err,
                            size_t errsz)
{
	mc_status_t st;

	memset(rec, 0, sizeof(*rec));
	/* Section 3: records that do not begin with "v=TLSRPTv1;" are
	 * discarded (MC_E_AGAIN); one with the version field elsewhere is a
	 * broken TLS-RPT record, worth reporting. */
	st = mc_taglist_parse(txt, len, &tlsrpt_fields, take_field, rec, err, errsz);
	if (st == MC_OK && rec->nrua == 0) {
		snprintf(err, errsz, "no rua= field");
		return MC_E_PROTOCOL;
	}
	return st;
}
