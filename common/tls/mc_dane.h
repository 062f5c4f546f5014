/* mc_dane.h - DANE for SMTP (RFC 7672) on one OpenSSL session: which TLSA
 * records are usable, handing them to OpenSSL before the handshake, and
 * which one matched after it. OpenSSL does the matching; tls/mc_tls calls
 * this module, which knows nothing of mc_tls. */
#ifndef MC_DANE_H
#define MC_DANE_H

#include <openssl/types.h>
#include <stddef.h>
#include <stdint.h>

#include "util/mc_status.h"

/* One TLSA record (RFC 6698 section 2.1); data is the caller's. */
typedef struct mc_dane_tlsa {
	uint8_t usage, selector, mtype;
	const uint8_t *data;
	size_t len;
} mc_dane_tlsa_t;

/* Give ssl, before its handshake, the records of tlsa[0..n) usable for
 * SMTP: DANE-TA(2) and DANE-EE(3) only (RFC 7672 section 3.1.3; PKIX
 * usages are passed over). DANE is enabled with base_name (the name
 * DANE-TA chains are checked against) at the first usable record, and
 * DANE-EE records match the key alone, whatever names the certificate
 * carries (section 3.1.1). Records OpenSSL refuses (a matching type or
 * selector it does not know, a digest of the wrong length) are skipped;
 * *usable grows by the number accepted. MC_E_INTERNAL when DANE cannot
 * be enabled on ssl. Empties the OpenSSL error queue of refused records. */
mc_status_t mc_dane_add(SSL *ssl, const char *base_name, const mc_dane_tlsa_t *tlsa, size_t n,
                        size_t *usable);

/* After the handshake: the chain depth of the certificate a record
 * matched (-1: none), and that record as "3 1 1 8a3f21..." in buf (the
 * data cut after 16 bytes; buf untouched without a match). */
int mc_dane_matched(SSL *ssl, char *buf, size_t bufsz);

#endif
