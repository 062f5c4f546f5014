#include "mc_check.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "loop/mc_loop.h"
#include "net/mc_net.h"
#include "util/mc_clock.h"
#include "util/mc_str.h"

#define MAX_TARGETS 16

mc_status_t mc_check_login_option(mc_check_login_t *l, int opt, const char *arg, char *msg,
                                  size_t msgsz)
{
	(void)msg;
	(void)msgsz;
	switch (opt) {
	case 'U': l->user = arg; return MC_OK;
	case MC_CHECK_OPT_PASSWORD_FILE: l->password_file = arg; return MC_OK;
	case 'P': l->password_arg = arg; return MC_OK;
	case MC_CHECK_OPT_AUTH: l->auth = arg; return MC_OK;
	default: return MC_E_AGAIN;
	}
}

/* The first line of file into out; the message never quotes the content. */
static mc_status_t read_password_file(const char *file, char *out, size_t outsz, char *msg,
                                      size_t msgsz)
{
	char buf[1024];
	size_t n, ll;
	FILE *f = fopen(file, "r");

	if (!f) {
		snprintf(msg, msgsz, "cannot read --password-file %s: %s", file, strerror(errno));
		return MC_E_USAGE;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	ll = strcspn(buf, "\r\n");
	buf[ll] = '\0';
	if (ll == 0 || ll >= outsz) {
		OPENSSL_cleanse(buf, sizeof(buf));
		snprintf(msg, msgsz,
		         "--password-file %s: the first line must hold the password "
		         "(1 to %zu bytes)",
		         file, outsz - 1);
		return MC_E_USAGE;
	}
	memcpy(out, buf, ll + 1);
	OPENSSL_cleanse(buf, sizeof(buf));
	return MC_OK;
}

mc_status_t mc_check_login_validate(mc_check_login_t *l, char *msg, size_t msgsz)
{
	const char *env = getenv("MAILCHECK_PASSWORD");
	const char *given = l->password_arg ? l->password_arg : env;

	if (!l->user) {
		if (l->password_file || l->password_arg) {
			snprintf(msg, msgsz, "a password was given without -U/--user");
			return MC_E_USAGE;
		}
		return MC_OK;
	}
	if (!*l->user || strlen(l->user) > 255) {
		snprintf(msg, msgsz, "-U/--user must hold 1 to 255 bytes");
		return MC_E_USAGE;
	}
	if (l->password_file) {
		if (read_password_file(l->password_file, l->password, sizeof(l->password), msg,
		                       msgsz) != MC_OK)
			return MC_E_USAGE;
	} else if (given && *given && strlen(given) < sizeof(l->password)) {
		mc_strlcpy(l->password, given, sizeof(l->password));
	} else {
		snprintf(msg, msgsz,
		         "-U needs a password of 1 to %zu bytes: --password-file FILE, "
		         "MAILCHECK_PASSWORD or -P",
		         sizeof(l->password) - 1);
		return MC_E_USAGE;
	}
	l->have_password = true;
	return MC_OK;
}

void mc_check_login_clear(mc_check_login_t *l)
{
	OPENSSL_cleanse(l->password, sizeof(l->password));
	l->have_password = false;
}

/* ps shows argv: overwrite a -P value in place once it has been copied. */
static void scrub_password_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		char *v = NULL;
		if (!strcmp(argv[i], "--")) {
			break;
		} else if ((!strcmp(argv[i], "-P") || !strcmp(argv[i], "--password")) &&
		           i + 1 < argc) {
			v = argv[++i];
		} else if (!strncmp(argv[i], "--password=", 11)) {
			v = argv[i] + 11;
		} else if (!strncmp(argv[i], "-P", 2) && argv[i][2]) {
			v = argv[i] + 2;
		}
		if (v)
			memset(v, '*', strlen(v));
	}
}

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

