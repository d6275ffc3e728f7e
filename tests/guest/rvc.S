/* Every RV64C instruction except c.ebreak, written with explicit c.*
 * mnemonics under .option rvc so each assembles to a 16-bit encoding (check:
 * riscv64-linux-gnu-objdump -d -M no-aliases on the object file).
 *
 * uint64_t rvc_test(uint64_t *out): stores one 64-bit result per RES into
 * out[] and returns how many; the name of each result is appended to the
 * NUL-separated string table rvc_names, which the C driver prints beside it.
 * Results are register values or differences of addresses, never addresses.
 */
        .option push
        .option rvc

        .pushsection .rodata.rvcnames, "a"
        .globl rvc_names
rvc_names:
        .popsection

/* out[n++] = reg (s1 is the output cursor) */
.macro RES reg, name
        sd      \reg, 0(s1)
        addi    s1, s1, 8
        .pushsection .rodata.rvcnames, "a"
        .asciz  "\name"
        .popsection
.endm

        .text
        .globl  rvc_test
        .type   rvc_test, @function
rvc_test:
        /* frame: 512 bytes; saved ra/s0/s1/out at the top, scratch below */
        c.addi16sp sp, -512
        c.sdsp  ra, 504(sp)
        c.sdsp  s0, 496(sp)
        c.sdsp  s1, 488(sp)
        c.sdsp  a0, 480(sp)
        c.mv    s1, a0

        /* ---- c.li / c.lui ---- */
        c.li    a0, -32
        RES     a0, "c.li -32"
        c.li    a1, 31
        RES     a1, "c.li 31"
        c.li    t0, 0
        RES     t0, "c.li t0,0"
        c.li    s0, -1
        RES     s0, "c.li s0,-1"
        c.lui   a2, 1
        RES     a2, "c.lui 1"
        c.lui   a3, 0x1f
        RES     a3, "c.lui 0x1f"
        c.lui   a4, 0xfffe0
        RES     a4, "c.lui 0xfffe0"
        c.lui   t1, 0xfffff
        RES     t1, "c.lui t1,0xfffff"
        c.lui   a3, 0x1f
        c.addi  a3, -1
        RES     a3, "c.lui+c.addi"

        /* ---- c.addi / c.addiw / c.nop ---- */
        c.li    a0, 5
        c.addi  a0, -32
        RES     a0, "c.addi 5-32"
        c.addi  a0, 31
        RES     a0, "c.addi +31"
        li      a5, 0x7fffffffffffffff
        c.addi  a5, 1
        RES     a5, "c.addi INT64_MAX+1"
        li      a0, 0x7fffffff
        c.addiw a0, 1
        RES     a0, "c.addiw 0x7fffffff+1"
        li      a1, 0x123456789abcdef0
        c.addiw a1, 0
        RES     a1, "c.addiw 0 (sext.w)"
        li      t2, 0xffffffff00000010
        c.addiw t2, -32
        RES     t2, "c.addiw t2,-32"
        c.li    a0, 7
        c.nop
        c.nop
        RES     a0, "c.nop keeps a0"

        /* ---- c.addi16sp / c.addi4spn (differences from sp) ---- */
        c.mv    a0, sp
        c.addi16sp sp, -512
        c.mv    a1, sp
        c.addi16sp sp, 496
        c.mv    a2, sp
        c.addi16sp sp, 16
        c.mv    a3, sp
        c.sub   a0, a1
        RES     a0, "c.addi16sp -512"
        c.sub   a2, a1
        RES     a2, "c.addi16sp +496"
        c.sub   a3, a1
        RES     a3, "c.addi16sp +16"
        c.mv    a1, sp
        c.addi4spn a0, sp, 4
        c.sub   a0, a1
        RES     a0, "c.addi4spn 4"
        c.addi4spn s0, sp, 1020
        c.sub   s0, a1
        RES     s0, "c.addi4spn s0,1020"
        c.addi4spn a5, sp, 16
        c.sub   a5, a1
        RES     a5, "c.addi4spn a5,16"

        /* ---- shifts and c.andi ---- */
        c.li    a0, 1
        c.slli  a0, 63
        RES     a0, "c.slli 1<<63"
        li      t3, 0x00000000deadbeef
        c.slli  t3, 32
        RES     t3, "c.slli t3,32"
        c.li    a0, -1
        c.srli  a0, 1
        RES     a0, "c.srli -1>>1"
        c.li    a0, -1
        c.srli  a0, 63
        RES     a0, "c.srli -1>>63"
        c.li    a0, -32
        c.srai  a0, 2
        RES     a0, "c.srai -32>>2"
        c.lui   a0, 0xfffe0
        c.srai  a0, 63
        RES     a0, "c.srai neg>>63"
        c.li    a0, 1
        c.slli  a0, 63
        c.srai  a0, 32
        RES     a0, "c.srai (1<<63)>>32"
        li      a0, 0x7000000000000000
        c.srai  a0, 60
        RES     a0, "c.srai positive"
        c.li    a0, -1
        c.andi  a0, -32
        RES     a0, "c.andi -1&-32"
        c.andi  a0, 31
        RES     a0, "c.andi &31"
        li      a0, 0x1234
        c.andi  a0, 0x1f
        RES     a0, "c.andi 0x1234&0x1f"

        /* ---- CA-format register ops (x8..x15) ---- */
        li      a0, 0x7fffffff80000000
        li      a1, 0x00000000ffffffff
        c.mv    a2, a0
        c.sub   a2, a1
        RES     a2, "c.sub"
        c.mv    a2, a0
        c.xor   a2, a1
        RES     a2, "c.xor"
        c.mv    a2, a0
        c.or    a2, a1
        RES     a2, "c.or"
        c.mv    a2, a0
        c.and   a2, a1
        RES     a2, "c.and"
        c.mv    a2, a0
        c.subw  a2, a1
        RES     a2, "c.subw"
        c.mv    a2, a0
        c.addw  a2, a1
        RES     a2, "c.addw"
        li      s0, 0x000000017fffffff
        c.li    a5, 1
        c.addw  s0, a5
        RES     s0, "c.addw overflow"
        li      s0, 0x0000000080000000
        c.subw  a5, s0
        RES     a5, "c.subw 1-0x80000000"

        /* ---- c.mv / c.add on registers outside x8..x15 ---- */
        li      t3, 0x1111111111111111
        c.mv    t4, t3
        c.add   t4, t3
        RES     t4, "c.mv+c.add t4"
        c.li    a7, -1
        c.mv    a6, a7
        c.add   a6, t4
        RES     a6, "c.add a6"
        c.mv    t5, t4
        c.add   t5, t5
        RES     t5, "c.add t5,t5"

        /* ---- CL/CS loads and stores (a5 = sp + 16) ---- */
        c.addi4spn a5, sp, 16
        li      a0, 0xfedcba9876543210
        c.sd    a0, 0(a5)
        c.ld    a1, 0(a5)
        RES     a1, "c.sd/c.ld"
        c.lw    a2, 0(a5)
        RES     a2, "c.lw low"
        c.lw    a3, 4(a5)
        RES     a3, "c.lw high (sign)"
        c.sw    a0, 8(a5)
        c.sw    a3, 12(a5)
        c.ld    a4, 8(a5)
        RES     a4, "c.sw x2 then c.ld"
        c.sd    a0, 248(a5)
        c.ld    s0, 248(a5)
        RES     s0, "c.sd/c.ld offset 248"
        c.sw    a3, 124(a5)
        c.lw    s0, 124(a5)
        RES     s0, "c.sw/c.lw offset 124"
        fmv.d.x fa0, a0
        c.fsd   fa0, 24(a5)
        c.fld   fa5, 24(a5)
        fmv.x.d a1, fa5
        RES     a1, "c.fsd/c.fld"
        c.ld    a2, 24(a5)
        RES     a2, "c.fsd then c.ld"
        li      a3, 0x3ff8000000000000
        c.sd    a3, 240(a5)
        c.fld   fa4, 240(a5)
        fmv.x.d a3, fa4
        RES     a3, "c.fld offset 240"

        /* ---- stack-pointer-relative loads and stores ---- */
        li      t0, 0x8000000180000002
        c.sdsp  t0, 472(sp)
        c.ldsp  t1, 472(sp)
        RES     t1, "c.sdsp/c.ldsp 472"
        c.swsp  t0, 252(sp)
        c.lwsp  t2, 252(sp)
        RES     t2, "c.swsp/c.lwsp 252"
        c.li    t3, -1
        c.sdsp  t3, 0(sp)
        c.swsp  t0, 0(sp)
        c.lwsp  t2, 0(sp)
        RES     t2, "c.swsp/c.lwsp 0"
        c.ldsp  t3, 0(sp)
        RES     t3, "c.swsp then c.ldsp"
        c.lwsp  t2, 4(sp)
        RES     t2, "c.lwsp 4 (untouched)"
        li      t0, 0xc00921fb54442d18
        fmv.d.x ft7, t0
        c.fsdsp ft7, 464(sp)
        c.fldsp ft8, 464(sp)
        fmv.x.d t1, ft8
        RES     t1, "c.fsdsp/c.fldsp 464"
        c.ldsp  t2, 464(sp)
        RES     t2, "c.fsdsp then c.ldsp"

        /* ---- c.j / c.beqz / c.bnez ---- */
        c.li    a0, 0
        c.j     1f
        c.li    a0, 1
