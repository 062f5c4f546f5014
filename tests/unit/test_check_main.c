/* Unit tests: the one plugin runner (check/mc_check): --help, -V, the
 * options every plugin has, usage errors as one UNKNOWN line, the plugin's
 * own options and validation, begin and end on the loop, the total time
 * against -w/-c, the output formats and the exit code. A scripted plugin
 * stands in for a real one; its output is read back from stdout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check/mc_check.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum { OPT_STATE = MC_OPT_LONG_BASE + 1, OPT_NOMEM, OPT_REFUSE };

static const mc_opt_t options[] = {
    {"state", OPT_STATE, required_argument, "STATE", "The state to report. Default: ok."},
    {"fail-begin", OPT_NOMEM, no_argument, NULL, "begin returns NULL."},
    {"refuse", OPT_REFUSE, no_argument, NULL, "validate refuses the run."},
    {"warning", 'w', required_argument, "RANGE", "Total time, WARNING. Default: none."},
    {"critical", 'c', required_argument, "RANGE", "Total time, CRITICAL. Default: none."},
    {"dns-server", 's', required_argument, "HOST[:PORT]", "Resolver. Default: the system's."},
    MC_OPTS_STANDARD,
    {NULL, 0, 0, NULL, NULL}};

typedef struct fake_cfg {
	mc_state_t state;
	bool fail_begin, refuse;
	bool saw_tls, saw_dns;
	int verbose;
} fake_cfg_t;

static fake_cfg_t cfg;

static mc_status_t option(void *pcfg, int opt, const char *arg, char *msg, size_t msgsz)
{
	fake_cfg_t *c = pcfg;

	switch (opt) {
	case OPT_STATE:
		if (mc_state_parse(arg, &c->state) != MC_OK) {
			snprintf(msg, msgsz, "invalid --state '%s'", arg);
			return MC_E_USAGE;
		}
		return MC_OK;
	case OPT_NOMEM: c->fail_begin = true; return MC_OK;
	case OPT_REFUSE: c->refuse = true; return MC_OK;
	default: return MC_E_AGAIN;
	}
}

static mc_status_t validate(void *pcfg, const mc_check_config_t *cc, char *msg, size_t msgsz)
{
	fake_cfg_t *c = pcfg;

	c->verbose = cc->verbose;
	if (c->refuse) {
		snprintf(msg, msgsz, "refused by the plugin");
		return MC_E_USAGE;
	}
	return MC_OK;
}

static void *begin(const void *pcfg, const mc_check_config_t *cc, const mc_check_env_t *env)
{
	(void)cc;
	cfg.saw_tls = env->tls != NULL;
	cfg.saw_dns = env->dns != NULL;
	return ((const fake_cfg_t *)pcfg)->fail_begin ? NULL : &cfg;
}

static void end(void *state, bool timed_out, mc_result_t *root)
{
	fake_cfg_t *c = state;

	assert_false(timed_out);
	mc_result_add(root, c->state, "the fake says %s", mc_state_name(c->state));
	mc_check_summary(root, "fake.test", ": ", "all well");
}

static bool wants_tls(const void *pcfg)
{
	(void)pcfg;
	return false;
}

static const mc_check_plugin_t plugin = {
    .progname = "check_fake",
    .label = "FAKE",
    .description = "A scripted plugin for the runner's tests.",
    .synopsis = "check_fake [--state STATE]",
    .options = options,
    .pcfg = &cfg,
    .option = option,
    .validate = validate,
    .begin = begin,
    .end = end,
    .wants_tls = wants_tls,
};

/* Run the runner on args (space separated), its stdout into out. */
static int run(const char *args, char *out, size_t outsz)
{
	char buf[512], *argv[32], *p;
	int argc = 0, rc, saved;
	FILE *tmp = tmpfile();
	size_t n;

	assert_non_null(tmp);
	snprintf(buf, sizeof(buf), "check_fake %s", args);
	for (p = buf; *p && argc < 31;) {
		argv[argc++] = p;
		p += strcspn(p, " ");
		if (*p)
			*p++ = '\0';
	}
	argv[argc] = NULL;
	memset(&cfg, 0, sizeof(cfg));
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	rc = mc_check_main(argc, argv, &plugin);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, outsz - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return rc;
}

static const struct {
	const char *why;
	const char *args;
	int rc;
	const char *out; /* a part of stdout */
	bool one_line;
} cases[] = {
    {"an OK run: label, state, summary, time perfdata", "", 0, "FAKE OK - fake.test: all well | ",
     false},
    {"the plugin's state and words win the summary", "--state critical", 2,
     "FAKE CRITICAL - fake.test: the fake says CRITICAL", false},
    {"--help: every option, exit UNKNOWN", "--help", 3, "--state=STATE", false},
    {"-V: the version, exit UNKNOWN", "-V", 3, "check_fake", false},
    {"an unknown option is one UNKNOWN line", "--nope", 3, "FAKE UNKNOWN - unknown option '--nope'",
     true},
    {"a short option without its value", "-t", 3, "FAKE UNKNOWN - option -t needs a value", true},
    {"a bad timeout", "-t abc", 3, "invalid --timeout 'abc' (want SECONDS[:STATE]", true},
    {"a bad output format", "--output-format=xml", 3, "invalid --output-format 'xml'", true},
    {"a bad range", "-w 5:1", 3, "invalid --warning range '5:1'", true},
    {"a bad critical range", "-c x", 3, "invalid --critical range 'x'", true},
    {"a bad resolver", "-s 999.1.1.1", 3, "FAKE UNKNOWN - ", true},
    {"a positional argument", "extra", 3, "unexpected argument 'extra'", true},
    {"the plugin's own bad value", "--state maybe", 3, "invalid --state 'maybe'", true},
    {"the plugin's validation", "--refuse", 3, "FAKE UNKNOWN - refused by the plugin", true},
    {"begin out of memory is UNKNOWN", "--fail-begin", 3, "FAKE UNKNOWN - out of memory", false},
    {"the total time over -c is CRITICAL, echoed in perfdata", "-c 0", 2, "total time", false},
    {"the total time within -w", "-w 60 -c 120", 0, "'time'=", false},
    {"json output, same exit code", "--output-format=json --state warning", 1,
     "\"label\":\"FAKE\",\"state\":\"WARNING\"", true},
    {"a missing --extra-opts file is one UNKNOWN line", "--extra-opts=@/nonexistent/p.ini", 3,
     "FAKE UNKNOWN - /nonexistent/p.ini: no such file", true},
};

static void test_runner(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		char out[8192];
		int rc;

		print_message("case: %s\n", cases[i].why);
		rc = run(cases[i].args, out, sizeof(out));
		if (rc != cases[i].rc || !strstr(out, cases[i].out))
			fail_msg("%s: exit %d, output:\n%s", cases[i].why, rc, out);
		if (cases[i].one_line)
			assert_true(strchr(out, '\n') == out + strlen(out) - 1);
	}
}

/* What the runner hands the plugin. */
static void test_runner_env(void **state)
{
	char out[4096];

	(void)state;
	assert_int_equal(run("-v -v", out, sizeof(out)), 0);
	assert_int_equal(cfg.verbose, 2);
	assert_false(cfg.saw_tls); /* wants_tls said no */
	assert_true(cfg.saw_dns);
	/* -c's range is echoed in the perfdata of the total time */
	assert_int_equal(run("-w 60 -c 120", out, sizeof(out)), 0);
	assert_non_null(strstr(out, ";60;120"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_runner),
	    cmocka_unit_test(test_runner_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
