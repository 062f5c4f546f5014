/* mc_clock.h - monotonic time in microseconds. */
#ifndef MC_CLOCK_H
#define MC_CLOCK_H

#include <stdint.h>

/* Microseconds on CLOCK_MONOTONIC. Only differences are meaningful. */
int64_t mc_clock_now_us(void);

/* Seconds (as double) between two mc_clock_now_us() readings. */
double mc_clock_secs(int64_t from_us, int64_t to_us);

#endif
