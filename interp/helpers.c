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

#define FL (&cpu->fflags)

/* An exact shortcut through the host FPU for add, sub, mul, div and fma. It is taken
   only when the result cannot differ from softfloat's, value or flags: round to
   nearest even (the host's mode, never changed), NX already accrued (it is sticky, so
   raising it again changes nothing), finite operands (no NaN rules, no invalid, no
   infinity arithmetic), and a finite result whose exponent is at least emin+1 (no
   overflow, no division by zero, and no tininess even measured after rounding).
   Anything else goes to softfloat. x86-64 SSE arithmetic is IEEE binary32/64. */
static inline bool host_fp_ok(const InterpCpu *cpu, uint8_t rm) { return rm == SF_RNE && (cpu->fflags & SF_NX); }
static inline bool f64_finite(uint64_t v) { return ((v >> 52) & 0x7ff) != 0x7ff; }
static inline bool f64_plain(uint64_t v) { unsigned e = (v >> 52) & 0x7ff; return e >= 2 && e != 0x7ff; }
static inline bool f32_finite(uint32_t v) { return ((v >> 23) & 0xff) != 0xff; }
static inline bool f32_plain(uint32_t v) { unsigned e = (v >> 23) & 0xff; return e >= 2 && e != 0xff; }
static inline double as_f64(uint64_t v) { double d; memcpy(&d, &v, 8); return d; }
static inline uint64_t f64_bits(double d) { uint64_t v; memcpy(&v, &d, 8); return v; }
static inline float as_f32(uint32_t v) { float f; memcpy(&f, &v, 4); return f; }
static inline uint32_t f32_bits(float f) { uint32_t v; memcpy(&v, &f, 4); return v; }

#define HOST_F64(expr, fallback)                                                  \
    do {                                                                          \
        if (host_fp_ok(cpu, rm)) {                                                \
            uint64_t r_ = f64_bits(expr);                                         \
            if (f64_plain(r_))                                                    \
                return r_;                                                        \
        }                                                                         \
        return fallback;                                                          \
    } while (0)
#define HOST_F32(expr, fallback)                                                  \
    do {                                                                          \
        if (host_fp_ok(cpu, rm)) {                                                \
            uint32_t r_ = f32_bits(expr);                                         \
            if (f32_plain(r_))                                                    \
                return r_;                                                        \
        }                                                                         \
        return fallback;                                                          \
    } while (0)

/* binary32 */
uint32_t helper_f32_add(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_F32(f32_finite(a) && f32_finite(b) ? as_f32(a) + as_f32(b) : NAN, sf_f32_add(a, b, rm, FL));
}
uint32_t helper_f32_sub(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_F32(f32_finite(a) && f32_finite(b) ? as_f32(a) - as_f32(b) : NAN, sf_f32_sub(a, b, rm, FL));
}
uint32_t helper_f32_mul(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_F32(f32_finite(a) && f32_finite(b) ? as_f32(a) * as_f32(b) : NAN, sf_f32_mul(a, b, rm, FL));
}
uint32_t helper_f32_div(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint8_t rm)
{
    HOST_F32(f32_finite(a) && f32_finite(b) ? as_f32(a) / as_f32(b) : NAN, sf_f32_div(a, b, rm, FL));
}
uint32_t helper_f32_sqrt(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return sf_f32_sqrt(a, rm, FL); }
uint32_t helper_f32_fma(struct InterpCpu *cpu, uint32_t a, uint32_t b, uint32_t c, uint8_t rm)
{
    HOST_F32(f32_finite(a) && f32_finite(b) && f32_finite(c) ? fmaf(as_f32(a), as_f32(b), as_f32(c)) : NAN,
             sf_f32_fma(a, b, c, rm, FL));
}
uint8_t helper_f32_eq(struct InterpCpu *cpu, uint32_t a, uint32_t b) { return sf_f32_eq(a, b, FL); }
uint8_t helper_f32_lt(struct InterpCpu *cpu, uint32_t a, uint32_t b) { return sf_f32_lt(a, b, FL); }
uint8_t helper_f32_le(struct InterpCpu *cpu, uint32_t a, uint32_t b) { return sf_f32_le(a, b, FL); }

