/*
** harness.S — the guest side of the differential test (see harness.h for the layout
** and the file formats). For each case record: fill the scratch buffer, copy the case's
** code to the fixed code page, fence.i, drop any LR reservation, load fcsr, f0..f31 and
** x1..x31, and jump to the code page. The code ends by jumping to the epilogue, which
** stores every register into the output record and returns to `resume`, which writes
** the record to stdout. The harness keeps no state in registers across a case: all of
** it lives in the DATA slots (x8 points there when the epilogue runs).
**
** Exit status: 0 at the end of the file, 3 on any failed system call or a partial record.
** Build: riscv64-linux-gnu-gcc -static -nostdlib -o harness harness.S
*/
#include "harness.h"

#define SYS_openat     56
#define SYS_lseek      62
#define SYS_read       63
#define SYS_write      64
#define SYS_exit_group 94
#define SYS_mmap       222

#define X8REL(off) ((off) - DIFF_BASE_OFF)

    .option norvc            /* the copied prologue and epilogue are 4-byte instructions */
    .text
    .globl _start
_start:
    ld      s2, 0(sp)                /* argc */
    li      t0, 2
    blt     s2, t0, fail
    ld      s3, 8*2(sp)              /* argv[1]: the case file */
    li      s4, 0                    /* first record */
    li      t0, 3
    blt     s2, t0, 2f
    ld      t1, 8*3(sp)              /* argv[2]: decimal */
1:  lbu     t2, 0(t1)
    beqz    t2, 2f
    addi    t2, t2, -'0'
    li      t3, 10
    bgeu    t2, t3, fail
    mul     s4, s4, t3
    add     s4, s4, t2
    addi    t1, t1, 1
    j       1b
2:
    /* code page: RWX at DIFF_CODE */
    li      a0, DIFF_CODE
    li      a1, 0x1000
    li      a2, 7                    /* PROT_READ | PROT_WRITE | PROT_EXEC */
    li      a3, 0x32                 /* MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS */
    li      a4, -1
    li      a5, 0
    li      a7, SYS_mmap
    ecall
    li      t0, DIFF_CODE
    bne     a0, t0, fail
    /* data pages: RW at DIFF_DATA */
    li      a0, DIFF_DATA
    li      a1, DIFF_DATA_SIZE
    li      a2, 3                    /* PROT_READ | PROT_WRITE */
    li      a3, 0x32
    li      a4, -1
    li      a5, 0
    li      a7, SYS_mmap
    ecall
    li      t0, DIFF_DATA
    bne     a0, t0, fail
    /* open the case file */
    li      a0, -100                 /* AT_FDCWD */
    mv      a1, s3
    li      a2, 0                    /* O_RDONLY */
    li      a3, 0
    li      a7, SYS_openat
    ecall
    bltz    a0, fail
    li      t0, DIFF_DATA
    sd      a0, DIFF_SLOT_FD(t0)
    beqz    s4, 3f
    li      t1, DIFF_REC_SIZE
    mul     a1, s4, t1
    li      a2, 0                    /* SEEK_SET */
    li      a7, SYS_lseek
    ecall
    bltz    a0, fail
3:
    /* the prologue and the epilogue, once */
    la      t0, prologue
    li      t1, DIFF_CODE
    lw      t2, 0(t0)
    sw      t2, 0(t1)
    la      t0, epilogue
    la      t2, epilogue_end
    li      t1, DIFF_EPILOGUE
4:  lw      t3, 0(t0)
    sw      t3, 0(t1)
    addi    t0, t0, 4
    addi    t1, t1, 4
    bltu    t0, t2, 4b

next_case:
    /* read one record; a clean end of file ends the run */
    li      s5, DIFF_DATA + DIFF_REC
    li      s6, DIFF_REC_SIZE
5:  li      t0, DIFF_DATA
    ld      a0, DIFF_SLOT_FD(t0)
    mv      a1, s5
    mv      a2, s6
    li      a7, SYS_read
    ecall
    bltz    a0, fail
    beqz    a0, end_of_file
    add     s5, s5, a0
    sub     s6, s6, a0
    bnez    s6, 5b

    li      t0, DIFF_DATA + DIFF_REC
    /* scratch buffer from the seed (xorshift64) */
    ld      t1, DIFF_REC_SEED(t0)
    li      t2, DIFF_DATA + DIFF_SCRATCH
    li      t3, DIFF_DATA + DIFF_SCRATCH + DIFF_SCRATCH_SIZE
6:  slli    t4, t1, 13
    xor     t1, t1, t4
    srli    t4, t1, 7
    xor     t1, t1, t4
    slli    t4, t1, 17
    xor     t1, t1, t4
    sd      t1, 0(t2)
    addi    t2, t2, 8
    bltu    t2, t3, 6b
    /* the case's code */
    ld      t1, DIFF_REC_LEN(t0)
    li      t2, DIFF_MAX_CODE
    bgtu    t1, t2, fail
    addi    t2, t0, DIFF_REC_CODE
    add     t4, t2, t1
    li      t3, DIFF_CODE_START
7:  beq     t2, t4, 8f
    lbu     t5, 0(t2)
    sb      t5, 0(t3)
    addi    t2, t2, 1
    addi    t3, t3, 1
    j       7b
8:  fence.i
    /* slots */
    li      t1, DIFF_DATA
    ld      t2, 8*5(t0)
    sd      t2, DIFF_SLOT_X5(t1)
    la      t2, resume
    sd      t2, DIFF_SLOT_RESUME(t1)
    /* an SC drops whatever reservation the previous case left */
    addi    t2, t1, DIFF_SLOT_SC
    sc.d    zero, zero, (t2)
    /* the fixed base registers */
    li      t2, DIFF_DATA + DIFF_SP_OFF
    sd      t2, 8*DIFF_SP_REG(t0)
    li      t2, DIFF_DATA + DIFF_BASE_OFF
    sd      t2, 8*DIFF_BASE_REG(t0)
    /* fcsr, f0..f31, x1..x31 (x5 = t0 is the record pointer: the prologue loads it) */
    ld      t2, DIFF_REC_FCSR(t0)
    fscsr   t2
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fld     f\n, DIFF_REC_F + 8*\n(t0)
    .endr
    .irp n, 1,2,3,4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld      x\n, 8*\n(t0)
    .endr
    li      t0, DIFF_CODE
    jr      t0

resume:
    /* back from the epilogue: write the output record */
    li      s5, DIFF_DATA + DIFF_OUT
    li      s6, DIFF_OUT_SIZE
9:  li      a0, 1
    mv      a1, s5
    mv      a2, s6
    li      a7, SYS_write
    ecall
    blez    a0, fail
    add     s5, s5, a0
    sub     s6, s6, a0
    bnez    s6, 9b
    j       next_case

end_of_file:
    li      t0, DIFF_REC_SIZE
    bne     s6, t0, fail             /* a partial record */
    li      a0, 0
    li      a7, SYS_exit_group
    ecall
fail:
    li      a0, 3
    li      a7, SYS_exit_group
    ecall

/* Copied to the code page: position independent, addressed through x8 alone. */
prologue:
    ld      x5, X8REL(DIFF_SLOT_X5)(x8)

epilogue:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd      x\n, X8REL(DIFF_OUT_X) + 8*\n(x8)
    .endr
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fsd     f\n, X8REL(DIFF_OUT_F) + 8*\n(x8)
    .endr
    frcsr   x5
    sd      x5, X8REL(DIFF_OUT_FCSR)(x8)
    ld      x5, X8REL(DIFF_SLOT_RESUME)(x8)
    jr      x5
epilogue_end:
