/*
** test_rv32.c — the RV32 decoder and disassembler, generated from the same spec files
** as RV64 with XLEN=32: encodings whose meaning depends on XLEN decode per RV32.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "interp.h"

static const char *name_of(uint32_t bits)
{
    int i = interp_decode_index(bits);
    return i < 0 ? "(illegal)" : interp_insn_info[i].name;
}

static void expect_disasm(uint32_t bits, const char *text)
{
    char buf[96];
    interp_disasm(0, bits, buf, sizeof buf);
    cr_expect_str_eq(buf, text, "0x%08x", bits);
}

Test(rv32, shift_amounts_are_five_bits)
{
    expect_disasm(0x01f51513, "slli a0, a0, 31");
    cr_expect_str_eq(name_of(0x02051513), "(illegal)", "slli with shamt[5] set is reserved on RV32");
    cr_expect_str_eq(name_of(0x4015d513), "srai");
}

Test(rv32, rv64_only_instructions_are_illegal)
{
    cr_expect_str_eq(name_of(0x00053503), "(illegal)", "ld");
    cr_expect_str_eq(name_of(0x00b5053b), "(illegal)", "addw");
    cr_expect_str_eq(name_of(0x0005051b), "(illegal)", "addiw");
    cr_expect_str_eq(name_of(0xd0257553), "(illegal)", "fcvt.s.l");
    for (unsigned i = 0; i < interp_insn_count; i++) {
        const char *n = interp_insn_info[i].name;
        cr_expect(strcmp(n, "ld") && strcmp(n, "addw") && strcmp(n, "c.ld") && strcmp(n, "lr.d"),
                  "%s is RV64-only", n);
    }
}

Test(rv32, compressed_differs_from_rv64)
{
    cr_expect_str_eq(name_of(0x2001), "c.jal", "RV32 quadrant 1, funct3 001 is c.jal (c.addiw on RV64)");
    cr_expect_str_eq(name_of(0x6108), "c.flw", "RV32 quadrant 0, funct3 011 is c.flw (c.ld on RV64)");
    cr_expect_str_eq(name_of(0x0506), "c.slli");
    cr_expect_str_eq(name_of(0x1506), "(illegal)", "c.slli with shamt[5] set is reserved on RV32");
}

Test(rv32, shared_instructions_decode_the_same)
{
    expect_disasm(0x00c58533, "add a0, a1, a2");
    expect_disasm(0x02c58533, "mul a0, a1, a2");
    expect_disasm(0x00052503, "lw a0, 0(a0)");
    cr_expect_str_eq(name_of(0x100525af), "lr.w");
}
