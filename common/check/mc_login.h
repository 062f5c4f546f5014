/* mc_login.h - the credentials of a login (-U, --password-file, -P,
 * MAILCHECK_PASSWORD, --auth), in one file to audit: where a password may
 * come from, that it is never printed, and that it is wiped after use.
 * The argv copy that ps shows is scrubbed by mc_login_scrub_argv. */
#ifndef MC_LOGIN_H
#define MC_LOGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "nagios/mc_opts.h"
#include "util/mc_status.h"

enum { MC_LOGIN_OPT_PASSWORD_FILE = MC_OPT_LONG_BASE + 120, MC_LOGIN_OPT_AUTH };

/* Login options of the mailbox plugins; AUTH_VALUES like "plain|login",
 * AUTH_HELP the sentence that explains them. */
#define MC_LOGIN_OPTS(AUTH_VALUES, AUTH_HELP)                                                      \
	{"user", 'U', required_argument, "USER",                                                   \
	 "Log in as USER after TLS (never before). Default: no login."},                           \
	    {"password-file", MC_LOGIN_OPT_PASSWORD_FILE, required_argument, "FILE",               \
	     "Read the password from the first line of FILE (keep it mode 0600). Default: the "    \
	     "environment variable MAILCHECK_PASSWORD."},                                          \
	    {"password", 'P', required_argument, "PASSWORD",                                       \
	     "The password itself. Discouraged: the command line is visible to every local user; " \
	     "prefer --password-file, MAILCHECK_PASSWORD, or password=... in an --extra-opts "     \
	     "file. "                                                                              \
	     "Default: none."},                                                                    \
	{                                                                                          \
		"auth", MC_LOGIN_OPT_AUTH, required_argument, AUTH_VALUES, AUTH_HELP               \
	}

typedef struct mc_login {
	const char *user;
	const char *password_file;
	const char *password_arg; /* -P, or password= from --extra-opts */
	const char *auth;         /* as given, checked by the plugin */
	char password[256];       /* resolved by mc_login_validate */
	bool have_password;
} mc_login_t;

/* A login option (MC_OK), a bad value (MC_E_USAGE, msg), or not one
 * (MC_E_AGAIN). */
mc_status_t mc_login_option(mc_login_t *l, int opt, const char *arg, char *msg, size_t msgsz);
/* Resolve the password of -U: --password-file, then -P, then
 * $MAILCHECK_PASSWORD. MC_E_USAGE (msg, never the password) if -U has
 * none, or a password is given without -U. */
mc_status_t mc_login_validate(mc_login_t *l, char *msg, size_t msgsz);
/* Wipe the password. */
void mc_login_clear(mc_login_t *l);

/* ps shows argv: overwrite every -P/--password value in place with '*'
 * once the options have been copied (nothing after "--"). */
void mc_login_scrub_argv(int argc, char **argv);

#endif
