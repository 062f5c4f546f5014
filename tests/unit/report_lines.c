#include "report_lines.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	assert_non_null(d);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void report_lines(const mc_result_t *root, report_lines_t *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *nl, *bar;

	assert_non_null(f);
	out->exit_code = mc_result_print(root, MC_OUTPUT_CLASSIC, f);
	assert_int_equal(fclose(f), 0);
	nl = strchr(buf, '\n');
	assert_non_null(nl);
	bar = memchr(buf, '|', (size_t)(nl - buf));
	out->perf = bar ? dup_n(bar + 2, (size_t)(nl - bar - 2)) : dup_n("", 0);
	out->first = dup_n(buf, (size_t)((bar ? bar - (bar > buf && bar[-1] == ' ') : nl) - buf));
	out->lines = dup_n(nl + 1, strlen(nl + 1));
	free(buf);
}

void report_lines_free(report_lines_t *r)
{
	free(r->first);
	free(r->lines);
	free(r->perf);
	r->first = r->lines = r->perf = NULL;
}
