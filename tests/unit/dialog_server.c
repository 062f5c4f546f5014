/* dialog_server.c - the scripted server of the dialogue tests (see
 * dialog_server.h). Everything is non-blocking on the loop under test;
 * a failure of the script is recorded in srv->why, never fatal: a fault
 * case expects the client to leave early. */
#include "dialog_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "util/mc_clock.h"

static void on_io(mc_loop_t *loop, int fd, short revents, void *arg);

static void stop(ds_server_t *srv, const char *why)
{
	if (why && !srv->why[0])
		snprintf(srv->why, sizeof(srv->why), "step %zu: %s", srv->at, why);
	if (srv->fd >= 0) {
		mc_loop_unwatch(srv->loop, srv->fd);
		SSL_free(srv->ssl);
		srv->ssl = NULL;
		close(srv->fd);
		srv->fd = -1;
	}
}

/* Read what is there: > 0 bytes added, 0 the client closed, -1 wait. */
static int fill(ds_server_t *srv)
{
	size_t room = sizeof(srv->in) - srv->inlen;
	int added = 0;

	while (room) {
		ssize_t n;
		if (srv->ssl) {
			int r = SSL_read(srv->ssl, srv->in + srv->inlen, (int)room);
			if (r <= 0) {
				int e = SSL_get_error(srv->ssl, r);
				ERR_clear_error();
				if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
					return added ? added : -1;
				return added ? added : 0;
			}
			n = r;
		} else {
			n = recv(srv->fd, srv->in + srv->inlen, room, 0);
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				return added ? added : -1;
			if (n <= 0)
				return added ? added : 0;
		}
		srv->inlen += (size_t)n;
		room -= (size_t)n;
		added += (int)n;
	}
	return added;
}

/* The next line of the client (CRLF cut), recorded; false: none yet. */
static bool get_line(ds_server_t *srv, char *line, size_t linesz, bool *closed)
{
	char *nl;

	*closed = false;
	while (!(nl = memchr(srv->in, '\n', srv->inlen))) {
		int r = fill(srv);
		if (r == 0) {
			*closed = true;
			return false;
		}
		if (r < 0)
			return false;
	}
	{
		size_t ll = (size_t)(nl - srv->in) + 1, keep = ll;
		while (keep && (srv->in[keep - 1] == '\n' || srv->in[keep - 1] == '\r'))
			keep--;
		if (keep >= linesz)
			keep = linesz - 1;
		memcpy(line, srv->in, keep);
		line[keep] = '\0';
		if (srv->nlines < DS_LINES_MAX) {
			size_t k = keep < sizeof(srv->lines[0]) ? keep : sizeof(srv->lines[0]) - 1;
			memcpy(srv->lines[srv->nlines], line, k);
			srv->lines[srv->nlines++][k] = '\0';
		}
		memmove(srv->in, srv->in + ll, srv->inlen - ll);
		srv->inlen -= ll;
	}
	return true;
}

static void queue(ds_server_t *srv, const char *p, size_t n)
{
	char *o = realloc(srv->out, srv->outlen + n + 1);

	assert_non_null(o);
	srv->out = o;
	memcpy(srv->out + srv->outlen, p, n);
	srv->outlen += n;
}

/* Send what is queued: true when all of it went. */
static bool flush(ds_server_t *srv, bool *failed)
{
	*failed = false;
	while (srv->outoff < srv->outlen) {
		size_t n = srv->outlen - srv->outoff;
		ssize_t w;
		if (srv->ssl) {
			int r = SSL_write(srv->ssl, srv->out + srv->outoff, (int)n);
			if (r <= 0) {
				int e = SSL_get_error(srv->ssl, r);
				ERR_clear_error();
				if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ)
					return false;
				*failed = true;
				return false;
			}
			w = r;
		} else {
			w = send(srv->fd, srv->out + srv->outoff, n, MSG_NOSIGNAL);
			if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				return false;
			if (w <= 0) {
				*failed = true;
				return false;
			}
		}
		srv->outoff += (size_t)w;
	}
	srv->outoff = srv->outlen = 0;
	return true;
}

static void watch(ds_server_t *srv, short events)
{
	assert_int_equal(mc_loop_watch(srv->loop, srv->fd, events, on_io, srv), MC_OK);
}

