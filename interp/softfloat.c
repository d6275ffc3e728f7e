/*
** softfloat.c — IEEE-754 binary32/binary64 arithmetic done in integers, with RISC-V's choices
** where IEEE leaves one open (canonical NaN, tininess after rounding, saturating conversions).
** Both formats share one core. An operand is unpacked to sign, biased exponent and a 64-bit
** significand, the operation is done exactly (bits shifted out are ORed into a sticky bit 0),
** and pack() rounds the result once. The leading argument `d` picks binary64; it is a constant
** at every call of the static inline core, so each entry point compiles for its own format only.
*/
#include <string.h>

#include "softfloat.h"

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

/* Unpacked significands have their leading 1 at bit 62, so adding the rounding increment
   cannot overflow; the bits below the format's precision are the round bits. */
#define SIG_TOP (UINT64_C(1) << 62)

/* The cores take the format as an argument; forcing them inline lets every entry point fold it
   to a constant (GCC otherwise keeps pack() out of line with d as a variable). */
#define SF_INLINE static inline __attribute__((always_inline))

/* ---------------------------------------------------------------- format constants and fields */

static inline int fbits(bool d) { return d ? 52 : 23; }            /* stored fraction bits */
static inline int32_t bias(bool d) { return d ? 1023 : 127; }
static inline int32_t emax(bool d) { return d ? 0x7ff : 0xff; }    /* the inf/NaN exponent */
static inline int sbit(bool d) { return d ? 63 : 31; }
static inline uint64_t hidden(bool d) { return UINT64_C(1) << fbits(d); }
static inline uint64_t fmask(bool d) { return hidden(d) - 1; }
static inline uint64_t absmask(bool d) { return (UINT64_C(1) << sbit(d)) - 1; }

static inline bool sgn(bool d, uint64_t x) { return (x >> sbit(d)) & 1; }
static inline int32_t expo(bool d, uint64_t x) { return (int32_t)(x >> fbits(d)) & emax(d); }
static inline uint64_t frac(bool d, uint64_t x) { return x & fmask(d); }
static inline bool is_zero(bool d, uint64_t x) { return (x & absmask(d)) == 0; }
static inline bool is_nan(bool d, uint64_t x) { return (x & absmask(d)) > ((uint64_t)emax(d) << fbits(d)); }
/* A NaN whose top fraction bit (the quiet bit) is clear. */
static inline bool is_snan(bool d, uint64_t x) { return is_nan(d, x) && !((x >> (fbits(d) - 1)) & 1); }

static inline uint64_t nan_of(bool d) { return d ? SF_F64_NAN : SF_F32_NAN; }
static inline uint64_t zero_of(bool d, bool s) { return (uint64_t)s << sbit(d); }
static inline uint64_t inf_of(bool d, bool s) { return zero_of(d, s) | ((uint64_t)emax(d) << fbits(d)); }

/* ---------------------------------------------------------------- integer helpers */

/* x >> n with every bit shifted out ORed into bit 0, so inexactness survives the shift.
   Branch-free for in-range n: alignment shifts are data-dependent and mispredict. */
static inline uint64_t shr_jam64(uint64_t x, uint32_t n)
{
    if (n >= 64)
        return x != 0;
    return (x >> n) | ((x & ((UINT64_C(1) << n) - 1)) != 0);
}

static inline u128 shr_jam128(u128 x, uint32_t n)
{
    if (n >= 128)
        return x != 0;
    return (x >> n) | ((x & (((u128)1 << n) - 1)) != 0);
}

static inline int clz128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((uint64_t)x);
}

/* (hi:lo) / den and its remainder; needs hi < den so the quotient fits in 64 bits. */
static inline uint64_t div128(uint64_t hi, uint64_t lo, uint64_t den, uint64_t *rem)
{
#if defined(__x86_64__)
    /* One divq; the generic 128-bit division is a libgcc call that cannot assume hi < den. */
    uint64_t q, r;
    __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(den) : "cc");
    *rem = r;
    return q;
#else
    u128 n = ((u128)hi << 64) | lo;
    *rem = (uint64_t)(n % den);
    return (uint64_t)(n / den);
#endif
}

