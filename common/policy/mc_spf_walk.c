/* mc_spf_walk.c - the static walk of an SPF tree (RFC 7208 section 4.6.4
 * limits), a pure function over a lookup callback. */
#include "mc_spf_walk.h"

#include <stdio.h>
#include <string.h>

#include "dns/mc_dns_msg.h"
#include "util/mc_str.h"

/* A name in the form the lookup takes: a raw name of up to 253 bytes,
 * every byte escaped. A longer one cannot be asked. */
#define QNAME_MAX (2 * MC_SPF_NAME_MAX + 2)

typedef struct walker {
	mc_spf_lookup_fn lookup;
	void *arg;
	mc_spf_walk_t *w;
	/* the names from the top to the record being walked, for loops */
	char names[MC_SPF_WALK_MAX_DEPTH][QNAME_MAX];
} walker_t;

/* What a name too long for DNS is taken to be: nothing is there. */
static const mc_dns_answer_t not_a_name = {
    .outcome = MC_DNS_NXDOMAIN, .name = "", .error = "not a name that can be asked"};

/* Raw text to the lookup's form: a backslash escapes itself. False when
 * it does not fit. */
static bool query_form(const char *raw, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *raw; raw++) {
		if (o + 3 > outsz)
			return false;
		if (*raw == '\\')
			out[o++] = '\\';
		out[o++] = *raw;
	}
	out[o] = '\0';
	return true;
}

static const mc_dns_answer_t *ask(walker_t *k, const char *qname, uint16_t type)
{
	return qname[0] ? k->lookup(k->arg, qname, type) : &not_a_name;
}

static void note(char *dst, const char *path, const char *term)
{
	if (!dst[0])
		snprintf(dst, MC_SPF_WALK_PATH_MAX, "%.400s%s%.150s", path, term ? " > " : "",
		         term ? term : "");
}

/* One DNS-querying term counted, the 11th noted; false (nothing counted)
 * once the walk has counted all it may. */
static bool count_lookup(mc_spf_walk_t *w, const char *path, const char *term)
{
	if (w->lookups == MC_SPF_WALK_MAX_LOOKUPS) {
		w->truncated = true;
		return false;
	}
	if (++w->lookups == MC_SPF_MAX_LOOKUPS + 1)
		note(w->over_path, path, term);
	return true;
}

static bool no_records(const mc_dns_answer_t *a)
{
	return a->outcome == MC_DNS_NXDOMAIN || a->outcome == MC_DNS_NODATA;
}

static void count_void(mc_spf_walk_t *w, const char *path, const char *term)
{
	if (++w->voids == MC_SPF_MAX_VOID + 1)
		note(w->void_path, path, term);
}

static void walk_domain(walker_t *k, unsigned depth, const char *path);

/* a, mx and exists: the void lookups and the MX names, where known. */
static void walk_target(walker_t *k, const mc_spf_term_t *t, unsigned depth, const char *path)
{
	mc_spf_walk_t *w = k->w;
	char qname[QNAME_MAX];
	const mc_dns_answer_t *a, *b;

	if (t->spec && strchr(t->spec, '%'))
		return; /* depends on the sender or client: evaluation's to judge */
	if (!t->spec)
		mc_strlcpy(qname, k->names[depth], sizeof(qname));
	else if (!query_form(t->spec, qname, sizeof(qname)))
		qname[0] = '\0';
	switch (t->kind) {
	case MC_SPF_T_A:
		a = ask(k, qname, MC_DNS_T_A);
		b = ask(k, qname, MC_DNS_T_AAAA);
		if (!a || !b)
			w->pending = true;
		else if (no_records(a) && no_records(b))
			count_void(w, path, t->text);
		break;
	case MC_SPF_T_MX:
		a = ask(k, qname, MC_DNS_T_MX);
		if (!a)
			w->pending = true;
		else if (no_records(a))
			count_void(w, path, t->text);
		else if (a->n > MC_SPF_MAX_NAMES && !w->finding[0])
			snprintf(w->finding, sizeof(w->finding),
			         "%.300s > %.100s: %zu MX names, over the limit of %d (RFC 7208 "
			         "section 4.6.4)",
			         path, t->text, a->n, MC_SPF_MAX_NAMES);
		break;
	case MC_SPF_T_EXISTS:
		a = ask(k, qname, MC_DNS_T_A);
		if (!a)
			w->pending = true;
		else if (no_records(a))
			count_void(w, path, t->text);
		break;
	default: break;
	}
}