/* Play steps as far as the socket allows. */
static void advance(ds_server_t *srv)
{
	char line[2048], out[4096];
	bool failed, closed;

	while (srv->fd >= 0) {
		const ds_step_t *st;
		if (!flush(srv, &failed)) {
			if (failed) {
				srv->client_closed = true;
				stop(srv, "cannot send");
				return;
			}
			watch(srv, POLLOUT);
			return;
		}
		if (srv->at == srv->nsteps) {
			/* The script is over: wait for the client to leave. */
			int r;
			srv->inlen = 0;
			while ((r = fill(srv)) > 0)
				srv->inlen = 0;
			if (r == 0) {
				srv->client_closed = true;
				stop(srv, NULL);
				return;
			}
			watch(srv, POLLIN);
			return;
		}
		st = &srv->steps[srv->at];
		switch (st->op) {
		case DS_SEND: queue(srv, st->text, strlen(st->text)); break;
		case DS_EXPECT:
		case DS_REPLY:
			if (!get_line(srv, line, sizeof(line), &closed)) {
				if (closed) {
					srv->client_closed = true;
					stop(srv, "the client closed");
					return;
				}
				watch(srv, POLLIN);
				return;
			}
			if (st->op == DS_EXPECT && st->text &&
			    strncmp(line, st->text, strlen(st->text)) != 0) {
				char why[300];
				snprintf(why, sizeof(why), "expected '%s', got '%.200s'", st->text,
				         line);
				stop(srv, why);
				return;
			}
			if (st->op == DS_REPLY) {
				out[0] = '\0';
				st->fn(srv, line, out, sizeof(out));
				queue(srv, out, strlen(out));
			}
			break;
		case DS_TLS: {
			int r, e;
			if (!srv->ssl) {
				srv->ssl = SSL_new(srv->sctx);
				assert_non_null(srv->ssl);
				assert_int_equal(SSL_set_fd(srv->ssl, srv->fd), 1);
			}
			r = SSL_accept(srv->ssl);
			if (r != 1) {
				e = SSL_get_error(srv->ssl, r);
				ERR_clear_error();
				if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
					watch(srv, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT);
					return;
				}
				srv->client_closed = true;
				stop(srv, "TLS handshake failed");
				return;
			}
			srv->handshaken = true;
			break;
		}
		case DS_CLOSE:
			srv->at++;
			stop(srv, NULL);
			return;
		case DS_RESET: {
			struct linger lg = {1, 0};
			setsockopt(srv->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			srv->at++;
			stop(srv, NULL);
			return;
		}
		case DS_SILENT:
			srv->at++;
			mc_loop_unwatch(srv->loop, srv->fd);
			return;
		}
		srv->at++;
	}
}

static void on_io(mc_loop_t *loop, int fd, short revents, void *arg)
{
	ds_server_t *srv = arg;

	(void)loop;
	(void)revents;
	if (fd == srv->lfd) {
		srv->fd = accept(srv->lfd, NULL, NULL);
		assert_true(srv->fd >= 0);
		assert_int_equal(fcntl(srv->fd, F_SETFL, O_NONBLOCK), 0);
		mc_loop_unwatch(srv->loop, srv->lfd);
		close(srv->lfd);
		srv->lfd = -1;
	}
	advance(srv);
}

void ds_start(ds_server_t *srv, mc_loop_t *loop, SSL_CTX *sctx, const ds_step_t *steps,
              size_t nsteps)
{
	struct sockaddr_in sin;

	memset(srv, 0, sizeof(*srv));
	srv->loop = loop;
	srv->sctx = sctx;
	srv->steps = steps;
	srv->nsteps = nsteps;
	srv->fd = -1;
	srv->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(srv->lfd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(srv->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(srv->lfd, 1), 0);
	assert_int_equal(mc_loop_watch(loop, srv->lfd, POLLIN, on_io, srv), MC_OK);
}

void ds_addr(const ds_server_t *srv, mc_addr_t *out)
{
	memset(out, 0, sizeof(*out));
	out->len = sizeof(out->ss);
	assert_int_equal(getsockname(srv->lfd, (struct sockaddr *)&out->ss, &out->len), 0);
}

bool ds_done(const ds_server_t *srv)
{
	return srv->at == srv->nsteps && !srv->why[0];
}

void ds_free(ds_server_t *srv)
{
	if (srv->lfd >= 0) {
		mc_loop_unwatch(srv->loop, srv->lfd);
		close(srv->lfd);
		srv->lfd = -1;
	}
	stop(srv, NULL);
	free(srv->out);
	srv->out = NULL;
}

unsigned ds_closed_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	/* Bound, never listening: a connect is refused, and the port stays
	 * ours (nobody else can listen there) until the socket is closed. It
	 * is closed here: the window is the test's own. */
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

/* ---- the PKI ---- */

static EVP_PKEY *new_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	assert_non_null(k);
	return k;
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(e);
	assert_true(X509_add_ext(x, e, -1));
	X509_EXTENSION_free(e);
}

