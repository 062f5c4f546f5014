/* libFuzzer target: mc_spf_parse on one SPF record (RFC 7208 sections 4.6
 * and 12), then every domain-spec of a parsed record expanded with a fixed
 * context, as a name and as explanation text. A record that parses holds
 * only what the grammar allows; its domain-specs always expand. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/mc_spf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* NUL-terminated inside outsz, printable ASCII. */
static void check_printable(const char *s, size_t outsz)
{
	const char *end = memchr(s, '\0', outsz);
	const char *p;

	if (!end)
		abort();
	for (p = s; p < end; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			abort();
	}
}

static bool is_spec_kind(mc_spf_kind_t k)
{
	return k == MC_SPF_T_INCLUDE || k == MC_SPF_T_A || k == MC_SPF_T_MX || k == MC_SPF_T_PTR ||
	       k == MC_SPF_T_EXISTS || k == MC_SPF_T_REDIRECT || k == MC_SPF_T_EXP;
}

static void check_term(const char *in, size_t size, const mc_spf_record_t *rec, size_t i,
                       const mc_spf_macro_ctx_t *ctx)
{
	const mc_spf_term_t *t = &rec->terms[i];
	size_t n = strlen(t->text);
	char out[MC_SPF_NAME_MAX + 1], text[300], err[120];
	mc_status_t st;

	if (!n || t->position != i + 1 || t->offset + n > size ||
	    memcmp(in + t->offset, t->text, n))
		abort();
	if (t->offset < 7 || in[t->offset - 1] != ' ' ||
	    (t->offset + n < size && in[t->offset + n] != ' '))
		abort();
	check_printable(t->text, n + 1);
	if (t->cidr4 > 32 || t->cidr6 > 128)
		abort();
	if (t->kind >= MC_SPF_T_REDIRECT ? t->qualifier != '\0'
	                                 : !memchr("+-~?", t->qualifier, 4) || !t->qualifier)
		abort();
	if ((t->kind == MC_SPF_T_INCLUDE || t->kind == MC_SPF_T_EXISTS ||
	     t->kind >= MC_SPF_T_REDIRECT) &&
	    !t->spec)
		abort();
	if (!t->spec || !is_spec_kind(t->kind))
		return;
	if (!t->spec[0])
		abort();
	st = mc_spf_expand(t->spec, ctx, false, out, sizeof(out), err, sizeof(err));
	if (st == MC_OK) {
		size_t len = strlen(out);
		if (len > MC_SPF_NAME_MAX)
			abort();
	} else if (st == MC_E_LIMIT) {
		check_printable(err, sizeof(err));
	} else {
		abort(); /* the parser let a bad macro through */
	}
	st = mc_spf_expand(t->spec, ctx, true, text, sizeof(text), err, sizeof(err));
	if (st != MC_OK && st != MC_E_LIMIT)
		abort();
	if (!memchr(text, '\0', sizeof(text)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	mc_spf_record_t rec;
	mc_spf_macro_ctx_t ctx;
	mc_addr_t ip;
	char err[200], tiny[9];
	mc_status_t st, st2;
	size_t i;

	memset(err, 'X', sizeof(err));
	st = mc_spf_parse(in, size, &rec, err, sizeof(err));
	memset(tiny, 'X', sizeof(tiny));
	if (st == MC_OK) {
		mc_spf_record_t again;
		st2 = mc_spf_parse(in, size, &again, tiny, sizeof(tiny));
		if (st2 == MC_OK)
			mc_spf_record_free(&again);
	} else {
		st2 = mc_spf_parse(in, size, &rec, tiny, sizeof(tiny));
	}
	if (st != st2)
		abort();
	switch (st) {
	case MC_OK: break;
	case MC_E_AGAIN:
		if (mc_spf_is_record(in, size))
			abort();
		check_printable(err, sizeof(err));
		check_printable(tiny, sizeof(tiny));
		return 0;
	case MC_E_PROTOCOL:
		if (!mc_spf_is_record(in, size))
			abort();
		check_printable(err, sizeof(err));
		check_printable(tiny, sizeof(tiny));
		return 0;
	default: abort();
	}
	if (!mc_spf_is_record(in, size) || rec.nterms > size)
		abort();
	if (rec.redirect >= (long)rec.nterms || rec.exp >= (long)rec.nterms ||
	    (rec.redirect >= 0 && rec.terms[rec.redirect].kind != MC_SPF_T_REDIRECT) ||
	    (rec.exp >= 0 && rec.terms[rec.exp].kind != MC_SPF_T_EXP))
		abort();
	if (mc_addr_parse(size % 2 ? "2001:db8::cb01" : "192.0.2.3", 0, &ip) != MC_OK)
		abort();
	memset(&ctx, 0, sizeof(ctx));
	ctx.sender = "strong-bad@email.example.com";
	ctx.domain = "email.example.com";
	ctx.ip = &ip;
	ctx.ptr = size % 3 ? "mx.example.org" : NULL;
	ctx.helo = "mail.example.org";
	ctx.now = 1400000000;
	for (i = 0; i < rec.nterms; i++)
		check_term(in, size, &rec, i, &ctx);
	mc_spf_record_free(&rec);
	return 0;
}
