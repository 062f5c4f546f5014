/* mc_result_local.h - the insides of the result tree, shared by the tree
 * (mc_result.c) and its writers (mc_output_classic.c, mc_output_json.c,
 * mc_output.c). Not for use outside nagios/: everything else goes through
 * mc_result.h. The writers read the tree; the tree knows no writer. */
#ifndef MC_RESULT_LOCAL_H
#define MC_RESULT_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mc_perf.h"
#include "mc_result.h"
#include "mc_state.h"

/* Longest text kept for one node; longer text is cut. */
#define MC_RESULT_TEXT_MAX 4096
/* Shown, as an UNKNOWN line, below a node whose oom flag is set. */
#define MC_RESULT_OOM_TEXT "out of memory while building the result"

struct mc_result {
	mc_state_t state;
	char *text;    /* malloc'd and sanitized, or NULL for "" */
	char *label;   /* root only */
	char *summary; /* root only, NULL if never set */
	bool oom;      /* an allocation below this node failed */
	mc_result_t *parent, *first, *last, *next;
	mc_perf_t *perf;
	size_t nperf, capperf;
};

/* The summary of the first line: the one set with mc_result_summary, else
 * the text of the first node with the worst state and a text, else the
 * root's text. Never NULL. */
const char *mc_result_summary_of(const mc_result_t *root);

/* The writers behind mc_result_print (its contract, in mc_result.h, is
 * theirs). Each prints the whole output to out, also when root is NULL
 * or the output cannot be built, and does not return the state. */
void mc_output_classic(const mc_result_t *root, FILE *out);
void mc_output_json(const mc_result_t *root, FILE *out);

#endif
