/* mc_tls.h - OpenSSL client side: one context per process with lazily
 * loaded trust, a non-blocking handshake on the loop, verification, and the
 * facts of the peer's certificate (read by tls/mc_cert, the stapled OCSP
 * response checked by tls/mc_ocsp, TLSA records handed over by
 * tls/mc_dane). */
#ifndef MC_TLS_H
#define MC_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "net/mc_stream.h"
#include "tls/mc_dane.h"
#include "util/mc_status.h"

typedef struct mc_tls_ctx mc_tls_ctx_t;

typedef struct mc_tls_ctx_params {
	/* PEM roots to trust instead of the system store; NULL: the hashed
	 * directory trust_dir, searched by subject hash as needed (never the
	 * whole bundle: see design.md, performance rules). */
	const char *ca_file;
	const char *trust_dir; /* NULL: the configured default (/etc/ssl/certs) */
} mc_tls_ctx_params_t;

/* A context. err receives a one-line reason on failure (MC_E_USAGE for an
 * unreadable --ca-file, MC_E_INTERNAL for OpenSSL failures). Sets SIGPIPE
 * to be ignored: OpenSSL writes to sockets with write(2). */
mc_status_t mc_tls_ctx_new(const mc_tls_ctx_params_t *p, mc_tls_ctx_t **out, char *err,
                           size_t errsz);
void mc_tls_ctx_free(mc_tls_ctx_t *ctx);

typedef enum mc_tls_verify {
	MC_TLS_VERIFY_FULL = 0, /* chain, name and dates */
	MC_TLS_VERIFY_CHAIN,    /* chain and dates, any name */
	MC_TLS_VERIFY_NONE      /* nothing verified; facts still collected */
} mc_tls_verify_t;

/* One TLSA record (RFC 6698 section 2.1): mc_dane_tlsa_t of
 * tls/mc_dane.h, under the name the callers outside tls/ know. */
typedef mc_dane_tlsa_t mc_tls_tlsa_t;

typedef struct mc_tls_params {
	/* Canonical names (mc_tls_name_parse of tls/mc_tls_name.h). */
	const char *sni;       /* server name to send; NULL or an address: none */
	const char *cert_name; /* name the certificate must carry (FULL): required */
	mc_tls_verify_t verify;
	/* DANE (RFC 7672): with dane_base set, the usable records of tlsa
	 * (DANE-TA(2) and DANE-EE(3); PKIX usages are not used for SMTP,
	 * section 3.1.3) decide the verification instead of the trust store
	 * and verify; DANE-TA chains are name-checked against dane_base. With
	 * no usable record, verification is as without DANE. */
	const char *dane_base;
	const mc_tls_tlsa_t *tlsa;
	size_t ntlsa;
	/* Ask for a stapled OCSP response (RFC 6066 section 8). */
	bool ocsp;
	/* A probe: offer only this version (TLS1_VERSION, ...), with the
	 * security level lowered to 0 so an old version can be offered at
	 * all. 0: the normal range. */
	int only_version;
} mc_tls_params_t;

#define MC_TLS_NAMES_MAX 512

/* What the handshake established and what the certificate says. The
 * fields from subject to key_bits, except the expiring_* ones, are the
 * leaf's facts as mc_cert_facts_t of tls/mc_cert.h states them. */
typedef struct mc_tls_info {
	char version[16]; /* "TLSv1.3" */
	char cipher[64];  /* "TLS_AES_256_GCM_SHA384" */
	int version_num;  /* TLS1_2_VERSION, ... */
	/* The server signed the handshake with the leaf's key: TLS 1.3, or an
	 * (EC)DHE key exchange in TLS 1.2 (RFC 8446 section 4.4.2.2 asks for
	 * digitalSignature in the keyUsage then). */
	bool handshake_signed;
	bool have_cert;
	bool verified;                /* the verification asked for succeeded */
	long verify_error;            /* X509_V_OK or the OpenSSL X509_V_ERR_* code */
	int error_depth;              /* chain depth of verify_error */
	char verify_reason[400];      /* the verdict, e.g. "certificate has expired on ..." */
	char subject[256];            /* leaf subject, one line (RFC 2253) */
	char issuer[256];             /* leaf issuer */
	char names[MC_TLS_NAMES_MAX]; /* DNS names the leaf carries, ", " separated */
	/* The leaf's DNS and IP subjectAltName entries: with no DNS entry a
	 * host name can match only through the subject CN, a fallback RFC
	 * 9525 removed. */
	int san_dns, san_ip;
	/* The leaf has a keyUsage extension, and whether the leaf may sign
	 * (digitalSignature; true without the extension: RFC 5280 section
	 * 4.2.1.3 then restricts nothing). */
	bool key_usage_present;
	bool key_usage_signature;
	time_t not_before, not_after; /* leaf validity */
	/* Least time left over the verified chain (or the leaf and the chain
	 * the peer sent, when unverified), in days, negative once expired;
	 * expiring_depth says which certificate. */
	double days_left;
	int expiring_depth;
	char expiring_subject[256];
	/* The leaf's public key: "RSA", "EC", "Ed25519", ... and its bits. */
	char key_type[16];
	int key_bits;
	/* The first certificate below the root signed with SHA-1 (or MD5),
	 * from the leaf up: its depth, or -1 if none. */
	int weak_sig_depth;
	char weak_sig[300]; /* "sha1WithRSAEncryption on CN=..." */
	/* DANE: usable records given, and the one that matched. */
	size_t dane_usable;
	int dane_depth;        /* depth of the matched certificate, -1: no match */
	char dane_record[160]; /* "3 1 1 8a3f21...": the matched record */
	/* OCSP (params.ocsp): whether a response was stapled, its verdict
	 * (mc_ocsp_status_t of tls/mc_ocsp.h) and one line on it; whether the
	 * leaf demands a staple (RFC 7633). */
	bool ocsp_stapled;
	int ocsp_status;
	char ocsp_text[256];
	bool must_staple;
} mc_tls_info_t;

/* Called once when the handshake ends. On MC_OK the stream's transport is
 * TLS and info is complete (verification is NOT a handshake failure: check
 * info->verified). On failure (MC_E_TLS, MC_E_CLOSED, MC_E_IO, MC_E_NOMEM)
 * err says why; the stream must then be freed. */
typedef void (*mc_tls_done_cb)(void *arg, mc_status_t st, const char *err);

/* Start a client handshake on the stream (which must have no unread bytes:
 * the caller checks for injected plaintext first). MC_E_USAGE, and no
 * handshake, when full verification has no name to check or a name
 * (cert_name, sni, dane_base) is not canonical (mc_tls_name_valid of
 * tls/mc_tls_name.h): a certificate is never checked against "" or a
 * pattern. The stream is paused
 * until the callback and owns the TLS state from now on: freeing the
 * stream, also mid-handshake, frees it. The callback may run before this
 * returns only on failure. */
mc_status_t mc_tls_start(mc_tls_ctx_t *ctx, mc_stream_t *s, const mc_tls_params_t *p,
                         mc_tls_info_t *info, mc_tls_done_cb cb, void *arg);

/* "2026-11-23 04:00:00 UTC": mc_cert_time_str of tls/mc_cert.h, under
 * the name the callers outside tls/ know. */
void mc_tls_time_str(time_t t, char *buf, size_t bufsz);

/* Map "1.2"/"1.3" to a version number for comparison with
 * mc_tls_info_t.version_num. MC_E_USAGE otherwise. */
mc_status_t mc_tls_version_parse(const char *text, int *version);

#endif
