/* Unit tests: tls/mc_tls, the client handshake, against an OpenSSL server
 * in the same process on a socketpair, both ends driven by one loop. The
 * certificates are made here with the OpenSSL API (EC P-256), dates
 * relative to the start of the test; the facts and verdicts a handshake
 * leaves in mc_tls_info_t are checked per case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loop/mc_loop.h"
#include "net/mc_stream.h"
#include "tls/mc_ocsp.h"
#include "tls/mc_tls.h"
#include "util/mc_buf.h"
#include "util/mc_clock.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- certificates ---- */

enum { C_GOOD, C_EXPIRED, C_FUTURE, C_CN_IP, C_WEAK, C_SHORT_CA, C_COUNT };

typedef struct fixtures {
	EVP_PKEY *ca_key, *leaf_key;
	X509 *ca;
	X509 *short_ca; /* expires before the leaf it issued (C_SHORT_CA) */
	X509 *certs[C_COUNT];
	unsigned char spki_sha256[32]; /* of leaf_key: a DANE-EE 3 1 1 record */
	char dir[64];                  /* temporary: ca.pem, junk.pem */
	char ca_file[128], junk_file[128];
	mc_tls_ctx_t *trusting; /* --ca-file ca.pem */
	mc_tls_ctx_t *empty;    /* a trust directory without our CA */
	SSL_CTX *server;
	time_t now;
} fixtures_t;

static fixtures_t fx;

/* A certificate named cn with the subjectAltName san (NULL: none), signed
 * by the CA (self-signed when ca is NULL) with md, valid from `from` to
 * `to` days from now. */
