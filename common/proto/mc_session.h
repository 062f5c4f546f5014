/* mc_session.h - the connection core every protocol session shares:
 * connect to the first address that answers, implicit TLS or STARTTLS
 * (refusing plaintext injected before the handshake), the verification
 * verdict, named and timed phases, and one way to end. The SMTP, IMAP and
 * POP3 state machines embed an mc_session_t and add their dialogue. */
#ifndef MC_SESSION_H
#define MC_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop/mc_loop.h"
#include "net/mc_net.h"
#include "proto/mc_dialog.h"
#include "tls/mc_tls.h"
#include "util/mc_status.h"

#define MC_SESSION_MAX_PHASES 16

/* What a phase is, whatever the protocol: the id that control flow (in
 * the session, in its callers) compares. Each protocol keeps its own state
 * enum, and its state table gives every state one of these ids, a name
 * and a perfdata label; names and labels are for people only. */
typedef enum mc_phase_id {
	MC_PHASE_NONE = 0,      /* no phase entered yet */
	MC_PHASE_CONNECT,       /* the session's "connect" (time_connect) */
	MC_PHASE_GREETING,      /* waiting for the server's first words */
	MC_PHASE_HELLO,         /* EHLO/LHLO, CAPABILITY, CAPA (before or after TLS) */
	MC_PHASE_STARTTLS,      /* the STARTTLS/STLS command and its go-ahead */
	MC_PHASE_TLS_HANDSHAKE, /* the session's "tls handshake" (time_tls) */
	MC_PHASE_LOGIN,         /* AUTH, LOGIN, AUTHENTICATE, USER/PASS */
	MC_PHASE_COMMAND,       /* any other command of the dialogue */
	MC_PHASE_CLOSING        /* QUIT, LOGOUT: a failure here fails nothing */
} mc_phase_id_t;

/* One state of a protocol, as the session records it. */
typedef struct mc_phase {
	mc_phase_id_t id;
	const char *name; /* "banner": in messages ("... in banner phase") */
	const char *perf; /* "time_banner", or NULL: not timed on its own */
} mc_phase_t;

/* A phase that was entered: its id, name ("banner") and perfdata label
 * ("time_banner", or NULL for none), and how long it lasted. */
typedef struct mc_phase_time {
	mc_phase_id_t id;
	const char *name;
	const char *perf;
	int64_t us;
} mc_phase_time_t;

/* The outcome every protocol reports; protocol results embed it first. */
typedef struct mc_session_result {
	mc_status_t status;     /* MC_OK: the whole dialogue succeeded */
	mc_phase_id_t phase_id; /* the phase it ended in (the failing one) */
	const char *phase;      /* ... its name, for messages */
	char error[512];        /* one line, sanitized */
	bool connected;
	mc_addr_t addr; /* the address that answered */
	bool tls_done;
	mc_tls_info_t tls;
	mc_phase_time_t times[MC_SESSION_MAX_PHASES];
	size_t ntimes;
} mc_session_result_t;

typedef struct mc_session mc_session_t;

/* What a protocol plugs in. Every callback may end the session. */
typedef struct mc_session_ops {
	/* Connected (and, with implicit TLS, the handshake verified): start
	 * the dialogue. */
	void (*connected)(mc_session_t *s);
	/* STARTTLS handshake done and verified. */
	void (*tls_ready)(mc_session_t *s);
	/* A reply was parsed into the protocol's reply object. (A wait that
	 * failed ends the session: "protocol error in <phase>: <why>" or
	 * "<why> (in <phase>)".) */
	void (*reply)(mc_session_t *s);
	/* Reset the protocol's parse state for a new reply, then parse one
	 * (mc_dialog_parse_fn semantics). */
	mc_dialog_parse_fn parse;
	/* Optional: the parse at the end of the connection (mc_dialog_t). */
	mc_dialog_parse_fn parse_eof;
	/* Free the protocol's state (which embeds the session) when the
	 * session ends, before done runs. */
	void (*release)(void *proto);
} mc_session_ops_t;

typedef struct mc_session_params {
	mc_loop_t *loop;
	mc_tls_ctx_t *tls;
	mc_tls_params_t tlsp;
	const mc_addr_t *addrs; /* tried in order (Happy Eyeballs) */
	size_t naddrs;
	bool implicit_tls;
	size_t rbuf_max; /* bytes a reply may need */
	int verbose;
	/* End the session right after the handshake (a protocol-version
	 * probe): nothing is sent over TLS. */
	bool tls_probe;
} mc_session_params_t;

struct mc_session {
	mc_session_params_t p;
	const mc_session_ops_t *ops;
	void *proto; /* the protocol's state */
	void *reply; /* the protocol's reply object, for parse */
	mc_session_result_t *res;
	void (*done)(void *arg);
	void *done_arg;
	mc_connect_t *connecting;
	mc_stream_t *stream;
	mc_dialog_t dlg;
	int64_t phase_start;
	size_t cur; /* index of the current phase in res->times */
};

/* Set up and start connecting. res is reset. Returns MC_E_NOMEM (nothing
 * started, no callback, nothing released) or MC_OK; done(done_arg) runs
 * once at the end, after the session's resources and the protocol's state
 * (ops->release) are freed. */
mc_status_t mc_session_start(mc_session_t *s, const mc_session_params_t *p,
                             const mc_session_ops_t *ops, void *proto, void *reply,
                             mc_session_result_t *res, void (*done)(void *arg), void *done_arg);

/* Enter a new phase (ph points into the protocol's static state table):
 * the previous one's time is recorded. */
void mc_session_phase(mc_session_t *s, const mc_phase_t *ph);

/* Send a line (CRLF added) and wait for the reply, in a new phase. secret:
 * the transcript shows only the first word. */
void mc_session_command(mc_session_t *s, const mc_phase_t *ph, const char *line, bool secret);
/* Send a line and wait for the reply in the current phase (the next step
 * of an exchange such as AUTH). */
void mc_session_send(mc_session_t *s, const char *line, bool secret);
/* Wait for the next reply in the current phase. */
void mc_session_expect(mc_session_t *s);

/* The reply to command (STARTTLS, STLS) said go: refuse plaintext already
 * received ("<command> injection"), then handshake and verify in the
 * phase "tls handshake" (time_tls); tls_ready follows, or the session
 * ends. */
void mc_session_starttls(mc_session_t *s, const char *command);

/* End the session: st and the message (ignored for MC_OK) are recorded,
 * unless the phase is MC_PHASE_CLOSING (the server did all that was
 * asked); resources are released and done runs. */
void mc_session_finish(mc_session_t *s, mc_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* End a session that has not finished (the deadline): everything is
 * released, no done callback. */
void mc_session_abort(mc_session_t *s, mc_status_t st);

/* The name of the current phase (for messages; res->phase_id for
 * decisions). */
const char *mc_session_phase_name(const mc_session_t *s);

/* A phase's recorded time in seconds, or -1 if never entered. */
double mc_session_time(const mc_session_result_t *r, const char *perf);

#endif
