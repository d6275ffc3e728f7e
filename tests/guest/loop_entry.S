/* A loop entered by a jump into the middle of a block, as gcc enters a loop whose test
 * is at its bottom (`j cond`): the test `cond` is the end of block `top`, and the block
 * decoder also copies it after the jump into the block before the loop. Tier 2 sends
 * that jump to the middle of `top` (jit/llvm-tier.c, build_inlined_jump), so this
 * checks what it runs there: the sums, the count of instructions (tests/meson.build
 * compares it across the tiers) and, built with -DFAULT, a load that faults in that
 * middle on the 2,500th pass, after tier 2 took over: the pc and the instructions
 * retired before it must be the interpreter's. Built with -nostdlib.
 *
 * 200 rounds of 20 iterations: 10 go through body_a (a0 += 3), 10 through body_b
 * (a1 += 5), and all but the first through top (a2 += 1): a0 = 6000, a1 = 10000,
 * a2 = 3800. */
#include "bad_guest.h"

#ifdef FAULT
        bad_guest_begin "before a fault in the middle of a block\n"
#else
        bad_guest_begin "loop entry: "
#endif
        li      a0, 0
        li      a1, 0
        li      a2, 0
        li      s3, 0                   /* passes through cond */
        li      s4, 2500                /* the pass whose load faults (FAULT) */
        li      s6, 0x10
        sub     s6, s6, sp              /* sp + s6: the unmapped address 0x10 */
        li      s5, 200                 /* rounds */
round:
        li      s0, 20                  /* iterations */
        li      t1, 0
        j       cond
body_a:
        addi    a0, a0, 3
        addi    t1, t1, 1
        bgeu    t1, s0, done
top:
        addi    a2, a2, 1
cond:
        addi    s3, s3, 1
#ifdef FAULT
        sub     t3, s3, s4
        seqz    t3, t3
        neg     t3, t3
        and     t3, t3, s6
        add     t3, t3, sp
        ld      t2, 0(t3)               /* sp, or 0x10 on pass s4 */
#endif
        andi    t0, t1, 1
        bnez    t0, body_a
body_b:
        addi    a1, a1, 5
        addi    t1, t1, 1
        bltu    t1, s0, top
done:
        addi    s5, s5, -1
        bnez    s5, round

        li      t0, 6000
        bne     a0, t0, wrong
        li      t0, 10000
        bne     a1, t0, wrong
        li      t0, 3800
        bne     a2, t0, wrong
        li      t0, 4000
        bne     s3, t0, wrong
        .section .rodata
ok_msg: .ascii  "ok\n"
wrong_msg:
        .ascii  "wrong sums\n"
        .text
        lla     a1, ok_msg
        li      a2, 3
        j       print
wrong:
        lla     a1, wrong_msg
        li      a2, 11
print:
        li      a0, 1
        li      a7, 64                  /* write */
        ecall
#ifdef FAULT
        bad_guest_end
#else
        li      a0, 0
        li      a7, 93                  /* exit */
        ecall
        .section .note.GNU-stack, "", @progbits
#endif