static X509 *make_cert(const char *cn, const char *san, EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key,
                       long from, long to, const EVP_MD *md)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509V3_CTX ctx;
	static long serial = 1;
	const struct {
		int nid;
		const char *value;
	} exts[] = {{NID_basic_constraints, ca ? "critical,CA:FALSE" : "critical,CA:TRUE"},
	            {NID_key_usage, ca ? "critical,digitalSignature" : "critical,keyCertSign"},
	            {NID_subject_alt_name, san}};
	size_t i;

	assert_non_null(x);
	assert_non_null(name);
	assert_true(X509_set_version(x, X509_VERSION_3));
	assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), serial++));
	assert_true(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn,
	                                       -1, -1, 0));
	assert_true(X509_set_subject_name(x, name));
	assert_true(X509_set_issuer_name(x, ca ? X509_get_subject_name(ca) : name));
	X509_NAME_free(name);
	assert_non_null(X509_time_adj_ex(X509_getm_notBefore(x), (int)from, 0, &fx.now));
	assert_non_null(X509_time_adj_ex(X509_getm_notAfter(x), (int)to, 0, &fx.now));
	assert_true(X509_set_pubkey(x, key));
	X509V3_set_ctx(&ctx, ca ? ca : x, x, NULL, NULL, 0);
	for (i = 0; i < N(exts); i++) {
		X509_EXTENSION *e;
		if (!exts[i].value)
			continue;
		e = X509V3_EXT_conf_nid(NULL, &ctx, exts[i].nid, exts[i].value);
		assert_non_null(e);
		assert_true(X509_add_ext(x, e, -1));
		X509_EXTENSION_free(e);
	}
	assert_true(X509_sign(x, ca_key, md) > 0);
	return x;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	const char *mail = "DNS:mail.test,IP:127.0.0.1";
	mc_tls_ctx_params_t cp = {NULL, NULL};
	unsigned char *spki = NULL;
	unsigned int dlen = 0;
	char err[256];
	int n;
	FILE *f;

	(void)state;
	fx.now = time(NULL);
	fx.ca_key = EVP_EC_gen("P-256");
	fx.leaf_key = EVP_EC_gen("P-256");
	assert_non_null(fx.ca_key);
	assert_non_null(fx.leaf_key);
	fx.ca =
	    make_cert("mailcheck test CA", NULL, fx.ca_key, NULL, fx.ca_key, -1, 365, EVP_sha256());
	fx.certs[C_GOOD] =
	    make_cert("mail.test", mail, fx.leaf_key, fx.ca, fx.ca_key, -1, 30, EVP_sha256());
	fx.certs[C_EXPIRED] =
	    make_cert("mail.test", mail, fx.leaf_key, fx.ca, fx.ca_key, -30, -2, EVP_sha256());
	fx.certs[C_FUTURE] =
	    make_cert("mail.test", mail, fx.leaf_key, fx.ca, fx.ca_key, 2, 30, EVP_sha256());
	fx.certs[C_CN_IP] =
	    make_cert("192.0.2.5", NULL, fx.leaf_key, fx.ca, fx.ca_key, -1, 30, EVP_sha256());
	fx.certs[C_WEAK] = make_cert("weak.test", "DNS:weak.test", fx.leaf_key, fx.ca, fx.ca_key,
	                             -1, 30, EVP_sha1());
	fx.short_ca =
	    make_cert("mailcheck short CA", NULL, fx.ca_key, NULL, fx.ca_key, -1, 5, EVP_sha256());
	fx.certs[C_SHORT_CA] =
	    make_cert("mail.test", mail, fx.leaf_key, fx.short_ca, fx.ca_key, -1, 30, EVP_sha256());
	n = i2d_PUBKEY(fx.leaf_key, &spki);
	assert_true(n > 0);
	assert_true(EVP_Digest(spki, (size_t)n, fx.spki_sha256, &dlen, EVP_sha256(), NULL));
	OPENSSL_free(spki);

	snprintf(fx.dir, sizeof(fx.dir), "/tmp/test_tls.XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	snprintf(fx.ca_file, sizeof(fx.ca_file), "%s/ca.pem", fx.dir);
	snprintf(fx.junk_file, sizeof(fx.junk_file), "%s/junk.pem", fx.dir);
	f = fopen(fx.ca_file, "w");
	assert_non_null(f);
	assert_true(PEM_write_X509(f, fx.ca));
	fclose(f);
	write_text(fx.junk_file, "not a certificate\n");

	cp.ca_file = fx.ca_file;
	assert_int_equal(mc_tls_ctx_new(&cp, &fx.trusting, err, sizeof(err)), MC_OK);
	cp.ca_file = NULL;
	cp.trust_dir = fx.dir; /* no hashed names in it: nothing is trusted */
	assert_int_equal(mc_tls_ctx_new(&cp, &fx.empty, err, sizeof(err)), MC_OK);

	fx.server = SSL_CTX_new(TLS_server_method());
	assert_non_null(fx.server);
	/* the SHA-1 signed certificate must be servable at all */
	SSL_CTX_set_security_level(fx.server, 0);
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	(void)state;
	mc_tls_ctx_free(fx.trusting);
	mc_tls_ctx_free(fx.empty);
	SSL_CTX_free(fx.server);
	for (i = 0; i < C_COUNT; i++)
		X509_free(fx.certs[i]);
	X509_free(fx.ca);
	X509_free(fx.short_ca);
	EVP_PKEY_free(fx.ca_key);
	EVP_PKEY_free(fx.leaf_key);
	unlink(fx.ca_file);
	unlink(fx.junk_file);
	rmdir(fx.dir);
	return 0;
}

/* ---- the server end ---- */

typedef enum server_mode {
	S_SERVE,       /* handshake, echo one message, close_notify at the next */
	S_STAPLE_JUNK, /* S_SERVE, stapling bytes that are no OCSP response */
	S_HANG_UP,     /* read the ClientHello, then close the socket */
	S_GARBAGE      /* answer the ClientHello with plain text */
} server_mode_t;

typedef struct server {
	SSL *ssl;
	int fd;
	server_mode_t mode;
	bool accepted;
	int reads;
} server_t;

