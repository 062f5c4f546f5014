/* mc_loop.h - the one poll() event loop: file descriptors, one-shot timers
 * and a deadline for the whole run. Every wait of the program goes through
 * it, so nothing can block past the deadline. */
#ifndef MC_LOOP_H
#define MC_LOOP_H

#include <poll.h>
#include <stdint.h>

#include "util/mc_status.h"

typedef struct mc_loop mc_loop_t;
typedef struct mc_timer mc_timer_t;

/* revents as poll() reports them (POLLIN, POLLOUT, POLLERR, POLLHUP). */
typedef void (*mc_io_cb)(mc_loop_t *loop, int fd, short revents, void *arg);
typedef void (*mc_timer_cb)(mc_loop_t *loop, void *arg);

/* A new loop; *out is NULL on failure (MC_E_NOMEM). */
mc_status_t mc_loop_new(mc_loop_t **out);
/* Free the loop and cancel its timers. File descriptors are not closed. */
void mc_loop_free(mc_loop_t *loop);

/* Watch fd for events (POLLIN and/or POLLOUT), replacing any earlier watch
 * of the same fd. events == 0 removes the watch. Callbacks may add, change
 * or remove watches and timers, including their own. */
mc_status_t mc_loop_watch(mc_loop_t *loop, int fd, short events, mc_io_cb cb, void *arg);
/* Remove the watch of fd, if any. Call before closing fd. */
void mc_loop_unwatch(mc_loop_t *loop, int fd);

/* A one-shot timer firing delay_us from now. NULL on out of memory. The
 * handle is valid until the timer fires or is cancelled. */
mc_timer_t *mc_loop_timer(mc_loop_t *loop, int64_t delay_us, mc_timer_cb cb, void *arg);
/* Cancel a pending timer (NULL is ignored). */
void mc_loop_timer_cancel(mc_loop_t *loop, mc_timer_t *t);

/* Absolute deadline on the mc_clock_now_us() clock; 0 = none. */
void mc_loop_set_deadline(mc_loop_t *loop, int64_t deadline_us);

/* Dispatch events until no watch and no timer is left (MC_OK), until
 * mc_loop_break() (MC_OK), or until the deadline passes (MC_E_TIMEOUT; the
 * watches stay registered for the caller to inspect and clean up).
 * MC_E_IO if poll() fails. */
mc_status_t mc_loop_run(mc_loop_t *loop);
/* Make mc_loop_run() return after the current callback. */
void mc_loop_break(mc_loop_t *loop);

#endif