/* include or redirect: followed unless it loops or is too deep. */
static void walk_include(walker_t *k, const mc_spf_term_t *t, unsigned depth, const char *path)
{
	mc_spf_walk_t *w = k->w;
	char sub[MC_SPF_WALK_PATH_MAX];
	char *next = depth + 1 < MC_SPF_WALK_MAX_DEPTH ? k->names[depth + 1] : NULL;
	char qname[QNAME_MAX];
	unsigned d;

	if (strchr(t->spec, '%'))
		return;
	if (!query_form(t->spec, qname, sizeof(qname)))
		qname[0] = '\0';
	snprintf(sub, sizeof(sub), "%.400s > %.150s", path, t->text);
	for (d = 0; d <= depth; d++) {
		if (qname[0] && mc_dns_name_eq(k->names[d], qname)) {
			if (!w->finding[0])
				snprintf(w->finding, sizeof(w->finding),
				         "%.500s: a loop (RFC 7208 section 4.6.4)", sub);
			return;
		}
	}
	if (!next)
		return;
	memcpy(next, qname, sizeof(qname));
	walk_domain(k, depth + 1, sub);
}

static void walk_record(walker_t *k, const mc_spf_record_t *rec, unsigned depth, const char *path)
{
	mc_spf_walk_t *w = k->w;
	bool has_all = false;
	size_t i;

	for (i = 0; i < rec->nterms; i++)
		has_all |= rec->terms[i].kind == MC_SPF_T_ALL;
	for (i = 0; i < rec->nterms && !w->truncated; i++) {
		const mc_spf_term_t *t = &rec->terms[i];
		switch (t->kind) {
		case MC_SPF_T_PTR:
		case MC_SPF_T_A:
		case MC_SPF_T_MX:
		case MC_SPF_T_EXISTS:
			if (!count_lookup(w, path, t->text))
				break;
			if (t->kind == MC_SPF_T_PTR)
				note(w->ptr_path, path, t->text);
			walk_target(k, t, depth, path);
			break;
		case MC_SPF_T_REDIRECT:
			/* RFC 7208 section 6.1: redirect is ignored beside all. */
			if (has_all)
				break;
			/* fall through */
		case MC_SPF_T_INCLUDE:
			if (count_lookup(w, path, t->text))
				walk_include(k, t, depth, path);
			break;
		default: break;
		}
	}
}

static void walk_domain(walker_t *k, unsigned depth, const char *path)
{
	mc_spf_walk_t *w = k->w;
	const mc_dns_answer_t *a = ask(k, k->names[depth], MC_DNS_T_TXT);
	const mc_dns_rr_t *rr;
	mc_spf_record_t rec;
	char err[MC_SPF_TEXT_MAX];
	size_t n;

	if (!a) {
		w->pending = true;
		return;
	}
	if (depth > w->depth)
		w->depth = depth;
	n = mc_spf_records(a, &rr);
	if (depth == 0) {
		w->top = a;
		w->nrecords = n;
	}
	if (a->outcome != MC_DNS_ANSWER && !no_records(a)) {
		if (depth && !w->finding[0])
			snprintf(w->finding, sizeof(w->finding), "%.300s: %.250s", path, a->error);
		return;
	}
	if (n != 1) {
		if (depth && !w->finding[0])
			snprintf(w->finding, sizeof(w->finding), "%.500s: %s (permerror)", path,
			         n ? "several SPF records" : "no SPF record");
		return;
	}
	if (mc_spf_parse((const char *)rr->data, rr->len, &rec, err, sizeof(err)) != MC_OK) {
		if (depth == 0)
			mc_strlcpy(w->parse_error, err, sizeof(w->parse_error));
		else if (!w->finding[0])
			snprintf(w->finding, sizeof(w->finding), "%.300s: %.250s", path, err);
		return;
	}
	if (depth == 0) {
		w->bytes = rr->len;
		w->rec = rec;
		w->parsed = true;
	}
	walk_record(k, &rec, depth, path);
	if (depth != 0)
		mc_spf_record_free(&rec);
}

void mc_spf_walk(const char *domain, mc_spf_lookup_fn lookup, void *arg, mc_spf_walk_t *out)
{
	walker_t k;

	memset(out, 0, sizeof(*out));
	k.lookup = lookup;
	k.arg = arg;
	k.w = out;
	if (!query_form(domain, k.names[0], sizeof(k.names[0])))
		k.names[0][0] = '\0';
	walk_domain(&k, 0, domain);
}

void mc_spf_walk_free(mc_spf_walk_t *w)
{
	if (w->parsed)
		mc_spf_record_free(&w->rec);
	w->parsed = false;
}
