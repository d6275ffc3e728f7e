/*
** test_softfloat.c — softfloat against the host's SSE arithmetic, plus hand-picked RISC-V cases.
** x86-64 SSE is exact IEEE with tininess detected after rounding, as RISC-V is, in RNE/RTZ/RDN/RUP;
** only NaN payloads and out-of-range float->int differ, and those are checked against the RISC-V rules.
** RMM has no host mode: it must equal RNE except at exact ties, which a wider host format confirms.
** Build with -frounding-math -fno-fast-math. The seed is fixed, so a failure always reproduces.
*/
#include <criterion/criterion.h>
#include <fenv.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "softfloat.h"


/* ---------------------------------------------------------------- operations under test */

typedef enum Op {
    ADD, SUB, MUL, DIV, SQRT, FMA, EQ, LT, LE,
    TO_I32, TO_U32, TO_I64, TO_U64,                /* float -> int; a is the float */
    FROM_I32, FROM_U32, FROM_I64, FROM_U64,        /* int -> float; a is the integer */
    CVT,                                           /* f32 -> f64 (d false) or f64 -> f32 (d true) */
    NOPS
} Op;

static const char *const op_names[NOPS] = {
    [ADD] = "add", [SUB] = "sub", [MUL] = "mul", [DIV] = "div", [SQRT] = "sqrt", [FMA] = "fma",
    [EQ] = "eq", [LT] = "lt", [LE] = "le",
    [TO_I32] = "to_i32", [TO_U32] = "to_u32", [TO_I64] = "to_i64", [TO_U64] = "to_u64",
    [FROM_I32] = "from_i32", [FROM_U32] = "from_u32", [FROM_I64] = "from_i64", [FROM_U64] = "from_u64",
    [CVT] = "cvt",
};
static const char *const rm_names[5] = { "rne", "rtz", "rdn", "rup", "rmm" };
/* Host modes in RISC-V rm order, so host_modes[SF_RTZ] is round toward zero. */
static const int host_modes[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD };

static bool is_from_int(Op op) { return op >= FROM_I32 && op <= FROM_U64; }
static bool is_to_int(Op op) { return op >= TO_I32 && op <= TO_U64; }
static bool is_cmp(Op op) { return op >= EQ && op <= LE; }
/* Does the result have the f64 layout? (conversions to int have none) */
static bool result_is_f64(bool d, Op op) { return op == CVT ? !d : d; }

