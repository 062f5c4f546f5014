/* --extra-opts: monitoring-plugins' ini format (lib/parse_ini.c) and
 * expansion semantics (lib/extra_opts.c). */
#include "mc_opts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/mc_buf.h"
#include "../util/mc_str.h"

#define INI_LINE_MAX 4096
#define INI_FILE_MAX (64 * 1024)

static void set_err(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errsz, const char *fmt, ...)
{
	char raw[512];
	va_list ap;

	if (!err || errsz == 0)
		return;
	va_start(ap, fmt);
	if (vsnprintf(raw, sizeof raw, fmt, ap) < 0)
		raw[0] = '\0';
	va_end(ap);
	/* Messages quote file names and file content: one clean line. */
	mc_str_sanitize(err, errsz, raw, strlen(raw));
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trim blanks on both ends of s[0..*n). */
static char *trim(char *s, size_t *n)
{
	while (*n > 0 && is_blank(*s)) {
		s++;
		(*n)--;
	}
	while (*n > 0 && is_blank(s[*n - 1]))
		(*n)--;
	s[*n] = '\0';
	return s;
}

/* One line, NUL-terminated and without its end of line, in buf.
 * *in_section is updated by headers; cb is called for entries of it. */
static mc_status_t ini_line(char *buf, size_t n, size_t lineno, const char *section,
                            bool *in_section, bool *found, mc_ini_cb cb, void *arg, char *err,
                            size_t errsz)
{
	char *line = trim(buf, &n), *eq, *key, *val = NULL;
	size_t kn, vn, i;
	mc_status_t st;

	if (n == 0 || line[0] == '#' || line[0] == ';')
		return MC_OK;
	if (line[0] == '[') {
		char *close = memchr(line, ']', n), *name;
		size_t rest;

		if (!close) {
			set_err(err, errsz, "line %zu: '[' without ']'", lineno);
			return MC_E_USAGE;
		}
		for (rest = (size_t)(close - line) + 1; rest < n; rest++) {
			if (!is_blank(line[rest])) {
				set_err(err, errsz, "line %zu: text after ']'", lineno);
				return MC_E_USAGE;
			}
		}
		kn = (size_t)(close - line) - 1;
		name = trim(line + 1, &kn);
		*in_section = strcmp(name, section) == 0;
		*found = *found || *in_section;
		return MC_OK;
	}
	eq = memchr(line, '=', n);
	kn = eq ? (size_t)(eq - line) : n;
	key = trim(line, &kn);
	if (kn == 0) {
		set_err(err, errsz, "line %zu: empty option name", lineno);
		return MC_E_USAGE;
	}
	for (i = 0; i < kn; i++) {
		if (is_blank(key[i])) {
			set_err(err, errsz, "line %zu: space in option name", lineno);
			return MC_E_USAGE;
		}
	}
	if (eq) {
		vn = n - (size_t)(eq - line) - 1;
		val = trim(eq + 1, &vn);
		/* A quoted value keeps its blanks; no escapes inside, and no
		 * inline comments anywhere (a password may contain '#'). */
		if (vn > 0 && val[0] == '"') {
			if (vn < 2 || val[vn - 1] != '"') {
				set_err(err, errsz, "line %zu: unterminated quoted value", lineno);
				return MC_E_USAGE;
			}
			val[vn - 1] = '\0';
			val++;
			if (strchr(val, '"')) {
				set_err(err, errsz, "line %zu: '\"' inside a quoted value", lineno);
				return MC_E_USAGE;
			}
		}
	}
	if (!*in_section)
		return MC_OK;
	st = cb(key, val, arg);
	if (st != MC_OK)
		set_err(err, errsz, "line %zu: option '%s' rejected (%s)", lineno, key,
		        mc_status_str(st));
	return st;
}

mc_status_t mc_ini_parse(const char *text, size_t len, const char *section, mc_ini_cb cb, void *arg,
                         char *err, size_t errsz)
{
	char buf[INI_LINE_MAX + 2];
	size_t pos = 0, lineno = 0;
	bool in_section = false, found = false;

	if (err && errsz)
		err[0] = '\0';
	if ((!text && len) || !section || !cb) {
		set_err(err, errsz, "bad arguments");
		return MC_E_USAGE;
	}
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		mc_status_t st;

		lineno++;
		if (memchr(text + pos, '\0', n)) {
			set_err(err, errsz, "line %zu: NUL byte", lineno);
			return MC_E_USAGE;
		}
		if (n > 0 && text[pos + n - 1] == '\r')
			n--; /* CRLF files */
		if (n > INI_LINE_MAX) {
			set_err(err, errsz, "line %zu: longer than %d bytes", lineno, INI_LINE_MAX);
			return MC_E_USAGE;
		}
		memcpy(buf, text + pos, n);
		buf[n] = '\0';
		st = ini_line(buf, n, lineno, section, &in_section, &found, cb, arg, err, errsz);
		if (st != MC_OK)
			return st;
		pos += nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
	}
	if (!found) {
		set_err(err, errsz, "section [%s] not found", section);
		return MC_E_USAGE;
	}
	return MC_OK;
}

