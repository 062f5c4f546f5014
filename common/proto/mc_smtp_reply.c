#include "mc_smtp_reply.h"

#include <stdio.h>
#include <string.h>

#include "util/mc_str.h"

void mc_smtp_reply_init(mc_smtp_reply_t *r)
{
	r->code = 0;
	r->nlines = 0;
	mc_buf_init(&r->text, MC_SMTP_REPLY_MAX);
}

void mc_smtp_reply_free(mc_smtp_reply_t *r)
{
	mc_buf_free(&r->text);
}

static int code_of(const char *p)
{
	/* RFC 5321 section 4.2: 2-5, then 0-5, then 0-9. */
	if (p[0] < '2' || p[0] > '5' || p[1] < '0' || p[1] > '5' || p[2] < '0' || p[2] > '9')
		return -1;
	return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

mc_status_t mc_smtp_reply_parse(const char *buf, size_t len, mc_smtp_reply_t *r, size_t *consumed,
                                char *err, size_t errsz)
{
	size_t pos = 0;

	r->code = 0;
	r->nlines = 0;
	mc_buf_reset(&r->text);
	for (;;) {
		const char *line = buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll, i;
		int code;
		char sep;

		if (!nl) {
			if (len - pos > MC_SMTP_LINE_MAX + 1) {
				snprintf(err, errsz, "reply line too long (over %d bytes)",
				         MC_SMTP_LINE_MAX);
				return MC_E_PROTOCOL;
			}
			if (len > MC_SMTP_REPLY_MAX) {
				snprintf(err, errsz, "reply too large (over %d bytes)",
				         MC_SMTP_REPLY_MAX);
				return MC_E_PROTOCOL;
			}
			return MC_E_AGAIN;
		}
		ll = (size_t)(nl - line);
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (ll > MC_SMTP_LINE_MAX) {
			snprintf(err, errsz, "reply line too long (over %d bytes)",
			         MC_SMTP_LINE_MAX);
			return MC_E_PROTOCOL;
		}
		if ((size_t)(nl - buf) + 1 > MC_SMTP_REPLY_MAX) {
			snprintf(err, errsz, "reply too large (over %d bytes)", MC_SMTP_REPLY_MAX);
			return MC_E_PROTOCOL;
		}
		for (i = 0; i < ll; i++) {
			unsigned char c = (unsigned char)line[i];
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				snprintf(err, errsz,
				         "malformed reply: control byte 0x%02x in line %zu", c,
				         r->nlines + 1);
				return MC_E_PROTOCOL;
			}
		}
		code = ll >= 3 ? code_of(line) : -1;
		sep = ll > 3 ? line[3] : ' ';
		if (code < 0 || (sep != ' ' && sep != '-')) {
			char shown[40];
			mc_str_sanitize(shown, sizeof(shown), line, ll);
			snprintf(err, errsz, "malformed reply: '%s'", shown);
			return MC_E_PROTOCOL;
		}
		if (r->nlines && code != r->code) {
			snprintf(err, errsz,
			         "malformed reply: multi-line reply codes disagree (%d after %d)",
			         code, r->code);
			return MC_E_PROTOCOL;
		}
		r->code = code;
		if (r->nlines && mc_buf_append(&r->text, "\n", 1) != MC_OK)
			goto toolarge;
		if (ll > 4 && mc_buf_append(&r->text, line + 4, ll - 4) != MC_OK)
			goto toolarge;
		r->nlines++;
		pos = (size_t)(nl - buf) + 1;
		if (sep == ' ') {
			*consumed = pos;
			return MC_OK;
		}
	}
toolarge:
	snprintf(err, errsz, "reply too large (over %d bytes)", MC_SMTP_REPLY_MAX);
	return MC_E_PROTOCOL;
}

void mc_smtp_reply_first(const mc_smtp_reply_t *r, char *out, size_t outsz)
{
	const char *t = mc_buf_cstr(&r->text);
	const char *nl = strchr(t, '\n');
	size_t tl = nl ? (size_t)(nl - t) : strlen(t);
	int n = snprintf(out, outsz, "%d%s", r->code, tl ? " " : "");

	if (n > 0 && (size_t)n < outsz)
		mc_str_sanitize(out + n, outsz - (size_t)n, t, tl);
}

/* Visit each line after the greeting: fn returns true to stop. */
static bool each_keyword_line(const mc_smtp_reply_t *r,
                              bool (*fn)(const char *line, size_t len, void *arg), void *arg)
{
	const char *t = mc_buf_cstr(&r->text);
	const char *end = t + r->text.len;
	const char *p = memchr(t, '\n', r->text.len);

	while (p && p < end) {
		const char *line = p + 1;
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t ll = nl ? (size_t)(nl - line) : (size_t)(end - line);
		if (fn(line, ll, arg))
			return true;
		p = nl;
	}
	return false;
}

struct has_arg {
	const char *kw;
	size_t kwlen;
	char *params;
	size_t paramsz;
};

static bool has_fn(const char *line, size_t len, void *arg)
{
	struct has_arg *a = arg;

	if (len < a->kwlen || !mc_str_ieq_n(line, a->kw, a->kwlen))
		return false;
	if (len > a->kwlen && line[a->kwlen] != ' ')
		return false;
	if (a->params) {
		size_t off = len > a->kwlen ? a->kwlen + 1 : len;
		mc_str_sanitize(a->params, a->paramsz, line + off, len - off);
	}
	return true;
}

bool mc_smtp_ehlo_has(const mc_smtp_reply_t *r, const char *keyword, char *params, size_t paramsz)
{
	struct has_arg a = {keyword, strlen(keyword), params, paramsz};

	if (params && paramsz)
		params[0] = '\0';
	return each_keyword_line(r, has_fn, &a);
}

struct kw_arg {
	char *out;
	size_t outsz, used;
};

static bool kw_fn(const char *line, size_t len, void *arg)
{
	struct kw_arg *a = arg;
	const char *sp = memchr(line, ' ', len);
	size_t wl = sp ? (size_t)(sp - line) : len;

	if (a->used + wl + 2 > a->outsz)
		return true;
	if (a->used)
		a->out[a->used++] = ' ';
	mc_str_sanitize(a->out + a->used, a->outsz - a->used, line, wl);
	a->used += strlen(a->out + a->used);
	return false;
}

void mc_smtp_ehlo_keywords(const mc_smtp_reply_t *r, char *out, size_t outsz)
{
	struct kw_arg a = {out, outsz, 0};

	if (!outsz)
		return;
	out[0] = '\0';
	each_keyword_line(r, kw_fn, &a);
}
