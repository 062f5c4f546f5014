/* mc_opts.h - option tables shared by every plugin: getopt_long tables and
 * --help generated from one table, --extra-opts (monitoring-plugins ini
 * format), and parsers for the standard option values. */
#ifndef MC_OPTS_H
#define MC_OPTS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "../util/mc_status.h"
#include "mc_result.h"
#include "mc_state.h"

/* Values above any character, for long-only options. */
#define MC_OPT_LONG_BASE 256

typedef struct mc_opt {
	const char *long_name; /* "hostname"; NULL ends a table */
	int val;               /* short option char, or MC_OPT_LONG_BASE + n */
	int has_arg;           /* no_argument, required_argument, optional_argument */
	const char *arg_name;  /* "HOST"; NULL for flags */
	const char *help;      /* full sentences, ending with "Default: ..." when
	                          the option has one */
} mc_opt_t;

/* Option values shared by every plugin (ids used in mc_opt_t.val). */
enum { MC_OPT_EXTRA_OPTS = MC_OPT_LONG_BASE + 200, MC_OPT_OUTPUT_FORMAT };

/* The standard options every plugin has, to be listed in its table:
 * -h/--help, -V/--version, -v/--verbose, -t/--timeout, --extra-opts,
 * --output-format. */
#define MC_OPTS_STANDARD                                                                           \
	{"help", 'h', no_argument, NULL, "Print this help and exit (UNKNOWN)."},                   \
	    {"version", 'V', no_argument, NULL, "Print the version and exit (UNKNOWN)."},          \
	    {"verbose", 'v', no_argument, NULL,                                                    \
	     "More detail; repeat up to 3 times (-vvv shows the protocol transcript, "             \
	     "secrets masked)."},                                                                  \
	    {"timeout", 't', required_argument, "SECONDS[:STATE]",                                 \
	     "Deadline for the whole run, fractional allowed; STATE (ok, warning, "                \
	     "critical, unknown) is reported when it is reached. Default: 10:critical."},          \
	    {"extra-opts", MC_OPT_EXTRA_OPTS, optional_argument, "[SECTION][@FILE]",               \
	     "Read options from an ini file (monitoring-plugins format). SECTION "                 \
	     "defaults to the plugin name, FILE to the first plugins.ini found in the "            \
	     "standard search path or $NAGIOS_CONFIG_PATH."},                                      \
	{                                                                                          \
		"output-format", MC_OPT_OUTPUT_FORMAT, required_argument, "classic|json",          \
		    "classic: Nagios text output; json: the same result as one JSON object (the "  \
		    "exit code is still the state). Default: classic."                             \
	}

/* Build getopt_long tables from opts (terminated by long_name == NULL).
 * *longopts and *shortopts are malloc'd; free them with free(). */
mc_status_t mc_opts_tables(const mc_opt_t *opts, struct option **longopts, char **shortopts);

/* Print --help: a header line "progname (mailcheck-plugins VERSION)", the
 * description paragraph, "Usage: synopsis", then every option as
 *   " -H, --hostname=HOST" / "     --tls=starttls|implicit" (the "--" of
 *   long-only options aligned with the others)
 * followed by its help text wrapped at 79 columns and indented 4 spaces. */
void mc_opts_help(FILE *out, const char *progname, const char *description, const char *synopsis,
                  const mc_opt_t *opts);

/* "progname (mailcheck-plugins) VERSION" and a newline. */
void mc_opts_version(FILE *out, const char *progname);

/* Called for each "key" or "key=value" line of the chosen section; value is
 * NULL for a bare key. Return MC_OK to go on. */
typedef mc_status_t (*mc_ini_cb)(const char *key, const char *value, void *arg);

/* Parse monitoring-plugins ini text (len bytes, need not be NUL-terminated):
 * [section] headers, key = value lines (spaces around key and value trimmed,
 * a value may be quoted with "..."), comments starting with '#' or ';',
 * blank lines. Calls cb for each entry of `section` only. A line over 4 KiB,
 * a key with a space, a '[' without ']' or a NUL byte is MC_E_USAGE with a
 * reason and line number in err. Finding no such section is MC_E_USAGE.
 * Details: section names are case-sensitive; a quoted value has no escapes
 * and may not contain '"'; there are no inline comments (an unquoted value
 * keeps '#' and ';'); "key=" gives value "" (not NULL); entries before the
 * first header are ignored; the whole text is checked, not only `section`;
 * when cb returns non-MC_OK, parsing stops and that status is returned. */
mc_status_t mc_ini_parse(const char *text, size_t len, const char *section, mc_ini_cb cb, void *arg,
                         char *err, size_t errsz);

/* Expand every --extra-opts[=[section][@file]] in argv (monitoring-plugins
 * semantics): the ini options are inserted as "--key=value" / "--key" right
 * after argv[0], before the command line's own options, and the --extra-opts
 * arguments removed. default_section is the plugin name. Without @file the
 * search path is $NAGIOS_CONFIG_PATH (colon separated dirs, file
 * plugins.ini or nagios-plugins.ini) then /etc/nagios/plugins.ini,
 * /usr/local/nagios/etc/plugins.ini, /usr/local/etc/nagios/plugins.ini,
 * /etc/opt/nagios/plugins.ini, /etc/nagios-plugins.ini,
 * /usr/local/etc/nagios-plugins.ini, /etc/opt/nagios-plugins.ini.
 * On success *new_argv is a malloc'd NULL-terminated array (free with
 * mc_extraopts_free) and *new_argc its length; when argv has no
 * --extra-opts they are a copy of argv. Files over 64 KiB are MC_E_USAGE.
 * err receives a one-line reason on failure. As in monitoring-plugins,
 * "--extra-opts SPEC" (value as the next argument, when that does not start
 * with '-') is accepted too; nothing after "--" is expanded; an
 * "extra-opts" key inside the ini file is MC_E_USAGE. With opts (the
 * plugin's table; NULL: no check), a key without '=' whose option needs a
 * value is MC_E_USAGE: "--key" alone would take the next argument as its
 * value. The plugin's getopt loop never sees --extra-opts afterwards. */
mc_status_t mc_extraopts_expand(int argc, char **argv, const char *default_section,
                                const mc_opt_t *opts, int *new_argc, char ***new_argv, char *err,
                                size_t errsz);
void mc_extraopts_free(int argc, char **argv);

/* "SECONDS[:STATE]": seconds in (0, 86400], fractional allowed. */
mc_status_t mc_timeout_parse(const char *text, double *secs, mc_state_t *state);

/* "classic" or "json". */
mc_status_t mc_output_format_parse(const char *text, mc_output_format_t *out);

/* Print the one-line usage error "LABEL UNKNOWN - <message> (see
 * `progname --help`)" to out and return MC_STATE_UNKNOWN (3). */
int mc_usage_error(FILE *out, const char *label, const char *progname, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