/* Integer results come back as 64-bit patterns: i32 sign-extended, u32 zero-extended. */
static uint64_t ours(bool d, Op op, uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fl)
{
    if (d) {
        switch (op) {
        case ADD: return sf_f64_add(a, b, rm, fl);
        case SUB: return sf_f64_sub(a, b, rm, fl);
        case MUL: return sf_f64_mul(a, b, rm, fl);
        case DIV: return sf_f64_div(a, b, rm, fl);
        case SQRT: return sf_f64_sqrt(a, rm, fl);
        case FMA: return sf_f64_fma(a, b, c, rm, fl);
        case EQ: return sf_f64_eq(a, b, fl);
        case LT: return sf_f64_lt(a, b, fl);
        case LE: return sf_f64_le(a, b, fl);
        case TO_I32: return (uint64_t)(int64_t)sf_f64_to_i32(a, rm, fl);
        case TO_U32: return sf_f64_to_u32(a, rm, fl);
        case TO_I64: return (uint64_t)sf_f64_to_i64(a, rm, fl);
        case TO_U64: return sf_f64_to_u64(a, rm, fl);
        case FROM_I32: return sf_i32_to_f64((int32_t)a, rm, fl);
        case FROM_U32: return sf_u32_to_f64((uint32_t)a, rm, fl);
        case FROM_I64: return sf_i64_to_f64((int64_t)a, rm, fl);
        case FROM_U64: return sf_u64_to_f64(a, rm, fl);
        case CVT: return sf_f64_to_f32(a, rm, fl);
        default: break;
        }
    } else {
        uint32_t x = (uint32_t)a, y = (uint32_t)b, z = (uint32_t)c;
        switch (op) {
        case ADD: return sf_f32_add(x, y, rm, fl);
        case SUB: return sf_f32_sub(x, y, rm, fl);
        case MUL: return sf_f32_mul(x, y, rm, fl);
        case DIV: return sf_f32_div(x, y, rm, fl);
        case SQRT: return sf_f32_sqrt(x, rm, fl);
        case FMA: return sf_f32_fma(x, y, z, rm, fl);
        case EQ: return sf_f32_eq(x, y, fl);
        case LT: return sf_f32_lt(x, y, fl);
        case LE: return sf_f32_le(x, y, fl);
        case TO_I32: return (uint64_t)(int64_t)sf_f32_to_i32(x, rm, fl);
        case TO_U32: return sf_f32_to_u32(x, rm, fl);
        case TO_I64: return (uint64_t)sf_f32_to_i64(x, rm, fl);
        case TO_U64: return sf_f32_to_u64(x, rm, fl);
        case FROM_I32: return sf_i32_to_f32((int32_t)a, rm, fl);
        case FROM_U32: return sf_u32_to_f32((uint32_t)a, rm, fl);
        case FROM_I64: return sf_i64_to_f32((int64_t)a, rm, fl);
        case FROM_U64: return sf_u64_to_f32(a, rm, fl);
        case CVT: return sf_f32_to_f64(x, fl);
        default: break;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- host reference */

static double f64v(uint64_t x) { double v; memcpy(&v, &x, sizeof v); return v; }
static float f32v(uint64_t x) { float v; uint32_t w = (uint32_t)x; memcpy(&v, &w, sizeof v); return v; }
static uint64_t f64b(double v) { uint64_t x; memcpy(&x, &v, sizeof x); return x; }
static uint64_t f32b(float v) { uint32_t x; memcpy(&x, &v, sizeof x); return x; }
/* Any float of either format, exactly, as a long double. */
static long double wide(bool d, uint64_t x) { return d ? (long double)f64v(x) : (long double)f32v(x); }

static uint32_t host_flags(void)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    return (e & FE_INEXACT ? SF_NX : 0) | (e & FE_UNDERFLOW ? SF_UF : 0) | (e & FE_OVERFLOW ? SF_OF : 0) |
           (e & FE_DIVBYZERO ? SF_DZ : 0) | (e & FE_INVALID ? SF_NV : 0);
}

/* The FMA3 instruction when present: libm's software fma is not trusted for flags. */
static bool have_fma3;
__attribute__((target("fma"))) static double fma3_f64(double x, double y, double z) { return __builtin_fma(x, y, z); }
__attribute__((target("fma"))) static float fma3_f32(float x, float y, float z) { return __builtin_fmaf(x, y, z); }
static double host_fma64(double x, double y, double z) { return have_fma3 ? fma3_f64(x, y, z) : fma(x, y, z); }
static float host_fma32(float x, float y, float z) { return have_fma3 ? fma3_f32(x, y, z) : fmaf(x, y, z); }

/* Integer range of each float->int conversion, as exact long doubles, and its saturated ends. */
static long double to_int_lo(Op op) { return op == TO_I32 ? -0x1p31L : op == TO_I64 ? -0x1p63L : 0.0L; }
static long double to_int_hi(Op op)
{
    return op == TO_I32 ? 0x1p31L - 1 : op == TO_U32 ? 0x1p32L - 1 : op == TO_I64 ? 0x1p63L - 1 : 0x1p64L - 1;
}
static uint64_t to_int_max(Op op)
{
    return op == TO_I32 ? INT32_MAX : op == TO_U32 ? UINT32_MAX : op == TO_I64 ? (uint64_t)INT64_MAX : UINT64_MAX;
}
static uint64_t to_int_min(Op op)
{
    return op == TO_I32 ? (uint64_t)(int64_t)INT32_MIN : op == TO_I64 ? (uint64_t)INT64_MIN : 0;
}

/* Float->int by the RISC-V rules, rounding with the host's rint in the current host mode. */
static uint64_t ref_to_int(bool d, Op op, uint64_t a, uint32_t *fl)
{
    long double x = wide(d, a);
    if (isnan(x)) {
        *fl = SF_NV;
        return to_int_max(op);
    }
    volatile double in = (double)x;
    long double r = rint(in);                      /* exact for f32 inputs too */
    if (r < to_int_lo(op) || r > to_int_hi(op)) {
        *fl = SF_NV;
        return x < 0 ? to_int_min(op) : to_int_max(op);
    }
    *fl = r != x ? SF_NX : 0;
    return r < 0 ? (uint64_t)(int64_t)r : (uint64_t)r;
}

/* The host's answer in the current host rounding mode, with the flags it raised. */
static uint64_t host(bool d, Op op, uint64_t a, uint64_t b, uint64_t c, uint32_t *fl)
{
    if (is_to_int(op))
        return ref_to_int(d, op, a, fl);
    uint64_t res = 0;
    if (d) {
        volatile double x = f64v(a), y = f64v(b), z = f64v(c), r = 0;
        volatile int t = 0;
        volatile int32_t i32 = (int32_t)a;
        volatile uint32_t u32 = (uint32_t)a;
        volatile int64_t i64 = (int64_t)a;
        volatile uint64_t u64 = a;
        volatile float rf = 0;
        feclearexcept(FE_ALL_EXCEPT);
        switch (op) {
        case ADD: r = x + y; break;
        case SUB: r = x - y; break;
        case MUL: r = x * y; break;
        case DIV: r = x / y; break;
        case SQRT: r = sqrt(x); break;
        case FMA: r = host_fma64(x, y, z); break;
        case EQ: t = x == y; break;
        case LT: t = x < y; break;
        case LE: t = x <= y; break;
        case FROM_I32: r = (double)i32; break;
        case FROM_U32: r = (double)u32; break;
        case FROM_I64: r = (double)i64; break;
        case FROM_U64: r = (double)u64; break;
        case CVT: rf = (float)x; break;
        default: break;
        }
        *fl = host_flags();
        res = is_cmp(op) ? (uint64_t)t : op == CVT ? f32b(rf) : f64b(r);
    } else {
        volatile float x = f32v(a), y = f32v(b), z = f32v(c), r = 0;
        volatile int t = 0;
        volatile int32_t i32 = (int32_t)a;
        volatile uint32_t u32 = (uint32_t)a;
        volatile int64_t i64 = (int64_t)a;
        volatile uint64_t u64 = a;
        volatile double rd = 0;
        feclearexcept(FE_ALL_EXCEPT);
        switch (op) {
        case ADD: r = x + y; break;
        case SUB: r = x - y; break;
        case MUL: r = x * y; break;
        case DIV: r = x / y; break;
        case SQRT: r = sqrtf(x); break;
        case FMA: r = host_fma32(x, y, z); break;
        case EQ: t = x == y; break;
        case LT: t = x < y; break;
        case LE: t = x <= y; break;
        case FROM_I32: r = (float)i32; break;
        case FROM_U32: r = (float)u32; break;
        case FROM_I64: r = (float)i64; break;
        case FROM_U64: r = (float)u64; break;
        case CVT: rd = (double)x; break;
        default: break;
        }
        *fl = host_flags();
        res = is_cmp(op) ? (uint64_t)t : op == CVT ? f64b(rd) : f32b(r);
    }
    /* Signaling compares must raise NV for any NaN; that is the rule, whatever the host compiled. */
    if ((op == LT || op == LE) && (isnan(wide(d, a)) || isnan(wide(d, b))))
        *fl |= SF_NV;
    /* RISC-V makes inf * 0 + qNaN invalid; x86 leaves that case quiet. */
    if (op == FMA && ((isinf(wide(d, a)) && wide(d, b) == 0) || (wide(d, a) == 0 && isinf(wide(d, b)))))
        *fl |= SF_NV;
    return res;
}

/* The exact value of op as a long double, or NaN when the host had to round it. Called in RNE. */
static long double exact(bool d, Op op, uint64_t a, uint64_t b, uint64_t c)
{
    volatile long double x = wide(d, a), y = wide(d, b), z = wide(d, c), r = 0;
    if (is_from_int(op)) {
        switch (op) {
        case FROM_I32: return (long double)(int32_t)a;
        case FROM_U32: return (long double)(uint32_t)a;
        case FROM_I64: return (long double)(int64_t)a;
        default: return (long double)a;
        }
    }
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case ADD: r = x + y; break;
    case SUB: r = x - y; break;
    case MUL: r = x * y; break;
    case DIV: r = x / y; break;
    case SQRT: r = sqrtl(x); break;
    case FMA: r = fmal(x, y, z); break;
    case CVT: r = x; break;
    default: return NAN;
    }
    return fetestexcept(FE_INEXACT | FE_UNDERFLOW | FE_OVERFLOW) ? NAN : r;
}

/* ---------------------------------------------------------------- operand generation */

typedef struct Rng { uint64_t s; } Rng;

static uint64_t rnd(Rng *g)                        /* splitmix64 */
{
    uint64_t z = (g->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static int fb_of(bool d) { return d ? 52 : 23; }
static uint64_t emx_of(bool d) { return d ? 0x7ff : 0xff; }
static uint64_t bias_of(bool d) { return d ? 1023 : 127; }
static uint64_t sign_of(bool d) { return UINT64_C(1) << (d ? 63 : 31); }
static uint64_t fmask_of(bool d) { return (UINT64_C(1) << fb_of(d)) - 1; }
static int64_t exp_of(bool d, uint64_t x) { return (int64_t)((x >> fb_of(d)) & emx_of(d)); }
static bool is_finite(bool d, uint64_t x) { return (uint64_t)exp_of(d, x) != emx_of(d); }

/* x with its exponent field set to e, clamped to the finite range. */
static uint64_t with_exp(bool d, uint64_t x, int64_t e)
{
    if (e < 0) e = 0;
    if (e > (int64_t)emx_of(d) - 1) e = (int64_t)emx_of(d) - 1;
    return (x & ~(emx_of(d) << fb_of(d))) | ((uint64_t)e << fb_of(d));
}

/* A float biased toward the classes where implementations go wrong. */
static uint64_t gen_float(Rng *g, bool d)
{
    const int fb = fb_of(d);
    const uint64_t emx = emx_of(d), bias = bias_of(d), fm = fmask_of(d);
    uint64_t sign = rnd(g) & 1 ? sign_of(d) : 0, f = rnd(g) & fm, e;
    switch (rnd(g) % 24) {
    case 0: return sign;                                                   /* zero */
    case 1: case 2: return sign | (f >> (rnd(g) % fb));                    /* subnormal */
    case 3: return sign | (emx << fb);                                     /* inf */
    case 4: return sign | (emx << fb) | (UINT64_C(1) << (fb - 1)) | (f >> 1);  /* quiet NaN */
    case 5: return sign | (emx << fb) | (f >> 1) | 1;                      /* signaling NaN */
    case 6: case 7: e = emx - 1 - rnd(g) % 4; break;                       /* near overflow */
    case 8: case 9: e = 1 + rnd(g) % 4; break;                             /* near underflow */
    case 10: f &= rnd(g) & rnd(g); e = bias - 8 + rnd(g) % 16; break;      /* few bits: exact, tie-prone */
    case 11: f |= rnd(g) | rnd(g); f &= fm; e = bias - 8 + rnd(g) % 16; break;   /* nearly all ones */
    case 12: {                                                             /* small integer */
        int k = (int)(rnd(g) % 4001) - 2000;
        return d ? f64b((double)k) : f32b((float)k);
    }
    case 13: case 14: case 15: case 16: e = bias - 40 + rnd(g) % 80; break;
    default: e = rnd(g) % (emx + 1); break;                                /* anything, NaN and inf too */
    }
    return sign | (e << fb) | f;
}

/* Adjacent floats around base (a bit-pattern walk), for the edges of conversions. */
static uint64_t near(Rng *g, bool d, double base)
{
    uint64_t x = d ? f64b(base) : f32b((float)base);
    int64_t k = (int64_t)(rnd(g) % 9) - 4;
    return x + (uint64_t)k;                        /* unsigned: wraps, never UB */
}

/* Floats that probe float->int: limits of each width, halves, values just below 1. */
static uint64_t gen_to_int(Rng *g, bool d)
{
    static const double bases[] = { 0x1p31, 0x1p32, 0x1p63, 0x1p64, 0x1p24, 0x1p53, 1, 0.5, 1.5, 2.5, 0x1p30 };
    uint64_t s = rnd(g) & 1 ? sign_of(d) : 0;
    switch (rnd(g) % 4) {
    case 0: return s | near(g, d, bases[rnd(g) % (sizeof bases / sizeof bases[0])]);
    case 1: {                                                              /* k + 1/2, k + 1/4, ... */
        double v = (double)(rnd(g) % 100000) + (double)(rnd(g) % 8) / 8;
        return s | (d ? f64b(v) : f32b((float)v));
    }
    case 2: return with_exp(d, gen_float(g, d), (int64_t)bias_of(d) - 2 + (int64_t)(rnd(g) % 70));
    default: return gen_float(g, d);
    }
}

/* Integers of every length, around powers of two, and with exactly one bit more than the
   format holds (so exact ties). */
static uint64_t gen_int(Rng *g, bool d)
{
    uint64_t x = rnd(g);
    switch (rnd(g) % 5) {
    case 0: return x >> (rnd(g) % 64);
    case 1: return (UINT64_C(1) << (rnd(g) % 64)) + (uint64_t)((int64_t)(rnd(g) % 9) - 4);
    case 2: return ((x >> (63 - fb_of(d) - 1)) | 1) << (rnd(g) % (63 - fb_of(d)));
    case 3: return 0 - (x >> (rnd(g) % 64));                               /* negative when signed */
    default: return x;
    }
}

/* A value within a few ulps of the smallest normal, the largest finite, or half the smallest subnormal. */
static uint64_t boundary(Rng *g, bool d)
{
    const uint64_t minnorm = UINT64_C(1) << fb_of(d), max = (emx_of(d) << fb_of(d)) - 1;
    uint64_t s = rnd(g) & 1 ? sign_of(d) : 0;
    int64_t k = (int64_t)(rnd(g) % 9) - 4;
    switch (rnd(g) % 3) {
    case 0: return s | (minnorm + (uint64_t)k);
    case 1: return s | (max - (uint64_t)(k < 0 ? -k : k));
    default: return s | (rnd(g) % 4);
    }
}

/* Operands for op, often related so results land on cancellations, ties, underflow and overflow. */
static void gen_operands(Rng *g, bool d, Op op, uint64_t *a, uint64_t *b, uint64_t *c)
{
    const int p = fb_of(d) + 1;
    const int64_t bias = (int64_t)bias_of(d), top = (int64_t)emx_of(d) - 1;
    if (is_from_int(op)) {
        *a = gen_int(g, d);
        *b = *c = 0;
        return;
    }
    if (is_to_int(op)) {
        *a = gen_to_int(g, d);
        *b = *c = 0;
        return;
    }
    *a = gen_float(g, d);
    *b = gen_float(g, d);
    *c = gen_float(g, d);
    if (op == CVT && d && rnd(g) % 4 == 0)         /* f64 -> f32 exactly halfway between two f32s */
        *a = (*a & ~UINT64_C(0x1fffffff)) | UINT64_C(0x10000000);
    if (!is_finite(d, *a) || rnd(g) % 2)
        return;
    int64_t ea = exp_of(d, *a), delta = (int64_t)(rnd(g) % (2 * p + 7)) - (p + 3);
    switch (rnd(g) % 6) {
    case 0:                                        /* b a few binades from a: ties and sticky bits */
        *b = with_exp(d, rnd(g) % 2 ? *b & ~fmask_of(d) : *b, ea + delta);
        break;
    case 1:                                        /* b within a few ulps of +-a: cancellation */
        *b = (*a + rnd(g) % 7 - 3) ^ (rnd(g) % 2 ? sign_of(d) : 0);
        break;
    case 2:                                        /* result exponent near underflow */
        if (op == MUL || op == FMA)
            *b = with_exp(d, *b, bias - ea + (delta - p) / 2);
        else if (op == DIV)
            *b = with_exp(d, *b, ea + bias - (delta - p) / 2);
        else
            *b = with_exp(d, *b, 1 + rnd(g) % 3);
        break;
    case 3:                                        /* result exponent near overflow */
        if (op == MUL || op == FMA)
            *b = with_exp(d, *b, top + bias - ea + delta / 4);
        else if (op == DIV)
            *b = with_exp(d, *b, ea - top + bias + delta / 4);
        else
            *b = with_exp(d, *b, top - rnd(g) % 2);
        break;
    case 4: {                                      /* result a few ulps from a boundary: tininess, overflow */
        uint64_t t = boundary(g, d), q;
        uint32_t fl = 0;
        int rm = (int)(rnd(g) % 4);
        if (op == MUL || op == FMA)
            q = ours(d, DIV, t, *a, 0, rm, &fl);
        else if (op == DIV)
            q = ours(d, DIV, *a, t, 0, rm, &fl);
        else if (op == SUB)
            q = ours(d, SUB, *a, t, 0, rm, &fl);
        else
            q = ours(d, SUB, t, *a, 0, rm, &fl);
        if (is_finite(d, q))
            *b = q + rnd(g) % 5 - 2;
        break;
    }
    default:
        break;
    }
    if (!d) {                                      /* the nudges above may carry past bit 31 */
        *a &= UINT32_MAX;
        *b &= UINT32_MAX;
    }
    if (op == FMA && is_finite(d, *b) && rnd(g) % 2) {
        uint32_t fl = 0;
        uint64_t pr = ours(d, MUL, *a, *b, 0, SF_RNE, &fl);
        if (rnd(g) % 2)                            /* c = -round(a*b): leaves only the rounding error */
            *c = pr ^ sign_of(d);
        else if (is_finite(d, pr))                 /* c near the product's binade */
            *c = with_exp(d, *c, exp_of(d, pr) + delta);
    }
}

/* ---------------------------------------------------------------- checking */

static unsigned failures;
static unsigned long rmm_ties;                     /* RMM cases that differed from RNE, each a verified tie */

static void report(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cr_expect_fail("%s", msg);
    if (++failures >= 20)
        cr_assert_fail("stopping after %u failures", failures);
}

static bool is_nan_bits(bool d64, uint64_t x)
{
    return d64 ? isnan(f64v(x)) : isnan(f32v(x));
}

static uint64_t canonical_nan(bool d64) { return d64 ? SF_F64_NAN : SF_F32_NAN; }

static const char *fmt_name(bool d) { return d ? "f64" : "f32"; }

/* One case in one host mode: our value and flags must equal the host's (NaN: ours canonical). */
static void check_host(bool d, Op op, uint64_t a, uint64_t b, uint64_t c, int rm)
{
    uint32_t hf = 0, of = 0;
    uint64_t want = host(d, op, a, b, c, &hf);
    uint64_t got = ours(d, op, a, b, c, rm, &of);
    bool r64 = result_is_f64(d, op);
    if (!is_cmp(op) && !is_to_int(op) && is_nan_bits(r64, want))
        want = canonical_nan(r64);
    if (got != want || of != hf)
        report("%s_%s %s a=%#llx b=%#llx c=%#llx: want %#llx flags %#x, got %#llx flags %#x",
               fmt_name(d), op_names[op], rm_names[rm], (unsigned long long)a, (unsigned long long)b,
               (unsigned long long)c, (unsigned long long)want, hf, (unsigned long long)got, of);
}

/* RMM must equal RNE (value and flags) except at an exact tie, where it is the neighbour away from zero. */
static void check_rmm(bool d, Op op, uint64_t a, uint64_t b, uint64_t c)
{
    uint32_t fe = 0, fm = 0;
    uint64_t even = ours(d, op, a, b, c, SF_RNE, &fe);
    uint64_t away = ours(d, op, a, b, c, SF_RMM, &fm);
    if (even == away && fe == fm)
        return;
    bool tie;
    if (is_to_int(op)) {
        long double x = wide(d, a);
        tie = fabsl(x - truncl(x)) == 0.5L;
        /* Out of range on one side only is possible at a tie (-2^31 - 0.5 is valid in RNE only). */
        if (tie && !((fe | fm) & SF_NV))
            tie = (int64_t)(away - even) == (x < 0 ? -1 : 1) && fe == fm;
    } else {
        bool r64 = result_is_f64(d, op);
        long double mid = (wide(r64, even) + wide(r64, away)) / 2;
        tie = (away == even + 1) && fe == fm && exact(d, op, a, b, c) == mid;
    }
    rmm_ties += tie;
    if (!tie)
        report("%s_%s rmm a=%#llx b=%#llx c=%#llx: rne %#llx flags %#x, rmm %#llx flags %#x, not a tie",
               fmt_name(d), op_names[op], (unsigned long long)a, (unsigned long long)b, (unsigned long long)c,
               (unsigned long long)even, fe, (unsigned long long)away, fm);
}

/* n random cases of op in each of the four host modes, then n more for RMM. */
static unsigned long run_random(bool d, Op op, unsigned n, uint64_t seed)
{
    Rng g = { .s = seed * 0x9e3779b9u + (uint64_t)op * 131 + d };
    rmm_ties = 0;
    have_fma3 = __builtin_cpu_supports("fma");
    unsigned long cases = 0;
    for (int rm = SF_RNE; rm <= SF_RMM; rm++) {
        fesetround(rm == SF_RMM ? FE_TONEAREST : host_modes[rm]);
        for (unsigned i = 0; i < n; i++) {
            uint64_t a, b, c;
            gen_operands(&g, d, op, &a, &b, &c);
            if (rm == SF_RMM)
                check_rmm(d, op, a, b, c);
            else
                check_host(d, op, a, b, c, rm);
            cases++;
        }
    }
    fesetround(FE_TONEAREST);
    printf("softfloat %s_%s: %lu random cases, %lu RMM ties\n", fmt_name(d), op_names[op], cases, rmm_ties);
    return cases;
}

#define N_ARITH 300000
#define N_CVT 150000

Test(softfloat_random, f64_add) { run_random(true, ADD, N_ARITH, 1); }
Test(softfloat_random, f64_sub) { run_random(true, SUB, N_ARITH, 2); }
Test(softfloat_random, f64_mul) { run_random(true, MUL, N_ARITH, 3); }
Test(softfloat_random, f64_div) { run_random(true, DIV, N_ARITH, 4); }
Test(softfloat_random, f64_sqrt) { run_random(true, SQRT, N_ARITH, 5); }
Test(softfloat_random, f64_fma) { run_random(true, FMA, N_ARITH, 6); }
Test(softfloat_random, f32_add) { run_random(false, ADD, N_ARITH, 7); }
Test(softfloat_random, f32_sub) { run_random(false, SUB, N_ARITH, 8); }
Test(softfloat_random, f32_mul) { run_random(false, MUL, N_ARITH, 9); }
Test(softfloat_random, f32_div) { run_random(false, DIV, N_ARITH, 10); }
Test(softfloat_random, f32_sqrt) { run_random(false, SQRT, N_ARITH, 11); }
Test(softfloat_random, f32_fma) { run_random(false, FMA, N_ARITH, 12); }

Test(softfloat_random, compares)
{
    for (Op op = EQ; op <= LE; op++) {
        run_random(true, op, N_CVT, 20 + op);
        run_random(false, op, N_CVT, 30 + op);
    }
}

Test(softfloat_random, float_to_int)
{
    for (Op op = TO_I32; op <= TO_U64; op++) {
        run_random(true, op, N_CVT, 40 + op);
        run_random(false, op, N_CVT, 50 + op);
    }
}

Test(softfloat_random, int_to_float)
{
    for (Op op = FROM_I32; op <= FROM_U64; op++) {
        run_random(true, op, N_CVT, 60 + op);
        run_random(false, op, N_CVT, 70 + op);
    }
}

Test(softfloat_random, f32_f64)
{
    run_random(true, CVT, N_ARITH, 80);
    run_random(false, CVT, N_ARITH, 81);
}

/* sqrt depends only on the significand and the exponent's parity: try every f32 significand
   at an even and an odd exponent, in every host mode. */
Test(softfloat_exhaustive, f32_sqrt_significands)
{
    unsigned long cases = 0;
    for (int rm = SF_RNE; rm <= SF_RUP; rm++) {
        fesetround(host_modes[rm]);
        for (uint32_t x = 0x3f000000; x <= 0x3fffffff; x++) {     /* [0.5, 2) */
            volatile float in = f32v(x);
            float r = sqrtf(in);
            /* The only possible flag is NX; r^2 is exact in a double, so compare it with x. */
            uint32_t want_fl = (double)r * r != in ? SF_NX : 0, fl = 0;
            uint32_t got = sf_f32_sqrt(x, rm, &fl);
            if (got != f32b(r) || fl != want_fl)
                report("f32_sqrt %s a=%#x: want %#x flags %#x, got %#x flags %#x", rm_names[rm], x,
                       (unsigned)f32b(r), want_fl, got, fl);
        }
        cases += 0x1000000;
    }
    fesetround(FE_TONEAREST);
    printf("softfloat f32_sqrt: %lu exhaustive significand cases\n", cases);
}

/* ---------------------------------------------------------------- hand-picked cases */

#define F32(x) ((uint64_t)(x))
#define I32(x) ((uint64_t)(int64_t)(int32_t)(x))
enum {
    P0_32 = 0x00000000, N0_32 = 0x80000000, ONE_32 = 0x3f800000, INF_32 = 0x7f800000, NINF_32 = 0xff800000,
    MAX_32 = 0x7f7fffff, MINSUB_32 = 0x00000001, QNAN_32 = 0x7fc12345, SNAN_32 = 0x7f800001,
};
#define P0_64 UINT64_C(0)
#define N0_64 UINT64_C(0x8000000000000000)
#define ONE_64 UINT64_C(0x3ff0000000000000)
#define TWO_64 UINT64_C(0x4000000000000000)
#define HALF_64 UINT64_C(0x3fe0000000000000)
#define INF_64 UINT64_C(0x7ff0000000000000)
#define NINF_64 UINT64_C(0xfff0000000000000)
#define MAX_64 UINT64_C(0x7fefffffffffffff)
#define MINSUB_64 UINT64_C(0x0000000000000001)
#define MINNORM_64 UINT64_C(0x0010000000000000)
#define QNAN_64 UINT64_C(0x7ff8000000abcdef)
#define SNAN_64 UINT64_C(0x7ff0000000000001)
#define NEG64 UINT64_C(0x8000000000000000)

typedef struct Case {
    bool d;
    Op op;
    int rm;
    uint64_t a, b, c, want;
    uint32_t flags;
} Case;

static const Case cases[] = {
    /* division by zero, invalid operations, canonical NaN */
    { .d = true, .op = DIV, .rm = SF_RNE, .a = ONE_64, .b = P0_64, .want = INF_64, .flags = SF_DZ },
    { .d = true, .op = DIV, .rm = SF_RNE, .a = ONE_64, .b = N0_64, .want = NINF_64, .flags = SF_DZ },
    { .d = true, .op = DIV, .rm = SF_RNE, .a = P0_64, .b = P0_64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = true, .op = DIV, .rm = SF_RNE, .a = INF_64, .b = INF_64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = true, .op = DIV, .rm = SF_RNE, .a = INF_64, .b = P0_64, .want = INF_64, .flags = 0 },
    { .d = true, .op = SQRT, .rm = SF_RNE, .a = ONE_64 | NEG64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = true, .op = SQRT, .rm = SF_RNE, .a = N0_64, .want = N0_64, .flags = 0 },
    { .d = true, .op = SQRT, .rm = SF_RNE, .a = NINF_64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = true, .op = SQRT, .rm = SF_RNE, .a = UINT64_C(0x4010000000000000), .want = TWO_64, .flags = 0 },
    { .d = false, .op = SQRT, .rm = SF_RNE, .a = F32(0xbf800000), .want = SF_F32_NAN, .flags = SF_NV },
    { .d = false, .op = DIV, .rm = SF_RNE, .a = ONE_32, .b = P0_32, .want = INF_32, .flags = SF_DZ },
    { .d = true, .op = SUB, .rm = SF_RNE, .a = INF_64, .b = INF_64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = true, .op = MUL, .rm = SF_RNE, .a = INF_64, .b = N0_64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = true, .op = ADD, .rm = SF_RNE, .a = QNAN_64, .b = ONE_64, .want = SF_F64_NAN, .flags = 0 },
    { .d = true, .op = ADD, .rm = SF_RNE, .a = SNAN_64, .b = ONE_64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = false, .op = MUL, .rm = SF_RNE, .a = QNAN_32, .b = ONE_32, .want = SF_F32_NAN, .flags = 0 },
    { .d = false, .op = ADD, .rm = SF_RNE, .a = ONE_32, .b = SNAN_32, .want = SF_F32_NAN, .flags = SF_NV },
    { .d = true, .op = SQRT, .rm = SF_RNE, .a = SNAN_64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = true, .op = SQRT, .rm = SF_RNE, .a = QNAN_64 | NEG64, .want = SF_F64_NAN, .flags = 0 },
    /* fma: inf * 0 is invalid even with a quiet NaN addend */
    { .d = true, .op = FMA, .rm = SF_RNE, .a = INF_64, .b = P0_64, .c = QNAN_64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = true, .op = FMA, .rm = SF_RNE, .a = P0_64, .b = NINF_64, .c = ONE_64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = false, .op = FMA, .rm = SF_RNE, .a = INF_32, .b = P0_32, .c = QNAN_32, .want = SF_F32_NAN, .flags = SF_NV },
    { .d = true, .op = FMA, .rm = SF_RNE, .a = INF_64, .b = ONE_64, .c = NINF_64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = true, .op = FMA, .rm = SF_RNE, .a = ONE_64, .b = ONE_64, .c = SNAN_64, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = true, .op = FMA, .rm = SF_RNE, .a = QNAN_64, .b = ONE_64, .c = ONE_64, .want = SF_F64_NAN, .flags = 0 },
    /* fma: one rounding. (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly, where mul-then-add gives 0. */
    { .d = true, .op = FMA, .rm = SF_RNE, .a = UINT64_C(0x3ff0000000000001), .b = UINT64_C(0x3feffffffffffffe),
      .c = ONE_64 | NEG64, .want = UINT64_C(0xb970000000000000), .flags = 0 },
    /* exact zeros: x - x is +0, or -0 rounding down; -0 + -0 = -0; fma zero product with -0 */
    { .d = true, .op = SUB, .rm = SF_RNE, .a = ONE_64, .b = ONE_64, .want = P0_64, .flags = 0 },
    { .d = true, .op = SUB, .rm = SF_RDN, .a = ONE_64, .b = ONE_64, .want = N0_64, .flags = 0 },
    { .d = true, .op = ADD, .rm = SF_RNE, .a = N0_64, .b = N0_64, .want = N0_64, .flags = 0 },
    { .d = true, .op = ADD, .rm = SF_RUP, .a = N0_64, .b = P0_64, .want = P0_64, .flags = 0 },
    { .d = true, .op = FMA, .rm = SF_RNE, .a = N0_64, .b = ONE_64, .c = N0_64, .want = N0_64, .flags = 0 },
    { .d = true, .op = FMA, .rm = SF_RNE, .a = N0_64, .b = ONE_64, .c = P0_64, .want = P0_64, .flags = 0 },
    { .d = true, .op = FMA, .rm = SF_RDN, .a = N0_64, .b = ONE_64, .c = P0_64, .want = N0_64, .flags = 0 },
    /* overflow: max * 2 is inf in RNE/RUP, max in RTZ, and by sign in RDN */
    { .d = true, .op = MUL, .rm = SF_RNE, .a = MAX_64, .b = TWO_64, .want = INF_64, .flags = SF_OF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RTZ, .a = MAX_64, .b = TWO_64, .want = MAX_64, .flags = SF_OF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RDN, .a = MAX_64, .b = TWO_64, .want = MAX_64, .flags = SF_OF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RUP, .a = MAX_64, .b = TWO_64, .want = INF_64, .flags = SF_OF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RMM, .a = MAX_64, .b = TWO_64, .want = INF_64, .flags = SF_OF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RUP, .a = MAX_64 | NEG64, .b = TWO_64, .want = MAX_64 | NEG64, .flags = SF_OF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RDN, .a = MAX_64 | NEG64, .b = TWO_64, .want = NINF_64, .flags = SF_OF | SF_NX },
    { .d = false, .op = ADD, .rm = SF_RNE, .a = MAX_32, .b = MAX_32, .want = INF_32, .flags = SF_OF | SF_NX },
    { .d = false, .op = ADD, .rm = SF_RTZ, .a = MAX_32, .b = MAX_32, .want = MAX_32, .flags = SF_OF | SF_NX },
    /* smallest subnormal * 0.5: a tie between 0 and itself */
    { .d = true, .op = MUL, .rm = SF_RNE, .a = MINSUB_64, .b = HALF_64, .want = P0_64, .flags = SF_UF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RTZ, .a = MINSUB_64, .b = HALF_64, .want = P0_64, .flags = SF_UF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RDN, .a = MINSUB_64, .b = HALF_64, .want = P0_64, .flags = SF_UF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RUP, .a = MINSUB_64, .b = HALF_64, .want = MINSUB_64, .flags = SF_UF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RMM, .a = MINSUB_64, .b = HALF_64, .want = MINSUB_64, .flags = SF_UF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RDN, .a = MINSUB_64 | NEG64, .b = HALF_64, .want = MINSUB_64 | NEG64, .flags = SF_UF | SF_NX },
    { .d = false, .op = MUL, .rm = SF_RMM, .a = MINSUB_32, .b = 0x3f000000, .want = MINSUB_32, .flags = SF_UF | SF_NX },
    { .d = false, .op = MUL, .rm = SF_RNE, .a = MINSUB_32, .b = 0x3f000000, .want = P0_32, .flags = SF_UF | SF_NX },
    /* Tininess after rounding. 2^-1022 - 2^-1075 has 53 bits, so it stays tiny even though it rounds
       to 2^-1022 as a subnormal; 2^-1022 (1 - 2^-104) rounds to 2^-1022 at 53 bits: not tiny in RNE. */
    { .d = true, .op = MUL, .rm = SF_RNE, .a = UINT64_C(0x001fffffffffffff), .b = HALF_64,
      .want = MINNORM_64, .flags = SF_UF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RNE, .a = UINT64_C(0x3feffffffffffffe), .b = UINT64_C(0x0010000000000001),
      .want = MINNORM_64, .flags = SF_NX },
    { .d = true, .op = MUL, .rm = SF_RTZ, .a = UINT64_C(0x3feffffffffffffe), .b = UINT64_C(0x0010000000000001),
      .want = UINT64_C(0x000fffffffffffff), .flags = SF_UF | SF_NX },
    { .d = true, .op = MUL, .rm = SF_RUP, .a = UINT64_C(0x3feffffffffffffe), .b = UINT64_C(0x0010000000000001),
      .want = MINNORM_64, .flags = SF_NX },
    /* exact subnormal results raise nothing */
    { .d = true, .op = MUL, .rm = SF_RNE, .a = MINNORM_64, .b = HALF_64, .want = UINT64_C(0x0008000000000000), .flags = 0 },
    { .d = true, .op = SUB, .rm = SF_RNE, .a = UINT64_C(0x0010000000000001), .b = MINNORM_64, .want = MINSUB_64, .flags = 0 },
    /* RMM: ties away from zero */
    { .d = true, .op = ADD, .rm = SF_RMM, .a = ONE_64, .b = UINT64_C(0x3ca0000000000000), .want = UINT64_C(0x3ff0000000000001), .flags = SF_NX },
    { .d = true, .op = ADD, .rm = SF_RNE, .a = ONE_64, .b = UINT64_C(0x3ca0000000000000), .want = ONE_64, .flags = SF_NX },
    { .d = true, .op = ADD, .rm = SF_RMM, .a = ONE_64 | NEG64, .b = UINT64_C(0xbca0000000000000), .want = UINT64_C(0xbff0000000000001), .flags = SF_NX },
    { .d = true, .op = FROM_I64, .rm = SF_RMM, .a = (UINT64_C(1) << 53) + 1, .want = UINT64_C(0x4340000000000001), .flags = SF_NX },
    { .d = true, .op = FROM_I64, .rm = SF_RNE, .a = (UINT64_C(1) << 53) + 1, .want = UINT64_C(0x4340000000000000), .flags = SF_NX },
    { .d = false, .op = FROM_I32, .rm = SF_RMM, .a = I32(-((1 << 24) + 1)), .want = F32(0xcb800001), .flags = SF_NX },
    { .d = false, .op = FROM_I32, .rm = SF_RNE, .a = I32(-((1 << 24) + 1)), .want = F32(0xcb800000), .flags = SF_NX },
    { .d = true, .op = TO_I32, .rm = SF_RMM, .a = UINT64_C(0x4004000000000000), .want = 3, .flags = SF_NX },     /* 2.5 */
    { .d = true, .op = TO_I32, .rm = SF_RNE, .a = UINT64_C(0x4004000000000000), .want = 2, .flags = SF_NX },
    { .d = true, .op = TO_I32, .rm = SF_RMM, .a = UINT64_C(0xc004000000000000), .want = I32(-3), .flags = SF_NX },
    { .d = true, .op = TO_I64, .rm = SF_RMM, .a = HALF_64, .want = 1, .flags = SF_NX },
    { .d = true, .op = TO_I64, .rm = SF_RNE, .a = HALF_64, .want = 0, .flags = SF_NX },
    { .d = false, .op = TO_U32, .rm = SF_RMM, .a = F32(0x3fc00000), .want = 2, .flags = SF_NX },             /* 1.5 */
    { .d = true, .op = CVT, .rm = SF_RMM, .a = UINT64_C(0x3ff0000010000000), .want = F32(0x3f800001), .flags = SF_NX },
    { .d = true, .op = CVT, .rm = SF_RNE, .a = UINT64_C(0x3ff0000010000000), .want = F32(0x3f800000), .flags = SF_NX },
    /* float -> int saturation: NaN and +big give the maximum, -big the minimum, NV alone */
    { .d = true, .op = TO_I32, .rm = SF_RNE, .a = QNAN_64, .want = I32(INT32_MAX), .flags = SF_NV },
    { .d = true, .op = TO_I32, .rm = SF_RNE, .a = QNAN_64 | NEG64, .want = I32(INT32_MAX), .flags = SF_NV },
    { .d = true, .op = TO_U32, .rm = SF_RNE, .a = QNAN_64, .want = UINT32_MAX, .flags = SF_NV },
    { .d = true, .op = TO_I64, .rm = SF_RNE, .a = SNAN_64, .want = INT64_MAX, .flags = SF_NV },
    { .d = true, .op = TO_U64, .rm = SF_RNE, .a = QNAN_64, .want = UINT64_MAX, .flags = SF_NV },
    { .d = true, .op = TO_I32, .rm = SF_RNE, .a = INF_64, .want = I32(INT32_MAX), .flags = SF_NV },
    { .d = true, .op = TO_I32, .rm = SF_RNE, .a = NINF_64, .want = I32(INT32_MIN), .flags = SF_NV },
    { .d = true, .op = TO_U64, .rm = SF_RNE, .a = NINF_64, .want = 0, .flags = SF_NV },
    { .d = true, .op = TO_I32, .rm = SF_RNE, .a = UINT64_C(0x41e0000000000000), .want = I32(INT32_MAX), .flags = SF_NV },  /* 2^31 */
    { .d = true, .op = TO_I32, .rm = SF_RNE, .a = UINT64_C(0xc1e0000000000000), .want = I32(INT32_MIN), .flags = 0 },      /* -2^31 */
    { .d = true, .op = TO_I32, .rm = SF_RTZ, .a = UINT64_C(0xc1e0000000100000), .want = I32(INT32_MIN), .flags = SF_NX },  /* -2^31 - 0.5 */
    { .d = true, .op = TO_I32, .rm = SF_RMM, .a = UINT64_C(0xc1e0000000100000), .want = I32(INT32_MIN), .flags = SF_NV },
    { .d = true, .op = TO_I32, .rm = SF_RNE, .a = UINT64_C(0xc1e0000000100000), .want = I32(INT32_MIN), .flags = SF_NX },
    { .d = true, .op = TO_U32, .rm = SF_RNE, .a = UINT64_C(0x41effffffff00000), .want = UINT32_MAX, .flags = SF_NV },      /* 2^32 - 0.5 */
    { .d = true, .op = TO_U32, .rm = SF_RTZ, .a = UINT64_C(0x41effffffff00000), .want = UINT32_MAX, .flags = SF_NX },
    { .d = true, .op = TO_U64, .rm = SF_RNE, .a = UINT64_C(0x43f0000000000000), .want = UINT64_MAX, .flags = SF_NV },      /* 2^64 */
    { .d = true, .op = TO_U64, .rm = SF_RNE, .a = UINT64_C(0x43efffffffffffff), .want = UINT64_C(0xfffffffffffff800), .flags = 0 },
    { .d = true, .op = TO_I64, .rm = SF_RNE, .a = UINT64_C(0xc3e0000000000000), .want = (uint64_t)INT64_MIN, .flags = 0 },
    /* unsigned from negatives: rounding to 0 is valid (NX), to -1 or below invalid */
    { .d = true, .op = TO_U32, .rm = SF_RTZ, .a = UINT64_C(0xbfeccccccccccccd), .want = 0, .flags = SF_NX },   /* -0.9 */
    { .d = true, .op = TO_U32, .rm = SF_RNE, .a = UINT64_C(0xbfe0000000000000), .want = 0, .flags = SF_NX },   /* -0.5 */
    { .d = true, .op = TO_U32, .rm = SF_RDN, .a = UINT64_C(0xbfe0000000000000), .want = 0, .flags = SF_NV },
    { .d = true, .op = TO_U32, .rm = SF_RMM, .a = UINT64_C(0xbfe0000000000000), .want = 0, .flags = SF_NV },
    { .d = true, .op = TO_U64, .rm = SF_RNE, .a = ONE_64 | NEG64, .want = 0, .flags = SF_NV },
    { .d = false, .op = TO_U64, .rm = SF_RUP, .a = F32(0xbf7fffff), .want = 0, .flags = SF_NX },
    { .d = true, .op = TO_U32, .rm = SF_RNE, .a = N0_64, .want = 0, .flags = 0 },
    { .d = false, .op = TO_I32, .rm = SF_RNE, .a = F32(0xcf000000), .want = I32(INT32_MIN), .flags = 0 },        /* -2^31 */
    { .d = false, .op = TO_I32, .rm = SF_RUP, .a = F32(0x4effffff), .want = 0x7fffff80, .flags = 0 },
    /* compares: eq is quiet, lt/le signal on any NaN */
    { .d = true, .op = EQ, .rm = SF_RNE, .a = QNAN_64, .b = ONE_64, .want = 0, .flags = 0 },
    { .d = true, .op = EQ, .rm = SF_RNE, .a = SNAN_64, .b = ONE_64, .want = 0, .flags = SF_NV },
    { .d = true, .op = LT, .rm = SF_RNE, .a = QNAN_64, .b = ONE_64, .want = 0, .flags = SF_NV },
    { .d = true, .op = LE, .rm = SF_RNE, .a = ONE_64, .b = QNAN_64, .want = 0, .flags = SF_NV },
    { .d = true, .op = EQ, .rm = SF_RNE, .a = P0_64, .b = N0_64, .want = 1, .flags = 0 },
    { .d = true, .op = LT, .rm = SF_RNE, .a = N0_64, .b = P0_64, .want = 0, .flags = 0 },
    { .d = true, .op = LE, .rm = SF_RNE, .a = P0_64, .b = N0_64, .want = 1, .flags = 0 },
    { .d = false, .op = LT, .rm = SF_RNE, .a = F32(0xc0000000), .b = F32(0xbf800000), .want = 1, .flags = 0 },
    { .d = false, .op = EQ, .rm = SF_RNE, .a = QNAN_32, .b = QNAN_32, .want = 0, .flags = 0 },
    /* f32 <-> f64 */
    { .d = false, .op = CVT, .rm = SF_RNE, .a = SNAN_32, .want = SF_F64_NAN, .flags = SF_NV },
    { .d = false, .op = CVT, .rm = SF_RNE, .a = MINSUB_32, .want = UINT64_C(0x36a0000000000000), .flags = 0 },
    { .d = true, .op = CVT, .rm = SF_RNE, .a = QNAN_64, .want = SF_F32_NAN, .flags = 0 },
    { .d = true, .op = CVT, .rm = SF_RNE, .a = SNAN_64, .want = SF_F32_NAN, .flags = SF_NV },
    { .d = true, .op = CVT, .rm = SF_RNE, .a = MAX_64, .want = INF_32, .flags = SF_OF | SF_NX },
    { .d = true, .op = CVT, .rm = SF_RTZ, .a = MAX_64, .want = MAX_32, .flags = SF_OF | SF_NX },
    { .d = true, .op = CVT, .rm = SF_RUP, .a = MINSUB_64, .want = MINSUB_32, .flags = SF_UF | SF_NX },
    { .d = true, .op = CVT, .rm = SF_RNE, .a = MINSUB_64, .want = P0_32, .flags = SF_UF | SF_NX },
    /* int -> float */
    { .d = true, .op = FROM_U64, .rm = SF_RNE, .a = UINT64_MAX, .want = UINT64_C(0x43f0000000000000), .flags = SF_NX },
    { .d = true, .op = FROM_U64, .rm = SF_RTZ, .a = UINT64_MAX, .want = UINT64_C(0x43efffffffffffff), .flags = SF_NX },
    { .d = false, .op = FROM_I64, .rm = SF_RNE, .a = (uint64_t)INT64_MIN, .want = F32(0xdf000000), .flags = 0 },
    { .d = true, .op = FROM_I32, .rm = SF_RNE, .a = I32(INT32_MIN), .want = UINT64_C(0xc1e0000000000000), .flags = 0 },
    { .d = false, .op = FROM_U32, .rm = SF_RUP, .a = 0xffffff01, .want = F32(0x4f800000), .flags = SF_NX },
    { .d = false, .op = FROM_I32, .rm = SF_RNE, .a = 0, .want = P0_32, .flags = 0 },
};

Test(softfloat_table, hand_picked)
{
    unsigned n = sizeof cases / sizeof cases[0];
    for (unsigned i = 0; i < n; i++) {
        const Case *k = &cases[i];
        uint32_t fl = 0;
        uint64_t got = ours(k->d, k->op, k->a, k->b, k->c, k->rm, &fl);
        if (got != k->want || fl != k->flags)
            report("case %u: %s_%s %s a=%#llx b=%#llx c=%#llx: want %#llx flags %#x, got %#llx flags %#x", i,
                   fmt_name(k->d), op_names[k->op], rm_names[k->rm], (unsigned long long)k->a,
                   (unsigned long long)k->b, (unsigned long long)k->c, (unsigned long long)k->want, k->flags,
                   (unsigned long long)got, fl);
    }
    printf("softfloat table: %u hand-picked cases\n", n);
}

/* Flags accumulate: functions OR into *flags and never clear bits already set. */
Test(softfloat_table, flags_accumulate)
{
    uint32_t fl = SF_DZ;
    sf_f64_add(ONE_64, UINT64_C(0x3c90000000000000), SF_RNE, &fl);   /* 1 + 2^-54: inexact */
    cr_assert_eq(fl, SF_DZ | SF_NX);
    sf_f32_mul(ONE_32, ONE_32, SF_RNE, &fl);
    cr_assert_eq(fl, SF_DZ | SF_NX);
}

/* The entry points on host floats (tier 2's) give the bit-pattern ones' results and flags
   bit for bit: payloads of signaling and quiet NaNs cross the calls unchanged. */
#define VIA_HOST(W, T, from, to)                                                  \
    do {                                                                          \
        T x = from(a), y = from(b), z = from(c), r;                               \
        switch (op) {                                                             \
        case ADD: r = sf_f##W##_add_host(x, y, rm, fl); break;                    \
        case SUB: r = sf_f##W##_sub_host(x, y, rm, fl); break;                    \
        case MUL: r = sf_f##W##_mul_host(x, y, rm, fl); break;                    \
        case DIV: r = sf_f##W##_div_host(x, y, rm, fl); break;                    \
        case SQRT: r = sf_f##W##_sqrt_host(x, rm, fl); break;                     \
        default: r = sf_f##W##_fma_host(x, y, z, rm, fl); break;                  \
        }                                                                         \
        return to(r);                                                             \
    } while (0)
static uint64_t via_host(bool d, Op op, uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fl)
{
    if (d)
        VIA_HOST(64, double, f64v, f64b);
    VIA_HOST(32, float, f32v, f32b);
}

Test(softfloat_host_entry_points, same_bits_and_flags)
{
    static const Op ops[] = { ADD, SUB, MUL, DIV, SQRT, FMA };
    Rng g = { .s = 20261121 };
    unsigned long n = 0, nans = 0;
    for (int d = 0; d <= 1; d++)
        for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++)
            for (int rm = SF_RNE; rm <= SF_RMM; rm++)
                for (unsigned i = 0; i < 20000; i++, n++) {
                    uint64_t a, b, c;
                    gen_operands(&g, d, ops[k], &a, &b, &c);
                    uint32_t fl_bits = SF_DZ, fl_host = SF_DZ;   /* flags already set stay set */
                    uint64_t want = ours(d, ops[k], a, b, c, rm, &fl_bits);
                    uint64_t got = via_host(d, ops[k], a, b, c, rm, &fl_host);
                    nans += !is_finite(d, a) || !is_finite(d, b);
                    if (got != want || fl_host != fl_bits)
                        report("%s_%s_host %s a=%#llx b=%#llx c=%#llx: want %#llx flags %#x, got %#llx flags %#x",
                               fmt_name(d), op_names[ops[k]], rm_names[rm], (unsigned long long)a,
                               (unsigned long long)b, (unsigned long long)c, (unsigned long long)want, fl_bits,
                               (unsigned long long)got, fl_host);
                }
    cr_assert_gt(nans, n / 20, "the operands include NaNs and infinities (%lu of %lu)", nans, n);
    printf("softfloat host entry points: %lu cases, %lu with a NaN or infinite operand\n", n, nans);
}
