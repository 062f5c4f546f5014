#include "mc_dns.h"

#include <ares.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mc_buf.h"
#include "util/mc_clock.h"
#include "util/mc_str.h"

#define MAX_ADDRS 16

struct entry;

struct mc_dns {
	mc_loop_t *loop;
	ares_channel channel;
	mc_timer_t *timer;
	int closing;
	bool no_recursion;
	int verbose;
	char where[96];        /* " @SERVER" of a server asked directly, for -vvv */
	struct entry *entries; /* every question asked, answered or not */
};

struct query {
	mc_dns_t *dns;
	mc_dns_addr_cb cb;
	void *arg;
	unsigned port;
	char name[256];
};

static void on_timer(mc_loop_t *loop, void *arg);

/* c-ares wants to be called again after ares_timeout(): keep one timer. */
static void rearm_timer(mc_dns_t *dns)
{
	struct timeval tv, *tvp;

	mc_loop_timer_cancel(dns->loop, dns->timer);
	dns->timer = NULL;
	tvp = ares_timeout(dns->channel, NULL, &tv);
	if (tvp)
		dns->timer = mc_loop_timer(dns->loop, (int64_t)tvp->tv_sec * 1000000 + tvp->tv_usec,
		                           on_timer, dns);
}

static void on_timer(mc_loop_t *loop, void *arg)
{
	mc_dns_t *dns = arg;

	(void)loop;
	dns->timer = NULL;
	ares_process_fd(dns->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	if (!dns->closing)
		rearm_timer(dns);
}

static void on_io(mc_loop_t *loop, int fd, short revents, void *arg)
{
	mc_dns_t *dns = arg;
	ares_socket_t r = ARES_SOCKET_BAD, w = ARES_SOCKET_BAD;

	(void)loop;
	if (revents & (POLLIN | POLLERR | POLLHUP))
		r = fd;
	if (revents & POLLOUT)
		w = fd;
	ares_process_fd(dns->channel, r, w);
	if (!dns->closing)
		rearm_timer(dns);
}

static void on_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	mc_dns_t *dns = data;
	short ev = (short)((readable ? POLLIN : 0) | (writable ? POLLOUT : 0));

	/* A failed registration surfaces as a query timeout. */
	(void)mc_loop_watch(dns->loop, fd, ev, on_io, dns);
}

/* "HOST[:PORT]" -> "HOST:PORT" / "[HOST]:PORT" for ares_set_servers_ports_csv. */
static mc_status_t server_entry(const char *text, char *out, size_t outsz, char *err, size_t errsz)
{
	char host[64];
	const char *port = NULL;
	long portnum = 53;
	mc_addr_t a;
	size_t hl;

	if (text[0] == '[') {
		const char *end = strchr(text, ']');
		if (!end)
			goto bad;
		hl = (size_t)(end - text - 1);
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, text + 1, hl);
		host[hl] = '\0';
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			goto bad;
	} else {
		const char *colon = strchr(text, ':');
		/* Two colons: a bare IPv6 address without a port. */
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;
		hl = colon ? (size_t)(colon - text) : strlen(text);
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, text, hl);
		host[hl] = '\0';
		if (colon)
			port = colon + 1;
	}
	if (port && mc_parse_long(port, 1, 65535, &portnum) != MC_OK)
		goto bad;
	if (mc_addr_parse(host, 0, &a) != MC_OK)
		goto bad;
	if (mc_addr_family(&a) == AF_INET6)
		snprintf(out, outsz, "[%s]:%ld", host, portnum);
	else
		snprintf(out, outsz, "%s:%ld", host, portnum);
	return MC_OK;
bad:
	snprintf(err, errsz,
	         "invalid DNS server '%s' (want an IP address, optionally with :PORT; "
	         "IPv6 with a port as [ADDR]:PORT)",
	         text);
	return MC_E_USAGE;
}

mc_status_t mc_dns_server_check(const char *text, char *err, size_t errsz)
{
	char entry[80];

	return server_entry(text, entry, sizeof(entry), err, errsz);
}

/* "f" files (/etc/hosts), then "b" bind (DNS); c-ares wants it writable. */
static char lookups[] = "fb";

