#include "mc_result.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../util/mc_buf.h"
#include "../util/mc_str.h"

/* Longest text kept for one node; longer text is cut. */
#define TEXT_MAX 4096
/* Classic output cap (design.md: whole output under 4 KiB). */
#define OUT_MAX 4096
/* Room kept for the "[...] N more lines" line. */
#define MORE_RESERVE 40
/* JSON is not cut (it would stop being JSON) but is bounded all the same. */
#define JSON_MAX (1024 * 1024)

#define OOM_TEXT "out of memory while building the result"

struct mc_result {
	mc_state_t state;
	const char *text; /* malloc'd and sanitized, or NULL for "" */
	char *label;      /* root only */
	char *summary;    /* root only, NULL if never set */
	bool oom;         /* an allocation below this node failed */
	mc_result_t *parent, *first, *last, *next;
	mc_perf_t *perf;
	size_t nperf, capperf;
};

/* Stands for the "out of memory" line of a node whose oom flag is set. */
static const mc_result_t oom_node = {.state = MC_STATE_UNKNOWN, .text = OOM_TEXT};

/* Format and sanitize; NULL on out of memory. */
static char *make_text(const char *fmt, va_list ap)
{
	mc_buf_t b;
	mc_status_t st;
	char *s;

	mc_buf_init(&b, TEXT_MAX);
	st = mc_buf_vprintf(&b, fmt, ap);
	if (st != MC_OK && st != MC_E_LIMIT) {
		mc_buf_free(&b);
		return NULL;
	}
	s = malloc(b.len + 1);
	if (s)
		mc_str_sanitize(s, b.len + 1, mc_buf_cstr(&b), b.len);
	mc_buf_free(&b);
	return s;
}

static char *dup_sanitized(const char *in)
{
	size_t n = strlen(in);
	char *s;

	if (n > TEXT_MAX)
		n = TEXT_MAX;
	s = malloc(n + 1);
	if (s)
		mc_str_sanitize(s, n + 1, in, n);
	return s;
}

mc_result_t *mc_result_new(const char *label)
{
	mc_result_t *r = calloc(1, sizeof *r);

	if (!r)
		return NULL;
	r->state = MC_STATE_OK;
	r->label = dup_sanitized(label ? label : "");
	if (!r->label) {
		free(r);
		return NULL;
	}
	return r;
}

static void node_free(mc_result_t *n)
{
	/* Iterative over siblings, recursive over depth only. */
	while (n) {
		mc_result_t *next = n->next;
		node_free(n->first);
		free((char *)n->text);
		free(n->label);
		free(n->summary);
		free(n->perf);
		free(n);
		n = next;
	}
}

void mc_result_free(mc_result_t *root)
{
	if (!root)
		return;
	root->next = NULL; /* a root has no siblings; never free beyond it */
	node_free(root);
}

void mc_result_prune_ok(mc_result_t *node)
{
	mc_result_t **link = &node->first, *c;

	node->last = NULL;
	while ((c = *link) != NULL) {
		if (c->state == MC_STATE_OK && !c->first && !c->nperf && !c->oom) {
			*link = c->next;
			c->next = NULL;
			node_free(c);
		} else {
			node->last = c;
			link = &c->next;
		}
	}
}

mc_result_t *mc_result_add(mc_result_t *parent, mc_state_t st, const char *fmt, ...)
{
	mc_result_t *c;
	va_list ap;

	if (!parent)
		return NULL;
	c = calloc(1, sizeof *c);
	if (!c) {
		parent->oom = true;
		return NULL;
	}
	c->state = st;
	if (fmt) {
		va_start(ap, fmt);
		c->text = make_text(fmt, ap);
		va_end(ap);
		if (!c->text) {
			free(c);
			parent->oom = true;
			return NULL;
		}
	}
	c->parent = parent;
	if (parent->last)
		parent->last->next = c;
	else
		parent->first = c;
	parent->last = c;
	return c;
}

void mc_result_set(mc_result_t *node, mc_state_t st, const char *fmt, ...)
{
	va_list ap;
	char *t = NULL;

	if (!node)
		return;
	node->state = st;
	if (fmt) {
		va_start(ap, fmt);
		t = make_text(fmt, ap);
		va_end(ap);
		if (!t)
			node->oom = true;
	}
	free((char *)node->text);
	node->text = t;
}

mc_status_t mc_result_perf_mm(mc_result_t *node, const char *label, double value, const char *uom,
                              const mc_thresholds_t *th, const double *min, const double *max)
{
	mc_perf_t p;
	mc_status_t st;

	if (!node)
		return MC_E_USAGE;
	st = mc_perf_set(&p, label, value, uom, th);
	if (st != MC_OK)
		return st;
	if (min) {
		p.min = *min;
		p.has_min = true;
	}
	if (max) {
		p.max = *max;
		p.has_max = true;
	}
	if (node->nperf == node->capperf) {
		size_t cap = node->capperf ? node->capperf * 2 : 4;
		mc_perf_t *np = realloc(node->perf, cap * sizeof *np);
		if (!np) {
			node->oom = true;
			return MC_E_NOMEM;
		}
		node->perf = np;
		node->capperf = cap;
	}
	node->perf[node->nperf++] = p;
	return MC_OK;
}

