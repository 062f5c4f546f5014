/* libFuzzer target: the static SPF walk (mc_spf_walk) and check_host
 * (mc_spf_check_host) over a small zone the input describes, each run once
 * with every answer known and once with answers released a few at a time
 * in an order the input seeds, replayed from the start each time (as
 * mc_dns_replay does): the final results must be identical. check_host
 * runs a third time with the records of every answer in reverse order, as
 * a resolver rotating them may give them: the same result, term,
 * explanation and counts (the reason may name another failing name of the
 * same term). Also: the walk's counts and paths agree (the 11th term and
 * the 3rd void have a path), and in a zone without macros a walk with no
 * finding within the limits counts at least the terms check_host
 * evaluates.
 *
 * Input: byte 0 seeds the release order (bit 0: an IPv6 client); then up to
 * 8 lines ('\n'), line i describing the name "a.t" + i. A line's first byte
 * f: f & 3 is its TXT answer (0: the rest of the line, cut at '|', one
 * record per piece, none: no data; 1: NXDOMAIN for every type; 2: SERVFAIL;
 * 3: timeout; for 2 and 3 the next byte, if any, gives the same error to
 * A (bit 0), AAAA (bit 1) and MX (bit 2) questions too); f & 4: an A
 * record 192.0.2.(i+1); f & 8: an AAAA record 2001:db8::(i+1); f >> 4:
 * that many MX names, the names after it in turn. Every PTR question is
 * answered a.t; any other name does not exist. The client is 192.0.2.1
 * (or 2001:db8::1), the sender postmaster@a.t. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/mc_dns_msg.h"
#include "policy/mc_spf.h"
#include "policy/mc_spf_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAMES 8
#define MAX_TXT 16
#define MAX_INPUT 4096
#define MAX_QUESTIONS 1024

static const char *const names[NAMES] = {"a.t", "b.t", "c.t", "d.t", "e.t", "f.t", "g.t", "h.t"};

typedef struct zname {
	bool present;
	int txt; /* 0..3, as the input says */
	/* txt 2 or 3: the other types answering that error, bits 0 A, 1 AAAA,
	 * 2 MX */
	unsigned errs;
	bool a, aaaa;
	unsigned nmx;
	char *txts[MAX_TXT];
	size_t lens[MAX_TXT];
	size_t ntxt;
} zname_t;

typedef struct built {
	struct built *next;
	mc_dns_answer_t ans;
	mc_dns_rr_t rr[MAX_TXT];
	char name[600];
} built_t;

typedef struct question {
	char name[600];
	uint16_t type;
	bool known;
} question_t;

typedef struct world {
	zname_t z[NAMES];
	built_t *built;
	question_t *q;
	size_t nq;
	bool staged;
	bool reversed; /* answers built with their records in reverse order */
	uint32_t rng;
	bool ipv6;
} world_t;

/* The bit of zname_t.errs for a type, 0 for the others. */
static unsigned err_bit(uint16_t type)
{
	switch (type) {
	case MC_DNS_T_A: return 1;
	case MC_DNS_T_AAAA: return 2;
	case MC_DNS_T_MX: return 4;
	default: return 0;
	}
}

static int name_index(const char *name)
{
	int i;

	for (i = 0; i < NAMES; i++)
		if (mc_dns_name_eq(names[i], name))
			return i;
	return -1;
}

static void set_error(built_t *b, const char *what)
{
	char tb[16];

	snprintf(b->ans.error, sizeof(b->ans.error), "%s %.300s: %s",
	         mc_dns_type_str(b->ans.type, tb, sizeof(tb)), b->name, what);
}

