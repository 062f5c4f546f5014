#include "mc_taglist.h"

#include <stdio.h>
#include <string.h>

#include "util/mc_ascii.h"
#include "util/mc_str.h"

/* The error formats come from each record type's syntax table
 * (mc_taglist_syntax_t.msg: constant strings with one %s for the quoted
 * input), so they are not literals here. This file alone needs that. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* The name of the version tag in all the records that have one. */
#define VERSION_NAME "v"

/* A message the syntax left unset: a caller's bug, still one line. */
static const char *text(const char *fmt)
{
	return fmt ? fmt : "malformed tag list";
}

/* Length of the whitespace at s[0..n). FWS (RFC 6376 section 2.8) = [*WSP
 * CRLF] 1*WSP, repeated: a CRLF counts only when WSP follows. */
static size_t ws_len(mc_taglist_ws_t ws, const char *s, size_t n)
{
	size_t i = 0;

	for (;;) {
		while (i < n && mc_ascii_is_wsp(s[i]))
			i++;
		if (ws == MC_TAGLIST_FWS && i + 2 < n && s[i] == '\r' && s[i + 1] == '\n' &&
		    mc_ascii_is_wsp(s[i + 2]))
			i += 2;
		else
			return i;
	}
}

void mc_taglist_trim(mc_taglist_ws_t ws, const char **s, size_t *n)
{
	size_t k = ws_len(ws, *s, *n);

	*s += k;
	*n -= k;
	for (;;) {
		size_t m = *n;
		while (*n && mc_ascii_is_wsp((*s)[*n - 1]))
			(*n)--;
		if (ws == MC_TAGLIST_FWS && *n < m && *n >= 2 && (*s)[*n - 2] == '\r' &&
		    (*s)[*n - 1] == '\n')
			*n -= 2;
		else
			return;
	}
}

bool mc_taglist_name_ok(mc_taglist_names_t names, const char *s, size_t n)
{
	bool ext = names == MC_TAGLIST_EXT_NAMES;
	size_t i;

	if (n < 1 || (ext && n > 32))
		return false;
	if (ext ? !mc_ascii_is_alnum(s[0]) : !mc_ascii_is_alpha(s[0]))
		return false;
	for (i = 1; i < n; i++) {
		if (!mc_ascii_is_alnum(s[i]) && s[i] != '_' &&
		    (!ext || (s[i] != '-' && s[i] != '.')))
			return false;
	}
	return true;
}

/* RFC 8461 section 3.1 sts-ext-value, RFC 8460 section 3 tlsrpt-ext-value:
 * 1*(%x21-3A / %x3C / %x3E-7E). */
static bool ext_value_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x21 || c > 0x7e || c == ';' || c == '=')
			return false;
	}
	return true;
}

/* RFC 6376 section 3.2: tag-value = [ tval *( 1*(WSP / FWS) tval ) ], tval
 * = 1*VALCHAR, VALCHAR = %x21-3A / %x3C-7E. Returns the offset of the first
 * byte that breaks it, or n. */
static size_t bad_value_byte(mc_taglist_ws_t ws, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k;
		if (c >= 0x21 && c <= 0x7e && c != ';') {
			i++;
			continue;
		}
		k = ws_len(ws, s + i, n - i);
		if (k == 0)
			return i;
		i += k;
	}
	return n;
}

/* Is f[0..n) the version tag? 1: yes; 2: but for the case of its value
 * (version_tag only); 0: no. */
static int version_field(const char *f, size_t n, const mc_taglist_syntax_t *syn)
{
	const char *eqs, *name, *val;
	size_t nlen, vlen;

	mc_taglist_trim(syn->ws, &f, &n);
	eqs = memchr(f, '=', n);
	if (!eqs)
		return 0;
	name = f;
	nlen = (size_t)(eqs - f);
	val = eqs + 1;
	vlen = (size_t)(f + n - val);
	if (syn->version_tag) {
		mc_taglist_trim(syn->ws, &name, &nlen);
		mc_taglist_trim(syn->ws, &val, &vlen);
		if (!mc_str_ieq_lit(name, nlen, VERSION_NAME))
			return 0;
	} else if (!mc_str_eq_lit(name, nlen, VERSION_NAME)) {
		return 0;
	}
	if (mc_str_eq_lit(val, vlen, syn->version))
		return 1;
	return syn->version_tag && mc_str_ieq_lit(val, vlen, syn->version) ? 2 : 0;
}

