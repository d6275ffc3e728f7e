/* Shared helpers for the tiercel guest test programs (riscv64, built with
 * riscv64-linux-gnu-gcc -static -O2). Output must be deterministic: print
 * values as hex bit patterns, never addresses or timings. */
#ifndef TIERCEL_GUEST_H
#define TIERCEL_GUEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

typedef uint64_t u64;
typedef int64_t i64;
typedef uint32_t u32;
typedef int32_t i32;

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* rd = op rs1, rs2 */
#define RR(op, a, b)                                                        \
    ({                                                                      \
        u64 r_;                                                             \
        __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"((u64)(a)), "r"((u64)(b))); \
        r_;                                                                 \
    })

/* rd = op rs1, imm */
#define RI(op, a, imm)                                                      \
    ({                                                                      \
        u64 r_;                                                             \
        __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"((u64)(a)), "i"(imm)); \
        r_;                                                                 \
    })

/* rd = op rs1 */
#define R1(op, a)                                                           \
    ({                                                                      \
        u64 r_;                                                             \
        __asm__ volatile(op " %0, %1" : "=r"(r_) : "r"((u64)(a)));          \
        r_;                                                                 \
    })

static inline void print_rr(const char *op, u64 a, u64 b, u64 r)
{
    printf("%-8s %016" PRIx64 " %016" PRIx64 " -> %016" PRIx64 "\n", op, a, b, r);
}

static inline void print_ri(const char *op, u64 a, long imm, u64 r)
{
    printf("%-8s %016" PRIx64 " %6ld -> %016" PRIx64 "\n", op, a, imm, r);
}

static inline void print_r1(const char *op, u64 a, u64 r)
{
    printf("%-8s %016" PRIx64 " -> %016" PRIx64 "\n", op, a, r);
}

#endif