1:      RES     a0, "c.j forward"
        c.li    a0, 0
        c.li    a1, 0
        c.beqz  a1, 2f
        c.li    a0, 1
2:      c.li    a1, 5
        c.beqz  a1, 3f
        c.addi  a0, 2
3:      RES     a0, "c.beqz taken/not"
        c.li    a0, 0
        c.li    a1, 0
        c.bnez  a1, 4f
        c.addi  a0, 4
4:      c.li    a1, -1
        c.bnez  a1, 5f
        c.addi  a0, 8
5:      RES     a0, "c.bnez not/taken"
        /* the comparison is on all 64 bits */
        li      a1, 0x0000000100000000
        c.li    a0, 0
        c.beqz  a1, 6f
        c.addi  a0, 1
6:      c.bnez  a1, 7f
        c.addi  a0, 2
7:      RES     a0, "c.beqz/c.bnez 64-bit"
        /* backward branches: a counted loop */
        c.li    a0, 10
        c.li    a1, 0
8:      c.addi  a1, 3
        c.addi  a0, -1
        c.bnez  a0, 8b
        RES     a1, "c.bnez loop"
        c.li    a0, 3
        c.li    a2, 0
9:      c.addi  a2, 1
        c.addi  a0, -1
        c.beqz  a0, 10f
        c.j     9b
