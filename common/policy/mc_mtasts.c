#include "mc_mtasts.h"

#include <stdio.h>
#include <string.h>

#include "mc_taglist.h"
#include "util/mc_ascii.h"
#include "util/mc_str.h"

#define MAX_AGE_MAX 31557600L

/* RFC 8461 section 3.1: sts-text-record = sts-version 1*(sts-field-delim
 * sts-field) [sts-field-delim], sts-version = %s"v=STSv1", sts-field-delim
 * = *WSP ";" *WSP, fields name=value exactly; an extension field may
 * repeat, the version may not. */
static const mc_taglist_syntax_t sts_fields = {
    .ws = MC_TAGLIST_WSP,
    .names = MC_TAGLIST_EXT_NAMES,
    .exact_fields = true,
    .own_values = (const char *const[]){"id", NULL},
    .version = "STSv1",
    .dups = MC_TAGLIST_DUPS_VERSION,
    .msg =
        {
            .nul = "NUL byte in the MTA-STS record",
            .not_ours = "not an MTA-STS record",
            .version_ws = "whitespace before v=STSv1",
            .version_late = "v=STSv1 must come first",
            .no_delim = "no ';' after v=STSv1 in '%s'",
            .empty_tag = "empty field (';;') in the MTA-STS record",
            .no_equals = "field '%s' is not name=value",
            .bad_name = "field '%s' has a malformed name",
            .bad_field = "field '%s' has a malformed value",
            .twice = "v= given twice",
        },
};

static bool id_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > 32)
		return false;
	for (i = 0; i < n; i++) {
		if (!mc_ascii_is_alnum(s[i]))
			return false;
	}
	return true;
}

/* sts-id = 1*32(ALPHA / DIGIT), once. */
static mc_status_t take_field(void *ctx, const mc_taglist_tag_t *t, size_t index, char *err,
                              size_t errsz)
{
	mc_sts_record_t *rec = ctx;
	char shown[MC_STR_QUOTE_SIZE];

	(void)index;
	if (mc_str_eq_lit(t->name, t->nlen, "id")) {
		if (rec->id[0]) {
			snprintf(err, errsz, "id= given twice");
			return MC_E_PROTOCOL;
		}
		if (!id_ok(t->val, t->vlen)) {
			mc_str_quote(shown, sizeof(shown), t->val, t->vlen);
			snprintf(err, errsz, "id '%s' is not 1-32 letters and digits", shown);
			return MC_E_PROTOCOL;
		}
		memcpy(rec->id, t->val, t->vlen);
		rec->id[t->vlen] = '\0';
	}
	return MC_OK; /* section 3.1: extension fields are ignored */
}

mc_status_t mc_sts_record_parse(const char *txt, size_t len, mc_sts_record_t *rec, char *err,
                                size_t errsz)
{
	mc_status_t st;

	memset(rec, 0, sizeof(*rec));
	/* Section 3.1: records that do not begin with "v=STSv1;" are not ours
	 * (MC_E_AGAIN), but one that has the version field elsewhere is a
	 * broken STS record that senders would discard, worth reporting. */
	st = mc_taglist_parse(txt, len, &sts_fields, take_field, rec, err, errsz);
	if (st == MC_OK && !rec->id[0]) {
		snprintf(err, errsz, "no id= field");
		return MC_E_PROTOCOL;
	}
	return st;
}

const char *mc_sts_mode_str(mc_sts_mode_t mode)
{
	switch (mode) {
	case MC_STS_MODE_NONE: return "none";
	case MC_STS_MODE_TESTING: return "testing";
	case MC_STS_MODE_ENFORCE: return "enforce";
	}
	return "unknown";
}

/* RFC 5321 Domain: sub-domain *("." sub-domain), sub-domain = Let-dig
 * [Ldh-str]; labels of 1-63 bytes (RFC 1035), 253 in all. */
