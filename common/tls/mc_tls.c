#include "mc_tls.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "net/mc_net.h"
#include "tls/mc_cert.h"
#include "tls/mc_dane.h"
#include "tls/mc_ocsp.h"
#include "tls/mc_tls_name.h"
#include "util/mc_pool.h"
#include "util/mc_str.h"

struct mc_tls_ctx {
	SSL_CTX *ssl_ctx;
};

/* One handshake in progress, then the TLS transport of the stream. */
struct conn {
	SSL *ssl;
	mc_stream_t *s;
	mc_tls_info_t *info;
	mc_tls_done_cb cb;
	void *arg;
	int fd;
	bool fatal;             /* SSL_ERROR_SYSCALL/SSL seen: SSL_shutdown() is forbidden */
	mc_tls_params_t params; /* strings owned by the caller */
	/* First verification failure, recorded by the verify callback because
	 * SSL_get_verify_result() knows the code but not the certificate. */
	long first_error;
	int first_depth;
	char first_subject[256];
	time_t first_not_before, first_not_after;
};

static int conn_index = -1;

/* leaf_facts copies mc_cert_facts_t into mc_tls_info_t: nothing may be cut. */
#define SAME_SIZE(f) (sizeof(((mc_tls_info_t *)0)->f) == sizeof(((mc_cert_facts_t *)0)->f))
_Static_assert(SAME_SIZE(subject) && SAME_SIZE(issuer) && SAME_SIZE(names) && SAME_SIZE(key_type),
               "mc_tls_info_t and mc_cert_facts_t disagree on a text size");

#ifdef MC_USE_POOL
static void *pool_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return mc_pool_malloc(n);
}

static void *pool_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return mc_pool_realloc(p, n);
}

static void pool_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	mc_pool_free(p);
}
#endif

/* OpenSSL's allocations go to the pool (mc_pool.h says why), unless
 * MAILCHECK_MALLOC=system asks for libc's malloc, e.g. for valgrind. Must
 * run before OpenSSL allocates anything; later calls change nothing. */
static void use_pool(void)
{
#ifdef MC_USE_POOL
	const char *env = getenv("MAILCHECK_MALLOC");

	if (!env || strcmp(env, "system") != 0)
		CRYPTO_set_mem_functions(pool_malloc, pool_realloc, pool_free);
#endif
}

static void openssl_reason(char *err, size_t errsz, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	if (r)
		snprintf(err, errsz, "%s: %s", what, r);
	else if (e)
		snprintf(err, errsz, "%s (OpenSSL error 0x%lx)", what, e);
	else
		snprintf(err, errsz, "%s", what);
	ERR_clear_error();
}

