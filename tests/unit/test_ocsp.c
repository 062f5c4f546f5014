/* Unit tests: stapled OCSP response verification and must-staple. The
 * certificates and responses are made here with the OpenSSL API (EC P-256),
 * dates relative to the start of the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "tls/mc_ocsp.h"
#include "tls/mc_tls.h"

#define DAY 86400L

/* The PKI of every case: root -> issuing CA -> leaves and responders. */
typedef struct fixtures {
	EVP_PKEY *root_key, *ca_key, *leaf_key, *resp_key, *rogue_key;
	X509 *root;
	X509 *ca;                   /* issues the leaves and the delegated responders */
	X509 *leaf;                 /* the certificate whose status is asked */
	X509 *must;                 /* a leaf with the TLS Feature status_request */
	X509 *must_v2;              /* a leaf with the TLS Feature status_request_v2 only */
	X509 *resp;                 /* delegated responder: by ca, id-kp-OCSPSigning */
	X509 *resp_noeku;           /* by ca, no extended key usage */
	X509 *resp_root;            /* id-kp-OCSPSigning, but certified by root, not ca */
	X509 *rogue;                /* self-signed, "rogue responder" */
	X509 *imposter;             /* self-signed with rogue_key, the subject name of ca */
	X509_STORE *store;          /* trusts root only */
	STACK_OF(X509) * untrusted; /* ca, as a server sends it */
	time_t now;
} fixtures_t;

static fixtures_t fx;

typedef struct ext {
	int nid;
	const char *value;
} ext_t;

static const ext_t ext_ca[] = {{NID_basic_constraints, "critical,CA:TRUE"},
                               {NID_key_usage, "critical,keyCertSign,cRLSign"},
                               {0, NULL}};
static const ext_t ext_leaf[] = {{NID_basic_constraints, "critical,CA:FALSE"},
                                 {NID_key_usage, "critical,digitalSignature"},
                                 {NID_ext_key_usage, "serverAuth"},
                                 {0, NULL}};
static const ext_t ext_must[] = {{NID_basic_constraints, "critical,CA:FALSE"},
                                 {NID_ext_key_usage, "serverAuth"},
                                 {NID_tlsfeature, "status_request"},
                                 {0, NULL}};
static const ext_t ext_must_v2[] = {
    {NID_basic_constraints, "critical,CA:FALSE"}, {NID_tlsfeature, "status_request_v2"}, {0, NULL}};
static const ext_t ext_resp[] = {{NID_basic_constraints, "critical,CA:FALSE"},
                                 {NID_key_usage, "critical,digitalSignature"},
                                 {NID_ext_key_usage, "OCSPSigning"},
                                 {0, NULL}};
static const ext_t ext_noeku[] = {{NID_basic_constraints, "critical,CA:FALSE"},
                                  {NID_key_usage, "critical,digitalSignature"},
                                  {0, NULL}};

static EVP_PKEY *new_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	assert_non_null(k);
	return k;
}

