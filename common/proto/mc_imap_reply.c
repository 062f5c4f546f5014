#include "mc_imap_reply.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util/mc_str.h"

void mc_imap_line_init(mc_imap_line_t *l)
{
	l->kind = MC_IMAP_UNTAGGED;
	l->tag[0] = '\0';
	l->cond = MC_IMAP_COND_NONE;
	l->code[0] = '\0';
	mc_buf_init(&l->text, MC_IMAP_RESPONSE_MAX);
}

void mc_imap_line_free(mc_imap_line_t *l)
{
	mc_buf_free(&l->text);
}

/* RFC 3501 section 9: ATOM-CHAR is any CHAR except atom-specials, that is
 * "(" ")" "{" SP CTL "%" "*" '"' "\" "]". */
static bool is_atom_char(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return false;
	switch (c) {
	case '(':
	case ')':
	case '{':
	case '%':
	case '*':
	case '"':
	case '\\':
	case ']': return false;
	default: return true;
	}
}

/* RFC 3501 section 9: tag = 1*<any ASTRING-CHAR except "+">, and
 * ASTRING-CHAR = ATOM-CHAR / "]". */
static bool is_tag_char(unsigned char c)
{
	return (is_atom_char(c) || c == ']') && c != '+';
}

static bool is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* The first control byte of p[0..n), or -1. */
static int find_control(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (is_control((unsigned char)p[i]))
			return (unsigned char)p[i];
	}
	return -1;
}

static mc_status_t fail(char *err, size_t errsz, const char *what)
{
	if (errsz)
		snprintf(err, errsz, "malformed IMAP response: %s", what);
	return MC_E_PROTOCOL;
}

static mc_status_t fail_shown(char *err, size_t errsz, const char *what, const char *p, size_t n)
{
	char shown[48];

	mc_str_sanitize(shown, sizeof(shown), p, n);
	if (errsz)
		snprintf(err, errsz, "malformed IMAP response: %s: '%s'", what, shown);
	return MC_E_PROTOCOL;
}

static mc_status_t too_long(char *err, size_t errsz)
{
	if (errsz)
		snprintf(err, errsz, "IMAP response line too long (over %d bytes)",
		         MC_IMAP_LINE_MAX);
	return MC_E_PROTOCOL;
}

static mc_status_t too_large(char *err, size_t errsz)
{
	if (errsz)
		snprintf(err, errsz, "IMAP response too large (over %d bytes)",
		         MC_IMAP_RESPONSE_MAX);
	return MC_E_PROTOCOL;
}

static mc_status_t control_byte(char *err, size_t errsz, int c)
{
	if (errsz)
		snprintf(err, errsz, "malformed IMAP response: control byte 0x%02x", (unsigned)c);
	return MC_E_PROTOCOL;
}

/* Length of the word at p[0..n): up to the first space or the end. */
static size_t word_len(const char *p, size_t n)
{
	const char *sp = memchr(p, ' ', n);

	return sp ? (size_t)(sp - p) : n;
}

static bool word_is(const char *w, size_t wl, const char *s)
{
	return strlen(s) == wl && mc_str_ieq_n(s, w, wl);
}

static mc_imap_cond_t cond_of(const char *w, size_t wl)
{
	static const struct {
		const char *name;
		mc_imap_cond_t cond;
	} conds[] = {{"OK", MC_IMAP_COND_OK},
	             {"NO", MC_IMAP_COND_NO},
	             {"BAD", MC_IMAP_COND_BAD},
	             {"BYE", MC_IMAP_COND_BYE},
	             {"PREAUTH", MC_IMAP_COND_PREAUTH}};
	size_t i;

	for (i = 0; i < sizeof(conds) / sizeof(conds[0]); i++) {
		if (word_is(w, wl, conds[i].name))
			return conds[i].cond;
	}
	return MC_IMAP_COND_NONE;
}

/* resp-text after the condition and its space (RFC 3501 section 9):
 * ["[" resp-text-code "]" SP] text. Sets the code and *text_off, the
 * offset of the human text in p. */