/* ---------------------------------------------------------------- rounding */

/* Rounds (-1)^sign * sig * 2^(exp - bias - 62) in mode rm and packs it; sig has its leading 1
   at bit 62 and exp may be far out of range either way. Raises NX, OF, and UF when the result
   is tiny and inexact, tininess judged after rounding as RISC-V requires. */
SF_INLINE uint64_t pack(bool d, bool sign, int32_t exp, uint64_t sig, int rm, uint32_t *flags)
{
    const int rbits = 62 - fbits(d);
    const uint64_t rmask = (UINT64_C(1) << rbits) - 1, half = UINT64_C(1) << (rbits - 1);
    uint64_t inc = half;                                   /* RNE, RMM */
    if (rm != SF_RNE && rm != SF_RMM)
        inc = (rm == SF_RTZ || sign == (rm == SF_RUP)) ? 0 : rmask;

    if ((uint32_t)(exp - 1) >= (uint32_t)(emax(d) - 2)) {  /* exp <= 0 or exp >= the top finite one */
        if (exp <= 0) {
            /* Tiny unless, rounded with an unbounded exponent, it reaches the smallest normal. */
            bool tiny = exp < 0 || sig + inc < (UINT64_C(1) << 63);
            sig = shr_jam64(sig, (uint32_t)(1 - exp));
            exp = 1;
            if (tiny && (sig & rmask))
                *flags |= SF_UF;
        } else if (exp > emax(d) - 1 || sig + inc >= (UINT64_C(1) << 63)) {
            *flags |= SF_OF | SF_NX;
            /* Modes that round this sign away from zero overflow to inf, the rest to the largest finite. */
            return inc ? inf_of(d, sign) : inf_of(d, sign) - 1;
        }
    }
    uint64_t rb = sig & rmask;
    *flags |= (uint32_t)(rb != 0) * SF_NX;
    sig = (sig + inc) >> rbits;
    sig &= ~((uint64_t)(rb == half) & (rm == SF_RNE));    /* tie: to even (no branch: ties are common) */
    /* The leading 1, now at bit fbits, adds one to the exponent field; a carry out of rounding adds another. */
    return zero_of(d, sign) + ((uint64_t)(exp - 1) << fbits(d)) + sig;
}

/* Significand of a finite nonzero x with its leading 1 at bit fbits, subnormals normalized;
   *e gets the matching biased exponent, below 1 for subnormals. */
SF_INLINE uint64_t norm_sig(bool d, uint64_t x, int32_t *e)
{
    int32_t ex = expo(d, x);
    uint64_t m = frac(d, x);
    if (ex == 0) {
        int s = __builtin_clzll(m) - (63 - fbits(d));
        *e = 1 - s;
        return m << s;
    }
    *e = ex;
    return m | hidden(d);
}

/* NV if a or b is a signaling NaN; the result of any operation that read a NaN. */
SF_INLINE uint64_t nan_result(bool d, uint64_t a, uint64_t b, uint32_t *flags)
{
    if (is_snan(d, a) || is_snan(d, b))
        *flags |= SF_NV;
    return nan_of(d);
}

SF_INLINE uint64_t invalid(bool d, uint32_t *flags)
{
    *flags |= SF_NV;
    return nan_of(d);
}

/* ---------------------------------------------------------------- arithmetic core */

/* a + b; sub passes b with its sign flipped. Written without data-dependent branches on the
   normal path: which operand is larger and whether signs differ are coin flips in real data. */
