#include "mc_dkim.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "util/mc_str.h"

/* Bytes of input quoted in an error message. */
#define QUOTE_MAX 40
/* Decoded p= (3 bytes per 4 characters). */
#define DER_MAX (MC_DKIM_P_MAX / 4 * 3)
#define ED25519_LEN 32

/* One tag of the list: name and value, FWS around both removed. */
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

/* Sanitized, cut to QUOTE_MAX bytes with "..." when longer. */
static void quote(char *dst, size_t dstsz, const char *s, size_t n)
{
	char *end;

	mc_str_sanitize(dst, dstsz, s, n > QUOTE_MAX ? QUOTE_MAX : n);
	end = dst + strlen(dst);
	if (n > QUOTE_MAX && (size_t)(end - dst) + 4 <= dstsz)
		memcpy(end, "...", 4);
}

/* Sanitized copy of s[0..n) filling dst, cut with "..." when longer. */
static void clip(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n < dstsz) {
		mc_str_sanitize(dst, dstsz, s, n);
		return;
	}
	mc_str_sanitize(dst, dstsz - 3, s, n);
	memcpy(dst + dstsz - 4, "...", 4);
}

static bool eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static bool ieq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && mc_str_ieq_n(lit, s, n);
}

/* Length of the folding whitespace at s[0..n): RFC 6376 section 2.8, FWS =
 * [*WSP CRLF] 1*WSP, repeated; a CRLF counts only when WSP follows. */
static size_t fws_len(const char *s, size_t n)
{
	size_t i = 0;

	for (;;) {
		while (i < n && is_wsp(s[i]))
			i++;
		if (i + 2 < n && s[i] == '\r' && s[i + 1] == '\n' && is_wsp(s[i + 2]))
			i += 2;
		else
			return i;
	}
}

/* Drop FWS at both ends of s[0..n). */
static void trim_fws(const char **s, size_t *n)
{
	size_t k = fws_len(*s, *n);

	*s += k;
	*n -= k;
	for (;;) {
		size_t m = *n;
		while (*n && is_wsp((*s)[*n - 1]))
			(*n)--;
		if (*n < m && *n >= 2 && (*s)[*n - 2] == '\r' && (*s)[*n - 1] == '\n')
			*n -= 2;
		else
			return;
	}
}

/* RFC 6376 section 3.2: tag-value = [ tval *( 1*(WSP / FWS) tval ) ],
 * tval = 1*VALCHAR, VALCHAR = %x21-3A / %x3C-7E. Returns the offset of the
 * first byte that breaks it, or n. */
static size_t bad_value_byte(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k;
		if (c >= 0x21 && c <= 0x7e && c != ';') {
			i++;
			continue;
		}
		k = fws_len(s + i, n - i);
		if (k == 0)
			return i;
		i += k;
	}
	return n;
}

/* RFC 6376 section 3.2: tag-name = ALPHA *ALNUMPUNC, ALNUMPUNC = ALPHA /
 * DIGIT / "_". */
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

/* RFC 6376 section 2.10: hyphenated-word = ALPHA [ *(ALPHA / DIGIT / "-")
 * (ALPHA / DIGIT) ]. */
static bool word_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || !is_alpha(s[0]) || s[n - 1] == '-')
		return false;
	for (i = 1; i < n; i++) {
		if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '-')
			return false;
	}
	return true;
}

static void tag_error(char *err, size_t errsz, const struct tag *t, const char *what)
{
	char name[QUOTE_MAX + 4];

	quote(name, sizeof(name), t->name, t->nlen);
	snprintf(err, errsz, "tag '%s' %s", name, what);
}

/* Visit the items of a colon-separated list (h=, s=, t=), FWS around each
 * item removed; an empty item or one that is not a word (or "*" when
 * star_ok) is an error. visit returns nothing: it records what it sees. */
typedef void (*item_fn)(mc_dkim_record_t *rec, const char *item, size_t n);

