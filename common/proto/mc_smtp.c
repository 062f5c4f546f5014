#include "mc_smtp.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "proto/mc_dialog.h"
#include "proto/mc_smtp_reply.h"
#include "util/mc_clock.h"
#include "util/mc_str.h"

/* RFC 8305 section 5: connection attempt delay. */
#define STAGGER_US 250000

struct mc_smtp {
	mc_smtp_params_t p;
	mc_smtp_result_t *res;
	void (*done)(void *arg);
	void *arg;
	mc_connect_t *connecting;
	mc_stream_t *stream;
	mc_dialog_t dlg;
	mc_smtp_reply_t reply;
	mc_smtp_phase_t phase;
	int64_t phase_start;
	size_t cmd;
};

const char *mc_smtp_phase_name(mc_smtp_phase_t p)
{
	static const char *const names[] = {
	    "connect", "tls handshake", "banner", "ehlo", "starttls", "tls handshake",
	    "ehlo after tls", "command", "quit", "done"};

	return p < MC_SMTP_NPHASES ? names[p] : "?";
}

static void enter(mc_smtp_t *s, mc_smtp_phase_t next)
{
	int64_t now = mc_clock_now_us();

	s->res->us[s->phase] = now - s->phase_start;
	s->phase = next;
	s->phase_start = now;
	s->res->phase = next;
}

static void release(mc_smtp_t *s)
{
	mc_net_connect_cancel(s->connecting);
	mc_stream_free(s->stream);
	mc_smtp_reply_free(&s->reply);
	free(s);
}

