#include "mc_base64.h"

/* The value of a base64 alphabet character (RFC 4648 section 4), or -1. */
static int value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* The '=' that end in[0..n), two at most. */
static size_t padding(const char *in, size_t n)
{
	size_t pad = 0;

	while (pad < 2 && pad < n && in[n - 1 - pad] == '=')
		pad++;
	return pad;
}

size_t mc_base64_check(const char *in, size_t n, bool canonical)
{
	size_t pad, i;
	int last;

	if (n % 4 != 0)
		return n - n % 4;
	pad = padding(in, n);
	for (i = 0; i < n - pad; i++) {
		if (value(in[i]) < 0)
			return i;
	}
	if (!canonical || pad == 0)
		return n;
	/* One '=': the last character's low 2 bits encode nothing; two: 4. */
	last = value(in[n - pad - 1]);
	if ((last & (pad == 1 ? 0x03 : 0x0f)) != 0)
		return n - pad - 1;
	return n;
}

mc_status_t mc_base64_decode(const char *in, size_t n, unsigned char *out, size_t outsz,
                             size_t *outlen)
{
	unsigned long acc = 0;
	size_t i, o = 0, pad, len;

	*outlen = 0;
	if (mc_base64_check(in, n, false) != n)
		return MC_E_PROTOCOL;
	pad = padding(in, n);
	len = n / 4 * 3 - pad;
	if (len > outsz)
		return MC_E_LIMIT;
	for (i = 0; i < n; i++) {
		/* the padding counts as zero bits, its bytes are not written */
		acc = (acc << 6) | (unsigned long)(i < n - pad ? value(in[i]) : 0);
		if (i % 4 != 3)
			continue;
		if (o < len)
			out[o++] = (unsigned char)(acc >> 16);
		if (o < len)
			out[o++] = (unsigned char)(acc >> 8);
		if (o < len)
			out[o++] = (unsigned char)acc;
		acc = 0;
	}
	*outlen = len;
	return MC_OK;
}
