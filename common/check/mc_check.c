#include "mc_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/mc_login.h"
#include "config.h"
#include "loop/mc_loop.h"
#include "net/mc_net.h"
#include "util/mc_clock.h"
#include "util/mc_str.h"

typedef struct usage {
	char msg[400];
} usage_t;

static bool bad(usage_t *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool bad(usage_t *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof(u->msg), fmt, ap);
	va_end(ap);
	return false;
}

/* An option of every plugin; false with u->msg on a bad value. */
static bool common_option(mc_check_config_t *c, int opt, const char *arg, usage_t *u)
{
	switch (opt) {
	case 'v': c->verbose++; return true;
	case 't':
		if (mc_timeout_parse(arg, &c->timeout, &c->timeout_state) != MC_OK)
			return bad(
			    u, "invalid --timeout '%s' (want SECONDS[:STATE], e.g. 10:critical)",
			    arg);
		return true;
	case MC_OPT_OUTPUT_FORMAT:
		if (mc_output_format_parse(arg, &c->format) != MC_OK)
			return bad(u, "invalid --output-format '%s' (want classic or json)", arg);
		return true;
	case MC_OPT_EXTRA_OPTS: return true; /* expanded before parsing */
	case 'w':
		if (mc_range_parse(arg, &c->time.warn) != MC_OK)
			return bad(u, "invalid --warning range '%s'", arg);
		c->time.has_warn = true;
		return true;
	case 'c':
		if (mc_range_parse(arg, &c->time.crit) != MC_OK)
			return bad(u, "invalid --critical range '%s'", arg);
		c->time.has_crit = true;
		return true;
	case 's': {
		char err[200];
		if (c->dns.nservers == MC_DNS_MAX_SERVERS)
			return bad(u, "too many --dns-server options (at most %d)",
			           MC_DNS_MAX_SERVERS);
		if (mc_dns_server_check(arg, err, sizeof(err)) != MC_OK)
			return bad(u, "%s", err);
		c->dns.servers[c->dns.nservers++] = arg;
		return true;
	}
	default: return bad(u, "unknown option");
	}
}

/* Parse argv into c and the plugin's configuration. *exit_now >= 0 after
 * --help or --version. */
