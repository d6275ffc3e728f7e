/*
** host-fp.h — the exact shortcut through the host FPU that the FP helpers take
** (interp/helpers.c), in a header because tier 1's stencils inline it (jit/stencils.c)
** and call the helper only when it does not apply.
**
** The shortcut is taken only when the result cannot differ from softfloat's, value or
** flags: round to nearest even (the host's mode, never changed), a result that is finite
** with an exponent of at least emin+1 (so no overflow, no division by zero, no tininess
** even measured after rounding, and no NaN or infinity among the operands: each of those
** makes the result NaN, infinite or zero), and either NX already accrued (it is sticky,
** so raising it again changes nothing) or a result known to be exact (then NX is not
** raised at all). The values stay doubles, so that compiled code keeps them in FP
** registers; the range test reads the result's exponent bits (one unsigned compare:
** 9-12% faster FP loops in the interpreter and tier 1 than two FP compares). x86-64 SSE
** arithmetic is IEEE.
**
** Exactness: a sum is exact when TwoSum's error term is zero (Knuth: with round to
** nearest and no overflow it is exactly a + b - fl(a + b); an overflow makes it NaN); a
** product when the operands' significands have at most p significant bits between them
** (their product's odd part then fits), or in tier 2 when an fma finds its error zero
** (below). Quotients and fmas are not checked.
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

static inline bool nx_accrued(const InterpCpu *cpu) { return cpu->fflags & SF_NX; }
static inline double as_f64(uint64_t v) { double d; memcpy(&d, &v, 8); return d; }
static inline uint64_t f64_bits(double d) { uint64_t v; memcpy(&v, &d, 8); return v; }
static inline float as_f32(uint32_t v) { float f; memcpy(&f, &v, 4); return f; }
static inline uint32_t f32_bits(float f) { uint32_t v; memcpy(&v, &f, 4); return v; }
/* |r| in [2^(emin+1), max finite]: the biased exponent in [2, max - 1], tested as one
   unsigned range check on the bits (fewer host instructions than two FP compares) */
static inline bool f64_plain(double r) { return ((f64_bits(r) >> 52 & 0x7ff) - 2) < 0x7fd; }
static inline bool f32_plain(float r) { return ((f32_bits(r) >> 23 & 0xff) - 2) < 0xfd; }

static inline bool f64_sum_exact(double a, double b, double s)
{
    double bb = s - a;
    return (a - (s - bb)) + (b - bb) == 0.0;
}
static inline bool f32_sum_exact(float a, float b, float s)
{
    float bb = s - a;
    return (a - (s - bb)) + (b - bb) == 0.0f;
}
/* significant bits of a significand, implicit bit included (0 for a zero) */
static inline unsigned sig_bits(uint64_t m) { return m ? 64 - (unsigned)__builtin_clzll(m) - (unsigned)__builtin_ctzll(m) : 0; }
static inline bool f64_product_exact(uint64_t a, uint64_t b)
{
    uint64_t frac = (1ull << 52) - 1, one = 1ull << 52;
    uint64_t ma = (a & frac) | (((a >> 52) & 0x7ff) ? one : 0), mb = (b & frac) | (((b >> 52) & 0x7ff) ? one : 0);
    return sig_bits(ma) + sig_bits(mb) <= 53;
}
static inline bool f32_product_exact(uint32_t a, uint32_t b)
{
    uint32_t frac = (1u << 23) - 1, one = 1u << 23;
    uint32_t ma = (a & frac) | (((a >> 23) & 0xff) ? one : 0), mb = (b & frac) | (((b >> 23) & 0xff) ? one : 0);
    return sig_bits(ma) + sig_bits(mb) <= 24;
}

/* Tier 2's helpers (HELPERS_FOR_LLVM, compiled by LLVM for the host CPU) prove a product
   exact with one fused multiply-add instead: the rounding error a*b - p is exactly
   representable, and fma computes it exactly, when it cannot underflow, which holds once
   p's exponent is at least emin + precision (the error is a multiple of 2^(ea+eb-2P+2)).
   Without an FMA unit, llvm.fma is a call to libm's fma, still exact. */
#ifdef HELPERS_FOR_LLVM
#define F64_PRODUCT_EXACT(a, b, p) \
    ((f64_bits(p) >> 52 & 0x7ff) >= 1 + 53 && __builtin_fma(as_f64(a), as_f64(b), -(p)) == 0.0)
#define F32_PRODUCT_EXACT(a, b, p) \
    ((f32_bits(p) >> 23 & 0xff) >= 1 + 24 && __builtin_fmaf(as_f32(a), as_f32(b), -(p)) == 0.0f)
#else
#define F64_PRODUCT_EXACT(a, b, p) f64_product_exact(a, b)
#define F32_PRODUCT_EXACT(a, b, p) f32_product_exact(a, b)
#endif

