#include "mc_imap.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/mc_imap_reply.h"
#include "proto/mc_sasl.h"
#include "util/mc_str.h"

typedef struct mc_imap mc_imap_t;

struct mc_imap {
	mc_session_t s;
	mc_imap_params_t p;
	mc_imap_result_t *res;
	mc_imap_line_t line;
	unsigned tagno;
	char tag[16]; /* of the command in flight */
	char quoted_box[600];
};

/* Send "<tag> <command>" in a new phase. */
static void command(mc_imap_t *m, const char *phase, const char *perf, const char *cmd, bool secret)
{
	char line[1400];

	snprintf(m->tag, sizeof(m->tag), "a%u", ++m->tagno);
	snprintf(line, sizeof(line), "%s %s", m->tag, cmd);
	mc_session_command(&m->s, phase, perf, line, secret);
	OPENSSL_cleanse(line, sizeof(line));
}

static void set_caps(mc_imap_t *m, const char *caps)
{
	mc_strlcpy(m->res->caps, caps, sizeof(m->res->caps));
}

static void logout(mc_imap_t *m)
{
	command(m, "logout", NULL, "LOGOUT", false);
}

static void quota(mc_imap_t *m)
{
	char cmd[700];

	m->res->quota_capable = mc_imap_caps_has(m->res->caps, "QUOTA");
	if (!m->res->quota_capable) {
		mc_strlcpy(m->res->quota_note, "the server does not advertise QUOTA",
		           sizeof(m->res->quota_note));
		logout(m);
		return;
	}
	snprintf(cmd, sizeof(cmd), "GETQUOTAROOT %s", m->quoted_box);
	command(m, "quota", "time_quota", cmd, false);
}

static void after_login(mc_imap_t *m)
{
	char cmd[700];

	if (m->p.mailbox) {
		snprintf(cmd, sizeof(cmd), "STATUS %s (MESSAGES UNSEEN)", m->quoted_box);
		command(m, "status", "time_status", cmd, false);
	} else if (m->p.quota) {
		quota(m);
	} else {
		logout(m);
	}
}

static void login(mc_imap_t *m)
{
	mc_imap_auth_t a = m->p.auth;
	char cmd[1300];

	if (!m->p.user) {
		after_login(m);
		return;
	}
	if (a == MC_IMAP_AUTH_AUTO)
		a = mc_imap_caps_has(m->res->caps, "AUTH=PLAIN") ? MC_IMAP_AUTH_PLAIN
		                                                 : MC_IMAP_AUTH_LOGIN;
	if (a == MC_IMAP_AUTH_LOGIN) {
		char qu[600], qp[600];
		/* RFC 3501 section 6.2.3: LOGINDISABLED forbids LOGIN. */
		if (mc_imap_caps_has(m->res->caps, "LOGINDISABLED")) {
			mc_session_finish(
			    &m->s, MC_E_REFUSED,
			    "login impossible: the server advertises LOGINDISABLED after TLS");
			return;
		}
		if (mc_imap_quote(m->p.user, qu, sizeof(qu)) != MC_OK ||
		    mc_imap_quote(m->p.password, qp, sizeof(qp)) != MC_OK) {
			mc_session_finish(&m->s, MC_E_USAGE,
			                  "the user name or password cannot be sent with LOGIN");
			return;
		}
		m->res->auth_used = "LOGIN";
		snprintf(cmd, sizeof(cmd), "LOGIN %s %s", qu, qp);
		OPENSSL_cleanse(qp, sizeof(qp));
		command(m, "login", "time_login", cmd, true);
	} else {
		char b64[800];
		if (mc_sasl_plain(NULL, m->p.user, m->p.password, b64, sizeof(b64)) != MC_OK) {
			mc_session_finish(&m->s, MC_E_USAGE,
			                  "the user name or password is too long");
			return;
		}
		m->res->auth_used = "AUTHENTICATE PLAIN";
		/* RFC 4959: the initial response in the command saves a round trip. */
		if (mc_imap_caps_has(m->res->caps, "SASL-IR"))
			snprintf(cmd, sizeof(cmd), "AUTHENTICATE PLAIN %s", b64);
		else
			mc_strlcpy(cmd, "AUTHENTICATE PLAIN", sizeof(cmd));
		OPENSSL_cleanse(b64, sizeof(b64));
		command(m, "login", "time_login", cmd, true);
	}
	OPENSSL_cleanse(cmd, sizeof(cmd));
}

/* Capabilities known for the phase after the greeting or TLS. */
static void with_caps(mc_imap_t *m)
{
	if (m->res->base.tls_done) {
		login(m);
		return;
	}
	/* Before STARTTLS (RFC 3501 section 6.2.1; RFC 8314 prefers
	 * implicit TLS): never fall back to plaintext. */
	mc_strlcpy(m->res->caps_before, m->res->caps, sizeof(m->res->caps_before));
	m->res->logindisabled_before = mc_imap_caps_has(m->res->caps, "LOGINDISABLED");
	if (!mc_imap_caps_has(m->res->caps, "STARTTLS")) {
		mc_session_finish(&m->s, MC_E_REFUSED, "STARTTLS not offered in the capabilities");
		return;
	}
	command(m, "starttls", "time_starttls", "STARTTLS", false);
}

