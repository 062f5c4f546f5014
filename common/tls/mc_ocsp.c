#include "mc_ocsp.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tls/mc_cert.h"
#include "util/mc_str.h"

/* RFC 7633 section 4.2: the TLS Feature of a certificate that demands a
 * stapled response lists the status_request extension (RFC 6066, type 5). */
#define TLS_FEATURE_STATUS_REQUEST 5

static void say(mc_ocsp_result_t *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(mc_ocsp_result_t *out, const char *fmt, ...)
{
	char line[sizeof(out->text)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	mc_str_sanitize(out->text, sizeof(out->text), line, strlen(line));
}

/* RFC 6960 section 4.2.1, OCSPResponseStatus. */
static const char *response_status_name(int st)
{
	switch (st) {
	case OCSP_RESPONSE_STATUS_MALFORMEDREQUEST: return "malformedRequest";
	case OCSP_RESPONSE_STATUS_INTERNALERROR: return "internalError";
	case OCSP_RESPONSE_STATUS_TRYLATER: return "tryLater";
	case OCSP_RESPONSE_STATUS_SIGREQUIRED: return "sigRequired";
	case OCSP_RESPONSE_STATUS_UNAUTHORIZED: return "unauthorized";
	default: return NULL;
	}
}

/* RFC 5280 section 5.3.1, CRLReason (7 is not used). */
static const char *crl_reason_name(int r)
{
	static const char *const names[] = {
	    "unspecified",   "keyCompromise",        "cACompromise",    "affiliationChanged",
	    "superseded",    "cessationOfOperation", "certificateHold", NULL,
	    "removeFromCRL", "privilegeWithdrawn",   "aACompromise"};

	if (r < 0 || (size_t)r >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[r];
}

static void time_str(time_t t, char *buf, size_t bufsz)
{
	if (t)
		mc_cert_time_str(t, buf, bufsz);
	else
		mc_strlcpy(buf, "?", bufsz);
}

/* Why OCSP_basic_verify() said no, from the reasons it queued. libcrypto's
 * error strings are not loaded (mc_tls.c), so the phrases are ours. */
static void verify_failure(char *buf, size_t bufsz)
{
	const char *data;
	unsigned long e;
	int flags;

	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		if (ERR_GET_LIB(e) != ERR_LIB_OCSP)
			continue;
		switch (ERR_GET_REASON(e)) {
		case OCSP_R_SIGNER_CERTIFICATE_NOT_FOUND:
			mc_strlcpy(buf, "signer certificate not found", bufsz);
			return;
		case OCSP_R_SIGNATURE_FAILURE: mc_strlcpy(buf, "bad signature", bufsz); return;
		case OCSP_R_CERTIFICATE_VERIFY_ERROR:
			/* The data is "Verify error:" and the X509 verdict. */
			if ((flags & ERR_TXT_STRING) && data &&
			    !strncmp(data, "Verify error:", 13)) {
				data += 13;
				data += strspn(data, " ");
				snprintf(buf, bufsz, "signer certificate: %s", data);
			} else {
				mc_strlcpy(buf, "signer certificate not trusted", bufsz);
			}
			return;
		case OCSP_R_MISSING_OCSPSIGNING_USAGE:
			mc_strlcpy(buf, "delegated responder without the OCSPSigning usage", bufsz);
			return;
		case OCSP_R_ROOT_CA_NOT_TRUSTED:
			mc_strlcpy(buf, "signer not authorized by the issuer", bufsz);
			return;
		case OCSP_R_NO_CERTIFICATES_IN_CHAIN:
			mc_strlcpy(buf, "no signer chain", bufsz);
			return;
		case OCSP_R_RESPONSE_CONTAINS_NO_REVOCATION_DATA:
			mc_strlcpy(buf, "response contains no revocation data", bufsz);
			return;
		default: break;
		}
	}
	mc_strlcpy(buf, "verification failed", bufsz);
}

/* The CertID hashes accepted: SHA-1 (what RFC 6960 and every responder
 * use) and SHA-2. */
static const char *const certid_hashes[] = {"SHA1", "SHA256", "SHA384", "SHA512", "SHA224"};
#define NHASHES (sizeof(certid_hashes) / sizeof(certid_hashes[0]))

/* The first single response whose CertID names leaf (serial) and issuer
 * (name and key hashes). */
static OCSP_SINGLERESP *find_single(OCSP_BASICRESP *bs, X509 *leaf, X509 *issuer)
{
	OCSP_CERTID *ids[NHASHES];
	OCSP_SINGLERESP *found = NULL;
	size_t h;
	int i, n = OCSP_resp_count(bs);

	for (h = 0; h < NHASHES; h++) {
		const EVP_MD *md = EVP_get_digestbyname(certid_hashes[h]);

		ids[h] = md ? OCSP_cert_to_id(md, leaf, issuer) : NULL;
	}
	for (i = 0; i < n && !found; i++) {
		OCSP_SINGLERESP *sr = OCSP_resp_get0(bs, i);
		const OCSP_CERTID *cid = sr ? OCSP_SINGLERESP_get0_id(sr) : NULL;

		for (h = 0; cid && h < NHASHES && !found; h++)
			if (ids[h] && OCSP_id_cmp(ids[h], cid) == 0)
				found = sr;
	}
	for (h = 0; h < NHASHES; h++)
		OCSP_CERTID_free(ids[h]);
	return found;
}

/* The verdict of a single response from a response whose signature
 * verified. */
static void judge_single(OCSP_SINGLERESP *sr, mc_ocsp_result_t *out)
{
	ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
	int reason = -1, st = OCSP_single_get0_status(sr, &reason, &rev, &thisupd, &nextupd);
	bool bad_field = false, before = false, future = false, passed = false;
	char a[40], b[40];
	unsigned long e;

	out->this_update = mc_cert_time(thisupd);
	out->next_update = mc_cert_time(nextupd);
	if (st == V_OCSP_CERTSTATUS_REVOKED) {
		/* RFC 6960 section 2.2: revocation is permanent (certificateHold
		 * aside), so an old response saying so is still worth believing. */
		const char *why = crl_reason_name(reason);

		out->status = MC_OCSP_REVOKED;
		out->revoked_at = mc_cert_time(rev);
		out->reason = reason < 0 ? -1 : reason;
		time_str(out->revoked_at, a, sizeof(a));
		if (why)
			say(out, "revoked on %s (%s)", a, why);
		else if (reason >= 0)
			say(out, "revoked on %s (reason %d)", a, reason);
		else
			say(out, "revoked on %s", a);
		return;
	}
	time_str(out->this_update, a, sizeof(a));
	time_str(out->next_update, b, sizeof(b));
	ERR_clear_error();
	if (!OCSP_check_validity(thisupd, nextupd, MC_OCSP_SKEW, -1)) {
		while ((e = ERR_get_error()) != 0) {
			if (ERR_GET_LIB(e) != ERR_LIB_OCSP)
				continue;
			switch (ERR_GET_REASON(e)) {
			case OCSP_R_ERROR_IN_THISUPDATE_FIELD:
			case OCSP_R_ERROR_IN_NEXTUPDATE_FIELD: bad_field = true; break;
			case OCSP_R_NEXTUPDATE_BEFORE_THISUPDATE: before = true; break;
			case OCSP_R_STATUS_NOT_YET_VALID: future = true; break;
			case OCSP_R_STATUS_EXPIRED: passed = true; break;
			default: break;
			}
		}
		if (bad_field)
			say(out, "malformed thisUpdate or nextUpdate");
		else if (before)
			say(out, "malformed dates: next update %s before this update %s", b, a);
		else if (future)
			say(out, "stale: this update %s is in the future", a);
		else if (passed)
			say(out, "stale: next update %s has passed", b);
		else
			say(out, "stale: dates not valid");
		/* Malformed dates are a broken response, not an old one. */
		out->status = bad_field || before ? MC_OCSP_INVALID : MC_OCSP_STALE;
		return;
	}
	if (st == V_OCSP_CERTSTATUS_GOOD) {
		out->status = MC_OCSP_GOOD;
		if (nextupd)
			say(out, "good, this update %s, next update %s", a, b);
		else
			say(out, "good, this update %s, no next update", a);
	} else if (st == V_OCSP_CERTSTATUS_UNKNOWN) {
		out->status = MC_OCSP_UNKNOWN;
		say(out, "unknown to the responder, this update %s", a);
	} else {
		say(out, "certificate status %d not understood", st);
	}
}

static void judge_basic(OCSP_BASICRESP *bs, X509 *leaf, X509 *issuer, STACK_OF(X509) * untrusted,
                        X509_STORE *store, mc_ocsp_result_t *out)
{
	OCSP_SINGLERESP *sr;
	char why[200];

	/* Flags 0: the signer must chain to store and be the issuer or its
	 * delegate with id-kp-OCSPSigning (RFC 6960 section 4.2.2.2); no
	 * OCSP_TRUSTOTHER, which would trust any certificate in untrusted. */
	if (OCSP_basic_verify(bs, untrusted, store, 0) <= 0) {
		verify_failure(why, sizeof(why));
		say(out, "signature not verified: %s", why);
		return;
	}
	ERR_clear_error();
	sr = find_single(bs, leaf, issuer);
	if (!sr) {
		say(out, "no response for this certificate");
		return;
	}
	judge_single(sr, out);
}

static void check(const unsigned char *der, size_t len, X509 *leaf, X509 *issuer,
                  STACK_OF(X509) * untrusted, X509_STORE *store, mc_ocsp_result_t *out)
{
	const unsigned char *p = der;
	OCSP_RESPONSE *resp;
	OCSP_BASICRESP *bs;
	const char *name;
	int st;

	if (!der || len == 0) {
		say(out, "empty response");
		return;
	}
	if (len > MC_OCSP_MAX) {
		say(out, "response over 64 KiB (%zu bytes)", len);
		return;
	}
	if (!leaf || !issuer || !store) {
		say(out, "cannot be checked: no certificate, issuer or trust store");
		return;
	}
	resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
	if (!resp) {
		say(out, "unparsable response (%zu bytes)", len);
		return;
	}
	if ((size_t)(p - der) != len) {
		say(out, "unparsable response: trailing data (%zu bytes)", len - (size_t)(p - der));
		OCSP_RESPONSE_free(resp);
		return;
	}
	st = OCSP_response_status(resp);
	if (st != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		name = response_status_name(st);
		if (name)
			say(out, "response status %s", name);
		else
			say(out, "response status %d", st);
		OCSP_RESPONSE_free(resp);
		return;
	}
	bs = OCSP_response_get1_basic(resp);
	OCSP_RESPONSE_free(resp);
	if (!bs) {
		say(out, "not a basic OCSP response");
		return;
	}
	judge_basic(bs, leaf, issuer, untrusted, store, out);
	OCSP_BASICRESP_free(bs);
}

void mc_ocsp_check(const unsigned char *der, size_t len, X509 *leaf, X509 *issuer,
                   STACK_OF(X509) * untrusted, X509_STORE *store, mc_ocsp_result_t *out)
{
	memset(out, 0, sizeof(*out));
	out->status = MC_OCSP_INVALID;
	out->reason = -1;
	ERR_clear_error();
	check(der, len, leaf, issuer, untrusted, store, out);
	ERR_clear_error();
}

bool mc_ocsp_must_staple(X509 *leaf)
{
	TLS_FEATURE *f;
	bool yes = false;
	int i, crit;

	if (!leaf)
		return false;
	f = X509_get_ext_d2i(leaf, NID_tlsfeature, &crit, NULL);
	for (i = 0; f && i < sk_ASN1_INTEGER_num(f); i++)
		if (ASN1_INTEGER_get(sk_ASN1_INTEGER_value(f, i)) == TLS_FEATURE_STATUS_REQUEST)
			yes = true;
	TLS_FEATURE_free(f);
	ERR_clear_error();
	return yes;
}
