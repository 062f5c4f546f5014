#include "mc_loop.h"

#include <errno.h>
#include <stdlib.h>

#include "util/mc_clock.h"

struct watch {
	int fd;
	short events;
	mc_io_cb cb;
	void *arg;
	unsigned serial; /* changes on every (re)registration */
};

struct mc_timer {
	int64_t when;
	mc_timer_cb cb;
	void *arg;
	mc_timer_t *next;
};

struct mc_loop {
	struct watch *w;
	size_t nw, capw;
	struct pollfd *pfd;
	unsigned *pserial;
	size_t cappfd;
	mc_timer_t *timers; /* unsorted list: a run has a handful */
	int64_t deadline;
	unsigned serial;
	int stop;
};

mc_status_t mc_loop_new(mc_loop_t **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? MC_OK : MC_E_NOMEM;
}

void mc_loop_free(mc_loop_t *loop)
{
	mc_timer_t *t, *n;

	if (!loop)
		return;
	for (t = loop->timers; t; t = n) {
		n = t->next;
		free(t);
	}
	free(loop->w);
	free(loop->pfd);
	free(loop->pserial);
	free(loop);
}

static struct watch *find(mc_loop_t *loop, int fd)
{
	size_t i;

	for (i = 0; i < loop->nw; i++)
		if (loop->w[i].fd == fd)
			return &loop->w[i];
	return NULL;
}

void mc_loop_unwatch(mc_loop_t *loop, int fd)
{
	struct watch *w = find(loop, fd);

	if (w)
		*w = loop->w[--loop->nw];
}

mc_status_t mc_loop_watch(mc_loop_t *loop, int fd, short events, mc_io_cb cb, void *arg)
{
	struct watch *w;

	if (!events) {
		mc_loop_unwatch(loop, fd);
		return MC_OK;
	}
	w = find(loop, fd);
	if (!w) {
		if (loop->nw == loop->capw) {
			size_t cap = loop->capw ? loop->capw * 2 : 8;
			struct watch *p = realloc(loop->w, cap * sizeof(*p));
			if (!p)
				return MC_E_NOMEM;
			loop->w = p;
			loop->capw = cap;
		}
		w = &loop->w[loop->nw++];
		w->fd = fd;
	}
	w->events = events;
	w->cb = cb;
	w->arg = arg;
	w->serial = ++loop->serial;
	return MC_OK;
}

mc_timer_t *mc_loop_timer(mc_loop_t *loop, int64_t delay_us, mc_timer_cb cb, void *arg)
{
	mc_timer_t *t = malloc(sizeof(*t));

	if (!t)
		return NULL;
	t->when = mc_clock_now_us() + (delay_us > 0 ? delay_us : 0);
	t->cb = cb;
	t->arg = arg;
	t->next = loop->timers;
	loop->timers = t;
	return t;
}

void mc_loop_timer_cancel(mc_loop_t *loop, mc_timer_t *t)
{
	mc_timer_t **pp;

	for (pp = &loop->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			free(t);
			return;
		}
	}
}

void mc_loop_set_deadline(mc_loop_t *loop, int64_t deadline_us)
{
	loop->deadline = deadline_us;
}

void mc_loop_break(mc_loop_t *loop)
{
	loop->stop = 1;
}

/* Fire every timer that is due; returns the earliest pending time or -1. */
static int64_t run_timers(mc_loop_t *loop, int64_t now)
{
	mc_timer_t **pp, *t;
	int64_t next = -1;

	for (pp = &loop->timers; *pp && !loop->stop;) {
		t = *pp;
		if (t->when <= now) {
			mc_timer_cb cb = t->cb;
			void *arg = t->arg;
			*pp = t->next;
			free(t);
			cb(loop, arg);
			/* The callback may have changed the list: restart the scan. */
			pp = &loop->timers;
			now = mc_clock_now_us();
			next = -1;
			continue;
		}
		if (next < 0 || t->when < next)
			next = t->when;
		pp = &t->next;
	}
	return next;
}

static mc_status_t snapshot(mc_loop_t *loop)
{
	size_t i;

	if (loop->nw > loop->cappfd) {
		struct pollfd *p = realloc(loop->pfd, loop->nw * sizeof(*p));
		unsigned *s;
		if (!p)
			return MC_E_NOMEM;
		loop->pfd = p;
		s = realloc(loop->pserial, loop->nw * sizeof(*s));
		if (!s)
			return MC_E_NOMEM;
		loop->pserial = s;
		loop->cappfd = loop->nw;
	}
	for (i = 0; i < loop->nw; i++) {
		loop->pfd[i].fd = loop->w[i].fd;
		loop->pfd[i].events = loop->w[i].events;
		loop->pfd[i].revents = 0;
		loop->pserial[i] = loop->w[i].serial;
	}
	return MC_OK;
}

mc_status_t mc_loop_run(mc_loop_t *loop)
{
	loop->stop = 0;
	for (;;) {
		int64_t now = mc_clock_now_us(), next, wait_us;
		size_t i, n;
		int timeout_ms, rc;
		mc_status_t st;

		if (loop->deadline && now >= loop->deadline)
			return MC_E_TIMEOUT;
		next = run_timers(loop, now);
		if (loop->stop)
			return MC_OK;
		if (loop->nw == 0 && !loop->timers)
			return MC_OK;
		now = mc_clock_now_us();
		wait_us = -1;
		if (next >= 0)
			wait_us = next > now ? next - now : 0;
		if (loop->deadline) {
			int64_t left = loop->deadline > now ? loop->deadline - now : 0;
			if (wait_us < 0 || left < wait_us)
				wait_us = left;
		}
		/* Round up so a timer is never polled for early in a busy loop. */
		timeout_ms = wait_us < 0 ? -1 : (int)((wait_us + 999) / 1000);
		st = snapshot(loop);
		if (st != MC_OK)
			return st;
		n = loop->nw;
		rc = poll(loop->pfd, (nfds_t)n, timeout_ms);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			return MC_E_IO;
		}
		for (i = 0; i < n && rc > 0 && !loop->stop; i++) {
			struct pollfd p = loop->pfd[i];
			struct watch *w;
			if (!p.revents)
				continue;
			rc--;
			/* Skip watches removed or replaced by an earlier callback. */
			w = find(loop, p.fd);
			if (!w || w->serial != loop->pserial[i])
				continue;
			w->cb(loop, p.fd, p.revents, w->arg);
		}
		if (loop->stop)
			return MC_OK;
	}
}
