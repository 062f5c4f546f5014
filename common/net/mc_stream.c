#include "mc_stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/mc_str.h"

struct mc_stream {
	mc_loop_t *loop;
	int fd;
	mc_buf_t rbuf, wbuf;
	const mc_transport_ops_t *ops;
	void *ctx;
	mc_stream_cb cb;
	void *arg;
	bool reading, paused, dead;
	short read_want, write_want; /* what the transport waits for */
	mc_status_t st;
	char err[256];
	mc_timer_t *kick; /* reads bytes the transport holds, from the loop */
};

static ssize_t plain_read(void *ctx, void *buf, size_t n, short *want, mc_status_t *st, char *err,
                          size_t errsz)
{
	ssize_t r = recv(*(int *)ctx, buf, n, 0);

	*want = 0;
	if (r >= 0)
		return r;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
		*want = POLLIN;
		return -1;
	}
	*st = errno == ECONNRESET ? MC_E_CLOSED : MC_E_IO;
	mc_str_errno(errno, err, errsz);
	return -1;
}

static ssize_t plain_write(void *ctx, const void *buf, size_t n, short *want, mc_status_t *st,
                           char *err, size_t errsz)
{
	ssize_t r = send(*(int *)ctx, buf, n, MSG_NOSIGNAL);

	*want = 0;
	if (r >= 0)
		return r;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
		*want = POLLOUT;
		return -1;
	}
	*st = (errno == ECONNRESET || errno == EPIPE) ? MC_E_CLOSED : MC_E_IO;
	mc_str_errno(errno, err, errsz);
	return -1;
}

static const mc_transport_ops_t plain_ops = {plain_read, plain_write, NULL, NULL};

static void on_io(mc_loop_t *loop, int fd, short revents, void *arg);

/* Register with the loop for what reading and writing currently wait on. */
static void rearm(mc_stream_t *s)
{
	short ev = 0;

	if (s->paused || s->dead) {
		mc_loop_unwatch(s->loop, s->fd);
		return;
	}
	if (s->reading && s->rbuf.len < s->rbuf.max)
		ev |= s->read_want ? s->read_want : POLLIN;
	if (s->wbuf.len)
		ev |= s->write_want ? s->write_want : POLLOUT;
	if (mc_loop_watch(s->loop, s->fd, ev, on_io, s) != MC_OK) {
		s->dead = true;
		s->st = MC_E_NOMEM;
		mc_strlcpy(s->err, "out of memory", sizeof(s->err));
	}
}

static void fail(mc_stream_t *s)
{
	s->dead = true;
	mc_loop_unwatch(s->loop, s->fd);
	s->cb(s, MC_STREAM_ERROR, s->arg);
}

/* Send what is queued; false if the stream failed (event delivered). */
static bool flush(mc_stream_t *s)
{
	while (s->wbuf.len) {
		short want = 0;
		ssize_t r = s->ops->write(s->ctx, s->wbuf.data, s->wbuf.len, &want, &s->st, s->err,
		                          sizeof(s->err));
		if (r > 0) {
			mc_buf_consume(&s->wbuf, (size_t)r);
			continue;
		}
		if (want) {
			s->write_want = want;
			return true;
		}
		fail(s);
		return false;
	}
	s->write_want = 0;
	return true;
}

/* Write what is queued, read what is there, deliver. kicked: called from
 * the loop for bytes already buffered, which are delivered even if nothing
 * new arrives. */
static void service(mc_stream_t *s, bool kicked)
{
	if (s->wbuf.len && !flush(s))
		return;
	if (s->reading) {
		bool got = kicked && s->rbuf.len;
		/* Drain what the transport has: TLS may hold decrypted bytes
		 * that poll() cannot see. A close or failure right after data is
		 * seen again on the next round (the socket stays readable), so
		 * the data is delivered first. The callback may free the
		 * stream: nothing touches s after it. */
		while (s->rbuf.len < s->rbuf.max) {
			char tmp[16384];
			size_t room = s->rbuf.max - s->rbuf.len;
			short want = 0;
			ssize_t r =
			    s->ops->read(s->ctx, tmp, room < sizeof(tmp) ? room : sizeof(tmp),
			                 &want, &s->st, s->err, sizeof(s->err));
			if (r > 0) {
				s->read_want = 0;
				if (mc_buf_append(&s->rbuf, tmp, (size_t)r) != MC_OK) {
					s->st = MC_E_NOMEM;
					mc_strlcpy(s->err, "out of memory", sizeof(s->err));
					fail(s);
					return;
				}
				got = true;
				continue;
			}
			if (got)
				break;
			if (r == 0) {
				s->dead = true;
				mc_loop_unwatch(s->loop, s->fd);
				s->cb(s, MC_STREAM_EOF, s->arg);
				return;
			}
			if (!want) {
				fail(s);
				return;
			}
			s->read_want = want;
			break;
		}
		if (got) {
			rearm(s);
			s->cb(s, MC_STREAM_DATA, s->arg);
			return;
		}
	}
	rearm(s);
}

