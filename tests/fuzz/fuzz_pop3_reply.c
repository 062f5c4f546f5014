/* libFuzzer target: mc_pop3_reply_parse on a stream of server bytes,
 * replies consumed one after another, single- or multi-line as the first
 * byte's bits say; the CAPA and STAT helpers on every parsed reply; every
 * proper prefix of a parsed reply must ask for more input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/mc_pop3_reply.h"

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

/* No control byte but TAB (and '\n' as the separator where allowed). */
static void check_clean(const mc_buf_t *b, int allow_nl)
{
	size_t i;

	if (strlen(mc_buf_cstr(b)) != b->len)
		abort();
	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];
		if (c == '\n' && allow_nl)
			continue;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			abort();
	}
}

static void check_reply(const mc_pop3_reply_t *r, bool multiline)
{
	static const size_t sizes[] = {1, 5, 80, 512};
	char buf[512];
	size_t i, nl = 0;
	long a = -1, b = -1;

	if (r->first.len > MC_POP3_LINE_MAX || r->body.len > MC_POP3_REPLY_MAX)
		abort();
	if (r->continuation && !r->ok)
		abort();
	check_clean(&r->first, 0);
	check_clean(&r->body, 1);
	if (!multiline || !r->ok || r->continuation) {
		if (r->nlines || r->body.len)
			abort();
	}
	for (i = 0; i < r->body.len; i++)
		nl += r->body.data[i] == '\n';
	if (r->nlines ? nl != r->nlines - 1 : r->body.len != 0)
		abort();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		bool has;
		memset(buf, 'X', sizeof buf);
		has = mc_pop3_capa_has(r, "SASL", buf, sizes[i]);
		check_printable(buf, sizes[i]);
		if (!has && buf[0])
			abort();
	}
	(void)mc_pop3_capa_has(r, "STLS", NULL, 0);
	(void)mc_pop3_capa_has(r, "", NULL, 0);
	if (mc_pop3_stat_parse(mc_buf_cstr(&r->first), &a, &b) == MC_OK && (a < 0 || b < 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data + 1;
	unsigned modes;
	size_t off = 0, n = 0;
	mc_pop3_reply_t r, p;

	if (!size)
		return 0;
	modes = data[0];
	size--;
	mc_pop3_reply_init(&r);
	mc_pop3_reply_init(&p);
	for (;; n++) {
		bool multiline = (modes >> (n % 8)) & 1;
		size_t consumed = (size_t)-1, pc;
		char err[160];
		mc_status_t st;

		err[0] = 'X';
		st = mc_pop3_reply_parse(in + off, size - off, multiline, &r, &consumed, err,
		                         sizeof err);
		if (st == MC_E_AGAIN)
			break;
		if (st == MC_E_PROTOCOL) {
			check_printable(err, sizeof err);
			break;
		}
		if (st != MC_OK)
			abort();
		/* a reply uses at least "+\n", ends at a line end, within the limit */
		if (consumed < 2 || consumed > size - off || in[off + consumed - 1] != '\n' ||
		    consumed > MC_POP3_REPLY_MAX)
			abort();
		check_reply(&r, multiline);
		if (mc_pop3_reply_parse(in + off, consumed - 1, multiline, &p, &pc, err,
		                        sizeof err) != MC_E_AGAIN ||
		    mc_pop3_reply_parse(in + off, consumed / 2, multiline, &p, &pc, err,
		                        sizeof err) != MC_E_AGAIN)
			abort();
		off += consumed;
	}
	mc_pop3_reply_free(&r);
	mc_pop3_reply_free(&p);
	return 0;
}