static int staple_junk(SSL *ssl, void *arg)
{
	static const unsigned char junk[] = {0x30, 0x03, 0x0a, 0x01, 0x00};
	unsigned char *p = OPENSSL_memdup(junk, sizeof(junk));

	(void)arg;
	if (!p || !SSL_set_tlsext_status_ocsp_resp(ssl, p, (long)sizeof(junk)))
		return SSL_TLSEXT_ERR_ALERT_FATAL;
	return SSL_TLSEXT_ERR_OK;
}

static void server_io(mc_loop_t *loop, int fd, short revents, void *arg)
{
	server_t *sv = arg;
	char buf[256];
	size_t n = 0;
	int rc;

	(void)revents;
	if (sv->mode == S_HANG_UP || sv->mode == S_GARBAGE) {
		ssize_t r = read(fd, buf, sizeof(buf));
		(void)r;
		if (sv->mode == S_GARBAGE)
			assert_int_equal(write(fd, "220 hello\r\n", 11), 11);
		mc_loop_unwatch(loop, fd);
		shutdown(fd, SHUT_RDWR);
		return;
	}
	if (!sv->accepted) {
		rc = SSL_accept(sv->ssl);
		if (rc == 1) {
			sv->accepted = true;
		} else {
			int e = SSL_get_error(sv->ssl, rc);
			if (e == SSL_ERROR_WANT_WRITE) {
				mc_loop_watch(loop, fd, POLLOUT, server_io, sv);
				return;
			}
			if (e != SSL_ERROR_WANT_READ) {
				ERR_clear_error();
				mc_loop_unwatch(loop, fd);
				return;
			}
		}
		mc_loop_watch(loop, fd, POLLIN, server_io, sv);
		return;
	}
	if (SSL_read_ex(sv->ssl, buf, sizeof(buf), &n)) {
		size_t w = 0;
		/* Echo the first message; close at the second. (Data and
		 * close_notify read in one go would lose the end of stream:
		 * mc_stream delivers the data and expects to see the close
		 * again, but OpenSSL consumed it from the socket.) */
		if (sv->reads++ == 0) {
			assert_true(SSL_write_ex(sv->ssl, buf, n, &w));
			return;
		}
		SSL_shutdown(sv->ssl);
		mc_loop_unwatch(loop, fd);
	} else if (SSL_get_error(sv->ssl, 0) != SSL_ERROR_WANT_READ) {
		ERR_clear_error();
		mc_loop_unwatch(loop, fd);
	}
}

/* ---- the client end ---- */

typedef struct client {
	mc_loop_t *loop;
	mc_stream_t *s;
	bool done, echo, eof;
	mc_status_t st;
	char err[300];
	char got[64];
} client_t;

static void client_event(mc_stream_t *s, mc_stream_event_t ev, void *arg)
{
	client_t *c = arg;
	mc_buf_t *b = mc_stream_rbuf(s);

	if (ev == MC_STREAM_DATA) {
		snprintf(c->got, sizeof(c->got), "%.*s", (int)b->len, mc_buf_cstr(b));
		mc_buf_consume(b, b->len);
		assert_int_equal(mc_stream_write(s, "quit\r\n", 6), MC_OK);
		return;
	}
	c->eof = ev == MC_STREAM_EOF;
	mc_loop_break(c->loop);
}

static void client_done(void *arg, mc_status_t st, const char *err)
{
	client_t *c = arg;

	c->done = true;
	c->st = st;
	snprintf(c->err, sizeof(c->err), "%s", err);
	if (st == MC_OK && c->echo) {
		mc_stream_read(c->s, true);
		assert_int_equal(mc_stream_write(c->s, "ping\r\n", 6), MC_OK);
		return;
	}
	mc_loop_break(c->loop);
}

/* ---- handshakes ---- */

enum { D_NONE, D_MATCH, D_MISMATCH };

