#include "mc_dkim.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "mc_taglist.h"
#include "util/mc_ascii.h"
#include "util/mc_base64.h"
#include "util/mc_str.h"

/* Decoded p= (3 bytes per 4 characters). */
#define DER_MAX (MC_DKIM_P_MAX / 4 * 3)
#define ED25519_LEN 32

/* RFC 6376 section 3.2: the tag list, FWS allowed around tags, '=' and
 * inside values; tag names are case-sensitive, none may repeat. */
static const mc_taglist_syntax_t dkim_tags = {
    .ws = MC_TAGLIST_FWS,
    .names = MC_TAGLIST_TAG_NAMES,
    .dups = MC_TAGLIST_DUPS_EXACT,
    .max_tags = MC_DKIM_MAX_TAGS,
    .msg =
        {
            .nul = "NUL byte in the DKIM record",
            .empty = "empty DKIM record",
            .empty_tag = "empty tag (';;') in the DKIM record",
            .no_equals = "tag '%s' has no '='",
            .bad_name = "malformed tag name in '%s'",
            .bad_value = "tag '%s' has a bad byte 0x%02x in its value",
            .twice = "tag '%s' given twice",
            .too_many = "more than %d tags in the DKIM record",
        },
};

/* What the parse has seen beyond the record's fields. */
struct parse_ctx {
	mc_dkim_record_t *rec;
	bool have_p;
	bool have_upper_p; /* "P=", a common mistake worth naming */
};

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

/* RFC 6376 section 2.10: hyphenated-word = ALPHA [ *(ALPHA / DIGIT / "-")
 * (ALPHA / DIGIT) ]. */
static bool word_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || !mc_ascii_is_alpha(s[0]) || s[n - 1] == '-')
		return false;
	for (i = 1; i < n; i++) {
		if (!mc_ascii_is_alnum(s[i]) && s[i] != '-')
			return false;
	}
	return true;
}

static void tag_error(char *err, size_t errsz, const mc_taglist_tag_t *t, const char *what)
{
	char name[MC_STR_QUOTE_SIZE];

	mc_str_quote(name, sizeof(name), t->name, t->nlen);
	snprintf(err, errsz, "tag '%s' %s", name, what);
}

/* Visit the items of a colon-separated list (h=, s=, t=), FWS around each
 * item removed; an empty item or one that is not a word (or "*" when
 * star_ok) is an error. visit returns nothing: it records what it sees. */
typedef void (*item_fn)(mc_dkim_record_t *rec, const char *item, size_t n);

static mc_status_t each_item(const mc_taglist_tag_t *t, bool star_ok, item_fn visit,
                             mc_dkim_record_t *rec, char *err, size_t errsz)
{
	mc_taglist_items_t it;
	const char *item;
	size_t n;

	mc_taglist_items_init(&it, t, ':', &dkim_tags);
	while (mc_taglist_items_next(&it, &item, &n)) {
		if (!word_ok(item, n) && !(star_ok && mc_str_eq_lit(item, n, "*"))) {
			char shown[MC_STR_QUOTE_SIZE], what[MC_STR_QUOTE_SIZE + 60];
			mc_str_quote(shown, sizeof(shown), item, n);
			snprintf(what, sizeof(what), "has a malformed list item '%s'", shown);
			tag_error(err, errsz, t, what);
			return MC_E_PROTOCOL;
		}
		visit(rec, item, n);
	}
	return MC_OK;
}

static void visit_hash(mc_dkim_record_t *rec, const char *item, size_t n)
{
	/* Section 3.6.1: unrecognized algorithms are ignored. */
	if (mc_str_ieq_lit(item, n, "sha256"))
		rec->sha256_ok = true;
	else if (mc_str_ieq_lit(item, n, "sha1"))
		rec->sha1_only = true; /* settled against sha256_ok at the end */
}

static void visit_service(mc_dkim_record_t *rec, const char *item, size_t n)
{
	if (mc_str_eq_lit(item, n, "*") || mc_str_ieq_lit(item, n, "email"))
		rec->service_email = true;
}

static void visit_flag(mc_dkim_record_t *rec, const char *item, size_t n)
{
	if (mc_str_ieq_lit(item, n, "y"))
		rec->testing = true;
	else if (mc_str_ieq_lit(item, n, "s"))
		rec->strict = true;
}

/* p= without its FWS; RFC 6376 section 3.6.1 allows whitespace anywhere in
 * base64string. The alphabet is checked when the key is decoded. */
