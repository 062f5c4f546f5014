/* The JSON output: the result tree as one object on one line
 * (mc_result.h; RFC 8259). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../util/mc_buf.h"
#include "mc_perf.h"
#include "mc_result.h"
#include "mc_result_local.h"
#include "mc_state.h"

/* JSON is not cut (it would stop being JSON) but is bounded all the same. */
#define JSON_MAX (1024 * 1024)

/* RFC 8259 section 7: '"', '\\' and control characters must be escaped. */
static mc_status_t json_str(mc_buf_t *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	mc_status_t st = mc_buf_puts(b, "\"");
	const char *run = s;

	for (; st == MC_OK && *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7];
		size_t en = 0;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			en = 2;
		} else if (c < 0x20) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			en = 6;
		} else {
			continue;
		}
		st = mc_buf_append(b, run, (size_t)(s - run));
		if (st == MC_OK)
			st = mc_buf_append(b, esc, en);
		run = s + 1;
	}
	if (st == MC_OK)
		st = mc_buf_append(b, run, (size_t)(s - run));
	if (st == MC_OK)
		st = mc_buf_puts(b, "\"");
	return st;
}

static mc_status_t json_num(mc_buf_t *b, double v)
{
	char num[400];

	mc_perf_number(num, sizeof num, v);
	if (strcmp(num, "U") == 0)
		return mc_buf_puts(b, "null");
	return mc_buf_puts(b, num);
}

static mc_status_t json_field_str(mc_buf_t *b, const char *key, const char *val)
{
	mc_status_t st = mc_buf_printf(b, ",\"%s\":", key);

	return st == MC_OK ? json_str(b, val) : st;
}

