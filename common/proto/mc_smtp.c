#include "mc_smtp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "proto/mc_smtp_reply.h"
#include "util/mc_str.h"

typedef struct mc_smtp mc_smtp_t;

struct mc_smtp {
	mc_session_t s;
	mc_smtp_params_t p;
	mc_smtp_result_t *res;
	mc_smtp_reply_t reply;
	size_t cmd;
};

static void send_helo(mc_smtp_t *m, const char *phase, const char *perf)
{
	char line[300], lit[MC_ADDR_STRLEN + 8];
	const char *name = m->p.helo;

	if (!name) {
		/* RFC 5321 section 4.1.3: without a usable domain name, the
		 * client's address literal. */
		mc_addr_t local;
		memset(&local, 0, sizeof(local));
		local.len = sizeof(local.ss);
		if (getsockname(mc_stream_fd(m->s.stream), (struct sockaddr *)&local.ss,
		                &local.len) == 0) {
			char ip[MC_ADDR_STRLEN];
			mc_addr_str(&local, ip, sizeof(ip));
			snprintf(lit, sizeof(lit),
			         local.ss.ss_family == AF_INET6 ? "[IPv6:%s]" : "[%s]", ip);
		} else {
			mc_strlcpy(lit, "[127.0.0.1]", sizeof(lit));
		}
		name = lit;
	}
	snprintf(line, sizeof(line), "%s %s", m->p.lmtp ? "LHLO" : "EHLO", name);
	mc_session_command(&m->s, phase, perf, line, false);
}

static void send_next_command(mc_smtp_t *m)
{
	if (m->cmd < m->p.ncommands)
		mc_session_command(&m->s, "command", NULL, m->p.commands[m->cmd], false);
	else
		mc_session_command(&m->s, "quit", NULL, "QUIT", false);
}

static void on_connected(mc_session_t *s)
{
	/* Plain: the banner comes first; implicit TLS: after the handshake. */
	mc_session_phase(s, "banner", "time_banner");
	mc_session_expect(s);
}

static void on_tls_ready(mc_session_t *s)
{
	/* RFC 3207 section 4.2: forget what was learnt before TLS; ask again. */
	send_helo(s->proto, "ehlo after tls", "time_ehlo_tls");
}

static void on_reply(mc_session_t *s)
{
	mc_smtp_t *m = s->proto;
	const char *phase = mc_session_phase_name(s);
	const char *hello = m->p.lmtp ? "LHLO" : "EHLO";
	char first[256];

	mc_smtp_reply_first(&m->reply, first, sizeof(first));
	if (!strcmp(phase, "banner")) {
		mc_strlcpy(m->res->banner, first, sizeof(m->res->banner));
		if (m->reply.code != 220) {
			mc_session_finish(s, MC_E_REFUSED, "banner refused: %s", first);
			return;
		}
		if (m->p.expect && !strstr(first, m->p.expect)) {
			mc_session_finish(s, MC_E_REFUSED, "banner does not contain '%s': %s",
			                  m->p.expect, first);
			return;
		}
		if (m->p.banner_only)
			mc_session_command(s, "quit", NULL, "QUIT", false);
		else if (m->res->base.tls_done)
			send_helo(m, "ehlo after tls", "time_ehlo_tls");
		else
			send_helo(m, "ehlo", "time_ehlo");
	} else if (!strcmp(phase, "ehlo")) {
		if (m->reply.code != 250) {
			mc_session_finish(s, MC_E_REFUSED, "%s refused: %s", hello, first);
			return;
		}
		mc_smtp_ehlo_keywords(&m->reply, m->res->caps_before, sizeof(m->res->caps_before));
		/* RFC 3207 section 4: never fall back to plaintext. */
		if (!mc_smtp_ehlo_has(&m->reply, "STARTTLS", NULL, 0)) {
			mc_session_finish(s, MC_E_REFUSED, "STARTTLS not offered in the %s reply",
			                  hello);
			return;
		}
		mc_session_command(s, "starttls", "time_starttls", "STARTTLS", false);
	} else if (!strcmp(phase, "starttls")) {
		mc_strlcpy(m->res->starttls_reply, first, sizeof(m->res->starttls_reply));
		if (m->reply.code != 220) {
			mc_session_finish(s, MC_E_REFUSED, "STARTTLS refused: %s", first);
			return;
		}
		mc_session_starttls(s, "STARTTLS");
	} else if (!strcmp(phase, "ehlo after tls")) {
		if (m->reply.code != 250) {
			mc_session_finish(s, MC_E_REFUSED, "%s after TLS refused: %s", hello,
			                  first);
			return;
		}
		mc_smtp_ehlo_keywords(&m->reply, m->res->caps_after, sizeof(m->res->caps_after));
		send_next_command(m);
	} else if (!strcmp(phase, "command")) {
		const char *want = m->p.responses ? m->p.responses[m->cmd] : NULL;
		const char *cmd = m->p.commands[m->cmd];
		mc_strlcpy(m->res->last_reply, first, sizeof(m->res->last_reply));
		if (want && strncmp(first, want, strlen(want)) != 0) {
			mc_session_finish(s, MC_E_REFUSED, "%s: expected '%s', got '%s'", cmd, want,
			                  first);
			return;
		}
		if (!want && m->reply.code >= 400) {
			mc_session_finish(s, MC_E_REFUSED, "%s refused: %s", cmd, first);
			return;
		}
		m->res->commands_ok++;
		m->cmd++;
		send_next_command(m);
	} else {
		/* quit: the reply, whatever it says, ends the dialogue. */
		mc_session_finish(s, MC_OK, " ");
	}
}

static mc_status_t parse_reply(void *reply, const char *buf, size_t len, size_t *consumed,
                               char *err, size_t errsz)
{
	return mc_smtp_reply_parse(buf, len, reply, consumed, err, errsz);
}

static void release(void *proto)
{
	mc_smtp_t *m = proto;

	mc_smtp_reply_free(&m->reply);
	free(m);
}

static const mc_session_ops_t smtp_ops = {.connected = on_connected,
                                          .tls_ready = on_tls_ready,
                                          .reply = on_reply,
                                          .parse = parse_reply,
                                          .grace_phase = "quit",
                                          .release = release};

mc_session_t *mc_smtp_start(const mc_smtp_params_t *p, mc_smtp_result_t *res,
                            void (*done)(void *arg), void *arg)
{
	mc_smtp_t *m = calloc(1, sizeof(*m));
	mc_session_params_t sp;

	if (!m)
		return NULL;
	memset(res, 0, sizeof(*res));
	m->p = *p;
	m->res = res;
	mc_smtp_reply_init(&m->reply);
	sp = p->session;
	/* The reply cap plus room for one more line is all a reply may need. */
	sp.rbuf_max = MC_SMTP_REPLY_MAX + MC_SMTP_LINE_MAX + 8;
	if (mc_session_start(&m->s, &sp, &smtp_ops, m, &m->reply, &res->base, done, arg) != MC_OK) {
		mc_smtp_reply_free(&m->reply);
		free(m);
		return NULL;
	}
	return &m->s;
}
