/* mc_stream.h - a buffered byte stream on a connected socket, driven by the
 * loop. The transport is plain by default; the tls module replaces it after
 * a handshake (mc_stream_set_transport), so protocol code is the same over
 * plain and TLS connections. */
#ifndef MC_STREAM_H
#define MC_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "loop/mc_loop.h"
#include "util/mc_buf.h"
#include "util/mc_status.h"

typedef struct mc_stream mc_stream_t;

/* A transport moves bytes. read/write return the number of bytes moved
 * (> 0), 0 when the peer closed cleanly (read only), or -1 with *want set
 * to POLLIN/POLLOUT when it must wait, or with *want == 0 and *st/err set on
 * failure. */
typedef struct mc_transport_ops {
	ssize_t (*read)(void *ctx, void *buf, size_t n, short *want, mc_status_t *st, char *err,
	                size_t errsz);
	ssize_t (*write)(void *ctx, const void *buf, size_t n, short *want, mc_status_t *st,
	                 char *err, size_t errsz);
	void (*free)(void *ctx);
	/* True when bytes are buffered inside the transport (TLS records
	 * already decrypted) that poll() cannot report; NULL: never. */
	bool (*pending)(void *ctx);
} mc_transport_ops_t;

typedef enum mc_stream_event {
	MC_STREAM_DATA, /* new bytes in mc_stream_rbuf() */
	MC_STREAM_EOF,  /* the peer closed; rbuf holds what came before */
	MC_STREAM_ERROR /* mc_stream_error() says what */
} mc_stream_event_t;

typedef void (*mc_stream_cb)(mc_stream_t *s, mc_stream_event_t ev, void *arg);

/* Wrap a connected non-blocking fd (the stream owns and closes it). The
 * read buffer holds at most rbuf_max bytes; reading pauses when it is full.
 * NULL on out of memory (fd is then closed). */
mc_stream_t *mc_stream_new(mc_loop_t *loop, int fd, size_t rbuf_max, mc_stream_cb cb, void *arg);
/* Close the fd, free the transport and the stream. NULL is ignored. */
void mc_stream_free(mc_stream_t *s);

/* Start or stop delivering MC_STREAM_DATA events. */
void mc_stream_read(mc_stream_t *s, bool on);
/* Queue bytes and send them as the socket allows. Errors are reported as
 * MC_STREAM_ERROR events. */
mc_status_t mc_stream_write(mc_stream_t *s, const void *p, size_t n);
/* Bytes received and not yet consumed. The caller consumes with
 * mc_buf_consume(). */
mc_buf_t *mc_stream_rbuf(mc_stream_t *s);
/* True when queued output is still waiting to be sent. */
bool mc_stream_pending(const mc_stream_t *s);

/* Detach the stream from the loop (no events) so another module can drive
 * the socket (a TLS handshake), and re-attach it. */
void mc_stream_pause(mc_stream_t *s);
void mc_stream_resume(mc_stream_t *s);

/* Replace the transport (ownership of ctx passes to the stream). */
void mc_stream_set_transport(mc_stream_t *s, const mc_transport_ops_t *ops, void *ctx);

int mc_stream_fd(const mc_stream_t *s);
mc_loop_t *mc_stream_loop(const mc_stream_t *s);
/* The failure behind the last MC_STREAM_ERROR. */
mc_status_t mc_stream_status(const mc_stream_t *s);
const char *mc_stream_error(const mc_stream_t *s);

#endif
