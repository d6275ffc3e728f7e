/* RV64I integer ALU: register and immediate forms, W forms, shifts at the
 * edges (0, 31, 32, 63 and register amounts whose high bits the ISA masks
 * off), lui/auipc, slt/sltu on signed edge values, writes to x0. */
#include "guest.h"

static const u64 vals[] = {
    0x0000000000000000ull, 0x0000000000000001ull, 0xffffffffffffffffull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0x000000007fffffffull,
    0x0000000080000000ull, 0x00000000ffffffffull, 0xffffffff80000000ull,
    0x123456789abcdef0ull, 0xfedcba9876543210ull,
};

/* register shift amounts: the edges, plus values whose high bits must be
 * ignored (only [5:0] count for RV64 ops, only [4:0] for W ops) */
static const u64 shamts[] = {
    0, 1, 15, 31, 32, 33, 63, 64, 65, 95, 96, 127,
    0xffffffffffffffc0ull, 0xffffffffffffffffull, 0x8000000000000021ull,
};

#define FOR_PAIRS(body)                                   \
    for (unsigned i_ = 0; i_ < ARRAY_LEN(vals); i_++)     \
        for (unsigned j_ = 0; j_ < ARRAY_LEN(vals); j_++) { \
            u64 a = vals[i_], b = vals[j_];               \
            body;                                         \
        }

#define DO_RR(op) FOR_PAIRS(print_rr(op, a, b, RR(op, a, b)))

#define DO_SH(op)                                               \
    for (unsigned i_ = 0; i_ < ARRAY_LEN(vals); i_++)           \
        for (unsigned j_ = 0; j_ < ARRAY_LEN(shamts); j_++)     \
            print_rr(op, vals[i_], shamts[j_], RR(op, vals[i_], shamts[j_]));

#define DO_RI(op, imm)                                          \
    for (unsigned i_ = 0; i_ < ARRAY_LEN(vals); i_++)           \
        print_ri(op, vals[i_], imm, RI(op, vals[i_], imm));

static void lui_auipc(void)
{
    u64 r;
#define LUI(imm)                                            \
    __asm__ volatile("lui %0, " #imm : "=r"(r));            \
    printf("lui      %-8s -> %016" PRIx64 "\n", #imm, r);
    LUI(0x0) LUI(0x1) LUI(0x7ffff) LUI(0x80000) LUI(0xfffff) LUI(0x12345)
#undef LUI

    /* auipc: print differences between two auipc results so the output does
     * not depend on where the code was loaded */
    u64 p0, p1;
#define AUIPC(imm)                                                         \
    __asm__ volatile(".option push\n.option norvc\n"                        \
                     "auipc %0, 0\n"                                        \
                     "auipc %1, " #imm "\n"                                 \
                     ".option pop\n" : "=&r"(p0), "=&r"(p1));               \
    printf("auipc    %-8s -> pc+%016" PRIx64 "\n", #imm, p1 - p0 - 4);
    AUIPC(0x0) AUIPC(0x1) AUIPC(0x7ffff) AUIPC(0x80000) AUIPC(0xfffff)
#undef AUIPC

    /* lui + addi / addiw to build constants (the li idiom) */
    __asm__ volatile("lui %0, 0x80000\n addiw %0, %0, -1" : "=r"(r));
    printf("lui+addiw 0x80000,-1 -> %016" PRIx64 "\n", r);
    __asm__ volatile("lui %0, 0x80000\n addi %0, %0, -1" : "=r"(r));
    printf("lui+addi  0x80000,-1 -> %016" PRIx64 "\n", r);
    __asm__ volatile("lui %0, 0x7ffff\n addiw %0, %0, 2047\n addiw %0, %0, 2047\n addiw %0, %0, 2" : "=r"(r));
    printf("lui+addiw*3 overflow -> %016" PRIx64 "\n", r);
}

static void x0_writes(void)
{
    u64 r;
    __asm__ volatile("addi x0, x0, 5\n mv %0, x0" : "=r"(r));
    printf("addi x0 -> x0 = %016" PRIx64 "\n", r);
    __asm__ volatile("lui x0, 0x12345\n add %0, x0, x0" : "=r"(r));
    printf("lui x0 -> x0 = %016" PRIx64 "\n", r);
    u64 v = 0x55;
    __asm__ volatile("add x0, %1, %1\n or %0, x0, x0" : "=r"(r) : "r"(v));
    printf("add x0 -> x0 = %016" PRIx64 "\n", r);
    /* rd == rs1 == rs2 */
    r = 0x4000000000000001ull;
    __asm__ volatile("add %0, %0, %0" : "+r"(r));
    printf("add r,r,r -> %016" PRIx64 "\n", r);
    r = 0x3f;
    __asm__ volatile("sll %0, %0, %0" : "+r"(r));
    printf("sll r,r,r -> %016" PRIx64 "\n", r);
}

int main(void)
{
    printf("== register-register ==\n");
    DO_RR("add") DO_RR("sub") DO_RR("slt") DO_RR("sltu")
    DO_RR("xor") DO_RR("or") DO_RR("and")
    DO_RR("addw") DO_RR("subw")

    printf("== register shifts ==\n");
    DO_SH("sll") DO_SH("srl") DO_SH("sra")
    DO_SH("sllw") DO_SH("srlw") DO_SH("sraw")

    printf("== immediates ==\n");
    DO_RI("addi", 0) DO_RI("addi", 1) DO_RI("addi", -1) DO_RI("addi", 2047) DO_RI("addi", -2048)
    DO_RI("addiw", 0) DO_RI("addiw", 1) DO_RI("addiw", -1) DO_RI("addiw", 2047) DO_RI("addiw", -2048)
    DO_RI("slti", 0) DO_RI("slti", -1) DO_RI("slti", 1) DO_RI("slti", 2047) DO_RI("slti", -2048)
    DO_RI("sltiu", 0) DO_RI("sltiu", 1) DO_RI("sltiu", -1) DO_RI("sltiu", 2047) DO_RI("sltiu", -2048)
    DO_RI("xori", -1) DO_RI("xori", 0x555) DO_RI("xori", -2048)
    DO_RI("ori", -1) DO_RI("ori", 0x555) DO_RI("ori", -2048)
    DO_RI("andi", -1) DO_RI("andi", 0x555) DO_RI("andi", -2048) DO_RI("andi", 0)

    printf("== immediate shifts ==\n");
    DO_RI("slli", 0) DO_RI("slli", 1) DO_RI("slli", 31) DO_RI("slli", 32) DO_RI("slli", 63)
    DO_RI("srli", 0) DO_RI("srli", 1) DO_RI("srli", 31) DO_RI("srli", 32) DO_RI("srli", 63)
    DO_RI("srai", 0) DO_RI("srai", 1) DO_RI("srai", 31) DO_RI("srai", 32) DO_RI("srai", 63)
    DO_RI("slliw", 0) DO_RI("slliw", 1) DO_RI("slliw", 16) DO_RI("slliw", 31)
    DO_RI("srliw", 0) DO_RI("srliw", 1) DO_RI("srliw", 16) DO_RI("srliw", 31)
    DO_RI("sraiw", 0) DO_RI("sraiw", 1) DO_RI("sraiw", 16) DO_RI("sraiw", 31)

    printf("== lui / auipc ==\n");
    lui_auipc();

    printf("== x0 and aliasing ==\n");
    x0_writes();
    return 0;
}
