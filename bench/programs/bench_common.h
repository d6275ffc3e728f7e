/* Shared helpers for the tiercel CPU benchmarks.
 *
 * Every benchmark:
 *   - takes an optional work size in argv[1] (a positive integer),
 *   - needs no input files,
 *   - prints exactly one line "NAME size=N checksum=HEX" on stdout,
 *   - produces the same line natively (x86-64) and under riscv64.
 *
 * Portability rules followed by all programs (so native and riscv64 agree):
 *   - only unsigned arithmetic where wrap-around can happen (no signed overflow),
 *   - no plain `char` arithmetic (char is signed on x86-64, unsigned on riscv64),
 *   - no libm calls; floating point is only +,-,*,/ built with -ffp-contract=off,
 *   - no dependence on pointer values, time, or uninitialised memory.
 */
#ifndef TIERCEL_BENCH_COMMON_H
#define TIERCEL_BENCH_COMMON_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* splitmix64: small, fast, fully specified pseudo-random generator. */
static inline uint64_t bench_rand(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Mix a value into a running 64-bit hash (order-sensitive). */
static inline uint64_t bench_mix(uint64_t h, uint64_t v)
{
    h ^= v + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
    h *= UINT64_C(0xff51afd7ed558ccd);
    return h ^ (h >> 33);
}

/* Parse argv[1] as the work size, or return def.  Exits on bad input. */
static inline long bench_size(int argc, char **argv, long def, long max)
{
    if (argc < 2)
        return def;
    char *end = NULL;
    long v = strtol(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || v <= 0 || v > max) {
        fprintf(stderr, "%s: work size must be an integer in 1..%ld\n",
                argv[0], max);
        exit(2);
    }
    return v;
}

static inline void *bench_alloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    if (!p) {
        fprintf(stderr, "out of memory (%zu bytes)\n", bytes);
        exit(3);
    }
    return p;
}

static inline void bench_report(const char *name, long size, uint64_t checksum)
{
    printf("%s size=%ld checksum=%016" PRIx64 "\n", name, size, checksum);
}

#endif
