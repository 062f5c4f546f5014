/* mc_result.h - the result tree: subchecks whose worst state wins, perfdata,
 * and the classic / json output of monitoring-plugins' conventions. The
 * tree is mc_result.c; the writers are mc_output_classic.c and
 * mc_output_json.c, chosen in mc_output.c. */
#ifndef MC_RESULT_H
#define MC_RESULT_H

#include <stdio.h>

#include "../util/mc_status.h"
#include "mc_perf.h"
#include "mc_state.h"

typedef struct mc_result mc_result_t;

typedef enum mc_output_format { MC_OUTPUT_CLASSIC = 0, MC_OUTPUT_JSON } mc_output_format_t;

/* A new root. label is the plugin's service label, e.g. "SMTP_TLS".
 * NULL on out of memory. */
mc_result_t *mc_result_new(const char *label);
/* Free a root and everything below it. */
void mc_result_free(mc_result_t *root);

/* Add a subcheck below parent with a state and a text (printf format; the
 * text is sanitized: '|' and control bytes never reach the output). Returns
 * the child (NULL on out of memory; the parent then records UNKNOWN). */
mc_result_t *mc_result_add(mc_result_t *parent, mc_state_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Change a node's own state and text. */
void mc_result_set(mc_result_t *node, mc_state_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Drop the children of node that are OK leaves without perfdata (detail
 * a multi-target check shows only at -v). */
void mc_result_prune_ok(mc_result_t *node);

/* Attach perfdata to a node (shown with the root's perfdata, in the order
 * added, depth first). th may be NULL. */
mc_status_t mc_result_perf(mc_result_t *node, const char *label, double value, const char *uom,
                           const mc_thresholds_t *th);
/* Same, with min and/or max (pass NULL to omit either). */
mc_status_t mc_result_perf_mm(mc_result_t *node, const char *label, double value, const char *uom,
                              const mc_thresholds_t *th, const double *min, const double *max);

/* Worst state of the node and all its descendants. */
mc_state_t mc_result_state(const mc_result_t *node);
/* The node's own text ("" if none). */
const char *mc_result_text(const mc_result_t *node);
/* The first descendant (depth first, in order) whose own state equals the
 * subtree's worst state and is not OK; NULL if all OK. Used for summaries. */
const mc_result_t *mc_result_worst(const mc_result_t *node);

/* Set the summary for the first line (sanitized, printf format). If never
 * set, the summary is the text of mc_result_worst(), or of the root. */
void mc_result_summary(mc_result_t *root, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print the whole result and return the exit code (the worst state).
 * classic: "LABEL STATE - summary | perf perf ...", then one line per
 *   subcheck "[STATE] text", depth first, children indented two spaces per
 *   level below the first. STATE on a subcheck line is the worst state of
 *   its subtree; " - summary" is left out when the summary is empty and
 *   " | ..." when there is no perfdata. The whole output is capped at 4 KiB:
 *   the lines from the first that does not fit on are replaced by one
 *   "[...] N more lines" line; a first line too long loses trailing perfdata
 *   items whole, then summary text. Out of memory while building the tree
 *   shows as "[UNKNOWN] out of memory while building the result" below the
 *   node concerned.
 * json: one object, one line:
 *   {"label":"SMTP_TLS","state":"OK","exit_code":0,"summary":"...",
 *    "subchecks":[{"state":"OK","text":"...","subchecks":[...],
 *                  "perfdata":[...]}],
 *    "perfdata":[{"label":"time","value":0.041,"uom":"s","warn":"1",
 *                 "crit":"2","min":0,"max":10}]}
 *   where warn/crit/min/max/uom are omitted when empty and strings are JSON
 *   escaped; "state" of a subcheck is its subtree's worst state, a value
 *   that is not finite is null. JSON is never cut (1 MiB bound). */
int mc_result_print(const mc_result_t *root, mc_output_format_t fmt, FILE *out);

#endif
