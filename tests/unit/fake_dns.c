/* fake_dns.c - the scripted DNS server of the unit tests (fake_dns.h). */
#include "fake_dns.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

/* A reply held back, sent from a timer. */
typedef struct held {
	struct held *next;
	fake_dns_t *srv;
	mc_timer_t *timer;
	struct sockaddr_storage peer;
	socklen_t plen;
	size_t n;
	uint8_t b[];
} held_t;

struct fake_dns {
	mc_loop_t *loop;
	int fd;
	char addr[64];
	fake_dns_answer_fn fn;
	void *arg;
	unsigned queries;
	held_t *held;
};

typedef struct wire {
	uint8_t *b;
	size_t n, cap;
} wire_t;

static void put8(wire_t *w, unsigned v)
{
	assert_true(w->n < w->cap);
	w->b[w->n++] = (uint8_t)v;
}

static void put16(wire_t *w, unsigned v)
{
	put8(w, (v >> 8) & 0xff);
	put8(w, v & 0xff);
}

static void put_bytes(wire_t *w, const void *p, size_t n)
{
	assert_true(n <= w->cap - w->n);
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

/* Presentation form to wire form, uncompressed; "." and "" are the root. */
static void put_name(wire_t *w, const char *name)
{
	while (*name && strcmp(name, ".")) {
		size_t l = strcspn(name, ".");
		assert_true(l > 0 && l < 64);
		put8(w, (unsigned)l);
		put_bytes(w, name, l);
		name += l + (name[l] == '.');
	}
	put8(w, 0);
}

static wire_t answer_wire(fake_dns_reply_t *r)
{
	wire_t w = {r->an, r->len, sizeof(r->an)};
	return w;
}

/* The RR header; returns the offset of RDLENGTH, patched by end_rr. */
static size_t begin_rr(wire_t *w, const char *owner, uint16_t type)
{
	size_t at;

	put_name(w, owner);
	put16(w, type);
	put16(w, 1);
	put16(w, 0);
	put16(w, 300);
	at = w->n;
	put16(w, 0);
	return at;
}

static void end_rr(fake_dns_reply_t *r, wire_t *w, size_t at)
{
	size_t len = w->n - at - 2;

	w->b[at] = (uint8_t)(len >> 8);
	w->b[at + 1] = (uint8_t)len;
	r->len = w->n;
	r->ancount++;
}

static void rr_addr(fake_dns_reply_t *r, const char *owner, uint16_t type, int af, const char *ip)
{
	wire_t w = answer_wire(r);
	size_t at = begin_rr(&w, owner, type);
	uint8_t a[16];

	assert_int_equal(inet_pton(af, ip, a), 1);
	put_bytes(&w, a, af == AF_INET ? 4 : 16);
	end_rr(r, &w, at);
}

void fake_dns_rr_a(fake_dns_reply_t *r, const char *owner, const char *ip)
{
	rr_addr(r, owner, MC_DNS_T_A, AF_INET, ip);
}

void fake_dns_rr_aaaa(fake_dns_reply_t *r, const char *owner, const char *ip)
{
	rr_addr(r, owner, MC_DNS_T_AAAA, AF_INET6, ip);
}

void fake_dns_rr_txt(fake_dns_reply_t *r, const char *owner, const uint8_t *text, size_t len)
{
	wire_t w = answer_wire(r);
	size_t at = begin_rr(&w, owner, MC_DNS_T_TXT);

	assert_true(len <= 255);
	put8(&w, (unsigned)len);
	put_bytes(&w, text, len);
	end_rr(r, &w, at);
}

void fake_dns_rr_name(fake_dns_reply_t *r, const char *owner, uint16_t type, const char *target)
{
	wire_t w = answer_wire(r);
	size_t at = begin_rr(&w, owner, type);

	if (type == MC_DNS_T_MX)
		put16(&w, 10);
	put_name(&w, target);
	end_rr(r, &w, at);
}

void fake_dns_rr_cut(fake_dns_reply_t *r, size_t n)
{
	assert_true(n <= r->len);
	r->len -= n;
}

static void send_held(mc_loop_t *loop, void *arg)
{
	held_t *h = arg, **pp;

	(void)loop;
	(void)sendto(h->srv->fd, h->b, h->n, 0, (struct sockaddr *)&h->peer, h->plen);
	for (pp = &h->srv->held; *pp != h; pp = &(*pp)->next)
		;
	*pp = h->next;
	free(h);
}

static void on_query(mc_loop_t *loop, int fd, short revents, void *arg)
{
	fake_dns_t *srv = arg;
	uint8_t in[1500], out[4096 + 512];
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	fake_dns_reply_t *r;
	mc_dns_msg_t q;
	char err[128];
	wire_t w = {out, 0, sizeof(out)};
	ssize_t n;

	(void)revents;
	n = recvfrom(fd, in, sizeof(in), 0, (struct sockaddr *)&peer, &plen);
	if (n <= 0 || mc_dns_msg_parse(in, (size_t)n, &q, err, sizeof(err)) != MC_OK)
		return;
	srv->queries++;
	r = calloc(1, sizeof(*r));
	assert_non_null(r);
	r->flags = FAKE_DNS_QR_RD_RA;
	srv->fn(srv->arg, &q, r);
	put16(&w, q.id);
	put16(&w, (r->flags & ~0xfu) | (r->rcode & 0xfu));
	put16(&w, 1);
	put16(&w, r->ancount);
	put16(&w, 0);
	put16(&w, 0);
	put_name(&w, q.qname);
	put16(&w, q.qtype);
	put16(&w, 1);
	put_bytes(&w, r->an, r->len);
	if (r->drop) {
		/* nothing */
	} else if (r->delay_ms) {
		held_t *h = calloc(1, sizeof(*h) + w.n);
		assert_non_null(h);
		h->srv = srv;
		h->peer = peer;
		h->plen = plen;
		h->n = w.n;
		memcpy(h->b, w.b, w.n);
		h->timer = mc_loop_timer(loop, (int64_t)r->delay_ms * 1000, send_held, h);
		assert_non_null(h->timer);
		h->next = srv->held;
		srv->held = h;
	} else {
		(void)sendto(fd, w.b, w.n, 0, (struct sockaddr *)&peer, plen);
	}
	free(r);
	mc_dns_msg_free(&q);
}

fake_dns_t *fake_dns_start(mc_loop_t *loop, fake_dns_answer_fn fn, void *arg)
{
	fake_dns_t *srv = calloc(1, sizeof(*srv));
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	assert_non_null(srv);
	srv->loop = loop;
	srv->fn = fn;
	srv->arg = arg;
	srv->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(srv->fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(srv->fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(srv->fd, (struct sockaddr *)&sin, &len), 0);
	snprintf(srv->addr, sizeof(srv->addr), "127.0.0.1:%u", ntohs(sin.sin_port));
	assert_int_equal(mc_loop_watch(loop, srv->fd, POLLIN, on_query, srv), MC_OK);
	return srv;
}

void fake_dns_free(fake_dns_t *srv)
{
	if (!srv)
		return;
	while (srv->held) {
		held_t *h = srv->held;
		srv->held = h->next;
		mc_loop_timer_cancel(srv->loop, h->timer);
		free(h);
	}
	mc_loop_unwatch(srv->loop, srv->fd);
	close(srv->fd);
	free(srv);
}

const char *fake_dns_addr(const fake_dns_t *srv)
{
	return srv->addr;
}

mc_dns_t *fake_dns_resolver(const fake_dns_t *srv, unsigned deadline_ms)
{
	mc_dns_params_t p;
	mc_dns_t *dns = NULL;
	char err[256] = "";

	memset(&p, 0, sizeof(p));
	p.servers[0] = srv->addr;
	p.nservers = 1;
	p.deadline_ms = deadline_ms;
	if (mc_dns_new(srv->loop, &p, &dns, err, sizeof(err)) != MC_OK)
		fail_msg("mc_dns_new: %s", err);
	return dns;
}

unsigned fake_dns_queries(const fake_dns_t *srv)
{
	return srv->queries;
}

size_t fake_dns_held(const fake_dns_t *srv)
{
	size_t n = 0;
	const held_t *h;

	for (h = srv->held; h; h = h->next)
		n++;
	return n;
}
