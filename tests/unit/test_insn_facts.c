/*
** test_insn_facts.c — what gen finds in the spec's bodies and the tiers rely on:
** which instructions read two source registers alike (INTERP_INSN_COMMUTES), so that
** tier 1 may exchange them (jit/baseline.c).
*/
#include <criterion/criterion.h>
#include <string.h>

#include "interp-internal.h"   /* interp_decode_one */

static const InterpInsnInfo *info(const char *name)
{
    for (unsigned i = 0; i < interp_insn_count; i++)
        if (!strcmp(interp_insn_info[i].name, name))
            return &interp_insn_info[i];
    cr_assert_fail("no instruction %s", name);
    return NULL;
}

Test(insn_facts, bodies_that_read_two_sources_alike_commute)
{
    static const char *const yes[] = { "add", "addw", "and", "or", "xor", "xnor", "mul", "mulw", "mulh",
                                       "mulhu", "beq", "bne", "c.add", "c.and" };
    for (size_t k = 0; k < sizeof yes / sizeof yes[0]; k++) {
        const InterpInsnInfo *in = info(yes[k]);
        cr_expect(in->flags & INTERP_INSN_COMMUTES, "%s", yes[k]);
        cr_expect_neq(in->commute_slot[0], in->commute_slot[1], "%s", yes[k]);
        cr_expect_geq(in->commute_slot[0], 0, "%s", yes[k]);
    }
}

/* The slots name the sources as the decoder fills them (not the destination), for an
   instruction and for a compressed form that decodes into it. */
static void expect_sources(uint32_t bits, const char *what, unsigned first, unsigned second)
{
    InterpInsn d;
    cr_assert_geq(interp_decode_one(bits, &d), 0, "%s decodes", what);
    const InterpInsnInfo *in = &interp_insn_info[d.op];
    cr_assert(in->flags & INTERP_INSN_COMMUTES, "%s", what);
    unsigned a = d.b[in->commute_slot[0]], b = d.b[in->commute_slot[1]];
    cr_expect((a == first && b == second) || (a == second && b == first),
              "%s: the exchanged slots hold x%u and x%u, its sources are x%u and x%u", what, a, b, first, second);
}

Test(insn_facts, the_exchanged_slots_are_the_sources)
{
    expect_sources(0x00c58533, "add a0, a1, a2", 11, 12);
    expect_sources(0x952e, "c.add a0, a1 (add a0, a0, a1)", 10, 11);
    expect_sources(0x02c5853b, "mulw a0, a1, a2", 11, 12);
    expect_sources(0x00c58463, "beq a1, a2, 8", 11, 12);
}

Test(insn_facts, order_sensitive_bodies_do_not)
{
    /* sub, shifts and compares read their sources in order; mulhsu and andn treat them
       differently; min is symmetric in value but not in form (gen is conservative);
       stores read an address and a value; FP operations go through helpers */
    static const char *const no[] = { "sub", "subw", "sll", "slt", "sltu", "blt", "bgeu", "mulhsu", "div",
                                      "remu", "andn", "orn", "sh1add", "min", "sd", "fadd.d", "addi",
                                      "c.sub" };
    for (size_t k = 0; k < sizeof no / sizeof no[0]; k++) {
        const InterpInsnInfo *in = info(no[k]);
        cr_expect(!(in->flags & INTERP_INSN_COMMUTES), "%s", no[k]);
        cr_expect_eq(in->commute_slot[0], -1, "%s", no[k]);
    }
}
