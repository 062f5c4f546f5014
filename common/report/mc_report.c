#include "mc_report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/mc_str.h"

void mc_report_ok(mc_report_okline_t *ok, const char *fmt, ...)
{
	size_t used = strlen(ok->text);
	va_list ap;

	if (used + 3 >= sizeof(ok->text))
		return;
	if (used)
		used += (size_t)snprintf(ok->text + used, sizeof(ok->text) - used, ", ");
	va_start(ap, fmt);
	vsnprintf(ok->text + used, sizeof(ok->text) - used, fmt, ap);
	va_end(ap);
}

const char *mc_report_dns_failure(const mc_dns_asked_t *q)
{
	if (q->unaskable)
		return "not asked: the name is longer than DNS allows, or out of memory";
	if (!q->ans)
		return "no answer before the deadline";
	return q->ans->error;
}

mc_state_t mc_report_dns_failure_state(const mc_dns_asked_t *q, const mc_report_opts_t *o)
{
	return q->ans || q->unaskable ? MC_STATE_CRITICAL : o->late;
}

void mc_report_perf(mc_result_t *node, const char *suffix, const char *name, double v,
                    const char *uom, const mc_thresholds_t *th)
{
	char label[64];

	if (suffix)
		snprintf(label, sizeof(label), "%s_%s", name, suffix);
	else
		mc_strlcpy(label, name, sizeof(label));
	mc_result_perf(node, label, v, uom, th);
}