static void on_connected(mc_session_t *s)
{
	mc_session_phase(s, "greeting", "time_banner");
	mc_session_expect(s);
}

static void on_tls_ready(mc_session_t *s)
{
	mc_imap_t *m = s->proto;

	/* RFC 3501 section 6.2.1: discard what was learnt before TLS. */
	m->res->caps[0] = '\0';
	command(m, "capability after tls", "time_capability_tls", "CAPABILITY", false);
}

static void text_of(const mc_imap_line_t *l, char *out, size_t outsz)
{
	mc_str_sanitize(out, outsz, mc_buf_cstr(&l->text), l->text.len);
}

/* The tagged completion of the command in flight. */
static void completed(mc_imap_t *m, const char *phase)
{
	const mc_imap_line_t *l = &m->line;
	char text[300];

	text_of(l, text, sizeof(text));
	if (!strcmp(phase, "logout")) {
		mc_session_finish(&m->s, MC_OK, " ");
		return;
	}
	if (l->cond != MC_IMAP_COND_OK) {
		const char *word = l->cond == MC_IMAP_COND_NO ? "NO" : "BAD";
		if (!strcmp(phase, "login"))
			mc_session_finish(&m->s, MC_E_REFUSED, "login failed: %s %s%s%s%s", word,
			                  l->code[0] ? "[" : "", l->code, l->code[0] ? "] " : "",
			                  text);
		else if (!strcmp(phase, "status"))
			mc_session_finish(&m->s, MC_E_REFUSED, "STATUS %s refused: %s %s",
			                  m->p.mailbox, word, text);
		else
			mc_session_finish(&m->s, MC_E_REFUSED, "%s refused: %s %s", phase, word,
			                  text);
		return;
	}
	if (!strcmp(phase, "capability") || !strcmp(phase, "capability after tls")) {
		if (!m->res->caps[0]) {
			mc_session_finish(&m->s, MC_E_PROTOCOL,
			                  "protocol error in %s: no CAPABILITY response", phase);
			return;
		}
		with_caps(m);
	} else if (!strcmp(phase, "starttls")) {
		mc_session_starttls(&m->s, "STARTTLS");
	} else if (!strcmp(phase, "login")) {
		m->res->logged_in = true;
		after_login(m);
	} else if (!strcmp(phase, "status")) {
		if (!m->res->have_status) {
			mc_session_finish(&m->s, MC_E_PROTOCOL,
			                  "protocol error in status: no STATUS response for %s",
			                  m->p.mailbox);
			return;
		}
		if (m->p.quota)
			quota(m);
		else
			logout(m);
	} else if (!strcmp(phase, "quota")) {
		if (!m->res->have_quota && !m->res->quota_note[0])
			mc_strlcpy(m->res->quota_note, "no STORAGE quota on the mailbox",
			           sizeof(m->res->quota_note));
		logout(m);
	} else {
		mc_session_finish(&m->s, MC_E_INTERNAL, "unexpected completion in %s", phase);
	}
}

/* Untagged data while a command runs. */
static mc_status_t untagged(mc_imap_t *m, const char *phase)
{
	const mc_imap_line_t *l = &m->line;
	const char *t = mc_buf_cstr(&l->text);
	const char *caps = mc_imap_line_caps(l);

	if (caps)
		set_caps(m, caps);
	if (!strcmp(phase, "status") && l->cond == MC_IMAP_COND_NONE && l->text.len > 7 &&
	    mc_str_ieq_n(t, "STATUS ", 7)) {
		if (mc_imap_status_parse(t, l->text.len, &m->res->messages, &m->res->has_messages,
		                         &m->res->unseen, &m->res->has_unseen) != MC_OK)
			return MC_E_PROTOCOL;
		m->res->have_status = true;
	} else if (!strcmp(phase, "quota") && l->cond == MC_IMAP_COND_NONE && l->text.len > 6 &&
	           mc_str_ieq_n(t, "QUOTA ", 6) && !m->res->have_quota) {
		bool storage = false;
		if (mc_imap_quota_parse(t, l->text.len, &m->res->quota_used, &m->res->quota_limit,
		                        &storage) != MC_OK)
			return MC_E_PROTOCOL;
		m->res->have_quota = storage && m->res->quota_limit > 0;
	}
	return MC_OK;
}