static bool parse_args(int argc, char **argv, const mc_check_plugin_t *pl, mc_check_config_t *c,
                       usage_t *u, int *exit_now)
{
	struct option *longopts = NULL;
	char *shortopts = NULL;
	int opt;
	bool ok = true;

	*exit_now = -1;
	memset(c, 0, sizeof(*c));
	c->timeout = 10;
	c->timeout_state = MC_STATE_CRITICAL;
	if (mc_opts_tables(pl->options, &longopts, &shortopts) != MC_OK)
		return bad(u, "out of memory");
	/* 0, not 1: GNU getopt then starts over entirely, so the runner can run
	 * more than once in a process (its tests do). */
	optind = 0;
	opterr = 0;
	while (ok && *exit_now < 0 &&
	       (opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		mc_status_t st;
		if (opt == 'h') {
			mc_opts_help(stdout, pl->progname, pl->description, pl->synopsis,
			             pl->options);
			*exit_now = MC_STATE_UNKNOWN;
			break;
		}
		if (opt == 'V') {
			mc_opts_version(stdout, pl->progname);
			*exit_now = MC_STATE_UNKNOWN;
			break;
		}
		if (opt == '?' || opt == ':') {
			if (optopt && optopt < MC_OPT_LONG_BASE && strchr(shortopts, optopt))
				ok = bad(u, "option -%c needs a value", optopt);
			else
				ok = bad(u, "unknown option '%s'", argv[optind - 1]);
			break;
		}
		st = pl->option ? pl->option(pl->pcfg, opt, optarg, u->msg, sizeof(u->msg))
		                : MC_E_AGAIN;
		if (st == MC_E_AGAIN)
			ok = common_option(c, opt, optarg, u);
		else if (st != MC_OK)
			ok = false;
	}
	if (ok && *exit_now < 0 && optind < argc)
		ok = bad(u, "unexpected argument '%s' (this plugin takes no positional arguments)",
		         argv[optind]);
	free(longopts);
	free(shortopts);
	return ok;
}

static bool validate(const mc_check_plugin_t *pl, const mc_check_config_t *c, usage_t *u)
{
	return !pl->validate || pl->validate(pl->pcfg, c, u->msg, sizeof(u->msg)) == MC_OK;
}

mc_status_t mc_check_range_option(mc_range_t *r, bool *has, const char *arg, const char *name,
                                  char *msg, size_t msgsz)
{
	if (mc_range_parse(arg, r) != MC_OK) {
		snprintf(msg, msgsz, "invalid --%s range '%s'", name, arg);
		return MC_E_USAGE;
	}
	*has = true;
	return MC_OK;
}

mc_status_t mc_check_domain_option(char *dst, size_t dstsz, const char *arg, char *msg,
                                   size_t msgsz)
{
	size_t n = strlen(arg);

	/* The trailing dot is dropped before the length counts: a 253-byte
	 * name written fully qualified is 254 bytes. */
	if (n > 1 && arg[n - 1] == '.')
		n--;
	if (!mc_dns_name_valid(arg) || n >= dstsz) {
		snprintf(msg, msgsz, "invalid --domain '%.300s' (want a domain name)", arg);
		return MC_E_USAGE;
	}
	memcpy(dst, arg, n);
	dst[n] = '\0';
	return MC_OK;
}

void mc_check_summary(mc_result_t *root, const char *subject, const char *sep, const char *okline)
{
	const mc_result_t *worst = mc_result_worst(root);

	mc_result_summary(root, "%s%s%s", subject, sep, worst ? mc_result_text(worst) : okline);
}

/* The total time against -w/-c, and its perfdata. */
static void report_time(const mc_check_config_t *c, mc_result_t *root, double total)
{
	mc_state_t ts = mc_thresholds_check(&c->time, total);

	if (ts != MC_STATE_OK)
		mc_result_add(root, ts, "total time %.3fs outside the %s range", total,
		              ts == MC_STATE_CRITICAL ? "critical" : "warning");
	mc_result_perf(root, "time", total, "s", &c->time);
}

/* Everything between the options and the output: the loop, DNS and (when
 * wanted) TLS, the plugin's work, the total time. */
static void check(const mc_check_plugin_t *pl, const mc_check_config_t *c, mc_result_t *root,
                  int64_t t0)
{
	mc_check_env_t env = {NULL, NULL, NULL, t0};
	char err[512];
	mc_status_t st;
	mc_tls_ctx_params_t tp = {NULL, NULL};
	mc_dns_params_t dnsp = c->dns;
	void *state;

	if (mc_loop_new(&env.loop) != MC_OK) {
		mc_result_add(root, MC_STATE_UNKNOWN, "out of memory");
		goto out;
	}
	mc_loop_set_deadline(env.loop, t0 + (int64_t)(c->timeout * 1e6));
	dnsp.deadline_ms = (long)(c->timeout * 1000);
	dnsp.verbose = c->verbose;
	if (pl->tls_params)
		pl->tls_params(pl->pcfg, &tp);
	/* OpenSSL's context is two thirds of a DNS-only run: only when used. */
	if (((!pl->wants_tls || pl->wants_tls(pl->pcfg)) &&
	     (st = mc_tls_ctx_new(&tp, &env.tls, err, sizeof(err))) != MC_OK) ||
	    (st = mc_dns_new(env.loop, &dnsp, &env.dns, err, sizeof(err))) != MC_OK) {
		mc_result_add(root, MC_STATE_UNKNOWN, "%s", err);
		goto out;
	}
	state = pl->begin(pl->pcfg, c, &env);
	if (!state) {
		mc_result_add(root, MC_STATE_UNKNOWN, "out of memory");
		goto out;
	}
	st = mc_loop_run(env.loop);
	if (st != MC_OK && st != MC_E_TIMEOUT)
		mc_result_add(root, MC_STATE_UNKNOWN, "event loop failed: %s", mc_status_str(st));
	report_time(c, root, mc_clock_secs(t0, mc_clock_now_us()));
	pl->end(state, st == MC_E_TIMEOUT, root);
out:
	mc_dns_free(env.dns);
	mc_tls_ctx_free(env.tls);
	mc_loop_free(env.loop);
}

int mc_check_main(int argc, char **argv, const mc_check_plugin_t *pl)
{
	int64_t t0 = mc_clock_now_us();
	mc_check_config_t cfg;
	usage_t u;
	int xargc, exit_now, rc;
	char **xargv;
	char err[300];
	mc_result_t *root;

	if (mc_extraopts_expand(argc, argv, pl->progname, pl->options, &xargc, &xargv, err,
	                        sizeof(err)) != MC_OK)
		return mc_usage_error(stdout, pl->label, pl->progname, "%s", err);
	/* xargv holds copies: the originals can go. */
	mc_login_scrub_argv(argc, argv);
	if (!parse_args(xargc, xargv, pl, &cfg, &u, &exit_now) ||
	    (exit_now < 0 && !validate(pl, &cfg, &u))) {
		rc = mc_usage_error(stdout, pl->label, pl->progname, "%s", u.msg);
		mc_extraopts_free(xargc, xargv);
		return rc;
	}
	if (exit_now >= 0) {
		mc_extraopts_free(xargc, xargv);
		return exit_now;
	}
	root = mc_result_new(pl->label);
	if (!root) {
		mc_extraopts_free(xargc, xargv);
		printf("%s UNKNOWN - out of memory\n", pl->label);
		return MC_STATE_UNKNOWN;
	}
	check(pl, &cfg, root, t0);
	rc = mc_result_print(root, cfg.format, stdout);
	mc_result_free(root);
	mc_extraopts_free(xargc, xargv);
	return rc;
}
