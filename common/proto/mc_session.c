#include "mc_session.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "util/mc_clock.h"
#include "util/mc_str.h"

/* RFC 8305 section 5: connection attempt delay. */
#define STAGGER_US 250000

static void record(mc_session_t *s, int64_t now)
{
	if (s->res->ntimes)
		s->res->times[s->cur].us = now - s->phase_start;
}

/* The phases the session itself runs, whatever the protocol. */
static const mc_phase_t phase_connect = {MC_PHASE_CONNECT, "connect", "time_connect"};
static const mc_phase_t phase_tls = {MC_PHASE_TLS_HANDSHAKE, "tls handshake", "time_tls"};

void mc_session_phase(mc_session_t *s, const mc_phase_t *ph)
{
	int64_t now = mc_clock_now_us();
	mc_session_result_t *r = s->res;

	record(s, now);
	if (r->ntimes < MC_SESSION_MAX_PHASES)
		s->cur = r->ntimes++;
	r->times[s->cur].id = ph->id;
	r->times[s->cur].name = ph->name;
	r->times[s->cur].perf = ph->perf;
	r->times[s->cur].us = 0;
	r->phase_id = ph->id;
	r->phase = ph->name;
	s->phase_start = now;
}

const char *mc_session_phase_name(const mc_session_t *s)
{
	return s->res->phase ? s->res->phase : "?";
}

double mc_session_time(const mc_session_result_t *r, const char *perf)
{
	size_t i;

	for (i = 0; i < r->ntimes; i++)
		if (r->times[i].perf && !strcmp(r->times[i].perf, perf))
			return (double)r->times[i].us / 1e6;
	return -1;
}

static void release(mc_session_t *s)
{
	mc_net_connect_cancel(s->connecting);
	s->connecting = NULL;
	mc_stream_free(s->stream);
	s->stream = NULL;
}

static bool in_grace(const mc_session_t *s)
{
	return s->res->phase_id == MC_PHASE_CLOSING;
}

void mc_session_finish(mc_session_t *s, mc_status_t st, const char *fmt, ...)
{
	void (*done)(void *) = s->done;
	void *arg = s->done_arg;
	void (*free_proto)(void *) = s->ops->release;
	void *proto = s->proto;

	/* A failure after the dialogue's work is done (QUIT, LOGOUT) changes
	 * nothing: the server did all that was asked. */
	if (in_grace(s))
		st = MC_OK;
	record(s, mc_clock_now_us());
	s->res->status = st;
	if (st != MC_OK) {
		va_list ap;
		char tmp[512];
		va_start(ap, fmt);
		vsnprintf(tmp, sizeof(tmp), fmt, ap);
		va_end(ap);
		mc_str_sanitize(s->res->error, sizeof(s->res->error), tmp, strlen(tmp));
	}
	release(s);
	free_proto(proto); /* s is gone from here */
	done(arg);
}

void mc_session_abort(mc_session_t *s, mc_status_t st)
{
	record(s, mc_clock_now_us());
	s->res->status = in_grace(s) ? MC_OK : st;
	if (s->res->status != MC_OK)
		snprintf(s->res->error, sizeof(s->res->error), "%s in %s phase", mc_status_str(st),
		         mc_session_phase_name(s));
	release(s);
	s->ops->release(s->proto);
}

void mc_session_expect(mc_session_t *s)
{
	mc_dialog_expect(&s->dlg);
}

void mc_session_send(mc_session_t *s, const char *line, bool secret)
{
	mc_status_t st = mc_dialog_send(&s->dlg, line, secret);

	if (st != MC_OK) {
		const char *why = mc_stream_error(s->stream);
		mc_session_finish(s, st, "cannot send the %s command: %s", mc_session_phase_name(s),
		                  why[0] ? why : mc_status_str(st));
		return;
	}
	mc_dialog_expect(&s->dlg);
}

void mc_session_command(mc_session_t *s, const mc_phase_t *ph, const char *line, bool secret)
{
	mc_session_phase(s, ph);
	mc_session_send(s, line, secret);
}

