/*
** host-fp.h — the shortcut through the host FPU that the FP helpers take
** (interp/helpers.c), in a header because the interpreter's handlers and tier 1's
** stencils (jit/stencils.c) inline it and call the helper only when it does not apply.
**
** x86-64 SSE arithmetic is IEEE 754, and its exception flags (MXCSR) are RISC-V's: an
** underflow is tiny after rounding and, masked, inexact too, on both; invalid, division by
** zero, overflow and inexact mean the same. So add, sub, mul, div, sqrt and fma in round
** to nearest even (the host's mode, never changed) run on the host, and the flags they
** raise stay in MXCSR, accrued there for the guest: `interp_fp_fold` (host-fp.c) moves
** them into cpu->fflags wherever fflags is read or the loop hands the thread to other
** code. Only a NaN result differs (RISC-V gives the canonical NaN, x86 a payload of an
** operand): it goes to softfloat, whose flags for it are the host's too. Another rounding
** mode goes to softfloat before the host computes anything.
**
** The compilers must not move, merge or drop an operation whose flags count: empty volatile
** asms take the operands (nothing is computed before the test of rm, nor folded from known
** operands) and the result (computed even when the guest overwrites it unread). Hosts other
** than x86-64 take softfloat always.
*/
#ifndef host_fp_h
#define host_fp_h

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "interp.h"
#include "softfloat.h"

typedef double host_f64;
typedef float host_f32;

static inline double as_f64(uint64_t v) { double d; memcpy(&d, &v, 8); return d; }
static inline uint64_t f64_bits(double d) { uint64_t v; memcpy(&v, &d, 8); return v; }
static inline float as_f32(uint32_t v) { float f; memcpy(&f, &v, 4); return f; }
static inline uint32_t f32_bits(float f) { uint32_t v; memcpy(&v, &f, 4); return v; }

#if defined(__x86_64__)
#define HOST_FP_OPAQUE(...) __asm__ volatile("" : __VA_ARGS__)
/* host_fW_OP(&x, &y, [&z,] rm, &result): true, with the host's result, when the shortcut
   applies. The operands are in-out: the asm that makes them opaque gives them back, and a
   caller whose slow way reads those (tier 2's helpers) lets their old values die there, so
   that a value carried by a loop (matmul's sum) needs no copy to outlive the asm. */
#define HOST_FP_TRY(W, expr, ...)                                                 \
    do {                                                                          \
        if (rm != SF_RNE)                                                         \
            return false;                                                         \
        HOST_FP_OPAQUE(__VA_ARGS__);                                              \
        host_f##W r_ = (expr);                                                    \
        HOST_FP_OPAQUE("+x"(r_));                                                 \
        *out = r_;                                                                \
        return r_ == r_;   /* not a NaN */                                        \
    } while (0)
#else
#define HOST_FP_TRY(W, expr, ...) do { (void)sizeof(expr), (void)rm, (void)out; return false; } while (0)
#endif
#define HOST_FP_BINARY(W, op, expr)                                                                 \
    static inline bool host_f##W##_##op(host_f##W *x, host_f##W *y, uint8_t rm, host_f##W *out)   \
    {                                                                                               \
        HOST_FP_TRY(W, expr, "+x"(*x), "+x"(*y));                                                   \
    }                                                                                               \
    /* on bit patterns, the operands its own (the interpreter and tier 1) */                        \
    static inline bool host_f##W##_##op##_bits(uint##W##_t a, uint##W##_t b, uint8_t rm, host_f##W *out) \
    {                                                                                               \
        host_f##W x = as_f##W(a), y = as_f##W(b);                                                   \
        return host_f##W##_##op(&x, &y, rm, out);                                                   \
    }
HOST_FP_BINARY(32, add, *x + *y)
HOST_FP_BINARY(32, sub, *x - *y)
HOST_FP_BINARY(32, mul, *x * *y)
HOST_FP_BINARY(32, div, *x / *y)
HOST_FP_BINARY(64, add, *x + *y)
HOST_FP_BINARY(64, sub, *x - *y)
HOST_FP_BINARY(64, mul, *x * *y)
HOST_FP_BINARY(64, div, *x / *y)

/* sqrt: the host's instruction (its flags are invalid for a negative or signaling operand,
   inexact, as RISC-V's); a negative operand's NaN takes softfloat's way */
static inline bool host_f32_sqrt(host_f32 *x, uint8_t rm, host_f32 *out)
{
    HOST_FP_TRY(32, __builtin_sqrtf(*x), "+x"(*x));
}
static inline bool host_f64_sqrt(host_f64 *x, uint8_t rm, host_f64 *out)
{
    HOST_FP_TRY(64, __builtin_sqrt(*x), "+x"(*x));
}

/* fma: the host's instruction where the compiler targets the host CPU (tier 2's helpers),
   else libm's fma, which is exact and raises what the operation raises */
static inline bool host_f32_fma(host_f32 *x, host_f32 *y, host_f32 *z, uint8_t rm, host_f32 *out)
{
    HOST_FP_TRY(32, __builtin_fmaf(*x, *y, *z), "+x"(*x), "+x"(*y), "+x"(*z));
}
static inline bool host_f64_fma(host_f64 *x, host_f64 *y, host_f64 *z, uint8_t rm, host_f64 *out)
{
    HOST_FP_TRY(64, __builtin_fma(*x, *y, *z), "+x"(*x), "+x"(*y), "+x"(*z));
}

/* The shortcut inline, where the generated bodies call the helpers (the interpreter's
   handlers, tier 1's stencils). Such a consumer defines, before including this file,
   HOST_FP_SLOW(W, op, cpu, a, b, rm), its call of the helper for when the shortcut does
   not apply. (Within a helper_... macro's expansion the same name is not expanded again,
   so HOST_FP_SLOW can name the function.) */
#ifdef HOST_FP_SLOW
#define HOST_FP_OR_SLOW(W, op, cpu_, a, b, rm) ({                                       \
        uint##W##_t a_ = (a), b_ = (b);                                                 \
        uint8_t rm_ = (rm);                                                             \
        host_f##W r_;                                                                   \
        __builtin_expect(host_f##W##_##op##_bits(a_, b_, rm_, &r_), 1)                  \
            ? f##W##_bits(r_) : (uint##W##_t)HOST_FP_SLOW(W, op, (cpu_), a_, b_, rm_); })
#define helper_f32_add(cpu_, a, b, rm) HOST_FP_OR_SLOW(32, add, cpu_, a, b, rm)
#define helper_f32_sub(cpu_, a, b, rm) HOST_FP_OR_SLOW(32, sub, cpu_, a, b, rm)
#define helper_f32_mul(cpu_, a, b, rm) HOST_FP_OR_SLOW(32, mul, cpu_, a, b, rm)
#define helper_f32_div(cpu_, a, b, rm) HOST_FP_OR_SLOW(32, div, cpu_, a, b, rm)
#define helper_f64_add(cpu_, a, b, rm) HOST_FP_OR_SLOW(64, add, cpu_, a, b, rm)
#define helper_f64_sub(cpu_, a, b, rm) HOST_FP_OR_SLOW(64, sub, cpu_, a, b, rm)
#define helper_f64_mul(cpu_, a, b, rm) HOST_FP_OR_SLOW(64, mul, cpu_, a, b, rm)
#define helper_f64_div(cpu_, a, b, rm) HOST_FP_OR_SLOW(64, div, cpu_, a, b, rm)
#endif

#endif