10:     RES     a2, "c.j backward loop"
        c.li    a0, 0
        c.j     12f
11:     c.addi  a0, 7
        c.j     13f
12:     c.addi  a0, 1
        c.j     11b
13:     RES     a0, "c.j back and forth"

        /* ---- c.jr / c.jalr ---- */
        c.li    a0, 0
        lla     t0, 14f
        c.jr    t0
        c.li    a0, 1
14:     RES     a0, "c.jr"
        lla     t1, rvc_leaf
15:     c.jalr  t1
16:     lla     t2, 16b
        sub     a1, a0, t2
        RES     a1, "c.jalr link - next"
        lla     t2, 15b
        sub     a1, a0, t2
        RES     a1, "c.jalr link - self"
        /* rs1 == ra: the target is the old ra, then ra gets the link */
        lla     ra, rvc_leaf
17:     c.jalr  ra
        lla     t2, 17b
        sub     a1, a0, t2
        RES     a1, "c.jalr ra link - self"
        sub     a1, ra, t2
        RES     a1, "ra after c.jalr ra"

        /* ---- epilogue: return the count ---- */
        c.ldsp  a0, 480(sp)
        c.mv    a1, s1
        c.sub   a1, a0
        c.srli  a1, 3
        c.mv    a0, a1
        c.ldsp  ra, 504(sp)
        c.ldsp  s0, 496(sp)
        c.ldsp  s1, 488(sp)
        c.addi16sp sp, 496
        c.addi  sp, 16
        c.jr    ra
        .size   rvc_test, . - rvc_test

        .type   rvc_leaf, @function
rvc_leaf:
        c.mv    a0, ra
        c.jr    ra
        .size   rvc_leaf, . - rvc_leaf

        .option pop
        .section .note.GNU-stack, "", @progbits
