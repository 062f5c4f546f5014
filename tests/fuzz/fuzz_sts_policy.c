/* libFuzzer target: mc_sts_policy_parse on one policy file (RFC 8461
 * section 3.2); a parsed policy holds only well-formed values, each mx
 * pattern matches the names it stands for (section 4.1), and
 * mc_sts_policy_match answers a valid index for a few fixed MX names. The
 * input's first line is also tried as a pattern against its second. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/mc_mtasts.h"

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

static int is_ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

static void check_mx(const char *mx)
{
	size_t n = strnlen(mx, 256), i;
	int wild = n >= 2 && mx[0] == '*' && mx[1] == '.';
	char host[300];

	if (n < 1 || n > 255 || mx[n - 1] == '.')
		abort();
	for (i = wild ? 2 : 0; i < n; i++) {
		if (!is_ldh(mx[i]))
			abort();
	}
	if (wild) {
		/* one label in place of the '*', with and without a root dot */
		memcpy(host, "Mx", 2);
		memcpy(host + 2, mx + 1, n - 1);
		host[n + 1] = '\0';
		if (!mc_sts_mx_match(mx, host))
			abort();
		host[n + 1] = '.';
		host[n + 2] = '\0';
		if (!mc_sts_mx_match(mx, host))
			abort();
		/* zero labels and two labels do not match */
		if (mc_sts_mx_match(mx, mx + 2))
			abort();
		memcpy(host, "a.b", 3);
		memcpy(host + 3, mx + 1, n - 1);
		host[n + 2] = '\0';
		if (mc_sts_mx_match(mx, host))
			abort();
	} else {
		memcpy(host, mx, n);
		host[n] = '.';
		host[n + 1] = '\0';
		if (!mc_sts_mx_match(mx, mx) || !mc_sts_mx_match(mx, host))
			abort();
	}
}

static void check_policy(const mc_sts_policy_t *pol)
{
	static const char *const hosts[] = {"mail.example.com", "MX1.Example.NET.", "example.com",
	                                    "a.b.example.org", ""};
	size_t i;

	if (pol->mode != MC_STS_MODE_NONE && pol->mode != MC_STS_MODE_TESTING &&
	    pol->mode != MC_STS_MODE_ENFORCE)
		abort();
	if (pol->max_age < 0 || pol->max_age > 31557600)
		abort();
	if (pol->nmx > MC_STS_MAX_MX || (pol->mode != MC_STS_MODE_NONE && pol->nmx == 0))
		abort();
	for (i = 0; i < pol->nmx; i++)
		check_mx(pol->mx[i]);
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		int k = mc_sts_policy_match(pol, hosts[i]);
		if (k < -1 || k >= (int)pol->nmx)
			abort();
		if (k >= 0 && !mc_sts_mx_match(pol->mx[k], hosts[i]))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	mc_sts_policy_t *pol = malloc(sizeof(*pol));
	char err[120], tiny[9], buf[600];
	const char *nl;
	mc_status_t st, st2;
	size_t n;

	if (!pol)
		return 0;
	memset(err, 'X', sizeof err);
	st = mc_sts_policy_parse(in, size, pol, err, sizeof err);
	if (st == MC_OK)
		check_policy(pol);
	else if (st == MC_E_PROTOCOL)
		check_printable(err, sizeof err);
	else
		abort();
	memset(tiny, 'X', sizeof tiny);
	st2 = mc_sts_policy_parse(in, size, pol, tiny, sizeof tiny);
	if (st2 != st)
		abort();
	if (st2 != MC_OK)
		check_printable(tiny, sizeof tiny);
	free(pol);

	/* any bytes as pattern and host: no read past either string */
	n = size < sizeof(buf) - 1 ? size : sizeof(buf) - 1;
	memcpy(buf, in, n);
	buf[n] = '\0';
	nl = memchr(buf, '\n', n);
	if (nl) {
		buf[nl - buf] = '\0';
		(void)mc_sts_mx_match(buf, nl + 1);
	}
	return 0;
}
