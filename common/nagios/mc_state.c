#include "mc_state.h"

#include <string.h>

#include "../util/mc_str.h"

const char *mc_state_name(mc_state_t s)
{
	switch (s) {
	case MC_STATE_OK: return "OK";
	case MC_STATE_WARNING: return "WARNING";
	case MC_STATE_CRITICAL: return "CRITICAL";
	case MC_STATE_UNKNOWN: return "UNKNOWN";
	}
	return "UNKNOWN";
}

mc_status_t mc_state_parse(const char *text, mc_state_t *out)
{
	static const struct {
		const char *name;
		mc_state_t st;
	} names[] = {
	    {"ok", MC_STATE_OK},
	    {"warning", MC_STATE_WARNING},
	    {"critical", MC_STATE_CRITICAL},
	    {"unknown", MC_STATE_UNKNOWN},
	    {"0", MC_STATE_OK},
	    {"1", MC_STATE_WARNING},
	    {"2", MC_STATE_CRITICAL},
	    {"3", MC_STATE_UNKNOWN},
	};
	size_t i, n;

	if (!text || !out)
		return MC_E_USAGE;
	n = strlen(text);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strlen(names[i].name) == n && mc_str_ieq_n(names[i].name, text, n)) {
			*out = names[i].st;
			return MC_OK;
		}
	}
	return MC_E_USAGE;
}

/* monitoring-plugins' max_state_alt(): UNKNOWN ranks between OK and WARNING,
 * so a real finding (WARNING/CRITICAL) is never hidden by an UNKNOWN. */
static int rank(mc_state_t s)
{
	switch (s) {
	case MC_STATE_OK: return 0;
	case MC_STATE_UNKNOWN: return 1;
	case MC_STATE_WARNING: return 2;
	case MC_STATE_CRITICAL: return 3;
	}
	return 1; /* out-of-range values count as UNKNOWN */
}

mc_state_t mc_state_worst(mc_state_t a, mc_state_t b)
{
	static const mc_state_t by_rank[] = {MC_STATE_OK, MC_STATE_UNKNOWN, MC_STATE_WARNING,
	                                     MC_STATE_CRITICAL};
	int ra = rank(a), rb = rank(b);

	return by_rank[ra > rb ? ra : rb];
}

mc_state_t mc_state_from_status(mc_status_t st, mc_state_t timeout_state)
{
	switch (st) {
	case MC_OK: return MC_STATE_OK;
	case MC_E_USAGE:
	case MC_E_NOMEM:
	case MC_E_INTERNAL:
	/* "more input needed" reaching a check's verdict is a bug of ours */
	case MC_E_AGAIN: return MC_STATE_UNKNOWN;
	case MC_E_DNS_NOTFOUND:
	case MC_E_DNS_TRYAGAIN:
	case MC_E_DNS_MALFORMED:
	case MC_E_CONNECT:
	case MC_E_CLOSED:
	case MC_E_IO:
	case MC_E_TLS:
	case MC_E_VERIFY:
	case MC_E_PROTOCOL:
	case MC_E_REFUSED:
	/* Size limits guard against what a peer sends (over-long lines and
	 * replies), so crossing one is the peer's doing. */
	case MC_E_LIMIT: return MC_STATE_CRITICAL;
	case MC_E_TIMEOUT:
		switch (timeout_state) {
		case MC_STATE_OK:
		case MC_STATE_WARNING:
		case MC_STATE_CRITICAL:
		case MC_STATE_UNKNOWN: return timeout_state;
		}
		return MC_STATE_CRITICAL;
	}
	return MC_STATE_UNKNOWN;
}