mc_status_t mc_dns_new(mc_loop_t *loop, const mc_dns_params_t *p, mc_dns_t **out, char *err,
                       size_t errsz)
{
	struct ares_options opt;
	int mask, rc;
	mc_dns_t *dns;
	size_t i;

	*out = NULL;
	if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) {
		mc_strlcpy(err, "c-ares initialisation failed", errsz);
		return MC_E_INTERNAL;
	}
	dns = calloc(1, sizeof(*dns));
	if (!dns) {
		mc_strlcpy(err, "out of memory", errsz);
		return MC_E_NOMEM;
	}
	dns->loop = loop;
	dns->no_recursion = p && p->no_recursion;
	dns->verbose = p ? p->verbose : 0;
	if (dns->no_recursion && p->nservers == 1)
		snprintf(dns->where, sizeof(dns->where), " @%s", p->servers[0]);
	memset(&opt, 0, sizeof(opt));
	opt.sock_state_cb = on_sock_state;
	opt.sock_state_cb_data = dns;
	/* No search list: a monitored name is checked as written, and an
	 * NXDOMAIN is not turned into a REFUSED from a search domain. */
	opt.ndomains = 0;
	opt.domains = NULL;
	opt.lookups = lookups;
	/* Hand SERVFAIL and REFUSED to the callback: c-ares 1.18 would retry
	 * and then report "Could not contact DNS servers", hiding that the
	 * resolver did answer. */
	opt.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_EDNS;
	/* The EDNS buffer size of DNS flag day 2020: no fragmentation. */
	opt.ednspsz = 1232;
	mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_DOMAINS | ARES_OPT_LOOKUPS | ARES_OPT_FLAGS |
	       ARES_OPT_EDNSPSZ;
	if (p && p->deadline_ms > 0) {
		/* First round: every server gets an equal part of half the
		 * deadline, between 300 ms and 2 s; later rounds back off. */
		long share = p->deadline_ms / (2 * (long)(p->nservers ? p->nservers : 1));
		opt.timeout = (int)(share < 300 ? 300 : share > 2000 ? 2000 : share);
		opt.tries = 3;
		mask |= ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
	}
	rc = ares_init_options(&dns->channel, &opt, mask);
	if (rc != ARES_SUCCESS) {
		snprintf(err, errsz, "c-ares initialisation failed: %s", ares_strerror(rc));
		free(dns);
		return rc == ARES_ENOMEM ? MC_E_NOMEM : MC_E_INTERNAL;
	}
	if (p && p->nservers) {
		mc_buf_t csv;
		mc_status_t st = MC_OK;

		mc_buf_init(&csv, 1024);
		for (i = 0; i < p->nservers && st == MC_OK; i++) {
			char entry[80];
			st = server_entry(p->servers[i], entry, sizeof(entry), err, errsz);
			if (st == MC_OK)
				st = mc_buf_printf(&csv, "%s%s", i ? "," : "", entry);
		}
		if (st == MC_OK) {
			rc = ares_set_servers_ports_csv(dns->channel, mc_buf_cstr(&csv));
			if (rc != ARES_SUCCESS) {
				snprintf(err, errsz, "cannot use DNS servers %s: %s",
				         mc_buf_cstr(&csv), ares_strerror(rc));
				st = MC_E_USAGE;
			}
		}
		mc_buf_free(&csv);
		if (st != MC_OK) {
			ares_destroy(dns->channel);
			free(dns);
			return st;
		}
	}
	*out = dns;
	return MC_OK;
}

static void free_entries(mc_dns_t *dns);

void mc_dns_free(mc_dns_t *dns)
{
	if (!dns)
		return;
	dns->closing = 1;
	mc_loop_timer_cancel(dns->loop, dns->timer);
	ares_destroy(dns->channel);
	free_entries(dns);
	free(dns);
	ares_library_cleanup();
}

