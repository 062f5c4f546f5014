/* libFuzzer target: mc_sasl_unbase64 on arbitrary text (what it accepts
 * must encode back to exactly the same text), mc_sasl_base64 on arbitrary
 * bytes (must decode back to them), and mc_sasl_plain on fields cut from
 * the input at NUL bytes (must decode to authzid NUL user NUL pass). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/mc_sasl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ENC_MAX(n) (((n) + 2) / 3 * 4 + 1)

static void check_unbase64(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), *out = malloc(size + 1), *again = malloc(ENC_MAX(size));
	size_t outlen = (size_t)-1, sz;
	mc_status_t st;

	if (!in || !out || !again)
		abort();
	memcpy(in, data, size);
	in[size] = '\0';
	st = mc_sasl_unbase64(in, out, size + 1, &outlen);
	if (st == MC_OK) {
		if (outlen > size || out[outlen] != '\0')
			abort();
		if (mc_sasl_base64(out, outlen, again, ENC_MAX(size)) != MC_OK ||
		    strcmp(again, in) != 0)
			abort();
		/* Exactly enough room works, one byte less is a limit. */
		if (mc_sasl_unbase64(in, out, outlen + 1, &sz) != MC_OK || sz != outlen)
			abort();
		if (mc_sasl_unbase64(in, out, outlen, &sz) != MC_E_LIMIT || sz != 0)
			abort();
	} else if ((st != MC_E_PROTOCOL && st != MC_E_LIMIT) || outlen != 0 || out[0] != '\0') {
		abort();
	}
	free(in);
	free(out);
	free(again);
}

static void check_base64(const uint8_t *data, size_t size)
{
	size_t need = ENC_MAX(size), outlen = (size_t)-1;
	char *enc = malloc(need), *dec = malloc(size + 1);

	if (!enc || !dec)
		abort();
	if (mc_sasl_base64((const char *)data, size, enc, need) != MC_OK || strlen(enc) != need - 1)
		abort();
	if (mc_sasl_unbase64(enc, dec, size + 1, &outlen) != MC_OK || outlen != size ||
	    memcmp(dec, data, size) != 0)
		abort();
	if (mc_sasl_base64((const char *)data, size, enc, need - 1) != MC_E_USAGE || enc[0] != '\0')
		abort();
	free(enc);
	free(dec);
}

static void check_plain(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 3), *f[3];
	char out[1100], dec[800];
	size_t i, k = 0, outlen, fl[3], n;
	mc_status_t st;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = copy[size + 1] = copy[size + 2] = '\0';
	/* Fields: authzid, user, pass, cut at the first two NUL bytes. */
	f[0] = copy;
	for (i = 0; i < size && k < 2; i++) {
		if (!copy[i])
			f[++k] = copy + i + 1;
	}
	while (k < 2) {
		k++;
		f[k] = copy + size + k;
	}
	for (i = 0; i < 3; i++)
		fl[i] = strlen(f[i]);
	st = mc_sasl_plain(f[0], f[1], f[2], out, sizeof out);
	if (!fl[1] || !fl[2] || fl[0] > MC_SASL_PLAIN_FIELD_MAX ||
	    fl[1] > MC_SASL_PLAIN_FIELD_MAX || fl[2] > MC_SASL_PLAIN_FIELD_MAX) {
		if (st != MC_E_USAGE || out[0] != '\0')
			abort();
		free(copy);
		return;
	}
	if (st != MC_OK || mc_sasl_unbase64(out, dec, sizeof dec, &outlen) != MC_OK)
		abort();
	n = fl[0] + fl[1] + fl[2] + 2;
	if (outlen != n || memcmp(dec, f[0], fl[0]) != 0 || dec[fl[0]] != '\0' ||
	    memcmp(dec + fl[0] + 1, f[1], fl[1]) != 0 || dec[fl[0] + 1 + fl[1]] != '\0' ||
	    memcmp(dec + fl[0] + fl[1] + 2, f[2], fl[2]) != 0)
		abort();
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_unbase64(data, size);
	check_base64(data, size);
	check_plain(data, size);
	return 0;
}
