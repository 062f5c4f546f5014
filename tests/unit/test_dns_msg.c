/* Unit tests: the DNS message parser (header flags, question, records of
 * every decoded type, compression, every malformed shape), name comparison
 * and type names. Messages are written as hex with 'quoted' text, and a
 * parsed message is compared as one line of text (see dump). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dns/mc_dns_msg.h"

/* Bytes from text: pairs of hex digits, spaces ignored, and 'text' copied
 * as is. */
static size_t wire(const char *spec, uint8_t *out, size_t cap)
{
	size_t n = 0;
	const char *s = spec;

	while (*s) {
		if (*s == ' ') {
			s++;
		} else if (*s == '\'') {
			for (s++; *s && *s != '\''; s++) {
				assert_true(n < cap);
				out[n++] = (uint8_t)*s;
			}
			assert_true(*s == '\'');
			s++;
		} else {
			char hex[3] = {s[0], s[1], '\0'};
			char *end;
			unsigned long v = strtoul(hex, &end, 16);
			assert_true(end == hex + 2);
			assert_true(n < cap);
			out[n++] = (uint8_t)v;
			s += 2;
		}
	}
	return n;
}

typedef struct {
	char *s;
	size_t sz, n;
} text_t;

static void add(text_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(text_t *t, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(t->s + t->n, t->sz - t->n, fmt, ap);
	va_end(ap);
	assert_true(r >= 0 && (size_t)r < t->sz - t->n);
	t->n += (size_t)r;
}

static void add_rdata(text_t *t, const mc_dns_rr_t *rr)
{
	char a[INET6_ADDRSTRLEN];
	size_t i;

	switch (rr->type) {
	case MC_DNS_T_A:
	case MC_DNS_T_AAAA:
		inet_ntop(rr->type == MC_DNS_T_A ? AF_INET : AF_INET6, rr->addr, a, sizeof(a));
		add(t, " %s", a);
		return;
	case MC_DNS_T_NS:
	case MC_DNS_T_CNAME:
	case MC_DNS_T_PTR: add(t, " %s", rr->name); return;
	case MC_DNS_T_MX: add(t, " %u %s", rr->pref, rr->name); return;
	case MC_DNS_T_SRV: add(t, " %u %u %u %s", rr->pref, rr->weight, rr->port, rr->name); return;
	case MC_DNS_T_SOA:
		add(t, " %s %s %u %u %u %u %u", rr->name, rr->name2, (unsigned)rr->serial,
		    (unsigned)rr->refresh, (unsigned)rr->retry, (unsigned)rr->expire,
		    (unsigned)rr->minimum);
		return;
	case MC_DNS_T_TXT:
		assert_int_equal(rr->data[rr->len], '\0');
		add(t, " %u \"", rr->nstrings);
		for (i = 0; i < rr->len; i++) {
			if (rr->data[i] >= 0x20 && rr->data[i] < 0x7f)
				add(t, "%c", rr->data[i]);
			else
				add(t, "\\x%02x", rr->data[i]);
		}
		add(t, "\"");
		return;
	case MC_DNS_T_TLSA: add(t, " %u %u %u ", rr->usage, rr->selector, rr->mtype); break;
	default: add(t, " \\# %zu ", rr->len); break;
	}
	assert_non_null(rr->data);
	assert_int_equal(rr->data[rr->len], '\0');
	for (i = 0; i < rr->len; i++)
		add(t, "%02x", rr->data[i]);
}

static void add_rr(text_t *t, const char *sec, const mc_dns_rr_t *rr)
{
	char tb[16];

	add(t, " | %s %s %u", sec, rr->owner, (unsigned)rr->ttl);
	if (rr->rclass != 1)
		add(t, " CLASS%u", rr->rclass);
	add(t, " %s", mc_dns_type_str(rr->type, tb, sizeof(tb)));
	add_rdata(t, rr);
}

/* One line with every field the parser sets, e.g.
 * "id=4660 QR,RD rc=0 q=example.com/MX | an example.com 300 MX 10 mx.example.com" */
static void dump(const mc_dns_msg_t *m, char *out, size_t outsz)
{
	static const struct {
		unsigned bit;
		const char *name;
	} flags[] = {{MC_DNS_F_QR, "QR"}, {MC_DNS_F_AA, "AA"}, {MC_DNS_F_TC, "TC"},
	             {MC_DNS_F_RD, "RD"}, {MC_DNS_F_RA, "RA"}, {MC_DNS_F_AD, "AD"},
	             {MC_DNS_F_CD, "CD"}};
	text_t t = {out, outsz, 0};
	char tb[16];
	const char *sep = " ";
	size_t i;

	add(&t, "id=%u", m->id);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (m->flags & flags[i].bit) {
			add(&t, "%s%s", sep, flags[i].name);
			sep = ",";
		}
	}
	add(&t, " rc=%u q=%s/%s", m->rcode, m->qname, mc_dns_type_str(m->qtype, tb, sizeof(tb)));
	if (m->qclass != 1 && m->qname[0])
		add(&t, "/%u", m->qclass);
	for (i = 0; i < m->nan; i++)
		add_rr(&t, "an", &m->an[i]);
	for (i = 0; i < m->nns; i++)
		add_rr(&t, "ns", &m->ns[i]);
}