/* A certificate for key named cn, signed by issuer_key (self-signed when
 * issuer is NULL), valid from a day ago for 30 days. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, long serial, X509 *issuer,
                       EVP_PKEY *issuer_key, const ext_t *exts)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509V3_CTX ctx;

	assert_non_null(x);
	assert_non_null(name);
	assert_true(X509_set_version(x, X509_VERSION_3));
	assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), serial));
	assert_true(X509_NAME_add_entry_by_txt(
	    name, "O", MBSTRING_ASC, (const unsigned char *)"mailcheck-plugins tests", -1, -1, 0));
	assert_true(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn,
	                                       -1, -1, 0));
	assert_true(X509_set_subject_name(x, name));
	assert_true(X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name));
	X509_NAME_free(name);
	assert_non_null(X509_time_adj_ex(X509_getm_notBefore(x), -1, 0, &fx.now));
	assert_non_null(X509_time_adj_ex(X509_getm_notAfter(x), 30, 0, &fx.now));
	assert_true(X509_set_pubkey(x, key));
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	for (; exts->nid; exts++) {
		X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, exts->nid, exts->value);

		assert_non_null(e);
		assert_true(X509_add_ext(x, e, -1));
		X509_EXTENSION_free(e);
	}
	assert_true(X509_sign(x, issuer_key, EVP_sha256()) > 0);
	return x;
}

static int setup(void **state)
{
	(void)state;
	fx.now = time(NULL);
	fx.root_key = new_key();
	fx.ca_key = new_key();
	fx.leaf_key = new_key();
	fx.resp_key = new_key();
	fx.rogue_key = new_key();
	fx.root = make_cert("mailcheck test root CA", fx.root_key, 1, NULL, fx.root_key, ext_ca);
	fx.ca = make_cert("mailcheck test issuing CA", fx.ca_key, 2, fx.root, fx.root_key, ext_ca);
	fx.leaf = make_cert("mail.test", fx.leaf_key, 0x1001, fx.ca, fx.ca_key, ext_leaf);
	fx.must = make_cert("mail.test", fx.leaf_key, 0x1002, fx.ca, fx.ca_key, ext_must);
	fx.must_v2 = make_cert("mail.test", fx.leaf_key, 0x1003, fx.ca, fx.ca_key, ext_must_v2);
	fx.resp = make_cert("ocsp.test", fx.resp_key, 0x1004, fx.ca, fx.ca_key, ext_resp);
	fx.resp_noeku =
	    make_cert("ocsp-noeku.test", fx.resp_key, 0x1005, fx.ca, fx.ca_key, ext_noeku);
	fx.resp_root =
	    make_cert("ocsp-root.test", fx.resp_key, 0x10, fx.root, fx.root_key, ext_resp);
	fx.rogue = make_cert("rogue responder", fx.rogue_key, 0x99, NULL, fx.rogue_key, ext_resp);
	fx.imposter =
	    make_cert("mailcheck test issuing CA", fx.rogue_key, 0x98, NULL, fx.rogue_key, ext_ca);
	fx.store = X509_STORE_new();
	assert_non_null(fx.store);
	assert_true(X509_STORE_add_cert(fx.store, fx.root));
	fx.untrusted = sk_X509_new_null();
	assert_non_null(fx.untrusted);
	assert_true(sk_X509_push(fx.untrusted, fx.ca));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sk_X509_free(fx.untrusted);
	X509_STORE_free(fx.store);
	X509_free(fx.root);
	X509_free(fx.ca);
	X509_free(fx.leaf);
	X509_free(fx.must);
	X509_free(fx.must_v2);
	X509_free(fx.resp);
	X509_free(fx.resp_noeku);
	X509_free(fx.resp_root);
	X509_free(fx.rogue);
	X509_free(fx.imposter);
	EVP_PKEY_free(fx.root_key);
	EVP_PKEY_free(fx.ca_key);
	EVP_PKEY_free(fx.leaf_key);
	EVP_PKEY_free(fx.resp_key);
	EVP_PKEY_free(fx.rogue_key);
	return 0;
}

typedef enum signer {
	BY_ISSUER,         /* the issuing CA, its certificate in the response */
	BY_ISSUER_NOCERTS, /* the issuing CA, no certificates in the response */
	BY_DELEGATE,       /* delegated responder with id-kp-OCSPSigning */
	BY_DELEGATE_KEYID, /* the same, responder ID by key hash */
	BY_DELEGATE_NOCERTS,
	BY_NOEKU,     /* delegated responder without id-kp-OCSPSigning */
	BY_ROOT_RESP, /* responder certified by the root, not the issuer */
	BY_ROGUE,     /* self-signed responder nobody trusts */
	BY_IMPOSTER   /* a rogue key under the issuing CA's name */
} signer_t;

