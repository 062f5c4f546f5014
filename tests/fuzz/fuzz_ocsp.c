/* Fuzz target: a stapled OCSP response (the input), checked against a fixed
 * PKI: the root below (trusted), the issuing CA it signed (the untrusted
 * chain a server sends) and the leaf mail.test (must-staple) that CA
 * issued. The seeds in corpus/ocsp are responses of that PKI with valid
 * signatures (issuer-signed, delegated, good, revoked, unknown, stale), so
 * the paths past the signature check replay too. An input that is a DER
 * certificate also goes through mc_ocsp_must_staple. */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls/mc_ocsp.h"

/* root CA, issuing CA, leaf; valid 2020-01-01 to 2120-01-01, EC P-256. */
static const char pki_pem[] = "-----BEGIN CERTIFICATE-----\n"
                              "MIIBiTCCAS6gAwIBAgIBATAKBggqhkjOPQQDAjBCMR8wHQYDVQQKDBZtYWlsY2hl\n"
                              "Y2stcGx1Z2lucyBmdXp6MR8wHQYDVQQDDBZtYWlsY2hlY2sgZnV6eiByb290IENB\n"
                              "MCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAwWjBCMR8wHQYDVQQKDBZt\n"
                              "YWlsY2hlY2stcGx1Z2lucyBmdXp6MR8wHQYDVQQDDBZtYWlsY2hlY2sgZnV6eiBy\n"
                              "b290IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhU7YpfuriANvheZxk15I\n"
                              "4AzaorwIjk3O4R6BVHQbxdB2fdH0/rHR4uVDmc298xvrT+7nftZa0Eq1werhygUB\n"
                              "L6MTMBEwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEA3JI66j4y\n"
                              "Kcx33SveHDzx09ey7M0ZFkc967gZ7e/BEgwCIQCYsuXNWY44UxoZwYSKZRIBYBXY\n"
                              "X7gZ19+cJ5WySf9ltQ==\n"
                              "-----END CERTIFICATE-----\n"
                              "-----BEGIN CERTIFICATE-----\n"
                              "MIIBijCCATGgAwIBAgIBAjAKBggqhkjOPQQDAjBCMR8wHQYDVQQKDBZtYWlsY2hl\n"
                              "Y2stcGx1Z2lucyBmdXp6MR8wHQYDVQQDDBZtYWlsY2hlY2sgZnV6eiByb290IENB\n"
                              "MCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAwWjBFMR8wHQYDVQQKDBZt\n"
                              "YWlsY2hlY2stcGx1Z2lucyBmdXp6MSIwIAYDVQQDDBltYWlsY2hlY2sgZnV6eiBp\n"
                              "c3N1aW5nIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEs6Jqs3VvkTYgMejd\n"
                              "K6V2+KjxLdhLCi8M9aN5td/RkRNshs3o+JvXdKypF3dbvT5sCeL3O/KroxCJBS9z\n"
                              "wRBeMqMTMBEwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBkYaOJ\n"
                              "iNur/IwYf96Zg8YsxH6/KiRBDfN6Z8wExIGwdgIgdrKlTaIqqO8mrqoYqOKD3BQ/\n"
                              "Hvko0L2N2paCpmVk1N0=\n"
                              "-----END CERTIFICATE-----\n"
                              "-----BEGIN CERTIFICATE-----\n"
                              "MIIBujCCAWCgAwIBAgICEAEwCgYIKoZIzj0EAwIwRTEfMB0GA1UECgwWbWFpbGNo\n"
                              "ZWNrLXBsdWdpbnMgZnV6ejEiMCAGA1UEAwwZbWFpbGNoZWNrIGZ1enogaXNzdWlu\n"
                              "ZyBDQTAgFw0yMDAxMDEwMDAwMDBaGA8yMTIwMDEwMTAwMDAwMFowNTEfMB0GA1UE\n"
                              "CgwWbWFpbGNoZWNrLXBsdWdpbnMgZnV6ejESMBAGA1UEAwwJbWFpbC50ZXN0MFkw\n"
                              "EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAENWqIPdkXXAkhNQGGHz+KcysYtrRLqpny\n"
                              "V3NYXHSMmYF9TxcH2W2hKADt/pKIaRI2w1e5cmrBf/73EtpiAuONzqNOMEwwDAYD\n"
                              "VR0TAQH/BAIwADATBgNVHSUEDDAKBggrBgEFBQcDATARBggrBgEFBQcBGAQFMAMC\n"
                              "AQUwFAYDVR0RBA0wC4IJbWFpbC50ZXN0MAoGCCqGSM49BAMCA0gAMEUCIQDe73vQ\n"
                              "IrS92TiOmcq1ln2iEorbIaTcSueN8TEwaO6qqAIgLeG5Fjej0MEDsl2MqrGyX7vn\n"
                              "o5gJseS8ZexdE105n9I=\n"
                              "-----END CERTIFICATE-----\n";

static X509_STORE *store;
static STACK_OF(X509) * chain;
static X509 *issuer, *leaf;

static void setup(void)
{
	BIO *b = BIO_new_mem_buf(pki_pem, -1);
	X509 *root = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	issuer = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	leaf = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	store = X509_STORE_new();
	chain = sk_X509_new_null();
	if (!root || !issuer || !leaf || !store || !chain || !X509_STORE_add_cert(store, root) ||
	    !sk_X509_push(chain, issuer))
		abort();
	X509_free(root); /* the store holds a reference */
	BIO_free(b);
	if (!mc_ocsp_must_staple(leaf))
		abort();
	ERR_clear_error();
}

static void printable(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n == cap || n == 0)
		abort(); /* not terminated, or no text */
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == '|' || (unsigned char)*s >= 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *p = data;
	mc_ocsp_result_t r;
	X509 *x;

	if (!store)
		setup();
	mc_ocsp_check(data, size, leaf, issuer, chain, store, &r);
	printable(r.text, sizeof(r.text));
	if (r.status > MC_OCSP_INVALID || ERR_peek_error() != 0)
		abort();
	if (r.status != MC_OCSP_REVOKED && (r.reason != -1 || r.revoked_at != 0))
		abort();
	if (r.status == MC_OCSP_REVOKED && r.reason < -1)
		abort();
	x = d2i_X509(NULL, &p, (long)(size > 65536 ? 65536 : size));
	if (x) {
		(void)mc_ocsp_must_staple(x);
		if (ERR_peek_error() != 0)
			abort();
		X509_free(x);
	}
	ERR_clear_error();
	return 0;
}
