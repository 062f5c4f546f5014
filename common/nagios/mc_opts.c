#include "config.h"

#include "mc_opts.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/mc_str.h"

#define HELP_WIDTH 79
#define HELP_INDENT 4

mc_status_t mc_opts_tables(const mc_opt_t *opts, struct option **longopts, char **shortopts)
{
	size_t n, i, o = 0;
	struct option *lo;
	char *so;

	if (!opts || !longopts || !shortopts)
		return MC_E_USAGE;
	*longopts = NULL;
	*shortopts = NULL;
	for (n = 0; opts[n].long_name; n++)
		;
	lo = calloc(n + 1, sizeof *lo);
	so = malloc(3 * n + 1);
	if (!lo || !so) {
		free(lo);
		free(so);
		return MC_E_NOMEM;
	}
	for (i = 0; i < n; i++) {
		const mc_opt_t *op = &opts[i];

		lo[i].name = op->long_name;
		lo[i].has_arg = op->has_arg;
		lo[i].flag = NULL;
		lo[i].val = op->val;
		/* ':' and '-' and '?' mean something to getopt itself */
		if (op->val > ' ' && op->val < 0x7f && op->val != ':' && op->val != '-' &&
		    op->val != '?') {
			so[o++] = (char)op->val;
			if (op->has_arg == required_argument) {
				so[o++] = ':';
			} else if (op->has_arg == optional_argument) {
				so[o++] = ':';
				so[o++] = ':';
			}
		}
	}
	so[o] = '\0';
	*longopts = lo;
	*shortopts = so;
	return MC_OK;
}

/* Print text word by word: the first line starts after `used` columns
 * already printed, continuation lines start with `indent` spaces; no line
 * goes past HELP_WIDTH columns unless a single word is longer. '\n' in text
 * forces a line break (and "\n\n" an empty line). */
static void wrap(FILE *out, const char *text, size_t used, size_t indent)
{
	size_t col = used;
	bool line_empty = true;
	const char *p = text;

	while (*p) {
		size_t wl;

		if (*p == '\n') {
			fputc('\n', out);
			p++;
			fprintf(out, "%*s", (int)indent, "");
			col = indent;
			line_empty = true;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		for (wl = 0; p[wl] && p[wl] != ' ' && p[wl] != '\n'; wl++)
			;
		if (!line_empty && col + 1 + wl > HELP_WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
			line_empty = true;
		}
		if (!line_empty) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, wl, out);
		col += wl;
		line_empty = false;
		p += wl;
	}
	fputc('\n', out);
}

void mc_opts_help(FILE *out, const char *progname, const char *description, const char *synopsis,
                  const mc_opt_t *opts)
{
	const mc_opt_t *op;

	fprintf(out, "%s (%s %s)\n", progname, PACKAGE_NAME, PACKAGE_VERSION);
	if (description && *description) {
		fputc('\n', out);
		wrap(out, description, 0, 0);
	}
	if (synopsis && *synopsis) {
		fputs("\nUsage: ", out);
		wrap(out, synopsis, 7, HELP_INDENT);
	}
	if (!opts || !opts[0].long_name)
		return;
	fputs("\nOptions:\n", out);
	for (op = opts; op->long_name; op++) {
		/* " -H, --hostname=HOST", long-only options aligned on "--" */
		if (op->val > ' ' && op->val < 0x7f)
			fprintf(out, " -%c, --%s", op->val, op->long_name);
		else
			fprintf(out, "     --%s", op->long_name);
		/* an optional argument as getopt_long takes it: "--dane[=require]" */
		if (op->has_arg == optional_argument && op->arg_name)
			fprintf(out, "[=%s]", op->arg_name);
		else if (op->has_arg != no_argument && op->arg_name)
			fprintf(out, "=%s", op->arg_name);
		fputc('\n', out);
		if (op->help && *op->help) {
			fprintf(out, "%*s", HELP_INDENT, "");
			wrap(out, op->help, HELP_INDENT, HELP_INDENT);
		}
	}
}

void mc_opts_version(FILE *out, const char *progname)
{
	fprintf(out, "%s (%s) %s\n", progname, PACKAGE_NAME, PACKAGE_VERSION);
}

mc_status_t mc_timeout_parse(const char *text, double *secs, mc_state_t *state)
{
	const char *colon;
	double v;
	mc_state_t s = MC_STATE_CRITICAL;
	size_t n;

	if (!text || !secs || !state)
		return MC_E_USAGE;
	colon = strchr(text, ':');
	n = colon ? (size_t)(colon - text) : strlen(text);
	if (mc_parse_double_n(text, n, 0.0, 86400.0, &v) != MC_OK || !(v > 0.0))
		return MC_E_USAGE;
	if (colon && mc_state_parse(colon + 1, &s) != MC_OK)
		return MC_E_USAGE;
	*secs = v;
	*state = s;
	return MC_OK;
}

mc_status_t mc_output_format_parse(const char *text, mc_output_format_t *out)
{
	if (!text || !out)
		return MC_E_USAGE;
	if (strlen(text) == 7 && mc_str_ieq_n("classic", text, 7)) {
		*out = MC_OUTPUT_CLASSIC;
		return MC_OK;
	}
	if (strlen(text) == 4 && mc_str_ieq_n("json", text, 4)) {
		*out = MC_OUTPUT_JSON;
		return MC_OK;
	}
	return MC_E_USAGE;
}

int mc_usage_error(FILE *out, const char *label, const char *progname, const char *fmt, ...)
{
	char msg[1024], clean[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	/* The message often quotes what the user typed: keep it to one line
	 * and free of '|', which would start perfdata. */
	mc_str_sanitize(clean, sizeof clean, msg, strlen(msg));
	fprintf(out, "%s%sUNKNOWN - %s (see `%s --help`)\n", label ? label : "",
	        label && *label ? " " : "", clean, progname ? progname : "");
	return MC_STATE_UNKNOWN;
}