/* Header: id 0x1234, then flags and the four counts. */
#define HDR(flags, qd, an, ns, ar) "1234 " flags " " qd " " an " " ns " " ar " "
/* "example.com" at offset 12 (pointer c00c), the question ending at 29. */
#define Q_EX(type) "07'example'03'com'00 " type " 0001 "
#define SOA_RDATA "03'ns1'c00c 0a'hostmaster'c00c 78a3f175 00001c20 00000e10 00127500 0000012c"
#define SOA_TEXT "ns1.example.com hostmaster.example.com 2024010101 7200 3600 1209600 300"
#define TLSA_DATA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

typedef struct {
	const char *name;
	const char *in;
	const char *want; /* dump of the message, or NULL when it must fail */
	const char *err;  /* the whole error text when it must fail */
} msg_case_t;

static const msg_case_t good_cases[] = {
    {"A answer, owner compressed to the question",
     HDR("8180", "0001", "0001", "0000", "0000")
         Q_EX("0001") "c00c 0001 0001 0000012c 0004 c0000201",
     "id=4660 QR,RD,RA rc=0 q=example.com/A | an example.com 300 A 192.0.2.1", NULL},
    {"AAAA answer",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("001c") "c00c 001c 0001 0000012c 0010 "
                                                              "20010db8000000000000000000000001",
     "id=4660 QR,RD,RA rc=0 q=example.com/AAAA | an example.com 300 AAAA 2001:db8::1", NULL},
    {"NS answer with a compressed name",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0002") "c00c 0002 0001 00015180 0006 "
                                                              "03'ns1'c00c",
     "id=4660 QR,RD,RA rc=0 q=example.com/NS | an example.com 86400 NS ns1.example.com", NULL},
    {"two MX, the second pointing into the first one's rdata",
     HDR("8180", "0001", "0002", "0000", "0000") Q_EX("000f") "c00c 000f 0001 00000e10 0009 "
                                                              "000a 04'mail'c00c "
                                                              "c00c 000f 0001 00000e10 0004 "
                                                              "0014 c02b",
     "id=4660 QR,RD,RA rc=0 q=example.com/MX | an example.com 3600 MX 10 mail.example.com"
     " | an example.com 3600 MX 20 mail.example.com",
     NULL},
    {"null MX (RFC 7505): exchange is the root",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("000f") "c00c 000f 0001 00000e10 0003 "
                                                              "0000 00",
     "id=4660 QR,RD,RA rc=0 q=example.com/MX | an example.com 3600 MX 0 .", NULL},
    {"CNAME chain through pointers to pointers",
     HDR("8180", "0001", "0003", "0000",
         "0000") "03'www'07'example'03'com'00 0001 0001 "
                 "c00c 0005 0001 0000012c 0006 03'web'c010 "
                 "c02d 0005 0001 0000012c 0011 03'cdn'07'example'03'net'00 "
                 "c03f 0001 0001 0000003c 0004 c0000202",
     "id=4660 QR,RD,RA rc=0 q=www.example.com/A | an www.example.com 300 CNAME web.example.com"
     " | an web.example.com 300 CNAME cdn.example.net | an cdn.example.net 60 A 192.0.2.2",
     NULL},
    {"PTR answer",
     HDR("8180", "0001", "0001", "0000",
         "0000") "01'1'01'2'01'0'03'192'07'in-addr'04'arpa'00 000c 0001 "
                 "c00c 000c 0001 00000e10 000e 04'host'07'example'00",
     "id=4660 QR,RD,RA rc=0 q=1.2.0.192.in-addr.arpa/PTR | an 1.2.0.192.in-addr.arpa 3600 PTR "
     "host.example",
     NULL},
    {"SOA answer",
     HDR("8580", "0001", "0001", "0000", "0000")
         Q_EX("0006") "c00c 0006 0001 00000e10 0027 " SOA_RDATA,
     "id=4660 QR,AA,RD,RA rc=0 q=example.com/SOA | an example.com 3600 SOA " SOA_TEXT, NULL},
    {"NXDOMAIN with the SOA in the authority section",
     HDR("8583", "0001", "0000", "0001", "0000")
         Q_EX("0001") "c00c 0006 0001 00000384 0027 " SOA_RDATA,
     "id=4660 QR,AA,RD,RA rc=3 q=example.com/A | ns example.com 900 SOA " SOA_TEXT, NULL},
    {"NODATA: NOERROR, no answer, SOA in authority",
     HDR("8180", "0001", "0000", "0001", "0000")
         Q_EX("001c") "c00c 0006 0001 00000384 0027 " SOA_RDATA,
     "id=4660 QR,RD,RA rc=0 q=example.com/AAAA | ns example.com 900 SOA " SOA_TEXT, NULL},
    {"TXT of one string",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0010") "c00c 0010 0001 0000012c 000f "
                                                              "0e'v=spf1 mx -all'",
     "id=4660 QR,RD,RA rc=0 q=example.com/TXT | an example.com 300 TXT 1 \"v=spf1 mx -all\"", NULL},
    {"TXT of three strings joined without separator",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0010") "c00c 0010 0001 0000012c 0011 "
                                                              "06'v=spf1' 03' mx' 05' -all'",
     "id=4660 QR,RD,RA rc=0 q=example.com/TXT | an example.com 300 TXT 3 \"v=spf1 mx -all\"", NULL},
    {"TXT of one empty string",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0010") "c00c 0010 0001 0000012c 0001 00",
     "id=4660 QR,RD,RA rc=0 q=example.com/TXT | an example.com 300 TXT 1 \"\"", NULL},
    /* RFC 1035 wants a string; servers publish empty ones anyway (the
     * RFC 7208 suite's null-text): the record, not the answer, is empty. */
    {"TXT with empty rdata: no strings",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0010") "c00c 0010 0001 0000012c 0000",
     "id=4660 QR,RD,RA rc=0 q=example.com/TXT | an example.com 300 TXT 0 \"\"", NULL},
    {"TXT with an empty string between two",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0010") "c00c 0010 0001 0000012c 0007 "
                                                              "02'ab' 00 02'cd'",
     "id=4660 QR,RD,RA rc=0 q=example.com/TXT | an example.com 300 TXT 3 \"abcd\"", NULL},
    {"TXT data holding a NUL byte",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0010") "c00c 0010 0001 0000012c 0004 "
                                                              "03 61 00 62",
     "id=4660 QR,RD,RA rc=0 q=example.com/TXT | an example.com 300 TXT 1 \"a\\x00b\"", NULL},
    {"SRV with an uncompressed target",
     HDR("8180", "0001", "0001", "0000",
         "0000") "0b'_submission'04'_tcp'07'example'03'com'00 0021 0001 "
                 "c00c 0021 0001 0000012c 0018 0000 0001 024b 04'mail'07'example'03'com'00",
     "id=4660 QR,RD,RA rc=0 q=_submission._tcp.example.com/SRV | an "
     "_submission._tcp.example.com 300 SRV 0 1 587 mail.example.com",
     NULL},
    {"SRV with a compressed target (RFC 2782 forbids it, read anyway)",
     HDR("8180", "0001", "0001", "0000",
         "0000") "0b'_submission'04'_tcp'07'example'03'com'00 0021 0001 "
                 "c00c 0021 0001 0000012c 000d 000a 0005 03e1 04'mail'c01d",
     "id=4660 QR,RD,RA rc=0 q=_submission._tcp.example.com/SRV | an "
     "_submission._tcp.example.com 300 SRV 10 5 993 mail.example.com",
     NULL},
    {"TLSA 3 1 1 with the AD flag",
     HDR("81a0", "0001", "0001", "0000",
         "0000") "03'_25'04'_tcp'04'mail'07'example'03'com'00 0034 0001 "
                 "c00c 0034 0001 0000012c 0023 030101 " TLSA_DATA,
     "id=4660 QR,RD,RA,AD rc=0 q=_25._tcp.mail.example.com/TLSA | an "
     "_25._tcp.mail.example.com 300 TLSA 3 1 1 " TLSA_DATA,
     NULL},
    {"TLSA with one byte of data",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0034") "c00c 0034 0001 0000012c 0004 "
                                                              "020001 ff",
     "id=4660 QR,RD,RA rc=0 q=example.com/TLSA | an example.com 300 TLSA 2 0 1 ff", NULL},
    {"unknown type kept as raw rdata",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0063") "c00c 0063 0001 0000012c 0004 "
                                                              "deadbeef",
     "id=4660 QR,RD,RA rc=0 q=example.com/TYPE99 | an example.com 300 TYPE99 \\# 4 deadbeef", NULL},
    {"unknown type with empty rdata",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0101") "c00c 0101 0001 0000012c 0000",
     "id=4660 QR,RD,RA rc=0 q=example.com/CAA | an example.com 300 CAA \\# 0 ", NULL},
    {"class other than IN kept",
     HDR("8180", "0001", "0001", "0000", "0000") "07'version'04'bind'00 0010 0003 "
                                                 "c00c 0010 0003 00000000 0005 04'9.18'",
     "id=4660 QR,RD,RA rc=0 q=version.bind/TXT/3 | an version.bind 0 CLASS3 TXT 1 \"9.18\"", NULL},
    {"additional section (OPT, glue A) checked, not kept",
     HDR("8180", "0001", "0001", "0000", "0002") Q_EX("000f") "c00c 000f 0001 00000e10 0009 "
                                                              "000a 04'mail'c00c "
                                                              "c02b 0001 0001 00000e10 0004 "
                                                              "c0000219 "
                                                              "00 0029 04d0 00008000 0000",
     "id=4660 QR,RD,RA rc=0 q=example.com/MX | an example.com 3600 MX 10 mail.example.com", NULL},
    {"OPT in the answer section kept raw",
     HDR("8180", "0000", "0001", "0000", "0000") "00 0029 04d0 00000000 0004 deadbeef",
     "id=4660 QR,RD,RA rc=0 q=/TYPE0 | an . 0 CLASS1232 OPT \\# 4 deadbeef", NULL},
    {"root owner and question",
     HDR("8180", "0001", "0001", "0000", "0000") "00 0002 0001 "
                                                 "00 0002 0001 0007e900 0014 "
                                                 "01'a'0c'root-servers'03'net'00",
     "id=4660 QR,RD,RA rc=0 q=./NS | an . 518400 NS a.root-servers.net", NULL},
    {"no question, no records", HDR("8180", "0000", "0000", "0000", "0000"),
     "id=4660 QR,RD,RA rc=0 q=/TYPE0", NULL},
    {"query (QR clear), question only", HDR("0100", "0001", "0000", "0000", "0000") Q_EX("000f"),
     "id=4660 RD rc=0 q=example.com/MX", NULL},
    {"odd bytes in labels written \\DDD, case kept",
     HDR("8400", "0001", "0000", "0000",
         "0000") "03 61 2e 62 03 78 20 79 01 5c 02 ff 00 08'MiXeD_-*' 00 0001 0001",
     "id=4660 QR,AA rc=0 q=a\\046b.x\\032y.\\092.\\255\\000.MiXeD_-*/A", NULL},
    {"TC flag", HDR("8380", "0001", "0000", "0000", "0000") Q_EX("0001"),
     "id=4660 QR,TC,RD,RA rc=0 q=example.com/A", NULL},
    {"CD flag and SERVFAIL", HDR("8192", "0001", "0000", "0000", "0000") Q_EX("0001"),
     "id=4660 QR,RD,RA,CD rc=2 q=example.com/A", NULL},
    {"REFUSED", HDR("8105", "0001", "0000", "0000", "0000") Q_EX("0001"),
     "id=4660 QR,RD rc=5 q=example.com/A", NULL},
    {"all header bits set: opcode and Z not in flags",
     HDR("ffff", "0001", "0000", "0000", "0000") Q_EX("0001"),
     "id=4660 QR,AA,TC,RD,RA,AD,CD rc=15 q=example.com/A", NULL},
};