static mc_status_t parse_resp_text(const char *p, size_t n, mc_imap_line_t *l, size_t *text_off,
                                   char *err, size_t errsz)
{
	const char *close;
	size_t cl, i;

	*text_off = 0;
	if (!n || p[0] != '[')
		return MC_OK;
	/* The code ends at the first ']': resp-text-code allows ']' only inside
	 * an astring of BADCHARSET, which no server sends. */
	close = memchr(p + 1, ']', n - 1);
	if (!close)
		return fail(err, errsz, "unterminated response code");
	cl = (size_t)(close - p) - 1;
	if (!cl)
		return fail(err, errsz, "empty response code");
	if (cl >= sizeof(l->code))
		return fail(err, errsz, "response code too long");
	for (i = 0; i < cl; i++) {
		unsigned char c = (unsigned char)p[1 + i];
		/* resp-text-code is made of atoms and TEXT-CHARs: 7-bit. */
		if (c < 0x20 || c >= 0x7f)
			return fail(err, errsz, "non-ASCII byte in response code");
	}
	memcpy(l->code, p + 1, cl);
	l->code[cl] = '\0';
	i = cl + 2;
	if (i < n && p[i] != ' ')
		return fail(err, errsz, "no space after response code");
	*text_off = i < n ? i + 1 : n;
	return MC_OK;
}

/* The status condition at p[0..n) (OK/NO/BAD/...) followed by end of line
 * or SP resp-text; *text_off is the offset of the human text in p. */
static mc_status_t parse_status(const char *p, size_t n, size_t wl, mc_imap_line_t *l,
                                size_t *text_off, char *err, size_t errsz)
{
	size_t off;
	mc_status_t st;

	if (wl == n) {
		*text_off = n;
		return MC_OK;
	}
	st = parse_resp_text(p + wl + 1, n - wl - 1, l, &off, err, errsz);
	*text_off = wl + 1 + off;
	return st;
}

/* The first line segment: kind, tag, condition and code. *text_off is where
 * the text starts in line; *literals tells whether "{n}" at the end of a
 * segment announces a literal (untagged data only). */
static mc_status_t parse_first(const char *line, size_t ll, mc_imap_line_t *l, size_t *text_off,
                               bool *literals, char *err, size_t errsz)
{
	size_t wl, tl;
	mc_status_t st;

	*literals = false;
	if (!ll)
		return fail(err, errsz, "empty line");
	if (line[0] == '+') {
		/* RFC 3501 section 7.5: "+" SP (resp-text / base64); some servers
		 * send a lone "+" for an empty challenge. */
		l->kind = MC_IMAP_CONTINUATION;
		if (ll > 1 && line[1] != ' ')
			return fail_shown(err, errsz, "no space after '+'", line, ll);
		*text_off = ll > 1 ? 2 : 1;
		return MC_OK;
	}
	if (line[0] == '*') {
		l->kind = MC_IMAP_UNTAGGED;
		if (ll < 2 || line[1] != ' ')
			return fail_shown(err, errsz, "no space after '*'", line, ll);
		wl = word_len(line + 2, ll - 2);
		if (!wl)
			return fail_shown(err, errsz, "nothing after '* '", line, ll);
		l->cond = cond_of(line + 2, wl);
		if (l->cond == MC_IMAP_COND_NONE) {
			/* Untagged data (RFC 3501 sections 7.2 to 7.4). */
			*literals = true;
			*text_off = 2;
			return MC_OK;
		}
		st = parse_status(line + 2, ll - 2, wl, l, &tl, err, errsz);
		*text_off = 2 + tl;
		return st;
	}
	l->kind = MC_IMAP_TAGGED;
	tl = word_len(line, ll);
	if (tl == ll)
		return fail_shown(err, errsz, "no space after the tag", line, ll);
	if (!tl)
		return fail_shown(err, errsz, "empty tag", line, ll);
	if (tl >= sizeof(l->tag))
		return fail_shown(err, errsz, "tag too long", line, ll);
	for (wl = 0; wl < tl; wl++) {
		if (!is_tag_char((unsigned char)line[wl]))
			return fail_shown(err, errsz, "bad byte in tag", line, ll);
	}
	memcpy(l->tag, line, tl);
	l->tag[tl] = '\0';
	wl = word_len(line + tl + 1, ll - tl - 1);
	l->cond = cond_of(line + tl + 1, wl);
	/* RFC 3501 section 7.1: a tagged response is OK, NO or BAD only. */
	if (l->cond != MC_IMAP_COND_OK && l->cond != MC_IMAP_COND_NO &&
	    l->cond != MC_IMAP_COND_BAD) {
		l->cond = MC_IMAP_COND_NONE;
		return fail_shown(err, errsz, "tagged condition is not OK, NO or BAD", line, ll);
	}
	st = parse_status(line + tl + 1, ll - tl - 1, wl, l, text_off, err, errsz);
	*text_off += tl + 1;
	return st;
}

