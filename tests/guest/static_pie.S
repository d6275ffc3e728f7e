/* static-pie: an ET_DYN program with no interpreter, loaded at a bias. It prints a
 * line from pc-relative data and exits 0 only if it runs above its link address 0.
 * Built without libc (Debian's cross glibc has no rcrt1.o for a static-pie libc). */
        .section .rodata
msg:    .ascii  "static-pie: loaded at a bias, pc-relative data reached\n"
        .set    msglen, . - msg
        .text
        .globl  _start
_start:
        li      a0, 1
        lla     a1, msg
        li      a2, msglen
        li      a7, 64
        ecall
        /* exit status: whether the entry point was relocated above the ELF's own vaddr 0 */
        auipc   t0, 0
        li      a0, 0
        lui     t1, 0x100
        bgeu    t0, t1, 1f
        li      a0, 1
1:      li      a7, 93
        ecall
        .section .note.GNU-stack, "", @progbits
