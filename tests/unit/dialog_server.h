/* dialog_server.h - a scripted server on the event loop, for the dialogue
 * tests of the protocol state machines (common/proto/): it listens on
 * 127.0.0.1, accepts one client and plays a script of steps (send bytes,
 * read a line and check its start, answer a line through a function, TLS
 * handshake as the server, close, reset, fall silent) on the same loop as
 * the client under test. Also the test PKI: a root, a leaf for
 * "mail.test", the server's SSL_CTX and a client context trusting the
 * root. */
#ifndef DIALOG_SERVER_H
#define DIALOG_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#include "loop/mc_loop.h"
#include "net/mc_net.h"
#include "proto/mc_session.h"
#include "tls/mc_tls.h"

typedef struct ds_server ds_server_t;

/* Make the answer to the client's line (without its CRLF) into out, CRLF
 * included; "" sends nothing. */
typedef void (*ds_reply_fn)(ds_server_t *srv, const char *line, char *out, size_t outsz);

typedef enum ds_op {
	DS_SEND,   /* text: bytes to send as they are */
	DS_EXPECT, /* text: what the client's next line must start with (NULL: any) */
	DS_REPLY,  /* read a line, send what fn makes of it */
	DS_TLS,    /* TLS handshake, server side; then everything goes through TLS */
	DS_CLOSE,  /* close the connection (FIN) */
	DS_RESET,  /* close with a reset (RST) */
	DS_SILENT  /* say nothing more and read nothing: the client must give up */
} ds_op_t;

typedef struct ds_step {
	ds_op_t op;
	const char *text;
	ds_reply_fn fn;
} ds_step_t;

#define DS_S(t)                                                                                    \
	{                                                                                          \
		DS_SEND, (t), NULL                                                                 \
	}
#define DS_C(t)                                                                                    \
	{                                                                                          \
		DS_EXPECT, (t), NULL                                                               \
	}
#define DS_FN(f)                                                                                   \
	{                                                                                          \
		DS_REPLY, NULL, (f)                                                                \
	}
#define DS_STARTTLS                                                                                \
	{                                                                                          \
		DS_TLS, NULL, NULL                                                                 \
	}

#define DS_LINES_MAX 32

struct ds_server {
	mc_loop_t *loop;
	SSL_CTX *sctx;
	const ds_step_t *steps;
	size_t nsteps;
	size_t at; /* the step in progress; nsteps once the script is done */
	int lfd, fd;
	SSL *ssl;
	bool handshaken;
	char in[16384];
	size_t inlen;
	char *out;
	size_t outlen, outoff;
	bool client_closed; /* the client closed (or reset) its end */
	char why[256];      /* why the script stopped early, "" if it did not */
	/* The client's lines, in order, without CRLF (at most 255 bytes each). */
	char lines[DS_LINES_MAX][256];
	size_t nlines;
	void *user; /* for reply functions */
};

/* Listen on 127.0.0.1 (an ephemeral port) and play steps to the first
 * client. sctx: for DS_TLS (NULL if the script has none). */
void ds_start(ds_server_t *srv, mc_loop_t *loop, SSL_CTX *sctx, const ds_step_t *steps,
              size_t nsteps);
/* The address the server listens on. */
void ds_addr(const ds_server_t *srv, mc_addr_t *out);
/* True when every step was played. */
bool ds_done(const ds_server_t *srv);
/* Close what is still open. */
void ds_free(ds_server_t *srv);

/* The test PKI, made in-process with the OpenSSL API. */
typedef struct ds_pki {
	EVP_PKEY *root_key, *leaf_key;
	X509 *root, *leaf; /* leaf: "mail.test", signed by root */
	char ca_path[64];  /* the root as PEM, for --ca-file */
	SSL_CTX *sctx;     /* the server: leaf and its key */
	mc_tls_ctx_t *tls; /* the client: trusts root only */
} ds_pki_t;

void ds_pki_setup(ds_pki_t *pki);
void ds_pki_teardown(ds_pki_t *pki);

/* Session parameters to reach srv, verifying "mail.test" against pki
 * (pki NULL: no TLS context). */
void ds_session_params(mc_session_params_t *sp, mc_loop_t *loop, const ds_pki_t *pki,
                       const ds_server_t *srv, mc_addr_t *addr);

/* The client under test: pass ds_client_done and the ds_client_t as the
 * protocol's done callback and argument, and set s to what the start
 * function returned. */
typedef struct ds_client {
	mc_loop_t *loop;
	mc_session_t *s; /* NULL once the session ended */
} ds_client_t;

void ds_client_done(void *arg);

/* Run the loop until the session ends, for at most ms milliseconds; a
 * session still running then is aborted with MC_E_TIMEOUT as the plugins'
 * deadline does. Then the server gets up to a second to see the client
 * leave and play its last steps. */
void ds_run(ds_client_t *c, ds_server_t *srv, int ms);

/* What a dialogue case wants of the session once it ended. */
typedef struct ds_expect {
	const char *name;   /* the case, for the messages */
	mc_status_t status; /* how the session ended */
	mc_phase_id_t phase_id;
	const char *phase; /* its display name */
	const char *error; /* a part of the message, or NULL */
	bool script_done;  /* the server played every step */
} ds_expect_t;

/* Free the server and the loop, then check the session's result against
 * e (failing the test with the case's name). */
void ds_finish(ds_server_t *srv, mc_loop_t *loop, const ds_expect_t *e,
               const mc_session_result_t *res);

/* A port on 127.0.0.1 where nothing listens. */
unsigned ds_closed_port(void);

#endif
