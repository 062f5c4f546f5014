#include "mc_str.h"

#include <errno.h>
#include <string.h>

#include "mc_ascii.h"

size_t mc_strlcpy(char *dst, const char *src, size_t dstsz)
{
	size_t n = strlen(src);

	if (dstsz) {
		size_t c = n < dstsz - 1 ? n : dstsz - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

mc_status_t mc_parse_long(const char *s, long min, long max, long *out)
{
	int neg = 0;
	unsigned long acc = 0, lim;

	if (!s || !*s)
		return MC_E_USAGE;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (!*s)
		return MC_E_USAGE;
	/* Checked first: -(min + 1) below overflows for min == LONG_MAX. */
	if (neg && min >= 0)
		return MC_E_USAGE;
	/* Accumulate as unsigned against the magnitude limit of the sign. */
	lim = neg ? (unsigned long)(-(min + 1)) + 1 : (max < 0 ? 0 : (unsigned long)max);
	for (; *s; s++) {
		if (!mc_ascii_is_digit(*s))
			return MC_E_USAGE;
		unsigned long d = (unsigned long)(*s - '0');
		if (acc > lim / 10 || (acc == lim / 10 && d > lim % 10))
			return MC_E_USAGE;
		acc = acc * 10 + d;
	}
	if (neg) {
		long v = acc == 0 ? 0 : -(long)(acc - 1) - 1;
		if (v < min || v > max)
			return MC_E_USAGE;
		*out = v;
	} else {
		if ((long)acc < min || (long)acc > max)
			return MC_E_USAGE;
		*out = (long)acc;
	}
	return MC_OK;
}

mc_status_t mc_parse_double_n(const char *s, size_t n, double min, double max, double *out)
{
	/* Exact powers of ten: every one up to 1e22 is a double. */
	static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	size_t i = 0;
	int neg = 0, digits = 0, fdigits = 0;
	double v = 0.0, scale = 1.0;
	uint64_t mant = 0;

	if (!s || n == 0)
		return MC_E_USAGE;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i++;
	}
	for (; i < n && mc_ascii_is_digit(s[i]); i++, digits++) {
		v = v * 10.0 + (s[i] - '0');
		mant = mant * 10 + (uint64_t)(s[i] - '0');
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && mc_ascii_is_digit(s[i]); i++, digits++, fdigits++) {
			scale /= 10.0;
			v += (s[i] - '0') * scale;
			mant = mant * 10 + (uint64_t)(s[i] - '0');
		}
	}
	if (i != n || digits == 0 || digits > 30)
		return MC_E_USAGE;
	/* Up to 15 digits the mantissa and 10^fdigits are exact doubles, so one
	 * IEEE division gives the correctly rounded value ("1.75" is exactly
	 * 1.75, "0.3" the same double as strtod's); the digit-by-digit sum
	 * above accumulates rounding errors. */
	if (digits <= 15)
		v = (double)mant / pow10[fdigits];
	if (neg)
		v = -v;
	if (v < min || v > max)
		return MC_E_USAGE;
	*out = v;
	return MC_OK;
}

mc_status_t mc_parse_double(const char *s, double min, double max, double *out)
{
	if (!s)
		return MC_E_USAGE;
	return mc_parse_double_n(s, strlen(s), min, max, out);
}

bool mc_str_ieq_n(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return false;
		if (!x)
			return true;
	}
	return true;
}

void mc_str_sanitize(char *dst, size_t dstsz, const char *src, size_t srclen)
{
	size_t i, o = 0;

	if (!dstsz)
		return;
	for (i = 0; i < srclen && o + 1 < dstsz; i++) {
		unsigned char c = (unsigned char)src[i];
		if (c == '|')
			dst[o++] = '/';
		else if (c < 0x20 || c >= 0x7f)
			dst[o++] = '?';
		else
			dst[o++] = (char)c;
	}
	dst[o] = '\0';
}

void mc_str_quote(char *dst, size_t dstsz, const char *s, size_t n)
{
	char *end;

	if (!dstsz)
		return;
	mc_str_sanitize(dst, dstsz, s, n > MC_STR_QUOTE_MAX ? MC_STR_QUOTE_MAX : n);
	end = dst + strlen(dst);
	if (n > MC_STR_QUOTE_MAX && (size_t)(end - dst) + 4 <= dstsz)
		memcpy(end, "...", 4);
}

bool mc_str_eq_lit(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

bool mc_str_ieq_lit(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && mc_str_ieq_n(lit, s, n);
}

void mc_str_errno(int e, char *dst, size_t dstsz)
{
	mc_strlcpy(dst, e == ECONNRESET ? "connection reset by peer" : strerror(e), dstsz);
	if (dst[0] >= 'A' && dst[0] <= 'Z')
		dst[0] = (char)(dst[0] + 32);
}

bool mc_str_word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (*list) {
		size_t len = strcspn(list, " ");
		if (len == n && n && mc_str_ieq_n(list, word, n))
			return true;
		list += len;
		list += strspn(list, " ");
	}
	return false;
}
