#include "mc_range.h"

#include <math.h>
#include <string.h>

#include "../util/mc_str.h"

/* Bounds beyond this are not thresholds anyone means; keeps arithmetic finite. */
#define RANGE_ABS_MAX 1e15

static mc_status_t parse_bound(const char *s, size_t n, double *out)
{
	return mc_parse_double_n(s, n, -RANGE_ABS_MAX, RANGE_ABS_MAX, out);
}

/* Syntax of the monitoring-plugins development guidelines ("Threshold and
 * ranges"): [@][start:]end, start may be "~" (minus infinity), end may be
 * empty (plus infinity) when a ':' is present. We are stricter than
 * monitoring-plugins' parse_range_string(), which silently reads garbage as 0:
 * every part must be a complete plain decimal number, and a range with
 * neither bound (":", "~:") is rejected as meaningless. */
mc_status_t mc_range_parse(const char *text, mc_range_t *r)
{
	mc_range_t t;
	const char *p, *colon;
	size_t len;

	if (!text || !r)
		return MC_E_USAGE;
	len = strlen(text);
	if (len == 0 || len >= sizeof t.text)
		return MC_E_USAGE;
	memset(&t, 0, sizeof t);
	memcpy(t.text, text, len + 1);
	p = text;
	if (*p == '@') {
		t.inside = true;
		p++;
	}
	colon = strchr(p, ':');
	if (colon) {
		size_t sn = (size_t)(colon - p);
		const char *e = colon + 1;

		if (sn == 1 && p[0] == '~')
			t.start_inf = true;
		else if (parse_bound(p, sn, &t.start) != MC_OK)
			return MC_E_USAGE;
		if (*e == '\0')
			t.end_inf = true;
		else if (parse_bound(e, strlen(e), &t.end) != MC_OK)
			return MC_E_USAGE;
		if (t.start_inf && t.end_inf)
			return MC_E_USAGE;
	} else {
		/* "10" means 0..10 */
		t.start = 0.0;
		if (parse_bound(p, strlen(p), &t.end) != MC_OK)
			return MC_E_USAGE;
	}
	if (!t.start_inf && !t.end_inf && t.start > t.end)
		return MC_E_USAGE;
	*r = t;
	return MC_OK;
}

bool mc_range_alert(const mc_range_t *r, double value)
{
	bool within;

	if (!r)
		return false;
	/* A measurement that is not a number can satisfy no threshold. */
	if (isnan(value))
		return true;
	within = (r->start_inf || value >= r->start) && (r->end_inf || value <= r->end);
	return r->inside ? within : !within;
}

mc_state_t mc_thresholds_check(const mc_thresholds_t *t, double value)
{
	if (!t)
		return MC_STATE_OK;
	if (t->has_crit && mc_range_alert(&t->crit, value))
		return MC_STATE_CRITICAL;
	if (t->has_warn && mc_range_alert(&t->warn, value))
		return MC_STATE_WARNING;
	return MC_STATE_OK;
}

/* One bound of "WARN[,CRIT]" as the range "N:" (alert below N). */
static mc_status_t below(const char *num, size_t len, mc_range_t *r)
{
	char text[sizeof(r->text)];
	double v;

	if (len == 0 || len + 2 > sizeof(text) || mc_parse_double_n(num, len, 0, 1e9, &v) != MC_OK)
		return MC_E_USAGE;
	memcpy(text, num, len);
	text[len] = ':';
	text[len + 1] = '\0';
	return mc_range_parse(text, r);
}

mc_status_t mc_thresholds_parse_below(const char *text, const char *default_crit,
                                      mc_thresholds_t *t)
{
	const char *comma = strchr(text, ',');
	mc_thresholds_t out;

	memset(&out, 0, sizeof(out));
	if (below(text, comma ? (size_t)(comma - text) : strlen(text), &out.warn) != MC_OK)
		return MC_E_USAGE;
	if (comma) {
		if (below(comma + 1, strlen(comma + 1), &out.crit) != MC_OK)
			return MC_E_USAGE;
	} else if (below(default_crit, strlen(default_crit), &out.crit) != MC_OK) {
		return MC_E_USAGE;
	}
	out.has_warn = out.has_crit = true;
	*t = out;
	return MC_OK;
}
