/* fake_dns.h - a scripted DNS server for the unit tests: one UDP socket on
 * 127.0.0.1 (a port the kernel picks), watched by the test's own event
 * loop, so a resolver on that loop asks it real questions over the wire.
 *
 * Each question is parsed with mc_dns_msg_parse and handed to the test's
 * answer function, which fills a reply: header flags and RCODE, records of
 * the answer section (built with the fake_dns_rr_* calls below), and whether
 * the reply is dropped (the resolver times out) or held back for a while
 * (it arrives late, from a loop timer). The server copies the question into
 * the reply. Questions that do not parse are ignored.
 *
 * Every failure to set up is a cmocka assertion: a test that gets a server
 * has a working one. */
#ifndef FAKE_DNS_H
#define FAKE_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/mc_dns.h"
#include "loop/mc_loop.h"

#define FAKE_DNS_QR_RD_RA 0x8180u /* the flags of a plain recursive answer */
#define FAKE_DNS_AA 0x0400u
#define FAKE_DNS_AD 0x0020u

typedef struct fake_dns fake_dns_t;

/* What the server sends for one question. The answer function receives it
 * with flags FAKE_DNS_QR_RD_RA, RCODE 0, no records, sent at once. */
typedef struct fake_dns_reply {
	unsigned flags;    /* header flags without the RCODE */
	unsigned rcode;    /* 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 4 NOTIMP, 5 REFUSED */
	bool drop;         /* send nothing */
	unsigned delay_ms; /* send this much later (0: at once) */
	/* the answer section: written by fake_dns_rr_*, read by the server */
	unsigned ancount;
	size_t len;
	uint8_t an[4096];
} fake_dns_reply_t;

typedef void (*fake_dns_answer_fn)(void *arg, const mc_dns_msg_t *q, fake_dns_reply_t *r);

/* A server on loop answering through fn(arg, ...). Free it before the loop. */
fake_dns_t *fake_dns_start(mc_loop_t *loop, fake_dns_answer_fn fn, void *arg);
void fake_dns_free(fake_dns_t *srv);

/* "127.0.0.1:PORT", for mc_dns_params_t.servers. */
const char *fake_dns_addr(const fake_dns_t *srv);

/* A resolver on the server's loop asking only this server, with the given
 * per-question deadline (mc_dns_params_t.deadline_ms). */
mc_dns_t *fake_dns_resolver(const fake_dns_t *srv, unsigned deadline_ms);

/* Questions parsed so far (dropped and held ones included). */
unsigned fake_dns_queries(const fake_dns_t *srv);

/* Replies held back (delay_ms) and not sent yet. */
size_t fake_dns_held(const fake_dns_t *srv);

/* Records appended to r's answer section, class IN, TTL 300. */
void fake_dns_rr_a(fake_dns_reply_t *r, const char *owner, const char *ip);
void fake_dns_rr_aaaa(fake_dns_reply_t *r, const char *owner, const char *ip);
/* One character-string of len bytes (at most 255). */
void fake_dns_rr_txt(fake_dns_reply_t *r, const char *owner, const uint8_t *text, size_t len);
/* A record whose rdata is a name (CNAME, PTR, NS), or for MX preference 10
 * and the name; target "." is the root. */
void fake_dns_rr_name(fake_dns_reply_t *r, const char *owner, uint16_t type, const char *target);
/* Drop the last n bytes of the answer section (RDLENGTH unchanged): a
 * record cut short. */
void fake_dns_rr_cut(fake_dns_reply_t *r, size_t n);

#endif