uint32_t helper_f32_to_i32(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return (uint32_t)sf_f32_to_i32(a, rm, FL); }
uint32_t helper_f32_to_u32(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return sf_f32_to_u32(a, rm, FL); }
uint64_t helper_f32_to_i64(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return (uint64_t)sf_f32_to_i64(a, rm, FL); }
uint64_t helper_f32_to_u64(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return sf_f32_to_u64(a, rm, FL); }
uint32_t helper_i32_to_f32(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return sf_i32_to_f32((int32_t)a, rm, FL); }
uint32_t helper_u32_to_f32(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return sf_u32_to_f32(a, rm, FL); }
uint32_t helper_i64_to_f32(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return sf_i64_to_f32((int64_t)a, rm, FL); }
uint32_t helper_u64_to_f32(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return sf_u64_to_f32(a, rm, FL); }

/* binary64 */
uint64_t helper_f64_add(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    HOST_F64(f64_finite(a) && f64_finite(b) ? as_f64(a) + as_f64(b) : NAN, sf_f64_add(a, b, rm, FL));
}
uint64_t helper_f64_sub(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    HOST_F64(f64_finite(a) && f64_finite(b) ? as_f64(a) - as_f64(b) : NAN, sf_f64_sub(a, b, rm, FL));
}
uint64_t helper_f64_mul(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    HOST_F64(f64_finite(a) && f64_finite(b) ? as_f64(a) * as_f64(b) : NAN, sf_f64_mul(a, b, rm, FL));
}
uint64_t helper_f64_div(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint8_t rm)
{
    HOST_F64(f64_finite(a) && f64_finite(b) ? as_f64(a) / as_f64(b) : NAN, sf_f64_div(a, b, rm, FL));
}
uint64_t helper_f64_sqrt(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return sf_f64_sqrt(a, rm, FL); }
uint64_t helper_f64_fma(struct InterpCpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint8_t rm)
{
    HOST_F64(f64_finite(a) && f64_finite(b) && f64_finite(c) ? fma(as_f64(a), as_f64(b), as_f64(c)) : NAN,
             sf_f64_fma(a, b, c, rm, FL));
}
uint8_t helper_f64_eq(struct InterpCpu *cpu, uint64_t a, uint64_t b) { return sf_f64_eq(a, b, FL); }
uint8_t helper_f64_lt(struct InterpCpu *cpu, uint64_t a, uint64_t b) { return sf_f64_lt(a, b, FL); }
uint8_t helper_f64_le(struct InterpCpu *cpu, uint64_t a, uint64_t b) { return sf_f64_le(a, b, FL); }

uint32_t helper_f64_to_i32(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return (uint32_t)sf_f64_to_i32(a, rm, FL); }
uint32_t helper_f64_to_u32(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return sf_f64_to_u32(a, rm, FL); }
uint64_t helper_f64_to_i64(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return (uint64_t)sf_f64_to_i64(a, rm, FL); }
uint64_t helper_f64_to_u64(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return sf_f64_to_u64(a, rm, FL); }
uint64_t helper_i32_to_f64(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return sf_i32_to_f64((int32_t)a, rm, FL); }
uint64_t helper_u32_to_f64(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return sf_u32_to_f64(a, rm, FL); }
uint64_t helper_i64_to_f64(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return sf_i64_to_f64((int64_t)a, rm, FL); }
uint64_t helper_u64_to_f64(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return sf_u64_to_f64(a, rm, FL); }

/* between precisions: widening is exact, so rm (checked by the spec's frm) is unused */
uint64_t helper_f32_to_f64(struct InterpCpu *cpu, uint32_t a, uint8_t rm) { return sf_f32_to_f64(a, FL); }
uint32_t helper_f64_to_f32(struct InterpCpu *cpu, uint64_t a, uint8_t rm) { return sf_f64_to_f32(a, rm, FL); }