mc_status_t mc_tls_ctx_new(const mc_tls_ctx_params_t *p, mc_tls_ctx_t **out, char *err,
                           size_t errsz)
{
	mc_tls_ctx_t *c;

	*out = NULL;
	/* A plugin lives for one check: freeing OpenSSL's globals at exit
	 * (1.4 M instructions) and loading libcrypto's error strings (1.1 M)
	 * buy nothing. Our own messages name libcrypto failures; libssl's
	 * reasons, the ones a handshake failure shows, are still loaded. The
	 * system configuration (crypto policy) is still honoured. */
	/* OpenSSL's socket BIO writes with write(): a peer that reset the
	 * connection must cost an EPIPE, not the process (SIGPIPE). */
	signal(SIGPIPE, SIG_IGN);
	use_pool();
	if (!OPENSSL_init_ssl(OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS, NULL)) {
		mc_strlcpy(err, "OpenSSL initialisation failed", errsz);
		return MC_E_INTERNAL;
	}
	if (conn_index < 0)
		conn_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	c = calloc(1, sizeof(*c));
	if (!c) {
		mc_strlcpy(err, "out of memory", errsz);
		return MC_E_NOMEM;
	}
	c->ssl_ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ssl_ctx || conn_index < 0) {
		openssl_reason(err, errsz, "OpenSSL initialisation failed");
		mc_tls_ctx_free(c);
		return MC_E_INTERNAL;
	}
	/* Handshakes complete whatever the verification says: the verdict is
	 * read with SSL_get_verify_result() so the output can show the facts
	 * of a bad certificate. Nothing is sent on an unverified session but
	 * EHLO and QUIT. */
	SSL_CTX_set_verify(c->ssl_ctx, SSL_VERIFY_NONE, NULL);
	/* DANE's digest table: used only by sessions that add TLSA records. */
	if (SSL_CTX_dane_enable(c->ssl_ctx) <= 0) {
		openssl_reason(err, errsz, "OpenSSL initialisation failed");
		mc_tls_ctx_free(c);
		return MC_E_INTERNAL;
	}
	SSL_CTX_set_options(c->ssl_ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(c->ssl_ctx,
	                 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE);
	if (p && p->ca_file) {
		if (access(p->ca_file, R_OK) != 0) {
			snprintf(err, errsz, "cannot read --ca-file %s: %s", p->ca_file,
			         strerror(errno));
			mc_tls_ctx_free(c);
			return MC_E_USAGE;
		}
		if (!SSL_CTX_load_verify_file(c->ssl_ctx, p->ca_file)) {
			char what[300];
			snprintf(what, sizeof(what), "no certificates loaded from --ca-file %s",
			         p->ca_file);
			openssl_reason(err, errsz, what);
			mc_tls_ctx_free(c);
			return MC_E_USAGE;
		}
	} else {
		/* The hashed directory is searched by subject hash when a chain
		 * needs an issuer: no bundle is parsed up front. */
		const char *dir = p && p->trust_dir ? p->trust_dir : MC_TRUST_DIR;
		if (!SSL_CTX_load_verify_dir(c->ssl_ctx, dir)) {
			char what[300];
			snprintf(what, sizeof(what), "cannot use trust directory %s", dir);
			openssl_reason(err, errsz, what);
			mc_tls_ctx_free(c);
			return MC_E_INTERNAL;
		}
	}
	*out = c;
	return MC_OK;
}

void mc_tls_ctx_free(mc_tls_ctx_t *ctx)
{
	if (!ctx)
		return;
	SSL_CTX_free(ctx->ssl_ctx);
	free(ctx);
}

void mc_tls_time_str(time_t t, char *buf, size_t bufsz)
{
	mc_cert_time_str(t, buf, bufsz);
}

mc_status_t mc_tls_version_parse(const char *text, int *version)
{
	if (!strcmp(text, "1.2"))
		*version = TLS1_2_VERSION;
	else if (!strcmp(text, "1.3"))
		*version = TLS1_3_VERSION;
	else
		return MC_E_USAGE;
	return MC_OK;
}

static int verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct conn *c = ssl ? SSL_get_ex_data(ssl, conn_index) : NULL;

	if (!ok && c && c->first_error == X509_V_OK) {
		X509 *x = X509_STORE_CTX_get_current_cert(xs);
		c->first_error = X509_STORE_CTX_get_error(xs);
		c->first_depth = X509_STORE_CTX_get_error_depth(xs);
		if (x) {
			mc_cert_name_str(X509_get_subject_name(x), c->first_subject,
			                 sizeof(c->first_subject));
			c->first_not_before = mc_cert_time(X509_get0_notBefore(x));
			c->first_not_after = mc_cert_time(X509_get0_notAfter(x));
		}
	}
	return ok;
}

