/* RV64 F and D: arithmetic (add sub mul div sqrt min max), fused multiply-add
 * (fmadd fmsub fnmsub fnmadd), conversions in every direction with saturation,
 * comparisons with NaNs, fclass on every class, sign injection, fmv between
 * register files, NaN boxing, the five static rounding modes and the dynamic
 * mode, and fflags/frm/fcsr through every Zicsr instruction form.
 *
 * Every result is printed as a hex bit pattern with the fflags the single
 * instruction raised (flags are cleared right before it). Single-precision
 * results are printed as the whole 64-bit f register, so NaN boxing of the
 * result shows as the ffffffff upper half. */
#include "guest.h"

typedef struct {
    u64 r, fl;
} fres;

static const char *const rm_names[] = {"rne", "rtz", "rdn", "rup", "rmm", "dyn"};

#define FL_CLEAR "csrw fflags, zero\n"
#define FL_READ "csrr %1, fflags\n"

/* f = op f, f */
#define DEF_FFF(fn, text, rm)                                                        \
    static fres fn(u64 a, u64 b)                                                     \
    {                                                                                \
        fres o;                                                                      \
        __asm__ volatile("fmv.d.x ft0, %2\n fmv.d.x ft1, %3\n" FL_CLEAR               \
                         text " ft2, ft0, ft1" rm "\n" FL_READ "fmv.x.d %0, ft2"    \
                         : "=r"(o.r), "=r"(o.fl) : "r"(a), "r"(b) : "ft0", "ft1", "ft2"); \
        return o;                                                                    \
    }
/* x = op f, f (comparisons) */
#define DEF_XFF(fn, text)                                                            \
    static fres fn(u64 a, u64 b)                                                     \
    {                                                                                \
        fres o;                                                                      \
        __asm__ volatile("fmv.d.x ft0, %2\n fmv.d.x ft1, %3\n" FL_CLEAR               \
                         text " %0, ft0, ft1\n" FL_READ                              \
                         : "=&r"(o.r), "=r"(o.fl) : "r"(a), "r"(b) : "ft0", "ft1");  \
        return o;                                                                    \
    }
/* f = op f */
#define DEF_FF(fn, text, rm)                                                         \
    static fres fn(u64 a, u64 b)                                                     \
    {                                                                                \
        (void)b;                                                                     \
        fres o;                                                                      \
        __asm__ volatile("fmv.d.x ft0, %2\n" FL_CLEAR text " ft2, ft0" rm "\n"       \
                         FL_READ "fmv.x.d %0, ft2"                                   \
                         : "=r"(o.r), "=r"(o.fl) : "r"(a) : "ft0", "ft2");            \
        return o;                                                                    \
    }
/* x = op f */
#define DEF_XF(fn, text, rm)                                                         \
    static fres fn(u64 a, u64 b)                                                     \
    {                                                                                \
        (void)b;                                                                     \
        fres o;                                                                      \
        __asm__ volatile("fmv.d.x ft0, %2\n" FL_CLEAR text " %0, ft0" rm "\n" FL_READ \
                         : "=&r"(o.r), "=r"(o.fl) : "r"(a) : "ft0");                  \
        return o;                                                                    \
    }
/* f = op x */
#define DEF_FX(fn, text, rm)                                                         \
    static fres fn(u64 a, u64 b)                                                     \
    {                                                                                \
        (void)b;                                                                     \
        fres o;                                                                      \
        __asm__ volatile(FL_CLEAR text " ft2, %2" rm "\n" FL_READ "fmv.x.d %0, ft2" \
                         : "=r"(o.r), "=r"(o.fl) : "r"(a) : "ft2");                   \
        return o;                                                                    \
    }
/* f = op f, f, f (fused multiply-add) */
#define DEF_FFFF(fn, text, rm)                                                       \
    static fres fn3_##fn(u64 a, u64 b, u64 c)                                        \
    {                                                                                \
        fres o;                                                                      \
        __asm__ volatile("fmv.d.x ft0, %2\n fmv.d.x ft1, %3\n fmv.d.x ft3, %4\n"      \
                         FL_CLEAR text " ft2, ft0, ft1, ft3" rm "\n" FL_READ         \
                         "fmv.x.d %0, ft2"                                           \
                         : "=r"(o.r), "=r"(o.fl) : "r"(a), "r"(b), "r"(c)            \
                         : "ft0", "ft1", "ft2", "ft3");                              \
        return o;                                                                    \
    }

typedef fres (*fn2)(u64, u64);
typedef fres (*fn3)(u64, u64, u64);

