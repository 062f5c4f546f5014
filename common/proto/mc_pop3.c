#include "mc_pop3.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/mc_pop3_reply.h"
#include "proto/mc_sasl.h"
#include "util/mc_str.h"

typedef struct mc_pop3 mc_pop3_t;

/* The dialogue's states, in the order a full session meets them; a reply
 * is handled by its state's handler (on_reply). */
typedef enum pop3_state {
	POP3_GREETING, /* RFC 1939 section 4 */
	POP3_CAPA,     /* CAPA before TLS (RFC 2449) */
	POP3_STLS,     /* RFC 2595 section 4 */
	POP3_CAPA_TLS, /* CAPA after TLS */
	POP3_USER,     /* USER, before PASS */
	POP3_LOGIN,    /* PASS or AUTH PLAIN (RFC 5034) */
	POP3_STAT,
	POP3_QUIT
} pop3_state_t;
#define POP3_NSTATES (POP3_QUIT + 1)

/* Each state's phase: names (in messages) and labels (in perfdata) are
 * output and stay. */
static const mc_phase_t pop3_phases[POP3_NSTATES] = {
    [POP3_GREETING] = {MC_PHASE_GREETING, "greeting", "time_banner"},
    [POP3_CAPA] = {MC_PHASE_HELLO, "capa", "time_capability"},
    [POP3_STLS] = {MC_PHASE_STARTTLS, "stls", "time_starttls"},
    [POP3_CAPA_TLS] = {MC_PHASE_HELLO, "capa after tls", "time_capability_tls"},
    [POP3_USER] = {MC_PHASE_LOGIN, "user", NULL},
    [POP3_LOGIN] = {MC_PHASE_LOGIN, "login", "time_login"},
    [POP3_STAT] = {MC_PHASE_COMMAND, "stat", "time_stat"},
    [POP3_QUIT] = {MC_PHASE_CLOSING, "quit", NULL},
};

struct mc_pop3 {
	mc_session_t s;
	pop3_state_t state;
	mc_pop3_params_t p;
	mc_pop3_result_t *res;
	mc_pop3_reply_t reply;
	bool multiline; /* the command in flight answers with lines */
};

/* Send a command in a new state. */
static void command(mc_pop3_t *m, pop3_state_t st, const char *line, bool multiline, bool secret)
{
	m->state = st;
	m->multiline = multiline;
	mc_session_command(&m->s, &pop3_phases[st], line, secret);
}

/* "USER SASL STLS ..." from a CAPA body: the first word of each line, and
 * for SASL its mechanisms ("SASL=PLAIN,LOGIN" reads better as one word). */
static void capa_words(const mc_pop3_reply_t *r, char *out, size_t outsz)
{
	const char *t = mc_buf_cstr(&r->body);
	size_t used = 0;

	out[0] = '\0';
	while (*t && used + 2 < outsz) {
		const char *nl = strchr(t, '\n');
		size_t ll = nl ? (size_t)(nl - t) : strlen(t);
		char word[128];
		mc_str_sanitize(word, sizeof(word), t, ll);
		used += (size_t)snprintf(out + used, outsz - used, "%s%s", used ? " " : "", word);
		if (used >= outsz)
			used = outsz - 1;
		t += ll + (nl ? 1 : 0);
	}
}

static bool sasl_plain(const mc_pop3_reply_t *r)
{
	char mechs[256];

	if (!mc_pop3_capa_has(r, "SASL", mechs, sizeof(mechs)))
		return false;
	/* Whole-word match within the mechanism list. */
	{
		const char *p = mechs;
		while ((p = strstr(p, "PLAIN")) != NULL) {
			bool start = p == mechs || p[-1] == ' ';
			bool end = p[5] == '\0' || p[5] == ' ';
			if (start && end)
				return true;
			p += 5;
		}
	}
	return false;
}

static void quit(mc_pop3_t *m)
{
	command(m, POP3_QUIT, "QUIT", false, false);
}

