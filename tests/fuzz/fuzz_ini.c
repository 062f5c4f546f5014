/* libFuzzer target: mc_ini_parse on arbitrary bytes (not NUL-terminated). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nagios/mc_opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mc_status_t touch(const char *key, const char *value, void *arg)
{
	size_t *sum = arg;

	/* read every byte of both strings; keys are never empty or blank */
	if (!key[0] || strchr(key, ' ') || strchr(key, '\t'))
		abort();
	*sum += strlen(key);
	if (value)
		*sum += strlen(value);
	return MC_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	char err[128];
	size_t sum = 0;

	if (!copy)
		return 0;
	/* an exact-size copy so reads past the end are caught */
	memcpy(copy, data, size);
	err[0] = 'X';
	(void)mc_ini_parse(copy, size, "check_smtp_tls", touch, &sum, err, sizeof err);
	if (!memchr(err, '\0', sizeof err))
		abort();
	free(copy);
	return 0;
}
