/* Unit tests: loop/mc_loop, the event loop's timers (in time order, a
 * cancelled one never) and its global deadline. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop/mc_loop.h"
#include "util/mc_clock.h"

static void count_cb(mc_loop_t *loop, void *arg)
{
	(void)loop;
	(*(int *)arg)++;
}

/* Timers fire in time order, a cancelled one never, and run() returns when
 * nothing is left. */
static void test_loop_timers(void **state)
{
	mc_loop_t *loop;
	int a = 0, b = 0;
	mc_timer_t *t;
	int64_t t0 = mc_clock_now_us();

	(void)state;
	assert_int_equal(mc_loop_new(&loop), MC_OK);
	assert_non_null(mc_loop_timer(loop, 20000, count_cb, &a));
	t = mc_loop_timer(loop, 10000, count_cb, &b);
	assert_non_null(t);
	mc_loop_timer_cancel(loop, t);
	assert_int_equal(mc_loop_run(loop), MC_OK);
	assert_int_equal(a, 1);
	assert_int_equal(b, 0);
	assert_true(mc_clock_now_us() - t0 >= 20000);
	mc_loop_free(loop);
}

static void never_cb(mc_loop_t *loop, int fd, short revents, void *arg)
{
	(void)loop;
	(void)fd;
	(void)revents;
	(*(int *)arg)++;
}

/* A watch that never fires cannot hold run() past the deadline. */
static void test_loop_deadline(void **state)
{
	mc_loop_t *loop;
	int fds[2], fired = 0;
	int64_t t0 = mc_clock_now_us(), el;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(mc_loop_new(&loop), MC_OK);
	assert_int_equal(mc_loop_watch(loop, fds[0], POLLIN, never_cb, &fired), MC_OK);
	mc_loop_set_deadline(loop, t0 + 50000);
	assert_int_equal(mc_loop_run(loop), MC_E_TIMEOUT);
	el = mc_clock_now_us() - t0;
	assert_true(el >= 50000);
	assert_true(el < 500000);
	assert_int_equal(fired, 0);
	mc_loop_free(loop);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_loop_timers),
	    cmocka_unit_test(test_loop_deadline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