typedef enum mangle {
	INTACT,
	SIG_FLIPPED, /* last byte (the signature's, with no certificates) altered */
	TRUNCATED,   /* the first half only */
	TRAILING     /* one byte appended */
} mangle_t;

#define NO_NEXT 0x7fffffffL
#define NONE (-1L)

typedef struct ocsp_case {
	const char *name;
	int resp_status; /* OCSP_RESPONSE_STATUS_*; SUCCESSFUL with no_body: no basic response */
	bool no_body;
	int cert_status;                  /* V_OCSP_CERTSTATUS_* */
	int reason;                       /* CRL reason when revoked, -1 none */
	long this_off, next_off, rev_off; /* seconds from now; next NO_NEXT: absent */
	signer_t signer;
	const char *certid_md; /* NULL: SHA-1 */
	long serial;           /* 0: the leaf's; NONE: no single response at all */
	bool other_first;      /* a single response for another serial comes first */
	mangle_t mangle;
	mc_ocsp_status_t want;
	const char *text; /* {this} {next} {rev}: the times; {len}: the input length */
} ocsp_case_t;

#define OK_ OCSP_RESPONSE_STATUS_SUCCESSFUL
#define GOOD_ V_OCSP_CERTSTATUS_GOOD
#define REV_ V_OCSP_CERTSTATUS_REVOKED
#define UNK_ V_OCSP_CERTSTATUS_UNKNOWN
#define H (3600L)
#define GOOD_TEXT "good, this update {this}, next update {next}"