size_t mc_taglist_version_len(const char *txt, size_t len, const mc_taglist_syntax_t *syn)
{
	size_t i, vl;

	if (!syn->version || len < 1)
		return 0;
	if ((syn->version_tag ? mc_ascii_lower(txt[0]) : txt[0]) != VERSION_NAME[0])
		return 0;
	vl = strlen(syn->version);
	i = 1;
	if (syn->version_tag)
		i += ws_len(syn->ws, txt + i, len - i);
	if (i == len || txt[i] != '=')
		return 0;
	i++;
	if (syn->version_tag)
		i += ws_len(syn->ws, txt + i, len - i);
	if (len - i < vl || memcmp(txt + i, syn->version, vl) != 0)
		return 0;
	i += vl;
	if (i < len && txt[i] != ';' && !mc_ascii_is_wsp(txt[i]))
		return 0;
	return i;
}

/* Why a record that does not open with the version tag is not ours, or is
 * broken: the version elsewhere, or written in another case. */
static mc_status_t no_version(const char *txt, size_t len, const mc_taglist_syntax_t *syn,
                              char *err, size_t errsz)
{
	size_t pos = 0, idx = 0;

	for (;;) {
		const char *f = txt + pos;
		const char *semi = memchr(f, ';', len - pos);
		size_t n = semi ? (size_t)(semi - f) : len - pos;
		int kind = version_field(f, n, syn);

		if (kind == 2) {
			snprintf(err, errsz, "%s", text(syn->msg.version_case));
			return MC_E_PROTOCOL;
		}
		if (kind == 1) {
			snprintf(err, errsz, "%s",
			         text(idx == 0 ? syn->msg.version_ws : syn->msg.version_late));
			return MC_E_PROTOCOL;
		}
		if (!semi)
			break;
		pos += n + 1;
		idx++;
	}
	snprintf(err, errsz, "%s", text(syn->msg.not_ours));
	return MC_E_AGAIN;
}

/* Past the version tag: offset of the ';' that must follow it (after
 * whitespace), or len. */
static mc_status_t skip_version(const char *txt, size_t len, const mc_taglist_syntax_t *syn,
                                size_t *pos, char *err, size_t errsz)
{
	size_t i = mc_taglist_version_len(txt, len, syn);

	if (i == 0)
		return no_version(txt, len, syn, err, errsz);
	i += ws_len(syn->ws, txt + i, len - i);
	if (i < len && txt[i] != ';') {
		char shown[MC_STR_QUOTE_SIZE];
		mc_str_quote(shown, sizeof(shown), txt, len);
		snprintf(err, errsz, text(syn->msg.no_delim), shown);
		return MC_E_PROTOCOL;
	}
	*pos = i;
	return MC_OK;
}

/* Is t one of the fields whose value the visitor checks? */
static bool own_value(const mc_taglist_tag_t *t, const mc_taglist_syntax_t *syn)
{
	const char *const *name;

	for (name = syn->own_values; name && *name; name++) {
		if (mc_str_eq_lit(t->name, t->nlen, *name))
			return true;
	}
	return false;
}

/* Split one tag-spec (whitespace around it already dropped) into name and
 * value, both checked. */
static mc_status_t split(const char *s, size_t n, const mc_taglist_syntax_t *syn,
                         mc_taglist_tag_t *t, char *err, size_t errsz)
{
	char shown[MC_STR_QUOTE_SIZE];
	const char *eqs = memchr(s, '=', n);
	size_t bad;

	mc_str_quote(shown, sizeof(shown), s, n);
	if (!eqs) {
		snprintf(err, errsz, text(syn->msg.no_equals), shown);
		return MC_E_PROTOCOL;
	}
	t->spec = s;
	t->slen = n;
	t->name = s;
	t->nlen = (size_t)(eqs - s);
	t->val = eqs + 1;
	t->vlen = (size_t)(s + n - t->val);
	if (!syn->exact_fields) {
		mc_taglist_trim(syn->ws, &t->name, &t->nlen);
		mc_taglist_trim(syn->ws, &t->val, &t->vlen);
	}
	if (!mc_taglist_name_ok(syn->names, t->name, t->nlen)) {
		snprintf(err, errsz, text(syn->msg.bad_name), shown);
		return MC_E_PROTOCOL;
	}
	if (syn->exact_fields)
		return MC_OK; /* checked once it is known not to repeat */
	bad = bad_value_byte(syn->ws, t->val, t->vlen);
	if (bad < t->vlen) {
		mc_str_quote(shown, sizeof(shown), t->name, t->nlen);
		snprintf(err, errsz, text(syn->msg.bad_value), shown,
		         (unsigned int)(unsigned char)t->val[bad]);
		return MC_E_PROTOCOL;
	}
	return MC_OK;
}

