#include "mc_dnsbl.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

const char *const mc_dnsbl_default_zones[MC_DNSBL_NDEFAULT] = {
    "zen.spamhaus.org", "bl.spamcop.net",         "b.barracudacentral.org", "psbl.surriel.com",
    "bl.mailspike.net", "dnsbl-1.uceprotect.net", "ix.dnsbl.manitu.net",    "dnsbl.dronebl.org",
};

const char *mc_dnsbl_verdict_str(mc_dnsbl_verdict_t v)
{
	switch (v) {
	case MC_DNSBL_LISTED: return "listed";
	case MC_DNSBL_NOT_LISTED: return "not listed";
	case MC_DNSBL_ERROR_CODE: return "error code";
	case MC_DNSBL_OUTSIDE: return "outside 127.0.0.0/8";
	default: return "failed";
	}
}

mc_dnsbl_verdict_t mc_dnsbl_read(const uint8_t (*addrs)[4], size_t n, char *code, size_t codesz)
{
	mc_dnsbl_verdict_t v = MC_DNSBL_LISTED;
	size_t k;

	code[0] = '\0';
	if (!n)
		return MC_DNSBL_NOT_LISTED;
	for (k = 0; k < n; k++) {
		const uint8_t *ip = addrs[k];
		if (!k)
			inet_ntop(AF_INET, ip, code, (socklen_t)codesz);
		/* RFC 5782 section 2.1: list answers are in 127.0.0.0/8. */
		if (ip[0] != 127) {
			inet_ntop(AF_INET, ip, code, (socklen_t)codesz);
			return MC_DNSBL_OUTSIDE;
		}
		/* 127.255.255.0/24: the lists' error codes, not listings. */
		if (ip[1] == 255 && ip[2] == 255) {
			inet_ntop(AF_INET, ip, code, (socklen_t)codesz);
			v = MC_DNSBL_ERROR_CODE;
		}
	}
	return v;
}

mc_dnsbl_verdict_t mc_dnsbl_verdict(const mc_dns_answer_t *a, char *code, size_t codesz)
{
	uint8_t addrs[MC_DNS_MAX_RRS][4];
	size_t k;

	code[0] = '\0';
	if (mc_dns_absent(a))
		return MC_DNSBL_NOT_LISTED;
	if (!mc_dns_is(a, MC_DNS_ANSWER))
		return MC_DNSBL_FAILED;
	for (k = 0; k < a->n && k < MC_DNS_MAX_RRS; k++)
		memcpy(addrs[k], a->rrs[k]->addr, 4);
	return mc_dnsbl_read((const uint8_t(*)[4])addrs, k, code, codesz);
}

mc_status_t mc_dnsbl_test_name(const char *zone, mc_dnsbl_test_t t, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%d.0.0.127.%s", (int)t, zone);

	return n < 0 || (size_t)n >= outsz ? MC_E_LIMIT : MC_OK;
}
