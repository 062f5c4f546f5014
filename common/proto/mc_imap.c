#include "mc_imap.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/mc_imap_reply.h"
#include "proto/mc_sasl.h"
#include "util/mc_str.h"

typedef struct mc_imap mc_imap_t;

/* The dialogue's states, in the order a full session meets them. The
 * greeting is one untagged line; every other state ends with the tagged
 * completion of its command (completed). */
typedef enum imap_state {
	IMAP_GREETING,       /* RFC 3501 section 7.1 */
	IMAP_CAPABILITY,     /* CAPABILITY before TLS */
	IMAP_STARTTLS,       /* RFC 3501 section 6.2.1 */
	IMAP_CAPABILITY_TLS, /* CAPABILITY after TLS */
	IMAP_LOGIN,          /* LOGIN or AUTHENTICATE PLAIN */
	IMAP_STATUS,         /* STATUS of the mailbox */
	IMAP_QUOTA,          /* GETQUOTAROOT (RFC 2087) */
	IMAP_LOGOUT
} imap_state_t;
#define IMAP_NSTATES (IMAP_LOGOUT + 1)

/* Each state's phase: names (in messages) and labels (in perfdata) are
 * output and stay. */
static const mc_phase_t imap_phases[IMAP_NSTATES] = {
    [IMAP_GREETING] = {MC_PHASE_GREETING, "greeting", "time_banner"},
    [IMAP_CAPABILITY] = {MC_PHASE_HELLO, "capability", "time_capability"},
    [IMAP_STARTTLS] = {MC_PHASE_STARTTLS, "starttls", "time_starttls"},
    [IMAP_CAPABILITY_TLS] = {MC_PHASE_HELLO, "capability after tls", "time_capability_tls"},
    [IMAP_LOGIN] = {MC_PHASE_LOGIN, "login", "time_login"},
    [IMAP_STATUS] = {MC_PHASE_COMMAND, "status", "time_status"},
    [IMAP_QUOTA] = {MC_PHASE_COMMAND, "quota", "time_quota"},
    [IMAP_LOGOUT] = {MC_PHASE_CLOSING, "logout", NULL},
};

struct mc_imap {
	mc_session_t s;
	imap_state_t state;
	mc_imap_params_t p;
	mc_imap_result_t *res;
	mc_imap_line_t line;
	unsigned tagno;
	char tag[16]; /* of the command in flight */
	char quoted_box[600];
};

/* Send "<tag> <command>" in a new state. */
static void command(mc_imap_t *m, imap_state_t st, const char *cmd, bool secret)
{
	char line[1400];

	snprintf(m->tag, sizeof(m->tag), "a%u", ++m->tagno);
	snprintf(line, sizeof(line), "%s %s", m->tag, cmd);
	m->state = st;
	mc_session_command(&m->s, &imap_phases[st], line, secret);
	OPENSSL_cleanse(line, sizeof(line));
}

static void set_caps(mc_imap_t *m, const char *caps)
{
	mc_strlcpy(m->res->caps, caps, sizeof(m->res->caps));
}

static void logout(mc_imap_t *m)
{
	command(m, IMAP_LOGOUT, "LOGOUT", false);
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
	command(m, IMAP_QUOTA, cmd, false);
}

