/* mc_smtp.h - one SMTP/LMTP client session: banner, EHLO, STARTTLS
 * (RFC 3207) or implicit TLS (RFC 8314), EHLO again, extra commands, QUIT,
 * on the shared session core. The caller maps the outcome to a verdict. */
#ifndef MC_SMTP_H
#define MC_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/mc_session.h"

typedef struct mc_smtp_params {
	mc_session_params_t session;
	bool lmtp;                    /* LHLO instead of EHLO */
	bool banner_only;             /* QUIT after the banner (no TLS) */
	const char *helo;             /* NULL: the local address as a literal */
	const char *expect;           /* text the banner's first line must contain */
	const char *const *commands;  /* after the EHLO that follows TLS */
	const char *const *responses; /* expected reply prefix per command, or NULL */
	size_t ncommands;
} mc_smtp_params_t;

typedef struct mc_smtp_result {
	mc_session_result_t base;
	char banner[256];         /* "220 mail.test ESMTP", sanitized */
	char starttls_reply[256]; /* "220 2.0.0 Ready to start TLS", sanitized */
	char caps_before[512];    /* EHLO keywords before TLS */
	char caps_after[512];     /* EHLO keywords after TLS */
	size_t commands_ok;
	char last_reply[256]; /* of the last command, sanitized */
} mc_smtp_result_t;

/* Start a session. done(arg) runs once when it ends, with res filled and
 * everything freed. Returns the session (end it early with
 * mc_session_abort()), or NULL on out of memory (no callback). */
mc_session_t *mc_smtp_start(const mc_smtp_params_t *p, mc_smtp_result_t *res,
                            void (*done)(void *arg), void *arg);

#endif
