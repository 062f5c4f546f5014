/* mc_imap.h - one IMAP4rev1 client session (RFC 3501): greeting,
 * CAPABILITY, STARTTLS or implicit TLS (RFC 8314), optional login
 * (AUTHENTICATE PLAIN with SASL-IR, RFC 4959, or LOGIN), STATUS of a
 * mailbox, GETQUOTAROOT (RFC 2087), LOGOUT, on the shared session core. */
#ifndef MC_IMAP_H
#define MC_IMAP_H

#include <stdbool.h>

#include "proto/mc_session.h"

typedef enum mc_imap_auth {
	MC_IMAP_AUTH_AUTO = 0, /* PLAIN if AUTH=PLAIN is advertised, else LOGIN */
	MC_IMAP_AUTH_PLAIN,
	MC_IMAP_AUTH_LOGIN
} mc_imap_auth_t;

typedef struct mc_imap_params {
	mc_session_params_t session;
	const char *user; /* NULL: no login */
	const char *password;
	mc_imap_auth_t auth;
	const char *mailbox; /* NULL: no STATUS */
	bool quota;          /* GETQUOTAROOT on mailbox (INBOX if none) */
} mc_imap_params_t;

typedef struct mc_imap_result {
	mc_session_result_t base;
	char greeting[256]; /* "* OK ..." sanitized */
	bool preauth;
	char caps_before[1024];    /* capabilities before TLS (STARTTLS path) */
	char caps[1024];           /* the latest capabilities (after TLS/login) */
	bool logindisabled_before; /* LOGINDISABLED advertised before TLS */
	bool logged_in;
	const char *auth_used; /* "AUTHENTICATE PLAIN", "LOGIN" */
	bool have_status;
	bool has_messages, has_unseen;
	long messages, unseen;
	bool quota_capable;           /* QUOTA advertised (known once logged in) */
	bool have_quota;              /* a STORAGE quota was read */
	long quota_used, quota_limit; /* KiB */
	char quota_note[256];         /* why there is no quota figure */
} mc_imap_result_t;

/* Start a session. done(arg) runs once when it ends, with res filled and
 * everything freed. Returns the session (end it early with
 * mc_session_abort()), or NULL on out of memory (no callback). */
mc_session_t *mc_imap_start(const mc_imap_params_t *p, mc_imap_result_t *res,
                            void (*done)(void *arg), void *arg);

#endif