static void after_login(mc_pop3_t *m)
{
	command(m, POP3_STAT, "STAT", false, false);
}

static void login(mc_pop3_t *m)
{
	mc_pop3_auth_t a = m->p.auth;
	char line[1024];

	if (!m->p.user) {
		quit(m);
		return;
	}
	if (a == MC_POP3_AUTH_AUTO)
		a = sasl_plain(&m->reply) ? MC_POP3_AUTH_PLAIN : MC_POP3_AUTH_USER;
	if (a == MC_POP3_AUTH_PLAIN) {
		char b64[800];
		if (mc_sasl_plain(NULL, m->p.user, m->p.password, b64, sizeof(b64)) != MC_OK) {
			mc_session_finish(&m->s, MC_E_USAGE,
			                  "the user name or password is too long");
			return;
		}
		m->res->auth_used = "AUTH PLAIN";
		/* RFC 5034 section 4: the initial response on the AUTH line. */
		snprintf(line, sizeof(line), "AUTH PLAIN %s", b64);
		OPENSSL_cleanse(b64, sizeof(b64));
		command(m, POP3_LOGIN, line, false, true);
	} else {
		if (strpbrk(m->p.user, " \r\n") || strpbrk(m->p.password, "\r\n")) {
			mc_session_finish(
			    &m->s, MC_E_USAGE,
			    "the user name or password cannot be sent with USER/PASS");
			return;
		}
		m->res->auth_used = "USER/PASS";
		snprintf(line, sizeof(line), "USER %s", m->p.user);
		command(m, POP3_USER, line, false, false);
	}
	OPENSSL_cleanse(line, sizeof(line));
}

static void on_connected(mc_session_t *s)
{
	mc_pop3_t *m = s->proto;

	m->state = POP3_GREETING;
	m->multiline = false;
	mc_session_phase(s, &pop3_phases[POP3_GREETING]);
	mc_session_expect(s);
}

static void on_tls_ready(mc_session_t *s)
{
	/* RFC 2595 section 4: capabilities may change after STLS; ask again. */
	command(s->proto, POP3_CAPA_TLS, "CAPA", true, false);
}

static void greeting_reply(mc_pop3_t *m, const char *text)
{
	const mc_pop3_reply_t *r = &m->reply;

	snprintf(m->res->greeting, sizeof(m->res->greeting), "%s %.240s", r->ok ? "+OK" : "-ERR",
	         text);
	if (!r->ok) {
		mc_session_finish(&m->s, MC_E_REFUSED, "greeting: -ERR %s", text);
		return;
	}
	command(m, POP3_CAPA, "CAPA", true, false);
}

/* CAPA before or after TLS. */
static void capa_reply(mc_pop3_t *m)
{
	const mc_pop3_reply_t *r = &m->reply;

	/* CAPA is optional (RFC 2449): -ERR means no capabilities known. */
	if (r->ok)
		capa_words(r, m->res->caps, sizeof(m->res->caps));
	else
		m->res->caps[0] = '\0';
	if (m->res->base.tls_done) {
		login(m);
		return;
	}
	mc_strlcpy(m->res->caps_before, m->res->caps, sizeof(m->res->caps_before));
	m->res->plain_login_before =
	    r->ok && (mc_pop3_capa_has(r, "USER", NULL, 0) || sasl_plain(r));
	/* RFC 2595 section 4: never fall back to plaintext. */
	if (!r->ok || !mc_pop3_capa_has(r, "STLS", NULL, 0)) {
		mc_session_finish(&m->s, MC_E_REFUSED, "STLS not offered in the CAPA reply");
		return;
	}
	command(m, POP3_STLS, "STLS", false, false);
}

static void stls_reply(mc_pop3_t *m, const char *text)
{
	if (!m->reply.ok) {
		mc_session_finish(&m->s, MC_E_REFUSED, "STLS refused: -ERR %s", text);
		return;
	}
	mc_session_starttls(&m->s, "STLS");
}