static const ocsp_case_t ocsp_cases[] = {
    {"good, signed by the issuer", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_ISSUER, NULL, 0, false,
     INTACT, MC_OCSP_GOOD, GOOD_TEXT},
    {"good, issuer-signed, no certificates in the response", OK_, false, GOOD_, -1, -H, 7 * DAY, 0,
     BY_ISSUER_NOCERTS, NULL, 0, false, INTACT, MC_OCSP_GOOD, GOOD_TEXT},
    {"revoked with reason keyCompromise", OK_, false, REV_, OCSP_REVOKED_STATUS_KEYCOMPROMISE, -H,
     7 * DAY, -2 * DAY, BY_ISSUER, NULL, 0, false, INTACT, MC_OCSP_REVOKED,
     "revoked on {rev} (keyCompromise)"},
    {"revoked without reason", OK_, false, REV_, -1, -H, 7 * DAY, -2 * DAY, BY_ISSUER, NULL, 0,
     false, INTACT, MC_OCSP_REVOKED, "revoked on {rev}"},
    {"revoked with reason 7 (not a CRLReason)", OK_, false, REV_, 7, -H, 7 * DAY, -2 * DAY,
     BY_ISSUER, NULL, 0, false, INTACT, MC_OCSP_REVOKED, "revoked on {rev} (reason 7)"},
    {"revoked wins over stale dates", OK_, false, REV_, OCSP_REVOKED_STATUS_SUPERSEDED, -9 * DAY,
     -2 * DAY, -10 * DAY, BY_ISSUER, NULL, 0, false, INTACT, MC_OCSP_REVOKED,
     "revoked on {rev} (superseded)"},
    {"revoked but signed by a rogue key is invalid", OK_, false, REV_,
     OCSP_REVOKED_STATUS_KEYCOMPROMISE, -H, 7 * DAY, -2 * DAY, BY_ROGUE, NULL, 0, false, INTACT,
     MC_OCSP_INVALID, "signature not verified: signer certificate: self-signed certificate"},
    {"unknown to the responder", OK_, false, UNK_, -1, -H, 7 * DAY, 0, BY_ISSUER, NULL, 0, false,
     INTACT, MC_OCSP_UNKNOWN, "unknown to the responder, this update {this}"},
    {"nextUpdate an hour ago: stale", OK_, false, GOOD_, -1, -8 * DAY, -H, 0, BY_ISSUER, NULL, 0,
     false, INTACT, MC_OCSP_STALE, "stale: next update {next} has passed"},
    {"nextUpdate a minute ago: within the skew", OK_, false, GOOD_, -1, -DAY, -60, 0, BY_ISSUER,
     NULL, 0, false, INTACT, MC_OCSP_GOOD, GOOD_TEXT},
    {"thisUpdate an hour ahead: stale", OK_, false, GOOD_, -1, H, 7 * DAY, 0, BY_ISSUER, NULL, 0,
     false, INTACT, MC_OCSP_STALE, "stale: this update {this} is in the future"},
    {"thisUpdate a minute ahead: within the skew", OK_, false, GOOD_, -1, 60, 7 * DAY, 0, BY_ISSUER,
     NULL, 0, false, INTACT, MC_OCSP_GOOD, GOOD_TEXT},
    {"unknown and stale: stale", OK_, false, UNK_, -1, -8 * DAY, -H, 0, BY_ISSUER, NULL, 0, false,
     INTACT, MC_OCSP_STALE, "stale: next update {next} has passed"},
    {"no nextUpdate: good, no end", OK_, false, GOOD_, -1, -30 * DAY, NO_NEXT, 0, BY_ISSUER, NULL,
     0, false, INTACT, MC_OCSP_GOOD, "good, this update {this}, no next update"},
    {"nextUpdate before thisUpdate", OK_, false, GOOD_, -1, -120, -240, 0, BY_ISSUER, NULL, 0,
     false, INTACT, MC_OCSP_INVALID,
     "malformed dates: next update {next} before this update {this}"},
    {"delegated responder with OCSPSigning", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_DELEGATE,
     NULL, 0, false, INTACT, MC_OCSP_GOOD, GOOD_TEXT},
    {"delegated responder named by key hash", OK_, false, REV_, OCSP_REVOKED_STATUS_CACOMPROMISE,
     -H, 7 * DAY, -H, BY_DELEGATE_KEYID, NULL, 0, false, INTACT, MC_OCSP_REVOKED,
     "revoked on {rev} (cACompromise)"},
    {"delegated responder not in the response", OK_, false, GOOD_, -1, -H, 7 * DAY, 0,
     BY_DELEGATE_NOCERTS, NULL, 0, false, INTACT, MC_OCSP_INVALID,
     "signature not verified: signer certificate not found"},
    {"delegated responder without OCSPSigning", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_NOEKU,
     NULL, 0, false, INTACT, MC_OCSP_INVALID,
     "signature not verified: delegated responder without the OCSPSigning usage"},
    {"responder certified by the root, not the issuer", OK_, false, GOOD_, -1, -H, 7 * DAY, 0,
     BY_ROOT_RESP, NULL, 0, false, INTACT, MC_OCSP_INVALID,
     "signature not verified: signer not authorized by the issuer"},
    {"signed by a rogue key", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_ROGUE, NULL, 0, false,
     INTACT, MC_OCSP_INVALID,
     "signature not verified: signer certificate: self-signed certificate"},
    {"rogue key under the issuer's name", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_IMPOSTER, NULL,
     0, false, INTACT, MC_OCSP_INVALID, "signature not verified: bad signature"},
    {"signature altered", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_ISSUER_NOCERTS, NULL, 0, false,
     SIG_FLIPPED, MC_OCSP_INVALID, "signature not verified: bad signature"},
    {"response for another serial", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_ISSUER, NULL, 0x4242,
     false, INTACT, MC_OCSP_INVALID, "no response for this certificate"},
    {"signed, but no single response", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_ISSUER, NULL, NONE,
     false, INTACT, MC_OCSP_INVALID,
     "signature not verified: response contains no revocation data"},
    {"ours is the second single response", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_ISSUER, NULL,
     0, true, INTACT, MC_OCSP_GOOD, GOOD_TEXT},
    {"CertID hashed with SHA-256", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_ISSUER, "SHA256", 0,
     false, INTACT, MC_OCSP_GOOD, GOOD_TEXT},
    {"CertID hashed with MD5 is not looked at", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_ISSUER,
     "MD5", 0, false, INTACT, MC_OCSP_INVALID, "no response for this certificate"},
    {"response status tryLater", OCSP_RESPONSE_STATUS_TRYLATER, true, 0, -1, 0, 0, 0, BY_ISSUER,
     NULL, 0, false, INTACT, MC_OCSP_INVALID, "response status tryLater"},
    {"response status unauthorized", OCSP_RESPONSE_STATUS_UNAUTHORIZED, true, 0, -1, 0, 0, 0,
     BY_ISSUER, NULL, 0, false, INTACT, MC_OCSP_INVALID, "response status unauthorized"},
    {"successful without a body", OK_, true, 0, -1, 0, 0, 0, BY_ISSUER, NULL, 0, false, INTACT,
     MC_OCSP_INVALID, "not a basic OCSP response"},
    {"truncated DER", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_ISSUER, NULL, 0, false, TRUNCATED,
     MC_OCSP_INVALID, "unparsable response ({len} bytes)"},
    {"a byte after the DER", OK_, false, GOOD_, -1, -H, 7 * DAY, 0, BY_ISSUER, NULL, 0, false,
     TRAILING, MC_OCSP_INVALID, "unparsable response: trailing data (1 bytes)"},
};