SF_INLINE uint64_t add(bool d, uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
    const uint64_t inf = (uint64_t)emax(d) << fbits(d);
    uint64_t am = a & absmask(d), bm = b & absmask(d);
    if (am >= inf || bm >= inf) {
        if (am > inf || bm > inf)
            return nan_result(d, a, b, flags);
        if (am == bm && a != b)
            return invalid(d, flags);                      /* inf - inf */
        return am == inf ? a : b;
    }
    /* x is the operand of larger magnitude: finite bit patterns sort like their magnitudes. */
    uint64_t swap = (a ^ b) & (0 - (uint64_t)(am < bm));   /* a mask swap: GCC would branch */
    uint64_t x = a ^ swap, y = b ^ swap;
    bool sign = sgn(d, x), subtract = sign != sgn(d, y);
    int32_t ex = expo(d, x), ey = expo(d, y);
    /* A subnormal is 0.frac * 2^(1-bias): exponent 1 without the hidden bit, no normalizing. */
    uint64_t mx = frac(d, x) | (ex ? hidden(d) : 0), my = frac(d, y) | (ey ? hidden(d) : 0);
    ex += !ex;
    ey += !ey;
    /* Leading 1s at bit 61 leave bit 62 for the carry of an add. When many bits cancel, the
       exponents differ by at most 1 and the jam lost nothing. */
    mx <<= 61 - fbits(d);
    my = shr_jam64(my << (61 - fbits(d)), (uint32_t)(ex - ey));
    uint64_t sum = mx + ((my ^ (0 - (uint64_t)subtract)) + subtract);
    if (sum == 0)                                          /* exact cancellation is +0, -0 only rounding down */
        return zero_of(d, subtract ? rm == SF_RDN : sign);
    int s = __builtin_clzll(sum) - 1;
    return pack(d, sign, ex + 1 - s, sum << s, rm, flags);
}

SF_INLINE uint64_t mul(bool d, uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
    bool sign = sgn(d, a) ^ sgn(d, b);
    int32_t ea = expo(d, a), eb = expo(d, b);
    if (ea == emax(d) || eb == emax(d)) {
        if (is_nan(d, a) || is_nan(d, b))
            return nan_result(d, a, b, flags);
        if (is_zero(d, a) || is_zero(d, b))
            return invalid(d, flags);                      /* inf * 0 */
        return inf_of(d, sign);
    }
    if (is_zero(d, a) || is_zero(d, b))
        return zero_of(d, sign);
    uint64_t ma = norm_sig(d, a, &ea), mb = norm_sig(d, b, &eb);
    /* Leading 1s at bits 62 and 63 put the product's at bit 125 or 126: its high half is the result. */
    u128 p = (u128)(ma << (62 - fbits(d))) * (mb << (63 - fbits(d)));
    uint64_t sig = (uint64_t)(p >> 64) | ((uint64_t)p != 0);
    int low = sig < SIG_TOP;                               /* no branch: this is a coin flip */
    return pack(d, sign, ea + eb - bias(d) + 1 - low, sig << low, rm, flags);
}

SF_INLINE uint64_t divide(bool d, uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
    bool sign = sgn(d, a) ^ sgn(d, b);
    int32_t ea = expo(d, a), eb = expo(d, b);
    if (ea == emax(d) || eb == emax(d)) {
        if (is_nan(d, a) || is_nan(d, b))
            return nan_result(d, a, b, flags);
        if (ea == eb)
            return invalid(d, flags);                      /* inf / inf */
        return ea == emax(d) ? inf_of(d, sign) : zero_of(d, sign);
    }
    if (is_zero(d, b)) {
        if (is_zero(d, a))
            return invalid(d, flags);                      /* 0 / 0 */
        *flags |= SF_DZ;
        return inf_of(d, sign);
    }
    if (is_zero(d, a))
        return zero_of(d, sign);
    uint64_t ma = norm_sig(d, a, &ea) << (63 - fbits(d));
    uint64_t mb = norm_sig(d, b, &eb) << (63 - fbits(d));
    /* Both leading 1s at bit 63; scale the dividend so the quotient's leading 1 lands on bit 62. */
    int lt = ma < mb;
    uint64_t r, q = div128(ma >> (2 - lt), ma << (62 + lt), mb, &r);
    return pack(d, sign, ea - eb + bias(d) - lt, q | (r != 0), rm, flags);
}

/* 2^15 / sqrt(a) at the middle of each 1/256-wide step of a in [1/4, 1): an 8-bit seed for the
   Newton steps in square_root. Entry i - 64 is round(2^15 / sqrt((i + 0.5) / 256)), i = 64..255. */
