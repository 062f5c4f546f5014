#include "mc_sasl.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

/* The value of a base64 alphabet character (RFC 4648 section 4), or -1. */
static int b64_value(unsigned char c)
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

mc_status_t mc_sasl_base64(const char *in, size_t len, char *out, size_t outsz)
{
	size_t need;

	if (!outsz)
		return MC_E_USAGE;
	/* 4 characters per 3 bytes, rounded up, and the NUL. */
	if (len > (SIZE_MAX / 4 - 1) / 2 || len > INT_MAX / 2 || (!in && len))
		goto toolong;
	need = (len + 2) / 3 * 4 + 1;
	if (need > outsz)
		goto toolong;
	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)in, (int)len);
	return MC_OK;
toolong:
	OPENSSL_cleanse(out, outsz);
	return MC_E_USAGE;
}

mc_status_t mc_sasl_plain(const char *authzid, const char *user, const char *pass, char *out,
                          size_t outsz)
{
	/* RFC 4616 section 2: message = [authzid] UTF8NUL authcid UTF8NUL
	 * passwd, each field at most 255 octets, authcid and passwd not
	 * empty. */
	unsigned char msg[3 * MC_SASL_PLAIN_FIELD_MAX + 2];
	size_t zl = authzid ? strlen(authzid) : 0, ul, pl, n = 0;
	mc_status_t st;

	if (!user || !pass || !*user || !*pass || zl > MC_SASL_PLAIN_FIELD_MAX ||
	    (ul = strlen(user)) > MC_SASL_PLAIN_FIELD_MAX ||
	    (pl = strlen(pass)) > MC_SASL_PLAIN_FIELD_MAX) {
		if (outsz)
			OPENSSL_cleanse(out, outsz);
		return MC_E_USAGE;
	}
	memcpy(msg, authzid ? authzid : "", zl);
	n += zl;
	msg[n++] = '\0';
	memcpy(msg + n, user, ul);
	n += ul;
	msg[n++] = '\0';
	memcpy(msg + n, pass, pl);
	n += pl;
	st = mc_sasl_base64((const char *)msg, n, out, outsz);
	OPENSSL_cleanse(msg, sizeof(msg));
	return st;
}

/* Check in[0..n) is canonical base64; *pad gets the number of '='. */
static int check_base64(const char *in, size_t n, size_t *pad)
{
	size_t i;
	int last;

	*pad = 0;
	if (n % 4)
		return 0;
	if (!n)
		return 1;
	if (in[n - 1] == '=')
		(*pad)++;
	if (in[n - 2] == '=')
		(*pad)++;
	if (*pad == 1 && in[n - 2] == '=')
		return 0;
	for (i = 0; i < n - *pad; i++) {
		if (b64_value((unsigned char)in[i]) < 0)
			return 0;
	}
	/* RFC 4648 section 3.5: the bits of the last character that encode no
	 * byte must be zero, else two strings decode to the same bytes. */
	last = b64_value((unsigned char)in[n - *pad - 1]);
	if ((*pad == 1 && (last & 0x03)) || (*pad == 2 && (last & 0x0f)))
		return 0;
	return 1;
}

mc_status_t mc_sasl_unbase64(const char *in, char *out, size_t outsz, size_t *outlen)
{
	unsigned char grp[4], tmp[3];
	size_t n, pad, dl, body;
	mc_status_t st = MC_OK;

	*outlen = 0;
	if (!outsz)
		return MC_E_LIMIT;
	n = in ? strlen(in) : 0;
	if (!in || n > INT_MAX || !check_base64(in, n, &pad)) {
		st = MC_E_PROTOCOL;
		goto fail;
	}
	dl = n / 4 * 3 - pad;
	if (dl + 1 > outsz) {
		st = MC_E_LIMIT;
		goto fail;
	}
	if (!n) {
		out[0] = '\0';
		return MC_OK;
	}
	/* EVP_DecodeBlock writes 3 bytes per group and counts padding as
	 * bytes, so the last group goes through a temporary with '=' read as
	 * 'A' (zero bits, checked above); the others straight into out. */
	body = n - 4;
	if (body && EVP_DecodeBlock((unsigned char *)out, (const unsigned char *)in, (int)body) !=
	                (int)(body / 4 * 3)) {
		st = MC_E_PROTOCOL;
		goto fail;
	}
	memcpy(grp, in + body, 4);
	if (grp[3] == '=')
		grp[3] = 'A';
	if (grp[2] == '=')
		grp[2] = 'A';
	if (EVP_DecodeBlock(tmp, grp, 4) != 3) {
		st = MC_E_PROTOCOL;
	} else {
		memcpy(out + body / 4 * 3, tmp, 3 - pad);
		out[dl] = '\0';
		*outlen = dl;
	}
	OPENSSL_cleanse(grp, sizeof(grp));
	OPENSSL_cleanse(tmp, sizeof(tmp));
	if (st == MC_OK)
		return MC_OK;
fail:
	OPENSSL_cleanse(out, outsz);
	return st;
}