static const msg_case_t bad_cases[] = {
    {"empty message", "", NULL, "header: truncated (0 of 12 bytes)"},
    {"truncated header", "1234 8180 0001 0000 0000 00", NULL, "header: truncated (11 of 12 bytes)"},
    {"two questions", HDR("8180", "0002", "0000", "0000", "0000"), NULL,
     "header: QDCOUNT 2 (at most one question)"},
    {"257 answers", HDR("8180", "0000", "0101", "0000", "0000"), NULL,
     "header: ANCOUNT 257 over the limit of 256 records"},
    {"65535 additional", HDR("8180", "0000", "0000", "0000", "ffff"), NULL,
     "header: ARCOUNT 65535 over the limit of 256 records"},
    {"question without type and class", HDR("8180", "0001", "0000", "0000", "0000") "00 0001", NULL,
     "question: truncated after the name (2 of 4 bytes)"},
    {"question name cut", HDR("8180", "0001", "0000", "0000", "0000") "07'exam'", NULL,
     "question: label at offset 12 runs past the end of the message"},
    {"question name without its root label",
     HDR("8180", "0001", "0000", "0000", "0000") "07'example'", NULL,
     "question: name runs past the end of the message"},
    {"ANCOUNT 2, one answer",
     HDR("8180", "0001", "0002", "0000", "0000") Q_EX("0001") "c00c 0001 0001 0000012c 0004 "
                                                              "c0000201",
     NULL, "answer record 2: missing: the message ends after 1 of 2 records"},
    {"NSCOUNT 1, no authority", HDR("8180", "0001", "0000", "0001", "0000") Q_EX("0001"), NULL,
     "authority record 1: missing: the message ends after 0 of 1 records"},
    {"ARCOUNT 1, no additional", HDR("8180", "0001", "0000", "0000", "0001") Q_EX("0001"), NULL,
     "additional record 1: missing: the message ends after 0 of 1 records"},
    {"ANCOUNT 0, one answer present",
     HDR("8180", "0001", "0000", "0000", "0000")
         Q_EX("0001") "c00c 0001 0001 0000012c 0004 c0000201",
     NULL, "message: 16 trailing bytes after the last record"},
    {"one trailing byte",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0001") "c00c 0001 0001 0000012c 0004 "
                                                              "c0000201 00",
     NULL, "message: 1 trailing bytes after the last record"},
    {"record cut after type",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0001") "c00c 0001 00", NULL,
     "answer record 1: record truncated after the owner name (3 of 10 bytes)"},
    {"rdlength overruns the message",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0001") "c00c 0001 0001 0000012c 0004 "
                                                              "c000",
     NULL, "answer record 1: rdata overruns the message (RDLENGTH 4, 2 bytes left)"},
    {"A with rdlength 5",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0001") "c00c 0001 0001 0000012c 0005 "
                                                              "c000020100",
     NULL, "answer record 1: A rdata is 5 bytes, not 4"},
    {"A with rdlength 3",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0001") "c00c 0001 0001 0000012c 0003 "
                                                              "c00002",
     NULL, "answer record 1: A rdata is 3 bytes, not 4"},
    {"AAAA with rdlength 4",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("001c") "c00c 001c 0001 0000012c 0004 "
                                                              "c0000201",
     NULL, "answer record 1: AAAA rdata is 4 bytes, not 16"},
    {"NS name shorter than rdlength",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0002") "c00c 0002 0001 00015180 0007 "
                                                              "03'ns1'c00c 00",
     NULL, "answer record 1: NS rdata has 1 bytes after the name"},
    {"CNAME name longer than rdlength",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0005") "c00c 0005 0001 00015180 0003 "
                                                              "03'ns1'c00c",
     NULL, "answer record 1: label at offset 41 runs past the end of the rdata"},
    {"PTR pointer cut by rdlength",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("000c") "c00c 000c 0001 00015180 0001 "
                                                              "c00c",
     NULL, "answer record 1: compression pointer at offset 41 truncated"},
    {"MX with rdlength 2",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("000f") "c00c 000f 0001 00000e10 0002 "
                                                              "000a",
     NULL, "answer record 1: MX rdata is 2 bytes, needs at least 3"},
    {"SOA one byte short",
     HDR("8580", "0001", "0001", "0000", "0000") Q_EX("0006") "c00c 0006 0001 00000e10 0026 "
                                                              "03'ns1'c00c 0a'hostmaster'c00c "
                                                              "78a3f175 00001c20 00000e10 "
                                                              "00127500 00012c",
     NULL, "answer record 1: SOA rdata has 19 bytes after the names, not 20"},
    {"SOA one byte long",
     HDR("8580", "0001", "0001", "0000", "0000")
         Q_EX("0006") "c00c 0006 0001 00000e10 0028 " SOA_RDATA "00",
     NULL, "answer record 1: SOA rdata has 21 bytes after the names, not 20"},
    {"SOA without RNAME",
     HDR("8580", "0001", "0001", "0000", "0000") Q_EX("0006") "c00c 0006 0001 00000e10 0006 "
                                                              "03'ns1'c00c",
     NULL, "answer record 1: name runs past the end of the rdata"},
    {"TXT string overruns rdlength",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0010") "c00c 0010 0001 0000012c 0003 "
                                                              "05'ab'",
     NULL, "answer record 1: TXT character-string 1 overruns the rdata"},
    {"TXT second string overruns rdlength",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0010") "c00c 0010 0001 0000012c 0005 "
                                                              "02'ab' 05'c'",
     NULL, "answer record 1: TXT character-string 2 overruns the rdata"},
    {"SRV with no target",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0021") "c00c 0021 0001 0000012c 0006 "
                                                              "0000 0001 024b",
     NULL, "answer record 1: SRV rdata is 6 bytes, needs at least 7"},
    {"SRV with a byte after the target",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0021") "c00c 0021 0001 0000012c 0008 "
                                                              "0000 0001 024b 00 00",
     NULL, "answer record 1: SRV rdata has 1 bytes after the name"},
    {"TLSA without association data",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0034") "c00c 0034 0001 0000012c 0003 "
                                                              "030101",
     NULL, "answer record 1: TLSA rdata is 3 bytes, needs at least 4"},
    {"pointer to itself",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0001") "c01d 0001 0001 0000012c 0004 "
                                                              "c0000201",
     NULL,
     "answer record 1: compression pointer at offset 29 to offset 29 does not point "
     "backwards"},
    {"compression loop through a label",
     HDR("8180", "0001", "0000", "0000", "0000") "01'a' c00c 0001 0001", NULL,
     "question: name longer than 255 bytes"},
    {"forward pointer",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0001") "c021 0001 0001 0000012c 0004 "
                                                              "c0000201",
     NULL,
     "answer record 1: compression pointer at offset 29 to offset 33 does not point "
     "backwards"},
    {"pointer beyond the message",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0001") "c0ff 0001 0001 0000012c 0004 "
                                                              "c0000201",
     NULL,
     "answer record 1: compression pointer at offset 29 to offset 255 beyond the message "
     "(45 bytes)"},
    {"pointer with the 14-bit maximum offset",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0001") "ffff 0001 0001 0000012c 0004 "
                                                              "c0000201",
     NULL,
     "answer record 1: compression pointer at offset 29 to offset 16383 beyond the "
     "message (45 bytes)"},
    {"pointer cut at the end of the message", HDR("8180", "0001", "0000", "0000", "0000") "c0",
     NULL, "question: compression pointer at offset 12 truncated"},
    {"pointer into the header",
     HDR("8180", "0001", "0001", "0000", "0000") Q_EX("0001") "c004 0001 0001 0000012c 0004 "
                                                              "c0000201",
     NULL, "answer record 1: compression pointer at offset 29 points into the header"},
    {"label length 64", HDR("8180", "0001", "0000", "0000", "0000") "40'aaaa' 00 0001 0001", NULL,
     "question: label length byte 0x40 at offset 12: over 63 (label type 0x40)"},
    {"label type 0x80", HDR("8180", "0001", "0000", "0000", "0000") "80 00 0001 0001", NULL,
     "question: label length byte 0x80 at offset 12: over 63 (label type 0x80)"},
    {"bad rdata in the authority section",
     HDR("8183", "0001", "0000", "0001", "0000") Q_EX("0001") "c00c 0006 0001 00000384 0004 "
                                                              "00000000",
     NULL, "authority record 1: SOA rdata has 2 bytes after the names, not 20"},
    {"bad A in the additional section",
     HDR("8180", "0001", "0000", "0000", "0001") Q_EX("0001") "c00c 0001 0001 0000012c 0005 "
                                                              "c000020100",
     NULL, "additional record 1: A rdata is 5 bytes, not 4"},
    {"bad pointer in the additional section",
     HDR("8180", "0001", "0000", "0000", "0001") Q_EX("0001") "c0ff 0001 0001 0000012c 0004 "
                                                              "c0000201",
     NULL,
     "additional record 1: compression pointer at offset 29 to offset 255 beyond the "
     "message (45 bytes)"},
};

