#include "mc_perf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../util/mc_str.h"

/* Perfdata syntax (monitoring-plugins development guidelines, "Performance
 * data"): a quoted label may hold anything but '\'' and '='; we also drop
 * spaces so labels stay one token for every consumer, and '|', which would
 * start a new perfdata block in a plugin's output. "::" is reserved too:
 * Icinga 2 and PNP4Nagios read "a::b" as a check_multi prefix that renames
 * every later label, so a ':' next to another ':' (an IPv6 address such as
 * "::1") becomes '_' ("__1"). At most len bytes of in; out has room for
 * len + 1. */
static void label_copy(char *out, const char *in, size_t len)
{
	size_t i;

	for (i = 0; i < len && in[i]; i++) {
		unsigned char c = (unsigned char)in[i];
		bool pair =
		    c == ':' && ((i > 0 && in[i - 1] == ':') || (i + 1 < len && in[i + 1] == ':'));
		out[i] = (c <= 0x20 || c >= 0x7f || c == '=' || c == '\'' || c == '|' || pair)
		             ? '_'
		             : (char)c;
	}
	out[i] = '\0';
}

mc_status_t mc_perf_label_sanitize(const char *in, char *out, size_t outsz)
{
	if (!out || outsz == 0)
		return MC_E_USAGE;
	out[0] = '\0';
	if (!in || !*in)
		return MC_E_USAGE;
	label_copy(out, in, outsz - 1);
	return MC_OK;
}

/* %.6f gives correct rounding; we then rebuild the text from its digits so
 * the result is '.'-separated whatever LC_NUMERIC a caller may have set. */
void mc_perf_number(char *out, size_t outsz, double v)
{
	char raw[400], res[400];
	size_t n, i, o = 0, ilen, flen;
	bool nonzero = false;
	const char *frac;

	if (!out || outsz == 0)
		return;
	if (!isfinite(v)) {
		/* "U": the guidelines' marker for a value that could not be determined */
		mc_strlcpy(out, "U", outsz);
		return;
	}
	/* |v| <= DBL_MAX has at most 309 integer digits: raw is large enough. */
	snprintf(raw, sizeof raw, "%.6f", v);
	n = strlen(raw);
	i = raw[0] == '-' ? 1 : 0;
	for (ilen = 0; raw[i + ilen] >= '0' && raw[i + ilen] <= '9'; ilen++)
		;
	if (n < 6 || ilen == 0) {
		mc_strlcpy(out, "U", outsz);
		return;
	}
	frac = raw + n - 6;
	flen = 6;
	while (flen > 0 && frac[flen - 1] == '0')
		flen--;
	for (size_t k = 0; k < ilen; k++)
		nonzero |= raw[i + k] != '0';
	nonzero |= flen > 0;
	if (raw[0] == '-' && nonzero)
		res[o++] = '-';
	memcpy(res + o, raw + i, ilen);
	o += ilen;
	if (flen > 0) {
		res[o++] = '.';
		memcpy(res + o, frac, flen);
		o += flen;
	}
	res[o] = '\0';
	mc_strlcpy(out, res, outsz);
}

/* Units of measurement from the guidelines (s, us, ms, %, B, KB, MB, TB, c)
 * are letters or '%'; anything else would break the field syntax. */
static bool uom_ok(const char *uom)
{
	size_t i;

	for (i = 0; uom[i]; i++) {
		char c = uom[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '%'))
			return false;
	}
	return i < sizeof(((mc_perf_t *)0)->uom);
}

mc_status_t mc_perf_set(mc_perf_t *p, const char *label, double value, const char *uom,
                        const mc_thresholds_t *th)
{
	mc_status_t st;

	if (!p)
		return MC_E_USAGE;
	memset(p, 0, sizeof *p);
	if (!uom)
		uom = "";
	if (!uom_ok(uom))
		return MC_E_USAGE;
	st = mc_perf_label_sanitize(label, p->label, sizeof p->label);
	if (st != MC_OK)
		return st;
	p->value = value;
	mc_strlcpy(p->uom, uom, sizeof p->uom);
	if (th && th->has_warn)
		mc_strlcpy(p->warn, th->warn.text, sizeof p->warn);
	if (th && th->has_crit)
		mc_strlcpy(p->crit, th->crit.text, sizeof p->crit);
	return MC_OK;
}

/* Copy a fixed-size field that may lack its terminator, keeping only bytes
 * that cannot break the perfdata syntax. */
static void field_copy(char *dst, size_t dstsz, const char *src, size_t srcsz, bool uom)
{
	size_t i, o = 0;

	for (i = 0; i < srcsz && src[i] && o + 1 < dstsz; i++) {
		unsigned char c = (unsigned char)src[i];
		if (uom) {
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '%')
				dst[o++] = (char)c;
		} else if (c > 0x20 && c < 0x7f && c != ';' && c != '\'' && c != '=' && c != '|') {
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
}

mc_status_t mc_perf_format(mc_buf_t *out, const mc_perf_t *p)
{
	char label[sizeof p->label], uom[sizeof p->uom], warn[sizeof p->warn], crit[sizeof p->crit];
	char val[400], mn[400], mx[400];
	char item[sizeof label + sizeof uom + sizeof warn + sizeof crit + 3 * sizeof val + 16];
	const char *fields[4];
	size_t nf, i, o;
	int n;

	if (!out || !p)
		return MC_E_USAGE;
	label_copy(label, p->label, sizeof p->label - 1);
	if (!label[0])
		return MC_E_USAGE;
	field_copy(uom, sizeof uom, p->uom, sizeof p->uom, true);
	field_copy(warn, sizeof warn, p->warn, sizeof p->warn, false);
	field_copy(crit, sizeof crit, p->crit, sizeof p->crit, false);
	mc_perf_number(val, sizeof val, p->value);
	mn[0] = mx[0] = '\0';
	if (p->has_min)
		mc_perf_number(mn, sizeof mn, p->min);
	if (p->has_max)
		mc_perf_number(mx, sizeof mx, p->max);

	fields[0] = warn;
	fields[1] = crit;
	fields[2] = mn;
	fields[3] = mx;
	for (nf = 4; nf > 0 && !fields[nf - 1][0]; nf--)
		;
	n = snprintf(item, sizeof item, "'%s'=%s%s", label, val, strcmp(val, "U") ? uom : "");
	if (n < 0 || (size_t)n >= sizeof item)
		return MC_E_INTERNAL;
	o = (size_t)n;
	for (i = 0; i < nf; i++) {
		n = snprintf(item + o, sizeof item - o, ";%s", fields[i]);
		if (n < 0 || (size_t)n >= sizeof item - o)
			return MC_E_INTERNAL;
		o += (size_t)n;
	}
	/* One append: on MC_E_LIMIT nothing half-written is left in out. */
	return mc_buf_append(out, item, o);
}
