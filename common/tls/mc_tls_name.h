/* mc_tls_name.h - the name a certificate is verified against, and sent as
 * SNI: one exact host name or one IP address, never empty and never a
 * pattern.
 *
 * Why a module of its own: OpenSSL reads what it is given as a rule, not
 * as a name. X509_VERIFY_PARAM_set1_host() with "" clears the host list
 * (verification then checks no name at all), and a leading dot means "any
 * subdomain" (X509_check_host(3)). A user's --cert-name, -H or --sni
 * therefore goes through mc_tls_name_parse before it reaches OpenSSL, and
 * mc_tls_start refuses a name that is not canonical (mc_tls_name_valid). */
#ifndef MC_TLS_NAME_H
#define MC_TLS_NAME_H

#include <stdbool.h>
#include <stddef.h>

#include "util/mc_status.h"

/* Room for any canonical name: 253 bytes of host name (RFC 1035 section
 * 2.3.4) or an IPv6 address in text, and the NUL. */
#define MC_TLS_NAME_SIZE 254

typedef enum mc_tls_name_kind {
	MC_TLS_NAME_HOST = 0, /* a DNS host name, matched against dNSName SANs */
	MC_TLS_NAME_IP        /* an IPv4 or IPv6 address, matched against iPAddress SANs */
} mc_tls_name_kind_t;

/* The canonical form of a name a user gave into out (outsz bytes,
 * MC_TLS_NAME_SIZE always fits) and its kind:
 * - an IPv4 or IPv6 address (no brackets, no port) is kept as given;
 * - a host name loses one trailing dot (RFC 1034 section 3.1: the same
 *   name), a Unicode name becomes its A-label (IDNA2008 with the UTS #46
 *   non-transitional mapping, as browsers do: "bücher.example" is
 *   "xn--bcher-kva.example").
 * MC_E_USAGE with a reason in err (without the name itself: the caller
 * quotes it) when the name is empty, a pattern (a leading dot, a '*'), or
 * not a host name: characters other than ASCII letters, digits, '-' and
 * '.', an empty label, a label over 63 bytes or starting or ending with
 * '-', a name over 253 bytes, or Unicode that IDNA refuses. MC_E_NOMEM
 * when the IDNA conversion runs out of memory. */
mc_status_t mc_tls_name_parse(const char *in, char *out, size_t outsz, mc_tls_name_kind_t *kind,
                              char *err, size_t errsz);

/* name is what mc_tls_name_parse returns for it: an address, or a
 * non-empty ASCII host name without a trailing dot or a pattern. */
bool mc_tls_name_valid(const char *name);

#endif