typedef struct hs_case {
	const char *why;
	int cert;           /* C_*: what the server presents */
	bool send_ca;       /* the server sends the CA after its certificate */
	server_mode_t mode; /* how the server behaves */
	bool trust;         /* the client trusts the CA (--ca-file) */
	mc_tls_verify_t verify;
	const char *cert_name, *sni;
	int dane; /* D_*: a DANE-EE record for the key, or one that differs */
	bool ocsp;
	int only_version;
	/* wanted */
	mc_status_t st;
	const char *err; /* a phrase of the failure */
	bool verified;
	long verify_error;
	const char *reason; /* a phrase of verify_reason, "" for none */
	const char *version;
} hs_case_t;

#define FULL MC_TLS_VERIFY_FULL
#define CHAIN MC_TLS_VERIFY_CHAIN
#define NONE MC_TLS_VERIFY_NONE

/* clang-format off */
static const hs_case_t hs_cases[] = {
    {"a trusted certificate for the name verifies", C_GOOD, false, S_SERVE, true, FULL,
     "mail.test", "mail.test", D_NONE, false, 0, MC_OK, "", true, X509_V_OK, "", "TLSv1.3"},
    {"the address in an iPAddress SAN verifies", C_GOOD, true, S_SERVE, true, FULL,
     "127.0.0.1", NULL, D_NONE, false, 0, MC_OK, "", true, X509_V_OK, "", "TLSv1.3"},
    {"TLS 1.2 only, when asked", C_GOOD, false, S_SERVE, true, FULL,
     "mail.test", "mail.test", D_NONE, false, TLS1_2_VERSION, MC_OK, "", true, X509_V_OK, "",
     "TLSv1.2"},
    {"another name is a mismatch, with the names the certificate has", C_GOOD, false, S_SERVE,
     true, FULL, "other.test", NULL, D_NONE, false, 0, MC_OK, "", false,
     X509_V_ERR_HOSTNAME_MISMATCH, "name mismatch: other.test not in mail.test, 127.0.0.1",
     "TLSv1.3"},
    {"an address not in the certificate is a mismatch", C_GOOD, false, S_SERVE, true, FULL,
     "192.0.2.9", NULL, D_NONE, false, 0, MC_OK, "", false, X509_V_ERR_IP_ADDRESS_MISMATCH,
     "name mismatch: 192.0.2.9 not in", "TLSv1.3"},
    {"an address spelled in the CN is not an iPAddress SAN", C_CN_IP, false, S_SERVE, true, FULL,
     "192.0.2.5", NULL, D_NONE, false, 0, MC_OK, "", false, X509_V_ERR_IP_ADDRESS_MISMATCH,
     "carries 192.0.2.5 as a DNS name or CN", "TLSv1.3"},
    {"chain verification checks no name", C_GOOD, false, S_SERVE, true, CHAIN,
     NULL, NULL, D_NONE, false, 0, MC_OK, "", true, X509_V_OK, "", "TLSv1.3"},
    {"an expired certificate says when it expired", C_EXPIRED, false, S_SERVE, true, FULL,
     "mail.test", NULL, D_NONE, false, 0, MC_OK, "", false, X509_V_ERR_CERT_HAS_EXPIRED,
     "certificate has expired on ", "TLSv1.3"},
    {"a certificate not yet valid says from when", C_FUTURE, false, S_SERVE, true, FULL,
     "mail.test", NULL, D_NONE, false, 0, MC_OK, "", false, X509_V_ERR_CERT_NOT_YET_VALID,
     "certificate is not yet valid until ", "TLSv1.3"},
    {"an untrusted issuer, in OpenSSL's words", C_GOOD, false, S_SERVE, false, FULL,
     "mail.test", NULL, D_NONE, false, 0, MC_OK, "", false,
     X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "unable to get local issuer certificate",
     "TLSv1.3"},
    {"no verification asked: never verified", C_GOOD, false, S_SERVE, true, NONE,
     NULL, NULL, D_NONE, false, 0, MC_OK, "", false, X509_V_OK, "", "TLSv1.3"},
    {"a DANE-EE record for the key verifies without trust", C_GOOD, false, S_SERVE, false,
     NONE, NULL, "mail.test", D_MATCH, false, 0, MC_OK, "", true, X509_V_OK, "", "TLSv1.3"},
    {"a DANE-EE record for another key fails", C_GOOD, false, S_SERVE, false, NONE,
     NULL, "mail.test", D_MISMATCH, false, 0, MC_OK, "", false, X509_V_ERR_DANE_NO_MATCH, "",
     "TLSv1.3"},
    {"OCSP asked, nothing stapled", C_GOOD, true, S_SERVE, true, FULL, "mail.test", NULL,
     D_NONE, true, 0, MC_OK, "", true, X509_V_OK, "", "TLSv1.3"},
    {"a stapled response that is not one is invalid", C_GOOD, true, S_STAPLE_JUNK, true, FULL,
     "mail.test", NULL, D_NONE, true, 0, MC_OK, "", true, X509_V_OK, "", "TLSv1.3"},
    {"a staple without the issuer cannot be checked", C_GOOD, false, S_STAPLE_JUNK, false,
     NONE, NULL, NULL, D_NONE, true, 0, MC_OK, "", false,
     X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "unable to get local issuer certificate",
     "TLSv1.3"},
    {"a SHA-1 signature below the root is reported", C_WEAK, true, S_SERVE, true, NONE, NULL,
     NULL, D_NONE, false, 0, MC_OK, "", false, X509_V_ERR_CA_MD_TOO_WEAK,
     "CA signature digest algorithm too weak (depth 0)", "TLSv1.3"},
    {"the CA expires first: the least time left is the chain's", C_SHORT_CA, true, S_SERVE,
     false, NONE, NULL, NULL, D_NONE, false, 0, MC_OK, "", false,
     X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, "self-signed certificate in certificate chain (depth 1)",
     "TLSv1.3"},
    {"the server hangs up during the handshake", C_GOOD, false, S_HANG_UP, true, FULL,
     "mail.test", NULL, D_NONE, false, 0, MC_E_CLOSED, "closed during TLS handshake", false,
     X509_V_OK, "", ""},
    {"plain text where a handshake was due", C_GOOD, false, S_GARBAGE, true, FULL,
     "mail.test", NULL, D_NONE, false, 0, MC_E_TLS, "TLS handshake failed", false, X509_V_OK,
     "", ""},
};
/* clang-format on */