static bool domain_ok(const char *s, size_t n)
{
	size_t i, label = 0;

	if (n < 1 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!mc_ascii_is_alnum(s[i]) && (s[i] != '-' || label == 0))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && s[n - 1] != '-';
}

/* Section 3.2: sts-policy-mx-value = ["*."] Domain. */
static bool mx_pattern_ok(const char *s, size_t n)
{
	if (n >= 2 && s[0] == '*' && s[1] == '.')
		return domain_ok(s + 2, n - 2);
	return domain_ok(s, n);
}

enum { KEY_VERSION, KEY_MODE, KEY_MAX_AGE, KEY_COUNT };

static mc_status_t policy_field(mc_sts_policy_t *pol, size_t lineno, const char *key, size_t klen,
                                const char *val, size_t vlen, size_t seen[KEY_COUNT], char *err,
                                size_t errsz)
{
	static const char *const names[KEY_COUNT] = {"version", "mode", "max_age"};
	char shown[MC_STR_QUOTE_SIZE];
	int k;

	mc_str_quote(shown, sizeof(shown), val, vlen);
	if (mc_str_eq_lit(key, klen, "mx")) {
		if (!mx_pattern_ok(val, vlen)) {
			snprintf(err, errsz, "line %zu: mx '%s' is not a host name or *.name",
			         lineno, shown);
			return MC_E_PROTOCOL;
		}
		if (pol->nmx == MC_STS_MAX_MX) {
			snprintf(err, errsz, "line %zu: more than %d mx lines", lineno,
			         MC_STS_MAX_MX);
			return MC_E_PROTOCOL;
		}
		memcpy(pol->mx[pol->nmx], val, vlen);
		pol->mx[pol->nmx][vlen] = '\0';
		pol->nmx++;
		return MC_OK;
	}
	for (k = 0; k < KEY_COUNT; k++) {
		if (mc_str_eq_lit(key, klen, names[k]))
			break;
	}
	if (k == KEY_COUNT)
		return MC_OK; /* section 3.2: extension fields are ignored */
	if (seen[k]) {
		snprintf(err, errsz, "line %zu: %s given twice (first on line %zu)", lineno,
		         names[k], seen[k]);
		return MC_E_PROTOCOL;
	}
	seen[k] = lineno;
	switch (k) {
	case KEY_VERSION:
		if (!mc_str_eq_lit(val, vlen, "STSv1")) {
			snprintf(err, errsz, "line %zu: version '%s' is not STSv1", lineno, shown);
			return MC_E_PROTOCOL;
		}
		break;
	case KEY_MODE:
		if (mc_str_eq_lit(val, vlen, "enforce")) {
			pol->mode = MC_STS_MODE_ENFORCE;
		} else if (mc_str_eq_lit(val, vlen, "testing")) {
			pol->mode = MC_STS_MODE_TESTING;
		} else if (mc_str_eq_lit(val, vlen, "none")) {
			pol->mode = MC_STS_MODE_NONE;
		} else {
			snprintf(err, errsz, "line %zu: mode '%s' is not enforce, testing or none",
			         lineno, shown);
			return MC_E_PROTOCOL;
		}
		break;
	default: {
		/* sts-policy-max-age-value = 1*10(DIGIT); the upper bound is
		 * section 3.2's "up to 31557600". */
		char num[11];
		size_t i;
		bool digits = vlen >= 1 && vlen <= 10;

		for (i = 0; digits && i < vlen; i++)
			digits = val[i] >= '0' && val[i] <= '9';
		if (digits) {
			memcpy(num, val, vlen);
			num[vlen] = '\0';
		}
		if (!digits || mc_parse_long(num, 0, MAX_AGE_MAX, &pol->max_age) != MC_OK) {
			snprintf(err, errsz, "line %zu: max_age '%s' is not 0-%ld seconds", lineno,
			         shown, MAX_AGE_MAX);
			return MC_E_PROTOCOL;
		}
		break;
	}
	}
	return MC_OK;
}