static ASN1_GENERALIZEDTIME *gtime(long off)
{
	ASN1_GENERALIZEDTIME *t = ASN1_GENERALIZEDTIME_set(NULL, fx.now + off);

	assert_non_null(t);
	return t;
}

static void add_status(OCSP_BASICRESP *bs, const ocsp_case_t *c, long serial)
{
	const EVP_MD *md = c->certid_md ? EVP_get_digestbyname(c->certid_md) : EVP_sha1();
	ASN1_INTEGER *sn = ASN1_INTEGER_new();
	ASN1_GENERALIZEDTIME *tu = gtime(c->this_off);
	ASN1_GENERALIZEDTIME *nu = c->next_off == NO_NEXT ? NULL : gtime(c->next_off);
	ASN1_GENERALIZEDTIME *rv = c->cert_status == REV_ ? gtime(c->rev_off) : NULL;
	OCSP_CERTID *id;

	assert_non_null(md);
	assert_non_null(sn);
	assert_true(ASN1_INTEGER_set(sn, serial));
	id = OCSP_cert_id_new(md, X509_get_subject_name(fx.ca), X509_get0_pubkey_bitstr(fx.ca), sn);
	assert_non_null(id);
	assert_non_null(OCSP_basic_add1_status(bs, id, c->cert_status, c->reason, rv, tu, nu));
	OCSP_CERTID_free(id);
	ASN1_INTEGER_free(sn);
	ASN1_GENERALIZEDTIME_free(tu);
	ASN1_GENERALIZEDTIME_free(nu);
	ASN1_GENERALIZEDTIME_free(rv);
}

/* The DER response of case c, in a malloc'd buffer with room for one byte
 * more. */
