#include "mc_https.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One state: the request is sent and the whole response awaited. */
static const mc_phase_t phase_http = {MC_PHASE_COMMAND, "http", "time_http"};

typedef struct mc_https {
	mc_session_t s;
	mc_https_params_t p;
	mc_https_result_t *res;
	char request[768];
} mc_https_t;

static mc_status_t parse_more(void *arg, const char *buf, size_t len, size_t *consumed, char *err,
                              size_t errsz)
{
	mc_https_t *h = arg;

	return mc_http_reply_parse(&h->res->reply, buf, len, false, consumed, err, errsz);
}

/* RFC 9112 section 6.3: without a length the body ends with the
 * connection. */
static mc_status_t parse_eof(void *arg, const char *buf, size_t len, size_t *consumed, char *err,
                             size_t errsz)
{
	mc_https_t *h = arg;

	return mc_http_reply_parse(&h->res->reply, buf, len, true, consumed, err, errsz);
}

static void on_connected(mc_session_t *s)
{
	mc_https_t *h = s->proto;

	/* The request line and headers go as one "line"; the dialogue adds
	 * the CRLF of the empty line that ends them. */
	mc_session_command(s, &phase_http, h->request, false);
}

static void on_tls_ready(mc_session_t *s)
{
	(void)s; /* implicit TLS only: on_connected comes after the handshake */
}

static void on_reply(mc_session_t *s)
{
	mc_session_finish(s, MC_OK, "%s", "");
}

static void release(void *proto)
{
	free(proto);
}

static const mc_session_ops_t https_ops = {.connected = on_connected,
                                           .tls_ready = on_tls_ready,
                                           .reply = on_reply,
                                           .parse = parse_more,
                                           .parse_eof = parse_eof,
                                           .release = release};

mc_session_t *mc_https_get(const mc_https_params_t *p, mc_https_result_t *res,
                           void (*done)(void *arg), void *arg)
{
	mc_https_t *h = calloc(1, sizeof(*h));
	mc_session_params_t sp;
	int n;

	if (!h)
		return NULL;
	memset(res, 0, sizeof(*res));
	mc_http_reply_init(&res->reply, p->body_max);
	h->p = *p;
	h->res = res;
	n = snprintf(h->request, sizeof(h->request),
	             "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: mailcheck-plugins\r\n"
	             "Accept: text/plain\r\nConnection: close\r\n",
	             p->path, p->host);
	if (n < 0 || (size_t)n >= sizeof(h->request)) {
		free(h);
		return NULL;
	}
	sp = p->session;
	sp.implicit_tls = true;
	/* Headers, chunk framing and the body, all kept until parsed. */
	sp.rbuf_max = p->body_max + 32 * 1024;
	if (mc_session_start(&h->s, &sp, &https_ops, h, h, &res->base, done, arg) != MC_OK) {
		free(h);
		return NULL;
	}
	return &h->s;
}

void mc_https_result_free(mc_https_result_t *res)
{
	mc_http_reply_free(&res->reply);
}
