/* mc_check.h - what every TLS service plugin (check_smtp_tls, check_imaps,
 * check_pop3s) shares: the TLS and connection options, their validation,
 * resolving -H, one session per address or one for all, the deadline, the
 * TLS subchecks and perfdata, the summary, and main() itself. A plugin is a
 * descriptor: its own options, its session, and what it reports. */
#ifndef MC_CHECK_H
#define MC_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h" /* MC_TRUST_DIR, in the option help */
#include "dns/mc_dns.h"
#include "nagios/mc_opts.h"
#include "nagios/mc_range.h"
#include "nagios/mc_result.h"
#include "check/mc_login.h"
#include "proto/mc_session.h"
#include "report/mc_report_tls.h"
#include "tls/mc_tls.h"
#include "tls/mc_tls_name.h"

/* Option ids of the shared options (mc_opt_t.val). */
enum {
	MC_CHECK_OPT_TLS = MC_OPT_LONG_BASE + 100,
	MC_CHECK_OPT_ALL_ADDRESSES,
	MC_CHECK_OPT_VERIFY,
	MC_CHECK_OPT_CA_FILE,
	MC_CHECK_OPT_CERT_NAME,
	MC_CHECK_OPT_SNI,
	MC_CHECK_OPT_MIN_TLS
};

