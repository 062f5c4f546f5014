#include "mc_login.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mc_str.h"

mc_status_t mc_login_option(mc_login_t *l, int opt, const char *arg, char *msg, size_t msgsz)
{
	(void)msg;
	(void)msgsz;
	switch (opt) {
	case 'U': l->user = arg; return MC_OK;
	case MC_LOGIN_OPT_PASSWORD_FILE: l->password_file = arg; return MC_OK;
	case 'P': l->password_arg = arg; return MC_OK;
	case MC_LOGIN_OPT_AUTH: l->auth = arg; return MC_OK;
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

mc_status_t mc_login_validate(mc_login_t *l, char *msg, size_t msgsz)
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

void mc_login_clear(mc_login_t *l)
{
	OPENSSL_cleanse(l->password, sizeof(l->password));
	l->have_password = false;
}

void mc_login_scrub_argv(int argc, char **argv)
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