static void run_case(const hs_case_t *c)
{
	mc_tls_tlsa_t tlsa[3];
	unsigned char digest[32];
	mc_tls_params_t p;
	mc_tls_info_t info;
	server_t sv;
	client_t cl;
	int fds[2];

	memset(&p, 0, sizeof(p));
	memset(&sv, 0, sizeof(sv));
	memset(&cl, 0, sizeof(cl));
	assert_int_equal(mc_loop_new(&cl.loop), MC_OK);
	mc_loop_set_deadline(cl.loop, mc_clock_now_us() + 10 * 1000000LL);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);

	sv.fd = fds[1];
	sv.mode = c->mode;
	sv.ssl = SSL_new(fx.server);
	assert_non_null(sv.ssl);
	assert_true(SSL_use_certificate(sv.ssl, fx.certs[c->cert]));
	assert_true(SSL_use_PrivateKey(sv.ssl, fx.leaf_key));
	if (c->send_ca)
		assert_true(
		    SSL_add1_chain_cert(sv.ssl, c->cert == C_SHORT_CA ? fx.short_ca : fx.ca));
	assert_true(SSL_set_fd(sv.ssl, sv.fd));
	if (c->mode == S_STAPLE_JUNK)
		SSL_CTX_set_tlsext_status_cb(fx.server, staple_junk);
	else
		SSL_CTX_set_tlsext_status_cb(fx.server, NULL);
	assert_int_equal(mc_loop_watch(cl.loop, sv.fd, POLLIN, server_io, &sv), MC_OK);

	cl.echo = c->st == MC_OK;
	cl.s = mc_stream_new(cl.loop, fds[0], 4096, client_event, &cl);
	assert_non_null(cl.s);
	p.verify = c->verify;
	p.cert_name = c->cert_name;
	p.sni = c->sni;
	p.ocsp = c->ocsp;
	p.only_version = c->only_version;
	if (c->dane != D_NONE) {
		memcpy(digest, fx.spki_sha256, sizeof(digest));
		if (c->dane == D_MISMATCH)
			digest[0] ^= 0xff;
		/* PKIX-EE(1) is not for SMTP; matching type 9 is unknown: only
		 * the DANE-EE(3) SPKI(1) SHA-256(1) record is usable */
		tlsa[0] = (mc_tls_tlsa_t){1, 1, 1, digest, sizeof(digest)};
		tlsa[1] = (mc_tls_tlsa_t){3, 1, 9, digest, sizeof(digest)};
		tlsa[2] = (mc_tls_tlsa_t){3, 1, 1, digest, sizeof(digest)};
		p.dane_base = "mail.test";
		p.tlsa = tlsa;
		p.ntlsa = N(tlsa);
	}
	assert_int_equal(
	    mc_tls_start(c->trust ? fx.trusting : fx.empty, cl.s, &p, &info, client_done, &cl),
	    MC_OK);
	if (!cl.done || cl.echo)
		assert_int_equal(mc_loop_run(cl.loop), MC_OK);

	assert_true(cl.done);
	if (cl.st != c->st || !strstr(cl.err, c->err))
		fail_msg("status %d \"%s\", want %d \"%s\"", (int)cl.st, cl.err, (int)c->st,
		         c->err);
	if (c->st == MC_OK) {
		assert_string_equal(info.version, c->version);
		assert_true(info.have_cert);
		assert_int_equal(info.verified, c->verified);
		assert_int_equal(info.verify_error, c->verify_error);
		if (!strstr(info.verify_reason, c->reason) ||
		    (!c->reason[0] && c->verify_error == 0 && info.verify_reason[0]))
			fail_msg("verify_reason \"%s\", want \"%s\"", info.verify_reason,
			         c->reason);
		assert_true(info.handshake_signed);
		assert_string_equal(info.key_type, "EC");
		assert_int_equal(info.key_bits, 256);
		assert_string_equal(info.issuer, c->cert == C_SHORT_CA ? "CN=mailcheck short CA"
		                                                       : "CN=mailcheck test CA");
		/* the echo went through the TLS transport and back, then close_notify */
		assert_string_equal(cl.got, "ping\r\n");
		assert_true(cl.eof);
	}
	if (c->st == MC_OK && c->ocsp) {
		assert_int_equal(info.ocsp_stapled, c->mode == S_STAPLE_JUNK);
		assert_false(info.must_staple);
	}
	if (c->st == MC_OK && c->mode == S_STAPLE_JUNK) {
		assert_int_equal(info.ocsp_status, MC_OCSP_INVALID);
		if (!c->send_ca)
			assert_string_equal(info.ocsp_text,
			                    "cannot be checked: the issuer certificate is unknown");
		else
			assert_string_not_equal(info.ocsp_text, "");
	}
	if (c->st == MC_OK && c->dane != D_NONE) {
		assert_int_equal(info.dane_usable, 1);
		assert_int_equal(info.dane_depth, c->dane == D_MATCH ? 0 : -1);
		if (c->dane == D_MATCH) {
			char want[160];
			snprintf(want, sizeof(want), "3 1 1 %02x%02x", fx.spki_sha256[0],
			         fx.spki_sha256[1]);
			assert_true(strncmp(info.dane_record, want, strlen(want)) == 0);
			assert_int_equal(strlen(info.dane_record), 6 + 32 + 3);
		}
	} else if (c->st == MC_OK) {
		assert_int_equal(info.dane_usable, 0);
		assert_int_equal(info.dane_depth, -1);
	}
	if (c->st == MC_OK && c->cert == C_SHORT_CA) {
		assert_int_equal(info.expiring_depth, 1);
		assert_string_equal(info.expiring_subject, "CN=mailcheck short CA");
		assert_true(info.days_left > 4 && info.days_left <= 5);
	} else if (c->st == MC_OK) {
		assert_int_equal(info.expiring_depth, 0);
		assert_string_equal(info.expiring_subject, info.subject);
	}
	if (c->cert == C_WEAK && c->st == MC_OK) {
		assert_int_equal(info.weak_sig_depth, 0);
		assert_string_equal(info.weak_sig, "ecdsa-with-SHA1 on CN=weak.test");
	} else if (c->st == MC_OK) {
		assert_int_equal(info.weak_sig_depth, -1);
	}
	mc_loop_unwatch(cl.loop, sv.fd);
	mc_stream_free(cl.s);
	SSL_free(sv.ssl);
	close(sv.fd);
	mc_loop_free(cl.loop);
	ERR_clear_error();
}

