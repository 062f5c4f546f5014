/* Fuzz target: the tag-list splitter of the policy records under every
 * syntax it supports. The first byte chooses the syntax (whitespace kind,
 * name grammar, exact fields, version tag, duplicate rule, tag limit); the
 * rest is the record. Every tag handed on must lie inside the record, and
 * its items (split at ':' and ',') too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/mc_taglist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct ctx {
	const char *txt;
	size_t len;
	const mc_taglist_syntax_t *syn;
} ctx_t;

static void inside(const ctx_t *c, const char *p, size_t n)
{
	if (n && (p < c->txt || p + n > c->txt + c->len))
		abort();
}

static mc_status_t visit(void *arg, const mc_taglist_tag_t *t, size_t index, char *err,
                         size_t errsz)
{
	const ctx_t *c = arg;
	mc_taglist_items_t it;
	const char *item;
	size_t n, count = 0;

	(void)index;
	inside(c, t->spec, t->slen);
	inside(c, t->name, t->nlen);
	inside(c, t->val, t->vlen);
	if (!mc_taglist_name_ok(c->syn->names, t->name, t->nlen))
		abort();
	mc_taglist_items_init(&it, t, index & 1 ? ':' : ',', c->syn);
	while (mc_taglist_items_next(&it, &item, &n)) {
		inside(c, item, n);
		if (++count > t->vlen + 1)
			abort();
	}
	/* A visitor may refuse a tag: stop on the fifth. */
	if (index == 5) {
		snprintf(err, errsz, "stopped");
		return MC_E_PROTOCOL;
	}
	return MC_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const own[] = {"id", "rua", NULL};
	static const char *const versions[] = {NULL, "DKIM1", "STSv1", "DMARC1"};
	mc_taglist_syntax_t syn;
	ctx_t c;
	char err[128] = "", small[8] = ""; /* parse writes them only on failure */
	char *txt;
	uint8_t sel;
	mc_status_t a, b;

	if (size < 1)
		return 0;
	sel = data[0];
	memset(&syn, 0, sizeof(syn));
	syn.ws = sel & 1 ? MC_TAGLIST_FWS : MC_TAGLIST_WSP;
	syn.names = sel & 2 ? MC_TAGLIST_EXT_NAMES : MC_TAGLIST_TAG_NAMES;
	syn.exact_fields = (sel & 4) != 0;
	syn.own_values = sel & 8 ? own : NULL;
	syn.version = versions[(sel >> 4) & 3];
	syn.version_tag = (sel & 64) != 0;
	syn.dups = sel & 128 ? MC_TAGLIST_DUPS_VERSION
	                     : (sel & 8 ? MC_TAGLIST_DUPS_ANYCASE : MC_TAGLIST_DUPS_EXACT);
	syn.max_tags = syn.dups == MC_TAGLIST_DUPS_VERSION ? 0 : 1 + (size % MC_TAGLIST_MAX);
	syn.msg = (mc_taglist_msgs_t){"nul",      "not ours",    "version ws",    "version late",
	                              "case",     "no delim %s", "empty",         "empty tag",
	                              "no = %s",  "name %s",     "value %s %02x", "field %s",
	                              "twice %s", "too many %d"};
	txt = malloc(size - 1 ? size - 1 : 1);
	if (!txt)
		return 0;
	memcpy(txt, data + 1, size - 1);
	c.txt = txt;
	c.len = size - 1;
	c.syn = &syn;
	a = mc_taglist_parse(txt, size - 1, &syn, visit, &c, err, sizeof(err));
	b = mc_taglist_parse(txt, size - 1, &syn, visit, &c, small, sizeof(small));
	if (a != b || strnlen(err, sizeof(err)) == sizeof(err) ||
	    strnlen(small, sizeof(small)) == sizeof(small))
		abort();
	(void)mc_taglist_version_len(txt, size - 1, &syn);
	free(txt);
	return 0;
}
