/* mc_taglist.h - the "name=value; name=value" lists of policy TXT records:
 * the tag-list of RFC 6376 section 3.2 (DKIM keys; DMARC records use it,
 * RFC 7489 section 6.4) and the field lists of MTA-STS (RFC 8461 section
 * 3.1) and TLS-RPT (RFC 8460 section 3). One splitter for all: what the
 * records differ in (whitespace, name grammar, a leading version tag,
 * duplicates, the error texts) is a syntax the caller describes; what a tag
 * means is the caller's, handed each tag in turn. */
#ifndef MC_TAGLIST_H
#define MC_TAGLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "util/mc_status.h"

/* Most tags a list whose names may not repeat can hold (max_tags). */
#define MC_TAGLIST_MAX 64

/* Whitespace allowed around ';' and inside values (and around '=' unless
 * exact_fields). */
typedef enum mc_taglist_ws {
	MC_TAGLIST_WSP, /* spaces and tabs */
	MC_TAGLIST_FWS  /* also CRLF before a space or tab: folding whitespace,
	                 * RFC 6376 section 2.8 */
} mc_taglist_ws_t;

typedef enum mc_taglist_names {
	MC_TAGLIST_TAG_NAMES, /* ALPHA *(ALPHA / DIGIT / "_"): RFC 6376 tag-name */
	MC_TAGLIST_EXT_NAMES  /* (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" /
	                       * "."): RFC 8461 and RFC 8460 ext-name */
} mc_taglist_names_t;

typedef enum mc_taglist_dups {
	MC_TAGLIST_DUPS_EXACT,   /* no name twice, names case-sensitive */
	MC_TAGLIST_DUPS_ANYCASE, /* no name twice, names in any case */
	MC_TAGLIST_DUPS_VERSION  /* names may repeat, except "v" (the version) */
} mc_taglist_dups_t;

/* Error texts, printf formats taking exactly the arguments listed (plain
 * text where none are); "quoted" is sanitized and cut (mc_str_quote). Each
 * text the syntax can produce must be set. */
typedef struct mc_taglist_msgs {
	const char *nul;          /* a NUL byte in the record */
	const char *not_ours;     /* version syntaxes: no version tag at all */
	const char *version_ws;   /* the version tag first, after whitespace */
	const char *version_late; /* the version tag after another tag */
	const char *version_case; /* version_tag: its value in another case */
	const char *no_delim;     /* %s the quoted record: no ';' after the
	                           * version tag */
	const char *empty;        /* no version: nothing but whitespace */
	const char *empty_tag;    /* an empty tag (";;") */
	const char *no_equals;    /* %s the quoted tag: no '=' */
	const char *bad_name;     /* %s the quoted tag: name not of the grammar */
	const char *bad_value;    /* %s the quoted name, %02x the byte (unsigned
	                           * int): a byte a tag-value may not hold */
	const char *bad_field;    /* %s the quoted field: exact_fields, a value
	                           * that is not an ext-value */
	const char *twice;        /* %s the quoted name (the text may leave it
	                           * out): a name given again */
	const char *too_many;     /* %d max_tags: one tag more */
} mc_taglist_msgs_t;

typedef struct mc_taglist_syntax {
	mc_taglist_ws_t ws;
	mc_taglist_names_t names;
	/* true: name=value exactly, no whitespace around '=' (RFC 8461, 8460
	 * fields); the value of a field named in own_values is the visitor's
	 * to check, any other's must be an ext-value: 1*(%x21-3A / %x3C /
	 * %x3E-7E). false: whitespace around '=' dropped, the value a
	 * tag-value (RFC 6376 section 3.2: printable ASCII but ';',
	 * whitespace only between its runs). */
	bool exact_fields;
	const char *const *own_values; /* NULL-terminated; NULL for none */
	/* NULL: the list starts at once (DKIM). Else the value of the version
	 * tag that must open the record ("STSv1"), counted as tag 0 and not
	 * handed to the visitor; a record without it is MC_E_AGAIN. */
	const char *version;
	/* With version, true: "v" in any case, whitespace around its '=', as
	 * RFC 7489 section 6.4 writes dmarc-version (the value still
	 * case-sensitive). false: exactly "v=" version (RFC 8461, 8460). */
	bool version_tag;
	mc_taglist_dups_t dups;
	/* At most this many tags, the version included: 1..MC_TAGLIST_MAX;
	 * with MC_TAGLIST_DUPS_VERSION 0, and no limit. */
	size_t max_tags;
	mc_taglist_msgs_t msg;
} mc_taglist_syntax_t;

/* One tag, pointing into the record: spec the whole tag without the
 * whitespace around it, name and value without the whitespace around '='
 * (unless exact_fields). */
typedef struct mc_taglist_tag {
	const char *spec;
	size_t slen;
	const char *name;
	size_t nlen;
	const char *val;
	size_t vlen;
} mc_taglist_tag_t;

/* Called for each tag in record order, index its position (the version tag
 * is 0). Anything but MC_OK stops the parse and is returned; the visitor
 * then writes err. */
typedef mc_status_t (*mc_taglist_visit_fn)(void *ctx, const mc_taglist_tag_t *tag, size_t index,
                                           char *err, size_t errsz);

/* Check txt[0..len) (NUL bytes allowed, and an error) against syn and hand
 * each tag to visit: tag-list = tag-spec *(";" tag-spec) [";"], the
 * version tag first when syn has one. A tag is checked (name, value,
 * duplicates, count) before it is handed on. MC_OK; MC_E_AGAIN when the
 * version tag is missing (msg.not_ours in err); MC_E_PROTOCOL with one of
 * syn->msg in err, or the visitor's status; MC_E_USAGE for a syntax whose
 * max_tags is out of range. */
mc_status_t mc_taglist_parse(const char *txt, size_t len, const mc_taglist_syntax_t *syn,
                             mc_taglist_visit_fn visit, void *ctx, char *err, size_t errsz);

/* Length of the version tag opening txt[0..len), up to the ';', whitespace
 * or end that must follow it; 0 when it is not there (or syn has none). */
size_t mc_taglist_version_len(const char *txt, size_t len, const mc_taglist_syntax_t *syn);

/* s[0..n) is a name of that grammar. */
bool mc_taglist_name_ok(mc_taglist_names_t names, const char *s, size_t n);

/* Drop whitespace of that kind at both ends of s[0..n). */
void mc_taglist_trim(mc_taglist_ws_t ws, const char **s, size_t *n);

/* The items of a value that is a list ("sha1:sha256", "mailto:a@x.example,
 * mailto:b@y.example"): split at sep, the syntax's whitespace around each
 * dropped. Every separator makes one more item; an empty value is one empty
 * item. */
typedef struct mc_taglist_items {
	const char *next;
	size_t rest;
	char sep;
	mc_taglist_ws_t ws;
	bool done;
} mc_taglist_items_t;

void mc_taglist_items_init(mc_taglist_items_t *it, const mc_taglist_tag_t *tag, char sep,
                           const mc_taglist_syntax_t *syn);
/* The next item into *item and *n; false when there is none left. */
bool mc_taglist_items_next(mc_taglist_items_t *it, const char **item, size_t *n);

#endif