static void on_tls(void *arg, mc_status_t st, const char *err)
{
	mc_session_t *s = arg;
	const mc_tls_info_t *in = &s->res->tls;

	if (st != MC_OK) {
		mc_session_finish(s, st, "%s", err);
		return;
	}
	s->res->tls_done = true;
	if (s->p.tls_probe) {
		mc_session_finish(s, MC_OK, " ");
		return;
	}
	if (s->p.tlsp.verify != MC_TLS_VERIFY_NONE && !in->verified) {
		mc_session_finish(s, MC_E_VERIFY, "certificate verify failed: %s",
		                  in->verify_reason);
		return;
	}
	if (!s->p.implicit_tls)
		s->ops->tls_ready(s);
	else
		s->ops->connected(s);
}

static void handshake(mc_session_t *s)
{
	mc_status_t st;

	mc_session_phase(s, &phase_tls);
	st = mc_tls_start(s->p.tls, s->stream, &s->p.tlsp, &s->res->tls, on_tls, s);
	if (st == MC_E_USAGE)
		mc_session_finish(s, st,
		                  "cannot start TLS: the name to verify the certificate "
		                  "against is empty, a pattern or not a host name");
	else if (st != MC_OK)
		mc_session_finish(s, st, "cannot start TLS: %s", mc_status_str(st));
}

void mc_session_starttls(mc_session_t *s, const char *command)
{
	mc_buf_t *rb = mc_stream_rbuf(s->stream);
	char peek[1];
	ssize_t n;

	/* Bytes after the go-ahead and before the handshake would be read as
	 * if they came through TLS (CVE-2011-0411 class): refuse them, both
	 * those already read and those waiting in the socket. */
	n = recv(mc_stream_fd(s->stream), peek, sizeof(peek), MSG_PEEK | MSG_DONTWAIT);
	if (rb->len || n > 0) {
		mc_session_finish(s, MC_E_PROTOCOL,
		                  "%s injection: the server sent %zu byte(s) of plaintext after "
		                  "its go-ahead",
		                  command, rb->len ? rb->len : (size_t)n);
		return;
	}
	handshake(s);
}

static void on_reply(void *arg, mc_status_t st, const char *err)
{
	mc_session_t *s = arg;

	if (st == MC_E_PROTOCOL)
		mc_session_finish(s, st, "protocol error in %s: %s", mc_session_phase_name(s), err);
	else if (st != MC_OK)
		mc_session_finish(s, st, "%s (in %s)", err, mc_session_phase_name(s));
	else
		s->ops->reply(s);
}

static void on_stream(mc_stream_t *stream, mc_stream_event_t ev, void *arg)
{
	mc_session_t *s = arg;

	(void)stream;
	mc_dialog_event(&s->dlg, ev);
}

static void on_connect(void *arg, mc_status_t st, int fd, const mc_addr_t *addr, const char *err)
{
	mc_session_t *s = arg;

	s->connecting = NULL;
	if (st != MC_OK) {
		mc_session_finish(s, st, "%s", err);
		return;
	}
	s->res->connected = true;
	s->res->addr = *addr;
	s->stream = mc_stream_new(s->p.loop, fd, s->p.rbuf_max, on_stream, s);
	if (!s->stream) {
		mc_session_finish(s, MC_E_NOMEM, "out of memory");
		return;
	}
	mc_dialog_attach(&s->dlg, s->stream);
	if (s->p.implicit_tls)
		handshake(s);
	else
		s->ops->connected(s);
}

mc_status_t mc_session_start(mc_session_t *s, const mc_session_params_t *p,
                             const mc_session_ops_t *ops, void *proto, void *reply,
                             mc_session_result_t *res, void (*done)(void *arg), void *done_arg)
{
	memset(s, 0, sizeof(*s));
	memset(res, 0, sizeof(*res));
	s->p = *p;
	s->ops = ops;
	s->proto = proto;
	s->reply = reply;
	s->res = res;
	s->done = done;
	s->done_arg = done_arg;
	mc_dialog_init(&s->dlg, ops->parse, reply, on_reply, s, p->verbose);
	s->dlg.parse_eof = ops->parse_eof;
	mc_session_phase(s, &phase_connect);
	s->connecting = mc_net_connect(p->loop, p->addrs, p->naddrs, STAGGER_US, on_connect, s);
	return s->connecting ? MC_OK : MC_E_NOMEM;
}
