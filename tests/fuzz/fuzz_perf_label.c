/* libFuzzer target: perfdata label sanitizing and item formatting. The first
 * input byte picks the value, the rest is the label. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nagios/mc_perf.h"
#include "util/mc_buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double values[] = {0.041, 2, 1e-9, -3.5, 123456789.5, 1e300, -1e300, 0};
	char *label;
	char clean[64];
	mc_thresholds_t th;
	mc_perf_t p;
	mc_buf_t b;
	size_t i;

	if (size == 0)
		return 0;
	label = malloc(size);
	if (!label)
		return 0;
	memcpy(label, data + 1, size - 1);
	label[size - 1] = '\0';

	if (mc_perf_label_sanitize(label, clean, sizeof clean) == MC_OK) {
		for (i = 0; clean[i]; i++) {
			unsigned char c = (unsigned char)clean[i];
			if (c <= ' ' || c >= 0x7f || c == '=' || c == '\'' || c == '|')
				abort();
		}
		if (strstr(clean, "::")) /* a check_multi prefix to Icinga 2 */
			abort();
	}
	memset(&th, 0, sizeof th);
	th.has_warn = mc_range_parse("10:20", &th.warn) == MC_OK;
	th.has_crit = mc_range_parse("@~:5", &th.crit) == MC_OK;
	if (mc_perf_set(&p, label, values[data[0] % 8], (data[0] & 8) ? "s" : "", &th) == MC_OK) {
		p.has_min = data[0] & 16;
		p.has_max = data[0] & 32;
		p.max = 1e15;
		mc_buf_init(&b, 2048);
		if (mc_perf_format(&b, &p) == MC_OK) {
			const char *s = mc_buf_cstr(&b);
			/* one token: quoted label, no space, no '|', no exponent */
			if (s[0] != '\'' || strchr(s, ' ') || strchr(s, '|') || strstr(s, "::") ||
			    b.len != strlen(s))
				abort();
		}
		mc_buf_free(&b);
	}
	free(label);
	return 0;
}
