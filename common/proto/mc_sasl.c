#include "mc_sasl.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "util/mc_ascii.h"
#include "util/mc_base64.h"
#include "util/mc_str.h"

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

/* A byte SASLprep prohibits in every field (RFC 4013 section 2.3, table
 * C.2.1: ASCII control characters). */
static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool field_ok(const char *f, size_t *len)
{
	size_t i, n;

	if (!f || !*f || (n = strlen(f)) > MC_SASL_FIELD_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (is_ctl((unsigned char)f[i]))
			return false;
	}
	*len = n;
	return true;
}

mc_status_t mc_sasl_cram_md5(const char *user, const char *pass, const unsigned char *challenge,
                             size_t challenge_len, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	/* RFC 2195 section 2: user SP 32 lower-case hex digits. */
	char msg[MC_SASL_FIELD_MAX + 1 + 2 * 16];
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0, i;
	size_t ul, pl;
	mc_status_t st = MC_E_USAGE;

	if (!field_ok(user, &ul) || !pass || !*pass || (pl = strlen(pass)) > MC_SASL_FIELD_MAX ||
	    (!challenge && challenge_len))
		goto fail;
	if (!HMAC(EVP_md5(), pass, (int)pl, challenge ? challenge : (const unsigned char *)"",
	          challenge_len, mac, &maclen) ||
	    maclen != 16) {
		st = MC_E_INTERNAL;
		goto fail;
	}
	memcpy(msg, user, ul);
	msg[ul] = ' ';
	for (i = 0; i < maclen; i++) {
		msg[ul + 1 + 2 * i] = hex[mac[i] >> 4];
		msg[ul + 2 + 2 * i] = hex[mac[i] & 15];
	}
	st = mc_sasl_base64(msg, ul + 1 + 2 * maclen, out, outsz);
	OPENSSL_cleanse(msg, sizeof(msg));
	OPENSSL_cleanse(mac, sizeof(mac));
	return st;
fail:
	OPENSSL_cleanse(mac, sizeof(mac));
	if (outsz)
		OPENSSL_cleanse(out, outsz);
	return st;
}

/* ---- SCRAM-SHA-256 ---- */

enum { SCRAM_NONE, SCRAM_STARTED, SCRAM_FINAL, SCRAM_DONE, SCRAM_FAILED };

static void seterr(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errsz)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* RFC 5802 section 7: printable = %x21-2B / %x2D-7E (no ','). */
static bool is_printable(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != ',';
}

/* One "a=value" attribute of a server message: the attribute letter and
 * its value, or false when the field is not ALPHA "=" ... */
typedef struct {
	char name;
	const char *v;
	size_t n;
} scram_attr_t;

/* The next ','-separated field of m[0..len) from *pos on. */
static bool next_attr(const char *m, size_t len, size_t *pos, scram_attr_t *a)
{
	const char *f = m + *pos, *comma;
	size_t fl;

	if (*pos > len)
		return false;
	comma = memchr(f, ',', len - *pos);
	fl = comma ? (size_t)(comma - f) : len - *pos;
	*pos += fl + 1; /* past len when this was the last field */
	if (fl < 2 || f[1] != '=' || !mc_ascii_is_alpha(f[0]))
		return false;
	a->name = f[0];
	a->v = f + 2;
	a->n = fl - 2;
	return true;
}

/* RFC 5802 section 7: extensions = attr-val *("," attr-val), attr-val =
 * ALPHA "=" value, value = 1*value-char (any byte but NUL, which the
 * caller has excluded, and ','). */
static bool extensions_ok(const char *m, size_t len, size_t pos)
{
	scram_attr_t a;

	while (pos <= len) {
		if (!next_attr(m, len, &pos, &a) || a.n == 0)
			return false;
	}
	return true;
}