static mc_status_t each_item(const struct tag *t, bool star_ok, item_fn visit,
                             mc_dkim_record_t *rec, char *err, size_t errsz)
{
	const char *v = t->val;
	size_t rest = t->vlen;

	for (;;) {
		const char *colon = memchr(v, ':', rest);
		const char *item = v;
		size_t n = colon ? (size_t)(colon - v) : rest;
		trim_fws(&item, &n);
		if (!word_ok(item, n) && !(star_ok && eq(item, n, "*"))) {
			char shown[QUOTE_MAX + 4], what[QUOTE_MAX + 64];
			quote(shown, sizeof(shown), item, n);
			snprintf(what, sizeof(what), "has a malformed list item '%s'", shown);
			tag_error(err, errsz, t, what);
			return MC_E_PROTOCOL;
		}
		visit(rec, item, n);
		if (!colon)
			return MC_OK;
		rest -= (size_t)(colon - v) + 1;
		v = colon + 1;
	}
}

static void visit_hash(mc_dkim_record_t *rec, const char *item, size_t n)
{
	/* Section 3.6.1: unrecognized algorithms are ignored. */
	if (ieq(item, n, "sha256"))
		rec->sha256_ok = true;
	else if (ieq(item, n, "sha1"))
		rec->sha1_only = true; /* settled against sha256_ok at the end */
}

static void visit_service(mc_dkim_record_t *rec, const char *item, size_t n)
{
	if (eq(item, n, "*") || ieq(item, n, "email"))
		rec->service_email = true;
}

static void visit_flag(mc_dkim_record_t *rec, const char *item, size_t n)
{
	if (ieq(item, n, "y"))
		rec->testing = true;
	else if (ieq(item, n, "s"))
		rec->strict = true;
}

/* p= without its FWS; RFC 6376 section 3.6.1 allows whitespace anywhere in
 * base64string. The alphabet is checked when the key is decoded. */
static mc_status_t take_p(const struct tag *t, mc_dkim_record_t *rec, char *err, size_t errsz)
{
	size_t i;

	rec->plen = 0;
	for (i = 0; i < t->vlen; i++) {
		char c = t->val[i];
		if (is_wsp(c) || c == '\r' || c == '\n')
			continue; /* bad_value_byte let only FWS through */
		if (rec->plen == MC_DKIM_P_MAX) {
			snprintf(err, errsz, "p= is longer than %d base64 characters",
			         MC_DKIM_P_MAX);
			return MC_E_PROTOCOL;
		}
		rec->p[rec->plen++] = c;
	}
	rec->p[rec->plen] = '\0';
	rec->revoked = rec->plen == 0;
	return MC_OK;
}

static mc_status_t take_tag(const struct tag *t, size_t index, mc_dkim_record_t *rec, char *err,
                            size_t errsz)
{
	char shown[QUOTE_MAX + 4];

	if (eq(t->name, t->nlen, "v")) {
		/* Section 3.6.1: v= MUST be the first tag; a record whose v= is
		 * not DKIM1 MUST be discarded. */
		if (index != 0) {
			snprintf(err, errsz, "v= must be the first tag");
			return MC_E_PROTOCOL;
		}
		if (!eq(t->val, t->vlen, "DKIM1")) {
			quote(shown, sizeof(shown), t->val, t->vlen);
			snprintf(err, errsz, "v=%s is not DKIM1", shown);
			return MC_E_PROTOCOL;
		}
		rec->has_version = true;
		return MC_OK;
	}
	if (eq(t->name, t->nlen, "h")) {
		rec->h_given = true;
		rec->sha256_ok = false;
		rec->sha1_only = false;
		if (each_item(t, false, visit_hash, rec, err, errsz) != MC_OK)
			return MC_E_PROTOCOL;
		rec->sha1_only = rec->sha1_only && !rec->sha256_ok;
		return MC_OK;
	}
	if (eq(t->name, t->nlen, "k")) {
		if (!word_ok(t->val, t->vlen)) {
			quote(shown, sizeof(shown), t->val, t->vlen);
			snprintf(err, errsz, "k=%s is not a key type name", shown);
			return MC_E_PROTOCOL;
		}
		clip(rec->k_name, sizeof(rec->k_name), t->val, t->vlen);
		if (ieq(t->val, t->vlen, "rsa"))
			rec->k = MC_DKIM_KEY_RSA;
		else if (ieq(t->val, t->vlen, "ed25519"))
			rec->k = MC_DKIM_KEY_ED25519;
		else
			rec->k = MC_DKIM_KEY_OTHER;
		return MC_OK;
	}
	if (eq(t->name, t->nlen, "s")) {
		rec->service_email = false;
		clip(rec->services, sizeof(rec->services), t->val, t->vlen);
		return each_item(t, true, visit_service, rec, err, errsz);
	}
	if (eq(t->name, t->nlen, "t"))
		return each_item(t, false, visit_flag, rec, err, errsz);
	if (eq(t->name, t->nlen, "n")) {
		clip(rec->notes, sizeof(rec->notes), t->val, t->vlen);
		return MC_OK;
	}
	if (eq(t->name, t->nlen, "p"))
		return take_p(t, rec, err, errsz);
	return MC_OK; /* section 3.6.1: unknown tags are ignored */
}

