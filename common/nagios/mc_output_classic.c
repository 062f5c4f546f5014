/* The classic output of monitoring-plugins' conventions: the first line,
 * one line per subcheck, the 4 KiB cap (mc_result.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../util/mc_buf.h"
#include "mc_perf.h"
#include "mc_result.h"
#include "mc_result_local.h"
#include "mc_state.h"

/* Classic output cap (design.md: whole output under 4 KiB). */
#define OUT_MAX 4096
/* Room kept for the "[...] N more lines" line. */
#define MORE_RESERVE 40
/* Bound of the working buffers (perfdata, subcheck lines) before the cap. */
#define WORK_MAX (1024 * 1024)

static void buf_truncate(mc_buf_t *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

/* Append the perfdata of n and its subtree, depth first, separated by
 * spaces. Items that cannot be printed or do not fit are left out. */
static mc_status_t collect_perf(mc_buf_t *b, const mc_result_t *n)
{
	const mc_result_t *c;
	size_t i, mark;
	mc_status_t st;

	for (i = 0; i < n->nperf; i++) {
		mark = b->len;
		st = b->len > 0 ? mc_buf_puts(b, " ") : MC_OK;
		if (st == MC_OK)
			st = mc_perf_format(b, &n->perf[i]);
		if (st == MC_E_NOMEM)
			return st;
		if (st != MC_OK)
			buf_truncate(b, mark);
	}
	for (c = n->first; c; c = c->next) {
		st = collect_perf(b, c);
		if (st != MC_OK)
			return st;
	}
	return MC_OK;
}

/* Build the first line ("\n" included) into out, at most budget bytes.
 * perf holds the perfdata items separated by single spaces; whole items are
 * dropped from the end until the line fits, then the summary is cut. */
static mc_status_t first_line(mc_buf_t *out, const mc_result_t *root, const char *perf,
                              size_t perflen, size_t budget)
{
	mc_buf_t head;
	mc_status_t st;
	const char *summary = mc_result_summary_of(root);
	size_t keep = perflen;

	mc_buf_init(&head, MC_RESULT_TEXT_MAX * 2);
	st = mc_buf_printf(&head, "%s%s%s%s%s", root->label, root->label[0] ? " " : "",
	                   mc_state_name(mc_result_state(root)), summary[0] ? " - " : "", summary);
	if (st != MC_OK && st != MC_E_LIMIT) {
		mc_buf_free(&head);
		return st;
	}
	/* Room for head + " | " + perf + "\n"; drop trailing items whole. */
	while (keep > 0 && head.len + 3 + keep + 1 > budget) {
		while (keep > 0 && perf[keep - 1] != ' ')
			keep--;
		if (keep > 0)
			keep--; /* the separating space */
	}
	if (head.len + 1 > budget)
		head.len = budget - 1; /* cuts the summary, never perfdata */
	st = mc_buf_append(out, head.data ? head.data : "", head.len);
	if (st == MC_OK && keep > 0) {
		st = mc_buf_puts(out, " | ");
		if (st == MC_OK)
			st = mc_buf_append(out, perf, keep);
	}
	if (st == MC_OK)
		st = mc_buf_puts(out, "\n");
	mc_buf_free(&head);
	return st;
}

typedef struct line_list {
	mc_buf_t text; /* the stored lines, each ending in '\n' */
	size_t count;  /* all lines, stored or not */
	bool full;     /* text reached its cap: later lines are only counted */
} line_list_t;

static mc_status_t add_line(line_list_t *l, size_t depth, const char *state, const char *text)
{
	size_t i, mark = l->text.len;
	mc_status_t st = MC_OK;

	l->count++;
	if (l->full)
		return MC_OK;
	for (i = 0; st == MC_OK && i < depth; i++)
		st = mc_buf_puts(&l->text, "  ");
	if (st == MC_OK)
		st = mc_buf_printf(&l->text, "[%s]%s%s\n", state, text[0] ? " " : "", text);
	if (st == MC_E_LIMIT) {
		buf_truncate(&l->text, mark);
		l->full = true;
		st = MC_OK;
	}
	return st;
}

static mc_status_t sub_lines(line_list_t *l, const mc_result_t *n, size_t depth)
{
	const mc_result_t *c;
	mc_status_t st;

	for (c = n->first; c; c = c->next) {
		st = add_line(l, depth, mc_state_name(mc_result_state(c)), mc_result_text(c));
		if (st == MC_OK)
			st = sub_lines(l, c, depth + 1);
		if (st != MC_OK)
			return st;
	}
	if (n->oom)
		return add_line(l, depth, "UNKNOWN", MC_RESULT_OOM_TEXT);
	return MC_OK;
}

static mc_status_t classic(mc_buf_t *out, const mc_result_t *root)
{
	mc_buf_t perf;
	line_list_t lines;
	size_t shown = 0;
	const char *p, *end;
	mc_status_t st;

	mc_buf_init(&perf, WORK_MAX);
	mc_buf_init(&lines.text, WORK_MAX);
	lines.count = 0;
	lines.full = false;
	st = collect_perf(&perf, root);
	if (st == MC_OK)
		st = sub_lines(&lines, root, 0);
	if (st != MC_OK)
		goto done;
	st = first_line(out, root, mc_buf_cstr(&perf), perf.len, OUT_MAX);
	if (st != MC_OK)
		goto done;
	if (!lines.full && out->len + lines.text.len <= OUT_MAX) {
		st = mc_buf_append(out, mc_buf_cstr(&lines.text), lines.text.len);
		goto done;
	}
	/* Too long: keep room for the "[...]" line and take lines in order
	 * until the first that does not fit. */
	mc_buf_reset(out);
	st = first_line(out, root, mc_buf_cstr(&perf), perf.len, OUT_MAX - MORE_RESERVE);
	if (st != MC_OK)
		goto done;
	p = mc_buf_cstr(&lines.text);
	end = p + lines.text.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p) + 1;
		if (out->len + n > OUT_MAX - MORE_RESERVE)
			break;
		if ((st = mc_buf_append(out, p, n)) != MC_OK)
			goto done;
		shown++;
		p += n;
	}
	if (shown < lines.count)
		st = mc_buf_printf(out, "[...] %zu more lines\n", lines.count - shown);
done:
	mc_buf_free(&perf);
	mc_buf_free(&lines.text);
	return st;
}

void mc_output_classic(const mc_result_t *root, FILE *out)
{
	mc_buf_t b;
	mc_status_t st;

	if (!root) {
		/* mc_result_new() failed: nothing to print but the failure */
		fputs("UNKNOWN - " MC_RESULT_OOM_TEXT "\n", out);
		return;
	}
	mc_buf_init(&b, OUT_MAX);
	st = classic(&b, root);
	if (st == MC_OK)
		fputs(mc_buf_cstr(&b), out);
	else
		fprintf(out, "%.64s %s - %s\n", root->label, mc_state_name(mc_result_state(root)),
		        MC_RESULT_OOM_TEXT);
	mc_buf_free(&b);
}
