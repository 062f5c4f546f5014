/* mc_dmarc.h - the DMARC record at _dmarc.DOMAIN (RFC 7489 sections 6.3
 * and 6.4, np= of RFC 9091), organizational domains from the Public Suffix
 * List (libpsl), and the names that authorize external report
 * destinations (RFC 7489 section 7.1). Facts only; judging is the
 * caller's. */
#ifndef MC_DMARC_H
#define MC_DMARC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/mc_status.h"

/* URIs kept per rua=/ruf= list; more are checked and counted, not kept. */
#define MC_DMARC_MAX_URI 8
/* Most tags in one record (a hard cap against hostile records). */
#define MC_DMARC_MAX_TAGS 64

/* Ordered: a stronger policy compares greater. */
typedef enum mc_dmarc_policy {
	MC_DMARC_POLICY_UNSET = 0,
	MC_DMARC_POLICY_NONE,
	MC_DMARC_POLICY_QUARANTINE,
	MC_DMARC_POLICY_REJECT
} mc_dmarc_policy_t;

typedef enum mc_dmarc_scheme {
	MC_DMARC_URI_MAILTO = 0, /* the one scheme receivers must support */
	MC_DMARC_URI_HTTPS,
	MC_DMARC_URI_HTTP,
	MC_DMARC_URI_OTHER /* a valid URI receivers are unlikely to use */
} mc_dmarc_scheme_t;

typedef struct mc_dmarc_uri {
	char uri[256]; /* as written, without the "!size" suffix */
	mc_dmarc_scheme_t scheme;
	char host[254];    /* mailto: the address's domain; http(s): the
	                    * host; lower case, no trailing dot; "" for
	                    * other schemes */
	bool has_max_size; /* a "!size" suffix was given */
	uint64_t max_size; /* its value in bytes ("!10m" = 10485760) */
} mc_dmarc_uri_t;

/* Report format options of fo= (bit set). */
#define MC_DMARC_FO_0 (1u << 0) /* report if all mechanisms fail (default) */
#define MC_DMARC_FO_1 (1u << 1) /* report if any mechanism fails */
#define MC_DMARC_FO_D (1u << 2) /* report DKIM failures */
#define MC_DMARC_FO_S (1u << 3) /* report SPF failures */

typedef struct mc_dmarc_record {
	mc_dmarc_policy_t p;  /* required */
	size_t p_index;       /* position of p= among the tags (v= is 0); the
	                       * ABNF of section 6.4 puts it at 1, receivers
	                       * accept it anywhere after v= */
	mc_dmarc_policy_t sp; /* subdomains; p when absent (section 6.3) */
	bool sp_given;
	mc_dmarc_policy_t np; /* non-existent subdomains; sp when absent
	                       * (RFC 9091) */
	bool np_given;
	unsigned pct; /* 0-100; 100 when absent */
	bool pct_given;
	char adkim, aspf; /* 'r' (relaxed, the default) or 's' (strict) */
	unsigned fo;      /* MC_DMARC_FO_* bits; MC_DMARC_FO_0 when absent */
	uint32_t ri;      /* aggregate report interval, seconds; 86400 default */
	mc_dmarc_uri_t rua[MC_DMARC_MAX_URI];
	size_t nrua;       /* kept in rua[] */
	size_t nrua_total; /* listed in rua= */
	mc_dmarc_uri_t ruf[MC_DMARC_MAX_URI];
	size_t nruf, nruf_total;
} mc_dmarc_record_t;