static mc_status_t take_p(const mc_taglist_tag_t *t, mc_dkim_record_t *rec, char *err, size_t errsz)
{
	size_t i;

	rec->plen = 0;
	for (i = 0; i < t->vlen; i++) {
		char c = t->val[i];
		if (mc_ascii_is_wsp(c) || c == '\r' || c == '\n')
			continue; /* the tag list let only FWS through */
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

static mc_status_t take_tag(void *ctx, const mc_taglist_tag_t *t, size_t index, char *err,
                            size_t errsz)
{
	struct parse_ctx *pc = ctx;
	mc_dkim_record_t *rec = pc->rec;
	char shown[MC_STR_QUOTE_SIZE];

	if (mc_str_eq_lit(t->name, t->nlen, "v")) {
		/* Section 3.6.1: v= MUST be the first tag; a record whose v= is
		 * not DKIM1 MUST be discarded. */
		if (index != 0) {
			snprintf(err, errsz, "v= must be the first tag");
			return MC_E_PROTOCOL;
		}
		if (!mc_str_eq_lit(t->val, t->vlen, "DKIM1")) {
			mc_str_quote(shown, sizeof(shown), t->val, t->vlen);
			snprintf(err, errsz, "v=%s is not DKIM1", shown);
			return MC_E_PROTOCOL;
		}
		rec->has_version = true;
		return MC_OK;
	}
	if (mc_str_eq_lit(t->name, t->nlen, "h")) {
		rec->h_given = true;
		rec->sha256_ok = false;
		rec->sha1_only = false;
		if (each_item(t, false, visit_hash, rec, err, errsz) != MC_OK)
			return MC_E_PROTOCOL;
		rec->sha1_only = rec->sha1_only && !rec->sha256_ok;
		return MC_OK;
	}
	if (mc_str_eq_lit(t->name, t->nlen, "k")) {
		if (!word_ok(t->val, t->vlen)) {
			mc_str_quote(shown, sizeof(shown), t->val, t->vlen);
			snprintf(err, errsz, "k=%s is not a key type name", shown);
			return MC_E_PROTOCOL;
		}
		clip(rec->k_name, sizeof(rec->k_name), t->val, t->vlen);
		if (mc_str_ieq_lit(t->val, t->vlen, "rsa"))
			rec->k = MC_DKIM_KEY_RSA;
		else if (mc_str_ieq_lit(t->val, t->vlen, "ed25519"))
			rec->k = MC_DKIM_KEY_ED25519;
		else
			rec->k = MC_DKIM_KEY_OTHER;
		return MC_OK;
	}
	if (mc_str_eq_lit(t->name, t->nlen, "s")) {
		rec->service_email = false;
		clip(rec->services, sizeof(rec->services), t->val, t->vlen);
		return each_item(t, true, visit_service, rec, err, errsz);
	}
	if (mc_str_eq_lit(t->name, t->nlen, "t"))
		return each_item(t, false, visit_flag, rec, err, errsz);
	if (mc_str_eq_lit(t->name, t->nlen, "n")) {
		clip(rec->notes, sizeof(rec->notes), t->val, t->vlen);
		return MC_OK;
	}
	if (mc_str_eq_lit(t->name, t->nlen, "P"))
		pc->have_upper_p = true;
	if (mc_str_eq_lit(t->name, t->nlen, "p")) {
		pc->have_p = true;
		return take_p(t, rec, err, errsz);
	}
	return MC_OK; /* section 3.6.1: unknown tags are ignored */
}

mc_status_t mc_dkim_record_parse(const char *txt, size_t len, mc_dkim_record_t *rec, char *err,
                                 size_t errsz)
{
	struct parse_ctx pc = {rec, false, false};

	memset(rec, 0, sizeof(*rec));
	rec->k = MC_DKIM_KEY_RSA;
	memcpy(rec->k_name, "rsa", 4);
	rec->sha256_ok = true;
	rec->service_email = true;
	if (mc_taglist_parse(txt, len, &dkim_tags, take_tag, &pc, err, errsz) != MC_OK)
		return MC_E_PROTOCOL;
	if (!pc.have_p) {
		snprintf(err, errsz,
		         pc.have_upper_p ? "no p= tag (tag names are case-sensitive: P= is not p=)"
		                         : "no p= tag");
		return MC_E_PROTOCOL;
	}
	return MC_OK;
}

/* RFC 6376 section 3.6.1 points at base64 of RFC 2045 section 6.8: groups
 * of 4 characters, '=' only as padding of the last group. */
static mc_status_t unbase64(const char *in, size_t n, unsigned char *out, size_t outsz,
                            size_t *outlen, char *err, size_t errsz)
{
	size_t bad;

	if (n % 4 != 0) {
		snprintf(err, errsz, "p= is %zu base64 characters, not a multiple of 4", n);
		return MC_E_PROTOCOL;
	}
	bad = mc_base64_check(in, n, false);
	if (bad < n && in[bad] == '=') {
		snprintf(err, errsz, "p= has '=' before its last two characters (offset %zu)", bad);
		return MC_E_PROTOCOL;
	}
	if (bad < n) {
		char shown[8];
		mc_str_quote(shown, sizeof(shown), in + bad, 1);
		snprintf(err, errsz, "p= has a character that is not base64 ('%s' at offset %zu)",
		         shown, bad);
		return MC_E_PROTOCOL;
	}
	return mc_base64_decode(in, n, out, outsz, outlen);
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
	st = unbase64(rec->p, rec->plen, der, sizeof(der), &len, err, errsz);
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

void mc_dkim_selector_facts(const mc_dns_answer_t *a, mc_dkim_selector_t *out)
{
	mc_dkim_record_t *rec = &out->rec;
	char err[256];

	memset(out, 0, sizeof(*out));
	if (!a)
		return;
	out->nrecords = a->n;
	if (a->outcome == MC_DNS_NXDOMAIN || a->outcome == MC_DNS_NODATA ||
	    (a->outcome == MC_DNS_ANSWER && a->n == 0)) {
		out->found = MC_DKIM_FOUND_NONE;
		return;
	}
	if (a->outcome != MC_DNS_ANSWER) {
		out->found = MC_DKIM_FOUND_DNS_ERROR;
		mc_strlcpy(out->error, a->error, sizeof(out->error));
		return;
	}
	if (a->n > 1) {
		out->found = MC_DKIM_FOUND_SEVERAL;
		return;
	}
	if (mc_dkim_record_parse((const char *)a->rrs[0]->data, a->rrs[0]->len, rec, err,
	                         sizeof(err)) != MC_OK) {
		out->found = MC_DKIM_FOUND_INVALID;
		mc_strlcpy(out->error, err, sizeof(out->error));
		return;
	}
	out->found = MC_DKIM_FOUND_RECORD;
	if (rec->revoked || rec->k == MC_DKIM_KEY_OTHER)
		return;
	if (mc_dkim_key_check(rec, &out->key, err, sizeof(err)) == MC_OK)
		out->key_ok = true;
	else
		mc_strlcpy(out->error, err, sizeof(out->error));
}
