/* mc_tls_service.h - the TLS-service engine of check_smtp_tls, check_imaps
 * and check_pop3s: the connection and TLS options, their validation,
 * resolving -H (or every MX of --mx, with their TLSA records for --dane),
 * one session per address or one for all, the old-version probes, the
 * deadline, and the report of every target.
 *
 * A TLS-service plugin is a descriptor (mc_tls_service_desc_t: its port,
 * its session, what it reports before and after the handshake) and a
 * configuration that embeds an mc_tls_service_t. It runs on the one plugin
 * model of check/mc_check.h: its option callback hands what it does not
 * know to mc_tls_service_option, its validate calls
 * mc_tls_service_validate, and its tls_params, begin and end are
 * mc_tls_service_tls_params, mc_tls_service_begin and mc_tls_service_end. */
#ifndef MC_TLS_SERVICE_H
#define MC_TLS_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

#include "check/mc_check.h"
#include "config.h" /* MC_TRUST_DIR, in the option help */
#include "nagios/mc_opts.h"
#include "nagios/mc_range.h"
#include "nagios/mc_result.h"
#include "proto/mc_session.h"
#include "report/mc_report_tls.h"
#include "tls/mc_tls.h"
#include "tls/mc_tls_name.h"

/* Option ids of the TLS service options (mc_opt_t.val). */
enum {
	MC_TLS_SERVICE_OPT_TLS = MC_OPT_LONG_BASE + 100,
	MC_TLS_SERVICE_OPT_ALL_ADDRESSES,
	MC_TLS_SERVICE_OPT_VERIFY,
	MC_TLS_SERVICE_OPT_CA_FILE,
	MC_TLS_SERVICE_OPT_CERT_NAME,
	MC_TLS_SERVICE_OPT_SNI,
	MC_TLS_SERVICE_OPT_MIN_TLS
};

/* The options after a TLS service plugin's -H and -p, in its table (with
 * -w, -c and -s, which the runner handles). */
#define MC_TLS_SERVICE_OPTS                                                                        \
	{"tls", MC_TLS_SERVICE_OPT_TLS, required_argument, "starttls|implicit",                    \
	 "Override the TLS mode chosen from the port. Default: implicit on the implicit-TLS "      \
	 "port, else starttls."},                                                                  \
	    {"ipv4", '4', no_argument, NULL, "Use IPv4 addresses only."},                          \
	    {"ipv6", '6', no_argument, NULL, "Use IPv6 addresses only."},                          \
	    {"all-addresses", MC_TLS_SERVICE_OPT_ALL_ADDRESSES, no_argument, NULL,                 \
	     "Check every address of the host concurrently, each as a subcheck; the worst state "  \
	     "wins. Default: the first address that answers."},                                    \
	    {"verify", MC_TLS_SERVICE_OPT_VERIFY, required_argument, "full|chain|none",            \
	     "full: chain to the trust store, name and dates; chain: chain and dates, any name "   \
	     "(the output says \"name not checked\"); none: nothing (the output says so). A "      \
	     "SHA-1 or MD5 signature below the root or an RSA/DSA key under 2048 bits fails "      \
	     "full and chain verification at the security level of the system's OpenSSL "          \
	     "configuration (2 on Debian 12): CRITICAL; with none it is a WARNING. Default: "      \
	     "full."},                                                                             \
	    {"ca-file", MC_TLS_SERVICE_OPT_CA_FILE, required_argument, "FILE",                     \
	     "Trust the PEM roots in FILE instead of the system store. Default: the hashed "       \
	     "directory " MC_TRUST_DIR "."},                                                       \
	    {"cert-name", MC_TLS_SERVICE_OPT_CERT_NAME, required_argument, "NAME",                 \
	     "Name the certificate must carry: one exact host name or IP address. One trailing "   \
	     "dot is ignored and a Unicode name is matched as its A-label (IDNA2008); an empty "   \
	     "name, a leading dot or a '*' (patterns, not names) are refused, as is -H when it "   \
	     "is the name used. An address matches only an IP address subjectAltName. A name "     \
	     "matched only through the subject CN (no DNS subjectAltName) is a WARNING. "          \
	     "Default: -H when it is a name; required for full verification when -H is an "        \
	     "address."},                                                                          \
	    {"sni", MC_TLS_SERVICE_OPT_SNI, required_argument, "NAME",                             \
	     "Server name to send in the TLS handshake: a host name, under the rules of "          \
	     "--cert-name. Default: the certificate name (none when that is an address)."},        \
	    {"certificate", 'D', required_argument, "WARN[,CRIT]",                                 \
	     "Days of validity left (fractional allowed), the minimum over the verified chain, "   \
	     "below which the state is WARNING / CRITICAL. Default: 14,3."},                       \
	    {"min-tls", MC_TLS_SERVICE_OPT_MIN_TLS, required_argument, "1.2|1.3",                  \
	     "A lower negotiated TLS version is CRITICAL. Default: none."},                        \
	    {"warning", 'w', required_argument, "RANGE",                                           \
	     "Threshold range on the total time in seconds for WARNING. Default: none."},          \
	    {"critical", 'c', required_argument, "RANGE",                                          \
	     "Threshold range on the total time in seconds for CRITICAL. Default: none."},         \
	{                                                                                          \
		"dns-server", 's', required_argument, "HOST[:PORT]",                               \
		    "Resolver to ask, an IP address; repeatable (up to 8). Names are looked up "   \
		    "in "                                                                          \
		    "/etc/hosts first and without a search list. Default: the system's resolvers." \
	}

