/* libFuzzer target: mc_imap_line_parse on a stream of server bytes, lines
 * consumed one after another; every helper on every parsed line; every
 * proper prefix of a parsed line must ask for more input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/mc_imap_reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* NUL-terminated inside outsz, no control byte, no '|'. */
static void check_printable(const char *s, size_t outsz)
{
	const char *end = memchr(s, '\0', outsz);
	const char *p;

	if (!end)
		abort();
	for (p = s; p < end; p++) {
		if ((unsigned char)*p < 0x20 || *p == '|')
			abort();
	}
}

/* code: NUL-terminated, printable 7-bit ASCII. */
static void check_code(const char *s, size_t outsz)
{
	const char *end = memchr(s, '\0', outsz);
	const char *p;

	if (!end)
		abort();
	for (p = s; p < end; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			abort();
	}
}

/* mc_imap_quote must give '"' escaped-in '"' that unquotes to in. */
static void check_quote(const char *in)
{
	char out[256];
	const char *p;
	size_t i = 0;
	mc_status_t st;

	memset(out, 'X', sizeof out);
	st = mc_imap_quote(in, out, sizeof out);
	if (st != MC_OK) {
		if (st != MC_E_USAGE || out[0] != '\0')
			abort();
		return;
	}
	if (out[0] != '"' || strchr(in, '\r') || strchr(in, '\n'))
		abort();
	for (p = out + 1; *p && !(p[0] == '"' && p[1] == '\0'); p++) {
		if (*p == '"')
			abort();
		if (*p == '\\') {
			p++;
			if (*p != '\\' && *p != '"')
				abort();
		}
		if (in[i++] != *p)
			abort();
	}
	if (p[0] != '"' || p[1] != '\0' || in[i] != '\0')
		abort();
}

static void check_line(const mc_imap_line_t *l)
{
	const char *caps, *t = mc_buf_cstr(&l->text);
	char head[200];
	long a = -1, b = -1;
	bool ha, hb, hs;
	size_t i;

	if (l->text.len > MC_IMAP_RESPONSE_MAX)
		abort();
	if (!memchr(l->tag, '\0', sizeof l->tag))
		abort();
	check_code(l->code, sizeof l->code);
	switch (l->kind) {
	case MC_IMAP_TAGGED:
		if (!l->tag[0] || strchr(l->tag, '+') || strchr(l->tag, ' '))
			abort();
		if (l->cond != MC_IMAP_COND_OK && l->cond != MC_IMAP_COND_NO &&
		    l->cond != MC_IMAP_COND_BAD)
			abort();
		break;
	case MC_IMAP_UNTAGGED:
		if (l->tag[0])
			abort();
		if (l->cond == MC_IMAP_COND_NONE && l->code[0])
			abort();
		break;
	case MC_IMAP_CONTINUATION:
		if (l->tag[0] || l->code[0] || l->cond != MC_IMAP_COND_NONE)
			abort();
		break;
	default: abort();
	}
	caps = mc_imap_line_caps(l);
	if (caps) {
		(void)mc_imap_caps_has(caps, "STARTTLS");
		(void)mc_imap_caps_has(caps, "IMAP4rev1");
		(void)mc_imap_caps_has(caps, "");
	}
	(void)mc_imap_caps_has(l->code, "LOGINDISABLED");
	(void)mc_imap_caps_has(t, "AUTH=PLAIN");
	if (mc_imap_status_parse(t, l->text.len, &a, &ha, &b, &hb) == MC_OK) {
		if ((ha && a < 0) || (hb && b < 0))
			abort();
	}
	if (mc_imap_quota_parse(t, l->text.len, &a, &b, &hs) == MC_OK) {
		if (hs && (a < 0 || b < 0))
			abort();
	}
	/* Quote the start of the text (and the tag) as if it were a name. */
	for (i = 0; i + 1 < sizeof head && i < l->text.len && t[i]; i++)
		head[i] = t[i];
	head[i] = '\0';
	check_quote(head);
	check_quote(l->tag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	size_t off = 0;
	mc_imap_line_t l, p;

	mc_imap_line_init(&l);
	mc_imap_line_init(&p);
	for (;;) {
		size_t consumed = (size_t)-1, pc;
		char err[160];
		mc_status_t st;

		err[0] = 'X';
		st = mc_imap_line_parse(in + off, size - off, &l, &consumed, err, sizeof err);
		if (st == MC_E_AGAIN)
			break;
		if (st == MC_E_PROTOCOL) {
			check_printable(err, sizeof err);
			break;
		}
		if (st != MC_OK)
			abort();
		/* a line uses at least "+\n" and ends at a line end */
		if (consumed < 2 || consumed > size - off || in[off + consumed - 1] != '\n')
			abort();
		/* line and literals within the limit; each "{n}" line adds a line end */
		if (consumed > MC_IMAP_RESPONSE_MAX + 2 * (MC_IMAP_LINE_MAX / 3 + 1))
			abort();
		check_line(&l);
		/* Split reads: a cut anywhere before the end waits for more. */
		if (mc_imap_line_parse(in + off, consumed - 1, &p, &pc, err, sizeof err) !=
		        MC_E_AGAIN ||
		    mc_imap_line_parse(in + off, consumed / 2, &p, &pc, err, sizeof err) !=
		        MC_E_AGAIN)
			abort();
		/* The same bytes alone give the same line. */
		if (mc_imap_line_parse(in + off, consumed, &p, &pc, err, sizeof err) != MC_OK ||
		    pc != consumed || p.kind != l.kind || p.cond != l.cond ||
		    p.text.len != l.text.len || strcmp(p.tag, l.tag) != 0 ||
		    strcmp(p.code, l.code) != 0 ||
		    memcmp(mc_buf_cstr(&p.text), mc_buf_cstr(&l.text), l.text.len) != 0)
			abort();
		off += consumed;
	}
	mc_imap_line_free(&l);
	mc_imap_line_free(&p);
	return 0;
}
