/* mc_report_dkim.c - judging one DKIM selector's key record (see the
 * header). */
#include "report/mc_report_dkim.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* One selector's findings, joined on one line. */
typedef struct findings {
	char why[600];
	size_t used;
	mc_state_t worst;
} findings_t;

/* Append one finding ("; " between them) and raise the worst state. */
static void finding(findings_t *fs, mc_state_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void finding(findings_t *fs, mc_state_t st, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (fs->used && fs->used + 3 < sizeof(fs->why)) {
		memcpy(fs->why + fs->used, "; ", 3);
		fs->used += 2;
	}
	va_start(ap, fmt);
	n = vsnprintf(fs->why + fs->used, sizeof(fs->why) - fs->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		fs->used = fs->used + (size_t)n < sizeof(fs->why) ? fs->used + (size_t)n
		                                                  : sizeof(fs->why) - 1;
	fs->worst = mc_state_worst(fs->worst, st);
}

/* A key that loads: its size (RFC 8301 section 3.2), hashes, services and
 * testing flag, on one line. */
static void report_key(mc_result_t *node, const mc_report_dkim_facts_t *f,
                       const mc_report_dkim_opts_t *o)
{
	const mc_dkim_record_t *rec = &f->sel->rec;
	const mc_dkim_key_t *key = &f->sel->key;
	findings_t fs = {.why = "", .used = 0, .worst = MC_STATE_OK};
	char label[80];

	if (key->type == MC_DKIM_KEY_RSA && key->bits < 1024)
		finding(&fs, MC_STATE_CRITICAL, "RSA key of %d bits, under 1024 (RFC 8301)",
		        key->bits);
	else if (key->type == MC_DKIM_KEY_RSA && key->bits < o->min_bits)
		finding(&fs, MC_STATE_WARNING, "RSA key of %d bits, under %ld (RFC 8301)",
		        key->bits, o->min_bits);
	if (rec->sha1_only)
		finding(&fs, MC_STATE_CRITICAL, "h= allows only sha1, which RFC 8301 forbids");
	if (!rec->service_email)
		finding(&fs, MC_STATE_CRITICAL, "s=%s does not include email", rec->services);
	if (rec->testing)
		finding(&fs, MC_STATE_WARNING, "t=y, the domain is testing DKIM");
	if (fs.worst != MC_STATE_OK)
		mc_result_add(node, fs.worst, "DKIM %s: %s", f->selector, fs.why);
	else
		mc_result_add(node, MC_STATE_OK, "DKIM %s: %s key, %d bits%s", f->selector,
		              mc_dkim_key_type_str(key->type), key->bits,
		              key->rsa_bare ? " (bare RSAPublicKey, not SubjectPublicKeyInfo)"
		                            : "");
	snprintf(label, sizeof(label), "dkim_bits_%s", f->selector);
	mc_result_perf(node, label, key->bits, "", NULL);
}

void mc_report_dkim(mc_result_t *node, const mc_report_dkim_facts_t *f,
                    const mc_report_dkim_opts_t *o)
{
	const mc_dkim_selector_t *s = f->sel;
	const char *sel = f->selector;

	switch (s->found) {
	case MC_DKIM_FOUND_UNANSWERED:
		mc_result_add(node, o->unanswered, "DKIM %s: no answer before the deadline", sel);
		return;
	case MC_DKIM_FOUND_NONE:
		mc_result_add(node, MC_STATE_CRITICAL, "DKIM %s: no key record at %s", sel,
		              f->name);
		return;
	case MC_DKIM_FOUND_DNS_ERROR:
		mc_result_add(node, MC_STATE_CRITICAL, "DKIM %s: %s", sel, s->error);
		return;
	case MC_DKIM_FOUND_SEVERAL:
		mc_result_add(node, MC_STATE_CRITICAL,
		              "DKIM %s: %zu records at %s; verifiers need exactly one", sel,
		              s->nrecords, f->name);
		return;
	case MC_DKIM_FOUND_INVALID:
		mc_result_add(node, MC_STATE_CRITICAL, "DKIM %s: invalid key record: %s", sel,
		              s->error);
		return;
	case MC_DKIM_FOUND_RECORD: break;
	}
	if (s->rec.revoked)
		mc_result_add(node, MC_STATE_CRITICAL, "DKIM %s: key revoked (empty p=)", sel);
	else if (s->rec.k == MC_DKIM_KEY_OTHER)
		mc_result_add(node, MC_STATE_CRITICAL,
		              "DKIM %s: key type k=%s is not rsa or ed25519", sel, s->rec.k_name);
	else if (!s->key_ok)
		mc_result_add(node, MC_STATE_CRITICAL, "DKIM %s: unusable key: %s", sel, s->error);
	else
		report_key(node, f, o);
}