/* ---- expansion ---- */

typedef struct argv_list {
	char **v;
	int n, cap;
	const mc_opt_t *opts; /* NULL: values are not checked */
	char needs_value[64]; /* a key given without the value it needs */
} argv_list_t;

static mc_status_t list_push(argv_list_t *l, char *s)
{
	if (!s)
		return MC_E_NOMEM;
	if (l->n + 1 >= l->cap) {
		int cap = l->cap ? l->cap * 2 : 16;
		char **nv = realloc(l->v, (size_t)cap * sizeof *nv);
		if (!nv) {
			free(s);
			return MC_E_NOMEM;
		}
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
	return MC_OK;
}

static char *str_dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

static mc_status_t ini_collect(const char *key, const char *value, void *arg)
{
	argv_list_t *l = arg;
	mc_buf_t b;
	mc_status_t st;

	/* Nested --extra-opts would need the loop detection monitoring-plugins
	 * never had; say so instead of ignoring it. */
	if (strcmp(key, "extra-opts") == 0)
		return MC_E_USAGE;
	/* "--cert-name" alone would take the next argument as its value. */
	if (!value && l->opts) {
		const mc_opt_t *o;
		for (o = l->opts; o->long_name; o++)
			if (strcmp(o->long_name, key) == 0 && o->has_arg == required_argument) {
				mc_strlcpy(l->needs_value, key, sizeof(l->needs_value));
				return MC_E_USAGE;
			}
	}
	mc_buf_init(&b, 2 * INI_LINE_MAX);
	st = value ? mc_buf_printf(&b, "--%s=%s", key, value) : mc_buf_printf(&b, "--%s", key);
	if (st == MC_OK)
		st = list_push(l, str_dup(mc_buf_cstr(&b)));
	mc_buf_free(&b);
	return st;
}

/* Read a whole regular file of at most INI_FILE_MAX bytes (the cap of out)
 * into out. *missing tells a file that does not exist from other errors. */
static mc_status_t read_file(const char *path, mc_buf_t *out, bool *missing, char *err,
                             size_t errsz)
{
	char chunk[4096];
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	mc_status_t st = MC_OK;

	*missing = false;
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			set_err(err, errsz, "%s: no such file", path);
			*missing = true;
			return MC_E_USAGE;
		}
		set_err(err, errsz, "%s: %s", path, strerror(errno));
		return MC_E_USAGE;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		set_err(err, errsz, "%s: not a regular file", path);
		close(fd);
		return MC_E_USAGE;
	}
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			set_err(err, errsz, "%s: %s", path, strerror(errno));
			st = MC_E_USAGE;
			break;
		}
		if (r == 0)
			break;
		st = mc_buf_append(out, chunk, (size_t)r);
		if (st == MC_E_LIMIT) {
			set_err(err, errsz, "%s: larger than %d bytes", path, INI_FILE_MAX);
			st = MC_E_USAGE;
		}
		if (st != MC_OK)
			break;
	}
	close(fd);
	return st;
}

/* The monitoring-plugins search path (lib/parse_ini.c, default_ini_path_names). */
static const char *const default_paths[] = {
    "/etc/nagios/plugins.ini",           "/usr/local/nagios/etc/plugins.ini",
    "/usr/local/etc/nagios/plugins.ini", "/etc/opt/nagios/plugins.ini",
    "/etc/nagios-plugins.ini",           "/usr/local/etc/nagios-plugins.ini",
    "/etc/opt/nagios-plugins.ini",
};

/* Find and read the default ini file; *path receives its malloc'd name. */
static mc_status_t read_default(mc_buf_t *out, char **path, char *err, size_t errsz)
{
	static const char *const names[] = {"plugins.ini", "nagios-plugins.ini"};
	const char *env = getenv("NAGIOS_CONFIG_PATH");
	mc_status_t st;
	bool missing;
	size_t i;

	while (env && *env) {
		const char *colon = strchr(env, ':');
		size_t dl = colon ? (size_t)(colon - env) : strlen(env);

		for (i = 0; dl > 0 && i < sizeof names / sizeof names[0]; i++) {
			mc_buf_t p;

			mc_buf_init(&p, 4096);
			st = mc_buf_append(&p, env, dl);
			if (st == MC_OK)
				st = mc_buf_printf(&p, "/%s", names[i]);
			if (st == MC_E_NOMEM) {
				mc_buf_free(&p);
				return st;
			}
			if (st == MC_OK) {
				mc_buf_reset(out);
				st = read_file(mc_buf_cstr(&p), out, &missing, err, errsz);
				if (!missing) {
					*path = st == MC_OK ? str_dup(mc_buf_cstr(&p)) : NULL;
					mc_buf_free(&p);
					if (st == MC_OK && !*path)
						return MC_E_NOMEM;
					return st;
				}
			}
			mc_buf_free(&p);
		}
		env = colon ? colon + 1 : NULL;
	}
	for (i = 0; i < sizeof default_paths / sizeof default_paths[0]; i++) {
		mc_buf_reset(out);
		st = read_file(default_paths[i], out, &missing, err, errsz);
		if (!missing) {
			*path = st == MC_OK ? str_dup(default_paths[i]) : NULL;
			if (st == MC_OK && !*path)
				return MC_E_NOMEM;
			return st;
		}
	}
	set_err(err, errsz, "no plugins.ini found (set NAGIOS_CONFIG_PATH or use @FILE)");
	return MC_E_USAGE;
}

