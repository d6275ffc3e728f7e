/*
** test_fp_helpers.c — the spec's FP helpers (interp/helpers.c) against softfloat alone.
** The helpers take a shortcut through the host FPU in round to nearest even (host-fp.h),
** and its exception flags accrue in the host's MXCSR until interp_fp_fold moves them
** into fflags. Every tier runs these helpers, so any shortcut that differs from softfloat
** in a result bit or a flag is a wrong guest result. The operands are drawn to make exact
** results common (few significant bits, nearby exponents), to sit at the edges where the
** host could differ (tininess, overflow, zero, cancellation, NaNs), and at random. The
** seed is fixed.
*/
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "interp.h"
#include "softfloat.h"

enum { N = 400000 };

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

/* sign, exponent and fraction chosen to stress the shortcut (bias 1023, 52-bit fraction) */
static uint64_t pick64(void)
{
    uint64_t r = next(), sign = (r & 1) << 63;
    unsigned kind = (unsigned)(r >> 1) % 9;
    uint64_t exp, frac;
    static const uint64_t special[] = {
        0, 0x7ff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001,   /* 0, inf, qNaN, sNaN */
        0x0010000000000000, 0x7fefffffffffffff, 0x0000000000000001,     /* min normal, max, min subnormal */
        0x3feffffffffffffe, 0x0010000000000001,   /* their product is tiny only before rounding */
    };
    switch (kind) {
    case 0: return next();                                          /* any pattern, NaNs included */
    case 8: return sign | special[next() % (sizeof special / sizeof special[0])];
    case 1: exp = 1023 + (next() % 16); frac = (next() >> 12) & ~((1ull << 40) - 1); break;   /* few bits */
    case 2: exp = 1000 + (next() % 48); frac = (next() >> 12) & ~((1ull << 26) - 1); break;
    case 3: exp = 1 + (next() % 4); frac = next() >> 12; break;     /* at emin */
    case 4: exp = 0; frac = (next() >> 12) & ((1ull << (next() % 52)) - 1); break;   /* subnormal or zero */
    case 5: exp = 2045 + (next() % 3); frac = next() >> 12; break;  /* near overflow (2047: inf/NaN) */
    case 6: exp = 1023 + (next() % 64); frac = (next() >> 12) & ~((1ull << (next() % 53)) - 1); break;
    default: exp = next() % 2048; frac = next() >> 12; break;
    }
    return sign | (exp << 52) | (frac & ((1ull << 52) - 1));
}

static uint32_t pick32(void)
{
    uint32_t r = (uint32_t)next(), sign = (r & 1) << 31;
    unsigned kind = (r >> 1) % 9;
    uint32_t exp, frac;
    static const uint32_t special[] = {
        0, 0x7f800000, 0x7fc00000, 0x7f800001, 0x00800000, 0x7f7fffff, 0x00000001, 0x3f7ffffe, 0x00800001,
    };
    switch (kind) {
    case 0: return (uint32_t)next();
    case 8: return sign | special[next() % (sizeof special / sizeof special[0])];
    case 1: exp = 127 + (uint32_t)(next() % 8); frac = (uint32_t)(next() >> 41) & ~((1u << 16) - 1); break;
    case 2: exp = 110 + (uint32_t)(next() % 32); frac = (uint32_t)(next() >> 41) & ~((1u << 11) - 1); break;
    case 3: exp = 1 + (uint32_t)(next() % 4); frac = (uint32_t)(next() >> 41); break;
    case 4: exp = 0; frac = (uint32_t)(next() >> 41) & ((1u << (next() % 23)) - 1); break;
    case 5: exp = 253 + (uint32_t)(next() % 3); frac = (uint32_t)(next() >> 41); break;
    case 6: exp = 127 + (uint32_t)(next() % 32); frac = (uint32_t)(next() >> 41) & ~((1u << (next() % 24)) - 1); break;
    default: exp = (uint32_t)(next() % 256); frac = (uint32_t)(next() >> 41); break;
    }
    return sign | (exp << 23) | (frac & ((1u << 23) - 1));
}

typedef enum { ADD, SUB, MUL, DIV, FMA, SQRT } Op;
static const char *const names[] = { "add", "sub", "mul", "div", "fma", "sqrt" };

