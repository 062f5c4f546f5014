#include "mc_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/mc_buf.h"
#include "util/mc_str.h"

void mc_addr_str(const mc_addr_t *a, char *buf, size_t bufsz)
{
	const void *src = NULL;

	if (a->ss.ss_family == AF_INET)
		src = &((const struct sockaddr_in *)&a->ss)->sin_addr;
	else if (a->ss.ss_family == AF_INET6)
		src = &((const struct sockaddr_in6 *)&a->ss)->sin6_addr;
	if (!src || !inet_ntop(a->ss.ss_family, src, buf, (socklen_t)bufsz))
		mc_strlcpy(buf, "?", bufsz);
}

static unsigned addr_port(const mc_addr_t *a)
{
	if (a->ss.ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
}

void mc_addr_str_port(const mc_addr_t *a, char *buf, size_t bufsz)
{
	char ip[MC_ADDR_STRLEN];

	mc_addr_str(a, ip, sizeof(ip));
	if (a->ss.ss_family == AF_INET6)
		snprintf(buf, bufsz, "[%s]:%u", ip, addr_port(a));
	else
		snprintf(buf, bufsz, "%s:%u", ip, addr_port(a));
}

mc_status_t mc_addr_parse(const char *text, unsigned port, mc_addr_t *out)
{
	memset(out, 0, sizeof(*out));
	{
		struct sockaddr_in *s4 = (struct sockaddr_in *)&out->ss;
		if (inet_pton(AF_INET, text, &s4->sin_addr) == 1) {
			s4->sin_family = AF_INET;
			s4->sin_port = htons((uint16_t)port);
			out->len = sizeof(*s4);
			return MC_OK;
		}
	}
	{
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->ss;
		if (inet_pton(AF_INET6, text, &s6->sin6_addr) == 1) {
			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons((uint16_t)port);
			out->len = sizeof(*s6);
			return MC_OK;
		}
	}
	return MC_E_USAGE;
}

int mc_addr_family(const mc_addr_t *a)
{
	return a->ss.ss_family;
}

struct attempt {
	int fd; /* -1 when not started or finished */
	int err;
};

struct mc_connect {
	mc_loop_t *loop;
	mc_addr_t *addrs;
	struct attempt *att;
	size_t n, next, failed;
	int64_t stagger;
	mc_timer_t *timer;
	mc_connect_cb cb;
	void *arg;
};

static void start_next(mc_connect_t *c);

static void finish(mc_connect_t *c, size_t winner)
{
	size_t i;
	int fd = -1;
	char err[512];
	mc_status_t st = MC_E_CONNECT;
	mc_buf_t b;

	mc_loop_timer_cancel(c->loop, c->timer);
	c->timer = NULL;
	for (i = 0; i < c->n; i++) {
		if (c->att[i].fd < 0)
			continue;
		mc_loop_unwatch(c->loop, c->att[i].fd);
		if (i == winner)
			fd = c->att[i].fd;
		else
			close(c->att[i].fd);
		c->att[i].fd = -1;
	}
	err[0] = '\0';
	if (fd < 0) {
		/* Name each address with its reason, so "refused on ::1,
		 * unreachable on 192.0.2.1" is one line. */
		mc_buf_init(&b, sizeof(err) - 1);
		for (i = 0; i < c->n; i++) {
			char a[MC_ADDR_STRLEN + 8], why[128];
			mc_addr_str_port(&c->addrs[i], a, sizeof(a));
			if (c->att[i].err)
				mc_str_errno(c->att[i].err, why, sizeof(why));
			else
				mc_strlcpy(why, "not tried", sizeof(why));
			mc_buf_printf(&b, "%s%s on %s", i ? ", " : "", why, a);
		}
		mc_strlcpy(err, mc_buf_cstr(&b), sizeof(err));
		mc_buf_free(&b);
	} else {
		st = MC_OK;
	}
	c->cb(c->arg, st, fd, fd >= 0 ? &c->addrs[winner] : NULL, err);
	free(c->addrs);
	free(c->att);
	free(c);
}

static void on_writable(mc_loop_t *loop, int fd, short revents, void *arg)
{
	mc_connect_t *c = arg;
	size_t i;
	int err = 0;
	socklen_t len = sizeof(err);

	(void)loop;
	(void)revents;
	for (i = 0; i < c->n && c->att[i].fd != fd; i++)
		;
	if (i == c->n)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == 0) {
		finish(c, i);
		return;
	}
	mc_loop_unwatch(c->loop, fd);
	close(fd);
	c->att[i].fd = -1;
	c->att[i].err = err;
	c->failed++;
	if (c->failed == c->n) {
		finish(c, c->n);
		return;
	}
	/* A failure starts the next attempt at once. */
	if (c->next < c->n)
		start_next(c);
}

static void on_stagger(mc_loop_t *loop, void *arg)
{
	mc_connect_t *c = arg;

	(void)loop;
	c->timer = NULL;
	start_next(c);
}

static void start_next(mc_connect_t *c)
{
	while (c->next < c->n) {
		size_t i = c->next++;
		const mc_addr_t *a = &c->addrs[i];
		int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		int rc;

		if (fd < 0) {
			c->att[i].err = errno;
			c->failed++;
			continue;
		}
		rc = connect(fd, (const struct sockaddr *)&a->ss, a->len);
		if (rc < 0 && errno != EINPROGRESS) {
			c->att[i].err = errno;
			c->failed++;
			close(fd);
			continue;
		}
		c->att[i].fd = fd;
		if (mc_loop_watch(c->loop, fd, POLLOUT, on_writable, c) != MC_OK) {
			close(fd);
			c->att[i].fd = -1;
			c->att[i].err = ENOMEM;
			c->failed++;
			continue;
		}
		mc_loop_timer_cancel(c->loop, c->timer);
		c->timer = NULL;
		if (c->stagger > 0 && c->next < c->n)
			c->timer = mc_loop_timer(c->loop, c->stagger, on_stagger, c);
		return;
	}
	if (c->failed == c->n)
		finish(c, c->n);
}

mc_connect_t *mc_net_connect(mc_loop_t *loop, const mc_addr_t *addrs, size_t n, int64_t stagger_us,
                             mc_connect_cb cb, void *arg)
{
	mc_connect_t *c = calloc(1, sizeof(*c));
	size_t i;

	if (!c || n == 0)
		goto fail;
	c->addrs = malloc(n * sizeof(*addrs));
	c->att = calloc(n, sizeof(*c->att));
	if (!c->addrs || !c->att)
		goto fail;
	memcpy(c->addrs, addrs, n * sizeof(*addrs));
	for (i = 0; i < n; i++)
		c->att[i].fd = -1;
	c->loop = loop;
	c->n = n;
	c->stagger = stagger_us;
	c->cb = cb;
	c->arg = arg;
	/* Even an immediate failure is reported from the loop, never from
	 * inside this call, so callers see one code path. */
	c->timer = mc_loop_timer(loop, 0, on_stagger, c);
	if (!c->timer)
		goto fail;
	return c;
fail:
	if (c) {
		free(c->addrs);
		free(c->att);
	}
	free(c);
	return NULL;
}

void mc_net_connect_cancel(mc_connect_t *c)
{
	size_t i;

	if (!c)
		return;
	mc_loop_timer_cancel(c->loop, c->timer);
	for (i = 0; i < c->n; i++) {
		if (c->att[i].fd >= 0) {
			mc_loop_unwatch(c->loop, c->att[i].fd);
			close(c->att[i].fd);
		}
	}
	free(c->addrs);
	free(c->att);
	free(c);
}
