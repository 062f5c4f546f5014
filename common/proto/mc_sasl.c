#include "mc_sasl.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "util/mc_base64.h"

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

mc_status_t mc_sasl_unbase64(const char *in, char *out, size_t outsz, size_t *outlen)
{
	size_t n;
	mc_status_t st;

	*outlen = 0;
	if (!outsz)
		return MC_E_LIMIT;
	n = in ? strlen(in) : 0;
	/* The canonical check first: a text that is not base64 is
	 * MC_E_PROTOCOL whatever the room; one byte of out kept for the NUL. */
	if (!in || n > INT_MAX || mc_base64_check(in, n, true) != n)
		st = MC_E_PROTOCOL;
	else
		st = mc_base64_decode(in, n, (unsigned char *)out, outsz - 1, outlen);
	if (st == MC_OK) {
		out[*outlen] = '\0';
		return MC_OK;
	}
	*outlen = 0;
	OPENSSL_cleanse(out, outsz);
	return st;
}
