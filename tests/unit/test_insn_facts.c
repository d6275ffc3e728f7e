/*
** test_insn_facts.c — what gen finds in the spec's bodies and the tiers rely on:
** which instructions read two source registers alike (INTERP_INSN_COMMUTES), so that
** tier 1 may exchange them (jit/baseline.c).
*/
#include <criterion/criterion.h>
#include <string.h>

#include "interp.h"

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
    /* add's two sources are rs1 and rs2, not its destination */
    const InterpInsnInfo *add = info("add");
    const char *first = NULL, *second = NULL;
    for (unsigned f = 0, byte = 0; f < add->nfields; f++)
        if (add->fields[f].kind == INTERP_FIELD_XREG) {
            if (byte == (unsigned)add->commute_slot[0])
                first = add->fields[f].name;
            if (byte == (unsigned)add->commute_slot[1])
                second = add->fields[f].name;
            byte++;
        }
    cr_expect(first && second && !strcmp(first, "rs1") && !strcmp(second, "rs2"), "add exchanges %s and %s",
              first ? first : "?", second ? second : "?");
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