static void test_good_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
		const msg_case_t *c = &good_cases[i];
		uint8_t buf[1024];
		size_t len;
		mc_dns_msg_t m;
		char err[256] = "X", out[2048];
		uint8_t *copy;
		mc_status_t st;

		print_message("case: %s\n", c->name);
		len = wire(c->in, buf, sizeof(buf));
		/* the real length: ASan catches a read past it */
		copy = malloc(len);
		assert_non_null(copy);
		memcpy(copy, buf, len);
		st = mc_dns_msg_parse(copy, len, &m, err, sizeof(err));
		/* nothing points into the input */
		memset(copy, 0xee, len);
		free(copy);
		if (st != MC_OK)
			print_message("  error: %s\n", err);
		assert_int_equal(st, MC_OK);
		assert_string_equal(err, "");
		assert_non_null(m.store);
		dump(&m, out, sizeof(out));
		assert_string_equal(out, c->want);
		mc_dns_msg_free(&m);
		assert_null(m.store);
		assert_int_equal(m.nan, 0);
	}
}

static void test_bad_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const msg_case_t *c = &bad_cases[i];
		uint8_t buf[1024];
		size_t len;
		mc_dns_msg_t m;
		char err[256] = "";
		uint8_t *copy;
		mc_status_t st;

		print_message("case: %s\n", c->name);
		len = wire(c->in, buf, sizeof(buf));
		/* the real length: ASan catches a read past it */
		copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, buf, len);
		memset(&m, 0x5a, sizeof(m));
		st = mc_dns_msg_parse(copy, len, &m, err, sizeof(err));
		free(copy);
		assert_int_equal(st, MC_E_DNS_MALFORMED);
		assert_string_equal(err, c->err);
		/* nothing to free, every field cleared */
		assert_null(m.store);
		assert_null(m.qname);
		assert_null(m.an);
		assert_int_equal(m.nan + m.nns, 0);
		mc_dns_msg_free(&m);
	}
}