static const mc_dns_answer_t *answer(world_t *w, const char *name, uint16_t type)
{
	built_t *b;
	int i = name_index(name);
	const zname_t *z = i >= 0 && w->z[i].present ? &w->z[i] : NULL;
	size_t k;

	for (b = w->built; b; b = b->next)
		if (b->ans.type == type && mc_dns_name_eq(b->name, name))
			return &b->ans;
	b = calloc(1, sizeof(*b));
	if (!b)
		abort();
	b->next = w->built;
	w->built = b;
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->ans.name = b->name;
	b->ans.type = type;
	b->ans.outcome = MC_DNS_NODATA;
	if (type == MC_DNS_T_PTR) {
		b->rr[0].type = type;
		b->rr[0].name = names[0];
		b->ans.rrs[b->ans.n++] = &b->rr[0];
	} else if (!z || z->txt == 1) {
		b->ans.outcome = MC_DNS_NXDOMAIN;
	} else if (z->txt >= 2 && (type == MC_DNS_T_TXT || (z->errs & err_bit(type)))) {
		b->ans.outcome = z->txt == 2 ? MC_DNS_SERVFAIL : MC_DNS_TIMEOUT;
	} else if (type == MC_DNS_T_TXT) {
		for (k = 0; k < z->ntxt; k++) {
			b->rr[k].type = type;
			b->rr[k].data = (const uint8_t *)z->txts[k];
			b->rr[k].len = z->lens[k];
			b->rr[k].nstrings = 1;
			b->ans.rrs[b->ans.n++] = &b->rr[k];
		}
	} else if ((type == MC_DNS_T_A && z->a) || (type == MC_DNS_T_AAAA && z->aaaa)) {
		b->rr[0].type = type;
		if (type == MC_DNS_T_A) {
			static const uint8_t v4[4] = {192, 0, 2, 0};
			memcpy(b->rr[0].addr, v4, 4);
			b->rr[0].addr[3] = (uint8_t)(i + 1);
		} else {
			static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8};
			memcpy(b->rr[0].addr, v6, 16);
			b->rr[0].addr[15] = (uint8_t)(i + 1);
		}
		b->ans.rrs[b->ans.n++] = &b->rr[0];
	} else if (type == MC_DNS_T_MX) {
		for (k = 0; k < z->nmx; k++) {
			b->rr[k].type = type;
			b->rr[k].name = names[((size_t)i + 1 + k) % NAMES];
			b->ans.rrs[b->ans.n++] = &b->rr[k];
		}
	}
	if (w->reversed) {
		for (k = 0; k < b->ans.n / 2; k++) {
			const mc_dns_rr_t *t = b->ans.rrs[k];
			b->ans.rrs[k] = b->ans.rrs[b->ans.n - 1 - k];
			b->ans.rrs[b->ans.n - 1 - k] = t;
		}
	}
	if (b->ans.n)
		b->ans.outcome = MC_DNS_ANSWER;
	if (b->ans.outcome != MC_DNS_ANSWER)
		set_error(b, mc_dns_outcome_str(b->ans.outcome));
	return &b->ans;
}

static const mc_dns_answer_t *lookup(void *arg, const char *name, uint16_t type)
{
	world_t *w = arg;
	size_t i;

	if (!name[0])
		abort(); /* neither asks for an empty name */
	for (i = 0; i < w->nq; i++)
		if (w->q[i].type == type && mc_dns_name_eq(w->q[i].name, name))
			break;
	if (i == w->nq) {
		if (w->nq == MAX_QUESTIONS || strlen(name) >= sizeof(w->q[0].name))
			abort();
		snprintf(w->q[i].name, sizeof(w->q[i].name), "%s", name);
		w->q[i].type = type;
		w->q[i].known = !w->staged;
		w->nq++;
	}
	return w->q[i].known ? answer(w, name, type) : NULL;
}

static uint32_t next_rand(world_t *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 17;
	w->rng ^= w->rng << 5;
	return w->rng;
}

/* Release some unknown answers (at least one); false when none is left. */
static bool release(world_t *w)
{
	size_t i, n = 0, unknown = 0;

	for (i = 0; i < w->nq; i++)
		unknown += !w->q[i].known;
	if (!unknown)
		return false;
	while (!n) {
		for (i = 0; i < w->nq; i++) {
			if (!w->q[i].known && next_rand(w) % 2) {
				w->q[i].known = true;
				n++;
			}
		}
	}
	return true;
}

static void restart(world_t *w, bool staged, uint32_t seed)
{
	w->nq = 0;
	w->staged = staged;
	w->rng = seed | 1;
}

/* A text field: NUL-terminated inside its size. */
static void check_text(const char *s, size_t size)
{
	if (!memchr(s, '\0', size))
		abort();
}

static void check_walk(const mc_spf_walk_t *w)
{
	check_text(w->over_path, sizeof(w->over_path));
	check_text(w->void_path, sizeof(w->void_path));
	check_text(w->finding, sizeof(w->finding));
	check_text(w->ptr_path, sizeof(w->ptr_path));
	check_text(w->parse_error, sizeof(w->parse_error));
	if (w->lookups > MC_SPF_WALK_MAX_LOOKUPS ||
	    (w->truncated && w->lookups != MC_SPF_WALK_MAX_LOOKUPS))
		abort();
	if ((w->lookups > MC_SPF_MAX_LOOKUPS) != (w->over_path[0] != '\0'))
		abort();
	if ((w->voids > MC_SPF_MAX_VOID) != (w->void_path[0] != '\0'))
		abort();
	if (w->depth >= MC_SPF_WALK_MAX_DEPTH || (w->parsed && w->nrecords != 1))
		abort();
	if (!w->parsed && (w->lookups || w->depth || w->finding[0]))
		abort();
	if (w->parsed && w->parse_error[0])
		abort();
}

static bool same_walk(const mc_spf_walk_t *a, const mc_spf_walk_t *b)
{
	return a->pending == b->pending && a->truncated == b->truncated &&
	       a->lookups == b->lookups && a->voids == b->voids && a->depth == b->depth &&
	       !strcmp(a->over_path, b->over_path) && !strcmp(a->void_path, b->void_path) &&
	       !strcmp(a->finding, b->finding) && !strcmp(a->ptr_path, b->ptr_path) &&
	       a->top == b->top && a->nrecords == b->nrecords && a->parsed == b->parsed &&
	       a->bytes == b->bytes && !strcmp(a->parse_error, b->parse_error) &&
	       (!a->parsed || a->rec.nterms == b->rec.nterms);
}

