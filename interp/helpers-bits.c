/*
** helpers-bits.c — the Zbb helpers the spec calls for counting bits: loops in the
** spec language would be longer than the meaning (and the host has instructions).
*/
#include "interp-internal.h"

uint64_t helper_clz(struct InterpCpu *cpu, uint64_t x) { return x ? (uint64_t)__builtin_clzll(x) : 64; }
uint64_t helper_ctz(struct InterpCpu *cpu, uint64_t x) { return x ? (uint64_t)__builtin_ctzll(x) : 64; }
uint64_t helper_cpop(struct InterpCpu *cpu, uint64_t x) { return (uint64_t)__builtin_popcountll(x); }
uint32_t helper_clz32(struct InterpCpu *cpu, uint32_t x) { return x ? (uint32_t)__builtin_clz(x) : 32; }
uint32_t helper_ctz32(struct InterpCpu *cpu, uint32_t x) { return x ? (uint32_t)__builtin_ctz(x) : 32; }
uint32_t helper_cpop32(struct InterpCpu *cpu, uint32_t x) { return (uint32_t)__builtin_popcount(x); }

/* each byte becomes 0xff if any of its bits is set, else 0x00 */
uint64_t helper_orc_b(struct InterpCpu *cpu, uint64_t x)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i += 8)
        if ((x >> i) & 0xff)
            r |= (uint64_t)0xff << i;
    return r;
}
