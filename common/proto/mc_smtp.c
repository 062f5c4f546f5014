#include "mc_smtp.h"

#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "proto/mc_sasl.h"
#include "proto/mc_smtp_reply.h"
#include "util/mc_str.h"

typedef struct mc_smtp mc_smtp_t;

/* The dialogue's states, in the order a full session meets them; a reply
 * is handled by its state's handler (on_reply). */
typedef enum smtp_state {
	SMTP_BANNER,     /* the 220 greeting (RFC 5321 section 4.3.1) */
	SMTP_EHLO,       /* EHLO/LHLO before TLS */
	SMTP_STARTTLS,   /* STARTTLS (RFC 3207) */
	SMTP_EHLO_TLS,   /* EHLO/LHLO after TLS */
	SMTP_AUTH,       /* AUTH and its exchange (RFC 4954) */
	SMTP_COMMAND,    /* the user's commands */
	SMTP_RELAY_MAIL, /* the relay test: MAIL FROM */
	SMTP_RELAY_RCPT, /* ... RCPT TO */
	SMTP_RELAY_RSET, /* ... RSET */
	SMTP_QUIT
} smtp_state_t;
#define SMTP_NSTATES (SMTP_QUIT + 1)

/* Each state's phase: the names are in messages ("timeout after 10s in
 * banner phase") and the labels in perfdata; both are output and stay. */
static const mc_phase_t smtp_phases[SMTP_NSTATES] = {
    [SMTP_BANNER] = {MC_PHASE_GREETING, "banner", "time_banner"},
    [SMTP_EHLO] = {MC_PHASE_HELLO, "ehlo", "time_ehlo"},
    [SMTP_STARTTLS] = {MC_PHASE_STARTTLS, "starttls", "time_starttls"},
    [SMTP_EHLO_TLS] = {MC_PHASE_HELLO, "ehlo after tls", "time_ehlo_tls"},
    [SMTP_AUTH] = {MC_PHASE_LOGIN, "auth", "time_auth"},
    [SMTP_COMMAND] = {MC_PHASE_COMMAND, "command", NULL},
    [SMTP_RELAY_MAIL] = {MC_PHASE_COMMAND, "relay mail", NULL},
    [SMTP_RELAY_RCPT] = {MC_PHASE_COMMAND, "relay rcpt", NULL},
    [SMTP_RELAY_RSET] = {MC_PHASE_COMMAND, "relay rset", NULL},
    [SMTP_QUIT] = {MC_PHASE_CLOSING, "quit", NULL},
};

struct mc_smtp {
	mc_session_t s;
	smtp_state_t state;
	mc_smtp_params_t p;
	mc_smtp_result_t *res;
	mc_smtp_reply_t reply;
	size_t cmd;
	mc_smtp_auth_t mech; /* the AUTH mechanism in use */
	unsigned step;       /* of the AUTH exchange */
	mc_sasl_scram_t scram;
	bool relay_started;
};

static const char *const auth_names[] = {"auto", "PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256"};

const char *mc_smtp_auth_name(mc_smtp_auth_t a)
{
	return (unsigned)a < sizeof(auth_names) / sizeof(auth_names[0]) ? auth_names[a] : "?";
}

mc_status_t mc_smtp_auth_parse(const char *name, mc_smtp_auth_t *a)
{
	size_t i;

	for (i = 1; i < sizeof(auth_names) / sizeof(auth_names[0]); i++)
		if (!strcasecmp(name, auth_names[i])) {
			*a = (mc_smtp_auth_t)i;
			return MC_OK;
		}
	return MC_E_USAGE;
}

/* Send a command in a new state. */
static void command(mc_smtp_t *m, smtp_state_t st, const char *line, bool secret)
{
	m->state = st;
	mc_session_command(&m->s, &smtp_phases[st], line, secret);
}

static void send_helo(mc_smtp_t *m, smtp_state_t st)
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
	command(m, st, line, false);
}

static void send_next_command(mc_smtp_t *m)
{
	char line[600];

	if (m->cmd < m->p.ncommands) {
		command(m, SMTP_COMMAND, m->p.commands[m->cmd], false);
	} else if (m->p.relay_rcpt && !m->relay_started) {
		m->relay_started = true;
		snprintf(line, sizeof(line), "MAIL FROM:<%s>", m->p.relay_from);
		command(m, SMTP_RELAY_MAIL, line, false);
	} else {
		command(m, SMTP_QUIT, "QUIT", false);
	}
}

/* Send the AUTH command or an exchange step: the base64 of in[0..len)
 * (RFC 4954 section 4), with prefix ("AUTH PLAIN ") or alone. */
