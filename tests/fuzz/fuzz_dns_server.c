/* libFuzzer target: mc_dns_server_check, the -s/--dns-server option
 * parser, on a NUL-terminated copy of the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/mc_dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char err[256], tiny[4];
	mc_status_t st;
	const char *p;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	err[0] = 'X';
	st = mc_dns_server_check(text, err, sizeof err);
	if (st == MC_OK) {
		/* An accepted entry is an address literal with an optional port:
		 * hex digits, '.', ':', brackets, nothing else. */
		if (!text[0])
			abort();
		for (p = text; *p; p++) {
			if (!strchr("0123456789abcdefABCDEF.:[]", *p))
				abort();
		}
	} else if (st == MC_E_USAGE) {
		if (!memchr(err, '\0', sizeof err) || !err[0])
			abort();
	} else {
		abort();
	}
	/* the reason is cut, never overflowed, in a small buffer */
	memset(tiny, 'X', sizeof tiny);
	if (mc_dns_server_check(text, tiny, sizeof tiny) != st)
		abort();
	if (st != MC_OK && !memchr(tiny, '\0', sizeof tiny))
		abort();
	free(text);
	return 0;
}
