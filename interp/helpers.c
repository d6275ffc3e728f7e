/*
** helpers.c — the C helpers the spec declares with <helper> (spec/riscv/rv_f.xml, rv_d.xml):
** thin wrappers over softfloat.h that accrue the raised exceptions into cpu->fflags.
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
   bits once: LLVM then keeps an FP register of tier 2's loops in an FP register of the
   host (a meeting of bit patterns pins it to a general register, with two moves).
   W is the width: 64 (double) or 32 (float). */
#define HOST_OR_SOFT(W, shortcut, fallback)                                       \
    do {                                                                          \
        host_f##W r_;                                                             \
        if (!(shortcut))                                                          \
            r_ = as_f##W(fallback);                                               \
        return f##W##_bits(r_);                                                   \
    } while (0)

/* binary32 */
uint32_t helper_f32_add(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_OR_SOFT(32, host_f32_add(cpu, a, b, rm, &r_, true), SF(sf_f32_add(a, b, rm, FL)));
}
uint32_t helper_f32_sub(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_OR_SOFT(32, host_f32_sub(cpu, a, b, rm, &r_, true), SF(sf_f32_sub(a, b, rm, FL)));
}
uint32_t helper_f32_mul(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_OR_SOFT(32, host_f32_mul(cpu, a, b, rm, &r_, true), SF(sf_f32_mul(a, b, rm, FL)));
}
uint32_t helper_f32_div(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_OR_SOFT(32, host_f32_div(cpu, a, b, rm, &r_, true), SF(sf_f32_div(a, b, rm, FL)));
}
uint32_t helper_f32_sqrt(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return SF(sf_f32_sqrt(a, rm, FL)); }
uint32_t helper_f32_fma(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint32_t c, uint8_t rm)
{
    HOST_OR_SOFT(32, host_f32_fma(cpu, a, b, c, rm, &r_, true), SF(sf_f32_fma(a, b, c, rm, FL)));
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
    HOST_OR_SOFT(64, host_f64_add(cpu, a, b, rm, &r_, true), SF(sf_f64_add(a, b, rm, FL)));
}
uint64_t helper_f64_sub(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    HOST_OR_SOFT(64, host_f64_sub(cpu, a, b, rm, &r_, true), SF(sf_f64_sub(a, b, rm, FL)));
}
uint64_t helper_f64_mul(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    HOST_OR_SOFT(64, host_f64_mul(cpu, a, b, rm, &r_, true), SF(sf_f64_mul(a, b, rm, FL)));
}
uint64_t helper_f64_div(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    HOST_OR_SOFT(64, host_f64_div(cpu, a, b, rm, &r_, true), SF(sf_f64_div(a, b, rm, FL)));
}
uint64_t helper_f64_sqrt(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return SF(sf_f64_sqrt(a, rm, FL)); }
uint64_t helper_f64_fma(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint8_t rm)
{
    HOST_OR_SOFT(64, host_f64_fma(cpu, a, b, c, rm, &r_, true), SF(sf_f64_fma(a, b, c, rm, FL)));
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
