/* Zba, Zbb and Zbs on edge values (built with -march=rv64gc_zba_zbb_zbs).
 * Zba: add.uw sh1add sh2add sh3add sh1add.uw sh2add.uw sh3add.uw slli.uw
 * Zbb: andn orn xnor clz clzw ctz ctzw cpop cpopw max maxu min minu sext.b
 *      sext.h zext.h rol rolw ror rori roriw rorw orc.b rev8
 * Zbs: bclr bclri bext bexti binv binvi bset bseti */
#include "guest.h"

static const u64 vals[] = {
    0x0000000000000000ull, 0x0000000000000001ull, 0xffffffffffffffffull,
    0x8000000000000000ull, 0x7fffffffffffffffull, 0x0000000080000000ull,
    0x00000000ffffffffull, 0xffffffff7fffffffull, 0x123456789abcdef0ull,
    0x0000000000008080ull, 0x00ff00000000ff00ull, 0xfedcba9876543210ull,
};
/* register shift/bit-index amounts including ones with high bits set */
static const u64 amts[] = {0, 1, 7, 31, 32, 33, 63, 64, 95, 0xffffffffffffffe1ull};

#define DO_RR(op)                                                  \
    for (unsigned i = 0; i < ARRAY_LEN(vals); i++)                 \
        for (unsigned j = 0; j < ARRAY_LEN(vals); j++)             \
            print_rr(op, vals[i], vals[j], RR(op, vals[i], vals[j]));
#define DO_AMT(op)                                                 \
    for (unsigned i = 0; i < ARRAY_LEN(vals); i++)                 \
        for (unsigned j = 0; j < ARRAY_LEN(amts); j++)             \
            print_rr(op, vals[i], amts[j], RR(op, vals[i], amts[j]));
#define DO_R1(op)                                                  \
    for (unsigned i = 0; i < ARRAY_LEN(vals); i++)                 \
        print_r1(op, vals[i], R1(op, vals[i]));
#define DO_RI(op, imm)                                             \
    for (unsigned i = 0; i < ARRAY_LEN(vals); i++)                 \
        print_ri(op, vals[i], imm, RI(op, vals[i], imm));

static void bit_scan_extra(void)
{
    /* a single set bit walking through every position */
    printf("== single-bit sweep ==\n");
    for (int b = 0; b < 64; b++) {
        u64 v = 1ull << b;
        printf("bit %2d: clz=%2" PRIu64 " ctz=%2" PRIu64 " clzw=%2" PRIu64 " ctzw=%2" PRIu64
               " cpop=%" PRIu64 " cpopw=%" PRIu64 " bext=%" PRIu64 "\n",
               b, R1("clz", v), R1("ctz", v), R1("clzw", v), R1("ctzw", v), R1("cpop", v),
               R1("cpopw", v), RR("bext", v, (u64)b));
    }
}

int main(void)
{
    printf("== Zba ==\n");
    DO_RR("add.uw") DO_RR("sh1add") DO_RR("sh2add") DO_RR("sh3add")
    DO_RR("sh1add.uw") DO_RR("sh2add.uw") DO_RR("sh3add.uw")
    DO_RI("slli.uw", 0) DO_RI("slli.uw", 1) DO_RI("slli.uw", 31) DO_RI("slli.uw", 32) DO_RI("slli.uw", 63)
    DO_R1("zext.w")

    printf("== Zbb logic / compare ==\n");
    DO_RR("andn") DO_RR("orn") DO_RR("xnor")
    DO_RR("max") DO_RR("maxu") DO_RR("min") DO_RR("minu")
    printf("== Zbb count ==\n");
    DO_R1("clz") DO_R1("clzw") DO_R1("ctz") DO_R1("ctzw") DO_R1("cpop") DO_R1("cpopw")
    printf("== Zbb extend / bytes ==\n");
    DO_R1("sext.b") DO_R1("sext.h") DO_R1("zext.h") DO_R1("orc.b") DO_R1("rev8")
    printf("== Zbb rotates ==\n");
    DO_AMT("rol") DO_AMT("ror") DO_AMT("rolw") DO_AMT("rorw")
    DO_RI("rori", 0) DO_RI("rori", 1) DO_RI("rori", 31) DO_RI("rori", 32) DO_RI("rori", 63)
    DO_RI("roriw", 0) DO_RI("roriw", 1) DO_RI("roriw", 16) DO_RI("roriw", 31)

    printf("== Zbs ==\n");
    DO_AMT("bclr") DO_AMT("bext") DO_AMT("binv") DO_AMT("bset")
    DO_RI("bclri", 0) DO_RI("bclri", 31) DO_RI("bclri", 32) DO_RI("bclri", 63)
    DO_RI("bexti", 0) DO_RI("bexti", 31) DO_RI("bexti", 32) DO_RI("bexti", 63)
    DO_RI("binvi", 0) DO_RI("binvi", 31) DO_RI("binvi", 32) DO_RI("binvi", 63)
    DO_RI("bseti", 0) DO_RI("bseti", 31) DO_RI("bseti", 32) DO_RI("bseti", 63)

    bit_scan_extra();
    return 0;
}
