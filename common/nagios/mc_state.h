/* mc_state.h - Nagios plugin states and the one status-to-state mapping. */
#ifndef MC_STATE_H
#define MC_STATE_H

#include "../util/mc_status.h"

typedef enum mc_state {
	MC_STATE_OK = 0,
	MC_STATE_WARNING = 1,
	MC_STATE_CRITICAL = 2,
	MC_STATE_UNKNOWN = 3
} mc_state_t;

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *mc_state_name(mc_state_t s);

/* Parse a state name (case-insensitive: ok, warning, critical, unknown) or
 * its digit 0..3. MC_E_USAGE otherwise. */
mc_status_t mc_state_parse(const char *text, mc_state_t *out);

/* The worse of two states. Order, worst first: CRITICAL, WARNING, UNKNOWN, OK
 * (as monitoring-plugins' max_state_alt). */
mc_state_t mc_state_worst(mc_state_t a, mc_state_t b);

/* The state a failed library call means for a check (design.md, state
 * mapping): usage, memory and internal errors are UNKNOWN, everything the
 * network or a server did is CRITICAL, MC_E_TIMEOUT is timeout_state. */
mc_state_t mc_state_from_status(mc_status_t st, mc_state_t timeout_state);

#endif