static unsigned char *build(const ocsp_case_t *c, size_t *len)
{
	OCSP_BASICRESP *bs = NULL;
	OCSP_RESPONSE *resp;
	X509 *signer = fx.ca;
	EVP_PKEY *key = fx.ca_key;
	unsigned long flags = 0;
	unsigned char *der = NULL, *copy;
	int n;

	if (!c->no_body) {
		bs = OCSP_BASICRESP_new();
		assert_non_null(bs);
		if (c->other_first)
			add_status(bs, c, 0x4343);
		if (c->serial != NONE)
			add_status(bs, c, c->serial ? c->serial : 0x1001);
		switch (c->signer) {
		case BY_ISSUER: break;
		case BY_ISSUER_NOCERTS: flags = OCSP_NOCERTS; break;
		case BY_DELEGATE: signer = fx.resp, key = fx.resp_key; break;
		case BY_DELEGATE_KEYID:
			signer = fx.resp, key = fx.resp_key, flags = OCSP_RESPID_KEY;
			break;
		case BY_DELEGATE_NOCERTS:
			signer = fx.resp, key = fx.resp_key, flags = OCSP_NOCERTS;
			break;
		case BY_NOEKU: signer = fx.resp_noeku, key = fx.resp_key; break;
		case BY_ROOT_RESP: signer = fx.resp_root, key = fx.resp_key; break;
		case BY_ROGUE: signer = fx.rogue, key = fx.rogue_key; break;
		case BY_IMPOSTER: signer = fx.imposter, key = fx.rogue_key; break;
		}
		assert_true(OCSP_basic_sign(bs, signer, key, EVP_sha256(), NULL, flags));
	}
	resp = OCSP_response_create(c->resp_status, bs);
	assert_non_null(resp);
	n = i2d_OCSP_RESPONSE(resp, &der);
	assert_true(n > 0);
	copy = malloc((size_t)n + 1);
	assert_non_null(copy);
	memcpy(copy, der, (size_t)n);
	*len = (size_t)n;
	switch (c->mangle) {
	case INTACT: break;
	case SIG_FLIPPED: copy[*len - 1] ^= 0x01; break;
	case TRUNCATED: *len /= 2; break;
	case TRAILING: copy[(*len)++] = 0; break;
	}
	OPENSSL_free(der);
	OCSP_RESPONSE_free(resp);
	OCSP_BASICRESP_free(bs);
	return copy;
}

/* text with {this}, {next}, {rev} and {len} replaced. */
static void expand(const char *text, const ocsp_case_t *c, size_t len, char *out, size_t outsz)
{
	size_t o = 0;

	while (*text && o + 1 < outsz) {
		char val[64] = "";
		size_t skip = 0, vl;

		if (!strncmp(text, "{this}", 6)) {
			mc_tls_time_str(fx.now + c->this_off, val, sizeof(val));
			skip = 6;
		} else if (!strncmp(text, "{next}", 6)) {
			mc_tls_time_str(fx.now + c->next_off, val, sizeof(val));
			skip = 6;
		} else if (!strncmp(text, "{rev}", 5)) {
			mc_tls_time_str(fx.now + c->rev_off, val, sizeof(val));
			skip = 5;
		} else if (!strncmp(text, "{len}", 5)) {
			snprintf(val, sizeof(val), "%zu", len);
			skip = 5;
		}
		if (!skip) {
			out[o++] = *text++;
			continue;
		}
		vl = strlen(val);
		assert_true(o + vl < outsz);
		memcpy(out + o, val, vl);
		o += vl;
		text += skip;
	}
	out[o] = '\0';
}

static void test_ocsp_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ocsp_cases) / sizeof(ocsp_cases[0]); i++) {
		const ocsp_case_t *c = &ocsp_cases[i];
		size_t len;
		unsigned char *der = build(c, &len);
		mc_ocsp_result_t r;
		char want[256];

		print_message("case: %s\n", c->name);
		expand(c->text, c, len, want, sizeof(want));
		mc_ocsp_check(der, len, fx.leaf, fx.ca, fx.untrusted, fx.store, &r);
		assert_string_equal(r.text, want);
		assert_int_equal(r.status, c->want);
		assert_int_equal(ERR_peek_error(), 0);
		/* The dates are read once a single response was found. */
		if (c->want != MC_OCSP_INVALID || strstr(c->text, "{this}")) {
			assert_int_equal(r.this_update, fx.now + c->this_off);
			assert_int_equal(r.next_update,
			                 c->next_off == NO_NEXT ? 0 : fx.now + c->next_off);
		} else {
			assert_int_equal(r.this_update, 0);
			assert_int_equal(r.next_update, 0);
		}
		if (c->want == MC_OCSP_REVOKED) {
			assert_int_equal(r.revoked_at, fx.now + c->rev_off);
			assert_int_equal(r.reason, c->reason);
		} else {
			assert_int_equal(r.revoked_at, 0);
			assert_int_equal(r.reason, -1);
		}
		free(der);
	}
}