/* The verification verdict as one phrase a mail admin can act on. */
static void verify_text(struct conn *c, const char *want_name, long code)
{
	mc_tls_info_t *in = c->info;
	X509 *leaf = SSL_get0_peer_certificate(c->ssl);
	char when[40];

	in->verify_error = code;
	in->error_depth = c->first_depth;
	switch (code) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		mc_tls_time_str(c->first_not_after, when, sizeof(when));
		snprintf(in->verify_reason, sizeof(in->verify_reason),
		         "certificate has expired on %s (depth %d)", when, c->first_depth);
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		mc_tls_time_str(c->first_not_before, when, sizeof(when));
		snprintf(in->verify_reason, sizeof(in->verify_reason),
		         "certificate is not yet valid until %s (depth %d)", when, c->first_depth);
		break;
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		/* An address matches an iPAddress subjectAltName only, never a
		 * dNSName or a CN that spells it (RFC 9525 IP-IDs). */
		if (want_name && leaf && X509_check_host(leaf, want_name, 0, 0, NULL) == 1) {
			snprintf(
			    in->verify_reason, sizeof(in->verify_reason),
			    "name mismatch: the certificate carries %.100s as a DNS name or CN, "
			    "not as an IP address subjectAltName, so it does not match the "
			    "address",
			    want_name);
			break;
		}
		/* fall through */
	case X509_V_ERR_HOSTNAME_MISMATCH:
		snprintf(in->verify_reason, sizeof(in->verify_reason),
		         "name mismatch: %.100s not in %.250s", want_name ? want_name : "?",
		         in->names[0] ? in->names : "(no names)");
		break;
	default:
		snprintf(in->verify_reason, sizeof(in->verify_reason), "%s (depth %d)",
		         X509_verify_cert_error_string(code), c->first_depth);
		break;
	}
}

/* The issuer of x among the chain the peer sent (or the verified one). */
static X509 *find_issuer(STACK_OF(X509) * chain, X509 *x)
{
	int i;

	for (i = 0; chain && i < sk_X509_num(chain); i++) {
		X509 *cand = sk_X509_value(chain, i);
		if (cand != x && X509_check_issued(cand, x) == X509_V_OK)
			return cand;
	}
	return NULL;
}

/* The stapled OCSP response, verified against the trust store. */
static void ocsp_facts(struct conn *c, X509 *leaf, mc_tls_info_t *in)
{
	const unsigned char *resp = NULL;
	long len = SSL_get_tlsext_status_ocsp_resp(c->ssl, &resp);
	STACK_OF(X509) *peer = SSL_get_peer_cert_chain(c->ssl);
	STACK_OF(X509) *verified = SSL_get0_verified_chain(c->ssl);
	X509 *issuer;
	mc_ocsp_result_t r;

	in->must_staple = mc_ocsp_must_staple(leaf);
	if (len <= 0 || !resp)
		return;
	in->ocsp_stapled = true;
	issuer = find_issuer(verified, leaf);
	if (!issuer)
		issuer = find_issuer(peer, leaf);
	if (!issuer) {
		in->ocsp_status = MC_OCSP_INVALID;
		mc_strlcpy(in->ocsp_text, "cannot be checked: the issuer certificate is unknown",
		           sizeof(in->ocsp_text));
		return;
	}
	mc_ocsp_check(resp, (size_t)len, leaf, issuer, peer,
	              SSL_CTX_get_cert_store(SSL_get_SSL_CTX(c->ssl)), &r);
	in->ocsp_status = (int)r.status;
	mc_strlcpy(in->ocsp_text, r.text, sizeof(in->ocsp_text));
}

/* TLS 1.3 always signs with the certificate's key (RFC 8446 section
 * 4.4.3); TLS 1.2 does with an ephemeral (EC)DHE key exchange, not with
 * RSA key transport. */
static bool handshake_signed(const SSL *ssl)
{
	const SSL_CIPHER *ci = SSL_get_current_cipher(ssl);
	int kx = ci ? SSL_CIPHER_get_kx_nid(ci) : NID_undef;

	return SSL_version(ssl) >= TLS1_3_VERSION || kx == NID_kx_ecdhe || kx == NID_kx_dhe;
}