/* Expand one "[section][@file]" spec (NULL: all defaults) into l. */
static mc_status_t expand_one(argv_list_t *l, const char *spec, const char *default_section,
                              char *err, size_t errsz)
{
	char section[256], ierr[256];
	const char *at = spec ? strchr(spec, '@') : NULL;
	size_t sn = spec ? (at ? (size_t)(at - spec) : strlen(spec)) : 0;
	char *path = NULL;
	mc_buf_t text;
	mc_status_t st;
	bool missing;

	if (sn >= sizeof section) {
		set_err(err, errsz, "extra-opts: section name too long");
		return MC_E_USAGE;
	}
	if (sn > 0) {
		memcpy(section, spec, sn);
		section[sn] = '\0';
	} else {
		mc_strlcpy(section, default_section ? default_section : "", sizeof section);
	}
	mc_buf_init(&text, INI_FILE_MAX);
	if (at && at[1]) {
		st = read_file(at + 1, &text, &missing, err, errsz);
		if (st == MC_OK && !(path = str_dup(at + 1)))
			st = MC_E_NOMEM;
	} else {
		st = read_default(&text, &path, err, errsz);
	}
	if (st == MC_OK) {
		st = mc_ini_parse(mc_buf_cstr(&text), text.len, section, ini_collect, l, ierr,
		                  sizeof ierr);
		if (st != MC_OK && l->needs_value[0])
			set_err(err, errsz, "%s: option '%s' needs a value (%s=VALUE)", path,
			        l->needs_value, l->needs_value);
		else if (st != MC_OK)
			set_err(err, errsz, "%s: %s", path, ierr);
	} else if (st == MC_E_NOMEM) {
		set_err(err, errsz, "out of memory");
	}
	free(path);
	mc_buf_free(&text);
	return st;
}

mc_status_t mc_extraopts_expand(int argc, char **argv, const char *default_section,
                                const mc_opt_t *opts, int *new_argc, char ***new_argv, char *err,
                                size_t errsz)
{
	argv_list_t l = {NULL, 0, 0, opts, ""};
	mc_status_t st = MC_OK;
	bool *is_extra = NULL;
	bool dashdash = false;
	int i;

	if (err && errsz)
		err[0] = '\0';
	if (!new_argc || !new_argv || argc < 0 || (argc > 0 && !argv)) {
		set_err(err, errsz, "bad arguments");
		return MC_E_USAGE;
	}
	*new_argc = 0;
	*new_argv = NULL;
	is_extra = calloc((size_t)argc + 1, sizeof *is_extra);
	if (!is_extra)
		goto nomem;
	/* argv[0] first, then the ini options, then the rest. */
	if (argc > 0 && (st = list_push(&l, str_dup(argv[0]))) != MC_OK)
		goto nomem;
	for (i = 1; i < argc && st == MC_OK; i++) {
		const char *a = argv[i];

		if (dashdash)
			continue;
		if (strcmp(a, "--") == 0) {
			dashdash = true;
			continue;
		}
		if (strncmp(a, "--extra-opts", 12) != 0 || (a[12] != '\0' && a[12] != '='))
			continue;
		is_extra[i] = true;
		if (a[12] == '=') {
			st = expand_one(&l, a + 13, default_section, err, errsz);
		} else if (i + 1 < argc && argv[i + 1][0] != '-') {
			/* "--extra-opts SECTION": plugins take no positional
			 * arguments, so this can only be the value (as in
			 * monitoring-plugins' extra_opts.c). */
			is_extra[++i] = true;
			st = expand_one(&l, argv[i], default_section, err, errsz);
		} else {
			st = expand_one(&l, NULL, default_section, err, errsz);
		}
	}
	for (i = 1; i < argc && st == MC_OK; i++)
		if (!is_extra[i])
			st = list_push(&l, str_dup(argv[i]));
	if (st == MC_E_NOMEM)
		goto nomem;
	free(is_extra);
	if (st != MC_OK) {
		mc_extraopts_free(l.n, l.v);
		return st;
	}
	if (!l.v) {
		/* argc == 0: still hand back an empty, NULL-terminated array */
		l.v = calloc(1, sizeof *l.v);
		if (!l.v)
			goto nomem;
	}
	*new_argc = l.n;
	*new_argv = l.v;
	return MC_OK;
nomem:
	free(is_extra);
	mc_extraopts_free(l.n, l.v);
	set_err(err, errsz, "out of memory");
	return MC_E_NOMEM;
}

void mc_extraopts_free(int argc, char **argv)
{
	int i;

	if (!argv)
		return;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}
