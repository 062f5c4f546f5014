/* libFuzzer target: mc_tlsrpt_parse on one TXT record (RFC 8460 section
 * 3), with a roomy and a tiny error buffer; every parsed rua URI is a
 * non-empty mailto: or https:// URI without the characters that must be
 * encoded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/mc_tlsrpt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

static int prefix_ieq(const char *s, const char *lit)
{
	for (; *lit; s++, lit++) {
		char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
		if (c != *lit)
			return 0;
	}
	return 1;
}

static void check_record(const mc_tlsrpt_record_t *rec)
{
	size_t i, j, n;

	if (rec->nrua < 1 || rec->nrua > MC_TLSRPT_MAX_RUA)
		abort();
	for (i = 0; i < rec->nrua; i++) {
		const char *u = rec->rua[i];
		n = strnlen(u, sizeof rec->rua[i]);
		if (n == sizeof rec->rua[i])
			abort();
		if (!prefix_ieq(u, "mailto:") && !prefix_ieq(u, "https://"))
			abort();
		for (j = 0; j < n; j++) {
			unsigned char c = (unsigned char)u[j];
			if (c <= 0x20 || c >= 0x7f || c == ',' || c == ';' || c == '!')
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	mc_tlsrpt_record_t *rec = malloc(sizeof(*rec));
	char err[120], tiny[7];
	mc_status_t st, st2;

	if (!rec)
		return 0;
	memset(err, 'X', sizeof err);
	st = mc_tlsrpt_parse(in, size, rec, err, sizeof err);
	if (st == MC_OK) {
		if (size < 10 || memcmp(in, "v=TLSRPTv1", 10) != 0)
			abort();
		check_record(rec);
	} else if (st == MC_E_PROTOCOL || st == MC_E_AGAIN) {
		check_printable(err, sizeof err);
	} else {
		abort();
	}
	memset(tiny, 'X', sizeof tiny);
	st2 = mc_tlsrpt_parse(in, size, rec, tiny, sizeof tiny);
	if (st2 != st)
		abort();
	if (st2 != MC_OK)
		check_printable(tiny, sizeof tiny);
	free(rec);
	return 0;
}