/* The leaf's own facts; the chain's least time left starts at the leaf. */
static void leaf_facts(X509 *leaf, mc_tls_info_t *in)
{
	mc_cert_facts_t f;

	mc_cert_facts(leaf, &f);
	mc_strlcpy(in->subject, f.subject, sizeof(in->subject));
	mc_strlcpy(in->issuer, f.issuer, sizeof(in->issuer));
	mc_strlcpy(in->names, f.names, sizeof(in->names));
	in->san_dns = f.san_dns;
	in->san_ip = f.san_ip;
	in->key_usage_present = f.key_usage_present;
	in->key_usage_signature = f.key_usage_signature;
	in->not_before = f.not_before;
	in->not_after = f.not_after;
	in->days_left = f.days_left;
	in->expiring_depth = 0;
	mc_strlcpy(in->expiring_subject, f.subject, sizeof(in->expiring_subject));
	mc_strlcpy(in->key_type, f.key_type, sizeof(in->key_type));
	in->key_bits = f.key_bits;
}

static void collect(struct conn *c, const mc_tls_params_t *p)
{
	mc_tls_info_t *in = c->info;
	X509 *leaf = SSL_get0_peer_certificate(c->ssl);
	STACK_OF(X509) * chain;
	long code;
	int i;

	mc_strlcpy(in->version, SSL_get_version(c->ssl), sizeof(in->version));
	mc_strlcpy(in->cipher, SSL_get_cipher_name(c->ssl), sizeof(in->cipher));
	in->version_num = SSL_version(c->ssl);
	in->handshake_signed = handshake_signed(c->ssl);
	in->have_cert = leaf != NULL;
	if (leaf)
		leaf_facts(leaf, in);
	code = leaf ? SSL_get_verify_result(c->ssl) : X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
	/* The callback saw the first error; prefer it over the final code. */
	if (c->first_error != X509_V_OK)
		code = c->first_error;
	/* Usable TLSA records replace the trust store (RFC 7672 2.2). */
	in->verified =
	    leaf && code == X509_V_OK && (p->verify != MC_TLS_VERIFY_NONE || in->dane_usable);
	if (!leaf)
		mc_strlcpy(in->verify_reason, "server sent no certificate",
		           sizeof(in->verify_reason));
	else if (code != X509_V_OK)
		verify_text(c, p->dane_base ? p->dane_base : p->cert_name, code);
	if (in->dane_usable)
		in->dane_depth = mc_dane_matched(c->ssl, in->dane_record, sizeof(in->dane_record));
	if (leaf && p->ocsp)
		ocsp_facts(c, leaf, in);
	/* Remaining life: the verified chain when there is one (it ends at
	 * the trust anchor), else what the peer sent. */
	chain = in->verified ? SSL_get0_verified_chain(c->ssl) : SSL_get_peer_cert_chain(c->ssl);
	for (i = 0; chain && i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);
		double d = mc_cert_days_left(x);
		if (d < in->days_left) {
			in->days_left = d;
			in->expiring_depth = i;
			mc_cert_name_str(X509_get_subject_name(x), in->expiring_subject,
			                 sizeof(in->expiring_subject));
		}
	}
	in->weak_sig_depth = mc_cert_weak_signature(chain, in->weak_sig, sizeof(in->weak_sig));
}

static ssize_t tls_io_result(struct conn *c, int ok, size_t done, short *want, mc_status_t *st,
                             char *err, size_t errsz)
{
	int e;

	*want = 0;
	if (ok)
		return (ssize_t)done;
	e = SSL_get_error(c->ssl, 0);
	switch (e) {
	case SSL_ERROR_WANT_READ: *want = POLLIN; return -1;
	case SSL_ERROR_WANT_WRITE: *want = POLLOUT; return -1;
	case SSL_ERROR_ZERO_RETURN: return 0;
	case SSL_ERROR_SYSCALL:
		c->fatal = true;
		*st = MC_E_CLOSED;
		if (errno == ECONNRESET)
			mc_strlcpy(err, "connection reset by peer", errsz);
		else if (errno)
			snprintf(err, errsz, "TLS I/O error: %s", strerror(errno));
		else
			return 0;
		ERR_clear_error();
		return -1;
	default:
		c->fatal = true;
		*st = MC_E_TLS;
		openssl_reason(err, errsz, "TLS error");
		return -1;
	}
}

