/* mc_dns_msg.c - DNS messages from the wire: RFC 1035 section 4.1 (header,
 * question, resource records) and 4.1.4 (compression), with the rdata of
 * RFC 1035 section 3.3, RFC 3596 (AAAA), RFC 2782 (SRV) and RFC 6698 (TLSA).
 *
 * The message is parsed twice by the same code: the first pass checks
 * everything and adds up the bytes the names and data need, the second
 * fills one allocation of exactly that size. So a parse makes one malloc
 * and a malformed message makes none. */
#include "mc_dns_msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR_LEN 12
#define SECTION_MAX 256
/* RFC 1035 section 2.3.4: a name is at most 255 bytes on the wire. */
#define NAME_WIRE_MAX 255
/* A name has at most 127 labels, so a compressor needs at most 128
 * pointers for it; more means pointers to pointers, which none writes. */
#define PTR_HOPS_MAX 128

typedef struct parser {
	const uint8_t *buf;
	size_t len;
	/* NULL in the first pass, which only adds up used. */
	uint8_t *out;
	size_t used, cap;
	bool keep;     /* false in the additional section: nothing is stored */
	bool overflow; /* the second pass needed more than the first counted */
	char where[40];
	char *err;
	size_t errsz;
} parser_t;

static mc_status_t fail(parser_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static mc_status_t fail(parser_t *p, const char *fmt, ...)
{
	char reason[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (p->err && p->errsz)
		snprintf(p->err, p->errsz, "%s: %s", p->where, reason);
	return MC_E_DNS_MALFORMED;
}

static uint16_t get16(const uint8_t *b)
{
	return (uint16_t)((b[0] << 8) | b[1]);
}

static uint32_t get32(const uint8_t *b)
{
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

/* n bytes of storage: counted in the first pass (NULL), given in the
 * second, neither in the additional section (NULL). */
static uint8_t *reserve(parser_t *p, size_t n)
{
	uint8_t *r;

	if (!p->keep)
		return NULL;
	if (!p->out) {
		p->used += n;
		return NULL;
	}
	if (p->cap - p->used < n) {
		p->overflow = true;
		return NULL;
	}
	r = p->out + p->used;
	p->used += n;
	return r;
}

/* A copy of n bytes with a NUL after them. */
static const uint8_t *copy_data(parser_t *p, const uint8_t *src, size_t n)
{
	uint8_t *d = reserve(p, n + 1);

	if (d) {
		memcpy(d, src, n);
		d[n] = '\0';
	}
	return d;
}

static bool plain_byte(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '*';
}

static size_t put_label(char *t, size_t tl, const uint8_t *lab, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = lab[i];
		if (plain_byte(c)) {
			t[tl++] = (char)c;
			continue;
		}
		t[tl++] = '\\';
		t[tl++] = (char)('0' + c / 100);
		t[tl++] = (char)('0' + c / 10 % 10);
		t[tl++] = (char)('0' + c % 10);
	}
	return tl;
}

/* Read the name at *pos, whose bytes before any pointer must end by end
 * (the end of the rdata when rdata is true, else of the message); *pos
 * moves past them. A pointer must point before itself (RFC 1035 section
 * 4.1.4 allows more, but a compressor only points at names it wrote
 * earlier): a chain of pointers then ends, and a loop through labels ends
 * at the 255-byte limit. */
static mc_status_t read_name(parser_t *p, size_t *pos, size_t end, bool rdata, const char **out)
{
	/* 255 wire bytes make at most 4 * 253 characters: see put_label */
	char text[MC_DNS_NAME_MAX];
	size_t at = *pos, lim = end, wire = 0, tl = 0;
	const char *area = rdata ? "rdata" : "message";
	unsigned hops = 0;
	bool jumped = false;
	uint8_t *s;

	for (;;) {
		uint8_t b;

		if (at >= lim)
			return fail(p, "name runs past the end of the %s", area);
		b = p->buf[at];
		if ((b & 0xc0) == 0xc0) {
			size_t target;

			if (lim - at < 2)
				return fail(p, "compression pointer at offset %zu truncated", at);
			target = (size_t)((b & 0x3f) << 8) | p->buf[at + 1];
			if (!jumped)
				*pos = at + 2;
			if (target >= p->len)
				return fail(
				    p,
				    "compression pointer at offset %zu to offset %zu beyond "
				    "the message (%zu bytes)",
				    at, target, p->len);
			if (target >= at)
				return fail(
				    p,
				    "compression pointer at offset %zu to offset %zu does not "
				    "point backwards",
				    at, target);
			if (target < HDR_LEN)
				return fail(
				    p, "compression pointer at offset %zu points into the header",
				    at);
			if (++hops > PTR_HOPS_MAX)
				return fail(p, "more than %d compression pointers in one name",
				            PTR_HOPS_MAX);
			at = target;
			lim = p->len;
			area = "message";
			jumped = true;
			continue;
		}
		if (b & 0xc0)
			return fail(p,
			            "label length byte 0x%02x at offset %zu: over 63 (label type "
			            "0x%02x)",
			            b, at, b & 0xc0);
		if (b == 0) {
			if (!jumped)
				*pos = at + 1;
			break;
		}
		if (lim - at - 1 < b)
			return fail(p, "label at offset %zu runs past the end of the %s", at, area);
		wire += 1u + b;
		if (wire + 1 > NAME_WIRE_MAX)
			return fail(p, "name longer than %d bytes", NAME_WIRE_MAX);
		if (tl)
			text[tl++] = '.';
		tl = put_label(text, tl, p->buf + at + 1, b);
		at += 1u + b;
	}
	if (!tl)
		text[tl++] = '.';
	s = reserve(p, tl + 1);
	if (s) {
		memcpy(s, text, tl);
		s[tl] = '\0';
	}
	if (out)
		*out = (const char *)s;
	return MC_OK;
}

static mc_status_t name_fills(parser_t *p, const mc_dns_rr_t *rr, size_t pos, size_t end)
{
	char tb[16];

	if (pos != end)
		return fail(p, "%s rdata has %zu bytes after the name",
		            mc_dns_type_str(rr->type, tb, sizeof(tb)), end - pos);
	return MC_OK;
}

static mc_status_t too_short(parser_t *p, const mc_dns_rr_t *rr, size_t n, size_t min)
{
	char tb[16];

	return fail(p, "%s rdata is %zu bytes, needs at least %zu",
	            mc_dns_type_str(rr->type, tb, sizeof(tb)), n, min);
}

/* RFC 1035 section 3.3.14: one or more <character-string>s, which must
 * fill the rdata exactly. An empty rdata (no string at all) is read as a
 * record without text: servers publish it, and one such record must not
 * turn a whole answer into an error (the RFC 7208 suite's null-text). */
static mc_status_t parse_txt(parser_t *p, mc_dns_rr_t *rr, size_t pos, size_t end)
{
	size_t at, total = 0;
	unsigned n = 0;
	uint8_t *d;

	for (at = pos; at < end; at += 1u + p->buf[at]) {
		if (p->buf[at] > end - at - 1)
			return fail(p, "TXT character-string %u overruns the rdata", n + 1);
		total += p->buf[at];
		n++;
	}
	d = reserve(p, total + 1);
	if (d) {
		size_t used = 0;
		for (at = pos; at < end; at += 1u + p->buf[at]) {
			memcpy(d + used, p->buf + at + 1, p->buf[at]);
			used += p->buf[at];
		}
		d[total] = '\0';
	}
	rr->data = d;
	rr->len = total;
	rr->nstrings = n;
	return MC_OK;
}

static mc_status_t parse_rdata(parser_t *p, mc_dns_rr_t *rr, size_t pos, size_t end)
{
	const uint8_t *b = p->buf;
	size_t n = end - pos;
	mc_status_t st;

	switch (rr->type) {
	case MC_DNS_T_A:
		if (n != 4)
			return fail(p, "A rdata is %zu bytes, not 4", n);
		memcpy(rr->addr, b + pos, 4);
		return MC_OK;
	case MC_DNS_T_AAAA:
		if (n != 16)
			return fail(p, "AAAA rdata is %zu bytes, not 16", n);
		memcpy(rr->addr, b + pos, 16);
		return MC_OK;
	case MC_DNS_T_NS:
	case MC_DNS_T_CNAME:
	case MC_DNS_T_PTR:
		st = read_name(p, &pos, end, true, &rr->name);
		return st != MC_OK ? st : name_fills(p, rr, pos, end);
	case MC_DNS_T_MX:
		if (n < 3)
			return too_short(p, rr, n, 3);
		rr->pref = get16(b + pos);
		pos += 2;
		st = read_name(p, &pos, end, true, &rr->name);
		return st != MC_OK ? st : name_fills(p, rr, pos, end);
	case MC_DNS_T_SOA:
		st = read_name(p, &pos, end, true, &rr->name);
		if (st == MC_OK)
			st = read_name(p, &pos, end, true, &rr->name2);
		if (st != MC_OK)
			return st;
		if (end - pos != 20)
			return fail(p, "SOA rdata has %zu bytes after the names, not 20",
			            end - pos);
		rr->serial = get32(b + pos);
		rr->refresh = get32(b + pos + 4);
		rr->retry = get32(b + pos + 8);
		rr->expire = get32(b + pos + 12);
		rr->minimum = get32(b + pos + 16);
		return MC_OK;
	case MC_DNS_T_TXT: return parse_txt(p, rr, pos, end);
	case MC_DNS_T_SRV:
		/* RFC 2782 forbids compressing the target; some servers do it
		 * anyway, and reading it costs nothing. */
		if (n < 7)
			return too_short(p, rr, n, 7);
		rr->pref = get16(b + pos);
		rr->weight = get16(b + pos + 2);
		rr->port = get16(b + pos + 4);
		pos += 6;
		st = read_name(p, &pos, end, true, &rr->name);
		return st != MC_OK ? st : name_fills(p, rr, pos, end);
	case MC_DNS_T_TLSA:
		/* RFC 6698 section 2.1: three octets, then the association data,
		 * which cannot be empty. */
		if (n < 4)
			return too_short(p, rr, n, 4);
		rr->usage = b[pos];
		rr->selector = b[pos + 1];
		rr->mtype = b[pos + 2];
		rr->data = copy_data(p, b + pos + 3, n - 3);
		rr->len = n - 3;
		return MC_OK;
	default:
		rr->data = copy_data(p, b + pos, n);
		rr->len = n;
		return MC_OK;
	}
}

static mc_status_t parse_rr(parser_t *p, size_t *pos, mc_dns_rr_t *rr)
{
	size_t rdlen, left;
	mc_status_t st;

	memset(rr, 0, sizeof(*rr));
	st = read_name(p, pos, p->len, false, &rr->owner);
	if (st != MC_OK)
		return st;
	left = p->len - *pos;
	if (left < 10)
		return fail(p, "record truncated after the owner name (%zu of 10 bytes)", left);
	rr->type = get16(p->buf + *pos);
	rr->rclass = get16(p->buf + *pos + 2);
	rr->ttl = get32(p->buf + *pos + 4);
	rdlen = get16(p->buf + *pos + 8);
	*pos += 10;
	left -= 10;
	if (rdlen > left)
		return fail(p, "rdata overruns the message (RDLENGTH %zu, %zu bytes left)", rdlen,
		            left);
	*pos += rdlen;
	return parse_rdata(p, rr, *pos - rdlen, *pos);
}

/* arr: where the records go in the second pass, NULL when they are not
 * kept. */
static mc_status_t parse_section(parser_t *p, size_t *pos, const char *name, size_t count,
                                 bool keep, mc_dns_rr_t *arr)
{
	size_t i;

	p->keep = keep;
	for (i = 0; i < count; i++) {
		mc_dns_rr_t scratch;
		mc_dns_rr_t *rr = arr && p->out ? &arr[i] : &scratch;
		mc_status_t st;

		snprintf(p->where, sizeof(p->where), "%s record %zu", name, i + 1);
		if (*pos == p->len)
			return fail(p, "missing: the message ends after %zu of %zu records", i,
			            count);
		st = parse_rr(p, pos, rr);
		if (st != MC_OK)
			return st;
	}
	p->keep = true;
	return MC_OK;
}

static mc_status_t parse_all(parser_t *p, mc_dns_msg_t *msg)
{
	static const char *const cname[] = {"QDCOUNT", "ANCOUNT", "NSCOUNT", "ARCOUNT"};
	const uint8_t *b = p->buf;
	size_t count[4], pos = HDR_LEN, i;
	uint16_t flags;
	mc_status_t st;

	snprintf(p->where, sizeof(p->where), "header");
	if (p->len < HDR_LEN)
		return fail(p, "truncated (%zu of %d bytes)", p->len, HDR_LEN);
	msg->id = get16(b);
	flags = get16(b + 2);
	msg->flags = flags & (MC_DNS_F_QR | MC_DNS_F_AA | MC_DNS_F_TC | MC_DNS_F_RD | MC_DNS_F_RA |
	                      MC_DNS_F_AD | MC_DNS_F_CD);
	msg->rcode = flags & 0x0fu;
	for (i = 0; i < 4; i++) {
		count[i] = get16(b + 4 + 2 * i);
		if (count[i] > SECTION_MAX)
			return fail(p, "%s %zu over the limit of %d records", cname[i], count[i],
			            SECTION_MAX);
	}
	if (count[0] > 1)
		return fail(p, "QDCOUNT %zu (at most one question)", count[0]);
	msg->nan = count[1];
	msg->nns = count[2];

	snprintf(p->where, sizeof(p->where), "question");
	if (count[0]) {
		st = read_name(p, &pos, p->len, false, &msg->qname);
		if (st != MC_OK)
			return st;
		if (p->len - pos < 4)
			return fail(p, "truncated after the name (%zu of 4 bytes)", p->len - pos);
		msg->qtype = get16(b + pos);
		msg->qclass = get16(b + pos + 2);
		pos += 4;
	} else {
		msg->qname = (const char *)copy_data(p, (const uint8_t *)"", 0);
	}

	st = parse_section(p, &pos, "answer", count[1], true, msg->an);
	if (st == MC_OK)
		st = parse_section(p, &pos, "authority", count[2], true, msg->ns);
	if (st == MC_OK)
		st = parse_section(p, &pos, "additional", count[3], false, NULL);
	if (st != MC_OK)
		return st;
	if (pos != p->len) {
		snprintf(p->where, sizeof(p->where), "message");
		return fail(p, "%zu trailing bytes after the last record", p->len - pos);
	}
	return MC_OK;
}

mc_status_t mc_dns_msg_parse(const uint8_t *buf, size_t len, mc_dns_msg_t *msg, char *err,
                             size_t errsz)
{
	parser_t p;
	size_t rrbytes;
	uint8_t *store;
	mc_status_t st;

	memset(msg, 0, sizeof(*msg));
	memset(&p, 0, sizeof(p));
	p.buf = buf;
	p.len = buf ? len : 0;
	p.keep = true;
	p.err = err;
	p.errsz = errsz;
	if (err && errsz)
		err[0] = '\0';
	st = parse_all(&p, msg);
	if (st != MC_OK) {
		memset(msg, 0, sizeof(*msg));
		return st;
	}

	rrbytes = (msg->nan + msg->nns) * sizeof(mc_dns_rr_t);
	store = malloc(rrbytes + p.used);
	if (!store) {
		memset(msg, 0, sizeof(*msg));
		if (err && errsz)
			snprintf(err, errsz, "out of memory for a %zu-byte DNS message", len);
		return MC_E_NOMEM;
	}
	msg->an = msg->nan ? (mc_dns_rr_t *)(void *)store : NULL;
	msg->ns = msg->nns ? (mc_dns_rr_t *)(void *)store + msg->nan : NULL;
	p.out = store + rrbytes;
	p.cap = p.used;
	p.used = 0;
	st = parse_all(&p, msg);
	if (st == MC_OK && (p.overflow || p.used != p.cap)) {
		if (err && errsz)
			snprintf(err, errsz, "DNS message parser: storage miscounted");
		st = MC_E_INTERNAL;
	}
	if (st != MC_OK) {
		free(store);
		memset(msg, 0, sizeof(*msg));
		return st;
	}
	msg->store = store;
	return MC_OK;
}

void mc_dns_msg_free(mc_dns_msg_t *msg)
{
	if (!msg)
		return;
	free(msg->store);
	memset(msg, 0, sizeof(*msg));
}

/* One byte of a name in presentation form (\DDD and \X escapes decoded);
 * *sep tells an unescaped '.'. */
static unsigned next_byte(const char **s, bool *sep)
{
	const unsigned char *c = (const unsigned char *)*s;

	*sep = false;
	if (c[0] == '\\' && c[1] >= '0' && c[1] <= '2' && c[2] >= '0' && c[2] <= '9' &&
	    c[3] >= '0' && c[3] <= '9') {
		unsigned v = (unsigned)(c[1] - '0') * 100 + (unsigned)(c[2] - '0') * 10 +
		             (unsigned)(c[3] - '0');
		if (v <= 255) {
			*s += 4;
			return v;
		}
	}
	if (c[0] == '\\' && c[1]) {
		*s += 2;
		return c[1];
	}
	*sep = c[0] == '.';
	*s += 1;
	return c[0];
}

/* At the end of the name, or at its one trailing dot. */
static bool name_end(const char *s)
{
	return !s[0] || (s[0] == '.' && !s[1]);
}

static unsigned fold(unsigned c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

bool mc_dns_name_eq(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	for (;;) {
		bool ea = name_end(a), eb = name_end(b), sa, sb;
		unsigned ca, cb;

		if (ea || eb)
			return ea && eb;
		ca = next_byte(&a, &sa);
		cb = next_byte(&b, &sb);
		if (sa != sb || fold(ca) != fold(cb))
			return false;
	}
}

const char *mc_dns_type_str(uint16_t type, char *buf, size_t bufsz)
{
	static const struct {
		uint16_t type;
		const char *name;
	} names[] = {
	    {MC_DNS_T_A, "A"},
	    {MC_DNS_T_NS, "NS"},
	    {MC_DNS_T_CNAME, "CNAME"},
	    {MC_DNS_T_SOA, "SOA"},
	    {MC_DNS_T_PTR, "PTR"},
	    {MC_DNS_T_MX, "MX"},
	    {MC_DNS_T_TXT, "TXT"},
	    {MC_DNS_T_AAAA, "AAAA"},
	    {MC_DNS_T_SRV, "SRV"},
	    {MC_DNS_T_OPT, "OPT"},
	    {43, "DS"},
	    {46, "RRSIG"},
	    {47, "NSEC"},
	    {48, "DNSKEY"},
	    {50, "NSEC3"},
	    {MC_DNS_T_TLSA, "TLSA"},
	    {255, "ANY"},
	    {257, "CAA"},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].type == type)
			return names[i].name;
	}
	if (!buf || !bufsz)
		return "TYPE";
	snprintf(buf, bufsz, "TYPE%u", (unsigned)type);
	return buf;
}
