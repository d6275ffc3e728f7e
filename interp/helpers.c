/*
** helpers.c — the C helpers the spec declares with <helper> (spec/riscv/rv_f.xml, rv_d.xml):
** thin wrappers over softfloat.h that accrue the raised exceptions into cpu->fflags, or
** the host's shortcut (host-fp.h), whose flags accrue in the host's MXCSR until folded.
** The rounding mode arrives already resolved by frm(rm) (0..4); NaN boxing, sign
** injection, min/max and fclass are written in the spec, not here.
*/
#include "host-fp.h"
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

/* The shortcut (host-fp.h) or softfloat. The two ways meet as a host float, converted to
   bits once, so that LLVM can keep an FP register of tier 2's loops in an FP register of
   the host: a value that crosses a loop's back edge as bits sits in a general register,
   and an FP sum carried by the loop then pays two moves between the register files on
   every iteration. For tier 2 two more things keep it a float:
   - softfloat is called on host floats (sf_fW_OP_host): on bit patterns, LLVM folds the
     conversions around the call and the two ways meet as bits again;
   - the result passes an empty asm that keeps it in an SSE register: without it LLVM
     merges the ways' results as bits, the register's slot is then stored as bits by one
     instruction and as a float by another, and LICM keeps a slot of mixed types in memory.
   W is the width: 64 (double) or 32 (float). */
#ifdef HELPERS_FOR_LLVM
#define SOFT(W, op, ...) SF(sf_f##W##_##op##_host(__VA_ARGS__, rm, FL))
#define IN(host, bits) (host)   /* the operand as the shortcut gave it back (host-fp.h) */
#define KEEP_IN_FP_REGISTER(r) __asm__("" : "+x"(r))
#else
#define SOFT(W, op, ...) as_f##W(sf_f##W##_##op(__VA_ARGS__, rm, FL))
#define IN(host, bits) (bits)
#define KEEP_IN_FP_REGISTER(r) ((void)0)
#endif
#define HOST_OR_SOFT(W, shortcut, fallback)                                       \
    do {                                                                          \
        host_f##W r_;                                                             \
        if (__builtin_expect(!(shortcut), 0))                                     \
            r_ = (fallback);                                                      \
        KEEP_IN_FP_REGISTER(r_);                                                  \
        return f##W##_bits(r_);                                                   \
    } while (0)

/* binary32 */
uint32_t helper_f32_add(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    host_f32 x = as_f32(a), y = as_f32(b);
    HOST_OR_SOFT(32, host_f32_add(&x, &y, rm, &r_), SOFT(32, add, IN(x, a), IN(y, b)));
}
uint32_t helper_f32_sub(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    host_f32 x = as_f32(a), y = as_f32(b);
    HOST_OR_SOFT(32, host_f32_sub(&x, &y, rm, &r_), SOFT(32, sub, IN(x, a), IN(y, b)));
}
uint32_t helper_f32_mul(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    host_f32 x = as_f32(a), y = as_f32(b);
    HOST_OR_SOFT(32, host_f32_mul(&x, &y, rm, &r_), SOFT(32, mul, IN(x, a), IN(y, b)));
}
uint32_t helper_f32_div(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    host_f32 x = as_f32(a), y = as_f32(b);
    HOST_OR_SOFT(32, host_f32_div(&x, &y, rm, &r_), SOFT(32, div, IN(x, a), IN(y, b)));
}
uint32_t helper_f32_sqrt(struct InterpCpu *cpu, uint32_t a, uint8_t rm)
{
    host_f32 x = as_f32(a);
    HOST_OR_SOFT(32, host_f32_sqrt(&x, rm, &r_), SOFT(32, sqrt, IN(x, a)));
}
uint32_t helper_f32_fma(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint32_t c, uint8_t rm)
{
    host_f32 x = as_f32(a), y = as_f32(b), z = as_f32(c);
    HOST_OR_SOFT(32, host_f32_fma(&x, &y, &z, rm, &r_), SOFT(32, fma, IN(x, a), IN(y, b), IN(z, c)));
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
    host_f64 x = as_f64(a), y = as_f64(b);
    HOST_OR_SOFT(64, host_f64_add(&x, &y, rm, &r_), SOFT(64, add, IN(x, a), IN(y, b)));
}
uint64_t helper_f64_sub(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    host_f64 x = as_f64(a), y = as_f64(b);
    HOST_OR_SOFT(64, host_f64_sub(&x, &y, rm, &r_), SOFT(64, sub, IN(x, a), IN(y, b)));
}
uint64_t helper_f64_mul(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    host_f64 x = as_f64(a), y = as_f64(b);
    HOST_OR_SOFT(64, host_f64_mul(&x, &y, rm, &r_), SOFT(64, mul, IN(x, a), IN(y, b)));
}
uint64_t helper_f64_div(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    host_f64 x = as_f64(a), y = as_f64(b);
    HOST_OR_SOFT(64, host_f64_div(&x, &y, rm, &r_), SOFT(64, div, IN(x, a), IN(y, b)));
}
uint64_t helper_f64_sqrt(struct InterpCpu *cpu, uint64_t a, uint8_t rm)
{
    host_f64 x = as_f64(a);
    HOST_OR_SOFT(64, host_f64_sqrt(&x, rm, &r_), SOFT(64, sqrt, IN(x, a)));
}
uint64_t helper_f64_fma(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint8_t rm)
{
    host_f64 x = as_f64(a), y = as_f64(b), z = as_f64(c);
    HOST_OR_SOFT(64, host_f64_fma(&x, &y, &z, rm, &r_), SOFT(64, fma, IN(x, a), IN(y, b), IN(z, c)));
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