/* A nextUpdate that is no time (month 13) makes the response invalid, not
 * stale; thisUpdate is still read. */
static void test_malformed_time(void **state)
{
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	OCSP_CERTID *id = OCSP_cert_to_id(NULL, fx.leaf, fx.ca);
	ASN1_GENERALIZEDTIME *tu = gtime(-H), *nu = gtime(DAY), *stored = NULL;
	OCSP_RESPONSE *resp;
	unsigned char *der = NULL;
	mc_ocsp_result_t r;
	int n;

	(void)state;
	assert_non_null(bs);
	assert_non_null(id);
	assert_non_null(OCSP_basic_add1_status(bs, id, GOOD_, -1, NULL, tu, nu));
	/* OCSP_basic_add1_status() checks the times it copies: spoil the copy. */
	assert_int_equal(OCSP_single_get0_status(OCSP_resp_get0(bs, 0), NULL, NULL, NULL, &stored),
	                 GOOD_);
	assert_true(ASN1_STRING_set(stored, "20261301000000Z", -1));
	assert_true(OCSP_basic_sign(bs, fx.ca, fx.ca_key, EVP_sha256(), NULL, 0));
	resp = OCSP_response_create(OK_, bs);
	assert_non_null(resp);
	n = i2d_OCSP_RESPONSE(resp, &der);
	assert_true(n > 0);
	mc_ocsp_check(der, (size_t)n, fx.leaf, fx.ca, fx.untrusted, fx.store, &r);
	assert_int_equal(r.status, MC_OCSP_INVALID);
	assert_string_equal(r.text, "malformed thisUpdate or nextUpdate");
	assert_int_equal(r.this_update, fx.now - H);
	assert_int_equal(r.next_update, 0);
	assert_int_equal(ERR_peek_error(), 0);
	OPENSSL_free(der);
	OCSP_RESPONSE_free(resp);
	OCSP_BASICRESP_free(bs);
	OCSP_CERTID_free(id);
	ASN1_GENERALIZEDTIME_free(tu);
	ASN1_GENERALIZEDTIME_free(nu);
}

/* Inputs that are no response at all, and the size cap. */
static void test_not_a_response(void **state)
{
	static const size_t sizes[] = {40, MC_OCSP_MAX, MC_OCSP_MAX + 1};
	unsigned char *junk = malloc(MC_OCSP_MAX + 1);
	mc_ocsp_result_t r;
	size_t i;

	(void)state;
	assert_non_null(junk);
	for (i = 0; i < MC_OCSP_MAX + 1; i++)
		junk[i] = (unsigned char)(i * 7 + 3);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char want[64];

		if (sizes[i] > MC_OCSP_MAX)
			snprintf(want, sizeof(want), "response over 64 KiB (%zu bytes)", sizes[i]);
		else
			snprintf(want, sizeof(want), "unparsable response (%zu bytes)", sizes[i]);
		mc_ocsp_check(junk, sizes[i], fx.leaf, fx.ca, fx.untrusted, fx.store, &r);
		assert_int_equal(r.status, MC_OCSP_INVALID);
		assert_string_equal(r.text, want);
		assert_int_equal(ERR_peek_error(), 0);
	}
	/* A DER SEQUENCE whose length runs past the input. */
	junk[0] = 0x30;
	junk[1] = 0x82;
	junk[2] = 0xff;
	junk[3] = 0xff;
	mc_ocsp_check(junk, 100, fx.leaf, fx.ca, fx.untrusted, fx.store, &r);
	assert_string_equal(r.text, "unparsable response (100 bytes)");
	mc_ocsp_check(junk, 0, fx.leaf, fx.ca, fx.untrusted, fx.store, &r);
	assert_int_equal(r.status, MC_OCSP_INVALID);
	assert_string_equal(r.text, "empty response");
	mc_ocsp_check(NULL, 10, fx.leaf, fx.ca, fx.untrusted, fx.store, &r);
	assert_string_equal(r.text, "empty response");
	free(junk);
}