/* A name of labels of lens[] bytes (each byte fill), then the root. */
static size_t put_name(uint8_t *b, const size_t *lens, size_t n, uint8_t fill)
{
	size_t i, at = 0;

	for (i = 0; i < n; i++) {
		b[at++] = (uint8_t)lens[i];
		memset(b + at, fill, lens[i]);
		at += lens[i];
	}
	b[at++] = 0;
	return at;
}

static mc_status_t parse_question(const size_t *lens, size_t n, uint8_t fill, mc_dns_msg_t *m,
                                  char *err, size_t errsz)
{
	uint8_t buf[512] = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0};
	size_t len = 12;

	len += put_name(buf + len, lens, n, fill);
	memcpy(buf + len, "\x00\x01\x00\x01", 4);
	return mc_dns_msg_parse(buf, len + 4, m, err, errsz);
}

/* RFC 1035 section 2.3.4: 255 bytes on the wire pass, 256 fail, and the
 * longest name in presentation form fits MC_DNS_NAME_MAX. */
static void test_name_length(void **state)
{
	static const size_t max[] = {63, 63, 63, 61};  /* 64*3 + 62 + 1 = 255 */
	static const size_t over[] = {63, 63, 63, 62}; /* 256 */
	static const size_t dots[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	                              1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	                              1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	                              1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	                              1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	                              1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	                              1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}; /* 127 labels: 255 */
	mc_dns_msg_t m;
	char err[256];
	size_t i;

	(void)state;
	assert_int_equal(parse_question(max, 4, 'a', &m, err, sizeof(err)), MC_OK);
	assert_int_equal(strlen(m.qname), 250 + 3);
	mc_dns_msg_free(&m);

	assert_int_equal(parse_question(over, 4, 'a', &m, err, sizeof(err)), MC_E_DNS_MALFORMED);
	assert_string_equal(err, "question: name longer than 255 bytes");

	/* every byte escaped: 250 * 4 + 3 dots */
	assert_int_equal(parse_question(max, 4, 0xff, &m, err, sizeof(err)), MC_OK);
	assert_int_equal(strlen(m.qname), 1003);
	assert_true(strlen(m.qname) < MC_DNS_NAME_MAX);
	assert_memory_equal(m.qname, "\\255\\255", 8);
	mc_dns_msg_free(&m);

	assert_int_equal(parse_question(dots, 127, '.', &m, err, sizeof(err)), MC_OK);
	assert_int_equal(strlen(m.qname), 127 * 4 + 126);
	for (i = 0; i < 127; i++)
		assert_memory_equal(m.qname + i * 5, "\\046", 4);
	mc_dns_msg_free(&m);
}