/* Everything but the reason. */
static bool same_outcome(const mc_spf_result_t *a, const mc_spf_result_t *b)
{
	return a->result == b->result && a->pending == b->pending && !strcmp(a->term, b->term) &&
	       !strcmp(a->explanation, b->explanation) && a->explained == b->explained &&
	       a->lookups == b->lookups && a->void_lookups == b->void_lookups;
}

static bool same_result(const mc_spf_result_t *a, const mc_spf_result_t *b)
{
	return same_outcome(a, b) && !strcmp(a->reason, b->reason);
}

static void free_built(world_t *w)
{
	while (w->built) {
		built_t *b = w->built;
		w->built = b->next;
		free(b);
	}
}

static void parse_zone(world_t *w, const uint8_t *data, size_t size)
{
	size_t pos = 1, line = 0;

	while (pos <= size && line < NAMES) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t end = nl ? (size_t)(nl - data) : size, p;
		zname_t *z = &w->z[line++];
		if (end > pos) {
			uint8_t f = data[pos];
			z->present = true;
			z->txt = f & 3;
			z->a = f & 4;
			z->aaaa = f & 8;
			z->nmx = f >> 4;
			if (z->txt >= 2 && end > pos + 1)
				z->errs = data[pos + 1];
			for (p = pos + 1; z->txt == 0 && p < end && z->ntxt < MAX_TXT;) {
				const uint8_t *bar = memchr(data + p, '|', end - p);
				size_t stop = bar ? (size_t)(bar - data) : end;
				z->txts[z->ntxt] = malloc(stop - p + 1);
				if (!z->txts[z->ntxt])
					abort();
				memcpy(z->txts[z->ntxt], data + p, stop - p);
				z->txts[z->ntxt][stop - p] = '\0';
				z->lens[z->ntxt++] = stop - p;
				p = stop + 1;
			}
		}
		pos = end + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	world_t *w;
	mc_spf_walk_t w1, w2;
	mc_spf_result_t r1, r2, r3;
	mc_spf_params_t p;
	uint32_t seed;
	unsigned rounds;
	size_t i, k;

	if (size < 1 || size > MAX_INPUT)
		return 0;
	w = calloc(1, sizeof(*w));
	if (!w)
		abort();
	w->q = calloc(MAX_QUESTIONS, sizeof(*w->q));
	if (!w->q)
		abort();
	parse_zone(w, data, size);
	seed = (uint32_t)data[0] * 2654435761u;

	/* the walk: all at once, then staged */
	restart(w, false, seed);
	mc_spf_walk(names[0], lookup, w, &w1);
	if (w1.pending || !w1.top)
		abort();
	check_walk(&w1);
	restart(w, true, seed);
	mc_spf_walk(names[0], lookup, w, &w2);
	for (rounds = 0; w2.pending; rounds++) {
		if (rounds > MAX_QUESTIONS || !release(w))
			abort();
		mc_spf_walk_free(&w2);
		mc_spf_walk(names[0], lookup, w, &w2);
		check_walk(&w2);
	}
	if (!same_walk(&w1, &w2))
		abort();

	/* check_host: all at once, then staged */
	memset(&p, 0, sizeof(p));
	if (mc_addr_parse(data[0] & 1 ? "2001:db8::1" : "192.0.2.1", 0, &p.ip) != MC_OK)
		abort();
	p.sender = "postmaster@a.t";
	p.helo = names[1];
	p.now = 1400000000;
	restart(w, false, seed);
	if (mc_spf_check_host(&p, lookup, w, &r1) != MC_OK || r1.pending)
		abort();
	restart(w, true, seed);
	if (mc_spf_check_host(&p, lookup, w, &r2) != MC_OK)
		abort();
	for (rounds = 0; r2.pending; rounds++) {
		if (r2.result != MC_SPF_TEMPERROR && r2.result != MC_SPF_FAIL)
			abort();
		if (rounds > MAX_QUESTIONS || !release(w))
			abort();
		if (mc_spf_check_host(&p, lookup, w, &r2) != MC_OK)
			abort();
	}
	if (!same_result(&r1, &r2))
		abort();

	/* Without macros, evaluation follows one path through the records
	 * the walk counted all of. */
	if (!memchr(data, '%', size) && !w1.truncated && !w1.finding[0] &&
	    w1.lookups <= MC_SPF_MAX_LOOKUPS && r1.lookups > w1.lookups)
		abort();

	mc_spf_walk_free(&w1);
	mc_spf_walk_free(&w2);

	/* Resolvers rotate records: the order of an answer must not change
	 * the outcome (a first match once hid an error on a later MX name).
	 * Answers are rebuilt reversed; the walks above kept none. */
	free_built(w);
	w->reversed = true;
	restart(w, false, seed);
	if (mc_spf_check_host(&p, lookup, w, &r3) != MC_OK || r3.pending || !same_outcome(&r1, &r3))
		abort();

	free_built(w);
	for (i = 0; i < NAMES; i++)
		for (k = 0; k < w->z[i].ntxt; k++)
			free(w->z[i].txts[k]);
	free(w->q);
	free(w);
	return 0;
}
