/* mc_result_print: the writer the format asks for; the exit code. */
#include <stdio.h>

#include "mc_result.h"
#include "mc_result_local.h"
#include "mc_state.h"

int mc_result_print(const mc_result_t *root, mc_output_format_t fmt, FILE *out)
{
	if (fmt == MC_OUTPUT_JSON)
		mc_output_json(root, out);
	else
		mc_output_classic(root, out);
	return root ? (int)mc_result_state(root) : MC_STATE_UNKNOWN;
}
