/* Superinstructions that forward: when a pair's second reads the x register its first
 * wrote, the threaded interpreter's variant hands the value over without reloading it
 * (gen/emit-files.c, interp/exec.c). Each case below is one pair, alone in its stretch
 * of block (a `j 1f` before it, which the block decoder inlines, and nothing after it
 * that pairs), with the register numbers that pick a variant or must not: the second
 * reading the first's destination through each of its slots, the second's own
 * destination the same register (read first, then written), a first aimed at x0 (its
 * slot is the sink) with a second that reads x0, a second that reads other registers,
 * loads, stores, branches and an indirect jump. A wrong value exits with the case's
 * number; tests/meson.build also compares the threaded build with the switch build,
 * which runs no superinstructions, and checks that variants ran. Built with -nostdlib. */
        .option norelax                 /* (no crt sets gp, so no gp-relative addresses) */
        .data
        .balign 8
word:   .word   0x1234abcd, 0
dword:  .dword  0x0123456789abcdef
byte:   .byte   0

        .text
        .globl  _start
_start:
        li      s11, 0                  /* the case being run */

        /* 1: add, then lw through the sum, into the same register */
        li      s11, 1
        li      s1, 0x1234abcd
        lla     t1, word
        li      t2, 0
        j       1f
1:      add     t0, t1, t2
        lw      t0, 0(t0)
        bne     t0, s1, fail

        /* 2: add, then ld through the sum into another register */
        li      s11, 2
        li      s1, 0x0123456789abcdef
        lla     t1, dword
        li      t2, -8
        j       1f
1:      add     t0, t1, t2
        ld      t3, 8(t0)
        bne     t3, s1, fail

        /* 3: add aimed at x0, then add reading x0: reads 0, not the sum */
        li      s11, 3
        li      t1, 5
        li      t2, 6
        li      t4, 40
        li      t3, 0
        j       1f
1:      add     zero, t1, t2
        add     t3, zero, t4
        li      s1, 40
        bne     t3, s1, fail

        /* 4: add, then add reading the sum through both slots */
        li      s11, 4
        li      t1, 7
        li      t2, 9
        j       1f
1:      add     t0, t1, t2
        add     t3, t0, t0
        li      s1, 32
        bne     t3, s1, fail

        /* 5: add, then add reading the sum through its second slot only */
        li      s11, 5
        li      t1, 100
        li      t2, 23
        li      t4, 1000
        j       1f
1:      add     t0, t1, t2
        add     t3, t4, t0
        li      s1, 1123
        bne     t3, s1, fail

        /* 6: add, then add reading neither: no variant */
        li      s11, 6
        li      t1, 1
        li      t2, 2
        li      t4, 300
        li      t5, 4
        j       1f
1:      add     t0, t1, t2
        add     t3, t4, t5
        li      s1, 304
        bne     t3, s1, fail
        li      s1, 3
        bne     t0, s1, fail

        /* 7: bytecode's dispatch: slli, then srli of the shifted value back into the source */
        li      s11, 7
        li      a5, -3                  /* 0xff..fd: the low word, zero-extended, times 4 */
        j       1f
1:      slli    s8, a5, 32
        srli    a5, s8, 30
        li      s1, 0x3fffffff4
        bne     a5, s1, fail

        /* 8: add, then sb through the sum as its base, and as its value */
        li      s11, 8
        lla     t1, byte
        li      t2, 0
        li      t4, 0x5a
        j       1f
1:      add     t0, t1, t2
        sb      t4, 0(t0)
        lbu     t3, 0(t1)
        li      s1, 0x5a
        bne     t3, s1, fail
        li      t4, 0x30
        li      t5, 0x07
        j       1f
1:      add     t0, t4, t5
        sb      t0, 0(t1)
        lbu     t3, 0(t1)
        li      s1, 0x37
        bne     t3, s1, fail

        /* 9: addi, then bne on the count it just made: five passes */
        li      s11, 9
        li      t0, 5
        li      t3, 0
2:      addi    t3, t3, 1
        j       1f
1:      addi    t0, t0, -1
        bnez    t0, 2b
        li      s1, 5
        bne     t3, s1, fail

        /* 10: add, then an indirect jump through the sum */
        li      s11, 10
        lla     t1, 3f
        li      t2, 0
        j       1f
1:      add     t0, t1, t2
        jr      t0
        j       fail
3:
        /* 11: lw, then add of the loaded value to itself, into the same register */
        li      s11, 11
        lla     t1, word
        li      t2, 3
        j       1f
1:      lw      t0, 0(t1)
        add     t0, t0, t2
        li      s1, 0x1234abd0
        bne     t0, s1, fail

        /* 12: addi, then sub with the sum as its subtrahend, into the same register */
        li      s11, 12
        li      t1, 50
        li      t2, 8
        j       1f
1:      addi    t2, t2, 2
        sub     t2, t1, t2
        li      s1, 40
        bne     t2, s1, fail

        .section .rodata
ok_msg: .ascii  "pair forward: ok\n"
        .set    ok_len, . - ok_msg
wrong_msg:
        .ascii  "pair forward: wrong (the exit status is the case)\n"
        .set    wrong_len, . - wrong_msg
        .text
        li      a0, 1
        lla     a1, ok_msg
        li      a2, ok_len
        li      a7, 64                  /* write */
        ecall
        li      a0, 0
        li      a7, 93                  /* exit */
        ecall
fail:
        li      a0, 1
        lla     a1, wrong_msg
        li      a2, wrong_len
        li      a7, 64
        ecall
        mv      a0, s11
        li      a7, 93
        ecall
        .section .note.GNU-stack, "", @progbits
