/* mc_https.h - one HTTPS GET (HTTP/1.1 over implicit TLS, verified by the
 * session core): for the MTA-STS policy (RFC 8461 section 3.3). Redirects
 * are reported, never followed. */
#ifndef MC_HTTPS_H
#define MC_HTTPS_H

#include <stddef.h>

#include "proto/mc_http_reply.h"
#include "proto/mc_session.h"

typedef struct mc_https_params {
	mc_session_params_t session; /* implicit_tls is forced on */
	const char *host;            /* the Host header */
	const char *path;            /* "/.well-known/mta-sts.txt" */
	size_t body_max;             /* a larger body fails with MC_E_LIMIT */
} mc_https_params_t;

typedef struct mc_https_result {
	mc_session_result_t base;
	/* On success (base.status MC_OK) the response: any status code;
	 * the caller judges it. reply.body is freed by mc_https_result_free. */
	mc_http_reply_t reply;
} mc_https_result_t;

/* Start the request. done(arg) runs once when it ends. Returns the
 * session (end it early with mc_session_abort()), or NULL on out of
 * memory (no callback). */
mc_session_t *mc_https_get(const mc_https_params_t *p, mc_https_result_t *res,
                           void (*done)(void *arg), void *arg);
void mc_https_result_free(mc_https_result_t *res);

#endif