/* Split one tag-spec (between two ';') into name and value. */
static mc_status_t split_tag(const char *s, size_t n, struct tag *t, char *err, size_t errsz)
{
	char shown[QUOTE_MAX + 4];
	const char *eqs;
	size_t bad;

	trim_fws(&s, &n);
	eqs = memchr(s, '=', n);
	quote(shown, sizeof(shown), s, n);
	if (!eqs) {
		snprintf(err, errsz, "tag '%s' has no '='", shown);
		return MC_E_PROTOCOL;
	}
	t->name = s;
	t->nlen = (size_t)(eqs - s);
	trim_fws(&t->name, &t->nlen);
	if (!tag_name_ok(t->name, t->nlen)) {
		snprintf(err, errsz, "malformed tag name in '%s'", shown);
		return MC_E_PROTOCOL;
	}
	t->val = eqs + 1;
	t->vlen = (size_t)(s + n - t->val);
	trim_fws(&t->val, &t->vlen);
	bad = bad_value_byte(t->val, t->vlen);
	if (bad < t->vlen) {
		char what[64];
		snprintf(what, sizeof(what), "has a bad byte 0x%02x in its value",
		         (unsigned char)t->val[bad]);
		tag_error(err, errsz, t, what);
		return MC_E_PROTOCOL;
	}
	return MC_OK;
}

