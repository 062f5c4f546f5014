/* libFuzzer target: mc_range_parse on arbitrary text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nagios/mc_range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	mc_range_t r;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (mc_range_parse(text, &r) == MC_OK) {
		/* a parsed range is self-consistent and usable */
		if (!r.start_inf && !r.end_inf && r.start > r.end)
			abort();
		if (strcmp(r.text, text) != 0)
			abort();
		(void)mc_range_alert(&r, 0.0);
		(void)mc_range_alert(&r, r.start);
		(void)mc_range_alert(&r, r.end);
	}
	free(text);
	return 0;
}
