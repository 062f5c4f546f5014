/* Unit tests: addresses, DNS server option, TLS version option, and the
 * event loop's timers and deadline. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dns/mc_dns.h"
#include "loop/mc_loop.h"
#include "net/mc_net.h"
#include "tls/mc_tls.h"
#include "util/mc_clock.h"
#include "util/mc_str.h"

typedef struct {
	const char *in;
	unsigned port;
	mc_status_t want;
	const char *str; /* mc_addr_str_port */
} addr_case_t;

static const addr_case_t addr_cases[] = {
    {"127.0.0.1", 25, MC_OK, "127.0.0.1:25"},
    {"::1", 465, MC_OK, "[::1]:465"},
    {"2001:db8::25", 587, MC_OK, "[2001:db8::25]:587"},
    {"192.0.2.300", 25, MC_E_USAGE, NULL},
    {"mail.test", 25, MC_E_USAGE, NULL},
    {"[::1]", 25, MC_E_USAGE, NULL},
    {"", 25, MC_E_USAGE, NULL},
};

static void test_addr_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(addr_cases) / sizeof(addr_cases[0]); i++) {
		const addr_case_t *c = &addr_cases[i];
		mc_addr_t a;
		char buf[64];

		print_message("case: '%s'\n", c->in);
		assert_int_equal(mc_addr_parse(c->in, c->port, &a), c->want);
		if (c->want == MC_OK) {
			mc_addr_str_port(&a, buf, sizeof(buf));
			assert_string_equal(buf, c->str);
		}
	}
}

typedef struct {
	const char *in;
	mc_status_t want;
} server_case_t;

static const server_case_t server_cases[] = {
    {"127.0.0.1", MC_OK},
    {"127.0.0.1:5353", MC_OK},
    {"::1", MC_OK},
    {"[::1]:53", MC_OK},
    {"[::1]", MC_OK},
    {"2001:db8::53", MC_OK},
    {"ns.example", MC_E_USAGE},
    {"127.0.0.1:0", MC_E_USAGE},
    {"127.0.0.1:65536", MC_E_USAGE},
    {"127.0.0.1:", MC_E_USAGE},
    {"[::1", MC_E_USAGE},
    {"[::1]x", MC_E_USAGE},
    {"", MC_E_USAGE},
    {"127.0.0.1:53x", MC_E_USAGE},
};

static void test_dns_server_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(server_cases) / sizeof(server_cases[0]); i++) {
		char err[256] = "";
		print_message("case: '%s'\n", server_cases[i].in);
		assert_int_equal(mc_dns_server_check(server_cases[i].in, err, sizeof(err)),
		                 server_cases[i].want);
		if (server_cases[i].want != MC_OK)
			assert_non_null(strstr(err, server_cases[i].in));
	}
}

static void test_tls_version(void **state)
{
	int v = 0;

	(void)state;
	assert_int_equal(mc_tls_version_parse("1.2", &v), MC_OK);
	assert_int_equal(v, 0x0303);
	assert_int_equal(mc_tls_version_parse("1.3", &v), MC_OK);
	assert_int_equal(v, 0x0304);
	assert_int_equal(mc_tls_version_parse("1.1", &v), MC_E_USAGE);
	assert_int_equal(mc_tls_version_parse("", &v), MC_E_USAGE);
}

static void test_time_str(void **state)
{
	char buf[40];

	(void)state;
	mc_tls_time_str(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01 00:00:00 UTC");
	mc_tls_time_str(1795392000, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-23 00:00:00 UTC");
}

/* errno text reads as part of a sentence. */
static void test_errno_text(void **state)
{
	char buf[64];

	(void)state;
	mc_str_errno(ECONNREFUSED, buf, sizeof(buf));
	assert_string_equal(buf, "connection refused");
	mc_str_errno(ECONNRESET, buf, sizeof(buf));
	assert_string_equal(buf, "connection reset by peer");
	mc_str_errno(ETIMEDOUT, buf, 8);
	assert_string_equal(buf, "connect");
}

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

struct conn_out {
	mc_status_t st;
	char err[512];
};

static void on_conn(void *arg, mc_status_t st, int fd, const mc_addr_t *addr, const char *err)
{
	struct conn_out *o = arg;

	(void)addr;
	o->st = st;
	strncpy(o->err, err, sizeof(o->err) - 1);
	if (fd >= 0)
		close(fd);
}

/* Every address refused: one failure naming each address. */
static void test_connect_refused(void **state)
{
	mc_loop_t *loop;
	mc_addr_t a[2];
	struct conn_out o = {MC_OK, ""};

	(void)state;
	assert_int_equal(mc_loop_new(&loop), MC_OK);
	/* Port 1 on loopback: nothing listens there. */
	assert_int_equal(mc_addr_parse("127.0.0.1", 1, &a[0]), MC_OK);
	assert_int_equal(mc_addr_parse("127.0.0.2", 1, &a[1]), MC_OK);
	assert_non_null(mc_net_connect(loop, a, 2, 250000, on_conn, &o));
	assert_int_equal(mc_loop_run(loop), MC_OK);
	assert_int_equal(o.st, MC_E_CONNECT);
	assert_non_null(strstr(o.err, "connection refused on 127.0.0.1:1"));
	assert_non_null(strstr(o.err, "127.0.0.2:1"));
	mc_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_addr_table),      cmocka_unit_test(test_dns_server_table),
	    cmocka_unit_test(test_tls_version),     cmocka_unit_test(test_time_str),
	    cmocka_unit_test(test_loop_timers),     cmocka_unit_test(test_loop_deadline),
	    cmocka_unit_test(test_connect_refused), cmocka_unit_test(test_errno_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
