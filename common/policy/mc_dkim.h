/* mc_dkim.h - the DKIM key record at SELECTOR._domainkey.DOMAIN (RFC 6376
 * section 3.6.1, Ed25519 keys per RFC 8463): parsing its tag list and
 * loading its public key. The library states facts; judging them (which
 * key is too weak, whether testing mode matters) is the caller's. */
#ifndef MC_DKIM_H
#define MC_DKIM_H

#include <stdbool.h>
#include <stddef.h>

#include "dns/mc_dns.h"
#include "util/mc_status.h"

/* Longest p= accepted, in base64 characters once whitespace is removed:
 * room for an RSA key of 16384 bits (about 2800 characters) and more. */
#define MC_DKIM_P_MAX 4096
/* Most tags in one record (a hard cap against hostile records). */
#define MC_DKIM_MAX_TAGS 64

typedef enum mc_dkim_key_type {
	MC_DKIM_KEY_RSA = 0, /* k=rsa, or no k= (the default) */
	MC_DKIM_KEY_ED25519, /* k=ed25519 (RFC 8463) */
	MC_DKIM_KEY_OTHER    /* any other k= value: not supported */
} mc_dkim_key_type_t;

typedef struct mc_dkim_record {
	bool has_version;          /* v=DKIM1 present (it is optional) */
	mc_dkim_key_type_t k;      /* from k= */
	char k_name[33];           /* k= as written, sanitized, cut; "rsa" if absent */
	bool h_given;              /* h= present (absent: every hash allowed) */
	bool sha256_ok;            /* sha256 allowed: no h=, or h= lists sha256 */
	bool sha1_only;            /* h= lists sha1 and not sha256 (RFC 8301
	                            * forbids rsa-sha1 signatures: such a key
	                            * verifies nothing a modern verifier accepts) */
	bool service_email;        /* s= absent, or lists "email" or "*" */
	char services[64];         /* s= as written, sanitized, cut; "" if absent */
	bool testing;              /* t= has flag y (domain is testing DKIM) */
	bool strict;               /* t= has flag s (no subdomains in i=) */
	bool revoked;              /* p= is empty: the key was revoked */
	char notes[128];           /* n= as written, sanitized, cut with "..." */
	char p[MC_DKIM_P_MAX + 1]; /* p= with whitespace removed, not yet decoded */
	size_t plen;
} mc_dkim_record_t;

/* Parse one TXT record (strings already joined; txt need not be
 * NUL-terminated and may contain NUL bytes, which are an error).
 *
 * Tag list syntax of RFC 6376 section 3.2: tag=value pairs separated by
 * ';', folding whitespace (spaces, tabs, CRLF followed by a space or tab)
 * allowed around names, '=' and ';' and inside values, a trailing ';'
 * allowed. Tag names are ALPHA *(ALPHA / DIGIT / '_') and case-sensitive
 * ("P=" is not p=); values are printable ASCII other than ';'. Errors: a
 * tag given twice (unknown ones too), an empty tag (";;"), a tag without
 * '=', a bad byte, more than MC_DKIM_MAX_TAGS tags.
 *
 * Tags: v= optional, but if present "DKIM1" exactly and the first tag;
 * h=, s=, t= colon-separated lists of words (unknown words ignored, empty
 * items an error); k= one word; n= free text; p= required (base64 is
 * checked by mc_dkim_key_check, only its length here). Keyword values
 * (h, k, s, t) compare case-insensitively, as the RFC's ABNF literals do.
 * Unknown tags are ignored (g= of RFC 4871 included).
 *
 * MC_OK, or MC_E_PROTOCOL with a one-line reason in err naming the tag
 * ("v= must be the first tag", "tag 'k' given twice", "no p= tag"). */
mc_status_t mc_dkim_record_parse(const char *txt, size_t len, mc_dkim_record_t *rec, char *err,
                                 size_t errsz);

/* What the published key is. For judging (RFC 8301 section 3.2): RSA keys
 * under 1024 bits MUST NOT be used by signers and verifiers; signers
 * SHOULD use at least 2048. Ed25519 (RFC 8463) keys are always 256-bit
 * curve points (256 bits to OpenSSL, 128 bits of security). */
typedef struct mc_dkim_key {
	mc_dkim_key_type_t type;
	int bits;          /* RSA modulus size; 256 for Ed25519 */
	int security_bits; /* OpenSSL's estimate: 80 for RSA 1024, 112 for 2048 */
	bool rsa_bare;     /* RSA p= was a bare RSAPublicKey (PKCS#1), not the
	                    * SubjectPublicKeyInfo RFC 6376 section 3.6.1
	                    * specifies; common verifiers accept both */
} mc_dkim_key_t;

/* Decode rec->p and load it with OpenSSL.
 *
 * Base64 per RFC 2045 without line breaks: A-Z a-z 0-9 + /, padded with
 * '=' to a multiple of 4 characters. RSA: the DER of a SubjectPublicKeyInfo
 * holding an RSA key, or a bare RSAPublicKey (see rsa_bare); nothing may
 * follow the DER; the modulus must be positive and the exponent odd and
 * above 1. Ed25519: exactly the 32 raw bytes of the public key (RFC 8463
 * section 4.2), not a SubjectPublicKeyInfo.
 *
 * MC_OK with key filled; MC_E_PROTOCOL with a one-line reason for a revoked
 * key ("key revoked (empty p=)"), an unsupported k=, undecodable base64
 * ("p= has a character that is not base64 ..."), or a key OpenSSL cannot
 * load ("k=rsa but p= holds a key of type ED25519", "Ed25519 key is 44 bytes, not
 * 32 ..."). Leaves OpenSSL's error queue empty. */
mc_status_t mc_dkim_key_check(const mc_dkim_record_t *rec, mc_dkim_key_t *key, char *err,
                              size_t errsz);

/* "rsa", "ed25519", "other" ("unknown" outside the enum). */
const char *mc_dkim_key_type_str(mc_dkim_key_type_t type);

/* What one selector's TXT answer (SELECTOR._domainkey.DOMAIN) holds. */
typedef enum mc_dkim_found {
	MC_DKIM_FOUND_UNANSWERED = 0, /* no answer (yet) */
	MC_DKIM_FOUND_NONE,           /* NXDOMAIN, no data, or no TXT record */
	MC_DKIM_FOUND_DNS_ERROR,      /* SERVFAIL, ...: error is the answer's error line */
	MC_DKIM_FOUND_SEVERAL,        /* nrecords (> 1) TXT records */
	MC_DKIM_FOUND_INVALID,        /* one record, not valid: error says why */
	MC_DKIM_FOUND_RECORD          /* one record, parsed into rec */
} mc_dkim_found_t;

typedef struct mc_dkim_selector {
	mc_dkim_found_t found;
	size_t nrecords; /* TXT records of the answer */
	/* DNS_ERROR, INVALID: why; RECORD with !key_ok: why the key is not
	 * usable ("" for a revoked key or an unsupported k=, which rec says). */
	char error[384];
	mc_dkim_record_t rec;
	bool key_ok; /* RECORD: mc_dkim_key_check passed, key filled */
	mc_dkim_key_t key;
} mc_dkim_selector_t;

/* The facts of one selector's TXT answer a (NULL: not answered): every
 * TXT record counts (a key needs exactly one); the one record is parsed (mc_dkim_record_parse) and,
 * unless revoked or of an unsupported k=, its key checked (mc_dkim_key_check). out is overwritten.
 */
void mc_dkim_selector_facts(const mc_dns_answer_t *a, mc_dkim_selector_t *out);

#endif