/* one function per rounding mode, in rm_names order, plus a table */
#define ALLRM(DEF, name, text)                                                       \
    DEF(name##_rne, text, ", rne") DEF(name##_rtz, text, ", rtz")                    \
    DEF(name##_rdn, text, ", rdn") DEF(name##_rup, text, ", rup")                    \
    DEF(name##_rmm, text, ", rmm") DEF(name##_dyn, text, ", dyn")                    \
    static const fn2 name[6] = {name##_rne, name##_rtz, name##_rdn, name##_rup, name##_rmm, name##_dyn};
#define ALLRM3(name, text)                                                           \
    DEF_FFFF(name##_rne, text, ", rne") DEF_FFFF(name##_rtz, text, ", rtz")          \
    DEF_FFFF(name##_rdn, text, ", rdn") DEF_FFFF(name##_rup, text, ", rup")          \
    DEF_FFFF(name##_rmm, text, ", rmm") DEF_FFFF(name##_dyn, text, ", dyn")          \
    static const fn3 name[6] = {fn3_##name##_rne, fn3_##name##_rtz, fn3_##name##_rdn,  \
                                fn3_##name##_rup, fn3_##name##_rmm, fn3_##name##_dyn};

ALLRM(DEF_FFF, fadd_s, "fadd.s") ALLRM(DEF_FFF, fsub_s, "fsub.s")
ALLRM(DEF_FFF, fmul_s, "fmul.s") ALLRM(DEF_FFF, fdiv_s, "fdiv.s")
ALLRM(DEF_FFF, fadd_d, "fadd.d") ALLRM(DEF_FFF, fsub_d, "fsub.d")
ALLRM(DEF_FFF, fmul_d, "fmul.d") ALLRM(DEF_FFF, fdiv_d, "fdiv.d")
ALLRM(DEF_FF, fsqrt_s, "fsqrt.s") ALLRM(DEF_FF, fsqrt_d, "fsqrt.d")
ALLRM(DEF_FF, fcvt_s_d, "fcvt.s.d")
ALLRM(DEF_XF, fcvt_w_s, "fcvt.w.s") ALLRM(DEF_XF, fcvt_wu_s, "fcvt.wu.s")
ALLRM(DEF_XF, fcvt_l_s, "fcvt.l.s") ALLRM(DEF_XF, fcvt_lu_s, "fcvt.lu.s")
ALLRM(DEF_XF, fcvt_w_d, "fcvt.w.d") ALLRM(DEF_XF, fcvt_wu_d, "fcvt.wu.d")
ALLRM(DEF_XF, fcvt_l_d, "fcvt.l.d") ALLRM(DEF_XF, fcvt_lu_d, "fcvt.lu.d")
ALLRM(DEF_FX, fcvt_s_w, "fcvt.s.w") ALLRM(DEF_FX, fcvt_s_wu, "fcvt.s.wu")
ALLRM(DEF_FX, fcvt_s_l, "fcvt.s.l") ALLRM(DEF_FX, fcvt_s_lu, "fcvt.s.lu")
ALLRM(DEF_FX, fcvt_d_l, "fcvt.d.l") ALLRM(DEF_FX, fcvt_d_lu, "fcvt.d.lu")
ALLRM3(fmadd_s, "fmadd.s") ALLRM3(fmsub_s, "fmsub.s") ALLRM3(fnmsub_s, "fnmsub.s") ALLRM3(fnmadd_s, "fnmadd.s")
ALLRM3(fmadd_d, "fmadd.d") ALLRM3(fmsub_d, "fmsub.d") ALLRM3(fnmsub_d, "fnmsub.d") ALLRM3(fnmadd_d, "fnmadd.d")

/* operations without a rounding mode */
DEF_FFF(fmin_s, "fmin.s", "") DEF_FFF(fmax_s, "fmax.s", "")
DEF_FFF(fmin_d, "fmin.d", "") DEF_FFF(fmax_d, "fmax.d", "")
DEF_FFF(fsgnj_s, "fsgnj.s", "") DEF_FFF(fsgnjn_s, "fsgnjn.s", "") DEF_FFF(fsgnjx_s, "fsgnjx.s", "")
DEF_FFF(fsgnj_d, "fsgnj.d", "") DEF_FFF(fsgnjn_d, "fsgnjn.d", "") DEF_FFF(fsgnjx_d, "fsgnjx.d", "")
DEF_XFF(feq_s, "feq.s") DEF_XFF(flt_s, "flt.s") DEF_XFF(fle_s, "fle.s")
DEF_XFF(feq_d, "feq.d") DEF_XFF(flt_d, "flt.d") DEF_XFF(fle_d, "fle.d")
DEF_XF(fclass_s, "fclass.s", "") DEF_XF(fclass_d, "fclass.d", "")
DEF_XF(fmv_x_w, "fmv.x.w", "") DEF_XF(fmv_x_d, "fmv.x.d", "")
DEF_FX(fmv_w_x, "fmv.w.x", "") DEF_FX(fmv_d_x, "fmv.d.x", "")
DEF_FF(fcvt_d_s, "fcvt.d.s", "")
DEF_FF(fmv_s, "fmv.s", "") DEF_FF(fneg_s, "fneg.s", "") DEF_FF(fabs_s, "fabs.s", "")
DEF_FF(fmv_d, "fmv.d", "") DEF_FF(fneg_d, "fneg.d", "") DEF_FF(fabs_d, "fabs.d", "")
DEF_FX(fcvt_s_w_def, "fcvt.s.w", "") /* default (dynamic) rounding */
DEF_FX(fcvt_d_w, "fcvt.d.w", "") DEF_FX(fcvt_d_wu, "fcvt.d.wu", "") /* always exact */

static void set_frm(u64 rm) { __asm__ volatile("fsrm %0" : : "r"(rm)); }

#define BOX(x) (0xffffffff00000000ull | (u32)(x))

/* interesting single-precision values (bit patterns) */
static const u32 svals[] = {
    0x00000000, /* +0 */
    0x80000000, /* -0 */
    0x3f800000, /* 1 */
    0xbfc00000, /* -1.5 */
    0x40490fdb, /* pi */
    0x00000001, /* min subnormal */
    0x807fffff, /* -max subnormal */
    0x7f7fffff, /* max normal */
    0x7f800000, /* +inf */
    0xff800000, /* -inf */
    0x7fc00000, /* canonical qNaN */
    0x7f812345, /* sNaN with payload */
    0xffc54321, /* negative qNaN with payload */
};
static const u64 dvals[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull,
    0xbff8000000000000ull, 0x400921fb54442d18ull, 0x0000000000000001ull,
    0x800fffffffffffffull, 0x7fefffffffffffffull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000012345ull,
    0xfff8000000054321ull,
};

static void pairs_s(const char *name, fn2 f)
{
    for (unsigned i = 0; i < ARRAY_LEN(svals); i++)
        for (unsigned j = 0; j < ARRAY_LEN(svals); j++) {
            fres o = f(BOX(svals[i]), BOX(svals[j]));
            printf("%-9s %08" PRIx32 " %08" PRIx32 " -> %016" PRIx64 " %02" PRIx64 "\n",
                   name, svals[i], svals[j], o.r, o.fl);
        }
}
static void pairs_d(const char *name, fn2 f)
{
    for (unsigned i = 0; i < ARRAY_LEN(dvals); i++)
        for (unsigned j = 0; j < ARRAY_LEN(dvals); j++) {
            fres o = f(dvals[i], dvals[j]);
            printf("%-9s %016" PRIx64 " %016" PRIx64 " -> %016" PRIx64 " %02" PRIx64 "\n",
                   name, dvals[i], dvals[j], o.r, o.fl);
        }
}

/* run one operation under all five static modes and, on a second line, the
 * dynamic mode with frm = 0..4 */
static void allrm2(const char *name, const fn2 *f, u64 a, u64 b, int two)
{
    fres o[6];
    for (int m = 0; m < 5; m++)
        o[m] = f[m](a, b);
    printf("%s %" PRIx64, name, a);
    if (two)
        printf(" %" PRIx64, b);
    printf(":");
    for (int m = 0; m < 5; m++)
        printf(" %s=%" PRIx64 "/%02" PRIx64, rm_names[m], o[m].r, o[m].fl);
    printf("\n  dyn:");
    for (int m = 0; m < 5; m++) {
        set_frm(m);
        o[5] = f[5](a, b);
        set_frm(0);
        printf(" %" PRIx64 "/%02" PRIx64, o[5].r, o[5].fl);
    }
    printf("\n");
}
static void allrm3(const char *name, const fn3 *f, u64 a, u64 b, u64 c)
{
    fres o[6];
    for (int m = 0; m < 5; m++)
        o[m] = f[m](a, b, c);
    printf("%s %" PRIx64 " %" PRIx64 " %" PRIx64 ":", name, a, b, c);
    for (int m = 0; m < 5; m++)
        printf(" %s=%" PRIx64 "/%02" PRIx64, rm_names[m], o[m].r, o[m].fl);
    printf("\n  dyn:");
    for (int m = 0; m < 5; m++) {
        set_frm(m);
        o[5] = f[5](a, b, c);
        set_frm(0);
        printf(" %" PRIx64 "/%02" PRIx64, o[5].r, o[5].fl);
    }
    printf("\n");
}

static void arith(void)
{
    printf("== arithmetic, rne, all value pairs ==\n");
    pairs_s("fadd.s", fadd_s_rne); pairs_s("fsub.s", fsub_s_rne);
    pairs_s("fmul.s", fmul_s_rne); pairs_s("fdiv.s", fdiv_s_rne);
    pairs_d("fadd.d", fadd_d_rne); pairs_d("fsub.d", fsub_d_rne);
    pairs_d("fmul.d", fmul_d_rne); pairs_d("fdiv.d", fdiv_d_rne);
    printf("== min/max/compare/sign-injection, all value pairs ==\n");
    pairs_s("fmin.s", fmin_s); pairs_s("fmax.s", fmax_s);
    pairs_s("feq.s", feq_s); pairs_s("flt.s", flt_s); pairs_s("fle.s", fle_s);
    pairs_s("fsgnj.s", fsgnj_s); pairs_s("fsgnjn.s", fsgnjn_s); pairs_s("fsgnjx.s", fsgnjx_s);
    pairs_d("fmin.d", fmin_d); pairs_d("fmax.d", fmax_d);
    pairs_d("feq.d", feq_d); pairs_d("flt.d", flt_d); pairs_d("fle.d", fle_d);
    pairs_d("fsgnj.d", fsgnj_d); pairs_d("fsgnjn.d", fsgnjn_d); pairs_d("fsgnjx.d", fsgnjx_d);
}

static void rounding(void)
{
    printf("== rounding modes: add/sub/mul/div ==\n");
    /* single: 1 + 2^-24 (tie, even down), 1 + 3*2^-24 (tie, even up),
     * negative ties, 1/3, overflow, underflow to the subnormal range */
    static const u32 s2[][2] = {
        {0x3f800000, 0x33800000}, {0x3f800001, 0x33800000}, {0xbf800000, 0xb3800000},
        {0xbf800001, 0xb3800000}, {0x3f800000, 0x33000000}, {0x3f800000, 0xb3800000},
        {0x3f800000, 0xbf800000}, {0x7f7fffff, 0x7f7fffff}, {0xff7fffff, 0xff7fffff},
        {0x3f800000, 0x40400000}, {0xbf800000, 0x40400000},
    };
    for (unsigned i = 0; i < ARRAY_LEN(s2); i++) {
        allrm2("fadd.s", fadd_s, BOX(s2[i][0]), BOX(s2[i][1]), 1);
        allrm2("fsub.s", fsub_s, BOX(s2[i][0]), BOX(s2[i][1]), 1);
        allrm2("fmul.s", fmul_s, BOX(s2[i][0]), BOX(s2[i][1]), 1);
        allrm2("fdiv.s", fdiv_s, BOX(s2[i][0]), BOX(s2[i][1]), 1);
    }
    /* min subnormal * 0.5 and * 0.75 (underflow ties), max * 2 */
    allrm2("fmul.s", fmul_s, BOX(0x00000001), BOX(0x3f000000), 1);
    allrm2("fmul.s", fmul_s, BOX(0x80000001), BOX(0x3f000000), 1);
    allrm2("fmul.s", fmul_s, BOX(0x00000001), BOX(0x3f400000), 1);
    allrm2("fmul.s", fmul_s, BOX(0x00000003), BOX(0x3f000000), 1);
    /* tininess after rounding: (1-2^-23) * 2^-126(1+2^-23) = 2^-126(1-2^-46)
     * rounds to the smallest normal; RISC-V detects tininess after rounding,
     * so RNE/RUP/RMM raise only NX while RTZ/RDN also raise UF */
    allrm2("fmul.s", fmul_s, BOX(0x3f7ffffe), BOX(0x00800001), 1);
    allrm2("fmul.d", fmul_d, 0x3feffffffffffffeull, 0x0010000000000001ull, 1);

    static const u64 d2[][2] = {
        {0x3ff0000000000000ull, 0x3ca0000000000000ull}, /* 1 + 2^-53 */
        {0x3ff0000000000001ull, 0x3ca0000000000000ull},
        {0xbff0000000000000ull, 0xbca0000000000000ull},
        {0x3ff0000000000000ull, 0x4008000000000000ull}, /* 1, 3 */
        {0xbff0000000000000ull, 0x4008000000000000ull},
        {0x3ff0000000000000ull, 0xbff0000000000000ull}, /* x + -x */
        {0x7fefffffffffffffull, 0x7fefffffffffffffull},
        {0xffefffffffffffffull, 0x7fefffffffffffffull},
        {0x0000000000000001ull, 0x3fe0000000000000ull},
        {0x0000000000000003ull, 0x3fe0000000000000ull},
    };
    for (unsigned i = 0; i < ARRAY_LEN(d2); i++) {
        allrm2("fadd.d", fadd_d, d2[i][0], d2[i][1], 1);
        allrm2("fsub.d", fsub_d, d2[i][0], d2[i][1], 1);
        allrm2("fmul.d", fmul_d, d2[i][0], d2[i][1], 1);
        allrm2("fdiv.d", fdiv_d, d2[i][0], d2[i][1], 1);
    }

    printf("== sqrt ==\n");
    for (unsigned i = 0; i < ARRAY_LEN(svals); i++)
        allrm2("fsqrt.s", fsqrt_s, BOX(svals[i]), 0, 0);
    static const u32 sq_s[] = {0x40000000, 0x40400000, 0x40800000, 0x3e800000, 0xbf800000, 0x00800000};
    for (unsigned i = 0; i < ARRAY_LEN(sq_s); i++)
        allrm2("fsqrt.s", fsqrt_s, BOX(sq_s[i]), 0, 0);
    for (unsigned i = 0; i < ARRAY_LEN(dvals); i++)
        allrm2("fsqrt.d", fsqrt_d, dvals[i], 0, 0);
    static const u64 sq_d[] = {0x4000000000000000ull, 0x4008000000000000ull, 0x4010000000000000ull,
                               0xbff0000000000000ull, 0x0010000000000000ull};
    for (unsigned i = 0; i < ARRAY_LEN(sq_d); i++)
        allrm2("fsqrt.d", fsqrt_d, sq_d[i], 0, 0);
}

static void fused(void)
{
    printf("== fused multiply-add ==\n");
    static const u32 s3[][3] = {
        {0x40000000, 0x40400000, 0x3f800000}, /* 2*3 +- 1 */
        {0x3f800001, 0x3f7ffffe, 0xbf800000}, /* (1+2^-23)(1-2^-23) - 1: fused is exact -2^-46 */
        {0x3eaaaaab, 0x40400000, 0xbf800000}, /* 1/3 * 3 - 1 */
        {0x7f7fffff, 0x40000000, 0xff7fffff}, /* 2max - max: no intermediate overflow */
        {0x7f800000, 0x00000000, 0x7fc00000}, /* inf*0 + qNaN: invalid anyway */
        {0x00000000, 0x7f800000, 0x3f800000}, /* 0*inf + 1 */
        {0x7f800000, 0x3f800000, 0xff800000}, /* inf - inf */
        {0x00000000, 0x3f800000, 0x80000000}, /* signed zeros */
        {0x80000000, 0x3f800000, 0x00000000},
        {0x3f800000, 0x3f800000, 0xbf800000}, /* exact zero: sign depends on mode */
        {0x7fc00000, 0x3f800000, 0x3f800000}, /* qNaN operand */
        {0x3f800000, 0x7f800001, 0x3f800000}, /* sNaN operand */
        {0x00000001, 0x3f000000, 0x00000000}, /* underflow tie */
        {0x7f7fffff, 0x7f7fffff, 0x3f800000}, /* overflow */
        {0x3f800000, 0x33800000, 0x3f800000}, /* 1 + 2^-24: tie */
    };
    for (unsigned i = 0; i < ARRAY_LEN(s3); i++) {
        allrm3("fmadd.s", fmadd_s, BOX(s3[i][0]), BOX(s3[i][1]), BOX(s3[i][2]));
        allrm3("fmsub.s", fmsub_s, BOX(s3[i][0]), BOX(s3[i][1]), BOX(s3[i][2]));
        allrm3("fnmsub.s", fnmsub_s, BOX(s3[i][0]), BOX(s3[i][1]), BOX(s3[i][2]));
        allrm3("fnmadd.s", fnmadd_s, BOX(s3[i][0]), BOX(s3[i][1]), BOX(s3[i][2]));
    }
    static const u64 d3[][3] = {
        {0x4000000000000000ull, 0x4008000000000000ull, 0x3ff0000000000000ull},
        {0x3ff0000000000001ull, 0x3feffffffffffffeull, 0xbff0000000000000ull},
        {0x3fd5555555555555ull, 0x4008000000000000ull, 0xbff0000000000000ull},
        {0x7fefffffffffffffull, 0x4000000000000000ull, 0xffefffffffffffffull},
        {0x7ff0000000000000ull, 0x0000000000000000ull, 0x7ff8000000000000ull},
        {0x0000000000000000ull, 0x7ff0000000000000ull, 0x3ff0000000000000ull},
        {0x7ff0000000000000ull, 0x3ff0000000000000ull, 0xfff0000000000000ull},
        {0x0000000000000000ull, 0x3ff0000000000000ull, 0x8000000000000000ull},
        {0x3ff0000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull},
        {0x7ff8000000000000ull, 0x3ff0000000000000ull, 0x3ff0000000000000ull},
        {0x3ff0000000000000ull, 0x3ff0000000000000ull, 0x7ff0000000000001ull},
        {0x0000000000000001ull, 0x3fe0000000000000ull, 0x0000000000000000ull},
        {0x7fefffffffffffffull, 0x7fefffffffffffffull, 0x3ff0000000000000ull},
    };
    for (unsigned i = 0; i < ARRAY_LEN(d3); i++) {
        allrm3("fmadd.d", fmadd_d, d3[i][0], d3[i][1], d3[i][2]);
        allrm3("fmsub.d", fmsub_d, d3[i][0], d3[i][1], d3[i][2]);
        allrm3("fnmsub.d", fnmsub_d, d3[i][0], d3[i][1], d3[i][2]);
        allrm3("fnmadd.d", fnmadd_d, d3[i][0], d3[i][1], d3[i][2]);
    }
}

static void conversions(void)
{
    printf("== float -> int ==\n");
    static const u32 cs[] = {
        0x00000000, 0x80000000, 0x3f000000 /* 0.5 */, 0xbf000000, 0x3fc00000 /* 1.5 */,
        0xbfc00000, 0x40200000 /* 2.5 */, 0xc0200000, 0xbf800000 /* -1 */, 0xbe800000 /* -0.25 */,
        0x4effffff /* 2^31-128 */, 0x4f000000 /* 2^31 */, 0xcf000000 /* -2^31 */,
        0xcf000001 /* below -2^31 */, 0x4f7fffff /* just below 2^32 */, 0x4f800000 /* 2^32 */,
        0x5effffff /* just below 2^63 */, 0x5f000000 /* 2^63 */, 0xdf000000 /* -2^63 */,
        0xdf000001, 0x5f800000 /* 2^64 */, 0x7149f2ca /* 1e30 */, 0xf149f2ca,
        0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc00000, 0x00000001, 0x80000001,
    };
    for (unsigned i = 0; i < ARRAY_LEN(cs); i++) {
        allrm2("fcvt.w.s", fcvt_w_s, BOX(cs[i]), 0, 0);
        allrm2("fcvt.wu.s", fcvt_wu_s, BOX(cs[i]), 0, 0);
        allrm2("fcvt.l.s", fcvt_l_s, BOX(cs[i]), 0, 0);
        allrm2("fcvt.lu.s", fcvt_lu_s, BOX(cs[i]), 0, 0);
    }
    static const u64 cd[] = {
        0x0000000000000000ull, 0x8000000000000000ull, 0x3fe0000000000000ull /* 0.5 */,
        0xbfe0000000000000ull, 0x3ff8000000000000ull /* 1.5 */, 0xbff8000000000000ull,
        0x4004000000000000ull /* 2.5 */, 0xc004000000000000ull, 0xbff0000000000000ull,
        0xbfd0000000000000ull /* -0.25 */,
        0x41dfffffffc00000ull /* 2^31-1 */, 0x41dfffffffe00000ull /* 2^31-0.5 */,
        0x41e0000000000000ull /* 2^31 */, 0xc1e0000000000000ull /* -2^31 */,
        0xc1e0000000100000ull /* -2^31-0.5 */, 0xc1e0000000200000ull /* -2^31-1 */,
        0x41efffffffe00000ull /* 2^32-1 */, 0x41effffffff00000ull /* 2^32-0.5 */,
        0x41f0000000000000ull /* 2^32 */, 0x43dfffffffffffffull /* just below 2^63 */,
        0x43e0000000000000ull /* 2^63 */, 0xc3e0000000000000ull /* -2^63 */,
        0xc3e0000000000001ull, 0x43efffffffffffffull /* just below 2^64 */,
        0x43f0000000000000ull /* 2^64 */, 0x7ff0000000000000ull, 0xfff0000000000000ull,
        0x7ff8000000000000ull, 0x7ff0000000000001ull, 0xfff8000000000000ull,
        0x0000000000000001ull, 0x8000000000000001ull,
    };
    for (unsigned i = 0; i < ARRAY_LEN(cd); i++) {
        allrm2("fcvt.w.d", fcvt_w_d, cd[i], 0, 0);
        allrm2("fcvt.wu.d", fcvt_wu_d, cd[i], 0, 0);
        allrm2("fcvt.l.d", fcvt_l_d, cd[i], 0, 0);
        allrm2("fcvt.lu.d", fcvt_lu_d, cd[i], 0, 0);
    }

    printf("== int -> float ==\n");
    static const u64 ci[] = {
        0, 1, 0xffffffffffffffffull, 0x000000007fffffffull, 0x0000000080000000ull,
        0x00000000ffffffffull, 0x0000000001000001ull /* 2^24+1 */, 0x0000000001000003ull,
        0x00000000fffffe80ull, 0x123456789abcdef1ull, 0xffffffff80000001ull,
        0x7fffffffffffffffull, 0x8000000000000000ull, 0x0020000000000001ull /* 2^53+1 */,
        0x0020000000000003ull, 0xffdfffffffffffffull, 0xfffffffffffffc01ull,
        0x7ffffffffffffdffull, 0x000000000000fedcull,
    };
    for (unsigned i = 0; i < ARRAY_LEN(ci); i++) {
        allrm2("fcvt.s.w", fcvt_s_w, ci[i], 0, 0);
        allrm2("fcvt.s.wu", fcvt_s_wu, ci[i], 0, 0);
        allrm2("fcvt.s.l", fcvt_s_l, ci[i], 0, 0);
        allrm2("fcvt.s.lu", fcvt_s_lu, ci[i], 0, 0);
        allrm2("fcvt.d.l", fcvt_d_l, ci[i], 0, 0);
        allrm2("fcvt.d.lu", fcvt_d_lu, ci[i], 0, 0);
        fres w = fcvt_d_w(ci[i], 0), wu = fcvt_d_wu(ci[i], 0);
        printf("fcvt.d.w %" PRIx64 ": %" PRIx64 "/%02" PRIx64 "  fcvt.d.wu: %" PRIx64 "/%02" PRIx64 "\n",
               ci[i], w.r, w.fl, wu.r, wu.fl);
    }

    printf("== double <-> single ==\n");
    static const u64 ds[] = {
        0x0000000000000000ull, 0x8000000000000000ull, 0x3fd5555555555555ull /* 1/3 */,
        0x3ff0000010000000ull /* 1 + 2^-24: tie */, 0x3ff0000030000000ull /* 1 + 3*2^-24 */,
        0x3ff0000010000001ull, 0xbff0000010000000ull, 0x7fefffffffffffffull,
        0xffefffffffffffffull, 0x47efffffe0000000ull /* exactly float max */,
        0x47efffffefffffffull /* just below max + half ulp */,
        0x47effffff0000000ull /* max + half ulp: tie, RNE overflows */,
        0x3f50624dd2f1a9fcull /* 1e-3 */,
        0x35c0000000000000ull /* 2^-163: far below min subnormal */,
        0x3690000000000000ull /* 2^-150: half the min subnormal (tie) */,
        0x3698000000000000ull /* 1.5 * 2^-150 */,
        0x380fffffe0000000ull /* 2^-126 (1-2^-24): subnormal tie, tiny either way */,
        0x380ffffff0000000ull /* 2^-126 (1-2^-25): rounds to 2^-126; not tiny
                                 after rounding, so RNE raises NX only */,
        0x380fffffc0000000ull /* 2^-126 (1-2^-23) = exact subnormal */,
        0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
        0x7ff8000012345678ull /* qNaN payload: must become canonical */,
        0x7ff0000000000001ull /* sNaN */, 0xfff8000000000000ull,
    };
    for (unsigned i = 0; i < ARRAY_LEN(ds); i++)
        allrm2("fcvt.s.d", fcvt_s_d, ds[i], 0, 0);
    static const u32 sd[] = {0x00000000, 0x80000000, 0x3eaaaaab, 0x00000001, 0x807fffff,
                             0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fc12345,
                             0x7f800001, 0xffc00000};
    for (unsigned i = 0; i < ARRAY_LEN(sd); i++) {
        fres o = fcvt_d_s(BOX(sd[i]), 0);
        printf("fcvt.d.s %08" PRIx32 " -> %016" PRIx64 " %02" PRIx64 "\n", sd[i], o.r, o.fl);
    }
}

static void classify_and_move(void)
{
    printf("== fclass ==\n");
    static const u32 cls_s[] = {0xff800000, 0xbf800000, 0xff7fffff, 0x807fffff, 0x80000001,
                                0x80000000, 0x00000000, 0x00000001, 0x007fffff, 0x00800000,
                                0x3f800000, 0x7f800000, 0x7f800001, 0x7fbfffff, 0xff800001,
                                0x7fc00000, 0xffc00000, 0x7fffffff};
    for (unsigned i = 0; i < ARRAY_LEN(cls_s); i++) {
        fres o = fclass_s(BOX(cls_s[i]), 0);
        printf("fclass.s %08" PRIx32 " -> %03" PRIx64 " %02" PRIx64 "\n", cls_s[i], o.r, o.fl);
    }
    static const u64 cls_d[] = {
        0xfff0000000000000ull, 0xbff0000000000000ull, 0xffefffffffffffffull,
        0x800fffffffffffffull, 0x8000000000000001ull, 0x8000000000000000ull,
        0x0000000000000000ull, 0x0000000000000001ull, 0x000fffffffffffffull,
        0x0010000000000000ull, 0x3ff0000000000000ull, 0x7ff0000000000000ull,
        0x7ff0000000000001ull, 0x7ff7ffffffffffffull, 0xfff0000000000001ull,
        0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7fffffffffffffffull,
    };
    for (unsigned i = 0; i < ARRAY_LEN(cls_d); i++) {
        fres o = fclass_d(cls_d[i], 0);
        printf("fclass.d %016" PRIx64 " -> %03" PRIx64 " %02" PRIx64 "\n", cls_d[i], o.r, o.fl);
    }

    printf("== fmv ==\n");
    static const u64 mv[] = {0x0000000000000000ull, 0x0000000080000000ull, 0x123456787f800001ull,
                             0xffffffff7fc00000ull, 0xdeadbeefcafef00dull, 0x7ff0000000000001ull};
    for (unsigned i = 0; i < ARRAY_LEN(mv); i++) {
        fres a = fmv_w_x(mv[i], 0);  /* must box */
        fres b = fmv_x_w(mv[i], 0);  /* low 32 bits, sign-extended */
        fres c = fmv_d_x(mv[i], 0);  /* exact, no canonicalisation */
        fres d = fmv_x_d(mv[i], 0);
        printf("fmv %016" PRIx64 ": w.x=%016" PRIx64 " x.w=%016" PRIx64 " d.x=%016" PRIx64
               " x.d=%016" PRIx64 " fl=%02" PRIx64 "\n",
               mv[i], a.r, b.r, c.r, d.r, a.fl | b.fl | c.fl | d.fl);
    }
    /* pseudo-instructions built from sign injection, on NaNs too: payloads
     * are kept and no flags are raised */
    static const u32 sj[] = {0x3f800000, 0xbf800000, 0x7f812345, 0xffc54321, 0x80000000};
    for (unsigned i = 0; i < ARRAY_LEN(sj); i++) {
        fres a = fmv_s(BOX(sj[i]), 0), b = fneg_s(BOX(sj[i]), 0), c = fabs_s(BOX(sj[i]), 0);
        printf("fmv.s/fneg.s/fabs.s %08" PRIx32 ": %016" PRIx64 " %016" PRIx64 " %016" PRIx64
               " fl=%02" PRIx64 "\n", sj[i], a.r, b.r, c.r, a.fl | b.fl | c.fl);
    }
    static const u64 sjd[] = {0x3ff0000000000000ull, 0xbff0000000000000ull, 0x7ff0000000012345ull,
                              0xfff8000000054321ull, 0xffffffff3f800000ull};
    for (unsigned i = 0; i < ARRAY_LEN(sjd); i++) {
        fres a = fmv_d(sjd[i], 0), b = fneg_d(sjd[i], 0), c = fabs_d(sjd[i], 0);
        printf("fmv.d/fneg.d/fabs.d %016" PRIx64 ": %016" PRIx64 " %016" PRIx64 " %016" PRIx64
               " fl=%02" PRIx64 "\n", sjd[i], a.r, b.r, c.r, a.fl | b.fl | c.fl);
    }
}

static void nan_boxing(void)
{
    printf("== NaN boxing ==\n");
    /* the pattern 0x00000000_3f800000 (1.0f without the box) must read as the
     * canonical NaN for every single-precision operation except transfers */
    static const u64 unboxed[] = {0x000000003f800000ull, 0x7fffffff3f800000ull,
                                  0xfffffffe3f800000ull, 0x3ff0000000000000ull};
    const u64 one = BOX(0x3f800000);
    for (unsigned i = 0; i < ARRAY_LEN(unboxed); i++) {
        u64 u = unboxed[i];
        fres o;
        printf("unboxed %016" PRIx64 ":\n", u);
        o = fadd_s_rne(u, one);
        printf("  fadd.s x+1     -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fadd_s_rne(one, u);
        printf("  fadd.s 1+x     -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fmul_s_rne(u, one);
        printf("  fmul.s         -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fmin_s(u, one);
        printf("  fmin.s         -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fsqrt_s_rne(u, 0);
        printf("  fsqrt.s        -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = feq_s(u, u);
        printf("  feq.s x,x      -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = flt_s(u, one);
        printf("  flt.s x,1      -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fclass_s(u, 0);
        printf("  fclass.s       -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fsgnj_s(u, one);
        printf("  fsgnj.s x,1    -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fsgnjn_s(one, u);
        printf("  fsgnjn.s 1,x   -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fsgnjx_s(u, u);
        printf("  fsgnjx.s x,x   -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fcvt_d_s(u, 0);
        printf("  fcvt.d.s       -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fcvt_w_s_rne(u, 0);
        printf("  fcvt.w.s       -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fcvt_lu_s_rne(u, 0);
        printf("  fcvt.lu.s      -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        o = fn3_fmadd_s_rne(one, one, u);
        printf("  fmadd.s 1*1+x  -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        /* transfers ignore the upper half */
        o = fmv_x_w(u, 0);
        printf("  fmv.x.w        -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
        u32 m = 0;
        __asm__ volatile("fmv.d.x ft0, %1\n fsw ft0, %0" : "=m"(m) : "r"(u) : "ft0");
        printf("  fsw            -> %08" PRIx32 "\n", m);
    }
    /* double ops on a NaN-boxed single see a NaN with payload (no unboxing) */
    fres o = fadd_d_rne(one, 0x3ff0000000000000ull);
    printf("fadd.d boxed-single + 1 -> %016" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
    o = fclass_d(one, 0);
    printf("fclass.d boxed-single -> %03" PRIx64 " %02" PRIx64 "\n", o.r, o.fl);
    /* flw / fmv.w.x / single op results are boxed: look at the whole register */
    u32 mem = 0x40490fdb;
    u64 r;
    __asm__ volatile("fmv.d.x ft0, zero\n flw ft0, %1\n fmv.x.d %0, ft0" : "=r"(r) : "m"(mem) : "ft0");
    printf("flw boxes -> %016" PRIx64 "\n", r);
    __asm__ volatile("fmv.d.x ft0, zero\n fcvt.s.w ft0, %1\n fmv.x.d %0, ft0" : "=r"(r) : "r"(7ull) : "ft0");
    printf("fcvt.s.w boxes -> %016" PRIx64 "\n", r);
}

static u64 rd_fflags(void) { u64 v; __asm__ volatile("csrr %0, fflags" : "=r"(v)); return v; }
static u64 rd_frm(void) { u64 v; __asm__ volatile("csrr %0, frm" : "=r"(v)); return v; }
static u64 rd_fcsr(void) { u64 v; __asm__ volatile("csrr %0, fcsr" : "=r"(v)); return v; }

#define SHOW_STATE(what, old)                                                           \
    do {                                                                                \
        u64 f_ = rd_fflags(), m_ = rd_frm(), c_ = rd_fcsr();                            \
        printf("%-28s old=%02" PRIx64 " fflags=%02" PRIx64 " frm=%" PRIx64 " fcsr=%02" PRIx64 "\n", \
               what, (u64)(old), f_, m_, c_);                                           \
    } while (0)

static void csrs(void)
{
    u64 old;
    printf("== fcsr / frm / fflags ==\n");
    __asm__ volatile("csrrwi %0, fcsr, 0" : "=r"(old));
    SHOW_STATE("csrrwi fcsr,0", 0);
    /* an operation raises a flag; flags accrue */
    __asm__ volatile("fmv.w.x ft0, %0\n fmv.w.x ft1, zero\n fdiv.s ft2, ft0, ft1" : : "r"(0x3f800000ull) : "ft0", "ft1", "ft2");
    SHOW_STATE("after 1/0", 0);
    __asm__ volatile("fmv.w.x ft0, %0\n fmv.w.x ft1, %1\n fdiv.s ft2, ft0, ft1" : : "r"(0x3f800000ull), "r"(0x40400000ull) : "ft0", "ft1", "ft2");
    SHOW_STATE("after 1/3 (accrues)", 0);
    __asm__ volatile("fmv.w.x ft0, %0\n fadd.s ft2, ft0, ft0" : : "r"(0x3f800000ull) : "ft0", "ft2");
    SHOW_STATE("after exact op (no clear)", 0);
    __asm__ volatile("csrrsi %0, fflags, 0" : "=r"(old));
    SHOW_STATE("csrrsi fflags,0 (read only)", old);
    __asm__ volatile("csrrs %0, fflags, zero" : "=r"(old));
    SHOW_STATE("csrrs fflags,x0", old);
    __asm__ volatile("csrrci %0, fflags, 0x1" : "=r"(old));
    SHOW_STATE("csrrci fflags,1", old);
    __asm__ volatile("csrrsi %0, fflags, 0x12" : "=r"(old));
    SHOW_STATE("csrrsi fflags,0x12", old);
    __asm__ volatile("csrrw %0, fflags, %1" : "=r"(old) : "r"(0xffull));
    SHOW_STATE("csrrw fflags,0xff", old);
    __asm__ volatile("csrrc %0, fflags, %1" : "=r"(old) : "r"(0x11ull));
    SHOW_STATE("csrrc fflags,0x11", old);
    __asm__ volatile("csrrs %0, fflags, %1" : "=r"(old) : "r"(0xffffffffffffffe1ull));
    SHOW_STATE("csrrs fflags,~0x1e", old);
    __asm__ volatile("csrrwi %0, fflags, 0" : "=r"(old));
    SHOW_STATE("csrrwi fflags,0", old);
    __asm__ volatile("csrrwi %0, frm, 3" : "=r"(old));
    SHOW_STATE("csrrwi frm,3", old);
    __asm__ volatile("csrrs %0, frm, %1" : "=r"(old) : "r"(4ull));
    SHOW_STATE("csrrs frm,4", old);
    __asm__ volatile("csrrc %0, frm, %1" : "=r"(old) : "r"(6ull));
    SHOW_STATE("csrrc frm,6", old);
    __asm__ volatile("csrrw %0, frm, %1" : "=r"(old) : "r"(0xfaull));
    SHOW_STATE("csrrw frm,0xfa", old);
    __asm__ volatile("csrrci %0, frm, 2" : "=r"(old));
    SHOW_STATE("csrrci frm,2", old);
    __asm__ volatile("csrrsi %0, frm, 4" : "=r"(old));
    SHOW_STATE("csrrsi frm,4", old);
    __asm__ volatile("csrrw %0, fcsr, %1" : "=r"(old) : "r"(0xffffffffffffffffull));
    SHOW_STATE("csrrw fcsr,~0", old);
    __asm__ volatile("csrrci %0, fcsr, 0x1f" : "=r"(old));
    SHOW_STATE("csrrci fcsr,0x1f", old);
    __asm__ volatile("csrrwi %0, fcsr, 0x15" : "=r"(old));
    SHOW_STATE("csrrwi fcsr,0x15", old);
    __asm__ volatile("csrrsi %0, fcsr, 0x0a" : "=r"(old));
    SHOW_STATE("csrrsi fcsr,0x0a", old);
    __asm__ volatile("csrrs %0, fcsr, %1" : "=r"(old) : "r"(0x40ull));
    SHOW_STATE("csrrs fcsr,0x40", old);
    __asm__ volatile("csrrc %0, fcsr, %1" : "=r"(old) : "r"(0xf0ull));
    SHOW_STATE("csrrc fcsr,0xf0", old);
    /* rd = x0 forms still write */
    __asm__ volatile("csrrw zero, fcsr, %0" : : "r"(0x8full));
    SHOW_STATE("csrrw x0,fcsr,0x8f", 0);
    __asm__ volatile("fsflags %0, %1" : "=r"(old) : "r"(0x3ull));
    SHOW_STATE("fsflags 3", old);
    __asm__ volatile("fsrm %0, %1" : "=r"(old) : "r"(1ull));
    SHOW_STATE("fsrm 1", old);
    __asm__ volatile("fscsr %0, %1" : "=r"(old) : "r"(0ull));
    SHOW_STATE("fscsr 0", old);

    /* dynamic rounding driven by a whole-fcsr write: frm = fcsr[7:5] */
    printf("== dynamic rounding via fcsr ==\n");
    for (u64 m = 0; m < 5; m++) {
        u64 r1, r2, fl;
        __asm__ volatile("fscsr %3\n"
                         "fmv.w.x ft0, %4\n fmv.w.x ft1, %5\n fdiv.s ft2, ft0, ft1\n"
                         "fmv.x.w %0, ft2\n"
                         "fcvt.w.s %1, ft2\n"
                         "frflags %2\n"
                         "fscsr zero\n"
                         : "=&r"(r1), "=&r"(r2), "=&r"(fl)
                         : "r"((m << 5) | 0x10), "r"(0xbf800000ull), "r"(0x40400000ull)
                         : "ft0", "ft1", "ft2");
        printf("fcsr.frm=%" PRIu64 ": -1/3 = %08" PRIx64 " cvt.w = %016" PRIx64 " fflags=%02" PRIx64 "\n",
               m, (u64)(r1 & 0xffffffffu), r2, fl);
    }
    /* fcvt.s.w with no rounding operand in the assembly uses dyn */
    for (u64 m = 0; m < 5; m++) {
        set_frm(m);
        fres o = fcvt_s_w_def(0x7fffffbfull, 0);
        set_frm(0);
        printf("frm=%" PRIu64 ": fcvt.s.w 0x7fffffbf = %016" PRIx64 " %02" PRIx64 "\n", m, o.r, o.fl);
    }
}

static void counters(void)
{
    /* Zicsr reads of the user counters: only print whether they are sane */
    u64 c0, c1, t0, t1, i0, i1;
    __asm__ volatile("rdcycle %0\n rdtime %1\n rdinstret %2" : "=r"(c0), "=r"(t0), "=r"(i0));
    for (volatile int k = 0; k < 100000; k++)
        ;
    __asm__ volatile("rdcycle %0\n rdtime %1\n rdinstret %2" : "=r"(c1), "=r"(t1), "=r"(i1));
    printf("counters: cycle %s, time %s, instret %s\n", c1 >= c0 ? "nondecreasing" : "WENT BACK",
           t1 >= t0 ? "nondecreasing" : "WENT BACK", i1 >= i0 ? "nondecreasing" : "WENT BACK");
}

int main(void)
{
    arith();
    rounding();
    fused();
    conversions();
    classify_and_move();
    nan_boxing();
    csrs();
    counters();
    return 0;
}
