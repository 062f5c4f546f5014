/* Unit tests for nagios/mc_extraopts: the ini parser and --extra-opts
 * (sections, the search path, files too large or missing). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "nagios/mc_opts.h"
#include "util/mc_buf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static mc_status_t collect_cb(const char *key, const char *value, void *arg)
{
	mc_buf_t *b = arg;

	if (strcmp(key, "reject") == 0)
		return MC_E_USAGE;
	if (value)
		return mc_buf_printf(b, "%s=%s;", key, value);
	return mc_buf_printf(b, "%s;", key);
}

static void test_ini_parse(void **state)
{
	static char longline[5000];
	static const struct {
		const char *name;
		const char *text;
		size_t len; /* 0: strlen */
		const char *section;
		mc_status_t want;
		const char *entries; /* collected "k=v;" / "k;" or error text */
	} cases[] = {
	    {"sections pick the right entries",
	     "[a]\nx=1\n[check_smtp_tls]\nport=25\nverbose\n[b]\ny=2\n", 0, "check_smtp_tls", MC_OK,
	     "port=25;verbose;"},
	    {"comments and blank lines", "# top\n; also\n\n[s]\n  # inside\n\t\nk = v \n", 0, "s",
	     MC_OK, "k=v;"},
	    {"quoted value keeps blanks and '#'", "[s]\npass = \"  a b # c  \"\n", 0, "s", MC_OK,
	     "pass=  a b # c  ;"},
	    {"unquoted value keeps '#' and ';'", "[s]\nk=a#b;c\n", 0, "s", MC_OK, "k=a#b;c;"},
	    {"empty value is not a bare key", "[s]\nk=\n", 0, "s", MC_OK, "k=;"},
	    {"empty quoted value", "[s]\nk=\"\"\n", 0, "s", MC_OK, "k=;"},
	    {"bare key with blanks", "[s]\n   verbose   \n", 0, "s", MC_OK, "verbose;"},
	    {"value with '='", "[s]\nk=a=b\n", 0, "s", MC_OK, "k=a=b;"},
	    {"CRLF line ends", "[s]\r\nk=v\r\nb\r\n", 0, "s", MC_OK, "k=v;b;"},
	    {"no final newline", "[s]\nk=v", 0, "s", MC_OK, "k=v;"},
	    {"blanks inside brackets", "[ s ]\nk=v\n", 0, "s", MC_OK, "k=v;"},
	    {"section repeated", "[s]\na=1\n[t]\nb=2\n[s]\nc=3\n", 0, "s", MC_OK, "a=1;c=3;"},
	    {"entries before any section are ignored", "k=v\n[s]\nj=w\n", 0, "s", MC_OK, "j=w;"},
	    {"section names are case-sensitive", "[S]\nk=v\n", 0, "s", MC_E_USAGE,
	     "section [s] not found"},
	    {"empty section present", "[s]\n", 0, "s", MC_OK, ""},
	    {"space in key", "[s]\nk v=1\n", 0, "s", MC_E_USAGE, "line 2: space in option name"},
	    {"space in bare key", "[s]\n\nbare key\n", 0, "s", MC_E_USAGE,
	     "line 3: space in option name"},
	    {"bracket without close", "[s\nk=v\n", 0, "s", MC_E_USAGE, "line 1: '[' without ']'"},
	    {"text after bracket", "[s] x\n", 0, "s", MC_E_USAGE, "line 1: text after ']'"},
	    {"empty key", "[s]\n=v\n", 0, "s", MC_E_USAGE, "line 2: empty option name"},
	    {"unterminated quote", "[s]\nk=\"abc\n", 0, "s", MC_E_USAGE,
	     "line 2: unterminated quoted value"},
	    {"lone quote", "[s]\nk=\"\n", 0, "s", MC_E_USAGE, "line 2: unterminated quoted value"},
	    {"quote inside quotes", "[s]\nk=\"a\"b\"\n", 0, "s", MC_E_USAGE,
	     "line 2: '\"' inside a quoted value"},
	    {"NUL byte", "[s]\nk=v\nx\0y\n", 13, "s", MC_E_USAGE, "line 3: NUL byte"},
	    {"errors in other sections count", "[s]\nk=v\n[t]\nbad key\n", 0, "s", MC_E_USAGE,
	     "line 4: space in option name"},
	    {"missing section", "[x]\nk=1\n", 0, "s", MC_E_USAGE, "section [s] not found"},
	    {"empty text", "", 0, "s", MC_E_USAGE, "section [s] not found"},
	    {"callback refusal stops", "[s]\na=1\nreject=1\nb=2\n", 0, "s", MC_E_USAGE,
	     "line 3: option 'reject' rejected (usage error)"},
	    {"line over 4 KiB", NULL, 0, "s", MC_E_USAGE, "line 2: longer than 4096 bytes"},
	    {"line of exactly 4 KiB", NULL, 0, "t", MC_E_USAGE, "section [t] not found"},
	    {"len shorter than the text", "[s]\nk=v\nj=w\n", 8, "s", MC_OK, "k=v;"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		const char *text = cases[i].text;
		size_t len;
		mc_buf_t b;
		char err[128];
		mc_status_t st;

		if (!text) {
			/* "[s]\n" + a key line of 4097 or 4096 bytes */
			size_t n = strcmp(cases[i].section, "s") == 0 ? 4097 : 4096;
			memcpy(longline, "[s]\n", 4);
			memset(longline + 4, 'k', n);
			longline[4 + n] = '\n';
			longline[5 + n] = '\0';
			text = longline;
		}
		len = cases[i].len ? cases[i].len : strlen(text);
		mc_buf_init(&b, 4096);
		memset(err, 'E', sizeof err);
		st = mc_ini_parse(text, len, cases[i].section, collect_cb, &b, err, sizeof err);
		if (st != cases[i].want)
			fail_msg("%s: status %d (%s)", cases[i].name, (int)st, err);
		if (st == MC_OK && strcmp(mc_buf_cstr(&b), cases[i].entries) != 0)
			fail_msg("%s: entries \"%s\", want \"%s\"", cases[i].name, mc_buf_cstr(&b),
			         cases[i].entries);
		if (st != MC_OK && strcmp(err, cases[i].entries) != 0)
			fail_msg("%s: error \"%s\", want \"%s\"", cases[i].name, err,
			         cases[i].entries);
		if (st == MC_OK && err[0] != '\0')
			fail_msg("%s: err not cleared", cases[i].name);
		mc_buf_free(&b);
	}
}