static ssize_t tls_read(void *ctx, void *buf, size_t n, short *want, mc_status_t *st, char *err,
                        size_t errsz)
{
	struct conn *c = ctx;
	size_t done = 0;
	int ok;

	errno = 0;
	ok = SSL_read_ex(c->ssl, buf, n, &done);
	return tls_io_result(c, ok, done, want, st, err, errsz);
}

static ssize_t tls_write(void *ctx, const void *buf, size_t n, short *want, mc_status_t *st,
                         char *err, size_t errsz)
{
	struct conn *c = ctx;
	size_t done = 0;
	int ok;

	errno = 0;
	ok = SSL_write_ex(c->ssl, buf, n, &done);
	return tls_io_result(c, ok, done, want, st, err, errsz);
}

static void tls_free(void *ctx)
{
	struct conn *c = ctx;

	/* One non-blocking attempt at close_notify; never wait for it, and
	 * never after a fatal error (SSL_shutdown(3)). */
	if (SSL_is_init_finished(c->ssl) && !c->fatal)
		SSL_shutdown(c->ssl);
	SSL_free(c->ssl);
	free(c);
	ERR_clear_error();
}

static bool tls_pending(void *ctx)
{
	return SSL_has_pending(((struct conn *)ctx)->ssl) == 1;
}

static const mc_transport_ops_t tls_ops = {tls_read, tls_write, tls_free, tls_pending};

static void handshake(mc_loop_t *loop, int fd, short revents, void *arg);

static void step(struct conn *c)
{
	int rc, e;
	mc_status_t st;
	char err[300];

	ERR_clear_error();
	errno = 0;
	rc = SSL_connect(c->ssl);
	if (rc == 1) {
		collect(c, &c->params);
		mc_stream_resume(c->s);
		c->cb(c->arg, MC_OK, "");
		return;
	}
	e = SSL_get_error(c->ssl, rc);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		short ev = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		if (mc_loop_watch(mc_stream_loop(c->s), c->fd, ev, handshake, c) == MC_OK)
			return;
		st = MC_E_NOMEM;
		mc_strlcpy(err, "out of memory", sizeof(err));
	} else if (e == SSL_ERROR_ZERO_RETURN) {
		/* With SSL_OP_IGNORE_UNEXPECTED_EOF a plain close mid-handshake
		 * comes back as a clean one. */
		c->fatal = true;
		st = MC_E_CLOSED;
		mc_strlcpy(err, "connection closed during TLS handshake", sizeof(err));
		ERR_clear_error();
	} else if (e == SSL_ERROR_SYSCALL) {
		c->fatal = true;
		st = MC_E_CLOSED;
		if (errno == ECONNRESET)
			mc_strlcpy(err, "connection reset during TLS handshake", sizeof(err));
		else if (errno)
			snprintf(err, sizeof(err), "TLS handshake failed: %s", strerror(errno));
		else
			mc_strlcpy(err, "connection closed during TLS handshake", sizeof(err));
		ERR_clear_error();
	} else {
		c->fatal = true;
		st = MC_E_TLS;
		openssl_reason(err, sizeof(err), "TLS handshake failed");
	}
	/* The conn stays the stream's transport: freeing the stream frees it. */
	mc_loop_unwatch(mc_stream_loop(c->s), c->fd);
	c->cb(c->arg, st, err);
}

static void handshake(mc_loop_t *loop, int fd, short revents, void *arg)
{
	(void)loop;
	(void)fd;
	(void)revents;
	step(arg);
}

/* The one name full verification checks. OpenSSL reads "" as "no name"
 * and ".example" as "any subdomain" (X509_check_host(3)), so only a
 * canonical name reaches it, and the result is read back: whatever path
 * led here, a handshake never runs with full verification and no name. */
