/* Fuzz target: the strict base64 decoder (DKIM p=, SASL challenges). The
 * first byte chooses canonical checking and the output size; check and
 * decode must agree, and the decoded length must fit 3 bytes per 4
 * characters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/mc_base64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *out;
	size_t n, outsz, outlen = 99, at;
	const char *in;
	bool canonical;
	mc_status_t st;

	if (size < 1)
		return 0;
	canonical = data[0] & 1;
	in = (const char *)data + 1;
	n = size - 1;
	outsz = data[0] & 2 ? n / 4 * 3 : (size_t)(data[0] >> 2);
	out = malloc(outsz ? outsz : 1);
	if (!out)
		return 0;
	at = mc_base64_check(in, n, canonical);
	if (at > n)
		abort();
	st = mc_base64_decode(in, n, out, outsz, &outlen);
	if (st == MC_OK &&
	    (outlen > n / 4 * 3 || outlen > outsz || mc_base64_check(in, n, false) != n))
		abort();
	if (st != MC_OK && outlen != 0)
		abort();
	if (st == MC_E_PROTOCOL && mc_base64_check(in, n, false) == n)
		abort();
	if (canonical && at == n && st == MC_E_PROTOCOL)
		abort();
	free(out);
	return 0;
}
