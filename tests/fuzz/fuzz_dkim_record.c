/* libFuzzer target: mc_dkim_record_parse on one TXT record (RFC 6376
 * section 3.6.1, tag list of section 3.2) and, when it parses,
 * mc_dkim_key_check on its p= (base64, then OpenSSL's DER decoders), each
 * with a roomy and a tiny error buffer. A parsed record's facts agree with
 * each other, a loaded key has a plausible size, errors are one printable
 * line and OpenSSL's error queue is left empty. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "policy/mc_dkim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One line for a monitoring output: NUL-terminated inside outsz, printable
 * ASCII, no '|' (it would start the perfdata). */
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

static int is_b64ish(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/' || c == '=';
}

static void check_record(const mc_dkim_record_t *rec)
{
	size_t i;

	check_printable(rec->k_name, sizeof rec->k_name);
	check_printable(rec->services, sizeof rec->services);
	check_printable(rec->notes, sizeof rec->notes);
	if (rec->plen > MC_DKIM_P_MAX || strnlen(rec->p, sizeof rec->p) != rec->plen)
		abort();
	if (rec->revoked != (rec->plen == 0))
		abort();
	/* p= keeps VALCHARs less whitespace: printable, no ';' */
	for (i = 0; i < rec->plen; i++) {
		if ((unsigned char)rec->p[i] <= 0x20 || (unsigned char)rec->p[i] >= 0x7f ||
		    rec->p[i] == ';')
			abort();
	}
	if (rec->sha1_only && (rec->sha256_ok || !rec->h_given))
		abort();
	if (!rec->h_given && !rec->sha256_ok)
		abort();
	if (rec->k != MC_DKIM_KEY_RSA && rec->k != MC_DKIM_KEY_ED25519 &&
	    rec->k != MC_DKIM_KEY_OTHER)
		abort();
}

static void check_key(const mc_dkim_record_t *rec, const mc_dkim_key_t *key)
{
	size_t i;

	if (key->type != rec->k || rec->revoked || rec->k == MC_DKIM_KEY_OTHER)
		abort();
	for (i = 0; i < rec->plen; i++) {
		if (!is_b64ish(rec->p[i]))
			abort();
	}
	if (rec->plen % 4 != 0)
		abort();
	if (key->type == MC_DKIM_KEY_ED25519 && (key->bits != 256 || key->rsa_bare))
		abort();
	/* DER of at most MC_DKIM_P_MAX / 4 * 3 bytes holds no bigger modulus */
	if (key->type == MC_DKIM_KEY_RSA &&
	    (key->bits < 1 || key->bits > MC_DKIM_P_MAX / 4 * 3 * 8))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	mc_dkim_record_t *rec = malloc(sizeof(*rec));
	mc_dkim_key_t key, key2;
	char err[160], tiny[7];
	mc_status_t st, st2;

	if (!rec)
		return 0;
	memset(err, 'X', sizeof err);
	memset(tiny, 'X', sizeof tiny);
	st = mc_dkim_record_parse(in, size, rec, tiny, sizeof tiny);
	st2 = mc_dkim_record_parse(in, size, rec, err, sizeof err);
	if (st != st2)
		abort();
	if (st != MC_OK) {
		if (st != MC_E_PROTOCOL)
			abort();
		check_printable(err, sizeof err);
		check_printable(tiny, sizeof tiny);
		free(rec);
		return 0;
	}
	if (memchr(in, '\0', size))
		abort();
	check_record(rec);
	memset(err, 'X', sizeof err);
	memset(tiny, 'X', sizeof tiny);
	st = mc_dkim_key_check(rec, &key, err, sizeof err);
	if (ERR_peek_error() != 0)
		abort();
	st2 = mc_dkim_key_check(rec, &key2, tiny, sizeof tiny);
	if (st != st2 || key.type != key2.type || key.bits != key2.bits ||
	    key.security_bits != key2.security_bits || key.rsa_bare != key2.rsa_bare)
		abort();
	if (st == MC_OK) {
		check_key(rec, &key);
	} else {
		if (st != MC_E_PROTOCOL)
			abort();
		check_printable(err, sizeof err);
		check_printable(tiny, sizeof tiny);
	}
	free(rec);
	return 0;
}