mc_stream_t *mc_stream_new(mc_loop_t *loop, int fd, size_t rbuf_max, mc_stream_cb cb, void *arg)
{
	mc_stream_t *s = calloc(1, sizeof(*s));

	if (!s) {
		close(fd);
		return NULL;
	}
	s->loop = loop;
	s->fd = fd;
	mc_buf_init(&s->rbuf, rbuf_max);
	mc_buf_init(&s->wbuf, 1 << 20);
	s->ops = &plain_ops;
	s->ctx = &s->fd;
	s->cb = cb;
	s->arg = arg;
	return s;
}

void mc_stream_free(mc_stream_t *s)
{
	if (!s)
		return;
	mc_loop_timer_cancel(s->loop, s->kick);
	mc_loop_unwatch(s->loop, s->fd);
	if (s->ops->free)
		s->ops->free(s->ctx);
	close(s->fd);
	mc_buf_free(&s->rbuf);
	mc_buf_free(&s->wbuf);
	free(s);
}

static void on_io(mc_loop_t *loop, int fd, short revents, void *arg)
{
	(void)loop;
	(void)fd;
	(void)revents;
	service(arg, false);
}

static void on_kick(mc_loop_t *loop, void *arg)
{
	mc_stream_t *s = arg;

	(void)loop;
	s->kick = NULL;
	if (!s->paused && !s->dead)
		service(s, true);
}

void mc_stream_read(mc_stream_t *s, bool on)
{
	s->reading = on;
	rearm(s);
	/* poll() will not fire for bytes already read, or held inside the
	 * transport (TLS): deliver them from the loop, never from inside this
	 * call, so a reader that asks for more in its callback does not
	 * recurse once per buffered reply. */
	if (on && !s->paused && !s->dead && !s->kick &&
	    (s->rbuf.len || (s->ops->pending && s->ops->pending(s->ctx))))
		s->kick = mc_loop_timer(s->loop, 0, on_kick, s);
}

mc_status_t mc_stream_write(mc_stream_t *s, const void *p, size_t n)
{
	mc_status_t st;

	if (s->dead)
		return s->st ? s->st : MC_E_CLOSED;
	st = mc_buf_append(&s->wbuf, p, n);
	if (st != MC_OK)
		return st;
	if (!s->paused && flush(s))
		rearm(s);
	return MC_OK;
}

mc_buf_t *mc_stream_rbuf(mc_stream_t *s)
{
	return &s->rbuf;
}

bool mc_stream_pending(const mc_stream_t *s)
{
	return s->wbuf.len > 0;
}

void mc_stream_pause(mc_stream_t *s)
{
	s->paused = true;
	rearm(s);
}

void mc_stream_resume(mc_stream_t *s)
{
	s->paused = false;
	s->read_want = 0;
	s->write_want = 0;
	rearm(s);
}

void mc_stream_set_transport(mc_stream_t *s, const mc_transport_ops_t *ops, void *ctx)
{
	if (s->ops->free)
		s->ops->free(s->ctx);
	s->ops = ops;
	s->ctx = ctx;
}

int mc_stream_fd(const mc_stream_t *s)
{
	return s->fd;
}

mc_loop_t *mc_stream_loop(const mc_stream_t *s)
{
	return s->loop;
}

mc_status_t mc_stream_status(const mc_stream_t *s)
{
	return s->st;
}

const char *mc_stream_error(const mc_stream_t *s)
{
	return s->err;
}
