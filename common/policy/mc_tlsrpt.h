/* mc_tlsrpt.h - the SMTP TLS Reporting record at _smtp._tls.DOMAIN
 * (RFC 8460 section 3): "v=TLSRPTv1; rua=mailto:tlsrpt@example.com". */
#ifndef MC_TLSRPT_H
#define MC_TLSRPT_H

#include <stddef.h>

#include "util/mc_status.h"

#define MC_TLSRPT_MAX_RUA 8

typedef struct mc_tlsrpt_record {
	/* The rua URIs, each "mailto:..." or "https://..." (comma separated
	 * in the record, whitespace around them trimmed; '!' size suffixes as
	 * in DMARC are not part of TLS-RPT and make the URI invalid). */
	char rua[MC_TLSRPT_MAX_RUA][256];
	size_t nrua;
} mc_tlsrpt_record_t;

/* Fields are separated by ';' with optional whitespace; v=TLSRPTv1 must be
 * first; rua= is required, exactly once; other name=value fields are
 * ignored (extensions, checked as in RFC 8460: name ALPHA/DIGIT/'_'/'-'/
 * '.', value printable ASCII without ' ', ';' and '='); a trailing ';' is
 * allowed. A URI scheme other than mailto: or https:, an empty URI, or more
 * than MC_TLSRPT_MAX_RUA URIs is an error; so are a mailto: without
 * user@domain, an https:// without host, a URI longer than 255 bytes or
 * with a character RFC 3986 does not allow unencoded (' ', ',', ';', '!',
 * '<', '"', ...), v= twice, empty fields (";;") and NUL bytes. Scheme
 * names are case-insensitive. MC_OK, MC_E_PROTOCOL with a one-line reason
 * in err, or MC_E_AGAIN for a record that does not start with "v=TLSRPTv1"
 * (not a TLS-RPT record; the caller ignores it) - unless a later field (or
 * the first, after whitespace) is v=TLSRPTv1: that is MC_E_PROTOCOL. */
mc_status_t mc_tlsrpt_parse(const char *txt, size_t len, mc_tlsrpt_record_t *rec, char *err,
                            size_t errsz);

#endif
