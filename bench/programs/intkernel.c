/* intkernel: integer-heavy kernel.
 *
 * Each round runs a sieve of Eratosthenes over a byte array (limit varies a
 * little per round so nothing can be hoisted), then walks the primes mixing
 * them into a 64-bit hash with multiplies, shifts, rotates and a data-dependent
 * branch, and finally runs a Collatz-style integer loop seeded by the hash.
 *
 * argv[1]: number of rounds.
 */
#include "bench_common.h"
#include <string.h>

#define SIEVE_LIMIT 1000000u

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
    return (x << r) | (x >> ((64u - r) & 63u));
}

int main(int argc, char **argv)
{
    long rounds = bench_size(argc, argv, 320, 1000000);
    uint8_t *composite = bench_alloc(SIEVE_LIMIT + 1);
    uint64_t checksum = 0;

    for (long r = 0; r < rounds; r++) {
        uint32_t limit = SIEVE_LIMIT - (uint32_t)(r % 97) * 13u;
        memset(composite, 0, limit + 1);
        composite[0] = composite[1] = 1;
        for (uint32_t i = 2; (uint64_t)i * i <= limit; i++) {
            if (composite[i])
                continue;
            for (uint32_t j = i * i; j <= limit; j += i)
                composite[j] = 1;
        }

        uint64_t h = UINT64_C(0x243f6a8885a308d3) ^ (uint64_t)r;
        uint32_t count = 0;
        for (uint32_t i = 2; i <= limit; i++) {
            if (composite[i])
                continue;
            count++;
            h ^= i;
            h *= UINT64_C(0x100000001b3);
            h = rotl64(h, (unsigned)(i & 31u) + 1u);
            if (h & 1u)
                h += (uint64_t)i * i;
            else
                h ^= h >> 17;
        }

        /* Collatz-style walk: unpredictable branches, pure ALU. */
        uint64_t steps = 0;
        for (uint32_t s = 0; s < 2000; s++) {
            uint64_t x = (h >> (s & 15u)) % 1000003u + s + 1u;
            while (x != 1) {
                x = (x & 1u) ? 3u * x + 1u : x >> 1;
                steps++;
            }
        }

        checksum = bench_mix(checksum, h);
        checksum = bench_mix(checksum, count);
        checksum = bench_mix(checksum, steps);
    }

    free(composite);
    bench_report("intkernel", rounds, checksum);
    return 0;
}
