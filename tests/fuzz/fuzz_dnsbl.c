/* Fuzz target: reading a blocklist answer (policy/mc_dnsbl, RFC 5782). The
 * first byte chooses the outcome (answer, no data, NXDOMAIN, a failure);
 * the rest are A records, 4 bytes each. The verdict must follow the rules
 * whatever the order (outside 127/8 over an error code over a listing),
 * and the code must be one of the addresses, as dotted text. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/mc_dnsbl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mc_dnsbl_verdict_t expected(const uint8_t (*ip)[4], size_t n)
{
	mc_dnsbl_verdict_t v = n ? MC_DNSBL_LISTED : MC_DNSBL_NOT_LISTED;
	size_t k;

	for (k = 0; k < n; k++) {
		if (ip[k][0] != 127)
			return MC_DNSBL_OUTSIDE;
		if (ip[k][1] == 255 && ip[k][2] == 255)
			v = MC_DNSBL_ERROR_CODE;
	}
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mc_dns_rr_t rr[MC_DNS_MAX_RRS];
	uint8_t ip[MC_DNS_MAX_RRS][4], back[4];
	mc_dns_answer_t a;
	char code[16], code2[16];
	mc_dnsbl_verdict_t v, v2;
	size_t n, k;

	if (size < 1)
		return 0;
	memset(&a, 0, sizeof(a));
	a.outcome = (mc_dns_outcome_t)(data[0] % 7);
	n = (size - 1) / 4;
	n = n < MC_DNS_MAX_RRS ? n : MC_DNS_MAX_RRS;
	if (a.outcome != MC_DNS_ANSWER || !n) {
		a.outcome = a.outcome == MC_DNS_ANSWER ? MC_DNS_NODATA : a.outcome;
		n = 0;
	}
	for (k = 0; k < n; k++) {
		memcpy(ip[k], data + 1 + 4 * k, 4);
		memset(&rr[k], 0, sizeof(rr[k]));
		memcpy(rr[k].addr, ip[k], 4);
		a.rrs[k] = &rr[k];
	}
	a.n = n;
	v = mc_dnsbl_verdict(&a, code, sizeof(code));
	v2 = mc_dnsbl_read((const uint8_t(*)[4])ip, n, code2, sizeof(code2));
	if (a.outcome == MC_DNS_NODATA || a.outcome == MC_DNS_NXDOMAIN) {
		if (v != MC_DNSBL_NOT_LISTED || code[0])
			abort();
		return 0;
	}
	if (a.outcome != MC_DNS_ANSWER) {
		if (v != MC_DNSBL_FAILED || code[0])
			abort();
		return 0;
	}
	if (v != v2 || strcmp(code, code2) || v != expected((const uint8_t(*)[4])ip, n))
		abort();
	if (inet_pton(AF_INET, code, back) != 1)
		abort();
	for (k = 0; k < n && memcmp(ip[k], back, 4); k++)
		;
	if (k == n)
		abort();
	return 0;
}