/* A shared option; false with u->msg on a bad value. */
static bool shared_option(mc_check_config_t *c, int opt, const char *arg, usage_t *u)
{
	long l;

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
	case 'H': c->host = arg; return true;
	case 'p':
		if (mc_parse_long(arg, 1, 65535, &l) != MC_OK)
			return bad(u, "invalid --port '%s' (want 1..65535)", arg);
		c->port = (unsigned)l;
		return true;
	case 'S': /* check_smtp's spelling of --tls=starttls */ c->tls_mode = 1; return true;
	case MC_CHECK_OPT_TLS:
		if (!strcmp(arg, "starttls"))
			c->tls_mode = 1;
		else if (!strcmp(arg, "implicit"))
			c->tls_mode = 2;
		else
			return bad(u, "invalid --tls '%s' (want starttls or implicit)", arg);
		return true;
	case '4': c->family = AF_INET; return true;
	case '6': c->family = AF_INET6; return true;
	case MC_CHECK_OPT_ALL_ADDRESSES: c->all_addresses = true; return true;
	case MC_CHECK_OPT_VERIFY:
		if (!strcmp(arg, "full"))
			c->verify = MC_TLS_VERIFY_FULL;
		else if (!strcmp(arg, "chain"))
			c->verify = MC_TLS_VERIFY_CHAIN;
		else if (!strcmp(arg, "none"))
			c->verify = MC_TLS_VERIFY_NONE;
		else
			return bad(u, "invalid --verify '%s' (want full, chain or none)", arg);
		return true;
	case MC_CHECK_OPT_CA_FILE: c->ca_file = arg; return true;
	case MC_CHECK_OPT_CERT_NAME: c->cert_name = arg; return true;
	case MC_CHECK_OPT_SNI: c->sni = arg; return true;
	case 'D':
		if (mc_thresholds_parse_below(arg, "3", &c->days) != MC_OK)
			return bad(u,
			           "invalid --certificate '%s' (want WARN[,CRIT] days, e.g. 14,3)",
			           arg);
		return true;
	case MC_CHECK_OPT_MIN_TLS:
		if (mc_tls_version_parse(arg, &c->min_tls) != MC_OK)
			return bad(u, "invalid --min-tls '%s' (want 1.2 or 1.3)", arg);
		c->min_tls_text = arg;
		return true;
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
	c->port = pl->default_port;
	c->family = AF_UNSPEC;
	c->timeout = 10;
	c->timeout_state = MC_STATE_CRITICAL;
	mc_thresholds_parse_below("14", "3", &c->days);
	if (mc_opts_tables(pl->options, &longopts, &shortopts) != MC_OK)
		return bad(u, "out of memory");
	optind = 1;
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
			ok = shared_option(c, opt, optarg, u);
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

static bool validate(const mc_check_plugin_t *pl, mc_check_config_t *c, usage_t *u)
{
	mc_addr_t lit;
	bool host_is_addr;

	if (pl->begin)
		return !pl->validate || pl->validate(pl->pcfg, c, u->msg, sizeof(u->msg)) == MC_OK;
	if (!c->host || !*c->host)
		return bad(u, "-H/--hostname is required");
	if (strlen(c->host) > 253)
		return bad(u, "-H/--hostname is longer than 253 characters");
	host_is_addr = mc_addr_parse(c->host, 0, &lit) == MC_OK;
	if (!c->cert_name && !host_is_addr)
		c->cert_name = c->host;
	if (c->verify == MC_TLS_VERIFY_FULL && !c->cert_name)
		return bad(u, "-H is an address: full verification needs --cert-name NAME "
		              "(or --verify=chain)");
	if (!c->sni)
		c->sni = c->cert_name;
	c->implicit_tls = c->tls_mode ? c->tls_mode == 2 : c->port == pl->implicit_port;
	if (pl->validate && pl->validate(pl->pcfg, c, u->msg, sizeof(u->msg)) != MC_OK)
		return false;
	return true;
}

typedef struct target {
	mc_session_t *session;
	mc_session_result_t *res; /* the plugin's result, base first */
	mc_addr_t addrs[MAX_TARGETS];
	size_t naddrs;
	bool finished;
} target_t;

typedef struct run {
	const mc_check_plugin_t *pl;
	const mc_check_config_t *cfg;
	mc_loop_t *loop;
	mc_dns_t *dns;
	mc_tls_ctx_t *tls;
	target_t targets[MAX_TARGETS];
	size_t ntargets;
	bool resolved;
	mc_status_t resolve_status;
	char resolve_error[512];
	int64_t t0;
} run_t;

static void on_session_done(void *arg)
{
	target_t *t = arg;

	t->finished = true;
	t->session = NULL;
}

static void start_sessions(run_t *r, const mc_addr_t *addrs, size_t n)
{
	const mc_check_config_t *c = r->cfg;
	mc_session_params_t sp;
	size_t i;

	memset(&sp, 0, sizeof(sp));
	sp.loop = r->loop;
	sp.tls = r->tls;
	sp.tlsp.sni = c->sni;
	sp.tlsp.cert_name = c->cert_name;
	sp.tlsp.verify = c->verify;
	sp.implicit_tls = c->implicit_tls;
	sp.verbose = c->verbose;
	r->ntargets = c->all_addresses ? n : 1;
	for (i = 0; i < r->ntargets; i++) {
		target_t *t = &r->targets[i];
		t->res = calloc(1, r->pl->result_size);
		if (c->all_addresses) {
			t->addrs[0] = addrs[i];
			t->naddrs = 1;
		} else {
			memcpy(t->addrs, addrs, n * sizeof(*addrs));
			t->naddrs = n;
		}
		sp.addrs = t->addrs;
		sp.naddrs = t->naddrs;
		if (t->res)
			t->session = r->pl->start(r->pl->pcfg, &sp, t->res, on_session_done, t);
		if (!t->session) {
			t->finished = true;
			if (!t->res)
				t->res = calloc(1, r->pl->result_size);
			if (t->res) {
				t->res->status = MC_E_NOMEM;
				mc_strlcpy(t->res->error, "out of memory", sizeof(t->res->error));
			}
		}
	}
}

static void on_resolved(void *arg, mc_status_t st, const mc_addr_t *addrs, size_t n,
                        const char *err)
{
	run_t *r = arg;

	r->resolved = true;
	r->resolve_status = st;
	if (st != MC_OK) {
		mc_strlcpy(r->resolve_error, err, sizeof(r->resolve_error));
		return;
	}
	start_sessions(r, addrs, n < MAX_TARGETS ? n : MAX_TARGETS);
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

void mc_check_perf(mc_result_t *node, const char *suffix, const char *name, double v,
                   const char *uom, const mc_thresholds_t *th)
{
	char label[64];

	if (suffix)
		snprintf(label, sizeof(label), "%s_%s", name, suffix);
	else
		mc_strlcpy(label, name, sizeof(label));
	mc_result_perf(node, label, v, uom, th);
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

/* The handshake, verification, validity and protocol lines of one session. */
static void report_tls(const mc_check_config_t *c, const mc_session_result_t *res,
                       mc_result_t *node, const char *suffix)
{
	const mc_tls_info_t *tls = &res->tls;
	char when[40];

	mc_result_add(node, MC_STATE_OK, "handshake: %s %s", tls->version, tls->cipher);
	if (c->verify == MC_TLS_VERIFY_NONE)
		mc_result_add(node, MC_STATE_OK,
		              "verification: certificate not verified (--verify=none); subject %s, "
		              "issuer %s",
		              tls->subject, tls->issuer);
	else if (tls->verified)
		mc_result_add(node, MC_STATE_OK, "verification: %s, subject %s, issuer %s",
		              c->verify == MC_TLS_VERIFY_CHAIN
		                  ? "chain valid, name not checked (--verify=chain)"
		                  : "chain and name valid",
		              tls->subject, tls->issuer);
	if (tls->have_cert &&
	    (res->status == MC_OK || tls->verified || c->verify == MC_TLS_VERIFY_NONE)) {
		mc_state_t ds = mc_thresholds_check(&c->days, tls->days_left);
		mc_tls_time_str(tls->not_after, when, sizeof(when));
		if (tls->days_left < 0)
			mc_result_add(node, ds, "validity: certificate expired %.1f days ago (%s)",
			              -tls->days_left,
			              tls->expiring_depth ? tls->expiring_subject : when);
		else if (tls->expiring_depth == 0)
			mc_result_add(node, ds, "validity: certificate valid %.1f days (until %s)",
			              tls->days_left, when);
		else
			mc_result_add(
			    node, ds,
			    "validity: certificate valid %.1f days (chain certificate %s at "
			    "depth %d expires first)",
			    tls->days_left, tls->expiring_subject, tls->expiring_depth);
		mc_check_perf(node, suffix, "cert_days", tls->days_left, "", &c->days);
	}
	if (c->min_tls && tls->version_num < c->min_tls)
		mc_result_add(node, MC_STATE_CRITICAL,
		              "protocol: negotiated %s, below --min-tls %s", tls->version,
		              c->min_tls_text);
}

/* Subchecks and perfdata of one session below node; okline gets its part
 * of the OK summary. */
static void report_target(const run_t *r, const target_t *t, mc_result_t *node, const char *suffix,
                          char *okline, size_t oklinesz)
{
	const mc_check_plugin_t *pl = r->pl;
	const mc_check_config_t *c = r->cfg;
	const mc_session_result_t *res = t->res;
	char addr[MC_ADDR_STRLEN + 8], extra[300];
	size_t i;

	okline[0] = '\0';
	extra[0] = '\0';
	if (!res)
		return;
	if (res->connected) {
		mc_addr_str_port(&res->addr, addr, sizeof(addr));
		mc_result_add(node, MC_STATE_OK, "connect: %s in %.3fs", addr,
		              (double)res->times[0].us / 1e6);
	}
	if (pl->before_tls)
		pl->before_tls(pl->pcfg, c, res, node);
	if (res->tls_done)
		report_tls(c, res, node, suffix);
	if (pl->after_tls)
		pl->after_tls(pl->pcfg, c, res, node, suffix, extra, sizeof(extra));
	if (res->status != MC_OK)
		mc_result_add(node, mc_state_from_status(res->status, c->timeout_state), "%s",
		              res->error);
	for (i = 0; i < res->ntimes; i++)
		if (res->times[i].perf)
			mc_check_perf(node, suffix, res->times[i].perf,
			              (double)res->times[i].us / 1e6, "s", NULL);
	if (res->status == MC_OK && res->tls_done)
		snprintf(okline, oklinesz, "%s%s%s %s, certificate valid %.1f days%s%s",
		         c->implicit_tls ? "" : pl->starttls_word, c->implicit_tls ? "" : " ",
		         res->tls.version, res->tls.cipher, res->tls.days_left, extra,
		         c->verify == MC_TLS_VERIFY_NONE
		             ? ", certificate not verified (--verify=none)"
		         : c->verify == MC_TLS_VERIFY_CHAIN ? ", name not checked (--verify=chain)"
		                                            : "");
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

static void report(const run_t *r, mc_result_t *root, int64_t t_end)
{
	const mc_check_config_t *c = r->cfg;
	double total = mc_clock_secs(r->t0, t_end);
	char hostport[300], okline[400];
	size_t i;

	snprintf(hostport, sizeof(hostport), strchr(c->host, ':') ? "[%s]:%u" : "%s:%u", c->host,
	         c->port);
	okline[0] = '\0';
	if (!r->resolved) {
		mc_result_add(root, c->timeout_state, "timeout after %gs resolving %s", c->timeout,
		              c->host);
	} else if (r->resolve_status != MC_OK) {
		mc_result_add(root, mc_state_from_status(r->resolve_status, c->timeout_state), "%s",
		              r->resolve_error);
	} else if (!c->all_addresses) {
		report_target(r, &r->targets[0], root, NULL, okline, sizeof(okline));
	} else {
		for (i = 0; i < r->ntargets; i++) {
			const target_t *t = &r->targets[i];
			char addr[MC_ADDR_STRLEN], one[400];
			mc_result_t *node;
			mc_addr_str(&t->addrs[0], addr, sizeof(addr));
			node = mc_result_add(root, MC_STATE_OK, "%s", addr);
			if (!node)
				continue;
			report_target(r, t, node, addr, one, sizeof(one));
			mc_result_set(node, MC_STATE_OK, "%s: %s", addr,
			              one[0]                       ? one
			              : t->res && t->res->error[0] ? t->res->error
			                                           : "not checked");
		}
		snprintf(okline, sizeof(okline), "%zu addresses checked", r->ntargets);
	}
	report_time(c, root, total);
	mc_check_summary(root, hostport, " ", okline);
}

static void on_deadline(run_t *r)
{
	size_t i;

	for (i = 0; i < r->ntargets; i++) {
		target_t *t = &r->targets[i];
		if (!t->finished && t->session) {
			mc_session_abort(t->session, MC_E_TIMEOUT);
			t->session = NULL;
			t->finished = true;
			if (t->res->status == MC_E_TIMEOUT)
				snprintf(t->res->error, sizeof(t->res->error),
				         "timeout after %gs in %s phase", r->cfg->timeout,
				         t->res->phase ? t->res->phase : "?");
		}
	}
}

static void run_plugin(const mc_check_plugin_t *pl, const mc_check_config_t *c, run_t *r,
                       mc_result_t *root)
{
	mc_check_env_t env = {r->loop, r->dns, r->tls, r->t0};
	void *state = pl->begin(pl->pcfg, c, &env);
	mc_status_t st;

	if (!state) {
		mc_result_add(root, MC_STATE_UNKNOWN, "out of memory");
		return;
	}
	st = mc_loop_run(r->loop);
	if (st != MC_OK && st != MC_E_TIMEOUT)
		mc_result_add(root, MC_STATE_UNKNOWN, "event loop failed: %s", mc_status_str(st));
	report_time(c, root, mc_clock_secs(r->t0, mc_clock_now_us()));
	pl->end(state, st == MC_E_TIMEOUT, root);
}

static void check(const mc_check_plugin_t *pl, const mc_check_config_t *c, mc_result_t *root,
                  int64_t t0)
{
	run_t r;
	char err[512];
	mc_status_t st;
	mc_tls_ctx_params_t tp = {c->ca_file, NULL};
	mc_dns_params_t dnsp = c->dns;
	bool with_tls = !pl->begin || !pl->wants_tls || pl->wants_tls(pl->pcfg);
	size_t i;

	memset(&r, 0, sizeof(r));
	r.pl = pl;
	r.cfg = c;
	r.t0 = t0;
	if (mc_loop_new(&r.loop) != MC_OK) {
		mc_result_add(root, MC_STATE_UNKNOWN, "out of memory");
		goto out;
	}
	mc_loop_set_deadline(r.loop, t0 + (int64_t)(c->timeout * 1e6));
	dnsp.deadline_ms = (long)(c->timeout * 1000);
	dnsp.verbose = c->verbose;
	/* OpenSSL's context is two thirds of a DNS-only run: only when used. */
	if ((with_tls && (st = mc_tls_ctx_new(&tp, &r.tls, err, sizeof(err))) != MC_OK) ||
	    (st = mc_dns_new(r.loop, &dnsp, &r.dns, err, sizeof(err))) != MC_OK) {
		mc_result_add(root, MC_STATE_UNKNOWN, "%s", err);
		goto out;
	}
	if (pl->begin) {
		run_plugin(pl, c, &r, root);
		goto out;
	}
	st = mc_dns_resolve(r.dns, c->host, c->family, c->port, on_resolved, &r);
	if (st != MC_OK) {
		mc_result_add(root, MC_STATE_UNKNOWN, "%s", mc_status_str(st));
		goto out;
	}
	st = mc_loop_run(r.loop);
	if (st == MC_E_TIMEOUT)
		on_deadline(&r);
	else if (st != MC_OK)
		mc_result_add(root, MC_STATE_UNKNOWN, "event loop failed: %s", mc_status_str(st));
	report(&r, root, mc_clock_now_us());
out:
	for (i = 0; i < r.ntargets; i++)
		free(r.targets[i].res);
	mc_dns_free(r.dns);
	mc_tls_ctx_free(r.tls);
	mc_loop_free(r.loop);
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

	if (mc_extraopts_expand(argc, argv, pl->progname, &xargc, &xargv, err, sizeof(err)) !=
	    MC_OK)
		return mc_usage_error(stdout, pl->label, pl->progname, "%s", err);
	/* xargv holds copies: the originals can go. */
	scrub_password_args(argc, argv);
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
