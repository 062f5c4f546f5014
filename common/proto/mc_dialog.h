/* mc_dialog.h - the line-dialogue engine: send a command line, wait for
 * one reply read by a protocol's parser, with the -vvv transcript. The
 * SMTP, IMAP and POP3 state machines sit on top of it (the model: curl's
 * pingpong.c). */
#ifndef MC_DIALOG_H
#define MC_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "net/mc_stream.h"
#include "util/mc_status.h"

/* Parse one reply from buf[0..len) into reply: MC_OK with *consumed,
 * MC_E_AGAIN for more input, anything else is a failure with err set. */
typedef mc_status_t (*mc_dialog_parse_fn)(void *reply, const char *buf, size_t len,
                                          size_t *consumed, char *err, size_t errsz);
/* A reply arrived (MC_OK) or the wait failed: MC_E_PROTOCOL, MC_E_CLOSED
 * (the peer closed), MC_E_IO, MC_E_TLS, MC_E_NOMEM; err says why. */
typedef void (*mc_dialog_cb)(void *arg, mc_status_t st, const char *err);

typedef struct mc_dialog {
	mc_stream_t *s;
	mc_dialog_parse_fn parse;
	/* Optional: parses what is buffered when the peer closes, for replies
	 * the end of the connection completes (an HTTP body without length). */
	mc_dialog_parse_fn parse_eof;
	void *reply;
	mc_dialog_cb cb;
	void *arg;
	int verbose; /* >= 3: transcript on stderr */
	bool waiting;
} mc_dialog_t;

void mc_dialog_init(mc_dialog_t *d, mc_dialog_parse_fn parse, void *reply, mc_dialog_cb cb,
                    void *arg, int verbose);
/* Attach to a stream (after connect). */
void mc_dialog_attach(mc_dialog_t *d, mc_stream_t *s);
/* Send line + CRLF. secret: the transcript shows only the first word. */
mc_status_t mc_dialog_send(mc_dialog_t *d, const char *line, bool secret);
/* Wait for the next reply; bytes already buffered are parsed from the loop
 * (the callback never runs before this returns, so a caller that expects
 * again from its callback does not recurse). */
void mc_dialog_expect(mc_dialog_t *d);
/* Feed a stream event to the dialogue (call from the stream callback). */
void mc_dialog_event(mc_dialog_t *d, mc_stream_event_t ev);

#endif