static void after_login(mc_imap_t *m)
{
	char cmd[700];

	if (m->p.mailbox) {
		snprintf(cmd, sizeof(cmd), "STATUS %s (MESSAGES UNSEEN)", m->quoted_box);
		command(m, IMAP_STATUS, cmd, false);
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
		command(m, IMAP_LOGIN, cmd, true);
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
		command(m, IMAP_LOGIN, cmd, true);
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
	command(m, IMAP_STARTTLS, "STARTTLS", false);
}

static void on_connected(mc_session_t *s)
{
	mc_imap_t *m = s->proto;

	m->state = IMAP_GREETING;
	mc_session_phase(s, &imap_phases[IMAP_GREETING]);
	mc_session_expect(s);
}

static void on_tls_ready(mc_session_t *s)
{
	mc_imap_t *m = s->proto;

	/* RFC 3501 section 6.2.1: discard what was learnt before TLS. */
	m->res->caps[0] = '\0';
	command(m, IMAP_CAPABILITY_TLS, "CAPABILITY", false);
}

static void text_of(const mc_imap_line_t *l, char *out, size_t outsz)
{
	mc_str_sanitize(out, outsz, mc_buf_cstr(&l->text), l->text.len);
}

/* A command was refused (NO or BAD). */
static void refused(mc_imap_t *m, const char *text)
{
	const mc_imap_line_t *l = &m->line;
	const char *word = l->cond == MC_IMAP_COND_NO ? "NO" : "BAD";

	if (m->state == IMAP_LOGIN)
		mc_session_finish(&m->s, MC_E_REFUSED, "login failed: %s %s%s%s%s", word,
		                  l->code[0] ? "[" : "", l->code, l->code[0] ? "] " : "", text);
	else if (m->state == IMAP_STATUS)
		mc_session_finish(&m->s, MC_E_REFUSED, "STATUS %s refused: %s %s", m->p.mailbox,
		                  word, text);
	else
		mc_session_finish(&m->s, MC_E_REFUSED, "%s refused: %s %s",
		                  mc_session_phase_name(&m->s), word, text);
}

static void capability_done(mc_imap_t *m)
{
	if (!m->res->caps[0]) {
		mc_session_finish(&m->s, MC_E_PROTOCOL,
		                  "protocol error in %s: no CAPABILITY response",
		                  mc_session_phase_name(&m->s));
		return;
	}
	with_caps(m);
}

static void status_done(mc_imap_t *m)
{
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
}

static void quota_done(mc_imap_t *m)
{
	if (!m->res->have_quota && !m->res->quota_note[0])
		mc_strlcpy(m->res->quota_note, "no STORAGE quota on the mailbox",
		           sizeof(m->res->quota_note));
	logout(m);
}

/* The tagged completion of the command in flight: the handler of the
 * state that sent it. */
static void completed(mc_imap_t *m)
{
	const mc_imap_line_t *l = &m->line;
	char text[300];

	/* LOGOUT completes the session whatever the server says. */
	if (m->state == IMAP_LOGOUT) {
		mc_session_finish(&m->s, MC_OK, " ");
		return;
	}
	if (l->cond != MC_IMAP_COND_OK) {
		text_of(l, text, sizeof(text));
		refused(m, text);
		return;
	}
	switch (m->state) {
	case IMAP_GREETING:
		/* The greeting is untagged (on_reply): no command is in flight. */
		mc_session_finish(&m->s, MC_E_INTERNAL, "unexpected completion in greeting");
		break;
	case IMAP_CAPABILITY:
	case IMAP_CAPABILITY_TLS: capability_done(m); break;
	case IMAP_STARTTLS: mc_session_starttls(&m->s, "STARTTLS"); break;
	case IMAP_LOGIN:
		m->res->logged_in = true;
		after_login(m);
		break;
	case IMAP_STATUS: status_done(m); break;
	case IMAP_QUOTA: quota_done(m); break;
	case IMAP_LOGOUT: break; /* above */
	}
}

/* Untagged data while a command runs. */
static mc_status_t untagged(mc_imap_t *m)
{
	const mc_imap_line_t *l = &m->line;
	const char *t = mc_buf_cstr(&l->text);
	const char *caps = mc_imap_line_caps(l);

	if (caps)
		set_caps(m, caps);
	if (m->state == IMAP_STATUS && l->cond == MC_IMAP_COND_NONE && l->text.len > 7 &&
	    mc_str_ieq_n(t, "STATUS ", 7)) {
		if (mc_imap_status_parse(t, l->text.len, &m->res->messages, &m->res->has_messages,
		                         &m->res->unseen, &m->res->has_unseen) != MC_OK)
			return MC_E_PROTOCOL;
		m->res->have_status = true;
	} else if (m->state == IMAP_QUOTA && l->cond == MC_IMAP_COND_NONE && l->text.len > 6 &&
	           mc_str_ieq_n(t, "QUOTA ", 6) && !m->res->have_quota) {
		bool storage = false;
		if (mc_imap_quota_parse(t, l->text.len, &m->res->quota_used, &m->res->quota_limit,
		                        &storage) != MC_OK)
			return MC_E_PROTOCOL;
		m->res->have_quota = storage && m->res->quota_limit > 0;
	}
	return MC_OK;
}

/* The first line: OK, PREAUTH or BYE (RFC 3501 section 7.1). */
static void greeting_reply(mc_imap_t *m)
{
	const mc_imap_line_t *l = &m->line;
	const char *caps = mc_imap_line_caps(l);
	char text[300];

	text_of(l, text, sizeof(text));
	if (l->kind != MC_IMAP_UNTAGGED ||
	    (l->cond != MC_IMAP_COND_OK && l->cond != MC_IMAP_COND_PREAUTH &&
	     l->cond != MC_IMAP_COND_BYE)) {
		mc_session_finish(&m->s, MC_E_PROTOCOL,
		                  "protocol error in greeting: not a greeting");
		return;
	}
	snprintf(m->res->greeting, sizeof(m->res->greeting), "%s %.240s",
	         l->cond == MC_IMAP_COND_OK    ? "OK"
	         : l->cond == MC_IMAP_COND_BYE ? "BYE"
	                                       : "PREAUTH",
	         text);
	if (l->cond == MC_IMAP_COND_BYE) {
		mc_session_finish(&m->s, MC_E_REFUSED, "greeting: BYE %s", text);
		return;
	}
	if (l->cond == MC_IMAP_COND_PREAUTH) {
		m->res->preauth = true;
		/* RFC 3501 section 6.2.1: STARTTLS only before authentication. */
		if (!m->res->base.tls_done) {
			mc_session_finish(&m->s, MC_E_REFUSED,
			                  "PREAUTH greeting before TLS: STARTTLS is impossible");
			return;
		}
	}
	if (caps) {
		set_caps(m, caps);
		with_caps(m);
	} else {
		command(m, IMAP_CAPABILITY, "CAPABILITY", false);
	}
}

/* A "+" line: only AUTHENTICATE PLAIN without SASL-IR asks for one. */
static void continuation(mc_imap_t *m)
{
	char b64[800];

	if (m->state != IMAP_LOGIN) {
		mc_session_finish(&m->s, MC_E_PROTOCOL,
		                  "protocol error in %s: unexpected continuation",
		                  mc_session_phase_name(&m->s));
		return;
	}
	if (mc_sasl_plain(NULL, m->p.user, m->p.password, b64, sizeof(b64)) != MC_OK ||
	    mc_dialog_send(&m->s.dlg, b64, true) != MC_OK) {
		OPENSSL_cleanse(b64, sizeof(b64));
		mc_session_finish(&m->s, MC_E_IO, "cannot send the login");
		return;
	}
	OPENSSL_cleanse(b64, sizeof(b64));
	mc_session_expect(&m->s);
}

/* A line arrived: the greeting, or a line of the command in flight. */
static void on_reply(mc_session_t *s)
{
	mc_imap_t *m = s->proto;
	const mc_imap_line_t *l = &m->line;
	const char *phase = mc_session_phase_name(s);
	const char *caps;
	char text[300];

	if (m->state == IMAP_GREETING) {
		greeting_reply(m);
		return;
	}
	if (l->kind == MC_IMAP_CONTINUATION) {
		continuation(m);
		return;
	}
	if (l->kind == MC_IMAP_UNTAGGED) {
		/* RFC 3501 section 7.1.5: BYE means the server is closing. */
		if (l->cond == MC_IMAP_COND_BYE && m->state != IMAP_LOGOUT) {
			text_of(l, text, sizeof(text));
			mc_session_finish(s, MC_E_CLOSED, "the server said BYE in %s: %s", phase,
			                  text);
			return;
		}
		if (untagged(m) != MC_OK) {
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
	caps = mc_imap_line_caps(l);
	if (caps)
		set_caps(m, caps);
	completed(m);
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