static void finish(mc_smtp_t *s, mc_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void finish(mc_smtp_t *s, mc_status_t st, const char *fmt, ...)
{
	void (*done)(void *) = s->done;
	void *arg = s->arg;

	/* A failure after the dialogue's work is done (during QUIT) changes
	 * nothing: the server did all that was asked. */
	if (s->phase == MC_SMTP_QUIT)
		st = MC_OK;
	s->res->status = st;
	if (st != MC_OK) {
		va_list ap;
		char tmp[512];
		va_start(ap, fmt);
		vsnprintf(tmp, sizeof(tmp), fmt, ap);
		va_end(ap);
		mc_str_sanitize(s->res->error, sizeof(s->res->error), tmp, strlen(tmp));
		s->res->us[s->phase] = mc_clock_now_us() - s->phase_start;
		s->res->phase = s->phase;
	} else {
		enter(s, MC_SMTP_DONE);
	}
	release(s);
	done(arg);
}

static void send_cmd(mc_smtp_t *s, mc_smtp_phase_t next, const char *line)
{
	mc_status_t st;

	enter(s, next);
	st = mc_dialog_send(&s->dlg, line, false);
	if (st != MC_OK) {
		finish(s, st, "cannot send %s: %s", mc_smtp_phase_name(next),
		       mc_stream_error(s->stream)[0] ? mc_stream_error(s->stream) : mc_status_str(st));
		return;
	}
	mc_dialog_expect(&s->dlg);
}

static void send_helo(mc_smtp_t *s, mc_smtp_phase_t next)
{
	char line[300], lit[MC_ADDR_STRLEN + 8];
	const char *name = s->p.helo;

	if (!name) {
		/* RFC 5321 section 4.1.3: without a usable domain name, the
		 * client's address literal. */
		mc_addr_t local;
		memset(&local, 0, sizeof(local));
		local.len = sizeof(local.ss);
		if (getsockname(mc_stream_fd(s->stream), (struct sockaddr *)&local.ss, &local.len) == 0) {
			char ip[MC_ADDR_STRLEN];
			mc_addr_str(&local, ip, sizeof(ip));
			snprintf(lit, sizeof(lit), local.ss.ss_family == AF_INET6 ? "[IPv6:%s]" : "[%s]",
			         ip);
		} else {
			mc_strlcpy(lit, "[127.0.0.1]", sizeof(lit));
		}
		name = lit;
	}
	snprintf(line, sizeof(line), "%s %s", s->p.lmtp ? "LHLO" : "EHLO", name);
	send_cmd(s, next, line);
}

static void send_command(mc_smtp_t *s)
{
	if (s->cmd < s->p.ncommands) {
		send_cmd(s, MC_SMTP_COMMAND, s->p.commands[s->cmd]);
		return;
	}
	send_cmd(s, MC_SMTP_QUIT, "QUIT");
}

static void on_tls(void *arg, mc_status_t st, const char *err);

static void start_tls(mc_smtp_t *s, mc_smtp_phase_t phase)
{
	mc_status_t st;

	enter(s, phase);
	st = mc_tls_start(s->p.tls, s->stream, &s->p.tlsp, &s->res->tls, on_tls, s);
	if (st != MC_OK)
		finish(s, st, "cannot start TLS: %s", mc_status_str(st));
}

static void on_tls(void *arg, mc_status_t st, const char *err)
{
	mc_smtp_t *s = arg;
	const mc_tls_info_t *in = &s->res->tls;

	if (st != MC_OK) {
		finish(s, st, "%s", err);
		return;
	}
	s->res->tls_done = true;
	if (s->p.tlsp.verify != MC_TLS_VERIFY_NONE && !in->verified) {
		finish(s, MC_E_VERIFY, "certificate verify failed: %s", in->verify_reason);
		return;
	}
	if (s->p.implicit_tls) {
		enter(s, MC_SMTP_BANNER);
		mc_dialog_expect(&s->dlg);
		return;
	}
	/* RFC 3207 section 4.2: forget what was learnt before TLS; ask again. */
	send_helo(s, MC_SMTP_EHLO_TLS);
}

static void reply_text(const mc_smtp_t *s, char *out, size_t outsz)
{
	mc_smtp_reply_first(&s->reply, out, outsz);
}

static void on_reply(void *arg, mc_status_t st, const char *err)
{
	mc_smtp_t *s = arg;
	const char *phase = mc_smtp_phase_name(s->phase);
	char first[256];

	if (st != MC_OK) {
		if (st == MC_E_PROTOCOL)
			finish(s, st, "protocol error in %s: %s", phase, err);
		else
			finish(s, st, "%s (in %s)", err, phase);
		return;
	}
	reply_text(s, first, sizeof(first));
	switch (s->phase) {
	case MC_SMTP_BANNER:
		mc_strlcpy(s->res->banner, first, sizeof(s->res->banner));
		if (s->reply.code != 220) {
			finish(s, MC_E_REFUSED, "banner refused: %s", first);
			return;
		}
		if (s->p.expect && !strstr(first, s->p.expect)) {
			finish(s, MC_E_REFUSED, "banner does not contain '%s': %s", s->p.expect, first);
			return;
		}
		send_helo(s, s->res->tls_done ? MC_SMTP_EHLO_TLS : MC_SMTP_EHLO);
		return;
	case MC_SMTP_EHLO:
		if (s->reply.code != 250) {
			finish(s, MC_E_REFUSED, "%s refused: %s", s->p.lmtp ? "LHLO" : "EHLO", first);
			return;
		}
		mc_smtp_ehlo_keywords(&s->reply, s->res->caps_before, sizeof(s->res->caps_before));
		/* RFC 3207 section 4: never fall back to plaintext. */
		if (!mc_smtp_ehlo_has(&s->reply, "STARTTLS", NULL, 0)) {
			finish(s, MC_E_REFUSED, "STARTTLS not offered in the %s reply",
			       s->p.lmtp ? "LHLO" : "EHLO");
			return;
		}
		send_cmd(s, MC_SMTP_STARTTLS, "STARTTLS");
		return;
	case MC_SMTP_STARTTLS: {
		char peek[1];
		mc_buf_t *rb = mc_stream_rbuf(s->stream);
		ssize_t n;
		mc_strlcpy(s->res->starttls_reply, first, sizeof(s->res->starttls_reply));
		if (s->reply.code != 220) {
			finish(s, MC_E_REFUSED, "STARTTLS refused: %s", first);
			return;
		}
		/* Bytes after the 220 and before the handshake would be read as
		 * if they came through TLS (CVE-2011-0411 class): refuse them. */
		n = recv(mc_stream_fd(s->stream), peek, sizeof(peek), MSG_PEEK | MSG_DONTWAIT);
		if (rb->len || n > 0) {
			finish(s, MC_E_PROTOCOL,
			       "STARTTLS injection: the server sent %zu byte(s) of plaintext after its "
			       "220 reply",
			       rb->len ? rb->len : (size_t)n);
			return;
		}
		start_tls(s, MC_SMTP_TLS);
		return;
	}
	case MC_SMTP_EHLO_TLS:
		if (s->reply.code != 250) {
			finish(s, MC_E_REFUSED, "%s after TLS refused: %s", s->p.lmtp ? "LHLO" : "EHLO",
			       first);
			return;
		}
		mc_smtp_ehlo_keywords(&s->reply, s->res->caps_after, sizeof(s->res->caps_after));
		send_command(s);
		return;
	case MC_SMTP_COMMAND: {
		const char *want = s->p.responses ? s->p.responses[s->cmd] : NULL;
		const char *cmd = s->p.commands[s->cmd];
		mc_strlcpy(s->res->last_reply, first, sizeof(s->res->last_reply));
		if (want && strncmp(first, want, strlen(want)) != 0) {
			finish(s, MC_E_REFUSED, "%s: expected '%s', got '%s'", cmd, want, first);
			return;
		}
		if (!want && s->reply.code >= 400) {
			finish(s, MC_E_REFUSED, "%s refused: %s", cmd, first);
			return;
		}
		s->res->commands_ok++;
		s->cmd++;
		send_command(s);
		return;
	}
	case MC_SMTP_QUIT:
		finish(s, MC_OK, " ");
		return;
	default:
		finish(s, MC_E_INTERNAL, "unexpected reply in %s", phase);
		return;
	}
}

static mc_status_t parse_reply(void *reply, const char *buf, size_t len, size_t *consumed,
                               char *err, size_t errsz)
{
	return mc_smtp_reply_parse(buf, len, reply, consumed, err, errsz);
}

static void on_stream(mc_stream_t *st, mc_stream_event_t ev, void *arg)
{
	mc_smtp_t *s = arg;

	(void)st;
	mc_dialog_event(&s->dlg, ev);
}

static void on_connect(void *arg, mc_status_t st, int fd, const mc_addr_t *addr, const char *err)
{
	mc_smtp_t *s = arg;

	s->connecting = NULL;
	if (st != MC_OK) {
		finish(s, st, "%s", err);
		return;
	}
	s->res->connected = true;
	s->res->addr = *addr;
	/* The reply cap plus room for one more line is all a reply may need. */
	s->stream = mc_stream_new(s->p.loop, fd, MC_SMTP_REPLY_MAX + MC_SMTP_LINE_MAX + 8, on_stream,
	                          s);
	if (!s->stream) {
		finish(s, MC_E_NOMEM, "out of memory");
		return;
	}
	mc_dialog_attach(&s->dlg, s->stream);
	if (s->p.implicit_tls) {
		start_tls(s, MC_SMTP_TLS_IMPLICIT);
		return;
	}
	enter(s, MC_SMTP_BANNER);
	mc_dialog_expect(&s->dlg);
}

mc_smtp_t *mc_smtp_start(const mc_smtp_params_t *p, mc_smtp_result_t *res,
                         void (*done)(void *arg), void *arg)
{
	mc_smtp_t *s = calloc(1, sizeof(*s));
	size_t i;

	if (!s)
		return NULL;
	memset(res, 0, sizeof(*res));
	for (i = 0; i < MC_SMTP_NPHASES; i++)
		res->us[i] = -1;
	s->p = *p;
	s->res = res;
	s->done = done;
	s->arg = arg;
	s->phase = MC_SMTP_CONNECT;
	s->phase_start = mc_clock_now_us();
	mc_smtp_reply_init(&s->reply);
	mc_dialog_init(&s->dlg, parse_reply, &s->reply, on_reply, s, p->verbose);
	s->connecting = mc_net_connect(p->loop, p->addrs, p->naddrs, STAGGER_US, on_connect, s);
	if (!s->connecting) {
		mc_smtp_reply_free(&s->reply);
		free(s);
		return NULL;
	}
	return s;
}

void mc_smtp_abort(mc_smtp_t *s, mc_status_t st)
{
	s->res->phase = s->phase;
	s->res->us[s->phase] = mc_clock_now_us() - s->phase_start;
	s->res->status = s->phase == MC_SMTP_QUIT ? MC_OK : st;
	if (s->res->status != MC_OK)
		snprintf(s->res->error, sizeof(s->res->error), "%s in %s phase", mc_status_str(st),
		         mc_smtp_phase_name(s->phase));
	release(s);
}
