/* mc_perf.h - perfdata labels and values. */
#ifndef MC_PERF_H
#define MC_PERF_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/mc_buf.h"
#include "mc_range.h"

/* Make a label safe: every byte that is not printable ASCII, or is a space,
 * '=', '\'' or '|', becomes '_', and so does a ':' next to another ':'
 * (Icinga 2 and PNP4Nagios take "::" for a check_multi prefix). Result NUL-terminated in out (outsz
 * bytes), cut if needed. MC_E_USAGE for an empty label. */
mc_status_t mc_perf_label_sanitize(const char *in, char *out, size_t outsz);

/* Format a number in plain decimal, C locale, no exponent, at most 6
 * fraction digits with trailing zeros (and a trailing '.') removed:
 * 0.041 -> "0.041", 2 -> "2", 1e-9 -> "0", -3.5 -> "-3.5". */
void mc_perf_number(char *out, size_t outsz, double v);

/* One perfdata item. min/max are used when has_min/has_max. th may be NULL;
 * its warn/crit range texts are echoed in the warn/crit fields. */
typedef struct mc_perf {
	char label[64]; /* already sanitized */
	double value;
	char uom[4];   /* "s", "B", "%", "c" or "" */
	char warn[48]; /* range text or "" */
	char crit[48];
	double min, max;
	bool has_min, has_max;
} mc_perf_t;

/* Fill p; the label is sanitized here. */
mc_status_t mc_perf_set(mc_perf_t *p, const char *label, double value, const char *uom,
                        const mc_thresholds_t *th);

/* Append "'label'=value[uom];warn;crit;min;max" (trailing empty fields
 * dropped) to out. */
mc_status_t mc_perf_format(mc_buf_t *out, const mc_perf_t *p);

#endif