static void auth_send(mc_smtp_t *m, const char *prefix, const char *in, size_t len, bool secret)
{
	char b64[1400], line[1500];
	bool first = prefix != NULL;

	if (mc_sasl_base64(in, len, b64, sizeof(b64)) != MC_OK) {
		mc_session_finish(&m->s, MC_E_INTERNAL, "AUTH %s: response too long",
		                  mc_smtp_auth_name(m->mech));
		return;
	}
	snprintf(line, sizeof(line), "%s%s", first ? prefix : "", b64);
	OPENSSL_cleanse(b64, sizeof(b64));
	if (first)
		command(m, SMTP_AUTH, line, secret);
	else
		mc_session_send(&m->s, line, secret);
	OPENSSL_cleanse(line, sizeof(line));
}

/* Start AUTH with the mechanism asked for, or the strongest offered. */
static void auth_start(mc_smtp_t *m)
{
	static const mc_smtp_auth_t pref[] = {MC_SMTP_AUTH_SCRAM_SHA_256, MC_SMTP_AUTH_CRAM_MD5,
	                                      MC_SMTP_AUTH_PLAIN, MC_SMTP_AUTH_LOGIN};
	const char *mechs = m->res->auth_mechs;
	char first[600], line[700];
	size_t i;

	if (!mechs[0]) {
		mc_session_finish(&m->s, MC_E_REFUSED, "AUTH not offered after TLS");
		return;
	}
	m->mech = m->p.auth;
	for (i = 0; m->mech == MC_SMTP_AUTH_AUTO && i < sizeof(pref) / sizeof(pref[0]); i++)
		if (mc_str_word_in(mechs, mc_smtp_auth_name(pref[i])))
			m->mech = pref[i];
	if (m->mech == MC_SMTP_AUTH_AUTO || !mc_str_word_in(mechs, mc_smtp_auth_name(m->mech))) {
		mc_session_finish(&m->s, MC_E_REFUSED, "AUTH %s not offered (the server offers %s)",
		                  m->mech == MC_SMTP_AUTH_AUTO ? "with a known mechanism"
		                                               : mc_smtp_auth_name(m->mech),
		                  mechs);
		return;
	}
	m->res->auth_used = m->mech;
	m->step = 0;
	switch (m->mech) {
	case MC_SMTP_AUTH_PLAIN:
		/* RFC 4954 section 4: the initial response with the command. */
		if (mc_sasl_plain(NULL, m->p.user, m->p.password, first, sizeof(first)) != MC_OK) {
			mc_session_finish(&m->s, MC_E_INTERNAL, "AUTH PLAIN: credentials too long");
			return;
		}
		snprintf(line, sizeof(line), "AUTH PLAIN %s", first);
		command(m, SMTP_AUTH, line, true);
		OPENSSL_cleanse(first, sizeof(first));
		OPENSSL_cleanse(line, sizeof(line));
		return;
	case MC_SMTP_AUTH_SCRAM_SHA_256:
		if (mc_sasl_scram_start(&m->scram, m->p.user, NULL, first, sizeof(first)) !=
		    MC_OK) {
			mc_session_finish(&m->s, MC_E_INTERNAL, "AUTH SCRAM-SHA-256: cannot start");
			return;
		}
		auth_send(m, "AUTH SCRAM-SHA-256 ", first, strlen(first), false);
		return;
	default:
		snprintf(line, sizeof(line), "AUTH %s", mc_smtp_auth_name(m->mech));
		command(m, SMTP_AUTH, line, false);
		return;
	}
}