/* Parse one TXT record (strings already joined; txt need not be
 * NUL-terminated and may contain NUL bytes, which are an error).
 *
 * The record must begin with v=DMARC1 (the value case-sensitive, spaces or
 * tabs allowed around '=') followed by ';', whitespace or its end; tags
 * are name=value separated by ';' with spaces or tabs around, a trailing
 * ';' allowed. Tag names (ALPHA *(ALPHA / DIGIT / '_')) and keyword values
 * compare case-insensitively, as the ABNF's literals do. Unknown tags are
 * ignored after a syntax check; any tag given twice, an empty tag (";;"),
 * a tag without '=' or a control byte is an error.
 *
 * Tags: p=, sp=, np= none|quarantine|reject (p= required); pct= 1-3 digits,
 * 0-100; adkim=, aspf= r|s; fo= colon list of 0, 1, d, s; rf= colon list
 * of report formats, each "afrf" (the only one registered); ri= digits,
 * up to 4294967295; rua=, ruf= comma lists of URIs (whitespace around the
 * commas allowed), each a scheme and characters RFC 3986 allows (',' and
 * '!' encoded, at most 255 bytes) and an optional "!" 1*DIGIT
 * [k|m|g|t] size suffix (powers of 1024); a mailto: URI needs
 * local@domain with a host name for domain, an http(s) URI a host.
 *
 * Receivers ignore a record not starting with v=DMARC1 and, per section
 * 6.3, fall back to defaults for a bad optional tag; this parser reports
 * both, being a checker. MC_OK; MC_E_AGAIN "not a DMARC record" for a
 * record that does not start with v=DMARC1 and has no v=DMARC1 field at
 * all (the caller ignores it); otherwise MC_E_PROTOCOL with a one-line
 * reason naming the tag ("v=DMARC1 must come first", "no p= tag", "pct=101
 * is not 0-100", "tag 'rua': URI 'x' has no scheme"). */
mc_status_t mc_dmarc_parse(const char *txt, size_t len, mc_dmarc_record_t *rec, char *err,
                           size_t errsz);

/* "none", "quarantine", "reject" ("unset" for UNSET, "unknown" outside). */
const char *mc_dmarc_policy_str(mc_dmarc_policy_t p);

/* Does the TXT record at DOMAIN._report._dmarc.DEST authorize reports
 * (RFC 7489 section 7.1)? True when it begins with v=DMARC1 followed by
 * ';', whitespace or its end (other tags are not needed). */
bool mc_dmarc_auth_record_ok(const char *txt, size_t len);

/* The organizational domain of domain (RFC 7489 section 3.2): its public
 * suffix plus one label, the public suffix being the longest match in the
 * Public Suffix List (ICANN and private sections, the newest list libpsl
 * finds: its built-in copy or the system's, Debian's publicsuffix
 * package). A name under a TLD the list lacks has that TLD as its suffix
 * (the list's implicit "*" rule): example.test and a.example.test give
 * example.test.
 *
 * domain is an A-label (ASCII) DNS name, one trailing dot ignored; the
 * result is lower case without a trailing dot. MC_OK; MC_E_USAGE if domain
 * is not a DNS name (empty labels, labels over 63 bytes, names over 253,
 * bytes other than letters, digits, '-' and '_'); MC_E_DNS_NOTFOUND if it
 * is itself a public suffix ("com", "co.uk": it has no organizational
 * domain); MC_E_LIMIT if out is too small; MC_E_INTERNAL if libpsl has no
 * list. */
mc_status_t mc_dmarc_org_domain(const char *domain, char *out, size_t outsz);

/* Is dest (a report destination host, e.g. a mc_dmarc_uri_t.host) inside
 * org_domain, an organizational domain: do dest and org_domain have the
 * same organizational domain (compared without case or trailing dot)? When
 * they do not, RFC 7489 section 7.1 wants the authorization record
 * mc_dmarc_report_auth_name names. A dest that is a public suffix is not
 * inside. MC_OK with *inside set, or the errors of mc_dmarc_org_domain
 * for dest (MC_E_USAGE, MC_E_INTERNAL). */
mc_status_t mc_dmarc_in_org(const char *dest, const char *org_domain, bool *inside);

/* "DOMAIN._report._dmarc.DEST" (RFC 7489 section 7.1): domain is the one
 * the DMARC record was found for, dest the destination host; both DNS
 * names as for mc_dmarc_org_domain, trailing dots dropped, lower-cased.
 * MC_OK; MC_E_USAGE for a name that is not a DNS name; MC_E_LIMIT if the
 * result is over 253 bytes (not a DNS name) or does not fit out. */
mc_status_t mc_dmarc_report_auth_name(const char *domain, const char *dest, char *out,
                                      size_t outsz);

#endif
