/* libFuzzer target: a SCRAM-SHA-256 exchange (mc_sasl_scram_*) with a fixed
 * user "user", password "pencil" and client nonce (those of RFC 7677
 * section 3) against server messages cut from the input: the bytes before
 * the first NUL are the server-first-message, the bytes after it the
 * server-final-message (none: the input is only a server-first-message).
 * Also mc_sasl_cram_md5 with the whole input as the challenge.
 *
 * Work bound: an input with "i=" followed by a count in 4097..100000 is
 * skipped before the exchange. Such counts are legal (the library takes up
 * to MC_SASL_SCRAM_ITER_MAX) but cost up to 25 times the PBKDF2 work of
 * 4096 per run and show the fuzzer nothing new; counts over 100000 are
 * kept, since the library refuses them before any work. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/mc_sasl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ITER_MAX 4096
#define USER "user"
#define PASS "pencil"
#define CNONCE "rOprNGfwEbeRWgbNEkqO"

/* true when some "i=" in m[0..n) is followed by digits worth
 * FUZZ_ITER_MAX + 1 .. MC_SASL_SCRAM_ITER_MAX */
static int too_much_work(const uint8_t *m, size_t n)
{
	size_t i, k;

	for (i = 0; i + 2 < n; i++) {
		unsigned long v = 0;

		if (m[i] != 'i' || m[i + 1] != '=')
			continue;
		for (k = i + 2; k < n && m[k] >= '0' && m[k] <= '9'; k++) {
			v = v * 10 + (unsigned long)(m[k] - '0');
			if (v > MC_SASL_SCRAM_ITER_MAX)
				break;
		}
		if (v > FUZZ_ITER_MAX && v <= MC_SASL_SCRAM_ITER_MAX)
			return 1;
	}
	return 0;
}

/* true when m[0..n) holds the password (a server may quote it back) */
static int holds_pass(const uint8_t *m, size_t n)
{
	size_t i, pl = sizeof(PASS) - 1;

	for (i = 0; i + pl <= n; i++) {
		if (memcmp(m + i, PASS, pl) == 0)
			return 1;
	}
	return 0;
}

/* An error text: one terminated line, never the password unless the
 * server's own message holds it (errors quote what the server sent). */
static void check_err(const char *err, size_t errsz, int quoted_pass)
{
	const char *end = memchr(err, '\0', errsz);

	if (!end || end == err || memchr(err, '\n', (size_t)(end - err)) ||
	    (!quoted_pass && strstr(err, PASS)))
		abort();
}

static void check_cleared(const char *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (out[i])
			abort();
	}
}

static void check_cram(const uint8_t *data, size_t size)
{
	char out[128], dec[64];
	size_t n, i;

	if (mc_sasl_cram_md5(USER, PASS, data, size, out, sizeof(out)) != MC_OK ||
	    mc_sasl_unbase64(out, dec, sizeof(dec), &n) != MC_OK || n != 5 + 32 ||
	    memcmp(dec, USER " ", 5) != 0)
		abort();
	for (i = 5; i < n; i++) {
		if (!((dec[i] >= '0' && dec[i] <= '9') || (dec[i] >= 'a' && dec[i] <= 'f')))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t flen = nul ? (size_t)(nul - data) : size;
	const char *first = (const char *)data, *final = nul ? (const char *)nul + 1 : NULL;
	size_t final_len = nul ? size - flen - 1 : 0;
	char out[MC_SASL_SCRAM_OUT_SIZE], err[256];
	mc_sasl_scram_t s;
	mc_status_t st;

	check_cram(data, size);
	if (too_much_work(data, flen))
		return 0;
	if (mc_sasl_scram_start(&s, USER, CNONCE, out, sizeof(out)) != MC_OK ||
	    strcmp(out, "n,,n=" USER ",r=" CNONCE) != 0)
		abort();
	err[0] = '\0';
	st = mc_sasl_scram_final(&s, PASS, first, flen, out, sizeof(out), err, sizeof(err));
	if (st != MC_OK) {
		if (st != MC_E_PROTOCOL && st != MC_E_LIMIT)
			abort();
		check_err(err, sizeof(err), holds_pass(data, flen));
		check_cleared(out, sizeof(out));
		/* nothing may follow a failure */
		if (mc_sasl_scram_verify(&s, "v=", 2, err, sizeof(err)) != MC_E_USAGE)
			abort();
		mc_sasl_scram_clear(&s);
		return 0;
	}
	/* c=biws,r=NONCE,p=<44 base64 characters>, the nonce ours + more */
	{
		size_t ol = strlen(out);
		if (err[0] || ol >= sizeof(out) || ol < 9 + sizeof(CNONCE) + 3 + 44 ||
		    memcmp(out, "c=biws,r=" CNONCE, 9 + sizeof(CNONCE) - 1) != 0 ||
		    memcmp(out + ol - 47, ",p=", 3) != 0 || out[ol - 1] != '=' ||
		    memchr(out + 9, ',', ol - 47 - 9))
			abort();
	}
	if (final) {
		st = mc_sasl_scram_verify(&s, final, final_len, err, sizeof(err));
		if (st == MC_OK) {
			if (err[0] || final_len < 2 || memcmp(final, "v=", 2) != 0)
				abort();
		} else {
			if (st != MC_E_PROTOCOL && st != MC_E_LIMIT && st != MC_E_REFUSED)
				abort();
			if (st == MC_E_REFUSED && (final_len < 2 || memcmp(final, "e=", 2) != 0))
				abort();
			check_err(err, sizeof(err), holds_pass((const uint8_t *) final, final_len));
		}
	}
	mc_sasl_scram_clear(&s);
	return 0;
}
