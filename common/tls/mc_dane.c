#include "mc_dane.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

mc_status_t mc_dane_add(SSL *ssl, const char *base_name, const mc_dane_tlsa_t *tlsa, size_t n,
                        size_t *usable)
{
	size_t i;
	bool enabled = false;

	for (i = 0; i < n; i++) {
		const mc_dane_tlsa_t *t = &tlsa[i];
		/* RFC 7672 section 3.1.3: only DANE-TA(2) and DANE-EE(3)
		 * records are usable for SMTP. */
		if (t->usage != 2 && t->usage != 3)
			continue;
		if (!enabled) {
			if (SSL_dane_enable(ssl, base_name) <= 0)
				return MC_E_INTERNAL;
			/* RFC 7672 section 3.1.1: DANE-EE binds the key, not a name. */
			SSL_dane_set_flags(ssl, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
			enabled = true;
		}
		/* OpenSSL refuses the matching types it does not know. */
		if (SSL_dane_tlsa_add(ssl, t->usage, t->selector, t->mtype, t->data, t->len) > 0)
			(*usable)++;
		ERR_clear_error();
	}
	return MC_OK;
}

int mc_dane_matched(SSL *ssl, char *buf, size_t bufsz)
{
	uint8_t usage, sel, mtype;
	unsigned const char *data = NULL;
	size_t dlen = 0, i, used;
	int depth = SSL_get0_dane_tlsa(ssl, &usage, &sel, &mtype, &data, &dlen);

	if (depth < 0 || !data)
		return depth;
	used = (size_t)snprintf(buf, bufsz, "%u %u %u ", usage, sel, mtype);
	for (i = 0; i < dlen && i < 16 && used + 3 < bufsz; i++)
		used += (size_t)snprintf(buf + used, bufsz - used, "%02x", data[i]);
	if (dlen > 16 && used + 4 <= bufsz)
		memcpy(buf + used, "...", 4);
	return depth;
}
