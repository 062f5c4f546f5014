/* mc_smtp.h - one SMTP/LMTP client session on the loop: connect, banner,
 * EHLO, STARTTLS (RFC 3207) or implicit TLS (RFC 8314), verification, EHLO
 * again, extra commands, QUIT. The caller maps the outcome to a verdict. */
#ifndef MC_SMTP_H
#define MC_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop/mc_loop.h"
#include "net/mc_net.h"
#include "tls/mc_tls.h"
#include "util/mc_status.h"

typedef enum mc_smtp_phase {
	MC_SMTP_CONNECT = 0,
	MC_SMTP_TLS_IMPLICIT, /* handshake right after connect (port 465) */
	MC_SMTP_BANNER,
	MC_SMTP_EHLO,
	MC_SMTP_STARTTLS,
	MC_SMTP_TLS,
	MC_SMTP_EHLO_TLS,
	MC_SMTP_COMMAND,
	MC_SMTP_QUIT,
	MC_SMTP_DONE,
	MC_SMTP_NPHASES
} mc_smtp_phase_t;

/* "connect", "tls handshake", "banner", "ehlo", "starttls", "tls
 * handshake", "ehlo after tls", "command", "quit", "done". */
const char *mc_smtp_phase_name(mc_smtp_phase_t p);

typedef struct mc_smtp_params {
	mc_loop_t *loop;
	mc_tls_ctx_t *tls;
	mc_tls_params_t tlsp;
	const mc_addr_t *addrs; /* tried in order (Happy Eyeballs) */
	size_t naddrs;
	bool implicit_tls;
	bool lmtp;              /* LHLO instead of EHLO */
	const char *helo;       /* NULL: the local address as a literal */
	const char *expect;     /* text the banner's first line must contain */
	const char *const *commands; /* after the EHLO that follows TLS */
	const char *const *responses; /* expected reply prefix per command, or NULL */
	size_t ncommands;
	int verbose;
} mc_smtp_params_t;

typedef struct mc_smtp_result {
	mc_status_t status;    /* MC_OK: the whole dialogue succeeded */
	mc_smtp_phase_t phase; /* where it ended (the failing phase) */
	char error[512];       /* one line, sanitized */
	bool connected;
	mc_addr_t addr;        /* the address that answered */
	/* Duration of each phase in microseconds (-1: not reached). */
	int64_t us[MC_SMTP_NPHASES];
	char banner[256];      /* "220 mail.test ESMTP", sanitized */
	char starttls_reply[256]; /* "220 2.0.0 Ready to start TLS", sanitized */
	char caps_before[512]; /* EHLO keywords before TLS */
	char caps_after[512];  /* EHLO keywords after TLS */
	bool tls_done;
	mc_tls_info_t tls;
	size_t commands_ok;
	char last_reply[256];  /* of the last command, sanitized */
} mc_smtp_result_t;

typedef struct mc_smtp mc_smtp_t;

/* Start a session. done(arg) runs once when it ends, with res filled; the
 * session frees itself after. NULL on out of memory (no callback). */
mc_smtp_t *mc_smtp_start(const mc_smtp_params_t *p, mc_smtp_result_t *res,
                         void (*done)(void *arg), void *arg);

/* End a session that has not finished (deadline reached): res gets st and
 * the phase it was in, and the session is freed without a callback. */
void mc_smtp_abort(mc_smtp_t *s, mc_status_t st);

#endif