static const uint16_t rsqrt_seed[192] = {
    65281, 64781, 64292, 63814, 63347, 62889, 62442, 62004, 61575, 61154, 60742, 60339,
    59943, 59555, 59175, 58801, 58435, 58075, 57722, 57376, 57035, 56700, 56372, 56049,
    55731, 55419, 55112, 54810, 54513, 54221, 53933, 53650, 53371, 53097, 52826, 52560,
    52298, 52040, 51785, 51535, 51288, 51044, 50804, 50567, 50333, 50103, 49876, 49652,
    49430, 49212, 48997, 48784, 48574, 48367, 48163, 47961, 47761, 47564, 47370, 47178,
    46988, 46800, 46615, 46432, 46251, 46072, 45895, 45720, 45547, 45376, 45207, 45040,
    44875, 44711, 44550, 44390, 44232, 44075, 43920, 43767, 43615, 43465, 43316, 43169,
    43024, 42879, 42737, 42595, 42456, 42317, 42180, 42044, 41910, 41776, 41644, 41514,
    41384, 41256, 41129, 41003, 40878, 40754, 40631, 40510, 40390, 40270, 40152, 40035,
    39919, 39803, 39689, 39576, 39464, 39352, 39242, 39133, 39024, 38916, 38810, 38704,
    38599, 38494, 38391, 38289, 38187, 38086, 37986, 37887, 37788, 37690, 37593, 37497,
    37401, 37307, 37213, 37119, 37027, 36935, 36843, 36753, 36663, 36573, 36485, 36397,
    36309, 36222, 36136, 36051, 35966, 35882, 35798, 35715, 35632, 35550, 35469, 35388,
    35307, 35228, 35148, 35070, 34991, 34914, 34837, 34760, 34684, 34608, 34533, 34458,
    34384, 34310, 34237, 34164, 34092, 34020, 33949, 33878, 33807, 33737, 33668, 33599,
    33530, 33461, 33393, 33326, 33259, 33192, 33126, 33060, 32994, 32929, 32864, 32800,
};

SF_INLINE uint64_t square_root(bool d, uint64_t a, int rm, uint32_t *flags)
{
    int32_t e = expo(d, a);
    if (e == emax(d)) {
        if (frac(d, a))
            return nan_result(d, a, a, flags);
        return sgn(d, a) ? invalid(d, flags) : a;          /* sqrt(-inf) is invalid, sqrt(+inf) = +inf */
    }
    if (is_zero(d, a))
        return a;                                          /* sqrt(-0) = -0 */
    if (sgn(d, a))
        return invalid(d, flags);
    uint64_t m = norm_sig(d, a, &e);
    /* Halving the exponent needs an even one: an odd exponent moves one factor 2 into m. */
    int odd = (e + bias(d)) & 1;
    int32_t exp = (e + bias(d)) >> 1;
    /* r ~ 1/sqrt(a) by Newton's r' = r + r(1 - a r^2)/2, which doubles the correct bits each
       step: 8 from the table, then 16, 32, 60. Fixed point: a = A/2^64, r = R/2^62. */
    uint64_t A = m << (62 - fbits(d) + odd);
    uint64_t R = (uint64_t)rsqrt_seed[(A >> 56) - 64] << 47;
    for (int i = 0; i < (d ? 3 : 2); i++) {
        uint64_t r2 = (uint64_t)((u128)R * R >> 64);                       /* r^2 * 2^60 */
        int64_t err = (int64_t)((UINT64_C(1) << 60) - (uint64_t)((u128)A * r2 >> 64));
        R += (uint64_t)(int64_t)((i128)R * err >> 61);
    }
    /* q ~ sqrt(x) = a r 2^(fbits+3): two bits beyond the precision. Then make it exactly
       floor(sqrt(x)) with the remainder x - q^2, which also gives the sticky bit. */
    u128 x = (u128)m << (fbits(d) + 4 + odd);
    uint64_t q = (uint64_t)((u128)A * R >> (123 - fbits(d)));
    i128 rem = (i128)(x - (u128)q * q);
    while (rem < 0) {
        rem += (i128)(2 * q - 1);
        q--;
    }
    while (rem > (i128)(2 * q)) {
        q++;
        rem -= (i128)(2 * q - 1);
    }
    return pack(d, false, exp, (q << (60 - fbits(d))) | (rem != 0), rm, flags);
}