/* Valid from a day ago for 30 days. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, long serial, X509 *issuer,
                       EVP_PKEY *issuer_key)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	time_t now = time(NULL);

	assert_non_null(x);
	assert_non_null(name);
	assert_true(X509_set_version(x, X509_VERSION_3));
	assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), serial));
	assert_true(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn,
	                                       -1, -1, 0));
	assert_true(X509_set_subject_name(x, name));
	assert_true(X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name));
	X509_NAME_free(name);
	assert_non_null(X509_time_adj_ex(X509_getm_notBefore(x), -1, 0, &now));
	assert_non_null(X509_time_adj_ex(X509_getm_notAfter(x), 30, 0, &now));
	assert_true(X509_set_pubkey(x, key));
	if (!issuer) {
		add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
	} else {
		add_ext(x, issuer, NID_basic_constraints, "critical,CA:FALSE");
		add_ext(x, issuer, NID_key_usage, "critical,digitalSignature");
		add_ext(x, issuer, NID_ext_key_usage, "serverAuth");
		add_ext(x, issuer, NID_subject_alt_name, "DNS:mail.test");
	}
	assert_true(X509_sign(x, issuer_key, EVP_sha256()) > 0);
	return x;
}

void ds_pki_setup(ds_pki_t *pki)
{
	mc_tls_ctx_params_t cp;
	char err[256];
	FILE *f;
	int fd;

	memset(pki, 0, sizeof(*pki));
	pki->root_key = new_key();
	pki->leaf_key = new_key();
	pki->root =
	    make_cert("mailcheck dialogue test root", pki->root_key, 1, NULL, pki->root_key);
	pki->leaf = make_cert("mail.test", pki->leaf_key, 2, pki->root, pki->root_key);
	snprintf(pki->ca_path, sizeof(pki->ca_path), "/tmp/mc-dialog-ca-XXXXXX");
	fd = mkstemp(pki->ca_path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_true(PEM_write_X509(f, pki->root));
	assert_int_equal(fclose(f), 0);

	pki->sctx = SSL_CTX_new(TLS_server_method());
	assert_non_null(pki->sctx);
	assert_int_equal(SSL_CTX_use_certificate(pki->sctx, pki->leaf), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(pki->sctx, pki->leaf_key), 1);

	memset(&cp, 0, sizeof(cp));
	cp.ca_file = pki->ca_path;
	assert_int_equal(mc_tls_ctx_new(&cp, &pki->tls, err, sizeof(err)), MC_OK);
}

void ds_pki_teardown(ds_pki_t *pki)
{
	mc_tls_ctx_free(pki->tls);
	SSL_CTX_free(pki->sctx);
	X509_free(pki->leaf);
	X509_free(pki->root);
	EVP_PKEY_free(pki->leaf_key);
	EVP_PKEY_free(pki->root_key);
	unlink(pki->ca_path);
}

void ds_session_params(mc_session_params_t *sp, mc_loop_t *loop, const ds_pki_t *pki,
                       const ds_server_t *srv, mc_addr_t *addr)
{
	memset(sp, 0, sizeof(*sp));
	ds_addr(srv, addr);
	sp->loop = loop;
	sp->tls = pki ? pki->tls : NULL;
	sp->tlsp.sni = "mail.test";
	sp->tlsp.cert_name = "mail.test";
	sp->tlsp.verify = MC_TLS_VERIFY_FULL;
	sp->addrs = addr;
	sp->naddrs = 1;
}

void ds_client_done(void *arg)
{
	ds_client_t *c = arg;

	c->s = NULL;
	mc_loop_break(c->loop);
}

void ds_run(ds_client_t *c, ds_server_t *srv, int ms)
{
	mc_loop_set_deadline(c->loop, mc_clock_now_us() + (int64_t)ms * 1000);
	mc_loop_run(c->loop);
	if (c->s) {
		mc_session_abort(c->s, MC_E_TIMEOUT);
		c->s = NULL;
	}
	/* No client came (a refused connect): nothing more will. */
	if (srv->lfd >= 0) {
		mc_loop_unwatch(srv->loop, srv->lfd);
		close(srv->lfd);
		srv->lfd = -1;
	}
	if (srv->fd >= 0) {
		mc_loop_set_deadline(c->loop, mc_clock_now_us() + 1000000);
		mc_loop_run(c->loop);
	}
	mc_loop_set_deadline(c->loop, 0);
}

void ds_finish(ds_server_t *srv, mc_loop_t *loop, const ds_expect_t *e,
               const mc_session_result_t *res)
{
	if (e->script_done && !ds_done(srv))
		fail_msg("%s: the script stopped: %s", e->name, srv->why);
	ds_free(srv);
	mc_loop_free(loop);
	if (res->status != e->status)
		fail_msg("%s: status %s, wanted %s (%s)", e->name, mc_status_str(res->status),
		         mc_status_str(e->status), res->error);
	assert_int_equal(res->phase_id, e->phase_id);
	assert_string_equal(res->phase, e->phase);
	if (e->error && !strstr(res->error, e->error))
		fail_msg("%s: error '%s', wanted '%s'", e->name, res->error, e->error);
}
