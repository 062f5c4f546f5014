/* Unit tests: the credentials of a login (check/mc_login): where the
 * password comes from, in which order, what is refused, that messages never
 * quote it, and that argv is scrubbed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check/mc_login.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SECRET "s3cret-Passw0rd"

static char pwfile[64], emptyfile[64], longfile[64];

static void write_file(char *path, size_t pathsz, const char *name, const char *content)
{
	FILE *f;

	snprintf(path, pathsz, "/tmp/test_login.%ld.%s", (long)getpid(), name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static int setup(void **state)
{
	char big[400];

	(void)state;
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	write_file(pwfile, sizeof(pwfile), "pw", SECRET "\nsecond line\n");
	write_file(emptyfile, sizeof(emptyfile), "empty", "\n");
	write_file(longfile, sizeof(longfile), "long", big);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(pwfile);
	unlink(emptyfile);
	unlink(longfile);
	return 0;
}

typedef struct login_case {
	const char *why;
	const char *user, *file, *arg, *env;
	mc_status_t want;
	const char *password; /* MC_OK: the password resolved, or NULL for none */
	const char *msg;      /* MC_E_USAGE: a part of the message */
} login_case_t;

#define PWFILE "@pw"
#define EMPTYFILE "@empty"
#define LONGFILE "@long"
#define NOFILE "/nonexistent/pw"

static const login_case_t cases[] = {
    {"no login: nothing to resolve", NULL, NULL, NULL, NULL, MC_OK, NULL, NULL},
    {"the file's first line is the password", "u", PWFILE, NULL, NULL, MC_OK, SECRET, NULL},
    {"the file wins over -P and the environment", "u", PWFILE, "argpw", "envpw", MC_OK, SECRET,
     NULL},
    {"-P wins over the environment", "u", NULL, "argpw", "envpw", MC_OK, "argpw", NULL},
    {"MAILCHECK_PASSWORD when nothing else", "u", NULL, NULL, "envpw", MC_OK, "envpw", NULL},
    {"-U without any password", "u", NULL, NULL, NULL, MC_E_USAGE, NULL,
     "-U needs a password of 1 to 255 bytes"},
    {"an empty MAILCHECK_PASSWORD is none", "u", NULL, NULL, "", MC_E_USAGE, NULL,
     "-U needs a password"},
    {"a password without -U", NULL, NULL, "argpw", NULL, MC_E_USAGE, NULL,
     "a password was given without -U/--user"},
    {"a password file without -U", NULL, PWFILE, NULL, NULL, MC_E_USAGE, NULL,
     "a password was given without -U/--user"},
    {"an empty user", "", NULL, "argpw", NULL, MC_E_USAGE, NULL,
     "-U/--user must hold 1 to 255 bytes"},
    {"an unreadable file names the file, not a password", "u", NOFILE, NULL, NULL, MC_E_USAGE, NULL,
     "cannot read --password-file /nonexistent/pw"},
    {"an empty first line", "u", EMPTYFILE, NULL, NULL, MC_E_USAGE, NULL,
     "the first line must hold the password"},
    {"a first line over 255 bytes", "u", LONGFILE, NULL, NULL, MC_E_USAGE, NULL,
     "(1 to 255 bytes)"},
};

static const char *path_of(const char *f)
{
	if (!f)
		return NULL;
	if (!strcmp(f, PWFILE))
		return pwfile;
	if (!strcmp(f, EMPTYFILE))
		return emptyfile;
	if (!strcmp(f, LONGFILE))
		return longfile;
	return f;
}

static void test_login_sources(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		const login_case_t *c = &cases[i];
		mc_login_t l;
		char msg[400] = "";
		mc_status_t st;

		print_message("case: %s\n", c->why);
		memset(&l, 0, sizeof(l));
		if (c->env)
			setenv("MAILCHECK_PASSWORD", c->env, 1);
		else
			unsetenv("MAILCHECK_PASSWORD");
		if (c->user)
			assert_int_equal(mc_login_option(&l, 'U', c->user, msg, sizeof(msg)),
			                 MC_OK);
		if (c->file)
			assert_int_equal(mc_login_option(&l, MC_LOGIN_OPT_PASSWORD_FILE,
			                                 path_of(c->file), msg, sizeof(msg)),
			                 MC_OK);
		if (c->arg)
			assert_int_equal(mc_login_option(&l, 'P', c->arg, msg, sizeof(msg)), MC_OK);
		st = mc_login_validate(&l, msg, sizeof(msg));
		assert_int_equal(st, c->want);
		if (st == MC_OK) {
			assert_int_equal(l.have_password, c->password != NULL);
			if (c->password)
				assert_string_equal(l.password, c->password);
		} else {
			assert_non_null(strstr(msg, c->msg));
			/* never the password, from wherever it came */
			assert_null(strstr(msg, SECRET));
			assert_null(strstr(msg, "argpw"));
			assert_null(strstr(msg, "envpw"));
		}
		mc_login_clear(&l);
		assert_false(l.have_password);
		assert_int_equal(l.password[0], '\0');
	}
	unsetenv("MAILCHECK_PASSWORD");
}

static void test_login_options(void **state)
{
	mc_login_t l;
	char msg[100];

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(mc_login_option(&l, MC_LOGIN_OPT_AUTH, "plain", msg, sizeof(msg)), MC_OK);
	assert_string_equal(l.auth, "plain");
	/* not a login option: the plugin's or the runner's */
	assert_int_equal(mc_login_option(&l, 'H', "x", msg, sizeof(msg)), MC_E_AGAIN);
}

/* ps shows argv: every spelling of -P is overwritten, nothing after "--". */
static void test_scrub_argv(void **state)
{
	char a0[] = "check_imaps", a1[] = "-P", a2[] = "one", a3[] = "--password", a4[] = "two",
	     a5[] = "--password=three", a6[] = "-Pfour", a7[] = "-H", a8[] = "host", a9[] = "--",
	     a10[] = "-P", a11[] = "five";
	char *argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, NULL};

	(void)state;
	mc_login_scrub_argv(12, argv);
	assert_string_equal(argv[2], "***");
	assert_string_equal(argv[4], "***");
	assert_string_equal(argv[5], "--password=*****");
	assert_string_equal(argv[6], "-P****");
	assert_string_equal(argv[8], "host");
	assert_string_equal(argv[11], "five"); /* after "--": not an option */
	/* -P as the last word has no value to scrub */
	{
		char b0[] = "x", b1[] = "-P";
		char *bv[] = {b0, b1, NULL};
		mc_login_scrub_argv(2, bv);
		assert_string_equal(bv[1], "-P");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_login_sources),
	    cmocka_unit_test(test_login_options),
	    cmocka_unit_test(test_scrub_argv),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