/* Without the leaf, its issuer or a store nothing can be checked; without
 * the untrusted chain the issuer is not found for an issuer-signed
 * response that carries no certificates. */
static void test_missing_inputs(void **state)
{
	const ocsp_case_t *good = &ocsp_cases[0], *nocerts = &ocsp_cases[1];
	size_t len, len2;
	unsigned char *der = build(good, &len), *der2 = build(nocerts, &len2);
	mc_ocsp_result_t r;

	(void)state;
	mc_ocsp_check(der, len, NULL, fx.ca, fx.untrusted, fx.store, &r);
	assert_int_equal(r.status, MC_OCSP_INVALID);
	assert_string_equal(r.text, "cannot be checked: no certificate, issuer or trust store");
	mc_ocsp_check(der, len, fx.leaf, NULL, fx.untrusted, fx.store, &r);
	assert_int_equal(r.status, MC_OCSP_INVALID);
	mc_ocsp_check(der, len, fx.leaf, fx.ca, fx.untrusted, NULL, &r);
	assert_int_equal(r.status, MC_OCSP_INVALID);
	/* The response carries the issuer: no untrusted chain needed. */
	mc_ocsp_check(der, len, fx.leaf, fx.ca, NULL, fx.store, &r);
	assert_int_equal(r.status, MC_OCSP_GOOD);
	mc_ocsp_check(der2, len2, fx.leaf, fx.ca, NULL, fx.store, &r);
	assert_int_equal(r.status, MC_OCSP_INVALID);
	assert_string_equal(r.text, "signature not verified: signer certificate not found");
	/* The right response, asked about another certificate of the issuer. */
	mc_ocsp_check(der, len, fx.must, fx.ca, fx.untrusted, fx.store, &r);
	assert_int_equal(r.status, MC_OCSP_INVALID);
	assert_string_equal(r.text, "no response for this certificate");
	assert_int_equal(ERR_peek_error(), 0);
	free(der);
	free(der2);
}

/* Errors queued before the call do not change the verdict and are gone. */
static void test_error_queue(void **state)
{
	size_t len;
	unsigned char *der = build(&ocsp_cases[0], &len);
	mc_ocsp_result_t r;

	(void)state;
	ERR_raise(ERR_LIB_OCSP, OCSP_R_SIGNATURE_FAILURE);
	mc_ocsp_check(der, len, fx.leaf, fx.ca, fx.untrusted, fx.store, &r);
	assert_int_equal(r.status, MC_OCSP_GOOD);
	assert_int_equal(ERR_peek_error(), 0);
	ERR_raise(ERR_LIB_X509, X509_R_CERT_ALREADY_IN_HASH_TABLE);
	assert_false(mc_ocsp_must_staple(fx.leaf));
	assert_int_equal(ERR_peek_error(), 0);
	free(der);
}

static void test_must_staple(void **state)
{
	(void)state;
	assert_true(mc_ocsp_must_staple(fx.must));
	assert_false(mc_ocsp_must_staple(fx.leaf));    /* no TLS Feature */
	assert_false(mc_ocsp_must_staple(fx.must_v2)); /* status_request_v2 (17) only */
	assert_false(mc_ocsp_must_staple(NULL));
	assert_int_equal(ERR_peek_error(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ocsp_table),     cmocka_unit_test(test_malformed_time),
	    cmocka_unit_test(test_not_a_response), cmocka_unit_test(test_missing_inputs),
	    cmocka_unit_test(test_error_queue),    cmocka_unit_test(test_must_staple),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