/* A server message: 1..MC_SASL_SCRAM_MSG_MAX bytes, no NUL. */
static mc_status_t check_msg(const char *what, const char *m, size_t len, char *err, size_t errsz)
{
	if (!m || !len) {
		seterr(err, errsz, "SCRAM: empty %s", what);
		return MC_E_PROTOCOL;
	}
	if (len > MC_SASL_SCRAM_MSG_MAX) {
		seterr(err, errsz, "SCRAM: %s too long (over %d bytes)", what,
		       MC_SASL_SCRAM_MSG_MAX);
		return MC_E_LIMIT;
	}
	if (memchr(m, '\0', len)) {
		seterr(err, errsz, "SCRAM: NUL byte in %s", what);
		return MC_E_PROTOCOL;
	}
	return MC_OK;
}

mc_status_t mc_sasl_scram_start(mc_sasl_scram_t *s, const char *user, const char *cnonce, char *out,
                                size_t outsz)
{
	unsigned char rnd[24];
	size_t ul, nl, i, n = 0;

	OPENSSL_cleanse(s, sizeof(*s));
	s->step = SCRAM_FAILED;
	if (!field_ok(user, &ul))
		goto fail;
	if (cnonce) {
		nl = strlen(cnonce);
		if (!nl || nl > MC_SASL_SCRAM_CNONCE_MAX)
			goto fail;
		for (i = 0; i < nl; i++) {
			if (!is_printable((unsigned char)cnonce[i]))
				goto fail;
		}
		memcpy(s->cnonce, cnonce, nl + 1);
	} else {
		/* 24 bytes: 192 bits, 32 base64 characters (none of them ','). */
		if (RAND_bytes(rnd, (int)sizeof(rnd)) != 1) {
			OPENSSL_cleanse(s, sizeof(*s));
			s->step = SCRAM_FAILED;
			if (outsz)
				OPENSSL_cleanse(out, outsz);
			return MC_E_INTERNAL;
		}
		nl = (size_t)EVP_EncodeBlock((unsigned char *)s->cnonce, rnd, (int)sizeof(rnd));
		OPENSSL_cleanse(rnd, sizeof(rnd));
	}
	s->cnonce_len = nl;
	/* RFC 5802 section 5.1: client-first-message-bare = "n=" saslname
	 * ",r=" c-nonce, with ',' and '=' of the user as =2C and =3D. */
	memcpy(s->bare, "n=", 2);
	n = 2;
	for (i = 0; i < ul; i++) {
		if (user[i] == ',' || user[i] == '=') {
			memcpy(s->bare + n, user[i] == ',' ? "=2C" : "=3D", 3);
			n += 3;
		} else {
			s->bare[n++] = user[i];
		}
	}
	memcpy(s->bare + n, ",r=", 3);
	n += 3;
	memcpy(s->bare + n, s->cnonce, nl);
	n += nl;
	s->bare[n] = '\0';
	s->bare_len = n;
	/* GS2 header "n,,": no channel binding, no authzid (section 7). */
	if (3 + n + 1 > outsz)
		goto fail;
	memcpy(out, "n,,", 3);
	memcpy(out + 3, s->bare, n + 1);
	s->step = SCRAM_STARTED;
	return MC_OK;
fail:
	OPENSSL_cleanse(s, sizeof(*s));
	s->step = SCRAM_FAILED;
	if (outsz)
		OPENSSL_cleanse(out, outsz);
	return MC_E_USAGE;
}

/* The parts of a server-first-message mc_sasl_scram_final needs. */
typedef struct {
	const char *nonce;
	size_t nonce_len;
	unsigned char salt[MC_SASL_SCRAM_SALT_MAX];
	size_t salt_len;
	unsigned long iter;
} scram_first_t;

/* RFC 5802 section 7: server-first-message = [reserved-mext ","] nonce ","
 * salt "," iteration-count ["," extensions]. */
