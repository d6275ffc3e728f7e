/*
** helpers.c — the C helpers the spec declares with <helper> (spec/riscv/rv_f.xml, rv_d.xml):
** thin wrappers over softfloat.h that accrue the raised exceptions into cpu->fflags.
** The rounding mode arrives already resolved by frm(rm) (0..4); NaN boxing, sign
** injection, min/max and fclass are written in the spec, not here.
*/
#include <math.h>
#include <string.h>

#include "interp-internal.h"
#include "softfloat.h"

/* In tier 2's bitcode (HELPERS_FOR_LLVM), softfloat ORs the flags it raises into a local
   that is then accrued into cpu->fflags: passing &cpu->fflags to the out-of-line call
   would make LLVM assume that the call may change any guest register, and reload them
   all after it, in every loop. Compiled code of the program passes &cpu->fflags, which
   keeps the helpers' fast paths free of a stack frame. */
#ifdef HELPERS_FOR_LLVM
#define SF(call) ({ uint32_t fl_ = 0; __typeof__(call) sfr_ = (call); cpu->fflags |= fl_; sfr_; })
#define FL (&fl_)
#else
#define SF(call) (call)
#define FL (&cpu->fflags)
#endif

/* An exact shortcut through the host FPU for add, sub, mul, div and fma. It is taken
   only when the result cannot differ from softfloat's, value or flags: round to
   nearest even (the host's mode, never changed), a result that is finite with an
   exponent of at least emin+1 (so no overflow, no division by zero, no tininess even
   measured after rounding, and no NaN or infinity among the operands: each of those
   makes the result NaN, infinite or zero), and either NX already accrued (it is sticky,
   so raising it again changes nothing) or a result known to be exact (then NX is not
   raised at all). Anything else goes to softfloat. The checks are on doubles so that
   compiled code keeps the values in FP registers. x86-64 SSE arithmetic is IEEE.

   Exactness: a sum is exact when TwoSum's error term is zero (Knuth: with round to
   nearest and no overflow it is exactly a + b - fl(a + b); an overflow makes it NaN);
   a product when the operands' significands have at most p significant bits between
   them (their product's odd part then fits). Quotients and fmas are not checked. */
static inline bool host_fp_rne(uint8_t rm) { return rm == SF_RNE; }
static inline bool nx_accrued(const InterpCpu *cpu) { return cpu->fflags & SF_NX; }
static inline double as_f64(uint64_t v) { double d; memcpy(&d, &v, 8); return d; }
static inline uint64_t f64_bits(double d) { uint64_t v; memcpy(&v, &d, 8); return v; }
static inline float as_f32(uint32_t v) { float f; memcpy(&f, &v, 4); return f; }
static inline uint32_t f32_bits(float f) { uint32_t v; memcpy(&v, &f, 4); return v; }
static inline bool f64_plain(double r) { double m = fabs(r); return m >= 0x1p-1021 && m < INFINITY; }
static inline bool f32_plain(float r) { float m = fabsf(r); return m >= 0x1p-125f && m < INFINITY; }

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

/* `exact` may name r_, the host's result. The two ways meet as a host float, converted
   to bits once: LLVM then keeps an FP register of tier 2's loops in an FP register of the
   host (a meeting of bit patterns pins it to a general register, with two moves).
   W is the width: 64 (double) or 32 (float). */
typedef double host_f64;
typedef float host_f32;
#define HOST_FP(W, expr, exact, fallback)                                         \
    do {                                                                          \
        host_f##W res_ = 0;                                                       \
        bool ok_ = false;                                                         \
        if (host_fp_rne(rm)) {                                                    \
            host_f##W r_ = (expr);                                                \
            ok_ = f##W##_plain(r_) && (nx_accrued(cpu) || (exact));               \
            res_ = r_;                                                            \
        }                                                                         \
        if (!ok_)                                                                 \
            res_ = as_f##W(fallback);                                             \
        return f##W##_bits(res_);                                                 \
    } while (0)