/* Is t's name among the first n seen? */
static bool repeated(const mc_taglist_tag_t *t, const mc_taglist_tag_t *seen, size_t n,
                     const mc_taglist_syntax_t *syn)
{
	size_t i;

	if (syn->dups == MC_TAGLIST_DUPS_VERSION)
		return syn->version && mc_str_eq_lit(t->name, t->nlen, VERSION_NAME);
	for (i = 0; i < n; i++) {
		if (seen[i].nlen != t->nlen)
			continue;
		if (syn->dups == MC_TAGLIST_DUPS_ANYCASE
		        ? mc_str_ieq_n(seen[i].name, t->name, t->nlen)
		        : memcmp(seen[i].name, t->name, t->nlen) == 0)
			return true;
	}
	return false;
}

mc_status_t mc_taglist_parse(const char *txt, size_t len, const mc_taglist_syntax_t *syn,
                             mc_taglist_visit_fn visit, void *ctx, char *err, size_t errsz)
{
	mc_taglist_tag_t seen[MC_TAGLIST_MAX];
	bool keep = syn->dups != MC_TAGLIST_DUPS_VERSION, end = false;
	size_t ntags = 0, pos = 0;
	mc_status_t st;

	if (keep ? syn->max_tags < 1 || syn->max_tags > MC_TAGLIST_MAX : syn->max_tags != 0) {
		snprintf(err, errsz, "tag list syntax: max_tags out of range");
		return MC_E_USAGE;
	}
	if (memchr(txt, '\0', len)) {
		snprintf(err, errsz, "%s", text(syn->msg.nul));
		return MC_E_PROTOCOL;
	}
	if (syn->version) {
		st = skip_version(txt, len, syn, &pos, err, errsz);
		if (st != MC_OK)
			return st;
		/* Tag 0, its name as written, for the duplicate check. */
		seen[0].name = txt;
		seen[0].nlen = 1;
		ntags = 1;
		if (pos == len)
			return MC_OK;
		pos++;
	}
	/* tag-list = tag-spec *( ";" tag-spec ) [ ";" ] */
	while (!end) {
		const char *s = txt + pos;
		const char *semi = memchr(s, ';', len - pos);
		size_t n = semi ? (size_t)(semi - s) : len - pos;
		mc_taglist_tag_t t;

		end = semi == NULL;
		pos += n + 1;
		if (ws_len(syn->ws, s, n) == n) {
			if (end && ntags > 0)
				break; /* the optional trailing ';' */
			snprintf(err, errsz, "%s",
			         text(ntags == 0 && end ? syn->msg.empty : syn->msg.empty_tag));
			return MC_E_PROTOCOL;
		}
		mc_taglist_trim(syn->ws, &s, &n);
		st = split(s, n, syn, &t, err, errsz);
		if (st != MC_OK)
			return st;
		/* RFC 6376 section 3.2: a tag given twice makes the whole list
		 * invalid. */
		if (repeated(&t, seen, ntags, syn)) {
			char shown[MC_STR_QUOTE_SIZE];
			mc_str_quote(shown, sizeof(shown), t.name, t.nlen);
			snprintf(err, errsz, text(syn->msg.twice), shown);
			return MC_E_PROTOCOL;
		}
		if (keep && ntags == syn->max_tags) {
			snprintf(err, errsz, text(syn->msg.too_many), (int)syn->max_tags);
			return MC_E_PROTOCOL;
		}
		if (keep)
			seen[ntags] = t;
		if (syn->exact_fields && !own_value(&t, syn) && !ext_value_ok(t.val, t.vlen)) {
			char shown[MC_STR_QUOTE_SIZE];
			mc_str_quote(shown, sizeof(shown), t.spec, t.slen);
			snprintf(err, errsz, text(syn->msg.bad_field), shown);
			return MC_E_PROTOCOL;
		}
		st = visit(ctx, &t, ntags, err, errsz);
		if (st != MC_OK)
			return st;
		ntags++;
	}
	return MC_OK;
}

void mc_taglist_items_init(mc_taglist_items_t *it, const mc_taglist_tag_t *tag, char sep,
                           const mc_taglist_syntax_t *syn)
{
	it->next = tag->val;
	it->rest = tag->vlen;
	it->sep = sep;
	it->ws = syn->ws;
	it->done = false;
}

bool mc_taglist_items_next(mc_taglist_items_t *it, const char **item, size_t *n)
{
	const char *sep;

	if (it->done)
		return false;
	sep = memchr(it->next, it->sep, it->rest);
	*item = it->next;
	*n = sep ? (size_t)(sep - it->next) : it->rest;
	if (sep) {
		it->rest -= *n + 1;
		it->next = sep + 1;
	} else {
		it->done = true;
	}
	mc_taglist_trim(it->ws, item, n);
	return true;
}