/* The shared options after a plugin's -H and -p, in its table. */
#define MC_CHECK_OPTS_TLS                                                                          \
	{"tls", MC_CHECK_OPT_TLS, required_argument, "starttls|implicit",                          \
	 "Override the TLS mode chosen from the port. Default: implicit on the implicit-TLS "      \
	 "port, else starttls."},                                                                  \
	    {"ipv4", '4', no_argument, NULL, "Use IPv4 addresses only."},                          \
	    {"ipv6", '6', no_argument, NULL, "Use IPv6 addresses only."},                          \
	    {"all-addresses", MC_CHECK_OPT_ALL_ADDRESSES, no_argument, NULL,                       \
	     "Check every address of the host concurrently, each as a subcheck; the worst state "  \
	     "wins. Default: the first address that answers."},                                    \
	    {"verify", MC_CHECK_OPT_VERIFY, required_argument, "full|chain|none",                  \
	     "full: chain to the trust store, name and dates; chain: chain and dates, any name "   \
	     "(the output says \"name not checked\"); none: nothing (the output says so). A "     \
	     "SHA-1 or MD5 signature below the root or an RSA/DSA key under 2048 bits fails "      \
	     "full and chain verification at the security level of the system's OpenSSL "         \
	     "configuration (2 on Debian 12): CRITICAL; with none it is a WARNING. Default: "      \
	     "full."},                                                                             \
	    {"ca-file", MC_CHECK_OPT_CA_FILE, required_argument, "FILE",                           \
	     "Trust the PEM roots in FILE instead of the system store. Default: the hashed "       \
	     "directory " MC_TRUST_DIR "."},                                                       \
	    {"cert-name", MC_CHECK_OPT_CERT_NAME, required_argument, "NAME",                       \
	     "Name the certificate must carry: one exact host name or IP address. One trailing "   \
	     "dot is ignored and a Unicode name is matched as its A-label (IDNA2008); an empty "   \
	     "name, a leading dot or a '*' (patterns, not names) are refused, as is -H when it "   \
	     "is the name used. An address matches only an IP address subjectAltName. A name "    \
	     "matched only through the subject CN (no DNS subjectAltName) is a WARNING. "         \
	     "Default: -H when it is a name; required for full verification when -H is an "       \
	     "address."},                                                                          \
	    {"sni", MC_CHECK_OPT_SNI, required_argument, "NAME",                                   \
	     "Server name to send in the TLS handshake: a host name, under the rules of "          \
	     "--cert-name. Default: the certificate name (none when that is an address)."},        \
	    {"certificate", 'D', required_argument, "WARN[,CRIT]",                                 \
	     "Days of validity left (fractional allowed), the minimum over the verified chain, "   \
	     "below which the state is WARNING / CRITICAL. Default: 14,3."},                       \
	    {"min-tls", MC_CHECK_OPT_MIN_TLS, required_argument, "1.2|1.3",                        \
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

/* TLS policy options of the TLS service plugins, after MC_CHECK_OPTS_TLS. */
enum {
	MC_CHECK_OPT_OCSP = MC_OPT_LONG_BASE + 130,
	MC_CHECK_OPT_PROBE_OLD_TLS,
	MC_CHECK_OPT_OLD_TLS_STATE,
	MC_CHECK_OPT_MIN_KEY_BITS,
	MC_CHECK_OPT_DANE,
	MC_CHECK_OPT_MX
};

#define MC_CHECK_OPTS_TLS_POLICY                                                                   \
	{"ocsp", MC_CHECK_OPT_OCSP, required_argument, "off|check|require",                        \
	 "Stapled OCSP response: check verifies a staple when there is one (revoked is "          \
	 "CRITICAL; stale or unverifiable WARNING) and requires one when the certificate says "   \
	 "must-staple; require also makes a missing staple CRITICAL; off asks for none. "        \
	 "Default: check."},                                                                       \
	    {"probe-old-tls", MC_CHECK_OPT_PROBE_OLD_TLS, no_argument, NULL,                       \
	     "Also try handshakes offering only TLS 1.0 and only TLS 1.1 (security level "         \
	     "lowered for these probes only); each version accepted is reported with "             \
	     "--old-tls-state. Default: no probes."},                                              \
	    {"old-tls-state", MC_CHECK_OPT_OLD_TLS_STATE, required_argument, "warning|critical",   \
	     "State of an old TLS version accepted (--probe-old-tls). Default: warning."},         \
	{                                                                                          \
		"min-key-bits", MC_CHECK_OPT_MIN_KEY_BITS, required_argument, "BITS",              \
		    "An RSA or DSA server key shorter than BITS is a WARNING (a SHA-1 or MD5 "     \
		    "signature below the root always is); under 2048 bits verification fails "     \
		    "first (CRITICAL, see --verify). A keyUsage without digitalSignature in a TLS " \
		    "1.3 or ECDHE handshake is a WARNING. Default: 2048."                          \
	}

/* DANE and MX fan-out, for SMTP. */
#define MC_CHECK_OPTS_DANE_MX                                                                      \
	{"dane", MC_CHECK_OPT_DANE, optional_argument, "require",                                  \
	 "Verify by DANE (RFC 7672): the TLSA records at _PORT._tcp.HOST, accepted only when "    \
	 "the resolver validated them (AD); a DANE-EE(3) or DANE-TA(2) record must match, else " \
	 "CRITICAL. No TLSA records: WARNING, CRITICAL with =require, as are TLSA records not "   \
	 "validated. Default: no DANE."},                                                          \
	{                                                                                          \
		"mx", MC_CHECK_OPT_MX, required_argument, "DOMAIN",                                \
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

typedef struct mc_check_config {
	const char *host;
	unsigned port;
	bool implicit_tls;
	mc_tls_mode_t tls_mode;
	int family;
	bool all_addresses;
	mc_tls_verify_t verify;
	const char *ca_file;
	const char *cert_name;
	const char *sni;
	/* The canonical forms (mc_tls_name_parse) that host, cert_name and
	 * sni point to after validation. */
	char host_buf[MC_TLS_NAME_SIZE];
	char cert_name_buf[MC_TLS_NAME_SIZE];
	char sni_buf[MC_TLS_NAME_SIZE];
	mc_thresholds_t days;
	int min_tls;
	const char *min_tls_text;
	mc_thresholds_t time;
	mc_ocsp_mode_t ocsp;
	bool probe_old_tls;
	mc_state_t old_tls_state;
	int min_key_bits;
	mc_dane_mode_t dane;
	char mx_domain[256];   /* --mx, or "" */
	double timeout;
	mc_state_t timeout_state;
	int verbose;
	mc_output_format_t format;
	mc_dns_params_t dns;
} mc_check_config_t;

/* What a plugin that runs its own work (begin/end) is given. */
typedef struct mc_check_env {
	mc_loop_t *loop;
	mc_dns_t *dns;
	mc_tls_ctx_t *tls;
	int64_t t0; /* the start of the run */
} mc_check_env_t;

typedef struct mc_check_plugin {
	const char *progname; /* "check_imaps" */
	const char *label;    /* "IMAPS" */
	const char *description;
	const char *synopsis;
	const mc_opt_t *options; /* the whole table, ending with long_name NULL */
	unsigned default_port;
	unsigned implicit_port;    /* the port that means implicit TLS */
	const char *starttls_word; /* in the OK summary: "STARTTLS", "STLS" */
	void *pcfg;                /* the plugin's own configuration */
	/* The plugin's options: MC_OK, MC_E_USAGE with msg, or MC_E_AGAIN for
	 * "not mine". Called before the shared handling. */
	mc_status_t (*option)(void *pcfg, int opt, const char *arg, char *msg, size_t msgsz);
	/* After the shared validation. MC_OK or MC_E_USAGE with msg. */
	mc_status_t (*validate)(void *pcfg, const mc_check_config_t *c, char *msg, size_t msgsz);
	/* One session to sp->addrs; done(arg) when it ends. NULL on OOM. */
	mc_session_t *(*start)(const void *pcfg, const mc_session_params_t *sp, void *result,
	                       void (*done)(void *arg), void *arg);
	size_t result_size; /* its result; mc_session_result_t first */
	/* Subchecks and perfdata of one finished session: before_tls in
	 * dialogue order before the handshake lines, after_tls after them.
	 * after_tls appends to the OK summary in extra (", logged in as x").
	 * suffix: NULL, or the address to append to perfdata labels. */
	void (*before_tls)(const void *pcfg, const mc_check_config_t *c, const void *result,
	                   mc_result_t *node);
	void (*after_tls)(const void *pcfg, const mc_check_config_t *c, const void *result,
	                  mc_result_t *node, const char *suffix, char *extra, size_t extrasz);
	/* Instead of sessions to -H (which the plugin then has no option
	 * for): begin starts the plugin's work on env's loop and returns its
	 * state (NULL: out of memory); the loop runs until nothing is left to
	 * wait for or the deadline; end adds the subchecks, perfdata and
	 * summary to root (timed_out: the deadline ended the run; pending work
	 * is the plugin's to abort) and frees the state. The total time, its
	 * -w/-c check and the perfdata "time" are added before end. */
	void *(*begin)(const void *pcfg, const mc_check_config_t *c, const mc_check_env_t *env);
	void (*end)(void *state, bool timed_out, mc_result_t *root);
	/* With begin: false when this run needs no TLS (env.tls is then
	 * NULL). NULL: TLS is always set up. */
	bool (*wants_tls)(const void *pcfg);
} mc_check_plugin_t;

/* The whole plugin: --extra-opts, options, validation, the check, the
 * output. Returns the exit code. */
int mc_check_main(int argc, char **argv, const mc_check_plugin_t *plugin);

/* A threshold option: parse arg into r and set *has; a bad range is
 * MC_E_USAGE with "invalid --NAME range 'ARG'" in msg. */
mc_status_t mc_check_range_option(mc_range_t *r, bool *has, const char *arg, const char *name,
                                  char *msg, size_t msgsz);

/* -D/--domain of the DNS plugins: a valid name (mc_dns_name_valid) copied
 * to dst without its trailing dot; MC_E_USAGE with the reason in msg. */
mc_status_t mc_check_domain_option(char *dst, size_t dstsz, const char *arg, char *msg,
                                   size_t msgsz);

/* The MX records of an answer by preference (RFC 5321 section 5.1), then
 * by name: at most max into out; *null_mx when the answer is a null MX
 * (RFC 7505), and then none. Returns how many. */
size_t mc_check_mx_sorted(const mc_dns_answer_t *a, const mc_dns_rr_t **out, size_t max,
                          bool *null_mx);

/* The first line's summary: "SUBJECT<sep>" and the text of the worst
 * subcheck, or okline when every subcheck is OK. */
void mc_check_summary(mc_result_t *root, const char *subject, const char *sep, const char *okline);

/* A perfdata label with the --all-addresses suffix ("time_tls_::1"). */
void mc_check_perf(mc_result_t *node, const char *suffix, const char *name, double v,
                   const char *uom, const mc_thresholds_t *th);

#endif
