/* mc_dns_msg.h - a DNS message (RFC 1035 section 4) parsed from the wire
 * with every length and offset checked: the header flags (AA, TC, RD, RA,
 * AD, CD, RCODE), the question, and the answer and authority records, with
 * the rdata of the types the checks read (A, AAAA, NS, CNAME, SOA, PTR, MX,
 * TXT, SRV, TLSA) decoded. c-ares 1.18 parses neither TLSA nor the header
 * flags, so every answer is read here. */
#ifndef MC_DNS_MSG_H
#define MC_DNS_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/mc_status.h"

enum {
	MC_DNS_T_A = 1,
	MC_DNS_T_NS = 2,
	MC_DNS_T_CNAME = 5,
	MC_DNS_T_SOA = 6,
	MC_DNS_T_PTR = 12,
	MC_DNS_T_MX = 15,
	MC_DNS_T_TXT = 16,
	MC_DNS_T_AAAA = 28,
	MC_DNS_T_SRV = 33,
	MC_DNS_T_OPT = 41,
	MC_DNS_T_TLSA = 52
};

enum {
	MC_DNS_RCODE_NOERROR = 0,
	MC_DNS_RCODE_FORMERR = 1,
	MC_DNS_RCODE_SERVFAIL = 2,
	MC_DNS_RCODE_NXDOMAIN = 3,
	MC_DNS_RCODE_NOTIMP = 4,
	MC_DNS_RCODE_REFUSED = 5
};

/* Header flag bits as in mc_dns_msg_t.flags. */
#define MC_DNS_F_QR 0x8000u
#define MC_DNS_F_AA 0x0400u
#define MC_DNS_F_TC 0x0200u
#define MC_DNS_F_RD 0x0100u
#define MC_DNS_F_RA 0x0080u
#define MC_DNS_F_AD 0x0020u
#define MC_DNS_F_CD 0x0010u

/* A domain name in presentation form: labels joined by '.', no trailing dot
 * ("." for the root); bytes other than letters, digits, '-', '_' and '*'
 * are written \DDD (a '.' inside a label too), so the text is printable and
 * unambiguous. At most 4 * 255 characters. */
#define MC_DNS_NAME_MAX 1024

/* One resource record. Which fields are set depends on type; every pointer
 * points into the message's own storage (valid until mc_dns_msg_free). */
typedef struct mc_dns_rr {
	uint16_t type;
	uint16_t rclass;
	uint32_t ttl;
	const char *owner;
	/* NS, CNAME, PTR: the name; MX: the exchange; SRV: the target; SOA:
	 * MNAME. */
	const char *name;
	/* SOA: RNAME. */
	const char *name2;
	/* MX: preference; SRV: priority. */
	uint16_t pref;
	/* SRV. */
	uint16_t weight, port;
	/* SOA. */
	uint32_t serial, refresh, retry, expire, minimum;
	/* A (4 bytes), AAAA (16 bytes). */
	uint8_t addr[16];
	/* TLSA: usage, selector, matching type; data is the association data. */
	uint8_t usage, selector, mtype;
	/* TXT: the character-strings concatenated without separators (RFC 7208
	 * section 3.3, RFC 6376 section 3.6.2.2), NUL-terminated after len
	 * bytes (the data itself may contain NUL); nstrings how many.
	 * TLSA: the association data. Other types: the raw rdata. */
	const uint8_t *data;
	size_t len;
	unsigned nstrings;
} mc_dns_rr_t;

typedef struct mc_dns_msg {
	uint16_t id;
	uint16_t flags;    /* MC_DNS_F_* bits */
	unsigned rcode;    /* 4-bit RCODE (extended RCODE bits of OPT ignored) */
	const char *qname; /* "" when the message has no question */
	uint16_t qtype, qclass;
	mc_dns_rr_t *an; /* answer section */
	size_t nan;
	mc_dns_rr_t *ns; /* authority section */
	size_t nns;
	/* additional section: counted and checked, not kept */
	void *store; /* owned storage */
} mc_dns_msg_t;

/* Parse a whole message (len bytes). Every name is decompressed with loop
 * and bound checks; every rdata must fit its RDLENGTH exactly (a known type
 * whose rdata is shorter or longer than its fields is malformed); the
 * section counts must match the records present; trailing bytes after the
 * last record are malformed. MC_OK, MC_E_DNS_MALFORMED with a one-line
 * reason in err (e.g. "answer record 2: rdata overruns the message"), or
 * MC_E_NOMEM. On failure msg holds nothing to free. At most 256 records
 * per section (more: malformed). */
mc_status_t mc_dns_msg_parse(const uint8_t *buf, size_t len, mc_dns_msg_t *msg, char *err,
                             size_t errsz);
void mc_dns_msg_free(mc_dns_msg_t *msg);

/* Case-insensitive comparison of two names in presentation form, ignoring
 * one trailing dot on either: true when equal. */
bool mc_dns_name_eq(const char *a, const char *b);

/* "MX", "TLSA", or "TYPE65" for others; buf is used for the latter. */
const char *mc_dns_type_str(uint16_t type, char *buf, size_t bufsz);

#endif
