/* libFuzzer target: mc_dmarc_parse on one TXT record (RFC 7489 sections
 * 6.3 and 6.4), with a roomy and a tiny error buffer; a parsed record
 * holds only values the RFC allows and URIs without the characters that
 * must be encoded; mc_dmarc_auth_record_ok agrees on the version. The
 * input's first line is also tried as a DNS name: its organizational
 * domain (libpsl) is a suffix of it, and the report authorization name
 * built from it starts with it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/mc_dmarc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_printable(const char *s, size_t outsz)
{
	const char *end = memchr(s, '\0', outsz);
	const char *p;

	if (!end)
		abort();
	for (p = s; p < end; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f || *p == '|')
			abort();
	}
}

static int valid_policy(mc_dmarc_policy_t p)
{
	return p == MC_DMARC_POLICY_NONE || p == MC_DMARC_POLICY_QUARANTINE ||
	       p == MC_DMARC_POLICY_REJECT;
}

static void check_uris(const mc_dmarc_uri_t *list, size_t n, size_t total)
{
	size_t i, j, len;

	if (n > MC_DMARC_MAX_URI || n > total || (total > n && n != MC_DMARC_MAX_URI))
		abort();
	for (i = 0; i < n; i++) {
		const mc_dmarc_uri_t *u = &list[i];
		len = strnlen(u->uri, sizeof u->uri);
		if (len == 0 || len == sizeof u->uri)
			abort();
		for (j = 0; j < len; j++) {
			unsigned char c = (unsigned char)u->uri[j];
			if (c <= 0x20 || c >= 0x7f || c == ',' || c == '!' || c == ';')
				abort();
		}
		len = strnlen(u->host, sizeof u->host);
		if (len == sizeof u->host)
			abort();
		for (j = 0; j < len; j++) {
			if (u->host[j] >= 'A' && u->host[j] <= 'Z')
				abort();
		}
		if ((u->scheme == MC_DMARC_URI_OTHER) != (len == 0))
			abort();
		if (!u->has_max_size && u->max_size != 0)
			abort();
	}
}

static void check_record(const mc_dmarc_record_t *r)
{
	if (!valid_policy(r->p) || !valid_policy(r->sp) || !valid_policy(r->np))
		abort();
	if ((!r->sp_given && r->sp != r->p) || (!r->np_given && r->np != r->sp))
		abort();
	if (r->p_index < 1 || r->p_index >= MC_DMARC_MAX_TAGS)
		abort();
	if (r->pct > 100 || (!r->pct_given && r->pct != 100))
		abort();
	if ((r->adkim != 'r' && r->adkim != 's') || (r->aspf != 'r' && r->aspf != 's'))
		abort();
	if (r->fo == 0 || r->fo > 15)
		abort();
	check_uris(r->rua, r->nrua, r->nrua_total);
	check_uris(r->ruf, r->nruf, r->nruf_total);
}

/* The first line (up to 300 bytes) as a DNS name. */
static void check_names(const char *in, size_t size)
{
	char name[301], norm[301], org[256], auth[256];
	size_t n = 0, i;
	bool inside;
	mc_status_t st;

	while (n < size && n < sizeof name - 1 && in[n] != '\n' && in[n] != '\0')
		n++;
	memcpy(name, in, n);
	name[n] = '\0';
	for (i = 0; i < n; i++)
		norm[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] + 32) : name[i];
	if (n && norm[n - 1] == '.')
		n--;
	norm[n] = '\0';
	st = mc_dmarc_org_domain(name, org, sizeof org);
	if (st == MC_OK) {
		size_t olen = strlen(org);
		if (olen > n || strcmp(norm + n - olen, org) != 0 ||
		    (olen < n && norm[n - olen - 1] != '.'))
			abort();
		if (mc_dmarc_in_org(name, org, &inside) != MC_OK || !inside)
			abort();
	} else if (st != MC_E_USAGE && st != MC_E_DNS_NOTFOUND) {
		abort();
	}
	st = mc_dmarc_report_auth_name(name, "example.net", auth, sizeof auth);
	if (st == MC_OK) {
		if (strlen(auth) > 253 || strncmp(auth, norm, n) != 0 ||
		    strcmp(auth + n, "._report._dmarc.example.net") != 0)
			abort();
	} else if (st != MC_E_USAGE && st != MC_E_LIMIT) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	mc_dmarc_record_t *rec = malloc(sizeof(*rec));
	char err[160], tiny[7];
	mc_status_t st, st2;

	if (!rec)
		return 0;
	memset(err, 'X', sizeof err);
	memset(tiny, 'X', sizeof tiny);
	st = mc_dmarc_parse(in, size, rec, err, sizeof err);
	if (st == MC_OK) {
		if (!mc_dmarc_auth_record_ok(in, size))
			abort();
		check_record(rec);
	} else if (st == MC_E_PROTOCOL || st == MC_E_AGAIN) {
		check_printable(err, sizeof err);
		if (st == MC_E_AGAIN && mc_dmarc_auth_record_ok(in, size))
			abort();
	} else {
		abort();
	}
	st2 = mc_dmarc_parse(in, size, rec, tiny, sizeof tiny);
	if (st2 != st)
		abort();
	if (st2 != MC_OK)
		check_printable(tiny, sizeof tiny);
	check_names(in, size);
	free(rec);
	return 0;
}
