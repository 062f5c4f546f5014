/* Unit tests: the size-class pool that serves OpenSSL's allocations. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/mc_pool.h"

typedef struct {
	size_t ask;
	size_t usable;
} class_case_t;

/* Requests round up to the power-of-two class; past 2 KiB, exact. */
static const class_case_t class_cases[] = {
    {1, 16},      {16, 16},     {17, 32},     {100, 128},     {1024, 1024},
    {1025, 2048}, {2048, 2048}, {2049, 2049}, {70000, 70000},
};

static void test_classes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(class_cases) / sizeof(class_cases[0]); i++) {
		void *p = mc_pool_malloc(class_cases[i].ask);
		print_message("case: %zu bytes\n", class_cases[i].ask);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal(mc_pool_usable(p), class_cases[i].usable);
		memset(p, 0xa5, class_cases[i].ask);
		mc_pool_free(p);
	}
}

static void test_zero_and_null(void **state)
{
	(void)state;
	assert_null(mc_pool_malloc(0));
	mc_pool_free(NULL);
	assert_null(mc_pool_realloc(mc_pool_malloc(10), 0));
	assert_null(mc_pool_malloc(SIZE_MAX));
}

/* A freed block is handed out again for the same class, LIFO. */
static void test_reuse(void **state)
{
	void *a = mc_pool_malloc(40), *b;

	(void)state;
	mc_pool_free(a);
	b = mc_pool_malloc(60);
	assert_ptr_equal(a, b);
	mc_pool_free(b);
}

/* realloc keeps the content across classes and into a large block. */
static void test_grow_keeps_content(void **state)
{
	unsigned char *p = mc_pool_realloc(NULL, 10);
	size_t i, sizes[] = {12, 100, 3000, 100000, 50};

	(void)state;
	for (i = 0; i < 10; i++)
		p[i] = (unsigned char)i;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		p = mc_pool_realloc(p, sizes[s]);
		assert_non_null(p);
		for (i = 0; i < 10; i++)
			assert_int_equal(p[i], i);
	}
	mc_pool_free(p);
}

/* Many blocks of every class, all distinct and writable. */
static void test_many(void **state)
{
	void *p[4000];
	size_t i;

	(void)state;
	for (i = 0; i < 4000; i++) {
		p[i] = mc_pool_malloc(1 + (i * 37) % 2100);
		assert_non_null(p[i]);
		memset(p[i], (int)i, 1 + (i * 37) % 2100);
	}
	for (i = 0; i < 4000; i += 2)
		mc_pool_free(p[i]);
	for (i = 1; i < 4000; i += 2) {
		unsigned char *c = p[i];
		assert_int_equal(c[0], (unsigned char)i);
		mc_pool_free(p[i]);
	}
}

static int child_status(void (*fn)(void))
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return st;
}

static void double_free(void)
{
	void *p = mc_pool_malloc(20);
	mc_pool_free(p);
	mc_pool_free(p);
}

static void foreign_free(void)
{
	static uint64_t junk[8];
	mc_pool_free(&junk[4]);
}

/* Misuse aborts instead of corrupting the free lists. */
static void test_misuse_aborts(void **state)
{
	int st;

	(void)state;
	st = child_status(double_free);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	st = child_status(foreign_free);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classes), cmocka_unit_test(test_zero_and_null),
	    cmocka_unit_test(test_reuse),   cmocka_unit_test(test_grow_keeps_content),
	    cmocka_unit_test(test_many),    cmocka_unit_test(test_misuse_aborts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