static void check64(Op op, uint64_t a, uint64_t b, uint64_t c, uint8_t rm, uint32_t flags_before)
{
    static InterpCpu cpu;
    uint32_t want_flags = flags_before;
    uint64_t want, got;
    cpu.fflags = flags_before;
    interp_fp_discard();
    switch (op) {
    case ADD: want = sf_f64_add(a, b, rm, &want_flags); got = helper_f64_add(&cpu, a, b, rm); break;
    case SUB: want = sf_f64_sub(a, b, rm, &want_flags); got = helper_f64_sub(&cpu, a, b, rm); break;
    case MUL: want = sf_f64_mul(a, b, rm, &want_flags); got = helper_f64_mul(&cpu, a, b, rm); break;
    case DIV: want = sf_f64_div(a, b, rm, &want_flags); got = helper_f64_div(&cpu, a, b, rm); break;
    case SQRT: want = sf_f64_sqrt(a, rm, &want_flags); got = helper_f64_sqrt(&cpu, a, rm); break;
    default: want = sf_f64_fma(a, b, c, rm, &want_flags); got = helper_f64_fma(&cpu, a, b, c, rm); break;
    }
    interp_fp_fold(&cpu);
    if (got != want || cpu.fflags != want_flags)
        cr_assert_fail("f64 %s rm %u flags %#x: %016llx, %016llx, %016llx gives %016llx flags %#x, softfloat %016llx flags %#x",
                names[op], rm, flags_before, (unsigned long long)a, (unsigned long long)b, (unsigned long long)c,
                (unsigned long long)got, cpu.fflags, (unsigned long long)want, want_flags);
}

static void check32(Op op, uint32_t a, uint32_t b, uint32_t c, uint8_t rm, uint32_t flags_before)
{
    static InterpCpu cpu;
    uint32_t want_flags = flags_before, want, got;
    cpu.fflags = flags_before;
    interp_fp_discard();
    switch (op) {
    case ADD: want = sf_f32_add(a, b, rm, &want_flags); got = helper_f32_add(&cpu, a, b, rm); break;
    case SUB: want = sf_f32_sub(a, b, rm, &want_flags); got = helper_f32_sub(&cpu, a, b, rm); break;
    case MUL: want = sf_f32_mul(a, b, rm, &want_flags); got = helper_f32_mul(&cpu, a, b, rm); break;
    case DIV: want = sf_f32_div(a, b, rm, &want_flags); got = helper_f32_div(&cpu, a, b, rm); break;
    case SQRT: want = sf_f32_sqrt(a, rm, &want_flags); got = helper_f32_sqrt(&cpu, a, rm); break;
    default: want = sf_f32_fma(a, b, c, rm, &want_flags); got = helper_f32_fma(&cpu, a, b, c, rm); break;
    }
    interp_fp_fold(&cpu);
    if (got != want || cpu.fflags != want_flags)
        cr_assert_fail("f32 %s rm %u flags %#x: %08x, %08x, %08x gives %08x flags %#x, softfloat %08x flags %#x",
                names[op], rm, flags_before, a, b, c, got, cpu.fflags, want, want_flags);
}

/* flags before: none, NX, or others: the host's flags add to them, never replace them */
static uint32_t pick_flags(void)
{
    static const uint32_t choices[] = { 0, 0, SF_NX, SF_NX | SF_UF, SF_OF, SF_NV | SF_DZ };
    return choices[next() % 6];
}

static uint8_t pick_rm(void) { return next() % 4 ? SF_RNE : (uint8_t)(next() % 5); }

static void run64(Op op)
{
    for (int i = 0; i < N; i++)
        check64(op, pick64(), pick64(), pick64(), pick_rm(), pick_flags());
}

static void run32(Op op)
{
    for (int i = 0; i < N; i++)
        check32(op, pick32(), pick32(), pick32(), pick_rm(), pick_flags());
}

Test(fp_helpers, f64_add) { run64(ADD); }
Test(fp_helpers, f64_sub) { run64(SUB); }
Test(fp_helpers, f64_mul) { run64(MUL); }
Test(fp_helpers, f64_div) { run64(DIV); }
Test(fp_helpers, f64_fma) { run64(FMA); }
Test(fp_helpers, f64_sqrt) { run64(SQRT); }
Test(fp_helpers, f32_add) { run32(ADD); }
Test(fp_helpers, f32_sub) { run32(SUB); }
Test(fp_helpers, f32_mul) { run32(MUL); }
Test(fp_helpers, f32_div) { run32(DIV); }
Test(fp_helpers, f32_fma) { run32(FMA); }
Test(fp_helpers, f32_sqrt) { run32(SQRT); }