static mc_status_t map_status(int status)
{
	switch (status) {
	case ARES_ENOTFOUND:
	case ARES_ENODATA:
	case ARES_ENONAME: return MC_E_DNS_NOTFOUND;
	case ARES_EBADRESP:
	case ARES_EFORMERR: return MC_E_DNS_MALFORMED;
	case ARES_ENOMEM: return MC_E_NOMEM;
	case ARES_EBADNAME: return MC_E_USAGE;
	default: return MC_E_DNS_TRYAGAIN;
	}
}

/* What a failed lookup means, in the words of DNS rather than c-ares'. */
static const char *reason(int status)
{
	switch (status) {
	case ARES_ENOTFOUND:
	case ARES_ENONAME: return "no such name (NXDOMAIN)";
	case ARES_ENODATA: return "no address";
	case ARES_ESERVFAIL: return "the resolver answered SERVFAIL";
	case ARES_EREFUSED: return "the resolver REFUSED the query";
	case ARES_ETIMEOUT: return "no answer from the resolvers";
	case ARES_ECONNREFUSED: return "the resolvers cannot be reached";
	case ARES_EBADRESP:
	case ARES_EFORMERR: return "malformed answer";
	case ARES_ENOTIMP: return "the resolver does not implement the query (NOTIMP)";
	case ARES_EBADNAME: return "not a valid name";
	default: return ares_strerror(status);
	}
}

static void on_addrinfo(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct query *q = arg;
	mc_addr_t addrs[MAX_ADDRS];
	size_t n = 0;
	char err[512];

	(void)timeouts;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED || q->dns->closing) {
		ares_freeaddrinfo(res);
		free(q);
		return;
	}
	err[0] = '\0';
	if (status == ARES_SUCCESS && res) {
		struct ares_addrinfo_node *nd;
		for (nd = res->nodes; nd && n < MAX_ADDRS; nd = nd->ai_next) {
			size_t i;
			mc_addr_t a;
			if ((nd->ai_family != AF_INET && nd->ai_family != AF_INET6) ||
			    nd->ai_addrlen > sizeof(a.ss))
				continue;
			memset(&a, 0, sizeof(a));
			memcpy(&a.ss, nd->ai_addr, nd->ai_addrlen);
			a.len = (socklen_t)nd->ai_addrlen;
			if (nd->ai_family == AF_INET)
				((struct sockaddr_in *)&a.ss)->sin_port = htons((uint16_t)q->port);
			else
				((struct sockaddr_in6 *)&a.ss)->sin6_port =
				    htons((uint16_t)q->port);
			/* /etc/hosts may list an address twice. */
			for (i = 0; i < n && memcmp(&addrs[i], &a, sizeof(a)); i++)
				;
			if (i == n)
				addrs[n++] = a;
		}
	}
	ares_freeaddrinfo(res);
	if (status == ARES_SUCCESS && n == 0)
		status = ARES_ENODATA;
	if (status != ARES_SUCCESS) {
		snprintf(err, sizeof(err), "cannot resolve %s: %s", q->name, reason(status));
		q->cb(q->arg, map_status(status), NULL, 0, err);
	} else {
		q->cb(q->arg, MC_OK, addrs, n, "");
	}
	free(q);
}