static void user_reply(mc_pop3_t *m, const char *text)
{
	char line[300];

	if (!m->reply.ok) {
		mc_session_finish(&m->s, MC_E_REFUSED, "login failed: USER: -ERR %s", text);
		return;
	}
	snprintf(line, sizeof(line), "PASS %s", m->p.password);
	command(m, POP3_LOGIN, line, false, true);
	OPENSSL_cleanse(line, sizeof(line));
}

static void login_reply(mc_pop3_t *m, const char *text)
{
	if (m->reply.continuation) {
		mc_session_finish(
		    &m->s, MC_E_PROTOCOL,
		    "protocol error in login: a challenge after the initial response");
		return;
	}
	if (!m->reply.ok) {
		mc_session_finish(&m->s, MC_E_REFUSED, "login failed: -ERR %s", text);
		return;
	}
	m->res->logged_in = true;
	after_login(m);
}

static void stat_reply(mc_pop3_t *m, const char *text)
{
	if (!m->reply.ok) {
		mc_session_finish(&m->s, MC_E_REFUSED, "STAT refused: -ERR %s", text);
		return;
	}
	if (mc_pop3_stat_parse(mc_buf_cstr(&m->reply.first), &m->res->messages, &m->res->octets) !=
	    MC_OK) {
		mc_session_finish(&m->s, MC_E_PROTOCOL,
		                  "protocol error in stat: malformed reply '%s'", text);
		return;
	}
	m->res->have_stat = true;
	quit(m);
}

/* A reply arrived: the handler of the state that waited for it. */
static void on_reply(mc_session_t *s)
{
	mc_pop3_t *m = s->proto;
	const mc_pop3_reply_t *r = &m->reply;
	char text[300];

	mc_str_sanitize(text, sizeof(text), mc_buf_cstr(&r->first), r->first.len);
	if (r->continuation && m->state != POP3_LOGIN) {
		mc_session_finish(s, MC_E_PROTOCOL, "protocol error in %s: unexpected continuation",
		                  mc_session_phase_name(s));
		return;
	}
	switch (m->state) {
	case POP3_GREETING: greeting_reply(m, text); break;
	case POP3_CAPA:
	case POP3_CAPA_TLS: capa_reply(m); break;
	case POP3_STLS: stls_reply(m, text); break;
	case POP3_USER: user_reply(m, text); break;
	case POP3_LOGIN: login_reply(m, text); break;
	case POP3_STAT: stat_reply(m, text); break;
	case POP3_QUIT: mc_session_finish(s, MC_OK, " "); break;
	}
}

static mc_status_t parse_reply(void *arg, const char *buf, size_t len, size_t *consumed, char *err,
                               size_t errsz)
{
	mc_pop3_t *m = arg;

	return mc_pop3_reply_parse(buf, len, m->multiline, &m->reply, consumed, err, errsz);
}

static void release(void *proto)
{
	mc_pop3_t *m = proto;

	mc_pop3_reply_free(&m->reply);
	free(m);
}

static const mc_session_ops_t pop3_ops = {.connected = on_connected,
                                          .tls_ready = on_tls_ready,
                                          .reply = on_reply,
                                          .parse = parse_reply,
                                          .release = release};

mc_session_t *mc_pop3_start(const mc_pop3_params_t *p, mc_pop3_result_t *res,
                            void (*done)(void *arg), void *arg)
{
	mc_pop3_t *m = calloc(1, sizeof(*m));
	mc_session_params_t sp;

	if (!m)
		return NULL;
	memset(res, 0, sizeof(*res));
	m->p = *p;
	m->res = res;
	mc_pop3_reply_init(&m->reply);
	sp = p->session;
	sp.rbuf_max = MC_POP3_REPLY_MAX + MC_POP3_LINE_MAX + 8;
	/* The machine is its own reply object: parsing needs m->multiline. */
	if (mc_session_start(&m->s, &sp, &pop3_ops, m, m, &res->base, done, arg) != MC_OK) {
		mc_pop3_reply_free(&m->reply);
		free(m);
		return NULL;
	}
	return &m->s;
}