static mc_status_t parse_server_first(const mc_sasl_scram_t *s, const char *m, size_t len,
                                      scram_first_t *f, char *err, size_t errsz)
{
	char shown[MC_STR_QUOTE_SIZE];
	scram_attr_t a;
	size_t pos = 0, i;
	bool big = false;
	mc_status_t st;

	if ((st = check_msg("server-first-message", m, len, err, errsz)) != MC_OK)
		return st;
	if (!next_attr(m, len, &pos, &a) || a.name != 'r') {
		/* Section 5.1: a client that does not know the mandatory
		 * extension "m" MUST fail. */
		if (len >= 2 && m[0] == 'm' && m[1] == '=') {
			seterr(err, errsz,
			       "SCRAM: server requires an unsupported mandatory extension (m=)");
			return MC_E_PROTOCOL;
		}
		mc_str_quote(shown, sizeof(shown), m, len);
		seterr(err, errsz, "SCRAM: server-first-message does not start with r=: '%s'",
		       shown);
		return MC_E_PROTOCOL;
	}
	for (i = 0; i < a.n; i++) {
		if (!is_printable((unsigned char)a.v[i])) {
			seterr(err, errsz, "SCRAM: bad byte 0x%02x in the server nonce",
			       (unsigned char)a.v[i]);
			return MC_E_PROTOCOL;
		}
	}
	/* Section 5.1: the nonce is ours followed by the server's. */
	if (a.n < s->cnonce_len || memcmp(a.v, s->cnonce, s->cnonce_len) != 0) {
		seterr(err, errsz, "SCRAM: server nonce does not start with the client nonce");
		return MC_E_PROTOCOL;
	}
	if (a.n == s->cnonce_len) {
		seterr(err, errsz, "SCRAM: server added no nonce of its own");
		return MC_E_PROTOCOL;
	}
	f->nonce = a.v;
	f->nonce_len = a.n;

	if (!next_attr(m, len, &pos, &a) || a.name != 's') {
		seterr(err, errsz, "SCRAM: server-first-message has no s= (salt) after r=");
		return MC_E_PROTOCOL;
	}
	if (mc_base64_check(a.v, a.n, true) != a.n) {
		seterr(err, errsz, "SCRAM: salt is not base64");
		return MC_E_PROTOCOL;
	}
	if (mc_base64_decode(a.v, a.n, f->salt, sizeof(f->salt), &f->salt_len) != MC_OK) {
		seterr(err, errsz, "SCRAM: salt too long (over %d bytes)", MC_SASL_SCRAM_SALT_MAX);
		return MC_E_LIMIT;
	}

	if (!next_attr(m, len, &pos, &a) || a.name != 'i') {
		seterr(err, errsz, "SCRAM: server-first-message has no i= (iterations) after s=");
		return MC_E_PROTOCOL;
	}
	/* posit-number = %x31-39 *DIGIT: digits only, no leading zero. */
	f->iter = 0;
	for (i = 0; i < a.n; i++) {
		if (!mc_ascii_is_digit(a.v[i]) || (i == 0 && a.v[i] == '0')) {
			mc_str_quote(shown, sizeof(shown), a.v, a.n);
			seterr(err, errsz, "SCRAM: bad iteration count '%s'", shown);
			return MC_E_PROTOCOL;
		}
		if (!big)
			f->iter = f->iter * 10 + (unsigned long)(a.v[i] - '0');
		if (f->iter > MC_SASL_SCRAM_ITER_MAX)
			big = true;
	}
	if (!a.n) {
		seterr(err, errsz, "SCRAM: empty iteration count");
		return MC_E_PROTOCOL;
	}
	if (!extensions_ok(m, len, pos)) {
		seterr(err, errsz, "SCRAM: malformed extension after i= in server-first-message");
		return MC_E_PROTOCOL;
	}
	if (big) {
		seterr(err, errsz, "SCRAM: server asks for over %d iterations",
		       MC_SASL_SCRAM_ITER_MAX);
		return MC_E_LIMIT;
	}
	return MC_OK;
}

static bool hmac256(const unsigned char *key, size_t keylen, const void *d, size_t n,
                    unsigned char out[MC_SASL_SCRAM_HASH_LEN])
{
	unsigned int ol = 0;

	return HMAC(EVP_sha256(), key, (int)keylen, d, n, out, &ol) && ol == MC_SASL_SCRAM_HASH_LEN;
}