mc_status_t mc_dns_resolve(mc_dns_t *dns, const char *name, int family, unsigned port,
                           mc_dns_addr_cb cb, void *arg)
{
	struct ares_addrinfo_hints hints;
	struct query *q;
	mc_addr_t lit;

	if (mc_addr_parse(name, port, &lit) == MC_OK) {
		if (family != AF_UNSPEC && family != mc_addr_family(&lit)) {
			char err[320];
			snprintf(err, sizeof(err), "address %s is not of the requested family",
			         name);
			cb(arg, MC_E_DNS_NOTFOUND, NULL, 0, err);
			return MC_OK;
		}
		cb(arg, MC_OK, &lit, 1, "");
		return MC_OK;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return MC_E_NOMEM;
	q->dns = dns;
	q->cb = cb;
	q->arg = arg;
	q->port = port;
	mc_strlcpy(q->name, name, sizeof(q->name));
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	/* Keep the resolver's order; sorting would open a socket per address. */
	hints.ai_flags = ARES_AI_NOSORT;
	ares_getaddrinfo(dns->channel, name, NULL, &hints, on_addrinfo, q);
	if (!dns->closing)
		rearm_timer(dns);
	return MC_OK;
}

/* ---- typed questions, answered from the raw message ---- */

struct waiter {
	struct waiter *next;
	struct entry *e;
	mc_dns_query_cb cb;
	void *arg;
	mc_timer_t *timer; /* delivery of an answer already known */
};

struct entry {
	struct entry *next;
	mc_dns_t *dns;
	char name[256];
	uint16_t type;
	bool done;
	int64_t t0;
	struct waiter *waiters;
	mc_dns_msg_t msg;
	mc_dns_answer_t ans;
};

const char *mc_dns_outcome_str(mc_dns_outcome_t o)
{
	switch (o) {
	case MC_DNS_ANSWER: return "answer";
	case MC_DNS_NODATA: return "no data";
	case MC_DNS_NXDOMAIN: return "NXDOMAIN";
	case MC_DNS_SERVFAIL: return "SERVFAIL";
	case MC_DNS_REFUSED: return "REFUSED";
	case MC_DNS_TIMEOUT: return "timeout";
	case MC_DNS_MALFORMED: return "malformed answer";
	}
	return "?";
}

mc_status_t mc_dns_outcome_status(mc_dns_outcome_t o)
{
	switch (o) {
	case MC_DNS_ANSWER: return MC_OK;
	case MC_DNS_NODATA:
	case MC_DNS_NXDOMAIN: return MC_E_DNS_NOTFOUND;
	case MC_DNS_SERVFAIL:
	case MC_DNS_REFUSED: return MC_E_DNS_TRYAGAIN;
	case MC_DNS_TIMEOUT: return MC_E_TIMEOUT;
	case MC_DNS_MALFORMED: break;
	}
	return MC_E_DNS_MALFORMED;
}

static void free_entries(mc_dns_t *dns)
{
	while (dns->entries) {
		struct entry *e = dns->entries;
		dns->entries = e->next;
		while (e->waiters) {
			struct waiter *w = e->waiters;
			e->waiters = w->next;
			mc_loop_timer_cancel(dns->loop, w->timer);
			free(w);
		}
		mc_dns_msg_free(&e->msg);
		free(e);
	}
}

/* The first answer goes to every waiter; one that asks the same question
 * again from its callback joins a fresh list, served from the loop. */
static void deliver(struct entry *e)
{
	struct waiter *w = e->waiters;

	e->waiters = NULL;
	while (w) {
		struct waiter *next = w->next;
		w->cb(w->arg, &e->ans);
		free(w);
		w = next;
	}
}

/* Fill e->ans from the raw answer: the rcode, then the CNAME chain from
 * the name asked, then the records of the type at its end. */
static void classify(struct entry *e, const uint8_t *abuf, size_t alen)
{
	mc_dns_answer_t *a = &e->ans;
	const mc_dns_msg_t *m = &e->msg;
	const char *cur = e->name;
	char why[300], tb[16];
	int hops;
	size_t i;

	if (mc_dns_msg_parse(abuf, alen, &e->msg, why, sizeof(why)) != MC_OK) {
		a->outcome = MC_DNS_MALFORMED;
		snprintf(a->error, sizeof(a->error), "%s %s: malformed answer: %.100s",
		         mc_dns_type_str(e->type, tb, sizeof(tb)), e->name, why);
		return;
	}
	a->msg = m;
	a->ad = (m->flags & MC_DNS_F_AD) != 0;
	a->aa = (m->flags & MC_DNS_F_AA) != 0;
	switch (m->rcode) {
	case MC_DNS_RCODE_NOERROR: break;
	case MC_DNS_RCODE_NXDOMAIN: a->outcome = MC_DNS_NXDOMAIN; break;
	case MC_DNS_RCODE_REFUSED: a->outcome = MC_DNS_REFUSED; break;
	default: a->outcome = MC_DNS_SERVFAIL; break;
	}
	if (a->outcome == MC_DNS_ANSWER &&
	    (!m->qname[0] || !mc_dns_name_eq(m->qname, e->name) || m->qtype != e->type)) {
		a->outcome = MC_DNS_MALFORMED;
		snprintf(a->error, sizeof(a->error),
		         "%s %s: malformed answer: it answers another question",
		         mc_dns_type_str(e->type, tb, sizeof(tb)), e->name);
		return;
	}
	/* RFC 1034 section 3.6.2: an alias has only its CNAME; follow it. */
	for (hops = 0; e->type != MC_DNS_T_CNAME && hops < 16; hops++) {
		const char *next = NULL;
		for (i = 0; i < m->nan && !next; i++)
			if (m->an[i].type == MC_DNS_T_CNAME && mc_dns_name_eq(m->an[i].owner, cur))
				next = m->an[i].name;
		if (!next)
			break;
		cur = next;
		a->canonical = cur;
	}
	for (i = 0; i < m->nan && a->n < MC_DNS_MAX_RRS; i++)
		if (m->an[i].type == e->type && mc_dns_name_eq(m->an[i].owner, cur))
			a->rrs[a->n++] = &m->an[i];
	if (a->outcome == MC_DNS_ANSWER && a->n == 0)
		a->outcome = MC_DNS_NODATA;
	if (a->outcome == MC_DNS_SERVFAIL && m->rcode != MC_DNS_RCODE_SERVFAIL)
		snprintf(a->error, sizeof(a->error), "%s %s: the server answered RCODE %u",
		         mc_dns_type_str(e->type, tb, sizeof(tb)), e->name, m->rcode);
}

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct entry *e = arg;
	mc_dns_answer_t *a = &e->ans;
	char tb[16];

	(void)timeouts;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED || e->dns->closing)
		return; /* freed with the resolver */
	a->latency_us = mc_clock_now_us() - e->t0;
	if (status == ARES_SUCCESS && abuf && alen > 0)
		classify(e, abuf, (size_t)alen);
	else if (status == ARES_ETIMEOUT || status == ARES_ECONNREFUSED)
		a->outcome = MC_DNS_TIMEOUT;
	else if (status == ARES_EBADRESP || status == ARES_EFORMERR)
		a->outcome = MC_DNS_MALFORMED;
	else
		a->outcome = MC_DNS_SERVFAIL;
	if (a->outcome != MC_DNS_ANSWER && !a->error[0]) {
		const char *why;
		switch (a->outcome) {
		case MC_DNS_NODATA: why = "no record of this type"; break;
		case MC_DNS_NXDOMAIN: why = "no such name (NXDOMAIN)"; break;
		case MC_DNS_SERVFAIL: why = "the server answered SERVFAIL"; break;
		case MC_DNS_REFUSED: why = "the server REFUSED the query"; break;
		default: why = reason(status); break;
		}
		snprintf(a->error, sizeof(a->error), "%s %s: %s",
		         mc_dns_type_str(e->type, tb, sizeof(tb)), e->name, why);
	}
	e->done = true;
	if (e->dns->verbose >= 3)
		fprintf(stderr, "DNS%s: %s %s -> %s%s%s, %zu record%s, %.1f ms\n", e->dns->where,
		        mc_dns_type_str(e->type, tb, sizeof(tb)), e->name,
		        mc_dns_outcome_str(a->outcome), a->ad ? ", AD" : "", a->aa ? ", AA" : "",
		        a->n, a->n == 1 ? "" : "s", (double)a->latency_us / 1000);
	deliver(e);
}