/* RFC 3501 section 4.3: a literal is announced by "{" number "}" CRLF at
 * the end of the line (RFC 3516 section 4.2: "~{" number "}" for
 * literal8). True if p[0..n) ends with one: *mark is where it starts,
 * *size its length (saturated just over MC_IMAP_LITERAL_MAX). */
static bool literal_at_end(const char *p, size_t n, size_t *mark, size_t *size)
{
	size_t i, v = 0;

	if (n < 3 || p[n - 1] != '}')
		return false;
	i = n - 1;
	while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
		i--;
	if (i == n - 1 || i == 0 || p[i - 1] != '{')
		return false;
	*mark = i - 1;
	if (*mark > 0 && p[*mark - 1] == '~')
		(*mark)--;
	for (; i < n - 1; i++) {
		v = v * 10 + (size_t)(p[i] - '0');
		if (v > MC_IMAP_LITERAL_MAX) {
			v = (size_t)MC_IMAP_LITERAL_MAX + 1;
			break;
		}
	}
	*size = v;
	return true;
}

static mc_status_t append(mc_buf_t *b, const char *p, size_t n, char *err, size_t errsz)
{
	mc_status_t st = mc_buf_append(b, p, n);

	if (st == MC_E_LIMIT)
		return too_large(err, errsz);
	return st;
}

/* A segment without its LF yet: fail now if it already breaks a limit or
 * holds a control byte, else wait. A last CR may be the start of CRLF. */
static mc_status_t incomplete(const char *seg, size_t n, size_t linelen, size_t litlen, char *err,
                              size_t errsz)
{
	size_t sl = n && seg[n - 1] == '\r' ? n - 1 : n;
	int c;

	if (linelen + sl > MC_IMAP_LINE_MAX)
		return too_long(err, errsz);
	if (linelen + sl + litlen > MC_IMAP_RESPONSE_MAX)
		return too_large(err, errsz);
	c = find_control(seg, sl);
	if (c >= 0)
		return control_byte(err, errsz, c);
	return MC_E_AGAIN;
}

mc_status_t mc_imap_line_parse(const char *buf, size_t len, mc_imap_line_t *l, size_t *consumed,
                               char *err, size_t errsz)
{
	size_t pos = 0, linelen = 0, litlen = 0;
	bool first = true, literals = false;
	mc_status_t st;

	l->kind = MC_IMAP_UNTAGGED;
	l->tag[0] = '\0';
	l->cond = MC_IMAP_COND_NONE;
	l->code[0] = '\0';
	mc_buf_reset(&l->text);
	if (errsz)
		err[0] = '\0';
	for (;;) {
		const char *seg = buf + pos;
		const char *nl = memchr(seg, '\n', len - pos);
		size_t sl, off = 0, mark, size;
		int c;

		if (!nl)
			return incomplete(seg, len - pos, linelen, litlen, err, errsz);
		sl = (size_t)(nl - seg);
		if (sl && seg[sl - 1] == '\r')
			sl--;
		linelen += sl;
		if (linelen > MC_IMAP_LINE_MAX)
			return too_long(err, errsz);
		if (linelen + litlen > MC_IMAP_RESPONSE_MAX)
			return too_large(err, errsz);
		c = find_control(seg, sl);
		if (c >= 0)
			return control_byte(err, errsz, c);
		if (first) {
			st = parse_first(seg, sl, l, &off, &literals, err, errsz);
			if (st != MC_OK)
				return st;
			first = false;
		}
		pos = (size_t)(nl - buf) + 1;
		if (!literals || !literal_at_end(seg + off, sl - off, &mark, &size)) {
			st = append(&l->text, seg + off, sl - off, err, errsz);
			if (st != MC_OK)
				return st;
			*consumed = pos;
			return MC_OK;
		}
		if (size > MC_IMAP_LITERAL_MAX) {
			if (errsz)
				snprintf(err, errsz, "IMAP literal too large (over %d bytes)",
				         MC_IMAP_LITERAL_MAX);
			return MC_E_PROTOCOL;
		}
		if (linelen + litlen + size > MC_IMAP_RESPONSE_MAX)
			return too_large(err, errsz);
		st = append(&l->text, seg + off, mark, err, errsz);
		if (st != MC_OK)
			return st;
		if (len - pos < size)
			return MC_E_AGAIN;
		/* The literal's bytes are data, whatever they are (section 4.3). */
		st = append(&l->text, buf + pos, size, err, errsz);
		if (st != MC_OK)
			return st;
		litlen += size;
		pos += size;
	}
}