/* A name reaching 255 bytes through pointers is checked as a whole. */
static void test_name_length_compressed(void **state)
{
	/* question: 63 x 'a' . 63 x 'b' . 63 x 'c' (193 bytes with root);
	 * answer owner: label of 61 then a pointer to the question name: 255
	 * bytes; with a label of 62: 256. */
	uint8_t buf[600] = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0};
	static const size_t q[] = {63, 63, 63};
	size_t qlen, len, lab;
	mc_dns_msg_t m;
	char err[256];

	(void)state;
	for (lab = 61; lab <= 62; lab++) {
		len = 12;
		qlen = put_name(buf + len, q, 3, 'a');
		len += qlen;
		memcpy(buf + len, "\x00\x01\x00\x01", 4);
		len += 4;
		buf[len++] = (uint8_t)lab;
		memset(buf + len, 'x', lab);
		len += lab;
		buf[len++] = 0xc0;
		buf[len++] = 12;
		memcpy(buf + len, "\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\xc0\x00\x02\x01", 14);
		len += 14;
		if (lab == 61) {
			assert_int_equal(mc_dns_msg_parse(buf, len, &m, err, sizeof(err)), MC_OK);
			assert_int_equal(m.nan, 1);
			assert_int_equal(strlen(m.an[0].owner), 61 + 1 + 63 * 3 + 2);
			mc_dns_msg_free(&m);
		} else {
			assert_int_equal(mc_dns_msg_parse(buf, len, &m, err, sizeof(err)),
			                 MC_E_DNS_MALFORMED);
			assert_string_equal(err, "answer record 1: name longer than 255 bytes");
		}
	}
}