static mc_status_t set_name(X509_VERIFY_PARAM *vp, const char *name)
{
	mc_addr_t lit;
	char *ip;
	bool set;

	if (!mc_tls_name_valid(name))
		return MC_E_USAGE;
	if (mc_addr_parse(name, 0, &lit) == MC_OK) {
		if (!X509_VERIFY_PARAM_set1_ip_asc(vp, name))
			return MC_E_INTERNAL;
		ip = X509_VERIFY_PARAM_get1_ip_asc(vp);
		set = ip && *ip;
		OPENSSL_free(ip);
	} else {
		X509_VERIFY_PARAM_set_hostflags(vp, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (!X509_VERIFY_PARAM_set1_host(vp, name, 0))
			return MC_E_INTERNAL;
		set = X509_VERIFY_PARAM_get0_host(vp, 0) &&
		      strcmp(X509_VERIFY_PARAM_get0_host(vp, 0), name) == 0;
	}
	return set ? MC_OK : MC_E_INTERNAL;
}

mc_status_t mc_tls_start(mc_tls_ctx_t *ctx, mc_stream_t *s, const mc_tls_params_t *p,
                         mc_tls_info_t *info, mc_tls_done_cb cb, void *arg)
{
	struct conn *c = calloc(1, sizeof(*c));
	X509_VERIFY_PARAM *vp;
	mc_addr_t lit;
	mc_status_t st;

	if (!c)
		return MC_E_NOMEM;
	memset(info, 0, sizeof(*info));
	info->dane_depth = -1;
	info->weak_sig_depth = -1;
	c->ssl = SSL_new(ctx->ssl_ctx);
	if (!c->ssl) {
		free(c);
		return MC_E_NOMEM;
	}
	c->s = s;
	c->info = info;
	c->cb = cb;
	c->arg = arg;
	c->fd = mc_stream_fd(s);
	c->params = *p;
	c->first_error = X509_V_OK;
	SSL_set_ex_data(c->ssl, conn_index, c);
	SSL_set_verify(c->ssl, SSL_VERIFY_NONE, verify_cb);
	vp = SSL_get0_param(c->ssl);
	/* SNI and the DANE base name are held to the same rules. */
	st = (p->sni && !mc_tls_name_valid(p->sni)) ||
	             (p->dane_base && !mc_tls_name_valid(p->dane_base))
	         ? MC_E_USAGE
	         : MC_OK;
	if (st == MC_OK && p->verify == MC_TLS_VERIFY_FULL)
		st = set_name(vp, p->cert_name);
	if (st != MC_OK) {
		SSL_free(c->ssl);
		free(c);
		ERR_clear_error();
		return st;
	}
	if (p->only_version && (!SSL_set_min_proto_version(c->ssl, p->only_version) ||
	                        !SSL_set_max_proto_version(c->ssl, p->only_version)))
		goto fail;
	if (p->only_version)
		SSL_set_security_level(c->ssl, 0);
	if (p->ocsp && !SSL_set_tlsext_status_type(c->ssl, TLSEXT_STATUSTYPE_ocsp))
		goto fail;
	if (p->dane_base && p->ntlsa &&
	    mc_dane_add(c->ssl, p->dane_base, p->tlsa, p->ntlsa, &info->dane_usable) != MC_OK)
		goto fail;
	/* RFC 6066 section 3: no address literals in SNI. (A copy: OpenSSL's
	 * macro casts const away.) */
	if (p->sni && mc_addr_parse(p->sni, 0, &lit) != MC_OK) {
		char sni[MC_TLS_NAME_SIZE];
		mc_strlcpy(sni, p->sni, sizeof(sni));
		if (!SSL_set_tlsext_host_name(c->ssl, sni))
			goto fail;
	}
	if (!SSL_set_fd(c->ssl, c->fd))
		goto fail;
	/* From here the stream owns c: freeing the stream (on failure or
	 * abort) frees the SSL too. */
	mc_stream_set_transport(s, &tls_ops, c);
	mc_stream_pause(s);
	step(c);
	return MC_OK;
fail:
	SSL_free(c->ssl);
	free(c);
	ERR_clear_error();
	return MC_E_INTERNAL;
}