const char *mc_imap_line_caps(const mc_imap_line_t *l)
{
	static const char word[] = "CAPABILITY";
	const size_t wl = sizeof(word) - 1;
	const char *p;

	/* RFC 3501 section 7.1 (CAPABILITY response code) and 7.2.1. */
	if (l->kind == MC_IMAP_CONTINUATION)
		return NULL;
	if (l->cond != MC_IMAP_COND_NONE) {
		p = l->code;
	} else if (l->kind == MC_IMAP_UNTAGGED) {
		p = mc_buf_cstr(&l->text);
	} else {
		return NULL;
	}
	if (!mc_str_ieq_n(word, p, wl) || (p[wl] != ' ' && p[wl] != '\0'))
		return NULL;
	return p[wl] ? p + wl + 1 : p + wl;
}

bool mc_imap_caps_has(const char *caps, const char *cap)
{
	size_t cl;

	if (!caps || !cap || !*cap)
		return false;
	cl = strlen(cap);
	while (*caps) {
		const char *sp = strchr(caps, ' ');
		size_t wl = sp ? (size_t)(sp - caps) : strlen(caps);

		if (wl == cl && mc_str_ieq_n(cap, caps, cl))
			return true;
		caps += wl;
		while (*caps == ' ')
			caps++;
	}
	return false;
}

/* A cursor over the parenthesized list of STATUS or QUOTA data. */
typedef struct {
	const char *p;
	size_t n, i;
} cursor_t;

static bool take_atom(cursor_t *c, const char **w, size_t *wl)
{
	size_t s = c->i;

	while (c->i < c->n && is_atom_char((unsigned char)c->p[c->i]))
		c->i++;
	*w = c->p + s;
	*wl = c->i - s;
	return *wl > 0;
}

static bool take_char(cursor_t *c, char ch)
{
	if (c->i < c->n && c->p[c->i] == ch) {
		c->i++;
		return true;
	}
	return false;
}

/* RFC 3501 section 9: number = 1*DIGIT (32 bits; RFC 9208 allows 63 bits
 * for quota). Parsed into [0, LONG_MAX] if out is non-NULL, else only
 * checked (at most 20 digits). */
