/* libFuzzer target: mc_smtp_reply_parse on a stream of server bytes, replies
 * consumed one after another, and the EHLO helpers on every parsed reply. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/mc_smtp_reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Output for a monitoring line: NUL-terminated inside outsz, no control
 * byte, no '|' (it would start the perfdata). */
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

static void check_reply(const mc_smtp_reply_t *r)
{
	/* 1 and 5 exercise the cut, the others the normal case */
	static const size_t sizes[] = {1, 5, 80, 512, 4096};
	char buf[4096];
	size_t i;

	if (r->code < 200 || r->code > 559 || r->nlines < 1)
		abort();
	if (r->text.len > MC_SMTP_REPLY_MAX || strlen(mc_buf_cstr(&r->text)) != r->text.len)
		abort();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(buf, 'X', sizeof(buf));
		mc_smtp_reply_first(r, buf, sizes[i]);
		check_printable(buf, sizes[i]);
	}
	memset(buf, 'X', sizeof(buf));
	(void)mc_smtp_ehlo_has(r, "STARTTLS", buf, sizeof buf);
	check_printable(buf, sizeof buf);
	(void)mc_smtp_ehlo_has(r, "8BITMIME", NULL, 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(buf, 'X', sizeof(buf));
		mc_smtp_ehlo_keywords(r, buf, sizes[i]);
		check_printable(buf, sizes[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	size_t off = 0;
	mc_smtp_reply_t r;

	mc_smtp_reply_init(&r);
	for (;;) {
		size_t consumed = (size_t)-1;
		char err[160];
		mc_status_t st;

		err[0] = 'X';
		st = mc_smtp_reply_parse(in + off, size - off, &r, &consumed, err, sizeof err);
		if (st == MC_E_AGAIN)
			break;
		if (st == MC_E_PROTOCOL) {
			check_printable(err, sizeof err);
			break;
		}
		if (st != MC_OK)
			abort();
		/* a reply uses at least "2xx\n" and ends at a line end */
		if (consumed < 4 || consumed > size - off || in[off + consumed - 1] != '\n')
			abort();
		check_reply(&r);
		off += consumed;
	}
	mc_smtp_reply_free(&r);
	return 0;
}