/* host_fW_OP(cpu, a, b, [c,] rm, &result, prove): true, with the host's result, when the
   shortcut applies. With NX not accrued it applies only if `prove` and the result is
   shown exact (tier 1 leaves the product's integer test to the helper). `exact` may
   name r_, the host's result. */
#define HOST_FP_TRY(W, expr, exact)                                               \
    do {                                                                          \
        if (rm != SF_RNE)                                                         \
            return false;                                                         \
        host_f##W r_ = (expr);                                                    \
        *out = r_;                                                                \
        return f##W##_plain(r_) && (nx_accrued(cpu) || (prove && (exact)));       \
    } while (0)
#define HOST_FP_BINARY(W, op, expr, exact)                                                         \
    static inline bool host_f##W##_##op(const InterpCpu *cpu, uint##W##_t a, uint##W##_t b, uint8_t rm, \
                                        host_f##W *out, bool prove)                                \
    {                                                                                              \
        HOST_FP_TRY(W, expr, exact);                                                               \
    }
HOST_FP_BINARY(32, add, as_f32(a) + as_f32(b), f32_sum_exact(as_f32(a), as_f32(b), r_))
HOST_FP_BINARY(32, sub, as_f32(a) - as_f32(b), f32_sum_exact(as_f32(a), -as_f32(b), r_))
HOST_FP_BINARY(32, mul, as_f32(a) * as_f32(b), F32_PRODUCT_EXACT(a, b, r_))
HOST_FP_BINARY(32, div, as_f32(a) / as_f32(b), false)
HOST_FP_BINARY(64, add, as_f64(a) + as_f64(b), f64_sum_exact(as_f64(a), as_f64(b), r_))
HOST_FP_BINARY(64, sub, as_f64(a) - as_f64(b), f64_sum_exact(as_f64(a), -as_f64(b), r_))
HOST_FP_BINARY(64, mul, as_f64(a) * as_f64(b), F64_PRODUCT_EXACT(a, b, r_))
HOST_FP_BINARY(64, div, as_f64(a) / as_f64(b), false)

/* fma calls libm (the baseline x86-64 has no FMA instruction): only the helpers inline it */
static inline bool host_f32_fma(const InterpCpu *cpu, uint32_t a, uint32_t b, uint32_t c, uint8_t rm, host_f32 *out,
                                bool prove)
{
    HOST_FP_TRY(32, fmaf(as_f32(a), as_f32(b), as_f32(c)), false);
}
static inline bool host_f64_fma(const InterpCpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint8_t rm, host_f64 *out,
                                bool prove)
{
    HOST_FP_TRY(64, fma(as_f64(a), as_f64(b), as_f64(c)), false);
}

/* The shortcut inline, where the generated bodies call the helpers (the interpreter's
   handlers, tier 1's stencils). Such a consumer defines, before including this file,
   HOST_FP_SLOW(W, op, cpu, a, b, rm), its call of the helper for when the shortcut does
   not apply, and HOST_FP_PROVE_PRODUCTS: whether it proves products exact inline or
   leaves that to the helper. (Within a helper_... macro's expansion the same name is not
   expanded again, so HOST_FP_SLOW can name the function.) */
#ifdef HOST_FP_SLOW
#define HOST_FP_OR_SLOW(W, op, prove, cpu_, a, b, rm) ({                                \
        uint##W##_t a_ = (a), b_ = (b);                                                 \
        uint8_t rm_ = (rm);                                                             \
        host_f##W r_;                                                                   \
        __builtin_expect(host_f##W##_##op((cpu_), a_, b_, rm_, &r_, prove), 1)          \
            ? f##W##_bits(r_) : (uint##W##_t)HOST_FP_SLOW(W, op, (cpu_), a_, b_, rm_); })
#define helper_f32_add(cpu_, a, b, rm) HOST_FP_OR_SLOW(32, add, true, cpu_, a, b, rm)
#define helper_f32_sub(cpu_, a, b, rm) HOST_FP_OR_SLOW(32, sub, true, cpu_, a, b, rm)
#define helper_f32_mul(cpu_, a, b, rm) HOST_FP_OR_SLOW(32, mul, HOST_FP_PROVE_PRODUCTS, cpu_, a, b, rm)
#define helper_f32_div(cpu_, a, b, rm) HOST_FP_OR_SLOW(32, div, false, cpu_, a, b, rm)
#define helper_f64_add(cpu_, a, b, rm) HOST_FP_OR_SLOW(64, add, true, cpu_, a, b, rm)
#define helper_f64_sub(cpu_, a, b, rm) HOST_FP_OR_SLOW(64, sub, true, cpu_, a, b, rm)
#define helper_f64_mul(cpu_, a, b, rm) HOST_FP_OR_SLOW(64, mul, HOST_FP_PROVE_PRODUCTS, cpu_, a, b, rm)
#define helper_f64_div(cpu_, a, b, rm) HOST_FP_OR_SLOW(64, div, false, cpu_, a, b, rm)
#endif

#endif