static bool take_number(cursor_t *c, long *out)
{
	char tmp[24];
	size_t s = c->i, nl;

	while (c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9')
		c->i++;
	nl = c->i - s;
	if (!nl || nl > 20)
		return false;
	if (!out)
		return true;
	memcpy(tmp, c->p + s, nl);
	tmp[nl] = '\0';
	return mc_parse_long(tmp, 0, LONG_MAX, out) == MC_OK;
}

/* text[0..len) is "<word> <name> (" ... ")": *c is set on the list, after
 * the "(", and up to (not including) the ")". The name, an astring, may be
 * an inlined literal holding any byte, parentheses too; the list holds no
 * parenthesis, so it starts at the last '('. */
static bool open_list(const char *text, size_t len, const char *word, bool empty_name_ok,
                      cursor_t *c)
{
	size_t wl = strlen(word), lp;

	if (len < wl + 1 || !mc_str_ieq_n(word, text, wl) || text[wl] != ' ')
		return false;
	if (text[len - 1] != ')')
		return false;
	for (lp = len - 1; lp > wl; lp--) {
		if (text[lp - 1] == '(')
			break;
	}
	if (lp <= wl)
		return false;
	lp--; /* at the '(' */
	if (lp < wl + 2 || text[lp - 1] != ' ')
		return false;
	if (!empty_name_ok && lp - 1 == wl + 1)
		return false;
	c->p = text;
	c->i = lp + 1;
	c->n = len - 1;
	return true;
}

mc_status_t mc_imap_status_parse(const char *text, size_t len, long *messages, bool *has_messages,
                                 long *unseen, bool *has_unseen)
{
	cursor_t c;

	*has_messages = false;
	*has_unseen = false;
	if (!text || !open_list(text, len, "STATUS", false, &c))
		return MC_E_PROTOCOL;
	/* RFC 3501 section 9: "(" [status-att-list] ")", status-att-list =
	 * status-att SP number *(SP status-att SP number). RFC 7889 adds
	 * "APPENDLIMIT" SP (number / NIL). */
	if (c.i == c.n)
		return MC_OK;
	for (;;) {
		const char *a, *v;
		size_t al, vl;
		bool *has = NULL;
		long *out = NULL;

		if (!take_atom(&c, &a, &al) || !take_char(&c, ' '))
			return MC_E_PROTOCOL;
		if (word_is(a, al, "MESSAGES")) {
			has = has_messages;
			out = messages;
		} else if (word_is(a, al, "UNSEEN")) {
			has = has_unseen;
			out = unseen;
		}
		if (has) {
			if (*has || !take_number(&c, out))
				return MC_E_PROTOCOL;
			*has = true;
		} else if (!take_number(&c, NULL)) {
			if (!take_atom(&c, &v, &vl) || !word_is(v, vl, "NIL"))
				return MC_E_PROTOCOL;
		}
		if (c.i == c.n)
			return MC_OK;
		if (!take_char(&c, ' '))
			return MC_E_PROTOCOL;
	}
}

mc_status_t mc_imap_quota_parse(const char *text, size_t len, long *used, long *limit,
                                bool *has_storage)
{
	cursor_t c;

	*has_storage = false;
	/* RFC 2087 section 5.1: "QUOTA" SP astring SP quota_list; the root
	 * may be "" (quoted or an empty literal). */
	if (!text || !open_list(text, len, "QUOTA", true, &c))
		return MC_E_PROTOCOL;
	if (c.i == c.n)
		return MC_OK;
	for (;;) {
		const char *a;
		size_t al;
		long u, lim;

		/* quota_resource ::= atom SP number SP number */
		if (!take_atom(&c, &a, &al) || !take_char(&c, ' '))
			return MC_E_PROTOCOL;
		if (word_is(a, al, "STORAGE")) {
			if (*has_storage || !take_number(&c, &u) || !take_char(&c, ' ') ||
			    !take_number(&c, &lim))
				return MC_E_PROTOCOL;
			*used = u;
			*limit = lim;
			*has_storage = true;
		} else if (!take_number(&c, NULL) || !take_char(&c, ' ') ||
		           !take_number(&c, NULL)) {
			return MC_E_PROTOCOL;
		}
		if (c.i == c.n)
			return MC_OK;
		if (!take_char(&c, ' '))
			return MC_E_PROTOCOL;
	}
}

mc_status_t mc_imap_quote(const char *in, char *out, size_t outsz)
{
	size_t o = 0;

	if (!outsz)
		return MC_E_USAGE;
	if (!in)
		goto bad;
	/* RFC 3501 section 9: quoted = DQUOTE *QUOTED-CHAR DQUOTE, where
	 * QUOTED-CHAR is a TEXT-CHAR (no CR or LF) or "\" quoted-specials. */
	if (o + 1 >= outsz)
		goto bad;
	out[o++] = '"';
	for (; *in; in++) {
		if (*in == '\r' || *in == '\n')
			goto bad;
		if (*in == '"' || *in == '\\') {
			if (o + 1 >= outsz)
				goto bad;
			out[o++] = '\\';
		}
		if (o + 1 >= outsz)
			goto bad;
		out[o++] = *in;
	}
	if (o + 1 >= outsz)
		goto bad;
	out[o++] = '"';
	out[o] = '\0';
	return MC_OK;
bad:
	/* The input may be a password: leave none of it behind. out is the
	 * caller's memory, so this memset cannot be optimised away. */
	memset(out, 0, o < outsz ? o + 1 : outsz);
	return MC_E_USAGE;
}