mc_status_t mc_dkim_record_parse(const char *txt, size_t len, mc_dkim_record_t *rec, char *err,
                                 size_t errsz)
{
	struct tag seen[MC_DKIM_MAX_TAGS];
	size_t ntags = 0, pos = 0, i;
	bool have_p = false, end = false;

	memset(rec, 0, sizeof(*rec));
	rec->k = MC_DKIM_KEY_RSA;
	memcpy(rec->k_name, "rsa", 4);
	rec->sha256_ok = true;
	rec->service_email = true;
	if (memchr(txt, '\0', len)) {
		snprintf(err, errsz, "NUL byte in the DKIM record");
		return MC_E_PROTOCOL;
	}
	/* tag-list = tag-spec *( ";" tag-spec ) [ ";" ] */
	while (!end) {
		const char *s = txt + pos;
		const char *semi = memchr(s, ';', len - pos);
		size_t n = semi ? (size_t)(semi - s) : len - pos;
		struct tag t;

		end = semi == NULL;
		pos += n + 1;
		if (fws_len(s, n) == n) {
			if (end && ntags > 0)
				break; /* the optional trailing ';' */
			snprintf(err, errsz,
			         ntags == 0 && end ? "empty DKIM record"
			                           : "empty tag (';;') in the DKIM record");
			return MC_E_PROTOCOL;
		}
		if (split_tag(s, n, &t, err, errsz) != MC_OK)
			return MC_E_PROTOCOL;
		/* Section 3.2: a tag given twice makes the whole list invalid. */
		for (i = 0; i < ntags; i++) {
			if (seen[i].nlen == t.nlen && memcmp(seen[i].name, t.name, t.nlen) == 0) {
				tag_error(err, errsz, &t, "given twice");
				return MC_E_PROTOCOL;
			}
		}
		if (ntags == MC_DKIM_MAX_TAGS) {
			snprintf(err, errsz, "more than %d tags in the DKIM record",
			         MC_DKIM_MAX_TAGS);
			return MC_E_PROTOCOL;
		}
		seen[ntags] = t;
		if (take_tag(&t, ntags, rec, err, errsz) != MC_OK)
			return MC_E_PROTOCOL;
		ntags++;
		if (eq(t.name, t.nlen, "p"))
			have_p = true;
	}
	if (!have_p) {
		for (i = 0; i < ntags; i++) {
			if (eq(seen[i].name, seen[i].nlen, "P")) {
				snprintf(err, errsz,
				         "no p= tag (tag names are case-sensitive: P= is not p=)");
				return MC_E_PROTOCOL;
			}
		}
		snprintf(err, errsz, "no p= tag");
		return MC_E_PROTOCOL;
	}
	return MC_OK;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* RFC 6376 section 3.6.1 points at base64 of RFC 2045 section 6.8: groups
 * of 4 characters, '=' only as padding of the last group. */
static mc_status_t unbase64(const char *in, size_t n, unsigned char *out, size_t *outlen, char *err,
                            size_t errsz)
{
	size_t i, o = 0, pad = 0;
	unsigned long acc = 0;

	if (n % 4 != 0) {
		snprintf(err, errsz, "p= is %zu base64 characters, not a multiple of 4", n);
		return MC_E_PROTOCOL;
	}
	while (pad < 2 && pad < n && in[n - 1 - pad] == '=')
		pad++;
	for (i = 0; i < n; i++) {
		int v = i < n - pad ? b64_value(in[i]) : 0;
		if (v < 0 && in[i] == '=') {
			snprintf(err, errsz,
			         "p= has '=' before its last two characters (offset %zu)", i);
			return MC_E_PROTOCOL;
		}
		if (v < 0) {
			char shown[8];
			quote(shown, sizeof(shown), in + i, 1);
			snprintf(err, errsz,
			         "p= has a character that is not base64 ('%s' at offset %zu)",
			         shown, i);
			return MC_E_PROTOCOL;
		}
		acc = (acc << 6) | (unsigned long)v;
		if (i % 4 == 3) {
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			acc = 0;
		}
	}
	*outlen = o - pad;
	return MC_OK;
}

static void openssl_reason(char *dst, size_t dstsz)
{
	unsigned long e = ERR_peek_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	mc_str_sanitize(dst, dstsz, r ? r : "unknown error", strlen(r ? r : "unknown error"));
}

/* The modulus must be positive, the exponent odd and above 1: a key
 * OpenSSL parses but no signature could verify against is reported. */
static mc_status_t rsa_sane(const EVP_PKEY *pk, char *err, size_t errsz)
{
	BIGNUM *n = NULL, *e = NULL;
	mc_status_t st = MC_OK;

	if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) ||
	    !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e)) {
		snprintf(err, errsz, "RSA key without modulus or exponent");
		st = MC_E_PROTOCOL;
	} else if (BN_is_negative(n) || BN_is_zero(n)) {
		snprintf(err, errsz, "RSA modulus is not positive");
		st = MC_E_PROTOCOL;
	} else if (BN_is_negative(e) || !BN_is_odd(e) || BN_is_one(e)) {
		snprintf(err, errsz, "RSA exponent is not an odd number above 1");
		st = MC_E_PROTOCOL;
	}
	BN_free(n);
	BN_free(e);
	return st;
}