mc_status_t mc_sasl_scram_final(mc_sasl_scram_t *s, const char *pass, const char *server_first,
                                size_t len, char *out, size_t outsz, char *err, size_t errsz)
{
	/* client-first-message-bare "," server-first-message ","
	 * client-final-message-without-proof (RFC 5802 section 3) */
	char am[MC_SASL_SCRAM_OUT_SIZE + 1 + MC_SASL_SCRAM_MSG_MAX + 1 + MC_SASL_SCRAM_OUT_SIZE];
	unsigned char salted[MC_SASL_SCRAM_HASH_LEN], ckey[MC_SASL_SCRAM_HASH_LEN],
	    stored[MC_SASL_SCRAM_HASH_LEN], csig[MC_SASL_SCRAM_HASH_LEN],
	    skey[MC_SASL_SCRAM_HASH_LEN];
	scram_first_t f;
	size_t pl, wp, amlen, i;
	mc_status_t st;

	if (outsz)
		OPENSSL_cleanse(out, outsz);
	if (s->step != SCRAM_STARTED) {
		seterr(err, errsz, "SCRAM: server-first-message out of order");
		st = MC_E_USAGE;
		goto done;
	}
	if (!field_ok(pass, &pl)) {
		seterr(err, errsz, "SCRAM: password empty, over %d bytes or with a control byte",
		       MC_SASL_FIELD_MAX);
		st = MC_E_USAGE;
		goto done;
	}
	if ((st = parse_server_first(s, server_first, len, &f, err, errsz)) != MC_OK)
		goto done;
	/* client-final-message-without-proof = "c=biws,r=" nonce: biws is
	 * the base64 of the GS2 header "n,,". */
	wp = 9 + f.nonce_len;
	if (wp + 3 + 44 + 1 > outsz) {
		seterr(err, errsz, "SCRAM: client-final-message does not fit %zu bytes", outsz);
		st = MC_E_LIMIT;
		goto done;
	}
	memcpy(out, "c=biws,r=", 9);
	memcpy(out + 9, f.nonce, f.nonce_len);
	amlen = 0;
	memcpy(am, s->bare, s->bare_len);
	amlen += s->bare_len;
	am[amlen++] = ',';
	memcpy(am + amlen, server_first, len);
	amlen += len;
	am[amlen++] = ',';
	memcpy(am + amlen, out, wp);
	amlen += wp;

	/* SaltedPassword = Hi(password, salt, i) = PBKDF2-HMAC-SHA-256;
	 * ClientKey = HMAC(SaltedPassword, "Client Key"); StoredKey =
	 * H(ClientKey); ClientSignature = HMAC(StoredKey, AuthMessage);
	 * ClientProof = ClientKey XOR ClientSignature; ServerKey =
	 * HMAC(SaltedPassword, "Server Key"); ServerSignature =
	 * HMAC(ServerKey, AuthMessage). */
	if (PKCS5_PBKDF2_HMAC(pass, (int)pl, f.salt, (int)f.salt_len, (int)f.iter, EVP_sha256(),
	                      (int)sizeof(salted), salted) != 1 ||
	    !hmac256(salted, sizeof(salted), "Client Key", 10, ckey) ||
	    EVP_Digest(ckey, sizeof(ckey), stored, NULL, EVP_sha256(), NULL) != 1 ||
	    !hmac256(stored, sizeof(stored), am, amlen, csig) ||
	    !hmac256(salted, sizeof(salted), "Server Key", 10, skey) ||
	    !hmac256(skey, sizeof(skey), am, amlen, s->server_signature)) {
		seterr(err, errsz, "SCRAM: OpenSSL failed to compute SHA-256 keys");
		st = MC_E_INTERNAL;
		goto done;
	}
	for (i = 0; i < sizeof(ckey); i++)
		csig[i] ^= ckey[i];
	memcpy(out + wp, ",p=", 3);
	EVP_EncodeBlock((unsigned char *)out + wp + 3, csig, (int)sizeof(csig));
	s->step = SCRAM_FINAL;
	st = MC_OK;
done:
	OPENSSL_cleanse(am, sizeof(am));
	OPENSSL_cleanse(salted, sizeof(salted));
	OPENSSL_cleanse(ckey, sizeof(ckey));
	OPENSSL_cleanse(stored, sizeof(stored));
	OPENSSL_cleanse(csig, sizeof(csig));
	OPENSSL_cleanse(skey, sizeof(skey));
	OPENSSL_cleanse(&f, sizeof(f));
	if (st != MC_OK) {
		if (outsz)
			OPENSSL_cleanse(out, outsz);
		OPENSSL_cleanse(s, sizeof(*s));
		s->step = SCRAM_FAILED;
	}
	return st;
}