SF_INLINE uint64_t fused(bool d, uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *flags)
{
    bool sp = sgn(d, a) ^ sgn(d, b), sc = sgn(d, c);
    int32_t ea = expo(d, a), eb = expo(d, b), ec = expo(d, c);
    bool za = is_zero(d, a), zb = is_zero(d, b);
    if (ea == emax(d) || eb == emax(d) || ec == emax(d)) {
        /* inf * 0 is invalid even when c is a quiet NaN (the RISC-V rule). */
        bool inv = (ea == emax(d) && !frac(d, a) && zb) || (eb == emax(d) && !frac(d, b) && za);
        if (inv || is_snan(d, a) || is_snan(d, b) || is_snan(d, c))
            *flags |= SF_NV;
        if (inv || is_nan(d, a) || is_nan(d, b) || is_nan(d, c))
            return nan_of(d);
        if (ea == emax(d) || eb == emax(d)) {              /* the product is inf */
            if (ec == emax(d) && sc != sp)
                return invalid(d, flags);
            return inf_of(d, sp);
        }
        return c;
    }
    if (za || zb) {                                        /* exact zero product: c decides */
        if (!is_zero(d, c))
            return c;
        return zero_of(d, sp == sc ? sp : rm == SF_RDN);
    }
    /* Exact product, leading 1 at bit 2*fbits or one above, moved to bit 124 or 125 of 128.
       Addends are valued x * 2^(e - bias - 125); the product need not be normalized, since the
       signed sum below never compares magnitudes. */
    uint64_t ma = norm_sig(d, a, &ea), mb = norm_sig(d, b, &eb);
    u128 p = ((u128)ma * mb) << (124 - 2 * fbits(d));
    int32_t ep = ea + eb - bias(d) + 1;
    u128 pc = 0;
    if (is_zero(d, c)) {
        ec = ep;
        sc = sp;
    } else {
        pc = (u128)norm_sig(d, c, &ec) << (125 - fbits(d));
    }
    /* Both addends aligned to the larger exponent. Only the smaller one moves, and it loses
       bits only past its 19+ trailing zeros, when at most one bit can cancel: the jam bit stays
       far below the 2*fbits+3 bits that matter. A signed sum in the product's sign frame needs
       no branches on which addend is larger or on the signs, both coin flips in real data. */
    int32_t exp = ep > ec ? ep : ec;
    i128 pa = (i128)shr_jam128(p, (uint32_t)(exp - ep));
    i128 ca = (i128)shr_jam128(pc, (uint32_t)(exp - ec));
    i128 neg = -(i128)(sp != sc);                          /* all ones to subtract c */
    i128 sum = pa + ((ca ^ neg) - neg);                    /* |sum| < 2^127 */
    if (sum == 0)
        return zero_of(d, rm == SF_RDN);                   /* exact cancellation */
    i128 sgnmask = sum >> 127;
    bool sign = sp ^ (sum < 0);
    u128 x = (u128)((sum ^ sgnmask) - sgnmask);
    int s = clz128(x) - 1;                                 /* leading 1 to bit 126 */
    x <<= s;
    uint64_t sig = (uint64_t)(x >> 64) | ((uint64_t)x != 0);
    return pack(d, sign, exp + 1 - s, sig, rm, flags);
}

/* ---------------------------------------------------------------- comparisons */

SF_INLINE bool cmp_eq(bool d, uint64_t a, uint64_t b, uint32_t *flags)
{
    if (is_nan(d, a) || is_nan(d, b)) {
        nan_result(d, a, b, flags);
        return false;
    }
    return a == b || is_zero(d, a | b);                    /* +0 == -0 */
}

SF_INLINE bool cmp_lt(bool d, uint64_t a, uint64_t b, uint32_t *flags)
{
    if (is_nan(d, a) || is_nan(d, b)) {
        *flags |= SF_NV;
        return false;
    }
    bool sa = sgn(d, a);
    if (sa != sgn(d, b))
        return sa && !is_zero(d, a | b);
    return a != b && (sa ^ (a < b));                       /* same sign: bit patterns order magnitudes */
}