/* Copy a fixed-size field that may lack its terminator. */
static void field_copy(char *dst, const char *src, size_t srcsz)
{
	const char *z = memchr(src, '\0', srcsz);
	size_t n = z ? (size_t)(z - src) : srcsz - 1;

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static mc_status_t json_perf(mc_buf_t *b, const mc_perf_t *p)
{
	char label[sizeof p->label], uom[sizeof p->uom], warn[sizeof p->warn], crit[sizeof p->crit];
	mc_status_t st;

	field_copy(label, p->label, sizeof p->label);
	field_copy(uom, p->uom, sizeof p->uom);
	field_copy(warn, p->warn, sizeof p->warn);
	field_copy(crit, p->crit, sizeof p->crit);
	st = mc_buf_puts(b, "{\"label\":");
	if (st == MC_OK)
		st = json_str(b, label);
	if (st == MC_OK)
		st = mc_buf_puts(b, ",\"value\":");
	if (st == MC_OK)
		st = json_num(b, p->value);
	if (st == MC_OK && uom[0])
		st = json_field_str(b, "uom", uom);
	if (st == MC_OK && warn[0])
		st = json_field_str(b, "warn", warn);
	if (st == MC_OK && crit[0])
		st = json_field_str(b, "crit", crit);
	if (st == MC_OK && p->has_min) {
		st = mc_buf_puts(b, ",\"min\":");
		if (st == MC_OK)
			st = json_num(b, p->min);
	}
	if (st == MC_OK && p->has_max) {
		st = mc_buf_puts(b, ",\"max\":");
		if (st == MC_OK)
			st = json_num(b, p->max);
	}
	if (st == MC_OK)
		st = mc_buf_puts(b, "}");
	return st;
}

static mc_status_t json_node(mc_buf_t *b, const mc_result_t *n, const char *state,
                             const char *text);

/* "subchecks":[...],"perfdata":[...] of n. */
static mc_status_t json_children(mc_buf_t *b, const mc_result_t *n)
{
	const mc_result_t *c;
	mc_status_t st = mc_buf_puts(b, "\"subchecks\":[");
	bool first = true;
	size_t i;

	for (c = n->first; st == MC_OK && c; c = c->next) {
		if (!first)
			st = mc_buf_puts(b, ",");
		if (st == MC_OK)
			st = json_node(b, c, mc_state_name(mc_result_state(c)), mc_result_text(c));
		first = false;
	}
	if (st == MC_OK && n->oom) {
		if (!first)
			st = mc_buf_puts(b, ",");
		if (st == MC_OK)
			st = json_node(b, NULL, "UNKNOWN", MC_RESULT_OOM_TEXT);
	}
	if (st == MC_OK)
		st = mc_buf_puts(b, "],\"perfdata\":[");
	for (i = 0; st == MC_OK && i < n->nperf; i++) {
		if (i > 0)
			st = mc_buf_puts(b, ",");
		if (st == MC_OK)
			st = json_perf(b, &n->perf[i]);
	}
	if (st == MC_OK)
		st = mc_buf_puts(b, "]");
	return st;
}

/* One subcheck; n NULL for the synthetic out-of-memory entry. */
static mc_status_t json_node(mc_buf_t *b, const mc_result_t *n, const char *state, const char *text)
{
	mc_status_t st = mc_buf_puts(b, "{\"state\":");

	if (st == MC_OK)
		st = json_str(b, state);
	if (st == MC_OK)
		st = json_field_str(b, "text", text);
	if (st == MC_OK)
		st = mc_buf_puts(b, ",");
	if (st == MC_OK && n)
		st = json_children(b, n);
	else if (st == MC_OK)
		st = mc_buf_puts(b, "\"subchecks\":[],\"perfdata\":[]");
	if (st == MC_OK)
		st = mc_buf_puts(b, "}");
	return st;
}

static mc_status_t json_root(mc_buf_t *b, const mc_result_t *root, bool bare, const char *summary)
{
	mc_state_t s = mc_result_state(root);
	mc_status_t st = mc_buf_puts(b, "{\"label\":");

	if (st == MC_OK)
		st = json_str(b, root->label);
	if (st == MC_OK)
		st = json_field_str(b, "state", mc_state_name(s));
	if (st == MC_OK)
		st = mc_buf_printf(b, ",\"exit_code\":%d", (int)s);
	if (st == MC_OK)
		st = json_field_str(b, "summary", summary);
	if (st == MC_OK)
		st = mc_buf_puts(b, ",");
	if (st == MC_OK && !bare)
		st = json_children(b, root);
	else if (st == MC_OK)
		st = mc_buf_puts(b, "\"subchecks\":[],\"perfdata\":[]");
	if (st == MC_OK)
		st = mc_buf_puts(b, "}\n");
	return st;
}

void mc_output_json(const mc_result_t *root, FILE *out)
{
	mc_buf_t b;
	mc_status_t st;
	mc_state_t s;

	if (!root) {
		/* mc_result_new() failed: nothing to print but the failure */
		fputs("{\"label\":\"\",\"state\":\"UNKNOWN\",\"exit_code\":3,\"summary\":"
		      "\"" MC_RESULT_OOM_TEXT "\",\"subchecks\":[],\"perfdata\":[]}\n",
		      out);
		return;
	}
	s = mc_result_state(root);
	mc_buf_init(&b, JSON_MAX);
	st = json_root(&b, root, false, mc_result_summary_of(root));
	if (st != MC_OK) {
		/* Too large or out of memory: still one valid object. */
		mc_buf_reset(&b);
		b.max = 64 * 1024;
		st = json_root(&b, root, true,
		               st == MC_E_LIMIT ? "result too large for JSON output"
		                                : MC_RESULT_OOM_TEXT);
	}
	if (st == MC_OK)
		fputs(mc_buf_cstr(&b), out);
	else
		fprintf(out,
		        "{\"label\":\"\",\"state\":\"%s\",\"exit_code\":%d,\"summary\":"
		        "\"" MC_RESULT_OOM_TEXT "\",\"subchecks\":[],\"perfdata\":[]}\n",
		        mc_state_name(s), (int)s);
	mc_buf_free(&b);
}