/* RFC 5802 section 7: server-final-message = (server-error / verifier)
 * ["," extensions]; server-error = "e=" server-error-value; verifier = "v="
 * base64. */
static mc_status_t check_server_final(const mc_sasl_scram_t *s, const char *m, size_t len,
                                      char *err, size_t errsz)
{
	unsigned char sig[MC_SASL_SCRAM_HASH_LEN + 3];
	char shown[64];
	scram_attr_t a;
	size_t pos = 0, sl = 0;
	mc_status_t st;

	if ((st = check_msg("server-final-message", m, len, err, errsz)) != MC_OK)
		return st;
	if (!next_attr(m, len, &pos, &a) || (a.name != 'e' && a.name != 'v')) {
		mc_str_quote(shown, sizeof(shown), m, len);
		seterr(err, errsz, "SCRAM: server-final-message is neither v= nor e=: '%s'", shown);
		return MC_E_PROTOCOL;
	}
	if (a.name == 'e') {
		mc_str_sanitize(shown, sizeof(shown), a.v, a.n);
		seterr(err, errsz, "SCRAM: server refused authentication: %s",
		       a.n ? shown : "(no reason given)");
		return MC_E_REFUSED;
	}
	if (!extensions_ok(m, len, pos)) {
		seterr(err, errsz, "SCRAM: malformed extension after v= in server-final-message");
		return MC_E_PROTOCOL;
	}
	if (mc_base64_check(a.v, a.n, true) != a.n ||
	    mc_base64_decode(a.v, a.n, sig, sizeof(sig), &sl) != MC_OK ||
	    sl != MC_SASL_SCRAM_HASH_LEN) {
		seterr(err, errsz, "SCRAM: server signature (v=) is not base64 of %d bytes",
		       MC_SASL_SCRAM_HASH_LEN);
		st = MC_E_PROTOCOL;
	} else if (CRYPTO_memcmp(sig, s->server_signature, MC_SASL_SCRAM_HASH_LEN) != 0) {
		seterr(err, errsz,
		       "SCRAM: server signature does not match: the server does not know the "
		       "password");
		st = MC_E_PROTOCOL;
	}
	OPENSSL_cleanse(sig, sizeof(sig));
	return st;
}

mc_status_t mc_sasl_scram_verify(mc_sasl_scram_t *s, const char *server_final, size_t len,
                                 char *err, size_t errsz)
{
	mc_status_t st;

	if (s->step != SCRAM_FINAL) {
		seterr(err, errsz, "SCRAM: server-final-message out of order");
		st = MC_E_USAGE;
	} else {
		st = check_server_final(s, server_final, len, err, errsz);
	}
	OPENSSL_cleanse(s->server_signature, sizeof(s->server_signature));
	if (st == MC_OK) {
		s->step = SCRAM_DONE;
	} else {
		OPENSSL_cleanse(s, sizeof(*s));
		s->step = SCRAM_FAILED;
	}
	return st;
}

void mc_sasl_scram_clear(mc_sasl_scram_t *s)
{
	OPENSSL_cleanse(s, sizeof(*s));
}
