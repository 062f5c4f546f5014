/* mc_spf_walk.h - the static walk of a domain's SPF tree: every include
 * and redirect followed, whatever an evaluation would reach, to count the
 * whole tree against the limits of RFC 7208 section 4.6.4 and find what
 * makes some evaluation a permerror. A pure function over the lookup
 * callback of mc_spf_check_host: replayed by mc_dns_replay, or run over
 * answers already known.
 *
 * Rules:
 * - Terms are taken in record order, depth first: an include's record is
 *   walked where the include stands. A redirect is taken at its place in
 *   the record too, and not at all in a record that has an all mechanism
 *   (section 6.1: redirect is ignored beside all).
 * - Counted as DNS-querying terms (section 4.6.4): include, a, mx, ptr,
 *   exists and redirect, each every time it is met. The 11th names its
 *   path in over_path.
 * - Void lookups: an a whose A and AAAA answers are both NXDOMAIN or no
 *   records (the walk asks both: the client may be either), an mx or an
 *   exists (A) whose answer is. The 3rd names its path in void_path. ptr
 *   is counted, never looked up (its target is the client's address).
 * - A target with a macro ('%') depends on the sender or the client: the
 *   term is counted, its target neither looked up nor walked.
 * - An MX answer of more than MC_SPF_MAX_NAMES names is a finding.
 * - An include or redirect whose target is on the path from the top (names
 *   compared as mc_dns_name_eq does) is a loop: a finding, not followed.
 *   At most MC_SPF_WALK_MAX_DEPTH records on a path: an include or redirect
 *   in the 16th (depth 15) is counted, not followed.
 * - Names are passed to the lookup as mc_spf_check_host passes them: a
 *   backslash in a domain-spec is a byte of the name (escaped). One that
 *   cannot be a name even escaped (over 2 * MC_SPF_NAME_MAX + 1 bytes) is
 *   not asked and taken as NXDOMAIN; the lookup judges the others.
 * - Below the top, a target whose TXT answer is a DNS error, that has no
 *   SPF record or several, or whose record does not parse is a finding
 *   (what every evaluation reaching it makes a permerror or temperror);
 *   for the top the walk gives what it saw (top, nrecords, parse_error).
 * - The walk stops at MC_SPF_WALK_MAX_LOOKUPS counted terms (truncated):
 *   any tree, however many records name each other, costs a bounded
 *   number of lookups and record parses.
 *
 * Paths: the top domain, then each term followed, " > " between:
 * "example.org > include:_spf.example.org > a:mail.example.org". Each text
 * field keeps the first of its kind met in walk order. */
#ifndef MC_SPF_WALK_H
#define MC_SPF_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "dns/mc_dns.h"
#include "policy/mc_spf.h"

/* Size of the path and finding fields. */
#define MC_SPF_WALK_PATH_MAX 600
/* Records on one path at most: the top and 15 levels of includes. */
#define MC_SPF_WALK_MAX_DEPTH 16
/* Counted terms after which the walk stops. */
#define MC_SPF_WALK_MAX_LOOKUPS 100

typedef struct mc_spf_walk {
	/* An answer was not known yet (asked through the lookup): the counts
	 * and findings are those of the part of the tree seen. */
	bool pending;
	/* Stopped at MC_SPF_WALK_MAX_LOOKUPS: the counts are lower bounds. */
	bool truncated;
	unsigned lookups;                     /* DNS-querying terms */
	unsigned voids;                       /* void lookups */
	unsigned depth;                       /* deepest record whose TXT answer is known; top 0 */
	char over_path[MC_SPF_WALK_PATH_MAX]; /* the 11th DNS-querying term */
	char void_path[MC_SPF_WALK_PATH_MAX]; /* the 3rd void lookup */
	/* The first structural problem below the top (a permerror or a
	 * temperror for evaluations that get there):
	 * "a.example > include:b.example: no SPF record (permerror)",
	 * "... > include:a.example: a loop (RFC 7208 section 4.6.4)",
	 * "a.example > mx: 12 MX names, over the limit of 10 (RFC 7208 section
	 * 4.6.4)", "a.example > include:b.example: TXT b.example: ..." (the
	 * answer's error line), "... > include:b.example: term 2 ..." (the
	 * parse error). */
	char finding[MC_SPF_WALK_PATH_MAX];
	char ptr_path[MC_SPF_WALK_PATH_MAX]; /* the first ptr term */
	/* The top domain: its TXT answer (NULL while unknown; valid as long as
	 * the lookup's answers), its SPF records, and the record when it is the
	 * only one: parsed (rec, bytes its length) or why not (parse_error). */
	const mc_dns_answer_t *top;
	size_t nrecords;
	bool parsed;
	mc_spf_record_t rec;
	size_t bytes;
	char parse_error[MC_SPF_TEXT_MAX];
} mc_spf_walk_t;

/* Walk the SPF tree of domain (a name as mc_dns_name_valid accepts it)
 * through lookup(arg, ...), which may give NULL (then pending). out is
 * overwritten: free an earlier walk in it first. Out of memory while
 * parsing a record is reported as that record's parse error. */
void mc_spf_walk(const char *domain, mc_spf_lookup_fn lookup, void *arg, mc_spf_walk_t *out);

/* Free the parsed top record (rec); parsed is then false. A zeroed walk
 * and one freed already are fine. */
void mc_spf_walk_free(mc_spf_walk_t *w);

#endif