/* ---- --extra-opts ---- */

static const char ini_text[] = "# test\n"
                               "[check_smtp_tls]\n"
                               "port=465\n"
                               "verbose\n"
                               "[other]\n"
                               "hostname = mail.example.org\n"
                               "warning = \"10:20\"\n"
                               "[nested]\n"
                               "extra-opts=other\n"
                               "[bare]\n"
                               "cert-name\n"
                               "[empty]\n"
                               "cert-name=\n"
                               "verbose\n";

/* The options the expansion checks bare keys against. */
static const mc_opt_t xo_opts[] = {
    {"cert-name", 1001, required_argument, "NAME", "A name."},
    {"verbose", 'v', no_argument, NULL, "More."},
    {"dane", 1002, optional_argument, "require", "DANE."},
    {NULL, 0, 0, NULL, NULL},
};

typedef struct xo_fixture {
	char dir[64];
	char file[96]; /* dir/opts.ini */
	char big[96];  /* dir/big.ini, over 64 KiB */
	char pdir[96]; /* dir/p, holding plugins.ini */
	char pfile[128];
	char empty[96]; /* dir/empty, no ini file */
} xo_fixture_t;

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static int xo_setup(void **state)
{
	xo_fixture_t *fx = calloc(1, sizeof *fx);
	char *big;

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/test_nagios.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->file, sizeof fx->file, "%s/opts.ini", fx->dir);
	snprintf(fx->big, sizeof fx->big, "%s/big.ini", fx->dir);
	snprintf(fx->pdir, sizeof fx->pdir, "%s/p", fx->dir);
	snprintf(fx->pfile, sizeof fx->pfile, "%s/plugins.ini", fx->pdir);
	snprintf(fx->empty, sizeof fx->empty, "%s/empty", fx->dir);
	if (mkdir(fx->pdir, 0700) != 0 || mkdir(fx->empty, 0700) != 0)
		return -1;
	write_file(fx->file, ini_text, strlen(ini_text));
	write_file(fx->pfile, ini_text, strlen(ini_text));
	big = malloc(70000);
	if (!big)
		return -1;
	memset(big, '#', 70000);
	memcpy(big, "[check_smtp_tls]\nport=1\n", 24);
	write_file(fx->big, big, 70000);
	free(big);
	*state = fx;
	return 0;
}

