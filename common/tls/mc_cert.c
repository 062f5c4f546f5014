#include "mc_cert.h"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>

#include "net/mc_net.h"
#include "util/mc_str.h"

void mc_cert_time_str(time_t t, char *buf, size_t bufsz)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, bufsz, "%Y-%m-%d %H:%M:%S UTC", &tm))
		mc_strlcpy(buf, "?", bufsz);
}

time_t mc_cert_time(const ASN1_TIME *a)
{
	struct tm tm;

	if (!a || !ASN1_TIME_to_tm(a, &tm))
		return 0;
	return timegm(&tm);
}

void mc_cert_name_str(const X509_NAME *n, char *buf, size_t bufsz)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long len;

	buf[0] = '\0';
	if (!b)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		len = BIO_get_mem_data(b, &p);
		if (len > 0)
			mc_str_sanitize(buf, bufsz, p, (size_t)len);
	}
	BIO_free(b);
}

/* DNS and IP names of the subjectAltName, else the CN (RFC 6125); how
 * many DNS and IP entries the subjectAltName holds. */
static void cert_names(X509 *x, mc_cert_facts_t *in)
{
	char *buf = in->names;
	size_t bufsz = sizeof(in->names);
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	size_t used = 0;
	int i;

	buf[0] = '\0';
	if (gens) {
		for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
			const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
			char one[256];
			if (g->type == GEN_DNS) {
				const ASN1_STRING *s = g->d.dNSName;
				in->san_dns++;
				mc_str_sanitize(one, sizeof(one),
				                (const char *)ASN1_STRING_get0_data(s),
				                (size_t)ASN1_STRING_length(s));
			} else if (g->type == GEN_IPADD) {
				mc_addr_t a;
				const ASN1_STRING *s = g->d.iPAddress;
				int l = ASN1_STRING_length(s);
				memset(&a, 0, sizeof(a));
				if (l == 4) {
					a.ss.ss_family = AF_INET;
					memcpy(&((struct sockaddr_in *)&a.ss)->sin_addr,
					       ASN1_STRING_get0_data(s), 4);
				} else if (l == 16) {
					a.ss.ss_family = AF_INET6;
					memcpy(&((struct sockaddr_in6 *)&a.ss)->sin6_addr,
					       ASN1_STRING_get0_data(s), 16);
				} else {
					continue;
				}
				mc_addr_str(&a, one, sizeof(one));
				in->san_ip++;
			} else {
				continue;
			}
			if (used + strlen(one) + 3 >= bufsz)
				break;
			used += (size_t)snprintf(buf + used, bufsz - used, "%s%s", used ? ", " : "",
			                         one);
		}
		GENERAL_NAMES_free(gens);
	}
	if (!used) {
		const X509_NAME *n = X509_get_subject_name(x);
		int idx = X509_NAME_get_index_by_NID(n, NID_commonName, -1);
		if (idx >= 0) {
			const ASN1_STRING *s =
			    X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, idx));
			mc_str_sanitize(buf, bufsz, (const char *)ASN1_STRING_get0_data(s),
			                (size_t)ASN1_STRING_length(s));
		}
	}
}

double mc_cert_days_left(const X509 *x)
{
	int days = 0, secs = 0;

	if (!ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(x)))
		return -1e9;
	return days + secs / 86400.0;
}

/* The key's type and size. */
static void key_facts(X509 *x, mc_cert_facts_t *in)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	const char *t;

	if (!pk)
		return;
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA: t = "RSA"; break;
	case EVP_PKEY_RSA_PSS: t = "RSA-PSS"; break;
	case EVP_PKEY_EC: t = "EC"; break;
	case EVP_PKEY_ED25519: t = "Ed25519"; break;
	case EVP_PKEY_ED448: t = "Ed448"; break;
	case EVP_PKEY_DSA: t = "DSA"; break;
	default: t = "other"; break;
	}
	mc_strlcpy(in->key_type, t, sizeof(in->key_type));
	in->key_bits = EVP_PKEY_get_bits(pk);
}

void mc_cert_facts(X509 *x, mc_cert_facts_t *out)
{
	memset(out, 0, sizeof(*out));
	mc_cert_name_str(X509_get_subject_name(x), out->subject, sizeof(out->subject));
	mc_cert_name_str(X509_get_issuer_name(x), out->issuer, sizeof(out->issuer));
	cert_names(x, out);
	out->key_usage_present = (X509_get_extension_flags(x) & EXFLAG_KUSAGE) != 0;
	out->key_usage_signature = (X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE) != 0;
	out->not_before = mc_cert_time(X509_get0_notBefore(x));
	out->not_after = mc_cert_time(X509_get0_notAfter(x));
	out->days_left = mc_cert_days_left(x);
	key_facts(x, out);
}

mc_status_t mc_cert_facts_der(const unsigned char *der, size_t len, mc_cert_facts_t *out)
{
	const unsigned char *p = der;
	X509 *x;

	memset(out, 0, sizeof(*out));
	if (len > MC_CERT_DER_MAX)
		return MC_E_LIMIT;
	x = d2i_X509(NULL, &p, (long)len);
	if (!x) {
		ERR_clear_error();
		return MC_E_PROTOCOL;
	}
	mc_cert_facts(x, out);
	X509_free(x);
	ERR_clear_error();
	return MC_OK;
}

int mc_cert_weak_signature(STACK_OF(X509) * chain, char *buf, size_t bufsz)
{
	int i;

	for (i = 0; chain && i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);
		int md = NID_undef, sig = X509_get_signature_nid(x);
		char subj[256];
		if (X509_get_extension_flags(x) & EXFLAG_SS)
			continue;
		if (!OBJ_find_sigid_algs(sig, &md, NULL) || (md != NID_sha1 && md != NID_md5))
			continue;
		mc_cert_name_str(X509_get_subject_name(x), subj, sizeof(subj));
		snprintf(buf, bufsz, "%s on %s", OBJ_nid2sn(sig), subj);
		return i;
	}
	return -1;
}