static void on_known(mc_loop_t *loop, void *arg)
{
	struct waiter *w = arg, **pp;

	(void)loop;
	w->timer = NULL;
	for (pp = &w->e->waiters; *pp && *pp != w; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = w->next;
	w->cb(w->arg, &w->e->ans);
	free(w);
}

mc_status_t mc_dns_query(mc_dns_t *dns, const char *name, uint16_t type, mc_dns_query_cb cb,
                         void *arg)
{
	struct entry *e;
	struct waiter *w;
	size_t len = strlen(name);
	unsigned char *qbuf = NULL;
	int qlen = 0;

	if (len && name[len - 1] == '.' && len > 1)
		len--;
	if (len == 0 || len > 253)
		return MC_E_USAGE;
	for (e = dns->entries; e; e = e->next)
		if (e->type == type && strlen(e->name) == len && !strncasecmp(e->name, name, len))
			break;
	w = calloc(1, sizeof(*w));
	if (!w)
		return MC_E_NOMEM;
	w->cb = cb;
	w->arg = arg;
	if (e) {
		w->e = e;
		if (e->done) {
			w->timer = mc_loop_timer(dns->loop, 0, on_known, w);
			if (!w->timer) {
				free(w);
				return MC_E_NOMEM;
			}
		}
		w->next = e->waiters;
		e->waiters = w;
		return MC_OK;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		free(w);
		return MC_E_NOMEM;
	}
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->type = type;
	e->dns = dns;
	e->ans.name = e->name;
	e->ans.type = type;
	if (ares_create_query(e->name, 1 /* IN */, type, 0, !dns->no_recursion, &qbuf, &qlen,
	                      1232) != ARES_SUCCESS ||
	    qlen < 12) {
		ares_free_string(qbuf);
		free(e);
		free(w);
		return MC_E_USAGE;
	}
	/* RFC 6840 section 5.7: AD in the question asks for AD in the answer
	 * without the cost of DO (signatures). */
	qbuf[3] |= 0x20;
	w->e = e;
	e->waiters = w;
	e->next = dns->entries;
	dns->entries = e;
	e->t0 = mc_clock_now_us();
	ares_send(dns->channel, qbuf, qlen, on_answer, e);
	ares_free_string(qbuf);
	if (!dns->closing)
		rearm_timer(dns);
	return MC_OK;
}

mc_status_t mc_dns_reverse_name(const mc_addr_t *a, const char *suffix, char *out, size_t outsz)
{
	mc_buf_t b;
	mc_status_t st = MC_OK;
	int i;

	mc_buf_init(&b, outsz);
	if (mc_addr_family(a) == AF_INET) {
		const uint8_t *p = (const uint8_t *)&((const struct sockaddr_in *)&a->ss)->sin_addr;
		for (i = 3; i >= 0 && st == MC_OK; i--)
			st = mc_buf_printf(&b, "%u.", p[i]);
		if (st == MC_OK)
			st = mc_buf_puts(&b, suffix ? suffix : "in-addr.arpa");
	} else {
		const uint8_t *p =
		    (const uint8_t *)&((const struct sockaddr_in6 *)&a->ss)->sin6_addr;
		for (i = 15; i >= 0 && st == MC_OK; i--)
			st = mc_buf_printf(&b, "%x.%x.", p[i] & 0xf, p[i] >> 4);
		if (st == MC_OK)
			st = mc_buf_puts(&b, suffix ? suffix : "ip6.arpa");
	}
	if (st == MC_OK && b.len < outsz)
		memcpy(out, b.data, b.len + 1);
	else
		st = MC_E_LIMIT;
	mc_buf_free(&b);
	return st;
}

bool mc_dns_definite(const mc_dns_answer_t *a)
{
	return a && (a->outcome == MC_DNS_ANSWER || a->outcome == MC_DNS_NODATA ||
	             a->outcome == MC_DNS_NXDOMAIN);
}

bool mc_dns_absent(const mc_dns_answer_t *a)
{
	return a && (a->outcome == MC_DNS_NODATA || a->outcome == MC_DNS_NXDOMAIN);
}

bool mc_dns_is(const mc_dns_answer_t *a, mc_dns_outcome_t o)
{
	return a && a->outcome == o;
}

size_t mc_dns_txt_records(const mc_dns_answer_t *a, const char *prefix, const mc_dns_rr_t **first)
{
	size_t k, n = 0, pl = strlen(prefix);

	*first = NULL;
	for (k = 0; a && k < a->n; k++) {
		const mc_dns_rr_t *rr = a->rrs[k];
		if (rr->type == MC_DNS_T_TXT && rr->len >= pl &&
		    !strncasecmp((const char *)rr->data, prefix, pl) && !n++)
			*first = rr;
	}
	return n;
}

bool mc_dns_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '.')
		n--;
	return n > 0 && n <= 253 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") >=
	           n &&
	       s[0] != '.' && !strstr(s, "..");
}
