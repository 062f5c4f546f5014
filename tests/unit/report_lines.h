/* report_lines.h - what a judgement (common/report/) made of its facts, as
 * text a table test compares: the "[STATE] text" lines below the summary
 * and the perfdata, exactly as the classic output prints them. */
#ifndef REPORT_LINES_H
#define REPORT_LINES_H

#include "nagios/mc_result.h"

typedef struct report_lines {
	char *first; /* the first line up to " | " (label, state, summary) */
	char *lines; /* the subcheck lines, each ending in '\n' ("" when none) */
	char *perf;  /* the perfdata after "| " of the first line ("" when none) */
	int exit_code;
} report_lines_t;

/* Print root (classic) and split what it printed. Fails the test on error. */
void report_lines(const mc_result_t *root, report_lines_t *out);
void report_lines_free(report_lines_t *r);

#endif
