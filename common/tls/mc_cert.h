/* mc_cert.h - what one X.509 certificate says: subject, issuer, the names
 * it carries, keyUsage, validity and time left, key type and size; the
 * first weak signature of a chain; and the one format every certificate
 * date is shown in.
 *
 * Facts only: nothing here verifies anything, and nothing does I/O (the
 * current time is the only input besides the arguments). Texts are
 * sanitized (mc_str_sanitize): a certificate is hostile input and its
 * names end up in plugin output. tls/mc_tls (the peer's chain) and
 * tls/mc_ocsp (response dates) use this module; it uses neither. */
#ifndef MC_CERT_H
#define MC_CERT_H

#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/mc_status.h"

/* Room for the names of one certificate, ", " separated. */
#define MC_CERT_NAMES_MAX 512
/* mc_cert_facts_der refuses larger input unread. */
#define MC_CERT_DER_MAX (1024 * 1024)

/* The facts of one certificate: plain data, a test can build it by hand. */
typedef struct mc_cert_facts {
	char subject[256]; /* one line, RFC 2253 order, "" if unreadable */
	char issuer[256];
	/* DNS and IP subjectAltName entries in certificate order, ", "
	 * separated and cut at whole names; with neither, the subject CN
	 * (RFC 6125 section 6.4.4); "" with no name at all. */
	char names[MC_CERT_NAMES_MAX];
	/* How many DNS and IP entries the subjectAltName holds, counted up
	 * to and including the first that names[] has no room for. */
	int san_dns, san_ip;
	/* A keyUsage extension is present; digitalSignature is allowed (true
	 * without the extension: RFC 5280 section 4.2.1.3 then restricts
	 * nothing). */
	bool key_usage_present;
	bool key_usage_signature;
	time_t not_before, not_after; /* 0 if unreadable */
	/* Days from now to notAfter, fractional, negative once expired;
	 * -1e9 when notAfter is unreadable. */
	double days_left;
	/* The public key: "RSA", "RSA-PSS", "EC", "Ed25519", "Ed448", "DSA"
	 * or "other", and its size in bits; "" and 0 without a readable key. */
	char key_type[16];
	int key_bits;
} mc_cert_facts_t;

/* The facts of x into out (all of out is written). */
void mc_cert_facts(X509 *x, mc_cert_facts_t *out);

/* The facts of the DER certificate at the start of der[0..len) into out
 * (zeroed first; bytes after the certificate are ignored). MC_E_PROTOCOL
 * if der does not start with a whole certificate (a cut one is refused,
 * not half-read), MC_E_LIMIT over MC_CERT_DER_MAX. Empties the OpenSSL
 * error queue. */
mc_status_t mc_cert_facts_der(const unsigned char *der, size_t len, mc_cert_facts_t *out);

/* A distinguished name as one sanitized line ("CN=mx.example,O=Example"),
 * "" if it cannot be printed. */
void mc_cert_name_str(const X509_NAME *n, char *buf, size_t bufsz);

/* An ASN.1 time (UTCTime or GeneralizedTime) as time_t; 0 for NULL or an
 * unreadable time. */
time_t mc_cert_time(const ASN1_TIME *a);

/* Days from now to x's notAfter (see mc_cert_facts_t.days_left). */
double mc_cert_days_left(const X509 *x);

/* The first certificate of chain (leaf first) below the root that is
 * signed with SHA-1 or MD5: its depth, and "sha1WithRSAEncryption on
 * CN=..." in buf. -1, buf untouched, if none or chain is NULL. A
 * self-signed certificate's own signature protects nothing and is passed
 * over. */
int mc_cert_weak_signature(STACK_OF(X509) * chain, char *buf, size_t bufsz);

/* t as "2026-11-23 04:00:00 UTC"; "?" if it cannot be shown. */
void mc_cert_time_str(time_t t, char *buf, size_t bufsz);

#endif