/* TLS policy options of the TLS service plugins, after MC_TLS_SERVICE_OPTS. */
enum {
	MC_TLS_SERVICE_OPT_OCSP = MC_OPT_LONG_BASE + 130,
	MC_TLS_SERVICE_OPT_PROBE_OLD_TLS,
	MC_TLS_SERVICE_OPT_OLD_TLS_STATE,
	MC_TLS_SERVICE_OPT_MIN_KEY_BITS,
	MC_TLS_SERVICE_OPT_DANE,
	MC_TLS_SERVICE_OPT_MX
};

#define MC_TLS_SERVICE_OPTS_POLICY                                                                 \
	{"ocsp", MC_TLS_SERVICE_OPT_OCSP, required_argument, "off|check|require",                  \
	 "Stapled OCSP response: check verifies a staple when there is one (revoked is "           \
	 "CRITICAL; stale or unverifiable WARNING) and requires one when the certificate says "    \
	 "must-staple; require also makes a missing staple CRITICAL; off asks for none. "          \
	 "Default: check."},                                                                       \
	    {"probe-old-tls", MC_TLS_SERVICE_OPT_PROBE_OLD_TLS, no_argument, NULL,                 \
	     "Also try handshakes offering only TLS 1.0 and only TLS 1.1 (security level "         \
	     "lowered for these probes only); each version accepted is reported with "             \
	     "--old-tls-state. Default: no probes."},                                              \
	    {"old-tls-state", MC_TLS_SERVICE_OPT_OLD_TLS_STATE, required_argument,                 \
	     "warning|critical",                                                                   \
	     "State of an old TLS version accepted (--probe-old-tls). Default: warning."},         \
	{                                                                                          \
		"min-key-bits", MC_TLS_SERVICE_OPT_MIN_KEY_BITS, required_argument, "BITS",        \
		    "An RSA or DSA server key shorter than BITS is a WARNING (a SHA-1 or MD5 "     \
		    "signature below the root always is); under 2048 bits verification fails "     \
		    "first (CRITICAL, see --verify). A keyUsage without digitalSignature in a "    \
		    "TLS "                                                                         \
		    "1.3 or ECDHE handshake is a WARNING. Default: 2048."                          \
	}

/* DANE and MX fan-out, for SMTP. */
#define MC_TLS_SERVICE_OPTS_DANE_MX                                                                \
	{"dane", MC_TLS_SERVICE_OPT_DANE, optional_argument, "require",                            \
	 "Verify by DANE (RFC 7672): the TLSA records at _PORT._tcp.HOST, accepted only when "     \
	 "the resolver validated them (AD); a DANE-EE(3) or DANE-TA(2) record must match, else "   \
	 "CRITICAL. No TLSA records: WARNING, CRITICAL with =require, as are TLSA records not "    \
	 "validated. Default: no DANE."},                                                          \
	{                                                                                          \
		"mx", MC_TLS_SERVICE_OPT_MX, required_argument, "DOMAIN",                          \
		    "Instead of -H: check every address of every MX host of DOMAIN concurrently, " \
		    "each a subcheck (the certificate name and DANE base domain are the MX "       \
		    "name); the worst state wins. Default: none."                                  \
	}