static void test_handshakes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(hs_cases); i++) {
		print_message("case: %s\n", hs_cases[i].why);
		run_case(&hs_cases[i]);
	}
}

/* A --ca-file that cannot be read or holds no certificate is the user's
 * to fix (UNKNOWN), with the file named. */
static void test_ctx_errors(void **state)
{
	static const struct {
		const char *why;
		int file; /* 0: missing, 1: junk */
		const char *err;
	} rows[] = {
	    {"a missing file", 0, "cannot read --ca-file "},
	    {"a file without certificates", 1, "no certificates loaded from --ca-file "},
	};
	mc_tls_ctx_params_t cp = {NULL, NULL};
	char missing[160], err[400];
	size_t i;

	(void)state;
	snprintf(missing, sizeof(missing), "%s/missing.pem", fx.dir);
	for (i = 0; i < N(rows); i++) {
		mc_tls_ctx_t *ctx = (mc_tls_ctx_t *)&cp; /* must come back NULL */
		print_message("case: %s\n", rows[i].why);
		cp.ca_file = rows[i].file ? fx.junk_file : missing;
		err[0] = '\0';
		assert_int_equal(mc_tls_ctx_new(&cp, &ctx, err, sizeof(err)), MC_E_USAGE);
		assert_null(ctx);
		assert_non_null(strstr(err, rows[i].err));
		assert_non_null(strstr(err, cp.ca_file));
	}
	mc_tls_ctx_free(NULL);
}

static void test_version_parse(void **state)
{
	int v = 0;
	char when[40];

	(void)state;
	assert_int_equal(mc_tls_version_parse("1.2", &v), MC_OK);
	assert_int_equal(v, TLS1_2_VERSION);
	assert_int_equal(mc_tls_version_parse("1.3", &v), MC_OK);
	assert_int_equal(v, TLS1_3_VERSION);
	assert_int_equal(mc_tls_version_parse("1.1", &v), MC_E_USAGE);
	assert_int_equal(mc_tls_version_parse("", &v), MC_E_USAGE);
	assert_int_equal(mc_tls_version_parse("TLSv1.3", &v), MC_E_USAGE);
	/* the old name of mc_cert_time_str */
	mc_tls_time_str(0, when, sizeof(when));
	assert_string_equal(when, "1970-01-01 00:00:00 UTC");
	mc_tls_time_str(1795392000, when, sizeof(when));
	assert_string_equal(when, "2026-11-23 00:00:00 UTC");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_handshakes),
	    cmocka_unit_test(test_ctx_errors),
	    cmocka_unit_test(test_version_parse),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
