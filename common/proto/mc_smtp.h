/* mc_smtp.h - one SMTP/LMTP client session: banner, EHLO, STARTTLS
 * (RFC 3207) or implicit TLS (RFC 8314), EHLO again, extra commands, QUIT,
 * on the shared session core. The caller maps the outcome to a verdict. */
#ifndef MC_SMTP_H
#define MC_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/mc_session.h"

/* SASL mechanisms for AUTH (RFC 4954). */
typedef enum mc_smtp_auth {
	MC_SMTP_AUTH_AUTO = 0, /* the strongest the server advertises */
	MC_SMTP_AUTH_PLAIN,
	MC_SMTP_AUTH_LOGIN,
	MC_SMTP_AUTH_CRAM_MD5,
	MC_SMTP_AUTH_SCRAM_SHA_256
} mc_smtp_auth_t;

/* "PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256"; "auto". */
const char *mc_smtp_auth_name(mc_smtp_auth_t a);
/* The mechanism named (case-insensitive); MC_E_USAGE for another. */
mc_status_t mc_smtp_auth_parse(const char *name, mc_smtp_auth_t *a);

typedef struct mc_smtp_params {
	mc_session_params_t session;
	bool lmtp;                    /* LHLO instead of EHLO */
	bool banner_only;             /* QUIT after the banner (no TLS) */
	const char *helo;             /* NULL: the local address as a literal */
	const char *expect;           /* text the banner's first line must contain */
	const char *const *commands;  /* after the EHLO that follows TLS */
	const char *const *responses; /* expected reply prefix per command, or NULL */
	size_t ncommands;
	/* AUTH after TLS (never before) when user is set. */
	const char *user;
	const char *password;
	mc_smtp_auth_t auth;
	/* Relay test after the commands when relay_rcpt is set: MAIL FROM
	 * relay_from, RCPT TO relay_rcpt, RSET; never DATA. */
	const char *relay_from;
	const char *relay_rcpt;
} mc_smtp_params_t;

typedef struct mc_smtp_result {
	mc_session_result_t base;
	char banner[256];         /* "220 mail.test ESMTP", sanitized */
	char starttls_reply[256]; /* "220 2.0.0 Ready to start TLS", sanitized */
	char caps_before[512];    /* EHLO keywords before TLS */
	char caps_after[512];     /* EHLO keywords after TLS */
	size_t commands_ok;
	char last_reply[256]; /* of the last command, sanitized */
	bool auth_before_tls; /* AUTH advertised in the EHLO reply before TLS */
	char auth_mechs[256]; /* the AUTH mechanisms advertised after TLS */
	long size_limit;      /* SIZE after TLS: bytes, 0 for no limit, -1 absent */
	bool logged_in;
	mc_smtp_auth_t auth_used;
	bool relay_tested;     /* the RCPT TO was answered */
	bool relay_accepted;   /* ... with 2xx: an open relay */
	char relay_reply[256]; /* the RCPT TO reply, or the MAIL FROM refusal */
} mc_smtp_result_t;

/* Start a session. done(arg) runs once when it ends, with res filled and
 * everything freed. Returns the session (end it early with
 * mc_session_abort()), or NULL on out of memory (no callback). */
mc_session_t *mc_smtp_start(const mc_smtp_params_t *p, mc_smtp_result_t *res,
                            void (*done)(void *arg), void *arg);

#endif