/* --tls (and -S) */
typedef enum mc_tls_mode {
	MC_TLS_MODE_AUTO = 0, /* implicit on the plugin's implicit-TLS port, else STARTTLS */
	MC_TLS_MODE_STARTTLS,
	MC_TLS_MODE_IMPLICIT
} mc_tls_mode_t;

/* --dane */
typedef enum mc_dane_mode {
	MC_DANE_OFF = 0,
	MC_DANE_ON,     /* no usable TLSA records: WARNING */
	MC_DANE_REQUIRE /* no usable TLSA records: CRITICAL */
} mc_dane_mode_t;

/* The options of a TLS service, after mc_tls_service_validate. */
typedef struct mc_tls_service_config {
	const char *host; /* -H, canonical when it is the name verified */
	unsigned port;
	mc_tls_mode_t tls_mode;
	bool implicit_tls; /* the mode that applies: from --tls or the port */
	int family;        /* AF_UNSPEC, AF_INET (-4), AF_INET6 (-6) */
	bool all_addresses;
	mc_tls_verify_t verify;
	const char *ca_file;
	const char *cert_name; /* the name verified: canonical, or NULL */
	const char *sni;       /* the name sent: canonical, or NULL */
	char host_buf[MC_TLS_NAME_SIZE];
	char cert_name_buf[MC_TLS_NAME_SIZE];
	char sni_buf[MC_TLS_NAME_SIZE];
	mc_thresholds_t days; /* -D */
	int min_tls;
	const char *min_tls_text;
	mc_ocsp_mode_t ocsp;
	bool probe_old_tls;
	mc_state_t old_tls_state;
	int min_key_bits;
	mc_dane_mode_t dane;
	char mx_domain[256]; /* --mx, or "" */
} mc_tls_service_config_t;

typedef struct mc_tls_service_desc {
	unsigned default_port;
	unsigned implicit_port;    /* the port that means implicit TLS */
	const char *starttls_word; /* in the OK summary: "STARTTLS", "STLS" */
	/* One session to sp->addrs; done(arg) when it ends. NULL on OOM. pcfg
	 * is the plugin's configuration (whose first member is the service). */
	mc_session_t *(*start)(const void *pcfg, const mc_session_params_t *sp, void *result,
	                       void (*done)(void *arg), void *arg);
	size_t result_size; /* its result; mc_session_result_t first */
	/* Subchecks and perfdata of one finished session: before_tls in
	 * dialogue order before the handshake lines, after_tls after them.
	 * after_tls appends to the OK summary in extra (", logged in as x").
	 * suffix: NULL, or the target to append to perfdata labels. */
	void (*before_tls)(const void *pcfg, const mc_check_config_t *cc, const void *result,
	                   mc_result_t *node);
	void (*after_tls)(const void *pcfg, const mc_check_config_t *cc, const void *result,
	                  mc_result_t *node, const char *suffix, char *extra, size_t extrasz);
} mc_tls_service_desc_t;

/* The first member of a TLS service plugin's configuration (its pcfg):
 * the descriptor's callbacks get that configuration as their pcfg. */
typedef struct mc_tls_service {
	const mc_tls_service_desc_t *desc;
	mc_tls_service_config_t cfg;
} mc_tls_service_t;

/* The defaults (port, -D 14,3, --ocsp=check, ...), before the options. */
void mc_tls_service_init(mc_tls_service_t *s, const mc_tls_service_desc_t *desc);

/* An option of MC_TLS_SERVICE_OPTS, MC_TLS_SERVICE_OPTS_POLICY or
 * MC_TLS_SERVICE_OPTS_DANE_MX, or -H, -p, -S: MC_OK, MC_E_USAGE with msg,
 * or MC_E_AGAIN for "not mine". */
mc_status_t mc_tls_service_option(mc_tls_service_t *s, int opt, const char *arg, char *msg,
                                  size_t msgsz);

/* -H or --mx given, the names to verify and send canonical
 * (tls/mc_tls_name.h), the TLS mode resolved. MC_E_USAGE with msg. */
mc_status_t mc_tls_service_validate(mc_tls_service_t *s, char *msg, size_t msgsz);

/* mc_check_plugin_t's tls_params, begin and end of a TLS service plugin;
 * pcfg is its configuration, whose first member is the mc_tls_service_t. */
void mc_tls_service_tls_params(const void *pcfg, mc_tls_ctx_params_t *p);
void *mc_tls_service_begin(const void *pcfg, const mc_check_config_t *c, const mc_check_env_t *env);
void mc_tls_service_end(void *state, bool timed_out, mc_result_t *root);

#endif