/* A chain of pointers to pointers, each going backwards, ends at 128
 * pointers per name: the chain sits in raw rdata (type 99), a second
 * record's owner points at its last link. */
static void test_pointer_hops(void **state)
{
	uint8_t buf[1024];
	size_t k, i, len, root, last;
	mc_dns_msg_t m;
	char err[256];

	(void)state;
	for (k = 127; k <= 128; k++) {
		len = wire(HDR("8180", "0000", "0002", "0000", "0000") "00 0063 0001 00000000", buf,
		           sizeof(buf));
		buf[len++] = (uint8_t)((1 + 2 * k) >> 8);
		buf[len++] = (uint8_t)(1 + 2 * k);
		root = len;
		buf[len++] = 0;
		for (i = 0; i < k; i++) {
			size_t to = i ? len - 2 : root;
			buf[len++] = (uint8_t)(0xc0 | to >> 8);
			buf[len++] = (uint8_t)to;
		}
		last = len - 2;
		buf[len++] = (uint8_t)(0xc0 | last >> 8);
		buf[len++] = (uint8_t)last;
		len += wire("0001 0001 00000000 0004 c0000201", buf + len, 14);
		if (k == 127) {
			assert_int_equal(mc_dns_msg_parse(buf, len, &m, err, sizeof(err)), MC_OK);
			assert_string_equal(m.an[1].owner, ".");
			mc_dns_msg_free(&m);
		} else {
			assert_int_equal(mc_dns_msg_parse(buf, len, &m, err, sizeof(err)),
			                 MC_E_DNS_MALFORMED);
			assert_string_equal(
			    err, "answer record 2: more than 128 compression pointers in one name");
		}
	}
}

