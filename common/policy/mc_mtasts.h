/* mc_mtasts.h - MTA-STS (RFC 8461): the "_mta-sts" TXT record, the policy
 * file, and matching an MX host name against the policy's mx patterns. */
#ifndef MC_MTASTS_H
#define MC_MTASTS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/mc_status.h"

/* The TXT record at _mta-sts.DOMAIN (RFC 8461 section 3.1):
 * "v=STSv1; id=20160831085700Z;" - fields separated by ';' with optional
 * whitespace (WSP) around them, v=STSv1 first, id= 1..32 letters/digits,
 * other fields (name=value, name being ALPHA/DIGIT/'_'/'-'/'.', value
 * printable ASCII without ' ', ';' and '=') checked and ignored, a trailing
 * ';' allowed. A duplicated field (id= or v= twice) is an error; an
 * extension field may repeat. Empty fields (";;") and NUL bytes are
 * errors. */
typedef struct mc_sts_record {
	char id[33];
} mc_sts_record_t;

/* MC_OK, or MC_E_PROTOCOL with a one-line reason in err (e.g. "no id=
 * field", "v=STSv1 must come first", "id 'x!' is not 1-32 letters and
 * digits"). A record not starting with "v=STSv1" is MC_E_AGAIN ("not an
 * MTA-STS record": the caller ignores it, as RFC 8461 says), unless a later
 * field (or the first, after whitespace) is v=STSv1: that is MC_E_PROTOCOL,
 * a broken record senders would discard. */
mc_status_t mc_sts_record_parse(const char *txt, size_t len, mc_sts_record_t *rec, char *err,
                                size_t errsz);

typedef enum mc_sts_mode {
	MC_STS_MODE_NONE = 0,
	MC_STS_MODE_TESTING,
	MC_STS_MODE_ENFORCE
} mc_sts_mode_t;

#define MC_STS_MAX_MX 32

/* The policy file (RFC 8461 section 3.2): lines "key: value" ending in
 * CRLF or LF (the last line may lack it), keys case-sensitive as in the
 * RFC, whitespace around the value trimmed; version: STSv1 (required,
 * conventionally first); mode: enforce|testing|none (required); mx:
 * a host name or "*.name" (required unless mode is none, repeatable, up to
 * MC_STS_MAX_MX); max_age: 0..31557600 seconds (required). Unknown keys
 * are ignored; a line without ':' is an error; a key given twice (other
 * than mx) is an error. Blank lines (empty or only whitespace) are skipped.
 * The key runs up to the ':' and must be a field name (ALPHA/DIGIT, then
 * ALPHA/DIGIT/'_'/'-'/'.', at most 32), so "mode : x" is an error; values
 * are case-sensitive; max_age is 1-10 digits; an mx is letters, digits and
 * hyphens in dot-separated labels of 1-63 (no trailing dot), optionally
 * after "*.". Control bytes other than tab (NUL included, a CR not before
 * LF) are errors. */
typedef struct mc_sts_policy {
	mc_sts_mode_t mode;
	long max_age;
	char mx[MC_STS_MAX_MX][256];
	size_t nmx;
} mc_sts_policy_t;

/* MC_OK or MC_E_PROTOCOL with a one-line reason in err naming the line
 * ("line 3: mode 'strict' is not enforce, testing or none"). */
mc_status_t mc_sts_policy_parse(const char *text, size_t len, mc_sts_policy_t *pol, char *err,
                                size_t errsz);

/* "enforce", "testing", "none" ("unknown" outside the enum). */
const char *mc_sts_mode_str(mc_sts_mode_t mode);

/* RFC 8461 section 4.1: does host (an MX name, a trailing dot ignored,
 * case-insensitive) match pattern? "*.example.com" matches exactly one
 * extra leftmost label ("mx.example.com", not "example.com" nor
 * "a.b.example.com"); other patterns match the name exactly. */
bool mc_sts_mx_match(const char *pattern, const char *host);

/* Index of the first pattern of pol that host matches, or -1. */
int mc_sts_policy_match(const mc_sts_policy_t *pol, const char *host);

#endif