SF_INLINE bool cmp_le(bool d, uint64_t a, uint64_t b, uint32_t *flags)
{
    if (is_nan(d, a) || is_nan(d, b)) {
        *flags |= SF_NV;
        return false;
    }
    bool sa = sgn(d, a);
    if (sa != sgn(d, b))
        return sa || is_zero(d, a | b);
    return a == b || (sa ^ (a < b));
}

/* ---------------------------------------------------------------- conversions */

/* Rounds the finite (-1)^sign * m * 2^(e-63) to an integer and checks it against
   [-neg_lim, pos_lim]; returns the result's two's-complement bits. Out of range saturates
   with NV alone (no NX), as RISC-V requires. */
static uint64_t to_int(bool sign, int32_t e, uint64_t m, int rm, uint64_t pos_lim, uint64_t neg_lim,
                       uint32_t *flags)
{
    const uint64_t half = UINT64_C(1) << 63;
    uint64_t ip, fp;                                       /* integer part; fraction, 0.5 at bit 63 */
    if (e >= 64)
        goto out_of_range;
    if (e >= 0) {
        ip = m >> (63 - e);
        fp = e == 63 ? 0 : m << (e + 1);
    } else {
        ip = 0;
        fp = shr_jam64(m, (uint32_t)(-1 - e));
    }
    bool up;
    switch (rm) {
    case SF_RNE: up = fp > half || (fp == half && (ip & 1)); break;
    case SF_RMM: up = fp >= half; break;
    case SF_RDN: up = sign && fp; break;
    case SF_RUP: up = !sign && fp; break;
    default:     up = false; break;
    }
    if (up && ++ip == 0)
        goto out_of_range;
    if (ip > (sign ? neg_lim : pos_lim))
        goto out_of_range;
    if (fp)
        *flags |= SF_NX;
    return sign ? 0 - ip : ip;                             /* -0.3 to unsigned is 0 with NX: valid */
out_of_range:
    *flags |= SF_NV;
    return sign ? 0 - neg_lim : pos_lim;
}

SF_INLINE uint64_t float_to_int(bool d, uint64_t a, int rm, uint64_t pos_lim, uint64_t neg_lim,
                                    uint32_t *flags)
{
    if (is_nan(d, a)) {
        *flags |= SF_NV;
        return pos_lim;                                    /* NaN converts to the maximum */
    }
    int32_t ex = expo(d, a);                               /* inf gets e >= 64: out of range */
    uint64_t m = frac(d, a);
    if (ex)
        m |= hidden(d);
    else
        ex = 1;
    return to_int(sgn(d, a), ex - bias(d), m << (63 - fbits(d)), rm, pos_lim, neg_lim, flags);
}

SF_INLINE uint64_t int_to_float(bool d, bool sign, uint64_t mag, int rm, uint32_t *flags)
{
    if (mag == 0)
        return 0;
    int s = __builtin_clzll(mag);
    uint64_t sig = mag << s;                               /* leading 1 at bit 63; one jam step to 62 */
    return pack(d, sign, bias(d) + 63 - s, (sig >> 1) | (sig & 1), rm, flags);
}

/* ---------------------------------------------------------------- binary32 entry points */

uint32_t sf_f32_add(uint32_t a, uint32_t b, int rm, uint32_t *flags)
{
    return (uint32_t)add(false, a, b, rm, flags);
}

uint32_t sf_f32_sub(uint32_t a, uint32_t b, int rm, uint32_t *flags)
{
    return (uint32_t)add(false, a, b ^ UINT32_C(0x80000000), rm, flags);
}

uint32_t sf_f32_mul(uint32_t a, uint32_t b, int rm, uint32_t *flags)
{
    return (uint32_t)mul(false, a, b, rm, flags);
}

uint32_t sf_f32_div(uint32_t a, uint32_t b, int rm, uint32_t *flags)
{
    return (uint32_t)divide(false, a, b, rm, flags);
}

uint32_t sf_f32_sqrt(uint32_t a, int rm, uint32_t *flags)
{
    return (uint32_t)square_root(false, a, rm, flags);
}

uint32_t sf_f32_fma(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *flags)
{
    return (uint32_t)fused(false, a, b, c, rm, flags);
}

