/* Unit tests: net/mc_net, addresses (parsing, printing with a port) and
 * the asynchronous connect to every address of a name, which fails once
 * naming each address. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop/mc_loop.h"
#include "net/mc_net.h"

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
	    cmocka_unit_test(test_addr_table),
	    cmocka_unit_test(test_connect_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