/* A 334 challenge: the next step of the exchange. */
static void auth_step(mc_smtp_t *m, const char *first)
{
	const char *b64 = first + 4; /* "334 " */
	char chal[1100], out[1100], err[300];
	size_t clen = 0;
	mc_status_t st = MC_OK;

	if (strlen(first) < 4 || mc_sasl_unbase64(b64, chal, sizeof(chal), &clen) != MC_OK) {
		mc_session_finish(&m->s, MC_E_PROTOCOL,
		                  "protocol error in auth: challenge is not base64: %s", first);
		return;
	}
	m->step++;
	err[0] = '\0';
	switch (m->mech) {
	case MC_SMTP_AUTH_LOGIN:
		/* RFC draft-murchison-sasl-login: user name, then password. */
		if (m->step == 1)
			auth_send(m, NULL, m->p.user, strlen(m->p.user), false);
		else if (m->step == 2)
			auth_send(m, NULL, m->p.password, strlen(m->p.password), true);
		else
			st = MC_E_PROTOCOL;
		break;
	case MC_SMTP_AUTH_CRAM_MD5:
		if (m->step != 1 ||
		    mc_sasl_cram_md5(m->p.user, m->p.password, (const unsigned char *)chal, clen,
		                     out, sizeof(out)) != MC_OK)
			st = MC_E_PROTOCOL;
		else
			mc_session_send(&m->s, out, true); /* already base64 */
		break;
	case MC_SMTP_AUTH_SCRAM_SHA_256:
		if (m->step == 1) {
			st = mc_sasl_scram_final(&m->scram, m->p.password, chal, clen, out,
			                         sizeof(out), err, sizeof(err));
			if (st == MC_OK)
				auth_send(m, NULL, out, strlen(out), true);
		} else if (m->step == 2) {
			/* RFC 5802 section 5: the server proves it knows the
			 * password too; an impostor cannot. */
			st = mc_sasl_scram_verify(&m->scram, chal, clen, err, sizeof(err));
			if (st == MC_OK) {
				m->step = 3;
				mc_session_send(&m->s, "", false);
			}
		} else {
			st = MC_E_PROTOCOL;
		}
		break;
	default: st = MC_E_PROTOCOL; break;
	}
	OPENSSL_cleanse(chal, sizeof(chal));
	OPENSSL_cleanse(out, sizeof(out));
	if (st != MC_OK)
		mc_session_finish(&m->s, st == MC_E_REFUSED ? MC_E_REFUSED : MC_E_PROTOCOL,
		                  "AUTH %s failed: %s", mc_smtp_auth_name(m->mech),
		                  err[0] ? err : "unexpected challenge");
}

static void auth_reply(mc_smtp_t *m, const char *first)
{
	if (m->reply.code == 334) {
		auth_step(m, first);
		return;
	}
	if (m->reply.code != 235) {
		mc_session_finish(&m->s, MC_E_REFUSED, "login failed: AUTH %s rejected: %s",
		                  mc_smtp_auth_name(m->mech), first);
		return;
	}
	if (m->mech == MC_SMTP_AUTH_SCRAM_SHA_256 && m->step != 3) {
		mc_session_finish(&m->s, MC_E_PROTOCOL,
		                  "AUTH SCRAM-SHA-256: success without the server's proof: %s",
		                  first);
		return;
	}
	m->res->logged_in = true;
	send_next_command(m);
}

static void relay_mail_reply(mc_smtp_t *m, const char *first)
{
	char line[600];

	if (m->reply.code / 100 != 2) {
		mc_strlcpy(m->res->relay_reply, first, sizeof(m->res->relay_reply));
		command(m, SMTP_RELAY_RSET, "RSET", false);
		return;
	}
	snprintf(line, sizeof(line), "RCPT TO:<%s>", m->p.relay_rcpt);
	command(m, SMTP_RELAY_RCPT, line, false);
}

static void relay_rcpt_reply(mc_smtp_t *m, const char *first)
{
	m->res->relay_tested = true;
	m->res->relay_accepted = m->reply.code / 100 == 2;
	mc_strlcpy(m->res->relay_reply, first, sizeof(m->res->relay_reply));
	command(m, SMTP_RELAY_RSET, "RSET", false);
}

static void on_connected(mc_session_t *s)
{
	mc_smtp_t *m = s->proto;

	/* Plain: the banner comes first; implicit TLS: after the handshake. */
	m->state = SMTP_BANNER;
	mc_session_phase(s, &smtp_phases[SMTP_BANNER]);
	mc_session_expect(s);
}

static void on_tls_ready(mc_session_t *s)
{
	/* RFC 3207 section 4.2: forget what was learnt before TLS; ask again. */
	send_helo(s->proto, SMTP_EHLO_TLS);
}

/* What the EHLO after TLS says about AUTH and SIZE (RFC 1870). */
static void ehlo_facts(mc_smtp_t *m)
{
	char size[64];
	long v;

	mc_smtp_ehlo_has(&m->reply, "AUTH", m->res->auth_mechs, sizeof(m->res->auth_mechs));
	if (mc_smtp_ehlo_has(&m->reply, "SIZE", size, sizeof(size)))
		m->res->size_limit = mc_parse_long(size, 0, 0x7fffffffL, &v) == MC_OK ? v : 0;
}

static const char *hello_word(const mc_smtp_t *m)
{
	return m->p.lmtp ? "LHLO" : "EHLO";
}

static void banner_reply(mc_smtp_t *m, const char *first)
{
	mc_strlcpy(m->res->banner, first, sizeof(m->res->banner));
	if (m->reply.code != 220) {
		mc_session_finish(&m->s, MC_E_REFUSED, "banner refused: %s", first);
		return;
	}
	if (m->p.expect && !strstr(first, m->p.expect)) {
		mc_session_finish(&m->s, MC_E_REFUSED, "banner does not contain '%s': %s",
		                  m->p.expect, first);
		return;
	}
	if (m->p.banner_only)
		command(m, SMTP_QUIT, "QUIT", false);
	else if (m->res->base.tls_done)
		send_helo(m, SMTP_EHLO_TLS);
	else
		send_helo(m, SMTP_EHLO);
}