bool sf_f32_eq(uint32_t a, uint32_t b, uint32_t *flags) { return cmp_eq(false, a, b, flags); }
bool sf_f32_lt(uint32_t a, uint32_t b, uint32_t *flags) { return cmp_lt(false, a, b, flags); }
bool sf_f32_le(uint32_t a, uint32_t b, uint32_t *flags) { return cmp_le(false, a, b, flags); }

int32_t sf_f32_to_i32(uint32_t a, int rm, uint32_t *flags)
{
    return (int32_t)float_to_int(false, a, rm, INT32_MAX, UINT64_C(1) << 31, flags);
}

uint32_t sf_f32_to_u32(uint32_t a, int rm, uint32_t *flags)
{
    return (uint32_t)float_to_int(false, a, rm, UINT32_MAX, 0, flags);
}

int64_t sf_f32_to_i64(uint32_t a, int rm, uint32_t *flags)
{
    return (int64_t)float_to_int(false, a, rm, INT64_MAX, UINT64_C(1) << 63, flags);
}

uint64_t sf_f32_to_u64(uint32_t a, int rm, uint32_t *flags)
{
    return float_to_int(false, a, rm, UINT64_MAX, 0, flags);
}

uint32_t sf_i32_to_f32(int32_t a, int rm, uint32_t *flags)
{
    return (uint32_t)int_to_float(false, a < 0, a < 0 ? 0 - (uint64_t)a : (uint64_t)a, rm, flags);
}

uint32_t sf_u32_to_f32(uint32_t a, int rm, uint32_t *flags)
{
    return (uint32_t)int_to_float(false, false, a, rm, flags);
}

uint32_t sf_i64_to_f32(int64_t a, int rm, uint32_t *flags)
{
    return (uint32_t)int_to_float(false, a < 0, a < 0 ? 0 - (uint64_t)a : (uint64_t)a, rm, flags);
}

uint32_t sf_u64_to_f32(uint64_t a, int rm, uint32_t *flags)
{
    return (uint32_t)int_to_float(false, false, a, rm, flags);
}

uint64_t sf_f32_to_f64(uint32_t a, uint32_t *flags)
{
    bool s = sgn(false, a);
    int32_t e = expo(false, a);
    if (e == 0xff) {
        if (!frac(false, a))
            return inf_of(true, s);
        nan_result(false, a, a, flags);
        return SF_F64_NAN;
    }
    if (is_zero(false, a))
        return zero_of(true, s);
    uint64_t m = norm_sig(false, a, &e);                   /* exact: subnormals become normals */
    return zero_of(true, s) | ((uint64_t)(e - 127 + 1023) << 52) | ((m & fmask(false)) << 29);
}

uint32_t sf_f64_to_f32(uint64_t a, int rm, uint32_t *flags)
{
    bool s = sgn(true, a);
    int32_t e = expo(true, a);
    if (e == 0x7ff) {
        if (!frac(true, a))
            return (uint32_t)inf_of(false, s);
        nan_result(true, a, a, flags);
        return SF_F32_NAN;
    }
    if (is_zero(true, a))
        return (uint32_t)zero_of(false, s);
    uint64_t m = norm_sig(true, a, &e);
    return (uint32_t)pack(false, s, e - 1023 + 127, m << 10, rm, flags);
}

/* ---------------------------------------------------------------- binary64 entry points */

uint64_t sf_f64_add(uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
    return add(true, a, b, rm, flags);
}

uint64_t sf_f64_sub(uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
    return add(true, a, b ^ (UINT64_C(1) << 63), rm, flags);
}

uint64_t sf_f64_mul(uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
    return mul(true, a, b, rm, flags);
}

uint64_t sf_f64_div(uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
    return divide(true, a, b, rm, flags);
}

uint64_t sf_f64_sqrt(uint64_t a, int rm, uint32_t *flags)
{
    return square_root(true, a, rm, flags);
}

uint64_t sf_f64_fma(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *flags)
{
    return fused(true, a, b, c, rm, flags);
}

