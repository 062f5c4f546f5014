/* mc_check.h - the one plugin runner: --extra-opts, the option loop (-h,
 * -V and the options every plugin has: -v, -t, --output-format, -w/-c on
 * the total time, -s), validation, the event loop with its deadline, DNS
 * and (when wanted) TLS, the plugin's work, the total time, the output and
 * the exit code. A plugin is a descriptor (mc_check_plugin_t): its options
 * and one model of work, begin and end. The TLS service plugins run the
 * engine of check/mc_tls_service.h in that model. */
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
#include "tls/mc_tls.h"

/* The options every plugin has: -t, -v, --output-format, -w/-c on the
 * total time, -s. */
typedef struct mc_check_config {
	double timeout;
	mc_state_t timeout_state;
	int verbose;
	mc_output_format_t format;
	mc_thresholds_t time;
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
	void *pcfg;              /* the plugin's own configuration */
	/* The plugin's options: MC_OK, MC_E_USAGE with msg, or MC_E_AGAIN for
	 * "not mine" (then the runner's: -v, -t, --output-format, -w, -c, -s).
	 * Called before the shared handling. */
	mc_status_t (*option)(void *pcfg, int opt, const char *arg, char *msg, size_t msgsz);
	/* After the options. MC_OK or MC_E_USAGE with msg. */
	mc_status_t (*validate)(void *pcfg, const mc_check_config_t *c, char *msg, size_t msgsz);
	/* begin starts the plugin's work on env's loop and returns its state
	 * (NULL: out of memory); the loop runs until nothing is left to wait
	 * for or the deadline; end adds the subchecks, perfdata and summary to
	 * root (timed_out: the deadline ended the run; pending work is the
	 * plugin's to abort) and frees the state. The total time, its -w/-c
	 * check and the perfdata "time" are added before end. */
	void *(*begin)(const void *pcfg, const mc_check_config_t *c, const mc_check_env_t *env);
	void (*end)(void *state, bool timed_out, mc_result_t *root);
	/* false when this run needs no TLS (env.tls is then NULL). NULL: TLS
	 * is always set up. */
	bool (*wants_tls)(const void *pcfg);
	/* The TLS context's parameters (--ca-file). NULL: the defaults. */
	void (*tls_params)(const void *pcfg, mc_tls_ctx_params_t *p);
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

/* The first line's summary: "SUBJECT<sep>" and the text of the worst
 * subcheck, or okline when every subcheck is OK. */
void mc_check_summary(mc_result_t *root, const char *subject, const char *sep, const char *okline);

#endif