static void ehlo_reply(mc_smtp_t *m, const char *first)
{
	if (m->reply.code != 250) {
		mc_session_finish(&m->s, MC_E_REFUSED, "%s refused: %s", hello_word(m), first);
		return;
	}
	mc_smtp_ehlo_keywords(&m->reply, m->res->caps_before, sizeof(m->res->caps_before));
	m->res->auth_before_tls = mc_smtp_ehlo_has(&m->reply, "AUTH", NULL, 0);
	/* RFC 3207 section 4: never fall back to plaintext. */
	if (!mc_smtp_ehlo_has(&m->reply, "STARTTLS", NULL, 0)) {
		mc_session_finish(&m->s, MC_E_REFUSED, "STARTTLS not offered in the %s reply",
		                  hello_word(m));
		return;
	}
	command(m, SMTP_STARTTLS, "STARTTLS", false);
}

static void starttls_reply(mc_smtp_t *m, const char *first)
{
	mc_strlcpy(m->res->starttls_reply, first, sizeof(m->res->starttls_reply));
	if (m->reply.code != 220) {
		mc_session_finish(&m->s, MC_E_REFUSED, "STARTTLS refused: %s", first);
		return;
	}
	mc_session_starttls(&m->s, "STARTTLS");
}

static void ehlo_tls_reply(mc_smtp_t *m, const char *first)
{
	if (m->reply.code != 250) {
		mc_session_finish(&m->s, MC_E_REFUSED, "%s after TLS refused: %s", hello_word(m),
		                  first);
		return;
	}
	mc_smtp_ehlo_keywords(&m->reply, m->res->caps_after, sizeof(m->res->caps_after));
	ehlo_facts(m);
	if (m->p.user)
		auth_start(m);
	else
		send_next_command(m);
}

static void command_reply(mc_smtp_t *m, const char *first)
{
	const char *want = m->p.responses ? m->p.responses[m->cmd] : NULL;
	const char *cmd = m->p.commands[m->cmd];

	mc_strlcpy(m->res->last_reply, first, sizeof(m->res->last_reply));
	if (want && strncmp(first, want, strlen(want)) != 0) {
		mc_session_finish(&m->s, MC_E_REFUSED, "%s: expected '%s', got '%s'", cmd, want,
		                  first);
		return;
	}
	if (!want && m->reply.code >= 400) {
		mc_session_finish(&m->s, MC_E_REFUSED, "%s refused: %s", cmd, first);
		return;
	}
	m->res->commands_ok++;
	m->cmd++;
	send_next_command(m);
}

/* A reply arrived: the handler of the state that waited for it. */
static void on_reply(mc_session_t *s)
{
	mc_smtp_t *m = s->proto;
	char first[256];

	mc_smtp_reply_first(&m->reply, first, sizeof(first));
	switch (m->state) {
	case SMTP_BANNER: banner_reply(m, first); break;
	case SMTP_EHLO: ehlo_reply(m, first); break;
	case SMTP_STARTTLS: starttls_reply(m, first); break;
	case SMTP_EHLO_TLS: ehlo_tls_reply(m, first); break;
	case SMTP_AUTH: auth_reply(m, first); break;
	case SMTP_COMMAND: command_reply(m, first); break;
	case SMTP_RELAY_MAIL: relay_mail_reply(m, first); break;
	case SMTP_RELAY_RCPT: relay_rcpt_reply(m, first); break;
	case SMTP_RELAY_RSET:
		/* RSET, whatever it says: the transaction is over. */
		command(m, SMTP_QUIT, "QUIT", false);
		break;
	case SMTP_QUIT:
		/* The reply, whatever it says, ends the dialogue. */
		mc_session_finish(s, MC_OK, " ");
		break;
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
	mc_sasl_scram_clear(&m->scram);
	free(m);
}

static const mc_session_ops_t smtp_ops = {.connected = on_connected,
                                          .tls_ready = on_tls_ready,
                                          .reply = on_reply,
                                          .parse = parse_reply,
                                          .release = release};

mc_session_t *mc_smtp_start(const mc_smtp_params_t *p, mc_smtp_result_t *res,
                            void (*done)(void *arg), void *arg)
{
	mc_smtp_t *m = calloc(1, sizeof(*m));
	mc_session_params_t sp;

	if (!m)
		return NULL;
	memset(res, 0, sizeof(*res));
	res->size_limit = -1;
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