static void on_reply(mc_session_t *s)
{
	mc_imap_t *m = s->proto;
	const mc_imap_line_t *l = &m->line;
	const char *phase = mc_session_phase_name(s);
	char text[300];

	text_of(l, text, sizeof(text));
	if (!strcmp(phase, "greeting")) {
		const char *caps = mc_imap_line_caps(l);
		if (l->kind != MC_IMAP_UNTAGGED ||
		    (l->cond != MC_IMAP_COND_OK && l->cond != MC_IMAP_COND_PREAUTH &&
		     l->cond != MC_IMAP_COND_BYE)) {
			mc_session_finish(s, MC_E_PROTOCOL,
			                  "protocol error in greeting: not a greeting");
			return;
		}
		snprintf(m->res->greeting, sizeof(m->res->greeting), "%s %.240s",
		         l->cond == MC_IMAP_COND_OK    ? "OK"
		         : l->cond == MC_IMAP_COND_BYE ? "BYE"
		                                       : "PREAUTH",
		         text);
		if (l->cond == MC_IMAP_COND_BYE) {
			mc_session_finish(s, MC_E_REFUSED, "greeting: BYE %s", text);
			return;
		}
		if (l->cond == MC_IMAP_COND_PREAUTH) {
			m->res->preauth = true;
			/* RFC 3501 section 6.2.1: STARTTLS only before authentication. */
			if (!s->res->tls_done) {
				mc_session_finish(
				    s, MC_E_REFUSED,
				    "PREAUTH greeting before TLS: STARTTLS is impossible");
				return;
			}
		}
		if (caps) {
			set_caps(m, caps);
			with_caps(m);
		} else {
			command(m, "capability", "time_capability", "CAPABILITY", false);
		}
		return;
	}
	if (l->kind == MC_IMAP_CONTINUATION) {
		char b64[800];
		if (strcmp(phase, "login") != 0) {
			mc_session_finish(s, MC_E_PROTOCOL,
			                  "protocol error in %s: unexpected continuation", phase);
			return;
		}
		/* AUTHENTICATE PLAIN without SASL-IR: the response now. */
		if (mc_sasl_plain(NULL, m->p.user, m->p.password, b64, sizeof(b64)) != MC_OK ||
		    mc_dialog_send(&s->dlg, b64, true) != MC_OK) {
			OPENSSL_cleanse(b64, sizeof(b64));
			mc_session_finish(s, MC_E_IO, "cannot send the login");
			return;
		}
		OPENSSL_cleanse(b64, sizeof(b64));
		mc_session_expect(s);
		return;
	}
	if (l->kind == MC_IMAP_UNTAGGED) {
		/* RFC 3501 section 7.1.5: BYE means the server is closing. */
		if (l->cond == MC_IMAP_COND_BYE && strcmp(phase, "logout") != 0) {
			mc_session_finish(s, MC_E_CLOSED, "the server said BYE in %s: %s", phase,
			                  text);
			return;
		}
		if (untagged(m, phase) != MC_OK) {
			mc_session_finish(s, MC_E_PROTOCOL,
			                  "protocol error in %s: malformed %s response", phase,
			                  phase);
			return;
		}
		mc_session_expect(s);
		return;
	}
	if (strcmp(l->tag, m->tag) != 0) {
		char got[40];
		mc_str_sanitize(got, sizeof(got), l->tag, strlen(l->tag));
		mc_session_finish(s, MC_E_PROTOCOL,
		                  "protocol error in %s: tag mismatch (sent %s, got %s)", phase,
		                  m->tag, got);
		return;
	}
	{
		const char *caps = mc_imap_line_caps(l);
		if (caps)
			set_caps(m, caps);
	}
	completed(m, phase);
}

static mc_status_t parse_line(void *reply, const char *buf, size_t len, size_t *consumed, char *err,
                              size_t errsz)
{
	return mc_imap_line_parse(buf, len, reply, consumed, err, errsz);
}

static void release(void *proto)
{
	mc_imap_t *m = proto;

	mc_imap_line_free(&m->line);
	free(m);
}

static const mc_session_ops_t imap_ops = {.connected = on_connected,
                                          .tls_ready = on_tls_ready,
                                          .reply = on_reply,
                                          .parse = parse_line,
                                          .grace_phase = "logout",
                                          .release = release};

mc_session_t *mc_imap_start(const mc_imap_params_t *p, mc_imap_result_t *res,
                            void (*done)(void *arg), void *arg)
{
	mc_imap_t *m = calloc(1, sizeof(*m));
	mc_session_params_t sp;
	const char *box = p->mailbox ? p->mailbox : "INBOX";

	if (!m)
		return NULL;
	memset(res, 0, sizeof(*res));
	m->p = *p;
	m->res = res;
	if (mc_imap_quote(box, m->quoted_box, sizeof(m->quoted_box)) != MC_OK) {
		free(m);
		return NULL;
	}
	mc_imap_line_init(&m->line);
	sp = p->session;
	sp.rbuf_max = MC_IMAP_RESPONSE_MAX + 1024;
	if (mc_session_start(&m->s, &sp, &imap_ops, m, &m->line, &res->base, done, arg) != MC_OK) {
		mc_imap_line_free(&m->line);
		free(m);
		return NULL;
	}
	return &m->s;
}
