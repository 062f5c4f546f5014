/* libFuzzer target: mc_spf_expand (RFC 7208 section 7) on arbitrary
 * macro-strings, as a domain name and as explanation text, into roomy and
 * tiny buffers; the first input byte picks the client and the context.
 * Results stay inside their buffer, names within 253 bytes, and what is
 * valid as a name is valid as text (the grammar is a superset). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/mc_spf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_printable(const char *s, size_t outsz)
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

static mc_status_t expand(const char *spec, const mc_spf_macro_ctx_t *ctx, bool for_exp, char *out,
                          size_t outsz)
{
	char err[120];
	mc_status_t st;

	memset(out, 'X', outsz);
	memset(err, 'X', sizeof(err));
	st = mc_spf_expand(spec, ctx, for_exp, out, outsz, err, sizeof(err));
	if (!memchr(out, '\0', outsz))
		abort();
	if (st == MC_OK)
		return st;
	if (st != MC_E_PROTOCOL && st != MC_E_LIMIT)
		abort();
	check_printable(err, sizeof(err));
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ips[] = {"192.0.2.3", "2001:db8::cb01", "::ffff:192.0.2.3", "::"};
	mc_spf_macro_ctx_t ctx;
	mc_addr_t ip;
	char *spec, name[MC_SPF_NAME_MAX + 1], text[1024], tiny[4];
	mc_status_t sn, st, s2;
	unsigned sel;

	if (size < 1)
		return 0;
	sel = data[0];
	spec = malloc(size);
	if (!spec)
		return 0;
	memcpy(spec, data + 1, size - 1);
	spec[size - 1] = '\0';
	if (mc_addr_parse(ips[sel & 3], 0, &ip) != MC_OK)
		abort();
	memset(&ctx, 0, sizeof(ctx));
	ctx.sender = sel & 4 ? "strong-bad@email.example.com" : "no-at-sign";
	ctx.domain = "email.example.com";
	ctx.ip = &ip;
	ctx.ptr = sel & 8 ? "mx.example.org" : NULL;
	ctx.helo = sel & 16 ? "mail.example.org" : NULL;
	ctx.receiver = sel & 32 ? "receiver.example" : NULL;
	ctx.now = sel & 64 ? 1400000000 : -1;
	sn = expand(spec, &ctx, false, name, sizeof(name));
	if (sn == MC_OK) {
		size_t len = strlen(name);
		if (len > MC_SPF_NAME_MAX)
			abort();
	}
	st = expand(spec, &ctx, true, text, sizeof(text));
	if (sn != MC_E_PROTOCOL && st == MC_E_PROTOCOL)
		abort();
	/* a tiny buffer changes nothing but the fit */
	s2 = expand(spec, &ctx, false, tiny, sizeof(tiny));
	if ((sn == MC_E_PROTOCOL) != (s2 == MC_E_PROTOCOL))
		abort();
	s2 = expand(spec, &ctx, true, tiny, sizeof(tiny));
	if ((st == MC_E_PROTOCOL) != (s2 == MC_E_PROTOCOL))
		abort();
	if (st == MC_OK && s2 == MC_OK && strlen(text) >= sizeof(tiny))
		abort();
	free(spec);
	return 0;
}
