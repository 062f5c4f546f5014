/* libFuzzer target: mc_dns_msg_parse on a wire message, then every field of
 * every kept record read (names to their NUL, data to len and the NUL after
 * it) so ASan sees a pointer past the storage, and the names checked to be
 * in presentation form. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/mc_dns_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_plain(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '*';
}

/* Labels of plain characters and \DDD (0..255), joined by single dots,
 * no dot at either end; "." alone for the root. */
static void check_name(const char *s)
{
	size_t n = strlen(s), i, label = 0;

	if (n == 0 || n >= MC_DNS_NAME_MAX)
		abort();
	if (!strcmp(s, "."))
		return;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (!label)
				abort();
			label = 0;
		} else if (s[i] == '\\') {
			unsigned v;
			if (n - i < 4 || s[i + 1] < '0' || s[i + 1] > '2' || s[i + 2] < '0' ||
			    s[i + 2] > '9' || s[i + 3] < '0' || s[i + 3] > '9')
				abort();
			v = (unsigned)(s[i + 1] - '0') * 100 + (unsigned)(s[i + 2] - '0') * 10 +
			    (unsigned)(s[i + 3] - '0');
			if (v > 255 || is_plain((char)v))
				abort();
			i += 3;
			label++;
		} else if (is_plain(s[i])) {
			label++;
		} else {
			abort();
		}
		if (label > 63)
			abort();
	}
	if (!label)
		abort();
}

static unsigned sum_data(const uint8_t *d, size_t len)
{
	unsigned sum = 0;
	size_t i;

	if (!d)
		abort();
	for (i = 0; i < len; i++)
		sum += d[i];
	/* TXT, TLSA and raw data are NUL-terminated after len bytes */
	if (d[len] != '\0')
		abort();
	return sum;
}

static unsigned check_rr(const mc_dns_rr_t *rr, const char *qname)
{
	unsigned sum = rr->rclass + rr->ttl;
	char tb[16];
	size_t i;

	check_name(rr->owner);
	(void)mc_dns_name_eq(rr->owner, qname);
	if (strlen(mc_dns_type_str(rr->type, tb, sizeof(tb))) == 0)
		abort();
	switch (rr->type) {
	case MC_DNS_T_A:
	case MC_DNS_T_AAAA:
		for (i = 0; i < sizeof(rr->addr); i++)
			sum += rr->addr[i];
		if (rr->name || rr->data)
			abort();
		break;
	case MC_DNS_T_NS:
	case MC_DNS_T_CNAME:
	case MC_DNS_T_PTR:
	case MC_DNS_T_MX:
	case MC_DNS_T_SRV:
		check_name(rr->name);
		sum += rr->pref + rr->weight + rr->port;
		if (rr->name2 || rr->data)
			abort();
		break;
	case MC_DNS_T_SOA:
		check_name(rr->name);
		check_name(rr->name2);
		sum += rr->serial + rr->refresh + rr->retry + rr->expire + rr->minimum;
		break;
	case MC_DNS_T_TXT:
		/* nstrings strings of at most 255 bytes, each after its length
		 * byte, all inside one RDLENGTH; an empty rdata is zero strings
		 * and empty text, still NUL-terminated, never NULL */
		if (rr->len > 255u * rr->nstrings || rr->len + rr->nstrings > 65535 || rr->name ||
		    rr->name2)
			abort();
		sum += rr->nstrings + sum_data(rr->data, rr->len);
		break;
	case MC_DNS_T_TLSA:
		if (rr->len < 1)
			abort();
		sum += rr->usage + rr->selector + rr->mtype + sum_data(rr->data, rr->len);
		break;
	default:
		if (rr->name || rr->name2)
			abort();
		sum += sum_data(rr->data, rr->len);
		break;
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mc_dns_msg_t m;
	char err[160], tiny[12];
	volatile unsigned sum = 0;
	mc_status_t st;
	size_t i;

	memset(err, 'X', sizeof(err));
	st = mc_dns_msg_parse(data, size, &m, err, sizeof(err));
	if (st != MC_OK) {
		/* one line, NUL-terminated inside err, section named */
		const char *end = memchr(err, '\0', sizeof(err));
		if (st != MC_E_DNS_MALFORMED || !end || end == err || strchr(err, '\n') ||
		    !strchr(err, ':'))
			abort();
		if (m.store || m.an || m.ns || m.nan || m.nns || m.qname)
			abort();
		/* the same failure with a tiny buffer is cut, not overflowed */
		memset(tiny, 'X', sizeof(tiny));
		if (mc_dns_msg_parse(data, size, &m, tiny, sizeof(tiny)) != st ||
		    !memchr(tiny, '\0', sizeof(tiny)))
			abort();
		return 0;
	}
	if (err[0] || !m.store || m.nan > 256 || m.nns > 256 || !m.qname)
		abort();
	if ((m.nan && !m.an) || (m.nns && !m.ns) || m.rcode > 15)
		abort();
	if (m.qname[0])
		check_name(m.qname);
	for (i = 0; i < m.nan; i++)
		sum += check_rr(&m.an[i], m.qname);
	for (i = 0; i < m.nns; i++)
		sum += check_rr(&m.ns[i], m.qname);
	(void)sum;
	mc_dns_msg_free(&m);
	if (m.store || m.an || m.nan)
		abort();
	return 0;
}
