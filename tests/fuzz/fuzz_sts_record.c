/* libFuzzer target: mc_sts_record_parse on one TXT record (RFC 8461
 * section 3.1), with a roomy and a tiny error buffer; a parsed id is 1-32
 * letters and digits, a record that is not ours does not start with
 * "v=STSv1" and a delimiter. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/mc_mtasts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One line for a monitoring output: NUL-terminated inside outsz, printable
 * ASCII, no '|' (it would start the perfdata). */
static void check_printable(const char *s, size_t outsz)
{
	const char *end = memchr(s, '\0', outsz);
	const char *p;

	if (!end)
		abort();
	for (p = s; p < end; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f || *p == '|')
			abort();
	}
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int starts_with_version(const char *in, size_t size)
{
	return size >= 7 && memcmp(in, "v=STSv1", 7) == 0 &&
	       (size == 7 || in[7] == ';' || in[7] == ' ' || in[7] == '\t');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	mc_sts_record_t rec;
	char err[120], tiny[7];
	mc_status_t st, st2;
	size_t n, i;

	memset(err, 'X', sizeof err);
	memset(&rec, 'X', sizeof rec);
	st = mc_sts_record_parse(in, size, &rec, err, sizeof err);
	memset(tiny, 'X', sizeof tiny);
	st2 = mc_sts_record_parse(in, size, &rec, tiny, sizeof tiny);
	if (st != st2)
		abort();
	switch (st) {
	case MC_OK:
		if (!starts_with_version(in, size) || memchr(in, '\0', size))
			abort();
		n = strnlen(rec.id, sizeof rec.id);
		if (n < 1 || n > 32)
			abort();
		for (i = 0; i < n; i++) {
			if (!is_alnum(rec.id[i]))
				abort();
		}
		break;
	case MC_E_AGAIN:
		if (starts_with_version(in, size))
			abort();
		/* fall through */
	case MC_E_PROTOCOL:
		check_printable(err, sizeof err);
		check_printable(tiny, sizeof tiny);
		break;
	default: abort();
	}
	return 0;
}