/* 256 records per section pass (the limit), and every one is kept. */
static void test_section_limit(void **state)
{
	size_t len = 0, i, n = 256;
	uint8_t *buf = malloc(12 + 17 + 256 * 16 * 2);
	mc_dns_msg_t m;
	char err[256];

	(void)state;
	assert_non_null(buf);
	len = wire(HDR("8180", "0001", "0100", "0100", "0000") Q_EX("0001"), buf, 64);
	for (i = 0; i < 2 * n; i++) {
		len += wire("c00c 0001 0001 0000012c 0004 c00002", buf + len, 15);
		buf[len++] = (uint8_t)i;
	}
	assert_int_equal(mc_dns_msg_parse(buf, len, &m, err, sizeof(err)), MC_OK);
	assert_int_equal(m.nan, 256);
	assert_int_equal(m.nns, 256);
	for (i = 0; i < n; i++) {
		assert_int_equal(m.an[i].addr[3], (uint8_t)i);
		assert_int_equal(m.ns[i].addr[3], (uint8_t)i);
		assert_string_equal(m.an[i].owner, "example.com");
	}
	mc_dns_msg_free(&m);
	free(buf);
}

/* The reason is cut to a small buffer; no buffer at all is fine. */
static void test_err_buffer(void **state)
{
	static const uint8_t hdr[5] = {0};
	mc_dns_msg_t m;
	char err[8];

	(void)state;
	assert_int_equal(mc_dns_msg_parse(hdr, sizeof(hdr), &m, err, sizeof(err)),
	                 MC_E_DNS_MALFORMED);
	assert_string_equal(err, "header:");
	assert_int_equal(mc_dns_msg_parse(hdr, sizeof(hdr), &m, NULL, 0), MC_E_DNS_MALFORMED);
	assert_int_equal(mc_dns_msg_parse(NULL, 0, &m, NULL, 0), MC_E_DNS_MALFORMED);
	mc_dns_msg_free(&m);
	mc_dns_msg_free(NULL);
}

typedef struct {
	const char *a, *b;
	bool want;
} eq_case_t;

static const eq_case_t eq_cases[] = {
    {"example.com", "example.com", true},
    {"Example.COM", "example.com", true},
    {"example.com.", "example.com", true},
    {"example.com", "example.com.", true},
    {"example.com.", "EXAMPLE.com.", true},
    {".", "", true},
    {".", ".", true},
    {"example.com..", "example.com", false},
    {"example.com", "example.co", false},
    {"example.co", "example.com", false},
    {"a.b", "a\\046b", false},
    {"a\\.b", "a\\046b", true},
    {"\\065", "a", true},
    {"a\\.", "a", false},
    {"a\\.", "a\\046", true},
    {"mail\\032x", "mail x", true},
    {"", "a", false},
    {NULL, "a", false},
};

static void test_name_eq(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(eq_cases) / sizeof(eq_cases[0]); i++) {
		print_message("case: '%s' '%s'\n", eq_cases[i].a ? eq_cases[i].a : "(null)",
		              eq_cases[i].b);
		assert_int_equal(mc_dns_name_eq(eq_cases[i].a, eq_cases[i].b), eq_cases[i].want);
		if (eq_cases[i].a)
			assert_int_equal(mc_dns_name_eq(eq_cases[i].b, eq_cases[i].a),
			                 eq_cases[i].want);
	}
}

static void test_type_str(void **state)
{
	char buf[16], tiny[4];

	(void)state;
	assert_string_equal(mc_dns_type_str(MC_DNS_T_MX, buf, sizeof(buf)), "MX");
	assert_string_equal(mc_dns_type_str(MC_DNS_T_TLSA, buf, sizeof(buf)), "TLSA");
	assert_string_equal(mc_dns_type_str(MC_DNS_T_AAAA, NULL, 0), "AAAA");
	assert_string_equal(mc_dns_type_str(65, buf, sizeof(buf)), "TYPE65");
	assert_string_equal(mc_dns_type_str(65535, buf, sizeof(buf)), "TYPE65535");
	assert_string_equal(mc_dns_type_str(65, tiny, sizeof(tiny)), "TYP");
	assert_string_equal(mc_dns_type_str(65, NULL, 0), "TYPE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_table),   cmocka_unit_test(test_bad_table),
	    cmocka_unit_test(test_name_length),  cmocka_unit_test(test_name_length_compressed),
	    cmocka_unit_test(test_pointer_hops), cmocka_unit_test(test_section_limit),
	    cmocka_unit_test(test_err_buffer),   cmocka_unit_test(test_name_eq),
	    cmocka_unit_test(test_type_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