mc_status_t mc_result_perf(mc_result_t *node, const char *label, double value, const char *uom,
                           const mc_thresholds_t *th)
{
	return mc_result_perf_mm(node, label, value, uom, th, NULL, NULL);
}

static mc_state_t own_state(const mc_result_t *n)
{
	return n->oom ? mc_state_worst(n->state, MC_STATE_UNKNOWN) : n->state;
}

mc_state_t mc_result_state(const mc_result_t *node)
{
	mc_state_t w;
	const mc_result_t *c;

	if (!node)
		return MC_STATE_UNKNOWN;
	w = own_state(node);
	for (c = node->first; c; c = c->next)
		w = mc_state_worst(w, mc_result_state(c));
	return w;
}

const char *mc_result_text(const mc_result_t *node)
{
	return node && node->text ? node->text : "";
}

/* Pre-order: the node, its children, then its out-of-memory line. With
 * need_text, nodes without text are passed over. */
static const mc_result_t *find_state(const mc_result_t *n, mc_state_t want, bool need_text)
{
	const mc_result_t *c, *f;

	if (n->state == want && (!need_text || (n->text && n->text[0])))
		return n;
	for (c = n->first; c; c = c->next) {
		f = find_state(c, want, need_text);
		if (f)
			return f;
	}
	if (n->oom && want == MC_STATE_UNKNOWN)
		return &oom_node;
	return NULL;
}

const mc_result_t *mc_result_worst(const mc_result_t *node)
{
	mc_state_t w;

	if (!node)
		return NULL;
	w = mc_result_state(node);
	if (w == MC_STATE_OK)
		return NULL;
	return find_state(node, w, false);
}

void mc_result_summary(mc_result_t *root, const char *fmt, ...)
{
	va_list ap;
	char *t;

	if (!root || !fmt)
		return;
	va_start(ap, fmt);
	t = make_text(fmt, ap);
	va_end(ap);
	if (!t) {
		root->oom = true;
		return;
	}
	free(root->summary);
	root->summary = t;
}

static const char *summary_of(const mc_result_t *root)
{
	const mc_result_t *w = NULL;
	mc_state_t s;

	if (root->summary)
		return root->summary;
	s = mc_result_state(root);
	if (s != MC_STATE_OK)
		w = find_state(root, s, true);
	return w ? w->text : mc_result_text(root);
}

/* ---- classic output ---- */

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
	const char *summary = summary_of(root);
	size_t keep = perflen;

	mc_buf_init(&head, TEXT_MAX * 2);
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
		return add_line(l, depth, "UNKNOWN", OOM_TEXT);
	return MC_OK;
}

static mc_status_t classic(mc_buf_t *out, const mc_result_t *root)
{
	mc_buf_t perf;
	line_list_t lines;
	size_t shown = 0;
	const char *p, *end;
	mc_status_t st;

	mc_buf_init(&perf, JSON_MAX);
	mc_buf_init(&lines.text, JSON_MAX);
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

/* ---- JSON output ---- */

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
			st = json_node(b, NULL, "UNKNOWN", OOM_TEXT);
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

int mc_result_print(const mc_result_t *root, mc_output_format_t fmt, FILE *out)
{
	mc_buf_t b;
	mc_status_t st;
	mc_state_t s;

	if (!root) {
		/* mc_result_new() failed: nothing to print but the failure */
		if (fmt == MC_OUTPUT_JSON)
			fputs("{\"label\":\"\",\"state\":\"UNKNOWN\",\"exit_code\":3,\"summary\":"
			      "\"" OOM_TEXT "\",\"subchecks\":[],\"perfdata\":[]}\n",
			      out);
		else
			fputs("UNKNOWN - " OOM_TEXT "\n", out);
		return MC_STATE_UNKNOWN;
	}
	s = mc_result_state(root);
	if (fmt == MC_OUTPUT_JSON) {
		mc_buf_init(&b, JSON_MAX);
		st = json_root(&b, root, false, summary_of(root));
		if (st != MC_OK) {
			/* Too large or out of memory: still one valid object. */
			mc_buf_reset(&b);
			b.max = 64 * 1024;
			st = json_root(&b, root, true,
			               st == MC_E_LIMIT ? "result too large for JSON output"
			                                : OOM_TEXT);
		}
	} else {
		mc_buf_init(&b, OUT_MAX);
		st = classic(&b, root);
	}
	if (st == MC_OK)
		fputs(mc_buf_cstr(&b), out);
	else if (fmt == MC_OUTPUT_JSON)
		fprintf(out,
		        "{\"label\":\"\",\"state\":\"%s\",\"exit_code\":%d,\"summary\":\"" OOM_TEXT
		        "\",\"subchecks\":[],\"perfdata\":[]}\n",
		        mc_state_name(s), (int)s);
	else
		fprintf(out, "%.64s %s - %s\n", root->label, mc_state_name(s), OOM_TEXT);
	mc_buf_free(&b);
	return (int)s;
}