/* binary32 */
uint32_t helper_f32_add(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_FP(32, as_f32(a) + as_f32(b), f32_sum_exact(as_f32(a), as_f32(b), r_), SF(sf_f32_add(a, b, rm, FL)));
}
uint32_t helper_f32_sub(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_FP(32, as_f32(a) - as_f32(b), f32_sum_exact(as_f32(a), -as_f32(b), r_), SF(sf_f32_sub(a, b, rm, FL)));
}
uint32_t helper_f32_mul(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_FP(32, as_f32(a) * as_f32(b), f32_product_exact(a, b), SF(sf_f32_mul(a, b, rm, FL)));
}
uint32_t helper_f32_div(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_FP(32, as_f32(a) / as_f32(b), false, SF(sf_f32_div(a, b, rm, FL)));
}
uint32_t helper_f32_sqrt(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return SF(sf_f32_sqrt(a, rm, FL)); }
uint32_t helper_f32_fma(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint32_t c, uint8_t rm)
{
    HOST_FP(32, fmaf(as_f32(a), as_f32(b), as_f32(c)), false,
             SF(sf_f32_fma(a, b, c, rm, FL)));
}
uint8_t helper_f32_eq(struct InterpCpu *cpu, uint32_t a, uint32_t b) { return SF(sf_f32_eq(a, b, FL)); }
uint8_t helper_f32_lt(struct InterpCpu *cpu, uint32_t a, uint32_t b) { return SF(sf_f32_lt(a, b, FL)); }
uint8_t helper_f32_le(struct InterpCpu *cpu, uint32_t a, uint32_t b) { return SF(sf_f32_le(a, b, FL)); }

uint32_t helper_f32_to_i32(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return (uint32_t)SF(sf_f32_to_i32(a, rm, FL)); }
uint32_t helper_f32_to_u32(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return SF(sf_f32_to_u32(a, rm, FL)); }
uint64_t helper_f32_to_i64(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return (uint64_t)SF(sf_f32_to_i64(a, rm, FL)); }
uint64_t helper_f32_to_u64(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return SF(sf_f32_to_u64(a, rm, FL)); }
uint32_t helper_i32_to_f32(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return SF(sf_i32_to_f32((int32_t)a, rm, FL)); }
uint32_t helper_u32_to_f32(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return SF(sf_u32_to_f32(a, rm, FL)); }
uint32_t helper_i64_to_f32(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return SF(sf_i64_to_f32((int64_t)a, rm, FL)); }
uint32_t helper_u64_to_f32(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return SF(sf_u64_to_f32(a, rm, FL)); }

/* binary64 */
uint64_t helper_f64_add(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    HOST_FP(64, as_f64(a) + as_f64(b), f64_sum_exact(as_f64(a), as_f64(b), r_), SF(sf_f64_add(a, b, rm, FL)));
}
uint64_t helper_f64_sub(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    HOST_FP(64, as_f64(a) - as_f64(b), f64_sum_exact(as_f64(a), -as_f64(b), r_), SF(sf_f64_sub(a, b, rm, FL)));
}
uint64_t helper_f64_mul(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    HOST_FP(64, as_f64(a) * as_f64(b), f64_product_exact(a, b), SF(sf_f64_mul(a, b, rm, FL)));
}
uint64_t helper_f64_div(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    HOST_FP(64, as_f64(a) / as_f64(b), false, SF(sf_f64_div(a, b, rm, FL)));
}
uint64_t helper_f64_sqrt(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return SF(sf_f64_sqrt(a, rm, FL)); }
uint64_t helper_f64_fma(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint8_t rm)
{
    HOST_FP(64, fma(as_f64(a), as_f64(b), as_f64(c)), false,
             SF(sf_f64_fma(a, b, c, rm, FL)));
}
uint8_t helper_f64_eq(struct InterpCpu *cpu, uint64_t a, uint64_t b) { return SF(sf_f64_eq(a, b, FL)); }
uint8_t helper_f64_lt(struct InterpCpu *cpu, uint64_t a, uint64_t b) { return SF(sf_f64_lt(a, b, FL)); }
uint8_t helper_f64_le(struct InterpCpu *cpu, uint64_t a, uint64_t b) { return SF(sf_f64_le(a, b, FL)); }

uint32_t helper_f64_to_i32(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return (uint32_t)SF(sf_f64_to_i32(a, rm, FL)); }
uint32_t helper_f64_to_u32(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return SF(sf_f64_to_u32(a, rm, FL)); }
uint64_t helper_f64_to_i64(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return (uint64_t)SF(sf_f64_to_i64(a, rm, FL)); }
uint64_t helper_f64_to_u64(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return SF(sf_f64_to_u64(a, rm, FL)); }
uint64_t helper_i32_to_f64(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return SF(sf_i32_to_f64((int32_t)a, rm, FL)); }
uint64_t helper_u32_to_f64(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return SF(sf_u32_to_f64(a, rm, FL)); }
uint64_t helper_i64_to_f64(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return SF(sf_i64_to_f64((int64_t)a, rm, FL)); }
uint64_t helper_u64_to_f64(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return SF(sf_u64_to_f64(a, rm, FL)); }

/* between precisions: widening is exact, so rm (checked by the spec's frm) is unused */
uint64_t helper_f32_to_f64(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return SF(sf_f32_to_f64(a, FL)); }
uint32_t helper_f64_to_f32(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return SF(sf_f64_to_f32(a, rm, FL)); }
