/* Fuzz target: the parsers of option values a user types: -t, state
 * names, --output-format, -D (days and domains), numbers, addresses and
 * their reverse names, --min-tls, -A/--authtype, the EHLO keyword match
 * of --require-capability, and the certificate names of --cert-name, -H and
 * --sni (never empty, never a pattern, canonical and stable). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/mc_check.h"
#include "dns/mc_dns.h"
#include "nagios/mc_opts.h"
#include "nagios/mc_range.h"
#include "net/mc_net.h"
#include "proto/mc_smtp.h"
#include "tls/mc_tls.h"
#include "tls/mc_tls_name.h"
#include "util/mc_str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	double secs, d;
	long l;
	int v;
	mc_state_t st;
	mc_output_format_t fmt;
	mc_thresholds_t t;
	mc_addr_t a;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (mc_timeout_parse(s, &secs, &st) == MC_OK && (secs <= 0 || secs > 86400 || st > 3))
		abort();
	if (mc_state_parse(s, &st) == MC_OK && st > 3)
		abort();
	(void)mc_output_format_parse(s, &fmt);
	if (mc_thresholds_parse_below(s, "3", &t) == MC_OK &&
	    (!t.has_warn || !t.has_crit ||
	     strnlen(t.warn.text, sizeof(t.warn.text)) == sizeof(t.warn.text)))
		abort();
	if (mc_parse_long(s, -100, 65535, &l) == MC_OK && (l < -100 || l > 65535))
		abort();
	if (mc_parse_double(s, 0, 1e6, &d) == MC_OK && (d < 0 || d > 1e6))
		abort();
	if (mc_addr_parse(s, 25, &a) == MC_OK) {
		char buf[MC_ADDR_STRLEN + 8], rev[80];
		mc_addr_str_port(&a, buf, sizeof(buf));
		if (mc_dns_reverse_name(&a, "bl.example", rev, sizeof(rev)) != MC_OK)
			abort(); /* 64 nibbles and the zone always fit */
	}
	{
		char dom[254], msg[400];
		bool valid = mc_dns_name_valid(s);
		mc_status_t ds = mc_check_domain_option(dom, sizeof(dom), s, msg, sizeof(msg));
		if (valid != (ds == MC_OK) || (ds == MC_OK && strlen(dom) > 253))
			abort();
	}
	(void)mc_tls_version_parse(s, &v);
	{
		char out[MC_TLS_NAME_SIZE], again[MC_TLS_NAME_SIZE], err[200];
		mc_tls_name_kind_t kind, kind2;
		mc_status_t ns = mc_tls_name_parse(s, out, sizeof(out), &kind, err, sizeof(err));
		if (ns == MC_OK) {
			size_t n = strlen(out);
			/* never empty, never a pattern, never over 253 bytes */
			if (n == 0 || n > 253 || out[0] == '.' || strchr(out, '*'))
				abort();
			if (kind == MC_TLS_NAME_HOST &&
			    (out[n - 1] == '.' ||
			     strspn(out, "abcdefghijklmnopqrstuvwxyz"
			                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") != n))
				abort();
			if ((kind == MC_TLS_NAME_IP) != (mc_addr_parse(out, 0, &a) == MC_OK))
				abort();
			/* canonical: parsing it again changes nothing */
			if (!mc_tls_name_valid(out) ||
			    mc_tls_name_parse(out, again, sizeof(again), &kind2, err,
			                      sizeof(err)) != MC_OK ||
			    strcmp(out, again) != 0 || kind != kind2)
				abort();
		} else if (ns == MC_E_USAGE) {
			if (out[0] || strchr(err, '\n') || mc_tls_name_valid(s))
				abort();
		} else if (ns != MC_E_NOMEM) {
			abort();
		}
	}
	{
		mc_smtp_auth_t au;
		if (mc_smtp_auth_parse(s, &au) == MC_OK &&
		    (au == MC_SMTP_AUTH_AUTO || strcmp(mc_smtp_auth_name(au), "?") == 0))
			abort();
		/* a word is in a list of itself exactly when it has no space */
		if (*s && !strchr(s, ' ') && !mc_str_word_in(s, s))
			abort();
		(void)mc_str_word_in("PIPELINING SIZE  8BITMIME", s);
	}
	free(s);
	return 0;
}