/* The cases the shortcut exists for, and its edges, by hand: exact sums and products
   leave NX clear; inexact ones raise it; exact results at and below emin+1 go to softfloat. */
Test(fp_helpers, exact_results_raise_nothing)
{
    static const struct { uint64_t a, b; } sums[] = {
        { 0x3ff0000000000000, 0x4000000000000000 },   /* 1 + 2 */
        { 0x3fd0000000000000, 0xbfd0000000000000 },   /* 0.25 - 0.25 = 0: softfloat's */
        { 0x0020000000000000, 0x0010000000000000 },   /* 2^-1021 + 2^-1022 */
        { 0x4340000000000000, 0x3ff0000000000000 },   /* 2^53 + 1: inexact */
        { 0x7fefffffffffffff, 0x7fefffffffffffff },   /* overflow */
    };
    for (size_t i = 0; i < sizeof sums / sizeof sums[0]; i++) {
        check64(ADD, sums[i].a, sums[i].b, 0, SF_RNE, 0);
        check64(SUB, sums[i].a, sums[i].b, 0, SF_RNE, 0);
        check64(MUL, sums[i].a, sums[i].b, 0, SF_RNE, 0);
    }
    static InterpCpu cpu;
    cpu.fflags = 0;
    interp_fp_discard();
    uint64_t three = helper_f64_add(&cpu, 0x3ff0000000000000, 0x4000000000000000, SF_RNE);
    cr_assert_eq(three, 0x4008000000000000);
    interp_fp_fold(&cpu);
    cr_assert_eq(cpu.fflags, 0, "an exact sum raised %#x", cpu.fflags);
    uint64_t third = helper_f64_div(&cpu, 0x3ff0000000000000, 0x4008000000000000, SF_RNE);
    cr_assert_eq(third, 0x3fd5555555555555);
    interp_fp_fold(&cpu);
    cr_assert_eq(cpu.fflags, SF_NX);
}

/* Products whose rounding error is tiny: tier 2 proves a product exact with a fused
   multiply-add, which computes the error a*b - p exactly only while it cannot underflow
   (p's exponent at least emin + precision); below that the proof must give way to
   softfloat. Operands with exponents summing to around that bound, few significant
   bits (exact products) or many (inexact, some by a last bit far below the result's). */
static uint64_t near_bound64(int e)
{
    uint64_t frac = next() >> 12;
    switch (next() % 3) {
    case 0: frac &= ~((1ull << 40) - 1); break;             /* exact products are common */
    case 1: frac = 1; break;                                 /* 1 + 2^-52: a far last bit */
    default: break;
    }
    return (next() & 1) << 63 | (uint64_t)(1023 + e) << 52 | (frac & ((1ull << 52) - 1));
}
static uint32_t near_bound32(int e)
{
    uint32_t frac = (uint32_t)(next() >> 41);
    switch (next() % 3) {
    case 0: frac &= ~((1u << 16) - 1); break;
    case 1: frac = 1; break;
    default: break;
    }
    return (uint32_t)(next() & 1) << 31 | (uint32_t)(127 + e) << 23 | (frac & ((1u << 23) - 1));
}

Test(fp_helpers, products_near_the_underflow_of_their_error)
{
    for (int i = 0; i < N / 4; i++) {
        int sum = -1022 + 53 - 8 + (int)(next() % 17);      /* ea + eb around emin + P - 1 */
        int ea = -(int)(next() % 900) - 60;
        check64(MUL, near_bound64(ea), near_bound64(sum - ea), 0, SF_RNE, next() % 2 ? 0 : SF_UF);
        int sum32 = -126 + 24 - 8 + (int)(next() % 17);
        int ea32 = -(int)(next() % 90) - 10;
        check32(MUL, near_bound32(ea32), near_bound32(sum32 - ea32), 0, SF_RNE, next() % 2 ? 0 : SF_UF);
    }
    /* (1 + 2^-52)^2 = 1 + 2^-51 + 2^-104 is inexact whatever the scale; at 2^-968 its
       error, 2^-1072, is still a double; at 2^-1000 the error would underflow */
    check64(MUL, 0x3ff0000000000001 - (484ull << 52), 0x3ff0000000000001 - (484ull << 52), 0, SF_RNE, 0);
    check64(MUL, 0x3ff0000000000001 - (500ull << 52), 0x3ff0000000000001 - (500ull << 52), 0, SF_RNE, 0);
    check64(MUL, 0x4008000000000000 - (500ull << 52), 0x4014000000000000 - (500ull << 52), 0, SF_RNE, 0);
}