bool sf_f64_eq(uint64_t a, uint64_t b, uint32_t *flags) { return cmp_eq(true, a, b, flags); }
bool sf_f64_lt(uint64_t a, uint64_t b, uint32_t *flags) { return cmp_lt(true, a, b, flags); }
bool sf_f64_le(uint64_t a, uint64_t b, uint32_t *flags) { return cmp_le(true, a, b, flags); }

int32_t sf_f64_to_i32(uint64_t a, int rm, uint32_t *flags)
{
    return (int32_t)float_to_int(true, a, rm, INT32_MAX, UINT64_C(1) << 31, flags);
}

uint32_t sf_f64_to_u32(uint64_t a, int rm, uint32_t *flags)
{
    return (uint32_t)float_to_int(true, a, rm, UINT32_MAX, 0, flags);
}

int64_t sf_f64_to_i64(uint64_t a, int rm, uint32_t *flags)
{
    return (int64_t)float_to_int(true, a, rm, INT64_MAX, UINT64_C(1) << 63, flags);
}

uint64_t sf_f64_to_u64(uint64_t a, int rm, uint32_t *flags)
{
    return float_to_int(true, a, rm, UINT64_MAX, 0, flags);
}

uint64_t sf_i32_to_f64(int32_t a, int rm, uint32_t *flags)
{
    return int_to_float(true, a < 0, a < 0 ? 0 - (uint64_t)a : (uint64_t)a, rm, flags);
}

uint64_t sf_u32_to_f64(uint32_t a, int rm, uint32_t *flags)
{
    return int_to_float(true, false, a, rm, flags);
}

uint64_t sf_i64_to_f64(int64_t a, int rm, uint32_t *flags)
{
    return int_to_float(true, a < 0, a < 0 ? 0 - (uint64_t)a : (uint64_t)a, rm, flags);
}

uint64_t sf_u64_to_f64(uint64_t a, int rm, uint32_t *flags)
{
    return int_to_float(true, false, a, rm, flags);
}

/* ---- the same, on host floats holding the bits (for tier 2's helpers) ---- */

#define SF_HOST_BINARY(T, W, op)                                                          \
    T sf_f##W##_##op##_host(T a, T b, int rm, uint32_t *flags)                            \
    {                                                                                     \
        uint##W##_t x, y, r;                                                              \
        memcpy(&x, &a, sizeof x);                                                         \
        memcpy(&y, &b, sizeof y);                                                         \
        r = sf_f##W##_##op(x, y, rm, flags);                                              \
        memcpy(&a, &r, sizeof r);                                                         \
        return a;                                                                         \
    }
#define SF_HOST_FMA(T, W)                                                                 \
    T sf_f##W##_fma_host(T a, T b, T c, int rm, uint32_t *flags)                          \
    {                                                                                     \
        uint##W##_t x, y, z, r;                                                           \
        memcpy(&x, &a, sizeof x);                                                         \
        memcpy(&y, &b, sizeof y);                                                         \
        memcpy(&z, &c, sizeof z);                                                         \
        r = sf_f##W##_fma(x, y, z, rm, flags);                                            \
        memcpy(&a, &r, sizeof r);                                                         \
        return a;                                                                         \
    }
#define SF_HOST_SQRT(T, W)                                                                \
    T sf_f##W##_sqrt_host(T a, int rm, uint32_t *flags)                                   \
    {                                                                                     \
        uint##W##_t x, r;                                                                 \
        memcpy(&x, &a, sizeof x);                                                         \
        r = sf_f##W##_sqrt(x, rm, flags);                                                 \
        memcpy(&a, &r, sizeof r);                                                         \
        return a;                                                                         \
    }
SF_HOST_SQRT(float, 32)
SF_HOST_SQRT(double, 64)
SF_HOST_BINARY(float, 32, add)
SF_HOST_BINARY(float, 32, sub)
SF_HOST_BINARY(float, 32, mul)
SF_HOST_BINARY(float, 32, div)
SF_HOST_FMA(float, 32)
SF_HOST_BINARY(double, 64, add)
SF_HOST_BINARY(double, 64, sub)
SF_HOST_BINARY(double, 64, mul)
SF_HOST_BINARY(double, 64, div)
SF_HOST_FMA(double, 64)
