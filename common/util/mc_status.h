/* mc_status.h - the one status enum returned by every fallible library call. */
#ifndef MC_STATUS_H
#define MC_STATUS_H

/* Classes, not causes: the detail goes into an error text the caller owns.
 * Mapping a status to a Nagios state happens in one place (nagios/mc_state.h). */
typedef enum mc_status {
	MC_OK = 0,
	MC_E_USAGE,         /* bad option or value given by the user */
	MC_E_NOMEM,         /* allocation failed */
	MC_E_INTERNAL,      /* library initialisation failed (OpenSSL, c-ares) */
	MC_E_DNS_NOTFOUND,  /* NXDOMAIN or no data: the name has no such record */
	MC_E_DNS_TRYAGAIN,  /* SERVFAIL, REFUSED, resolver unreachable */
	MC_E_DNS_MALFORMED, /* answer could not be parsed */
	MC_E_CONNECT,       /* connection refused or unreachable */
	MC_E_CLOSED,        /* peer closed or reset the connection */
	MC_E_IO,            /* other socket error */
	MC_E_TLS,           /* TLS handshake failed */
	MC_E_VERIFY,        /* certificate verification failed */
	MC_E_PROTOCOL,      /* peer broke the protocol (bad reply, line too long) */
	MC_E_REFUSED,       /* server answered with a refusal (4xx/5xx) */
	MC_E_TIMEOUT,       /* a deadline was reached */
	MC_E_LIMIT,         /* a size limit was exceeded */
	MC_E_AGAIN          /* incremental parser: more input needed (not an error) */
} mc_status_t;

/* Short lower-case name of a status, e.g. "timeout". Never NULL. */
const char *mc_status_str(mc_status_t st);

#endif
