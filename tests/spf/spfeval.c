/* spfeval - evaluate check_host() once with the SPF library, for the RFC 7208
 * conformance suite (tests/spf/run-suite); built by make check, not
 * installed.
 *
 *   spfeval -s HOST:PORT -i IP -m MAILFROM -h HELO [-t SECONDS]
 *
 * asks only the DNS server HOST:PORT and prints one line on stdout,
 * "RESULT<TAB>EXPLANATION": the explanation is the record's exp= text for a
 * fail and empty otherwise (also for a fail explained by the default). An
 * empty MAILFROM evaluates postmaster@HELO (RFC 7208 section 2.4). A run
 * cut short by the deadline (-t, default 20 s) reports what the evaluation
 * had: temperror. One line on stderr tells the deciding term, the reason
 * and the lookups counted. Exit 0; 2 on a usage error; 1 when the
 * evaluation cannot start. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dns/mc_dns.h"
#include "loop/mc_loop.h"
#include "net/mc_net.h"
#include "policy/mc_spf.h"
#include "util/mc_clock.h"
#include "util/mc_str.h"

typedef struct opts {
	const char *server, *ip, *mailfrom, *helo;
	long seconds;
} opts_t;

typedef struct state {
	mc_loop_t *loop;
	bool done;
} state_t;

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "spfeval: %s\n", why);
	fprintf(stderr, "usage: spfeval -s HOST:PORT -i IP -m MAILFROM -h HELO [-t SECONDS]\n");
	return 2;
}

static int parse_args(int argc, char **argv, opts_t *o)
{
	char err[160];
	int c;

	memset(o, 0, sizeof(*o));
	o->seconds = 20;
	opterr = 0;
	while ((c = getopt(argc, argv, "s:i:m:h:t:")) != -1) {
		switch (c) {
		case 's': o->server = optarg; break;
		case 'i': o->ip = optarg; break;
		case 'm': o->mailfrom = optarg; break;
		case 'h': o->helo = optarg; break;
		case 't':
			if (mc_parse_long(optarg, 1, 3600, &o->seconds) != MC_OK)
				return usage("-t: a number of seconds, 1 to 3600");
			break;
		default: return usage("unknown option or missing value");
		}
	}
	if (optind != argc)
		return usage("unexpected argument");
	if (!o->server || !o->ip || !o->mailfrom || !o->helo)
		return usage("-s, -i, -m and -h are required");
	if (mc_dns_server_check(o->server, err, sizeof(err)) != MC_OK)
		return usage(err);
	return 0;
}

static void on_done(void *arg, const mc_spf_result_t *r)
{
	state_t *st = arg;

	(void)r;
	st->done = true;
	mc_loop_break(st->loop);
}

int main(int argc, char **argv)
{
	opts_t o;
	state_t st = {NULL, false};
	mc_dns_params_t dp;
	mc_spf_params_t sp;
	mc_dns_t *dns = NULL;
	mc_spf_run_t *run = NULL;
	const mc_spf_result_t *r;
	char err[256];
	int rc = parse_args(argc, argv, &o);

	if (rc)
		return rc;
	memset(&sp, 0, sizeof(sp));
	if (mc_addr_parse(o.ip, 0, &sp.ip) != MC_OK)
		return usage("-i: not an IPv4 or IPv6 address");
	sp.sender = o.mailfrom;
	sp.helo = o.helo;
	sp.now = (int64_t)time(NULL);
	memset(&dp, 0, sizeof(dp));
	dp.servers[0] = o.server;
	dp.nservers = 1;
	dp.deadline_ms = o.seconds * 1000;
	if (mc_loop_new(&st.loop) != MC_OK) {
		fprintf(stderr, "spfeval: out of memory\n");
		return 1;
	}
	if (mc_dns_new(st.loop, &dp, &dns, err, sizeof(err)) != MC_OK) {
		fprintf(stderr, "spfeval: %s\n", err);
		mc_loop_free(st.loop);
		return 1;
	}
	if (mc_spf_run_start(st.loop, dns, &sp, on_done, &st, &run) != MC_OK) {
		fprintf(stderr, "spfeval: cannot start the evaluation\n");
		mc_dns_free(dns);
		mc_loop_free(st.loop);
		return 1;
	}
	mc_loop_set_deadline(st.loop, mc_clock_now_us() + o.seconds * 1000000);
	(void)mc_loop_run(st.loop);
	r = mc_spf_run_result(run);
	printf("%s\t%s\n", mc_spf_res_str(r->result),
	       r->result == MC_SPF_FAIL && r->explained ? r->explanation : "");
	fprintf(stderr, "spfeval: %s%s; term '%s'; reason '%s'; %u lookups, %u void\n",
	        mc_spf_res_str(r->result), st.done ? "" : " (deadline)", r->term, r->reason,
	        r->lookups, r->void_lookups);
	mc_spf_run_free(run);
	mc_dns_free(dns);
	mc_loop_free(st.loop);
	return 0;
}