static int xo_teardown(void **state)
{
	xo_fixture_t *fx = *state;

	unlink(fx->file);
	unlink(fx->big);
	unlink(fx->pfile);
	rmdir(fx->pdir);
	rmdir(fx->empty);
	rmdir(fx->dir);
	free(fx);
	unsetenv("NAGIOS_CONFIG_PATH");
	return 0;
}

/* Replace {F} (opts.ini), {B} (big.ini), {P} (the plugins.ini dir), {E}
 * (an empty dir) and {D} (the temp dir) in s. */
static void subst(const xo_fixture_t *fx, const char *s, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *s && o + 1 < outsz; s++) {
		const char *r = NULL;
		if (s[0] == '{' && s[1] && s[2] == '}') {
			switch (s[1]) {
			case 'F': r = fx->file; break;
			case 'B': r = fx->big; break;
			case 'P': r = fx->pdir; break;
			case 'E': r = fx->empty; break;
			case 'D': r = fx->dir; break;
			}
		}
		if (r) {
			int n = snprintf(out + o, outsz - o, "%s", r);
			assert_true(n > 0 && (size_t)n < outsz - o);
			o += (size_t)n;
			s += 2;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
}

static const struct {
	const char *name;
	const char *env; /* NAGIOS_CONFIG_PATH, NULL: unset */
	const char *argv[8];
	mc_status_t want;
	const char *out; /* new argv joined by ' ', or the error text */
} xo_cases[] = {
    {"no --extra-opts: a copy", NULL, {"check_smtp_tls", "-H", "h"}, MC_OK, "check_smtp_tls -H h"},
    {"section@file",
     NULL,
     {"check_smtp_tls", "-H", "h", "--extra-opts=other@{F}"},
     MC_OK,
     "check_smtp_tls --hostname=mail.example.org --warning=10:20 -H h"},
    {"@file uses the plugin name as section",
     NULL,
     {"check_smtp_tls", "--extra-opts=@{F}", "-v"},
     MC_OK,
     "check_smtp_tls --port=465 --verbose -v"},
    {"no argument searches NAGIOS_CONFIG_PATH",
     "/nonexistent:{P}",
     {"check_smtp_tls", "--extra-opts", "-t", "5"},
     MC_OK,
     "check_smtp_tls --port=465 --verbose -t 5"},
    {"empty argument searches too",
     "{P}",
     {"check_smtp_tls", "--extra-opts="},
     MC_OK,
     "check_smtp_tls --port=465 --verbose"},
    {"section only searches the path",
     "{E}:{P}",
     {"check_smtp_tls", "--extra-opts=other"},
     MC_OK,
     "check_smtp_tls --hostname=mail.example.org --warning=10:20"},
    {"value as the next argument",
     NULL,
     {"check_smtp_tls", "--extra-opts", "other@{F}", "-4"},
     MC_OK,
     "check_smtp_tls --hostname=mail.example.org --warning=10:20 -4"},
    {"two --extra-opts in order",
     NULL,
     {"check_smtp_tls", "--extra-opts=other@{F}", "-H", "x", "--extra-opts=@{F}"},
     MC_OK,
     "check_smtp_tls --hostname=mail.example.org --warning=10:20 --port=465 --verbose -H x"},
    {"nothing after --",
     NULL,
     {"check_smtp_tls", "--", "--extra-opts=@{F}"},
     MC_OK,
     "check_smtp_tls -- --extra-opts=@{F}"},
    {"a longer option name is not --extra-opts",
     NULL,
     {"check_smtp_tls", "--extra-optsx"},
     MC_OK,
     "check_smtp_tls --extra-optsx"},
    {"missing section",
     NULL,
     {"check_smtp_tls", "--extra-opts=nope@{F}"},
     MC_E_USAGE,
     "{F}: section [nope] not found"},
    {"missing file",
     NULL,
     {"check_smtp_tls", "--extra-opts=@{D}/none.ini"},
     MC_E_USAGE,
     "{D}/none.ini: no such file"},
    {"a directory is not a file",
     NULL,
     {"check_smtp_tls", "--extra-opts=@{D}"},
     MC_E_USAGE,
     "{D}: not a regular file"},
    {"file over 64 KiB",
     NULL,
     {"check_smtp_tls", "--extra-opts=@{B}"},
     MC_E_USAGE,
     "{B}: larger than 65536 bytes"},
    {"nested extra-opts refused",
     NULL,
     {"check_smtp_tls", "--extra-opts=nested@{F}"},
     MC_E_USAGE,
     "{F}: line 9: option 'extra-opts' rejected (usage error)"},
    /* "--cert-name" alone would take the next argument ("-H") as its value */
    {"a key without the value its option needs",
     NULL,
     {"check_smtp_tls", "--extra-opts=bare@{F}", "-H", "h"},
     MC_E_USAGE,
     "{F}: option 'cert-name' needs a value (cert-name=VALUE)"},
    /* an empty value is the option's to judge: --cert-name refuses it */
    {"an empty value is passed on as one",
     NULL,
     {"check_smtp_tls", "--extra-opts=empty@{F}", "-H", "h"},
     MC_OK,
     "check_smtp_tls --cert-name= --verbose -H h"},
};

static void test_extraopts(void **state)
{
	const xo_fixture_t *fx = *state;
	size_t i, j;

	for (i = 0; i < N(xo_cases); i++) {
		char args[8][256], want[512], err[256];
		char *argv[9];
		int argc = 0, nargc = -1;
		char **nargv = NULL;
		mc_buf_t joined;
		mc_status_t st;

		for (j = 0; xo_cases[i].argv[j]; j++) {
			subst(fx, xo_cases[i].argv[j], args[j], sizeof args[j]);
			argv[argc++] = args[j];
		}
		argv[argc] = NULL;
		subst(fx, xo_cases[i].out, want, sizeof want);
		if (xo_cases[i].env) {
			char env[256];
			subst(fx, xo_cases[i].env, env, sizeof env);
			setenv("NAGIOS_CONFIG_PATH", env, 1);
		} else {
			unsetenv("NAGIOS_CONFIG_PATH");
		}
		st = mc_extraopts_expand(argc, argv, "check_smtp_tls", xo_opts, &nargc, &nargv, err,
		                         sizeof err);
		if (st != xo_cases[i].want)
			fail_msg("%s: status %d (%s)", xo_cases[i].name, (int)st, err);
		if (st != MC_OK) {
			if (strcmp(err, want) != 0)
				fail_msg("%s: error \"%s\", want \"%s\"", xo_cases[i].name, err,
				         want);
			continue;
		}
		mc_buf_init(&joined, 4096);
		for (j = 0; j < (size_t)nargc; j++)
			mc_buf_printf(&joined, "%s%s", j ? " " : "", nargv[j]);
		if (nargv[nargc] != NULL)
			fail_msg("%s: not NULL-terminated", xo_cases[i].name);
		if (strcmp(mc_buf_cstr(&joined), want) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", xo_cases[i].name, mc_buf_cstr(&joined),
			         want);
		mc_buf_free(&joined);
		mc_extraopts_free(nargc, nargv);
	}
}

/* Without NAGIOS_CONFIG_PATH only the fixed paths are searched. */
static void test_extraopts_no_file(void **state)
{
	static const char *const paths[] = {
	    "/etc/nagios/plugins.ini",           "/usr/local/nagios/etc/plugins.ini",
	    "/usr/local/etc/nagios/plugins.ini", "/etc/opt/nagios/plugins.ini",
	    "/etc/nagios-plugins.ini",           "/usr/local/etc/nagios-plugins.ini",
	    "/etc/opt/nagios-plugins.ini",
	};
	char prog[] = "check_smtp_tls", xo[] = "--extra-opts";
	char *argv[] = {prog, xo, NULL};
	char **nargv = NULL, err[256];
	int nargc = -1;
	size_t i;

	(void)state;
	for (i = 0; i < N(paths); i++)
		if (access(paths[i], F_OK) == 0)
			skip();
	unsetenv("NAGIOS_CONFIG_PATH");
	assert_int_equal(
	    mc_extraopts_expand(2, argv, "check_smtp_tls", NULL, &nargc, &nargv, err, sizeof err),
	    MC_E_USAGE);
	assert_string_equal(err, "no plugins.ini found (set NAGIOS_CONFIG_PATH or use @FILE)");
	assert_null(nargv);
	assert_int_equal(nargc, 0);
	/* argc 0 gives an empty, NULL-terminated array */
	assert_int_equal(mc_extraopts_expand(0, argv, "x", NULL, &nargc, &nargv, err, sizeof err),
	                 MC_OK);
	assert_int_equal(nargc, 0);
	assert_null(nargv[0]);
	mc_extraopts_free(nargc, nargv);
	mc_extraopts_free(0, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ini_parse),
	    cmocka_unit_test_setup_teardown(test_extraopts, xo_setup, xo_teardown),
	    cmocka_unit_test(test_extraopts_no_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
