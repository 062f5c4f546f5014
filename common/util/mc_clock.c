#include "mc_clock.h"

#include <time.h>

int64_t mc_clock_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

double mc_clock_secs(int64_t from_us, int64_t to_us)
{
	return (double)(to_us - from_us) / 1e6;
}