mc_status_t mc_sts_policy_parse(const char *text, size_t len, mc_sts_policy_t *pol, char *err,
                                size_t errsz)
{
	size_t seen[KEY_COUNT] = {0, 0, 0};
	size_t pos = 0, lineno = 0;

	memset(pol, 0, sizeof(*pol));
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		const char *colon, *val;
		size_t i, klen, vlen;
		mc_status_t st;

		lineno++;
		pos += ll + (nl ? 1 : 0);
		/* sts-policy-term = LF / CRLF */
		if (nl && ll && line[ll - 1] == '\r')
			ll--;
		for (i = 0; i < ll; i++) {
			unsigned char c = (unsigned char)line[i];
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				snprintf(err, errsz, "line %zu: control byte 0x%02x", lineno, c);
				return MC_E_PROTOCOL;
			}
		}
		for (i = 0; i < ll && mc_ascii_is_wsp(line[i]); i++)
			;
		if (i == ll)
			continue; /* blank line */
		colon = memchr(line, ':', ll);
		if (!colon) {
			char shown[MC_STR_QUOTE_SIZE];
			mc_str_quote(shown, sizeof(shown), line, ll);
			snprintf(err, errsz, "line %zu: no ':' in '%s'", lineno, shown);
			return MC_E_PROTOCOL;
		}
		klen = (size_t)(colon - line);
		if (!mc_taglist_name_ok(MC_TAGLIST_EXT_NAMES, line, klen)) {
			char shown[MC_STR_QUOTE_SIZE];
			mc_str_quote(shown, sizeof(shown), line, klen);
			snprintf(err, errsz, "line %zu: key '%s' is not a field name", lineno,
			         shown);
			return MC_E_PROTOCOL;
		}
		val = colon + 1;
		vlen = ll - klen - 1;
		mc_taglist_trim(MC_TAGLIST_WSP, &val, &vlen);
		st = policy_field(pol, lineno, line, klen, val, vlen, seen, err, errsz);
		if (st != MC_OK)
			return st;
	}
	if (!seen[KEY_VERSION]) {
		snprintf(err, errsz, "no version: line");
		return MC_E_PROTOCOL;
	}
	if (!seen[KEY_MODE]) {
		snprintf(err, errsz, "no mode: line");
		return MC_E_PROTOCOL;
	}
	if (!seen[KEY_MAX_AGE]) {
		snprintf(err, errsz, "no max_age: line");
		return MC_E_PROTOCOL;
	}
	if (pol->mode != MC_STS_MODE_NONE && pol->nmx == 0) {
		snprintf(err, errsz, "mode %s without any mx: line", mc_sts_mode_str(pol->mode));
		return MC_E_PROTOCOL;
	}
	return MC_OK;
}

bool mc_sts_mx_match(const char *pattern, const char *host)
{
	size_t plen = strlen(pattern), hlen = strlen(host);

	if (hlen && host[hlen - 1] == '.')
		hlen--;
	if (hlen == 0)
		return false;
	/* Section 4.1: a wildcard stands for exactly one leftmost label. */
	if (plen >= 2 && pattern[0] == '*' && pattern[1] == '.') {
		const char *suffix = pattern + 1; /* ".example.com" */
		size_t slen = plen - 1;
		if (slen < 2 || hlen <= slen)
			return false;
		if (!mc_str_ieq_n(suffix, host + hlen - slen, slen))
			return false;
		return memchr(host, '.', hlen - slen) == NULL;
	}
	return plen == hlen && mc_str_ieq_n(pattern, host, hlen);
}

int mc_sts_policy_match(const mc_sts_policy_t *pol, const char *host)
{
	size_t i;

	for (i = 0; i < pol->nmx && i < MC_STS_MAX_MX; i++) {
		if (mc_sts_mx_match(pol->mx[i], host))
			return (int)i;
	}
	return -1;
}
