#include "mc_pop3_reply.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util/mc_str.h"

void mc_pop3_reply_init(mc_pop3_reply_t *r)
{
	r->ok = false;
	r->continuation = false;
	r->nlines = 0;
	mc_buf_init(&r->first, MC_POP3_LINE_MAX);
	mc_buf_init(&r->body, MC_POP3_REPLY_MAX);
}

void mc_pop3_reply_free(mc_pop3_reply_t *r)
{
	mc_buf_free(&r->first);
	mc_buf_free(&r->body);
}

static int find_control(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return c;
	}
	return -1;
}

static mc_status_t too_long(char *err, size_t errsz)
{
	if (errsz)
		snprintf(err, errsz, "POP3 reply line too long (over %d bytes)", MC_POP3_LINE_MAX);
	return MC_E_PROTOCOL;
}

static mc_status_t too_large(char *err, size_t errsz)
{
	if (errsz)
		snprintf(err, errsz, "POP3 reply too large (over %d bytes)", MC_POP3_REPLY_MAX);
	return MC_E_PROTOCOL;
}

static mc_status_t control_byte(char *err, size_t errsz, int c, size_t lineno)
{
	if (errsz)
		snprintf(err, errsz, "malformed POP3 reply: control byte 0x%02x in line %zu",
		         (unsigned)c, lineno);
	return MC_E_PROTOCOL;
}

static mc_status_t append(mc_buf_t *b, const char *p, size_t n, char *err, size_t errsz)
{
	mc_status_t st = mc_buf_append(b, p, n);

	if (st == MC_E_LIMIT)
		return too_large(err, errsz);
	return st;
}

/* Length of the indicator at the start of line[0..ll) if it is followed by
 * a space or the end, else 0. */
static size_t indicator(const char *line, size_t ll, const char *ind)
{
	size_t il = strlen(ind);

	if (ll < il || memcmp(line, ind, il) != 0 || (ll > il && line[il] != ' '))
		return 0;
	return il;
}

static mc_status_t parse_status(const char *line, size_t ll, mc_pop3_reply_t *r, char *err,
                                size_t errsz)
{
	size_t il;

	/* RFC 1939 section 3: "+OK" or "-ERR", upper case, then text after a
	 * space; RFC 5034 section 4: "+" SP base64 continues a SASL exchange
	 * (a lone "+" is the empty challenge some servers send). */
	if ((il = indicator(line, ll, "+OK")) != 0) {
		r->ok = true;
	} else if ((il = indicator(line, ll, "-ERR")) != 0) {
		r->ok = false;
	} else if ((il = indicator(line, ll, "+")) != 0) {
		r->ok = true;
		r->continuation = true;
	} else {
		char shown[40];
		mc_str_sanitize(shown, sizeof(shown), line, ll);
		if (errsz)
			snprintf(err, errsz, "malformed POP3 reply: '%s'", shown);
		return MC_E_PROTOCOL;
	}
	if (ll > il)
		il++;
	return append(&r->first, line + il, ll - il, err, errsz);
}

mc_status_t mc_pop3_reply_parse(const char *buf, size_t len, bool multiline, mc_pop3_reply_t *r,
                                size_t *consumed, char *err, size_t errsz)
{
	size_t pos = 0, lineno = 0;
	mc_status_t st;

	r->ok = false;
	r->continuation = false;
	r->nlines = 0;
	mc_buf_reset(&r->first);
	mc_buf_reset(&r->body);
	if (errsz)
		err[0] = '\0';
	for (;;) {
		const char *line = buf + pos;
		size_t avail = len - pos;
		const char *nl = memchr(line, '\n', avail);
		size_t ll;
		int c;

		lineno++;
		if (!nl) {
			/* Fail as soon as it is certain: a last CR may start CRLF, and
			 * the LF still to come adds one byte to the reply. */
			ll = avail && line[avail - 1] == '\r' ? avail - 1 : avail;
			if (ll > MC_POP3_LINE_MAX)
				return too_long(err, errsz);
			if (len >= MC_POP3_REPLY_MAX)
				return too_large(err, errsz);
			c = find_control(line, ll);
			if (c >= 0)
				return control_byte(err, errsz, c, lineno);
			return MC_E_AGAIN;
		}
		ll = (size_t)(nl - line);
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (ll > MC_POP3_LINE_MAX)
			return too_long(err, errsz);
		pos = (size_t)(nl - buf) + 1;
		if (pos > MC_POP3_REPLY_MAX)
			return too_large(err, errsz);
		c = find_control(line, ll);
		if (c >= 0)
			return control_byte(err, errsz, c, lineno);
		if (lineno == 1) {
			st = parse_status(line, ll, r, err, errsz);
			if (st != MC_OK)
				return st;
			if (!multiline || !r->ok || r->continuation) {
				*consumed = pos;
				return MC_OK;
			}
			continue;
		}
		/* RFC 1939 section 3: "." CRLF ends the reply; otherwise a line
		 * starting with the termination octet has it stripped. */
		if (ll == 1 && line[0] == '.') {
			*consumed = pos;
			return MC_OK;
		}
		if (ll && line[0] == '.') {
			line++;
			ll--;
		}
		if (r->nlines && (st = append(&r->body, "\n", 1, err, errsz)) != MC_OK)
			return st;
		if ((st = append(&r->body, line, ll, err, errsz)) != MC_OK)
			return st;
		r->nlines++;
	}
}

bool mc_pop3_capa_has(const mc_pop3_reply_t *r, const char *cap, char *params, size_t paramsz)
{
	const char *t = mc_buf_cstr(&r->body);
	const char *end = t + r->body.len;
	size_t cl = cap ? strlen(cap) : 0;
	size_t i;

	if (params && paramsz)
		params[0] = '\0';
	if (!cl)
		return false;
	/* RFC 2449 section 5: capability = tag *(SP param), tags compared
	 * case-insensitively. */
	for (i = 0; i < r->nlines && t <= end; i++) {
		const char *nl = memchr(t, '\n', (size_t)(end - t));
		size_t ll = nl ? (size_t)(nl - t) : (size_t)(end - t);

		if (ll >= cl && mc_str_ieq_n(cap, t, cl) && (ll == cl || t[cl] == ' ')) {
			if (params && ll > cl)
				mc_str_sanitize(params, paramsz, t + cl + 1, ll - cl - 1);
			return true;
		}
		if (!nl)
			break;
		t = nl + 1;
	}
	return false;
}

/* 1*DIGIT at *p into [0, LONG_MAX]; *p moves past it. */
static bool take_number(const char **p, long *out)
{
	char tmp[24];
	size_t n = 0;

	while ((*p)[n] >= '0' && (*p)[n] <= '9') {
		if (n >= 20)
			return false;
		tmp[n] = (*p)[n];
		n++;
	}
	if (!n)
		return false;
	tmp[n] = '\0';
	*p += n;
	return mc_parse_long(tmp, 0, LONG_MAX, out) == MC_OK;
}

mc_status_t mc_pop3_stat_parse(const char *text, long *count, long *octets)
{
	long c, o;

	/* RFC 1939 section 5: "+OK" SP count SP octets; "this memo makes no
	 * requirement on what follows the maildrop size". */
	if (!text || !take_number(&text, &c) || *text++ != ' ' || !take_number(&text, &o) ||
	    (*text && *text != ' '))
		return MC_E_PROTOCOL;
	*count = c;
	*octets = o;
	return MC_OK;
}