static mc_status_t load_rsa(const unsigned char *der, size_t len, mc_dkim_key_t *key, char *err,
                            size_t errsz)
{
	const unsigned char *q = der;
	EVP_PKEY *pk = d2i_PUBKEY(NULL, &q, (long)len);
	mc_status_t st;

	if (pk && q != der + len) {
		snprintf(err, errsz, "%zu bytes after the key in p=", (size_t)(der + len - q));
		EVP_PKEY_free(pk);
		return MC_E_PROTOCOL;
	}
	if (pk && EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA) {
		const char *name = EVP_PKEY_get0_type_name(pk);
		char shown[32];
		mc_str_sanitize(shown, sizeof(shown), name ? name : "non-RSA",
		                strlen(name ? name : "non-RSA"));
		snprintf(err, errsz, "k=rsa but p= holds a key of type %s", shown);
		EVP_PKEY_free(pk);
		return MC_E_PROTOCOL;
	}
	if (!pk) {
		char reason[80];
		openssl_reason(reason, sizeof(reason));
		ERR_clear_error();
		/* Some publishers put the PKCS#1 RSAPublicKey itself in p=,
		 * without the SubjectPublicKeyInfo around it. */
		q = der;
		pk = d2i_PublicKey(EVP_PKEY_RSA, NULL, &q, (long)len);
		if (!pk) {
			snprintf(err, errsz,
			         "p= is not a DER SubjectPublicKeyInfo nor an RSAPublicKey (%s)",
			         reason);
			return MC_E_PROTOCOL;
		}
		if (q != der + len) {
			snprintf(err, errsz,
			         "%zu bytes after the key in p=", (size_t)(der + len - q));
			EVP_PKEY_free(pk);
			return MC_E_PROTOCOL;
		}
		key->rsa_bare = true;
	}
	st = rsa_sane(pk, err, errsz);
	if (st == MC_OK) {
		key->bits = EVP_PKEY_get_bits(pk);
		key->security_bits = EVP_PKEY_get_security_bits(pk);
	}
	EVP_PKEY_free(pk);
	return st;
}

static mc_status_t load_ed25519(const unsigned char *der, size_t len, mc_dkim_key_t *key, char *err,
                                size_t errsz)
{
	EVP_PKEY *pk;

	if (len != ED25519_LEN) {
		const unsigned char *q = der;
		EVP_PKEY *spki = d2i_PUBKEY(NULL, &q, (long)len);
		/* RFC 8463 section 4.2: p= is the raw key, unlike RSA's. */
		bool is_spki =
		    spki && q == der + len && EVP_PKEY_get_base_id(spki) == EVP_PKEY_ED25519;
		EVP_PKEY_free(spki);
		snprintf(err, errsz, "Ed25519 key is %zu bytes, not %d%s", len, ED25519_LEN,
		         is_spki ? " (a SubjectPublicKeyInfo: RFC 8463 wants the raw key)" : "");
		return MC_E_PROTOCOL;
	}
	pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, der, len);
	if (!pk) {
		char reason[80];
		openssl_reason(reason, sizeof(reason));
		snprintf(err, errsz, "Ed25519 key not loaded (%s)", reason);
		return MC_E_PROTOCOL;
	}
	key->bits = EVP_PKEY_get_bits(pk);
	key->security_bits = EVP_PKEY_get_security_bits(pk);
	EVP_PKEY_free(pk);
	return MC_OK;
}

mc_status_t mc_dkim_key_check(const mc_dkim_record_t *rec, mc_dkim_key_t *key, char *err,
                              size_t errsz)
{
	unsigned char der[DER_MAX];
	size_t len;
	mc_status_t st;

	memset(key, 0, sizeof(*key));
	key->type = rec->k;
	if (rec->revoked) {
		snprintf(err, errsz, "key revoked (empty p=)");
		return MC_E_PROTOCOL;
	}
	if (rec->k == MC_DKIM_KEY_OTHER) {
		snprintf(err, errsz, "key type k=%s is not supported (rsa or ed25519)",
		         rec->k_name);
		return MC_E_PROTOCOL;
	}
	if (rec->plen > MC_DKIM_P_MAX) {
		snprintf(err, errsz, "p= is longer than %d base64 characters", MC_DKIM_P_MAX);
		return MC_E_PROTOCOL;
	}
	st = unbase64(rec->p, rec->plen, der, &len, err, errsz);
	if (st != MC_OK)
		return st;
	if (rec->k == MC_DKIM_KEY_ED25519)
		st = load_ed25519(der, len, key, err, errsz);
	else
		st = load_rsa(der, len, key, err, errsz);
	ERR_clear_error();
	return st;
}

const char *mc_dkim_key_type_str(mc_dkim_key_type_t type)
{
	switch (type) {
	case MC_DKIM_KEY_RSA: return "rsa";
	case MC_DKIM_KEY_ED25519: return "ed25519";
	case MC_DKIM_KEY_OTHER: return "other";
	}
	return "unknown";
}
