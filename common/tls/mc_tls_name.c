#include "mc_tls_name.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <idn2.h>
#include <stdio.h>
#include <string.h>

#include "util/mc_ascii.h"
#include "util/mc_str.h"

static bool is_address(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static bool has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* The first byte a host name cannot hold, described for a message. */
static void describe_byte(unsigned char c, char *buf, size_t bufsz)
{
	if (c > 0x20 && c < 0x7f)
		snprintf(buf, bufsz, "'%c'", c);
	else
		snprintf(buf, bufsz, "byte 0x%02x", c);
}

/* RFC 1123 section 2.1 host names: labels of letters, digits and '-', not
 * at either end of a label, 1 to 63 bytes; 253 bytes in all (RFC 1035
 * section 2.3.4, written without the root's dot). s has no trailing dot. */
static mc_status_t check_ldh(const char *s, size_t n, char *err, size_t errsz)
{
	size_t i, start = 0;
	bool digits_only = true;

	if (n > 253) {
		snprintf(err, errsz, "not a host name: longer than 253 bytes");
		return MC_E_USAGE;
	}
	for (i = 0; i <= n; i++) {
		char c = i < n ? s[i] : '.';
		if (c == '.') {
			size_t len = i - start;
			if (len == 0) {
				snprintf(err, errsz, "not a host name: it has an empty label");
				return MC_E_USAGE;
			}
			if (len > 63) {
				snprintf(err, errsz,
				         "not a host name: a label is longer than 63 bytes");
				return MC_E_USAGE;
			}
			if (s[start] == '-' || s[i - 1] == '-') {
				snprintf(err, errsz,
				         "not a host name: a label starts or ends with '-'");
				return MC_E_USAGE;
			}
			start = i + 1;
			if (i < n)
				digits_only = true;
			continue;
		}
		if (c == '*') {
			snprintf(err, errsz,
			         "a wildcard is a pattern, not a name: give the exact host name");
			return MC_E_USAGE;
		}
		if (!mc_ascii_is_alnum(c) && c != '-') {
			char what[16];
			describe_byte((unsigned char)c, what, sizeof(what));
			snprintf(err, errsz,
			         "not a host name: %s is not a letter, digit, '-' or '.'", what);
			return MC_E_USAGE;
		}
		if (!mc_ascii_is_digit(c))
			digits_only = false;
	}
	/* RFC 3696 section 2: a top-level label is never all digits, so such a
	 * name is a mistyped address ("10.0.0.1.", "10.0.0"). */
	if (digits_only) {
		snprintf(err, errsz,
		         "neither an IP address nor a host name (its last label is all "
		         "digits)");
		return MC_E_USAGE;
	}
	return MC_OK;
}

/* libidn2, loaded the first time a Unicode name needs it. Linked, it would
 * be loaded by every run (with libunistring: about 0.4 M instructions, up
 * to 8 % of a check) for a conversion few runs make. The header still
 * comes from libidn2-dev; the soname is libidn2's since 2.0. */
#define IDN2_SONAME "libidn2.so.0"

typedef struct idn2_api {
	int (*to_ascii_8z)(const char *input, char **output, int flags);
	const char *(*strerror)(int rc);
	void (*release)(void *ptr);
} idn2_api_t;

/* The functions, or NULL when the library cannot be loaded. Loaded once:
 * the process-wide state is this cache alone. */
static const idn2_api_t *idn2(void)
{
	static idn2_api_t api;
	static int tried;
	void *h;

	if (!tried) {
		tried = 1;
		h = dlopen(IDN2_SONAME, RTLD_NOW | RTLD_LOCAL);
		if (h) {
			api.to_ascii_8z =
			    (int (*)(const char *, char **, int))dlsym(h, "idn2_to_ascii_8z");
			api.strerror = (const char *(*)(int))dlsym(h, "idn2_strerror");
			api.release = (void (*)(void *))dlsym(h, "idn2_free");
		}
	}
	return api.to_ascii_8z && api.strerror && api.release ? &api : NULL;
}

/* A Unicode name as its A-label, into out. */
static mc_status_t to_alabel(const char *in, char *out, size_t outsz, char *err, size_t errsz)
{
	const idn2_api_t *lib = idn2();
	char *ascii = NULL;
	int rc;

	if (!lib) {
		snprintf(err, errsz,
		         "a Unicode name needs libidn2 (" IDN2_SONAME " cannot be "
		         "loaded): give its A-label (xn--...)");
		return MC_E_USAGE;
	}
	rc = lib->to_ascii_8z(in, &ascii, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	if (rc == IDN2_MALLOC) {
		snprintf(err, errsz, "out of memory");
		return MC_E_NOMEM;
	}
	if (rc != IDN2_OK) {
		snprintf(err, errsz, "not a valid internationalized host name (IDNA2008: %s)",
		         lib->strerror(rc));
		return MC_E_USAGE;
	}
	if (strlen(ascii) >= outsz) {
		lib->release(ascii);
		snprintf(err, errsz, "not a host name: longer than 253 bytes");
		return MC_E_USAGE;
	}
	mc_strlcpy(out, ascii, outsz);
	lib->release(ascii);
	return MC_OK;
}

mc_status_t mc_tls_name_parse(const char *in, char *out, size_t outsz, mc_tls_name_kind_t *kind,
                              char *err, size_t errsz)
{
	char name[1024]; /* a Unicode name takes up to 4 bytes a character */
	size_t n = strlen(in);
	mc_status_t st;

	*kind = MC_TLS_NAME_HOST;
	if (outsz)
		out[0] = '\0';
	if (n == 0) {
		snprintf(err, errsz, "the name is empty: a certificate is verified against a name");
		return MC_E_USAGE;
	}
	if (in[0] == '.') {
		snprintf(err, errsz,
		         "a leading dot makes it a pattern for any subdomain, not a "
		         "name: give the exact host name");
		return MC_E_USAGE;
	}
	if (is_address(in)) {
		if (n >= outsz) {
			snprintf(err, errsz, "not a host name: too long");
			return MC_E_USAGE;
		}
		memcpy(out, in, n + 1);
		*kind = MC_TLS_NAME_IP;
		return MC_OK;
	}
	if (strchr(in, '*')) {
		snprintf(err, errsz,
		         "a wildcard is a pattern, not a name: give the exact host name");
		return MC_E_USAGE;
	}
	/* RFC 1034 section 3.1: "mail.example.org." is the same name; one
	 * root dot only ("a.b.." keeps an empty label). */
	if (n > 1 && in[n - 1] == '.')
		n--;
	if (n >= sizeof(name)) {
		snprintf(err, errsz, "not a host name: longer than 253 bytes");
		return MC_E_USAGE;
	}
	memcpy(name, in, n);
	name[n] = '\0';
	if (has_non_ascii(name)) {
		st = to_alabel(name, out, outsz, err, errsz);
	} else if (n < outsz) {
		st = MC_OK;
		memcpy(out, name, n + 1);
	} else {
		st = MC_E_USAGE;
		snprintf(err, errsz, "not a host name: longer than 253 bytes");
	}
	if (st == MC_OK)
		st = check_ldh(out, strlen(out), err, errsz);
	if (st != MC_OK && outsz)
		out[0] = '\0';
	return st;
}

bool mc_tls_name_valid(const char *name)
{
	char canon[MC_TLS_NAME_SIZE], err[160];
	mc_tls_name_kind_t kind;

	return name &&
	       mc_tls_name_parse(name, canon, sizeof(canon), &kind, err, sizeof(err)) == MC_OK &&
	       strcmp(canon, name) == 0;
}
