/* mc_range.h - Nagios threshold ranges (monitoring-plugins syntax). */
#ifndef MC_RANGE_H
#define MC_RANGE_H

#include <stdbool.h>

#include "../util/mc_status.h"
#include "mc_state.h"

/* "10" = alert outside 0..10; "10:" = alert below 10; "~:10" = alert above
 * 10; "10:20" = alert outside 10..20; "@10:20" = alert inside 10..20. */
typedef struct mc_range {
	double start;   /* ignored when start_inf */
	double end;     /* ignored when end_inf */
	bool start_inf; /* "~" : no lower bound */
	bool end_inf;   /* "10:" : no upper bound */
	bool inside;    /* "@": alert when inside */
	char text[48];  /* the range as given, for perfdata echo */
} mc_range_t;

/* Parse text into r. Empty text, a bad number, start > end or text longer
 * than 47 bytes is MC_E_USAGE. */
mc_status_t mc_range_parse(const char *text, mc_range_t *r);

/* True when value raises an alert under r. */
bool mc_range_alert(const mc_range_t *r, double value);

/* A warning and a critical range, either optional. */
typedef struct mc_thresholds {
	mc_range_t warn;
	mc_range_t crit;
	bool has_warn;
	bool has_crit;
} mc_thresholds_t;

/* CRITICAL if crit alerts, else WARNING if warn alerts, else OK. */
mc_state_t mc_thresholds_check(const mc_thresholds_t *t, double value);

/* "WARN[,CRIT]": two non-negative numbers (fractional allowed) below which
 * a value alerts, as in -D/--certificate days: the ranges "WARN:" and
 * "CRIT:". Without ",CRIT" the critical bound is default_crit. MC_E_USAGE
 * for anything else. */
mc_status_t mc_thresholds_parse_below(const char *text, const char *default_crit,
                                      mc_thresholds_t *t);

#endif
