#include "mc_result.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../util/mc_buf.h"
#include "../util/mc_str.h"
#include "mc_result_local.h"

/* Stands for the "out of memory" line of a node whose oom flag is set. */
static char oom_text[] = MC_RESULT_OOM_TEXT;
static const mc_result_t oom_node = {.state = MC_STATE_UNKNOWN, .text = oom_text};

/* Format and sanitize; NULL on out of memory. */
static char *make_text(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *make_text(const char *fmt, va_list ap)
{
	mc_buf_t b;
	mc_status_t st;
	char *s;

	mc_buf_init(&b, MC_RESULT_TEXT_MAX);
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

	if (n > MC_RESULT_TEXT_MAX)
		n = MC_RESULT_TEXT_MAX;
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
		free(n->text);
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
	free(node->text);
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

const char *mc_result_summary_of(const mc_result_t *root)
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
