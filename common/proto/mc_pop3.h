/* mc_pop3.h - one POP3 client session (RFC 1939): greeting, CAPA (RFC
 * 2449), STLS (RFC 2595) or implicit TLS (RFC 8314), optional login (AUTH
 * PLAIN, RFC 5034, or USER/PASS), STAT, QUIT, on the shared session core. */
#ifndef MC_POP3_H
#define MC_POP3_H

#include <stdbool.h>

#include "proto/mc_session.h"

typedef enum mc_pop3_auth {
	MC_POP3_AUTH_AUTO = 0, /* AUTH PLAIN if SASL PLAIN is advertised, else USER */
	MC_POP3_AUTH_PLAIN,
	MC_POP3_AUTH_USER
} mc_pop3_auth_t;

typedef struct mc_pop3_params {
	mc_session_params_t session;
	const char *user; /* NULL: no login */
	const char *password;
	mc_pop3_auth_t auth;
} mc_pop3_params_t;

typedef struct mc_pop3_result {
	mc_session_result_t base;
	char greeting[256];      /* "+OK ..." sanitized */
	char caps_before[512];   /* CAPA before TLS (STLS path), space separated */
	char caps[512];          /* the latest CAPA */
	bool plain_login_before; /* USER or SASL PLAIN advertised before TLS */
	bool logged_in;
	const char *auth_used; /* "AUTH PLAIN", "USER/PASS" */
	bool have_stat;
	long messages, octets;
} mc_pop3_result_t;

/* Start a session. done(arg) runs once when it ends, with res filled and
 * everything freed. Returns the session (end it early with
 * mc_session_abort()), or NULL on out of memory (no callback). */
mc_session_t *mc_pop3_start(const mc_pop3_params_t *p, mc_pop3_result_t *res,
                            void (*done)(void *arg), void *arg);

#endif
