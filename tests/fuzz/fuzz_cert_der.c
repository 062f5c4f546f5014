/* Fuzz target: certificate facts from DER (subject, issuer, names, dates),
 * the code that reads every certificate a server sends. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls/mc_cert.h"

static void printable(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n == cap)
		abort(); /* not terminated */
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == '|' || (unsigned char)*s >= 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mc_cert_facts_t in;

	if (mc_cert_facts_der(data, size, &in) == MC_OK) {
		printable(in.subject, sizeof(in.subject));
		printable(in.issuer, sizeof(in.issuer));
		printable(in.names, sizeof(in.names));
		printable(in.key_type, sizeof(in.key_type));
	}
	return 0;
}
